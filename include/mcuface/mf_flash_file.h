/* Host port (library mcuface_posix): a file that behaves as NOR flash, the
 * enrollment store's storage on a host. Nothing here is used by the core.
 * Thread safety: one mf_flash_file (and the mf_flash it filled) is used by
 * one thread at a time, as the store that owns it is; separate files are
 * independent. Two processes must not open one path at once (no locking
 * here; the CLI's store layer locks). */
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
void mf_flash_file_close(mf_flash_file *file);
#endif
