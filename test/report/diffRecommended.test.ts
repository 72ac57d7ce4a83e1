import { describe, expect, it } from 'vitest';
import { diffReports, renderDiffMarkdown, renderDiffText } from '../../src/report/diff.js';
import type { Report, ReportLink } from '../../src/report/types.js';
import { crossAccountReport } from './fixtures.js';

const LINK = 'codebuild.logs@Build/Build';

function mapLinks(r: Report, f: (l: ReportLink) => ReportLink): Report {
  return { ...r, pipelines: r.pipelines.map((p) => ({ ...p, links: p.links.map(f) })) };
}

function dropLink(r: Report, id: string): Report {
  return {
    ...r,
    pipelines: r.pipelines.map((p) => ({ ...p, links: p.links.filter((l) => l.id !== id) })),
  };
}

/** the text line and the markdown row of LINK in the diff of `a` to `b` */
function rendered(a: Report, b: Report): { line: string; row: string } {
  const d = diffReports(a, b);
  const line = renderDiffText(d)
    .split('\n')
    .find((l) => l.includes(LINK))!;
  const row = renderDiffMarkdown(d)
    .split('\n')
    .find((l) => l.includes('codebuild.logs&#64;'))!;
  expect(line).toBeDefined();
  expect(row).toBeDefined();
  return { line, row };
}

describe('diff: "recommended: a warning" only where a recommended link is now denied', () => {
  const denied = crossAccountReport();
  const link = denied.pipelines.flatMap((p) => p.links).find((l) => l.id === LINK)!;
  const allowed = mapLinks(denied, (l) =>
    l.id === LINK ? { ...l, decision: 'Allowed', deniedBy: [] } : l,
  );
  const unknown = mapLinks(denied, (l) =>
    l.id === LINK ? { ...l, decision: 'Unknown', deniedBy: [] } : l,
  );

  it('the fixture link is recommended and denied', () => {
    expect(link.level).toBe('recommended');
    expect(link.decision).toBe('ImplicitlyDenied');
  });

  it('newly denied and new denied links are warnings', () => {
    const a = rendered(allowed, denied);
    expect(a.line).toContain('(Allowed -> ImplicitlyDenied, recommended: a warning)');
    expect(a.row).toContain('| Allowed -&gt; ImplicitlyDenied, recommended: a warning |');
    const b = rendered(dropLink(denied, LINK), denied);
    expect(b.line).toContain('(new -> ImplicitlyDenied, recommended: a warning)');
  });

  it('newly allowed, new allowed, unknown and removed links are not', () => {
    const cases: [Report, Report, string][] = [
      [denied, allowed, 'ImplicitlyDenied -> Allowed'],
      [dropLink(allowed, LINK), allowed, 'new -> Allowed'],
      [allowed, dropLink(allowed, LINK), 'Allowed -> gone'],
      [denied, dropLink(denied, LINK), 'ImplicitlyDenied -> gone'],
      [allowed, unknown, 'Allowed -> Unknown'],
    ];
    for (const [a, b, word] of cases) {
      const r = rendered(a, b);
      expect(r.line).toContain(`(${word})`);
      expect(r.line).not.toContain('warning');
      expect(r.row).toContain(`| ${word.replace('->', '-&gt;')} |`);
      expect(r.row).not.toContain('warning');
    }
  });
});
