/**
 * A link names at most 20 missing inputs, in `missing` and in its why, and counts the rest: a
 * role of an iam.json attached to 5,000 managed policies the file does not hold named all 5,000
 * in each of its links, twice (a 400 KB file made a 10 MB report; a few MB more, a report too
 * large for one string). Found while fuzzing the CLI.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import type { ReportLink } from '../../src/report/types.js';
import { editJson, inScenarioCopy, type Json } from './scenarioCopy.js';

const ROLE = 'arn:aws:iam::111111111111:role/service-role/orders-api-pipeline-role';
const policyArn = (i: number): string => `arn:aws:iam::111111111111:policy/absent-${1000 + i}`;

/** The pipeline role's links when it is attached to `n` managed policies iam.json lacks. */
function linksWithAbsentPolicies(n: number): ReportLink[] {
  return inScenarioCopy('fixtures/scenarios/pass-cross-account', (dir) => {
    editJson(join(dir, '111111111111/iam.json'), (iam) => {
      const role = (iam['RoleDetailList'] as Json[]).find((r) => r['Arn'] === ROLE)!;
      const attached = role['AttachedManagedPolicies'] as Json[];
      for (let i = 0; i < n; i++)
        attached.push({ PolicyName: `absent-${1000 + i}`, PolicyArn: policyArn(i) });
    });
    const report = analyzeModel(loadSnapshot(dir));
    return report.pipelines.flatMap((p) => p.links).filter((l) => l.principal === ROLE);
  });
}

describe('a link that lacks many inputs', () => {
  it('names 20 of 30 absent managed policies and counts the other 10 (it named all 30, twice)', () => {
    const links = linksWithAbsentPolicies(30).filter((l) => l.decision === 'Unknown');
    expect(links.length).toBeGreaterThan(0);
    for (const l of links) {
      expect(l.missing).toEqual([
        ...Array.from({ length: 20 }, (_, i) => policyArn(i)),
        '(10 more inputs, not listed)',
      ]);
      expect(l.why).toContain(`\`${policyArn(19)}\`, 10 more`);
      expect(l.why).not.toContain(policyArn(20));
    }
  });

  it('20 absent managed policies are all named, with no count', () => {
    const links = linksWithAbsentPolicies(20).filter((l) => l.decision === 'Unknown');
    expect(links.length).toBeGreaterThan(0);
    for (const l of links) {
      expect(l.missing).toEqual(Array.from({ length: 20 }, (_, i) => policyArn(i)));
      expect(l.why).toContain(`\`${policyArn(19)}\``);
      expect(l.why).not.toContain('more');
    }
  });
});
