/* Shared helpers for the store tests, the fuzz targets and the benchmark. */
#ifndef MF_STORE_FIXTURE_H
#define MF_STORE_FIXTURE_H
#include "mcuface/mf_store.h"
#include "mcuface/mf_crypto_mbedtls.h"
#include "mcuface/mf_crypto_soft.h"
#include <stddef.h>
#include <stdint.h>

typedef struct store_fixture {
    mf_store store;
    mf_store_config cfg;
    void *ram;
    mf_store_crypto crypto;
    mf_store_crypto_mbedtls gcm;
    mf_store_crypto_soft soft;
    uint8_t key[MF_STORE_KEY_BYTES];
} store_fixture;

/* AES-256-GCM under a key made from KEY_SEED: mbedtls, or the portable hook
 * (port/soft_crypto) when $MCUFACE_STORE_CRYPTO is "soft", so the same store
 * tests run on both. Returns MF_OK, MF_EINVAL for another value of the variable. */
int fixture_crypto(store_fixture *fx, uint32_t key_seed);
/* The same, naming the hook: "mbedtls" or "soft". */
int fixture_crypto_with(store_fixture *fx, uint32_t key_seed, const char *hook);
/* Nonce source for the portable hook on the host: getrandom(). */
int fixture_os_random(void *ctx, uint8_t *buf, size_t len);
/* A stand-in hook with no secrecy (cipher = plain, tag = 16 zero bytes), so
 * fuzzers can reach the record and template checks behind the tag. */
void fixture_plain_crypto(mf_store_crypto *crypto);
/* Allocates RAM for the capacity and mounts FLASH with the fixture's crypto.
 * Returns mf_store_mount's status. Call fixture_unmount to free the RAM. */
int fixture_mount(store_fixture *fx, const mf_flash *flash, uint32_t max_ids, uint32_t max_templates,
                  mf_store_stats *stats);
void fixture_unmount(store_fixture *fx);
void fixture_release(store_fixture *fx);
/* A pseudo-random 512-d embedding (not normalised), reproducible from SEED. */
void fixture_embedding(uint32_t seed, float *out);
/* EMB plus a small perturbation (another capture of the same face). */
void fixture_perturb(const float *emb, uint32_t seed, float amount, float *out);

/* Fuzz entry points shared by the libFuzzer targets and the corpus replay test. */
int mf_fuzz_store_mount(const uint8_t *data, size_t size);
int mf_fuzz_store_import(const uint8_t *data, size_t size);
#define MF_FUZZ_SECTOR_SIZE 4096u
#define MF_FUZZ_SECTORS 4u
#define MF_FUZZ_PROG 16u
#endif
