/* rope_rows.c -- rotary rows ready for the dot product (rope_rows.h).  */
#include <config.h>
#include <string.h>
#include "rope.h"
#include "rope_rows.h"
#include "rope_scaling.h"

enum pe_status
rope_rows_encode (const struct rope_rows *r, const double *c, size_t stride,
                  const double *pos, size_t npos, double sign,
                  const double *cos, const double *sin, double *out)
{
  size_t d = r->dim, dr = r->drot;
  if (dr == 0 || dr % 2 || dr > d)
    return PE_EINVAL;
  for (size_t a = 0; a < npos; a++)
    {
      double *y = out + a * d;
      const double *x = c + a * stride;
      enum pe_status st = rope_apply_fast (x, 1, dr, cos + a * (dr / 2),
                                           sin + a * (dr / 2), r->layout, y);
      if (st != PE_OK)
        return st;
      memcpy (y + dr, x + dr, (d - dr) * sizeof *y);
      if (r->af != 1)
        for (size_t j = 0; j < dr; j++)
          y[j] *= r->af;
      if (r->zeta)
        for (size_t i = 0; i < dr / 2; i++)
          {
            double z = xpos_scale (r->zeta[i], sign * pos[a], r->scale_base);
            y[r->first[i]] *= z;
            y[r->second[i]] *= z;
          }
    }
  return PE_OK;
}
