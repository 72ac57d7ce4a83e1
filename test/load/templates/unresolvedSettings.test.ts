/**
 * Settings of a CodeBuild project, a bucket or an action that a template does not settle are
 * unknown (placeholders whose links name the template line), never read as absent or as their
 * default: an unknown build image may be an ECR image, an unknown log group is not
 * `/aws/codebuild/<project>`, a VPC whose subnets are unknown is still a VPC.
 */
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../../src/chain/analyze.js';
import { noManagedPolicies } from '../../../src/load/managedPolicies.js';
import { loadSingleTemplate } from '../../../src/load/stacks.js';
import type { CodeBuildProjectModel, Model } from '../../../src/model/types.js';
import type { ReportLink } from '../../../src/report/types.js';

const DIR = 'test/load/templates/fixtures/unknowns';
const ENV = { account: '111111111111', region: 'us-east-1' };
const BUILD_ROLE = 'arn:aws:iam::111111111111:role/build-role';
const PLACEHOLDER = /^unresolved-[0-9a-f]{10}$/;

function load(name: string, parameters: Record<string, string> = {}): Model {
  return loadSingleTemplate(`${DIR}/${name}`, {
    ...ENV,
    parameters,
    managedPolicies: noManagedPolicies,
  }).model;
}

const linksOf = (model: Model): readonly ReportLink[] => analyzeModel(model).pipelines[0]!.links;

function project(model: Model): CodeBuildProjectModel {
  return model.accounts
    .get('111111111111')!
    .regions.get('us-east-1')!
    .codebuild!.projects.get('build')!;
}

/** `file:line (reason)`, as a link names a template value that is not resolved. */
const atLine = (name: string, line: number): string =>
  `${DIR}/${name}:${line} (parameter \`BuildRepo\` reads the ssm parameter \`/build/repo\` at deploy time, so its value is not known offline)`;

describe('CodeBuild settings the template does not settle', () => {
  it('VpcConfig subnets from an import that no stack exports: the project is still in a VPC', () => {
    const model = load('vpc.yaml');
    const vpc = project(model).vpcConfig!;
    expect(vpc.vpcId).toMatch(PLACEHOLDER);
    expect(vpc.subnets).toHaveLength(1);
    expect(vpc.subnets[0]).toMatch(PLACEHOLDER);
    expect(vpc.securityGroupIds).toEqual(['sg-1']);
    // the VPC links are checked (they were left out: no subnets, no VPC)
    const ec2 = linksOf(model).filter((l) => l.permission.startsWith('ec2:'));
    expect(ec2.map((l) => l.permission)).toContain('ec2:CreateNetworkInterface');
    expect(ec2.map((l) => l.permission)).toContain('ec2:CreateNetworkInterfacePermission');
  });

  it('an Image from an SSM parameter: the ECR pull links are Unknown, naming the line', () => {
    const ecr = linksOf(load('image.yaml')).filter((l) => l.permission.startsWith('ecr:'));
    const pull = ecr.filter((l) => l.resource.includes(':repository/'));
    expect(pull.map((l) => l.permission).sort()).toEqual([
      'ecr:BatchCheckLayerAvailability',
      'ecr:BatchGetImage',
      'ecr:GetDownloadUrlForLayer',
    ]);
    for (const l of pull) {
      expect(l.decision, l.id).toBe('Unknown');
      expect(l.missing, l.id).toContain(atLine('image.yaml', 77));
    }
    // settled: the repository is the one named
    const settled = linksOf(load('image.yaml', { BuildRepo: 'tools' })).filter((l) =>
      l.resource.includes(':repository/'),
    );
    expect(new Set(settled.map((l) => l.resource))).toEqual(
      new Set(['arn:aws:ecr:us-east-1:111111111111:repository/tools']),
    );
  });

  /** the project role's log links when its log group's name is not settled */
  const LOG_LINKS = [
    'codebuild-project.logs-create-custom-log-group recommended',
    'codebuild-project.logs-create-log-group required',
    'codebuild-project.logs-write required',
    'codebuild-project.logs-write required',
  ];

  it('a LogsConfig GroupName from an SSM parameter: the log links are Unknown, naming the line', () => {
    const logs = linksOf(load('logs.yaml')).filter(
      (l) => l.principal === BUILD_ROLE && l.permission.startsWith('logs:'),
    );
    // the group may be the default one (creating it required) or another (recommended): both
    expect(logs.map((l) => `${l.requirement} ${l.level}`).sort()).toEqual(LOG_LINKS);
    for (const l of logs) {
      expect(l.decision, l.id).toBe('Unknown');
      expect(l.missing, l.id).toEqual([atLine('logs.yaml', 83)]);
    }
    // settled: the group is outside /aws/codebuild/*, which is all the role may write
    const settled = linksOf(load('logs.yaml', { BuildRepo: 'app' })).filter(
      (l) => l.principal === BUILD_ROLE && l.permission.startsWith('logs:'),
    );
    expect(settled.map((l) => l.decision)).toEqual([
      'ImplicitlyDenied',
      'ImplicitlyDenied',
      'ImplicitlyDenied',
    ]);
  });

  it('a whole Environment or LogsConfig under Fn::If: image, credentials and log group are unknown', () => {
    const FILE = `${DIR}/settings-whole.yaml`;
    const model = load('settings-whole.yaml');
    const env = project(model).environment!;
    expect(env.imagePullCredentialsType).toMatch(PLACEHOLDER);
    expect(env.image).toMatch(/^111111111111\.dkr\.ecr\.us-east-1\.amazonaws\.com\/unresolved-/);
    expect(project(model).logsConfig?.cloudWatchLogs?.groupName).toMatch(PLACEHOLDER);
    const all = linksOf(model);
    const unknown = (l: ReportLink): boolean =>
      l.decision === 'Unknown' && (l.missing ?? []).some((m) => m.startsWith(`${FILE}:`));
    const ecr = all.filter((l) => l.permission.startsWith('ecr:'));
    expect(ecr.length).toBeGreaterThan(0);
    expect(ecr.every(unknown)).toBe(true);
    const logs = all.filter((l) => l.principal === BUILD_ROLE && l.permission.startsWith('logs:'));
    expect(logs.map((l) => `${l.requirement} ${l.level}`).sort()).toEqual(LOG_LINKS);
    expect(logs.every(unknown)).toBe(true);
    // an artifact name the template does not settle: the action is one Unknown link
    const publish = all.filter((l) => l.stage === 'Deploy');
    expect(publish.map((l) => [l.requirement, l.decision])).toEqual([
      ['action.not-settled', 'Unknown'],
    ]);
  });

  it('an environment variable whose Type is not settled: the parameter and secret links are Unknown, naming the line', () => {
    const FILE = 'env-var-type.yaml';
    const model = load(FILE);
    expect(project(model).environment!.environmentVariablesUnknown).toMatch(PLACEHOLDER);
    const reads = linksOf(model).filter(
      (l) =>
        l.permission === 'ssm:GetParameters' || l.permission === 'secretsmanager:GetSecretValue',
    );
    expect(reads.map((l) => l.permission).sort()).toEqual([
      'secretsmanager:GetSecretValue',
      'ssm:GetParameters',
    ]);
    for (const l of reads) {
      expect(l.decision, l.id).toBe('Unknown');
      expect((l.missing ?? []).join(' '), l.id).toContain(
        `${DIR}/${FILE}:80 (parameter \`VarType\` reads the ssm parameter \`/build/var-type\` at deploy time, so its value is not known offline)`,
      );
    }
    // settled: a PARAMETER_STORE variable is read with the build role, which may not
    const store = linksOf(load(FILE, { VarType: 'PARAMETER_STORE' })).filter(
      (l) => l.permission === 'ssm:GetParameters',
    );
    expect(store.map((l) => [l.resource, l.decision])).toEqual([
      ['arn:aws:ssm:us-east-1:111111111111:parameter/app/token', 'ImplicitlyDenied'],
    ]);
    // settled as a Type CodeBuild does not take (lower case): not PLAINTEXT, as in a snapshot,
    // but unknown, with an input error at the Type
    const typo = load(FILE, { VarType: 'parameter_store' });
    expect(project(typo).environment!.environmentVariablesUnknown).toMatch(PLACEHOLDER);
    expect(
      linksOf(typo)
        .filter((l) => l.permission === 'ssm:GetParameters')
        .map((l) => l.decision),
    ).toEqual(['Unknown']);
    // settled as PLAINTEXT: nothing is read
    const plain = linksOf(load(FILE, { VarType: 'PLAINTEXT' })).filter(
      (l) =>
        l.permission === 'ssm:GetParameters' || l.permission === 'secretsmanager:GetSecretValue',
    );
    expect(plain).toEqual([]);
  });

  it('EnvironmentVariables under Fn::If on an unsettled condition: the reads are Unknown, not left out', () => {
    const FILE = 'env-var-list.yaml';
    const model = load(FILE);
    expect(project(model).environment!.environmentVariablesUnknown).toMatch(PLACEHOLDER);
    const reads = linksOf(model).filter((l) => l.permission === 'ssm:GetParameters');
    expect(reads.map((l) => l.decision)).toEqual(['Unknown']);
    // the place named is the condition the If depends on
    expect((reads[0]!.missing ?? []).join(' ')).toContain(
      `${DIR}/${FILE}:11 (\`Fn::If\` on condition \`UseStore\`, which is not known: parameter \`VarType\` reads the ssm parameter \`/build/var-type\` at deploy time, so its value is not known offline)`,
    );
    const store = linksOf(load(FILE, { VarType: 'PARAMETER_STORE' })).filter(
      (l) => l.permission === 'ssm:GetParameters',
    );
    expect(store.map((l) => [l.resource, l.decision])).toEqual([
      ['arn:aws:ssm:us-east-1:111111111111:parameter/app/token', 'ImplicitlyDenied'],
    ]);
  });
});

describe('bucket encryption settings under Fn::If inside the rule', () => {
  it('an SSEAlgorithm and KMSMasterKeyID not settled: the source key is unknown, naming the line', () => {
    const FILE = `${DIR}/encryption.yaml`;
    const decrypt = linksOf(load('encryption.yaml')).filter(
      (l) => l.permission === 'kms:Decrypt' && l.stage === 'Source',
    );
    // the store key read back, and the source object's key (unknown)
    const source = decrypt.filter((l) => l.resource.includes('unresolved'));
    expect(source).toHaveLength(1);
    expect(source[0]!.decision).toBe('Unknown');
    expect(source[0]!.missing).toEqual([
      `${FILE}:11 (\`Fn::If\` on condition \`Locked\`, which is not known: parameter \`Lockdown\` reads the ssm parameter \`/org/lockdown\` at deploy time, so its value is not known offline)`,
    ]);
    // settled: SSE-KMS with a key whose policy does not let the pipeline role in, or SSE-S3
    const locked = linksOf(load('encryption.yaml', { Lockdown: 'true' })).filter(
      (l) => l.permission === 'kms:Decrypt' && l.stage === 'Source',
    );
    expect(locked.map((l) => l.decision)).toContain('ImplicitlyDenied');
    const open = linksOf(load('encryption.yaml', { Lockdown: 'false' })).filter(
      (l) => l.permission === 'kms:Decrypt' && l.stage === 'Source',
    );
    expect(open.every((l) => l.decision === 'Allowed')).toBe(true);
  });
});

describe('a link that applies only because of a value the template does not settle', () => {
  it('an unknown build image may not be in ECR: ecr:GetAuthorizationToken on * is Unknown, not denied', () => {
    const token = (parameters: Record<string, string> = {}): ReportLink =>
      linksOf(load('image.yaml', parameters)).find(
        (l) => l.permission === 'ecr:GetAuthorizationToken',
      )!;
    // the build role has no ecr:GetAuthorizationToken: denied if the image is in ECR
    const open = token();
    expect(open.decision).toBe('Unknown');
    expect(open.missing).toEqual([atLine('image.yaml', 77)]);
    expect(token({ BuildRepo: 'tools' }).decision).toBe('ImplicitlyDenied');
  });
});
