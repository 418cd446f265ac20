/* AES-256-GCM (NIST SP 800-38D) for the store's crypto hook, 96-bit nonces
 * and full 128-bit tags only, which is all mf_store_crypto uses. */
#include "mcuface/mf_crypto_soft.h"
#include "aes256.h"
#include "ghash.h"
#include "mcuface/mf_status.h"

_Static_assert(sizeof(((mf_store_crypto_soft *)0)->round_keys) == MF_AES256_SCHEDULE_BYTES, "schedule size");
_Static_assert(MF_STORE_NONCE_BYTES == 12 && MF_STORE_TAG_BYTES == 16, "GCM with 96-bit nonces, 128-bit tags");


/* Zeroes key material and keystream; volatile so the stores are not elided. */
static void wipe(void *p, size_t n)
{
    volatile uint8_t *b = p;
    while (n--) *b++ = 0;
}

static mf_gf128 ghash_key(const mf_store_crypto_soft *st)
{
    mf_gf128 h = {st->h_hi, st->h_lo};
    return h;
}

/* Y = (Y ^ block) * H for one block of N <= 16 bytes, zero-padded (the 0^v
 * and 0^u padding of SP 800-38D 7.1 step 5). */
static mf_gf128 ghash_block(mf_gf128 y, mf_gf128 h, const uint8_t *data, size_t n)
{
    uint8_t block[16] = {0};
    for (size_t i = 0; i < n; i++) block[i] = data[i];
    mf_gf128 x = mf_gf128_load(block);
    y.hi ^= x.hi;
    y.lo ^= x.lo;
    return mf_gf128_mul(y, h);
}

static mf_gf128 ghash_bytes(mf_gf128 y, mf_gf128 h, const uint8_t *data, size_t len)
{
    for (size_t off = 0; off < len; off += 16) y = ghash_block(y, h, data + off, len - off < 16 ? len - off : 16);
    return y;
}

/* The final GHASH block: [len(A)]64 || [len(C)]64, in bits. */
static mf_gf128 ghash_lengths(mf_gf128 y, mf_gf128 h, size_t aad_len, size_t len)
{
    y.hi ^= (uint64_t)aad_len << 3;
    y.lo ^= (uint64_t)len << 3;
    return mf_gf128_mul(y, h);
}

/* Counter block J0 = nonce || 0^31 || 1 for a 96-bit nonce; data uses J0 + 1, J0 + 2, ... */
static void counter_block(const uint8_t nonce[MF_STORE_NONCE_BYTES], uint32_t counter, uint8_t out[16])
{
    for (int i = 0; i < 12; i++) out[i] = nonce[i];
    out[12] = (uint8_t)(counter >> 24);
    out[13] = (uint8_t)(counter >> 16);
    out[14] = (uint8_t)(counter >> 8);
    out[15] = (uint8_t)counter;
}

/* GCTR from J0 + 1 (SP 800-38D 6.5): OUT = IN ^ keystream. OUT may equal IN. */
static void gctr(const mf_store_crypto_soft *st, const uint8_t *nonce, const uint8_t *in, size_t len, uint8_t *out)
{
    uint8_t ks[16];
    uint32_t counter = 2;
    for (size_t off = 0; off < len; off += 16, counter++) {
        counter_block(nonce, counter, ks);
        mf_aes256_encrypt_block(st->round_keys, ks, ks);
        size_t n = len - off < 16 ? len - off : 16;
        for (size_t i = 0; i < n; i++) out[off + i] = (uint8_t)(in[off + i] ^ ks[i]);
    }
    wipe(ks, sizeof ks);
}

/* Tag = E_K(J0) ^ GHASH(A, C). */
static void compute_tag(const mf_store_crypto_soft *st, const uint8_t *nonce, const uint8_t *aad, size_t aad_len,
                        const uint8_t *cipher, size_t len, uint8_t tag[16])
{
    mf_gf128 h = ghash_key(st), y = {0, 0};
    y = ghash_bytes(y, h, aad, aad_len);
    y = ghash_bytes(y, h, cipher, len);
    y = ghash_lengths(y, h, aad_len, len);
    uint8_t s[16], ek_j0[16];
    mf_gf128_store(y, s);
    counter_block(nonce, 1, ek_j0);
    mf_aes256_encrypt_block(st->round_keys, ek_j0, ek_j0);
    for (int i = 0; i < 16; i++) tag[i] = (uint8_t)(s[i] ^ ek_j0[i]);
    wipe(ek_j0, sizeof ek_j0);
}

static int check_args(const void *state, const uint8_t *nonce, const uint8_t *aad, size_t aad_len,
                      const uint8_t *in, size_t len, const uint8_t *out, const uint8_t *tag)
{
    if (!state || !nonce || !tag) return MF_EINVAL;
    if ((aad_len && !aad) || (len && (!in || !out))) return MF_EINVAL;
    /* GCM limits (SP 800-38D 5.2.1.1): at most 2^32 - 2 blocks of text (the
     * 32-bit counter runs from 2), AAD below 2^61 bytes. Written as divisions
     * and split shifts so they compile without warnings for a 32-bit size_t. */
    if (len && (len - 1) / 16 >= 0xFFFFFFFEu) return MF_EINVAL;
    if ((aad_len >> 30 >> 31) != 0) return MF_EINVAL;
    return MF_OK;
}

int mf_store_crypto_soft_seal(void *state, const uint8_t nonce[MF_STORE_NONCE_BYTES], const uint8_t *aad,
                              size_t aad_len, const uint8_t *plain, size_t len, uint8_t *cipher,
                              uint8_t tag[MF_STORE_TAG_BYTES])
{
    int err = check_args(state, nonce, aad, aad_len, plain, len, cipher, tag);
    if (err) return err;
    const mf_store_crypto_soft *st = state;
    gctr(st, nonce, plain, len, cipher);
    compute_tag(st, nonce, aad, aad_len, cipher, len, tag);
    return MF_OK;
}

int mf_store_crypto_soft_open(void *state, const uint8_t nonce[MF_STORE_NONCE_BYTES], const uint8_t *aad,
                              size_t aad_len, const uint8_t *cipher, size_t len, uint8_t *plain,
                              const uint8_t tag[MF_STORE_TAG_BYTES])
{
    int err = check_args(state, nonce, aad, aad_len, cipher, len, plain, tag);
    if (err) return err;
    const mf_store_crypto_soft *st = state;
    uint8_t expect[16];
    compute_tag(st, nonce, aad, aad_len, cipher, len, expect);
    /* Constant-time compare: the time must not tell how many bytes matched. */
    uint8_t diff = 0;
    for (int i = 0; i < 16; i++) diff |= (uint8_t)(expect[i] ^ tag[i]);
    wipe(expect, sizeof expect);
    if (diff != 0) return MF_EAUTH;
    gctr(st, nonce, cipher, len, plain);
    return MF_OK;
}

static int soft_random(void *state, uint8_t *buf, size_t len)
{
    const mf_store_crypto_soft *st = state;
    if (!st || (len && !buf)) return MF_EINVAL;
    return st->random(st->random_ctx, buf, len);
}

int mf_store_crypto_soft_init(mf_store_crypto_soft *state, const uint8_t key[MF_STORE_KEY_BYTES],
                              mf_soft_random_fn random, void *random_ctx, mf_store_crypto *crypto)
{
    if (!state || !key || !random || !crypto) return MF_EINVAL;
    mf_aes256_expand_key(key, state->round_keys);
    uint8_t h[16] = {0};
    mf_aes256_encrypt_block(state->round_keys, h, h);   /* H = E_K(0^128) */
    mf_gf128 hv = mf_gf128_load(h);
    wipe(h, sizeof h);
    state->h_hi = hv.hi;
    state->h_lo = hv.lo;
    state->random = random;
    state->random_ctx = random_ctx;
    crypto->ctx = state;
    crypto->seal = mf_store_crypto_soft_seal;
    crypto->open = mf_store_crypto_soft_open;
    crypto->random = soft_random;
    return MF_OK;
}

void mf_store_crypto_soft_wipe(mf_store_crypto_soft *state)
{
    if (!state) return;
    wipe(state->round_keys, sizeof state->round_keys);
    state->h_hi = 0;
    state->h_lo = 0;
}
