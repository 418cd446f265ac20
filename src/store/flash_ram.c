/* RAM flash backend with NOR semantics: program ANDs, erase sets 0xFF. */
#include "mcuface/mf_flash.h"
#include "mcuface/mf_status.h"
#include <string.h>

static int ram_read(const mf_flash *flash, uint32_t addr, void *buf, uint32_t len)
{
    const mf_flash_ram *ram = flash->ctx;
    memcpy(buf, ram->mem + addr, len);
    return MF_OK;
}

static int ram_prog(const mf_flash *flash, uint32_t addr, const void *buf, uint32_t len)
{
    mf_flash_ram *ram = flash->ctx;
    const uint8_t *src = buf;
    for (uint32_t i = 0; i < len; i++) ram->mem[addr + i] &= src[i];
    ram->prog_count++;
    return MF_OK;
}

static int ram_erase(const mf_flash *flash, uint32_t sector)
{
    mf_flash_ram *ram = flash->ctx;
    memset(ram->mem + (size_t)sector * flash->sector_size, 0xFF, flash->sector_size);
    ram->erase_count++;
    return MF_OK;
}

int mf_flash_ram_init(mf_flash_ram *ram, uint8_t *mem, uint32_t sector_size, uint32_t sector_count,
                      uint32_t prog_size, mf_flash *flash)
{
    if (!ram || !mem || !flash) return MF_EINVAL;
    memset(ram, 0, sizeof *ram);
    ram->mem = mem;
    memset(flash, 0, sizeof *flash);
    flash->ctx = ram;
    flash->sector_size = sector_size;
    flash->sector_count = sector_count;
    flash->prog_size = prog_size;
    flash->read = ram_read;
    flash->prog = ram_prog;
    flash->erase = ram_erase;
    return mf_flash_check_geometry(flash);
}

void mf_flash_ram_format(const mf_flash *flash)
{
    const mf_flash_ram *ram = flash->ctx;
    memset(ram->mem, 0xFF, (size_t)flash->sector_size * flash->sector_count);
}
