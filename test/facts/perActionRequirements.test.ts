/**
 * Part 1 of the fact sheet (/work/shared/aws-facts.md, "The permission chain"), §1.0 and §1.2
 * to §1.3: who calls what, on which resource, for each action provider. The expected files of
 * the scenarios hold these links too, but they are rewritten from the code under test
 * (UPDATE_EXPECTED=1); here each row of the fact sheet is written out by hand, so a catalog
 * entry that drops an action, names the wrong caller or builds the wrong ARN fails a test that
 * says which fact it broke.
 *
 * The pipelines: all-providers (platform-containers, platform-legacy, platform-web: every
 * provider, all in 111111111111) and pass-cross-account (orders-api, with a CloudFormation deploy
 * action whose role is in 222222222222).
 */
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import type { Report, ReportLink } from '../../src/report/types.js';

const T = '111111111111';
const P = '222222222222';
const R = 'us-east-1';

const ALL = analyzeModel(loadSnapshot('fixtures/scenarios/all-providers'));
const XACCT = analyzeModel(loadSnapshot('fixtures/scenarios/pass-cross-account'));

/** The links of one action: `<caller> <permission> <resource> <level>`, caller shortened. */
function calls(report: Report, pipeline: string, action: string): string[] {
  const p = report.pipelines.find((x) => x.name === pipeline)!;
  return p.links
    .filter((l) => `${l.stage}/${l.action}` === action)
    .map((l) => `${who(l)} ${l.permission} ${l.resource} ${l.level}`);
}

/** A role by its name (no path), a service principal or placeholder as written. */
function who(l: ReportLink): string {
  const m = /^arn:aws:iam::\d{12}:role\/(?:.*\/)?([^/]+)$/.exec(l.principal);
  return m ? m[1]! : l.principal;
}

const PIPE = 'platform-pipeline-role';
const ARTIFACTS = `arn:aws:s3:::platform-artifacts-${T}-${R}`;
const ARTIFACT_KEY = `arn:aws:kms:${R}:${T}:key/9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d`;

describe('§1.2 Source / CodeCommit', () => {
  const repo = `arn:aws:codecommit:${R}:${T}:platform-web`;
  const app = calls(ALL, 'platform-web', 'Source/App');

  it('the pipeline role reads the branch and uploads the archive, on the repository ARN', () => {
    expect(app).toEqual(
      expect.arrayContaining([
        `${PIPE} codecommit:GetBranch ${repo} required`,
        `${PIPE} codecommit:GetCommit ${repo} required`,
        `${PIPE} codecommit:UploadArchive ${repo} required`,
        `${PIPE} codecommit:GetUploadArchiveStatus ${repo} required`,
        `${PIPE} codecommit:CancelUploadArchive ${repo} recommended`,
      ]),
    );
  });

  it('full clone (CODEBUILD_CLONE_REF): GetRepository for the pipeline role, GitPull for the CodeBuild role', () => {
    expect(app).toContain(`${PIPE} codecommit:GetRepository ${repo} required`);
    expect(calls(ALL, 'platform-web', 'Build/Build')).toContain(
      `platform-web-build-role codecommit:GitPull ${repo} required`,
    );
    // CODE_ZIP: neither
    const orders = calls(XACCT, 'orders-api', 'Source/Source');
    expect(orders.filter((c) => c.includes('codecommit:GetRepository'))).toEqual([]);
    expect(calls(XACCT, 'orders-api', 'Build/Build').filter((c) => c.includes('GitPull'))).toEqual(
      [],
    );
  });

  it('s3:ListBucket on the artifact bucket (troubleshooting: S3 access denied without it)', () => {
    expect(app).toContain(`${PIPE} s3:ListBucket ${ARTIFACTS} recommended`);
  });
});

describe('§1.2 Source / CodeStarSourceConnection', () => {
  const connection = `arn:aws:codeconnections:${R}:${T}:connection/4d3c2b1a-0f9e-4d8c-b7a6-5f4e3d2c1b0a`;

  it('both UseConnection actions, on the connection ARN, required', () => {
    expect(calls(ALL, 'platform-web', 'Source/SharedLib')).toEqual(
      expect.arrayContaining([
        `${PIPE} codestar-connections:UseConnection ${connection} required`,
        `${PIPE} codeconnections:UseConnection ${connection} required`,
      ]),
    );
  });

  it('full clone: the CodeBuild role needs UseConnection (both prefixes) on the connection', () => {
    expect(calls(ALL, 'platform-web', 'Build/Build')).toEqual(
      expect.arrayContaining([
        `platform-web-build-role codestar-connections:UseConnection ${connection} required`,
        `platform-web-build-role codeconnections:UseConnection ${connection} required`,
      ]),
    );
  });
});

describe('§1.2 Source / S3', () => {
  const bucket = `arn:aws:s3:::platform-deploy-config-${T}`;
  const object = `${bucket}/api/deploy-config.zip`;
  const config = calls(ALL, 'platform-containers', 'Source/Config');

  it('reads the object and its versions, and the bucket versioning, ACL and location', () => {
    expect(config).toEqual(
      expect.arrayContaining([
        `${PIPE} s3:GetObject ${object} required`,
        `${PIPE} s3:GetObjectVersion ${object} required`,
        `${PIPE} s3:GetBucketVersioning ${bucket} required`,
        `${PIPE} s3:GetBucketAcl ${bucket} recommended`,
        `${PIPE} s3:GetBucketLocation ${bucket} recommended`,
        `${PIPE} s3:GetObjectTagging ${object} recommended`,
        `${PIPE} s3:GetObjectVersionTagging ${object} recommended`,
      ]),
    );
  });

  it('an SSE-KMS source object needs kms:Decrypt on its key (INF)', () => {
    expect(config).toContain(
      `${PIPE} kms:Decrypt arn:aws:kms:${R}:${T}:key/2b4d6f8a-0c1e-4a3b-8d5f-7a9b1c3d5e7f required`,
    );
  });
});

describe('§1.2 Source / ECR', () => {
  const image = calls(ALL, 'platform-containers', 'Source/Image');

  it('ecr:DescribeImages on the repository ARN', () => {
    expect(image).toContain(
      `${PIPE} ecr:DescribeImages arn:aws:ecr:${R}:${T}:repository/platform/api required`,
    );
  });

  it('no image pull at source time', () => {
    expect(
      image.filter((c) =>
        /ecr:(BatchGetImage|GetDownloadUrlForLayer|GetAuthorizationToken)/.test(c),
      ),
    ).toEqual([]);
  });
});

describe('§1.2 Build, Test / CodeBuild', () => {
  const project = (n: string) => `arn:aws:codebuild:${R}:${T}:project/${n}`;

  it('StartBuild and BatchGetBuilds on the project; StopBuild only recommended (CDK practice)', () => {
    expect(calls(ALL, 'platform-containers', 'Test/Package')).toEqual(
      expect.arrayContaining([
        `${PIPE} codebuild:StartBuild ${project('platform-api-package')} required`,
        `${PIPE} codebuild:BatchGetBuilds ${project('platform-api-package')} required`,
        `${PIPE} codebuild:StopBuild ${project('platform-api-package')} recommended`,
      ]),
    );
  });

  it('a batch build: StartBuildBatch and BatchGetBuildBatches; StopBuildBatch only recommended', () => {
    expect(calls(ALL, 'platform-containers', 'Test/UnitTests')).toEqual(
      expect.arrayContaining([
        `${PIPE} codebuild:StartBuildBatch ${project('platform-api-test')} required`,
        `${PIPE} codebuild:BatchGetBuildBatches ${project('platform-api-test')} required`,
        `${PIPE} codebuild:StopBuildBatch ${project('platform-api-test')} recommended`,
      ]),
    );
  });
});

describe('§1.2 Deploy / CodeDeploy (EC2/on-premises)', () => {
  const app = `arn:aws:codedeploy:${R}:${T}:application:platform-legacy`;
  const group = `arn:aws:codedeploy:${R}:${T}:deploymentgroup:platform-legacy/fleet`;
  const fleet = calls(ALL, 'platform-legacy', 'Deploy/Fleet');

  it('the calls both documented sets share are required, on the group, application and config', () => {
    expect(fleet).toEqual(
      expect.arrayContaining([
        `${PIPE} codedeploy:CreateDeployment ${group} required`,
        `${PIPE} codedeploy:GetDeployment ${group} required`,
        `${PIPE} codedeploy:RegisterApplicationRevision ${app} required`,
        `${PIPE} codedeploy:GetDeploymentConfig arn:aws:codedeploy:${R}:${T}:deploymentconfig:CodeDeployDefault.HalfAtATime required`,
      ]),
    );
  });

  it('the calls only one set lists are recommended, so a role of either set passes', () => {
    expect(fleet).toEqual(
      expect.arrayContaining([
        `${PIPE} codedeploy:GetApplication ${app} recommended`,
        `${PIPE} codedeploy:ListDeploymentGroups ${app} recommended`,
        `${PIPE} codedeploy:GetDeploymentGroup ${group} recommended`,
        `${PIPE} codedeploy:ListDeployments ${group} recommended`,
        `${PIPE} codedeploy:ListDeploymentConfigs * recommended`,
        `${PIPE} codedeploy:GetApplicationRevision ${app} recommended`,
      ]),
    );
  });

  it('the instance profile role downloads the revision: s3 on bucket/*, ListBucket, KMS on the artifact key', () => {
    const instances = "the CodeDeploy instances' role (not known)";
    expect(fleet).toEqual(
      expect.arrayContaining([
        `${instances} s3:GetObject ${ARTIFACTS}/platform-legacy/BundleSour/* required`,
        `${instances} s3:ListBucket ${ARTIFACTS} recommended`,
        `${instances} kms:Decrypt ${ARTIFACT_KEY} required`,
      ]),
    );
  });

  it('§1.0 the CodeDeploy service role is not passed at pipeline run time', () => {
    expect(fleet.filter((c) => c.includes('iam:PassRole'))).toEqual([]);
  });
});

describe('§1.2 Deploy / CloudFormation', () => {
  const stack = (name: string, region = R) =>
    `arn:aws:cloudformation:${region}:${T}:stack/${name}/*`;

  it('CHANGE_SET_REPLACE: the change-set calls and DescribeStacks on the stack; PassRole on the execution role', () => {
    expect(calls(ALL, 'platform-web', 'Release/CreateChangeSet')).toEqual(
      expect.arrayContaining([
        `${PIPE} cloudformation:CreateChangeSet ${stack('platform-web')} required`,
        `${PIPE} cloudformation:DescribeChangeSet ${stack('platform-web')} required`,
        `${PIPE} cloudformation:DeleteChangeSet ${stack('platform-web')} required`,
        `${PIPE} cloudformation:DescribeStacks ${stack('platform-web')} required`,
        `${PIPE} cloudformation:DescribeStackEvents ${stack('platform-web')} recommended`,
        `${PIPE} cloudformation:DescribeStackResources ${stack('platform-web')} recommended`,
        `${PIPE} cloudformation:GetTemplate ${stack('platform-web')} recommended`,
        `${PIPE} cloudformation:ValidateTemplate * recommended`,
        `${PIPE} iam:PassRole arn:aws:iam::${T}:role/platform-cfn-exec required`,
        `cloudformation.amazonaws.com sts:AssumeRole arn:aws:iam::${T}:role/platform-cfn-exec required`,
      ]),
    );
  });

  it('CHANGE_SET_EXECUTE: ExecuteChangeSet; RoleArn is not applied, so nothing is passed', () => {
    const execute = calls(ALL, 'platform-web', 'Release/ExecuteChangeSet');
    expect(execute).toContain(
      `${PIPE} cloudformation:ExecuteChangeSet ${stack('platform-web')} required`,
    );
    expect(execute.filter((c) => /iam:PassRole|sts:AssumeRole/.test(c))).toEqual([]);
  });

  it('DELETE_ONLY and REPLACE_ON_FAILURE: DeleteStack, and CreateStack/UpdateStack for the latter', () => {
    expect(calls(ALL, 'platform-legacy', 'Cleanup/DeletePreview')).toEqual(
      expect.arrayContaining([
        `${PIPE} cloudformation:DeleteStack ${stack('platform-legacy-preview')} required`,
        `${PIPE} iam:PassRole arn:aws:iam::${T}:role/platform-cfn-exec required`,
      ]),
    );
    expect(calls(ALL, 'platform-legacy', 'Cleanup/RecreateCanary')).toEqual(
      expect.arrayContaining([
        `${PIPE} cloudformation:CreateStack ${stack('platform-legacy-canary', 'us-west-2')} required`,
        `${PIPE} cloudformation:UpdateStack ${stack('platform-legacy-canary', 'us-west-2')} required`,
        `${PIPE} cloudformation:DeleteStack ${stack('platform-legacy-canary', 'us-west-2')} required`,
      ]),
    );
  });

  it('§1.4 the action role reads the template from the artifact store; the execution role touches no artifact', () => {
    const deploy = calls(XACCT, 'orders-api', 'DeployProd/DeployStack');
    const bucket = `arn:aws:s3:::orders-artifacts-${T}-${R}`;
    expect(deploy).toEqual(
      expect.arrayContaining([
        `orders-api-deploy-action s3:GetObject ${bucket}/orders-api/BuildOutpu/* required`,
        `orders-api-deploy-action kms:Decrypt arn:aws:kms:${R}:${T}:key/7c1d9e4a-3b2f-4a6d-8e5c-1f0a9b8c7d6e required`,
        `orders-api-deploy-action iam:PassRole arn:aws:iam::${P}:role/orders-api-cfn-exec required`,
      ]),
    );
    const exec = [...deploy, ...calls(ALL, 'platform-web', 'Release/CreateChangeSet')].filter(
      (c) => c.startsWith('orders-api-cfn-exec ') || c.startsWith('platform-cfn-exec '),
    );
    expect(exec).toEqual([]);
  });
});

describe('§1.2 Deploy / ECS (standard)', () => {
  const rolling = calls(ALL, 'platform-containers', 'Deploy/Rolling');

  it('DescribeTaskDefinition on *, DescribeServices and UpdateService on the service', () => {
    const service = `arn:aws:ecs:${R}:${T}:service/platform/api`;
    expect(rolling).toEqual(
      expect.arrayContaining([
        `${PIPE} ecs:DescribeTaskDefinition * required`,
        `${PIPE} ecs:DescribeServices ${service} required`,
        `${PIPE} ecs:UpdateService ${service} required`,
      ]),
    );
  });

  it('RegisterTaskDefinition required, TagResource recommended, PassRole of the task roles required', () => {
    const kinds = rolling.map((c) => {
      const [caller, permission, ...rest] = c.split(' ');
      return `${caller} ${permission} ${rest.at(-1)}`;
    });
    expect(kinds).toEqual(
      expect.arrayContaining([
        `${PIPE} ecs:RegisterTaskDefinition required`,
        `${PIPE} ecs:TagResource recommended`,
        `${PIPE} iam:PassRole required`,
      ]),
    );
  });

  it('imagedefinitions.json is read from the artifact store', () => {
    expect(rolling).toContain(
      `${PIPE} s3:GetObject ${ARTIFACTS}/platform-containers/ImageDefs/* required`,
    );
  });
});

describe('§1.2 Deploy / CodeDeployToECS (blue/green)', () => {
  it('CreateDeployment, GetDeployment on the group; GetApplication(Revision), RegisterApplicationRevision on the application; GetDeploymentConfig; RegisterTaskDefinition; PassRole', () => {
    const app = `arn:aws:codedeploy:${R}:${T}:application:platform-api-bg`;
    const group = `arn:aws:codedeploy:${R}:${T}:deploymentgroup:platform-api-bg/platform-api-bg-group`;
    const bg = calls(ALL, 'platform-containers', 'Deploy/BlueGreen');
    expect(bg).toEqual(
      expect.arrayContaining([
        `${PIPE} codedeploy:CreateDeployment ${group} required`,
        `${PIPE} codedeploy:GetDeployment ${group} required`,
        `${PIPE} codedeploy:GetApplication ${app} required`,
        `${PIPE} codedeploy:GetApplicationRevision ${app} required`,
        `${PIPE} codedeploy:RegisterApplicationRevision ${app} required`,
        `${PIPE} codedeploy:GetDeploymentConfig arn:aws:codedeploy:${R}:${T}:deploymentconfig:CodeDeployDefault.ECSAllAtOnce required`,
      ]),
    );
    expect(bg.filter((c) => /ecs:RegisterTaskDefinition .* required$/.test(c))).toHaveLength(1);
    expect(bg.filter((c) => /iam:PassRole .* required$/.test(c))).toHaveLength(1);
  });
});

describe('§1.2 Deploy / ElasticBeanstalk', () => {
  it('DescribeEvents is required: without it the action hangs instead of failing', () => {
    expect(calls(ALL, 'platform-legacy', 'Deploy/Beanstalk')).toContain(
      `${PIPE} elasticbeanstalk:DescribeEvents arn:aws:elasticbeanstalk:${R}:${T}:environment/platform-legacy/platform-legacy-prod required`,
    );
  });
});

describe('§1.2 Deploy / S3', () => {
  const bucket = `arn:aws:s3:::platform-docs-${T}`;
  const docs = calls(ALL, 'platform-legacy', 'Deploy/PublishDocs');

  it('PutObject (+ ACLs with a CannedACL) on the target, bucket reads on the bucket', () => {
    expect(docs).toEqual(
      expect.arrayContaining([
        `${PIPE} s3:PutObject ${bucket}/docs/* required`,
        `${PIPE} s3:PutObjectAcl ${bucket}/docs/* required`,
        `${PIPE} s3:PutObjectVersionAcl ${bucket}/docs/* recommended`,
        `${PIPE} s3:GetBucketVersioning ${bucket} recommended`,
        `${PIPE} s3:GetBucketAcl ${bucket} recommended`,
        `${PIPE} s3:GetBucketLocation ${bucket} recommended`,
      ]),
    );
  });

  it('KMSEncryptionKeyARN: writing needs kms:GenerateDataKey on that key (INF)', () => {
    expect(docs).toContain(
      `${PIPE} kms:GenerateDataKey arn:aws:kms:${R}:${T}:key/6e5d4c3b-2a19-4f8e-9d7c-6b5a4f3e2d1c required`,
    );
  });
});

describe('§1.2 Invoke / Lambda', () => {
  const smoke = calls(ALL, 'platform-web', 'Verify/SmokeTest');

  it('InvokeFunction on the function; ListFunctions on *', () => {
    expect(smoke).toEqual(
      expect.arrayContaining([
        `${PIPE} lambda:InvokeFunction arn:aws:lambda:${R}:${T}:function:platform-smoke-test required`,
        `${PIPE} lambda:ListFunctions * recommended`,
      ]),
    );
  });

  it('the function role reports the result on * (no resource type), and lambda.amazonaws.com assumes it', () => {
    expect(smoke).toEqual(
      expect.arrayContaining([
        'platform-smoke-test-role codepipeline:PutJobSuccessResult * required',
        'platform-smoke-test-role codepipeline:PutJobFailureResult * required',
        `lambda.amazonaws.com sts:AssumeRole arn:aws:iam::${T}:role/platform-smoke-test-role required`,
      ]),
    );
  });
});

describe('§1.2 Invoke / StepFunctions', () => {
  it('StartExecution, DescribeStateMachine on the state machine; DescribeExecution on the execution ARN', () => {
    const post = calls(ALL, 'platform-web', 'Verify/PostDeploy');
    const machine = `arn:aws:states:${R}:${T}:stateMachine:platform-post-deploy`;
    expect(post).toEqual(
      expect.arrayContaining([
        `${PIPE} states:StartExecution ${machine} required`,
        `${PIPE} states:DescribeStateMachine ${machine} required`,
      ]),
    );
    expect(post.filter((c) => c.includes('states:DescribeExecution'))).toEqual([
      `${PIPE} states:DescribeExecution arn:aws:states:${R}:${T}:execution:platform-post-deploy:platform-web-????????-????-????-????-???????????? required`,
    ]);
  });
});

describe('§1.2 Approval / Manual', () => {
  it('sns:Publish on the topic', () => {
    expect(calls(ALL, 'platform-web', 'Release/Approve')).toContain(
      `${PIPE} sns:Publish arn:aws:sns:${R}:${T}:platform-approvals required`,
    );
  });
});

describe('§1.3 CodeBuild project role', () => {
  const build = calls(ALL, 'platform-web', 'Build/Build');
  const ROLE = 'platform-web-build-role';

  it('logs: CreateLogGroup on the group, CreateLogStream and PutLogEvents on its streams', () => {
    const group = `arn:aws:logs:${R}:${T}:log-group:/aws/codebuild/platform-web-build`;
    expect(build).toEqual(
      expect.arrayContaining([
        `${ROLE} logs:CreateLogGroup ${group} required`,
        `${ROLE} logs:CreateLogStream ${group}:log-stream:* required`,
        `${ROLE} logs:PutLogEvents ${group}:log-stream:* required`,
      ]),
    );
  });

  it('artifacts: GetObject(Version) on the inputs, PutObject on the output, bucket ACL and location', () => {
    expect(build).toEqual(
      expect.arrayContaining([
        `${ROLE} s3:GetObject ${ARTIFACTS}/platform-web/AppSource/* required`,
        `${ROLE} s3:GetObjectVersion ${ARTIFACTS}/platform-web/AppSource/* recommended`,
        `${ROLE} s3:PutObject ${ARTIFACTS}/platform-web/WebBuild/* required`,
        `${ROLE} s3:GetBucketAcl ${ARTIFACTS} recommended`,
        `${ROLE} s3:GetBucketLocation ${ARTIFACTS} recommended`,
        `${ROLE} kms:Decrypt ${ARTIFACT_KEY} required`,
        `${ROLE} kms:GenerateDataKey ${ARTIFACT_KEY} required`,
      ]),
    );
  });

  it('ECR with SERVICE_ROLE credentials: GetAuthorizationToken on *, the pulls on the repository', () => {
    const repo = `arn:aws:ecr:${R}:${T}:repository/platform/build-image`;
    expect(build).toEqual(
      expect.arrayContaining([
        `${ROLE} ecr:GetAuthorizationToken * required`,
        `${ROLE} ecr:BatchCheckLayerAvailability ${repo} recommended`,
        `${ROLE} ecr:GetDownloadUrlForLayer ${repo} required`,
        `${ROLE} ecr:BatchGetImage ${repo} required`,
      ]),
    );
  });

  it('ECR with CODEBUILD credentials: codebuild.amazonaws.com pulls, the repository policy decides', () => {
    const repo = `arn:aws:ecr:${R}:${T}:repository/platform/test-runner`;
    expect(calls(ALL, 'platform-containers', 'Test/UnitTests')).toEqual(
      expect.arrayContaining([
        `codebuild.amazonaws.com ecr:BatchGetImage ${repo} required`,
        `codebuild.amazonaws.com ecr:GetDownloadUrlForLayer ${repo} required`,
      ]),
    );
  });

  it('VPC: the Describe calls on *, the network interface calls and CreateNetworkInterfacePermission on network-interface/*', () => {
    const eni = `arn:aws:ec2:${R}:${T}:network-interface/*`;
    expect(build).toEqual(
      expect.arrayContaining([
        ...[
          'DescribeDhcpOptions',
          'DescribeNetworkInterfaces',
          'DescribeSubnets',
          'DescribeSecurityGroups',
          'DescribeVpcs',
        ].map((a) => `${ROLE} ec2:${a} * required`),
        `${ROLE} ec2:CreateNetworkInterface ${eni} required`,
        `${ROLE} ec2:DeleteNetworkInterface ${eni} required`,
        `${ROLE} ec2:CreateNetworkInterfacePermission ${eni} required`,
      ]),
    );
  });

  it('§1.0 codebuild.amazonaws.com assumes the project role', () => {
    expect(build).toContain(
      `codebuild.amazonaws.com sts:AssumeRole arn:aws:iam::${T}:role/service-role/${ROLE} required`,
    );
  });
});

describe('§1.0 and §1.6 principals that start a run', () => {
  it('codepipeline.amazonaws.com assumes the pipeline role; events.amazonaws.com the rule role, which starts the pipeline', () => {
    const p = ALL.pipelines.find((x) => x.name === 'platform-web')!;
    const rows = p.links.map((l) => `${who(l)} ${l.permission} ${l.resource}`);
    expect(rows).toEqual(
      expect.arrayContaining([
        `codepipeline.amazonaws.com sts:AssumeRole arn:aws:iam::${T}:role/service-role/${PIPE}`,
        `events.amazonaws.com sts:AssumeRole arn:aws:iam::${T}:role/service-role/platform-events-role`,
        `platform-events-role codepipeline:StartPipelineExecution arn:aws:codepipeline:${R}:${T}:platform-web`,
      ]),
    );
  });

  it('a CodeStarSourceConnection source is triggered by its connection: no rule role', () => {
    expect(
      calls(ALL, 'platform-web', 'Source/SharedLib').filter((c) =>
        /events\.amazonaws\.com|StartPipelineExecution/.test(c),
      ),
    ).toEqual([]);
  });
});

describe('§1.5 cross-account: the pipeline role assumes the action role of the target account', () => {
  it('sts:AssumeRole from the pipeline role on the role in 222222222222', () => {
    expect(calls(XACCT, 'orders-api', 'DeployProd/DeployStack')).toContain(
      `orders-api-pipeline-role sts:AssumeRole arn:aws:iam::${P}:role/orders-api-deploy-action required`,
    );
  });
});
