/* A plain main for the libFuzzer targets (tests/<module>/fuzz_*.c): feeds
 * every file of every directory given on the command line to
 * LLVMFuzzerTestOneInput once, as libFuzzer would replay a corpus. Built by
 * cmake/fuzz_replay.cmake with the normal compiler, so ctest (and its
 * ASan/UBSan run) builds each target and replays its corpus without clang.
 * Exits 1 when a directory is missing or no input was found; a violated
 * invariant aborts inside the target. */
#define _DEFAULT_SOURCE
#include "mf_test.h"
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
    int total = 0;
    for (int a = 1; a < argc; a++) {
        DIR *d = opendir(argv[a]);
        if (!d) {
            fprintf(stderr, "fuzz_driver: cannot open corpus %s\n", argv[a]);
            return 1;
        }
        int n = 0;
        struct dirent *ent;
        char path[8192];
        while ((ent = readdir(d)) != NULL) {
            if (ent->d_name[0] == '.') continue;
            snprintf(path, sizeof path, "%s/%s", argv[a], ent->d_name);
            size_t size = 0;
            uint8_t *data = mf_test_read_file(path, &size);
            if (!data) continue;
            LLVMFuzzerTestOneInput(data, size);
            free(data);
            n++;
        }
        closedir(d);
        printf("%s: %d inputs replayed\n", argv[a], n);
        total += n;
    }
    return total > 0 ? 0 : 1;
}
