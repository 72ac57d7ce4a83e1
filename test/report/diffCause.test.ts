/**
 * diffReports compares a link of both sides by its decision, principal, resource and (denied on
 * both sides) the policies that deny it. A required link denied, or unknown, for another principal
 * or on another resource fails the run as a newly denied (newly unknown, under --fail-on unknown)
 * one does; a recommended one is a warning; a link allowed on both sides is unchanged whatever
 * its principal and resource.
 */
import { describe, expect, it } from 'vitest';
import {
  diffBreaks,
  diffGate,
  diffGateSentence,
  diffReports,
  renderDiffMarkdown,
  renderDiffText,
} from '../../src/report/diff.js';
import type { Report, ReportLink } from '../../src/report/types.js';
import { crossAccountReport } from './fixtures.js';

const KMS = 'codebuild.kms-decrypt@Build/Build';
const LOGS = 'codebuild.logs@Build/Build';
const S3_GET = 'cross-account.s3-get@Deploy/DeployProd';
const ASSUME = 'cross-account.assume-role@Deploy/DeployProd';
const OTHER_KEY = 'arn:aws:kms:us-east-1:111111111111:key/99999999-aaaa-bbbb-cccc-dddddddddddd';
const OTHER_ROLE = 'arn:aws:iam::111111111111:role/another-build-role';
const before: Report = { ...crossAccountReport(), problems: [] };

function change(id: string, f: (l: ReportLink) => ReportLink): Report {
  return {
    ...before,
    pipelines: before.pipelines.map((p) => ({
      ...p,
      links: p.links.map((l) => (l.id === id ? f(l) : l)),
    })),
  };
}

describe('diff: links of both sides compared by principal, resource and denying policies', () => {
  it('a required link denied on another resource fails the run, in its own section', () => {
    const after = change(KMS, (l) => ({
      ...l,
      resource: OTHER_KEY,
      deniedBy: [{ ...l.deniedBy[0]!, policy: OTHER_KEY }],
    }));
    const d = diffReports(before, after);
    expect(d.deniedElsewhere.map((c) => [c.link, c.beforeResource, c.resource])).toEqual([
      [KMS, before.pipelines[0]!.links.find((l) => l.id === KMS)!.resource, OTHER_KEY],
    ]);
    expect(d.newlyDenied).toEqual([]);
    expect(d.unchanged).toBe(12);
    expect(diffBreaks(d)).toBe(true);
    const gate = diffGate(d);
    expect(gate.exitCode).toBe(1);
    expect(gate.deniedElsewhere).toBe(1);
    expect(diffGateSentence(gate)).toBe(
      'the run fails (exit 1): 1 required link denied for another principal or on another resource',
    );
    expect(diffGate(d, { failOn: 'never' }).exitCode).toBe(0);
    expect(renderDiffText(d)).toContain(
      'denied for another principal or on another resource (1)\n' +
        `  app-release: ${KMS} (still ImplicitlyDenied)\n`,
    );
    expect(renderDiffMarkdown(d)).toContain(
      '#### denied for another principal or on another resource (1)',
    );
  });

  it('for another principal too; the decision changing as well does not hide it', () => {
    const after = change(KMS, (l) => ({
      ...l,
      principal: OTHER_ROLE,
      decision: 'ExplicitlyDenied',
      deniedBy: [{ ...l.deniedBy[0]!, statement: 'Deny', explicit: true }],
    }));
    const d = diffReports(before, after);
    expect(d.denialChanged).toEqual([]);
    const c = d.deniedElsewhere[0]!;
    expect([c.before, c.after, c.principal, c.beforePrincipal]).toEqual([
      'ImplicitlyDenied',
      'ExplicitlyDenied',
      OTHER_ROLE,
      before.pipelines[0]!.links.find((l) => l.id === KMS)!.principal,
    ]);
    expect(c.beforeResource).toBeUndefined();
    expect(diffGate(d).exitCode).toBe(1);
    expect(renderDiffText(d)).toContain(`    principal was ${c.beforePrincipal}\n`);
  });

  it('a recommended link denied on another resource is a warning', () => {
    const after = change(LOGS, (l) => ({ ...l, resource: `${l.resource}-2` }));
    const d = diffReports(before, after);
    expect(d.deniedElsewhere.map((c) => c.level)).toEqual(['recommended']);
    expect(diffGate(d).exitCode).toBe(0);
    const text = renderDiffText(d);
    expect(text).toContain('(still ImplicitlyDenied, recommended: a warning)');
    expect(text).toContain(
      '0 newly denied, 1 denied for another principal or on another resource (1 recommended: ' +
        'warnings only), 0 newly unknown',
    );
  });

  it('other denying policies on the same resource: denied for another reason, not failing', () => {
    const identity = {
      policyType: 'identity' as const,
      policy: 'role (inline: build)',
      explicit: false,
    };
    const after = change(KMS, (l) => ({ ...l, deniedBy: [identity] }));
    const d = diffReports(before, after);
    const key = before.pipelines[0]!.links.find((l) => l.id === KMS)!.resource;
    expect(d.denialChanged.map((c) => [c.link, c.deniedBy, c.beforeDeniedBy])).toEqual([
      [KMS, [identity], [{ policyType: 'resource', policy: key, explicit: false }]],
    ]);
    expect(diffGate(d).exitCode).toBe(0);
    expect(renderDiffText(d)).toContain(
      '    denied by identity policy role (inline: build) (no matching allow)\n',
    );
    // the same policies in another order, or written elsewhere in their file: unchanged
    const twice = change(KMS, (l) => ({ ...l, deniedBy: [identity, ...l.deniedBy] }));
    const reordered = change(KMS, (l) => ({
      ...l,
      deniedBy: [{ ...l.deniedBy[0]!, location: { file: 'moved.json', line: 3 } }, identity],
    }));
    const same = diffReports(twice, reordered);
    expect(same.denialChanged).toEqual([]);
    expect(same.unchanged).toBe(13);
  });

  it('an unknown link on another resource fails only under --fail-on unknown', () => {
    const after = change(S3_GET, (l) => ({ ...l, resource: `${l.resource}-2` }));
    const d = diffReports(before, after);
    expect(d.unknownElsewhere.map((c) => c.link)).toEqual([S3_GET]);
    expect(diffGate(d).exitCode).toBe(0);
    const strict = diffGate(d, { failOn: 'unknown' });
    expect(strict.exitCode).toBe(1);
    expect(diffGateSentence(strict)).toBe(
      'the run fails (exit 1): 1 required link unknown for another principal or on another ' +
        'resource (--fail-on unknown)',
    );
  });

  it('a link allowed on both sides is unchanged whatever its resource', () => {
    const after = change(ASSUME, (l) => ({ ...l, resource: `${l.resource}-2` }));
    const d = diffReports(before, after);
    expect(d.unchanged).toBe(13);
    expect(renderDiffText(d)).toBe('no change (13 links unchanged)\nthe run passes\n');
  });
});
