/**
 * Elastic Beanstalk deploys with the caller's credentials: it "requires AWS CloudFormation
 * permissions to orchestrate resource deployments and updates"
 * (https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/concepts-roles-user.html), and
 * CodePipeline's action reference grants cloudformation:* and autoscaling:* among others
 * (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-Beanstalk.html).
 * A role with only the elasticbeanstalk: calls cannot deploy; the CloudFormation and Auto Scaling
 * calls every deployment makes are checked. Each case edits the all-providers scenario, whose
 * platform-legacy pipeline deploys platform-legacy-prod with the pipeline role, which has the
 * documented grants scoped to the environment's awseb- stacks.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import { editJson, inScenarioCopy } from './scenarioCopy.js';

const SCENARIO = 'fixtures/scenarios/all-providers';

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
}
type Role = { RoleName: string; RolePolicyList: { PolicyDocument: { Statement: Statement[] } }[] };

/** The Beanstalk action's required links beyond elasticbeanstalk:, `permission decision`. */
function environmentCalls(edit: (statements: Statement[]) => Statement[]): string[] {
  return inScenarioCopy(SCENARIO, (dir) => {
    editJson(join(dir, '111111111111/iam.json'), (doc) => {
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
      .map((l) => `${l.permission} ${l.decision}`)
      .sort();
  });
}

const ALL = [
  'autoscaling:DescribeAutoScalingGroups',
  'autoscaling:DescribeScalingActivities',
  'autoscaling:ResumeProcesses',
  'autoscaling:SuspendProcesses',
  'cloudformation:DescribeStackResource',
  'cloudformation:DescribeStackResources',
];

describe('an Elastic Beanstalk deploy, which updates the environment with the caller', () => {
  it('is allowed with the documented cloudformation:* and autoscaling:* grants', () => {
    expect(environmentCalls((s) => s)).toEqual(ALL.map((a) => `${a} Allowed`));
  });

  it('is denied to a role that may only make the elasticbeanstalk: calls', () => {
    const onlyBeanstalk = (s: Statement[]) =>
      s.filter(
        (x) => x.Sid !== 'ElasticBeanstalkStacks' && x.Sid !== 'ElasticBeanstalkAutoScaling',
      );
    expect(environmentCalls(onlyBeanstalk)).toEqual(ALL.map((a) => `${a} ImplicitlyDenied`));
  });

  it("checks the stack calls on the environment's awseb- stack, not another stack", () => {
    const otherStack = (s: Statement[]) =>
      s.map((x) =>
        x.Sid === 'ElasticBeanstalkStacks'
          ? { ...x, Resource: 'arn:aws:cloudformation:us-east-1:111111111111:stack/platform-web/*' }
          : x,
      );
    expect(environmentCalls(otherStack)).toEqual([
      'autoscaling:DescribeAutoScalingGroups Allowed',
      'autoscaling:DescribeScalingActivities Allowed',
      'autoscaling:ResumeProcesses Allowed',
      'autoscaling:SuspendProcesses Allowed',
      'cloudformation:DescribeStackResource ImplicitlyDenied',
      'cloudformation:DescribeStackResources ImplicitlyDenied',
    ]);
  });
});
