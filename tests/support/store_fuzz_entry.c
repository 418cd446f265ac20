/* The fuzzed entry points: mount over an arbitrary flash image, and import of
 * an arbitrary file. Used by tests/store/fuzz_store_*.c (libFuzzer) and
 * replayed by tests/store/test_store_corpus.c. Any crash, sanitizer report or
 * violated invariant (abort) is a bug. */
#include "support/store_fixture.h"
#include "mcuface/mf_status.h"
#include <stdlib.h>
#include <string.h>

#define FLASH_BYTES (MF_FUZZ_SECTOR_SIZE * MF_FUZZ_SECTORS)

static void require(int cond)
{
    if (!cond) abort();
}

static int mount_plain(store_fixture *fx, mf_flash *flash, mf_flash_ram *ram, uint8_t *mem, mf_store_stats *st)
{
    require(mf_flash_ram_init(ram, mem, MF_FUZZ_SECTOR_SIZE, MF_FUZZ_SECTORS, MF_FUZZ_PROG, flash) == MF_OK);
    fixture_plain_crypto(&fx->crypto);
    return fixture_mount(fx, flash, 16, 32, st);
}

/* Whatever mount accepts must be usable: list it, search it, write to it, and
 * find the same identities after a remount. */
int mf_fuzz_store_mount(const uint8_t *data, size_t size)
{
    static uint8_t mem[FLASH_BYTES];
    memset(mem, 0xFF, sizeof mem);
    memcpy(mem, data, size < sizeof mem ? size : sizeof mem);
    store_fixture fx;
    memset(&fx, 0, sizeof fx);
    mf_flash flash;
    mf_flash_ram ram;
    mf_store_stats st;
    int err = mount_plain(&fx, &flash, &ram, mem, &st);
    if (err == MF_OK) {
        int n = mf_store_count(&fx.store);
        require(n >= 0 && n <= 16);
        for (int i = 0; i < n; i++) {
            mf_store_identity id;
            require(mf_store_get(&fx.store, (uint32_t)i, &id) == MF_OK);
            require(mf_store_check_name(id.name) == MF_OK);
            require(id.template_count >= 1 && id.template_count <= MF_STORE_MAX_TEMPLATES);
        }
        float emb[MF_STORE_DIM];
        fixture_embedding(7, emb);
        mf_store_match m[4];
        require(mf_store_identify(&fx.store, emb, -1.0f, m, 4) >= 0);
        uint32_t new_id = 0;
        err = mf_store_enroll(&fx.store, "fuzz-new", emb, 1, MF_STORE_ALLOW_DUPLICATE, &new_id, NULL);
        require(err == MF_OK || err == MF_ENOSPC || err == MF_EEXIST);
        int expect = n + (err == MF_OK);
        store_fixture again;
        memset(&again, 0, sizeof again);
        require(mount_plain(&again, &flash, &ram, mem, NULL) == MF_OK);
        require(mf_store_count(&again.store) == expect);
        if (err == MF_OK) {
            mf_store_identity id;
            require(mf_store_find_id(&again.store, new_id, &id) == MF_OK && strcmp(id.name, "fuzz-new") == 0);
        }
        fixture_unmount(&again);
    }
    fixture_unmount(&fx);
    return 0;
}

/* Import into a store holding one identity: either the file is refused and
 * nothing changes, or every entry arrives and survives a remount. */
int mf_fuzz_store_import(const uint8_t *data, size_t size)
{
    static uint8_t mem[FLASH_BYTES];
    memset(mem, 0xFF, sizeof mem);
    store_fixture fx;
    memset(&fx, 0, sizeof fx);
    mf_flash flash;
    mf_flash_ram ram;
    require(mount_plain(&fx, &flash, &ram, mem, NULL) == MF_OK);
    float emb[MF_STORE_DIM];
    fixture_embedding(3, emb);
    require(mf_store_enroll(&fx.store, "resident", emb, 1, 0, NULL, NULL) == MF_OK);
    static uint8_t before[FLASH_BYTES];
    memcpy(before, mem, sizeof mem);
    /* The fixture's stand-in crypto accepts a zero tag, so sealed files reach
     * the parser behind the envelope as well as clear ones. */
    static uint8_t file[1 << 16];
    if (size > sizeof file) size = sizeof file;
    memcpy(file, data, size);
    mf_store_export_key key;
    memset(&key, 0, sizeof key);
    key.crypto = &fx.crypto;
    int n = mf_store_import(&fx.store, &key, MF_STORE_EXPORT_PLAINTEXT, file, size);
    if (n < 0) {
        require(memcmp(before, mem, sizeof mem) == 0);
        require(mf_store_count(&fx.store) == 1);
    } else {
        require(mf_store_count(&fx.store) == 1 + n);
        store_fixture again;
        memset(&again, 0, sizeof again);
        require(mount_plain(&again, &flash, &ram, mem, NULL) == MF_OK);
        require(mf_store_count(&again.store) == 1 + n);
        fixture_unmount(&again);
    }
    fixture_unmount(&fx);
    return 0;
}
