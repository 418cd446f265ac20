/* Bilinear resize of an RGB888 image (or a camera frame of any format)
 * straight into a float NHWC tensor, with per-channel (p - mean) * scale and
 * an optional R/B swap. It follows cv2.resize(INTER_LINEAR) on a float32
 * image (half-pixel centres, edge clamp, no anti-aliasing), which is what the
 * detector's reference does, so no uint8 rounding happens between the resize
 * and the network. A frame's pixels are converted to RGB as they are read
 * (vision/frame_convert.h): the same bytes as converting the frame first. */
#include "mcuface/mf_image.h"
#include "mcuface/mf_status.h"
#include "vision/frame.h"
#include "vision/frame_convert.h"
#include "vision/resize_to_tensor.h"

/* Source index and weight of the right/lower neighbour for destination D. */
static void source_coord(int32_t d, double ratio, int32_t src_size, int32_t *index, float *frac)
{
    double s = ((double)d + 0.5) * ratio - 0.5;
    int32_t i = (int32_t)s;
    if (s < (double)i) i--; /* floor */
    float f = (float)(s - (double)i);
    if (i < 0) { i = 0; f = 0.0f; }
    if (i >= src_size - 1) { i = src_size - 1; f = 0.0f; }
    *index = i;
    *frac = f;
}

/* Where and how the outputs go: float DST, or (DST_Q) int8 quantized with Q_SCALE and ZERO_POINT. */
typedef struct tensor_out {
    const float *mean, *scale;
    int swap_rb;
    float *dst;
    int8_t *dst_q;
    float q_scale;
    int32_t zero_point;
} tensor_out;

/* lroundf (half away from zero) for |V| <= 1000, without the call: V minus
 * its truncation is exact in float. */
static inline int32_t round_half_away(float v)
{
    int32_t t = (int32_t)v;
    float frac = v - (float)t;
    if (frac >= 0.5f) t++;
    else if (frac <= -0.5f) t--;
    return t;
}

/* One output pixel AT from its four RGB neighbours; shared by the image and
 * the frame loops so both give the same bits. The arithmetic (order and
 * rounding of every float operation) is cv2.resize's and must stay so: the
 * host and the Cortex-M55 compute the same bytes from it. */
static inline void store_pixel(const tensor_out *o, size_t at, const uint8_t *p00, const uint8_t *p01,
                               const uint8_t *p10, const uint8_t *p11, float fx, float fy)
{
    float gx = 1.0f - fx, gy = 1.0f - fy;
    for (int c = 0; c < 3; c++) {
        float top = p00[c] * gx + p01[c] * fx;
        float bottom = p10[c] * gx + p11[c] * fx;
        float v = top * gy + bottom * fy;
        int oc = o->swap_rb ? 2 - c : c;
        float r = (v - o->mean[oc]) * o->scale[oc];
        if (o->dst) {
            o->dst[at + (size_t)oc] = r;
            continue;
        }
        /* as mf_quantize_f32_s8 */
        float qv = r / o->q_scale;
        if (!(qv > -1000.0f)) qv = -1000.0f;
        if (qv > 1000.0f) qv = 1000.0f;
        int32_t q = round_half_away(qv) + o->zero_point;
        o->dst_q[at + (size_t)oc] = (int8_t)(q < -128 ? -128 : q > 127 ? 127 : q);
    }
}

/* The source columns of a run of output columns, computed once per run
 * instead of once per pixel (they do not depend on the row). */
#define COLUMN_RUN 64
typedef struct source_column {
    int32_t x0, x1; /* left and right neighbour */
    float fx;
} source_column;

static void source_columns(int32_t first, int32_t count, double ratio, int32_t src_width, source_column *cols)
{
    for (int32_t k = 0; k < count; k++) {
        source_coord(first + k, ratio, src_width, &cols[k].x0, &cols[k].fx);
        cols[k].x1 = cols[k].x0 + 1 < src_width ? cols[k].x0 + 1 : cols[k].x0;
    }
}

static int resize_image(const mf_image *src, int32_t dst_width, int32_t dst_height, const tensor_out *o)
{
    double ratio_x = (double)src->width / dst_width, ratio_y = (double)src->height / dst_height;
    source_column cols[COLUMN_RUN];
    for (int32_t first = 0; first < dst_width; first += COLUMN_RUN) {
        int32_t count = dst_width - first < COLUMN_RUN ? dst_width - first : COLUMN_RUN;
        source_columns(first, count, ratio_x, src->width, cols);
        for (int32_t y = 0; y < dst_height; y++) {
            int32_t sy;
            float fy;
            source_coord(y, ratio_y, src->height, &sy, &fy);
            int32_t sy1 = sy + 1 < src->height ? sy + 1 : sy;
            const uint8_t *row0 = src->data + (size_t)sy * (size_t)src->stride;
            const uint8_t *row1 = src->data + (size_t)sy1 * (size_t)src->stride;
            size_t at = ((size_t)y * (size_t)dst_width + (size_t)first) * 3;
            for (int32_t k = 0; k < count; k++, at += 3) {
                const source_column *c = &cols[k];
                store_pixel(o, at, row0 + c->x0 * 3, row0 + c->x1 * 3, row1 + c->x0 * 3, row1 + c->x1 * 3, c->fx, fy);
            }
        }
    }
    return MF_OK;
}

static int resize_frame(const mf_frame *src, int32_t dst_width, int32_t dst_height, const tensor_out *o)
{
    double ratio_x = (double)src->width / dst_width, ratio_y = (double)src->height / dst_height;
    source_column cols[COLUMN_RUN];
    for (int32_t first = 0; first < dst_width; first += COLUMN_RUN) {
        int32_t count = dst_width - first < COLUMN_RUN ? dst_width - first : COLUMN_RUN;
        source_columns(first, count, ratio_x, src->width, cols);
        for (int32_t y = 0; y < dst_height; y++) {
            int32_t sy;
            float fy;
            source_coord(y, ratio_y, src->height, &sy, &fy);
            int32_t sy1 = sy + 1 < src->height ? sy + 1 : sy;
            size_t at = ((size_t)y * (size_t)dst_width + (size_t)first) * 3;
            for (int32_t k = 0; k < count; k++, at += 3) {
                const source_column *c = &cols[k];
                uint8_t p00[3], p01[3], p10[3], p11[3];
                mf_frame_pixel_rgb(src, c->x0, sy, p00);
                mf_frame_pixel_rgb(src, c->x1, sy, p01);
                mf_frame_pixel_rgb(src, c->x0, sy1, p10);
                mf_frame_pixel_rgb(src, c->x1, sy1, p11);
                store_pixel(o, at, p00, p01, p10, p11, c->fx, fy);
            }
        }
    }
    return MF_OK;
}

static int check_args(int32_t dst_width, int32_t dst_height, const float mean[3], const float scale[3])
{
    return dst_width < 1 || dst_height < 1 || !mean || !scale ? MF_EINVAL : MF_OK;
}

static int check_quant(const int8_t *dst, float q_scale, int32_t zero_point)
{
    return !dst || !(q_scale > 0.0f) || zero_point < -128 || zero_point > 127 ? MF_EINVAL : MF_OK;
}

static int check_image(const mf_image *src)
{
    if (!src || !src->data || src->channels != 3 || src->width < 1 || src->height < 1) return MF_EINVAL;
    return src->stride < src->width * 3 ? MF_EINVAL : MF_OK;
}

int mf_resize_to_tensor_f32(const mf_image *src, int32_t dst_width, int32_t dst_height, const float mean[3],
                            const float scale[3], int swap_rb, float *dst)
{
    if (!dst || check_image(src) || check_args(dst_width, dst_height, mean, scale)) return MF_EINVAL;
    tensor_out o = {mean, scale, swap_rb, dst, NULL, 1.0f, 0};
    return resize_image(src, dst_width, dst_height, &o);
}

int mf_resize_to_tensor_s8(const mf_image *src, int32_t dst_width, int32_t dst_height, const float mean[3],
                           const float scale[3], int swap_rb, float q_scale, int32_t zero_point, int8_t *dst)
{
    if (check_quant(dst, q_scale, zero_point) || check_image(src) || check_args(dst_width, dst_height, mean, scale))
        return MF_EINVAL;
    tensor_out o = {mean, scale, swap_rb, NULL, dst, q_scale, zero_point};
    return resize_image(src, dst_width, dst_height, &o);
}

/* RGB888 frames take the image loop (unchanged speed); others convert per read. */
static int resize_any_frame(const mf_frame *src, int32_t dst_width, int32_t dst_height, const tensor_out *o)
{
    int err = mf_frame_check(src);
    if (err) return err;
    mf_image view;
    if (mf_frame_rgb_view(src, &view)) return resize_image(&view, dst_width, dst_height, o);
    return resize_frame(src, dst_width, dst_height, o);
}

int mf_frame_resize_to_tensor_f32(const mf_frame *src, int32_t dst_width, int32_t dst_height, const float mean[3],
                                  const float scale[3], int swap_rb, float *dst)
{
    if (!dst || check_args(dst_width, dst_height, mean, scale)) return MF_EINVAL;
    tensor_out o = {mean, scale, swap_rb, dst, NULL, 1.0f, 0};
    return resize_any_frame(src, dst_width, dst_height, &o);
}

int mf_frame_resize_to_tensor_s8(const mf_frame *src, int32_t dst_width, int32_t dst_height, const float mean[3],
                                 const float scale[3], int swap_rb, float q_scale, int32_t zero_point, int8_t *dst)
{
    if (check_quant(dst, q_scale, zero_point) || check_args(dst_width, dst_height, mean, scale)) return MF_EINVAL;
    tensor_out o = {mean, scale, swap_rb, NULL, dst, q_scale, zero_point};
    return resize_any_frame(src, dst_width, dst_height, &o);
}
