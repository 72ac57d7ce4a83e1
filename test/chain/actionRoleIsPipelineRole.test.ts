/**
 * An action whose roleArn is the pipeline role runs as the pipeline role, with no AssumeRole: the
 * AWS CDK deploys such pipelines (every action naming the pipeline role, which trusts
 * codepipeline.amazonaws.com only) although CodePipeline refuses, when it creates a pipeline, one
 * whose role may not assume an action's role. permchain checked the pipeline role assuming
 * itself, and denied it.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import type { ReportPipeline } from '../../src/report/types.js';

const T = '111111111111';
const PIPELINE_FILE = `${T}/us-east-1/codepipeline/orders-api.json`;
const PIPE_ROLE = `arn:aws:iam::${T}:role/service-role/orders-api-pipeline-role`;
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** pass-cross-account with the roleArn of its Source and Build actions set to `roleArn`. */
function analyzeWith(roleArn: string | undefined): ReportPipeline {
  const dir = mkdtempSync(join(tmpdir(), 'permchain-self-role-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  cpSync('fixtures/scenarios/pass-cross-account', dir, { recursive: true });
  const file = join(dir, PIPELINE_FILE);
  const doc = JSON.parse(readFileSync(file, 'utf8')) as Json;
  const stages = doc['pipeline']['stages'] as Json[];
  for (const stage of stages.slice(0, 2))
    for (const action of stage['actions'] as Json[]) {
      expect(action['roleArn']).toBeUndefined();
      if (roleArn !== undefined) action['roleArn'] = roleArn;
    }
  writeFileSync(file, JSON.stringify(doc, null, 2));
  return analyzeModel(loadSnapshot(dir)).pipelines[0]!;
}

const brief = (p: ReportPipeline): string[] =>
  p.links.map((l) => `${l.id} ${l.principal} ${l.decision}`);

describe('an action whose roleArn is the pipeline role', () => {
  it('makes the same links as with no roleArn: no AssumeRole of the pipeline role by itself', () => {
    const none = analyzeWith(undefined);
    const self = analyzeWith(PIPE_ROLE);
    expect(brief(self)).toEqual(brief(none));
    expect(self.links.filter((l) => l.requirement === 'action.assume-action-role')).toHaveLength(
      1, // the cross-account DeployProd action's own role
    );
    expect(self.verdict).toBe('pass');
  });

  it('another role of the account is still assumed, and its trust policy checked', () => {
    const other = `arn:aws:iam::${T}:role/service-role/orders-api-events-role`;
    const p = analyzeWith(other);
    const assume = p.links.filter(
      (l) => l.requirement === 'action.assume-action-role' && l.resource === other,
    );
    expect(assume.map((l) => [l.principal, l.decision])).toEqual([
      [PIPE_ROLE, 'ImplicitlyDenied'],
      [PIPE_ROLE, 'ImplicitlyDenied'],
    ]);
  });
});
