/* check_encodings.c -- the encoding registry is whole: every view an
   entry claims has its hooks, names are unique, and the verbs' word
   lists are made from it.  */
#include <config.h>
#include <string.h>
#include "check_suites.h"
#include "cmd/commands.h"
#include "cmd/encodings.h"

START_TEST (test_entries_whole)
{
  ck_assert_uint_gt (encodings_count, 0);
  for (size_t i = 0; i < encodings_count; i++)
    {
      const struct encoding *e = &encodings[i];
      ck_assert_ptr_nonnull (e->name);
      ck_assert_ptr_nonnull (e->summary);
      ck_assert_ptr_eq (encoding_find (e->name), e);
      if (e->views & ENC_DECAY)
        {
          ck_assert_ptr_nonnull (e->curve);
          ck_assert_ptr_nonnull (e->decay_help);
          ck_assert_uint_ne (e->decay_modes, 0);
        }
      else
        ck_assert_uint_eq (e->decay_modes, 0);
      if (e->views & ENC_SIMILARITY)
        {
          ck_assert_int_eq (e->kind, ENC_ABSOLUTE);
          ck_assert_ptr_nonnull (e->open);
          ck_assert_ptr_nonnull (e->dot);
          ck_assert_ptr_nonnull (e->sim_title);
          ck_assert_ptr_nonnull (e->sim_label);
        }
      /* the generic scores path is the bias one */
      if ((e->views & ENC_SCORES) && !e->scores)
        ck_assert (e->kind == ENC_BIAS || e->kind == ENC_NONE);
      if (e->kind == ENC_ROTARY)
        ck_assert_int_ge (e->method, 0);
      for (size_t k = 0; e->keys && e->keys[k]; k++)
        ck_assert (encoding_reads (e, e->keys[k]));
    }
}
END_TEST

static size_t
count_words (const char *const *w)
{
  size_t n = 0;
  while (w[n])
    n++;
  return n;
}

START_TEST (test_word_lists)
{
  encodings_init ();
  size_t ns = 0, nd = 0, nsim = 0;
  for (size_t i = 0; i < encodings_count; i++)
    {
      ns += (encodings[i].views & ENC_SCORES) != 0;
      nd += (encodings[i].views & ENC_DECAY) != 0;
      nsim += (encodings[i].views & ENC_SIMILARITY) != 0;
    }
  ck_assert_uint_eq (count_words (encoding_words_scores), ns);
  ck_assert_uint_eq (count_words (encoding_words_decay), nd);
  ck_assert_uint_eq (count_words (encoding_words_similarity), nsim);
  ck_assert_str_eq (encoding_words_scores[0], "rope");
  ck_assert_ptr_null (encoding_find ("bogus"));
  ck_assert_ptr_eq (encoding_owner ("clip", ENC_SCORES),
                    encoding_find ("shaw"));
  ck_assert_ptr_null (encoding_owner ("clip", ENC_SIMILARITY));
  ck_assert_ptr_nonnull (strstr (decay_description, "  nope: "));
}
END_TEST

Suite *
make_encodings_suite (void)
{
  Suite *s = suite_create ("encodings");
  TCase *tc = tcase_create ("registry");
  tcase_add_test (tc, test_entries_whole);
  tcase_add_test (tc, test_word_lists);
  suite_add_tcase (s, tc);
  return s;
}
