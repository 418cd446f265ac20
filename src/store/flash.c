/* Checked access to a flash block device: every store access goes through
 * here, so a bad address or length is an error instead of a backend overrun. */
#include "mcuface/mf_flash.h"
#include "mcuface/mf_status.h"

int mf_flash_check_geometry(const mf_flash *flash)
{
    if (!flash || !flash->read || !flash->prog || !flash->erase) return MF_EINVAL;
    uint32_t p = flash->prog_size;
    if (p == 0 || p > 256 || (p & (p - 1)) != 0) return MF_EINVAL;
    if (flash->sector_size == 0 || flash->sector_size % p != 0 || flash->sector_count == 0) return MF_EINVAL;
    if ((uint64_t)flash->sector_size * flash->sector_count > UINT32_MAX) return MF_EINVAL;
    return MF_OK;
}

static int in_range(const mf_flash *flash, uint32_t addr, uint32_t len)
{
    uint64_t end = (uint64_t)addr + len;
    return end <= (uint64_t)flash->sector_size * flash->sector_count;
}

int mf_flash_read(const mf_flash *flash, uint32_t addr, void *buf, uint32_t len)
{
    if (!flash || (!buf && len) || !in_range(flash, addr, len)) return MF_EINVAL;
    if (len == 0) return MF_OK;
    return flash->read(flash, addr, buf, len);
}

int mf_flash_prog(const mf_flash *flash, uint32_t addr, const void *buf, uint32_t len)
{
    if (!flash || (!buf && len) || !in_range(flash, addr, len)) return MF_EINVAL;
    if (addr % flash->prog_size != 0 || len % flash->prog_size != 0) return MF_EINVAL;
    if (len == 0) return MF_OK;
    return flash->prog(flash, addr, buf, len);
}

int mf_flash_erase(const mf_flash *flash, uint32_t sector)
{
    if (!flash || sector >= flash->sector_count) return MF_EINVAL;
    return flash->erase(flash, sector);
}

int mf_flash_sync(const mf_flash *flash)
{
    if (!flash) return MF_EINVAL;
    return flash->sync ? flash->sync(flash) : MF_OK;
}
