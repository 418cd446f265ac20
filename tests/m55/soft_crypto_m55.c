/* Cortex-M55 (QEMU mps3-an547) test of the portable AES-256-GCM store hook
 * (port/soft_crypto): the published known answers of the host test
 * (tests/crypto/gcm_known_answers.h) sealed, opened and opened in place on
 * the target, a flipped tag bit gives MF_EAUTH, and a store-sized record
 * (516-byte template, 84-byte AAD) round-trips. Prints
 * `soft_crypto_m55: N passed, M failed`; exits 1 on any failure. */
#include "aes256.h"
#include "mcuface/mf_crypto_soft.h"
#include "mcuface/mf_status.h"
#include "../crypto/gcm_known_answers.h"
#include <stdio.h>
#include <string.h>

static int g_passed, g_failed;

static void check(int ok, const char *what)
{
    if (ok) {
        g_passed++;
    } else {
        g_failed++;
        printf("FAIL %s\n", what);
    }
}

static int counter_random(void *ctx, uint8_t *buf, size_t len)
{
    uint32_t *n = ctx;
    for (size_t i = 0; i < len; i++) buf[i] = (uint8_t)(*n + i);
    ++*n;
    return MF_OK;
}

/* Kept out of line so an instruction-count plugin can bracket one record. */
__attribute__((noinline)) void soft_crypto_mark_begin(void) { __asm volatile(""); }
__attribute__((noinline)) void soft_crypto_mark_end(void) { __asm volatile(""); }

int main(void)
{
    static uint8_t key[32], nonce[12], aad[96], plain[600], cipher[600], tag[16], out[600], got[16];
    uint8_t rk[MF_AES256_SCHEDULE_BYTES], block[16], want[16];
    kat_from_hex(KAT_AES256_KEY, key, sizeof key);
    kat_from_hex(KAT_AES256_PLAIN, block, sizeof block);
    kat_from_hex(KAT_AES256_CIPHER, want, sizeof want);
    mf_aes256_expand_key(key, rk);
    mf_aes256_encrypt_block(rk, block, block);
    check(memcmp(block, want, 16) == 0, "FIPS-197 C.3");

    uint32_t counter = 1;
    for (size_t v = 0; v < KAT_COUNT; v++) {
        const known_answer *ka = &kat_vectors[v];
        kat_from_hex(ka->key, key, sizeof key);
        kat_from_hex(ka->nonce, nonce, sizeof nonce);
        size_t aad_len = kat_from_hex(ka->aad, aad, sizeof aad);
        size_t len = kat_from_hex(ka->plain, plain, sizeof plain);
        kat_from_hex(ka->cipher, cipher, sizeof cipher);
        kat_from_hex(ka->tag, tag, sizeof tag);
        mf_store_crypto_soft st;
        mf_store_crypto hook;
        check(mf_store_crypto_soft_init(&st, key, counter_random, &counter, &hook) == MF_OK, ka->name);
        const uint8_t *a = aad_len ? aad : NULL;
        int rc = hook.seal(hook.ctx, nonce, a, aad_len, len ? plain : NULL, len, len ? out : NULL, got);
        check(rc == MF_OK && memcmp(out, cipher, len) == 0 && memcmp(got, tag, 16) == 0, ka->name);
        rc = hook.open(hook.ctx, nonce, a, aad_len, len ? cipher : NULL, len, len ? out : NULL, tag);
        check(rc == MF_OK && memcmp(out, plain, len) == 0, ka->name);
        memcpy(out, cipher, len);
        rc = hook.open(hook.ctx, nonce, a, aad_len, out, len, out, tag);
        check(rc == MF_OK && memcmp(out, plain, len) == 0, ka->name);
        tag[v % 16] ^= (uint8_t)(1u << (v % 8));
        check(hook.open(hook.ctx, nonce, a, aad_len, len ? cipher : NULL, len, len ? out : NULL, tag) == MF_EAUTH,
              ka->name);
        mf_store_crypto_soft_wipe(&st);
    }

    /* One store record: nonce from the caller's source, 516 bytes, 84 bytes AAD. */
    mf_store_crypto_soft st;
    mf_store_crypto hook;
    for (int i = 0; i < 32; i++) key[i] = (uint8_t)(7 * i + 3);
    for (int i = 0; i < 516; i++) plain[i] = (uint8_t)(i * 13 + 5);
    for (int i = 0; i < 84; i++) aad[i] = (uint8_t)(i ^ 0x5A);
    check(mf_store_crypto_soft_init(&st, key, counter_random, &counter, &hook) == MF_OK, "record init");
    check(hook.random(hook.ctx, nonce, sizeof nonce) == MF_OK && nonce[11] == (uint8_t)(counter - 1 + 11),
          "record nonce");
    soft_crypto_mark_begin();
    int rc = hook.seal(hook.ctx, nonce, aad, 84, plain, 516, cipher, tag);
    soft_crypto_mark_end();
    check(rc == MF_OK && memcmp(cipher, plain, 516) != 0, "record seal");
    memset(out, 0, 516);
    check(hook.open(hook.ctx, nonce, aad, 84, cipher, 516, out, tag) == MF_OK && memcmp(out, plain, 516) == 0,
          "record open");
    cipher[300] ^= 0x10;
    check(hook.open(hook.ctx, nonce, aad, 84, cipher, 516, out, tag) == MF_EAUTH, "record tamper");
    mf_store_crypto_soft_wipe(&st);

    printf("soft_crypto_m55: %d passed, %d failed\n", g_passed, g_failed);
    return g_failed ? 1 : 0;
}
