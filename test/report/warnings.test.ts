import { describe, expect, it } from 'vitest';
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
});
