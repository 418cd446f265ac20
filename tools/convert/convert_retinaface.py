"""RetinaFace-MobileNet0.25 (biubug6, cfg_mnet) -> mcuface model file.

The graph is built directly in NHWC from the checkpoint's state_dict, with
every BatchNorm folded into the convolution before it. Input: image
[1, H, W, 3] as BGR float minus the mean (104, 117, 123) (the caller does
this, see src/face/detect.c). Outputs, anchors ordered as the PyTorch heads
(row, column, anchor) per level, levels at strides 8, 16, 32:
  loc [1, N, 4] box deltas, conf [1, N, 2] softmax scores, landms [1, N, 10].
"""
import torch

import mfm

BN_EPS = 1e-5
LEAKY = 0.1  # MobileNet blocks, FPN and SSH use LeakyReLU(0.1) (all have <= 64 channels)


def load_state_dict(path):
    sd = torch.load(path, map_location="cpu")
    return {k.replace("module.", "", 1): v.numpy() for k, v in sd.items()}


class Builder:
    def __init__(self, sd):
        self.sd = sd
        self.g = mfm.Graph(meta={
            "kind": "detector", "arch": "retinaface_mnet025", "input_order": "bgr",
            "input_mean": "104,117,123", "input_scale": "1",
            "min_sizes": "16,32;64,128;256,512", "steps": "8,16,32", "variance": "0.1,0.2",
        })

    def conv_bn(self, x, prefix, stride=1, padding=1, groups=1, act="none"):
        """Conv2d (no bias) at PREFIX.0 followed by BatchNorm at PREFIX.1 (or at bn_index)."""
        w = self.sd[prefix + "0.weight"]
        bn = prefix + "1."
        w, b = mfm.fold_batch_norm(w, None, self.sd[bn + "weight"], self.sd[bn + "bias"],
                                   self.sd[bn + "running_mean"], self.sd[bn + "running_var"], BN_EPS)
        return self.g.conv2d(x, w, b, stride=stride, padding=padding, groups=groups, act=act, alpha=LEAKY)

    def conv_dw(self, x, prefix, stride):
        """Depthwise 3x3 + BN + leaky, then pointwise 1x1 + BN + leaky (layers 0,1 and 3,4)."""
        channels = self.sd[prefix + "0.weight"].shape[0]
        x = self.conv_bn(x, prefix, stride=stride, padding=1, groups=channels, act="leaky_relu")
        w = self.sd[prefix + "3.weight"]
        w, b = mfm.fold_batch_norm(w, None, self.sd[prefix + "4.weight"], self.sd[prefix + "4.bias"],
                                   self.sd[prefix + "4.running_mean"], self.sd[prefix + "4.running_var"], BN_EPS)
        return self.g.conv2d(x, w, b, act="leaky_relu", alpha=LEAKY)

    def ssh(self, x, prefix):
        c3 = self.conv_bn(x, prefix + "conv3X3.")
        c5_1 = self.conv_bn(x, prefix + "conv5X5_1.", act="leaky_relu")
        c5 = self.conv_bn(c5_1, prefix + "conv5X5_2.")
        c7_2 = self.conv_bn(c5_1, prefix + "conv7X7_2.", act="leaky_relu")
        c7 = self.conv_bn(c7_2, prefix + "conv7x7_3.")
        return self.g.activation(self.g.concat([c3, c5, c7], axis=3), "relu")

    def head(self, x, name, level, values):
        w = self.sd[f"{name}.{level}.conv1x1.weight"]
        b = self.sd[f"{name}.{level}.conv1x1.bias"]
        y = self.g.conv2d(x, w, b)
        return self.g.reshape(y, [1, -1, values])

    def build(self):
        g = self.g
        x = g.input("image", [1, 0, 0, 3])
        x = self.conv_bn(x, "body.stage1.0.", stride=2, act="leaky_relu")
        strides1 = [1, 2, 1, 2, 1]
        for i, s in enumerate(strides1, start=1):
            x = self.conv_dw(x, f"body.stage1.{i}.", s)
        c1 = x
        for i in range(6):
            x = self.conv_dw(x, f"body.stage2.{i}.", 2 if i == 0 else 1)
        c2 = x
        for i in range(2):
            x = self.conv_dw(x, f"body.stage3.{i}.", 2 if i == 0 else 1)
        c3 = x
        o1 = self.conv_bn(c1, "fpn.output1.", padding=0, act="leaky_relu")
        o2 = self.conv_bn(c2, "fpn.output2.", padding=0, act="leaky_relu")
        o3 = self.conv_bn(c3, "fpn.output3.", padding=0, act="leaky_relu")
        o2 = g.add(o2, g.resize(o3, "nearest", like=o2))
        o2 = self.conv_bn(o2, "fpn.merge2.", act="leaky_relu")
        o1 = g.add(o1, g.resize(o2, "nearest", like=o1))
        o1 = self.conv_bn(o1, "fpn.merge1.", act="leaky_relu")
        features = [self.ssh(f, f"ssh{i + 1}.") for i, f in enumerate([o1, o2, o3])]
        loc = g.concat([self.head(f, "BboxHead", i, 4) for i, f in enumerate(features)], axis=1)
        conf = g.concat([self.head(f, "ClassHead", i, 2) for i, f in enumerate(features)], axis=1)
        landms = g.concat([self.head(f, "LandmarkHead", i, 10) for i, f in enumerate(features)], axis=1)
        g.output(loc, "loc")
        g.output(g.softmax(conf), "conf")
        g.output(landms, "landms")
        return g


def convert(src_path, dst_path):
    Builder(load_state_dict(src_path)).build().save(dst_path)


# ---- int8 (post-training quantization, docs/INT8.md) --------------------------
# Calibration images: real faces that are not evaluation data for the numbers
# reported (WIDER dev is the AP benchmark, LFW the recognizer's): the
# multiface group photos and every 8th live frame of the NUAA dev split.
# Each is run at long side 320 and 640 (the two scales the AP is measured at
# are 320 and the original size, mostly about 1024).
CALIBRATION_LONG_SIDES = (320, 640)


def calibration_images(data_dir):
    import glob
    import os
    paths = sorted(glob.glob(os.path.join(data_dir, "multiface", "*.jpg")))
    with open(os.path.join(data_dir, "nuaa_dev", "labels.txt")) as f:
        live = [line.split()[0] for line in f if line.split()[1:] == ["live"]]
    paths += [os.path.join(data_dir, "nuaa_dev", p) for p in live[::8]]
    return paths


def preprocess(path, long_side):
    """As src/face/detect.c: BGR, long side LONG_SIDE (bilinear), minus the mean."""
    import cv2
    import numpy as np
    img = cv2.imread(path, cv2.IMREAD_COLOR)  # BGR
    h, w = img.shape[:2]
    s = long_side / max(h, w)
    nw, nh = max(1, int(np.floor(w * s + 0.5))), max(1, int(np.floor(h * s + 0.5)))
    img = cv2.resize(img, (nw, nh), interpolation=cv2.INTER_LINEAR).astype(np.float32)
    img -= np.array([104, 117, 123], np.float32)
    return img[None]


def convert_int8(src_path, dst_path, data_dir=None, percentile=99.995):
    import os
    import quantize
    here = os.path.dirname(os.path.abspath(__file__))
    data_dir = data_dir or os.environ.get("MCUFACE_DATA") or os.path.join(here, "..", "..", "..", "shared", "data")
    g = Builder(load_state_dict(src_path)).build()
    inputs = [preprocess(p, s) for p in calibration_images(data_dir) for s in CALIBRATION_LONG_SIDES]
    # The input is int8 too: src/face/detect.c quantizes while resizing, so the
    # arena never holds a float image (4 bytes a pixel channel).
    q = quantize.quantize_graph(g, inputs, meta={"precision": "int8", "calibration": "multiface + nuaa_dev live"},
                                int8_input=True, input_range=(0.0 - 123.0, 255.0 - 104.0),
                                percentile=percentile)
    q.save(dst_path)
