/* Liveness helpers of the mcuface command-line tool: the two MiniFASNet model
 * files mapped and planned with their memory, and the largest-face choice
 * shared by `liveness`, `eval nuaa` (and the verify/identify commands). */
#ifndef MCUFACE_CLI_LIVENESS_H
#define MCUFACE_CLI_LIVENESS_H
#include "mcuface/mf_detect.h"
#include "mcuface/mf_liveness.h"
#include "mf_posix.h"

typedef struct cli_liveness {
    mf_mapped_file files[MF_LIVENESS_MAX_MODELS];
    mf_liveness lv;
    void *workspace, *arena;
} cli_liveness;

/* Opens, plans and binds the models at PATHS[0..COUNT-1]; NULL PATHS means
 * the default minifasnet_v2 and minifasnet_v1se from cli_model_path. Prints
 * one line on failure. Returns MF_OK or a negative status. */
int cli_liveness_open(cli_liveness *cl, const char *const *paths, int count);
void cli_liveness_close(cli_liveness *cl);

/* Index of the face with the largest box area among COUNT faces, or -1. */
int cli_largest_face(const mf_face *faces, int count);

int cmd_liveness(int argc, char **argv);
/* `mcuface eval nuaa ...`: ARGV[0] is "nuaa". */
int eval_nuaa(int argc, char **argv);
#endif
