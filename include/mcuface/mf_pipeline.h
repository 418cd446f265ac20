/* The face pipeline: one camera frame in, faces with names out.
 *   frame -> detect -> (per face) liveness -> align -> embed -> match (store)
 * composed once, with one set of rules, for the firmware, the CLI and the
 * evaluations:
 *   - a face judged a spoof is never aligned, embedded or matched;
 *   - the liveness threshold is the model file's "live_threshold" when it
 *     stores one, else MF_LIVENESS_DEFAULT_THRESHOLD (unless the options
 *     set one);
 *   - with two liveness models the cascade decides (options.liveness_cascade,
 *     on by default): MiniFASNetV2 alone when it is sure, both when not;
 *   - "the largest face" is mf_pipeline_largest_face (box area, first of
 *     equals), and MF_PIPELINE_SELECT_LARGEST uses the same rule.
 *
 * Memory: the pipeline owns nothing. The caller allocates the mf_pipeline
 * struct (static is fine), the model files (used in place, e.g. in flash),
 * a workspace (tensor tables, per-face results and embeddings, track
 * templates: grows with options.max_faces and max_tracks) and ONE
 * arena that the networks share, since they run one after the other.
 * Typical use (examples/host_minimal.c, examples/firmware_loop.c):
 *   mf_pipeline_options opt = mf_pipeline_default_options();
 *   mf_pipeline_open(&pipe, &models, &store, &opt);         // store may be NULL
 *   ws_bytes = mf_pipeline_workspace_bytes(&pipe);
 *   mf_pipeline_plan(&pipe, 320, 240, MF_PIXEL_RGB888, ws, ws_bytes, &arena_bytes);
 *   mf_pipeline_bind(&pipe, arena, arena_bytes);
 *   for (;;) { mf_pipeline_process(&pipe, &frame, &result); ... }
 * No function allocates, reads files or keeps pointers to the caller's data
 * beyond what is documented (models, store, workspace, arena: until the
 * pipeline is no longer used; the frame: only during mf_pipeline_process).
 *
 * Thread safety: one mf_pipeline (with its workspace and arena) is used by
 * one thread at a time; separate pipelines are independent (no global
 * state), but a store shared between them must not be written meanwhile.
 *
 * Tracking (on by default, src/face/track.c): faces are associated across
 * frames, liveness and the embedding run when a track is born and then only
 * when re-checking is due (interval, the face grew, or it turned), and a
 * track's identity and liveness are decided over frames. With tracking off
 * every network runs on every face of every frame (per-image use: the CLI,
 * the evaluations). The rules, all in float arithmetic without libm
 * transcendental calls, so the host and the Cortex-M55 decide alike:
 *   association: detections (best score first) and active tracks are paired
 *     greedily by IoU, highest first (ties: lower detection index, then
 *     lower track slot), a pair needing IoU >= track_min_iou and a
 *     root-mean-square landmark displacement <= track_max_landmark_shift x
 *     the track box's longer side.
 *   birth: an unpaired detection starts a new track with a fresh id
 *     (1, 2, 3, ...: never reused while the pipeline is open).
 *   loss: a track unpaired in track_max_missed consecutive frames is ended.
 *     Until then it can be paired again and keeps its id (brief occlusion).
 *   re-identification: an ended track's id is never given back; a face that
 *     reappears later starts a new track, whose identity comes back from the
 *     store (its first embedding is matched at birth).
 *   re-checks: liveness (and, when live, the embedding) run on a track's
 *     face at birth and then when recheck_interval frames have passed since
 *     the last check, or the box area grew by recheck_grow_ratio or more
 *     since then, or the eye line turned by recheck_turn_degrees or more.
 *   liveness over time: the track's live score is the mean of its last
 *     MF_TRACK_LIVE_WINDOW checks' scores; the track is live when that mean
 *     >= the threshold. Between checks the decision stands: a track judged
 *     spoof stays spoof (never embedded, identity cleared) until a re-check
 *     lifts the mean over the threshold.
 *   identity over time: the running mean of the track's embeddings (sum of
 *     its L2-normalised embeddings, reset when it is judged spoof) is matched
 *     against the store after each new embedding; the best identity is kept
 *     until the next embedding, accepted when its score >= the identify
 *     threshold. */
#ifndef MCUFACE_MF_PIPELINE_H
#define MCUFACE_MF_PIPELINE_H
#include <stddef.h>
#include <stdint.h>
#include "mcuface/mf_detect.h"
#include "mcuface/mf_frame.h"
#include "mcuface/mf_liveness.h"
#include "mcuface/mf_recognize.h"
#include "mcuface/mf_store.h"

#define MF_PIPELINE_DEFAULT_MAX_FACES 16  /* options.max_faces unless set */
#define MF_PIPELINE_MAX_FACES_LIMIT 10000 /* the largest options.max_faces (each face costs workspace) */
#define MF_PIPELINE_MAX_TRACKS 16 /* tracks followed at once (options.max_tracks <= this) */
#define MF_TRACK_LIVE_WINDOW 4    /* live scores a track's decision averages */

/* A model file: DATA (16-byte aligned, caller-owned, used in place, kept
 * while the pipeline is used) of SIZE bytes. */
typedef struct mf_pipeline_blob {
    const void *data;
    size_t size;
} mf_pipeline_blob;

typedef struct mf_pipeline_models {
    mf_pipeline_blob detector;                          /* required (RetinaFace) */
    mf_pipeline_blob liveness[MF_LIVENESS_MAX_MODELS];  /* MiniFASNetV2, MiniFASNetV1SE */
    int liveness_count;                                 /* 0..2; 0: no liveness (options.liveness must be 0) */
    mf_pipeline_blob recognizer; /* optional: DATA NULL = detection (and liveness) only */
} mf_pipeline_models;

/* Which detected faces go through liveness and recognition. */
typedef enum mf_pipeline_select {
    MF_PIPELINE_SELECT_ALL = 0,     /* every face, best detection score first, up to max_faces */
    MF_PIPELINE_SELECT_LARGEST = 1, /* only the largest face (mf_pipeline_largest_face): verify, enroll */
    MF_PIPELINE_SELECT_CENTRE = 2   /* only the face whose box centre is nearest the frame centre (LFW) */
} mf_pipeline_select;

/* Stage boundaries, for profilers (the firmware's instruction counts). */
typedef enum mf_pipeline_stage {
    MF_STAGE_PREPARE = 1,  /* mf_pipeline_process starts: frame checks, detector re-plan for a new size */
    MF_STAGE_DETECT = 2,   /* the detector (resize, network, decode, NMS) */
    MF_STAGE_LIVENESS = 3, /* liveness of one face */
    MF_STAGE_ALIGN = 4,    /* alignment of one face */
    MF_STAGE_EMBED = 5,    /* the recognizer on one face */
    MF_STAGE_MATCH = 6,    /* the store search of one face or track */
    MF_STAGE_OTHER = 7     /* back in the pipeline after a stage (tracking, results) */
} mf_pipeline_stage;
typedef void (*mf_pipeline_stage_hook)(void *context, mf_pipeline_stage stage);

typedef struct mf_pipeline_options {
    /* Detection. */
    int32_t detector_long_side; /* network input long side (320); 0 = the frame's own size */
    float score_threshold;      /* detection score (0.5) */
    float nms_threshold;        /* NMS IoU (0.4) */
    int max_faces;              /* faces per frame that the result holds and the later stages see, the
                                   best detection scores (MF_PIPELINE_DEFAULT_MAX_FACES, at most
                                   MF_PIPELINE_MAX_FACES_LIMIT; sizes the workspace); result.truncated
                                   says when more were found. SELECT_LARGEST and SELECT_CENTRE choose
                                   among the best max(max_faces, MF_PIPELINE_DEFAULT_MAX_FACES) */
    mf_pipeline_select select;  /* MF_PIPELINE_SELECT_ALL */
    /* Liveness. */
    int liveness;               /* 1 (on): check every selected face before recognition; 0: skip */
    float liveness_threshold;   /* < 0 (default): the model file's "live_threshold", else
                                   MF_LIVENESS_DEFAULT_THRESHOLD; 0..1: this value */
    int liveness_cascade;       /* 1 (on, with two liveness models): the first model alone decides a face
                                   whose P(real) is outside [MF_LIVENESS_CASCADE_LO, _HI], the second runs
                                   only inside it (mf_liveness_set_cascade with MF_LIVENESS_CASCADE_*:
                                   about half the liveness cost); 0: both models on every face, the fused
                                   mean (the face's score is then always the mean of the two) */
    /* Recognition. */
    int recognize;              /* 1 (on, when a recognizer is given): align + embed live faces */
    float identify_threshold;   /* < 0 (default): the store's configured 1:N threshold; else this cosine */
    int embed_mirrored;         /* 0 (off); 1: the embedding is the normalised sum of the aligned face's
                                   and its mirror image's (test-time flip: two recognizer runs) */
    /* Tracking. */
    int tracking;               /* 1 (on); 0: every network on every face of every frame, track ids 0 */
    int max_tracks;             /* MF_PIPELINE_MAX_TRACKS */
    float track_min_iou;        /* 0.3 */
    float track_max_landmark_shift; /* 0.5 (of the track box's longer side) */
    int track_max_missed;       /* 5 frames */
    int recheck_interval;       /* 15 frames */
    float recheck_grow_ratio;   /* 1.5 (box area now / at the last check) */
    float recheck_turn_degrees; /* 15 (eye-line angle change since the last check) */
    /* Profiling: called at each stage boundary when not NULL (NULL). */
    mf_pipeline_stage_hook stage_hook;
    void *stage_context;
} mf_pipeline_options;

/* The defaults written next to each field above. */
mf_pipeline_options mf_pipeline_default_options(void);

/* An identity from the store: the best match, even below the threshold. */
typedef struct mf_pipeline_identity {
    int matched;     /* 1 when the store returned an identity (ID, NAME, SCORE valid) */
    int accepted;    /* 1 when SCORE >= the identify threshold: the face is NAME; 0: unknown */
    uint32_t id;
    float score;     /* cosine similarity of the best template */
    char name[MF_STORE_NAME_MAX + 1];
} mf_pipeline_identity;

typedef struct mf_pipeline_face {
    mf_face face;            /* box, detection score, landmarks, in frame pixels */
    uint32_t track_id;       /* >= 1 with tracking, 0 without (or when no track slot was free) */
    int liveness_ran;        /* 1 when liveness ran on this face in this frame (LIVENESS valid) */
    mf_liveness_result liveness; /* this frame's check (when liveness_ran) */
    int live;                /* decision: 1 live, 0 spoof, -1 unknown (liveness off) */
    float live_score;        /* the score the decision is on: this frame's without tracking, the
                                track's mean with it; 1 when liveness is off */
    int recognizer_ran;      /* 1 when this face was embedded in this frame */
    const float *embedding;  /* that embedding (L2-normalised, mf_pipeline_embedding_dim floats), in
                                the workspace, valid until the next mf_pipeline_process; else NULL */
    mf_pipeline_identity identity; /* this frame's match (no tracking) or the track's (tracking);
                                      all zero for a spoof, without a store or before any embedding */
} mf_pipeline_face;

typedef struct mf_pipeline_result {
    uint32_t frame_index;    /* 0, 1, 2, ... frames processed since open/plan/reset */
    int detected;            /* faces the detector found above the score threshold */
    int face_count;          /* faces in FACES: the selected ones, at most max_faces */
    int truncated;           /* 1 when faces were left out for max_faces (SELECT_ALL only) */
    int detector_ran;        /* 1: this version runs the detector on every frame */
    int liveness_runs;       /* liveness checks in this frame */
    int recognizer_runs;     /* embeddings in this frame */
    int tracks_active;       /* tracks alive after this frame (0 without tracking) */
    mf_pipeline_face *faces; /* FACE_COUNT faces, in the workspace: valid until the next
                                mf_pipeline_process (copy what must outlive it) */
} mf_pipeline_result;

typedef struct mf_pipeline {
    /* Private. */
    mf_detector det;
    mf_liveness lv;
    mf_recognizer rec;
    mf_store *store;
    mf_pipeline_options opt;
    int has_recognizer;
    float live_threshold, identify_threshold;
    int32_t dim;
    int32_t frame_width, frame_height;  /* planned */
    int32_t net_width, net_height;      /* the detector's current plan */
    mf_pixel_format format;
    uint8_t *workspace;
    size_t det_ws, lv_ws, rec_ws, embed_bytes, track_bytes, workspace_bytes;
    uint8_t *arena;
    size_t arena_bytes, det_arena_max, lv_arena, rec_arena;
    float *face_embeddings;   /* max_faces x dim, in the workspace */
    float *mirror_embedding;  /* dim floats, in the workspace (embed_mirrored) */
    /* The per-face arrays, in the workspace: */
    mf_face *detections;              /* max(max_faces, MF_PIPELINE_DEFAULT_MAX_FACES): what the detector keeps */
    mf_face *selected;                /* max_faces */
    int *slots, *born;                /* max_faces each */
    mf_pipeline_face *faces;          /* max_faces: the result's */
    float turn_cos2;          /* cos^2 of recheck_turn_degrees */
    uint32_t frame_index;
    struct mf_tracker {       /* src/face/track.c */
        uint32_t next_id;
        int count;
        struct mf_track {
            uint32_t id;        /* 0: free slot */
            float box[4], landmarks[10];
            int missed;
            int checked;           /* 1 once liveness / the embedding ran on it */
            uint32_t last_check;   /* frame of the last liveness / embedding check */
            float check_area, check_eye[2]; /* box area and eye vector then */
            float live_scores[MF_TRACK_LIVE_WINDOW];
            int live_count;        /* scores seen (the window holds min(count, window)) */
            int live;              /* -1 unknown, 0 spoof, 1 live */
            float live_mean;
            int embeddings;        /* embeddings summed into TEMPLATE since the last reset */
            float *template_sum;   /* dim floats in the workspace */
            mf_pipeline_identity identity;
        } tracks[MF_PIPELINE_MAX_TRACKS];
    } tracker;
    int state;
} mf_pipeline;

/* Opens the models in MODELS (see mf_pipeline_models; the structs it points
 * at may go away after the call, the model files may not), with STORE
 * (optional, may be NULL: faces are embedded but not matched; mounted,
 * caller-owned, kept while the pipeline is used; only searched, never
 * written) and OPT (NULL = mf_pipeline_default_options()). Returns MF_OK,
 * MF_EINVAL (NULL PIPE or MODELS, no detector, bad option values, liveness
 * on without liveness models), MF_ECORRUPT / MF_EUNSUPPORTED (a model file,
 * or a "live_threshold" that is not a number in [0, 1]). */
int mf_pipeline_open(mf_pipeline *pipe, const mf_pipeline_models *models, mf_store *store,
                     const mf_pipeline_options *opt);

/* Replaces the options of an open pipeline (tracks are reset when tracking
 * changes; the stage hook may change too). max_faces and max_tracks size
 * the workspace and are fixed at open, detector_long_side is fixed by the
 * plan: changing them returns MF_ESTATE. On error the options stay as they
 * were. Returns MF_OK, MF_EINVAL or MF_ESTATE. */
int mf_pipeline_set_options(mf_pipeline *pipe, const mf_pipeline_options *opt);

/* Bytes of workspace mf_pipeline_plan needs: the models' tensor tables,
 * max_faces detections, results and embeddings, and max_tracks track
 * templates. 0 if not open. */
size_t mf_pipeline_workspace_bytes(const mf_pipeline *pipe);

/* Plans every network for frames of up to FRAME_WIDTH x FRAME_HEIGHT (in
 * either orientation) in FORMAT. WORKSPACE: caller-owned, 16-byte aligned,
 * >= mf_pipeline_workspace_bytes, kept while the pipeline is used. Writes
 * to *ARENA_BYTES the one arena mf_pipeline_bind needs: the largest of the
 * detector's (at both orientations), the liveness models' and the aligned
 * face plus the recognizer's. FORMAT: any mf_pixel_format (the stages sample
 * the frame directly: mf_detect_frame, mf_liveness_check_frame,
 * mf_align_face_frame). Resets the tracks. Returns MF_OK, MF_EINVAL (NULL,
 * unknown FORMAT, unaligned WORKSPACE), MF_ERANGE (frame size), MF_ENOMEM
 * (workspace too small), MF_EUNSUPPORTED (a recognizer whose dimension is
 * not MF_STORE_DIM while a store is given) or MF_ESTATE (not open). */
int mf_pipeline_plan(mf_pipeline *pipe, int32_t frame_width, int32_t frame_height, mf_pixel_format format,
                     void *workspace, size_t workspace_bytes, size_t *arena_bytes);

/* Hands the pipeline its ARENA (caller-owned, 16-byte aligned, >= the
 * planned bytes, kept while the pipeline is used; its contents are scratch
 * between calls). Returns MF_OK, MF_EINVAL, MF_ENOMEM or MF_ESTATE. */
int mf_pipeline_bind(mf_pipeline *pipe, void *arena, size_t arena_bytes);

/* Runs the pipeline on FRAME (read only; its format must be the planned one
 * and its sides fit the planned frame in either orientation) and fills
 * *OUT. Returns MF_OK; MF_ESTATE (not bound), MF_EINVAL (NULL, bad frame,
 * other format), MF_ERANGE (frame larger than planned), MF_ENOMEM (the
 * detector plan for this frame size does not fit), or a stage's error. */
int mf_pipeline_process(mf_pipeline *pipe, const mf_frame *frame, mf_pipeline_result *out);

/* Aligns FACE (its landmarks, e.g. from another detector or a fixed
 * layout) in FRAME and embeds it with the pipeline's recognizer, as
 * mf_pipeline_process embeds a live face (embed_mirrored included), into
 * EMBEDDING (mf_pipeline_embedding_dim floats, L2-normalised). No liveness
 * and no match. Returns MF_OK, MF_ESTATE (not bound), MF_EINVAL (NULL, no
 * recognizer, bad frame or other format), MF_ERANGE, or the recognizer's
 * error. */
int mf_pipeline_embed_face(mf_pipeline *pipe, const mf_frame *frame, const mf_face *face, float *embedding);

/* Ends every track (a new scene; ids keep counting up) and restarts frame
 * numbering. Returns MF_OK or MF_EINVAL. */
int mf_pipeline_reset_tracks(mf_pipeline *pipe);

/* The recognizer's embedding dimension (0 without a recognizer or before
 * open), its 1:1 threshold (for verify), and the liveness threshold and
 * identify threshold in use. */
int32_t mf_pipeline_embedding_dim(const mf_pipeline *pipe);
float mf_pipeline_verify_threshold(const mf_pipeline *pipe);
float mf_pipeline_liveness_threshold(const mf_pipeline *pipe);
float mf_pipeline_identify_threshold(const mf_pipeline *pipe);

/* Index of the largest face by box area (the first of equal areas) among
 * COUNT faces, or -1 when COUNT <= 0 or FACES is NULL. */
int mf_pipeline_largest_face(const mf_face *faces, int count);

/* Index of the face whose box centre is nearest (WIDTH / 2, HEIGHT / 2)
 * (the first of equal distances), or -1. */
int mf_pipeline_centre_face(const mf_face *faces, int count, int32_t width, int32_t height);

/* The networks, for reports (statistics, input types): valid after open;
 * NULL for an absent one. */
const mf_detector *mf_pipeline_detector(const mf_pipeline *pipe);
const mf_liveness *mf_pipeline_liveness(const mf_pipeline *pipe);
const mf_recognizer *mf_pipeline_recognizer(const mf_pipeline *pipe);

/* Arena bytes of each part of the plan (for reports): which = 0 detector
 * (largest over both orientations), 1 liveness, 2 recognizer + aligned face. */
size_t mf_pipeline_arena_part(const mf_pipeline *pipe, int which);
#endif
