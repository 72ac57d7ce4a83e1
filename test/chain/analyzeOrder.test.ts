/**
 * A pipeline's report depends on the model and that pipeline alone, not on which pipelines were
 * analyzed before it in the same process (PipelineSelection.analyzeAt): the parallel analyze
 * (src/cli/parallelAnalyze.ts) hands pipelines to threads in whatever order they come free, and
 * its report must be the report of one thread. Each input is loaded twice, each time by modules
 * loaded afresh (as a worker thread loads them), and analyzed forwards on one model and backwards
 * on the other: every cache, those the models carry and those of the modules (compiled policies,
 * principals, globs by their text), is filled in another order.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { ReportPipeline } from '../../src/report/types.js';
import { REPO_ROOT, SCENARIOS_DIR, scenarioNames } from '../scenarios/helpers.js';

async function analyzedInOrder(input: string, backwards: boolean): Promise<ReportPipeline[]> {
  // no module cache of an earlier analysis is kept
  vi.resetModules();
  const { selectPipelines } = await import('../../src/chain/analyze.js');
  const { loadAnalysisInput } = await import('../../src/cli/inputOptions.js');
  const loaded = loadAnalysisInput(REPO_ROOT, input, { parameter: [], artifact: [] }, []);
  if ('usage' in loaded) throw new Error(loaded.usage);
  const selection = selectPipelines(loaded.model, { artifacts: loaded.artifacts });
  const out: ReportPipeline[] = new Array<ReportPipeline>(selection.pipelines.length);
  const order = selection.pipelines.map((_, i) => i);
  if (backwards) order.reverse();
  for (const i of order) out[i] = selection.analyzeAt(i);
  return out;
}

const tmp = mkdtempSync(join(tmpdir(), 'permchain-order-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('a pipeline is analyzed the same whatever was analyzed before it', () => {
  const inputs = ['fixtures/demo', ...scenarioNames().map((n) => `${SCENARIOS_DIR}/${n}`)];

  it.each(inputs)('%s', async (input) => {
    const forwards = await analyzedInOrder(input, false);
    expect(forwards.length).toBeGreaterThan(0);
    expect(await analyzedInOrder(input, true)).toEqual(forwards);
  });

  it('a synthetic organization of 60 pipelines (shared buckets, keys, SCPs and roles)', async () => {
    const { generateOrg } = (await import('../../bench/synthOrg.js' as string)) as {
      generateOrg(root: string, o: { pipelines: number; accounts: number }): void;
    };
    const root = join(tmp, 'org');
    generateOrg(root, { pipelines: 60, accounts: 6 });
    const forwards = await analyzedInOrder(root, false);
    expect(forwards).toHaveLength(60);
    expect(await analyzedInOrder(root, true)).toEqual(forwards);
  });
});
