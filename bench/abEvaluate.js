// Two builds of evaluate() side by side in one process, for deciding whether a change to the
// evaluator is faster. On a shared host, separate processes of the same build differ by a third
// from run to run, far more than most changes; here both builds run the same mix in alternating
// slices, so they share every slow and fast moment of the host. Each build gets its own copy of
// the requests, generated the same way, so neither reuses the other's compiled documents and
// both see the same object shapes. A build against itself (two copies of one dist/) read 0.96,
// 0.96, 0.995 and 0.99 on the hot mix with 30 slices: a difference under 5% is not resolved.
//
//   node --expose-gc bench/abEvaluate.js <rootA> <rootB> [hot|shared|distinct|minimal] [slices] [ms]
//
// A root is a folder with a built `dist/` (a git worktree of another commit after `npm run
// build`, or a copy of `dist/` beside a `node_modules` link). Prints the rate of each build and
// B/A: above 1, B is faster.
import { rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadHelpers, minimalRequests, shareDocuments } from './mixes.js';

const [rootA, rootB, mix = 'hot', slicesArg = '30', msArg = '150'] = process.argv.slice(2);
if (!rootA || !rootB) {
  process.stderr.write(
    'usage: node --expose-gc bench/abEvaluate.js <rootA> <rootB> [mix] [slices] [ms]\n',
  );
  process.exit(2);
}
const SLICES = Number(slicesArg);
const SLICE_MS = Number(msArg);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const helpers = loadHelpers(root);
try {
  const load = async (r) =>
    (await import(pathToFileURL(join(resolve(r), 'dist', 'index.js')).href)).evaluate;
  const evalA = await load(rootA);
  const evalB = await load(rootB);
  const { generateCases, DOCUMENT_FIELDS } = await import(
    pathToFileURL(join(helpers, 'generator.js')).href
  );
  const requests = () => {
    if (mix === 'minimal') return minimalRequests(100);
    const distinct = generateCases(20240601, 2000, { focused: false }).map((c) => c.request);
    if (mix === 'distinct') return distinct;
    const shared = shareDocuments(distinct, 200, DOCUMENT_FIELDS);
    if (mix === 'shared') return shared;
    if (mix === 'hot') return shared.slice(0, 100);
    throw new Error(`unknown mix ${mix}`);
  };
  const reqsA = requests();
  const reqsB = requests();
  // the builds must decide alike, unless AB_ALLOW_DIFFERENT is set (a change of the rules
  // between them): then the requests decided differently are counted and timed all the same
  let different = 0;
  for (let i = 0; i < reqsA.length; i++)
    if (evalA(reqsA[i]).decision !== evalB(reqsB[i]).decision) {
      if (!process.env.AB_ALLOW_DIFFERENT)
        throw new Error(
          `the builds decide request ${i} differently (AB_ALLOW_DIFFERENT=1 to time them anyway)`,
        );
      different++;
    }
  if (different > 0) process.stdout.write(`requests decided differently: ${different}\n`);

  const slice = (f, reqs) => {
    let n = 0;
    const t0 = performance.now();
    let ms;
    do {
      for (const r of reqs) f(r);
      n += reqs.length;
      ms = performance.now() - t0;
    } while (ms < SLICE_MS);
    return [n, ms];
  };
  for (const t0 = performance.now(); performance.now() - t0 < 2000;) {
    slice(evalA, reqsA);
    slice(evalB, reqsB);
  }
  globalThis.gc?.();
  let nA = 0;
  let msA = 0;
  let nB = 0;
  let msB = 0;
  for (let k = 0; k < SLICES; k++) {
    // alternate which build goes first
    const order = k % 2 === 0 ? ['A', 'B'] : ['B', 'A'];
    for (const which of order) {
      const [n, ms] = which === 'A' ? slice(evalA, reqsA) : slice(evalB, reqsB);
      if (which === 'A') {
        nA += n;
        msA += ms;
      } else {
        nB += n;
        msB += ms;
      }
    }
  }
  const rateA = (nA / msA) * 1000;
  const rateB = (nB / msB) * 1000;
  process.stdout.write(
    `${mix}: A ${Math.round(rateA).toLocaleString('en-US')} req/s, B ${Math.round(rateB).toLocaleString('en-US')} req/s, B/A ${(rateB / rateA).toFixed(3)}\n`,
  );
} finally {
  rmSync(helpers, { recursive: true, force: true });
}
