/**
 * `metadata.pipelineArn` was trusted as given: a pipeline file copied from another pipeline kept
 * the original's ARN, so two pipelines shared one ARN, and baseline entries and EventBridge
 * targets matched the wrong one. The ARN is now the pipeline's name in the account and region of
 * its folder; a pipelineArn that says otherwise is a warning naming the pointer.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSnapshot } from '../../src/load/snapshot.js';
import type { Model } from '../../src/model/types.js';

const DEMO = 'fixtures/demo';
const DIR = '111111111111/us-east-1/codepipeline';
const ARN = 'arn:aws:codepipeline:us-east-1:111111111111';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function withPipeline(edit: (doc: Json) => void, as = 'demo-app'): Model {
  const dir = mkdtempSync(join(tmpdir(), 'permchain-arn-'));
  cpSync(DEMO, dir, { recursive: true });
  const doc = JSON.parse(readFileSync(join(dir, DIR, 'demo-app.json'), 'utf8')) as Json;
  edit(doc);
  writeFileSync(join(dir, DIR, `${as}.json`), JSON.stringify(doc));
  const model = loadSnapshot(dir);
  rmSync(dir, { recursive: true, force: true });
  return model;
}

const arns = (model: Model): [string, string][] =>
  [...model.accounts.get('111111111111')!.regions.get('us-east-1')!.pipelines.values()].map((p) => [
    p.name,
    p.arn,
  ]);

describe('metadata.pipelineArn', () => {
  it('that matches the pipeline is used without a word (the baseline)', () => {
    const model = withPipeline(() => {});
    expect(model.problems).toEqual([]);
    expect(arns(model)).toEqual([['demo-app', `${ARN}:demo-app`]]);
  });

  it('of a copied file is a warning, and each pipeline has its own ARN', () => {
    const model = withPipeline((d) => (d['pipeline']['name'] = 'demo-copy'), 'demo-copy');
    expect(arns(model)).toEqual([
      ['demo-app', `${ARN}:demo-app`],
      ['demo-copy', `${ARN}:demo-copy`],
    ]);
    expect(model.problems.map((p) => [p.severity, p.file, p.pointer, p.id, p.message])).toEqual([
      [
        'warning',
        `${DIR}/demo-copy.json`,
        '/metadata/pipelineArn',
        'snapshot.codepipeline.arn-mismatch',
        `not the ARN of pipeline \`demo-copy\` in this account and region folder (\`${ARN}:demo-copy\`): that ARN is used`,
      ],
    ]);
  });

  for (const [what, given] of [
    ['another region', 'arn:aws:codepipeline:eu-west-1:111111111111:demo-app'],
    ['another account', 'arn:aws:codepipeline:us-east-1:222222222222:demo-app'],
    ['another partition', 'arn:aws-cn:codepipeline:us-east-1:111111111111:demo-app'],
    ['no ARN at all', 'demo-app'],
  ] as const) {
    it(`of ${what} is a warning, and the ARN of the folder is used`, () => {
      const model = withPipeline((d) => (d['metadata'] = { pipelineArn: given }));
      expect(arns(model)).toEqual([['demo-app', `${ARN}:demo-app`]]);
      expect(model.problems.map((p) => `${p.severity} ${p.pointer} ${p.id}`)).toEqual([
        'warning /metadata/pipelineArn snapshot.codepipeline.arn-mismatch',
      ]);
    });
  }
});
