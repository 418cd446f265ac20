"""Concurrent `mcuface db` writers on one db file lose nothing they were told
succeeded.

For N = 2, 4 and 8 writer processes on a fresh db, each writer runs 20
rounds against its own identities, all writers at once: round 0 enrolls A,
rounds 1..19 rename A (a new name each round), round 8 enrolls a second
identity B, round 14 deletes B, round 11 lists the store and must see A under
its latest name. Afterwards every acknowledged operation must show: each A
with its acknowledged id and last acknowledged name, no B, every acknowledged
id unique, nothing else in the store. Every command must succeed (the lock
waits; a "busy" would be a failure at these loads). Without the lock the
writers mount the same state and program the same free slots: acknowledged
records are lost (the defect this guards against).

Also: a lock held by another process makes a command wait and then fail with
"busy" within --wait seconds; a shared lock lets readers in and keeps
writers out.
Usage: db_concurrency.py BUILD_DIR [SHARED_DIR]. Exit 77 without the models
or the photo."""
import fcntl
import json
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

ROUNDS = 20
PHOTO = os.path.join("lfw", "lfw-deepfunneled", "Tony_Blair", "Tony_Blair_0018.jpg")
failures = 0


def check(ok, what):
    global failures
    print(("ok   " if ok else "FAIL ") + what)
    failures += not ok


def run(exe, cwd, *args):
    env = dict(os.environ)
    env.pop("MCUFACE_KEY_FILE", None)
    return subprocess.run([exe, *args], capture_output=True, text=True, cwd=cwd, env=env)


def writer(exe, cwd, base, photo, w):
    """One writer's rounds; returns its log of acknowledged results and errors."""
    # Cheap enrollment: float32, small detector input, liveness off, the same
    # face for everyone (hence --allow-duplicate).
    enroll = ["--no-liveness", "--allow-duplicate", "--precision", "float32", "--size", "160", "--json"]
    log = {"a_id": None, "a_name": None, "b_id": None, "b_deleted": False, "errors": [], "list_ok": None}
    for r in range(ROUNDS):
        if r == 0 or r == 8:
            name = f"w{w} {'A' if r == 0 else 'B'}"
            p = run(exe, cwd, "db", *base, "enroll", name, photo, *enroll)
            if p.returncode == 0:
                got = json.loads(p.stdout)
                if r == 0:
                    log["a_id"], log["a_name"] = got["id"], name
                else:
                    log["b_id"] = got["id"]
            else:
                log["errors"].append(f"round {r} enroll: {p.stderr.strip()}")
        if r >= 1 and log["a_id"] is not None:
            name = f"w{w} A r{r}"
            p = run(exe, cwd, "db", *base, "rename", str(log["a_id"]), name)
            if p.returncode == 0:
                log["a_name"] = name
            else:
                log["errors"].append(f"round {r} rename: {p.stderr.strip()}")
        if r == 11 and log["a_id"] is not None:
            p = run(exe, cwd, "db", *base, "list", "--json")
            if p.returncode == 0:
                seen = {i["id"]: i["name"] for i in json.loads(p.stdout)["identities"]}
                log["list_ok"] = seen.get(log["a_id"]) == log["a_name"]
            else:
                log["errors"].append(f"round {r} list: {p.stderr.strip()}")
        if r == 14 and log["b_id"] is not None:
            p = run(exe, cwd, "db", *base, "delete", str(log["b_id"]))
            if p.returncode == 0:
                log["b_deleted"] = True
            else:
                log["errors"].append(f"round {r} delete: {p.stderr.strip()}")
    return log


def concurrent_writers(exe, tmp, photo, n):
    db, key = f"c{n}.db", f"c{n}.key"
    base = ["--db", db, "--key-file", key]
    p = run(exe, tmp, "db", *base, "init", "--sectors", "4")
    if p.returncode != 0:
        raise SystemExit(f"FAIL: init: {p.stderr}")
    start = time.monotonic()
    with ThreadPoolExecutor(max_workers=n) as pool:
        logs = list(pool.map(lambda w: writer(exe, tmp, base, photo, w), range(n)))
    took = time.monotonic() - start
    errors = [e for log in logs for e in log["errors"]]
    check(not errors, f"N={n}: every command of {n} x {ROUNDS} rounds succeeded ({took:.1f} s)"
          + (f"; errors: {errors[:3]}" if errors else ""))
    p = run(exe, tmp, "db", *base, "list", "--json")
    listed = {i["id"]: i["name"] for i in json.loads(p.stdout)["identities"]} if p.returncode == 0 else {}
    acked_ids = [log["a_id"] for log in logs if log["a_id"] is not None] + \
                [log["b_id"] for log in logs if log["b_id"] is not None]
    check(len(acked_ids) == 2 * n and len(set(acked_ids)) == len(acked_ids),
          f"N={n}: {len(acked_ids)} acknowledged enrollments, ids unique: {sorted(acked_ids)}")
    lost = [(log["a_id"], log["a_name"], listed.get(log["a_id"])) for log in logs
            if log["a_id"] is None or listed.get(log["a_id"]) != log["a_name"]]
    check(not lost, f"N={n}: every identity A has its last acknowledged name" + (f"; lost: {lost}" if lost else ""))
    undeleted = [log["b_id"] for log in logs if log["b_deleted"] and log["b_id"] in listed]
    check(all(log["b_deleted"] for log in logs) and not undeleted, f"N={n}: every acknowledged delete holds")
    check(len(listed) == n, f"N={n}: the store holds exactly the {n} A identities ({len(listed)})")
    check(all(log["list_ok"] for log in logs), f"N={n}: each reader saw its writer's latest name")


def lock_waits(exe, tmp):
    db, key = "l.db", "l.key"
    base = ["--db", db, "--key-file", key]
    run(exe, tmp, "db", *base, "init", "--sectors", "2")
    with open(os.path.join(tmp, db), "rb") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        start = time.monotonic()
        p = run(exe, tmp, "db", *base, "list", "--wait", "0.5")
        took = time.monotonic() - start
        check(p.returncode == 1 and "busy" in p.stderr and 0.4 < took < 2.0,
              f"a held exclusive lock: list fails 'busy' after --wait 0.5 ({took:.2f} s): {p.stderr.strip()!r}")
        # released while a command waits: it goes ahead
        proc = subprocess.Popen([exe, "db", *base, "list", "--json", "--wait", "5"], cwd=tmp,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(0.3)
        check(proc.poll() is None, "a command waits while the lock is held")
        fcntl.flock(held, fcntl.LOCK_UN)
        out, err = proc.communicate(timeout=10)
        check(proc.returncode == 0 and json.loads(out) == {"identities": []},
              f"it proceeds once the lock is released: exit {proc.returncode} {err.strip()!r}")
        fcntl.flock(held, fcntl.LOCK_SH)
        p = run(exe, tmp, "db", *base, "list", "--wait", "0.5")
        check(p.returncode == 0, f"a shared lock lets a reader in: {p.stderr.strip()!r}")
        p = run(exe, tmp, "db", *base, "delete", "1", "--wait", "0.3")
        check(p.returncode == 1 and "busy" in p.stderr, f"a shared lock keeps a writer out: {p.stderr.strip()!r}")
        fcntl.flock(held, fcntl.LOCK_UN)
    p = run(exe, tmp, "db", *base, "list", "--wait", "x")
    check(p.returncode == 2 and "--wait" in p.stderr, f"--wait x is a usage error: {p.stderr.strip()!r}")


def main():
    build = sys.argv[1]
    shared = sys.argv[2] if len(sys.argv) > 2 else os.path.join(build, "..", "..", "shared")
    exe = os.path.abspath(os.path.join(build, "mcuface"))
    photo = os.path.abspath(os.path.join(shared, "data", PHOTO))
    models = [os.path.join(build, "models", n + ".mfm") for n in ("retinaface_mnet025", "edgeface_xs_gamma_06")]
    missing = [p for p in [exe, photo] + models if not os.path.exists(p)]
    if missing:
        print("skipped: missing " + ", ".join(missing))
        return 77
    with tempfile.TemporaryDirectory(prefix="mcuface_conc_") as tmp:
        lock_waits(exe, tmp)
        for n in (2, 4, 8):
            concurrent_writers(exe, tmp, photo, n)
    print("db_concurrency: " + ("all passed" if failures == 0 else f"{failures} failed"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
