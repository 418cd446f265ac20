/* Host video files (mf_video_file.h) through libavformat / libavcodec /
 * libswscale, when CMake found them (MF_HAVE_LIBAV); otherwise every call
 * says MF_EUNSUPPORTED. libav's own log is silenced: the caller prints one
 * line per error from the status. The decoder is made strict
 * (AV_EF_EXPLODE) and packets the demuxer marks corrupt (cut short by a
 * truncated file) are refused, so damage is reported instead of
 * concealed. */
#define _POSIX_C_SOURCE 200809L
#include "mf_video_file.h"
#include "mcuface/mf_status.h"
#include "mcuface/mf_posix_file.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int mf_video_is_video_name(const char *path)
{
    static const char *const extensions[] = {".mp4", ".mkv", ".avi", ".mov"};
    size_t n = path ? strlen(path) : 0;
    for (size_t e = 0; e < sizeof extensions / sizeof extensions[0]; e++) {
        size_t k = strlen(extensions[e]);
        if (n <= k) continue;
        size_t i = 0;
        while (i < k && tolower((unsigned char)path[n - k + i]) == extensions[e][i]) i++;
        if (i == k) return 1;
    }
    return 0;
}

#ifndef MF_HAVE_LIBAV
int mf_video_supported(void) { return 0; }
int mf_video_reader_open(mf_video_reader **out, const char *path)
{
    (void)path;
    if (out) *out = NULL;
    return MF_EUNSUPPORTED;
}
int mf_video_reader_next(mf_video_reader *reader, mf_image *frame)
{
    (void)reader;
    if (frame) memset(frame, 0, sizeof *frame);
    return MF_EUNSUPPORTED;
}
int mf_video_reader_rate(const mf_video_reader *reader, int *num, int *den)
{
    (void)reader, (void)num, (void)den;
    return MF_EUNSUPPORTED;
}
void mf_video_reader_close(mf_video_reader *reader) { (void)reader; }
int mf_video_writer_open(mf_video_writer **out, const char *path, int32_t width, int32_t height, int rate_num,
                         int rate_den)
{
    (void)path, (void)width, (void)height, (void)rate_num, (void)rate_den;
    if (out) *out = NULL;
    return MF_EUNSUPPORTED;
}
int mf_video_writer_add(mf_video_writer *writer, const mf_image *image)
{
    (void)writer, (void)image;
    return MF_EUNSUPPORTED;
}
int mf_video_writer_close(mf_video_writer *writer)
{
    (void)writer;
    return MF_EUNSUPPORTED;
}
#else
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/imgutils.h>
#include <libswscale/swscale.h>

int mf_video_supported(void) { return 1; }

static void quiet_libav(void) { av_log_set_level(AV_LOG_QUIET); }

/* libav's error codes to ours. */
static int status_of(int averr)
{
    if (averr == AVERROR(ENOMEM)) return MF_ENOMEM;
    if (averr == AVERROR(ENOENT)) return MF_ENOTFOUND;
    if (averr == AVERROR(EIO)) return MF_EIO;
    if (averr == AVERROR_DECODER_NOT_FOUND || averr == AVERROR_DEMUXER_NOT_FOUND ||
        averr == AVERROR_STREAM_NOT_FOUND || averr == AVERROR_PATCHWELCOME)
        return MF_EUNSUPPORTED;
    return MF_ECORRUPT; /* AVERROR_INVALIDDATA, AVERROR_EOF in a header, and the rest */
}

struct mf_video_reader {
    AVFormatContext *format;
    AVCodecContext *decoder;
    struct SwsContext *scale;
    AVFrame *frame;
    AVPacket *packet;
    int stream;
    int flushing;   /* the demuxer is done: the decoder is being drained */
    int error;      /* sticky: the first error returned */
    uint8_t *rgb;
    size_t rgb_bytes;
    int32_t width, height; /* of the last frame returned */
    int scale_format, scale_range;
};

void mf_video_reader_close(mf_video_reader *r)
{
    if (!r) return;
    sws_freeContext(r->scale);
    av_frame_free(&r->frame);
    av_packet_free(&r->packet);
    avcodec_free_context(&r->decoder);
    avformat_close_input(&r->format);
    free(r->rgb);
    free(r);
}

int mf_video_reader_open(mf_video_reader **out, const char *path)
{
    if (!out || !path) return MF_EINVAL;
    *out = NULL;
    int fd = -1;
    int err = mf_open_regular_file(path, &fd, NULL);
    if (err) return err;
    close(fd);
    quiet_libav();
    mf_video_reader *r = calloc(1, sizeof *r);
    if (!r) return MF_ENOMEM;
    int averr = avformat_open_input(&r->format, path, NULL, NULL);
    if (averr >= 0) averr = avformat_find_stream_info(r->format, NULL);
    const AVCodec *codec = NULL;
    if (averr >= 0) averr = r->stream = av_find_best_stream(r->format, AVMEDIA_TYPE_VIDEO, -1, -1, &codec, 0);
    if (averr < 0) {
        mf_video_reader_close(r);
        return status_of(averr);
    }
    const AVCodecParameters *par = r->format->streams[r->stream]->codecpar;
    if (par->width > MF_IMAGE_MAX_SIDE || par->height > MF_IMAGE_MAX_SIDE) {
        mf_video_reader_close(r);
        return MF_ERANGE;
    }
    r->decoder = avcodec_alloc_context3(codec);
    r->frame = av_frame_alloc();
    r->packet = av_packet_alloc();
    if (!r->decoder || !r->frame || !r->packet) {
        mf_video_reader_close(r);
        return MF_ENOMEM;
    }
    averr = avcodec_parameters_to_context(r->decoder, par);
    r->decoder->err_recognition |= AV_EF_EXPLODE | AV_EF_CRCCHECK | AV_EF_BITSTREAM;
    r->decoder->thread_count = 1; /* frames in order, one at a time: no frame-thread delay */
    if (averr >= 0) averr = avcodec_open2(r->decoder, codec, NULL);
    if (averr < 0) {
        mf_video_reader_close(r);
        return status_of(averr);
    }
    r->scale_format = -1;
    *out = r;
    return MF_OK;
}

int mf_video_reader_rate(const mf_video_reader *r, int *num, int *den)
{
    if (!r || !num || !den) return MF_EINVAL;
    AVRational rate = r->format->streams[r->stream]->avg_frame_rate;
    if (rate.num <= 0 || rate.den <= 0) rate = r->format->streams[r->stream]->r_frame_rate;
    if (rate.num <= 0 || rate.den <= 0) rate = (AVRational){25, 1};
    *num = rate.num;
    *den = rate.den;
    return MF_OK;
}

/* The decoded frame into the reader's RGB888 buffer (full or limited YUV
 * range as the frame says). */
static int to_rgb(mf_video_reader *r, mf_image *img)
{
    AVFrame *f = r->frame;
    if (f->width < 1 || f->height < 1) return MF_ECORRUPT;
    if (f->width > MF_IMAGE_MAX_SIDE || f->height > MF_IMAGE_MAX_SIDE) return MF_ERANGE;
    size_t bytes = (size_t)f->width * (size_t)f->height * 3;
    if (bytes > r->rgb_bytes) {
        uint8_t *grown = realloc(r->rgb, bytes);
        if (!grown) return MF_ENOMEM;
        r->rgb = grown;
        r->rgb_bytes = bytes;
    }
    int range = f->color_range == AVCOL_RANGE_JPEG;
    if (!r->scale || f->width != r->width || f->height != r->height || f->format != r->scale_format ||
        range != r->scale_range) {
        sws_freeContext(r->scale);
        r->scale = sws_getContext(f->width, f->height, (enum AVPixelFormat)f->format, f->width, f->height,
                                  AV_PIX_FMT_RGB24, SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT, NULL, NULL,
                                  NULL);
        if (!r->scale) return MF_EUNSUPPORTED;
        const int *coefficients = sws_getCoefficients(SWS_CS_DEFAULT);
        sws_setColorspaceDetails(r->scale, coefficients, range, coefficients, 1, 0, 1 << 16, 1 << 16);
        r->width = f->width;
        r->height = f->height;
        r->scale_format = f->format;
        r->scale_range = range;
    }
    uint8_t *planes[4] = {r->rgb, NULL, NULL, NULL};
    int strides[4] = {f->width * 3, 0, 0, 0};
    sws_scale(r->scale, (const uint8_t *const *)f->data, f->linesize, 0, f->height, planes, strides);
    return mf_image_init(img, r->rgb, bytes, f->width, f->height, 3);
}

/* The next decoded frame into r->frame: 1, 0 at the end, or a status. */
static int decode_next(mf_video_reader *r)
{
    for (;;) {
        int averr = avcodec_receive_frame(r->decoder, r->frame);
        if (averr >= 0) {
            if (r->frame->decode_error_flags || (r->frame->flags & AV_FRAME_FLAG_CORRUPT)) return MF_ECORRUPT;
            return 1;
        }
        if (averr == AVERROR_EOF) return 0;
        if (averr != AVERROR(EAGAIN)) return status_of(averr);
        if (r->flushing) return 0;
        averr = av_read_frame(r->format, r->packet);
        if (averr == AVERROR_EOF) {
            r->flushing = 1;
            averr = avcodec_send_packet(r->decoder, NULL);
            if (averr < 0 && averr != AVERROR_EOF) return status_of(averr);
            continue;
        }
        if (averr < 0) return averr == AVERROR(EIO) ? MF_EIO : MF_ECORRUPT;
        int mine = r->packet->stream_index == r->stream;
        int corrupt = (r->packet->flags & AV_PKT_FLAG_CORRUPT) != 0;
        if (mine && !corrupt) averr = avcodec_send_packet(r->decoder, r->packet);
        av_packet_unref(r->packet);
        if (mine && corrupt) return MF_ECORRUPT;
        if (mine && averr < 0) return status_of(averr);
    }
}

int mf_video_reader_next(mf_video_reader *r, mf_image *frame)
{
    if (frame) memset(frame, 0, sizeof *frame);
    if (!r || !frame) return MF_EINVAL;
    if (r->error) return r->error;
    int got = decode_next(r);
    if (got == 1) {
        got = to_rgb(r, frame);
        if (got == MF_OK) got = 1;
        av_frame_unref(r->frame);
    }
    if (got < 0) {
        r->error = got;
        memset(frame, 0, sizeof *frame);
    }
    return got;
}

struct mf_video_writer {
    AVFormatContext *format;
    AVCodecContext *encoder;
    AVStream *stream;
    struct SwsContext *scale;
    AVFrame *frame;
    AVPacket *packet;
    int32_t width, height; /* of the images given */
    int64_t next_pts;
    int header_written, error;
};

static void writer_free(mf_video_writer *w)
{
    sws_freeContext(w->scale);
    av_frame_free(&w->frame);
    av_packet_free(&w->packet);
    avcodec_free_context(&w->encoder);
    if (w->format) {
        if (w->format->pb) avio_closep(&w->format->pb);
        avformat_free_context(w->format);
    }
    free(w);
}

int mf_video_writer_open(mf_video_writer **out, const char *path, int32_t width, int32_t height, int rate_num,
                         int rate_den)
{
    if (!out) return MF_EINVAL;
    *out = NULL;
    if (!path || width < 2 || height < 2 || width > MF_IMAGE_MAX_SIDE || height > MF_IMAGE_MAX_SIDE ||
        rate_num <= 0 || rate_den <= 0)
        return MF_EINVAL;
    if (!mf_video_is_video_name(path)) return MF_EUNSUPPORTED;
    quiet_libav();
    const AVCodec *codec = avcodec_find_encoder(AV_CODEC_ID_MPEG4);
    if (!codec) return MF_EUNSUPPORTED;
    mf_video_writer *w = calloc(1, sizeof *w);
    if (!w) return MF_ENOMEM;
    w->width = width;
    w->height = height;
    int averr = avformat_alloc_output_context2(&w->format, NULL, NULL, path);
    if (averr < 0 || !w->format) {
        writer_free(w);
        return averr == AVERROR(ENOMEM) ? MF_ENOMEM : MF_EUNSUPPORTED;
    }
    w->stream = avformat_new_stream(w->format, NULL);
    w->encoder = avcodec_alloc_context3(codec);
    w->frame = av_frame_alloc();
    w->packet = av_packet_alloc();
    if (!w->stream || !w->encoder || !w->frame || !w->packet) {
        writer_free(w);
        return MF_ENOMEM;
    }
    AVCodecContext *e = w->encoder;
    e->width = width & ~1;
    e->height = height & ~1;
    e->pix_fmt = AV_PIX_FMT_YUV420P;
    e->time_base = (AVRational){rate_den, rate_num};
    e->framerate = (AVRational){rate_num, rate_den};
    e->gop_size = 12;
    e->flags |= AV_CODEC_FLAG_QSCALE;
    e->global_quality = FF_QP2LAMBDA * 3; /* constant quality, labels stay legible */
    if (w->format->oformat->flags & AVFMT_GLOBALHEADER) e->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    averr = avcodec_open2(e, codec, NULL);
    if (averr >= 0) averr = avcodec_parameters_from_context(w->stream->codecpar, e);
    w->stream->time_base = e->time_base;
    w->frame->format = e->pix_fmt;
    w->frame->width = e->width;
    w->frame->height = e->height;
    if (averr >= 0) averr = av_frame_get_buffer(w->frame, 0);
    if (averr < 0) {
        writer_free(w);
        return averr == AVERROR(ENOMEM) ? MF_ENOMEM : MF_EUNSUPPORTED;
    }
    w->scale = sws_getContext(width, height, AV_PIX_FMT_RGB24, e->width, e->height, AV_PIX_FMT_YUV420P,
                              SWS_BICUBIC | SWS_ACCURATE_RND, NULL, NULL, NULL);
    if (!w->scale) {
        writer_free(w);
        return MF_ENOMEM;
    }
    if (!(w->format->oformat->flags & AVFMT_NOFILE) && avio_open(&w->format->pb, path, AVIO_FLAG_WRITE) < 0) {
        writer_free(w);
        return MF_EIO;
    }
    if (avformat_write_header(w->format, NULL) < 0) {
        writer_free(w);
        return MF_EIO;
    }
    w->header_written = 1;
    *out = w;
    return MF_OK;
}

/* Sends FRAME (NULL: flush) and writes every packet the encoder returns. */
static int encode(mf_video_writer *w, AVFrame *frame)
{
    int averr = avcodec_send_frame(w->encoder, frame);
    if (averr < 0) return averr == AVERROR(ENOMEM) ? MF_ENOMEM : MF_EIO;
    for (;;) {
        averr = avcodec_receive_packet(w->encoder, w->packet);
        if (averr == AVERROR(EAGAIN) || averr == AVERROR_EOF) return MF_OK;
        if (averr < 0) return MF_EIO;
        if (w->packet->duration <= 0) w->packet->duration = 1; /* one frame: mp4 needs the last sample's */
        av_packet_rescale_ts(w->packet, w->encoder->time_base, w->stream->time_base);
        w->packet->stream_index = w->stream->index;
        averr = av_interleaved_write_frame(w->format, w->packet); /* takes the packet's data */
        if (averr < 0) return MF_EIO;
    }
}

int mf_video_writer_add(mf_video_writer *w, const mf_image *image)
{
    if (!w || !image || mf_image_check(image) != MF_OK || image->channels != 3 || image->width != w->width ||
        image->height != w->height)
        return MF_EINVAL;
    if (w->error) return w->error;
    if (av_frame_make_writable(w->frame) < 0) return w->error = MF_ENOMEM;
    const uint8_t *planes[4] = {image->data, NULL, NULL, NULL};
    int strides[4] = {image->stride, 0, 0, 0};
    sws_scale(w->scale, planes, strides, 0, image->height, w->frame->data, w->frame->linesize);
    w->frame->pts = w->next_pts++;
    int err = encode(w, w->frame);
    if (err) w->error = err;
    return err;
}

int mf_video_writer_close(mf_video_writer *w)
{
    if (!w) return MF_OK;
    int err = w->error;
    if (!err) err = encode(w, NULL);
    if (w->header_written && av_write_trailer(w->format) < 0 && !err) err = MF_EIO;
    if (w->format && w->format->pb && avio_closep(&w->format->pb) < 0 && !err) err = MF_EIO;
    writer_free(w);
    return err ? MF_EIO : MF_OK;
}
#endif
