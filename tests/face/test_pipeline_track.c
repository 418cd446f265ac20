#define _DEFAULT_SOURCE
/* The tracker of mf_pipeline (src/face/track.c) on synthetic detections:
 * birth, association (IoU and landmark gates, greedy order), loss after
 * max_missed frames, re-identification (an ended track's id is never given
 * back), the re-check triggers (interval, growth, turn) and the decisions
 * over frames (liveness window, running-mean template). Expected values
 * are computed by hand in the comments. */
#include "mf_test.h"
#include "face/track.h"
#include <math.h>
#include <string.h>

static mf_pipeline pipe_store; /* holds a tracker */
static float templates[MF_PIPELINE_MAX_TRACKS][MF_EMBEDDING_MAX_DIM];

static mf_tracker *fresh(void)
{
    mf_tracker *t = &pipe_store.tracker;
    memset(t, 0, sizeof *t);
    for (int s = 0; s < MF_PIPELINE_MAX_TRACKS; s++) t->tracks[s].template_sum = templates[s];
    mf_tracker_reset(t, 0);
    return t;
}

static mf_track_params params(void)
{
    mf_track_params p = {.max_tracks = 4,
                         .min_iou = 0.3f,
                         .max_shift = 0.5f,
                         .max_missed = 3,
                         .recheck_interval = 10,
                         .grow_ratio = 1.5f,
                         .turn_cos2 = mf_track_cos2_degrees(15.0f)};
    return p;
}

/* A face: box at (x, y) of side s, landmarks at fixed fractions of the box. */
static mf_face face_at(float x, float y, float s)
{
    static const float fx[5] = {0.3f, 0.7f, 0.5f, 0.35f, 0.65f}, fy[5] = {0.4f, 0.4f, 0.6f, 0.8f, 0.8f};
    mf_face f;
    memset(&f, 0, sizeof f);
    f.box[0] = x;
    f.box[1] = y;
    f.box[2] = x + s;
    f.box[3] = y + s;
    f.score = 0.9f;
    for (int k = 0; k < 5; k++) {
        f.landmarks[2 * k] = x + fx[k] * s;
        f.landmarks[2 * k + 1] = y + fy[k] * s;
    }
    return f;
}

static void test_birth_and_association(void)
{
    mf_tracker *t = fresh();
    mf_track_params p = params();
    mf_face f[3] = {face_at(0, 0, 100), face_at(300, 0, 100)};
    int slot[3], born[3];
    MF_CHECK_EQ_INT(mf_tracker_update(t, &p, f, 2, slot, born), 2);
    MF_CHECK(born[0] && born[1] && slot[0] == 0 && slot[1] == 1);
    MF_CHECK_EQ_INT(t->tracks[0].id, 1);
    MF_CHECK_EQ_INT(t->tracks[1].id, 2);
    /* both move 20 px (IoU 80*100 / (2*10000 - 8000) = 0.667) and come in the other order */
    mf_face g[2] = {face_at(320, 0, 100), face_at(20, 0, 100)};
    MF_CHECK_EQ_INT(mf_tracker_update(t, &p, g, 2, slot, born), 2);
    MF_CHECK(!born[0] && !born[1] && slot[0] == 1 && slot[1] == 0);
    MF_CHECK(t->tracks[0].box[0] == 20.0f && t->tracks[1].box[0] == 320.0f);
    /* a jump below the IoU gate (60 px more: IoU 40/160 = 0.25) starts a new track; the old one misses */
    mf_face h[2] = {face_at(80, 0, 100), face_at(320, 0, 100)};
    MF_CHECK_EQ_INT(mf_tracker_update(t, &p, h, 2, slot, born), 3);
    MF_CHECK(born[0] && slot[0] == 2 && t->tracks[2].id == 3);
    MF_CHECK(!born[1] && slot[1] == 1);
    MF_CHECK_EQ_INT(t->tracks[0].missed, 1);
}

/* Same box, landmarks moved: the RMS gate (0.5 x side) decides. */
static void test_landmark_gate(void)
{
    mf_tracker *t = fresh();
    mf_track_params p = params();
    mf_face a = face_at(0, 0, 100), b = a, c = a;
    int slot[1], born[1];
    mf_tracker_update(t, &p, &a, 1, slot, born);
    for (int k = 0; k < 10; k += 2) b.landmarks[k] += 49.0f; /* RMS 49 <= 50: same track */
    MF_CHECK_EQ_INT(mf_tracker_update(t, &p, &b, 1, slot, born), 1);
    MF_CHECK(!born[0] && t->tracks[slot[0]].id == 1);
    for (int k = 0; k < 10; k += 2) c.landmarks[k] = b.landmarks[k] + 51.0f; /* RMS 51 > 50 */
    MF_CHECK_EQ_INT(mf_tracker_update(t, &p, &c, 1, slot, born), 2);
    MF_CHECK(born[0] && t->tracks[slot[0]].id == 2);
}

/* Greedy pairing: the highest IoU pair first, even for the second detection. */
static void test_greedy_order(void)
{
    mf_tracker *t = fresh();
    mf_track_params p = params();
    mf_face a = face_at(0, 0, 100);
    int slot[2], born[2];
    mf_tracker_update(t, &p, &a, 1, slot, born);
    /* detection 0 overlaps the track with IoU 0.667 (shift 20), detection 1 with 0.818 (shift 10) */
    mf_face d[2] = {face_at(20, 0, 100), face_at(10, 0, 100)};
    MF_CHECK_EQ_INT(mf_tracker_update(t, &p, d, 2, slot, born), 2);
    MF_CHECK(!born[1] && slot[1] == 0);
    MF_CHECK(born[0] && t->tracks[slot[0]].id == 2);
}

/* Loss after max_missed frames; before that the track comes back with its
 * id; after it, the face gets a new id (ids are never given back). */
static void test_loss_and_reid(void)
{
    mf_tracker *t = fresh();
    mf_track_params p = params(); /* max_missed 3 */
    mf_face a = face_at(50, 50, 80);
    int slot[1], born[1];
    mf_tracker_update(t, &p, &a, 1, slot, born);
    mf_tracker_update(t, &p, NULL, 0, slot, born);
    MF_CHECK_EQ_INT(mf_tracker_update(t, &p, NULL, 0, slot, born), 1); /* 2 missed: alive */
    MF_CHECK_EQ_INT(mf_tracker_update(t, &p, &a, 1, slot, born), 1);
    MF_CHECK(!born[0] && t->tracks[slot[0]].id == 1 && t->tracks[slot[0]].missed == 0);
    for (int k = 0; k < 2; k++) mf_tracker_update(t, &p, NULL, 0, slot, born);
    MF_CHECK_EQ_INT(mf_tracker_update(t, &p, NULL, 0, slot, born), 0); /* the third miss ends it */
    MF_CHECK_EQ_INT(mf_tracker_update(t, &p, &a, 1, slot, born), 1);
    MF_CHECK(born[0] && t->tracks[slot[0]].id == 2);
    /* a reset keeps counting ids; a full tracker leaves new faces untracked */
    mf_tracker_reset(t, 1);
    mf_face many[5] = {face_at(0, 0, 50), face_at(100, 0, 50), face_at(200, 0, 50), face_at(300, 0, 50),
                       face_at(400, 0, 50)};
    int slots[5], borns[5];
    MF_CHECK_EQ_INT(mf_tracker_update(t, &p, many, 5, slots, borns), 4);
    MF_CHECK(t->tracks[slots[0]].id == 3 && t->tracks[slots[3]].id == 6);
    MF_CHECK(slots[4] == -1 && !borns[4]);
}

static mf_face rotated(const mf_face *f, double degrees)
{
    mf_face r = *f;
    double c = cos(degrees * M_PI / 180.0), s = sin(degrees * M_PI / 180.0);
    double cx = 0.5 * (f->box[0] + f->box[2]), cy = 0.5 * (f->box[1] + f->box[3]);
    for (int k = 0; k < 5; k++) {
        double x = f->landmarks[2 * k] - cx, y = f->landmarks[2 * k + 1] - cy;
        r.landmarks[2 * k] = (float)(cx + c * x - s * y);
        r.landmarks[2 * k + 1] = (float)(cy + s * x + c * y);
    }
    return r;
}

static void test_recheck_triggers(void)
{
    mf_tracker *t = fresh();
    mf_track_params p = params(); /* interval 10, grow 1.5, turn 15 degrees */
    mf_face a = face_at(0, 0, 100);
    int slot[1], born[1];
    mf_tracker_update(t, &p, &a, 1, slot, born);
    mf_track *tr = &t->tracks[slot[0]];
    MF_CHECK_EQ_INT(mf_track_check_due(tr, &p, &a, 0), 1); /* never checked */
    mf_track_note_check(tr, &a, 5);
    MF_CHECK_EQ_INT(mf_track_check_due(tr, &p, &a, 14), 0);
    MF_CHECK_EQ_INT(mf_track_check_due(tr, &p, &a, 15), 1); /* 10 frames later */
    /* growth: side 122 -> area 14884 < 15000; side 123 -> 15129 >= 1.5 x 10000 */
    mf_face g1 = face_at(0, 0, 122), g2 = face_at(0, 0, 123);
    MF_CHECK_EQ_INT(mf_track_check_due(tr, &p, &g1, 6), 0);
    MF_CHECK_EQ_INT(mf_track_check_due(tr, &p, &g2, 6), 1);
    /* turn: the eye line rotated by 14 degrees is not due, 16 is, either way */
    mf_face t14 = rotated(&a, 14.0), t16 = rotated(&a, 16.0), tm16 = rotated(&a, -16.0), t170 = rotated(&a, 170.0);
    MF_CHECK_EQ_INT(mf_track_check_due(tr, &p, &t14, 6), 0);
    MF_CHECK_EQ_INT(mf_track_check_due(tr, &p, &t16, 6), 1);
    MF_CHECK_EQ_INT(mf_track_check_due(tr, &p, &tm16, 6), 1);
    MF_CHECK_EQ_INT(mf_track_check_due(tr, &p, &t170, 6), 1);
    /* each trigger off */
    mf_track_params none = p;
    none.recheck_interval = 0;
    none.grow_ratio = 0.0f;
    none.turn_cos2 = 2.0f;
    MF_CHECK_EQ_INT(mf_track_check_due(tr, &none, &a, 1000), 0);
    MF_CHECK_EQ_INT(mf_track_check_due(tr, &none, &g2, 6), 0);
    MF_CHECK_EQ_INT(mf_track_check_due(tr, &none, &t16, 6), 0);
    /* the no-libm cosine against libm's */
    for (int d = 0; d <= 90; d += 5) {
        double c = cos(d * M_PI / 180.0);
        MF_CHECK_NEAR(mf_track_cos2_degrees((float)d), c * c, 1e-7);
    }
}

/* Liveness over frames: the mean of the last MF_TRACK_LIVE_WINDOW (4)
 * scores; a spoof decision clears identity and template. */
static void test_liveness_window(void)
{
    mf_tracker *t = fresh();
    mf_track_params p = params();
    mf_face a = face_at(0, 0, 100);
    int slot[1], born[1];
    mf_tracker_update(t, &p, &a, 1, slot, born);
    mf_track *tr = &t->tracks[slot[0]];
    MF_CHECK_EQ_INT(tr->live, -1);
    float e[MF_STORE_DIM];
    for (int k = 0; k < MF_STORE_DIM; k++) e[k] = (float)(k % 7) / 16.0f; /* exact in float */
    mf_track_add_embedding(tr, e, MF_STORE_DIM);
    tr->identity.matched = 1;
    tr->identity.id = 9;
    static const float scores[6] = {0.5f, 0.25f, 0.25f, 0.125f, 0.0f, 1.0f};
    /* means: 0.5, 0.375, 0.3333, 0.28125, (0.25+0.25+0.125+0)/4 = 0.15625, (0.25+0.125+0+1)/4 = 0.34375 */
    static const float means[6] = {0.5f, 0.375f, 1.0f / 3.0f, 0.28125f, 0.15625f, 0.34375f};
    static const int live[6] = {1, 1, 1, 1, 0, 1};
    for (int k = 0; k < 6; k++) {
        MF_CHECK_EQ_INT(mf_track_add_live_score(tr, scores[k], 0.27f, MF_STORE_DIM), live[k]);
        MF_CHECK_NEAR(tr->live_mean, means[k], 1e-7);
        if (k == 3) { /* still live: identity and template kept */
            MF_CHECK(tr->identity.matched && tr->embeddings == 1 && tr->template_sum[1] == e[1]);
        }
    }
    MF_CHECK(!tr->identity.matched && tr->embeddings == 0 && tr->template_sum[1] == 0.0f);
}

/* Identity over frames: the template is the running sum (mean direction) of the embeddings. */
static void test_running_template(void)
{
    mf_tracker *t = fresh();
    mf_track_params p = params();
    mf_face a = face_at(0, 0, 100);
    int slot[1], born[1];
    mf_tracker_update(t, &p, &a, 1, slot, born);
    mf_track *tr = &t->tracks[slot[0]];
    float e1[MF_STORE_DIM], e2[MF_STORE_DIM];
    for (int k = 0; k < MF_STORE_DIM; k++) {
        e1[k] = (float)(k % 5) / 8.0f;
        e2[k] = (float)(k % 3) / 4.0f;
    }
    mf_track_add_embedding(tr, e1, MF_STORE_DIM);
    mf_track_add_embedding(tr, e2, MF_STORE_DIM);
    MF_CHECK_EQ_INT(tr->embeddings, 2);
    int same = 1;
    for (int k = 0; k < MF_STORE_DIM; k++) same &= tr->template_sum[k] == e1[k] + e2[k];
    MF_CHECK(same);
    /* a new track in the same slot starts from an empty template */
    for (int k = 0; k < 3; k++) mf_tracker_update(t, &p, NULL, 0, slot, born);
    mf_tracker_update(t, &p, &a, 1, slot, born);
    MF_CHECK(born[0] && t->tracks[slot[0]].embeddings == 0);
    mf_track_add_embedding(&t->tracks[slot[0]], e1, MF_STORE_DIM);
    MF_CHECK(t->tracks[slot[0]].template_sum[3] == e1[3]);
}

int main(void)
{
    MF_RUN(test_birth_and_association);
    MF_RUN(test_landmark_gate);
    MF_RUN(test_greedy_order);
    MF_RUN(test_loss_and_reid);
    MF_RUN(test_recheck_triggers);
    MF_RUN(test_liveness_window);
    MF_RUN(test_running_template);
    return mf_test_summary();
}
