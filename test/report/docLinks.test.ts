/**
 * A link's documentation address becomes a link only when it is an absolute http(s) URI:
 * `javascript:`, `data:`, protocol-relative or unparsable ones stay text in every format that
 * links (html href, markdown link, SARIF helpUri).
 */
import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/report/html.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderSarif } from '../../src/report/sarif.js';
import type { Report } from '../../src/report/types.js';
import { crossAccountReport } from './fixtures.js';

const BAD = [
  'javascript:alert(1)',
  'JaVaScRiPt:alert(document.domain)',
  ' \tjavascript:alert(1)',
  'java\nscript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'vbscript:msgbox(1)',
  '//evil.example/x',
  'file:///etc/passwd',
];

function withDoc(doc: string): Report {
  const r = crossAccountReport();
  return {
    ...r,
    pipelines: r.pipelines.map((p) => ({ ...p, links: p.links.map((l) => ({ ...l, doc })) })),
  };
}

describe('documentation links', () => {
  it.each(BAD)('%j is never a link', (doc) => {
    const html = renderHtml(withDoc(doc));
    for (const m of html.matchAll(/href="([^"]*)"/g)) expect(m[1]).toMatch(/^#p\d+$/);
    const md = renderMarkdown(withDoc(doc));
    expect(md).not.toMatch(/\]\(/);
    expect(md).toContain('| requirement | <code>');
    const sarif = JSON.parse(renderSarif(withDoc(doc))) as {
      runs: { tool: { driver: { rules: { helpUri?: string }[] } } }[];
    };
    for (const rule of sarif.runs[0]!.tool.driver.rules) expect(rule.helpUri).toBeUndefined();
  });

  it('an https address is a link, its quotes and markup encoded', () => {
    const doc = 'https://docs.example/a b"c\'<x>';
    const html = renderHtml(withDoc(doc));
    // `'` is legal in a URI path: the attribute holds it as a reference
    expect(html).toContain('<a href="https://docs.example/a%20b%22c&#39;%3Cx%3E">');
    const md = renderMarkdown(withDoc(doc));
    expect(md).toContain("](<https://docs.example/a%20b%22c'%3Cx%3E>)");
  });
});
