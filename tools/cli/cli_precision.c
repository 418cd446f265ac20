/* --precision: which file a model name stands for, and the one-line answer
 * when that file was never built. */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#define INT8_SUFFIX "_int8"

const char *cli_precision_name(cli_precision precision)
{
    return precision == CLI_PRECISION_INT8 ? "int8" : "float32";
}

int cli_parse_precision(const char *text, cli_precision *out)
{
    if (!strcmp(text, "float32")) *out = CLI_PRECISION_FLOAT32;
    else if (!strcmp(text, "int8")) *out = CLI_PRECISION_INT8;
    else return cli_usage_error("--precision wants float32 or int8, got '%s'", text);
    return 0;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && !strcmp(s + n - k, suffix);
}

int cli_model_name_at(const char *name, cli_precision precision, char *out, size_t out_size)
{
    const char *suffix = precision == CLI_PRECISION_INT8 && !ends_with(name, INT8_SUFFIX) ? INT8_SUFFIX : "";
    int n = snprintf(out, out_size, "%s%s", name, suffix);
    return n < 0 || (size_t)n >= out_size;
}

int cli_is_model_file(const char *name_or_file)
{
    return strchr(name_or_file, '/') || ends_with(name_or_file, ".mfm");
}

int cli_model_resolve(const char *name_or_file, cli_precision precision, char *path, size_t path_size)
{
    if (cli_is_model_file(name_or_file)) {
        if ((size_t)snprintf(path, path_size, "%s", name_or_file) < path_size) return 0;
        fprintf(stderr, "mcuface: model path too long: %s\n", name_or_file);
        return 1;
    }
    char name[256];
    if (cli_model_name_at(name_or_file, precision, name, sizeof name) ||
        (size_t)snprintf(path, path_size, "%s", cli_model_path(name)) >= path_size) {
        fprintf(stderr, "mcuface: model name too long: %s\n", name_or_file);
        return 1;
    }
    struct stat st;
    if (stat(path, &st) != 0 && errno == ENOENT) {
        /* Any other problem (a directory, no permission) is reported by the open that follows. */
        fprintf(stderr,
                "mcuface: model %s not found: %s (build it with 'python3 tools/convert/convert_all.py --only %s'%s)\n",
                name, path, name, precision == CLI_PRECISION_INT8 ? ", or use --precision float32" : "");
        return 1;
    }
    return 0;
}

cli_precision cli_model_precision(const mf_model *model)
{
    const mf_model_stats *st = mf_model_get_stats(model);
    return st && st->quant_bytes > 0 ? CLI_PRECISION_INT8 : CLI_PRECISION_FLOAT32;
}
