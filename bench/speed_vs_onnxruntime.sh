#!/usr/bin/env bash
# Single-thread speed of mcuface against ONNX Runtime (CPU) on the same
# weights, same machine: RetinaFace-MobileNet0.25 at 320x240 and
# EdgeFace-XS-gamma-0.6 at 112x112. Prints a Markdown table (median ms per
# run; ratio = mcuface / ORT, > 1 means ORT is faster), mcuface in float32 and in
# int8 (the x86 SIMD twins, bit-exact with the M55; MCUFACE_X86_ISA=scalar|avx2|avx512
# caps the level), ORT in float32.
#
#   bench/speed_vs_onnxruntime.sh [RUNS [WARMUP]]      (default 50 runs after 5 warm-up)
#
# mcuface: `build/mcuface bench` on build/models/*.mfm (scripts/build.sh is run if they are
# missing). ORT: the PyTorch oracles exported to ONNX by bench/export_onnx.py into build/bench
# (never committed), run by bench/ort_bench.js through onnxruntime-node (installed into
# build/bench/node_modules if absent) with intraOpNumThreads=1 and ORT's default graph
# optimizations. If ORT cannot be installed or loaded, says why and prints the mcuface
# numbers only (exit 0).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-50}
warmup=${2:-5}
build=${BUILD_DIR:-build}
out=$build/bench
py=/usr/bin/python3
mkdir -p "$out"

if [[ ! -x $build/mcuface || ! -f $build/models/retinaface_mnet025.mfm || ! -f $build/models/edgeface_xs_gamma_06.mfm ]]; then
    scripts/build.sh >&2
fi

# name | mcuface input (WxH, NHWC) | ONNX input (NCHW) | label
models=(
    "retinaface_mnet025|320x240|1x3x240x320|RetinaFace-MobileNet0.25"
    "edgeface_xs_gamma_06|112x112|1x3x112x112|EdgeFace-XS-gamma-0.6"
)

json_field() { # FILE KEY
    "$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"
}

# --- mcuface --------------------------------------------------------------
for m in "${models[@]}"; do
    IFS='|' read -r name wh _ _ <<<"$m"
    "$build/mcuface" bench "$build/models/$name.mfm" --input "$wh" --runs "$runs" --warmup "$warmup" --json \
        >"$out/$name.mcuface.json"
    "$build/mcuface" bench "$build/models/${name}_int8.mfm" --input "$wh" --runs "$runs" --warmup "$warmup" --json \
        >"$out/$name.mcuface_int8.json"
done

# --- ONNX Runtime -----------------------------------------------------------
ort_ok=1
why=""
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    ort_ok=0; why="node/npm not found"
fi
if [[ $ort_ok == 1 && ! -d $out/node_modules/onnxruntime-node ]]; then
    # --ignore-scripts: the package's install script fetches from a host that may be unreachable;
    # the CPU binding ships inside the npm package.
    if ! npm install --ignore-scripts --no-audit --no-fund --prefix "$out" onnxruntime-node >"$out/npm.log" 2>&1; then
        ort_ok=0; why="npm install onnxruntime-node failed (see $out/npm.log)"
    fi
fi
if [[ $ort_ok == 1 ]] && ! err=$(node -e 'require(require("path").resolve(process.argv[1], "node_modules", "onnxruntime-node"))' "$out" 2>&1); then
    ort_ok=0; why="onnxruntime-node does not load: $(tail -n 1 <<<"$err")"
fi
if [[ $ort_ok == 1 ]]; then
    stale=0
    for m in "${models[@]}"; do
        IFS='|' read -r name _ _ _ <<<"$m"
        for f in "$out/$name.onnx" "$out/$name.input.bin" "$out/$name.expected.bin"; do
            if [[ ! -f $f || bench/export_onnx.py -nt $f ]]; then stale=1; fi
        done
    done
    if [[ $stale == 1 ]] && ! "$py" bench/export_onnx.py --out "$out" >"$out/export.log" 2>&1; then
        ort_ok=0; why="ONNX export failed (see $out/export.log)"
    fi
fi
if [[ $ort_ok == 1 ]]; then
    for m in "${models[@]}"; do
        IFS='|' read -r name _ nchw _ <<<"$m"
        if ! node bench/ort_bench.js "$out" "$out/$name.onnx" "$nchw" "$runs" "$warmup" >"$out/$name.ort.json" 2>"$out/$name.ort.err"; then
            ort_ok=0; why="ORT run of $name failed: $(tail -n 1 "$out/$name.ort.err")"
            break
        fi
    done
fi

# --- table --------------------------------------------------------------------
cpu=$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//' || true)
echo "Single thread, median of $runs runs after $warmup warm-up; ${cpu:-unknown CPU}."
if [[ $ort_ok == 1 ]]; then
    echo "ONNX Runtime $(json_field "$out/retinaface_mnet025.ort.json" ort_version) (onnxruntime-node, CPU, intraOpNumThreads=1, default graph optimizations)."
    echo
    echo "| model | input | mcuface float32 ms | mcuface int8 ms | ORT float32 ms | float32 / ORT | int8 / ORT |"
    echo "|---|---|---|---|---|---|---|"
else
    echo "ONNX Runtime not measured: $why"
    echo
    echo "| model | input | mcuface float32 ms | mcuface int8 ms | MACs |"
    echo "|---|---|---|---|---|"
fi
for m in "${models[@]}"; do
    IFS='|' read -r name wh _ label <<<"$m"
    mc=$(json_field "$out/$name.mcuface.json" median_ms)
    mc8=$(json_field "$out/$name.mcuface_int8.json" median_ms)
    if [[ $ort_ok == 1 ]]; then
        ort=$(json_field "$out/$name.ort.json" median_ms)
        "$py" -c 'import sys; l,i,a,c,b=sys.argv[1:]; a=float(a); c=float(c); b=float(b); print("| %s | %s | %.2f | %.2f | %.2f | %.2fx | %.2fx |" % (l, i, a, c, b, a / b, c / b))' \
            "$label" "$wh" "$mc" "$mc8" "$ort"
    else
        "$py" -c 'import sys; l,i,a,c,m=sys.argv[1:]; print("| %s | %s | %.2f | %.2f | %s |" % (l, i, float(a), float(c), m))' \
            "$label" "$wh" "$mc" "$mc8" "$(json_field "$out/$name.mcuface.json" macs)"
    fi
done
if [[ $ort_ok == 1 ]]; then
    echo
    for m in "${models[@]}"; do
        IFS='|' read -r name _ _ label <<<"$m"
        printf '%s: ORT output vs the PyTorch oracle, max abs diff %s; mcuface %s GMAC/s.\n' "$label" \
            "$("$py" -c 'import sys; print("%.1e" % float(sys.argv[1]))' "$(json_field "$out/$name.ort.json" max_abs_diff)")" \
            "$(json_field "$out/$name.mcuface.json" gmac_per_s)"
    done
fi
