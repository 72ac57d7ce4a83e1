/**
 * SARIF output is validated against the official 2.1.0 schema shipped in
 * @microsoft/sarif-multitool-linux (a draft 2020-12 schema, hence ajv's 2020 build) and, when
 * the binary runs here, by Microsoft's own validator with the SARIF and GitHub rule sets.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, describe, expect, it } from 'vitest';
import { applyBaseline } from '../../src/report/baseline.js';
import { FINGERPRINT_KEY, renderSarif } from '../../src/report/sarif.js';
import type { Report } from '../../src/report/types.js';
import { crossAccountReport, hostileReport, largeReport } from './fixtures.js';

const require = createRequire(import.meta.url);
const pkgDir = join(require.resolve('@microsoft/sarif-multitool-linux/package.json'), '..');
const schema = JSON.parse(readFileSync(join(pkgDir, 'sarif-2.1.0.json'), 'utf8')) as Record<
  string,
  unknown
>;
const multitool = join(pkgDir, 'Sarif.Multitool');

// both are CommonJS modules whose `default` export is the module itself, which is what
// NodeNext types a default import as: `.default` is the class / plugin in types and at run time
const AjvClass = Ajv2020.default;
const addFormatsFn = addFormats.default;
const ajv = new AjvClass({ strict: false, allErrors: true });
addFormatsFn(ajv);
const validate = ajv.compile(schema);

const accepted = applyBaseline(
  crossAccountReport(),
  {
    version: 1,
    entries: [
      {
        pipeline: 'app-release',
        link: 'codebuild.kms-decrypt@Build/Build',
        reason: 'ticket SEC-1',
        expires: '2099-01-01',
      },
    ],
  },
  '2025-06-01',
).report;

const REPORTS: Record<string, () => Report> = {
  crossAccount: crossAccountReport,
  hostile: hostileReport,
  large: () => largeReport(3, 40),
  empty: () => ({ pipelines: [], problems: [] }),
  accepted: () => accepted,
};

type Sarif = {
  runs: {
    tool: {
      driver: {
        name: string;
        version: string;
        informationUri: string;
        rules: { id: string; helpUri?: string; defaultConfiguration: { level: string } }[];
      };
    };
    results: {
      ruleId: string;
      ruleIndex: number;
      level: string;
      kind: string;
      message: { text: string };
      locations?: {
        physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number } };
        logicalLocations?: { fullyQualifiedName: string }[];
        properties?: { jsonPointer?: string };
      }[];
      partialFingerprints: Record<string, string>;
      suppressions?: { kind: string; justification: string }[];
    }[];
  }[];
};

const tmp = mkdtempSync(join(tmpdir(), 'permchain-sarif-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const probe = spawnSync(multitool, ['--version'], { encoding: 'utf8', timeout: 60_000 });
const multitoolRuns = probe.status === 0;

/** Microsoft's validator (SARIF + GitHub rules) on a log: its errors and warnings, one line each. */
function multitoolFindings(name: string, sarif: string): string[] {
  const input = join(tmp, `${name}.sarif`);
  const output = join(tmp, `${name}.validation.sarif`);
  writeFileSync(input, sarif);
  const run = spawnSync(
    multitool,
    [
      'validate',
      input,
      '--output',
      output,
      '--rule-kind',
      'Sarif;Gh',
      '--log',
      'ForceOverwrite',
      '--quiet',
    ],
    { encoding: 'utf8', timeout: 120_000 },
  );
  expect(run.status, run.stdout + run.stderr).toBe(0);
  const log = JSON.parse(readFileSync(output, 'utf8')) as {
    runs: { results?: { ruleId: string; level?: string; message: { arguments?: string[] } }[] }[];
  };
  return (log.runs[0]!.results ?? [])
    .filter((r) => r.level === 'error' || r.level === 'warning' || r.level === undefined)
    .map((f) => `${f.ruleId}: ${JSON.stringify(f.message.arguments)}`);
}

describe('sarif', () => {
  it.each(Object.keys(REPORTS))('%s validates against the SARIF 2.1.0 schema', (name) => {
    const doc = JSON.parse(renderSarif(REPORTS[name]!(), { toolVersion: '1.2.3' }));
    const ok = validate(doc);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the schema check rejects an invalid log (guards the validator setup)', () => {
    const doc = JSON.parse(renderSarif(crossAccountReport())) as Sarif;
    doc.runs[0]!.results[0]!.locations![0]!.physicalLocation.region!.startLine = 0;
    expect(validate(doc)).toBe(false);
    expect(validate({ version: '2.1.0', runs: [{ tool: { driver: {} } }] })).toBe(false);
  });

  it('describes the tool and one rule per requirement, with help and helpUri', () => {
    const s = JSON.parse(renderSarif(crossAccountReport(), { toolVersion: '1.2.3' })) as Sarif;
    const driver = s.runs[0]!.tool.driver;
    expect(driver.name).toBe('permchain');
    expect(driver.version).toBe('1.2.3');
    expect(driver.informationUri).toMatch(/^https:\/\//);
    const ids = driver.rules.map((r) => r.id);
    const requirements = [
      ...new Set(crossAccountReport().pipelines.flatMap((p) => p.links.map((l) => l.requirement))),
    ].sort();
    expect(ids).toEqual(requirements);
    const kms = driver.rules.find((r) => r.id === 'codebuild.kms-decrypt')!;
    expect(kms.helpUri).toBe(
      'https://docs.aws.amazon.com/codebuild/latest/userguide/setting-up-kms.html',
    );
    expect(kms.defaultConfiguration.level).toBe('error');
    expect(driver.rules.find((r) => r.id === 'codebuild.logs')!.defaultConfiguration.level).toBe(
      'warning',
    );
  });

  it('has one result per non-allowed link with the right level, rule index and location', () => {
    const s = JSON.parse(renderSarif(crossAccountReport())) as Sarif;
    const run = s.runs[0]!;
    const byRule = new Map(run.results.map((r) => [r.ruleId, r]));
    expect(run.results).toHaveLength(5);
    for (const r of run.results) expect(run.tool.driver.rules[r.ruleIndex]!.id).toBe(r.ruleId);
    expect(byRule.get('codebuild.kms-decrypt')!.level).toBe('error');
    expect(byRule.get('cross-account.kms-decrypt')!.level).toBe('error');
    expect(byRule.get('codebuild.logs')!.level).toBe('warning');
    // an unknown link that does not fail the run: kind open, level none (SARIF §3.27.9-10)
    for (const id of ['cross-account.s3-get', 'codebuild.start-build']) {
      expect(byRule.get(id)).toMatchObject({ kind: 'open', level: 'none' });
    }
    expect(byRule.get('codebuild.logs')).toMatchObject({ kind: 'fail' });
    // under --fail-on unknown they fail the run: kind fail, level error
    const strict = JSON.parse(renderSarif(crossAccountReport(), { failOn: 'unknown' })) as Sarif;
    const strictRule = new Map(strict.runs[0]!.results.map((r) => [r.ruleId, r]));
    for (const id of ['cross-account.s3-get', 'codebuild.start-build']) {
      expect(strictRule.get(id)).toMatchObject({ kind: 'fail', level: 'error' });
    }
    expect(validate(strict)).toBe(true);

    // explicit SCP deny: located at the SCP statement (snapshot file + pointer)
    const scp = byRule.get('cross-account.kms-decrypt')!;
    const loc = scp.locations![0]!;
    expect(loc.physicalLocation.artifactLocation.uri).toBe(
      'snapshot/organization/scp/p-abc12345.json',
    );
    expect(loc.physicalLocation.region!.startLine).toBe(1);
    expect(loc.logicalLocations![0]!.fullyQualifiedName).toBe('/Policy/Content/Statement/1');
    expect(loc.properties!.jsonPointer).toBe('/Policy/Content/Statement/1');
    expect(scp.message.text).toContain('arn:aws:iam::222222222222:role/app-release-deploy');
    expect(scp.message.text).toContain('kms:Decrypt');
    expect(scp.message.text).toContain('DenyCrossAccountKms');
    expect(scp.message.text).toContain('Fix: exempt the artifact key ARN');

    // recommended warning: template file + line
    const logs = byRule.get('codebuild.logs')!.locations![0]!.physicalLocation;
    expect(logs.artifactLocation.uri).toBe('infra/pipeline.yaml');
    expect(logs.region!.startLine).toBe(42);

    // unknown without deciding statement: where the action is declared
    expect(
      byRule.get('cross-account.s3-get')!.locations![0]!.physicalLocation.artifactLocation.uri,
    ).toBe('snapshot/111111111111/us-east-1/codepipeline/app-release.json');
    expect(byRule.get('cross-account.s3-get')!.message.text).toContain(
      'snapshot/111111111111/s3/tools-artifacts-111111111111.json',
    );
  });

  it('says the run was not successful when an input error left the analysis incomplete', () => {
    type Inv = { runs: { invocations: { executionSuccessful: boolean }[] }[] };
    const success = (r: Report): boolean =>
      (JSON.parse(renderSarif(r)) as Inv).runs[0]!.invocations[0]!.executionSuccessful;
    const report = crossAccountReport();
    expect(report.problems.some((p) => p.severity === 'error')).toBe(true);
    expect(success(report)).toBe(false);
    expect(
      success({ ...report, problems: report.problems.filter((p) => p.severity !== 'error') }),
    ).toBe(true);
  });

  it('keeps fingerprints stable when messages and lines change, distinct per link', () => {
    const a = JSON.parse(renderSarif(crossAccountReport())) as Sarif;
    const moved = crossAccountReport();
    const changed: Report = {
      ...moved,
      pipelines: moved.pipelines.map((p) => ({
        ...p,
        links: p.links.map((l) => ({
          ...l,
          why: l.why + ' (reworded)',
          declaredAt: { file: 'other.yaml', line: 999 },
        })),
      })),
    };
    const b = JSON.parse(renderSarif(changed)) as Sarif;
    const fa = a.runs[0]!.results.map((r) => r.partialFingerprints[FINGERPRINT_KEY]);
    const fb = b.runs[0]!.results.map((r) => r.partialFingerprints[FINGERPRINT_KEY]);
    expect(fa).toEqual(fb);
    expect(new Set(fa).size).toBe(fa.length);
  });

  it('makes locations relative to options.root and percent-encodes URIs', () => {
    const r = crossAccountReport();
    const abs: Report = {
      ...r,
      pipelines: r.pipelines.map((p) => ({
        ...p,
        links: p.links.map((l) =>
          l.declaredAt
            ? { ...l, declaredAt: { ...l.declaredAt, file: '/repo/infra/my pipeline.yaml' } }
            : l,
        ),
      })),
    };
    const s = JSON.parse(renderSarif(abs, { root: '/repo/' })) as Sarif;
    const uris = s.runs[0]!.results.flatMap(
      (x) =>
        (
          x as unknown as {
            relatedLocations?: { physicalLocation: { artifactLocation: { uri: string } } }[];
          }
        ).relatedLocations ?? [],
    ).map((l) => l.physicalLocation.artifactLocation.uri);
    expect(uris).toContain('infra/my%20pipeline.yaml');
    expect(uris.every((u) => !u.startsWith('/'))).toBe(true);
  });

  it('names a file outside options.root with ../ segments, and one it cannot relate as a file: URI', () => {
    const r = crossAccountReport();
    const at = (file: string): Report => ({
      ...r,
      pipelines: r.pipelines.map((p) => ({
        ...p,
        links: p.links.map((l) => ({
          ...l,
          deniedBy: l.deniedBy.map((x) => ({ ...x, location: { file, pointer: '/Policy' } })),
          declaredAt: { file, line: 3 },
        })),
        location: { file, line: 1 },
      })),
    });
    const uris = (report: Report, root?: string): string[] => {
      const doc = JSON.parse(
        renderSarif(report, root !== undefined ? { root } : {}),
      ) as unknown as {
        runs: {
          results: {
            locations?: { physicalLocation: { artifactLocation: { uri: string } } }[];
          }[];
        }[];
      };
      expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
      return [
        ...new Set(
          doc.runs[0]!.results.flatMap((x) =>
            (x.locations ?? []).map((l) => l.physicalLocation.artifactLocation.uri),
          ),
        ),
      ];
    };
    expect(uris(at('/tmp/ci/demo/my file.json'), '/tmp/ci/sub')).toEqual([
      '../demo/my%20file.json',
    ]);
    expect(uris(at('/tmp/ci/demo/a.json'), '/tmp/ci/demo/')).toEqual(['a.json']);
    expect(uris(at('/tmp/ci/demo/a.json'))).toEqual(['file:///tmp/ci/demo/a.json']);
    expect(uris(at('C:\\ci\\demo\\a.json'), 'C:\\ci\\sub')).toEqual(['../demo/a.json']);
    expect(uris(at('D:\\demo\\a.json'), 'C:\\ci\\sub')).toEqual(['file:///D:/demo/a.json']);
    if (multitoolRuns) {
      for (const [name, report, root] of [
        ['outside', at('/tmp/ci/demo/a.json'), '/tmp/ci/sub'],
        ['absolute', at('/tmp/ci/demo/a.json'), undefined],
      ] as const) {
        const log = renderSarif(report, root !== undefined ? { root } : {});
        expect(multitoolFindings(name, log)).toEqual([]);
      }
    }
  });

  it('marks baseline-accepted links as externally suppressed', () => {
    const s = JSON.parse(renderSarif(accepted)) as Sarif;
    const r = s.runs[0]!.results.find((x) => x.ruleId === 'codebuild.kms-decrypt')!;
    expect(r.suppressions).toEqual([
      {
        kind: 'external',
        status: 'accepted',
        justification: 'ticket SEC-1 (accepted until 2099-01-01)',
      },
    ]);
  });

  it.skipIf(!multitoolRuns).each(Object.keys(REPORTS))(
    '%s passes Sarif.Multitool validate (SARIF + GitHub rules) with no error or warning',
    (name) => {
      expect(
        multitoolFindings(name, renderSarif(REPORTS[name]!(), { toolVersion: '1.2.3' })),
      ).toEqual([]);
    },
  );
  if (!multitoolRuns) {
    it.skip(`Sarif.Multitool does not run here (${probe.error?.message ?? probe.stderr}): only the schema is checked`, () => {});
  }
});

describe('sarif: warnings on allowed links', () => {
  it("gives a note-level result located at the trust policy, valid for the schema and Microsoft's validator", () => {
    const report = crossAccountReport();
    const p = report.pipelines[0]!;
    const allowed = p.links.find((l) => l.decision === 'Allowed')!;
    const warnedLink = {
      ...allowed,
      allowedBy: [
        {
          policyType: 'resource' as const,
          policy: 'arn:aws:iam::222222222222:role/deployer',
          statement: 1,
          explicit: false,
          location: { file: 'templates/prod.yaml', line: 12 },
        },
      ],
      warnings: ['the trust policy trusts the whole account `111111111111`'],
    };
    const withWarning: Report = {
      ...report,
      pipelines: [{ ...p, links: p.links.map((l) => (l === allowed ? warnedLink : l)) }],
    };
    const doc = JSON.parse(renderSarif(withWarning)) as Sarif;
    expect(validate(doc)).toBe(true);
    const notes = doc.runs[0]!.results.filter((r) => r.level === 'note');
    expect(notes).toHaveLength(1);
    expect(notes[0]!.message.text).toContain('trusts the whole account');
    expect(notes[0]!.locations![0]!.physicalLocation.artifactLocation.uri).toBe(
      'templates/prod.yaml',
    );
    expect(notes[0]!.locations![0]!.physicalLocation.region!.startLine).toBe(12);
    if (multitoolRuns) expect(multitoolFindings('warning', JSON.stringify(doc))).toEqual([]);
  });
});
