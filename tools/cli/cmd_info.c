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
    mf_mapped_file file;
    int err = mf_map_file(path, &file);
    if (err) {
        fprintf(stderr, "mcuface: cannot read model %s: %s\n", path, mf_status_str(err));
        return 1;
    }
    mf_model model;
    err = mf_model_open(&model, file.data, file.size);
    if (err) {
        fprintf(stderr, "mcuface: model %s: %s\n", path, mf_status_str(err));
        mf_unmap_file(&file);
        return 1;
    }
    /* Sizes the file leaves open (0) come from --input: images are NHWC. */
    int32_t dims[4];
    int rank = mf_model_input_dims(&model, 0, dims);
    if (rank == 4) {
        if (dims[1] == 0) dims[1] = height;
        if (dims[2] == 0) dims[2] = width;
    }
    for (int d = 0; d < rank; d++)
        if (dims[d] == 0) dims[d] = 1;
    size_t ws_bytes = mf_model_workspace_bytes(&model), arena = 0;
    void *ws = malloc(ws_bytes);
    err = ws ? mf_model_plan(&model, ws, ws_bytes, dims, rank, &arena) : MF_ENOMEM;
    if (err) {
        free(ws);
        mf_unmap_file(&file);
        return cli_fail("plan", err);
    }
    const mf_model_stats *st = mf_model_get_stats(&model);
    const char *arch = mf_model_meta(&model, "arch");
    printf("model:        %s (%s)\n", path, arch ? arch : "unknown architecture");
    printf("input:       ");
    for (int d = 0; d < rank; d++) printf("%s%d", d ? "x" : " ", dims[d]);
    printf("\n");
    printf("ops:          %u\n", st->op_count);
    printf("parameters:   %llu\n", (unsigned long long)st->param_count);
    printf("weight bytes: %llu\n", (unsigned long long)st->weight_bytes);
    printf("MACs:         %llu\n", (unsigned long long)st->macs);
    printf("peak arena:   %zu bytes\n", st->arena_bytes);
    printf("workspace:    %zu bytes\n", st->workspace_bytes);
    free(ws);
    mf_unmap_file(&file);
    return 0;
}
