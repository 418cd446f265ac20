/* The graph executor: runs ops in file order. The one place that picks an
 * op's executor by data type: int8 operands (and QUANTIZE / DEQUANTIZE,
 * which cross between the types) go to exec_s8.c, the rest to exec_f32.c. */
#include "mcuface/mf_status.h"
#include "nn/graph.h"

void mf_op_eval(mf_model *m, const mf_op_record *op)
{
    const mf_tensor *x = &m->tensors[op->inputs[0]];
    if (x->dtype == MF_DTYPE_INT8 || op->type == MF_OP_QUANTIZE || op->type == MF_OP_DEQUANTIZE)
        mf_op_eval_s8(m, op);
    else
        mf_op_eval_f32(m, op);
}

int mf_model_run(mf_model *model)
{
    if (!model || model->state < 3) return MF_ESTATE;
    for (uint32_t o = 0; o < model->op_count; o++) {
        mf_op_record op;
        mf_read_op(model, o, &op);
        mf_op_eval(model, &op);
    }
    return MF_OK;
}
