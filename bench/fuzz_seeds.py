"""Writes the project-made seed corpora of the parser fuzzers (a few KB each,
committed under tests/*/corpus/): small images in every format the loader
reads, JPEGs with EXIF APP1 segments (both byte orders, every orientation,
truncated and looping IFDs), and tiny model files covering each op family
(tools/convert/mfm.py). Deterministic: rerunning rewrites the same bytes.
Usage: python3 bench/fuzz_seeds.py   (from anywhere)"""
import os
import struct
import sys

import cv2
import numpy as np

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
sys.path.insert(0, os.path.join(ROOT, "tools", "convert"))
import mfm  # noqa: E402


def write(directory, name, data):
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, name), "wb") as f:
        f.write(bytes(data))


def pattern(w, h):
    y, x = np.mgrid[0:h, 0:w]
    return np.stack([(x * 19) % 256, (y * 35) % 256, (x * 7 + y * 29) % 256], axis=-1).astype(np.uint8)


def encode(ext, img, params=()):
    ok, data = cv2.imencode(ext, img, list(params))
    assert ok
    return data.tobytes()


def exif_segment(orientation, big_endian=False, extra_entries=0, next_ifd=0):
    bo = ">" if big_endian else "<"
    tiff = (b"MM" if big_endian else b"II") + struct.pack(bo + "HI", 42, 8)
    entries = [(0x0112, 3, 1, orientation << 16 if big_endian else orientation)]
    entries += [(0x010F + i, 2, 4, 0x41424300) for i in range(extra_entries)]
    ifd = struct.pack(bo + "H", len(entries))
    for tag, typ, count, value in entries:
        ifd += struct.pack(bo + "HHII", tag, typ, count, value)
    ifd += struct.pack(bo + "I", next_ifd)
    body = b"Exif\0\0" + tiff + ifd
    return b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body


def images(out):
    img = pattern(16, 12)
    write(out, "tiny.png", encode(".png", img))
    write(out, "tiny_gray.png", encode(".png", cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)))
    write(out, "tiny.jpg", encode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, 80]))
    write(out, "tiny_progressive.jpg", encode(".jpg", img, [cv2.IMWRITE_JPEG_PROGRESSIVE, 1]))
    write(out, "tiny.bmp", encode(".bmp", img))
    write(out, "tiny.ppm", encode(".ppm", img))
    write(out, "tiny.pgm", encode(".pgm", cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)))
    rgba = np.dstack([img, np.full(img.shape[:2], 128, np.uint8)])
    write(out, "tiny_rgba.png", encode(".png", rgba))
    write(out, "one_pixel.png", encode(".png", img[:1, :1]))


def exif(out):
    jpeg = encode(".jpg", pattern(13, 7), [cv2.IMWRITE_JPEG_QUALITY, 90])
    for orientation in (1, 3, 6, 8):
        write(out, f"ii_{orientation}.jpg", jpeg[:2] + exif_segment(orientation) + jpeg[2:])
    for orientation in (2, 5, 7):
        write(out, f"mm_{orientation}.jpg", jpeg[:2] + exif_segment(orientation, big_endian=True) + jpeg[2:])
    write(out, "many_entries.jpg", jpeg[:2] + exif_segment(6, extra_entries=12) + jpeg[2:])
    write(out, "ifd_loop.jpg", jpeg[:2] + exif_segment(6, next_ifd=8) + jpeg[2:])
    seg = exif_segment(6)
    write(out, "truncated.jpg", jpeg[:2] + seg[: len(seg) // 2])
    write(out, "out_of_range.jpg", jpeg[:2] + exif_segment(9) + jpeg[2:])


def models(out):
    rng = np.random.default_rng(7)
    g = mfm.Graph({"kind": "fuzz-seed"})
    x = g.input("x", [1, 0, 0, 3])
    y = g.conv2d(x, rng.standard_normal((4, 3, 3, 3)).astype(np.float32), rng.standard_normal(4).astype(np.float32),
                 stride=2, padding=1, act="relu")
    y = g.pool2d(y, "max", (2, 2), (2, 2))
    g.output(g.mean(y, (1, 2)), "y")
    write(out, "conv_pool.seed", g.save())

    g = mfm.Graph()
    x = g.input("x", [1, 6])
    y = g.fully_connected(x, rng.standard_normal((5, 6)).astype(np.float32), act="none")
    g.output(g.softmax(g.l2_normalize(y)), "y")
    write(out, "fc_softmax.seed", g.save())

    g = mfm.Graph()
    x = g.input("x", [1, 4, 4, 2])
    a = g.activation(x, "relu")
    b = g.transpose(x, (0, 2, 1, 3))
    c = g.concat([a, b], 3)
    r = g.resize(c, "nearest", size=(8, 8))
    s = g.slice(g.reshape(r, (1, 64, 4)), 2, 1, 2)
    g.output(g.add(s, s), "y")
    write(out, "shapes.seed", g.save())

    g = mfm.Graph()
    x = g.input("x", [1, 3, 5])
    ln = g.layer_norm(x, np.ones(5, np.float32), np.zeros(5, np.float32))
    m = g.matmul(ln, ln, transpose_b=True)
    g.output(m, "y")
    write(out, "layernorm_matmul.seed", g.save())

    g = mfm.Graph()
    x = g.input("x", [1, 4, 4, 2])
    q = g.quantize(x, 0.05, 3)
    w = g.const(rng.integers(-127, 128, (3, 1, 1, 2)).astype(np.int8), dtype=mfm.S8,
                channel_scales=np.full(3, 0.01, np.float32), channel_axis=0)
    bias = g.const(np.zeros(3, np.int32), dtype=mfm.S32, channel_scales=np.full(3, 0.0005, np.float32))
    c = g.op(mfm.CONV2D, [q, w, bias], [1, 1, 0, 0, 0, 0, 1, 1, 1, 0, 0], dtype=mfm.S8)
    g.set_quant(c, 0.04, -2)
    g.output(g.dequantize(c), "y")
    write(out, "int8_conv.seed", g.save())


def main():
    images(os.path.join(ROOT, "tests", "vision", "corpus", "image"))
    exif(os.path.join(ROOT, "tests", "vision", "corpus", "exif"))
    models(os.path.join(ROOT, "tests", "nn", "corpus", "model"))
    print("fuzz_seeds: wrote tests/vision/corpus/{image,exif} and tests/nn/corpus/model")


if __name__ == "__main__":
    main()
