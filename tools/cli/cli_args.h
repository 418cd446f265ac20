/* One option parser for every mcuface command. A command describes its
 * options in a table (name, kind, where the value goes in the command's own
 * argument struct, a one-line help); the parser fills the struct, answers
 * --help / -h, and the same tables print the usage lines, so what a command
 * accepts and what its usage says cannot drift apart. */
#ifndef MCUFACE_CLI_ARGS_H
#define MCUFACE_CLI_ARGS_H
#include <stddef.h>
#include <stdio.h>

typedef enum cli_arg_kind {
    CLI_ARG_FLAG,      /* int, set to 1 */
    CLI_ARG_CLEAR,     /* int, set to 0 (--no-liveness) */
    CLI_ARG_STRING,    /* const char * */
    CLI_ARG_STRINGS2,  /* const char *[2]: an option with two values */
    CLI_ARG_LONG,      /* long in [min, max] */
    CLI_ARG_FLOAT,     /* float in [min, max] (or [min, max) with max_open) */
    CLI_ARG_PRECISION, /* cli_precision: float32 | int8 */
    CLI_ARG_DIMS,      /* int32_t[2] from "WxH", both >= 1 */
} cli_arg_kind;

typedef struct cli_option {
    const char *name;    /* "--size", "-o" */
    cli_arg_kind kind;
    size_t offset;       /* of the value in the command's argument struct */
    const char *value;   /* the value's name in usage ("N"); NULL for flags */
    const char *help;    /* one line for --help; NULL: accepted but not listed */
    double min, max;     /* CLI_ARG_LONG and CLI_ARG_FLOAT */
    int max_open;        /* CLI_ARG_FLOAT: max itself is out of range */
    const char *meaning; /* CLI_ARG_FLOAT: what the number is, for errors ("a cosine") */
    size_t seen;         /* CLI_SEEN(T, field): an int set to 1 when given; 0: none */
    int required;        /* CLI_ARG_STRING: a usage error when still NULL after parsing */
} cli_option;

#define CLI_SEEN(T, field) (offsetof(T, field) + 1)

/* One table row: option NAME of KIND stored in field FIELD of struct T;
 * the optional tail names the rest (.min = 0, .max = 8192, .seen = ...). */
#define CLI_OPT(name_, kind_, T, field, value_, help_, ...)                                                   \
    { .name = name_, .kind = kind_, .offset = offsetof(T, field), .value = value_, .help = help_, __VA_ARGS__ }

typedef struct cli_command {
    const char *name;       /* "detect", "eval lfw" */
    const char *arguments;  /* the positional part of the synopsis: "IMAGE" */
    const char *summary;    /* one line: what the command does */
    const char *details;    /* more lines for the global usage and --help, or NULL */
    const cli_option *options;
    int option_count;
    int min_positional, max_positional; /* max < 0: any number */
    int (*run)(int argc, char **argv);
} cli_command;

#define CLI_COUNT(array) ((int)(sizeof(array) / sizeof((array)[0])))

/* Returned by cli_args_parse when the command should go on and run. */
#define CLI_ARGS_RUN (-1)

/* Parses ARGV[1..ARGC-1] (ARGV[0] is the command's name) against CMD's
 * table into ARGS, the command's argument struct (whose defaults the caller
 * set). "--" ends the options; "-" alone is a positional argument. The
 * positional arguments are moved, in order, to ARGV[1..*POSITIONAL_COUNT].
 * Returns CLI_ARGS_RUN, or the exit status the command must return at
 * once: 0 after --help or -h (usage on stdout), 2 after a usage error (one
 * line on stderr: an unknown option, a missing or bad value, a required
 * option not given, the wrong number of positional arguments). */
int cli_args_parse(const cli_command *cmd, int argc, char **argv, void *args, int *positional_count);

/* The one-line synopsis ("usage: mcuface detect IMAGE [--size N] ...") on OUT. */
void cli_args_print_synopsis(const cli_command *cmd, FILE *out);
/* The synopsis wrapped for the global usage, then the summary and details. */
void cli_args_print_entry(const cli_command *cmd, FILE *out);
/* What --help prints: synopsis, summary, details, one line per option. */
void cli_args_print_help(const cli_command *cmd, FILE *out);

/* Options most commands share, for an argument struct T with fields of
 * these names. Their help is the same wherever they appear (the detector
 * and recognizer defaults come from cli.h and cli_recognizer.h). */
#define CLI_OPTION_JSON(T) CLI_OPT("--json", CLI_ARG_FLAG, T, json, NULL, "one JSON object on stdout instead of the table")
#define CLI_OPTION_PRECISION(T)                                                                                \
    CLI_OPT("--precision", CLI_ARG_PRECISION, T, precision, "float32|int8",                                    \
            "precision of every model run; a model FILE is used as it is")
#define CLI_OPTION_SIZE(T)                                                                                     \
    CLI_OPT("--size", CLI_ARG_LONG, T, size, "N",                                                              \
            "detector input long side in pixels (default 320; 0 = the image's own size)", .min = 0, .max = 8192)
#define CLI_OPTION_DETECTOR(T)                                                                                 \
    CLI_OPT("--detector", CLI_ARG_STRING, T, detector, "NAME|FILE",                                            \
            "face detector (default " CLI_DEFAULT_DETECTOR ")")
#define CLI_OPTION_MAX_FACES(T)                                                                                \
    CLI_OPT("--max-faces", CLI_ARG_LONG, T, max_faces, "N",                                                    \
            "report at most N faces, best detection scores first (default 64; more are reported as truncated)", \
            .min = 1, .max = CLI_MAX_FACES_LIMIT)
#define CLI_OPTION_NO_CASCADE(T)                                                                               \
    CLI_OPT("--no-cascade", CLI_ARG_CLEAR, T, cascade, NULL,                                                   \
            "both liveness models on every face (the fused score; default: the second only when the first is unsure)")
#define CLI_OPTION_RECOGNIZER(T)                                                                               \
    CLI_OPT("--recognizer", CLI_ARG_STRING, T, recognizer, "NAME|FILE",                                        \
            "face recognizer (default " CLI_DEFAULT_RECOGNIZER ")")
#endif
