/* Host port: files and clock. Nothing here is used by the portable core. */
#ifndef MCUFACE_MF_POSIX_H
#define MCUFACE_MF_POSIX_H
#include <stddef.h>
#include <stdint.h>

/* A read-only mapping of a whole file (mmap; the model weights are used in place). */
typedef struct mf_mapped_file {
    const uint8_t *data;
    size_t size;
} mf_mapped_file;

/* Maps PATH read-only. Returns MF_OK, MF_ENOTFOUND or MF_EIO. Release with mf_unmap_file. */
int mf_map_file(const char *path, mf_mapped_file *out);
void mf_unmap_file(mf_mapped_file *file);

/* Monotonic time in seconds. */
double mf_clock_seconds(void);
#endif
