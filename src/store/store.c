/* Public store operations: each is one record appended to the log, one
 * batch of records (docs/STORE.md "Batches"), or one deletion proof,
 * validated completely before anything is written. Every public function
 * runs under the configured lock hooks. */
#include "store/store_internal.h"
#include <string.h>

static int check_ready(const mf_store *s)
{
    if (!s) return MF_EINVAL;
    return s->mounted ? MF_OK : MF_ESTATE;
}

/* Runs CALL under the lock hooks; S was checked non-NULL. */
#define LOCKED(s, call)                      \
    do {                                     \
        int lock_err_ = mf_store_lock(s);    \
        if (lock_err_) return lock_err_;     \
        int result_ = (call);                \
        mf_store_unlock(s);                  \
        return result_;                      \
    } while (0)

static int name_arg(const char *name, size_t *len)
{
    int err = mf_store_check_name(name);
    if (err) return err;
    *len = strlen(name);
    return MF_OK;
}

/* Writes an ENROLL record for the quantized template and adds it to RAM. */
int mf_store_enroll_q(mf_store *s, const char *name, size_t name_len, const int8_t *q, float scale,
                           uint32_t *new_id)
{
    if (s->n_idents >= s->cfg.max_identities || s->n_templates >= s->cfg.max_templates) return MF_ENOSPC;
    if (s->next_id >= UINT32_MAX - 1) return MF_ENOSPC;
    uint8_t plain[RB_PLAIN_BYTES];
    mf_template_encode(q, scale, plain);
    uint32_t id = s->next_id, loc, seq;
    s->next_id++;   /* the record carries the advanced high-water mark */
    int err = mf_log_append(s, REC_ENROLL, id, name, name_len, plain, &loc, &seq);
    if (err) {
        s->next_id--;
        return err;
    }
    struct mf_store_ident *e = mf_gallery_insert(s, id);
    e->enroll_seq = e->name_seq = seq;
    e->enroll_loc = loc;
    e->enroll_gen = e->name_gen = s->sectors[s->active].gen;
    memcpy(e->name, name, name_len);
    e->name[name_len] = '\0';
    err = mf_gallery_add_template(s, e, plain, seq, MF_NO_LOC, e->enroll_gen);
    if (err) return err;
    if (new_id) *new_id = id;
    return MF_OK;
}

static int enroll_locked(mf_store *s, const char *name, const float *samples, uint32_t n_samples, unsigned flags,
                         uint32_t *new_id, uint32_t *existing_id)
{
    int err = check_ready(s);
    if (err) return err;
    size_t name_len;
    if ((err = name_arg(name, &name_len)) != MF_OK) return err;
    if (!samples || n_samples == 0 || n_samples > MF_STORE_MAX_TEMPLATES) return MF_EINVAL;
    struct mf_store_ident *same = mf_gallery_find_name(s, name);
    if (same) {
        if (existing_id) *existing_id = same->id;
        return MF_EEXIST;
    }
    /* Fused template: mean of the normalised samples, normalised again. */
    float unit[MF_STORE_DIM], fused[MF_STORE_DIM];
    memset(fused, 0, sizeof fused);
    for (uint32_t k = 0; k < n_samples; k++) {
        if ((err = mf_template_normalize(samples + (size_t)k * MF_STORE_DIM, unit)) != MF_OK) return err;
        for (int i = 0; i < MF_STORE_DIM; i++) fused[i] += unit[i];
    }
    if ((err = mf_template_normalize(fused, unit)) != MF_OK) return err;
    int8_t q[MF_STORE_DIM];
    float scale;
    mf_template_quantize(unit, q, &scale);
    if (!(flags & MF_STORE_ALLOW_DUPLICATE)) {
        uint32_t id;
        float score;
        if (mf_match_best(s, q, mf_template_inv_norm(q), &id, &score) && score >= s->cfg.threshold_duplicate) {
            if (existing_id) *existing_id = id;
            return MF_EEXIST;
        }
    }
    if ((err = mf_log_prepare_write(s)) != MF_OK) return err;
    return mf_store_enroll_q(s, name, name_len, q, scale, new_id);
}

int mf_store_enroll(mf_store *s, const char *name, const float *samples, uint32_t n_samples, unsigned flags,
                    uint32_t *new_id, uint32_t *existing_id)
{
    if (!s) return MF_EINVAL;
    LOCKED(s, enroll_locked(s, name, samples, n_samples, flags, new_id, existing_id));
}

static int add_samples_locked(mf_store *s, uint32_t id, const float *embeddings, uint32_t n)
{
    int err = check_ready(s);
    if (err) return err;
    if (!embeddings || n == 0 || n > MF_STORE_MAX_TEMPLATES) return MF_EINVAL;
    struct mf_store_ident *e = mf_gallery_find(s, id);
    if (!e) return MF_ENOTFOUND;
    if (e->n_templates + n > MF_STORE_MAX_TEMPLATES || s->n_templates + n > s->cfg.max_templates) return MF_ENOSPC;
    /* Every embedding is checked before the first write; each is quantized
     * again in the write loop (cheap, and keeps the stack at one template). */
    float unit[MF_STORE_DIM];
    for (uint32_t k = 0; k < n; k++)
        if ((err = mf_template_normalize(embeddings + (size_t)k * MF_STORE_DIM, unit)) != MF_OK) return err;
    if ((err = mf_log_prepare_write(s)) != MF_OK) return err;
    if ((err = mf_log_batch_begin(s, n)) != MF_OK) return err;
    for (uint32_t k = 0; k < n && !err; k++) {
        int8_t q[MF_STORE_DIM];
        float scale;
        mf_template_normalize(embeddings + (size_t)k * MF_STORE_DIM, unit);
        mf_template_quantize(unit, q, &scale);
        err = mf_store_add_q(s, id, q, scale);
    }
    if (err) {
        mf_log_batch_abort(s, err);
        return err;
    }
    return mf_log_batch_end(s);
}

int mf_store_add_samples(mf_store *s, uint32_t id, const float *embeddings, uint32_t n)
{
    if (!s) return MF_EINVAL;
    LOCKED(s, add_samples_locked(s, id, embeddings, n));
}

int mf_store_add_sample(mf_store *s, uint32_t id, const float *embedding)
{
    return mf_store_add_samples(s, id, embedding, 1);
}

int mf_store_add_q(mf_store *s, uint32_t id, const int8_t *q, float scale)
{
    struct mf_store_ident *e = mf_gallery_find(s, id);
    if (!e) return MF_ENOTFOUND;
    if (e->n_templates >= MF_STORE_MAX_TEMPLATES || s->n_templates >= s->cfg.max_templates) return MF_ENOSPC;
    int err;
    uint8_t plain[RB_PLAIN_BYTES];
    mf_template_encode(q, scale, plain);
    uint32_t loc, seq;
    if ((err = mf_log_append(s, REC_SAMPLE, id, NULL, 0, plain, &loc, &seq)) != MF_OK) return err;
    e = mf_gallery_find(s, id);  /* collection does not move RAM entries, but stay safe */
    return mf_gallery_add_template(s, e, plain, seq, loc, s->sectors[s->active].gen);
}

static int delete_locked(mf_store *s, uint32_t id)
{
    int err = check_ready(s);
    if (err) return err;
    if (!mf_gallery_find(s, id)) return MF_ENOTFOUND;
    if ((err = mf_log_prepare_write(s)) != MF_OK) return err;
    if ((err = mf_log_mark_obsolete(s, id)) != MF_OK) return err;
    mf_gallery_remove(s, id);
    mf_log_recount(s);
    return MF_OK;
}

int mf_store_delete(mf_store *s, uint32_t id)
{
    if (!s) return MF_EINVAL;
    LOCKED(s, delete_locked(s, id));
}

static int rename_locked(mf_store *s, uint32_t id, const char *name)
{
    int err = check_ready(s);
    if (err) return err;
    size_t name_len;
    if ((err = name_arg(name, &name_len)) != MF_OK) return err;
    struct mf_store_ident *e = mf_gallery_find(s, id);
    if (!e) return MF_ENOTFOUND;
    struct mf_store_ident *same = mf_gallery_find_name(s, name);
    if (same && same->id != id) return MF_EEXIST;
    if ((err = mf_log_prepare_write(s)) != MF_OK) return err;
    uint32_t loc, seq;
    if ((err = mf_log_append(s, REC_RENAME, id, name, name_len, NULL, &loc, &seq)) != MF_OK) return err;
    e = mf_gallery_find(s, id);
    e->name_seq = seq;
    e->name_loc = loc;
    e->name_gen = s->sectors[s->active].gen;
    memcpy(e->name, name, name_len);
    e->name[name_len] = '\0';
    mf_log_recount(s);   /* the previous rename record, if any, is garbage now */
    return MF_OK;
}

int mf_store_rename(mf_store *s, uint32_t id, const char *name)
{
    if (!s) return MF_EINVAL;
    LOCKED(s, rename_locked(s, id, name));
}

static int wipe_locked(mf_store *s)
{
    int err = check_ready(s);
    if (err) return err;
    s->rollforward = 0;   /* nothing survives a wipe, no batch to finish */
    s->pend_commit = s->pend_tag = 0;
    return mf_log_wipe(s);
}

int mf_store_wipe(mf_store *s)
{
    if (!s) return MF_EINVAL;
    LOCKED(s, wipe_locked(s));
}

static int count_locked(const mf_store *s)
{
    int err = check_ready(s);
    return err ? err : (int)s->n_idents;
}

int mf_store_count(const mf_store *s)
{
    if (!s) return MF_EINVAL;
    LOCKED(s, count_locked(s));
}

static void fill_identity(const struct mf_store_ident *e, mf_store_identity *out)
{
    out->id = e->id;
    out->template_count = e->n_templates;
    memcpy(out->name, e->name, sizeof out->name);
}

static int get_locked(const mf_store *s, uint32_t index, mf_store_identity *out)
{
    int err = check_ready(s);
    if (err) return err;
    if (!out) return MF_EINVAL;
    if (index >= s->n_idents) return MF_ERANGE;
    fill_identity(&s->idents[index], out);
    return MF_OK;
}

int mf_store_get(const mf_store *s, uint32_t index, mf_store_identity *out)
{
    if (!s) return MF_EINVAL;
    LOCKED(s, get_locked(s, index, out));
}

static int find_id_locked(const mf_store *s, uint32_t id, mf_store_identity *out)
{
    int err = check_ready(s);
    if (err) return err;
    if (!out) return MF_EINVAL;
    const struct mf_store_ident *e = mf_gallery_find(s, id);
    if (!e) return MF_ENOTFOUND;
    fill_identity(e, out);
    return MF_OK;
}

int mf_store_find_id(const mf_store *s, uint32_t id, mf_store_identity *out)
{
    if (!s) return MF_EINVAL;
    LOCKED(s, find_id_locked(s, id, out));
}

static int find_name_locked(const mf_store *s, const char *name, mf_store_identity *out)
{
    int err = check_ready(s);
    if (err) return err;
    if (!out || !name) return MF_EINVAL;
    const struct mf_store_ident *e = mf_gallery_find_name(s, name);
    if (!e) return MF_ENOTFOUND;
    fill_identity(e, out);
    return MF_OK;
}

int mf_store_find_name(const mf_store *s, const char *name, mf_store_identity *out)
{
    if (!s) return MF_EINVAL;
    LOCKED(s, find_name_locked(s, name, out));
}

static int get_stats_locked(const mf_store *s, mf_store_stats *out)
{
    *out = s->stats;
    return MF_OK;
}

int mf_store_get_stats(const mf_store *s, mf_store_stats *out)
{
    if (!s || !out) return MF_EINVAL;
    LOCKED(s, get_stats_locked(s, out));
}
