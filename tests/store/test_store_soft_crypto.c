/* A store written through one AES-256-GCM hook mounts and works through the
 * other (mbedtls on the host, port/soft_crypto on the firmware): same key,
 * same bytes on flash. A wrong key still fails the mount with MF_EAUTH. */
#include "mf_test.h"
#include "support/store_fixture.h"
#include "mcuface/mf_status.h"
#include <stdio.h>

#define SECTOR 8192u
#define SECTORS 4u
static uint8_t mem[SECTOR * SECTORS];
static mf_flash_ram ram;
static mf_flash flash;

static int identifies(const mf_store *s, uint32_t face_seed, uint32_t want_id)
{
    float e[MF_STORE_DIM], probe[MF_STORE_DIM];
    fixture_embedding(face_seed, e);
    fixture_perturb(e, face_seed + 77u, 0.3f, probe);
    mf_store_match m[2];
    return mf_store_identify(s, probe, -1.0f, m, 2) == 1 && m[0].id == want_id;
}

static void test_hooks_interoperate(void)
{
    mf_flash_ram_init(&ram, mem, SECTOR, SECTORS, 16, &flash);
    mf_flash_ram_format(&flash);
    const char *hooks[2] = {"mbedtls", "soft"};
    uint32_t ids[6] = {0};
    mf_store_stats stats;
    /* Alternate writers: each round mounts what the other hook wrote, checks
     * every earlier identity, then enrolls one more and adds a sample. */
    for (int round = 0; round < 6; round++) {
        store_fixture fx = {0};
        MF_CHECK_EQ_INT(fixture_crypto_with(&fx, 5, hooks[round % 2]), MF_OK);
        MF_CHECK_EQ_INT(fixture_mount(&fx, &flash, 16, 32, &stats), MF_OK);
        MF_CHECK_EQ_INT(stats.records_auth_failed, 0);
        MF_CHECK_EQ_INT(stats.records_corrupt, 0);
        MF_CHECK_EQ_INT(stats.records_valid, 2 * round);
        MF_CHECK_EQ_INT(mf_store_count(&fx.store), round);
        for (int i = 0; i < round; i++) MF_CHECK(identifies(&fx.store, 300u + (uint32_t)i, ids[i]));
        float e[MF_STORE_DIM], extra[MF_STORE_DIM];
        char name[16];
        snprintf(name, sizeof name, "person%d", round);
        fixture_embedding(300u + (uint32_t)round, e);
        MF_CHECK_EQ_INT(mf_store_enroll(&fx.store, name, e, 1, 0, &ids[round], NULL), MF_OK);
        fixture_perturb(e, 900u + (uint32_t)round, 0.2f, extra);
        MF_CHECK_EQ_INT(mf_store_add_sample(&fx.store, ids[round], extra), MF_OK);
        fixture_release(&fx);
    }
    /* Under another key neither hook mounts it. */
    for (int h = 0; h < 2; h++) {
        store_fixture fx = {0};
        MF_CHECK_EQ_INT(fixture_crypto_with(&fx, 6, hooks[h]), MF_OK);
        MF_CHECK_EQ_INT(fixture_mount(&fx, &flash, 16, 32, NULL), MF_EAUTH);
        fixture_release(&fx);
    }
}

/* Nonces come from the caller's source through the hook's random(). (Forged
 * records with a valid CRC are test_store_errors, which ctest also runs with
 * this hook as store_test_store_errors_soft_crypto.) */
static int fixed_calls;
static int fixed_random(void *ctx, uint8_t *buf, size_t len)
{
    (void)ctx;
    fixed_calls++;
    for (size_t i = 0; i < len; i++) buf[i] = (uint8_t)(fixed_calls * 31 + (int)i);
    return MF_OK;
}

static void test_store_uses_callers_random(void)
{
    mf_flash_ram_init(&ram, mem, SECTOR, SECTORS, 16, &flash);
    mf_flash_ram_format(&flash);
    store_fixture fx = {0};
    for (int i = 0; i < MF_STORE_KEY_BYTES; i++) fx.key[i] = (uint8_t)(i * 3 + 1);
    MF_CHECK_EQ_INT(mf_store_crypto_soft_init(&fx.soft, fx.key, fixed_random, NULL, &fx.crypto), MF_OK);
    MF_CHECK_EQ_INT(fixture_mount(&fx, &flash, 4, 4, NULL), MF_OK);
    float e[MF_STORE_DIM];
    fixture_embedding(1, e);
    uint32_t id;
    fixed_calls = 0;
    MF_CHECK_EQ_INT(mf_store_enroll(&fx.store, "Ann", e, 1, 0, &id, NULL), MF_OK);
    MF_CHECK(fixed_calls >= 1);
    fixture_release(&fx);
}

int main(void)
{
    MF_RUN(test_hooks_interoperate);
    MF_RUN(test_store_uses_callers_random);
    return mf_test_summary();
}
