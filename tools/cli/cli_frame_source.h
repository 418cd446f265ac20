/* The frames of `mcuface video INPUT`, one after the other: INPUT is a
 * folder of image files (whatever mf_image_load reads: PNG, JPEG, BMP, PNM) taken in
 * name order, or a video file decoded by port/posix/video_file.c (when the
 * build has libav). Errors are printed here, one line each, naming INPUT and
 * the frame. */
#ifndef MCUFACE_CLI_FRAME_SOURCE_H
#define MCUFACE_CLI_FRAME_SOURCE_H
#include "mcuface/mf_image.h"
#include "mf_video_file.h"

typedef struct cli_frame_source {
    const char *input;
    int is_folder;
    char **names;   /* folder: the file names, sorted (malloc'd) */
    int count;      /* folder: how many */
    int next;       /* index of the next frame */
    mf_video_reader *video;
    mf_image frame; /* the current frame (folder: loaded, owned here; video: the reader's view) */
    const char *frame_name; /* folder: the current file's name; NULL for a video */
} cli_frame_source;

/* Opens INPUT (kept, not copied). A folder must hold at least one file
 * (names starting with '.' and subfolders are skipped); its files are
 * sorted by name with runs of digits compared as numbers, so "frame2.png"
 * comes before "frame10.png". Prints one line and returns 1 on failure:
 * no such input, an empty folder, a video file in a build without libav
 * ("built without video support"), a file that is not a readable video. */
int cli_frame_source_open(cli_frame_source *src, const char *input);

/* The next frame into *FRAME (RGB888, owned by SRC, valid until the next
 * call or the close). Returns 1 (a frame), 0 (no more), or prints one line
 * naming the frame (a folder file that is not an image, damaged or
 * truncated video data) and returns -1. */
int cli_frame_source_next(cli_frame_source *src, mf_image *frame);

/* The video's nominal frame rate (NUM / DEN); 10 / 1 for a folder. */
void cli_frame_source_rate(const cli_frame_source *src, int *num, int *den);

void cli_frame_source_close(cli_frame_source *src);
#endif
