/* Flash block device: a struct of function pointers plus geometry, in the
 * style of littlefs. Semantics are those of NOR flash:
 *   - read any byte range;
 *   - program only clears bits (1 -> 0): programming ANDs the new data into
 *     what is there; addresses and lengths are multiples of prog_size;
 *   - erase sets a whole sector to 0xFF.
 * Backends: RAM (mf_flash_ram_init), a power-cut simulator (mf_flash_sim_init),
 * a host file (mcuface/mf_flash_file.h: mf_flash_file_open). All callbacks return MF_OK or
 * a negative mf_status (MF_EIO when the medium fails or power is gone).
 *
 * Thread safety: a device is used by one thread at a time (its owner, the
 * store, serialises its calls); separate devices are independent.
 */
#ifndef MCUFACE_MF_FLASH_H
#define MCUFACE_MF_FLASH_H
#include <stddef.h>
#include <stdint.h>

typedef struct mf_flash mf_flash;

struct mf_flash {
    void *ctx;              /* backend state, owned by the backend */
    uint32_t sector_size;   /* erase unit in bytes, a multiple of prog_size */
    uint32_t sector_count;  /* number of sectors; the device spans sector_size * sector_count bytes */
    uint32_t prog_size;     /* program unit in bytes (power of two, 1..256) */
    /* Reads LEN bytes at byte address ADDR into BUF. */
    int (*read)(const mf_flash *flash, uint32_t addr, void *buf, uint32_t len);
    /* Programs LEN bytes (ANDs them in); ADDR and LEN are multiples of prog_size. */
    int (*prog)(const mf_flash *flash, uint32_t addr, const void *buf, uint32_t len);
    /* Erases sector SECTOR (0-based) to 0xFF. */
    int (*erase)(const mf_flash *flash, uint32_t sector);
    /* Makes everything programmed so far durable (may be NULL: nothing to do). */
    int (*sync)(const mf_flash *flash);
};

/* Checked wrappers used by the store: they validate bounds and alignment
 * (MF_EINVAL) before calling the backend. */
int mf_flash_check_geometry(const mf_flash *flash);
int mf_flash_read(const mf_flash *flash, uint32_t addr, void *buf, uint32_t len);
int mf_flash_prog(const mf_flash *flash, uint32_t addr, const void *buf, uint32_t len);
int mf_flash_erase(const mf_flash *flash, uint32_t sector);
int mf_flash_sync(const mf_flash *flash);

/* ---- RAM backend (portable; tests, fuzzing, benchmarks) ----
 * MEM (caller-owned, sector_size * sector_count bytes) is the medium; it is
 * used as is (call mf_flash_ram_format or memset 0xFF for a blank device).
 * FLASH is filled in and points at RAM, which must outlive it. */
typedef struct mf_flash_ram {
    uint8_t *mem;
    uint32_t prog_count;   /* program calls so far (statistics) */
    uint32_t erase_count;  /* erase calls so far */
} mf_flash_ram;

int mf_flash_ram_init(mf_flash_ram *ram, uint8_t *mem, uint32_t sector_size, uint32_t sector_count,
                      uint32_t prog_size, mf_flash *flash);
/* Sets every byte of the medium to 0xFF. */
void mf_flash_ram_format(const mf_flash *flash);

/* ---- Power-cut simulator (portable; tests) ----
 * A RAM medium that counts program and erase operations. When the operation
 * number cut_at (1-based; 0 = never) starts, it is only partly done and power
 * is "lost": an interrupted program fully programs some leading units, then
 * clears a pseudo-random subset of the bits of the next unit, and leaves the
 * rest untouched; an interrupted erase sets a leading part of the sector to
 * 0xFF, sets random bits in the next 32 bytes, and leaves the rest. After the
 * cut every call returns MF_EIO until mf_flash_sim_power_on. */
typedef struct mf_flash_sim {
    uint8_t *mem;
    uint32_t ops;          /* program + erase operations started so far */
    uint32_t cut_at;       /* operation number to interrupt; 0 = never */
    uint32_t rng;          /* state for the partial-operation pattern */
    int powered;           /* 0 after a cut */
} mf_flash_sim;

/* Like mf_flash_ram_init; SEED picks the partial-operation patterns. */
int mf_flash_sim_init(mf_flash_sim *sim, uint8_t *mem, uint32_t sector_size, uint32_t sector_count,
                      uint32_t prog_size, uint32_t seed, mf_flash *flash);
/* Arms a cut at operation number ops + N (N >= 1), or disarms with N = 0. */
void mf_flash_sim_cut_after(mf_flash_sim *sim, uint32_t n);
/* Restores power (the medium keeps whatever the cut left). */
void mf_flash_sim_power_on(mf_flash_sim *sim);
/* Inverts bit BIT (0..7) of the byte at ADDR: models a retention error. */
int mf_flash_sim_flip_bit(const mf_flash *flash, uint32_t addr, unsigned bit);

#endif
