// One `permchain analyze` run, in-process through the CLI's own entry, for the analyze
// benchmark: prints {"ms", "exit", "maxRssMB", "sdkLoaded"} on stdout. The report goes to the
// file given as the third argument.
import { performance } from 'node:perf_hooks';
import { createRequire } from 'node:module';

const t0 = performance.now();
const { main } = await import('../dist/cli/main.js');
const silent = { stdout: () => {}, stderr: () => {}, color: false, cwd: process.cwd() };
const exit = await main(
  [
    'node',
    'permchain',
    'analyze',
    process.argv[2],
    '--format',
    'json',
    '--output',
    process.argv[3],
  ],
  silent,
);
const ms = performance.now() - t0;
// the AWS SDK must never be loaded by analyze: look for it in the CommonJS module cache, where
// the SDK's packages land, whichever way they were imported
const require = createRequire(import.meta.url);
const sdkLoaded = Object.keys(require.cache).some((k) => k.includes('@aws-sdk'));
process.stdout.write(
  JSON.stringify({ ms, exit, maxRssMB: process.resourceUsage().maxRSS / 1024, sdkLoaded }),
);
