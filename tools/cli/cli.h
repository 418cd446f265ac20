/* Shared helpers of the mcuface command-line tool. */
#ifndef MCUFACE_CLI_H
#define MCUFACE_CLI_H
#include <stddef.h>
#include <stdint.h>
#include "mcuface/mf_detect.h"
#include "mcuface/mf_model.h"
#include "mcuface/mf_posix_file.h"
#include "cli_args.h"

/* Prints "mcuface: WHAT: reason" for a negative status and returns 1 (the
 * exit code); returns 0 for MF_OK. */
int cli_fail(const char *what, int status);
/* Loads PATH (mf_image_load); prints "mcuface: cannot read image PATH:
 * reason" and returns 1 when it cannot, 0 otherwise. */
int cli_load_image(const char *path, mf_image *img);
/* Prints "mcuface: message" and returns 2 (usage errors). */
int cli_usage_error(const char *fmt, ...);

/* Parses TEXT, the value of option NAME, as a whole number in [MIN, MAX]
 * into *OUT. Returns 0, or prints a usage error and returns 2 (the exit
 * code) when TEXT is not such a number. */
int cli_parse_long(const char *name, const char *text, long min, long max, long *out);

/* Default path of a converted model: $MCUFACE_MODEL_DIR/NAME.mfm, else
 * <directory of the executable>/models/NAME.mfm. Static buffer. */
const char *cli_model_path(const char *name);

/* Numeric precision of the models a command runs (--precision). One
 * precision applies to every model of a command: a model NAME stands for
 * the file NAME.mfm at float32 and NAME_int8.mfm at int8. */
typedef enum cli_precision { CLI_PRECISION_FLOAT32, CLI_PRECISION_INT8 } cli_precision;
/* The precision of every command run without --precision: the one place to
 * change it (int8 once the int8 models hold the accuracy bars). */
#define CLI_DEFAULT_PRECISION CLI_PRECISION_INT8
#define CLI_DEFAULT_DETECTOR "retinaface_mnet025"

/* "float32" or "int8". */
const char *cli_precision_name(cli_precision precision);
/* Parses TEXT, the value of --precision. Returns 0, or prints a usage error
 * and returns 2 (the exit code). */
int cli_parse_precision(const char *text, cli_precision *out);
/* Writes NAME at PRECISION into OUT: NAME itself at float32, NAME_int8 at
 * int8 (a NAME that already ends in _int8 is kept). Returns 0, or 1 when
 * OUT is too small. */
int cli_model_name_at(const char *name, cli_precision precision, char *out, size_t out_size);
/* Whether a model argument names a FILE (it contains a '/' or ends in .mfm)
 * rather than a model NAME. */
int cli_is_model_file(const char *name_or_file);
/* The file a model argument means, into PATH: a FILE (it contains a '/' or
 * ends in .mfm) is taken as it is, whatever the precision; a NAME becomes
 * cli_model_path(NAME at PRECISION), which must exist. Returns 0, or prints
 * one line (the missing file and how to build it) and returns 1. */
int cli_model_resolve(const char *name_or_file, cli_precision precision, char *path, size_t path_size);
/* Whether a planned model runs int8 arithmetic (it has requantization
 * parameters): what `info` and `bench` report as its precision. */
cli_precision cli_model_precision(const mf_model *model);

/* Any model file mapped read-only and planned for one input: sizes the file
 * leaves open (0) come from WIDTH x HEIGHT (images are NHWC), others are
 * the file's. For `info` and `bench`. */
typedef struct cli_model {
    mf_mapped_file file;
    mf_model model;
    void *workspace, *arena;
    int32_t dims[4];
    int rank;
} cli_model;

/* Maps, opens and plans PATH; with BIND also allocates and binds the arena.
 * Prints one line on failure. Returns MF_OK or a negative status. */
int cli_model_open(cli_model *cm, const char *path, int32_t width, int32_t height, int bind);
void cli_model_close(cli_model *cm);

/* A model file mapped read-only and a detector planned for one input size,
 * with its memory. */
typedef struct cli_detector {
    mf_mapped_file file;
    mf_detector det;
    void *workspace, *arena;
    size_t arena_bytes;
    int32_t planned_width, planned_height;
} cli_detector;

/* Opens the detector NAME_OR_FILE at PRECISION (see cli_model_resolve;
 * NULL means CLI_DEFAULT_DETECTOR). Prints one line on failure. Returns
 * MF_OK or a negative status. */
int cli_detector_open(cli_detector *cd, const char *name_or_file, cli_precision precision);
/* Plans (again, if the size changed) for an image of W x H at LONG_SIDE. */
int cli_detector_prepare(cli_detector *cd, int32_t width, int32_t height, int32_t long_side);
void cli_detector_close(cli_detector *cd);

/* Faces the per-face commands (identify, liveness, embed) report per image
 * unless --max-faces N says otherwise; more are reported as truncated
 * ("faces_found", "faces_truncated" and a warning on stderr). */
#define CLI_DEFAULT_MAX_FACES 64
#define CLI_MAX_FACES_LIMIT 10000

/* One stderr remark when a detection at LONG_SIDE probably missed small
 * faces: the image was shrunk more than 1.5x to the network input and no
 * face was found, or the smallest face found is under 12 network pixels
 * (near the smallest the detector sees: smaller ones are lost). On the 24
 * multiface photos at 320 this flags exactly the 6 where --size 0 finds
 * many more faces (docs: README "detect"). */
void cli_remark_small_faces(const char *image_path, const mf_image *img, long long_side, const mf_face *faces,
                            int count);

/* Whether stderr is a terminal (progress bars are drawn only then). */
int cli_is_tty(void);
/* The warning for an image with more faces than reported, on stderr. */
void cli_warn_truncated(const char *image_path, int found, int reported);
void cli_progress(const char *label, size_t done, size_t total);

int cmd_detect(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_bench(int argc, char **argv);
int cmd_decode(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_video(int argc, char **argv);

/* Every command's option table and usage (cli_args.h), defined beside the
 * command; main.c dispatches on them and prints the global usage from them. */
extern const cli_command cli_detect_command, cli_embed_command, cli_embed_aligned_command, cli_align_command,
    cli_verify_command, cli_decode_command, cli_info_command, cli_bench_command, cli_eval_lfw_command,
    cli_eval_widerface_command, cli_liveness_command, cli_eval_nuaa_command, cli_db_command, cli_identify_command,
    cli_video_command;
#endif
