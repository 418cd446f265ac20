#define _DEFAULT_SOURCE
/* Store operations end to end on a RAM flash: enroll, add, rename, delete,
 * list, identify, verify, wipe, export/import, remount persistence, garbage
 * collection and wear, and the file-backed flash. */
#include "mf_test.h"
#include "support/store_fixture.h"
#include "mcuface/mf_flash_file.h"
#include "mcuface/mf_status.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SECTOR 8192u
#define SECTORS 6u
static uint8_t mem[SECTOR * SECTORS];
static mf_flash_ram ram;
static mf_flash flash;

static void blank_flash(void)
{
    mf_flash_ram_init(&ram, mem, SECTOR, SECTORS, 16, &flash);
    mf_flash_ram_format(&flash);
}

static int remount(store_fixture *fx)
{
    fixture_unmount(fx);
    return fixture_mount(fx, &flash, 64, 128, NULL);
}

static void test_enroll_identify_remount(void)
{
    blank_flash();
    store_fixture fx = {0};
    MF_CHECK_EQ_INT(fixture_crypto(&fx, 1), MF_OK);
    MF_CHECK_EQ_INT(fixture_mount(&fx, &flash, 64, 128, NULL), MF_OK);
    MF_CHECK_EQ_INT(mf_store_count(&fx.store), 0);
    float e[3][MF_STORE_DIM], probe[MF_STORE_DIM];
    uint32_t ids[3];
    const char *names[3] = { "Alice", "Bob", "Zo\xc3\xab" };
    for (int i = 0; i < 3; i++) {
        fixture_embedding(100 + (uint32_t)i, e[i]);
        MF_CHECK_EQ_INT(mf_store_enroll(&fx.store, names[i], e[i], 1, 0, &ids[i], NULL), MF_OK);
    }
    MF_CHECK(ids[0] < ids[1] && ids[1] < ids[2]);
    for (int round = 0; round < 2; round++) {
        MF_CHECK_EQ_INT(mf_store_count(&fx.store), 3);
        for (int i = 0; i < 3; i++) {
            fixture_perturb(e[i], 9 + (uint32_t)i, 0.3f, probe);
            mf_store_match m[3];
            int n = mf_store_identify(&fx.store, probe, -1.0f, m, 3);
            MF_CHECK_EQ_INT(n, 1);
            MF_CHECK_EQ_INT(m[0].id, ids[i]);
            MF_CHECK(m[0].score > 0.9f && m[0].score <= 1.0001f);
            float score;
            MF_CHECK_EQ_INT(mf_store_verify(&fx.store, ids[i], probe, &score), 1);
            MF_CHECK_EQ_INT(mf_store_verify(&fx.store, ids[(i + 1) % 3], probe, &score), 0);
            MF_CHECK(score < 0.3f);
            mf_store_identity id;
            MF_CHECK_EQ_INT(mf_store_find_id(&fx.store, ids[i], &id), MF_OK);
            MF_CHECK(strcmp(id.name, names[i]) == 0);
        }
        MF_CHECK_EQ_INT(remount(&fx), MF_OK);
    }
    /* An unrelated face matches nobody at the 1:N threshold; top-k still ranks with a low threshold. */
    fixture_embedding(999, probe);
    mf_store_match m[3];
    MF_CHECK_EQ_INT(mf_store_identify(&fx.store, probe, -1.0f, m, 3), 0);
    MF_CHECK_EQ_INT(mf_store_identify(&fx.store, probe, -1.5f, m, 3), 0);  /* negative = configured */
    MF_CHECK_EQ_INT(mf_store_identify(&fx.store, probe, 0.0f - 1.0f, m, 2), 0);
    MF_CHECK_EQ_INT(mf_store_identify(&fx.store, e[1], 1e-9f - 1.0f + 1.0f - 1.0f + 0.0f, m, 2), 1);
    fixture_release(&fx);
}

static void test_topk_and_thresholds(void)
{
    blank_flash();
    store_fixture fx = {0};
    fixture_crypto(&fx, 1);
    MF_CHECK_EQ_INT(fixture_mount(&fx, &flash, 64, 128, NULL), MF_OK);
    /* Identities at decreasing similarity to a base face. */
    float base[MF_STORE_DIM], v[MF_STORE_DIM];
    fixture_embedding(1, base);
    uint32_t ids[5];
    char name[16];
    for (int i = 0; i < 5; i++) {
        fixture_perturb(base, 50 + (uint32_t)i, 0.4f + 0.4f * (float)i, v);
        snprintf(name, sizeof name, "p%d", i);
        MF_CHECK_EQ_INT(mf_store_enroll(&fx.store, name, v, 1, MF_STORE_ALLOW_DUPLICATE, &ids[i], NULL), MF_OK);
    }
    mf_store_match m[MF_STORE_MAX_K];
    int n = mf_store_identify(&fx.store, base, 0.0f, m, 3);
    MF_CHECK_EQ_INT(n, 3);
    for (int i = 0; i < n; i++) MF_CHECK_EQ_INT(m[i].id, ids[i]);
    MF_CHECK(m[0].score > m[1].score && m[1].score > m[2].score);
    n = mf_store_identify(&fx.store, base, 0.0f, m, MF_STORE_MAX_K);
    MF_CHECK_EQ_INT(n, 5);
    /* A threshold between two scores cuts the list there. */
    float cut = (m[1].score + m[2].score) / 2;
    MF_CHECK_EQ_INT(mf_store_identify(&fx.store, base, cut, m, MF_STORE_MAX_K), 2);
    MF_CHECK_EQ_INT(mf_store_identify(&fx.store, base, 0.0f, m, 0), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_store_identify(&fx.store, base, 0.0f, m, MF_STORE_MAX_K + 1), MF_EINVAL);
    MF_CHECK(MF_STORE_THRESHOLD_IDENTIFY_DEFAULT > MF_STORE_THRESHOLD_VERIFY_DEFAULT);
    /* Several templates: the best one counts. */
    float other[MF_STORE_DIM];
    fixture_embedding(77, other);
    MF_CHECK_EQ_INT(mf_store_add_sample(&fx.store, ids[4], other), MF_OK);
    n = mf_store_identify(&fx.store, other, -1.0f, m, 2);
    MF_CHECK_EQ_INT(n, 1);
    MF_CHECK_EQ_INT(m[0].id, ids[4]);
    fixture_release(&fx);
}

static void test_duplicate_face_and_names(void)
{
    blank_flash();
    store_fixture fx = {0};
    fixture_crypto(&fx, 1);
    MF_CHECK_EQ_INT(fixture_mount(&fx, &flash, 64, 128, NULL), MF_OK);
    float a[MF_STORE_DIM], a2[MF_STORE_DIM], samples[3 * MF_STORE_DIM];
    fixture_embedding(5, a);
    for (int k = 0; k < 3; k++) fixture_perturb(a, 30 + (uint32_t)k, 0.5f, samples + k * MF_STORE_DIM);
    uint32_t id = 0, existing = 0;
    MF_CHECK_EQ_INT(mf_store_enroll(&fx.store, "Ann", samples, 3, 0, &id, NULL), MF_OK);
    mf_store_identity info;
    MF_CHECK_EQ_INT(mf_store_find_name(&fx.store, "Ann", &info), MF_OK);
    MF_CHECK_EQ_INT(info.template_count, 1);   /* fused */
    fixture_perturb(a, 99, 0.3f, a2);
    MF_CHECK_EQ_INT(mf_store_enroll(&fx.store, "Ann again", a2, 1, 0, NULL, &existing), MF_EEXIST);
    MF_CHECK_EQ_INT(existing, id);
    MF_CHECK_EQ_INT(mf_store_count(&fx.store), 1);
    uint32_t id2;
    MF_CHECK_EQ_INT(mf_store_enroll(&fx.store, "Ann twin", a2, 1, MF_STORE_ALLOW_DUPLICATE, &id2, NULL), MF_OK);
    float b[MF_STORE_DIM];
    fixture_embedding(6, b);
    existing = 0;
    MF_CHECK_EQ_INT(mf_store_enroll(&fx.store, "Ann", b, 1, 0, NULL, &existing), MF_EEXIST);
    MF_CHECK_EQ_INT(existing, id);
    MF_CHECK_EQ_INT(mf_store_rename(&fx.store, id2, "Ann"), MF_EEXIST);
    MF_CHECK_EQ_INT(mf_store_rename(&fx.store, id, "Ann"), MF_OK);   /* same name: allowed */
    /* name validation */
    MF_CHECK_EQ_INT(mf_store_check_name("ok name"), MF_OK);
    MF_CHECK_EQ_INT(mf_store_check_name("\xe6\x9d\x8e\xe5\xb0\x8f\xe9\xbe\x99"), MF_OK);
    MF_CHECK_EQ_INT(mf_store_check_name(""), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_store_check_name("tab\there"), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_store_check_name("\xc0\xaf"), MF_EINVAL);        /* overlong */
    MF_CHECK_EQ_INT(mf_store_check_name("\xed\xa0\x80"), MF_EINVAL);    /* surrogate */
    MF_CHECK_EQ_INT(mf_store_check_name("\xe6\x9d"), MF_EINVAL);        /* truncated */
    MF_CHECK_EQ_INT(mf_store_check_name("\xf4\x90\x80\x80"), MF_EINVAL);/* > U+10FFFF */
    char longest[64];
    memset(longest, 'x', 63); longest[63] = 0;
    MF_CHECK_EQ_INT(mf_store_check_name(longest), MF_OK);
    char too_long[65];
    memset(too_long, 'x', 64); too_long[64] = 0;
    MF_CHECK_EQ_INT(mf_store_check_name(too_long), MF_ERANGE);
    /* bad embeddings */
    float zero[MF_STORE_DIM] = {0};
    MF_CHECK_EQ_INT(mf_store_enroll(&fx.store, "Zero", zero, 1, 0, NULL, NULL), MF_EINVAL);
    float nan_emb[MF_STORE_DIM];
    memcpy(nan_emb, b, sizeof b);
    nan_emb[17] = 0.0f / 0.0f;
    MF_CHECK_EQ_INT(mf_store_enroll(&fx.store, "NaN", nan_emb, 1, 0, NULL, NULL), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_store_enroll(&fx.store, "None", b, 0, 0, NULL, NULL), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_store_enroll(&fx.store, "Many", b, MF_STORE_MAX_TEMPLATES + 1, 0, NULL, NULL), MF_EINVAL);
    fixture_release(&fx);
}

static void test_delete_rename_add_ids_not_reused(void)
{
    blank_flash();
    store_fixture fx = {0};
    fixture_crypto(&fx, 1);
    MF_CHECK_EQ_INT(fixture_mount(&fx, &flash, 64, 128, NULL), MF_OK);
    float e[MF_STORE_DIM];
    uint32_t ids[4], max_id = 0;
    char name[16];
    for (int i = 0; i < 4; i++) {
        fixture_embedding(200 + (uint32_t)i, e);
        snprintf(name, sizeof name, "n%d", i);
        MF_CHECK_EQ_INT(mf_store_enroll(&fx.store, name, e, 1, 0, &ids[i], NULL), MF_OK);
        max_id = ids[i];
    }
    MF_CHECK_EQ_INT(mf_store_delete(&fx.store, ids[3]), MF_OK);    /* the highest id */
    MF_CHECK_EQ_INT(mf_store_delete(&fx.store, ids[3]), MF_ENOTFOUND);
    MF_CHECK_EQ_INT(mf_store_rename(&fx.store, ids[1], "renamed"), MF_OK);
    MF_CHECK_EQ_INT(mf_store_rename(&fx.store, ids[1], "renamed twice"), MF_OK);
    fixture_embedding(300, e);
    MF_CHECK_EQ_INT(mf_store_add_sample(&fx.store, ids[0], e), MF_OK);
    MF_CHECK_EQ_INT(remount(&fx), MF_OK);
    MF_CHECK_EQ_INT(mf_store_count(&fx.store), 3);
    mf_store_identity info;
    MF_CHECK_EQ_INT(mf_store_find_id(&fx.store, ids[3], &info), MF_ENOTFOUND);
    MF_CHECK_EQ_INT(mf_store_find_id(&fx.store, ids[1], &info), MF_OK);
    MF_CHECK(strcmp(info.name, "renamed twice") == 0);
    MF_CHECK_EQ_INT(mf_store_find_id(&fx.store, ids[0], &info), MF_OK);
    MF_CHECK_EQ_INT(info.template_count, 2);
    mf_store_match m[1];
    MF_CHECK_EQ_INT(mf_store_identify(&fx.store, e, -1.0f, m, 1), 1);
    MF_CHECK_EQ_INT(m[0].id, ids[0]);
    /* list in id order */
    uint32_t prev = 0;
    for (int i = 0; i < mf_store_count(&fx.store); i++) {
        MF_CHECK_EQ_INT(mf_store_get(&fx.store, (uint32_t)i, &info), MF_OK);
        MF_CHECK(info.id > prev);
        prev = info.id;
    }
    MF_CHECK_EQ_INT(mf_store_get(&fx.store, 3, &info), MF_ERANGE);
    /* the deleted highest id is not handed out again, not even after a wipe */
    uint32_t id;
    fixture_embedding(400, e);
    MF_CHECK_EQ_INT(mf_store_enroll(&fx.store, "new", e, 1, 0, &id, NULL), MF_OK);
    MF_CHECK(id > max_id);
    max_id = id;
    MF_CHECK_EQ_INT(mf_store_wipe(&fx.store), MF_OK);
    MF_CHECK_EQ_INT(mf_store_count(&fx.store), 0);
    MF_CHECK_EQ_INT(remount(&fx), MF_OK);
    MF_CHECK_EQ_INT(mf_store_count(&fx.store), 0);
    MF_CHECK_EQ_INT(mf_store_enroll(&fx.store, "after wipe", e, 1, 0, &id, NULL), MF_OK);
    MF_CHECK(id > max_id);
    MF_CHECK_EQ_INT(remount(&fx), MF_OK);
    MF_CHECK_EQ_INT(mf_store_count(&fx.store), 1);
    fixture_release(&fx);
}

/* Many more operations than the flash holds records: garbage collection runs
 * again and again, the state stays right, and erases spread over sectors. */
static void test_gc_and_wear(void)
{
    blank_flash();
    store_fixture fx = {0};
    fixture_crypto(&fx, 1);
    MF_CHECK_EQ_INT(fixture_mount(&fx, &flash, 64, 128, NULL), MF_OK);
    float e[MF_STORE_DIM];
    enum { LIVE = 32 };   /* plus ~1/5 renamed: near the (6 - 1) * (12 - 2) = 50 record capacity */
    uint32_t live[LIVE] = {0};
    char name[32];
    uint32_t last_op[LIVE] = {0}, rng = 12345;
    for (uint32_t op = 0; op < 600; op++) {
        /* random victims, so sectors hold a mix of live and dead records */
        rng ^= rng << 13; rng ^= rng >> 17; rng ^= rng << 5;
        uint32_t k = op < LIVE ? op : rng % LIVE;
        last_op[k] = op;
        if (live[k]) MF_CHECK_EQ_INT(mf_store_delete(&fx.store, live[k]), MF_OK);
        fixture_embedding(1000 + op, e);
        snprintf(name, sizeof name, "id%u", (unsigned)op);
        MF_CHECK_EQ_INT(mf_store_enroll(&fx.store, name, e, 1, 0, &live[k], NULL), MF_OK);
        if (op % 5 == 0) {
            snprintf(name, sizeof name, "re%u", (unsigned)op);
            MF_CHECK_EQ_INT(mf_store_rename(&fx.store, live[k], name), MF_OK);
        }
    }
    mf_store_stats st;
    mf_store_get_stats(&fx.store, &st);
    MF_CHECK(st.gc_runs > 10);
    MF_CHECK_EQ_INT(remount(&fx), MF_OK);
    mf_store_get_stats(&fx.store, &st);
    MF_CHECK_EQ_INT(mf_store_count(&fx.store), LIVE);
    MF_CHECK_EQ_INT(st.records_corrupt + st.records_auth_failed + st.records_uncommitted, 0);
    printf("gc: erase counts min %u max %u over %u sectors\n", (unsigned)st.min_erase_count,
           (unsigned)st.max_erase_count, SECTORS);
    MF_CHECK(st.max_erase_count - st.min_erase_count <= 3);
    for (uint32_t k = 0; k < LIVE; k++) {
        fixture_embedding(1000 + last_op[k], e);
        mf_store_match m[1];
        MF_CHECK_EQ_INT(mf_store_identify(&fx.store, e, -1.0f, m, 1), 1);
        MF_CHECK_EQ_INT(m[0].id, live[k]);
    }
    fixture_release(&fx);
}

static void test_export_import(void)
{
    blank_flash();
    store_fixture fx = {0};
    fixture_crypto(&fx, 1);
    MF_CHECK_EQ_INT(fixture_mount(&fx, &flash, 64, 128, NULL), MF_OK);
    float e[MF_STORE_DIM];
    uint32_t id;
    char name[16];
    for (int i = 0; i < 5; i++) {
        fixture_embedding(500 + (uint32_t)i, e);
        snprintf(name, sizeof name, "x%d", i);
        MF_CHECK_EQ_INT(mf_store_enroll(&fx.store, name, e, 1, 0, &id, NULL), MF_OK);
    }
    fixture_embedding(600, e);
    MF_CHECK_EQ_INT(mf_store_add_sample(&fx.store, id, e), MF_OK);
    size_t size = 0, len = 0;
    MF_CHECK_EQ_INT(mf_store_export_size(&fx.store, MF_STORE_EXPORT_PLAINTEXT, &size), MF_OK);
    uint8_t *file = malloc(size);
    MF_CHECK_EQ_INT(mf_store_export(&fx.store, NULL, MF_STORE_EXPORT_PLAINTEXT, file, size - 1, &len), MF_ENOMEM);
    MF_CHECK_EQ_INT(mf_store_export(&fx.store, NULL, MF_STORE_EXPORT_PLAINTEXT, file, size, &len), MF_OK);
    MF_CHECK_EQ_INT(len, size);
    /* import into a different device (another key) */
    static uint8_t mem2[SECTOR * SECTORS];
    mf_flash_ram ram2;
    mf_flash flash2;
    mf_flash_ram_init(&ram2, mem2, SECTOR, SECTORS, 16, &flash2);
    mf_flash_ram_format(&flash2);
    store_fixture fy = {0};
    fixture_crypto(&fy, 2);
    MF_CHECK_EQ_INT(fixture_mount(&fy, &flash2, 64, 128, NULL), MF_OK);
    MF_CHECK_EQ_INT(mf_store_import(&fy.store, NULL, MF_STORE_EXPORT_PLAINTEXT, file, len), 5);
    MF_CHECK_EQ_INT(mf_store_import(&fy.store, NULL, MF_STORE_EXPORT_PLAINTEXT, file, len), MF_EEXIST);   /* names taken */
    MF_CHECK_EQ_INT(mf_store_count(&fy.store), 5);
    mf_store_identity a, b;
    for (int i = 0; i < 5; i++) {
        MF_CHECK_EQ_INT(mf_store_get(&fx.store, (uint32_t)i, &a), MF_OK);
        MF_CHECK_EQ_INT(mf_store_find_name(&fy.store, a.name, &b), MF_OK);
        MF_CHECK_EQ_INT(a.template_count, b.template_count);
    }
    /* identical templates: identify gives the same scores on both */
    mf_store_match ma[1], mb[1];
    MF_CHECK_EQ_INT(mf_store_identify(&fx.store, e, -1.0f, ma, 1), 1);
    MF_CHECK_EQ_INT(mf_store_identify(&fy.store, e, -1.0f, mb, 1), 1);
    MF_CHECK(ma[0].score == mb[0].score);
    /* re-export of the imported store is byte-identical except ids and CRC:
     * compare sizes, and check that a corrupted copy is refused */
    size_t size2;
    MF_CHECK_EQ_INT(mf_store_export_size(&fy.store, MF_STORE_EXPORT_PLAINTEXT, &size2), MF_OK);
    MF_CHECK_EQ_INT(size2, size);
    file[40] ^= 1;
    store_fixture fz = {0};
    mf_flash_ram_format(&flash2);
    fixture_crypto(&fz, 3);
    MF_CHECK_EQ_INT(fixture_mount(&fz, &flash2, 64, 128, NULL), MF_OK);
    MF_CHECK_EQ_INT(mf_store_import(&fz.store, NULL, MF_STORE_EXPORT_PLAINTEXT, file, len), MF_ECORRUPT);
    file[40] ^= 1;
    MF_CHECK_EQ_INT(mf_store_import(&fz.store, NULL, MF_STORE_EXPORT_PLAINTEXT, file, len - 1), MF_ECORRUPT);
    file[8] = 3;   /* newer version */
    MF_CHECK_EQ_INT(mf_store_import(&fz.store, NULL, MF_STORE_EXPORT_PLAINTEXT, file, len), MF_EUNSUPPORTED);
    MF_CHECK_EQ_INT(mf_store_count(&fz.store), 0);
    free(file);
    fixture_release(&fx);
    fixture_release(&fy);
    fixture_release(&fz);
}

static void test_file_flash(void)
{
    char path[] = "/tmp/mf_store_testXXXXXX";
    int fd = mkstemp(path);
    MF_CHECK(fd >= 0);
    close(fd);
    unlink(path);   /* let open create it erased */
    mf_flash_file file;
    mf_flash fflash;
    MF_CHECK_EQ_INT(mf_flash_file_open(&file, path, 4096, 4, 16, &fflash), MF_OK);
    store_fixture fx = {0};
    fixture_crypto(&fx, 1);
    MF_CHECK_EQ_INT(fixture_mount(&fx, &fflash, 16, 16, NULL), MF_OK);
    float e[MF_STORE_DIM];
    fixture_embedding(42, e);
    uint32_t id;
    MF_CHECK_EQ_INT(mf_store_enroll(&fx.store, "on disk", e, 1, 0, &id, NULL), MF_OK);
    MF_CHECK_EQ_INT(mf_flash_sync(&fflash), MF_OK);
    mf_flash_file_close(&file);
    fixture_unmount(&fx);
    MF_CHECK_EQ_INT(mf_flash_file_open(&file, path, 4096, 8, 16, &fflash), MF_EINVAL);  /* wrong size */
    MF_CHECK_EQ_INT(mf_flash_file_open(&file, path, 4096, 4, 16, &fflash), MF_OK);
    MF_CHECK_EQ_INT(fixture_mount(&fx, &fflash, 16, 16, NULL), MF_OK);
    mf_store_identity info;
    MF_CHECK_EQ_INT(mf_store_find_id(&fx.store, id, &info), MF_OK);
    MF_CHECK(strcmp(info.name, "on disk") == 0);
    mf_flash_file_close(&file);
    fixture_release(&fx);
    unlink(path);
}

int main(void)
{
    MF_RUN(test_enroll_identify_remount);
    MF_RUN(test_topk_and_thresholds);
    MF_RUN(test_duplicate_face_and_names);
    MF_RUN(test_delete_rename_add_ids_not_reused);
    MF_RUN(test_gc_and_wear);
    MF_RUN(test_export_import);
    MF_RUN(test_file_flash);
    return mf_test_summary();
}
