#!/usr/bin/env python3
"""Liveness cost per face: single models, the fused mean and cascades, on the
per-frame scores of `mcuface eval nuaa --scores OUT.tsv` (path, label, face
found, fused score, V2 score, V1SE score, box). Independent of the C: this is
the reference rule that src/face/liveness.c's cascade implements.

Rules (docs/models/MINIFASNET.md):
  decision       live when score >= threshold (float32 compare, as in C); a
                 frame without a face has score 0 and is rejected.
  threshold rule the highest threshold with BPCER <= 5%: the
                 (floor(0.05 * live) + 1)-th lowest live score.
  cascade        the first model runs; when its score s lies in the band
                 [lo, hi] (inclusive) the second runs too and the score is the
                 fused mean (the TSV's fused column, bit for bit C's); outside
                 the band the score is s alone. live = score >= threshold.
                 With lo <= threshold <= hi, s < lo is a spoof and s > hi is
                 live. The band [0, 1] is the fused decision.

Band choice: among a grid of bands, the one with the smallest share of faces
that need the second model whose APCER and BPCER are both no worse than the
fused decision's. Chosen on all frames it is optimistic (the same frames
choose and score it), so the script also runs a 2-fold split by subject
(chosen on one half of the subjects, reported on the other, both ways).

Usage: bench/liveness_cascade.py SCORES.tsv [--insn-v2 N --insn-v1se N]
"""
import argparse
import struct
import sys


def f32(x):
    return struct.unpack("f", struct.pack("f", x))[0]


DEFAULT_THRESHOLD = f32(0.27)
V2, V1SE = 0, 1
NAMES = {V2: "V2", V1SE: "V1SE"}


def load(path):
    frames = []
    for line in open(path):
        t = line.rstrip("\n").split("\t")
        live = t[1] == "live"
        found = t[2] == "1"
        subject = t[0].split("/")[1] if "/" in t[0] else t[0]
        if found:
            fused, s0, s1 = float(t[3]), float(t[4]), float(t[5])
        else:
            fused = s0 = s1 = 0.0
        frames.append({"live": live, "found": found, "fused": fused, "m": (s0, s1), "subject": subject})
    return frames


def rates(frames, scores, threshold):
    """APCER, BPCER, ACER of score >= threshold (no face: rejected)."""
    live = [f for f in frames if f["live"]]
    attack = [f for f in frames if not f["live"]]
    accepted = {id(f): f["found"] and s >= threshold for f, s in zip(frames, scores)}
    apcer = sum(accepted[id(f)] for f in attack) / len(attack) if attack else 0.0
    bpcer = sum(not accepted[id(f)] for f in live) / len(live) if live else 0.0
    return apcer, bpcer, (apcer + bpcer) / 2


def threshold_bpcer5(frames, scores):
    live = sorted(s if f["found"] else -1.0 for f, s in zip(frames, scores) if f["live"])
    allowed = int(0.05 * len(live))
    return live[allowed] if len(live) > allowed else 0.0


def cascade_scores(frames, first, lo, hi):
    """Score per frame and whether the second model ran (the C rule)."""
    out, ran = [], []
    for f in frames:
        s = f["m"][first]
        second = f["found"] and lo <= s <= hi
        out.append(f["fused"] if second else s)
        ran.append(second)
    return out, ran


def grid():
    los = [i / 1000 for i in range(0, 271, 5)]
    his = [i / 1000 for i in range(270, 1001, 10)]
    return [(f32(lo), f32(hi)) for lo in los for hi in his]


def choose_band(frames, first, threshold, bands):
    """Smallest share with APCER and BPCER no worse than the fused decision's; ties: the widest band."""
    fa, fb, _ = rates(frames, [f["fused"] for f in frames], threshold)
    best = None
    for lo, hi in bands:
        s, ran = cascade_scores(frames, first, lo, hi)
        a, b, _ = rates(frames, s, threshold)
        if a <= fa and b <= fb:
            key = (sum(ran), -(hi - lo))
            if best is None or key < best[0]:
                best = (key, lo, hi)
    return None if best is None else (best[1], best[2])


def pct(x):
    return f"{100 * x:.2f}%"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("scores")
    ap.add_argument("--threshold", type=float, default=0.27)
    ap.add_argument("--insn-v2", type=float, default=0.0, help="Helium instructions of one V2 run (M55)")
    ap.add_argument("--insn-v1se", type=float, default=0.0, help="Helium instructions of one V1SE run (M55)")
    args = ap.parse_args()
    frames = load(args.scores)
    threshold = f32(args.threshold)
    cost = {V2: args.insn_v2, V1SE: args.insn_v1se}
    n_live = sum(f["live"] for f in frames)
    print(f"{len(frames)} frames ({n_live} live, {len(frames) - n_live} attack), "
          f"{sum(not f['found'] for f in frames)} without a face; fused threshold {args.threshold}")

    def insn(share, first=None):
        if not cost[V2] or not cost[V1SE]:
            return "-"
        if first is None:
            return f"{(cost[V2] + cost[V1SE]) / 1e6:.1f} M"
        return f"{(cost[first] + share * cost[1 - first]) / 1e6:.1f} M"

    def row(name, thr, scores, share, m_insn):
        a, b, c = rates(frames, scores, thr)
        print(f"| {name} | {thr:.4f} | {pct(a)} | {pct(b)} | {pct(c)} | {100 * share:.1f}% | {m_insn} |")

    print("\n| decision | threshold | APCER | BPCER | ACER | second model runs | Helium instructions per face |")
    print("|---|---|---|---|---|---|---|")
    fused = [f["fused"] for f in frames]
    row("fused mean (today)", threshold, fused, 1.0, insn(1.0))
    for m in (V2, V1SE):
        s = [f["m"][m] for f in frames]
        t5 = threshold_bpcer5(frames, s)
        row(f"{NAMES[m]} alone", threshold, s, 0.0, insn(0.0, m) if cost[m] else "-")
        row(f"{NAMES[m]} alone, own BPCER<=5% threshold", t5, s, 0.0, insn(0.0, m) if cost[m] else "-")
    t5 = threshold_bpcer5(frames, fused)
    row("fused mean, own BPCER<=5% threshold", t5, fused, 1.0, insn(1.0))

    print("\nCascades (first model, band [lo, hi]: second model and fused mean inside, first alone outside):")
    print("\n| first | band | APCER | BPCER | ACER | second model runs | Helium instructions per face |")
    print("|---|---|---|---|---|---|---|")
    fixed = [(0.0, 1.0), (0.05, 0.9), (0.1, 0.7), (0.15, 0.5), (0.2, 0.4), (0.25, 0.3)]
    bands = grid()
    for first in (V2, V1SE):
        chosen = choose_band(frames, first, threshold, bands)
        todo = [(f32(lo), f32(hi)) for lo, hi in fixed] + ([chosen] if chosen else [])
        for lo, hi in todo:
            s, ran = cascade_scores(frames, first, lo, hi)
            a, b, c = rates(frames, s, threshold)
            share = sum(ran) / len(frames)
            tag = " (chosen on all frames)" if (lo, hi) == chosen else ""
            print(f"| {NAMES[first]} | [{lo:.3f}, {hi:.3f}]{tag} | {pct(a)} | {pct(b)} | {pct(c)} "
                  f"| {100 * share:.1f}% | {insn(share, first)} |")

    # 2-fold by subject: choose on one half of the subjects, report on the other.
    subjects = sorted({f["subject"] for f in frames})
    folds = [set(subjects[0::2]), set(subjects[1::2])]
    print(f"\n2-fold by subject ({len(subjects)} subjects, alternating): band chosen on one fold, "
          "reported on the other; fused decision on the same fold for comparison")
    print("\n| first | chosen on | band | fold scored | fused APCER / BPCER | cascade APCER | BPCER | ACER "
          "| second model runs | Helium instructions per face |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for first in (V2, V1SE):
        for k in (0, 1):
            pick = [f for f in frames if f["subject"] in folds[k]]
            test = [f for f in frames if f["subject"] in folds[1 - k]]
            chosen = choose_band(pick, first, threshold, bands)
            if not chosen:
                print(f"| {NAMES[first]} | fold {k} | none holds | | | | | | | |")
                continue
            s, ran = cascade_scores(test, first, *chosen)
            a, b, c = rates(test, s, threshold)
            fa, fb, _ = rates(test, [f["fused"] for f in test], threshold)
            share = sum(ran) / len(test)
            print(f"| {NAMES[first]} | fold {k} | [{chosen[0]:.3f}, {chosen[1]:.3f}] | fold {1 - k} ({len(test)}) "
                  f"| {pct(fa)} / {pct(fb)} | {pct(a)} | {pct(b)} | {pct(c)} | {100 * share:.1f}% "
                  f"| {insn(share, first)} |")
    print("\nFixed bands (listed before the data was seen) on each fold of subjects, vs the fused decision there:")
    print("\n| first | band | fold | fused APCER / BPCER | cascade APCER | BPCER | ACER | second model runs |")
    print("|---|---|---|---|---|---|---|---|")
    for first in (V2, V1SE):
        for lo, hi in fixed[1:4]:
            for k in (0, 1):
                test = [f for f in frames if f["subject"] in folds[k]]
                s, ran = cascade_scores(test, first, f32(lo), f32(hi))
                a, b, c = rates(test, s, threshold)
                fa, fb, _ = rates(test, [f["fused"] for f in test], threshold)
                print(f"| {NAMES[first]} | [{lo:.3f}, {hi:.3f}] | fold {k} ({len(test)}) | {pct(fa)} / {pct(fb)} "
                      f"| {pct(a)} | {pct(b)} | {pct(c)} | {100 * sum(ran) / len(test):.1f}% |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
