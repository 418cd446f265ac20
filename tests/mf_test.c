#include "mf_test.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

int mf_test_failures;
int mf_test_checks;

int mf_check_floats(const char *what, const float *got, const float *want, size_t n, double atol, double rtol)
{
    size_t bad = 0;
    double worst = 0.0;
    for (size_t i = 0; i < n; i++) {
        double d = fabs((double)got[i] - (double)want[i]);
        double tol = atol + rtol * fabs((double)want[i]);
        if (d > worst) worst = d;
        if (!(d <= tol)) {
            if (bad < 8) fprintf(stderr, "%s[%zu]: got %.9g want %.9g\n", what, i, got[i], want[i]);
            bad++;
        }
    }
    mf_test_checks++;
    if (bad) {
        mf_test_failures++;
        fprintf(stderr, "%s: %zu of %zu values differ (max |diff| %.3g)\n", what, bad, n, worst);
    }
    return bad == 0;
}

int mf_check_bytes(const char *what, const signed char *got, const signed char *want, size_t n)
{
    size_t bad = 0;
    for (size_t i = 0; i < n; i++) {
        if (got[i] != want[i]) {
            if (bad < 8) fprintf(stderr, "%s[%zu]: got %d want %d\n", what, i, got[i], want[i]);
            bad++;
        }
    }
    mf_test_checks++;
    if (bad) {
        mf_test_failures++;
        fprintf(stderr, "%s: %zu of %zu bytes differ\n", what, bad, n);
    }
    return bad == 0;
}

const char *mf_test_shared_path(const char *rel)
{
    static char buf[4096];
    const char *root = getenv("MCUFACE_SHARED");
    snprintf(buf, sizeof buf, "%s/%s", root && *root ? root : "../shared", rel);
    return buf;
}

void *mf_test_read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    void *buf = malloc(n > 0 ? (size_t)n : 1);
    if (buf && n > 0 && fread(buf, 1, (size_t)n, f) != (size_t)n) { free(buf); buf = NULL; }
    fclose(f);
    if (buf && size) *size = (size_t)n;
    return buf;
}

void mf_test_skip(const char *why)
{
    printf("SKIP: %s\n", why);
    exit(77);
}

int mf_test_summary(void)
{
    printf("%d checks, %d failed\n", mf_test_checks, mf_test_failures);
    return mf_test_failures ? 1 : 0;
}
