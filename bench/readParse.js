// The baseline for the analyze benchmark: read every file of a snapshot folder and JSON.parse
// it, nothing else. Prints {"ms", "files", "maxRssMB"} on stdout.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const t0 = performance.now();
let files = 0;
function walk(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else {
      JSON.parse(readFileSync(p, 'utf8'));
      files++;
    }
  }
}
walk(process.argv[2]);
process.stdout.write(
  JSON.stringify({
    ms: performance.now() - t0,
    files,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
  }),
);
