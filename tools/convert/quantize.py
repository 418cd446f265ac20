"""Post-training int8 quantization of an mcuface float graph (mfm.Graph).

  qgraph = quantize_graph(float_graph, calibration_inputs)

1. Calibration: the float graph runs in torch (`run_float`) on each input
   (NHWC float32, already preprocessed as the model expects) and records every
   activation's min and max (and, for ops with a fused activation that int8
   cannot fuse, the pre-activation range).
2. Rewrite, TFLite's int8 scheme (docs/INT8.md):
   - weights int8, symmetric, one scale per output channel (max |w| / 127);
   - biases int32 at input scale x weight scale;
   - activations int8, one asymmetric scale / zero point per tensor from the
     calibrated range (widened to include 0);
   - tensors joined by byte-moving ops (concat, reshape, nearest resize,
     pooling) share one range and quantization (the runtime requires it);
   - fused relu / relu6 become clamps; other fused activations (leaky relu)
     become a separate int8 ACTIVATION op (a lookup table in the runtime);
   - PReLU keeps its float32 slopes (the runtime requantizes each channel's
     negative branch with its own multiplier); MEAN gets its own range;
   - ops without an int8 kernel (softmax, layer norm, l2 normalize, matmul,
     transpose, slice) and ops whose input is float run in float islands (plan_domains): a
     DEQUANTIZE before, a QUANTIZE after, adjacent float ops share them;
   - every graph output is float (after a DEQUANTIZE);
   - the graph input stays float32 and is quantized by a QUANTIZE op (or is
     int8 itself with int8_input).
The runtime computes the requantization multipliers from these scales when
planning (src/nn/prepare.c), so nothing derived is stored twice.
"""
import numpy as np
import torch
import torch.nn.functional as F

import mfm

ACT_NAME = {v: k for k, v in mfm.ACT.items()}
CLAMP_ACTS = (mfm.ACT["none"], mfm.ACT["relu"], mfm.ACT["relu6"])
MOVE_OPS = (mfm.CONCAT, mfm.RESHAPE, mfm.RESIZE, mfm.POOL2D)


def _bits_f32(bits):
    return float(np.array([bits], np.int32).view(np.float32)[0])


def _act(x, act, alpha):
    name = ACT_NAME[act]
    if name == "none":
        return x
    if name == "relu":
        return F.relu(x)
    if name == "relu6":
        return torch.clamp(x, 0, 6)
    if name == "leaky_relu":
        return F.leaky_relu(x, alpha)
    if name == "sigmoid":
        return torch.sigmoid(x)
    if name == "hard_swish":
        return F.hardswish(x)
    if name == "tanh":
        return torch.tanh(x)
    if name == "gelu":
        return F.gelu(x)
    raise NotImplementedError(name)


def run_float(g, x, observe=None):
    """Runs float graph G on input X (NHWC) in torch; calls observe(tensor, array,
    pre_activation) for every op output. Returns the values of every tensor."""
    vals = {g.inputs[0]: torch.from_numpy(np.asarray(x, np.float32))}

    def const(t):
        return torch.from_numpy(g.tensors[t]["data"])

    for type_, ins, outs, p in g.ops:
        x0 = vals.get(ins[0]) if ins[0] in vals else const(ins[0])
        pre = None
        if type_ in (mfm.CONV2D, mfm.DEPTHWISE_CONV2D):
            w = const(ins[1])
            b = const(ins[2]) if len(ins) > 2 and ins[2] >= 0 else None
            xin = F.pad(x0.permute(0, 3, 1, 2), (p[3], p[5], p[2], p[4]))
            if type_ == mfm.CONV2D:
                wt = w.permute(0, 3, 1, 2)
                groups = p[8]
            else:
                wt = w.permute(3, 0, 1, 2)  # [C*m, 1, KH, KW]
                groups = x0.shape[3]
            y = F.conv2d(xin, wt, b, stride=(p[0], p[1]), dilation=(p[6], p[7]), groups=groups).permute(0, 2, 3, 1)
            act, alpha = p[9], _bits_f32(p[10])
            pre = y
            y = _act(y, act, alpha)
        elif type_ == mfm.FULLY_CONNECTED:
            b = const(ins[2]) if len(ins) > 2 and ins[2] >= 0 else None
            pre = F.linear(x0, const(ins[1]), b)
            y = _act(pre, p[0], _bits_f32(p[1]))
        elif type_ == mfm.BINARY:
            b = vals[ins[1]] if ins[1] in vals else const(ins[1])
            pre = [x0 + b, x0 - b, x0 * b, x0 / b][p[0]]
            y = _act(pre, p[1], _bits_f32(p[2]))
        elif type_ == mfm.ACTIVATION and p[0] == mfm.ACT["prelu"]:
            y = torch.where(x0 < 0, x0 * const(ins[1]), x0)  # slopes on the last axis
        elif type_ == mfm.ACTIVATION:
            y = _act(x0, p[0], _bits_f32(p[1]))
        elif type_ == mfm.CONCAT:
            y = torch.cat([vals[i] for i in ins], dim=p[0])
        elif type_ == mfm.RESIZE:
            size = (p[1], p[2]) if p[1] else tuple(vals[ins[1]].shape[1:3])
            assert p[0] == mfm.RESIZE_MODE["nearest"]
            y = F.interpolate(x0.permute(0, 3, 1, 2), size=size, mode="nearest").permute(0, 2, 3, 1)
        elif type_ == mfm.RESHAPE:
            dims = [x0.shape[i] if d == 0 else d for i, d in enumerate(p[1:1 + p[0]])]
            y = x0.reshape(dims)
        elif type_ == mfm.SOFTMAX:
            y = torch.softmax(x0, dim=-1)
        elif type_ == mfm.POOL2D:
            xin = x0.permute(0, 3, 1, 2)
            assert p[0] == mfm.POOL_KIND["max"] and not any(p[5:9])
            y = F.max_pool2d(xin, (p[1], p[2]), (p[3], p[4])).permute(0, 2, 3, 1)
        elif type_ == mfm.LAYER_NORM:
            gamma = const(ins[1]) if ins[1] >= 0 else None
            beta = const(ins[2]) if ins[2] >= 0 else None
            y = F.layer_norm(x0, x0.shape[-1:], gamma, beta, eps=_bits_f32(p[0]))
        elif type_ == mfm.L2_NORMALIZE:
            y = x0 / torch.clamp(x0.double().norm(dim=-1, keepdim=True).float(), min=_bits_f32(p[0]))
        elif type_ == mfm.MEAN:
            y = x0.mean(dim=[a for a in range(x0.dim()) if p[0] >> a & 1], keepdim=True)
        elif type_ == mfm.TRANSPOSE:
            y = x0.permute(*p[1:1 + p[0]]).contiguous()
        elif type_ == mfm.SLICE:
            y = x0.narrow(p[0], p[1], p[2])
        elif type_ == mfm.MATMUL:
            b = vals[ins[1]] if ins[1] in vals else const(ins[1])
            a = x0.transpose(-1, -2) if p[0] else x0
            b = b.transpose(-1, -2) if p[1] else b
            y = _bits_f32(p[2]) * torch.matmul(a, b)
        else:
            raise NotImplementedError(f"op {type_}")
        vals[outs[0]] = y
        if observe:
            observe(outs[0], y.numpy(), None if pre is None else pre.numpy())
    return {k: v.numpy() for k, v in vals.items()}


class Ranges:
    """Range of every tensor (and of pre-activations) over the calibration set:
    min / max (PERCENTILE None), or the PERCENTILE-th and (100 - PERCENTILE)-th
    percentiles of each input, averaged over the inputs (outliers clip)."""

    def __init__(self, percentile=None):
        self.r, self.pre = {}, {}
        self.percentile = percentile
        self.samples = {}

    def _merge(self, d, t, a):
        if self.percentile is None:
            lo, hi = float(a.min()), float(a.max())
            if t in d:
                lo, hi = min(lo, d[t][0]), max(hi, d[t][1])
            d[t] = (lo, hi)
            return
        flat = a.reshape(-1)
        if flat.size > 1 << 20:
            flat = flat[:: flat.size // (1 << 20)]
        lo, hi = np.percentile(flat, [100 - self.percentile, self.percentile])
        key = (id(d), t)
        n, slo, shi = self.samples.get(key, (0, 0.0, 0.0))
        self.samples[key] = (n + 1, slo + float(lo), shi + float(hi))
        n, slo, shi = self.samples[key]
        d[t] = (slo / n, shi / n)

    def __call__(self, t, a, pre):
        self._merge(self.r, t, a)
        if pre is not None:
            self._merge(self.pre, t, pre)


def activation_qparams(lo, hi):
    """Asymmetric int8: the range widened to hold 0, zero point exact."""
    lo, hi = min(lo, 0.0), max(hi, 0.0)
    if hi - lo < 1e-8:
        hi = lo + 1e-8
    scale = np.float32((hi - lo) / 255.0)
    zp = int(np.clip(np.round(-128 - lo / float(scale)), -128, 127))
    return float(scale), zp


def quantize_weights(w, axis):
    """Symmetric per-channel int8 along AXIS; returns (int8 array, float32 scales)."""
    other = tuple(i for i in range(w.ndim) if i != axis)
    m = np.max(np.abs(w), axis=other)
    scales = np.where(m > 0, m / 127.0, 1e-8).astype(np.float32)
    shape = [1] * w.ndim
    shape[axis] = -1
    q = np.clip(np.round(w / scales.reshape(shape)), -127, 127).astype(np.int8)
    return q, scales


class _Groups:
    """Union-find of tensors that must share one quantization."""

    def __init__(self):
        self.parent = {}

    def find(self, t):
        while self.parent.get(t, t) != t:
            t = self.parent[t]
        return t

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra


def calibrate(g, calibration_inputs, percentile=None):
    ranges = Ranges(percentile)
    for x in calibration_inputs:
        run_float(g, x, ranges)
    return ranges


WEIGHTED_OPS = (mfm.CONV2D, mfm.DEPTHWISE_CONV2D, mfm.FULLY_CONNECTED)
# int8 when every input already exists in int8, else float (no conversion just for them)
FLEX_OPS = (mfm.BINARY, mfm.ACTIVATION, mfm.MEAN) + MOVE_OPS
INT8_BINARY = (mfm.BINARY_KIND["add"], mfm.BINARY_KIND["sub"], mfm.BINARY_KIND["mul"])


def plan_domains(g, keep_float=(), int8_input=False):
    """Which ops run in int8: conv / depthwise / fully connected always (unless
    their index is in KEEP_FLOAT); binary add/sub/mul, activations and
    byte-moving ops, PReLU and mean when all their non-constant inputs are
    already available in int8; every other op (layer norm, l2 normalize,
    matmul, softmax, transpose, slice, ...) in float. Float ops that feed each other form
    one island: a DEQUANTIZE before, a QUANTIZE after, nothing inside.
    Returns the set of int8 op indices."""
    in_int8 = {g.inputs[0]} if int8_input else set()  # tensors that exist in int8
    int8_ops = set()
    for i, (type_, ins, outs, p) in enumerate(g.ops):
        live = [t for t in ins if t >= 0 and g.tensors[t]["data"] is None]
        if i in keep_float:
            ok = False
        elif type_ in WEIGHTED_OPS:
            ok = True
        elif type_ in FLEX_OPS:
            ok = all(t in in_int8 for t in live)
            if type_ == mfm.BINARY and p[0] not in INT8_BINARY:
                ok = False
            if type_ == mfm.ACTIVATION and len(ins) > 1 and p[0] != mfm.ACT["prelu"]:
                ok = False
        else:
            ok = False
        if ok:
            int8_ops.add(i)
            in_int8.update(live)  # a float input is quantized once, then reused
            in_int8.add(outs[0])
    return int8_ops


def quantize_graph(g, calibration_inputs, meta=None, int8_input=False, input_range=None, percentile=None,
                   keep_float=(), float_acts=(), ranges=None):
    """INT8_INPUT: the graph input itself is int8 (the caller quantizes, e.g.
    straight from pixels: no float image in the arena); else a QUANTIZE op
    follows a float input. INPUT_RANGE: the input's real range (default: the
    calibration inputs'). KEEP_FLOAT: indices of ops of G forced to float
    (sensitivity studies, accuracy choices). FLOAT_ACTS: fused activation names
    (e.g. "gelu") computed in float after the int8 op instead of as an int8
    lookup table. RANGES: a calibrate() result to reuse."""
    ranges = ranges or calibrate(g, calibration_inputs, percentile)
    int8_ops = plan_domains(g, keep_float, int8_input)
    groups = _Groups()
    for i, (type_, ins, outs, p) in enumerate(g.ops):
        if type_ in MOVE_OPS and i in int8_ops:
            for t in (ins if type_ == mfm.CONCAT else ins[:1]):
                groups.union(outs[0], t)
    x_in = g.inputs[0]
    group_range = {x_in: input_range or ranges_input(g, calibration_inputs)}
    for t, (lo, hi) in ranges.r.items():
        r = groups.find(t)
        if r in group_range:
            lo, hi = min(lo, group_range[r][0]), max(hi, group_range[r][1])
        group_range[r] = (lo, hi)

    def qp(t):
        return activation_qparams(*group_range[groups.find(t)])

    q = mfm.Graph(meta=dict(g.meta, **(meta or {})))
    rec = g.tensors[x_in]
    m, fmap = {}, {}  # int8 and float versions of each tensor, made on demand
    if int8_input:
        m[x_in] = q.set_quant(q.input(rec["name"], rec["dims"], dtype=mfm.S8), *qp(x_in))
    else:
        fmap[x_in] = q.input(rec["name"], rec["dims"])

    def is_const(t):
        return g.tensors[t]["data"] is not None

    def as_int8(t):
        if t < 0:
            return -1
        if t not in m:
            if is_const(t):
                data = g.tensors[t]["data"]
                scale, zp = activation_qparams(float(data.min()), float(data.max()))
                qd = np.clip(np.round(data / scale) + zp, -128, 127).astype(np.int8)
                m[t] = q.const(qd, dtype=mfm.S8, scale=scale, zero_point=zp)
            else:
                m[t] = q.quantize(fmap[t], *qp(t))
        return m[t]

    def as_float(t):
        if t < 0:
            return -1
        if t not in fmap:
            fmap[t] = q.const(g.tensors[t]["data"]) if is_const(t) else q.dequantize(m[t])
        return fmap[t]

    for i, (type_, ins, outs, p) in enumerate(g.ops):
        out = outs[0]
        # graph outputs keep their names on the float tensors (after DEQUANTIZE)
        name = None if out in g.outputs else g.tensors[out]["name"]
        if i not in int8_ops:
            fmap[out] = q.op(type_, [as_float(t) for t in ins], p, name)
            continue
        if type_ in WEIGHTED_OPS:
            xin = as_int8(ins[0])
            s_in = q.tensors[xin]["scale"]
            w = g.tensors[ins[1]]["data"]
            axis = 3 if type_ == mfm.DEPTHWISE_CONV2D else 0
            wq, ws = quantize_weights(w, axis)
            wt = q.const(wq, dtype=mfm.S8, scale=1.0, channel_scales=ws, channel_axis=axis)
            bt = -1
            if len(ins) > 2 and ins[2] >= 0:
                b = g.tensors[ins[2]]["data"].astype(np.float64)
                bscale = np.float64(s_in) * ws.astype(np.float64)
                bt = q.const(np.clip(np.round(b / bscale), -2**31, 2**31 - 1).astype(np.int32), dtype=mfm.S32)
            act_slot = 0 if type_ == mfm.FULLY_CONNECTED else 9
            act = p[act_slot]
            params = list(p)
            if act in CLAMP_ACTS:
                m[out] = q.set_quant(q.op(type_, [xin, wt, bt], params, name, dtype=mfm.S8), *qp(out))
                continue
            params[act_slot] = 0
            y = q.set_quant(q.op(type_, [xin, wt, bt], params, dtype=mfm.S8), *activation_qparams(*ranges.pre[out]))
            if ACT_NAME[act] in float_acts:
                fmap[out] = q.op(mfm.ACTIVATION, [q.dequantize(y)], [act, p[act_slot + 1]], name)
            else:
                m[out] = q.set_quant(q.op(mfm.ACTIVATION, [y], [act, p[act_slot + 1]], name, dtype=mfm.S8),
                                     *qp(out))
        elif type_ == mfm.BINARY:
            act = p[1]
            params = list(p)
            if act not in CLAMP_ACTS:
                params[1] = 0
            y = q.op(mfm.BINARY, [as_int8(ins[0]), as_int8(ins[1])], params,
                     None if act not in CLAMP_ACTS else name, dtype=mfm.S8)
            if act in CLAMP_ACTS:
                q.set_quant(y, *qp(out))
            else:
                q.set_quant(y, *activation_qparams(*ranges.pre[out]))
                y = q.set_quant(q.op(mfm.ACTIVATION, [y], [act, p[2]], name, dtype=mfm.S8), *qp(out))
            m[out] = y
        elif type_ == mfm.ACTIVATION and p[0] == mfm.ACT["prelu"]:
            # per-channel slopes stay float32: the runtime folds each into its
            # negative-branch multiplier when planning (no slope rounding)
            slopes = q.const(g.tensors[ins[1]]["data"])
            m[out] = q.set_quant(q.op(mfm.ACTIVATION, [as_int8(ins[0]), slopes], p, name, dtype=mfm.S8), *qp(out))
        elif type_ == mfm.ACTIVATION:
            m[out] = q.set_quant(q.op(mfm.ACTIVATION, [as_int8(ins[0])], p, name, dtype=mfm.S8), *qp(out))
        elif type_ == mfm.MEAN:
            # own range: the mean of a tensor is narrower than the tensor
            m[out] = q.set_quant(q.op(mfm.MEAN, [as_int8(ins[0])], p, name, dtype=mfm.S8), *qp(out))
        else:  # MOVE_OPS
            m[out] = q.set_quant(q.op(type_, [as_int8(t) for t in ins], p, name, dtype=mfm.S8), *qp(out))
    for t in g.outputs:
        q.output(as_float(t), g.tensors[t]["name"])
    # which tensor of G each tensor of Q stands for (sensitivity studies, tests)
    q.source = {v: k for d in (m, fmap) for k, v in d.items()}
    return q


def ranges_input(g, inputs):
    lo = min(float(np.min(x)) for x in inputs)
    hi = max(float(np.max(x)) for x in inputs)
    return lo, hi
