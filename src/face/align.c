/* Face alignment: the five landmarks onto the ArcFace 112x112 template. */
#include "mcuface/mf_recognize.h"
#include "mcuface/mf_status.h"
#include "vision/similarity.h"
#include "vision/warp.h"

int mf_align_face(const mf_image *image, const float landmarks[10], mf_image *aligned)
{
    if (!image || image->channels != 3) return MF_EINVAL;
    mf_frame frame;
    int err = mf_frame_from_image(image, &frame);
    if (err) return err;
    return mf_align_face_frame(&frame, landmarks, aligned);
}

int mf_align_face_frame(const mf_frame *frame, const float landmarks[10], mf_image *aligned)
{
    if (!frame || !landmarks || !aligned || aligned->width != MF_ALIGNED_SIZE || aligned->height != MF_ALIGNED_SIZE ||
        aligned->channels != 3)
        return MF_EINVAL;
    double m[6];
    int err = mf_similarity_estimate(landmarks, mf_arcface_template_112, 5, m);
    if (err) return err;
    return mf_warp_affine_frame(frame, m, MF_BORDER_ZERO, aligned);
}
