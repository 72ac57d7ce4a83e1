/**
 * A SARIF plain text message may hold embedded links (§3.11.6: `[text](uri)` or `[text](n)` for
 * a location of the result); viewers render them. Names, Sids and file names from the input
 * must not become such links.
 * https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
 */
import { describe, expect, it } from 'vitest';
import { renderSarif } from '../../src/report/sarif.js';
import type { Report } from '../../src/report/types.js';
import { crossAccountReport } from './fixtures.js';
import { embeddedLinks } from './sarifLinks.js';

type Sarif = {
  runs: {
    results: { message: { text: string }; relatedLocations?: unknown[] }[];
    invocations: { toolExecutionNotifications: { message: { text: string } }[] }[];
  }[];
};

function messages(report: Report): string[] {
  const run = (JSON.parse(renderSarif(report)) as Sarif).runs[0]!;
  return [
    ...run.results.map((r) => r.message.text),
    ...run.invocations[0]!.toolExecutionNotifications.map((n) => n.message.text),
  ];
}

describe('sarif messages hold no embedded link from the input', () => {
  it('the grammar finds links and respects escapes (guards the check)', () => {
    expect(embeddedLinks('see [here](1) and [x](https://e.example/)')).toEqual([
      '[here](1)',
      '[x](https://e.example/)',
    ]);
    expect(embeddedLinks('a \\[x](1) [y\\](2) [z\\\\](3)')).toEqual(['[z\\\\](3)']);
  });

  it('a pipeline name, a Sid and a problem message with links stay text', () => {
    const r = crossAccountReport();
    const p = r.pipelines[0]!;
    const evil = '[click](https://evil.example/phish) [loc](1) a\\](https://evil.example/2)';
    const report: Report = {
      pipelines: [
        {
          ...p,
          name: `pipe ${evil}`,
          links: p.links.map((l) => ({
            ...l,
            deniedBy: l.deniedBy.map((d) => ({ ...d, statement: `sid ${evil}` })),
          })),
        },
      ],
      problems: r.problems.map((pr) => ({ ...pr, message: `${pr.message} ${evil}` })),
    };
    const texts = messages(report);
    expect(texts.length).toBeGreaterThan(2);
    for (const t of texts) expect(embeddedLinks(t), t).toEqual([]);
    const denied = texts.find((t) => t.includes('sid '))!;
    // shown as written, the `]` before `(` escaped (and a backslash before it doubled)
    expect(denied).toContain(
      'sid [click\\](https://evil.example/phish) [loc\\](1) a\\\\\\](https://evil.example/2)',
    );
  });
});
