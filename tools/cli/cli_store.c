#define _POSIX_C_SOURCE 200809L
#include "cli_store.h"
#include "mcuface/mf_status.h"
#include "mcuface/mf_image_file.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utf8proc.h>


int cli_store_parse(const cli_command *cmd, int argc, char **argv, cli_store_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->precision = CLI_DEFAULT_PRECISION;
    opt->size = 320;
    opt->sectors = CLI_STORE_DEFAULT_SECTORS;
    opt->liveness = 1;
    opt->cascade = 1;
    opt->threshold = -1.0f;
    opt->wait_s = CLI_STORE_DEFAULT_WAIT_S;
    opt->max_faces = CLI_DEFAULT_MAX_FACES;
    const char *env_key = getenv("MCUFACE_KEY_FILE");
    if (env_key && *env_key) opt->key_file = env_key;
    int count = 0, status = cli_args_parse(cmd, argc, argv, opt, &count);
    for (int i = 0; i < count; i++) opt->positional[i] = argv[1 + i];
    opt->positional_count = count;
    return status;
}

int cli_store_require_paths(const cli_store_options *opt)
{
    if (!opt->db) return cli_usage_error("--db FILE is required");
    if (!opt->key_file) return cli_usage_error("--key-file KEY (or $MCUFACE_KEY_FILE) is required");
    return 0;
}

int cli_store_fail(const char *what, int status)
{
    switch (status) {
    case MF_EAUTH: fprintf(stderr, "mcuface: %s: wrong key (the store was written with another key)\n", what); break;
    case MF_ENOSPC: fprintf(stderr, "mcuface: %s: store full\n", what); break;
    case MF_ENOTFOUND: fprintf(stderr, "mcuface: %s: no such identity\n", what); break;
    case MF_EUNSUPPORTED: fprintf(stderr, "mcuface: %s: written by a newer mcuface (format not supported)\n", what); break;
    default: return cli_fail(what, status);
    }
    return 1;
}

/* Reads the key, refusing a file of the wrong size, anything but a regular
 * file (a FIFO would block) or one that group or others may access (a key
 * anyone can read protects nothing). */
static int read_key(const char *path, uint8_t key[MF_STORE_KEY_BYTES])
{
    int fd = -1;
    size_t size = 0;
    int err = mf_open_regular_file(path, &fd, &size);
    if (err == MF_EUNSUPPORTED) {
        fprintf(stderr, "mcuface: key file %s: not a regular file\n", path);
        return 1;
    }
    if (err) {
        fprintf(stderr, "mcuface: key file %s: %s\n", path, err == MF_ENOTFOUND ? strerror(ENOENT) : mf_status_str(err));
        return 1;
    }
    struct stat st;
    int bad = 1;
    if (fstat(fd, &st) != 0) fprintf(stderr, "mcuface: key file %s: %s\n", path, strerror(errno));
    else if (size != MF_STORE_KEY_BYTES)
        fprintf(stderr, "mcuface: key file %s: must hold exactly %d bytes, has %zu\n", path, MF_STORE_KEY_BYTES, size);
    else if (st.st_mode & (S_IRWXG | S_IRWXO))
        fprintf(stderr, "mcuface: key file %s: accessible by group or others (mode %03o); run chmod 600 on it\n", path,
                (unsigned)(st.st_mode & 0777));
    else if (read(fd, key, MF_STORE_KEY_BYTES) != MF_STORE_KEY_BYTES)
        fprintf(stderr, "mcuface: key file %s: short read\n", path);
    else bad = 0;
    close(fd);
    return bad;
}

int cli_store_create_key(const char *path, int *created)
{
    *created = 0;
    uint8_t key[MF_STORE_KEY_BYTES];
    int rnd = open("/dev/urandom", O_RDONLY);
    ssize_t got = rnd >= 0 ? read(rnd, key, sizeof key) : -1;
    if (rnd >= 0) close(rnd);
    if (got != (ssize_t)sizeof key) {
        fprintf(stderr, "mcuface: cannot read /dev/urandom for a new key\n");
        return 1;
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0) {
        fprintf(stderr, "mcuface: cannot create key file %s: %s\n", path, strerror(errno));
        memset(key, 0, sizeof key);
        return 1;
    }
    int ok = write(fd, key, sizeof key) == (ssize_t)sizeof key && fsync(fd) == 0;
    memset(key, 0, sizeof key);
    if (close(fd) != 0) ok = 0;
    if (!ok) {
        fprintf(stderr, "mcuface: cannot write key file %s\n", path);
        unlink(path);
        return 1;
    }
    *created = 1;
    return 0;
}

static int setup_crypto(cli_store *cs, const char *key_path)
{
    uint8_t key[MF_STORE_KEY_BYTES];
    if (read_key(key_path, key)) return 1;
    int err = mf_store_crypto_mbedtls_init(&cs->gcm, mf_store_key_from_bytes, key, &cs->crypto);
    memset(key, 0, sizeof key);
    if (err) return cli_fail("crypto", err);
    cs->gcm_ready = 1;
    return 0;
}

/* Mounts with a gallery big enough for anything the flash can hold: every
 * record slot is larger than 512 bytes, so size / 512 bounds the count. */
static int mount(cli_store *cs, const char *db_path)
{
    uint32_t bound = (uint32_t)((uint64_t)cs->flash.sector_size * cs->flash.sector_count / 512u);
    size_t need = mf_store_ram_size(&cs->flash, bound, bound);
    if (need == 0) {
        fprintf(stderr, "mcuface: db %s: unusable flash geometry\n", db_path);
        return 1;
    }
    cs->ram = aligned_alloc(8, (need + 7) & ~(size_t)7);
    if (!cs->ram) return cli_fail("db", MF_ENOMEM);
    mf_store_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.flash = &cs->flash;
    cfg.crypto = &cs->crypto;
    cfg.ram = cs->ram;
    cfg.ram_size = need;
    cfg.max_identities = bound;
    cfg.max_templates = bound;
    mf_store_stats stats;
    int err = mf_store_mount(&cs->store, &cfg, &stats);
    if (err) {
        char what[600];
        snprintf(what, sizeof what, "db %s", db_path);
        return cli_store_fail(what, err);
    }
    if (stats.records_corrupt || stats.records_auth_failed)
        fprintf(stderr, "mcuface: warning: db %s: %u damaged and %u tampered records skipped\n", db_path,
                stats.records_corrupt, stats.records_auth_failed);
    return 0;
}

/* Whether every sector's header unit is erased: a file no init finished
 * (a wipe programs one header; a collection programs the next before it
 * erases the old). Such a file would mount under any key. */
static int never_initialised(const mf_flash *flash)
{
    for (uint32_t sector = 0; sector < flash->sector_count; sector++) {
        uint8_t head[32];
        if (flash->read(flash, sector * flash->sector_size, head, sizeof head) != MF_OK) return 0;
        for (size_t k = 0; k < sizeof head; k++)
            if (head[k] != 0xFF) return 0;
    }
    return 1;
}

static void print_open_error(const char *db_path, int err, int fd, uint32_t wait_ms)
{
    if (err == MF_ENOTFOUND)
        fprintf(stderr, "mcuface: db %s: %s (create it with 'mcuface db --db FILE --key-file KEY init')\n", db_path,
                strerror(ENOENT));
    else if (err == MF_ESTATE)
        fprintf(stderr, "mcuface: db %s is busy: another mcuface command held it for %.1f s (try again, or --wait S)\n",
                db_path, wait_ms / 1000.0);
    else if (err == MF_EUNSUPPORTED) fprintf(stderr, "mcuface: db %s: not a regular file\n", db_path);
    else if (err == MF_EINVAL) {
        struct stat st;
        int known = fd >= 0 ? fstat(fd, &st) == 0 : stat(db_path, &st) == 0;
        unsigned long long size = known ? (unsigned long long)st.st_size : 0;
        fprintf(stderr, "mcuface: db %s: not an mcuface db (size %llu is not 2..%u sectors of %u bytes)\n", db_path,
                size, CLI_STORE_MAX_SECTORS, CLI_STORE_SECTOR_SIZE);
    } else fprintf(stderr, "mcuface: db %s: cannot open: %s\n", db_path, mf_status_str(err));
}

int cli_store_open(cli_store *cs, const char *db_path, const char *key_path, cli_store_access access, double wait_s)
{
    memset(cs, 0, sizeof *cs);
    cs->file.fd = -1;
    if (setup_crypto(cs, key_path)) return 1;
    mf_flash_file_options fo;
    fo.lock = access == CLI_STORE_WRITE ? MF_FLASH_FILE_EXCLUSIVE : MF_FLASH_FILE_SHARED;
    fo.lock_timeout_ms = (uint32_t)(wait_s * 1000.0 + 0.5);
    fo.create = MF_FLASH_FILE_MUST_EXIST;  /* a missing db is reported, not created */
    /* Sector count 0: taken from the file's size, read under the lock. */
    int err = mf_flash_file_open_ex(&cs->file, db_path, CLI_STORE_SECTOR_SIZE, 0, CLI_STORE_PROG_SIZE, &fo, &cs->flash);
    if (!err && (cs->flash.sector_count < 2 || cs->flash.sector_count > CLI_STORE_MAX_SECTORS)) err = MF_EINVAL;
    if (err) {
        print_open_error(db_path, err, cs->file.fd, fo.lock_timeout_ms);
        cli_store_close(cs);
        return 1;
    }
    if (never_initialised(&cs->flash)) {
        fprintf(stderr, "mcuface: db %s holds no store (an interrupted init?): remove it and run init again\n", db_path);
        cli_store_close(cs);
        return 1;
    }
    if (mount(cs, db_path)) {
        cli_store_close(cs);
        return 1;
    }
    return 0;
}

/* Makes a rename or link in PATH's directory durable. */
static int sync_parent_dir(const char *path)
{
    char dir[4096];
    const char *slash = strrchr(path, '/');
    size_t n = slash ? (size_t)(slash - path) : 0;
    if (n >= sizeof dir) return -1;
    if (slash && n == 0) strcpy(dir, "/");
    else if (slash) { memcpy(dir, path, n); dir[n] = '\0'; }
    else strcpy(dir, ".");
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

/* Whether the existing PATH looks like a db: a regular file of whole sectors. */
static int looks_like_db(const struct stat *st)
{
    uint64_t size = (uint64_t)st->st_size;
    return S_ISREG(st->st_mode) && size % CLI_STORE_SECTOR_SIZE == 0 && size / CLI_STORE_SECTOR_SIZE >= 2 &&
           size / CLI_STORE_SECTOR_SIZE <= CLI_STORE_MAX_SECTORS;
}

int cli_store_check_absent(const char *db_path)
{
    struct stat st;
    if (lstat(db_path, &st) != 0) {
        if (errno == ENOENT) return 0;
        fprintf(stderr, "mcuface: db %s: %s\n", db_path, strerror(errno));
        return 1;
    }
    if (looks_like_db(&st)) fprintf(stderr, "mcuface: db %s already exists (init never overwrites a store)\n", db_path);
    else fprintf(stderr, "mcuface: %s already exists and is not an mcuface db; init will not replace it\n", db_path);
    return 1;
}

/* The store is built in a temporary file beside DB_PATH (header written and
 * fsynced) and only then linked into place: a killed init leaves at most a
 * stray temporary, never a blank db that the first key to write would bind.
 * link() never replaces an existing file, so racing inits cannot clobber. */
int cli_store_init(cli_store *cs, const char *db_path, const char *key_path, uint32_t sectors)
{
    memset(cs, 0, sizeof *cs);
    cs->file.fd = -1;
    if (cli_store_check_absent(db_path)) return 1;
    if (setup_crypto(cs, key_path)) return 1;
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s.init-%ld", db_path, (long)getpid()) >= (int)sizeof tmp) {
        fprintf(stderr, "mcuface: db %s: path too long\n", db_path);
        cli_store_close(cs);
        return 1;
    }
    const mf_flash_file_options fo = {MF_FLASH_FILE_NO_LOCK, 0, MF_FLASH_FILE_CREATE_NEW};
    int err = mf_flash_file_open_ex(&cs->file, tmp, CLI_STORE_SECTOR_SIZE, sectors, CLI_STORE_PROG_SIZE, &fo, &cs->flash);
    if (err) {
        fprintf(stderr, "mcuface: db %s: cannot create %s: %s\n", db_path, tmp,
                err == MF_EEXIST ? "a file of that name exists" : mf_status_str(err));
        cli_store_close(cs);
        return 1;
    }
    /* A blank flash mounts under any key; wiping programs the first sector
     * header, whose key check makes a later mount with another key fail. */
    int failed = mount(cs, db_path);
    if (!failed && (err = mf_store_wipe(&cs->store)) != MF_OK) failed = cli_store_fail("db init", err);
    if (!failed) failed = cli_store_sync(cs);
    if (!failed && link(tmp, db_path) != 0) {
        if (errno == EEXIST) fprintf(stderr, "mcuface: db %s already exists (created meanwhile; not overwritten)\n", db_path);
        else fprintf(stderr, "mcuface: db %s: cannot create: %s\n", db_path, strerror(errno));
        failed = 1;
    }
    unlink(tmp);
    if (!failed && sync_parent_dir(db_path) != 0) {
        fprintf(stderr, "mcuface: db %s: cannot sync its directory: %s\n", db_path, strerror(errno));
        unlink(db_path);
        failed = 1;
    }
    if (failed) cli_store_close(cs);
    return failed;
}

int cli_store_sync(cli_store *cs)
{
    int err = mf_flash_sync(&cs->flash);
    return err ? cli_fail("db sync", err) : 0;
}

void cli_store_close(cli_store *cs)
{
    mf_flash_file_close(&cs->file);
    if (cs->gcm_ready) mf_store_crypto_mbedtls_free(&cs->gcm);
    free(cs->ram);
    memset(cs, 0, sizeof *cs);
    cs->file.fd = -1;
}

int cli_store_pipeline_open(cli_pipeline *cp, const cli_store_options *opt, mf_store *store, mf_pipeline_select select,
                            long max_faces)
{
    cli_pipeline_spec spec;
    memset(&spec, 0, sizeof spec);
    spec.detector = opt->detector;
    spec.liveness = opt->liveness;
    spec.recognizer = 1;
    spec.recognizer_name = opt->recognizer;
    spec.precision = opt->precision;
    mf_pipeline_options po = mf_pipeline_default_options();
    po.detector_long_side = (int32_t)opt->size;
    po.max_faces = (int)max_faces;
    po.select = select;
    po.tracking = 0;
    po.identify_threshold = opt->threshold;
    po.liveness_cascade = opt->cascade;
    return cli_pipeline_open(cp, &spec, store, &po);
}

int cli_enrollment_face(cli_pipeline *cp, const char *image_path, float embedding[MF_STORE_DIM])
{
    mf_image img;
    if (cli_load_image(image_path, &img)) return 1;
    mf_pipeline_result r;
    int failed = cli_pipeline_image(cp, &img, image_path, &r);
    mf_image_free(&img);
    if (failed) return 1;
    /* with a store the plan refuses other sizes; enrollment has none yet */
    const int32_t dim = mf_pipeline_embedding_dim(&cp->pipe);
    if (dim != MF_STORE_DIM) {
        fprintf(stderr, "mcuface: recognizer %s gives %d-value embeddings; the store holds %d\n", cp->paths[3],
                (int)dim, MF_STORE_DIM);
        return 1;
    }
    if (r.face_count < 1) {
        fprintf(stderr, "mcuface: %s: no face found\n", image_path);
        return 1;
    }
    const mf_pipeline_face *f = &r.faces[0];
    if (f->live == 0) {
        fprintf(stderr, "mcuface: %s: face judged a spoof (live score %.4f < %.4f); not enrolled (--no-liveness skips the check)\n",
                image_path, f->live_score, mf_pipeline_liveness_threshold(&cp->pipe));
        return 1;
    }
    memcpy(embedding, f->embedding, MF_STORE_DIM * sizeof *embedding);
    return 0;
}

void cli_json_string(const char *s)
{
    putchar('"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') printf("\\%c", *p);
        else if (*p < 0x20) printf("\\u%04x", *p);
        else putchar(*p);
    }
    putchar('"');
}

const char *cli_escaped(const char *s, char *buf, size_t size)
{
    size_t o = 0;
    const uint8_t *p = (const uint8_t *)s;
    if (size == 0) return "";
    while (*p && o + 1 < size) {
        utf8proc_int32_t cp = -1;
        utf8proc_ssize_t n = utf8proc_iterate(p, -1, &cp);
        int plain = n > 0 && cp >= 0x20 && cp != 0x7F && cp != '\\';
        if (plain && cp >= 0x80) {
            utf8proc_category_t cat = utf8proc_category(cp);
            plain = cat != UTF8PROC_CATEGORY_CC && cat != UTF8PROC_CATEGORY_CF && cat != UTF8PROC_CATEGORY_ZL &&
                    cat != UTF8PROC_CATEGORY_ZP && cat != UTF8PROC_CATEGORY_CO && cat != UTF8PROC_CATEGORY_CS &&
                    cat != UTF8PROC_CATEGORY_CN;
        }
        size_t take = n > 0 ? (size_t)n : 1;
        if (plain) {
            if (o + take + 1 > size) break;
            memcpy(buf + o, p, take);
            o += take;
        } else {
            /* every byte of the character as \xNN, so nothing reaches the terminal raw */
            if (o + 4 * take + 1 > size) break;
            for (size_t k = 0; k < take; k++) o += (size_t)snprintf(buf + o, size - o, "\\x%02X", p[k]);
        }
        p += take;
    }
    buf[o] = '\0';
    return buf;
}

int cli_store_name(const char *raw, char out[MF_STORE_NAME_MAX + 1])
{
    char shown[4 * 4 * MF_STORE_NAME_MAX + 64];
    /* NFC: the store compares bytes, so "José" typed precomposed and
     * decomposed must become the same bytes before it gets there. */
    utf8proc_uint8_t *nfc = utf8proc_NFC((const utf8proc_uint8_t *)raw);
    if (!nfc)
        return cli_usage_error("name '%s' is not valid UTF-8", cli_escaped(raw, shown, sizeof shown));
    size_t len = strlen((const char *)nfc);
    int err = len > MF_STORE_NAME_MAX ? MF_ERANGE : mf_store_check_name((const char *)nfc);
    if (!err) memcpy(out, nfc, len + 1);
    free(nfc);
    if (err == MF_ERANGE)
        return cli_usage_error("name '%s' is longer than %d bytes", cli_escaped(raw, shown, sizeof shown), MF_STORE_NAME_MAX);
    if (err)
        return cli_usage_error("name '%s' is not valid (1..%d bytes of UTF-8, no control characters)",
                               cli_escaped(raw, shown, sizeof shown), MF_STORE_NAME_MAX);
    return 0;
}
