/* Shape inference and checks for every op: the "prepare" half of each op.
 * After this has passed for the whole graph, the kernels can run without
 * looking at a shape again. */
#include "mcuface/mf_status.h"
#include "nn/graph.h"
#include "nn/ops/kernels_s8_select.h"
#include <math.h>

/* Sets OUT's shape, checking that it stays addressable. */
static int set_shape(mf_tensor *out, int rank, const int32_t *dims)
{
    uint64_t count = 1;
    for (int i = 0; i < rank; i++) {
        if (dims[i] < 1) return MF_EINVAL;
        count *= (uint64_t)dims[i];
        if (count > MF_MAX_TENSOR_ELEMENTS) return MF_ERANGE;
    }
    out->rank = rank;
    for (int i = 0; i < MF_MAX_RANK; i++) out->dims[i] = i < rank ? dims[i] : 0;
    return MF_OK;
}

static int is_f32(const mf_tensor *t) { return t->dtype == MF_DTYPE_FLOAT32; }
/* float32 layers take float biases, int8 layers int32 biases. */
static int32_t bias_dtype(const mf_tensor *x) { return x->dtype == MF_DTYPE_INT8 ? MF_DTYPE_INT32 : MF_DTYPE_FLOAT32; }

static int conv_output_size(int32_t in, int32_t k, int32_t stride, int32_t pad_a, int32_t pad_b, int32_t dilation,
                            int32_t *out)
{
    int64_t span = (int64_t)in + pad_a + pad_b - (int64_t)dilation * (k - 1) - 1;
    if (span < 0) return MF_EINVAL;
    *out = (int32_t)(span / stride + 1);
    return MF_OK;
}

static int prepare_conv(mf_model *m, const mf_op_record *op, uint64_t *macs)
{
    mf_tensor *x = &m->tensors[op->inputs[0]], *w = &m->tensors[op->inputs[1]];
    mf_tensor *out = &m->tensors[op->outputs[0]];
    const int32_t *p = op->params;
    int depthwise = op->type == MF_OP_DEPTHWISE_CONV2D;
    if (x->rank != 4 || w->rank != 4) return MF_EINVAL;
    int32_t kh = w->dims[1], kw = w->dims[2], out_c;
    if (depthwise) {
        out_c = w->dims[3];
        if (w->dims[0] != 1 || out_c % x->dims[3] != 0) return MF_EINVAL;
    } else {
        out_c = w->dims[0];
        if ((int64_t)x->dims[3] != (int64_t)w->dims[3] * p[8] || out_c % p[8] != 0) return MF_EINVAL;
    }
    if (op->inputs[2] >= 0) {
        const mf_tensor *b = &m->tensors[op->inputs[2]];
        if (b->rank != 1 || b->dims[0] != out_c || b->dtype != bias_dtype(x)) return MF_EINVAL;
    }
    int32_t dims[4] = {x->dims[0], 0, 0, out_c};
    int err = conv_output_size(x->dims[1], kh, p[0], p[2], p[4], p[6], &dims[1]);
    if (!err) err = conv_output_size(x->dims[2], kw, p[1], p[3], p[5], p[7], &dims[2]);
    if (!err) err = set_shape(out, 4, dims);
    if (err) return err;
    uint64_t per_output = (uint64_t)kh * (uint64_t)kw * (uint64_t)(depthwise ? 1 : w->dims[3]);
    *macs += (uint64_t)mf_tensor_elements(out) * per_output;
    return MF_OK;
}

static int prepare_fully_connected(mf_model *m, const mf_op_record *op, uint64_t *macs)
{
    mf_tensor *x = &m->tensors[op->inputs[0]], *w = &m->tensors[op->inputs[1]];
    if (w->rank != 2 || x->rank < 1 || x->dims[x->rank - 1] != w->dims[1]) return MF_EINVAL;
    if (op->inputs[2] >= 0) {
        const mf_tensor *b = &m->tensors[op->inputs[2]];
        if (b->rank != 1 || b->dims[0] != w->dims[0] || b->dtype != bias_dtype(x)) return MF_EINVAL;
    }
    int32_t dims[4];
    for (int i = 0; i < x->rank; i++) dims[i] = x->dims[i];
    dims[x->rank - 1] = w->dims[0];
    int err = set_shape(&m->tensors[op->outputs[0]], x->rank, dims);
    if (err) return err;
    *macs += (uint64_t)(mf_tensor_elements(x) / (size_t)w->dims[1]) * (uint64_t)w->dims[0] * (uint64_t)w->dims[1];
    return MF_OK;
}

static int prepare_binary(mf_model *m, const mf_op_record *op)
{
    const mf_tensor *a = &m->tensors[op->inputs[0]], *b = &m->tensors[op->inputs[1]];
    int rank = a->rank > b->rank ? a->rank : b->rank;
    int32_t dims[4];
    for (int i = 0; i < rank; i++) {
        int ia = i - (rank - a->rank), ib = i - (rank - b->rank);
        int32_t da = ia >= 0 ? a->dims[ia] : 1, db = ib >= 0 ? b->dims[ib] : 1;
        if (da != db && da != 1 && db != 1) return MF_EINVAL;
        dims[i] = da > db ? da : db;
    }
    if (rank == 0) return MF_EINVAL;
    return set_shape(&m->tensors[op->outputs[0]], rank, dims);
}

static int same_shape(mf_model *m, const mf_op_record *op)
{
    const mf_tensor *x = &m->tensors[op->inputs[0]];
    if (x->rank < 1) return MF_EINVAL;
    return set_shape(&m->tensors[op->outputs[0]], x->rank, x->dims);
}

/* A per-feature vector (gamma, beta, PReLU slopes) matches the last axis. */
static int check_feature_vector(mf_model *m, int32_t index, int32_t features)
{
    if (index < 0) return MF_OK;
    const mf_tensor *v = &m->tensors[index];
    return v->rank == 1 && v->dims[0] == features && is_f32(v) ? MF_OK : MF_EINVAL;
}

static int prepare_pool(mf_model *m, const mf_op_record *op)
{
    const mf_tensor *x = &m->tensors[op->inputs[0]];
    const int32_t *p = op->params;
    if (x->rank != 4) return MF_EINVAL;
    int32_t dims[4] = {x->dims[0], 0, 0, x->dims[3]};
    int err = conv_output_size(x->dims[1], p[1], p[3], p[5], p[7], 1, &dims[1]);
    if (!err) err = conv_output_size(x->dims[2], p[2], p[4], p[6], p[8], 1, &dims[2]);
    return err ? err : set_shape(&m->tensors[op->outputs[0]], 4, dims);
}

static int prepare_mean(mf_model *m, const mf_op_record *op)
{
    const mf_tensor *x = &m->tensors[op->inputs[0]];
    if (op->params[0] >> x->rank) return MF_EINVAL;
    int32_t dims[4];
    for (int i = 0; i < x->rank; i++) dims[i] = (op->params[0] >> i) & 1 ? 1 : x->dims[i];
    return set_shape(&m->tensors[op->outputs[0]], x->rank, dims);
}

static int prepare_concat(mf_model *m, const mf_op_record *op)
{
    const mf_tensor *first = &m->tensors[op->inputs[0]];
    int32_t axis = op->params[0];
    if (axis >= first->rank) return MF_EINVAL;
    int32_t dims[4];
    for (int i = 0; i < first->rank; i++) dims[i] = first->dims[i];
    for (int k = 1; k < op->input_count; k++) {
        if (op->inputs[k] < 0) return MF_EINVAL;
        const mf_tensor *t = &m->tensors[op->inputs[k]];
        if (t->rank != first->rank || t->dtype != first->dtype) return MF_EINVAL;
        for (int i = 0; i < t->rank; i++)
            if (i != axis && t->dims[i] != dims[i]) return MF_EINVAL;
        dims[axis] += t->dims[axis];
    }
    return set_shape(&m->tensors[op->outputs[0]], first->rank, dims);
}

static int prepare_resize(mf_model *m, const mf_op_record *op)
{
    const mf_tensor *x = &m->tensors[op->inputs[0]];
    if (x->rank != 4) return MF_EINVAL;
    int32_t dims[4] = {x->dims[0], op->params[1], op->params[2], x->dims[3]};
    if (op->params[1] == 0) {
        const mf_tensor *like = &m->tensors[op->inputs[1]];
        if (like->rank != 4) return MF_EINVAL;
        dims[1] = like->dims[1];
        dims[2] = like->dims[2];
    }
    return set_shape(&m->tensors[op->outputs[0]], 4, dims);
}

static int prepare_reshape(mf_model *m, const mf_op_record *op)
{
    const mf_tensor *x = &m->tensors[op->inputs[0]];
    int rank = op->params[0], infer = -1;
    int32_t dims[4];
    size_t known = 1;
    for (int i = 0; i < rank; i++) {
        int32_t d = op->params[1 + i];
        if (d == 0) {
            if (i >= x->rank) return MF_EINVAL;
            d = x->dims[i];
        }
        if (d == -1) {
            if (infer >= 0) return MF_EINVAL;
            infer = i;
            dims[i] = 1;
            continue;
        }
        if (d < 1) return MF_EINVAL;
        dims[i] = d;
        known *= (size_t)d;
        if (known > ((size_t)1 << 31)) return MF_ERANGE;
    }
    size_t total = mf_tensor_elements(x);
    if (infer >= 0) {
        if (total % known) return MF_EINVAL;
        dims[infer] = (int32_t)(total / known);
    } else if (known != total) {
        return MF_EINVAL;
    }
    return set_shape(&m->tensors[op->outputs[0]], rank, dims);
}

static int prepare_transpose(mf_model *m, const mf_op_record *op)
{
    const mf_tensor *x = &m->tensors[op->inputs[0]];
    if (x->rank != op->params[0]) return MF_EINVAL;
    int32_t dims[4];
    for (int i = 0; i < x->rank; i++) dims[i] = x->dims[op->params[1 + i]];
    return set_shape(&m->tensors[op->outputs[0]], x->rank, dims);
}

static int prepare_matmul(mf_model *m, const mf_op_record *op, uint64_t *macs)
{
    const mf_tensor *a = &m->tensors[op->inputs[0]], *b = &m->tensors[op->inputs[1]];
    int r = a->rank;
    if (r < 2 || b->rank != r) return MF_EINVAL;
    for (int i = 0; i < r - 2; i++)
        if (a->dims[i] != b->dims[i]) return MF_EINVAL;
    int32_t rows = op->params[0] ? a->dims[r - 1] : a->dims[r - 2];
    int32_t inner = op->params[0] ? a->dims[r - 2] : a->dims[r - 1];
    int32_t inner_b = op->params[1] ? b->dims[r - 1] : b->dims[r - 2];
    int32_t cols = op->params[1] ? b->dims[r - 2] : b->dims[r - 1];
    if (inner != inner_b) return MF_EINVAL;
    int32_t dims[4];
    for (int i = 0; i < r - 2; i++) dims[i] = a->dims[i];
    dims[r - 2] = rows;
    dims[r - 1] = cols;
    int err = set_shape(&m->tensors[op->outputs[0]], r, dims);
    if (err) return err;
    *macs += (uint64_t)mf_tensor_elements(&m->tensors[op->outputs[0]]) * (uint64_t)inner;
    return MF_OK;
}

static int prepare_slice(mf_model *m, const mf_op_record *op)
{
    const mf_tensor *x = &m->tensors[op->inputs[0]];
    int32_t axis = op->params[0], begin = op->params[1], size = op->params[2];
    if (axis >= x->rank || begin < 0 || size < 1 || begin > x->dims[axis] - size) return MF_EINVAL;
    int32_t dims[4];
    for (int i = 0; i < x->rank; i++) dims[i] = x->dims[i];
    dims[axis] = size;
    return set_shape(&m->tensors[op->outputs[0]], x->rank, dims);
}

static int prepare_float(mf_model *model, const mf_op_record *op, uint64_t *macs, int32_t *alias)
{
    /* Every operand of a float op is float32. */
    for (int i = 0; i < op->input_count; i++)
        if (op->inputs[i] >= 0 && !is_f32(&model->tensors[op->inputs[i]])) return MF_EUNSUPPORTED;
    mf_tensor *out = &model->tensors[op->outputs[0]];
    if (!is_f32(out)) return MF_EUNSUPPORTED;
    switch (op->type) {
    case MF_OP_CONV2D: case MF_OP_DEPTHWISE_CONV2D: return prepare_conv(model, op, macs);
    case MF_OP_FULLY_CONNECTED: return prepare_fully_connected(model, op, macs);
    case MF_OP_BINARY: return prepare_binary(model, op);
    case MF_OP_ACTIVATION: {
        const mf_tensor *x = &model->tensors[op->inputs[0]];
        int err = check_feature_vector(model, op->inputs[1], x->rank ? x->dims[x->rank - 1] : 0);
        return err ? err : same_shape(model, op);
    }
    case MF_OP_LAYER_NORM: {
        const mf_tensor *x = &model->tensors[op->inputs[0]];
        int32_t features = x->rank ? x->dims[x->rank - 1] : 0;
        int err = check_feature_vector(model, op->inputs[1], features);
        if (!err) err = check_feature_vector(model, op->inputs[2], features);
        return err ? err : same_shape(model, op);
    }
    case MF_OP_SOFTMAX: case MF_OP_L2_NORMALIZE: return same_shape(model, op);
    case MF_OP_POOL2D: return prepare_pool(model, op);
    case MF_OP_MEAN: return prepare_mean(model, op);
    case MF_OP_CONCAT: return prepare_concat(model, op);
    case MF_OP_RESIZE: return prepare_resize(model, op);
    case MF_OP_RESHAPE: *alias = op->inputs[0]; return prepare_reshape(model, op);
    case MF_OP_TRANSPOSE: return prepare_transpose(model, op);
    case MF_OP_MATMUL: return prepare_matmul(model, op, macs);
    case MF_OP_SLICE: return prepare_slice(model, op);
    default: return MF_EUNSUPPORTED;
    }
}

/* ---- int8 (format 1.1) ----------------------------------------------------
 * Every int8 activation has a per-tensor scale (finite, > 0) and a zero point
 * in [-128, 127]; weights are symmetric (zero point 0) with one scale per
 * output channel (or one per tensor); biases are int32 at input scale x
 * weight scale. Ops that only move bytes (concat, nearest resize, reshape, pooling)
 * require their output to carry their inputs' scale and zero point: the
 * converter unifies them. The multipliers, clamps and tables the kernels
 * need are computed here into model->aux, so mf_op_eval_s8 only reads them. */

static int valid_q(const mf_tensor *t)
{
    return t->dtype == MF_DTYPE_INT8 && isfinite(t->scale) && t->scale > 0.0f && t->zero_point >= -128 &&
           t->zero_point <= 127;
}

static int same_q(const mf_tensor *a, const mf_tensor *b)
{
    return a->scale == b->scale && a->zero_point == b->zero_point;
}

static int32_t rec_i32(const mf_model *m, int32_t t, int field) { return mf_rd_i32(mf_tensor_record(m, (uint32_t)t) + field); }
static int32_t rec_dtype(const mf_model *m, int32_t t) { return mf_tensor_record(m, (uint32_t)t)[MF_TREC_DTYPE]; }
static int rec_const(const mf_model *m, int32_t t)
{
    return (mf_rd_u16(mf_tensor_record(m, (uint32_t)t) + MF_TREC_FLAGS) & MF_TENSOR_FLAG_CONST) != 0;
}

/* Output channels of a weighted int8 op from its weight record, or -1. */
static int64_t weight_channels(const mf_model *m, const mf_op_record *op)
{
    int32_t w = op->inputs[1];
    if (w < 0 || !rec_const(m, w) || mf_tensor_record(m, (uint32_t)w)[MF_TREC_RANK] < 2) return -1;
    return rec_i32(m, w, MF_TREC_DIMS + 4 * (op->type == MF_OP_DEPTHWISE_CONV2D ? 3 : 0));
}

/* Slopes of an int8 PReLU from its record (checked against the input when
 * planning), or -1. */
static int64_t prelu_channels(const mf_model *m, const mf_op_record *op)
{
    int32_t v = op->input_count > 1 ? op->inputs[1] : -1;
    if (v < 0 || mf_tensor_record(m, (uint32_t)v)[MF_TREC_RANK] != 1) return -1;
    int32_t c = rec_i32(m, v, MF_TREC_DIMS);
    return c < 1 ? -1 : c;
}

#define MF_BINARY_S8_WORDS ((uint32_t)(sizeof(mf_binary_s8_params) / sizeof(int32_t)))
#define MF_LUT_S8_WORDS 64u

/* Aux words of one op: clamp + multipliers + shifts for weighted ops,
 * binary parameters, a 256-entry table for activations. */
/* Bytes of the weights the selected kernel packs at plan time (0 on the M55). */
static uint64_t packed_weight_bytes(const mf_model *m, const mf_op_record *op)
{
    if ((op->type != MF_OP_CONV2D && op->type != MF_OP_FULLY_CONNECTED) || op->input_count < 2 || op->inputs[1] < 0)
        return 0;
    int32_t w = op->inputs[1];
    int rank = mf_tensor_record(m, (uint32_t)w)[MF_TREC_RANK];
    if (op->type == MF_OP_FULLY_CONNECTED)
        return rank == 2 ? mf_s8_conv_packed_bytes(1, rec_i32(m, w, MF_TREC_DIMS + 4), rec_i32(m, w, MF_TREC_DIMS)) : 0;
    if (rank != 4) return 0;
    int64_t k = (int64_t)rec_i32(m, w, MF_TREC_DIMS + 4) * rec_i32(m, w, MF_TREC_DIMS + 8) * rec_i32(m, w, MF_TREC_DIMS + 12);
    int32_t groups = op->params[8];
    if (k < 1 || k > INT32_MAX || groups < 1) return 0;
    return mf_s8_conv_packed_bytes(groups, (int32_t)k, rec_i32(m, w, MF_TREC_DIMS));
}

static uint64_t op_aux_words(const mf_model *m, const mf_op_record *op)
{
    if (op->input_count < 1 || op->inputs[0] < 0 || rec_dtype(m, op->inputs[0]) != MF_DTYPE_INT8) return 0;
    switch (op->type) {
    case MF_OP_CONV2D: case MF_OP_DEPTHWISE_CONV2D: case MF_OP_FULLY_CONNECTED: {
        int64_t c = weight_channels(m, op);
        if (c < 0) return 0;
        /* activation clamp, then per channel multiplier and shift, then any plan-time weight pack */
        return 2 + 2 * (uint64_t)c + (packed_weight_bytes(m, op) + 3) / 4;
    }
    case MF_OP_BINARY: return MF_BINARY_S8_WORDS;
    case MF_OP_ACTIVATION: {
        if (op->params[0] != MF_ACT_PRELU) return MF_LUT_S8_WORDS;
        int64_t c = prelu_channels(m, op);
        return c < 0 ? 0 : 2 + 2 * (uint64_t)c;
    }
    case MF_OP_MEAN: return 2;
    default: return 0;
    }
}

uint64_t mf_model_aux_words(const mf_model *model)
{
    uint64_t words = 0;
    for (uint32_t o = 0; o < model->op_count; o++) {
        mf_op_record op;
        mf_read_op(model, o, &op);
        words += op_aux_words(model, &op);
    }
    return words;
}

uint64_t mf_model_scratch_bytes(const mf_model *model)
{
    uint64_t most = 0;
    for (uint32_t o = 0; o < model->op_count; o++) {
        mf_op_record op;
        mf_read_op(model, o, &op);
        if (op.type == MF_OP_FULLY_CONNECTED && op.input_count >= 2 && op.inputs[0] >= 0 && op.inputs[1] >= 0 &&
            rec_dtype(model, op.inputs[0]) == MF_DTYPE_INT8 &&
            mf_tensor_record(model, (uint32_t)op.inputs[1])[MF_TREC_RANK] == 2) {
            /* weights [out_features][in_features] */
            uint64_t bytes = mf_s8_fc_scratch_size(rec_i32(model, op.inputs[1], MF_TREC_DIMS + 4),
                                                   rec_i32(model, op.inputs[1], MF_TREC_DIMS));
            if (bytes > most) most = bytes;
            continue;
        }
        if (op.type != MF_OP_CONV2D || op.input_count < 2 || op.inputs[0] < 0 ||
            rec_dtype(model, op.inputs[0]) != MF_DTYPE_INT8 || weight_channels(model, &op) < 0 ||
            mf_tensor_record(model, (uint32_t)op.inputs[1])[MF_TREC_RANK] != 4)
            continue;
        /* Weights are [out.c][kh][kw][in.c / groups]: the scratch depends on
         * those alone, so one group of in.c / groups channels sizes it. */
        int32_t w = op.inputs[1];
        mf_conv_s8_params p = {.groups = 1};
        mf_shape4 in = {1, 1, 1, rec_i32(model, w, MF_TREC_DIMS + 12)};
        mf_shape4 out = {1, 1, 1, rec_i32(model, w, MF_TREC_DIMS)};
        uint64_t bytes = mf_s8_conv_scratch_size(&p, &in, rec_i32(model, w, MF_TREC_DIMS + 4),
                                                 rec_i32(model, w, MF_TREC_DIMS + 8), &out);
        if (bytes > most) most = bytes;
    }
    return most;
}

/* Reserves this op's aux words (as counted by op_aux_words). */
static int32_t *claim_aux(mf_model *m, const mf_op_record *op)
{
    uint64_t words = op_aux_words(m, op);
    if (words == 0 || m->aux_used + words > m->aux_words) return NULL;
    m->op_aux[op->index] = (int32_t)m->aux_used;
    int32_t *a = m->aux + m->aux_used;
    m->aux_used += (uint32_t)words;
    return a;
}

/* Round half away from zero, then clamp to int8 after adding ZP. */
static int32_t quantize_real(double v, int32_t zp)
{
    if (!(v > -1000.0)) v = -1000.0;
    if (v > 1000.0) v = 1000.0;
    int32_t q = (int32_t)round(v) + zp;
    return q < -128 ? -128 : q > 127 ? 127 : q;
}

/* Fused activation as a clamp in OUT's int8 domain (TFLite's CalculateActivationRange). */
static int act_clamp(int32_t act, const mf_tensor *out, int32_t *lo, int32_t *hi)
{
    *lo = -128;
    *hi = 127;
    if (act == MF_ACT_NONE) return MF_OK;
    if (act != MF_ACT_RELU && act != MF_ACT_RELU6) return MF_EUNSUPPORTED; /* a separate ACTIVATION op */
    if (out->zero_point > *lo) *lo = out->zero_point;
    if (act == MF_ACT_RELU6) {
        int32_t six = quantize_real(6.0 / (double)out->scale, out->zero_point);
        if (six < *hi) *hi = six;
    }
    return MF_OK;
}

static int prepare_weighted_s8(mf_model *m, const mf_op_record *op, uint64_t *macs)
{
    const mf_tensor *x = &m->tensors[op->inputs[0]], *w = &m->tensors[op->inputs[1]];
    const mf_tensor *out = &m->tensors[op->outputs[0]];
    int fc = op->type == MF_OP_FULLY_CONNECTED;
    if (!valid_q(x) || !valid_q(out) || w->dtype != MF_DTYPE_INT8 || !m->plans[op->inputs[1]].is_const ||
        w->zero_point != 0)
        return MF_EINVAL;
    int err = fc ? prepare_fully_connected(m, op, macs) : prepare_conv(m, op, macs);
    if (err) return err;
    int32_t channels = (int32_t)weight_channels(m, op), axis = op->type == MF_OP_DEPTHWISE_CONV2D ? 3 : 0;
    if (w->channel_count && (w->channel_count != channels || w->channel_axis != axis)) return MF_EINVAL;
    /* The int32 accumulator never overflows: |x - zp| <= 255, |w| <= 128 over
     * the taps of one output, plus the bias. */
    int64_t taps = fc ? w->dims[1] : (int64_t)w->dims[1] * w->dims[2] * (axis ? 1 : w->dims[3]);
    int64_t bound = taps * 255 * 128;
    if (bound > INT32_MAX) return MF_EUNSUPPORTED;
    const int32_t *bias = NULL;
    if (op->inputs[2] >= 0) {
        if (!m->plans[op->inputs[2]].is_const) return MF_EINVAL;
        bias = m->tensors[op->inputs[2]].data;
    }
    int32_t *a = claim_aux(m, op);
    if (!a) return MF_EINVAL;
    if ((err = act_clamp(op->params[fc ? 0 : 9], out, &a[0], &a[1])) != MF_OK) return err;
    for (int32_t o = 0; o < channels; o++) {
        float ws = w->channel_count ? w->channel_scales[o] : w->scale;
        if (!isfinite(ws) || !(ws > 0.0f)) return MF_EINVAL;
        double real = (double)x->scale * (double)ws / (double)out->scale;
        int64_t acc_max = bound + (bias ? (bias[o] < 0 ? -(int64_t)bias[o] : (int64_t)bias[o]) : 0);
        /* and neither does the requantized value (kernels add the zero point to it) */
        if (acc_max > INT32_MAX || (double)acc_max * real >= 1073741824.0) return MF_EINVAL;
        if (mf_quantize_multiplier(real, &a[2 + o], &a[2 + channels + o])) return MF_EINVAL;
    }
    if (packed_weight_bytes(m, op)) { /* x86: the weights in the kernel's layout, once */
        int32_t groups = fc ? 1 : op->params[8];
        int32_t k = fc ? w->dims[1] : w->dims[1] * w->dims[2] * w->dims[3];
        mf_s8_conv_pack(groups, x->zero_point, k, w->dims[0], w->data, bias, a + 2 + 2 * channels);
    }
    return MF_OK;
}

static int prepare_binary_s8(mf_model *m, const mf_op_record *op)
{
    const mf_tensor *a = &m->tensors[op->inputs[0]], *b = &m->tensors[op->inputs[1]];
    const mf_tensor *out = &m->tensors[op->outputs[0]];
    int32_t kind = op->params[0];
    if (!valid_q(a) || !valid_q(b) || !valid_q(out)) return MF_EINVAL;
    if (kind != MF_BINARY_ADD && kind != MF_BINARY_SUB && kind != MF_BINARY_MUL) return MF_EUNSUPPORTED;
    int err = prepare_binary(m, op);
    if (err) return err;
    int32_t lo, hi;
    if ((err = act_clamp(op->params[1], out, &lo, &hi)) != MF_OK) return err;
    /* The requantized sum or product stays far inside int32 (see prepare_weighted_s8). */
    double amax = a->scale > b->scale ? a->scale : b->scale;
    double reach = kind == MF_BINARY_MUL ? 65025.0 * a->scale * b->scale : 510.0 * amax;
    if (reach / out->scale >= 1073741824.0) return MF_EINVAL;
    int32_t *aux = claim_aux(m, op);
    if (!aux) return MF_EINVAL;
    mf_binary_s8_params p;
    if (mf_binary_s8_params_init((mf_binary)kind, a->scale, a->zero_point, b->scale, b->zero_point, out->scale,
                                 out->zero_point, lo, hi, &p))
        return MF_EINVAL;
    memcpy(aux, &p, sizeof p);
    return MF_OK;
}

/* The requantized value of an int8 difference (|d| <= 255) times REAL stays
 * far inside int32, so adding a zero point cannot overflow. */
static int requant_fits(double real) { return 255.0 * real < 1073741824.0; }

/* PReLU: one multiplier for x >= zero point, one per channel (the slope's
 * sign carried by the multiplier) below it (mf_prelu_s8). */
static int prepare_prelu_s8(mf_model *m, const mf_op_record *op)
{
    const mf_tensor *x = &m->tensors[op->inputs[0]], *out = &m->tensors[op->outputs[0]];
    if (op->input_count < 2 || op->inputs[1] < 0 || !m->plans[op->inputs[1]].is_const) return MF_EINVAL;
    const mf_tensor *slopes = &m->tensors[op->inputs[1]];
    int32_t channels = x->dims[x->rank - 1];
    int err = check_feature_vector(m, op->inputs[1], channels);
    if (!err) err = same_shape(m, op);
    if (err) return err;
    int32_t *a = claim_aux(m, op);
    if (!a || prelu_channels(m, op) != channels) return MF_EINVAL;
    const double ratio = (double)x->scale / (double)out->scale;
    if (!requant_fits(ratio) || mf_quantize_multiplier(ratio, &a[0], &a[1])) return MF_EINVAL;
    const float *s = slopes->data;
    for (int32_t c = 0; c < channels; c++) {
        if (!isfinite(s[c])) return MF_EINVAL;
        double real = ratio * fabs((double)s[c]);
        if (!requant_fits(real) || mf_quantize_multiplier(real, &a[2 + c], &a[2 + channels + c])) return MF_EINVAL;
        if (s[c] < 0.0f) a[2 + c] = -a[2 + c]; /* in [-(2^31 - 1), -2^30]: no overflow */
    }
    return MF_OK;
}

/* Mean: one multiplier, input_scale / (output_scale x reduced count). */
static int prepare_mean_s8(mf_model *m, const mf_op_record *op)
{
    const mf_tensor *x = &m->tensors[op->inputs[0]], *out = &m->tensors[op->outputs[0]];
    if (!valid_q(x) || !valid_q(out)) return MF_EINVAL;
    int err = prepare_mean(m, op);
    if (err) return err;
    size_t reduced = mf_tensor_elements(x) / mf_tensor_elements(out);
    /* the int32 sum of |x - zp| <= 255 per element */
    if ((uint64_t)reduced * 255u > INT32_MAX) return MF_EUNSUPPORTED;
    int32_t *a = claim_aux(m, op);
    if (!a) return MF_EINVAL;
    const double real = (double)x->scale / ((double)out->scale * (double)reduced);
    if (!requant_fits(real * (double)reduced) || mf_quantize_multiplier(real, &a[0], &a[1])) return MF_EINVAL;
    return MF_OK;
}

/* Any activation but PReLU becomes a 256-entry table: dequantize, apply in
 * double (relu, relu6, leaky relu) or through the float kernel, requantize. */
static int prepare_activation_s8(mf_model *m, const mf_op_record *op)
{
    const mf_tensor *x = &m->tensors[op->inputs[0]], *out = &m->tensors[op->outputs[0]];
    int32_t act = op->params[0];
    if (!valid_q(x) || !valid_q(out)) return MF_EINVAL;
    if (act == MF_ACT_PRELU) return prepare_prelu_s8(m, op);
    int err = same_shape(m, op);
    if (err) return err;
    int32_t *aux = claim_aux(m, op);
    if (!aux) return MF_EINVAL;
    int8_t lut[256];
    const double alpha = (double)mf_bits_to_f32(op->params[1]);
    for (int32_t q = -128; q < 128; q++) {
        double real = (double)x->scale * (double)(q - x->zero_point), y;
        if (act == MF_ACT_NONE) y = real;
        else if (act == MF_ACT_RELU) y = real > 0.0 ? real : 0.0;
        else if (act == MF_ACT_RELU6) y = real > 0.0 ? (real < 6.0 ? real : 6.0) : 0.0;
        else if (act == MF_ACT_LEAKY_RELU) y = real < 0.0 ? real * alpha : real;
        else {
            float f = (float)real;
            mf_activation_f32(&f, 1, (mf_act)act, (float)alpha, NULL, 1);
            y = (double)f;
        }
        lut[q + 128] = (int8_t)quantize_real(y / (double)out->scale, out->zero_point);
    }
    memcpy(aux, lut, sizeof lut);
    return MF_OK;
}

/* Ops that move bytes: the output keeps the inputs' scale and zero point. */
static int prepare_move_s8(mf_model *m, const mf_op_record *op, int32_t *alias)
{
    const mf_tensor *x = &m->tensors[op->inputs[0]], *out = &m->tensors[op->outputs[0]];
    if (!valid_q(x) || !valid_q(out) || !same_q(x, out)) return MF_EINVAL;
    switch (op->type) {
    case MF_OP_CONCAT:
        for (int k = 1; k < op->input_count; k++)
            if (op->inputs[k] < 0 || !same_q(&m->tensors[op->inputs[k]], out)) return MF_EINVAL;
        return prepare_concat(m, op);
    case MF_OP_RESIZE:
        if (op->params[0] != MF_RESIZE_NEAREST) return MF_EUNSUPPORTED;
        return prepare_resize(m, op);
    case MF_OP_RESHAPE: *alias = op->inputs[0]; return prepare_reshape(m, op);
    case MF_OP_POOL2D: return prepare_pool(m, op);
    default: return MF_EUNSUPPORTED;
    }
}

static int prepare_s8(mf_model *m, const mf_op_record *op, uint64_t *macs, int32_t *alias)
{
    const mf_tensor *x = &m->tensors[op->inputs[0]], *out = &m->tensors[op->outputs[0]];
    switch (op->type) {
    case MF_OP_QUANTIZE:
        if (!is_f32(x) || !valid_q(out)) return MF_EINVAL;
        return same_shape(m, op);
    case MF_OP_DEQUANTIZE:
        if (!valid_q(x) || !is_f32(out)) return MF_EINVAL;
        return same_shape(m, op);
    case MF_OP_CONV2D: case MF_OP_DEPTHWISE_CONV2D: case MF_OP_FULLY_CONNECTED:
        return prepare_weighted_s8(m, op, macs);
    case MF_OP_BINARY: return prepare_binary_s8(m, op);
    case MF_OP_ACTIVATION: return prepare_activation_s8(m, op);
    case MF_OP_MEAN: return prepare_mean_s8(m, op);
    default: return prepare_move_s8(m, op, alias);
    }
}

int mf_op_prepare(mf_model *model, const mf_op_record *op, uint64_t *macs, int32_t *alias)
{
    *alias = -1;
    /* Every operand must have a shape by now. */
    for (int i = 0; i < op->input_count; i++) {
        if (op->inputs[i] < 0) continue;
        if (model->tensors[op->inputs[i]].rank < 1) return MF_EINVAL;
    }
    const mf_tensor *x = &model->tensors[op->inputs[0]];
    if (op->type == MF_OP_QUANTIZE || op->type == MF_OP_DEQUANTIZE || x->dtype == MF_DTYPE_INT8)
        return prepare_s8(model, op, macs, alias);
    return prepare_float(model, op, macs, alias);
}
