/* Tensor helpers shared by the op preparation and both executors. */
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

int32_t mf_concat_layout(const mf_model *m, const mf_op_record *op, const mf_tensor *out,
                         const void *inputs[MF_OP_MAX_INPUTS], int32_t inner[MF_OP_MAX_INPUTS])
{
    int32_t outer = 1;
    for (int i = 0; i < op->params[0]; i++) outer *= out->dims[i];
    for (int k = 0; k < op->input_count; k++) {
        const mf_tensor *t = &m->tensors[op->inputs[k]];
        inputs[k] = t->data;
        inner[k] = (int32_t)(mf_tensor_elements(t) / (size_t)outer);
    }
    return outer;
}
