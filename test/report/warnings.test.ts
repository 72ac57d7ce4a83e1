import { describe, expect, it } from 'vitest';
import { renderGithub } from '../../src/report/github.js';
import { renderHtml } from '../../src/report/html.js';
import { renderJunit } from '../../src/report/junit.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderText } from '../../src/report/text.js';
import type { Report } from '../../src/report/types.js';
import { crossAccountReport } from './fixtures.js';

function withWarning(): Report {
  const report = crossAccountReport();
  const p = report.pipelines[0]!;
  const allowed = p.links.find((l) => l.decision === 'Allowed')!;
  const warned = {
    ...allowed,
    warnings: ['the trust policy trusts the whole account `111111111111`'],
  };
  return {
    ...report,
    pipelines: [{ ...p, links: p.links.map((l) => (l === allowed ? warned : l)) }],
  };
}

describe('warnings on allowed links', () => {
  it('markdown lists them in their own section', () => {
    const md = renderMarkdown(withWarning());
    expect(md).toContain('### Allowed, but wider than it should be');
    expect(md).toContain('trusts the whole account');
    expect(renderMarkdown(crossAccountReport())).not.toContain('wider than it should be');
  });
  it('text shows them under the allowed link', () => {
    expect(renderText(withWarning())).toMatch(
      /warning\s+the trust policy trusts the whole account/,
    );
  });

  // html, junit and github dropped them (review finding, session 22)
  it('html shows them in the link row', () => {
    expect(renderHtml(withWarning())).toContain(
      '<div><b>warning:</b> the trust policy trusts the whole account',
    );
  });
  it('junit writes them to the passing test case, never as a failure', () => {
    const xml = renderJunit(withWarning());
    expect(xml).toContain(
      '<system-out>warning: the trust policy trusts the whole account `111111111111`</system-out>',
    );
    expect(xml.match(/<failure /g)?.length).toBe(
      renderJunit(crossAccountReport()).match(/<failure /g)?.length,
    );
  });
  it('github writes a notice for each, never an error', () => {
    const out = renderGithub(withWarning());
    const notices = out.split('\n').filter((l) => l.includes('wider than it should be'));
    expect(notices).toHaveLength(2);
    expect(notices[0]).toMatch(/^::notice /);
    expect(notices[0]).toContain('trusts the whole account');
    // the summary line counts it
    expect(notices[1]).toMatch(/^permchain: .*1 allowed but wider than it should be/);
  });
  it('the summaries count the allowed links that are too wide, where they said 0 warnings', () => {
    expect(renderText(withWarning())).toMatch(/allowed \(1 wider than it should be\)/);
    expect(renderMarkdown(withWarning())).toMatch(/allowed \(1 wider than it should be\)/);
    expect(renderHtml(withWarning())).toMatch(/allowed \(1 wider than it should be\)/);
    expect(renderText(crossAccountReport())).not.toContain('wider than');
  });
});
