#!/usr/bin/env python3
"""peers.py -- posenc's kernels against numpy doing the same work.

Usage: peers.py POSENC [n=N] [dim=D] [repeat=R]

Runs `POSENC -e 'bench ... format=json'`, then the same operations in
numpy, vectorised the way a user writes them, in the same run and at the
same sizes, each once untimed and then R times (the median is kept, as
posenc does), and prints posenc's speed-up per kernel (numpy's median
time over posenc's).  `make bench-peers` runs it with a python that has
numpy.

The numpy side of each kernel:
  memcpy       np.copyto(dst, src) on n x dim float64 (both allocated once)
  cache        ang = np.outer(pos, theta); c = np.cos(ang); s = np.sin(ang)
  naive_cache  the same code: numpy has no cheaper way to write it, so the
               row compares posenc's direct sin/cos loop with numpy's.
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


def numpy_kernels(n, dim):
    pos = np.arange(n, dtype=np.float64)
    theta = 1.0 / 10000.0 ** (np.arange(0, dim, 2, dtype=np.float64) / dim)
    src = np.full((n, dim), 0.5)
    dst = np.empty_like(src)

    def copy():
        np.copyto(dst, src)

    def cache():
        ang = np.outer(pos, theta)
        return np.cos(ang), np.sin(ang)

    return {"memcpy": (copy, "np.copyto(dst, src)"),
            "cache": (cache, "np.cos/np.sin of np.outer(pos, theta)"),
            "naive_cache": (cache, "the same numpy code as cache")}


def main():
    posenc, o = parse_args(sys.argv)
    line = "bench kernels=[memcpy, cache, naive_cache] n=%d dim=%d " \
           "repeat=%d format=json" % (o["n"], o["dim"], o["repeat"])
    out = subprocess.run([posenc, "-e", line], check=True,
                         stdout=subprocess.PIPE, text=True).stdout
    ds = json.loads(out)
    col = {name: i for i, name in enumerate(ds["columns"])}
    ours = {row[col["kernel"]]: row[col["median_s"]] for row in ds["rows"]}

    peers = numpy_kernels(o["n"], o["dim"])
    print("posenc against numpy %s (python %d.%d), n=%d dim=%d, median of "
          "%d runs" % (np.__version__, sys.version_info[0],
                       sys.version_info[1], o["n"], o["dim"], o["repeat"]))
    print("%-12s %12s %12s %9s  %s" % ("kernel", "posenc_s", "numpy_s",
                                       "speed-up", "numpy code"))
    timed = {}
    for name in ("memcpy", "cache", "naive_cache"):
        fn, code = peers[name]
        if fn not in timed:     # naive_cache reuses cache's numpy time
            timed[fn] = median_time(fn, o["repeat"])
        theirs = timed[fn]
        print("%-12s %12.6g %12.6g %8.3gx  %s"
              % (name, ours[name], theirs, theirs / ours[name], code))


if __name__ == "__main__":
    main()
