# Writes fixtures/demo: a realistic cross-account pipeline (tools + prod) with one broken link.
# Kept as a script so the fixture can be regenerated; the JSON files are what the tests read.
import json, os, sys

root = sys.argv[1] if len(sys.argv) > 1 else 'fixtures/demo'
T, P, R = '111111111111', '222222222222', 'us-east-1'
KEY_ID = '0b6e3a5c-4c1f-4d0a-9d47-6f2f3e1a9c10'
KEY = f'arn:aws:kms:{R}:{T}:key/{KEY_ID}'
BUCKET = f'demo-artifacts-{T}-{R}'
PIPE_ROLE = f'arn:aws:iam::{T}:role/service-role/demo-pipeline-role'
BUILD_ROLE = f'arn:aws:iam::{T}:role/service-role/demo-build-role'
ACTION_ROLE = f'arn:aws:iam::{P}:role/demo-deploy-action'
CFN_ROLE = f'arn:aws:iam::{P}:role/demo-cfn-exec'
REPO = f'arn:aws:codecommit:{R}:{T}:demo-app'
PROJECT = f'arn:aws:codebuild:{R}:{T}:project/demo-build'

def write(path, obj):
    full = os.path.join(root, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, 'w') as f:
        json.dump(obj, f, indent=2)
        f.write('\n')

def doc(*stmts):
    return {'Version': '2012-10-17', 'Statement': list(stmts)}

def role(arn, role_id, trust, inline, created='2024-03-01T10:00:00+00:00'):
    path_name = arn.split(':role', 1)[1]
    name = path_name.rsplit('/', 1)[1]
    path = path_name[: -len(name)]
    return {
        'Path': path, 'RoleName': name, 'RoleId': role_id, 'Arn': arn, 'CreateDate': created,
        'AssumeRolePolicyDocument': trust,
        'InstanceProfileList': [],
        'RolePolicyList': [{'PolicyName': n, 'PolicyDocument': d} for n, d in inline],
        'AttachedManagedPolicies': [], 'Tags': [], 'RoleLastUsed': {},
    }

def iam(roles, policies=()):
    return {'UserDetailList': [], 'GroupDetailList': [], 'RoleDetailList': roles, 'Policies': list(policies)}

pipeline_policy = doc(
    {'Sid': 'ArtifactObjects', 'Effect': 'Allow', 'Action': ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject', 's3:PutObjectAcl'], 'Resource': f'arn:aws:s3:::{BUCKET}/*'},
    {'Sid': 'ArtifactBucket', 'Effect': 'Allow', 'Action': ['s3:GetBucketVersioning', 's3:GetBucketAcl', 's3:GetBucketLocation', 's3:ListBucket'], 'Resource': f'arn:aws:s3:::{BUCKET}'},
    {'Sid': 'ArtifactKey', 'Effect': 'Allow', 'Action': ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'], 'Resource': KEY},
    {'Sid': 'Source', 'Effect': 'Allow', 'Action': ['codecommit:GetBranch', 'codecommit:GetCommit', 'codecommit:UploadArchive', 'codecommit:GetUploadArchiveStatus', 'codecommit:CancelUploadArchive', 'codecommit:GetRepository'], 'Resource': REPO},
    {'Sid': 'Build', 'Effect': 'Allow', 'Action': ['codebuild:StartBuild', 'codebuild:BatchGetBuilds', 'codebuild:StopBuild'], 'Resource': PROJECT},
    {'Sid': 'AssumeDeployRole', 'Effect': 'Allow', 'Action': 'sts:AssumeRole', 'Resource': ACTION_ROLE},
)
build_policy = doc(
    {'Sid': 'Logs', 'Effect': 'Allow', 'Action': ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], 'Resource': [f'arn:aws:logs:{R}:{T}:log-group:/aws/codebuild/demo-build', f'arn:aws:logs:{R}:{T}:log-group:/aws/codebuild/demo-build:*']},
    {'Sid': 'Artifacts', 'Effect': 'Allow', 'Action': ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject', 's3:GetBucketAcl', 's3:GetBucketLocation'], 'Resource': [f'arn:aws:s3:::{BUCKET}', f'arn:aws:s3:::{BUCKET}/*']},
    {'Sid': 'ArtifactKey', 'Effect': 'Allow', 'Action': ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*', 'kms:DescribeKey'], 'Resource': KEY},
    {'Sid': 'Reports', 'Effect': 'Allow', 'Action': ['codebuild:CreateReportGroup', 'codebuild:CreateReport', 'codebuild:UpdateReport', 'codebuild:BatchPutTestCases', 'codebuild:BatchPutCodeCoverages'], 'Resource': f'arn:aws:codebuild:{R}:{T}:report-group/demo-build-*'},
)
EVENTS_ROLE = f'arn:aws:iam::{T}:role/service-role/demo-events-role'
events_policy = doc({'Sid': 'StartPipeline', 'Effect': 'Allow', 'Action': 'codepipeline:StartPipelineExecution', 'Resource': f'arn:aws:codepipeline:{R}:{T}:demo-app'})
write(f'{T}/iam.json', iam([
    role(EVENTS_ROLE, 'AROAEXAMPLEEVENTS001', doc({'Effect': 'Allow', 'Principal': {'Service': 'events.amazonaws.com'}, 'Action': 'sts:AssumeRole'}), [('demo-events-policy', events_policy)]),
    role(PIPE_ROLE, 'AROAEXAMPLEPIPELINE01', doc({'Effect': 'Allow', 'Principal': {'Service': 'codepipeline.amazonaws.com'}, 'Action': 'sts:AssumeRole'}), [('demo-pipeline-policy', pipeline_policy)]),
    role(BUILD_ROLE, 'AROAEXAMPLEBUILD0001', doc({'Effect': 'Allow', 'Principal': {'Service': 'codebuild.amazonaws.com'}, 'Action': 'sts:AssumeRole'}), [('demo-build-policy', build_policy)]),
]))

deploy_policy = doc(
    {'Sid': 'Stack', 'Effect': 'Allow', 'Action': ['cloudformation:CreateStack', 'cloudformation:UpdateStack', 'cloudformation:DeleteStack', 'cloudformation:DescribeStacks', 'cloudformation:DescribeStackEvents', 'cloudformation:DescribeStackResources', 'cloudformation:GetTemplate', 'cloudformation:CreateChangeSet', 'cloudformation:DescribeChangeSet', 'cloudformation:ExecuteChangeSet', 'cloudformation:DeleteChangeSet'], 'Resource': f'arn:aws:cloudformation:{R}:{P}:stack/demo-app/*'},
    {'Sid': 'Validate', 'Effect': 'Allow', 'Action': 'cloudformation:ValidateTemplate', 'Resource': '*'},
    {'Sid': 'PassExecRole', 'Effect': 'Allow', 'Action': 'iam:PassRole', 'Resource': CFN_ROLE, 'Condition': {'StringEqualsIfExists': {'iam:PassedToService': 'cloudformation.amazonaws.com'}}},
    {'Sid': 'Artifacts', 'Effect': 'Allow', 'Action': ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject', 's3:PutObjectAcl'], 'Resource': f'arn:aws:s3:::{BUCKET}/*'},
    {'Sid': 'ArtifactBucket', 'Effect': 'Allow', 'Action': ['s3:GetBucketVersioning', 's3:GetBucketAcl', 's3:GetBucketLocation', 's3:ListBucket'], 'Resource': f'arn:aws:s3:::{BUCKET}'},
    {'Sid': 'ArtifactKey', 'Effect': 'Allow', 'Action': ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey*'], 'Resource': KEY},
)
exec_policy = doc({'Sid': 'AppResources', 'Effect': 'Allow', 'Action': ['s3:*', 'lambda:*', 'apigateway:*', 'dynamodb:*', 'iam:GetRole', 'iam:PassRole', 'iam:CreateRole', 'iam:PutRolePolicy', 'iam:AttachRolePolicy', 'iam:DeleteRole', 'iam:DeleteRolePolicy', 'iam:DetachRolePolicy'], 'Resource': '*'})
write(f'{P}/iam.json', iam([
    role(ACTION_ROLE, 'AROAEXAMPLEDEPLOY001', doc({'Effect': 'Allow', 'Principal': {'AWS': PIPE_ROLE}, 'Action': 'sts:AssumeRole'}), [('demo-deploy-action-policy', deploy_policy)]),
    role(CFN_ROLE, 'AROAEXAMPLECFNEXEC01', doc({'Effect': 'Allow', 'Principal': {'Service': 'cloudformation.amazonaws.com'}, 'Action': 'sts:AssumeRole'}), [('demo-cfn-exec-policy', exec_policy)]),
]))

bucket_policy = doc(
    {'Sid': 'DenyUnEncryptedObjectUploads', 'Effect': 'Deny', 'Principal': '*', 'Action': 's3:PutObject', 'Resource': f'arn:aws:s3:::{BUCKET}/*', 'Condition': {'StringNotEquals': {'s3:x-amz-server-side-encryption': 'aws:kms'}}},
    {'Sid': 'DenyInsecureConnections', 'Effect': 'Deny', 'Principal': '*', 'Action': 's3:*', 'Resource': f'arn:aws:s3:::{BUCKET}/*', 'Condition': {'Bool': {'aws:SecureTransport': 'false'}}},
    {'Sid': 'ProdAccountArtifacts', 'Effect': 'Allow', 'Principal': {'AWS': f'arn:aws:iam::{P}:root'}, 'Action': ['s3:Get*', 's3:Put*'], 'Resource': f'arn:aws:s3:::{BUCKET}/*'},
    {'Sid': 'ProdAccountBucket', 'Effect': 'Allow', 'Principal': {'AWS': f'arn:aws:iam::{P}:root'}, 'Action': ['s3:ListBucket', 's3:GetBucketVersioning', 's3:GetBucketAcl', 's3:GetBucketLocation'], 'Resource': f'arn:aws:s3:::{BUCKET}'},
)
write(f'{T}/s3/{BUCKET}.json', {'Policy': json.dumps(bucket_policy), 'LocationConstraint': None,
      'ServerSideEncryptionConfiguration': {'Rules': [{'ApplyServerSideEncryptionByDefault': {'SSEAlgorithm': 'aws:kms', 'KMSMasterKeyID': KEY}, 'BucketKeyEnabled': False}]},
      'OwnershipControls': {'Rules': [{'ObjectOwnership': 'BucketOwnerEnforced'}]}})

# The broken link: the key policy lets the tools-account roles use the key but forgot the prod
# account, so the prod deploy role cannot decrypt the build output.
key_policy = doc(
    {'Sid': 'Enable IAM User Permissions', 'Effect': 'Allow', 'Principal': {'AWS': f'arn:aws:iam::{T}:root'}, 'Action': 'kms:*', 'Resource': '*'},
    {'Sid': 'AllowPipelineAndBuild', 'Effect': 'Allow', 'Principal': {'AWS': [PIPE_ROLE, BUILD_ROLE]}, 'Action': ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'], 'Resource': '*'},
)
write(f'{T}/{R}/kms/{KEY_ID}.json', {'KeyMetadata': {'AWSAccountId': T, 'KeyId': KEY_ID, 'Arn': KEY, 'CreationDate': '2024-03-01T10:00:00+00:00', 'Enabled': True, 'Description': 'demo pipeline artifact key', 'KeyUsage': 'ENCRYPT_DECRYPT', 'KeyState': 'Enabled', 'Origin': 'AWS_KMS', 'KeyManager': 'CUSTOMER', 'CustomerMasterKeySpec': 'SYMMETRIC_DEFAULT', 'KeySpec': 'SYMMETRIC_DEFAULT', 'EncryptionAlgorithms': ['SYMMETRIC_DEFAULT'], 'MultiRegion': False}, 'Policy': json.dumps(key_policy)})
write(f'{T}/{R}/kms/aliases.json', {'Aliases': [{'AliasName': 'alias/demo-artifacts', 'AliasArn': f'arn:aws:kms:{R}:{T}:alias/demo-artifacts', 'TargetKeyId': KEY_ID}]})

write(f'{T}/{R}/codebuild.json', {'projects': [{
    'name': 'demo-build', 'arn': PROJECT, 'description': 'builds and packages the app',
    'source': {'type': 'CODEPIPELINE', 'buildspec': 'buildspec.yml'},
    'artifacts': {'type': 'CODEPIPELINE', 'name': 'demo-build', 'packaging': 'NONE', 'encryptionDisabled': False},
    'environment': {'type': 'LINUX_CONTAINER', 'image': 'aws/codebuild/standard:7.0', 'computeType': 'BUILD_GENERAL1_SMALL',
                    'environmentVariables': [{'name': 'STAGE', 'value': 'prod', 'type': 'PLAINTEXT'}, {'name': 'DB_PASSWORD', 'value': 'hunter2-demo-not-a-secret', 'type': 'PLAINTEXT'}],
                    'privilegedMode': False, 'imagePullCredentialsType': 'CODEBUILD'},
    'serviceRole': BUILD_ROLE, 'timeoutInMinutes': 60, 'queuedTimeoutInMinutes': 480,
    'encryptionKey': KEY, 'tags': [], 'created': '2024-03-01T10:00:00+00:00', 'lastModified': '2024-03-01T10:00:00+00:00',
    'badge': {'badgeEnabled': False}, 'logsConfig': {'cloudWatchLogs': {'status': 'ENABLED'}, 's3Logs': {'status': 'DISABLED', 'encryptionDisabled': False}},
    'projectVisibility': 'PRIVATE'}], 'projectsNotFound': []})

write(f'{T}/{R}/codepipeline/demo-app.json', {'pipeline': {
    'name': 'demo-app', 'roleArn': PIPE_ROLE,
    'artifactStore': {'type': 'S3', 'location': BUCKET, 'encryptionKey': {'id': KEY, 'type': 'KMS'}},
    'stages': [
        {'name': 'Source', 'actions': [{'name': 'Source', 'actionTypeId': {'category': 'Source', 'owner': 'AWS', 'provider': 'CodeCommit', 'version': '1'}, 'runOrder': 1,
            'configuration': {'RepositoryName': 'demo-app', 'BranchName': 'main', 'PollForSourceChanges': 'false'}, 'outputArtifacts': [{'name': 'SourceOutput'}], 'inputArtifacts': []}]},
        {'name': 'Build', 'actions': [{'name': 'Build', 'actionTypeId': {'category': 'Build', 'owner': 'AWS', 'provider': 'CodeBuild', 'version': '1'}, 'runOrder': 1,
            'configuration': {'ProjectName': 'demo-build'}, 'outputArtifacts': [{'name': 'BuildOutput'}], 'inputArtifacts': [{'name': 'SourceOutput'}]}]},
        {'name': 'DeployProd', 'actions': [{'name': 'DeployStack', 'actionTypeId': {'category': 'Deploy', 'owner': 'AWS', 'provider': 'CloudFormation', 'version': '1'}, 'runOrder': 1,
            'roleArn': ACTION_ROLE,
            'configuration': {'ActionMode': 'CREATE_UPDATE', 'StackName': 'demo-app', 'TemplatePath': 'BuildOutput::packaged.yaml', 'Capabilities': 'CAPABILITY_IAM', 'RoleArn': CFN_ROLE},
            'outputArtifacts': [], 'inputArtifacts': [{'name': 'BuildOutput'}]}]},
    ],
    'version': 3, 'pipelineType': 'V2', 'executionMode': 'QUEUED'},
    'metadata': {'pipelineArn': f'arn:aws:codepipeline:{R}:{T}:demo-app', 'created': '2024-03-01T10:00:00+00:00', 'updated': '2024-03-02T10:00:00+00:00'}})

# Organization: tools and prod in one org; FullAWSAccess at the root and a guardrail SCP on
# the workloads OU that keeps member accounts in the org.
ORG, ROOT, OU = 'o-demo1234ab', 'r-demo', 'ou-demo-workloads'
write('organization/describe-organization.json', {'Organization': {'Id': ORG, 'Arn': f'arn:aws:organizations::999999999999:organization/{ORG}', 'FeatureSet': 'ALL', 'MasterAccountArn': 'arn:aws:organizations::999999999999:account/' + ORG + '/999999999999', 'MasterAccountId': '999999999999', 'MasterAccountEmail': 'aws-root@example.com', 'AvailablePolicyTypes': [{'Type': 'SERVICE_CONTROL_POLICY', 'Status': 'ENABLED'}, {'Type': 'RESOURCE_CONTROL_POLICY', 'Status': 'ENABLED'}]}})
write('organization/parents.json', {T: OU, P: OU, OU: ROOT})
write('organization/accounts.json', {'Accounts': [
    {'Id': T, 'Arn': f'arn:aws:organizations::999999999999:account/{ORG}/{T}', 'Email': 'tools@example.com', 'Name': 'tools', 'Status': 'ACTIVE', 'JoinedMethod': 'CREATED', 'JoinedTimestamp': '2024-01-01T00:00:00+00:00'},
    {'Id': P, 'Arn': f'arn:aws:organizations::999999999999:account/{ORG}/{P}', 'Email': 'prod@example.com', 'Name': 'prod', 'Status': 'ACTIVE', 'JoinedMethod': 'CREATED', 'JoinedTimestamp': '2024-01-01T00:00:00+00:00'},
    {'Id': '999999999999', 'Arn': f'arn:aws:organizations::999999999999:account/{ORG}/999999999999', 'Email': 'aws-root@example.com', 'Name': 'management', 'Status': 'ACTIVE', 'JoinedMethod': 'CREATED', 'JoinedTimestamp': '2024-01-01T00:00:00+00:00'}]})
def scp(pid, name, content, targets, kind='SERVICE_CONTROL_POLICY', aws_managed=False):
    return {'Policy': {'PolicySummary': {'Id': pid, 'Arn': f'arn:aws:organizations::{"aws" if aws_managed else "999999999999"}:policy/{ORG}/{kind.lower()}/{pid}', 'Name': name, 'Description': name, 'Type': kind, 'AwsManaged': aws_managed}, 'Content': json.dumps(content)},
            'Targets': [{'TargetId': t, 'Arn': f'arn:aws:organizations::999999999999:{"root" if t.startswith("r-") else "ou" if t.startswith("ou-") else "account"}/{ORG}/{t}', 'Name': t, 'Type': 'ROOT' if t.startswith('r-') else 'ORGANIZATIONAL_UNIT' if t.startswith('ou-') else 'ACCOUNT'} for t in targets]}
full = doc({'Effect': 'Allow', 'Action': '*', 'Resource': '*'})
write('organization/scp/p-FullAWSAccess.json', scp('p-FullAWSAccess', 'FullAWSAccess', full, [ROOT, OU, T, P], aws_managed=True))
write('organization/scp/p-demoguard1.json', scp('p-demoguard1', 'deny-leave-org', doc({'Sid': 'DenyLeaveOrg', 'Effect': 'Deny', 'Action': 'organizations:LeaveOrganization', 'Resource': '*'}), [OU]))
# RCPs are enabled: RCPFullAWSAccess is attached everywhere and cannot be detached.
write('organization/rcp/p-RCPFullAWSAccess.json', scp('p-RCPFullAWSAccess', 'RCPFullAWSAccess', doc({'Effect': 'Allow', 'Principal': '*', 'Action': '*', 'Resource': '*'}), [ROOT, OU, T, P], kind='RESOURCE_CONTROL_POLICY', aws_managed=True))

write(f'{T}/{R}/events.json', {'Rules': [{'Name': 'demo-app-source-change', 'Arn': f'arn:aws:events:{R}:{T}:rule/demo-app-source-change', 'EventPattern': json.dumps({'source': ['aws.codecommit'], 'detail-type': ['CodeCommit Repository State Change'], 'resources': [REPO], 'detail': {'event': ['referenceCreated', 'referenceUpdated'], 'referenceType': ['branch'], 'referenceName': ['main']}}), 'State': 'ENABLED', 'EventBusName': 'default'}],
    'Targets': {'demo-app-source-change': [{'Id': 'codepipeline', 'Arn': f'arn:aws:codepipeline:{R}:{T}:demo-app', 'RoleArn': EVENTS_ROLE}]}})
