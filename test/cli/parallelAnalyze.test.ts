/**
 * `analyze` on several threads (src/cli/parallelAnalyze.ts) writes the report one thread writes,
 * byte for byte. The workers run the compiled code (dist/, built by `npm install`), so these
 * tests import it from there; in-process runs of src/ use one thread.
 */
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as AnalyzeModule from '../../src/chain/analyze.js';
import type * as InputModule from '../../src/cli/inputOptions.js';
import type * as JsonFileModule from '../../src/load/jsonFile.js';
import type * as ParallelModule from '../../src/cli/parallelAnalyze.js';
import { cpuQuota } from '../../src/cli/cpuQuota.js';
import { REPO_ROOT, SCENARIOS_DIR, scenarioNames } from '../scenarios/helpers.js';
import { runCli } from './runCli.js';

const DIST = join(REPO_ROOT, 'dist');
const BIN = join(REPO_ROOT, 'bin', 'permchain.js');
const built = existsSync(join(DIST, 'cli', 'analyzeWorker.js'));

let par: typeof ParallelModule;
let an: typeof AnalyzeModule;
let inp: typeof InputModule;
let jf: typeof JsonFileModule;
const tmp = mkdtempSync(join(tmpdir(), 'permchain-parallel-'));
const org = join(tmp, 'org');

beforeAll(async () => {
  if (!built) return;
  par = (await import(join(DIST, 'cli', 'parallelAnalyze.js'))) as typeof ParallelModule;
  an = (await import(join(DIST, 'chain', 'analyze.js'))) as typeof AnalyzeModule;
  inp = (await import(join(DIST, 'cli', 'inputOptions.js'))) as typeof InputModule;
  jf = (await import(join(DIST, 'load', 'jsonFile.js'))) as typeof JsonFileModule;
  const { generateOrg } = (await import('../../bench/synthOrg.js' as string)) as {
    generateOrg(root: string, o: { pipelines: number; accounts: number }): void;
  };
  generateOrg(org, { pipelines: 40, accounts: 5 });
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const NO_OPTIONS = { parameter: [], artifact: [], pipeline: [] as string[] };

/** The selection the main thread analyzes, and the digest of the files its load read. */
function selectionOf(input: string): {
  selection: ReturnType<typeof AnalyzeModule.selectPipelines>;
  digest: string;
} {
  const { value: loaded, digest } = jf.readsDigested(() =>
    inp.loadAnalysisInput(REPO_ROOT, input, NO_OPTIONS, []),
  );
  if ('usage' in loaded) throw new Error(loaded.usage);
  return { selection: an.selectPipelines(loaded.model, { artifacts: loaded.artifacts }), digest };
}

/**
 * The pieces of `selection` as one worker given `job` writes them, the main thread analyzing
 * only what the worker does not give (every piece is a worker's when it loaded the same input).
 */
function workersOnly(
  selection: ReturnType<typeof AnalyzeModule.selectPipelines>,
  digest: string,
  worker: Partial<Parameters<typeof ParallelModule.startWorkers>[0]> &
    Pick<Parameters<typeof ParallelModule.startWorkers>[0], 'input' | 'options'>,
): { pieces: ParallelModule.Piece[]; tally: { analyzed: number[] } } {
  // one worker that loads `worker.input` (JSON pieces, no input options, unless it says otherwise)
  const job = { cwd: REPO_ROOT, opts: NO_OPTIONS, format: 'json' as const, ...worker };
  const tally = { analyzed: [] as number[] };
  const pieces = [
    ...par.parallelPieces(selection, digest, par.startWorkers(job, 1), tally, {
      mainAnalyzes: false,
    }),
  ];
  return { pieces, tally };
}

describe.runIf(built)('analyze on several threads', () => {
  it('a worker writes every scenario pipeline as the main thread does (JSON)', () => {
    const inputs = ['fixtures/demo', ...scenarioNames().map((n) => `${SCENARIOS_DIR}/${n}`)];
    let findings = 0;
    for (const input of inputs) {
      const { selection, digest } = selectionOf(input);
      const options = { color: false, failOn: 'denied' as const };
      const alone = selection.pipelines.map((_, i) =>
        par.makePiece(selection.analyzeAt(i), 'json', options),
      );
      // the main thread analyzes nothing itself: every piece is a worker's
      const { pieces, tally } = workersOnly(selection, digest, { input, options });
      expect(tally.analyzed, input).toEqual([0, selection.pipelines.length]);
      expect(pieces, input).toEqual(alone);
      findings += pieces.filter((p) => p.finding !== undefined).length;
    }
    // the failing scenarios' findings (what the gate reads) came from the workers too
    expect(findings).toBeGreaterThan(10);
  }, 120_000);

  it('a worker writes the text report as the main thread does, colour and --fail-on included', () => {
    for (const input of ['fixtures/demo', `${SCENARIOS_DIR}/missing-key-file`]) {
      const { selection, digest } = selectionOf(input);
      for (const options of [
        { color: true, failOn: 'unknown' as const },
        { color: false, failOn: 'denied' as const },
      ]) {
        const alone = selection.pipelines.map((_, i) =>
          par.makePiece(selection.analyzeAt(i), 'text', options),
        );
        const { pieces, tally } = workersOnly(selection, digest, {
          input,
          format: 'text',
          options,
        });
        expect(tally.analyzed).toEqual([0, selection.pipelines.length]);
        expect(pieces).toEqual(alone);
      }
    }
  });

  it('a worker that loaded another input is not used: the main thread analyzes everything', () => {
    const { selection, digest } = selectionOf('fixtures/demo');
    const options = { color: false, failOn: 'denied' as const };
    // the worker reads another scenario (a file changed between the two reads)
    const { pieces, tally } = workersOnly(selection, digest, {
      input: `${SCENARIOS_DIR}/trust-wrong-principal`,
      options,
    });
    expect(tally.analyzed).toEqual([selection.pipelines.length, 0]);
    expect(pieces).toEqual(
      selection.pipelines.map((_, i) => par.makePiece(selection.analyzeAt(i), 'json', options)),
    );
  });

  it('a worker that read a policy file changed since the main thread read it is not used', () => {
    // the same pipelines in the same files: only a role's policies differ between the two reads
    const input = join(tmp, 'changing');
    cpSync(join(REPO_ROOT, 'fixtures/demo'), input, { recursive: true });
    const { selection, digest } = selectionOf(input);
    const options = { color: false, failOn: 'denied' as const };
    const alone = selection.pipelines.map((_, i) =>
      par.makePiece(selection.analyzeAt(i), 'json', options),
    );
    const iamFile = join(input, '111111111111', 'iam.json');
    const iam = JSON.parse(readFileSync(iamFile, 'utf8')) as {
      RoleDetailList: { RolePolicyList?: unknown[] }[];
    };
    for (const role of iam.RoleDetailList)
      (role.RolePolicyList ??= []).push({
        PolicyName: 'deny-all',
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }],
        },
      });
    writeFileSync(iamFile, JSON.stringify(iam));
    const { pieces, tally } = workersOnly(selection, digest, { input, options });
    expect(tally.analyzed).toEqual([selection.pipelines.length, 0]);
    expect(pieces).toEqual(alone);
  });

  it('a worker that fails is not waited for', () => {
    const { selection, digest } = selectionOf('fixtures/demo');
    const options = { color: false, failOn: 'denied' as const };
    const started = Date.now();
    // an --account that is not one: the worker's load refuses it and the worker says so
    const { pieces, tally } = workersOnly(selection, digest, {
      input: 'fixtures/demo',
      opts: { ...NO_OPTIONS, account: 'nope' },
      options,
    });
    expect(tally.analyzed).toEqual([selection.pipelines.length, 0]);
    expect(pieces).toHaveLength(selection.pipelines.length);
    // told, not timed out (the stall limit is 30 s)
    expect(Date.now() - started).toBeLessThan(25_000);
  });

  it('a snapshot folder is counted by its pipeline files before it is loaded', () => {
    expect(par.snapshotPipelineCount(REPO_ROOT, org)).toBe(40);
    expect(par.snapshotPipelineCount(REPO_ROOT, 'fixtures/demo')).toBe(1);
    expect(par.snapshotPipelineCount(REPO_ROOT, 'fixtures/nope')).toBe(0);
    expect(par.snapshotPipelineCount(REPO_ROOT, 'fixtures/templates/demo-pipeline-v2.yaml')).toBe(
      0,
    );
    expect(par.snapshotPipelineCount(REPO_ROOT, undefined)).toBe(0);
  });

  it('the count finds the folders the loader reads: a linked region is counted, a stray folder not', () => {
    const snap = join(tmp, 'linked');
    cpSync(join(REPO_ROOT, 'fixtures/demo'), snap, { recursive: true });
    const pipelines = join(snap, '111111111111', 'us-east-1', 'codepipeline');
    // a region folder shared by a link (the loader follows it) and one whose name is no region
    const shared = join(tmp, 'shared-region');
    cpSync(join(snap, '111111111111', 'us-east-1'), shared, { recursive: true });
    symlinkSync(shared, join(snap, '111111111111', 'eu-west-1'));
    const stray = join(snap, '111111111111', 'notes', 'codepipeline');
    cpSync(pipelines, stray, { recursive: true });
    writeFileSync(join(stray, 'other.json'), '{}');
    expect(par.snapshotPipelineCount(REPO_ROOT, snap)).toBe(2);
    const loaded = inp.loadAnalysisInput(REPO_ROOT, snap, NO_OPTIONS, []);
    if ('usage' in loaded) throw new Error(loaded.usage);
    expect(an.selectPipelines(loaded.model).pipelines).toHaveLength(2);
  });

  it('the default is one thread below 5,000 pipelines; --jobs decides otherwise', () => {
    expect(par.threadCount(4999, undefined)).toBe(1);
    expect(par.threadCount(0, undefined)).toBe(1);
    expect(par.threadCount(5000, undefined)).toBe(
      par.defaultThreads(availableParallelism(), cpuQuota()),
    );
    expect(par.threadCount(40, 2)).toBe(2);
    // never more threads than pipelines
    expect(par.threadCount(3, 8)).toBe(3);
    expect(par.threadCount(0, 8)).toBe(1);
  });

  it('the default from 5,000 pipelines: the CPUs there are, within a cgroup quota, at most 2', () => {
    // each thread holds a copy of the model: a third would pass 2 GB for 10,000 pipelines
    expect(par.DEFAULT_MAX_THREADS).toBe(2);
    expect(par.defaultThreads(64, undefined)).toBe(2);
    expect(par.defaultThreads(64, 1)).toBe(1);
    expect(par.defaultThreads(1, undefined)).toBe(1);
    expect(par.defaultThreads(2, 8)).toBe(2);
  });

  const runBin = (...args: string[]): { code: number | null; out: string; err: string } => {
    const r = spawnSync(process.execPath, [BIN, 'analyze', org, ...args], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      env: { ...process.env, PERMCHAIN_TRACE_JOBS: '1', NO_COLOR: '1' },
      maxBuffer: 1 << 28,
    });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };
  const perThread = (err: string): number[] => {
    const m = /^permchain: pipelines analyzed per thread: ([\d ]+)\n$/.exec(err);
    expect(m, err).not.toBeNull();
    return m![1]!.split(' ').map(Number);
  };

  for (const format of ['json', 'text']) {
    it(`permchain analyze --jobs 2 writes the --jobs 1 report byte for byte (${format})`, () => {
      const one = runBin('--format', format, '--jobs', '1');
      // the workers start before the input is loaded (a snapshot of 40 pipeline files)
      const two = runBin('--format', format, '--jobs', '2');
      expect(perThread(one.err)).toEqual([40]);
      const counts = perThread(two.err);
      expect(counts).toHaveLength(2);
      expect(counts[0]! + counts[1]!).toBe(40);
      expect(two.code).toBe(one.code);
      expect(two.out).toBe(one.out);
      expect(one.out.length).toBeGreaterThan(10_000);
    }, 60_000);
  }

  it('with --pipeline the workers start once the input is loaded; the report is the same', () => {
    const names = ['--pipeline', 'app-1,app-7,app-12,app-33'];
    const one = runBin('--format', 'json', '--jobs', '1', ...names);
    const three = runBin('--format', 'json', '--jobs', '3', ...names);
    expect(perThread(one.err)).toEqual([4]);
    const counts = perThread(three.err);
    expect(counts).toHaveLength(3);
    expect(counts.reduce((a, b) => a + b)).toBe(4);
    expect(three.code).toBe(one.code);
    expect(three.out).toBe(one.out);
    expect((JSON.parse(one.out) as { pipelines: unknown[] }).pipelines).toHaveLength(4);
  }, 60_000);
});

describe('--jobs', () => {
  it.each(['0', 'two', '1.5', '-1', '257', ''])('--jobs %j is a usage error', async (v) => {
    const r = await runCli(REPO_ROOT, 'analyze', 'fixtures/demo', '--jobs', v);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^error: --jobs `.*` is not a number of threads from 1 to 256\n$/);
  });

  it('--jobs 1 and --jobs 3 in-process (src: one thread) give the usual report', async () => {
    const base = await runCli(REPO_ROOT, 'analyze', 'fixtures/demo', '--format', 'json');
    for (const j of ['1', '3']) {
      const r = await runCli(
        REPO_ROOT,
        'analyze',
        'fixtures/demo',
        '--format',
        'json',
        '--jobs',
        j,
      );
      expect(r).toEqual(base);
    }
  });
});
