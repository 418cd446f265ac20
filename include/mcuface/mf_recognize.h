/* Face recognition: alignment to the canonical 112x112 view and embeddings
 * from a recognizer model file (EdgeFace, MobileFaceNet). Embeddings are
 * L2-normalised, so the cosine similarity of two faces is their dot product.
 * No allocation: the caller owns the workspace and arena, as for
 * mf_detector (include/mcuface/mf_detect.h).
 *
 * Thread safety: the library has no global mutable state. One mf_recognizer
 * (with its workspace and arena) is used by one thread at a time: calls on
 * it must not overlap, not even mf_embed on two faces. Separate objects are
 * independent and may run in parallel threads, also over one shared
 * read-only model blob.
 * mf_align_face and mf_cosine_similarity touch only their arguments: any
 * thread, any time, on buffers no other thread writes. */
#ifndef MCUFACE_MF_RECOGNIZE_H
#define MCUFACE_MF_RECOGNIZE_H
#include <stddef.h>
#include <stdint.h>
#include "mcuface/mf_detect.h"
#include "mcuface/mf_frame.h"
#include "mcuface/mf_image.h"
#include "mcuface/mf_model.h"

#define MF_ALIGNED_SIZE 112
#define MF_EMBEDDING_MAX_DIM 512

/* Warps the face with five LANDMARKS (x, y interleaved, original pixels) in
 * IMAGE to the 112x112 ArcFace template: least-squares similarity
 * (rotation, uniform scale, translation), bilinear sampling, pixels outside
 * the image read as black (as cv2.warpAffine's default). ALIGNED must be a
 * caller-owned 112x112 RGB888 image. Returns MF_OK or MF_EINVAL. */
int mf_align_face(const mf_image *image, const float landmarks[10], mf_image *aligned);

/* mf_align_face on a camera FRAME (any mf_pixel_format, caller-owned, only
 * read; LANDMARKS in frame pixels): the 112x112 warp samples the frame
 * directly. Bit for bit mf_align_face on mf_frame_to_image(FRAME);
 * mf_align_face is mf_frame_from_image + this. Returns MF_OK or MF_EINVAL. */
int mf_align_face_frame(const mf_frame *frame, const float landmarks[10], mf_image *aligned);

typedef struct mf_recognizer {
    /* Private. */
    mf_model model;
    int32_t dim;
    float mean[3], scale[3];
    int swap_rb;
    float threshold;
    int state;
} mf_recognizer;

/* Opens a recognizer model file (kind=recognizer; input [1,112,112,3],
 * output [1,D]); BLOB is used in place. Reads the preprocessing and the
 * verification threshold from the file's metadata. Returns MF_OK,
 * MF_ECORRUPT, MF_EUNSUPPORTED or MF_EINVAL. */
int mf_recognizer_open(mf_recognizer *rec, const void *blob, size_t size);
size_t mf_recognizer_workspace_bytes(const mf_recognizer *rec);
/* Plans the model (WORKSPACE caller-owned, kept while used) and reports the
 * arena mf_recognizer_bind needs. */
int mf_recognizer_plan(mf_recognizer *rec, void *workspace, size_t workspace_bytes, size_t *arena_bytes);
int mf_recognizer_bind(mf_recognizer *rec, void *arena, size_t arena_bytes);

/* Embedding dimension (e.g. 512), 0 before planning. */
int32_t mf_recognizer_dim(const mf_recognizer *rec);
/* The 1:1 verification threshold stored with the model (cosine), or the
 * value set with mf_recognizer_set_threshold. */
float mf_recognizer_threshold(const mf_recognizer *rec);
int mf_recognizer_set_threshold(mf_recognizer *rec, float threshold);

/* Embeds the aligned 112x112 RGB face into EMBEDDING (DIM floats, at least
 * mf_recognizer_dim), L2-normalised. Returns MF_OK, MF_EINVAL or MF_ESTATE. */
int mf_embed(mf_recognizer *rec, const mf_image *aligned, float *embedding, int32_t dim);

/* Cosine similarity of two L2-normalised embeddings (their dot product). */
float mf_cosine_similarity(const float *a, const float *b, int32_t dim);

const mf_model_stats *mf_recognizer_stats(const mf_recognizer *rec);
#endif
