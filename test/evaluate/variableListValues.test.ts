// A policy variable whose key the request gives as a list (session 22 review): a one-element
// list is that value, as the condition operators read it; several values are no single value,
// and never the default, which is for a key the request does not have
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html).
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/evaluate/evaluate.js';

const request = (team: string | string[] | undefined) =>
  evaluate({
    principal: 'arn:aws:iam::111111111111:user/alice',
    action: 's3:GetObject',
    resource: 'arn:aws:s3:::b/shared/report.csv',
    ...(team === undefined ? {} : { context: { 'aws:PrincipalTag/team': team } }),
    identityPolicies: [
      {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'TeamFolder',
            Effect: 'Allow',
            Action: 's3:GetObject',
            Resource: "arn:aws:s3:::b/${aws:PrincipalTag/team, 'shared'}/*",
          },
        ],
      },
    ],
  });

describe('a policy variable of a key given as a list', () => {
  it('one value: that value, not the default (was: the default, `shared`: a wrong Allowed)', () => {
    expect(request(['dev']).decision).toBe('ImplicitlyDenied');
    // the controls: the same value as a string; the key absent takes the default
    expect(request('dev').decision).toBe('ImplicitlyDenied');
    expect(request(undefined).decision).toBe('Allowed');
    expect(request('shared').decision).toBe('Allowed');
    expect(request(['shared']).decision).toBe('Allowed');
  });

  it('several values: no value, and not the default', () => {
    expect(request(['shared', 'dev']).decision).toBe('ImplicitlyDenied');
  });

  it('an empty list: no value, so the default, as the Null operator reads it absent', () => {
    expect(request([]).decision).toBe('Allowed');
  });
});
