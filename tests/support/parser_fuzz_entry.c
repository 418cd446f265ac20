/* The parser fuzz entry points (parser_fuzz.h). */
#include "parser_fuzz.h"
#include "crc32.h"
#include "mcuface/mf_model.h"
#include "mcuface/mf_status.h"
#include "mcuface/mf_image_file.h"
#include "model_files.h"
#include "store/store_internal.h"
#include "support/store_fixture.h"
#include <stdlib.h>
#include <string.h>

static void require(int cond)
{
    if (!cond) abort();
}

int mf_fuzz_image_decode(const uint8_t *data, size_t size)
{
    mf_image img;
    int err = mf_image_decode(data, size, &img);
    if (err == MF_OK) {
        require(img.width > 0 && img.height > 0 && img.stride >= img.width * 3);
        /* Touch every pixel so the sanitizers see the whole buffer. */
        volatile uint8_t sink = 0;
        for (int y = 0; y < img.height; y++)
            for (int x = 0; x < img.width * 3; x++) sink ^= img.data[(size_t)y * (size_t)img.stride + (size_t)x];
        (void)sink;
        mf_image_free(&img);
    }
    return 0;
}

int mf_fuzz_image_exif(const uint8_t *data, size_t size)
{
    int orientation = mf_image_exif_orientation(data, size);
    require(orientation >= 1 && orientation <= 8);
    return 0;
}

static void plan_and_run(mf_model *model, int32_t open_size)
{
    int32_t dims[4];
    int rank = mf_model_input_dims(model, 0, dims);
    require(rank >= 1 && rank <= 4);
    for (int d = 0; d < rank; d++)
        if (dims[d] == 0) dims[d] = open_size;
    size_t ws_bytes = mf_model_workspace_bytes(model);
    require(ws_bytes > 0);
    void *ws = malloc(ws_bytes);
    require(ws != NULL);
    size_t arena_bytes = 0;
    int err = mf_model_plan(model, ws, ws_bytes, dims, rank, &arena_bytes);
    /* Running is worth it only while cheap: the kernels trust the plan. */
    if (err == MF_OK && arena_bytes <= (1u << 20) && mf_model_get_stats(model)->macs <= 2000000u) {
        void *arena = aligned_alloc(16, (arena_bytes + 15) / 16 * 16 + 16);
        require(arena != NULL);
        memset(arena, 0, arena_bytes);
        require(mf_model_bind(model, arena, arena_bytes) == MF_OK);
        require(mf_model_run(model) == MF_OK);
        free(arena);
    }
    free(ws);
}

int mf_fuzz_model(const uint8_t *data, size_t size)
{
    uint8_t *blob = mf_test_aligned_copy(data, size);
    require(blob != NULL);
    if (size >= 24) {
        uint32_t n = (uint32_t)size;
        memcpy(blob + 12, &n, 4);  /* file bytes */
        mf_test_patch_model_crc(blob, size);
    }
    mf_model model;
    if (mf_model_open(&model, blob, size) == MF_OK) {
        require(mf_model_input_count(&model) >= 1 && mf_model_output_count(&model) >= 1);
        plan_and_run(&model, 8);
        plan_and_run(&model, 33);
    }
    free(blob);
    return 0;
}

/* The fuzz geometry's layout (docs/STORE.md sections 1-3, P = 16), the CRC
 * offsets from the store's own record definitions so a format change
 * cannot leave this behind. */
#define HEADER_SIZE 64u
#define HEADER_CRC_AT ((size_t)SH_CRC)
#define BODY_CRC_AT ((size_t)RB_CRC)
#define SLOT_SIZE 672u
_Static_assert(MF_FUZZ_PROG == 16 && SH_BYTES <= HEADER_SIZE && RB_BYTES + 16 + 16 == SLOT_SIZE,
               "fuzz geometry layout out of date with docs/STORE.md section 1");

static int blank(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != 0xFF) return 0;
    return 1;
}

static void put_crc(uint8_t *p, size_t covered)
{
    uint32_t crc = mf_crc32(0, p, covered);
    for (int i = 0; i < 4; i++) p[covered + (size_t)i] = (uint8_t)(crc >> (8 * i));
}

int mf_fuzz_store_mount_fixed_crc(const uint8_t *data, size_t size)
{
    static uint8_t mem[MF_FUZZ_SECTOR_SIZE * MF_FUZZ_SECTORS];
    memset(mem, 0xFF, sizeof mem);
    memcpy(mem, data, size < sizeof mem ? size : sizeof mem);
    uint32_t slots = (MF_FUZZ_SECTOR_SIZE - HEADER_SIZE) / SLOT_SIZE;
    for (uint32_t s = 0; s < MF_FUZZ_SECTORS; s++) {
        uint8_t *sector = mem + (size_t)s * MF_FUZZ_SECTOR_SIZE;
        if (!blank(sector, HEADER_CRC_AT + 4)) put_crc(sector, HEADER_CRC_AT);
        for (uint32_t k = 0; k < slots; k++) {
            uint8_t *body = sector + HEADER_SIZE + (size_t)k * SLOT_SIZE;
            if (!blank(body, BODY_CRC_AT + 4)) put_crc(body, BODY_CRC_AT);
        }
    }
    return mf_fuzz_store_mount(mem, sizeof mem);
}
