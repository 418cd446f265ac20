"""Writer for mcuface model files (.mfm), format version 1 (docs/SPEC.md).

A converter builds a graph with `Graph`: constants are numpy arrays in the
runtime's layout (NHWC activations, OHWI conv weights, [1,KH,KW,C]
depthwise weights, [O,I] fully connected weights); ops are appended in
execution order. `Graph.save()` lays the file out, aligns weights to 16
bytes and writes the CRC. The helpers taking PyTorch layouts (`conv2d` with
OIHW weights, `fold_batch_norm`) do the layout changes in one place.
"""
import struct
import zlib

import numpy as np

MAGIC = b"MFM1"
VERSION = (1, 0)        # float32-only files
VERSION_INT8 = (1, 1)   # files with int8 tensors or QUANTIZE / DEQUANTIZE ops
HEADER_BYTES = 96
TENSOR_RECORD_BYTES = 64
OP_RECORD_BYTES = 96
DATA_ALIGN = 16
MAX_INPUTS, MAX_OUTPUTS, MAX_PARAMS = 6, 2, 15
FLAG_CONST = 1

F32, S8, S32, S16, U8 = 1, 2, 3, 4, 5
NUMPY_DTYPES = {F32: np.float32, S8: np.int8, S32: np.int32, S16: np.int16, U8: np.uint8}

# op types (src/nn/format.h)
CONV2D, DEPTHWISE_CONV2D, FULLY_CONNECTED, BINARY, ACTIVATION, LAYER_NORM, SOFTMAX, L2_NORMALIZE, \
    POOL2D, MEAN, CONCAT, RESIZE, RESHAPE, TRANSPOSE, MATMUL, SLICE, QUANTIZE, DEQUANTIZE = range(1, 19)
# activations (src/nn/ops/mf_kernels.h)
ACT = dict(none=0, relu=1, relu6=2, leaky_relu=3, prelu=4, sigmoid=5, hard_swish=6, gelu=7,
           gelu_tanh=8, swish=9, tanh=10, hard_sigmoid=11)
BINARY_KIND = dict(add=0, sub=1, mul=2, div=3)
POOL_KIND = dict(max=0, avg=1)
RESIZE_MODE = dict(nearest=0, bilinear=1, bilinear_align_corners=2)


def f32_bits(x):
    return struct.unpack("<i", struct.pack("<f", float(x)))[0]


def fold_batch_norm(weight, bias, gamma, beta, mean, var, eps):
    """Folds an inference BatchNorm that follows a conv/linear into it.
    weight has the output channels on axis 0 (PyTorch layout)."""
    scale = gamma / np.sqrt(var + eps)
    w = weight * scale.reshape((-1,) + (1,) * (weight.ndim - 1))
    b = (bias if bias is not None else 0.0) * scale + beta - mean * scale
    return w.astype(np.float32), b.astype(np.float32)


class Graph:
    def __init__(self, meta=None):
        self.tensors = []  # dicts: name, dtype, dims, data (const) or None
        self.ops = []      # (type, inputs, outputs, params)
        self.inputs = []
        self.outputs = []
        self.meta = dict(meta or {})

    # tensors -----------------------------------------------------------
    def _tensor(self, name, dtype, dims, data=None):
        assert len(dims) <= 4, dims
        self.tensors.append(dict(name=name, dtype=dtype, dims=list(int(d) for d in dims), data=data,
                                 scale=0.0, zero_point=0, channel_scales=None, channel_axis=0))
        return len(self.tensors) - 1

    def const(self, array, name=None, dtype=F32, scale=0.0, zero_point=0, channel_scales=None, channel_axis=0):
        a = np.ascontiguousarray(np.asarray(array, dtype=NUMPY_DTYPES[dtype]))
        if a.ndim == 0:
            a = a.reshape(1)
        t = self._tensor(name, dtype, a.shape, a)
        self.set_quant(t, scale, zero_point, channel_scales, channel_axis)
        return t

    def set_quant(self, t, scale, zero_point=0, channel_scales=None, channel_axis=0):
        """Quantization of tensor T: real = scale * (q - zero_point), or one
        scale per index of CHANNEL_AXIS (weights, zero point 0)."""
        rec = self.tensors[t]
        rec["scale"] = float(np.float32(scale))
        rec["zero_point"] = int(zero_point)
        rec["channel_scales"] = None if channel_scales is None else np.asarray(channel_scales, np.float32)
        rec["channel_axis"] = int(channel_axis)
        return t

    def quantize(self, x, scale, zero_point, name=None):
        """float32 -> int8 with the given output scale and zero point."""
        return self.set_quant(self.op(QUANTIZE, [x], [], name, dtype=S8), scale, zero_point)

    def dequantize(self, x, name=None):
        return self.op(DEQUANTIZE, [x], [], name)

    def input(self, name, dims, dtype=F32):
        """dims may hold 0 for sizes chosen when the model is planned."""
        t = self._tensor(name, dtype, dims)
        self.inputs.append(t)
        return t

    def output(self, t, name=None):
        if name:
            self.tensors[t]["name"] = name
        self.outputs.append(t)
        return t

    def op(self, type_, inputs, params=(), name=None, dtype=F32):
        out = self._tensor(name, dtype, [])
        params = [int(p) for p in params]
        assert len(inputs) <= MAX_INPUTS and len(params) <= MAX_PARAMS
        self.ops.append((type_, list(inputs), [out], params))
        return out

    # ops ------------------------------------------------------------------
    def conv2d(self, x, weight_oihw, bias=None, stride=1, padding=0, dilation=1, groups=1,
               act="none", alpha=0.0, name=None):
        """PyTorch Conv2d semantics; padding is an int, (ph, pw) or (top, left, bottom, right)."""
        w = np.asarray(weight_oihw, dtype=np.float32)
        sh, sw = (stride, stride) if np.isscalar(stride) else stride
        dh, dw = (dilation, dilation) if np.isscalar(dilation) else dilation
        if np.isscalar(padding):
            pads = (padding,) * 4
        elif len(padding) == 2:
            pads = (padding[0], padding[1], padding[0], padding[1])
        else:
            pads = tuple(padding)
        out_c, in_per_group = w.shape[0], w.shape[1]
        b = None if bias is None else self.const(bias)
        common = [sh, sw, pads[0], pads[1], pads[2], pads[3], dh, dw]
        if groups > 1 and in_per_group == 1:
            # depthwise (channel multiplier out_c / groups): weights [1, KH, KW, out_c]
            wt = self.const(w.transpose(1, 2, 3, 0))
            return self.op(DEPTHWISE_CONV2D, [x, wt, -1 if b is None else b],
                           common + [1, ACT[act], f32_bits(alpha)], name)
        wt = self.const(w.transpose(0, 2, 3, 1))
        return self.op(CONV2D, [x, wt, -1 if b is None else b], common + [groups, ACT[act], f32_bits(alpha)], name)

    def fully_connected(self, x, weight_oi, bias=None, act="none", alpha=0.0, name=None):
        b = -1 if bias is None else self.const(bias)
        return self.op(FULLY_CONNECTED, [x, self.const(weight_oi), b], [ACT[act], f32_bits(alpha)], name)

    def binary(self, kind, a, b, act="none", alpha=0.0, name=None):
        return self.op(BINARY, [a, b], [BINARY_KIND[kind], ACT[act], f32_bits(alpha)], name)

    def add(self, a, b, act="none", name=None):
        return self.binary("add", a, b, act, name=name)

    def mul(self, a, b, act="none", name=None):
        return self.binary("mul", a, b, act, name=name)

    def activation(self, x, act, alpha=0.0, slopes=None, name=None):
        ins = [x] if slopes is None else [x, self.const(slopes)]
        return self.op(ACTIVATION, ins, [ACT[act], f32_bits(alpha)], name)

    def layer_norm(self, x, gamma=None, beta=None, eps=1e-5, name=None):
        ins = [x, -1 if gamma is None else self.const(gamma), -1 if beta is None else self.const(beta)]
        return self.op(LAYER_NORM, ins, [f32_bits(eps)], name)

    def softmax(self, x, name=None):
        return self.op(SOFTMAX, [x], [], name)

    def l2_normalize(self, x, eps=1e-12, name=None):
        return self.op(L2_NORMALIZE, [x], [f32_bits(eps)], name)

    def pool2d(self, x, kind, kernel, stride, padding=(0, 0, 0, 0), count_include_pad=True, name=None):
        kh, kw = (kernel, kernel) if np.isscalar(kernel) else kernel
        sh, sw = (stride, stride) if np.isscalar(stride) else stride
        return self.op(POOL2D, [x], [POOL_KIND[kind], kh, kw, sh, sw, *padding, int(count_include_pad)], name)

    def mean(self, x, axes, name=None):
        mask = 0
        for a in axes:
            mask |= 1 << a
        return self.op(MEAN, [x], [mask], name)

    def concat(self, xs, axis, name=None):
        return self.op(CONCAT, list(xs), [axis], name)

    def resize(self, x, mode, size=None, like=None, name=None):
        """Output H, W from `size` or from tensor `like` (exactly one)."""
        assert (size is None) != (like is None)
        ins = [x] if like is None else [x, like]
        h, w = size if size is not None else (0, 0)
        return self.op(RESIZE, ins, [RESIZE_MODE[mode], h, w], name)

    def reshape(self, x, dims, name=None):
        return self.op(RESHAPE, [x], [len(dims), *dims], name)

    def transpose(self, x, perm, name=None):
        return self.op(TRANSPOSE, [x], [len(perm), *perm], name)

    def matmul(self, a, b, transpose_a=False, transpose_b=False, alpha=1.0, name=None):
        return self.op(MATMUL, [a, b], [int(transpose_a), int(transpose_b), f32_bits(alpha)], name)

    def slice(self, x, axis, begin, size, name=None):
        return self.op(SLICE, [x], [axis, begin, size], name)

    # file -----------------------------------------------------------------
    def save(self, path=None):
        strings = bytearray()
        name_offsets = []
        for t in self.tensors:
            if t["name"]:
                name_offsets.append(len(strings))
                strings += t["name"].encode() + b"\0"
            else:
                name_offsets.append(0xFFFFFFFF)
        meta = bytearray()
        for k, v in self.meta.items():
            meta += str(k).encode() + b"\0" + str(v).encode() + b"\0"

        def align(n, a=DATA_ALIGN):
            return (n + a - 1) // a * a

        tensors_offset = HEADER_BYTES
        ops_offset = tensors_offset + TENSOR_RECORD_BYTES * len(self.tensors)
        io_offset = ops_offset + OP_RECORD_BYTES * len(self.ops)
        strings_offset = io_offset + 4 * (len(self.inputs) + len(self.outputs))
        meta_offset = strings_offset + len(strings)
        data_offset = align(meta_offset + len(meta))
        data = bytearray()
        placements = []
        for t in self.tensors:
            if t["data"] is None:
                placements.append((0, 0))
                continue
            pos = align(len(data))
            data += b"\0" * (pos - len(data))
            raw = t["data"].astype(t["data"].dtype.newbyteorder("<"), copy=False).tobytes()
            data += raw
            placements.append((data_offset + pos, len(raw)))
        scale_offsets = []
        for t in self.tensors:
            if t["channel_scales"] is None:
                scale_offsets.append(0)
                continue
            pos = align(len(data))
            data += b"\0" * (pos - len(data))
            data += t["channel_scales"].astype("<f4").tobytes()
            scale_offsets.append(data_offset + pos)
        data += b"\0" * (align(len(data)) - len(data))
        file_bytes = data_offset + len(data)
        int8 = any(t["dtype"] != F32 and t["data"] is None for t in self.tensors) or \
            any(op[0] >= QUANTIZE for op in self.ops)
        version = VERSION_INT8 if int8 else VERSION

        out = bytearray(file_bytes)
        struct.pack_into("<4sHH17I", out, 0, MAGIC, version[0], version[1], HEADER_BYTES, file_bytes,
                         0, 0, len(self.tensors), tensors_offset, len(self.ops), ops_offset, len(self.inputs),
                         len(self.outputs), io_offset, strings_offset, len(strings), meta_offset, len(meta),
                         data_offset, len(data))
        for i, t in enumerate(self.tensors):
            dims = t["dims"] + [0] * (4 - len(t["dims"]))
            off, nbytes = placements[i]
            struct.pack_into("<IBBH4iIIfiIIi", out, tensors_offset + i * TENSOR_RECORD_BYTES, name_offsets[i],
                             t["dtype"], len(t["dims"]), FLAG_CONST if t["data"] is not None else 0, *dims,
                             off, nbytes, t["scale"], t["zero_point"], scale_offsets[i],
                             0 if t["channel_scales"] is None else len(t["channel_scales"]), t["channel_axis"])
        for i, (type_, ins, outs, params) in enumerate(self.ops):
            ins = ins + [-1] * (MAX_INPUTS - len(ins))
            outs = outs + [-1] * (MAX_OUTPUTS - len(outs))
            params = params + [0] * (MAX_PARAMS - len(params))
            n_in = len(ins)
            while n_in > 0 and ins[n_in - 1] == -1:
                n_in -= 1
            struct.pack_into("<HBB6i2i15i", out, ops_offset + i * OP_RECORD_BYTES, type_, n_in,
                             sum(1 for o in outs if o >= 0), *ins, *outs, *params)
        struct.pack_into("<%di" % (len(self.inputs) + len(self.outputs)), out, io_offset, *self.inputs, *self.outputs)
        out[strings_offset:strings_offset + len(strings)] = strings
        out[meta_offset:meta_offset + len(meta)] = meta
        out[data_offset:] = data
        crc = zlib.crc32(bytes(out)) & 0xFFFFFFFF  # CRC field is still zero here
        struct.pack_into("<I", out, 16, crc)
        if path:
            with open(path, "wb") as f:
                f.write(out)
        return bytes(out)


def load(path):
    """Reads a .mfm file back into a Graph (for tests that interpret a shipped
    file independently of the C runtime). Trusts the file: no checks beyond
    the magic and the CRC."""
    with open(path, "rb") as f:
        buf = f.read()
    head = struct.unpack_from("<4sHH17I", buf, 0)
    (magic, _, _, _, _, crc, _, n_t, t_off, n_op, op_off, n_in, n_out, io_off, s_off, s_len, m_off, m_len,
     _, _) = head
    assert magic == MAGIC, path
    assert zlib.crc32(buf[:16] + b"\0\0\0\0" + buf[20:]) & 0xFFFFFFFF == crc, path + ": CRC"
    strings = buf[s_off:s_off + s_len]
    meta_items = buf[m_off:m_off + m_len].split(b"\0")
    g = Graph(meta={meta_items[i].decode(): meta_items[i + 1].decode() for i in range(0, len(meta_items) - 1, 2)})
    for i in range(n_t):
        (name_off, dtype, rank, flags, d0, d1, d2, d3, off, nbytes, scale, zp, sc_off, sc_count,
         axis) = struct.unpack_from("<IBBH4iIIfiIIi", buf, t_off + i * TENSOR_RECORD_BYTES)
        dims = [d0, d1, d2, d3][:rank]
        name = None if name_off == 0xFFFFFFFF else strings[name_off:strings.index(b"\0", name_off)].decode()
        data = None
        if flags & FLAG_CONST:
            data = np.frombuffer(buf, NUMPY_DTYPES[dtype], nbytes // np.dtype(NUMPY_DTYPES[dtype]).itemsize,
                                 off).reshape(dims).copy()
        t = g._tensor(name, dtype, dims, data)
        channel_scales = np.frombuffer(buf, "<f4", sc_count, sc_off).copy() if sc_count else None
        g.set_quant(t, scale, zp, channel_scales, axis)
    for i in range(n_op):
        rec = struct.unpack_from("<HBB6i2i15i", buf, op_off + i * OP_RECORD_BYTES)
        type_, ni, no = rec[:3]
        g.ops.append((type_, list(rec[3:3 + ni]), list(rec[9:9 + no]), list(rec[11:26])))
    io = struct.unpack_from("<%di" % (n_in + n_out), buf, io_off)
    g.inputs, g.outputs = list(io[:n_in]), list(io[n_in:])
    return g
