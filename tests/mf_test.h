/* Minimal test harness: each test binary is a main() that calls MF_RUN for
 * every case and returns mf_test_summary(). Exit 77 means skipped. */
#ifndef MF_TEST_H
#define MF_TEST_H
#include <stdio.h>
#include <stddef.h>

extern int mf_test_failures;
extern int mf_test_checks;

#define MF_CHECK(cond) do { mf_test_checks++; if (!(cond)) { mf_test_failures++; \
    fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); } } while (0)
#define MF_CHECK_EQ_INT(a, b) do { long long va_ = (long long)(a), vb_ = (long long)(b); mf_test_checks++; \
    if (va_ != vb_) { mf_test_failures++; fprintf(stderr, "%s:%d: %s == %lld, expected %s == %lld\n", \
    __FILE__, __LINE__, #a, va_, #b, vb_); } } while (0)
#define MF_CHECK_NEAR(a, b, tol) do { double va_ = (double)(a), vb_ = (double)(b); mf_test_checks++; \
    if (!(va_ - vb_ <= (tol) && vb_ - va_ <= (tol))) { mf_test_failures++; \
    fprintf(stderr, "%s:%d: %s = %.9g, expected %.9g (tol %g)\n", __FILE__, __LINE__, #a, va_, vb_, (double)(tol)); } } while (0)
#define MF_RUN(fn) do { int before_ = mf_test_failures; fn(); \
    printf("%s %s\n", mf_test_failures == before_ ? "ok  " : "FAIL", #fn); } while (0)

/* Compares two float arrays; prints the first differing indices. Returns 1 when all within tol. */
int mf_check_floats(const char *what, const float *got, const float *want, size_t n, double atol, double rtol);
/* Compares two int8 arrays exactly; prints the first differing indices. */
int mf_check_bytes(const char *what, const signed char *got, const signed char *want, size_t n);
/* Path to a shared resource: $MCUFACE_SHARED (or ../shared) + "/" + rel. Static buffer. */
const char *mf_test_shared_path(const char *rel);
/* Reads a whole file into a malloc'd buffer; NULL when absent. */
void *mf_test_read_file(const char *path, size_t *size);
/* Prints why and exits 77 (skip). */
void mf_test_skip(const char *why);
int mf_test_summary(void);
#endif
