/* mcuface align IMAGE OUT.png [options]: the largest face, aligned to the
 *     canonical 112x112 view, as the recognizers see it (--precision picks
 *     the detector's).
 * mcuface embed --aligned FACE.png... [options]:
 *     embeddings of faces that are already aligned (112x112), one JSON
 *     object per line.
 * Together they let users (and the oracle tests) bring their own crops. */
#include "cli_pipeline.h"
#include "cli_recognizer.h"
#include "mcuface/mf_status.h"
#include "mcuface/mf_image_file.h"
#include <stdio.h>

/* Faces the largest is chosen among. */
#define MAX_FACES 64

typedef struct align_args {
    long size;
    const char *detector;
    cli_precision precision;
} align_args;

static const cli_option align_options[] = {
    CLI_OPTION_SIZE(align_args),
    CLI_OPTION_DETECTOR(align_args),
    CLI_OPTION_PRECISION(align_args),
};

const cli_command cli_align_command = {
    "align", "IMAGE OUT.png", "the largest face aligned to the canonical 112x112 view", NULL, align_options,
    CLI_COUNT(align_options), 2, 2, cmd_align,
};

int cmd_align(int argc, char **argv)
{
    align_args a = {.size = 320, .precision = CLI_DEFAULT_PRECISION};
    int positional = 0, status = cli_args_parse(&cli_align_command, argc, argv, &a, &positional);
    if (status != CLI_ARGS_RUN) return status;
    const char *in = argv[1], *out = argv[2];
    long size = a.size;
    cli_precision precision = a.precision;
    mf_image img;
    if (cli_load_image(in, &img)) return 1;
    /* The pipeline's choice of the face (its largest-face rule), then the
     * alignment the recognizers see. */
    cli_pipeline_spec spec = {.detector = a.detector, .precision = precision};
    mf_pipeline_options opt = mf_pipeline_default_options();
    opt.detector_long_side = (int32_t)size;
    opt.tracking = 0;
    opt.select = MF_PIPELINE_SELECT_LARGEST;
    opt.max_faces = MAX_FACES;
    cli_pipeline cp;
    if (cli_pipeline_open(&cp, &spec, NULL, &opt)) {
        mf_image_free(&img);
        return 1;
    }
    static uint8_t pixels[MF_ALIGNED_SIZE * MF_ALIGNED_SIZE * 3];
    mf_pipeline_result r;
    status = cli_pipeline_image(&cp, &img, in, &r);
    if (!status && r.face_count == 0) {
        fprintf(stderr, "mcuface: %s: no face found\n", in);
        status = 1;
    } else if (!status) {
        mf_image aligned;
        int err = mf_image_init(&aligned, pixels, sizeof pixels, MF_ALIGNED_SIZE, MF_ALIGNED_SIZE, 3);
        if (!err) err = mf_align_face(&img, r.faces[0].face.landmarks, &aligned);
        if (!err) err = mf_image_save_png(out, &aligned);
        if (err) status = cli_fail(out, err);
    }
    cli_pipeline_close(&cp);
    mf_image_free(&img);
    return status;
}

typedef struct embed_aligned_args {
    int aligned, json;
    const char *recognizer;
    cli_precision precision;
} embed_aligned_args;

static const cli_option embed_aligned_options[] = {
    CLI_OPT("--aligned", CLI_ARG_FLAG, embed_aligned_args, aligned, NULL, NULL),
    CLI_OPT("--json", CLI_ARG_FLAG, embed_aligned_args, json, NULL, NULL), /* the output is always JSON lines */
    CLI_OPTION_RECOGNIZER(embed_aligned_args),
    CLI_OPTION_PRECISION(embed_aligned_args),
};

const cli_command cli_embed_aligned_command = {
    "embed", "--aligned FACE.png...", "embeddings of already aligned 112x112 faces, one JSON line each", NULL,
    embed_aligned_options, CLI_COUNT(embed_aligned_options), 1, -1, cmd_embed_aligned,
};

int cmd_embed_aligned(int argc, char **argv)
{
    embed_aligned_args a = {.precision = CLI_DEFAULT_PRECISION};
    int image_count = 0, status = cli_args_parse(&cli_embed_aligned_command, argc, argv, &a, &image_count);
    if (status != CLI_ARGS_RUN) return status;
    const char *recognizer = a.recognizer;
    cli_precision precision = a.precision;
    cli_recognizer cr;
    if (cli_recognizer_open(&cr, recognizer, precision)) return 1;
    int32_t dim = mf_recognizer_dim(&cr.rec);
    static float embedding[MF_EMBEDDING_MAX_DIM];
    status = 0;
    for (int i = 1; i <= image_count && !status; i++) {
        mf_image face;
        if (cli_load_image(argv[i], &face)) {
            status = 1;
            break;
        }
        int err = mf_embed(&cr.rec, &face, embedding, dim);
        mf_image_free(&face);
        if (err) {
            fprintf(stderr, "mcuface: %s: %s (aligned faces are 112x112)\n", argv[i], mf_status_str(err));
            status = 1;
            break;
        }
        printf("{\"image\":\"%s\",\"embedding\":[", argv[i]);
        for (int32_t k = 0; k < dim; k++) printf("%s%.7g", k ? "," : "", embedding[k]);
        printf("],\"precision\":\"%s\"}\n", cli_precision_name(precision));
    }
    cli_recognizer_close(&cr);
    return status;
}
