"""Hostile image files through `mcuface decode FILE out.png`: each must exit 1
with exactly one line on stderr, write nothing, and finish within a second
and 64 MB of memory (max RSS from os.wait4, per child).

The corpus is generated here, from small valid files cv2 writes and from the
byte layouts that broke stb_image 2.27: a JPEG whose DHT declares more than
256 symbols (stb overflowed its tables), a minimal Softimage PIC (stb NULL
dereference), a truncated RLE Radiance HDR (stb looped forever,
CVE-2021-42715), PNM headers with overflowing integers, truncated
PPM/TGA/PSD/JPEG/PNG/BMP (stb decoded them from uninitialised memory), a
JPEG with no scan, decompression bombs (a progressive JPEG, an HDR and a GIF
of a few hundred bytes declaring hundreds of megabytes, a PNG with a huge
IHDR over a small IDAT), a FIFO (must not block) and a directory.

Max RSS survives exec on Linux, so a child of a process holding cv2 and
numpy (about 140 MB) would report their size: the corpus is written by a
child (--generate DIR) and this process, which never imports them (about
10 MB), runs the decoder.
Usage: hostile_images.py BUILD_DIR [--sanitized]
  --sanitized: an ASan/UBSan build; the time limit is 5 s and the memory
  limit is not checked (the sanitizers' shadow memory dominates RSS).
"""
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zlib

MAX_SECONDS = 1.0
MAX_RSS_MB = 64
CONTROL = "control_3000x2000.ppm"
CONTROL_MIN_RSS_MB = 30


def encode(ext, img, params=()):
    import cv2
    ok, enc = cv2.imencode(ext, img, list(params))
    assert ok
    return enc.tobytes()


def marker(data, code, start=2):
    at = data.find(bytes([0xFF, code]), start)
    assert at >= 0, hex(code)
    return at


def with_sof_size(jpeg, sof_code, w, h):
    at = marker(jpeg, sof_code)
    return jpeg[: at + 5] + struct.pack(">HH", h, w) + jpeg[at + 9:]


def png_file(w, h, depth, color_type, idat):
    from image_samples import png_chunk
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, depth, color_type, 0, 0, 0))
            + png_chunk(b"IDAT", idat) + png_chunk(b"IEND", b""))


def corpus():
    import cv2
    import numpy as np
    rng = np.random.default_rng(7)
    photo = np.clip(cv2.resize(rng.integers(0, 256, (12, 16, 3), dtype=np.uint8), (160, 120),
                               interpolation=cv2.INTER_CUBIC).astype(int) + rng.integers(-9, 9, (120, 160, 3)),
                    0, 255).astype(np.uint8)
    jpeg = encode(".jpg", photo, [cv2.IMWRITE_JPEG_QUALITY, 90])
    tiny_prog = encode(".jpg", photo[:16, :16], [cv2.IMWRITE_JPEG_PROGRESSIVE, 1])
    png = encode(".png", photo)
    bmp = encode(".bmp", photo)
    ppm = encode(".ppm", photo)
    cases = {}
    # DHT with 300 symbols (counts 45 of length 15 and 255 of length 16), before the real tables.
    counts = bytes(14) + bytes([45, 255])
    dht = b"\xff\xc4" + struct.pack(">H", 2 + 1 + 16 + 300) + b"\x00" + counts + bytes(range(256)) + bytes(44)
    at = marker(jpeg, 0xC4)
    cases["jpeg_dht_300_symbols.jpg"] = jpeg[:at] + dht + jpeg[at:]
    cases["pic_minimal.pic"] = b"\x53\x80\xf6\x34" + bytes(84) + b"PICT" + struct.pack(">HH", 64, 64) + bytes(8)
    hdr_head = b"#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n\n-Y 64 +X 64\n"
    cases["hdr_truncated_rle.hdr"] = hdr_head + b"\x02\x02\x00\x40" + b"\x80\x01"
    cases["hdr_bomb_61_bytes.hdr"] = (b"#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n\n-Y 16000 +X 16000\n" + bytes(12))[:61]
    cases["pnm_overflowing_width.ppm"] = b"P6\n99999999999999999999999 1\n255\n\x00\x00\x00"
    cases["pnm_int_max_sides.ppm"] = b"P6\n2147483647 2147483647\n255\n" + bytes(30)
    cases["pnm_overflowing_maxval.pgm"] = b"P5 1 1 4294967296000\n\x00"
    cases["pnm_huge_within_int.ppm"] = b"P6 16000 16000 255\n" + bytes(64)
    cases["ppm_truncated.ppm"] = ppm[: len(ppm) // 2]
    tga = struct.pack("<BBBHHBHHHHBB", 0, 0, 2, 0, 0, 0, 0, 0, 4000, 4000, 24, 0)
    cases["tga_truncated.tga"] = tga + bytes(100)
    psd = b"8BPS" + struct.pack(">H6xHIIHH", 1, 3, 4000, 4000, 8, 3) + struct.pack(">III", 0, 0, 0) + b"\x00\x00"
    cases["psd_truncated.psd"] = psd + bytes(50)
    cases["jpeg_truncated.jpg"] = jpeg[: len(jpeg) // 2]
    cases["jpeg_cut_before_eoi.jpg"] = jpeg[:-2]
    cases["png_truncated.png"] = png[: len(png) // 2]
    cases["png_no_iend.png"] = png[:-12]
    cases["bmp_truncated.bmp"] = bmp[: len(bmp) // 2]
    cases["bmp_rle8.bmp"] = bmp[:30] + struct.pack("<I", 1) + bmp[34:]
    cases["jpeg_no_scan.jpg"] = jpeg[: marker(jpeg, 0xDA)] + b"\xff\xd9"
    # A 4096 x 4096 progressive JPEG in a few hundred bytes (stb: 395 MB for 304 bytes).
    cases["jpeg_progressive_bomb.jpg"] = with_sof_size(tiny_prog, 0xC2, 4096, 4096)
    # Within the file-size cap (a megapixel) but with the data of 16 x 16: decoded, then refused as truncated.
    cases["jpeg_progressive_1mp_truncated.jpg"] = with_sof_size(tiny_prog, 0xC2, 1000, 1000)
    cases["jpeg_baseline_bomb.jpg"] = with_sof_size(jpeg, 0xC0, 16000, 16000)
    gif_lzw = bytes([0x02, 0x16, 0x8C, 0x2D, 0x99, 0x87, 0x2A, 0x1C, 0xDC, 0x33, 0xA0, 0x02, 0x75, 0xEC, 0x95, 0xFA,
                     0xA8, 0xDE, 0x60, 0x8C, 0x04, 0x91, 0x4C, 0x01, 0x00])
    cases["gif_bomb.gif"] = (b"GIF89a" + struct.pack("<HHBBB", 10000, 10000, 0x80, 0, 0) + bytes(6)
                             + b"," + struct.pack("<HHHHB", 0, 0, 10000, 10000, 0) + gif_lzw + b";")
    # PNG bombs: 16000 x 16000 (over the pixel limit), 5000 x 5000 (over the file-size cap), and a
    # megapixel within the caps whose zero-filled IDAT stops after a few rows.
    zero_rows = zlib.compress(bytes(3 * 16000 + 1) * 4, 9)
    cases["png_bomb_16000.png"] = png_file(16000, 16000, 8, 2, zero_rows)
    cases["png_bomb_5000.png"] = png_file(5000, 5000, 8, 2, zlib.compress(bytes(3 * 5000 + 1) * 8, 9))
    cases["png_1mp_short_idat.png"] = png_file(1000, 1000, 8, 2, zlib.compress(bytes(3 * 1000 + 1) * 50, 9))
    broken_crc = bytearray(png)
    broken_crc[8 + 8 + 13] ^= 1  # IHDR's CRC
    cases["png_bad_ihdr_crc.png"] = bytes(broken_crc)
    cases["empty.jpg"] = b""
    cases["text.png"] = b"hello\n" * 100
    return cases


def run_one(build, path, out, limit):
    """Returns (exit status, stderr lines, seconds, max RSS in MB)."""
    err_path = out + ".stderr"
    with open(err_path, "wb") as err:
        t0 = time.monotonic()
        p = subprocess.Popen([os.path.join(build, "mcuface"), "decode", path, out], stdout=subprocess.DEVNULL,
                             stderr=err, stdin=subprocess.DEVNULL)
        deadline = t0 + limit * 10
        while True:
            pid, status, usage = os.wait4(p.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                p.kill()
                pid, status, usage = os.wait4(p.pid, 0)
                break
            time.sleep(0.002)
        seconds = time.monotonic() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    lines = [l for l in open(err_path, encoding="utf-8", errors="replace").read().splitlines() if l.strip()]
    return p.returncode, lines, seconds, usage.ru_maxrss / 1024.0


def generate(directory):
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    for name, data in corpus().items():
        with open(os.path.join(directory, name), "wb") as f:
            f.write(data)
    # The control: a valid 3000 x 2000 PPM (18 MB) that must decode and show
    # up as more than CONTROL_MIN_RSS_MB, proving the measurement sees the decoder.
    with open(os.path.join(directory, CONTROL), "wb") as f:
        f.write(b"P6 3000 2000 255\n" + bytes(range(250)) * (3000 * 2000 * 3 // 250))
    return 0


def main():
    if sys.argv[1] == "--generate":
        return generate(sys.argv[2])
    build = sys.argv[1]
    sanitized = "--sanitized" in sys.argv[2:]
    limit = 5.0 if sanitized else MAX_SECONDS
    if not os.path.exists(os.path.join(build, "mcuface")):
        print("SKIP: build/mcuface not built")
        return 77
    tmp = tempfile.mkdtemp()
    failures = 0
    worst_s = worst_mb = 0.0
    try:
        subprocess.run([sys.executable, os.path.abspath(__file__), "--generate", tmp], check=True)
        paths = {name: os.path.join(tmp, name) for name in sorted(os.listdir(tmp)) if name != CONTROL}
        code, lines, seconds, rss = run_one(build, os.path.join(tmp, CONTROL), os.path.join(tmp, "control.png"), 30)
        control_ok = code == 0 and not lines and (sanitized or rss > CONTROL_MIN_RSS_MB)
        print(f"{'ok  ' if control_ok else 'FAIL'} control {CONTROL}: exit {code}, {seconds * 1000:.0f} ms, "
              f"{rss:.1f} MB (must decode, above {CONTROL_MIN_RSS_MB} MB)")
        failures += not control_ok
        paths["fifo.jpg"] = os.path.join(tmp, "fifo.jpg")
        os.mkfifo(paths["fifo.jpg"])
        paths["directory.png"] = os.path.join(tmp, "a_directory.png")
        os.mkdir(paths["directory.png"])
        out = os.path.join(tmp, "out.png")
        for name, path in paths.items():
            if os.path.exists(out):
                os.remove(out)
            code, lines, seconds, rss = run_one(build, path, out, limit)
            size = os.path.getsize(path) if os.path.isfile(path) else 0
            problems = []
            if code != 1:
                problems.append(f"exit {code}")
            if len(lines) != 1 or not lines[0].startswith("mcuface: "):
                problems.append(f"{len(lines)} stderr lines")
            if os.path.exists(out):
                problems.append("wrote out.png")
            if seconds > limit:
                problems.append(f"{seconds:.2f} s")
            if not sanitized and rss > MAX_RSS_MB:
                problems.append(f"{rss:.0f} MB")
            worst_s, worst_mb = max(worst_s, seconds), max(worst_mb, rss)
            print(f"{'FAIL' if problems else 'ok  '} {name} ({size} bytes): {seconds * 1000:.0f} ms, {rss:.1f} MB: "
                  f"{lines[0] if lines else '(no message)'}{'  <- ' + ', '.join(problems) if problems else ''}")
            failures += bool(problems)
        print(f"{len(paths)} hostile files, {failures} failed; slowest {worst_s * 1000:.0f} ms, "
              f"largest max RSS {worst_mb:.1f} MB")
        return 1 if failures else 0
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    sys.exit(main())
