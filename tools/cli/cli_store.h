/* Enrollment-database helpers of the mcuface command-line tool, shared by
 * `mcuface db ...` and `mcuface identify ...`: the options both take, the key
 * file, the db file as a flash device with a mounted store, and "image to
 * faces with liveness and embeddings" on the default models.
 *
 * The db file is a flash image of CLI_STORE_SECTOR_SIZE-byte sectors (its
 * size gives the sector count; `db init --sectors N` picks it, default
 * CLI_STORE_DEFAULT_SECTORS). The key file holds exactly MF_STORE_KEY_BYTES
 * random bytes and must not be accessible to group or others. */
#ifndef MCUFACE_CLI_STORE_H
#define MCUFACE_CLI_STORE_H
#include "cli.h"
#include "cli_pipeline.h"
#include "cli_recognizer.h"
#include "mcuface/mf_store.h"
#include "mcuface/mf_crypto_mbedtls.h"
#include "mcuface/mf_flash_file.h"

/* 64 KiB: the usual NOR block-erase size; with 16-byte program units a
 * sector holds 97 record slots (docs/STORE.md), 95 of them usable. */
#define CLI_STORE_SECTOR_SIZE 65536u
#define CLI_STORE_PROG_SIZE 16u
/* 128 sectors = 8 MiB: (128 - 1) * 95 = 12065 live records, room for
 * thousands of identities with a few templates each. */
#define CLI_STORE_DEFAULT_SECTORS 128u
#define CLI_STORE_MAX_SECTORS 4096u  /* 256 MiB: keeps addresses in 32 bits */
#define CLI_STORE_MAX_POSITIONAL 16
/* How long a command waits for another's lock on the db before "busy". */
#define CLI_STORE_DEFAULT_WAIT_S 10.0f

/* Options of `db` and `identify`, accepted before or after the subcommand;
 * "--" ends the options (for a NAME that starts with '-'). */
typedef struct cli_store_options {
    const char *db, *key_file;
    const char *detector;     /* NULL: CLI_DEFAULT_DETECTOR */
    const char *recognizer;   /* NULL: CLI_DEFAULT_RECOGNIZER */
    cli_precision precision;  /* of every model run (enroll, add, identify) */
    long size;            /* detector long side, 0 = original scale */
    long sectors;         /* db init only */
    float threshold;      /* identify: 1:N threshold, negative = the store's default */
    float wait_s;         /* --wait: seconds to wait for another command's lock on the db (default 10) */
    long max_faces;       /* identify --max-faces: faces reported per image (default 64) */
    int json, liveness, allow_duplicate;
    int cascade;          /* the liveness cascade (default 1; --no-cascade) */
    int plaintext;                  /* export/import: the clear export format */
    const char *passphrase_file;    /* export/import: key from a passphrase (PBKDF2) */
    const char *out_path; /* identify -o: the annotated image (PNG) */
    const char *positional[CLI_STORE_MAX_POSITIONAL];
    int positional_count;
} cli_store_options;

/* Parses ARGV[1..ARGC-1] against CMD's table (cli_args_parse: the
 * positional arguments land in opt->positional, at most
 * CLI_STORE_MAX_POSITIONAL, which CMD's max_positional must not exceed).
 * The key file defaults to $MCUFACE_KEY_FILE. Returns CLI_ARGS_RUN, or the
 * exit status to return at once (0 after --help, 2 after a usage error). */
int cli_store_parse(const cli_command *cmd, int argc, char **argv, cli_store_options *opt);

/* The options naming the store, in every table of a store command. */
#define CLI_STORE_OPTION_PATHS                                                                                  \
    CLI_OPT("--db", CLI_ARG_STRING, cli_store_options, db, "FILE", "the encrypted enrollment store",            \
            .required = 1),                                                                                     \
    CLI_OPT("--key-file", CLI_ARG_STRING, cli_store_options, key_file, "KEY",                                   \
            "its 32-byte key file (default $MCUFACE_KEY_FILE)")
/* --wait S, in the table of every command that opens the db. */
#define CLI_STORE_OPTION_WAIT                                                                                   \
    CLI_OPT("--wait", CLI_ARG_FLOAT, cli_store_options, wait_s, "S",                                            \
            "wait up to S seconds for another command's lock on the db, then fail 'busy' (default 10)",         \
            .min = 0, .max = 3600, .meaning = "seconds")
/* Checks that --db and a key file were given; 0 or 2 (usage error printed). */
int cli_store_require_paths(const cli_store_options *opt);

/* An open db file with its store mounted. */
typedef struct cli_store {
    mf_flash_file file;
    mf_flash flash;
    mf_store_crypto_mbedtls gcm;
    mf_store_crypto crypto;
    void *ram;
    mf_store store;
    int gcm_ready;
} cli_store;

/* Creates a key file of MF_STORE_KEY_BYTES bytes from /dev/urandom, mode
 * 0600, failing if PATH exists. *CREATED is set to 1 on success. Prints one
 * line and returns 1 on failure, 0 on success. */
int cli_store_create_key(const char *path, int *created);

/* What a command does with the db: CLI_STORE_READ takes a shared lock
 * (list, export, identify: they run side by side), CLI_STORE_WRITE an
 * exclusive one. */
typedef enum cli_store_access { CLI_STORE_READ, CLI_STORE_WRITE } cli_store_access;

/* Opens an existing db file, locks it (waiting up to WAIT_S seconds for a
 * conflicting lock, then "db is busy") and mounts it under the lock with the
 * key from KEY_PATH; the lock is held until cli_store_close, so a writer's
 * whole mount-to-sync sees every other writer's records. Refuses a file no
 * init finished (all sector headers blank). Prints one line and returns 1 on
 * failure (the file is not written), 0 on success. */
int cli_store_open(cli_store *cs, const char *db_path, const char *key_path, cli_store_access access, double wait_s);

/* Prints one line and returns 1 when DB_PATH exists (a db: "already
 * exists"; anything else, a symlink included: "not an mcuface db"), 0 when
 * it is absent. */
int cli_store_check_absent(const char *db_path);

/* Creates DB_PATH (which must not exist) with SECTORS sectors: the store is
 * built and fsynced in a temporary file beside it, its first sector header
 * binding it to the key, then linked into place without replacing anything
 * and the directory fsynced. On failure nothing is left, one line is printed
 * and 1 returned. */
int cli_store_init(cli_store *cs, const char *db_path, const char *key_path, uint32_t sectors);

/* Makes the writes durable (fsync). Prints one line and returns 1 on failure. */
int cli_store_sync(cli_store *cs);
void cli_store_close(cli_store *cs);

/* Prints one line for a failed store operation WHAT and returns 1. */
int cli_store_fail(const char *what, int status);

/* Faces the enrollment commands (enroll, add) choose the largest among. */
#define CLI_ENROLL_MAX_FACES 64

/* The pipeline on the models OPT names: its detector and recognizer (NULL:
 * the defaults) and, with opt->liveness, the default liveness models, all
 * at opt->precision, detecting at opt->size, without tracking, matching in
 * STORE (may be NULL) at opt->threshold; SELECT and MAX_FACES as in
 * mf_pipeline_options. Prints one line and returns 1 on failure (with a
 * store, the first plan refuses a recognizer whose embeddings are not
 * MF_STORE_DIM values; cli_enrollment_face checks it without one). */
int cli_store_pipeline_open(cli_pipeline *cp, const cli_store_options *opt, mf_store *store, mf_pipeline_select select,
                            long max_faces);

/* The embedding of the largest face of IMAGE_PATH, for enrollment, from a
 * pipeline opened with MF_PIPELINE_SELECT_LARGEST: prints one line and
 * returns 1 when the image cannot be read, has no face, or (liveness on)
 * the face is judged a spoof. */
int cli_enrollment_face(cli_pipeline *cp, const char *image_path, float embedding[MF_STORE_DIM]);

/* Prints S (valid UTF-8) as a JSON string literal on stdout. */
void cli_json_string(const char *s);

/* S made safe to print in a message: control and format characters (C0,
 * DEL, C1, U+202E and the other Unicode Cc/Cf/Zl/Zp/Co/Cs/Cn code points),
 * invalid UTF-8 and the backslash become \xNN per byte. Writes into BUF
 * (truncated to SIZE) and returns it. */
const char *cli_escaped(const char *s, char *buf, size_t size);

/* A name from the command line as the store gets it: normalised to NFC
 * (canonically equal spellings are one name) and checked with
 * mf_store_check_name. Writes it into OUT and returns 0, or prints a usage
 * error (the name escaped with cli_escaped) and returns 2. */
int cli_store_name(const char *raw, char out[MF_STORE_NAME_MAX + 1]);

int cmd_db(int argc, char **argv);
int cmd_identify(int argc, char **argv);
#endif
