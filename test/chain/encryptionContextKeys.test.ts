/**
 * `kms:EncryptionContextKeys`, "the keys in the encryption context of a request"
 * (https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-encryption-context-keys),
 * on the KMS calls S3 makes for an artifact: S3 sends `aws:s3:arn` alone
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#encryption-context).
 * The key was absent on every link: a key policy requiring it (ForAnyValue) denied where AWS
 * allows, and one limiting it to other keys (ForAllValues, true of an absent key) allowed where
 * AWS denies. And `kms:` keys are KMS's: on another service's call they are absent, not unknown.
 * Each case is an edit of a copy of the pass-cross-account scenario.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import type { ReportLink } from '../../src/report/types.js';
import { editInlineStatements, editJson, inScenarioCopy, type Json } from './scenarioCopy.js';

const SCENARIO = 'fixtures/scenarios/pass-cross-account';
const DEPLOY_ROLE = 'arn:aws:iam::222222222222:role/orders-api-deploy-action';

/** The prod account's statement of the artifact key's policy, allowed only with `condition`. */
function prodAccountOn(dir: string, condition: Json): void {
  const folder = join(dir, '111111111111/us-east-1/kms');
  const file = readdirSync(folder).find((f) => f !== 'aliases.json')!;
  editJson(join(folder, file), (key) => {
    const policy = JSON.parse(key['Policy'] as string) as { Statement: Json[] };
    for (const st of policy.Statement)
      if (st['Sid'] === 'AllowProdAccount') st['Condition'] = condition;
    key['Policy'] = JSON.stringify(policy);
  });
}

/** Add `statement` to the deploy action role's inline policy. */
function deployRoleStatement(dir: string, statement: Json): void {
  editInlineStatements(dir, '222222222222', 'orders-api-deploy-action', (st) => st.push(statement));
}

function scenario(edit: (dir: string) => void): readonly ReportLink[] {
  return inScenarioCopy(SCENARIO, (dir) => {
    edit(dir);
    return analyzeModel(loadSnapshot(dir)).pipelines[0]!.links;
  });
}

function deployLinks(all: readonly ReportLink[], permission: string): readonly ReportLink[] {
  const found = all.filter((l) => l.principal === DEPLOY_ROLE && l.permission === permission);
  expect(found.length).toBeGreaterThan(0);
  return found;
}

describe('kms:EncryptionContextKeys of a KMS call S3 makes', () => {
  it('holds aws:s3:arn: a key policy that requires it allows', () => {
    const links = scenario((dir) =>
      prodAccountOn(dir, {
        'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': 'aws:s3:arn' },
      }),
    );
    expect(deployLinks(links, 'kms:Decrypt').map((l) => l.decision)).toEqual(['Allowed']);
  });

  it('holds aws:s3:arn only: a key policy that allows only other keys does not allow', () => {
    const links = scenario((dir) =>
      prodAccountOn(dir, {
        'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['aws:sns:topicArn'] },
      }),
    );
    const decrypt = deployLinks(links, 'kms:Decrypt');
    expect(decrypt.map((l) => l.decision)).toEqual(['ImplicitlyDenied']);
    expect(decrypt[0]!.why).toContain('AllowProdAccount');
  });

  it('a Null test of it: present on these calls', () => {
    const links = scenario((dir) =>
      prodAccountOn(dir, { Null: { 'kms:EncryptionContextKeys': 'false' } }),
    );
    expect(deployLinks(links, 'kms:Decrypt').map((l) => l.decision)).toEqual(['Allowed']);
  });
});

describe('kms:EncryptionContext:<key> of a KMS call S3 makes for an artifact', () => {
  // S3's context is aws:s3:arn alone; a CodeBuild output or a CodeCommit source carries no pair
  // of the writer's own (only code of the writer's own may add some: writerChooses). Both were
  // Unknown, the key tried as "the encryption context of the call"
  it('another key is absent: a key policy that requires one does not allow', () => {
    const links = scenario((dir) =>
      prodAccountOn(dir, { StringEquals: { 'kms:EncryptionContext:department': 'build' } }),
    );
    const decrypt = deployLinks(links, 'kms:Decrypt');
    expect(decrypt.map((l) => l.decision)).toEqual(['ImplicitlyDenied']);
    expect(decrypt[0]!.why).toContain('AllowProdAccount');
  });

  it('another key is absent: a Null test of its absence allows', () => {
    const links = scenario((dir) =>
      prodAccountOn(dir, { Null: { 'kms:EncryptionContext:department': 'true' } }),
    );
    expect(deployLinks(links, 'kms:Decrypt').map((l) => l.decision)).toEqual(['Allowed']);
  });
});

describe('kms: keys on the call of another service', () => {
  it('are absent, not unknown: a Deny on their absence denies the S3 call', () => {
    const links = scenario((dir) =>
      deployRoleStatement(dir, {
        Sid: 'OnlyWithContext',
        Effect: 'Deny',
        Action: '*',
        Resource: '*',
        Condition: { Null: { 'kms:EncryptionContext:aws:s3:arn': 'true' } },
      }),
    );
    // S3 does not send KMS's keys on its own call: the Deny applies
    const get = deployLinks(links, 's3:GetObject');
    expect(get.map((l) => l.decision)).toEqual(get.map(() => 'ExplicitlyDenied'));
    expect(get[0]!.why).toContain('OnlyWithContext');
    // and on the KMS call S3 makes, where aws:s3:arn is sent, it does not
    expect(deployLinks(links, 'kms:Decrypt').map((l) => l.decision)).toEqual(['Allowed']);
  });
});
