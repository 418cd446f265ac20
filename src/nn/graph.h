/* Internal pieces shared by the planner, the op preparation and the executor. */
#ifndef MCUFACE_NN_GRAPH_H
#define MCUFACE_NN_GRAPH_H
#include <stddef.h>
#include <stdint.h>
#include "mcuface/mf_model.h"
#include "nn/ops/mf_kernels.h"
#include "nn/records.h"

/* Largest tensor: 2^28 elements, so its bytes (x4) fit a 32-bit size_t. */
#define MF_MAX_TENSOR_ELEMENTS (1u << 28)

/* Where the planner put a tensor, and when it is alive (op indices). */
typedef struct mf_tensor_plan {
    int32_t first_use, last_use;
    int32_t alias_of; /* RESHAPE outputs share their input's bytes; -1 otherwise */
    uint32_t is_const;
    size_t bytes;
    size_t offset;
} mf_tensor_plan;

/* ---- tensor helpers (nn/tensor.c) ---- */
/* Elements of T (product of dims over its rank). */
size_t mf_tensor_elements(const mf_tensor *t);
/* T's shape padded on the left with ones to 4 dims. */
mf_shape4 mf_tensor_shape4(const mf_tensor *t);
/* The layout of a CONCAT for either data type: returns the product of the
 * output dims before the axis, and writes each input's data pointer and
 * element count from the axis on. */
int32_t mf_concat_layout(const mf_model *model, const mf_op_record *op, const mf_tensor *out,
                         const void *inputs[MF_OP_MAX_INPUTS], int32_t inner[MF_OP_MAX_INPUTS]);

/* Checks OP's input shapes, writes its output shapes into model->tensors
 * and adds its multiply-accumulates to *MACS. Sets *ALIAS to the input the
 * output may share bytes with (RESHAPE), else -1. Returns MF_OK or MF_EINVAL
 * (shapes or types that do not fit), MF_EUNSUPPORTED (a data type without a
 * kernel yet), MF_ERANGE (size overflow). */
int mf_op_prepare(mf_model *model, const mf_op_record *op, uint64_t *macs, int32_t *alias);

/* Runs OP's kernel; every check was made by mf_op_prepare. Picks the
 * executor by data type (nn/exec.c): mf_op_eval_s8 or mf_op_eval_f32. */
void mf_op_eval(mf_model *model, const mf_op_record *op);
/* Runs an op whose operands are float32 (nn/exec_f32.c). */
void mf_op_eval_f32(mf_model *model, const mf_op_record *op);

/* int8 ops (format 1.1): the parameters mf_op_prepare computes for them
 * (per-channel requantization multipliers and shifts, clamps, lookup tables)
 * live in the workspace, in model->aux at model->op_aux[op index]. */
#define MF_MAX_AUX_WORDS (1u << 26)
/* Words of aux all ops need, from the file's records alone (before shapes). */
uint64_t mf_model_aux_words(const mf_model *model);
/* Bytes of kernel scratch the largest op needs with the kernels this build
 * selects (nn/ops/kernels_s8_select.h), from the file's records alone; one
 * region in the workspace serves every op in turn. 0 for the reference kernels. */
uint64_t mf_model_scratch_bytes(const mf_model *model);
/* Runs an op whose operands are int8, or QUANTIZE / DEQUANTIZE (nn/exec_s8.c). */
void mf_op_eval_s8(mf_model *model, const mf_op_record *op);
#endif
