/**
 * One rule for the SARIF level and the GitHub annotation kind: the severity of the finding
 * (findingSeverity), whatever --fail-on says.
 */
import { describe, expect, it } from 'vitest';
import { renderGithub } from '../../src/report/github.js';
import type { FailOn } from '../../src/report/options.js';
import { renderSarif } from '../../src/report/sarif.js';
import type { Report } from '../../src/report/types.js';
import { crossAccountReport, mapLinks, withoutErrors } from './fixtures.js';

const DENIED = 'codebuild.kms-decrypt@Build/Build';
const UNKNOWN = 'codebuild.start-build@Scan/Scan';
/** one required denial accepted, one unknown link whose entry expired */
const withBaseline = mapLinks(withoutErrors(crossAccountReport()), (l) =>
  l.id === DENIED
    ? { ...l, accepted: { reason: 'ticket 1', expires: '2099-01-01' } }
    : l.id === UNKNOWN
      ? { ...l, expired: { reason: 'crawl pending', expires: '2025-01-31' } }
      : l,
);

interface SarifResult {
  level: string;
  kind: string;
  suppressions?: unknown[];
  properties: { link: string; decision: string };
}

/** per non-allowed link, in report order: [link id, SARIF level/kind/suppressed, GitHub kind] */
function both(report: Report, failOn: FailOn): [string, string, string][] {
  const sarif = JSON.parse(renderSarif(report, { failOn })) as {
    runs: { results: SarifResult[] }[];
  };
  const results = sarif.runs[0]!.results.filter((r) => r.properties.decision !== 'Allowed');
  const annotations = renderGithub(report, { failOn })
    .split('\n')
    .slice(0, results.length)
    .map((l) => /^::(\w+) /.exec(l)![1]!);
  return results.map((r, i) => [
    r.properties.link,
    `${r.kind}/${r.level}${r.suppressions ? '/suppressed' : ''}`,
    annotations[i]!,
  ]);
}

/** the one rule, as the two formats write it */
const AGREE: Readonly<Record<string, string>> = {
  'fail/error': 'error',
  'fail/warning': 'warning',
  'open/none': 'warning',
  'fail/error/suppressed': 'notice',
  'fail/warning/suppressed': 'notice',
  'open/none/suppressed': 'notice',
};

describe('SARIF level and GitHub annotation kind', () => {
  it.each([
    ['denied', crossAccountReport()],
    ['unknown', crossAccountReport()],
    ['never', crossAccountReport()],
    ['denied', withBaseline],
    ['unknown', withBaseline],
    ['never', withBaseline],
  ] as [FailOn, Report][])('agree under --fail-on %s', (failOn, report) => {
    const pairs = both(report, failOn);
    expect(pairs.length).toBeGreaterThan(3);
    for (const [id, sarif, github] of pairs) expect([id, AGREE[sarif]]).toEqual([id, github]);
  });

  it('give a required denial the severity error under --fail-on never too', () => {
    const never = both(crossAccountReport(), 'never');
    const denied = never.filter(([id]) =>
      ['codebuild.kms-decrypt@Build/Build', 'cross-account.kms-decrypt@Deploy/DeployProd'].includes(
        id,
      ),
    );
    expect(denied).toHaveLength(2);
    for (const [, sarif, github] of denied) {
      expect(sarif).toBe('fail/error');
      expect(github).toBe('error');
    }
    // the recommended denial is a warning, the unknown links open (SARIF) and warnings (GitHub)
    expect(never.find(([id]) => id === 'codebuild.logs@Build/Build')!.slice(1)).toEqual([
      'fail/warning',
      'warning',
    ]);
    expect(never.find(([id]) => id === UNKNOWN)!.slice(1)).toEqual(['open/none', 'warning']);
    // and the summary still says the run passes
    expect(renderGithub(withoutErrors(crossAccountReport()), { failOn: 'never' })).toContain(
      '; the run passes (--fail-on never)\n',
    );
  });

  it('keep an accepted required denial an error that SARIF suppresses and GitHub notes', () => {
    const pairs = both(withBaseline, 'denied');
    expect(pairs.find(([id]) => id === DENIED)!.slice(1)).toEqual([
      'fail/error/suppressed',
      'notice',
    ]);
  });
});
