/**
 * A CodeStarSourceConnection source action uses its connection (UseConnection, both prefixes)
 * for a specific repository, so the call carries `<prefix>:FullRepositoryId`. AWS documents the
 * other UseConnection keys and their values
 * (https://docs.aws.amazon.com/dtconsole/latest/userguide/security-iam.html#permissions-reference-connections-use),
 * not which a source action's calls carry: a policy that tests BranchName, OwnerId,
 * RepositoryName, ProviderPermissionsRequired or ProviderAction leaves the link Unknown when the
 * answer depends on them, never Allowed on a guess nor Denied on one. Edits of the all-providers
 * scenario, whose `platform-web` pipeline has the source `SharedLib` (pipeline role,
 * `example-org/platform-shared-lib`, branch `main`).
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';

const SCENARIO = 'fixtures/scenarios/all-providers';
const CONNECTION =
  'arn:aws:codeconnections:us-east-1:111111111111:connection/4d3c2b1a-0f9e-4d8c-b7a6-5f4e3d2c1b0a';
const PREFIXES = ['codestar-connections', 'codeconnections'] as const;

type Json = Record<string, unknown>;

/**
 * The pipeline role's connection grant replaced by `statements(prefix)` for each prefix; the
 * decisions of the source action's UseConnection links.
 */
function sourceDecisions(statements: (prefix: string) => Json[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'permchain-connection-'));
  cpSync(SCENARIO, dir, { recursive: true });
  const file = join(dir, '111111111111/iam.json');
  const iam = JSON.parse(readFileSync(file, 'utf8')) as { RoleDetailList: Json[] };
  const role = iam.RoleDetailList.find((r) => r['RoleName'] === 'platform-pipeline-role')!;
  const doc = (role['RolePolicyList'] as Json[])[0]!['PolicyDocument'] as { Statement: Json[] };
  const before = doc.Statement.length;
  doc.Statement = doc.Statement.filter((s) => s['Sid'] !== 'GitHubConnection');
  expect(doc.Statement.length).toBe(before - 1);
  for (const prefix of PREFIXES) doc.Statement.push(...statements(prefix));
  writeFileSync(file, JSON.stringify(iam, null, 2));
  const p = analyzeModel(loadSnapshot(dir), { pipelines: ['platform-web'] }).pipelines[0]!;
  return p.links
    .filter((l) => l.action === 'SharedLib' && l.permission.endsWith(':UseConnection'))
    .map((l) => `${l.permission} ${l.decision}`)
    .sort();
}

const allow = (prefix: string, condition?: Json): Json => ({
  Effect: 'Allow',
  Action: `${prefix}:UseConnection`,
  Resource: CONNECTION,
  ...(condition ? { Condition: condition } : {}),
});

const both = (decision: string): string[] => [
  `codeconnections:UseConnection ${decision}`,
  `codestar-connections:UseConnection ${decision}`,
];

describe('the source action using its connection', () => {
  it('is allowed by a grant on the connection, and by one scoped to its repository', () => {
    expect(sourceDecisions((p) => [allow(p)])).toEqual(both('Allowed'));
    expect(
      sourceDecisions((p) => [
        allow(p, {
          StringEquals: { [`${p}:FullRepositoryId`]: 'example-org/platform-shared-lib' },
        }),
      ]),
    ).toEqual(both('Allowed'));
  });

  it('is denied by a grant scoped to another repository', () => {
    expect(
      sourceDecisions((p) => [
        allow(p, { StringEquals: { [`${p}:FullRepositoryId`]: 'example-org/other' } }),
      ]),
    ).toEqual(both('ImplicitlyDenied'));
  });

  it('is Unknown, not denied, under a grant that requires ProviderPermissionsRequired read_only', () => {
    expect(
      sourceDecisions((p) => [
        allow(p, { StringEquals: { [`${p}:ProviderPermissionsRequired`]: 'read_only' } }),
      ]),
    ).toEqual(both('Unknown'));
  });

  it('is Unknown, not allowed, when a Deny names a provider action it may use', () => {
    expect(
      sourceDecisions((p) => [
        allow(p),
        {
          Effect: 'Deny',
          Action: `${p}:UseConnection`,
          Resource: '*',
          Condition: { StringEquals: { [`${p}:ProviderAction`]: 'StartUploadArchiveToS3' } },
        },
      ]),
    ).toEqual(both('Unknown'));
  });

  it('is Unknown when a grant tests the branch, owner or repository name', () => {
    for (const [key, value] of [
      ['BranchName', 'main'],
      ['OwnerId', 'example-org'],
      ['RepositoryName', 'platform-shared-lib'],
    ] as const) {
      expect(
        sourceDecisions((p) => [allow(p, { StringEquals: { [`${p}:${key}`]: value } })]),
        key,
      ).toEqual(both('Unknown'));
    }
  });

  it('stays allowed under a Deny of read_write use, and denied under a Deny of every use', () => {
    expect(
      sourceDecisions((p) => [
        allow(p),
        {
          Effect: 'Deny',
          Action: `${p}:UseConnection`,
          Resource: '*',
          Condition: { StringEquals: { [`${p}:ProviderPermissionsRequired`]: 'read_write' } },
        },
      ]),
    ).toEqual(both('Allowed'));
    expect(
      sourceDecisions((p) => [
        allow(p),
        { Effect: 'Deny', Action: `${p}:UseConnection`, Resource: '*' },
      ]),
    ).toEqual(both('ExplicitlyDenied'));
  });
});
