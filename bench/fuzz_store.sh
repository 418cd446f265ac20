#!/bin/sh
# Fuzzes the store's mount path and import parser with libFuzzer (Debian
# clang) for a fixed budget, merging new inputs into the corpus kept in the
# repo (tests/store/corpus/{mount,import}). Fails if a fuzzer finds a crash.
# Usage: bench/fuzz_store.sh [seconds per target, default 60]
set -e
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET=${1:-60}
OUT=${FUZZ_OUT:-/tmp/mf_fuzz_store}
mkdir -p "$OUT" tests/store/corpus/mount tests/store/corpus/import
# The fixture links both crypto hooks (mbedtls and the portable port/soft_crypto).
CORE="src/status.c src/crc32.c src/store/*.c port/posix/store_crypto_mbedtls.c port/soft_crypto/*.c tests/support/store_fixture.c tests/support/store_fuzz_entry.c"
INCLUDES="-Iinclude -Isrc -Itests -Iport/posix -Iport/soft_crypto"
FLAGS="-g -O1 -std=c11 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all $INCLUDES"
# Seeds: real flash images and export files in the fuzz geometry.
clang -g -O1 -std=c11 $INCLUDES tests/store/store_seed_gen.c $CORE -lmbedcrypto -lm -o "$OUT/seed_gen"
mkdir -p "$OUT/seeds/mount" "$OUT/seeds/import"
"$OUT/seed_gen" "$OUT/seeds/mount" "$OUT/seeds/import"
for target in mount import; do
  clang $FLAGS tests/store/fuzz_store_$target.c $CORE -lmbedcrypto -lm -o "$OUT/fuzz_$target"
  mkdir -p "$OUT/new_$target"
  cp "$OUT/seeds/$target"/* "$OUT/new_$target"/ 2>/dev/null || true
  cp tests/store/corpus/$target/* "$OUT/new_$target"/ 2>/dev/null || true
  echo "== fuzz_$target: ${SECONDS_PER_TARGET}s"
  "$OUT/fuzz_$target" -max_total_time="$SECONDS_PER_TARGET" -max_len=16384 -rss_limit_mb=2048 \
      -artifact_prefix="$OUT/crash_$target-" -print_final_stats=1 "$OUT/new_$target" 2>&1 | tail -n 12
  # Keep a minimal corpus in the repo.
  "$OUT/fuzz_$target" -merge=1 -max_len=16384 tests/store/corpus/$target "$OUT/new_$target" 2>&1 | tail -n 1
done
if ls "$OUT"/crash_* >/dev/null 2>&1; then echo "fuzz_store: crashes found in $OUT"; exit 1; fi
echo "fuzz_store: no crashes; corpus: $(ls tests/store/corpus/mount | wc -l) mount, $(ls tests/store/corpus/import | wc -l) import inputs"
