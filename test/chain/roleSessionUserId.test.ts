/**
 * `aws:userid` of a role session is `<RoleId>:<session name>`
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#principaltable),
 * and AWS documents restricting a bucket to some roles with a Deny unless `aws:userid` is
 * `StringLike` `<RoleId>:*` (https://aws.amazon.com/blogs/security/how-to-restrict-amazon-s3-bucket-access-to-a-specific-iam-role/).
 * The snapshot gives each role's RoleId; the session name the service picks is not documented.
 * Every link such a policy covered was Unknown ("the role session id"); the id part is now the
 * role's, and only the session name is tried.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import type { ReportLink } from '../../src/report/types.js';
import { editJson, inScenarioCopy, type Json } from './scenarioCopy.js';

const SCENARIO = 'fixtures/scenarios/pass-cross-account';
const BUCKET = 'orders-artifacts-111111111111-us-east-1';
const PIPELINE_ROLE = 'arn:aws:iam::111111111111:role/service-role/orders-api-pipeline-role';
const BUILD_ROLE = 'arn:aws:iam::111111111111:role/service-role/orders-api-build-role';
const DEPLOY_ROLE = 'arn:aws:iam::222222222222:role/orders-api-deploy-action';
/** the RoleIds of the scenario's iam.json files */
const PIPELINE_ID = 'AROAQXAMPLEPIPELINE01';
const BUILD_ID = 'AROAQXAMPLEBUILD00001';

/** Add a Deny on the bucket's objects unless aws:userid is like one of `allowed` (operator `op`). */
function onlyUserIds(dir: string, allowed: readonly string[], op = 'StringNotLike'): void {
  editJson(join(dir, `111111111111/s3/${BUCKET}.json`), (b) => {
    const policy = JSON.parse(b['Policy'] as string) as { Statement: Json[] };
    policy.Statement.push({
      Sid: 'OnlyTheseRoles',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: `arn:aws:s3:::${BUCKET}/*`,
      Condition: { [op]: { 'aws:userid': allowed } },
    });
    b['Policy'] = JSON.stringify(policy);
  });
}

function dropRoleId(dir: string, account: string, name: string): void {
  editJson(join(dir, `${account}/iam.json`), (iam) => {
    const role = (iam['RoleDetailList'] as Json[]).find((r) => r['RoleName'] === name)!;
    delete role['RoleId'];
  });
}

function objectLinks(edit: (dir: string) => void): readonly ReportLink[] {
  return inScenarioCopy(SCENARIO, (dir) => {
    edit(dir);
    return analyzeModel(loadSnapshot(dir)).pipelines[0]!.links.filter((l) =>
      l.resource.startsWith(`arn:aws:s3:::${BUCKET}/`),
    );
  });
}

const decisionsOf = (links: readonly ReportLink[], principal: string): string[] => {
  const found = links.filter((l) => l.principal === principal);
  expect(found.length).toBeGreaterThan(0);
  return [...new Set(found.map((l) => l.decision))];
};

describe('aws:userid of a role session', () => {
  it('the documented <RoleId>:* pattern allows the roles it names', () => {
    const links = objectLinks((dir) =>
      onlyUserIds(dir, [`${PIPELINE_ID}:*`, `${BUILD_ID}:*`, '111111111111']),
    );
    expect(decisionsOf(links, PIPELINE_ROLE)).toEqual(['Allowed']);
    expect(decisionsOf(links, BUILD_ROLE)).toEqual(['Allowed']);
  });

  it('and denies a role it does not name, by its statement', () => {
    const links = objectLinks((dir) =>
      onlyUserIds(dir, [`${PIPELINE_ID}:*`, `${BUILD_ID}:*`, '111111111111']),
    );
    const deploy = links.filter((l) => l.principal === DEPLOY_ROLE);
    expect([...new Set(deploy.map((l) => l.decision))]).toEqual(['ExplicitlyDenied']);
    expect(deploy[0]!.deniedBy).toEqual([
      expect.objectContaining({ policyType: 'resource', statement: 'OnlyTheseRoles' }),
    ]);
  });

  it('a role whose RoleId the input lacks stays Unknown, naming the key', () => {
    const links = objectLinks((dir) => {
      onlyUserIds(dir, [`${PIPELINE_ID}:*`, `${BUILD_ID}:*`]);
      dropRoleId(dir, '111111111111', 'orders-api-build-role');
    });
    expect(decisionsOf(links, PIPELINE_ROLE)).toEqual(['Allowed']);
    const build = links.filter((l) => l.principal === BUILD_ROLE);
    expect([...new Set(build.map((l) => l.decision))]).toEqual(['Unknown']);
    expect(build[0]!.why).toContain('`aws:userid`');
  });

  it('a pattern over the session name leaves the role Unknown: the service picks the name', () => {
    const links = objectLinks((dir) => onlyUserIds(dir, [`${PIPELINE_ID}:*`, `${BUILD_ID}:ci-*`]));
    expect(decisionsOf(links, PIPELINE_ROLE)).toEqual(['Allowed']);
    const build = links.filter((l) => l.principal === BUILD_ROLE);
    expect([...new Set(build.map((l) => l.decision))]).toEqual(['Unknown']);
    expect(build[0]!.why).toContain(`the role session id (\`${BUILD_ID}:\``);
  });

  it('StringNotEquals with a literal `*` denies every session', () => {
    const links = objectLinks((dir) =>
      onlyUserIds(dir, [`${PIPELINE_ID}:*`, `${BUILD_ID}:*`], 'StringNotEquals'),
    );
    expect(decisionsOf(links, PIPELINE_ROLE)).toEqual(['ExplicitlyDenied']);
    expect(decisionsOf(links, BUILD_ROLE)).toEqual(['ExplicitlyDenied']);
  });

  it('a session name under any id is tried with the caller role’s own id', () => {
    // `*:ci-build` names a session of any role: tried with the role's own id
    const links = objectLinks((dir) =>
      onlyUserIds(dir, [`${PIPELINE_ID}:*`, `${BUILD_ID}:*`, '*:ci-build'], 'StringNotLike'),
    );
    expect(decisionsOf(links, DEPLOY_ROLE)).toEqual(['Unknown']);
    expect(decisionsOf(links, BUILD_ROLE)).toEqual(['Allowed']);
  });
});
