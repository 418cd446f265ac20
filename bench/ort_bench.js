// ONNX Runtime (CPU, onnxruntime-node) side of bench/speed_vs_onnxruntime.sh.
//   node bench/ort_bench.js MODULE_DIR MODEL.onnx NxCxHxW RUNS WARMUP
// One intra-op thread, one inter-op thread, sequential execution, graph
// optimizations at ORT's default (all). Before timing, runs once on
// MODEL.input.bin and compares with MODEL.expected.bin (the PyTorch forward,
// written by bench/export_onnx.py): the maximum absolute difference is
// reported so that a wrong export cannot pass for a fast one. Prints one JSON
// line: {"ort_version", "median_ms", "min_ms", "max_abs_diff", ...}.
'use strict';
const fs = require('fs');
const path = require('path');

function readF32(file) {
  const buf = fs.readFileSync(file);
  return new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
}

async function main() {
  const [moduleDir, modelPath, shapeArg, runsArg, warmupArg] = process.argv.slice(2);
  if (!shapeArg) {
    console.error('usage: node ort_bench.js MODULE_DIR MODEL.onnx NxCxHxW [RUNS] [WARMUP]');
    process.exit(2);
  }
  const runs = parseInt(runsArg || '20', 10), warmup = parseInt(warmupArg || '3', 10);
  const ort = require(path.resolve(moduleDir, 'node_modules', 'onnxruntime-node'));
  const session = await ort.InferenceSession.create(modelPath, {
    executionProviders: ['cpu'],
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    executionMode: 'sequential',
  });
  const base = modelPath.replace(/\.onnx$/, '');
  const inputName = session.inputNames[0];
  const data = readF32(base + '.input.bin');
  const dims = shapeArg.split('x').map((v) => parseInt(v, 10));
  if (dims.reduce((a, b) => a * b, 1) !== data.length) throw new Error(`input ${shapeArg} does not match ${base}.input.bin`);
  const feeds = { [inputName]: new ort.Tensor('float32', data, dims) };

  // Same function as the PyTorch oracle?
  const first = await session.run(feeds);
  const expected = readF32(base + '.expected.bin');
  let offset = 0, maxDiff = 0;
  for (const name of session.outputNames) {
    const out = first[name].data;
    for (let i = 0; i < out.length; i++) maxDiff = Math.max(maxDiff, Math.abs(out[i] - expected[offset + i]));
    offset += out.length;
  }
  if (offset !== expected.length) throw new Error(`output size ${offset} != expected ${expected.length}`);

  for (let i = 0; i < warmup; i++) await session.run(feeds);
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    await session.run(feeds);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  const mid = times.length >> 1;
  const median = times.length % 2 ? times[mid] : 0.5 * (times[mid - 1] + times[mid]);
  console.log(JSON.stringify({
    ort_version: (ort.env && ort.env.versions && ort.env.versions.node) || 'unknown',
    model: modelPath, input: dims.join('x'), threads: 1, runs, warmup,
    median_ms: +median.toFixed(4), min_ms: +times[0].toFixed(4), max_abs_diff: maxDiff,
  }));
}

main().catch((e) => {
  console.error('ort_bench: ' + (e && e.message ? e.message : e));
  process.exit(1);
});
