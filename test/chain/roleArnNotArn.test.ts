/**
 * A pipeline or action role that is not a role ARN: CodePipeline takes only
 * `arn:<partition>:iam::<account>:role/<name>` and refuses the pipeline otherwise
 * (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_PipelineDeclaration.html).
 * The usual cause is a template's `Ref` of an AWS::IAM::Role, which gives the role's name. Every
 * link of that caller (and the trust link of that role) fails saying so, not "the trust policy
 * does not trust codepipeline.amazonaws.com" or "the role does not exist".
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import { noManagedPolicies } from '../../src/load/managedPolicies.js';
import { loadSingleTemplate } from '../../src/load/stacks.js';
import type { ReportLink } from '../../src/report/types.js';
import { editJson, inScenarioCopy, type Json } from './scenarioCopy.js';

const BASE = 'test/load/templates/fixtures/booleans/settings.yaml';
const ENV = { account: '111111111111', region: 'us-east-1', managedPolicies: noManagedPolicies };
const dir = mkdtempSync(join(tmpdir(), 'permchain-rolearn-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function templateLinks(roleArn: string): ReportLink[] {
  const text = readFileSync(BASE, 'utf8');
  expect(text).toContain('RoleArn: !GetAtt PipelineRole.Arn');
  const file = join(dir, 'template.yaml');
  writeFileSync(file, text.replace('RoleArn: !GetAtt PipelineRole.Arn', `RoleArn: ${roleArn}`));
  const { model } = loadSingleTemplate(file, { ...ENV, parameters: {} });
  return analyzeModel(model).pipelines.flatMap((p) => p.links);
}

describe('a pipeline role that is not a role ARN', () => {
  it('the base (!GetAtt PipelineRole.Arn): the pipeline role links are not known failures', () => {
    const links = templateLinks('!GetAtt PipelineRole.Arn');
    const trust = links.find((l) => l.requirement === 'pipeline.assume-service-role')!;
    expect(trust.decision).toBe('Allowed');
    expect(links.some((l) => l.why.includes('is not an IAM role ARN'))).toBe(false);
  });

  it('!Ref PipelineRole (the role name): every link of the pipeline role fails, naming it', () => {
    const links = templateLinks('!Ref PipelineRole');
    const trust = links.find((l) => l.requirement === 'pipeline.assume-service-role')!;
    expect(trust.resource).toBe('pipe-role');
    expect(trust.decision).toBe('ImplicitlyDenied');
    expect(trust.why).toContain('`pipe-role` is not an IAM role ARN');
    expect(trust.fix).toContain('!GetAtt <Role>.Arn');
    // the configuration decides, not a policy: no policy reason, the why names where it is given
    expect(trust.deniedBy).toEqual([]);
    expect(trust.why).toMatch(/; it is given at `[^`]*template\.yaml:99`$/);
    const own = links.filter((l) => l.principal === 'pipe-role');
    expect(own.length).toBeGreaterThan(3);
    for (const l of own) {
      expect(l.decision, l.id).toBe('ImplicitlyDenied');
      expect(l.why, l.id).toContain('`pipe-role` is not an IAM role ARN');
    }
    // the CodeBuild project's own role is a real ARN: its links are evaluated as before
    const build = links.filter((l) => l.principal.endsWith(':role/build-role'));
    expect(build.length).toBeGreaterThan(0);
    expect(build.some((l) => l.why.includes('is not an IAM role ARN'))).toBe(false);
  });
});

describe('an action role that is not a role ARN (snapshot)', () => {
  it('the links of that action role fail, naming the value; the others are unchanged', () => {
    const links = inScenarioCopy('fixtures/scenarios/pass-cross-account', (d) => {
      editJson(`${d}/111111111111/us-east-1/codepipeline/orders-api.json`, (doc) => {
        const stages = (doc['pipeline'] as Json)['stages'] as Json[];
        for (const s of stages)
          for (const a of s['actions'] as Json[])
            if (a['roleArn'] === 'arn:aws:iam::222222222222:role/orders-api-deploy-action')
              a['roleArn'] = 'orders-api-deploy-action';
      });
      return analyzeModel(loadSnapshot(d)).pipelines.flatMap((p) => p.links);
    });
    const action = links.filter(
      (l) =>
        l.principal === 'orders-api-deploy-action' || l.resource === 'orders-api-deploy-action',
    );
    expect(action.length).toBeGreaterThan(5);
    for (const l of action) {
      expect(l.decision, l.id).toBe('ImplicitlyDenied');
      expect(l.why, l.id).toContain('`orders-api-deploy-action` is not an IAM role ARN');
    }
    const rest = links.filter((l) => !action.includes(l));
    expect(rest.length).toBeGreaterThan(10);
    expect(new Set(rest.map((l) => l.decision))).toEqual(new Set(['Allowed']));
  });
});
