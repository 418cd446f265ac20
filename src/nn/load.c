/* mf_model_open: validates a model file completely before anything runs.
 * Every offset and count is checked against the blob size with 64-bit
 * arithmetic, so no later step can read outside the file. */
#include "mcuface/mf_model.h"
#include "mcuface/mf_status.h"
#include "nn/ops/mf_kernels.h"
#include "nn/records.h"
#include <string.h>

void mf_read_op(const mf_model *model, uint32_t index, mf_op_record *op)
{
    const uint8_t *r = model->op_records + (size_t)index * MF_FILE_OP_RECORD_BYTES;
    op->type = mf_rd_u16(r + MF_OREC_TYPE);
    op->index = (int32_t)index;
    op->input_count = r[MF_OREC_INPUT_COUNT];
    op->output_count = r[MF_OREC_OUTPUT_COUNT];
    for (int i = 0; i < MF_OP_MAX_INPUTS; i++) op->inputs[i] = mf_rd_i32(r + MF_OREC_INPUTS + 4 * i);
    for (int i = 0; i < MF_OP_MAX_OUTPUTS; i++) op->outputs[i] = mf_rd_i32(r + MF_OREC_OUTPUTS + 4 * i);
    for (int i = 0; i < MF_OP_MAX_PARAMS; i++) op->params[i] = mf_rd_i32(r + MF_OREC_PARAMS + 4 * i);
}

/* [offset, offset + bytes) lies inside a blob of SIZE bytes. */
static int in_blob(uint64_t offset, uint64_t bytes, size_t size)
{
    return offset <= size && bytes <= size - offset;
}

/* A NUL-terminated string starts at OFFSET inside a table of BYTES. */
static int valid_string(const char *table, uint32_t bytes, uint32_t offset)
{
    if (offset >= bytes) return 0;
    return memchr(table + offset, 0, bytes - offset) != NULL;
}

static int check_tensor(const mf_model *m, uint32_t index)
{
    const uint8_t *r = mf_tensor_record(m, index);
    uint32_t name = mf_rd_u32(r + MF_TREC_NAME);
    int32_t dtype = r[MF_TREC_DTYPE];
    int32_t rank = r[MF_TREC_RANK];
    uint32_t flags = mf_rd_u16(r + MF_TREC_FLAGS);
    uint32_t elem = mf_dtype_bytes(dtype);
    if (name != MF_NO_NAME && !valid_string(m->strings, m->strings_bytes, name)) return MF_ECORRUPT;
    if (elem == 0 || rank > MF_MAX_RANK || (flags & ~MF_TENSOR_FLAG_CONST)) return MF_ECORRUPT;
    uint64_t count = 1;
    for (int i = 0; i < MF_MAX_RANK; i++) {
        int32_t d = mf_rd_i32(r + MF_TREC_DIMS + 4 * i);
        if (i >= rank) { if (d != 0) return MF_ECORRUPT; continue; }
        if (d < 0 || d > (1 << 24)) return MF_ECORRUPT;
        count *= (uint64_t)d;
        if (count > 0xFFFFFFFFull) return MF_ECORRUPT;
    }
    uint32_t data_offset = mf_rd_u32(r + MF_TREC_DATA_OFFSET);
    uint32_t data_bytes = mf_rd_u32(r + MF_TREC_DATA_BYTES);
    if (flags & MF_TENSOR_FLAG_CONST) {
        uint64_t data_start = mf_rd_u32(m->blob + MF_HDR_DATA_OFFSET);
        uint64_t data_end = data_start + mf_rd_u32(m->blob + MF_HDR_DATA_BYTES);
        if (count == 0 || (uint64_t)data_bytes != count * elem) return MF_ECORRUPT;
        if (data_offset % MF_FILE_DATA_ALIGN || data_offset < data_start ||
            (uint64_t)data_offset + data_bytes > data_end)
            return MF_ECORRUPT;
    } else if (data_offset != 0 || data_bytes != 0) {
        return MF_ECORRUPT;
    }
    uint32_t cs_offset = mf_rd_u32(r + MF_TREC_CHANNEL_SCALES_OFFSET);
    uint32_t cs_count = mf_rd_u32(r + MF_TREC_CHANNEL_SCALES_COUNT);
    int32_t cs_axis = mf_rd_i32(r + MF_TREC_CHANNEL_AXIS);
    if (cs_count) {
        if (cs_axis < 0 || cs_axis >= rank || cs_offset % 4 ||
            (uint32_t)mf_rd_i32(r + MF_TREC_DIMS + 4 * cs_axis) != cs_count ||
            !in_blob(cs_offset, (uint64_t)cs_count * 4, m->blob_bytes))
            return MF_ECORRUPT;
    } else if (cs_offset != 0) {
        return MF_ECORRUPT;
    }
    return MF_OK;
}

static int tensor_is_const(const mf_model *m, int32_t t)
{
    return (mf_rd_u16(mf_tensor_record(m, (uint32_t)t) + MF_TREC_FLAGS) & MF_TENSOR_FLAG_CONST) != 0;
}

/* Inputs each op type requires (the rest may be -1), and its output count. */
static void op_arity(int32_t type, int *min_inputs, int *max_inputs, int *outputs)
{
    *outputs = 1;
    switch (type) {
    case MF_OP_CONV2D: case MF_OP_DEPTHWISE_CONV2D: case MF_OP_FULLY_CONNECTED:
        *min_inputs = 2; *max_inputs = 3; break;
    case MF_OP_BINARY: case MF_OP_MATMUL: *min_inputs = 2; *max_inputs = 2; break;
    case MF_OP_ACTIVATION: case MF_OP_RESIZE: *min_inputs = 1; *max_inputs = 2; break;
    case MF_OP_LAYER_NORM: *min_inputs = 1; *max_inputs = 3; break;
    case MF_OP_CONCAT: *min_inputs = 1; *max_inputs = MF_OP_MAX_INPUTS; break;
    default: *min_inputs = 1; *max_inputs = 1; break;
    }
}

static int valid_act(int32_t act) { return act >= 0 && act < MF_ACT_COUNT; }

/* Shape-independent parameter checks; shapes are checked when planning. */
static int check_op_params(const mf_op_record *op)
{
    const int32_t *p = op->params;
    switch (op->type) {
    case MF_OP_CONV2D: case MF_OP_DEPTHWISE_CONV2D:
        if (p[0] < 1 || p[1] < 1 || p[0] > 64 || p[1] > 64) return MF_ECORRUPT;
        for (int i = 2; i < 6; i++) if (p[i] < 0 || p[i] > 64) return MF_ECORRUPT;
        if (p[6] < 1 || p[7] < 1 || p[6] > 64 || p[7] > 64 || p[8] < 1) return MF_ECORRUPT;
        if (!valid_act(p[9]) || p[9] == MF_ACT_PRELU) return MF_ECORRUPT;
        return MF_OK;
    case MF_OP_FULLY_CONNECTED:
        return valid_act(p[0]) && p[0] != MF_ACT_PRELU ? MF_OK : MF_ECORRUPT;
    case MF_OP_BINARY:
        return p[0] >= MF_BINARY_ADD && p[0] <= MF_BINARY_DIV && valid_act(p[1]) && p[1] != MF_ACT_PRELU
                   ? MF_OK : MF_ECORRUPT;
    case MF_OP_ACTIVATION:
        if (!valid_act(p[0])) return MF_ECORRUPT;
        if ((p[0] == MF_ACT_PRELU) != (op->input_count == 2 && op->inputs[1] >= 0)) return MF_ECORRUPT;
        return MF_OK;
    case MF_OP_POOL2D:
        if (p[0] != MF_POOL_MAX && p[0] != MF_POOL_AVG) return MF_ECORRUPT;
        for (int i = 1; i < 5; i++) if (p[i] < 1 || p[i] > 4096) return MF_ECORRUPT;
        for (int i = 5; i < 9; i++) if (p[i] < 0 || p[i] >= (i % 2 ? p[1] : p[2])) return MF_ECORRUPT;
        return p[9] == 0 || p[9] == 1 ? MF_OK : MF_ECORRUPT;
    case MF_OP_MEAN:
        return p[0] > 0 && p[0] < 16 ? MF_OK : MF_ECORRUPT;
    case MF_OP_CONCAT: case MF_OP_SLICE:
        return p[0] >= 0 && p[0] < MF_MAX_RANK ? MF_OK : MF_ECORRUPT;
    case MF_OP_RESIZE:
        if (p[0] < MF_RESIZE_NEAREST || p[0] > MF_RESIZE_BILINEAR_ALIGN) return MF_ECORRUPT;
        if (p[1] < 0 || p[2] < 0 || p[1] > (1 << 16) || p[2] > (1 << 16)) return MF_ECORRUPT;
        if ((p[1] == 0) != (p[2] == 0)) return MF_ECORRUPT;
        /* a size comes from the params or from a second input, exactly one */
        return (p[1] == 0) == (op->input_count == 2 && op->inputs[1] >= 0) ? MF_OK : MF_ECORRUPT;
    case MF_OP_RESHAPE:
        return p[0] >= 1 && p[0] <= MF_MAX_RANK ? MF_OK : MF_ECORRUPT;
    case MF_OP_TRANSPOSE: {
        unsigned seen = 0;
        if (p[0] < 1 || p[0] > MF_MAX_RANK) return MF_ECORRUPT;
        for (int i = 0; i < p[0]; i++) {
            if (p[1 + i] < 0 || p[1 + i] >= p[0] || (seen & (1u << p[1 + i]))) return MF_ECORRUPT;
            seen |= 1u << p[1 + i];
        }
        return MF_OK;
    }
    case MF_OP_MATMUL:
        return (p[0] == 0 || p[0] == 1) && (p[1] == 0 || p[1] == 1) ? MF_OK : MF_ECORRUPT;
    default:
        return MF_OK;
    }
}

static int is_graph_input(const mf_model *m, int32_t t)
{
    for (uint32_t k = 0; k < m->input_count; k++)
        if (mf_rd_i32(m->io_records + 4 * k) == t) return 1;
    return 0;
}

/* Per-op checks: type, arity, tensor indices in range, outputs neither
 * constants nor graph inputs, parameters. Linear in the op count. */
static int check_ops(const mf_model *m)
{
    for (uint32_t i = 0; i < m->input_count + m->output_count; i++) {
        int32_t t = mf_rd_i32(m->io_records + 4 * i);
        if (t < 0 || (uint32_t)t >= m->tensor_count || tensor_is_const(m, t)) return MF_ECORRUPT;
    }
    for (uint32_t o = 0; o < m->op_count; o++) {
        mf_op_record op;
        mf_read_op(m, o, &op);
        if (op.type < 1 || op.type >= MF_OP_TYPE_COUNT) return MF_EUNSUPPORTED;
        int min_in, max_in, outs;
        op_arity(op.type, &min_in, &max_in, &outs);
        if (op.input_count < min_in || op.input_count > max_in || op.output_count != outs) return MF_ECORRUPT;
        for (int i = 0; i < MF_OP_MAX_INPUTS; i++) {
            int32_t t = op.inputs[i];
            if (i >= op.input_count) { if (t != -1) return MF_ECORRUPT; continue; }
            if (t == -1 && i >= min_in) continue;
            if (t < 0 || (uint32_t)t >= m->tensor_count) return MF_ECORRUPT;
        }
        for (int i = 0; i < MF_OP_MAX_OUTPUTS; i++) {
            int32_t t = op.outputs[i];
            if (i >= op.output_count) { if (t != -1) return MF_ECORRUPT; continue; }
            if (t < 0 || (uint32_t)t >= m->tensor_count || tensor_is_const(m, t) || is_graph_input(m, t))
                return MF_ECORRUPT;
        }
        int err = check_op_params(&op);
        if (err) return err;
    }
    return MF_OK;
}

/* Tensors tracked per pass of check_producers: a 256-byte bitmap on the
 * stack (the loader allocates nothing, and the M55 stack is small), so a
 * file of T tensors and O ops costs ceil(T / 2048) passes of O ops: linear
 * for any model within the caps (MF_FILE_MAX_TENSORS / 2048 = 8 passes at
 * most; every shipped model needs one). */
#define PRODUCER_WINDOW 2048u

/* Each activation is produced exactly once, by an op that comes before any
 * op reading it; every graph output is produced. Runs after check_ops, so
 * every index is in range. */
static int check_producers(const mf_model *m)
{
    uint8_t produced[PRODUCER_WINDOW / 8];
    for (uint32_t base = 0; base < m->tensor_count; base += PRODUCER_WINDOW) {
        memset(produced, 0, sizeof produced);
        for (uint32_t o = 0; o < m->op_count; o++) {
            const uint8_t *r = m->op_records + (size_t)o * MF_FILE_OP_RECORD_BYTES;
            int input_count = r[MF_OREC_INPUT_COUNT], output_count = r[MF_OREC_OUTPUT_COUNT];
            for (int i = 0; i < input_count; i++) {
                int32_t t = mf_rd_i32(r + MF_OREC_INPUTS + 4 * i);
                if (t < 0 || (uint32_t)t < base || (uint32_t)t - base >= PRODUCER_WINDOW) continue;
                uint32_t bit = (uint32_t)t - base;
                if (produced[bit / 8] & (1u << (bit % 8))) continue;
                if (tensor_is_const(m, t) || is_graph_input(m, t)) continue;
                return MF_ECORRUPT;  /* read before (or without) its producer */
            }
            for (int i = 0; i < output_count; i++) {
                int32_t t = mf_rd_i32(r + MF_OREC_OUTPUTS + 4 * i);
                if ((uint32_t)t < base || (uint32_t)t - base >= PRODUCER_WINDOW) continue;
                uint32_t bit = (uint32_t)t - base;
                if (produced[bit / 8] & (1u << (bit % 8))) return MF_ECORRUPT;  /* a second producer */
                produced[bit / 8] |= (uint8_t)(1u << (bit % 8));
            }
        }
        for (uint32_t k = 0; k < m->output_count; k++) {
            int32_t t = mf_rd_i32(m->io_records + 4 * (m->input_count + k));
            if ((uint32_t)t < base || (uint32_t)t - base >= PRODUCER_WINDOW) continue;
            uint32_t bit = (uint32_t)t - base;
            if (!(produced[bit / 8] & (1u << (bit % 8)))) return MF_ECORRUPT;
        }
    }
    return MF_OK;
}

int mf_model_open(mf_model *model, const void *blob, size_t size)
{
    if (!model) return MF_EINVAL;
    memset(model, 0, sizeof *model);
    if (size == 0) return MF_ECORRUPT; /* an empty file, whatever the pointer */
    if (!blob) return MF_EINVAL;
    if ((uintptr_t)blob % MF_FILE_DATA_ALIGN) return MF_EINVAL;
    const uint8_t *b = blob;
    if (size < MF_FILE_HEADER_BYTES || memcmp(b, MF_FILE_MAGIC, 4) != 0) return MF_ECORRUPT;
    if (mf_rd_u16(b + MF_HDR_VERSION_MAJOR) != MF_FILE_VERSION_MAJOR) return MF_EUNSUPPORTED;
    if (mf_rd_u32(b + MF_HDR_HEADER_BYTES) != MF_FILE_HEADER_BYTES || mf_rd_u32(b + MF_HDR_FILE_BYTES) != size)
        return MF_ECORRUPT;
    static const uint8_t zero[4] = {0, 0, 0, 0};
    uint32_t crc = mf_crc32(0, b, MF_HDR_CRC32);
    crc = mf_crc32(crc, zero, 4);
    crc = mf_crc32(crc, b + MF_HDR_CRC32 + 4, size - MF_HDR_CRC32 - 4);
    if (crc != mf_rd_u32(b + MF_HDR_CRC32)) return MF_ECORRUPT;
    if (mf_rd_u32(b + MF_HDR_FLAGS) != 0) return MF_EUNSUPPORTED;

    uint32_t nt = mf_rd_u32(b + MF_HDR_TENSOR_COUNT), no = mf_rd_u32(b + MF_HDR_OP_COUNT);
    uint32_t ni = mf_rd_u32(b + MF_HDR_INPUT_COUNT), nout = mf_rd_u32(b + MF_HDR_OUTPUT_COUNT);
    uint32_t to = mf_rd_u32(b + MF_HDR_TENSORS_OFFSET), oo = mf_rd_u32(b + MF_HDR_OPS_OFFSET);
    uint32_t io = mf_rd_u32(b + MF_HDR_IO_OFFSET);
    uint32_t so = mf_rd_u32(b + MF_HDR_STRINGS_OFFSET), sb = mf_rd_u32(b + MF_HDR_STRINGS_BYTES);
    uint32_t mo = mf_rd_u32(b + MF_HDR_META_OFFSET), mb = mf_rd_u32(b + MF_HDR_META_BYTES);
    uint32_t dof = mf_rd_u32(b + MF_HDR_DATA_OFFSET), db = mf_rd_u32(b + MF_HDR_DATA_BYTES);
    if (nt == 0 || no == 0) return MF_ECORRUPT;
    /* Larger graphs may be well formed but are beyond what this runtime
     * takes: planning is quadratic in the activations. */
    if (nt > MF_FILE_MAX_TENSORS || no > MF_FILE_MAX_OPS) return MF_ERANGE;
    if (ni == 0 || ni > MF_FILE_MAX_IO || nout == 0 || nout > MF_FILE_MAX_IO) return MF_ECORRUPT;
    if (!in_blob(to, (uint64_t)nt * MF_FILE_TENSOR_RECORD_BYTES, size) ||
        !in_blob(oo, (uint64_t)no * MF_FILE_OP_RECORD_BYTES, size) ||
        !in_blob(io, (uint64_t)(ni + nout) * 4, size) || !in_blob(so, sb, size) || !in_blob(mo, mb, size) ||
        !in_blob(dof, db, size) || dof % MF_FILE_DATA_ALIGN)
        return MF_ECORRUPT;
    if (to < MF_FILE_HEADER_BYTES || oo < MF_FILE_HEADER_BYTES || io < MF_FILE_HEADER_BYTES ||
        (sb && so < MF_FILE_HEADER_BYTES) || (mb && mo < MF_FILE_HEADER_BYTES) || dof < MF_FILE_HEADER_BYTES)
        return MF_ECORRUPT;
    /* Tables must end with NUL so every string lookup terminates. */
    if ((sb && b[so + sb - 1] != 0) || (mb && b[mo + mb - 1] != 0)) return MF_ECORRUPT;

    model->blob = b;
    model->blob_bytes = size;
    model->tensor_count = nt;
    model->op_count = no;
    model->input_count = ni;
    model->output_count = nout;
    model->tensor_records = b + to;
    model->op_records = b + oo;
    model->io_records = b + io;
    model->strings = (const char *)b + so;
    model->strings_bytes = sb;
    model->meta = (const char *)b + mo;
    model->meta_bytes = mb;
    int err = MF_OK;
    for (uint32_t t = 0; t < nt && !err; t++) err = check_tensor(model, t);
    if (!err) err = check_ops(model);
    if (!err) err = check_producers(model);
    if (err) {
        memset(model, 0, sizeof *model);
        return err;
    }
    model->state = 1;
    return MF_OK;
}

const char *mf_model_meta(const mf_model *model, const char *key)
{
    if (!model || !key || model->state < 1) return NULL;
    /* The table is a run of "key\0value\0" pairs. */
    uint32_t pos = 0;
    while (pos < model->meta_bytes) {
        const char *k = model->meta + pos;
        size_t klen = strlen(k);
        if (pos + klen + 1 >= model->meta_bytes) return NULL;
        const char *v = k + klen + 1;
        if (strcmp(k, key) == 0) return v;
        pos += (uint32_t)(klen + 1 + strlen(v) + 1);
    }
    return NULL;
}
