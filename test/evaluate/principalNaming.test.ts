/**
 * How a Principal / NotPrincipal element names the caller, and what that decides: rules a
 * mutation sweep of the evaluator found without a test that fails when they are wrong (each
 * test says which change to the source it catches).
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/evaluate/evaluate.js';
import { parseRequestPrincipal } from '../../src/evaluate/principal.js';
import type { EvaluationRequest } from '../../src/evaluate/types.js';

const A = '111122223333';
const ROOT = `arn:aws:iam::${A}:root`;
const ROLE = `arn:aws:iam::${A}:role/app`;
const SESSION = `arn:aws:sts::${A}:assumed-role/app/s1`;
const OBJ = 'arn:aws:s3:::artifacts/key';

type Stmt = Record<string, unknown>;
const doc = (...Statement: Stmt[]) => ({ Version: '2012-10-17', Statement });
const allow = (Action: string, extra: Stmt = {}): Stmt => ({
  Effect: 'Allow',
  Action,
  Resource: '*',
  ...extra,
});
const grant = (Principal: unknown): Stmt => allow('s3:GetObject', { Principal });
const denyAllBut = (NotPrincipal: unknown): Stmt => ({
  Effect: 'Deny',
  NotPrincipal,
  Action: 's3:*',
  Resource: '*',
});
/** a boundary that does not allow the request's action */
const ec2Only = doc(allow('ec2:*'));

function run(r: Partial<EvaluationRequest>) {
  return evaluate({
    principal: ROLE,
    action: 's3:GetObject',
    resource: OBJ,
    ...r,
  } as EvaluationRequest);
}

// Within an account, a resource policy that names the role ARN needs no identity allow, while
// one that names the account only delegates to the identity policy
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html,
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-accounts).
// A statement that names both names the role: listing the account beside it takes nothing away.
describe('a Principal that names the role and its account', () => {
  it.each([
    ['role first', [ROLE, ROOT]],
    ['account first', [ROOT, ROLE]],
    ['bare account id first', [A, ROLE]],
  ])('names the role (%s): no identity allow is needed', (_, names) => {
    // (caught: the account overriding a stronger name, or a role ranked no higher than it)
    const r = run({ resourcePolicy: doc(grant({ AWS: names })) });
    expect(r.decision).toBe('Allowed');
    expect(r.allowedBy).toEqual([
      { policyType: 'resource', policy: 1, statement: 1, explicit: false },
    ]);
  });

  it('with more names than the short-list scan reads (the set lookup)', () => {
    const others = Array.from({ length: 10 }, (_, i) => `arn:aws:iam::${A}:role/other-${i}`);
    expect(run({ resourcePolicy: doc(grant({ AWS: [ROOT, ...others, ROLE] })) }).decision).toBe(
      'Allowed',
    );
  });
});

// "You cannot use a wildcard to match part of a principal name or ARN": a principal value is
// compared as written (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html).
// A session ARN carries no role path, so a role ARN with a path names the sessions of the role of
// that name (evaluate.test.ts); a role calling with its own ARN is named by that ARN only.
describe('a role ARN with another path', () => {
  const otherPath = `arn:aws:iam::${A}:role/team/app`;
  it('does not name a role whose ARN has no path', () => {
    // (caught: matching a role by account and name, as for a session)
    expect(run({ resourcePolicy: doc(grant({ AWS: otherPath })) }).decision).toBe(
      'ImplicitlyDenied',
    );
  });
  it('does not name it in a long list either', () => {
    const others = Array.from({ length: 10 }, (_, i) => `arn:aws:iam::${A}:role/other-${i}`);
    expect(run({ resourcePolicy: doc(grant({ AWS: [...others, otherPath] })) }).decision).toBe(
      'ImplicitlyDenied',
    );
  });
  it('still names a session of that role (the session ARN has no path)', () => {
    expect(
      run({ principal: SESSION, resourcePolicy: doc(grant({ AWS: otherPath })) }).decision,
    ).toBe('Allowed');
  });
});

// NotPrincipal with Deny: "all principals except the principal specified"; a role session is
// exempt only when the account, the role and the session are all listed, "or the account or
// role itself may be denied" (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html).
describe('Deny with NotPrincipal', () => {
  const identityPolicies = [doc(allow('s3:*'))];

  it('listing the account and the role but not the session denies the session', () => {
    // (caught: the session ARN not required)
    const rp = doc(denyAllBut({ AWS: [ROOT, ROLE] }));
    expect(run({ principal: SESSION, identityPolicies, resourcePolicy: rp }).decision).toBe(
      'ExplicitlyDenied',
    );
    const all = doc(denyAllBut({ AWS: [ROOT, ROLE, SESSION] }));
    expect(run({ principal: SESSION, identityPolicies, resourcePolicy: all }).decision).toBe(
      'Allowed',
    );
  });

  it('`"NotPrincipal": "*"` excepts every principal: it denies no one', () => {
    // (caught: `*` in NotPrincipal read as naming no one, so the Deny applied to everyone)
    const rp = doc(denyAllBut('*'));
    expect(run({ identityPolicies, resourcePolicy: rp }).decision).toBe('Allowed');
    expect(run({ principal: SESSION, identityPolicies, resourcePolicy: rp }).decision).toBe(
      'Allowed',
    );
  });

  it('a service principal is denied unless NotPrincipal lists it', () => {
    // (caught: the service test inverted)
    const rp = doc(
      grant({ Service: 'codebuild.amazonaws.com' }),
      denyAllBut({ Service: 'codebuild.amazonaws.com' }),
    );
    expect(run({ principal: 'codebuild.amazonaws.com', resourcePolicy: rp }).decision).toBe(
      'Allowed',
    );
    const other = doc(
      grant({ Service: 'codebuild.amazonaws.com' }),
      denyAllBut({ Service: 'codepipeline.amazonaws.com' }),
    );
    expect(run({ principal: 'codebuild.amazonaws.com', resourcePolicy: other }).decision).toBe(
      'ExplicitlyDenied',
    );
  });

  // "The NotPrincipal element with a Deny effect will always deny any IAM principal that has a
  // permissions boundary policy attached"
  // (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html): a
  // permissions boundary attaches to an IAM user or role, never to a service principal, whose
  // request does not read one (request.service-principal.policy-not-applied)
  it('a boundary given with a service principal does not make it a bounded IAM principal', () => {
    // (caught: a service principal with a boundary taken as bounded: ExplicitlyDenied)
    const rp = doc(
      grant({ Service: 'codebuild.amazonaws.com' }),
      denyAllBut({ Service: 'codebuild.amazonaws.com' }),
    );
    const r = run({
      principal: 'codebuild.amazonaws.com',
      resourcePolicy: rp,
      permissionBoundary: doc(allow('s3:*')),
    });
    expect(r.decision).toBe('Allowed');
    expect(r.problems.map((p) => p.id)).toEqual(['request.service-principal.policy-not-applied']);
  });
});

// The boundary rule above is for Deny; an Allow with NotPrincipal (which AWS does not support,
// policy.notprincipal.allow) is read as written: it grants to everyone it does not list.
describe('Allow with NotPrincipal and a caller with a permissions boundary', () => {
  it('grants nothing to a caller it lists, boundary or not', () => {
    // (caught: the boundary rule applied to Allow statements too, which granted it)
    const rp = doc(allow('s3:*', { NotPrincipal: { AWS: [ROOT, ROLE] } }));
    expect(run({ resourcePolicy: rp }).decision).toBe('ImplicitlyDenied');
    expect(run({ resourcePolicy: rp, permissionBoundary: doc(allow('s3:*')) }).decision).toBe(
      'ImplicitlyDenied',
    );
  });
});

// "You cannot use a wildcard to match part of a principal name or ARN"; only `"*"` and
// `{"AWS": "*"}` name every principal (same page, #principal-anonymous). `{"Service": "*"}` is
// a service value compared as written (policy.principal.partial-wildcard): it names no one.
describe('{"Service": "*"}', () => {
  it('does not name an IAM role', () => {
    // (caught: `*` under any principal type read as every principal)
    const r = run({ resourcePolicy: doc(grant({ Service: '*' })) });
    expect(r.decision).toBe('ImplicitlyDenied');
  });
});

// A trust policy that names a user is limited by the user's permissions boundary
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_update-role-trust-policy.html,
// documentedExceptions.test.ts); the page says so of users. A resource policy that names a role
// session ARN is final within the account: the session's boundary does not limit it
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html), and a
// trust policy is a resource policy.
describe('a trust policy that names a role session', () => {
  it('is not limited by the session’s permissions boundary', () => {
    // (caught: the users' boundary rule applied to every principal a trust policy names)
    const r = run({
      principal: SESSION,
      action: 'sts:AssumeRole',
      resource: `arn:aws:iam::${A}:role/target`,
      resourcePolicy: doc({
        Effect: 'Allow',
        Principal: { AWS: SESSION },
        Action: 'sts:AssumeRole',
      }),
      permissionBoundary: ec2Only,
    });
    expect(r.decision).toBe('Allowed');
  });
});

// Within an account, a resource-policy Allow to `"*"` is read as a direct grant, which the
// caller's boundary and session policy do not limit, while one to the role ARN is limited by
// them (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html,
// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html). A statement
// naming the caller several ways grants what the strongest of them grants: adding the role ARN
// beside `"*"` must not weaken the grant.
describe('`*` listed beside the role ARN', () => {
  const others = Array.from({ length: 10 }, (_, i) => `arn:aws:iam::${A}:role/other-${i}`);
  const forms: [string, unknown][] = [
    ['"*"', '*'],
    ['{"AWS": "*"}', { AWS: '*' }],
    ['["*", role]', { AWS: ['*', ROLE] }],
    ['[role, "*"]', { AWS: [ROLE, '*'] }],
    ['[role, "*", account]', { AWS: [ROLE, '*', ROOT] }],
    // more names than the short-list scan reads (the set lookup)
    ['long list with role and "*"', { AWS: [...others, ROLE, '*'] }],
  ];
  const callers: [string, Partial<EvaluationRequest>][] = [
    ['a bounded role', { principal: ROLE, permissionBoundary: ec2Only }],
    ['a bounded role session', { principal: SESSION, permissionBoundary: ec2Only }],
    ['a role session with a session policy', { principal: SESSION, sessionPolicy: ec2Only }],
    [
      'a bounded role session with an identity allow',
      { principal: SESSION, permissionBoundary: ec2Only, identityPolicies: [doc(allow('s3:*'))] },
    ],
  ];
  for (const [who, caller] of callers) {
    it.each(forms)(`gives ${who} what "*" gives (%s)`, (_, Principal) => {
      // (caught: the role ARN ranked above `*`, so the statement read as naming the role)
      const r = run({ ...caller, resourcePolicy: doc(grant(Principal)) });
      expect(r.decision).toBe('Allowed');
      expect(r.allowedBy).toEqual([
        { policyType: 'resource', policy: 1, statement: 1, explicit: false },
      ]);
    });
  }

  it.each(forms)('in a trust policy, for a bounded role session (%s)', (_, Principal) => {
    // (caught: as above, sts:AssumeRole decided by the trust policy)
    const r = run({
      principal: SESSION,
      action: 'sts:AssumeRole',
      resource: `arn:aws:iam::${A}:role/target`,
      resourcePolicy: doc({ Effect: 'Allow', Principal, Action: 'sts:AssumeRole' }),
      permissionBoundary: ec2Only,
    });
    expect(r.decision).toBe('Allowed');
  });

  it('the role ARN alone stays limited by the boundary and the session policy', () => {
    // (the control: what the role ARN grants alone)
    const rp = doc(grant({ AWS: ROLE }));
    expect(run({ resourcePolicy: rp, permissionBoundary: ec2Only }).decision).toBe(
      'ImplicitlyDenied',
    );
    expect(run({ principal: SESSION, resourcePolicy: rp, sessionPolicy: ec2Only }).decision).toBe(
      'ImplicitlyDenied',
    );
  });
});

describe('request principal forms', () => {
  it('an assumed-role ARN without a session name is not a principal', () => {
    // `arn:aws:sts::<account>:assumed-role/<role>/<session>`
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns)
    // (caught: the role session read without its session name)
    expect(parseRequestPrincipal(`arn:aws:sts::${A}:assumed-role/app`)).toBeUndefined();
    const r = run({ principal: `arn:aws:sts::${A}:assumed-role/app` });
    expect(r.decision).toBe('ImplicitlyDenied');
    expect(r.problems.map((p) => p.id)).toEqual(['request.principal.invalid']);
  });

  it('a service principal of the China Regions (`.amazonaws.com.cn`) is a service principal', () => {
    // templates name service principals `<service>.${AWS::URLSuffix}`, and the suffix "for the
    // China (Beijing) Region is amazonaws.com.cn"
    // (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/pseudo-parameter-reference.html#cfn-pseudo-param-urlsuffix;
    // src/load/templateStack.ts) (caught: only `.amazonaws.com` accepted)
    const p = parseRequestPrincipal('codebuild.amazonaws.com.cn');
    expect(p?.kind).toBe('service');
    expect(p?.service).toBe('codebuild.amazonaws.com.cn');
  });
});
