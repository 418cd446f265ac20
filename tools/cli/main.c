/* mcuface: the command-line front end. Every error becomes one line on
 * stderr and a non-zero exit status. */
#include "cli.h"
#include "cli_recognizer.h"
#include "cli_liveness.h"
#include "cli_store.h"
#include <stdio.h>
#include <string.h>

static int usage(FILE *out)
{
    fputs("usage: mcuface COMMAND [options]\n"
          "  detect IMAGE [--size N] [--json] [-o annotated.png] [--model FILE]\n"
          "      faces with boxes and 5 landmarks; --size = network long side (default 320, 0 = original)\n"
          "  embed IMAGE [--json] [--recognizer NAME] [--size N]\n"
          "      L2-normalised embedding of every face\n"
          "  embed --aligned FACE.png... [--recognizer NAME]\n"
          "      embeddings of already aligned 112x112 faces, one JSON line each\n"
          "  align IMAGE OUT.png [--size N]\n"
          "      the largest face aligned to the canonical 112x112 view\n"
          "  verify A B [--json] [--recognizer NAME] [--threshold T] [--no-liveness]\n"
          "      same person? (largest face of each; spoofed faces are refused, exit 3)\n"
          "  decode IMAGE OUT.png\n"
          "      the decoded RGB pixels mcuface works on, as a lossless PNG\n"
          "  info MODEL [--size N | --input WxH]\n"
          "      ops, parameters, MACs, weight bytes, planned peak arena, workspace (int8: requantization part)\n"
          "  bench MODEL [--input WxH] [--runs N] [--warmup K] [--json]\n"
          "      single-thread speed: median and min ms per run, MACs, GMAC/s (deterministic input)\n"
          "  eval lfw --data DIR [--recognizer NAME] [--folds K] [--json]\n"
          "      10-fold LFW verification accuracy end to end from the raw images\n"
          "  eval widerface --data DIR [--size N] [--json] [--model FILE]\n"
          "      average precision on the easy/medium/hard subsets (IoU 0.5)\n"
          "  liveness IMAGE [--json] [--threshold T] [--size N]\n"
          "      anti-spoofing: fused live score of every detected face and the live/spoof decision\n"
          "  eval nuaa --data DIR [--json] [--threshold T] [--size N] [--scores OUT.tsv]\n"
          "      APCER, BPCER, ACER at the threshold, EER, and the threshold at BPCER = 5%\n"
          "  db --db FILE --key-file KEY init | enroll NAME IMAGE... | add ID IMAGE... | list [--json]\n"
          "     | delete ID | rename ID NAME | export OUT | import IN\n"
          "      encrypted enrollment store ($MCUFACE_KEY_FILE may replace --key-file; init creates a missing key);\n"
          "      enroll/add: largest face per image, [--no-liveness] [--allow-duplicate] [--recognizer NAME] [--size N]\n"
          "  identify --db FILE --key-file KEY IMAGE [--json] [--no-liveness]\n"
          "      who is each face? (1:N search; spoofed faces are never matched)\n",
          out);
    fprintf(out,
            "every command that opens models (all but decode and db init/list/delete/rename/export/import) takes\n"
            "  --precision float32|int8   one precision for all its models (default %s): a model NAME means\n"
            "      models/NAME.mfm or models/NAME_int8.mfm; a FILE (with a '/' or ending in .mfm) is used as it is.\n"
            "      Default thresholds are the ones stored in the model files used.\n",
            cli_precision_name(CLI_DEFAULT_PRECISION));
    return out == stdout ? 0 : 2;
}

int main(int argc, char **argv)
{
    if (argc < 2) return usage(stderr);
    const char *cmd = argv[1];
    if (!strcmp(cmd, "detect")) return cmd_detect(argc - 1, argv + 1);
    if (!strcmp(cmd, "embed")) {
        for (int i = 2; i < argc; i++)
            if (!strcmp(argv[i], "--aligned")) return cmd_embed_aligned(argc - 1, argv + 1);
        return cmd_embed(argc - 1, argv + 1);
    }
    if (!strcmp(cmd, "align")) return cmd_align(argc - 1, argv + 1);
    if (!strcmp(cmd, "verify")) return cmd_verify(argc - 1, argv + 1);
    if (!strcmp(cmd, "decode")) return cmd_decode(argc - 1, argv + 1);
    if (!strcmp(cmd, "info")) return cmd_info(argc - 1, argv + 1);
    if (!strcmp(cmd, "bench")) return cmd_bench(argc - 1, argv + 1);
    if (!strcmp(cmd, "eval")) return cmd_eval(argc - 1, argv + 1);
    if (!strcmp(cmd, "liveness")) return cmd_liveness(argc - 1, argv + 1);
    if (!strcmp(cmd, "db")) return cmd_db(argc - 1, argv + 1);
    if (!strcmp(cmd, "identify")) return cmd_identify(argc - 1, argv + 1);
    if (!strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h")) return usage(stdout);
    fprintf(stderr, "mcuface: unknown command '%s'\n", cmd);
    return usage(stderr);
}
