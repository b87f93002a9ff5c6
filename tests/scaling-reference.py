"""Compare posenc's scaled RoPE frequencies with a float64 transcription of
Hugging Face transformers' modeling_rope_utils.py (_compute_*_parameters),
to 1e-12 relative; then `rope apply' under each scaling with a transcription
of apply_rotary_pos_emb (half layout, partial rotary, cos and sin times the
attention factor) and of ggml's normal mode (interleaved pairs).
Usage: scaling-reference.py POSENC"""
import json
import math
import subprocess
import sys

posenc = sys.argv[1]


def inv_freq(base, dim):
    return [1.0 / (base ** (i / dim)) for i in range(0, dim, 2)]


def hf(cfg):
    """The frequencies and attention factor of cfg, as Hugging Face does."""
    t = cfg["type"]
    head = cfg["head_dim"]
    base = cfg["base"]
    prf = cfg.get("rotary", 1.0)
    dim = int(head * prf)
    s = cfg.get("factor", 1.0)
    L = cfg.get("original", 4096)
    af = 1.0
    if t == "proportional":
        angles = int(cfg["proportional"] * head // 2)
        f = [1.0 / (base ** (i / head)) for i in range(0, 2 * angles, 2)]
        f += [0.0] * (head // 2 - angles)
        return [x / s for x in f], af
    if t == "none":
        f = inv_freq(base, dim)
    elif t == "linear":
        f = [x / s for x in inv_freq(base, dim)]
    elif t == "ntk":
        f = inv_freq(base * s ** (dim / (dim - 2)), dim)
    elif t == "dynamic":
        seq = max(cfg.get("len", L), L)
        f = inv_freq(base * ((s * seq / L) - (s - 1)) ** (dim / (dim - 2)), dim)
    elif t == "yarn":
        ms, msa = cfg.get("mscale"), cfg.get("mscale_all_dim")
        def get_mscale(scale, m=1):
            return 1.0 if scale <= 1 else 0.1 * m * math.log(scale) + 1.0
        af = cfg.get("attention_factor")
        if af is None:
            af = get_mscale(s, ms) / get_mscale(s, msa) if ms and msa else get_mscale(s)
        bf, bs = cfg.get("beta_fast") or 32, cfg.get("beta_slow") or 1
        def corr(r):
            return (dim * math.log(L / (r * 2 * math.pi))) / (2 * math.log(base))
        lo, hi = corr(bf), corr(bs)
        if cfg.get("truncate", True):
            lo, hi = math.floor(lo), math.ceil(hi)
        lo, hi = max(lo, 0), min(hi, dim - 1)
        if lo == hi:
            hi += 0.001
        f = []
        for k, i in enumerate(range(0, dim, 2)):
            pos = base ** (i / dim)
            ramp = min(max((k - lo) / (hi - lo), 0), 1)
            w = 1 - ramp
            f.append((1.0 / (s * pos)) * (1 - w) + (1.0 / pos) * w)
    elif t == "longrope":
        af = cfg.get("attention_factor")
        if af is None:
            af = 1.0 if s <= 1 else math.sqrt(1 + math.log(s) / math.log(L))
        ext = cfg["long_factor"] if cfg.get("len", 0) > L else cfg["short_factor"]
        f = [1.0 / (e * base ** (i / dim)) for e, i in zip(ext, range(0, dim, 2))]
    elif t == "llama3":
        lf, hf_ = cfg.get("low_freq_factor", 1.0), cfg.get("high_freq_factor", 4.0)
        lw, hw = L / lf, L / hf_
        f = []
        for x in inv_freq(base, dim):
            wl = 2 * math.pi / x
            y = x / s if wl > lw else x
            if not wl < hw and not wl > lw:
                sm = (L / wl - lf) / (hf_ - lf)
                y = (1 - sm) * y / s + sm * y
            f.append(y)
    f += [0.0] * (head // 2 - len(f))
    return f, af


def words(cfg):
    out = ["dim=%d" % cfg["head_dim"], "base=%r" % cfg["base"]]
    if cfg["type"] == "proportional":
        out += ["scaling=linear", "proportional=%r" % cfg["proportional"]]
    else:
        out.append("scaling=" + cfg["type"])
    for k in ("factor", "original", "len", "beta_fast", "beta_slow",
              "attention_factor", "mscale", "mscale_all_dim", "rotary",
              "low_freq_factor", "high_freq_factor"):
        if k in cfg:
            out.append("%s=%r" % (k, cfg[k]))
    if "truncate" in cfg:
        out.append("truncate=" + ("yes" if cfg["truncate"] else "no"))
    for k in ("short_factor", "long_factor"):
        if k in cfg:
            out.append("%s=[%s]" % (k, ", ".join(repr(x) for x in cfg[k])))
    return " ".join(out)


lists = dict(short_factor=[1.0, 1.5, 2.5, 4.0], long_factor=[1.0, 3.0, 9.5, 27.0])
cases = [
    dict(type="none", head_dim=128, base=10000.0),
    dict(type="linear", head_dim=128, base=10000.0, factor=4.0),
    dict(type="ntk", head_dim=128, base=10000.0, factor=8.0),
    dict(type="dynamic", head_dim=128, base=10000.0, factor=2.0, original=4096, len=10000),
    dict(type="dynamic", head_dim=64, base=500000.0, factor=3.5, original=2048, len=100),
    dict(type="yarn", head_dim=128, base=10000.0, factor=4.0, original=4096),
    dict(type="yarn", head_dim=128, base=1000000.0, factor=4.0, original=32768, truncate=False),
    dict(type="yarn", head_dim=64, base=10000.0, factor=40.0, original=4096,
         mscale=1.0, mscale_all_dim=0.707),
    dict(type="yarn", head_dim=96, base=10000.0, factor=16.0, original=4096,
         beta_fast=16.0, beta_slow=2.0, attention_factor=1.25),
    dict(type="yarn", head_dim=128, base=10000.0, factor=8.0, original=4096, rotary=0.5),
    dict(type="longrope", head_dim=8, base=10000.0, factor=32.0, original=4096, **lists),
    dict(type="longrope", head_dim=8, base=10000.0, factor=32.0, original=4096, len=4097, **lists),
    dict(type="llama3", head_dim=128, base=500000.0, factor=8.0, original=8192),
    dict(type="llama3", head_dim=64, base=10000.0, factor=4.0, original=2048,
         low_freq_factor=2.0, high_freq_factor=8.0),
    dict(type="ntk", head_dim=128, base=10000.0, factor=4.0, rotary=0.25),
    dict(type="proportional", head_dim=16, base=1000000.0, factor=8.0, proportional=0.25),
    dict(type="proportional", head_dim=256, base=10000.0, factor=1.0, proportional=0.5),
]

bad = 0
for cfg in cases:
    line = "rope scaled format=json " + words(cfg)
    res = subprocess.run([posenc, "-e", line], capture_output=True, text=True)
    if res.returncode != 0:
        print("FAIL: %s\n%s" % (line, res.stderr))
        bad += 1
        continue
    ds = json.loads(res.stdout)
    col = ds["columns"].index("theta_scaled")
    got = [row[col] for row in ds["rows"]]
    want, af = hf(cfg)
    worst = 0.0
    for g, w in zip(got, want):
        err = abs(g - w) / abs(w) if w != 0 else abs(g)
        worst = max(worst, err)
    aerr = abs(ds["meta"]["attention_factor"] - af) / af
    ok = len(got) == len(want) and worst <= 1e-12 and aerr <= 1e-12
    print("%s  %-60s worst rel %.2e, attention %.2e" % ("ok  " if ok else "FAIL", line[24:84], worst, aerr))
    bad += not ok


def hf_apply(x, positions, f, af, drot, layout):
    """Hugging Face's apply_rotary_pos_emb (layout half: rotate_half over
    q[..., :rotary_dim], the rest concatenated back) or ggml's normal mode
    (layout interleaved: pairs 2i, 2i+1 of the first n_dims), with cos and
    sin multiplied by the attention factor."""
    rows = []
    h = drot // 2
    for m in positions:
        y = list(x)
        for i in range(h):
            c = math.cos(m * f[i]) * af
            sn = math.sin(m * f[i]) * af
            a, b = (i, i + h) if layout == "half" else (2 * i, 2 * i + 1)
            y[a] = x[a] * c - x[b] * sn
            y[b] = x[b] * c + x[a] * sn
        rows.append(y)
    return rows


positions = [0, 1, 7, 1000, 65536]
for cfg in cases:
    head = cfg["head_dim"]
    f, af = hf(cfg)
    drot = head if cfg["type"] == "proportional" else int(head * cfg.get("rotary", 1.0))
    x = [math.sin(1.7 * j + 0.3) + 0.25 for j in range(head)]
    for layout in ("half", "interleaved"):
        for form in ("fast", "matrix", "complex"):
            line = "rope apply format=json layout=%s form=%s pos=%s x=[%s] %s" % (
                layout, form, "[" + ", ".join(map(str, positions)) + "]",
                ", ".join(repr(v) for v in x), words(cfg))
            res = subprocess.run([posenc, "-e", line], capture_output=True, text=True)
            if res.returncode != 0:
                print("FAIL: %s\n%s" % (line, res.stderr))
                bad += 1
                continue
            ds = json.loads(res.stdout)
            want = hf_apply(x, positions, f, af, drot, layout)
            norm = math.sqrt(sum(v * v for v in x))
            worst = max(abs(g - w) for row, wrow in zip(ds["rows"], want)
                        for g, w in zip(row[1:], wrow)) / norm
            ok = len(ds["rows"]) == len(positions) and worst <= 1e-12
            print("%s  rope apply %-11s %-7s %-40s worst rel %.2e" % (
                "ok  " if ok else "FAIL", layout, form, words(cfg)[:40], worst))
            bad += not ok
sys.exit(1 if bad else 0)
