/**
 * An Elastic Beanstalk deploy calls CloudFormation on the environment's stack,
 * `awseb-e-<environment id>-stack`, and Auto Scaling on its group,
 * `…:autoScalingGroup:<group id>:autoScalingGroupName/awseb-e-<environment id>-stack-AWSEBAutoScalingGroup-<suffix>`
 * (elasticbeanstalk.json). No input gives the environment id (the snapshot format has no
 * Beanstalk file, and an AWS::ElasticBeanstalk::Environment gives its name and endpoint, not its
 * id), nor the group's id or the suffix CloudFormation gives its name: the catalog writes `*`
 * for them. Like a stack's id, each `*` stands for an id no policy names, not a wildcard: a
 * policy that covers every id decides the link, one that names a single environment (a tight
 * grant, or a Deny of one environment) may or may not name this one, so the link is Unknown.
 * Each case edits the all-providers scenario, whose platform-legacy pipeline deploys
 * platform-legacy-prod with the pipeline role.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import type { ReportLink } from '../../src/report/types.js';
import { editJson, inScenarioCopy } from './scenarioCopy.js';

const SCENARIO = 'fixtures/scenarios/all-providers';
const A = '111111111111';
const STACKS = `arn:aws:cloudformation:us-east-1:${A}:stack`;
const GROUPS = `arn:aws:autoscaling:us-east-1:${A}:autoScalingGroup`;
/** the link resources, as the catalog writes them */
const STACK = `${STACKS}/awseb-e-*-stack/*`;
const GROUP = `${GROUPS}:*:autoScalingGroupName/awseb-e-*-stack-AWSEBAutoScalingGroup-*`;
/** one environment's stack and group, as a least-privilege policy names them */
const ENV = 'e-abcd1234ef';
const ENV_STACK = `${STACKS}/awseb-${ENV}-stack/*`;
const ENV_GROUP = `${GROUPS}:*:autoScalingGroupName/awseb-${ENV}-stack-AWSEBAutoScalingGroup-*`;
const GROUP_ID = '6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b';
const STACK_ID = '0f5a7c2e-1b3d-4e6f-8a9b-0c1d2e3f4a5b';

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
}
type Role = { RoleName: string; RolePolicyList: { PolicyDocument: { Statement: Statement[] } }[] };

/** The Beanstalk action's required environment links after `edit` of the pipeline role. */
function environmentLinks(edit: (statements: Statement[]) => Statement[]): ReportLink[] {
  return inScenarioCopy(SCENARIO, (dir) => {
    editJson(join(dir, `${A}/iam.json`), (doc) => {
      const role = (doc['RoleDetailList'] as Role[]).find(
        (r) => r.RoleName === 'platform-pipeline-role',
      )!;
      const policy = role.RolePolicyList[0]!.PolicyDocument;
      policy.Statement = edit(policy.Statement);
    });
    const p = analyzeModel(loadSnapshot(dir), { pipelines: ['platform-legacy'] }).pipelines[0]!;
    return p.links
      .filter(
        (l) =>
          l.action === 'Beanstalk' &&
          l.level === 'required' &&
          l.requirement.startsWith('elasticbeanstalk.environment-'),
      )
      .sort((a, b) => a.permission.localeCompare(b.permission));
  });
}

/**
 * The scenario's grants on the stacks and on Auto Scaling, replaced: `groups` for the calls on
 * the group, and the Describe calls (which have no resource type) on `*` unless `describe` is
 * false.
 */
const granting =
  (stacks: string | string[], groups: string | string[], describe = true) =>
  (s: Statement[]): Statement[] => [
    ...s.map((x) =>
      x.Sid === 'ElasticBeanstalkStacks'
        ? { ...x, Resource: stacks }
        : x.Sid === 'ElasticBeanstalkAutoScaling'
          ? {
              ...x,
              Action: ['autoscaling:SuspendProcesses', 'autoscaling:ResumeProcesses'],
              Resource: groups,
            }
          : x,
    ),
    ...(describe
      ? [
          {
            Sid: 'DescribeAutoScaling',
            Effect: 'Allow',
            Action: [
              'autoscaling:DescribeAutoScalingGroups',
              'autoscaling:DescribeScalingActivities',
            ],
            Resource: '*',
          },
        ]
      : []),
  ];

const summary = (links: readonly ReportLink[]): string[] =>
  links.map((l) => `${l.permission} ${l.decision}`);

const STACK_CALLS = [
  'cloudformation:DescribeStackResource',
  'cloudformation:DescribeStackResources',
];
const GROUP_CALLS = ['autoscaling:ResumeProcesses', 'autoscaling:SuspendProcesses'];
const DESCRIBE_CALLS = [
  'autoscaling:DescribeAutoScalingGroups',
  'autoscaling:DescribeScalingActivities',
];

/** `permission decision` for every environment link, sorted by permission. */
function expected(stack: string, group: string, describe: string): string[] {
  return [
    ...DESCRIBE_CALLS.map((c) => `${c} ${describe}`),
    ...GROUP_CALLS.map((c) => `${c} ${group}`),
    ...STACK_CALLS.map((c) => `${c} ${stack}`),
  ];
}

/** No made-up id reaches the report: the links show `*` where the input gives no id. */
function showsNoMadeUpId(links: readonly ReportLink[]): void {
  for (const l of links) {
    const text = JSON.stringify(l);
    expect(text, l.id).not.toMatch(/awseb-e-0+-stack/);
    expect(text, l.id).not.toContain('00000000-0000-4000-8000-000000000000');
    expect(text, l.id).not.toContain('AWSEBAutoScalingGroup-0');
  }
}

describe('the Elastic Beanstalk environment id, which no input gives', () => {
  it('a policy over every environment (`awseb-e-*-stack/*`, the groups by pattern): allowed', () => {
    const ls = environmentLinks(
      granting(`${STACKS}/awseb-e-*-stack/*`, [`${GROUPS}:*:autoScalingGroupName/awseb-e-*`]),
    );
    expect(summary(ls)).toEqual(expected('Allowed', 'Allowed', 'Allowed'));
    expect(
      ls.filter((l) => l.permission.startsWith('cloudformation:')).map((l) => l.resource),
    ).toEqual([STACK, STACK]);
    showsNoMadeUpId(ls);
  });

  it('no grant on the stacks or groups: denied', () => {
    const ls = environmentLinks(
      granting(`${STACKS}/platform-web/*`, 'arn:aws:s3:::nothing', false),
    );
    expect(summary(ls)).toEqual(
      expected('ImplicitlyDenied', 'ImplicitlyDenied', 'ImplicitlyDenied'),
    );
    showsNoMadeUpId(ls);
  });

  it("a policy that names one environment's stack and group: Unknown, naming the environment id", () => {
    const ls = environmentLinks(
      granting(ENV_STACK, [ENV_GROUP, `${GROUPS}:*:autoScalingGroupName/other`], false),
    );
    // the Describe calls have no resource type: only `*` allows them, and it is not granted
    expect(summary(ls)).toEqual(expected('Unknown', 'Unknown', 'ImplicitlyDenied'));
    for (const l of ls.filter((x) => x.decision === 'Unknown')) {
      expect(l.resource).toBe(l.permission.startsWith('cloudformation:') ? STACK : GROUP);
      expect(l.why).toContain(l.permission.startsWith('cloudformation:') ? ENV_STACK : ENV_GROUP);
      expect(l.why).toContain('statement `ElasticBeanstalk');
      expect(l.why).toContain('no input gives the id of the Elastic Beanstalk environment');
      expect(l.why).not.toContain("the id of the environment's Auto Scaling group");
      expect(l.missing).toEqual([]);
    }
    showsNoMadeUpId(ls);
  });

  it('the full ARNs of one environment, with the stack id, group id and name suffix: Unknown', () => {
    const stack = `${STACKS}/awseb-${ENV}-stack/${STACK_ID}`;
    const group = `${GROUPS}:${GROUP_ID}:autoScalingGroupName/awseb-${ENV}-stack-AWSEBAutoScalingGroup-1A2B3C4D5E6F7`;
    const ls = environmentLinks(granting(stack, group));
    expect(summary(ls)).toEqual(expected('Unknown', 'Unknown', 'Allowed'));
    const describeStack = ls.find((l) => l.permission === 'cloudformation:DescribeStackResource')!;
    expect(describeStack.why).toContain(stack);
    expect(describeStack.why).toContain('the id of the Elastic Beanstalk environment');
    expect(describeStack.why).toContain('the id of stack `awseb-e-*-stack`');
    const suspend = ls.find((l) => l.permission === 'autoscaling:SuspendProcesses')!;
    expect(suspend.why).toContain(group);
    expect(suspend.why).toContain('the id of the Elastic Beanstalk environment');
    expect(suspend.why).toContain("the id of the environment's Auto Scaling group");
    expect(suspend.why).toContain("the end of the name of the environment's Auto Scaling group");
    showsNoMadeUpId(ls);
  });

  it('the group named by its id only, or by its name without the suffix CloudFormation adds: Unknown', () => {
    for (const group of [
      `${GROUPS}:${GROUP_ID}:autoScalingGroupName/*`,
      `${GROUPS}:*:autoScalingGroupName/awseb-e-*-stack-AWSEBAutoScalingGroup-1A2B3C4D5E6F7`,
    ]) {
      const ls = environmentLinks(granting(`${STACKS}/awseb-e-*`, group));
      expect(summary(ls), group).toEqual(expected('Allowed', 'Unknown', 'Allowed'));
    }
  });

  it('a Deny of one environment beside an allow of every environment: Unknown, not allowed', () => {
    const ls = environmentLinks((s) => [
      ...s,
      {
        Sid: 'NotProduction',
        Effect: 'Deny',
        Action: ['cloudformation:*', 'autoscaling:*'],
        Resource: [ENV_STACK, ENV_GROUP],
      },
    ]);
    expect(summary(ls)).toEqual(expected('Unknown', 'Unknown', 'Allowed'));
    for (const l of ls.filter((x) => x.decision === 'Unknown')) {
      expect(l.why).toContain('statement `NotProduction`');
      expect(l.why).toContain('no input gives the id of the Elastic Beanstalk environment');
    }
    showsNoMadeUpId(ls);
  });

  it('a Deny of every environment: denied', () => {
    const ls = environmentLinks((s) => [
      ...s,
      {
        Sid: 'NoBeanstalk',
        Effect: 'Deny',
        Action: ['cloudformation:*', 'autoscaling:*'],
        Resource: [`${STACKS}/awseb-e-*`, `${GROUPS}:*:autoScalingGroupName/awseb-e-*`],
      },
    ]);
    expect(summary(ls)).toEqual(expected('ExplicitlyDenied', 'ExplicitlyDenied', 'Allowed'));
  });

  it('a pattern over some environment ids only (a prefix; a length AWS does not document): Unknown', () => {
    for (const env of ['e-a*', 'e-??????????']) {
      const ls = environmentLinks(
        granting(
          `${STACKS}/awseb-${env}-stack/*`,
          `${GROUPS}:*:autoScalingGroupName/awseb-${env}-stack-AWSEBAutoScalingGroup-*`,
        ),
      );
      expect(summary(ls), env).toEqual(expected('Unknown', 'Unknown', 'Allowed'));
    }
  });

  it("another account's or another region's environment, or another stack: denied", () => {
    for (const [stack, group] of [
      [
        `arn:aws:cloudformation:us-east-1:222222222222:stack/awseb-${ENV}-stack/*`,
        `arn:aws:autoscaling:us-east-1:222222222222:autoScalingGroup:*:autoScalingGroupName/awseb-${ENV}-stack-AWSEBAutoScalingGroup-*`,
      ],
      [
        `arn:aws:cloudformation:eu-west-1:${A}:stack/awseb-${ENV}-stack/*`,
        `arn:aws:autoscaling:eu-west-1:${A}:autoScalingGroup:*:autoScalingGroupName/awseb-${ENV}-stack-AWSEBAutoScalingGroup-*`,
      ],
      [`${STACKS}/awseb-${ENV}-other/*`, `${GROUPS}:*:autoScalingGroupName/awseb-${ENV}-other-*`],
    ] as const) {
      const ls = environmentLinks(granting(stack, group));
      expect(summary(ls), stack).toEqual(
        expected('ImplicitlyDenied', 'ImplicitlyDenied', 'Allowed'),
      );
    }
  });
});
