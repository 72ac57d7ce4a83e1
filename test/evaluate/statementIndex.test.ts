/**
 * The evaluator indexes each policy's statements per action, resource and principal and reuses
 * that index across requests. These tests evaluate the same policy objects over and over with
 * different requests, in orders that would expose an index keyed too coarsely.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/evaluate/evaluate.js';
import type { EvaluationRequest } from '../../src/evaluate/types.js';

const A = '111122223333';
const B = '444455556666';
const ROLE = `arn:aws:iam::${A}:role/Build`;
const OTHER_ROLE = `arn:aws:iam::${A}:role/Other`;

const identity = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'Get', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::art/*' },
    { Sid: 'Put', Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::art/out/*' },
    {
      Sid: 'Own',
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::home/${aws:username}/*',
    },
    {
      Sid: 'Tagged',
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::tagged/*',
      Condition: { StringEquals: { 'aws:PrincipalTag/team': 'build' } },
    },
  ],
};

const bucketPolicy = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'BuildOnly',
      Effect: 'Allow',
      Principal: { AWS: ROLE },
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::art/*',
    },
    {
      Sid: 'NotBuild',
      Effect: 'Deny',
      // NotPrincipal must list the account too, or the deny applies to everyone in it
      // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html)
      NotPrincipal: { AWS: [ROLE, `arn:aws:iam::${A}:root`] },
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::art/secret/*',
    },
  ],
};

function decide(partial: Partial<EvaluationRequest>): string {
  return evaluate({
    principal: ROLE,
    action: 's3:GetObject',
    resource: 'arn:aws:s3:::art/a.zip',
    identityPolicies: [identity],
    ...partial,
  } as EvaluationRequest).decision;
}

describe('the statement index answers each request on its own', () => {
  it('separates actions on the same resource', () => {
    for (let round = 0; round < 3; round++) {
      expect(decide({ action: 's3:GetObject' })).toBe('Allowed');
      expect(decide({ action: 's3:PutObject' })).toBe('ImplicitlyDenied');
      expect(decide({ action: 's3:PutObject', resource: 'arn:aws:s3:::art/out/x' })).toBe(
        'Allowed',
      );
      expect(decide({ action: 'S3:getobject' })).toBe('Allowed');
    }
  });

  it('separates resources for the same action', () => {
    for (let round = 0; round < 3; round++) {
      expect(decide({ resource: 'arn:aws:s3:::art/a.zip' })).toBe('Allowed');
      expect(decide({ resource: 'arn:aws:s3:::other/a.zip' })).toBe('ImplicitlyDenied');
      expect(decide({ resource: 'arn:aws:s3:::art/b.zip' })).toBe('Allowed');
    }
  });

  it('resolves policy variables in Resource per request, not once per resource', () => {
    const user = (name: string) => `arn:aws:iam::${A}:user/${name}`;
    const resource = 'arn:aws:s3:::home/alice/notes.txt';
    for (let round = 0; round < 3; round++) {
      expect(decide({ principal: user('alice'), resource })).toBe('Allowed');
      expect(decide({ principal: user('bob'), resource })).toBe('ImplicitlyDenied');
      expect(decide({ principal: ROLE, resource })).toBe('ImplicitlyDenied');
    }
  });

  it('checks conditions per request, not once per resource', () => {
    const resource = 'arn:aws:s3:::tagged/x';
    for (let round = 0; round < 3; round++) {
      expect(decide({ resource, context: { 'aws:PrincipalTag/team': 'build' } })).toBe('Allowed');
      expect(decide({ resource, context: { 'aws:PrincipalTag/team': 'ops' } })).toBe(
        'ImplicitlyDenied',
      );
      expect(decide({ resource })).toBe('ImplicitlyDenied');
    }
  });

  it('separates principals named by a resource policy (Principal and NotPrincipal)', () => {
    const onBucket = (principal: string, resource: string, identityPolicies: object[] = []) =>
      evaluate({
        principal,
        action: 's3:GetObject',
        resource,
        resourceAccount: A,
        identityPolicies,
        resourcePolicy: bucketPolicy,
      } as EvaluationRequest);
    for (let round = 0; round < 3; round++) {
      expect(onBucket(ROLE, 'arn:aws:s3:::art/a.zip').decision).toBe('Allowed');
      expect(onBucket(OTHER_ROLE, 'arn:aws:s3:::art/a.zip').decision).toBe('ImplicitlyDenied');
      expect(
        onBucket(`${ROLE.replace('role/', 'role/x')}`, 'arn:aws:s3:::art/a.zip').decision,
      ).toBe('ImplicitlyDenied');
      const secret = onBucket(OTHER_ROLE, 'arn:aws:s3:::art/secret/k', [identity]);
      expect(secret.decision).toBe('ExplicitlyDenied');
      expect(secret.deniedBy).toEqual([
        { policyType: 'resource', policy: 1, statement: 'NotBuild', explicit: true },
      ]);
      expect(onBucket(ROLE, 'arn:aws:s3:::art/secret/k').decision).toBe('Allowed');
      expect(onBucket(`arn:aws:iam::${B}:role/Build`, 'arn:aws:s3:::art/secret/k').decision).toBe(
        'ExplicitlyDenied',
      );
      expect(
        onBucket(`arn:aws:sts::${A}:assumed-role/Build/s1`, 'arn:aws:s3:::art/a.zip').decision,
      ).toBe('Allowed');
    }
  });

  it('gives the same answers after many distinct resources (the index is bounded)', () => {
    for (let i = 0; i < 5000; i++) decide({ resource: `arn:aws:s3:::art/k${i}` });
    expect(decide({ resource: 'arn:aws:s3:::art/a.zip' })).toBe('Allowed');
    expect(decide({ resource: 'arn:aws:s3:::nope/a.zip' })).toBe('ImplicitlyDenied');
  });
});

describe('one document object used as two kinds of policy', () => {
  it('is compiled once per kind, and each use keeps its own answer', () => {
    // as an identity policy it has no Principal to match; as a bucket policy it names the role
    const doc = {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'Read',
          Effect: 'Allow',
          Principal: { AWS: ROLE },
          Action: 's3:GetObject',
          Resource: 'arn:aws:s3:::shared/*',
        },
      ],
    };
    const asBucketPolicy = () =>
      evaluate({
        principal: ROLE,
        action: 's3:GetObject',
        resource: 'arn:aws:s3:::shared/a',
        resourceAccount: A,
        resourcePolicy: doc,
      } as EvaluationRequest);
    const asIdentityPolicy = () =>
      evaluate({
        principal: ROLE,
        action: 's3:GetObject',
        resource: 'arn:aws:s3:::shared/a',
        identityPolicies: [doc],
      } as EvaluationRequest);
    const bucket = asBucketPolicy();
    const identity = asIdentityPolicy();
    for (let round = 0; round < 3; round++) {
      expect(asBucketPolicy()).toEqual(bucket);
      expect(asIdentityPolicy()).toEqual(identity);
    }
    expect(bucket.decision).toBe('Allowed');
    expect(bucket.allowedBy[0]).toMatchObject({ policyType: 'resource', statement: 'Read' });
    // Principal is not allowed in an identity policy: the statement is reported and skipped
    expect(identity.problems.length).toBeGreaterThan(0);
    expect(identity.decision).toBe('ImplicitlyDenied');
  });
});
