"""EdgeFace weights -> dict of float32 numpy arrays in PyTorch (timm) layout.

Keys are timm EdgeNeXt state_dict names without EdgeFace's `model.` prefix,
e.g. `stages.1.blocks.2.xca.qkv.weight`, or `...qkv.linear1.weight` in the
low-rank variant. The forward lives in edgenext.py; the model converter reuses
these loaders.

  load_edgeface_q(path)       edgeface_xs_q.pt / edgeface_xxs_q.pt
                              (torch.quantization.quantize_dynamic: qint8 Linear weights)
  load_edgeface_tflite(path)  edgeface_xs_gamma_06_fp16.tflite (fp16 constants; the
                              converter folded some parameters, undone here)
"""
import numpy as np
import torch

from edgenext import CONFIGS, POS_HIDDEN_DIM, fourier_features, lowrank_rank
from tflite_reader import read_tflite

PREFIX = "model."


def _dequantize(qweight):
    """w = (q - zero_point) * scale, per tensor or per output channel."""
    q = qweight.int_repr().double()
    if qweight.qscheme() in (torch.per_tensor_affine, torch.per_tensor_symmetric):
        w = (q - qweight.q_zero_point()) * qweight.q_scale()
    else:
        axis = qweight.q_per_channel_axis()
        shape = [1] * q.dim()
        shape[axis] = -1
        w = (q - qweight.q_per_channel_zero_points().double().reshape(shape)) \
            * qweight.q_per_channel_scales().double().reshape(shape)
    return w.float().numpy()


def load_edgeface_q(path):
    """Dynamic-quantized EdgeFace state_dict -> float params (Linear weights dequantized)."""
    sd = torch.load(path, map_location="cpu")
    params = {}
    for key, value in sd.items():
        name = key[len(PREFIX):] if key.startswith(PREFIX) else key
        if name.endswith("._packed_params._packed_params"):
            module = name[:-len("._packed_params._packed_params")]
            qweight, bias = value
            params[module + ".weight"] = _dequantize(qweight)
            if bias is not None:
                params[module + ".bias"] = bias.detach().float().numpy()
        elif name.endswith(("._packed_params.dtype", ".scale", ".zero_point")):
            continue  # quantized Linear's own output qparams: unused by dynamic quantization
        else:
            params[name] = value.detach().float().numpy()
    return params


# ---------------------------------------------------------------------------
# TFLite (EdgeFace-XS gamma 0.6, converted ONNX -> TF -> TFLite float16)
# ---------------------------------------------------------------------------

def edgenext_parameter_sequence(cfg):
    """(kind, module name) of every parameterised op in execution order.

    kind: conv (regular conv, weight+bias), dwconv, ln (weight, bias), linear,
    pos (positional encoding), temperature. A low-rank linear is two `linear`s.
    """
    seq = [("conv", "stem.0"), ("ln", "stem.1")]

    def linear(name):
        if cfg.lowrank_ratio is None:
            return [("linear", name)]
        return [("linear", name + ".linear1"), ("linear", name + ".linear2")]

    def mlp(prefix):
        return linear(prefix + ".mlp.fc1") + linear(prefix + ".mlp.fc2")

    for s, depth in enumerate(cfg.depths):
        if s > 0:
            seq += [("ln", "stages.%d.downsample.0" % s), ("conv", "stages.%d.downsample.1" % s)]
        for b in range(depth):
            p = "stages.%d.blocks.%d" % (s, b)
            if b < depth - cfg.sdta_blocks[s]:
                seq += [("dwconv", p + ".conv_dw"), ("ln", p + ".norm")] + mlp(p)
                continue
            seq += [("dwconv", "%s.convs.%d" % (p, i)) for i in range(max(1, cfg.split_scales[s] - 1))]
            if cfg.use_pos_emb[s]:
                seq.append(("pos", p + ".pos_embd"))
            seq += [("ln", p + ".norm_xca")] + linear(p + ".xca.qkv")
            seq += [("temperature", p + ".xca.temperature")] + linear(p + ".xca.proj")
            seq += [("ln", p + ".norm")] + mlp(p)
    seq += [("ln", "head.norm")] + linear("head.fc")
    return seq


def _graph_parameter_uses(graph):
    """Constants of the TFLite graph as (kind, arrays) in operator order.

    Constants reach their op through DEQUANTIZE (fp16 -> fp32); those are
    resolved and widened here. Conv weights come back in PyTorch layout
    (OHWI -> OIHW, depthwise [1,kh,kw,C] -> [C,1,kh,kw]). GELU's scalar
    constants are skipped.
    """
    producer = {}
    for op in graph.operators:
        for t in op.outputs:
            producer[t] = op

    def const(t):
        if t < 0:
            return None
        tensor = graph.tensors[t]
        if tensor.data is None and t in producer and producer[t].op == "DEQUANTIZE":
            tensor = graph.tensors[producer[t].inputs[0]]
        return None if tensor.data is None else tensor.data.astype(np.float32)

    def made_by(t, op_name):
        return t in producer and producer[t].op == op_name

    uses = []
    for op in graph.operators:
        ins = op.inputs
        if op.op == "CONV_2D":
            weight = const(ins[1])  # OHWI; a grouped conv (I < input channels) is depthwise here
            grouped = weight.shape[3] != graph.tensors[ins[0]].shape[3]
            if grouped:
                assert weight.shape[3] == 1, "only depthwise grouping is expected"
            uses.append(("dwconv" if grouped else "conv", weight.transpose(0, 3, 1, 2), const(ins[2])))
        elif op.op == "DEPTHWISE_CONV_2D":  # [1, kh, kw, C]
            uses.append(("dwconv", const(ins[1]).transpose(3, 0, 1, 2), const(ins[2])))
        elif op.op == "FULLY_CONNECTED":
            uses.append(("linear", const(ins[1]), const(ins[2]) if len(ins) > 2 else None))
        elif op.op == "MUL" and made_by(ins[0], "RSQRT"):
            uses.append(("ln_weight", const(ins[1])))  # LN: rsqrt(var + eps) * weight
        elif op.op == "SUB" and const(ins[0]) is not None:
            uses.append(("ln_bias", const(ins[0])))    # LN: bias - mean * (rsqrt * weight)
        elif op.op == "MUL" and made_by(ins[0], "BATCH_MATMUL"):
            uses.append(("temperature", const(ins[1])))
        elif op.op == "ADD" and const(ins[1]) is not None and len(graph.tensors[ins[1]].shape) == 3:
            uses.append(("pos", const(ins[1])))        # folded positional encoding [1, C, H*W]
    # Pair each LN weight with the bias that follows it.
    merged = []
    for u in uses:
        if u[0] == "ln_bias":
            assert merged and merged[-1][0] == "ln_weight", "LayerNorm bias without weight"
            merged[-1] = ("ln", merged[-1][1], u[1])
        else:
            merged.append(u)
    return merged


def _fit_token_projection(encoding, dim, height, width):
    """Recover a 1x1 token projection (weight, bias) from its folded output.

    The converter stored token_projection(fourier_features(H, W)) as one fp16
    constant [C, H*W]. Over a fixed 14x14 grid the 64 Fourier channels are
    nearly collinear (singular values fall from 75 to 1e-20), so the original
    weight is not identifiable. A truncated least-squares fit (singular values
    below 1e-4 of the largest dropped) keeps the weights small (|w| < 0.04) and
    reproduces the constant within its own fp16 rounding (max error ~3.3e-5 on
    values up to 0.094), at the only resolution the model runs at.
    An untruncated fit needs huge cancelling weights and breaks in float32.
    Returns weight [C, 64, 1, 1], bias [C], and the max abs error of the
    float32 reconstruction.
    """
    feats = fourier_features(height, width, torch.float64)[0].reshape(2 * POS_HIDDEN_DIM, -1).numpy()
    design = np.concatenate([feats, np.ones((1, feats.shape[1]))], axis=0).T  # [HW, 65]
    target = encoding.reshape(dim, height * width).astype(np.float64).T         # [HW, C]
    sol, *_ = np.linalg.lstsq(design, target, rcond=1e-4)
    sol = sol.astype(np.float32)
    err = np.abs(design.astype(np.float32) @ sol - target).max()
    weight = sol[:-1].T.reshape(dim, 2 * POS_HIDDEN_DIM, 1, 1)
    return np.ascontiguousarray(weight), sol[-1].copy(), float(err)


def load_edgeface_tflite(path, model="xs_gamma_06", input_size=112, report=None):
    """EdgeFace TFLite constants mapped onto the EdgeNeXt parameters, folding undone.

    The folding done by the converter, and how it is undone (exactly, in the
    sense that the network computes the same function):
      * layer scale: gamma * (W2 x + b2) was stored as (gamma W2) x + gamma b2 in the
        last linear of each MLP and of XCA's proj -> gamma = gamma_xca = 1, keep W2, b2.
      * GELU's 0.5: the graph computes x * (1 + tanh(...)) and the following linear
        (fc2, first factor) holds 0.5 * W -> multiply that weight by 2 (exact).
      * positional encoding: stored as its projected output -> fit the 1x1
        projection (see _fit_token_projection).
    `report`, if a dict, receives diagnostic numbers.
    """
    cfg = CONFIGS[model]
    graph = read_tflite(path)
    uses = _graph_parameter_uses(graph)
    expected = edgenext_parameter_sequence(cfg)
    if len(uses) != len(expected):
        raise ValueError("TFLite graph has %d parameterised ops, %s expects %d"
                         % (len(uses), model, len(expected)))
    params = {}
    spatial = input_size // 4
    for i, (use, (kind, name)) in enumerate(zip(uses, expected)):
        if use[0] != kind:
            raise ValueError("op %d: graph has %s where %s (%s) was expected" % (i, use[0], kind, name))
        arrays = use[1:]
        if kind in ("conv", "dwconv", "ln"):  # already in PyTorch layout
            params[name + ".weight"] = arrays[0].reshape(-1) if kind == "ln" else arrays[0]
            params[name + ".bias"] = arrays[1].reshape(-1)
        elif kind == "linear":
            weight = arrays[0]
            if name.endswith("mlp.fc2.linear1") or name.endswith("mlp.fc2"):
                weight = weight * 2.0  # GELU's 0.5 lives here
            params[name + ".weight"] = weight
            if arrays[1] is not None:
                params[name + ".bias"] = arrays[1].reshape(-1)
        elif kind == "temperature":
            params[name] = arrays[0].reshape(-1, 1, 1)
        elif kind == "pos":
            stage = int(name.split(".")[1])
            side = spatial >> stage
            w, b, err = _fit_token_projection(arrays[0], cfg.dims[stage], side, side)
            params[name + ".token_projection.weight"] = w
            params[name + ".token_projection.bias"] = b
            if report is not None:
                report["pos_embd_fit_max_abs_err"] = err
                report["pos_embd_max_abs"] = float(np.abs(arrays[0]).max())
    for s, depth in enumerate(cfg.depths):  # layer scales were folded into the linears
        for b in range(depth):
            p = "stages.%d.blocks.%d" % (s, b)
            params[p + ".gamma"] = np.ones(cfg.dims[s], np.float32)
            if b >= depth - cfg.sdta_blocks[s]:
                params[p + ".gamma_xca"] = np.ones(cfg.dims[s], np.float32)
    _check_lowrank_shapes(cfg, params)
    return params


def _check_lowrank_shapes(cfg, params):
    """The LoRaLin ranks in the file must follow EdgeFace's rule."""
    for name, w in params.items():
        if name.endswith(".linear1.weight"):
            out_f = params[name.replace("linear1", "linear2")].shape[0]
            expected = lowrank_rank(w.shape[1], out_f, cfg.lowrank_ratio)
            if w.shape[0] != expected:
                raise ValueError("%s: rank %d, rule gives %d" % (name, w.shape[0], expected))
