/* Shared by the windowed reference kernels (conv, depthwise conv, pool). */
#ifndef MCUFACE_NN_REF_WINDOW_H
#define MCUFACE_NN_REF_WINDOW_H
#include <stdint.h>

/* Taps k in [*first, *end) of a window starting at `origin` (may be negative:
 * padding) with `taps` taps `step` apart that land inside [0, size). Computed
 * once per output position so the inner loops carry no bounds checks. */
static inline void mf_window_taps(int32_t origin, int32_t step, int32_t taps, int32_t size, int32_t *first,
                                  int32_t *end)
{
    int32_t lo = origin < 0 ? (-origin + step - 1) / step : 0;
    int32_t hi = origin < size ? (size - origin + step - 1) / step : 0;
    if (hi > taps) hi = taps;
    if (lo > hi) lo = hi;
    *first = lo;
    *end = hi;
}
#endif
