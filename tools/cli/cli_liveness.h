/* Liveness helpers of the mcuface command-line tool: the two MiniFASNet model
 * files mapped and planned with their memory, and the largest-face choice
 * shared by `liveness`, `eval nuaa` (and the verify/identify commands). */
#ifndef MCUFACE_CLI_LIVENESS_H
#define MCUFACE_CLI_LIVENESS_H
#include "mcuface/mf_detect.h"
#include "mcuface/mf_liveness.h"
#include "cli.h"
#include "mcuface/mf_posix_file.h"

typedef struct cli_liveness {
    mf_mapped_file files[MF_LIVENESS_MAX_MODELS];
    mf_liveness lv;
    void *workspace, *arena;
} cli_liveness;

#define CLI_LIVENESS_MODEL_V2 "minifasnet_v2"
#define CLI_LIVENESS_MODEL_V1SE "minifasnet_v1se"
/* Metadata key a liveness model file may carry: its own default threshold
 * on the fused score (an int8 pair scores a little differently from the
 * float one). Without it the default is MF_LIVENESS_DEFAULT_THRESHOLD. */
#define CLI_LIVENESS_THRESHOLD_META "live_threshold"

/* Opens, plans and binds the models NAMES_OR_FILES[0..COUNT-1] at PRECISION
 * (see cli_model_resolve); NULL means the default pair minifasnet_v2 and
 * minifasnet_v1se. The threshold starts at the first model's
 * CLI_LIVENESS_THRESHOLD_META when it has one. Prints one line on failure.
 * Returns MF_OK or a negative status. */
int cli_liveness_open(cli_liveness *cl, const char *const *names_or_files, int count, cli_precision precision);
void cli_liveness_close(cli_liveness *cl);

/* Index of the face with the largest box area among COUNT faces, or -1. */
int cli_largest_face(const mf_face *faces, int count);

int cmd_liveness(int argc, char **argv);
/* `mcuface eval nuaa ...`: ARGV[0] is "nuaa". */
int eval_nuaa(int argc, char **argv);
#endif
