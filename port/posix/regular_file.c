/* Opening and reading files that must be regular files. A FIFO, a device or
 * a directory given where an image, a key or an export is expected would
 * otherwise block forever or be read without end: refuse them before the
 * first read. */
#define _POSIX_C_SOURCE 200809L
#include "mcuface/mf_posix_file.h"
#include "mcuface/mf_status.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

int mf_open_regular_file(const char *path, int *fd_out, size_t *size_out)
{
    if (!path || !fd_out) return MF_EINVAL;
    *fd_out = -1;
    if (size_out) *size_out = 0;
    /* O_NONBLOCK: opening a FIFO with no writer must not wait for one. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return errno == ENOENT || errno == ENOTDIR ? MF_ENOTFOUND : MF_EIO;
    struct stat st;
    if (fstat(fd, &st) != 0) {
        close(fd);
        return MF_EIO;
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return MF_EUNSUPPORTED;
    }
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0) {
        close(fd);
        return MF_EIO;
    }
    *fd_out = fd;
    if (size_out) *size_out = (size_t)st.st_size;
    return MF_OK;
}

int mf_read_regular_file(const char *path, size_t max_bytes, uint8_t **data_out, size_t *size_out)
{
    if (!data_out || !size_out) return MF_EINVAL;
    *data_out = NULL;
    *size_out = 0;
    int fd = -1;
    size_t size = 0;
    int err = mf_open_regular_file(path, &fd, &size);
    if (err) return err;
    if (size > max_bytes) {
        close(fd);
        return MF_ERANGE;
    }
    uint8_t *buf = malloc(size ? size : 1);
    if (!buf) {
        close(fd);
        return MF_ENOMEM;
    }
    size_t got = 0;
    while (got < size) {
        ssize_t r = read(fd, buf + got, size - got);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break; /* error, or the file shrank while read */
        got += (size_t)r;
    }
    close(fd);
    if (got != size) {
        free(buf);
        return MF_EIO;
    }
    *data_out = buf;
    *size_out = size;
    return MF_OK;
}
