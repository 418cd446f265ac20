/* Retention errors: single and multi-bit flips anywhere in any record (and in
 * sector headers) are detected at mount, and a damaged record costs only
 * itself: every other identity, template and name stays intact. Record fields
 * are located with the documented layout (docs/STORE.md). */
#include "mf_test.h"
#include "support/store_fixture.h"
#include "mcuface/mf_status.h"
#include <stdio.h>
#include <string.h>

#define SECTOR 4096u
#define SECTORS 6u
#define HEADER 64u          /* sector header, prog_size 16 */
#define SLOT 672u           /* 640-byte body + commit unit + obsolete unit */
#define BODY 632u           /* bytes covered by the CRC (with the CRC) */
#define PER_SECTOR 6u
#define N_IDS 6

typedef struct expect {
    uint32_t id;
    char name[64], old_name[64];
    uint32_t seeds[4], n;
} expect;

static uint8_t mem[SECTOR * SECTORS], pristine[SECTOR * SECTORS];
static mf_flash_sim sim;
static mf_flash flash;
static expect want[N_IDS];
static store_fixture fx;

static int template_ok(uint32_t id, uint32_t seed)
{
    float e[MF_STORE_DIM];
    fixture_embedding(seed, e);
    mf_store_match m[1];
    return mf_store_identify(&fx.store, e, 0.0f, m, 1) == 1 && m[0].id == id && m[0].score > 0.99f;
}

/* Checks the remounted store against WANT; the identity DAMAGED_ID may have
 * lost the damaged record (per its TYPE), nothing else may change. */
static int state_ok(uint32_t damaged_id, int type)
{
    int count = mf_store_count(&fx.store), missing = 0;
    for (int i = 0; i < N_IDS; i++) {
        const expect *w = &want[i];
        mf_store_identity info;
        if (mf_store_find_id(&fx.store, w->id, &info) != MF_OK) {
            if (w->id == damaged_id && type == 1) { missing++; continue; }   /* its ENROLL record */
            return 0;
        }
        int name_ok = strcmp(info.name, w->name) == 0 ||
                      (w->id == damaged_id && type == 3 && strcmp(info.name, w->old_name) == 0);
        if (!name_ok) return 0;
        uint32_t found = 0;
        for (uint32_t k = 0; k < w->n; k++) found += (uint32_t)template_ok(w->id, w->seeds[k]);
        if (found != info.template_count) return 0;
        if (found != w->n && !(w->id == damaged_id && type == 2 && found == w->n - 1)) return 0;
    }
    return count == N_IDS - missing;
}

static void build(void)
{
    mf_flash_sim_init(&sim, mem, SECTOR, SECTORS, 16, 5, &flash);
    memset(mem, 0xFF, sizeof mem);
    fixture_crypto(&fx, 3);
    MF_CHECK_EQ_INT(fixture_mount(&fx, &flash, 16, 32, NULL), MF_OK);
    float e[MF_STORE_DIM];
    for (int i = 0; i < N_IDS; i++) {
        snprintf(want[i].name, sizeof want[i].name, "face %d", i);
        snprintf(want[i].old_name, sizeof want[i].old_name, "face %d", i);
        want[i].seeds[0] = 700 + (uint32_t)i;
        want[i].n = 1;
        fixture_embedding(want[i].seeds[0], e);
        MF_CHECK_EQ_INT(mf_store_enroll(&fx.store, want[i].name, e, 1, 0, &want[i].id, NULL), MF_OK);
    }
    for (uint32_t k = 1; k < 3; k++) {   /* identity 1 gets two more samples */
        want[1].seeds[k] = 800 + k;
        fixture_embedding(want[1].seeds[k], e);
        MF_CHECK_EQ_INT(mf_store_add_sample(&fx.store, want[1].id, e), MF_OK);
        want[1].n++;
    }
    snprintf(want[2].name, sizeof want[2].name, "renamed two");
    MF_CHECK_EQ_INT(mf_store_rename(&fx.store, want[2].id, want[2].name), MF_OK);
    snprintf(want[3].old_name, sizeof want[3].old_name, "three a");
    MF_CHECK_EQ_INT(mf_store_rename(&fx.store, want[3].id, "three a"), MF_OK);
    snprintf(want[3].name, sizeof want[3].name, "three b");
    MF_CHECK_EQ_INT(mf_store_rename(&fx.store, want[3].id, "three b"), MF_OK);
    memcpy(pristine, mem, sizeof mem);
}

static uint32_t get_u32(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }

static uint32_t rnd(uint32_t *s)
{
    uint32_t x = *s;
    x ^= x << 13; x ^= x >> 17; x ^= x << 5;
    return *s = x;
}

static void test_flips_in_records(void)
{
    build();
    mf_store_stats base;
    fixture_unmount(&fx);
    MF_CHECK_EQ_INT(fixture_mount(&fx, &flash, 16, 32, &base), MF_OK);
    MF_CHECK(state_ok(0, 0));
    MF_CHECK_EQ_INT(base.records_corrupt, 0);
    uint32_t trials = 0, detected = 0, wrong = 0, slots = 0, rng = 99;
    for (uint32_t sec = 0; sec < SECTORS; sec++) {
        for (uint32_t k = 0; k < PER_SECTOR; k++) {
            uint32_t addr = sec * SECTOR + HEADER + k * SLOT;
            const uint8_t *slot = pristine + addr;
            if (get_u32(slot) != 0x4352464Du) continue;   /* blank slot */
            slots++;
            uint32_t type = slot[4], id = get_u32(slot + 12);
            /* 40 single-bit flips across the body, 8 multi-bit bursts, then
             * single flips in the commit and obsolete markers */
            for (int t = 0; t < 52; t++) {
                memcpy(mem, pristine, sizeof mem);
                int in_body = t < 48;
                if (t < 40) {
                    uint32_t off = (uint32_t)t * (BODY / 40) + rnd(&rng) % (BODY / 40);
                    mf_flash_sim_flip_bit(&flash, addr + off, rnd(&rng) % 8);
                } else if (t < 48) {
                    uint32_t bits = 2 + (uint32_t)(t - 40) * 4;   /* 2..30 bits */
                    for (uint32_t b = 0; b < bits; b++)
                        mf_flash_sim_flip_bit(&flash, addr + rnd(&rng) % BODY, rnd(&rng) % 8);
                } else {
                    uint32_t off = 640 + (t >= 50 ? 16u : 0u) + rnd(&rng) % 4;
                    mf_flash_sim_flip_bit(&flash, addr + off, rnd(&rng) % 8);
                }
                if (in_body && memcmp(mem + addr, pristine + addr, BODY) == 0) continue;  /* flips cancelled */
                trials++;
                mf_store_stats st;
                fixture_unmount(&fx);
                int err = fixture_mount(&fx, &flash, 16, 32, &st);
                if (err != MF_OK) { wrong++; fprintf(stderr, "slot %u trial %d: mount %d\n", (unsigned)(addr), t, err); continue; }
                if (in_body) {
                    if (st.records_corrupt + st.records_auth_failed == 1) detected++;
                    else fprintf(stderr, "slot at %u trial %d: not detected\n", (unsigned)addr, t);
                    if (!state_ok(id, (int)type)) { wrong++; fprintf(stderr, "slot at %u trial %d: other data changed\n", (unsigned)addr, t); }
                } else if (!state_ok(0, 0) || st.records_corrupt != 0) {
                    wrong++;   /* one flipped marker bit must change nothing */
                    fprintf(stderr, "slot at %u trial %d: marker flip changed state\n", (unsigned)addr, t);
                }
            }
        }
    }
    printf("bit flips: %u records, %u damaged mounts, %u body damages detected, %u wrong\n", (unsigned)slots,
           (unsigned)trials, (unsigned)detected, (unsigned)wrong);
    MF_CHECK(slots >= N_IDS + 4);
    MF_CHECK_EQ_INT(wrong, 0);
    MF_CHECK_EQ_INT(detected, trials - slots * 4);   /* every body damage, marker trials excluded */
    fixture_release(&fx);
}

static void test_flips_in_sector_headers(void)
{
    build();
    uint32_t rng = 7, wrong = 0, n = 0;
    for (uint32_t sec = 0; sec < SECTORS; sec++) {
        if (pristine[sec * SECTOR] == 0xFF) continue;
        for (int t = 0; t < 8; t++) {
            memcpy(mem, pristine, sizeof mem);
            mf_flash_sim_flip_bit(&flash, sec * SECTOR + rnd(&rng) % 60, rnd(&rng) % 8);
            mf_store_stats st;
            fixture_unmount(&fx);
            n++;
            if (fixture_mount(&fx, &flash, 16, 32, &st) != MF_OK || st.sectors_bad_header != 1 || !state_ok(0, 0)) {
                wrong++;
                continue;
            }
            /* and the store keeps working: enroll, remount, find it */
            float e[MF_STORE_DIM];
            fixture_embedding(4242, e);
            uint32_t id;
            if (mf_store_enroll(&fx.store, "late", e, 1, 0, &id, NULL) != MF_OK) wrong++;
            fixture_unmount(&fx);
            mf_store_identity info;
            if (fixture_mount(&fx, &flash, 16, 32, NULL) != MF_OK || mf_store_find_id(&fx.store, id, &info) != MF_OK)
                wrong++;
        }
    }
    printf("sector header flips: %u, wrong %u\n", (unsigned)n, (unsigned)wrong);
    MF_CHECK(n >= 8);
    MF_CHECK_EQ_INT(wrong, 0);
    fixture_release(&fx);
}

int main(void)
{
    MF_RUN(test_flips_in_records);
    MF_RUN(test_flips_in_sector_headers);
    return mf_test_summary();
}
