/* mcuface decode IMAGE OUT.png: the pixels mcuface sees (after decoding and
 * conversion to RGB), written losslessly. Lets other tools (and the PyTorch
 * oracles in tests) start from exactly the same pixels. */
#include "cli.h"
#include "mcuface/mf_status.h"
#include "mcuface/mf_image_file.h"
#include <stdio.h>

int cmd_decode(int argc, char **argv)
{
    if (argc != 3) return cli_usage_error("usage: mcuface decode IMAGE OUT.png");
    mf_image img;
    int err = mf_image_load(argv[1], &img);
    if (err) {
        fprintf(stderr, "mcuface: cannot read image %s: %s\n", argv[1], mf_status_str(err));
        return 1;
    }
    err = mf_image_save_png(argv[2], &img);
    mf_image_free(&img);
    if (err) {
        fprintf(stderr, "mcuface: cannot write %s: %s\n", argv[2], mf_status_str(err));
        return 1;
    }
    return 0;
}
