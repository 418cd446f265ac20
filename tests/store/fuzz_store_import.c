/* libFuzzer target: import of an arbitrary export file (see fuzz_store_mount.c). */
#include "support/store_fixture.h"
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) { return mf_fuzz_store_import(data, size); }
