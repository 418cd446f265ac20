/* Enrollment database: identities (id, UTF-8 name, 1..MF_STORE_MAX_TEMPLATES
 * int8 templates) kept in a power-loss-safe log on NOR flash, templates and
 * names encrypted and authenticated (AES-256-GCM through a crypto hook),
 * deletions and high-water marks authenticated, multi-record operations
 * (add_samples, import) atomic, and a RAM gallery for fast 1:N search.
 * Threads: see mf_store_config.lock. The on-flash format, export file format and
 * recovery rules are specified in docs/STORE.md.
 *
 * Memory: the store never allocates. The caller provides the mf_store struct
 * and one RAM buffer sized by mf_store_ram_size; both must outlive the store.
 * Every function returns MF_OK (0), a count (>= 0) where documented, or a
 * negative mf_status. A failed operation leaves the stored state and RAM as
 * they were (a batch that fails half way may leave uncommitted records on
 * flash, which never count and are collected later), except MF_EIO (the
 * medium failed mid-operation: remount to recover; atomicity still holds).
 *
 * Thread safety: one mf_store is used by one thread at a time (calls must
 * not overlap, reads included: a search and a write would race on the RAM
 * gallery) unless the configuration's lock hooks serialise them; separate
 * stores are independent. Two processes on one medium need an external lock
 * as well (the host CLI takes an advisory lock on the db file). */
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
 * Both must allow in-place operation (CIPHER == PLAIN; exports use it).
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
    /* Optional lock hooks (both or neither), as littlefs has: every public
     * function that reads or writes the store state (mount included) calls
     * lock(lock_ctx) first and unlock(lock_ctx) when done; a lock error is
     * returned as is and nothing else happens. Without them one mf_store must
     * not be used from two threads at once (concurrent read-only calls are
     * fine only while no write runs). Hooks serialize one process; two
     * processes sharing one medium need an external lock (the host CLI takes
     * an advisory file lock). The hooks must not call back into the store. */
    int (*lock)(void *lock_ctx);
    void (*unlock)(void *lock_ctx);
    void *lock_ctx;
} mf_store_config;

/* Largest max_identities / max_templates: keeps every RAM size product far
 * from wrapping, also in 32-bit arithmetic. */
#define MF_STORE_MAX_CAPACITY (1u << 22)

/* What mount found, for reporting. */
typedef struct mf_store_stats {
    uint32_t records_valid;       /* committed, CRC and tag good */
    uint32_t records_corrupt;     /* CRC failed: damaged, skipped (each costs only itself) */
    uint32_t records_auth_failed; /* CRC good but the GCM tag failed: tampered or forged, never used */
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
    /* key and batch state (src/store/mount.c, log.c) */
    int key_confirmed;            /* a header or a record authenticated under this key */
    uint32_t crc_valid_records;
    uint32_t pend_commit, pend_tag; /* batch whose commit record mount found */
    int pend_found, rollforward;  /* rollforward: its other commit markers still to set */
    uint32_t batch_first, batch_commit, batch_tag, batch_left; /* batch being written */
    uint64_t import_name_compares; /* name comparisons made by imports (tests check the scaling) */
} mf_store;

/* Bytes of RAM a store needs for this geometry and capacity; 0 when the
 * geometry is unusable (sector too small for a header and one record). */
size_t mf_store_ram_size(const mf_flash *flash, uint32_t max_identities, uint32_t max_templates);

/* Mounts: scans the whole flash, keeps every committed record whose CRC and
 * tag verify, builds the RAM gallery. A blank flash mounts as an empty store.
 * Writes nothing. Returns MF_OK; MF_EINVAL (bad config); MF_ENOMEM (ram too
 * small, or more live identities/templates than the configured capacity);
 * MF_EAUTH (the key does not match the one the store was written with: a
 * header's key check fails, or records exist and none authenticates under
 * this key, e.g. when the only header is damaged);
 * MF_EUNSUPPORTED (a newer format version); MF_EIO. STATS may be NULL. */
int mf_store_mount(mf_store *store, const mf_store_config *cfg, mf_store_stats *stats);

/* Validates a name: 1..MF_STORE_NAME_MAX bytes of well-formed UTF-8 (no
 * overlong forms or surrogates) without characters that can make a display
 * mislead: controls (C0, DEL, C1), format characters (Unicode category Cf:
 * bidi embeddings, overrides, isolates and marks, zero-width characters,
 * BOM, ...), and noncharacters. Names are compared byte for byte: callers
 * should pass NFC (the core carries no normalisation tables; the host CLI
 * normalises). MF_OK, MF_EINVAL (NULL, empty, invalid or refused) or
 * MF_ERANGE (too long). */
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

/* Adds N (1..MF_STORE_MAX_TEMPLATES) templates, one per float embedding of
 * MF_STORE_DIM values in EMBEDDINGS (read only), to identity ID, atomically:
 * the N records are one batch (docs/STORE.md "Batches"), so after a power cut
 * or MF_EIO either all N or none are there. MF_EINVAL (bad N, zero or
 * non-finite embedding), MF_ENOTFOUND, MF_ENOSPC (flash, gallery, or the
 * identity would exceed MF_STORE_MAX_TEMPLATES); nothing written on these. */
int mf_store_add_samples(mf_store *store, uint32_t id, const float *embeddings, uint32_t n);
/* mf_store_add_samples with N = 1. */
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

/* ---- Export files (docs/STORE.md "Export file") ----
 * Sealed by default (version 2): the body is AES-256-GCM sealed through the
 * caller's crypto hook, under the store's own key or one derived from a
 * passphrase; the header records how the key was made (kdf, iterations,
 * salt: authenticated, not secret) so an importer can derive it again. With
 * MF_STORE_EXPORT_PLAINTEXT the clear version 1 file is written instead
 * (templates and names readable by whoever holds the file). */
#define MF_STORE_EXPORT_PLAINTEXT 2u   /* export/import flag: the clear version 1 format */
#define MF_STORE_EXPORT_SALT_BYTES 16
enum { MF_STORE_KDF_NONE = 0, MF_STORE_KDF_PBKDF2_SHA256 = 1 };

typedef struct mf_store_export_key {
    const mf_store_crypto *crypto;  /* AES-256-GCM under the export key (borrowed; seal, open, random) */
    uint32_t kdf;                   /* MF_STORE_KDF_NONE: a key as is (e.g. the store's own hook);
                                       MF_STORE_KDF_PBKDF2_SHA256: PBKDF2-HMAC-SHA256 of a passphrase */
    uint32_t kdf_iterations;        /* recorded for PBKDF2; ignored for KDF_NONE */
    uint8_t kdf_salt[MF_STORE_EXPORT_SALT_BYTES];
} mf_store_export_key;

typedef struct mf_store_export_info {
    uint32_t version;   /* 1 clear, 2 sealed */
    int sealed;
    uint32_t kdf, kdf_iterations;
    uint8_t kdf_salt[MF_STORE_EXPORT_SALT_BYTES];
} mf_store_export_info;

/* Exact size in bytes of the export FLAGS asks for. */
int mf_store_export_size(const mf_store *store, unsigned flags, size_t *size);
/* Writes the export into BUF (CAP bytes, caller's); *LEN gets its size. KEY
 * (borrowed) is required unless FLAGS has MF_STORE_EXPORT_PLAINTEXT. MF_ENOMEM
 * when CAP is too small, MF_EINVAL for a missing key; on a sealing error BUF
 * is zeroed. */
int mf_store_export(const mf_store *store, const mf_store_export_key *key, unsigned flags, uint8_t *buf,
                    size_t cap, size_t *len);
/* Reads the header of an export file (no key needed): clear or sealed, and
 * for a sealed one the kdf parameters. MF_ECORRUPT (not an export file),
 * MF_EUNSUPPORTED (newer version or unknown kdf). */
int mf_store_export_probe(const uint8_t *buf, size_t len, mf_store_export_info *info);

/* Imports the export file in BUF (caller's; a sealed file is decrypted in
 * place and its clear body zeroed afterwards, so BUF does not hold the file
 * any more). A sealed file needs KEY with the kdf parameters of its header
 * (mf_store_export_probe); a tampered file or a wrong key gives MF_EAUTH. A
 * clear file is accepted only with MF_STORE_EXPORT_PLAINTEXT in FLAGS
 * (MF_EAUTH otherwise: it proves nothing about its origin). Then the whole
 * body is validated (MF_ECORRUPT / MF_EUNSUPPORTED), names are checked
 * against the file and the store (MF_EEXIST), every template against the
 * enrolled faces at threshold_duplicate unless FLAGS has
 * MF_STORE_ALLOW_DUPLICATE (MF_EEXIST), and room (MF_ENOSPC). On any of
 * these errors nothing is written. The identities are then written as one
 * batch under fresh ids: after a power cut or MF_EIO either all of them or
 * none are there. Returns the number imported. Cost: O((n + m) log n) name
 * comparisons for n imported and m stored identities. */
int mf_store_import(mf_store *store, const mf_store_export_key *key, unsigned flags, uint8_t *buf, size_t len);

#endif
