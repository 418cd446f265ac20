/* AES-256 block encryption (FIPS-197), the only direction GCM needs. Byte
 * oriented: the state is 16 bytes in input order (column-major, FIPS-197 3.4). */
#ifndef MCUFACE_SOFT_AES256_H
#define MCUFACE_SOFT_AES256_H
#include <stdint.h>

#define MF_AES256_ROUNDS 14
#define MF_AES256_SCHEDULE_BYTES (16 * (MF_AES256_ROUNDS + 1))

/* Key expansion (FIPS-197 5.2, Nk = 8): ROUND_KEYS gets 15 round keys. */
void mf_aes256_expand_key(const uint8_t key[32], uint8_t round_keys[MF_AES256_SCHEDULE_BYTES]);

/* Encrypts one block (FIPS-197 5.1). OUT may equal IN. */
void mf_aes256_encrypt_block(const uint8_t round_keys[MF_AES256_SCHEDULE_BYTES], const uint8_t in[16],
                             uint8_t out[16]);
#endif
