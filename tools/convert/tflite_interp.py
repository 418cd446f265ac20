"""Tiny numpy interpreter for float TFLite graphs: an independent check of the
weight mapping in edgeface_weights.py, not a runtime.

Runs subgraph 0 op by op in float32, batch as stored in the graph (1).
Supports exactly the ops of the converted EdgeFace model; anything else raises.
Usage: tflite_interp.py MODEL.tflite  (prints the output for a random input)
"""
import numpy as np

from tflite_reader import read_tflite


def _same_padding(size, kernel, stride):
    out = -(-size // stride)
    total = max((out - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


def _conv2d(x, w, b, opts, depthwise):
    """x NHWC; w [O,kh,kw,I] (I = 1 when depthwise with multiplier 1)."""
    _, kh, kw, _ = w.shape
    sh, sw = opts["stride_h"], opts["stride_w"]
    if opts.get("dilation_h", 1) != 1 or opts.get("dilation_w", 1) != 1:
        raise NotImplementedError("dilated convolution")
    if opts["padding"] == "SAME":
        x = np.pad(x, ((0, 0), _same_padding(x.shape[1], kh, sh), _same_padding(x.shape[2], kw, sw), (0, 0)))
    n, h, wd, _ = x.shape
    oh, ow = (h - kh) // sh + 1, (wd - kw) // sw + 1
    out = np.zeros((n, oh, ow, w.shape[0]), np.float32)
    for i in range(kh):
        for j in range(kw):
            patch = x[:, i:i + (oh - 1) * sh + 1:sh, j:j + (ow - 1) * sw + 1:sw, :]
            if depthwise:
                out += patch * w[:, i, j, 0]
            else:
                out += patch @ w[:, i, j, :].T
    if b is not None:
        out += b
    return out


def _strided_slice(x, begin, end, strides, opts):
    if opts["ellipsis_mask"] or opts["new_axis_mask"] or opts["shrink_axis_mask"]:
        raise NotImplementedError("strided slice masks other than begin/end")
    idx = []
    for d in range(x.ndim):
        lo = None if opts["begin_mask"] >> d & 1 else int(begin[d])
        hi = None if opts["end_mask"] >> d & 1 else int(end[d])
        idx.append(slice(lo, hi, int(strides[d])))
    return x[tuple(idx)]


def _softmax(x, beta):
    z = (x - x.max(axis=-1, keepdims=True)) * beta
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def _axes(t):
    return tuple(int(a) for a in np.atleast_1d(t))


def run(graph, inputs):
    """inputs: list of float32 arrays for graph.inputs. Returns the list of outputs."""
    values = {}
    for t in graph.tensors:
        if t.data is not None:
            values[t.index] = t.data
    for i, x in zip(graph.inputs, inputs):
        values[i] = np.asarray(x, np.float32)

    for op in graph.operators:
        a = [values.get(i) if i >= 0 else None for i in op.inputs]
        o = op.options
        out_shape = graph.tensors[op.outputs[0]].shape
        name = op.op
        if name == "DEQUANTIZE":
            r = a[0].astype(np.float32)
        elif name == "CONV_2D":
            r = _conv2d(a[0], a[1], a[2], o, depthwise=a[1].shape[3] != a[0].shape[3])
        elif name == "DEPTHWISE_CONV_2D":
            r = _conv2d(a[0], a[1].transpose(3, 1, 2, 0), a[2], o, depthwise=True)
        elif name == "FULLY_CONNECTED":
            r = a[0].reshape(-1, a[1].shape[1]) @ a[1].T
            if len(a) > 2 and a[2] is not None:
                r = r + a[2].reshape(-1)
            r = r.reshape(out_shape)
        elif name == "ADD":
            r = a[0] + a[1]
        elif name == "SUB":
            r = a[0] - a[1]
        elif name == "MUL":
            r = a[0] * a[1]
        elif name == "DIV":
            r = a[0] / a[1]
        elif name == "MAXIMUM":
            r = np.maximum(a[0], a[1])
        elif name == "SQUARED_DIFFERENCE":
            r = (a[0] - a[1]) ** 2
        elif name == "SQUARE":
            r = a[0] * a[0]
        elif name == "SQRT":
            r = np.sqrt(a[0])
        elif name == "RSQRT":
            r = 1.0 / np.sqrt(a[0])
        elif name == "TANH":
            r = np.tanh(a[0])
        elif name == "MEAN":
            r = a[0].mean(axis=_axes(a[1]), keepdims=o["keep_dims"])
        elif name == "SUM":
            r = a[0].sum(axis=_axes(a[1]), keepdims=o["keep_dims"])
        elif name == "RESHAPE":
            r = a[0].reshape(out_shape)
        elif name == "TRANSPOSE":
            r = a[0].transpose(_axes(a[1]))
        elif name == "STRIDED_SLICE":
            r = _strided_slice(a[0], a[1], a[2], a[3], o)
        elif name == "CONCATENATION":
            r = np.concatenate(a, axis=o["axis"])
        elif name == "BATCH_MATMUL":
            x = np.swapaxes(a[0], -1, -2) if o["adj_x"] else a[0]
            y = np.swapaxes(a[1], -1, -2) if o["adj_y"] else a[1]
            r = x @ y
        elif name == "SOFTMAX":
            r = _softmax(a[0], o["beta"])
        else:
            raise NotImplementedError("op %s" % name)
        if o.get("activation", 0) != 0:
            raise NotImplementedError("fused activation in %s" % name)
        r = np.asarray(r, np.float32)
        if r.shape != tuple(out_shape):
            raise ValueError("op %d %s: shape %s, graph says %s" % (op.index, name, r.shape, out_shape))
        values[op.outputs[0]] = r
    return [values[i] for i in graph.outputs]


if __name__ == "__main__":
    import sys

    g = read_tflite(sys.argv[1])
    x = np.random.default_rng(0).uniform(-1, 1, g.tensors[g.inputs[0]].shape).astype(np.float32)
    y = run(g, [x])[0]
    print(y.shape, y.ravel()[:8])
