import { describe, expect, it } from 'vitest';
import {
  applyBaseline,
  describeAmbiguousEntry,
  describeChangedEntry,
  describeLapsedEntry,
  describeStaleEntry,
  parseBaseline,
  writeBaseline,
  type Baseline,
} from '../../src/report/baseline.js';
import {
  diffBreaks,
  diffGate,
  diffGateSentence,
  diffReports,
  renderDiffMarkdown,
  renderDiffText,
} from '../../src/report/diff.js';
import { exitCodeFor, gateSummary, linkFailure } from '../../src/report/gate.js';
import type { Report, ReportLink } from '../../src/report/types.js';
import { crossAccountReport } from './fixtures.js';

const noProblems = (r: Report): Report => ({
  ...r,
  problems: r.problems.filter((p) => p.severity !== 'error'),
});

function mapLinks(r: Report, f: (l: ReportLink) => ReportLink): Report {
  return { ...r, pipelines: r.pipelines.map((p) => ({ ...p, links: p.links.map(f) })) };
}

describe('exitCodeFor', () => {
  const report = noProblems(crossAccountReport());
  const allowedOnly = mapLinks(report, (l) =>
    l.decision === 'Unknown' ? l : { ...l, decision: 'Allowed', deniedBy: [] },
  );
  const passing = mapLinks(report, (l) => ({ ...l, decision: 'Allowed', deniedBy: [] }));

  it('fails on required denials under denied and unknown, never under never', () => {
    expect(exitCodeFor(report, 'denied')).toBe(1);
    expect(exitCodeFor(report, 'unknown')).toBe(1);
    expect(exitCodeFor(report, 'never')).toBe(0);
  });

  it('fails on required unknown links only under unknown', () => {
    expect(exitCodeFor(allowedOnly, 'denied')).toBe(0);
    expect(exitCodeFor(allowedOnly, 'unknown')).toBe(1);
    expect(exitCodeFor(passing, 'unknown')).toBe(0);
  });

  it('never fails on a recommended denial', () => {
    const onlyWarning = mapLinks(passing, (l) =>
      l.id === 'codebuild.logs@Build/Build' ? { ...l, decision: 'ImplicitlyDenied' } : l,
    );
    expect(exitCodeFor(onlyWarning, 'unknown')).toBe(0);
  });

  it('returns 2 for input errors whatever failOn says', () => {
    expect(exitCodeFor(crossAccountReport(), 'never')).toBe(2);
  });

  it('an expired acceptance fails a link only where the link fails without a baseline', () => {
    const expired = { reason: 'old', expires: '2025-01-31' };
    const withExpired = mapLinks(report, (l) => (l.decision === 'Allowed' ? l : { ...l, expired }));
    const byId = (id: string): ReportLink =>
      withExpired.pipelines.flatMap((p) => p.links).find((l) => l.id === id)!;
    // a required denial fails, as 'expired'
    expect(linkFailure(byId('codebuild.kms-decrypt@Build/Build'), 'denied')).toBe('expired');
    expect(linkFailure(byId('codebuild.kms-decrypt@Build/Build'), 'never')).toBeUndefined();
    // a recommended denial is a warning, with or without an expired entry
    expect(linkFailure(byId('codebuild.logs@Build/Build'), 'denied')).toBeUndefined();
    expect(linkFailure(byId('codebuild.logs@Build/Build'), 'unknown')).toBeUndefined();
    // an Unknown required link fails only under 'unknown'
    const unknown = byId('cross-account.s3-get@Deploy/DeployProd');
    expect(linkFailure(unknown, 'denied')).toBeUndefined();
    expect(linkFailure(unknown, 'unknown')).toBe('expired');
    // a report whose only non-allowed links would not fail on their own passes
    const onlyWarnings = mapLinks(withExpired, (l) =>
      l.level === 'recommended' || l.decision === 'Unknown'
        ? l
        : { ...l, decision: 'Allowed', deniedBy: [] },
    );
    expect(exitCodeFor(onlyWarnings, 'denied')).toBe(0);
    expect(gateSummary(onlyWarnings, 'denied').expired).toEqual([]);
    expect(exitCodeFor(onlyWarnings, 'unknown')).toBe(1);
    expect(gateSummary(onlyWarnings, 'unknown').failingLinks).toEqual({
      denied: 0,
      unknown: 0,
      expired: 2,
    });
  });

  it('an input without pipelines fails only under unknown (nothing analyzed is not a pass)', () => {
    const empty: Report = { pipelines: [], problems: [] };
    expect(exitCodeFor(empty, 'denied', { noPipelines: true })).toBe(0);
    expect(exitCodeFor(empty, 'unknown', { noPipelines: true })).toBe(1);
    expect(exitCodeFor(empty, 'never', { noPipelines: true })).toBe(0);
    expect(exitCodeFor(empty, 'unknown')).toBe(0);
  });
});

describe('baselines', () => {
  const report = noProblems(crossAccountReport());
  const baseline: Baseline = {
    version: 1,
    entries: [
      {
        pipeline: 'app-release',
        link: 'codebuild.kms-decrypt@Build/Build',
        reason: 'SEC-12 key policy change pending',
        expires: '2025-07-01',
      },
      {
        pipeline: 'arn:aws:codepipeline:us-east-1:111111111111:app-release',
        link: 'cross-account.kms-decrypt@Deploy/DeployProd',
        reason: 'old',
        expires: '2025-01-31',
      },
      {
        pipeline: 'app-release',
        link: 'artifact-store.s3-put@Source/Checkout',
        reason: 'allowed now',
        expires: '2030-01-01',
      },
      { pipeline: 'gone', link: 'x@y', reason: 'r', expires: '2030-01-01' },
    ],
  };

  it('accepts live entries, reports expired ones that still match and stale ones', () => {
    const r = applyBaseline(report, baseline, '2025-07-01');
    const app = r.report.pipelines[0]!;
    const kms = app.links.find((l) => l.id === 'codebuild.kms-decrypt@Build/Build')!;
    expect(kms.accepted).toEqual({
      reason: 'SEC-12 key policy change pending',
      expires: '2025-07-01',
    });
    expect(
      app.links.find((l) => l.id === 'cross-account.kms-decrypt@Deploy/DeployProd')!.accepted,
    ).toBeUndefined();
    expect(r.expired.map((e) => e.link)).toEqual(['cross-account.kms-decrypt@Deploy/DeployProd']);
    expect(r.stale.map((e) => e.pipeline + ' ' + e.link)).toEqual([
      'app-release artifact-store.s3-put@Source/Checkout',
      'gone x@y',
    ]);
    expect(exitCodeFor(r.report, 'denied')).toBe(1);
    // the input report is untouched
    expect(report.pipelines[0]!.links.some((l) => l.accepted)).toBe(false);
  });

  it('an entry of an input pipeline that was not analyzed is not stale; one of no pipeline is', () => {
    const [app, ...others] = report.pipelines;
    const onlyOthers: Report = { ...report, pipelines: others };
    const entries = [
      { pipeline: app!.arn, link: 'no-such-link', reason: 'r', expires: '2030-01-01' },
      {
        pipeline: 'arn:aws:codepipeline:us-east-1:111111111111:gone',
        link: 'x',
        reason: 'r',
        expires: '2030-01-01',
      },
    ];
    const r = applyBaseline(onlyOthers, { version: 1, entries }, '2025-01-01', {
      pipelines: report.pipelines,
    });
    expect(r.stale).toEqual([entries[1]]);
    // analyzed, the first one is stale too
    const all = applyBaseline(report, { version: 1, entries }, '2025-01-01');
    expect(all.stale).toEqual(entries);
    expect(describeStaleEntry(entries[1]!)).toBe(
      'baseline entry for `arn:aws:codepipeline:us-east-1:111111111111:gone` / `x` matches no ' +
        'link that is not allowed (the link is allowed now, or no analyzed pipeline has it): ' +
        'remove it, or it accepts the failure if it comes back',
    );
  });

  it('an entry holds through its expiry day, and accepting every failure passes the pipeline', () => {
    const written = writeBaseline(report, { reason: 'initial', expires: '2025-12-31' });
    const r = applyBaseline(report, written, '2025-12-31');
    expect(r.expired).toEqual([]);
    expect(r.stale).toEqual([]);
    expect(r.report.pipelines.map((p) => p.verdict)).toEqual(['pass', 'pass', 'pass']);
    expect(exitCodeFor(r.report, 'unknown')).toBe(0);
    const next = applyBaseline(report, written, '2026-01-01');
    expect(next.expired).toHaveLength(2);
    expect(next.lapsed).toHaveLength(3);
    expect(exitCodeFor(next.report, 'denied')).toBe(1);
  });

  it('an expired entry accepts nothing; it fails the run only where its link fails on its own', () => {
    const written = writeBaseline(report, { reason: 'initial', expires: '2025-12-31' });
    const links = (r: Report): Record<string, string> =>
      Object.fromEntries(
        r.pipelines.flatMap((p) =>
          p.links
            .filter((l) => l.decision !== 'Allowed')
            .map((l) => [l.id, l.expired ? 'expired' : l.accepted ? 'accepted' : 'none']),
        ),
      );
    const denied = applyBaseline(report, written, '2026-01-01');
    // the required denials are marked expired (they fail); the recommended denial and the
    // Unknown links are judged as without a baseline (they do not fail under 'denied')
    expect(links(denied.report)).toEqual({
      'codebuild.kms-decrypt@Build/Build': 'expired',
      'codebuild.logs@Build/Build': 'none',
      'cross-account.kms-decrypt@Deploy/DeployProd': 'expired',
      'cross-account.s3-get@Deploy/DeployProd': 'none',
      'codebuild.start-build@Scan/Scan': 'none',
    });
    expect(denied.expired.map((e) => e.link)).toEqual([
      'codebuild.kms-decrypt@Build/Build',
      'cross-account.kms-decrypt@Deploy/DeployProd',
    ]);
    expect(denied.lapsed.map((l) => [l.entry.link, l.decision, l.level])).toEqual([
      ['codebuild.start-build@Scan/Scan', 'Unknown', 'required'],
      ['codebuild.logs@Build/Build', 'ImplicitlyDenied', 'recommended'],
      ['cross-account.s3-get@Deploy/DeployProd', 'Unknown', 'required'],
    ]);
    expect(describeLapsedEntry(denied.lapsed[1]!)).toBe(
      'baseline entry for `arn:aws:codepipeline:us-east-1:111111111111:app-release` / ' +
        '`codebuild.logs@Build/Build` expired on 2025-12-31: it accepts nothing, and the link ' +
        '(ImplicitlyDenied) is judged as without a baseline, where it does not fail the run (a ' +
        'recommended link is a warning, never a failure); renew the entry or remove it',
    );
    expect(describeLapsedEntry(denied.lapsed[0]!)).toContain(
      '(an Unknown link fails the run only under --fail-on unknown)',
    );
    // the same report without the baseline gives the same exit code under every failOn
    for (const failOn of ['denied', 'unknown', 'never'] as const) {
      const r = applyBaseline(report, written, '2026-01-01', { failOn });
      expect(exitCodeFor(r.report, failOn)).toBe(exitCodeFor(report, failOn));
    }
    // under 'unknown' the Unknown links fail on their own: their entries are expired
    const strict = applyBaseline(report, written, '2026-01-01', { failOn: 'unknown' });
    expect(strict.expired).toHaveLength(4);
    expect(strict.lapsed.map((l) => l.entry.link)).toEqual(['codebuild.logs@Build/Build']);
    // under 'never' nothing fails: every expired entry is only a warning
    const never = applyBaseline(report, written, '2026-01-01', { failOn: 'never' });
    expect(never.expired).toEqual([]);
    expect(never.lapsed).toHaveLength(5);
    expect(describeLapsedEntry(never.lapsed[0]!, 'never')).toContain(
      '(nothing fails the run under --fail-on never)',
    );
  });

  it('writes one sorted entry per non-allowed link and keeps existing acceptances', () => {
    const first = applyBaseline(report, baseline, '2025-06-01').report;
    const b = writeBaseline(first, { reason: 'new', expires: '2026-01-01' });
    expect(b.version).toBe(2);
    const app = 'arn:aws:codepipeline:us-east-1:111111111111:app-release';
    expect(b.entries.map((e) => `${e.pipeline} ${e.link}`)).toEqual([
      'arn:aws:codepipeline:eu-west-1:333333333333:nightly-scan codebuild.start-build@Scan/Scan',
      `${app} codebuild.kms-decrypt@Build/Build`,
      `${app} codebuild.logs@Build/Build`,
      `${app} cross-account.kms-decrypt@Deploy/DeployProd`,
      `${app} cross-account.s3-get@Deploy/DeployProd`,
    ]);
    expect(b.entries[1]!.reason).toBe('SEC-12 key policy change pending');
    expect(b.entries[2]!.reason).toBe('new');
  });

  it('names pipelines by ARN, even when no other pipeline of the run has the name', () => {
    const b = writeBaseline(report, { reason: 'x', expires: '2026-01-01' });
    expect(b.entries.length).toBeGreaterThan(0);
    for (const e of b.entries) expect(e.pipeline).toMatch(/^arn:aws:codepipeline:/);
  });

  describe('pipelines of one name in two regions', () => {
    const r = noProblems(crossAccountReport());
    const WEST = 'arn:aws:codepipeline:eu-west-1:111111111111:app-release';
    const twin: Report = { ...r, pipelines: [...r.pipelines, { ...r.pipelines[0]!, arn: WEST }] };
    const KMS = 'codebuild.kms-decrypt@Build/Build';
    const accepted = (res: ReturnType<typeof applyBaseline>, arn: string): boolean =>
      res.report.pipelines.find((p) => p.arn === arn)!.links.find((l) => l.id === KMS)!.accepted !==
      undefined;
    const EAST = r.pipelines[0]!.arn;

    it('an entry written for one accepts the link in that one only', () => {
      const written = writeBaseline(
        { ...twin, pipelines: [r.pipelines[0]!] },
        { reason: 'x', expires: '2030-01-01' },
      );
      const res = applyBaseline(twin, written, '2025-01-01');
      expect(accepted(res, EAST)).toBe(true);
      expect(accepted(res, WEST)).toBe(false);
      expect(exitCodeFor(res.report, 'denied')).toBe(1);
      expect(res.ambiguous).toEqual([]);
    });

    it('an entry of an older file naming the pipeline by name accepts nothing and is reported', () => {
      const entry = { pipeline: 'app-release', link: KMS, reason: 'old', expires: '2030-01-01' };
      const res = applyBaseline(twin, { version: 1, entries: [entry] }, '2025-01-01');
      expect(accepted(res, EAST)).toBe(false);
      expect(accepted(res, WEST)).toBe(false);
      expect(res.ambiguous).toEqual([{ entry, pipelines: [EAST, WEST].sort() }]);
      expect(res.stale).toEqual([]);
      expect(describeAmbiguousEntry(res.ambiguous[0]!)).toBe(
        `baseline entry for \`app-release\` / \`${KMS}\` names the pipeline by name, and 2 ` +
          `analyzed pipelines have that name (\`${WEST}\`, \`${EAST}\`): it accepts nothing ` +
          '(run `permchain baseline` again: entries name pipelines by ARN)',
      );
      // with one pipeline of that name analyzed, the old entry still works
      const one = applyBaseline(r, { version: 1, entries: [entry] }, '2025-01-01');
      expect(accepted(one, EAST)).toBe(true);
      expect(one.ambiguous).toEqual([]);
    });
  });

  it('parses a baseline file and reports bad input as problems with pointers', () => {
    const good = parseBaseline(JSON.stringify(baseline), 'permchain-baseline.json');
    // its entries record no cause (version 1): a warning, not an error
    expect(good.problems.map((p) => `${p.pointer} ${p.id} ${p.severity}`)).toEqual([
      '/entries/0 baseline.entry.cause-unrecorded warning',
    ]);
    expect(good.baseline).toEqual(baseline);

    const bad = parseBaseline(
      JSON.stringify({
        version: 1,
        entries: [
          { pipeline: 'a', link: 'b', reason: 'c', expires: '2025-02-30' },
          { pipeline: 'a', link: 'b', reason: 'c', expiry: '2025-01-01' },
          'x',
          { pipeline: 'a', link: 'b', reason: 'ok', expires: '2025-02-28' },
        ],
      }),
      'b.json',
    );
    expect(bad.problems.map((p) => `${p.pointer} ${p.id}`)).toEqual([
      '/entries/0/expires baseline.entry.expires-invalid',
      '/entries/1/expiry baseline.entry.key-unknown',
      '/entries/1/expires baseline.entry.field-missing',
      '/entries/2 baseline.entry.invalid',
      '/entries/3 baseline.entry.cause-unrecorded',
    ]);
    expect(bad.baseline.entries).toHaveLength(1);
    expect(parseBaseline('{', 'b.json').problems[0]!.id).toBe('baseline.json.invalid');
    expect(parseBaseline('{"version":3,"entries":[]}', 'b.json').problems[0]!.id).toBe(
      'baseline.version.unsupported',
    );
    for (const p of bad.problems) {
      expect(p.message).toMatch(/^[a-z`]/);
      expect(p.message.endsWith('.')).toBe(false);
      expect(p.file).toBe('b.json');
    }
  });
});

describe('baseline decisions', () => {
  const report = noProblems(crossAccountReport());
  const KMS = 'codebuild.kms-decrypt@Build/Build';
  const kmsLink = report.pipelines[0]!.links.find((l) => l.id === KMS)!;

  it('records the decision of each link it accepts', () => {
    const written = writeBaseline(report, { reason: 'r', expires: '2030-01-01' });
    const entry = written.entries.find((e) => e.link === KMS)!;
    expect(entry.decision).toBe(kmsLink.decision);
    for (const e of written.entries) expect(e.decision).toMatch(/Denied|Unknown/);
  });

  it('accepts a link only while it has the decision the entry accepts', () => {
    const entry = { pipeline: 'app-release', link: KMS, reason: 'r', expires: '2030-01-01' };
    const same = applyBaseline(
      report,
      { version: 1, entries: [{ ...entry, decision: 'ImplicitlyDenied' }] },
      '2025-01-01',
    );
    expect(kmsLink.decision).toBe('ImplicitlyDenied');
    expect(same.report.pipelines[0]!.links.find((l) => l.id === KMS)!.accepted).toBeDefined();
    expect(same.changed).toEqual([]);

    const unknownEntry = { ...entry, decision: 'Unknown' as const };
    const other = applyBaseline(report, { version: 1, entries: [unknownEntry] }, '2025-01-01');
    expect(other.report.pipelines[0]!.links.find((l) => l.id === KMS)!.accepted).toBeUndefined();
    expect(other.changed).toEqual([{ entry: unknownEntry, decision: 'ImplicitlyDenied' }]);
    // neither stale (it names a failing link) nor expired
    expect(other.stale).toEqual([]);
    expect(other.expired).toEqual([]);
    expect(exitCodeFor(other.report, 'denied')).toBe(1);
    expect(describeChangedEntry(other.changed[0]!)).toBe(
      `baseline entry for \`app-release\` / \`${KMS}\` accepts Unknown, but the link is now ` +
        'ImplicitlyDenied: not accepted (run `permchain baseline` again to accept it)',
    );
    // an expired entry of another decision is not reported as expired: it accepts nothing
    const late = applyBaseline(
      report,
      { version: 1, entries: [{ ...unknownEntry, expires: '2020-01-01' }] },
      '2025-01-01',
    );
    expect(late.expired).toEqual([]);
    expect(late.changed).toHaveLength(1);
  });

  it('an entry without a decision (older files) accepts whatever the link is', () => {
    const entry = { pipeline: 'app-release', link: KMS, reason: 'r', expires: '2030-01-01' };
    const r = applyBaseline(report, { version: 1, entries: [entry] }, '2025-01-01');
    expect(r.report.pipelines[0]!.links.find((l) => l.id === KMS)!.accepted).toBeDefined();
    expect(r.changed).toEqual([]);
  });

  it('parses the decision, refuses another value, and says where an entry is', () => {
    const parsed = parseBaseline(
      JSON.stringify({
        version: 1,
        entries: [
          { pipeline: 'a', link: 'b', reason: 'c', expires: '2025-01-01', decision: 'Allowed' },
          { pipeline: 'a', link: 'c', reason: 'c', expires: '2025-01-01', decision: 'Unknown' },
        ],
      }),
      'b.json',
    );
    expect(parsed.problems.map((p) => `${p.pointer} ${p.id}`)).toEqual([
      '/entries/0/decision baseline.entry.decision-invalid',
      '/entries/1 baseline.entry.cause-unrecorded',
    ]);
    expect(parsed.baseline.entries).toEqual([
      { pipeline: 'a', link: 'c', reason: 'c', expires: '2025-01-01', decision: 'Unknown' },
    ]);
    expect(parsed.pointers.get(parsed.baseline.entries[0]!)).toBe('/entries/1');
  });

  it('never quotes a malformed file: it says where, by line and column', () => {
    const p = parseBaseline('{\n  "entries": [ghp_SECRET]\n}', 'b.json').problems[0]!;
    expect(p.id).toBe('baseline.json.invalid');
    expect(p.message).not.toContain('ghp_');
    expect(p.message).toBe('baseline is not valid json: line 2 column 15');
    const comma = parseBaseline('{\n  "version": 1,\n}', 'b.json').problems[0]!;
    expect(comma.message).toBe('baseline is not valid json: line 3 column 1');
  });
});

describe('diffReports', () => {
  const before = noProblems(crossAccountReport());
  const after: Report = {
    ...mapLinks(before, (l) => {
      if (l.id === 'codebuild.kms-decrypt@Build/Build')
        return { ...l, decision: 'Allowed', deniedBy: [] };
      if (l.id === 'cross-account.assume-role@Deploy/DeployProd')
        return { ...l, decision: 'ExplicitlyDenied' };
      if (l.id === 'cross-account.kms-decrypt@Deploy/DeployProd')
        return { ...l, decision: 'ImplicitlyDenied' };
      if (l.id === 'codestar.use-connection@Source/Checkout') return { ...l, decision: 'Unknown' };
      return l;
    }),
  };
  const trimmed: Report = {
    ...after,
    pipelines: after.pipelines
      .filter((p) => p.name !== 'nightly-scan')
      .map((p) =>
        p.name === 'docs-site'
          ? {
              ...p,
              links: [
                ...p.links.slice(1),
                { ...p.links[0]!, id: 'artifact-store.s3-put@Source/Fetch2' },
              ],
            }
          : p,
      ),
  };

  it('keys links by pipeline and link id and sorts changes into kinds', () => {
    const d = diffReports(before, trimmed);
    expect(d.newlyDenied.map((c) => c.link)).toEqual([
      'cross-account.assume-role@Deploy/DeployProd',
    ]);
    expect(d.newlyAllowed.map((c) => c.link)).toEqual(['codebuild.kms-decrypt@Build/Build']);
    expect(d.newlyUnknown.map((c) => c.link)).toEqual(['codestar.use-connection@Source/Checkout']);
    expect(d.denialChanged.map((c) => `${c.before}->${c.after}`)).toEqual([
      'ExplicitlyDenied->ImplicitlyDenied',
    ]);
    expect(d.added.map((c) => c.link)).toEqual(['artifact-store.s3-put@Source/Fetch2']);
    expect(d.removed.map((c) => c.link)).toEqual([
      'codebuild.start-build@Scan/Scan',
      'artifact-store.s3-put@Source/Fetch',
    ]);
    expect(d.pipelinesRemoved).toEqual([
      'arn:aws:codepipeline:eu-west-1:333333333333:nightly-scan',
    ]);
    expect(d.pipelinesAdded).toEqual([]);
    expect(d.unchanged).toBe(7);
  });

  it('renders the diff as text and markdown', () => {
    const d = diffReports(before, trimmed);
    const text = renderDiffText(d);
    expect(text).toContain(
      'newly denied (1)\n  app-release: cross-account.assume-role@Deploy/DeployProd (Allowed -> ExplicitlyDenied)\n',
    );
    expect(text.trimEnd().split('\n').slice(-2)).toEqual([
      '1 newly denied, 1 newly unknown, 1 newly allowed, 7 links unchanged',
      'the run fails (exit 1): 1 required link newly denied',
    ]);
    const md = renderDiffMarkdown(d);
    expect(md).toContain('#### newly denied (1)');
    expect(md).toContain(
      '| <code>app-release</code> | <code>cross-account.assume-role&#64;<!-- -->Deploy/DeployProd</code> | Allowed -&gt; ExplicitlyDenied |',
    );
    expect(diffBreaks(d)).toBe(true);
    const same = diffReports(before, before);
    expect(diffBreaks(same)).toBe(false);
    expect(renderDiffText(same)).toBe('no change (13 links unchanged)\nthe run passes\n');
    expect(renderDiffMarkdown(same)).toContain(
      'No link changed (13 links unchanged).\n\n**The run passes.**\n',
    );
  });

  it('a recommended link newly denied does not break the change; it is listed as a warning', () => {
    const warned = mapLinks(before, (l) =>
      l.id === 'codebuild.logs@Build/Build' ? { ...l, decision: 'Allowed', deniedBy: [] } : l,
    );
    const d = diffReports(warned, before);
    expect(d.newlyDenied.map((c) => [c.link, c.level])).toEqual([
      ['codebuild.logs@Build/Build', 'recommended'],
    ]);
    expect(diffBreaks(d)).toBe(false);
    const text = renderDiffText(d);
    expect(text).toContain('(Allowed -> ImplicitlyDenied, recommended: a warning)');
    expect(text).toContain('1 newly denied (1 recommended: warnings only)');
    expect(renderDiffMarkdown(d)).toContain('1 newly denied (1 recommended: warnings only)');
    expect(text.trimEnd().split('\n').at(-1)).toBe('the run passes');
  });

  it('the gate of a diff: input errors, newly unknown links and an AFTER with no pipeline', () => {
    const d = diffReports(before, trimmed);
    const error = {
      file: 'b.json',
      pointer: '/x',
      message: '(after `b`) bad',
      id: 'input.bad',
      severity: 'error' as const,
    };
    expect(diffGate(d).exitCode).toBe(1);
    expect(diffGate(d, { failOn: 'never' }).exitCode).toBe(0);
    // an input error is exit 2 whatever failOn says, and the text ends saying so
    for (const failOn of ['denied', 'unknown', 'never'] as const) {
      expect(diffGate(d, { failOn, problems: [error] }).exitCode).toBe(2);
    }
    const text = renderDiffText(d, { problems: [error] })
      .trimEnd()
      .split('\n');
    expect(text.slice(-2)).toEqual([
      'error: b.json#/x: (after `b`) bad [input.bad]',
      'the run fails (exit 2): 1 input error makes the comparison incomplete, so the changes ' +
        'listed may be wrong or missing',
    ]);
    const unknown = diffGate(d, { failOn: 'unknown' });
    expect(diffGateSentence(unknown)).toBe(
      'the run fails (exit 1): 1 required link newly denied, 1 required link newly unknown ' +
        '(--fail-on unknown)',
    );
    const nothing = diffReports({ pipelines: [], problems: [] }, { pipelines: [], problems: [] });
    const both = ['before', 'after'] as const;
    expect(diffGate(nothing, { failOn: 'unknown', noPipelines: both }).exitCode).toBe(1);
    expect(diffGate(nothing, { failOn: 'unknown', noPipelines: ['after'] }).exitCode).toBe(1);
    expect(diffGate(nothing, { failOn: 'unknown', noPipelines: ['before'] }).exitCode).toBe(0);
    expect(diffGate(nothing, { failOn: 'denied', noPipelines: both }).exitCode).toBe(0);
    expect(diffGate(nothing, { failOn: 'never', noPipelines: both }).exitCode).toBe(0);
    expect(renderDiffMarkdown(nothing, { failOn: 'unknown', noPipelines: both })).toBe(
      '### permchain: changes in this pull request\n\n' +
        'No link changed (0 links unchanged).\n\n' +
        '**The run fails (exit 1): AFTER holds no pipeline (--fail-on unknown).**\n',
    );
  });
});
