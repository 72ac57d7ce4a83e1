/**
 * CloudFormation StackSets deploy actions (CloudFormationStackSet, CloudFormationStackInstances,
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-StackSets.html) with
 * self-managed permissions (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-prereqs-self-managed.html):
 * the action role's StackSets calls, the administration role it passes, CloudFormation assuming
 * the administration role, and the administration role assuming the execution role of each
 * target account. Each case edits a copy of the pass-stacksets scenario (tools 111111111111,
 * targets prod 222222222222 and staging 444444444444).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import type { ReportLink } from '../../src/report/types.js';
import { editJson, inScenarioCopy, type Json } from './scenarioCopy.js';

const SCENARIO = 'fixtures/scenarios/pass-stacksets';
const T = '111111111111';
const P = '222222222222';
const S = '444444444444';
const PIPELINE_FILE = `${T}/us-east-1/codepipeline/orders-api.json`;
const PIPE_ROLE = `arn:aws:iam::${T}:role/service-role/orders-api-pipeline-role`;
const ADMIN = `arn:aws:iam::${T}:role/platform-stackset-administration`;
const DEFAULT_ADMIN = `arn:aws:iam::${T}:role/AWSCloudFormationStackSetAdministrationRole`;
const EXEC = (account: string, name = 'AWSCloudFormationStackSetExecutionRole'): string =>
  `arn:aws:iam::${account}:role/${name}`;
const STACK_SET_ARN = `arn:aws:cloudformation:us-east-1:${T}:stackset/org-guardrails:*`;
const SET = 'DeployGuardrails/StackSet';
const INSTANCES = 'DeployGuardrails/Instances';

type Statement = Json & { Sid?: string; Action?: string | string[] };

/** The execution roles' own stack operations (see 'the execution role runs the stack operations'). */
const STACK_OPERATIONS = '.execution-role-stack-operations';

/**
 * The StackSets links (not the artifact ones) of the DeployGuardrails stage after `edit`, without
 * the execution roles' stack operations, which their own tests below check.
 */
function stackSetLinks(edit: (dir: string) => void = () => {}): ReportLink[] {
  return allStackSetLinks(edit).filter((l) => !l.requirement.endsWith(STACK_OPERATIONS));
}

function allStackSetLinks(edit: (dir: string) => void = () => {}): ReportLink[] {
  return inScenarioCopy(SCENARIO, (dir) => {
    edit(dir);
    const pipeline = analyzeModel(loadSnapshot(dir)).pipelines[0]!;
    return pipeline.links.filter(
      (l) => l.stage === 'DeployGuardrails' && !l.requirement.startsWith('artifacts.'),
    );
  });
}

/** The execution roles' stack operation links after `edit`. */
const operationLinks = (edit: (dir: string) => void = () => {}): ReportLink[] =>
  allStackSetLinks(edit).filter((l) => l.requirement.endsWith(STACK_OPERATIONS));

const summary = (links: readonly ReportLink[]): string[] =>
  links.map((l) => `${l.id} ${l.decision}`);
const notAllowed = (links: readonly ReportLink[]): string[] =>
  summary(links.filter((l) => l.decision !== 'Allowed'));

function editRole(dir: string, account: string, name: string, edit: (role: Json) => void): void {
  editJson(join(dir, `${account}/iam.json`), (iam) => {
    edit((iam['RoleDetailList'] as Json[]).find((r) => r['RoleName'] === name)!);
  });
}

/** The statements of a role's first inline policy. */
function editPolicy(
  dir: string,
  account: string,
  role: string,
  edit: (statements: Statement[]) => Statement[] | void,
): void {
  editRole(dir, account, role, (r) => {
    const policy = (r['RolePolicyList'] as Json[])[0]!['PolicyDocument'] as Json;
    const next = edit(policy['Statement'] as Statement[]);
    if (next) policy['Statement'] = next;
  });
}

/** The configuration of an action of the pipeline (by name). */
function editConfig(dir: string, action: string, edit: (config: Json) => void): void {
  editJson(join(dir, PIPELINE_FILE), (doc) => {
    const stages = (doc['pipeline'] as Json)['stages'] as { actions: Json[] }[];
    const a = stages.flatMap((s) => s.actions).find((x) => x['name'] === action)!;
    edit(a['configuration'] as Json);
  });
}

describe('StackSets actions with self-managed permissions (pass-stacksets)', () => {
  it('are modelled: every link of the chain, allowed, and no provider-not-modelled link', () => {
    const links = stackSetLinks();
    expect(summary(links)).toEqual([
      `${SET}:cloudformation-stackset.assume-administration-role:sts:AssumeRole Allowed`,
      `${SET}:cloudformation-stackset.assume-administration-role-regional:sts:AssumeRole:cloudformation.ap-east-1.amazonaws.com Allowed`,
      `${SET}:cloudformation-stackset.assume-execution-role:sts:AssumeRole:${EXEC(P)} Allowed`,
      `${SET}:cloudformation-stackset.create-stack-instances:cloudformation:CreateStackInstances Allowed`,
      `${SET}:cloudformation-stackset.create-stack-set:cloudformation:CreateStackSet Allowed`,
      `${SET}:cloudformation-stackset.describe-stack-set:cloudformation:DescribeStackSet Allowed`,
      `${SET}:cloudformation-stackset.describe-stack-set:cloudformation:DescribeStackSetOperation Allowed`,
      `${SET}:cloudformation-stackset.get-administration-role:iam:GetRole Allowed`,
      `${SET}:cloudformation-stackset.list-stack-instances:cloudformation:ListStackInstances Allowed`,
      `${SET}:cloudformation-stackset.pass-administration-role:iam:PassRole Allowed`,
      `${SET}:cloudformation-stackset.update-stack-set:cloudformation:UpdateStackSet Allowed`,
      `${INSTANCES}:cloudformation-stackinstances.assume-administration-role:sts:AssumeRole Allowed`,
      `${INSTANCES}:cloudformation-stackinstances.assume-administration-role-regional:sts:AssumeRole:cloudformation.ap-east-1.amazonaws.com Allowed`,
      `${INSTANCES}:cloudformation-stackinstances.assume-execution-role:sts:AssumeRole:${EXEC(P)} Allowed`,
      `${INSTANCES}:cloudformation-stackinstances.assume-execution-role:sts:AssumeRole:${EXEC(S)} Allowed`,
      `${INSTANCES}:cloudformation-stackinstances.create-stack-instances:cloudformation:CreateStackInstances Allowed`,
      `${INSTANCES}:cloudformation-stackinstances.describe-stack-set-operation:cloudformation:DescribeStackSetOperation Allowed`,
    ]);
    const by = (id: string): ReportLink => links.find((l) => l.id.startsWith(id))!;
    // who calls what
    expect(by(`${SET}:cloudformation-stackset.update-stack-set`)).toMatchObject({
      principal: PIPE_ROLE,
      resource: STACK_SET_ARN,
      level: 'required',
    });
    expect(by(`${SET}:cloudformation-stackset.pass-administration-role`)).toMatchObject({
      principal: PIPE_ROLE,
      resource: ADMIN,
    });
    expect(by(`${SET}:cloudformation-stackset.assume-administration-role`)).toMatchObject({
      principal: 'cloudformation.amazonaws.com',
      resource: ADMIN,
    });
    expect(by(`${INSTANCES}:cloudformation-stackinstances.assume-execution-role`)).toMatchObject({
      principal: ADMIN,
      resource: EXEC(P),
    });
    // documented but not needed to run: warnings only
    expect(by(`${SET}:cloudformation-stackset.list-stack-instances`).level).toBe('recommended');
    expect(by(`${SET}:cloudformation-stackset.get-administration-role`).level).toBe('recommended');
  });

  it('still reads the template and parameters artifact as the action role, as a CloudFormation action does', () => {
    const links = inScenarioCopy(SCENARIO, (dir) =>
      analyzeModel(loadSnapshot(dir)).pipelines[0]!.links.filter((l) => l.action === 'StackSet'),
    );
    const reads = links.filter((l) => l.requirement.startsWith('artifacts.input.'));
    expect(reads.map((l) => [l.permission, l.principal, l.decision])).toEqual([
      ['s3:GetObject', PIPE_ROLE, 'Allowed'],
      ['s3:GetObjectVersion', PIPE_ROLE, 'Allowed'],
      ['kms:Decrypt', PIPE_ROLE, 'Allowed'],
    ]);
    expect(links.map((l) => l.requirement)).not.toContain('action.provider-not-modelled');
  });

  it('a Custom action type named CloudFormationStackSet is not the AWS provider', () => {
    const links = stackSetLinks((dir) =>
      editJson(join(dir, PIPELINE_FILE), (doc) => {
        const stages = (doc['pipeline'] as Json)['stages'] as { actions: Json[] }[];
        const a = stages.flatMap((s) => s.actions).find((x) => x['name'] === 'StackSet')!;
        (a['actionTypeId'] as Json)['owner'] = 'Custom';
      }),
    );
    const set = links.filter((l) => l.action === 'StackSet');
    expect(set.map((l) => l.requirement)).toEqual(['action.provider-not-modelled']);
    // the instances action no longer finds the stack set's settings
    expect(notAllowed(links)).toEqual([
      `${SET}:action.provider-not-modelled Unknown`,
      `${INSTANCES}:cloudformation-stackinstances.assume-administration-role:sts:AssumeRole Unknown`,
      `${INSTANCES}:cloudformation-stackinstances.assume-administration-role-regional:sts:AssumeRole Unknown`,
      `${INSTANCES}:cloudformation-stackinstances.assume-execution-role:sts:AssumeRole Unknown`,
    ]);
  });
});

describe('each link of the StackSets chain breaks on its own', () => {
  it('the administration role does not trust cloudformation.amazonaws.com', () => {
    const links = stackSetLinks((dir) =>
      editRole(dir, T, 'platform-stackset-administration', (r) => {
        r['AssumeRolePolicyDocument'] = {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'codepipeline.amazonaws.com' },
              Action: 'sts:AssumeRole',
            },
          ],
        };
      }),
    );
    expect(notAllowed(links)).toEqual([
      `${SET}:cloudformation-stackset.assume-administration-role:sts:AssumeRole ImplicitlyDenied`,
      `${SET}:cloudformation-stackset.assume-administration-role-regional:sts:AssumeRole:cloudformation.ap-east-1.amazonaws.com ImplicitlyDenied`,
      `${INSTANCES}:cloudformation-stackinstances.assume-administration-role:sts:AssumeRole ImplicitlyDenied`,
      `${INSTANCES}:cloudformation-stackinstances.assume-administration-role-regional:sts:AssumeRole:cloudformation.ap-east-1.amazonaws.com ImplicitlyDenied`,
    ]);
    const link = links.find((l) => l.decision !== 'Allowed')!;
    expect(link.deniedBy).toMatchObject([{ policyType: 'resource', policy: ADMIN }]);
    expect(link.why).toMatch(/does not trust `cloudformation\.amazonaws\.com`/);
  });

  it('the trust policy asks for another source account', () => {
    const links = stackSetLinks((dir) =>
      editRole(dir, T, 'platform-stackset-administration', (r) => {
        const st = (r['AssumeRolePolicyDocument'] as { Statement: Json[] }).Statement[0]!;
        (st['Condition'] as Record<string, Json>)['StringEquals']!['aws:SourceAccount'] = P;
      }),
    );
    expect(notAllowed(links)).toEqual([
      `${SET}:cloudformation-stackset.assume-administration-role:sts:AssumeRole ImplicitlyDenied`,
      `${SET}:cloudformation-stackset.assume-administration-role-regional:sts:AssumeRole:cloudformation.ap-east-1.amazonaws.com ImplicitlyDenied`,
      `${INSTANCES}:cloudformation-stackinstances.assume-administration-role:sts:AssumeRole ImplicitlyDenied`,
      `${INSTANCES}:cloudformation-stackinstances.assume-administration-role-regional:sts:AssumeRole:cloudformation.ap-east-1.amazonaws.com ImplicitlyDenied`,
    ]);
  });

  it('the administration role may not assume the execution roles', () => {
    const links = stackSetLinks((dir) =>
      editPolicy(dir, T, 'platform-stackset-administration', () => [
        {
          Sid: 'AssumeOtherRoles',
          Effect: 'Allow',
          Action: 'sts:AssumeRole',
          Resource: 'arn:aws:iam::*:role/deploy-*',
        },
      ]),
    );
    expect(notAllowed(links)).toEqual([
      `${SET}:cloudformation-stackset.assume-execution-role:sts:AssumeRole:${EXEC(P)} ImplicitlyDenied`,
      `${INSTANCES}:cloudformation-stackinstances.assume-execution-role:sts:AssumeRole:${EXEC(P)} ImplicitlyDenied`,
      `${INSTANCES}:cloudformation-stackinstances.assume-execution-role:sts:AssumeRole:${EXEC(S)} ImplicitlyDenied`,
    ]);
    const link = links.find((l) => l.decision !== 'Allowed')!;
    expect(link.deniedBy).toMatchObject([
      { policyType: 'identity', policy: `${ADMIN} (inline: assume-stackset-execution)` },
    ]);
    // the execution role trusts the administration role: only its own policies lack the allow
    expect(link.fix).toBe(
      `allow \`sts:AssumeRole\` on \`${link.resource}\` in the policies of \`${ADMIN}\``,
    );
  });

  it("staging's execution role does not trust the administration role", () => {
    const links = stackSetLinks((dir) =>
      editRole(dir, S, 'AWSCloudFormationStackSetExecutionRole', (r) => {
        r['AssumeRolePolicyDocument'] = {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: `arn:aws:iam::${T}:role/other-administration` },
              Action: 'sts:AssumeRole',
            },
          ],
        };
      }),
    );
    // only the staging link: prod's execution role still trusts it
    expect(notAllowed(links)).toEqual([
      `${INSTANCES}:cloudformation-stackinstances.assume-execution-role:sts:AssumeRole:${EXEC(S)} ImplicitlyDenied`,
    ]);
    const link = links.find((l) => l.decision !== 'Allowed')!;
    expect(link.deniedBy).toMatchObject([{ policyType: 'resource', policy: EXEC(S) }]);
  });

  it('an execution role that trusts the administrator account (the basic setup) works', () => {
    const links = stackSetLinks((dir) =>
      editRole(dir, S, 'AWSCloudFormationStackSetExecutionRole', (r) => {
        r['AssumeRolePolicyDocument'] = {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: `arn:aws:iam::${T}:root` },
              Action: 'sts:AssumeRole',
            },
          ],
        };
      }),
    );
    expect(notAllowed(links)).toEqual([]);
  });

  it('a target account without the execution role', () => {
    const links = stackSetLinks((dir) =>
      editJson(join(dir, `${S}/iam.json`), (iam) => {
        iam['RoleDetailList'] = [];
      }),
    );
    expect(notAllowed(links)).toEqual([
      `${INSTANCES}:cloudformation-stackinstances.assume-execution-role:sts:AssumeRole:${EXEC(S)} ImplicitlyDenied`,
    ]);
    expect(links.find((l) => l.decision !== 'Allowed')!.why).toMatch(/does not exist/);
  });

  it('the pipeline role lacks the StackSets calls', () => {
    const links = stackSetLinks((dir) =>
      editPolicy(dir, T, 'orders-api-pipeline-role', (sts) =>
        sts.filter((s) => s.Sid !== 'GuardrailsStackSet' && s.Sid !== 'CreateStackSet'),
      ),
    );
    expect(notAllowed(links)).toEqual([
      `${SET}:cloudformation-stackset.create-stack-instances:cloudformation:CreateStackInstances ImplicitlyDenied`,
      `${SET}:cloudformation-stackset.create-stack-set:cloudformation:CreateStackSet ImplicitlyDenied`,
      `${SET}:cloudformation-stackset.describe-stack-set:cloudformation:DescribeStackSet ImplicitlyDenied`,
      `${SET}:cloudformation-stackset.describe-stack-set:cloudformation:DescribeStackSetOperation ImplicitlyDenied`,
      `${SET}:cloudformation-stackset.list-stack-instances:cloudformation:ListStackInstances ImplicitlyDenied`,
      `${SET}:cloudformation-stackset.update-stack-set:cloudformation:UpdateStackSet ImplicitlyDenied`,
      `${INSTANCES}:cloudformation-stackinstances.create-stack-instances:cloudformation:CreateStackInstances ImplicitlyDenied`,
      `${INSTANCES}:cloudformation-stackinstances.describe-stack-set-operation:cloudformation:DescribeStackSetOperation ImplicitlyDenied`,
    ]);
    // ListStackInstances is only recommended: a warning, not a failure
    const list = links.find((l) => l.permission === 'cloudformation:ListStackInstances')!;
    expect(list.level).toBe('recommended');
  });

  it('the pipeline role may not pass the administration role', () => {
    const links = stackSetLinks((dir) =>
      editPolicy(dir, T, 'orders-api-pipeline-role', (sts) => {
        sts.find((s) => s.Sid === 'PassStackSetAdministrationRole')!.Action = 'iam:GetRole';
      }),
    );
    expect(notAllowed(links)).toEqual([
      `${SET}:cloudformation-stackset.pass-administration-role:iam:PassRole ImplicitlyDenied`,
    ]);
  });

  it('the pipeline role may pass the administration role to another service only', () => {
    const links = stackSetLinks((dir) =>
      editPolicy(dir, T, 'orders-api-pipeline-role', (sts) => {
        const pass = sts.find((s) => s.Sid === 'PassStackSetAdministrationRole')!;
        pass.Action = 'iam:PassRole';
        pass['Condition'] = {
          StringEquals: { 'iam:PassedToService': 'codepipeline.amazonaws.com' },
        };
        sts.push({ Sid: 'GetRole', Effect: 'Allow', Action: 'iam:GetRole', Resource: ADMIN });
      }),
    );
    expect(notAllowed(links)).toEqual([
      `${SET}:cloudformation-stackset.pass-administration-role:iam:PassRole ImplicitlyDenied`,
    ]);
  });

  it('CreateStackSet granted on the stack set ARN alone (as CDK does) is Unknown, not allowed', () => {
    // the Service Authorization Reference gives CreateStackSet no resource type: only "*" allows
    // it there; CDK grants it on the stack set ARN. Both are tried; they disagree
    const links = stackSetLinks((dir) =>
      editPolicy(dir, T, 'orders-api-pipeline-role', (sts) => {
        sts.find((s) => s.Sid === 'CreateStackSet')!['Resource'] = STACK_SET_ARN;
      }),
    );
    expect(notAllowed(links)).toEqual([
      `${SET}:cloudformation-stackset.create-stack-set:cloudformation:CreateStackSet Unknown`,
    ]);
    expect(links.find((l) => l.decision === 'Unknown')!.why).toContain('allow both');
  });
});

describe('settings of the StackSet action', () => {
  it('without AdministrationRoleArn: the links that depend on the administration role are Unknown, naming the setting', () => {
    // an update keeps the stack set's existing administration role (API_UpdateStackSet.html),
    // which no input gives: not the default AWSCloudFormationStackSetAdministrationRole
    const links = stackSetLinks((dir) =>
      editConfig(dir, 'StackSet', (c) => {
        delete c['AdministrationRoleArn'];
      }),
    );
    expect(links.map((l) => l.requirement)).not.toContain(
      'cloudformation-stackset.pass-administration-role',
    );
    expect(links.map((l) => l.requirement)).not.toContain(
      'cloudformation-stackset.get-administration-role',
    );
    expect(notAllowed(links)).toEqual([
      `${SET}:cloudformation-stackset.assume-execution-role:sts:AssumeRole:${EXEC(P)} Unknown`,
      `${SET}:cloudformation-stackset.assume-administration-role:sts:AssumeRole Unknown`,
      `${SET}:cloudformation-stackset.assume-administration-role-regional:sts:AssumeRole Unknown`,
      `${INSTANCES}:cloudformation-stackinstances.assume-execution-role:sts:AssumeRole:${EXEC(P)} Unknown`,
      `${INSTANCES}:cloudformation-stackinstances.assume-execution-role:sts:AssumeRole:${EXEC(S)} Unknown`,
      `${INSTANCES}:cloudformation-stackinstances.assume-administration-role:sts:AssumeRole Unknown`,
      `${INSTANCES}:cloudformation-stackinstances.assume-administration-role-regional:sts:AssumeRole Unknown`,
    ]);
    for (const l of links.filter((x) => x.decision === 'Unknown')) {
      expect(l.why, l.id).toContain('configuration `AdministrationRoleArn` is not set');
      expect(l.resource, l.id).not.toBe(DEFAULT_ADMIN);
      expect(l.principal ?? '', l.id).not.toBe(DEFAULT_ADMIN);
    }
  });

  it('without AdministrationRoleArn, CreateStackSet and UpdateStackSet are Unknown only when a policy tests cloudformation:RoleArn', () => {
    // the calls may carry the stack set's administration role in cloudformation:RoleArn, which
    // no input gives when the setting is absent: tried absent, with each role a policy names,
    // and with another; with no policy testing the key they are decided (the test above)
    const links = stackSetLinks((dir) => {
      editConfig(dir, 'StackSet', (c) => {
        delete c['AdministrationRoleArn'];
      });
      editPolicy(dir, T, 'orders-api-pipeline-role', (sts) => {
        sts.push({
          Effect: 'Deny',
          Action: ['cloudformation:CreateStackSet', 'cloudformation:UpdateStackSet'],
          Resource: '*',
          Condition: { StringEquals: { 'cloudformation:RoleArn': DEFAULT_ADMIN } },
        });
      });
    });
    const calls = links.filter((l) =>
      ['cloudformation:CreateStackSet', 'cloudformation:UpdateStackSet'].includes(l.permission),
    );
    expect(calls.map((l) => `${l.permission} ${l.decision}`).sort()).toEqual([
      'cloudformation:CreateStackSet Unknown',
      'cloudformation:UpdateStackSet Unknown',
    ]);
    for (const l of calls) expect(l.why, l.id).toContain('cloudformation:RoleArn');
  });

  it('an ExecutionRoleName names the role in each target account', () => {
    const links = stackSetLinks((dir) =>
      editConfig(dir, 'StackSet', (c) => {
        c['ExecutionRoleName'] = 'guardrails-execution';
      }),
    );
    const exec = links.filter((l) => l.requirement.endsWith('.assume-execution-role'));
    expect(exec.map((l) => [l.resource, l.decision])).toEqual([
      [EXEC(P, 'guardrails-execution'), 'ImplicitlyDenied'],
      [EXEC(P, 'guardrails-execution'), 'ImplicitlyDenied'],
      [EXEC(S, 'guardrails-execution'), 'ImplicitlyDenied'],
    ]);
  });

  it('targets read from an input artifact file are Unknown, naming the file', () => {
    const links = stackSetLinks((dir) =>
      editConfig(dir, 'StackSet', (c) => {
        c['DeploymentTargets'] = 'SourceOutput::guardrails/accounts.json';
      }),
    );
    expect(notAllowed(links)).toEqual([
      `${SET}:cloudformation-stackset.assume-execution-role:sts:AssumeRole Unknown`,
    ]);
    expect(links.find((l) => l.decision === 'Unknown')!.why).toContain(
      'is read at run time from `guardrails/accounts.json` of input artifact `SourceOutput`',
    );
  });

  it('targets that are a CodePipeline variable are Unknown, naming where they are written', () => {
    const links = stackSetLinks((dir) =>
      editConfig(dir, 'StackSet', (c) => {
        c['DeploymentTargets'] = '#{SourceVariables.Accounts}';
      }),
    );
    const open = links.filter((l) => l.decision !== 'Allowed');
    expect(summary(open)).toEqual([
      `${SET}:cloudformation-stackset.assume-execution-role:sts:AssumeRole Unknown`,
    ]);
    expect(open[0]!.missing).toEqual([
      `${PIPELINE_FILE}#/pipeline/stages/3/actions/0/configuration/DeploymentTargets (holds the CodePipeline variable \`#{SourceVariables.Accounts}\`, whose value is only known at run time)`,
    ]);
  });

  it('no DeploymentTargets: the update reaches existing instances the input does not list', () => {
    const links = stackSetLinks((dir) =>
      editConfig(dir, 'StackSet', (c) => {
        delete c['DeploymentTargets'];
        delete c['Regions'];
      }),
    );
    expect(links.map((l) => l.requirement)).not.toContain(
      'cloudformation-stackset.create-stack-instances',
    );
    // the existing instances' Regions are in no input either: one may be disabled by default
    expect(notAllowed(links)).toEqual([
      `${SET}:cloudformation-stackset.assume-administration-role-regional:sts:AssumeRole Unknown`,
      `${SET}:cloudformation-stackset.assume-execution-role:sts:AssumeRole Unknown`,
    ]);
    for (const l of links.filter((x) => x.decision === 'Unknown'))
      expect(l.why, l.id).toContain("reaches the stack set's existing instances");
  });

  it('an organizational unit with self-managed permissions is Unknown, not guessed', () => {
    const links = stackSetLinks((dir) =>
      editConfig(dir, 'StackSet', (c) => {
        c['DeploymentTargets'] = 'ou-exm1-workload1';
      }),
    );
    expect(notAllowed(links)).toEqual([
      `${SET}:cloudformation-stackset.assume-execution-role:sts:AssumeRole Unknown`,
    ]);
    expect(links.find((l) => l.decision === 'Unknown')!.why).toContain(
      'which the SELF_MANAGED permission model does not take',
    );
  });

  it('a DeploymentTargets that lists no target is Unknown, never no link', () => {
    const links = stackSetLinks((dir) =>
      editConfig(dir, 'StackSet', (c) => {
        c['DeploymentTargets'] = ' , ';
      }),
    );
    expect(notAllowed(links)).toEqual([
      `${SET}:cloudformation-stackset.assume-execution-role:sts:AssumeRole Unknown`,
    ]);
    expect(links.find((l) => l.decision === 'Unknown')!.why).toContain('lists no target');
  });

  it("without ExecutionRoleName the execution role is the stack set's existing one: Unknown, never the default", () => {
    // UpdateStackSet without ExecutionRoleName runs with the role previously associated with the
    // stack set (API_UpdateStackSet.html), and no input says whether it exists or which it is
    const links = stackSetLinks((dir) =>
      editConfig(dir, 'StackSet', (c) => {
        delete c['ExecutionRoleName'];
      }),
    );
    // the StackInstances action takes the same (unknown) execution role from the StackSet action
    expect(notAllowed(links)).toEqual([
      `${SET}:cloudformation-stackset.assume-execution-role:sts:AssumeRole Unknown`,
      `${INSTANCES}:cloudformation-stackinstances.assume-execution-role:sts:AssumeRole Unknown`,
    ]);
    for (const l of links.filter((x) => x.decision === 'Unknown'))
      expect(l.why, l.id).toContain(
        "configuration `ExecutionRoleName` is not set, so an update uses the stack set's existing execution role, which is not in any input",
      );
  });

  it('an AdministrationRoleArn the input does not settle leaves the administration role links Unknown', () => {
    const links = stackSetLinks((dir) =>
      editConfig(dir, 'StackSet', (c) => {
        c['AdministrationRoleArn'] = '#{variables.AdminRole}';
      }),
    );
    // the execution roles are known: one link each, whose caller is not
    expect(notAllowed(links)).toEqual([
      `${SET}:cloudformation-stackset.assume-execution-role:sts:AssumeRole:${EXEC(P)} Unknown`,
      `${SET}:cloudformation-stackset.assume-administration-role:sts:AssumeRole Unknown`,
      `${SET}:cloudformation-stackset.assume-administration-role-regional:sts:AssumeRole Unknown`,
      `${SET}:cloudformation-stackset.get-administration-role:iam:GetRole Unknown`,
      `${SET}:cloudformation-stackset.pass-administration-role:iam:PassRole Unknown`,
      `${INSTANCES}:cloudformation-stackinstances.assume-execution-role:sts:AssumeRole:${EXEC(P)} Unknown`,
      `${INSTANCES}:cloudformation-stackinstances.assume-execution-role:sts:AssumeRole:${EXEC(S)} Unknown`,
      `${INSTANCES}:cloudformation-stackinstances.assume-administration-role:sts:AssumeRole Unknown`,
      `${INSTANCES}:cloudformation-stackinstances.assume-administration-role-regional:sts:AssumeRole Unknown`,
    ]);
    for (const l of links.filter((x) => x.decision === 'Unknown'))
      expect(l.missing, l.id).toEqual([
        `${PIPELINE_FILE}#/pipeline/stages/3/actions/0/configuration/AdministrationRoleArn (holds the CodePipeline variable \`#{variables.AdminRole}\`, whose value is only known at run time)`,
      ]);
  });

  it('service-managed permissions: the action role calls are checked, the roles StackSets manages are one Unknown link', () => {
    const links = stackSetLinks((dir) =>
      editConfig(dir, 'StackSet', (c) => {
        c['PermissionModel'] = 'SERVICE_MANAGED';
        c['DeploymentTargets'] = 'ou-exm1-workload1';
        delete c['AdministrationRoleArn'];
      }),
    );
    expect(summary(links)).toEqual([
      `${SET}:action.stackset-service-managed Unknown`,
      `${SET}:cloudformation-stackset.create-stack-instances:cloudformation:CreateStackInstances Allowed`,
      `${SET}:cloudformation-stackset.create-stack-set:cloudformation:CreateStackSet Allowed`,
      `${SET}:cloudformation-stackset.describe-stack-set:cloudformation:DescribeStackSet Allowed`,
      `${SET}:cloudformation-stackset.describe-stack-set:cloudformation:DescribeStackSetOperation Allowed`,
      `${SET}:cloudformation-stackset.list-stack-instances:cloudformation:ListStackInstances Allowed`,
      `${SET}:cloudformation-stackset.update-stack-set:cloudformation:UpdateStackSet Allowed`,
      // the instances action deploys the same stack set: service-managed too
      `${INSTANCES}:action.stackset-service-managed Unknown`,
      `${INSTANCES}:cloudformation-stackinstances.create-stack-instances:cloudformation:CreateStackInstances Allowed`,
      `${INSTANCES}:cloudformation-stackinstances.describe-stack-set-operation:cloudformation:DescribeStackSetOperation Allowed`,
    ]);
    const sm = links[0]!;
    expect(sm).toMatchObject({
      level: 'required',
      principal: `arn:aws:iam::${T}:role/aws-service-role/stacksets.cloudformation.amazonaws.com/AWSServiceRoleForCloudFormationStackSetsOrgAdmin`,
      permission: 'sts:AssumeRole',
      resource: 'arn:aws:iam::*:role/stacksets-exec-*',
    });
    expect(sm.why).toContain(
      'trusted access between CloudFormation StackSets and AWS Organizations',
    );
  });

  it('a PermissionModel the input does not settle leaves the role links Unknown', () => {
    const links = stackSetLinks((dir) =>
      editConfig(dir, 'StackSet', (c) => {
        c['PermissionModel'] = '#{variables.Model}';
      }),
    );
    expect(notAllowed(links)).toEqual([
      `${SET}:cloudformation-stackset.assume-administration-role:sts:AssumeRole Unknown`,
      `${SET}:cloudformation-stackset.assume-administration-role-regional:sts:AssumeRole Unknown`,
      `${SET}:cloudformation-stackset.assume-execution-role:sts:AssumeRole Unknown`,
      `${SET}:cloudformation-stackset.get-administration-role:iam:GetRole Unknown`,
      `${SET}:cloudformation-stackset.pass-administration-role:iam:PassRole Unknown`,
      `${INSTANCES}:cloudformation-stackinstances.assume-administration-role:sts:AssumeRole Unknown`,
      `${INSTANCES}:cloudformation-stackinstances.assume-administration-role-regional:sts:AssumeRole Unknown`,
      `${INSTANCES}:cloudformation-stackinstances.assume-execution-role:sts:AssumeRole Unknown`,
    ]);
  });
});

describe('the StackInstances action takes the stack set settings from the StackSet action', () => {
  it('is Unknown when no CloudFormationStackSet action of the pipeline deploys the stack set', () => {
    const links = stackSetLinks((dir) =>
      editConfig(dir, 'Instances', (c) => {
        c['StackSetName'] = 'created-elsewhere';
      }),
    );
    expect(notAllowed(links)).toEqual([
      // its own calls are on a stack set the pipeline role has no grant for
      `${INSTANCES}:cloudformation-stackinstances.create-stack-instances:cloudformation:CreateStackInstances ImplicitlyDenied`,
      `${INSTANCES}:cloudformation-stackinstances.describe-stack-set-operation:cloudformation:DescribeStackSetOperation ImplicitlyDenied`,
      `${INSTANCES}:cloudformation-stackinstances.assume-administration-role:sts:AssumeRole Unknown`,
      `${INSTANCES}:cloudformation-stackinstances.assume-administration-role-regional:sts:AssumeRole Unknown`,
      `${INSTANCES}:cloudformation-stackinstances.assume-execution-role:sts:AssumeRole Unknown`,
    ]);
    expect(links.find((l) => l.decision === 'Unknown')!.why).toContain(
      'no CloudFormationStackSet action of pipeline `orders-api` deploys it',
    );
  });

  it('organizational units alone make it service-managed even without the StackSet action', () => {
    const links = stackSetLinks((dir) =>
      editConfig(dir, 'Instances', (c) => {
        c['StackSetName'] = 'created-elsewhere';
        c['DeploymentTargets'] = 'ou-exm1-workload1,r-exm1';
      }),
    );
    expect(links.filter((l) => l.action === 'Instances').map((l) => l.requirement)).toEqual([
      'action.stackset-service-managed',
      'cloudformation-stackinstances.create-stack-instances',
      'cloudformation-stackinstances.describe-stack-set-operation',
    ]);
  });

  it('is Unknown when two StackSet actions deploy the stack set with different roles', () => {
    const links = stackSetLinks((dir) =>
      editJson(join(dir, PIPELINE_FILE), (doc) => {
        const stages = (doc['pipeline'] as Json)['stages'] as { actions: Json[] }[];
        const set = stages[3]!.actions[0]!;
        const copy = JSON.parse(JSON.stringify(set)) as Json;
        copy['name'] = 'StackSetAgain';
        (copy['configuration'] as Json)['ExecutionRoleName'] = 'other-execution';
        stages[3]!.actions.push(copy);
      }),
    );
    const open = links.filter((l) => l.action === 'Instances' && l.decision === 'Unknown');
    expect(open.map((l) => l.requirement)).toEqual([
      'cloudformation-stackinstances.assume-administration-role',
      'cloudformation-stackinstances.assume-administration-role-regional',
      'cloudformation-stackinstances.assume-execution-role',
    ]);
    expect(open[0]!.why).toContain(
      '`DeployGuardrails/StackSet` and `DeployGuardrails/StackSetAgain` deploy',
    );
  });
});

describe('a trust policy that names the stack set by its id', () => {
  const trustNaming = (sourceArn: string) => (dir: string) =>
    editRole(dir, T, 'platform-stackset-administration', (r) => {
      const st = (r['AssumeRolePolicyDocument'] as { Statement: Json[] }).Statement[0]!;
      st['Condition'] = {
        StringEquals: { 'aws:SourceAccount': T, 'aws:SourceArn': sourceArn },
      };
    });

  it('is Unknown: the id is assigned when the stack set is created, and no input gives it', () => {
    const links = stackSetLinks(
      trustNaming(
        `arn:aws:cloudformation:us-east-1:${T}:stackset/org-guardrails:0f5a7c2e-1b3d-4e6f-8a9b-0c1d2e3f4a5b`,
      ),
    );
    expect(notAllowed(links)).toEqual([
      `${SET}:cloudformation-stackset.assume-administration-role:sts:AssumeRole Unknown`,
      `${SET}:cloudformation-stackset.assume-administration-role-regional:sts:AssumeRole:cloudformation.ap-east-1.amazonaws.com Unknown`,
      `${INSTANCES}:cloudformation-stackinstances.assume-administration-role:sts:AssumeRole Unknown`,
      `${INSTANCES}:cloudformation-stackinstances.assume-administration-role-regional:sts:AssumeRole:cloudformation.ap-east-1.amazonaws.com Unknown`,
    ]);
    expect(links.find((l) => l.decision === 'Unknown')!.why).toContain(
      `the trust policy of \`${ADMIN}\` (statement 1) names \`arn:aws:cloudformation:us-east-1:${T}:stackset/org-guardrails:0f5a7c2e-1b3d-4e6f-8a9b-0c1d2e3f4a5b\` in a condition on \`aws:SourceArn\`, and whether that is the id of stack set \`org-guardrails\` is not known: no input gives the id of stack set \`org-guardrails\`, assigned when it is created`,
    );
  });

  it('naming another stack set is still a denial', () => {
    const links = stackSetLinks(
      trustNaming(
        `arn:aws:cloudformation:us-east-1:${T}:stackset/other-set:0f5a7c2e-1b3d-4e6f-8a9b-0c1d2e3f4a5b`,
      ),
    );
    expect(notAllowed(links)).toEqual([
      `${SET}:cloudformation-stackset.assume-administration-role:sts:AssumeRole ImplicitlyDenied`,
      `${SET}:cloudformation-stackset.assume-administration-role-regional:sts:AssumeRole:cloudformation.ap-east-1.amazonaws.com ImplicitlyDenied`,
      `${INSTANCES}:cloudformation-stackinstances.assume-administration-role:sts:AssumeRole ImplicitlyDenied`,
      `${INSTANCES}:cloudformation-stackinstances.assume-administration-role-regional:sts:AssumeRole:cloudformation.ap-east-1.amazonaws.com ImplicitlyDenied`,
    ]);
  });
});

describe('the execution role runs the stack operations in each target account', () => {
  const OPS = [
    'cloudformation:CreateStack',
    'cloudformation:UpdateStack',
    'cloudformation:DeleteStack',
    'cloudformation:DescribeStacks',
  ];
  const ids = (where: string, account: string, decision: string): string[] =>
    OPS.map(
      (op) =>
        `${where}:cloudformation-${where === SET ? 'stackset' : 'stackinstances'}${STACK_OPERATIONS}:${op}:${EXEC(account)} ${decision}`,
    );

  it('one link per target account and operation, called by its execution role, on *', () => {
    const links = operationLinks();
    expect(summary(links)).toEqual([
      ...ids(SET, P, 'Allowed'),
      ...ids(INSTANCES, P, 'Allowed'),
      ...ids(INSTANCES, S, 'Allowed'),
    ]);
    for (const l of links) {
      expect(l.resource, l.id).toBe('*');
      expect(l.level, l.id).toBe('required');
      expect(l.principal, l.id).toBe(l.id.endsWith(EXEC(S)) ? EXEC(S) : EXEC(P));
    }
  });

  it('an execution role without CloudFormation permissions is denied, naming the role', () => {
    const links = operationLinks((dir) =>
      editPolicy(dir, S, 'AWSCloudFormationStackSetExecutionRole', (statements) =>
        statements.map((st) => ({
          ...st,
          Action: (st.Action as string[]).filter((a) => a !== 'cloudformation:*'),
        })),
      ),
    );
    expect(notAllowed(links)).toEqual(ids(INSTANCES, S, 'ImplicitlyDenied'));
    for (const l of links.filter((x) => x.decision !== 'Allowed')) {
      expect(l.principal).toBe(EXEC(S));
      expect(l.fix, l.id).toContain(EXEC(S));
    }
  });

  it('a Deny of DeleteStack denies that operation alone', () => {
    const links = operationLinks((dir) =>
      editPolicy(dir, P, 'AWSCloudFormationStackSetExecutionRole', (statements) => [
        ...statements,
        { Sid: 'NoDelete', Effect: 'Deny', Action: 'cloudformation:DeleteStack', Resource: '*' },
      ]),
    );
    expect(notAllowed(links)).toEqual([
      `${SET}:cloudformation-stackset${STACK_OPERATIONS}:cloudformation:DeleteStack:${EXEC(P)} ExplicitlyDenied`,
      `${INSTANCES}:cloudformation-stackinstances${STACK_OPERATIONS}:cloudformation:DeleteStack:${EXEC(P)} ExplicitlyDenied`,
    ]);
  });

  // IAM authorizes the stack operations on the stack ARN; a stack instance's stack is named
  // StackSet-<stack set name>-<id> (INF): an execution role allowed only on those stacks
  const onStacks = (resource: string) => (dir: string) =>
    editPolicy(dir, S, 'AWSCloudFormationStackSetExecutionRole', (statements) => [
      ...statements.map((st) => ({
        ...st,
        Action: (st.Action as string[]).filter((a) => a !== 'cloudformation:*'),
      })),
      { Sid: 'GuardrailsStacks', Effect: 'Allow', Action: 'cloudformation:*', Resource: resource },
    ]);

  it('an execution role allowed only on the stack set stacks is Unknown, not denied', () => {
    const links = operationLinks(
      onStacks(`arn:aws:cloudformation:*:${S}:stack/StackSet-org-guardrails-*`),
    );
    expect(notAllowed(links)).toEqual(ids(INSTANCES, S, 'Unknown'));
    for (const l of links.filter((x) => x.decision !== 'Allowed'))
      expect(l.why, l.id).toContain(
        `the policies allow \`arn:aws:cloudformation:*:${S}:stack/StackSet-org-guardrails-*/*\` but not \`*\``,
      );
  });

  it('an execution role allowed on * and on the stacks is Allowed', () => {
    const links = operationLinks((dir) => {
      onStacks(`arn:aws:cloudformation:*:${S}:stack/StackSet-org-guardrails-*`)(dir);
      editPolicy(dir, S, 'AWSCloudFormationStackSetExecutionRole', (statements) => [
        ...statements,
        { Sid: 'Everywhere', Effect: 'Allow', Action: 'cloudformation:*', Resource: '*' },
      ]);
    });
    expect(notAllowed(links)).toEqual([]);
  });

  it('an execution role allowed on other stacks only is denied', () => {
    const links = operationLinks(onStacks(`arn:aws:cloudformation:*:${S}:stack/other-*`));
    expect(notAllowed(links)).toEqual(ids(INSTANCES, S, 'ImplicitlyDenied'));
  });

  it('without ExecutionRoleName the callers are not known: Unknown, naming why', () => {
    const links = operationLinks((dir) =>
      editConfig(dir, 'StackSet', (c) => {
        delete c['ExecutionRoleName'];
      }),
    );
    expect(summary(links)).toEqual([
      ...OPS.map((op) => `${SET}:cloudformation-stackset${STACK_OPERATIONS}:${op} Unknown`),
      ...OPS.map(
        (op) => `${INSTANCES}:cloudformation-stackinstances${STACK_OPERATIONS}:${op} Unknown`,
      ),
    ]);
    for (const l of links)
      expect(l.why, l.id).toContain('configuration `ExecutionRoleName` is not set');
  });

  it('targets read from an input artifact file leave them Unknown, naming the file', () => {
    const links = operationLinks((dir) =>
      editConfig(dir, 'Instances', (c) => {
        c['DeploymentTargets'] = 'SourceOutput::guardrails/accounts.json';
      }),
    );
    expect(notAllowed(links)).toEqual(
      OPS.map(
        (op) => `${INSTANCES}:cloudformation-stackinstances${STACK_OPERATIONS}:${op} Unknown`,
      ),
    );
    for (const l of links.filter((x) => x.decision === 'Unknown'))
      expect(l.why, l.id).toContain('`guardrails/accounts.json` of input artifact `SourceOutput`');
  });

  it('service-managed permissions: no execution role link (StackSets manages the roles)', () => {
    const links = operationLinks((dir) =>
      editConfig(dir, 'StackSet', (c) => {
        c['PermissionModel'] = 'SERVICE_MANAGED';
        delete c['AdministrationRoleArn'];
        delete c['ExecutionRoleName'];
      }),
    );
    expect(links).toEqual([]);
  });
});
