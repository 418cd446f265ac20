/* mcuface info MODEL [--input WxH] [--precision float32|int8]: what a model
 * costs. MODEL is a FILE or a NAME (NAME_int8 with --precision int8); an
 * int8 model also reports the part of the workspace its requantization
 * parameters take (computed when planning, docs/INT8.md). */
#include "cli.h"
#include "mcuface/mf_status.h"
#include <stdio.h>

/* Host builds with the x86 twins keep their weights packed in the workspace too (kernels_s8_select.h). */
#if defined(MF_USE_X86) && MF_USE_X86
#define PACKED_NOTE ", with the x86 twins' packed weights"
#else
#define PACKED_NOTE ""
#endif

typedef struct info_args {
    int32_t input[2];
    cli_precision precision;
} info_args;

static const cli_option info_options[] = {
    CLI_OPT("--input", CLI_ARG_DIMS, info_args, input, "WxH",
        "image size the model is planned for (default 320x240)"),
    CLI_OPTION_PRECISION(info_args),
};

const cli_command cli_info_command = {
    "info", "MODEL", "ops, parameters, MACs, weight bytes, planned peak arena, workspace (int8: requantization part)",
    NULL, info_options, CLI_COUNT(info_options), 1, 1, cmd_info,
};

int cmd_info(int argc, char **argv)
{
    info_args a = {.input = {320, 240}, .precision = CLI_DEFAULT_PRECISION};
    int positional = 0, status = cli_args_parse(&cli_info_command, argc, argv, &a, &positional);
    if (status != CLI_ARGS_RUN) return status;
    const char *model_arg = argv[1];
    cli_precision precision = a.precision;
    int32_t width = a.input[0], height = a.input[1];
    char path[8192];
    if (cli_model_resolve(model_arg, precision, path, sizeof path)) return 1;
    cli_model cm;
    if (cli_model_open(&cm, path, width, height, 0)) return 1;
    const mf_model *model = &cm.model;
    const mf_model_stats *st = mf_model_get_stats(model);
    const char *arch = mf_model_meta(model, "arch");
    printf("model:        %s (%s)\n", path, arch ? arch : "unknown architecture");
    printf("input:       ");
    for (int d = 0; d < cm.rank; d++) printf("%s%d", d ? "x" : " ", cm.dims[d]);
    printf("\n");
    printf("ops:          %u\n", st->op_count);
    printf("parameters:   %llu\n", (unsigned long long)st->param_count);
    printf("weight bytes: %llu\n", (unsigned long long)st->weight_bytes);
    printf("MACs:         %llu\n", (unsigned long long)st->macs);
    printf("peak arena:   %zu bytes\n", st->arena_bytes);
    printf("workspace:    %zu bytes\n", st->workspace_bytes);
    if (cli_model_precision(model) == CLI_PRECISION_INT8)
        printf("precision:    int8 (requantization parameters: %zu bytes of the workspace%s)\n", st->quant_bytes,
               PACKED_NOTE);
    else printf("precision:    float32\n");
    cli_model_close(&cm);
    return 0;
}
