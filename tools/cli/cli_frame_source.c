/* Frames of a folder or a video file, in order (cli_frame_source.h). */
#define _POSIX_C_SOURCE 200809L
#include "cli_frame_source.h"
#include "mcuface/mf_status.h"
#include "mcuface/mf_image_file.h"
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* Name order with digit runs compared as numbers ("f2" < "f10"); names
 * equal that way ("f02", "f2") fall back to byte order. */
static int natural_compare(const char *a, const char *b)
{
    const char *p = a, *q = b;
    while (*p && *q) {
        if (is_digit(*p) && is_digit(*q)) {
            while (*p == '0') p++;
            while (*q == '0') q++;
            size_t np = 0, nq = 0;
            while (is_digit(p[np])) np++;
            while (is_digit(q[nq])) nq++;
            if (np != nq) return np < nq ? -1 : 1;
            int c = strncmp(p, q, np);
            if (c) return c;
            p += np;
            q += nq;
            continue;
        }
        if (*p != *q) return (unsigned char)*p < (unsigned char)*q ? -1 : 1;
        p++;
        q++;
    }
    if (*p || *q) return *p ? 1 : -1;
    return strcmp(a, b);
}

static int compare_names(const void *x, const void *y)
{
    return natural_compare(*(char *const *)x, *(char *const *)y);
}

static int is_subfolder(const char *folder, const char *name)
{
    char path[8192];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", folder, name);
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int list_folder(cli_frame_source *src)
{
    DIR *dir = opendir(src->input);
    if (!dir) {
        fprintf(stderr, "mcuface: video %s: cannot open the folder: %s\n", src->input, strerror(errno));
        return 1;
    }
    int cap = 0, failed = 0;
    struct dirent *e;
    while (!failed && (e = readdir(dir)) != NULL) {
        if (e->d_name[0] == '.' || is_subfolder(src->input, e->d_name)) continue;
        if (src->count == cap) {
            cap = cap ? 2 * cap : 64;
            char **grown = realloc(src->names, (size_t)cap * sizeof *grown);
            if (!grown) {
                failed = 1;
                break;
            }
            src->names = grown;
        }
        if (!(src->names[src->count] = strdup(e->d_name))) failed = 1;
        else src->count++;
    }
    closedir(dir);
    if (failed) {
        fprintf(stderr, "mcuface: video %s: out of memory listing the folder\n", src->input);
        return 1;
    }
    if (src->count == 0) {
        fprintf(stderr, "mcuface: video %s: the folder holds no frames (image files)\n", src->input);
        return 1;
    }
    qsort(src->names, (size_t)src->count, sizeof *src->names, compare_names);
    return 0;
}

static const char *video_open_error(int status)
{
    switch (status) {
    case MF_ENOTFOUND: return "no such file or folder";
    case MF_ECORRUPT: return "not a video file, or truncated or damaged (its header cannot be read)";
    case MF_EUNSUPPORTED: return "not a regular file, or no video stream this build can decode";
    case MF_ERANGE: return "frames too large";
    default: return mf_status_str(status);
    }
}

int cli_frame_source_open(cli_frame_source *src, const char *input)
{
    memset(src, 0, sizeof *src);
    src->input = input;
    struct stat st;
    if (stat(input, &st) != 0) {
        fprintf(stderr, "mcuface: video %s: %s\n", input, strerror(errno));
        return 1;
    }
    if (S_ISDIR(st.st_mode)) {
        src->is_folder = 1;
        if (list_folder(src)) {
            cli_frame_source_close(src);
            return 1;
        }
        return 0;
    }
    if (!mf_video_supported()) {
        fprintf(stderr, "mcuface: video %s: built without video support (libav); give a folder of frames instead\n",
                input);
        return 1;
    }
    int err = mf_video_reader_open(&src->video, input);
    if (err) {
        fprintf(stderr, "mcuface: video %s: %s\n", input, video_open_error(err));
        return 1;
    }
    return 0;
}

int cli_frame_source_next(cli_frame_source *src, mf_image *frame)
{
    memset(frame, 0, sizeof *frame);
    if (src->is_folder) {
        mf_image_free(&src->frame);
        src->frame_name = NULL;
        if (src->next >= src->count) return 0;
        const char *name = src->names[src->next];
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", src->input, name);
        int err = mf_image_load(path, &src->frame);
        if (err) {
            const char *why = err == MF_ECORRUPT       ? "not an image, or damaged"
                              : err == MF_EUNSUPPORTED ? "not an image this build reads (PNG, JPEG, BMP, PNM), or not a regular file"
                              : err == MF_ERANGE       ? "image too large"
                                                       : mf_status_str(err);
            fprintf(stderr, "mcuface: video %s: frame %d (%s): %s\n", src->input, src->next, name, why);
            return -1;
        }
        src->frame_name = name;
        src->next++;
        *frame = src->frame;
        return 1;
    }
    int got = mf_video_reader_next(src->video, frame);
    if (got < 0) {
        fprintf(stderr, "mcuface: video %s: frame %d: %s\n", src->input, src->next,
                got == MF_ECORRUPT ? "damaged or truncated video data" : mf_status_str(got));
        return -1;
    }
    if (got) src->next++;
    return got;
}

void cli_frame_source_rate(const cli_frame_source *src, int *num, int *den)
{
    *num = 10;
    *den = 1;
    if (src->video) mf_video_reader_rate(src->video, num, den);
}

void cli_frame_source_close(cli_frame_source *src)
{
    mf_image_free(&src->frame);
    for (int i = 0; i < src->count; i++) free(src->names[i]);
    free(src->names);
    mf_video_reader_close(src->video);
    memset(src, 0, sizeof *src);
}
