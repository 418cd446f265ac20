"""The CLI's usage against what it really accepts (needs no models).

- `mcuface --version` prints the version written in include/mcuface/mf_version.h;
- every command of the global usage answers `--help` and `-h` with its own usage
  on stdout and exit 0;
- every option a command's --help lists is in the global usage of that command,
  and is accepted by the parser (given without its value it is "needs a value",
  never "unknown option");
- an unknown option and a missing required option are one-line usage errors (exit 2);
- detect remarks on stderr when small faces were probably missed (26.jpg at 320), not otherwise.
Usage: cli_usage.py BUILD_DIR SOURCE_DIR [SHARED_DIR]
"""
import os
import re
import subprocess
import sys


def run(build, *args):
    return subprocess.run([f"{build}/mcuface", *args], capture_output=True, text=True)


failures = 0


def check(ok, what):
    global failures
    print(f"{'ok  ' if ok else 'FAIL'} {what}")
    failures += not ok


def options_of(help_text):
    """Option names of the 'options:' section of a --help text."""
    section = help_text.split("options:\n", 1)[1]
    return [m.group(1) for m in re.finditer(r"^  (--?[\w-]+)", section, re.M) if m.group(1) not in ("-h",)]


def main():
    build, source = sys.argv[1], sys.argv[2]
    shared = sys.argv[3] if len(sys.argv) > 3 else f"{source}/../shared"
    header = open(f"{source}/include/mcuface/mf_version.h").read()
    want = ".".join(re.search(rf"#define MF_VERSION_{k} (\d+)", header).group(1) for k in ("MAJOR", "MINOR", "PATCH"))
    p = run(build, "--version")
    check(p.returncode == 0 and p.stdout == f"mcuface {want}\n", f"--version prints {want}: {p.stdout.strip()!r}")

    usage = run(build, "--help")
    check(usage.returncode == 0 and usage.stdout.startswith("usage: mcuface COMMAND"), "mcuface --help: exit 0, usage")
    # global usage entries: "  mcuface NAME ..." then continuation lines indented by 6
    entries = {}
    for block in re.split(r"\n(?=  mcuface )", usage.stdout):
        m = re.match(r"  mcuface ((?:eval )?[a-z]+)( --aligned)?", block)
        if m: entries[m.group(1) + (m.group(2) or "")] = block
    check(len(entries) >= 14, f"global usage lists {len(entries)} commands")
    for name, block in entries.items():
        words = name.split()
        for flag in ("--help", "-h"):
            p = run(build, *words, flag)
            check(p.returncode == 0 and p.stdout.startswith(f"usage: mcuface {name}") and not p.stderr,
                  f"mcuface {name} {flag}: exit {p.returncode}, {p.stdout[:40]!r}")
        help_text = run(build, *words, "--help").stdout
        listed = options_of(help_text)
        missing = [o for o in listed if not re.search(rf"[\[ ]{re.escape(o)}[\] ]", block)]
        check(not missing, f"{name}: the global usage shows all {len(listed)} options of its --help {missing or ''}")
        for option in listed:
            if option in ("--json", "--no-liveness", "--no-cascade", "--allow-duplicate", "--plaintext", "--no-tracking", "--flip",
                          "--aligned"):
                continue  # flags: nothing to leave out
            p = run(build, *words, option)
            check(p.returncode == 2 and "needs" in p.stderr and "unknown" not in p.stderr,
                  f"{name} {option} (no value): {p.stderr.strip()!r}")

    p = run(build, "detect", "x.jpg", "--frobnicate")
    lines = p.stderr.strip().splitlines()
    check(p.returncode == 2 and len(lines) == 1 and "unknown option '--frobnicate'" in lines[0],
          f"unknown option: exit {p.returncode}, {lines}")
    p = run(build, "eval", "lfw")
    check(p.returncode == 2 and "--data DIR is required" in p.stderr, f"eval lfw without --data: {p.stderr.strip()!r}")
    p = run(build, "verify", "a.jpg")
    check(p.returncode == 2 and p.stderr.startswith("mcuface: usage: mcuface verify A B"), f"verify with one image: {p.stderr.strip()!r}")
    p = run(build, "detect", "a.jpg", "b.jpg")
    check(p.returncode == 2 and "too many arguments ('b.jpg')" in p.stderr, f"detect of two images: {p.stderr.strip()!r}")
    p = run(build, "detect", "a.jpg", "--threshold", "1")
    check(p.returncode == 2 and "in [0, 1)" in p.stderr, f"detect --threshold 1 (open range): {p.stderr.strip()!r}")
    p = run(build, "info", "m.mfm", "--input", "64x")
    check(p.returncode == 2 and "--input wants WxH" in p.stderr, f"info --input 64x: {p.stderr.strip()!r}")

    # the remark when small faces were probably missed (needs the models and ../shared)
    multiface = f"{shared}/data/multiface"
    if os.path.exists(f"{build}/models/retinaface_mnet025_int8.mfm") and os.path.exists(f"{multiface}/26.jpg"):
        env = dict(os.environ, MCUFACE_MODEL_DIR=f"{build}/models")
        crowd = subprocess.run([f"{build}/mcuface", "detect", f"{multiface}/26.jpg"], capture_output=True, text=True, env=env)
        check(crowd.returncode == 0 and "0 faces" in crowd.stdout and "remark" in crowd.stderr and "--size 0" in crowd.stderr,
              f"26.jpg at 320: 0 faces and a remark: {crowd.stderr.strip()!r}")
        full = subprocess.run([f"{build}/mcuface", "detect", f"{multiface}/26.jpg", "--size", "0"], capture_output=True,
                              text=True, env=env)
        check(full.returncode == 0 and not full.stderr and int(full.stdout.split(": ")[1].split()[0]) > 50,
              f"26.jpg at --size 0: {full.stdout.splitlines()[0]!r}, no remark")
        group = subprocess.run([f"{build}/mcuface", "detect", f"{multiface}/3.jpg"], capture_output=True, text=True, env=env)
        check(group.returncode == 0 and not group.stderr, f"3.jpg (5 large faces): no remark {group.stderr.strip()!r}")
    else:
        print("note: remark cases skipped (no build/models or ../shared/data/multiface)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
