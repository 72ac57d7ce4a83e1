import { describe, expect, it } from 'vitest';
import {
  findBucket,
  findManagedPolicy,
  findRole,
  rolePolicies,
  resolveKmsKey,
} from '../../../src/model/queries.js';
import type { Model, RoleModel } from '../../../src/model/types.js';
import { staticManagedPolicies } from '../../../src/load/managedPolicies.js';
import { isStacksFile, loadSingleTemplate, loadStacksFile } from '../../../src/load/stacks.js';
import { generatedName, generatedUuid } from '../../../src/load/templateNames.js';

const DIR = 'test/load/templates/fixtures/basic';
const TOOLS = `${DIR}/tools.yaml`;
const PROD = `${DIR}/prod.json`;
const STACKS = `${DIR}/stacks.yaml`;

function load(): { model: Model; problems: ReturnType<typeof loadStacksFile>['problems'] } {
  return loadStacksFile(STACKS, { managedPolicies: staticManagedPolicies('fake-managed', {}) });
}

function role(model: Model, arn: string): RoleModel {
  const r = findRole(model, arn);
  if (r.kind !== 'found') throw new Error(`role ${arn} not found`);
  return r.value;
}

describe('loadStacksFile', () => {
  const { model, problems } = load();
  const tools = model.accounts.get('111111111111')!;
  const region = tools.regions.get('us-east-1')!;

  it('reports exactly the expected problems, with template pointers', () => {
    expect(problems.map((p) => [p.severity, p.id, p.file, p.pointer])).toEqual([
      ['warning', 'stacks.parameter.unknown', STACKS, '/stacks/0/parameters/Undeclared'],
      ['warning', 'template.parameter.ssm', TOOLS, '/Parameters/BuildImage'],
      [
        'warning',
        'policy.version.missing',
        TOOLS,
        '/Resources/BuildRole/Properties/AssumeRolePolicyDocument',
      ],
      [
        'warning',
        'template.value.unresolved',
        TOOLS,
        '/Resources/Pipeline/Properties/Stages/2/Actions/0/Configuration/RoleArn/Fn::ImportValue',
      ],
      [
        'warning',
        'template.value.unresolved',
        TOOLS,
        '/Resources/Pipeline/Properties/Stages/2/Actions/0/RoleArn/Fn::ImportValue',
      ],
      ['warning', 'template.managed-policy.unknown', TOOLS, '/Resources/PipelineRole'],
      // the build image is an ssm parameter without a value: unknown, not "no image"
      [
        'warning',
        'template.value.unresolved',
        TOOLS,
        '/Resources/Project/Properties/Environment/Image/Ref',
      ],
      [
        'warning',
        'template.value.unresolved',
        TOOLS,
        '/Resources/UnknownPolicy/Properties/PolicyDocument/Statement/0/Resource/Fn::GetAtt',
      ],
    ]);
    expect(model.problems).toEqual(problems);
    expect(model.source).toBe('template');
  });

  it('builds roles with paths, inline, managed and attached policies, and locations', () => {
    const pr = role(
      model,
      `arn:aws:iam::111111111111:role/service/${generatedName('tools', 'PipelineRole', 64)}`,
    );
    expect(pr.name).toMatch(/^tools-PipelineRole-[0-9A-Z]{13}$/);
    expect(pr.generated).toBe(true);
    expect(pr.path).toBe('/service/');
    expect(pr.trustPolicy?.statements[0]?.principal?.service).toEqual([
      'codepipeline.amazonaws.com',
    ]);
    expect(pr.inlinePolicies.map((p) => p.name)).toEqual(['artifacts', 'extra']);
    expect(pr.managedPolicyArns).toEqual([
      'arn:aws:iam::aws:policy/AWSCodePipeline_FullAccess',
      'arn:aws:iam::111111111111:policy/shared',
    ]);
    expect(pr.location).toEqual({
      file: TOOLS,
      pointer: '/Resources/PipelineRole',
      line: 60,
      column: 3,
    });
    const artifacts = pr.inlinePolicies[0]!.policy!;
    // lines of each statement point into the template
    expect(artifacts.statements.map((s) => s.line)).toEqual([78, 81]);
    expect(artifacts.statements[0]!.resource!.patterns[0]!.raw).toBe(
      `arn:aws:s3:::${generatedName('tools', 'ArtifactBucket', 63, true)}/*`,
    );
    expect(artifacts.statements[1]!.resource!.patterns[0]!.raw).toBe(
      'arn:aws:iam::222222222222:role/deploy',
    );
    expect(artifacts.source).toEqual({
      file: TOOLS,
      pointer: '/Resources/PipelineRole/Properties/Policies/0/PolicyDocument',
      line: 75,
    });
    // AWS::IAM::Policy attached by Ref
    const extra = pr.inlinePolicies[1]!;
    expect(extra.location.pointer).toBe('/Resources/ExtraPolicy');
    expect(extra.policy?.statements[0]?.resource?.patterns[0]?.raw).toBe(
      `arn:aws:kms:us-east-1:111111111111:key/${generatedUuid('tools', 'Key')}`,
    );
    // the role name given with !Sub and AWS::StackName
    const build = role(model, 'arn:aws:iam::111111111111:role/tools-build');
    expect(build.generated).toBeUndefined();
  });

  it('reads a policy without its Allow statement that has an unresolved element, which it names (an Allow can only add)', () => {
    const build = role(model, 'arn:aws:iam::111111111111:role/tools-build');
    const unknown = build.inlinePolicies.find((p) => p.name === 'unknown-resource')!;
    expect(unknown.policy!.statements).toEqual([]);
    expect(unknown.policy!.unknownAllows!.map(({ action: _a, ...rest }) => rest)).toEqual([
      {
        index: 1,
        pointer: '/Resources/UnknownPolicy/Properties/PolicyDocument/Statement/0',
        line: 115,
        reason: 'the attribute `NoSuchAttribute` of `AWS::S3::Bucket` is not known offline',
      },
    ]);
    // the Action it settles: the statement may allow s3:GetObject only
    expect([...unknown.policy!.unknownAllows![0]!.action!.exact]).toEqual(['s3:getobject']);
    const pp = rolePolicies(model, build);
    expect(pp.missing).toEqual([]);
  });

  it('leaves an AWS-managed policy unknown when no source has it', () => {
    const pr = role(
      model,
      `arn:aws:iam::111111111111:role/service/${generatedName('tools', 'PipelineRole', 64)}`,
    );
    expect(rolePolicies(model, pr).missing).toEqual([
      'arn:aws:iam::aws:policy/AWSCodePipeline_FullAccess',
    ]);
    expect(
      findManagedPolicy(model, 'arn:aws:iam::111111111111:policy/shared', '111111111111').kind,
    ).toBe('found');
  });

  it('evaluates conditions: the resource behind a false condition is not created', () => {
    expect(
      [...tools.iam!.roles.values()].some((r) => r.location.pointer === '/Resources/NotCreated'),
    ).toBe(false);
  });

  it('builds the bucket with encryption, ownership and its policy (NoValue removed)', () => {
    const name = generatedName('tools', 'ArtifactBucket', 63, true);
    expect(name).toBe(name.toLowerCase());
    const b = findBucket(model, name);
    expect(b.kind).toBe('found');
    if (b.kind !== 'found') return;
    expect(b.value.generated).toBe(true);
    expect(b.value.encryption).toEqual({
      sseAlgorithm: 'aws:kms',
      kmsMasterKeyId: `arn:aws:kms:us-east-1:111111111111:key/${generatedUuid('tools', 'Key')}`,
      bucketKeyEnabled: undefined,
    });
    expect(b.value.ownership).toBe('BucketOwnerPreferred');
    const policy = b.value.policy!;
    expect(policy.statements.map((s) => s.sid)).toEqual(['ProdRead']);
    expect(policy.statements[0]!.principal!.aws).toEqual(['arn:aws:iam::222222222222:root']);
    expect(policy.statements[0]!.line).toBe(46);
  });

  it('builds the key (generated UUID id), its alias, and resolves it by alias', () => {
    const keyId = generatedUuid('tools', 'Key');
    expect(keyId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
    const key = region.kmsKeys.get(keyId)!;
    expect(key.generated).toBe(true);
    expect(key.keySpec).toBe('SYMMETRIC_DEFAULT');
    expect(key.aliases).toEqual(['alias/pipeline']);
    expect(key.grants).toEqual([]);
    expect(key.policy?.statements[0]?.sid).toBe('Admin');
    const viaAlias = resolveKmsKey(model, '111111111111', 'us-east-1', 'alias/pipeline');
    expect(viaAlias.kind === 'found' && viaAlias.value.keyId).toBe(keyId);
  });

  it('builds the CodeBuild project without any plaintext environment value', () => {
    const p = region.codebuild!.projects.get('build')!;
    expect(p.serviceRole).toBe('arn:aws:iam::111111111111:role/tools-build');
    const image = p.environment?.image ?? '';
    // the image is an ssm parameter without a value: an ECR image of an unknown repository, so
    // the ECR pull links are Unknown naming the template line (it was left out: no ECR links)
    expect(image).toMatch(
      /^111111111111\.dkr\.ecr\.us-east-1\.amazonaws\.com\/unresolved-[0-9a-f]{10}$/,
    );
    expect(model.unresolved?.get(image.slice(image.indexOf('/') + 1))?.location).toMatchObject({
      file: TOOLS,
      pointer: '/Resources/Project/Properties/Environment/Image/Ref',
    });
    expect(p.environment).toEqual({
      type: 'LINUX_CONTAINER',
      image,
      computeType: 'BUILD_GENERAL1_SMALL',
      imagePullCredentialsType: 'SERVICE_ROLE',
      privilegedMode: undefined,
      registryCredential: undefined,
      environmentVariables: [
        { name: 'SECRET', type: 'PLAINTEXT', reference: undefined },
        { name: 'FROM_SSM', type: 'PARAMETER_STORE', reference: '/app/param' },
      ],
    });
    expect(JSON.stringify(p)).not.toContain('hunter2');
    expect(p.vpcConfig).toEqual({
      vpcId: 'vpc-1',
      subnets: ['subnet-1', 'subnet-2'],
      securityGroupIds: ['sg-1'],
    });
    expect(p.logsConfig?.cloudWatchLogs?.groupName).toBe('build-logs');
  });

  it('builds the pipeline: stages, actions, artifact store, secrets removed, locations with lines', () => {
    const p = region.pipelines.get('app')!;
    expect(p.roleArn).toBe(
      `arn:aws:iam::111111111111:role/service/${generatedName('tools', 'PipelineRole', 64)}`,
    );
    expect(p.artifactStores.get('us-east-1')).toMatchObject({
      bucket: generatedName('tools', 'ArtifactBucket', 63, true),
      encryptionKey: {
        id: `arn:aws:kms:us-east-1:111111111111:key/${generatedUuid('tools', 'Key')}`,
        type: 'KMS',
      },
    });
    expect(p.stages.map((s) => s.name)).toEqual(['Source', 'Build', 'Deploy']);
    const source = p.stages[0]!.actions[0]!;
    expect(source.configuration).toEqual({
      Branch: 'main',
      OAuthToken: '****',
      Owner: 'me',
      PollForSourceChanges: 'false',
      Repo: 'app',
    });
    expect(source.location).toMatchObject({ file: TOOLS, line: 220 });
    const build = p.stages[1]!.actions[0]!;
    expect(build.configuration['ProjectName']).toBe('build');
    expect(JSON.parse(build.configuration['EnvironmentVariables']!)).toEqual([
      { name: 'A', type: 'PLAINTEXT' },
      { name: 'B', type: 'PARAMETER_STORE', value: '/p' },
    ]);
    expect(build.runOrder).toBe(2);
    const deploy = p.stages[2]!.actions[0]!;
    expect(deploy.region).toBe('us-west-2');
    expect(deploy.configuration['StackName']).toBe('app-stack');
  });

  it('turns an unresolvable role ARN into a placeholder that lookups report as missing', () => {
    const deploy = region.pipelines.get('app')!.stages[2]!.actions[0]!;
    const arn = deploy.roleArn!;
    expect(arn).toMatch(/^arn:aws:iam::unresolved:role\/unresolved-[0-9a-f]{10}$/);
    const lookup = findRole(model, arn);
    expect(lookup.kind).toBe('missing');
    const u = model.unresolved!.get(arn)!;
    expect(u.reason).toBe('no stack in `111111111111` `us-east-1` exports `prod-deploy-role-arn`');
    expect(u.location).toMatchObject({
      file: TOOLS,
      pointer: '/Resources/Pipeline/Properties/Stages/2/Actions/0/RoleArn/Fn::ImportValue',
      line: 242,
    });
  });

  it('builds topics with their policy, functions with permissions, and event rules', () => {
    const topicName = generatedName('tools', 'Topic', 128);
    const topic = region.snsTopics.get(topicName)!;
    expect(topic.policy?.statements[0]?.principal?.service).toEqual(['events.amazonaws.com']);
    const fnName = generatedName('tools', 'Fn', 64);
    const fn = region.lambdas.get(fnName)!;
    expect(fn.role).toBe('arn:aws:iam::111111111111:role/tools-build');
    const st = fn.policy!.statements[0]!;
    expect(st.principal?.service).toEqual(['codepipeline.amazonaws.com']);
    expect(st.conditions.map((c) => [c.operator, c.key, c.values])).toEqual([
      ['StringEquals', 'AWS:SourceAccount', ['111111111111']],
    ]);
    const rule = [...region.events!.rules.values()][0]!;
    expect(rule.targets?.[0]).toMatchObject({
      id: 'pipeline',
      arn: 'arn:aws:codepipeline:us-east-1:111111111111:app',
      roleArn: `arn:aws:iam::111111111111:role/service/${generatedName('tools', 'PipelineRole', 64)}`,
    });
    expect(rule.eventPattern).toBe('{"source":["aws.codecommit"]}');
  });

  it('links stacks: fromStack outputs, ImportValue within an account and region', () => {
    const deploy = role(model, 'arn:aws:iam::222222222222:role/deploy');
    expect(deploy.trustPolicy?.statements[0]?.principal?.aws).toEqual([
      'arn:aws:iam::111111111111:root',
    ]);
    expect(deploy.inlinePolicies[0]?.policy?.statements[0]?.resource?.patterns[0]?.raw).toBe(
      `arn:aws:kms:us-east-1:111111111111:key/${generatedUuid('tools', 'Key')}`,
    );
    // JSON templates keep lines too
    expect(deploy.location).toMatchObject({ file: PROD, line: 8 });
    const reader = [...model.accounts.get('111111111111')!.iam!.roles.values()].find((r) =>
      r.name.startsWith('extra-ReaderRole-'),
    )!;
    expect(reader.inlinePolicies[0]!.policy!.statements[0]!.resource!.patterns[0]!.raw).toBe(
      `arn:aws:s3:::${generatedName('tools', 'ArtifactBucket', 63, true)}/*`,
    );
  });

  it('is deterministic', () => {
    const again = load();
    expect(JSON.stringify([...again.model.accounts.keys()])).toBe(
      JSON.stringify([...model.accounts.keys()]),
    );
    expect(again.problems).toEqual(problems);
    expect([...again.model.accounts.get('111111111111')!.iam!.roles.keys()]).toEqual([
      ...tools.iam!.roles.keys(),
    ]);
  });
});

describe('managed policies from a source', () => {
  it('uses the source when it has the document', () => {
    const { model, problems } = loadStacksFile(STACKS, {
      managedPolicies: staticManagedPolicies('fake-managed', {
        AWSCodePipeline_FullAccess: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'codepipeline:*', Resource: '*' }],
        },
      }),
    });
    expect(problems.some((p) => p.id === 'template.managed-policy.unknown')).toBe(false);
    const p = findManagedPolicy(
      model,
      'arn:aws:iam::aws:policy/AWSCodePipeline_FullAccess',
      '111111111111',
    );
    expect(p.kind).toBe('found');
    if (p.kind === 'found') {
      expect(p.value.isAwsManaged).toBe(true);
      expect(p.value.location.file).toBe('fake-managed');
      expect(p.value.policy?.statements).toHaveLength(1);
    }
  });
});

describe('loadSingleTemplate', () => {
  it('loads one template with parameters, account and region', () => {
    const { model, problems } = loadSingleTemplate(PROD, {
      account: '222222222222',
      region: 'eu-west-1',
      parameters: {
        ToolsAccount: '111111111111',
        KeyArn: 'arn:aws:kms:eu-west-1:111111111111:key/k',
      },
    });
    expect(problems).toEqual([]);
    expect(model.root).toBe(PROD);
    expect(role(model, 'arn:aws:iam::222222222222:role/deploy').account).toBe('222222222222');
  });

  it('reports a missing parameter and keeps going', () => {
    const { model, problems } = loadSingleTemplate(PROD, {
      account: '222222222222',
      region: 'eu-west-1',
    });
    expect(problems.map((p) => [p.id, p.pointer])).toEqual([
      ['template.parameter.missing', '/Parameters/KeyArn'],
      ['template.parameter.missing', '/Parameters/ToolsAccount'],
      [
        'template.value.unresolved',
        '/Resources/DeployRole/Properties/AssumeRolePolicyDocument/Statement/0/Principal/AWS/Fn::Sub',
      ],
      [
        'template.value.unresolved',
        '/Resources/DeployRole/Properties/Policies/0/PolicyDocument/Statement/0/Resource/Ref',
      ],
    ]);
    // the trust policy's one statement is an Allow whose principal is not known: left out
    const r = role(model, 'arn:aws:iam::222222222222:role/deploy');
    expect(r.trustPolicy!.statements).toEqual([]);
    expect(r.trustPolicy!.unknownAllows!.map((u) => [u.pointer, u.reason])).toEqual([
      [
        '/Resources/DeployRole/Properties/AssumeRolePolicyDocument/Statement/0',
        'parameter `ToolsAccount` has no value',
      ],
    ]);
  });

  it('accepts made-up accounts and regions with warnings', () => {
    const { problems } = loadSingleTemplate(PROD, {
      account: '12345678',
      region: 'test-region',
      parameters: { ToolsAccount: '1', KeyArn: '*' },
    });
    expect(problems.map((p) => [p.id, p.severity])).toEqual([
      ['stacks.account.invalid', 'warning'],
      ['stacks.region.unknown', 'warning'],
    ]);
  });

  it('reports a template that cannot be read', () => {
    const { problems } = loadSingleTemplate(`${DIR}/nope.yaml`, {
      account: '111111111111',
      region: 'us-east-1',
    });
    expect(problems.map((p) => p.id)).toEqual(['stacks.template.missing']);
  });
});

describe('stacks file errors', () => {
  it('says what is wrong with a bad stacks file', () => {
    expect(loadStacksFile(`${DIR}/missing.yaml`).problems.map((p) => p.id)).toEqual([
      'stacks.file.missing',
    ]);
    expect(loadStacksFile(TOOLS).problems.map((p) => p.id)).toEqual(['stacks.file.invalid']);
  });

  it('tells stacks files from templates', () => {
    expect(isStacksFile(STACKS)).toBe(true);
    expect(isStacksFile(TOOLS)).toBe(false);
    expect(isStacksFile(DIR)).toBe(false);
  });
});

describe('SAM functions and pseudo parameters', () => {
  const { model, problems } = loadSingleTemplate(`${DIR}/sam.yaml`, {
    account: '333333333333',
    region: 'eu-central-1',
    stackName: 'app',
    managedPolicies: staticManagedPolicies('fake-managed', {}),
  });
  const iam = model.accounts.get('333333333333')!.iam!;
  const lambdas = model.accounts.get('333333333333')!.regions.get('eu-central-1')!.lambdas;

  it('reports the policy template it cannot expand and the unknown managed policies', () => {
    expect(problems.map((p) => [p.id, p.pointer])).toEqual([
      ['template.sam.policy-template', '/Resources/Templated/Properties/Policies/0'],
      ['template.managed-policy.unknown', '/Resources/Worker'],
      ['template.managed-policy.unknown', '/Resources/Worker'],
      ['template.managed-policy.unknown', '/Resources/Worker'],
    ]);
    expect(problems.slice(1).map((p) => /`([^`]+)`/.exec(p.message)?.[1])).toEqual([
      'arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess',
      'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess',
      'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
    ]);
  });

  it('generates `<Function>Role` trusting lambda.amazonaws.com with the managed and inline policies', () => {
    const worker = [...iam.roles.values()].find((r) => r.name.startsWith('app-WorkerRole-'))!;
    expect(worker.generated).toBe(true);
    expect(worker.trustPolicy?.statements[0]?.principal?.service).toEqual(['lambda.amazonaws.com']);
    expect(worker.managedPolicyArns).toEqual([
      'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
      'arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess',
      'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess',
    ]);
    expect(worker.inlinePolicies.map((p) => p.name)).toEqual(['WorkerRolePolicy1']);
    expect(worker.inlinePolicies[0]!.policy?.statements[0]?.line).toBe(17);
    const fn = [...lambdas.values()].find((f) => f.name.startsWith('app-Worker-'))!;
    expect(fn.role).toBe(worker.arn);
    // a policy template makes the role's policies unknown
    const templated = [...iam.roles.values()].find((r) => r.name.startsWith('app-TemplatedRole-'))!;
    expect(rolePolicies(model, templated).missing).toContain(
      'test/load/templates/fixtures/basic/sam.yaml#/Resources/Templated/Properties/Policies/0',
    );
  });

  it('uses an explicit Role as given and generates no role for it', () => {
    expect(lambdas.get('explicit')!.role).toBe('arn:aws:iam::333333333333:role/existing');
    expect([...iam.roles.values()].some((r) => r.name.includes('ExplicitRole'))).toBe(false);
  });

  it('resolves the pseudo parameters', () => {
    const pseudo = findRole(model, 'arn:aws:iam::333333333333:role/pseudo');
    expect(pseudo.kind).toBe('found');
    if (pseudo.kind !== 'found') return;
    const resources = pseudo.value.inlinePolicies[0]!.policy!.statements[0]!.resource!.patterns.map(
      (p) => p.raw,
    );
    expect(resources).toEqual([
      `arn:aws:cloudformation:eu-central-1:333333333333:stack/app/${generatedUuid('app', 'AWS::StackId')}`,
      'arn:aws:cloudformation:eu-central-1:333333333333:stack/app/*',
    ]);
    expect(pseudo.value.trustPolicy?.statements[0]?.principal?.service).toEqual([
      'lambda.amazonaws.com',
    ]);
  });
});

describe('a JSON stacks file', () => {
  it('loads like the YAML one; a numeric account is accepted with a warning', () => {
    const { model, problems } = loadStacksFile(`${DIR}/stacks.json`);
    expect(problems.map((p) => [p.id, p.pointer])).toEqual([
      ['stacks.account.number', '/stacks/0/account'],
    ]);
    expect(findRole(model, 'arn:aws:iam::222222222222:role/deploy').kind).toBe('found');
    expect(isStacksFile(`${DIR}/stacks.json`)).toBe(true);
  });
});

describe('cycles and dangling references', () => {
  it('turns circular conditions and cross-stack cycles into unknowns, never a hang', () => {
    const { model, problems } = loadStacksFile(`${DIR}/stacks-cycle.yaml`);
    const file = `${DIR}/cycle.yaml`;
    expect(problems.map((p) => [p.id, p.file, p.pointer])).toEqual([
      // a condition that depends on itself: CloudFormation rejects the template
      ['template.condition.circular', file, '/Conditions/B/Condition'],
      // `one` and `two` wait on each other; `three` names a stack that does not exist
      ['template.value.unresolved', file, '/Resources/Named/Properties/RoleName/Fn::Sub'],
      ['template.value.unresolved', file, '/Resources/Named/Properties/RoleName/Fn::Sub'],
      ['template.condition.unresolved', file, '/Resources/R/Condition'],
      // the stacks file names it: the error is there
      [
        'stacks.parameter.stack-unknown',
        `${DIR}/stacks-cycle.yaml`,
        '/stacks/2/parameters/Other/fromStack',
      ],
    ]);
    expect(problems[0]!.severity).toBe('error');
    expect(problems[1]!.message).toContain('circular reference');
    expect(problems[2]!.message).toContain('no stack `nowhere`');
    expect(problems[3]!.message).toContain('circular reference');
    // each stack's role name is unknown: a placeholder each, in the `unresolved` account
    const roles = [...model.accounts.get('111111111111')!.iam!.roles.keys()];
    expect(roles).toHaveLength(3);
    expect(roles.every((r) => r.startsWith('arn:aws:iam::unresolved:role/unresolved-'))).toBe(true);
  });
});

describe('self references', () => {
  it('become unknowns instead of recursing forever', () => {
    const { model, problems } = loadSingleTemplate(`${DIR}/selfref.yaml`, {
      account: '111111111111',
      region: 'us-east-1',
    });
    expect(problems.map((p) => [p.id, p.pointer, p.message])).toEqual([
      [
        'policy.statement.empty',
        '/Resources/Loop/Properties/AssumeRolePolicyDocument/Statement',
        `policy \`${[...model.accounts.get('111111111111')!.iam!.roles.keys()][0]}\`: \`Statement\` is an empty array: the policy grants and denies nothing`,
      ],
      [
        'template.value.unresolved',
        '/Resources/Loop/Properties/Path/Fn::Sub',
        'circular reference through `Loop.Path`: the value is unknown',
      ],
      [
        'template.value.unresolved',
        '/Resources/Named/Properties/BucketName/Ref',
        'circular reference through `Named.BucketName`: the value is unknown',
      ],
      // the rule's event bus is unknown (a placeholder), not the default bus
      [
        'template.value.unresolved',
        '/Resources/Rule/Properties/EventBusName/Fn::GetAtt',
        'circular reference through `Rule.EventBusName`: the value is unknown',
      ],
    ]);
    const rule = [
      ...model.accounts.get('111111111111')!.regions.get('us-east-1')!.events!.rules.values(),
    ][0]!;
    expect(rule.arn).toBeUndefined();
    expect(model.accounts.get('111111111111')!.buckets.size).toBe(1);
  });
});
