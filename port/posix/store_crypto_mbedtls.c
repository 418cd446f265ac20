/* The store's crypto hook on mbedtls AES-256-GCM (Debian libmbedtls-dev 2.28). */
#define _DEFAULT_SOURCE
#include "mcuface/mf_crypto_mbedtls.h"
#include "mcuface/mf_status.h"
#include <mbedtls/gcm.h>
#include <mbedtls/platform_util.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

static int gcm_seal(void *ctx, const uint8_t nonce[MF_STORE_NONCE_BYTES], const uint8_t *aad, size_t aad_len,
                    const uint8_t *plain, size_t len, uint8_t *cipher, uint8_t tag[MF_STORE_TAG_BYTES])
{
    int rc = mbedtls_gcm_crypt_and_tag(ctx, MBEDTLS_GCM_ENCRYPT, len, nonce, MF_STORE_NONCE_BYTES, aad, aad_len,
                                       plain, cipher, MF_STORE_TAG_BYTES, tag);
    return rc == 0 ? MF_OK : MF_EIO;
}

static int gcm_open(void *ctx, const uint8_t nonce[MF_STORE_NONCE_BYTES], const uint8_t *aad, size_t aad_len,
                    const uint8_t *cipher, size_t len, uint8_t *plain, const uint8_t tag[MF_STORE_TAG_BYTES])
{
    if (cipher == plain && len > 0) {
        /* The hook contract allows in place; mbedtls decryption does not. */
        uint8_t *tmp = malloc(len);
        if (!tmp) return MF_ENOMEM;
        int rc = mbedtls_gcm_auth_decrypt(ctx, len, nonce, MF_STORE_NONCE_BYTES, aad, aad_len, tag,
                                          MF_STORE_TAG_BYTES, cipher, tmp);
        if (rc == 0) memcpy(plain, tmp, len);
        mbedtls_platform_zeroize(tmp, len);
        free(tmp);
        return rc == 0 ? MF_OK : MF_EAUTH;
    }
    int rc = mbedtls_gcm_auth_decrypt(ctx, len, nonce, MF_STORE_NONCE_BYTES, aad, aad_len, tag, MF_STORE_TAG_BYTES,
                                      cipher, plain);
    return rc == 0 ? MF_OK : MF_EAUTH;
}

static int os_random(void *ctx, uint8_t *buf, size_t len)
{
    (void)ctx;
    while (len > 0) {
        ssize_t n = getrandom(buf, len, 0);
        if (n <= 0) return MF_EIO;
        buf += n;
        len -= (size_t)n;
    }
    return MF_OK;
}

int mf_store_crypto_mbedtls_init(mf_store_crypto_mbedtls *state, mf_store_key_provider provider, void *provider_ctx,
                                 mf_store_crypto *crypto)
{
    if (!state || !provider || !crypto) return MF_EINVAL;
    state->gcm = NULL;
    mbedtls_gcm_context *gcm = malloc(sizeof *gcm);
    if (!gcm) return MF_ENOMEM;
    mbedtls_gcm_init(gcm);
    uint8_t key[MF_STORE_KEY_BYTES];
    int err = provider(provider_ctx, key);
    if (err == MF_OK && mbedtls_gcm_setkey(gcm, MBEDTLS_CIPHER_ID_AES, key, 256) != 0) err = MF_EINVAL;
    mbedtls_platform_zeroize(key, sizeof key);
    if (err) {
        mbedtls_gcm_free(gcm);
        free(gcm);
        return err;
    }
    state->gcm = gcm;
    crypto->ctx = gcm;
    crypto->seal = gcm_seal;
    crypto->open = gcm_open;
    crypto->random = os_random;
    return MF_OK;
}

void mf_store_crypto_mbedtls_free(mf_store_crypto_mbedtls *state)
{
    if (!state || !state->gcm) return;
    mbedtls_gcm_free(state->gcm);
    free(state->gcm);
    state->gcm = NULL;
}

int mf_store_key_from_bytes(void *ctx, uint8_t key[MF_STORE_KEY_BYTES])
{
    if (!ctx) return MF_EINVAL;
    memcpy(key, ctx, MF_STORE_KEY_BYTES);
    return MF_OK;
}
