/**
 * Part 1 of the fact sheet (/work/shared/aws-facts.md), §1.2 and §1.4 to §1.5, and the §2.1
 * scope of SCPs: behaviours the audit found no test for, each a one-edit copy of a scenario
 * (pass-cross-account: the orders-api pipeline in 111111111111 with a CloudFormation deploy
 * action whose role is in 222222222222; all-providers: every provider in 111111111111).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import type { ReportLink } from '../../src/report/types.js';
import { editJson, inScenarioCopy, type Json } from '../chain/scenarioCopy.js';

const T = '111111111111';
const P = '222222222222';
const XACCT = 'fixtures/scenarios/pass-cross-account';
const ALL = 'fixtures/scenarios/all-providers';
const KEY_FILE = `${T}/us-east-1/kms/7c1d9e4a-3b2f-4a6d-8e5c-1f0a9b8c7d6e.json`;
const BUCKET_FILE = `${T}/s3/orders-artifacts-${T}-us-east-1.json`;
const PIPELINE_ROLE = `arn:aws:iam::${T}:role/service-role/orders-api-pipeline-role`;
const DEPLOY_ROLE = `arn:aws:iam::${P}:role/orders-api-deploy-action`;

type Policy = { Statement: Json[] };

function links(scenario: string, edit: (dir: string) => void): readonly ReportLink[] {
  return inScenarioCopy(scenario, (dir) => {
    edit(dir);
    return analyzeModel(loadSnapshot(dir)).pipelines.flatMap((p) => p.links);
  });
}

/** Add statements to a policy held as JSON text in `field` of a snapshot file. */
function addStatements(file: string, field: string, ...statements: Json[]): void {
  editJson(file, (doc) => {
    const policy = JSON.parse(doc[field] as string) as Policy;
    policy.Statement.push(...statements);
    doc[field] = JSON.stringify(policy);
  });
}

/** An inline statement added to a role's first inline policy. */
function addToRole(dir: string, account: string, name: string, statement: Json): void {
  editJson(join(dir, account, 'iam.json'), (iam) => {
    const role = (iam['RoleDetailList'] as Json[]).find((r) => r['RoleName'] === name)!;
    const first = (role['RolePolicyList'] as Json[])[0]!;
    (first['PolicyDocument'] as Policy).Statement.push(statement);
  });
}

const decisions = (ls: readonly ReportLink[]) =>
  ls.map((l) => `${l.id} ${l.principal === DEPLOY_ROLE ? 'prod' : 'tools'} ${l.decision}`);

describe('§1.2 CodeDeploy: a role of either documented set passes', () => {
  // the current docs add GetApplication, ListDeploymentGroups, GetDeploymentGroup,
  // ListDeployments, ListDeploymentConfigs; the 2023 docs add GetApplicationRevision
  const fleet = (deny: string[]) =>
    links(ALL, (dir) => {
      if (deny.length > 0)
        addToRole(dir, T, 'platform-pipeline-role', {
          Sid: 'OtherSet',
          Effect: 'Deny',
          Action: deny,
          Resource: '*',
        });
    }).filter((l) => l.action === 'Fleet' && l.level === 'required');
  const base = fleet([]).map((l) => `${l.id} ${l.decision}`);

  it('the base scenario allows every required CodeDeploy call of the pipeline role', () => {
    expect(base.filter((l) => l.includes(':codedeploy:'))).toHaveLength(4);
    expect(base.filter((l) => l.includes(':codedeploy:') && !l.endsWith(' Allowed'))).toEqual([]);
  });

  it('the 2023 set only (no GetApplication, List*, GetDeploymentGroup): the required links are as before', () => {
    const old = fleet([
      'codedeploy:GetApplication',
      'codedeploy:ListDeploymentGroups',
      'codedeploy:GetDeploymentGroup',
      'codedeploy:ListDeployments',
      'codedeploy:ListDeploymentConfigs',
    ]);
    expect(old.map((l) => `${l.id} ${l.decision}`)).toEqual(base);
  });

  it('the current set only (no GetApplicationRevision): the required links are as before', () => {
    const current = fleet(['codedeploy:GetApplicationRevision']);
    expect(current.map((l) => `${l.id} ${l.decision}`)).toEqual(base);
  });
});

describe('§1.4 the console artifact bucket policy (SSEAndSSLPolicy)', () => {
  it('the scenario bucket carries both documented denies', () => {
    inScenarioCopy(XACCT, (dir) => {
      editJson(join(dir, BUCKET_FILE), (doc) => {
        const sids = (JSON.parse(doc['Policy'] as string) as Policy).Statement.map((s) => s['Sid']);
        expect(sids).toEqual(
          expect.arrayContaining(['DenyUnEncryptedObjectUploads', 'DenyInsecureConnections']),
        );
      });
    });
  });

  it('artifact uploads carry the aws:kms header over TLS: no upload is denied by them', () => {
    const puts = links(XACCT, () => {}).filter((l) => l.permission === 's3:PutObject');
    expect(puts.length).toBeGreaterThan(1);
    expect(puts.map((l) => l.decision)).toEqual(puts.map(() => 'Allowed'));
  });

  it('the same denies are read: an upload is denied when the header must be another value (INF: a negated operator)', () => {
    const puts = links(XACCT, (dir) => {
      editJson(join(dir, BUCKET_FILE), (doc) => {
        doc['Policy'] = (doc['Policy'] as string).replace('"aws:kms"}', '"AES256"}');
      });
    }).filter((l) => l.permission === 's3:PutObject');
    expect(puts.map((l) => l.decision)).toEqual(puts.map(() => 'ExplicitlyDenied'));
    expect(puts[0]!.deniedBy.map((r) => r.statement)).toEqual(['DenyUnEncryptedObjectUploads']);
  });
});

describe('§1.4 a PutObject without the SSE header is denied by a deny-unencrypted bucket policy (INF)', () => {
  // an S3 deploy without KMSEncryptionKeyARN relies on the bucket's default encryption and
  // sends no s3:x-amz-server-side-encryption: StringNotEquals on a missing key holds
  const putDocs = (withKey: boolean) =>
    links(ALL, (dir) => {
      addStatements(join(dir, `${T}/s3/platform-docs-${T}.json`), 'Policy', {
        Sid: 'DenyUnEncryptedObjectUploads',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:PutObject',
        Resource: `arn:aws:s3:::platform-docs-${T}/*`,
        Condition: { StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' } },
      });
      if (!withKey)
        editJson(join(dir, `${T}/us-east-1/codepipeline/platform-legacy.json`), (doc) => {
          const stages = (doc['pipeline'] as { stages: { actions: Json[] }[] }).stages;
          const action = stages.flatMap((s) => s.actions).find((a) => a['name'] === 'PublishDocs')!;
          delete (action['configuration'] as Json)['KMSEncryptionKeyARN'];
        });
    }).find((l) => l.id === 'Deploy/PublishDocs:s3-deploy.put-object:s3:PutObject')!;

  it('with KMSEncryptionKeyARN the header is aws:kms: allowed', () => {
    expect(putDocs(true).decision).toBe('Allowed');
  });

  it('without it the header is absent: denied by the bucket policy statement', () => {
    const link = putDocs(false);
    expect(link.decision).toBe('ExplicitlyDenied');
    expect(link.deniedBy.map((r) => [r.policyType, r.statement])).toEqual([
      ['resource', 'DenyUnEncryptedObjectUploads'],
    ]);
  });
});

describe('§1.4 S3 calls KMS through a forward access session', () => {
  // aws:ViaAWSService = true, aws:CalledVia = s3.amazonaws.com, kms:ViaService =
  // s3.<region>.amazonaws.com, kms:CallerAccount = the caller's account
  // (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_forward_access_sessions.html,
  // https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html)
  const kmsLinks = (condition: Json) =>
    links(XACCT, (dir) => {
      addStatements(join(dir, KEY_FILE), 'Policy', {
        Sid: 'OnlyThroughS3',
        Effect: 'Deny',
        Principal: '*',
        Action: 'kms:*',
        Resource: '*',
        Condition: condition,
      });
    }).filter((l) => l.permission.startsWith('kms:') && l.resource.endsWith('1f0a9b8c7d6e'));

  it('the artifact key links are S3 hops of both accounts', () => {
    const all = kmsLinks({ Null: { 'kms:ViaService': 'true' } });
    expect(decisions(all)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/kms-decrypt:kms:Decrypt prod Allowed$/),
        expect.stringMatching(/kms-generate-data-key:kms:GenerateDataKey tools Allowed$/),
      ]),
    );
    expect(all.map((l) => l.decision)).toEqual(all.map(() => 'Allowed'));
  });

  it.each<[string, Json]>([
    [
      'kms:ViaService = s3.us-east-1.amazonaws.com',
      { StringNotEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } },
    ],
    ['aws:ViaAWSService = true', { Bool: { 'aws:ViaAWSService': 'false' } }],
    [
      'aws:CalledVia contains s3.amazonaws.com',
      { 'ForAllValues:StringNotEquals': { 'aws:CalledVia': 's3.amazonaws.com' } },
    ],
    [
      'aws:CalledViaFirst = s3.amazonaws.com',
      { StringNotEquals: { 'aws:CalledViaFirst': 's3.amazonaws.com' } },
    ],
    [
      'kms:CallerAccount is the caller account',
      { StringNotEquals: { 'kms:CallerAccount': [T, P] } },
    ],
  ])('a Deny unless %s denies none of them', (_what, condition) => {
    const ls = kmsLinks(condition);
    expect(ls.length).toBeGreaterThan(2);
    expect(ls.map((l) => l.decision)).toEqual(ls.map(() => 'Allowed'));
  });

  it('a Deny unless kms:ViaService is another region denies all of them', () => {
    const ls = kmsLinks({ StringNotEquals: { 'kms:ViaService': 's3.us-west-2.amazonaws.com' } });
    expect(ls.map((l) => l.decision)).toEqual(ls.map(() => 'ExplicitlyDenied'));
  });

  it('a Deny unless kms:CallerAccount is the tools account denies the prod role only', () => {
    const ls = kmsLinks({ StringNotEquals: { 'kms:CallerAccount': T } });
    const denied = ls.filter((l) => l.decision !== 'Allowed');
    expect(denied.length).toBeGreaterThan(0);
    expect(denied.map((l) => l.principal)).toEqual(denied.map(() => DEPLOY_ROLE));
    expect(ls.filter((l) => l.principal === DEPLOY_ROLE)).toEqual(denied);
  });
});

describe('§1.5 action role trust', () => {
  const assume = (principal: string) =>
    links(XACCT, (dir) => {
      editJson(join(dir, P, 'iam.json'), (iam) => {
        const role = (iam['RoleDetailList'] as Json[]).find(
          (r) => r['RoleName'] === 'orders-api-deploy-action',
        )!;
        role['AssumeRolePolicyDocument'] = {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { AWS: principal }, Action: 'sts:AssumeRole' }],
        };
      });
    }).find((l) => l.requirement === 'action.assume-action-role')!;

  it('the docs recommend naming the pipeline role: allowed, no warning', () => {
    const link = assume(PIPELINE_ROLE);
    expect(link.decision).toBe('Allowed');
    expect(link.warnings ?? []).toEqual([]);
  });

  it("the console wizard names the pipeline account root: allowed by the pipeline role's own grant, with a warning", () => {
    const link = assume(`arn:aws:iam::${T}:root`);
    expect(link.decision).toBe('Allowed');
    expect((link.warnings ?? []).join(' ')).toMatch(/trusts the whole account `111111111111`/);
  });

  it("trusting the pipeline account still needs the pipeline role's sts:AssumeRole (both sides)", () => {
    const link = links(XACCT, (dir) => {
      editJson(join(dir, P, 'iam.json'), (iam) => {
        const role = (iam['RoleDetailList'] as Json[]).find(
          (r) => r['RoleName'] === 'orders-api-deploy-action',
        )!;
        role['AssumeRolePolicyDocument'] = {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: `arn:aws:iam::${T}:root` },
              Action: 'sts:AssumeRole',
            },
          ],
        };
      });
      addToRole(dir, T, 'orders-api-pipeline-role', {
        Sid: 'NoAssume',
        Effect: 'Deny',
        Action: 'sts:AssumeRole',
        Resource: DEPLOY_ROLE,
      });
    }).find((l) => l.requirement === 'action.assume-action-role')!;
    expect(link.decision).toBe('ExplicitlyDenied');
    expect(link.deniedBy.map((r) => [r.policyType, r.statement])).toEqual([
      ['identity', 'NoAssume'],
    ]);
  });
});

describe('§2.1 SCPs belong to the principal account: they do not apply to outside principals', () => {
  it('an SCP of the tools account denying S3 and KMS stops the tools roles, not the prod role on the tools bucket and key', () => {
    const ls = links(XACCT, (dir) => {
      writeFileSync(
        join(dir, 'organization/scp/p-exmtools99.json'),
        JSON.stringify({
          Policy: {
            PolicySummary: {
              Id: 'p-exmtools99',
              Arn: 'arn:aws:organizations::999999999999:policy/o-exmpl7a2b9c/service_control_policy/p-exmtools99',
              Name: 'tools-no-artifacts',
              Type: 'SERVICE_CONTROL_POLICY',
              AwsManaged: false,
            },
            Content: JSON.stringify({
              Version: '2012-10-17',
              Statement: [
                {
                  Sid: 'NoArtifacts',
                  Effect: 'Deny',
                  Action: ['s3:GetObject', 'kms:Decrypt'],
                  Resource: '*',
                },
              ],
            }),
          },
          Targets: [
            {
              TargetId: T,
              Arn: `arn:aws:organizations::999999999999:account/o-exmpl7a2b9c/${T}`,
              Name: T,
              Type: 'ACCOUNT',
            },
          ],
        }),
      );
    }).filter(
      (l) =>
        (l.permission === 's3:GetObject' || l.permission === 'kms:Decrypt') &&
        l.resource.includes(T),
    );
    const prod = ls.filter((l) => l.principal === DEPLOY_ROLE);
    const tools = ls.filter((l) => l.principal !== DEPLOY_ROLE);
    expect(prod.length).toBe(2);
    expect(prod.map((l) => l.decision)).toEqual(['Allowed', 'Allowed']);
    expect(tools.length).toBeGreaterThan(1);
    expect(tools.map((l) => l.decision)).toEqual(tools.map(() => 'ExplicitlyDenied'));
    expect(tools[0]!.deniedBy.map((r) => [r.policyType, r.statement])).toEqual([
      ['scp', 'NoArtifacts'],
    ]);
  });
});
