/**
 * aws:PrincipalOrgID and friends when the input does not say which organization an account is
 * in. A data perimeter ("deny outside the organization") is common on artifact buckets; without
 * the organization files, evaluating it with the key absent would deny every link through the
 * bucket. The decision is checked with the key absent, set to each value the link's policies
 * test, and set to another value: a link whose answer depends on it is Unknown and names the file
 * that would settle it.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import type { ReportLink } from '../../src/report/types.js';

const SCENARIO = 'fixtures/scenarios/org-perimeter-bucket-policy';
const BUCKET_FILE = '111111111111/s3/orders-artifacts-111111111111-us-east-1.json';
const TOOLS_ROLE = 'arn:aws:iam::111111111111:role/service-role/orders-api-pipeline-role';
const PROD_ROLE = 'arn:aws:iam::222222222222:role/orders-api-deploy-action';
const BUILD_ROLE = 'arn:aws:iam::111111111111:role/service-role/orders-api-build-role';

/** Scenario copies of this file, removed after its tests. */
const COPIES: string[] = [];
afterAll(() => {
  for (const d of COPIES) rmSync(d, { recursive: true, force: true });
});

function copy(edit?: (dir: string) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'permchain-org-keys-'));
  COPIES.push(dir);
  cpSync(SCENARIO, dir, { recursive: true });
  edit?.(dir);
  return dir;
}

function links(dir: string): readonly ReportLink[] {
  return analyzeModel(loadSnapshot(dir)).pipelines[0]!.links;
}

/** The links through the artifact bucket (its policy has the perimeter). */
function bucketLinks(all: readonly ReportLink[], principal: string): ReportLink[] {
  return all.filter(
    (l) => l.principal === principal && l.resource.startsWith('arn:aws:s3:::orders-artifacts-'),
  );
}

function editBucketPolicy(dir: string, edit: (policy: { Statement: object[] }) => void): void {
  const file = join(dir, BUCKET_FILE);
  const doc = JSON.parse(readFileSync(file, 'utf8')) as { Policy: string };
  const policy = JSON.parse(doc.Policy) as { Statement: object[] };
  edit(policy);
  doc.Policy = JSON.stringify(policy);
  writeFileSync(file, JSON.stringify(doc));
}

describe('organization keys the input does not settle', () => {
  it('with the organization files, members pass the perimeter and non-members are denied', () => {
    const all = links(copy());
    const tools = bucketLinks(all, TOOLS_ROLE);
    expect(tools.length).toBeGreaterThan(0);
    for (const l of tools) expect(l.decision, l.id).toBe('Allowed');
    // prod is not in accounts.json, which was read in full: known not to be a member
    const prod = bucketLinks(all, PROD_ROLE);
    expect(prod.length).toBeGreaterThan(0);
    for (const l of prod) {
      expect(l.decision, l.id).toBe('ExplicitlyDenied');
      expect(l.deniedBy.map((r) => r.statement)).toContain('DenyOutsideOrganization');
    }
  });

  it('without them, links the perimeter decides are Unknown, naming describe-organization.json', () => {
    const all = links(copy((dir) => rmSync(join(dir, 'organization'), { recursive: true })));
    for (const principal of [TOOLS_ROLE, PROD_ROLE]) {
      const through = bucketLinks(all, principal);
      expect(through.length).toBeGreaterThan(0);
      for (const l of through) {
        expect(l.decision, l.id).toBe('Unknown');
        expect(l.missing, l.id).toEqual(['organization/describe-organization.json']);
        // the statement that tests the key is named, with where it is written
        expect(l.why).toBe(
          `the answer depends on \`aws:PrincipalOrgID\`, the organization of the caller's account \`${principal.split(':')[4]}\`, which the input does not settle: the bucket policy of \`arn:aws:s3:::orders-artifacts-111111111111-us-east-1\` statement \`DenyOutsideOrganization\` (at \`111111111111/s3/orders-artifacts-111111111111-us-east-1.json#/Policy/Statement/2\`) tests it`,
        );
      }
    }
    // links the perimeter does not touch are decided as before
    const others = all.filter((l) => !l.resource.startsWith('arn:aws:s3:::orders-artifacts-'));
    expect(others.some((l) => l.decision === 'Allowed')).toBe(true);
    expect(others.filter((l) => l.decision === 'Unknown')).toEqual([]);
  });

  it('an account missing from an accounts.json that could not be read in full is not known to be outside', () => {
    const all = links(
      copy((dir) => {
        const file = join(dir, 'organization/accounts.json');
        const doc = JSON.parse(readFileSync(file, 'utf8')) as { Accounts: unknown[] };
        doc.Accounts.push('222222222222');
        writeFileSync(file, JSON.stringify(doc));
      }),
    );
    const prod = bucketLinks(all, PROD_ROLE);
    expect(prod.length).toBeGreaterThan(0);
    for (const l of prod) {
      expect(l.decision, l.id).toBe('Unknown');
      expect(l.missing, l.id).toEqual(['organization/accounts.json']);
    }
  });

  // aws:PrincipalOrgPaths is the path of the caller's account's parent, `o-…/r-…/ou-…/`, without
  // the account (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgpaths);
  // the scenario's parents.json puts 111111111111 under ou-exm1-workload, under r-exm1
  const withPathDeny = (operator: string, paths: string[], edit?: (dir: string) => void) =>
    bucketLinks(
      links(
        copy((dir) => {
          edit?.(dir);
          editBucketPolicy(dir, (policy) => {
            policy.Statement.push({
              Sid: 'DenyOnPath',
              Effect: 'Deny',
              Principal: '*',
              Action: 's3:GetObject',
              Resource: 'arn:aws:s3:::orders-artifacts-111111111111-us-east-1/*',
              Condition: { [operator]: { 'aws:PrincipalOrgPaths': paths } },
            });
          });
        }),
      ),
      BUILD_ROLE,
    ).filter((l) => l.permission === 's3:GetObject');

  it('aws:PrincipalOrgPaths is derived from parents.json: a member of the OU passes a "deny outside the OU" (was: Unknown)', () => {
    const gets = withPathDeny('ForAllValues:StringNotLike', [
      'o-exmpl7a2b9c/r-exm1/ou-exm1-workload/*',
    ]);
    expect(gets.length).toBeGreaterThan(0);
    for (const l of gets) expect(l.decision, l.id).toBe('Allowed');
  });

  it('aws:PrincipalOrgPaths of another OU: the deny decides', () => {
    const gets = withPathDeny('ForAllValues:StringNotLike', [
      'o-exmpl7a2b9c/r-exm1/ou-exm1-other/*',
    ]);
    expect(gets.length).toBeGreaterThan(0);
    for (const l of gets) {
      expect(l.decision, l.id).toBe('ExplicitlyDenied');
      expect(l.deniedBy.map((r) => r.statement)).toEqual(['DenyOnPath']);
    }
  });

  it('aws:PrincipalOrgPaths is the parent path with a trailing slash, without the account id', () => {
    const exact = withPathDeny('ForAnyValue:StringEquals', [
      'o-exmpl7a2b9c/r-exm1/ou-exm1-workload/',
    ]);
    expect(exact.length).toBeGreaterThan(0);
    for (const l of exact) expect(l.decision, l.id).toBe('ExplicitlyDenied');
    for (const other of [
      'o-exmpl7a2b9c/r-exm1/ou-exm1-workload',
      'o-exmpl7a2b9c/r-exm1/ou-exm1-workload/111111111111/',
      'o-exmpl7a2b9c/r-exm1/',
    ]) {
      const gets = withPathDeny('ForAnyValue:StringEquals', [other]);
      expect(gets.length).toBeGreaterThan(0);
      for (const l of gets) expect(l.decision, `${other} ${l.id}`).toBe('Allowed');
    }
  });

  it('aws:PrincipalOrgPaths when parents.json does not lead the account to a root: Unknown, naming parents.json', () => {
    for (const parents of [
      { '111111111111': 'ou-exm1-workload' },
      { 'ou-exm1-workload': 'r-exm1' },
    ]) {
      const gets = withPathDeny(
        'ForAllValues:StringNotLike',
        ['o-exmpl7a2b9c/r-exm1/ou-exm1-workload/*'],
        (dir) => writeFileSync(join(dir, 'organization/parents.json'), JSON.stringify(parents)),
      );
      expect(gets.length).toBeGreaterThan(0);
      for (const l of gets) {
        expect(l.decision, l.id).toBe('Unknown');
        expect(l.missing, l.id).toContain('organization/parents.json');
        expect(l.why).toContain('`aws:PrincipalOrgPaths`');
      }
    }
  });

  it("aws:ResourceOrgPaths is the owner's path in parents.json", () => {
    const withIdentityDeny = (path: string) =>
      bucketLinks(
        links(
          copy((dir) => {
            const file = join(dir, '111111111111/iam.json');
            const iam = JSON.parse(readFileSync(file, 'utf8')) as {
              RoleDetailList: { Arn: string; RolePolicyList: object[] }[];
            };
            iam.RoleDetailList.find((r) => r.Arn === TOOLS_ROLE)!.RolePolicyList.push({
              PolicyName: 'workload-resources-only',
              PolicyDocument: {
                Version: '2012-10-17',
                Statement: [
                  {
                    Sid: 'DenyOutsideWorkloadResources',
                    Effect: 'Deny',
                    Action: 's3:*',
                    Resource: '*',
                    Condition: { 'ForAllValues:StringNotLike': { 'aws:ResourceOrgPaths': [path] } },
                  },
                ],
              },
            });
            writeFileSync(file, JSON.stringify(iam));
          }),
        ),
        TOOLS_ROLE,
      );
    const inside = withIdentityDeny('o-exmpl7a2b9c/r-exm1/ou-exm1-workload/*');
    expect(inside.length).toBeGreaterThan(0);
    for (const l of inside) expect(l.decision, l.id).toBe('Allowed');
    const outside = withIdentityDeny('o-exmpl7a2b9c/r-exm1/ou-exm1-other/*');
    expect(outside.length).toBeGreaterThan(0);
    for (const l of outside) {
      expect(l.decision, l.id).toBe('ExplicitlyDenied');
      expect(l.deniedBy.map((r) => r.statement)).toEqual(['DenyOutsideWorkloadResources']);
    }
  });

  it('aws:ResourceOrgID is uncertain on the owner side the same way', () => {
    const all = links(
      copy((dir) => {
        rmSync(join(dir, 'organization'), { recursive: true });
        // no perimeter on the bucket; the build role may only touch resources of its organization
        editBucketPolicy(dir, (policy) => {
          policy.Statement = policy.Statement.filter(
            (s) => (s as { Sid?: string }).Sid !== 'DenyOutsideOrganization',
          );
        });
        const file = join(dir, '111111111111/iam.json');
        const iam = JSON.parse(readFileSync(file, 'utf8')) as {
          RoleDetailList: { Arn: string; RolePolicyList: object[] }[];
        };
        const role = iam.RoleDetailList.find((r) => r.Arn === TOOLS_ROLE)!;
        role.RolePolicyList.push({
          PolicyName: 'own-org-only',
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Deny',
                Action: 's3:*',
                Resource: '*',
                Condition: { StringNotEquals: { 'aws:ResourceOrgID': 'o-exmpl7a2b9c' } },
              },
            ],
          },
        });
        writeFileSync(file, JSON.stringify(iam));
      }),
    );
    const tools = bucketLinks(all, TOOLS_ROLE);
    expect(tools.length).toBeGreaterThan(0);
    for (const l of tools) {
      expect(l.decision, l.id).toBe('Unknown');
      expect(l.why).toContain('`aws:ResourceOrgID`');
    }
  });
});

describe('SCP denials when the management account is not known', () => {
  const SCP_SCENARIO = 'fixtures/scenarios/scp-deny-assume-role';
  const ASSUME = 'DeployProd/DeployStack:action.assume-action-role:sts:AssumeRole';

  const assumeLink = (edit?: (dir: string) => void): ReportLink => {
    const dir = mkdtempSync(join(tmpdir(), 'permchain-scp-mgmt-'));
    COPIES.push(dir);
    cpSync(SCP_SCENARIO, dir, { recursive: true });
    edit?.(dir);
    return analyzeModel(loadSnapshot(dir)).pipelines[0]!.links.find((l) => l.id === ASSUME)!;
  };

  it('with describe-organization, the SCP deny stands', () => {
    const l = assumeLink();
    expect(l.decision).toBe('ExplicitlyDenied');
    expect(l.deniedBy.map((r) => r.policyType)).toEqual(['scp']);
  });

  it('without it, or unreadable, the SCP may not apply (the management account): Unknown', () => {
    const describe = 'organization/describe-organization.json';
    for (const edit of [
      (dir: string) => rmSync(join(dir, describe)),
      (dir: string) => writeFileSync(join(dir, describe), '{'),
      (dir: string) =>
        writeFileSync(
          join(dir, describe),
          JSON.stringify({ Organization: { MasterAccountId: 7 } }),
        ),
    ]) {
      const l = assumeLink(edit);
      expect(l.decision).toBe('Unknown');
      expect(l.missing).toEqual([describe]);
      expect(l.why).toContain('only SCPs deny it, and they may not apply');
    }
  });
});
