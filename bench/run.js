// Benchmark: permchain's evaluate() against @cloud-copilot/iam-simulate's runSimulation on the
// same generated requests, plus permchain on hostile input. Writes the numbers into
// BENCHMARKS.md (between the evaluator markers; the analyze section is left alone).
//
// Run with `npm run bench` (builds dist/ first, then `node --expose-gc bench/run.js`).
// Options: `--quick` (fewer requests and rounds, for a smoke run), `--no-write`.
//
// iam-simulate is AGPL: it is only imported here and in test/differential, never from src/.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { loadHelpers, minimalRequests, shareDocuments } from './mixes.js';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import * as prettier from 'prettier';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const args = new Set(process.argv.slice(2));
const QUICK = args.has('--quick');
const WRITE = !args.has('--no-write');

const N_REQUESTS = QUICK ? 300 : 2000;
const N_SIM = QUICK ? 100 : 500; // iam-simulate is slow: time it on a prefix of the same requests
const ROUNDS = QUICK ? 3 : 7;
const WARM_UP_MS = QUICK ? 300 : 2000; // per tool and mix
const MIN_TIMED_MS = QUICK ? 200 : 1000; // per timed warm run (rate)
const N_HOT = 100; // the hot mix: the first requests of the shared mix
const N_DOCUMENT_SETS = QUICK ? 30 : 200; // the shared mix: requests per document set = N_REQUESTS / this
const SEED = 20240601;

async function loadEvaluate() {
  const index = join(root, 'dist', 'index.js');
  if (!existsSync(index))
    throw new Error('dist/index.js is missing: run `npm run build` (or `npm run bench`)');
  const mod = await import(pathToFileURL(index).href);
  if (typeof mod.evaluate !== 'function') throw new Error('dist/index.js does not export evaluate');
  return mod.evaluate;
}

// ---------------------------------------------------------------------------------------------
// timing

function gc() {
  if (typeof globalThis.gc === 'function') globalThis.gc();
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Requests per second of synchronous passes over `items`, repeated until at least `minMs` have
 * passed (whole passes only). Calls right after a forced full GC are slowed for 100 to 250 ms
 * (measured on the hot mix: chunks of 1,000 calls take 2 to 7 times their steady time until
 * then), so a pass of 10,000 calls timed that recovery more than evaluation; the minimum keeps
 * it to a small share of every timed run.
 */
function rate(fn, items, minMs) {
  gc();
  let n = 0;
  const t0 = performance.now();
  let elapsed = 0;
  do {
    for (const x of items) fn(x);
    n += items.length;
    elapsed = performance.now() - t0;
  } while (elapsed < minMs);
  return n / (elapsed / 1000);
}

function copies(requests) {
  return requests.map((r) => globalThis.structuredClone(r));
}

async function rateAsync(fn, items, minMs) {
  gc();
  let n = 0;
  const t0 = performance.now();
  let elapsed = 0;
  do {
    for (const x of items) await fn(x);
    n += items.length;
    elapsed = performance.now() - t0;
  } while (elapsed < minMs);
  return n / (elapsed / 1000);
}

function fmt(n) {
  if (n >= 100) return Math.round(n).toLocaleString('en-US');
  return n.toPrecision(3);
}

// ---------------------------------------------------------------------------------------------
// hostile inputs (permchain must answer all of them, quickly)

function hostileCases() {
  const A = '111122223333';
  const base = {
    principal: `arn:aws:iam::${A}:role/DeployRole`,
    action: 's3:GetObject',
    resourceAccount: A,
  };
  const longKey = 'a'.repeat(20_000);
  const longArn = `arn:aws:s3:::art-${A}/${longKey}`;
  const cases = [];

  // ~1 MB policy: 2,000 statements with long resource lists that almost match
  {
    const statements = [];
    for (let i = 0; i < 2000; i++) {
      statements.push({
        Sid: `S${i}`,
        Effect: 'Allow',
        Action: ['s3:GetObject', `s3:Get${'x'.repeat(40)}${i}`],
        Resource: [
          `arn:aws:s3:::art-${A}/prefix-${i}-${'y'.repeat(300)}/*`,
          `arn:aws:s3:::other-${i}/*`,
        ],
      });
    }
    const doc = JSON.stringify({ Version: '2012-10-17', Statement: statements });
    cases.push({
      name: `1 MB policy (${(doc.length / 1e6).toFixed(2)} MB, 2,000 statements, no match)`,
      request: { ...base, resource: `arn:aws:s3:::art-${A}/pipe/obj.zip`, identityPolicies: [doc] },
    });
  }
  // 10,000 statements, the last one matches
  {
    const statements = [];
    for (let i = 0; i < 9999; i++)
      statements.push({
        Effect: 'Allow',
        Action: `s3:GetObjectVersion`,
        Resource: `arn:aws:s3:::b${i}/*`,
      });
    statements.push({
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: `arn:aws:s3:::art-${A}/*`,
    });
    cases.push({
      name: '10,000 statements (last one matches)',
      request: {
        ...base,
        resource: `arn:aws:s3:::art-${A}/pipe/obj.zip`,
        identityPolicies: [{ Version: '2012-10-17', Statement: statements }],
      },
    });
  }
  // backtracking bait: many-star patterns against a 20,000-character ARN
  {
    const patterns = [];
    for (let i = 0; i < 50; i++)
      patterns.push(`arn:aws:s3:::art-${A}/*a*a*a*a*a*a*a*a*a*a*a*a*b${i}`);
    cases.push({
      name: '50 patterns like `*a*a*a*a*a*a*b` vs a 20,000-char ARN',
      request: {
        ...base,
        resource: longArn,
        identityPolicies: [
          {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: patterns }],
          },
        ],
      },
    });
    cases.push({
      name: 'StringLike `*a*a*a*a*a*a*b` vs a 20,000-char context value',
      request: {
        ...base,
        resource: `arn:aws:s3:::art-${A}/pipe/obj.zip`,
        context: { 'aws:PrincipalTag/team': longKey },
        identityPolicies: [
          {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Action: 's3:GetObject',
                Resource: '*',
                Condition: {
                  StringLike: {
                    'aws:PrincipalTag/team': ['*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b', '*a?a*a?a*a?a*b'],
                  },
                },
              },
            ],
          },
        ],
      },
    });
  }
  // deeply nested JSON: a condition value nested 5,000 arrays deep (as a string document)
  {
    const depth = 5000;
    const nested = `${'['.repeat(depth)}"x"${']'.repeat(depth)}`;
    const doc = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":${nested}}}}]}`;
    cases.push({
      name: 'deeply nested JSON (5,000 levels)',
      request: { ...base, resource: `arn:aws:s3:::art-${A}/pipe/obj.zip`, identityPolicies: [doc] },
    });
  }
  return cases;
}

/** Time iam-simulate on one hostile case in a child process, so a hang cannot stop the bench. */
function timeIamSimulateHostile(helpersDir, request, limitMs) {
  const script = `
    import { runSimulation } from ${JSON.stringify(import.meta.resolve('@cloud-copilot/iam-simulate'))};
    import { toSimulation } from ${JSON.stringify(pathToFileURL(join(helpersDir, 'adapter.js')).href)};
    import { readFileSync } from 'node:fs';
    const request = JSON.parse(readFileSync(0, 'utf8'));
    const t0 = performance.now();
    let outcome;
    try { const r = await runSimulation(toSimulation(request), {}); outcome = r.resultType === 'error' ? 'rejected: ' + r.errors.message : r.overallResult; }
    catch (e) { outcome = 'threw: ' + String(e && e.message || e).slice(0, 60); }
    process.stdout.write(JSON.stringify({ ms: performance.now() - t0, outcome }));
  `;
  const file = join(helpersDir, `hostile-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(file, script);
  const res = spawnSync(process.execPath, [file], {
    input: JSON.stringify(request),
    timeout: limitMs,
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (res.error || res.status !== 0 || !res.stdout) {
    return {
      ms: undefined,
      outcome: res.signal
        ? `stopped after ${limitMs / 1000} s`
        : `failed (${(res.stderr || '').split('\n')[0].slice(0, 80)})`,
    };
  }
  return JSON.parse(res.stdout);
}

// ---------------------------------------------------------------------------------------------

function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model?.trim() ?? 'unknown',
    cores: cpus.length,
    memory: `${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    date: new Date().toISOString().slice(0, 10),
  };
}

function iamSimulateVersion() {
  try {
    return JSON.parse(
      readFileSync(
        join(root, 'node_modules', '@cloud-copilot', 'iam-simulate', 'package.json'),
        'utf8',
      ),
    ).version;
  } catch {
    return 'unknown';
  }
}

function gitCommit() {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: root,
      encoding: 'utf8',
    }).trim();
  } catch {
    return 'unknown';
  }
}

async function main() {
  const helpersDir = loadHelpers(root);
  try {
    const evaluate = await loadEvaluate();
    const { generateCases, DOCUMENT_FIELDS } = await import(
      pathToFileURL(join(helpersDir, 'generator.js')).href
    );
    const { toSimulation } = await import(pathToFileURL(join(helpersDir, 'adapter.js')).href);
    const { runSimulation } = await import('@cloud-copilot/iam-simulate');

    // the mixed requests of the sessions before the generator gained focused cases (session 23):
    // the rows stay comparable
    const cases = generateCases(SEED, N_REQUESTS, { focused: false });
    const distinct = cases.map((c) => c.request);
    const shared = shareDocuments(distinct, N_DOCUMENT_SETS, DOCUMENT_FIELDS);
    const mixes = [
      { key: 'distinct', requests: distinct },
      { key: 'shared', requests: shared },
      // a working set that fits the CPU caches: the cost of evaluation itself, without the
      // memory latency of 2,000 requests' documents
      { key: 'hot', requests: shared.slice(0, N_HOT) },
      // the smallest request that needs a policy: what a request costs before its documents do
      { key: 'minimal', requests: minimalRequests(N_HOT) },
    ];
    for (const m of mixes) {
      m.decisions = { Allowed: 0, ExplicitlyDenied: 0, ImplicitlyDenied: 0 };
      for (const r of m.requests) m.decisions[evaluate(r).decision]++;
      m.simulations = m.requests.slice(0, N_SIM).map((r) => toSimulation(r));
      m.warm = [];
      m.cold = [];
      m.sim = [];
    }

    // warm-up (JIT, iam-data loading) before any timed round: both tools run every mix for
    // WARM_UP_MS each, so V8 has optimized their code before anything is timed (a pass of a
    // few thousand calls is not enough for that)
    for (const m of mixes) {
      for (const r of m.requests) evaluate(globalThis.structuredClone(r));
      for (const t0 = performance.now(); performance.now() - t0 < WARM_UP_MS;)
        for (const r of m.requests) evaluate(r);
      for (const t0 = performance.now(); performance.now() - t0 < WARM_UP_MS;)
        for (const s of m.simulations) await runSimulation(s, {});
    }

    for (let round = 0; round < ROUNDS; round++) {
      for (const m of mixes) {
        // warm: the same request objects every time, so compiled policies come from the cache,
        // as when one analysis evaluates many links against the same policies
        m.warm.push(rate(evaluate, m.requests, MIN_TIMED_MS));
        // cold: fresh copies, so every policy is parsed and compiled again
        m.cold.push(rate(evaluate, copies(m.requests), 0));
        m.sim.push(await rateAsync((s) => runSimulation(s, {}), m.simulations, MIN_TIMED_MS));
        process.stderr.write(
          `round ${round + 1}/${ROUNDS} (${m.key}): warm ${fmt(m.warm.at(-1))}/s, cold ${fmt(m.cold.at(-1))}/s, iam-simulate ${fmt(m.sim.at(-1))}/s\n`,
        );
      }
    }
    const result = {};
    for (const m of mixes) {
      result[m.key] = {
        warm: median(m.warm),
        cold: median(m.cold),
        sim: median(m.sim),
        decisions: m.decisions,
      };
    }

    const hostile = [];
    for (const h of hostileCases()) {
      gc();
      const t0 = performance.now();
      const r = evaluate(h.request);
      const ms = performance.now() - t0;
      const problems = r.problems.length
        ? ` (${r.problems.length} problem${r.problems.length > 1 ? 's' : ''}: ${r.problems[0].id})`
        : '';
      const theirs = timeIamSimulateHostile(helpersDir, h.request, 20_000);
      hostile.push({ name: h.name, ms, decision: `${r.decision}${problems}`, theirs });
      process.stderr.write(
        `hostile: ${h.name}: ${ms.toFixed(1)} ms ${r.decision}; iam-simulate ${theirs.ms === undefined ? theirs.outcome : theirs.ms.toFixed(1) + ' ms ' + theirs.outcome}\n`,
      );
    }

    const m = machine();
    const section = renderSection({
      m,
      result,
      hostile,
      commit: gitCommit(),
      simVersion: iamSimulateVersion(),
    });
    process.stdout.write(section + '\n');
    if (WRITE && !QUICK) await writeBenchmarks(section);
  } finally {
    rmSync(helpersDir, { recursive: true, force: true });
  }
}

const START = '<!-- evaluator-benchmark:start (written by bench/run.js) -->';
const END = '<!-- evaluator-benchmark:end -->';
const ANALYZE_START = '<!-- analyze-benchmark:start -->';
const ANALYZE_END = '<!-- analyze-benchmark:end -->';

function renderSection({ m, result, hostile, commit, simVersion }) {
  const pcts = (d) => {
    const total = d.Allowed + d.ExplicitlyDenied + d.ImplicitlyDenied;
    const pct = (n) => `${Math.round((100 * n) / total)}%`;
    return `Allowed ${pct(d.Allowed)}, ExplicitlyDenied ${pct(d.ExplicitlyDenied)}, ImplicitlyDenied ${pct(d.ImplicitlyDenied)}`;
  };
  const row = (label, rate, sim) => `| ${label} | ${fmt(rate)} | ${fmt(rate / sim)}× |`;
  const verdict = (r) => (r.warm / r.sim >= 1000 ? 'met' : 'not met');
  const lines = [
    START,
    '## Evaluator: permchain `evaluate()` vs iam-simulate `runSimulation`',
    '',
    `- date (UTC): ${m.date}; commit: ${commit}`,
    `- machine: ${m.cpu}, ${m.cores} cores, ${m.memory} RAM, ${m.os}; Node ${m.node}`,
    `- iam-simulate: @cloud-copilot/iam-simulate ${simVersion}`,
    '',
    '**Method.** One process, `node --expose-gc`. The requests come from the differential-test',
    `generator (test/differential/generator.ts, seed ${SEED}, without its focused one-feature cases): ${N_REQUESTS} mixed requests over S3, KMS key`,
    'policies, role trust, PassRole, CodeBuild, Lambda, SNS, Secrets Manager, ECR and CodePipeline,',
    'with identity, resource, boundary, session, SCP and RCP policies and every condition operator.',
    'Two mixes of the same requests:',
    '',
    `- *distinct documents*: as generated, every request has policy documents of its own (decisions: ${pcts(result.distinct.decisions)});`,
    `- *shared documents*: the same principals, actions, resources and contexts, but the documents are those of the first ${N_DOCUMENT_SETS}`,
    '  requests (each request takes, in turn, those of one with the same action, else the same service), as in an analysis,',
    `  where one role's policies, one bucket or key policy and one organization's SCPs decide many links (decisions: ${pcts(result.shared.decisions)}).`,
    '',
    'Each request is converted to an iam-simulate `Simulation` before timing (test/differential/adapter.ts).',
    `After a warm-up (each tool runs each mix for ${WARM_UP_MS / 1000} s, so V8 has optimized both before anything is timed),`,
    `${ROUNDS} rounds; each round times, per mix, permchain *warm* (passes over the same`,
    `${N_REQUESTS} request objects, so compiled policies and the statement index come from the cache), permchain`,
    '*cold* (one pass over fresh copies, so every policy is parsed and compiled again) and',
    `\`await runSimulation(sim, {})\` over the first ${N_SIM} requests. The table gives the median of the rounds.`,
    `A full GC runs before every timed run; warm and iam-simulate runs repeat whole passes until ${MIN_TIMED_MS / 1000} s have`,
    'passed (a pass of a few thousand calls right after a forced GC runs 2 to 7 times slower for 100 to 250 ms,',
    'which a shorter run would time instead of evaluation; before session 9 warm runs were 10,000 calls).',
    `The *hot* rows time the first ${N_HOT} requests of the shared mix: a working set that`,
    'stays in the CPU caches, so they show the cost of evaluation itself; the other rows also pay the memory',
    `latency of reaching ${N_REQUESTS} requests' documents and compiled policies.`,
    '',
    '| evaluator | requests/s (median) | vs iam-simulate |',
    '| --- | ---: | ---: |',
    row('permchain `evaluate()`, shared documents, warm', result.shared.warm, result.shared.sim),
    row(
      'permchain `evaluate()`, shared documents, cold (parse + compile)',
      result.shared.cold,
      result.shared.sim,
    ),
    row('iam-simulate `runSimulation()`, shared documents', result.shared.sim, result.shared.sim),
    row(
      'permchain `evaluate()`, distinct documents, warm',
      result.distinct.warm,
      result.distinct.sim,
    ),
    row(
      'permchain `evaluate()`, distinct documents, cold (parse + compile)',
      result.distinct.cold,
      result.distinct.sim,
    ),
    row(
      'iam-simulate `runSimulation()`, distinct documents',
      result.distinct.sim,
      result.distinct.sim,
    ),
    row(
      `permchain \`evaluate()\`, hot (${N_HOT} requests, shared documents), warm`,
      result.hot.warm,
      result.hot.sim,
    ),
    row(
      `iam-simulate \`runSimulation()\`, hot (${N_HOT} requests)`,
      result.hot.sim,
      result.hot.sim,
    ),
    row(
      `permchain \`evaluate()\`, minimal (${N_HOT} one-statement requests), warm`,
      result.minimal.warm,
      result.minimal.sim,
    ),
    row(
      `iam-simulate \`runSimulation()\`, minimal (${N_HOT} one-statement requests)`,
      result.minimal.sim,
      result.minimal.sim,
    ),
    '',
    `Goal: ≥ 1,000× iam-simulate's rate (warm). Shared documents: ${verdict(result.shared)} (${fmt(result.shared.warm / result.shared.sim)}×); distinct documents: ${verdict(result.distinct)} (${fmt(result.distinct.warm / result.distinct.sim)}×); hot: ${verdict(result.hot)} (${fmt(result.hot.warm / result.hot.sim)}×). The *minimal* rows (${N_HOT} requests with one identity policy of one statement, which allows each; every request allowed) are not one of the mixes: they show what a request costs before its documents do (${fmt(result.minimal.warm / result.minimal.sim)}×).`,
    '',
    '### Hostile input',
    '',
    'One `evaluate()` call each (cold: nothing cached), wall time; iam-simulate runs the same',
    'request in a child process with a 20 s limit.',
    '',
    '| input | permchain | permchain decision | iam-simulate |',
    '| --- | ---: | --- | --- |',
    ...hostile.map(
      (h) =>
        `| ${h.name} | ${h.ms.toFixed(1)} ms | ${h.decision} | ${h.theirs.ms === undefined ? h.theirs.outcome : `${h.theirs.ms.toFixed(1)} ms, ${h.theirs.outcome}`} |`,
    ),
    END,
  ];
  return lines.join('\n');
}

async function writeBenchmarks(section) {
  const file = join(root, 'BENCHMARKS.md');
  let text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  if (!text.includes(START)) {
    text = [
      '# Benchmarks',
      '',
      'Numbers from `npm run bench` (bench/run.js). Re-run it to refresh the evaluator section; it',
      'rewrites only the text between its markers.',
      '',
      START,
      END,
      '',
      ANALYZE_START,
      '## Analyze: synthetic organization (N pipelines across K accounts)',
      '',
      '_To be added: `permchain analyze` on a generated organization._',
      ANALYZE_END,
      '',
    ].join('\n');
  }
  const a = text.indexOf(START);
  const b = text.indexOf(END) + END.length;
  text = text.slice(0, a) + section + text.slice(b);
  mkdirSync(dirname(file), { recursive: true });
  // keep the file as `prettier --check .` wants it (tables are re-aligned)
  const options = (await prettier.resolveConfig(file)) ?? {};
  writeFileSync(file, await prettier.format(text, { ...options, parser: 'markdown' }));
  process.stderr.write(`wrote ${file}\n`);
}

await main();
