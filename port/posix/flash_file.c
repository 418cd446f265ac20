/* File-backed flash for the host: NOR rules on a regular file. */
#define _DEFAULT_SOURCE
#include "mcuface/mf_flash_file.h"
#include "mcuface/mf_status.h"
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
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

int mf_flash_file_open(mf_flash_file *file, const char *path, uint32_t sector_size, uint32_t sector_count,
                       uint32_t prog_size, mf_flash *flash)
{
    if (!file || !path || !flash) return MF_EINVAL;
    file->fd = -1;
    memset(flash, 0, sizeof *flash);
    flash->ctx = file;
    flash->sector_size = sector_size;
    flash->sector_count = sector_count;
    flash->prog_size = prog_size;
    flash->read = file_read;
    flash->prog = file_prog;
    flash->erase = file_erase;
    flash->sync = file_sync;
    int err = mf_flash_check_geometry(flash);
    if (err) return err;
    int fd = open(path, O_RDWR | O_CREAT, 0600);
    if (fd < 0) return errno == ENOENT ? MF_ENOTFOUND : MF_EIO;
    struct stat st;
    off_t size = (off_t)sector_size * sector_count;
    if (fstat(fd, &st) != 0) { close(fd); return MF_EIO; }
    file->fd = fd;
    if (st.st_size == 0) {
        for (uint32_t i = 0; i < sector_count; i++) {
            if ((err = file_erase(flash, i)) != MF_OK) { close(fd); file->fd = -1; return err; }
        }
    } else if (st.st_size != size) {
        close(fd);
        file->fd = -1;
        return MF_EINVAL;
    }
    return MF_OK;
}

void mf_flash_file_close(mf_flash_file *file)
{
    if (file && file->fd >= 0) {
        close(file->fd);
        file->fd = -1;
    }
}
