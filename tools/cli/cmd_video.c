/* mcuface video INPUT --db FILE --key-file KEY [options] (video_options;
 * mcuface video --help)
 * Runs the face pipeline (mf_pipeline.h) with tracking over the frames of
 * INPUT (a folder of images or a video file: cli_frame_source.h) and prints
 * one line per frame: the faces with their track, liveness and identity,
 * and how many times each network ran. With tracking the detector runs on
 * every frame and liveness and the recognizer only when a track is born or
 * due for a re-check; --no-tracking runs every network on every face of
 * every frame (then each frame's decisions are those `identify` prints).
 *
 * Frame sizes: the pipeline is planned for the first frame (or --max-size
 * WxH). A later frame of another size that fits the plan (either way
 * round) ends the tracks (their boxes are in the old frame's pixels) and is
 * processed; a larger one stops the run with one line. */
#define _POSIX_C_SOURCE 200809L
#include "cli_annotate.h"
#include "cli_frame_source.h"
#include "cli_pipeline.h"
#include "cli_store.h"
#include "mcuface/mf_pipeline.h"
#include "mcuface/mf_status.h"
#include "mcuface/mf_image_file.h"
#include "mf_video_file.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

typedef struct video_args {
    const char *db, *key_file, *recognizer, *out_path;
    cli_precision precision;
    long size, recheck;
    float threshold, wait_s;
    int json, liveness, tracking, cascade;
    int32_t max_size[2];
    int max_size_given;
} video_args;

static const cli_option video_options[] = {
    CLI_OPT("--db", CLI_ARG_STRING, video_args, db, "FILE", "the encrypted enrollment store", .required = 1),
    CLI_OPT("--key-file", CLI_ARG_STRING, video_args, key_file, "KEY", "its 32-byte key file (default $MCUFACE_KEY_FILE)"),
    CLI_OPT("--json", CLI_ARG_FLAG, video_args, json, NULL, "one JSON object per frame on stdout (a line each) instead of the table"),
    CLI_OPT("--no-liveness", CLI_ARG_CLEAR, video_args, liveness, NULL, "skip the anti-spoofing check"),
    CLI_OPTION_NO_CASCADE(video_args),
    CLI_OPT("--no-tracking", CLI_ARG_CLEAR, video_args, tracking, NULL, "every network on every face of every frame (no tracks)"),
    CLI_OPT("--recheck", CLI_ARG_LONG, video_args, recheck, "N", "re-check a track's liveness and identity every N frames (default 15; 0: only when the face grows or turns)", .min = 0, .max = 1000000),
    CLI_OPT("-o", CLI_ARG_STRING, video_args, out_path, "DIR|OUT.mp4", "annotated frames: PNGs into DIR, or a video (.mp4 .mkv .avi .mov; needs libav)"),
    CLI_OPT("--max-size", CLI_ARG_DIMS, video_args, max_size, "WxH", "plan for frames up to WxH (default: the first frame's size)", .seen = CLI_SEEN(video_args, max_size_given)),
    CLI_OPT("--threshold", CLI_ARG_FLOAT, video_args, threshold, "T", "1:N match when the cosine score is >= T (default: the store's)", .min = 0, .max = 1, .max_open = 0, .meaning = "a cosine"),
    CLI_OPTION_RECOGNIZER(video_args),
    CLI_OPTION_SIZE(video_args),
    CLI_OPTION_PRECISION(video_args),
    CLI_OPT("--wait", CLI_ARG_FLOAT, video_args, wait_s, "S", "wait up to S seconds for another command's lock on the db, then fail 'busy' (default 10)", .min = 0, .max = 3600, .meaning = "seconds"),
};

const cli_command cli_video_command = {
    "video", "DIR|FILE", "faces of every frame of a video or a folder of frames, tracked, with names",
    "      DIR: image files in name order (digit runs compared as numbers); FILE: a video (needs libav)\n"
    "      --json: one line per frame, {\"frame\":N,\"faces\":[{\"track\":T,\"box\":..,\"live\":..,\"live_score\":..,\"id\":..,\n"
    "      \"name\":..,\"score\":..,\"checked\":B}],\"networks\":{\"detector\":1,\"liveness\":L,\"recognizer\":R},\"cpu_ms\":MS}\n",
    video_options, CLI_COUNT(video_options), 1, 1, cmd_video,
};

/* The pipeline with its memory: open once, planned for the first frame. */
typedef struct video_run {
    cli_pipeline cp; /* cp.plan_width 0: not planned yet */
    int32_t last_width, last_height;
} video_run;

static int open_pipeline(video_run *run, mf_store *store, const video_args *a)
{
    cli_pipeline_spec spec = {.liveness = a->liveness, .recognizer = 1, .recognizer_name = a->recognizer,
                              .precision = a->precision};
    mf_pipeline_options opt = mf_pipeline_default_options();
    opt.detector_long_side = (int32_t)a->size;
    opt.identify_threshold = a->threshold;
    opt.tracking = a->tracking;
    opt.recheck_interval = (int)a->recheck;
    opt.liveness_cascade = a->cascade;
    return cli_pipeline_open(&run->cp, &spec, store, &opt);
}

static void print_face_json(const mf_pipeline_face *f, int liveness)
{
    const mf_pipeline_identity *who = &f->identity;
    if (f->track_id) printf("{\"track\":%u", f->track_id);
    else printf("{\"track\":null");
    printf(",\"box\":[%.2f,%.2f,%.2f,%.2f],\"live\":", f->face.box[0], f->face.box[1], f->face.box[2], f->face.box[3]);
    if (liveness && f->live >= 0) printf("%s,\"live_score\":%.4f", f->live ? "true" : "false", f->live_score);
    else printf("null");
    if (who->matched && who->accepted) {
        printf(",\"id\":%u,\"name\":", who->id);
        cli_json_string(who->name);
    } else printf(",\"id\":null,\"name\":null");
    if (who->matched) printf(",\"score\":%.4f", who->score);
    else printf(",\"score\":null");
    printf(",\"checked\":%s}", f->liveness_ran || f->recognizer_ran ? "true" : "false");
}

static void print_frame(const mf_pipeline_result *r, int index, double ms, const video_args *a)
{
    if (a->json) {
        printf("{\"frame\":%d,\"faces\":[", index);
        for (int i = 0; i < r->face_count; i++) {
            if (i) putchar(',');
            print_face_json(&r->faces[i], a->liveness);
        }
        printf("],\"networks\":{\"detector\":%d,\"liveness\":%d,\"recognizer\":%d},\"cpu_ms\":%.2f}\n",
               r->detector_ran, r->liveness_runs, r->recognizer_runs, ms);
        return;
    }
    printf("frame %d: %d face%s  (runs: detector %d, liveness %d, recognizer %d; %.1f ms CPU)\n", index, r->face_count,
           r->face_count == 1 ? "" : "s", r->detector_ran, r->liveness_runs, r->recognizer_runs, ms);
    for (int i = 0; i < r->face_count; i++) {
        const mf_pipeline_face *f = &r->faces[i];
        const mf_pipeline_identity *who = &f->identity;
        if (f->track_id) printf("  track %u", f->track_id);
        else printf("  face %d", i + 1);
        printf("  box (%.1f, %.1f, %.1f, %.1f)  ", f->face.box[0], f->face.box[1], f->face.box[2], f->face.box[3]);
        if (a->liveness && f->live == 0) printf("spoof (live score %.4f): not matched\n", f->live_score);
        else if (who->matched && who->accepted) printf("%u %s (score %.4f)\n", who->id, who->name, who->score);
        else if (who->matched) printf("unknown (best score %.4f)\n", who->score);
        else printf("unknown\n");
    }
}

/* Where annotated frames go: PNGs in a folder, or a video file. */
typedef struct annotated_output {
    const char *path;
    int to_video;
    mf_video_writer *writer;
} annotated_output;

static int output_open(annotated_output *out, const char *path)
{
    memset(out, 0, sizeof *out);
    out->path = path;
    if (!path) return 0;
    if (mf_video_is_video_name(path)) {
        if (!mf_video_supported()) {
            fprintf(stderr, "mcuface: -o %s: built without video support (libav); give a folder for PNG frames\n",
                    path);
            return 1;
        }
        out->to_video = 1;
        return 0;
    }
    size_t n = strlen(path);
    if ((n > 4 && (!strcmp(path + n - 4, ".png") || !strcmp(path + n - 4, ".jpg"))) ||
        (n > 5 && !strcmp(path + n - 5, ".jpeg"))) {
        fprintf(stderr, "mcuface: -o %s: give a folder for the annotated frames, or a video (.mp4 .mkv .avi .mov)\n",
                path);
        return 1;
    }
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "mcuface: -o %s: exists and is not a folder (a video must end in .mp4, .mkv, .avi or .mov)\n",
                path);
        return 1;
    }
    if (mkdir(path, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "mcuface: -o %s: cannot create the folder: %s\n", path, strerror(errno));
        return 1;
    }
    return 0;
}

static void annotation_of(const mf_pipeline_face *f, int liveness, cli_annotation *a)
{
    memset(a, 0, sizeof *a);
    memcpy(a->box, f->face.box, sizeof a->box);
    a->track = f->track_id;
    a->live = liveness ? f->live : -1;
    a->live_score = f->live_score;
    a->name = f->identity.matched && f->identity.accepted ? f->identity.name : NULL;
    a->has_score = f->identity.matched;
    a->score = f->identity.score;
}

/* Draws the result on a copy of FRAME and writes it. */
static int output_frame(annotated_output *out, const cli_frame_source *src, const mf_image *frame,
                        const mf_pipeline_result *r, int index, int liveness)
{
    if (!out->path) return 0;
    size_t bytes = (size_t)frame->width * (size_t)frame->height * 3;
    uint8_t *pixels = malloc(bytes);
    if (!pixels) return cli_fail("-o", MF_ENOMEM);
    mf_image copy;
    int err = mf_image_init(&copy, pixels, bytes, frame->width, frame->height, 3);
    for (int32_t y = 0; !err && y < frame->height; y++)
        memcpy(pixels + (size_t)y * frame->width * 3, frame->data + (size_t)y * frame->stride, (size_t)frame->width * 3);
    cli_annotation notes[MF_PIPELINE_DEFAULT_MAX_FACES];
    for (int i = 0; i < r->face_count; i++) annotation_of(&r->faces[i], liveness, &notes[i]);
    if (!err) err = cli_annotate(&copy, notes, r->face_count);
    int failed = 0;
    if (err) failed = cli_fail("-o: drawing", err);
    else if (out->to_video) {
        if (!out->writer) {
            int num, den;
            cli_frame_source_rate(src, &num, &den);
            err = mf_video_writer_open(&out->writer, out->path, copy.width, copy.height, num, den);
            if (err) {
                fprintf(stderr, "mcuface: -o %s: cannot create the video: %s\n", out->path, mf_status_str(err));
                failed = 1;
            }
        }
        if (!failed && (err = mf_video_writer_add(out->writer, &copy)) != MF_OK) {
            if (err == MF_EINVAL)
                fprintf(stderr, "mcuface: -o %s: frame %d is %dx%d; an annotated video needs one frame size\n",
                        out->path, index, (int)copy.width, (int)copy.height);
            else fprintf(stderr, "mcuface: -o %s: frame %d: %s\n", out->path, index, mf_status_str(err));
            failed = 1;
        }
    } else {
        char path[8192];
        snprintf(path, sizeof path, "%s/frame_%06d.png", out->path, index);
        if ((err = mf_image_save_png(path, &copy)) != MF_OK) {
            fprintf(stderr, "mcuface: -o: cannot write %s: %s\n", path, mf_status_str(err));
            failed = 1;
        }
    }
    free(pixels);
    return failed;
}

static int output_close(annotated_output *out)
{
    if (!out->writer) return 0;
    int err = mf_video_writer_close(out->writer);
    out->writer = NULL;
    if (err) fprintf(stderr, "mcuface: -o %s: cannot finish the video: %s\n", out->path, mf_status_str(err));
    return err != MF_OK;
}

/* CPU seconds of this thread: steadier than the wall clock on a shared host
 * (the pipeline runs on the calling thread only). */
static double thread_cpu_seconds(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0) return 0.0;
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* One frame through the pipeline (planning it on the first). 0, or 1 after
 * printing one line. */
static int process_frame(video_run *run, const video_args *a, const cli_frame_source *src, const mf_image *frame,
                         int index, mf_pipeline_result *result, double *ms)
{
    if (!run->cp.plan_width) {
        int32_t w = a->max_size_given ? a->max_size[0] : frame->width;
        int32_t h = a->max_size_given ? a->max_size[1] : frame->height;
        if (cli_pipeline_plan(&run->cp, w, h)) return 1;
    } else if (frame->width != run->last_width || frame->height != run->last_height) {
        mf_pipeline_reset_tracks(&run->cp.pipe); /* a new picture geometry: the old boxes mean nothing here */
    }
    run->last_width = frame->width;
    run->last_height = frame->height;
    mf_frame view;
    int err = mf_frame_from_image(frame, &view);
    double start = thread_cpu_seconds();
    if (!err) err = mf_pipeline_process(&run->cp.pipe, &view, result);
    *ms = (thread_cpu_seconds() - start) * 1000.0;
    if (err == MF_ERANGE) {
        fprintf(stderr, "mcuface: video %s: frame %d is %dx%d, larger than the %dx%d planned%s\n", src->input, index,
                (int)frame->width, (int)frame->height, (int)run->cp.plan_width, (int)run->cp.plan_height,
                a->max_size_given ? " (--max-size)" : " from the first frame (--max-size WxH plans for larger frames)");
        return 1;
    }
    if (err) {
        char what[64];
        snprintf(what, sizeof what, "frame %d", index);
        return cli_fail(what, err);
    }
    return 0;
}

int cmd_video(int argc, char **argv)
{
    video_args a = {.precision = CLI_DEFAULT_PRECISION, .size = 320, .recheck = 15, .threshold = -1.0f,
                    .liveness = 1, .tracking = 1, .cascade = 1, .wait_s = CLI_STORE_DEFAULT_WAIT_S};
    const char *env_key = getenv("MCUFACE_KEY_FILE");
    if (env_key && *env_key) a.key_file = env_key;
    int positional = 0, status = cli_args_parse(&cli_video_command, argc, argv, &a, &positional);
    if (status != CLI_ARGS_RUN) return status;
    if (!a.key_file) return cli_usage_error("--key-file KEY (or $MCUFACE_KEY_FILE) is required");
    const char *input = argv[1];
    annotated_output out;
    if (output_open(&out, a.out_path)) return 1;
    cli_frame_source src;
    if (cli_frame_source_open(&src, input)) return 1;
    cli_store cs;
    /* a shared lock for the whole run: every frame's faces are matched */
    if (cli_store_open(&cs, a.db, a.key_file, CLI_STORE_READ, a.wait_s)) {
        cli_frame_source_close(&src);
        return 1;
    }
    static video_run run;
    memset(&run, 0, sizeof run);
    status = open_pipeline(&run, &cs.store, &a);
    static mf_pipeline_result result;
    int index = 0;
    while (!status) {
        mf_image frame;
        int got = cli_frame_source_next(&src, &frame);
        if (got <= 0) {
            status = got < 0;
            break;
        }
        double ms = 0;
        status = process_frame(&run, &a, &src, &frame, index, &result, &ms);
        if (!status) {
            print_frame(&result, index, ms, &a);
            fflush(stdout);
            status = output_frame(&out, &src, &frame, &result, index, a.liveness);
        }
        index++;
    }
    if (!status && index == 0) {
        fprintf(stderr, "mcuface: video %s: holds no frames\n", input);
        status = 1;
    }
    if (output_close(&out)) status = 1;
    cli_pipeline_close(&run.cp);
    cli_store_close(&cs);
    cli_frame_source_close(&src);
    return status;
}
