/**
 * A Bool condition whose policy value is neither `true` nor `false` is read as `false`
 * (src/evaluate/conditions.ts: bool). The case that decides it: the trust policy the AWS CDK
 * wrote on every CDK Pipelines CodeBuild action role until 2023, which the pipeline role
 * assumes at every run. Those pipelines ran; the CDK fix says the condition let any role of the
 * account assume the role (https://github.com/aws/aws-cdk/pull/25316). Read as "never matches",
 * every such pipeline was denied at its first CodeBuild action.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/evaluate/evaluate.js';

const A = '111122223333';
const PIPELINE_ROLE = `arn:aws:iam::${A}:role/PipelineStack-PipelineRoleB27FAA37-1A2B3C4D5E6F`;
const ACTION_ROLE = `arn:aws:iam::${A}:role/PipelineStack-PipelineCodeBuildActionRole226DB0CB-7G8H9I`;

const trust = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${A}:root` },
      Action: 'sts:AssumeRole',
      Condition: { Bool: { 'aws:ViaAWSService': 'codepipeline.amazonaws.com' } },
    },
  ],
};
const identity = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: ACTION_ROLE }],
};

describe('Bool with a value that is not a boolean', () => {
  const request = (context: Record<string, string>) => ({
    principal: PIPELINE_ROLE,
    action: 'sts:AssumeRole',
    resource: ACTION_ROLE,
    context,
    identityPolicies: [identity],
    resourcePolicy: trust,
  });

  it('holds for a request whose aws:ViaAWSService is false: the pipeline role assumes the action role', () => {
    const r = evaluate(request({ 'aws:ViaAWSService': 'false' }));
    expect(r.decision).toBe('Allowed');
    expect(r.problems.map((p) => p.id)).toEqual(['policy.condition.value-not-boolean']);
  });

  it('does not hold for one whose aws:ViaAWSService is true', () => {
    expect(evaluate(request({ 'aws:ViaAWSService': 'true' })).decision).toBe('ImplicitlyDenied');
  });
});
