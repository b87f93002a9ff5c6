#!/usr/bin/env python3
"""peers.py -- posenc's kernels against numpy doing the same work.

Usage: peers.py POSENC [n=N] [dim=D] [repeat=R]

Runs `POSENC -e 'bench ... format=json'`, then the same operations in
numpy, vectorised the way a user writes them, in the same run and at the
same sizes, each once untimed and then R times (the median is kept, as
posenc does), and prints posenc's speed-up per kernel (numpy's median
time over posenc's).  `make bench-peers` runs it with a python that has
numpy.

The numpy side of each kernel (the sizes are posenc's: the row's n):
  memcpy        np.copyto(dst, src) on n x dim float64 (both allocated once)
  cache         ang = np.outer(pos, theta); c = np.cos(ang); s = np.sin(ang)
  apply         x * cos + rotate_half(x) * sin, cos/sin = the cache
                repeated per half (np.concatenate), precomputed untimed
  apply_complex x.view(np.complex128) * e, e = cos + 1j sin precomputed
  apply_matrix  np.einsum('nij,nj->ni', R, x) with the n d x d matrices R
                built untimed (numpy's natural matrix form)
  decay         np.abs(np.cumsum(np.exp(1j * np.outer(r, theta)), axis=1))
                .mean(axis=1) over r = 0 .. 100000, 4096 distances a chunk
  scores        rotate q and k as apply, then q @ k.T (numpy's BLAS)
  naive_cache   the same code as cache: numpy has no cheaper way to write
                it, so the row compares posenc's direct sin/cos loop with
                numpy's.
theta_i = 10000 ** (-2i/dim) in float64, pos = 0 .. n-1, as in posenc.
"""
import json
import statistics
import subprocess
import sys
import time

try:
    import numpy as np
except ImportError:
    sys.exit("peers.py needs numpy: on Debian, apt-get install python3-numpy")


def parse_args(argv):
    if len(argv) < 2:
        sys.exit(__doc__.split("\n\n")[1])
    opts = {"n": 131072, "dim": 128, "repeat": 5}
    for arg in argv[2:]:
        key, sep, val = arg.partition("=")
        if not sep or key not in opts:
            sys.exit("peers.py: unknown argument '%s' (expected n=, dim=, "
                     "repeat=)" % arg)
        opts[key] = int(val)
    if opts["dim"] % 2 or opts["dim"] < 2 or opts["n"] < 1 \
       or opts["repeat"] < 1:
        sys.exit("peers.py: need n >= 1, an even dim >= 2, repeat >= 1")
    return argv[1], opts


def median_time(fn, repeat):
    fn()                        # untimed: page faults, caches
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def rotate_half(x):
    h = x.shape[-1] // 2
    return np.concatenate((-x[..., h:], x[..., :h]), axis=-1)


def numpy_kernels(rows, dim):
    """The numpy version of each kernel at posenc's row count ROWS[name]."""
    theta = 1.0 / 10000.0 ** (np.arange(0, dim, 2, dtype=np.float64) / dim)
    h = dim // 2
    ks = {}

    def tables(n):
        ang = np.outer(np.arange(n, dtype=np.float64), theta)
        c, s = np.cos(ang), np.sin(ang)
        return np.concatenate((c, c), axis=1), np.concatenate((s, s), axis=1)

    def pattern(n):
        return np.random.default_rng(1).uniform(-1, 1, (n, dim))

    if "memcpy" in rows:
        src = np.full((rows["memcpy"], dim), 0.5)
        dst = np.empty_like(src)
        ks["memcpy"] = (lambda: np.copyto(dst, src), "np.copyto(dst, src)")
    if "cache" in rows or "naive_cache" in rows:
        pos = np.arange(rows.get("cache", rows.get("naive_cache")),
                        dtype=np.float64)

        def cache():
            ang = np.outer(pos, theta)
            return np.cos(ang), np.sin(ang)
        ks["cache"] = (cache, "np.cos/np.sin of np.outer(pos, theta)")
        ks["naive_cache"] = (cache, "the same numpy code as cache")
    if "apply" in rows:
        x = pattern(rows["apply"])
        cc, ss = tables(rows["apply"])
        ks["apply"] = (lambda: x * cc + rotate_half(x) * ss,
                       "x * cos + rotate_half(x) * sin")
    if "apply_complex" in rows:
        n = rows["apply_complex"]
        xc = pattern(n)
        ang = np.outer(np.arange(n, dtype=np.float64), theta)
        e = np.cos(ang) + 1j * np.sin(ang)
        ks["apply_complex"] = (lambda: (xc.view(np.complex128) * e)
                               .view(np.float64),
                               "x.view(np.complex128) * e")
    if "apply_matrix" in rows:
        n = rows["apply_matrix"]
        xm = pattern(n)
        ang = np.outer(np.arange(n, dtype=np.float64), theta)
        R = np.zeros((n, dim, dim))
        i = np.arange(h)
        R[:, i, i] = np.cos(ang)
        R[:, i, i + h] = -np.sin(ang)
        R[:, i + h, i] = np.sin(ang)
        R[:, i + h, i + h] = np.cos(ang)
        ks["apply_matrix"] = (lambda: np.einsum("nij,nj->ni", R, xm),
                              "np.einsum('nij,nj->ni', R, x)")
    if "decay" in rows:
        r = np.arange(rows["decay"], dtype=np.float64)

        def decay():
            out = np.empty(len(r))
            for a in range(0, len(r), 4096):
                z = np.exp(1j * np.outer(r[a:a + 4096], theta))
                out[a:a + 4096] = np.abs(np.cumsum(z, axis=1)).mean(axis=1)
            return out
        ks["decay"] = (decay, "np.abs(np.cumsum(np.exp(1j*np.outer(r, "
                       "theta)), axis=1)).mean(axis=1), 4096 r a chunk")
    if "scores" in rows:
        n = rows["scores"]
        q, k = pattern(n), pattern(n)[::-1].copy()
        cs, sn = tables(n)

        def scores():
            rq = q * cs + rotate_half(q) * sn
            rk = k * cs + rotate_half(k) * sn
            return rq @ rk.T
        ks["scores"] = (scores, "rotate q, k as apply; rq @ rk.T")
    return ks


KERNELS = ("memcpy", "cache", "apply", "apply_complex", "apply_matrix",
           "decay", "scores", "naive_cache")


def main():
    posenc, o = parse_args(sys.argv)
    line = "bench kernels=[%s] n=%d dim=%d repeat=%d format=json" \
        % (", ".join(KERNELS), o["n"], o["dim"], o["repeat"])
    out = subprocess.run([posenc, "-e", line], check=True,
                         stdout=subprocess.PIPE, text=True).stdout
    ds = json.loads(out)
    col = {name: i for i, name in enumerate(ds["columns"])}
    ours = {row[col["kernel"]]: row[col["median_s"]] for row in ds["rows"]}
    rows = {row[col["kernel"]]: int(row[col["n"]]) for row in ds["rows"]}

    peers = numpy_kernels(rows, o["dim"])
    print("posenc against numpy %s (python %d.%d), n=%d dim=%d, median of "
          "%d runs" % (np.__version__, sys.version_info[0],
                       sys.version_info[1], o["n"], o["dim"], o["repeat"]))
    print("%-14s %7s %12s %12s %9s  %s" % ("kernel", "n", "posenc_s",
                                            "numpy_s", "speed-up",
                                            "numpy code"))
    cache_s = None
    for name in KERNELS:
        fn, code = peers[name]
        if name == "naive_cache" and cache_s is not None:
            theirs = cache_s    # the same numpy code as cache
        else:
            theirs = median_time(fn, o["repeat"])
        if name == "cache":
            cache_s = theirs
        print("%-14s %7d %12.6g %12.6g %8.3gx  %s"
              % (name, rows[name], ours[name], theirs,
                 theirs / ours[name] if ours[name] > 0 else float("nan"),
                 code))


if __name__ == "__main__":
    main()
