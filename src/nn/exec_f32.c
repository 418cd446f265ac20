/* The float32 ops of the executor, each through its reference kernel.
 * Shapes were checked by mf_op_prepare, so nothing is checked here. */
#include "nn/graph.h"

static const float *in_f32(mf_model *m, const mf_op_record *op, int i)
{
    return op->inputs[i] >= 0 ? (const float *)m->tensors[op->inputs[i]].data : NULL;
}

static void conv_params(const int32_t *p, mf_conv_params *c)
{
    c->stride_h = p[0];
    c->stride_w = p[1];
    c->pad_top = p[2];
    c->pad_left = p[3];
    c->pad_bottom = p[4];
    c->pad_right = p[5];
    c->dilation_h = p[6];
    c->dilation_w = p[7];
    c->groups = p[8];
    c->act = (mf_act)p[9];
    c->act_alpha = mf_bits_to_f32(p[10]);
}

/* Rows x features view of a tensor for ops over the last axis. */
static void rows_features(const mf_tensor *t, int32_t *rows, int32_t *features)
{
    *features = t->dims[t->rank - 1];
    *rows = (int32_t)(mf_tensor_elements(t) / (size_t)*features);
}

static void eval_concat(mf_model *m, const mf_op_record *op, mf_tensor *out)
{
    const void *inputs[MF_OP_MAX_INPUTS];
    int32_t inner[MF_OP_MAX_INPUTS];
    int32_t outer = mf_concat_layout(m, op, out, inputs, inner);
    mf_concat_f32((const float *const *)inputs, inner, op->input_count, outer, out->data);
}

static void eval_matmul(mf_model *m, const mf_op_record *op, mf_tensor *out)
{
    const mf_tensor *a = &m->tensors[op->inputs[0]];
    int r = a->rank;
    int32_t batch = 1;
    for (int i = 0; i < r - 2; i++) batch *= a->dims[i];
    int32_t inner = op->params[0] ? a->dims[r - 2] : a->dims[r - 1];
    mf_matmul_f32(a->data, m->tensors[op->inputs[1]].data, batch, out->dims[r - 2], inner, out->dims[r - 1],
                  op->params[0], op->params[1], mf_bits_to_f32(op->params[2]), out->data);
}

static void eval_transpose(mf_model *m, const mf_op_record *op, mf_tensor *out)
{
    const mf_tensor *x = &m->tensors[op->inputs[0]];
    /* Pad to 4 dims: leading unit axes stay in place. */
    int32_t perm[4], lead = 4 - x->rank;
    for (int i = 0; i < lead; i++) perm[i] = i;
    for (int i = 0; i < x->rank; i++) perm[lead + i] = op->params[1 + i] + lead;
    mf_shape4 s = mf_tensor_shape4(x);
    mf_transpose_f32(&s, x->data, perm, out->data);
}

void mf_op_eval_f32(mf_model *m, const mf_op_record *op)
{
    mf_tensor *out = &m->tensors[op->outputs[0]];
    const mf_tensor *x = &m->tensors[op->inputs[0]];
    const int32_t *p = op->params;
    int32_t rows, features;
    switch (op->type) {
    case MF_OP_CONV2D: case MF_OP_DEPTHWISE_CONV2D: {
        mf_conv_params c;
        conv_params(p, &c);
        const mf_tensor *w = &m->tensors[op->inputs[1]];
        mf_shape4 is = mf_tensor_shape4(x), os = mf_tensor_shape4(out);
        if (op->type == MF_OP_CONV2D)
            mf_conv_f32(&c, &is, x->data, w->dims[1], w->dims[2], w->data, in_f32(m, op, 2), &os, out->data);
        else
            mf_depthwise_conv_f32(&c, &is, x->data, w->dims[1], w->dims[2], w->data, in_f32(m, op, 2), &os, out->data);
        break;
    }
    case MF_OP_FULLY_CONNECTED: {
        const mf_tensor *w = &m->tensors[op->inputs[1]];
        rows_features(x, &rows, &features);
        mf_fully_connected_f32(x->data, rows, features, w->data, in_f32(m, op, 2), w->dims[0], (mf_act)p[0],
                               mf_bits_to_f32(p[1]), out->data);
        break;
    }
    case MF_OP_BINARY: {
        const mf_tensor *b = &m->tensors[op->inputs[1]];
        /* Align both operands to the output's rank before padding to 4-d. */
        mf_shape4 as = mf_tensor_shape4(x), bs = mf_tensor_shape4(b), os = mf_tensor_shape4(out);
        mf_binary_f32((mf_binary)p[0], &as, x->data, &bs, b->data, &os, (mf_act)p[1], mf_bits_to_f32(p[2]), out->data);
        break;
    }
    case MF_OP_ACTIVATION:
        rows_features(x, &rows, &features);
        if (out->data != x->data)
            for (size_t i = 0, n = mf_tensor_elements(x); i < n; i++) ((float *)out->data)[i] = ((const float *)x->data)[i];
        mf_activation_f32(out->data, mf_tensor_elements(x), (mf_act)p[0], mf_bits_to_f32(p[1]), in_f32(m, op, 1), features);
        break;
    case MF_OP_LAYER_NORM:
        rows_features(x, &rows, &features);
        mf_layer_norm_f32(x->data, rows, features, in_f32(m, op, 1), in_f32(m, op, 2), mf_bits_to_f32(p[0]), out->data);
        break;
    case MF_OP_SOFTMAX:
        rows_features(x, &rows, &features);
        mf_softmax_f32(x->data, rows, features, out->data);
        break;
    case MF_OP_L2_NORMALIZE:
        rows_features(x, &rows, &features);
        mf_l2_normalize_f32(x->data, rows, features, mf_bits_to_f32(p[0]), out->data);
        break;
    case MF_OP_POOL2D: {
        mf_pool_params pp = {(mf_pool)p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9]};
        mf_shape4 is = mf_tensor_shape4(x), os = mf_tensor_shape4(out);
        mf_pool_f32(&pp, &is, x->data, &os, out->data);
        break;
    }
    case MF_OP_MEAN: {
        mf_shape4 is = mf_tensor_shape4(x);
        /* the file counts axes from the tensor's first; the kernel from n of the 4-d view */
        uint32_t mask4 = (uint32_t)p[0] << (4 - x->rank);
        mf_mean_f32(&is, x->data, mask4, out->data);
        break;
    }
    case MF_OP_CONCAT: eval_concat(m, op, out); break;
    case MF_OP_RESIZE: {
        mf_shape4 is = mf_tensor_shape4(x), os = mf_tensor_shape4(out);
        mf_resize_f32((mf_resize_mode)p[0], &is, x->data, &os, out->data);
        break;
    }
    case MF_OP_RESHAPE: break; /* a view: the bytes are shared */
    case MF_OP_TRANSPOSE: eval_transpose(m, op, out); break;
    case MF_OP_MATMUL: eval_matmul(m, op, out); break;
    case MF_OP_SLICE: {
        mf_shape4 is = mf_tensor_shape4(x);
        mf_slice_f32(&is, x->data, p[0] + 4 - x->rank, p[1], p[2], out->data);
        break;
    }
    default: break;
    }
}
