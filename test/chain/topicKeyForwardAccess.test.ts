/**
 * SNS calls KMS for the publisher of an encrypted topic through a forward access session: the
 * KMS request carries aws:ViaAWSService = true, aws:CalledVia (First, Last) = sns.amazonaws.com
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_forward_access_sessions.html) and
 * kms:ViaService = sns.<region>.amazonaws.com (SNS is in the kms:ViaService table,
 * https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#viaService_table).
 * A key policy that denies direct use of the key (a common perimeter) must not deny the Manual
 * approval's publish. Each case edits the manual-approval-topic-key scenario, whose key policy is
 * given a statement naming the pipeline role.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import { inScenarioCopy } from './scenarioCopy.js';

const SCENARIO = 'fixtures/scenarios/manual-approval-topic-key';
const KEY_ID = '5d7f9b1c-3e4a-4c6e-8f0a-2b4c6d8e0f1a';
const KEY_FILE = `111111111111/us-east-1/kms/${KEY_ID}.json`;
const KEY = `arn:aws:kms:us-east-1:111111111111:key/${KEY_ID}`;
const PIPE_ROLE = 'arn:aws:iam::111111111111:role/service-role/orders-api-pipeline-role';

const PUBLISHER = {
  Sid: 'Publisher',
  Effect: 'Allow',
  Principal: { AWS: PIPE_ROLE },
  Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
  Resource: '*',
};

/** The Approve stage's KMS links as `permission decision resource`, with these key statements. */
function kmsLinks(statements: readonly object[]): string[] {
  return inScenarioCopy(SCENARIO, (dir) => {
    const file = join(dir, KEY_FILE);
    const doc = JSON.parse(readFileSync(file, 'utf8')) as { Policy: string };
    const policy = JSON.parse(doc.Policy) as { Statement: unknown[] };
    policy.Statement.push(...statements);
    doc.Policy = JSON.stringify(policy);
    writeFileSync(file, JSON.stringify(doc, null, 2));
    const p = analyzeModel(loadSnapshot(dir)).pipelines[0]!;
    return p.links
      .filter((l) => l.stage === 'Approve' && l.permission.startsWith('kms:'))
      .map((l) => `${l.permission} ${l.decision} ${l.resource}`);
  });
}

describe('the KMS calls SNS makes for a Manual approval publishing to an encrypted topic', () => {
  it('are not denied by a key policy that denies direct use (aws:ViaAWSService false)', () => {
    const denyDirect = {
      Sid: 'DenyDirectUse',
      Effect: 'Deny',
      Principal: '*',
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Resource: '*',
      Condition: { Bool: { 'aws:ViaAWSService': 'false' } },
    };
    expect(kmsLinks([PUBLISHER, denyDirect])).toEqual([
      `kms:GenerateDataKey Allowed ${KEY}`,
      `kms:Decrypt Allowed ${KEY}`,
    ]);
  });

  it('are allowed by a key policy that allows the role only when called via SNS', () => {
    const viaSns = {
      ...PUBLISHER,
      Sid: 'PublisherViaSns',
      Condition: {
        'ForAnyValue:StringEquals': { 'aws:CalledVia': ['sns.amazonaws.com'] },
        StringEquals: {
          'aws:CalledViaFirst': 'sns.amazonaws.com',
          'aws:CalledViaLast': 'sns.amazonaws.com',
          'kms:ViaService': 'sns.us-east-1.amazonaws.com',
        },
      },
    };
    expect(kmsLinks([viaSns])).toEqual([
      `kms:GenerateDataKey Allowed ${KEY}`,
      `kms:Decrypt Allowed ${KEY}`,
    ]);
  });

  it('carry the encryption context SNS sends: the topic ARN (aws:sns:topicArn)', () => {
    const forTopic = (topic: string) => ({
      ...PUBLISHER,
      Sid: 'PublisherForTopic',
      Condition: { StringEquals: { 'kms:EncryptionContext:aws:sns:topicArn': topic } },
    });
    expect(kmsLinks([forTopic('arn:aws:sns:us-east-1:111111111111:orders-api-approvals')])).toEqual(
      [`kms:GenerateDataKey Allowed ${KEY}`, `kms:Decrypt Allowed ${KEY}`],
    );
    expect(kmsLinks([forTopic('arn:aws:sns:us-east-1:111111111111:another-topic')])).toEqual([
      `kms:GenerateDataKey ImplicitlyDenied ${KEY}`,
      `kms:Decrypt ImplicitlyDenied ${KEY}`,
    ]);
  });

  it('are still denied by a key policy that only lets the key be used via S3', () => {
    const viaS3 = {
      ...PUBLISHER,
      Sid: 'PublisherViaS3',
      Condition: { 'ForAnyValue:StringEquals': { 'aws:CalledVia': ['s3.amazonaws.com'] } },
    };
    expect(kmsLinks([viaS3])).toEqual([
      `kms:GenerateDataKey ImplicitlyDenied ${KEY}`,
      `kms:Decrypt ImplicitlyDenied ${KEY}`,
    ]);
  });
});
