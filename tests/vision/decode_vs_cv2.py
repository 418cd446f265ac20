"""`mcuface decode` against cv2.imread(IMREAD_COLOR), the reference the
models were trained and evaluated with.

JPEGs: the photos in ../shared/data/multiface, an LFW sample and the
antispoof phone photos (EXIF rotations), plus JPEGs cv2 writes (gray,
progressive, odd sizes, restart markers). PNGs of every colour type and bit
depth, palettes with tRNS and Adam7 interlacing; BMPs bottom-up and top-down;
PPM/PGM. Both decoders use Debian's libjpeg-turbo and libpng with the same
settings, so every image must be equal bit for bit; the max difference is
printed. The photos are skipped (not failed) when ../shared is absent.
Usage: decode_vs_cv2.py BUILD_DIR SHARED_DIR
"""
import glob
import os
import shutil
import subprocess
import sys
import tempfile

import cv2
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import image_samples  # noqa: E402

LFW_SAMPLE = 150


def decode(build, path, tmp):
    out = os.path.join(tmp, "decoded.png")
    if os.path.exists(out):
        os.remove(out)
    r = subprocess.run([os.path.join(build, "mcuface"), "decode", path, out], capture_output=True, text=True)
    if r.returncode != 0:
        return None, r.stderr.strip()
    return cv2.imread(out, cv2.IMREAD_COLOR), ""


def synthetic_cases(rng):
    """(name, bytes) of files written by cv2 or by image_samples."""
    h, w = 37, 53
    yy, xx = np.mgrid[0:h, 0:w]
    smooth = np.stack([xx * 4, yy * 6, (xx * 3 + yy * 2) % 256], axis=2).astype(np.uint8)
    noisy = np.clip(smooth.astype(int) + rng.integers(-40, 40, smooth.shape), 0, 255).astype(np.uint8)
    gray = noisy[:, :, 1].copy()
    cases = []
    for name, img, params in [
        ("color_q90.jpg", noisy, [cv2.IMWRITE_JPEG_QUALITY, 90]),
        ("color_q100.jpg", noisy, [cv2.IMWRITE_JPEG_QUALITY, 100]),
        ("color_q20.jpg", noisy, [cv2.IMWRITE_JPEG_QUALITY, 20]),
        ("gray.jpg", gray, [cv2.IMWRITE_JPEG_QUALITY, 85]),
        ("progressive.jpg", noisy, [cv2.IMWRITE_JPEG_PROGRESSIVE, 1]),
        ("optimized.jpg", noisy, [cv2.IMWRITE_JPEG_OPTIMIZE, 1]),
        ("restarts.jpg", noisy, [cv2.IMWRITE_JPEG_RST_INTERVAL, 2]),
        ("gray_progressive.jpg", gray, [cv2.IMWRITE_JPEG_PROGRESSIVE, 1]),
        ("color.png", noisy, []),
        ("gray.png", gray, []),
        ("color16.png", (noisy.astype(np.uint16) * 257 + 3), []),
        ("gray16.png", (gray.astype(np.uint16) * 251), []),
        ("rgba.png", np.dstack([noisy, gray]), []),
        ("color.ppm", noisy, []),
        ("gray.pgm", gray, []),
    ]:
        ok, enc = cv2.imencode(os.path.splitext(name)[1], img, params)
        assert ok, name
        cases.append((name, enc.tobytes()))
    # PNG variants cv2 cannot write.
    s = image_samples
    rgb = noisy[:, :, ::-1]
    g16 = (gray.astype(np.uint16) * 257 + 11)[:, :, None]
    cases += [
        ("gray_alpha8.png", s.png(np.dstack([gray, 255 - gray]), 4, 8)),
        ("gray_alpha16.png", s.png(np.dstack([g16[:, :, 0], g16[:, :, 0] ^ 0xFFFF]), 4, 16)),
        ("rgba16.png", s.png(np.dstack([rgb.astype(np.uint16) * 257, g16[:, :, 0]]), 6, 16)),
        ("gray_trns.png", s.png(gray[:, :, None], 0, 8, trns=b"\x00\x40")),
        ("interlaced_rgb.png", s.png(rgb, 2, 8, interlace=True)),
        ("interlaced_gray16.png", s.png(g16, 0, 16, interlace=True)),
    ]
    for depth in (1, 2, 4):
        levels = gray[:, :, None] >> (8 - depth)
        cases.append((f"gray{depth}.png", s.png(levels, 0, depth)))
        cases.append((f"gray{depth}_interlaced.png", s.png(levels, 0, depth, interlace=True)))
    for depth in (1, 2, 4, 8):
        n = 1 << depth
        palette = rng.integers(0, 256, (n, 3))
        index = (gray[:, :, None].astype(int) * n // 256).astype(np.uint8)
        cases.append((f"palette{depth}.png", s.png(index, 3, depth, palette=palette)))
        alpha = bytes(rng.integers(0, 256, n // 2 + 1).astype(np.uint8))
        cases.append((f"palette{depth}_trns.png", s.png(index, 3, depth, palette=palette, trns=alpha)))
    cases.append(("palette4_interlaced.png", s.png((gray[:, :, None] >> 4), 3, 4, palette=rng.integers(0, 256, (16, 3)),
                                                   interlace=True)))
    # BMP and PNM written by hand.
    palette = rng.integers(0, 256, (200, 3))
    index = (gray.astype(int) * 200 // 256).astype(np.uint8)
    for top_down in (False, True):
        tag = "top_down" if top_down else "bottom_up"
        cases.append((f"bmp24_{tag}.bmp", s.bmp(rgb, 24, top_down)))
        cases.append((f"bmp32_{tag}.bmp", s.bmp(rgb, 32, top_down)))
        cases.append((f"bmp8_{tag}.bmp", s.bmp(None, 8, top_down, palette=palette, indices=index)))
    cases.append(("p6_comment.ppm", s.pnm(rgb)))
    cases.append(("p5_comment.pgm", s.pnm(gray)))
    return cases


def main():
    build, shared = sys.argv[1], sys.argv[2]
    if not os.path.exists(os.path.join(build, "mcuface")):
        print("SKIP: build/mcuface not built")
        return 77
    rng = np.random.default_rng(14)
    tmp = tempfile.mkdtemp()
    failures = 0
    worst_all = 0
    try:
        files = []
        for name, data in synthetic_cases(rng):
            path = os.path.join(tmp, name)
            with open(path, "wb") as f:
                f.write(data)
            files.append(path)
        photos = sorted(glob.glob(os.path.join(shared, "data", "multiface", "*.jpg")))
        lfw = sorted(glob.glob(os.path.join(shared, "data", "lfw", "lfw-deepfunneled", "*", "*.jpg")))
        if lfw:
            photos += lfw[:: max(1, len(lfw) // LFW_SAMPLE)][:LFW_SAMPLE]
        photos += sorted(glob.glob(os.path.join(shared, "data", "antispoof_samples", "*.jpg")))
        if not photos:
            print("note: no photos under", shared, "(synthetic files only)")
        for path in files + photos:
            ref = cv2.imread(path, cv2.IMREAD_COLOR)
            got, err = decode(build, path, tmp)
            name = os.path.relpath(path, shared) if path in photos else os.path.basename(path)
            if ref is None:
                print(f"FAIL {name}: cv2.imread cannot read it")
                failures += 1
                continue
            if got is None or got.shape != ref.shape:
                print(f"FAIL {name}: cv2 {ref.shape}, mcuface {None if got is None else got.shape} {err}")
                failures += 1
                continue
            diff = int(np.abs(got.astype(int) - ref.astype(int)).max())
            worst_all = max(worst_all, diff)
            if diff:
                print(f"FAIL {name}: max |diff| {diff}, {(got != ref).any(axis=2).sum()} pixels differ")
                failures += 1
            elif path in files:
                print(f"ok   {name} {ref.shape[1]}x{ref.shape[0]}")
        print(f"{len(files)} synthetic files, {len(photos)} photos ({min(len(lfw), LFW_SAMPLE)} from LFW); "
              f"max |diff| against cv2.imread: {worst_all}; {failures} failed")
        return 1 if failures else 0
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    sys.exit(main())
