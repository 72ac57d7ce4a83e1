/**
 * What some credentials cannot call whatever the policies allow, and a KMS request without its
 * key policy (a helper review's findings, each reproduced first as a wrong answer).
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/evaluate/evaluate.js';

const A = '111111111111';
type Stmt = Record<string, unknown>;
const doc = (...Statement: Stmt[]) => ({ Version: '2012-10-17', Statement });
const allow = (Action: string): Stmt => ({ Effect: 'Allow', Action, Resource: '*' });
const FEDERATED = `arn:aws:sts::${A}:federated-user/bob`;
const SESSION = `arn:aws:sts::${A}:assumed-role/App/s1`;
const ROLE = `arn:aws:iam::${A}:role/App`;
const USER = `arn:aws:iam::${A}:user/alice`;
const TARGET = `arn:aws:iam::${A}:role/Target`;
const trustAccount = doc({
  Effect: 'Allow',
  Principal: { AWS: `arn:aws:iam::${A}:root` },
  Action: 'sts:AssumeRole',
});

describe('a federated user (GetFederationToken) cannot call IAM or STS operations', () => {
  // https://docs.aws.amazon.com/STS/latest/APIReference/API_GetFederationToken.html: "You cannot
  // call any IAM operations using the AWS CLI or the AWS API" and "You cannot call any STS
  // operations except GetCallerIdentity"
  it.each([
    ['sts:AssumeRole', TARGET, trustAccount],
    ['iam:ListRoles', '*', undefined],
    ['iam:CreateRole', TARGET, undefined],
    ['sts:GetSessionToken', '*', undefined],
  ] as const)(
    '%s is denied whatever the policies allow (was Allowed)',
    (action, resource, trust) => {
      const r = evaluate({
        principal: FEDERATED,
        action,
        resource,
        identityPolicies: [doc(allow('*'))],
        sessionPolicy: doc(allow('*')),
        ...(trust ? { resourcePolicy: trust } : {}),
      });
      expect(r.decision).toBe('ImplicitlyDenied');
      expect(r.allowedBy).toEqual([]);
      expect(r.deniedBy).toEqual([
        {
          policyType: 'identity',
          policy: 'federated user credentials (GetFederationToken)',
          explicit: false,
        },
      ]);
      expect(r.problems).toContainEqual(
        expect.objectContaining({ id: 'request.credentials.cannot-call', severity: 'warning' }),
      );
    },
  );

  it('other services, iam:PassRole (a permission, not an operation) and GetCallerIdentity are decided as before', () => {
    for (const [action, resource] of [
      ['s3:GetObject', 'arn:aws:s3:::b/k'],
      ['iam:PassRole', TARGET],
      ['sts:GetCallerIdentity', '*'],
    ] as const) {
      const r = evaluate({
        principal: FEDERATED,
        action,
        resource,
        identityPolicies: [doc(allow('*'))],
        sessionPolicy: doc(allow('*')),
      });
      expect({ action, decision: r.decision }).toEqual({ action, decision: 'Allowed' });
    }
  });

  it('an explicit deny is still reported as such', () => {
    const r = evaluate({
      principal: FEDERATED,
      action: 'iam:ListRoles',
      resource: '*',
      identityPolicies: [
        doc(allow('*'), { Sid: 'NoIam', Effect: 'Deny', Action: 'iam:*', Resource: '*' }),
      ],
      sessionPolicy: doc(allow('*')),
    });
    expect(r.decision).toBe('ExplicitlyDenied');
  });
});

describe('a role session cannot call GetFederationToken or GetSessionToken', () => {
  // https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html: "You cannot call
  // the AWS STS GetFederationToken or GetSessionToken API operations"
  it.each([
    [SESSION, 'sts:GetFederationToken', `arn:aws:sts::${A}:federated-user/bob`],
    [SESSION, 'sts:GetSessionToken', '*'],
    [ROLE, 'sts:GetFederationToken', `arn:aws:sts::${A}:federated-user/bob`],
    [ROLE, 'sts:GetSessionToken', '*'],
  ] as const)('%s calling %s is denied (was Allowed)', (principal, action, resource) => {
    const r = evaluate({ principal, action, resource, identityPolicies: [doc(allow('sts:*'))] });
    expect(r.decision).toBe('ImplicitlyDenied');
    expect(r.deniedBy).toEqual([
      { policyType: 'identity', policy: 'role session credentials (AssumeRole)', explicit: false },
    ]);
  });

  it('an IAM user, whose credentials are long-term, may call them', () => {
    for (const action of ['sts:GetFederationToken', 'sts:GetSessionToken']) {
      const r = evaluate({
        principal: USER,
        action,
        resource: '*',
        identityPolicies: [doc(allow('sts:*'))],
      });
      expect({ action, decision: r.decision }).toEqual({ action, decision: 'Allowed' });
    }
  });
});

describe('a KMS request without its key policy', () => {
  // https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html: "No AWS principal
  // has any permissions to a KMS key unless that permission is explicitly allowed in a key policy"
  it('is denied naming the missing key policy, with a warning', () => {
    const r = evaluate({
      principal: SESSION,
      action: 'kms:Decrypt',
      resource: `arn:aws:kms:us-east-1:${A}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
      identityPolicies: [doc(allow('kms:Decrypt'))],
    });
    expect(r.decision).toBe('ImplicitlyDenied');
    expect(r.deniedBy).toEqual([{ policyType: 'resource', policy: 'key policy', explicit: false }]);
    expect(r.problems).toContainEqual(
      expect.objectContaining({
        id: 'request.kms.key-policy-missing',
        pointer: '/resourcePolicy',
        severity: 'warning',
      }),
    );
  });
});

describe('a KMS action with no key resource type', () => {
  it('is decided by IAM policies alone, whatever resource the request names (no key policy asked for)', () => {
    for (const [action, resource] of [
      ['kms:ListAliases', `arn:aws:kms:us-east-1:${A}:alias/my`],
      ['kms:GenerateRandom', `arn:aws:kms:us-east-1:${A}:key/1234abcd-12ab-34cd-56ef-1234567890ab`],
    ] as const) {
      const r = evaluate({
        principal: SESSION,
        action,
        resource,
        identityPolicies: [doc(allow('kms:*'))],
      });
      expect({ action, decision: r.decision, problems: r.problems }).toEqual({
        action,
        decision: 'Allowed',
        problems: [],
      });
    }
  });
});
