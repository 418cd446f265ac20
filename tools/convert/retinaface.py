"""PyTorch reference (test oracle) for RetinaFace-MobileNet0.25 (biubug6 cfg_mnet).

Written from the checkpoint's key names and shapes, checked against biubug6's
models/{retinaface,net}.py, layers/functions/prior_box.py, utils/box_utils.py
and test_widerface.py. Three separate pieces:

  load_weights(path)        checkpoint -> {name: numpy array} (the converter reuses it)
  RetinaFaceMNet / forward  the network, strict-loaded from that dict
  detect(image, long_side)  test_widerface.py's pipeline around the network

Network (every conv has no bias and is followed by BatchNorm eps 1e-5, except the heads):
  body.stage1  conv3x3/2 3->8, then depthwise-separable blocks 8->16, ->32/2, ->32, ->64/2, ->64
  body.stage2  ->128/2, five 128->128                                      (stride 16)
  body.stage3  ->256/2, 256->256                                           (stride 32)
  fpn          1x1 conv per level to 64 ch; coarse level upsampled (nearest, to the exact
               size of the finer level) and added, then a 3x3 "merge" conv: 3->2, then 2->1
  ssh1..3      concat([conv3X3 (32 ch), conv5X5_2 (16), conv7x7_3 (16)]) -> ReLU, where
               conv5X5_1 (16) feeds both conv5X5_2 and conv7X7_2 -> conv7x7_3
  heads        1x1 conv with bias per level; NCHW -> NHWC -> [1, H*W*2, k]; levels concatenated
Activations: LeakyReLU(0.1) after every backbone conv (stem and both halves of each
block), after the FPN output and merge convs (biubug6 uses 0.1 when out_channels <= 64),
and after SSH conv5X5_1 / conv7X7_2. SSH conv3X3, conv5X5_2, conv7x7_3 have none; the SSH
output has a plain ReLU. conf goes through softmax (phase 'test'); column 1 is the face.

Resize convention (the C runtime follows it exactly):
  longest = max(H, W); for long_side > 0:
      net_w = floor(W * long_side / longest + 0.5), net_h likewise (integer arithmetic,
      at least 1), so the long side is exactly long_side; (rounding="floor" truncates
      instead: the reference APs at long side 320 were made that way);
  long_side == 0 keeps the original size. The float32 BGR image is resized with
  cv2.resize(INTER_LINEAR) to (net_w, net_h), then the mean (104, 117, 123) is subtracted
  (test_widerface.py's order). Boxes and landmarks are decoded in network pixels and
  mapped back per axis: x * (W / net_w), y * (H / net_h).
"""
import math
from collections import OrderedDict

import cv2
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

MEAN_BGR = (104.0, 117.0, 123.0)
MIN_SIZES = ((16, 32), (64, 128), (256, 512))
STEPS = (8, 16, 32)
VARIANCE = (0.1, 0.2)
LEAKY = 0.1
ANCHORS = 2

SCORE_THRESHOLD = 0.02
TOP_K = 5000
NMS_THRESHOLD = 0.4
KEEP_TOP_K = 750


def load_weights(path):
    """Checkpoint (legacy torch pickle of a state_dict) -> OrderedDict name -> numpy array."""
    state = torch.load(path, map_location="cpu")
    if "state_dict" in state:
        state = state["state_dict"]
    return OrderedDict((k[len("module."):] if k.startswith("module.") else k, v.cpu().numpy())
                       for k, v in state.items())


# ---- network ---------------------------------------------------------------

def conv_bn(cin, cout, kernel, stride=1, groups=1, leaky=None):
    """Conv (no bias) + BN [+ LeakyReLU]; children named 0, 1 as in the checkpoint."""
    layers = [nn.Conv2d(cin, cout, kernel, stride, kernel // 2, groups=groups, bias=False),
              nn.BatchNorm2d(cout)]
    if leaky is not None:
        layers.append(nn.LeakyReLU(leaky))
    return nn.Sequential(*layers)


def depthwise_separable(cin, cout, stride):
    """3x3 depthwise + BN + leaky (keys .0 .1), 1x1 pointwise + BN + leaky (keys .3 .4)."""
    return nn.Sequential(*conv_bn(cin, cin, 3, stride, groups=cin, leaky=LEAKY),
                         *conv_bn(cin, cout, 1, leaky=LEAKY))


class Backbone(nn.Module):
    """MobileNetV1 x0.25 without its classifier; returns strides 8, 16, 32."""

    def __init__(self):
        super().__init__()
        self.stage1 = nn.Sequential(conv_bn(3, 8, 3, 2, leaky=LEAKY),
                                    depthwise_separable(8, 16, 1), depthwise_separable(16, 32, 2),
                                    depthwise_separable(32, 32, 1), depthwise_separable(32, 64, 2),
                                    depthwise_separable(64, 64, 1))
        self.stage2 = nn.Sequential(depthwise_separable(64, 128, 2),
                                    *[depthwise_separable(128, 128, 1) for _ in range(5)])
        self.stage3 = nn.Sequential(depthwise_separable(128, 256, 2), depthwise_separable(256, 256, 1))

    def forward(self, x):
        c1 = self.stage1(x)
        c2 = self.stage2(c1)
        c3 = self.stage3(c2)
        return c1, c2, c3


class FPN(nn.Module):
    def __init__(self, in_channels=(64, 128, 256), out_channels=64):
        super().__init__()
        self.output1 = conv_bn(in_channels[0], out_channels, 1, leaky=LEAKY)
        self.output2 = conv_bn(in_channels[1], out_channels, 1, leaky=LEAKY)
        self.output3 = conv_bn(in_channels[2], out_channels, 1, leaky=LEAKY)
        self.merge1 = conv_bn(out_channels, out_channels, 3, leaky=LEAKY)
        self.merge2 = conv_bn(out_channels, out_channels, 3, leaky=LEAKY)

    def forward(self, c1, c2, c3):
        p1, p2, p3 = self.output1(c1), self.output2(c2), self.output3(c3)
        # Upsample to the finer level's exact size (odd sizes: ceil, not 2x).
        p2 = self.merge2(p2 + F.interpolate(p3, size=p2.shape[2:], mode="nearest"))
        p1 = self.merge1(p1 + F.interpolate(p2, size=p1.shape[2:], mode="nearest"))
        return p1, p2, p3


class SSH(nn.Module):
    def __init__(self, channels=64):
        super().__init__()
        half, quarter = channels // 2, channels // 4
        self.conv3X3 = conv_bn(channels, half, 3)
        self.conv5X5_1 = conv_bn(channels, quarter, 3, leaky=LEAKY)
        self.conv5X5_2 = conv_bn(quarter, quarter, 3)
        self.conv7X7_2 = conv_bn(quarter, quarter, 3, leaky=LEAKY)
        self.conv7x7_3 = conv_bn(quarter, quarter, 3)

    def forward(self, x):
        branch5_1 = self.conv5X5_1(x)
        return F.relu(torch.cat([self.conv3X3(x), self.conv5X5_2(branch5_1),
                                 self.conv7x7_3(self.conv7X7_2(branch5_1))], dim=1))


class Head(nn.Module):
    """1x1 conv; output laid out per anchor as (row, column, anchor) -> [N, H*W*A, values]."""

    def __init__(self, channels, values):
        super().__init__()
        self.values = values
        self.conv1x1 = nn.Conv2d(channels, ANCHORS * values, 1)

    def forward(self, x):
        y = self.conv1x1(x).permute(0, 2, 3, 1).contiguous()
        return y.view(y.shape[0], -1, self.values)


class RetinaFaceMNet(nn.Module):
    """Returns loc [1,N,4], conf [1,N,2] (softmax), landms [1,N,10]."""

    def __init__(self):
        super().__init__()
        self.body = Backbone()
        self.fpn = FPN()
        self.ssh1, self.ssh2, self.ssh3 = SSH(), SSH(), SSH()
        self.ClassHead = nn.ModuleList([Head(64, 2) for _ in range(3)])
        self.BboxHead = nn.ModuleList([Head(64, 4) for _ in range(3)])
        self.LandmarkHead = nn.ModuleList([Head(64, 10) for _ in range(3)])

    def forward(self, x):
        p1, p2, p3 = self.fpn(*self.body(x))
        features = (self.ssh1(p1), self.ssh2(p2), self.ssh3(p3))
        loc = torch.cat([h(f) for h, f in zip(self.BboxHead, features)], dim=1)
        conf = torch.cat([h(f) for h, f in zip(self.ClassHead, features)], dim=1)
        landms = torch.cat([h(f) for h, f in zip(self.LandmarkHead, features)], dim=1)
        return loc, F.softmax(conf, dim=-1), landms


def build_model(weights):
    """Network from a load_weights() dict; strict: every key used, none missing."""
    model = RetinaFaceMNet()
    model.load_state_dict({k: torch.from_numpy(np.array(v)) for k, v in weights.items()}, strict=True)
    return model.eval()


# ---- priors, decoding, NMS ---------------------------------------------------

def prior_boxes(height, width):
    """[N, 4] float32 (cx, cy, w, h) normalised to the network input; order level, row,
    column, anchor. Feature map size is ceil(size / step); no clipping. Computed in
    float64 and rounded once, as biubug6 (Python floats -> torch.Tensor)."""
    levels = []
    for step, sizes in zip(STEPS, MIN_SIZES):
        rows, cols = math.ceil(height / step), math.ceil(width / step)
        cy, cx = np.meshgrid((np.arange(rows) + 0.5) * step / height,
                             (np.arange(cols) + 0.5) * step / width, indexing="ij")
        level = np.empty((rows, cols, len(sizes), 4))
        level[..., 0] = cx[..., None]
        level[..., 1] = cy[..., None]
        level[..., 2] = np.array(sizes, dtype=np.float64) / width
        level[..., 3] = np.array(sizes, dtype=np.float64) / height
        levels.append(level.reshape(-1, 4))
    return torch.from_numpy(np.concatenate(levels).astype(np.float32))


def decode_boxes(loc, priors):
    """SSD deltas -> (x1, y1, x2, y2) normalised."""
    centre = priors[:, :2] + loc[:, :2] * VARIANCE[0] * priors[:, 2:]
    size = priors[:, 2:] * torch.exp(loc[:, 2:] * VARIANCE[1])
    top_left = centre - size / 2
    return torch.cat([top_left, top_left + size], dim=1)


def decode_landmarks(pre, priors):
    """5 points as deltas from the prior centre in units of variance * prior size."""
    points = pre.reshape(-1, 5, 2) * VARIANCE[0] * priors[:, None, 2:] + priors[:, None, :2]
    return points.reshape(-1, 10)


def py_cpu_nms(dets, threshold):
    """Greedy NMS as biubug6/Faster R-CNN py_cpu_nms: areas and overlaps with the +1
    pixel convention, suppress IoU > threshold. Ties in score keep the lower index
    first (stable sort), which the C runtime copies."""
    x1, y1, x2, y2, scores = dets[:, 0], dets[:, 1], dets[:, 2], dets[:, 3], dets[:, 4]
    areas = (x2 - x1 + 1) * (y2 - y1 + 1)
    order = np.argsort(-scores, kind="stable")
    keep = []
    while order.size > 0:
        i = order[0]
        keep.append(i)
        rest = order[1:]
        w = np.maximum(0.0, np.minimum(x2[i], x2[rest]) - np.maximum(x1[i], x1[rest]) + 1)
        h = np.maximum(0.0, np.minimum(y2[i], y2[rest]) - np.maximum(y1[i], y1[rest]) + 1)
        inter = w * h
        overlap = inter / (areas[i] + areas[rest] - inter)
        order = rest[overlap <= threshold]
    return np.array(keep, dtype=np.int64)


# ---- pipeline -----------------------------------------------------------------

def network_size(width, height, long_side, rounding="nearest"):
    """(net_w, net_h) = size * long_side / max(W, H), rounded half up ("nearest", the
    project's convention) or down ("floor", int() as some reference scripts do);
    exact integer arithmetic, at least 1. long_side 0 = original size."""
    if long_side <= 0:
        return width, height
    longest = max(width, height)
    if rounding == "nearest":
        scaled = lambda n: (2 * n * long_side + longest) // (2 * longest)
    elif rounding == "floor":
        scaled = lambda n: n * long_side // longest
    else:
        raise ValueError(rounding)
    return max(1, scaled(width)), max(1, scaled(height))


def preprocess(image_rgb, net_w, net_h):
    """uint8 RGB HxWx3 -> float32 NCHW BGR tensor minus the mean, at (net_w, net_h)."""
    bgr = np.ascontiguousarray(image_rgb[:, :, ::-1], dtype=np.float32)
    if (net_w, net_h) != (bgr.shape[1], bgr.shape[0]):
        bgr = cv2.resize(bgr, (net_w, net_h), interpolation=cv2.INTER_LINEAR)
    bgr -= np.array(MEAN_BGR, dtype=np.float32)
    return torch.from_numpy(bgr.transpose(2, 0, 1).copy()).unsqueeze(0)


class Detector:
    """The oracle: detect(image_rgb_uint8, long_side) -> list of faces, best first."""

    def __init__(self, weights_path, threads=None):
        if threads:
            torch.set_num_threads(threads)
        self.model = build_model(load_weights(weights_path))

    @torch.no_grad()
    def forward(self, image_rgb, long_side, rounding="nearest"):
        """Raw outputs (loc, conf, landms) as numpy [N, k] and the network size."""
        height, width = image_rgb.shape[:2]
        net_w, net_h = network_size(width, height, long_side, rounding)
        loc, conf, landms = self.model(preprocess(image_rgb, net_w, net_h))
        return loc[0].numpy(), conf[0].numpy(), landms[0].numpy(), (net_w, net_h)

    @torch.no_grad()
    def detect(self, image_rgb, long_side=0, score_threshold=SCORE_THRESHOLD, raw=None, rounding="nearest"):
        """Faces as dicts {box [x1,y1,x2,y2], score, landmarks [[x,y]]*5} in original
        pixels, sorted by score. RAW: optional precomputed forward() result."""
        height, width = image_rgb.shape[:2]
        loc, conf, landms, (net_w, net_h) = raw if raw is not None else self.forward(image_rgb, long_side, rounding)
        scores = conf[:, 1]
        candidates = np.nonzero(scores > score_threshold)[0]
        candidates = candidates[np.argsort(-scores[candidates], kind="stable")][:TOP_K]
        if candidates.size == 0:
            return []
        priors = prior_boxes(net_h, net_w)[candidates]
        # normalised -> network pixels -> original pixels, per axis (two roundings, as the C code)
        net_px = torch.tensor([net_w, net_h], dtype=torch.float32)
        to_image = torch.tensor([width / net_w, height / net_h], dtype=torch.float32)
        boxes = decode_boxes(torch.from_numpy(loc[candidates]), priors)
        boxes = (boxes * net_px.repeat(2) * to_image.repeat(2)).numpy()
        points = decode_landmarks(torch.from_numpy(landms[candidates]), priors)
        points = (points * net_px.repeat(5) * to_image.repeat(5)).numpy()
        dets = np.hstack([boxes, scores[candidates, None]]).astype(np.float32)
        keep = py_cpu_nms(dets, NMS_THRESHOLD)[:KEEP_TOP_K]
        return [{"box": [float(v) for v in boxes[k]], "score": float(scores[candidates[k]]),
                 "landmarks": [[float(points[k, 2 * p]), float(points[k, 2 * p + 1])] for p in range(5)]}
                for k in keep]


def read_rgb(path):
    bgr = cv2.imread(path, cv2.IMREAD_COLOR)
    if bgr is None:
        raise FileNotFoundError(path)
    return np.ascontiguousarray(bgr[:, :, ::-1])
