#define _POSIX_C_SOURCE 200809L
#include "cli.h"
#include "mcuface/mf_image_file.h"
#include "mcuface/mf_status.h"
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int cli_fail(const char *what, int status)
{
    if (status >= 0) return 0;
    fprintf(stderr, "mcuface: %s: %s\n", what, mf_status_str(status));
    return 1;
}

int cli_usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("mcuface: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputs("\n", stderr);
    va_end(ap);
    return 2;
}

int cli_parse_long(const char *name, const char *text, long min, long max, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (end == text || *end || errno || v < min || v > max) {
        if (max == LONG_MAX) return cli_usage_error("%s wants a whole number >= %ld, got '%s'", name, min, text);
        return cli_usage_error("%s wants %ld..%ld, got '%s'", name, min, max, text);
    }
    *out = v;
    return 0;
}

void cli_warn_truncated(const char *image_path, int found, int reported)
{
    fprintf(stderr, "mcuface: warning: %s: %d faces found, only the %d best-scoring reported (--max-faces N)\n",
            image_path, found, reported);
}

const char *cli_model_path(const char *name)
{
    static char path[8192];
    const char *dir = getenv("MCUFACE_MODEL_DIR");
    if (dir && *dir) {
        snprintf(path, sizeof path, "%s/%s.mfm", dir, name);
        return path;
    }
    char exe[4000];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) {
        snprintf(path, sizeof path, "models/%s.mfm", name);
        return path;
    }
    exe[n] = 0;
    char *slash = strrchr(exe, '/');
    if (slash) *slash = 0;
    snprintf(path, sizeof path, "%s/models/%s.mfm", exe, name);
    return path;
}

int cli_model_open(cli_model *cm, const char *path, int32_t width, int32_t height, int bind)
{
    memset(cm, 0, sizeof *cm);
    int err = mf_map_file(path, &cm->file);
    if (err) {
        fprintf(stderr, "mcuface: cannot read model %s: %s\n", path, mf_status_str(err));
        return err;
    }
    err = mf_model_open(&cm->model, cm->file.data, cm->file.size);
    if (err) {
        fprintf(stderr, "mcuface: model %s: %s\n", path, mf_status_str(err));
        cli_model_close(cm);
        return err;
    }
    cm->rank = mf_model_input_dims(&cm->model, 0, cm->dims);
    if (cm->rank == 4) {
        if (cm->dims[1] == 0) cm->dims[1] = height;
        if (cm->dims[2] == 0) cm->dims[2] = width;
    }
    for (int d = 0; d < cm->rank; d++)
        if (cm->dims[d] == 0) cm->dims[d] = 1;
    size_t ws_bytes = mf_model_workspace_bytes(&cm->model), arena_bytes = 0;
    cm->workspace = aligned_alloc(16, (ws_bytes + 15) / 16 * 16 + 16);
    err = cm->workspace ? mf_model_plan(&cm->model, cm->workspace, ws_bytes, cm->dims, cm->rank, &arena_bytes)
                        : MF_ENOMEM;
    if (!err && bind) {
        cm->arena = aligned_alloc(16, (arena_bytes + 15) / 16 * 16 + 16);
        err = cm->arena ? mf_model_bind(&cm->model, cm->arena, arena_bytes) : MF_ENOMEM;
    }
    if (err) {
        fprintf(stderr, "mcuface: model %s at this input: %s\n", path, mf_status_str(err));
        cli_model_close(cm);
    }
    return err;
}

void cli_model_close(cli_model *cm)
{
    free(cm->arena);
    free(cm->workspace);
    mf_unmap_file(&cm->file);
    memset(cm, 0, sizeof *cm);
}

int cli_detector_open(cli_detector *cd, const char *name_or_file, cli_precision precision)
{
    memset(cd, 0, sizeof *cd);
    char path[8192];
    if (cli_model_resolve(name_or_file ? name_or_file : CLI_DEFAULT_DETECTOR, precision, path, sizeof path))
        return MF_ENOTFOUND;
    int err = mf_map_file(path, &cd->file);
    if (err) {
        fprintf(stderr, "mcuface: cannot read model %s: %s\n", path, mf_status_str(err));
        return err;
    }
    err = mf_detector_open(&cd->det, cd->file.data, cd->file.size);
    if (err) {
        fprintf(stderr, "mcuface: model %s: %s\n", path, mf_status_str(err));
        mf_unmap_file(&cd->file);
        return err;
    }
    cd->workspace = malloc(mf_detector_workspace_bytes(&cd->det));
    return cd->workspace ? MF_OK : MF_ENOMEM;
}

int cli_detector_prepare(cli_detector *cd, int32_t width, int32_t height, int32_t long_side)
{
    int32_t nw, nh;
    mf_detector_input_size(width, height, long_side, &nw, &nh);
    if (cd->arena && nw == cd->planned_width && nh == cd->planned_height) return MF_OK;
    size_t bytes = 0;
    int err = mf_detector_plan(&cd->det, nw, nh, cd->workspace, mf_detector_workspace_bytes(&cd->det), &bytes);
    if (err) return err;
    if (bytes > cd->arena_bytes) {
        free(cd->arena);
        cd->arena = aligned_alloc(16, (bytes + 15) & ~(size_t)15);
        cd->arena_bytes = cd->arena ? bytes : 0;
        if (!cd->arena) return MF_ENOMEM;
    }
    err = mf_detector_bind(&cd->det, cd->arena, cd->arena_bytes);
    if (err) return err;
    cd->planned_width = nw;
    cd->planned_height = nh;
    return MF_OK;
}

void cli_detector_close(cli_detector *cd)
{
    free(cd->arena);
    free(cd->workspace);
    mf_unmap_file(&cd->file);
    memset(cd, 0, sizeof *cd);
}

#define REMARK_SHRINK 1.5f     /* image long side / network long side */
#define REMARK_FACE_PIXELS 12  /* smallest face side worth trusting, network pixels */

void cli_remark_small_faces(const char *image_path, const mf_image *img, long long_side, const mf_face *faces,
                            int count)
{
    if (long_side <= 0) return;
    int32_t nw = 0, nh = 0;
    mf_detector_input_size(img->width, img->height, (int32_t)long_side, &nw, &nh);
    if (nw <= 0 || (float)img->width <= REMARK_SHRINK * (float)nw) return;
    float to_network = (float)nw / (float)img->width, smallest = 0;
    for (int i = 0; i < count; i++) {
        float w = faces[i].box[2] - faces[i].box[0], h = faces[i].box[3] - faces[i].box[1];
        float side = (w > h ? w : h) * to_network;
        if (i == 0 || side < smallest) smallest = side;
    }
    if (count > 0 && smallest >= REMARK_FACE_PIXELS) return;
    fprintf(stderr,
            "mcuface: remark: %s (%dx%d) was detected at %dx%d (--size %ld); %s: smaller faces may be missed, "
            "try --size 0 (the image's own size) or a larger --size\n",
            image_path, img->width, img->height, nw, nh, long_side,
            count ? "the smallest face found is near the detector's limit" : "no face found");
}

int cli_is_tty(void) { return isatty(STDERR_FILENO); }

void cli_progress(const char *label, size_t done, size_t total)
{
    if (!cli_is_tty() || total == 0) return;
    int width = 40, filled = (int)(width * done / total);
    fprintf(stderr, "\r%s [", label);
    for (int i = 0; i < width; i++) fputc(i < filled ? '#' : '.', stderr);
    fprintf(stderr, "] %zu/%zu", done, total);
    if (done == total) fputc('\n', stderr);
    fflush(stderr);
}

int cli_load_image(const char *path, mf_image *img)
{
    int err = mf_image_load(path, img);
    if (err) fprintf(stderr, "mcuface: cannot read image %s: %s\n", path, mf_status_str(err));
    return err != MF_OK;
}
