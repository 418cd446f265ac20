"""Image files built byte by byte from their specifications, for the decoder
tests: PNG (any colour type and bit depth, Adam7 interlacing, palettes with
tRNS), BMP (24/32/8-bit, bottom-up or top-down) and PNM. OpenCV cannot write
most of these variants, so the tests write them here and let cv2.imread (the
reference) and `mcuface decode` both read the same bytes.
"""
import struct
import zlib

import numpy as np


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def _pack_rows(samples, depth):
    """SAMPLES: (h, w*channels) integers; returns the filter-0 scanlines."""
    out = bytearray()
    for row in samples:
        out.append(0)
        if depth == 16:
            out += row.astype(">u2").tobytes()
        elif depth == 8:
            out += row.astype(np.uint8).tobytes()
        else:
            per_byte = 8 // depth
            padded = np.zeros(-(-len(row) // per_byte) * per_byte, dtype=np.uint8)
            padded[: len(row)] = row
            for i in range(0, len(padded), per_byte):
                byte = 0
                for v in padded[i: i + per_byte]:
                    byte = (byte << depth) | int(v)
                out.append(byte)
    return bytes(out)


ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]


def png(samples, color_type, depth, palette=None, trns=None, interlace=False):
    """SAMPLES: (h, w, channels) array of raw sample values (palette indices
    for colour type 3). Returns the PNG bytes."""
    h, w, c = samples.shape
    raw = b""
    if interlace:
        for x0, y0, dx, dy in ADAM7:
            sub = samples[y0::dy, x0::dx]
            if sub.size:
                raw += _pack_rows(sub.reshape(sub.shape[0], -1), depth)
    else:
        raw = _pack_rows(samples.reshape(h, w * c), depth)
    out = b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, depth, color_type, 0, 0, int(interlace)))
    if palette is not None:
        out += png_chunk(b"PLTE", bytes(np.asarray(palette, dtype=np.uint8).reshape(-1)))
    if trns is not None:
        out += png_chunk(b"tRNS", trns)
    return out + png_chunk(b"IDAT", zlib.compress(raw, 9)) + png_chunk(b"IEND", b"")


def bmp(rgb, bpp=24, top_down=False, palette=None, indices=None):
    """RGB: (h, w, 3) uint8, or for bpp 8 a PALETTE (n, 3) RGB and INDICES (h, w)."""
    h, w = (indices.shape if bpp == 8 else rgb.shape[:2])
    row_bytes = (w * bpp + 31) // 32 * 4
    pal = b""
    if bpp == 8:
        pal = b"".join(bytes([b, g, r, 0]) for r, g, b in np.asarray(palette, dtype=np.uint8))
    offset = 14 + 40 + len(pal)
    rows = []
    for y in range(h):
        if bpp == 8:
            line = indices[y].astype(np.uint8).tobytes()
        else:
            bgr = rgb[y][:, ::-1]
            if bpp == 32:
                bgr = np.concatenate([bgr, np.full((w, 1), 0x80, np.uint8)], axis=1)
            line = bgr.astype(np.uint8).tobytes()
        rows.append(line + b"\0" * (row_bytes - len(line)))
    if not top_down:
        rows.reverse()
    pixels = b"".join(rows)
    info = struct.pack("<IiiHHIIiiII", 40, w, -h if top_down else h, 1, bpp, 0, len(pixels), 2835, 2835,
                       len(palette) if bpp == 8 else 0, 0)
    head = b"BM" + struct.pack("<IHHI", offset + len(pixels), 0, 0, offset)
    return head + info + pal + pixels


def pnm(pixels, maxval=255):
    """PIXELS: (h, w) gray (P5) or (h, w, 3) RGB (P6), uint8."""
    magic = b"P5" if pixels.ndim == 2 else b"P6"
    h, w = pixels.shape[:2]
    return magic + b"\n# made by image_samples.py\n%d %d\n%d\n" % (w, h, maxval) + pixels.astype(np.uint8).tobytes()
