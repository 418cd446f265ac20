"""MiniFASNetV2 / MiniFASNetV1SE (Silent-Face anti-spoofing) -> mcuface model file.

The NHWC graph is built from the checkpoint's state_dict (architecture:
minifasnet.py, the PyTorch oracle). Every BatchNorm2d is folded into the
convolution before it; PReLU is an activation op with per-channel slopes;
squeeze-excitation is mean over H, W -> 1x1 conv (+BN) + ReLU -> 1x1 conv
(+BN) + sigmoid -> multiply; the head linear(512->128) + BatchNorm1d is
folded into one fully connected layer with bias, followed by prob(128->3).
Softmax is left out of the graph: the output is the 3 logits, like the ONNX
exports, and src/face/liveness.c applies the softmax (class 1 = real).

Input: image [1, 80, 80, 3], BGR float 0..255 (no mean, no scale): the
crop of the face box scaled by `crop_scale` about its centre (see
docs/models/MINIFASNET.md). Output: logits [1, 3].
"""
import numpy as np

import mfm
import minifasnet

BN_EPS = minifasnet.BN_EPS


class Builder:
    def __init__(self, sd, arch, crop_scale):
        self.sd = {k: v.numpy() for k, v in sd.items()}
        self.g = mfm.Graph(meta={
            "kind": "liveness", "arch": arch, "input_order": "bgr", "input_mean": "0,0,0", "input_scale": "1",
            "crop_scale": repr(crop_scale), "live_class": "1", "output": "logits",
        })

    def folded(self, conv, bn):
        return mfm.fold_batch_norm(self.sd[conv + ".weight"], None, self.sd[bn + ".weight"], self.sd[bn + ".bias"],
                                   self.sd[bn + ".running_mean"], self.sd[bn + ".running_var"], BN_EPS)

    def conv_bn(self, x, prefix, stride=1, padding=0, act="none"):
        """ConvBN at PREFIX (conv, bn, optional prelu); depthwise when the weight has one input channel."""
        w, b = self.folded(prefix + ".conv", prefix + ".bn")
        groups = w.shape[0] if w.shape[1] == 1 and w.shape[0] > 1 else 1
        y = self.g.conv2d(x, w, b, stride=stride, padding=padding, groups=groups, act=act)
        slopes = self.sd.get(prefix + ".prelu.weight")
        if slopes is not None:
            y = self.g.activation(y, "prelu", slopes=slopes.astype(np.float32))
        return y

    def squeeze_excite(self, x, prefix):
        g = self.g
        s = g.mean(x, axes=(1, 2))
        w1, b1 = self.folded(prefix + ".fc1", prefix + ".bn1")
        s = g.conv2d(s, w1, b1, act="relu")
        w2, b2 = self.folded(prefix + ".fc2", prefix + ".bn2")
        s = g.conv2d(s, w2, b2, act="sigmoid")
        return g.mul(x, s)

    def bottleneck(self, x, prefix, stride, residual):
        y = self.conv_bn(x, prefix + ".conv")
        y = self.conv_bn(y, prefix + ".conv_dw", stride=stride, padding=1)
        y = self.conv_bn(y, prefix + ".project")
        if not residual:
            return y
        if prefix + ".se_module.fc1.weight" in self.sd:
            y = self.squeeze_excite(y, prefix + ".se_module")
        return self.g.add(x, y)

    def build(self):
        g = self.g
        x = g.input("image", [1, 80, 80, 3])
        x = self.conv_bn(x, "conv1", stride=2, padding=1)
        x = self.conv_bn(x, "conv2_dw", padding=1)
        for name, starts, stride, residual in minifasnet.STAGES:
            for i in range(len(starts)):
                x = self.bottleneck(x, f"{name}.model.{i}" if residual else name, stride, residual)
        x = self.conv_bn(x, "conv_6_sep")
        x = self.conv_bn(x, "conv_6_dw")  # 5x5 depthwise, no padding: [1, 1, 1, 512]
        x = g.reshape(x, [1, -1])
        w, b = mfm.fold_batch_norm(self.sd["linear.weight"], None, self.sd["bn.weight"], self.sd["bn.bias"],
                                   self.sd["bn.running_mean"], self.sd["bn.running_var"], BN_EPS)
        x = g.fully_connected(x, w, b)
        x = g.fully_connected(x, self.sd["prob.weight"].astype(np.float32))
        g.output(x, "logits")
        return g


def convert(src_path, dst_path):
    arch = minifasnet.arch_from_filename(src_path)
    # strict load through the oracle first: a checkpoint that does not fit the architecture is refused
    model = minifasnet.load(src_path, arch)
    Builder(model.state_dict(), arch, minifasnet.crop_scale_from_filename(src_path)).build().save(dst_path)


# ---- int8 (post-training quantization, docs/INT8.md "MiniFASNet") -------------
# Calibration inputs: Silent-Face crops (this model's crop scale, 80x80, BGR
# 0..255) of real faces only: the largest face of every 8th live frame of
# ../shared/data/nuaa_dev and every face of at least MIN_FACE pixels in the
# ../shared/data/multiface photos, found by the PyTorch RetinaFace oracle at
# long side 320 (as `mcuface eval nuaa`). Never LFW, never an attack frame.
NUAA_LIVE_STEP = 8
MIN_FACE = 24


def _faces(detector, path, largest_only):
    import retinaface
    rgb = retinaface.read_rgb(path)
    faces = detector.detect(rgb, long_side=320)
    boxes = [f["box"] for f in faces if f["box"][2] - f["box"][0] >= MIN_FACE]
    if largest_only and boxes:
        boxes = [max(boxes, key=lambda b: (b[2] - b[0]) * (b[3] - b[1]))]
    return rgb[:, :, ::-1], boxes


def calibration_crops(data_dir, detector_weights, scale):
    import glob
    import os

    import cv2
    import retinaface
    detector = retinaface.Detector(detector_weights)
    with open(os.path.join(data_dir, "nuaa_dev", "labels.txt")) as f:
        live = [line.split()[0] for line in f if line.split()[1:] == ["live"]]
    jobs = [(os.path.join(data_dir, "nuaa_dev", p), True) for p in live[::NUAA_LIVE_STEP]]
    jobs += [(p, False) for p in sorted(glob.glob(os.path.join(data_dir, "multiface", "*.jpg")))]
    crops = []
    for path, largest_only in jobs:
        bgr, boxes = _faces(detector, path, largest_only)
        h, w = bgr.shape[:2]
        for box in boxes:
            left, top, right, bottom = minifasnet.get_new_box(w, h, minifasnet.face_box_to_bbox(*box), scale)
            crop = cv2.resize(bgr[top:bottom + 1, left:right + 1], (80, 80))
            crops.append(crop.astype(np.float32)[None])
    return crops


def convert_int8(src_path, dst_path, data_dir=None, percentile=99.995):
    import os
    import quantize
    here = os.path.dirname(os.path.abspath(__file__))
    data_dir = data_dir or os.environ.get("MCUFACE_DATA") or os.path.join(here, "..", "..", "..", "shared", "data")
    models_dir = os.path.dirname(os.path.dirname(os.path.abspath(src_path)))
    detector = os.path.join(models_dir, "retinaface_mnet025", "mobilenet0.25_Final.pth")
    arch = minifasnet.arch_from_filename(src_path)
    scale = minifasnet.crop_scale_from_filename(src_path)
    g = Builder(minifasnet.load(src_path, arch).state_dict(), arch, scale).build()
    crops = calibration_crops(data_dir, detector, scale)
    # The input range is the pixel range: scale 1, zero point -128, so the
    # QUANTIZE of the 0..255 crop is exact.
    q = quantize.quantize_graph(g, crops, meta={"precision": "int8", "calibration": "nuaa_dev live + multiface crops",
                                                "calibration_crops": str(len(crops))},
                                input_range=(0.0, 255.0), percentile=percentile)
    q.save(dst_path)
