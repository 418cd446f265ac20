/* Little-endian field readers for the model file's records, plus the decoded
 * form of an op record. Reading through memcpy keeps unaligned access legal. */
#ifndef MCUFACE_NN_RECORDS_H
#define MCUFACE_NN_RECORDS_H
#include <stdint.h>
#include <string.h>
#include "nn/format.h"
#include "mcuface/mf_model.h"
#include "crc32.h"

static inline uint32_t mf_rd_u32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static inline int32_t mf_rd_i32(const uint8_t *p) { int32_t v; memcpy(&v, p, 4); return v; }
static inline uint16_t mf_rd_u16(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return v; }
static inline float mf_rd_f32(const uint8_t *p) { float v; memcpy(&v, p, 4); return v; }
static inline float mf_bits_to_f32(int32_t bits) { float v; memcpy(&v, &bits, 4); return v; }

typedef struct mf_op_record {
    int32_t type;
    int32_t index; /* position in the file's op list */
    int32_t input_count, output_count;
    int32_t inputs[MF_OP_MAX_INPUTS];
    int32_t outputs[MF_OP_MAX_OUTPUTS];
    int32_t params[MF_OP_MAX_PARAMS];
} mf_op_record;

/* Decodes op I of an opened model (no validation: mf_model_open did it). */
void mf_read_op(const mf_model *model, uint32_t index, mf_op_record *op);

static inline const uint8_t *mf_tensor_record(const mf_model *model, uint32_t index)
{
    return model->tensor_records + (size_t)index * MF_FILE_TENSOR_RECORD_BYTES;
}

/* Bytes per element of DTYPE, 0 when unknown. */
static inline uint32_t mf_dtype_bytes(int32_t dtype)
{
    switch (dtype) {
    case MF_DTYPE_FLOAT32: case MF_DTYPE_INT32: return 4;
    case MF_DTYPE_INT16: return 2;
    case MF_DTYPE_INT8: case MF_DTYPE_UINT8: return 1;
    default: return 0;
    }
}

#endif
