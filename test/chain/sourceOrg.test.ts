/**
 * The organization of the account a service acts for (aws:SourceOrgID, aws:SourceOrgPaths) and
 * accounts an SCP or RCP is attached to (session 22 review of the organization handling).
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import type { ReportLink } from '../../src/report/types.js';
import { editJson, inScenarioCopy, type Json } from './scenarioCopy.js';

const ORG = 'o-exmpl7a2b9c';

/** rcp-data-perimeter with the RCP on 111111111111 holding `statement`. */
function withRcp(statement: Json): ReportLink[] {
  return inScenarioCopy('fixtures/scenarios/rcp-data-perimeter', (dir) => {
    editJson(join(dir, 'organization/rcp/p-exmrcp0005.json'), (d) => {
      (d['Policy'] as Json)['Content'] = JSON.stringify({
        Version: '2012-10-17',
        Statement: [statement],
      });
    });
    return analyzeModel(loadSnapshot(dir)).pipelines.flatMap((p) => p.links);
  });
}

/** Services assuming roles of 111111111111, the account the RCP is attached to. */
const assumedByServices = (links: ReportLink[]) =>
  links.filter(
    (l) =>
      l.permission === 'sts:AssumeRole' &&
      !l.principal.startsWith('arn:') &&
      l.resource.includes(':111111111111:'),
  );

describe('aws:SourceOrgID and aws:SourceOrgPaths', () => {
  it("AWS's confused-deputy RCP allows the services acting for the organization (was: read absent, every service role's assumption denied)", () => {
    // https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_examples.html
    const links = withRcp({
      Sid: 'EnforceConfusedDeputyProtection',
      Effect: 'Deny',
      Principal: '*',
      Action: ['s3:*', 'sqs:*', 'kms:*', 'secretsmanager:*', 'sts:*'],
      Resource: '*',
      Condition: {
        StringNotEqualsIfExists: { 'aws:SourceOrgID': ORG },
        Bool: { 'aws:PrincipalIsAWSService': 'true' },
        Null: { 'aws:SourceArn': 'false' },
      },
    });
    const assumed = assumedByServices(links);
    expect(assumed.length).toBeGreaterThan(0);
    for (const l of assumed) expect(l.decision, l.id).toBe('Allowed');
    // the control: another organization's id denies those that carry aws:SourceArn
    const other = assumedByServices(
      withRcp({
        Effect: 'Deny',
        Principal: '*',
        Action: 'sts:*',
        Resource: '*',
        Condition: {
          StringNotEqualsIfExists: { 'aws:SourceOrgID': 'o-someoneelse' },
          Bool: { 'aws:PrincipalIsAWSService': 'true' },
          Null: { 'aws:SourceArn': 'false' },
        },
      }),
    );
    expect(other.filter((l) => l.decision === 'ExplicitlyDenied').length).toBeGreaterThan(0);
  });

  // the source's path from parents.json: 111111111111 is under ou-exm1-workload, under r-exm1
  // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourceorgpaths)
  const pathDeny = (paths: string[]): Json => ({
    Sid: 'DenySourcePath',
    Effect: 'Deny',
    Principal: '*',
    Action: 'sts:AssumeRole',
    Resource: '*',
    Condition: {
      'ForAnyValue:StringLike': { 'aws:SourceOrgPaths': paths },
      Bool: { 'aws:PrincipalIsAWSService': 'true' },
    },
  });

  it('a Deny on the OU path of the source denies, derived from parents.json (was: Unknown; before that read absent, Allowed)', () => {
    const assumed = assumedByServices(withRcp(pathDeny([`${ORG}/r-exm1/ou-exm1-workload/*`])));
    expect(assumed.length).toBeGreaterThan(0);
    for (const l of assumed) {
      expect(l.decision, l.id).toBe('ExplicitlyDenied');
      expect(l.deniedBy.map((r) => r.statement)).toEqual(['DenySourcePath']);
    }
    // another OU's path does not
    const other = assumedByServices(withRcp(pathDeny([`${ORG}/r-exm1/ou-exm1-other/*`])));
    expect(other.length).toBeGreaterThan(0);
    for (const l of other) expect(l.decision, l.id).toBe('Allowed');
  });

  it('a Deny on an OU path of the source is not known without the account in parents.json', () => {
    const links = inScenarioCopy('fixtures/scenarios/rcp-data-perimeter', (dir) => {
      editJson(join(dir, 'organization/rcp/p-exmrcp0005.json'), (d) => {
        (d['Policy'] as Json)['Content'] = JSON.stringify({
          Version: '2012-10-17',
          Statement: [pathDeny([`${ORG}/r-exm1/ou-exm1-workload/*`])],
        });
      });
      editJson(join(dir, 'organization/parents.json'), (d) => {
        delete d['111111111111'];
      });
      return analyzeModel(loadSnapshot(dir)).pipelines.flatMap((p) => p.links);
    });
    const assumed = assumedByServices(links);
    expect(assumed.length).toBeGreaterThan(0);
    for (const l of assumed) {
      expect(l.decision, l.id).toBe('Unknown');
      expect(l.why).toContain('aws:SourceOrgPaths');
      expect(l.missing).toContain('organization/parents.json');
    }
  });
});

describe('an account an SCP is attached to', () => {
  it('is not read as outside the organization when accounts.json and parents.json leave it out (was: no SCP applied, Allowed)', () => {
    const links = inScenarioCopy('fixtures/scenarios/scp-deny-assume-role', (dir) => {
      editJson(join(dir, 'organization/accounts.json'), (d) => {
        d['Accounts'] = (d['Accounts'] as Json[]).filter((a) => a['Id'] !== '111111111111');
      });
      editJson(join(dir, 'organization/parents.json'), (d) => {
        delete d['111111111111'];
      });
      return analyzeModel(loadSnapshot(dir)).pipelines.flatMap((p) => p.links);
    });
    const assume = links.find(
      (l) => l.id === 'DeployProd/DeployStack:action.assume-action-role:sts:AssumeRole',
    )!;
    expect(assume.decision).not.toBe('Allowed');
  });
});

describe('RCPs that are not known', () => {
  it('make Unknown only the links of services RCPs apply to (was: every link, CloudFormation and IAM included)', () => {
    const links = inScenarioCopy('fixtures/scenarios/pass-cross-account', (dir) => {
      rmSync(join(dir, 'organization/rcp'), { recursive: true });
      return analyzeModel(loadSnapshot(dir)).pipelines.flatMap((p) => p.links);
    });
    const create = links.find(
      (l) =>
        l.id ===
        'DeployProd/DeployStack:cloudformation.create-update-stack:cloudformation:CreateStack',
    )!;
    expect(create.decision).toBe('Allowed');
    // S3, KMS and STS are RCP services: their links name the missing folder
    const s3 = links.filter((l) => l.permission.startsWith('s3:'));
    expect(s3.length).toBeGreaterThan(0);
    for (const l of s3) {
      expect(l.decision, l.id).toBe('Unknown');
      expect(l.missing?.join(' '), l.id).toContain('organization/rcp/');
    }
  });
});

describe('SCPs whose targets are not known', () => {
  const scp = (id: string, statement: Json) => ({
    Policy: {
      PolicySummary: {
        Id: id,
        Arn: `arn:aws:organizations::999999999999:policy/${ORG}/service_control_policy/${id}`,
        Name: id,
        Type: 'SERVICE_CONTROL_POLICY',
        AwsManaged: false,
      },
      Content: JSON.stringify({ Version: '2012-10-17', Statement: [statement] }),
    },
  });
  const createStack = (files: Record<string, Json>) =>
    inScenarioCopy('fixtures/scenarios/scp-allow-list-missing-service', (dir) => {
      for (const [id, doc] of Object.entries(files))
        writeFileSync(join(dir, `organization/scp/${id}.json`), JSON.stringify(doc));
      const links = analyzeModel(loadSnapshot(dir)).pipelines.flatMap((p) => p.links);
      return links.find((l) => l.permission === 'cloudformation:CreateStack')!;
    });
  const allow = scp('p-exmcfnallow', {
    Effect: 'Allow',
    Action: 'cloudformation:*',
    Resource: '*',
  });
  const deny = scp('p-exmsandbox', { Effect: 'Deny', Action: 'cloudformation:*', Resource: '*' });

  it('one that denies does not hide another that may allow at the level that lacks it (was: tried together only, denied)', () => {
    // the control: the allow alone may sit on the level that lacks it
    expect(createStack({ 'p-exmcfnallow': allow }).decision).toBe('Unknown');
    expect(createStack({ 'p-exmcfnallow': allow, 'p-exmsandbox': deny }).decision).toBe('Unknown');
  });
});
