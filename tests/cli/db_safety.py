"""Host-side safety of `mcuface db` / `identify` and the per-face limits:

- init: refuses an existing non-db file or a symlink (left unchanged); an init
  killed while writing (RLIMIT_FSIZE: SIGXFSZ before the header) leaves no db;
  a blank (never initialised) file is refused, not bound to the first key.
- export OUT: a symlink or a FIFO at OUT is refused and left as it was; a
  regular file is replaced; the export is mode 0600.
- a FIFO as key file, import file or db exits 1 within a second (5 s under
  the sanitizers, passed --sanitized: their start-up and store mount alone
  can take a second on a loaded machine; a FIFO that blocks never returns).
- names: NFD and NFC "José" are one name (stored NFC); an error about a name
  with ESC, U+202E or invalid UTF-8 prints none of those bytes raw.
- --max-faces: identify, liveness and embed report truncation
  ("faces_found", "faces_truncated", a warning) and keep the best faces.
Usage: db_safety.py BUILD_DIR [SHARED_DIR]. Exit 77 without models or data."""
import json
import os
import resource
import signal
import stat
import subprocess
import sys
import tempfile
import time
import unicodedata

failures = 0
CONTROL_BYTES = set(range(0x20)) | {0x7F}


def check(ok, what):
    global failures
    print(("ok   " if ok else "FAIL ") + what)
    failures += not ok


class Cli:
    def __init__(self, exe, cwd):
        self.exe, self.cwd = exe, cwd

    def run(self, *args, timeout=60, preexec=None):
        env = dict(os.environ)
        env.pop("MCUFACE_KEY_FILE", None)
        start = time.monotonic()
        p = subprocess.run([self.exe, *args], capture_output=True, cwd=self.cwd, env=env, timeout=timeout,
                           preexec_fn=preexec)
        p.seconds = time.monotonic() - start
        p.out, p.err = p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")
        return p

    def ok(self, *args):
        p = self.run(*args)
        if p.returncode != 0:
            raise SystemExit(f"FAIL: mcuface {args} exited {p.returncode}: {p.err.strip()}")
        return p.out


def path(tmp, name):
    return os.path.join(tmp, name)


def init_tests(cli, tmp):
    with open(path(tmp, "notes.txt"), "w") as f:
        f.write("not a db\n")
    p = cli.run("db", "--db", "notes.txt", "--key-file", "n.key", "init")
    check(p.returncode == 1 and "not an mcuface db" in p.err and open(path(tmp, "notes.txt")).read() == "not a db\n"
          and not os.path.exists(path(tmp, "n.key")),
          f"init over a text file refuses, file and key untouched: {p.err.strip()!r}")
    os.symlink("notes.txt", path(tmp, "link.db"))
    p = cli.run("db", "--db", "link.db", "--key-file", "n.key", "init")
    check(p.returncode == 1 and os.path.islink(path(tmp, "link.db")) and open(path(tmp, "notes.txt")).read() == "not a db\n",
          f"init over a symlink refuses: {p.err.strip()!r}")

    # Killed mid-init: the first write past 1 MiB raises SIGXFSZ (default: die),
    # long before the store's header would be written.
    def small_files():
        resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 20, 1 << 20))
        signal.signal(signal.SIGXFSZ, signal.SIG_DFL)
    key = "k.key"
    cli.ok("db", "--db", "first.db", "--key-file", key, "init", "--sectors", "2")  # makes the key
    p = cli.run("db", "--db", "killed.db", "--key-file", key, "init", preexec=small_files)
    check(p.returncode != 0 and not os.path.exists(path(tmp, "killed.db")),
          f"an init killed before its header leaves no db (exit {p.returncode})")
    leftovers = [n for n in os.listdir(tmp) if n.startswith("killed.db")]
    for n in leftovers:
        os.unlink(path(tmp, n))
    p = cli.run("db", "--db", "killed.db", "--key-file", key, "init", "--sectors", "2")
    check(p.returncode == 0 and os.path.getsize(path(tmp, "killed.db")) == 2 * 65536,
          f"init works again afterwards (temporaries left: {leftovers})")
    check(not [n for n in os.listdir(tmp) if ".init-" in n], "a finished init leaves no temporary file")

    # A blank file of db size (what an interrupted init used to leave).
    with open(path(tmp, "blank.db"), "wb") as f:
        f.write(b"\xff" * (2 * 65536))
    p = cli.run("db", "--db", "blank.db", "--key-file", key, "rename", "1", "x")
    check(p.returncode == 1 and "holds no store" in p.err and open(path(tmp, "blank.db"), "rb").read() == b"\xff" * 131072,
          f"a blank db is refused, not bound to the key: {p.err.strip()!r}")
    p = cli.run("db", "--db", "first.db", "--key-file", key, "init")
    check(p.returncode == 1 and "already exists" in p.err, f"init over a db refuses: {p.err.strip()!r}")
    with open(path(tmp, "short.db"), "wb") as f:
        f.write(b"\0" * 1000)
    p = cli.run("db", "--db", "short.db", "--key-file", key, "list")
    check(p.returncode == 1 and "not an mcuface db (size 1000" in p.err, f"a 1000-byte db: {p.err.strip()!r}")
    os.mkdir(path(tmp, "dir.db"))
    for sub in (["list"], ["delete", "1"]):
        p = cli.run("db", "--db", "dir.db", "--key-file", key, *sub)
        check(p.returncode == 1 and "not a regular file" in p.err, f"a directory as db ({sub[0]}): {p.err.strip()!r}")


# Seconds a refusal may take; a blocked open waits for BLOCKED_AFTER.
REFUSE_SECONDS = 1.0
BLOCKED_AFTER = 5


def fifo_tests(cli, tmp):
    os.mkfifo(path(tmp, "fifo"))
    key = "k.key"
    cases = [("key file", ["db", "--db", "first.db", "--key-file", "fifo", "list"]),
             ("import file", ["db", "--db", "first.db", "--key-file", key, "import", "fifo"]),
             ("db", ["db", "--db", "fifo", "--key-file", key, "list"])]
    for what, args in cases:
        try:
            p = cli.run(*args, timeout=BLOCKED_AFTER)
            check(p.returncode == 1 and p.seconds < REFUSE_SECONDS and "regular file" in p.err,
                  f"a FIFO as {what}: exit {p.returncode} in {p.seconds:.2f} s: {p.err.strip()!r}")
        except subprocess.TimeoutExpired:
            check(False, f"a FIFO as {what}: still blocked after {BLOCKED_AFTER} s")


def export_tests(cli, tmp):
    base = ["--db", "first.db", "--key-file", "k.key"]
    with open(path(tmp, "target.txt"), "w") as f:
        f.write("keep me\n")
    os.symlink("target.txt", path(tmp, "out.lnk"))
    p = cli.run("db", *base, "export", "out.lnk")
    check(p.returncode == 1 and "not a regular file" in p.err and os.path.islink(path(tmp, "out.lnk"))
          and open(path(tmp, "target.txt")).read() == "keep me\n",
          f"export to a symlink refuses, link and target unchanged: {p.err.strip()!r}")
    os.mkfifo(path(tmp, "out.fifo"))
    try:
        p = cli.run("db", *base, "export", "out.fifo", timeout=BLOCKED_AFTER)
        check(p.returncode == 1 and p.seconds < REFUSE_SECONDS and stat.S_ISFIFO(os.lstat(path(tmp, "out.fifo")).st_mode),
              f"export to a FIFO refuses at once ({p.seconds:.2f} s), FIFO still there: {p.err.strip()!r}")
    except subprocess.TimeoutExpired:
        check(False, "export to a FIFO: blocked")
    with open(path(tmp, "old.exp"), "w") as f:
        f.write("old\n")
    os.chmod(path(tmp, "old.exp"), 0o644)
    p = cli.run("db", *base, "export", "old.exp")
    mode = stat.S_IMODE(os.stat(path(tmp, "old.exp")).st_mode)
    check(p.returncode == 0 and open(path(tmp, "old.exp"), "rb").read(4) != b"old\n" and mode == 0o600,
          f"export replaces a regular file, mode {mode:o}: {p.err.strip()!r}")
    check(not [n for n in os.listdir(tmp) if ".tmp" in n], "export leaves no temporary file")


def name_tests(cli, tmp, photos):
    base = ["--db", "names.db", "--key-file", "k.key"]
    cli.ok("db", *base, "init", "--sectors", "2")
    enroll = ["--no-liveness", "--allow-duplicate", "--precision", "float32", "--json"]
    nfd, nfc = unicodedata.normalize("NFD", "José"), unicodedata.normalize("NFC", "José")
    assert nfd != nfc
    first = json.loads(cli.ok("db", *base, "enroll", nfd, photos[0], *enroll))
    check(first["name"] == nfc, f"an NFD name is stored as NFC: {first['name']!r}")
    p = cli.run("db", *base, "enroll", nfc, photos[1], *enroll)
    check(p.returncode == 1 and "already used" in p.err, f"NFC José after NFD José: {p.err.strip()!r}")
    listed = json.loads(cli.ok("db", *base, "list", "--json"))["identities"]
    check([i["name"] for i in listed] == [nfc], f"one José in the store: {listed}")
    other = json.loads(cli.ok("db", *base, "enroll", "Zoë", photos[1], *enroll))
    p = cli.run("db", *base, "rename", str(other["id"]), nfd)
    check(p.returncode == 1 and "already used" in p.err, f"renaming to NFD José: {p.err.strip()!r}")

    # Names whose error would echo them: nothing raw may reach the terminal.
    long_tail = "x" * 70
    bad_names = [b"a\x1b[31mred", "right\u202eleft".encode() + long_tail.encode(), b"\xff\xfeinvalid",
                 b"bell\x07" + long_tail.encode()]
    for name in bad_names:
        p = cli.run("db", *base, "rename", str(other["id"]), name)
        raw = [b for b in p.stderr if b in CONTROL_BYTES - {0x0A}]
        check(p.returncode != 0 and not raw and b"\xe2\x80\xae" not in p.stderr and b"\xff" not in p.stderr
              and b"\\x" in p.stderr,
              f"error for name {name!r}: exit {p.returncode}, stderr {p.stderr!r}")
    listed = json.loads(cli.ok("db", *base, "list", "--json"))["identities"]
    check(sorted(i["name"] for i in listed) == sorted([nfc, "Zoë"]), f"refused names changed nothing: {listed}")


def max_faces_tests(cli, crowd):
    # The same detector input everywhere, so the faces are the same ones.
    common = ["--precision", "float32", "--json"]
    full = json.loads(cli.ok("embed", crowd, *common))
    n = len(full["faces"])
    check(n >= 3 and full["faces_found"] == n and full["faces_truncated"] is False,
          f"embed: {n} faces, faces_found {full['faces_found']}, not truncated")
    for cmd, extra in (("embed", []), ("liveness", []), ("identify", ["--db", "names.db", "--key-file", "k.key", "--no-liveness"])):
        p = cli.run(cmd, crowd, *extra, *common, "--max-faces", "2")
        got = json.loads(p.out) if p.returncode == 0 else {}
        boxes = [f["box"] for f in got.get("faces", [])]
        check(p.returncode == 0 and len(boxes) == 2 and got.get("faces_found") == n and got.get("faces_truncated") is True
              and "only the 2 best-scoring" in p.err and boxes == [f["box"] for f in full["faces"][:2]],
              f"{cmd} --max-faces 2 of {n}: {len(boxes)} faces, found {got.get('faces_found')}, "
              f"truncated {got.get('faces_truncated')}, stderr {p.err.strip()!r}")
    p = cli.run("identify", crowd, "--db", "names.db", "--key-file", "k.key", "--max-faces", "0")
    check(p.returncode == 2 and "--max-faces" in p.err, f"--max-faces 0 is a usage error: {p.err.strip()!r}")


def main():
    global REFUSE_SECONDS, BLOCKED_AFTER
    args = [a for a in sys.argv[1:] if a != "--sanitized"]
    if "--sanitized" in sys.argv[1:]:
        REFUSE_SECONDS, BLOCKED_AFTER = 5.0, 20
    build = args[0]
    shared = args[1] if len(args) > 1 else os.path.join(build, "..", "..", "shared")
    exe = os.path.abspath(os.path.join(build, "mcuface"))
    lfw = os.path.join(os.path.abspath(shared), "data", "lfw", "lfw-deepfunneled")
    photos = [os.path.join(lfw, "Tony_Blair", "Tony_Blair_0018.jpg"), os.path.join(lfw, "Colin_Powell", "Colin_Powell_0071.jpg")]
    crowd = os.path.join(os.path.abspath(shared), "data", "multiface", "3.jpg")
    models = [os.path.join(build, "models", n + ".mfm")
              for n in ("retinaface_mnet025", "edgeface_xs_gamma_06", "minifasnet_v2", "minifasnet_v1se")]
    missing = [p for p in [exe, crowd] + photos + models if not os.path.exists(p)]
    if missing:
        print("skipped: missing " + ", ".join(missing))
        return 77
    with tempfile.TemporaryDirectory(prefix="mcuface_safety_") as tmp:
        cli = Cli(exe, tmp)
        init_tests(cli, tmp)
        fifo_tests(cli, tmp)
        export_tests(cli, tmp)
        name_tests(cli, tmp, photos)
        max_faces_tests(cli, crowd)
    print("db_safety: " + ("all passed" if failures == 0 else f"{failures} failed"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
