#define _POSIX_C_SOURCE 200809L
#include "mcuface/mf_posix_file.h"
#include "mcuface/mf_posix_clock.h"
#include "mcuface/mf_status.h"
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

int mf_map_file(const char *path, mf_mapped_file *out)
{
    if (!path || !out) return MF_EINVAL;
    out->data = NULL;
    out->size = 0;
    int fd = -1;
    size_t size = 0;
    int err = mf_open_regular_file(path, &fd, &size);
    if (err) return err;
    if (size == 0) { close(fd); return MF_OK; } /* empty: the loader reports it as corrupt */
    void *p = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (p == MAP_FAILED) return MF_EIO;
    out->data = p;
    out->size = size;
    return MF_OK;
}

void mf_unmap_file(mf_mapped_file *file)
{
    if (file && file->data) munmap((void *)file->data, file->size);
    if (file) { file->data = NULL; file->size = 0; }
}

double mf_clock_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}
