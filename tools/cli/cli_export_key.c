/* PBKDF2-HMAC-SHA256 export keys for the CLI (see cli_export_key.h). */
#define _DEFAULT_SOURCE
#include "cli_export_key.h"
#include "mcuface/mf_status.h"
#include <errno.h>
#include <mbedtls/md.h>
#include <mbedtls/pkcs5.h>
#include <mbedtls/platform_util.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#define MAX_PASSPHRASE 1024

static int read_passphrase(const char *path, char *out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "mcuface: cannot read passphrase file %s: %s\n", path, strerror(errno));
        return 1;
    }
    size_t n = fread(out, 1, MAX_PASSPHRASE + 1, f);
    int failed = ferror(f);
    fclose(f);
    size_t line = 0;
    while (line < n && out[line] != '\n' && out[line] != '\r') line++;
    if (failed || line == 0 || line > MAX_PASSPHRASE) {
        mbedtls_platform_zeroize(out, MAX_PASSPHRASE + 1);
        fprintf(stderr, "mcuface: passphrase file %s: %s\n", path,
                failed ? "read failed" : line == 0 ? "empty first line" : "passphrase longer than 1024 bytes");
        return 1;
    }
    *len = line;
    return 0;
}

int cli_export_key_from_passphrase(const char *path, const uint8_t salt[MF_STORE_EXPORT_SALT_BYTES],
                                   uint32_t iterations, mf_store_crypto_mbedtls *gcm, mf_store_crypto *crypto)
{
    if (iterations == 0 || iterations > CLI_EXPORT_PBKDF2_MAX_ITERATIONS) {
        fprintf(stderr, "mcuface: export file asks for %u PBKDF2 iterations (1..%u accepted)\n", (unsigned)iterations,
                (unsigned)CLI_EXPORT_PBKDF2_MAX_ITERATIONS);
        return 1;
    }
    char pass[MAX_PASSPHRASE + 1];
    size_t pass_len;
    if (read_passphrase(path, pass, &pass_len)) return 1;
    uint8_t key[MF_STORE_KEY_BYTES];
    mbedtls_md_context_t md;
    mbedtls_md_init(&md);
    int rc = mbedtls_md_setup(&md, mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), 1);
    if (rc == 0)
        rc = mbedtls_pkcs5_pbkdf2_hmac(&md, (const unsigned char *)pass, pass_len, salt, MF_STORE_EXPORT_SALT_BYTES,
                                       iterations, sizeof key, key);
    mbedtls_md_free(&md);
    mbedtls_platform_zeroize(pass, sizeof pass);
    if (rc == 0) rc = mf_store_crypto_mbedtls_init(gcm, mf_store_key_from_bytes, key, crypto);
    mbedtls_platform_zeroize(key, sizeof key);
    if (rc != 0) {
        fprintf(stderr, "mcuface: cannot derive the export key from %s\n", path);
        return 1;
    }
    return 0;
}

int cli_export_new_salt(uint8_t salt[MF_STORE_EXPORT_SALT_BYTES])
{
    size_t done = 0;
    while (done < MF_STORE_EXPORT_SALT_BYTES) {
        ssize_t n = getrandom(salt + done, MF_STORE_EXPORT_SALT_BYTES - done, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            fprintf(stderr, "mcuface: export: no random salt: %s\n", strerror(errno));
            return 1;
        }
        done += (size_t)n;
    }
    return 0;
}
