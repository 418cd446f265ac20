/* Import time against gallery size: a clear export of N identities (one
 * template each) imported into an empty store on a RAM flash (mbedtls hook),
 * then the same N again under other names into that store (name check
 * against N stored names, face check skipped), for N and 4N. Near-linear
 * import means 4x the identities costs well under 16x the time; the program
 * exits 1 when the 4N run costs 16x or more. Usage: bench_store_import [N]. */
#define _POSIX_C_SOURCE 200809L
#include "mcuface/mf_store.h"
#include "mcuface/mf_status.h"
#include "support/store_fixture.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SECTOR 65536u

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Clear export of N identities named PREFIX + number, one template each,
 * built through a scratch store so the file is exactly what export writes. */
static uint8_t *make_file(uint32_t n, char prefix, size_t *len)
{
    uint32_t sectors = 2 + n / 90;
    uint8_t *mem = malloc((size_t)SECTOR * sectors);
    mf_flash_ram ram;
    mf_flash flash;
    mf_flash_ram_init(&ram, mem, SECTOR, sectors, 16, &flash);
    mf_flash_ram_format(&flash);
    store_fixture fx = {0};
    fixture_plain_crypto(&fx.crypto);   /* fast: only the file matters */
    uint8_t *file = NULL;
    if (fixture_mount(&fx, &flash, n, n, NULL) == MF_OK) {
        float e[MF_STORE_DIM];
        char name[32];
        for (uint32_t i = 0; i < n; i++) {
            fixture_embedding(1000000u * (uint32_t)prefix + i, e);
            snprintf(name, sizeof name, "%c-%07u", prefix, (unsigned)((i * 7919u) % 9999991u));
            if (mf_store_enroll(&fx.store, name, e, 1, MF_STORE_ALLOW_DUPLICATE, NULL, NULL) != MF_OK) break;
        }
        size_t size;
        if (mf_store_count(&fx.store) == (int)n && mf_store_export_size(&fx.store, MF_STORE_EXPORT_PLAINTEXT, &size) == MF_OK) {
            file = malloc(size);
            if (mf_store_export(&fx.store, NULL, MF_STORE_EXPORT_PLAINTEXT, file, size, len) != MF_OK) {
                free(file);
                file = NULL;
            }
        }
    }
    fixture_release(&fx);
    free(mem);
    return file;
}

/* Seconds for the second import (N names checked against N stored), or -1. */
static double time_import(uint32_t n, double *first)
{
    size_t len_a = 0, len_b = 0;
    uint8_t *a = make_file(n, 'a', &len_a), *b = make_file(n, 'b', &len_b);
    uint32_t sectors = 2 + 2 * n / 90;
    uint8_t *mem = malloc((size_t)SECTOR * sectors);
    mf_flash_ram ram;
    mf_flash flash;
    mf_flash_ram_init(&ram, mem, SECTOR, sectors, 16, &flash);
    mf_flash_ram_format(&flash);
    store_fixture fx = {0};
    double t = -1;
    if (a && b && fixture_crypto(&fx, 5) == MF_OK && fixture_mount(&fx, &flash, 2 * n, 2 * n, NULL) == MF_OK) {
        double t0 = now_s();
        int ra = mf_store_import(&fx.store, NULL, MF_STORE_EXPORT_PLAINTEXT | MF_STORE_ALLOW_DUPLICATE, a, len_a);
        double t1 = now_s();
        int rb = mf_store_import(&fx.store, NULL, MF_STORE_EXPORT_PLAINTEXT | MF_STORE_ALLOW_DUPLICATE, b, len_b);
        double t2 = now_s();
        if (ra == (int)n && rb == (int)n) {
            *first = t1 - t0;
            t = t2 - t1;
        }
        printf("N=%6u: import into empty store %.3f s, N more into a store of N %.3f s (%llu name comparisons)\n",
               (unsigned)n, t1 - t0, t2 - t1, (unsigned long long)fx.store.import_name_compares);
    }
    fixture_release(&fx);
    free(mem);
    free(a);
    free(b);
    return t;
}

int main(int argc, char **argv)
{
    uint32_t n = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 10) : 6000;
    if (n < 100 || n > 100000) {
        fprintf(stderr, "usage: bench_store_import [N in 100..100000]\n");
        return 2;
    }
    double f1, f4;
    double t1 = time_import(n, &f1), t4 = time_import(4 * n, &f4);
    if (t1 <= 0 || t4 <= 0) {
        fprintf(stderr, "bench_store_import: an import failed\n");
        return 1;
    }
    printf("4x identities: %.2fx the time (empty store), %.2fx (into a store of the same size); quadratic ~16x\n",
           f4 / f1, t4 / t1);
    return t4 / t1 < 16.0 && f4 / f1 < 16.0 ? 0 : 1;
}
