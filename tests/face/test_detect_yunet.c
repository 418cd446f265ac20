/* YuNet through the mf_detector API (needs build/models/yunet.mfm): the plan
 * runs the model at the size rounded up to multiples of 32 and reports its
 * arena plus one candidate per cell; a crop detected at its own size gives
 * bit for bit the faces of the same crop zero-padded by hand to the padded
 * size (so the in-place padding is exactly pixel 0 at the bottom / right);
 * NULL options mean the file's thresholds (0.9 / 0.3 / 5000). */
#include "mf_test.h"
#include "mcuface/mf_detect.h"
#include "mcuface/mf_status.h"
#include "mcuface/mf_image_file.h"
#include "mcuface/mf_posix_file.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FACES 64
#define CANDIDATE_BYTES 28 /* mf_box + cell index + suppressed flag */

static size_t align16(size_t n) { return (n + 15) & ~(size_t)15; }
static void *aligned(size_t n) { return aligned_alloc(16, align16(n) + 16); }

typedef struct opened {
    mf_detector det;
    void *workspace, *arena;
    size_t arena_bytes;
} opened;

static int plan(opened *o, int32_t w, int32_t h)
{
    free(o->arena);
    o->arena = NULL;
    int err = mf_detector_plan(&o->det, w, h, o->workspace, mf_detector_workspace_bytes(&o->det), &o->arena_bytes);
    if (!err) err = (o->arena = aligned(o->arena_bytes)) ? MF_OK : MF_ENOMEM;
    if (!err) err = mf_detector_bind(&o->det, o->arena, o->arena_bytes);
    return err;
}

/* The bare model's arena at 1 x H x W x 3, planned without the detector. */
static size_t model_arena(const mf_mapped_file *f, int32_t w, int32_t h)
{
    mf_model m;
    size_t bytes = 0;
    int32_t dims[4] = {1, h, w, 3};
    if (mf_model_open(&m, f->data, f->size)) return 0;
    void *ws = aligned(mf_model_workspace_bytes(&m));
    int err = mf_model_plan(&m, ws, mf_model_workspace_bytes(&m), dims, 4, &bytes);
    free(ws);
    return err ? 0 : bytes;
}

/* the detector, its model file and the photo, shared by the MF_RUN cases */
static opened g_o;
static mf_mapped_file g_file;
static mf_image g_photo;

static void test_plan_sizes(void)
{
    opened *o = &g_o;
    const mf_mapped_file *f = &g_file;
    /* 300 x 230 runs at 320 x 256: cells 40x32 + 20x16 + 10x8 = 1680 */
    MF_CHECK_EQ_INT(plan(o, 300, 230), MF_OK);
    MF_CHECK_EQ_INT(o->arena_bytes, align16(model_arena(f, 320, 256)) + align16(1680 * CANDIDATE_BYTES));
    size_t padded = o->arena_bytes;
    MF_CHECK_EQ_INT(plan(o, 320, 256), MF_OK);
    MF_CHECK_EQ_INT(o->arena_bytes, padded);
    /* 1 x 1 runs at 32 x 32: 16 + 4 + 1 cells */
    MF_CHECK_EQ_INT(plan(o, 1, 1), MF_OK);
    MF_CHECK_EQ_INT(o->arena_bytes, align16(model_arena(f, 32, 32)) + align16(21 * CANDIDATE_BYTES));
    MF_CHECK_EQ_INT(mf_detector_plan(&o->det, 0, 10, o->workspace, mf_detector_workspace_bytes(&o->det),
                                     &o->arena_bytes),
                    MF_ERANGE);
}

static int same_faces(const mf_face *a, int na, const mf_face *b, int nb)
{
    if (na != nb) return 0;
    for (int i = 0; i < na; i++)
        if (memcmp(&a[i], &b[i], sizeof a[i])) return 0;
    return 1;
}

static void test_padding_and_options(void)
{
    opened *o = &g_o;
    const mf_image *photo = &g_photo;
    MF_CHECK(photo->width >= 400 && photo->height >= 320);
    if (photo->width < 400 || photo->height < 320) return;
    /* 300 x 230 crop of multiface/6.jpg holding two faces (about (143, 161) and (228, 178)) */
    const int x0 = 100, y0 = 90, cw = 300, ch = 230, pw = 320, ph = 256;
    mf_image crop = {photo->data + (size_t)y0 * (size_t)photo->stride + (size_t)x0 * 3, cw, ch, photo->stride, 3};
    uint8_t *pixels = calloc((size_t)pw * ph * 3, 1);
    MF_CHECK(pixels != NULL);
    if (!pixels) return;
    for (int y = 0; y < ch; y++)
        memcpy(pixels + (size_t)y * pw * 3, crop.data + (size_t)y * crop.stride, (size_t)cw * 3);
    mf_image padded = {pixels, pw, ph, pw * 3, 3};
    static mf_face a[MAX_FACES], b[MAX_FACES], c[MAX_FACES];
    const mf_detect_options low = {0.3f, 0.3f, 5000}, file = {0.9f, 0.3f, 5000};

    MF_CHECK_EQ_INT(plan(o, cw, ch), MF_OK);
    int na = mf_detect(&o->det, &crop, &low, a, MAX_FACES);
    MF_CHECK_EQ_INT(plan(o, pw, ph), MF_OK);
    int nb = mf_detect(&o->det, &padded, &low, b, MAX_FACES);
    MF_CHECK(na >= 2);
    MF_CHECK(same_faces(a, na, b, nb));
    printf("crop %dx%d: %d faces at score > 0.3, padded by hand to %dx%d: %d, bit-identical: %s\n", cw, ch, na, pw, ph,
           nb, same_faces(a, na, b, nb) ? "yes" : "no");

    int n_null = mf_detect(&o->det, &padded, NULL, a, MAX_FACES);
    int n_file = mf_detect(&o->det, &padded, &file, c, MAX_FACES);
    MF_CHECK(n_null >= 1);
    MF_CHECK(n_null <= nb);
    MF_CHECK(same_faces(a, n_null, c, n_file));
    for (int i = 0; i < n_null && i < MAX_FACES; i++) MF_CHECK(a[i].score > 0.9f);
    free(pixels);
}

int main(void)
{
    const char *build = getenv("MCUFACE_BUILD"), *shared = getenv("MCUFACE_SHARED");
    char model_path[4096], photo_path[4096];
    snprintf(model_path, sizeof model_path, "%s/models/yunet.mfm", build ? build : "build");
    snprintf(photo_path, sizeof photo_path, "%s/data/multiface/6.jpg", shared ? shared : "../shared");
    if (mf_map_file(model_path, &g_file)) {
        mf_test_skip("build/models/yunet.mfm missing (python3 tools/convert/convert_all.py --only yunet)");
        return 77;
    }
    if (mf_image_load(photo_path, &g_photo)) {
        mf_unmap_file(&g_file);
        mf_test_skip("../shared/data/multiface/6.jpg missing");
        return 77;
    }
    MF_CHECK_EQ_INT(mf_detector_open(&g_o.det, g_file.data, g_file.size), MF_OK);
    MF_CHECK_EQ_INT(g_o.det.arch, MF_DETECTOR_YUNET);
    g_o.workspace = aligned(mf_detector_workspace_bytes(&g_o.det));
    MF_RUN(test_plan_sizes);
    MF_RUN(test_padding_and_options);
    free(g_o.arena);
    free(g_o.workspace);
    mf_image_free(&g_photo);
    mf_unmap_file(&g_file);
    return mf_test_summary();
}
