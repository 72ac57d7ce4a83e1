/**
 * A Manual approval publishes to its SNS topic with the pipeline (or action) role; when the topic
 * is encrypted, "the publisher must have the kms:GenerateDataKey* and kms:Decrypt permissions for
 * the AWS KMS key" (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html). Each case
 * is an edit of the manual-approval-topic-key scenario: the topic is encrypted with a key whose
 * policy only delegates to IAM, and the pipeline role has sns:Publish but no KMS permission.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import { inScenarioCopy, type Json } from './scenarioCopy.js';

const SCENARIO = 'fixtures/scenarios/manual-approval-topic-key';
const TOPIC_FILE = '111111111111/us-east-1/sns/orders-api-approvals.json';
const KEY_ID = '5d7f9b1c-3e4a-4c6e-8f0a-2b4c6d8e0f1a';
const KEY = `arn:aws:kms:us-east-1:111111111111:key/${KEY_ID}`;
const PIPE_ROLE = 'arn:aws:iam::111111111111:role/service-role/orders-api-pipeline-role';

/** The Approve stage's links as `permission decision resource`, after `edit`. */
function approveLinks(edit: (dir: string) => void): { text: string[]; missing: string[] } {
  return inScenarioCopy(SCENARIO, (dir) => {
    edit(dir);
    const p = analyzeModel(loadSnapshot(dir)).pipelines[0]!;
    const links = p.links.filter((l) => l.stage === 'Approve');
    return {
      text: links.map((l) => `${l.permission} ${l.decision} ${l.resource}`),
      missing: links.flatMap((l) => l.missing ?? []),
    };
  });
}

function editTopic(dir: string, edit: (attributes: Json) => void): void {
  const file = join(dir, TOPIC_FILE);
  const doc = JSON.parse(readFileSync(file, 'utf8')) as { Attributes: Json };
  edit(doc.Attributes);
  writeFileSync(file, JSON.stringify(doc, null, 2));
}

describe('a Manual approval notifying an encrypted SNS topic', () => {
  it('needs kms:GenerateDataKey and kms:Decrypt on the topic key for the publishing role', () => {
    expect(approveLinks(() => {}).text).toEqual([
      `kms:GenerateDataKey ImplicitlyDenied ${KEY}`,
      `kms:Decrypt ImplicitlyDenied ${KEY}`,
      'sns:Publish Allowed arn:aws:sns:us-east-1:111111111111:orders-api-approvals',
    ]);
  });

  it('is allowed once the key policy names the role', () => {
    const keyFile = `111111111111/us-east-1/kms/${KEY_ID}.json`;
    const { text } = approveLinks((dir) => {
      const file = join(dir, keyFile);
      const doc = JSON.parse(readFileSync(file, 'utf8')) as { Policy: string };
      const policy = JSON.parse(doc.Policy) as { Statement: unknown[] };
      policy.Statement.push({
        Sid: 'Publisher',
        Effect: 'Allow',
        Principal: { AWS: PIPE_ROLE },
        Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        Resource: '*',
      });
      doc.Policy = JSON.stringify(policy);
      writeFileSync(file, JSON.stringify(doc, null, 2));
    });
    expect(text.filter((t) => t.startsWith('kms:'))).toEqual([
      `kms:GenerateDataKey Allowed ${KEY}`,
      `kms:Decrypt Allowed ${KEY}`,
    ]);
  });

  it('resolves a key alias in the topic account, and needs nothing more for an unencrypted topic', () => {
    const aliased = approveLinks((dir) =>
      editTopic(dir, (a) => {
        a['KmsMasterKeyId'] = 'alias/approvals';
        writeFileSync(
          join(dir, '111111111111/us-east-1/kms/aliases.json'),
          JSON.stringify({
            Aliases: [
              {
                AliasName: 'alias/approvals',
                AliasArn: 'arn:aws:kms:us-east-1:111111111111:alias/approvals',
                TargetKeyId: KEY_ID,
              },
            ],
          }),
        );
      }),
    );
    expect(aliased.text).toContain(`kms:GenerateDataKey ImplicitlyDenied ${KEY}`);
    const plain = approveLinks((dir) => editTopic(dir, (a) => delete a['KmsMasterKeyId']));
    expect(plain.text).toEqual([
      'sns:Publish Allowed arn:aws:sns:us-east-1:111111111111:orders-api-approvals',
    ]);
  });

  it('is Unknown, naming the topic file, when the topic is not in the snapshot', () => {
    const { text, missing } = approveLinks((dir) => rmSync(join(dir, TOPIC_FILE)));
    expect(text.some((t) => t.startsWith('kms:') || t.includes(' Unknown '))).toBe(true);
    expect(text.filter((t) => t.includes(' Allowed ') && !t.startsWith('sns:'))).toEqual([]);
    expect(missing).toContain(TOPIC_FILE);
  });
});
