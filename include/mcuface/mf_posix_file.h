/* Host port (library mcuface_posix): model and data files, read safely.
 * Nothing here is used by the portable core.
 * Thread safety: every function may be called from any thread; a mapping
 * is read-only, so one may be shared by threads (each with its own model
 * object, see mf_model.h); unmap it only after every user is done. */
#ifndef MCUFACE_MF_POSIX_FILE_H
#define MCUFACE_MF_POSIX_FILE_H
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

/* Opens PATH read-only after checking it is a regular file (never blocks
 * on a FIFO). *FD_OUT gets the descriptor (close it), *SIZE_OUT (may be
 * NULL) its size. Returns MF_OK, MF_EINVAL, MF_ENOTFOUND, MF_EIO or
 * MF_EUNSUPPORTED (a FIFO, device, socket or directory). */
int mf_open_regular_file(const char *path, int *fd_out, size_t *size_out);

/* Reads the whole regular file PATH into a malloc'd buffer (*DATA_OUT, free
 * it) of *SIZE_OUT bytes. The statuses of mf_open_regular_file, plus
 * MF_ERANGE (larger than MAX_BYTES: nothing is read) and MF_ENOMEM. */
int mf_read_regular_file(const char *path, size_t max_bytes, uint8_t **data_out, size_t *size_out);
#endif
