/* libFuzzer target for the EXIF orientation parser (mf_image_exif_orientation;
 * see fuzz_image_decode.c). Corpus: tests/vision/corpus/exif. */
#include "support/parser_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) { return mf_fuzz_image_exif(data, size); }
