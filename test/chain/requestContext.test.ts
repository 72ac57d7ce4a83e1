/**
 * Keys AWS puts in every request that the chain must set or treat as unknown: a common
 * region-restriction SCP, aws:ViaAWSService on direct calls, the caller's tags, the S3
 * encryption context of KMS calls, the time of the run. Each case is a one-edit copy of the
 * pass-cross-account scenario.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import type { ReportLink } from '../../src/report/types.js';
import { MAX_TRIED_VALUES } from '../../src/chain/uncertainKeys.js';

const SCENARIO = 'fixtures/scenarios/pass-cross-account';
const BUCKET = 'arn:aws:s3:::orders-artifacts-111111111111-us-east-1';
const PIPELINE_ROLE = 'arn:aws:iam::111111111111:role/service-role/orders-api-pipeline-role';
const DEPLOY_ROLE = 'arn:aws:iam::222222222222:role/orders-api-deploy-action';

type Json = Record<string, unknown>;

function scenario(edit: (dir: string) => void): readonly ReportLink[] {
  const dir = mkdtempSync(join(tmpdir(), 'permchain-context-'));
  cpSync(SCENARIO, dir, { recursive: true });
  edit(dir);
  return analyzeModel(loadSnapshot(dir)).pipelines[0]!.links;
}

function editJson(file: string, edit: (doc: Json) => void): void {
  const doc = JSON.parse(readFileSync(file, 'utf8')) as Json;
  edit(doc);
  writeFileSync(file, JSON.stringify(doc));
}

function editRole(dir: string, account: string, name: string, edit: (role: Json) => void): void {
  editJson(join(dir, account, 'iam.json'), (iam) => {
    edit((iam['RoleDetailList'] as Json[]).find((r) => r['RoleName'] === name)!);
  });
}

function regionScp(dir: string, allowed: string[], exempt: string[]): void {
  writeFileSync(
    join(dir, 'organization/scp/p-region.json'),
    JSON.stringify({
      Policy: {
        PolicySummary: {
          Id: 'p-region',
          Name: 'deny-other-regions',
          Type: 'SERVICE_CONTROL_POLICY',
        },
        Content: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'DenyOutsideAllowedRegions',
              Effect: 'Deny',
              NotAction: exempt,
              Resource: '*',
              Condition: { StringNotEquals: { 'aws:RequestedRegion': allowed } },
            },
          ],
        }),
      },
      Targets: [{ TargetId: 'r-exm1', Type: 'ROOT' }],
    }),
  );
}

const decisions = (links: readonly ReportLink[]): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const l of links) out[l.decision] = (out[l.decision] ?? 0) + 1;
  return out;
};

describe('aws:RequestedRegion', () => {
  it('a region-restriction SCP that allows the pipeline region denies nothing', () => {
    const links = scenario((dir) =>
      regionScp(
        dir,
        ['us-east-1', 'us-west-2'],
        ['iam:*', 'sts:*', 'organizations:*', 'support:*'],
      ),
    );
    expect(decisions(links)).toEqual({ Allowed: links.length });
  });

  it('a bucket whose region the snapshot does not give: its calls are Unknown under a region SCP', () => {
    const BUCKET_FILE = '111111111111/s3/orders-artifacts-111111111111-us-east-1.json';
    const links = scenario((dir) => {
      regionScp(dir, ['us-east-1'], ['iam:*', 'sts:*', 'organizations:*', 'support:*']);
      editJson(join(dir, BUCKET_FILE), (doc) => delete doc['LocationConstraint']);
    });
    const s3 = links.filter((l) => l.permission.startsWith('s3:') && l.resource.startsWith(BUCKET));
    expect(s3.length).toBeGreaterThan(0);
    for (const l of s3) {
      expect(l.decision, l.id).toBe('Unknown');
      expect(l.missing, l.id).toEqual([`${BUCKET_FILE}#/LocationConstraint`]);
    }
    // KMS calls name the key's region in its ARN: decided
    expect(
      links.filter((l) => l.permission.startsWith('kms:')).every((l) => l.decision === 'Allowed'),
    ).toBe(true);
    // without a policy that tests the region, nothing depends on it
    const plain = scenario((dir) =>
      editJson(join(dir, BUCKET_FILE), (doc) => delete doc['LocationConstraint']),
    );
    expect(decisions(plain)).toEqual({ Allowed: plain.length });
  });

  it('one that does not allow it denies the calls made there, each by the SCP statement', () => {
    const links = scenario((dir) =>
      regionScp(dir, ['eu-west-1'], ['iam:*', 'sts:*', 'organizations:*', 'support:*']),
    );
    const kms = links.filter((l) => l.principal === DEPLOY_ROLE && l.permission === 'kms:Decrypt');
    expect(kms.map((l) => [l.decision, l.deniedBy.map((r) => r.statement)])).toEqual([
      ['ExplicitlyDenied', ['DenyOutsideAllowedRegions']],
    ]);
    // iam and sts are exempt: PassRole and AssumeRole are still allowed
    for (const l of links.filter(
      (x) => /^(iam|sts):/.test(x.permission) && x.principal.startsWith('arn:'),
    ))
      expect(l.decision, l.id).toBe('Allowed');
  });

  it('without the sts exemption, AssumeRole in us-east-1 is denied by either STS endpoint', () => {
    // the regional endpoint and the global one are both in us-east-1 here: no doubt remains
    const links = scenario((dir) => regionScp(dir, ['us-east-2'], ['iam:*', 'organizations:*']));
    const assume = links.find((l) => l.id.endsWith('action.assume-action-role:sts:AssumeRole'))!;
    expect(assume.decision).toBe('ExplicitlyDenied');
    expect(assume.deniedBy.map((r) => r.statement)).toEqual(['DenyOutsideAllowedRegions']);
  });
});

describe('aws:ViaAWSService and keys the chain does not know', () => {
  it("AWS's deny-by-source-IP example: direct calls depend on the caller's address (Unknown), not Allowed", () => {
    const links = scenario((dir) =>
      editRole(dir, '222222222222', 'orders-api-deploy-action', (role) => {
        (role['RolePolicyList'] as Json[]).push({
          PolicyName: 'deny-ip',
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Deny',
                Action: '*',
                Resource: '*',
                Condition: {
                  NotIpAddress: { 'aws:SourceIp': ['192.0.2.0/24', '203.0.113.0/24'] },
                  Bool: { 'aws:ViaAWSService': 'false' },
                },
              },
            ],
          },
        });
      }),
    );
    const mine = links.filter((l) => l.principal === DEPLOY_ROLE);
    // the role's own calls: ViaAWSService is false, the address is not known
    const direct = mine.filter((l) => !l.permission.startsWith('kms:'));
    expect(direct.length).toBeGreaterThan(0);
    for (const l of direct) {
      expect(l.decision, l.id).toBe('Unknown');
      expect(l.why, l.id).toContain('`aws:SourceIp`');
    }
    // the KMS calls S3 makes for it carry ViaAWSService true: the deny does not apply
    const viaS3 = mine.filter((l) => l.permission.startsWith('kms:'));
    expect(viaS3.map((l) => l.decision)).toEqual(['Allowed']);
  });

  it('a Bool aws:ViaAWSService false deny on a bucket applies to direct calls', () => {
    const links = scenario((dir) =>
      editJson(join(dir, '111111111111/s3/orders-artifacts-111111111111-us-east-1.json'), (doc) => {
        const policy = JSON.parse(doc['Policy'] as string) as { Statement: Json[] };
        policy.Statement.push({
          Sid: 'OnlyThroughServices',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:GetObject',
          Resource: `${BUCKET}/*`,
          Condition: { Bool: { 'aws:ViaAWSService': 'false' } },
        });
        doc['Policy'] = JSON.stringify(policy);
      }),
    );
    const gets = links.filter((l) => l.permission === 's3:GetObject');
    expect(gets.length).toBeGreaterThan(0);
    for (const l of gets) {
      expect(l.decision, l.id).toBe('ExplicitlyDenied');
      expect(l.deniedBy.map((r) => r.statement)).toEqual(['OnlyThroughServices']);
    }
  });

  it("the caller's tags come from iam.json (aws:PrincipalTag)", () => {
    const trustTag = (dir: string, value: string): void => {
      editRole(dir, '111111111111', 'orders-api-pipeline-role', (role) => {
        role['Tags'] = [{ Key: 'team', Value: 'platform' }];
      });
      editRole(dir, '222222222222', 'orders-api-deploy-action', (role) => {
        role['AssumeRolePolicyDocument'] = {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: 'arn:aws:iam::111111111111:root' },
              Action: 'sts:AssumeRole',
              Condition: { StringEquals: { 'aws:PrincipalTag/team': value } },
            },
          ],
        };
      });
    };
    const assume = (links: readonly ReportLink[]): string =>
      links.find((l) => l.id.endsWith('action.assume-action-role:sts:AssumeRole'))!.decision;
    expect(assume(scenario((dir) => trustTag(dir, 'platform')))).toBe('Allowed');
    expect(assume(scenario((dir) => trustTag(dir, 'other')))).toBe('ImplicitlyDenied');
  });

  it("a key policy on the S3 encryption context makes the KMS call Unknown, not denied, when the bucket's encryption is not read", () => {
    const links = scenario((dir) => {
      // the bucket file says BucketKeyEnabled false: S3 would send the object ARN, which the
      // condition below matches (s3EncryptionContext.test.ts); without it the context may be
      // the bucket ARN
      editJson(join(dir, '111111111111/s3/orders-artifacts-111111111111-us-east-1.json'), (b) => {
        delete b['ServerSideEncryptionConfiguration'];
      });
      const folder = join(dir, '111111111111/us-east-1/kms');
      const file = readdirSync(folder).find((f) => f !== 'aliases.json')!;
      editJson(join(folder, file), (key) => {
        const policy = JSON.parse(key['Policy'] as string) as { Statement: Json[] };
        for (const st of policy.Statement)
          if (st['Sid'] === 'AllowProdAccount')
            st['Condition'] = {
              StringLike: { 'kms:EncryptionContext:aws:s3:arn': `${BUCKET}/*` },
            };
        key['Policy'] = JSON.stringify(policy);
      });
    });
    const decrypt = links.filter(
      (l) => l.principal === DEPLOY_ROLE && l.permission === 'kms:Decrypt',
    );
    expect(decrypt.map((l) => l.decision)).toEqual(['Unknown']);
    expect(decrypt[0]!.why).toContain('`kms:EncryptionContext:aws:s3:arn`');
  });

  it('a condition on the user agent makes the links it decides Unknown, not denied', () => {
    // AWS sets aws:UserAgent on every request (the caller's client application); the services
    // of a pipeline do not document theirs, and a Deny on it was read as on a missing key
    const links = scenario((dir) =>
      editRole(dir, '111111111111', 'orders-api-pipeline-role', (role) => {
        (role['RolePolicyList'] as Json[]).push({
          PolicyName: 'console-only',
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Sid: 'DenyOtherClients',
                Effect: 'Deny',
                Action: 's3:*',
                Resource: '*',
                Condition: { StringNotLike: { 'aws:UserAgent': '*console.amazonaws.com*' } },
              },
            ],
          },
        });
      }),
    );
    const s3 = links.filter((l) => l.principal === PIPELINE_ROLE && l.permission.startsWith('s3:'));
    expect(s3.length).toBeGreaterThan(0);
    for (const l of s3) {
      expect(l.decision, l.id).toBe('Unknown');
      expect(l.why).toContain('`aws:UserAgent`');
      expect(l.why).toContain('DenyOtherClients');
    }
  });

  it('a condition on the time of the run makes the links it decides Unknown', () => {
    const links = scenario((dir) =>
      editRole(dir, '111111111111', 'orders-api-pipeline-role', (role) => {
        (role['RolePolicyList'] as Json[]).push({
          PolicyName: 'until-2030',
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Deny',
                Action: 's3:*',
                Resource: '*',
                Condition: { DateGreaterThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' } },
              },
            ],
          },
        });
      }),
    );
    const s3 = links.filter((l) => l.principal === PIPELINE_ROLE && l.permission.startsWith('s3:'));
    expect(s3.length).toBeGreaterThan(0);
    for (const l of s3) {
      expect(l.decision, l.id).toBe('Unknown');
      expect(l.why).toContain('the time of the run');
    }
  });

  it("a role's tags are known when it is the resource (iam:PassRole): aws:ResourceTag is decided", () => {
    const passRole = (tag: string): string => {
      const links = scenario((dir) => {
        editRole(dir, '222222222222', 'orders-api-cfn-exec', (role) => {
          role['Tags'] = [{ Key: 'team', Value: tag }];
        });
        editRole(dir, '222222222222', 'orders-api-deploy-action', (role) => {
          (role['RolePolicyList'] as Json[]).push({
            PolicyName: 'pass-own-team',
            PolicyDocument: {
              Version: '2012-10-17',
              Statement: [
                {
                  Effect: 'Deny',
                  Action: 'iam:PassRole',
                  Resource: '*',
                  Condition: { StringNotEquals: { 'aws:ResourceTag/team': 'platform' } },
                },
              ],
            },
          });
        });
      });
      return links.find((l) => l.permission === 'iam:PassRole')!.decision;
    };
    expect(passRole('platform')).toBe('Allowed');
    expect(passRole('other')).toBe('ExplicitlyDenied');
  });

  it('an allow that needs two unknown keys together is tried with both set (Unknown, not denied)', () => {
    const links = scenario((dir) =>
      editRole(dir, '222222222222', 'orders-api-deploy-action', (role) => {
        const doc = (role['RolePolicyList'] as Json[])[0]!['PolicyDocument'] as {
          Statement: Json[];
        };
        const objects = doc.Statement.find((st) => st['Sid'] === 'ArtifactObjects')!;
        // only from the build network, through its endpoint: both keys at once
        objects['Condition'] = {
          StringEquals: { 'aws:SourceVpce': 'vpce-0a1b2c3d' },
          IpAddress: { 'aws:SourceIp': '10.0.0.0/8' },
        };
      }),
    );
    const gets = links.filter(
      (l) => l.principal === DEPLOY_ROLE && l.permission === 's3:GetObject',
    );
    expect(gets.length).toBeGreaterThan(0);
    for (const l of gets) {
      expect(l.decision, l.id).toBe('Unknown');
      expect(l.why).toContain('`aws:SourceIp`, `aws:SourceVpce`');
    }
  });

  it('a key compared with more values than are worth trying is taken to decide, without trying them', () => {
    // the Deny never applies to the role's own calls (aws:ViaAWSService is false), so trying every
    // range would find no dependence; past MAX_TRIED_VALUES the key is not tried but counted
    const ranges = Array.from({ length: MAX_TRIED_VALUES + 1 }, (_, i) => `10.${i}.0.0/16`);
    const links = scenario((dir) =>
      editRole(dir, '222222222222', 'orders-api-deploy-action', (role) => {
        (role['RolePolicyList'] as Json[]).push({
          PolicyName: 'many-ranges',
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Deny',
                Action: 's3:GetObject',
                Resource: '*',
                Condition: {
                  NotIpAddress: { 'aws:SourceIp': ranges },
                  Bool: { 'aws:ViaAWSService': 'true' },
                },
              },
            ],
          },
        });
      }),
    );
    const gets = links.filter(
      (l) => l.principal === DEPLOY_ROLE && l.permission === 's3:GetObject',
    );
    expect(gets.length).toBeGreaterThan(0);
    for (const l of gets) {
      expect(l.decision, l.id).toBe('Unknown');
      expect(l.why).toContain('`aws:SourceIp`');
    }
  });
});
