/* Kernel signatures: one function per op and data type (CMSIS-NN style).
 * Kernels know nothing about the graph: they take plain shapes and pointers,
 * never allocate, never check (the graph's prepare step has validated every
 * shape before a kernel runs). Layout is NHWC; shapes are mf_shape4 with
 * n, h, w, c. The reference implementations live in ops/ref/, one op per
 * file; optimized twins (ops/mve/, ops/x86/) keep the same signatures. */
#ifndef MCUFACE_NN_KERNELS_H
#define MCUFACE_NN_KERNELS_H
#include <stddef.h>
#include <stdint.h>

typedef struct mf_shape4 {
    int32_t n, h, w, c;
} mf_shape4;

/* Activation applied after an op (fused) or by the activation op. */
typedef enum mf_act {
    MF_ACT_NONE = 0,
    MF_ACT_RELU = 1,
    MF_ACT_RELU6 = 2,
    MF_ACT_LEAKY_RELU = 3, /* x < 0 ? alpha * x : x */
    MF_ACT_PRELU = 4,      /* per-channel slope tensor (last axis) */
    MF_ACT_SIGMOID = 5,
    MF_ACT_HARD_SWISH = 6, /* x * relu6(x + 3) / 6 */
    MF_ACT_GELU = 7,       /* exact: 0.5 x (1 + erf(x / sqrt 2)) */
    MF_ACT_GELU_TANH = 8,  /* tanh approximation */
    MF_ACT_SWISH = 9,      /* x * sigmoid(x) */
    MF_ACT_TANH = 10,
    MF_ACT_HARD_SIGMOID = 11, /* relu6(x + 3) / 6 */
    MF_ACT_COUNT
} mf_act;

typedef struct mf_conv_params {
    int32_t stride_h, stride_w;
    int32_t pad_top, pad_left, pad_bottom, pad_right; /* zero padding */
    int32_t dilation_h, dilation_w;
    int32_t groups;  /* conv only: in.c and out.c are multiples of groups */
    mf_act act;      /* fused activation (not PRELU) */
    float act_alpha; /* LEAKY_RELU slope */
} mf_conv_params;

/* Applies ACT to n values in place; slopes (PRELU only) has `channels`
 * entries indexed by i % channels. */
void mf_activation_f32(float *x, size_t n, mf_act act, float alpha, const float *slopes, int32_t channels);
/* Scalar version of the same function, for fused activations in kernels. */
float mf_act_apply_f32(float x, mf_act act, float alpha);

/* Convolution. weights: [out.c][kh][kw][in.c / groups] (OHWI); bias: [out.c] or NULL. */
void mf_conv_f32(const mf_conv_params *p, const mf_shape4 *in, const float *input,
                 int32_t kh, int32_t kw, const float *weights, const float *bias,
                 const mf_shape4 *out, float *output);
/* Depthwise convolution, out.c = in.c * multiplier, output channel o reads
 * input channel o / multiplier. weights: [kh][kw][out.c] (channel fastest, so
 * vector kernels load contiguous channels); bias: [out.c] or NULL. */
void mf_depthwise_conv_f32(const mf_conv_params *p, const mf_shape4 *in, const float *input,
                           int32_t kh, int32_t kw, const float *weights, const float *bias,
                           const mf_shape4 *out, float *output);
/* Fully connected over the last axis: rows vectors of in_features.
 * weights: [out_features][in_features]; bias: [out_features] or NULL. */
void mf_fully_connected_f32(const float *input, int32_t rows, int32_t in_features,
                            const float *weights, const float *bias, int32_t out_features,
                            mf_act act, float act_alpha, float *output);

/* Element-wise binary op with numpy broadcasting over 4-d shapes (each dim of
 * a and b equals out's or is 1). */
typedef enum mf_binary { MF_BINARY_ADD = 0, MF_BINARY_SUB = 1, MF_BINARY_MUL = 2, MF_BINARY_DIV = 3 } mf_binary;
void mf_binary_f32(mf_binary kind, const mf_shape4 *a_shape, const float *a, const mf_shape4 *b_shape,
                   const float *b, const mf_shape4 *out, mf_act act, float act_alpha, float *output);

/* Layer normalisation over the last axis of rows x features; gamma/beta may be NULL. */
void mf_layer_norm_f32(const float *input, int32_t rows, int32_t features, const float *gamma,
                       const float *beta, float eps, float *output);
/* Softmax over the last axis of rows x features (max-subtracted). */
void mf_softmax_f32(const float *input, int32_t rows, int32_t features, float *output);
/* x / max(||x||_2, eps) over the last axis (torch.nn.functional.normalize). */
void mf_l2_normalize_f32(const float *input, int32_t rows, int32_t features, float eps, float *output);

typedef enum mf_pool { MF_POOL_MAX = 0, MF_POOL_AVG = 1 } mf_pool;
typedef struct mf_pool_params {
    mf_pool kind;
    int32_t kernel_h, kernel_w, stride_h, stride_w;
    int32_t pad_top, pad_left, pad_bottom, pad_right;
    int32_t count_include_pad; /* AVG: divide by the full window (1) or the valid part (0) */
} mf_pool_params;
void mf_pool_f32(const mf_pool_params *p, const mf_shape4 *in, const float *input, const mf_shape4 *out, float *output);

/* Mean over the axes whose bit is set in axis_mask (bit 0 = n ... bit 3 = c);
 * out has those axes reduced to 1. */
void mf_mean_f32(const mf_shape4 *in, const float *input, uint32_t axis_mask, float *output);

/* Concatenation along `axis` (0..3) of count inputs; outer = product of dims
 * before axis, inner_sizes[i] = product of input i's dims from axis on. */
void mf_concat_f32(const float *const *inputs, const int32_t *inner_sizes, int32_t count, int32_t outer,
                   float *output);

typedef enum mf_resize_mode {
    MF_RESIZE_NEAREST = 0,        /* torch 'nearest': src = floor(dst * in / out) */
    MF_RESIZE_BILINEAR = 1,       /* half-pixel centres (align_corners=False), edge clamp */
    MF_RESIZE_BILINEAR_ALIGN = 2  /* align_corners=True */
} mf_resize_mode;
void mf_resize_f32(mf_resize_mode mode, const mf_shape4 *in, const float *input, const mf_shape4 *out, float *output);

/* Transpose of a 4-d tensor: out dim i = in dim perm[i]. */
void mf_transpose_f32(const mf_shape4 *in, const float *input, const int32_t perm[4], float *output);

/* Batched matrix product out[b] = alpha * op(a[b]) x op(b[b]); op transposes
 * when the flag is set. a is [batch][M][K] (or [K][M] transposed), b is
 * [batch][K][N] (or [N][K]); out is [batch][M][N]. */
void mf_matmul_f32(const float *a, const float *b, int32_t batch, int32_t m, int32_t k, int32_t n,
                   int transpose_a, int transpose_b, float alpha, float *output);

/* Copies input[..., begin:begin+size along axis] for a 4-d tensor. */
void mf_slice_f32(const mf_shape4 *in, const float *input, int32_t axis, int32_t begin, int32_t size,
                  float *output);

#endif
