"""End-to-end test of `mcuface video` and `mcuface identify -o`, the real CLI
on frames made at test time in a temporary directory: ten shifted crops of
one NUAA live webcam frame (a face moving across the picture), the subject
enrolled from a frame of another session.

Checks: one valid JSON object per frame; one track id for the moving face
throughout; the detector on every frame and liveness / the recognizer only
when the track is born and at the re-check frames (every N with --recheck
N, never again with --recheck 0, every frame with --no-tracking); the
--no-tracking output equal to `identify --json` on each frame and the
tracked names equal to identify's; the same clip as an MP4 file (OpenCV's
encoder) decoded frame for frame; -o DIR and -o OUT.mp4; `identify -o` a PNG
that differs from the input inside the face box and above it (the tag) and
equals it far from it; bad input (truncated and damaged video files, a text
file, an empty folder, a folder with a non-image, a frame larger than
planned, a size change that fits) as one line on stderr, never a crash.
Usage: video_cli.py BUILD_DIR [SHARED_DIR]. Exit 77 (skip) without the models
or the data."""
import json
import os
import subprocess
import sys
import tempfile

SUBJECT = "0001"
CLIP_FRAME = "0001_00_00_01_16.jpg"    # session 01: the frame the crops come from
ENROLL_FRAME = "0001_00_00_02_24.jpg"  # session 02: outside the clip
FRAMES = 10
CROP_W, CROP_H = 480, 360
RECHECK = 4

failures = 0


def check(ok, what):
    global failures
    print(("ok   " if ok else "FAIL ") + what)
    failures += not ok


def run(exe, *args, cwd=None):
    env = dict(os.environ)
    env.pop("MCUFACE_KEY_FILE", None)
    return subprocess.run([exe, *args], capture_output=True, text=True, cwd=cwd, env=env)


def ok(exe, *args):
    p = run(exe, *args)
    if p.returncode != 0:
        raise SystemExit(f"FAIL: mcuface {' '.join(args)} exited {p.returncode}: {p.stderr.strip()}")
    return p.stdout


def frames_of(stdout):
    """Every stdout line must be one JSON object; returns them."""
    lines = stdout.strip().splitlines()
    out = []
    for line in lines:
        try:
            out.append(json.loads(line))
        except json.JSONDecodeError:
            check(False, f"a stdout line is not JSON: {line[:120]!r}")
            return []
    return out


def fails(exe, what, *args, expect, frames_before=None):
    """One line on stderr containing EXPECT, exit 1 (not a signal), and
    FRAMES_BEFORE valid JSON frames printed before the error when given."""
    p = run(exe, *args)
    lines = p.stderr.strip().splitlines()
    good = p.returncode == 1 and len(lines) == 1 and expect in lines[0]
    if frames_before is not None:
        good = good and len(frames_of(p.stdout)) == frames_before
    check(good, f"{what}: exit {p.returncode}, stderr {p.stderr.strip()!r}")


def area(box):
    return (box[2] - box[0]) * (box[3] - box[1])


def make_clip(cv2, source, folder):
    """FRAMES crops of SOURCE, shifted 10 px right and 5 px down per frame
    (so the face moves 10 px left and 5 px up), as PNGs (lossless: every
    reader decodes them alike)."""
    img = cv2.imread(source)
    os.makedirs(folder)
    names = []
    for i in range(FRAMES):
        x, y = 10 * i, 5 * i
        name = os.path.join(folder, f"f{i}.png")  # f2 before f10: name order compares numbers
        cv2.imwrite(name, img[y:y + CROP_H, x:x + CROP_W])
        names.append(name)
    return names


def write_mp4(cv2, names, path, fourcc="mp4v"):
    first = cv2.imread(names[0])
    writer = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*fourcc), 10, (first.shape[1], first.shape[0]))
    if not writer.isOpened():
        raise SystemExit(f"FAIL: OpenCV cannot write {path}")
    for n in names:
        writer.write(cv2.imread(n))
    writer.release()


def main_face(frame):
    """The subject: the largest face (the background yields a small false
    detection in a few crops, which gets its own track)."""
    return max(frame["faces"], key=lambda f: area(f["box"])) if frame["faces"] else None


def check_tracked(frames, recheck, label):
    check(len(frames) == FRAMES, f"{label}: {len(frames)} JSON lines for {FRAMES} frames")
    if len(frames) != FRAMES:
        return
    check([f["frame"] for f in frames] == list(range(FRAMES)), f"{label}: frames numbered 0..{FRAMES - 1}")
    subject = [main_face(f) for f in frames]
    check(None not in subject, f"{label}: the subject found in every frame")
    if None in subject:
        return
    tracks = {s["track"] for s in subject}
    check(len(tracks) == 1 and None not in tracks, f"{label}: one track id for the moving face ({tracks})")
    check(all(f["networks"]["detector"] == 1 for f in frames), f"{label}: the detector on every frame")
    # The crops are translations: the face neither grows (x1.5) nor turns,
    # so only the birth and the interval trigger a check (mf_pipeline.h).
    areas = [area(s["box"]) for s in subject]
    check(max(areas) < 1.5 * min(areas), f"{label}: box areas within x1.5 ({min(areas):.0f}..{max(areas):.0f})")
    expected, last = [], None
    for i in range(FRAMES):
        due = last is None or (recheck > 0 and i - last >= recheck)
        expected.append(due)
        if due:
            last = i
    checked = [s["checked"] for s in subject]
    check(checked == expected, f"{label}: the subject checked at frames "
          f"{[i for i, c in enumerate(checked) if c]} == {[i for i, c in enumerate(expected) if c]}")
    # a frame's network runs are its checked faces (all live here: each checked face is embedded)
    per_frame = [sum(face["checked"] for face in f["faces"]) for f in frames]
    check([f["networks"]["liveness"] for f in frames] == per_frame and
          [f["networks"]["recognizer"] for f in frames] ==
          [sum(face["checked"] and face["live"] is not False for face in f["faces"]) for f in frames],
          f"{label}: liveness and recognizer runs per frame == the checked (live) faces")


def png_pixels(cv2, path):
    img = cv2.imread(path, cv2.IMREAD_UNCHANGED)
    if img is None:
        raise SystemExit(f"FAIL: cannot read {path}")
    return img


def check_annotated(cv2, np, source, annotated, box, label):
    a, b = png_pixels(cv2, source), png_pixels(cv2, annotated)
    check(a.shape == b.shape, f"{label}: same size as the input")
    if a.shape != b.shape:
        return
    changed = np.any(a != b, axis=2)
    x1, y1, x2, y2 = (int(v) for v in box)
    inside = changed[max(y1, 0):y2 + 1, max(x1, 0):x2 + 1]
    check(inside.any(), f"{label}: pixels changed inside the face box")
    # the outline runs along the box's edges (2 px inward)
    edge = np.concatenate([changed[y1 + 1, x1:x2 + 1], changed[y2 - 1, x1:x2 + 1],
                           changed[y1:y2 + 1, x1 + 1], changed[y1:y2 + 1, x2 - 1]])
    check(edge.mean() > 0.9, f"{label}: the box outline drawn ({edge.mean():.2f} of its edge pixels changed)")
    tag = changed[max(y1 - 30, 0):max(y1, 0), max(x1, 0):x2 + 1]
    check(tag.size == 0 or tag.any(), f"{label}: the label tag above the box drawn")
    far = np.ones_like(changed)
    far[max(y1 - 60, 0):y2 + 60, max(x1 - 60, 0):x2 + 260] = False
    check(not changed[far].any(), f"{label}: pixels far from the face unchanged ({int(changed[far].sum())} differ)")


def main():
    build = sys.argv[1]
    shared = sys.argv[2] if len(sys.argv) > 2 else os.path.join(build, "..", "..", "shared")
    exe = os.path.abspath(os.path.join(build, "mcuface"))
    nuaa = os.path.join(shared, "data", "nuaa_dev", "ClientRaw", SUBJECT)
    models = [os.path.join(build, "models", n + "_int8.mfm")
              for n in ("retinaface_mnet025", "edgeface_xs_gamma_06", "minifasnet_v2", "minifasnet_v1se")]
    needed = [exe, os.path.join(nuaa, CLIP_FRAME), os.path.join(nuaa, ENROLL_FRAME)] + models
    missing = [p for p in needed if not os.path.exists(p)]
    if missing:
        print("skipped: missing " + ", ".join(missing))
        return 77
    try:
        import cv2
        import numpy as np
    except ImportError:
        print("skipped: needs python3-opencv and numpy")
        return 77
    with tempfile.TemporaryDirectory(prefix="mcuface_video_") as tmp:
        db, key = os.path.join(tmp, "g.db"), os.path.join(tmp, "g.key")
        store = ["--db", db, "--key-file", key]
        ok(exe, "db", *store, "init")
        ok(exe, "db", *store, "enroll", "--no-liveness", "S1", os.path.join(nuaa, ENROLL_FRAME))
        text = os.path.join(tmp, "text.mp4")
        with open(text, "w") as f:
            f.write("not a video\n")
        video_support = "built without video support" not in run(exe, "video", text, *store).stderr
        clip = os.path.join(tmp, "clip")
        names = make_clip(cv2, os.path.join(nuaa, CLIP_FRAME), clip)

        tracked = frames_of(ok(exe, "video", clip, *store, "--json", "--recheck", str(RECHECK)))
        check_tracked(tracked, RECHECK, f"tracked, --recheck {RECHECK}")
        check_tracked(frames_of(ok(exe, "video", clip, *store, "--json", "--recheck", "0")), 0, "tracked, --recheck 0")
        untracked = frames_of(ok(exe, "video", clip, *store, "--json", "--no-tracking"))
        check(len(untracked) == FRAMES and all(f["networks"] == {"detector": 1, "liveness": len(f["faces"]),
                                                                  "recognizer": sum(face["live"] for face in f["faces"])}
                                               and all(face["checked"] for face in f["faces"]) for f in untracked),
              "--no-tracking: every network on every (live) face of every frame")
        check(all(face["track"] is None for f in untracked for face in f["faces"]), "--no-tracking: no track ids")

        # identify on each frame: --no-tracking is the same computation, the tracked names agree
        fields = ("box", "live", "live_score", "id", "name", "score")
        same, names_agree = True, True
        for i, name in enumerate(names):
            faces = json.loads(ok(exe, "identify", *store, name, "--json"))["faces"]
            mine = [{k: face[k] for k in fields} for face in untracked[i]["faces"]] if i < len(untracked) else None
            same = same and mine == faces
            names_agree = names_agree and i < len(tracked) and \
                [face["name"] for face in tracked[i]["faces"]] == [face["name"] for face in faces]
        check(same, "--no-tracking faces == identify --json on every frame (box, live, scores, id, name)")
        check(names_agree, "tracked names == identify's on every frame")
        check(all(main_face(f)["name"] == "S1" for f in tracked if f["faces"]), "the enrolled subject is named")

        p = run(exe, "video", clip, *store)
        check(p.returncode == 0 and p.stdout.count("frame ") == FRAMES and "S1" in p.stdout,
              "the table: one 'frame' line per frame, the name shown")

        # annotated PNG frames
        out_dir = os.path.join(tmp, "annotated")
        ok(exe, "video", clip, *store, "--json", "-o", out_dir)
        written = sorted(os.listdir(out_dir)) if os.path.isdir(out_dir) else []
        check(written == [f"frame_{i:06d}.png" for i in range(FRAMES)], f"-o DIR: {len(written)} PNG frames")
        if written and tracked:
            check_annotated(cv2, np, names[3], os.path.join(out_dir, written[3]), main_face(tracked[3])["box"],
                            "video -o DIR frame 3")

        # identify -o
        annotated = os.path.join(tmp, "identified.png")
        faces = json.loads(ok(exe, "identify", *store, names[0], "--json", "-o", annotated))["faces"]
        check(os.path.exists(annotated) and len(faces) == 1, "identify -o wrote a PNG")
        if os.path.exists(annotated) and len(faces) == 1:
            check_annotated(cv2, np, names[0], annotated, faces[0]["box"], "identify -o")

        # the same clip as a video file
        if video_support:
            mp4 = os.path.join(tmp, "clip.mp4")
            write_mp4(cv2, names, mp4)
            decoded = frames_of(ok(exe, "video", mp4, *store, "--json", "--recheck", str(RECHECK)))
            check_tracked(decoded, RECHECK, "clip.mp4 (OpenCV mp4v)")
            check(all(f["faces"] and main_face(f)["name"] == "S1" for f in decoded), "clip.mp4: the subject named")
            out_mp4 = os.path.join(tmp, "annotated.mp4")
            ok(exe, "video", clip, *store, "-o", out_mp4)
            cap = cv2.VideoCapture(out_mp4)
            count, shape = 0, None
            while True:
                got, frame = cap.read()
                if not got:
                    break
                count, shape = count + 1, frame.shape
            check(count == FRAMES and shape == (CROP_H, CROP_W, 3), f"-o OUT.mp4: {count} frames of {shape}")

            # damaged video files
            data = open(mp4, "rb").read()
            with open(os.path.join(tmp, "truncated.mp4"), "wb") as f:
                f.write(data[:len(data) // 2])  # OpenCV's mp4 has its index at the end: the header is gone
            fails(exe, "a truncated mp4", "video", os.path.join(tmp, "truncated.mp4"), *store, "--json",
                  expect="truncated or damaged", frames_before=0)
            avi = os.path.join(tmp, "clip.avi")
            write_mp4(cv2, names, avi, "MJPG")
            data = open(avi, "rb").read()
            with open(os.path.join(tmp, "cut.avi"), "wb") as f:
                f.write(data[:len(data) * 6 // 10])  # cut in the middle of a frame
            fails(exe, "an avi cut mid-frame", "video", os.path.join(tmp, "cut.avi"), *store, "--json",
                  expect="damaged or truncated video data")
            damaged = bytearray(data)
            for i in range(len(data) // 3, len(data) // 3 + 4000):
                damaged[i] = (i * 7) & 255
            with open(os.path.join(tmp, "damaged.avi"), "wb") as f:
                f.write(damaged)
            fails(exe, "an avi with garbage in a frame", "video", os.path.join(tmp, "damaged.avi"), *store, "--json",
                  expect="damaged or truncated video data")
            fails(exe, "a text file named .mp4", "video", text, *store, expect="not a video file", frames_before=0)
        else:
            print("note: this build has no libav: video files are refused, folders tested")
            fails(exe, "a video file without libav", "video", text, *store, expect="built without video support")
            fails(exe, "-o OUT.mp4 without libav", "video", clip, *store, "-o", os.path.join(tmp, "a.mp4"),
                  expect="built without video support")

        # bad folders and frames
        empty = os.path.join(tmp, "empty")
        os.makedirs(empty)
        fails(exe, "an empty folder", "video", empty, *store, expect="holds no frames")
        mixed = os.path.join(tmp, "mixed")
        os.makedirs(mixed)
        for i in range(2):
            os.link(names[i], os.path.join(mixed, f"f{i}.png"))
        with open(os.path.join(mixed, "f2.txt"), "w") as f:
            f.write("notes\n")
        fails(exe, "a folder with a non-image", "video", mixed, *store, "--json",
              expect="frame 2 (f2.txt): not an image", frames_before=2)
        sizes = os.path.join(tmp, "sizes")
        os.makedirs(sizes)
        img = cv2.imread(names[0])
        cv2.imwrite(os.path.join(sizes, "f0.png"), img)
        cv2.imwrite(os.path.join(sizes, "f1.png"), img)
        cv2.imwrite(os.path.join(sizes, "f2.png"), cv2.resize(img, (CROP_W * 3 // 4, CROP_H * 3 // 4)))
        cv2.imwrite(os.path.join(sizes, "f3.png"), cv2.resize(img, (CROP_W * 5 // 4, CROP_H * 5 // 4)))
        p = run(exe, "video", sizes, *store, "--json")
        got = frames_of(p.stdout)
        lines = p.stderr.strip().splitlines()
        check(p.returncode == 1 and len(lines) == 1 and "frame 3 is 600x450, larger than the 480x360 planned" in lines[0],
              f"a frame larger than planned: exit {p.returncode}, stderr {p.stderr.strip()!r}")
        tracks = [main_face(f)["track"] if f["faces"] else None for f in got]
        check(len(got) == 3 and tracks[0] == tracks[1] and tracks[2] not in (None, tracks[0]),
              f"a smaller frame is processed with a new track (the old ones ended): tracks {tracks}")
        planned = frames_of(ok(exe, "video", sizes, *store, "--json", "--max-size", "600x450"))
        check(len(planned) == 4, "--max-size 600x450 plans for the larger frame")
        fails(exe, "-o with an image name", "video", clip, *store, "-o", os.path.join(tmp, "x.png"),
              expect="give a folder")
    print("video_cli: %s" % ("all passed" if failures == 0 else f"{failures} failed"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
