/* The model file format, version 1: constants and record layouts.
 * docs/SPEC.md is the normative description; tools/convert/mfm.py writes it.
 * All integers are little-endian; records are read field by field with
 * memcpy so the file needs no particular alignment except for weights. */
#ifndef MCUFACE_NN_FORMAT_H
#define MCUFACE_NN_FORMAT_H
#include <stdint.h>

#define MF_FILE_MAGIC "MFM1"
#define MF_FILE_VERSION_MAJOR 1
#define MF_FILE_VERSION_MINOR 1 /* 1.1: int8 execution, QUANTIZE and DEQUANTIZE */
#define MF_FILE_HEADER_BYTES 96u
#define MF_FILE_TENSOR_RECORD_BYTES 64u
#define MF_FILE_OP_RECORD_BYTES 96u
#define MF_FILE_DATA_ALIGN 16u /* weight data offsets, and the blob base in memory */
/* Caps of this runtime (MF_ERANGE beyond them): 20x the largest shipped
 * model (680 tensors, 390 ops), and they keep validation and planning fast
 * on hostile files. */
#define MF_FILE_MAX_TENSORS 16384u
#define MF_FILE_MAX_OPS 8192u
#define MF_FILE_MAX_IO 8u

#define MF_MAX_RANK 4
#define MF_OP_MAX_INPUTS 6
#define MF_OP_MAX_OUTPUTS 2
#define MF_OP_MAX_PARAMS 15

/* Header field offsets. */
enum {
    MF_HDR_MAGIC = 0, MF_HDR_VERSION_MAJOR = 4, MF_HDR_VERSION_MINOR = 6,
    MF_HDR_HEADER_BYTES = 8, MF_HDR_FILE_BYTES = 12, MF_HDR_CRC32 = 16, MF_HDR_FLAGS = 20,
    MF_HDR_TENSOR_COUNT = 24, MF_HDR_TENSORS_OFFSET = 28,
    MF_HDR_OP_COUNT = 32, MF_HDR_OPS_OFFSET = 36,
    MF_HDR_INPUT_COUNT = 40, MF_HDR_OUTPUT_COUNT = 44, MF_HDR_IO_OFFSET = 48,
    MF_HDR_STRINGS_OFFSET = 52, MF_HDR_STRINGS_BYTES = 56,
    MF_HDR_META_OFFSET = 60, MF_HDR_META_BYTES = 64,
    MF_HDR_DATA_OFFSET = 68, MF_HDR_DATA_BYTES = 72
};

/* Tensor record field offsets. */
enum {
    MF_TREC_NAME = 0, MF_TREC_DTYPE = 4, MF_TREC_RANK = 5, MF_TREC_FLAGS = 6,
    MF_TREC_DIMS = 8, MF_TREC_DATA_OFFSET = 24, MF_TREC_DATA_BYTES = 28,
    MF_TREC_SCALE = 32, MF_TREC_ZERO_POINT = 36,
    MF_TREC_CHANNEL_SCALES_OFFSET = 40, MF_TREC_CHANNEL_SCALES_COUNT = 44, MF_TREC_CHANNEL_AXIS = 48
};
#define MF_TENSOR_FLAG_CONST 1u
#define MF_NO_NAME 0xFFFFFFFFu

/* Op record field offsets. */
enum {
    MF_OREC_TYPE = 0, MF_OREC_INPUT_COUNT = 2, MF_OREC_OUTPUT_COUNT = 3,
    MF_OREC_INPUTS = 4, MF_OREC_OUTPUTS = 28, MF_OREC_PARAMS = 36
};

/* Tensor element types: mf_dtype (MF_DTYPE_FLOAT32, MF_DTYPE_INT8, ...) in
 * include/mcuface/mf_model.h, the values the file stores. */

/* Op types and the meaning of their params (p[i]); f32 params are stored as
 * the bits of an IEEE float. Inputs marked ? may be -1 (absent). */
typedef enum mf_op_type {
    MF_OP_CONV2D = 1,           /* in: x, w[O,KH,KW,I/g], bias[O]?; p: stride h,w; pad t,l,b,r; dilation h,w; groups; act; alpha(f32) */
    MF_OP_DEPTHWISE_CONV2D = 2, /* in: x, w[1,KH,KW,C*m], bias?; p: as CONV2D (groups ignored) */
    MF_OP_FULLY_CONNECTED = 3,  /* in: x[...,I], w[O,I], bias[O]?; p: act; alpha(f32) */
    MF_OP_BINARY = 4,           /* in: a, b (numpy broadcast); p: kind (mf_binary); act; alpha(f32) */
    MF_OP_ACTIVATION = 5,       /* in: x, slopes[C]? (PRELU); p: act; alpha(f32) */
    MF_OP_LAYER_NORM = 6,       /* in: x, gamma?, beta? (last axis); p: eps(f32) */
    MF_OP_SOFTMAX = 7,          /* in: x (last axis) */
    MF_OP_L2_NORMALIZE = 8,     /* in: x (last axis); p: eps(f32) */
    MF_OP_POOL2D = 9,           /* in: x; p: kind; kernel h,w; stride h,w; pad t,l,b,r; count_include_pad */
    MF_OP_MEAN = 10,            /* in: x; p: axis mask over the tensor's own axes (kept as size 1) */
    MF_OP_CONCAT = 11,          /* in: x0..x5; p: axis */
    MF_OP_RESIZE = 12,          /* in: x[N,H,W,C], like? (take H,W from it); p: mode; out h; out w */
    MF_OP_RESHAPE = 13,         /* in: x; p: rank; dims[4] (-1 inferred once, 0 copies the input dim); a view */
    MF_OP_TRANSPOSE = 14,       /* in: x; p: perm[rank] (rank = the input's) */
    MF_OP_MATMUL = 15,          /* in: a, b; p: transpose a; transpose b; alpha(f32) */
    MF_OP_SLICE = 16,           /* in: x; p: axis; begin; size */
    MF_OP_QUANTIZE = 17,        /* in: x f32; out s8 with the output's scale and zero point (since 1.1) */
    MF_OP_DEQUANTIZE = 18,      /* in: x s8; out f32 (since 1.1) */
    MF_OP_TYPE_COUNT
} mf_op_type;

#endif
