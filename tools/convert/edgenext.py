"""EdgeNeXt as used by EdgeFace, in plain PyTorch: the recognizer's test oracle.

EdgeFace = timm `edgenext_x_small` / `edgenext_xx_small` with the classifier
reset to a 512-d embedding (TimmFRWrapperV2, batchnorm=False). The `_gamma_06`
variant replaces every nn.Linear, the final `head.fc` included, by a low-rank
pair (LoRaLin). Module names match timm's state_dict keys (without EdgeFace's
`model.` prefix), so a parameter dict loads strictly.

Written from the architecture (timm edgenext.py, EdgeFace backbones/timmfr.py,
read for reference) and the checkpoints' key names and shapes:

  input [N,3,112,112] -> stem: conv 4x4/4 + LayerNorm2d          -> 28x28
  stage 0 (stride 1, no downsample)                               -> 28x28
  stages 1-3: downsample LayerNorm2d + conv 2x2/2                 -> 14, 7, 3
  stage 0: ConvBlocks only; stages 1-3: (depth - 1) ConvBlocks, then one SDTA block
  head: global average pool, LayerNorm, fc -> 512 (not normalised)

  ConvBlock: x + gamma * fc2(GELU(fc1(LN(dwconv_k(x)))))  (channels-last MLP, x4)
  SDTA (timm SplitTransposeBlock), with C channels split into `scales` chunks
  (torch.chunk sizes: ceil(C/scales), the last one smaller):
      sp = chunk0; out0 = dw3x3(sp); sp = out0 + chunk1; out1 = dw3x3(sp) ...
      the last chunk passes through unchanged; concatenate
      tokens x [N, H*W, C]; + Fourier positional encoding (stage 1 only)
      x = x + gamma_xca * XCA(LN(x))
      x = x + gamma * fc2(GELU(fc1(LN(x))))   -- no residual from the split part:
      the block's skip connection is the block input
  XCA (cross-covariance attention) with h heads of d = C/h channels:
      q, k, v = qkv(x) as [N, h, d, tokens]; q, k L2-normalised along tokens
      attn = softmax((q @ k^T) * temperature[h])  (d x d);  out = proj(attn @ v)

LayerNorm eps is 1e-6 everywhere; GELU is exact (erf). XS: dims 32/64/100/192,
depths 3/3/9/3; XXS: dims 24/48/88/168, depths 2/2/6/2; both 4 heads,
dwconv kernels 3/5/7/9, SDTA scales 2/2/3/4.
"""
import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

LN_EPS = 1e-6
POS_HIDDEN_DIM = 32
POS_TEMPERATURE = 10000.0


@dataclass(frozen=True)
class EdgeNeXtConfig:
    dims: tuple
    depths: tuple
    heads: int = 4
    kernel_sizes: tuple = (3, 5, 7, 9)
    split_scales: tuple = (2, 2, 3, 4)
    sdta_blocks: tuple = (0, 1, 1, 1)  # SDTA blocks at the end of each stage (timm global_block_counts)
    use_pos_emb: tuple = (False, True, False, False)
    expand_ratio: int = 4
    embedding_dim: int = 512
    lowrank_ratio: float = None  # LoRaLin rank ratio (0.6 for `_gamma_06`), None: full rank


CONFIGS = {
    "xs": EdgeNeXtConfig(dims=(32, 64, 100, 192), depths=(3, 3, 9, 3)),
    "xxs": EdgeNeXtConfig(dims=(24, 48, 88, 168), depths=(2, 2, 6, 2)),
    "xs_gamma_06": EdgeNeXtConfig(dims=(32, 64, 100, 192), depths=(3, 3, 9, 3), lowrank_ratio=0.6),
}


def lowrank_rank(in_features, out_features, ratio):
    """EdgeFace's LoRaLin rank rule."""
    return max(2, int(min(in_features, out_features) * ratio))


class LoRaLin(nn.Module):
    """Low-rank linear: linear1 (no bias) to `rank`, then linear2 (with bias)."""

    def __init__(self, in_features, out_features, rank, bias=True):
        super().__init__()
        self.linear1 = nn.Linear(in_features, rank, bias=False)
        self.linear2 = nn.Linear(rank, out_features, bias=bias)

    def forward(self, x):
        return self.linear2(self.linear1(x))


def make_linear(in_features, out_features, cfg, bias=True):
    if cfg.lowrank_ratio is None:
        return nn.Linear(in_features, out_features, bias=bias)
    rank = lowrank_rank(in_features, out_features, cfg.lowrank_ratio)
    return LoRaLin(in_features, out_features, rank, bias)


def gelu(x, approximate):
    if not approximate:
        return 0.5 * x * (1.0 + torch.erf(x / math.sqrt(2.0)))
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x ** 3)))


class LayerNorm2d(nn.LayerNorm):
    """LayerNorm over the channels of an NCHW tensor."""

    def forward(self, x):
        x = x.permute(0, 2, 3, 1)
        x = F.layer_norm(x, self.normalized_shape, self.weight, self.bias, self.eps)
        return x.permute(0, 3, 1, 2)


class Mlp(nn.Module):
    """Channels-last inverted bottleneck: fc1 (x expand), GELU, fc2."""

    def __init__(self, dim, cfg):
        super().__init__()
        hidden = dim * cfg.expand_ratio
        self.fc1 = make_linear(dim, hidden, cfg)
        self.fc2 = make_linear(hidden, dim, cfg)
        self.approximate_gelu = False  # tanh GELU only to mirror the TFLite export

    def forward(self, x):
        return self.fc2(gelu(self.fc1(x), self.approximate_gelu))


class ConvBlock(nn.Module):
    def __init__(self, dim, kernel_size, cfg):
        super().__init__()
        self.conv_dw = nn.Conv2d(dim, dim, kernel_size, padding=kernel_size // 2, groups=dim)
        self.norm = nn.LayerNorm(dim, eps=LN_EPS)
        self.mlp = Mlp(dim, cfg)
        self.gamma = nn.Parameter(torch.ones(dim))  # layer scale

    def forward(self, x):
        y = self.conv_dw(x).permute(0, 2, 3, 1)  # NHWC for the per-pixel MLP
        y = self.gamma * self.mlp(self.norm(y))
        return x + y.permute(0, 3, 1, 2)


class PositionalEncodingFourier(nn.Module):
    """Sine/cosine encoding of normalised (y, x) pixel coordinates, projected to `dim`."""

    def __init__(self, dim):
        super().__init__()
        self.token_projection = nn.Conv2d(2 * POS_HIDDEN_DIM, dim, kernel_size=1)

    def forward(self, height, width):
        return self.token_projection(fourier_features(height, width, self.token_projection.weight.dtype))


def fourier_features(height, width, dtype=torch.float32):
    """The 64 unprojected Fourier channels [1, 64, H, W] (y block first, then x)."""
    eps = 1e-6
    scale = 2 * math.pi
    y = torch.arange(1, height + 1, dtype=dtype)[:, None].expand(height, width)
    x = torch.arange(1, width + 1, dtype=dtype)[None, :].expand(height, width)
    y = y / (height + eps) * scale  # cumulative sum of ones, divided by its last value
    x = x / (width + eps) * scale
    k = torch.arange(POS_HIDDEN_DIM, dtype=dtype)
    dim_t = POS_TEMPERATURE ** (2 * torch.div(k, 2, rounding_mode="floor") / POS_HIDDEN_DIM)

    def encode(coord):
        p = coord[:, :, None] / dim_t  # [H, W, 32]
        # interleave sin of even and cos of odd frequencies: s0 c1 s2 c3 ...
        return torch.stack((p[:, :, 0::2].sin(), p[:, :, 1::2].cos()), dim=3).flatten(2)

    pos = torch.cat((encode(y), encode(x)), dim=2)  # [H, W, 64]
    return pos.permute(2, 0, 1)[None]


class CrossCovarianceAttn(nn.Module):
    def __init__(self, dim, cfg):
        super().__init__()
        self.heads = cfg.heads
        self.temperature = nn.Parameter(torch.ones(cfg.heads, 1, 1))
        self.qkv = make_linear(dim, 3 * dim, cfg)
        self.proj = make_linear(dim, dim, cfg)

    def forward(self, x):
        n, tokens, c = x.shape
        qkv = self.qkv(x).reshape(n, tokens, 3, self.heads, c // self.heads).permute(2, 0, 3, 4, 1)
        q, k, v = qkv[0], qkv[1], qkv[2]  # [N, heads, d, tokens]
        q = F.normalize(q, dim=-1)
        k = F.normalize(k, dim=-1)
        attn = (q @ k.transpose(-2, -1)) * self.temperature  # [N, heads, d, d]
        out = attn.softmax(dim=-1) @ v
        return self.proj(out.permute(0, 3, 1, 2).reshape(n, tokens, c))


class SplitTransposeBlock(nn.Module):
    """SDTA: split depth-wise convs, then XCA over channels, then an MLP."""

    def __init__(self, dim, scales, use_pos_emb, cfg):
        super().__init__()
        width = math.ceil(dim / scales)
        self.num_chunks = scales
        self.convs = nn.ModuleList(
            nn.Conv2d(width, width, 3, padding=1, groups=width) for _ in range(max(1, scales - 1)))
        if use_pos_emb:
            self.pos_embd = PositionalEncodingFourier(dim)
        self.norm_xca = nn.LayerNorm(dim, eps=LN_EPS)
        self.gamma_xca = nn.Parameter(torch.ones(dim))
        self.xca = CrossCovarianceAttn(dim, cfg)
        self.norm = nn.LayerNorm(dim, eps=LN_EPS)
        self.mlp = Mlp(dim, cfg)
        self.gamma = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        shortcut = x
        chunks = x.chunk(len(self.convs) + 1, dim=1)
        outs = []
        sp = chunks[0]
        for i, conv in enumerate(self.convs):
            if i > 0:
                sp = sp + chunks[i]  # each conv sees the previous conv's output plus its chunk
            sp = conv(sp)
            outs.append(sp)
        outs.append(chunks[-1])
        x = torch.cat(outs, dim=1)

        n, c, h, w = x.shape
        x = x.reshape(n, c, h * w).permute(0, 2, 1)  # tokens [N, H*W, C]
        if hasattr(self, "pos_embd"):
            x = x + self.pos_embd(h, w).reshape(1, c, h * w).permute(0, 2, 1)
        x = x + self.gamma_xca * self.xca(self.norm_xca(x))
        x = x.reshape(n, h, w, c)
        x = self.gamma * self.mlp(self.norm(x))
        return shortcut + x.permute(0, 3, 1, 2)


class Stage(nn.Module):
    def __init__(self, index, in_dim, cfg):
        super().__init__()
        dim = cfg.dims[index]
        if index > 0:
            self.downsample = nn.Sequential(LayerNorm2d(in_dim, eps=LN_EPS),
                                            nn.Conv2d(in_dim, dim, kernel_size=2, stride=2))
        n_sdta = cfg.sdta_blocks[index]
        blocks = [ConvBlock(dim, cfg.kernel_sizes[index], cfg) for _ in range(cfg.depths[index] - n_sdta)]
        blocks += [SplitTransposeBlock(dim, cfg.split_scales[index], cfg.use_pos_emb[index], cfg)
                   for _ in range(n_sdta)]
        self.blocks = nn.Sequential(*blocks)

    def forward(self, x):
        if hasattr(self, "downsample"):
            x = self.downsample(x)
        return self.blocks(x)


class Head(nn.Module):
    def __init__(self, dim, cfg):
        super().__init__()
        self.norm = LayerNorm2d(dim, eps=LN_EPS)
        self.fc = make_linear(dim, cfg.embedding_dim, cfg)

    def forward(self, x):
        x = self.norm(x.mean(dim=(2, 3), keepdim=True))
        return self.fc(x.flatten(1))


class EdgeNeXt(nn.Module):
    """EdgeFace recognizer: [N,3,112,112] normalised RGB -> [N,512] raw embedding."""

    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        self.stem = nn.Sequential(nn.Conv2d(3, cfg.dims[0], kernel_size=4, stride=4),
                                  LayerNorm2d(cfg.dims[0], eps=LN_EPS))
        in_dim = cfg.dims[0]
        stages = []
        for i in range(len(cfg.dims)):
            stages.append(Stage(i, in_dim, cfg))
            in_dim = cfg.dims[i]
        self.stages = nn.Sequential(*stages)
        self.head = Head(in_dim, cfg)

    def set_approximate_gelu(self, approximate):
        """Switch every GELU to the tanh form (to mirror a tanh-GELU export)."""
        for m in self.modules():
            if isinstance(m, Mlp):
                m.approximate_gelu = approximate

    def forward(self, x):
        return self.head(self.stages(self.stem(x)))


def build_edgenext(cfg, params):
    """An eval-mode EdgeNeXt with `params` (name -> numpy array, PyTorch layout) loaded strictly."""
    model = EdgeNeXt(cfg)
    state = {k: torch.from_numpy(v.astype("float32")) for k, v in params.items()}
    model.load_state_dict(state, strict=True)
    return model.eval()


def preprocess(faces_rgb_u8):
    """uint8 [N,112,112,3] RGB aligned faces -> float [N,3,112,112], (p - 127.5) / 127.5."""
    x = torch.from_numpy(faces_rgb_u8).float()
    return ((x - 127.5) / 127.5).permute(0, 3, 1, 2).contiguous()
