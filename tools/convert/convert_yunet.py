"""YuNet (OpenCV zoo face_detection_yunet_2023mar.onnx) -> mcuface model file.

The ONNX graph is walked node by node and mapped onto the runtime's ops, in
NHWC (docs/models/YUNET.md):
  Conv (+ the Relu that alone reads it)  -> conv2d / depthwise conv2d (fused relu)
  Relu                                  -> activation relu (none left after fusing)
  MaxPool 2x2 / 2                       -> pool2d max
  Resize nearest (asymmetric, floor) x2 -> resize nearest, size like the tensor it is added to
  Add                                   -> binary add
  Transpose NCHW->NHWC + Reshape        -> reshape [1, -1, C] (already NHWC: a view)
  Sigmoid                               -> activation sigmoid
The export's fixed 640x640 input becomes [1, 0, 0, 3] (chosen when planning;
the net is fully convolutional, sizes must be multiples of 32). The twelve
outputs (four heads at strides 8, 16, 32) exceed the format's eight, so each
head's three levels are concatenated (stride 8 rows first, then 16, 32; rows
of a level in (row, column) order, as the ONNX reshape):
  cls [1, N, 1] and obj [1, N, 1] (sigmoid, after the concat),
  bbox [1, N, 4], kps [1, N, 10].
Input: image [1, H, W, 3] BGR, raw 0..255 float, no mean or scale.
"""
import numpy as np

import mfm

ARCH = "yunet"
STRIDES = (8, 16, 32)
HEADS = ("cls", "obj", "bbox", "kps")
HEAD_WIDTHS = dict(cls=1, obj=1, bbox=4, kps=10)
META = {
    "kind": "detector", "arch": ARCH, "input_order": "bgr", "input_mean": "0,0,0", "input_scale": "1",
    "input_multiple": "32", "steps": "8,16,32",
    # FaceDetectorYN's defaults (opencv_zoo demo): score 0.9, NMS 0.3, top-k 5000
    "score_threshold": "0.9", "nms_threshold": "0.3", "top_k": "5000",
}


def _attrs(node):
    import onnx
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def build(onnx_path):
    import onnx
    import onnx.numpy_helper
    model = onnx.load(onnx_path)
    graph = model.graph
    inits = {i.name: onnx.numpy_helper.to_array(i) for i in graph.initializer}
    consumers = {}
    for n in graph.node:
        for i in n.input:
            consumers.setdefault(i, []).append(n)

    g = mfm.Graph(meta=dict(META))
    t = {graph.input[0].name: g.input("image", [1, 0, 0, 3])}
    fused = set()      # Relu nodes folded into the conv before them
    head_rows = {}     # ONNX output name -> reshaped [1, n, C] tensor (before any sigmoid)
    ops_used = set()
    for n in graph.node:
        a = _attrs(n)
        if n.op_type == "Conv":
            w = inits[n.input[1]]
            b = inits[n.input[2]] if len(n.input) > 2 else None
            assert a.get("dilations", [1, 1]) == [1, 1] and a.get("auto_pad", b"NOTSET") == b"NOTSET", n.name
            groups = a.get("group", 1)
            pads = a.get("pads", [0, 0, 0, 0])  # ONNX: top, left, bottom, right
            users = consumers.get(n.output[0], [])
            act = "none"
            if len(users) == 1 and users[0].op_type == "Relu" and n.output[0] not in [o.name for o in graph.output]:
                act = "relu"
                fused.add(id(users[0]))
            y = g.conv2d(t[n.input[0]], w, b, stride=tuple(a["strides"]), padding=(pads[0], pads[1], pads[2], pads[3]),
                         groups=groups, act=act)
            ops_used.add("depthwise conv2d" if groups > 1 else "conv2d")
            t[n.output[0]] = y
            if act == "relu":
                t[users[0].output[0]] = y
        elif n.op_type == "Relu":
            if id(n) not in fused:
                t[n.output[0]] = g.activation(t[n.input[0]], "relu")
                ops_used.add("activation relu")
        elif n.op_type == "MaxPool":
            assert a["kernel_shape"] == [2, 2] and a["strides"] == [2, 2] and not any(a.get("pads", [0] * 4)) \
                and not a.get("ceil_mode", 0), n.name
            t[n.output[0]] = g.pool2d(t[n.input[0]], "max", 2, 2)
            ops_used.add("pool2d max")
        elif n.op_type == "Resize":
            assert a["mode"] == b"nearest" and a["coordinate_transformation_mode"] == b"asymmetric" \
                and a["nearest_mode"] == b"floor", n.name
            scales = inits[n.input[2]]
            assert list(scales) == [1, 1, 2, 2], scales
            # x2 nearest: the output takes the size of the skip tensor it is added to
            (add,) = consumers[n.output[0]]
            assert add.op_type == "Add"
            skip = [i for i in add.input if i != n.output[0]][0]
            t[n.output[0]] = g.resize(t[n.input[0]], "nearest", like=t[skip])
            ops_used.add("resize nearest")
        elif n.op_type == "Add":
            t[n.output[0]] = g.add(t[n.input[0]], t[n.input[1]])
            ops_used.add("binary add")
        elif n.op_type == "Transpose":
            assert a["perm"] == [0, 2, 3, 1], n.name  # NCHW -> NHWC: nothing to do in NHWC
            t[n.output[0]] = t[n.input[0]]
        elif n.op_type == "Reshape":
            shape = inits[n.input[1]]
            assert len(shape) == 3 and shape[0] == 1, shape
            channels = int(shape[2])
            y = g.reshape(t[n.input[0]], [1, -1, channels])
            ops_used.add("reshape")
            t[n.output[0]] = y
            head_rows[n.output[0]] = y
        elif n.op_type == "Sigmoid":
            # cls / obj: the sigmoid moves after the concat (one op per head)
            t[n.output[0]] = t[n.input[0]]
            head_rows[n.output[0]] = t[n.input[0]]
        else:
            raise NotImplementedError(f"YuNet converter: ONNX op {n.op_type} ({n.name})")

    for head in HEADS:
        rows = [head_rows[f"{head}_{s}"] for s in STRIDES]
        y = g.concat(rows, axis=1)
        if head in ("cls", "obj"):
            y = g.activation(y, "sigmoid")
        g.output(y, head)
    ops_used.update({"concat", "activation sigmoid"})
    g.ops_used = sorted(ops_used)
    return g


def convert(src_path, dst_path):
    build(src_path).save(dst_path)


# ---- int8 (post-training quantization, docs/INT8.md) --------------------------
# The same calibration images and scales as RetinaFace's int8 (multiface photos
# and every 8th live nuaa_dev frame, at long sides 320 and 640): never WIDER,
# whose dev split is the AP benchmark, never LFW.
CALIBRATION_LONG_SIDES = (320, 640)


def preprocess(path, long_side):
    """As src/face/detect_yunet.c: BGR, long side LONG_SIDE (bilinear), raw
    0..255, zero-padded at the bottom and right to multiples of 32."""
    import cv2
    img = cv2.imread(path, cv2.IMREAD_COLOR)  # BGR
    h, w = img.shape[:2]
    s = long_side / max(h, w)
    nw, nh = max(1, int(np.floor(w * s + 0.5))), max(1, int(np.floor(h * s + 0.5)))
    img = cv2.resize(img, (nw, nh), interpolation=cv2.INTER_LINEAR).astype(np.float32)
    pw, ph = -(-nw // 32) * 32, -(-nh // 32) * 32
    out = np.zeros((ph, pw, 3), np.float32)
    out[:nh, :nw] = img
    return out[None]


def convert_int8(src_path, dst_path, data_dir=None, percentile=99.995):
    import os
    import convert_retinaface
    import quantize
    here = os.path.dirname(os.path.abspath(__file__))
    data_dir = data_dir or os.environ.get("MCUFACE_DATA") or os.path.join(here, "..", "..", "..", "shared", "data")
    g = build(src_path)
    paths = convert_retinaface.calibration_images(data_dir)
    inputs = [preprocess(p, s) for p in paths for s in CALIBRATION_LONG_SIDES]
    # int8 input: src/face/detect_yunet.c quantizes while resizing (no float image in the arena)
    q = quantize.quantize_graph(g, inputs, meta={"precision": "int8", "calibration": "multiface + nuaa_dev live"},
                                int8_input=True, input_range=(0.0, 255.0), percentile=percentile)
    q.save(dst_path)


if __name__ == "__main__":
    import sys
    graph = build(sys.argv[1])
    print("ops:", ", ".join(graph.ops_used), f"({len(graph.ops)} ops)")
    if len(sys.argv) > 2:
        graph.save(sys.argv[2])
