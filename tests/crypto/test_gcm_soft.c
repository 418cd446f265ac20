/* The portable AES-256-GCM hook (port/soft_crypto) against published known
 * answers (FIPS-197, the GCM specification of McGrew and Viega, NIST CAVP
 * gcmtestvectors), against mbedtls on random inputs in both directions, and
 * its failure behaviour: tampering gives MF_EAUTH, bad arguments MF_EINVAL. */
#include "mf_test.h"
#include "aes256.h"
#include "mcuface/mf_crypto_soft.h"
#include "support/store_fixture.h"
#include "gcm_known_answers.h"
#include "mcuface/mf_status.h"
#include <string.h>

#define MAX_BYTES 4200

static int no_random(void *ctx, uint8_t *buf, size_t len)
{
    (void)ctx; (void)buf; (void)len;
    return MF_EIO;
}

static uint32_t rnd(uint32_t *s)
{
    uint32_t x = *s;
    x ^= x << 13; x ^= x >> 17; x ^= x << 5;
    return *s = x;
}

static void fill(uint8_t *p, size_t n, uint32_t *s)
{
    for (size_t i = 0; i < n; i++) p[i] = (uint8_t)(rnd(s) >> 24);
}

/* FIPS-197 appendix C.3: AES-256 of 00112233..ff under key 00 01 .. 1f. */
static void test_aes256_fips197(void)
{
    uint8_t key[32], block[16], want[16], rk[MF_AES256_SCHEDULE_BYTES];
    kat_from_hex(KAT_AES256_KEY, key, sizeof key);
    kat_from_hex(KAT_AES256_PLAIN, block, sizeof block);
    kat_from_hex(KAT_AES256_CIPHER, want, sizeof want);
    mf_aes256_expand_key(key, rk);
    /* The schedule starts with the key itself (FIPS-197 5.2). */
    MF_CHECK(memcmp(rk, key, 32) == 0);
    mf_aes256_encrypt_block(rk, block, block);
    MF_CHECK(memcmp(block, want, 16) == 0);
}

static void test_known_answers(void)
{
    static uint8_t key[32], nonce[12], aad[64], plain[128], cipher[128], tag[16], out[128], got_tag[16];
    for (size_t v = 0; v < KAT_COUNT; v++) {
        const known_answer *ka = &kat_vectors[v];
        MF_CHECK_EQ_INT(kat_from_hex(ka->key, key, sizeof key), 32);
        MF_CHECK_EQ_INT(kat_from_hex(ka->nonce, nonce, sizeof nonce), 12);
        size_t aad_len = kat_from_hex(ka->aad, aad, sizeof aad);
        size_t len = kat_from_hex(ka->plain, plain, sizeof plain);
        MF_CHECK_EQ_INT(kat_from_hex(ka->cipher, cipher, sizeof cipher), len);
        kat_from_hex(ka->tag, tag, sizeof tag);

        mf_store_crypto_soft st;
        mf_store_crypto hook;
        MF_CHECK_EQ_INT(mf_store_crypto_soft_init(&st, key, no_random, NULL, &hook), MF_OK);
        const uint8_t *aad_p = aad_len ? aad : NULL;
        memset(out, 0xAA, sizeof out);
        MF_CHECK_EQ_INT(hook.seal(hook.ctx, nonce, aad_p, aad_len, len ? plain : NULL, len, len ? out : NULL,
                                  got_tag), MF_OK);
        int ok = memcmp(out, cipher, len) == 0 && memcmp(got_tag, tag, 16) == 0;
        MF_CHECK(ok);
        if (!ok) fprintf(stderr, "  known answer failed: %s\n", ka->name);
        memset(out, 0xAA, sizeof out);
        MF_CHECK_EQ_INT(hook.open(hook.ctx, nonce, aad_p, aad_len, len ? cipher : NULL, len, len ? out : NULL, tag),
                        MF_OK);
        MF_CHECK(memcmp(out, plain, len) == 0);
        /* In place, as the spec allows: seal then open the same buffer. */
        memcpy(out, plain, len);
        MF_CHECK_EQ_INT(mf_store_crypto_soft_seal(&st, nonce, aad_p, aad_len, out, len, out, got_tag), MF_OK);
        MF_CHECK(memcmp(out, cipher, len) == 0 && memcmp(got_tag, tag, 16) == 0);
        MF_CHECK_EQ_INT(mf_store_crypto_soft_open(&st, nonce, aad_p, aad_len, out, len, out, got_tag), MF_OK);
        MF_CHECK(memcmp(out, plain, len) == 0);
        mf_store_crypto_soft_wipe(&st);
    }
}

/* Random keys, nonces, AAD and text of many lengths (including the store's
 * 516-byte template and the key check's empty text): each side opens what the
 * other sealed, and both produce the same bytes. */
static void test_cross_check_mbedtls(void)
{
    static uint8_t key[32], nonce[12], aad[200], plain[MAX_BYTES], c_soft[MAX_BYTES], c_mbed[MAX_BYTES],
        back[MAX_BYTES];
    uint8_t t_soft[16], t_mbed[16];
    const size_t extra[] = {255, 256, 257, 515, 516, 517, 1023, 1024, 1025, 4096, 4111};
    const size_t aads[] = {0, 1, 15, 16, 17, 31, 84, 88, 200};
    uint32_t seed = 0x5eed1234u;
    int mismatches = 0, cases = 0;
    for (size_t li = 0; li < 130 + sizeof extra / sizeof extra[0]; li++) {
        size_t len = li < 130 ? li : extra[li - 130];
        size_t aad_len = aads[rnd(&seed) % (sizeof aads / sizeof aads[0])];
        fill(key, sizeof key, &seed);
        fill(nonce, sizeof nonce, &seed);
        fill(aad, aad_len, &seed);
        fill(plain, len, &seed);
        mf_store_crypto_soft st;
        mf_store_crypto soft, mbed;
        mf_store_crypto_mbedtls gcm = {0};
        MF_CHECK_EQ_INT(mf_store_crypto_soft_init(&st, key, fixture_os_random, NULL, &soft), MF_OK);
        MF_CHECK_EQ_INT(mf_store_crypto_mbedtls_init(&gcm, mf_store_key_from_bytes, key, &mbed), MF_OK);
        const uint8_t *a = aad_len ? aad : NULL;
        int rc = soft.seal(soft.ctx, nonce, a, aad_len, plain, len, c_soft, t_soft);
        rc |= mbed.seal(mbed.ctx, nonce, a, aad_len, plain, len, c_mbed, t_mbed);
        if (rc != MF_OK || memcmp(c_soft, c_mbed, len) != 0 || memcmp(t_soft, t_mbed, 16) != 0) mismatches++;
        /* soft -> mbedtls */
        memset(back, 0, len);
        if (mbed.open(mbed.ctx, nonce, a, aad_len, c_soft, len, back, t_soft) != MF_OK || memcmp(back, plain, len))
            mismatches++;
        /* mbedtls -> soft */
        memset(back, 0, len);
        if (soft.open(soft.ctx, nonce, a, aad_len, c_mbed, len, back, t_mbed) != MF_OK || memcmp(back, plain, len))
            mismatches++;
        if (mismatches) fprintf(stderr, "  mismatch at len %zu aad %zu\n", len, aad_len);
        cases++;
        mf_store_crypto_mbedtls_free(&gcm);
        mf_store_crypto_soft_wipe(&st);
        if (mismatches) break;
    }
    MF_CHECK_EQ_INT(mismatches, 0);
    MF_CHECK_EQ_INT(cases, 130 + (int)(sizeof extra / sizeof extra[0]));
}

/* Any change to tag, ciphertext, AAD, nonce or key fails with MF_EAUTH, and
 * the output buffer is left as it was (open checks before it decrypts). */
static void test_tamper(void)
{
    const known_answer *ka = &kat_vectors[3];  /* test case 16: text and AAD */
    uint8_t key[32], nonce[12], aad[20], cipher[60], tag[16], out[60], sentinel[60];
    kat_from_hex(ka->key, key, sizeof key);
    kat_from_hex(ka->nonce, nonce, sizeof nonce);
    kat_from_hex(ka->aad, aad, sizeof aad);
    kat_from_hex(ka->cipher, cipher, sizeof cipher);
    kat_from_hex(ka->tag, tag, sizeof tag);
    memset(sentinel, 0x5C, sizeof sentinel);
    mf_store_crypto_soft st;
    mf_store_crypto hook;
    MF_CHECK_EQ_INT(mf_store_crypto_soft_init(&st, key, no_random, NULL, &hook), MF_OK);
    MF_CHECK_EQ_INT(hook.open(hook.ctx, nonce, aad, sizeof aad, cipher, sizeof cipher, out, tag), MF_OK);

    int wrong = 0, touched = 0;
    uint8_t *fields[4] = {tag, cipher, aad, nonce};
    const size_t sizes[4] = {sizeof tag, sizeof cipher, sizeof aad, sizeof nonce};
    for (int f = 0; f < 4; f++)
        for (size_t bit = 0; bit < 8 * sizes[f]; bit++) {
            fields[f][bit / 8] ^= (uint8_t)(1u << (bit % 8));
            memcpy(out, sentinel, sizeof out);
            if (hook.open(hook.ctx, nonce, aad, sizeof aad, cipher, sizeof cipher, out, tag) != MF_EAUTH) wrong++;
            if (memcmp(out, sentinel, sizeof out) != 0) touched++;
            fields[f][bit / 8] ^= (uint8_t)(1u << (bit % 8));
        }
    MF_CHECK_EQ_INT(wrong, 0);
    MF_CHECK_EQ_INT(touched, 0);
    /* Truncated AAD or ciphertext. */
    MF_CHECK_EQ_INT(hook.open(hook.ctx, nonce, aad, sizeof aad - 1, cipher, sizeof cipher, out, tag), MF_EAUTH);
    MF_CHECK_EQ_INT(hook.open(hook.ctx, nonce, aad, sizeof aad, cipher, sizeof cipher - 1, out, tag), MF_EAUTH);
    /* Another key. */
    key[31] ^= 1;
    mf_store_crypto_soft other;
    mf_store_crypto other_hook;
    MF_CHECK_EQ_INT(mf_store_crypto_soft_init(&other, key, no_random, NULL, &other_hook), MF_OK);
    MF_CHECK_EQ_INT(other_hook.open(other_hook.ctx, nonce, aad, sizeof aad, cipher, sizeof cipher, out, tag),
                    MF_EAUTH);
    /* The store's key check: empty text, AAD only. */
    uint8_t check_tag[16];
    MF_CHECK_EQ_INT(hook.seal(hook.ctx, nonce, aad, sizeof aad, NULL, 0, NULL, check_tag), MF_OK);
    MF_CHECK_EQ_INT(hook.open(hook.ctx, nonce, aad, sizeof aad, NULL, 0, NULL, check_tag), MF_OK);
    MF_CHECK_EQ_INT(other_hook.open(other_hook.ctx, nonce, aad, sizeof aad, NULL, 0, NULL, check_tag), MF_EAUTH);
}

static int counting_random(void *ctx, uint8_t *buf, size_t len)
{
    for (size_t i = 0; i < len; i++) buf[i] = (uint8_t)i;
    ++*(int *)ctx;
    return MF_OK;
}

static void test_arguments(void)
{
    uint8_t key[32] = {1}, nonce[12] = {0}, buf[16] = {0}, tag[16];
    mf_store_crypto_soft st;
    mf_store_crypto hook;
    int calls = 0;
    MF_CHECK_EQ_INT(mf_store_crypto_soft_init(NULL, key, counting_random, &calls, &hook), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_store_crypto_soft_init(&st, NULL, counting_random, &calls, &hook), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_store_crypto_soft_init(&st, key, NULL, &calls, &hook), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_store_crypto_soft_init(&st, key, counting_random, &calls, NULL), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_store_crypto_soft_init(&st, key, counting_random, &calls, &hook), MF_OK);
    MF_CHECK(hook.ctx == &st);

    /* random forwards to the caller's source with its context. */
    uint8_t r[12];
    MF_CHECK_EQ_INT(hook.random(hook.ctx, r, sizeof r), MF_OK);
    MF_CHECK_EQ_INT(calls, 1);
    MF_CHECK_EQ_INT(r[11], 11);
    MF_CHECK_EQ_INT(hook.random(NULL, r, sizeof r), MF_EINVAL);

    MF_CHECK_EQ_INT(hook.seal(NULL, nonce, NULL, 0, buf, 16, buf, tag), MF_EINVAL);
    MF_CHECK_EQ_INT(hook.seal(hook.ctx, NULL, NULL, 0, buf, 16, buf, tag), MF_EINVAL);
    MF_CHECK_EQ_INT(hook.seal(hook.ctx, nonce, NULL, 1, buf, 16, buf, tag), MF_EINVAL);
    MF_CHECK_EQ_INT(hook.seal(hook.ctx, nonce, NULL, 0, NULL, 16, buf, tag), MF_EINVAL);
    MF_CHECK_EQ_INT(hook.seal(hook.ctx, nonce, NULL, 0, buf, 16, NULL, tag), MF_EINVAL);
    MF_CHECK_EQ_INT(hook.seal(hook.ctx, nonce, NULL, 0, buf, 16, buf, NULL), MF_EINVAL);
    MF_CHECK_EQ_INT(hook.open(hook.ctx, nonce, NULL, 0, NULL, 16, buf, tag), MF_EINVAL);
    MF_CHECK_EQ_INT(hook.open(hook.ctx, nonce, NULL, 0, buf, 16, NULL, tag), MF_EINVAL);
    MF_CHECK_EQ_INT(hook.open(hook.ctx, nonce, NULL, 0, buf, 16, buf, NULL), MF_EINVAL);
    /* GCM's length limit: 2^32 - 2 blocks. Checked before any byte is read. */
    if (sizeof(size_t) > 4) {
        size_t too_long = (size_t)0xFFFFFFFEu * 16u + 1u;
        MF_CHECK_EQ_INT(hook.seal(hook.ctx, nonce, NULL, 0, buf, too_long, buf, tag), MF_EINVAL);
        MF_CHECK_EQ_INT(hook.open(hook.ctx, nonce, NULL, 0, buf, too_long, buf, tag), MF_EINVAL);
    }

    /* Wipe clears the key material: the wiped state no longer opens what it sealed. */
    MF_CHECK_EQ_INT(hook.seal(hook.ctx, nonce, NULL, 0, buf, 16, buf, tag), MF_OK);
    mf_store_crypto_soft_wipe(&st);
    int all_zero = st.h_hi == 0 && st.h_lo == 0;
    for (size_t i = 0; i < sizeof st.round_keys; i++) all_zero &= st.round_keys[i] == 0;
    MF_CHECK(all_zero);
    MF_CHECK_EQ_INT(hook.open(hook.ctx, nonce, NULL, 0, buf, 16, buf, tag), MF_EAUTH);
    mf_store_crypto_soft_wipe(NULL);
}

int main(void)
{
    MF_RUN(test_aes256_fips197);
    MF_RUN(test_known_answers);
    MF_RUN(test_cross_check_mbedtls);
    MF_RUN(test_tamper);
    MF_RUN(test_arguments);
    return mf_test_summary();
}
