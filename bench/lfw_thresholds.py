#!/usr/bin/python3
"""False-accept and false-reject rates of the enrollment store's scores on LFW,
over ALL pairs of the 7,701 images (not only the 6,000 protocol pairs):
about 29.6 million impostor pairs (different people) resolve false-accept
rates down to 1e-7, which 1:N search needs (a search over N identities falsely
accepts about N times as often as one comparison).

Scores are computed as the store computes them (src/store/template.c,
match.c): each L2-normalised embedding quantized to int8 with the largest
magnitude at 127 (round to nearest even, lrintf), cosine of the int8 vectors.
One image per template (a store may fuse several: real rates are a little
better).

LFW labels one person under two names a few times; such pairs dominate the
impostor tail (0.55 to 0.95 here) and would be counted as false accepts.
ALIASES below merges the ones checked by name (transliterations, full and
short names) or by looking at the photos (the same photo, the same person);
--as-labelled keeps LFW's labels.

Usage: bench/lfw_thresholds.py [--as-labelled] EMBEDDINGS [THRESHOLD ...]
  EMBEDDINGS from `mcuface eval lfw --data ../shared/data/lfw --json --embeddings FILE`
Prints Markdown: FAR / FRR at the given thresholds (default: the store's
0.36 / 0.45 / 0.55), the thresholds reaching FAR 1e-3 ... 1e-7 with the FRR
there, and for 1:N the threshold that keeps a whole search's false-accept
probability at 1% for N identities.
"""
import sys

import numpy as np

# One person, two LFW names (checked by name, or * by looking at the photos).
ALIASES = [
    ("Joseph_Blatter", "Sepp_Blatter"), ("Nan_Wang", "Wang_Nan"), ("John_Gruden", "Jon_Gruden"),
    ("Felipe_De_Borbon", "Prince_Felipe"), ("Hasan_Wirayuda", "Hassan_Wirajuda"),
    ("Chyung_Dai-chul", "Dai_Chul_Chyung"), ("Mireya_Elisa_Moscoso_Rodriguez", "Mireya_Moscoso"),
    ("Odai_Hussein", "Uday_Hussein"), ("Cristina_Fernandez", "Cristina_Kirchner"),
    ("Gabrielle_Rose", "Martha_Bowen"),  # * the same photo
    ("John_Barnett", "John_Burnett"),  # *
    ("Diana_Taurasi", "Shavon_Earp"),  # *
    ("Lane_Bryant", "Roseanne_Barr"),  # *
]


def load(path):
    names, rows = [], []
    with open(path) as f:
        for line in f:
            t = line.split()
            names.append(t[0].split("/")[0])
            rows.append(np.array(t[1:], dtype=np.float64))
    return names, np.stack(rows)


def store_quantize(e):
    """As mf_template_normalize + mf_template_quantize, in float32."""
    u = (e / np.linalg.norm(e, axis=1, keepdims=True)).astype(np.float32)
    scale = np.float32(127.0) / np.abs(u).max(axis=1, keepdims=True)
    return np.clip(np.rint(u * scale), -127, 127).astype(np.float32)


def main():
    args = sys.argv[1:]
    as_labelled = "--as-labelled" in args
    args = [a for a in args if a != "--as-labelled"]
    if not args:
        sys.exit(__doc__)
    names, emb = load(args[0])
    thresholds = [float(t) for t in args[1:]] or [0.36, 0.45, 0.55]
    if not as_labelled:
        alias = {b: a for a, b in ALIASES}
        names = [alias.get(x, x) for x in names]
    q = store_quantize(emb)
    # int8 dot products are integers below 2^24: exact in float32.
    qn = q / np.sqrt((q * q).sum(axis=1, keepdims=True))
    ids = np.unique(names, return_inverse=True)[1]
    n = len(names)
    edges = np.linspace(-1.0, 1.0, 200001)  # 1e-5 bins for the impostor histogram
    impostor_hist = np.zeros(len(edges) - 1, np.int64)
    impostor_top = np.empty(0, np.float32)  # exact values of the highest impostor scores
    genuine = []
    block = 512
    for start in range(0, n, block):
        s = qn[start:start + block] @ qn.T
        rows = np.arange(start, min(start + block, n))
        upper = np.arange(n)[None, :] > rows[:, None]  # each pair once
        same = ids[rows][:, None] == ids[None, :]
        genuine.append(s[upper & same])
        imp = s[upper & ~same]
        impostor_hist += np.histogram(imp, edges)[0]
        impostor_top = np.sort(np.concatenate([impostor_top, imp[imp > 0.2]]))[-50000:]
    genuine = np.sort(np.concatenate(genuine))
    n_imp = int(impostor_hist.sum())
    n_gen = len(genuine)
    cum_imp = np.cumsum(impostor_hist[::-1])[::-1]  # impostor pairs >= each bin's lower edge

    def far(t):
        if impostor_top.size and t >= impostor_top[0]:
            return float((impostor_top >= t).sum()) / n_imp
        return float(cum_imp[np.searchsorted(edges, t, side="left")]) / n_imp

    def frr(t):
        return float(np.searchsorted(genuine, t, side="left")) / n_gen

    def threshold_at_far(target):
        """Lowest threshold at which at most TARGET of the impostor pairs score at or above it."""
        k = int(np.floor(target * n_imp))  # impostor pairs allowed at or above
        if k < impostor_top.size:
            t = float(np.nextafter(impostor_top[-k - 1], np.float32(2)))
        else:
            t = float(edges[np.argmax(cum_imp <= k)])  # 1e-5 bins below the exact top
        return np.ceil(t * 1e4 - 1e-9) / 1e4  # printed with 4 decimals: round up, never admit more

    labels = "LFW's labels" if as_labelled else f"LFW's labels with {len(ALIASES)} aliases merged"
    print(f"{n} images, {len(set(names))} people ({labels}); genuine pairs {n_gen:,}, impostor pairs {n_imp:,}\n")
    print("| threshold | FAR (impostor pairs accepted) | FRR (genuine pairs rejected) |")
    print("|---|---|---|")
    for t in thresholds:
        f, r = far(t), frr(t)
        print(f"| {t:.4f} | {f:.2e} ({round(f * n_imp):,}) | {100 * r:.2f}% ({round(r * n_gen):,}) |")
    def threshold_rows(label, targets):
        """One row per (name, target FAR): the threshold reaching it and the FRR there."""
        print(f"| {label} | threshold | FRR there |")
        print("|---|---|---|")
        for name, target in targets:
            if target * n_imp < 3:
                print(f"| {name} | (fewer than 3 impostor pairs: not measurable) | |")
                continue
            t = threshold_at_far(target)
            print(f"| {name} | {t:.4f} | {100 * frr(t):.2f}% |")

    print()
    threshold_rows("target FAR", [(f"{f:.0e}", f) for f in (1e-3, 1e-4, 1e-5, 1e-6, 1e-7)])
    print("\n1:N search, whole-search false-accept probability 1% (per comparison 0.01 / N):\n")
    threshold_rows("identities N", [(f"{N:,}", 0.01 / N) for N in (10, 100, 1000, 10000)])


if __name__ == "__main__":
    main()
