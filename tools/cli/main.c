/* mcuface: the command-line front end. Every error becomes one line on
 * stderr and a non-zero exit status. The global usage is printed from the
 * commands' own option tables (cli_args.h). */
#include "cli.h"
#include "cli_recognizer.h"
#include "cli_liveness.h"
#include "cli_store.h"
#include "mcuface/mf_version.h"
#include <stdio.h>
#include <string.h>

/* In the order the usage lists them. run == NULL: reached through `eval`. */
static const cli_command *const commands[] = {
    &cli_detect_command,   &cli_embed_command,         &cli_embed_aligned_command, &cli_align_command,
    &cli_verify_command,   &cli_decode_command,        &cli_info_command,          &cli_bench_command,
    &cli_eval_lfw_command, &cli_eval_widerface_command, &cli_liveness_command,     &cli_eval_nuaa_command,
    &cli_db_command,       &cli_identify_command,      &cli_video_command,
};

static int usage(FILE *out)
{
    fputs("usage: mcuface COMMAND [options]   (mcuface COMMAND --help: that command's options)\n", out);
    for (int i = 0; i < CLI_COUNT(commands); i++) cli_args_print_entry(commands[i], out);
    fprintf(out,
            "every command that opens models (all but decode and db init/list/delete/rename/export/import) takes\n"
            "  --precision float32|int8   one precision for all its models (default %s): a model NAME means\n"
            "      models/NAME.mfm or models/NAME_int8.mfm; a FILE (with a '/' or ending in .mfm) is used as it is.\n"
            "      Default thresholds are the ones stored in the model files used.\n"
            "mcuface --version prints the version.\n",
            cli_precision_name(CLI_DEFAULT_PRECISION));
    return out == stdout ? 0 : 2;
}

int main(int argc, char **argv)
{
    if (argc < 2) return usage(stderr);
    const char *cmd = argv[1];
    if (!strcmp(cmd, "embed")) {
        for (int i = 2; i < argc; i++)
            if (!strcmp(argv[i], "--aligned")) return cmd_embed_aligned(argc - 1, argv + 1);
    }
    if (!strcmp(cmd, "eval")) return cmd_eval(argc - 1, argv + 1);
    for (int i = 0; i < CLI_COUNT(commands); i++)
        if (commands[i]->run && !strcmp(cmd, commands[i]->name)) return commands[i]->run(argc - 1, argv + 1);
    if (!strcmp(cmd, "--version")) {
        printf("mcuface %s\n", mf_version());
        return 0;
    }
    if (!strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h")) return usage(stdout);
    fprintf(stderr, "mcuface: unknown command '%s'\n", cmd);
    return usage(stderr);
}
