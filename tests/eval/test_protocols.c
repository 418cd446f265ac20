/* The evaluation protocols on hand-computed cases. */
#include "mf_test.h"
#include "lfw_protocol.h"
#include "widerface_ap.h"
#include <stdlib.h>
#include <string.h>

static void best_threshold_separates_when_possible(void)
{
    /* fold 0: same at 0.9, 0.8; different at 0.3, 0.1 -> any t in [0.3, 0.8) is perfect; the sweep picks the midpoint 0.55 */
    lfw_pair p[] = {{0, 1, 0.9f}, {0, 1, 0.8f}, {0, 0, 0.3f}, {0, 0, 0.1f}};
    MF_CHECK_NEAR(lfw_best_threshold(p, 4, -1), 0.55, 1e-6);
    MF_CHECK_NEAR(lfw_accuracy(p, 4, -1, 0.55), 1.0, 0);
    /* an overlap: same at 0.4, different at 0.5 -> 3 of 4 right at best */
    lfw_pair q[] = {{0, 1, 0.9f}, {0, 1, 0.4f}, {0, 0, 0.5f}, {0, 0, 0.1f}};
    double t = lfw_best_threshold(q, 4, -1);
    MF_CHECK_NEAR(lfw_accuracy(q, 4, -1, t), 0.75, 1e-12);
}

static void folds_choose_thresholds_elsewhere(void)
{
    /* Fold 1's data would pick a threshold near 0.75, but fold 1 is scored with the one learnt on fold 0 (0.45). */
    lfw_pair p[] = {{0, 1, 0.5f}, {0, 0, 0.4f}, {1, 1, 0.8f}, {1, 0, 0.7f}};
    lfw_result r;
    MF_CHECK_EQ_INT(lfw_evaluate(p, 4, 2, 0.0, &r), 0);
    MF_CHECK_NEAR(r.thresholds[1], 0.45, 1e-6);
    MF_CHECK_NEAR(r.thresholds[0], 0.75, 1e-6);
    /* fold 0 at 0.75: both rejected -> 0.5; fold 1 at 0.45: both accepted -> 0.5 */
    MF_CHECK_NEAR(r.accuracy, 0.5, 1e-12);
    MF_CHECK_NEAR(r.std, 0.0, 1e-12);
}

static void tar_at_far_counts_allowed_false_accepts(void)
{
    /* 2000 impostors -> 2 false accepts allowed: threshold = third highest impostor score. */
    size_t n = 2000 + 10;
    lfw_pair *p = calloc(n, sizeof *p);
    for (size_t i = 0; i < 2000; i++) p[i].similarity = (float)i / 4000.0f; /* 0 .. 0.49975 */
    for (size_t i = 0; i < 10; i++) {
        p[2000 + i].same = 1;
        p[2000 + i].similarity = i < 7 ? 0.9f : 0.499f; /* 7 above, 3 below the threshold */
    }
    lfw_result r;
    MF_CHECK_EQ_INT(lfw_evaluate(p, n, 1, 0.5, &r), 0);
    MF_CHECK_NEAR(r.far_threshold, 1997.0 / 4000.0, 1e-6);
    MF_CHECK_NEAR(r.tar_at_far_1e3, 0.7, 1e-12);
    /* The overall best threshold sits between the top impostor (0.49975) and
     * the 7 high genuine pairs: 3 of 10 genuine rejected, no impostor accepted. */
    MF_CHECK(r.overall_threshold > 0.49975 && r.overall_threshold < 0.9);
    MF_CHECK_NEAR(r.far_at_overall, 0.0, 0);
    MF_CHECK_NEAR(r.frr_at_overall, 0.3, 1e-12);
    free(p);
}

static void widerface_ap_on_hand_cases(void)
{
    wider_gt_box gt[2] = {{10, 10, 20, 20, WIDER_EASY | WIDER_MEDIUM | WIDER_HARD}, {100, 100, 20, 20, WIDER_HARD}};
    wider_pred_box pred[3] = {{10, 10, 30, 30, 0.9f}, {100, 100, 120, 120, 0.8f}, {200, 200, 220, 220, 0.7f}};
    wider_image im;
    memset(&im, 0, sizeof im);
    im.gt = gt;
    im.gt_count = 2;
    im.pred = pred;
    im.pred_count = 3;
    /* hard: both faces found by the top two detections, then a false positive: AP 1 */
    MF_CHECK_NEAR(wider_average_precision(&im, 1, WIDER_HARD), 1.0, 1e-9);
    /* easy: the second face is ignored (neither TP nor FP), the third detection is an FP after full recall: AP 1 */
    MF_CHECK_NEAR(wider_average_precision(&im, 1, WIDER_EASY), 1.0, 1e-9);
    /* a false positive ranked first halves the precision at recall 1/2 ... */
    wider_pred_box worse[3] = {{200, 200, 220, 220, 0.95f}, {10, 10, 30, 30, 0.9f}, {100, 100, 120, 120, 0.8f}};
    im.pred = worse;
    /* hard: precision 1/2 at recall 1/2, 2/3 at recall 1 -> envelope 2/3 over both halves */
    MF_CHECK_NEAR(wider_average_precision(&im, 1, WIDER_HARD), 2.0 / 3.0, 1e-9);
}

int main(void)
{
    MF_RUN(best_threshold_separates_when_possible);
    MF_RUN(folds_choose_thresholds_elsewhere);
    MF_RUN(tar_at_far_counts_allowed_false_accepts);
    MF_RUN(widerface_ap_on_hand_cases);
    return mf_test_summary();
}
