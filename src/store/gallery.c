/* The RAM gallery: identities sorted by id (binary search) and a flat array
 * of int8 templates with their owner, the shape the 1:N loop wants. */
#include "store/store_internal.h"
#include <string.h>

static uint32_t lower_bound(const mf_store *s, uint32_t id)
{
    uint32_t lo = 0, hi = s->n_idents;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (s->idents[mid].id < id) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

struct mf_store_ident *mf_gallery_find(const mf_store *s, uint32_t id)
{
    uint32_t i = lower_bound(s, id);
    return i < s->n_idents && s->idents[i].id == id ? &s->idents[i] : NULL;
}

struct mf_store_ident *mf_gallery_find_name(const mf_store *s, const char *name)
{
    for (uint32_t i = 0; i < s->n_idents; i++)
        if (strcmp(s->idents[i].name, name) == 0) return &s->idents[i];
    return NULL;
}

/* Inserts an empty identity ID (not present); NULL when the table is full.
 * New ids are the largest, so this is an append except during mount. */
struct mf_store_ident *mf_gallery_insert(mf_store *s, uint32_t id)
{
    if (s->n_idents >= s->cfg.max_identities) return NULL;
    uint32_t i = lower_bound(s, id);
    memmove(&s->idents[i + 1], &s->idents[i], (size_t)(s->n_idents - i) * sizeof s->idents[0]);
    s->n_idents++;
    struct mf_store_ident *e = &s->idents[i];
    memset(e, 0, sizeof *e);
    e->id = id;
    e->enroll_loc = e->name_loc = MF_NO_LOC;
    return e;
}

void mf_gallery_remove_template(mf_store *s, uint32_t t)
{
    uint32_t last = s->n_templates - 1;
    if (t != last) {
        memcpy(s->tvec + (size_t)t * MF_STORE_DIM, s->tvec + (size_t)last * MF_STORE_DIM, MF_STORE_DIM);
        s->tmeta[t] = s->tmeta[last];
    }
    s->n_templates--;
}

/* Removes identity ID and its templates from RAM (flash is the caller's job). */
void mf_gallery_remove(mf_store *s, uint32_t id)
{
    for (uint32_t t = 0; t < s->n_templates;) {
        if (s->tmeta[t].owner == id) mf_gallery_remove_template(s, t);
        else t++;
    }
    uint32_t i = lower_bound(s, id);
    if (i < s->n_idents && s->idents[i].id == id) {
        memmove(&s->idents[i], &s->idents[i + 1], (size_t)(s->n_idents - i - 1) * sizeof s->idents[0]);
        s->n_idents--;
    }
}

uint32_t mf_gallery_find_template(const mf_store *s, uint32_t owner, uint32_t seq)
{
    for (uint32_t t = 0; t < s->n_templates; t++)
        if (s->tmeta[t].owner == owner && s->tmeta[t].seq == seq) return t;
    return UINT32_MAX;
}

/* Adds the template in PLAIN (record plaintext) to IDENT. MF_ENOSPC when the
 * gallery or the identity is full, MF_ECORRUPT when the plaintext is not a
 * template quantize could have produced. */
int mf_gallery_add_template(mf_store *s, struct mf_store_ident *ident, const uint8_t *plain,
                            uint32_t seq, uint32_t loc, uint32_t gen)
{
    if (s->n_templates >= s->cfg.max_templates || ident->n_templates >= MF_STORE_MAX_TEMPLATES)
        return MF_ENOSPC;
    uint32_t t = s->n_templates;
    int8_t *q = s->tvec + (size_t)t * MF_STORE_DIM;
    float scale;
    int err = mf_template_decode(plain, q, &scale);
    if (err) return err;
    s->tmeta[t].owner = ident->id;
    s->tmeta[t].seq = seq;
    s->tmeta[t].loc = loc;
    s->tmeta[t].gen = gen;
    s->tmeta[t].scale = scale;
    s->tmeta[t].inv_norm = mf_template_inv_norm(q);
    s->n_templates++;
    /* Kept in sequence order (enrollment first), whatever order mount finds
     * the records in, so exports are the same before and after a remount. */
    uint32_t i = ident->n_templates++;
    for (; i > 0 && ident->tseq[i - 1] > seq; i--) ident->tseq[i] = ident->tseq[i - 1];
    ident->tseq[i] = seq;
    return MF_OK;
}
