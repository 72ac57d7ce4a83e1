/**
 * The crawler under real conditions, against the real SDK over the wire: throttling that is
 * retried, AccessDenied and deleted resources recorded as unknown while the crawl goes on,
 * pagination on every paginated API, unreachable accounts, the organization mode.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { crawl, CrawlError, type CrawlOptions } from '../../src/crawl/crawl.js';
import {
  FAKE_CALLER_KEY,
  PRESIGNED_SECRET,
  startFakeAws,
  type Fault,
  type FakeAws,
} from './fakeAws.js';
import { FIXTURE, fixtureWithout, parseFiles, readSnapshot, TEMPLATE } from './helpers.js';

let fake: FakeAws | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const credentials = { accessKeyId: FAKE_CALLER_KEY, secretAccessKey: 'fake' };

async function crawlFake(faults: Fault[] = [], options: Partial<CrawlOptions> = {}, pageSize = 1) {
  fake = await startFakeAws({ fixture: FIXTURE, faults, pageSize });
  return crawl({
    endpoint: fake.endpoint,
    credentials,
    regions: ['us-east-1'],
    assumeRoleTemplate: TEMPLATE,
    ...options,
  });
}

function count(service: string, operation: string): number {
  return (fake?.requests ?? []).filter((r) => r.service === service && r.operation === operation)
    .length;
}

describe('throttling', () => {
  it('retries ThrottlingException, Throttling, 429 and SlowDown and still reads everything', async () => {
    const result = await crawlFake([
      { service: 'iam', operation: 'GetAccountAuthorizationDetails', kind: 'throttle', times: 1 },
      { service: 'kms', operation: 'GetKeyPolicy', kind: 'throttle', times: 1 },
      { service: 'lambda', operation: 'GetFunctionConfiguration', kind: 'throttle', times: 1 },
      { service: 's3', operation: 'GetBucketPolicy', kind: 'throttle', times: 1 },
      { service: 'sns', operation: 'GetTopicAttributes', kind: 'throttle', times: 1 },
    ]);
    expect(result.failures).toEqual([]);
    expect(parseFiles(result.files)).toEqual(readSnapshot(FIXTURE));
    // each throttled call was sent again: one more request than calls
    // iam.json of 111111111111 has 4 roles (4 pages of 1), of 222222222222 4 roles too
    expect(count('iam', 'GetAccountAuthorizationDetails')).toBe(4 + 4 + 1);
    expect(count('kms', 'GetKeyPolicy')).toBe(2 + 1);
    expect(count('lambda', 'GetFunctionConfiguration')).toBe(1 + 1);
    expect(count('s3', 'GetBucketPolicy')).toBe(3 + 1);
    expect(count('sns', 'GetTopicAttributes')).toBe(1 + 1);
  });
});

describe('failures are recorded as unknown and the crawl goes on', () => {
  it('AccessDenied on one bucket policy, a deleted function, denied grants', async () => {
    const result = await crawlFake([
      {
        service: 's3',
        operation: 'GetBucketPolicy',
        kind: 'access-denied',
        when: (r) => r.params['Bucket'] === 'prod-site-222222222222',
      },
      { service: 'lambda', operation: 'GetFunctionConfiguration', kind: 'not-found' },
      {
        service: 'kms',
        operation: 'ListGrants',
        kind: 'access-denied',
        when: (r) => r.account === '111111111111',
      },
    ]);
    const want = fixtureWithout(
      '222222222222/s3/prod-site-222222222222.json',
      '111111111111/us-east-1/lambda/webapp-smoke-test.json',
    );
    // grants that could not be listed are unknown (a list-grants output cut short), not none
    const keyFile = '111111111111/us-east-1/kms/1234abcd-12ab-34cd-56ef-1234567890ab.json';
    want[keyFile] = { ...(want[keyFile] as Record<string, unknown>), Grants: [], Truncated: true };
    // the bucket's encryption was still read, so its key in 222222222222 was still followed
    expect(parseFiles(result.files)).toEqual(want);
    expect(
      result.failures.map((f) => [f.operation, f.permission, f.account, f.reason, f.subject]),
    ).toEqual([
      [
        'GetFunctionConfiguration',
        'lambda:GetFunctionConfiguration',
        '111111111111',
        'not-found',
        'Lambda function `webapp-smoke-test`',
      ],
      [
        'ListGrants',
        'kms:ListGrants',
        '111111111111',
        'access-denied',
        'the grants of `1234abcd-12ab-34cd-56ef-1234567890ab`',
      ],
      [
        'GetBucketPolicy',
        's3:GetBucketPolicy',
        '222222222222',
        'access-denied',
        'bucket `prod-site-222222222222`',
      ],
    ]);
    expect(result.failures[2]?.errorCode).toBe('AccessDenied');
  });

  it('NoSuchBucketPolicy and a missing Lambda policy are known absences, not failures', async () => {
    const result = await crawlFake();
    expect(result.failures).toEqual([]);
    const files = parseFiles(result.files);
    expect(files['111111111111/s3/tooling-source-111111111111.json']).not.toHaveProperty('Policy');
    expect(files['111111111111/us-east-1/lambda/webapp-smoke-test.json']).not.toHaveProperty(
      'Policy',
    );
    expect(count('s3', 'GetBucketPolicy')).toBe(3);
  });

  it('an account the caller cannot reach is unknown, the rest is read', async () => {
    const result = await crawlFake([], {
      assumeRoleTemplate: 'arn:aws:iam::{account}:role/DoesNotExist',
    });
    const want = readSnapshot(FIXTURE);
    for (const path of Object.keys(want)) if (path.startsWith('222222222222/')) delete want[path];
    expect(parseFiles(result.files)).toEqual(want);
    const assume = result.failures.find((f) => f.operation === 'AssumeRole');
    expect(assume).toMatchObject({
      permission: 'sts:AssumeRole',
      reason: 'access-denied',
      subject:
        'role `arn:aws:iam::222222222222:role/DoesNotExist` (to read account `222222222222`)',
    });
    // everything in that account is listed as unread, with the call that would have read it
    const unreachable = result.failures.filter((f) => f.reason === 'account-unreachable');
    expect(unreachable.map((f) => f.operation).sort()).toEqual([
      'GetAccountAuthorizationDetails',
      'GetBucketEncryption',
      'GetBucketLocation',
      'GetBucketOwnershipControls',
      'GetBucketPolicy',
      'GetDeploymentGroup',
      'GetPublicAccessBlock',
      'ListBuckets',
    ]);
    expect(unreachable.every((f) => f.account === '222222222222')).toBe(true);
  });

  it('without --assume-role other accounts are reported as not reachable', async () => {
    const result = await crawlFake([], { assumeRoleTemplate: undefined });
    expect(Object.keys(parseFiles(result.files)).some((p) => p.startsWith('222222222222/'))).toBe(
      false,
    );
    expect(result.failures.some((f) => f.errorCode === 'NoAssumeRoleTemplate')).toBe(true);
    expect(count('sts', 'AssumeRole')).toBe(0);
  });

  it('credentials that do not work stop the crawl before anything is read', async () => {
    fake = await startFakeAws({ fixture: FIXTURE });
    await expect(
      crawl({
        endpoint: fake.endpoint,
        credentials: { accessKeyId: 'AKIAUNKNOWN', secretAccessKey: 'x' },
        regions: ['us-east-1'],
        maxAttempts: 1,
      }),
    ).rejects.toThrow(
      new CrawlError(
        'could not resolve AWS credentials: InvalidClientTokenId: the region is not enabled in the account, or the credentials are not valid there: The security token included in the request is invalid',
      ),
    );
  });
});

describe('pagination', () => {
  it('follows Marker, NextToken, NextMarker and ContinuationToken across pages', async () => {
    await crawlFake([], {}, 1);
    const tokens = (service: string, operation: string, param: string): unknown[] =>
      (fake?.requests ?? [])
        .filter(
          (r) =>
            r.service === service && r.operation === operation && r.params[param] !== undefined,
        )
        .map((r) => r.params[param]);
    expect(tokens('iam', 'GetAccountAuthorizationDetails', 'Marker').length).toBe(3 + 3);
    expect(tokens('organizations', 'ListAccounts', 'NextToken')).toEqual(['page-1', 'page-2']);
    expect(
      tokens('organizations', 'ListTargetsForPolicy', 'NextToken').length,
    ).toBeGreaterThanOrEqual(5);
    expect(tokens('organizations', 'ListChildren', 'NextToken').length).toBeGreaterThan(0);
    expect(tokens('kms', 'ListAliases', 'Marker')).toEqual(['page-1', 'page-2']);
    expect(tokens('s3', 'ListBuckets', 'continuation-token')).toEqual(['page-1']);
  });

  it('a page flagged truncated without a marker is a failure: the list is not written as complete', async () => {
    // the artifact key with two grants, so its grants take two pages
    const dir = mkdtempSync(join(tmpdir(), 'permchain-markerless-'));
    cpSync(FIXTURE, dir, { recursive: true });
    const keyFile = '111111111111/us-east-1/kms/1234abcd-12ab-34cd-56ef-1234567890ab.json';
    const key = JSON.parse(readFileSync(join(dir, keyFile), 'utf8')) as { Grants: object[] };
    key.Grants.push({ ...key.Grants[0], GrantId: 'f'.repeat(64), Name: 'second' });
    writeFileSync(join(dir, keyFile), JSON.stringify(key, null, 2) + '\n');
    fake = await startFakeAws({
      fixture: dir,
      pageSize: 1,
      markerless: ['iam.GetAccountAuthorizationDetails', 'kms.ListGrants', 'kms.ListAliases'],
    });
    const result = await crawl({
      endpoint: fake.endpoint,
      credentials,
      regions: ['us-east-1'],
      assumeRoleTemplate: TEMPLATE,
    });
    expect(
      result.failures.map((f) => [f.operation, f.account, f.reason, f.errorCode, f.subject]),
    ).toEqual([
      [
        'GetAccountAuthorizationDetails',
        '111111111111',
        'error',
        'PaginationNoMarker',
        'authorization details of account `111111111111`',
      ],
      [
        'ListAliases',
        '111111111111',
        'error',
        'PaginationNoMarker',
        'the KMS aliases of account `111111111111` in `us-east-1`',
      ],
      [
        'ListGrants',
        '111111111111',
        'error',
        'PaginationNoMarker',
        'the grants of `1234abcd-12ab-34cd-56ef-1234567890ab`',
      ],
      [
        'GetAccountAuthorizationDetails',
        '222222222222',
        'error',
        'PaginationNoMarker',
        'authorization details of account `222222222222`',
      ],
    ]);
    // no iam.json and no aliases.json of 111111111111 (222222222222 has one alias: one page);
    // the grants are unknown, not the first page's one
    const want = readSnapshot(dir);
    for (const path of [
      '111111111111/iam.json',
      '222222222222/iam.json',
      '111111111111/us-east-1/kms/aliases.json',
    ])
      delete want[path];
    want[keyFile] = { ...(want[keyFile] as object), Grants: [], Truncated: true };
    expect(parseFiles(result.files)).toEqual(want);
  });

  it('gives the same snapshot with large pages', async () => {
    const result = await crawlFake([], {}, 100);
    expect(parseFiles(result.files)).toEqual(readSnapshot(FIXTURE));
    expect(count('iam', 'GetAccountAuthorizationDetails')).toBe(2);
  });
});

describe('scope', () => {
  it('--organization looks for pipelines in every active account; an unreachable one is listed', async () => {
    const result = await crawlFake([], { organization: true });
    expect(parseFiles(result.files)).toEqual(readSnapshot(FIXTURE));
    expect(result.accounts).toEqual(['111111111111', '222222222222', '999999999999']);
    expect(count('codepipeline', 'ListPipelines')).toBe(2);
    const assume = result.failures.filter((f) => f.operation === 'AssumeRole');
    expect(assume.map((f) => f.subject)).toEqual([
      'role `arn:aws:iam::999999999999:role/PermchainAudit` (to read account `999999999999`)',
    ]);
    expect(
      result.failures.every((f) => f.account === '999999999999' || f.operation === 'AssumeRole'),
    ).toBe(true);
  });

  it('--pipeline reads only the named pipelines and reports the ones it cannot find', async () => {
    const result = await crawlFake([], { pipelines: ['no-such-pipeline'] });
    expect(result.pipelines).toEqual([]);
    expect(result.missingPipelines).toEqual(['no-such-pipeline']);
    expect(
      Object.keys(parseFiles(result.files)).filter((p) => !p.startsWith('organization/')),
    ).toEqual(['111111111111/iam.json']);
    expect(count('codepipeline', 'GetPipeline')).toBe(0);
  });

  it('--accounts looks for pipelines in the listed accounts', async () => {
    const result = await crawlFake([], { accounts: ['222222222222', '111111111111'] });
    expect(parseFiles(result.files)).toEqual(readSnapshot(FIXTURE));
    expect(
      (fake?.requests ?? [])
        .filter((r) => r.operation === 'ListPipelines')
        .map((r) => r.account)
        .sort(),
    ).toEqual(['111111111111', '222222222222']);
  });

  it('never asks get-function, whose Code.Location is a presigned URL to the code', async () => {
    const result = await crawlFake();
    expect(result.files.some((f) => f.content.includes(PRESIGNED_SECRET))).toBe(false);
    expect(count('lambda', 'GetFunction')).toBe(0);
    expect(count('lambda', 'GetFunctionConfiguration')).toBe(1);
  });
});
