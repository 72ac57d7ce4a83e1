// Rules a review of the evaluator (session 10) found answered wrongly: each case was a wrong
// Allowed before its fix.
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/evaluate/evaluate.js';
import { parsePolicy } from '../../src/policy/parse.js';
import type { EvaluationRequest } from '../../src/evaluate/types.js';

const A = '111111111111';
const USER = `arn:aws:iam::${A}:user/alice`;

type Stmt = Record<string, unknown>;
const doc = (...Statement: Stmt[]) => ({ Version: '2012-10-17', Statement });
const allowAll = (Action: string): Stmt => ({ Effect: 'Allow', Action, Resource: '*' });
const denyAll = (Action: string): Stmt => ({ Effect: 'Deny', Action, Resource: '*' });

const ids = (r: { problems: readonly { id: string }[] }) => r.problems.map((p) => p.id);

describe('top-level elements IAM refuses make the document unreadable', () => {
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
  it('a misspelt `Statment` may hold the Deny that decides: bad input, never Allowed', () => {
    const r = evaluate({
      principal: USER,
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::bkt/k',
      identityPolicies: [
        {
          Version: '2012-10-17',
          Statement: [allowAll('s3:*')],
          Statment: [denyAll('s3:*')],
        },
      ],
    });
    expect(r.decision).toBe('ImplicitlyDenied');
    expect(r.allowedBy).toEqual([]);
    expect(r.deniedBy).toEqual([]);
    expect(r.problems).toContainEqual(
      expect.objectContaining({
        id: 'policy.document.unknown-key',
        pointer: '/identityPolicies/0/Statment',
        severity: 'error',
      }),
    );
  });

  it('a Version other than the two (a trailing space) is bad input in any policy type', () => {
    // under 2008 rules `${aws:username}` would be literal and this Deny would miss
    const bad = {
      Version: '2012-10-17 ',
      Statement: [
        { Effect: 'Deny', Action: 's3:*', Resource: 'arn:aws:s3:::bkt/${aws:username}/*' },
      ],
    };
    const base: EvaluationRequest = {
      principal: USER,
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::bkt/alice/k',
      identityPolicies: [doc(allowAll('s3:*'))],
    };
    for (const req of [
      { ...base, identityPolicies: [doc(allowAll('s3:*')), bad] },
      { ...base, permissionBoundary: { ...bad, Statement: [...bad.Statement, allowAll('*')] } },
      { ...base, scps: [[{ ...bad, Statement: [...bad.Statement, allowAll('*')] }]] },
    ] as EvaluationRequest[]) {
      const r = evaluate(req);
      expect(r.decision).toBe('ImplicitlyDenied');
      expect(r.allowedBy).toEqual([]);
      expect(ids(r)).toContain('policy.version.invalid');
    }
  });

  it('an `Id` that is not a string is bad input', () => {
    const r = evaluate({
      principal: USER,
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::bkt/k',
      identityPolicies: [{ Version: '2012-10-17', Id: 5, Statement: [allowAll('s3:*')] }],
    });
    expect(r.decision).toBe('ImplicitlyDenied');
    expect(r.allowedBy).toEqual([]);
    expect(ids(r)).toContain('policy.id.invalid');
  });

  it('the compiled policy lists the unreadable elements with the skipped statements', () => {
    const { policy } = parsePolicy(
      { Version: '2012-10-17', Id: 5, Statement: [allowAll('s3:*'), { Effect: 'allow' }] },
      { name: 'p', pointer: '/doc' },
    );
    expect(policy?.skipped).toEqual(['/doc/Id', '/doc/Statement/1']);
  });

  it('no Version (2008 rules, a warning) and a string Id still evaluate', () => {
    const r = evaluate({
      principal: USER,
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::bkt/k',
      identityPolicies: [{ Id: 'x', Statement: [allowAll('s3:*')] }],
    });
    expect(r.decision).toBe('Allowed');
    expect(ids(r)).toEqual(['policy.version.missing']);
  });
});
