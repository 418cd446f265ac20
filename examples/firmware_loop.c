/* The minimal firmware loop: static buffers, a camera callback, and
 * mf_pipeline_process per frame, with only the public API
 * (include/mcuface). The board provides the pieces declared extern below
 * (model files in flash, the camera driver, the store's flash device and
 * AES-256-GCM hook, an output); scripts/check_m55_compile.sh compiles this
 * file for the Cortex-M55 (port/an547 is a complete, running firmware).
 *
 * Memory: one 320x240 RGB565 frame buffer (the camera writes it by DMA),
 * the pipeline's workspace and its one arena, all static. */
#include "mcuface/mf_pipeline.h"
#include "mcuface/mf_status.h"
#include <stdint.h>

#define FRAME_W 320
#define FRAME_H 240
#define FRAME_FORMAT MF_PIXEL_RGB565 /* what the camera interface writes; the stages sample it directly */
#define FRAME_BYTES (FRAME_W * FRAME_H * 2)
#define WORKSPACE_BYTES (512u * 1024u)
#define ARENA_BYTES (640u * 1024u)

/* ---- board side (not part of mcuface) ---- */
extern const mf_pipeline_models board_models;     /* detector, 2 liveness, recognizer in flash */
extern mf_store *board_store(void);               /* mounted store (flash device + AES-GCM hook) */
extern void board_camera_start(uint8_t *buffer, uint32_t bytes, void (*done)(void)); /* one frame by DMA */
extern void board_report(uint32_t track_id, const char *name, int live);  /* a display, a door, a UART */
extern void board_wait_for_interrupt(void);

static mf_pipeline pipe;
static mf_pipeline_result result;
static uint8_t frame_buffer[FRAME_BYTES] __attribute__((aligned(16)));
static uint8_t workspace[WORKSPACE_BYTES] __attribute__((aligned(16)));
static uint8_t arena[ARENA_BYTES] __attribute__((aligned(16)));
static volatile int frame_ready;

/* Camera callback (interrupt context): only flags the frame. */
static void on_frame(void) { frame_ready = 1; }

int firmware_loop(void)
{
    mf_pipeline_options opt = mf_pipeline_default_options(); /* tracking on: networks run on new/changed faces */
    size_t arena_bytes = 0;
    int err = mf_pipeline_open(&pipe, &board_models, board_store(), &opt);
    if (!err && mf_pipeline_workspace_bytes(&pipe) > sizeof workspace) err = MF_ENOMEM;
    if (!err) err = mf_pipeline_plan(&pipe, FRAME_W, FRAME_H, FRAME_FORMAT, workspace, sizeof workspace, &arena_bytes);
    if (!err) err = mf_pipeline_bind(&pipe, arena, sizeof arena); /* MF_ENOMEM when ARENA_BYTES < arena_bytes */
    if (err) return err;
    board_camera_start(frame_buffer, sizeof frame_buffer, on_frame);
    for (;;) {
        while (!frame_ready) board_wait_for_interrupt();
        frame_ready = 0;
        mf_frame frame;
        err = mf_frame_init(&frame, FRAME_FORMAT, frame_buffer, sizeof frame_buffer, FRAME_W, FRAME_H, 0);
        if (!err) err = mf_pipeline_process(&pipe, &frame, &result);
        board_camera_start(frame_buffer, sizeof frame_buffer, on_frame); /* next frame (double-buffer for speed) */
        if (err) continue;                                                 /* a bad frame: skip it */
        for (int i = 0; i < result.face_count; i++) {
            const mf_pipeline_face *f = &result.faces[i];
            board_report(f->track_id, f->identity.accepted ? f->identity.name : "unknown", f->live);
        }
    }
}
