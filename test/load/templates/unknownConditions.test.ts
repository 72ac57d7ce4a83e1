/**
 * `Fn::If` on a condition whose value is not known (here `Fn::Equals` on an SSM parameter)
 * chooses between two values, and each such `Fn::If` is an unknown value of its own. It was the
 * condition's unknown value itself, so every `Fn::If` on one condition became one placeholder:
 * a pipeline role and a rule role chosen by the same condition read as the same role, and the
 * rule's "the pipeline role assumes the rule role" link was not made at all (buildChain takes a
 * rule roleArn equal to the pipeline's for no role to assume).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { analyzeModel } from '../../../src/chain/analyze.js';
import { noManagedPolicies } from '../../../src/load/managedPolicies.js';
import { loadSingleTemplate } from '../../../src/load/stacks.js';
import type { Model, PipelineModel } from '../../../src/model/types.js';
import type { ReportLink } from '../../../src/report/types.js';

const ACCOUNT = '111111111111';
const REGION = 'us-east-1';
const PLACEHOLDER = /^arn:aws:iam::unresolved:role\/unresolved-[0-9a-f]{10}$/;
const arnOf = (name: string): string => `arn:aws:iam::${ACCOUNT}:role/${name}`;
const getAtt = (id: string): unknown => ({ 'Fn::GetAtt': [id, 'Arn'] });
const ifProd = (yes: string, no: string): unknown => ({
  'Fn::If': ['IsProd', getAtt(yes), getAtt(no)],
});
const trust = (principal: Record<string, unknown>): Record<string, unknown> => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole' }],
});
/** a role that may do anything: any link it makes that is decided is Allowed */
const role = (name: string, principal: Record<string, unknown>): Record<string, unknown> => ({
  Type: 'AWS::IAM::Role',
  Properties: {
    RoleName: name,
    AssumeRolePolicyDocument: trust(principal),
    Policies: [
      {
        PolicyName: 'all',
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
        },
      },
    ],
  },
});
const byPipeline = (name: string): Record<string, unknown> => ({ AWS: arnOf(name) });

/**
 * `IsProd` (on the SSM parameter `Env`) chooses the pipeline role, the deploy action's role and
 * the role of the deploy stage's BeforeEntry rule; `pipelineRole` replaces the pipeline's RoleArn.
 */
function template(pipelineRole: unknown): Record<string, unknown> {
  return {
    Parameters: { Env: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/env' } },
    Conditions: { IsProd: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } },
    Resources: {
      Bucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'art-bucket-111' } },
      PipeProd: role('pipe-prod', { Service: 'codepipeline.amazonaws.com' }),
      PipeDev: role('pipe-dev', { Service: 'codepipeline.amazonaws.com' }),
      DeployProd: role('deploy-prod', byPipeline('pipe-prod')),
      DeployDev: role('deploy-dev', byPipeline('pipe-dev')),
      WindowProd: role('window-prod', byPipeline('pipe-prod')),
      WindowDev: role('window-dev', byPipeline('pipe-dev')),
      Pipeline: {
        Type: 'AWS::CodePipeline::Pipeline',
        Properties: {
          Name: 'app',
          RoleArn: pipelineRole,
          ArtifactStore: { Type: 'S3', Location: { Ref: 'Bucket' } },
          Stages: [
            {
              Name: 'Source',
              Actions: [
                {
                  Name: 'Src',
                  ActionTypeId: { Category: 'Source', Owner: 'AWS', Provider: 'S3', Version: '1' },
                  Configuration: { S3Bucket: { Ref: 'Bucket' }, S3ObjectKey: 'src.zip' },
                  OutputArtifacts: [{ Name: 'Src' }],
                },
              ],
            },
            {
              Name: 'Deploy',
              BeforeEntry: {
                Conditions: [
                  {
                    Result: 'FAIL',
                    Rules: [
                      {
                        Name: 'Window',
                        RuleTypeId: {
                          Category: 'Rule',
                          Owner: 'AWS',
                          Provider: 'DeploymentWindow',
                          Version: '1',
                        },
                        Configuration: { Cron: '0 9 ? * MON-FRI *' },
                        RoleArn: ifProd('WindowProd', 'WindowDev'),
                      },
                    ],
                  },
                ],
              },
              Actions: [
                {
                  Name: 'Publish',
                  ActionTypeId: { Category: 'Deploy', Owner: 'AWS', Provider: 'S3', Version: '1' },
                  RoleArn: ifProd('DeployProd', 'DeployDev'),
                  Configuration: {
                    BucketName: { Ref: 'Bucket' },
                    Extract: 'false',
                    ObjectKey: 'site.zip',
                  },
                  InputArtifacts: [{ Name: 'Src' }],
                },
              ],
            },
          ],
        },
      },
    },
  };
}

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

function load(pipelineRole: unknown): Model {
  const dir = mkdtempSync(join(tmpdir(), 'permchain-unknown-condition-'));
  dirs.push(dir);
  const file = join(dir, 'app.json');
  // one property a line, so the condition has a line of its own
  writeFileSync(file, JSON.stringify(template(pipelineRole), null, 2));
  return loadSingleTemplate(file, {
    account: ACCOUNT,
    region: REGION,
    managedPolicies: noManagedPolicies,
  }).model;
}

const pipelineOf = (model: Model): PipelineModel =>
  model.accounts.get(ACCOUNT)!.regions.get(REGION)!.pipelines.get('app')!;
const links = (model: Model): readonly ReportLink[] => analyzeModel(model).pipelines[0]!.links;

const WHY =
  '`Fn::If` on condition `IsProd`, which is not known: parameter `Env` reads the ssm parameter `/env` at deploy time, so its value is not known offline';

describe('Fn::If on a condition that is not known', () => {
  it('each Fn::If is an unknown value of its own: the rule and action roles are assumed by the pipeline role, Unknown', () => {
    const model = load(ifProd('PipeProd', 'PipeDev'));
    const p = pipelineOf(model);
    const deploy = p.stages[1]!;
    const pipelineRole = p.roleArn!;
    const actionRole = deploy.actions[0]!.roleArn!;
    const ruleRole = deploy.rules![0]!.roleArn!;
    for (const r of [pipelineRole, actionRole, ruleRole]) expect(r).toMatch(PLACEHOLDER);
    // three values, three placeholders: none reads as another
    expect(new Set([pipelineRole, actionRole, ruleRole]).size).toBe(3);
    // each names the condition and why it is not known, at the place that would settle it
    // (the parameter's Ref in the condition), as before
    for (const r of [pipelineRole, actionRole, ruleRole]) {
      const u = model.unresolved!.get(r)!;
      expect(u.reason).toBe(WHY);
      expect(u.location.pointer).toBe('/Conditions/IsProd/Fn::Equals/0/Ref');
    }
    const all = links(model);
    // the pipeline role assumes the action role and the rule role: both links are there,
    // Unknown, naming the condition
    const assumes = all
      .filter((l) => l.permission === 'sts:AssumeRole' && l.principal === pipelineRole)
      .map((l) => [l.id, l.resource, l.decision]);
    expect(assumes).toEqual([
      ['Deploy/Publish:action.assume-action-role:sts:AssumeRole', actionRole, 'Unknown'],
      [
        'Deploy/beforeEntry[1]/Window:action.assume-action-role:sts:AssumeRole',
        ruleRole,
        'Unknown',
      ],
    ]);
    for (const l of all.filter((x) => x.permission === 'sts:AssumeRole')) {
      expect(l.missing ?? [], l.id).toEqual([expect.stringMatching(/app\.json:\d+ \(/)]);
      expect(l.missing![0]!.endsWith(`(${WHY})`), l.id).toBe(true);
    }
    // nothing that depends on one of these roles is decided, and no branch's role is checked
    for (const l of all.filter((x) => [x.principal, x.resource].some((v) => PLACEHOLDER.test(v))))
      expect(l.decision, l.id).toBe('Unknown');
    const named = new Set(all.flatMap((l) => [l.principal, l.resource]));
    for (const name of ['pipe-prod', 'pipe-dev', 'deploy-prod', 'deploy-dev', 'window-prod'])
      expect(named.has(arnOf(name)), name).toBe(false);
  });

  it('when both branches are the same value, that value is known', () => {
    const model = load({ 'Fn::If': ['IsProd', getAtt('PipeProd'), getAtt('PipeProd')] });
    const p = pipelineOf(model);
    expect(p.roleArn).toBe(arnOf('pipe-prod'));
    expect([...model.unresolved!.keys()]).not.toContain(p.roleArn);
  });
});
