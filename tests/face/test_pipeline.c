#define _DEFAULT_SOURCE
/* mf_pipeline on real photos (the multiface set, the int8 models of
 * build/models) against an independent composition of the stages called by
 * hand: same boxes, live scores, embeddings and matches; the face-selection
 * rules; other camera formats (GRAY8, YUYV); spoofs never embedded;
 * tracking re-checks; and the error paths
 * (NULLs, order of calls, frame larger than planned, wrong format, arena one
 * byte short). Skips (77) without the models or the photos. */
#include "mf_test.h"
#include "mcuface/mf_pipeline.h"
#include "mcuface/mf_status.h"
#include "mcuface/mf_image_file.h"
#include "mcuface/mf_posix_file.h"
#include "support/store_fixture.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SECTOR 4096u
#define SECTORS 8u
#define HAND_MAX 16

static mf_mapped_file det_file, lv_files[2], rec_file;
static mf_pipeline_models models;
static uint8_t flash_mem[SECTOR * SECTORS];
static mf_flash_ram flash_ram;
static mf_flash flash;
static store_fixture fx;

static size_t round16(size_t n) { return (n + 15) & ~(size_t)15; }

static void *alloc16(size_t n) { return aligned_alloc(16, round16(n ? n : 16)); }

static int map_model(const char *name, mf_mapped_file *f)
{
    const char *build = getenv("MCUFACE_BUILD");
    char path[4096];
    snprintf(path, sizeof path, "%s/models/%s.mfm", build ? build : "build", name);
    return mf_map_file(path, f);
}

static int load_photo(const char *rel, mf_image *img) { return mf_image_load(mf_test_shared_path(rel), img); }

/* The stages called by hand, as the firmware did before mf_pipeline. */
typedef struct hand {
    mf_detector det;
    mf_liveness lv;
    mf_recognizer rec;
    void *det_ws, *lv_ws, *rec_ws, *det_arena, *lv_arena, *rec_arena;
    uint8_t aligned[MF_ALIGNED_SIZE * MF_ALIGNED_SIZE * 3];
} hand;

static int hand_open(hand *h)
{
    memset(h, 0, sizeof *h);
    const void *blobs[2] = {lv_files[0].data, lv_files[1].data};
    size_t sizes[2] = {lv_files[0].size, lv_files[1].size}, bytes = 0;
    if (mf_detector_open(&h->det, det_file.data, det_file.size) || mf_liveness_open(&h->lv, blobs, sizes, 2) ||
        mf_recognizer_open(&h->rec, rec_file.data, rec_file.size))
        return 1;
    /* the pipeline's default liveness decision: the cascade (mf_pipeline_options.liveness_cascade) */
    if (mf_liveness_set_cascade(&h->lv, MF_LIVENESS_CASCADE_FIRST, MF_LIVENESS_CASCADE_LO, MF_LIVENESS_CASCADE_HI))
        return 1;
    h->det_ws = alloc16(mf_detector_workspace_bytes(&h->det));
    h->lv_ws = alloc16(mf_liveness_workspace_bytes(&h->lv));
    h->rec_ws = alloc16(mf_recognizer_workspace_bytes(&h->rec));
    if (mf_liveness_plan(&h->lv, h->lv_ws, mf_liveness_workspace_bytes(&h->lv), &bytes)) return 1;
    h->lv_arena = alloc16(bytes);
    if (mf_liveness_bind(&h->lv, h->lv_arena, bytes)) return 1;
    if (mf_recognizer_plan(&h->rec, h->rec_ws, mf_recognizer_workspace_bytes(&h->rec), &bytes)) return 1;
    h->rec_arena = alloc16(bytes);
    return mf_recognizer_bind(&h->rec, h->rec_arena, bytes) != MF_OK;
}

static void hand_close(hand *h)
{
    free(h->det_ws);
    free(h->lv_ws);
    free(h->rec_ws);
    free(h->det_arena);
    free(h->lv_arena);
    free(h->rec_arena);
}

static int hand_detect(hand *h, const mf_image *img, mf_face *faces)
{
    int32_t nw, nh;
    size_t bytes = 0;
    mf_detector_input_size(img->width, img->height, 320, &nw, &nh);
    if (mf_detector_plan(&h->det, nw, nh, h->det_ws, mf_detector_workspace_bytes(&h->det), &bytes)) return -1;
    free(h->det_arena);
    h->det_arena = alloc16(bytes);
    if (mf_detector_bind(&h->det, h->det_arena, bytes)) return -1;
    mf_detect_options opt = mf_detect_default_options();
    return mf_detect(&h->det, img, &opt, faces, HAND_MAX);
}

static int hand_embed(hand *h, const mf_image *img, const mf_face *face, float *embedding)
{
    mf_image aligned;
    int err = mf_image_init(&aligned, h->aligned, sizeof h->aligned, MF_ALIGNED_SIZE, MF_ALIGNED_SIZE, 3);
    if (!err) err = mf_align_face(img, face->landmarks, &aligned);
    if (!err) err = mf_embed(&h->rec, &aligned, embedding, MF_STORE_DIM);
    return err;
}

/* A pipeline with its own workspace and exactly the arena it reports. */
typedef struct piped {
    mf_pipeline pipe;
    void *ws, *arena;
    size_t arena_bytes;
} piped;

static int piped_open(piped *p, const mf_pipeline_options *opt, int32_t w, int32_t h, mf_store *store)
{
    memset(p, 0, sizeof *p);
    int err = mf_pipeline_open(&p->pipe, &models, store, opt);
    if (err) return err;
    size_t ws = mf_pipeline_workspace_bytes(&p->pipe);
    p->ws = alloc16(ws);
    if ((err = mf_pipeline_plan(&p->pipe, w, h, MF_PIXEL_RGB888, p->ws, ws, &p->arena_bytes)) != MF_OK) return err;
    p->arena = malloc(p->arena_bytes); /* exactly the size (a multiple of 16): ASan sees any overrun */
    if (((uintptr_t)p->arena & 15)) return MF_ENOMEM;
    return mf_pipeline_bind(&p->pipe, p->arena, p->arena_bytes);
}

static void piped_close(piped *p)
{
    free(p->ws);
    free(p->arena);
}

static int mount_store(void)
{
    mf_flash_ram_init(&flash_ram, flash_mem, SECTOR, SECTORS, 16, &flash);
    mf_flash_ram_format(&flash);
    memset(&fx, 0, sizeof fx);
    if (fixture_crypto(&fx, 3)) return 1;
    return fixture_mount(&fx, &flash, 16, 16, NULL) != MF_OK;
}

static int frame_of(const mf_image *img, mf_frame *frame) { return mf_frame_from_image(img, frame); }

/* Every face of three photos, tracking off: the pipeline equals the stages by hand. */
static void test_equals_hand_composition(void)
{
    static const char *const photos[] = {"data/multiface/12.jpg", "data/multiface/13.jpg", "data/multiface/1.jpg"};
    hand h;
    MF_CHECK_EQ_INT(hand_open(&h), 0);
    MF_CHECK_EQ_INT(mount_store(), 0);
    /* Enroll two faces of the first photo, embedded by hand, so that matches are real. */
    mf_image first;
    MF_CHECK_EQ_INT(load_photo(photos[0], &first), MF_OK);
    mf_face faces[HAND_MAX];
    int n = hand_detect(&h, &first, faces);
    MF_CHECK(n >= 2);
    float e[MF_STORE_DIM];
    uint32_t ids[2] = {0, 0};
    for (int i = 0; i < 2 && i < n; i++) {
        char name[8] = {'P', (char)('0' + i), 0};
        MF_CHECK_EQ_INT(hand_embed(&h, &first, &faces[i], e), MF_OK);
        MF_CHECK_EQ_INT(mf_store_enroll(&fx.store, name, e, 1, MF_STORE_ALLOW_DUPLICATE, &ids[i], NULL), MF_OK);
    }
    mf_image_free(&first);

    mf_pipeline_options opt = mf_pipeline_default_options();
    opt.tracking = 0;
    opt.max_faces = 4;
    piped p;
    MF_CHECK_EQ_INT(piped_open(&p, &opt, 4096, 4096, &fx.store), MF_OK);
    MF_CHECK_NEAR(mf_pipeline_liveness_threshold(&p.pipe), MF_LIVENESS_DEFAULT_THRESHOLD, 0);
    MF_CHECK_NEAR(mf_pipeline_identify_threshold(&p.pipe), MF_STORE_THRESHOLD_IDENTIFY_DEFAULT, 0);
    static mf_pipeline_result r;
    int accepted = 0, decided_alone = 0;
    /* the default liveness cascade, then both models on every face; the hand
     * composition runs mf_liveness_check with the same setting */
    for (int cascade = 1; cascade >= 0; cascade--) {
    opt.liveness_cascade = cascade;
    MF_CHECK_EQ_INT(mf_pipeline_set_options(&p.pipe, &opt), MF_OK);
    MF_CHECK_EQ_INT(mf_liveness_set_cascade(&h.lv, cascade ? MF_LIVENESS_CASCADE_FIRST : -1, MF_LIVENESS_CASCADE_LO,
                                            MF_LIVENESS_CASCADE_HI), MF_OK);
    for (size_t k = 0; k < sizeof photos / sizeof photos[0]; k++) {
        mf_image img;
        mf_frame frame;
        MF_CHECK_EQ_INT(load_photo(photos[k], &img), MF_OK);
        MF_CHECK_EQ_INT(frame_of(&img, &frame), MF_OK);
        MF_CHECK_EQ_INT(mf_pipeline_process(&p.pipe, &frame, &r), MF_OK);
        n = hand_detect(&h, &img, faces);
        MF_CHECK_EQ_INT(r.detected, n);
        int want = n < 4 ? n : 4;
        MF_CHECK_EQ_INT(r.face_count, want);
        MF_CHECK_EQ_INT(r.truncated, n > 4);
        MF_CHECK_EQ_INT(r.detector_ran, 1);
        int live_count = 0;
        for (int i = 0; i < want && i < r.face_count; i++) {
            const mf_pipeline_face *pf = &r.faces[i];
            MF_CHECK(!memcmp(&pf->face, &faces[i], sizeof faces[i]));
            MF_CHECK_EQ_INT(pf->track_id, 0);
            mf_liveness_result lr;
            MF_CHECK_EQ_INT(mf_liveness_check(&h.lv, &img, &faces[i], &lr), MF_OK);
            MF_CHECK_EQ_INT(pf->liveness_ran, 1);
            MF_CHECK(pf->liveness.score == lr.score && pf->live_score == lr.score);
            MF_CHECK_EQ_INT(pf->liveness.models_run, lr.models_run);
            if (!cascade) MF_CHECK_EQ_INT(pf->liveness.models_run, 2);
            decided_alone += pf->liveness.models_run == 1;
            MF_CHECK_EQ_INT(pf->live, lr.score >= MF_LIVENESS_DEFAULT_THRESHOLD);
            if (!pf->live) {
                MF_CHECK(pf->embedding == NULL && !pf->recognizer_ran && !pf->identity.matched);
                continue;
            }
            live_count++;
            MF_CHECK_EQ_INT(hand_embed(&h, &img, &faces[i], e), MF_OK);
            MF_CHECK(pf->embedding && !memcmp(pf->embedding, e, sizeof e));
            mf_store_match best;
            int m = mf_store_identify(&fx.store, e, 0.0f, &best, 1);
            MF_CHECK_EQ_INT(pf->identity.matched, m);
            if (m == 1 && pf->identity.matched) {
                MF_CHECK_EQ_INT(pf->identity.id, best.id);
                MF_CHECK(pf->identity.score == best.score);
                MF_CHECK_EQ_INT(pf->identity.accepted, best.score >= MF_STORE_THRESHOLD_IDENTIFY_DEFAULT);
                MF_CHECK(!strcmp(pf->identity.name, best.id == ids[0] ? "P0" : "P1"));
                accepted += pf->identity.accepted;
            }
        }
        MF_CHECK_EQ_INT(r.liveness_runs, want);
        MF_CHECK_EQ_INT(r.recognizer_runs, live_count);
        mf_image_free(&img);
    }
    }
    MF_CHECK(accepted >= 4); /* the two enrolled faces found themselves, with and without the cascade */
    MF_CHECK(decided_alone >= 1); /* the cascade spared the second model somewhere */
    piped_close(&p);
    fixture_release(&fx);
    hand_close(&h);
}

/* SELECT_LARGEST / SELECT_CENTRE process only the face the helpers pick,
 * and the helper's rule is the plain box-area / centre-distance one. */
static void test_selection(void)
{
    mf_image img;
    mf_frame frame;
    MF_CHECK_EQ_INT(load_photo("data/multiface/12.jpg", &img), MF_OK);
    MF_CHECK_EQ_INT(frame_of(&img, &frame), MF_OK);
    mf_pipeline_options opt = mf_pipeline_default_options();
    opt.tracking = 0;
    opt.recognize = 0;
    piped p;
    MF_CHECK_EQ_INT(piped_open(&p, &opt, img.width, img.height, NULL), MF_OK);
    static mf_pipeline_result all, one;
    static mf_pipeline_face all_faces[MF_PIPELINE_DEFAULT_MAX_FACES];
    MF_CHECK_EQ_INT(mf_pipeline_process(&p.pipe, &frame, &all), MF_OK);
    MF_CHECK(all.face_count >= 2);
    /* the result's faces live in the workspace until the next frame: keep a copy */
    memcpy(all_faces, all.faces, (size_t)all.face_count * sizeof *all_faces);
    all.faces = all_faces;
    int largest = 0, centre = 0;
    float best_area = -1, best_d = 1e30f;
    for (int i = 0; i < all.face_count; i++) {
        const float *b = all.faces[i].face.box;
        float area = (b[2] - b[0]) * (b[3] - b[1]);
        float dx = (b[0] + b[2]) / 2 - img.width / 2.0f, dy = (b[1] + b[3]) / 2 - img.height / 2.0f;
        if (area > best_area) best_area = area, largest = i;
        if (dx * dx + dy * dy < best_d) best_d = dx * dx + dy * dy, centre = i;
        MF_CHECK(all.faces[i].embedding == NULL && !all.faces[i].recognizer_ran);
    }
    mf_face faces[MF_PIPELINE_DEFAULT_MAX_FACES];
    for (int i = 0; i < all.face_count; i++) faces[i] = all.faces[i].face;
    MF_CHECK_EQ_INT(mf_pipeline_largest_face(faces, all.face_count), largest);
    MF_CHECK_EQ_INT(mf_pipeline_centre_face(faces, all.face_count, img.width, img.height), centre);
    MF_CHECK_EQ_INT(mf_pipeline_largest_face(NULL, 3), -1);
    MF_CHECK_EQ_INT(mf_pipeline_largest_face(faces, 0), -1);
    opt.select = MF_PIPELINE_SELECT_LARGEST;
    MF_CHECK_EQ_INT(mf_pipeline_set_options(&p.pipe, &opt), MF_OK);
    MF_CHECK_EQ_INT(mf_pipeline_process(&p.pipe, &frame, &one), MF_OK);
    MF_CHECK_EQ_INT(one.face_count, 1);
    MF_CHECK(!memcmp(&one.faces[0].face, &all.faces[largest].face, sizeof(mf_face)));
    MF_CHECK(one.faces[0].liveness.score == all.faces[largest].liveness.score);
    MF_CHECK_EQ_INT(one.liveness_runs, 1);
    opt.select = MF_PIPELINE_SELECT_CENTRE;
    MF_CHECK_EQ_INT(mf_pipeline_set_options(&p.pipe, &opt), MF_OK);
    MF_CHECK_EQ_INT(mf_pipeline_process(&p.pipe, &frame, &one), MF_OK);
    MF_CHECK_EQ_INT(one.face_count, 1);
    MF_CHECK(!memcmp(&one.faces[0].face, &all.faces[centre].face, sizeof(mf_face)));
    /* liveness off: nothing checked, decision unknown */
    opt.select = MF_PIPELINE_SELECT_ALL;
    opt.liveness = 0;
    MF_CHECK_EQ_INT(mf_pipeline_set_options(&p.pipe, &opt), MF_OK);
    MF_CHECK_EQ_INT(mf_pipeline_process(&p.pipe, &frame, &one), MF_OK);
    MF_CHECK_EQ_INT(one.liveness_runs, 0);
    MF_CHECK(one.faces[0].live == -1 && !one.faces[0].liveness_ran && one.faces[0].live_score == 1.0f);
    /* a liveness threshold of 1: every face a spoof */
    opt.liveness = 1;
    opt.liveness_threshold = 1.0f;
    opt.recognize = 1;
    MF_CHECK_EQ_INT(mf_pipeline_set_options(&p.pipe, &opt), MF_OK);
    MF_CHECK_NEAR(mf_pipeline_liveness_threshold(&p.pipe), 1.0, 0);
    MF_CHECK_EQ_INT(mf_pipeline_process(&p.pipe, &frame, &one), MF_OK);
    MF_CHECK_EQ_INT(one.recognizer_runs, 0);
    for (int i = 0; i < one.face_count; i++) MF_CHECK(one.faces[i].live == 0 && one.faces[i].embedding == NULL);
    piped_close(&p);
    mf_image_free(&img);
}

/* A printed-photo attack: judged spoof, never embedded or matched, with and without tracking. */
static void test_spoof_never_embedded(void)
{
    mf_image img;
    mf_frame frame;
    if (load_photo("data/antispoof_samples/image_F2.jpg", &img)) {
        printf("  no antispoof sample: skipped\n");
        return;
    }
    MF_CHECK_EQ_INT(frame_of(&img, &frame), MF_OK);
    MF_CHECK_EQ_INT(mount_store(), 0);
    float e[MF_STORE_DIM];
    fixture_embedding(5, e);
    uint32_t id;
    MF_CHECK_EQ_INT(mf_store_enroll(&fx.store, "Someone", e, 1, 0, &id, NULL), MF_OK);
    for (int tracking = 0; tracking <= 1; tracking++) {
        mf_pipeline_options opt = mf_pipeline_default_options();
        opt.tracking = tracking;
        opt.recheck_interval = 1;
        piped p;
        MF_CHECK_EQ_INT(piped_open(&p, &opt, img.width, img.height, &fx.store), MF_OK);
        static mf_pipeline_result r;
        for (int k = 0; k < 3; k++) {
            MF_CHECK_EQ_INT(mf_pipeline_process(&p.pipe, &frame, &r), MF_OK);
            MF_CHECK_EQ_INT(r.face_count, 1);
            MF_CHECK_EQ_INT(r.recognizer_runs, 0);
            MF_CHECK_EQ_INT(r.faces[0].live, 0);
            MF_CHECK(r.faces[0].embedding == NULL && !r.faces[0].identity.matched);
            MF_CHECK_EQ_INT(r.faces[0].track_id, tracking ? 1 : 0);
        }
        piped_close(&p);
    }
    fixture_release(&fx);
    mf_image_free(&img);
}

/* Tracking on one still frame repeated: the networks run at birth and every
 * RECHECK_INTERVAL frames only; decisions stand in between. */
static void test_tracking_rechecks(void)
{
    mf_image img;
    mf_frame frame;
    MF_CHECK_EQ_INT(load_photo("data/multiface/13.jpg", &img), MF_OK);
    MF_CHECK_EQ_INT(frame_of(&img, &frame), MF_OK);
    MF_CHECK_EQ_INT(mount_store(), 0);
    mf_pipeline_options opt = mf_pipeline_default_options();
    opt.tracking = 0;
    piped p;
    MF_CHECK_EQ_INT(piped_open(&p, &opt, img.width, img.height, &fx.store), MF_OK);
    static mf_pipeline_result once, r;
    static mf_pipeline_face once_faces[MF_PIPELINE_DEFAULT_MAX_FACES];
    MF_CHECK_EQ_INT(mf_pipeline_process(&p.pipe, &frame, &once), MF_OK);
    MF_CHECK(once.face_count >= 1 && once.faces[0].embedding);
    memcpy(once_faces, once.faces, (size_t)once.face_count * sizeof *once_faces); /* outlives the next frame */
    once.faces = once_faces;
    uint32_t id;
    MF_CHECK_EQ_INT(mf_store_enroll(&fx.store, "Face0", once.faces[0].embedding, 1, 0, &id, NULL), MF_OK);
    opt.tracking = 1;
    opt.recheck_interval = 3;
    MF_CHECK_EQ_INT(mf_pipeline_set_options(&p.pipe, &opt), MF_OK);
    int faces = once.face_count;
    for (int k = 0; k < 7; k++) {
        MF_CHECK_EQ_INT(mf_pipeline_process(&p.pipe, &frame, &r), MF_OK);
        int due = k % 3 == 0;
        MF_CHECK_EQ_INT(r.face_count, faces);
        MF_CHECK_EQ_INT(r.liveness_runs, due ? faces : 0);
        MF_CHECK_EQ_INT(r.tracks_active, faces);
        for (int i = 0; i < r.face_count; i++) {
            const mf_pipeline_face *pf = &r.faces[i];
            MF_CHECK_EQ_INT(pf->track_id, (uint32_t)i + 1);
            MF_CHECK_EQ_INT(pf->liveness_ran, due);
            MF_CHECK_NEAR(pf->live_score, once.faces[i].live_score, 1e-6); /* mean of equal scores */
            MF_CHECK_EQ_INT(pf->live, once.faces[i].live);
            MF_CHECK_EQ_INT(pf->recognizer_ran, due && pf->live);
        }
        /* face 0: the running mean of identical embeddings is the enrolled face */
        MF_CHECK(r.faces[0].identity.matched && r.faces[0].identity.id == id && r.faces[0].identity.accepted);
        MF_CHECK_NEAR(r.faces[0].identity.score, 1.0, 0.01);
    }
    /* a reset ends the tracks; ids keep counting */
    MF_CHECK_EQ_INT(mf_pipeline_reset_tracks(&p.pipe), MF_OK);
    MF_CHECK_EQ_INT(mf_pipeline_process(&p.pipe, &frame, &r), MF_OK);
    MF_CHECK_EQ_INT(r.faces[0].track_id, (uint32_t)faces + 1);
    MF_CHECK_EQ_INT(r.frame_index, 0);
    piped_close(&p);
    fixture_release(&fx);
    mf_image_free(&img);
}

/* Other camera formats: the pipeline on a GRAY8 and a YUYV frame made from a
 * photo equals the stages by hand on mf_frame_to_image of the same frame. */
static void test_camera_formats(void)
{
    mf_image img;
    MF_CHECK_EQ_INT(load_photo("data/multiface/13.jpg", &img), MF_OK);
    int32_t w = img.width & ~1, h = img.height;
    uint8_t *bytes = malloc((size_t)w * h * 2), *rgb = malloc((size_t)w * h * 3);
    hand hd;
    MF_CHECK_EQ_INT(hand_open(&hd), 0);
    static const mf_pixel_format formats[2] = {MF_PIXEL_GRAY8, MF_PIXEL_YUYV};
    for (int f = 0; f < 2; f++) {
        for (int32_t y = 0; y < h; y++)
            for (int32_t x = 0; x < w; x++) {
                const uint8_t *p = img.data + (size_t)y * img.stride + (size_t)x * 3;
                if (formats[f] == MF_PIXEL_GRAY8) {
                    bytes[(size_t)y * w + x] = p[1];
                } else { /* Y = G; U, V from B - G and R - G, one pair per two pixels */
                    uint8_t *q = bytes + (size_t)y * w * 2 + (size_t)x * 2;
                    q[0] = p[1];
                    q[1] = (uint8_t)(x % 2 == 0 ? 128 + (p[2] - p[1]) / 2 : 128 + (p[0] - p[1]) / 2);
                }
            }
        mf_frame frame;
        int32_t bpp = formats[f] == MF_PIXEL_GRAY8 ? 1 : 2;
        MF_CHECK_EQ_INT(mf_frame_init(&frame, formats[f], bytes, (size_t)w * h * bpp, w, h, 0), MF_OK);
        mf_image as_rgb;
        MF_CHECK_EQ_INT(mf_image_init(&as_rgb, rgb, (size_t)w * h * 3, w, h, 3), MF_OK);
        MF_CHECK_EQ_INT(mf_frame_to_image(&frame, &as_rgb), MF_OK);
        mf_pipeline_options opt = mf_pipeline_default_options();
        opt.tracking = 0;
        opt.max_faces = 4;
        piped p;
        memset(&p, 0, sizeof p);
        MF_CHECK_EQ_INT(mf_pipeline_open(&p.pipe, &models, NULL, &opt), MF_OK);
        size_t ws = mf_pipeline_workspace_bytes(&p.pipe);
        p.ws = alloc16(ws);
        MF_CHECK_EQ_INT(mf_pipeline_plan(&p.pipe, w, h, formats[f], p.ws, ws, &p.arena_bytes), MF_OK);
        p.arena = alloc16(p.arena_bytes);
        MF_CHECK_EQ_INT(mf_pipeline_bind(&p.pipe, p.arena, p.arena_bytes), MF_OK);
        static mf_pipeline_result r;
        MF_CHECK_EQ_INT(mf_pipeline_process(&p.pipe, &frame, &r), MF_OK);
        mf_face faces[HAND_MAX];
        int n = hand_detect(&hd, &as_rgb, faces);
        MF_CHECK(n >= 1);
        MF_CHECK_EQ_INT(r.detected, n);
        for (int i = 0; i < r.face_count && i < n; i++) {
            MF_CHECK(!memcmp(&r.faces[i].face, &faces[i], sizeof faces[i]));
            mf_liveness_result lr;
            MF_CHECK_EQ_INT(mf_liveness_check(&hd.lv, &as_rgb, &faces[i], &lr), MF_OK);
            MF_CHECK(r.faces[i].liveness.score == lr.score);
            if (!r.faces[i].embedding) continue;
            float e[MF_STORE_DIM];
            MF_CHECK_EQ_INT(hand_embed(&hd, &as_rgb, &faces[i], e), MF_OK);
            MF_CHECK(!memcmp(r.faces[i].embedding, e, sizeof e));
        }
        /* a frame of another format than planned is refused */
        mf_frame other;
        MF_CHECK_EQ_INT(mf_frame_from_image(&img, &other), MF_OK);
        MF_CHECK_EQ_INT(mf_pipeline_process(&p.pipe, &other, &r), MF_EINVAL);
        piped_close(&p);
    }
    hand_close(&hd);
    free(bytes);
    free(rgb);
    mf_image_free(&img);
}

/* Room for the whole pipeline's workspace: about 0.5 MB with the reference
 * or Helium kernels, 1.0 MB on x86 (the SIMD convolutions' packed weights). */
#define WS_CAP (8 << 20) /* host: the x86 twins keep packed weights in it */

static void test_errors(void)
{
    mf_pipeline_options opt = mf_pipeline_default_options();
    static mf_pipeline pipe;
    static mf_pipeline_result r;
    uint8_t pixels[64 * 48 * 3] = {0};
    mf_frame frame;
    MF_CHECK_EQ_INT(mf_frame_init(&frame, MF_PIXEL_RGB888, pixels, sizeof pixels, 64, 48, 0), MF_OK);
    size_t arena = 0;
    /* NULLs and bad models */
    MF_CHECK_EQ_INT(mf_pipeline_open(NULL, &models, NULL, &opt), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_pipeline_open(&pipe, NULL, NULL, &opt), MF_EINVAL);
    mf_pipeline_models bad = models;
    bad.detector.data = NULL;
    MF_CHECK_EQ_INT(mf_pipeline_open(&pipe, &bad, NULL, &opt), MF_EINVAL);
    bad = models;
    bad.liveness_count = 3;
    MF_CHECK_EQ_INT(mf_pipeline_open(&pipe, &bad, NULL, &opt), MF_EINVAL);
    bad = models;
    bad.detector = models.recognizer; /* not a detector */
    MF_CHECK(mf_pipeline_open(&pipe, &bad, NULL, &opt) < 0);
    bad = models;
    bad.liveness_count = 0; /* liveness on without liveness models */
    MF_CHECK_EQ_INT(mf_pipeline_open(&pipe, &bad, NULL, &opt), MF_EINVAL);
    mf_pipeline_options off = opt;
    off.liveness = 0;
    MF_CHECK_EQ_INT(mf_pipeline_open(&pipe, &bad, NULL, &off), MF_OK);
    /* bad options */
    mf_pipeline_options o = opt;
    o.max_faces = 0;
    MF_CHECK_EQ_INT(mf_pipeline_open(&pipe, &models, NULL, &o), MF_EINVAL);
    o = opt;
    o.max_faces = MF_PIPELINE_MAX_FACES_LIMIT + 1;
    MF_CHECK_EQ_INT(mf_pipeline_open(&pipe, &models, NULL, &o), MF_EINVAL);
    o = opt;
    o.liveness_threshold = 1.5f;
    MF_CHECK_EQ_INT(mf_pipeline_open(&pipe, &models, NULL, &o), MF_EINVAL);
    o = opt;
    o.recheck_turn_degrees = 91.0f;
    MF_CHECK_EQ_INT(mf_pipeline_open(&pipe, &models, NULL, &o), MF_EINVAL);
    o = opt;
    o.select = (mf_pipeline_select)7;
    MF_CHECK_EQ_INT(mf_pipeline_open(&pipe, &models, NULL, &o), MF_EINVAL);
    /* out of order */
    memset(&pipe, 0, sizeof pipe);
    MF_CHECK_EQ_INT(mf_pipeline_process(&pipe, &frame, &r), MF_ESTATE);
    MF_CHECK_EQ_INT(mf_pipeline_workspace_bytes(&pipe), 0);
    uint8_t *ws = alloc16(WS_CAP);
    MF_CHECK_EQ_INT(mf_pipeline_plan(&pipe, 64, 48, MF_PIXEL_RGB888, ws, WS_CAP, &arena), MF_ESTATE);
    MF_CHECK_EQ_INT(mf_pipeline_open(&pipe, &models, NULL, &opt), MF_OK);
    MF_CHECK_EQ_INT(mf_pipeline_process(&pipe, &frame, &r), MF_ESTATE);
    MF_CHECK_EQ_INT(mf_pipeline_bind(&pipe, ws, WS_CAP), MF_ESTATE);
    size_t ws_bytes = mf_pipeline_workspace_bytes(&pipe);
    MF_CHECK(ws_bytes > 0 && ws_bytes <= (WS_CAP));
    MF_CHECK_EQ_INT(mf_pipeline_plan(&pipe, 64, 48, MF_PIXEL_RGB888, ws, ws_bytes - 1, &arena), MF_ENOMEM);
    MF_CHECK_EQ_INT(mf_pipeline_plan(&pipe, 64, 48, MF_PIXEL_RGB888, ws + 8, ws_bytes, &arena), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_pipeline_plan(&pipe, 0, 48, MF_PIXEL_RGB888, ws, ws_bytes, &arena), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_pipeline_plan(&pipe, 64, MF_IMAGE_MAX_SIDE + 1, MF_PIXEL_RGB888, ws, ws_bytes, &arena),
                    MF_ERANGE);
    MF_CHECK_EQ_INT(mf_pipeline_plan(&pipe, 64, 48, (mf_pixel_format)99, ws, ws_bytes, &arena), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_pipeline_plan(&pipe, 64, 48, MF_PIXEL_RGB888, ws, ws_bytes, NULL), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_pipeline_plan(&pipe, 64, 48, MF_PIXEL_RGB888, ws, ws_bytes, &arena), MF_OK);
    /* the arena: one byte less fails, the reported size works */
    uint8_t *a = alloc16(arena);
    MF_CHECK_EQ_INT(mf_pipeline_bind(&pipe, a, arena - 1), MF_ENOMEM);
    MF_CHECK_EQ_INT(mf_pipeline_process(&pipe, &frame, &r), MF_ESTATE);
    MF_CHECK_EQ_INT(mf_pipeline_bind(&pipe, a + 8, arena), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_pipeline_bind(&pipe, NULL, arena), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_pipeline_bind(&pipe, a, arena), MF_OK);
    MF_CHECK_EQ_INT(mf_pipeline_process(&pipe, &frame, &r), MF_OK); /* a black frame: no face */
    MF_CHECK_EQ_INT(r.face_count, 0);
    MF_CHECK_EQ_INT(r.detector_ran, 1);
    /* the same frame turned (48x64) fits; a larger one does not */
    mf_frame turned, large, other = frame;
    MF_CHECK_EQ_INT(mf_frame_init(&turned, MF_PIXEL_RGB888, pixels, sizeof pixels, 48, 64, 0), MF_OK);
    MF_CHECK_EQ_INT(mf_pipeline_process(&pipe, &turned, &r), MF_OK);
    static uint8_t big[65 * 48 * 3];
    MF_CHECK_EQ_INT(mf_frame_init(&large, MF_PIXEL_RGB888, big, sizeof big, 65, 48, 0), MF_OK);
    MF_CHECK_EQ_INT(mf_pipeline_process(&pipe, &large, &r), MF_ERANGE);
    other.format = MF_PIXEL_GRAY8; /* not the planned format */
    MF_CHECK_EQ_INT(mf_pipeline_process(&pipe, &other, &r), MF_EINVAL);
    other = frame;
    other.size = sizeof pixels - 1; /* fewer bytes than the layout needs */
    MF_CHECK_EQ_INT(mf_pipeline_process(&pipe, &other, &r), MF_EINVAL);
    other = frame;
    other.data = NULL;
    MF_CHECK_EQ_INT(mf_pipeline_process(&pipe, &other, &r), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_pipeline_process(&pipe, NULL, &r), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_pipeline_process(&pipe, &frame, NULL), MF_EINVAL);
    /* options fixed by the plan */
    o = opt;
    o.max_faces = 2;
    MF_CHECK_EQ_INT(mf_pipeline_set_options(&pipe, &o), MF_ESTATE);
    o = opt;
    o.detector_long_side = 640;
    MF_CHECK_EQ_INT(mf_pipeline_set_options(&pipe, &o), MF_ESTATE);
    o = opt;
    o.score_threshold = -1.0f;
    MF_CHECK_EQ_INT(mf_pipeline_set_options(&pipe, &o), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_pipeline_set_options(&pipe, NULL), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_pipeline_process(&pipe, &frame, &r), MF_OK); /* still usable after refused changes */
    free(a);
    free(ws);
}

/* embed_mirrored: the normalised sum of the aligned face's embedding and
 * its mirror image's, by hand; mf_pipeline_embed_face embeds a given face
 * exactly as the pipeline embeds a detected one. */
static void test_mirrored_and_given_face(void)
{
    hand h;
    MF_CHECK_EQ_INT(hand_open(&h), 0);
    mf_image img;
    mf_frame frame;
    MF_CHECK_EQ_INT(load_photo("data/multiface/12.jpg", &img), MF_OK);
    MF_CHECK_EQ_INT(frame_of(&img, &frame), MF_OK);
    mf_pipeline_options opt = mf_pipeline_default_options();
    opt.tracking = 0;
    opt.liveness = 0;
    opt.embed_mirrored = 1;
    piped p;
    MF_CHECK_EQ_INT(piped_open(&p, &opt, img.width, img.height, NULL), MF_OK);
    static mf_pipeline_result r;
    MF_CHECK_EQ_INT(mf_pipeline_process(&p.pipe, &frame, &r), MF_OK);
    MF_CHECK(r.face_count >= 2);
    MF_CHECK_EQ_INT(r.recognizer_runs, r.face_count);
    for (int i = 0; i < r.face_count; i++) {
        static float plain[MF_STORE_DIM], mirrored[MF_STORE_DIM], expect[MF_STORE_DIM], given[MF_STORE_DIM];
        MF_CHECK_EQ_INT(hand_embed(&h, &img, &r.faces[i].face, plain), MF_OK);
        mf_image aligned; /* hand_embed left the aligned face in h.aligned: flip it by hand */
        MF_CHECK_EQ_INT(mf_image_init(&aligned, h.aligned, sizeof h.aligned, MF_ALIGNED_SIZE, MF_ALIGNED_SIZE, 3),
                        MF_OK);
        static uint8_t flipped[MF_ALIGNED_SIZE * MF_ALIGNED_SIZE * 3];
        for (int y = 0; y < MF_ALIGNED_SIZE; y++)
            for (int x = 0; x < MF_ALIGNED_SIZE; x++)
                memcpy(&flipped[3 * (y * MF_ALIGNED_SIZE + x)],
                       &h.aligned[3 * (y * MF_ALIGNED_SIZE + MF_ALIGNED_SIZE - 1 - x)], 3);
        memcpy(h.aligned, flipped, sizeof flipped);
        MF_CHECK_EQ_INT(mf_embed(&h.rec, &aligned, mirrored, MF_STORE_DIM), MF_OK);
        double sum = 0;
        for (int k = 0; k < MF_STORE_DIM; k++) {
            expect[k] = plain[k] + mirrored[k];
            sum += (double)expect[k] * expect[k];
        }
        float inv = (float)(1.0 / sqrt(sum));
        for (int k = 0; k < MF_STORE_DIM; k++) expect[k] *= inv;
        MF_CHECK(r.faces[i].embedding && !memcmp(r.faces[i].embedding, expect, sizeof expect));
        MF_CHECK(memcmp(plain, expect, sizeof plain) != 0); /* the mirror image did change it */
        MF_CHECK_EQ_INT(mf_pipeline_embed_face(&p.pipe, &frame, &r.faces[i].face, given), MF_OK);
        MF_CHECK(!memcmp(given, expect, sizeof given));
    }
    float e[MF_STORE_DIM];
    MF_CHECK_EQ_INT(mf_pipeline_embed_face(NULL, &frame, &r.faces[0].face, e), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_pipeline_embed_face(&p.pipe, &frame, NULL, e), MF_EINVAL);
    opt.embed_mirrored = 2;
    MF_CHECK_EQ_INT(mf_pipeline_set_options(&p.pipe, &opt), MF_EINVAL);
    mf_face face0 = r.faces[0].face; /* the result lives in the workspace freed next */
    piped_close(&p);
    mf_pipeline_models no_recognizer = models;
    no_recognizer.recognizer = (mf_pipeline_blob){NULL, 0};
    opt.embed_mirrored = 0;
    MF_CHECK_EQ_INT(mf_pipeline_open(&p.pipe, &no_recognizer, NULL, &opt), MF_OK);
    MF_CHECK_EQ_INT(mf_pipeline_embed_face(&p.pipe, &frame, &face0, e), MF_ESTATE); /* not bound */
    size_t ws_bytes = mf_pipeline_workspace_bytes(&p.pipe), arena_bytes = 0;
    void *ws = alloc16(ws_bytes);
    MF_CHECK_EQ_INT(mf_pipeline_plan(&p.pipe, img.width, img.height, MF_PIXEL_RGB888, ws, ws_bytes, &arena_bytes),
                    MF_OK);
    void *arena = alloc16(arena_bytes);
    MF_CHECK_EQ_INT(mf_pipeline_bind(&p.pipe, arena, arena_bytes), MF_OK);
    MF_CHECK_EQ_INT(mf_pipeline_embed_face(&p.pipe, &frame, &face0, e), MF_EINVAL); /* no recognizer */
    free(ws);
    free(arena);
    mf_image_free(&img);
    hand_close(&h);
}

/* max_faces beyond the default: the result holds that many faces, the
 * best-scored ones, in the detector's order; fewer truncate. */
static void test_many_faces(void)
{
    mf_image img;
    mf_frame frame;
    MF_CHECK_EQ_INT(load_photo("data/multiface/26.jpg", &img), MF_OK);
    MF_CHECK_EQ_INT(frame_of(&img, &frame), MF_OK);
    mf_pipeline_options opt = mf_pipeline_default_options();
    opt.tracking = 0;
    opt.liveness = 0;
    opt.recognize = 0;
    opt.detector_long_side = 640;
    opt.max_faces = 200;
    piped p;
    MF_CHECK_EQ_INT(piped_open(&p, &opt, img.width, img.height, NULL), MF_OK);
    static mf_pipeline_result all;
    MF_CHECK_EQ_INT(mf_pipeline_process(&p.pipe, &frame, &all), MF_OK);
    MF_CHECK(all.detected > MF_PIPELINE_DEFAULT_MAX_FACES && all.detected <= 200);
    MF_CHECK_EQ_INT(all.face_count, all.detected);
    MF_CHECK_EQ_INT(all.truncated, 0);
    /* the detector by hand, at the same input size */
    mf_detector det;
    int32_t nw, nh;
    size_t bytes = 0;
    MF_CHECK_EQ_INT(mf_detector_open(&det, det_file.data, det_file.size), MF_OK);
    mf_detector_input_size(img.width, img.height, 640, &nw, &nh);
    void *ws = alloc16(mf_detector_workspace_bytes(&det));
    MF_CHECK_EQ_INT(mf_detector_plan(&det, nw, nh, ws, mf_detector_workspace_bytes(&det), &bytes), MF_OK);
    void *arena = alloc16(bytes);
    MF_CHECK_EQ_INT(mf_detector_bind(&det, arena, bytes), MF_OK);
    static mf_face faces[200];
    mf_detect_options dopt = mf_detect_default_options();
    MF_CHECK_EQ_INT(mf_detect(&det, &img, &dopt, faces, 200), all.detected);
    for (int i = 0; i < all.face_count; i++) MF_CHECK(!memcmp(&all.faces[i].face, &faces[i], sizeof faces[i]));
    piped_close(&p);
    opt.max_faces = 20;
    MF_CHECK_EQ_INT(piped_open(&p, &opt, img.width, img.height, NULL), MF_OK);
    static mf_pipeline_result some;
    MF_CHECK_EQ_INT(mf_pipeline_process(&p.pipe, &frame, &some), MF_OK);
    MF_CHECK_EQ_INT(some.face_count, 20);
    MF_CHECK_EQ_INT(some.detected, all.detected);
    MF_CHECK_EQ_INT(some.truncated, 1);
    for (int i = 0; i < some.face_count; i++) MF_CHECK(!memcmp(&some.faces[i].face, &faces[i], sizeof faces[i]));
    piped_close(&p);
    opt.max_faces = MF_PIPELINE_MAX_FACES_LIMIT;
    mf_pipeline pipe;
    MF_CHECK_EQ_INT(mf_pipeline_open(&pipe, &models, NULL, &opt), MF_OK);
    MF_CHECK(mf_pipeline_workspace_bytes(&pipe) > (size_t)MF_PIPELINE_MAX_FACES_LIMIT * sizeof(mf_pipeline_face));
    free(ws);
    free(arena);
    mf_image_free(&img);
}

int main(void)
{
    const char *lv_names[2] = {"minifasnet_v2_int8", "minifasnet_v1se_int8"};
    if (map_model("retinaface_mnet025_int8", &det_file) || map_model(lv_names[0], &lv_files[0]) ||
        map_model(lv_names[1], &lv_files[1]) || map_model("edgeface_xs_gamma_06_int8", &rec_file))
        mf_test_skip("int8 models not converted (scripts/build.sh)");
    mf_image probe;
    if (load_photo("data/multiface/12.jpg", &probe)) mf_test_skip("no ../shared/data/multiface photos");
    mf_image_free(&probe);
    models.detector = (mf_pipeline_blob){det_file.data, det_file.size};
    models.liveness[0] = (mf_pipeline_blob){lv_files[0].data, lv_files[0].size};
    models.liveness[1] = (mf_pipeline_blob){lv_files[1].data, lv_files[1].size};
    models.liveness_count = 2;
    models.recognizer = (mf_pipeline_blob){rec_file.data, rec_file.size};
    MF_RUN(test_errors);
    MF_RUN(test_selection);
    MF_RUN(test_spoof_never_embedded);
    MF_RUN(test_tracking_rechecks);
    MF_RUN(test_equals_hand_composition);
    MF_RUN(test_camera_formats);
    MF_RUN(test_mirrored_and_given_face);
    MF_RUN(test_many_faces);
    mf_unmap_file(&det_file);
    mf_unmap_file(&lv_files[0]);
    mf_unmap_file(&lv_files[1]);
    mf_unmap_file(&rec_file);
    return mf_test_summary();
}
