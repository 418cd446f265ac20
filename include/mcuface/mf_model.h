/* Neural network models: load a validated model file, plan a static arena,
 * run. The runtime never allocates: the caller owns three buffers.
 *   1. the model blob (read in place, e.g. from flash or an mmap; its base
 *      must be 16-byte aligned and it must outlive the model);
 *   2. a workspace of mf_model_workspace_bytes() for the tensor table;
 *   3. an arena of the size mf_model_plan() reports, for activations.
 * Typical use:
 *   mf_model_open(&m, blob, size);
 *   mf_model_plan(&m, ws, mf_model_workspace_bytes(&m), input_dims, 4, &arena_bytes);
 *   mf_model_bind(&m, arena, arena_bytes);
 *   fill mf_model_input(&m, 0)->data; mf_model_run(&m); read mf_model_output(&m, 0).
 *
 * Thread safety: the library has no global mutable state. One mf_model (with
 * its workspace and arena) is used by one thread at a time: calls on it must
 * not overlap, not even queries such as mf_model_input. Separate objects are
 * independent and may run in parallel threads, also over one shared
 * read-only model blob. */
#ifndef MCUFACE_MF_MODEL_H
#define MCUFACE_MF_MODEL_H
#include <stddef.h>
#include <stdint.h>

/* Element types of tensors, as model files store them (docs/SPEC.md). */
typedef enum mf_dtype {
    MF_DTYPE_FLOAT32 = 1,
    MF_DTYPE_INT8 = 2,
    MF_DTYPE_INT32 = 3,
    MF_DTYPE_INT16 = 4,
    MF_DTYPE_UINT8 = 5
} mf_dtype;

/* A tensor as the runtime sees it after planning. dims are NHWC for images;
 * data points into the blob (constants) or the arena (activations). */
typedef struct mf_tensor {
    int32_t dims[4];
    int32_t rank;
    int32_t dtype; /* an mf_dtype */
    void *data;
    float scale;   /* quantized types: real = scale * (q - zero_point) */
    int32_t zero_point;
    const float *channel_scales; /* per-channel scales or NULL */
    int32_t channel_count;
    int32_t channel_axis;
} mf_tensor;

/* Totals computed by mf_model_plan, for `mcuface info` and the README. */
typedef struct mf_model_stats {
    uint32_t op_count;
    uint64_t param_count;  /* elements of constant tensors */
    uint64_t weight_bytes; /* bytes of constant tensors */
    uint64_t macs;         /* multiply-accumulates of one run at the planned shape */
    size_t arena_bytes;    /* peak activation memory */
    size_t workspace_bytes;
    size_t quant_bytes;    /* of the workspace: int8 requantization multipliers, clamps, tables */
} mf_model_stats;

struct mf_tensor_plan;

typedef struct mf_model {
    /* Private: filled by mf_model_open and mf_model_plan. */
    const uint8_t *blob;
    size_t blob_bytes;
    uint32_t tensor_count, op_count, input_count, output_count;
    const uint8_t *tensor_records, *op_records, *io_records;
    const char *strings, *meta;
    uint32_t strings_bytes, meta_bytes;
    mf_tensor *tensors;
    struct mf_tensor_plan *plans;
    int32_t *op_aux;   /* per op: offset of its int8 parameters in aux, or -1 */
    int32_t *aux;      /* int8 parameters computed when planning (in the workspace) */
    uint32_t aux_words, aux_used;
    void *scratch;        /* kernel scratch shared by all ops (in the workspace; Helium int8 conv) */
    size_t scratch_bytes;
    size_t arena_bytes;
    uint8_t *arena;
    mf_model_stats stats;
    int state;
} mf_model;

/* Validates every header field, offset, size, shape and op parameter of the
 * file in BLOB (SIZE bytes) and prepares MODEL to use it in place. Nothing is
 * copied. Returns MF_OK, MF_ECORRUPT (damaged or malicious file),
 * MF_EUNSUPPORTED (newer version or unknown op) or MF_EINVAL (NULL, or BLOB
 * not 16-byte aligned). */
int mf_model_open(mf_model *model, const void *blob, size_t size);

/* Bytes of workspace mf_model_plan needs (the tensor table and the planner's
 * lifetimes); 0 if MODEL is not open. */
size_t mf_model_workspace_bytes(const mf_model *model);

/* Infers every tensor's shape for input 0 of shape DIMS (RANK entries; dims
 * the file leaves as 0 are taken from DIMS, the others must match), checks
 * each op, and places activations in an arena by first and last use.
 * WORKSPACE (caller-owned, WORKSPACE_BYTES >= mf_model_workspace_bytes) must
 * outlive the model. Writes the arena size needed to *ARENA_BYTES. Returns
 * MF_OK, MF_EINVAL (shapes that do not fit the model), MF_ENOMEM (workspace
 * too small) or MF_ERANGE (sizes overflow). May be called again with another
 * shape; then bind again. */
int mf_model_plan(mf_model *model, void *workspace, size_t workspace_bytes, const int32_t *dims, int rank,
                  size_t *arena_bytes);

/* Points every activation into ARENA (caller-owned, 16-byte aligned, at
 * least the planned size; it must outlive the runs). Returns MF_OK,
 * MF_ENOMEM or MF_ESTATE (not planned). */
int mf_model_bind(mf_model *model, void *arena, size_t arena_bytes);

/* Runs the graph once on the current contents of the inputs. Neither checks
 * shapes nor allocates. Returns MF_OK or MF_ESTATE (not bound). */
int mf_model_run(mf_model *model);

/* Input / output I, or NULL when out of range or not planned. The tensor
 * belongs to MODEL; its data pointer is valid after mf_model_bind. */
mf_tensor *mf_model_input(mf_model *model, int index);
mf_tensor *mf_model_output(mf_model *model, int index);
int mf_model_input_count(const mf_model *model);
int mf_model_output_count(const mf_model *model);

/* The shape of input INDEX as the file declares it, 0 where the size is
 * chosen at planning time. Returns the rank (>= 1) or MF_EINVAL. */
int mf_model_input_dims(const mf_model *model, int index, int32_t dims[4]);

/* Value of metadata KEY stored by the converter ("kind", "preprocess", ...),
 * or NULL. The string lives in the blob. */
const char *mf_model_meta(const mf_model *model, const char *key);

/* Statistics of the current plan (zeros before planning). */
const mf_model_stats *mf_model_get_stats(const mf_model *model);

#endif
