/* Recognition helpers of the mcuface command-line tool: a recognizer model
 * mapped and planned with its memory, for `embed --aligned` (faces already
 * aligned: no detection) and eval lfw's embedding size. Faces of images go
 * through cli_pipeline.h. */
#ifndef MCUFACE_CLI_RECOGNIZER_H
#define MCUFACE_CLI_RECOGNIZER_H
#include "cli.h"
#include "mcuface/mf_recognize.h"

#define CLI_DEFAULT_RECOGNIZER "edgeface_xs_gamma_06"

typedef struct cli_recognizer {
    mf_mapped_file file;
    mf_recognizer rec;
    void *workspace, *arena;
} cli_recognizer;

/* Opens the recognizer NAME_OR_FILE at PRECISION (see cli_model_resolve;
 * NULL means CLI_DEFAULT_RECOGNIZER). Its 1:1 threshold is the one stored
 * in that file. Prints one line on failure. Returns MF_OK or a negative
 * status. */
int cli_recognizer_open(cli_recognizer *cr, const char *name_or_file, cli_precision precision);
void cli_recognizer_close(cli_recognizer *cr);

int cmd_embed(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_align(int argc, char **argv);
int cmd_embed_aligned(int argc, char **argv);
/* `mcuface eval lfw ...`: ARGV[0] is "lfw". */
int eval_lfw(int argc, char **argv);
#endif
