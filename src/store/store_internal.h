/* Private to src/store: on-flash layout constants (docs/STORE.md is the
 * spec; keep the two in step) and the RAM gallery types. */
#ifndef MF_STORE_INTERNAL_H
#define MF_STORE_INTERNAL_H
#include "mcuface/mf_store.h"
#include "mcuface/mf_status.h"
#include <stdint.h>
#include "crc32.h"

#define MF_STORE_VERSION 2u          /* 1: names in the clear, unauthenticated deletes (refused) */
#define MF_SECTOR_MAGIC 0x4853464Du   /* "MFSH" little-endian */
#define MF_RECORD_MAGIC 0x4352464Du   /* "MFRC" */
#define MF_NO_LOC UINT32_MAX
#define MF_NO_SECTOR UINT32_MAX

/* Sector header (offsets in bytes, little-endian). */
enum {
    SH_MAGIC = 0, SH_VERSION = 4, SH_RESERVED = 6, SH_SECTOR_SIZE = 8, SH_GENERATION = 12,
    SH_ERASE_COUNT = 16, SH_SEQ_HW = 20, SH_NEXT_ID_HW = 24, SH_NONCE = 28, SH_TAG = 40,
    SH_CRC = 56, SH_BYTES = 60,
    SH_AAD_BYTES = SH_NONCE     /* the key check authenticates bytes 0..27 */
};

/* Record body: a clear, authenticated head (bytes 0..27) and one ciphertext
 * holding the template and the name. */
enum {
    RB_MAGIC = 0, RB_TYPE = 4, RB_RESERVED = 5, RB_VERSION = 6, RB_SEQ = 8, RB_ID = 12,
    RB_NEXT_ID_HW = 16, RB_BATCH_COMMIT = 20, RB_BATCH_TAG = 24, RB_NONCE = 28, RB_TAG = 40,
    RB_CIPHER = 56,
    RB_AAD_BYTES = RB_NONCE,                    /* AAD = bytes 0..27 */
    /* plaintext: template (scale f32 + 512 int8), name length, name (zero padded) */
    RP_TEMPLATE = 0, RP_TEMPLATE_BYTES = 4 + MF_STORE_DIM, RP_NAME_LEN = RP_TEMPLATE_BYTES,
    RP_NAME = RP_NAME_LEN + 1, RP_BYTES = RP_NAME + MF_STORE_NAME_MAX,   /* 580 */
    RB_CRC = RB_CIPHER + RP_BYTES,              /* 636 */
    RB_BYTES = RB_CRC + 4,                      /* 640 */
    RB_PLAIN_BYTES = RP_TEMPLATE_BYTES          /* a template's plaintext (export, gallery) */
};

enum mf_record_type { REC_ENROLL = 1, REC_SAMPLE = 2, REC_RENAME = 3 };

/* The obsolete unit holds a deletion proof: a GCM tag over the record's head,
 * so only the key holder can delete. Accepted within this many bit errors. */
#define MF_DELETE_PROOF_BYTES 16
#define MF_DELETE_PROOF_MAX_BIT_ERRORS 8

/* A marker word counts as programmed when at least this many of its 32 bits
 * are 0: tolerant of a few flipped bits either way. */
#define MF_MARKER_MIN_ZERO_BITS 16

struct mf_store_sector {
    uint32_t gen;          /* header generation; 0 when the header is invalid or absent */
    uint32_t erase_count;
    uint32_t used;         /* slots from the start that are not blank (append point) */
    uint32_t live;         /* slots the current state references */
    uint8_t header_ok;
    uint8_t blank;         /* every byte 0xFF: usable without erase */
};

struct mf_store_ident {
    uint32_t id;
    uint32_t enroll_seq, name_seq;
    uint32_t enroll_loc, name_loc;     /* slot locations; name_loc MF_NO_LOC: name from the ENROLL */
    uint32_t enroll_gen, name_gen;     /* generation of the sector holding them (duplicate choice) */
    uint32_t n_templates;
    uint32_t tseq[MF_STORE_MAX_TEMPLATES];  /* record seq of each template */
    char name[MF_STORE_NAME_MAX + 1];
};

struct mf_store_tmeta {
    uint32_t owner;      /* identity id */
    uint32_t seq;        /* record seq (ENROLL seq for the enrollment template) */
    uint32_t loc;        /* slot of its SAMPLE record (MF_NO_LOC for the ENROLL template) */
    uint32_t gen;
    float scale;         /* quantization scale as stored (export) */
    float inv_norm;      /* 1 / |q| for cosine */
};

/* ---- little-endian helpers ---- */
static inline uint32_t mf_get_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline void mf_put_u32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}
static inline uint16_t mf_get_u16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static inline void mf_put_u16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static inline uint32_t mf_align_up(uint32_t v, uint32_t a) { return (v + a - 1) / a * a; }



/* template.c */
int mf_template_normalize(const float *in, float *out);
void mf_template_quantize(const float *unit, int8_t *q, float *scale);
int32_t mf_template_dot(const int8_t *a, const int8_t *b);
float mf_template_inv_norm(const int8_t *q);
int mf_template_encode(const int8_t *q, float scale, uint8_t *plain);
int mf_template_decode(const uint8_t *plain, int8_t *q, float *scale);

/* name.c */
int mf_name_valid(const char *name, size_t len);

/* record.c: encode / classify one slot */
/* SLOT_PENDING: CRC-valid body without its commit marker; it counts only as
 * part of a batch whose commit record is present and authenticated. SLOT_OLD:
 * a CRC-valid record of format version 1 (mount refuses the store). */
typedef enum { SLOT_BLANK, SLOT_UNCOMMITTED, SLOT_CORRUPT, SLOT_PENDING, SLOT_OLD, SLOT_VALID } mf_slot_class;
typedef struct mf_record {
    uint32_t type, seq, id, next_id_hw, batch_commit, batch_tag;
    int obsolete_unit_written;   /* the obsolete unit is not erased: check the deletion proof */
    const uint8_t *body;   /* points into the slot buffer */
} mf_record;
uint32_t mf_store_slot_addr(const mf_store *s, uint32_t loc);
uint32_t mf_store_body_bytes(const mf_store *s);
uint32_t mf_store_commit_unit_bytes(const mf_store *s);
uint32_t mf_store_obsolete_unit_bytes(const mf_store *s);
int mf_marker_set(const uint8_t *p);
mf_slot_class mf_record_classify(const mf_store *s, const uint8_t *slot, mf_record *rec);
/* Seals a record: TEMPLATE (RB_PLAIN_BYTES or NULL for a rename) and NAME
 * (NULL for a sample) are encrypted together. */
int mf_record_seal(const mf_store *s, uint8_t *body, uint32_t type, uint32_t seq, uint32_t id,
                   uint32_t next_id_hw, uint32_t batch_commit, uint32_t batch_tag, const char *name,
                   size_t name_len, const uint8_t *template_plain);
/* Authenticates and decrypts into PLAIN (RP_BYTES), then checks the
 * plaintext fits the type (name valid, unused parts zero). MF_EAUTH on a bad
 * tag, MF_ECORRUPT on a bad plaintext. */
int mf_record_open(const mf_store *s, const uint8_t *body, uint8_t *plain);
/* The deletion proof of the record head BODY (MF_DELETE_PROOF_BYTES). */
int mf_record_delete_proof(const mf_store *s, const uint8_t *body, uint8_t proof[MF_DELETE_PROOF_BYTES]);
/* 1 when the obsolete unit of SLOT carries BODY's deletion proof. */
int mf_record_deleted(const mf_store *s, const uint8_t *slot);
int mf_sector_header_build(const mf_store *s, uint8_t *hdr, uint32_t gen, uint32_t erase_count);
/* Returns MF_OK (valid, fills gen/erase/hw), MF_ECORRUPT (invalid or blank),
 * MF_EAUTH (valid header, wrong key), MF_EUNSUPPORTED (newer version). */
int mf_sector_header_parse(const mf_store *s, const uint8_t *hdr, uint32_t *gen, uint32_t *erase_count,
                           uint32_t *seq_hw, uint32_t *next_id_hw);

/* gallery.c: RAM tables */
struct mf_store_ident *mf_gallery_find(const mf_store *s, uint32_t id);
struct mf_store_ident *mf_gallery_find_name(const mf_store *s, const char *name);
struct mf_store_ident *mf_gallery_insert(mf_store *s, uint32_t id);
void mf_gallery_remove(mf_store *s, uint32_t id);
void mf_gallery_remove_template(mf_store *s, uint32_t t);
int mf_gallery_add_template(mf_store *s, struct mf_store_ident *ident, const uint8_t *plain,
                            uint32_t seq, uint32_t loc, uint32_t gen);
uint32_t mf_gallery_find_template(const mf_store *s, uint32_t owner, uint32_t seq);

/* log.c: write path */
int mf_log_append(mf_store *s, uint32_t type, uint32_t id, const char *name, size_t name_len,
                  const uint8_t *plain, uint32_t *loc_out, uint32_t *seq_out);
/* Batches (docs/STORE.md "Batches"): N records that count all or none.
 * begin checks room for N records; the N appends follow; end sets the
 * remaining commit markers. abort forgets the batch's RAM state. */
int mf_log_batch_begin(mf_store *s, uint32_t n);
int mf_log_batch_end(mf_store *s);
void mf_log_batch_abort(mf_store *s, int err);
/* Finishes a batch whose commit record mount found before other markers. */
int mf_log_prepare_write(mf_store *s);
int mf_log_mark_obsolete(mf_store *s, uint32_t id);
int mf_log_wipe(mf_store *s);
uint32_t mf_log_capacity(const mf_store *s);
void mf_log_recount(mf_store *s);

/* store.c: operations on quantized templates (import uses them) */
int mf_store_enroll_q(mf_store *s, const char *name, size_t name_len, const int8_t *q, float scale,
                      uint32_t *new_id);

/* Lock hooks (mf_store_config.lock/unlock) around a public operation. */
static inline int mf_store_lock(const mf_store *s)
{
    return s->cfg.lock ? s->cfg.lock(s->cfg.lock_ctx) : MF_OK;
}
static inline void mf_store_unlock(const mf_store *s)
{
    if (s->cfg.unlock) s->cfg.unlock(s->cfg.lock_ctx);
}
int mf_store_add_q(mf_store *s, uint32_t id, const int8_t *q, float scale);

/* match.c */
int mf_match_best(const mf_store *s, const int8_t *q, float q_inv, uint32_t *id, float *score);

#endif
