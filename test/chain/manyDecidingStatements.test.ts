/**
 * A link names at most ten statements of one policy in `deniedBy` and counts the rest in its why,
 * and its fix narrows at most 20 policies by name:
 * the evaluator names every statement that decides, and a hostile role policy of 40,000
 * `Deny *` statements was named in full in each link of the role (a 1.9 MB iam.json made a
 * 294 MB report; a larger one a report too large for one string, a RangeError with its stack
 * trace). Found by fuzzing the CLI.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import type { ReportLink } from '../../src/report/types.js';
import { editJson, inScenarioCopy, type Json } from './scenarioCopy.js';

const ROLE = 'arn:aws:iam::111111111111:role/service-role/orders-api-pipeline-role';

function linksWithDenies(n: number, policies = 1): ReportLink[] {
  return inScenarioCopy('fixtures/scenarios/pass-cross-account', (dir) => {
    editJson(join(dir, '111111111111/iam.json'), (iam) => {
      const role = (iam['RoleDetailList'] as Json[]).find((r) => r['Arn'] === ROLE)!;
      const statements = Array.from({ length: n }, (_, i) => ({
        Sid: `Deny${i}`,
        Effect: 'Deny',
        Action: '*',
        Resource: '*',
      }));
      for (let p = 0; p < policies; p++)
        (role['RolePolicyList'] as Json[]).push({
          PolicyName: `many-denies-${10 + p}`,
          PolicyDocument: { Version: '2012-10-17', Statement: statements },
        });
    });
    const report = analyzeModel(loadSnapshot(dir));
    return report.pipelines.flatMap((p) => p.links).filter((l) => l.principal === ROLE);
  });
}

describe('a link decided by many statements of one policy', () => {
  it('names ten of 30 deny statements and counts the other 20 in its why (it named all 30)', () => {
    const links = linksWithDenies(30);
    expect(links.length).toBeGreaterThan(0);
    for (const l of links) {
      expect(l.decision).toBe('ExplicitlyDenied');
      expect(l.deniedBy.map((r) => r.statement)).toEqual(
        Array.from({ length: 10 }, (_, i) => `Deny${i}`),
      );
      expect(l.why).toContain(
        '; 20 more statements that decide it are not listed (a link lists at most 10 of one policy, 100 in all)',
      );
    }
  });

  it('ten statements or fewer are all named, with no count', () => {
    for (const l of linksWithDenies(10)) {
      expect(l.deniedBy).toHaveLength(10);
      expect(l.why).not.toContain('not listed');
    }
  });

  it('a fix narrows 20 of 30 denying policies by name and counts the other 10 (it named all 30)', () => {
    const links = linksWithDenies(1, 30);
    expect(links.length).toBeGreaterThan(0);
    for (const l of links) {
      expect(l.decision).toBe('ExplicitlyDenied');
      expect(l.deniedBy).toHaveLength(30);
      expect(l.fix).toContain(
        `(inline: many-denies-29)\` and 10 more policies so they do not cover`,
      );
      expect(l.fix).not.toContain('many-denies-30');
    }
  });
});
