/* Each bad request or bad state gives a clear error and changes nothing on
 * flash or in RAM: wrong key, tampered template, full flash, full gallery,
 * name too long, unknown id, newer format, RAM too small. */
#include "mf_test.h"
#include "support/store_fixture.h"
#include "mcuface/mf_status.h"
#include <stdio.h>
#include <string.h>

#define SECTOR 4096u
#define SECTORS 4u
#define HEADER 64u
#define SLOT 672u

static uint8_t mem[SECTOR * SECTORS], snapshot[SECTOR * SECTORS];
static mf_flash_ram ram;
static mf_flash flash;

static uint32_t crc32_ref(const uint8_t *p, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int b = 0; b < 8; b++) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
    }
    return ~c;
}

static void put_u32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}

static int unchanged(void) { return memcmp(mem, snapshot, sizeof mem) == 0; }

/* Fresh store with two identities: "a" (id A, 2 templates) and "b". */
static void setup(store_fixture *fx, uint32_t *a, uint32_t *b)
{
    mf_flash_ram_init(&ram, mem, SECTOR, SECTORS, 16, &flash);
    mf_flash_ram_format(&flash);
    fixture_crypto(fx, 11);
    MF_CHECK_EQ_INT(fixture_mount(fx, &flash, 8, 16, NULL), MF_OK);
    float e[MF_STORE_DIM];
    fixture_embedding(1, e);
    MF_CHECK_EQ_INT(mf_store_enroll(&fx->store, "a", e, 1, 0, a, NULL), MF_OK);
    fixture_embedding(2, e);
    MF_CHECK_EQ_INT(mf_store_add_sample(&fx->store, *a, e), MF_OK);
    fixture_embedding(3, e);
    MF_CHECK_EQ_INT(mf_store_enroll(&fx->store, "b", e, 1, 0, b, NULL), MF_OK);
    memcpy(snapshot, mem, sizeof mem);
}

static void test_wrong_key(void)
{
    store_fixture fx = {0}, other = {0};
    uint32_t a, b;
    setup(&fx, &a, &b);
    fixture_crypto(&other, 12);
    MF_CHECK_EQ_INT(fixture_mount(&other, &flash, 8, 16, NULL), MF_EAUTH);
    MF_CHECK(unchanged());
    MF_CHECK_EQ_INT(mf_store_count(&other.store), MF_ESTATE);   /* not mounted: refuses */
    float e[MF_STORE_DIM];
    fixture_embedding(9, e);
    MF_CHECK_EQ_INT(mf_store_enroll(&other.store, "x", e, 1, 0, NULL, NULL), MF_ESTATE);
    MF_CHECK(unchanged());
    fixture_unmount(&fx);
    MF_CHECK_EQ_INT(fixture_mount(&fx, &flash, 8, 16, NULL), MF_OK);   /* right key still works */
    MF_CHECK_EQ_INT(mf_store_count(&fx.store), 2);
    fixture_release(&fx);
    fixture_release(&other);
}

/* Change one ciphertext byte and fix the CRC: only the GCM tag can tell. */
static void tamper(uint32_t slot_index)
{
    uint8_t *slot = mem + HEADER + slot_index * SLOT;
    slot[56 + 100] ^= 0x40;   /* ciphertext starts at 56, CRC at 636 (docs/STORE.md) */
    put_u32(slot + 636, crc32_ref(slot, 636));
}

static void test_tampered_template(void)
{
    store_fixture fx = {0};
    uint32_t a, b;
    setup(&fx, &a, &b);
    tamper(1);   /* slot 1: the SAMPLE of "a" */
    memcpy(snapshot, mem, sizeof mem);
    mf_store_stats st;
    fixture_unmount(&fx);
    MF_CHECK_EQ_INT(fixture_mount(&fx, &flash, 8, 16, &st), MF_OK);
    MF_CHECK_EQ_INT(st.records_auth_failed, 1);
    MF_CHECK_EQ_INT(st.records_corrupt, 0);
    mf_store_identity info;
    MF_CHECK_EQ_INT(mf_store_find_id(&fx.store, a, &info), MF_OK);
    MF_CHECK_EQ_INT(info.template_count, 1);   /* the tampered template is not used */
    float e[MF_STORE_DIM];
    fixture_embedding(2, e);
    mf_store_match m[2];
    MF_CHECK_EQ_INT(mf_store_identify(&fx.store, e, -1.0f, m, 2), 0);
    MF_CHECK(unchanged());
    /* tampered enrollment: the identity is not shown at all */
    tamper(2);
    memcpy(snapshot, mem, sizeof mem);
    fixture_unmount(&fx);
    MF_CHECK_EQ_INT(fixture_mount(&fx, &flash, 8, 16, &st), MF_OK);
    MF_CHECK_EQ_INT(st.records_auth_failed, 2);
    MF_CHECK_EQ_INT(mf_store_find_id(&fx.store, b, &info), MF_ENOTFOUND);
    MF_CHECK_EQ_INT(mf_store_count(&fx.store), 1);
    MF_CHECK(unchanged());
    fixture_release(&fx);
}

static void test_full_flash_and_gallery(void)
{
    store_fixture fx = {0};
    uint32_t a, b;
    setup(&fx, &a, &b);
    float e[MF_STORE_DIM];
    char name[16];
    int err = MF_OK, n = 0;
    /* capacity (4 - 1) * (6 - 2) = 12 records, gallery 8 identities / 16 templates */
    for (uint32_t k = 0; k < 20 && err == MF_OK; k++) {
        fixture_embedding(100 + k, e);
        err = mf_store_add_sample(&fx.store, k % 2 ? b : a, e);
        n += err == MF_OK;
    }
    MF_CHECK_EQ_INT(err, MF_ENOSPC);   /* identity "a"/"b" full at 8 templates each */
    MF_CHECK_EQ_INT(n, 9);             /* 12 records - 3 already there */
    memcpy(snapshot, mem, sizeof mem);
    fixture_embedding(500, e);
    MF_CHECK_EQ_INT(mf_store_enroll(&fx.store, "one more", e, 1, 0, NULL, NULL), MF_ENOSPC);
    MF_CHECK_EQ_INT(mf_store_rename(&fx.store, a, "new name"), MF_ENOSPC);
    MF_CHECK(unchanged());
    MF_CHECK_EQ_INT(mf_store_count(&fx.store), 2);
    /* delete frees room again */
    MF_CHECK_EQ_INT(mf_store_delete(&fx.store, b), MF_OK);
    MF_CHECK_EQ_INT(mf_store_enroll(&fx.store, "one more", e, 1, 0, NULL, NULL), MF_OK);
    fixture_release(&fx);

    /* gallery full (RAM capacity) */
    store_fixture g = {0};
    mf_flash_ram_format(&flash);
    fixture_crypto(&g, 11);
    MF_CHECK_EQ_INT(fixture_mount(&g, &flash, 2, 16, NULL), MF_OK);
    for (int i = 0; i < 2; i++) {
        fixture_embedding(600 + (uint32_t)i, e);
        snprintf(name, sizeof name, "g%d", i);
        MF_CHECK_EQ_INT(mf_store_enroll(&g.store, name, e, 1, 0, NULL, NULL), MF_OK);
    }
    memcpy(snapshot, mem, sizeof mem);
    fixture_embedding(602, e);
    MF_CHECK_EQ_INT(mf_store_enroll(&g.store, "g2", e, 1, 0, NULL, NULL), MF_ENOSPC);
    MF_CHECK(unchanged());
    /* a store with more identities than the RAM gallery holds does not mount */
    fixture_unmount(&g);
    MF_CHECK_EQ_INT(fixture_mount(&g, &flash, 1, 16, NULL), MF_ENOMEM);
    MF_CHECK(unchanged());
    /* RAM buffer too small */
    size_t need = mf_store_ram_size(&flash, 2, 16);
    g.cfg.ram_size = need - 1;
    MF_CHECK_EQ_INT(mf_store_mount(&g.store, &g.cfg, NULL), MF_ENOMEM);
    fixture_release(&g);
}

static void test_bad_names_and_ids(void)
{
    store_fixture fx = {0};
    uint32_t a, b;
    setup(&fx, &a, &b);
    char too_long[80];
    memset(too_long, 'n', 64);
    too_long[64] = 0;
    float e[MF_STORE_DIM];
    fixture_embedding(50, e);
    MF_CHECK_EQ_INT(mf_store_enroll(&fx.store, too_long, e, 1, 0, NULL, NULL), MF_ERANGE);
    MF_CHECK_EQ_INT(mf_store_rename(&fx.store, a, too_long), MF_ERANGE);
    MF_CHECK_EQ_INT(mf_store_enroll(&fx.store, "bad\xff", e, 1, 0, NULL, NULL), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_store_enroll(&fx.store, NULL, e, 1, 0, NULL, NULL), MF_EINVAL);
    uint32_t unknown = b + 100;
    MF_CHECK_EQ_INT(mf_store_delete(&fx.store, unknown), MF_ENOTFOUND);
    MF_CHECK_EQ_INT(mf_store_rename(&fx.store, unknown, "c"), MF_ENOTFOUND);
    MF_CHECK_EQ_INT(mf_store_add_sample(&fx.store, unknown, e), MF_ENOTFOUND);
    MF_CHECK_EQ_INT(mf_store_verify(&fx.store, unknown, e, NULL), MF_ENOTFOUND);
    mf_store_identity info;
    MF_CHECK_EQ_INT(mf_store_find_id(&fx.store, unknown, &info), MF_ENOTFOUND);
    MF_CHECK_EQ_INT(mf_store_find_name(&fx.store, "nobody", &info), MF_ENOTFOUND);
    MF_CHECK(unchanged());
    MF_CHECK_EQ_INT(mf_store_find_id(&fx.store, a, &info), MF_OK);
    MF_CHECK(strcmp(info.name, "a") == 0);
    MF_CHECK_EQ_INT(mf_store_count(&fx.store), 2);
    fixture_release(&fx);
}

static void test_newer_format_and_bad_geometry(void)
{
    store_fixture fx = {0};
    uint32_t a, b;
    setup(&fx, &a, &b);
    /* header version 3 with a valid CRC: refused, not reformatted */
    mem[4] = 3;
    put_u32(mem + 56, crc32_ref(mem, 56));
    memcpy(snapshot, mem, sizeof mem);
    fixture_unmount(&fx);
    MF_CHECK_EQ_INT(fixture_mount(&fx, &flash, 8, 16, NULL), MF_EUNSUPPORTED);
    MF_CHECK(unchanged());
    /* version 1 (names in the clear, unauthenticated deletes): refused too */
    mem[4] = 1;
    put_u32(mem + 56, crc32_ref(mem, 56));
    memcpy(snapshot, mem, sizeof mem);
    MF_CHECK_EQ_INT(fixture_mount(&fx, &flash, 8, 16, NULL), MF_EUNSUPPORTED);
    MF_CHECK(unchanged());
    /* a version 1 record, even without any valid header */
    memset(mem, 0, 60);
    uint8_t *rec = mem + HEADER;
    rec[6] = 1;
    put_u32(rec + 636, crc32_ref(rec, 636));
    memcpy(snapshot, mem, sizeof mem);
    MF_CHECK_EQ_INT(fixture_mount(&fx, &flash, 8, 16, NULL), MF_EUNSUPPORTED);
    MF_CHECK(unchanged());
    /* geometry too small for a header and three records */
    static uint8_t small[2048 * 2];
    mf_flash_ram sram;
    mf_flash sflash;
    MF_CHECK_EQ_INT(mf_flash_ram_init(&sram, small, 2048, 2, 16, &sflash), MF_OK);
    MF_CHECK_EQ_INT(mf_store_ram_size(&sflash, 4, 4), 0);
    MF_CHECK_EQ_INT(mf_flash_ram_init(&sram, small, 2048, 2, 3, &sflash), MF_EINVAL);   /* prog not a power of 2 */
    fixture_release(&fx);
}

int main(void)
{
    MF_RUN(test_wrong_key);
    MF_RUN(test_tampered_template);
    MF_RUN(test_full_flash_and_gallery);
    MF_RUN(test_bad_names_and_ids);
    MF_RUN(test_newer_format_and_bad_geometry);
    return mf_test_summary();
}
