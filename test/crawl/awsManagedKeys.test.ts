/**
 * A predefined AWS alias (`alias/aws/s3`, the key of a CodeBuild project without `encryptionKey`
 * and of an SSE-KMS bucket that names no key) may have no key yet, and describe-key on it would
 * create the AWS managed key
 * (https://docs.aws.amazon.com/kms/latest/APIReference/API_DescribeKey.html). The crawl reads the
 * alias from list-aliases first and describes only the key it targets.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { crawl } from '../../src/crawl/crawl.js';
import { writeSnapshotFiles } from '../../src/crawl/writeSnapshotFiles.js';
import { FAKE_CALLER_KEY, startFakeAws, type Fault } from './fakeAws.js';
import { FIXTURE, linkDecisions, parseFiles, TEMPLATE } from './helpers.js';

const REGION = '111111111111/us-east-1';
const ALIASES = `${REGION}/kms/aliases.json`;
const S3_KEY_ID = '0fedcba9-8765-4321-abcd-ef0123456789';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- editing parsed JSON
type Json = any;

/**
 * The fixture where the build project has no `encryptionKey` and the source bucket is SSE-KMS
 * without a key id: both use `alias/aws/s3`. `s3Key`: whether that alias has a key (and a key file).
 */
function fixture(s3Key: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), 'permchain-aws-alias-'));
  cpSync(FIXTURE, dir, { recursive: true });
  const edit = (path: string, change: (json: Json) => void): void => {
    const json = JSON.parse(readFileSync(join(dir, path), 'utf8')) as Json;
    change(json);
    writeFileSync(join(dir, path), JSON.stringify(json, null, 2) + '\n');
  };
  edit(`${REGION}/codebuild.json`, (c) => delete c.projects[0].encryptionKey);
  edit('111111111111/s3/tooling-source-111111111111.json', (b) => {
    b.ServerSideEncryptionConfiguration.Rules[0].ApplyServerSideEncryptionByDefault = {
      SSEAlgorithm: 'aws:kms',
    };
  });
  edit(ALIASES, (a) => {
    const alias = a.Aliases.find((x: Json) => x.AliasName === 'alias/aws/s3');
    if (!s3Key) {
      // a predefined alias AWS has not associated with a key yet: no dates, no TargetKeyId
      delete alias.TargetKeyId;
      delete alias.CreationDate;
      delete alias.LastUpdatedDate;
    }
  });
  if (s3Key) {
    const arn = `arn:aws:kms:us-east-1:111111111111:key/${S3_KEY_ID}`;
    writeFileSync(
      join(dir, `${REGION}/kms/${S3_KEY_ID}.json`),
      JSON.stringify({
        KeyMetadata: {
          AWSAccountId: '111111111111',
          Arn: arn,
          KeyId: S3_KEY_ID,
          KeyManager: 'AWS',
          KeyState: 'Enabled',
          Enabled: true,
        },
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: '*' },
              Action: ['kms:Decrypt', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
              Resource: '*',
              Condition: {
                StringEquals: {
                  'kms:CallerAccount': '111111111111',
                  'kms:ViaService': 's3.us-east-1.amazonaws.com',
                },
              },
            },
          ],
        }),
        Grants: [],
      }),
    );
  }
  return dir;
}

async function crawlFixture(dir: string, faults: Fault[] = []) {
  const fake = await startFakeAws({ fixture: dir, faults });
  try {
    const result = await crawl({
      endpoint: fake.endpoint,
      credentials: { accessKeyId: FAKE_CALLER_KEY, secretAccessKey: 'fake' },
      regions: ['us-east-1'],
      assumeRoleTemplate: TEMPLATE,
      maxAttempts: 2,
    });
    const out = mkdtempSync(join(tmpdir(), 'permchain-crawled-'));
    await writeSnapshotFiles(out, result);
    const describeKeyIds = fake.requests
      .filter((r) => r.service === 'kms' && r.operation === 'DescribeKey')
      .map((r) => `${r.account}:${String(r.params['KeyId'])}`)
      .sort();
    return { result, out, describeKeyIds, created: [...fake.created] };
  } finally {
    await fake.close();
  }
}

const ARTIFACT_KEY = '1234abcd-12ab-34cd-56ef-1234567890ab';

describe('a predefined AWS alias is resolved through list-aliases, never described', () => {
  it("with no key yet: no describe-key on it, nothing created, the alias written without a key, its links decided as the created key's", async () => {
    const { result, out, describeKeyIds, created } = await crawlFixture(fixture(false));
    expect(created).toEqual([]);
    expect(describeKeyIds.filter((k) => k.includes('alias/aws/'))).toEqual([]);
    expect(result.failures).toEqual([]);
    const files = parseFiles(result.files) as Record<string, Json>;
    expect(files[ALIASES].Aliases.find((a: Json) => a.AliasName === 'alias/aws/s3')).toEqual({
      AliasArn: 'arn:aws:kms:us-east-1:111111111111:alias/aws/s3',
      AliasName: 'alias/aws/s3',
    });
    expect(
      Object.keys(files).filter((p) => p.includes('/kms/') && !p.endsWith('aliases.json')),
    ).toEqual([
      `${REGION}/kms/${ARTIFACT_KEY}.json`,
      '222222222222/us-east-1/kms/abcd1234-a123-456a-a12b-a123b4cd56ef.json',
    ]);
    // analyze reads the key as an AWS managed key not created yet (AWS creates it on first use)
    // and decides its links by the documented policy of such a key, as it does the created key's
    const decisions = onAwsS3Key(await linkDecisions(out));
    expect(decisions).toEqual(EXPECTED);
    expect(onAwsS3Key(await linkDecisions(await crawledWithKey()))).toEqual(EXPECTED);
  });

  it('with a key: describe-key on the key the alias targets, whose file is written', async () => {
    const { result, describeKeyIds, created } = await crawlFixture(fixture(true));
    expect(created).toEqual([]);
    expect(describeKeyIds).toContain(`111111111111:${S3_KEY_ID}`);
    expect(describeKeyIds.filter((k) => k.includes('alias/aws/'))).toEqual([]);
    expect(result.failures).toEqual([]);
    const files = parseFiles(result.files) as Record<string, Json>;
    expect(files[`${REGION}/kms/${S3_KEY_ID}.json`].KeyMetadata.KeyManager).toBe('AWS');
  });

  it('when the aliases cannot be listed: no describe-key on it, the failure listed', async () => {
    const { result, out, describeKeyIds, created } = await crawlFixture(fixture(false), [
      {
        service: 'kms',
        operation: 'ListAliases',
        kind: 'access-denied',
        when: (r) => r.account === '111111111111',
      },
    ]);
    expect(created).toEqual([]);
    expect(describeKeyIds.filter((k) => k.includes('alias/aws/'))).toEqual([]);
    expect(result.failures.map((f) => [f.operation, f.account, f.reason])).toEqual([
      ['ListAliases', '111111111111', 'access-denied'],
    ]);
    expect(existsSync(join(out, ALIASES))).toBe(false);
    // without aliases.json the key is still the AWS managed aws/s3 key, whose policy is documented
    expect(onAwsS3Key(await linkDecisions(out))).toEqual(EXPECTED);
  });
});

/**
 * The links on the `aws/s3` key, its ARN in the id written `aws/s3` (the alias ARN when the key is
 * not known, the key ARN when it is): the build's output, the SSE-KMS source bucket and the Lambda
 * smoke test reading the build's output in the pipeline account, and the deploy actions of the
 * other account that read the build's output.
 */
function onAwsS3Key(
  decisions: Record<string, { decision: string; missing: readonly string[] }>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [id, d] of Object.entries(decisions)) {
    const name = id.replace(':alias/aws/s3', ':aws/s3').replace(`:key/${S3_KEY_ID}`, ':aws/s3');
    if (name in EXPECTED || name.endsWith(':aws/s3'))
      out[name] = [d.decision, ...d.missing].join(' ');
  }
  return out;
}

async function crawledWithKey(): Promise<string> {
  return (await crawlFixture(fixture(true))).out;
}

const KEY = 'arn:aws:kms:us-east-1:111111111111:aws/s3';
/**
 * The pipeline account may use its AWS managed key through S3; another account never can: its
 * policy cannot be changed to let it
 * (https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#aws-managed-cmk).
 */
const EXPECTED: Record<string, string> = {
  'webapp | Source/Source:s3-source.kms-decrypt:kms:Decrypt': 'Allowed',
  'webapp | Build/Build:codebuild-project.output-kms-generate-data-key:kms:GenerateDataKey':
    'Allowed',
  // the Lambda function reads the build's output with the pipeline role's session
  [`webapp | Test/SmokeTest:artifacts.input.kms-decrypt:kms:Decrypt:${KEY}`]: 'Allowed',
  [`webapp | DeployProd/CreateStack:artifacts.input.kms-decrypt:kms:Decrypt:${KEY}`]:
    'ImplicitlyDenied',
  [`webapp | DeployProd/PublishSite:artifacts.input.kms-decrypt:kms:Decrypt:${KEY}`]:
    'ImplicitlyDenied',
  [`webapp | DeployProd/DeployServers:codedeploy.artifact-kms-decrypt:kms:Decrypt:${KEY}`]:
    'ImplicitlyDenied',
  [`webapp | DeployProd/DeployServers:codedeploy.instance-kms-decrypt:kms:Decrypt:${KEY}`]:
    'ImplicitlyDenied',
};
