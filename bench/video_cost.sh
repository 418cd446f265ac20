#!/usr/bin/env bash
# What tracking saves on video: networks run per frame and host CPU ms per
# frame (mf_pipeline_process, this thread's CPU time: steadier than the wall
# clock on a shared machine), steady state (every frame after the first,
# re-checks included), `mcuface video` with tracking (default options:
# re-check every 15 frames) against --no-tracking (every network on every
# face of every frame), and the decisions over the clip: tracked vs
# per-frame (the frames whose name and live decision agree).
#
# Clips, built in a temporary folder at run time (no frame is committed):
#   nuaa    the 33 frames of NUAA dev live subject 0001, session 01
#           (ClientRaw/0001/0001_00_00_01_FRAME.jpg), in FRAME order: a
#           webcam recording subsampled to every ~15th frame, 640x480. The
#           subject is enrolled (db enroll --no-liveness) from a session 02
#           frame, 0001_00_00_02_24.jpg, outside the clip.
#   attack  the 19 frames of NUAA dev attack subject 0001, session 01
#           (ImposterRaw/0001/0001_00_00_01_FRAME.jpg, a printed photo of the
#           same person moved before the webcam), in FRAME order.
#   pan     30 frames of 640x480, a pan and zoom (window 90% -> 60% of the
#           photo, left to right) over multiface/12.jpg (4 faces), nobody
#           enrolled: the cost with several tracks.
# Usage: bench/video_cost.sh [BUILD_DIR]   (MCUFACE_DATA: the data folder, default ../shared/data;
#        PRECISION: float32|int8, default the CLI's)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
data=${MCUFACE_DATA:-../shared/data}
py=${PYTHON:-/usr/bin/python3}
[ -x "$py" ] || py=python3
precision=()
[ -n "${PRECISION:-}" ] && precision=(--precision "$PRECISION")
tmp=$(mktemp -d /tmp/mcuface_video_cost.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

"$py" - "$data" "$tmp" <<'PY'
import glob, os, re, sys
import cv2
data, tmp = sys.argv[1:3]
for clip, kind in (("nuaa", "ClientRaw"), ("attack", "ImposterRaw")):
    folder = os.path.join(data, "nuaa_dev", kind, "0001")
    session = sorted(glob.glob(os.path.join(folder, "0001_00_00_01_*.jpg")),
                     key=lambda p: int(re.search(r"_(\d+)\.jpg$", p).group(1)))
    os.makedirs(os.path.join(tmp, clip))
    for i, p in enumerate(session):
        os.symlink(os.path.abspath(p), os.path.join(tmp, clip, f"{i:04d}.jpg"))
photo = cv2.imread(os.path.join(data, "multiface", "12.jpg"))
h, w = photo.shape[:2]
os.makedirs(os.path.join(tmp, "pan"))
n = 30
for i in range(n):
    t = i / (n - 1)
    cw, ch = int(w * (0.9 - 0.3 * t)), int(h * (0.9 - 0.3 * t))
    x, y = int((w - cw) * t), int((h - ch) * 0.5)
    cv2.imwrite(os.path.join(tmp, "pan", f"{i:04d}.png"), cv2.resize(photo[y:y + ch, x:x + cw], (640, 480),
                                                                     interpolation=cv2.INTER_AREA))
PY

store=(--db "$tmp/g.db" --key-file "$tmp/g.key")
"$build/mcuface" db "${store[@]}" init >/dev/null
"$build/mcuface" db "${store[@]}" enroll --no-liveness "${precision[@]}" 0001 \
  "$data/nuaa_dev/ClientRaw/0001/0001_00_00_02_24.jpg" >/dev/null
for clip in nuaa attack pan; do
  "$build/mcuface" video "$tmp/$clip" "${store[@]}" "${precision[@]}" --json >"$tmp/$clip.tracked.json"
  "$build/mcuface" video "$tmp/$clip" "${store[@]}" "${precision[@]}" --json --no-tracking >"$tmp/$clip.untracked.json"
done

"$py" - "$tmp" <<'PY'
import json, os, sys
tmp = sys.argv[1]

def load(name):
    with open(os.path.join(tmp, name)) as f:
        return [json.loads(line) for line in f]

def steady(frames, key):
    rows = frames[1:]
    return sum(key(f) for f in rows) / len(rows)

def networks(f):
    # each liveness check runs two MiniFASNets
    return f["networks"]["detector"] + 2 * f["networks"]["liveness"] + f["networks"]["recognizer"]

def decisions(frame):
    return sorted((face["live"], face["name"]) for face in frame["faces"])

print("| clip | frames | mode | liveness checks / frame | recognizer runs / frame | networks / frame | host CPU ms / frame |")
print("|---|---|---|---|---|---|---|")
summary = []
for clip in ("nuaa", "attack", "pan"):
    tracked, untracked = load(clip + ".tracked.json"), load(clip + ".untracked.json")
    cost = {}
    for mode, frames in (("tracking", tracked), ("every frame", untracked)):
        lv = steady(frames, lambda f: f["networks"]["liveness"])
        rec = steady(frames, lambda f: f["networks"]["recognizer"])
        nets = steady(frames, networks)
        ms = steady(frames, lambda f: f["cpu_ms"])
        cost[mode] = (nets, ms)
        print(f"| {clip} | {len(frames)} | {mode} | {lv:.2f} | {rec:.2f} | {nets:.2f} | {ms:.1f} |")
    summary.append((clip, cost["every frame"][0] / cost["tracking"][0], cost["every frame"][1] / cost["tracking"][1]))
print()
for clip, nets, ms in summary:
    print(f"{clip}: every-frame / tracking = {nets:.2f}x the networks, {ms:.2f}x the host CPU time per frame (steady state)")
print()
print("Decisions, tracked vs per frame (frames whose sorted (live, name) pairs agree):")
for clip in ("nuaa", "attack", "pan"):
    tracked, untracked = load(clip + ".tracked.json"), load(clip + ".untracked.json")
    agree = sum(decisions(a) == decisions(b) for a, b in zip(tracked, untracked))
    tracks = {face["track"] for f in tracked for face in f["faces"]}
    print(f"{clip}: {agree} of {len(tracked)} frames agree; {len(tracks)} track ids over the clip")
    def show(frames):
        names = {}
        for f in frames:
            for face in f["faces"]:
                key = ("live" if face["live"] else "spoof" if face["live"] is False else "unchecked",
                       face["name"] or "unknown")
                names[key] = names.get(key, 0) + 1
        return ", ".join(f"{n} {live} {name}" for (live, name), n in sorted(names.items()))
    print(f"  tracked:   {show(tracked)} (faces over all frames)")
    print(f"  per frame: {show(untracked)}")
    for a, b in zip(tracked, untracked):
        if decisions(a) != decisions(b):
            print(f"  frame {a['frame']}: tracked {decisions(a)} vs per frame {decisions(b)}")
PY
