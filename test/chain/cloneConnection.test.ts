/**
 * A CodeBuild project role cloning a CODEBUILD_CLONE_REF input through a connection calls
 * UseConnection on a specific repository, so the call carries `<prefix>:FullRepositoryId`, the
 * source action's FullRepositoryId ("Supported only when the connection is being used to access
 * a specific repository", https://github.com/awsdocs/aws-codepipeline-user-guide/blob/311f3580b7d507afe27067dfb7d60bac69ab045a/doc_source/connections-permissions.md).
 * The other UseConnection keys are not documented for a clone: a policy that tests them leaves
 * the link Unknown when the answer depends on them. Edits of the all-providers scenario, whose
 * `platform-web` build clones `example-org/platform-shared-lib` (branch `main`).
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

type Json = Record<string, unknown>;

/** The build role's clone grant replaced by one statement per prefix, each with `condition`. */
function cloneDecisions(condition: (prefix: string) => Json): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'permchain-clone-'));
  cpSync(SCENARIO, dir, { recursive: true });
  const file = join(dir, '111111111111/iam.json');
  const iam = JSON.parse(readFileSync(file, 'utf8')) as { RoleDetailList: Json[] };
  const role = iam.RoleDetailList.find((r) => r['RoleName'] === 'platform-web-build-role')!;
  const doc = (role['RolePolicyList'] as Json[])[0]!['PolicyDocument'] as { Statement: Json[] };
  const before = doc.Statement.length;
  doc.Statement = doc.Statement.filter((s) => s['Sid'] !== 'FullCloneConnection');
  expect(doc.Statement.length).toBe(before - 1);
  for (const prefix of ['codestar-connections', 'codeconnections']) {
    doc.Statement.push({
      Effect: 'Allow',
      Action: `${prefix}:UseConnection`,
      Resource: CONNECTION,
      Condition: condition(prefix),
    });
  }
  writeFileSync(file, JSON.stringify(iam, null, 2));
  const p = analyzeModel(loadSnapshot(dir), { pipelines: ['platform-web'] }).pipelines[0]!;
  return p.links
    .filter((l) => l.stage === 'Build' && l.permission.endsWith(':UseConnection'))
    .map((l) => `${l.permission} ${l.decision}`);
}

describe('the clone through a connection', () => {
  it('carries the FullRepositoryId of the source action', () => {
    expect(
      cloneDecisions((p) => ({
        StringEquals: { [`${p}:FullRepositoryId`]: 'example-org/platform-shared-lib' },
      })),
    ).toEqual([
      'codestar-connections:UseConnection Allowed',
      'codeconnections:UseConnection Allowed',
    ]);
  });

  it('is denied by a grant scoped to another repository', () => {
    expect(
      cloneDecisions((p) => ({
        StringEquals: { [`${p}:FullRepositoryId`]: 'example-org/other' },
      })),
    ).toEqual([
      'codestar-connections:UseConnection ImplicitlyDenied',
      'codeconnections:UseConnection ImplicitlyDenied',
    ]);
  });

  it('is Unknown when the grant tests a key AWS does not document for a clone', () => {
    expect(cloneDecisions((p) => ({ StringEquals: { [`${p}:BranchName`]: 'main' } }))).toEqual([
      'codestar-connections:UseConnection Unknown',
      'codeconnections:UseConnection Unknown',
    ]);
    expect(
      cloneDecisions((p) => ({ StringEquals: { [`${p}:ProviderAction`]: 'GitPull' } })),
    ).toEqual([
      'codestar-connections:UseConnection Unknown',
      'codeconnections:UseConnection Unknown',
    ]);
  });
});
