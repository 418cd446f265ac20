#!/usr/bin/env bash
# Fuzzes every host parser with libFuzzer (Debian clang, -fsanitize=fuzzer,
# address,undefined) for SECONDS each, one target after another:
#   image_decode   mf_image_decode (libjpeg-turbo, libpng: not instrumented; own PNM/BMP parsers)
#   image_exif     mf_image_exif_orientation
#   model_open     mf_model_open + mf_model_plan (+ bind/run when cheap), CRC fixed up
#   store_mount    mf_store_mount over a raw flash image (then list/search/enroll/remount)
#   store_mount_crc  the same with every header and record CRC recomputed
#   store_import   mf_store_import of an arbitrary export file
# The seeds are the committed corpora (tests/vision/corpus/{image,exif},
# tests/nn/corpus/model, tests/store/corpus/{mount,import}); new inputs go to
# a working copy under OUT, never into the repo. Everything is built in OUT
# (default /tmp/mcuface_fuzz, outside git): the project's libraries once,
# with -fsanitize=fuzzer-no-link, then one binary per target. Prints one line
# per target (executions, new corpus units, OOMs/timeouts/crashes) and writes it to
# OUT/summary.txt; exits 1 if any target crashed (reproducers: OUT/crash_*).
# Usage: bench/fuzz_all.sh [SECONDS per target, default 60] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET=${1:-60}
shift || true
OUT=${FUZZ_OUT:-/tmp/mcuface_fuzz}
SAN="address,undefined"
mkdir -p "$OUT"
LIB="$OUT/lib"

# The libraries, instrumented for coverage and the sanitizers.
nice cmake -S . -B "$LIB" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_FLAGS="-fsanitize=fuzzer-no-link,$SAN -fno-sanitize-recover=all -fno-omit-frame-pointer" >/dev/null
nice cmake --build "$LIB" -j2 --target mf_test_support >/dev/null
LIBS="$LIB/libmf_test_support.a $LIB/libmcuface_posix.a $LIB/libmcuface_soft_crypto.a $LIB/libmcuface_eval.a $LIB/libmcuface_core.a"
INC="-Iinclude -Isrc -Itests -Itests/support -Iport/posix -Iport/soft_crypto"

declare -A SOURCE=(
  [image_decode]=tests/vision/fuzz_image_decode.c [image_exif]=tests/vision/fuzz_image_exif.c
  [model_open]=tests/nn/fuzz_model_open.c [store_mount]=tests/store/fuzz_store_mount.c
  [store_mount_crc]=tests/store/fuzz_store_mount_crc.c [store_import]=tests/store/fuzz_store_import.c)
declare -A CORPUS=(
  [image_decode]=tests/vision/corpus/image [image_exif]=tests/vision/corpus/exif
  [model_open]=tests/nn/corpus/model [store_mount]=tests/store/corpus/mount
  [store_mount_crc]=tests/store/corpus/mount [store_import]=tests/store/corpus/import)
declare -A MAXLEN=([image_decode]=65536 [image_exif]=4096 [model_open]=16384 [store_mount]=16384
  [store_mount_crc]=16384 [store_import]=16384)
TARGETS=("$@")
if [ ${#TARGETS[@]} -eq 0 ]; then
  TARGETS=(image_decode image_exif model_open store_mount store_mount_crc store_import)
fi

: > "$OUT/summary.txt"
crashed=0
for t in "${TARGETS[@]}"; do
  nice clang -g -O1 -std=c11 -fsanitize=fuzzer,$SAN -fno-sanitize-recover=all $INC "${SOURCE[$t]}" $LIBS \
    -ljpeg -lpng16 -lutf8proc -lmbedcrypto -lm -o "$OUT/fuzz_$t"
  work="$OUT/corpus_$t"
  mkdir -p "$work"
  cp "${CORPUS[$t]}"/* "$work"/ 2>/dev/null || true
  seeds=$(ls "${CORPUS[$t]}" | wc -l)
  log="$OUT/fuzz_$t.log"
  set +e
  # Fork mode with -ignore_crashes: a target keeps fuzzing for its whole
  # budget after a finding, so one shallow bug does not end the run.
  nice "$OUT/fuzz_$t" -fork=1 -ignore_crashes=1 -max_total_time="$SECONDS_PER_TARGET" -max_len="${MAXLEN[$t]}" \
    -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$OUT/crash_$t-" "$work" > "$log" 2>&1
  rc=$?
  set -e
  last=$(grep -E '^#[0-9]+: cov' "$log" | tail -n 1)
  execs=$(echo "$last" | sed -E 's/^#([0-9]+):.*/\1/')
  rate=$(echo "$last" | sed -E 's/.*exec\/s ([0-9]+).*/\1/')
  found=$(echo "$last" | sed -E 's/.*oom\/timeout\/crash: ([0-9\/]+).*/\1/')
  units=$(ls "$work" | wc -l)
  crashes=$(find "$OUT" -maxdepth 1 -name "crash_$t-*" | wc -l)
  if [ "$rc" -ne 0 ] && [ "$crashes" -eq 0 ]; then crashes="exit $rc (see $log)"; fi
  if [ "$crashes" != 0 ]; then crashed=1; fi
  line="$t: ${SECONDS_PER_TARGET} s, ${execs:-0} executions (${rate:-0}/s), corpus $seeds seeds -> $units units, oom/timeout/crash ${found:-0/0/0}, crash files: $crashes"
  echo "$line" | tee -a "$OUT/summary.txt"
done
[ "$crashed" -eq 0 ] || { echo "fuzz_all: crashes found; reproducers in $OUT/crash_*"; exit 1; }
echo "fuzz_all: no crashes ($OUT/summary.txt)"
