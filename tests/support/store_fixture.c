#define _DEFAULT_SOURCE
#include "support/store_fixture.h"
#include "mcuface/mf_status.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

int fixture_os_random(void *ctx, uint8_t *buf, size_t len)
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

int fixture_crypto_with(store_fixture *fx, uint32_t key_seed, const char *hook)
{
    for (int i = 0; i < MF_STORE_KEY_BYTES; i++) fx->key[i] = (uint8_t)(key_seed * 131u + (uint32_t)i * 7u + 1u);
    if (strcmp(hook, "mbedtls") == 0)
        return mf_store_crypto_mbedtls_init(&fx->gcm, mf_store_key_from_bytes, fx->key, &fx->crypto);
    if (strcmp(hook, "soft") == 0)
        return mf_store_crypto_soft_init(&fx->soft, fx->key, fixture_os_random, NULL, &fx->crypto);
    fprintf(stderr, "unknown store crypto hook '%s' (mbedtls or soft)\n", hook);
    return MF_EINVAL;
}

int fixture_crypto(store_fixture *fx, uint32_t key_seed)
{
    const char *hook = getenv("MCUFACE_STORE_CRYPTO");
    return fixture_crypto_with(fx, key_seed, hook && *hook ? hook : "mbedtls");
}

static int plain_seal(void *ctx, const uint8_t *nonce, const uint8_t *aad, size_t aad_len, const uint8_t *plain,
                      size_t len, uint8_t *cipher, uint8_t *tag)
{
    (void)ctx; (void)nonce; (void)aad; (void)aad_len;
    if (len) memcpy(cipher, plain, len);
    memset(tag, 0, MF_STORE_TAG_BYTES);
    return MF_OK;
}

static int plain_open(void *ctx, const uint8_t *nonce, const uint8_t *aad, size_t aad_len, const uint8_t *cipher,
                      size_t len, uint8_t *plain, const uint8_t *tag)
{
    (void)ctx; (void)nonce; (void)aad; (void)aad_len;
    for (int i = 0; i < MF_STORE_TAG_BYTES; i++)
        if (tag[i] != 0) return MF_EAUTH;
    if (len) memcpy(plain, cipher, len);
    return MF_OK;
}

static int plain_random(void *ctx, uint8_t *buf, size_t len)
{
    (void)ctx;
    memset(buf, 0x42, len);
    return MF_OK;
}

void fixture_plain_crypto(mf_store_crypto *crypto)
{
    crypto->ctx = NULL;
    crypto->seal = plain_seal;
    crypto->open = plain_open;
    crypto->random = plain_random;
}

int fixture_mount(store_fixture *fx, const mf_flash *flash, uint32_t max_ids, uint32_t max_templates,
                  mf_store_stats *stats)
{
    size_t need = mf_store_ram_size(flash, max_ids, max_templates);
    if (need == 0) return MF_EINVAL;
    free(fx->ram);
    fx->ram = aligned_alloc(8, (need + 7) & ~(size_t)7);
    if (!fx->ram) return MF_ENOMEM;
    memset(&fx->cfg, 0, sizeof fx->cfg);
    fx->cfg.flash = flash;
    fx->cfg.crypto = &fx->crypto;
    fx->cfg.ram = fx->ram;
    fx->cfg.ram_size = need;
    fx->cfg.max_identities = max_ids;
    fx->cfg.max_templates = max_templates;
    return mf_store_mount(&fx->store, &fx->cfg, stats);
}

void fixture_unmount(store_fixture *fx)
{
    free(fx->ram);
    fx->ram = NULL;
}

void fixture_release(store_fixture *fx)
{
    fixture_unmount(fx);
    mf_store_crypto_mbedtls_free(&fx->gcm);
    mf_store_crypto_soft_wipe(&fx->soft);
}

static uint32_t xorshift(uint32_t *s)
{
    uint32_t x = *s ? *s : 0x12345678u;
    x ^= x << 13; x ^= x >> 17; x ^= x << 5;
    return *s = x;
}

void fixture_embedding(uint32_t seed, float *out)
{
    uint32_t s = seed * 2654435761u + 1u;
    for (int i = 0; i < MF_STORE_DIM; i++) {
        /* sum of uniforms: roughly Gaussian, like real embedding components */
        float v = 0.0f;
        for (int k = 0; k < 4; k++) v += (float)(xorshift(&s) >> 8) / 16777216.0f - 0.5f;
        out[i] = v;
    }
}

void fixture_perturb(const float *emb, uint32_t seed, float amount, float *out)
{
    float noise[MF_STORE_DIM];
    fixture_embedding(seed ^ 0xA5A5A5A5u, noise);
    double n1 = 0, n2 = 0;
    for (int i = 0; i < MF_STORE_DIM; i++) { n1 += (double)emb[i] * emb[i]; n2 += (double)noise[i] * noise[i]; }
    float k = (float)(amount * sqrt(n1 / n2));
    for (int i = 0; i < MF_STORE_DIM; i++) out[i] = emb[i] + k * noise[i];
}
