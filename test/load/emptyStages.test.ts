/**
 * CodePipeline refuses a pipeline of fewer than two stages, or a stage without an action
 * (https://docs.aws.amazon.com/codepipeline/latest/userguide/limits.html). A snapshot pipeline
 * with `stages: []` (or stages of `actions: []`) had no link at all, was `unknown` with no
 * reason, and passed even with --strict; its pipeline role's trust went unchecked. It is now an
 * input error naming the pointer (exit 2), the missing part is one Unknown link, and the
 * pipeline-wide links are still checked. A pipeline without any action that reaches the chain
 * (a template's) is never passed on no links either.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel, analyzePipeline } from '../../src/chain/analyze.js';
import { getCatalog } from '../../src/chain/catalog.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import { exitCodeFor } from '../../src/report/gate.js';
import type { Report, ReportPipeline } from '../../src/report/types.js';

const SCENARIO = 'fixtures/scenarios/pass-cross-account';
const PIPE = '111111111111/us-east-1/codepipeline/orders-api.json';
const TRUST = 'pipeline.assume-service-role:sts:AssumeRole';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function copy(edit: (pipeline: Json) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'permchain-stages-'));
  cpSync(SCENARIO, dir, { recursive: true });
  const path = join(dir, PIPE);
  const doc = JSON.parse(readFileSync(path, 'utf8')) as Json;
  edit(doc['pipeline'] as Json);
  writeFileSync(path, JSON.stringify(doc, null, 2));
  return dir;
}

const analyze = (edit: (pipeline: Json) => void): Report => analyzeModel(loadSnapshot(copy(edit)));

function only(report: Report): ReportPipeline {
  expect(report.pipelines).toHaveLength(1);
  return report.pipelines[0]!;
}

const problems = (report: Report): string[] =>
  report.problems.map((p) => `${p.severity} ${p.file}#${p.pointer} ${p.id}: ${p.message}`);

describe('a snapshot pipeline without stages or actions', () => {
  it('passes as is, its role trust checked (the baseline)', () => {
    const p = only(analyze(() => {}));
    expect(p.verdict).toBe('pass');
    expect(p.links.filter((l) => l.id === TRUST).map((l) => l.decision)).toEqual(['Allowed']);
  });

  it('of `stages: []` is an input error, one Unknown link, and its role trust still checked', () => {
    const report = analyze((p) => (p['stages'] = []));
    expect(problems(report)).toEqual([
      `error ${PIPE}#/pipeline/stages snapshot.shape.invalid: no stage: CodePipeline requires at least two stages`,
    ]);
    expect(exitCodeFor(report, 'unknown')).toBe(2);
    expect(exitCodeFor(report, 'denied')).toBe(2);
    const p = only(report);
    expect(p.verdict).not.toBe('pass');
    expect(p.links.map((l) => [l.id, l.decision, l.missing])).toEqual([
      ['(stages)/(actions):action.not-settled', 'Unknown', [`${PIPE}#/pipeline/stages (no stage)`]],
      [TRUST, 'Allowed', undefined],
    ]);
  });

  it('whose every stage has `actions: []` is an input error at each, one Unknown link each', () => {
    const report = analyze((p) => {
      for (const s of p['stages'] as Json[]) s['actions'] = [];
    });
    const stages = ['Source', 'Build', 'DeployProd'];
    expect(problems(report)).toEqual(
      stages.map(
        (_, i) =>
          `error ${PIPE}#/pipeline/stages/${i}/actions snapshot.shape.invalid: no action: CodePipeline requires at least one action in a stage`,
      ),
    );
    expect(exitCodeFor(report, 'unknown')).toBe(2);
    const p = only(report);
    expect(p.verdict).not.toBe('pass');
    expect(p.links.map((l) => [l.id, l.decision, l.missing])).toEqual([
      ...stages.map((s, i) => [
        `${s}/(actions):action.not-settled`,
        'Unknown',
        [`${PIPE}#/pipeline/stages/${i}/actions (no action)`],
      ]),
      [TRUST, 'Allowed', undefined],
    ]);
  });

  it('of one stage is an input error, and that stage is still analyzed', () => {
    const report = analyze((p) => (p['stages'] = [(p['stages'] as Json[])[0]]));
    expect(problems(report)).toEqual([
      `error ${PIPE}#/pipeline/stages snapshot.shape.invalid: one stage: CodePipeline requires at least two stages`,
    ]);
    const p = only(report);
    expect(p.links.some((l) => l.stage !== undefined && l.decision === 'Allowed')).toBe(true);
    expect(p.links.filter((l) => l.id === TRUST).map((l) => l.decision)).toEqual(['Allowed']);
  });
});

describe('a pipeline that reaches the chain without any action', () => {
  it('is one Unknown link naming it, with its role trust checked: never a pass on no links', () => {
    const model = loadSnapshot(copy(() => {}));
    const pipeline = [...model.accounts.values()]
      .flatMap((a) => [...a.regions.values()])
      .flatMap((r) => [...r.pipelines.values()])[0]!;
    const p = analyzePipeline(model, { ...pipeline, stages: [] }, getCatalog());
    expect(p.verdict).toBe('unknown');
    expect(p.links.map((l) => [l.id, l.decision, l.missing])).toEqual([
      [TRUST, 'Allowed', undefined],
      ['(stages)/(actions):action.not-settled', 'Unknown', [`${PIPE}#/pipeline (no action)`]],
    ]);
  });
});
