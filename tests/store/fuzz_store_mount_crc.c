/* libFuzzer target: mount over an arbitrary flash image whose header and
 * record CRCs are recomputed first, so mutations reach the record logic (the
 * plain fuzz_store_mount.c mostly exercises the CRC rejection). Corpus:
 * tests/store/corpus/mount, shared with fuzz_store_mount. */
#include "support/parser_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) { return mf_fuzz_store_mount_fixed_crc(data, size); }
