/* The liveness cascade (mf_liveness_set_cascade) on real faces: every 40th
 * nuaa_dev frame, largest face at long side 320, int8 models (the default).
 * Reference: the same face checked without a cascade (every model runs),
 * then the rule of bench/liveness_cascade.py applied to its per-model
 * scores: the first model alone outside [lo, hi], the fused mean inside,
 * live = score >= threshold. The band [0, 1] must give the fused result bit
 * for bit. Skips when the models or nuaa_dev are absent. */
#include "mf_test.h"
#include "mcuface/mf_detect.h"
#include "mcuface/mf_liveness.h"
#include "mcuface/mf_posix_file.h"
#include "mcuface/mf_status.h"
#include "mcuface/mf_image_file.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FACES 64
#define EVERY 40

static void *aligned(size_t n) { return aligned_alloc(16, (n + 15) / 16 * 16 + 16); }

static int map_model(const char *name, mf_mapped_file *f)
{
    const char *build = getenv("MCUFACE_BUILD");
    char path[4096];
    snprintf(path, sizeof path, "%s/models/%s.mfm", build ? build : "build", name);
    return mf_map_file(path, f);
}

static uint32_t bits(float x)
{
    uint32_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}

/* [0, 1], the measured band of mf_liveness.h, and two narrower ones. */
static const float bands[][2] = {
    {0.0f, 1.0f}, {MF_LIVENESS_CASCADE_LO, MF_LIVENESS_CASCADE_HI}, {0.2f, 0.4f}, {0.25f, 0.3f}};
#define BANDS (int)(sizeof bands / sizeof bands[0])

static int inside_seen, outside_seen, frames_checked;

/* One face: the fused result R, then every band with either model first. */
static void check_face(mf_liveness *lv, const mf_image *img, const mf_face *face)
{
    mf_liveness_result r, c;
    MF_CHECK_EQ_INT(mf_liveness_set_cascade(lv, -1, 0, 0), MF_OK);
    MF_CHECK_EQ_INT(mf_liveness_check(lv, img, face, &r), MF_OK);
    MF_CHECK_EQ_INT(r.models_run, 2);
    float threshold = mf_liveness_threshold(lv);
    for (int first = 0; first < 2; first++) {
        for (int b = 0; b < BANDS; b++) {
            float lo = bands[b][0], hi = bands[b][1];
            MF_CHECK_EQ_INT(mf_liveness_set_cascade(lv, first, lo, hi), MF_OK);
            MF_CHECK_EQ_INT(mf_liveness_check(lv, img, face, &c), MF_OK);
            float s = r.model_scores[first];
            int second = s >= lo && s <= hi;
            inside_seen += second;
            outside_seen += !second;
            MF_CHECK_EQ_INT(c.model_count, 2);
            MF_CHECK_EQ_INT(c.models_run, 1 + second);
            MF_CHECK_EQ_INT(c.ran[first], 1);
            MF_CHECK_EQ_INT(c.ran[1 - first], second);
            MF_CHECK_EQ_INT(bits(c.model_scores[first]), bits(s));
            MF_CHECK(memcmp(c.crops[first], r.crops[first], sizeof r.crops[first]) == 0);
            if (second) {
                /* Inside the band: the fused result, bit for bit, whichever model ran first. */
                MF_CHECK(memcmp(&c, &r, sizeof r) == 0);
            } else {
                MF_CHECK_EQ_INT(bits(c.score), bits(s));
                MF_CHECK_EQ_INT(bits(c.model_scores[1 - first]), 0);
                MF_CHECK_EQ_INT(c.crops[1 - first][2], 0);
            }
            MF_CHECK_EQ_INT(c.live, c.score >= threshold);
            if (lo == 0.0f && hi == 1.0f) MF_CHECK(memcmp(&c, &r, sizeof r) == 0);
        }
    }
    MF_CHECK_EQ_INT(mf_liveness_set_cascade(lv, -1, 0, 0), MF_OK);
    frames_checked++;
}

static void test_cascade_setting(mf_liveness *lv, const void *const *blobs, const size_t *sizes)
{
    float lo = -1, hi = -1;
    MF_CHECK_EQ_INT(mf_liveness_cascade(lv, &lo, &hi), -1); /* off after open */
    MF_CHECK_EQ_INT(mf_liveness_set_cascade(NULL, 0, 0.1f, 0.5f), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_liveness_set_cascade(lv, 2, 0.1f, 0.5f), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_liveness_set_cascade(lv, -2, 0.1f, 0.5f), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_liveness_set_cascade(lv, 0, 0.5f, 0.1f), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_liveness_set_cascade(lv, 0, -0.1f, 0.5f), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_liveness_set_cascade(lv, 0, 0.1f, 1.5f), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_liveness_set_cascade(lv, 0, NAN, 0.5f), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_liveness_cascade(lv, NULL, NULL), -1); /* refused settings changed nothing */
    MF_CHECK_EQ_INT(mf_liveness_set_cascade(lv, 1, 0.1f, 0.5f), MF_OK);
    MF_CHECK_EQ_INT(mf_liveness_cascade(lv, &lo, &hi), 1);
    MF_CHECK(lo == 0.1f && hi == 0.5f);
    MF_CHECK_EQ_INT(mf_liveness_set_cascade(lv, -1, 0, 0), MF_OK);
    MF_CHECK_EQ_INT(mf_liveness_cascade(lv, &lo, &hi), -1);
    /* The measured band holds the default threshold, so the decision outside it is the band's. */
    MF_CHECK(MF_LIVENESS_CASCADE_LO <= MF_LIVENESS_DEFAULT_THRESHOLD &&
             MF_LIVENESS_DEFAULT_THRESHOLD <= MF_LIVENESS_CASCADE_HI);
    MF_CHECK_EQ_INT(mf_liveness_set_cascade(lv, MF_LIVENESS_CASCADE_FIRST, MF_LIVENESS_CASCADE_LO,
                                            MF_LIVENESS_CASCADE_HI), MF_OK);
    MF_CHECK_EQ_INT(mf_liveness_set_cascade(lv, -1, 0, 0), MF_OK);
    /* A cascade needs two models. */
    mf_liveness one;
    MF_CHECK_EQ_INT(mf_liveness_open(&one, blobs, sizes, 1), MF_OK);
    MF_CHECK_EQ_INT(mf_liveness_set_cascade(&one, 0, 0.1f, 0.5f), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_liveness_set_cascade(&one, -1, 0, 0), MF_OK);
    mf_liveness closed;
    memset(&closed, 0, sizeof closed);
    MF_CHECK_EQ_INT(mf_liveness_set_cascade(&closed, 0, 0.1f, 0.5f), MF_ESTATE);
}

int main(void)
{
    mf_mapped_file fd, f2, f1;
    if (map_model("retinaface_mnet025_int8", &fd) || map_model("minifasnet_v2_int8", &f2) ||
        map_model("minifasnet_v1se_int8", &f1)) {
        printf("SKIP: int8 models not converted (scripts/build.sh)\n");
        return 77;
    }
    const char *shared = getenv("MCUFACE_SHARED");
    char dir[4096], path[8192];
    snprintf(dir, sizeof dir, "%s/data/nuaa_dev", shared ? shared : "../shared");
    snprintf(path, sizeof path, "%s/labels.txt", dir);
    FILE *labels = fopen(path, "r");
    if (!labels) {
        printf("SKIP: %s absent\n", path);
        return 77;
    }
    mf_detector det;
    mf_liveness lv;
    const void *blobs[2] = {f2.data, f1.data};
    size_t sizes[2] = {f2.size, f1.size}, lv_arena_bytes = 0;
    MF_CHECK_EQ_INT(mf_detector_open(&det, fd.data, fd.size), MF_OK);
    MF_CHECK_EQ_INT(mf_liveness_open(&lv, blobs, sizes, 2), MF_OK);
    void *det_ws = aligned(mf_detector_workspace_bytes(&det));
    void *lv_ws = aligned(mf_liveness_workspace_bytes(&lv));
    MF_CHECK_EQ_INT(mf_liveness_plan(&lv, lv_ws, mf_liveness_workspace_bytes(&lv), &lv_arena_bytes), MF_OK);
    void *lv_arena = aligned(lv_arena_bytes);
    MF_CHECK_EQ_INT(mf_liveness_bind(&lv, lv_arena, lv_arena_bytes), MF_OK);
    test_cascade_setting(&lv, blobs, sizes);

    static mf_face faces[MAX_FACES];
    void *det_arena = NULL;
    int32_t planned_w = 0, planned_h = 0;
    char line[4096];
    for (int n = 0; fgets(line, sizeof line, labels) && !mf_test_failures; n++) {
        if (n % EVERY) continue;
        line[strcspn(line, " \t\r\n")] = 0;
        snprintf(path, sizeof path, "%s/%s", dir, line);
        mf_image img;
        if (mf_image_load(path, &img)) {
            MF_CHECK(!"nuaa_dev frame unreadable");
            break;
        }
        int32_t nw, nh;
        mf_detector_input_size(img.width, img.height, 320, &nw, &nh);
        if (nw != planned_w || nh != planned_h) {
            size_t bytes = 0;
            MF_CHECK_EQ_INT(mf_detector_plan(&det, nw, nh, det_ws, mf_detector_workspace_bytes(&det), &bytes), MF_OK);
            free(det_arena);
            det_arena = aligned(bytes);
            MF_CHECK_EQ_INT(mf_detector_bind(&det, det_arena, bytes), MF_OK);
            planned_w = nw;
            planned_h = nh;
        }
        mf_detect_options opt = mf_detect_default_options();
        int found = mf_detect(&det, &img, &opt, faces, MAX_FACES);
        if (found > MAX_FACES) found = MAX_FACES;
        int best = -1;
        float best_area = -1;
        for (int i = 0; i < found; i++) {
            float area = (faces[i].box[2] - faces[i].box[0]) * (faces[i].box[3] - faces[i].box[1]);
            if (area > best_area) {
                best_area = area;
                best = i;
            }
        }
        if (best >= 0) check_face(&lv, &img, &faces[best]);
        mf_image_free(&img);
    }
    fclose(labels);
    printf("  %d faces, %d cascade checks needed the second model, %d did not\n", frames_checked, inside_seen,
           outside_seen);
    /* Both branches of the rule must have been exercised. */
    MF_CHECK(frames_checked >= 15);
    MF_CHECK(inside_seen > 0 && outside_seen > 0);
    free(det_arena);
    free(det_ws);
    free(lv_ws);
    free(lv_arena);
    mf_unmap_file(&fd);
    mf_unmap_file(&f2);
    mf_unmap_file(&f1);
    return mf_test_summary();
}
