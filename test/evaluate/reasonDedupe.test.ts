import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/evaluate/evaluate.js';

// The reasons of a decision name each deciding statement once. A statement without a Sid is
// named by its 1-based index (a number), one with a Sid by the Sid (a string): statement 1 and
// the statement whose Sid is "1" are two statements, however many reasons there are.
describe('reasons are told apart by statement', () => {
  const request = (count: number) => ({
    principal: 'arn:aws:iam::111122223333:role/r',
    action: 's3:GetObject',
    resource: 'arn:aws:s3:::b/k',
    identityPolicies: [
      {
        Version: '2012-10-17',
        Statement: [
          ...Array.from({ length: count }, () => ({
            Effect: 'Deny',
            Action: 's3:GetObject',
            Resource: '*',
          })),
          { Sid: '1', Effect: 'Deny', Action: 's3:GetObject', Resource: '*' },
        ],
      },
    ],
  });

  for (const count of [3, 20]) {
    it(`with ${count + 1} denying statements, each is named once`, () => {
      const result = evaluate(request(count));
      expect(result.decision).toBe('ExplicitlyDenied');
      const statements = result.deniedBy.map((r) => r.statement);
      expect(statements).toContain(1);
      expect(statements).toContain('1');
      expect(statements).toHaveLength(count + 1);
    });
  }
});
