/* mcuface decode IMAGE OUT.png: the pixels mcuface sees (after decoding and
 * conversion to RGB), written losslessly. Lets other tools (and the PyTorch
 * oracles in tests) start from exactly the same pixels. */
#include "cli.h"
#include "mcuface/mf_status.h"
#include "mcuface/mf_image_file.h"
#include <stdio.h>

const cli_command cli_decode_command = {
    "decode", "IMAGE OUT.png", "the decoded RGB pixels mcuface works on, as a lossless PNG", NULL, NULL, 0, 2, 2, cmd_decode,
};

int cmd_decode(int argc, char **argv)
{
    int positional = 0, status = cli_args_parse(&cli_decode_command, argc, argv, NULL, &positional);
    if (status != CLI_ARGS_RUN) return status;
    mf_image img;
    if (cli_load_image(argv[1], &img)) return 1;
    int err = mf_image_save_png(argv[2], &img);
    mf_image_free(&img);
    if (err) {
        fprintf(stderr, "mcuface: cannot write %s: %s\n", argv[2], mf_status_str(err));
        return 1;
    }
    return 0;
}
