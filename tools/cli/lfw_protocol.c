#include "lfw_protocol.h"
#include "mcuface/mf_status.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int by_similarity(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

double lfw_accuracy(const lfw_pair *pairs, size_t count, int fold, double threshold)
{
    size_t right = 0, total = 0;
    for (size_t i = 0; i < count; i++) {
        if (fold >= 0 && pairs[i].fold != fold) continue;
        total++;
        right += (pairs[i].similarity > threshold) == (pairs[i].same != 0);
    }
    return total ? (double)right / (double)total : 0.0;
}

double lfw_best_threshold(const lfw_pair *pairs, size_t count, int skip_fold)
{
    /* Sweep the sorted similarities: moving the threshold past a pair flips
     * only that pair's decision. */
    typedef struct { float s; int same; } item;
    item *items = malloc((count ? count : 1) * sizeof *items);
    if (!items) return 0.0;
    size_t n = 0, positives = 0;
    for (size_t i = 0; i < count; i++) {
        if (pairs[i].fold == skip_fold) continue;
        items[n].s = pairs[i].similarity;
        items[n].same = pairs[i].same;
        positives += pairs[i].same != 0;
        n++;
    }
    qsort(items, n, sizeof *items, by_similarity);
    /* threshold below everything: all accepted, right = positives */
    long right = (long)positives, best = right;
    double best_t = n ? (double)items[0].s - 1e-6 : 0.0;
    for (size_t i = 0; i < n; i++) {
        right += items[i].same ? -1 : 1; /* items[0..i] now rejected */
        if (i + 1 < n && items[i + 1].s == items[i].s) continue;
        if (right > best) {
            best = right;
            best_t = i + 1 < n ? 0.5 * ((double)items[i].s + (double)items[i + 1].s) : (double)items[i].s;
        }
    }
    free(items);
    return best_t;
}

int lfw_evaluate(const lfw_pair *pairs, size_t count, int folds, double fallback_threshold, lfw_result *r)
{
    if (!pairs || !r || folds < 1 || folds > 10) return MF_EINVAL;
    memset(r, 0, sizeof *r);
    r->folds = folds;
    double sum = 0, sum_sq = 0;
    for (int f = 0; f < folds; f++) {
        double t = folds > 1 ? lfw_best_threshold(pairs, count, f) : fallback_threshold;
        double acc = lfw_accuracy(pairs, count, f, t);
        r->thresholds[f] = t;
        sum += acc;
        sum_sq += acc * acc;
    }
    r->accuracy = sum / folds;
    double var = sum_sq / folds - r->accuracy * r->accuracy;
    r->std = var > 0 ? sqrt(var) : 0.0;

    /* TAR at FAR = 1e-3: accept when similarity > the (k+1)-th highest
     * impostor score, k = floor(1e-3 x impostor pairs) false accepts allowed. */
    size_t negatives = 0, positives = 0;
    for (size_t i = 0; i < count; i++) negatives += !pairs[i].same;
    positives = count - negatives;
    float *neg = malloc((negatives ? negatives : 1) * sizeof *neg);
    if (!neg) return MF_ENOMEM;
    size_t k = 0;
    for (size_t i = 0; i < count; i++)
        if (!pairs[i].same) neg[k++] = pairs[i].similarity;
    qsort(neg, negatives, sizeof *neg, by_similarity);
    size_t allowed = (size_t)floor(1e-3 * (double)negatives);
    double t = negatives ? neg[negatives - 1 - (allowed < negatives ? allowed : negatives - 1)] : 1.0;
    size_t accepted = 0;
    for (size_t i = 0; i < count; i++) accepted += pairs[i].same && pairs[i].similarity > t;
    r->far_threshold = t;
    r->overall_threshold = lfw_best_threshold(pairs, count, -1);
    size_t false_accepts = 0, false_rejects = 0;
    for (size_t i = 0; i < count; i++) {
        int accepted = pairs[i].similarity > r->overall_threshold;
        false_accepts += !pairs[i].same && accepted;
        false_rejects += pairs[i].same && !accepted;
    }
    r->far_at_overall = negatives ? (double)false_accepts / (double)negatives : 0.0;
    r->frr_at_overall = positives ? (double)false_rejects / (double)positives : 0.0;
    r->tar_at_far_1e3 = positives ? (double)accepted / (double)positives : 0.0;
    free(neg);
    return MF_OK;
}
