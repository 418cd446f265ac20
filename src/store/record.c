/* One record slot and one sector header: encoding, sealing and the checks
 * mount applies (docs/STORE.md "Record slot", "Sector header"). */
#include "store/store_internal.h"
#include <string.h>

static const char key_check_label[] = "mcuface store key check";

uint32_t mf_store_slot_addr(const mf_store *s, uint32_t loc)
{
    uint32_t sector = loc / s->slots_per_sector, slot = loc % s->slots_per_sector;
    return sector * s->cfg.flash->sector_size + s->header_size + slot * s->slot_size;
}

uint32_t mf_store_body_bytes(const mf_store *s) { return mf_align_up(RB_BYTES, s->cfg.flash->prog_size); }
uint32_t mf_store_commit_unit_bytes(const mf_store *s) { return mf_align_up(4, s->cfg.flash->prog_size); }
uint32_t mf_store_obsolete_unit_bytes(const mf_store *s)
{
    return mf_align_up(MF_DELETE_PROOF_BYTES, s->cfg.flash->prog_size);
}

static const char delete_label[] = "mcuface store delete";

/* Commit markers are 0xFFFFFFFF when erased and 0 when set; majority voting
 * keeps one flipped bit from changing their meaning. */
int mf_marker_set(const uint8_t *p)
{
    uint32_t zero_bits = ~mf_get_u32(p);
    int zeros = 0;
    for (; zero_bits; zero_bits &= zero_bits - 1) zeros++;   /* popcount */
    return zeros >= MF_MARKER_MIN_ZERO_BITS;
}

static int all_ff(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != 0xFF) return 0;
    return 1;
}

mf_slot_class mf_record_classify(const mf_store *s, const uint8_t *slot, mf_record *rec)
{
    uint32_t body = mf_store_body_bytes(s), unit = mf_store_commit_unit_bytes(s);
    if (all_ff(slot, s->slot_size)) return SLOT_BLANK;
    int committed = mf_marker_set(slot + body);
    if (mf_crc32(0, slot, RB_CRC) != mf_get_u32(slot + RB_CRC))
        return committed ? SLOT_CORRUPT : SLOT_UNCOMMITTED;
    uint32_t type = slot[RB_TYPE];
    if (mf_get_u32(slot + RB_MAGIC) != MF_RECORD_MAGIC) return committed ? SLOT_CORRUPT : SLOT_UNCOMMITTED;
    uint16_t version = mf_get_u16(slot + RB_VERSION);
    if (version < MF_STORE_VERSION) return SLOT_OLD;
    if (version != MF_STORE_VERSION || slot[RB_RESERVED] != 0 || type < REC_ENROLL || type > REC_RENAME)
        return committed ? SLOT_CORRUPT : SLOT_UNCOMMITTED;
    for (uint32_t i = RB_BYTES; i < body; i++)
        if (slot[i] != 0xFF) return committed ? SLOT_CORRUPT : SLOT_UNCOMMITTED;
    rec->type = type;
    rec->seq = mf_get_u32(slot + RB_SEQ);
    rec->id = mf_get_u32(slot + RB_ID);
    rec->next_id_hw = mf_get_u32(slot + RB_NEXT_ID_HW);
    rec->batch_commit = mf_get_u32(slot + RB_BATCH_COMMIT);
    rec->batch_tag = mf_get_u32(slot + RB_BATCH_TAG);
    rec->obsolete_unit_written = !all_ff(slot + body + unit, mf_store_obsolete_unit_bytes(s));
    rec->body = slot;
    if (rec->id == 0 || rec->id == UINT32_MAX || rec->seq == 0 || rec->seq == UINT32_MAX)
        return committed ? SLOT_CORRUPT : SLOT_UNCOMMITTED;
    if ((rec->batch_commit == 0) != (rec->batch_tag == 0)) return committed ? SLOT_CORRUPT : SLOT_UNCOMMITTED;
    if (!committed) return rec->batch_commit > rec->seq ? SLOT_PENDING : SLOT_UNCOMMITTED;
    return SLOT_VALID;
}

int mf_record_seal(const mf_store *s, uint8_t *body, uint32_t type, uint32_t seq, uint32_t id,
                   uint32_t next_id_hw, uint32_t batch_commit, uint32_t batch_tag, const char *name,
                   size_t name_len, const uint8_t *template_plain)
{
    const mf_store_crypto *c = s->cfg.crypto;
    uint32_t n = mf_store_body_bytes(s);
    if (name_len > MF_STORE_NAME_MAX) return MF_ERANGE;
    memset(body, 0xFF, n);   /* padding stays erased */
    memset(body, 0, RB_BYTES);
    mf_put_u32(body + RB_MAGIC, MF_RECORD_MAGIC);
    body[RB_TYPE] = (uint8_t)type;
    mf_put_u16(body + RB_VERSION, MF_STORE_VERSION);
    mf_put_u32(body + RB_SEQ, seq);
    mf_put_u32(body + RB_ID, id);
    mf_put_u32(body + RB_NEXT_ID_HW, next_id_hw);
    mf_put_u32(body + RB_BATCH_COMMIT, batch_commit);
    mf_put_u32(body + RB_BATCH_TAG, batch_tag);
    int err = c->random(c->ctx, body + RB_NONCE, MF_STORE_NONCE_BYTES);
    if (err) return err;
    uint8_t plain[RP_BYTES];
    memset(plain, 0, sizeof plain);
    if (template_plain) memcpy(plain + RP_TEMPLATE, template_plain, RP_TEMPLATE_BYTES);
    plain[RP_NAME_LEN] = (uint8_t)name_len;
    if (name_len) memcpy(plain + RP_NAME, name, name_len);
    err = c->seal(c->ctx, body + RB_NONCE, body, RB_AAD_BYTES, plain, RP_BYTES, body + RB_CIPHER, body + RB_TAG);
    memset(plain, 0, sizeof plain);
    if (err) return err;
    mf_put_u32(body + RB_CRC, mf_crc32(0, body, RB_CRC));
    return MF_OK;
}

static int all_zero(const uint8_t *p, size_t n)
{
    uint8_t acc = 0;
    for (size_t i = 0; i < n; i++) acc |= p[i];
    return acc == 0;
}

int mf_record_open(const mf_store *s, const uint8_t *body, uint8_t *plain)
{
    const mf_store_crypto *c = s->cfg.crypto;
    int err = c->open(c->ctx, body + RB_NONCE, body, RB_AAD_BYTES, body + RB_CIPHER, RP_BYTES, plain, body + RB_TAG);
    if (err != MF_OK) return MF_EAUTH;
    uint32_t type = body[RB_TYPE], name_len = plain[RP_NAME_LEN];
    int has_name = type != REC_SAMPLE, has_template = type != REC_RENAME;
    if (has_name ? (name_len == 0 || name_len > MF_STORE_NAME_MAX) : name_len != 0) return MF_ECORRUPT;
    if (has_name && mf_name_valid((const char *)plain + RP_NAME, name_len) != MF_OK) return MF_ECORRUPT;
    if (!all_zero(plain + RP_NAME + name_len, MF_STORE_NAME_MAX - name_len)) return MF_ECORRUPT;
    if (!has_template && !all_zero(plain + RP_TEMPLATE, RP_TEMPLATE_BYTES)) return MF_ECORRUPT;
    return MF_OK;
}

/* GCM tag over the record head under a nonce derived from the record's own
 * (top bit of its last byte flipped): never used for anything else, and the
 * same for verbatim copies of one record, which get the same proof. */
int mf_record_delete_proof(const mf_store *s, const uint8_t *body, uint8_t proof[MF_DELETE_PROOF_BYTES])
{
    const mf_store_crypto *c = s->cfg.crypto;
    uint8_t nonce[MF_STORE_NONCE_BYTES], aad[sizeof delete_label + RB_AAD_BYTES];
    memcpy(nonce, body + RB_NONCE, sizeof nonce);
    nonce[MF_STORE_NONCE_BYTES - 1] ^= 0x80u;
    memcpy(aad, delete_label, sizeof delete_label);
    memcpy(aad + sizeof delete_label, body, RB_AAD_BYTES);
    return c->seal(c->ctx, nonce, aad, sizeof aad, NULL, 0, NULL, proof);
}

int mf_record_deleted(const mf_store *s, const uint8_t *slot)
{
    const uint8_t *unit = slot + mf_store_body_bytes(s) + mf_store_commit_unit_bytes(s);
    if (all_ff(unit, mf_store_obsolete_unit_bytes(s))) return 0;
    uint8_t proof[MF_DELETE_PROOF_BYTES];
    if (mf_record_delete_proof(s, slot, proof) != MF_OK) return 0;
    int bit_errors = 0;
    for (int i = 0; i < MF_DELETE_PROOF_BYTES; i++)
        for (uint8_t d = (uint8_t)(proof[i] ^ unit[i]); d; d &= (uint8_t)(d - 1)) bit_errors++;
    return bit_errors <= MF_DELETE_PROOF_MAX_BIT_ERRORS;
}

int mf_sector_header_build(const mf_store *s, uint8_t *hdr, uint32_t gen, uint32_t erase_count)
{
    const mf_store_crypto *c = s->cfg.crypto;
    memset(hdr, 0xFF, s->header_size);
    memset(hdr, 0, SH_BYTES);
    mf_put_u32(hdr + SH_MAGIC, MF_SECTOR_MAGIC);
    mf_put_u16(hdr + SH_VERSION, MF_STORE_VERSION);
    mf_put_u32(hdr + SH_SECTOR_SIZE, s->cfg.flash->sector_size);
    mf_put_u32(hdr + SH_GENERATION, gen);
    mf_put_u32(hdr + SH_ERASE_COUNT, erase_count);
    mf_put_u32(hdr + SH_SEQ_HW, s->next_seq);
    mf_put_u32(hdr + SH_NEXT_ID_HW, s->next_id);
    int err = c->random(c->ctx, hdr + SH_NONCE, MF_STORE_NONCE_BYTES);
    if (err) return err;
    uint8_t aad[SH_AAD_BYTES + sizeof key_check_label];
    memcpy(aad, hdr, SH_AAD_BYTES);
    memcpy(aad + SH_AAD_BYTES, key_check_label, sizeof key_check_label);
    err = c->seal(c->ctx, hdr + SH_NONCE, aad, sizeof aad, NULL, 0, NULL, hdr + SH_TAG);
    if (err) return err;
    mf_put_u32(hdr + SH_CRC, mf_crc32(0, hdr, SH_CRC));
    return MF_OK;
}

int mf_sector_header_parse(const mf_store *s, const uint8_t *hdr, uint32_t *gen, uint32_t *erase_count,
                           uint32_t *seq_hw, uint32_t *next_id_hw)
{
    if (mf_crc32(0, hdr, SH_CRC) != mf_get_u32(hdr + SH_CRC)) return MF_ECORRUPT;
    if (mf_get_u32(hdr + SH_MAGIC) != MF_SECTOR_MAGIC) return MF_ECORRUPT;
    uint16_t version = mf_get_u16(hdr + SH_VERSION);
    /* Newer, or version 1 (names in the clear, unauthenticated deletes): refused, never reformatted. */
    if (version != MF_STORE_VERSION && version != 0) return MF_EUNSUPPORTED;
    if (version != MF_STORE_VERSION || mf_get_u32(hdr + SH_SECTOR_SIZE) != s->cfg.flash->sector_size ||
        mf_get_u16(hdr + SH_RESERVED) != 0 || mf_get_u32(hdr + SH_GENERATION) == 0)
        return MF_ECORRUPT;
    const mf_store_crypto *c = s->cfg.crypto;
    uint8_t aad[SH_AAD_BYTES + sizeof key_check_label];
    memcpy(aad, hdr, SH_AAD_BYTES);
    memcpy(aad + SH_AAD_BYTES, key_check_label, sizeof key_check_label);
    if (c->open(c->ctx, hdr + SH_NONCE, aad, sizeof aad, NULL, 0, NULL, hdr + SH_TAG) != MF_OK) return MF_EAUTH;
    *gen = mf_get_u32(hdr + SH_GENERATION);
    *erase_count = mf_get_u32(hdr + SH_ERASE_COUNT);
    *seq_hw = mf_get_u32(hdr + SH_SEQ_HW);
    *next_id_hw = mf_get_u32(hdr + SH_NEXT_ID_HW);
    return MF_OK;
}
