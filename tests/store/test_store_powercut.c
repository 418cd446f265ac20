/* Power loss at every program and erase step of a scripted sequence of
 * enrolls, samples, renames and deletes (with garbage collection), on the
 * simulated NOR flash. After each cut: remount, and check that every
 * operation that returned success is present and intact, that the operation
 * in flight is either fully there or not at all, and that the store still
 * takes new enrollments (also when power fails again during that one). */
#include "mf_test.h"
#include "support/store_fixture.h"
#include "mcuface/mf_status.h"
#include <stdio.h>
#include <string.h>

#define SECTOR 4096u     /* 6 record slots per sector */
#define SECTORS 4u       /* capacity (4 - 1) * (6 - 2) = 12 live records */
#define SCRIPT_OPS 150
#define MAX_IDS 32

typedef struct model_ident {
    uint32_t id;           /* 0: the in-flight enroll, id not known */
    char name[64];
    uint32_t seeds[MF_STORE_MAX_TEMPLATES];
    uint32_t n_templates;
    int has_rename;
} model_ident;

typedef struct model {
    model_ident ids[MAX_IDS];
    uint32_t n;
    uint32_t max_id;       /* highest id ever returned */
} model;

static uint8_t mem[SECTOR * SECTORS];
static mf_flash_sim sim;
static mf_flash flash;

static uint32_t rnd(uint32_t *s)
{
    uint32_t x = *s;
    x ^= x << 13; x ^= x >> 17; x ^= x << 5;
    return *s = x;
}

/* Live records the store needs for state M (enrollment, samples, latest rename). */
static uint32_t records(const model *m)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < m->n; i++) n += m->ids[i].n_templates + (uint32_t)m->ids[i].has_rename;
    return n;
}

/* One scripted step, chosen from the model state so a replay is identical.
 * Applies it to the store; on success also to *AFTER. Returns the status. */
static int step(mf_store *s, uint32_t op, uint32_t *rng, const model *before, model *after)
{
    float e[MF_STORE_DIM];
    char name[64];
    uint32_t r = rnd(rng) % 10;
    *after = *before;
    if (before->n == 0 || (r < 4 && records(before) + 2 <= 11)) {
        uint32_t seed = 10000 + op;
        fixture_embedding(seed, e);
        snprintf(name, sizeof name, "person-%u", (unsigned)op);
        uint32_t id;
        int err = mf_store_enroll(s, name, e, 1, 0, &id, NULL);
        if (err) return err;
        model_ident *mi = &after->ids[after->n++];
        memset(mi, 0, sizeof *mi);
        mi->id = id;
        snprintf(mi->name, sizeof mi->name, "%s", name);
        mi->seeds[0] = seed;
        mi->n_templates = 1;
        if (id > after->max_id) after->max_id = id;
        return MF_OK;
    }
    uint32_t k = rnd(rng) % before->n;
    const model_ident *t = &before->ids[k];
    if (r < 6 || records(before) + 2 > 11) {
        int err = mf_store_delete(s, t->id);
        if (!err) after->ids[k] = after->ids[--after->n];
        return err;
    }
    if (r < 8) {
        snprintf(name, sizeof name, "renamed-%u", (unsigned)op);
        int err = mf_store_rename(s, t->id, name);
        if (err) return err;
        snprintf(after->ids[k].name, sizeof after->ids[k].name, "%s", name);
        after->ids[k].has_rename = 1;
        return MF_OK;
    }
    if (t->n_templates >= MF_STORE_MAX_TEMPLATES) return MF_OK;
    uint32_t seed = 20000 + op;
    fixture_embedding(seed, e);
    int err = mf_store_add_sample(s, t->id, e);
    if (err) return err;
    after->ids[k].seeds[after->ids[k].n_templates++] = seed;
    return MF_OK;
}

/* Runs the script until it ends or an operation fails. *DONE gets the state
 * after the last successful operation, *OK_OPS how many succeeded. Returns
 * the failing status or MF_OK. */
static int run_script(mf_store *s, model *done, uint32_t *ok_ops)
{
    uint32_t rng = 2463534242u;
    memset(done, 0, sizeof *done);
    for (uint32_t op = 0; op < SCRIPT_OPS; op++) {
        model next;
        int err = step(s, op, &rng, done, &next);
        *ok_ops = op;
        if (err) return err;
        *done = next;
    }
    *ok_ops = SCRIPT_OPS;
    return MF_OK;
}

/* Does the store hold exactly the identities of M, with intact templates? The
 * identity with id 0 in M is matched by name (an enroll that was in flight). */
static int store_equals(mf_store *s, const model *m)
{
    if (mf_store_count(s) != (int)m->n) return 0;
    for (uint32_t i = 0; i < m->n; i++) {
        const model_ident *mi = &m->ids[i];
        mf_store_identity info;
        int err = mi->id ? mf_store_find_id(s, mi->id, &info) : mf_store_find_name(s, mi->name, &info);
        if (err || strcmp(info.name, mi->name) != 0 || info.template_count != mi->n_templates) return 0;
        for (uint32_t k = 0; k < mi->n_templates; k++) {
            float e[MF_STORE_DIM];
            fixture_embedding(mi->seeds[k], e);
            mf_store_match best[1];
            if (mf_store_identify(s, e, 0.0f, best, 1) != 1 || best[0].id != info.id || best[0].score < 0.99f)
                return 0;
        }
    }
    return 1;
}

/* The states the in-flight operation may leave: DONE, or DONE plus that
 * operation. Rebuilt by replaying the script on a scratch store that does not
 * lose power. */
static void reference_states(uint32_t ok_ops, model *done, model *with_next)
{
    static uint8_t ref_mem[SECTOR * SECTORS];
    mf_flash_ram ram;
    mf_flash rflash;
    mf_flash_ram_init(&ram, ref_mem, SECTOR, SECTORS, 16, &rflash);
    mf_flash_ram_format(&rflash);
    store_fixture fx = {0};
    fixture_crypto(&fx, 7);
    fixture_mount(&fx, &rflash, MAX_IDS, 64, NULL);
    uint32_t rng = 2463534242u;
    memset(done, 0, sizeof *done);
    for (uint32_t op = 0; op < ok_ops; op++) {
        model next;
        step(&fx.store, op, &rng, done, &next);
        *done = next;
    }
    /* ids are deterministic (same script, fresh store), so the in-flight
     * enroll would get the same id on both */
    if (step(&fx.store, ok_ops, &rng, done, with_next) != MF_OK) *with_next = *done;
    fixture_release(&fx);
}

static void test_cut_everywhere(void)
{
    store_fixture fx = {0};
    MF_CHECK_EQ_INT(fixture_crypto(&fx, 7), MF_OK);

    /* Dry run: how many program/erase operations does the script take? */
    mf_flash_sim_init(&sim, mem, SECTOR, SECTORS, 16, 1, &flash);
    memset(mem, 0xFF, sizeof mem);
    MF_CHECK_EQ_INT(fixture_mount(&fx, &flash, MAX_IDS, 64, NULL), MF_OK);
    model done;
    uint32_t ok_ops;
    MF_CHECK_EQ_INT(run_script(&fx.store, &done, &ok_ops), MF_OK);
    mf_store_stats st;
    mf_store_get_stats(&fx.store, &st);
    uint32_t total = sim.ops;
    printf("script: %d operations, %u program/erase steps, %u garbage collections, %u identities at the end\n",
           SCRIPT_OPS, (unsigned)total, (unsigned)st.gc_runs, (unsigned)done.n);
    MF_CHECK(st.gc_runs >= 3);
    MF_CHECK(store_equals(&fx.store, &done));

    uint32_t exercised = 0, applied = 0, bad = 0, second_cuts = 0;
    for (uint32_t cut = 1; cut <= total; cut++) {
        mf_flash_sim_init(&sim, mem, SECTOR, SECTORS, 16, cut * 2654435761u, &flash);
        memset(mem, 0xFF, sizeof mem);
        fixture_unmount(&fx);
        if (fixture_mount(&fx, &flash, MAX_IDS, 64, NULL) != MF_OK) { bad++; continue; }
        mf_flash_sim_cut_after(&sim, cut);
        int err = run_script(&fx.store, &done, &ok_ops);
        if (sim.powered) { bad++; continue; }   /* the script must have hit the cut */
        exercised++;
        if (err != MF_EIO) { bad++; fprintf(stderr, "cut %u: status %d\n", (unsigned)cut, err); continue; }
        uint32_t max_id = done.max_id;
        model ref_done, with_next;
        reference_states(ok_ops, &ref_done, &with_next);
        if (!(ref_done.n == done.n && memcmp(ref_done.ids, done.ids, sizeof done.ids[0] * done.n) == 0)) bad++;

        mf_flash_sim_power_on(&sim);
        fixture_unmount(&fx);
        if (fixture_mount(&fx, &flash, MAX_IDS, 64, NULL) != MF_OK) {
            bad++;
            fprintf(stderr, "cut %u: remount failed\n", (unsigned)cut);
            continue;
        }
        int old_state = store_equals(&fx.store, &done), new_state = store_equals(&fx.store, &with_next);
        applied += new_state && !old_state;
        if (!old_state && !new_state) {
            bad++;
            fprintf(stderr, "cut %u: state after remount is neither before nor after op %u\n", (unsigned)cut,
                    (unsigned)ok_ops);
            continue;
        }
        model now = new_state && !old_state ? with_next : done;
        /* Still takes enrollments, with fresh ids; first with power failing again. */
        float e[MF_STORE_DIM];
        fixture_embedding(90000 + cut, e);
        uint32_t id = 0;
        mf_flash_sim_cut_after(&sim, 1 + cut % 7);
        err = mf_store_enroll(&fx.store, "after-cut", e, 1, 0, &id, NULL);
        if (!sim.powered) second_cuts++;
        mf_flash_sim_power_on(&sim);
        fixture_unmount(&fx);
        if (fixture_mount(&fx, &flash, MAX_IDS, 64, NULL) != MF_OK) { bad++; continue; }
        mf_store_identity info;
        if (mf_store_find_name(&fx.store, "after-cut", &info) == MF_OK) {
            if (err == MF_OK && info.id != id) bad++;
            if (mf_store_delete(&fx.store, info.id) != MF_OK) bad++;
        } else if (err == MF_OK) {
            bad++;
        }
        if (!store_equals(&fx.store, &now)) {
            bad++;
            fprintf(stderr, "cut %u: second cut disturbed earlier data\n", (unsigned)cut);
            continue;
        }
        if (mf_store_enroll(&fx.store, "after-cut-2", e, 1, 0, &id, NULL) != MF_OK || id <= max_id) {
            bad++;
            fprintf(stderr, "cut %u: enroll after remount failed or reused id %u\n", (unsigned)cut, (unsigned)id);
        }
    }
    printf("power cut points exercised: %u of %u (in-flight op applied in %u, second cut during recovery in %u), "
           "failures %u\n", (unsigned)exercised, (unsigned)total, (unsigned)applied, (unsigned)second_cuts,
           (unsigned)bad);
    MF_CHECK_EQ_INT(exercised, total);
    MF_CHECK_EQ_INT(bad, 0);
    fixture_release(&fx);
}

/* ---- batches: an import and a multi-sample add, cut at every step ---- */

enum { BATCH_IMPORT, BATCH_ADD_SAMPLES };
#define FILLERS 2   /* garbage before the add: it then spans a collection (checked below) */
static uint8_t import_file[8192];
static size_t import_len;

/* Garbage in three sectors, each also holding a live identity, so the batch
 * that follows must collect garbage in the middle. */
static int batch_op(mf_store *s, int kind, uint32_t keep);

static int prelude(mf_store *s, int kind, uint32_t *keep)
{
    float e[MF_STORE_DIM];
    char name[16];
    for (uint32_t i = 0; i < 15; i++) {
        uint32_t id;
        fixture_embedding(300 + i, e);
        snprintf(name, sizeof name, "g%u", (unsigned)i);
        if (mf_store_enroll(s, name, e, 1, 0, &id, NULL) || mf_store_delete(s, id)) return 1;
        if (i == 2) {
            fixture_embedding(400, e);
            if (mf_store_enroll(s, "p0", e, 1, 0, keep, NULL)) return 1;
            fixture_embedding(401, e);
            if (mf_store_add_sample(s, *keep, e)) return 1;
        } else if (i % 5 == 3) {
            fixture_embedding(410 + i, e);
            snprintf(name, sizeof name, "p%u", (unsigned)i);
            if (mf_store_enroll(s, name, e, 1, 0, NULL, NULL)) return 1;
        }
    }
    /* before add_samples, the import too (and one delete): the flash is fuller */
    if (kind != BATCH_ADD_SAMPLES) return 0;
    mf_store_identity info;
    if (batch_op(s, BATCH_IMPORT, *keep) != MF_OK || mf_store_find_name(s, "p13", &info) != MF_OK ||
        mf_store_delete(s, info.id) != MF_OK)
        return 1;
    /* fill the active sector with garbage so the add needs a collection */
    for (uint32_t i = 0; i < FILLERS; i++) {
        uint32_t id;
        fixture_embedding(450 + i, e);
        snprintf(name, sizeof name, "f%u", (unsigned)i);
        if (mf_store_enroll(s, name, e, 1, 0, &id, NULL) || mf_store_delete(s, id)) return 1;
    }
    return 0;
}

static int batch_op(mf_store *s, int kind, uint32_t keep)
{
    if (kind == BATCH_IMPORT) {
        static uint8_t copy[sizeof import_file];
        memcpy(copy, import_file, import_len);
        int n = mf_store_import(s, NULL, MF_STORE_EXPORT_PLAINTEXT, copy, import_len);
        return n < 0 ? n : MF_OK;
    }
    float e[2 * MF_STORE_DIM];   /* fills the flash to its capacity */
    for (uint32_t k = 0; k < 2; k++) fixture_embedding(500 + k, e + k * MF_STORE_DIM);
    return mf_store_add_samples(s, keep, e, 2);
}

/* The store's state as a clear export (ids, names, templates, in id order). */
static size_t snapshot_state(mf_store *s, uint8_t *out, size_t cap)
{
    size_t len = 0;
    if (mf_store_export(s, NULL, MF_STORE_EXPORT_PLAINTEXT, out, cap, &len) != MF_OK) return 0;
    return len;
}

static int same_state(mf_store *s, const uint8_t *want, size_t want_len)
{
    static uint8_t now[8192];
    mf_store_identity info;
    if (mf_store_find_name(s, "later", &info) == MF_OK && mf_store_delete(s, info.id) != MF_OK) return 0;
    size_t len = snapshot_state(s, now, sizeof now);
    return len == want_len && memcmp(now, want, len) == 0;
}

static void test_cut_batches(void)
{
    /* the file to import: three identities with 1, 2 and 2 templates */
    {
        static uint8_t fmem[SECTOR * SECTORS];
        mf_flash_ram fram;
        mf_flash fflash;
        mf_flash_ram_init(&fram, fmem, SECTOR, SECTORS, 16, &fflash);
        mf_flash_ram_format(&fflash);
        store_fixture src = {0};
        fixture_crypto(&src, 8);
        MF_CHECK_EQ_INT(fixture_mount(&src, &fflash, MAX_IDS, 64, NULL), MF_OK);
        float e[MF_STORE_DIM];
        for (uint32_t i = 0; i < 3; i++) {
            uint32_t id;
            char name[16];
            snprintf(name, sizeof name, "imported-%u", (unsigned)i);
            fixture_embedding(600 + i, e);
            MF_CHECK_EQ_INT(mf_store_enroll(&src.store, name, e, 1, 0, &id, NULL), MF_OK);
            if (i > 0) {
                fixture_embedding(700 + i, e);
                MF_CHECK_EQ_INT(mf_store_add_sample(&src.store, id, e), MF_OK);
            }
        }
        MF_CHECK_EQ_INT(mf_store_export(&src.store, NULL, MF_STORE_EXPORT_PLAINTEXT, import_file, sizeof import_file,
                                        &import_len), MF_OK);
        fixture_release(&src);
    }
    static const char *names[] = { "import", "add_samples" };
    for (int kind = BATCH_IMPORT; kind <= BATCH_ADD_SAMPLES; kind++) {
        static uint8_t before[8192], after[8192];
        store_fixture fx = {0};
        fixture_crypto(&fx, 7);
        uint32_t keep = 0;
        mf_flash_sim_init(&sim, mem, SECTOR, SECTORS, 16, 1, &flash);
        memset(mem, 0xFF, sizeof mem);
        MF_CHECK_EQ_INT(fixture_mount(&fx, &flash, MAX_IDS, 64, NULL), MF_OK);
        MF_CHECK_EQ_INT(prelude(&fx.store, kind, &keep), 0);
        uint32_t start = sim.ops;
        mf_store_stats st;
        mf_store_get_stats(&fx.store, &st);
        uint32_t gc_before = st.gc_runs;
        size_t before_len = snapshot_state(&fx.store, before, sizeof before);
        MF_CHECK_EQ_INT(batch_op(&fx.store, kind, keep), MF_OK);
        uint32_t steps = sim.ops - start;
        mf_store_get_stats(&fx.store, &st);
        size_t after_len = snapshot_state(&fx.store, after, sizeof after);
        MF_CHECK(before_len > 0 && after_len > before_len);
        MF_CHECK(st.gc_runs > gc_before);   /* the batch spans a garbage collection */
        uint32_t bad = 0, applied = 0, second = 0;
        for (uint32_t cut = 1; cut <= steps; cut++) {
            mf_flash_sim_init(&sim, mem, SECTOR, SECTORS, 16, cut * 2654435761u, &flash);
            memset(mem, 0xFF, sizeof mem);
            fixture_unmount(&fx);
            if (fixture_mount(&fx, &flash, MAX_IDS, 64, NULL) != MF_OK || prelude(&fx.store, kind, &keep)) { bad++; continue; }
            mf_flash_sim_cut_after(&sim, cut);
            int err = batch_op(&fx.store, kind, keep);
            if (sim.powered || err != MF_EIO) { bad++; fprintf(stderr, "%s cut %u: status %d\n", names[kind], (unsigned)cut, err); continue; }
            mf_flash_sim_power_on(&sim);
            fixture_unmount(&fx);
            if (fixture_mount(&fx, &flash, MAX_IDS, 64, NULL) != MF_OK) { bad++; continue; }
            int is_before = same_state(&fx.store, before, before_len), is_after = same_state(&fx.store, after, after_len);
            if (!is_before && !is_after) {
                bad++;
                fprintf(stderr, "%s cut %u: state is neither before nor after the batch\n", names[kind], (unsigned)cut);
                continue;
            }
            applied += is_after;
            const uint8_t *want = is_after ? after : before;
            size_t want_len = is_after ? after_len : before_len;
            /* the first write after remount finishes the batch's markers: cut it too */
            float e[MF_STORE_DIM];
            fixture_embedding(800 + cut, e);
            mf_flash_sim_cut_after(&sim, 1 + cut % 4);
            mf_store_enroll(&fx.store, "later", e, 1, 0, NULL, NULL);
            second += !sim.powered;
            mf_flash_sim_power_on(&sim);
            fixture_unmount(&fx);
            if (fixture_mount(&fx, &flash, MAX_IDS, 64, NULL) != MF_OK || !same_state(&fx.store, want, want_len)) {
                bad++;
                fprintf(stderr, "%s cut %u: a cut during the next write changed the state\n", names[kind], (unsigned)cut);
                continue;
            }
            /* and the store still works, keeping the state over a clean write */
            if (mf_store_enroll(&fx.store, "later", e, 1, 0, NULL, NULL) != MF_OK) { bad++; continue; }
            fixture_unmount(&fx);
            if (fixture_mount(&fx, &flash, MAX_IDS, 64, NULL) != MF_OK || !same_state(&fx.store, want, want_len)) {
                bad++;
                fprintf(stderr, "%s cut %u: state lost after a later write\n", names[kind], (unsigned)cut);
            }
        }
        printf("%s batch: %u program/erase steps, each cut: %u applied, %u before, %u second cuts, failures %u\n",
               names[kind], (unsigned)steps, (unsigned)applied, (unsigned)(steps - applied), (unsigned)second,
               (unsigned)bad);
        MF_CHECK_EQ_INT(bad, 0);
        MF_CHECK(applied > 0 && applied < steps);
        fixture_release(&fx);
    }
}

int main(void)
{
    MF_RUN(test_cut_batches);
    MF_RUN(test_cut_everywhere);
    return mf_test_summary();
}
