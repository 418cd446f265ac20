/* File-backed flash for the host: NOR rules on a regular file, optionally
 * under an advisory lock shared with other processes. */
#define _DEFAULT_SOURCE
#include "mcuface/mf_flash_file.h"
#include "mcuface/mf_status.h"
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int full_pread(int fd, void *buf, size_t len, off_t off)
{
    uint8_t *p = buf;
    while (len > 0) {
        ssize_t n = pread(fd, p, len, off);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return MF_EIO;
        p += n; len -= (size_t)n; off += n;
    }
    return MF_OK;
}

static int full_pwrite(int fd, const void *buf, size_t len, off_t off)
{
    const uint8_t *p = buf;
    while (len > 0) {
        ssize_t n = pwrite(fd, p, len, off);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return MF_EIO;
        p += n; len -= (size_t)n; off += n;
    }
    return MF_OK;
}

static int file_read(const mf_flash *flash, uint32_t addr, void *buf, uint32_t len)
{
    const mf_flash_file *file = flash->ctx;
    return full_pread(file->fd, buf, len, (off_t)addr);
}

static int file_prog(const mf_flash *flash, uint32_t addr, const void *buf, uint32_t len)
{
    const mf_flash_file *file = flash->ctx;
    const uint8_t *src = buf;
    uint8_t chunk[512];
    for (uint32_t done = 0; done < len;) {
        uint32_t n = len - done < sizeof chunk ? len - done : (uint32_t)sizeof chunk;
        int err = full_pread(file->fd, chunk, n, (off_t)(addr + done));
        if (err) return err;
        for (uint32_t i = 0; i < n; i++) chunk[i] &= src[done + i];
        if ((err = full_pwrite(file->fd, chunk, n, (off_t)(addr + done))) != MF_OK) return err;
        done += n;
    }
    return MF_OK;
}

static int file_erase(const mf_flash *flash, uint32_t sector)
{
    const mf_flash_file *file = flash->ctx;
    uint8_t ff[512];
    memset(ff, 0xFF, sizeof ff);
    off_t base = (off_t)sector * flash->sector_size;
    for (uint32_t done = 0; done < flash->sector_size;) {
        uint32_t n = flash->sector_size - done < sizeof ff ? flash->sector_size - done : (uint32_t)sizeof ff;
        int err = full_pwrite(file->fd, ff, n, base + done);
        if (err) return err;
        done += n;
    }
    return MF_OK;
}

static int file_sync(const mf_flash *flash)
{
    const mf_flash_file *file = flash->ctx;
    return fsync(file->fd) == 0 ? MF_OK : MF_EIO;
}

/* Takes the advisory lock, polling (a blocking flock cannot time out
 * without signals) with a short backoff. MF_ESTATE when still busy. */
static int lock_file(int fd, mf_flash_file_lock lock, uint32_t timeout_ms)
{
    int op = (lock == MF_FLASH_FILE_SHARED ? LOCK_SH : LOCK_EX) | LOCK_NB;
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    long pause_us = 500;
    for (;;) {
        if (flock(fd, op) == 0) return MF_OK;
        if (errno == EINTR) continue;
        if (errno != EWOULDBLOCK) return MF_EIO;
        clock_gettime(CLOCK_MONOTONIC, &now);
        double waited_ms = (double)(now.tv_sec - start.tv_sec) * 1e3 + (double)(now.tv_nsec - start.tv_nsec) / 1e6;
        if (waited_ms >= (double)timeout_ms) return MF_ESTATE;
        struct timespec pause = {0, pause_us * 1000};
        nanosleep(&pause, NULL);
        if (pause_us < 16000) pause_us *= 2;
    }
}

static int open_descriptor(const char *path, const mf_flash_file_options *o)
{
    int flags = (o->lock == MF_FLASH_FILE_SHARED ? O_RDONLY : O_RDWR) | O_NONBLOCK | O_CLOEXEC;
    if (o->create == MF_FLASH_FILE_CREATE) flags |= O_CREAT;
    if (o->create == MF_FLASH_FILE_CREATE_NEW) flags |= O_CREAT | O_EXCL | O_NOFOLLOW;
    int fd = open(path, flags, 0600);
    if (fd < 0) {
        if (errno == ENOENT || errno == ENOTDIR) return MF_ENOTFOUND;
        if (errno == EEXIST) return MF_EEXIST;
        return errno == EISDIR ? MF_EUNSUPPORTED : MF_EIO;
    }
    return fd;
}

int mf_flash_file_open_ex(mf_flash_file *file, const char *path, uint32_t sector_size, uint32_t sector_count,
                          uint32_t prog_size, const mf_flash_file_options *options, mf_flash *flash)
{
    if (!file || !path || !flash || !options) return MF_EINVAL;
    file->fd = -1;
    memset(flash, 0, sizeof *flash);
    if (sector_count != 0) {  /* a bad geometry creates nothing */
        mf_flash probe = {.sector_size = sector_size, .sector_count = sector_count, .prog_size = prog_size,
                          .read = file_read, .prog = file_prog, .erase = file_erase};
        int err = mf_flash_check_geometry(&probe);
        if (err) return err;
    }
    /* O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below. */
    int fd = open_descriptor(path, options);
    if (fd < 0) return fd;
    struct stat st;
    int err = fstat(fd, &st) == 0 ? MF_OK : MF_EIO;
    if (!err && !S_ISREG(st.st_mode)) err = MF_EUNSUPPORTED;
    if (!err && fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) != 0) err = MF_EIO;
    if (!err && options->lock != MF_FLASH_FILE_NO_LOCK) err = lock_file(fd, options->lock, options->lock_timeout_ms);
    /* The size is read under the lock: only then is it the size others leave. */
    if (!err && fstat(fd, &st) != 0) err = MF_EIO;
    if (!err && sector_count == 0) {
        if (sector_size == 0 || st.st_size <= 0 || (uint64_t)st.st_size % sector_size != 0 ||
            (uint64_t)st.st_size / sector_size > 0xFFFFFFFFu)
            err = MF_EINVAL;
        else sector_count = (uint32_t)((uint64_t)st.st_size / sector_size);
    }
    if (err) { close(fd); return err; }
    flash->ctx = file;
    flash->sector_size = sector_size;
    flash->sector_count = sector_count;
    flash->prog_size = prog_size;
    flash->read = file_read;
    flash->prog = file_prog;
    flash->erase = file_erase;
    flash->sync = file_sync;
    if ((err = mf_flash_check_geometry(flash)) != MF_OK) { close(fd); return err; }
    off_t size = (off_t)sector_size * sector_count;
    file->fd = fd;
    if (st.st_size == 0 && options->create != MF_FLASH_FILE_MUST_EXIST) {
        for (uint32_t i = 0; i < sector_count && !err; i++) err = file_erase(flash, i);
    } else if (st.st_size != size) {
        err = MF_EINVAL;
    }
    if (err) { close(fd); file->fd = -1; }
    return err;
}

int mf_flash_file_open(mf_flash_file *file, const char *path, uint32_t sector_size, uint32_t sector_count,
                       uint32_t prog_size, mf_flash *flash)
{
    const mf_flash_file_options options = {MF_FLASH_FILE_NO_LOCK, 0, MF_FLASH_FILE_CREATE};
    if (sector_count == 0) return MF_EINVAL;
    return mf_flash_file_open_ex(file, path, sector_size, sector_count, prog_size, &options, flash);
}

void mf_flash_file_close(mf_flash_file *file)
{
    if (file && file->fd >= 0) {
        close(file->fd);
        file->fd = -1;
    }
}
