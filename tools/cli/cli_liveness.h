/* The liveness commands of the mcuface command-line tool (`liveness`, `eval
 * nuaa`) and the default liveness models every command runs (through
 * cli_pipeline.h). */
#ifndef MCUFACE_CLI_LIVENESS_H
#define MCUFACE_CLI_LIVENESS_H
#include "cli.h"

#define CLI_LIVENESS_MODEL_V2 "minifasnet_v2"
#define CLI_LIVENESS_MODEL_V1SE "minifasnet_v1se"

int cmd_liveness(int argc, char **argv);
/* `mcuface eval nuaa ...`: ARGV[0] is "nuaa". */
int eval_nuaa(int argc, char **argv);
#endif
