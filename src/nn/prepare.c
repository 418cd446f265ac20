/* Shape inference and checks for every op: the "prepare" half of each op.
 * After this has passed for the whole graph, the kernels can run without
 * looking at a shape again. */
#include "mcuface/mf_status.h"
#include "nn/graph.h"

size_t mf_tensor_elements(const mf_tensor *t)
{
    size_t n = 1;
    for (int i = 0; i < t->rank; i++) n *= (size_t)t->dims[i];
    return n;
}

mf_shape4 mf_tensor_shape4(const mf_tensor *t)
{
    int32_t d[4] = {1, 1, 1, 1};
    for (int i = 0; i < t->rank; i++) d[4 - t->rank + i] = t->dims[i];
    mf_shape4 s = {d[0], d[1], d[2], d[3]};
    return s;
}

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

static int is_f32(const mf_tensor *t) { return t->dtype == MF_DTYPE_F32; }

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
        if (b->rank != 1 || b->dims[0] != out_c || !is_f32(b)) return MF_EINVAL;
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
        if (b->rank != 1 || b->dims[0] != w->dims[0] || !is_f32(b)) return MF_EINVAL;
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
        if (t->rank != first->rank || !is_f32(t)) return MF_EINVAL;
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

int mf_op_prepare(mf_model *model, const mf_op_record *op, uint64_t *macs, int32_t *alias)
{
    *alias = -1;
    /* Every operand must have a shape by now and be float32 (int8 kernels
     * are added with their own checks). */
    for (int i = 0; i < op->input_count; i++) {
        if (op->inputs[i] < 0) continue;
        const mf_tensor *t = &model->tensors[op->inputs[i]];
        if (!is_f32(t)) return MF_EUNSUPPORTED;
        if (t->rank < 1) return MF_EINVAL;
    }
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
