/* Power-cut simulator: a RAM NOR device that can lose power in the middle of
 * the N-th program or erase, leaving the partial state a real part would. */
#include "mcuface/mf_flash.h"
#include "mcuface/mf_status.h"
#include <string.h>

static uint32_t next_rand(mf_flash_sim *sim)
{
    /* xorshift32: deterministic, so a failing cut point can be replayed. */
    uint32_t x = sim->rng ? sim->rng : 0x9E3779B9u;
    x ^= x << 13; x ^= x >> 17; x ^= x << 5;
    sim->rng = x;
    return x;
}

/* Counts one operation; returns 1 when this one is to be interrupted. */
static int starts_cut(mf_flash_sim *sim)
{
    sim->ops++;
    if (sim->cut_at != 0 && sim->ops == sim->cut_at) {
        sim->powered = 0;
        return 1;
    }
    return 0;
}

static int sim_read(const mf_flash *flash, uint32_t addr, void *buf, uint32_t len)
{
    const mf_flash_sim *sim = flash->ctx;
    if (!sim->powered) return MF_EIO;
    memcpy(buf, sim->mem + addr, len);
    return MF_OK;
}

static int sim_prog(const mf_flash *flash, uint32_t addr, const void *buf, uint32_t len)
{
    mf_flash_sim *sim = flash->ctx;
    const uint8_t *src = buf;
    if (!sim->powered) return MF_EIO;
    if (!starts_cut(sim)) {
        for (uint32_t i = 0; i < len; i++) sim->mem[addr + i] &= src[i];
        return MF_OK;
    }
    uint32_t units = len / flash->prog_size;
    uint32_t done = next_rand(sim) % units;       /* units fully programmed before the cut */
    uint32_t full = done * flash->prog_size;
    for (uint32_t i = 0; i < full; i++) sim->mem[addr + i] &= src[i];
    for (uint32_t i = full; i < full + flash->prog_size; i++) {
        uint8_t partial = (uint8_t)next_rand(sim);  /* which of the bits to clear made it */
        sim->mem[addr + i] &= (uint8_t)(src[i] | partial);
    }
    return MF_EIO;
}

static int sim_erase(const mf_flash *flash, uint32_t sector)
{
    mf_flash_sim *sim = flash->ctx;
    uint8_t *base = sim->mem + (size_t)sector * flash->sector_size;
    if (!sim->powered) return MF_EIO;
    if (!starts_cut(sim)) {
        memset(base, 0xFF, flash->sector_size);
        return MF_OK;
    }
    uint32_t done = next_rand(sim) % flash->sector_size;
    memset(base, 0xFF, done);
    for (uint32_t i = done; i < done + 32 && i < flash->sector_size; i++) base[i] |= (uint8_t)next_rand(sim);
    return MF_EIO;
}

static int sim_sync(const mf_flash *flash)
{
    const mf_flash_sim *sim = flash->ctx;
    return sim->powered ? MF_OK : MF_EIO;
}

int mf_flash_sim_init(mf_flash_sim *sim, uint8_t *mem, uint32_t sector_size, uint32_t sector_count,
                      uint32_t prog_size, uint32_t seed, mf_flash *flash)
{
    if (!sim || !mem || !flash) return MF_EINVAL;
    memset(sim, 0, sizeof *sim);
    sim->mem = mem;
    sim->rng = seed;
    sim->powered = 1;
    memset(flash, 0, sizeof *flash);
    flash->ctx = sim;
    flash->sector_size = sector_size;
    flash->sector_count = sector_count;
    flash->prog_size = prog_size;
    flash->read = sim_read;
    flash->prog = sim_prog;
    flash->erase = sim_erase;
    flash->sync = sim_sync;
    return mf_flash_check_geometry(flash);
}

void mf_flash_sim_cut_after(mf_flash_sim *sim, uint32_t n)
{
    sim->cut_at = n ? sim->ops + n : 0;
}

void mf_flash_sim_power_on(mf_flash_sim *sim)
{
    sim->powered = 1;
    sim->cut_at = 0;
}

int mf_flash_sim_flip_bit(const mf_flash *flash, uint32_t addr, unsigned bit)
{
    if (!flash || bit > 7 || (uint64_t)addr >= (uint64_t)flash->sector_size * flash->sector_count) return MF_EINVAL;
    mf_flash_sim *sim = flash->ctx;
    sim->mem[addr] ^= (uint8_t)(1u << bit);
    return MF_OK;
}
