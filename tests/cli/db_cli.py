"""End-to-end test of `mcuface db ...` and `mcuface identify ...`: the real
CLI on real LFW photos in a temporary directory. Covers init (db + 0600 key),
enrollment (largest face, several images fused), the duplicate check, add,
list, identify (right person, unknown person, spoof refused unless
--no-liveness), rename and delete persisting across invocations, export and
import into a db under another key (sealed, passphrase, plaintext), and key errors (wrong key, wrong size,
readable by others) leaving the db byte-identical.
Usage: db_cli.py BUILD_DIR [SHARED_DIR]. Exit 77 (skip) without the models or
the data."""
import hashlib
import json
import os
import stat
import subprocess
import sys
import tempfile

PERSON_A, PERSON_B, STRANGER = "Tony_Blair", "Colin_Powell", "Hans_Blix"
# Photos used for enrollment must pass the liveness check (LFW has a few
# compressed press photos the detector of print attacks refuses).
ENROLL_A = ["Tony_Blair_0018.jpg", "Tony_Blair_0064.jpg"]
ADD_A = "Tony_Blair_0086.jpg"
PROBE_A = "Tony_Blair_0053.jpg"
ENROLL_B = ["Colin_Powell_0071.jpg", "Colin_Powell_0133.jpg"]
PROBE_B = "Colin_Powell_0198.jpg"
PROBE_STRANGER = "Hans_Blix_0008.jpg"

failures = 0


def check(ok, what):
    global failures
    print(("ok   " if ok else "FAIL ") + what)
    failures += not ok


class Cli:
    def __init__(self, exe, workdir):
        self.exe, self.workdir = exe, workdir

    def run(self, *args, env=None):
        full_env = dict(os.environ)
        full_env.pop("MCUFACE_KEY_FILE", None)
        full_env.update(env or {})
        return subprocess.run([self.exe, *args], capture_output=True, text=True, cwd=self.workdir, env=full_env)

    def ok(self, *args, env=None):
        p = self.run(*args, env=env)
        if p.returncode != 0:
            raise SystemExit(f"FAIL: mcuface {' '.join(args)} exited {p.returncode}: {p.stderr.strip()}")
        return p.stdout

    def json(self, *args, env=None):
        return json.loads(self.ok(*args, "--json", env=env))

    def fails(self, what, *args, expect=None, env=None):
        """The command must fail with exactly one line on stderr (containing EXPECT)."""
        p = self.run(*args, env=env)
        lines = p.stderr.strip().splitlines()
        good = p.returncode != 0 and len(lines) == 1 and (expect is None or expect in lines[0])
        check(good, f"{what}: exit {p.returncode}, stderr {p.stderr.strip()!r}")
        return p


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def identities(cli, db, key):
    return {i["id"]: (i["name"], i["samples"]) for i in cli.json("db", "--db", db, "--key-file", key, "list")["identities"]}


def identify(cli, db, key, image, *extra):
    faces = cli.json("identify", "--db", db, "--key-file", key, image, *extra)["faces"]
    if len(faces) != 1:
        raise SystemExit(f"FAIL: {image}: expected one face, got {faces}")
    return faces[0]


def main():
    build = sys.argv[1]
    shared = sys.argv[2] if len(sys.argv) > 2 else os.environ.get("MCUFACE_SHARED", os.path.join(build, "..", "..", "shared"))
    exe = os.path.abspath(os.path.join(build, "mcuface"))
    lfw = os.path.join(shared, "data", "lfw", "lfw-deepfunneled")
    spoof = os.path.join(shared, "data", "antispoof_samples", "image_F1.jpg")
    models = [os.path.join(build, "models", n + ".mfm")
              for n in ("retinaface_mnet025", "edgeface_xs_gamma_06", "minifasnet_v2", "minifasnet_v1se")]
    photos = {n: os.path.join(lfw, n.rsplit("_", 1)[0], n)
              for n in ENROLL_A + [ADD_A, PROBE_A] + ENROLL_B + [PROBE_B, PROBE_STRANGER]}
    missing = [p for p in [exe, spoof] + models + list(photos.values()) if not os.path.exists(p)]
    if missing:
        print("skipped: missing " + ", ".join(missing))
        return 77

    with tempfile.TemporaryDirectory(prefix="mcuface_db_") as tmp:
        cli = Cli(exe, tmp)
        db, key = "gallery.db", "gallery.key"
        base = ["--db", db, "--key-file", key]

        # init: the db and a fresh 0600 key of 32 bytes; a second init refuses.
        cli.ok("db", *base, "init")
        key_mode = stat.S_IMODE(os.stat(os.path.join(tmp, key)).st_mode)
        check(os.path.getsize(os.path.join(tmp, key)) == 32 and key_mode == 0o600,
              f"init made a 32-byte key with mode {key_mode:o}")
        check(os.path.getsize(os.path.join(tmp, db)) == 128 * 65536, "init made an 8 MiB db (128 x 64 KiB sectors)")
        before = sha256(os.path.join(tmp, db))
        cli.fails("second init", "db", *base, "init", expect="already exists")
        check(sha256(os.path.join(tmp, db)) == before, "second init left the db unchanged")
        check(identities(cli, db, key) == {}, "a new db lists no identities")

        # enroll two people, the first from two photos.
        a = cli.json("db", *base, "enroll", "Tony Blair", *(photos[n] for n in ENROLL_A))
        b = cli.json("db", *base, "enroll", "Colin Powell", *(photos[n] for n in ENROLL_B))
        check(a["id"] != b["id"], f"enrolled ids {a['id']} and {b['id']}")
        id_a, id_b = a["id"], b["id"]

        # duplicates: same face under another name, or the same name again.
        before = sha256(os.path.join(tmp, db))
        cli.fails("enrolling Tony Blair again as 'Tony B'", "db", *base, "enroll", "Tony B", photos[PROBE_A],
                  expect=f"already enrolled as {id_a} Tony Blair")
        cli.fails("enrolling a taken name", "db", *base, "enroll", "Colin Powell", photos[PROBE_STRANGER],
                  expect="already used")
        cli.fails("enrolling from the spoof sample", "db", *base, "enroll", "Printed", spoof, expect="spoof")
        with open(os.path.join(tmp, "blank.ppm"), "wb") as f:  # uniform grey: no face
            f.write(b"P6 96 96 255\n" + bytes([128]) * (96 * 96 * 3))
        cli.fails("enrolling from an image with no face", "db", *base, "enroll", "Nobody", photos[PROBE_STRANGER],
                  "blank.ppm", expect="no face found")
        check(sha256(os.path.join(tmp, db)) == before, "refused enrollments left the db byte-identical")

        twin = cli.json("db", *base, "enroll", "Tony Twin", photos[PROBE_A], "--allow-duplicate")
        cli.ok("db", *base, "delete", str(twin["id"]))
        check(twin["id"] not in (id_a, id_b), "--allow-duplicate enrolls a face already enrolled")

        cli.ok("db", *base, "add", str(id_a), photos[ADD_A])
        listed = identities(cli, db, key)
        check(listed == {id_a: ("Tony Blair", 2), id_b: ("Colin Powell", 1)}, f"list --json: {listed}")

        # identify: each person from a photo not used for enrollment, and a stranger.
        fa, fb = identify(cli, db, key, photos[PROBE_A]), identify(cli, db, key, photos[PROBE_B])
        check(fa["live"] is True and fa["id"] == id_a and fa["name"] == "Tony Blair", f"identify {PROBE_A}: {fa}")
        check(fb["live"] is True and fb["id"] == id_b and fb["name"] == "Colin Powell", f"identify {PROBE_B}: {fb}")
        fs = identify(cli, db, key, photos[PROBE_STRANGER])
        check(fs["id"] is None and fs["name"] is None, f"identify a stranger ({PROBE_STRANGER}): {fs}")
        # --threshold: just above the match's score refuses it, just below (and 0) accepts it
        above = identify(cli, db, key, photos[PROBE_A], "--threshold", f"{fa['score'] + 0.001:.4f}")
        below = identify(cli, db, key, photos[PROBE_A], "--threshold", f"{fa['score'] - 0.001:.4f}")
        check(above["id"] is None and abs(above["score"] - fa["score"]) < 1e-6 and below["id"] == id_a,
              f"identify --threshold around the score {fa['score']}: {above['id']} / {below['id']}")
        stranger_zero = identify(cli, db, key, photos[PROBE_STRANGER], "--threshold", "0")
        check(stranger_zero["id"] is not None, f"identify a stranger at --threshold 0 names the best: {stranger_zero}")
        for bad in ("1.5", "-0.1", "x", ""):
            cli.fails(f"identify --threshold '{bad}'", "identify", "--db", db, "--key-file", key, photos[PROBE_A],
                      "--threshold", bad, expect="--threshold")
        env_key = {"MCUFACE_KEY_FILE": key}
        fe = cli.json("identify", "--db", db, photos[PROBE_A], env=env_key)["faces"][0]
        check(fe["id"] == id_a, "$MCUFACE_KEY_FILE stands in for --key-file")

        # a printed photo: reported as a spoof and never matched, unless liveness is off.
        # Enroll the spoof's face first (no liveness) so that it would match.
        cli.ok("db", *base, "enroll", "Printed face", spoof, "--no-liveness")
        fp = identify(cli, db, key, spoof)
        check(fp["live"] is False and fp["id"] is None and fp["name"] is None, f"identify spoof: {fp}")
        fq = identify(cli, db, key, spoof, "--no-liveness")
        check(fq["id"] is not None and fq["name"] == "Printed face", f"identify spoof --no-liveness: {fq}")

        # rename and delete persist across invocations.
        cli.ok("db", *base, "rename", str(id_b), "General Powell")
        cli.fails("renaming to a taken name", "db", *base, "rename", str(id_b), "Tony Blair", expect="already used")
        cli.ok("db", *base, "delete", str(fq["id"]))
        cli.fails("deleting an unknown id", "db", *base, "delete", "999", expect="no identity")
        listed = identities(cli, db, key)
        check(listed == {id_a: ("Tony Blair", 2), id_b: ("General Powell", 1)}, f"after rename + delete: {listed}")
        fb = identify(cli, db, key, photos[PROBE_B])
        check(fb["id"] == id_b and fb["name"] == "General Powell", f"identify after rename: {fb}")

        # export / import into a new db under a new key: sealed by default (store key),
        # under a passphrase (PBKDF2), or --plaintext on request only.
        cli.ok("db", *base, "export", "gallery.exp")
        with open(os.path.join(tmp, "gallery.exp"), "rb") as f:
            sealed = f.read()
        check(b"Tony Blair" not in sealed and b"General Powell" not in sealed, "sealed export hides the names")
        other = ["--db", "other.db", "--key-file", "other.key"]
        cli.ok("db", *other, "init")
        before_other = sha256(os.path.join(tmp, "other.db"))
        cli.fails("importing a store-key export under another key", "db", *other, "import", "gallery.exp",
                  expect="wrong key")
        with open(os.path.join(tmp, "pass.txt"), "w") as f:
            f.write("correct horse battery staple\n")
        with open(os.path.join(tmp, "wrong.txt"), "w") as f:
            f.write("incorrect horse\n")
        cli.ok("db", *base, "export", "--passphrase-file", "pass.txt", "gallery.pexp")
        cli.fails("passphrase export without --passphrase-file", "db", *other, "import", "gallery.pexp",
                  expect="--passphrase-file")
        cli.fails("wrong passphrase", "db", *other, "import", "--passphrase-file", "wrong.txt", "gallery.pexp",
                  expect="wrong key or passphrase")
        tampered = bytearray(open(os.path.join(tmp, "gallery.pexp"), "rb").read())
        tampered[-20] ^= 1
        with open(os.path.join(tmp, "tampered.pexp"), "wb") as f:
            f.write(tampered)
        cli.fails("tampered export", "db", *other, "import", "--passphrase-file", "pass.txt", "tampered.pexp",
                  expect="modified")
        check(sha256(os.path.join(tmp, "other.db")) == before_other, "refused imports left the db byte-identical")
        cli.ok("db", *other, "import", "--passphrase-file", "pass.txt", "gallery.pexp")
        imported = sorted(identities(cli, "other.db", "other.key").values())
        check(imported == [("General Powell", 1), ("Tony Blair", 2)], f"import round trip: {imported}")
        fa = identify(cli, "other.db", "other.key", photos[PROBE_A])
        check(fa["name"] == "Tony Blair", f"identify in the imported db: {fa}")
        before_other = sha256(os.path.join(tmp, "other.db"))
        cli.fails("importing the same names twice", "db", *other, "import", "--passphrase-file", "pass.txt",
                  "gallery.pexp", expect="already")
        cli.ok("db", *base, "export", "--plaintext", "gallery.txt.exp")
        with open(os.path.join(tmp, "gallery.txt.exp"), "rb") as f:
            check(b"Tony Blair" in f.read(), "--plaintext export is the clear format")
        cli.fails("plaintext import without --plaintext", "db", *other, "import", "gallery.txt.exp",
                  expect="--plaintext")
        check(sha256(os.path.join(tmp, "other.db")) == before_other, "refused import left the db byte-identical")

        # key errors: nothing read, nothing written.
        before = sha256(os.path.join(tmp, db))
        cli.fails("wrong key (list)", "db", "--db", db, "--key-file", "other.key", "list", expect="wrong key")
        cli.fails("wrong key (enroll)", "db", "--db", db, "--key-file", "other.key", "enroll", "X", photos[PROBE_STRANGER],
                  expect="wrong key")
        cli.fails("wrong key (identify)", "identify", "--db", db, "--key-file", "other.key", photos[PROBE_A],
                  expect="wrong key")
        with open(os.path.join(tmp, "short.key"), "wb") as f:
            f.write(b"\0" * 16)
        os.chmod(os.path.join(tmp, "short.key"), 0o600)
        cli.fails("16-byte key", "db", "--db", db, "--key-file", "short.key", "list", expect="exactly 32 bytes")
        os.chmod(os.path.join(tmp, key), 0o644)
        cli.fails("key readable by others", "db", *base, "list", expect="chmod 600")
        os.chmod(os.path.join(tmp, key), 0o600)
        cli.fails("missing db", "db", "--db", "absent.db", "--key-file", key, "list", expect="absent.db")
        check(not os.path.exists(os.path.join(tmp, "absent.db")), "a missing db is not created")
        check(sha256(os.path.join(tmp, db)) == before, "key errors left the db byte-identical")
        check(identities(cli, db, key) == {id_a: ("Tony Blair", 2), id_b: ("General Powell", 1)},
              "the right key still opens the db")

    print("db_cli: " + ("all passed" if failures == 0 else f"{failures} failed"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
