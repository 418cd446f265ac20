/* The face pipeline (include/mcuface/mf_pipeline.h): the one composition
 * of detect, liveness, align, embed and match, with tracking (track.c). */
#include "mcuface/mf_pipeline.h"
#include "face/track.h"
#include "mcuface/mf_status.h"
#include "vision/frame.h"
#include <math.h>
#include <string.h>

#define ALIGNED_BYTES ((size_t)MF_ALIGNED_SIZE * MF_ALIGNED_SIZE * 3)
#define LIVE_THRESHOLD_META "live_threshold"

enum { CLOSED = 0, OPEN = 1, PLANNED = 2, BOUND = 3 };

static size_t align16(size_t n) { return (n + 15) & ~(size_t)15; }

mf_pipeline_options mf_pipeline_default_options(void)
{
    mf_pipeline_options o;
    memset(&o, 0, sizeof o);
    o.detector_long_side = 320;
    o.score_threshold = 0.5f;
    o.nms_threshold = 0.4f;
    o.max_faces = MF_PIPELINE_DEFAULT_MAX_FACES;
    o.select = MF_PIPELINE_SELECT_ALL;
    o.liveness = 1;
    o.liveness_threshold = -1.0f;
    o.liveness_cascade = 1;
    o.recognize = 1;
    o.identify_threshold = -1.0f;
    o.tracking = 1;
    o.max_tracks = MF_PIPELINE_MAX_TRACKS;
    o.track_min_iou = 0.3f;
    o.track_max_landmark_shift = 0.5f;
    o.track_max_missed = 5;
    o.recheck_interval = 15;
    o.recheck_grow_ratio = 1.5f;
    o.recheck_turn_degrees = 15.0f;
    return o;
}

static int unit(float v) { return v >= 0.0f && v <= 1.0f; }

static int options_valid(const mf_pipeline_options *o)
{
    return o->detector_long_side >= 0 && o->detector_long_side <= 8192 && unit(o->score_threshold) &&
           unit(o->nms_threshold) && o->max_faces >= 1 && o->max_faces <= MF_PIPELINE_MAX_FACES_LIMIT &&
           (o->select == MF_PIPELINE_SELECT_ALL || o->select == MF_PIPELINE_SELECT_LARGEST ||
            o->select == MF_PIPELINE_SELECT_CENTRE) &&
           (o->liveness == 0 || o->liveness == 1) && (o->liveness_cascade == 0 || o->liveness_cascade == 1) &&
           (o->liveness_threshold < 0.0f || unit(o->liveness_threshold)) && (o->recognize == 0 || o->recognize == 1) &&
           (o->embed_mirrored == 0 || o->embed_mirrored == 1) &&
           (o->identify_threshold < 0.0f || unit(o->identify_threshold)) &&
           (o->tracking == 0 || o->tracking == 1) && o->max_tracks >= 1 && o->max_tracks <= MF_PIPELINE_MAX_TRACKS &&
           o->track_min_iou > 0.0f && o->track_min_iou <= 1.0f && o->track_max_landmark_shift > 0.0f &&
           o->track_max_landmark_shift <= 100.0f && o->track_max_missed >= 1 && o->recheck_interval >= 0 &&
           (o->recheck_grow_ratio == 0.0f || (o->recheck_grow_ratio > 1.0f && o->recheck_grow_ratio <= 100.0f)) &&
           o->recheck_turn_degrees >= 0.0f && o->recheck_turn_degrees <= 90.0f;
}

/* "0.27" -> the nearest float, as liveness.c parses its crop scales: an
 * integer mantissa over an exact power of ten, no strtof (the two C
 * libraries need not round alike). Returns -1 for anything else. */
static float parse_unit_decimal(const char *s)
{
    double mantissa = 0.0, divisor = 1.0;
    int digits = 0, dot = 0;
    for (; *s; s++) {
        if (*s == '.' && !dot) {
            dot = 1;
            continue;
        }
        if (*s < '0' || *s > '9' || ++digits > 15) return -1.0f;
        mantissa = mantissa * 10.0 + (double)(*s - '0');
        if (dot) divisor *= 10.0;
    }
    float v = digits ? (float)(mantissa / divisor) : -1.0f;
    return unit(v) ? v : -1.0f;
}

/* The one threshold rule: the options' value, else the first liveness
 * model file's "live_threshold", else MF_LIVENESS_DEFAULT_THRESHOLD. */
static int liveness_threshold_of(const mf_pipeline *pipe, float *threshold)
{
    *threshold = MF_LIVENESS_DEFAULT_THRESHOLD;
    if (pipe->opt.liveness_threshold >= 0.0f) {
        *threshold = pipe->opt.liveness_threshold;
        return MF_OK;
    }
    for (int i = 0; i < pipe->lv.model_count; i++) {
        const char *text = mf_model_meta(&pipe->lv.models[i], LIVE_THRESHOLD_META);
        if (!text) continue;
        float v = parse_unit_decimal(text);
        if (v < 0.0f) return MF_ECORRUPT;
        *threshold = v;
        return MF_OK;
    }
    return MF_OK;
}

static int apply_options(mf_pipeline *pipe, const mf_pipeline_options *opt)
{
    if (!options_valid(opt)) return MF_EINVAL;
    if (opt->liveness && pipe->lv.model_count < 1) return MF_EINVAL;
    int tracking_changed = opt->tracking != pipe->opt.tracking;
    pipe->opt = *opt;
    float threshold;
    int err = liveness_threshold_of(pipe, &threshold);
    if (err) return err;
    pipe->live_threshold = threshold;
    if (pipe->lv.model_count) mf_liveness_set_threshold(&pipe->lv, threshold);
    if (pipe->lv.model_count == 2) {
        int first = opt->liveness_cascade ? MF_LIVENESS_CASCADE_FIRST : -1;
        if ((err = mf_liveness_set_cascade(&pipe->lv, first, MF_LIVENESS_CASCADE_LO, MF_LIVENESS_CASCADE_HI)) != MF_OK)
            return err;
    }
    pipe->turn_cos2 = opt->recheck_turn_degrees > 0.0f ? mf_track_cos2_degrees(opt->recheck_turn_degrees) : 2.0f;
    if (tracking_changed) mf_tracker_reset(&pipe->tracker, 1);
    return MF_OK;
}

/* Detections kept per frame: SELECT_LARGEST / SELECT_CENTRE choose among
 * at least the default count, whatever max_faces is. */
static int detect_cap(const mf_pipeline *pipe)
{
    return pipe->opt.max_faces > MF_PIPELINE_DEFAULT_MAX_FACES ? pipe->opt.max_faces : MF_PIPELINE_DEFAULT_MAX_FACES;
}

int mf_pipeline_open(mf_pipeline *pipe, const mf_pipeline_models *models, mf_store *store,
                     const mf_pipeline_options *opt)
{
    if (!pipe) return MF_EINVAL;
    memset(pipe, 0, sizeof *pipe);
    if (!models || !models->detector.data || models->liveness_count < 0 ||
        models->liveness_count > MF_LIVENESS_MAX_MODELS)
        return MF_EINVAL;
    int err = mf_detector_open(&pipe->det, models->detector.data, models->detector.size);
    if (err) return err;
    if (models->liveness_count > 0) {
        const void *blobs[MF_LIVENESS_MAX_MODELS];
        size_t sizes[MF_LIVENESS_MAX_MODELS];
        for (int i = 0; i < models->liveness_count; i++) {
            if (!models->liveness[i].data) return MF_EINVAL;
            blobs[i] = models->liveness[i].data;
            sizes[i] = models->liveness[i].size;
        }
        if ((err = mf_liveness_open(&pipe->lv, blobs, sizes, models->liveness_count)) != MF_OK) return err;
    }
    if (models->recognizer.data) {
        if ((err = mf_recognizer_open(&pipe->rec, models->recognizer.data, models->recognizer.size)) != MF_OK)
            return err;
        pipe->has_recognizer = 1;
    }
    pipe->store = store;
    mf_pipeline_options defaults = mf_pipeline_default_options();
    pipe->opt.tracking = -1; /* so that apply_options resets the tracker */
    if ((err = apply_options(pipe, opt ? opt : &defaults)) != MF_OK) return err;
    pipe->det_ws = align16(mf_detector_workspace_bytes(&pipe->det));
    pipe->lv_ws = pipe->lv.model_count ? align16(mf_liveness_workspace_bytes(&pipe->lv)) : 0;
    pipe->rec_ws = pipe->has_recognizer ? align16(mf_recognizer_workspace_bytes(&pipe->rec)) : 0;
    size_t embedding = pipe->has_recognizer ? (size_t)MF_EMBEDDING_MAX_DIM * sizeof(float) : 0;
    size_t faces = (size_t)pipe->opt.max_faces;
    pipe->embed_bytes = align16(embedding * (faces + 1)); /* + the mirror image's */
    pipe->track_bytes = align16(embedding * (size_t)pipe->opt.max_tracks);
    const size_t faces_bytes = align16((size_t)detect_cap(pipe) * sizeof(mf_face)) + align16(faces * sizeof(mf_face)) +
                               2 * align16(faces * sizeof(int)) + align16(faces * sizeof(mf_pipeline_face));
    pipe->workspace_bytes =
        pipe->det_ws + pipe->lv_ws + pipe->rec_ws + pipe->embed_bytes + pipe->track_bytes + faces_bytes;
    pipe->state = OPEN;
    return MF_OK;
}

int mf_pipeline_set_options(mf_pipeline *pipe, const mf_pipeline_options *opt)
{
    if (!pipe || pipe->state < OPEN || !opt) return pipe && pipe->state < OPEN ? MF_ESTATE : MF_EINVAL;
    if (pipe->state >= PLANNED &&
        (opt->detector_long_side != pipe->opt.detector_long_side || opt->max_faces != pipe->opt.max_faces ||
         opt->max_tracks != pipe->opt.max_tracks))
        return MF_ESTATE;
    if (pipe->state < PLANNED && (opt->max_faces != pipe->opt.max_faces || opt->max_tracks != pipe->opt.max_tracks))
        return MF_ESTATE; /* they size the workspace reported after open */
    mf_pipeline_options before = pipe->opt;
    int err = apply_options(pipe, opt);
    if (err) {
        pipe->opt = before;
        apply_options(pipe, &before);
    }
    return err;
}

size_t mf_pipeline_workspace_bytes(const mf_pipeline *pipe)
{
    return pipe && pipe->state >= OPEN ? pipe->workspace_bytes : 0;
}

static void net_size(const mf_pipeline *pipe, int32_t w, int32_t h, int32_t *nw, int32_t *nh)
{
    mf_detector_input_size(w, h, pipe->opt.detector_long_side, nw, nh);
}

/* The per-face arrays, after the track templates. */
static void face_arrays(mf_pipeline *pipe)
{
    size_t faces = (size_t)pipe->opt.max_faces;
    uint8_t *p = pipe->workspace + pipe->det_ws + pipe->lv_ws + pipe->rec_ws + pipe->embed_bytes + pipe->track_bytes;
    pipe->detections = (mf_face *)(void *)p;
    p += align16((size_t)detect_cap(pipe) * sizeof(mf_face));
    pipe->selected = (mf_face *)(void *)p;
    p += align16(faces * sizeof(mf_face));
    pipe->slots = (int *)(void *)p;
    p += align16(faces * sizeof(int));
    pipe->born = (int *)(void *)p;
    p += align16(faces * sizeof(int));
    pipe->faces = (mf_pipeline_face *)(void *)p;
}

static void track_templates(mf_pipeline *pipe)
{
    float *base = pipe->has_recognizer
                      ? (float *)(void *)(pipe->workspace + pipe->det_ws + pipe->lv_ws + pipe->rec_ws + pipe->embed_bytes)
                      : NULL;
    for (int s = 0; s < MF_PIPELINE_MAX_TRACKS; s++)
        pipe->tracker.tracks[s].template_sum =
            base && s < pipe->opt.max_tracks ? base + (size_t)s * MF_EMBEDDING_MAX_DIM : NULL;
}

int mf_pipeline_plan(mf_pipeline *pipe, int32_t frame_width, int32_t frame_height, mf_pixel_format format,
                     void *workspace, size_t workspace_bytes, size_t *arena_bytes)
{
    if (!pipe) return MF_EINVAL;
    if (pipe->state < OPEN) return MF_ESTATE;
    if (!workspace || ((uintptr_t)workspace & 15) || !arena_bytes) return MF_EINVAL;
    if (frame_width < 1 || frame_height < 1) return MF_EINVAL;
    if (frame_width > MF_IMAGE_MAX_SIDE || frame_height > MF_IMAGE_MAX_SIDE) return MF_ERANGE;
    if (mf_pixel_format_bytes(format) == 0) return MF_EINVAL;
    if (workspace_bytes < pipe->workspace_bytes) return MF_ENOMEM;
    pipe->state = OPEN;
    uint8_t *ws = workspace;
    pipe->workspace = ws;
    int err;
    /* The detector at both orientations: any frame that fits either way can be re-planned into the arena. */
    size_t det_max = 0;
    for (int turn = 1; turn >= 0; turn--) {
        int32_t nw, nh;
        size_t bytes = 0;
        net_size(pipe, turn ? frame_height : frame_width, turn ? frame_width : frame_height, &nw, &nh);
        if ((err = mf_detector_plan(&pipe->det, nw, nh, ws, pipe->det_ws, &bytes)) != MF_OK) return err;
        if (bytes > det_max) det_max = bytes;
        pipe->net_width = nw;
        pipe->net_height = nh;
    }
    pipe->det_arena_max = align16(det_max);
    pipe->lv_arena = 0;
    if (pipe->lv.model_count) {
        size_t bytes = 0;
        if ((err = mf_liveness_plan(&pipe->lv, ws + pipe->det_ws, pipe->lv_ws, &bytes)) != MF_OK) return err;
        pipe->lv_arena = align16(bytes);
    }
    pipe->rec_arena = 0;
    pipe->dim = 0;
    if (pipe->has_recognizer) {
        size_t bytes = 0;
        if ((err = mf_recognizer_plan(&pipe->rec, ws + pipe->det_ws + pipe->lv_ws, pipe->rec_ws, &bytes)) != MF_OK)
            return err;
        pipe->dim = mf_recognizer_dim(&pipe->rec);
        if (pipe->store && pipe->dim != MF_STORE_DIM) return MF_EUNSUPPORTED;
        /* the aligned face stays while the recognizer runs: it sits below its arena */
        pipe->rec_arena = align16(ALIGNED_BYTES) + align16(bytes);
        pipe->face_embeddings = (float *)(void *)(ws + pipe->det_ws + pipe->lv_ws + pipe->rec_ws);
        pipe->mirror_embedding = pipe->face_embeddings + (size_t)pipe->opt.max_faces * MF_EMBEDDING_MAX_DIM;
    }
    size_t peak = pipe->det_arena_max;
    if (pipe->lv_arena > peak) peak = pipe->lv_arena;
    if (pipe->rec_arena > peak) peak = pipe->rec_arena;
    pipe->arena_bytes = peak;
    pipe->arena = NULL;
    pipe->frame_width = frame_width;
    pipe->frame_height = frame_height;
    pipe->format = format;
    track_templates(pipe);
    face_arrays(pipe);
    mf_tracker_reset(&pipe->tracker, 1);
    pipe->frame_index = 0;
    *arena_bytes = peak;
    pipe->state = PLANNED;
    return MF_OK;
}

int mf_pipeline_bind(mf_pipeline *pipe, void *arena, size_t arena_bytes)
{
    if (!pipe) return MF_EINVAL;
    if (pipe->state < PLANNED) return MF_ESTATE;
    if (!arena || ((uintptr_t)arena & 15)) return MF_EINVAL;
    if (arena_bytes < pipe->arena_bytes) return MF_ENOMEM;
    uint8_t *a = arena;
    int err = mf_detector_bind(&pipe->det, a, pipe->det_arena_max);
    if (!err && pipe->lv.model_count) err = mf_liveness_bind(&pipe->lv, a, pipe->lv_arena);
    if (!err && pipe->has_recognizer)
        err = mf_recognizer_bind(&pipe->rec, a + align16(ALIGNED_BYTES), pipe->rec_arena - align16(ALIGNED_BYTES));
    if (err) return err;
    pipe->arena = a;
    pipe->state = BOUND;
    return MF_OK;
}

int mf_pipeline_reset_tracks(mf_pipeline *pipe)
{
    if (!pipe) return MF_EINVAL;
    mf_tracker_reset(&pipe->tracker, 1);
    pipe->frame_index = 0;
    return MF_OK;
}

static void stage(const mf_pipeline *pipe, mf_pipeline_stage s)
{
    if (pipe->opt.stage_hook) pipe->opt.stage_hook(pipe->opt.stage_context, s);
}

static float face_area(const mf_face *f) { return (f->box[2] - f->box[0]) * (f->box[3] - f->box[1]); }

int mf_pipeline_largest_face(const mf_face *faces, int count)
{
    if (!faces || count <= 0) return -1;
    int best = 0;
    for (int i = 1; i < count; i++)
        if (face_area(&faces[i]) > face_area(&faces[best])) best = i;
    return best;
}

int mf_pipeline_centre_face(const mf_face *faces, int count, int32_t width, int32_t height)
{
    if (!faces || count <= 0) return -1;
    int best = -1;
    float best_d = 0.0f;
    for (int i = 0; i < count; i++) {
        float dx = 0.5f * (faces[i].box[0] + faces[i].box[2]) - 0.5f * (float)width;
        float dy = 0.5f * (faces[i].box[1] + faces[i].box[3]) - 0.5f * (float)height;
        float d = dx * dx + dy * dy;
        if (best < 0 || d < best_d) {
            best = i;
            best_d = d;
        }
    }
    return best;
}

/* FRAME is usable here: valid (mf_frame_check), in the planned format, and
 * within the planned size in either orientation. */
static int frame_fits(const mf_pipeline *pipe, const mf_frame *frame)
{
    int err = mf_frame_check(frame);
    if (err) return err;
    if (frame->format != pipe->format) return MF_EINVAL;
    int32_t lo = pipe->frame_width < pipe->frame_height ? pipe->frame_width : pipe->frame_height;
    int32_t hi = pipe->frame_width < pipe->frame_height ? pipe->frame_height : pipe->frame_width;
    int32_t flo = frame->width < frame->height ? frame->width : frame->height;
    int32_t fhi = frame->width < frame->height ? frame->height : frame->width;
    return flo > lo || fhi > hi ? MF_ERANGE : MF_OK;
}

/* The detector planned for this frame's size (cheap when it already is). */
static int detector_for(mf_pipeline *pipe, int32_t width, int32_t height)
{
    int32_t nw, nh;
    net_size(pipe, width, height, &nw, &nh);
    if (nw == pipe->net_width && nh == pipe->net_height && pipe->det.state >= 3) return MF_OK;
    size_t bytes = 0;
    pipe->net_width = pipe->net_height = 0;
    int err = mf_detector_plan(&pipe->det, nw, nh, pipe->workspace, pipe->det_ws, &bytes);
    if (err) return err;
    if (bytes > pipe->arena_bytes) return MF_ENOMEM;
    if ((err = mf_detector_bind(&pipe->det, pipe->arena, bytes)) != MF_OK) return err;
    pipe->net_width = nw;
    pipe->net_height = nh;
    return MF_OK;
}

/* Top-1 identity of EMBEDDING in the store (the best even below the threshold). */
static int match(mf_pipeline *pipe, const float *embedding, mf_pipeline_identity *who)
{
    memset(who, 0, sizeof *who);
    if (!pipe->store) return MF_OK;
    stage(pipe, MF_STAGE_MATCH);
    mf_store_match best;
    int n = mf_store_identify(pipe->store, embedding, 0.0f, &best, 1);
    if (n < 0) return n;
    if (n == 0) return MF_OK;
    mf_store_identity identity;
    int err = mf_store_find_id(pipe->store, best.id, &identity);
    if (err) return err;
    who->matched = 1;
    who->id = best.id;
    who->score = best.score;
    who->accepted = best.score >= mf_pipeline_identify_threshold(pipe);
    memcpy(who->name, identity.name, sizeof who->name);
    return MF_OK;
}

/* Swaps each row of the aligned face end for end, in place. */
static void mirror(mf_image *aligned)
{
    for (int32_t y = 0; y < aligned->height; y++) {
        uint8_t *row = aligned->data + (size_t)y * (size_t)aligned->stride;
        for (int32_t x = 0; x < aligned->width / 2; x++)
            for (int c = 0; c < 3; c++) {
                uint8_t *a = row + 3 * x + c, *b = row + 3 * (aligned->width - 1 - x) + c;
                uint8_t t = *a;
                *a = *b;
                *b = t;
            }
    }
}

/* EMBEDDING += MIRRORED, normalised again (the sum in double, as mf_embed normalises). */
static void add_normalised(float *embedding, const float *mirrored, int32_t dim)
{
    double sum = 0.0;
    for (int32_t i = 0; i < dim; i++) {
        embedding[i] += mirrored[i];
        sum += (double)embedding[i] * embedding[i];
    }
    float inv = sum > 0.0 ? (float)(1.0 / sqrt(sum)) : 0.0f;
    for (int32_t i = 0; i < dim; i++) embedding[i] *= inv;
}

static int embed(mf_pipeline *pipe, const mf_frame *frame, const mf_face *face, float *embedding)
{
    mf_image aligned;
    stage(pipe, MF_STAGE_ALIGN);
    int err = mf_image_init(&aligned, pipe->arena, ALIGNED_BYTES, MF_ALIGNED_SIZE, MF_ALIGNED_SIZE, 3);
    if (!err) err = mf_align_face_frame(frame, face->landmarks, &aligned);
    if (err) return err;
    stage(pipe, MF_STAGE_EMBED);
    err = mf_embed(&pipe->rec, &aligned, embedding, pipe->dim);
    if (err || !pipe->opt.embed_mirrored) return err;
    mirror(&aligned);
    if ((err = mf_embed(&pipe->rec, &aligned, pipe->mirror_embedding, pipe->dim)) != MF_OK) return err;
    add_normalised(embedding, pipe->mirror_embedding, pipe->dim);
    return MF_OK;
}

static mf_track_params track_params(const mf_pipeline *pipe)
{
    mf_track_params p;
    p.max_tracks = pipe->opt.max_tracks;
    p.min_iou = pipe->opt.track_min_iou;
    p.max_shift = pipe->opt.track_max_landmark_shift;
    p.max_missed = pipe->opt.track_max_missed;
    p.recheck_interval = pipe->opt.recheck_interval;
    p.grow_ratio = pipe->opt.recheck_grow_ratio;
    p.turn_cos2 = pipe->turn_cos2;
    return p;
}

/* Liveness, alignment, embedding and match of one selected face. TRACK is
 * NULL without tracking (every network runs, the decision is this
 * frame's). */
static int process_face(mf_pipeline *pipe, const mf_frame *frame, mf_pipeline_face *pf, mf_track *track, int due,
                        float *embedding, mf_pipeline_result *out)
{
    int recognize = pipe->opt.recognize && pipe->has_recognizer;
    pf->live = -1;
    pf->live_score = 1.0f;
    if (track && !due) { /* the track's decisions stand */
        if (pipe->opt.liveness) {
            pf->live = track->live;
            pf->live_score = track->live_mean;
        }
        if (pf->live != 0) pf->identity = track->identity;
        return MF_OK;
    }
    int err;
    if (pipe->opt.liveness) {
        stage(pipe, MF_STAGE_LIVENESS);
        err = mf_liveness_check_frame(&pipe->lv, frame, &pf->face, &pf->liveness);
        stage(pipe, MF_STAGE_OTHER);
        if (err) return err;
        pf->liveness_ran = 1;
        out->liveness_runs++;
        if (track) {
            pf->live = mf_track_add_live_score(track, pf->liveness.score, pipe->live_threshold, pipe->dim);
            pf->live_score = track->live_mean;
        } else {
            pf->live = pf->liveness.live;
            pf->live_score = pf->liveness.score;
        }
    }
    if (track) mf_track_note_check(track, &pf->face, pipe->frame_index);
    if (pf->live == 0 || !recognize) return MF_OK; /* a spoof is never embedded or matched */
    err = embed(pipe, frame, &pf->face, embedding);
    stage(pipe, MF_STAGE_OTHER);
    if (err) return err;
    pf->recognizer_ran = 1;
    pf->embedding = embedding;
    out->recognizer_runs++;
    if (!track) {
        err = match(pipe, embedding, &pf->identity);
    } else {
        mf_track_add_embedding(track, embedding, pipe->dim);
        err = match(pipe, track->template_sum, &track->identity); /* the store normalises the running sum */
        pf->identity = track->identity;
    }
    stage(pipe, MF_STAGE_OTHER);
    return err;
}

int mf_pipeline_process(mf_pipeline *pipe, const mf_frame *frame, mf_pipeline_result *out)
{
    if (!pipe || !frame || !out) return MF_EINVAL;
    if (pipe->state < BOUND) return MF_ESTATE;
    stage(pipe, MF_STAGE_PREPARE);
    memset(out, 0, sizeof *out);
    int err = frame_fits(pipe, frame);
    if (err) return err;
    if ((err = detector_for(pipe, frame->width, frame->height)) != MF_OK) return err;
    out->frame_index = pipe->frame_index;
    mf_detect_options dopt = mf_detect_default_options();
    dopt.score_threshold = pipe->opt.score_threshold;
    dopt.nms_threshold = pipe->opt.nms_threshold;
    stage(pipe, MF_STAGE_DETECT);
    const int cap = detect_cap(pipe);
    int n = mf_detect_frame(&pipe->det, frame, &dopt, pipe->detections, cap);
    stage(pipe, MF_STAGE_OTHER);
    if (n < 0) return n;
    out->detector_ran = 1;
    out->detected = n;
    int found = n < cap ? n : cap;
    int chosen = -1;
    if (pipe->opt.select == MF_PIPELINE_SELECT_LARGEST) chosen = mf_pipeline_largest_face(pipe->detections, found);
    if (pipe->opt.select == MF_PIPELINE_SELECT_CENTRE)
        chosen = mf_pipeline_centre_face(pipe->detections, found, frame->width, frame->height);
    mf_face *selected = pipe->selected;
    int count = 0;
    if (pipe->opt.select == MF_PIPELINE_SELECT_ALL) {
        count = found < pipe->opt.max_faces ? found : pipe->opt.max_faces;
        out->truncated = n > count;
        memcpy(selected, pipe->detections, (size_t)count * sizeof *selected);
    } else if (chosen >= 0) {
        count = 1;
        selected[0] = pipe->detections[chosen];
    }
    out->face_count = count;
    out->faces = pipe->faces;
    memset(pipe->faces, 0, (size_t)count * sizeof *pipe->faces);
    int *slot = pipe->slots, *born = pipe->born;
    memset(slot, 0, (size_t)count * sizeof *slot);
    memset(born, 0, (size_t)count * sizeof *born);
    mf_track_params params = track_params(pipe);
    if (pipe->opt.tracking)
        out->tracks_active = mf_tracker_update(&pipe->tracker, &params, selected, count, slot, born);
    for (int i = 0; i < count; i++) {
        mf_pipeline_face *pf = &out->faces[i];
        pf->face = selected[i];
        mf_track *track = pipe->opt.tracking && slot[i] >= 0 ? &pipe->tracker.tracks[slot[i]] : NULL;
        int due = 1;
        if (track) {
            pf->track_id = track->id;
            due = born[i] || mf_track_check_due(track, &params, &pf->face, pipe->frame_index);
        }
        float *embedding = pipe->face_embeddings ? pipe->face_embeddings + (size_t)i * MF_EMBEDDING_MAX_DIM : NULL;
        if ((err = process_face(pipe, frame, pf, track, due, embedding, out)) != MF_OK) return err;
    }
    pipe->frame_index++;
    return MF_OK;
}

int mf_pipeline_embed_face(mf_pipeline *pipe, const mf_frame *frame, const mf_face *face, float *embedding)
{
    if (!pipe || !frame || !face || !embedding) return MF_EINVAL;
    if (pipe->state < BOUND) return MF_ESTATE;
    if (!pipe->has_recognizer) return MF_EINVAL;
    int err = frame_fits(pipe, frame);
    if (!err) err = embed(pipe, frame, face, embedding);
    stage(pipe, MF_STAGE_OTHER);
    return err;
}

int32_t mf_pipeline_embedding_dim(const mf_pipeline *pipe) { return pipe && pipe->state >= PLANNED ? pipe->dim : 0; }

float mf_pipeline_verify_threshold(const mf_pipeline *pipe)
{
    return pipe && pipe->has_recognizer ? mf_recognizer_threshold(&pipe->rec) : 0.0f;
}

float mf_pipeline_liveness_threshold(const mf_pipeline *pipe)
{
    return pipe ? pipe->live_threshold : MF_LIVENESS_DEFAULT_THRESHOLD;
}

float mf_pipeline_identify_threshold(const mf_pipeline *pipe)
{
    if (!pipe) return MF_STORE_THRESHOLD_IDENTIFY_DEFAULT;
    if (pipe->opt.identify_threshold >= 0.0f) return pipe->opt.identify_threshold;
    /* the store's configured 1:N threshold (mount filled in the default) */
    return pipe->store ? pipe->store->cfg.threshold_identify : MF_STORE_THRESHOLD_IDENTIFY_DEFAULT;
}

const mf_detector *mf_pipeline_detector(const mf_pipeline *pipe) { return pipe && pipe->state ? &pipe->det : NULL; }

const mf_liveness *mf_pipeline_liveness(const mf_pipeline *pipe)
{
    return pipe && pipe->state && pipe->lv.model_count ? &pipe->lv : NULL;
}

const mf_recognizer *mf_pipeline_recognizer(const mf_pipeline *pipe)
{
    return pipe && pipe->state && pipe->has_recognizer ? &pipe->rec : NULL;
}

size_t mf_pipeline_arena_part(const mf_pipeline *pipe, int which)
{
    if (!pipe || pipe->state < PLANNED) return 0;
    return which == 0 ? pipe->det_arena_max : which == 1 ? pipe->lv_arena : which == 2 ? pipe->rec_arena : 0;
}
