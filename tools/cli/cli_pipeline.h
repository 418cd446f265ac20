/* The face pipeline (mf_pipeline.h) for the commands that run it on image
 * files: the model files mapped read-only and used in place, the pipeline
 * opened on them, and its workspace and arena allocated and re-planned
 * whenever an image has another size. Every command that composes
 * detection with liveness or recognition goes through this, so the rules
 * (a spoof is never embedded or matched, the liveness threshold, "the
 * largest face") are the pipeline's, once. */
#ifndef MCUFACE_CLI_PIPELINE_H
#define MCUFACE_CLI_PIPELINE_H
#include "cli.h"
#include "mcuface/mf_pipeline.h"
#include "mcuface/mf_posix_file.h"

/* Which models to open, by NAME or FILE (cli_model_resolve), at PRECISION. */
typedef struct cli_pipeline_spec {
    const char *detector;                  /* NULL: CLI_DEFAULT_DETECTOR */
    int liveness;                          /* 1: open the two liveness models */
    const char *liveness_models[2];        /* NULL: minifasnet_v2, minifasnet_v1se */
    int recognizer;                        /* 1: open a recognizer */
    const char *recognizer_name;           /* NULL: CLI_DEFAULT_RECOGNIZER */
    cli_precision precision;
} cli_pipeline_spec;

typedef struct cli_pipeline {
    mf_mapped_file detector, liveness[2], recognizer;
    char paths[4][4096];                   /* detector, liveness x2, recognizer: for messages */
    mf_pipeline pipe;
    void *workspace, *arena;
    size_t arena_capacity;
    int32_t plan_width, plan_height;       /* 0 until the first image */
} cli_pipeline;

/* Maps the models SPEC names and opens the pipeline on them with OPT (its
 * liveness and recognize fields follow SPEC: liveness is forced off and
 * recognition off without the models) and STORE (may be NULL). Prints one
 * line (which file, and why) and returns 1 on failure, 0 on success. */
int cli_pipeline_open(cli_pipeline *cp, const cli_pipeline_spec *spec, mf_store *store, const mf_pipeline_options *opt);
void cli_pipeline_close(cli_pipeline *cp);

/* Plans the pipeline for WIDTH x HEIGHT frames (again only when the size
 * changed) and binds a large enough arena. Prints one line and returns 1 on
 * failure. */
int cli_pipeline_plan(cli_pipeline *cp, int32_t width, int32_t height);

/* Runs the pipeline on IMAGE (RGB; planned for its size first). WHAT names
 * it in messages. Prints one line and returns 1 on failure, 0 on success. */
int cli_pipeline_image(cli_pipeline *cp, const mf_image *image, const char *what, mf_pipeline_result *out);

/* mf_pipeline_embed_face on IMAGE (after cli_pipeline_image on it). */
int cli_pipeline_embed_face(cli_pipeline *cp, const mf_image *image, const mf_face *face, float *embedding);
#endif
