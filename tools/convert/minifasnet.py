"""MiniFASNetV2 and MiniFASNetV1SE (Silent-Face-Anti-Spoofing, minivision-ai) in plain PyTorch.

This is the test oracle for the mcuface liveness models: the module names match
the official checkpoints' state_dict keys, so the .pth files load strictly
(after stripping DataParallel's `module.` prefix). Written from the published
architecture description and the checkpoints' key names and shapes.

Network (80x80 input, NCHW, BGR float 0..255, no normalisation):
  conv1      3x3/2 conv + BN + PReLU                       -> 40x40
  conv2_dw   3x3 depthwise + BN + PReLU
  conv_23    bottleneck (1x1 expand, 3x3/2 depthwise, 1x1 project) -> 20x20
  conv_3     4 residual bottlenecks
  conv_34    bottleneck /2                                  -> 10x10
  conv_4     6 residual bottlenecks
  conv_45    bottleneck /2                                  -> 5x5
  conv_5     2 residual bottlenecks
  conv_6_sep 1x1 conv + BN + PReLU (512)
  conv_6_dw  5x5 depthwise, no padding, + BN                -> 1x1x512
  linear 512->128 (no bias), BatchNorm1d(128), dropout (inference: none), prob 128->3 (no bias)
Each bottleneck: 1x1 conv+BN+PReLU, 3x3 depthwise+BN+PReLU, 1x1 conv+BN (no
activation); residual ones add the input. In V1SE the last residual block of
conv_3, conv_4 and conv_5 applies squeeze-excitation to the projected features
before the addition: global mean, 1x1 conv (C -> C/4) + BN + ReLU, 1x1 conv
(C/4 -> C) + BN + sigmoid, multiply.
Output: 3 logits; softmax class 1 = real face, classes 0 and 2 = attack types.

Usage as a check: python3 minifasnet.py [MODEL_DIR] compares both checkpoints
with the ONNX exports next to them (cv2.dnn) on random inputs.
"""
import os
import sys

import numpy as np
import torch
from torch import nn

# Channel widths of the pruned networks ("keep" lists, 49 entries): index 0-1 stem,
# then each bottleneck starting at index a reads keep[a] channels, expands to
# keep[a+1] (= keep[a+2], depthwise) and projects to keep[a+3].
KEEP_V1 = [32, 32, 103, 103, 64, 13, 13, 64, 26, 26, 64, 13, 13, 64, 52, 52, 64, 231, 231, 128,
           154, 154, 128, 52, 52, 128, 26, 26, 128, 52, 52, 128, 26, 26, 128, 26, 26, 128, 308, 308,
           128, 26, 26, 128, 26, 26, 128, 512, 512]
KEEP_V2 = [32, 32, 103, 103, 64, 13, 13, 64, 13, 13, 64, 13, 13, 64, 13, 13, 64, 231, 231, 128,
           231, 231, 128, 52, 52, 128, 26, 26, 128, 77, 77, 128, 26, 26, 128, 26, 26, 128, 308, 308,
           128, 26, 26, 128, 26, 26, 128, 512, 512]
BN_EPS = 1e-5
SE_REDUCTION = 4

# (module name, first keep index of each block, stride, residual)
STAGES = [
    ("conv_23", [1], 2, False),
    ("conv_3", [4, 7, 10, 13], 1, True),
    ("conv_34", [16], 2, False),
    ("conv_4", [19, 22, 25, 28, 31, 34], 1, True),
    ("conv_45", [37], 2, False),
    ("conv_5", [40, 43], 1, True),
]


class ConvBN(nn.Module):
    """Conv2d (no bias) + BatchNorm2d, optionally followed by a per-channel PReLU."""

    def __init__(self, cin, cout, kernel=1, stride=1, padding=0, groups=1, prelu=True):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, kernel, stride, padding, groups=groups, bias=False)
        self.bn = nn.BatchNorm2d(cout)
        if prelu:
            self.prelu = nn.PReLU(cout)

    def forward(self, x):
        x = self.bn(self.conv(x))
        return self.prelu(x) if hasattr(self, "prelu") else x


class SqueezeExcite(nn.Module):
    def __init__(self, channels):
        super().__init__()
        hidden = channels // SE_REDUCTION
        self.fc1 = nn.Conv2d(channels, hidden, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(hidden)
        self.fc2 = nn.Conv2d(hidden, channels, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(channels)

    def forward(self, x):
        s = x.mean(dim=(2, 3), keepdim=True)
        s = torch.relu(self.bn1(self.fc1(s)))
        s = torch.sigmoid(self.bn2(self.fc2(s)))
        return x * s


class Bottleneck(nn.Module):
    def __init__(self, cin, cexp, cout, stride, residual, se):
        super().__init__()
        self.conv = ConvBN(cin, cexp)
        self.conv_dw = ConvBN(cexp, cexp, 3, stride, 1, groups=cexp)
        self.project = ConvBN(cexp, cout, prelu=False)
        self.residual = residual
        if se:
            self.se_module = SqueezeExcite(cout)

    def forward(self, x):
        y = self.project(self.conv_dw(self.conv(x)))
        if not self.residual:
            return y
        if hasattr(self, "se_module"):
            y = self.se_module(y)
        return x + y


class Stage(nn.Module):
    """A run of residual bottlenecks stored under `model.<i>` like the checkpoints."""

    def __init__(self, blocks):
        super().__init__()
        self.model = nn.Sequential(*blocks)

    def forward(self, x):
        return self.model(x)


class MiniFASNet(nn.Module):
    def __init__(self, keep, se, conv6_kernel=(5, 5), embedding=128, classes=3):
        super().__init__()
        self.conv1 = ConvBN(3, keep[0], 3, 2, 1)
        self.conv2_dw = ConvBN(keep[0], keep[1], 3, 1, 1, groups=keep[1])
        for name, starts, stride, residual in STAGES:
            blocks = []
            for i, a in enumerate(starts):
                last = i == len(starts) - 1
                blocks.append(Bottleneck(keep[a], keep[a + 1], keep[a + 3], stride, residual, se and residual and last))
            setattr(self, name, Stage(blocks) if residual else blocks[0])
        self.conv_6_sep = ConvBN(keep[46], keep[47])
        self.conv_6_dw = ConvBN(keep[47], keep[48], conv6_kernel, 1, 0, groups=keep[48], prelu=False)
        self.linear = nn.Linear(512, embedding, bias=False)
        self.bn = nn.BatchNorm1d(embedding)
        self.prob = nn.Linear(embedding, classes, bias=False)

    def forward(self, x):
        x = self.conv2_dw(self.conv1(x))
        for name, _, _, _ in STAGES:
            x = getattr(self, name)(x)
        x = self.conv_6_dw(self.conv_6_sep(x))
        x = x.flatten(1)
        return self.prob(self.bn(self.linear(x)))


ARCHS = {
    "minifasnet_v2": lambda: MiniFASNet(KEEP_V2, se=False),
    "minifasnet_v1se": lambda: MiniFASNet(KEEP_V1, se=True),
}


def arch_from_filename(path):
    name = os.path.basename(path)
    if name.endswith("MiniFASNetV2.pth"):
        return "minifasnet_v2"
    if name.endswith("MiniFASNetV1SE.pth"):
        return "minifasnet_v1se"
    raise ValueError(f"{name}: not a MiniFASNetV2 / MiniFASNetV1SE checkpoint")


def crop_scale_from_filename(path):
    """`2.7_80x80_...` -> 2.7, `4_0_0_80x80_...` -> 4.0 (scale, shift x, shift y)."""
    head = os.path.basename(path).split("_80x80_")[0]
    return float(head.split("_")[0])


def load_state_dict(path):
    sd = torch.load(path, map_location="cpu")
    return {(k[len("module."):] if k.startswith("module.") else k): v for k, v in sd.items()}


def load(path, arch=None):
    """The checkpoint at PATH in eval mode (strict load)."""
    model = ARCHS[arch or arch_from_filename(path)]()
    model.load_state_dict(load_state_dict(path), strict=True)
    return model.eval()


def logits(model, bgr_images):
    """Logits [N, 3] for uint8/float BGR images [N, 80, 80, 3] (values 0..255)."""
    x = torch.from_numpy(np.ascontiguousarray(np.asarray(bgr_images, dtype=np.float32).transpose(0, 3, 1, 2)))
    with torch.no_grad():
        return model(x).numpy()


def get_new_box(src_w, src_h, bbox, scale):
    """Silent-Face CropImage._get_new_box: BBOX = (x, y, w, h) ints; returns inclusive
    (left, top, right, bottom) of the crop. Written from the upstream rule: scale capped so
    the crop fits, centred on the box, shifted back inside [0, src - 1], truncated."""
    x, y, box_w, box_h = bbox
    scale = min((src_h - 1) / box_h, min((src_w - 1) / box_w, scale))
    new_w, new_h = box_w * scale, box_h * scale
    cx, cy = box_w / 2 + x, box_h / 2 + y
    left, top = cx - new_w / 2, cy - new_h / 2
    right, bottom = cx + new_w / 2, cy + new_h / 2
    if left < 0:
        right -= left
        left = 0
    if top < 0:
        bottom -= top
        top = 0
    if right > src_w - 1:
        left -= right - src_w + 1
        right = src_w - 1
    if bottom > src_h - 1:
        top -= bottom - src_h + 1
        bottom = src_h - 1
    return int(left), int(top), int(right), int(bottom)


def face_box_to_bbox(x1, y1, x2, y2):
    """Detector corners -> Silent-Face's integer (x, y, w, h), as its get_bbox does."""
    return int(x1), int(y1), int(x2 - x1 + 1), int(y2 - y1 + 1)


def check_against_onnx(model_dir):
    import cv2
    worst = 0.0
    rng = np.random.default_rng(0)
    for pth, onnx_name in [("2.7_80x80_MiniFASNetV2.pth", "2.7_80x80_MiniFASNetV2.onnx"),
                           ("4_0_0_80x80_MiniFASNetV1SE.pth", "4_0_0_80x80_MiniFASNetV1SE.onnx")]:
        model = load(os.path.join(model_dir, pth))
        net = cv2.dnn.readNetFromONNX(os.path.join(model_dir, onnx_name))
        model_worst = 0.0
        for _ in range(4):
            img = rng.integers(0, 256, size=(1, 80, 80, 3)).astype(np.float32)
            ref = logits(model, img)
            net.setInput(img.transpose(0, 3, 1, 2).copy())
            got = net.forward()
            model_worst = max(model_worst, float(np.abs(ref - got).max()))
        worst = max(worst, model_worst)
        print(f"{pth}: torch vs ONNX (cv2.dnn), 4 random inputs: max |diff| {model_worst:.2e}")
    return worst


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    default = os.path.join(here, "..", "..", "..", "shared", "models", "minifasnet")
    worst = check_against_onnx(sys.argv[1] if len(sys.argv) > 1 else default)
    sys.exit(0 if worst < 1e-4 else 1)
