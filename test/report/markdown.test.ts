import { describe, expect, it } from 'vitest';
import {
  GITHUB_COMMENT_LIMIT,
  MARKDOWN_MARKER,
  escapeMarkdown,
  renderMarkdown,
} from '../../src/report/markdown.js';
import { crossAccountReport, hostileReport, largeReport } from './fixtures.js';

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
      expect([4, 6]).toContain(cells);
    }
    expect(escapeMarkdown('@octocat #12 *x* _y_ `z` [a](b) <i>&')).toBe(
      '&#64;octocat &#35;12 &#42;x&#42; &#95;y&#95; &#96;z&#96; &#91;a&#93;(b) &lt;i&gt;&amp;',
    );
    expect(escapeMarkdown('a\r\nb\u001bc')).toBe('a b&#92;x1bc');
  });
});
