/* Recognition helpers of the mcuface command-line tool: a recognizer model
 * mapped and planned with its memory, and "one face of an image to an
 * embedding" shared by embed, verify and eval lfw. */
#ifndef MCUFACE_CLI_RECOGNIZER_H
#define MCUFACE_CLI_RECOGNIZER_H
#include "cli.h"
#include "mcuface/mf_recognize.h"

#define CLI_DEFAULT_RECOGNIZER "edgeface_xs_gamma_06"

typedef struct cli_recognizer {
    mf_mapped_file file;
    mf_recognizer rec;
    void *workspace, *arena;
    uint8_t aligned[MF_ALIGNED_SIZE * MF_ALIGNED_SIZE * 3]; /* per instance: eval lfw embeds on several threads */
    int flip;                                               /* add the mirrored face's embedding (test-time flip) */
} cli_recognizer;

/* Opens the recognizer NAME_OR_FILE at PRECISION (see cli_model_resolve;
 * NULL means CLI_DEFAULT_RECOGNIZER). Its 1:1 threshold is the one stored
 * in that file. Prints one line on failure. Returns MF_OK or a negative
 * status. */
int cli_recognizer_open(cli_recognizer *cr, const char *name_or_file, cli_precision precision);
void cli_recognizer_close(cli_recognizer *cr);

/* Aligns FACE of IMAGE and embeds it into EMBEDDING (mf_recognizer_dim
 * floats). With cr->flip, the embedding is the normalised sum of the face's
 * and its mirror image's (the common LFW test-time augmentation). */
int cli_embed_face(cli_recognizer *cr, const mf_image *image, const mf_face *face, float *embedding);

int cmd_embed(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_align(int argc, char **argv);
int cmd_embed_aligned(int argc, char **argv);
/* `mcuface eval lfw ...`: ARGV[0] is "lfw". */
int eval_lfw(int argc, char **argv);
#endif
