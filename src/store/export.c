/* Export files (docs/STORE.md "Export file"): the clear, CRC-protected
 * version 1 body, sealed by default in a version 2 envelope (AES-256-GCM
 * through a caller's crypto hook); and the import, which validates the whole
 * file, checks names and faces, and writes it as one batch (all or nothing). */
#include "store/store_internal.h"
#include <string.h>

static const uint8_t export_magic[8] = { 'M', 'F', 'D', 'B', 'E', 'X', 'P', '1' };
enum { EX_HEADER = 24, EX_ENTRY = 8, EX_TEMPLATE = 4 + MF_STORE_DIM, EX_VERSION_CLEAR = 1, EX_VERSION_SEALED = 2 };
/* Sealed envelope: magic, version, kdf, iterations, salt, body length, nonce, tag. */
enum {
    ES_KDF = 12, ES_ITERATIONS = 16, ES_SALT = 20, ES_LENGTH = 36, ES_NONCE = 40, ES_TAG = 52, ES_HEADER = 68,
    ES_AAD_BYTES = ES_NONCE
};

static size_t entry_bytes(const struct mf_store_ident *e)
{
    return EX_ENTRY + strlen(e->name) + (size_t)e->n_templates * EX_TEMPLATE;
}

static int lock_store(const mf_store *s)
{
    return s->cfg.lock ? s->cfg.lock(s->cfg.lock_ctx) : MF_OK;
}

static void unlock_store(const mf_store *s)
{
    if (s->cfg.unlock) s->cfg.unlock(s->cfg.lock_ctx);
}

static size_t clear_size(const mf_store *s)
{
    size_t n = EX_HEADER + 4;
    for (uint32_t i = 0; i < s->n_idents; i++) n += entry_bytes(&s->idents[i]);
    return n;
}

static int export_size_locked(const mf_store *s, unsigned flags, size_t *size)
{
    if (!s->mounted) return MF_ESTATE;
    *size = clear_size(s) + ((flags & MF_STORE_EXPORT_PLAINTEXT) ? 0 : ES_HEADER);
    return MF_OK;
}

int mf_store_export_size(const mf_store *s, unsigned flags, size_t *size)
{
    if (!s || !size) return MF_EINVAL;
    int err = lock_store(s);
    if (err) return err;
    err = export_size_locked(s, flags, size);
    unlock_store(s);
    return err;
}

/* Writes the version 1 body (header, entries, CRC) at BUF. */
static int write_clear(const mf_store *s, uint8_t *buf)
{
    memcpy(buf, export_magic, 8);
    mf_put_u32(buf + 8, EX_VERSION_CLEAR);
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
    return MF_OK;
}

static int key_usable(const mf_store_export_key *key)
{
    return key && key->crypto && key->crypto->seal && key->crypto->open && key->crypto->random &&
           (key->kdf == MF_STORE_KDF_NONE || key->kdf == MF_STORE_KDF_PBKDF2_SHA256);
}

static int export_locked(const mf_store *s, const mf_store_export_key *key, unsigned flags, uint8_t *buf,
                         size_t cap, size_t *len)
{
    size_t need;
    int err = export_size_locked(s, flags, &need);
    if (err) return err;
    if (cap < need) return MF_ENOMEM;
    if (flags & MF_STORE_EXPORT_PLAINTEXT) {
        if ((err = write_clear(s, buf)) != MF_OK) return err;
        *len = need;
        return MF_OK;
    }
    size_t body = need - ES_HEADER;
    if (body > UINT32_MAX) return MF_ERANGE;
    memset(buf, 0, ES_HEADER);
    memcpy(buf, export_magic, 8);
    mf_put_u32(buf + 8, EX_VERSION_SEALED);
    mf_put_u32(buf + ES_KDF, key->kdf);
    mf_put_u32(buf + ES_ITERATIONS, key->kdf == MF_STORE_KDF_NONE ? 0 : key->kdf_iterations);
    if (key->kdf != MF_STORE_KDF_NONE) memcpy(buf + ES_SALT, key->kdf_salt, MF_STORE_EXPORT_SALT_BYTES);
    mf_put_u32(buf + ES_LENGTH, (uint32_t)body);
    const mf_store_crypto *c = key->crypto;
    if ((err = c->random(c->ctx, buf + ES_NONCE, MF_STORE_NONCE_BYTES)) != MF_OK) return err;
    if ((err = write_clear(s, buf + ES_HEADER)) != MF_OK) return err;
    err = c->seal(c->ctx, buf + ES_NONCE, buf, ES_AAD_BYTES, buf + ES_HEADER, body, buf + ES_HEADER, buf + ES_TAG);
    if (err) {
        memset(buf, 0, need);   /* never leave the clear body behind */
        return err;
    }
    *len = need;
    return MF_OK;
}

int mf_store_export(const mf_store *s, const mf_store_export_key *key, unsigned flags, uint8_t *buf, size_t cap,
                    size_t *len)
{
    if (!s || !buf || !len) return MF_EINVAL;
    if (!(flags & MF_STORE_EXPORT_PLAINTEXT) && !key_usable(key)) return MF_EINVAL;
    int err = lock_store(s);
    if (err) return err;
    err = export_locked(s, key, flags, buf, cap, len);
    unlock_store(s);
    return err;
}

int mf_store_export_probe(const uint8_t *buf, size_t len, mf_store_export_info *info)
{
    if (!buf || !info) return MF_EINVAL;
    memset(info, 0, sizeof *info);
    if (len < 12 || memcmp(buf, export_magic, 8) != 0) return MF_ECORRUPT;
    info->version = mf_get_u32(buf + 8);
    if (info->version > EX_VERSION_SEALED) return MF_EUNSUPPORTED;
    if (info->version == EX_VERSION_CLEAR) return MF_OK;
    if (info->version != EX_VERSION_SEALED || len < ES_HEADER) return MF_ECORRUPT;
    info->sealed = 1;
    info->kdf = mf_get_u32(buf + ES_KDF);
    info->kdf_iterations = mf_get_u32(buf + ES_ITERATIONS);
    memcpy(info->kdf_salt, buf + ES_SALT, MF_STORE_EXPORT_SALT_BYTES);
    if (info->kdf != MF_STORE_KDF_NONE && info->kdf != MF_STORE_KDF_PBKDF2_SHA256) return MF_EUNSUPPORTED;
    if (mf_get_u32(buf + ES_LENGTH) != len - ES_HEADER) return MF_ECORRUPT;
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

/* ---- name checks in O((n + m) log n): the file's names sorted once ---- */
typedef struct name_ref {
    uint32_t offset;   /* of the name in the body */
    uint32_t len;
} name_ref;

static int compare_names(mf_store *s, const uint8_t *a, uint32_t alen, const uint8_t *b, uint32_t blen)
{
    s->import_name_compares++;
    uint32_t n = alen < blen ? alen : blen;
    int c = memcmp(a, b, n);
    return c ? c : (int)alen - (int)blen;
}

static void sift_down(mf_store *s, const uint8_t *base, name_ref *v, uint32_t root, uint32_t n)
{
    for (;;) {
        uint32_t child = 2 * root + 1;
        if (child >= n) return;
        if (child + 1 < n &&
            compare_names(s, base + v[child].offset, v[child].len, base + v[child + 1].offset, v[child + 1].len) < 0)
            child++;
        if (compare_names(s, base + v[root].offset, v[root].len, base + v[child].offset, v[child].len) >= 0) return;
        name_ref t = v[root];
        v[root] = v[child];
        v[child] = t;
        root = child;
    }
}

/* Heapsort: O(n log n) comparisons, no recursion, no allocation. */
static void sort_names(mf_store *s, const uint8_t *base, name_ref *v, uint32_t n)
{
    for (uint32_t i = n / 2; i-- > 0;) sift_down(s, base, v, i, n);
    for (uint32_t end = n; end > 1; end--) {
        name_ref t = v[0];
        v[0] = v[end - 1];
        v[end - 1] = t;
        sift_down(s, base, v, 0, end - 1);
    }
}

static int sorted_contains(mf_store *s, const uint8_t *base, const name_ref *v, uint32_t n, const char *name)
{
    uint32_t lo = 0, hi = n, len = (uint32_t)strlen(name);
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        int c = compare_names(s, base + v[mid].offset, v[mid].len, (const uint8_t *)name, len);
        if (c == 0) return 1;
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return 0;
}

/* Names unique within the file and new to the store. The sort index lives in
 * the free tail of the identity table (import already checked it has room
 * for COUNT more identities, each far larger than a name_ref). */
static int check_names(mf_store *s, const uint8_t *body, const uint8_t *end, uint32_t count)
{
    if (count == 0) return MF_OK;
    name_ref *refs = (name_ref *)(void *)(s->idents + s->n_idents);
    const uint8_t *p = body;
    entry e;
    for (uint32_t i = 0; i < count; i++) {
        next_entry(&p, end, &e);
        refs[i].offset = (uint32_t)(e.name - body);
        refs[i].len = e.name_len;
    }
    sort_names(s, body, refs, count);
    for (uint32_t i = 1; i < count; i++)
        if (compare_names(s, body + refs[i - 1].offset, refs[i - 1].len, body + refs[i].offset, refs[i].len) == 0)
            return MF_EEXIST;
    for (uint32_t i = 0; i < s->n_idents; i++)
        if (sorted_contains(s, body, refs, count, s->idents[i].name)) return MF_EEXIST;
    return MF_OK;
}

/* No imported template may match an enrolled face above threshold_duplicate. */
static int check_faces(const mf_store *s, const uint8_t *body, const uint8_t *end, uint32_t count)
{
    if (s->n_templates == 0) return MF_OK;
    const uint8_t *p = body;
    entry e;
    for (uint32_t i = 0; i < count; i++) {
        next_entry(&p, end, &e);
        for (uint32_t k = 0; k < e.n_templates; k++) {
            int8_t q[MF_STORE_DIM];
            float scale, score;
            uint32_t id;
            mf_template_decode(e.templates + (size_t)k * EX_TEMPLATE, q, &scale);
            if (mf_match_best(s, q, mf_template_inv_norm(q), &id, &score) && score >= s->cfg.threshold_duplicate)
                return MF_EEXIST;
        }
    }
    return MF_OK;
}

/* Imports a validated version 1 body: checks, then one batch. */
static int import_clear(mf_store *s, const uint8_t *buf, size_t len, unsigned flags)
{
    if (len < EX_HEADER + 4 || memcmp(buf, export_magic, 8) != 0) return MF_ECORRUPT;
    uint32_t version = mf_get_u32(buf + 8);
    if (version > EX_VERSION_SEALED) return MF_EUNSUPPORTED;
    if (version != EX_VERSION_CLEAR || mf_get_u32(buf + 12) != MF_STORE_DIM || mf_get_u32(buf + 20) != 0)
        return MF_ECORRUPT;
    if (mf_crc32(0, buf, len - 4) != mf_get_u32(buf + len - 4)) return MF_ECORRUPT;
    uint32_t count = mf_get_u32(buf + 16);
    const uint8_t *body = buf + EX_HEADER, *end = buf + len - 4;
    if (count > (size_t)(end - body) / (EX_ENTRY + 1 + EX_TEMPLATE)) return MF_ECORRUPT;

    /* Structure, and what it will take. */
    const uint8_t *p = body;
    uint64_t templates = 0;
    entry e;
    for (uint32_t i = 0; i < count; i++) {
        int err = next_entry(&p, end, &e);
        if (err) return err;
        templates += e.n_templates;
    }
    if (p != end) return MF_ECORRUPT;
    if ((size_t)(end - body) > UINT32_MAX) return MF_ERANGE;
    if (count == 0) return 0;
    if ((uint64_t)s->n_idents + count > s->cfg.max_identities ||
        (uint64_t)s->n_templates + templates > s->cfg.max_templates ||
        (uint64_t)s->stats.live_slots + templates > mf_log_capacity(s) ||
        (uint64_t)s->next_id + count >= UINT32_MAX - 1)
        return MF_ENOSPC;
    int err = check_names(s, body, end, count);
    if (!err && !(flags & MF_STORE_ALLOW_DUPLICATE)) err = check_faces(s, body, end, count);
    if (!err) err = mf_log_prepare_write(s);
    if (!err) err = mf_log_batch_begin(s, (uint32_t)templates);
    if (err) return err;
    /* One batch: nothing counts on flash until its last record is committed. */
    p = body;
    for (uint32_t i = 0; i < count && !err; i++) {
        next_entry(&p, end, &e);
        char name[MF_STORE_NAME_MAX + 1];
        memcpy(name, e.name, e.name_len);
        name[e.name_len] = '\0';
        int8_t q[MF_STORE_DIM];
        float scale;
        uint32_t id;
        mf_template_decode(e.templates, q, &scale);
        err = mf_store_enroll_q(s, name, e.name_len, q, scale, &id);
        for (uint32_t k = 1; k < e.n_templates && !err; k++) {
            mf_template_decode(e.templates + (size_t)k * EX_TEMPLATE, q, &scale);
            err = mf_store_add_q(s, id, q, scale);
        }
    }
    if (!err) err = mf_log_batch_end(s);
    else mf_log_batch_abort(s, err);
    return err ? err : (int)count;
}

static int import_locked(mf_store *s, const mf_store_export_key *key, unsigned flags, uint8_t *buf, size_t len)
{
    if (!s->mounted) return MF_ESTATE;
    mf_store_export_info info;
    int err = mf_store_export_probe(buf, len, &info);
    if (err) return err;
    if (!info.sealed) {
        /* A clear file carries no authentication: only on request. */
        if (!(flags & MF_STORE_EXPORT_PLAINTEXT)) return MF_EAUTH;
        return import_clear(s, buf, len, flags);
    }
    if (!key_usable(key)) return MF_EINVAL;
    if (info.kdf != key->kdf) return MF_EAUTH;
    if (key->kdf != MF_STORE_KDF_NONE && (info.kdf_iterations != key->kdf_iterations ||
                                          memcmp(info.kdf_salt, key->kdf_salt, MF_STORE_EXPORT_SALT_BYTES) != 0))
        return MF_EAUTH;
    const mf_store_crypto *c = key->crypto;
    size_t body = len - ES_HEADER;
    err = c->open(c->ctx, buf + ES_NONCE, buf, ES_AAD_BYTES, buf + ES_HEADER, body, buf + ES_HEADER, buf + ES_TAG);
    if (err) return MF_EAUTH;
    err = import_clear(s, buf + ES_HEADER, body, flags);
    memset(buf + ES_HEADER, 0, body);   /* the caller's copy of the clear body */
    return err;
}

int mf_store_import(mf_store *s, const mf_store_export_key *key, unsigned flags, uint8_t *buf, size_t len)
{
    if (!s || !buf) return MF_EINVAL;
    int err = lock_store(s);
    if (err) return err;
    err = import_locked(s, key, flags, buf, len);
    unlock_store(s);
    return err;
}
