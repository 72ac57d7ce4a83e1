import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/evaluate/evaluate.js';
import { parsePolicy } from '../../src/policy/parse.js';
import { escapePointerToken, joinPointer } from '../../src/problems.js';

// Policies that write the same Action or Resource pattern share one compiled matcher
// (src/policy/parse.ts: sharedGlob); each still matches exactly what it says.
describe('patterns shared between policies', () => {
  const doc = (action: string, resource: string) => ({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: action, Resource: resource }],
  });
  const compile = (d: unknown) => parsePolicy(d, { name: 'p', policyType: 'identity' }).policy!;

  it('two policies writing `s3:Get*` on one bucket pattern get the same matchers', () => {
    const a = compile(doc('s3:Get*', 'arn:aws:s3:::bucket-*/*'));
    const b = compile(doc('S3:GET*', 'arn:aws:s3:::bucket-*/*'));
    const [sa, sb] = [a.statements[0]!, b.statements[0]!];
    expect(sb.action!.patterns[0]).toBe(sa.action!.patterns[0]);
    expect(sb.resource!.patterns[0]!.glob).toBe(sa.resource!.patterns[0]!.glob);
  });

  it('an action pattern and the same text as a resource are matched each their own way', () => {
    // `a:b*` as an action is one wildcard over the whole text; as a Resource it is an ARN pattern
    // of two segments whose last ends in `*`: both match `a:bc`, but only the action one is
    // case-blind (actions are lower-cased), and the Resource pattern is case-sensitive
    const p = compile(doc('a:b*', 'a:b*'));
    const st = p.statements[0]!;
    expect(st.action!.patterns[0]!.test('a:bc')).toBe(true);
    expect(st.resource!.patterns[0]!.glob!.test('a:bc')).toBe(true);
    expect(st.resource!.patterns[0]!.glob!.test('a:Bc')).toBe(false);
  });

  it('requests decided by policies that share patterns are each decided on their own text', () => {
    const principal = 'arn:aws:iam::111122223333:role/r';
    const ask = (d: unknown, resource: string) =>
      evaluate({ principal, action: 's3:GetObject', resource, identityPolicies: [d] }).decision;
    const one = doc('s3:Get*', 'arn:aws:s3:::bucket-*/*');
    const two = doc('s3:Get*', 'arn:aws:s3:::other/*');
    expect(ask(one, 'arn:aws:s3:::bucket-a/k')).toBe('Allowed');
    expect(ask(two, 'arn:aws:s3:::bucket-a/k')).toBe('ImplicitlyDenied');
    expect(ask(two, 'arn:aws:s3:::other/k')).toBe('Allowed');
    expect(ask(one, 'arn:aws:s3:::other/k')).toBe('ImplicitlyDenied');
  });
});

describe('JSON pointer tokens', () => {
  it('escape `~` and `/` (RFC 6901), and leave other text and numbers as they are', () => {
    expect(escapePointerToken('plain')).toBe('plain');
    expect(escapePointerToken(12)).toBe('12');
    expect(escapePointerToken('a/b')).toBe('a~1b');
    expect(escapePointerToken('a~b')).toBe('a~0b');
    expect(escapePointerToken('~/')).toBe('~0~1');
    expect(joinPointer('/Statement', 0)).toBe('/Statement/0');
    expect(joinPointer('/Statement', 0, 'Condition', 'aws:Source/Arn')).toBe(
      '/Statement/0/Condition/aws:Source~1Arn',
    );
    expect(joinPointer('', 'x~1')).toBe('/x~01');
  });
});
