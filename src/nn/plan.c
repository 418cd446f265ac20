/* The static arena planner: every activation gets an offset in one arena,
 * chosen so that tensors alive at the same time never overlap. Greedy by
 * size (largest first), lowest free offset: the TFLite Micro strategy. */
#include "mcuface/mf_status.h"
#include "nn/graph.h"
#include <string.h>

#define MF_ARENA_ALIGN 16u

static size_t align_up(size_t n) { return (n + MF_ARENA_ALIGN - 1) & ~(size_t)(MF_ARENA_ALIGN - 1); }

size_t mf_model_workspace_bytes(const mf_model *model)
{
    if (!model || model->state < 1) return 0;
    uint64_t aux = mf_model_aux_words(model), scratch = mf_model_scratch_bytes(model);
    /* no workspace can hold these: planning fails with MF_ENOMEM */
    if (aux > MF_MAX_AUX_WORDS || scratch > MF_MAX_AUX_WORDS * sizeof(int32_t)) return SIZE_MAX;
    return align_up((size_t)model->tensor_count * sizeof(mf_tensor)) +
           align_up((size_t)model->tensor_count * sizeof(mf_tensor_plan)) +
           align_up((size_t)model->tensor_count * sizeof(int32_t)) +
           align_up((size_t)model->op_count * sizeof(int32_t)) + align_up((size_t)aux * sizeof(int32_t)) +
           align_up((size_t)scratch) + MF_ARENA_ALIGN;
}

/* Loads every tensor's record into the table: constants point into the blob. */
static void init_tensors(mf_model *m)
{
    for (uint32_t i = 0; i < m->tensor_count; i++) {
        const uint8_t *r = mf_tensor_record(m, i);
        mf_tensor *t = &m->tensors[i];
        mf_tensor_plan *p = &m->plans[i];
        memset(t, 0, sizeof *t);
        t->dtype = r[MF_TREC_DTYPE];
        t->scale = mf_rd_f32(r + MF_TREC_SCALE);
        t->zero_point = mf_rd_i32(r + MF_TREC_ZERO_POINT);
        t->channel_count = (int32_t)mf_rd_u32(r + MF_TREC_CHANNEL_SCALES_COUNT);
        t->channel_axis = mf_rd_i32(r + MF_TREC_CHANNEL_AXIS);
        if (t->channel_count)
            t->channel_scales = (const float *)(const void *)(m->blob + mf_rd_u32(r + MF_TREC_CHANNEL_SCALES_OFFSET));
        p->first_use = INT32_MAX;
        p->last_use = -1;
        p->alias_of = -1;
        p->is_const = (mf_rd_u16(r + MF_TREC_FLAGS) & MF_TENSOR_FLAG_CONST) != 0;
        if (p->is_const) {
            t->rank = r[MF_TREC_RANK];
            for (int d = 0; d < t->rank; d++) t->dims[d] = mf_rd_i32(r + MF_TREC_DIMS + 4 * d);
            t->data = (void *)(uintptr_t)(m->blob + mf_rd_u32(r + MF_TREC_DATA_OFFSET));
        }
    }
}

static int set_input_shape(mf_model *m, int32_t index, const int32_t *dims, int rank)
{
    const uint8_t *r = mf_tensor_record(m, (uint32_t)index);
    mf_tensor *t = &m->tensors[index];
    if (rank != r[MF_TREC_RANK]) return MF_EINVAL;
    uint64_t count = 1;
    for (int d = 0; d < rank; d++) {
        int32_t fixed = mf_rd_i32(r + MF_TREC_DIMS + 4 * d);
        if (dims[d] < 1 || (fixed != 0 && fixed != dims[d])) return MF_EINVAL;
        count *= (uint64_t)dims[d];
        if (count > MF_MAX_TENSOR_ELEMENTS) return MF_ERANGE;
        t->dims[d] = dims[d];
    }
    t->rank = rank;
    return MF_OK;
}

/* Follows RESHAPE aliases to the tensor that owns the bytes. */
static int32_t root_of(const mf_model *m, int32_t t)
{
    while (m->plans[t].alias_of >= 0) t = m->plans[t].alias_of;
    return t;
}

static void mark_use(mf_model *m, int32_t t, int32_t when)
{
    mf_tensor_plan *p = &m->plans[root_of(m, t)];
    if (when < p->first_use) p->first_use = when;
    if (when > p->last_use) p->last_use = when;
}

/* Places the owning tensors and writes the peak arena bytes to *PEAK.
 * Offsets are computed in 64 bits: on a 32-bit device a hostile file must
 * not wrap them. Returns MF_OK or MF_ERANGE. */
static int place_tensors(mf_model *m, int32_t *order, size_t *peak_bytes)
{
    int32_t count = 0;
    for (uint32_t i = 0; i < m->tensor_count; i++) {
        const mf_tensor_plan *p = &m->plans[i];
        if (p->is_const || p->alias_of >= 0 || p->last_use < 0) continue;
        /* insertion sort by size, largest first; ties by index for determinism */
        int32_t k = count++;
        while (k > 0 && m->plans[order[k - 1]].bytes < p->bytes) {
            order[k] = order[k - 1];
            k--;
        }
        order[k] = (int32_t)i;
    }
    uint64_t peak = 0;
    for (int32_t a = 0; a < count; a++) {
        mf_tensor_plan *pa = &m->plans[order[a]];
        uint64_t offset = 0;
        /* Raise the candidate offset past every placed, time-overlapping
         * tensor it collides with, until it fits: at most `a` raises each. */
        for (int moved = 1; moved;) {
            moved = 0;
            for (int32_t b = 0; b < a; b++) {
                const mf_tensor_plan *pb = &m->plans[order[b]];
                int overlap_time = pa->first_use <= pb->last_use && pb->first_use <= pa->last_use;
                int overlap_space = offset < (uint64_t)pb->offset + pb->bytes && pb->offset < offset + pa->bytes;
                if (overlap_time && overlap_space) {
                    offset = (uint64_t)pb->offset + pb->bytes;
                    moved = 1;
                }
            }
        }
        if (offset + pa->bytes > (uint64_t)(SIZE_MAX / 2)) return MF_ERANGE;
        pa->offset = (size_t)offset;
        if (offset + pa->bytes > peak) peak = offset + pa->bytes;
    }
    *peak_bytes = (size_t)peak;
    return MF_OK;
}

int mf_model_plan(mf_model *model, void *workspace, size_t workspace_bytes, const int32_t *dims, int rank,
                  size_t *arena_bytes)
{
    if (!model || !workspace || !dims || !arena_bytes || model->state < 1) return MF_EINVAL;
    if (workspace_bytes < mf_model_workspace_bytes(model)) return MF_ENOMEM;
    uint8_t *ws = (uint8_t *)(((uintptr_t)workspace + MF_ARENA_ALIGN - 1) & ~(uintptr_t)(MF_ARENA_ALIGN - 1));
    model->tensors = (mf_tensor *)(void *)ws;
    ws += align_up((size_t)model->tensor_count * sizeof(mf_tensor));
    model->plans = (mf_tensor_plan *)(void *)ws;
    ws += align_up((size_t)model->tensor_count * sizeof(mf_tensor_plan));
    int32_t *order = (int32_t *)(void *)ws;
    ws += align_up((size_t)model->tensor_count * sizeof(int32_t));
    model->op_aux = (int32_t *)(void *)ws;
    ws += align_up((size_t)model->op_count * sizeof(int32_t));
    model->aux = (int32_t *)(void *)ws;
    model->aux_words = (uint32_t)mf_model_aux_words(model);
    ws += align_up((size_t)model->aux_words * sizeof(int32_t));
    model->scratch_bytes = (size_t)mf_model_scratch_bytes(model);
    model->scratch = model->scratch_bytes ? ws : NULL;
    model->aux_used = 0;
    for (uint32_t o = 0; o < model->op_count; o++) model->op_aux[o] = -1;
    model->state = 1;
    model->arena = NULL;
    memset(&model->stats, 0, sizeof model->stats);
    init_tensors(model);

    int32_t input0 = mf_rd_i32(model->io_records);
    int err = set_input_shape(model, input0, dims, rank);
    if (err) return err;
    /* Other inputs must be fully specified in the file. */
    for (uint32_t i = 1; i < model->input_count; i++) {
        int32_t t = mf_rd_i32(model->io_records + 4 * i);
        const uint8_t *r = mf_tensor_record(model, (uint32_t)t);
        int32_t fixed[4];
        for (int d = 0; d < 4; d++) fixed[d] = mf_rd_i32(r + MF_TREC_DIMS + 4 * d);
        if ((err = set_input_shape(model, t, fixed, r[MF_TREC_RANK])) != MF_OK) return MF_EINVAL;
    }
    for (uint32_t i = 0; i < model->input_count; i++) mark_use(model, mf_rd_i32(model->io_records + 4 * i), 0);

    /* Readers of each tensor (ORDER is free until placement): an int8
     * activation (a table lookup) runs in place over an input nobody else reads. */
    for (uint32_t i = 0; i < model->tensor_count; i++) order[i] = 0;
    for (uint32_t o = 0; o < model->op_count; o++) {
        mf_op_record op;
        mf_read_op(model, o, &op);
        for (int i = 0; i < op.input_count; i++)
            if (op.inputs[i] >= 0 && order[op.inputs[i]] < INT32_MAX) order[op.inputs[i]]++;
    }
    for (uint32_t i = 0; i < model->input_count + model->output_count; i++)
        order[mf_rd_i32(model->io_records + 4 * i)] = INT32_MAX; /* graph inputs and outputs stay intact */

    uint64_t macs = 0;
    for (uint32_t o = 0; o < model->op_count; o++) {
        mf_op_record op;
        mf_read_op(model, o, &op);
        int32_t alias;
        if ((err = mf_op_prepare(model, &op, &macs, &alias)) != MF_OK) return err;
        if (alias < 0 && op.type == MF_OP_ACTIVATION && model->tensors[op.inputs[0]].dtype == MF_DTYPE_INT8 &&
            order[op.inputs[0]] == 1 && model->plans[op.inputs[0]].alias_of < 0 && !model->plans[op.inputs[0]].is_const)
            alias = op.inputs[0];
        for (int i = 0; i < op.input_count; i++)
            if (op.inputs[i] >= 0 && !model->plans[op.inputs[i]].is_const) mark_use(model, op.inputs[i], (int32_t)o);
        for (int i = 0; i < op.output_count; i++) {
            int32_t t = op.outputs[i];
            model->plans[t].alias_of = alias;
            model->plans[t].bytes = align_up(mf_tensor_elements(&model->tensors[t]) * mf_dtype_bytes(model->tensors[t].dtype));
            mark_use(model, t, (int32_t)o);
        }
    }
    for (uint32_t i = 0; i < model->output_count; i++)
        mark_use(model, mf_rd_i32(model->io_records + 4 * (model->input_count + i)), (int32_t)model->op_count);
    for (uint32_t i = 0; i < model->input_count; i++) {
        int32_t t = mf_rd_i32(model->io_records + 4 * i);
        model->plans[t].bytes = align_up(mf_tensor_elements(&model->tensors[t]) * mf_dtype_bytes(model->tensors[t].dtype));
    }

    if ((err = place_tensors(model, order, &model->arena_bytes)) != MF_OK) return err;
    for (uint32_t i = 0; i < model->tensor_count; i++) {
        if (!model->plans[i].is_const) continue;
        model->stats.param_count += mf_tensor_elements(&model->tensors[i]);
        model->stats.weight_bytes += mf_tensor_elements(&model->tensors[i]) * mf_dtype_bytes(model->tensors[i].dtype);
    }
    model->stats.op_count = model->op_count;
    model->stats.macs = macs;
    model->stats.arena_bytes = model->arena_bytes;
    model->stats.workspace_bytes = mf_model_workspace_bytes(model);
    model->stats.quant_bytes = (size_t)model->aux_used * sizeof(int32_t);
    *arena_bytes = model->arena_bytes;
    model->state = 2;
    return MF_OK;
}

int mf_model_bind(mf_model *model, void *arena, size_t arena_bytes)
{
    if (!model || model->state < 2) return MF_ESTATE;
    if ((!arena && model->arena_bytes) || arena_bytes < model->arena_bytes) return MF_ENOMEM;
    if ((uintptr_t)arena % MF_ARENA_ALIGN) return MF_EINVAL;
    model->arena = arena;
    for (uint32_t i = 0; i < model->tensor_count; i++) {
        if (model->plans[i].is_const) continue;
        int32_t root = root_of(model, (int32_t)i);
        model->tensors[i].data = model->plans[root].last_use >= 0 ? model->arena + model->plans[root].offset : NULL;
    }
    model->state = 3;
    return MF_OK;
}

static mf_tensor *io_tensor(mf_model *model, uint32_t slot)
{
    if (!model || model->state < 2) return NULL;
    return &model->tensors[mf_rd_i32(model->io_records + 4 * slot)];
}

mf_tensor *mf_model_input(mf_model *model, int index)
{
    if (!model || index < 0 || (uint32_t)index >= model->input_count) return NULL;
    return io_tensor(model, (uint32_t)index);
}

mf_tensor *mf_model_output(mf_model *model, int index)
{
    if (!model || index < 0 || (uint32_t)index >= model->output_count) return NULL;
    return io_tensor(model, model->input_count + (uint32_t)index);
}

int mf_model_input_count(const mf_model *model) { return model && model->state >= 1 ? (int)model->input_count : 0; }
int mf_model_output_count(const mf_model *model) { return model && model->state >= 1 ? (int)model->output_count : 0; }

const mf_model_stats *mf_model_get_stats(const mf_model *model) { return model ? &model->stats : NULL; }

int mf_model_input_dims(const mf_model *model, int index, int32_t dims[4])
{
    if (!model || !dims || model->state < 1 || index < 0 || (uint32_t)index >= model->input_count) return MF_EINVAL;
    const uint8_t *r = mf_tensor_record(model, (uint32_t)mf_rd_i32(model->io_records + 4 * (uint32_t)index));
    for (int d = 0; d < 4; d++) dims[d] = mf_rd_i32(r + MF_TREC_DIMS + 4 * d);
    return r[MF_TREC_RANK];
}
