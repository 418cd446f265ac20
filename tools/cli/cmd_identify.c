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

static const cli_option identify_options[] = {
    CLI_STORE_OPTION_PATHS,
    CLI_OPTION_JSON(cli_store_options),
    CLI_OPT("--no-liveness", CLI_ARG_CLEAR, cli_store_options, liveness, NULL, "skip the anti-spoofing check"),
    CLI_OPTION_NO_CASCADE(cli_store_options),
    CLI_OPT("--threshold", CLI_ARG_FLOAT, cli_store_options, threshold, "T",
        "1:N match when the cosine score is >= T (default: the store's; docs/STORE.md \"Thresholds\")",
        .min = 0, .max = 1, .max_open = 0, .meaning = "a cosine"),
    CLI_OPT("-o", CLI_ARG_STRING, cli_store_options, out_path, "OUT.png",
        "the image with each face's box, name (or UNKNOWN), score and LIVE/SPOOF"),
    CLI_OPTION_RECOGNIZER(cli_store_options),
    CLI_OPTION_DETECTOR(cli_store_options),
    CLI_OPTION_SIZE(cli_store_options),
    CLI_OPTION_PRECISION(cli_store_options),
    CLI_OPTION_MAX_FACES(cli_store_options),
    CLI_STORE_OPTION_WAIT,
};

/* The image again, with every face's decision drawn on it, as a PNG. */
static int write_annotated(mf_image *img, const char *out_path, const mf_pipeline_result *r, int liveness)
{
    int count = r->face_count;
    cli_annotation *notes = calloc(count > 0 ? (size_t)count : 1, sizeof *notes);
    if (!notes) return cli_fail(out_path, MF_ENOMEM);
    for (int i = 0; i < count; i++) {
        const mf_pipeline_face *f = &r->faces[i];
        cli_annotation *a = &notes[i];
        memcpy(a->box, f->face.box, sizeof a->box);
        a->live = liveness ? f->live : -1;
        a->live_score = f->live_score;
        a->name = f->identity.accepted ? f->identity.name : NULL;
        a->has_score = f->identity.matched;
        a->score = f->identity.score;
    }
    int err = cli_annotate(img, notes, count);
    if (!err) err = mf_image_save_png(out_path, img);
    free(notes);
    if (err) fprintf(stderr, "mcuface: -o %s: %s\n", out_path, mf_status_str(err));
    return err != MF_OK;
}

static void print_face(int i, const mf_pipeline_face *f, int json, int liveness)
{
    const mf_pipeline_identity *who = &f->identity;
    int live = f->live != 0;
    if (json) {
        printf("%s{\"box\":[%.2f,%.2f,%.2f,%.2f],\"live\":", i ? "," : "{\"faces\":[", f->face.box[0], f->face.box[1],
               f->face.box[2], f->face.box[3]);
        if (liveness) printf("%s,\"live_score\":%.4f", live ? "true" : "false", f->live_score);
        else printf("null");
        if (who->accepted) {
            printf(",\"id\":%u,\"name\":", who->id);
            cli_json_string(who->name);
        } else printf(",\"id\":null,\"name\":null");
        if (who->matched) printf(",\"score\":%.4f}", who->score);
        else printf(",\"score\":null}");
        return;
    }
    printf("face %d  box (%.1f, %.1f, %.1f, %.1f)  ", i + 1, f->face.box[0], f->face.box[1], f->face.box[2],
           f->face.box[3]);
    if (!live) printf("spoof (live score %.4f): not matched\n", f->live_score);
    else if (who->accepted) printf("%u %s (score %.4f)\n", who->id, who->name, who->score);
    else if (who->matched) printf("unknown (best score %.4f)\n", who->score);
    else printf("unknown\n");
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
    mf_image img;
    if (cli_load_image(image, &img)) return 1;
    /* The shared lock: identify runs beside other readers; a writer waits
     * (--wait) for the one image's networks and searches. */
    cli_store cs;
    cli_pipeline cp;
    if (cli_store_open(&cs, opt.db, opt.key_file, CLI_STORE_READ, opt.wait_s)) {
        mf_image_free(&img);
        return 1;
    }
    mf_pipeline_result r;
    if (cli_store_pipeline_open(&cp, &opt, &cs.store, MF_PIPELINE_SELECT_ALL, opt.max_faces)) status = 1;
    else {
        status = cli_pipeline_image(&cp, &img, image, &r);
        if (!status && r.truncated) cli_warn_truncated(image, r.detected, r.face_count);
        for (int i = 0; i < r.face_count && !status; i++) print_face(i, &r.faces[i], opt.json, opt.liveness);
        if (!status && opt.json)
            printf("%s],\"faces_found\":%d,\"faces_truncated\":%s,\"precision\":\"%s\"}\n",
                   r.face_count > 0 ? "" : "{\"faces\":[", r.detected, r.truncated ? "true" : "false",
                   cli_precision_name(opt.precision));
        else if (!status && r.face_count == 0) printf("no faces\n");
        if (!status && opt.out_path) status = write_annotated(&img, opt.out_path, &r, opt.liveness);
        cli_pipeline_close(&cp);
    }
    cli_store_close(&cs);
    mf_image_free(&img);
    return status;
}
