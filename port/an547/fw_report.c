#include "fw_report.h"
#include "crc32.h"
#include "mcuface/mf_detect.h"
#include "mcuface/mf_flash.h"
#include "mcuface/mf_liveness.h"
#include "mcuface/mf_recognize.h"
#include "mcuface/mf_status.h"
#include "mcuface/mf_store.h"
#include "store_crypto_soft.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

#define FW_MAX_FACES 16
#define FW_PIPELINE_FACES 4 /* faces per image that go through liveness and recognition */
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

static size_t align16(size_t n) { return (n + 15) & ~(size_t)15; }

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

/* Everything the run keeps outside the shared arena (static: large). */
static struct {
    mf_detector det;
    mf_liveness lv;
    mf_recognizer rec;
    mf_face faces[FW_MAX_FACES];
    mf_liveness_result live[FW_PIPELINE_FACES];
    uint8_t aligned[MF_ALIGNED_SIZE * MF_ALIGNED_SIZE * 3];
    float embedding[MF_EMBEDDING_MAX_DIM];
    float enroll_embedding[MF_EMBEDDING_MAX_DIM];
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

/* Opens and plans every model; workspaces at the start of MEMORY, the
 * shared arena after them. */
static int setup_models(const fw_models *m, uint8_t *memory, size_t memory_bytes, uint8_t **arena,
                        size_t *arena_room, size_t *det_ws_bytes)
{
    int err = mf_detector_open(&fw.det, m->detector.data, m->detector.bytes);
    if (err) return fail("open detector", err);
    const void *lv_blobs[2] = {m->liveness[0].data, m->liveness[1].data};
    size_t lv_sizes[2] = {m->liveness[0].bytes, m->liveness[1].bytes};
    if ((err = mf_liveness_open(&fw.lv, lv_blobs, lv_sizes, m->liveness_count)) != MF_OK)
        return fail("open liveness", err);
    if ((err = mf_recognizer_open(&fw.rec, m->recognizer.data, m->recognizer.bytes)) != MF_OK)
        return fail("open recognizer", err);
    size_t det_ws = align16(mf_detector_workspace_bytes(&fw.det));
    size_t lv_ws = align16(mf_liveness_workspace_bytes(&fw.lv));
    size_t rec_ws = align16(mf_recognizer_workspace_bytes(&fw.rec));
    size_t ws = det_ws + lv_ws + rec_ws;
    printf("info workspace detector %lu liveness %lu recognizer %lu total %lu pointer %u\n", (unsigned long)det_ws,
           (unsigned long)lv_ws, (unsigned long)rec_ws, (unsigned long)ws, (unsigned)sizeof(void *));
    if (ws > memory_bytes) return fail("workspace", MF_ENOMEM);
    size_t det_arena = 0, lv_arena = 0, rec_arena = 0;
    if ((err = mf_detector_plan(&fw.det, FW_FRAME_WIDTH, FW_FRAME_HEIGHT, memory, det_ws, &det_arena)) != MF_OK)
        return fail("plan detector", err);
    print_model("detector", &m->detector, mf_detector_stats(&fw.det), mf_model_input(&fw.det.model, 0));
    if ((err = mf_liveness_plan(&fw.lv, memory + det_ws, lv_ws, &lv_arena)) != MF_OK)
        return fail("plan liveness", err);
    for (int i = 0; i < m->liveness_count; i++) {
        static const char *const roles[2] = {"liveness0", "liveness1"};
        print_model(roles[i], &m->liveness[i], mf_liveness_stats(&fw.lv, i), mf_model_input(&fw.lv.models[i], 0));
    }
    if ((err = mf_recognizer_plan(&fw.rec, memory + det_ws + lv_ws, rec_ws, &rec_arena)) != MF_OK)
        return fail("plan recognizer", err);
    print_model("recognizer", &m->recognizer, mf_recognizer_stats(&fw.rec), mf_model_input(&fw.rec.model, 0));
    printf("recognizer dim %ld threshold", (long)mf_recognizer_dim(&fw.rec));
    put_fixed(mf_recognizer_threshold(&fw.rec), 4);
    printf(" liveness threshold");
    put_fixed(mf_liveness_threshold(&fw.lv), 4);
    printf("\n");
    size_t peak = det_arena > lv_arena ? det_arena : lv_arena;
    if (rec_arena > peak) peak = rec_arena;
    /* The user arenas: the detector's includes its candidate list, liveness's its 80x80 crop. */
    printf("memory frame %dx%d rgb %lu arena detector %lu liveness %lu recognizer %lu shared %lu\n", FW_FRAME_WIDTH,
           FW_FRAME_HEIGHT, (unsigned long)FW_FRAME_WIDTH * FW_FRAME_HEIGHT * 3, (unsigned long)det_arena,
           (unsigned long)lv_arena, (unsigned long)rec_arena, (unsigned long)peak);
    *arena = memory + ws;
    *arena_room = memory_bytes - ws;
    if (peak > *arena_room) {
        printf("error arena needs %lu bytes, has %lu\n", (unsigned long)peak, (unsigned long)*arena_room);
        return MF_ENOMEM;
    }
    /* The models run one after another, so all of them use the same arena. */
    if ((err = mf_liveness_bind(&fw.lv, *arena, lv_arena)) != MF_OK) return fail("bind liveness", err);
    if ((err = mf_recognizer_bind(&fw.rec, *arena, rec_arena)) != MF_OK) return fail("bind recognizer", err);
    *det_ws_bytes = det_ws;
    return MF_OK;
}

static float box_area(const mf_face *f) { return (f->box[2] - f->box[0]) * (f->box[3] - f->box[1]); }

static void print_face(int i, int j, const mf_face *f)
{
    float v[15];
    v[0] = f->score;
    memcpy(v + 1, f->box, sizeof f->box);
    memcpy(v + 5, f->landmarks, sizeof f->landmarks);
    printf("face %d.%d score", i, j);
    put_fixed(v[0], 4);
    printf(" box");
    for (int k = 1; k < 5; k++) put_fixed(v[k], 2);
    printf(" landmarks");
    for (int k = 5; k < 15; k++) put_fixed(v[k], 2);
    put_bits(v, 15);
    printf("\n");
}

static void print_live(int i, int j, const mf_liveness_result *r)
{
    float v[1 + MF_LIVENESS_MAX_MODELS];
    v[0] = r->score;
    printf("live %d.%d score", i, j);
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

static void print_embedding(int i, int j, const float *e, int32_t dim)
{
    uint32_t crc = mf_crc32(0, (const uint8_t *)e, (size_t)dim * sizeof *e); /* little-endian on both sides */
    printf("embed %d.%d dim %ld crc %08lx first", i, j, (long)dim, (unsigned long)crc);
    for (int k = 0; k < 4 && k < dim; k++) put_fixed(e[k], 4);
    put_bits(e, dim < 4 ? dim : 4);
    printf("\n");
}

/* Top-1 identity of the embedding: id, name, score, accepted or not. */
static int match_face(int i, int j, const float *embedding, float threshold)
{
    mf_store_match best;
    fw_mark_match();
    int n = mf_store_identify(&fw.store, embedding, 0.0f, &best, 1); /* 0: the best even below threshold */
    if (n < 0) return fail("identify", n);
    mf_store_identity who;
    int err = n ? mf_store_find_id(&fw.store, best.id, &who) : MF_OK;
    if (err) return fail("identity", err);
    fw_mark_report();
    if (!n) {
        printf("match %d.%d none\n", i, j);
        return MF_OK;
    }
    printf("match %d.%d id %lu name %s score", i, j, (unsigned long)best.id, who.name);
    put_fixed(best.score, 4);
    printf(" %s", best.score >= threshold ? "accept" : "reject");
    put_bits(&best.score, 1);
    printf("\n");
    return MF_OK;
}

int fw_report_run(const fw_models *models, const fw_image *images, int count, void *memory, size_t memory_bytes)
{
    if (!models || !images || count < 0 || !memory || ((uintptr_t)memory & 15) || models->liveness_count < 1 ||
        models->liveness_count > 2)
        return fail("arguments", MF_EINVAL);
    fw_mark_setup();
    printf("mcuface pipeline report 1\n");
    uint8_t *arena = NULL;
    size_t arena_room = 0, det_ws = 0;
    int err = setup_models(models, memory, memory_bytes, &arena, &arena_room, &det_ws);
    if (err) return err;
    float threshold = mf_recognizer_threshold(&fw.rec);
    if ((err = setup_store(threshold)) != MF_OK) return err;
    int32_t dim = mf_recognizer_dim(&fw.rec);
    if (dim != MF_STORE_DIM) return fail("recognizer dim", MF_EUNSUPPORTED);
    fw_work det_work = {0, 0}, lv_work = {0, 0}, rec_work = {0, 0};
    unsigned long long lv_macs = 0;
    for (int k = 0; k < models->liveness_count; k++) lv_macs += mf_liveness_stats(&fw.lv, k)->macs;
    unsigned long long rec_macs = mf_recognizer_stats(&fw.rec)->macs;
    size_t arena_peak = 0;

    for (int i = 0; i < count; i++) {
        const fw_image *im = &images[i];
        int enroll = !strncmp(im->name, "enroll-", 7);
        if (!enroll && strncmp(im->name, "probe-", 6)) return fail("image name (enroll-* or probe-*)", MF_EINVAL);
        fw_mark_setup();
        size_t det_arena = 0;
        if ((err = mf_detector_plan(&fw.det, im->width, im->height, memory, det_ws, &det_arena)) != MF_OK)
            return fail("plan detector", err);
        if (det_arena > arena_room) {
            printf("error arena needs %lu bytes, has %lu\n", (unsigned long)det_arena, (unsigned long)arena_room);
            return MF_ENOMEM;
        }
        if (det_arena > arena_peak) arena_peak = det_arena;
        if ((err = mf_detector_bind(&fw.det, arena, det_arena)) != MF_OK) return fail("bind detector", err);
        mf_image img;
        err = mf_image_init(&img, (void *)(uintptr_t)im->rgb, (size_t)im->width * im->height * 3, im->width,
                            im->height, 3);
        if (err) return fail("image", err);
        mf_detect_options opt = mf_detect_default_options();
        fw_mark_detect();
        int n = mf_detect(&fw.det, &img, &opt, fw.faces, FW_MAX_FACES);
        fw_mark_report();
        if (n < 0) return fail("detect", n);
        det_work.runs++;
        det_work.macs += mf_detector_stats(&fw.det)->macs;
        if (n > FW_MAX_FACES) n = FW_MAX_FACES;
        printf("image %d %s %ldx%ld arena %lu faces %d\n", i, im->name, (long)im->width, (long)im->height,
               (unsigned long)det_arena, n);
        int chosen = -1; /* enroll images: the largest live face */
        for (int j = 0; j < n && j < FW_PIPELINE_FACES; j++) {
            const mf_face *f = &fw.faces[j];
            print_face(i, j, f);
            fw_mark_liveness();
            err = mf_liveness_check(&fw.lv, &img, f, &fw.live[j]);
            fw_mark_report();
            if (err) return fail("liveness", err);
            lv_work.runs++;
            lv_work.macs += lv_macs;
            print_live(i, j, &fw.live[j]);
            if (!fw.live[j].live) continue; /* a spoof is never recognized */
            mf_image aligned;
            fw_mark_align();
            err = mf_image_init(&aligned, fw.aligned, sizeof fw.aligned, MF_ALIGNED_SIZE, MF_ALIGNED_SIZE, 3);
            if (!err) err = mf_align_face(&img, f->landmarks, &aligned);
            if (err) return fail("align", err);
            fw_mark_embed();
            err = mf_embed(&fw.rec, &aligned, fw.embedding, dim);
            fw_mark_report();
            if (err) return fail("embed", err);
            rec_work.runs++;
            rec_work.macs += rec_macs;
            print_embedding(i, j, fw.embedding, dim);
            if (enroll) {
                if (chosen < 0 || box_area(f) > box_area(&fw.faces[chosen])) {
                    chosen = j;
                    memcpy(fw.enroll_embedding, fw.embedding, sizeof fw.embedding);
                }
            } else if ((err = match_face(i, j, fw.embedding, threshold)) != MF_OK) {
                return err;
            }
        }
        if (!enroll) continue;
        if (chosen < 0) {
            printf("enroll %d refused no live face\n", i);
            continue;
        }
        uint32_t id = 0, existing = 0;
        fw_mark_match();
        err = mf_store_enroll(&fw.store, im->name + 7, fw.enroll_embedding, 1, 0, &id, &existing);
        fw_mark_report();
        if (err == MF_EEXIST) {
            printf("enroll %d.%d refused exists id %lu\n", i, chosen, (unsigned long)existing);
        } else if (err) {
            return fail("enroll", err);
        } else {
            printf("enroll %d.%d id %lu name %s\n", i, chosen, (unsigned long)id, im->name + 7);
        }
    }
    fw_mark_report();
    printf("store identities %d flash crc %08lx\n", mf_store_count(&fw.store),
           (unsigned long)mf_crc32(0, fw.flash_mem, sizeof fw.flash_mem));
    printf("work detector runs %lu macs %llu\n", det_work.runs, det_work.macs);
    printf("work liveness runs %lu macs %llu\n", lv_work.runs, lv_work.macs);
    printf("work recognizer runs %lu macs %llu\n", rec_work.runs, rec_work.macs);
    printf("memory detector arena peak over images %lu\n", (unsigned long)arena_peak);
    mf_store_crypto_soft_wipe(&fw.crypto_state);
    printf("done\n");
    return MF_OK;
}
