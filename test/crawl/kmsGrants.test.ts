/**
 * The grants of a key that could not be listed are unknown, not none: a grant alone can allow an
 * operation (https://docs.aws.amazon.com/kms/latest/developerguide/grants.html), so a link that
 * only a grant would allow is Unknown, never denied, when kms:ListGrants fails.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { crawlToFolder, FIXTURE, linkDecisions } from './helpers.js';

const KEY_FILE = '111111111111/us-east-1/kms/1234abcd-12ab-34cd-56ef-1234567890ab.json';
const DECRYPT = 'webapp | Build/Build:codebuild-project.input-kms-decrypt:kms:Decrypt';

/** The fixture where the build role's IAM policy no longer allows the artifact key: only the key's grant to it does. */
function grantOnlyFixture(): string {
  const dir = mkdtempSync(join(tmpdir(), 'permchain-grant-only-'));
  cpSync(FIXTURE, dir, { recursive: true });
  const path = join(dir, '111111111111/iam.json');
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- editing parsed JSON
  const iam = JSON.parse(readFileSync(path, 'utf8')) as any;
  const role = iam.RoleDetailList.find(
    (r: { RoleName: string }) => r.RoleName === 'WebappBuildRole',
  );
  const statements = role.RolePolicyList[0].PolicyDocument.Statement;
  const key = statements.find((s: { Sid?: string }) => s.Sid === 'ArtifactKey');
  key.Action = ['kms:DescribeKey'];
  writeFileSync(path, JSON.stringify(iam, null, 2) + '\n');
  return dir;
}

describe('kms:ListGrants denied', () => {
  it('leaves a link only a grant allows Unknown, naming the grants, and records the failure', async () => {
    const fixture = grantOnlyFixture();
    // control: with its grants read, the grant allows the build role to decrypt
    const read = await crawlToFolder(fixture);
    expect(read.result.failures).toEqual([]);
    expect((await linkDecisions(read.dir))[DECRYPT]?.decision).toBe('Allowed');

    const denied = await crawlToFolder(fixture, [
      { service: 'kms', operation: 'ListGrants', kind: 'access-denied' },
    ]);
    expect(
      denied.result.failures.map((f) => [f.operation, f.permission, f.account, f.reason]),
    ).toEqual([
      ['ListGrants', 'kms:ListGrants', '111111111111', 'access-denied'],
      ['ListGrants', 'kms:ListGrants', '222222222222', 'access-denied'],
    ]);
    expect((await linkDecisions(denied.dir))[DECRYPT]).toEqual({
      decision: 'Unknown',
      missing: [`${KEY_FILE}#/Grants (truncated)`],
    });
    // written as a list-grants output cut short
    const written = JSON.parse(readFileSync(join(denied.dir, KEY_FILE), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(written['Grants']).toEqual([]);
    expect(written['Truncated']).toBe(true);
  });
});
