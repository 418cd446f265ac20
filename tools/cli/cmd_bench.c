/* mcuface bench MODEL [--input WxH] [--runs N] [--warmup K] [--json] [--precision float32|int8]:
 * single-thread speed of one model at one input size. MODEL is a FILE or a
 * NAME (NAME_int8 with --precision int8); the precision reported is the
 * model's own (int8 when it has requantization parameters). The input is filled
 * with deterministic pseudo-random values (the same on every call), the
 * graph runs K times untimed, then N times timed one by one; median and
 * minimum milliseconds per run, MACs and GMAC/s (at the median) are printed. */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"
#include "mcuface/mf_status.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* PATH as a JSON string body (quotes and backslashes escaped, control bytes dropped). */
static void print_json_string(const char *s)
{
    for (; *s; s++) {
        if (*s == '"' || *s == '\\') putchar('\\');
        if ((unsigned char)*s >= 0x20) putchar(*s);
    }
}

/* Fills T with values from a fixed 32-bit LCG: floats in [-1, 1), integer
 * types with their low byte(s) of the generator. */
static void fill_input(mf_tensor *t)
{
    size_t count = 1;
    for (int d = 0; d < t->rank; d++) count *= (size_t)t->dims[d];
    uint32_t s = 12345u;
    for (size_t i = 0; i < count; i++) {
        s = s * 1664525u + 1013904223u;
        switch (t->dtype) {
        case 1: ((float *)t->data)[i] = (float)(s >> 8) / 8388608.0f - 1.0f; break;
        case 2: ((int8_t *)t->data)[i] = (int8_t)(s >> 24); break;
        case 3: ((int32_t *)t->data)[i] = (int32_t)(s >> 24) - 128; break;
        case 4: ((int16_t *)t->data)[i] = (int16_t)(s >> 16); break;
        default: ((uint8_t *)t->data)[i] = (uint8_t)(s >> 24); break;
        }
    }
}

static int parse_count(const char *s, long min, long *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || v < min || v > 1000000) return -1;
    *out = v;
    return 0;
}

int cmd_bench(int argc, char **argv)
{
    const char *model_arg = NULL;
    cli_precision precision = CLI_DEFAULT_PRECISION;
    int32_t width = 320, height = 240;
    long runs = 20, warmup = 3;
    int json = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--input") && i + 1 < argc) {
            if (sscanf(argv[++i], "%dx%d", &width, &height) != 2 || width < 1 || height < 1)
                return cli_usage_error("--input wants WxH, got '%s'", argv[i]);
        } else if (!strcmp(argv[i], "--runs") && i + 1 < argc) {
            if (parse_count(argv[++i], 1, &runs)) return cli_usage_error("--runs wants N >= 1, got '%s'", argv[i]);
        } else if (!strcmp(argv[i], "--warmup") && i + 1 < argc) {
            if (parse_count(argv[++i], 0, &warmup))
                return cli_usage_error("--warmup wants K >= 0, got '%s'", argv[i]);
        } else if (!strcmp(argv[i], "--precision") && i + 1 < argc) {
            if (cli_parse_precision(argv[++i], &precision)) return 2;
        } else if (!strcmp(argv[i], "--json")) {
            json = 1;
        } else if (argv[i][0] == '-') {
            return cli_usage_error("bench: unknown option '%s'", argv[i]);
        } else {
            model_arg = argv[i];
        }
    }
    if (!model_arg)
        return cli_usage_error("usage: mcuface bench MODEL [--input WxH] [--runs N] [--warmup K] [--json] [--precision float32|int8]");
    char path[8192];
    if (cli_model_resolve(model_arg, precision, path, sizeof path)) return 1;
    cli_model cm;
    if (cli_model_open(&cm, path, width, height, 1)) return 1;
    mf_model *model = &cm.model;
    double *times = malloc((size_t)runs * sizeof *times);
    int err = times ? MF_OK : MF_ENOMEM;
    mf_tensor *in = err ? NULL : mf_model_input(model, 0);
    if (!err && !in) err = MF_EINVAL;
    if (!err) {
        fill_input(in);
        for (long r = 0; r < warmup && !err; r++) err = mf_model_run(model);
        for (long r = 0; r < runs && !err; r++) {
            /* Refill each time: a model may write its input in place. */
            fill_input(in);
            double t0 = now_ms();
            err = mf_model_run(model);
            times[r] = now_ms() - t0;
        }
    }
    if (err) {
        free(times);
        cli_model_close(&cm);
        return cli_fail("bench", err);
    }
    qsort(times, (size_t)runs, sizeof *times, cmp_double);
    double median = runs % 2 ? times[runs / 2] : 0.5 * (times[runs / 2 - 1] + times[runs / 2]);
    double best = times[0];
    const mf_model_stats *st = mf_model_get_stats(model);
    double gmacs = median > 0 ? (double)st->macs / (median * 1e6) : 0.0;
    const char *arch = mf_model_meta(model, "arch");
    char shape[64];
    int n = 0;
    for (int d = 0; d < cm.rank && n < (int)sizeof shape; d++)
        n += snprintf(shape + n, sizeof shape - (size_t)n, "%s%d", d ? "x" : "", cm.dims[d]);
    if (json) {
        printf("{\"model\":\"");
        print_json_string(path);
        printf("\",\"arch\":\"");
        print_json_string(arch ? arch : "");
        printf("\",\"precision\":\"%s\",\"input\":\"%s\",\"threads\":1,\"runs\":%ld,\"warmup\":%ld,"
               "\"median_ms\":%.4f,\"min_ms\":%.4f,\"macs\":%llu,\"gmac_per_s\":%.3f}\n",
               cli_precision_name(cli_model_precision(model)), shape, runs, warmup, median, best, (unsigned long long)st->macs, gmacs);
    } else {
        printf("model:      %s (%s)\n", path, arch ? arch : "unknown architecture");
        printf("precision:  %s\n", cli_precision_name(cli_model_precision(model)));
        printf("input:      %s (NHWC)\n", shape);
        printf("runs:       %ld timed after %ld warm-up, 1 thread\n", runs, warmup);
        printf("median:     %.3f ms\n", median);
        printf("min:        %.3f ms\n", best);
        printf("MACs:       %llu\n", (unsigned long long)st->macs);
        printf("GMAC/s:     %.3f (at the median)\n", gmacs);
    }
    free(times);
    cli_model_close(&cm);
    return 0;
}
