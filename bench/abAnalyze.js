// Two builds of the analysis side by side in one process, for deciding whether a change to the
// chain, the evaluator or the JSON report makes `analyze` faster (see bench/abEvaluate.js for
// why: separate processes on a shared host differ by a third from run to run). Each build loads
// the snapshot with its own loader (not timed), then both analyze the pipelines in alternating
// slices of SLICE pipelines, each slice written as the JSON report writes it (to a counter, not
// a file); the time of each build is summed over its slices. The reports of the two builds are
// compared pipeline by pipeline as they are made, and the run stops at the first difference.
//
//   node --expose-gc bench/abAnalyze.js <rootA> <rootB> <snapshot-dir> [slice=50] [passes=2]
//
// Every pass analyzes every pipeline again from the same loaded model, so caches a build keeps
// per model are warm from the second pass on, for both builds alike. Prints each build's time
// and B/A: below 1, B is faster. On the 1,000-pipeline synthetic organization a build against
// itself read 0.993, 0.959 and 0.960 (the build loaded second tends to come out a little
// faster): run both orders, and trust differences above about 5% only.
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

const [rootA, rootB, dir, sliceArg = '50', passArg = '2'] = process.argv.slice(2);
if (!rootA || !rootB || !dir) {
  process.stderr.write(
    'usage: node --expose-gc bench/abAnalyze.js <rootA> <rootB> <snapshot-dir> [slice] [passes]\n',
  );
  process.exit(2);
}
const SLICE = Number(sliceArg);
const PASSES = Number(passArg);

async function build(root) {
  const url = (p) => pathToFileURL(join(resolve(root), 'dist', p)).href;
  const { loadInput } = await import(url('cli/loadInput.js'));
  const { analyzeModelLazily } = await import(url('chain/analyze.js'));
  const { renderJsonStream } = await import(url('report/json.js'));
  const { model } = loadInput(process.cwd(), dir);
  return { model, analyzeModelLazily, renderJsonStream };
}

const A = await build(rootA);
const B = await build(rootB);

/** An iterator over one pass's report text, pipeline by pipeline. */
function pass(b) {
  const lazy = b.analyzeModelLazily(b.model, {});
  return b.renderJsonStream(lazy.pipelines, lazy.problems)[Symbol.iterator]();
}

/** Up to SLICE pipelines' text (two chunks each: the pipeline and its separator). */
function slice(it) {
  const chunks = [];
  for (let k = 0; k < 2 * SLICE; k++) {
    const r = it.next();
    if (r.done) return { chunks, done: true };
    chunks.push(r.value);
  }
  return { chunks, done: false };
}

let msA = 0;
let msB = 0;
let bytes = 0;
globalThis.gc?.();
for (let p = 0; p < PASSES; p++) {
  const itA = pass(A);
  const itB = pass(B);
  for (let k = 0; ; k++) {
    let a;
    let b;
    // alternate which build goes first
    for (const which of k % 2 === 0 ? ['A', 'B'] : ['B', 'A']) {
      const t0 = performance.now();
      if (which === 'A') a = slice(itA);
      else b = slice(itB);
      const ms = performance.now() - t0;
      if (which === 'A') msA += ms;
      else msB += ms;
    }
    const text = a.chunks.join('');
    if (text !== b.chunks.join(''))
      throw new Error(`the builds' reports differ in slice ${k} of pass ${p}`);
    bytes += text.length;
    if (a.done || b.done) break;
  }
}
process.stdout.write(
  `A ${(msA / 1000).toFixed(2)} s, B ${(msB / 1000).toFixed(2)} s, B/A ${(msB / msA).toFixed(3)} (${PASSES} passes, ${(bytes / PASSES / 1e6).toFixed(0)} MB of report each)\n`,
);
