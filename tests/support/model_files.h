/* Helpers shared by the model-file tests: fixtures, aligned copies, CRC fix-up. */
#ifndef MF_TEST_MODEL_FILES_H
#define MF_TEST_MODEL_FILES_H
#include <stddef.h>
#include <stdint.h>

/* Reads DIR/NAME into a malloc'd buffer; prints which fixture is missing and returns NULL. */
void *mf_test_load_fixture(const char *dir, const char *name, size_t *size);
/* Copies BYTES into 16-byte aligned malloc'd memory, as flash or mmap would give. */
uint8_t *mf_test_aligned_copy(const void *bytes, size_t n);
/* Rewrites a model file's CRC field so damage elsewhere reaches the structural checks. */
void mf_test_patch_model_crc(uint8_t *blob, size_t size);
#endif
