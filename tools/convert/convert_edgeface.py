"""EdgeFace (EdgeNeXt backbone, 512-d head) -> mcuface model file.

NHWC graph built from the timm-named parameter dict (edgeface_weights.py),
following the forward in edgenext.py op for op, with three exact
rewrites: each layer scale (gamma) is folded into the linear before it, the
Fourier positional encoding (input size fixed at 112) becomes a constant
added to the tokens, and tokens are the NHWC pixels themselves (a reshape,
no copy). Input [1,112,112,3] RGB, (p - 127.5) / 127.5; output [1,512] raw.
"""
import math

import numpy as np
import torch

import mfm
from edgenext import CONFIGS, LN_EPS, fourier_features
from edgeface_weights import load_edgeface_q, load_edgeface_tflite

INPUT = 112


class Builder:
    def __init__(self, cfg, params, meta):
        self.cfg, self.p = cfg, params
        self.g = mfm.Graph(meta=meta)

    def linear(self, x, name, act="none", scale=None):
        """nn.Linear or LoRaLin at NAME; SCALE (a per-output vector) folded in."""
        p, g = self.p, self.g
        if name + ".weight" in p:
            w, b = p[name + ".weight"], p.get(name + ".bias")
            if scale is not None:
                w, b = w * scale[:, None], (b * scale if b is not None else None)
            return g.fully_connected(x, w, b, act=act)
        y = g.fully_connected(x, p[name + ".linear1.weight"])
        w, b = p[name + ".linear2.weight"], p.get(name + ".linear2.bias")
        if scale is not None:
            w, b = w * scale[:, None], (b * scale if b is not None else None)
        return g.fully_connected(y, w, b, act=act)

    def layer_norm(self, x, name):
        return self.g.layer_norm(x, self.p[name + ".weight"], self.p[name + ".bias"], eps=LN_EPS)

    def dwconv(self, x, name):
        w = self.p[name + ".weight"]
        return self.g.conv2d(x, w, self.p[name + ".bias"], padding=w.shape[2] // 2, groups=w.shape[0])

    def mlp(self, x, prefix, gamma):
        y = self.linear(self.layer_norm(x, prefix + "norm"), prefix + "mlp.fc1", act="gelu")
        return self.linear(y, prefix + "mlp.fc2", scale=gamma)

    def conv_block(self, x, prefix):
        y = self.dwconv(x, prefix + "conv_dw")
        return self.g.add(x, self.mlp(y, prefix, self.p[prefix + "gamma"]))

    def xca(self, x, prefix, tokens, dim, scale):
        g, heads = self.g, self.cfg.heads
        d = dim // heads
        qkv = self.linear(x, prefix + "qkv")                           # [1, T, 3C]
        qkv = g.reshape(qkv, [tokens, 3, heads, d])
        qkv = g.transpose(qkv, [1, 2, 3, 0])                           # [3, h, d, T]
        q = g.l2_normalize(g.slice(qkv, 0, 0, 1))                      # [1, h, d, T]
        k = g.l2_normalize(g.slice(qkv, 0, 1, 1))
        v = g.slice(qkv, 0, 2, 1)
        attn = g.matmul(q, k, transpose_b=True)                        # [1, h, d, d]
        attn = g.mul(attn, g.const(self.p[prefix + "temperature"].reshape(heads, 1, 1)))
        out = g.matmul(g.softmax(attn), v)                             # [1, h, d, T]
        out = g.reshape(g.transpose(out, [0, 3, 1, 2]), [1, tokens, dim])
        return self.linear(out, prefix + "proj", scale=scale)

    def sdta(self, x, prefix, size, dim, scales, use_pos):
        g = self.g
        n_convs = max(1, scales - 1)
        width = math.ceil(dim / (n_convs + 1))
        bounds = [(i * width, min(width, dim - i * width)) for i in range(n_convs + 1)]
        chunks = [g.slice(x, 3, b, s) for b, s in bounds]
        outs, sp = [], None
        for i in range(n_convs):
            sp = chunks[0] if i == 0 else g.add(sp, chunks[i])
            sp = self.dwconv(sp, f"{prefix}convs.{i}")
            outs.append(sp)
        outs.append(chunks[-1])
        y = g.concat(outs, axis=3)
        tokens = size * size
        t = g.reshape(y, [1, tokens, dim])
        if use_pos:
            w = torch.from_numpy(self.p[prefix + "pos_embd.token_projection.weight"])
            b = torch.from_numpy(self.p[prefix + "pos_embd.token_projection.bias"])
            pos = torch.nn.functional.conv2d(fourier_features(size, size), w, b)  # [1, C, H, W]
            t = g.add(t, g.const(pos[0].permute(1, 2, 0).reshape(1, tokens, dim).numpy()))
        t = g.add(t, self.xca(self.layer_norm(t, prefix + "norm_xca"), prefix + "xca.", tokens, dim,
                              self.p[prefix + "gamma_xca"]))
        t = self.mlp(t, prefix, self.p[prefix + "gamma"])
        return g.add(x, g.reshape(t, [1, size, size, dim]))

    def build(self):
        cfg, p, g = self.cfg, self.p, self.g
        x = g.input("face", [1, INPUT, INPUT, 3])
        x = g.conv2d(x, p["stem.0.weight"], p["stem.0.bias"], stride=4)
        x = self.layer_norm(x, "stem.1")
        size = INPUT // 4
        for i, dim in enumerate(cfg.dims):
            if i > 0:
                x = self.layer_norm(x, f"stages.{i}.downsample.0")
                x = g.conv2d(x, p[f"stages.{i}.downsample.1.weight"], p[f"stages.{i}.downsample.1.bias"], stride=2)
                size //= 2
            for b in range(cfg.depths[i]):
                prefix = f"stages.{i}.blocks.{b}."
                if b >= cfg.depths[i] - cfg.sdta_blocks[i]:
                    x = self.sdta(x, prefix, size, dim, cfg.split_scales[i], cfg.use_pos_emb[i])
                else:
                    x = self.conv_block(x, prefix)
        x = g.mean(x, [1, 2])
        x = self.layer_norm(x, "head.norm")
        x = g.reshape(x, [1, cfg.dims[-1]])
        g.output(self.linear(x, "head.fc"), "embedding")
        return g


def meta(arch, threshold):
    return {"kind": "recognizer", "arch": arch, "input_order": "rgb", "input_mean": "127.5,127.5,127.5",
            "input_scale": "0.0078431373,0.0078431373,0.0078431373", "verify_threshold": f"{threshold:.4f}"}


def convert_params(cfg_name, params, dst_path, threshold):
    Builder(CONFIGS[cfg_name], params, meta("edgeface_" + cfg_name, threshold)).build().save(dst_path)


# Verification thresholds: the LFW 10-fold protocol's chosen threshold
# (mcuface eval lfw, README), the cosine above which two faces are the same.
def convert_xs_gamma_06(src_path, dst_path, threshold=0.3185):
    convert_params("xs_gamma_06", load_edgeface_tflite(src_path), dst_path, threshold)


def convert_xs_q(src_path, dst_path, threshold=0.2351):
    convert_params("xs", load_edgeface_q(src_path), dst_path, threshold)


def convert_xxs_q(src_path, dst_path, threshold=0.2443):
    convert_params("xxs", load_edgeface_q(src_path), dst_path, threshold)


# int8 (docs/INT8.md "EdgeFace") ---------------------------------------------
# Aligned faces for calibration: the largest face of each photo, detected and
# aligned by the C pipeline itself (mcuface align), so calibration sees exactly
# what the recognizer sees. Sources allowed for calibration only
# (../shared/docs/DATA.md): multiface photos, WIDER dev images, NUAA dev live
# frames; never LFW.
NUAA_LIVE_STEP = 4


def calibration_photos(data_dir):
    import glob
    import os
    paths = sorted(glob.glob(os.path.join(data_dir, "multiface", "*.jpg")))
    paths += sorted(glob.glob(os.path.join(data_dir, "widerface_dev", "images", "**", "*.jpg"), recursive=True))
    with open(os.path.join(data_dir, "nuaa_dev", "labels.txt")) as f:
        live = [line.split()[0] for line in f if line.split()[1:] == ["live"]]
    paths += [os.path.join(data_dir, "nuaa_dev", p) for p in live[::NUAA_LIVE_STEP]]
    assert not any("lfw" in p.lower() for p in paths)
    return paths


def calibration_faces(data_dir, mcuface, cache_dir):
    """Paths of the aligned 112x112 PNGs (made once into CACHE_DIR; photos
    without a detected face are skipped)."""
    import os
    import subprocess
    os.makedirs(cache_dir, exist_ok=True)
    faces = []
    for i, photo in enumerate(calibration_photos(data_dir)):
        out = os.path.join(cache_dir, f"{i:04d}.png")
        if not os.path.exists(out):
            # the float32 detector, whatever the CLI default: calibration must not depend on it
            subprocess.run([mcuface, "align", photo, out, "--precision", "float32"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if os.path.exists(out):
            faces.append(out)
    return faces


def preprocess_face(path):
    """As src/face/embed.c for these models: RGB, (p - 127.5) / 127.5, NHWC."""
    import cv2
    img = cv2.imread(path, cv2.IMREAD_COLOR)[:, :, ::-1].astype(np.float32)
    assert img.shape == (INPUT, INPUT, 3), path
    return ((img - 127.5) / 127.5)[None]


# The int8 thresholds are their own LFW 10-fold choices (docs/INT8.md "EdgeFace").
# Fused activations computed in float after the int8 linear instead of an int8
# lookup table (measured choice, docs/INT8.md "EdgeFace").
FLOAT_ACTS = ()


def convert_int8_params(cfg_name, params, dst_path, threshold, data_dir=None, mcuface=None, percentile=99.99,
                        keep_float=None, float_acts=None):
    import os
    import quantize
    here = os.path.dirname(os.path.abspath(__file__))
    data_dir = data_dir or os.environ.get("MCUFACE_DATA") or os.path.join(here, "..", "..", "..", "shared", "data")
    out_dir = os.path.dirname(os.path.abspath(dst_path))
    mcuface = mcuface or os.environ.get("MCUFACE_BIN") or os.path.join(out_dir, "..", "mcuface")
    faces = calibration_faces(data_dir, mcuface, os.path.join(out_dir, "..", "calibration_faces"))
    import equalize
    g = Builder(CONFIGS[cfg_name], params, meta("edgeface_" + cfg_name, threshold)).build()
    inputs = [preprocess_face(p) for p in faces]
    g, rescales = equalize.equalize(g, inputs[::EQUALIZE_STEP], float_consumer_types=(mfm.BINARY, mfm.LAYER_NORM))
    if keep_float is None:
        keep_float = float_ops(g)
    q = quantize.quantize_graph(g, inputs,
                                meta={"precision": "int8", "calibration": f"{len(faces)} aligned faces: multiface, "
                                      "widerface_dev, nuaa_dev live"},
                                input_range=(-1.0, 1.0), percentile=percentile, keep_float=keep_float,
                                float_acts=FLOAT_ACTS if float_acts is None else float_acts)
    q.save(dst_path)
    return q


# every EQUALIZE_STEP-th calibration face gives the per-channel statistics
EQUALIZE_STEP = 4


def float_ops(g):
    """Ops kept in float on top of those without an int8 kernel: every binary
    op (the residual adds, whose sums feed layer norms that magnify their
    rounding in small channels, and equalize's rescaling multiplies)."""
    return {i for i, op in enumerate(g.ops) if op[0] == mfm.BINARY}


def convert_xs_gamma_06_int8(src_path, dst_path, threshold=0.3300, **kw):
    return convert_int8_params("xs_gamma_06", load_edgeface_tflite(src_path), dst_path, threshold, **kw)


def convert_xs_q_int8(src_path, dst_path, threshold=0.2351, **kw):
    return convert_int8_params("xs", load_edgeface_q(src_path), dst_path, threshold, **kw)


def convert_xxs_q_int8(src_path, dst_path, threshold=0.2346, **kw):
    return convert_int8_params("xxs", load_edgeface_q(src_path), dst_path, threshold, **kw)
