/**
 * Rules of the AWS documentation that an evaluator review found missing: each test would fail
 * if the rule were not applied (the decision without it is given in the test's comment).
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/evaluate/evaluate.js';
import type { EvaluationRequest } from '../../src/evaluate/types.js';

const A = '111122223333';
const B = '444455556666';
const KEY = `arn:aws:kms:us-east-1:${A}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const ALIAS = `arn:aws:kms:us-east-1:${A}:alias/test-key`;

type Stmt = Record<string, unknown>;
const doc = (...Statement: Stmt[]) => ({ Version: '2012-10-17', Statement });
const allow = (Action: string | string[], Resource: string | string[] = '*', extra: Stmt = {}) =>
  doc({ Effect: 'Allow', Action, Resource, ...extra });
/** an RCP that denies every principal outside the organization */
const rcpOrgOnly = (Action: string) =>
  doc({
    Effect: 'Deny',
    Principal: '*',
    Action,
    Resource: '*',
    Condition: { StringNotEqualsIfExists: { 'aws:PrincipalOrgID': 'o-exampleorg' } },
  });

const run = (r: EvaluationRequest) => evaluate(r);

// "If a user is listed as the principal in a role's trust policy but cannot assume the role,
// check the user's permissions boundary. If a permissions boundary is set for the user, then it
// must allow the sts:AssumeRole action"
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_update-role-trust-policy.html)
describe("a role's trust policy naming an IAM user", () => {
  const USER = `arn:aws:iam::${A}:user/alice`;
  const trust = doc({ Effect: 'Allow', Principal: { AWS: USER }, Action: 'sts:AssumeRole' });
  const base = {
    principal: USER,
    action: 'sts:AssumeRole',
    resource: `arn:aws:iam::${A}:role/deployer`,
    resourcePolicy: trust,
  };

  it('is limited by the user’s boundary (was Allowed)', () => {
    const r = run({ ...base, permissionBoundary: allow('s3:*') });
    expect(r.decision).toBe('ImplicitlyDenied');
    expect(r.deniedBy).toEqual([{ policyType: 'permissionBoundary', policy: 1, explicit: false }]);
  });

  it('allows when the boundary allows sts:AssumeRole, with no identity policy', () => {
    const r = run({ ...base, permissionBoundary: allow('sts:AssumeRole') });
    expect(r.decision).toBe('Allowed');
    expect(r.allowedBy.map((x) => x.policyType)).toEqual(['resource', 'permissionBoundary']);
  });

  it('a user without a boundary needs only the trust policy', () => {
    expect(run(base).decision).toBe('Allowed');
  });
});

// The principal table of
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#principaltable:
// aws:userid is the account id for the root user, `account:caller-specified-name` for an STS
// federated user
describe('aws:userid', () => {
  it('is the account id for the root user: the usual "deny all but" bucket policy exempts root (was ExplicitlyDenied)', () => {
    const r = run({
      principal: `arn:aws:iam::${A}:root`,
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::example-bucket/key',
      resourcePolicy: doc({
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: 'arn:aws:s3:::example-bucket/*',
        Condition: { StringNotLike: { 'aws:userid': ['AROAEXAMPLEID:*', A] } },
      }),
    });
    expect(r.decision).toBe('Allowed');
  });

  it('is account:name for a federated user, as a variable (was ImplicitlyDenied)', () => {
    const r = run({
      principal: `arn:aws:sts::${A}:federated-user/bob`,
      action: 's3:GetObject',
      resource: `arn:aws:s3:::example-bucket/home/${A}:bob/file`,
      identityPolicies: [allow('s3:GetObject', 'arn:aws:s3:::example-bucket/home/${aws:userid}/*')],
      sessionPolicy: allow('s3:*'),
    });
    expect(r.decision).toBe('Allowed');
  });

  it('is not made up for a role session (its unique id is in no ARN)', () => {
    const r = run({
      principal: `arn:aws:sts::${A}:assumed-role/app/s-1`,
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::b/k',
      identityPolicies: [
        allow('s3:GetObject', '*', { Condition: { Null: { 'aws:userid': 'true' } } }),
      ],
    });
    expect(r.decision).toBe('Allowed');
  });
});

// "kms:CreateAlias for the alias. Provide this permission in an IAM policy that is attached to
// the principal" (https://docs.aws.amazon.com/kms/latest/developerguide/alias-access.html): an
// alias has no key policy
describe('KMS alias actions on an alias', () => {
  const admin = `arn:aws:iam::${A}:role/kms-admin`;
  const aliasGrant = allow(['kms:CreateAlias', 'kms:UpdateAlias', 'kms:DeleteAlias'], ALIAS);

  it('are decided by IAM policies alone (was ImplicitlyDenied for want of a key policy)', () => {
    for (const action of ['kms:CreateAlias', 'kms:UpdateAlias', 'kms:DeleteAlias']) {
      const r = run({ principal: admin, action, resource: ALIAS, identityPolicies: [aliasGrant] });
      expect(r.decision, action).toBe('Allowed');
      expect(r.problems).toEqual([]);
    }
    expect(run({ principal: admin, action: 'kms:CreateAlias', resource: ALIAS }).decision).toBe(
      'ImplicitlyDenied',
    );
  });

  it('a key policy given with them is not read (and says so)', () => {
    const keyPolicy = doc({
      Effect: 'Allow',
      Principal: { AWS: admin },
      Action: 'kms:*',
      Resource: '*',
    });
    const r = run({
      principal: admin,
      action: 'kms:CreateAlias',
      resource: ALIAS,
      resourcePolicy: keyPolicy,
    });
    expect(r.decision).toBe('ImplicitlyDenied');
    expect(r.deniedBy).toEqual([
      { policyType: 'identity', policy: `identity policies of ${admin}`, explicit: false },
    ]);
    expect(r.problems.map((p) => p.id)).toEqual(['request.kms.alias-resource-policy']);
  });

  it('the same action on the key still needs the key policy', () => {
    const r = run({
      principal: admin,
      action: 'kms:CreateAlias',
      resource: KEY,
      identityPolicies: [allow('kms:CreateAlias')],
    });
    expect(r.decision).toBe('ImplicitlyDenied');
    expect(r.deniedBy.map((x) => x.policyType)).toEqual(['resource']);
  });

  it('another action on an alias ARN keeps the key-policy rule', () => {
    const r = run({
      principal: admin,
      action: 'kms:Decrypt',
      resource: ALIAS,
      identityPolicies: [allow('kms:Decrypt')],
    });
    expect(r.decision).toBe('ImplicitlyDenied');
  });
});

// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
describe('what RCPs do not restrict', () => {
  it('a service assuming a service-linked role: its trust policy is not impacted (was ExplicitlyDenied)', () => {
    const slr = `arn:aws:iam::${A}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;
    const req: EvaluationRequest = {
      principal: 'autoscaling.amazonaws.com',
      action: 'sts:AssumeRole',
      resource: slr,
      resourcePolicy: doc({
        Effect: 'Allow',
        Principal: { Service: 'autoscaling.amazonaws.com' },
        Action: 'sts:AssumeRole',
      }),
      rcps: [[rcpOrgOnly('sts:AssumeRole')]],
    };
    expect(run(req).decision).toBe('Allowed');
    // the same RCP on an ordinary role applies
    expect(run({ ...req, resource: `arn:aws:iam::${A}:role/app` }).decision).toBe(
      'ExplicitlyDenied',
    );
  });

  it('kms:RetireGrant: "RCPs do not impact the kms:RetireGrant permission" (was ExplicitlyDenied)', () => {
    const partner = `arn:aws:iam::${B}:role/partner-app`;
    const req: EvaluationRequest = {
      principal: partner,
      action: 'kms:RetireGrant',
      resource: KEY,
      identityPolicies: [allow('kms:*')],
      resourcePolicy: doc({
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${B}:root` },
        Action: ['kms:RetireGrant', 'kms:Decrypt'],
        Resource: '*',
      }),
      rcps: [[rcpOrgOnly('kms:*')]],
    };
    expect(run(req).decision).toBe('Allowed');
    expect(run({ ...req, action: 'kms:Decrypt' }).decision).toBe('ExplicitlyDenied');
  });

  it('an action with no resource type authorizes no resource, so no RCP applies (was ExplicitlyDenied)', () => {
    const req: EvaluationRequest = {
      principal: `arn:aws:iam::${A}:role/reader`,
      action: 's3:ListAllMyBuckets',
      resource: '*',
      context: { 'aws:SecureTransport': 'false' },
      identityPolicies: [allow('s3:*')],
      rcps: [
        [
          doc({
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:*',
            Resource: '*',
            Condition: { BoolIfExists: { 'aws:SecureTransport': 'false' } },
          }),
        ],
      ],
    };
    expect(run(req).decision).toBe('Allowed');
    // s3:ListBucket authorizes the bucket: the RCP applies
    expect(run({ ...req, action: 's3:ListBucket', resource: 'arn:aws:s3:::b' }).decision).toBe(
      'ExplicitlyDenied',
    );
  });
});

// "IAM supports only one type of resource-based policy called a role trust policy", and it decides
// who may assume the role (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_identity-vs-resource.html)
describe('IAM actions have no resource-based policy', () => {
  const caller = `arn:aws:iam::${A}:role/pipeline`;
  const target = `arn:aws:iam::${A}:role/deployer`;
  const trustNamingCaller = (Action: string) =>
    doc({ Effect: 'Allow', Principal: { AWS: caller }, Action, Resource: '*' });

  it('iam:PassRole is not allowed by a resource policy naming the caller (was Allowed)', () => {
    const r = run({
      principal: caller,
      action: 'iam:PassRole',
      resource: target,
      resourcePolicy: trustNamingCaller('iam:PassRole'),
    });
    expect(r.decision).toBe('ImplicitlyDenied');
    expect(r.allowedBy).toEqual([]);
    expect(r.deniedBy).toEqual([
      { policyType: 'identity', policy: `identity policies of ${caller}`, explicit: false },
    ]);
    expect(r.problems.map((p) => p.id)).toEqual(['request.resource-policy.not-applicable']);
  });

  it('nor is iam:GetRole; its identity policy still decides', () => {
    const r = run({
      principal: caller,
      action: 'iam:GetRole',
      resource: target,
      identityPolicies: [allow('iam:GetRole', target)],
      resourcePolicy: doc({
        Effect: 'Deny',
        Principal: '*',
        Action: '*',
        Resource: '*',
      }),
    });
    // the Deny of a policy that IAM never reads denies nothing (was ExplicitlyDenied)
    expect(r.decision).toBe('Allowed');
    expect(r.problems.map((p) => p.id)).toEqual(['request.resource-policy.not-applicable']);
  });

  it('the trust policy still decides sts:AssumeRole on the same role', () => {
    const r = run({
      principal: caller,
      action: 'sts:AssumeRole',
      resource: target,
      resourcePolicy: trustNamingCaller('sts:AssumeRole'),
    });
    expect(r.decision).toBe('Allowed');
    expect(r.problems).toEqual([]);
  });
});

// An action the Service Authorization Reference lists with no resource type is performed on no
// resource, so no resource-based policy applies to it
// (https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html,
// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_identity-vs-resource.html)
describe('actions that authorize no resource have no resource-based policy', () => {
  const caller = `arn:aws:iam::${A}:role/Caller`;
  const namingCaller = doc({
    Effect: 'Allow',
    Principal: { AWS: caller },
    Action: '*',
    Resource: '*',
  });
  const cases: [string, string][] = [
    ['kms:ListAliases', KEY],
    ['kms:ListAliases', '*'],
    ['kms:GenerateRandom', KEY],
    ['s3:ListAllMyBuckets', 'arn:aws:s3:::b'],
    ['sns:ListTopics', `arn:aws:sns:us-east-1:${A}:t`],
    ['ecr:GetAuthorizationToken', '*'],
  ];
  for (const [action, resource] of cases) {
    it(`${action} on ${resource}: not allowed by a resource policy naming the caller (was Allowed)`, () => {
      const r = run({ principal: caller, action, resource, resourcePolicy: namingCaller });
      expect(r.decision).toBe('ImplicitlyDenied');
      expect(r.allowedBy).toEqual([]);
      expect(r.deniedBy).toEqual([
        { policyType: 'identity', policy: `identity policies of ${caller}`, explicit: false },
      ]);
      expect(r.problems.map((p) => [p.id, p.pointer])).toEqual([
        ['request.resource-policy.not-applicable', '/resourcePolicy'],
      ]);
      expect(r.problems[0]!.message).toContain('authorizes no resource');
    });
  }

  it('its identity policy decides, and a Deny of the resource policy denies nothing', () => {
    const r = run({
      principal: caller,
      action: 's3:ListAllMyBuckets',
      resource: '*',
      identityPolicies: [allow('s3:ListAllMyBuckets')],
      resourcePolicy: doc({ Effect: 'Deny', Principal: '*', Action: '*', Resource: '*' }),
    });
    expect(r.decision).toBe('Allowed');
    expect(r.problems.map((p) => p.id)).toEqual(['request.resource-policy.not-applicable']);
  });

  it('an action with a resource type is still allowed by its resource policy alone', () => {
    const r = run({
      principal: caller,
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::b/k',
      resourceAccount: A,
      resourcePolicy: namingCaller,
    });
    expect(r.decision).toBe('Allowed');
    expect(r.problems).toEqual([]);
  });

  // it is performed in the caller's account: no resource owner of another account must allow it
  // (was ImplicitlyDenied for a resource policy the evaluator says it does not read)
  const elsewhere: [string, string, string | undefined][] = [
    ['s3:ListAllMyBuckets', '*', B],
    ['iam:ListRoles', `arn:aws:iam::${B}:role/Other`, undefined],
    [
      'kms:ListAliases',
      `arn:aws:kms:us-east-1:${B}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
      undefined,
    ],
  ];
  for (const [action, resource, resourceAccount] of elsewhere) {
    it(`${action} naming account ${B}: decided in the caller's account, by its identity policy`, () => {
      const req: EvaluationRequest = {
        principal: caller,
        action,
        resource,
        ...(resourceAccount !== undefined ? { resourceAccount } : {}),
        identityPolicies: [allow(action)],
      };
      const r = run(req);
      expect(r.decision).toBe('Allowed');
      expect(r.allowedBy).toEqual([
        { policyType: 'identity', policy: 1, statement: 1, explicit: false },
      ]);
      expect(r.problems.map((p) => [p.id, p.pointer])).toEqual([
        [
          'request.resource-account.not-applicable',
          resourceAccount !== undefined ? '/resourceAccount' : '/resource',
        ],
      ]);
      expect(r.problems[0]!.message).toContain(`performed in the caller's account \`${A}\``);
      // without the identity allow it is still denied, by the identity side alone
      const none = run({ ...req, identityPolicies: [] });
      expect(none.decision).toBe('ImplicitlyDenied');
      expect(none.deniedBy).toEqual([
        { policyType: 'identity', policy: `identity policies of ${caller}`, explicit: false },
      ]);
    });
  }

  it('the account it names stays aws:ResourceAccount, as the warning says', () => {
    const r = run({
      principal: caller,
      action: 's3:ListAllMyBuckets',
      resource: '*',
      resourceAccount: B,
      identityPolicies: [
        allow('s3:ListAllMyBuckets', '*', {
          Condition: { StringEquals: { 'aws:ResourceAccount': B } },
        }),
      ],
    });
    expect(r.decision).toBe('Allowed');
    expect(r.problems[0]!.message).toContain(
      `does not make it cross-account (no policy of that account must allow it; it is still \`aws:ResourceAccount\``,
    );
  });

  it('an action with a resource type on another account still needs that account to allow it', () => {
    const r = run({
      principal: caller,
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::b/k',
      resourceAccount: B,
      identityPolicies: [allow('s3:GetObject')],
    });
    expect(r.decision).toBe('ImplicitlyDenied');
    expect(r.deniedBy.map((d) => d.policyType)).toEqual(['resource']);
    expect(r.problems.map((p) => p.id)).not.toContain('request.resource-account.not-applicable');
  });

  it('an action with a wildcard is not taken for one without a resource type', () => {
    const r = run({
      principal: caller,
      action: 's3:List*',
      resource: 'arn:aws:s3:::b',
      resourceAccount: A,
      resourcePolicy: namingCaller,
    });
    // its resource policy is read, and naming the caller in the same account allows it
    expect(r.decision).toBe('Allowed');
    expect(r.allowedBy.map((a) => a.policyType)).toEqual(['resource']);
    expect(r.problems.map((p) => p.id)).not.toContain('request.resource-policy.not-applicable');
  });
});
