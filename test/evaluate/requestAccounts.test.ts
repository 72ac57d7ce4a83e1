/**
 * Which account owns the resource, and which partition: rules a mutation sweep of the evaluator
 * found without a test that fails when they are wrong (each test says which change it catches).
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/evaluate/evaluate.js';

const A = '111122223333';
const ROLE = `arn:aws:iam::${A}:role/app`;

type Stmt = Record<string, unknown>;
const doc = (...Statement: Stmt[]) => ({ Version: '2012-10-17', Statement });
const allowAll = doc({ Effect: 'Allow', Action: '*', Resource: '*' });

// AWS managed policies are named `arn:aws:iam::aws:policy/<name>`: `aws` in the account field
// is no account (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html#aws-managed-policies,
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns).
// The resource owner is then the caller's account (evaluate: resolveResourceAccount), and an IAM
// action is decided by the caller's IAM policies alone.
describe('a resource ARN whose account field is not an account id', () => {
  it('does not make the request cross-account', () => {
    // (caught: `aws` taken as the resource account: a cross-account request no resource
    // policy can allow, ImplicitlyDenied)
    const r = evaluate({
      principal: ROLE,
      action: 'iam:GetPolicy',
      resource: 'arn:aws:iam::aws:policy/AdministratorAccess',
      identityPolicies: [allowAll],
    });
    expect(r.decision).toBe('Allowed');
    expect(r.problems).toEqual([]);
  });
});

// "Credentials of one partition are not valid in another"
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_outbound_cross_partition.html):
// `aws-cn` and `aws-us-gov` are partitions of their own, not the `aws` partition with a suffix
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns).
describe('a resource in a partition whose name starts with the caller’s', () => {
  it.each([
    ['arn:aws-cn:s3:::bucket/key', 's3:GetObject'],
    [`arn:aws-us-gov:sqs:us-gov-west-1:${A}:queue`, 'sqs:SendMessage'],
  ])('%s is in another partition than an `aws` caller', (resource, action) => {
    // (caught: the partition compared as a prefix, which read `aws-cn` as `aws`: Allowed)
    const r = evaluate({ principal: ROLE, action, resource, identityPolicies: [allowAll] });
    expect(r.decision).toBe('ImplicitlyDenied');
    expect(r.problems.map((p) => [p.id, p.severity])).toEqual([
      ['request.partition.mismatch', 'error'],
    ]);
  });
});
