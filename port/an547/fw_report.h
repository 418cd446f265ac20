/* The firmware's pipeline report: mf_pipeline (detect, liveness, align,
 * embed, match against a small enrolled store, tracking) on raw RGB888 test
 * images and a short tracked sequence, printed line by line. Portable C
 * (only printf): the firmware and the host reference (tools/fwref) both
 * compile this file, so the two texts can only differ where the arithmetic
 * differs, and for int8 models they must not differ at all
 * (scripts/run_m55.sh compares them byte for byte). */
#ifndef MCUFACE_FW_REPORT_H
#define MCUFACE_FW_REPORT_H
#include <stddef.h>
#include <stdint.h>

/* The network input the detector is sized for (a VGA camera frame halved):
 * the memory report plans at this size, and test images fit inside it. */
#define FW_FRAME_WIDTH 320
#define FW_FRAME_HEIGHT 240

typedef struct fw_blob {
    const void *data; /* a model file, 16-byte aligned, used in place */
    size_t bytes;
} fw_blob;

typedef struct fw_models {
    fw_blob detector;
    fw_blob liveness[2]; /* MiniFASNetV2, MiniFASNetV1SE */
    int liveness_count;  /* 1 or 2 */
    fw_blob recognizer;
} fw_models;

/* NAME is "enroll-IDENTITY" (the largest live face is enrolled as
 * IDENTITY) or "probe-LABEL" (every face is matched against the store). */
typedef struct fw_image {
    const char *name;
    const uint8_t *rgb; /* tightly packed RGB888, width * height * 3 bytes */
    int32_t width, height;
} fw_image;

/* Opens and plans the pipeline (include/mcuface/mf_pipeline.h: the one
 * composition of detect, liveness, align, embed and match), mounts an empty
 * store on a RAM flash (keyed by a fixed test key, deterministic nonces),
 * then for each image in order, without tracking: enroll images: the
 * largest face, enrolled when live; probe images: every face (at most 4),
 * matched (top-1 identity, accepted at the recognizer's threshold). Then a
 * tracked sequence of 8 frames made from the first probe image (scaled and
 * moved across a 320x240 frame): per frame the track ids, which networks
 * ran and the tracks' liveness and identity decisions. MEMORY (caller-owned,
 * 16-byte aligned) holds the pipeline's workspace, its one arena and the
 * sequence's frame; the pipeline struct, the results and the store live
 * outside it. Lines starting with "info " hold platform facts (workspace
 * bytes, pointer size) and are not compared. Returns MF_OK or the first
 * negative mf_status (also printed as `error ...`). */
int fw_report_run(const fw_models *models, const fw_image *images, int count, void *memory, size_t memory_bytes);

/* Empty functions called at the start of each stage: the
 * instruction-counting plugin (bench/qemu_plugin) switches regions when
 * they execute (bench/m55_insn_count.sh). */
void fw_mark_setup(void);
void fw_mark_detect(void);
void fw_mark_liveness(void);
void fw_mark_align(void);
void fw_mark_embed(void);
void fw_mark_match(void);
void fw_mark_report(void);
#endif
