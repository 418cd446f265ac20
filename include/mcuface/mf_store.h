/* Enrollment database: identities (id, UTF-8 name, 1..MF_STORE_MAX_TEMPLATES
 * int8 templates) kept in a power-loss-safe log on NOR flash, templates
 * encrypted and authenticated (AES-256-GCM through a crypto hook), and a RAM
 * gallery for fast 1:N search. The on-flash format, export file format and
 * recovery rules are specified in docs/STORE.md.
 *
 * Memory: the store never allocates. The caller provides the mf_store struct
 * and one RAM buffer sized by mf_store_ram_size; both must outlive the store.
 * Every function returns MF_OK (0), a count (>= 0) where documented, or a
 * negative mf_status. A failed operation leaves flash and RAM as they were,
 * except MF_EIO (the medium failed mid-operation: remount to recover).
 *
 * Thread safety: one mf_store is used by one thread at a time (calls must
 * not overlap, reads included: a search and a write would race on the RAM
 * gallery); separate stores are independent. Callers that share a store
 * between threads or processes serialise around it.
 */
#ifndef MCUFACE_MF_STORE_H
#define MCUFACE_MF_STORE_H
#include "mcuface/mf_flash.h"
#include <stddef.h>
#include <stdint.h>

#define MF_STORE_DIM 512            /* embedding and template length */
#define MF_STORE_NAME_MAX 63        /* bytes of UTF-8, excluding the terminator */
#define MF_STORE_MAX_TEMPLATES 8    /* templates per identity */
#define MF_STORE_MAX_K 16           /* most results one identify call returns */
#define MF_STORE_KEY_BYTES 32       /* AES-256 */
#define MF_STORE_NONCE_BYTES 12
#define MF_STORE_TAG_BYTES 16

/* Default cosine thresholds (docs/STORE.md "Thresholds"): 1:N is stricter
 * than 1:1 because the false-accept rate of an identify call grows with the
 * gallery size; the duplicate check at enrollment is stricter still. */
#define MF_STORE_THRESHOLD_VERIFY_DEFAULT 0.36f
#define MF_STORE_THRESHOLD_IDENTIFY_DEFAULT 0.45f
#define MF_STORE_THRESHOLD_DUPLICATE_DEFAULT 0.55f

/* Crypto hook: AES-256-GCM under a device key the core never sees. The host
 * implementations are mcuface/mf_crypto_mbedtls.h (host, mbedtls) and
 * mcuface/mf_crypto_soft.h (portable C); a device can wrap its hardware key.
 * seal: encrypts LEN bytes of PLAIN into CIPHER (LEN may be 0) and writes TAG.
 * open: verifies TAG and decrypts; returns MF_EAUTH on mismatch (CIPHER/PLAIN
 *       contents then undefined), never a partial success.
 * random: fills BUF with LEN unpredictable bytes (nonces). */
typedef struct mf_store_crypto {
    void *ctx;
    int (*seal)(void *ctx, const uint8_t nonce[MF_STORE_NONCE_BYTES], const uint8_t *aad, size_t aad_len,
                const uint8_t *plain, size_t len, uint8_t *cipher, uint8_t tag[MF_STORE_TAG_BYTES]);
    int (*open)(void *ctx, const uint8_t nonce[MF_STORE_NONCE_BYTES], const uint8_t *aad, size_t aad_len,
                const uint8_t *cipher, size_t len, uint8_t *plain, const uint8_t tag[MF_STORE_TAG_BYTES]);
    int (*random)(void *ctx, uint8_t *buf, size_t len);
} mf_store_crypto;

typedef struct mf_store_config {
    const mf_flash *flash;          /* the medium; all of it belongs to the store */
    const mf_store_crypto *crypto;  /* required */
    void *ram;                      /* caller's buffer, at least mf_store_ram_size bytes, 8-byte aligned */
    size_t ram_size;
    uint32_t max_identities;        /* RAM gallery capacity (live identities) */
    uint32_t max_templates;         /* RAM gallery capacity (templates, all identities) */
    float threshold_verify;         /* 0 = MF_STORE_THRESHOLD_VERIFY_DEFAULT */
    float threshold_identify;       /* 0 = MF_STORE_THRESHOLD_IDENTIFY_DEFAULT */
    float threshold_duplicate;      /* 0 = MF_STORE_THRESHOLD_DUPLICATE_DEFAULT */
} mf_store_config;

/* What mount found, for reporting. */
typedef struct mf_store_stats {
    uint32_t records_valid;       /* committed, CRC and tag good */
    uint32_t records_corrupt;     /* CRC failed: damaged, skipped (each costs only itself) */
    uint32_t records_auth_failed; /* CRC good but the GCM tag failed: tampered, never used */
    uint32_t records_uncommitted; /* interrupted writes, ignored */
    uint32_t records_duplicate;   /* extra copies left by an interrupted garbage collection */
    uint32_t sectors_bad_header;  /* non-blank sectors whose header failed its CRC */
    uint32_t live_slots;          /* records the current state needs */
    uint32_t capacity_slots;      /* most live records the flash can hold (one sector is reserve) */
    uint32_t gc_runs;             /* garbage collections since mount */
    uint32_t max_erase_count;     /* wear: highest sector erase count seen */
    uint32_t min_erase_count;
} mf_store_stats;

typedef struct mf_store_identity {
    uint32_t id;
    uint32_t template_count;
    char name[MF_STORE_NAME_MAX + 1];  /* NUL-terminated UTF-8 */
} mf_store_identity;

typedef struct mf_store_match {
    uint32_t id;
    float score;     /* cosine similarity in [-1, 1], best template of the identity */
} mf_store_match;

/* Opaque pieces of the store state (src/store/store_internal.h). */
struct mf_store_sector;
struct mf_store_ident;
struct mf_store_tmeta;

/* The store. Caller-allocated; fields are private. */
typedef struct mf_store {
    mf_store_config cfg;
    uint32_t header_size, slot_size, slots_per_sector;
    struct mf_store_sector *sectors;
    struct mf_store_ident *idents;
    struct mf_store_tmeta *tmeta;
    int8_t *tvec;
    uint8_t *slot_buf;
    uint32_t n_idents, n_templates;
    uint32_t active;            /* sector being appended to, or UINT32_MAX */
    uint32_t next_seq, next_id, next_gen;
    mf_store_stats stats;
    int mounted;
} mf_store;

/* Bytes of RAM a store needs for this geometry and capacity; 0 when the
 * geometry is unusable (sector too small for a header and one record). */
size_t mf_store_ram_size(const mf_flash *flash, uint32_t max_identities, uint32_t max_templates);

/* Mounts: scans the whole flash, keeps every committed record whose CRC and
 * tag verify, builds the RAM gallery. A blank flash mounts as an empty store.
 * Writes nothing. Returns MF_OK; MF_EINVAL (bad config); MF_ENOMEM (ram too
 * small, or more live identities/templates than the configured capacity);
 * MF_EAUTH (the key does not match the one the store was written with);
 * MF_EUNSUPPORTED (a newer format version); MF_EIO. STATS may be NULL. */
int mf_store_mount(mf_store *store, const mf_store_config *cfg, mf_store_stats *stats);

/* Validates a name: 1..MF_STORE_NAME_MAX bytes of UTF-8 (no overlong forms,
 * surrogates or control characters). MF_OK, MF_EINVAL (NULL, empty, invalid
 * UTF-8) or MF_ERANGE (too long). */
int mf_store_check_name(const char *name);

#define MF_STORE_ALLOW_DUPLICATE 1u  /* enroll flag: skip the "already enrolled" face check */

/* Enrolls NAME from N_SAMPLES (1..MF_STORE_MAX_TEMPLATES) float embeddings of
 * MF_STORE_DIM values each, stored contiguously in SAMPLES (read only). The
 * samples are L2-normalised here (the caller need not), averaged and
 * normalised again into one fused template: one record, so an enrollment is
 * atomic (docs/STORE.md). Unless FLAGS has MF_STORE_ALLOW_DUPLICATE, the fused
 * template is searched first: a match above threshold_duplicate returns
 * MF_EEXIST with *EXISTING_ID set (EXISTING_ID may be NULL). *NEW_ID gets a
 * fresh id, never used before on this store. Errors: MF_EINVAL (zero or
 * non-finite embedding, bad sample count), MF_ERANGE / MF_EINVAL (name),
 * MF_EEXIST (name in use: *EXISTING_ID = its id; or face already enrolled),
 * MF_ENOSPC (flash or gallery full), MF_EIO. */
int mf_store_enroll(mf_store *store, const char *name, const float *samples, uint32_t n_samples,
                    unsigned flags, uint32_t *new_id, uint32_t *existing_id);

/* Adds one more template (one float embedding) to identity ID. MF_ENOTFOUND,
 * MF_ENOSPC (flash, gallery, or the identity has MF_STORE_MAX_TEMPLATES). */
int mf_store_add_sample(mf_store *store, uint32_t id, const float *embedding);

/* Deletes identity ID and its templates. MF_ENOTFOUND when absent. */
int mf_store_delete(mf_store *store, uint32_t id);

/* Renames identity ID. MF_ENOTFOUND, MF_EEXIST (another identity has the name), name errors. */
int mf_store_rename(mf_store *store, uint32_t id, const char *name);

/* Number of identities (>= 0). */
int mf_store_count(const mf_store *store);
/* Copies the INDEX-th identity (0-based, in id order) into *OUT. MF_ERANGE past the end. */
int mf_store_get(const mf_store *store, uint32_t index, mf_store_identity *out);
/* Finds by id. MF_ENOTFOUND when absent. */
int mf_store_find_id(const mf_store *store, uint32_t id, mf_store_identity *out);
/* Finds by exact name. MF_ENOTFOUND when absent. */
int mf_store_find_name(const mf_store *store, const char *name, mf_store_identity *out);

/* 1:N search of EMBEDDING (MF_STORE_DIM floats, need not be normalised).
 * Writes up to K (1..MF_STORE_MAX_K) identities whose best score is at least
 * THRESHOLD (pass a negative value for the configured 1:N threshold), best
 * first, into OUT. Returns the number written (>= 0) or MF_EINVAL. */
int mf_store_identify(const mf_store *store, const float *embedding, float threshold,
                      mf_store_match *out, uint32_t k);

/* 1:1 verification against identity ID with the configured 1:1 threshold.
 * Returns 1 (match), 0 (no match), MF_ENOTFOUND or MF_EINVAL; *SCORE (may be
 * NULL) gets the best cosine score. */
int mf_store_verify(const mf_store *store, uint32_t id, const float *embedding, float *score);

/* Erases every identity. Ids stay unique: later enrollments get ids above
 * every id ever issued. */
int mf_store_wipe(mf_store *store);

/* Copies the mount statistics (updated by later operations) into *OUT. */
int mf_store_get_stats(const mf_store *store, mf_store_stats *out);

/* Export file (docs/STORE.md "Export file"): versioned, CRC-checked, templates
 * in the clear (int8 + scale) so another device can import them under its own
 * key. mf_store_export_size returns the exact size in bytes (>= 0).
 * mf_store_export writes it into BUF (CAP bytes); *LEN gets the size. MF_ENOMEM
 * when CAP is too small. */
int mf_store_export_size(const mf_store *store, size_t *size);
int mf_store_export(const mf_store *store, uint8_t *buf, size_t cap, size_t *len);

/* Validates the whole file first (magic, version, CRC, lengths, names,
 * scales), then checks that everything fits, then enrolls each identity under
 * a fresh id (file ids are not kept). Returns the number of identities
 * imported, or MF_ECORRUPT / MF_EUNSUPPORTED (bad file), MF_EEXIST (a name is
 * already in use or repeated), MF_ENOSPC; on these errors nothing is written.
 * Under power loss each record is atomic (an identity appears with its first
 * template, later templates one by one); the file as a whole is not. */
int mf_store_import(mf_store *store, const uint8_t *buf, size_t len);

#endif
