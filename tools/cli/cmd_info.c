/* mcuface info MODEL [--size N | --input WxH]: what a model costs. */
#include "cli.h"
#include "mcuface/mf_status.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_info(int argc, char **argv)
{
    const char *path = NULL;
    int32_t width = 320, height = 240;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--input") && i + 1 < argc) {
            if (sscanf(argv[++i], "%dx%d", &width, &height) != 2 || width < 1 || height < 1)
                return cli_usage_error("--input wants WxH, got '%s'", argv[i]);
        } else if (argv[i][0] == '-') {
            return cli_usage_error("info: unknown option '%s'", argv[i]);
        } else {
            path = argv[i];
        }
    }
    if (!path) return cli_usage_error("usage: mcuface info MODEL [--input WxH]");
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
    cli_model_close(&cm);
    return 0;
}
