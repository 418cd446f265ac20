#include "fw_report.h"
#include "crc32.h"
#include "mcuface/mf_detect.h"
#include "mcuface/mf_frame.h"
#include "mcuface/mf_pipeline.h"
#include "mcuface/mf_flash.h"
#include "mcuface/mf_liveness.h"
#include "mcuface/mf_recognize.h"
#include "mcuface/mf_status.h"
#include "mcuface/mf_store.h"
#include "store_crypto_soft.h"
#include "vision/resize.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

#define FW_PIPELINE_FACES 4 /* faces per image that go through liveness and recognition */
#define FW_SEQUENCE_FRAMES 8
#define FW_SEQUENCE_INTERVAL 4 /* re-check interval of the tracked sequence (frames) */
#define FW_SEQUENCE_GROW 1.25f /* and the box area ratio that triggers one (the face grows 1.3x from frame 4 to 7) */
#define FW_STORE_SECTOR_BYTES 4096u
#define FW_STORE_SECTORS 4u
#define FW_STORE_IDENTITIES 8u
#define FW_STORE_RAM_BYTES 8192u

/* noipa: an empty function would otherwise be found const and its call
 * deleted, and the plugin would never see it run. */
#define FW_MARK(name) \
    __attribute__((noinline, noipa)) void fw_mark_##name(void) { __asm__ volatile("" ::: "memory"); }
FW_MARK(setup)
FW_MARK(detect)
FW_MARK(liveness)
FW_MARK(align)
FW_MARK(embed)
FW_MARK(match)
FW_MARK(report)

static uint32_t float_bits(float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return u;
}

/* " -12.3456": V rounded to DECIMALS (0..6) digits, half away from zero, in
 * integer arithmetic. The product of a float and a power of ten below 10^7
 * is exact in double, so both platforms print the same digits whatever
 * their printf does with ties. */
static void put_fixed(float v, int decimals)
{
    static const long long pow10[7] = {1, 10, 100, 1000, 10000, 100000, 1000000};
    if (!isfinite(v) || fabsf(v) > 1e9f) {
        printf(" %s", isnan(v) ? "nan" : v > 0 ? "big" : "-big");
        return;
    }
    long long q = llround((double)v * (double)pow10[decimals]);
    unsigned long long a = (unsigned long long)(q < 0 ? -q : q), p = (unsigned long long)pow10[decimals];
    if (decimals == 0)
        printf(" %s%llu", q < 0 ? "-" : "", a);
    else
        printf(" %s%llu.%0*llu", q < 0 ? "-" : "", a / p, decimals, a % p);
}

static void put_bits(const float *v, int n)
{
    printf(" bits");
    for (int k = 0; k < n; k++) printf(" %08lx", (unsigned long)float_bits(v[k]));
}

static int fail(const char *what, int err)
{
    printf("error %s %d %s\n", what, err, mf_status_str(err));
    return err;
}

/* The input's type, for the report: read through the model handles inside
 * mf_detector / mf_liveness / mf_recognizer (no public accessor). */
static const char *dtype_name(const mf_tensor *t) { return t && t->dtype == MF_DTYPE_INT8 ? "int8" : "float32"; }

/* int8 when the plan computed int8 requantization parameters (an int8 graph
 * may still take float input and quantize it with its first op). */
static void print_model(const char *role, const fw_blob *blob, const mf_model_stats *st, const mf_tensor *input)
{
    printf("model %s file %lu weights %llu params %llu ops %lu precision %s input %s macs %llu arena %lu\n", role,
           (unsigned long)blob->bytes, (unsigned long long)st->weight_bytes, (unsigned long long)st->param_count,
           (unsigned long)st->op_count, st->quant_bytes ? "int8" : "float32", dtype_name(input),
           (unsigned long long)st->macs, (unsigned long)st->arena_bytes);
}

/* The store's nonces. A device draws them from its TRNG; this test makes
 * them a fixed sequence (xorshift32) so that the encrypted flash, and its
 * CRC in the report, are the same on every run and platform. */
static int test_random(void *ctx, uint8_t *buf, size_t len)
{
    uint32_t *state = ctx;
    for (size_t i = 0; i < len; i++) {
        *state ^= *state << 13;
        *state ^= *state >> 17;
        *state ^= *state << 5;
        buf[i] = (uint8_t)(*state >> 24);
    }
    return MF_OK;
}

/* Everything the run keeps outside the workspace and the shared arena
 * (static: large). */
static struct {
    mf_pipeline pipe;
    mf_pipeline_result result;
    uint8_t flash_mem[FW_STORE_SECTOR_BYTES * FW_STORE_SECTORS];
    uint64_t store_ram[FW_STORE_RAM_BYTES / 8];
    mf_flash_ram flash_ram;
    mf_flash flash;
    mf_store_crypto_soft crypto_state;
    mf_store_crypto crypto;
    uint32_t nonce_state;
    mf_store store;
} fw;

/* Work done, for the instruction counts (MACs per stage). */
typedef struct fw_work {
    unsigned long runs;
    unsigned long long macs;
} fw_work;

static fw_work det_work, lv_work, rec_work;

static int setup_store(float threshold)
{
    static const char *const where = "store";
    uint8_t key[MF_STORE_KEY_BYTES];
    for (int i = 0; i < MF_STORE_KEY_BYTES; i++) key[i] = (uint8_t)(7 * i + 1); /* a test key, not a secret */
    fw.nonce_state = 0x2545F491u;
    int err = mf_store_crypto_soft_init(&fw.crypto_state, key, test_random, &fw.nonce_state, &fw.crypto);
    memset(key, 0, sizeof key);
    if (!err)
        err = mf_flash_ram_init(&fw.flash_ram, fw.flash_mem, FW_STORE_SECTOR_BYTES, FW_STORE_SECTORS, 16, &fw.flash);
    if (err) return fail(where, err);
    mf_flash_ram_format(&fw.flash);
    size_t ram = mf_store_ram_size(&fw.flash, FW_STORE_IDENTITIES, FW_STORE_IDENTITIES);
    if (!ram || ram > sizeof fw.store_ram) return fail(where, MF_ENOMEM);
    mf_store_config cfg = {.flash = &fw.flash,
                           .crypto = &fw.crypto,
                           .ram = fw.store_ram,
                           .ram_size = sizeof fw.store_ram,
                           .max_identities = FW_STORE_IDENTITIES,
                           .max_templates = FW_STORE_IDENTITIES,
                           .threshold_identify = threshold};
    if ((err = mf_store_mount(&fw.store, &cfg, NULL)) != MF_OK) return fail("store mount", err);
    printf("store sectors %u sector_bytes %u flash %u\n", FW_STORE_SECTORS, FW_STORE_SECTOR_BYTES,
           FW_STORE_SECTORS * FW_STORE_SECTOR_BYTES);
    printf("info store ram %lu\n", (unsigned long)ram);
    return MF_OK;
}

/* The pipeline's stage boundaries -> the markers bench/m55_insn_count.sh counts between. */
static void stage_marker(void *context, mf_pipeline_stage stage)
{
    (void)context;
    switch (stage) {
    case MF_STAGE_PREPARE: fw_mark_setup(); break;
    case MF_STAGE_DETECT: fw_mark_detect(); break;
    case MF_STAGE_LIVENESS: fw_mark_liveness(); break;
    case MF_STAGE_ALIGN: fw_mark_align(); break;
    case MF_STAGE_EMBED: fw_mark_embed(); break;
    case MF_STAGE_MATCH: fw_mark_match(); break;
    default: fw_mark_report(); break;
    }
}

/* Per-image options: no tracking (every network on every face), the
 * detector at the frame's own size, at most FW_PIPELINE_FACES faces. */
static mf_pipeline_options image_options(mf_pipeline_select select)
{
    mf_pipeline_options opt = mf_pipeline_default_options();
    opt.detector_long_side = 0;
    opt.max_faces = FW_PIPELINE_FACES;
    opt.select = select;
    opt.tracking = 0;
    opt.stage_hook = stage_marker;
    return opt;
}

/* Opens and plans the pipeline: its workspace at the start of MEMORY, the
 * shared arena after it. */
static int setup_pipeline(const fw_models *m, uint8_t *memory, size_t memory_bytes)
{
    mf_pipeline_models pm = {.detector = {m->detector.data, m->detector.bytes},
                             .liveness_count = m->liveness_count,
                             .recognizer = {m->recognizer.data, m->recognizer.bytes}};
    for (int i = 0; i < m->liveness_count; i++) {
        pm.liveness[i].data = m->liveness[i].data;
        pm.liveness[i].size = m->liveness[i].bytes;
    }
    mf_pipeline_options opt = image_options(MF_PIPELINE_SELECT_ALL);
    int err = mf_pipeline_open(&fw.pipe, &pm, &fw.store, &opt);
    if (err) return fail("open pipeline", err);
    size_t ws = mf_pipeline_workspace_bytes(&fw.pipe);
    printf("info workspace pipeline %lu pointer %u\n", (unsigned long)ws, (unsigned)sizeof(void *));
    if (ws > memory_bytes) return fail("workspace", MF_ENOMEM);
    size_t arena_bytes = 0;
    err = mf_pipeline_plan(&fw.pipe, FW_FRAME_WIDTH, FW_FRAME_HEIGHT, MF_PIXEL_RGB888, memory, ws, &arena_bytes);
    if (err) return fail("plan pipeline", err);
    print_model("detector", &m->detector, mf_detector_stats(&fw.pipe.det), mf_model_input(&fw.pipe.det.model, 0));
    for (int i = 0; i < m->liveness_count; i++) {
        static const char *const roles[2] = {"liveness0", "liveness1"};
        print_model(roles[i], &m->liveness[i], mf_liveness_stats(&fw.pipe.lv, i),
                    mf_model_input(&fw.pipe.lv.models[i], 0));
    }
    print_model("recognizer", &m->recognizer, mf_recognizer_stats(&fw.pipe.rec), mf_model_input(&fw.pipe.rec.model, 0));
    /* The arenas: the detector's (both orientations) includes its candidate list, liveness's its
     * 80x80 crop, the recognizer's the 112x112 aligned face. */
    printf("memory frame %dx%d rgb %lu arena detector %lu liveness %lu recognizer %lu shared %lu\n", FW_FRAME_WIDTH,
           FW_FRAME_HEIGHT, (unsigned long)FW_FRAME_WIDTH * FW_FRAME_HEIGHT * 3,
           (unsigned long)mf_pipeline_arena_part(&fw.pipe, 0), (unsigned long)mf_pipeline_arena_part(&fw.pipe, 1),
           (unsigned long)mf_pipeline_arena_part(&fw.pipe, 2), (unsigned long)arena_bytes);
    size_t ws16 = (ws + 15) & ~(size_t)15;
    if (arena_bytes > memory_bytes - ws16) {
        printf("error arena needs %lu bytes, has %lu\n", (unsigned long)arena_bytes,
               (unsigned long)(memory_bytes - ws16));
        return MF_ENOMEM;
    }
    if ((err = mf_pipeline_bind(&fw.pipe, memory + ws16, arena_bytes)) != MF_OK) return fail("bind pipeline", err);
    return MF_OK;
}

static void print_face(const char *tag, int i, int j, const mf_face *f)
{
    float v[15];
    v[0] = f->score;
    memcpy(v + 1, f->box, sizeof f->box);
    memcpy(v + 5, f->landmarks, sizeof f->landmarks);
    printf("face %s%d.%d score", tag, i, j);
    put_fixed(v[0], 4);
    printf(" box");
    for (int k = 1; k < 5; k++) put_fixed(v[k], 2);
    printf(" landmarks");
    for (int k = 5; k < 15; k++) put_fixed(v[k], 2);
    put_bits(v, 15);
    printf("\n");
}

static void print_live(const char *tag, int i, int j, const mf_liveness_result *r)
{
    float v[1 + MF_LIVENESS_MAX_MODELS];
    v[0] = r->score;
    printf("live %s%d.%d score", tag, i, j);
    put_fixed(r->score, 4);
    printf(" models");
    for (int k = 0; k < r->model_count; k++) {
        put_fixed(r->model_scores[k], 4);
        v[1 + k] = r->model_scores[k];
    }
    printf(" %s", r->live ? "live" : "spoof");
    put_bits(v, 1 + r->model_count);
    printf("\n");
}

static void print_embedding(const char *tag, int i, int j, const float *e, int32_t dim)
{
    uint32_t crc = mf_crc32(0, (const uint8_t *)e, (size_t)dim * sizeof *e); /* little-endian on both sides */
    printf("embed %s%d.%d dim %ld crc %08lx first", tag, i, j, (long)dim, (unsigned long)crc);
    for (int k = 0; k < 4 && k < dim; k++) put_fixed(e[k], 4);
    put_bits(e, dim < 4 ? dim : 4);
    printf("\n");
}

/* Top-1 identity: id, name, score, accepted or not. */
static void print_match(const char *tag, int i, int j, const mf_pipeline_identity *who)
{
    if (!who->matched) {
        printf("match %s%d.%d none\n", tag, i, j);
        return;
    }
    printf("match %s%d.%d id %lu name %s score", tag, i, j, (unsigned long)who->id, who->name);
    put_fixed(who->score, 4);
    printf(" %s", who->accepted ? "accept" : "reject");
    put_bits(&who->score, 1);
    printf("\n");
}

/* The frame's work, for the `work` lines. */
static void count_work(const mf_pipeline_result *r)
{
    det_work.runs += (unsigned long)r->detector_ran;
    det_work.macs += r->detector_ran ? mf_detector_stats(&fw.pipe.det)->macs : 0;
    lv_work.runs += (unsigned long)r->liveness_runs;
    for (int j = 0; j < r->face_count; j++) /* the models each check ran: the cascade may skip the second */
        for (int k = 0; r->faces[j].liveness_ran && k < fw.pipe.lv.model_count; k++)
            if (r->faces[j].liveness.ran[k]) lv_work.macs += mf_liveness_stats(&fw.pipe.lv, k)->macs;
    rec_work.runs += (unsigned long)r->recognizer_runs;
    rec_work.macs += mf_recognizer_stats(&fw.pipe.rec)->macs * (unsigned long long)r->recognizer_runs;
}

static void print_faces(const char *tag, int i, const mf_pipeline_result *r, int32_t dim)
{
    for (int j = 0; j < r->face_count; j++) {
        const mf_pipeline_face *pf = &r->faces[j];
        print_face(tag, i, j, &pf->face);
        if (pf->liveness_ran) print_live(tag, i, j, &pf->liveness);
        if (pf->embedding) print_embedding(tag, i, j, pf->embedding, dim);
    }
}

/* One still image: enroll-* (the largest face, enrolled when live) or
 * probe-* (every face matched). */
static int run_image(int i, const fw_image *im, int32_t dim)
{
    int enroll = !strncmp(im->name, "enroll-", 7);
    if (!enroll && strncmp(im->name, "probe-", 6)) return fail("image name (enroll-* or probe-*)", MF_EINVAL);
    mf_pipeline_options opt = image_options(enroll ? MF_PIPELINE_SELECT_LARGEST : MF_PIPELINE_SELECT_ALL);
    int err = mf_pipeline_set_options(&fw.pipe, &opt);
    if (err) return fail("options", err);
    mf_frame frame;
    err = mf_frame_init(&frame, MF_PIXEL_RGB888, im->rgb, (size_t)im->width * im->height * 3, im->width, im->height, 0);
    if (err) return fail("image", err);
    mf_pipeline_result *r = &fw.result;
    err = mf_pipeline_process(&fw.pipe, &frame, r);
    fw_mark_report();
    if (err) return fail("pipeline", err);
    count_work(r);
    printf("image %d %s %ldx%ld faces %d detected %d ran detector %d liveness %d recognizer %d\n", i, im->name,
           (long)im->width, (long)im->height, r->face_count, r->detected, r->detector_ran, r->liveness_runs,
           r->recognizer_runs);
    print_faces("", i, r, dim);
    if (!enroll) {
        for (int j = 0; j < r->face_count; j++)
            if (r->faces[j].embedding) print_match("", i, j, &r->faces[j].identity);
        return MF_OK;
    }
    if (r->face_count < 1 || !r->faces[0].embedding) {
        printf("enroll %d refused %s\n", i, r->face_count < 1 ? "no face" : "spoof");
        return MF_OK;
    }
    uint32_t id = 0, existing = 0;
    fw_mark_match();
    err = mf_store_enroll(&fw.store, im->name + 7, r->faces[0].embedding, 1, 0, &id, &existing);
    fw_mark_report();
    if (err == MF_EEXIST) {
        printf("enroll %d.0 refused exists id %lu\n", i, (unsigned long)existing);
    } else if (err) {
        return fail("enroll", err);
    } else {
        printf("enroll %d.0 id %lu name %s\n", i, (unsigned long)id, im->name + 7);
    }
    return MF_OK;
}

/* Frame K of the moving-face sequence, made from PHOTO: a window of the
 * photo with the frame's aspect, (30 - k) / 30 of its width, panned from
 * the photo's right edge to its left one over the sequence (so the face
 * moves right and grows), resized to the whole FW_FRAME_WIDTH x
 * FW_FRAME_HEIGHT frame. Integer geometry and the library's bilinear
 * resize: the same pixels on both platforms. Writes the window (x, y,
 * width, height) to WINDOW. */
static int make_sequence_frame(const fw_image *photo, int k, uint8_t *pixels, mf_frame *frame, int32_t window[4])
{
    int32_t w = photo->width * (30 - k) / 30, h = w * FW_FRAME_HEIGHT / FW_FRAME_WIDTH;
    if (h > photo->height) {
        h = photo->height * (30 - k) / 30;
        w = h * FW_FRAME_WIDTH / FW_FRAME_HEIGHT;
    }
    int32_t x = (photo->width - w) * (FW_SEQUENCE_FRAMES - 1 - k) / (FW_SEQUENCE_FRAMES - 1);
    int32_t y = (photo->height - h) / 2;
    mf_image src, view, dst;
    int err = mf_image_init(&src, (void *)(uintptr_t)photo->rgb, (size_t)photo->width * photo->height * 3,
                            photo->width, photo->height, 3);
    if (!err) err = mf_image_crop_view(&src, x, y, w, h, &view);
    if (!err) err = mf_image_init(&dst, pixels, (size_t)FW_FRAME_WIDTH * FW_FRAME_HEIGHT * 3, FW_FRAME_WIDTH,
                                  FW_FRAME_HEIGHT, 3);
    if (!err) err = mf_resize_bilinear(&view, &dst);
    if (!err)
        err = mf_frame_init(frame, MF_PIXEL_RGB888, pixels, (size_t)FW_FRAME_WIDTH * FW_FRAME_HEIGHT * 3,
                            FW_FRAME_WIDTH, FW_FRAME_HEIGHT, 0);
    window[0] = x;
    window[1] = y;
    window[2] = w;
    window[3] = h;
    return err;
}

static void print_track(int k, int j, const mf_pipeline_face *pf)
{
    float v[6] = {pf->face.box[0], pf->face.box[1], pf->face.box[2], pf->face.box[3], pf->live_score,
                  pf->identity.score};
    printf("track %d.%d id %lu box", k, j, (unsigned long)pf->track_id);
    for (int q = 0; q < 4; q++) put_fixed(v[q], 2);
    printf(" ran liveness %d recognizer %d live", pf->liveness_ran, pf->recognizer_ran);
    put_fixed(pf->live_score, 4);
    printf(" %s identity", pf->live < 0 ? "unknown" : pf->live ? "live" : "spoof");
    if (pf->identity.matched) {
        printf(" %lu %s", (unsigned long)pf->identity.id, pf->identity.name);
        put_fixed(pf->identity.score, 4);
        printf(" %s", pf->identity.accepted ? "accept" : "reject");
    } else {
        printf(" none");
    }
    put_bits(v, 6);
    printf("\n");
}

/* The tracked sequence: tracking on, re-checks at birth, every
 * FW_SEQUENCE_INTERVAL frames and when the face grew FW_SEQUENCE_GROW times
 * or turned 15 degrees; per frame which networks ran and the tracks'
 * decisions. */
static int run_sequence(const fw_image *photo, uint8_t *pixels, int32_t dim)
{
    mf_pipeline_options opt = image_options(MF_PIPELINE_SELECT_ALL);
    opt.tracking = 1;
    opt.recheck_interval = FW_SEQUENCE_INTERVAL;
    opt.recheck_grow_ratio = FW_SEQUENCE_GROW;
    int err = mf_pipeline_set_options(&fw.pipe, &opt);
    if (!err) err = mf_pipeline_reset_tracks(&fw.pipe);
    if (err) return fail("options", err);
    printf("sequence %s frames %d size %dx%d interval %d grow", photo->name, FW_SEQUENCE_FRAMES, FW_FRAME_WIDTH,
           FW_FRAME_HEIGHT, opt.recheck_interval);
    put_fixed(opt.recheck_grow_ratio, 2);
    printf(" turn");
    put_fixed(opt.recheck_turn_degrees, 1);
    printf("\n");
    for (int k = 0; k < FW_SEQUENCE_FRAMES; k++) {
        mf_frame frame;
        int32_t place[4];
        fw_mark_setup();
        if ((err = make_sequence_frame(photo, k, pixels, &frame, place)) != MF_OK) return fail("sequence frame", err);
        mf_pipeline_result *r = &fw.result;
        err = mf_pipeline_process(&fw.pipe, &frame, r);
        fw_mark_report();
        if (err) return fail("pipeline", err);
        count_work(r);
        printf("frame %d window %ld %ld %ldx%ld ran detector %d liveness %d recognizer %d faces %d tracks %d\n", k,
               (long)place[0], (long)place[1], (long)place[2], (long)place[3], r->detector_ran, r->liveness_runs,
               r->recognizer_runs, r->face_count, r->tracks_active);
        print_faces("s", k, r, dim);
        for (int j = 0; j < r->face_count; j++) print_track(k, j, &r->faces[j]);
    }
    return MF_OK;
}

int fw_report_run(const fw_models *models, const fw_image *images, int count, void *memory, size_t memory_bytes)
{
    const size_t frame_bytes = (size_t)FW_FRAME_WIDTH * FW_FRAME_HEIGHT * 3;
    if (!models || !images || count < 0 || !memory || ((uintptr_t)memory & 15) || models->liveness_count < 1 ||
        models->liveness_count > 2 || memory_bytes < frame_bytes + 16)
        return fail("arguments", MF_EINVAL);
    fw_mark_setup();
    printf("mcuface pipeline report 2\n");
    /* The sequence's frame buffer at the top of MEMORY; the pipeline below it. */
    uint8_t *pixels = (uint8_t *)memory + ((memory_bytes - frame_bytes) & ~(size_t)15);
    size_t pipeline_bytes = (size_t)(pixels - (uint8_t *)memory);
    int err = setup_pipeline(models, memory, pipeline_bytes);
    if (err) return err;
    if ((err = setup_store(mf_pipeline_verify_threshold(&fw.pipe))) != MF_OK) return err;
    int32_t dim = mf_pipeline_embedding_dim(&fw.pipe);
    printf("recognizer dim %ld threshold", (long)dim);
    put_fixed(mf_pipeline_verify_threshold(&fw.pipe), 4);
    printf(" liveness threshold");
    put_fixed(mf_pipeline_liveness_threshold(&fw.pipe), 4);
    printf(" identify threshold");
    put_fixed(mf_pipeline_identify_threshold(&fw.pipe), 4);
    printf("\n");
    if (dim != MF_STORE_DIM) return fail("recognizer dim", MF_EUNSUPPORTED);
    memset(&det_work, 0, sizeof det_work);
    memset(&lv_work, 0, sizeof lv_work);
    memset(&rec_work, 0, sizeof rec_work);
    const fw_image *first_probe = NULL;
    for (int i = 0; i < count; i++) {
        fw_mark_setup();
        if ((err = run_image(i, &images[i], dim)) != MF_OK) return err;
        if (!first_probe && !strncmp(images[i].name, "probe-", 6)) first_probe = &images[i];
    }
    if (first_probe && (err = run_sequence(first_probe, pixels, dim)) != MF_OK) return err;
    fw_mark_report();
    printf("store identities %d flash crc %08lx\n", mf_store_count(&fw.store),
           (unsigned long)mf_crc32(0, fw.flash_mem, sizeof fw.flash_mem));
    printf("work detector runs %lu macs %llu\n", det_work.runs, det_work.macs);
    printf("work liveness runs %lu macs %llu\n", lv_work.runs, lv_work.macs);
    printf("work recognizer runs %lu macs %llu\n", rec_work.runs, rec_work.macs);
    mf_store_crypto_soft_wipe(&fw.crypto_state);
    printf("done\n");
    return MF_OK;
}
