/**
 * What the crawl writes when part of the organization cannot be read, judged by what `analyze`
 * then decides: the loader reads an `organization/scp/` (`rcp/`) folder as the full set of the
 * type and a missing `organization/` folder as "no organization", so a policy left out, or an
 * organization that could not be described, must not turn into "nothing denies" (Allowed).
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KEEP_FILE } from '../../src/crawl/writeSnapshotFiles.js';
import { crawlToFolder, linkDecisions, scenarioCopy } from './helpers.js';

const ASSUME = 'orders-api | DeployProd/DeployStack:action.assume-action-role:sts:AssumeRole';
const DECRYPT = 'orders-api | DeployProd/DeployStack:artifacts.input.kms-decrypt:kms:Decrypt';

describe('an SCP or RCP that cannot be read', () => {
  it('leaves no organization/scp/ folder: the link the SCP denies is Unknown naming it, not Allowed', async () => {
    const fixture = scenarioCopy('scp-deny-assume-role');
    // positive control: crawled in full, the SCP denies the assumption
    const full = await crawlToFolder(fixture);
    expect((await linkDecisions(full.dir))[ASSUME]?.decision).toBe('ExplicitlyDenied');

    const { result, dir } = await crawlToFolder(fixture, [
      {
        service: 'organizations',
        operation: 'DescribePolicy',
        kind: 'throttle',
        when: (r) => r.params['PolicyId'] === 'p-exmtools02',
      },
    ]);
    expect(result.failures.map((f) => [f.operation, f.subject, f.reason])).toEqual([
      ['DescribePolicy', 'SCP `p-exmtools02`', 'throttled'],
    ]);
    expect(existsSync(join(dir, 'organization', 'scp'))).toBe(false);
    // the other type was read in full and is written
    expect(readdirSync(join(dir, 'organization', 'rcp'))).toEqual(['p-RCPFullAWSAccess.json']);
    const link = (await linkDecisions(dir))[ASSUME];
    expect(link?.decision).toBe('Unknown');
    expect(link?.missing).toContain('organization/scp/');
  });

  it('leaves no organization/rcp/ folder when the targets of one RCP cannot be listed', async () => {
    const fixture = scenarioCopy('rcp-data-perimeter');
    const full = await crawlToFolder(fixture);
    expect((await linkDecisions(full.dir))[DECRYPT]?.decision).toBe('ExplicitlyDenied');

    const { result, dir } = await crawlToFolder(fixture, [
      {
        service: 'organizations',
        operation: 'ListTargetsForPolicy',
        kind: 'access-denied',
        when: (r) => r.params['PolicyId'] === 'p-exmrcp0005',
      },
    ]);
    expect(result.failures.map((f) => [f.operation, f.permission])).toEqual([
      ['ListTargetsForPolicy', 'organizations:ListTargetsForPolicy'],
    ]);
    expect(existsSync(join(dir, 'organization', 'rcp'))).toBe(false);
    expect(existsSync(join(dir, 'organization', 'scp'))).toBe(true);
    const link = (await linkDecisions(dir))[DECRYPT];
    expect(link?.decision).toBe('Unknown');
    expect(link?.missing).toContain('organization/rcp/');
  });
});

describe('no policy of a type: an empty folder, which says "known: none"', () => {
  const rcpNotEnabled = {
    service: 'organizations',
    operation: 'ListPolicies',
    kind: 'error',
    code: 'PolicyTypeNotEnabledException',
    when: (r: { params: Readonly<Record<string, unknown>> }) =>
      r.params['Filter'] === 'RESOURCE_CONTROL_POLICY',
  } as const;

  it('RCPs not enabled (PolicyTypeNotEnabledException): an empty organization/rcp/, decided as without RCPs', async () => {
    const fixture = scenarioCopy('scp-deny-assume-role');
    const full = await crawlToFolder(fixture);
    const { result, dir } = await crawlToFolder(fixture, [rcpNotEnabled]);
    expect(result.failures).toEqual([]);
    expect(readdirSync(join(dir, 'organization', 'rcp'))).toEqual([KEEP_FILE]);
    const got = await linkDecisions(dir);
    for (const link of Object.values(got)) expect(link.missing).not.toContain('organization/rcp/');
    // the fixture's only RCP is RCPFullAWSAccess: without it nothing changes
    expect(got).toEqual(await linkDecisions(full.dir));
    expect(got[ASSUME]?.decision).toBe('ExplicitlyDenied');
  });

  it('no RCP listed: an empty organization/rcp/ too', async () => {
    const fixture = scenarioCopy('scp-deny-assume-role');
    const full = await crawlToFolder(fixture);
    rmSync(join(fixture, 'organization', 'rcp'), { recursive: true });
    const { result, dir } = await crawlToFolder(fixture);
    expect(result.failures).toEqual([]);
    expect(result.folders).toEqual(['organization/rcp', 'organization/scp']);
    expect(readdirSync(join(dir, 'organization', 'rcp'))).toEqual([KEEP_FILE]);
    expect(await linkDecisions(dir)).toEqual(await linkDecisions(full.dir));
  });

  it('no SCP listed: an empty organization/scp/, which is never read as "nothing denies"', async () => {
    const fixture = scenarioCopy('scp-deny-assume-role');
    const { result, dir } = await crawlToFolder(fixture, [
      { ...rcpNotEnabled, when: (r) => r.params['Filter'] === 'SERVICE_CONTROL_POLICY' },
    ]);
    expect(result.failures).toEqual([]);
    expect(readdirSync(join(dir, 'organization', 'scp'))).toEqual([KEEP_FILE]);
    // AWS attaches at least one SCP to every level while SCPs are enabled, so the loader reads
    // an empty folder as incomplete: Unknown, naming it (src/model/queries.ts: guardrailLevels)
    const link = (await linkDecisions(dir))[ASSUME];
    expect(link?.decision).toBe('Unknown');
    expect(link?.missing).toContain('organization/scp/');
  });
});

describe('describe-organization that cannot be read', () => {
  for (const kind of ['access-denied', 'throttle'] as const) {
    it(`${kind}: an empty organization/ folder, so SCP links are Unknown naming describe-organization.json`, async () => {
      const fixture = scenarioCopy('scp-deny-assume-role');
      const { result, dir } = await crawlToFolder(fixture, [
        { service: 'organizations', operation: 'DescribeOrganization', kind },
      ]);
      expect(result.failures.map((f) => [f.operation, f.permission])).toEqual([
        ['DescribeOrganization', 'organizations:DescribeOrganization'],
      ]);
      expect(result.folders).toEqual(['organization']);
      expect(readdirSync(join(dir, 'organization'))).toEqual([KEEP_FILE]);
      const link = (await linkDecisions(dir))[ASSUME];
      expect(link?.decision).toBe('Unknown');
      expect(link?.missing).toContain('organization/describe-organization.json');
    });
  }

  it('AWSOrganizationsNotInUseException: no organization/ folder, since no SCP applies', async () => {
    const fixture = scenarioCopy('scp-deny-assume-role');
    const { result, dir } = await crawlToFolder(fixture, [
      {
        service: 'organizations',
        operation: 'DescribeOrganization',
        kind: 'error',
        code: 'AWSOrganizationsNotInUseException',
      },
    ]);
    expect(result.failures).toEqual([]);
    expect(result.folders).toEqual([]);
    expect(existsSync(join(dir, 'organization'))).toBe(false);
    const link = (await linkDecisions(dir))[ASSUME];
    expect(link?.decision).toBe('Allowed');
  });
});
