/**
 * The text report's summary and its sentence on how the run ends fit 100 columns as the link
 * lines do: a line continued is indented two columns, a count stays with the word it counts, and
 * joining the continuations gives the line back. Each problem stays one line, however long.
 */
import { describe, expect, it } from 'vitest';
import { renderText } from '../../src/report/text.js';
import type { Report } from '../../src/report/types.js';
import { crossAccountReport, onlyUnknown } from './fixtures.js';

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

/** the lines after the last blank line: the summary and the sentence, with their continuations */
function ending(out: string): string[] {
  const lines = out.trimEnd().split('\n');
  return lines.slice(lines.lastIndexOf('') + 1);
}

/** continuation lines (indented) joined to the line they continue */
function joined(lines: readonly string[]): string[] {
  const out: string[] = [];
  for (const l of lines) {
    if (l.startsWith('  ')) out[out.length - 1] += ' ' + l.trimStart();
    else out.push(l);
  }
  return out;
}

/** the cross-account report with one more input error, of a message over 100 columns */
function withLongProblem(): Report {
  const r = crossAccountReport();
  return {
    ...r,
    problems: [
      ...r.problems,
      {
        file: 'infra/a-rather-long-path/of-a-template/' + 'n'.repeat(40) + '.yaml',
        pointer: '/Resources/BuildRole/Properties/Policies/0/PolicyDocument',
        message: 'a message long enough to pass the hundredth column by itself, whole',
        id: 'template.shape.invalid',
        severity: 'error',
      },
    ],
  };
}

describe('text summary at 100 columns', () => {
  it('wraps a summary longer than 100 columns, continued two columns deeper', () => {
    const out = renderText(withLongProblem());
    expect(ending(out)).toEqual([
      '3 pipelines (1 fail, 1 unknown, 1 pass), 13 links (8 allowed, 2 denied, 2 unknown, 1 warning),',
      '  3 problems',
      'the run fails: 2 input errors make the analysis incomplete (exit 2)',
    ]);
    expect(joined(ending(out))).toEqual([
      '3 pipelines (1 fail, 1 unknown, 1 pass), 13 links (8 allowed, 2 denied, 2 unknown, 1 warning), 3 problems',
      'the run fails: 2 input errors make the analysis incomplete (exit 2)',
    ]);
  });

  it('keeps each problem one line, however long', () => {
    const out = renderText(withLongProblem());
    const problem =
      '  error: infra/a-rather-long-path/of-a-template/' +
      'n'.repeat(40) +
      '.yaml#/Resources/BuildRole/Properties/Policies/0/PolicyDocument: a message long enough ' +
      'to pass the hundredth column by itself, whole [template.shape.invalid]';
    expect(problem.length).toBeGreaterThan(100);
    expect(out.split('\n')).toContain(problem);
    // every other line fits
    for (const l of out.trimEnd().split('\n')) {
      if (l !== problem && !l.startsWith('  error: ') && !l.startsWith('  warning: ')) {
        // an over-long line is one unbreakable token after its label
        if (l.length > 100) expect(l.trim().split(/ {2,}/).at(-1)).not.toContain(' ');
      }
    }
  });

  it('wraps the sentence on how the run ends, and colours every line of it', () => {
    const r = crossAccountReport();
    // no input error: the run fails for its links, one of them accepted by an expired entry
    const expired = { reason: 'known', expires: '2020-01-01' };
    const report: Report = {
      ...r,
      problems: [],
      pipelines: r.pipelines.map((p) => ({
        ...p,
        links: p.links.map((l) => (l.decision === 'ImplicitlyDenied' ? { ...l, expired } : l)),
      })),
    };
    const out = renderText(report, { failOn: 'unknown' });
    const sentence =
      'the run fails (exit 1): 1 required link denied, 2 required links unknown ' +
      '(--fail-on unknown), 1 expired baseline entry';
    expect(sentence.length).toBeGreaterThan(100);
    const end = ending(out);
    expect(end.every((l) => l.length <= 100)).toBe(true);
    expect(joined(end).at(-1)).toBe(sentence);
    expect(end.slice(-2)).toEqual([
      // `1` would fit on the first line, but stays with what it counts
      'the run fails (exit 1): 1 required link denied, 2 required links unknown (--fail-on unknown),',
      '  1 expired baseline entry',
    ]);
    const coloured = ending(renderText(report, { failOn: 'unknown', color: true }));
    expect(coloured.slice(-2)).toEqual([
      `\u001b[31m${end.at(-2)!}\u001b[0m`,
      `  \u001b[31m${end.at(-1)!.trimStart()}\u001b[0m`,
    ]);
    expect(coloured.map((l) => l.replace(ANSI, ''))).toEqual(end);
  });

  it('leaves a summary that fits on one line', () => {
    const r = crossAccountReport();
    const out = renderText({ ...r, pipelines: r.pipelines.slice(0, 1), problems: [] });
    expect(ending(out)).toHaveLength(2);
    expect(ending(out)[0]).toMatch(/^1 pipeline \(1 fail, 0 unknown, 0 pass\), \d+ links \(/);
  });
});

describe('text pipeline heading at 100 columns', () => {
  const headings = (out: string): string[] => {
    const lines = out.split('\n');
    const at = lines.findIndex((l) => l.startsWith('pipeline nightly-scan-of-every'));
    return lines.slice(at, at + 3);
  };
  // the unknown pipeline renamed so that its heading with why the run fails passes 100 columns
  const longName = (failOn: 'unknown' | 'denied'): string =>
    renderText(
      {
        ...onlyUnknown,
        pipelines: onlyUnknown.pipelines.map((p) =>
          p.name === 'nightly-scan' ? { ...p, name: 'nightly-scan-of-every-repository' } : p,
        ),
      },
      { failOn },
    );

  it('keeps the tag on the heading and puts why the run fails under it', () => {
    const [head, why, next] = headings(longName('unknown'));
    expect(head).toBe('pipeline nightly-scan-of-every-repository  FAIL  333333333333 eu-west-1');
    expect(why).toBe('  unknown links (--fail-on unknown)');
    expect(next!.startsWith('  arn:aws:codepipeline:')).toBe(true);
    for (const l of longName('unknown').split('\n'))
      if (l.startsWith('pipeline ')) expect(l.length).toBeLessThanOrEqual(100);
  });

  it('leaves a heading that fits on one line as it was', () => {
    const [head] = headings(longName('denied'));
    expect(head).toBe('pipeline nightly-scan-of-every-repository  UNKNOWN  333333333333 eu-west-1');
    const out = renderText(onlyUnknown, { failOn: 'unknown' });
    expect(out).toContain(
      'pipeline nightly-scan  FAIL: unknown links (--fail-on unknown)  333333333333 eu-west-1\n',
    );
  });

  it('colours the why as the tag', () => {
    const out = renderText(
      {
        ...onlyUnknown,
        pipelines: onlyUnknown.pipelines.map((p) =>
          p.name === 'nightly-scan' ? { ...p, name: 'nightly-scan-of-every-repository' } : p,
        ),
      },
      { failOn: 'unknown', color: true },
    );
    expect(out).toContain('\n  \u001b[31munknown links (--fail-on unknown)\u001b[0m\n');
  });
});
