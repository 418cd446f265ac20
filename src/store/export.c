/* Export file: a portable, versioned, CRC-protected copy of the gallery
 * (docs/STORE.md "Export file"), and its import, which validates the whole
 * file before writing anything. */
#include "store/store_internal.h"
#include <string.h>

static const uint8_t export_magic[8] = { 'M', 'F', 'D', 'B', 'E', 'X', 'P', '1' };
enum { EX_HEADER = 24, EX_ENTRY = 8, EX_TEMPLATE = 4 + MF_STORE_DIM, EX_VERSION = 1 };

static size_t entry_bytes(const struct mf_store_ident *e)
{
    return EX_ENTRY + strlen(e->name) + (size_t)e->n_templates * EX_TEMPLATE;
}

int mf_store_export_size(const mf_store *s, size_t *size)
{
    if (!s || !size) return MF_EINVAL;
    if (!s->mounted) return MF_ESTATE;
    size_t n = EX_HEADER + 4;
    for (uint32_t i = 0; i < s->n_idents; i++) n += entry_bytes(&s->idents[i]);
    *size = n;
    return MF_OK;
}

int mf_store_export(const mf_store *s, uint8_t *buf, size_t cap, size_t *len)
{
    size_t need;
    int err = mf_store_export_size(s, &need);
    if (err) return err;
    if (!buf || !len) return MF_EINVAL;
    if (cap < need) return MF_ENOMEM;
    memcpy(buf, export_magic, 8);
    mf_put_u32(buf + 8, EX_VERSION);
    mf_put_u32(buf + 12, MF_STORE_DIM);
    mf_put_u32(buf + 16, s->n_idents);
    mf_put_u32(buf + 20, 0);
    uint8_t *p = buf + EX_HEADER;
    for (uint32_t i = 0; i < s->n_idents; i++) {
        const struct mf_store_ident *e = &s->idents[i];
        size_t name_len = strlen(e->name);
        mf_put_u32(p, e->id);
        p[4] = (uint8_t)name_len;
        p[5] = (uint8_t)e->n_templates;
        mf_put_u16(p + 6, 0);
        memcpy(p + EX_ENTRY, e->name, name_len);
        p += EX_ENTRY + name_len;
        for (uint32_t k = 0; k < e->n_templates; k++) {   /* enrollment template first */
            uint32_t t = mf_gallery_find_template(s, e->id, e->tseq[k]);
            if (t == UINT32_MAX) return MF_ECORRUPT;
            mf_template_encode(s->tvec + (size_t)t * MF_STORE_DIM, s->tmeta[t].scale, p);
            p += EX_TEMPLATE;
        }
    }
    mf_put_u32(p, mf_crc32(0, buf, (size_t)(p - buf)));
    *len = need;
    return MF_OK;
}

/* One validated entry of an export file. */
typedef struct entry {
    const uint8_t *name;
    uint32_t name_len, n_templates;
    const uint8_t *templates;
} entry;

/* Walks the entries after the header; returns MF_OK at the exact end of the
 * body or MF_ECORRUPT. Calls nothing else: safe on any bytes. */
static int next_entry(const uint8_t **p, const uint8_t *end, entry *out)
{
    if ((size_t)(end - *p) < EX_ENTRY) return MF_ECORRUPT;
    const uint8_t *e = *p;
    uint32_t id = mf_get_u32(e);
    out->name_len = e[4];
    out->n_templates = e[5];
    if (id == 0 || mf_get_u16(e + 6) != 0) return MF_ECORRUPT;
    if (out->name_len == 0 || out->name_len > MF_STORE_NAME_MAX) return MF_ECORRUPT;
    if (out->n_templates == 0 || out->n_templates > MF_STORE_MAX_TEMPLATES) return MF_ECORRUPT;
    size_t n = EX_ENTRY + out->name_len + (size_t)out->n_templates * EX_TEMPLATE;
    if ((size_t)(end - e) < n) return MF_ECORRUPT;
    out->name = e + EX_ENTRY;
    out->templates = out->name + out->name_len;
    if (mf_name_valid((const char *)out->name, out->name_len) != MF_OK) return MF_ECORRUPT;
    int8_t q[MF_STORE_DIM];
    float scale;
    for (uint32_t k = 0; k < out->n_templates; k++)
        if (mf_template_decode(out->templates + (size_t)k * EX_TEMPLATE, q, &scale) != MF_OK) return MF_ECORRUPT;
    *p = e + n;
    return MF_OK;
}

static int name_in_store(const mf_store *s, const uint8_t *name, uint32_t len)
{
    for (uint32_t i = 0; i < s->n_idents; i++)
        if (strlen(s->idents[i].name) == len && memcmp(s->idents[i].name, name, len) == 0) return 1;
    return 0;
}

int mf_store_import(mf_store *s, const uint8_t *buf, size_t len)
{
    if (!s || (!buf && len)) return MF_EINVAL;
    if (!s->mounted) return MF_ESTATE;
    if (len < EX_HEADER + 4 || memcmp(buf, export_magic, 8) != 0) return MF_ECORRUPT;
    uint32_t version = mf_get_u32(buf + 8);
    if (version > EX_VERSION) return MF_EUNSUPPORTED;
    if (version != EX_VERSION || mf_get_u32(buf + 12) != MF_STORE_DIM || mf_get_u32(buf + 20) != 0)
        return MF_ECORRUPT;
    if (mf_crc32(0, buf, len - 4) != mf_get_u32(buf + len - 4)) return MF_ECORRUPT;
    uint32_t count = mf_get_u32(buf + 16);
    const uint8_t *body = buf + EX_HEADER, *end = buf + len - 4;
    if (count > (size_t)(end - body) / (EX_ENTRY + 1 + EX_TEMPLATE)) return MF_ECORRUPT;

    /* Pass 1: structure, and what it will take. */
    const uint8_t *p = body;
    uint64_t templates = 0;
    entry e;
    for (uint32_t i = 0; i < count; i++) {
        int err = next_entry(&p, end, &e);
        if (err) return err;
        templates += e.n_templates;
    }
    if (p != end) return MF_ECORRUPT;
    if ((uint64_t)s->n_idents + count > s->cfg.max_identities ||
        (uint64_t)s->n_templates + templates > s->cfg.max_templates ||
        (uint64_t)s->stats.live_slots + templates > mf_log_capacity(s) ||
        (uint64_t)s->next_id + count >= UINT32_MAX - 1)
        return MF_ENOSPC;
    /* Names: unique within the file and against the store. */
    p = body;
    for (uint32_t i = 0; i < count; i++) {
        next_entry(&p, end, &e);
        if (name_in_store(s, e.name, e.name_len)) return MF_EEXIST;
        const uint8_t *p2 = p;
        entry e2;
        for (uint32_t j = i + 1; j < count; j++) {
            next_entry(&p2, end, &e2);
            if (e2.name_len == e.name_len && memcmp(e2.name, e.name, e.name_len) == 0) return MF_EEXIST;
        }
    }
    /* Pass 2: write. */
    p = body;
    for (uint32_t i = 0; i < count; i++) {
        next_entry(&p, end, &e);
        char name[MF_STORE_NAME_MAX + 1];
        memcpy(name, e.name, e.name_len);
        name[e.name_len] = '\0';
        int8_t q[MF_STORE_DIM];
        float scale;
        uint32_t id;
        mf_template_decode(e.templates, q, &scale);
        int err = mf_store_enroll_q(s, name, e.name_len, q, scale, &id);
        if (err) return err;
        for (uint32_t k = 1; k < e.n_templates; k++) {
            mf_template_decode(e.templates + (size_t)k * EX_TEMPLATE, q, &scale);
            if ((err = mf_store_add_q(s, id, q, scale)) != MF_OK) return err;
        }
    }
    return (int)count;
}
