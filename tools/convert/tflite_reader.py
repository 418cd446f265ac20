"""Minimal reader for TensorFlow Lite flatbuffer model files (.tflite).

Only what mcuface's converters need: the tensors (shape, type, constant data),
the operators (builtin code, inputs, outputs, a few options) and the graph's
inputs and outputs. Written from the public schema
(tensorflow/lite/schema/schema.fbs); no flatbuffers or tensorflow package is used.

Flatbuffer layout in brief: every table starts with a signed 32-bit offset back
to its vtable; the vtable lists, per field id, the byte offset of the field
inside the table (0 = absent, use the default). References to tables, vectors
and strings are unsigned 32-bit offsets relative to where they are stored.
"""
import struct
from dataclasses import dataclass, field

import numpy as np

# TensorType enum -> numpy dtype (only the types that occur in float models).
TENSOR_TYPES = {
    0: np.float32, 1: np.float16, 2: np.int32, 3: np.uint8, 4: np.int64,
    6: np.bool_, 7: np.int16, 9: np.int8, 10: np.float64,
}

# BuiltinOperator enum values -> names, for the ops a converted float model uses.
BUILTIN_NAMES = {
    0: "ADD", 1: "AVERAGE_POOL_2D", 2: "CONCATENATION", 3: "CONV_2D",
    4: "DEPTHWISE_CONV_2D", 6: "DEQUANTIZE", 9: "FULLY_CONNECTED", 14: "LOGISTIC",
    18: "MUL", 19: "RELU", 22: "RESHAPE", 25: "SOFTMAX", 28: "TANH", 34: "PAD",
    39: "TRANSPOSE", 40: "MEAN", 41: "SUB", 42: "DIV", 43: "SQUEEZE",
    45: "STRIDED_SLICE", 47: "EXP", 49: "SPLIT", 54: "PRELU", 55: "MAXIMUM",
    57: "MINIMUM", 65: "SLICE", 66: "SIN", 74: "SUM", 75: "SQRT", 76: "RSQRT",
    78: "POW", 83: "PACK", 92: "SQUARE", 99: "SQUARED_DIFFERENCE", 102: "SPLIT_V",
    108: "COS", 126: "BATCH_MATMUL", 150: "GELU",
}


class _Table:
    """A flatbuffer table at byte position `pos` of `buf`."""

    def __init__(self, buf, pos):
        self.buf = buf
        self.pos = pos
        vtable = pos - struct.unpack_from("<i", buf, pos)[0]
        vt_size = struct.unpack_from("<H", buf, vtable)[0]
        n_fields = (vt_size - 4) // 2
        self.field_offsets = struct.unpack_from("<%dH" % n_fields, buf, vtable + 4)

    def _field_pos(self, field_id):
        if field_id >= len(self.field_offsets) or self.field_offsets[field_id] == 0:
            return None
        return self.pos + self.field_offsets[field_id]

    def scalar(self, field_id, fmt, default=0):
        p = self._field_pos(field_id)
        return default if p is None else struct.unpack_from("<" + fmt, self.buf, p)[0]

    def _deref(self, field_id):
        p = self._field_pos(field_id)
        return None if p is None else p + struct.unpack_from("<I", self.buf, p)[0]

    def table(self, field_id):
        p = self._deref(field_id)
        return None if p is None else _Table(self.buf, p)

    def vector(self, field_id, fmt):
        """Vector of scalars as a numpy array (empty if absent)."""
        p = self._deref(field_id)
        if p is None:
            return np.zeros(0, np.dtype("<" + fmt))
        n = struct.unpack_from("<I", self.buf, p)[0]
        return np.frombuffer(self.buf, np.dtype("<" + fmt), n, p + 4)

    def tables(self, field_id):
        p = self._deref(field_id)
        if p is None:
            return []
        n = struct.unpack_from("<I", self.buf, p)[0]
        out = []
        for i in range(n):
            q = p + 4 + 4 * i
            out.append(_Table(self.buf, q + struct.unpack_from("<I", self.buf, q)[0]))
        return out

    def string(self, field_id):
        p = self._deref(field_id)
        if p is None:
            return ""
        n = struct.unpack_from("<I", self.buf, p)[0]
        return bytes(self.buf[p + 4:p + 4 + n]).decode("utf-8", "replace")


@dataclass
class Tensor:
    index: int
    name: str
    shape: tuple
    dtype: type
    data: np.ndarray = None  # constant contents (reshaped), None for activations


@dataclass
class Operator:
    index: int
    op: str  # builtin name, e.g. "CONV_2D"
    inputs: list
    outputs: list
    options: dict = field(default_factory=dict)


@dataclass
class Graph:
    tensors: list
    operators: list
    inputs: list
    outputs: list
    description: str = ""


def _parse_options(op_name, opts):
    """Decode the builtin options that change an op's arithmetic."""
    if opts is None:
        return {}
    if op_name in ("CONV_2D", "DEPTHWISE_CONV_2D"):
        d = {"padding": "SAME" if opts.scalar(0, "b") == 0 else "VALID",
             "stride_w": opts.scalar(1, "i"), "stride_h": opts.scalar(2, "i")}
        if op_name == "CONV_2D":
            d.update(activation=opts.scalar(3, "b"), dilation_w=opts.scalar(4, "i", 1),
                     dilation_h=opts.scalar(5, "i", 1))
        else:
            d.update(depth_multiplier=opts.scalar(3, "i"), activation=opts.scalar(4, "b"),
                     dilation_w=opts.scalar(5, "i", 1), dilation_h=opts.scalar(6, "i", 1))
        return d
    if op_name == "FULLY_CONNECTED":
        return {"activation": opts.scalar(0, "b"), "keep_num_dims": bool(opts.scalar(2, "B"))}
    if op_name in ("ADD", "SUB", "MUL", "DIV"):
        return {"activation": opts.scalar(0, "b")}
    if op_name == "CONCATENATION":
        return {"axis": opts.scalar(0, "i"), "activation": opts.scalar(1, "b")}
    if op_name == "SOFTMAX":
        return {"beta": opts.scalar(0, "f")}
    if op_name in ("MEAN", "SUM"):
        return {"keep_dims": bool(opts.scalar(0, "B"))}
    if op_name == "RESHAPE":
        return {"new_shape": opts.vector(0, "i").tolist()}
    if op_name == "BATCH_MATMUL":
        return {"adj_x": bool(opts.scalar(0, "B")), "adj_y": bool(opts.scalar(1, "B"))}
    if op_name == "GELU":
        return {"approximate": bool(opts.scalar(0, "B"))}
    if op_name == "STRIDED_SLICE":
        return {k: opts.scalar(i, "i") for i, k in enumerate(
            ("begin_mask", "end_mask", "ellipsis_mask", "new_axis_mask", "shrink_axis_mask"))}
    if op_name in ("SPLIT", "SPLIT_V"):
        return {"num_splits": opts.scalar(0, "i")}
    if op_name == "SQUEEZE":
        return {"squeeze_dims": opts.vector(0, "i").tolist()}
    if op_name == "PACK":
        return {"values_count": opts.scalar(0, "i"), "axis": opts.scalar(1, "i")}
    return {}


def read_tflite(path):
    """Parse subgraph 0 of a .tflite file into a Graph of numpy-backed tensors."""
    with open(path, "rb") as f:
        buf = f.read()
    if buf[4:8] != b"TFL3":
        raise ValueError("%s: not a TFLite flatbuffer (identifier %r)" % (path, buf[4:8]))
    model = _Table(buf, struct.unpack_from("<I", buf, 0)[0])
    # Model fields: 0 version, 1 operator_codes, 2 subgraphs, 3 description, 4 buffers.
    op_codes = []
    for oc in model.tables(1):
        # The extended builtin_code (field 3) supersedes the legacy byte (field 0).
        code = max(oc.scalar(0, "b"), oc.scalar(3, "i"))
        op_codes.append(BUILTIN_NAMES.get(code, "BUILTIN_%d" % code))
    buffers = [b.vector(0, "B") for b in model.tables(4)]
    subgraphs = model.tables(2)
    if len(subgraphs) != 1:
        raise ValueError("expected one subgraph, found %d" % len(subgraphs))
    sg = subgraphs[0]

    tensors = []
    for i, t in enumerate(sg.tables(0)):  # Tensor: 0 shape, 1 type, 2 buffer, 3 name
        shape = tuple(int(s) for s in t.vector(0, "i"))
        ttype = t.scalar(1, "b")
        if ttype not in TENSOR_TYPES:
            raise ValueError("tensor %d: unsupported type %d" % (i, ttype))
        dtype = TENSOR_TYPES[ttype]
        raw = buffers[t.scalar(2, "I")]
        data = None
        if raw.size:
            data = np.frombuffer(raw.tobytes(), np.dtype(dtype).newbyteorder("<")).reshape(shape)
        tensors.append(Tensor(i, t.string(3), shape, dtype, data))

    operators = []
    for i, o in enumerate(sg.tables(3)):  # Operator: 0 opcode, 1 inputs, 2 outputs, 4 options
        name = op_codes[o.scalar(0, "I")]
        operators.append(Operator(i, name, o.vector(1, "i").tolist(), o.vector(2, "i").tolist(),
                                  _parse_options(name, o.table(4))))
    return Graph(tensors, operators, sg.vector(1, "i").tolist(), sg.vector(2, "i").tolist(),
                 model.string(3))


if __name__ == "__main__":
    import sys
    from collections import Counter

    g = read_tflite(sys.argv[1])
    print("description:", g.description)
    print("tensors:", len(g.tensors), "operators:", len(g.operators))
    print("inputs:", [(g.tensors[i].name, g.tensors[i].shape) for i in g.inputs])
    print("outputs:", [(g.tensors[i].name, g.tensors[i].shape) for i in g.outputs])
    print("ops:", dict(Counter(o.op for o in g.operators)))
    if "-v" in sys.argv:
        for o in g.operators:
            ins = ["%d%s%s" % (i, list(g.tensors[i].shape), "c" if g.tensors[i].data is not None else "")
                   for i in o.inputs if i >= 0]
            print(o.index, o.op, ins, "->", [(i, list(g.tensors[i].shape)) for i in o.outputs],
                  o.options or "")
