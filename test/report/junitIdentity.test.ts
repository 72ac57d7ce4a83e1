/**
 * JUnit test-case identities are unique and stable: tools that key a case by classname and name
 * (test history, flaky-test trackers, report merging) must not merge two links of one action
 * that share a permission and a resource (several principals, several conditions), nor two
 * pipelines of one name in two accounts.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderJunit } from '../../src/report/junit.js';
import type { Report, ReportLink } from '../../src/report/types.js';
import { runCli } from '../cli/runCli.js';
import { crossAccountReport } from './fixtures.js';
import { findAll, parseXml, type XmlElement } from './xmlCheck.js';

function identities(root: XmlElement): string[] {
  return findAll(root, 'testcase').map((c) => `${c.attrs['classname']}\u0000${c.attrs['name']}`);
}
const duplicates = (ids: readonly string[]): string[] =>
  ids.filter((id, i) => ids.indexOf(id) !== i);

/** app-release's denied kms:Decrypt link, and a passing twin: same action, permission, resource */
function twinLinks(): Report {
  const r = crossAccountReport();
  const [app, ...rest] = r.pipelines;
  const denied = app!.links.find(
    (l) => l.permission === 'kms:Decrypt' && l.decision === 'ImplicitlyDenied',
  )!;
  const twin: ReportLink = {
    ...denied,
    id: `${denied.id}:pipeline-role`,
    principal: 'arn:aws:iam::111111111111:role/app-release-pipeline',
    decision: 'Allowed',
    deniedBy: [],
  };
  const links = [...app!.links, twin];
  // a second pipeline of the same name, in another account
  const other = {
    ...app!,
    links,
    account: '999999999999',
    arn: app!.arn.replace(/\d{12}/, '999999999999'),
  };
  return { ...r, pipelines: [{ ...app!, links }, ...rest, other] };
}

describe('junit: test-case identities', () => {
  it('name a link by permission, resource and link id', () => {
    const root = parseXml(renderJunit(crossAccountReport()));
    expect(duplicates(identities(root))).toEqual([]);
    const names = findAll(root, 'testcase').map((c) => c.attrs['name']);
    expect(names).toContain(
      'codebuild:StartBuild on arn:aws:codebuild:eu-west-1:333333333333:project/nightly-scan [codebuild.start-build@Scan/Scan]',
    );
    // input problems: file#pointer and the problem id
    expect(names).toContain(
      'snapshot/222222222222/iam.json#/Policies/7 [snapshot.managed-policy.missing]',
    );
  });

  it('tell apart two links of one action on one resource, one failing and one passing', () => {
    const report = twinLinks();
    const root = parseXml(renderJunit(report));
    expect(duplicates(identities(root))).toEqual([]);
    const kms = findAll(root, 'testcase').filter(
      (c) =>
        c.attrs['classname'] === 'app-release.Build.Build' &&
        c.attrs['name']!.startsWith('kms:Decrypt on '),
    );
    expect(kms).toHaveLength(4); // each twice: the two pipelines named app-release
    const named = (suffix: string): XmlElement => {
      const found = kms.filter((c) => c.attrs['name']!.endsWith(suffix));
      expect(found).toHaveLength(1);
      return found[0]!;
    };
    const failing = named('@Build/Build]');
    const passing = named('@Build/Build:pipeline-role]');
    expect(findAll(failing, 'failure')).toHaveLength(1);
    expect(findAll(passing, 'failure')).toHaveLength(0);
    // the second pipeline of the same name: the same cases, numbered
    const failing2 = named('@Build/Build] (2)');
    const passing2 = named('@Build/Build:pipeline-role] (2)');
    expect(failing2.attrs['name']).toBe(`${failing.attrs['name']} (2)`);
    expect(findAll(failing2, 'failure')).toHaveLength(1);
    expect(findAll(passing2, 'failure')).toHaveLength(0);
  });

  it('number input problems that would share an identity, and a name taken by a suffix', () => {
    const problem = {
      file: 'a.json',
      pointer: '/x',
      message: 'm',
      id: 'x.y',
      severity: 'warning' as const,
    };
    const report: Report = {
      pipelines: [],
      problems: [
        problem,
        { ...problem, message: 'n' },
        { ...problem, file: 'a.json#/x [x.y] (2)', pointer: '', message: 'o', id: 'z' },
      ],
    };
    const root = parseXml(renderJunit(report));
    expect(duplicates(identities(root))).toEqual([]);
    expect(findAll(root, 'testcase')).toHaveLength(3);
  });

  it('number names that read alike once workflow commands are broken (`##[` as `#\u200b#[`)', () => {
    const problem = {
      file: 'a.json',
      pointer: '/##[x',
      message: 'm',
      id: 'x.y',
      severity: 'warning' as const,
    };
    const report: Report = {
      pipelines: [],
      problems: [problem, { ...problem, pointer: '/#\u200b#[x', message: 'n' }],
    };
    const root = parseXml(renderJunit(report));
    expect(duplicates(identities(root))).toEqual([]);
    expect(findAll(root, 'testcase').map((c) => c.attrs['name'])).toEqual([
      'a.json#/#\u200b#[x [x.y]',
      'a.json#/#\u200b#[x [x.y] (2)',
    ]);
  });

  it('are stable: the same report gives the same names', () => {
    expect(renderJunit(twinLinks())).toBe(renderJunit(twinLinks()));
  });

  it.each(['pass-stacksets', 'all-providers'])(
    'permchain analyze %s --strict: every case once',
    async (scenario) => {
      const dir = resolve(__dirname, '../../fixtures/scenarios', scenario);
      const r = await runCli(dir, 'analyze', '.', '--format', 'junit', '--strict');
      const ids = identities(parseXml(r.out));
      expect(ids.length).toBeGreaterThan(80);
      expect(duplicates(ids)).toEqual([]);
    },
  );
});
