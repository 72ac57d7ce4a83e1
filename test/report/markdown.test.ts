import { describe, expect, it } from 'vitest';
import { diffReports, renderDiffMarkdown } from '../../src/report/diff.js';
import {
  GITHUB_COMMENT_LIMIT,
  MARKDOWN_MARKER,
  escapeMarkdown,
  renderMarkdown,
} from '../../src/report/markdown.js';
import type { Report, ReportPipeline } from '../../src/report/types.js';
import { crossAccountReport, hostileReport, largeReport } from './fixtures.js';

/** `n` pipelines of one allowed link each, but every 100th one has a denied link */
function manyPipelines(n: number): Report {
  const base = crossAccountReport().pipelines[1]!;
  const pipelines: ReportPipeline[] = [];
  for (let i = 0; i < n; i++) {
    const name = `pipeline-with-a-long-name-${String(i).padStart(5, '0')}`;
    const failing = i % 100 === 99;
    pipelines.push({
      ...base,
      name,
      arn: `arn:aws:codepipeline:us-east-1:111111111111:${name}`,
      verdict: failing ? 'fail' : 'pass',
      links: base.links
        .slice(0, 1)
        .map((l) => (failing ? { ...l, decision: 'ImplicitlyDenied' as const, deniedBy: [] } : l)),
    });
  }
  return { pipelines, problems: [] };
}

describe('markdown', () => {
  it('starts with the marker and a summary table of every pipeline', () => {
    const md = renderMarkdown(crossAccountReport());
    expect(md.startsWith(MARKDOWN_MARKER + '\n')).toBe(true);
    expect(md).toContain('| pipeline | verdict | denied | unknown |');
    expect(md).toContain('| <code>app-release</code> | :x: fail | 2 | 1 |');
    expect(md).toContain('| <code>docs-site</code> | :white_check_mark: pass | 0 | 0 |');
    expect(md).toContain('| <code>nightly-scan</code> | :grey_question: unknown | 0 | 1 |');
  });

  it('puts each broken link in a details block, denied first, with the deciding statement and fix', () => {
    const md = renderMarkdown(crossAccountReport());
    const blocks = md.split('<details>').slice(1);
    expect(blocks).toHaveLength(5);
    expect(blocks[0]).toContain(':x: denied');
    expect(blocks[4]).toContain(':warning: warning (recommended)');
    const scp = blocks.find((b) => b.includes('DenyCrossAccountKms'))!;
    expect(scp).toContain(
      '| principal | <code>arn:aws:iam::222222222222:role/app-release-deploy</code> |',
    );
    expect(scp).toContain('| action | <code>kms:Decrypt</code> |');
    expect(scp).toContain(
      '<code>snapshot/organization/scp/p-abc12345.json&#35;/Policy/Content/Statement/1</code>',
    );
    expect(scp).toContain('| fix | exempt the artifact key ARN');
    expect(scp).toContain('</details>');
  });

  it('stays under the GitHub comment limit on a 5,000-link report and says how many links are cut', () => {
    const report = largeReport(50, 100);
    const md = renderMarkdown(report);
    expect(md.length).toBeLessThan(GITHUB_COMMENT_LIMIT);
    const shown = md.split('<details>').length - 1;
    expect(shown).toBeGreaterThan(10);
    const m = /\*\*(\d+) more links not shown\*\* \(([^)]*)\)/.exec(md);
    expect(m).not.toBeNull();
    expect(Number(m![1]) + shown).toBe(5000);
    // the table still lists every pipeline
    expect(md.match(/^\| <code>pipeline-\d{3}<\/code>/gm)).toHaveLength(50);
    // most severe first: the shown blocks are all denials
    expect(
      md
        .split('<details>')
        .slice(1)
        .every((b) => b.includes(':x: denied')),
    ).toBe(true);
  });

  it('respects a smaller maxChars budget', () => {
    const md = renderMarkdown(largeReport(2, 50), { maxChars: 5000 });
    expect(md.length).toBeLessThanOrEqual(5000);
    expect(md).toMatch(/more links not shown/);
  });

  it('neutralises hostile values: no raw markup, table breaks, mentions or references', () => {
    const md = renderMarkdown(hostileReport());
    expect(md).not.toContain('<b>');
    // every table row keeps its column count
    for (const line of md.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| ---'))) {
      const cells = line.split('|').length;
      // a link block's two columns, the summary table's five
      expect([4, 7]).toContain(cells);
    }
    expect(escapeMarkdown('@octocat #12 *x* _y_ `z` [a](b) <i>&')).toBe(
      '&#64;<!-- -->octocat &#35;<!-- -->12 &#42;x&#42; &#95;y&#95; &#96;z&#96; &#91;a&#93;(b) &lt;i&gt;&amp;',
    );
    // a line break is shown escaped, as every control character is (README): `a\nb` is not `a b`
    expect(escapeMarkdown('a\r\nb\u001bc')).toBe('a&#92;x0d&#92;x0ab&#92;x1bc');
  });

  it('cuts the summary table of 1,201 pipelines to its share, failing pipelines first, and says so', () => {
    const report = manyPipelines(1201);
    const md = renderMarkdown(report);
    expect(md.length).toBeLessThan(GITHUB_COMMENT_LIMIT);
    expect(renderMarkdown(report)).toBe(md);
    const rows = md.match(/^\| <code>pipeline-with-a-long-name-\d{5}<\/code>/gm) ?? [];
    expect(rows.length).toBeGreaterThan(100);
    expect(rows.length).toBeLessThan(1201);
    const m = /\*\*(\d+) more pipelines not shown\*\* \(([^)]*)\)/.exec(md);
    expect(m).not.toBeNull();
    expect(Number(m![1]) + rows.length).toBe(1201);
    // the 12 failing pipelines come first
    expect(md).toContain('| <code>pipeline-with-a-long-name-00099</code> | :x: fail | 1 | 0 |');
    expect(md.indexOf('-01199</code>')).toBeLessThan(md.indexOf('-00000</code>'));
    expect(m![2]).toBe(`${Number(m![1])} pass`);
    // the link blocks still have room
    expect(md.split('<details>').length - 1).toBe(12);
  });

  it('cuts a value too long for a cell: a pipeline named with 80,000 characters', () => {
    const r = crossAccountReport();
    const name = 'P|'.repeat(40_000);
    const report: Report = {
      ...r,
      pipelines: [{ ...r.pipelines[0]!, name }],
    };
    const md = renderMarkdown(report);
    expect(md.length).toBeLessThan(GITHUB_COMMENT_LIMIT);
    expect(md).toContain('… (79700 more characters)</code>');
    expect(md).toMatch(
      /^\| <code>(P&#124;){150}… \(79700 more characters\)<\/code> \| :x: fail \|/m,
    );
    // every link block is still shown
    expect(md.split('<details>').length - 1).toBe(4);
  });

  it('keeps any budget, even one smaller than the fixed parts', () => {
    for (const maxChars of [100, 600, 2_000]) {
      const md = renderMarkdown(manyPipelines(300), { maxChars });
      expect(md.length).toBeLessThanOrEqual(maxChars);
    }
  });
});

describe('diff markdown', () => {
  const before = manyPipelines(1201);
  const after: Report = {
    ...before,
    pipelines: before.pipelines.map((p) => ({
      ...p,
      links: p.links.map((l) => ({ ...l, decision: 'ImplicitlyDenied' as const, deniedBy: [] })),
    })),
  };

  it('stays under the GitHub comment limit and says how many changes are left out', () => {
    const d = diffReports(before, after);
    expect(d.newlyDenied.length).toBe(1189);
    const md = renderDiffMarkdown(d);
    expect(md.length).toBeLessThan(GITHUB_COMMENT_LIMIT);
    expect(renderDiffMarkdown(d)).toBe(md);
    const rows = (md.match(/^\| <code>pipeline-with/gm) ?? []).length;
    expect(rows).toBeGreaterThan(50);
    expect(md).toContain(`**Changes not shown** (${1189 - rows} newly denied)`);
    expect(renderDiffMarkdown(d, { maxChars: 3_000 }).length).toBeLessThanOrEqual(3_000);
  });

  it('cuts values too long for a cell', () => {
    const name = 'P|'.repeat(40_000);
    const d = diffReports(
      { ...before, pipelines: [{ ...before.pipelines[0]!, name }] },
      { ...after, pipelines: [{ ...after.pipelines[0]!, name }] },
    );
    const md = renderDiffMarkdown(d);
    expect(md.length).toBeLessThan(GITHUB_COMMENT_LIMIT);
    expect(md).toContain('… (79700 more characters)</code>');
  });
});
