# `pass-all-providers`: one tools account (111111111111) with three pipelines that between them
# use every action provider the requirement catalog knows, so the catalog coverage test
# (test/scenarios/catalogCoverage.test.ts) finds an allowed link for nearly every entry:
# - platform-web: CodeCommit + GitHub connection (both CODEBUILD_CLONE_REF) -> CodeBuild in a VPC
#   with an ECR build image pulled with the service role, a CodeCommit, an S3, a GitHub (through
#   the connection) and a Bitbucket (token in a Secrets Manager secret) secondary source and an
#   S3 secondary artifact of its own, and S3 build logs with bucket owner access -> CloudFormation change set, manual approval with SNS,
#   change set execution -> Lambda smoke test, Step Functions post-deploy -> Lambda deploy (an
#   alias shifted by canary, watched by an alarm)
# - platform-containers: ECR source + SSE-KMS S3 source -> CodeBuild batch tests (ECR image pulled
#   with CodeBuild credentials; the project's batch service role starts, stops and retries the
#   batch's builds) + packaging, ECRBuildAndPublish to a private and a public repository, Inspector
#   scans of the image and of the source -> ECS rolling deploy, EKS deploy, CodeDeploy blue/green
#   to ECS
# - platform-legacy: S3 source -> CodeDeploy to EC2, Elastic Beanstalk, S3 deploy with a KMS key
#   and a canned ACL, EC2 deploys (tagged instances behind a target group; SSM managed nodes
#   tagged with any value), an AppConfig deployment -> CloudFormation DELETE_ONLY and REPLACE_ON_FAILURE -> a CodePipeline
#   invoke action that starts platform-web
from baseline import action, pipeline_file
from snapshot import (CREATED, OU, P, PolicyString, R, ROOT, T, doc, iam, kms_key, organization,
                      role, stmt, trust)

A = f'arn:aws:iam::{T}:role'
BUCKET = f'platform-artifacts-{T}-{R}'
W = 'us-west-2'  # the region of platform-legacy's canary stack: a cross-region action
BUCKET_W = f'platform-artifacts-{T}-{W}'
KEY_W_ID = '8f6e4d2c-0a1b-4c3d-9e5f-7a8b9c0d1e2f'
KEY_W = f'arn:aws:kms:{W}:{T}:key/{KEY_W_ID}'
KEY_ID = '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d'
KEY = f'arn:aws:kms:{R}:{T}:key/{KEY_ID}'
CONFIG_KEY_ID = '2b4d6f8a-0c1e-4a3b-8d5f-7a9b1c3d5e7f'
CONFIG_KEY = f'arn:aws:kms:{R}:{T}:key/{CONFIG_KEY_ID}'
DOCS_KEY_ID = '6e5d4c3b-2a19-4f8e-9d7c-6b5a4f3e2d1c'
DOCS_KEY = f'arn:aws:kms:{R}:{T}:key/{DOCS_KEY_ID}'
TOPIC_KEY_ID = '3c5e7a9b-1d2f-4e6a-8b0c-2d4f6a8c0e1b'
PIPE_ROLE = f'{A}/service-role/platform-pipeline-role'
EVENTS_ROLE = f'{A}/service-role/platform-events-role'
WEB_BUILD_ROLE = f'{A}/service-role/platform-web-build-role'
API_TEST_ROLE = f'{A}/service-role/platform-api-test-role'
# the batch service role of platform-api-test: https://docs.aws.amazon.com/codebuild/latest/userguide/batch-build.html#batch_security_role
API_BATCH_ROLE = f'{A}/service-role/platform-api-test-batch-role'
API_PACKAGE_ROLE = f'{A}/service-role/platform-api-package-role'
CFN_ROLE = f'{A}/platform-cfn-exec'
SMOKE_ROLE = f'{A}/platform-smoke-test-role'
CODEDEPLOY_ROLE = f'{A}/platform-codedeploy-service'
FLEET_ROLE = f'{A}/platform-legacy-fleet-deploy'
EDGE_ROLE = f'{A}/platform-legacy-edge-deploy'
CONNECTION = f'arn:aws:codeconnections:{R}:{T}:connection/4d3c2b1a-0f9e-4d8c-b7a6-5f4e3d2c1b0a'
# the Bitbucket token of the web build's `icons` secondary source (auth SECRETS_MANAGER)
ICONS_TOKEN = f'arn:aws:secretsmanager:{R}:{T}:secret:platform/bitbucket-icons-token-Qz81Lm'
REPO_WEB = f'arn:aws:codecommit:{R}:{T}:platform-web'
REPO_SHARED = f'arn:aws:codecommit:{R}:{T}:platform-shared'
DEPS_BUCKET = f'platform-build-deps-{T}'
REPORTS_BUCKET = f'platform-build-reports-{T}'
LOGS_BUCKET = f'platform-build-logs-{T}'
TOPIC = f'arn:aws:sns:{R}:{T}:platform-approvals'
STATE_MACHINE = f'arn:aws:states:{R}:{T}:stateMachine:platform-post-deploy'
SMOKE_FN = f'arn:aws:lambda:{R}:{T}:function:platform-smoke-test'
HANDLER_FN = f'arn:aws:lambda:{R}:{T}:function:platform-api-handler'
CONFIG_BUCKET = f'platform-deploy-config-{T}'
LEGACY_BUCKET = f'platform-legacy-source-{T}'
DOCS_BUCKET = f'platform-docs-{T}'
ECR = f'{T}.dkr.ecr.{R}.amazonaws.com'
SUBNETS = ['subnet-0a1b2c3d4e5f60718', 'subnet-0f1e2d3c4b5a69788']


def arn_of(kind, name):
    return f'arn:aws:{kind}:{R}:{T}:{name}'


def pipeline_role_policy():
    cb = [arn_of('codebuild', f'project/{p}') for p in ('platform-web-build', 'platform-api-test', 'platform-api-package')]
    return doc(
        stmt('ArtifactObjects', ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject', 's3:PutObjectAcl'], f'arn:aws:s3:::{BUCKET}/*'),
        stmt('ArtifactBucket', ['s3:GetBucketVersioning', 's3:GetBucketAcl', 's3:GetBucketLocation', 's3:ListBucket'], f'arn:aws:s3:::{BUCKET}'),
        stmt('ArtifactKey', ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'], KEY),
        stmt('ReplicaObjects', ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject', 's3:PutObjectAcl'], f'arn:aws:s3:::{BUCKET_W}/*'),
        stmt('ReplicaBucket', ['s3:GetBucketVersioning', 's3:GetBucketAcl', 's3:GetBucketLocation', 's3:ListBucket'], f'arn:aws:s3:::{BUCKET_W}'),
        stmt('ReplicaKey', ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'], KEY_W),
        stmt('CodeCommit', ['codecommit:GetBranch', 'codecommit:GetCommit', 'codecommit:UploadArchive', 'codecommit:GetUploadArchiveStatus', 'codecommit:CancelUploadArchive', 'codecommit:GetRepository'], REPO_WEB),
        stmt('GitHubConnection', ['codestar-connections:UseConnection', 'codeconnections:UseConnection'], CONNECTION),
        stmt('EcrSource', 'ecr:DescribeImages', arn_of('ecr', 'repository/platform/api')),
        stmt('S3SourceObjects', ['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectTagging', 's3:GetObjectVersionTagging'], [f'arn:aws:s3:::{CONFIG_BUCKET}/*', f'arn:aws:s3:::{LEGACY_BUCKET}/*']),
        stmt('S3SourceBuckets', ['s3:GetBucketVersioning', 's3:GetBucketAcl', 's3:GetBucketLocation'], [f'arn:aws:s3:::{CONFIG_BUCKET}', f'arn:aws:s3:::{LEGACY_BUCKET}']),
        stmt('S3SourceKey', 'kms:Decrypt', CONFIG_KEY),
        stmt('CodeBuild', ['codebuild:StartBuild', 'codebuild:BatchGetBuilds', 'codebuild:StopBuild', 'codebuild:StartBuildBatch', 'codebuild:BatchGetBuildBatches', 'codebuild:StopBuildBatch'], cb),
        stmt('CloudFormationStacks', ['cloudformation:CreateStack', 'cloudformation:UpdateStack', 'cloudformation:DeleteStack', 'cloudformation:DescribeStacks', 'cloudformation:DescribeStackEvents', 'cloudformation:DescribeStackResources', 'cloudformation:GetTemplate', 'cloudformation:CreateChangeSet', 'cloudformation:DescribeChangeSet', 'cloudformation:ExecuteChangeSet', 'cloudformation:DeleteChangeSet'], [arn_of('cloudformation', f'stack/{s}/*') for s in ('platform-web', 'platform-legacy-preview')] + [f'arn:aws:cloudformation:{W}:{T}:stack/platform-legacy-canary/*']),
        stmt('CloudFormationValidate', 'cloudformation:ValidateTemplate', '*'),
        stmt('PassCloudFormationRole', 'iam:PassRole', CFN_ROLE, condition={'StringEqualsIfExists': {'iam:PassedToService': 'cloudformation.amazonaws.com'}}),
        stmt('ApprovalNotifications', 'sns:Publish', TOPIC),
        stmt('PassTestRole', 'iam:PassRole', API_TEST_ROLE, condition={'StringEquals': {'iam:PassedToService': 'codebuild.amazonaws.com'}}),
        stmt('ApprovalTopicKey', ['kms:GenerateDataKey', 'kms:Decrypt'], f'arn:aws:kms:{R}:{T}:key/{TOPIC_KEY_ID}'),
        stmt('InvokeSmokeTest', 'lambda:InvokeFunction', SMOKE_FN),
        stmt('ListFunctions', 'lambda:ListFunctions', '*'),
        stmt('StepFunctions', ['states:StartExecution', 'states:DescribeStateMachine'], STATE_MACHINE),
        stmt('StepFunctionsExecutions', 'states:DescribeExecution', arn_of('states', 'execution:platform-post-deploy:*')),
        stmt('EcsDeploy', ['ecs:DescribeServices', 'ecs:UpdateService'], arn_of('ecs', 'service/platform/api')),
        stmt('EcsTaskDefinitions', ['ecs:DescribeTaskDefinition', 'ecs:RegisterTaskDefinition'], '*'),
        stmt('PassEcsTaskRoles', 'iam:PassRole', f'{A}/platform-api-task*', condition={'StringEquals': {'iam:PassedToService': ['ecs-tasks.amazonaws.com', 'ecs.amazonaws.com']}}),
        stmt('CodeDeployApplications', ['codedeploy:GetApplication', 'codedeploy:GetApplicationRevision', 'codedeploy:RegisterApplicationRevision'], [arn_of('codedeploy', 'application:platform-legacy'), arn_of('codedeploy', 'application:platform-api-bg')]),
        stmt('CodeDeployGroups', ['codedeploy:CreateDeployment', 'codedeploy:GetDeployment'], [arn_of('codedeploy', 'deploymentgroup:platform-legacy/fleet'), arn_of('codedeploy', 'deploymentgroup:platform-api-bg/platform-api-bg-group')]),
        stmt('CodeDeployConfigs', 'codedeploy:GetDeploymentConfig', arn_of('codedeploy', 'deploymentconfig:*')),
        stmt('CodeDeployLists', ['codedeploy:ListDeploymentConfigs', 'codedeploy:ListDeploymentGroups', 'codedeploy:GetDeploymentGroup', 'codedeploy:ListDeployments'], '*'),
        stmt('ElasticBeanstalk', ['elasticbeanstalk:CreateApplicationVersion', 'elasticbeanstalk:DescribeApplicationVersions', 'elasticbeanstalk:DescribeEnvironments', 'elasticbeanstalk:DescribeEvents', 'elasticbeanstalk:UpdateEnvironment'], [arn_of('elasticbeanstalk', 'application/platform-legacy'), arn_of('elasticbeanstalk', 'applicationversion/platform-legacy/*'), arn_of('elasticbeanstalk', 'environment/platform-legacy/platform-legacy-prod')]),
        # Elastic Beanstalk deploys with the caller's credentials: the action reference grants
        # cloudformation:* and autoscaling:* (among others), here scoped to its awseb- stacks
        stmt('ElasticBeanstalkStacks', 'cloudformation:*', arn_of('cloudformation', 'stack/awseb-*')),
        stmt('ElasticBeanstalkAutoScaling', 'autoscaling:*', '*'),
        stmt('DocsBucketDeploy', ['s3:PutObject', 's3:PutObjectAcl', 's3:PutObjectVersionAcl', 's3:GetBucketVersioning', 's3:GetBucketAcl', 's3:GetBucketLocation'], [f'arn:aws:s3:::{DOCS_BUCKET}', f'arn:aws:s3:::{DOCS_BUCKET}/*']),
        stmt('DocsKey', ['kms:GenerateDataKey', 'kms:Encrypt'], DOCS_KEY),
        # the EC2 deploy actions' roles (as the AWS CDK creates one per action)
        stmt('AssumeDeployRoles', 'sts:AssumeRole', [FLEET_ROLE, EDGE_ROLE]),
        # the ECRBuildAndPublish action: https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-ECRBuildAndPublish.html
        stmt('EcrBuildTokens', ['ecr:GetAuthorizationToken', 'ecr-public:GetAuthorizationToken', 'sts:GetServiceBearerToken'], '*'),
        stmt('EcrBuildPush', ['ecr:DescribeRepositories', 'ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload', 'ecr:PutImage'], arn_of('ecr', 'repository/platform/worker')),
        stmt('EcrBuildPublicPush', ['ecr-public:DescribeRepositories', 'ecr-public:BatchCheckLayerAvailability', 'ecr-public:InitiateLayerUpload', 'ecr-public:UploadLayerPart', 'ecr-public:CompleteLayerUpload', 'ecr-public:PutImage'], f'arn:aws:ecr-public::{T}:repository/platform-cli'),
        stmt('EcrBuildLogs', ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], [arn_of('logs', 'log-group:/aws/codepipeline/platform-containers'), arn_of('logs', 'log-group:/aws/codepipeline/platform-containers:*')]),
        # the InspectorScan action: https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-InspectorScan.html
        stmt('InspectorScan', 'inspector-scan:ScanSbom', '*'),
        stmt('InspectorImagePull', ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'], arn_of('ecr', 'repository/platform/worker')),
        # the Lambda deploy action: https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-LambdaDeploy.html
        stmt('LambdaDeploy', ['lambda:GetAlias', 'lambda:GetFunctionConfiguration', 'lambda:GetProvisionedConcurrencyConfig', 'lambda:PublishVersion', 'lambda:UpdateAlias', 'lambda:UpdateFunctionCode'], [HANDLER_FN, f'{HANDLER_FN}:*']),
        stmt('LambdaDeployAlarms', 'cloudwatch:DescribeAlarms', arn_of('cloudwatch', 'alarm:platform-api-errors')),
        stmt('LambdaDeployLogs', ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], [arn_of('logs', f'log-group:/{R}/codepipeline/platform-web'), arn_of('logs', f'log-group:/{R}/codepipeline/platform-web:*')]),
        # the EKS deploy action: https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-EKS.html
        # (its logs go to the group of EcrBuildLogs)
        stmt('EksCluster', 'eks:DescribeCluster', arn_of('eks', 'cluster/platform')),
        stmt('EksNetwork', ['ec2:CreateNetworkInterface', 'ec2:CreateNetworkInterfacePermission', 'ec2:DescribeDhcpOptions', 'ec2:DescribeNetworkInterfaces', 'ec2:DeleteNetworkInterface', 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups', 'ec2:DescribeVpcs', 'ec2:DescribeRouteTables'], '*'),
        # the AppConfig deploy action: https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-AppConfig.html
        stmt('AppConfigDeploy', ['appconfig:StartDeployment', 'appconfig:StopDeployment', 'appconfig:GetDeployment'], [arn_of('appconfig', 'application/lg7x2qa'), arn_of('appconfig', 'application/lg7x2qa/*'), arn_of('appconfig', 'deploymentstrategy/*')]),
        # the CodePipeline invoke action: https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-PipelineInvoke.html
        stmt('InvokeWebPipeline', 'codepipeline:StartPipelineExecution', arn_of('codepipeline', 'platform-web')),
    )


def ec2_deploy_policy(*extra):
    # the EC2 deploy action: https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-EC2Deploy.html
    return doc(
        stmt('Describe', ['ec2:DescribeInstances', 'elasticloadbalancing:DescribeTargetGroupAttributes', 'elasticloadbalancing:DescribeTargetGroups', 'elasticloadbalancing:DescribeTargetHealth', 'ssm:CancelCommand', 'ssm:DescribeInstanceInformation', 'ssm:ListCommandInvocations'], '*'),
        stmt('Logs', ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], [arn_of('logs', 'log-group:/aws/codepipeline/platform-legacy'), arn_of('logs', 'log-group:/aws/codepipeline/platform-legacy:*')]),
        *extra,
        stmt('RunShellScript', 'ssm:SendCommand', f'arn:aws:ssm:{R}::document/AWS-RunShellScript'),
    )


def build_role_policy(project, extra=()):
    logs = arn_of('logs', f'log-group:/aws/codebuild/{project}')
    return doc(
        stmt('Logs', ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], [logs, f'{logs}:*']),
        stmt('Artifacts', ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject', 's3:GetBucketAcl', 's3:GetBucketLocation'], [f'arn:aws:s3:::{BUCKET}', f'arn:aws:s3:::{BUCKET}/*']),
        stmt('ArtifactKey', ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*', 'kms:DescribeKey'], KEY),
        stmt('Reports', ['codebuild:CreateReportGroup', 'codebuild:CreateReport', 'codebuild:UpdateReport', 'codebuild:BatchPutTestCases', 'codebuild:BatchPutCodeCoverages'], arn_of('codebuild', f'report-group/{project}-*')),
        *extra,
    )


def web_build_extra():
    return (
        stmt('VpcDescribe', ['ec2:CreateNetworkInterface', 'ec2:DescribeDhcpOptions', 'ec2:DescribeNetworkInterfaces', 'ec2:DeleteNetworkInterface', 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups', 'ec2:DescribeVpcs'], '*'),
        stmt('VpcNetworkInterfacePermission', 'ec2:CreateNetworkInterfacePermission', arn_of('ec2', 'network-interface/*'),
             condition={'StringEquals': {'ec2:AuthorizedService': 'codebuild.amazonaws.com'}, 'ArnEquals': {'ec2:Subnet': [arn_of('ec2', f'subnet/{s}') for s in SUBNETS]}}),
        stmt('EcrAuth', 'ecr:GetAuthorizationToken', '*'),
        stmt('EcrBuildImage', ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'], arn_of('ecr', 'repository/platform/build-image')),
        stmt('FullClone', 'codecommit:GitPull', REPO_WEB),
        stmt('FullCloneConnection', ['codestar-connections:UseConnection', 'codeconnections:UseConnection'], CONNECTION),
        stmt('BuildParameters', 'ssm:GetParameters', arn_of('ssm', 'parameter/platform/web/*')),
        stmt('BuildSecrets', 'secretsmanager:GetSecretValue', arn_of('secretsmanager', 'secret:platform/npm-token-*')),
        stmt('SecondarySourceRepository', 'codecommit:GitPull', REPO_SHARED),
        stmt('SecondarySourceObjects', ['s3:GetObject', 's3:GetObjectVersion'], f'arn:aws:s3:::{DEPS_BUCKET}/toolchain/*'),
        stmt('SecondaryArtifactObjects', 's3:PutObject', f'arn:aws:s3:::{REPORTS_BUCKET}/*'),
        # bucketOwnerAccess READ_ONLY: "your CodeBuild service role must have the s3:PutBucketAcl permission" (API_ProjectArtifacts.html)
        stmt('SecondaryArtifactBucketAcl', 's3:PutBucketAcl', f'arn:aws:s3:::{REPORTS_BUCKET}'),
        # S3 build logs: https://docs.aws.amazon.com/codebuild/latest/APIReference/API_S3LogsConfig.html
        stmt('BuildLogObjects', 's3:PutObject', f'arn:aws:s3:::{LOGS_BUCKET}/platform-web/*'),
        stmt('BuildLogBucket', ['s3:GetBucketAcl', 's3:GetBucketLocation'], f'arn:aws:s3:::{LOGS_BUCKET}'),
        # bucketOwnerAccess FULL: "your CodeBuild service role must have the s3:PutBucketAcl permission" (API_S3LogsConfig.html)
        stmt('BuildLogBucketAcl', 's3:PutBucketAcl', f'arn:aws:s3:::{LOGS_BUCKET}'),
        # https://docs.aws.amazon.com/codebuild/latest/userguide/connections-github-app.html
        stmt('SecondarySourceConnection', ['codeconnections:GetConnectionToken', 'codeconnections:GetConnection',
                                           'codestar-connections:GetConnectionToken', 'codestar-connections:GetConnection'], CONNECTION),
        # https://docs.aws.amazon.com/codebuild/latest/userguide/multiple-access-tokens.html
        stmt('SecondarySourceSecret', 'secretsmanager:GetSecretValue', ICONS_TOKEN),
    )


def project(name, role_arn, image, pull='CODEBUILD', vpc=False, key=KEY, description='', variables=(), secondary_sources=(), secondary_artifacts=(), s3_logs=None, batch_role=None):
    p = {
        'name': name,
        'arn': arn_of('codebuild', f'project/{name}'),
        'description': description,
        'source': {'type': 'CODEPIPELINE', 'buildspec': 'buildspec.yml', 'insecureSsl': False},
        'secondarySources': list(secondary_sources),
        'secondarySourceVersions': [],
        'artifacts': {'type': 'CODEPIPELINE', 'name': name, 'packaging': 'NONE', 'encryptionDisabled': False},
        'secondaryArtifacts': list(secondary_artifacts),
        'cache': {'type': 'NO_CACHE'},
        'environment': {'type': 'LINUX_CONTAINER', 'image': image, 'computeType': 'BUILD_GENERAL1_MEDIUM', 'environmentVariables': list(variables), 'privilegedMode': False, 'imagePullCredentialsType': pull},
        'serviceRole': role_arn,
        'timeoutInMinutes': 60,
        'queuedTimeoutInMinutes': 480,
        'encryptionKey': key,
        'tags': [],
        'created': CREATED,
        'lastModified': CREATED,
        'badge': {'badgeEnabled': False},
        'logsConfig': {'cloudWatchLogs': {'status': 'ENABLED'}, 's3Logs': s3_logs or {'status': 'DISABLED', 'encryptionDisabled': False}},
        'projectVisibility': 'PRIVATE',
    }
    if vpc:
        p['vpcConfig'] = {'vpcId': 'vpc-0c1d2e3f4a5b6c7d8', 'subnets': SUBNETS, 'securityGroupIds': ['sg-0fedcba9876543210']}
    if batch_role:
        p['buildBatchConfig'] = {'serviceRole': batch_role, 'combineArtifacts': False, 'restrictions': {'maximumBuildsAllowed': 10, 'computeTypesAllowed': ['BUILD_GENERAL1_MEDIUM']}, 'timeoutInMins': 120}
    return p


def key_policy(users):
    return doc(
        stmt('Enable IAM User Permissions', 'kms:*', '*', principal={'AWS': f'arn:aws:iam::{T}:root'}),
        stmt('AllowUseOfTheKey', ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'], '*', principal={'AWS': users}),
    )


def bucket_file(policy, kms_key_id=None, versioned=True):
    sse = {'SSEAlgorithm': 'aws:kms', 'KMSMasterKeyID': kms_key_id} if kms_key_id else {'SSEAlgorithm': 'AES256'}
    return {
        'Policy': PolicyString(policy),
        'LocationConstraint': None,
        'PublicAccessBlockConfiguration': {'BlockPublicAcls': True, 'IgnorePublicAcls': True, 'BlockPublicPolicy': True, 'RestrictPublicBuckets': True},
        'OwnershipControls': {'Rules': [{'ObjectOwnership': 'BucketOwnerEnforced'}]},
        'ServerSideEncryptionConfiguration': {'Rules': [{'ApplyServerSideEncryptionByDefault': sse, 'BucketKeyEnabled': kms_key_id is not None}]},
    }


def tls_only(bucket):
    return doc(stmt('DenyInsecureConnections', 's3:*', [f'arn:aws:s3:::{bucket}', f'arn:aws:s3:::{bucket}/*'], effect='Deny', principal='*', condition={'Bool': {'aws:SecureTransport': 'false'}}))


def web_stages():
    return [
        {'name': 'Source', 'actions': [
            action('App', 'Source', 'CodeCommit', {'RepositoryName': 'platform-web', 'BranchName': 'main', 'PollForSourceChanges': 'false', 'OutputArtifactFormat': 'CODEBUILD_CLONE_REF'}, outputs=['AppSource']),
            action('SharedLib', 'Source', 'CodeStarSourceConnection', {'ConnectionArn': CONNECTION, 'FullRepositoryId': 'example-org/platform-shared-lib', 'BranchName': 'main', 'OutputArtifactFormat': 'CODEBUILD_CLONE_REF', 'DetectChanges': 'false'}, outputs=['LibSource']),
        ]},
        {'name': 'Build', 'actions': [
            action('Build', 'Build', 'CodeBuild', {'ProjectName': 'platform-web-build', 'PrimarySource': 'AppSource'}, inputs=['AppSource', 'LibSource'], outputs=['WebBuild']),
        ]},
        {'name': 'Release', 'actions': [
            action('CreateChangeSet', 'Deploy', 'CloudFormation', {'ActionMode': 'CHANGE_SET_REPLACE', 'StackName': 'platform-web', 'ChangeSetName': 'platform-web-release', 'TemplatePath': 'WebBuild::packaged.yaml', 'Capabilities': 'CAPABILITY_IAM', 'RoleArn': CFN_ROLE}, inputs=['WebBuild'], run_order=1),
            action('Approve', 'Approval', 'Manual', {'NotificationArn': TOPIC, 'CustomData': 'Review the platform-web change set'}, run_order=2),
            action('ExecuteChangeSet', 'Deploy', 'CloudFormation', {'ActionMode': 'CHANGE_SET_EXECUTE', 'StackName': 'platform-web', 'ChangeSetName': 'platform-web-release'}, run_order=3),
        ]},
        {'name': 'Verify', 'actions': [
            action('SmokeTest', 'Invoke', 'Lambda', {'FunctionName': 'platform-smoke-test'}, run_order=1),
            # its output artifact makes the state machine STANDARD (an EXPRESS one takes none), whose
            # execution CodePipeline polls with DescribeExecution
            action('PostDeploy', 'Invoke', 'StepFunctions', {'StateMachineArn': STATE_MACHINE, 'ExecutionNamePrefix': 'platform-web', 'InputType': 'Literal', 'Input': '{"release":"platform-web"}'}, outputs=['PostDeployResult'], run_order=2),
        ]},
        {'name': 'Functions', 'actions': [
            action('ApiHandler', 'Deploy', 'Lambda', {'FunctionName': 'platform-api-handler', 'FunctionAlias': 'live', 'DeployStrategy': 'Canary10Percent5Minutes', 'Alarms': 'platform-api-errors'}, inputs=['WebBuild']),
        ]},
    ]


def containers_stages():
    return [
        {'name': 'Source', 'actions': [
            action('Image', 'Source', 'ECR', {'RepositoryName': 'platform/api', 'ImageTag': 'latest'}, outputs=['ImageDetail']),
            action('Config', 'Source', 'S3', {'S3Bucket': CONFIG_BUCKET, 'S3ObjectKey': 'api/deploy-config.zip', 'PollForSourceChanges': 'false'}, outputs=['ConfigSource']),
        ]},
        {'name': 'Test', 'actions': [
            action('UnitTests', 'Test', 'CodeBuild', {'ProjectName': 'platform-api-test', 'BatchEnabled': 'true', 'CombineArtifacts': 'false', 'ServiceRoleArnOverride': API_TEST_ROLE}, inputs=['ConfigSource']),
            action('Package', 'Build', 'CodeBuild', {'ProjectName': 'platform-api-package', 'PrimarySource': 'ConfigSource'}, inputs=['ConfigSource', 'ImageDetail'], outputs=['ImageDefs'], run_order=2),
            action('WorkerImage', 'Build', 'ECRBuildAndPublish', {'ECRRepositoryName': 'platform/worker', 'DockerFilePath': 'worker', 'ImageTags': 'latest,stable'}, inputs=['ConfigSource'], run_order=2),
            action('CliImage', 'Build', 'ECRBuildAndPublish', {'ECRRepositoryName': 'platform-cli', 'RegistryType': 'public'}, inputs=['ConfigSource'], run_order=2),
            action('ScanWorkerImage', 'Invoke', 'InspectorScan', {'InspectorRunMode': 'ECRImageScan', 'ECRRepositoryName': 'platform/worker', 'ImageTag': 'stable', 'CriticalThreshold': '0'}, outputs=['WorkerImageSbom'], run_order=3),
            action('ScanConfig', 'Invoke', 'InspectorScan', {'InspectorRunMode': 'SourceCodeScan', 'HighThreshold': '0'}, inputs=['ConfigSource'], outputs=['ConfigSbom'], run_order=3),
        ]},
        {'name': 'Deploy', 'actions': [
            action('Rolling', 'Deploy', 'ECS', {'ClusterName': 'platform', 'ServiceName': 'api', 'FileName': 'imagedefinitions.json', 'DeploymentTimeout': '30'}, inputs=['ImageDefs']),
            action('Kubernetes', 'Deploy', 'EKS', {'ClusterName': 'platform', 'ManifestFiles': 'k8s/api.yaml', 'Namespace': 'api', 'SecurityGroupIds': 'sg-0a1b2c3d4e5f60718'}, inputs=['ImageDefs'], run_order=2),
            action('BlueGreen', 'Deploy', 'CodeDeployToECS', {'ApplicationName': 'platform-api-bg', 'DeploymentGroupName': 'platform-api-bg-group', 'TaskDefinitionTemplateArtifact': 'ImageDefs', 'TaskDefinitionTemplatePath': 'taskdef.json', 'AppSpecTemplateArtifact': 'ImageDefs', 'AppSpecTemplatePath': 'appspec.yaml', 'Image1ArtifactName': 'ImageDefs', 'Image1ContainerName': 'IMAGE1_NAME'}, inputs=['ImageDefs'], run_order=2),
        ]},
    ]


def legacy_stages():
    return [
        {'name': 'Source', 'actions': [
            action('Bundle', 'Source', 'S3', {'S3Bucket': LEGACY_BUCKET, 'S3ObjectKey': 'legacy/bundle.zip', 'PollForSourceChanges': 'true'}, outputs=['BundleSource']),
        ]},
        {'name': 'Deploy', 'actions': [
            action('Fleet', 'Deploy', 'CodeDeploy', {'ApplicationName': 'platform-legacy', 'DeploymentGroupName': 'fleet'}, inputs=['BundleSource']),
            action('Beanstalk', 'Deploy', 'ElasticBeanstalk', {'ApplicationName': 'platform-legacy', 'EnvironmentName': 'platform-legacy-prod'}, inputs=['BundleSource']),
            action('PublishDocs', 'Deploy', 'S3', {'BucketName': DOCS_BUCKET, 'Extract': 'true', 'ObjectKey': 'docs', 'KMSEncryptionKeyARN': DOCS_KEY, 'CannedACL': 'bucket-owner-full-control'}, inputs=['BundleSource']),
            action('Instances', 'Deploy', 'EC2', {'InstanceTagKey': 'app', 'InstanceTagValue': 'platform-legacy', 'InstanceType': 'EC2', 'TargetDirectory': '/opt/platform-legacy', 'TargetGroupNameList': 'platform-legacy-web', 'MaxBatch': '50%', 'PostScript': 'scripts/start.sh'}, inputs=['BundleSource'], role_arn=FLEET_ROLE),
            action('Settings', 'Deploy', 'AppConfig', {'Application': 'lg7x2qa', 'Environment': 'p3k9m1z', 'ConfigurationProfile': 'r8d2w5v', 'DeploymentStrategy': 'AppConfig.Linear50PercentEvery30Seconds', 'InputArtifactConfigurationPath': 'config/settings.json'}, inputs=['BundleSource']),
            action('EdgeNodes', 'Deploy', 'EC2', {'InstanceTagKey': 'platform-edge', 'InstanceType': 'SSM_MANAGED_NODE', 'TargetDirectory': '/opt/platform-legacy', 'PostScript': 'scripts/start.sh'}, inputs=['BundleSource'], run_order=2, role_arn=EDGE_ROLE),
        ]},
        {'name': 'Cleanup', 'actions': [
            action('DeletePreview', 'Deploy', 'CloudFormation', {'ActionMode': 'DELETE_ONLY', 'StackName': 'platform-legacy-preview', 'RoleArn': CFN_ROLE}),
            action('RecreateCanary', 'Deploy', 'CloudFormation', {'ActionMode': 'REPLACE_ON_FAILURE', 'StackName': 'platform-legacy-canary', 'TemplatePath': 'BundleSource::canary.yaml', 'RoleArn': CFN_ROLE}, inputs=['BundleSource'], run_order=2, region=W),
        ]},
        {'name': 'Downstream', 'actions': [
            action('StartWeb', 'Invoke', 'CodePipeline', {'PipelineName': 'platform-web'}),
        ]},
    ]


def all_providers():
    files = {}
    smoke_policy = doc(
        stmt('Logs', ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], arn_of('logs', 'log-group:/aws/lambda/platform-smoke-test:*')),
        stmt('JobResult', ['codepipeline:PutJobSuccessResult', 'codepipeline:PutJobFailureResult'], '*'),
    )
    pipelines = [f'arn:aws:codepipeline:{R}:{T}:{n}' for n in ('platform-containers', 'platform-web')]
    files[f'{T}/iam.json'] = iam([
        role(API_PACKAGE_ROLE, 'AROAQXAMPLEAPIPKG0001', trust({'Service': 'codebuild.amazonaws.com'}, {'StringEquals': {'aws:SourceAccount': T}}), [('platform-api-package-policy', build_role_policy('platform-api-package'))]),
        role(API_TEST_ROLE, 'AROAQXAMPLEAPITEST001', trust({'Service': 'codebuild.amazonaws.com'}, {'StringEquals': {'aws:SourceAccount': T}}), [('platform-api-test-policy', build_role_policy('platform-api-test'))]),
        role(API_BATCH_ROLE, 'AROAQXAMPLEAPIBATCH01', trust({'Service': 'codebuild.amazonaws.com'}), [('platform-api-test-batch-policy', doc(stmt('BatchBuilds', ['codebuild:StartBuild', 'codebuild:StopBuild', 'codebuild:RetryBuild'], arn_of('codebuild', 'project/platform-api-test'))))]),
        role(CFN_ROLE, 'AROAQXAMPLECFNEXEC002', trust({'Service': 'cloudformation.amazonaws.com'}), [('platform-cfn-exec-policy', doc(stmt('AppResources', ['s3:*', 'lambda:*', 'apigateway:*', 'dynamodb:*', 'cloudfront:*', 'logs:*', 'iam:GetRole', 'iam:PassRole', 'iam:CreateRole', 'iam:PutRolePolicy', 'iam:DeleteRole', 'iam:DeleteRolePolicy'], '*')))]),
        role(CODEDEPLOY_ROLE, 'AROAQXAMPLECODEDEPL01', trust({'Service': 'codedeploy.amazonaws.com'}), [], managed=['arn:aws:iam::aws:policy/service-role/AWSCodeDeployRole']),
        role(FLEET_ROLE, 'AROAQXAMPLEFLEETDEP01', trust({'AWS': PIPE_ROLE}), [('platform-legacy-fleet-deploy-policy', ec2_deploy_policy(
            stmt('TaggedInstances', 'ssm:SendCommand', arn_of('ec2', 'instance/*'), condition={'StringEquals': {'aws:ResourceTag/app': 'platform-legacy'}}),
            stmt('TargetGroups', ['elasticloadbalancing:DeregisterTargets', 'elasticloadbalancing:RegisterTargets'], arn_of('elasticloadbalancing', 'targetgroup/platform-legacy-web/*'))))]),
        role(EDGE_ROLE, 'AROAQXAMPLEEDGEDEP001', trust({'AWS': PIPE_ROLE}), [('platform-legacy-edge-deploy-policy', ec2_deploy_policy(stmt('ManagedNodes', 'ssm:SendCommand', [arn_of('ssm', 'managed-instance/*'), arn_of('ec2', 'instance/*')])))]),
        role(EVENTS_ROLE, 'AROAQXAMPLEEVENTS0002', trust({'Service': 'events.amazonaws.com'}), [('start-platform-pipelines', doc(stmt('StartPipelines', 'codepipeline:StartPipelineExecution', pipelines)))]),
        role(PIPE_ROLE, 'AROAQXAMPLEPIPELINE02', trust({'Service': 'codepipeline.amazonaws.com'}), [('platform-pipeline-policy', pipeline_role_policy())]),
        role(SMOKE_ROLE, 'AROAQXAMPLESMOKE0002', trust({'Service': 'lambda.amazonaws.com'}), [('platform-smoke-test-policy', smoke_policy)]),
        role(WEB_BUILD_ROLE, 'AROAQXAMPLEWEBBUILD01', trust({'Service': 'codebuild.amazonaws.com'}, {'StringEquals': {'aws:SourceAccount': T}}), [('platform-web-build-policy', build_role_policy('platform-web-build', web_build_extra()))]),
    ], policies=[{
        'PolicyName': 'AWSCodeDeployRole', 'PolicyId': 'ANPAJ2NKMKD73QS5NBFLA', 'Arn': 'arn:aws:iam::aws:policy/service-role/AWSCodeDeployRole',
        'Path': '/service-role/', 'DefaultVersionId': 'v11', 'AttachmentCount': 1, 'PermissionsBoundaryUsageCount': 0, 'IsAttachable': True,
        'CreateDate': '2015-05-04T18:05:37+00:00', 'UpdateDate': '2023-09-07T17:39:34+00:00',
        'PolicyVersionList': [{'Document': doc({'Effect': 'Allow', 'Action': ['autoscaling:*', 'ec2:Describe*', 'ec2:RunInstances', 'ec2:TerminateInstances', 'elasticloadbalancing:*', 'sns:Publish', 'tag:GetResources', 'cloudwatch:DescribeAlarms', 'cloudwatch:PutMetricAlarm', 'iam:PassRole'], 'Resource': '*'}), 'VersionId': 'v11', 'IsDefaultVersion': True, 'CreateDate': '2023-09-07T17:39:34+00:00'}],
    }])
    build_roles = [PIPE_ROLE, WEB_BUILD_ROLE, API_TEST_ROLE, API_PACKAGE_ROLE]
    files[f'{T}/{R}/kms/{KEY_ID}.json'] = kms_key(KEY_ID, T, 'platform pipeline artifacts', key_policy(build_roles))
    files[f'{T}/{R}/kms/{CONFIG_KEY_ID}.json'] = kms_key(CONFIG_KEY_ID, T, 'platform deploy configuration', key_policy([PIPE_ROLE]))
    files[f'{T}/{R}/kms/{DOCS_KEY_ID}.json'] = kms_key(DOCS_KEY_ID, T, 'platform documentation site', key_policy([PIPE_ROLE]))
    files[f'{T}/{R}/kms/{TOPIC_KEY_ID}.json'] = kms_key(TOPIC_KEY_ID, T, 'platform approval notifications', key_policy([PIPE_ROLE]))
    files[f'{T}/{R}/kms/aliases.json'] = {'Aliases': [
        {'AliasName': f'alias/{n}', 'AliasArn': f'arn:aws:kms:{R}:{T}:alias/{n}', 'TargetKeyId': k, 'CreationDate': CREATED, 'LastUpdatedDate': CREATED}
        for n, k in (('platform-artifacts', KEY_ID), ('platform-config', CONFIG_KEY_ID), ('platform-docs', DOCS_KEY_ID), ('platform-approvals', TOPIC_KEY_ID))
    ]}
    files[f'{T}/s3/{BUCKET}.json'] = bucket_file(doc(
        stmt('DenyUnEncryptedObjectUploads', 's3:PutObject', f'arn:aws:s3:::{BUCKET}/*', effect='Deny', principal='*', condition={'StringNotEquals': {'s3:x-amz-server-side-encryption': 'aws:kms'}}),
        stmt('DenyInsecureConnections', 's3:*', f'arn:aws:s3:::{BUCKET}/*', effect='Deny', principal='*', condition={'Bool': {'aws:SecureTransport': 'false'}}),
    ), KEY)
    files[f'{T}/s3/{CONFIG_BUCKET}.json'] = bucket_file(tls_only(CONFIG_BUCKET), CONFIG_KEY)
    files[f'{T}/s3/{LEGACY_BUCKET}.json'] = bucket_file(tls_only(LEGACY_BUCKET))
    files[f'{T}/s3/{DOCS_BUCKET}.json'] = bucket_file(tls_only(DOCS_BUCKET), DOCS_KEY)
    files[f'{T}/s3/{DEPS_BUCKET}.json'] = bucket_file(tls_only(DEPS_BUCKET))
    files[f'{T}/s3/{REPORTS_BUCKET}.json'] = bucket_file(tls_only(REPORTS_BUCKET))
    files[f'{T}/s3/{LOGS_BUCKET}.json'] = bucket_file(tls_only(LOGS_BUCKET))
    files[f'{T}/s3/{BUCKET_W}.json'] = dict(bucket_file(tls_only(BUCKET_W), KEY_W), LocationConstraint=W)
    files[f'{T}/{W}/kms/{KEY_W_ID}.json'] = kms_key(KEY_W_ID, T, 'platform pipeline artifacts (us-west-2)', key_policy([PIPE_ROLE]), region=W)
    files[f'{T}/{R}/codebuild.json'] = {'projects': [
        project('platform-api-package', API_PACKAGE_ROLE, 'aws/codebuild/amazonlinux2-x86_64-standard:5.0', description='renders imagedefinitions.json and the appspec'),
        project('platform-api-test', API_TEST_ROLE, f'{ECR}/platform/test-runner:2024.06', description='api test suite, batch build', batch_role=API_BATCH_ROLE),
        project('platform-web-build', WEB_BUILD_ROLE, f'{ECR}/platform/build-image:2024.06', pull='SERVICE_ROLE', vpc=True, description='builds the web frontend inside the build VPC',
                variables=[
                    {'name': 'API_URL', 'value': '/platform/web/api-url', 'type': 'PARAMETER_STORE'},
                    {'name': 'NPM_TOKEN', 'value': arn_of('secretsmanager', 'secret:platform/npm-token-Xy12Ab') + ':token', 'type': 'SECRETS_MANAGER'},
                    {'name': 'STAGE', 'value': 'prod', 'type': 'PLAINTEXT'},
                ],
                secondary_sources=[
                    {'type': 'CODECOMMIT', 'location': f'https://git-codecommit.{R}.amazonaws.com/v1/repos/platform-shared', 'gitCloneDepth': 1, 'insecureSsl': False, 'sourceIdentifier': 'shared'},
                    {'type': 'S3', 'location': f'{DEPS_BUCKET}/toolchain/node-20.zip', 'insecureSsl': False, 'sourceIdentifier': 'toolchain'},
                    {'type': 'GITHUB', 'location': 'https://github.com/example-org/platform-design-tokens', 'gitCloneDepth': 1, 'insecureSsl': False, 'sourceIdentifier': 'tokens',
                     'auth': {'type': 'CODECONNECTIONS', 'resource': CONNECTION}},
                    {'type': 'BITBUCKET', 'location': 'https://bitbucket.org/example-org/platform-icons.git', 'gitCloneDepth': 1, 'insecureSsl': False, 'sourceIdentifier': 'icons',
                     'auth': {'type': 'SECRETS_MANAGER', 'resource': ICONS_TOKEN}},
                ],
                secondary_artifacts=[
                    {'type': 'S3', 'location': REPORTS_BUCKET, 'path': 'web', 'namespaceType': 'BUILD_ID', 'name': 'reports', 'packaging': 'ZIP', 'encryptionDisabled': False, 'artifactIdentifier': 'reports', 'bucketOwnerAccess': 'READ_ONLY'},
                ],
                s3_logs={'status': 'ENABLED', 'location': f'{LOGS_BUCKET}/platform-web', 'encryptionDisabled': False, 'bucketOwnerAccess': 'FULL'}),
    ], 'projectsNotFound': []}
    for name, stages in (('platform-containers', containers_stages()), ('platform-legacy', legacy_stages()), ('platform-web', web_stages())):
        files[f'{T}/{R}/codepipeline/{name}.json'] = pipeline_file(name, PIPE_ROLE, BUCKET, KEY, stages)
    # platform-legacy has an action in us-west-2: one artifact store per region
    legacy = files[f'{T}/{R}/codepipeline/platform-legacy.json']['pipeline']
    legacy['artifactStores'] = {R: legacy.pop('artifactStore'), W: {'type': 'S3', 'location': BUCKET_W, 'encryptionKey': {'id': KEY_W, 'type': 'KMS'}}}
    files[f'{T}/{R}/events.json'] = {
        'Rules': [
            {'Name': 'platform-api-image-push', 'Arn': arn_of('events', 'rule/platform-api-image-push'), 'EventPattern': '{"source":["aws.ecr"],"detail-type":["ECR Image Action"],"detail":{"action-type":["PUSH"],"result":["SUCCESS"],"repository-name":["platform/api"],"image-tag":["latest"]}}', 'State': 'ENABLED', 'EventBusName': 'default'},
            {'Name': 'platform-web-main-branch', 'Arn': arn_of('events', 'rule/platform-web-main-branch'), 'EventPattern': '{"source":["aws.codecommit"],"detail-type":["CodeCommit Repository State Change"],"resources":["' + REPO_WEB + '"],"detail":{"event":["referenceCreated","referenceUpdated"],"referenceType":["branch"],"referenceName":["main"]}}', 'State': 'ENABLED', 'EventBusName': 'default'},
        ],
        'Targets': {
            'platform-api-image-push': [{'Id': 'codepipeline-platform-containers', 'Arn': pipelines[0], 'RoleArn': EVENTS_ROLE}],
            'platform-web-main-branch': [{'Id': 'codepipeline-platform-web', 'Arn': pipelines[1], 'RoleArn': EVENTS_ROLE}],
        },
    }
    files[f'{T}/{R}/lambda/platform-smoke-test.json'] = {
        'Configuration': {'FunctionName': 'platform-smoke-test', 'FunctionArn': SMOKE_FN, 'Runtime': 'nodejs20.x', 'Role': SMOKE_ROLE, 'Handler': 'index.handler', 'CodeSize': 2214, 'Description': 'smoke tests after a release', 'Timeout': 120, 'MemorySize': 256, 'LastModified': '2024-06-10T08:00:00.000+0000', 'CodeSha256': 'm1bq3o0VqGm5n6W6o3cC2r0pR0G6n2yq4fQ6yE1k3dU=', 'Version': '$LATEST', 'TracingConfig': {'Mode': 'PassThrough'}, 'RevisionId': '0c2f2a3e-2d5b-4b8e-9f0a-6e7d8c9b0a1f', 'State': 'Active', 'LastUpdateStatus': 'Successful', 'PackageType': 'Zip', 'Architectures': ['x86_64'], 'EphemeralStorage': {'Size': 512}},
        'Code': {'RepositoryType': 'S3'},
    }
    files[f'{T}/{R}/lambda/platform-api-handler.json'] = {
        'Configuration': {'FunctionName': 'platform-api-handler', 'FunctionArn': HANDLER_FN, 'Runtime': 'nodejs20.x', 'Role': f'{A}/platform-api-handler-role', 'Handler': 'index.handler', 'CodeSize': 48211, 'Timeout': 30, 'MemorySize': 512, 'LastModified': '2024-06-10T08:00:00.000+0000', 'Version': '$LATEST', 'State': 'Active', 'LastUpdateStatus': 'Successful', 'PackageType': 'Zip', 'Architectures': ['arm64']},
        'Code': {'RepositoryType': 'S3'},
    }
    files[f'{T}/{R}/codedeploy/platform-legacy.fleet.json'] = {'deploymentGroupInfo': {
        'applicationName': 'platform-legacy', 'deploymentGroupId': '8d3c2b1a-4e5f-4a6b-9c7d-0e1f2a3b4c5d', 'deploymentGroupName': 'fleet',
        'deploymentConfigName': 'CodeDeployDefault.HalfAtATime', 'ec2TagFilters': [{'Key': 'app', 'Value': 'platform-legacy', 'Type': 'KEY_AND_VALUE'}],
        'onPremisesInstanceTagFilters': [], 'autoScalingGroups': [], 'serviceRoleArn': CODEDEPLOY_ROLE, 'triggerConfigurations': [],
        'autoRollbackConfiguration': {'enabled': True, 'events': ['DEPLOYMENT_FAILURE']},
        'deploymentStyle': {'deploymentType': 'IN_PLACE', 'deploymentOption': 'WITHOUT_TRAFFIC_CONTROL'},
        'outdatedInstancesStrategy': 'UPDATE', 'computePlatform': 'Server', 'terminationHookEnabled': False}}
    files[f'{T}/{R}/codedeploy/platform-api-bg.platform-api-bg-group.json'] = {'deploymentGroupInfo': {
        'applicationName': 'platform-api-bg', 'deploymentGroupId': '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5e', 'deploymentGroupName': 'platform-api-bg-group',
        'deploymentConfigName': 'CodeDeployDefault.ECSAllAtOnce', 'ec2TagFilters': [], 'onPremisesInstanceTagFilters': [], 'autoScalingGroups': [],
        'serviceRoleArn': CODEDEPLOY_ROLE, 'triggerConfigurations': [],
        'autoRollbackConfiguration': {'enabled': True, 'events': ['DEPLOYMENT_FAILURE']},
        'deploymentStyle': {'deploymentType': 'BLUE_GREEN', 'deploymentOption': 'WITH_TRAFFIC_CONTROL'},
        'blueGreenDeploymentConfiguration': {'terminateBlueInstancesOnDeploymentSuccess': {'action': 'TERMINATE', 'terminationWaitTimeInMinutes': 5}, 'deploymentReadyOption': {'actionOnTimeout': 'CONTINUE_DEPLOYMENT', 'waitTimeInMinutes': 0}},
        'loadBalancerInfo': {'targetGroupPairInfoList': [{'targetGroups': [{'name': 'platform-api-blue'}, {'name': 'platform-api-green'}], 'prodTrafficRoute': {'listenerArns': [f'arn:aws:elasticloadbalancing:{R}:{T}:listener/app/platform-api/0123456789abcdef/0123456789abcdef']}}]},
        'ecsServices': [{'serviceName': 'api-bg', 'clusterName': 'platform'}], 'computePlatform': 'ECS', 'terminationHookEnabled': False}}
    repo_policy = {'Version': '2012-10-17', 'Statement': [{
        'Sid': 'CodeBuildAccess', 'Effect': 'Allow', 'Principal': {'Service': 'codebuild.amazonaws.com'},
        'Action': ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
        'Condition': {'StringEquals': {'aws:SourceAccount': T}, 'ArnLike': {'aws:SourceArn': arn_of('codebuild', 'project/*')}}}]}
    files[f'{T}/{R}/ecr/platform/test-runner.json'] = {'registryId': T, 'repositoryName': 'platform/test-runner', 'policyText': PolicyString(repo_policy)}
    files[f'{T}/{R}/ecr/platform/build-image.json'] = {}
    files[f'{T}/{R}/ecr/platform/api.json'] = {}
    files[f'{T}/{R}/ecr/platform/worker.json'] = {}
    files[f'{T}/{R}/sns/platform-approvals.json'] = {'Attributes': {
        'Policy': PolicyString({'Version': '2008-10-17', 'Id': '__default_policy_ID', 'Statement': [{'Sid': '__default_statement_ID', 'Effect': 'Allow', 'Principal': {'AWS': '*'}, 'Action': ['SNS:GetTopicAttributes', 'SNS:SetTopicAttributes', 'SNS:AddPermission', 'SNS:RemovePermission', 'SNS:DeleteTopic', 'SNS:Subscribe', 'SNS:ListSubscriptionsByTopic', 'SNS:Publish'], 'Resource': TOPIC, 'Condition': {'StringEquals': {'AWS:SourceOwner': T}}}]}),
        'Owner': T, 'SubscriptionsPending': '0', 'TopicArn': TOPIC, 'SubscriptionsConfirmed': '3', 'DisplayName': 'platform approvals', 'SubscriptionsDeleted': '0',
        'KmsMasterKeyId': 'alias/platform-approvals'}}
    files.update(organization([(T, 'tools', 'tools@example.com'), (P, 'prod', 'prod@example.com')], {T: OU, P: OU, OU: ROOT}))
    return files
