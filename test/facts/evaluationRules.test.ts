/**
 * Part 2 of the fact sheet (/work/shared/aws-facts.md, "Evaluation rules for an offline
 * evaluator"): the rules the audit found no test for, each asserted through `evaluate()` and
 * named by its section. The rules that already had a test are listed in the audit report, not
 * repeated here.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/evaluate/evaluate.js';
import type { EvaluationRequest } from '../../src/evaluate/types.js';

const A = '111111111111';
const B = '222222222222';
const ROLE = `arn:aws:iam::${A}:role/app`;
const ROLE_B = `arn:aws:iam::${B}:role/deployer`;
const SESSION = `arn:aws:sts::${A}:assumed-role/app/s1`;
const ROOT = `arn:aws:iam::${A}:root`;
const OBJECT = 'arn:aws:s3:::artifacts/key';
const KEY = `arn:aws:kms:us-east-1:${A}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

type Stmt = Record<string, unknown>;
const doc = (...Statement: Stmt[]) => ({ Version: '2012-10-17', Statement });
const allow = (Action: unknown, Resource: unknown = '*', extra: Stmt = {}): Stmt => ({
  Effect: 'Allow',
  Action,
  Resource,
  ...extra,
});
const grant = (Principal: unknown, Action: unknown, extra: Stmt = {}): Stmt => ({
  Effect: 'Allow',
  Principal,
  Action,
  Resource: '*',
  ...extra,
});
const denyAll = doc({ Effect: 'Deny', Principal: '*', Action: '*', Resource: '*' });

function run(r: Partial<EvaluationRequest>) {
  return evaluate({
    principal: ROLE,
    action: 's3:GetObject',
    resource: OBJECT,
    resourceAccount: A,
    ...r,
  } as EvaluationRequest);
}

describe('§2.1 scope of RCPs', () => {
  // "RCPs apply only to ... the listed services" (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html).
  // One request per service; the caller is allowed by everything else, so only the RCP decides.
  const full = doc(allow('*'));
  const trustRole = doc(grant({ AWS: ROLE }, 'sts:AssumeRole'));
  const keyPolicy = doc(grant({ AWS: ROLE }, 'kms:*'));
  const listed: [string, Partial<EvaluationRequest>][] = [
    ['s3', { action: 's3:GetObject', resource: OBJECT }],
    ['kms', { action: 'kms:Decrypt', resource: KEY, resourcePolicy: keyPolicy }],
    [
      'sts',
      {
        action: 'sts:AssumeRole',
        resource: `arn:aws:iam::${A}:role/target`,
        resourcePolicy: trustRole,
      },
    ],
    [
      'codebuild',
      { action: 'codebuild:StartBuild', resource: `arn:aws:codebuild:us-east-1:${A}:project/p` },
    ],
    [
      'codecommit',
      { action: 'codecommit:GitPull', resource: `arn:aws:codecommit:us-east-1:${A}:r` },
    ],
    [
      'codepipeline',
      {
        action: 'codepipeline:StartPipelineExecution',
        resource: `arn:aws:codepipeline:us-east-1:${A}:p`,
      },
    ],
    ['ecr', { action: 'ecr:BatchGetImage', resource: `arn:aws:ecr:us-east-1:${A}:repository/r` }],
    [
      'logs',
      {
        action: 'logs:PutLogEvents',
        resource: `arn:aws:logs:us-east-1:${A}:log-group:g:log-stream:s`,
      },
    ],
    [
      'secretsmanager',
      {
        action: 'secretsmanager:GetSecretValue',
        resource: `arn:aws:secretsmanager:us-east-1:${A}:secret:s-AbCdEf`,
      },
    ],
    [
      'events',
      { action: 'events:PutEvents', resource: `arn:aws:events:us-east-1:${A}:event-bus/default` },
    ],
  ];
  const notListed: [string, Partial<EvaluationRequest>][] = [
    [
      'codedeploy',
      {
        action: 'codedeploy:CreateDeployment',
        resource: `arn:aws:codedeploy:us-east-1:${A}:deploymentgroup:app/group`,
      },
    ],
    [
      'cloudformation',
      {
        action: 'cloudformation:UpdateStack',
        resource: `arn:aws:cloudformation:us-east-1:${A}:stack/s/0a1b2c3d`,
      },
    ],
    ['ecs', { action: 'ecs:UpdateService', resource: `arn:aws:ecs:us-east-1:${A}:service/c/s` }],
    [
      'lambda',
      { action: 'lambda:InvokeFunction', resource: `arn:aws:lambda:us-east-1:${A}:function:f` },
    ],
    ['sns', { action: 'sns:Publish', resource: `arn:aws:sns:us-east-1:${A}:topic` }],
    [
      'states',
      { action: 'states:StartExecution', resource: `arn:aws:states:us-east-1:${A}:stateMachine:m` },
    ],
    ['iam', { action: 'iam:PassRole', resource: `arn:aws:iam::${A}:role/exec` }],
  ];

  it.each(listed)('an RCP Deny applies to %s, a listed service', (_service, request) => {
    const base = { identityPolicies: [full], ...request };
    expect(run(base).decision).toBe('Allowed');
    const r = run({ ...base, rcps: [[denyAll]] });
    expect(r.decision).toBe('ExplicitlyDenied');
    expect(r.deniedBy.map((d) => d.policyType)).toEqual(['rcp']);
  });

  it.each(notListed)('an RCP Deny does not apply to %s, which is not listed', (_s, request) => {
    expect(run({ identityPolicies: [full], ...request, rcps: [[denyAll]] }).decision).toBe(
      'Allowed',
    );
  });

  it('RCPs apply to the account root user too, of the account and of another', () => {
    // "RCPs apply to ... the root user" (orgs_manage_policies_rcps.html)
    expect(run({ principal: ROOT }).decision).toBe('Allowed');
    expect(run({ principal: ROOT, rcps: [[denyAll]] }).decision).toBe('ExplicitlyDenied');
    const rootB = {
      principal: `arn:aws:iam::${B}:root`,
      resourcePolicy: doc(grant({ AWS: B }, 's3:GetObject')),
    };
    expect(run(rootB).decision).toBe('Allowed');
    expect(run({ ...rootB, rcps: [[denyAll]] }).decision).toBe('ExplicitlyDenied');
  });
});

describe('§2.2 what a resource-policy Allow achieves', () => {
  // "Principal":"*" with an aws:PrincipalArn condition is not limited by the boundary or the
  // session policy (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html)
  const byArn = doc(
    grant('*', 's3:GetObject', { Condition: { ArnEquals: { 'aws:PrincipalArn': ROLE } } }),
  );
  const narrow = doc(allow('ec2:*'));

  it('`*` with an aws:PrincipalArn condition: not limited by the boundary or the session policy', () => {
    expect(run({ resourcePolicy: byArn }).decision).toBe('Allowed');
    expect(run({ resourcePolicy: byArn, permissionBoundary: narrow }).decision).toBe('Allowed');
    expect(run({ resourcePolicy: byArn, sessionPolicy: narrow }).decision).toBe('Allowed');
    expect(
      run({ principal: SESSION, resourcePolicy: byArn, permissionBoundary: narrow }).decision,
    ).toBe('Allowed');
    // the condition still has to hold: another role is not let in
    expect(run({ principal: `arn:aws:iam::${A}:role/other`, resourcePolicy: byArn }).decision).toBe(
      'ImplicitlyDenied',
    );
  });

  it('`*` with an aws:PrincipalArn condition: an explicit Deny in the identity policy still denies', () => {
    const r = run({
      resourcePolicy: byArn,
      identityPolicies: [doc({ Effect: 'Deny', Action: 's3:GetObject', Resource: '*' })],
    });
    expect(r.decision).toBe('ExplicitlyDenied');
    expect(r.deniedBy.map((d) => d.policyType)).toEqual(['identity']);
  });

  it('`*` across accounts: the caller also needs its own identity Allow', () => {
    const open = doc(grant('*', 's3:GetObject'));
    const cross = { principal: ROLE_B, resourcePolicy: open };
    const r = run(cross);
    expect(r.decision).toBe('ImplicitlyDenied');
    expect(r.deniedBy.map((d) => d.policyType)).toEqual(['identity']);
    expect(run({ ...cross, identityPolicies: [doc(allow('s3:GetObject'))] }).decision).toBe(
      'Allowed',
    );
  });
});

describe('§2.4 KMS: not even the root user has access unless the key policy allows it', () => {
  // "No AWS principal, including the account root user or key creator, has any permissions to a
  // KMS key unless they are explicitly allowed" (https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html)
  const kms = { principal: ROOT, action: 'kms:Decrypt', resource: KEY };

  it('a key policy naming only a role does not let the root user in', () => {
    const r = run({ ...kms, resourcePolicy: doc(grant({ AWS: ROLE }, 'kms:*')) });
    expect(r.decision).toBe('ImplicitlyDenied');
    expect(r.deniedBy.map((d) => d.policyType)).toEqual(['resource']);
    expect(run(kms).decision).toBe('ImplicitlyDenied');
  });

  it('the default statement naming the account lets it in', () => {
    expect(run({ ...kms, resourcePolicy: doc(grant({ AWS: ROOT }, 'kms:*')) }).decision).toBe(
      'Allowed',
    );
  });
});

describe('§2.7 Principal: no partial wildcards', () => {
  // "You cannot use a wildcard to match part of a principal name or ARN"
  // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html)
  it('`role/ap*` names no role: the grant lets nobody in, and a warning says why', () => {
    const r = run({ resourcePolicy: doc(grant({ AWS: `arn:aws:iam::${A}:role/ap*` }, 's3:*')) });
    expect(r.decision).toBe('ImplicitlyDenied');
    expect(r.problems.map((p) => p.id)).toContain('policy.principal.partial-wildcard');
  });

  it('a Deny naming `role/ap*` denies nobody either', () => {
    const r = run({
      identityPolicies: [doc(allow('s3:*'))],
      resourcePolicy: doc({
        Effect: 'Deny',
        Principal: { AWS: `arn:aws:iam::${A}:role/ap*` },
        Action: 's3:*',
        Resource: '*',
      }),
    });
    expect(r.decision).toBe('Allowed');
  });
});

describe('§2.9 / §2.10 aws:username is absent for a role session', () => {
  // "aws:username ... is not present for ... a role session"; use aws:userid
  // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html)
  it('a Resource written with ${aws:username} matches nothing for a session', () => {
    const p = doc(allow('s3:GetObject', 'arn:aws:s3:::artifacts/${aws:username}/*'));
    for (const name of ['app', 's1', '']) {
      expect(
        run({
          principal: SESSION,
          identityPolicies: [p],
          resource: `arn:aws:s3:::artifacts/${name}/x`,
        }).decision,
      ).toBe('ImplicitlyDenied');
    }
  });

  it('a Null test reads it absent', () => {
    const present = doc(
      allow('s3:GetObject', '*', { Condition: { Null: { 'aws:username': 'false' } } }),
    );
    expect(run({ principal: SESSION, identityPolicies: [present] }).decision).toBe(
      'ImplicitlyDenied',
    );
    const absent = doc(
      allow('s3:GetObject', '*', { Condition: { Null: { 'aws:username': 'true' } } }),
    );
    expect(run({ principal: SESSION, identityPolicies: [absent] }).decision).toBe('Allowed');
  });
});
