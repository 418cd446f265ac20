/* The int8 half of the executor (format 1.1): every check and every
 * multiplier, clamp and table was made by mf_op_prepare (nn/prepare.c),
 * which left them in model->aux; this only calls the kernels. Convolutions,
 * fully connected, element-wise ops and activation tables go through
 * nn/ops/kernels_s8_select.h (Helium twins on an MVE build, the reference
 * otherwise). */
#include "nn/graph.h"
#include "nn/ops/kernels_s8_select.h"
#include <string.h>

static void conv_params_s8(const int32_t *p, const mf_tensor *x, const mf_tensor *out, const int32_t *aux,
                           mf_conv_s8_params *c)
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
    c->input_zero_point = x->zero_point;
    c->output_zero_point = out->zero_point;
    c->act_min = aux[0];
    c->act_max = aux[1];
}

static const int32_t *bias_s32(mf_model *m, const mf_op_record *op)
{
    return op->inputs[2] >= 0 ? (const int32_t *)m->tensors[op->inputs[2]].data : NULL;
}

static void eval_concat_s8(mf_model *m, const mf_op_record *op, mf_tensor *out)
{
    const void *inputs[MF_OP_MAX_INPUTS];
    int32_t inner[MF_OP_MAX_INPUTS];
    int32_t outer = mf_concat_layout(m, op, out, inputs, inner);
    mf_concat_s8((const int8_t *const *)inputs, inner, op->input_count, outer, out->data);
}

void mf_op_eval_s8(mf_model *m, const mf_op_record *op)
{
    mf_tensor *out = &m->tensors[op->outputs[0]];
    const mf_tensor *x = &m->tensors[op->inputs[0]];
    const int32_t *p = op->params;
    const int32_t *aux = m->op_aux[op->index] >= 0 ? m->aux + m->op_aux[op->index] : NULL;
    switch (op->type) {
    case MF_OP_QUANTIZE:
        mf_s8_quantize(x->data, mf_tensor_elements(x), out->scale, out->zero_point, out->data);
        break;
    case MF_OP_DEQUANTIZE:
        mf_s8_dequantize(x->data, mf_tensor_elements(x), x->scale, x->zero_point, out->data);
        break;
    case MF_OP_CONV2D: case MF_OP_DEPTHWISE_CONV2D: {
        const mf_tensor *w = &m->tensors[op->inputs[1]];
        mf_conv_s8_params c;
        conv_params_s8(p, x, out, aux, &c);
        const int32_t channels = out->dims[3];
        mf_channel_requant rq = {aux + 2, aux + 2 + channels};
        mf_shape4 is = mf_tensor_shape4(x), os = mf_tensor_shape4(out);
        if (op->type == MF_OP_CONV2D)
            mf_s8_conv(&c, &rq, &is, x->data, w->dims[1], w->dims[2], w->data, bias_s32(m, op), &os, out->data,
                       m->scratch, m->scratch_bytes, aux + 2 + 2 * channels); /* the plan-time pack, if any */
        else
            mf_s8_depthwise_conv(&c, &rq, &is, x->data, w->dims[1], w->dims[2], w->data, bias_s32(m, op), &os,
                                 out->data);
        break;
    }
    case MF_OP_FULLY_CONNECTED: {
        const mf_tensor *w = &m->tensors[op->inputs[1]];
        const int32_t in_features = x->dims[x->rank - 1], out_features = w->dims[0];
        const int32_t rows = (int32_t)(mf_tensor_elements(x) / (size_t)in_features);
        mf_fc_s8_params f = {x->zero_point, out->zero_point, aux[0], aux[1]};
        mf_channel_requant rq = {aux + 2, aux + 2 + out_features};
        mf_s8_fully_connected(&f, &rq, x->data, rows, in_features, w->data, bias_s32(m, op), out_features, out->data,
                              m->scratch, m->scratch_bytes, aux + 2 + 2 * out_features);
        break;
    }
    case MF_OP_BINARY: {
        const mf_tensor *b = &m->tensors[op->inputs[1]];
        mf_binary_s8_params bp;
        memcpy(&bp, aux, sizeof bp);
        mf_shape4 as = mf_tensor_shape4(x), bs = mf_tensor_shape4(b), os = mf_tensor_shape4(out);
        mf_s8_binary((mf_binary)p[0], &bp, &as, x->data, &bs, b->data, &os, out->data);
        break;
    }
    case MF_OP_ACTIVATION:
        if (p[0] == MF_ACT_PRELU) {
            const int32_t channels = x->dims[x->rank - 1];
            mf_prelu_s8_params pp = {x->zero_point, out->zero_point, aux[0], aux[1], aux + 2, aux + 2 + channels};
            mf_s8_prelu(&pp, x->data, mf_tensor_elements(x), channels, out->data);
        } else {
            mf_s8_lookup(x->data, mf_tensor_elements(x), (const int8_t *)(const void *)aux, out->data);
        }
        break;
    case MF_OP_MEAN: {
        mf_mean_s8_params mp = {x->zero_point, out->zero_point, aux[0], aux[1]};
        mf_shape4 is = mf_tensor_shape4(x);
        /* the file counts axes from the tensor's first; the kernel from n of the 4-d view */
        mf_mean_s8(&mp, &is, x->data, (uint32_t)p[0] << (4 - x->rank), out->data);
        break;
    }
    case MF_OP_POOL2D: {
        mf_pool_params pp = {(mf_pool)p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9]};
        mf_shape4 is = mf_tensor_shape4(x), os = mf_tensor_shape4(out);
        mf_pool_s8(&pp, x->zero_point, -128, 127, &is, x->data, &os, out->data);
        break;
    }
    case MF_OP_CONCAT: eval_concat_s8(m, op, out); break;
    case MF_OP_RESIZE: {
        mf_shape4 is = mf_tensor_shape4(x), os = mf_tensor_shape4(out);
        mf_resize_nearest_s8(&is, x->data, &os, out->data);
        break;
    }
    default: break; /* RESHAPE: a view */
    }
}
