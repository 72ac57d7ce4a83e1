/**
 * Test helpers for cases that edit a copy of a scenario snapshot (fixtures/scenarios/*): the
 * copy lives in a temporary folder for the duration of `fn` only.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import type { ReportLink } from '../../src/report/types.js';

export type Json = Record<string, unknown>;

/** Run `fn` on a fresh copy of `scenario` (a folder), then remove the copy. */
export function inScenarioCopy<T>(scenario: string, fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'permchain-scenario-'));
  try {
    cpSync(scenario, dir, { recursive: true });
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Parse a JSON file, let `edit` change it, write it back. */
export function editJson(file: string, edit: (doc: Json) => void): void {
  const doc = JSON.parse(readFileSync(file, 'utf8')) as Json;
  edit(doc);
  writeFileSync(file, JSON.stringify(doc, null, 2));
}

/**
 * Let `edit` change the statements of the first inline policy of role `role`, in the iam.json of
 * `account` in the snapshot copy `dir`.
 */
export function editInlineStatements(
  dir: string,
  account: string,
  role: string,
  edit: (statements: Json[]) => void,
): void {
  editJson(join(dir, account, 'iam.json'), (iam) => {
    const found = (iam['RoleDetailList'] as Json[]).find((r) => r['RoleName'] === role)!;
    const inline = (found['RolePolicyList'] as Json[])[0]!;
    edit((inline['PolicyDocument'] as Json)['Statement'] as Json[]);
  });
}

/**
 * A customer managed policy as `aws iam get-account-authorization-details` lists it under
 * `Policies`, used as a permissions boundary (one version, the default).
 */
export function boundaryPolicyEntry(arn: string, document: Json): Json {
  return {
    PolicyName: arn.slice(arn.lastIndexOf('/') + 1),
    PolicyId: 'ANPAEXAMPLEBOUNDARY01',
    Arn: arn,
    Path: '/',
    DefaultVersionId: 'v1',
    AttachmentCount: 0,
    PermissionsBoundaryUsageCount: 1,
    IsAttachable: true,
    PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: true, Document: document }],
  };
}

/**
 * Write the key `arn` into the copy `dir` as `<account>/<region>/kms/<id>.json`: an enabled,
 * customer managed symmetric key (describe-key's KeyMetadata) with the key policy `statements`.
 */
export function writeKmsKey(dir: string, arn: string, statements: Json[]): void {
  const [, , , region, account, resource] = arn.split(':');
  const id = resource!.slice('key/'.length);
  const folder = join(dir, account!, region!, 'kms');
  mkdirSync(folder, { recursive: true });
  writeFileSync(
    join(folder, `${id}.json`),
    JSON.stringify({
      KeyMetadata: {
        AWSAccountId: account,
        KeyId: id,
        Arn: arn,
        Enabled: true,
        KeyUsage: 'ENCRYPT_DECRYPT',
        KeyState: 'Enabled',
        KeyManager: 'CUSTOMER',
        KeySpec: 'SYMMETRIC_DEFAULT',
      },
      Policy: JSON.stringify({ Version: '2012-10-17', Statement: statements }),
    }),
  );
}

/**
 * The link of the S3 deploy of `platform-legacy` (all-providers) that writes the files it
 * extracts, with `statement` added to the inline policy of `platform-pipeline-role`, in a copy
 * that `edit` may change first.
 */
export function docsPutLink(statement: Json, edit: (dir: string) => void = () => {}): ReportLink {
  return inScenarioCopy('fixtures/scenarios/all-providers', (dir) => {
    edit(dir);
    editInlineStatements(dir, '111111111111', 'platform-pipeline-role', (st) => st.push(statement));
    const p = analyzeModel(loadSnapshot(dir), { pipelines: ['platform-legacy'] }).pipelines[0]!;
    const found = p.links.filter((l) => l.requirement === 's3-deploy.put-object');
    expect(found).toHaveLength(1);
    return found[0]!;
  });
}
