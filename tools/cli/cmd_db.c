/* mcuface db --db FILE --key-file KEY SUBCOMMAND ...
 *   init [--sectors N]              create the db (and the key file, if absent)
 *   enroll NAME IMAGE...            new identity from the largest face of each image (1..8)
 *   add ID IMAGE...                 one more template per image
 *   list [--json]
 *   delete ID | rename ID NAME
 *   export [--plaintext | --passphrase-file F] OUT
 *   import [--plaintext] [--passphrase-file F] [--allow-duplicate] IN
 * Exports are sealed (AES-256-GCM) under the store key, or under a key derived
 * from the passphrase file (PBKDF2-HMAC-SHA256, CLI_EXPORT_PBKDF2_ITERATIONS,
 * salt and count in the header); --plaintext writes the clear format.
 * enroll and add run the detector, the recognizer (--recognizer NAME|FILE)
 * and the liveness models at --precision float32|int8 (see cli_model_resolve).
 * Faces are checked for liveness before enrollment (--no-liveness skips it);
 * a face already enrolled is refused unless --allow-duplicate. Every failure
 * leaves the store as it was: images are read and embedded before anything
 * is written, and each store operation is atomic. */
#define _POSIX_C_SOURCE 200809L
#include "cli_store.h"
#include "cli_export_key.h"
#include "mcuface/mf_status.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_IMPORT_BYTES (64u << 20)

static int parse_id(const char *s, uint32_t *id)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (!*s || *end || errno || v == 0 || v >= 0xFFFFFFFFul || s[0] == '-')
        return cli_usage_error("'%s' is not an identity id (a positive number; see 'db list')", s);
    *id = (uint32_t)v;
    return 0;
}

static int want_args(const cli_store_options *opt, int min, int max, const char *usage)
{
    int n = opt->positional_count - 1;
    if (n < min || n > max) return cli_usage_error("usage: mcuface db --db FILE --key-file KEY %s", usage);
    return 0;
}

/* Opens the db for ACCESS under its lock (see cli_store_open). */
static int open_db(const cli_store_options *opt, cli_store *cs, cli_store_access access)
{
    return cli_store_open(cs, opt->db, opt->key_file, access, opt->wait_s);
}

/* NAME escaped for a message (names reach the store only when valid, but a
 * message must never carry raw control bytes to a terminal). */
static const char *shown(const char *name)
{
    static char buf[4 * 4 * MF_STORE_NAME_MAX + 64];
    return cli_escaped(name, buf, sizeof buf);
}

static int db_init(const cli_store_options *opt)
{
    int status = want_args(opt, 0, 0, "init [--sectors N]");
    if (status) return status;
    if (cli_store_check_absent(opt->db)) return 1;  /* before a key file is made for nothing */
    struct stat st;
    int key_created = 0;
    if (stat(opt->key_file, &st) != 0 && cli_store_create_key(opt->key_file, &key_created)) return 1;
    cli_store cs;
    if (cli_store_init(&cs, opt->db, opt->key_file, (uint32_t)opt->sectors)) {
        if (key_created) unlink(opt->key_file);  /* leave nothing behind from a failed init */
        return 1;
    }
    mf_store_stats stats;
    mf_store_get_stats(&cs.store, &stats);
    printf("created db %s: %ld sectors of %u bytes, room for %u records; %s key file %s\n", opt->db, opt->sectors,
           CLI_STORE_SECTOR_SIZE, stats.capacity_slots, key_created ? "new" : "existing", opt->key_file);
    cli_store_close(&cs);
    return 0;
}

/* Embeds the largest face of each of N image paths into SAMPLES. */
static int embed_images(const cli_store_options *opt, const char *const *paths, int n, float *samples)
{
    cli_pipeline cp;
    if (cli_store_pipeline_open(&cp, opt, NULL, MF_PIPELINE_SELECT_LARGEST, CLI_ENROLL_MAX_FACES)) return 1;
    int failed = 0;
    for (int i = 0; i < n && !failed; i++)
        failed = cli_enrollment_face(&cp, paths[i], samples + (size_t)i * MF_STORE_DIM);
    cli_pipeline_close(&cp);
    return failed;
}

/* Images are embedded before the db is opened: the models run outside the
 * lock, which is then held only for the mount, the checks and the write. */
static int db_enroll(const cli_store_options *opt)
{
    int status = want_args(opt, 2, 1 + MF_STORE_MAX_TEMPLATES, "enroll NAME IMAGE... (1 to 8 images)");
    if (status) return status;
    char name[MF_STORE_NAME_MAX + 1];
    if ((status = cli_store_name(opt->positional[1], name)) != 0) return status;
    int n = opt->positional_count - 2;
    static float samples[MF_STORE_MAX_TEMPLATES * MF_STORE_DIM];
    if (embed_images(opt, opt->positional + 2, n, samples)) return 1;
    cli_store cs;
    if (open_db(opt, &cs, CLI_STORE_WRITE)) return 1;
    mf_store_identity existing;
    uint32_t id = 0, existing_id = 0;
    int err = MF_OK;
    if (mf_store_find_name(&cs.store, name, &existing) == MF_OK) {
        fprintf(stderr, "mcuface: name '%s' is already used by id %u\n", shown(name), existing.id);
        status = 1;
    } else {
        err = mf_store_enroll(&cs.store, name, samples, (uint32_t)n, opt->allow_duplicate ? MF_STORE_ALLOW_DUPLICATE : 0,
                              &id, &existing_id);
        if (err == MF_EEXIST && mf_store_find_id(&cs.store, existing_id, &existing) == MF_OK) {
            fprintf(stderr, "mcuface: already enrolled as %u %s (--allow-duplicate enrolls anyway)\n", existing.id,
                    shown(existing.name));
            status = 1;
        } else if (err) status = cli_store_fail("enroll", err);
        else status = cli_store_sync(&cs);
    }
    cli_store_close(&cs);
    if (status) return status;
    if (opt->json) {
        printf("{\"id\":%u,\"name\":", id);
        cli_json_string(name);
        printf(",\"samples\":1,\"precision\":\"%s\"}\n", cli_precision_name(opt->precision));
    } else printf("enrolled %u %s (%d image%s fused into one template)\n", id, name, n, n > 1 ? "s" : "");
    return 0;
}

/* Checks the identity and the room (a quick read-only look, so a bad id
 * fails before the models run), embeds, then checks again under the write
 * lock: another command may have changed the store meanwhile. */
static int add_precheck(const mf_store *store, uint32_t id, uint32_t n, mf_store_identity *ident)
{
    if (mf_store_find_id(store, id, ident) != MF_OK) {
        fprintf(stderr, "mcuface: add: no identity with id %u\n", id);
        return 1;
    }
    if (ident->template_count + n > MF_STORE_MAX_TEMPLATES) {
        fprintf(stderr, "mcuface: add: %u %s has %u templates; at most %d are kept\n", id, shown(ident->name),
                ident->template_count, MF_STORE_MAX_TEMPLATES);
        return 1;
    }
    /* The batch is all-or-nothing anyway; checking the room first gives a
     * clear message before the models run. */
    mf_store_stats stats;
    mf_store_get_stats(store, &stats);
    if (stats.live_slots + n > stats.capacity_slots) return cli_store_fail("add", MF_ENOSPC);
    return 0;
}

static int db_add(const cli_store_options *opt)
{
    int status = want_args(opt, 2, 1 + MF_STORE_MAX_TEMPLATES, "add ID IMAGE...");
    if (status) return status;
    uint32_t id = 0;
    if ((status = parse_id(opt->positional[1], &id)) != 0) return status;
    uint32_t n = (uint32_t)(opt->positional_count - 2);
    mf_store_identity ident;
    cli_store cs;
    if (open_db(opt, &cs, CLI_STORE_READ)) return 1;
    status = add_precheck(&cs.store, id, n, &ident);
    cli_store_close(&cs);
    if (status) return status;
    static float samples[MF_STORE_MAX_TEMPLATES * MF_STORE_DIM];
    if (embed_images(opt, opt->positional + 2, (int)n, samples)) return 1;
    if (open_db(opt, &cs, CLI_STORE_WRITE)) return 1;
    status = add_precheck(&cs.store, id, n, &ident);
    if (!status) {
        /* One batch: all the images' templates or none, even under a power cut. */
        int err = mf_store_add_samples(&cs.store, id, samples, n);
        if (err) {
            cli_store_sync(&cs);
            status = cli_store_fail("add", err);
        }
    }
    if (!status) status = cli_store_sync(&cs);
    if (!status) mf_store_find_id(&cs.store, id, &ident);
    cli_store_close(&cs);
    if (status) return status;
    if (opt->json) {
        printf("{\"id\":%u,\"name\":", id);
        cli_json_string(ident.name);
        printf(",\"samples\":%u,\"precision\":\"%s\"}\n", ident.template_count, cli_precision_name(opt->precision));
    } else printf("added %u template%s to %u %s (now %u)\n", n, n > 1 ? "s" : "", id, ident.name, ident.template_count);
    return 0;
}

static int db_list(const cli_store_options *opt, cli_store *cs)
{
    int status = want_args(opt, 0, 0, "list [--json]");
    if (status) return status;
    int count = mf_store_count(&cs->store);
    if (count < 0) return cli_store_fail("list", count);
    if (opt->json) printf("{\"identities\":[");
    else if (count == 0) printf("no identities\n");
    else printf("%10s  %7s  %s\n", "id", "samples", "name");
    for (int i = 0; i < count; i++) {
        mf_store_identity ident;
        int err = mf_store_get(&cs->store, (uint32_t)i, &ident);
        if (err) return cli_store_fail("list", err);
        if (opt->json) {
            printf("%s{\"id\":%u,\"name\":", i ? "," : "", ident.id);
            cli_json_string(ident.name);
            printf(",\"samples\":%u}", ident.template_count);
        } else printf("%10u  %7u  %s\n", ident.id, ident.template_count, ident.name);
    }
    if (opt->json) printf("]}\n");
    return 0;
}

static int db_delete(const cli_store_options *opt, cli_store *cs)
{
    int status = want_args(opt, 1, 1, "delete ID");
    uint32_t id = 0;
    if (status || (status = parse_id(opt->positional[1], &id)) != 0) return status;
    mf_store_identity ident;
    if (mf_store_find_id(&cs->store, id, &ident) != MF_OK) {
        fprintf(stderr, "mcuface: delete: no identity with id %u\n", id);
        return 1;
    }
    int err = mf_store_delete(&cs->store, id);
    if (err) return cli_store_fail("delete", err);
    if (cli_store_sync(cs)) return 1;
    printf("deleted %u %s\n", id, ident.name);
    return 0;
}

static int db_rename(const cli_store_options *opt, cli_store *cs)
{
    int status = want_args(opt, 2, 2, "rename ID NAME");
    uint32_t id = 0;
    if (status || (status = parse_id(opt->positional[1], &id)) != 0) return status;
    char name[MF_STORE_NAME_MAX + 1];
    if ((status = cli_store_name(opt->positional[2], name)) != 0) return status;
    mf_store_identity ident, other;
    if (mf_store_find_id(&cs->store, id, &ident) != MF_OK) {
        fprintf(stderr, "mcuface: rename: no identity with id %u\n", id);
        return 1;
    }
    if (mf_store_find_name(&cs->store, name, &other) == MF_OK && other.id != id) {
        fprintf(stderr, "mcuface: rename: name '%s' is already used by id %u\n", shown(name), other.id);
        return 1;
    }
    int err = mf_store_rename(&cs->store, id, name);
    if (err) return cli_store_fail("rename", err);
    if (cli_store_sync(cs)) return 1;
    printf("renamed %u %s -> %s\n", id, ident.name, name);
    return 0;
}

/* OUT may be absent or a regular file, nothing else: not a symlink (whose
 * target would be replaced), not a device node or FIFO. */
static int check_export_target(const char *out)
{
    struct stat st;
    if (lstat(out, &st) != 0) {
        if (errno == ENOENT) return 0;
        fprintf(stderr, "mcuface: export: %s: %s\n", out, strerror(errno));
        return 1;
    }
    if (S_ISREG(st.st_mode)) return 0;
    fprintf(stderr, "mcuface: export: %s exists and is not a regular file (%s); not replaced\n", out,
            S_ISLNK(st.st_mode) ? "a symbolic link" : S_ISDIR(st.st_mode) ? "a directory" :
            S_ISFIFO(st.st_mode) ? "a FIFO" : "a device or socket");
    return 1;
}

/* The key an export is sealed under: the store's own (default) or one derived
 * from --passphrase-file with a fresh salt. */
static int export_key(const cli_store_options *opt, cli_store *cs, mf_store_export_key *key,
                      mf_store_crypto_mbedtls *gcm, mf_store_crypto *crypto, int *gcm_ready)
{
    memset(key, 0, sizeof *key);
    key->crypto = &cs->crypto;
    key->kdf = MF_STORE_KDF_NONE;
    if (!opt->passphrase_file) return 0;
    key->kdf = MF_STORE_KDF_PBKDF2_SHA256;
    key->kdf_iterations = CLI_EXPORT_PBKDF2_ITERATIONS;
    if (cli_export_new_salt(key->kdf_salt)) return 1;
    if (cli_export_key_from_passphrase(opt->passphrase_file, key->kdf_salt, key->kdf_iterations, gcm, crypto))
        return 1;
    *gcm_ready = 1;
    key->crypto = crypto;
    return 0;
}

/* Writes the export next to OUT and renames it into place, so OUT is never
 * half-written; mode 0600 (a plaintext export holds templates and names in
 * the clear; a sealed one is still personal data).
 * The temporary is created O_EXCL | O_NOFOLLOW, and rename replaces the
 * directory entry OUT without following it. */
static int db_export(const cli_store_options *opt, cli_store *cs)
{
    int status = want_args(opt, 1, 1, "export OUT");
    if (status) return status;
    if (opt->plaintext && opt->passphrase_file)
        return cli_usage_error("export: --plaintext and --passphrase-file exclude each other");
    const char *out = opt->positional[1];
    if (check_export_target(out)) return 1;
    unsigned flags = opt->plaintext ? MF_STORE_EXPORT_PLAINTEXT : 0;
    mf_store_export_key key;
    mf_store_crypto_mbedtls gcm;
    mf_store_crypto crypto;
    int gcm_ready = 0;
    if (export_key(opt, cs, &key, &gcm, &crypto, &gcm_ready)) return 1;
    size_t size = 0, len = 0;
    int err = mf_store_export_size(&cs->store, flags, &size);
    uint8_t *buf = err ? NULL : malloc(size);
    if (!err && !buf) err = MF_ENOMEM;
    if (!err) err = mf_store_export(&cs->store, &key, flags, buf, size, &len);
    if (gcm_ready) mf_store_crypto_mbedtls_free(&gcm);
    if (err) {
        free(buf);
        return cli_store_fail("export", err);
    }
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp%ld", out, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    int ok = fd >= 0;
    for (size_t done = 0; ok && done < len;) {
        ssize_t n = write(fd, buf + done, len - done);
        if (n < 0 && errno == EINTR) continue;
        ok = n > 0;
        if (ok) done += (size_t)n;
    }
    if (ok) ok = fsync(fd) == 0;
    if (fd >= 0 && close(fd) != 0) ok = 0;
    if (ok) ok = rename(tmp, out) == 0;
    int saved = errno;
    free(buf);
    if (!ok) {
        if (fd >= 0) unlink(tmp);
        fprintf(stderr, "mcuface: export: cannot write %s: %s\n", out, strerror(saved));
        return 1;
    }
    const char *how = opt->plaintext ? "plaintext: templates and names are NOT encrypted"
                      : opt->passphrase_file ? "encrypted under the passphrase (PBKDF2-HMAC-SHA256)"
                                             : "encrypted under the store key";
    printf("exported %d identities to %s (%zu bytes; %s)\n", mf_store_count(&cs->store), out, len, how);
    return 0;
}

static int db_import(const cli_store_options *opt, cli_store *cs)
{
    int status = want_args(opt, 1, 1, "import IN");
    if (status) return status;
    const char *in = opt->positional[1];
    uint8_t *buf = NULL;
    size_t len = 0;
    int err = mf_read_regular_file(in, MAX_IMPORT_BYTES, &buf, &len);
    if (err) {
        fprintf(stderr, "mcuface: import: cannot read %s: %s\n", in,
                err == MF_ENOTFOUND ? strerror(ENOENT) : err == MF_EUNSUPPORTED ? "not a regular file"
                : err == MF_ERANGE ? "larger than any export file" : mf_status_str(err));
        return 1;
    }
    /* The header says what the file needs: --plaintext, the store key, or a passphrase. */
    mf_store_export_info info;
    err = mf_store_export_probe(buf, len, &info);
    mf_store_export_key key;
    memset(&key, 0, sizeof key);
    key.crypto = &cs->crypto;
    mf_store_crypto_mbedtls gcm;
    mf_store_crypto crypto;
    int gcm_ready = 0, fail = 0;
    if (err == MF_OK && !info.sealed && !opt->plaintext) {
        fprintf(stderr, "mcuface: import: %s is a plaintext (unauthenticated) export; pass --plaintext to import it\n", in);
        fail = 1;
    } else if (err == MF_OK && info.sealed && info.kdf == MF_STORE_KDF_PBKDF2_SHA256) {
        if (!opt->passphrase_file) {
            fprintf(stderr, "mcuface: import: %s is encrypted under a passphrase; pass --passphrase-file FILE\n", in);
            fail = 1;
        } else if (cli_export_key_from_passphrase(opt->passphrase_file, info.kdf_salt, info.kdf_iterations, &gcm,
                                                  &crypto)) {
            fail = 1;
        } else {
            gcm_ready = 1;
            key.crypto = &crypto;
            key.kdf = info.kdf;
            key.kdf_iterations = info.kdf_iterations;
            memcpy(key.kdf_salt, info.kdf_salt, sizeof key.kdf_salt);
        }
    }
    if (fail) {
        free(buf);
        return 1;
    }
    unsigned flags = (opt->plaintext ? MF_STORE_EXPORT_PLAINTEXT : 0) | (opt->allow_duplicate ? MF_STORE_ALLOW_DUPLICATE : 0);
    int imported = err ? err : mf_store_import(&cs->store, &key, flags, buf, len);
    if (gcm_ready) mf_store_crypto_mbedtls_free(&gcm);
    free(buf);
    if (imported == MF_ECORRUPT) {
        fprintf(stderr, "mcuface: import: %s is not a valid mcuface export file (bad magic, CRC or contents)\n", in);
        return 1;
    }
    if (imported == MF_EAUTH) {
        fprintf(stderr, "mcuface: import: %s: wrong key or passphrase, or the file was modified; nothing imported\n", in);
        return 1;
    }
    if (imported == MF_EEXIST) {
        fprintf(stderr, "mcuface: import: a name in %s is already in this store (or repeated), or a face in it is "
                        "already enrolled (--allow-duplicate skips the face check); nothing imported\n", in);
        return 1;
    }
    if (imported < 0) return cli_store_fail("import", imported);
    if (cli_store_sync(cs)) return 1;
    printf("imported %d identities from %s\n", imported, in);
    return 0;
}

static const cli_option db_options[] = {
    CLI_STORE_OPTION_PATHS,
    CLI_OPT("--sectors", CLI_ARG_LONG, cli_store_options, sectors, "N",
        "init: db size in 64 KiB sectors (default 128)", .min = 2, .max = CLI_STORE_MAX_SECTORS),
    CLI_OPTION_JSON(cli_store_options),
    CLI_OPT("--no-liveness", CLI_ARG_CLEAR, cli_store_options, liveness, NULL,
        "enroll/add: skip the anti-spoofing check"),
    CLI_OPTION_NO_CASCADE(cli_store_options),
    CLI_OPT("--allow-duplicate", CLI_ARG_FLAG, cli_store_options, allow_duplicate, NULL,
        "enroll/import: even a face already enrolled under another name"),
    CLI_OPT("--plaintext", CLI_ARG_FLAG, cli_store_options, plaintext, NULL,
        "export/import: the clear (unencrypted, unauthenticated) export format"),
    CLI_OPT("--passphrase-file", CLI_ARG_STRING, cli_store_options, passphrase_file, "F",
        "export/import: key from the passphrase in F (PBKDF2-HMAC-SHA256)"),
    CLI_OPTION_RECOGNIZER(cli_store_options),
    CLI_OPTION_DETECTOR(cli_store_options),
    CLI_OPTION_SIZE(cli_store_options),
    CLI_OPTION_PRECISION(cli_store_options),
    CLI_STORE_OPTION_WAIT,
};

const cli_command cli_db_command = {
    "db", "SUBCOMMAND ...", "encrypted enrollment store (init creates a missing key file)",
    "      init | enroll NAME IMAGE... | add ID IMAGE... | list | delete ID | rename ID NAME | export OUT | import IN\n"
    "      export is sealed under the store key unless --passphrase-file F or --plaintext; import asks for what the file needs\n"
    "      enroll/add: the largest face of each image (1 to 8); \"--\" ends the options (a NAME starting with '-')\n",
    db_options, CLI_COUNT(db_options), 0, CLI_STORE_MAX_POSITIONAL, cmd_db,
};

int cmd_db(int argc, char **argv)
{
    cli_store_options opt;
    int status = cli_store_parse(&cli_db_command, argc, argv, &opt);
    if (status != CLI_ARGS_RUN) return status;
    if (opt.positional_count == 0)
        return cli_usage_error("db wants a subcommand: init, enroll, add, list, delete, rename, export, import");
    if ((status = cli_store_require_paths(&opt)) != 0) return status;
    const char *sub = opt.positional[0];
    if (!strcmp(sub, "init")) return db_init(&opt);
    if (!strcmp(sub, "enroll")) return db_enroll(&opt);
    if (!strcmp(sub, "add")) return db_add(&opt);
    /* The rest run entirely under the lock: open, mount, work, sync, close. */
    static const struct {
        const char *name;
        int (*run)(const cli_store_options *, cli_store *);
        cli_store_access access;
    } subcommands[] = {
        {"list", db_list, CLI_STORE_READ},       {"delete", db_delete, CLI_STORE_WRITE},
        {"rename", db_rename, CLI_STORE_WRITE},  {"export", db_export, CLI_STORE_READ},
        {"import", db_import, CLI_STORE_WRITE},
    };
    for (size_t i = 0; i < sizeof subcommands / sizeof subcommands[0]; i++) {
        if (strcmp(sub, subcommands[i].name)) continue;
        cli_store cs;
        if (open_db(&opt, &cs, subcommands[i].access)) return 1;
        status = subcommands[i].run(&opt, &cs);
        cli_store_close(&cs);
        return status;
    }
    return cli_usage_error("unknown db subcommand '%s'", sub);
}
