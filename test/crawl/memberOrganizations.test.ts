/**
 * A caller in no organization does not prove the other crawled accounts are in none: each is asked
 * describe-organization with its own credentials, and when one is (or may be) in an organization
 * whose SCPs and RCPs the caller cannot read, an empty `organization/` folder makes `analyze` read
 * them as unknown instead of "no SCP or RCP applies" (which let an SCP-denied link read Allowed).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderCrawlSummary, renderWarnings } from '../../src/cli/crawl.js';
import { KEEP_FILE } from '../../src/crawl/writeSnapshotFiles.js';
import type { Fault } from './fakeAws.js';
import { crawlToFolder, linkDecisions, scenarioCopy } from './helpers.js';

const ASSUME = 'orders-api | DeployProd/DeployStack:action.assume-action-role:sts:AssumeRole';
const CALLER = '111111111111';
const TARGET = '222222222222';

/** The caller's account (or the accounts `when` picks) answers "in no organization". */
const notInUse = (when: (account: string) => boolean): Fault => ({
  service: 'organizations',
  operation: 'DescribeOrganization',
  kind: 'error',
  code: 'AWSOrganizationsNotInUseException',
  when: (r) => when(r.account),
});

describe('the caller in no organization, another crawled account in one', () => {
  it('writes an empty organization/ folder: the SCP-denied link is Unknown, not Allowed', async () => {
    const fixture = scenarioCopy('scp-deny-assume-role');
    const { result, dir } = await crawlToFolder(fixture, [notInUse((a) => a === CALLER)]);

    expect(result.folders).toEqual(['organization']);
    expect(readdirSync(join(dir, 'organization'))).toEqual([KEEP_FILE]);
    expect(
      result.failures.map((f) => [f.account, f.operation, f.reason, f.errorCode, f.subject]),
    ).toEqual([
      [
        TARGET,
        'ListPolicies',
        'organization-not-readable',
        'OrganizationNotReadable',
        'the SCPs and RCPs of organization `o-exmpl7a2b9c`',
      ],
    ]);
    const link = (await linkDecisions(dir))[ASSUME];
    expect(link?.decision).toBe('Unknown');
    expect(link?.missing).toContain('organization/describe-organization.json');

    // the summary says why, and what to do
    const summary = renderCrawlSummary(result, 'out');
    expect(summary).toContain(
      "  - the SCPs and RCPs of organization `o-exmpl7a2b9c` in account `222222222222`: ListPolicies: not readable from the caller's account: run the crawl from the management account or a delegated administrator (OrganizationNotReadable)\n",
    );
    expect(summary).not.toContain('allowed by');
    expect(renderWarnings(result).join('\n')).toContain(
      "account `222222222222` is in organization `o-exmpl7a2b9c`, whose SCPs and RCPs are not readable from the caller's account `111111111111` (in no organization)",
    );
  });

  it('the other account cannot say whether it is in one (denied): unknown too', async () => {
    const fixture = scenarioCopy('scp-deny-assume-role');
    const { result, dir } = await crawlToFolder(fixture, [
      notInUse((a) => a === CALLER),
      {
        service: 'organizations',
        operation: 'DescribeOrganization',
        kind: 'access-denied',
        when: (r) => r.account === TARGET,
      },
    ]);
    expect(result.folders).toEqual(['organization']);
    expect(result.failures.map((f) => [f.account, f.operation, f.reason])).toEqual([
      [TARGET, 'DescribeOrganization', 'access-denied'],
    ]);
    expect((await linkDecisions(dir))[ASSUME]?.decision).toBe('Unknown');
  });

  it('every crawled account in no organization: no organization/ folder, as before', async () => {
    const fixture = scenarioCopy('scp-deny-assume-role');
    const { result, dir } = await crawlToFolder(fixture, [notInUse(() => true)]);
    expect(result.failures).toEqual([]);
    expect(result.folders).toEqual([]);
    expect(existsSync(join(dir, 'organization'))).toBe(false);
    expect((await linkDecisions(dir))[ASSUME]?.decision).toBe('Allowed');
  });

  it('an account that cannot be reached is not asked (nothing of it is read)', async () => {
    const fixture = scenarioCopy('scp-deny-assume-role');
    const { result } = await crawlToFolder(fixture, [notInUse((a) => a === CALLER)], {
      assumeRoleTemplate: 'arn:aws:iam::{account}:role/DoesNotExist',
    });
    expect(result.folders).toEqual([]);
    expect(result.failures.some((f) => f.operation === 'DescribeOrganization')).toBe(false);
  });
});
