/* Attacks from the security review (issue 14), each against the raw flash
 * bytes with the layout of docs/STORE.md recomputed here: a damaged header
 * with a wrong key, forged high-water marks, forged deletion markers, names
 * in the clear, tampered or wrong-key exports, re-import of enrolled faces,
 * misleading names, RAM size wrap, and the lock hooks. */
#include "mf_test.h"
#include "support/store_fixture.h"
#include "store/store_internal.h"
#include "mcuface/mf_status.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SECTOR 4096u
#define SECTORS 4u
#define HEADER 64u
#define SLOT 672u            /* body 640 + commit unit 16 + obsolete unit 16 (P = 16) */
#define BODY 640u
#define OBSOLETE (BODY + 16u)

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
static uint8_t *slot_at(uint32_t sector, uint32_t k) { return mem + sector * SECTOR + HEADER + k * SLOT; }

/* "alice" (2 templates) in slots 0-1 and "bob" in slot 2 of sector 0. */
static void setup(store_fixture *fx, uint32_t *a, uint32_t *b)
{
    mf_flash_ram_init(&ram, mem, SECTOR, SECTORS, 16, &flash);
    mf_flash_ram_format(&flash);
    fixture_release(fx);   /* setup may run again on one fixture */
    fixture_crypto(fx, 21);
    MF_CHECK_EQ_INT(fixture_mount(fx, &flash, 64, 128, NULL), MF_OK);
    float e[2 * MF_STORE_DIM];
    fixture_embedding(1, e);
    MF_CHECK_EQ_INT(mf_store_enroll(&fx->store, "alice", e, 1, 0, a, NULL), MF_OK);
    fixture_embedding(2, e);
    MF_CHECK_EQ_INT(mf_store_add_sample(&fx->store, *a, e), MF_OK);
    fixture_embedding(3, e);
    MF_CHECK_EQ_INT(mf_store_enroll(&fx->store, "bob", e, 1, 0, b, NULL), MF_OK);
    memcpy(snapshot, mem, sizeof mem);
}

static void test_damaged_header_wrong_key_writes_nothing(void)
{
    store_fixture fx = {0}, wrong = {0};
    uint32_t a, b;
    setup(&fx, &a, &b);
    mem[20] ^= 0x08;   /* one bit of the only header: its CRC fails */
    memcpy(snapshot, mem, sizeof mem);
    fixture_crypto(&wrong, 99);
    mf_store_stats st;
    MF_CHECK_EQ_INT(fixture_mount(&wrong, &flash, 64, 128, &st), MF_EAUTH);
    float e[MF_STORE_DIM];
    fixture_embedding(50, e);
    /* 300 writes with the wrong key: all refused, nothing on flash changes */
    int refused = 0;
    for (int i = 0; i < 300; i++) refused += mf_store_enroll(&wrong.store, "mallory", e, 1, 0, NULL, NULL) == MF_ESTATE;
    MF_CHECK_EQ_INT(refused, 300);
    MF_CHECK_EQ_INT(mf_store_wipe(&wrong.store), MF_ESTATE);
    MF_CHECK(unchanged());
    /* the right key recovers everything and re-establishes a header */
    fixture_unmount(&fx);
    MF_CHECK_EQ_INT(fixture_mount(&fx, &flash, 64, 128, &st), MF_OK);
    MF_CHECK_EQ_INT(st.sectors_bad_header, 1);
    MF_CHECK_EQ_INT(mf_store_count(&fx.store), 2);
    uint32_t c;
    MF_CHECK_EQ_INT(mf_store_enroll(&fx.store, "carol", e, 1, 0, &c, NULL), MF_OK);
    memcpy(snapshot, mem, sizeof mem);
    MF_CHECK_EQ_INT(fixture_mount(&wrong, &flash, 64, 128, NULL), MF_EAUTH);   /* a valid header again */
    MF_CHECK(unchanged());
    fixture_unmount(&fx);
    MF_CHECK_EQ_INT(fixture_mount(&fx, &flash, 64, 128, NULL), MF_OK);
    mf_store_identity info;
    MF_CHECK_EQ_INT(mf_store_count(&fx.store), 3);
    MF_CHECK_EQ_INT(mf_store_find_id(&fx.store, a, &info), MF_OK);
    MF_CHECK_EQ_INT(info.template_count, 2);
    MF_CHECK_EQ_INT(mf_store_find_id(&fx.store, b, &info), MF_OK);
    MF_CHECK_EQ_INT(mf_store_find_id(&fx.store, c, &info), MF_OK);
    fixture_release(&fx);
    fixture_release(&wrong);
}

/* A copy of alice's ENROLL record in the next free slot, with a head field
 * changed and the CRC recomputed: the tag no longer verifies. */
static void forge(uint32_t field_offset, uint32_t value)
{
    uint8_t *dst = slot_at(0, 3);
    memcpy(dst, slot_at(0, 0), SLOT);
    put_u32(dst + field_offset, value);
    put_u32(dst + RB_CRC, crc32_ref(dst, RB_CRC));
}

static void test_forged_high_water_marks(void)
{
    store_fixture fx = {0};
    uint32_t a, b;
    setup(&fx, &a, &b);
    forge(RB_SEQ, 0xFFFFFFFEu);   /* no key needed to write this */
    fixture_unmount(&fx);
    mf_store_stats st;
    MF_CHECK_EQ_INT(fixture_mount(&fx, &flash, 64, 128, &st), MF_OK);
    MF_CHECK(st.records_auth_failed >= 1);
    MF_CHECK(fx.store.next_seq < 100);
    float e[MF_STORE_DIM];
    fixture_embedding(60, e);
    uint32_t c;
    MF_CHECK_EQ_INT(mf_store_enroll(&fx.store, "carol", e, 1, 0, &c, NULL), MF_OK);
    fixture_unmount(&fx);
    MF_CHECK_EQ_INT(fixture_mount(&fx, &flash, 64, 128, NULL), MF_OK);
    mf_store_identity info;
    MF_CHECK_EQ_INT(mf_store_find_id(&fx.store, c, &info), MF_OK);   /* the acknowledged write survived */

    /* a forged id mark does not make the store "full" */
    setup(&fx, &a, &b);
    forge(RB_NEXT_ID_HW, 0xFFFFFFFEu);
    fixture_unmount(&fx);
    MF_CHECK_EQ_INT(fixture_mount(&fx, &flash, 64, 128, NULL), MF_OK);
    MF_CHECK_EQ_INT(mf_store_enroll(&fx.store, "carol", e, 1, 0, &c, NULL), MF_OK);
    MF_CHECK(c < 100);
    fixture_unmount(&fx);

    /* genuine exhaustion of sequence numbers is an error, not a lost write */
    setup(&fx, &a, &b);
    fx.store.next_seq = UINT32_MAX - 1;
    MF_CHECK_EQ_INT(mf_store_enroll(&fx.store, "carol", e, 1, 0, &c, NULL), MF_ENOSPC);
    fx.store.next_seq = UINT32_MAX - 3;
    float two[2 * MF_STORE_DIM];
    fixture_embedding(61, two);
    fixture_embedding(62, two + MF_STORE_DIM);
    MF_CHECK_EQ_INT(mf_store_add_samples(&fx.store, a, two, 2), MF_ENOSPC);
    MF_CHECK(unchanged());
    fixture_release(&fx);
}

static void test_forged_deletion_marker(void)
{
    store_fixture fx = {0};
    uint32_t a, b;
    setup(&fx, &a, &b);
    memset(slot_at(0, 2) + OBSOLETE, 0, 16);     /* the version 1 "obsolete" marker on bob's ENROLL */
    for (int i = 0; i < 16; i++) slot_at(0, 0)[OBSOLETE + i] &= (uint8_t)(0x5A + 37 * i);  /* random bits on alice's */
    fixture_unmount(&fx);
    MF_CHECK_EQ_INT(fixture_mount(&fx, &flash, 64, 128, NULL), MF_OK);
    mf_store_identity info;
    MF_CHECK_EQ_INT(mf_store_find_id(&fx.store, a, &info), MF_OK);
    MF_CHECK_EQ_INT(mf_store_find_id(&fx.store, b, &info), MF_OK);   /* forged markers delete nothing */
    MF_CHECK_EQ_INT(mf_store_count(&fx.store), 2);

    /* a genuine delete (fresh store: the forged bits above would block the program) */
    setup(&fx, &a, &b);
    MF_CHECK_EQ_INT(mf_store_delete(&fx.store, b), MF_OK);
    const uint8_t *unit = slot_at(0, 2) + OBSOLETE;
    int programmed = 0;
    for (int i = 0; i < 16; i++) programmed += unit[i] != 0xFF;
    MF_CHECK(programmed > 0);
    slot_at(0, 2)[OBSOLETE + 5] ^= 0x10;   /* one flipped bit of the proof: still a deletion */
    fixture_unmount(&fx);
    MF_CHECK_EQ_INT(fixture_mount(&fx, &flash, 64, 128, NULL), MF_OK);
    MF_CHECK_EQ_INT(mf_store_find_id(&fx.store, b, &info), MF_ENOTFOUND);
    MF_CHECK_EQ_INT(mf_store_count(&fx.store), 1);
    /* the proof does not move to another record */
    setup(&fx, &a, &b);
    MF_CHECK_EQ_INT(mf_store_delete(&fx.store, b), MF_OK);
    memcpy(slot_at(0, 0) + OBSOLETE, slot_at(0, 2) + OBSOLETE, 16);
    fixture_unmount(&fx);
    MF_CHECK_EQ_INT(fixture_mount(&fx, &flash, 64, 128, NULL), MF_OK);
    MF_CHECK_EQ_INT(mf_store_find_id(&fx.store, a, &info), MF_OK);
    fixture_release(&fx);
}

static int contains(const uint8_t *hay, size_t n, const char *needle)
{
    size_t m = strlen(needle);
    for (size_t i = 0; i + m <= n; i++)
        if (memcmp(hay + i, needle, m) == 0) return 1;
    return 0;
}

static void test_names_encrypted(void)
{
    store_fixture fx = {0};
    uint32_t a, b;
    setup(&fx, &a, &b);
    MF_CHECK_EQ_INT(mf_store_rename(&fx.store, b, "Bartholomew"), MF_OK);
    MF_CHECK(!contains(mem, sizeof mem, "alice"));
    MF_CHECK(!contains(mem, sizeof mem, "Bartholomew"));
    fixture_unmount(&fx);
    MF_CHECK_EQ_INT(fixture_mount(&fx, &flash, 64, 128, NULL), MF_OK);
    mf_store_identity info;
    MF_CHECK_EQ_INT(mf_store_find_name(&fx.store, "Bartholomew", &info), MF_OK);
    MF_CHECK_EQ_INT(info.id, b);
    fixture_release(&fx);
}

static void test_sealed_export(void)
{
    store_fixture fx = {0}, export_key = {0}, other_key = {0}, fy = {0};
    uint32_t a, b;
    setup(&fx, &a, &b);
    fixture_crypto(&export_key, 31);
    fixture_crypto(&other_key, 32);
    mf_store_export_key key = { &export_key.crypto, MF_STORE_KDF_PBKDF2_SHA256, 123456, { 1, 2, 3 } };
    size_t size, len;
    MF_CHECK_EQ_INT(mf_store_export_size(&fx.store, 0, &size), MF_OK);
    uint8_t *file = malloc(size), *copy = malloc(size);
    MF_CHECK_EQ_INT(mf_store_export(&fx.store, NULL, 0, file, size, &len), MF_EINVAL);   /* sealed needs a key */
    MF_CHECK_EQ_INT(mf_store_export(&fx.store, &key, 0, file, size, &len), MF_OK);
    MF_CHECK_EQ_INT(len, size);
    MF_CHECK(!contains(file, len, "alice") && !contains(file, len, "bob"));
    mf_store_export_info info;
    MF_CHECK_EQ_INT(mf_store_export_probe(file, len, &info), MF_OK);
    MF_CHECK(info.sealed && info.version == 2 && info.kdf == MF_STORE_KDF_PBKDF2_SHA256);
    MF_CHECK_EQ_INT(info.kdf_iterations, 123456);
    MF_CHECK(info.kdf_salt[2] == 3);

    static uint8_t mem2[SECTOR * SECTORS], before[SECTOR * SECTORS];
    mf_flash_ram ram2;
    mf_flash flash2;
    mf_flash_ram_init(&ram2, mem2, SECTOR, SECTORS, 16, &flash2);
    mf_flash_ram_format(&flash2);
    fixture_crypto(&fy, 33);
    MF_CHECK_EQ_INT(fixture_mount(&fy, &flash2, 64, 128, NULL), MF_OK);
    memcpy(before, mem2, sizeof mem2);
    /* wrong key, tampered body, tampered header, changed salt: refused, nothing written */
    mf_store_export_key wrong = key;
    wrong.crypto = &other_key.crypto;
    memcpy(copy, file, len);
    MF_CHECK_EQ_INT(mf_store_import(&fy.store, &wrong, 0, copy, len), MF_EAUTH);
    memcpy(copy, file, len);
    copy[len - 10] ^= 1;
    MF_CHECK_EQ_INT(mf_store_import(&fy.store, &key, 0, copy, len), MF_EAUTH);
    memcpy(copy, file, len);
    copy[16] ^= 1;   /* iterations */
    MF_CHECK_EQ_INT(mf_store_import(&fy.store, &key, 0, copy, len), MF_EAUTH);
    memcpy(copy, file, len);
    wrong = key;
    wrong.kdf_salt[0] ^= 1;
    MF_CHECK_EQ_INT(mf_store_import(&fy.store, &wrong, 0, copy, len), MF_EAUTH);
    MF_CHECK_EQ_INT(mf_store_import(&fy.store, &key, 0, copy, len - 1), MF_ECORRUPT);
    MF_CHECK(memcmp(before, mem2, sizeof mem2) == 0);
    MF_CHECK_EQ_INT(mf_store_count(&fy.store), 0);
    /* the right key */
    memcpy(copy, file, len);
    MF_CHECK_EQ_INT(mf_store_import(&fy.store, &key, 0, copy, len), 2);
    mf_store_identity id;
    MF_CHECK_EQ_INT(mf_store_find_name(&fy.store, "alice", &id), MF_OK);
    MF_CHECK_EQ_INT(id.template_count, 2);

    /* clear exports only on request, both ways */
    size_t clear_size;
    MF_CHECK_EQ_INT(mf_store_export_size(&fx.store, MF_STORE_EXPORT_PLAINTEXT, &clear_size), MF_OK);
    MF_CHECK_EQ_INT(clear_size + 68, size);
    MF_CHECK_EQ_INT(mf_store_export(&fx.store, NULL, MF_STORE_EXPORT_PLAINTEXT, file, size, &len), MF_OK);
    MF_CHECK(contains(file, len, "alice"));
    mf_flash_ram_format(&flash2);
    fixture_unmount(&fy);
    MF_CHECK_EQ_INT(fixture_mount(&fy, &flash2, 64, 128, NULL), MF_OK);
    memcpy(before, mem2, sizeof mem2);
    MF_CHECK_EQ_INT(mf_store_import(&fy.store, &key, 0, file, len), MF_EAUTH);
    MF_CHECK(memcmp(before, mem2, sizeof mem2) == 0);
    MF_CHECK_EQ_INT(mf_store_import(&fy.store, NULL, MF_STORE_EXPORT_PLAINTEXT, file, len), 2);
    free(file);
    free(copy);
    fixture_release(&fx);
    fixture_release(&fy);
    fixture_release(&export_key);
    fixture_release(&other_key);
}

static void test_import_duplicate_faces(void)
{
    store_fixture fx = {0};
    uint32_t a, b;
    setup(&fx, &a, &b);
    size_t size, len;
    MF_CHECK_EQ_INT(mf_store_export_size(&fx.store, MF_STORE_EXPORT_PLAINTEXT, &size), MF_OK);
    uint8_t *file = malloc(size);
    MF_CHECK_EQ_INT(mf_store_export(&fx.store, NULL, MF_STORE_EXPORT_PLAINTEXT, file, size, &len), MF_OK);
    MF_CHECK_EQ_INT(mf_store_rename(&fx.store, a, "alice2"), MF_OK);
    MF_CHECK_EQ_INT(mf_store_rename(&fx.store, b, "bob2"), MF_OK);
    memcpy(snapshot, mem, sizeof mem);
    MF_CHECK_EQ_INT(mf_store_import(&fx.store, NULL, MF_STORE_EXPORT_PLAINTEXT, file, len), MF_EEXIST);
    MF_CHECK(unchanged());
    MF_CHECK_EQ_INT(mf_store_count(&fx.store), 2);
    MF_CHECK_EQ_INT(mf_store_import(&fx.store, NULL, MF_STORE_EXPORT_PLAINTEXT | MF_STORE_ALLOW_DUPLICATE, file, len),
                    2);
    MF_CHECK_EQ_INT(mf_store_count(&fx.store), 4);
    free(file);
    fixture_release(&fx);
}

/* A clear export file of N identities with one made-up template each. */
static uint8_t *make_export(uint32_t n, const char *prefix, size_t *len)
{
    size_t each = 8 + 12 + 4 + MF_STORE_DIM;
    *len = 24 + (size_t)n * each + 4;
    uint8_t *f = malloc(*len);
    memcpy(f, "MFDBEXP1", 8);
    put_u32(f + 8, 1);
    put_u32(f + 12, MF_STORE_DIM);
    put_u32(f + 16, n);
    put_u32(f + 20, 0);
    uint8_t *p = f + 24;
    uint32_t rng = 12345;
    for (uint32_t i = 0; i < n; i++) {
        /* names in a shuffled order so the sort has work to do */
        uint32_t k = (uint32_t)(((uint64_t)i * 7919u) % 1000003u);
        char name[16];
        snprintf(name, sizeof name, "%.1s%011u", prefix, (unsigned)k);
        put_u32(p, i + 1);
        p[4] = 12;
        p[5] = 1;
        p[6] = p[7] = 0;
        memcpy(p + 8, name, 12);
        float scale = 127.0f;
        memcpy(p + 20, &scale, 4);
        for (int d = 0; d < MF_STORE_DIM; d++) {
            rng ^= rng << 13; rng ^= rng >> 17; rng ^= rng << 5;
            p[24 + d] = (uint8_t)(int8_t)((int)(rng % 255u) - 127);
        }
        p += each;
    }
    put_u32(p, crc32_ref(f, (size_t)(p - f)));
    return f;
}

static uint64_t import_compares(uint32_t n, uint32_t resident)
{
    const uint32_t sector = 65536, sectors = 2 + (n + resident) / 90;
    uint8_t *big = malloc((size_t)sector * sectors);
    mf_flash_ram bram;
    mf_flash bflash;
    mf_flash_ram_init(&bram, big, sector, sectors, 16, &bflash);
    mf_flash_ram_format(&bflash);
    store_fixture fx = {0};
    fixture_crypto(&fx, 41);
    uint64_t compares = UINT64_MAX;
    if (fixture_mount(&fx, &bflash, n + resident + 1, n + resident + 1, NULL) == MF_OK) {
        size_t len;
        uint8_t *file = make_export(resident, "r", &len);
        int ok = mf_store_import(&fx.store, NULL, MF_STORE_EXPORT_PLAINTEXT | MF_STORE_ALLOW_DUPLICATE, file, len) ==
                 (int)resident;
        free(file);
        file = make_export(n, "n", &len);
        fx.store.import_name_compares = 0;
        ok = ok && mf_store_import(&fx.store, NULL, MF_STORE_EXPORT_PLAINTEXT | MF_STORE_ALLOW_DUPLICATE, file, len) ==
                       (int)n;
        if (ok && mf_store_count(&fx.store) == (int)(n + resident)) compares = fx.store.import_name_compares;
        free(file);
    }
    fixture_release(&fx);
    free(big);
    return compares;
}

static void test_import_name_check_scales(void)
{
    uint64_t c1 = import_compares(500, 500), c4 = import_compares(2000, 2000);
    printf("import name comparisons: 500 into 500: %llu; 2000 into 2000: %llu (x%.2f; quadratic would be x16)\n",
           (unsigned long long)c1, (unsigned long long)c4, (double)c4 / (double)c1);
    MF_CHECK(c1 != UINT64_MAX && c4 != UINT64_MAX);
    /* n log n: 4 * log(2000) / log(500) = 4.9; a quadratic check is 16 */
    MF_CHECK(c4 < 8 * c1);
    /* and a name repeated in the file or already stored is still found */
    MF_CHECK(c1 < 500ull * 500ull);
}

static void test_misleading_names(void)
{
    static const char *refused[] = {
        "a\x01" "b", "a\x7F", "a\xC2\x85", "a\xC2\x9F",            /* C0, DEL, C1 */
        "evil\xE2\x80\xAE" "gpj.exe",                               /* U+202E RLO */
        "a\xE2\x80\xAA", "a\xE2\x80\xAC", "a\xE2\x81\xA6", "a\xE2\x81\xA9",   /* LRE, PDF, LRI, PDI */
        "a\xE2\x80\x8E", "a\xE2\x80\x8F", "a\xD8\x9C",             /* LRM, RLM, ALM */
        "a\xE2\x80\x8B" "b", "a\xE2\x80\x8D", "a\xE2\x81\xA0", "a\xE2\x81\xA4",   /* ZWSP, ZWJ, WJ, U+2064 */
        "\xEF\xBB\xBF" "a", "a\xC2\xAD" "b", "a\xE2\x80\xA8",      /* BOM, soft hyphen, line separator */
        "a\xF3\xA0\x81\x81", "a\xEF\xBF\xBB",                       /* tag character, U+FFFB */
        "a\xEF\xB7\x90", "a\xEF\xBF\xBE", "a\xF0\x9F\xBF\xBF",     /* noncharacters */
        "a\xED\xA0\x80", "a\xC0\xAF", "a\xF4\x90\x80\x80",         /* surrogate, overlong, > U+10FFFF */
    };
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        int err = mf_store_check_name(refused[i]);
        if (err != MF_EINVAL) fprintf(stderr, "name %zu accepted\n", i);
        MF_CHECK_EQ_INT(err, MF_EINVAL);
    }
    static const char *accepted[] = { "Jos\xC3\xA9", "Zo\xC3\xAB", "\xE6\x9D\x8E\xE5\xB0\x8F\xE9\xBE\x99",
                                      "\xC3\x98rsted", "smile \xF0\x9F\x99\x82", "O'Brien-Smith Jr." };
    for (size_t i = 0; i < sizeof accepted / sizeof accepted[0]; i++) MF_CHECK_EQ_INT(mf_store_check_name(accepted[i]), MF_OK);
}

static uint64_t align8_u64(uint64_t v) { return (v + 7) & ~(uint64_t)7; }

static void test_ram_size_no_wrap(void)
{
    mf_flash_ram_init(&ram, mem, SECTOR, SECTORS, 16, &flash);
    const uint32_t cap = MF_STORE_MAX_CAPACITY;
    uint64_t expect = align8_u64((uint64_t)SECTORS * sizeof(struct mf_store_sector)) +
                      align8_u64((uint64_t)cap * sizeof(struct mf_store_ident)) +
                      align8_u64((uint64_t)cap * sizeof(struct mf_store_tmeta)) +
                      align8_u64((uint64_t)cap * MF_STORE_DIM) + align8_u64(SLOT + RP_BYTES);
    MF_CHECK(expect < ((uint64_t)1 << 32));   /* the largest capacity also fits a 32-bit size_t */
    MF_CHECK_EQ_INT((uint64_t)mf_store_ram_size(&flash, cap, cap) == expect, 1);
    /* 2^23 templates is where 536-byte templates wrapped 32-bit arithmetic */
    MF_CHECK_EQ_INT(mf_store_ram_size(&flash, 1, 1u << 23), 0);
    MF_CHECK_EQ_INT(mf_store_ram_size(&flash, cap + 1, 1), 0);
    MF_CHECK_EQ_INT(mf_store_ram_size(&flash, UINT32_MAX, UINT32_MAX), 0);
    MF_CHECK_EQ_INT(mf_store_ram_size(&flash, 1u << 24, 8), 0);
}

typedef struct lock_state {
    int locks, unlocks, held, fail;
} lock_state;

static int test_lock(void *ctx)
{
    lock_state *l = ctx;
    if (l->fail) return MF_EIO;
    if (l->held) return MF_ESTATE;   /* would be a deadlock: no recursion */
    l->held = 1;
    l->locks++;
    return MF_OK;
}

static void test_unlock(void *ctx)
{
    lock_state *l = ctx;
    l->held = 0;
    l->unlocks++;
}

static void test_lock_hooks(void)
{
    mf_flash_ram_init(&ram, mem, SECTOR, SECTORS, 16, &flash);
    mf_flash_ram_format(&flash);
    store_fixture fx = {0};
    fixture_crypto(&fx, 51);
    size_t need = mf_store_ram_size(&flash, 16, 32);
    void *buf = aligned_alloc(8, (need + 7) & ~(size_t)7);
    lock_state l = {0};
    mf_store_config cfg = {0};
    cfg.flash = &flash;
    cfg.crypto = &fx.crypto;
    cfg.ram = buf;
    cfg.ram_size = need;
    cfg.max_identities = 16;
    cfg.max_templates = 32;
    cfg.lock = test_lock;
    mf_store s;
    MF_CHECK_EQ_INT(mf_store_mount(&s, &cfg, NULL), MF_EINVAL);   /* lock without unlock */
    cfg.unlock = test_unlock;
    cfg.lock_ctx = &l;
    MF_CHECK_EQ_INT(mf_store_mount(&s, &cfg, NULL), MF_OK);
    MF_CHECK_EQ_INT(l.locks, 1);
    float e[2 * MF_STORE_DIM];
    fixture_embedding(70, e);
    fixture_embedding(71, e + MF_STORE_DIM);
    uint32_t id;
    mf_store_identity info;
    mf_store_match m[1];
    mf_store_stats st;
    size_t size, len;
    int calls = 1;
    MF_CHECK_EQ_INT(mf_store_enroll(&s, "x", e, 1, 0, &id, NULL), MF_OK); calls++;
    MF_CHECK_EQ_INT(mf_store_add_samples(&s, id, e + MF_STORE_DIM, 1), MF_OK); calls++;
    MF_CHECK_EQ_INT(mf_store_add_sample(&s, id, e + MF_STORE_DIM), MF_OK); calls++;
    MF_CHECK_EQ_INT(mf_store_rename(&s, id, "y"), MF_OK); calls++;
    MF_CHECK_EQ_INT(mf_store_count(&s), 1); calls++;
    MF_CHECK_EQ_INT(mf_store_get(&s, 0, &info), MF_OK); calls++;
    MF_CHECK_EQ_INT(mf_store_find_id(&s, id, &info), MF_OK); calls++;
    MF_CHECK_EQ_INT(mf_store_find_name(&s, "y", &info), MF_OK); calls++;
    MF_CHECK_EQ_INT(mf_store_identify(&s, e, -1.0f, m, 1), 1); calls++;
    MF_CHECK_EQ_INT(mf_store_verify(&s, id, e, NULL), 1); calls++;
    MF_CHECK_EQ_INT(mf_store_get_stats(&s, &st), MF_OK); calls++;
    MF_CHECK_EQ_INT(mf_store_export_size(&s, MF_STORE_EXPORT_PLAINTEXT, &size), MF_OK); calls++;
    uint8_t *file = malloc(size);
    MF_CHECK_EQ_INT(mf_store_export(&s, NULL, MF_STORE_EXPORT_PLAINTEXT, file, size, &len), MF_OK); calls++;
    MF_CHECK_EQ_INT(mf_store_delete(&s, id), MF_OK); calls++;
    MF_CHECK_EQ_INT(mf_store_import(&s, NULL, MF_STORE_EXPORT_PLAINTEXT, file, len), 1); calls++;
    MF_CHECK_EQ_INT(mf_store_wipe(&s), MF_OK); calls++;
    MF_CHECK_EQ_INT(l.locks, calls);
    MF_CHECK_EQ_INT(l.unlocks, calls);
    MF_CHECK(!l.held);
    /* a failing lock: its error, and nothing happens */
    memcpy(snapshot, mem, sizeof mem);
    l.fail = 1;
    MF_CHECK_EQ_INT(mf_store_enroll(&s, "z", e, 1, 0, &id, NULL), MF_EIO);
    MF_CHECK_EQ_INT(mf_store_count(&s), MF_EIO);
    MF_CHECK_EQ_INT(l.unlocks, calls);
    MF_CHECK(unchanged());
    l.fail = 0;
    MF_CHECK_EQ_INT(mf_store_count(&s), 0);
    free(file);
    free(buf);
    fixture_release(&fx);
}

static void test_add_samples(void)
{
    store_fixture fx = {0};
    uint32_t a, b;
    setup(&fx, &a, &b);
    float e[8 * MF_STORE_DIM];
    for (uint32_t k = 0; k < 8; k++) fixture_embedding(80 + k, e + k * MF_STORE_DIM);
    MF_CHECK_EQ_INT(mf_store_add_samples(&fx.store, a, e, 7), MF_ENOSPC);   /* 2 + 7 > 8 */
    MF_CHECK_EQ_INT(mf_store_add_samples(&fx.store, a, e, 0), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_store_add_samples(&fx.store, 999, e, 1), MF_ENOTFOUND);
    e[3 * MF_STORE_DIM + 5] = 1.0f / 0.0f;
    MF_CHECK_EQ_INT(mf_store_add_samples(&fx.store, a, e, 4), MF_EINVAL);    /* a bad embedding anywhere */
    MF_CHECK(unchanged());
    fixture_embedding(83, e + 3 * MF_STORE_DIM);
    MF_CHECK_EQ_INT(mf_store_add_samples(&fx.store, a, e, 6), MF_OK);
    fixture_unmount(&fx);
    MF_CHECK_EQ_INT(fixture_mount(&fx, &flash, 64, 128, NULL), MF_OK);
    mf_store_identity info;
    MF_CHECK_EQ_INT(mf_store_find_id(&fx.store, a, &info), MF_OK);
    MF_CHECK_EQ_INT(info.template_count, 8);
    for (uint32_t k = 0; k < 6; k++) {
        mf_store_match m[1];
        MF_CHECK_EQ_INT(mf_store_identify(&fx.store, e + k * MF_STORE_DIM, 0.0f, m, 1), 1);
        MF_CHECK(m[0].id == a && m[0].score > 0.99f);
    }
    fixture_release(&fx);
}

/* A crypto hook whose nonce source fails on the Nth call from now. */
typedef struct flaky {
    const mf_store_crypto *inner;
    int calls_left;
} flaky;

static int flaky_seal(void *ctx, const uint8_t *nonce, const uint8_t *aad, size_t aad_len, const uint8_t *plain,
                      size_t len, uint8_t *cipher, uint8_t *tag)
{
    const flaky *f = ctx;
    return f->inner->seal(f->inner->ctx, nonce, aad, aad_len, plain, len, cipher, tag);
}

static int flaky_open(void *ctx, const uint8_t *nonce, const uint8_t *aad, size_t aad_len, const uint8_t *cipher,
                      size_t len, uint8_t *plain, const uint8_t *tag)
{
    const flaky *f = ctx;
    return f->inner->open(f->inner->ctx, nonce, aad, aad_len, cipher, len, plain, tag);
}

static int flaky_random(void *ctx, uint8_t *buf, size_t len)
{
    flaky *f = ctx;
    if (f->calls_left-- == 0) return MF_ENOMEM;
    return f->inner->random(f->inner->ctx, buf, len);
}

/* A batch that fails half way for another reason than MF_EIO: RAM forgets it,
 * flash shows nothing of it after remount, and the store goes on working. */
static void test_batch_failure_midway(void)
{
    store_fixture fx = {0};
    uint32_t a, b;
    setup(&fx, &a, &b);
    flaky f = { &fx.crypto, -1 };
    mf_store_crypto hook = { &f, flaky_seal, flaky_open, flaky_random };
    fx.cfg.crypto = &hook;
    fixture_unmount(&fx);
    size_t need = mf_store_ram_size(&flash, 64, 128);
    fx.ram = aligned_alloc(8, (need + 7) & ~(size_t)7);
    fx.cfg.ram = fx.ram;
    MF_CHECK_EQ_INT(mf_store_mount(&fx.store, &fx.cfg, NULL), MF_OK);
    float e[4 * MF_STORE_DIM];
    for (uint32_t k = 0; k < 4; k++) fixture_embedding(90 + k, e + k * MF_STORE_DIM);
    f.calls_left = 3;   /* batch tag, then two records' nonces; the third record fails */
    MF_CHECK_EQ_INT(mf_store_add_samples(&fx.store, b, e, 4), MF_ENOMEM);
    mf_store_identity info;
    MF_CHECK_EQ_INT(mf_store_find_id(&fx.store, b, &info), MF_OK);
    MF_CHECK_EQ_INT(info.template_count, 1);
    mf_store_match m[1];
    MF_CHECK_EQ_INT(mf_store_identify(&fx.store, e, 0.9f, m, 1), 0);   /* the written samples are not used */
    f.calls_left = -1;
    uint32_t c;
    MF_CHECK_EQ_INT(mf_store_enroll(&fx.store, "carol", e + 3 * MF_STORE_DIM, 1, 0, &c, NULL), MF_OK);
    MF_CHECK_EQ_INT(mf_store_add_samples(&fx.store, b, e, 2), MF_OK);
    fixture_unmount(&fx);
    MF_CHECK_EQ_INT(fixture_mount(&fx, &flash, 64, 128, NULL), MF_OK);
    MF_CHECK_EQ_INT(mf_store_find_id(&fx.store, b, &info), MF_OK);
    MF_CHECK_EQ_INT(info.template_count, 3);
    MF_CHECK_EQ_INT(mf_store_find_id(&fx.store, c, &info), MF_OK);
    MF_CHECK_EQ_INT(mf_store_count(&fx.store), 3);
    fixture_release(&fx);
}

int main(void)
{
    MF_RUN(test_damaged_header_wrong_key_writes_nothing);
    MF_RUN(test_forged_high_water_marks);
    MF_RUN(test_forged_deletion_marker);
    MF_RUN(test_names_encrypted);
    MF_RUN(test_sealed_export);
    MF_RUN(test_import_duplicate_faces);
    MF_RUN(test_import_name_check_scales);
    MF_RUN(test_misleading_names);
    MF_RUN(test_ram_size_no_wrap);
    MF_RUN(test_lock_hooks);
    MF_RUN(test_add_samples);
    MF_RUN(test_batch_failure_midway);
    return mf_test_summary();
}
