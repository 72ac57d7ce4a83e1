import { describe, expect, it } from 'vitest';
import { applyBaseline } from '../../src/report/baseline.js';
import { escapeXmlAttr, escapeXmlText, renderJunit } from '../../src/report/junit.js';
import { HOSTILE, crossAccountReport, hostileReport } from './fixtures.js';
import type { Report } from '../../src/report/types.js';
import { findAll, parseXml } from './xmlCheck.js';

describe('junit', () => {
  it('is well-formed with one testsuite per pipeline and one testcase per link', () => {
    const report = crossAccountReport();
    const root = parseXml(renderJunit(report));
    expect(root.name).toBe('testsuites');
    const suites = findAll(root, 'testsuite').filter(
      (s) => s.attrs['name'] !== 'permchain input problems',
    );
    expect(suites.map((s) => s.attrs['name'])).toEqual([
      'app-release',
      'docs-site',
      'nightly-scan',
    ]);
    suites.forEach((s, i) => {
      const cases = findAll(s, 'testcase');
      expect(cases).toHaveLength(report.pipelines[i]!.links.length);
      expect(Number(s.attrs['tests'])).toBe(cases.length);
      expect(Number(s.attrs['failures'])).toBe(findAll(s, 'failure').length);
    });
    const app = suites[0]!;
    const kms = findAll(app, 'testcase').find(
      (c) =>
        c.attrs['classname'] === 'app-release.Build.Build' &&
        c.attrs['name']!.startsWith('kms:Decrypt on '),
    )!;
    const failure = findAll(kms, 'failure')[0]!;
    expect(failure.attrs['type']).toBe('ImplicitlyDenied');
    expect(failure.text).toContain('decided by: resource policy');
    expect(failure.text).toContain('fix: add a key policy statement');
    // trigger link has no stage: classname is the pipeline alone
    expect(findAll(app, 'testcase').some((c) => c.attrs['classname'] === 'app-release')).toBe(true);
  });

  it('reports unknown links as system-out by default and as failures under failOn unknown', () => {
    const byDefault = parseXml(renderJunit(crossAccountReport()));
    const unknownCase = (root: ReturnType<typeof parseXml>) =>
      findAll(root, 'testcase').find(
        (c) =>
          c.attrs['name'] ===
          'codebuild:StartBuild on arn:aws:codebuild:eu-west-1:333333333333:project/nightly-scan [codebuild.start-build@Scan/Scan]',
      )!;
    const a = unknownCase(byDefault);
    expect(findAll(a, 'failure')).toHaveLength(0);
    expect(findAll(a, 'skipped')).toHaveLength(0);
    expect(findAll(a, 'system-out')[0]!.text).toMatch(/^unknown: /);
    expect(findAll(a, 'system-out')[0]!.text).toContain('snapshot/333333333333/iam.json');

    const strict = parseXml(renderJunit(crossAccountReport(), { failOn: 'unknown' }));
    const b = unknownCase(strict);
    expect(findAll(b, 'failure')[0]!.attrs['type']).toBe('unknown');
    expect(Number(strict.attrs['failures'])).toBe(Number(byDefault.attrs['failures']) + 2);
    expect(findAll(strict, 'skipped')).toHaveLength(0);
  });

  it('keeps recommended denials and accepted links out of the failures', () => {
    const report = applyBaseline(
      crossAccountReport(),
      {
        version: 1,
        entries: [
          {
            pipeline: 'app-release',
            link: 'codebuild.kms-decrypt@Build/Build',
            reason: 'r',
            expires: '2099-12-31',
          },
        ],
      },
      '2025-01-01',
    ).report;
    const root = parseXml(renderJunit(report));
    expect(Number(root.attrs['failures'])).toBe(1); // only the SCP denial is left
    const logs = findAll(root, 'testcase').find((c) =>
      c.attrs['name']!.startsWith('logs:CreateLogGroup'),
    )!;
    expect(findAll(logs, 'system-out')[0]!.text).toMatch(/^warning: /);
  });

  it('turns input problems of severity error into <error> testcases', () => {
    const root = parseXml(renderJunit(crossAccountReport()));
    expect(Number(root.attrs['errors'])).toBe(1);
    expect(findAll(root, 'error')[0]!.attrs['type']).toBe('snapshot.json.invalid');
  });

  it('escapes hostile strings: markup, quotes, ]]>, CR/LF and control characters', () => {
    const xml = renderJunit(hostileReport());
    const root = parseXml(xml); // throws on anything ill-formed
    const suite = findAll(root, 'testsuite')[0]!;
    // decoded values equal the input, with only the characters XML cannot carry made visible
    const visible = HOSTILE.replace('\u0001', '\\x01')
      .replace('\u001b', '\\x1b')
      .replace('\ud800', '\ufffd');
    expect(suite.attrs['name']).toBe(`pipe ${visible}`);
    const failure = findAll(root, 'failure')[0]!;
    expect(failure.text).toContain(`why: why ${visible}`);
    expect(xml).not.toContain('<b>');
    expect(xml.replace(/^<\?xml[^>]*>/, '')).not.toMatch(/]]>/);
  });

  it('escape helpers handle each special character', () => {
    expect(escapeXmlText('a<b>&]]>')).toBe('a&lt;b&gt;&amp;]]&gt;');
    expect(escapeXmlAttr(`"'\t\n\r`)).toBe('&quot;&apos;&#9;&#10;&#13;');
    expect(escapeXmlText('\u0000\u0008\u000b\ufffe')).toBe('\\x00\\x08\\x0b\\ufffe');
    expect(escapeXmlText('\ud83d\ude00')).toBe('\ud83d\ude00');
  });
});

const withoutErrors = (r: Report): Report => ({
  ...r,
  problems: r.problems.filter((p) => p.severity !== 'error'),
});
const DENIED = 'codebuild.kms-decrypt@Build/Build';
const UNKNOWN = 'codebuild.start-build@Scan/Scan';

describe('junit: a passing link says its own status', () => {
  it('under --fail-on never, a required denial is `denied`, not `unknown`', () => {
    const root = parseXml(renderJunit(withoutErrors(crossAccountReport()), { failOn: 'never' }));
    expect(Number(root.attrs['failures'])).toBe(0);
    const out = (id: string): string => {
      const c = findAll(root, 'testcase').find((t) => t.attrs['name']!.endsWith(`[${id}]`))!;
      return findAll(c, 'system-out')[0]!.text;
    };
    expect(out(DENIED)).toMatch(/^denied: .* is implicitly denied kms:Decrypt/);
    expect(out('cross-account.kms-decrypt@Deploy/DeployProd')).toMatch(
      /^denied: .* is explicitly denied kms:Decrypt/,
    );
    expect(out('codebuild.logs@Build/Build')).toMatch(/^warning: /);
    expect(out(UNKNOWN)).toMatch(/^unknown: /);
  });

  it('an accepted link says `accepted`', () => {
    const report = withoutErrors(crossAccountReport());
    const withBaseline: Report = {
      ...report,
      pipelines: report.pipelines.map((p) => ({
        ...p,
        links: p.links.map((l) =>
          l.id === DENIED ? { ...l, accepted: { reason: 'ticket 1', expires: '2099-01-01' } } : l,
        ),
      })),
    };
    const root = parseXml(renderJunit(withBaseline));
    const c = findAll(root, 'testcase').find((t) => t.attrs['name']!.endsWith(`[${DENIED}]`))!;
    expect(findAll(c, 'system-out')[0]!.text).toMatch(/^accepted: /);
  });
});
