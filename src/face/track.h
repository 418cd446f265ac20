/* Face tracks across frames (private to the pipeline; the rules are the
 * ones include/mcuface/mf_pipeline.h documents under "Tracking"). Plain
 * float arithmetic, no libm calls, so the host and the Cortex-M55 take the
 * same decisions. */
#ifndef MCUFACE_FACE_TRACK_H
#define MCUFACE_FACE_TRACK_H
#include "mcuface/mf_pipeline.h"

typedef struct mf_tracker mf_tracker;
typedef struct mf_track mf_track;

typedef struct mf_track_params {
    int max_tracks;        /* 1..MF_PIPELINE_MAX_TRACKS */
    float min_iou;         /* a pair needs IoU >= this */
    float max_shift;       /* and RMS landmark displacement <= this x the track box's longer side */
    int max_missed;        /* frames without a detection that end a track */
    int recheck_interval;  /* frames between checks (0: never by interval) */
    float grow_ratio;      /* box area / area at the last check that triggers one (0: never) */
    float turn_cos2;       /* cos^2 of the eye-line angle change that triggers one (> 1: never) */
} mf_track_params;

/* Ends every track; ids keep counting up (KEEP_IDS) or restart at 1. The
 * template pointers stay. */
void mf_tracker_reset(mf_tracker *tracker, int keep_ids);

/* One frame: pairs COUNT detections (best score first) with the active
 * tracks, ages and ends the unpaired tracks, starts tracks for unpaired
 * detections while slots are free. Writes to SLOT[i] the track slot of
 * detection i (-1: no free slot) and to BORN[i] 1 when it started this
 * frame. Returns the number of active tracks. */
int mf_tracker_update(mf_tracker *tracker, const mf_track_params *params, const mf_face *faces, int count,
                      int *slot, int *born);

/* 1 when liveness and the embedding are due on TRACK's face FACE in frame
 * FRAME: never checked, RECHECK_INTERVAL frames since the last check, the
 * box grew by GROW_RATIO, or the eye line turned by the angle. */
int mf_track_check_due(const mf_track *track, const mf_track_params *params, const mf_face *face, uint32_t frame);

/* Records a check of FACE in frame FRAME (the reference for the triggers). */
void mf_track_note_check(mf_track *track, const mf_face *face, uint32_t frame);

/* Adds a live score to the window and decides: live when the window's mean
 * >= THRESHOLD. A spoof decision clears the identity and the template.
 * Returns the decision (1 live, 0 spoof). */
int mf_track_add_live_score(mf_track *track, float score, float threshold, int32_t dim);

/* Adds an L2-normalised embedding (DIM floats) to the running template. */
void mf_track_add_embedding(mf_track *track, const float *embedding, int32_t dim);

/* cos^2 of DEGREES (0..90) from a Taylor series in double (no libm). */
float mf_track_cos2_degrees(float degrees);
#endif
