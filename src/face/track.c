/* Face tracks: association by IoU and landmark distance, birth and loss,
 * re-check triggers, liveness and identity over frames. */
#include "face/track.h"
#include "vision/nms.h"
#include <string.h>

static float box_area(const float b[4])
{
    float w = b[2] - b[0], h = b[3] - b[1];
    return w > 0.0f && h > 0.0f ? w * h : 0.0f;
}

/* The plain geometric IoU of vision/nms.c (the one IoU of the project). */
static float iou(const float a[4], const float b[4])
{
    mf_box ba = {.x1 = a[0], .y1 = a[1], .x2 = a[2], .y2 = a[3]}, bb = {.x1 = b[0], .y1 = b[1], .x2 = b[2], .y2 = b[3]};
    return mf_box_iou(&ba, &bb);
}

float mf_track_cos2_degrees(float degrees)
{
    double x = (double)degrees * (3.14159265358979323846 / 180.0), term = 1.0, sum = 1.0;
    for (int k = 1; k <= 12; k++) { /* |x| <= pi/2: the 24th-order term is below 1e-17 */
        term *= -x * x / (double)((2 * k - 1) * (2 * k));
        sum += term;
    }
    return (float)(sum * sum);
}

void mf_tracker_reset(mf_tracker *tracker, int keep_ids)
{
    for (int s = 0; s < MF_PIPELINE_MAX_TRACKS; s++) {
        mf_track *t = &tracker->tracks[s];
        float *template_sum = t->template_sum;
        memset(t, 0, sizeof *t);
        t->template_sum = template_sum;
    }
    tracker->count = 0;
    if (!keep_ids || tracker->next_id == 0) tracker->next_id = 1;
}

/* Root-mean-square landmark displacement <= LIMIT, compared squared. */
static int landmarks_close(const float *a, const float *b, float limit)
{
    float sum = 0.0f;
    for (int k = 0; k < 10; k++) {
        float d = a[k] - b[k];
        sum += d * d;
    }
    return sum / 5.0f <= limit * limit;
}

static float longer_side(const float b[4])
{
    float w = b[2] - b[0], h = b[3] - b[1];
    return w > h ? w : h;
}

int mf_tracker_update(mf_tracker *tracker, const mf_track_params *p, const mf_face *faces, int count, int *slot,
                      int *born)
{
    int track_taken[MF_PIPELINE_MAX_TRACKS] = {0};
    for (int i = 0; i < count; i++) {
        slot[i] = -1;
        born[i] = 0;
    }
    /* Greedy pairing, highest IoU first; the scan order breaks ties
     * (lower detection index, then lower slot), strict > keeps the first. */
    for (;;) {
        int best_i = -1, best_s = -1;
        float best = -1.0f;
        for (int i = 0; i < count; i++) {
            if (slot[i] >= 0) continue;
            for (int s = 0; s < p->max_tracks; s++) {
                const mf_track *t = &tracker->tracks[s];
                if (!t->id || track_taken[s]) continue;
                float q = iou(faces[i].box, t->box);
                if (q < p->min_iou || q <= best) continue;
                if (!landmarks_close(faces[i].landmarks, t->landmarks, p->max_shift * longer_side(t->box))) continue;
                best = q;
                best_i = i;
                best_s = s;
            }
        }
        if (best_i < 0) break;
        slot[best_i] = best_s;
        track_taken[best_s] = 1;
        mf_track *t = &tracker->tracks[best_s];
        memcpy(t->box, faces[best_i].box, sizeof t->box);
        memcpy(t->landmarks, faces[best_i].landmarks, sizeof t->landmarks);
        t->missed = 0;
    }
    /* Loss: unpaired tracks age; max_missed frames in a row end them. */
    for (int s = 0; s < p->max_tracks; s++) {
        mf_track *t = &tracker->tracks[s];
        if (!t->id || track_taken[s]) continue;
        if (++t->missed >= p->max_missed) {
            float *template_sum = t->template_sum;
            memset(t, 0, sizeof *t);
            t->template_sum = template_sum;
        }
    }
    /* Birth: each unpaired detection takes the lowest free slot. */
    for (int i = 0; i < count; i++) {
        if (slot[i] >= 0) continue;
        for (int s = 0; s < p->max_tracks; s++) {
            mf_track *t = &tracker->tracks[s];
            if (t->id) continue;
            float *template_sum = t->template_sum;
            memset(t, 0, sizeof *t);
            t->template_sum = template_sum;
            t->id = tracker->next_id++;
            if (tracker->next_id == 0) tracker->next_id = 1; /* after 2^32 - 1 births */
            t->live = -1;
            memcpy(t->box, faces[i].box, sizeof t->box);
            memcpy(t->landmarks, faces[i].landmarks, sizeof t->landmarks);
            slot[i] = s;
            born[i] = 1;
            break;
        }
    }
    int active = 0;
    for (int s = 0; s < p->max_tracks; s++) active += tracker->tracks[s].id != 0;
    tracker->count = active;
    return active;
}

int mf_track_check_due(const mf_track *t, const mf_track_params *p, const mf_face *face, uint32_t frame)
{
    if (!t->checked) return 1;
    if (p->recheck_interval > 0 && frame - t->last_check >= (uint32_t)p->recheck_interval) return 1;
    if (p->grow_ratio > 0.0f && box_area(face->box) >= p->grow_ratio * t->check_area) return 1;
    if (p->turn_cos2 <= 1.0f) {
        /* angle between the eye vectors >= the limit <=> cos <= cos(limit) (limit <= 90 degrees) */
        float ex = face->landmarks[2] - face->landmarks[0], ey = face->landmarks[3] - face->landmarks[1];
        float dot = ex * t->check_eye[0] + ey * t->check_eye[1];
        float n2 = (ex * ex + ey * ey) * (t->check_eye[0] * t->check_eye[0] + t->check_eye[1] * t->check_eye[1]);
        if (n2 > 0.0f && (dot <= 0.0f || dot * dot <= p->turn_cos2 * n2)) return 1;
    }
    return 0;
}

void mf_track_note_check(mf_track *t, const mf_face *face, uint32_t frame)
{
    t->checked = 1;
    t->last_check = frame;
    t->check_area = box_area(face->box);
    t->check_eye[0] = face->landmarks[2] - face->landmarks[0];
    t->check_eye[1] = face->landmarks[3] - face->landmarks[1];
}

int mf_track_add_live_score(mf_track *t, float score, float threshold, int32_t dim)
{
    t->live_scores[t->live_count % MF_TRACK_LIVE_WINDOW] = score;
    t->live_count++;
    int n = t->live_count < MF_TRACK_LIVE_WINDOW ? t->live_count : MF_TRACK_LIVE_WINDOW;
    float sum = 0.0f;
    for (int k = 0; k < n; k++) sum += t->live_scores[(t->live_count - n + k) % MF_TRACK_LIVE_WINDOW]; /* oldest first */
    t->live_mean = sum / (float)n;
    t->live = t->live_mean >= threshold;
    if (!t->live) { /* the embeddings seen may be of the attack: start again */
        memset(&t->identity, 0, sizeof t->identity);
        t->embeddings = 0;
        if (t->template_sum) memset(t->template_sum, 0, (size_t)dim * sizeof *t->template_sum);
    }
    return t->live;
}

void mf_track_add_embedding(mf_track *t, const float *embedding, int32_t dim)
{
    if (!t->template_sum) return;
    if (t->embeddings == 0) memset(t->template_sum, 0, (size_t)dim * sizeof *t->template_sum);
    for (int32_t k = 0; k < dim; k++) t->template_sum[k] += embedding[k];
    t->embeddings++;
}
