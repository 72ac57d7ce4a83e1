/**
 * resourcePolicyKind names the request's `resourcePolicy` as the evaluator reads it (the trust
 * policy of a role, the key policy of a key) or as S3 documents it (the bucket policy of a
 * bucket and its objects), `not-read` where evaluate reads none, and nothing where the request
 * does not say (simulate's text words).
 */
import { describe, expect, it } from 'vitest';
import { resourcePolicyKind } from '../../src/evaluate/evaluate.js';

const principal = 'arn:aws:iam::111111111111:role/caller';
const kindOf = (action: string, resource: string) =>
  resourcePolicyKind({ principal, action, resource });

describe('resourcePolicyKind', () => {
  it('an sts: action on a role: its trust policy', () => {
    const role = 'arn:aws:iam::222222222222:role/path/target';
    for (const action of ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'])
      expect(kindOf(action, role)).toEqual({ kind: 'trust', role });
    // an IAM action on a role has no resource policy (evaluate does not read one)
    expect(kindOf('iam:PassRole', role)).toEqual({ kind: 'not-read', iam: true });
    // sts:SetContext is authorized on the role; an sts: action the catalog does not know is read
    // as one (the stricter reading)
    for (const action of ['sts:SetContext', 'sts:Nope', 'sts:Assume*'])
      expect(kindOf(action, role)).toEqual({ kind: 'trust', role });
  });

  it('an sts: action on a role that its trust policy does not decide: none read (was: its trust policy)', () => {
    const role = 'arn:aws:iam::222222222222:role/target';
    // a role's one resource policy, its trust policy, does not decide these: none is read (`iam`,
    // the role being an IAM resource; those with no resource type say so in evaluate's warning)
    for (const action of [
      'sts:DecodeAuthorizationMessage',
      'sts:GetAccessKeyInfo',
      'sts:GetFederationToken',
      'sts:AssumeRoot',
    ])
      expect(kindOf(action, role)).toEqual({ kind: 'not-read', iam: true });
  });

  it('a KMS operation on a key: its key policy; on an alias, or with no key, none', () => {
    const key = 'arn:aws:kms:us-east-1:222222222222:key/0b6e3a5c-4c1f-4d0a-9d47-6f2f3e1a9c10';
    expect(kindOf('kms:Decrypt', key)).toEqual({ kind: 'key', key });
    expect(kindOf('kms:ListAliases', key)).toEqual({ kind: 'not-read', iam: false });
    expect(kindOf('kms:CreateAlias', 'arn:aws:kms:us-east-1:222222222222:alias/a')).toEqual({
      kind: 'not-read',
      iam: false,
    });
  });

  it('an s3: action on a bucket or an object: the bucket policy; an access point or a directory bucket, none', () => {
    expect(kindOf('s3:GetObject', 'arn:aws:s3:::prod-data/a/b.zip')).toEqual({
      kind: 'bucket',
      bucket: 'prod-data',
    });
    expect(kindOf('s3:ListBucket', 'arn:aws-cn:s3:::prod-data')).toEqual({
      kind: 'bucket',
      bucket: 'prod-data',
    });
    // an s3: action that authorizes no resource reads no bucket policy (evaluate does not read one)
    expect(kindOf('s3:ListAllMyBuckets', 'arn:aws:s3:::prod-data')).toEqual({
      kind: 'not-read',
      iam: false,
    });
    expect(
      kindOf('s3:GetObject', 'arn:aws:s3:us-east-1:222222222222:accesspoint/ap/object/k'),
    ).toBeUndefined();
    expect(
      kindOf('s3express:CreateSession', 'arn:aws:s3express:us-east-1:222222222222:bucket/b--x-s3'),
    ).toBeUndefined();
    // another service's action naming a bucket: not decided as an S3 request
    expect(kindOf('sns:Publish', 'arn:aws:s3:::prod-data')).toBeUndefined();
  });

  it('a request evaluate refuses: none', () => {
    expect(kindOf('not an action', 'arn:aws:s3:::b')).toBeUndefined();
    expect(resourcePolicyKind({ principal, action: 's3:GetObject' } as never)).toBeUndefined();
  });
});
