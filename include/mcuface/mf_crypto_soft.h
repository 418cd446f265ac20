/* Library mcuface_soft_crypto: the store's crypto hook (mf_store_crypto) in portable C: AES-256 (FIPS-197)
 * in GCM mode (NIST SP 800-38D) with 96-bit nonces and 128-bit tags, no
 * dependencies, no malloc, no global state. For targets without mbedtls (the
 * Cortex-M55 firmware) and as a second, independent implementation for tests.
 *
 * Side channels: AES here uses a 256-byte S-box table indexed by secret bytes,
 * so its timing can depend on the key and data where memory access time does
 * (caches). GHASH and the tag comparison are constant-time. A product should
 * use its hardware AES (and a key that never leaves it); see docs/STORE.md.
 *
 * Thread safety: one state is used by one thread at a time (the nonce
 * source is called from seal); separate states are independent, and
 * seal/open on one state never write it, apart from the random source. */
#ifndef MCUFACE_MF_CRYPTO_SOFT_H
#define MCUFACE_MF_CRYPTO_SOFT_H
#include "mcuface/mf_store.h"
#include <stddef.h>
#include <stdint.h>

/* Source of nonces: fills BUF with LEN unpredictable bytes, returns MF_OK or
 * a negative mf_status. On a device this is its TRNG. Nonces must never repeat
 * under one key. */
typedef int (*mf_soft_random_fn)(void *ctx, uint8_t *buf, size_t len);

/* Caller-owned state (the expanded key lives here: keep it in private RAM
 * and call mf_store_crypto_soft_wipe when done). Fields are private. */
typedef struct mf_store_crypto_soft {
    uint8_t round_keys[240];      /* AES-256 key schedule: 15 round keys of 16 bytes */
    uint64_t h_hi, h_lo;          /* GHASH key H = AES_K(0^128), big-endian halves */
    mf_soft_random_fn random;
    void *random_ctx;
} mf_store_crypto_soft;

/* Expands KEY (32 bytes; the caller may wipe its copy afterwards) into STATE
 * and fills *CRYPTO with seal/open/random bound to STATE. STATE must outlive
 * every use of *CRYPTO. Returns MF_OK or MF_EINVAL (a NULL argument). */
int mf_store_crypto_soft_init(mf_store_crypto_soft *state, const uint8_t key[MF_STORE_KEY_BYTES],
                              mf_soft_random_fn random, void *random_ctx, mf_store_crypto *crypto);

/* Overwrites the key material in STATE with zeros. NULL is ignored. */
void mf_store_crypto_soft_wipe(mf_store_crypto_soft *state);

/* The same AES-256-GCM as the hook, callable directly (tests, tools).
 * seal: CIPHER may equal PLAIN (in place); PLAIN/CIPHER may be NULL when LEN
 * is 0, AAD when AAD_LEN is 0. open: checks TAG over AAD and CIPHER first and
 * only then decrypts, so on MF_EAUTH PLAIN is untouched. Both return MF_EINVAL
 * for NULL buffers with a nonzero length or LEN above GCM's limit. */
int mf_store_crypto_soft_seal(void *state, const uint8_t nonce[MF_STORE_NONCE_BYTES], const uint8_t *aad,
                              size_t aad_len, const uint8_t *plain, size_t len, uint8_t *cipher,
                              uint8_t tag[MF_STORE_TAG_BYTES]);
int mf_store_crypto_soft_open(void *state, const uint8_t nonce[MF_STORE_NONCE_BYTES], const uint8_t *aad,
                              size_t aad_len, const uint8_t *cipher, size_t len, uint8_t *plain,
                              const uint8_t tag[MF_STORE_TAG_BYTES]);
#endif
