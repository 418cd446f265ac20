/* mcuface info MODEL [--input WxH] [--precision float32|int8]: what a model
 * costs. MODEL is a FILE or a NAME (NAME_int8 with --precision int8); an
 * int8 model also reports the part of the workspace its requantization
 * parameters take (computed when planning, docs/INT8.md). */
#include "cli.h"
#include "mcuface/mf_status.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_info(int argc, char **argv)
{
    const char *model_arg = NULL;
    cli_precision precision = CLI_DEFAULT_PRECISION;
    int32_t width = 320, height = 240;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--input") && i + 1 < argc) {
            if (sscanf(argv[++i], "%dx%d", &width, &height) != 2 || width < 1 || height < 1)
                return cli_usage_error("--input wants WxH, got '%s'", argv[i]);
        } else if (!strcmp(argv[i], "--precision") && i + 1 < argc) {
            if (cli_parse_precision(argv[++i], &precision)) return 2;
        } else if (argv[i][0] == '-') {
            return cli_usage_error("info: unknown option '%s'", argv[i]);
        } else {
            model_arg = argv[i];
        }
    }
    if (!model_arg) return cli_usage_error("usage: mcuface info MODEL [--input WxH] [--precision float32|int8]");
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
        printf("precision:    int8 (requantization parameters: %zu bytes of the workspace)\n", st->quant_bytes);
    else printf("precision:    float32\n");
    cli_model_close(&cm);
    return 0;
}
