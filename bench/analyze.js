// Benchmark of `permchain analyze` on synthetic organizations (bench/synthOrg.js: N pipelines
// across K accounts), side by side with a script that only reads and JSON.parses the same
// snapshot files (bench/readParse.js). Each measurement is a fresh child process (wall time
// from inside the process, so Node's own start-up is excluded on both sides); the median of
// several runs is reported, with the peak RSS. Writes the analyze section of BENCHMARKS.md.
//
// `npm run bench` runs it after bench/run.js; `node bench/analyze.js --quick` is a smoke run.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { Buffer } from 'node:buffer';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateOrg } from './synthOrg.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const QUICK = process.argv.includes('--quick');
const SIZES = QUICK
  ? [{ pipelines: 100, accounts: 8, runs: 1 }]
  : [
      { pipelines: 1000, accounts: 20, runs: 5 },
      // the same organization with a CDK-style inline buildspec in each project (read as JSON)
      { pipelines: 1000, accounts: 20, runs: 3, buildspec: true },
      { pipelines: 10000, accounts: 100, runs: 3 },
    ];

function child(script, args, flags = []) {
  const r = spawnSync(process.execPath, [...flags, join(here, script), ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (r.status !== 0 && !r.stdout) throw new Error(`${script} failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** Links in a JSON report too large to parse at once: one `"decision": ` per link. */
function countLinks(file) {
  const fd = openSync(file, 'r');
  const buf = Buffer.alloc(1 << 20);
  const needle = '"decision": ';
  let count = 0;
  let carry = '';
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      const text = carry + buf.toString('utf8', 0, n);
      for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) count++;
      carry = text.slice(-needle.length + 1);
    }
  } finally {
    closeSync(fd);
  }
  return count;
}

// the middle value; for an even count the mean of the two middle ones (with two runs the upper
// index alone was the slower run)
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// the threads analyze uses by default (src/cli/parallelAnalyze.ts threadCount)
const { threadCount, PARALLEL_MIN, DEFAULT_MAX_THREADS } =
  await import('../dist/cli/parallelAnalyze.js');

const results = [];
for (const size of SIZES) {
  const dir = mkdtempSync(join(os.tmpdir(), 'permchain-org-'));
  const out = join(dir, '..', `${dir.split('/').pop()}-report.json`);
  try {
    const { files, bytes } = generateOrg(dir, size);
    const base = [];
    const load = [];
    const analyze = [];
    const text = [];
    // the JSON report with --jobs 1 and --jobs 2, side by side (the default is one of them, or
    // neither on a machine of more than 2 cores): what a second thread gives at this size
    const threads = threadCount(size.pipelines, undefined);
    const byJobs = { 1: [], 2: [] };
    let last;
    for (let i = 0; i < size.runs; i++) {
      base.push(child('readParse.js', [dir]));
      load.push(child('loadChild.js', [dir]));
      last = child('analyzeChild.js', [dir, out]);
      analyze.push(last);
      text.push(child('analyzeChild.js', [dir, `${out}.txt`, 'text']));
      if (!size.buildspec) {
        for (const jobs of [1, 2]) {
          byJobs[jobs].push(
            jobs === threads
              ? last
              : child('analyzeChild.js', [dir, `${out}.jobs`, 'json', '--jobs', String(jobs)]),
          );
        }
      }
    }
    rmSync(`${out}.jobs`, { force: true });
    const links = countLinks(out);
    // writing the report alone (bench/writeChild.js), where the report fits in one string
    const written =
      statSync(out).size < 300e6 && !size.buildspec
        ? child('writeChild.js', [out, `${out}.w`], ['--expose-gc'])
        : undefined;
    rmSync(`${out}.w`, { force: true });
    rmSync(`${out}.txt`, { force: true });
    const r = {
      ...size,
      files,
      megabytes: bytes / 1e6,
      links,
      baseMs: median(base.map((b) => b.ms)),
      loadMs: median(load.map((l) => l.ms)),
      analyzeMs: median(analyze.map((a) => a.ms)),
      analyzeRssMB: Math.max(...analyze.map((a) => a.maxRssMB)),
      textMs: median(text.map((a) => a.ms)),
      textRssMB: Math.max(...text.map((a) => a.maxRssMB)),
      reportMB: statSync(out).size / 1e6,
      threads,
      jobs: size.buildspec
        ? undefined
        : Object.fromEntries(
            [1, 2].map((j) => [
              j,
              {
                ms: median(byJobs[j].map((a) => a.ms)),
                rssMB: Math.max(...byJobs[j].map((a) => a.maxRssMB)),
              },
            ]),
          ),
      exit: last.exit,
      sdkLoaded: analyze.some((a) => a.sdkLoaded) || text.some((a) => a.sdkLoaded),
      written,
    };
    results.push(r);
    if (r.jobs)
      process.stdout.write(
        `${size.pipelines} pipelines: JSON with --jobs 1 ${r.jobs[1].ms.toFixed(0)} ms (${r.jobs[1].rssMB.toFixed(0)} MB), --jobs 2 ${r.jobs[2].ms.toFixed(0)} ms (${r.jobs[2].rssMB.toFixed(0)} MB); default ${threads} thread(s)\n`,
      );
    process.stdout.write(
      `${size.pipelines} pipelines / ${size.accounts} accounts: read+parse ${r.baseMs.toFixed(0)} ms, load only ${r.loadMs.toFixed(0)} ms, analyze ${r.analyzeMs.toFixed(0)} ms (${(r.analyzeMs / r.baseMs).toFixed(1)}×), peak RSS ${r.analyzeRssMB.toFixed(0)} MB, text report ${r.textMs.toFixed(0)} ms (${(r.textMs / r.baseMs).toFixed(1)}×), peak RSS ${r.textRssMB.toFixed(0)} MB, ${links} links${written ? `, report write alone ${written.fullMs.toFixed(0)} ms (contract members only ${written.contractMs.toFixed(0)} ms)` : ''}\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(out, { force: true });
  }
}

if (!QUICK) {
  const cpus = os.cpus();
  const commit = (() => {
    try {
      return execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
        cwd: root,
        encoding: 'utf8',
      }).trim();
    } catch {
      return 'unknown';
    }
  })();
  const lines = [
    '<!-- analyze-benchmark:start -->',
    '## Analyze: synthetic organization (N pipelines across K accounts)',
    '',
    `- date (UTC): ${new Date().toISOString().slice(0, 10)}; commit: ${commit}`,
    `- machine: ${cpus[0]?.model?.trim() ?? 'unknown'}, ${cpus.length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, ${os.type()} ${os.release()}; Node ${process.version}`,
    '',
    '**Method.** `bench/synthOrg.js` writes a snapshot folder: a quarter of the K accounts are tools',
    'accounts (their pipelines, pipeline and CodeBuild roles, projects, one artifact bucket and CMK),',
    'the rest are targets (a cross-account CloudFormation action role and execution role per pipeline),',
    'plus an organization with SCPs and RCPs. Each pipeline is CodeCommit → CodeBuild → cross-account',
    'CloudFormation. The row *inline buildspecs* is the 1,000-pipeline organization with the inline',
    'JSON buildspec CDK writes into each CodeBuild project (read for its variables, parameters, secrets',
    "and artifacts), where the other rows' projects name a buildspec file of their source.",
    'Each measurement is a fresh `node` process timing itself from its first line',
    '(Node start-up excluded on both sides): `bench/readParse.js` only reads and `JSON.parse`s every',
    'file; `bench/analyzeChild.js` runs `permchain analyze <dir> --format json --output <file>` through',
    'the CLI entry (load, chain, evaluate every link, graph, write the JSON report), and the same with',
    '`--format text` (the default format) in a process of its own. `bench/loadChild.js`',
    "is the floor under analyze: it only imports permchain's input loader and loads the snapshot (read,",
    'parse, check every shape, compile every policy), as analyze does before it builds a link. Median of',
    'the runs; peak RSS (of analyze) from `process.resourceUsage().maxRSS`.',
    '',
    '| pipelines | accounts | files (MB) | links | read + JSON.parse | permchain load only (ratio) | permchain analyze, JSON | ratio | peak RSS | report | analyze, text (ratio) | peak RSS | AWS SDK loaded |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...results.map(
      (r) =>
        `| ${r.pipelines.toLocaleString('en-US')}${r.buildspec ? ', inline buildspecs' : ''} | ${r.accounts} | ${r.files.toLocaleString('en-US')} (${r.megabytes.toFixed(1)}) | ${r.links.toLocaleString('en-US')} | ${(r.baseMs / 1000).toFixed(2)} s | ${(r.loadMs / 1000).toFixed(2)} s (${(r.loadMs / r.baseMs).toFixed(1)}×) | ${(r.analyzeMs / 1000).toFixed(2)} s | ${(r.analyzeMs / r.baseMs).toFixed(1)}× | ${r.analyzeRssMB.toFixed(0)} MB | ${r.reportMB.toFixed(0)} MB | ${(r.textMs / 1000).toFixed(2)} s (${(r.textMs / r.baseMs).toFixed(1)}×) | ${r.textRssMB.toFixed(0)} MB | ${r.sdkLoaded ? 'yes' : 'no'} |`,
    ),
    '',
    `**Threads.** \`analyze\` uses one thread below ${PARALLEL_MIN.toLocaleString('en-US')} pipelines and, from there, as many as`,
    `the machine has cores or a container's CPU quota allows, at most ${DEFAULT_MAX_THREADS} (\`--jobs N\` chooses). The JSON report of each organization with`,
    '`--jobs 1` and `--jobs 2`, measured as the JSON column (the column above is whichever the default is):',
    '',
    '| pipelines | default threads | JSON, --jobs 1 | peak RSS | JSON, --jobs 2 | peak RSS | --jobs 1 / --jobs 2 |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...results
      .filter((r) => r.jobs)
      .map(
        (r) =>
          `| ${r.pipelines.toLocaleString('en-US')} | ${r.threads} | ${(r.jobs[1].ms / 1000).toFixed(2)} s | ${r.jobs[1].rssMB.toFixed(0)} MB | ${(r.jobs[2].ms / 1000).toFixed(2)} s | ${r.jobs[2].rssMB.toFixed(0)} MB | ${(r.jobs[1].ms / r.jobs[2].ms).toFixed(2)} |`,
      ),
    '',
    ...results
      .map((r) => {
        const goals =
          r.pipelines === 1000 && !r.buildspec
            ? `at most 3× read + parse: JSON ${r.analyzeMs <= 3 * r.baseMs ? 'met' : 'not met'} (${(r.analyzeMs / r.baseMs).toFixed(1)}×), text ${r.textMs <= 3 * r.baseMs ? 'met' : 'not met'} (${(r.textMs / r.baseMs).toFixed(1)}×)`
            : r.pipelines === 10000
              ? `under 30 s: JSON ${r.analyzeMs < 30_000 ? 'met' : 'not met'}, text ${r.textMs < 30_000 ? 'met' : 'not met'}; under 2 GB: JSON ${r.analyzeRssMB < 2048 ? 'met' : 'not met'}, text ${r.textRssMB < 2048 ? 'met' : 'not met'}`
              : '';
        const floor =
          r.written && !r.buildspec
            ? ` Writing the report alone (bench/writeChild.js: a fresh process that holds the report analyze wrote, stringified and written pipeline by pipeline as analyze does, the faster of two runs) takes ${(r.written.fullMs / 1000).toFixed(2)} s (${(r.written.fullMs / r.baseMs).toFixed(1)}× read + parse), and cut down to the members the contract names (${r.written.contractMB.toFixed(0)} MB) ${(r.written.contractMs / 1000).toFixed(2)} s (${(r.written.contractMs / r.baseMs).toFixed(1)}×).`
            : '';
        return goals
          ? `Goal for ${r.pipelines.toLocaleString('en-US')} pipelines: ${goals}.${floor}`
          : '';
      })
      .filter(Boolean),
    '<!-- analyze-benchmark:end -->',
  ];
  const file = join(root, 'BENCHMARKS.md');
  const text = existsSync(file)
    ? readFileSync(file, 'utf8')
    : '# Benchmarks\n\n<!-- analyze-benchmark:start -->\n<!-- analyze-benchmark:end -->\n';
  const start = text.indexOf('<!-- analyze-benchmark:start -->');
  const end =
    text.indexOf('<!-- analyze-benchmark:end -->') + '<!-- analyze-benchmark:end -->'.length;
  writeFileSync(file, text.slice(0, start) + lines.join('\n') + text.slice(end));
}
