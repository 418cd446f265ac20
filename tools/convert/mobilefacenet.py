"""MobileFaceNet (foamliu/MobileFaceNet) in plain PyTorch: the 128-d recognizer's test oracle.

Module names match the checkpoint's state_dict keys, so weights/mobilefacenet.pt
loads strictly. Written from the keys and shapes and the repository's published
architecture (a MobileNetV2-style network), checked against the ONNX export.

  input [N,3,112,112] RGB, /255, ImageNet mean/std
  conv1     3x3/2 conv + BN + ReLU6                        -> 56x56x64
  dw_conv   3x3 depthwise + BN + ReLU, 1x1 conv + BN + ReLU  (plain ReLU here)
  features  15 inverted residuals (t, c, n, s):
            (2,64,5,2) (4,128,1,2) (2,128,6,1) (4,128,1,2) (2,128,2,1) -> 7x7x128
            each: 1x1 expand + BN + ReLU6, 3x3 depthwise + BN + ReLU6,
            1x1 project + BN; residual when stride 1 and channels equal
  conv2     1x1 conv 128 -> 512 + BN + ReLU6
  gdconv    7x7 depthwise (global), no padding, + BN        -> 1x1x512
  conv3     1x1 conv 512 -> 128 (with bias), then BN        -> 128 (not normalised)
BatchNorm eps 1e-5 (PyTorch default).

Usage as a check: python3 mobilefacenet.py [MODEL_DIR] compares the checkpoint
with MobileFaceNet.onnx next to it (run by a small torch-op executor) on random
inputs. The export has the final BN folded into conv3.
"""
import os
import sys

import numpy as np
import torch
from torch import nn

BLOCKS = [(2, 64, 5, 2), (4, 128, 1, 2), (2, 128, 6, 1), (4, 128, 1, 2), (2, 128, 2, 1)]
IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)


def conv_bn_relu6(cin, cout, kernel=3, stride=1, groups=1):
    return nn.Sequential(nn.Conv2d(cin, cout, kernel, stride, (kernel - 1) // 2, groups=groups, bias=False),
                         nn.BatchNorm2d(cout), nn.ReLU6())


class DepthwiseSeparable(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.depthwise = nn.Conv2d(channels, channels, 3, padding=1, groups=channels, bias=False)
        self.pointwise = nn.Conv2d(channels, channels, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(channels)
        self.bn2 = nn.BatchNorm2d(channels)

    def forward(self, x):
        x = torch.relu(self.bn1(self.depthwise(x)))
        return torch.relu(self.bn2(self.pointwise(x)))


class InvertedResidual(nn.Module):
    def __init__(self, cin, cout, stride, expand):
        super().__init__()
        hidden = cin * expand
        self.residual = stride == 1 and cin == cout
        self.conv = nn.Sequential(
            conv_bn_relu6(cin, hidden, kernel=1),
            conv_bn_relu6(hidden, hidden, stride=stride, groups=hidden),
            nn.Conv2d(hidden, cout, 1, bias=False),
            nn.BatchNorm2d(cout))

    def forward(self, x):
        return x + self.conv(x) if self.residual else self.conv(x)


class GlobalDepthwise(nn.Module):
    def __init__(self, channels, kernel):
        super().__init__()
        self.depthwise = nn.Conv2d(channels, channels, kernel, groups=channels, bias=False)
        self.bn = nn.BatchNorm2d(channels)

    def forward(self, x):
        return self.bn(self.depthwise(x))


class MobileFaceNet(nn.Module):
    """[N,3,112,112] normalised RGB -> [N,128] raw embedding."""

    def __init__(self):
        super().__init__()
        self.conv1 = conv_bn_relu6(3, 64, stride=2)
        self.dw_conv = DepthwiseSeparable(64)
        blocks, cin = [], 64
        for expand, cout, repeats, stride in BLOCKS:
            for i in range(repeats):
                blocks.append(InvertedResidual(cin, cout, stride if i == 0 else 1, expand))
                cin = cout
        self.features = nn.Sequential(*blocks)
        self.conv2 = conv_bn_relu6(cin, 512, kernel=1)
        self.gdconv = GlobalDepthwise(512, 7)
        self.conv3 = nn.Conv2d(512, 128, 1)
        self.bn = nn.BatchNorm2d(128)

    def forward(self, x):
        x = self.conv2(self.features(self.dw_conv(self.conv1(x))))
        x = self.bn(self.conv3(self.gdconv(x)))
        return x.flatten(1)


def load_mobilefacenet(path):
    """Checkpoint -> dict of float32 numpy arrays (PyTorch layout, BN statistics included)."""
    sd = torch.load(path, map_location="cpu")
    return {k: v.numpy() for k, v in sd.items()}


def build_mobilefacenet(params):
    model = MobileFaceNet()
    model.load_state_dict({k: torch.from_numpy(np.asarray(v)) for k, v in params.items()}, strict=True)
    return model.eval()


def preprocess(faces_rgb_u8):
    """uint8 [N,112,112,3] RGB -> float [N,3,112,112]: /255 then ImageNet mean/std."""
    x = torch.from_numpy(faces_rgb_u8).float() / 255.0
    x = (x - torch.tensor(IMAGENET_MEAN)) / torch.tensor(IMAGENET_STD)
    return x.permute(0, 3, 1, 2).contiguous()


def run_onnx(path, x):
    """Execute the MobileFaceNet ONNX export with torch ops (Conv, Clip, Relu, Add,
    Reshape, Constant: all it uses). cv2.dnn 4.6 cannot parse opset-18 Clip."""
    import onnx
    from onnx import numpy_helper

    graph = onnx.load(path).graph
    vals = {t.name: torch.from_numpy(numpy_helper.to_array(t).copy()) for t in graph.initializer}
    vals[graph.input[0].name] = torch.from_numpy(x)
    for node in graph.node:
        attrs = {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}
        ins = [vals[i] if i else None for i in node.input]
        if node.op_type == "Constant":
            out = torch.from_numpy(numpy_helper.to_array(attrs["value"]).copy())
        elif node.op_type == "Conv":
            pads = attrs.get("pads", [0, 0, 0, 0])
            assert pads[0] == pads[2] and pads[1] == pads[3], "asymmetric padding"
            out = torch.nn.functional.conv2d(ins[0], ins[1], ins[2] if len(ins) > 2 else None,
                                             attrs.get("strides", [1, 1]), pads[:2],
                                             attrs.get("dilations", [1, 1]), attrs.get("group", 1))
        elif node.op_type == "Clip":
            out = ins[0].clamp(float(ins[1]), float(ins[2]))
        elif node.op_type == "Relu":
            out = torch.relu(ins[0])
        elif node.op_type == "Add":
            out = ins[0] + ins[1]
        elif node.op_type == "Reshape":
            out = ins[0].reshape([int(d) for d in ins[1]])
        else:
            raise NotImplementedError(node.op_type)
        vals[node.output[0]] = out
    return vals[graph.output[0].name].numpy()


def main():
    model_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "models", "mobilefacenet_foamliu")
    model = build_mobilefacenet(load_mobilefacenet(os.path.join(model_dir, "mobilefacenet.pt")))
    x = np.random.default_rng(0).standard_normal((4, 3, 112, 112)).astype(np.float32)
    with torch.no_grad():
        ref = model(torch.from_numpy(x)).numpy()
        # the export's final Reshape is [1, -1]: one image at a time
        out = np.concatenate([run_onnx(os.path.join(model_dir, "MobileFaceNet.onnx"), x[i:i + 1])
                              for i in range(len(x))])
    worst = float(np.abs(out - ref).max())
    cos = (out * ref).sum(1) / np.linalg.norm(out, axis=1) / np.linalg.norm(ref, axis=1)
    print("MobileFaceNet .pt vs ONNX: max |diff| %.3g (max |y| %.3g), min cosine %.7f over %d random inputs"
          % (worst, np.abs(ref).max(), cos.min(), len(x)))
    return 0 if worst < 1e-3 else 1


if __name__ == "__main__":
    sys.exit(main())
