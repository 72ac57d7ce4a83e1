import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSnapshot } from '../../src/load/snapshot.js';
import {
  accountOfArn,
  findBucket,
  findCodeBuildProject,
  findDeploymentGroup,
  findLambda,
  findManagedPolicy,
  findPipeline,
  findRole,
  findUser,
  isAwsManagedKeyAlias,
  isManagedPolicyMissing,
  isManagementAccount,
  listPipelines,
  orgIdOf,
  parseArn,
  rcpLevels,
  resolveKmsKey,
  rolePolicies,
  scpLevels,
  userPolicies,
} from '../../src/model/queries.js';
import { isRegionName, looksLikeRegionName, partitionOfRegion } from '../../src/model/arn.js';
import type { Lookup, Model, RoleModel } from '../../src/model/types.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const TOOLS = '111111111111';
const PROD = '222222222222';
const BAD = '333333333333';
const MGMT = '999999999999';
const KEY = '1234abcd-12ab-34cd-56ef-1234567890ab';
const KEY_ARN = `arn:aws:kms:us-east-1:${TOOLS}:key/${KEY}`;
const PIPE_ROLE = `arn:aws:iam::${TOOLS}:role/service-role/pipeline-role`;

const two = loadSnapshot(join(FIXTURES, 'two-account'));
const broken = loadSnapshot(join(FIXTURES, 'broken'));

function value<T>(lookup: Lookup<T>): T {
  if (lookup.kind !== 'found') throw new Error(`expected found, got ${JSON.stringify(lookup)}`);
  return lookup.value;
}

function role(model: Model, arn: string): RoleModel {
  return value(findRole(model, arn));
}

describe('arn and region helpers', () => {
  it('parses ARNs whose resource holds colons and slashes', () => {
    expect(parseArn('arn:aws:lambda:us-east-1:111111111111:function:f:live')).toEqual({
      partition: 'aws',
      service: 'lambda',
      region: 'us-east-1',
      account: '111111111111',
      resource: 'function:f:live',
    });
    expect(parseArn('arn:aws:s3:::bucket/key')?.resource).toBe('bucket/key');
    expect(parseArn('arn:aws:s3')).toBeUndefined();
    expect(parseArn('not-an-arn')).toBeUndefined();
    expect(accountOfArn(PIPE_ROLE)).toBe(TOOLS);
    expect(accountOfArn('222222222222')).toBe(PROD);
    expect(accountOfArn('arn:aws:s3:::bucket')).toBeUndefined();
    expect(accountOfArn('arn:aws:iam::aws:policy/ReadOnlyAccess')).toBe('aws');
  });

  it.each([
    ['us-east-1', true],
    ['eu-central-2', true],
    ['us-gov-west-1', true],
    ['cn-north-1', true],
    ['ap-southeast-4', true],
    ['il-central-1', true],
    ['me-south-1', true],
    ['us-iso-east-1', true],
    ['us-isob-east-1', true],
    ['eu-isoe-west-1', true],
    ['ca-west-1', true],
    // AWS European Sovereign Cloud (partition aws-eusc): a longer area and a country
    ['eusc-de-east-1', true],
    ['eusc-fr-west-1', true],
    ['us-isof-south-1', true],
    ['mx-central-1', true],
    ['eusc-east-1', false],
    ['eusc-deu-east-1', false],
    ['europe-de-east-1', false],
    ['e-de-east-1', false],
    ['s3', false],
    ['kms', false],
    ['organization', false],
    ['us-east', false],
    ['us-east-01', false],
    ['us-east-1a', false],
    ['US-EAST-1', false],
    ['usa-east-1', false],
    ['us-foo-east-1', false],
    ['us-middle-1', false],
    ['us-east-1-1', false],
    [`us-${'east-'.repeat(10_000)}1`, false],
  ])('isRegionName(%j) is %s', (name, expected) => {
    expect(isRegionName(name)).toBe(expected);
  });

  it('maps regions to partitions', () => {
    expect(partitionOfRegion('eu-west-1')).toBe('aws');
    expect(partitionOfRegion('cn-northwest-1')).toBe('aws-cn');
    expect(partitionOfRegion('us-gov-east-1')).toBe('aws-us-gov');
    expect(partitionOfRegion('eusc-de-east-1')).toBe('aws-eusc');
    expect(partitionOfRegion('us-isof-south-1')).toBe('aws-iso-f');
    expect(partitionOfRegion(undefined)).toBe('aws');
  });

  it.each([
    ['us-east', true],
    ['US-EAST-1', true],
    ['us_east_1', true],
    ['us-east-01', true],
    ['us-east-1a', true],
    ['us-northeast1', true],
    ['useast-1', true],
    ['usa-east-1', true],
    ['us-foo-east-1', true],
    ['us-east-1', false],
    ['eusc-de-east-1', false],
    ['s3', false],
    ['codepipeline', false],
    ['backup-2024', false],
    ['node_modules', false],
    ['.git', false],
  ])('looksLikeRegionName(%j) is %s', (name, expected) => {
    expect(looksLikeRegionName(name)).toBe(expected);
  });
});

describe('principal lookups', () => {
  it('finds a role by its exact ARN; named with another path it is unknown, not that role', () => {
    expect(role(two, PIPE_ROLE).name).toBe('pipeline-role');
    // an IAM ARN holds the path: whether AWS resolves the name without it is not documented
    const pathless = findRole(two, `arn:aws:iam::${TOOLS}:role/pipeline-role`);
    expect(pathless.kind).toBe('missing');
    expect(pathless.kind === 'missing' && pathless.file).toContain(
      `(the role is \`${PIPE_ROLE}\`, named \`arn:aws:iam::${TOOLS}:role/pipeline-role\`: an IAM ARN includes the path)`,
    );
  });

  it('says absent for a role a complete iam.json does not list, missing without iam.json', () => {
    expect(findRole(two, `arn:aws:iam::${TOOLS}:role/nope`)).toEqual({
      kind: 'absent',
      file: `${TOOLS}/iam.json`,
      note: 'no role named `nope` in the account',
    });
    expect(findRole(two, `arn:aws:iam::444444444444:role/x`)).toEqual({
      kind: 'missing',
      file: '444444444444/iam.json',
    });
    expect(findRole(broken, `arn:aws:iam::444444444444:role/x`)).toEqual({
      kind: 'missing',
      file: '444444444444/iam.json',
    });
    expect(findRole(two, `arn:aws:iam::${TOOLS}:user/deployer`).kind).toBe('absent');
    expect(findRole(two, 'pipeline-role').kind).toBe('absent');
    expect(value(findUser(two, `arn:aws:iam::${TOOLS}:user/deployer`)).name).toBe('deployer');
  });

  it('collects a role’s identity policies and boundary', () => {
    const codebuild = role(two, `arn:aws:iam::${TOOLS}:role/codebuild-role`);
    const policies = rolePolicies(two, codebuild);
    expect(policies.identity.map((p) => p.name)).toEqual([
      `arn:aws:iam::${TOOLS}:policy/pipeline-kms`,
      'arn:aws:iam::aws:policy/AWSCodeBuildDeveloperAccess',
    ]);
    expect(policies.boundary?.name).toBe(`arn:aws:iam::${TOOLS}:policy/boundary`);
    expect(codebuild.boundaryArn).toBe(`arn:aws:iam::${TOOLS}:policy/boundary`);
    expect(policies.missing).toEqual([]);

    const pipeline = rolePolicies(two, role(two, PIPE_ROLE));
    expect(pipeline.identity.map((p) => p.name)).toEqual([
      `${PIPE_ROLE} (inline: pipeline-inline)`,
      `arn:aws:iam::${TOOLS}:policy/pipeline-kms`,
    ]);
    expect(pipeline).toMatchObject({ boundary: undefined, missing: [] });
    expect(role(two, PIPE_ROLE).boundaryArn).toBeUndefined();
  });

  it('names every unknown input of a role: missing managed policies and unreadable documents', () => {
    const arn = `arn:aws:iam::${BAD}:role/encoded-role`;
    // the role's Tags have a wrong shape: the lookup does not hand out what was left of it
    expect(findRole(broken, arn)).toEqual({
      kind: 'missing',
      file: `${BAD}/iam.json#/RoleDetailList/0/Tags (not readable)`,
      note: 'it could not be read in full',
    });
    const encoded = broken.accounts.get(BAD)!.iam!.roles.get(arn)!;
    const policies = rolePolicies(broken, encoded);
    expect(policies.identity.map((p) => p.name)).toEqual([
      `arn:aws:iam::${BAD}:role/encoded-role (inline: ok)`,
    ]);
    expect(policies.missing).toEqual([
      `${BAD}/iam.json#/RoleDetailList/0/RolePolicyList/1/PolicyDocument`,
      `arn:aws:iam::${BAD}:policy/gone`,
      'arn:aws:iam::aws:policy/AWSCodePipeline_FullAccess',
    ]);
    expect(isManagedPolicyMissing(broken, `arn:aws:iam::${BAD}:policy/gone`, BAD)).toBe(true);
    expect(isManagedPolicyMissing(broken, `arn:aws:iam::${BAD}:policy/nodefault`, BAD)).toBe(true);
    expect(findManagedPolicy(broken, `arn:aws:iam::${BAD}:policy/gone`, BAD)).toMatchObject({
      kind: 'missing',
      file: `${BAD}/iam.json`,
    });
    const cfn = role(two, `arn:aws:iam::${PROD}:role/cfn-exec-role`);
    expect(rolePolicies(two, cfn).missing).toEqual(['arn:aws:iam::aws:policy/AdministratorAccess']);
  });

  it('uses another account’s copy of an AWS-managed policy', () => {
    const copy = value(findManagedPolicy(two, 'arn:aws:iam::aws:policy/ReadOnlyAccess', PROD));
    expect(copy.location.file).toBe(`${TOOLS}/iam.json`);
    expect(isManagedPolicyMissing(two, 'arn:aws:iam::aws:policy/ReadOnlyAccess', PROD)).toBe(false);
  });

  it('adds group policies to a user and names a group that is not listed', () => {
    const user = value(findUser(two, `arn:aws:iam::${TOOLS}:user/deployer`));
    const policies = userPolicies(two, user);
    expect(policies.identity.map((p) => p.name)).toEqual([
      `arn:aws:iam::${TOOLS}:user/deployer (inline: pass)`,
      `arn:aws:iam::${TOOLS}:group/admins (inline: read)`,
      'arn:aws:iam::aws:policy/ReadOnlyAccess',
    ]);
    expect(policies.missing).toEqual([`arn:aws:iam::${TOOLS}:group/ghost-group`]);
  });
});

describe('organization levels', () => {
  it('are worked out once per model, account and kind (an analysis asks per role and resource)', () => {
    expect(scpLevels(two, TOOLS)).toBe(scpLevels(two, TOOLS));
    expect(rcpLevels(two, TOOLS)).toBe(rcpLevels(two, TOOLS));
    expect(rcpLevels(two, TOOLS)).not.toBe(scpLevels(two, TOOLS));
    expect(scpLevels(two, PROD)).not.toBe(scpLevels(two, TOOLS));
    // another model of the same folder has levels of its own
    const again = loadSnapshot(join(FIXTURES, 'two-account'));
    expect(scpLevels(again, TOOLS)).not.toBe(scpLevels(two, TOOLS));
    expect(scpLevels(again, TOOLS)).toEqual(scpLevels(two, TOOLS));
  });

  it('computes SCP levels root → OUs → account from parents.json and Targets', () => {
    const tools = scpLevels(two, TOOLS);
    expect(tools).toMatchObject({
      applies: true,
      targets: ['r-abcd', 'ou-abcd-tools111', TOOLS],
      missing: [],
      notes: [],
    });
    expect(tools.levels.map((l) => l.map((p) => p.name))).toEqual([
      ['p-FullAWSAccess (FullAWSAccess)'],
      ['p-FullAWSAccess (FullAWSAccess)'],
      ['p-FullAWSAccess (FullAWSAccess)'],
    ]);
    const prod = scpLevels(two, PROD);
    expect(prod.targets).toEqual(['r-abcd', 'ou-abcd-prod3333', 'ou-abcd-work2222', PROD]);
    expect(prod.levels.map((l) => l.map((p) => p.name))).toEqual([
      ['p-FullAWSAccess (FullAWSAccess)'],
      ['p-FullAWSAccess (FullAWSAccess)', 'p-denyregions1 (DenyOutsideEU)'],
      ['p-FullAWSAccess (FullAWSAccess)'],
      ['p-FullAWSAccess (FullAWSAccess)'],
    ]);
    expect(prod.missing).toEqual([]);
  });

  it('computes RCP levels; empty levels are normal (RCPFullAWSAccess is implicit)', () => {
    const prod = rcpLevels(two, PROD);
    expect(prod.applies).toBe(true);
    expect(prod.levels.map((l) => l.map((p) => p.name))).toEqual([
      [],
      [],
      [],
      ['p-rcpenforce1 (EnforceOrg)'],
    ]);
    expect(prod.missing).toEqual([]);
    expect(rcpLevels(two, TOOLS).levels).toEqual([[], [], []]);
  });

  it('does not apply guardrails to the management account or to accounts outside the organization', () => {
    expect(scpLevels(two, MGMT)).toEqual({
      applies: false,
      levels: [],
      targets: [],
      missing: [],
      notes: ['`999999999999` is the management account: scps do not apply to it'],
    });
    expect(rcpLevels(two, MGMT).applies).toBe(false);
    expect(scpLevels(two, '123456789012')).toMatchObject({
      applies: false,
      levels: [],
      missing: [],
    });
    expect(isManagementAccount(two, MGMT)).toBe(true);
    expect(isManagementAccount(two, TOOLS)).toBe(false);
    expect(isManagementAccount(broken, TOOLS)).toBeUndefined();
  });

  it('knows no guardrail without an organization folder', () => {
    const noOrg: Model = { ...two, organization: undefined };
    expect(scpLevels(noOrg, TOOLS)).toEqual({
      applies: false,
      levels: [],
      targets: [],
      missing: [],
      notes: ['no `organization/` folder in the snapshot: no scps are known'],
    });
    expect(orgIdOf(noOrg, TOOLS)).toBeUndefined();
    expect(isManagementAccount(noOrg, TOOLS)).toBeUndefined();
  });

  it('names the files that would settle broken or incomplete organization data', () => {
    // 444... is in a parent loop: nothing of its chain is used
    const loop = scpLevels(broken, '444444444444');
    expect(loop.applies).toBe(true);
    expect(loop.levels).toEqual([]);
    expect(loop.missing).toEqual([
      'organization/describe-organization.json',
      'organization/parents.json',
    ]);
    // 333... has a non-string parent, so it is not in parents.json: no policy is attached to it
    // (no level of it is known), and the SCP without Targets may apply at any of its levels
    const bad = scpLevels(broken, BAD);
    expect(bad.applies).toBe(true);
    expect(bad.levels).toEqual([]);
    expect(bad.missing).toEqual([
      'organization/describe-organization.json',
      'organization/parents.json',
      'organization/scp/p-notargets.json',
    ]);
    expect(rcpLevels(broken, '444444444444').missing).toEqual([
      'organization/describe-organization.json',
      'organization/parents.json',
      'organization/rcp/',
    ]);
  });

  it('reports SCPs without Targets, unreadable SCPs and empty SCP levels as missing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'permchain-org-'));
    try {
      const org = join(dir, 'organization');
      mkdirSync(join(org, 'scp'), { recursive: true });
      mkdirSync(join(org, 'rcp'), { recursive: true });
      writeFileSync(
        join(org, 'describe-organization.json'),
        JSON.stringify({ Organization: { Id: 'o-x', MasterAccountId: MGMT, FeatureSet: 'ALL' } }),
      );
      writeFileSync(join(org, 'parents.json'), JSON.stringify({ [TOOLS]: 'ou-1', 'ou-1': 'r-1' }));
      const full = JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
      });
      const target = (id: string, type: string): object => ({ TargetId: id, Type: type });
      writeFileSync(
        join(org, 'scp', 'p-full.json'),
        JSON.stringify({
          Policy: { PolicySummary: { Id: 'p-full', Name: 'Full' }, Content: full },
          Targets: [target('r-1', 'ROOT'), target(TOOLS, 'ACCOUNT')],
        }),
      );
      writeFileSync(
        join(org, 'scp', 'p-broken.json'),
        JSON.stringify({
          Policy: { PolicySummary: { Id: 'p-broken' }, Content: '{nope' },
          Targets: [target(TOOLS, 'ACCOUNT')],
        }),
      );
      writeFileSync(
        join(org, 'scp', 'p-nt.json'),
        JSON.stringify({ Policy: { PolicySummary: { Id: 'p-nt' }, Content: full } }),
      );
      const model = loadSnapshot(dir);
      const levels = scpLevels(model, TOOLS);
      expect(levels.targets).toEqual(['r-1', 'ou-1', TOOLS]);
      expect(levels.levels.map((l) => l.map((p) => p.name))).toEqual([
        ['p-full (Full)'],
        [],
        ['p-full (Full)'],
      ]);
      expect(levels.missing).toEqual([
        'organization/scp/',
        'organization/scp/p-broken.json',
        'organization/scp/p-nt.json',
      ]);
      expect(levels.notes).toHaveLength(3);
      // not listed in accounts.json (absent) and in parents.json: a member
      expect(orgIdOf(model, TOOLS)).toBe('o-x');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives the organization id of members only', () => {
    expect(orgIdOf(two, TOOLS)).toBe('o-abc123def4');
    expect(orgIdOf(two, MGMT)).toBe('o-abc123def4');
    expect(orgIdOf(two, '123456789012')).toBeUndefined();
    expect(orgIdOf(broken, '444444444444')).toBeUndefined(); // no describe-organization: id unknown
  });
});

describe('KMS key resolution', () => {
  it('resolves key ids, key ARNs, alias names and alias ARNs', () => {
    for (const ref of [
      KEY,
      KEY_ARN,
      `key/${KEY}`,
      'alias/pipeline-key',
      `arn:aws:kms:us-east-1:${TOOLS}:alias/pipeline-key`,
    ]) {
      expect(value(resolveKmsKey(two, TOOLS, 'us-east-1', ref)).arn, ref).toBe(KEY_ARN);
    }
    // an ARN decides account and region, whatever the caller passes
    expect(value(resolveKmsKey(two, PROD, 'eu-west-1', KEY_ARN)).keyId).toBe(KEY);
  });

  it('says which file would settle an unresolved key', () => {
    expect(resolveKmsKey(two, TOOLS, 'us-east-1', 'alias/aws/s3')).toEqual({
      kind: 'missing',
      file: `${TOOLS}/us-east-1/kms/aliases.json`,
      note: 'the aws-managed key `alias/aws/s3` is not in the snapshot',
    });
    expect(resolveKmsKey(two, TOOLS, 'us-east-1', 'alias/aws/lambda')).toEqual({
      kind: 'missing',
      file: `${TOOLS}/us-east-1/kms/0000aaaa-0000-0000-0000-000000000000.json`,
    });
    expect(resolveKmsKey(two, TOOLS, 'us-east-1', 'alias/nope')).toEqual({
      kind: 'absent',
      file: `${TOOLS}/us-east-1/kms/aliases.json`,
      note: 'no alias `alias/nope`',
    });
    expect(
      resolveKmsKey(
        two,
        TOOLS,
        'us-east-1',
        `arn:aws:kms:eu-west-1:${TOOLS}:alias/pipeline-key-eu`,
      ),
    ).toEqual({
      kind: 'missing',
      file: `${TOOLS}/eu-west-1/kms/aliases.json`,
    });
    expect(resolveKmsKey(two, PROD, 'us-east-1', 'abcd')).toEqual({
      kind: 'missing',
      file: `${PROD}/us-east-1/kms/abcd.json`,
    });
    expect(resolveKmsKey(broken, BAD, 'us-east-1', 'alias/x')).toEqual({
      kind: 'missing',
      file: `${BAD}/us-east-1/kms/aliases.json`,
    });
    expect(resolveKmsKey(two, TOOLS, 'us-east-1', 'arn:aws:s3:::bucket').kind).toBe('absent');
  });

  it('recognises AWS-managed key aliases', () => {
    expect(isAwsManagedKeyAlias('alias/aws/s3')).toBe(true);
    expect(isAwsManagedKeyAlias(`arn:aws:kms:us-east-1:${TOOLS}:alias/aws/s3`)).toBe(true);
    expect(isAwsManagedKeyAlias('alias/pipeline-key')).toBe(false);
    expect(isAwsManagedKeyAlias(KEY)).toBe(false);
  });
});

describe('resource lookups', () => {
  it('finds buckets in any account and names the expected file when missing', () => {
    expect(value(findBucket(two, 'artifact-bucket')).account).toBe(TOOLS);
    expect(findBucket(two, 'other', PROD)).toEqual({
      kind: 'missing',
      file: `${PROD}/s3/other.json`,
    });
    expect(findBucket(two, 'other')).toEqual({ kind: 'missing', file: '*/s3/other.json' });
  });

  it('finds CodeBuild projects; projectsNotFound is absent, an unlisted one is missing', () => {
    expect(value(findCodeBuildProject(two, TOOLS, 'us-east-1', 'app-build')).name).toBe(
      'app-build',
    );
    expect(
      value(
        findCodeBuildProject(
          two,
          PROD,
          'eu-west-1',
          `arn:aws:codebuild:us-east-1:${TOOLS}:project/app-build`,
        ),
      ).name,
    ).toBe('app-build');
    expect(findCodeBuildProject(two, TOOLS, 'us-east-1', 'app-deleted').kind).toBe('absent');
    expect(findCodeBuildProject(two, TOOLS, 'us-east-1', 'app-test')).toMatchObject({
      kind: 'missing',
      file: `${TOOLS}/us-east-1/codebuild.json`,
    });
    expect(findCodeBuildProject(broken, BAD, 'us-east-1', 'x')).toEqual({
      kind: 'missing',
      file: `${BAD}/us-east-1/codebuild.json`,
    });
  });

  it('finds lambdas (also by qualified ARN), deployment groups and pipelines', () => {
    expect(value(findLambda(two, TOOLS, 'us-east-1', 'notify')).name).toBe('notify');
    expect(
      value(
        findLambda(
          two,
          PROD,
          'eu-west-1',
          `arn:aws:lambda:us-east-1:${TOOLS}:function:notify:live`,
        ),
      ).name,
    ).toBe('notify');
    expect(findLambda(two, TOOLS, 'us-east-1', 'other')).toEqual({
      kind: 'missing',
      file: `${TOOLS}/us-east-1/lambda/other.json`,
    });
    expect(
      value(findDeploymentGroup(two, TOOLS, 'us-east-1', 'web', 'web-group')).serviceRoleArn,
    ).toBe(`arn:aws:iam::${TOOLS}:role/codedeploy-role`);
    expect(findDeploymentGroup(two, TOOLS, 'us-east-1', 'web', 'x')).toEqual({
      kind: 'missing',
      file: `${TOOLS}/us-east-1/codedeploy/web.x.json`,
    });
    expect(listPipelines(two).map((p) => p.arn)).toEqual([
      `arn:aws:codepipeline:us-east-1:${TOOLS}:app`,
    ]);
    expect(findPipeline(two, 'app')?.account).toBe(TOOLS);
    expect(findPipeline(two, `arn:aws:codepipeline:us-east-1:${TOOLS}:app`)?.name).toBe('app');
    expect(findPipeline(two, 'app', { region: 'eu-west-1' })).toBeUndefined();
    expect(listPipelines(broken).map((p) => p.name)).toEqual(['broken', 'half']);
  });
});

describe('lookups in lists that could not be read in full', () => {
  it('an alias missing from an aliases.json with an unreadable entry is unknown, not absent', () => {
    const dir = mkdtempSync(join(tmpdir(), 'permchain-aliases-'));
    const kms = join(dir, '111111111111', 'us-east-1', 'kms');
    mkdirSync(kms, { recursive: true });
    const write = (aliases: unknown[]): Model => {
      writeFileSync(join(kms, 'aliases.json'), JSON.stringify({ Aliases: aliases }));
      return loadSnapshot(dir);
    };
    const good = {
      AliasName: 'alias/other',
      AliasArn: 'arn:aws:kms:us-east-1:111111111111:alias/other',
      TargetKeyId: 'k-1',
    };
    const full = resolveKmsKey(write([good]), '111111111111', 'us-east-1', 'alias/app');
    expect(full.kind).toBe('absent');
    const partial = resolveKmsKey(
      write([good, 'alias/app']),
      '111111111111',
      'us-east-1',
      'alias/app',
    );
    expect(partial).toEqual({
      kind: 'missing',
      file: '111111111111/us-east-1/kms/aliases.json#/Aliases/1 (not readable)',
      note: 'the aliases could not be read in full, so `alias/app` may be one',
    });
  });
});
