"""MobileFaceNet (foamliu) -> mcuface model file: the recognition baseline.

NHWC graph from the checkpoint (module layout in mobilefacenet.py), every
BatchNorm folded into the convolution before it. Input [1,112,112,3] RGB
with (p - 255 mean) / (255 std) (ImageNet statistics, i.e. /255 then
Normalize); output [1,128] raw embedding (the runtime L2-normalises).
"""
import mfm
from mobilefacenet import BLOCKS, IMAGENET_MEAN, IMAGENET_STD, load_mobilefacenet

BN_EPS = 1e-5


def build(params, verify_threshold):
    g = mfm.Graph(meta={
        "kind": "recognizer", "arch": "mobilefacenet", "input_order": "rgb",
        "input_mean": ",".join(f"{255 * m:.6f}" for m in IMAGENET_MEAN),
        "input_scale": ",".join(f"{1 / (255 * s):.9f}" for s in IMAGENET_STD),
        "verify_threshold": f"{verify_threshold:.4f}",
    })

    def conv_bn(x, conv_key, bn_key, stride=1, groups=1, act="none", bias_key=None):
        w = params[conv_key]
        k = w.shape[2]
        bias = params[bias_key] if bias_key else None
        w, b = mfm.fold_batch_norm(w, bias, params[bn_key + ".weight"], params[bn_key + ".bias"],
                                   params[bn_key + ".running_mean"], params[bn_key + ".running_var"], BN_EPS)
        return g.conv2d(x, w, b, stride=stride, padding=(k - 1) // 2 if k == 3 else 0, groups=groups, act=act)

    x = g.input("face", [1, 112, 112, 3])
    x = conv_bn(x, "conv1.0.weight", "conv1.1", stride=2, act="relu6")
    x = conv_bn(x, "dw_conv.depthwise.weight", "dw_conv.bn1", groups=64, act="relu")
    x = conv_bn(x, "dw_conv.pointwise.weight", "dw_conv.bn2", act="relu")
    index, cin = 0, 64
    for expand, cout, repeats, stride in BLOCKS:
        for i in range(repeats):
            p = f"features.{index}.conv."
            s = stride if i == 0 else 1
            hidden = cin * expand
            y = conv_bn(x, p + "0.0.weight", p + "0.1", act="relu6")
            y = conv_bn(y, p + "1.0.weight", p + "1.1", stride=s, groups=hidden, act="relu6")
            y = conv_bn(y, p + "2.weight", p + "3")
            x = g.add(x, y) if s == 1 and cin == cout else y
            cin = cout
            index += 1
    x = conv_bn(x, "conv2.0.weight", "conv2.1", act="relu6")
    # global 7x7 depthwise, no padding
    w, b = mfm.fold_batch_norm(params["gdconv.depthwise.weight"], None, params["gdconv.bn.weight"],
                               params["gdconv.bn.bias"], params["gdconv.bn.running_mean"],
                               params["gdconv.bn.running_var"], BN_EPS)
    x = g.conv2d(x, w, b, padding=0, groups=512)
    x = conv_bn(x, "conv3.weight", "bn", bias_key="conv3.bias")
    g.output(g.reshape(x, [1, 128]), "embedding")
    return g


def convert(src_path, dst_path, verify_threshold=0.2865):  # LFW 10-fold threshold (README)
    build(load_mobilefacenet(src_path), verify_threshold).save(dst_path)
