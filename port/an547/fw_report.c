#include "fw_report.h"
#include "mcuface/mf_detect.h"
#include "mcuface/mf_status.h"
#include <stdio.h>
#include <string.h>

#define FW_MAX_FACES 64

/* noipa: an empty function would otherwise be found const and its call
 * deleted, and the plugin would never see it run. */
__attribute__((noinline, noipa)) void fw_mark_detect_begin(void) { __asm__ volatile("" ::: "memory"); }
__attribute__((noinline, noipa)) void fw_mark_detect_end(void) { __asm__ volatile("" ::: "memory"); }

static size_t align16(size_t n) { return (n + 15) & ~(size_t)15; }

static uint32_t float_bits(float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return u;
}

static int fail(const char *what, int err)
{
    printf("error %s %d %s\n", what, err, mf_status_str(err));
    return err;
}

static void print_face(int j, const mf_face *f)
{
    float v[15];
    v[0] = f->score;
    memcpy(v + 1, f->box, sizeof f->box);
    memcpy(v + 5, f->landmarks, sizeof f->landmarks);
    printf("face %d d", j);
    for (int k = 0; k < 15; k++) printf(k ? " %.2f" : " %.5f", (double)v[k]);
    printf(" h");
    for (int k = 0; k < 15; k++) printf(" %08lx", (unsigned long)float_bits(v[k]));
    printf("\n");
}

int fw_report_run(const void *model, size_t model_bytes, const fw_image *images, int count, void *memory,
                  size_t memory_bytes)
{
    static mf_detector det; /* large (holds the model's tables): keep it off the stack */
    static mf_face faces[FW_MAX_FACES];
    if (!images || count < 0 || !memory || ((uintptr_t)memory & 15)) return fail("arguments", MF_EINVAL);
    int err = mf_detector_open(&det, model, model_bytes);
    if (err) return fail("open", err);
    size_t ws_bytes = align16(mf_detector_workspace_bytes(&det));
    if (ws_bytes > memory_bytes) return fail("workspace", MF_ENOMEM);
    uint8_t *ws = memory, *arena = ws + ws_bytes;
    size_t arena_room = memory_bytes - ws_bytes;
    for (int i = 0; i < count; i++) {
        const fw_image *im = &images[i];
        size_t arena_bytes = 0;
        err = mf_detector_plan(&det, im->width, im->height, ws, ws_bytes, &arena_bytes);
        if (err) return fail("plan", err);
        if (arena_bytes > arena_room) {
            printf("error arena needs %lu bytes, has %lu\n", (unsigned long)arena_bytes, (unsigned long)arena_room);
            return MF_ENOMEM;
        }
        if ((err = mf_detector_bind(&det, arena, arena_bytes)) != MF_OK) return fail("bind", err);
        const mf_model_stats *st = mf_detector_stats(&det);
        if (i == 0) {
            /* No PRIu64: newlib's <inttypes.h> hides it under strict -std=c11. */
            printf("model weights %llu params %llu ops %lu\n", (unsigned long long)st->weight_bytes,
                   (unsigned long long)st->param_count, (unsigned long)st->op_count);
            /* The tensor table holds pointers: its size is the platform's. */
            printf("info workspace %lu pointer %u\n", (unsigned long)ws_bytes, (unsigned)sizeof(void *));
        }
        unsigned long long macs = st->macs;
        mf_image img;
        err = mf_image_init(&img, (void *)(uintptr_t)im->rgb, (size_t)im->width * im->height * 3, im->width,
                            im->height, 3);
        if (err) return fail("image", err);
        mf_detect_options opt = mf_detect_default_options();
        fw_mark_detect_begin();
        int n = mf_detect(&det, &img, &opt, faces, FW_MAX_FACES);
        fw_mark_detect_end();
        if (n < 0) return fail("detect", n);
        printf("image %d %s %dx%d macs %llu arena %lu faces %d\n", i, im->name, (int)im->width, (int)im->height,
               macs, (unsigned long)arena_bytes, n);
        for (int j = 0; j < n && j < FW_MAX_FACES; j++) print_face(j, &faces[j]);
    }
    printf("done\n");
    return MF_OK;
}
