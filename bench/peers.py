#!/usr/bin/env python3
"""peers.py -- posenc's kernels against numpy doing the same work.

Usage: peers.py POSENC [n=N] [dim=D] [repeat=R]

Times posenc's kernels and the same operations in numpy, vectorised the
way a user writes them, at the same sizes, alternating the two sides
round by round: in each of R rounds (at least 5) posenc runs
`bench ... repeat=1 format=json' (one untimed and one timed run of every
kernel), then numpy runs every kernel once (after one untimed run of
each before the first round).  Both sides thus see the same machine, and
a busy spell hurts both in the same round.  For each kernel it prints the
median times and the min and median over the rounds of the ratio
numpy / posenc (posenc's speed-up).  It also says which BLAS numpy uses
(threadpoolctl when importable, else np.show_config), since scores and
scores_blas compare against numpy's matrix product.  `make bench-peers'
runs it with a python that has numpy.

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
                (one thread; posenc's sweep runs on POSENC_THREADS
                threads, by default as many as the processors it may use)
  scores        rotate q and k as apply, then q @ k.T (numpy's BLAS)
  apply_fused   the same numpy code as apply: numpy has no fused form, and
                its cos/sin tables are built untimed, so the row compares
                posenc's whole rotation with numpy's rotation alone
  scores_blas   the same numpy code as scores (posenc: fused rotation,
                then dgemm)
  naive_cache   the same code as cache: numpy has no cheaper way to write
                it, so the row compares posenc's direct sin/cos loop with
                numpy's.
theta_i = 10000 ** (-2i/dim) in float64, pos = 0 .. n-1, as in posenc.

Then, unless commands=0, whole commands as a person types them, each
its own process (`posenc -q -e COMMAND', wall time, in the same rounds):
the tables of issue 15's latency goals, the tsv and NPY exports of
`rope apply x=random' at n x dim, and numpy's np.savetxt of an array of
that size (tab-separated, its default format), each after the files of
earlier rounds are removed and the page cache is flushed to disk
(untimed), so that no command waits for another's writeback.  The last lines are the
goals of issue 15, each with the median it is judged by and whether it
is met.
"""
import tempfile
import json
import os
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
    opts = {"n": 131072, "dim": 128, "repeat": 7, "commands": 1}
    for arg in argv[2:]:
        key, sep, val = arg.partition("=")
        if not sep or key not in opts:
            sys.exit("peers.py: unknown argument '%s' (expected n=, dim=, "
                     "repeat=, commands=)" % arg)
        opts[key] = int(val)
    if opts["dim"] % 2 or opts["dim"] < 2 or opts["n"] < 1 \
       or opts["repeat"] < 5:
        sys.exit("peers.py: need n >= 1, an even dim >= 2, repeat >= 5 "
                 "(rounds)")
    return argv[1], opts


def time_once(fn):
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


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
    for name in ("apply", "apply_fused"):
        if name in rows:
            x = pattern(rows[name])
            cc, ss = tables(rows[name])
            ks[name] = ((lambda x=x, cc=cc, ss=ss:
                         x * cc + rotate_half(x) * ss),
                        "x * cos + rotate_half(x) * sin"
                        + (" (tables untimed)" if name != "apply" else ""))
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
    for name in ("scores", "scores_blas"):
        if name in rows:
            n = rows[name]
            q, k = pattern(n), pattern(n)[::-1].copy()
            cs, sn = tables(n)

            def scores(q=q, k=k, cs=cs, sn=sn):
                rq = q * cs + rotate_half(q) * sn
                rk = k * cs + rotate_half(k) * sn
                return rq @ rk.T
            ks[name] = (scores, "rotate q, k as apply; rq @ rk.T")
    return ks


def blas_report():
    """Which BLAS numpy calls, and a recommendation."""
    lines, names = [], []
    try:
        from threadpoolctl import threadpool_info
        for lib in threadpool_info():
            if lib.get("user_api") != "blas":
                continue
            names.append(lib.get("internal_api", "?"))
            lines.append("numpy's BLAS: %s %s, %s threads, kernels for %s "
                         "(%s)" % (lib.get("internal_api"), lib.get("version"),
                                   lib.get("num_threads"),
                                   lib.get("architecture", "?"),
                                   lib.get("filepath")))
    except ImportError:
        import contextlib
        import io
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            np.show_config()
        text = buf.getvalue()
        libs = sorted(set(w for w in ("openblas", "mkl", "blis", "accelerate",
                                      "atlas", "blas")
                          if w in text.lower()))
        names = libs
        lines.append("numpy's BLAS (np.show_config; install threadpoolctl "
                     "for the library actually loaded): %s"
                     % (", ".join(libs) or "unknown"))
    if not lines:
        lines.append("numpy's BLAS: none found by threadpoolctl")
    if "openblas" not in names and "mkl" not in names:
        lines.append("recommendation: compare against numpy with OpenBLAS "
                     "(Debian: apt-get install libopenblas0; pip wheels "
                     "bundle it): the reference BLAS makes numpy's @ slow "
                     "and the scores rows meaningless")
    for var in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE",
                "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
        if os.environ.get(var):
            lines.append("note: %s=%s is set; it changes the kernels or "
                         "threads OpenBLAS uses" % (var, os.environ[var]))
    return lines


def threads_report():
    """posenc's decay runs on threads, numpy's on one: say how many."""
    env = os.environ.get("POSENC_THREADS")
    if env:
        how = "%s (POSENC_THREADS)" % env
    else:
        how = "%d, the processors it may use (POSENC_THREADS=1 for one)" \
            % len(os.sched_getaffinity(0))
    return ("posenc's decay sweeps on threads: %s; numpy's decay code runs "
            "on one" % how)


KERNELS = ("memcpy", "cache", "apply", "apply_complex", "apply_matrix",
           "decay", "scores", "naive_cache")
# the kernels posenc's bench times only when named in also=
ALSO = ("apply_fused", "scores_blas")


def posenc_round(posenc, o):
    """One timed run of every kernel in posenc: {kernel: (seconds, n)}."""
    line = "bench kernels=[%s] also=[%s] n=%d dim=%d repeat=1 format=json" \
        % (", ".join(KERNELS), ", ".join(ALSO), o["n"], o["dim"])
    out = subprocess.run([posenc, "-e", line], check=True,
                         stdout=subprocess.PIPE, text=True).stdout
    ds = json.loads(out)
    col = {name: i for i, name in enumerate(ds["columns"])}
    return {row[col["kernel"]]: (row[col["median_s"]], int(row[col["n"]]))
            for row in ds["rows"]}


def commands(o, tmp):
    """The commands timed as whole processes: [(name, line or None)]."""
    n, d = o["n"], o["dim"]
    pos = "dim=%d pos=0..%d" % (d, n - 1)
    x = os.path.join(tmp, "x")
    return [
        ("rope apply x=random", "rope apply x=random %s" % pos),
        ("learned init", "learned init dim=%d len=%d" % (d, n)),
        ("sinusoidal", "sinusoidal %s" % pos),
        ("scores 2048", "scores rope dim=%d pos=0..2047" % d),
        ("scores 4096", "scores rope dim=%d pos=0..4095" % d),
        ("precision", "precision %s" % pos),
        ("export tsv", "export rope apply x=random %s file=%s.tsv" % (pos, x)),
        ("export npy", "export rope apply x=random %s file=%s.npy" % (pos, x)),
        ("np.savetxt", None),
    ]


def settle(tmp):
    """Untimed, before each timed command: remove the files earlier rounds
    wrote and flush every dirty page to disk.  The exports fsync their
    file, and without this they would also wait for the writeback of
    np.savetxt's (which does not), and replace a file of the round
    before."""
    for f in os.listdir(tmp):
        os.unlink(os.path.join(tmp, f))
    os.sync()


def run_command(posenc, line):
    t0 = time.perf_counter()
    subprocess.run([posenc, "-q", "-e", line], check=True,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def goal_lines(o, ours, theirs, cmd_times):
    """Issue 15's goals: (goal, judged by, met)."""
    def med_ratio(name):
        return statistics.median(t / p for p, t in zip(ours[name],
                                                        theirs[name]))
    out = [("apply at least 5x numpy", "apply_fused median %.3gx"
            % med_ratio("apply_fused"), med_ratio("apply_fused") >= 5),
           ("scores at least 1.5x numpy", "scores_blas median %.3gx"
            % med_ratio("scores_blas"), med_ratio("scores_blas") >= 1.5),
           ("decay at least 20x numpy", "decay median %.3gx"
            % med_ratio("decay"), med_ratio("decay") >= 20)]
    if not cmd_times:
        return out
    med = {k: statistics.median(v) for k, v in cmd_times.items()}
    for name, limit in (("rope apply x=random", 0.150),
                        ("learned init", 0.150), ("sinusoidal", 0.100),
                        ("scores 2048", 0.100), ("precision", 0.100),
                        ("scores 4096", 1.0)):
        out.append(("%s under %g s" % (name, limit),
                    "median %.3f s" % med[name], med[name] < limit))
    tn = statistics.median(t / p for t, p in zip(cmd_times["export tsv"],
                                                  cmd_times["export npy"]))
    st = statistics.median(s / t for s, t in zip(cmd_times["np.savetxt"],
                                                  cmd_times["export tsv"]))
    out.append(("tsv export within 3x the NPY export",
                "median %.3gx" % tn, tn <= 3))
    out.append(("tsv export at least 5x faster than np.savetxt",
                "median %.3gx" % st, st >= 5))
    return out


def main():
    posenc, o = parse_args(sys.argv)
    rounds = o["repeat"]
    names = KERNELS + ALSO
    first = posenc_round(posenc, o)
    rows = {name: first[name][1] for name in names}
    peers = numpy_kernels(rows, o["dim"])
    for name in names:          # numpy's untimed run: page faults, caches
        if name != "naive_cache":
            peers[name][0]()
    ours = {name: [] for name in names}
    theirs = {name: [] for name in names}
    tmp = tempfile.mkdtemp(prefix="posenc-peers-")
    cmds = commands(o, tmp) if o["commands"] else []
    cmd_times = {name: [] for name, _ in cmds}
    big = np.random.default_rng(1).standard_normal((o["n"], o["dim"])) \
        if cmds else None
    try:
        for r in range(rounds):
            got = first if r == 0 else posenc_round(posenc, o)
            for name in names:
                ours[name].append(got[name][0])
            for name in names:
                if name == "naive_cache":   # the same numpy code as cache
                    theirs[name].append(theirs["cache"][-1])
                else:
                    theirs[name].append(time_once(peers[name][0]))
            for name, line in cmds:
                settle(tmp)
                if line is None:
                    path = os.path.join(tmp, "savetxt.tsv")
                    cmd_times[name].append(time_once(
                        lambda: np.savetxt(path, big, delimiter="\t")))
                else:
                    cmd_times[name].append(run_command(posenc, line))
    finally:
        settle(tmp)
        os.rmdir(tmp)

    print("posenc against numpy %s (python %d.%d), n=%d dim=%d, %d rounds "
          "alternating posenc and numpy" % (np.__version__,
                                            sys.version_info[0],
                                            sys.version_info[1], o["n"],
                                            o["dim"], rounds))
    for line in blas_report():
        print(line)
    print(threads_report())
    print("speed-up = numpy's time / posenc's in the same round; min and "
          "median over the rounds")
    print("%-14s %7s %12s %12s %8s %8s  %s" % ("kernel", "n", "posenc_s",
                                               "numpy_s", "min", "median",
                                               "numpy code"))
    for name in names:
        ratios = [t / p if p > 0 else float("nan")
                  for p, t in zip(ours[name], theirs[name])]
        print("%-14s %7d %12.6g %12.6g %7.3gx %7.3gx  %s"
              % (name, rows[name], statistics.median(ours[name]),
                 statistics.median(theirs[name]), min(ratios),
                 statistics.median(ratios), peers[name][1]))
    if cmds:
        print("commands, each its own process (posenc -q -e), wall seconds "
              "over the rounds:")
        print("%-22s %9s %9s %9s  %s" % ("command", "min", "median", "max",
                                         "line"))
        for name, line in cmds:
            t = cmd_times[name]
            print("%-22s %9.3f %9.3f %9.3f  %s"
                  % (name, min(t), statistics.median(t), max(t),
                     line or "np.savetxt(path, x, delimiter='\\t'), "
                     "x: n x dim float64"))
    print("the goals of issue 15%s:"
          % ("" if (o["n"], o["dim"]) == (131072, 128) else
             " (stated at n=131072 dim=128; these figures are at n=%d "
             "dim=%d)" % (o["n"], o["dim"])))
    for goal, by, met in goal_lines(o, ours, theirs, cmd_times):
        print("  %-46s %-26s %s" % (goal, by, "met" if met else "NOT met"))


if __name__ == "__main__":
    main()
