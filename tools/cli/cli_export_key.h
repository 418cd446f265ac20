/* Export keys of `mcuface db export/import`: the store's own key, or one
 * derived from a passphrase file with PBKDF2-HMAC-SHA256 (mbedtls). */
#ifndef MCUFACE_CLI_EXPORT_KEY_H
#define MCUFACE_CLI_EXPORT_KEY_H
#include "mcuface/mf_store.h"
#include "mcuface/mf_crypto_mbedtls.h"

/* Iterations for new passphrase exports (recorded in the file header), and
 * the most an import accepts (a file cannot make import spin for hours). */
#define CLI_EXPORT_PBKDF2_ITERATIONS 600000u   /* OWASP 2023 figure for PBKDF2-HMAC-SHA256 */
#define CLI_EXPORT_PBKDF2_MAX_ITERATIONS 10000000u

/* Reads the passphrase from PATH (first line, without its newline; 1..1024
 * bytes), derives a 32-byte key with PBKDF2-HMAC-SHA256 over SALT and
 * ITERATIONS, and sets up *GCM / *CRYPTO with it (free with
 * mf_store_crypto_mbedtls_free). Prints one line and returns 1 on failure. */
int cli_export_key_from_passphrase(const char *path, const uint8_t salt[MF_STORE_EXPORT_SALT_BYTES],
                                   uint32_t iterations, mf_store_crypto_mbedtls *gcm, mf_store_crypto *crypto);

/* Fills SALT with random bytes (getrandom). 0, or 1 after printing a line. */
int cli_export_new_salt(uint8_t salt[MF_STORE_EXPORT_SALT_BYTES]);
#endif
