/* Store benchmark: 1:N search over 1k and 10k identities (int8 gallery vs a
 * plain float32 cosine loop over the same data, in this binary), enrollment
 * and mount time of a full store, on a RAM flash with the mbedtls AES-GCM
 * hook. Run through bench/run_bench_store.sh. */
#include "mcuface/mf_store.h"
#include "mcuface/mf_status.h"
#include "mcuface/mf_posix_clock.h"
#include "support/store_fixture.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SECTOR 65536u

static float float_search(const float *gallery, uint32_t n, const float *q, uint32_t *best_id)
{
    /* the peer: normalised float32 gallery, dot product = cosine */
    float best = -2.0f;
    for (uint32_t t = 0; t < n; t++) {
        const float *g = gallery + (size_t)t * MF_STORE_DIM;
        float acc = 0.0f;
        for (int i = 0; i < MF_STORE_DIM; i++) acc += g[i] * q[i];
        if (acc > best) { best = acc; *best_id = t + 1; }
    }
    return best;
}

static void normalise(float *v)
{
    double s = 0;
    for (int i = 0; i < MF_STORE_DIM; i++) s += (double)v[i] * v[i];
    for (int i = 0; i < MF_STORE_DIM; i++) v[i] = (float)(v[i] / __builtin_sqrt(s));
}

static int run(uint32_t n_ids, int queries)
{
    uint32_t slots_per_sector = (SECTOR - 64) / 672;
    uint32_t sectors = (n_ids + slots_per_sector - 3) / (slots_per_sector - 2) + 2;
    size_t bytes = (size_t)SECTOR * sectors;
    uint8_t *mem = malloc(bytes);
    float *gallery = malloc((size_t)n_ids * MF_STORE_DIM * sizeof(float));
    if (!mem || !gallery) return 1;
    mf_flash_ram ram;
    mf_flash flash;
    mf_flash_ram_init(&ram, mem, SECTOR, sectors, 16, &flash);
    mf_flash_ram_format(&flash);
    store_fixture fx;
    memset(&fx, 0, sizeof fx);
    if (fixture_crypto(&fx, 1) || fixture_mount(&fx, &flash, n_ids + 1, n_ids + 1, NULL)) return 1;
    char name[32];
    double t0 = mf_clock_seconds();
    for (uint32_t i = 0; i < n_ids; i++) {
        float *e = gallery + (size_t)i * MF_STORE_DIM;
        fixture_embedding(i + 1, e);
        snprintf(name, sizeof name, "id%u", (unsigned)i);
        /* the duplicate check is a 1:N search per enroll; measured separately below */
        if (mf_store_enroll(&fx.store, name, e, 1, MF_STORE_ALLOW_DUPLICATE, NULL, NULL) != MF_OK) return 1;
        normalise(e);
    }
    double t_enroll = mf_clock_seconds() - t0;
    float probe[MF_STORE_DIM];
    fixture_embedding(n_ids + 7, probe);
    t0 = mf_clock_seconds();
    int dup_rc = mf_store_enroll(&fx.store, "checked", probe, 1, 0, NULL, NULL);
    double t_enroll_checked = mf_clock_seconds() - t0;
    if (dup_rc != MF_OK) return 1;

    fixture_unmount(&fx);
    t0 = mf_clock_seconds();
    mf_store_stats st;
    if (fixture_mount(&fx, &flash, n_ids + 1, n_ids + 1, &st) != MF_OK) return 1;
    double t_mount = mf_clock_seconds() - t0;

    mf_store_match m[5];
    uint32_t agree = 0, fid = 0;
    volatile float sink = 0;
    t0 = mf_clock_seconds();
    for (int q = 0; q < queries; q++) {
        fixture_perturb(gallery + (size_t)(q % n_ids) * MF_STORE_DIM, (uint32_t)q, 0.3f, probe);
        sink += (float)mf_store_identify(&fx.store, probe, -1.0f, m, 5);
    }
    double t_int8 = (mf_clock_seconds() - t0) / queries;
    t0 = mf_clock_seconds();
    for (int q = 0; q < queries; q++) {
        fixture_perturb(gallery + (size_t)(q % n_ids) * MF_STORE_DIM, (uint32_t)q, 0.3f, probe);
        normalise(probe);
        sink += float_search(gallery, n_ids, probe, &fid);
    }
    double t_f32 = (mf_clock_seconds() - t0) / queries;
    for (int q = 0; q < 50; q++) {
        fixture_perturb(gallery + (size_t)(q % n_ids) * MF_STORE_DIM, (uint32_t)q, 0.3f, probe);
        int n = mf_store_identify(&fx.store, probe, 0.0f, m, 1);
        normalise(probe);
        float_search(gallery, n_ids, probe, &fid);
        agree += n == 1 && m[0].id == fid;
    }
    printf("identities %5u: search int8 %8.3f ms  float32 peer %8.3f ms  ratio %.2fx  top-1 agree %u/50 | "
           "enroll %.1f us/id (with duplicate check %.3f ms) | mount %.1f ms (%u records, %u sectors of %u KiB)\n",
           (unsigned)n_ids, t_int8 * 1e3, t_f32 * 1e3, t_f32 / t_int8, (unsigned)agree, t_enroll / n_ids * 1e6,
           t_enroll_checked * 1e3, t_mount * 1e3, (unsigned)st.records_valid, (unsigned)sectors,
           (unsigned)(SECTOR / 1024));
    (void)sink;
    fixture_release(&fx);
    free(mem);
    free(gallery);
    return 0;
}

int main(void)
{
    if (run(1000, 400)) return 1;
    if (run(10000, 100)) return 1;
    return 0;
}
