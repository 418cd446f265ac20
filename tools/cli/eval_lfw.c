/* mcuface eval lfw --data DIR [options] (lfw_options; mcuface eval lfw --help)
 * The official 10-fold LFW protocol run end to end from the raw 250x250
 * images: detect at the original scale (the face nearest the centre when
 * several), align, embed, cosine. An image without a detected face falls
 * back to a fixed central crop (FALLBACK below) and is counted in no_face.
 * --precision applies to the detector and the recognizer; the reported
 * threshold of the stored model is the one in the recognizer file used.
 * --embeddings FILE writes every image's embedding, one line each:
 * "PERSON/IMAGE.jpg v0 v1 ..." (for bench/lfw_thresholds.py: all-pairs
 * false-accept rates far below what the 3,000 impostor pairs can show). */
#define _POSIX_C_SOURCE 200809L
#include "cli_pipeline.h"
#include "cli_recognizer.h"
#include "lfw_protocol.h"
#include "mcuface/mf_status.h"
#include "mcuface/mf_image_file.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Faces the one nearest the centre is chosen among. */
#define MAX_FACES 64

typedef struct lfw_image {
    char path[200];
    float *embedding;
    int no_face;
    int error;
} lfw_image;

typedef struct lfw_job {
    lfw_image *images;
    size_t count;
    size_t *next; /* shared work counter */
    size_t *done;
    pthread_mutex_t *lock;
    const char *data;
    const char *detector_path, *recognizer_path; /* resolved once, before the threads */
    int32_t dim;
    int flip;
    int status;
} lfw_job;

static int by_path(const void *a, const void *b) { return strcmp(((const lfw_image *)a)->path, ((const lfw_image *)b)->path); }

/* The fallback aligned view: the template scaled so the 112x112 frame covers
 * the central 150x150 region of the 250x250 deep-funneled image, where LFW
 * centres its faces. */
static void fallback_landmarks(int width, int height, float lm[10])
{
    extern const float mf_arcface_template_112[10];
    float s = 150.0f / 112.0f;
    for (int k = 0; k < 5; k++) {
        lm[2 * k] = (float)width / 2 + (mf_arcface_template_112[2 * k] - 56.0f) * s;
        lm[2 * k + 1] = (float)height / 2 + (mf_arcface_template_112[2 * k + 1] - 56.0f) * s;
    }
}

static void *embed_worker(void *arg)
{
    lfw_job *job = arg;
    /* Resolved files: the precision no longer picks anything. The face
     * nearest the centre, not judged for liveness (LFW holds no attacks). */
    cli_pipeline_spec spec = {.detector = job->detector_path, .recognizer = 1, .recognizer_name = job->recognizer_path,
                              .precision = CLI_PRECISION_FLOAT32};
    mf_pipeline_options opt = mf_pipeline_default_options();
    opt.detector_long_side = 0;
    opt.tracking = 0;
    opt.select = MF_PIPELINE_SELECT_CENTRE;
    opt.max_faces = MAX_FACES;
    opt.embed_mirrored = job->flip;
    cli_pipeline cp;
    if (cli_pipeline_open(&cp, &spec, NULL, &opt)) {
        job->status = 1;
        return NULL;
    }
    for (;;) {
        pthread_mutex_lock(job->lock);
        size_t i = (*job->next)++;
        pthread_mutex_unlock(job->lock);
        if (i >= job->count) break;
        lfw_image *im = &job->images[i];
        char path[4096];
        snprintf(path, sizeof path, "%s/lfw-deepfunneled/%s", job->data, im->path);
        mf_image img;
        int err = mf_image_load(path, &img);
        if (err) {
            fprintf(stderr, "mcuface: cannot read %s: %s\n", path, mf_status_str(err));
            im->error = err;
            job->status = 1;
            continue;
        }
        mf_pipeline_result r;
        int failed = cli_pipeline_image(&cp, &img, path, &r);
        if (!failed && r.face_count > 0) {
            memcpy(im->embedding, r.faces[0].embedding, (size_t)job->dim * sizeof(float));
        } else if (!failed) {
            mf_face fallback;
            memset(&fallback, 0, sizeof fallback);
            im->no_face = 1;
            fallback_landmarks(img.width, img.height, fallback.landmarks);
            if ((err = cli_pipeline_embed_face(&cp, &img, &fallback, im->embedding)) != MF_OK)
                failed = cli_fail(path, err);
        }
        if (failed) {
            im->error = MF_EINVAL;
            job->status = 1;
        }
        mf_image_free(&img);
        pthread_mutex_lock(job->lock);
        size_t done = ++*job->done;
        pthread_mutex_unlock(job->lock);
        cli_progress("lfw", done, job->count);
    }
    cli_pipeline_close(&cp);
    return NULL;
}

typedef struct pair_names {
    char a[200], b[200];
    int same, fold;
} pair_names;

/* --embeddings: one line per image, its path under the data folder and its
 * embedding (%.9g: float32 round-trips). Written to a temporary name and
 * renamed, so a failed run leaves no half file. */
static int write_embeddings(const char *path, const lfw_image *images, size_t count, int32_t dim)
{
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f) {
        fprintf(stderr, "mcuface: cannot write %s\n", tmp);
        return 1;
    }
    for (size_t i = 0; i < count; i++) {
        fputs(images[i].path, f);
        for (int32_t k = 0; k < dim; k++) fprintf(f, " %.9g", images[i].embedding[k]);
        fputc('\n', f);
    }
    if (fclose(f) || rename(tmp, path)) {
        fprintf(stderr, "mcuface: cannot write %s\n", path);
        remove(tmp);
        return 1;
    }
    return 0;
}

/* Reads pairs.txt; returns the pair count or a negative status. */
static int read_pairs(const char *path, int folds, pair_names **out)
{
    FILE *f = fopen(path, "r");
    if (!f) return MF_ENOTFOUND;
    int sets, per;
    if (fscanf(f, "%d %d", &sets, &per) != 2 || sets < 1 || sets > 10 || per < 1 || per > 10000) {
        fclose(f);
        return MF_ECORRUPT;
    }
    if (folds > sets) folds = sets;
    size_t total = (size_t)folds * 2 * (size_t)per;
    pair_names *pairs = calloc(total, sizeof *pairs);
    if (!pairs) { fclose(f); return MF_ENOMEM; }
    for (size_t i = 0; i < total; i++) {
        char n1[64], n2[64];
        int i1, i2;
        pair_names *p = &pairs[i];
        p->fold = (int)(i / (2 * (size_t)per));
        p->same = (i % (2 * (size_t)per)) < (size_t)per;
        int ok = p->same ? fscanf(f, "%63s %d %d", n1, &i1, &i2) == 3 : fscanf(f, "%63s %d %63s %d", n1, &i1, n2, &i2) == 4;
        if (!ok || i1 < 1 || i2 < 1 || i1 > 9999 || i2 > 9999) {
            free(pairs);
            fclose(f);
            return MF_ECORRUPT;
        }
        if (p->same) strcpy(n2, n1);
        snprintf(p->a, sizeof p->a, "%s/%s_%04d.jpg", n1, n1, i1);
        snprintf(p->b, sizeof p->b, "%s/%s_%04d.jpg", n2, n2, i2);
    }
    fclose(f);
    *out = pairs;
    return (int)total;
}

typedef struct lfw_args {
    const char *data, *recognizer, *embeddings;
    cli_precision precision;
    int json, flip;
    long folds, jobs;
} lfw_args;

static const cli_option lfw_options[] = {
    CLI_OPT("--data", CLI_ARG_STRING, lfw_args, data, "DIR", "LFW (DIR/pairs.txt and the images)", .required = 1),
    CLI_OPTION_RECOGNIZER(lfw_args),
    CLI_OPT("--folds", CLI_ARG_LONG, lfw_args, folds, "K",
        "the first K of the 10 folds (default 10)", .min = 1, .max = 10),
    CLI_OPTION_JSON(lfw_args),
    CLI_OPTION_PRECISION(lfw_args),
    CLI_OPT("--embeddings", CLI_ARG_STRING, lfw_args, embeddings, "FILE",
        "write every image's embedding to FILE, one line each (bench/lfw_thresholds.py)"),
    CLI_OPT("--flip", CLI_ARG_FLAG, lfw_args, flip, NULL, "add the embedding of the mirrored face (test-time flip)"),
    CLI_OPT("--jobs", CLI_ARG_LONG, lfw_args, jobs, "N", "threads (default: one per core)", .min = 1, .max = 64),
};

const cli_command cli_eval_lfw_command = {
    "eval lfw", NULL, "10-fold LFW verification accuracy end to end from the raw images", NULL, lfw_options,
    CLI_COUNT(lfw_options), 0, 0, NULL,
};

int eval_lfw(int argc, char **argv)
{
    lfw_args a = {.recognizer = CLI_DEFAULT_RECOGNIZER, .precision = CLI_DEFAULT_PRECISION, .folds = 10,
                  .jobs = sysconf(_SC_NPROCESSORS_ONLN)};
    int positional = 0, status = cli_args_parse(&cli_eval_lfw_command, argc, argv, &a, &positional);
    if (status != CLI_ARGS_RUN) return status;
    const char *data = a.data, *recognizer = a.recognizer, *embeddings_path = a.embeddings;
    cli_precision precision = a.precision;
    int json = a.json, flip = a.flip;
    long folds = a.folds, jobs = a.jobs;
    /* Resolved here so that a missing model is one line, not one per thread. */
    static char detector_path[8192], recognizer_path[8192], recognizer_name[256];
    if (cli_model_resolve(CLI_DEFAULT_DETECTOR, precision, detector_path, sizeof detector_path) ||
        cli_model_resolve(recognizer, precision, recognizer_path, sizeof recognizer_path))
        return 1;
    if (cli_is_model_file(recognizer) || cli_model_name_at(recognizer, precision, recognizer_name, sizeof recognizer_name))
        snprintf(recognizer_name, sizeof recognizer_name, "%s", recognizer);
    if (jobs < 1) jobs = 1;
    char path[4096];
    snprintf(path, sizeof path, "%s/pairs.txt", data);
    pair_names *pairs = NULL;
    int pair_count = read_pairs(path, (int)folds, &pairs);
    if (pair_count < 0) {
        fprintf(stderr, "mcuface: cannot read %s: %s\n", path, mf_status_str(pair_count));
        return 1;
    }
    /* Unique images, each embedded once. */
    lfw_image *images = calloc(2 * (size_t)pair_count, sizeof *images);
    size_t n = 0;
    for (int i = 0; i < pair_count; i++) {
        snprintf(images[n++].path, sizeof images->path, "%s", pairs[i].a);
        snprintf(images[n++].path, sizeof images->path, "%s", pairs[i].b);
    }
    qsort(images, n, sizeof *images, by_path);
    size_t unique = 0;
    for (size_t i = 0; i < n; i++)
        if (unique == 0 || strcmp(images[unique - 1].path, images[i].path)) images[unique++] = images[i];

    /* The embedding size comes from the model; open it once to ask. */
    cli_recognizer probe;
    if (cli_recognizer_open(&probe, recognizer_path, precision)) {
        free(images);
        free(pairs);
        return 1;
    }
    int32_t dim = mf_recognizer_dim(&probe.rec);
    double stored_threshold = mf_recognizer_threshold(&probe.rec);
    cli_recognizer_close(&probe);
    float *embeddings = calloc(unique * (size_t)dim, sizeof *embeddings);
    for (size_t i = 0; i < unique; i++) images[i].embedding = embeddings + i * (size_t)dim;

    size_t next = 0, done = 0;
    pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    lfw_job job = {images, unique, &next, &done, &lock, data, detector_path, recognizer_path, dim, flip, 0};
    pthread_t threads[64];
    lfw_job per_thread[64];
    for (long t = 0; t < jobs; t++) {
        per_thread[t] = job;
        pthread_create(&threads[t], NULL, embed_worker, &per_thread[t]);
    }
    status = 0;
    for (long t = 0; t < jobs; t++) {
        pthread_join(threads[t], NULL);
        status |= per_thread[t].status;
    }
    if (!status) {
        lfw_pair *scored = calloc((size_t)pair_count, sizeof *scored);
        size_t no_face = 0;
        for (size_t i = 0; i < unique; i++) no_face += images[i].no_face;
        for (int i = 0; i < pair_count; i++) {
            lfw_image key;
            snprintf(key.path, sizeof key.path, "%s", pairs[i].a);
            const lfw_image *a = bsearch(&key, images, unique, sizeof *images, by_path);
            snprintf(key.path, sizeof key.path, "%s", pairs[i].b);
            const lfw_image *b = bsearch(&key, images, unique, sizeof *images, by_path);
            scored[i].fold = pairs[i].fold;
            scored[i].same = pairs[i].same;
            scored[i].similarity = mf_cosine_similarity(a->embedding, b->embedding, dim);
        }
        lfw_result r;
        lfw_evaluate(scored, (size_t)pair_count, (int)folds, stored_threshold, &r);
        if (json) {
            printf("{\"accuracy\":%.5f,\"std\":%.5f,\"tar_at_far_1e-3\":%.5f,\"threshold\":%.4f,\"far\":%.5f,\"frr\":%.5f,\"no_face\":%zu,\"pairs\":%d,\"images\":%zu,"
                   "\"folds\":%ld,\"recognizer\":\"%s\",\"precision\":\"%s\",\"flip\":%s,\"thresholds\":[",
                   r.accuracy, r.std, r.tar_at_far_1e3, r.overall_threshold, r.far_at_overall, r.frr_at_overall, no_face, pair_count, unique, folds, recognizer_name,
                   cli_precision_name(precision), flip ? "true" : "false");
            for (int f = 0; f < r.folds; f++) printf("%s%.4f", f ? "," : "", r.thresholds[f]);
            printf("]}\n");
        } else {
            printf("LFW %s: accuracy %.2f%% +- %.2f (%ld folds, %d pairs), TAR@FAR=1e-3 %.2f%%, %zu of %zu images without a face\n",
                   recognizer_name, 100 * r.accuracy, 100 * r.std, folds, pair_count, 100 * r.tar_at_far_1e3, no_face, unique);
        }
        free(scored);
        if (embeddings_path && write_embeddings(embeddings_path, images, unique, dim)) status = 1;
    }
    free(embeddings);
    free(images);
    free(pairs);
    return status;
}
