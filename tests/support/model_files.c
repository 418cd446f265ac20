#include "model_files.h"
#include "crc32.h"
#include "mf_test.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *mf_test_load_fixture(const char *dir, const char *name, size_t *size)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    void *data = mf_test_read_file(path, size);
    if (!data) fprintf(stderr, "missing fixture %s\n", path);
    return data;
}

uint8_t *mf_test_aligned_copy(const void *bytes, size_t n)
{
    uint8_t *p = aligned_alloc(16, (n + 15) / 16 * 16 + 16);
    if (p && n) memcpy(p, bytes, n);
    return p;
}

void mf_test_patch_model_crc(uint8_t *blob, size_t size)
{
    static const uint8_t zero[4] = {0, 0, 0, 0};
    uint32_t crc = mf_crc32(0, blob, 16);
    crc = mf_crc32(crc, zero, 4);
    crc = mf_crc32(crc, blob + 20, size - 20);
    memcpy(blob + 16, &crc, 4);
}
