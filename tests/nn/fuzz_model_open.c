/* libFuzzer target for the model loader: mf_model_open with the CRC fixed up,
 * then plan (and a cheap run). bench/fuzz_all.sh builds it; corpus:
 * tests/nn/corpus/model, replayed in ctest by replay_fuzz_model_open (cmake/fuzz_replay.cmake). */
#include "support/parser_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) { return mf_fuzz_model(data, size); }
