/* 1:N and 1:1 matching over the RAM gallery. The query is quantized like a
 * template; the inner loop is an int8 dot product; one multiply per template
 * by the two inverse norms turns it into a cosine score. */
#include "store/store_internal.h"
#include <string.h>

static int prepare_query(const float *embedding, int8_t *q, float *q_inv)
{
    float unit[MF_STORE_DIM], scale;
    int err = mf_template_normalize(embedding, unit);
    if (err) return err;
    mf_template_quantize(unit, q, &scale);
    *q_inv = mf_template_inv_norm(q);
    return MF_OK;
}

/* Keeps OUT (N entries, best first, one per identity) as the top K. */
static void offer(mf_store_match *out, uint32_t *n, uint32_t k, uint32_t id, float score)
{
    uint32_t i;
    for (i = 0; i < *n; i++) {
        if (out[i].id != id) continue;
        if (score <= out[i].score) return;
        break;                      /* better score for a listed identity: move it up */
    }
    if (i == *n) {
        if (*n == k && score <= out[k - 1].score) return;
        if (*n < k) (*n)++;
        i = *n - 1;
    }
    while (i > 0 && out[i - 1].score < score) { out[i] = out[i - 1]; i--; }
    out[i].id = id;
    out[i].score = score;
}

static uint32_t search(const mf_store *s, const int8_t *q, float q_inv, float threshold, mf_store_match *out,
                       uint32_t k)
{
    uint32_t n = 0;
    for (uint32_t t = 0; t < s->n_templates; t++) {
        int32_t dot = mf_template_dot(q, s->tvec + (size_t)t * MF_STORE_DIM);
        float score = (float)dot * q_inv * s->tmeta[t].inv_norm;
        if (score >= threshold) offer(out, &n, k, s->tmeta[t].owner, score);
    }
    return n;
}

int mf_match_best(const mf_store *s, const int8_t *q, float q_inv, uint32_t *id, float *score)
{
    mf_store_match best;
    if (search(s, q, q_inv, -2.0f, &best, 1) == 0) return 0;
    *id = best.id;
    *score = best.score;
    return 1;
}

static int identify_locked(const mf_store *s, const float *embedding, float threshold, mf_store_match *out,
                           uint32_t k)
{
    if (!s || !s->mounted || !embedding || !out || k == 0 || k > MF_STORE_MAX_K) return MF_EINVAL;
    int8_t q[MF_STORE_DIM];
    float q_inv;
    int err = prepare_query(embedding, q, &q_inv);
    if (err) return err;
    if (threshold < 0.0f) threshold = s->cfg.threshold_identify;
    return (int)search(s, q, q_inv, threshold, out, k);
}

int mf_store_identify(const mf_store *s, const float *embedding, float threshold, mf_store_match *out, uint32_t k)
{
    if (!s) return MF_EINVAL;
    int err = mf_store_lock(s);
    if (err) return err;
    err = identify_locked(s, embedding, threshold, out, k);
    mf_store_unlock(s);
    return err;
}

static int verify_locked(const mf_store *s, uint32_t id, const float *embedding, float *score)
{
    if (!s || !s->mounted || !embedding) return MF_EINVAL;
    if (!mf_gallery_find(s, id)) return MF_ENOTFOUND;
    int8_t q[MF_STORE_DIM];
    float q_inv, best = -2.0f;
    int err = prepare_query(embedding, q, &q_inv);
    if (err) return err;
    for (uint32_t t = 0; t < s->n_templates; t++) {
        if (s->tmeta[t].owner != id) continue;
        float sc = (float)mf_template_dot(q, s->tvec + (size_t)t * MF_STORE_DIM) * q_inv * s->tmeta[t].inv_norm;
        if (sc > best) best = sc;
    }
    if (score) *score = best;
    return best >= s->cfg.threshold_verify ? 1 : 0;
}

int mf_store_verify(const mf_store *s, uint32_t id, const float *embedding, float *score)
{
    if (!s) return MF_EINVAL;
    int err = mf_store_lock(s);
    if (err) return err;
    err = verify_locked(s, id, embedding, score);
    mf_store_unlock(s);
    return err;
}
