/* mcuface identify --db FILE --key-file KEY IMAGE [options] (identify_options;
 * mcuface identify --help)
 * Every detected face is checked for liveness, embedded and searched 1:N in
 * the store at the store's identify threshold, or T (pick it for the size of
 * the gallery: docs/STORE.md "Thresholds"). A face judged a spoof is
 * reported with "live":false and is never matched. "score" is the best
 * cosine score in the store (also when below the threshold, so a near miss
 * is visible); "id" and "name" are null unless it reaches the threshold.
 * At most --max-faces faces (default 64, best detection scores) are
 * reported; "faces_found" counts all, "faces_truncated" says if some were
 * left out (and a warning goes to stderr). -o OUT.png draws them on the image.
 */
#include "cli_annotate.h"
#include "cli_store.h"
#include "mcuface/mf_image_file.h"
#include "mcuface/mf_status.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct identify_result {
    int matched;     /* reached the store's 1:N threshold */
    int has_score;   /* 0 for a spoof or an empty store */
    float score;     /* best cosine score in the store */
    mf_store_identity who;
} identify_result;

static int search(const mf_store *store, const float *embedding, float threshold, identify_result *r)
{
    mf_store_match best;
    int n = mf_store_identify(store, embedding, threshold, &best, 1);  /* negative: the store's 1:N threshold */
    if (n > 0) r->matched = mf_store_find_id(store, best.id, &r->who) == MF_OK;
    else if (n == 0) n = mf_store_identify(store, embedding, 0.0f, &best, 1);  /* the near miss, for its score */
    if (n < 0) return n;
    r->has_score = n > 0;
    r->score = n > 0 ? best.score : 0;
    return MF_OK;
}

static const cli_option identify_options[] = {
    CLI_STORE_OPTION_PATHS,
    CLI_OPTION_JSON(cli_store_options),
    CLI_OPT("--no-liveness", CLI_ARG_CLEAR, cli_store_options, liveness, NULL, "skip the anti-spoofing check"),
    CLI_OPT("--threshold", CLI_ARG_FLOAT, cli_store_options, threshold, "T",
        "1:N match when the cosine score is >= T (default: the store's; docs/STORE.md \"Thresholds\")",
        .min = 0, .max = 1, .max_open = 0, .meaning = "a cosine"),
    CLI_OPT("-o", CLI_ARG_STRING, cli_store_options, out_path, "OUT.png",
        "the image with each face's box, name (or UNKNOWN), score and LIVE/SPOOF"),
    CLI_OPTION_RECOGNIZER(cli_store_options),
    CLI_OPTION_SIZE(cli_store_options),
    CLI_OPTION_PRECISION(cli_store_options),
    CLI_OPTION_MAX_FACES(cli_store_options),
    CLI_STORE_OPTION_WAIT,
};

/* The image again, with every face's decision drawn on it, as a PNG. */
static int write_annotated(const char *image_path, const char *out_path, const cli_face_result *faces,
                           const identify_result *results, int count, int liveness)
{
    cli_annotation *notes = calloc(count > 0 ? (size_t)count : 1, sizeof *notes);
    if (!notes) return cli_fail(out_path, MF_ENOMEM);
    for (int i = 0; i < count; i++) {
        cli_annotation *a = &notes[i];
        memset(a, 0, sizeof *a);
        memcpy(a->box, faces[i].face.box, sizeof a->box);
        a->live = liveness ? faces[i].live : -1;
        a->live_score = faces[i].live_score;
        a->name = results[i].matched ? results[i].who.name : NULL;
        a->has_score = results[i].has_score;
        a->score = results[i].score;
    }
    mf_image img;
    int err = mf_image_load(image_path, &img);
    if (!err) err = cli_annotate(&img, notes, count);
    if (!err) err = mf_image_save_png(out_path, &img);
    mf_image_free(&img);
    free(notes);
    if (err) fprintf(stderr, "mcuface: -o %s: %s\n", out_path, mf_status_str(err));
    return err != MF_OK;
}

const cli_command cli_identify_command = {
    "identify", "IMAGE", "who is each face? (1:N search; spoofed faces are never matched)", NULL, identify_options,
    CLI_COUNT(identify_options), 1, 1, cmd_identify,
};

int cmd_identify(int argc, char **argv)
{
    cli_store_options opt;
    int status = cli_store_parse(&cli_identify_command, argc, argv, &opt);
    if (status != CLI_ARGS_RUN) return status;
    if ((status = cli_store_require_paths(&opt)) != 0) return status;
    const char *image = opt.positional[0];
    cli_face_models models;
    if (cli_face_models_open(&models, opt.recognizer, opt.precision, opt.liveness, opt.size)) return 1;
    int cap = (int)opt.max_faces, found = 0;
    cli_face_result *faces = malloc((size_t)cap * sizeof *faces);
    identify_result *results = calloc((size_t)cap, sizeof *results);
    int count = faces && results ? cli_faces_of_image(&models, image, faces, cap, &found)
                                       : (cli_fail(image, MF_ENOMEM), MF_ENOMEM);
    cli_face_models_close(&models);
    /* The models ran before the db is opened: the shared lock is held only
     * for the mount and the searches. */
    cli_store cs;
    if (count < 0) status = 1;
    else if (cli_store_open(&cs, opt.db, opt.key_file, CLI_STORE_READ, opt.wait_s)) status = 1;
    else {
        for (int i = 0; i < count && !status; i++) {
            identify_result *r = &results[i];
            if (!faces[i].live) continue;
            int err = search(&cs.store, faces[i].embedding, opt.threshold, r);
            if (err) status = cli_store_fail("identify", err);
        }
        cli_store_close(&cs);
    }
    if (!status && found > count) cli_warn_truncated(image, found, count);
    for (int i = 0; i < count && !status; i++) {
        const cli_face_result *f = &faces[i];
        const identify_result *r = &results[i];
        if (opt.json) {
            printf("%s{\"box\":[%.2f,%.2f,%.2f,%.2f],\"live\":", i ? "," : "{\"faces\":[", f->face.box[0], f->face.box[1],
                   f->face.box[2], f->face.box[3]);
            if (opt.liveness) printf("%s,\"live_score\":%.4f", f->live ? "true" : "false", f->live_score);
            else printf("null");
            if (r->matched) {
                printf(",\"id\":%u,\"name\":", r->who.id);
                cli_json_string(r->who.name);
            } else printf(",\"id\":null,\"name\":null");
            if (r->has_score) printf(",\"score\":%.4f}", r->score);
            else printf(",\"score\":null}");
        } else {
            printf("face %d  box (%.1f, %.1f, %.1f, %.1f)  ", i + 1, f->face.box[0], f->face.box[1], f->face.box[2],
                   f->face.box[3]);
            if (!f->live) printf("spoof (live score %.4f): not matched\n", f->live_score);
            else if (r->matched) printf("%u %s (score %.4f)\n", r->who.id, r->who.name, r->score);
            else if (r->has_score) printf("unknown (best score %.4f)\n", r->score);
            else printf("unknown\n");
        }
    }
    if (!status && opt.json)
        printf("%s],\"faces_found\":%d,\"faces_truncated\":%s,\"precision\":\"%s\"}\n", count > 0 ? "" : "{\"faces\":[",
               found, found > count ? "true" : "false", cli_precision_name(opt.precision));
    else if (!status && count == 0) printf("no faces\n");
    if (!status && opt.out_path) status = write_annotated(image, opt.out_path, faces, results, count, opt.liveness);
    free(faces);
    free(results);
    return status;
}
