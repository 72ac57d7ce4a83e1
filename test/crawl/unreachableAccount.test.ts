/**
 * An account the crawl cannot get credentials for (AssumeRole denied, or no --assume-role): the
 * summary says once that the account could not be reached, naming the role tried and what
 * decides it (the caller's `sts:AssumeRole` on the role, the role's trust policy, --external-id),
 * and lists what was therefore not read without claiming each call's own permission would fix
 * it. Its files are not written, so they stay unknown.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { renderCrawlSummary, renderWarnings } from '../../src/cli/crawl.js';
import { crawl, type CrawlOptions } from '../../src/crawl/crawl.js';
import { FAKE_CALLER_KEY, startFakeAws, type FakeAws, type Fault } from './fakeAws.js';
import { FIXTURE, parseFiles, readSnapshot, TEMPLATE } from './helpers.js';

let fake: FakeAws | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function crawlFake(faults: Fault[], options: Partial<CrawlOptions> = {}) {
  fake = await startFakeAws({ fixture: FIXTURE, faults });
  return crawl({
    endpoint: fake.endpoint,
    credentials: { accessKeyId: FAKE_CALLER_KEY, secretAccessKey: 'fake' },
    regions: ['us-east-1'],
    assumeRoleTemplate: TEMPLATE,
    maxAttempts: 1,
    ...options,
  });
}

const PROD = '222222222222';
const ROLE = `arn:aws:iam::${PROD}:role/PermchainAudit`;

function withoutProd(): Record<string, unknown> {
  const want = readSnapshot(FIXTURE);
  for (const path of Object.keys(want)) if (path.startsWith(`${PROD}/`)) delete want[path];
  return want;
}

describe('an account AssumeRole into which is denied', () => {
  it('is said once to be unreachable, with what decides it; the reads in it are consequences', async () => {
    const result = await crawlFake([
      {
        service: 'sts',
        operation: 'AssumeRole',
        kind: 'access-denied',
        when: (r) => r.params['RoleArn'] === ROLE,
      },
    ]);
    // the snapshot is as before: nothing of the account is written, so it is unknown
    expect(parseFiles(result.files)).toEqual(withoutProd());

    const assume = result.failures.filter((f) => f.reaches !== undefined);
    expect(assume).toHaveLength(1);
    expect(assume[0]).toMatchObject({
      operation: 'AssumeRole',
      permission: 'sts:AssumeRole',
      account: '111111111111',
      reason: 'access-denied',
      reaches: { account: PROD, roleArn: ROLE },
    });

    const summary = renderCrawlSummary(result, 'out');
    const lines = summary.split('\n');
    const about = lines.filter((l) => l.includes(`account \`${PROD}\` could not be reached`));
    expect(about).toEqual([
      `  - account \`${PROD}\` could not be reached: AssumeRole of \`${ROLE}\` by the caller: ` +
        'access denied (AccessDenied); it is decided by `sts:AssumeRole` allowed to the caller on ' +
        "that role and by the role's trust policy (and `--external-id`, if the trust policy " +
        'requires an external id); so these were not read:',
    ]);
    // each read not made is listed under it, with no permission of its own as the fix
    const notRead = lines.filter((l) => l.startsWith('      - '));
    expect(notRead).toContain(`      - bucket \`prod-site-${PROD}\` (us-east-1): GetBucketPolicy`);
    expect(notRead).toContain(
      `      - authorization details of account \`${PROD}\` (us-east-1): GetAccountAuthorizationDetails`,
    );
    expect(notRead.length).toBe(
      result.failures.filter((f) => f.reason === 'account-unreachable').length,
    );
    expect(summary).not.toContain('allowed by');
    expect(summary).not.toMatch(/`(s3|iam|codedeploy):[A-Za-z]+`/);
    // the warnings still name every call, as not made
    expect(
      renderWarnings(result).filter((w) => w.includes('[crawl.account-unreachable]')),
    ).toHaveLength(notRead.length);
  });

  it('without --assume-role the account is said once to be unreachable for want of it', async () => {
    const result = await crawlFake([], { assumeRoleTemplate: undefined });
    expect(parseFiles(result.files)).toEqual(withoutProd());
    const summary = renderCrawlSummary(result, 'out');
    expect(summary).toContain(
      `  - account \`${PROD}\` could not be reached: no --assume-role template was given ` +
        '(NoAssumeRoleTemplate); pass `--assume-role` naming a role in it the caller may assume; ' +
        'so these were not read:\n',
    );
    expect(summary).not.toContain('allowed by');
  });
});
