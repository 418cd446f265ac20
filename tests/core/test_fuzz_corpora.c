/* Replays every fuzz seed corpus through the entry points the libFuzzer
 * targets use (tests/support/parser_fuzz.h, store_fixture.h), so ctest, and
 * its ASan/UBSan run in scripts/test.sh, checks them without clang or
 * libFuzzer. The entries abort on a violated invariant. The store corpora
 * are also replayed raw by tests/store/test_store_corpus.c. */
#define _DEFAULT_SOURCE
#include "mf_test.h"
#include "support/parser_fuzz.h"
#include "support/store_fixture.h"
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int replay(const char *sub, int (*entry)(const uint8_t *, size_t))
{
    const char *root = getenv("MCUFACE_SOURCE");
    char dir[4096], path[4400];
    snprintf(dir, sizeof dir, "%s/tests/%s", root && *root ? root : ".", sub);
    DIR *d = opendir(dir);
    if (!d) return -1;
    int n = 0;
    struct dirent *ent;
    while ((ent = readdir(d)) != NULL) {
        if (ent->d_name[0] == '.') continue;
        snprintf(path, sizeof path, "%s/%s", dir, ent->d_name);
        size_t size = 0;
        uint8_t *data = mf_test_read_file(path, &size);
        if (!data) continue;
        entry(data, size);
        free(data);
        n++;
    }
    closedir(d);
    printf("%s: %d inputs\n", sub, n);
    return n;
}

static void test_image_corpus(void) { MF_CHECK(replay("vision/corpus/image", mf_fuzz_image_decode) >= 5); }

static void test_exif_corpus(void)
{
    MF_CHECK(replay("vision/corpus/exif", mf_fuzz_image_exif) >= 5);
    MF_CHECK(replay("vision/corpus/exif", mf_fuzz_image_decode) >= 5);
    MF_CHECK(replay("vision/corpus/image", mf_fuzz_image_exif) >= 5);
}

static void test_model_corpus(void) { MF_CHECK(replay("nn/corpus/model", mf_fuzz_model) >= 5); }

static void test_store_mount_fixed_crc_corpus(void)
{
    MF_CHECK(replay("store/corpus/mount", mf_fuzz_store_mount_fixed_crc) >= 4);
}

int main(void)
{
    MF_RUN(test_image_corpus);
    MF_RUN(test_exif_corpus);
    MF_RUN(test_model_corpus);
    MF_RUN(test_store_mount_fixed_crc_corpus);
    return mf_test_summary();
}
