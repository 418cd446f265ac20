/* libFuzzer target for mf_image_decode (bench/fuzz_all.sh builds and runs
 * it; ctest replays tests/vision/corpus/{image,exif} through
 * tests/fuzz_driver.c). Note: Debian's libjpeg-turbo and libpng are not
 * instrumented; run crashes found here under valgrind as well. */
#include "support/parser_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) { return mf_fuzz_image_decode(data, size); }
