/* Host port (library mcuface_posix, built when mbedtls is found): the
 * enrollment store's AES-256-GCM crypto hook (mf_store_crypto) on mbedtls.
 * The key comes from a key provider, so a device port can hand over a key
 * derived from its hardware (or implement mf_store_crypto itself and never
 * expose the key). The provider writes 32 bytes into KEY and returns MF_OK;
 * the copy is wiped after the AES key schedule is set up. Nonces come from
 * getrandom().
 * Thread safety: one state (and the hook bound to it) is used by one thread
 * at a time, as the store that holds it is; separate states are
 * independent. */
#ifndef MCUFACE_MF_CRYPTO_MBEDTLS_H
#define MCUFACE_MF_CRYPTO_MBEDTLS_H
#include "mcuface/mf_store.h"
#include <stdint.h>

typedef int (*mf_store_key_provider)(void *ctx, uint8_t key[MF_STORE_KEY_BYTES]);

typedef struct mf_store_crypto_mbedtls {
    void *gcm;   /* mbedtls_gcm_context, allocated by init, freed by free */
} mf_store_crypto_mbedtls;

/* Fills *CRYPTO (hook) bound to STATE. MF_OK, MF_EINVAL, MF_ENOMEM, or the provider's error. */
int mf_store_crypto_mbedtls_init(mf_store_crypto_mbedtls *state, mf_store_key_provider provider, void *provider_ctx,
                                 mf_store_crypto *crypto);
void mf_store_crypto_mbedtls_free(mf_store_crypto_mbedtls *state);

/* A provider that returns the 32 bytes CTX points to (tests, host tools). */
int mf_store_key_from_bytes(void *ctx, uint8_t key[MF_STORE_KEY_BYTES]);
#endif
