/* libFuzzer target for mf_image_decode (not part of ctest; the ctest
 * coverage is tests/vision/test_image_*.c and hostile_images.py). Build and run:
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude -Iport/posix \
 *     tests/vision/fuzz_image_decode.c port/posix/image_*.c port/posix/regular_file.c \
 *     src/vision/image.c src/status.c -ljpeg -lpng16 -lm -o /tmp/fuzz_image_decode
 *   /tmp/fuzz_image_decode -max_len=65536 -rss_limit_mb=256
 * Note: Debian's libjpeg-turbo and libpng are not instrumented; run crashes
 * found here under valgrind as well. */
#include "mcuface/mf_image_file.h"
#include "mcuface/mf_status.h"
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mf_image img;
    int err = mf_image_decode(data, size, &img);
    if (err == MF_OK) {
        /* Touch every pixel so the sanitizers see the whole buffer. */
        volatile uint8_t sink = 0;
        for (int y = 0; y < img.height; y++)
            for (int x = 0; x < img.width * 3; x++) sink ^= img.data[(size_t)y * (size_t)img.stride + (size_t)x];
        (void)sink;
    }
    mf_image_free(&img);
    return 0;
}
