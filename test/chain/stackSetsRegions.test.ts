/**
 * The Regions of a StackSets action: the calls that take `cloudformation:TargetRegion`
 * (CreateStackInstances, UpdateStackSet: an ArrayOfString key of the Service Authorization
 * Reference, https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscloudformation.html)
 * carry every Region of `Regions` at once, and a Region disabled by default needs its regional
 * service principal in the administration role's trust policy
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-prereqs-self-managed.html).
 * Each case edits a copy of the pass-stacksets scenario: the StackSet action deploys to
 * us-east-1 and ap-east-1 (disabled by default), the StackInstances action to us-east-1, eu-west-1
 * and ap-east-1.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import type { ReportLink } from '../../src/report/types.js';
import { editJson, inScenarioCopy, type Json } from './scenarioCopy.js';

const SCENARIO = 'fixtures/scenarios/pass-stacksets';
const T = '111111111111';
const PIPELINE_FILE = `${T}/us-east-1/codepipeline/orders-api.json`;
const SET = 'DeployGuardrails/StackSet';
const INSTANCES = 'DeployGuardrails/Instances';
const CREATE_INSTANCES = `${INSTANCES}:cloudformation-stackinstances.create-stack-instances:cloudformation:CreateStackInstances`;
const SET_CREATE_INSTANCES = `${SET}:cloudformation-stackset.create-stack-instances:cloudformation:CreateStackInstances`;
const UPDATE_SET = `${SET}:cloudformation-stackset.update-stack-set:cloudformation:UpdateStackSet`;
const SET_TRUST = `${SET}:cloudformation-stackset.assume-administration-role:sts:AssumeRole`;
const INSTANCES_TRUST = `${INSTANCES}:cloudformation-stackinstances.assume-administration-role:sts:AssumeRole`;

type Statement = Json & { Sid?: string };

function links(edit: (dir: string) => void): ReportLink[] {
  return inScenarioCopy(SCENARIO, (dir) => {
    edit(dir);
    return analyzeModel(loadSnapshot(dir)).pipelines[0]!.links.filter(
      (l) => l.stage === 'DeployGuardrails' && !l.requirement.startsWith('artifacts.'),
    );
  });
}

const decisionOf = (all: readonly ReportLink[], id: string): string =>
  all.find((l) => l.id === id)?.decision ?? `no link ${id}`;

/** Add statements to the pipeline role's inline policy. */
function addStatements(dir: string, statements: Statement[]): void {
  editJson(join(dir, `${T}/iam.json`), (iam) => {
    const role = (iam['RoleDetailList'] as Json[]).find(
      (r) => r['RoleName'] === 'orders-api-pipeline-role',
    )!;
    const policy = (role['RolePolicyList'] as Json[])[0]!['PolicyDocument'] as Json;
    (policy['Statement'] as Statement[]).push(...statements);
  });
}

/** Replace the StackSets grant of the pipeline role (Sid GuardrailsStackSet) for CreateStackInstances. */
function scopeCreateInstances(dir: string, condition: Json | Json[]): void {
  editJson(join(dir, `${T}/iam.json`), (iam) => {
    const role = (iam['RoleDetailList'] as Json[]).find(
      (r) => r['RoleName'] === 'orders-api-pipeline-role',
    )!;
    const policy = (role['RolePolicyList'] as Json[])[0]!['PolicyDocument'] as Json;
    const statements = policy['Statement'] as Statement[];
    const grant = statements.find((s) => s.Sid === 'GuardrailsStackSet')!;
    grant['Action'] = (grant['Action'] as string[]).filter(
      (a) => a !== 'cloudformation:CreateStackInstances',
    );
    const conditions = Array.isArray(condition) ? condition : [condition];
    conditions.forEach((c, i) =>
      statements.push({
        Sid: `CreateInstancesRegions${i}`,
        Effect: 'Allow',
        Action: 'cloudformation:CreateStackInstances',
        Resource: `arn:aws:cloudformation:us-east-1:${T}:stackset/org-guardrails:*`,
        Condition: c,
      }),
    );
  });
}

function editConfig(dir: string, action: string, edit: (config: Json) => void): void {
  editJson(join(dir, PIPELINE_FILE), (doc) => {
    const stages = (doc['pipeline'] as Json)['stages'] as { actions: Json[] }[];
    const a = stages.flatMap((s) => s.actions).find((x) => x['name'] === action)!;
    edit(a['configuration'] as Json);
  });
}

describe('cloudformation:TargetRegion carries the Regions of the action', () => {
  it('a deny of one target Region denies CreateStackInstances', () => {
    const all = links((dir) =>
      addStatements(dir, [
        {
          Sid: 'NoEuWest1',
          Effect: 'Deny',
          Action: 'cloudformation:CreateStackInstances',
          Resource: '*',
          Condition: { 'ForAnyValue:StringEquals': { 'cloudformation:TargetRegion': 'eu-west-1' } },
        },
      ]),
    );
    expect(decisionOf(all, CREATE_INSTANCES)).toBe('ExplicitlyDenied');
    // the StackSet action deploys to us-east-1 only
    expect(decisionOf(all, SET_CREATE_INSTANCES)).toBe('Allowed');
  });

  it('an allow that needs the key and names every Region allows', () => {
    const all = links((dir) =>
      scopeCreateInstances(dir, {
        'ForAllValues:StringEquals': {
          'cloudformation:TargetRegion': ['us-east-1', 'eu-west-1', 'ap-east-1'],
        },
        Null: { 'cloudformation:TargetRegion': 'false' },
      }),
    );
    expect(decisionOf(all, CREATE_INSTANCES)).toBe('Allowed');
  });

  it('an allow of a Region that is not every Region of the call does not allow', () => {
    const all = links((dir) =>
      scopeCreateInstances(dir, {
        'ForAllValues:StringEquals': { 'cloudformation:TargetRegion': 'us-east-1' },
      }),
    );
    expect(decisionOf(all, CREATE_INSTANCES)).toBe('ImplicitlyDenied');
  });

  it('one call with every Region: two statements each allowing one Region allow neither', () => {
    // the call carries both Regions; no statement allows the set
    const all = links((dir) =>
      scopeCreateInstances(dir, [
        { 'ForAllValues:StringEquals': { 'cloudformation:TargetRegion': 'us-east-1' } },
        { 'ForAllValues:StringEquals': { 'cloudformation:TargetRegion': 'eu-west-1' } },
      ]),
    );
    expect(decisionOf(all, CREATE_INSTANCES)).toBe('ImplicitlyDenied');
  });

  it('a single Region is matched by a plain StringEquals', () => {
    const all = links((dir) => {
      scopeCreateInstances(dir, {
        StringEquals: { 'cloudformation:TargetRegion': ['us-east-1', 'eu-west-1'] },
      });
      editConfig(dir, 'Instances', (c) => {
        c['Regions'] = 'eu-west-1';
      });
    });
    expect(decisionOf(all, CREATE_INSTANCES)).toBe('Allowed');
  });

  it('UpdateStackSet carries the Regions too', () => {
    const all = links((dir) =>
      addStatements(dir, [
        {
          Sid: 'NoUsEast1',
          Effect: 'Deny',
          Action: 'cloudformation:UpdateStackSet',
          Resource: '*',
          Condition: { 'ForAnyValue:StringEquals': { 'cloudformation:TargetRegion': 'us-east-1' } },
        },
      ]),
    );
    expect(decisionOf(all, UPDATE_SET)).toBe('ExplicitlyDenied');
  });

  it('DescribeStackSetOperation takes no TargetRegion', () => {
    const all = links((dir) =>
      addStatements(dir, [
        {
          Sid: 'NoTargetRegionKey',
          Effect: 'Deny',
          Action: 'cloudformation:DescribeStackSetOperation',
          Resource: '*',
          Condition: { Null: { 'cloudformation:TargetRegion': 'false' } },
        },
      ]),
    );
    expect(
      decisionOf(
        all,
        `${INSTANCES}:cloudformation-stackinstances.describe-stack-set-operation:cloudformation:DescribeStackSetOperation`,
      ),
    ).toBe('Allowed');
  });

  it.each([
    [
      'absent',
      undefined,
      /`Regions` is not set, which a CloudFormationStackInstances action requires/,
    ],
    ['a variable', '#{Deploy.Regions}', /`Regions` is `.*`, which the input does not settle/],
    ['a file', 'SourceOutput::regions.json', /read at run time from `regions.json`/],
  ])('Regions %s leaves CreateStackInstances Unknown', (_what, value, why) => {
    const all = links((dir) =>
      editConfig(dir, 'Instances', (c) => {
        if (value === undefined) delete c['Regions'];
        else c['Regions'] = value;
      }),
    );
    const link = all.find((l) => l.id === CREATE_INSTANCES)!;
    expect(link.decision).toBe('Unknown');
    expect(link.why).toMatch(why);
  });

  it('DeploymentTargets without Regions leaves the StackSet CreateStackInstances Unknown', () => {
    const all = links((dir) =>
      editConfig(dir, 'StackSet', (c) => {
        delete c['Regions'];
      }),
    );
    const link = all.find((l) => l.id === SET_CREATE_INSTANCES)!;
    expect(link.decision).toBe('Unknown');
    expect(link.why).toMatch(/`Regions` is not set, which `DeploymentTargets` needs/);
  });
});

describe('Regions disabled by default need their regional service principal', () => {
  const REGIONAL = (region: string): string =>
    `${INSTANCES}:cloudformation-stackinstances.assume-administration-role-regional:sts:AssumeRole:cloudformation.${region}.amazonaws.com`;

  /** The administration role's trust policy names the global principal and `principals`. */
  const trustOnly =
    (...principals: string[]) =>
    (dir: string): void =>
      editJson(join(dir, `${T}/iam.json`), (iam) => {
        const role = (iam['RoleDetailList'] as Json[]).find(
          (r) => r['RoleName'] === 'platform-stackset-administration',
        )!;
        const st = (role['AssumeRolePolicyDocument'] as { Statement: Json[] }).Statement[0]!;
        st['Principal'] = { Service: ['cloudformation.amazonaws.com', ...principals] };
      });

  it('a Region disabled by default: its regional principal must be trusted too, one link per such Region', () => {
    const regional = (all: readonly ReportLink[]) =>
      all
        .filter((l) => l.requirement.endsWith('-regional'))
        .map((l) => `${l.id} ${l.principal} ${l.decision}`);
    const SET_REGIONAL = `${SET}:cloudformation-stackset.assume-administration-role-regional:sts:AssumeRole:cloudformation.ap-east-1.amazonaws.com`;
    // the scenario trusts cloudformation.ap-east-1.amazonaws.com: one link per action, for the
    // one Region of each disabled by default, its caller the regional service principal
    expect(regional(links(() => {}))).toEqual([
      `${SET_REGIONAL} cloudformation.ap-east-1.amazonaws.com Allowed`,
      `${REGIONAL('ap-east-1')} cloudformation.ap-east-1.amazonaws.com Allowed`,
    ]);
    // trusting the global principal only: the regional links are denied, the global ones allowed
    const globalOnly = links(trustOnly());
    expect(regional(globalOnly)).toEqual([
      `${SET_REGIONAL} cloudformation.ap-east-1.amazonaws.com ImplicitlyDenied`,
      `${REGIONAL('ap-east-1')} cloudformation.ap-east-1.amazonaws.com ImplicitlyDenied`,
    ]);
    expect(decisionOf(globalOnly, INSTANCES_TRUST)).toBe('Allowed');
    expect(decisionOf(globalOnly, SET_TRUST)).toBe('Allowed');
    // another Region's principal does not stand for it
    const other = links(trustOnly('cloudformation.me-south-1.amazonaws.com'));
    expect(decisionOf(other, REGIONAL('ap-east-1'))).toBe('ImplicitlyDenied');
    // Regions enabled by default only: no regional link
    const enabled = links((dir) => {
      editConfig(dir, 'StackSet', (c) => {
        c['Regions'] = 'us-east-1';
      });
      editConfig(dir, 'Instances', (c) => {
        c['Regions'] = 'us-east-1,eu-west-1';
      });
    });
    expect(regional(enabled)).toEqual([]);
  });

  it('a Region not known to be enabled by default is Unknown, naming its regional principal', () => {
    const all = links((dir) =>
      editConfig(dir, 'StackSet', (c) => {
        c['Regions'] = 'xx-newplace-1';
      }),
    );
    const regional = all.filter(
      (l) => l.requirement === 'cloudformation-stackset.assume-administration-role-regional',
    );
    expect(regional.map((l) => l.decision)).toEqual(['Unknown']);
    expect(regional[0]!.why).toContain('`cloudformation.xx-newplace-1.amazonaws.com`');
    expect(decisionOf(all, SET_TRUST)).toBe('Allowed');
  });
});

describe('a StackSet action without Regions and DeploymentTargets updates the existing instances', () => {
  const existing = (dir: string): void =>
    editConfig(dir, 'StackSet', (c) => {
      delete c['Regions'];
      delete c['DeploymentTargets'];
    });
  const denyRegion = (dir: string): void =>
    addStatements(dir, [
      {
        Sid: 'NoApEast1',
        Effect: 'Deny',
        Action: 'cloudformation:UpdateStackSet',
        Resource: '*',
        Condition: { 'ForAnyValue:StringEquals': { 'cloudformation:TargetRegion': 'ap-east-1' } },
      },
    ]);

  it('UpdateStackSet is Unknown when a policy tests cloudformation:TargetRegion (a deny of one Region)', () => {
    const all = links((dir) => {
      existing(dir);
      denyRegion(dir);
    });
    const link = all.find((l) => l.id === UPDATE_SET)!;
    expect(link.decision).toBe('Unknown');
    expect(link.why).toContain('`cloudformation:TargetRegion`');
    expect(link.why).toContain("the stack set's existing instances, whose Regions are in no input");
  });

  it('UpdateStackSet is Unknown for an allow that needs the key too', () => {
    const all = links((dir) => {
      existing(dir);
      addStatements(dir, [
        {
          Sid: 'OnlyUsEast1',
          Effect: 'Deny',
          Action: 'cloudformation:UpdateStackSet',
          Resource: '*',
          Condition: {
            'ForAnyValue:StringNotEquals': { 'cloudformation:TargetRegion': 'us-east-1' },
          },
        },
      ]);
    });
    expect(decisionOf(all, UPDATE_SET)).toBe('Unknown');
  });

  it('UpdateStackSet is still decided when no policy tests the key', () => {
    const all = links(existing);
    expect(decisionOf(all, UPDATE_SET)).toBe('Allowed');
    // the same deny with the Regions named: decided on them
    const named = links((dir) => {
      denyRegion(dir);
      editConfig(dir, 'StackSet', (c) => {
        c['Regions'] = 'us-east-1';
      });
    });
    expect(decisionOf(named, UPDATE_SET)).toBe('Allowed');
  });

  it('the regional trust is Unknown: an existing instance may be in a Region disabled by default', () => {
    const all = links(existing);
    // the global principal's trust is decided; a regional one may be needed
    expect(decisionOf(all, SET_TRUST)).toBe('Allowed');
    const link = all.find(
      (l) => l.requirement === 'cloudformation-stackset.assume-administration-role-regional',
    )!;
    expect(link.decision).toBe('Unknown');
    expect(link.why).toContain("the stack set's existing instances, whose Regions are in no input");
    expect(link.why).toContain('`cloudformation.<region>.amazonaws.com`');
  });
});
