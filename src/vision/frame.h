/* Internal helpers around mf_frame for the samplers (detector resize,
 * liveness crops, alignment warp). */
#ifndef MCUFACE_VISION_FRAME_H
#define MCUFACE_VISION_FRAME_H
#include "mcuface/mf_frame.h"
#include "mcuface/mf_image.h"

/* Checks a frame the caller may have filled by hand, as mf_frame_init does.
 * Returns MF_OK, MF_EINVAL or MF_ERANGE. */
int mf_frame_check(const mf_frame *f);

/* When F (checked) is RGB888, fills *VIEW as an mf_image over its pixels,
 * so the existing image fast paths (which only read their source) run
 * unchanged, and returns 1; otherwise returns 0 (the caller samples through
 * mf_frame_pixel_rgb). */
int mf_frame_rgb_view(const mf_frame *f, mf_image *view);
#endif
