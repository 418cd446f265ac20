/* The firmware's detection report: runs the face detector on a list of raw
 * RGB888 images and prints one line per image and per face. Portable C (only
 * printf): the firmware and the host reference (tools/fwref) both compile
 * this file, so the two texts can only differ in the numbers. */
#ifndef MCUFACE_FW_REPORT_H
#define MCUFACE_FW_REPORT_H
#include <stddef.h>
#include <stdint.h>

typedef struct fw_image {
    const char *name;
    const uint8_t *rgb; /* tightly packed RGB888, width * height * 3 bytes */
    int32_t width, height;
} fw_image;

/* Opens the detector MODEL (used in place, 16-byte aligned), then for each
 * image plans at the image's own size (the network sees the pixels as they
 * are; no resize), detects with the default options and prints:
 *   model weights W params P ops O
 *   info workspace S pointer P          (platform-dependent, not compared)
 *   image I NAME WxH macs M arena A faces N   (MACs and arena of this size)
 *   face J d SCORE X1 Y1 X2 Y2 L0..L9 h SCORE X1 ... L9   (h: float bits in hex)
 *   done
 * MEMORY (caller-owned, 16-byte aligned) holds the workspace and the arena;
 * when it is too small the line names the bytes needed. Returns MF_OK or the
 * first negative mf_status (also printed as `error ...`). */
int fw_report_run(const void *model, size_t model_bytes, const fw_image *images, int count, void *memory,
                  size_t memory_bytes);

/* Empty functions called around each mf_detect: the instruction-counting
 * plugin (bench/qemu_plugin) switches regions when they execute. */
void fw_mark_detect_begin(void);
void fw_mark_detect_end(void);
#endif
