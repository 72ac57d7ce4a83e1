/**
 * Every report format agrees with the exit code: what fails the run (a required denial, an
 * unknown link under --fail-on unknown, an expired baseline entry, no pipeline under --fail-on
 * unknown) shows as a failure in each of them, and expired baseline entries are named.
 */
import { describe, expect, it } from 'vitest';
import { applyBaseline } from '../../src/report/baseline.js';
import { exitCodeFor, gateSummary, linkFailure } from '../../src/report/gate.js';
import { renderGithub } from '../../src/report/github.js';
import { renderHtml } from '../../src/report/html.js';
import { renderJson } from '../../src/report/json.js';
import { renderJunit } from '../../src/report/junit.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import type { FailOn } from '../../src/report/options.js';
import { renderSarif } from '../../src/report/sarif.js';
import { renderText } from '../../src/report/text.js';
import type { Report } from '../../src/report/types.js';
import { noPipelines, onlyUnknown } from './fixtures.js';
import { findAll, parseXml } from './xmlCheck.js';

const UNKNOWN_LINK = 'codebuild.start-build@Scan/Scan';
/** one unknown link whose baseline entry expired (the others have no entry) */
const expiredUnknownBaseline = {
  version: 1 as const,
  entries: [
    {
      pipeline: 'arn:aws:codepipeline:eu-west-1:333333333333:nightly-scan',
      link: UNKNOWN_LINK,
      reason: 'crawl pending',
      expires: '2025-01-31',
      decision: 'Unknown' as const,
    },
  ],
};
/** under --fail-on unknown the link fails on its own: it carries the expired acceptance */
const expiredUnknown = applyBaseline(onlyUnknown, expiredUnknownBaseline, '2025-02-01', {
  failOn: 'unknown',
});
/** under --fail-on denied it does not: the entry lapses, the link is as without a baseline */
const lapsedUnknown = applyBaseline(onlyUnknown, expiredUnknownBaseline, '2025-02-01');

interface Seen {
  exit: number;
  markdownPasses: boolean;
  junitFailures: number;
  githubErrors: number;
  sarifErrors: number;
}

function look(report: Report, failOn: FailOn): Seen {
  const o = { failOn };
  const md = renderMarkdown(report, o);
  const junit = parseXml(renderJunit(report, o));
  const sarif = JSON.parse(renderSarif(report, o)) as {
    runs: {
      results: { level: string }[];
      invocations: { toolExecutionNotifications: { level: string }[] }[];
    }[];
  };
  const run = sarif.runs[0]!;
  return {
    exit: exitCodeFor(report, failOn),
    markdownPasses: md.split('\n')[1]!.includes('no pipeline fails'),
    junitFailures: Number(junit.attrs['failures']),
    githubErrors: renderGithub(report, o)
      .split('\n')
      .filter((l) => l.startsWith('::error')).length,
    sarifErrors:
      run.results.filter((r) => r.level === 'error').length +
      run.invocations[0]!.toolExecutionNotifications.filter((n) => n.level === 'error').length,
  };
}

describe('every format agrees with the exit code', () => {
  it.each([
    ['unknown links under --fail-on unknown', onlyUnknown, 'unknown' as const, 1],
    ['unknown links under --fail-on denied', onlyUnknown, 'denied' as const, 0],
    ['an expired baseline entry on an unknown link', expiredUnknown.report, 'unknown' as const, 1],
    [
      'an expired entry on a link that passes without it',
      lapsedUnknown.report,
      'denied' as const,
      0,
    ],
    ['an expired baseline entry under --fail-on never', expiredUnknown.report, 'never' as const, 0],
    ['no pipeline under --fail-on unknown', noPipelines, 'unknown' as const, 1],
    ['no pipeline under --fail-on denied', noPipelines, 'denied' as const, 0],
  ])('%s', (_name, report, failOn, exit) => {
    const seen = look(report, failOn);
    expect(seen.exit).toBe(exit);
    if (exit === 1) {
      expect(seen.markdownPasses).toBe(false);
      expect(seen.junitFailures).toBeGreaterThan(0);
      expect(seen.githubErrors).toBeGreaterThan(0);
      expect(seen.sarifErrors).toBeGreaterThan(0);
    } else {
      expect(seen).toEqual({
        exit: 0,
        // no pipeline is not a pass: the heading says nothing was analyzed (markdown.test.ts)
        markdownPasses: report.pipelines.length > 0,
        junitFailures: 0,
        githubErrors: 0,
        sarifErrors: 0,
      });
    }
  });

  it('counts what fails the run the same way in the gate and the markdown heading', () => {
    const strict = renderMarkdown(onlyUnknown, { failOn: 'unknown' });
    expect(strict).toContain('## permchain: 2 of 3 pipelines fail\n');
    expect(strict).toContain('| :x: fail: unknown links (--fail-on unknown) |');
    expect(strict).toContain(
      'the run fails (exit 1): 2 required links unknown (--fail-on unknown).',
    );
    expect(renderMarkdown(noPipelines, { failOn: 'unknown' })).toContain(
      '## permchain: no pipeline found: the run fails (--fail-on unknown)\n',
    );
    expect(gateSummary(onlyUnknown, 'unknown').failingPipelines).toBe(2);
  });
});

describe('expired baseline entries are named in every report', () => {
  const report = expiredUnknown.report;
  const link = report.pipelines.flatMap((p) => p.links).find((l) => l.id === UNKNOWN_LINK)!;

  const o = { failOn: 'unknown' as const };

  it('the link carries the expired acceptance, and fails the run for it', () => {
    expect(expiredUnknown.expired).toHaveLength(1);
    expect(link.accepted).toBeUndefined();
    expect(link.expired).toEqual({ reason: 'crawl pending', expires: '2025-01-31' });
    expect(linkFailure(link, 'unknown')).toBe('expired');
    expect(linkFailure(link, 'denied')).toBeUndefined();
    expect(linkFailure(link, 'never')).toBeUndefined();
  });

  it('an expired entry on a link that does not fail on its own leaves it as without a baseline', () => {
    expect(lapsedUnknown.expired).toEqual([]);
    expect(lapsedUnknown.lapsed.map((l) => l.entry)).toEqual(expiredUnknownBaseline.entries);
    expect(lapsedUnknown.report).toEqual(onlyUnknown);
  });

  it.each([
    ['text', renderText(report, o)],
    ['json', renderJson(report, o)],
    ['markdown', renderMarkdown(report, o)],
    ['junit', renderJunit(report, o)],
    ['github', renderGithub(report, o)],
    ['sarif', renderSarif(report, o)],
    ['html', renderHtml(report, o)],
  ])('%s', (_format, out) => {
    expect(out).toContain('expired');
    expect(out).toContain('2025-01-31');
    expect(out).toContain('crawl pending');
  });

  it('junit marks it a failure of type baseline-expired; markdown lists it under its heading', () => {
    const root = parseXml(renderJunit(report, o));
    const failures = findAll(root, 'failure');
    // the other unknown link (no entry) fails as unknown
    expect(failures.map((f) => f.attrs['type'])).toEqual(['unknown', 'baseline-expired']);
    expect(failures[1]!.attrs['message']).toContain('its baseline entry expired on 2025-01-31');
    const md = renderMarkdown(report, o);
    expect(md).toContain('## permchain: 2 of 3 pipelines fail\n');
    expect(md).toContain('### Expired baseline entries\n');
    expect(md).toContain(
      '- <code>nightly-scan</code> <code>codebuild.start-build&#64;<!-- -->Scan/Scan</code>: accepted until 2025-01-31 (crawl pending); expired, so the link fails the run',
    );
  });
});
