/* Replays the fuzz corpora (tests/store/corpus/{mount,import}) through the
 * same entry points the libFuzzer targets use, so every build checks them
 * without clang. The entry points abort on a violated invariant. */
#define _DEFAULT_SOURCE
#include "mf_test.h"
#include "support/store_fixture.h"
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int replay(const char *sub, int (*entry)(const uint8_t *, size_t))
{
    const char *root = getenv("MCUFACE_SOURCE");
    char dir[4096], path[4400];
    snprintf(dir, sizeof dir, "%s/tests/store/corpus/%s", root && *root ? root : ".", sub);
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
    return n;
}

static void test_mount_corpus(void)
{
    int n = replay("mount", mf_fuzz_store_mount);
    printf("mount corpus: %d inputs\n", n);
    MF_CHECK(n >= 4);
}

static void test_import_corpus(void)
{
    int n = replay("import", mf_fuzz_store_import);
    printf("import corpus: %d inputs\n", n);
    MF_CHECK(n >= 2);
}

int main(void)
{
    MF_RUN(test_mount_corpus);
    MF_RUN(test_import_corpus);
    return mf_test_summary();
}
