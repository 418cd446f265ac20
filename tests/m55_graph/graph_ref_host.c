/* Host side of the Cortex-M55 whole-graph check (tests/m55_graph): the
 * inputs and the expected outputs, computed with the host build's reference
 * kernels.
 *   graph_ref_host run MODEL NxHxWxC INPUT OUTPUTS
 *       plans MODEL at NxHxWxC, loads INPUT (the raw bytes of input 0),
 *       runs it and writes every output's bytes, in order, to OUTPUTS.
 *   graph_ref_host detector-input MODEL IMAGE LONG_SIDE INPUT
 *       decodes IMAGE and writes to INPUT the detector network input that
 *       mf_detect builds from it (resized to LONG_SIDE, quantized for an
 *       int8 model; YuNet: zero-padded to multiples of 32); prints NxHxWxC.
 *   graph_ref_host liveness-input MODEL IMAGE INPUT
 *       the central square of IMAGE resized to the liveness model's input
 *       side and converted as mf_liveness_check does (BGR 0..255, quantized
 *       for an int8 model); prints NxHxWxC.
 *   graph_ref_host embed-input MODEL FACE INPUT
 *       FACE, an aligned 112x112 face (e.g. from mcuface align), converted
 *       to the recognizer's input exactly as mf_embed does (mean, scale and
 *       channel order from the model's metadata; quantized for an int8
 *       input); prints NxHxWxC. */
#include "mcuface/mf_detect.h"
#include "mcuface/mf_model.h"
#include "mcuface/mf_recognize.h"
#include "mcuface/mf_status.h"
#include "mcuface/mf_image_file.h"
#include "face/detect_yunet.h"
#include "mcuface/mf_posix_file.h"
#include "nn/graph.h"
#include "vision/resize.h"
#include "vision/to_tensor.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MEMORY_BYTES (256u * 1024u * 1024u)

static int fail(const char *what, int err)
{
    fprintf(stderr, "graph_ref_host: %s: %s\n", what, mf_status_str(err));
    return 1;
}

static int write_file(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, n, f) != n || fclose(f) != 0) {
        fprintf(stderr, "graph_ref_host: cannot write %s\n", path);
        return 1;
    }
    return 0;
}

static size_t tensor_bytes(const mf_tensor *t) { return mf_tensor_elements(t) * mf_dtype_bytes(t->dtype); }

static int run(const char *model_path, const char *dims_text, const char *input_path, const char *out_path)
{
    int32_t dims[4];
    if (sscanf(dims_text, "%dx%dx%dx%d", (int *)&dims[0], (int *)&dims[1], (int *)&dims[2], (int *)&dims[3]) != 4)
        return fail(dims_text, MF_EINVAL);
    mf_mapped_file file, input_file;
    int err = mf_map_file(model_path, &file);
    if (err) return fail(model_path, err);
    if ((err = mf_map_file(input_path, &input_file))) return fail(input_path, err);
    uint8_t *memory = aligned_alloc(16, MEMORY_BYTES);
    if (!memory) return fail("memory", MF_ENOMEM);
    mf_model m;
    size_t arena = 0;
    if ((err = mf_model_open(&m, file.data, file.size))) return fail("open", err);
    const size_t workspace = (mf_model_workspace_bytes(&m) + 15u) & ~(size_t)15u;
    if ((err = mf_model_plan(&m, memory, workspace, dims, 4, &arena))) return fail("plan", err);
    if (workspace + arena > MEMORY_BYTES) return fail("arena", MF_ENOMEM);
    if ((err = mf_model_bind(&m, memory + workspace, arena))) return fail("bind", err);
    mf_tensor *input = mf_model_input(&m, 0);
    if (tensor_bytes(input) != input_file.size) {
        fprintf(stderr, "graph_ref_host: %s has %zu bytes, the input takes %zu\n", input_path, input_file.size,
                tensor_bytes(input));
        return 1;
    }
    memcpy(input->data, input_file.data, input_file.size);
    if ((err = mf_model_run(&m))) return fail("run", err);
    size_t total = 0;
    for (int i = 0; i < mf_model_output_count(&m); i++) total += tensor_bytes(mf_model_output(&m, i));
    uint8_t *outputs = malloc(total ? total : 1), *to = outputs;
    if (!outputs) return fail("memory", MF_ENOMEM);
    for (int i = 0; i < mf_model_output_count(&m); i++) {
        const mf_tensor *t = mf_model_output(&m, i);
        memcpy(to, t->data, tensor_bytes(t));
        to += tensor_bytes(t);
    }
    int status = write_file(out_path, outputs, total);
    free(outputs);
    free(memory);
    mf_unmap_file(&input_file);
    mf_unmap_file(&file);
    return status;
}

static int detector_input(const char *model_path, const char *image_path, long long_side, const char *out_path)
{
    mf_mapped_file file;
    mf_image image;
    int err = mf_map_file(model_path, &file);
    if (err) return fail(model_path, err);
    if ((err = mf_image_load(image_path, &image))) return fail(image_path, err);
    mf_detector det;
    if ((err = mf_detector_open(&det, file.data, file.size))) return fail("open", err);
    int32_t w, h;
    mf_detector_input_size(image.width, image.height, (int32_t)long_side, &w, &h);
    uint8_t *memory = aligned_alloc(16, MEMORY_BYTES);
    if (!memory) return fail("memory", MF_ENOMEM);
    const size_t workspace = (mf_detector_workspace_bytes(&det) + 15u) & ~(size_t)15u;
    size_t arena = 0;
    if ((err = mf_detector_plan(&det, w, h, memory, workspace, &arena))) return fail("plan", err);
    if (workspace + arena > MEMORY_BYTES) return fail("arena", MF_ENOMEM);
    if ((err = mf_detector_bind(&det, memory + workspace, arena))) return fail("bind", err);
    /* YuNet's input bytes are reused by the arena during the run: read them before it */
    mf_frame frame;
    if (det.arch == MF_DETECTOR_YUNET) {
        err = mf_frame_from_image(&image, &frame);
        if (!err) err = mf_yunet_preprocess(&det, &frame);
    } else err = mf_detect(&det, &image, NULL, NULL, 0);
    if (err < 0) return fail("detect", err);
    const mf_tensor *input = mf_model_input(&det.model, 0);
    int status = write_file(out_path, input->data, tensor_bytes(input));
    /* the planned input's dims: YuNet's are padded to multiples of 32 */
    if (!status)
        printf("%dx%dx%dx%d\n", (int)input->dims[0], (int)input->dims[1], (int)input->dims[2], (int)input->dims[3]);
    free(memory);
    mf_image_free(&image);
    mf_unmap_file(&file);
    return status;
}

static int liveness_input(const char *model_path, const char *image_path, const char *out_path)
{
    mf_mapped_file file;
    mf_image image, crop;
    int err = mf_map_file(model_path, &file);
    if (err) return fail(model_path, err);
    if ((err = mf_image_load(image_path, &image))) return fail(image_path, err);
    mf_model m;
    if ((err = mf_model_open(&m, file.data, file.size))) return fail("open", err);
    int32_t dims[4];
    if (mf_model_input_dims(&m, 0, dims) != 4 || dims[3] != 3) return fail("input dims", MF_EINVAL);
    uint8_t *memory = aligned_alloc(16, MEMORY_BYTES);
    if (!memory) return fail("memory", MF_ENOMEM);
    const size_t workspace = (mf_model_workspace_bytes(&m) + 15u) & ~(size_t)15u;
    size_t arena = 0;
    if ((err = mf_model_plan(&m, memory, workspace, dims, 4, &arena))) return fail("plan", err);
    const size_t crop_bytes = (size_t)dims[1] * (size_t)dims[2] * 3u;
    if (workspace + arena + crop_bytes > MEMORY_BYTES) return fail("arena", MF_ENOMEM);
    if ((err = mf_model_bind(&m, memory + workspace, arena))) return fail("bind", err);
    if ((err = mf_image_init(&crop, memory + workspace + arena, crop_bytes, dims[2], dims[1], 3)))
        return fail("crop", err);
    const int side = image.width < image.height ? image.width : image.height;
    if ((err = mf_crop_resize(&image, (image.width - side) / 2, (image.height - side) / 2, side, side, &crop)))
        return fail("crop", err);
    static const float zero[3] = {0, 0, 0}, one[3] = {1, 1, 1};
    mf_tensor *in = mf_model_input(&m, 0);
    err = in->dtype == MF_DTYPE_INT8 ? mf_image_to_tensor_s8(&crop, in->data, zero, one, 1, in->scale, in->zero_point)
                                   : mf_image_to_tensor_f32(&crop, in->data, zero, one, 1);
    if (err) return fail("to tensor", err);
    int status = write_file(out_path, in->data, tensor_bytes(in));
    if (!status) printf("%dx%dx%dx%d\n", (int)dims[0], (int)dims[1], (int)dims[2], (int)dims[3]);
    free(memory);
    mf_image_free(&image);
    mf_unmap_file(&file);
    return status;
}

static int embed_input(const char *model_path, const char *image_path, const char *out_path)
{
    mf_mapped_file file;
    mf_image face;
    int err = mf_map_file(model_path, &file);
    if (err) return fail(model_path, err);
    if ((err = mf_image_load(image_path, &face))) return fail(image_path, err);
    mf_recognizer rec;
    if ((err = mf_recognizer_open(&rec, file.data, file.size))) return fail("open", err);
    uint8_t *memory = aligned_alloc(16, MEMORY_BYTES);
    if (!memory) return fail("memory", MF_ENOMEM);
    const size_t workspace = (mf_recognizer_workspace_bytes(&rec) + 15u) & ~(size_t)15u;
    size_t arena = 0;
    if ((err = mf_recognizer_plan(&rec, memory, workspace, &arena))) return fail("plan", err);
    if (workspace + arena > MEMORY_BYTES) return fail("arena", MF_ENOMEM);
    if ((err = mf_recognizer_bind(&rec, memory + workspace, arena))) return fail("bind", err);
    float embedding[MF_EMBEDDING_MAX_DIM];
    if ((err = mf_embed(&rec, &face, embedding, MF_EMBEDDING_MAX_DIM))) return fail("embed", err);
    const mf_tensor *in = mf_model_input(&rec.model, 0);
    int status = write_file(out_path, in->data, tensor_bytes(in));
    if (!status)
        printf("%dx%dx%dx%d\n", (int)in->dims[0], (int)in->dims[1], (int)in->dims[2], (int)in->dims[3]);
    free(memory);
    mf_image_free(&face);
    mf_unmap_file(&file);
    return status;
}

int main(int argc, char **argv)
{
    if (argc == 6 && !strcmp(argv[1], "run")) return run(argv[2], argv[3], argv[4], argv[5]);
    if (argc == 6 && !strcmp(argv[1], "detector-input"))
        return detector_input(argv[2], argv[3], strtol(argv[4], NULL, 10), argv[5]);
    if (argc == 5 && !strcmp(argv[1], "liveness-input")) return liveness_input(argv[2], argv[3], argv[4]);
    if (argc == 5 && !strcmp(argv[1], "embed-input")) return embed_input(argv[2], argv[3], argv[4]);
    fprintf(stderr, "usage: graph_ref_host run MODEL NxHxWxC INPUT OUTPUTS\n"
                    "       graph_ref_host detector-input MODEL IMAGE LONG_SIDE INPUT\n"
                    "       graph_ref_host liveness-input MODEL IMAGE INPUT\n"
                    "       graph_ref_host embed-input MODEL FACE INPUT\n");
    return 2;
}
