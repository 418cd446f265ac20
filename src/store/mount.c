/* Mount-time recovery: rebuild the RAM state from whatever the flash holds.
 * Rules (docs/STORE.md "Recovery"): a slot counts only if its commit marker
 * is set, its CRC matches and its tag verifies; anything else is skipped and
 * costs only itself. Records are used whether or not their sector header is
 * intact; headers only give generations, wear counts and high-water marks.
 * Mount writes nothing. */
#include "store/store_internal.h"
#include <string.h>

static size_t align8(size_t v) { return (v + 7) & ~(size_t)7; }

/* Geometry derived from the flash; MF_EINVAL when it cannot hold a store. */
static int layout(const mf_flash *f, uint32_t *header, uint32_t *slot, uint32_t *per)
{
    if (mf_flash_check_geometry(f) != MF_OK) return MF_EINVAL;
    *header = mf_align_up(SH_BYTES, f->prog_size);
    *slot = mf_align_up(RB_BYTES, f->prog_size) + 2 * mf_align_up(4, f->prog_size);
    if (f->sector_size < *header) return MF_EINVAL;
    *per = (f->sector_size - *header) / *slot;
    if (*per < 3 || f->sector_count < 2) return MF_EINVAL;
    if ((uint64_t)*per * f->sector_count >= UINT32_MAX) return MF_EINVAL;
    return MF_OK;
}

/* Adds COUNT * EACH (rounded up to 8) to *TOTAL in 64-bit arithmetic, so no
 * product or sum can wrap on a 32-bit target; the caller compares the total
 * with SIZE_MAX. */
static void add_bytes(uint64_t *total, uint64_t count, uint64_t each)
{
    *total += (count * each + 7u) & ~(uint64_t)7;
}

static uint64_t ram_bytes(const mf_flash *f, uint32_t slot, uint32_t max_ids, uint32_t max_t)
{
    uint64_t n = 0;
    add_bytes(&n, f->sector_count, sizeof(struct mf_store_sector));
    add_bytes(&n, max_ids, sizeof(struct mf_store_ident));
    add_bytes(&n, max_t, sizeof(struct mf_store_tmeta));
    add_bytes(&n, max_t, MF_STORE_DIM);
    add_bytes(&n, 1, (uint64_t)slot + RP_BYTES);
    return n;
}

size_t mf_store_ram_size(const mf_flash *flash, uint32_t max_identities, uint32_t max_templates)
{
    uint32_t header, slot, per;
    if (!flash || layout(flash, &header, &slot, &per) != MF_OK) return 0;
    if (max_identities == 0 || max_templates == 0 || max_identities > MF_STORE_MAX_CAPACITY ||
        max_templates > MF_STORE_MAX_CAPACITY)
        return 0;
    uint64_t n = ram_bytes(flash, slot, max_identities, max_templates);
    return n > (uint64_t)SIZE_MAX ? 0 : (size_t)n;
}

static int all_ff(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != 0xFF) return 0;
    return 1;
}

static void raise_hw(mf_store *s, uint32_t seq_next, uint32_t id_next)
{
    if (seq_next > s->next_seq) s->next_seq = seq_next;
    if (id_next > s->next_id) s->next_id = id_next;
}

/* The marks an authenticated record R vouches for. */
static void raise_from_record(mf_store *s, const mf_record *r)
{
    uint32_t seq_next = (r->batch_commit > r->seq ? r->batch_commit : r->seq) + 1;
    raise_hw(s, seq_next, r->next_id_hw > r->id ? r->next_id_hw : r->id + 1);
}

static int raises_hw(const mf_store *s, const mf_record *r)
{
    uint32_t seq_next = (r->batch_commit > r->seq ? r->batch_commit : r->seq) + 1;
    uint32_t id_next = r->next_id_hw > r->id ? r->next_id_hw : r->id + 1;
    return seq_next > s->next_seq || id_next > s->next_id;
}

/* Opens R into PLAIN; counts the outcome. MF_OK or MF_EAUTH / MF_ECORRUPT. */
static int authenticate(mf_store *s, const mf_record *r, uint8_t *plain)
{
    int err = mf_record_open(s, r->body, plain);
    if (err == MF_EAUTH) { s->stats.records_auth_failed++; return err; }
    s->key_confirmed = 1;   /* the tag verified: this is the key the store was written with */
    if (err) { s->stats.records_corrupt++; return err; }
    raise_from_record(s, r);
    return MF_OK;
}

/* Pass 1 record: an ENROLL without a valid deletion proof creates the identity. */
static int load_enroll(mf_store *s, const mf_record *r, uint32_t loc, uint32_t gen, uint8_t *plain)
{
    struct mf_store_ident *e = mf_gallery_find(s, r->id);
    if (e) {
        if (e->enroll_seq == r->seq) {
            /* Copy left by an interrupted collection: keep the newer sector's,
             * once it has proved to be genuine. */
            s->stats.records_duplicate++;
            if (gen > e->enroll_gen && mf_record_open(s, r->body, plain) == MF_OK) {
                e->enroll_loc = loc;
                e->enroll_gen = gen;
            }
        } else if (mf_record_open(s, r->body, plain) == MF_OK) {
            s->stats.records_corrupt++;  /* two enrollments with one id: keep the first seen */
            raise_from_record(s, r);
        } else {
            s->stats.records_auth_failed++;
        }
        return MF_OK;
    }
    if (authenticate(s, r, plain) != MF_OK) return MF_OK;
    int8_t probe[MF_STORE_DIM];
    float scale;
    if (mf_template_decode(plain + RP_TEMPLATE, probe, &scale) != MF_OK) {
        s->stats.records_corrupt++;
        return MF_OK;
    }
    e = mf_gallery_insert(s, r->id);
    if (!e) return MF_ENOMEM;
    e->enroll_seq = e->name_seq = r->seq;
    e->enroll_loc = loc;
    e->enroll_gen = e->name_gen = gen;
    uint32_t name_len = plain[RP_NAME_LEN];
    memcpy(e->name, plain + RP_NAME, name_len);
    e->name[name_len] = '\0';
    int err = mf_gallery_add_template(s, e, plain + RP_TEMPLATE, r->seq, MF_NO_LOC, gen);
    if (err) return MF_ENOMEM;
    s->stats.records_valid++;
    return MF_OK;
}

/* Pass 2 record: samples and renames of identities that exist. */
static int load_update(mf_store *s, const mf_record *r, uint32_t loc, uint32_t gen, uint8_t *plain)
{
    struct mf_store_ident *e = mf_gallery_find(s, r->id);
    if (!e || r->seq < e->enroll_seq) return MF_OK;   /* belongs to a deleted identity */
    if (r->type == REC_SAMPLE) {
        for (uint32_t i = 0; i < e->n_templates; i++) {
            if (e->tseq[i] != r->seq) continue;
            s->stats.records_duplicate++;
            uint32_t t = mf_gallery_find_template(s, e->id, r->seq);
            if (t != UINT32_MAX && gen > s->tmeta[t].gen && mf_record_open(s, r->body, plain) == MF_OK) {
                s->tmeta[t].loc = loc;
                s->tmeta[t].gen = gen;
            }
            return MF_OK;
        }
    } else if (r->seq < e->name_seq || (r->seq == e->name_seq && e->name_loc == MF_NO_LOC)) {
        return MF_OK;   /* superseded name */
    } else if (r->seq == e->name_seq) {
        s->stats.records_duplicate++;
        if (gen > e->name_gen && mf_record_open(s, r->body, plain) == MF_OK) {
            e->name_loc = loc;
            e->name_gen = gen;
        }
        return MF_OK;
    }
    if (authenticate(s, r, plain) != MF_OK) return MF_OK;
    if (r->type == REC_SAMPLE) {
        int err = mf_gallery_add_template(s, e, plain + RP_TEMPLATE, r->seq, loc, gen);
        if (err == MF_ECORRUPT) { s->stats.records_corrupt++; return MF_OK; }
        if (err) return MF_ENOMEM;
    } else {
        e->name_seq = r->seq;
        e->name_loc = loc;
        e->name_gen = gen;
        uint32_t name_len = plain[RP_NAME_LEN];
        memcpy(e->name, plain + RP_NAME, name_len);
        e->name[name_len] = '\0';
    }
    s->stats.records_valid++;
    return MF_OK;
}

/* Does a pending (marker-less) record belong to the batch whose commit record
 * mount found? Only then it counts. */
static int in_committed_batch(const mf_store *s, const mf_record *r)
{
    return s->pend_commit != 0 && r->batch_commit == s->pend_commit && r->batch_tag == s->pend_tag;
}

typedef enum { PASS_BATCHES, PASS_COMMIT, PASS_ENROLL, PASS_UPDATE } scan_pass;

/* Reads every slot of every sector.
 * PASS_BATCHES: append points, format version, and the newest batch with
 *   marker-less records (authenticated; their sequence range raises the mark);
 * PASS_COMMIT: is that batch's commit record present and authentic?
 * PASS_ENROLL: enrollments, deletions, statistics, high-water marks;
 * PASS_UPDATE: samples and renames. */
static int scan(mf_store *s, scan_pass pass)
{
    const mf_flash *f = s->cfg.flash;
    uint8_t *slot = s->slot_buf, *plain = s->slot_buf + s->slot_size;
    for (uint32_t sec = 0; sec < f->sector_count; sec++) {
        struct mf_store_sector *c = &s->sectors[sec];
        uint32_t base = sec * f->sector_size;
        for (uint32_t k = 0; k < s->slots_per_sector; k++) {
            uint32_t loc = sec * s->slots_per_sector + k;
            int err = mf_flash_read(f, base + s->header_size + k * s->slot_size, slot, s->slot_size);
            if (err) return err;
            mf_record r;
            mf_slot_class cls = mf_record_classify(s, slot, &r);
            if (pass == PASS_BATCHES) {
                if (cls != SLOT_BLANK) { c->used = k + 1; c->blank = 0; }
                if (cls == SLOT_OLD) return MF_EUNSUPPORTED;
                if (cls == SLOT_PENDING && r.batch_commit > s->pend_commit &&
                    mf_record_open(s, r.body, plain) == MF_OK) {
                    s->key_confirmed = 1;
                    raise_from_record(s, &r);   /* the whole range was reserved: never reuse it */
                    s->pend_commit = r.batch_commit;
                    s->pend_tag = r.batch_tag;
                }
                continue;
            }
            if (pass == PASS_COMMIT) {
                if (cls == SLOT_VALID && r.seq == s->pend_commit && r.batch_commit == r.seq &&
                    r.batch_tag == s->pend_tag && mf_record_open(s, r.body, plain) == MF_OK)
                    s->pend_found = 1;
                continue;
            }
            if (cls == SLOT_PENDING) {
                if (!in_committed_batch(s, &r)) cls = SLOT_UNCOMMITTED;
                else { cls = SLOT_VALID; s->rollforward = 1; }
            }
            if (pass == PASS_ENROLL) {
                if (cls == SLOT_UNCOMMITTED) s->stats.records_uncommitted++;
                if (cls == SLOT_CORRUPT) s->stats.records_corrupt++;
            }
            if (cls != SLOT_VALID) continue;
            if (pass == PASS_ENROLL) {
                s->crc_valid_records++;
                if (r.type == REC_ENROLL && r.obsolete_unit_written && mf_record_deleted(s, slot)) {
                    /* The proof authenticates the head: its marks count. */
                    s->key_confirmed = 1;
                    raise_from_record(s, &r);
                } else if (r.type == REC_ENROLL) {
                    err = load_enroll(s, &r, loc, c->gen, plain);
                } else if (raises_hw(s, &r) && mf_record_open(s, r.body, plain) == MF_OK) {
                    s->key_confirmed = 1;
                    raise_from_record(s, &r);
                }
            }
            if (pass == PASS_UPDATE && r.type != REC_ENROLL) err = load_update(s, &r, loc, c->gen, plain);
            if (err) return err;
        }
        if (pass == PASS_BATCHES && c->blank) {
            /* The bytes after the last slot must be erased too for "blank". */
            uint32_t tail = s->header_size + s->slots_per_sector * s->slot_size;
            for (uint32_t off = tail; off < f->sector_size && c->blank; off += s->slot_size) {
                uint32_t n = f->sector_size - off < s->slot_size ? f->sector_size - off : s->slot_size;
                int err = mf_flash_read(f, base + off, slot, n);
                if (err) return err;
                c->blank = (uint8_t)all_ff(slot, n);
            }
        }
    }
    return MF_OK;
}

static int mount_locked(mf_store *s, const mf_store_config *cfg, mf_store_stats *stats);

int mf_store_mount(mf_store *s, const mf_store_config *cfg, mf_store_stats *stats)
{
    if (!s || !cfg || (!cfg->lock) != (!cfg->unlock)) return MF_EINVAL;
    if (cfg->lock) {
        int err = cfg->lock(cfg->lock_ctx);
        if (err) return err;
    }
    int err = mount_locked(s, cfg, stats);
    if (cfg->unlock) cfg->unlock(cfg->lock_ctx);
    return err;
}

static int mount_locked(mf_store *s, const mf_store_config *cfg, mf_store_stats *stats)

{
    if (!cfg->crypto || !cfg->crypto->seal || !cfg->crypto->open || !cfg->crypto->random)
        return MF_EINVAL;
    uint32_t header, slot, per;
    if (layout(cfg->flash, &header, &slot, &per) != MF_OK) return MF_EINVAL;
    size_t need = mf_store_ram_size(cfg->flash, cfg->max_identities, cfg->max_templates);
    if (need == 0) return MF_EINVAL;
    if (!cfg->ram || ((uintptr_t)cfg->ram & 7u) != 0) return MF_EINVAL;
    if (cfg->ram_size < need) return MF_ENOMEM;

    memset(s, 0, sizeof *s);
    s->cfg = *cfg;
    if (!(s->cfg.threshold_verify > 0.0f)) s->cfg.threshold_verify = MF_STORE_THRESHOLD_VERIFY_DEFAULT;
    if (!(s->cfg.threshold_identify > 0.0f)) s->cfg.threshold_identify = MF_STORE_THRESHOLD_IDENTIFY_DEFAULT;
    if (!(s->cfg.threshold_duplicate > 0.0f)) s->cfg.threshold_duplicate = MF_STORE_THRESHOLD_DUPLICATE_DEFAULT;
    s->header_size = header;
    s->slot_size = slot;
    s->slots_per_sector = per;
    const mf_flash *f = cfg->flash;
    uint8_t *p = cfg->ram;
    s->sectors = (struct mf_store_sector *)p;
    p += align8((size_t)f->sector_count * sizeof(struct mf_store_sector));
    s->idents = (struct mf_store_ident *)p;
    p += align8((size_t)cfg->max_identities * sizeof(struct mf_store_ident));
    s->tmeta = (struct mf_store_tmeta *)p;
    p += align8((size_t)cfg->max_templates * sizeof(struct mf_store_tmeta));
    s->tvec = (int8_t *)p;
    p += align8((size_t)cfg->max_templates * MF_STORE_DIM);   /* no wrap: mf_store_ram_size checked the sum */
    s->slot_buf = p;
    s->active = MF_NO_SECTOR;
    s->next_seq = 1;
    s->next_id = 1;
    s->next_gen = 1;

    /* Sector headers: generation, wear, high-water marks, key check. */
    for (uint32_t sec = 0; sec < f->sector_count; sec++) {
        struct mf_store_sector *c = &s->sectors[sec];
        memset(c, 0, sizeof *c);
        int err = mf_flash_read(f, sec * f->sector_size, s->slot_buf, header);
        if (err) return err;
        c->blank = (uint8_t)all_ff(s->slot_buf, header);
        uint32_t gen, erase_count, seq_hw, id_hw;
        err = mf_sector_header_parse(s, s->slot_buf, &gen, &erase_count, &seq_hw, &id_hw);
        if (err == MF_EAUTH || err == MF_EUNSUPPORTED) return err;
        if (err == MF_OK) {
            c->header_ok = 1;
            c->gen = gen;
            c->erase_count = erase_count;
            raise_hw(s, seq_hw, id_hw);   /* authenticated by the key check */
            s->key_confirmed = 1;
            if (gen >= s->next_gen) s->next_gen = gen + 1;
            if (s->active == MF_NO_SECTOR || gen > s->sectors[s->active].gen) s->active = sec;
        } else if (!c->blank) {
            s->stats.sectors_bad_header++;
        }
    }
    int err = scan(s, PASS_BATCHES);
    if (!err && s->pend_commit) err = scan(s, PASS_COMMIT);
    if (!err && !s->pend_found) s->pend_commit = 0;   /* an interrupted batch: its records never count */
    if (!err) err = scan(s, PASS_ENROLL);
    if (!err) err = scan(s, PASS_UPDATE);
    if (err) return err;
    /* Records exist, but neither a header nor any record accepts this key:
     * a wrong key (or everything forged). Refuse it rather than let its
     * first write bind the store and its collections erase the records. */
    if (!s->key_confirmed && (s->crc_valid_records > 0 || s->stats.records_auth_failed > 0)) return MF_EAUTH;

    /* Sectors without a header get the highest known wear as an estimate. */
    uint32_t max_wear = 0, min_wear = UINT32_MAX;
    for (uint32_t sec = 0; sec < f->sector_count; sec++)
        if (s->sectors[sec].header_ok && s->sectors[sec].erase_count > max_wear) max_wear = s->sectors[sec].erase_count;
    for (uint32_t sec = 0; sec < f->sector_count; sec++) {
        if (!s->sectors[sec].header_ok) s->sectors[sec].erase_count = max_wear;
        if (s->sectors[sec].erase_count < min_wear) min_wear = s->sectors[sec].erase_count;
    }
    s->stats.max_erase_count = max_wear;
    s->stats.min_erase_count = min_wear;
    s->stats.capacity_slots = mf_log_capacity(s);
    mf_log_recount(s);
    s->mounted = 1;
    if (stats) *stats = s->stats;
    return MF_OK;
}
