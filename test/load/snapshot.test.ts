import { mkdtempSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSnapshot } from '../../src/load/snapshot.js';
import { findSnsTopic } from '../../src/model/queries.js';
import type { Model } from '../../src/model/types.js';
import type { Problem } from '../../src/problems.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const TOOLS = '111111111111';
const PROD = '222222222222';
const BAD = '333333333333';
const KEY = '1234abcd-12ab-34cd-56ef-1234567890ab';
const PIPE_ROLE = `arn:aws:iam::${TOOLS}:role/service-role/pipeline-role`;

const two = loadSnapshot(join(FIXTURES, 'two-account'));
const broken = loadSnapshot(join(FIXTURES, 'broken'));

/** JSON of the whole model, Maps and Sets included (plain JSON.stringify drops their content). */
function serialize(model: Model): string {
  return JSON.stringify(model, (_key, value: unknown) =>
    value instanceof Map
      ? Object.fromEntries(value)
      : value instanceof Set
        ? [...(value as Set<unknown>)]
        : value,
  );
}

const brief = (p: Problem): string => `${p.severity} ${p.file}#${p.pointer} ${p.id}`;

describe('loadSnapshot: two-account snapshot', () => {
  it('reads accounts and regions, ignoring unknown files and folders', () => {
    expect([...two.accounts.keys()]).toEqual([TOOLS, PROD]);
    expect([...two.accounts.get(TOOLS)!.regions.keys()]).toEqual(['us-east-1']);
    expect([...two.accounts.get(PROD)!.regions.keys()]).toEqual(['eu-west-1']);
    expect(two.root).toBe(join(FIXTURES, 'two-account'));
  });

  it('reports only the attached AWS-managed policy that is not in Policies', () => {
    expect(two.problems.map(brief)).toEqual([
      `warning ${PROD}/iam.json#/RoleDetailList/2 snapshot.iam.managed-policy-missing`,
    ]);
    expect(two.problems[0]!.message).toBe(
      'managed policy `arn:aws:iam::aws:policy/AdministratorAccess` is attached to `arn:aws:iam::222222222222:role/cfn-exec-role` but not in `Policies`: its permissions are unknown',
    );
  });

  it('reads roles with trust, inline, managed, boundary, tags and locations', () => {
    const iam = two.accounts.get(TOOLS)!.iam!;
    expect([...iam.roles.keys()]).toEqual([
      `arn:aws:iam::${TOOLS}:role/aws-service-role/codebuild.amazonaws.com/AWSServiceRoleForCodeBuild`,
      `arn:aws:iam::${TOOLS}:role/codebuild-role`,
      PIPE_ROLE,
    ]);
    const role = iam.roles.get(PIPE_ROLE)!;
    expect(role).toMatchObject({
      kind: 'role',
      name: 'pipeline-role',
      path: '/service-role/',
      roleId: 'AROAEXAMPLEPIPELINE1',
      account: TOOLS,
      managedPolicyArns: [`arn:aws:iam::${TOOLS}:policy/pipeline-kms`],
      boundaryArn: undefined,
      isServiceLinked: false,
      location: { file: `${TOOLS}/iam.json`, pointer: '/RoleDetailList/0' },
    });
    expect([...role.tags]).toEqual([['app', 'demo']]);
    expect(role.trustPolicy?.name).toBe(PIPE_ROLE);
    expect(role.trustPolicy?.source).toEqual({
      file: `${TOOLS}/iam.json`,
      pointer: '/RoleDetailList/0/AssumeRolePolicyDocument',
    });
    expect(role.trustPolicy?.statements[0]?.principal?.service).toEqual([
      'codepipeline.amazonaws.com',
    ]);
    expect(role.inlinePolicies).toHaveLength(1);
    expect(role.inlinePolicies[0]!.name).toBe('pipeline-inline');
    expect(role.inlinePolicies[0]!.policy?.name).toBe(`${PIPE_ROLE} (inline: pipeline-inline)`);
    expect(role.inlinePolicies[0]!.policy?.statements.map((s) => s.sid)).toEqual([
      'Artifacts',
      'AssumeCross',
    ]);

    const cb = iam.roles.get(`arn:aws:iam::${TOOLS}:role/codebuild-role`)!;
    expect(cb.boundaryArn).toBe(`arn:aws:iam::${TOOLS}:policy/boundary`);
    const slr = [...iam.roles.values()].find((r) => r.name === 'AWSServiceRoleForCodeBuild')!;
    expect(slr.isServiceLinked).toBe(true);
    expect(iam.truncated).toBe(false);
  });

  it('compiles the default version of each managed policy, named by its ARN', () => {
    const policies = two.accounts.get(TOOLS)!.iam!.policies;
    const kms = policies.get(`arn:aws:iam::${TOOLS}:policy/pipeline-kms`)!;
    expect(kms.defaultVersionId).toBe('v2');
    expect(kms.isAwsManaged).toBe(false);
    expect(kms.policy?.name).toBe(`arn:aws:iam::${TOOLS}:policy/pipeline-kms`);
    // v1 (a Deny *) is not the default version and must not be the one compiled
    expect(kms.policy?.statements.map((s) => s.effect)).toEqual(['Allow']);
    expect(kms.policy?.source?.pointer).toBe('/Policies/0/PolicyVersionList/1/Document');
    const awsManaged = policies.get('arn:aws:iam::aws:policy/AWSCodeBuildDeveloperAccess')!;
    expect(awsManaged.isAwsManaged).toBe(true);
  });

  it('reads users and groups', () => {
    const iam = two.accounts.get(TOOLS)!.iam!;
    const user = iam.users.get(`arn:aws:iam::${TOOLS}:user/deployer`)!;
    expect(user.groupNames).toEqual(['admins', 'ghost-group']);
    expect(user.inlinePolicies[0]!.policy?.name).toBe(
      `arn:aws:iam::${TOOLS}:user/deployer (inline: pass)`,
    );
    const group = iam.groups.get(`arn:aws:iam::${TOOLS}:group/admins`)!;
    expect(group.managedPolicyArns).toEqual(['arn:aws:iam::aws:policy/ReadOnlyAccess']);
  });

  it('reads the bucket file: JSON-string policy, location, encryption, ownership, public access block', () => {
    const bucket = two.accounts.get(TOOLS)!.buckets.get('artifact-bucket')!;
    expect(bucket).toMatchObject({
      name: 'artifact-bucket',
      arn: 'arn:aws:s3:::artifact-bucket',
      account: TOOLS,
      region: 'us-east-1', // LocationConstraint null
      encryption: {
        sseAlgorithm: 'aws:kms',
        kmsMasterKeyId: `arn:aws:kms:us-east-1:${TOOLS}:key/${KEY}`,
        bucketKeyEnabled: true,
      },
      ownership: 'BucketOwnerEnforced',
      publicAccessBlock: {
        blockPublicAcls: true,
        ignorePublicAcls: true,
        blockPublicPolicy: true,
        restrictPublicBuckets: true,
      },
      location: { file: `${TOOLS}/s3/artifact-bucket.json`, pointer: '' },
    });
    expect(bucket.policy?.name).toBe('arn:aws:s3:::artifact-bucket');
    expect(bucket.policy?.source).toEqual({
      file: `${TOOLS}/s3/artifact-bucket.json`,
      pointer: '/Policy',
    });
    expect(bucket.policy?.statements.map((s) => s.sid)).toEqual(['CrossAccount', 'DenyInsecure']);

    const eu = two.accounts.get(TOOLS)!.buckets.get('artifact-bucket-eu')!;
    expect(eu.region).toBe('eu-west-1'); // the legacy `EU` constraint
    expect(eu.policy).toBeNull(); // file present, no Policy: known, no bucket policy
    expect(eu.encryption).toBeUndefined();
  });

  it('reads the pipeline: artifact stores per region, stages, actions with roles and locations', () => {
    const region = two.accounts.get(TOOLS)!.regions.get('us-east-1')!;
    const p = region.pipelines.get('app')!;
    const file = `${TOOLS}/us-east-1/codepipeline/app.json`;
    expect(p).toMatchObject({
      name: 'app',
      account: TOOLS,
      region: 'us-east-1',
      arn: `arn:aws:codepipeline:us-east-1:${TOOLS}:app`,
      roleArn: PIPE_ROLE,
      pipelineType: 'V2',
      location: { file, pointer: '/pipeline' },
    });
    expect([...p.artifactStores.keys()]).toEqual(['eu-west-1', 'us-east-1']);
    expect(p.artifactStores.get('us-east-1')).toEqual({
      region: 'us-east-1',
      type: 'S3',
      bucket: 'artifact-bucket',
      encryptionKey: { id: `arn:aws:kms:us-east-1:${TOOLS}:key/${KEY}`, type: 'KMS' },
      location: { file, pointer: '/pipeline/artifactStores/us-east-1' },
    });
    expect(p.stages.map((s) => s.name)).toEqual(['Source', 'Build', 'Deploy']);
    const source = p.stages[0]!.actions[0]!;
    expect(source).toMatchObject({
      name: 'Source',
      category: 'Source',
      owner: 'AWS',
      provider: 'CodeCommit',
      version: '1',
      roleArn: `arn:aws:iam::${PROD}:role/source-action-role`,
      region: 'us-east-1',
      namespace: 'SourceVariables',
      inputArtifacts: [],
      outputArtifacts: ['SourceOutput'],
      runOrder: 1,
      location: { file, pointer: '/pipeline/stages/0/actions/0' },
    });
    expect(source.configuration).toEqual({
      BranchName: 'main',
      PollForSourceChanges: 'false',
      RepositoryName: 'app',
    });
    const test = p.stages[1]!.actions[1]!;
    expect(test).toMatchObject({
      name: 'Test',
      runOrder: 2,
      roleArn: undefined,
      region: undefined,
    });
    const deploy = p.stages[2]!.actions[0]!;
    expect(deploy.region).toBe('eu-west-1');
    expect(deploy.configuration['RoleArn']).toBe(`arn:aws:iam::${PROD}:role/cfn-exec-role`);
  });

  it('drops PLAINTEXT values from a CodeBuild action EnvironmentVariables and keeps references', () => {
    const build = two.accounts.get(TOOLS)!.regions.get('us-east-1')!.pipelines.get('app')!
      .stages[1]!.actions[0]!;
    expect(JSON.parse(build.configuration['EnvironmentVariables']!)).toEqual([
      { name: 'TOKEN', type: 'PLAINTEXT' },
      { name: 'DB_PASSWORD', type: 'PARAMETER_STORE', value: '/app/db-password' },
      { name: 'NOTYPE', type: 'PLAINTEXT' },
    ]);
  });

  it('reads CodeBuild projects and keeps only names, types and references of environment variables', () => {
    const cb = two.accounts.get(TOOLS)!.regions.get('us-east-1')!.codebuild!;
    expect(cb.notFound).toEqual(['app-deleted']);
    const project = cb.projects.get('app-build')!;
    expect(project).toMatchObject({
      arn: `arn:aws:codebuild:us-east-1:${TOOLS}:project/app-build`,
      serviceRole: `arn:aws:iam::${TOOLS}:role/codebuild-role`,
      encryptionKey: 'alias/pipeline-key',
      environment: {
        image: `${TOOLS}.dkr.ecr.us-east-1.amazonaws.com/team/app:latest`,
        imagePullCredentialsType: 'SERVICE_ROLE',
        privilegedMode: true,
        registryCredential: {
          credential: `arn:aws:secretsmanager:us-east-1:${TOOLS}:secret:dockerhub`,
          credentialProvider: 'SECRETS_MANAGER',
        },
      },
      source: { type: 'CODEPIPELINE' },
      artifacts: { type: 'CODEPIPELINE', encryptionDisabled: false },
      logsConfig: {
        cloudWatchLogs: { status: 'ENABLED', groupName: '/codebuild/app' },
        s3Logs: { status: 'DISABLED' },
      },
      vpcConfig: { vpcId: 'vpc-1', subnets: ['subnet-1', 'subnet-2'], securityGroupIds: ['sg-1'] },
      location: { file: `${TOOLS}/us-east-1/codebuild.json`, pointer: '/projects/0' },
    });
    expect(project.environment!.environmentVariables).toEqual([
      { name: 'API_KEY', type: 'PLAINTEXT', reference: undefined },
      { name: 'DB', type: 'PARAMETER_STORE', reference: '/app/db' },
      { name: 'GH', type: 'SECRETS_MANAGER', reference: 'prod/github:token' },
      { name: 'DEFAULTED', type: 'PLAINTEXT', reference: undefined },
    ]);
    expect(
      project.secondarySources.map((s) => [s.sourceIdentifier, s.authType, s.authResource]),
    ).toEqual([
      ['lib', 'CODECONNECTIONS', `arn:aws:codeconnections:us-east-1:${TOOLS}:connection/abc`],
      ['old', 'OAUTH', undefined],
    ]);
    // a codebuild.json that lists nothing is still known
    expect(two.accounts.get(PROD)!.regions.get('eu-west-1')!.codebuild!.projects.size).toBe(0);
  });

  it('never keeps secrets anywhere in the model', () => {
    const json = serialize(two);
    for (const secret of [
      'CODEBUILD-PLAINTEXT-SECRET',
      'CODEBUILD-DEFAULT-TYPE-SECRET',
      'PIPELINE-PLAINTEXT-SECRET',
      'PIPELINE-DEFAULT-TYPE-SECRET',
      'BUILDSPEC-SECRET',
      'OAUTH-TOKEN-SECRET',
      'LAMBDA-ENV-SECRET',
      'LAMBDA-CODE-URL-SECRET',
      'EVENT-INPUT-SECRET',
      'root@example.com',
    ]) {
      expect(json, secret).not.toContain(secret);
    }
    // the serializer does reach into maps: names and references are there
    expect(json).toContain('API_KEY');
    expect(json).toContain('prod/github:token');
    expect(serialize(broken)).not.toContain('HALF-PARSED-SECRET');
  });

  it('reads KMS keys with key policy, grants and aliases', () => {
    const region = two.accounts.get(TOOLS)!.regions.get('us-east-1')!;
    const key = region.kmsKeys.get(KEY)!;
    expect(key).toMatchObject({
      keyId: KEY,
      arn: `arn:aws:kms:us-east-1:${TOOLS}:key/${KEY}`,
      account: TOOLS,
      region: 'us-east-1',
      keyManager: 'CUSTOMER',
      keySpec: 'SYMMETRIC_DEFAULT',
      keyUsage: 'ENCRYPT_DECRYPT',
      keyState: 'Enabled',
      enabled: true,
      multiRegion: false,
      aliases: ['alias/pipeline-key'],
      location: { file: `${TOOLS}/us-east-1/kms/${KEY}.json`, pointer: '' },
    });
    expect(key.policy?.name).toBe(key.arn);
    expect(key.policy?.source?.pointer).toBe('/Policy');
    expect(key.grants).toHaveLength(1);
    expect(key.grants![0]).toMatchObject({
      grantId: 'g-1',
      granteePrincipal: `arn:aws:iam::${TOOLS}:role/codebuild-role`,
      operations: ['Decrypt', 'GenerateDataKey'],
      encryptionContextEquals: undefined,
      location: { file: `${TOOLS}/us-east-1/kms/${KEY}.json`, pointer: '/Grants/0' },
    });
    expect([...key.grants![0]!.encryptionContextSubset!]).toEqual([
      ['aws:s3:arn', 'arn:aws:s3:::artifact-bucket'],
    ]);
    expect([...region.aliases!.keys()]).toEqual([
      'alias/aws/lambda',
      'alias/aws/s3',
      'alias/pipeline-key',
    ]);
    expect(region.aliases!.get('alias/aws/s3')!.targetKeyId).toBeUndefined();
  });

  it('reads lambda, codedeploy, events, ecr (nested name) and sns', () => {
    const region = two.accounts.get(TOOLS)!.regions.get('us-east-1')!;
    const fn = region.lambdas.get('notify')!;
    expect(fn).toMatchObject({
      arn: `arn:aws:lambda:us-east-1:${TOOLS}:function:notify`,
      role: `arn:aws:iam::${TOOLS}:role/notify-role`,
    });
    expect(fn.policy?.statements[0]?.sid).toBe('events');

    expect([...region.deploymentGroups.keys()]).toEqual(['web/web-group']);
    expect(region.deploymentGroups.get('web/web-group')).toMatchObject({
      application: 'web',
      name: 'web-group',
      serviceRoleArn: `arn:aws:iam::${TOOLS}:role/codedeploy-role`,
      computePlatform: 'Server',
      location: {
        file: `${TOOLS}/us-east-1/codedeploy/web.web-group.json`,
        pointer: '/deploymentGroupInfo',
      },
    });

    const events = region.events!;
    expect([...events.rules.keys()]).toEqual(['nightly', 'on-push']);
    expect(events.rules.get('nightly')!.targets).toBeUndefined(); // no Targets entry: unknown
    expect(events.rules.get('on-push')!.targets).toEqual([
      {
        id: 'pipeline',
        arn: `arn:aws:codepipeline:us-east-1:${TOOLS}:app`,
        roleArn: `arn:aws:iam::${TOOLS}:role/events-role`,
        location: { file: `${TOOLS}/us-east-1/events.json`, pointer: '/Targets/on-push/0' },
      },
    ]);

    const repo = region.ecrRepositories.get('team/app')!;
    expect(repo.arn).toBe(`arn:aws:ecr:us-east-1:${TOOLS}:repository/team/app`);
    expect(repo.location.file).toBe(`${TOOLS}/us-east-1/ecr/team/app.json`);
    expect(repo.policy?.source?.pointer).toBe('/policyText');

    const topic = region.snsTopics.get('approvals')!;
    expect(topic.arn).toBe(`arn:aws:sns:us-east-1:${TOOLS}:approvals`);
    expect(topic.kmsMasterKeyId).toBe('alias/aws/sns');
    expect(topic.policy?.source?.pointer).toBe('/Attributes/Policy');
  });

  it('reads the organization', () => {
    const org = two.organization!;
    expect(org).toMatchObject({
      id: 'o-abc123def4',
      managementAccountId: '999999999999',
      featureSet: 'ALL',
      rootIds: ['r-abcd'],
      loaded: { describe: true, parents: true, accounts: true, scp: true, rcp: true },
    });
    expect(org.parents.get(PROD)).toBe('ou-abcd-work2222');
    expect([...org.accounts.keys()]).toEqual(['111111111111', '222222222222', '999999999999']);
    expect(org.scps.map((p) => [p.id, p.policy?.name, p.targets?.length])).toEqual([
      ['p-FullAWSAccess', 'p-FullAWSAccess (FullAWSAccess)', 6],
      ['p-denyregions1', 'p-denyregions1 (DenyOutsideEU)', 1],
    ]);
    expect(org.rcps[0]).toMatchObject({
      id: 'p-rcpenforce1',
      targets: [PROD],
      location: { file: 'organization/rcp/p-rcpenforce1.json', pointer: '/Policy/Content' },
    });
    expect(org.rcps[0]!.policy?.source).toEqual({
      file: 'organization/rcp/p-rcpenforce1.json',
      pointer: '/Policy/Content',
    });
  });

  it('loads deterministically', () => {
    expect(serialize(loadSnapshot(join(FIXTURES, 'two-account')))).toBe(serialize(two));
  });
});

describe('loadSnapshot: broken snapshot', () => {
  it('reports every problem with its file, pointer and id, and keeps going', () => {
    expect(broken.problems.map(brief)).toEqual([
      `warning ${BAD}/iam.json#/Policies/0/DefaultVersionId snapshot.iam.default-version-missing`,
      `warning ${BAD}/iam.json#/RoleDetailList/0 snapshot.iam.managed-policy-missing`,
      `warning ${BAD}/iam.json#/RoleDetailList/0 snapshot.iam.managed-policy-missing`,
      `error ${BAD}/iam.json#/RoleDetailList/0/RolePolicyList/1/PolicyDocument policy.json.invalid`,
      `error ${BAD}/iam.json#/RoleDetailList/0/Tags snapshot.shape.invalid`,
      `error ${BAD}/iam.json#/RoleDetailList/1 snapshot.shape.invalid`,
      `error ${BAD}/iam.json#/RoleDetailList/2 snapshot.shape.invalid`,
      `error ${BAD}/iam.json#/RoleDetailList/3/AttachedManagedPolicies/0 snapshot.shape.invalid`,
      `error ${BAD}/iam.json#/RoleDetailList/3/RolePolicyList snapshot.shape.invalid`,
      `error ${BAD}/iam.json#/UserDetailList snapshot.shape.invalid`,
      `error ${BAD}/s3/array.json# snapshot.shape.invalid`,
      `error ${BAD}/s3/bad-json.json# snapshot.json.invalid`,
      `error ${BAD}/s3/bad-policy.json#/Policy policy.statement.missing`,
      `error ${BAD}/s3/bad-policy.json#/PublicAccessBlockConfiguration/BlockPublicAcls snapshot.shape.invalid`,
      `error ${BAD}/s3/empty-file.json# snapshot.json.invalid`,
      `error ${BAD}/us-east-1/codebuild.json# snapshot.shape.invalid`,
      `error ${BAD}/us-east-1/codepipeline/broken.json#/pipeline/stages snapshot.shape.invalid`,
      `error ${BAD}/us-east-1/codepipeline/half.json#/pipeline snapshot.shape.invalid`,
      `error ${BAD}/us-east-1/codepipeline/half.json#/pipeline/artifactStore snapshot.shape.invalid`,
      `error ${BAD}/us-east-1/codepipeline/half.json#/pipeline/stages snapshot.shape.invalid`,
      `error ${BAD}/us-east-1/codepipeline/half.json#/pipeline/stages/0/actions/0/configuration/Nested snapshot.shape.invalid`,
      `error ${BAD}/us-east-1/codepipeline/half.json#/pipeline/stages/0/actions/1 snapshot.shape.invalid`,
      `error ${BAD}/us-east-1/codepipeline/half.json#/pipeline/stages/0/actions/2/configuration/EnvironmentVariables snapshot.codepipeline.environment-variables-invalid`,
      `error ${BAD}/us-east-1/codepipeline/not-json.json# snapshot.json.invalid`,
      `error ${BAD}/us-east-1/events.json#/Targets/r1 snapshot.shape.invalid`,
      `warning ${BAD}/us-east-1/kms/no-policy-key.json# snapshot.kms.policy-missing`,
      'error 444444444444/us-west-2/sns/t.json#/Attributes snapshot.shape.invalid',
      `error organization/parents.json#/333333333333 snapshot.shape.invalid`,
      `error organization/parents.json#/ou-loop-a snapshot.organization.parents-cycle`,
      `warning organization/scp/p-notargets.json# snapshot.organization.targets-missing`,
    ]);
  });

  it('writes messages in the house style and never quotes file contents', () => {
    for (const p of broken.problems) {
      expect(p.message).not.toMatch(/\.$/);
      expect(p.message[0]).toBe(p.message[0]!.toLowerCase());
    }
    const byFile = (file: string): Problem[] => broken.problems.filter((p) => p.file === file);
    expect(byFile(`${BAD}/s3/bad-json.json`)[0]!.message).toBe('not valid json: line 3 column 3');
    expect(byFile(`${BAD}/s3/empty-file.json`)[0]!.message).toBe(
      'not valid json: the file is empty',
    );
    expect(byFile(`${BAD}/iam.json`).find((p) => p.pointer === '/RoleDetailList/1')!.message).toBe(
      'missing required key `RoleName`',
    );
    expect(byFile(`${BAD}/iam.json`).find((p) => p.pointer === '/UserDetailList')!.message).toBe(
      'expected an array, got a number',
    );
  });

  it('keeps what it could read from a file with wrong shapes', () => {
    const iam = broken.accounts.get(BAD)!.iam!;
    expect([...iam.roles.keys()]).toEqual([
      `arn:aws:iam::${BAD}:role/bad-lists`,
      `arn:aws:iam::${BAD}:role/encoded-role`,
    ]);
    expect(iam.users.size).toBe(0);
    const bad = iam.roles.get(`arn:aws:iam::${BAD}:role/bad-lists`)!;
    expect(bad.inlinePolicies).toEqual([]);
    expect(bad.managedPolicyArns).toEqual([]);
    expect(bad.trustPolicy?.statements).toHaveLength(1);
    // a policy without a default version is kept, with an unknown document
    expect(iam.policies.get(`arn:aws:iam::${BAD}:policy/nodefault`)!.policy).toBeUndefined();
  });

  it('accepts policies as objects, JSON strings and URL-encoded JSON strings', () => {
    const role = broken.accounts.get(BAD)!.iam!.roles.get(`arn:aws:iam::${BAD}:role/encoded-role`)!;
    expect(role.trustPolicy?.statements[0]?.principal?.service).toEqual([
      'codepipeline.amazonaws.com',
    ]);
    expect(role.inlinePolicies.map((p) => [p.name, p.policy === undefined])).toEqual([
      ['ok', false],
      ['broken', true],
    ]);
    expect(role.inlinePolicies[1]!.location).toEqual({
      file: `${BAD}/iam.json`,
      pointer: '/RoleDetailList/0/RolePolicyList/1/PolicyDocument',
    });
    // attached but missing: kept as an ARN so callers can see the gap
    expect(role.managedPolicyArns).toEqual([
      `arn:aws:iam::${BAD}:policy/gone`,
      'arn:aws:iam::aws:policy/AWSCodePipeline_FullAccess',
    ]);
    const encoded = broken.accounts.get(BAD)!.buckets.get('encoded-policy')!;
    expect(encoded.policy?.statements[0]?.principal?.any).toBe(true);
  });

  it('tells null (known: no policy) from undefined (unknown)', () => {
    const account = broken.accounts.get(BAD)!;
    expect(account.buckets.get('empty-bucket')!.policy).toBeNull();
    expect(account.buckets.get('empty-bucket')!.region).toBeUndefined();
    expect(account.buckets.get('bad-policy')!.policy).toBeUndefined(); // present but not compilable
    expect(account.buckets.get('bad-policy')!.region).toBe('eu-central-1');
    expect(account.buckets.has('bad-json')).toBe(false); // unreadable: unknown
    expect(account.buckets.has('array')).toBe(false);
    const region = account.regions.get('us-east-1')!;
    expect(region.codebuild).toBeUndefined(); // wrong shape: unknown, not "no projects"
    expect(region.aliases).toBeUndefined(); // kms/ has no aliases.json
    expect(region.kmsKeys.get('no-policy-key')).toMatchObject({
      policy: undefined,
      keyManager: 'AWS',
    });
    expect(region.lambdas.get('nopolicy')!.policy).toBeNull();
    expect(region.lambdas.get('nopolicy')!.arn).toBe(
      `arn:aws:lambda:us-east-1:${BAD}:function:nopolicy`,
    );
    // a target that could not be read may be the one that matters: the targets are unknown
    expect(region.events!.rules.get('r1')!.targets).toBeUndefined();
    const other = broken.accounts.get('444444444444')!;
    expect(other.iam).toBeUndefined(); // no iam.json: unknown
    // a topic file without `Attributes` ({}): its policy and key are not known, not "none"
    expect(findSnsTopic(broken, '444444444444', 'us-west-2', 't')).toMatchObject({
      kind: 'missing',
      file: '444444444444/us-west-2/sns/t.json#/Attributes (not readable)',
    });
    expect(other.regions.get('us-west-2')!.codebuild).toBeUndefined();
    expect(other.regions.get('us-west-2')!.events).toBeUndefined();
  });

  it('keeps the readable parts of a broken pipeline, and what it cannot read as unsettled', () => {
    const pipelines = broken.accounts.get(BAD)!.regions.get('us-east-1')!.pipelines;
    expect([...pipelines.keys()]).toEqual(['broken', 'half']);
    const file = `${BAD}/us-east-1/codepipeline`;
    // stages that are not a list: one unsettled action stands for them
    expect(
      pipelines.get('broken')!.stages.map((s) => [s.name, s.actions.map((a) => a.unsettled)]),
    ).toEqual([['(stages)', [`${file}/broken.json#/pipeline/stages (not readable)`]]]);
    const half = pipelines.get('half')!;
    expect(half.roleArn).toBeUndefined();
    expect(half.artifactStores.size).toBe(0);
    expect(half.arn).toBe(`arn:aws:codepipeline:us-east-1:${BAD}:half`);
    const actions = half.stages[0]!.actions;
    expect(actions.map((a) => [a.name, a.unsettled])).toEqual([
      // a configuration value of the wrong type may be one that shapes the chain
      ['ok', `${file}/half.json#/pipeline/stages/0/actions/0/configuration/Nested (not readable)`],
      // no actionTypeId: which provider runs is not known
      ['no-type', `${file}/half.json#/pipeline/stages/0/actions/1 (not readable)`],
      // an EnvironmentVariables value that is not json is an input error and a placeholder (the
      // parameters and secrets it names are unknown); the rest of the action is still read
      ['bad-env', undefined],
    ]);
    const env = actions[2]!.configuration['EnvironmentVariables'];
    expect(actions[2]!.configuration).toEqual({ EnvironmentVariables: env, ProjectName: 'p' });
    expect(broken.unresolved?.get(env!)?.location).toEqual({
      file: `${file}/half.json`,
      pointer: '/pipeline/stages/0/actions/2/configuration/EnvironmentVariables',
    });
  });
});

describe('loadSnapshot: edge cases', () => {
  it('returns a problem, not a throw, for a folder that does not exist', () => {
    const model = loadSnapshot(join(FIXTURES, 'does-not-exist'));
    expect(model.accounts.size).toBe(0);
    expect(model.organization).toBeUndefined();
    expect(model.problems).toEqual([
      {
        pointer: '',
        message: `snapshot folder \`${join(FIXTURES, 'does-not-exist')}\` does not exist or is not a folder`,
        id: 'snapshot.root.missing',
        severity: 'error',
      },
    ]);
  });

  it('returns a problem for a file given instead of a folder', () => {
    const model = loadSnapshot(join(FIXTURES, 'two-account', 'README.txt'));
    expect(model.problems.map((p) => p.id)).toEqual(['snapshot.root.missing']);
  });

  it('reads an empty folder as an empty, unknown model', () => {
    const dir = mkdtempSync(join(tmpdir(), 'permchain-snapshot-'));
    try {
      const model = loadSnapshot(dir);
      expect(model).toMatchObject({ problems: [], organization: undefined });
      expect(model.accounts.size).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('treats an organization folder without scp/ as unknown guardrails and an empty scp/ as known', () => {
    const dir = mkdtempSync(join(tmpdir(), 'permchain-snapshot-'));
    try {
      mkdirSync(join(dir, 'organization', 'rcp'), { recursive: true });
      writeFileSync(join(dir, 'organization', 'parents.json'), '{"111111111111": "r-x"}');
      const model = loadSnapshot(dir);
      expect(model.organization!.loaded).toEqual({
        describe: false,
        parents: true,
        accounts: false,
        scp: false,
        rcp: true,
      });
      expect(model.organization!.rootIds).toEqual(['r-x']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses parents.json entries that are not organization ids, and keeps the others', () => {
    const dir = mkdtempSync(join(tmpdir(), 'permchain-snapshot-'));
    try {
      mkdirSync(join(dir, 'organization'), { recursive: true });
      writeFileSync(
        join(dir, 'organization', 'parents.json'),
        JSON.stringify({
          '111111111111': 'ou-ab12-workload',
          'ou-ab12-workload': '"r-ab12"',
          'ou-ab12-other001': 'r-ab12',
          '22222': 'ou-ab12-other001',
          'Root ': 'r-ab12',
          '333333333333': `ou-${'x'.repeat(200)} `,
        }),
      );
      const model = loadSnapshot(dir);
      expect(
        model.problems.map((p) => `${p.severity} ${p.file}#${p.pointer} ${p.id}`).sort(),
      ).toEqual([
        'error organization/parents.json#/22222 snapshot.organization.id-invalid',
        'error organization/parents.json#/333333333333 snapshot.organization.id-invalid',
        'error organization/parents.json#/Root  snapshot.organization.id-invalid',
        'error organization/parents.json#/ou-ab12-workload snapshot.organization.id-invalid',
      ]);
      expect(model.problems.find((p) => p.pointer === '/ou-ab12-workload')!.message).toBe(
        'expected a root id (`r-...`) or an OU id (`ou-...`) as the parent, got `"r-ab12"`',
      );
      // a value too long to show is cut
      expect(model.problems.find((p) => p.pointer === '/333333333333')!.message).toMatch(
        /got `ou-x+`… \(204 characters\)$/,
      );
      expect([...model.organization!.parents]).toEqual([
        ['111111111111', 'ou-ab12-workload'],
        ['ou-ab12-other001', 'r-ab12'],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads a region folder of any partition, and warns about a folder that is almost one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'permchain-snapshot-'));
    try {
      const pipeline = (region: string): string =>
        JSON.stringify({
          pipeline: {
            name: 'p',
            roleArn: `arn:aws-eusc:iam::${TOOLS}:role/r`,
            artifactStore: { type: 'S3', location: 'b' },
            // CodePipeline requires two stages of one action at least
            stages: ['A', 'B'].map((name) => ({
              name,
              actions: [
                {
                  name: 'Approve',
                  actionTypeId: {
                    category: 'Approval',
                    owner: 'AWS',
                    provider: 'Manual',
                    version: '1',
                  },
                },
              ],
            })),
          },
          metadata: { pipelineArn: `arn:aws-eusc:codepipeline:${region}:${TOOLS}:p` },
        });
      for (const region of ['eusc-de-east-1', 'us-east-01', 'US-EAST-1']) {
        mkdirSync(join(dir, TOOLS, region, 'codepipeline'), { recursive: true });
        writeFileSync(join(dir, TOOLS, region, 'codepipeline', 'p.json'), pipeline(region));
      }
      mkdirSync(join(dir, TOOLS, 'notes'));
      const model = loadSnapshot(dir);
      const account = model.accounts.get(TOOLS)!;
      expect([...account.regions.keys()]).toEqual(['eusc-de-east-1']);
      expect(account.regions.get('eusc-de-east-1')!.pipelines.get('p')!.arn).toBe(
        `arn:aws-eusc:codepipeline:eusc-de-east-1:${TOOLS}:p`,
      );
      expect(model.problems.map(brief)).toEqual([
        `warning ${TOOLS}/US-EAST-1# snapshot.region.unrecognized`,
        `warning ${TOOLS}/us-east-01# snapshot.region.unrecognized`,
      ]);
      expect(model.problems[1]!.message).toBe(
        'the folder `us-east-01` is not read: its name is not an AWS region name (like `us-east-1`, `us-gov-west-1`, `eusc-de-east-1`)',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('builds ARNs of the partition of the region folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'permchain-snapshot-'));
    try {
      mkdirSync(join(dir, TOOLS, 'eusc-de-east-1', 'lambda'), { recursive: true });
      writeFileSync(join(dir, TOOLS, 'eusc-de-east-1', 'lambda', 'fn.json'), '{}');
      const model = loadSnapshot(dir);
      const region = model.accounts.get(TOOLS)!.regions.get('eusc-de-east-1')!;
      expect(region.lambdas.get('fn')!.arn).toBe(
        `arn:aws-eusc:lambda:eusc-de-east-1:${TOOLS}:function:fn`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // the 60 s timeout is a hang guard for the link loop, not a speed measurement
  it('reads ECR repositories as deep as their names go, and walks a linked folder once', () => {
    const dir = mkdtempSync(join(tmpdir(), 'permchain-snapshot-'));
    try {
      const ecr = join(dir, TOOLS, 'us-east-1', 'ecr');
      // 12 parts: more than the 9 the walk used to reach
      const deep = Array.from({ length: 12 }, (_, i) => `p${i}`).join('/');
      mkdirSync(join(ecr, deep, '..'), { recursive: true });
      writeFileSync(join(ecr, `${deep}.json`), '{}');
      // a folder too deep for any name (a name has at most 256 characters)
      const tooDeep = Array.from({ length: 130 }, () => 'x').join('/');
      mkdirSync(join(ecr, tooDeep), { recursive: true });
      writeFileSync(join(ecr, tooDeep, 'y.json'), '{}');
      // a link back up: a loop, walked once
      mkdirSync(join(ecr, 'team'));
      writeFileSync(join(ecr, 'team', 'app.json'), '{}');
      symlinkSync('..', join(ecr, 'team', 'loop'));
      const model = loadSnapshot(dir);
      const repos = model.accounts.get(TOOLS)!.regions.get('us-east-1')!.ecrRepositories;
      expect([...repos.keys()].sort()).toEqual([deep, 'team/app']);
      expect(repos.get(deep)!.arn).toBe(`arn:aws:ecr:us-east-1:${TOOLS}:repository/${deep}`);
      const base = `${TOOLS}/us-east-1/ecr`;
      const tooLong = Array.from({ length: 128 }, () => 'x').join('/');
      expect(model.problems.map(brief)).toEqual([
        `warning ${base}/team/loop# snapshot.folder.skipped`,
        `warning ${base}/${tooLong}# snapshot.folder.skipped`,
      ]);
      expect(model.problems[0]!.message).toBe(
        'the folder `team/loop` is not read: it is the folder `.` (a link), which is read already',
      );
      expect(model.problems[1]!.message).toBe(
        `the folder \`${tooLong}\` is not read: no ECR repository name is longer than 256 characters`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  // the 60 s timeout is a hang guard for the 100,000-level nesting and the 1 MB string (a
  // recursive or quadratic reader), not a speed measurement
  it('survives hostile input: deep nesting and a huge string', () => {
    const dir = mkdtempSync(join(tmpdir(), 'permchain-snapshot-'));
    try {
      mkdirSync(join(dir, '555555555555', 's3'), { recursive: true });
      const deep = '['.repeat(100_000) + ']'.repeat(100_000);
      writeFileSync(join(dir, '555555555555', 's3', 'deep.json'), `{"Policy": ${deep}}`);
      writeFileSync(
        join(dir, '555555555555', 'iam.json'),
        `{"RoleDetailList": "${'x'.repeat(1_000_000)}"}`,
      );
      const model = loadSnapshot(dir);
      // each file one problem at its pointer, its message short and without the file's text
      expect(model.problems.map(brief)).toEqual([
        'error 555555555555/iam.json#/RoleDetailList snapshot.shape.invalid',
        'error 555555555555/s3/deep.json#/Policy policy.document.invalid',
      ]);
      expect(model.problems.map((p) => p.message)).toEqual([
        'expected an array, got a string',
        'policy `arn:aws:s3:::deep`: the policy document must be a JSON object, got an array',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
