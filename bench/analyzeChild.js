// One `permchain analyze` run, in-process through the CLI's own entry, for the analyze
// benchmark: prints {"ms", "exit", "maxRssMB", "sdkLoaded"} on stdout. The report goes to the
// file given as the second argument, in the format given as the third (json unless told); the
// arguments after it are more options of analyze (`--jobs 1`). A module-resolution hook records every module resolved
// while analyze runs, so `sdkLoaded` says whether any @aws-sdk package was loaded.
import { register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

const { port1, port2 } = new MessageChannel();
let sdkLoaded = false;
port1.on('message', (url) => {
  if (String(url).includes('@aws-sdk')) sdkLoaded = true;
});
port1.unref();
const hook = `let port;
  export function initialize(data) { port = data.port; }
  export async function resolve(specifier, context, next) {
    const r = await next(specifier, context);
    port.postMessage(r.url);
    return r;
  }`;
register('data:text/javascript,' + encodeURIComponent(hook), {
  data: { port: port2 },
  transferList: [port2],
});

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
    process.argv[4] ?? 'json',
    '--output',
    process.argv[3],
    // more options (`--jobs 1`), as given
    ...process.argv.slice(5),
  ],
  silent,
);
const ms = performance.now() - t0;
await sleep(50); // let the hook's last messages arrive
process.stdout.write(
  JSON.stringify({ ms, exit, maxRssMB: process.resourceUsage().maxRSS / 1024, sdkLoaded }),
);
