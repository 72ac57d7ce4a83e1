/**
 * The diff as text is wrapped at 100 columns as analyze's link lines are: a line continued is
 * indented deeper, a word is never broken (an ARN longer than the room stays whole on its own
 * line), and the change `(before -> after)` stays on one line. The summary, each problem and how
 * the run ends stay one line each.
 */
import { describe, expect, it } from 'vitest';
import { diffReports, renderDiffText } from '../../src/report/diff.js';
import type { Report, ReportLink } from '../../src/report/types.js';
import { crossAccountReport } from './fixtures.js';

const LONG = 'arn:aws:s3:::' + 'b'.repeat(120) + '/*';

function mapLinks(r: Report, f: (l: ReportLink) => ReportLink): Report {
  return { ...r, pipelines: r.pipelines.map((p) => ({ ...p, links: p.links.map(f) })) };
}

describe('diff text at 100 columns', () => {
  const before = crossAccountReport();
  // every link changes, with long ids and resources
  const after = mapLinks(before, (l) => ({
    ...l,
    id: `${l.id}:${'x'.repeat(40)}:${'y'.repeat(30)}`,
    resource: l.id.startsWith('cross-account') ? LONG : `${l.resource} ${'z'.repeat(30)}`,
  }));
  const error = {
    file: 'a/very/long/path/of/a/template/' + 'n'.repeat(60) + '.yaml',
    pointer: '/Resources/Role/Properties/Policies/0',
    message: '(after `b`) a message long enough to pass the hundredth column by itself',
    id: 'input.bad',
    severity: 'error' as const,
  };
  const d = diffReports(before, after);
  const text = renderDiffText(d, { problems: [error] });
  const lines = text.trimEnd().split('\n');

  it('fits 100 columns but for a word longer than the room, alone after its indent', () => {
    const ending = lines.slice(-3);
    for (const l of lines.slice(0, -3)) {
      if (l.length <= 100) continue;
      expect(l.trim()).not.toContain(' ');
    }
    expect(lines.some((l) => l === `      ${LONG}`)).toBe(true);
    // the summary, the problem and the sentence: one line each, whatever their length
    expect(ending[1]).toBe(`error: ${error.file}#${error.pointer}: ${error.message} [input.bad]`);
    expect(ending[1]!.length).toBeGreaterThan(100);
    expect(ending[2]).toMatch(/^the run fails \(exit 2\)/);
  });

  it('continues a line deeper, so joining the continuations gives the lines back', () => {
    const joined: string[] = [];
    for (const l of lines) {
      if (l.startsWith('      ')) joined[joined.length - 1] += ' ' + l.trimStart();
      else joined.push(l);
    }
    const removed = d.removed[0]!;
    expect(joined).toContain(`  ${removed.pipeline}: ${removed.link} (${removed.before} -> gone)`);
    const added = d.added.find((c) => c.resource === LONG);
    expect(added).toBeDefined();
    expect(joined).toContain(`    ${added!.principal} ${added!.permission} ${LONG}`);
    // the change is never split
    for (const l of lines) {
      if (l.includes(' -> '))
        expect(l).toMatch(/\([A-Za-z]+ -> [A-Za-z]+(, recommended: a warning)?\)$/);
    }
    expect(lines.filter((l) => l.startsWith('      (')).length).toBeGreaterThan(0);
  });
});
