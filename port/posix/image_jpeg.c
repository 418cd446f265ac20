/* JPEG through Debian's libjpeg-turbo (the libjpeg API), with the settings
 * cv2.imread uses (JDCT_ISLOW, fancy upsampling: the library defaults), so
 * the pixels equal OpenCV's. libjpeg is fuzzed but permissive: it decodes
 * truncated or damaged data with a warning and fills the rest, and decodes
 * any size the header declares. Here every warning is an error (as
 * TurboJPEG's TJFLAG_STOPONWARNING does), the declared size is checked
 * against the caps before the start of decompression allocates anything, a
 * progress monitor stops after MF_IMAGE_JPEG_MAX_SCANS scans, and libjpeg's
 * own memory is bounded to what the declared image needs. */
#include "image_codecs.h"
#include "mcuface/mf_image_file.h"
#include "mcuface/mf_status.h"
#include <setjmp.h>
#include <stdio.h> /* jpeglib.h needs FILE */
#include <string.h>
#include <jpeglib.h>
#include <jerror.h> /* the message codes */

/* libjpeg's scratch memory beyond the coefficient buffers: tables, row
 * buffers and the upsampler (a few rows of MF_IMAGE_MAX_SIDE samples). */
#define JPEG_WORK_MEMORY (16L << 20)

typedef struct jpeg_guard {
    struct jpeg_error_mgr err; /* first: libjpeg hands us &err */
    struct jpeg_progress_mgr progress;
    jmp_buf escape;
    int status; /* returned after the longjmp */
} jpeg_guard;

/* The status for libjpeg's error CODE. Past max_memory_to_use libjpeg asks
 * for a backing store (it has none): that is the memory cap, not a host
 * failure. */
static int jpeg_error_status(int code)
{
    switch (code) {
    case JERR_NO_BACKING_STORE: return MF_ERANGE;
    case JERR_OUT_OF_MEMORY: return MF_ENOMEM;
    case JERR_BAD_PRECISION: return MF_EUNSUPPORTED; /* 12-bit: this libjpeg (and cv2's) decodes 8-bit only */
    default: return MF_ECORRUPT;
    }
}

static void on_error(j_common_ptr cinfo)
{
    jpeg_guard *g = (jpeg_guard *)cinfo->err;
    g->status = jpeg_error_status(cinfo->err->msg_code);
    longjmp(g->escape, 1);
}

/* Level -1 is a warning (premature end of data, corrupt entropy data,
 * extraneous bytes): refuse the file. Trace messages (level >= 0) are
 * dropped; nothing is ever printed. */
static void on_message(j_common_ptr cinfo, int level)
{
    if (level < 0) on_error(cinfo);
}

static void on_output(j_common_ptr cinfo)
{
    (void)cinfo;
}

static void on_progress(j_common_ptr cinfo)
{
    j_decompress_ptr d = (j_decompress_ptr)cinfo;
    if (d->input_scan_number <= MF_IMAGE_JPEG_MAX_SCANS) return;
    jpeg_guard *g = (jpeg_guard *)cinfo->err;
    g->status = MF_ECORRUPT; /* a scan-count bomb: each scan may re-walk every coefficient */
    longjmp(g->escape, 1);
}

/* Bytes of libjpeg's whole-image coefficient buffers (needed for
 * progressive and multi-scan files): 64 coefficients of 2 bytes a block,
 * rows and columns padded to the MCU, plus the work memory. */
static long jpeg_memory_needed(const struct jpeg_decompress_struct *d)
{
    long long bytes = JPEG_WORK_MEMORY;
    for (int c = 0; c < d->num_components; c++) {
        const jpeg_component_info *ci = &d->comp_info[c];
        long long bw = (long long)ci->width_in_blocks + ci->h_samp_factor;
        long long bh = (long long)ci->height_in_blocks + ci->v_samp_factor;
        bytes += bw * bh * (long long)(DCTSIZE2 * sizeof(JCOEF));
    }
    return bytes > (long long)(1L << 30) ? (1L << 30) : (long)bytes;
}

/* Everything after the creation of the decompressor. */
static void decode_pixels(struct jpeg_decompress_struct *d, jpeg_guard *g, mf_image *out, size_t n)
{
    if (jpeg_read_header(d, TRUE) != JPEG_HEADER_OK) {
        g->status = MF_ECORRUPT;
        return;
    }
    if (d->num_components != 1 && d->num_components != 3) {
        g->status = MF_EUNSUPPORTED; /* CMYK / YCCK and other component counts */
        return;
    }
    int err = mf_image_check_caps((long)d->image_width, (long)d->image_height, n, MF_IMAGE_JPEG_PIXELS_PER_BYTE);
    if (err) {
        g->status = err;
        return;
    }
    d->out_color_space = JCS_RGB; /* gray is replicated, as cv2's JCS_EXT_BGR does */
    d->mem->max_memory_to_use = jpeg_memory_needed(d);
    jpeg_start_decompress(d);
    if (d->output_width != d->image_width || d->output_height != d->image_height || d->output_components != 3) {
        g->status = MF_ECORRUPT;
        return;
    }
    err = mf_image_alloc_rgb((int)d->output_width, (int)d->output_height, out);
    if (err) {
        g->status = err;
        return;
    }
    while (d->output_scanline < d->output_height) {
        JSAMPROW row = out->data + (size_t)d->output_scanline * (size_t)out->stride;
        if (jpeg_read_scanlines(d, &row, 1) != 1) { /* a memory source never suspends */
            g->status = MF_ECORRUPT;
            return;
        }
    }
    jpeg_finish_decompress(d); /* reads to EOI: a file cut after the last row is refused too */
}

/* The setjmp lives here, while D, G and OUT belong to the caller: no local
 * of this frame changes between setjmp and a longjmp from libjpeg. */
static void decode_guarded(struct jpeg_decompress_struct *d, jpeg_guard *g, const uint8_t *bytes, size_t n,
                           mf_image *out)
{
    if (setjmp(g->escape) != 0) return; /* g->status says why */
    jpeg_create_decompress(d);
    d->progress = &g->progress;
    jpeg_mem_src(d, bytes, (unsigned long)n);
    decode_pixels(d, g, out, n);
}

int mf_decode_jpeg(const uint8_t *bytes, size_t n, mf_image *out)
{
    struct jpeg_decompress_struct d;
    jpeg_guard g;
    memset(&d, 0, sizeof d);
    memset(&g, 0, sizeof g);
    d.err = jpeg_std_error(&g.err);
    g.err.error_exit = on_error;
    g.err.emit_message = on_message;
    g.err.output_message = on_output;
    g.progress.progress_monitor = on_progress;
    g.status = MF_OK;
    decode_guarded(&d, &g, bytes, n, out);
    jpeg_destroy_decompress(&d); /* frees libjpeg's memory; harmless if creation failed */
    return g.status;
}
