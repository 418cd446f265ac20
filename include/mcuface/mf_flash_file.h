/* Host port (library mcuface_posix): a file that behaves as NOR flash, the
 * enrollment store's storage on a host. Nothing here is used by the core.
 * Thread safety: one mf_flash_file (and the mf_flash it filled) is used by
 * one thread at a time, as the store that owns it is; separate files are
 * independent. Processes sharing one path must all open it with
 * mf_flash_file_open_ex and a lock (mf_flash_file_open takes none). */
#ifndef MCUFACE_MF_FLASH_FILE_H
#define MCUFACE_MF_FLASH_FILE_H
#include "mcuface/mf_flash.h"
#include <stdint.h>

/* Opens PATH as a flash of SECTOR_COUNT sectors of SECTOR_SIZE bytes. A
 * missing file is created erased (0xFF); an existing one must have exactly
 * that size (MF_EINVAL otherwise). Program reads, ANDs and writes back, so the
 * file obeys NOR rules. sync is fsync. Close with mf_flash_file_close. */
typedef struct mf_flash_file {
    int fd;
} mf_flash_file;

int mf_flash_file_open(mf_flash_file *file, const char *path, uint32_t sector_size, uint32_t sector_count,
                       uint32_t prog_size, mf_flash *flash);

/* How mf_flash_file_open_ex opens and locks. The lock is an advisory
 * flock(2) on the file, held until mf_flash_file_close: processes that all
 * lock see each other's writes whole (open, mount and sync under the lock). */
typedef enum mf_flash_file_lock {
    MF_FLASH_FILE_NO_LOCK = 0,    /* read-write, no lock (tests, one process) */
    MF_FLASH_FILE_SHARED = 1,     /* read-only (program and erase fail with MF_EIO); other readers may share it */
    MF_FLASH_FILE_EXCLUSIVE = 2   /* read-write, no other lock holder */
} mf_flash_file_lock;

typedef enum mf_flash_file_create {
    MF_FLASH_FILE_MUST_EXIST = 0, /* a missing file is MF_ENOTFOUND */
    MF_FLASH_FILE_CREATE = 1,     /* a missing (or empty) file is created erased */
    MF_FLASH_FILE_CREATE_NEW = 2  /* the file must not exist (O_EXCL, symlinks not followed): MF_EEXIST */
} mf_flash_file_create;

typedef struct mf_flash_file_options {
    mf_flash_file_lock lock;
    uint32_t lock_timeout_ms;     /* wait this long for a conflicting lock to go away */
    mf_flash_file_create create;
} mf_flash_file_options;

/* As mf_flash_file_open, with OPTIONS (caller-owned, read during the call).
 * SECTOR_COUNT 0 takes the count from the size of an existing file (which
 * must be a non-zero multiple of SECTOR_SIZE: MF_EINVAL otherwise). The file
 * must be a regular file (MF_EUNSUPPORTED: FIFO, device, directory; never
 * blocks on a FIFO). A lock still held by another process after
 * LOCK_TIMEOUT_MS is MF_ESTATE (busy). Also MF_ENOTFOUND, MF_EEXIST, MF_EIO.
 * On failure nothing is left open. */
int mf_flash_file_open_ex(mf_flash_file *file, const char *path, uint32_t sector_size, uint32_t sector_count,
                          uint32_t prog_size, const mf_flash_file_options *options, mf_flash *flash);
/* Closes the file (releasing its lock). */
void mf_flash_file_close(mf_flash_file *file);
#endif
