# The shared realistic baseline every failure scenario mutates: a cross-account pipeline
# `orders-api` in the tools account (CodeCommit -> CodeBuild -> CloudFormation deploy into prod
# with an action role), a customer-managed artifact key, an EventBridge trigger, and an
# organization with FullAWSAccess / RCPFullAWSAccess. As generated it passes: every required
# link is allowed (scenario `pass-cross-account`).
from snapshot import (CREATED, M, ORG, OU, P, PolicyString, R, ROOT, T, doc, iam, kms_key,
                      organization, role, stmt, trust)

PIPELINE = 'orders-api'
PIPELINE_ARN = f'arn:aws:codepipeline:{R}:{T}:{PIPELINE}'
KEY_ID = '7c1d9e4a-3b2f-4a6d-8e5c-1f0a9b8c7d6e'
KEY = f'arn:aws:kms:{R}:{T}:key/{KEY_ID}'
AWS_S3_KEY_ID = '3e5f7a9b-1c2d-4e6f-8a0b-c1d2e3f4a5b6'
AWS_S3_KEY = f'arn:aws:kms:{R}:{T}:key/{AWS_S3_KEY_ID}'
BUCKET = f'orders-artifacts-{T}-{R}'
PIPE_ROLE = f'arn:aws:iam::{T}:role/service-role/orders-api-pipeline-role'
BUILD_ROLE = f'arn:aws:iam::{T}:role/service-role/orders-api-build-role'
EVENTS_ROLE = f'arn:aws:iam::{T}:role/service-role/orders-api-events-role'
ACTION_ROLE = f'arn:aws:iam::{P}:role/orders-api-deploy-action'
CFN_ROLE = f'arn:aws:iam::{P}:role/orders-api-cfn-exec'
REPO = f'arn:aws:codecommit:{R}:{T}:orders-api'
PROJECT = f'arn:aws:codebuild:{R}:{T}:project/orders-api-build'
BUILD_LOGS = f'arn:aws:logs:{R}:{T}:log-group:/aws/codebuild/orders-api-build'

PIPELINE_FILE = f'{T}/{R}/codepipeline/{PIPELINE}.json'
KEY_FILE = f'{T}/{R}/kms/{KEY_ID}.json'
BUCKET_FILE = f'{T}/s3/{BUCKET}.json'


def pipeline_policy():
    return doc(
        stmt('ArtifactObjects', ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject', 's3:PutObjectAcl'], f'arn:aws:s3:::{BUCKET}/*'),
        stmt('ArtifactBucket', ['s3:GetBucketVersioning', 's3:GetBucketAcl', 's3:GetBucketLocation', 's3:ListBucket'], f'arn:aws:s3:::{BUCKET}'),
        stmt('ArtifactKey', ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'], KEY),
        stmt('CodeCommitSource', ['codecommit:GetBranch', 'codecommit:GetCommit', 'codecommit:UploadArchive', 'codecommit:GetUploadArchiveStatus', 'codecommit:CancelUploadArchive', 'codecommit:GetRepository'], REPO),
        stmt('CodeBuild', ['codebuild:StartBuild', 'codebuild:BatchGetBuilds', 'codebuild:StopBuild'], PROJECT),
        stmt('AssumeProdDeployRole', 'sts:AssumeRole', ACTION_ROLE),
    )


def build_policy():
    return doc(
        stmt('Logs', ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], [BUILD_LOGS, f'{BUILD_LOGS}:*']),
        stmt('Artifacts', ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject', 's3:GetBucketAcl', 's3:GetBucketLocation'], [f'arn:aws:s3:::{BUCKET}', f'arn:aws:s3:::{BUCKET}/*']),
        stmt('ArtifactKey', ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*', 'kms:DescribeKey'], KEY),
        stmt('Reports', ['codebuild:CreateReportGroup', 'codebuild:CreateReport', 'codebuild:UpdateReport', 'codebuild:BatchPutTestCases', 'codebuild:BatchPutCodeCoverages'], f'arn:aws:codebuild:{R}:{T}:report-group/orders-api-build-*'),
    )


def deploy_policy():
    return doc(
        stmt('Stack', ['cloudformation:CreateStack', 'cloudformation:UpdateStack', 'cloudformation:DeleteStack', 'cloudformation:DescribeStacks', 'cloudformation:DescribeStackEvents', 'cloudformation:DescribeStackResources', 'cloudformation:GetTemplate', 'cloudformation:CreateChangeSet', 'cloudformation:DescribeChangeSet', 'cloudformation:ExecuteChangeSet', 'cloudformation:DeleteChangeSet'], f'arn:aws:cloudformation:{R}:{P}:stack/orders-api/*'),
        stmt('ValidateTemplate', 'cloudformation:ValidateTemplate', '*'),
        stmt('PassCfnExecRole', 'iam:PassRole', CFN_ROLE, condition={'StringEqualsIfExists': {'iam:PassedToService': 'cloudformation.amazonaws.com'}}),
        stmt('ArtifactObjects', ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject', 's3:PutObjectAcl'], f'arn:aws:s3:::{BUCKET}/*'),
        stmt('ArtifactBucket', ['s3:GetBucketVersioning', 's3:GetBucketAcl', 's3:GetBucketLocation', 's3:ListBucket'], f'arn:aws:s3:::{BUCKET}'),
        stmt('ArtifactKey', ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey*'], KEY),
    )


def bucket_policy():
    # the console's SSEAndSSLPolicy plus the cross-account grants of the CodePipeline docs
    return doc(
        stmt('DenyUnEncryptedObjectUploads', 's3:PutObject', f'arn:aws:s3:::{BUCKET}/*', effect='Deny', principal='*', condition={'StringNotEquals': {'s3:x-amz-server-side-encryption': 'aws:kms'}}),
        stmt('DenyInsecureConnections', 's3:*', f'arn:aws:s3:::{BUCKET}/*', effect='Deny', principal='*', condition={'Bool': {'aws:SecureTransport': 'false'}}),
        stmt('ProdAccountObjects', ['s3:Get*', 's3:Put*'], f'arn:aws:s3:::{BUCKET}/*', principal={'AWS': f'arn:aws:iam::{P}:root'}),
        stmt('ProdAccountBucket', ['s3:ListBucket', 's3:GetBucketVersioning', 's3:GetBucketAcl', 's3:GetBucketLocation'], f'arn:aws:s3:::{BUCKET}', principal={'AWS': f'arn:aws:iam::{P}:root'}),
    )


def key_policy():
    return doc(
        stmt('Enable IAM User Permissions', 'kms:*', '*', principal={'AWS': f'arn:aws:iam::{T}:root'}),
        stmt('AllowPipelineAndBuildRoles', ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'], '*', principal={'AWS': [PIPE_ROLE, BUILD_ROLE]}),
        stmt('AllowProdAccount', ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey*'], '*', principal={'AWS': f'arn:aws:iam::{P}:root'}),
    )


def codebuild_project():
    return {
        'name': 'orders-api-build',
        'arn': PROJECT,
        'description': 'unit tests and packaging of the orders api',
        'source': {'type': 'CODEPIPELINE', 'buildspec': 'buildspec.yml', 'insecureSsl': False},
        'secondarySources': [],
        'secondarySourceVersions': [],
        'artifacts': {'type': 'CODEPIPELINE', 'name': 'orders-api-build', 'packaging': 'NONE', 'encryptionDisabled': False},
        'secondaryArtifacts': [],
        'cache': {'type': 'NO_CACHE'},
        'environment': {
            'type': 'LINUX_CONTAINER',
            'image': 'aws/codebuild/amazonlinux2-x86_64-standard:5.0',
            'computeType': 'BUILD_GENERAL1_SMALL',
            'environmentVariables': [{'name': 'STAGE', 'value': 'prod', 'type': 'PLAINTEXT'}],
            'privilegedMode': False,
            'imagePullCredentialsType': 'CODEBUILD',
        },
        'serviceRole': BUILD_ROLE,
        'timeoutInMinutes': 60,
        'queuedTimeoutInMinutes': 480,
        'encryptionKey': KEY,
        'tags': [{'key': 'app', 'value': 'orders-api'}],
        'created': CREATED,
        'lastModified': CREATED,
        'badge': {'badgeEnabled': False},
        'logsConfig': {'cloudWatchLogs': {'status': 'ENABLED'}, 's3Logs': {'status': 'DISABLED', 'encryptionDisabled': False}},
        'projectVisibility': 'PRIVATE',
    }


def action(name, category, provider, configuration, inputs=(), outputs=(), run_order=1, role_arn=None, region=None):
    a = {
        'name': name,
        'actionTypeId': {'category': category, 'owner': 'AWS', 'provider': provider, 'version': '1'},
        'runOrder': run_order,
        'configuration': configuration,
        'outputArtifacts': [{'name': o} for o in outputs],
        'inputArtifacts': [{'name': i} for i in inputs],
    }
    if role_arn:
        a['roleArn'] = role_arn
    if region:
        a['region'] = region
    return a


def pipeline_file(name, role_arn, bucket, key_arn, stages, version=4):
    store = {'type': 'S3', 'location': bucket}
    if key_arn is not None:
        store['encryptionKey'] = {'id': key_arn, 'type': 'KMS'}
    return {
        'pipeline': {
            'name': name,
            'roleArn': role_arn,
            'artifactStore': store,
            'stages': stages,
            'version': version,
            'executionMode': 'QUEUED',
            'pipelineType': 'V2',
        },
        'metadata': {
            'pipelineArn': f'arn:aws:codepipeline:{R}:{T}:{name}',
            'created': CREATED,
            'updated': '2024-06-11T14:05:00+00:00',
        },
    }


def stages():
    return [
        {'name': 'Source', 'actions': [action('Source', 'Source', 'CodeCommit', {'RepositoryName': 'orders-api', 'BranchName': 'main', 'PollForSourceChanges': 'false', 'OutputArtifactFormat': 'CODE_ZIP'}, outputs=['SourceOutput'])]},
        {'name': 'Build', 'actions': [action('Build', 'Build', 'CodeBuild', {'ProjectName': 'orders-api-build'}, inputs=['SourceOutput'], outputs=['BuildOutput'])]},
        {'name': 'DeployProd', 'actions': [action('DeployStack', 'Deploy', 'CloudFormation', {'ActionMode': 'CREATE_UPDATE', 'StackName': 'orders-api', 'TemplatePath': 'BuildOutput::packaged.yaml', 'Capabilities': 'CAPABILITY_IAM,CAPABILITY_AUTO_EXPAND', 'RoleArn': CFN_ROLE}, inputs=['BuildOutput'], role_arn=ACTION_ROLE)]},
    ]


def baseline():
    files = {}
    files[f'{T}/iam.json'] = iam([
        role(EVENTS_ROLE, 'AROAQXAMPLEEVENTS0001', trust({'Service': 'events.amazonaws.com'}), [('start-orders-api-pipeline', doc(stmt('StartPipeline', 'codepipeline:StartPipelineExecution', PIPELINE_ARN)))]),
        role(PIPE_ROLE, 'AROAQXAMPLEPIPELINE01', trust({'Service': 'codepipeline.amazonaws.com'}), [('orders-api-pipeline-policy', pipeline_policy())]),
        role(BUILD_ROLE, 'AROAQXAMPLEBUILD00001', trust({'Service': 'codebuild.amazonaws.com'}), [('orders-api-build-policy', build_policy())]),
    ])
    files[f'{P}/iam.json'] = iam([
        role(ACTION_ROLE, 'AROAQXAMPLEDEPLOY0001', trust({'AWS': PIPE_ROLE}), [('orders-api-deploy-action-policy', deploy_policy())], description='assumed by the orders-api pipeline in the tools account'),
        role(CFN_ROLE, 'AROAQXAMPLECFNEXEC001', trust({'Service': 'cloudformation.amazonaws.com'}), [('orders-api-cfn-exec-policy', doc(stmt('AppResources', ['s3:*', 'lambda:*', 'apigateway:*', 'dynamodb:*', 'sqs:*', 'logs:*', 'iam:GetRole', 'iam:PassRole', 'iam:CreateRole', 'iam:PutRolePolicy', 'iam:AttachRolePolicy', 'iam:DeleteRole', 'iam:DeleteRolePolicy', 'iam:DetachRolePolicy', 'iam:TagRole'], '*')))]),
    ])
    files[BUCKET_FILE] = {
        'Policy': PolicyString(bucket_policy()),
        'LocationConstraint': None,
        'PublicAccessBlockConfiguration': {'BlockPublicAcls': True, 'IgnorePublicAcls': True, 'BlockPublicPolicy': True, 'RestrictPublicBuckets': True},
        'OwnershipControls': {'Rules': [{'ObjectOwnership': 'BucketOwnerEnforced'}]},
        'ServerSideEncryptionConfiguration': {'Rules': [{'ApplyServerSideEncryptionByDefault': {'SSEAlgorithm': 'aws:kms', 'KMSMasterKeyID': KEY}, 'BucketKeyEnabled': False}]},
    }
    files[KEY_FILE] = kms_key(KEY_ID, T, 'orders-api pipeline artifacts', key_policy())
    files[f'{T}/{R}/kms/aliases.json'] = {'Aliases': [
        {'AliasName': 'alias/orders-artifacts', 'AliasArn': f'arn:aws:kms:{R}:{T}:alias/orders-artifacts', 'TargetKeyId': KEY_ID, 'CreationDate': CREATED, 'LastUpdatedDate': CREATED},
    ]}
    files[f'{T}/{R}/codebuild.json'] = {'projects': [codebuild_project()], 'projectsNotFound': []}
    files[PIPELINE_FILE] = pipeline_file(PIPELINE, PIPE_ROLE, BUCKET, KEY, stages())
    files[f'{T}/{R}/events.json'] = {
        'Rules': [{
            'Name': 'orders-api-main-branch',
            'Arn': f'arn:aws:events:{R}:{T}:rule/orders-api-main-branch',
            'EventPattern': '{"source":["aws.codecommit"],"detail-type":["CodeCommit Repository State Change"],"resources":["' + REPO + '"],"detail":{"event":["referenceCreated","referenceUpdated"],"referenceType":["branch"],"referenceName":["main"]}}',
            'State': 'ENABLED',
            'EventBusName': 'default',
        }],
        'Targets': {'orders-api-main-branch': [{'Id': 'codepipeline-orders-api', 'Arn': PIPELINE_ARN, 'RoleArn': EVENTS_ROLE}]},
    }
    files.update(organization(
        [(T, 'tools', 'tools@example.com'), (P, 'prod', 'prod@example.com')],
        {T: OU, P: OU, OU: ROOT},
    ))
    files['organization/scp/p-exmguard01.json'] = {
        'Policy': {
            'PolicySummary': {'Id': 'p-exmguard01', 'Arn': f'arn:aws:organizations::{M}:policy/{ORG}/service_control_policy/p-exmguard01', 'Name': 'deny-leave-org', 'Description': 'member accounts stay in the organization', 'Type': 'SERVICE_CONTROL_POLICY', 'AwsManaged': False},
            'Content': PolicyString(doc(stmt('DenyLeaveOrg', 'organizations:LeaveOrganization', '*', effect='Deny'))),
        },
        'Targets': [{'TargetId': OU, 'Arn': f'arn:aws:organizations::{M}:ou/{ORG}/{OU}', 'Name': OU, 'Type': 'ORGANIZATIONAL_UNIT'}],
    }
    return files


def aws_managed_s3_key_files():
    """What a crawl writes for the tools account's `aws/s3` key once S3 has created it."""
    from snapshot import aws_managed_s3_key_policy
    key = kms_key(AWS_S3_KEY_ID, T, 'Default key that protects my S3 objects when no other key is defined', aws_managed_s3_key_policy(T), manager='AWS')
    alias = {'AliasName': 'alias/aws/s3', 'AliasArn': f'arn:aws:kms:{R}:{T}:alias/aws/s3', 'TargetKeyId': AWS_S3_KEY_ID, 'CreationDate': CREATED, 'LastUpdatedDate': CREATED}
    return key, alias


__all__ = ['baseline', 'PolicyString']
