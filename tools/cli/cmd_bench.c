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
        case MF_DTYPE_FLOAT32: ((float *)t->data)[i] = (float)(s >> 8) / 8388608.0f - 1.0f; break;
        case MF_DTYPE_INT8: ((int8_t *)t->data)[i] = (int8_t)(s >> 24); break;
        case MF_DTYPE_INT32: ((int32_t *)t->data)[i] = (int32_t)(s >> 24) - 128; break;
        case MF_DTYPE_INT16: ((int16_t *)t->data)[i] = (int16_t)(s >> 16); break;
        default: ((uint8_t *)t->data)[i] = (uint8_t)(s >> 24); break;
        }
    }
}

typedef struct bench_args {
    int32_t input[2];
    long runs, warmup;
    int json;
    cli_precision precision;
} bench_args;

static const cli_option bench_options[] = {
    CLI_OPT("--input", CLI_ARG_DIMS, bench_args, input, "WxH", "image size the model runs at (default 320x240)"),
    CLI_OPT("--runs", CLI_ARG_LONG, bench_args, runs, "N", "timed runs (default 20)", .min = 1, .max = 1000000),
    CLI_OPT("--warmup", CLI_ARG_LONG, bench_args, warmup, "K",
        "untimed runs first (default 3)", .min = 0, .max = 1000000),
    CLI_OPTION_JSON(bench_args),
    CLI_OPTION_PRECISION(bench_args),
};

const cli_command cli_bench_command = {
    "bench", "MODEL", "single-thread speed: median and min ms per run, MACs, GMAC/s (deterministic input)", NULL,
    bench_options, CLI_COUNT(bench_options), 1, 1, cmd_bench,
};

int cmd_bench(int argc, char **argv)
{
    bench_args a = {.input = {320, 240}, .runs = 20, .warmup = 3, .precision = CLI_DEFAULT_PRECISION};
    int positional = 0, status = cli_args_parse(&cli_bench_command, argc, argv, &a, &positional);
    if (status != CLI_ARGS_RUN) return status;
    const char *model_arg = argv[1];
    cli_precision precision = a.precision;
    int32_t width = a.input[0], height = a.input[1];
    long runs = a.runs, warmup = a.warmup;
    int json = a.json;
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
