// Synthetic organization generator for the analyze benchmark: N pipelines across K accounts,
// written as a snapshot folder in the exact AWS CLI shapes of the snapshot format. Each tools
// account holds its pipelines, their roles, CodeBuild projects, one artifact bucket and one CMK
// per region; each pipeline deploys with CloudFormation into one of the target accounts through
// a cross-account action role. Deterministic: the same (pipelines, accounts) gives the same bytes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const REGION = 'us-east-1';

function acct(n) {
  return String(100000000000 + n).padStart(12, '0');
}

function doc(...Statement) {
  return { Version: '2012-10-17', Statement };
}

function write(root, rel, obj) {
  const file = join(root, rel);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, JSON.stringify(obj));
}

function role(arn, trust, inline) {
  const name = arn.slice(arn.lastIndexOf('/') + 1);
  return {
    Path: '/',
    RoleName: name,
    RoleId: `AROA${name
      .toUpperCase()
      .replace(/[^A-Z0-9]/g, '')
      .slice(0, 16)}`,
    Arn: arn,
    CreateDate: '2024-01-01T00:00:00+00:00',
    AssumeRolePolicyDocument: trust,
    RolePolicyList: inline.map(([PolicyName, PolicyDocument]) => ({ PolicyName, PolicyDocument })),
    AttachedManagedPolicies: [],
    Tags: [],
  };
}

/**
 * The inline buildspec CDK's pipelines write into each CodeBuild project: JSON with a 2-space
 * indent (pipelines.CodeBuildStep, `BuildSpec.fromObject`), each project's its own.
 */
function cdkBuildspec(name) {
  return JSON.stringify(
    {
      version: '0.2',
      env: { variables: { APP: name } },
      phases: {
        install: { 'runtime-versions': { nodejs: '18' }, commands: ['npm ci'] },
        build: { commands: ['npx cdk synth', 'npm test'] },
      },
      artifacts: { 'base-directory': 'cdk.out', files: '**/*' },
    },
    null,
    2,
  );
}

/**
 * @param {string} root folder to write
 * @param {{pipelines: number, accounts: number, buildspec?: boolean}} size K accounts: a
 *   quarter are tools accounts; `buildspec`: each CodeBuild project holds a CDK-style inline
 *   buildspec (otherwise the project reads the buildspec.yml of its source)
 * @returns {{files: number, bytes: number}}
 */
export function generateOrg(root, { pipelines, accounts, buildspec = false }) {
  const toolsCount = Math.max(1, Math.floor(accounts / 4));
  const tools = Array.from({ length: toolsCount }, (_, i) => acct(i + 1));
  const targets = Array.from({ length: Math.max(1, accounts - toolsCount) }, (_, i) =>
    acct(toolsCount + i + 1),
  );
  let files = 0;
  let bytes = 0;
  const put = (rel, obj) => {
    write(root, rel, obj);
    files++;
    bytes += JSON.stringify(obj).length;
  };
  const perTools = new Map(tools.map((t) => [t, []]));
  for (let p = 0; p < pipelines; p++) perTools.get(tools[p % tools.length]).push(p);
  const targetRoles = new Map(targets.map((t) => [t, []]));

  for (const t of tools) {
    const bucket = `artifacts-${t}-${REGION}`;
    const keyId = `00000000-0000-4000-8000-${t}`;
    const keyArn = `arn:aws:kms:${REGION}:${t}:key/${keyId}`;
    const roles = [];
    const projects = [];
    for (const p of perTools.get(t)) {
      const name = `app-${p}`;
      const target = targets[p % targets.length];
      const pipeRole = `arn:aws:iam::${t}:role/${name}-pipeline`;
      const buildRole = `arn:aws:iam::${t}:role/${name}-build`;
      const actionRole = `arn:aws:iam::${target}:role/${name}-deploy`;
      const execRole = `arn:aws:iam::${target}:role/${name}-cfn`;
      roles.push(
        role(
          pipeRole,
          doc({
            Effect: 'Allow',
            Principal: { Service: 'codepipeline.amazonaws.com' },
            Action: 'sts:AssumeRole',
          }),
          [
            [
              'pipeline',
              doc(
                {
                  Effect: 'Allow',
                  Action: ['s3:GetObject*', 's3:PutObject*', 's3:GetBucket*', 's3:ListBucket'],
                  Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
                },
                {
                  Effect: 'Allow',
                  Action: [
                    'kms:Decrypt',
                    'kms:DescribeKey',
                    'kms:Encrypt',
                    'kms:GenerateDataKey*',
                    'kms:ReEncrypt*',
                  ],
                  Resource: keyArn,
                },
                {
                  Effect: 'Allow',
                  Action: [
                    'codecommit:Get*',
                    'codecommit:UploadArchive',
                    'codecommit:CancelUploadArchive',
                  ],
                  Resource: `arn:aws:codecommit:${REGION}:${t}:${name}`,
                },
                {
                  Effect: 'Allow',
                  Action: [
                    'codebuild:StartBuild',
                    'codebuild:BatchGetBuilds',
                    'codebuild:StopBuild',
                  ],
                  Resource: `arn:aws:codebuild:${REGION}:${t}:project/${name}`,
                },
                { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: actionRole },
              ),
            ],
          ],
        ),
        role(
          buildRole,
          doc({
            Effect: 'Allow',
            Principal: { Service: 'codebuild.amazonaws.com' },
            Action: 'sts:AssumeRole',
          }),
          [
            [
              'build',
              doc(
                {
                  Effect: 'Allow',
                  Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
                  Resource: '*',
                },
                {
                  Effect: 'Allow',
                  Action: [
                    's3:GetObject*',
                    's3:PutObject',
                    's3:GetBucketAcl',
                    's3:GetBucketLocation',
                  ],
                  Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
                },
                {
                  Effect: 'Allow',
                  Action: [
                    'kms:Decrypt',
                    'kms:Encrypt',
                    'kms:GenerateDataKey*',
                    'kms:ReEncrypt*',
                    'kms:DescribeKey',
                  ],
                  Resource: keyArn,
                },
                {
                  Effect: 'Allow',
                  Action: [
                    'codebuild:CreateReportGroup',
                    'codebuild:CreateReport',
                    'codebuild:UpdateReport',
                    'codebuild:BatchPutTestCases',
                    'codebuild:BatchPutCodeCoverages',
                  ],
                  Resource: '*',
                },
              ),
            ],
          ],
        ),
      );
      targetRoles.get(target).push(
        role(
          actionRole,
          doc({ Effect: 'Allow', Principal: { AWS: pipeRole }, Action: 'sts:AssumeRole' }),
          [
            [
              'deploy',
              doc(
                {
                  Effect: 'Allow',
                  Action: 'cloudformation:*',
                  Resource: `arn:aws:cloudformation:${REGION}:${target}:stack/${name}/*`,
                },
                { Effect: 'Allow', Action: 'cloudformation:ValidateTemplate', Resource: '*' },
                {
                  Effect: 'Allow',
                  Action: 'iam:PassRole',
                  Resource: execRole,
                  Condition: {
                    StringEqualsIfExists: {
                      'iam:PassedToService': 'cloudformation.amazonaws.com',
                    },
                  },
                },
                {
                  Effect: 'Allow',
                  Action: ['s3:GetObject*', 's3:PutObject*', 's3:GetBucket*', 's3:ListBucket'],
                  Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
                },
                {
                  Effect: 'Allow',
                  Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey*'],
                  Resource: keyArn,
                },
              ),
            ],
          ],
        ),
        role(
          execRole,
          doc({
            Effect: 'Allow',
            Principal: { Service: 'cloudformation.amazonaws.com' },
            Action: 'sts:AssumeRole',
          }),
          [['exec', doc({ Effect: 'Allow', Action: '*', Resource: '*' })]],
        ),
      );
      projects.push({
        name,
        arn: `arn:aws:codebuild:${REGION}:${t}:project/${name}`,
        source: buildspec
          ? { type: 'CODEPIPELINE', buildspec: cdkBuildspec(name) }
          : { type: 'CODEPIPELINE' },
        artifacts: { type: 'CODEPIPELINE' },
        environment: {
          type: 'LINUX_CONTAINER',
          image: 'aws/codebuild/standard:7.0',
          computeType: 'BUILD_GENERAL1_SMALL',
          environmentVariables: [],
          imagePullCredentialsType: 'CODEBUILD',
        },
        serviceRole: buildRole,
        encryptionKey: keyArn,
        logsConfig: { cloudWatchLogs: { status: 'ENABLED' } },
      });
      put(`${t}/${REGION}/codepipeline/${name}.json`, {
        pipeline: {
          name,
          roleArn: pipeRole,
          artifactStore: {
            type: 'S3',
            location: bucket,
            encryptionKey: { id: keyArn, type: 'KMS' },
          },
          stages: [
            {
              name: 'Source',
              actions: [
                {
                  name: 'Source',
                  actionTypeId: {
                    category: 'Source',
                    owner: 'AWS',
                    provider: 'CodeCommit',
                    version: '1',
                  },
                  runOrder: 1,
                  configuration: { RepositoryName: name, BranchName: 'main' },
                  outputArtifacts: [{ name: 'Src' }],
                  inputArtifacts: [],
                },
              ],
            },
            {
              name: 'Build',
              actions: [
                {
                  name: 'Build',
                  actionTypeId: {
                    category: 'Build',
                    owner: 'AWS',
                    provider: 'CodeBuild',
                    version: '1',
                  },
                  runOrder: 1,
                  configuration: { ProjectName: name },
                  outputArtifacts: [{ name: 'Out' }],
                  inputArtifacts: [{ name: 'Src' }],
                },
              ],
            },
            {
              name: 'Deploy',
              actions: [
                {
                  name: 'Deploy',
                  actionTypeId: {
                    category: 'Deploy',
                    owner: 'AWS',
                    provider: 'CloudFormation',
                    version: '1',
                  },
                  runOrder: 1,
                  roleArn: actionRole,
                  configuration: {
                    ActionMode: 'CREATE_UPDATE',
                    StackName: name,
                    TemplatePath: 'Out::template.yaml',
                    RoleArn: execRole,
                    Capabilities: 'CAPABILITY_IAM',
                  },
                  outputArtifacts: [],
                  inputArtifacts: [{ name: 'Out' }],
                },
              ],
            },
          ],
          version: 1,
        },
        metadata: { pipelineArn: `arn:aws:codepipeline:${REGION}:${t}:${name}` },
      });
    }
    put(`${t}/iam.json`, {
      UserDetailList: [],
      GroupDetailList: [],
      RoleDetailList: roles,
      Policies: [],
    });
    put(`${t}/${REGION}/codebuild.json`, { projects, projectsNotFound: [] });
    put(`${t}/s3/${bucket}.json`, {
      Policy: JSON.stringify(
        doc(
          {
            Sid: 'Targets',
            Effect: 'Allow',
            Principal: { AWS: targets.map((x) => `arn:aws:iam::${x}:root`) },
            Action: ['s3:Get*', 's3:Put*', 's3:ListBucket'],
            Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
          },
          {
            Sid: 'DenyInsecure',
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:*',
            Resource: `arn:aws:s3:::${bucket}/*`,
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
        ),
      ),
    });
    put(`${t}/${REGION}/kms/${keyId}.json`, {
      KeyMetadata: {
        AWSAccountId: t,
        KeyId: keyId,
        Arn: keyArn,
        KeyManager: 'CUSTOMER',
        KeySpec: 'SYMMETRIC_DEFAULT',
        KeyUsage: 'ENCRYPT_DECRYPT',
        KeyState: 'Enabled',
        Enabled: true,
      },
      Policy: JSON.stringify(
        doc(
          {
            Sid: 'Root',
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${t}:root` },
            Action: 'kms:*',
            Resource: '*',
          },
          {
            Sid: 'Targets',
            Effect: 'Allow',
            Principal: { AWS: targets.map((x) => `arn:aws:iam::${x}:root`) },
            Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey*'],
            Resource: '*',
          },
        ),
      ),
    });
    put(`${t}/${REGION}/kms/aliases.json`, { Aliases: [] });
    put(`${t}/${REGION}/events.json`, { Rules: [], Targets: {} });
  }
  for (const [t, roles] of targetRoles) {
    put(`${t}/iam.json`, {
      UserDetailList: [],
      GroupDetailList: [],
      RoleDetailList: roles,
      Policies: [],
    });
  }
  const all = [...tools, ...targets];
  put('organization/describe-organization.json', {
    Organization: { Id: 'o-bench00000', MasterAccountId: '999999999999', FeatureSet: 'ALL' },
  });
  put(
    'organization/parents.json',
    Object.fromEntries([
      ...all.map((a, i) => [a, `ou-bench-${i % 4}`]),
      ...[0, 1, 2, 3].map((i) => [`ou-bench-${i}`, 'r-bench']),
    ]),
  );
  put('organization/accounts.json', {
    Accounts: all.map((Id) => ({ Id, Name: Id, Status: 'ACTIVE' })),
  });
  const targetsOf = ['r-bench', 'ou-bench-0', 'ou-bench-1', 'ou-bench-2', 'ou-bench-3', ...all];
  const policyFile = (id, name, type, content) => ({
    Policy: {
      PolicySummary: { Id: id, Name: name, Type: type, AwsManaged: false },
      Content: JSON.stringify(content),
    },
    Targets: targetsOf.map((TargetId) => ({
      TargetId,
      Type: TargetId.startsWith('r-')
        ? 'ROOT'
        : TargetId.startsWith('ou-')
          ? 'ORGANIZATIONAL_UNIT'
          : 'ACCOUNT',
    })),
  });
  put(
    'organization/scp/p-full.json',
    policyFile(
      'p-full',
      'FullAWSAccess',
      'SERVICE_CONTROL_POLICY',
      doc({ Effect: 'Allow', Action: '*', Resource: '*' }),
    ),
  );
  put(
    'organization/scp/p-guard.json',
    policyFile(
      'p-guard',
      'guardrails',
      'SERVICE_CONTROL_POLICY',
      doc({
        Effect: 'Deny',
        Action: ['organizations:LeaveOrganization', 'iam:CreateUser'],
        Resource: '*',
      }),
    ),
  );
  put(
    'organization/rcp/p-rcpfull.json',
    policyFile(
      'p-rcpfull',
      'RCPFullAWSAccess',
      'RESOURCE_CONTROL_POLICY',
      doc({ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }),
    ),
  );
  return { files, bytes };
}
