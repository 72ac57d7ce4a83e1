/**
 * Findings of a review of the text and markdown reports:
 * - a reason naming a group of policies (the caller's identity policies, the SCPs of one level)
 *   is printed without its type word twice, and a baseline entry written when they were named
 *   `identity policies` / `level N` still matches the link (and only that level's);
 * - a denied link's missing inputs are what would settle whether a deny applies, in text and
 *   markdown as in JUnit and HTML;
 * - markdown for an input without pipelines leads with that, not with "no pipeline fails" over
 *   an empty table;
 * - an accepted link in markdown keeps its decision and an icon of its own;
 * - the markdown table counts links as the summary line does (denied, unknown, warnings);
 * - `analyze --help` shows the real default of `--format`.
 */
import { describe, expect, it } from 'vitest';
import { applyBaseline, type Baseline } from '../../src/report/baseline.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { formatReason } from '../../src/report/summarize.js';
import { renderText } from '../../src/report/text.js';
import type { LinkReason, Report, ReportLink } from '../../src/report/types.js';
import { runCli } from '../cli/runCli.js';
import { crossAccountReport, noPipelines } from './fixtures.js';

const ROLE = 'arn:aws:iam::222222222222:role/deploy';
const IDENTITY_GROUP: LinkReason = {
  policyType: 'identity',
  policy: `identity policies of ${ROLE}`,
  explicit: false,
};
const SCP_LEVEL: LinkReason = {
  policyType: 'scp',
  policy: 'SCPs attached to ou-exm1-prodwl01 (level 2 of 3): p-allow (allow), p-guard (guard)',
  explicit: false,
};

const report: Report = { ...crossAccountReport(), problems: [] };
const KMS = 'codebuild.kms-decrypt@Build/Build';
const APP = report.pipelines[0]!.arn;

function withKmsLink(f: (l: ReportLink) => ReportLink): Report {
  return {
    ...report,
    pipelines: report.pipelines.map((p) => ({
      ...p,
      links: p.links.map((l) => (l.id === KMS ? f(l) : l)),
    })),
  };
}

describe('a reason naming a group of policies', () => {
  it('is printed with its own words, its type not said twice', () => {
    expect(formatReason(IDENTITY_GROUP)).toBe(`identity policies of ${ROLE} (no matching allow)`);
    expect(formatReason(SCP_LEVEL)).toBe(
      'SCPs attached to ou-exm1-prodwl01 (level 2 of 3): p-allow (allow), p-guard (guard) (no matching allow)',
    );
    // as a baseline entry of an earlier version recorded it
    expect(
      formatReason({ policyType: 'identity', policy: 'identity policies', explicit: false }),
    ).toBe('identity policies (no matching allow)');
    // one policy keeps its type word
    expect(formatReason({ policyType: 'scp', policy: 'p-guard (guard)', explicit: false })).toBe(
      'SCP p-guard (guard) (no matching allow)',
    );
    const grouped = withKmsLink((l) => ({ ...l, deniedBy: [IDENTITY_GROUP, SCP_LEVEL] }));
    const text = renderText(grouped);
    expect(text).toContain(`decided by   identity policies of ${ROLE} (no matching allow)`);
    expect(text).not.toContain('identity policy identity policies');
    expect(text).not.toContain('SCP SCPs');
    const md = renderMarkdown(grouped);
    expect(md).toContain(`| decided by | identity policies of ${ROLE} (no matching allow) |`);
    expect(md).not.toContain('SCP SCPs');
  });

  it('matches a baseline entry written when the group was named `identity policies` or `level N`', () => {
    const link = report.pipelines[0]!.links.find((l) => l.id === KMS)!;
    const grouped = withKmsLink((l) => ({ ...l, deniedBy: [IDENTITY_GROUP, SCP_LEVEL] }));
    const entry = (level: string): Baseline => ({
      version: 2,
      entries: [
        {
          pipeline: APP,
          link: KMS,
          decision: link.decision as 'ImplicitlyDenied',
          principal: link.principal,
          resource: link.resource,
          deniedBy: [
            { policyType: 'identity', policy: 'identity policies', explicit: false },
            { policyType: 'scp', policy: level, explicit: false },
          ],
          reason: 'SEC-1',
          expires: '2030-01-01',
        },
      ],
    });
    const accepted = (b: Baseline): boolean =>
      applyBaseline(grouped, b, '2025-01-01').report.pipelines[0]!.links.find((l) => l.id === KMS)!
        .accepted !== undefined;
    expect(accepted(entry('level 2'))).toBe(true);
    // another level is another cause
    expect(accepted(entry('level 3'))).toBe(false);
  });
});

describe('missing inputs of a link', () => {
  const denied = withKmsLink((l) => ({
    ...l,
    missing: ['organization/scp/p-guard.json'],
  }));
  it('are, on a denied link, what would settle whether a deny applies (text)', () => {
    const text = renderText(denied);
    expect(text).toContain(
      '        missing input that would settle whether a deny applies\n' +
        '                     organization/scp/p-guard.json\n',
    );
  });
  it('are, on a denied link, what would settle whether a deny applies (markdown)', () => {
    expect(renderMarkdown(denied)).toContain(
      '| missing input that would settle whether a deny applies | <code>organization/scp/p-guard.json</code> |',
    );
  });
});

describe('markdown for an input without pipelines', () => {
  it('leads with the warning, with no table and no pass', () => {
    const md = renderMarkdown(noPipelines);
    expect(md).toBe(
      '<!-- permchain-report -->\n' +
        '## permchain: no pipeline found: nothing was analyzed\n\n' +
        '> :warning: warning: snapshot: no pipelines found: nothing was analyzed &#91;input.no-pipelines&#93;\n\n' +
        '**No pipeline was analyzed**; the run exits 0 all the same (under `--fail-on unknown` it fails).\n\n',
    );
  });
  it('says the run fails under --fail-on unknown', () => {
    const md = renderMarkdown(noPipelines, { failOn: 'unknown' });
    expect(md.split('\n')[1]).toBe(
      '## permchain: no pipeline found: the run fails (--fail-on unknown)',
    );
    expect(md).toContain(
      '**No pipeline was analyzed**; the run fails (exit 1): no pipeline found (--fail-on unknown).',
    );
    expect(md).not.toContain('| pipeline |');
  });
});

describe('markdown links and table', () => {
  it('shows an accepted link with its decision and an icon that is not the allowed one', () => {
    const accepted = withKmsLink((l) => ({
      ...l,
      accepted: { reason: 'SEC-1', expires: '2030-01-01' },
    }));
    const md = renderMarkdown(accepted);
    expect(md).toContain(
      '<summary>:ballot_box_with_check: accepted (implicitly denied): <code>kms:Decrypt</code>',
    );
    expect(md).not.toContain(':white_check_mark: accepted');
  });

  it('counts denied, unknown and warnings in the table as the summary line does', () => {
    const md = renderMarkdown(report);
    expect(md).toContain('| pipeline | verdict | denied | unknown | warnings |\n');
    expect(md).toContain('| <code>app-release</code> | :x: fail | 2 | 1 | 1 |\n');
    expect(md).toContain('2 denied, 2 unknown, 1 warning;');
  });
});

describe('analyze --help', () => {
  it('shows the default of --format as text, not as an empty list', async () => {
    const r = await runCli(process.cwd(), 'analyze', '--help');
    const help = r.out.replace(/\s+/g, ' ');
    const format = help.slice(help.indexOf('--format <format>'), help.indexOf('--output <file>'));
    expect(format).toContain('(several need --output-dir) (default: "text")');
    expect(format).not.toContain('(default: [])');
  });
});
