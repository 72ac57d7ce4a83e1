/**
 * Shared helpers of the scenario tests: run `permchain analyze` in-process on a scenario folder,
 * compare with (or, with UPDATE_EXPECTED=1, rewrite) the expected outputs, and look links up.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import type { Report, ReportLink, ReportPipeline } from '../../src/report/types.js';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SCENARIOS_DIR = 'fixtures/scenarios';
export const EXPECTED_DIR = join(REPO_ROOT, 'test', 'scenarios', 'expected');
export const UPDATE = process.env['UPDATE_EXPECTED'] === '1';

/** Every scenario folder under fixtures/scenarios, sorted. */
export function scenarioNames(): string[] {
  const dir = join(REPO_ROOT, SCENARIOS_DIR);
  return readdirSync(dir)
    .filter((n) => statSync(join(dir, n)).isDirectory())
    .sort();
}

export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** `permchain analyze <snapshot> [...args]`, in-process, cwd = the repository root. */
export async function analyze(snapshot: string, ...args: string[]): Promise<CliRun> {
  const io = memoryIo(REPO_ROOT);
  const code = await main(['node', 'permchain', 'analyze', snapshot, ...args], io);
  return { code, out: io.out, err: io.err };
}

export async function analyzeScenario(
  name: string,
): Promise<{ text: CliRun; json: CliRun; report: Report }> {
  const path = `${SCENARIOS_DIR}/${name}`;
  const text = await analyze(path);
  const json = await analyze(path, '--format', 'json');
  return { text, json, report: JSON.parse(json.out) as Report };
}

/**
 * The expected file's content; with UPDATE_EXPECTED=1 it is first (re)written from `actual`,
 * so expected files are only ever produced by the code under test, never edited by hand.
 */
export function expected(file: string, actual: string): string | undefined {
  const path = join(EXPECTED_DIR, file);
  if (UPDATE) {
    mkdirSync(EXPECTED_DIR, { recursive: true });
    writeFileSync(path, actual);
  }
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}

export function pipelineOf(report: Report, name?: string): ReportPipeline {
  const p =
    name === undefined ? report.pipelines[0] : report.pipelines.find((x) => x.name === name);
  if (!p) throw new Error(`no pipeline ${name ?? '(first)'} in the report`);
  return p;
}

export function linkOf(report: Report, id: string, pipeline?: string): ReportLink {
  const l = pipelineOf(report, pipeline).links.find((x) => x.id === id);
  if (!l) throw new Error(`no link \`${id}\` in the report`);
  return l;
}

/** The required links that are not allowed, as `id decision`, to assert "only this one broke". */
export function brokenRequired(report: Report, pipeline?: string): string[] {
  return pipelineOf(report, pipeline)
    .links.filter((l) => l.level === 'required' && l.decision !== 'Allowed')
    .map((l) => `${l.id} ${l.decision}`);
}
