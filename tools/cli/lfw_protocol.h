/* The LFW verification protocol (pairs.txt: 10 folds of 300 same + 300
 * different pairs): per fold, the threshold that maximises accuracy on the
 * other folds, accuracy on the fold itself; mean and population std over
 * folds; TAR at FAR = 1e-3 over all pairs. Pure computation, host only. */
#ifndef MCUFACE_LFW_PROTOCOL_H
#define MCUFACE_LFW_PROTOCOL_H
#include <stddef.h>

typedef struct lfw_pair {
    int fold;         /* 0-based */
    int same;         /* 1 = same person */
    float similarity; /* cosine */
} lfw_pair;

typedef struct lfw_result {
    double accuracy, std;
    double tar_at_far_1e3, far_threshold;
    double thresholds[10];
    int folds;
    /* The threshold that maximises accuracy over all pairs (what a model
     * ships with), and its false accept / false reject rates there. */
    double overall_threshold, far_at_overall, frr_at_overall;
} lfw_result;

/* Threshold maximising accuracy (similarity > t means same) over PAIRS whose
 * fold differs from SKIP_FOLD (-1: all). Candidates are midpoints between
 * consecutive sorted similarities; ties keep the smallest threshold. */
double lfw_best_threshold(const lfw_pair *pairs, size_t count, int skip_fold);

/* Accuracy of THRESHOLD on the pairs of FOLD (-1: all). */
double lfw_accuracy(const lfw_pair *pairs, size_t count, int fold, double threshold);

/* Runs the protocol over FOLDS folds (1..10). With one fold there is
 * nothing to choose a threshold on, so FALLBACK_THRESHOLD is used. */
int lfw_evaluate(const lfw_pair *pairs, size_t count, int folds, double fallback_threshold, lfw_result *result);
#endif
