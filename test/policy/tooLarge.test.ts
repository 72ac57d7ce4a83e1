/**
 * A policy with millions of values exhausted the process's memory (each value compiles to a
 * matcher): past MAX_POLICY_ELEMENTS it is refused as bad input, naming its pointer, before
 * anything is compiled.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/evaluate/evaluate.js';
import { MAX_POLICY_ELEMENTS, parsePolicy } from '../../src/policy/parse.js';

const resources = (n: number): string[] =>
  Array.from({ length: n }, (_, i) => `arn:aws:s3:::n-${i}/*a*b*`);
const doc = (Resource: string[], extra: Record<string, unknown> = {}) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource, ...extra }],
});

describe('a policy with more values than permchain reads', () => {
  it('is refused, naming the statements, without compiling (was out of memory)', () => {
    // one statement, one action, the rest resources: one over the limit
    const r = parsePolicy(doc(resources(MAX_POLICY_ELEMENTS - 1)), { name: 'big' });
    expect(r.policy).toBeUndefined();
    expect(r.problems.map((p) => `${p.id} ${p.pointer} ${p.severity}`)).toEqual([
      'policy.too-large /Statement error',
    ]);
  });

  it('counts Principal and Condition values too', () => {
    const half = Math.ceil(MAX_POLICY_ELEMENTS / 2);
    const r = parsePolicy(
      {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: resources(half) },
            Action: 's3:GetObject',
            Resource: '*',
            Condition: { StringEquals: { 'aws:SourceVpce': resources(half) } },
          },
        ],
      },
      { name: 'big', policyType: 'resource' },
    );
    expect(r.problems.map((p) => p.id)).toEqual(['policy.too-large']);
  });

  it('makes a request that gives it bad input, not an answer', () => {
    const r = evaluate({
      principal: 'arn:aws:iam::111122223333:role/R',
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::b/k',
      identityPolicies: [doc([...resources(MAX_POLICY_ELEMENTS), '*'])],
    });
    expect(r.decision).toBe('ImplicitlyDenied');
    expect(r.problems.map((p) => `${p.id} ${p.pointer}`)).toEqual([
      'policy.too-large /identityPolicies/0/Statement',
    ]);
  });

  it('a policy of exactly the limit is read (the bound is past it)', () => {
    // one statement and one action: MAX - 2 resources make MAX values
    const r = parsePolicy(doc(resources(MAX_POLICY_ELEMENTS - 2)), { name: 'at-limit' });
    expect(r.problems.map((p) => p.id)).not.toContain('policy.too-large');
    expect(r.policy).toBeDefined();
  });

  it('a large policy under the limit is read as usual', () => {
    const r = parsePolicy(doc([...resources(10_000), 'arn:aws:s3:::b/*']), { name: 'ok' });
    expect(r.problems).toEqual([]);
    expect(r.policy!.statements).toHaveLength(1);
  });
});
