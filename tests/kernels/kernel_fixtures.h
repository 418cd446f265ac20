/* Reader for the PyTorch kernel fixtures written at test time by
 * tools/fixtures/make_kernel_fixtures.py (the format is documented there) into
 * $MCUFACE_BUILD/fixtures/kernels/<op>.bin. Header-only: every kernel test
 * binary includes it once.
 *
 * A missing fixture file is a failure unless the generator left the
 * UNAVAILABLE marker (python3 or torch absent): then kf_summary() skips with
 * the generator's reason, after the hand-computed cases have still run. */
#ifndef MF_KERNEL_FIXTURES_H
#define MF_KERNEL_FIXTURES_H
#include "mf_test.h"
#include "nn/ops/mf_kernels.h"
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KF_MAX_INTS 16
#define KF_MAX_FLOATS 8
#define KF_MAX_ARRAYS 8

typedef struct kf_array {
    mf_shape4 shape; /* NHWC, lower ranks padded with leading 1s */
    size_t count;    /* 0 for an absent optional tensor */
    const float *data;
} kf_array;

typedef struct kf_case {
    char name[33];
    int32_t n_ints, n_floats, n_arrays;
    int32_t ints[KF_MAX_INTS];
    float floats[KF_MAX_FLOATS];
    kf_array arrays[KF_MAX_ARRAYS];
} kf_case;

typedef struct kf_file {
    unsigned char *buf;
    size_t size, pos;
    uint32_t remaining;
} kf_file;

static char kf_skip_reason[512];

static inline int kf_read_u32(kf_file *f, uint32_t *v)
{
    if (f->size - f->pos < 4) return 0;
    memcpy(v, f->buf + f->pos, 4);
    f->pos += 4;
    return 1;
}

/* Opens <op>.bin; returns 0 (after recording a skip reason or a failure) when
 * there is nothing to read. */
static inline int kf_open(kf_file *f, const char *op)
{
    char path[1024];
    const char *build = getenv("MCUFACE_BUILD");
    memset(f, 0, sizeof *f);
    if (!build || !*build) {
        snprintf(kf_skip_reason, sizeof kf_skip_reason, "MCUFACE_BUILD is not set (run through ctest)");
        return 0;
    }
    snprintf(path, sizeof path, "%s/fixtures/kernels/UNAVAILABLE", build);
    size_t reason_size = 0;
    char *reason = (char *)mf_test_read_file(path, &reason_size);
    if (reason) {
        snprintf(kf_skip_reason, sizeof kf_skip_reason, "torch fixtures unavailable: %.*s", (int)reason_size, reason);
        free(reason);
        return 0;
    }
    snprintf(path, sizeof path, "%s/fixtures/kernels/%s.bin", build, op);
    f->buf = (unsigned char *)mf_test_read_file(path, &f->size);
    if (!f->buf) {
        fprintf(stderr, "%s: missing (run the fixtures_kernels test first)\n", path);
        MF_CHECK(f->buf != NULL);
        return 0;
    }
    uint32_t version = 0;
    int ok = f->size >= 4 && memcmp(f->buf, "MFKF", 4) == 0;
    f->pos = 4;
    ok = ok && kf_read_u32(f, &version) && version == 1 && kf_read_u32(f, &f->remaining);
    MF_CHECK(ok);
    if (!ok) {
        free(f->buf);
        f->buf = NULL;
    }
    return ok;
}

/* Reads the next case; 0 at the end (or, with a failed check, on a damaged file). */
static inline int kf_next(kf_file *f, kf_case *c)
{
    uint32_t n;
    if (!f->buf || f->remaining == 0) return 0;
    f->remaining--;
    memset(c, 0, sizeof *c);
    if (f->size - f->pos < 32) goto damaged;
    memcpy(c->name, f->buf + f->pos, 32);
    f->pos += 32;
    if (!kf_read_u32(f, &n) || n > KF_MAX_INTS || f->size - f->pos < 4u * n) goto damaged;
    c->n_ints = (int32_t)n;
    memcpy(c->ints, f->buf + f->pos, 4u * n);
    f->pos += 4u * n;
    if (!kf_read_u32(f, &n) || n > KF_MAX_FLOATS || f->size - f->pos < 4u * n) goto damaged;
    c->n_floats = (int32_t)n;
    memcpy(c->floats, f->buf + f->pos, 4u * n);
    f->pos += 4u * n;
    if (!kf_read_u32(f, &n) || n > KF_MAX_ARRAYS) goto damaged;
    c->n_arrays = (int32_t)n;
    for (uint32_t i = 0; i < n; i++) {
        int32_t d[4];
        if (f->size - f->pos < 16) goto damaged;
        memcpy(d, f->buf + f->pos, 16);
        f->pos += 16;
        size_t count = 1;
        for (int k = 0; k < 4; k++) {
            if (d[k] < 0 || d[k] > (1 << 24)) goto damaged;
            count *= (size_t)d[k];
        }
        if (count > (f->size - f->pos) / 4) goto damaged;
        c->arrays[i].shape = (mf_shape4){d[0], d[1], d[2], d[3]};
        c->arrays[i].count = count;
        c->arrays[i].data = (const float *)(const void *)(f->buf + f->pos); /* 4-byte aligned: all fields are */
        f->pos += 4 * count;
    }
    return 1;
damaged:
    fprintf(stderr, "kernel fixture damaged at byte %zu\n", f->pos);
    MF_CHECK(0);
    f->remaining = 0;
    return 0;
}

static inline void kf_close(kf_file *f)
{
    MF_CHECK(f->buf == NULL || f->pos == f->size); /* every byte consumed: reader and writer agree */
    free(f->buf);
    f->buf = NULL;
}

/* Output buffer pre-filled with NaN, so an element the kernel never writes fails the comparison. */
static inline float *kf_output(size_t n)
{
    float *p = (float *)malloc((n ? n : 1) * sizeof(float));
    for (size_t i = 0; i < n; i++) p[i] = NAN;
    return p;
}

/* mf_check_floats, plus one line per case with the largest absolute and
 * relative differences (the numbers the tolerances are chosen from). */
static inline int kf_compare(const kf_case *c, const float *got, const kf_array *want, double atol, double rtol)
{
    double max_abs = 0.0, max_rel = 0.0;
    for (size_t i = 0; i < want->count; i++) {
        double d = fabs((double)got[i] - (double)want->data[i]);
        double m = fabs((double)want->data[i]);
        if (d > max_abs) max_abs = d;
        if (m > 1e-3 && d / m > max_rel) max_rel = d / m;
    }
    printf("  %-28s %7zu values  max |diff| %.3g  max rel %.3g\n", c->name, want->count, max_abs, max_rel);
    return mf_check_floats(c->name, got, want->data, want->count, atol, rtol);
}

static inline int32_t kf_rows(const mf_shape4 *s) { return s->n * s->h * s->w; }

/* Dimension k (0 = n ... 3 = c) of a shape. */
static inline int32_t kf_dim(const mf_shape4 *s, int k)
{
    const int32_t d[4] = {s->n, s->h, s->w, s->c};
    return d[k];
}

/* The summary, or a skip (exit 77) when the torch half could not run and the hand cases passed. */
static inline int kf_summary(void)
{
    if (kf_skip_reason[0] && mf_test_failures == 0) {
        mf_test_summary();
        mf_test_skip(kf_skip_reason);
    }
    return mf_test_summary();
}
#endif
