/**
 * The rules of stage conditions (beforeEntry, onSuccess, onFailure) are read and checked like
 * actions of category `Rule` (src/chain/rules.ts): a rule with a role needs the pipeline role to
 * assume it and its trust policy to allow that; the Commands rule writes logs as the pipeline
 * role and reads its input artifacts; LambdaInvoke and CloudWatchAlarm, whose permissions AWS
 * does not document, are one Unknown link each; DeploymentWindow and VariableCheck need nothing;
 * an unknown rule type or a shape that cannot be read is Unknown, naming it. They were dropped
 * silently (the reviewer's edit of pass-cross-account passed with the same 50 links).
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { getCatalog, PROVIDERS, RULE_PROVIDERS } from '../../src/chain/catalog.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import type { ReportPipeline } from '../../src/report/types.js';

const T = '111111111111';
const P = '222222222222';
const PIPELINE_FILE = `${T}/us-east-1/codepipeline/orders-api.json`;
const PIPE_ROLE = `arn:aws:iam::${T}:role/service-role/orders-api-pipeline-role`;
const ALARM_ROLE = `arn:aws:iam::${P}:role/prod-alarm-reader`;
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const rule = (name: string, provider: string, extra: Json = {}): Json => ({
  name,
  ruleTypeId: { category: 'Rule', owner: 'AWS', provider, version: '1' },
  configuration: {},
  inputArtifacts: [],
  region: 'us-east-1',
  ...extra,
});

/** The reviewer's conditions on DeployProd. */
const REVIEWER: Json = {
  beforeEntry: {
    conditions: [
      {
        result: 'FAIL',
        rules: [
          rule('GateLambda', 'LambdaInvoke', { configuration: { FunctionName: 'prod-gate' } }),
          rule('GateCommands', 'Commands', {
            commands: ['./check.sh'],
            inputArtifacts: [{ name: 'BuildOutput' }],
          }),
        ],
      },
    ],
  },
  onFailure: {
    result: 'ROLLBACK',
    conditions: [
      {
        result: 'ROLLBACK',
        rules: [
          rule('Alarm', 'CloudWatchAlarm', {
            configuration: { AlarmName: 'orders-5xx' },
            roleArn: ALARM_ROLE,
          }),
        ],
      },
    ],
  },
};

function analyzeWith(stage: Json, edit?: (dir: string) => void): ReportPipeline {
  const dir = mkdtempSync(join(tmpdir(), 'permchain-rules-'));
  cpSync('fixtures/scenarios/pass-cross-account', dir, { recursive: true });
  const file = join(dir, PIPELINE_FILE);
  const doc = JSON.parse(readFileSync(file, 'utf8')) as Json;
  Object.assign((doc['pipeline']['stages'] as Json[])[2]!, stage);
  writeFileSync(file, JSON.stringify(doc, null, 2));
  edit?.(dir);
  return analyzeModel(loadSnapshot(dir)).pipelines[0]!;
}

/** The prod account gets the alarm role, trusting `trusted`. */
const withAlarmRole =
  (trusted: string) =>
  (dir: string): void => {
    const file = join(dir, `${P}/iam.json`);
    const iam = JSON.parse(readFileSync(file, 'utf8')) as Json;
    (iam['RoleDetailList'] as Json[]).push({
      Path: '/',
      RoleName: 'prod-alarm-reader',
      RoleId: 'AROAQXAMPLEALARM00001',
      Arn: ALARM_ROLE,
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: trusted }, Action: 'sts:AssumeRole' }],
      },
      RolePolicyList: [],
      AttachedManagedPolicies: [],
      Tags: [],
    });
    writeFileSync(file, JSON.stringify(iam, null, 2));
  };

/** The pipeline role may assume the alarm role too. */
const pipelineMayAssumeAlarmRole = (dir: string): void => {
  const file = join(dir, `${T}/iam.json`);
  const iam = JSON.parse(readFileSync(file, 'utf8')) as Json;
  const role = (iam['RoleDetailList'] as Json[]).find(
    (r) => r['RoleName'] === 'orders-api-pipeline-role',
  )!;
  const st = (role['RolePolicyList'][0]['PolicyDocument']['Statement'] as Json[]).find(
    (s) => s['Sid'] === 'AssumeProdDeployRole',
  )!;
  st['Resource'] = [st['Resource'], ALARM_ROLE];
  writeFileSync(file, JSON.stringify(iam, null, 2));
};

describe('stage condition rules in a snapshot', () => {
  it("the reviewer's edit no longer passes with the links of the pipeline without them", () => {
    const base = analyzeWith({});
    expect(base.verdict).toBe('pass');
    const p = analyzeWith(REVIEWER);
    expect(p.verdict).not.toBe('pass');
    const rules = p.links.filter((l) => /^(beforeEntry|onFailure)\[1\]\//.test(l.action ?? ''));
    expect(p.links.length).toBe(base.links.length + rules.length);
    expect(rules.map((l) => `${l.id} ${l.decision}`)).toEqual([
      'DeployProd/beforeEntry[1]/GateLambda:rule.permissions-not-documented Unknown',
      'DeployProd/beforeEntry[1]/GateCommands:artifacts.input.get-object:s3:GetObject:arn:aws:s3:::orders-artifacts-111111111111-us-east-1/orders-api/BuildOutpu/* Allowed',
      'DeployProd/beforeEntry[1]/GateCommands:artifacts.input.get-object-version:s3:GetObjectVersion:arn:aws:s3:::orders-artifacts-111111111111-us-east-1/orders-api/BuildOutpu/* Allowed',
      'DeployProd/beforeEntry[1]/GateCommands:artifacts.input.kms-decrypt:kms:Decrypt Allowed',
      'DeployProd/beforeEntry[1]/GateCommands:rule-commands.logs-create-log-group:logs:CreateLogGroup ImplicitlyDenied',
      'DeployProd/beforeEntry[1]/GateCommands:rule-commands.logs-write:logs:CreateLogStream ImplicitlyDenied',
      'DeployProd/beforeEntry[1]/GateCommands:rule-commands.logs-write:logs:PutLogEvents ImplicitlyDenied',
      'DeployProd/onFailure[1]/Alarm:rule.permissions-not-documented Unknown',
      'DeployProd/onFailure[1]/Alarm:action.assume-action-role:sts:AssumeRole ImplicitlyDenied',
    ]);
    for (const l of rules) {
      expect(l.stage).toBe('DeployProd');
      expect(l.declaredAt?.file).toBe(PIPELINE_FILE);
    }
    const gate = rules[0]!;
    expect(gate.principal).toBe(PIPE_ROLE);
    expect(gate.doc).toBe(
      'https://docs.aws.amazon.com/codepipeline/latest/userguide/rule-reference-LambdaInvoke.html',
    );
    expect(gate.why).toContain('AWS documents no permissions for the `LambdaInvoke` rule');
    expect(gate.why).toContain('invoke the function `prod-gate`');
    expect(gate.declaredAt?.pointer).toBe('/pipeline/stages/2/beforeEntry/conditions/0/rules/0');
    // the Commands rule writes its logs as the pipeline role, to the pipeline's log group
    const logs = rules.find((l) => l.permission === 'logs:PutLogEvents')!;
    expect([logs.principal, logs.resource]).toEqual([
      PIPE_ROLE,
      `arn:aws:logs:us-east-1:${T}:log-group:/aws/codepipeline/orders-api:log-stream:*`,
    ]);
    // the rule role is assumed by the pipeline role; here it does not exist
    const assume = rules.at(-1)!;
    expect([assume.principal, assume.resource]).toEqual([PIPE_ROLE, ALARM_ROLE]);
  });

  it("a rule role: the pipeline role's permission and the role's trust are both checked", () => {
    const trusted = analyzeWith(REVIEWER, (dir) => {
      withAlarmRole(PIPE_ROLE)(dir);
      pipelineMayAssumeAlarmRole(dir);
    });
    const id = 'DeployProd/onFailure[1]/Alarm:action.assume-action-role:sts:AssumeRole';
    expect(trusted.links.find((l) => l.id === id)!.decision).toBe('Allowed');
    // trusted, but the pipeline role has no sts:AssumeRole on it
    const noPermission = analyzeWith(REVIEWER, withAlarmRole(PIPE_ROLE));
    const denied = noPermission.links.find((l) => l.id === id)!;
    expect(denied.decision).toBe('ImplicitlyDenied');
    expect(denied.deniedBy.map((r) => r.policyType)).toContain('identity');
    // allowed to, but the role trusts its own account only
    const untrusted = analyzeWith(REVIEWER, (dir) => {
      withAlarmRole(`arn:aws:iam::${P}:root`)(dir);
      pipelineMayAssumeAlarmRole(dir);
    });
    const notTrusted = untrusted.links.find((l) => l.id === id)!;
    expect(notTrusted.decision).toBe('ImplicitlyDenied');
    expect(notTrusted.deniedBy.map((r) => r.policyType)).toContain('resource');
  });

  it('DeploymentWindow and VariableCheck need no permission: no link, no Unknown', () => {
    const p = analyzeWith({
      beforeEntry: {
        conditions: [
          {
            result: 'FAIL',
            rules: [
              rule('Window', 'DeploymentWindow', {
                configuration: { Cron: '* * 9-17 ? * MON-FRI *' },
              }),
              rule('Branch', 'VariableCheck', {
                configuration: {
                  Variable: '#{SourceVariables.BranchName}',
                  Value: 'main',
                  Operator: 'EQ',
                },
              }),
            ],
          },
        ],
      },
    });
    expect(p.verdict).toBe('pass');
    expect(p.links.filter((l) => (l.action ?? '').startsWith('beforeEntry'))).toEqual([]);
  });

  it('a rule whose roleArn is the pipeline role itself assumes nothing', () => {
    const p = analyzeWith({
      beforeEntry: {
        conditions: [
          {
            result: 'FAIL',
            rules: [
              rule('Window', 'DeploymentWindow', {
                configuration: { Cron: '* * 9-17 ? * MON-FRI *' },
                roleArn: PIPE_ROLE,
              }),
            ],
          },
        ],
      },
    });
    expect(p.verdict).toBe('pass');
    expect(p.links.filter((l) => (l.action ?? '').startsWith('beforeEntry'))).toEqual([]);
  });

  it('a rule type permchain does not know is one Unknown link, never silence', () => {
    const p = analyzeWith({
      onSuccess: {
        conditions: [{ result: 'ROLLBACK', rules: [rule('Custom', 'SomeFutureRule')] }],
      },
    });
    expect(p.verdict).toBe('unknown');
    const l = p.links.find((x) => x.action === 'onSuccess[1]/Custom')!;
    expect([l.id, l.decision]).toEqual([
      'DeployProd/onSuccess[1]/Custom:rule.provider-not-modelled',
      'Unknown',
    ]);
    expect(l.why).toContain('`AWS/SomeFutureRule`');
  });

  it('a rule of a pipeline whose role is not known names it in words, not (pipelineRole)', () => {
    const p = analyzeWith(REVIEWER, (dir) => {
      const file = join(dir, PIPELINE_FILE);
      const doc = JSON.parse(readFileSync(file, 'utf8')) as Json;
      delete doc['pipeline']['roleArn'];
      writeFileSync(file, JSON.stringify(doc, null, 2));
    });
    const gate = p.links.find(
      (l) => l.id === 'DeployProd/beforeEntry[1]/GateLambda:rule.permissions-not-documented',
    )!;
    expect([gate.decision, gate.principal]).toEqual(['Unknown', 'the pipeline role (not known)']);
    expect(gate.why).toContain(
      'so whether the pipeline role (not known) may invoke the function `prod-gate` is not checked',
    );
    // a rule with its own role names that role
    const alarm = p.links.find(
      (l) => l.id === 'DeployProd/onFailure[1]/Alarm:rule.permissions-not-documented',
    )!;
    expect(alarm.principal).toBe(ALARM_ROLE);
  });

  it('conditions or rules that cannot be read are Unknown links naming file#pointer', () => {
    const p = analyzeWith({
      beforeEntry: 'FAIL',
      onSuccess: { conditions: [{ rules: 'Alarm' }] },
      onFailure: {
        conditions: [{ rules: [rule('Typed', 'Commands', { ruleTypeId: 'Commands' }), 7] }],
      },
    });
    expect(p.verdict).toBe('unknown');
    const open = p.links.filter((l) => l.requirement === 'action.not-settled');
    const at = (ptr: string): string => `${PIPELINE_FILE}#/pipeline/stages/2/${ptr}`;
    expect(open.map((l) => [l.action, l.missing])).toEqual([
      ['beforeEntry/(rules)', [`${at('beforeEntry')} (not readable)`]],
      ['onSuccess[1]/(rules)', [`${at('onSuccess/conditions/0/rules')} (not readable)`]],
      ['onFailure[1]/Typed', [`${at('onFailure/conditions/0/rules/0/ruleTypeId')} (not readable)`]],
      ['onFailure[1]/(rule 2)', [`${at('onFailure/conditions/0/rules/1')} (not readable)`]],
    ]);
  });
});

describe('the rule entries of the catalog', () => {
  it('have category Rule (so they never apply to an action, such as the Commands action)', () => {
    const ruleProviders: readonly string[] = RULE_PROVIDERS;
    const entries = getCatalog().entries.filter((e) => ruleProviders.includes(e.provider));
    const rules = entries.filter((e) => e.category === 'Rule');
    expect(rules.map((e) => e.id)).toEqual([
      'rule-codebuild.start-build',
      'rule-commands.logs-create-log-group',
      'rule-commands.logs-write',
    ]);
    // the only other entries of a rule provider are the Commands and CodeBuild actions', which
    // are action providers too (test/chain/commandsAction.test.ts, codeBuildRule.test.ts: the
    // two never mix)
    const actionProviders: readonly string[] = PROVIDERS;
    expect(actionProviders.includes('Commands')).toBe(true);
    expect(actionProviders.includes('CodeBuild')).toBe(true);
    const actions = entries.filter((e) => e.category !== 'Rule');
    expect(actions.map((e) => [e.id, e.provider, e.category])).toEqual([
      ['codebuild.pass-service-role-override', 'CodeBuild', undefined],
      ['codebuild.start-build', 'CodeBuild', undefined],
      ['codebuild.start-build-batch', 'CodeBuild', undefined],
      ['codebuild.stop-build', 'CodeBuild', undefined],
      ['codebuild.stop-build-batch', 'CodeBuild', undefined],
      ['commands.logs-create-log-group', 'Commands', undefined],
      ['commands.logs-write', 'Commands', undefined],
    ]);
  });
});
