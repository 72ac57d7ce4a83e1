/**
 * A template role laid over a snapshot that holds the same role (same ARN: the stack deployed
 * it) was given a made-up RoleId, as if the deploy created it anew: the snapshot's real RoleId
 * was dropped, so a bucket policy that lets only some roles in by `aws:userid` (`<RoleId>:*`,
 * https://aws.amazon.com/blogs/security/how-to-restrict-amazon-s3-bucket-access-to-a-specific-iam-role/)
 * left the role's links Unknown ("perhaps the one it gets"), though the snapshot says which id
 * the role has. A deploy that changes neither `RoleName` nor `Path` updates the role in place and
 * keeps its RoleId; a change of either replaces it, and the new role gets a new id
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-iam-role.html,
 * "Update requires: Replacement"): then the id stays made up.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { analyzeModel } from '../../../src/chain/analyze.js';
import { findRole } from '../../../src/model/queries.js';
import { DEMO_ACCOUNT, demoWithRoles, overDemo } from './demoOverlay.js';

const BUCKET = `demo-artifacts-${DEMO_ACCOUNT}-us-east-1`;
const REAL_ID = 'AROAEXAMPLEBUILD0001';
const ARN = `arn:aws:iam::${DEMO_ACCOUNT}:role/service-role/demo-build-role`;

const iam = JSON.parse(readFileSync(`fixtures/demo/${DEMO_ACCOUNT}/iam.json`, 'utf8')) as {
  RoleDetailList: Record<string, unknown>[];
};
const snapshotRole = iam.RoleDetailList.find((r) => r['RoleName'] === 'demo-build-role')!;
const inline = (
  snapshotRole['RolePolicyList'] as { PolicyName: string; PolicyDocument: unknown }[]
)[0]!;

/** the snapshot's build role, written by a template, at `path` */
function template(path: string): unknown {
  return {
    Resources: {
      BuildRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          RoleName: 'demo-build-role',
          Path: path,
          AssumeRolePolicyDocument: snapshotRole['AssumeRolePolicyDocument'],
          Policies: [{ PolicyName: inline.PolicyName, PolicyDocument: inline.PolicyDocument }],
        },
      },
    },
  };
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** the demo snapshot, its bucket policy denying object calls unless aws:userid is like `ids`, and the template */
function overSnapshot(path: string) {
  const { dir, template: file } = demoWithRoles(
    'role-id-deployed-',
    'demo-build-role',
    [],
    template(path),
  );
  dirs.push(dir);
  const bucketFile = join(dir, DEMO_ACCOUNT, 's3', `${BUCKET}.json`);
  const bucket = JSON.parse(readFileSync(bucketFile, 'utf8')) as { Policy: string };
  const policy = JSON.parse(bucket.Policy) as { Statement: unknown[] };
  policy.Statement.push({
    Sid: 'OnlyTheseRoles',
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: `arn:aws:s3:::${BUCKET}/*`,
    Condition: {
      StringNotLike: { 'aws:userid': [`${REAL_ID}:*`, 'AROAEXAMPLEPIPELINE01:*'] },
    },
  });
  bucket.Policy = JSON.stringify(policy);
  writeFileSync(bucketFile, JSON.stringify(bucket));
  return overDemo(dir, file);
}

function buildObjectLinks(path: string) {
  const model = overSnapshot(path);
  const links = analyzeModel(model)
    .pipelines.find((p) => p.name === 'demo-app')!
    .links.filter(
      (l) =>
        l.principal.endsWith('/demo-build-role') &&
        l.resource.startsWith(`arn:aws:s3:::${BUCKET}/`),
    );
  expect(links.length).toBeGreaterThan(0);
  return { model, links };
}

describe("a template role that is the snapshot's role", () => {
  it('keeps the RoleId the snapshot gives it, so `aws:userid` decides its links (they were Unknown)', () => {
    const { model, links } = buildObjectLinks('/service-role/');
    const role = findRole(model, ARN);
    expect(role.kind === 'found' && [role.value.roleId, role.value.roleIdGenerated]).toEqual([
      REAL_ID,
      undefined,
    ]);
    expect([...new Set(links.map((l) => l.decision))]).toEqual(['Allowed']);
  });

  it('at another path it is replaced by the deploy: a new role, whose RoleId is made up', () => {
    const model = overSnapshot('/ci/');
    const role = findRole(model, `arn:aws:iam::${DEMO_ACCOUNT}:role/ci/demo-build-role`);
    expect(role.kind === 'found' && role.value.roleIdGenerated).toBe(true);
    expect(role.kind === 'found' && role.value.roleId).toMatch(/^AROA\w+$/);
    expect(role.kind === 'found' && role.value.roleId).not.toBe(REAL_ID);
  });
});
