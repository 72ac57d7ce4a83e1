/**
 * The home region (STS, IAM, Organizations, the S3 bucket list) is the configured region, else
 * the partition's first one, never the first `--region`: an opt-in region the account has not
 * enabled must not stop the crawl. A region not enabled (or credentials not valid there) is
 * listed as not reachable, not as access denied. `--external-id` goes with every AssumeRole.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { renderCrawlSummary, renderWarnings } from '../../src/cli/crawl.js';
import { crawl, type CrawlOptions } from '../../src/crawl/crawl.js';
import { partitionHomeRegion } from '../../src/crawl/references.js';
import { classifyError } from '../../src/crawl/crawlContext.js';
import { FAKE_CALLER_KEY, startFakeAws, type FakeAws } from './fakeAws.js';
import { FIXTURE, parseFiles, readSnapshot, TEMPLATE } from './helpers.js';

const credentials = { accessKeyId: FAKE_CALLER_KEY, secretAccessKey: 'fake' };

let fake: FakeAws | undefined;
beforeEach(() => {
  // no region from the environment or a shared config file unless a test sets one
  vi.stubEnv('AWS_REGION', undefined);
  vi.stubEnv('AWS_PROFILE', undefined);
  vi.stubEnv('AWS_CONFIG_FILE', join(tmpdir(), 'permchain-no-such-config'));
  vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', join(tmpdir(), 'permchain-no-such-credentials'));
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await fake?.close();
  fake = undefined;
});

async function crawlFake(
  options: Partial<CrawlOptions>,
  fakeOptions: { disabledRegions?: string[]; fixture?: string } = {},
) {
  fake = await startFakeAws({ fixture: fakeOptions.fixture ?? FIXTURE, ...fakeOptions });
  return crawl({
    endpoint: fake.endpoint,
    credentials,
    assumeRoleTemplate: TEMPLATE,
    maxAttempts: 2,
    ...options,
  });
}

/** The regions the global calls (STS, IAM, Organizations, ListBuckets) were signed for. */
function globalRegions(): string[] {
  const global = (fake?.requests ?? []).filter(
    (r) =>
      r.service === 'sts' ||
      r.service === 'iam' ||
      r.service === 'organizations' ||
      r.operation === 'ListBuckets',
  );
  expect(global.length).toBeGreaterThan(0);
  return [...new Set(global.map((r) => r.region))].sort();
}

describe('the home region', () => {
  it('--region af-south-1 --region us-east-1 with af-south-1 not enabled: the crawl goes on in us-east-1', async () => {
    const result = await crawlFake(
      { regions: ['af-south-1', 'us-east-1'] },
      { disabledRegions: ['af-south-1'] },
    );
    expect(globalRegions()).toEqual(['us-east-1']);
    expect(result.regions).toEqual(['af-south-1', 'us-east-1']);
    // everything of us-east-1 is read
    expect(parseFiles(result.files)).toEqual(readSnapshot(FIXTURE));
    // af-south-1 is listed as not reachable, not as access denied
    expect(
      result.failures.map((f) => [f.account, f.region, f.operation, f.reason, f.errorCode]),
    ).toEqual([
      [
        '111111111111',
        'af-south-1',
        'ListPipelines',
        'region-unreachable',
        'UnrecognizedClientException',
      ],
    ]);
    const summary = renderCrawlSummary(result, 'out');
    expect(summary).toContain(
      '  - the pipelines of account `111111111111` in `af-south-1` in account `111111111111` (af-south-1): ListPipelines: not reachable: the region is not enabled in the account, or the credentials are not valid there (UnrecognizedClientException)\n',
    );
    expect(summary).not.toContain('allowed by');
    expect(renderWarnings(result)[0]).toContain(
      'UnrecognizedClientException: the region is not enabled in the account, or the credentials are not valid there: The security token included in the request is invalid. [crawl.region-unreachable]',
    );
  });

  it("is the environment's region when one is configured, for the caller's account", async () => {
    vi.stubEnv('AWS_REGION', 'eu-west-1');
    await crawlFake({ regions: ['us-east-1'] });
    expect(globalRegions()).toEqual(['eu-west-1', 'us-east-1']);
    // the other accounts' global calls go to the partition's first region, which every account
    // has enabled: the configured one may be an opt-in region only the caller enabled
    const regionsOf = (account: string): string[] => [
      ...new Set(
        (fake?.requests ?? [])
          .filter(
            (r) =>
              r.account === account &&
              (r.service === 'sts' ||
                r.service === 'iam' ||
                r.service === 'organizations' ||
                r.operation === 'ListBuckets'),
          )
          .map((r) => r.region),
      ),
    ];
    expect(regionsOf('111111111111')).toEqual(['eu-west-1']);
    expect(regionsOf('222222222222')).toEqual(['us-east-1']);
  });

  it("is not the environment's region when that is of another partition than --region", async () => {
    vi.stubEnv('AWS_REGION', 'us-east-1');
    await crawlFake({ regions: ['cn-northwest-1'] });
    expect(globalRegions()).toEqual(['cn-north-1']);
  });

  it("is the partition's first region otherwise: cn-north-1 for --region cn-northwest-1", async () => {
    const result = await crawlFake({ regions: ['cn-northwest-1'] });
    expect(result.callerAccount).toBe('111111111111');
    expect(globalRegions()).toEqual(['cn-north-1']);
  });

  it('partitionHomeRegion', () => {
    expect(partitionHomeRegion('af-south-1')).toBe('us-east-1');
    expect(partitionHomeRegion('us-east-1')).toBe('us-east-1');
    expect(partitionHomeRegion('cn-northwest-1')).toBe('cn-north-1');
    expect(partitionHomeRegion('us-gov-east-1')).toBe('us-gov-west-1');
    expect(partitionHomeRegion('eusc-de-east-1')).toBe('eusc-de-east-1');
    expect(partitionHomeRegion('us-isob-east-1')).toBe('us-isob-east-1');
    // a partition without a listed first region keeps the region given, never another partition's
    expect(partitionHomeRegion('eu-isoe-west-1')).toBe('eu-isoe-west-1');
  });
});

describe('classifyError: a region or credentials that do not work there', () => {
  for (const [code, status] of [
    ['InvalidClientTokenId', 403],
    ['RegionDisabledException', 403],
    ['UnrecognizedClientException', 400],
  ] as const) {
    it(`${code} is region-unreachable, not access-denied`, () => {
      const err = Object.assign(
        new Error('The security token included in the request is invalid'),
        {
          name: code,
          $metadata: { httpStatusCode: status },
        },
      );
      expect(classifyError(err)).toEqual({
        code,
        message:
          'the region is not enabled in the account, or the credentials are not valid there: The security token included in the request is invalid',
        reason: 'region-unreachable',
      });
    });
  }
});

describe('--external-id', () => {
  const SECRET_ID = 'ext-id-7f3a9c';

  /** The fixture with an audit role in 222222222222 whose trust policy requires the id. */
  function fixtureRequiringExternalId(): string {
    const dir = mkdtempSync(join(tmpdir(), 'permchain-external-id-'));
    cpSync(FIXTURE, dir, { recursive: true });
    const path = join(dir, '222222222222', 'iam.json');
    const iam = JSON.parse(readFileSync(path, 'utf8')) as {
      RoleDetailList: { Arn: string; AssumeRolePolicyDocument: { Statement: object[] } }[];
    };
    const role = iam.RoleDetailList.find((r) => r.Arn.endsWith(':role/PermchainAudit'));
    expect(role).toBeDefined();
    role!.AssumeRolePolicyDocument.Statement = role!.AssumeRolePolicyDocument.Statement.map(
      (s) => ({ ...s, Condition: { StringEquals: { 'sts:ExternalId': SECRET_ID } } }),
    );
    writeFileSync(path, JSON.stringify(iam, null, 2) + '\n');
    return dir;
  }

  it('is sent with every AssumeRole and written nowhere', async () => {
    const fixture = fixtureRequiringExternalId();
    const result = await crawlFake({ regions: ['us-east-1'], externalId: SECRET_ID }, { fixture });
    const assumes = (fake?.requests ?? []).filter((r) => r.operation === 'AssumeRole');
    expect(assumes.length).toBeGreaterThan(0);
    expect(assumes.every((r) => r.params['ExternalId'] === SECRET_ID)).toBe(true);
    expect(result.failures).toEqual([]);
    expect(Object.keys(parseFiles(result.files)).some((p) => p.startsWith('222222222222/'))).toBe(
      true,
    );
    // the role's own trust policy (in iam.json) holds the id: that is AWS's data, not the option
    const everything = [
      ...result.files.filter((f) => f.path !== '222222222222/iam.json').map((f) => f.content),
      renderCrawlSummary(result, 'out'),
      ...renderWarnings(result),
    ].join('\n');
    expect(everything).not.toContain(SECRET_ID);
  });

  it('without it, a role that requires one cannot be assumed', async () => {
    const fixture = fixtureRequiringExternalId();
    const result = await crawlFake({ regions: ['us-east-1'] }, { fixture });
    const assume = result.failures.find((f) => f.operation === 'AssumeRole');
    expect(assume?.reason).toBe('access-denied');
    expect(
      (fake?.requests ?? []).filter((r) => r.operation === 'AssumeRole')[0]?.params,
    ).not.toHaveProperty('ExternalId');
  });
});
