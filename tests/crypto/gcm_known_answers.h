/* Published AES-256-GCM known answers with 96-bit nonces, shared by the host
 * test (tests/crypto/test_gcm_soft.c) and the Cortex-M55 one
 * (tests/m55/soft_crypto_m55.c). Every value is as published; each was also
 * reproduced with python-cryptography when this table was written. */
#ifndef MF_GCM_KNOWN_ANSWERS_H
#define MF_GCM_KNOWN_ANSWERS_H
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct known_answer {
    const char *name, *key, *nonce, *aad, *plain, *cipher, *tag;  /* hex */
} known_answer;

/* AES-256 vectors with 96-bit nonces. "GCM spec" = McGrew & Viega, "The
 * Galois/Counter Mode of Operation", appendix B; "CAVP" = NIST
 * gcmtestvectors.zip (gcmEncryptExtIV256.rsp / gcmDecrypt256.rsp). */
static const known_answer kat_vectors[] = {
    {"GCM spec test case 13 (empty)", "0000000000000000000000000000000000000000000000000000000000000000",
     "000000000000000000000000", "", "", "", "530f8afbc74536b9a963b4f1c4cb738b"},
    {"GCM spec test case 14 (one zero block)", "0000000000000000000000000000000000000000000000000000000000000000",
     "000000000000000000000000", "", "00000000000000000000000000000000", "cea7403d4d606b6e074ec5d3baf39d18",
     "d0d1c8a799996bf0265b98b5d48ab919"},
    {"GCM spec test case 15 (64 bytes)", "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308",
     "cafebabefacedbaddecaf888", "",
     "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
     "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255",
     "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
     "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad",
     "b094dac5d93471bdec1a502270e3cc6c"},
    {"GCM spec test case 16 (60 bytes, 20 bytes AAD)",
     "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308", "cafebabefacedbaddecaf888",
     "feedfacedeadbeeffeedfacedeadbeefabaddad2",
     "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
     "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
     "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
     "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
     "76fc6ece0f4e1768cddf8853bb2d551b"},
    {"CAVP encrypt PTlen 0 AADlen 0 count 0", "b52c505a37d78eda5dd34f20c22540ea1b58963cf8e5bf8ffa85f9f2492505b4",
     "516c33929df5a3284ff463d7", "", "", "", "bdc1ac884d332457a1d2664f168c76f0"},
    {"CAVP decrypt PTlen 128 AADlen 128 count 0",
     "54e352ea1d84bfe64a1011096111fbe7668ad2203d902a01458c3bbd85bfce14", "df7c3bca00396d0c018495d9",
     "7e968d71b50c1f11fd001f3fef49d045", "85fc3dfad9b5a8d3258e4fc44571bd3b", "426e0efc693b7be1f3018db7ddbb7e4d",
     "ee8257795be6a1164d7e1d2d6cac77a7"},
    {"CAVP decrypt PTlen 128 AADlen 128 count 1",
     "82f0d1ddc58123f805541f55a7eab43f56ddfefc06c73d57709df3d5a4aabfb3", "0c9d74af29ed4406c77a8e4b",
     "34325620a392739beeee6c370967d539", "3fe7811a8224a1881da34a27e03da86a", "c61155d41495e9fc76060fe7f8c926a2",
     "66d8c881d66370504d2bf00cdb06259e"},
    {"CAVP encrypt PTlen 408 AADlen 0 (51 bytes)",
     "fad40c82264dc9b8d9a42c10a234138344b0133a708d8899da934bfee2bdd6b8", "0dade2c95a9b85a8d2bc13ef", "",
     "664ea95d511b2cfdb9e5fb87efdd41cbfb88f3ff47a7d2b8830967e39071a89b948754ffb0ed34c357ed6d4b4b2f8a76615c03",
     "ea94dcbf52b22226dda91d9bfc96fb382730b213b66e30960b0d20d2417036cbaa9e359984eea947232526e175f49739095e69",
     "5ca8905d469fffec6fba7435ebdffdaf"},
};

#define KAT_COUNT (sizeof kat_vectors / sizeof kat_vectors[0])

/* FIPS-197 appendix C.3: one AES-256 block. */
#define KAT_AES256_KEY "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
#define KAT_AES256_PLAIN "00112233445566778899aabbccddeeff"
#define KAT_AES256_CIPHER "8ea2b7ca516745bfeafc49904b496089"

static inline int kat_nibble(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Decodes lowercase HEX into OUT (CAP bytes); returns the byte count. Aborts
 * on a malformed table entry: a broken fixture must not pass silently. */
static inline size_t kat_from_hex(const char *hex, uint8_t *out, size_t cap)
{
    size_t n = strlen(hex) / 2;
    if (n > cap || strlen(hex) % 2) abort();
    for (size_t i = 0; i < n; i++) {
        int hi = kat_nibble(hex[2 * i]), lo = kat_nibble(hex[2 * i + 1]);
        if (hi < 0 || lo < 0) abort();
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return n;
}
#endif
