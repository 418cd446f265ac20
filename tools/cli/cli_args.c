/* The table-driven option parser of every mcuface command (cli_args.h). */
#include "cli_args.h"
#include "cli.h"
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define WRAP_COLUMN 110

static const cli_option *find_option(const cli_command *cmd, const char *name)
{
    for (int i = 0; i < cmd->option_count; i++)
        if (!strcmp(cmd->options[i].name, name)) return &cmd->options[i];
    return NULL;
}

static int value_count(const cli_option *o)
{
    switch (o->kind) {
    case CLI_ARG_FLAG:
    case CLI_ARG_CLEAR: return 0;
    case CLI_ARG_STRINGS2: return 2;
    default: return 1;
    }
}

static int parse_float(const cli_option *o, const char *text, float *out)
{
    char *end;
    float v = strtof(text, &end);
    int in_range = v >= o->min && (o->max_open ? v < o->max : v <= o->max);
    if (end == text || *end || !in_range)
        return cli_usage_error("%s wants %s in [%g, %g%c, got '%s'", o->name, o->meaning ? o->meaning : "a number",
                               o->min, o->max, o->max_open ? ')' : ']', text);
    *out = v;
    return 0;
}

static int parse_dims(const cli_option *o, const char *text, int32_t *out)
{
    int w = 0, h = 0, used = 0;
    if (sscanf(text, "%dx%d%n", &w, &h, &used) != 2 || text[used] || w < 1 || h < 1)
        return cli_usage_error("%s wants WxH, got '%s'", o->name, text);
    out[0] = w;
    out[1] = h;
    return 0;
}

/* Stores the value(s) VALUES of option O into ARGS. 0, or 2 (error printed). */
static int store_value(const cli_option *o, char **values, char *args)
{
    void *target = args + o->offset;
    int err = 0;
    switch (o->kind) {
    case CLI_ARG_FLAG: *(int *)target = 1; break;
    case CLI_ARG_CLEAR: *(int *)target = 0; break;
    case CLI_ARG_STRING: *(const char **)target = values[0]; break;
    case CLI_ARG_STRINGS2:
        ((const char **)target)[0] = values[0];
        ((const char **)target)[1] = values[1];
        break;
    case CLI_ARG_LONG: {
        long max = o->max >= (double)LONG_MAX ? LONG_MAX : (long)o->max; /* (long)(double)LONG_MAX overflows */
        err = cli_parse_long(o->name, values[0], (long)o->min, max, (long *)target);
        break;
    }
    case CLI_ARG_FLOAT: err = parse_float(o, values[0], (float *)target); break;
    case CLI_ARG_PRECISION: err = cli_parse_precision(values[0], (cli_precision *)target); break;
    case CLI_ARG_DIMS: err = parse_dims(o, values[0], (int32_t *)target); break;
    }
    if (!err && o->seen) *(int *)(args + o->seen - 1) = 1;
    return err ? 2 : 0;
}

int cli_args_parse(const cli_command *cmd, int argc, char **argv, void *args, int *positional_count)
{
    int count = 0, options_done = 0;
    for (int i = 1; i < argc; i++) {
        char *s = argv[i];
        if (options_done || s[0] != '-' || s[1] == '\0') {
            argv[1 + count++] = s; /* never overtakes i: safe in place */
            continue;
        }
        if (!strcmp(s, "--")) {
            options_done = 1;
            continue;
        }
        if (!strcmp(s, "--help") || !strcmp(s, "-h")) {
            cli_args_print_help(cmd, stdout);
            return 0;
        }
        const cli_option *o = find_option(cmd, s);
        if (!o) return cli_usage_error("%s: unknown option '%s' ('mcuface %s --help' lists them)", cmd->name, s, cmd->name);
        int n = value_count(o);
        if (i + n >= argc) return cli_usage_error("%s needs %s", s, n == 2 ? "two values" : "a value");
        if (store_value(o, argv + i + 1, (char *)args)) return 2;
        i += n;
    }
    for (int i = 0; i < cmd->option_count; i++) {
        const cli_option *o = &cmd->options[i];
        if (o->required && o->kind == CLI_ARG_STRING && !*(const char **)((char *)args + o->offset))
            return cli_usage_error("%s: %s %s is required", cmd->name, o->name, o->value);
    }
    if (count < cmd->min_positional) {
        fputs("mcuface: ", stderr);
        cli_args_print_synopsis(cmd, stderr);
        return 2;
    }
    if (cmd->max_positional >= 0 && count > cmd->max_positional)
        return cli_usage_error("%s: too many arguments ('%s')", cmd->name, argv[1 + cmd->max_positional]);
    *positional_count = count;
    return CLI_ARGS_RUN;
}

/* "[--size N]" (or "--data DIR" when required) for option O into BUF. */
static void option_synopsis(const cli_option *o, char *buf, size_t size)
{
    const char *open = o->required ? "" : "[", *close = o->required ? "" : "]";
    if (o->value) snprintf(buf, size, "%s%s %s%s", open, o->name, o->value, close);
    else snprintf(buf, size, "%s%s%s", open, o->name, close);
}

/* The synopsis, words separated by spaces; a word that would pass WRAP
 * (0: never) starts a new line indented by INDENT. */
static void print_synopsis(const cli_command *cmd, FILE *out, const char *first, int wrap, int indent)
{
    int column = fprintf(out, "%smcuface %s", first, cmd->name);
    /* required options first, then the positional arguments, then the rest */
    for (int pass = 0; pass < 3; pass++) {
        if (pass == 1) {
            if (cmd->arguments) column += fprintf(out, " %s", cmd->arguments);
            continue;
        }
        for (int i = 0; i < cmd->option_count; i++) {
            const cli_option *o = &cmd->options[i];
            if (!o->help || !o->required != (pass == 2)) continue;
            char word[128];
            option_synopsis(o, word, sizeof word);
            int len = (int)strlen(word);
            if (wrap && column + 1 + len > wrap) column = fprintf(out, "\n%*s%s", indent, "", word) - 1;
            else column += fprintf(out, " %s", word);
        }
    }
    fputc('\n', out);
}

void cli_args_print_synopsis(const cli_command *cmd, FILE *out) { print_synopsis(cmd, out, "usage: ", 0, 0); }

void cli_args_print_entry(const cli_command *cmd, FILE *out)
{
    print_synopsis(cmd, out, "  ", WRAP_COLUMN, 6);
    fprintf(out, "      %s\n", cmd->summary);
    if (cmd->details) fputs(cmd->details, out);
}

void cli_args_print_help(const cli_command *cmd, FILE *out)
{
    print_synopsis(cmd, out, "usage: ", WRAP_COLUMN, 7);
    fprintf(out, "%s\n", cmd->summary);
    if (cmd->details) fputs(cmd->details, out);
    int width = 10; /* "-h, --help" */
    for (int i = 0; i < cmd->option_count; i++) {
        const cli_option *o = &cmd->options[i];
        int len = (int)strlen(o->name) + (o->value ? 1 + (int)strlen(o->value) : 0);
        if (o->help && len > width) width = len;
    }
    fputs("options:\n", out);
    for (int i = 0; i < cmd->option_count; i++) {
        const cli_option *o = &cmd->options[i];
        if (!o->help) continue;
        char head[128];
        snprintf(head, sizeof head, "%s%s%s", o->name, o->value ? " " : "", o->value ? o->value : "");
        fprintf(out, "  %-*s  %s", width, head, o->help);
        if (o->kind == CLI_ARG_PRECISION) fprintf(out, " (default %s)", cli_precision_name(CLI_DEFAULT_PRECISION));
        fputc('\n', out);
    }
    fprintf(out, "  %-*s  this text\n", width, "-h, --help");
}
