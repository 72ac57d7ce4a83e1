// The floor of the analyze benchmark: what `permchain analyze` must do before it builds a single
// link. Loads permchain's input loader and the snapshot folder (read, JSON.parse, check every
// shape, compile every policy into the model), nothing else. Prints {"ms", "pipelines",
// "maxRssMB"} on stdout; like bench/analyzeChild.js it times itself from its first line.
import { performance } from 'node:perf_hooks';

const t0 = performance.now();
const { loadInput } = await import('../dist/cli/loadInput.js');
const { model } = loadInput(process.cwd(), process.argv[2]);
const ms = performance.now() - t0;
let pipelines = 0;
for (const account of model?.accounts.values() ?? [])
  for (const region of account.regions.values()) pipelines += region.pipelines.size;
process.stdout.write(
  JSON.stringify({ ms, pipelines, maxRssMB: process.resourceUsage().maxRSS / 1024 }),
);
