/**
 * The text report and the html badges agree with the exit code: a pipeline that fails the run is
 * shown failing whatever its own verdict (as the markdown verdict column), and the text summary
 * ends with the gate's sentence on how the run ends.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exitCodeFor, gateSentence, gateSummary, pipelineFails } from '../../src/report/gate.js';
import { renderHtml } from '../../src/report/html.js';
import { shownVerdict } from '../../src/report/markdown.js';
import type { FailOn } from '../../src/report/options.js';
import { renderText } from '../../src/report/text.js';
import type { Report } from '../../src/report/types.js';
import { runCli } from '../cli/runCli.js';
import {
  crossAccountReport,
  mapLinks,
  noPipelines,
  onlyUnknown,
  withoutErrors,
} from './fixtures.js';

/** the same, one required unknown link's baseline entry having expired */
const expiredUnknown = mapLinks(onlyUnknown, (l) =>
  l.decision === 'Unknown' && l.level === 'required'
    ? { ...l, expired: { reason: 'crawl pending', expires: '2025-01-31' } }
    : l,
);

const lastLine = (out: string): string => out.trimEnd().split('\n').at(-1)!;
/** pipeline name → the tag the text report shows for it */
function tags(out: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of out.split('\n')) {
    const r = /^pipeline (\S+) {2}(.*?) {2}\d{12} /.exec(line);
    if (r) m.set(r[1]!, r[2]!);
  }
  return m;
}

const CASES: [string, Report, FailOn][] = [
  ['the cross-account report (an input error)', crossAccountReport(), 'denied'],
  ['denied links', withoutErrors(crossAccountReport()), 'denied'],
  ['denied links under --fail-on unknown', withoutErrors(crossAccountReport()), 'unknown'],
  ['denied links under --fail-on never', withoutErrors(crossAccountReport()), 'never'],
  ['unknown links under --fail-on denied', onlyUnknown, 'denied'],
  ['unknown links under --fail-on unknown', onlyUnknown, 'unknown'],
  ['an expired entry on an unknown link under --fail-on unknown', expiredUnknown, 'unknown'],
  ['an expired entry on an unknown link under --fail-on never', expiredUnknown, 'never'],
  ['no pipeline under --fail-on unknown', noPipelines, 'unknown'],
  ['no pipeline under --fail-on denied', noPipelines, 'denied'],
];

describe('text: the report agrees with the exit code', () => {
  it.each(CASES)('%s', (_name, report, failOn) => {
    const out = renderText(report, { failOn });
    const g = gateSummary(report, failOn);
    expect(lastLine(out)).toBe(gateSentence(g, failOn));
    expect(lastLine(out).startsWith('the run passes')).toBe(exitCodeFor(report, failOn) === 0);
    const shown = tags(out);
    expect(shown.size).toBe(report.pipelines.length);
    for (const p of report.pipelines) {
      const tag = shown.get(p.name)!;
      // a pipeline that fails the run is never shown as passing or unknown
      if (pipelineFails(p, failOn)) expect(tag).toMatch(/^FAIL/);
      else expect(tag).toBe(p.verdict.toUpperCase());
    }
  });

  it('says so in words', () => {
    const strict = renderText(onlyUnknown, { failOn: 'unknown' });
    expect(tags(strict).get('nightly-scan')).toBe('FAIL: unknown links (--fail-on unknown)');
    expect(lastLine(strict)).toBe(
      'the run fails (exit 1): 2 required links unknown (--fail-on unknown)',
    );
    expect(strict).toContain('3 pipelines (2 fail, 0 unknown, 1 pass)');

    const lax = renderText(onlyUnknown, { failOn: 'denied' });
    expect(tags(lax).get('nightly-scan')).toBe('UNKNOWN');
    expect(lastLine(lax)).toBe('the run passes');
    expect(lax).toContain('3 pipelines (0 fail, 2 unknown, 1 pass)');

    const expired = renderText(expiredUnknown, { failOn: 'unknown' });
    expect(tags(expired).get('nightly-scan')).toMatch(/^FAIL: .*expired baseline entry/);
    expect(lastLine(expired)).toMatch(/^the run fails \(exit 1\): .*expired baseline entr/);

    const never = renderText(withoutErrors(crossAccountReport()), { failOn: 'never' });
    expect(tags(never).get('app-release')).toBe('FAIL');
    expect(lastLine(never)).toBe('the run passes (--fail-on never)');

    expect(lastLine(renderText(crossAccountReport()))).toBe(
      'the run fails: 1 input error makes the analysis incomplete (exit 2)',
    );
    expect(lastLine(renderText(noPipelines, { failOn: 'unknown' }))).toBe(
      'the run fails (exit 1): no pipeline found (--fail-on unknown)',
    );
  });

  it('colours the sentence red when the run fails, green when it passes', () => {
    expect(lastLine(renderText(onlyUnknown, { failOn: 'unknown', color: true }))).toBe(
      '\u001b[31mthe run fails (exit 1): 2 required links unknown (--fail-on unknown)\u001b[0m',
    );
    expect(lastLine(renderText(onlyUnknown, { color: true }))).toBe(
      '\u001b[32mthe run passes\u001b[0m',
    );
  });
});

describe('html: the pipeline badges follow the markdown verdict column', () => {
  it.each(CASES)('%s', (_name, report, failOn) => {
    const html = renderHtml(report, { failOn });
    for (const p of report.pipelines) {
      const shown = shownVerdict(p, failOn);
      const badge = `<span class="badge s-${shown.verdict}">${shown.verdict}${
        shown.why.length > 0 ? ': ' + shown.why.join(', ') : ''
      }</span>`;
      // in the summary table and in the pipeline's heading
      expect(html).toContain(`<code>${p.name}</code></a></td><td>${badge}</td>`);
      expect(html).toContain(`<h2>pipeline <code>${p.name}</code> ${badge}</h2>`);
      if (pipelineFails(p, failOn)) expect(shown.verdict).toBe('fail');
    }
  });

  it('shows a pipeline failing on unknown links under --fail-on unknown as fail', () => {
    const strict = renderHtml(onlyUnknown, { failOn: 'unknown' });
    expect(strict).toContain(
      '<code>nightly-scan</code></a></td><td><span class="badge s-fail">fail: unknown links (--fail-on unknown)</span>',
    );
    expect(strict).toContain('<p class="summary">3 pipelines: 2 fail, 0 unknown, 1 pass.');
    const lax = renderHtml(onlyUnknown, { failOn: 'denied' });
    expect(lax).toContain(
      '<code>nightly-scan</code></a></td><td><span class="badge s-unknown">unknown</span>',
    );
  });
});

describe('permchain analyze: the text report ends with how the run ends', () => {
  const DEMO = resolve(__dirname, '../../fixtures/demo');

  it('--strict with an unknown link, --fail-on never with a denied one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'permchain-textgate-'));
    cpSync(DEMO, join(dir, 'snap'), { recursive: true });
    const plain = await runCli(dir, 'analyze', 'snap');
    expect(plain.code).toBe(1);
    expect(lastLine(plain.out)).toMatch(/^the run fails \(exit 1\): \d+ required links? denied$/);

    const never = await runCli(dir, 'analyze', 'snap', '--fail-on', 'never');
    expect(never.code).toBe(0);
    expect(never.out).toMatch(/^pipeline demo-app {2}FAIL {2}/);
    expect(lastLine(never.out)).toBe('the run passes (--fail-on never)');

    // without the CodeBuild projects, the links they settle are unknown
    rmSync(join(dir, 'snap/111111111111/us-east-1/codebuild.json'));
    const strict = await runCli(dir, 'analyze', 'snap', '--strict');
    expect(strict.code).toBe(1);
    expect(lastLine(strict.out)).toMatch(
      /^the run fails \(exit 1\): .*unknown \(--fail-on unknown\)/,
    );
  });
});
