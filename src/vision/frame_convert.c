/* Row conversion of camera frames to RGB888 (the formulas live in
 * vision/frame_convert.h so the samplers inline the same arithmetic). */
#include "vision/frame_convert.h"

void mf_frame_row_to_rgb(const mf_frame *f, int32_t y, int32_t x0, int32_t count, uint8_t *out)
{
    for (int32_t i = 0; i < count; i++) mf_frame_pixel_rgb(f, x0 + i, y, out + (size_t)i * 3);
}
