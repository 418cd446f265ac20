/* Frame in, names out, on a Linux host, with only the public API
 * (include/mcuface) and C's stdio:
 *   host_minimal DET LIVE_V2 LIVE_V1SE RECOGNIZER WIDTH HEIGHT NAME=ENROLL.rgb... PROBE.rgb
 * Model files: build/models/NAME_int8.mfm. Frames: raw RGB888, WIDTH x HEIGHT
 * (tools/fwref's `prepare` writes them; `convert x.jpg -depth 8 rgb:x.rgb`
 * too). Each NAME=FRAME enrolls the largest live face of FRAME as NAME;
 * then every face of PROBE is printed with its name or "unknown".
 * The store lives in this process's RAM and dies with it; it is sealed with
 * the portable AES-256-GCM hook (mcuface/mf_crypto_soft.h) under a key made
 * up here: a device uses its hardware key and TRNG instead. */
#include "mcuface/mf_crypto_soft.h"
#include "mcuface/mf_pipeline.h"
#include "mcuface/mf_status.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *read_file(const char *path, size_t *size) /* 16-byte aligned: models are used in place */
{
    FILE *f = fopen(path, "rb");
    long n = f && fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
    void *data = n > 0 ? aligned_alloc(16, ((size_t)n + 15) & ~(size_t)15) : NULL;
    if (data && (fseek(f, 0, SEEK_SET) || fread(data, 1, (size_t)n, f) != (size_t)n)) data = (free(data), NULL);
    if (f) fclose(f);
    if (!data) fprintf(stderr, "host_minimal: cannot read %s\n", path);
    *size = (size_t)n;
    return data;
}

static int counter_nonce(void *c, uint8_t *buf, size_t len) /* unique under this process's key; a device: its TRNG */
{
    for (size_t i = 0; i < len; i++) buf[i] = (uint8_t)(++*(uint32_t *)c >> (8 * (i % 4)));
    return MF_OK;
}

static int run_frame(mf_pipeline *pipe, const char *path, int32_t w, int32_t h, mf_pipeline_result *r)
{
    size_t size;
    void *pixels = read_file(path, &size);
    mf_frame frame;
    int err = pixels ? mf_frame_init(&frame, MF_PIXEL_RGB888, pixels, size, w, h, 0) : MF_ENOTFOUND;
    if (!err) err = mf_pipeline_process(pipe, &frame, r);
    free(pixels);
    if (err) fprintf(stderr, "host_minimal: %s: %s\n", path, mf_status_str(err));
    return err;
}

int main(int argc, char **argv)
{
    if (argc < 8) {
        fprintf(stderr, "usage: host_minimal DET LIVE_V2 LIVE_V1SE RECOGNIZER W H [NAME=ENROLL.rgb...] PROBE.rgb\n");
        return 2;
    }
    mf_pipeline_models models = {.liveness_count = 2};
    mf_pipeline_blob *blobs[4] = {&models.detector, &models.liveness[0], &models.liveness[1], &models.recognizer};
    for (int i = 0; i < 4; i++)
        if (!(blobs[i]->data = read_file(argv[1 + i], &blobs[i]->size))) return 1;
    int32_t w = atoi(argv[5]), h = atoi(argv[6]);

    /* the store: 4 sectors of RAM flash, 16 identities */
    static uint8_t flash_mem[4 * 4096];
    static uint64_t store_ram[16384];
    static mf_flash_ram ram;
    static mf_flash flash;
    static mf_store store;
    static mf_store_crypto_soft aes;
    uint8_t key[MF_STORE_KEY_BYTES] = {42}; /* a demo key for a RAM store */
    uint32_t nonce = 0;
    mf_store_crypto crypto;
    int err = mf_store_crypto_soft_init(&aes, key, counter_nonce, &nonce, &crypto);
    if (!err) err = mf_flash_ram_init(&ram, flash_mem, 4096, 4, 16, &flash);
    mf_flash_ram_format(&flash);
    mf_store_config cfg = {.flash = &flash, .crypto = &crypto, .ram = store_ram, .ram_size = sizeof store_ram,
                           .max_identities = 16, .max_templates = 16};
    if (!err) err = mf_store_mount(&store, &cfg, NULL);

    /* the pipeline: open, plan for W x H frames, one arena */
    static mf_pipeline pipe;
    static mf_pipeline_result r;
    mf_pipeline_options opt = mf_pipeline_default_options();
    opt.tracking = 0; /* still frames: every network on every face */
    size_t arena_bytes = 0;
    void *ws = NULL, *arena = NULL;
    if (!err) err = mf_pipeline_open(&pipe, &models, &store, &opt);
    if (!err && !(ws = aligned_alloc(16, (mf_pipeline_workspace_bytes(&pipe) + 15) & ~(size_t)15))) err = MF_ENOMEM;
    if (!err) err = mf_pipeline_plan(&pipe, w, h, MF_PIXEL_RGB888, ws, mf_pipeline_workspace_bytes(&pipe), &arena_bytes);
    if (!err && !(arena = aligned_alloc(16, arena_bytes))) err = MF_ENOMEM;
    if (!err) err = mf_pipeline_bind(&pipe, arena, arena_bytes);
    if (err) {
        fprintf(stderr, "host_minimal: setup: %s\n", mf_status_str(err));
        return 1;
    }

    /* enroll: the largest face of each NAME=FRAME, if live */
    for (int i = 7; i < argc - 1 && !err; i++) {
        char *eq = strchr(argv[i], '=');
        opt.select = MF_PIPELINE_SELECT_LARGEST;
        if (!eq || mf_pipeline_set_options(&pipe, &opt) || run_frame(&pipe, eq + 1, w, h, &r)) return 1;
        *eq = 0;
        uint32_t id;
        if (r.face_count == 1 && r.faces[0].embedding)
            err = mf_store_enroll(&store, argv[i], r.faces[0].embedding, 1, 0, &id, NULL);
        printf("enroll %s: %s\n", argv[i], r.face_count < 1 ? "no face" : !r.faces[0].embedding ? "spoof" : mf_status_str(err));
        err = MF_OK;
    }

    /* identify: every face of PROBE */
    opt.select = MF_PIPELINE_SELECT_ALL;
    if (mf_pipeline_set_options(&pipe, &opt) || run_frame(&pipe, argv[argc - 1], w, h, &r)) return 1;
    for (int j = 0; j < r.face_count; j++) {
        const mf_pipeline_face *f = &r.faces[j];
        printf("face %d box %.0f %.0f %.0f %.0f live %.3f %s\n", j, f->face.box[0], f->face.box[1], f->face.box[2],
               f->face.box[3], f->live_score,
               f->live == 0 ? "spoof" : f->identity.accepted ? f->identity.name : "unknown");
    }
    mf_store_crypto_soft_wipe(&aes);
    free(ws);
    free(arena);
    for (int i = 0; i < 4; i++) free((void *)blobs[i]->data);
    return 0;
}
