"""Exact per-channel rescalings of a float mfm.Graph that make int8
per-tensor activation quantization fit (SmoothQuant-style equalization).

EdgeFace's activations have a few channels 50-100x larger than the median
one; one int8 scale per tensor leaves the small channels two or three levels.
Each rewrite moves a per-channel factor s_c between an activation and the
weights around it, so the float function is unchanged (up to rounding):
  A. layer norm -> linear ops: gamma, beta / s_c; consumers' input weights * s_c
  B. linear -> linear (LoRaLin's bottleneck, no activation between): rows of
     the first / s_c (and its bias), input columns of the second * s_c
  C. linear -> float consumers only (residual adds): rows / s_c, then a float
     multiply by s_c (inside the float island, after the DEQUANTIZE)
  D. float producer (residual add, slice) -> linear: a float multiply by
     1 / s_c before the QUANTIZE, the linear's input weights * s_c
Linear = fully connected, conv, depthwise conv (multiplier 1). Weights are
quantized per output channel, so scaling a layer's rows never costs weight
precision; scaling input columns does, hence the square root (alpha 0.5) in A
and B. Statistics: per-channel max |x| over the calibration inputs.
"""
import copy

import numpy as np

import mfm
from quantize import run_float

LINEAR = (mfm.CONV2D, mfm.DEPTHWISE_CONV2D, mfm.FULLY_CONNECTED)


def channel_absmax(g, inputs):
    """max |x| per last-axis channel of every op output over INPUTS."""
    stats = {}

    def observe(t, a, pre):
        m = np.abs(a.reshape(-1, a.shape[-1])).max(axis=0)
        stats[t] = np.maximum(stats[t], m) if t in stats else m
    for x in inputs:
        run_float(g, x, observe)
    return stats


def _consumers(g):
    cons = {}
    for i, (_, ins, _, _) in enumerate(g.ops):
        for k, t in enumerate(ins):
            cons.setdefault(t, []).append((i, k))
    return cons


def _through_reshapes(g, cons, t):
    """(op index, input slot) of the consumers of T, looking through reshapes
    that keep the last axis; None when a reshape changes it."""
    out = []
    for i, k in cons.get(t, []):
        type_, ins, outs, p = g.ops[i]
        if type_ == mfm.RESHAPE:
            if p[p[0]] != g_last(g, t):
                return None
            sub = _through_reshapes(g, cons, outs[0])
            if sub is None:
                return None
            out += sub
        else:
            out.append((i, k))
    return out


def g_last(g, t):
    return _LAST[t]


_LAST = {}


def _input_weight_view(g, i):
    """The consumer's weight as [out, in_channels] view axis: returns (array, axis of input channels)."""
    type_, ins, _, p = g.ops[i]
    w = g.tensors[ins[1]]["data"]
    if type_ == mfm.FULLY_CONNECTED:
        return w, 1
    if type_ == mfm.CONV2D:
        return (w, 3) if p[8] == 1 else (None, None)
    return (w, 3) if w.shape[3] == _LAST[ins[0]] else (None, None)  # depthwise, multiplier 1


def _scale_rows(g, i, s):
    """Output channel c of linear op I divided by s_c (weights and bias)."""
    type_, ins, _, p = g.ops[i]
    w = g.tensors[ins[1]]["data"]
    axis = 3 if type_ == mfm.DEPTHWISE_CONV2D else 0
    shape = [1] * w.ndim
    shape[axis] = -1
    g.tensors[ins[1]]["data"] = (w / s.reshape(shape)).astype(np.float32)
    if len(ins) > 2 and ins[2] >= 0:
        g.tensors[ins[2]]["data"] = (g.tensors[ins[2]]["data"] / s).astype(np.float32)


def _scale_inputs(g, i, s):
    w, axis = _input_weight_view(g, i)
    shape = [1] * w.ndim
    shape[axis] = -1
    g.tensors[g.ops[i][1][1]]["data"] = (w * s.reshape(shape)).astype(np.float32)


def _fused_act(g, i):
    type_, _, _, p = g.ops[i]
    return p[0] if type_ == mfm.FULLY_CONNECTED else p[9]


def _balanced(r, w=None):
    """Factors that bring every channel's range to a common one (times the
    weights' column maxima when W, alpha 0.5); geometric mean 1."""
    r = np.maximum(r, 1e-6)
    s = r if w is None else np.sqrt(r / np.maximum(w, 1e-6))
    s = s / np.exp(np.mean(np.log(s)))
    return s.astype(np.float32)


def equalize(g, inputs, float_consumer_types=(mfm.BINARY,), float_producer_types=(mfm.BINARY, mfm.SLICE)):
    """A rescaled copy of G (rewrites A, B, C) and the indices of the float
    multiplies that C added (they must stay float)."""
    g = copy.deepcopy(g)
    stats = channel_absmax(g, inputs)
    vals = run_float(g, inputs[0])
    _LAST.clear()
    _LAST.update({t: v.shape[-1] for t, v in vals.items()})
    cons = _consumers(g)
    rescale_after = {}  # op index -> factors to multiply back in float
    rescale_before = {}  # op index -> factors its input is divided by, in float
    producer = {op[2][0]: op[0] for op in g.ops}
    for i, (type_, ins, outs, p) in enumerate(g.ops):
        if type_ in LINEAR and producer.get(ins[0]) in float_producer_types and \
                _input_weight_view(g, i)[0] is not None:  # D
            w, axis = _input_weight_view(g, i)
            wmax = np.abs(np.moveaxis(w, axis, -1)).reshape(-1, _LAST[ins[0]]).max(0)
            sd = _balanced(stats[ins[0]], None if type_ == mfm.DEPTHWISE_CONV2D else wmax)
            _scale_inputs(g, i, sd)
            rescale_before[i] = sd
        users = _through_reshapes(g, cons, outs[0])
        if not users or outs[0] in g.outputs:
            continue
        if type_ == mfm.LAYER_NORM and ins[1] >= 0 and ins[2] >= 0:  # A
            if not all(g.ops[u][0] in LINEAR and k == 0 and _input_weight_view(g, u)[0] is not None
                       for u, k in users):
                continue
            wmax = np.max([np.abs(np.moveaxis(_input_weight_view(g, u)[0], _input_weight_view(g, u)[1], -1))
                           .reshape(-1, _LAST[outs[0]]).max(0) for u, _ in users], axis=0)
            dw_only = all(g.ops[u][0] == mfm.DEPTHWISE_CONV2D for u, _ in users)
            s = _balanced(stats[outs[0]], None if dw_only else wmax)
            g.tensors[ins[1]]["data"] = (g.tensors[ins[1]]["data"] / s).astype(np.float32)
            g.tensors[ins[2]]["data"] = (g.tensors[ins[2]]["data"] / s).astype(np.float32)
            for u, _ in users:
                _scale_inputs(g, u, s)
        elif type_ in LINEAR and _fused_act(g, i) == mfm.ACT["none"] and (
                type_ != mfm.DEPTHWISE_CONV2D or g.tensors[ins[1]]["data"].shape[3] == _LAST[ins[0]]):
            if all(g.ops[u][0] in LINEAR and k == 0 and _input_weight_view(g, u)[0] is not None
                   for u, k in users):  # B
                wmax = np.max([np.abs(np.moveaxis(_input_weight_view(g, u)[0], _input_weight_view(g, u)[1], -1))
                               .reshape(-1, _LAST[outs[0]]).max(0) for u, _ in users], axis=0)
                s = _balanced(stats[outs[0]], wmax)
                _scale_rows(g, i, s)
                for u, _ in users:
                    _scale_inputs(g, u, s)
            elif all(g.ops[u][0] in float_consumer_types for u, _ in users):  # C
                s = _balanced(stats[outs[0]])
                _scale_rows(g, i, s)
                rescale_after[i] = s
    # C: insert the multiplies (rebuilding the op list keeps tensor ids)
    ops, added = [], set()
    for i, op in enumerate(g.ops):
        if i in rescale_before:
            x = op[1][0]
            scaled = g._tensor(None, mfm.F32, [])
            inv = g.const((1.0 / rescale_before[i]).astype(np.float32))
            ops.append((mfm.BINARY, [x, inv], [scaled], [mfm.BINARY_KIND["mul"], mfm.ACT["none"], 0]))
            added.add(len(ops) - 1)
            op = (op[0], [scaled] + op[1][1:], op[2], op[3])
        ops.append(op)
        if i in rescale_after:
            t = op[2][0]
            scaled = g._tensor(None, mfm.F32, [])
            ops[-1] = (op[0], op[1], [scaled], op[3])
            s = g.const(rescale_after[i])
            ops.append((mfm.BINARY, [scaled, s], [t], [mfm.BINARY_KIND["mul"], mfm.ACT["none"], 0]))
            added.add(len(ops) - 1)
    g.ops = ops
    return g, added
