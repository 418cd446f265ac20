/* libFuzzer target: mount over an arbitrary flash image (bench/fuzz_store.sh
 * builds and runs it; tests/store/test_store_corpus.c replays the corpus). */
#include "support/store_fixture.h"
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) { return mf_fuzz_store_mount(data, size); }
