/**
 * A baseline entry records what it accepts: the link's decision, principal, resource and the
 * policies that decide it (a link id holds neither the principal nor the resource). It accepts
 * the link only while they are the same; otherwise the link is not accepted and the entry is
 * returned as changed, saying what changed. Entries of version 1 (no cause recorded) still
 * accept by pipeline, link id and decision, with a warning asking to run `permchain baseline`
 * again.
 */
import { describe, expect, it } from 'vitest';
import {
  applyBaseline,
  describeChangedEntry,
  parseBaseline,
  writeBaseline,
  type Baseline,
  type BaselineEntry,
} from '../../src/report/baseline.js';
import { exitCodeFor } from '../../src/report/gate.js';
import { stableJson } from '../../src/report/stableJson.js';
import type { Report, ReportLink } from '../../src/report/types.js';
import { crossAccountReport } from './fixtures.js';

const KMS = 'codebuild.kms-decrypt@Build/Build';
const report: Report = { ...crossAccountReport(), problems: [] };
const APP = report.pipelines[0]!.arn;
const kmsLink = report.pipelines[0]!.links.find((l) => l.id === KMS)!;
const OTHER_KEY = 'arn:aws:kms:us-east-1:111111111111:key/99999999-aaaa-bbbb-cccc-dddddddddddd';
const OTHER_ROLE = 'arn:aws:iam::111111111111:role/another-build-role';
const IDENTITY = {
  policyType: 'identity' as const,
  policy: `${kmsLink.principal} (inline: build)`,
  explicit: false,
};

function withLink(f: (l: ReportLink) => ReportLink): Report {
  return {
    ...report,
    pipelines: report.pipelines.map((p) => ({
      ...p,
      links: p.links.map((l) => (l.id === KMS ? f(l) : l)),
    })),
  };
}
const accepted = (r: ReturnType<typeof applyBaseline>): boolean =>
  r.report.pipelines[0]!.links.find((l) => l.id === KMS)!.accepted !== undefined;

describe('a baseline entry records the cause it accepts', () => {
  const written = writeBaseline(report, { reason: 'SEC-12', expires: '2030-01-01' });
  const entry = written.entries.find((e) => e.link === KMS)!;

  it('writes version 2, with the principal, resource and deciding policies (no locations)', () => {
    expect(written.version).toBe(2);
    expect(entry).toEqual({
      pipeline: APP,
      link: KMS,
      decision: 'ImplicitlyDenied',
      principal: kmsLink.principal,
      resource: kmsLink.resource,
      deniedBy: [{ policyType: 'resource', policy: kmsLink.resource, explicit: false }],
      reason: 'SEC-12',
      expires: '2030-01-01',
    });
    // the file reads back as written, without a problem
    const parsed = parseBaseline(stableJson(written), 'b.json');
    expect(parsed.problems).toEqual([]);
    expect(parsed.baseline).toEqual(written);
  });

  it('accepts the link while its cause is the same (policies in any order, moved in the file)', () => {
    const same = applyBaseline(report, written, '2025-01-01');
    expect(accepted(same)).toBe(true);
    expect(same.changed).toEqual([]);
    expect(same.unrecorded).toEqual([]);
    const moved = withLink((l) => ({
      ...l,
      deniedBy: [{ ...l.deniedBy[0]!, location: { file: 'elsewhere.json', line: 99 } }],
    }));
    expect(accepted(applyBaseline(moved, written, '2025-01-01'))).toBe(true);
    const two = { ...entry, deniedBy: [IDENTITY, ...entry.deniedBy!] };
    const twoLinks = withLink((l) => ({ ...l, deniedBy: [...l.deniedBy, IDENTITY] }));
    expect(accepted(applyBaseline(twoLinks, { version: 2, entries: [two] }, '2025-01-01'))).toBe(
      true,
    );
  });

  it('does not accept the link once another policy decides it, and says so', () => {
    // the key policy was fixed, and the role's own policy lost kms:Decrypt: still denied
    const byRole = withLink((l) => ({ ...l, deniedBy: [IDENTITY] }));
    const r = applyBaseline(byRole, written, '2025-01-01');
    expect(accepted(r)).toBe(false);
    expect(exitCodeFor(r.report, 'denied')).toBe(1);
    expect(r.changed).toEqual([{ entry, decision: 'ImplicitlyDenied', deniedBy: [IDENTITY] }]);
    expect(r.stale).toEqual([]);
    expect(describeChangedEntry(r.changed[0]!)).toBe(
      `baseline entry for \`${APP}\` / \`${KMS}\` accepts it denied by resource policy ` +
        `${kmsLink.resource} (no matching allow), but it is now denied by identity policy ` +
        `${IDENTITY.policy} (no matching allow): not accepted (run \`permchain baseline\` again to ` +
        'accept it)',
    );
    // an explicit deny where a missing allow was accepted is another cause too
    const explicit = withLink((l) => ({
      ...l,
      deniedBy: [{ ...l.deniedBy[0]!, statement: 'Deny', explicit: true }],
    }));
    expect(accepted(applyBaseline(explicit, written, '2025-01-01'))).toBe(false);
  });

  it('does not accept the link on another resource or for another principal', () => {
    // the artifact store moved to another key: the same link id, denied on the new key
    const newKey = withLink((l) => ({
      ...l,
      resource: OTHER_KEY,
      deniedBy: [{ ...l.deniedBy[0]!, policy: OTHER_KEY }],
    }));
    const r = applyBaseline(newKey, written, '2025-01-01');
    expect(accepted(r)).toBe(false);
    expect(exitCodeFor(r.report, 'denied')).toBe(1);
    expect(r.changed[0]).toMatchObject({ resource: OTHER_KEY });
    expect(describeChangedEntry(r.changed[0]!)).toContain(
      `accepts it on resource \`${kmsLink.resource}\`, but the link is now on \`${OTHER_KEY}\`; `,
    );
    const newRole = withLink((l) => ({ ...l, principal: OTHER_ROLE }));
    const p = applyBaseline(newRole, written, '2025-01-01');
    expect(accepted(p)).toBe(false);
    expect(p.changed).toEqual([{ entry, decision: 'ImplicitlyDenied', principal: OTHER_ROLE }]);
    expect(describeChangedEntry(p.changed[0]!)).toBe(
      `baseline entry for \`${APP}\` / \`${KMS}\` accepts it for principal ` +
        `\`${kmsLink.principal}\`, but the link's principal is now \`${OTHER_ROLE}\`: not ` +
        'accepted (run `permchain baseline` again to accept it)',
    );
    // rewriting the baseline: the old reason is not carried over to the new cause
    const rewritten = writeBaseline(p.report, { reason: 'new cause', expires: '2031-01-01' });
    expect(rewritten.entries.find((e) => e.link === KMS)).toMatchObject({
      principal: OTHER_ROLE,
      reason: 'new cause',
      expires: '2031-01-01',
    });
    expect(describeChangedEntry(p.changed[0]!, true)).toMatch(
      /: not accepted \(its reason and date are not kept: the link is written with --reason and --expires\)$/,
    );
    // while the cause is the same, the reason is kept
    const kept = writeBaseline(applyBaseline(report, written, '2025-01-01').report, {
      reason: 'new cause',
      expires: '2031-01-01',
    });
    expect(kept.entries.find((e) => e.link === KMS)!.reason).toBe('SEC-12');
  });
});

describe('entries of version 1 (no cause recorded)', () => {
  const old: BaselineEntry = {
    pipeline: APP,
    link: KMS,
    reason: 'key policy fix tracked in JIRA-1',
    expires: '2099-01-01',
    decision: 'ImplicitlyDenied',
  };
  const file = JSON.stringify({ version: 1, entries: [old] });

  it('load, and accept by pipeline, link id and decision, whatever the cause, with a warning', () => {
    const parsed = parseBaseline(file, 'bl.json');
    expect(parsed.baseline).toEqual({ version: 1, entries: [old] });
    expect(parsed.problems).toEqual([
      {
        file: 'bl.json',
        pointer: '/entries/0',
        message:
          'the entry written by an earlier version records no principal, resource or deciding ' +
          'policies: each accepts its link whatever they are, checking its decision alone; run ' +
          '`permchain baseline` again to record them (version 2)',
        id: 'baseline.entry.cause-unrecorded',
        severity: 'warning',
      },
    ]);
    // the same result every time
    expect(parseBaseline(file, 'bl.json')).toEqual(parsed);
    const byRole = withLink((l) => ({ ...l, resource: OTHER_KEY, deniedBy: [IDENTITY] }));
    const r = applyBaseline(byRole, parsed.baseline, '2025-01-01');
    expect(accepted(r)).toBe(true);
    expect(r.unrecorded).toEqual([old]);
    expect(r.changed).toEqual([]);
    // the decision is still checked
    const unknown = withLink((l) => ({ ...l, decision: 'Unknown' }));
    expect(accepted(applyBaseline(unknown, parsed.baseline, '2025-01-01'))).toBe(false);
  });

  it('are rewritten with the cause of today, keeping their reason', () => {
    const r = applyBaseline(report, { version: 1, entries: [old] }, '2025-01-01');
    const b = writeBaseline(r.report, { reason: 'new', expires: '2031-01-01' });
    expect(b.version).toBe(2);
    expect(b.entries.find((e) => e.link === KMS)).toMatchObject({
      reason: old.reason,
      principal: kmsLink.principal,
      resource: kmsLink.resource,
    });
  });
});

describe('parsing the cause of an entry', () => {
  const entry = {
    pipeline: APP,
    link: KMS,
    reason: 'r',
    expires: '2030-01-01',
    decision: 'ImplicitlyDenied',
    principal: kmsLink.principal,
    resource: kmsLink.resource,
    deniedBy: [
      { policyType: 'resource', policy: kmsLink.resource, explicit: false },
      { policyType: 'identity', policy: 'p', statement: 2, explicit: true },
    ],
  };
  const parse = (entries: object[], version = 2): ReturnType<typeof parseBaseline> =>
    parseBaseline(JSON.stringify({ version, entries }), 'b.json');

  it('reads both versions, the deciding policies sorted; refuses another version', () => {
    const two = parse([entry]);
    expect(two.problems).toEqual([]);
    const read = two.baseline.entries[0]!;
    expect(read.deniedBy!.map((r) => r.policyType)).toEqual(['identity', 'resource']);
    // a version 1 file holding an entry copied from a version 2 file reads its cause too
    expect(parse([entry], 1).baseline.entries[0]).toEqual(read);
    expect(parseBaseline('{"version":3,"entries":[]}', 'b.json').problems[0]).toMatchObject({
      id: 'baseline.version.unsupported',
      message: 'unsupported baseline version `3`: expected `1` or `2`',
    });
  });

  it('an entry holds principal, resource and deniedBy together, each well formed', () => {
    const { resource: _resource, ...noResource } = entry;
    const bad = parse([
      noResource,
      { ...entry, principal: '' },
      { ...entry, deniedBy: 'resource' },
      { ...entry, deniedBy: [{ policyType: 'bucket', policy: 'x', explicit: false }] },
      { ...entry, deniedBy: [{ policyType: 'resource', policy: 'x', explicit: 'no' }] },
      { ...entry, deniedBy: [{ policyType: 'resource', policy: 'x', explicit: false, sid: 1 }] },
      entry,
    ]);
    expect(bad.problems.map((p) => `${p.pointer} ${p.id}`)).toEqual([
      '/entries/0/resource baseline.entry.field-missing',
      '/entries/1/principal baseline.entry.field-missing',
      '/entries/2/deniedBy baseline.entry.denied-by-invalid',
      '/entries/3/deniedBy/0 baseline.entry.denied-by-invalid',
      '/entries/4/deniedBy/0 baseline.entry.denied-by-invalid',
      '/entries/5/deniedBy/0 baseline.entry.denied-by-invalid',
    ]);
    expect(bad.baseline.entries).toHaveLength(1);
    for (const p of bad.problems) expect(p.severity).toBe('error');
  });

  it('a version 2 file keeping entries of version 1 (baseline --pipeline) warns at the first', () => {
    const { principal: _p, resource: _r, deniedBy: _d, ...old } = entry;
    const mixed = parse([entry, { ...old, link: 'x' }, { ...old, link: 'y' }]);
    expect(mixed.problems.map((p) => `${p.pointer} ${p.id} ${p.severity}`)).toEqual([
      '/entries/1 baseline.entry.cause-unrecorded warning',
    ]);
    expect(mixed.problems[0]!.message).toMatch(
      /^the 2 entries written by an earlier version record no principal/,
    );
    const baseline: Baseline = mixed.baseline;
    expect(baseline.version).toBe(2);
  });
});
