/* The write path of the record log: append one record, open sectors, collect
 * garbage, mark deletions. Order of flash operations is what makes power loss
 * safe (docs/STORE.md "Power-loss argument"): a record is programmed before
 * its commit marker; a garbage collection copies every live record and only
 * then erases the victim; a new sector gets its header (carrying the sequence
 * and id high-water marks) before anything is copied into it. */
#include "store/store_internal.h"
#include <string.h>

static uint32_t body_bytes(const mf_store *s) { return mf_store_body_bytes(s); }
static uint32_t unit_bytes(const mf_store *s) { return mf_store_commit_unit_bytes(s); }

static int io_failed(mf_store *s, int err)
{
    if (err == MF_EIO) s->mounted = 0;  /* RAM may disagree with flash now: remount */
    return err;
}

uint32_t mf_log_capacity(const mf_store *s)
{
    /* One sector stays in reserve for garbage collection, and every sector
     * keeps two slots of slack so a collection always gains room even after
     * an interrupted one left a half-written slot behind. */
    return (s->cfg.flash->sector_count - 1) * (s->slots_per_sector - 2);
}

static uint32_t live_total(const mf_store *s)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < s->cfg.flash->sector_count; i++) n += s->sectors[i].live;
    return n;
}

static uint32_t sector_of(const mf_store *s, uint32_t loc) { return loc / s->slots_per_sector; }

void mf_log_recount(mf_store *s)
{
    for (uint32_t i = 0; i < s->cfg.flash->sector_count; i++) s->sectors[i].live = 0;
    for (uint32_t i = 0; i < s->n_idents; i++) {
        s->sectors[sector_of(s, s->idents[i].enroll_loc)].live++;
        if (s->idents[i].name_loc != MF_NO_LOC) s->sectors[sector_of(s, s->idents[i].name_loc)].live++;
    }
    for (uint32_t t = 0; t < s->n_templates; t++)
        if (s->tmeta[t].loc != MF_NO_LOC) s->sectors[sector_of(s, s->tmeta[t].loc)].live++;
    s->stats.live_slots = live_total(s);
}

static int is_free(const mf_store *s, uint32_t i) { return i != s->active && s->sectors[i].live == 0; }

/* Least-worn free sector (erased ones first on a tie), or MF_NO_SECTOR. */
static uint32_t pick_free(const mf_store *s, uint32_t *count)
{
    uint32_t best = MF_NO_SECTOR;
    *count = 0;
    for (uint32_t i = 0; i < s->cfg.flash->sector_count; i++) {
        if (!is_free(s, i)) continue;
        (*count)++;
        const struct mf_store_sector *c = &s->sectors[i];
        if (best == MF_NO_SECTOR || c->erase_count < s->sectors[best].erase_count ||
            (c->erase_count == s->sectors[best].erase_count && c->blank && !s->sectors[best].blank))
            best = i;
    }
    return best;
}

/* Sector with the fewest live records (least worn on a tie) among those that
 * hold some, excluding EXCEPT; the cheapest garbage collection victim. */
static uint32_t pick_victim(const mf_store *s, uint32_t except)
{
    uint32_t best = MF_NO_SECTOR;
    for (uint32_t i = 0; i < s->cfg.flash->sector_count; i++) {
        const struct mf_store_sector *c = &s->sectors[i];
        if (i == except || c->live == 0) continue;
        if (best == MF_NO_SECTOR || c->live < s->sectors[best].live ||
            (c->live == s->sectors[best].live && c->erase_count < s->sectors[best].erase_count))
            best = i;
    }
    return best;
}

static int erase_sector(mf_store *s, uint32_t i)
{
    int err = mf_flash_erase(s->cfg.flash, i);
    if (err) return io_failed(s, err);
    struct mf_store_sector *c = &s->sectors[i];
    c->erase_count++;
    c->gen = 0;
    c->used = 0;
    c->header_ok = 0;
    c->blank = 1;
    return MF_OK;
}

/* Makes free sector I the active one: erase unless blank, then header. */
static int open_sector(mf_store *s, uint32_t i)
{
    int err;
    if (!s->sectors[i].blank && (err = erase_sector(s, i)) != MF_OK) return err;
    uint32_t gen = s->next_gen;
    err = mf_sector_header_build(s, s->slot_buf, gen, s->sectors[i].erase_count);
    if (err) return err;
    err = mf_flash_prog(s->cfg.flash, i * s->cfg.flash->sector_size, s->slot_buf, s->header_size);
    if (err) return io_failed(s, err);
    s->next_gen++;
    struct mf_store_sector *c = &s->sectors[i];
    c->gen = gen;
    c->header_ok = 1;
    c->blank = 0;
    c->used = 0;
    c->live = 0;
    s->active = i;
    return MF_OK;
}

static int program_commit(mf_store *s, uint32_t loc)
{
    uint8_t commit[256];
    memset(commit, 0xFF, sizeof commit);
    memset(commit, 0, 4);
    int err = mf_flash_prog(s->cfg.flash, mf_store_slot_addr(s, loc) + body_bytes(s), commit, unit_bytes(s));
    return err ? io_failed(s, err) : MF_OK;
}

/* Programs BODY into slot LOC, then (COMMIT) its commit marker; a batch
 * record waits for its batch's commit record instead. */
static int program_slot(mf_store *s, uint32_t loc, const uint8_t *body, int commit)
{
    int err = mf_flash_prog(s->cfg.flash, mf_store_slot_addr(s, loc), body, body_bytes(s));
    if (err) return io_failed(s, err);
    return commit ? program_commit(s, loc) : MF_OK;
}

/* Copies the record at FROM verbatim (same seq, nonce and tag, and the same
 * commit state) to the next slot of the active sector; returns its new
 * location. */
static int copy_record(mf_store *s, uint32_t from, uint32_t *to)
{
    uint32_t loc = s->active * s->slots_per_sector + s->sectors[s->active].used;
    int err = mf_flash_read(s->cfg.flash, mf_store_slot_addr(s, from), s->slot_buf, body_bytes(s) + 4);
    if (err) return io_failed(s, err);
    s->sectors[s->active].used++;
    err = program_slot(s, loc, s->slot_buf, mf_marker_set(s->slot_buf + body_bytes(s)));
    if (err) return err;
    s->sectors[sector_of(s, from)].live--;
    s->sectors[s->active].live++;
    *to = loc;
    return MF_OK;
}

/* Moves every live record of VICTIM into the active sector, then erases it. */
static int collect(mf_store *s, uint32_t victim)
{
    int err;
    uint32_t gen = s->sectors[s->active].gen;
    for (uint32_t i = 0; i < s->n_idents; i++) {
        struct mf_store_ident *e = &s->idents[i];
        if (sector_of(s, e->enroll_loc) == victim) {
            if ((err = copy_record(s, e->enroll_loc, &e->enroll_loc)) != MF_OK) return err;
            e->enroll_gen = gen;
        }
        if (e->name_loc != MF_NO_LOC && sector_of(s, e->name_loc) == victim) {
            if ((err = copy_record(s, e->name_loc, &e->name_loc)) != MF_OK) return err;
            e->name_gen = gen;
        }
    }
    for (uint32_t t = 0; t < s->n_templates; t++) {
        struct mf_store_tmeta *m = &s->tmeta[t];
        if (m->loc != MF_NO_LOC && sector_of(s, m->loc) == victim) {
            if ((err = copy_record(s, m->loc, &m->loc)) != MF_OK) return err;
            m->gen = gen;
        }
    }
    s->stats.gc_runs++;
    return erase_sector(s, victim);
}

/* Makes sure the active sector has a free slot, opening sectors and
 * collecting garbage as needed. */
static int need_slot(mf_store *s)
{
    const uint32_t per = s->slots_per_sector;
    for (uint32_t iter = 0; iter < 4 * s->cfg.flash->sector_count + 4; iter++) {
        uint32_t free_count, f = pick_free(s, &free_count);
        int has_room = s->active != MF_NO_SECTOR && s->sectors[s->active].used < per;
        if (has_room) {
            if (free_count > 0) return MF_OK;
            /* No spare sector: an interrupted collection. Finish it by moving
             * the emptiest sector into the room left in the active one. */
            uint32_t v = pick_victim(s, s->active);
            if (v != MF_NO_SECTOR && s->sectors[v].live < per - s->sectors[s->active].used) {
                int err = collect(s, v);
                if (err) return err;
                continue;
            }
            return MF_OK;
        }
        if (free_count >= 2 || (free_count == 1 && pick_victim(s, f) == MF_NO_SECTOR)) {
            int err = open_sector(s, f);
            if (err) return err;
            continue;
        }
        if (free_count == 0) return MF_ENOSPC;
        /* Last spare: it becomes the active sector and receives the live
         * records of the emptiest sector, which is then erased. */
        uint32_t v = pick_victim(s, f);
        if (s->sectors[v].live >= per) return MF_ENOSPC;
        int err = open_sector(s, f);
        if (!err) err = collect(s, v);
        if (err) return err;
    }
    return MF_ENOSPC;
}

int mf_log_append(mf_store *s, uint32_t type, uint32_t id, const char *name, size_t name_len,
                  const uint8_t *plain, uint32_t *loc_out, uint32_t *seq_out)
{
    if (live_total(s) + 1 > mf_log_capacity(s)) return MF_ENOSPC;
    /* 0xFFFFFFFF is not a valid sequence number: running out is an error. */
    if (s->next_seq >= UINT32_MAX - 1) return MF_ENOSPC;
    int err = need_slot(s);
    if (err) return err;
    uint32_t seq = s->next_seq;
    uint32_t batch_commit = s->batch_left ? s->batch_commit : 0, batch_tag = s->batch_left ? s->batch_tag : 0;
    if (s->batch_left && (seq > s->batch_commit || (s->batch_left == 1) != (seq == s->batch_commit)))
        return MF_ESTATE;   /* a batch must be exactly the records announced */
    uint8_t *body = s->slot_buf;
    err = mf_record_seal(s, body, type, seq, id, s->next_id, batch_commit, batch_tag, name, name_len, plain);
    if (err) return err;
    uint32_t loc = s->active * s->slots_per_sector + s->sectors[s->active].used;
    s->sectors[s->active].used++;
    s->next_seq++;
    if (s->batch_left) s->batch_left--;
    /* The commit record of a batch (its last) commits all of it. */
    err = program_slot(s, loc, body, batch_commit == 0 || seq == batch_commit);
    if (err) return err;
    s->sectors[s->active].live++;
    s->stats.live_slots = live_total(s);
    *loc_out = loc;
    *seq_out = seq;
    return MF_OK;
}

/* Sets the commit marker of every record in RAM with a sequence number in
 * [LO, HI) that lacks one: after a batch's commit record, so that its records
 * stand alone and the commit record may become garbage. */
static int set_missing_markers(mf_store *s, uint32_t lo, uint32_t hi)
{
    uint8_t unit[4];
    for (uint32_t i = 0; i < s->n_idents + s->n_templates; i++) {
        uint32_t seq, loc;
        if (i < s->n_idents) { seq = s->idents[i].enroll_seq; loc = s->idents[i].enroll_loc; }
        else { seq = s->tmeta[i - s->n_idents].seq; loc = s->tmeta[i - s->n_idents].loc; }
        if (loc == MF_NO_LOC || seq < lo || seq >= hi) continue;
        int err = mf_flash_read(s->cfg.flash, mf_store_slot_addr(s, loc) + body_bytes(s), unit, 4);
        if (err) return io_failed(s, err);
        if (!mf_marker_set(unit) && (err = program_commit(s, loc)) != MF_OK) return err;
    }
    return MF_OK;
}

int mf_log_prepare_write(mf_store *s)
{
    if (!s->mounted) return MF_ESTATE;
    if (!s->rollforward) return MF_OK;
    int err = set_missing_markers(s, 1, s->pend_commit);
    if (err) return err;
    s->rollforward = 0;
    s->pend_commit = s->pend_tag = 0;
    return MF_OK;
}

int mf_log_batch_begin(mf_store *s, uint32_t n)
{
    s->batch_left = 0;
    if (n == 0) return MF_EINVAL;
    if ((uint64_t)live_total(s) + n > mf_log_capacity(s)) return MF_ENOSPC;
    if ((uint64_t)s->next_seq + n >= UINT32_MAX - 1) return MF_ENOSPC;
    if (n == 1) return MF_OK;   /* one record is atomic by itself */
    const mf_store_crypto *c = s->cfg.crypto;
    uint8_t tag[4];
    int err = c->random(c->ctx, tag, sizeof tag);
    if (err) return err;
    s->batch_tag = mf_get_u32(tag) | 1u;   /* never 0, which means "no batch" */
    s->batch_first = s->next_seq;
    s->batch_commit = s->next_seq + n - 1;
    s->batch_left = n;
    return MF_OK;
}

int mf_log_batch_end(mf_store *s)
{
    if (s->batch_left != 0) return MF_ESTATE;
    if (s->batch_commit == 0) return MF_OK;
    int err = set_missing_markers(s, s->batch_first, s->batch_commit);
    s->batch_first = s->batch_commit = s->batch_tag = 0;
    return err;
}

void mf_log_batch_abort(mf_store *s, int err)
{
    if (s->batch_commit == 0) return;
    if (s->batch_left == 0) {   /* the commit record is written: the batch stands */
        s->batch_first = s->batch_commit = s->batch_tag = 0;
        return;
    }
    /* Before the commit record: the batch never counts. Forget its RAM state
     * and never reuse its sequence numbers (they are reserved on flash). */
    if (err != MF_EIO) {
        for (uint32_t i = 0; i < s->n_idents;) {
            if (s->idents[i].enroll_seq >= s->batch_first) mf_gallery_remove(s, s->idents[i].id);
            else i++;
        }
        for (uint32_t t = 0; t < s->n_templates;) {
            if (s->tmeta[t].seq >= s->batch_first) {
                struct mf_store_ident *e = mf_gallery_find(s, s->tmeta[t].owner);
                if (e) e->n_templates--;   /* batch templates are the identity's last ones */
                mf_gallery_remove_template(s, t);
            } else {
                t++;
            }
        }
        if (s->next_seq <= s->batch_commit) s->next_seq = s->batch_commit + 1;
        mf_log_recount(s);
    }
    s->batch_left = 0;
    s->batch_first = s->batch_commit = s->batch_tag = 0;
}

/* Writes the deletion proof into the obsolete unit of every valid ENROLL
 * record of ID (an interrupted collection may have left two copies; both must
 * go). */
int mf_log_mark_obsolete(mf_store *s, uint32_t id)
{
    const mf_flash *f = s->cfg.flash;
    uint8_t mark[256];
    uint8_t *slot = s->slot_buf;
    for (uint32_t sec = 0; sec < f->sector_count; sec++) {
        for (uint32_t k = 0; k < s->sectors[sec].used; k++) {
            uint32_t loc = sec * s->slots_per_sector + k, addr = mf_store_slot_addr(s, loc);
            int err = mf_flash_read(f, addr, slot, 20);
            if (err) return io_failed(s, err);
            if (mf_get_u32(slot + RB_MAGIC) != MF_RECORD_MAGIC || slot[RB_TYPE] != REC_ENROLL ||
                mf_get_u32(slot + RB_ID) != id)
                continue;
            if ((err = mf_flash_read(f, addr, slot, s->slot_size)) != MF_OK) return io_failed(s, err);
            mf_record rec;
            if (mf_record_classify(s, slot, &rec) != SLOT_VALID || mf_record_deleted(s, slot)) continue;
            memset(mark, 0xFF, sizeof mark);
            if ((err = mf_record_delete_proof(s, slot, mark)) != MF_OK) return err;
            err = mf_flash_prog(f, addr + body_bytes(s) + unit_bytes(s), mark, mf_store_obsolete_unit_bytes(s));
            if (err) return io_failed(s, err);
        }
    }
    return MF_OK;
}

/* Opens a fresh sector first (it carries the id and sequence high-water
 * marks, so ids stay unique), then erases every other sector. */
int mf_log_wipe(mf_store *s)
{
    uint32_t n = s->cfg.flash->sector_count, free_count;
    uint32_t f = pick_free(s, &free_count);
    if (f == MF_NO_SECTOR) f = pick_victim(s, s->active);
    if (f == MF_NO_SECTOR) f = s->active == 0 ? 1 : 0;
    s->sectors[f].live = 0;
    int err = open_sector(s, f);
    if (err) return err;
    for (uint32_t i = 0; i < n; i++) {
        if (i == f || (s->sectors[i].blank && s->sectors[i].used == 0)) continue;
        if ((err = erase_sector(s, i)) != MF_OK) return err;
        s->sectors[i].live = 0;
    }
    s->n_idents = 0;
    s->n_templates = 0;
    mf_log_recount(s);
    return MF_OK;
}
