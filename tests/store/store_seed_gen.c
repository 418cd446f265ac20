/* Writes seed inputs for the store fuzzers: flash images (blank, a few
 * identities, after garbage collection, interrupted writes) and export files,
 * all in the fuzz geometry with the plain crypto hook. Usage:
 *   store_seed_gen MOUNT_DIR IMPORT_DIR */
#include "support/store_fixture.h"
#include "mcuface/mf_status.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint8_t mem[MF_FUZZ_SECTOR_SIZE * MF_FUZZ_SECTORS];

static void save(const char *dir, const char *name, const void *data, size_t n)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, n, f) != n) { perror(path); exit(1); }
    fclose(f);
}

int main(int argc, char **argv)
{
    if (argc != 3) return 2;
    mf_flash_sim sim;
    mf_flash flash;
    store_fixture fx;
    memset(&fx, 0, sizeof fx);
    float e[MF_STORE_DIM];
    for (int variant = 0; variant < 4; variant++) {
        mf_flash_sim_init(&sim, mem, MF_FUZZ_SECTOR_SIZE, MF_FUZZ_SECTORS, MF_FUZZ_PROG, 1, &flash);
        memset(mem, 0xFF, sizeof mem);
        fixture_plain_crypto(&fx.crypto);
        if (fixture_mount(&fx, &flash, 16, 32, NULL) != MF_OK) return 1;
        int ops = variant == 0 ? 0 : variant == 1 ? 3 : 14;
        if (variant == 3) mf_flash_sim_cut_after(&sim, 17);
        uint32_t ids[16] = {0};
        char name[32];
        for (int i = 0; i < ops; i++) {
            fixture_embedding((uint32_t)i + 1, e);
            snprintf(name, sizeof name, "seed %d", i);
            if (i > 3 && ids[i - 3]) mf_store_delete(&fx.store, ids[i - 3]);
            mf_store_enroll(&fx.store, name, e, 1, 0, &ids[i], NULL);
            if (i % 3 == 1) mf_store_rename(&fx.store, ids[i], "renamed");
            if (i % 4 == 2) mf_store_add_sample(&fx.store, ids[i], e);
        }
        snprintf(name, sizeof name, "image%d", variant);
        save(argv[1], name, mem, sizeof mem);
        if (variant == 1 || variant == 2) {
            mf_flash_sim_power_on(&sim);
            fixture_unmount(&fx);
            fixture_plain_crypto(&fx.crypto);
            if (fixture_mount(&fx, &flash, 16, 32, NULL) != MF_OK) return 1;
            static uint8_t file[65536];
            size_t len;
            mf_store_export_key key;
            memset(&key, 0, sizeof key);
            key.crypto = &fx.crypto;
            unsigned flags = variant == 1 ? MF_STORE_EXPORT_PLAINTEXT : 0;  /* one clear, one sealed */
            if (mf_store_export(&fx.store, &key, flags, file, sizeof file, &len) != MF_OK) return 1;
            snprintf(name, sizeof name, "export%d", variant);
            save(argv[2], name, file, len);
        }
        fixture_unmount(&fx);
    }
    return 0;
}
