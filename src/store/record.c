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

static uint32_t body_bytes(const mf_store *s) { return mf_align_up(RB_BYTES, s->cfg.flash->prog_size); }
static uint32_t unit_bytes(const mf_store *s) { return mf_align_up(4, s->cfg.flash->prog_size); }

/* Commit and obsolete markers are 0xFFFFFFFF when erased and 0 when set;
 * majority voting keeps one flipped bit from changing their meaning. */
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

static void build_aad(const uint8_t *body, uint8_t *aad)
{
    memcpy(aad, body, RB_AAD_HEAD);
    memcpy(aad + RB_AAD_HEAD, body + RB_NAME, 64);
}

mf_slot_class mf_record_classify(const mf_store *s, const uint8_t *slot, mf_record *rec)
{
    uint32_t body = body_bytes(s), unit = unit_bytes(s);
    if (all_ff(slot, s->slot_size)) return SLOT_BLANK;
    if (!mf_marker_set(slot + body)) return SLOT_UNCOMMITTED;
    if (mf_crc32(0, slot, RB_CRC) != mf_get_u32(slot + RB_CRC)) return SLOT_CORRUPT;
    uint32_t type = slot[RB_TYPE], name_len = slot[RB_NAME_LEN];
    if (mf_get_u32(slot + RB_MAGIC) != MF_RECORD_MAGIC || mf_get_u16(slot + RB_VERSION) != MF_STORE_VERSION)
        return SLOT_CORRUPT;
    if (type < REC_ENROLL || type > REC_RENAME) return SLOT_CORRUPT;
    int has_name = type != REC_SAMPLE;
    if (has_name ? (name_len == 0 || name_len > MF_STORE_NAME_MAX) : name_len != 0) return SLOT_CORRUPT;
    if (has_name && mf_name_valid((const char *)slot + RB_NAME, name_len) != MF_OK) return SLOT_CORRUPT;
    for (uint32_t i = name_len; i < 64; i++)
        if (slot[RB_NAME + i] != 0) return SLOT_CORRUPT;
    rec->type = type;
    rec->name_len = name_len;
    rec->seq = mf_get_u32(slot + RB_SEQ);
    rec->id = mf_get_u32(slot + RB_ID);
    rec->next_id_hw = mf_get_u32(slot + RB_NEXT_ID_HW);
    rec->obsolete = mf_marker_set(slot + body + unit);
    rec->body = slot;
    if (rec->id == 0 || rec->id == UINT32_MAX || rec->seq == 0 || rec->seq == UINT32_MAX) return SLOT_CORRUPT;
    return SLOT_VALID;
}

int mf_record_seal(const mf_store *s, uint8_t *body, uint32_t type, uint32_t seq, uint32_t id,
                   uint32_t next_id_hw, const char *name, size_t name_len, const uint8_t *plain)
{
    const mf_store_crypto *c = s->cfg.crypto;
    uint32_t n = body_bytes(s);
    memset(body, 0xFF, n);   /* padding stays erased */
    memset(body, 0, RB_BYTES);
    mf_put_u32(body + RB_MAGIC, MF_RECORD_MAGIC);
    body[RB_TYPE] = (uint8_t)type;
    body[RB_NAME_LEN] = (uint8_t)name_len;
    mf_put_u16(body + RB_VERSION, MF_STORE_VERSION);
    mf_put_u32(body + RB_SEQ, seq);
    mf_put_u32(body + RB_ID, id);
    mf_put_u32(body + RB_NEXT_ID_HW, next_id_hw);
    if (name_len) memcpy(body + RB_NAME, name, name_len);
    int err = c->random(c->ctx, body + RB_NONCE, MF_STORE_NONCE_BYTES);
    if (err) return err;
    uint8_t aad[RB_AAD_HEAD + 64];
    build_aad(body, aad);
    size_t len = plain ? RB_PLAIN_BYTES : 0;
    err = c->seal(c->ctx, body + RB_NONCE, aad, sizeof aad, plain, len, body + RB_CIPHER, body + RB_TAG);
    if (err) return err;
    mf_put_u32(body + RB_CRC, mf_crc32(0, body, RB_CRC));
    return MF_OK;
}

int mf_record_open(const mf_store *s, const uint8_t *body, uint8_t *plain)
{
    const mf_store_crypto *c = s->cfg.crypto;
    uint8_t aad[RB_AAD_HEAD + 64];
    build_aad(body, aad);
    size_t len = body[RB_TYPE] == REC_RENAME ? 0 : RB_PLAIN_BYTES;
    if (len == 0) {
        /* A rename carries no template; its cipher area must be all zero. */
        for (int i = 0; i < RB_PLAIN_BYTES; i++)
            if (body[RB_CIPHER + i] != 0) return MF_EAUTH;
    }
    int err = c->open(c->ctx, body + RB_NONCE, aad, sizeof aad, body + RB_CIPHER, len, plain, body + RB_TAG);
    return err == MF_OK ? MF_OK : MF_EAUTH;
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
    if (version > MF_STORE_VERSION) return MF_EUNSUPPORTED;
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
