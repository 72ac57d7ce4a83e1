# Writes fixtures/scenarios/<name>/: one snapshot folder per scenario, each the shared baseline
# (baseline.py: cross-account orders-api pipeline) plus one mutation, and the multi-provider
# passing snapshot (all_providers.py). The JSON files are what the tests read; rerun this script
# after changing a scenario:  python3 scripts/scenarios/make-scenarios.py [fixtures/scenarios]
# (the argument is the output folder). Never edit the fixtures by hand: test/scenarios/
# generators.test.ts runs this script into a temporary folder and fails unless every file it
# writes equals the committed one byte for byte.
import os
import sys

sys.dont_write_bytecode = True  # keep scripts/scenarios free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import baseline as b  # noqa: E402
from all_providers import all_providers  # noqa: E402
from snapshot import (OU, ORG, M, P, PolicyString, R, ROOT, S, T, clone, doc, drop_statement,  # noqa: E402
                      find_role, inline, managed_policy, org_policy, policy_of, role, statement,
                      kms_key, stmt, trust, write_snapshot)
from baseline import action  # noqa: E402
from stacksets import add_stacksets  # noqa: E402

SCENARIOS = {}


def scenario(name, about):
    def register(fn):
        SCENARIOS[name] = (about, fn)
        return fn
    return register


def pipeline_stages(files):
    return files[b.PIPELINE_FILE]['pipeline']['stages']


@scenario('pass-cross-account', 'the baseline: every required link is allowed, exit 0')
def pass_cross_account(files):
    return files


@scenario('trust-wrong-principal', "the prod action role trusts its own account (the console default), not the tools pipeline role")
def trust_wrong_principal(files):
    find_role(files, P, 'orders-api-deploy-action')['AssumeRolePolicyDocument'] = trust({'AWS': f'arn:aws:iam::{P}:root'})
    return files


@scenario('pipeline-role-no-assume', 'the pipeline role may assume the staging deploy role only (copied from the staging pipeline)')
def pipeline_role_no_assume(files):
    pol = inline(find_role(files, T, 'orders-api-pipeline-role'))
    statement(pol, 'AssumeProdDeployRole')['Resource'] = f'arn:aws:iam::{S}:role/orders-api-deploy-action'
    return files


@scenario('key-policy-missing-account', 'the artifact key policy lets the tools roles use the key but forgot the prod account')
def key_policy_missing_account(files):
    drop_statement(policy_of(files, b.KEY_FILE, 'Policy'), 'AllowProdAccount')
    return files


@scenario('codebuild-role-no-kms', 'the CodeBuild role has no KMS statement; the key policy only delegates to IAM for it')
def codebuild_role_no_kms(files):
    drop_statement(inline(find_role(files, T, 'orders-api-build-role')), 'ArtifactKey')
    kp = policy_of(files, b.KEY_FILE, 'Policy')
    statement(kp, 'AllowPipelineAndBuildRoles')['Principal'] = {'AWS': b.PIPE_ROLE}
    return files


@scenario('bucket-policy-missing-account', 'the artifact bucket policy has only the SSE/TLS denies: nothing lets the prod account in')
def bucket_policy_missing_account(files):
    pol = policy_of(files, b.BUCKET_FILE, 'Policy')
    drop_statement(pol, 'ProdAccountObjects')
    drop_statement(pol, 'ProdAccountBucket')
    return files


@scenario('scp-deny-assume-role', 'an SCP on the tools account denies sts:AssumeRole outside an allow-list of accounts that misses prod')
def scp_deny_assume_role(files):
    content = doc(stmt('DenyAssumeRoleOutsideKnownAccounts', 'sts:AssumeRole', None, effect='Deny',
                       not_resource=[f'arn:aws:iam::{T}:role/*', f'arn:aws:iam::{S}:role/*']))
    files['organization/scp/p-exmtools02.json'] = org_policy('p-exmtools02', 'tools-assume-role-allow-list', content, [T],
                                                             description='tools may only assume roles in tools and staging')
    return files


@scenario('scp-deny-kms-other-account', 'an SCP on the workloads OU denies kms:* on keys of other accounts, so prod cannot decrypt the tools artifact key')
def scp_deny_kms_other_account(files):
    content = doc(stmt('DenyForeignKeys', 'kms:*', '*', effect='Deny',
                       condition={'StringNotEquals': {'aws:ResourceAccount': '${aws:PrincipalAccount}'}}))
    files['organization/scp/p-exmkms003.json'] = org_policy('p-exmkms003', 'deny-foreign-kms-keys', content, [P],
                                                            description='workloads use their own keys only')
    return files


@scenario('scp-allow-list-missing-service', 'prod sits in an OU whose allow-list SCP (FullAWSAccess detached) does not list cloudformation')
def scp_allow_list_missing_service(files):
    prod_ou = 'ou-exm1-prodwl01'
    files['organization/parents.json'] = {T: OU, P: prod_ou, OU: ROOT, prod_ou: ROOT}
    full = files['organization/scp/p-FullAWSAccess.json']
    full['Targets'] = [t for t in full['Targets'] if t['TargetId'] != prod_ou]
    content = doc(stmt('AllowApprovedServices', ['s3:*', 'kms:*', 'sts:*', 'iam:*', 'lambda:*', 'apigateway:*', 'dynamodb:*', 'sqs:*', 'logs:*', 'cloudwatch:*', 'ec2:Describe*'], '*'))
    files['organization/scp/p-exmallow04.json'] = org_policy('p-exmallow04', 'prod-approved-services', content, [prod_ou],
                                                             description='services approved for production workloads')
    rcp = files['organization/rcp/p-RCPFullAWSAccess.json']
    rcp['Targets'].append({'TargetId': prod_ou, 'Arn': f'arn:aws:organizations::{M}:ou/{ORG}/{prod_ou}', 'Name': prod_ou, 'Type': 'ORGANIZATIONAL_UNIT'})
    return files


@scenario('scp-allow-list-target-iam-missing', "prod's iam.json is not in the snapshot, and prod sits in an OU whose allow-list SCP does not list cloudformation: the CloudFormation calls are denied by the SCP whatever the missing policies say, the other action-role links are Unknown")
def scp_allow_list_target_iam_missing(files):
    scp_allow_list_missing_service(files)
    del files[f'{P}/iam.json']
    return files


@scenario('boundary-missing-action', "the prod deploy role's permissions boundary allows CloudFormation, S3 and KMS but not iam:PassRole")
def boundary_missing_action(files):
    arn = f'arn:aws:iam::{P}:policy/workload-deploy-boundary'
    boundary = doc(
        stmt('CloudFormation', 'cloudformation:*', '*'),
        stmt('Artifacts', ['s3:Get*', 's3:List*', 's3:PutObject', 's3:PutObjectAcl'], '*'),
        stmt('Keys', ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey*'], '*'),
    )
    iam_file = files[f'{P}/iam.json']
    iam_file['Policies'].append(managed_policy(arn, 'ANPAQXAMPLEBOUNDARY01', boundary, attachments=0, description='boundary for deploy roles'))
    iam_file['Policies'][-1]['PermissionsBoundaryUsageCount'] = 1
    find_role(files, P, 'orders-api-deploy-action')['PermissionsBoundary'] = {'PermissionsBoundaryType': 'Policy', 'PermissionsBoundaryArn': arn}
    return files


@scenario('passrole-wrong-service', 'the deploy role may pass the CloudFormation execution role only to codepipeline.amazonaws.com')
def passrole_wrong_service(files):
    pol = inline(find_role(files, P, 'orders-api-deploy-action'))
    statement(pol, 'PassCfnExecRole')['Condition'] = {'StringEquals': {'iam:PassedToService': 'codepipeline.amazonaws.com'}}
    return files


@scenario('aws-managed-key-cross-account', 'the artifact store has no encryptionKey (aws/s3), so the prod role cannot decrypt: AWS-managed key policies cannot name other accounts')
def aws_managed_key_cross_account(files):
    key, alias = b.aws_managed_s3_key_files()
    files[f'{T}/{R}/kms/{b.AWS_S3_KEY_ID}.json'] = key
    files[f'{T}/{R}/kms/aliases.json']['Aliases'].append(alias)
    files[f'{T}/{R}/kms/aliases.json']['Aliases'].sort(key=lambda a: a['AliasName'])
    del files[b.KEY_FILE]
    files[f'{T}/{R}/kms/aliases.json']['Aliases'] = [a for a in files[f'{T}/{R}/kms/aliases.json']['Aliases'] if a['AliasName'] != 'alias/orders-artifacts']
    del files[b.PIPELINE_FILE]['pipeline']['artifactStore']['encryptionKey']
    del files[f'{T}/{R}/codebuild.json']['projects'][0]['encryptionKey']
    sse = files[b.BUCKET_FILE]['ServerSideEncryptionConfiguration']['Rules'][0]['ApplyServerSideEncryptionByDefault']
    del sse['KMSMasterKeyID']
    for acct, name in ((T, 'orders-api-pipeline-role'), (T, 'orders-api-build-role'), (P, 'orders-api-deploy-action')):
        statement(inline(find_role(files, acct, name)), 'ArtifactKey')['Resource'] = f'arn:aws:kms:{R}:{T}:key/*'
    return files


@scenario('org-perimeter-bucket-policy', 'the bucket policy denies principals outside the organization, and the prod account is not (yet) a member')
def org_perimeter_bucket_policy(files):
    _leave_org(files, P)
    pol = policy_of(files, b.BUCKET_FILE, 'Policy')
    pol['Statement'].insert(2, stmt('DenyOutsideOrganization', 's3:*', [f'arn:aws:s3:::{b.BUCKET}', f'arn:aws:s3:::{b.BUCKET}/*'], effect='Deny', principal='*',
                                    condition={'StringNotEquals': {'aws:PrincipalOrgID': ORG}, 'Bool': {'aws:PrincipalIsAWSService': 'false'}}))
    return files


@scenario('rcp-data-perimeter', 'an RCP on the tools account denies S3 and KMS to principals outside the organization; the prod account is not a member')
def rcp_data_perimeter(files):
    _leave_org(files, P)
    content = doc(stmt('EnforceOrgIdentities', ['s3:*', 'kms:*'], '*', effect='Deny', principal='*',
                       condition={'StringNotEqualsIfExists': {'aws:PrincipalOrgID': ORG}, 'BoolIfExists': {'aws:PrincipalIsAWSService': 'false'}}))
    files['organization/rcp/p-exmrcp0005.json'] = org_policy('p-exmrcp0005', 'data-perimeter-identities', content, [T],
                                                             kind='RESOURCE_CONTROL_POLICY', description='only organization identities reach tools data')
    return files


def _leave_org(files, account):
    accounts = files['organization/accounts.json']['Accounts']
    files['organization/accounts.json']['Accounts'] = [a for a in accounts if a['Id'] != account]
    files['organization/parents.json'].pop(account)
    for kind in ('scp', 'rcp'):
        for path, f in files.items():
            if path.startswith(f'organization/{kind}/'):
                f['Targets'] = [t for t in f['Targets'] if t['TargetId'] != account]


@scenario('missing-key-file', 'the artifact key file is not in the snapshot: every KMS link on it is Unknown and names the file')
def missing_key_file(files):
    del files[b.KEY_FILE]
    return files


@scenario('missing-target-iam', 'the prod account has no iam.json: the action role links are Unknown and name `222222222222/iam.json`')
def missing_target_iam(files):
    del files[f'{P}/iam.json']
    return files


@scenario('codebuild-project-key-differs', "the CodeBuild project has no encryptionKey, so BuildOutput is encrypted with the tools account's aws/s3 key, which the prod role cannot use")
def codebuild_project_key_differs(files):
    key, alias = b.aws_managed_s3_key_files()
    files[f'{T}/{R}/kms/{b.AWS_S3_KEY_ID}.json'] = key
    files[f'{T}/{R}/kms/aliases.json']['Aliases'].insert(0, alias)
    del files[f'{T}/{R}/codebuild.json']['projects'][0]['encryptionKey']
    return files


@scenario('pipeline-trust-not-codepipeline', 'the pipeline role trusts codebuild.amazonaws.com (copied from the build role), not codepipeline.amazonaws.com')
def pipeline_trust_not_codepipeline(files):
    find_role(files, T, 'orders-api-pipeline-role')['AssumeRolePolicyDocument'] = trust({'Service': 'codebuild.amazonaws.com'})
    return files


LAMBDA_ROLE = f'arn:aws:iam::{T}:role/orders-api-smoke-test-role'


def _add_smoke_test(files, job_result_resource):
    fn = 'orders-api-smoke-test'
    fn_arn = f'arn:aws:lambda:{R}:{T}:function:{fn}'
    pipeline_stages(files).append({'name': 'Verify', 'actions': [action('SmokeTest', 'Invoke', 'Lambda', {'FunctionName': fn, 'UserParameters': '{"endpoint":"https://orders.example.com/health"}'})]})
    statement(inline(find_role(files, T, 'orders-api-pipeline-role')), 'CodeBuild')  # keep order stable
    inline(find_role(files, T, 'orders-api-pipeline-role'))['Statement'].append(stmt('InvokeSmokeTest', 'lambda:InvokeFunction', fn_arn))
    inline(find_role(files, T, 'orders-api-pipeline-role'))['Statement'].append(stmt('ListFunctions', 'lambda:ListFunctions', '*'))
    files[f'{T}/iam.json']['RoleDetailList'].append(role(LAMBDA_ROLE, 'AROAQXAMPLESMOKE0001', trust({'Service': 'lambda.amazonaws.com'}), [('orders-api-smoke-test-policy', doc(
        stmt('Logs', ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], f'arn:aws:logs:{R}:{T}:log-group:/aws/lambda/{fn}:*'),
        stmt('JobResult', ['codepipeline:PutJobSuccessResult', 'codepipeline:PutJobFailureResult'], job_result_resource),
    ))]))
    files[f'{T}/{R}/lambda/{fn}.json'] = {
        'Configuration': {
            'FunctionName': fn, 'FunctionArn': fn_arn, 'Runtime': 'python3.12', 'Role': LAMBDA_ROLE,
            'Handler': 'smoke.handler', 'CodeSize': 1843, 'Description': 'post-deploy smoke test', 'Timeout': 60,
            'MemorySize': 128, 'LastModified': '2024-06-11T14:00:00.000+0000', 'CodeSha256': 'pV8c1p1vJm4g0rW1pPZ6c9n0yYl4jv0L9x0yJX1nq2E=',
            'Version': '$LATEST', 'TracingConfig': {'Mode': 'PassThrough'}, 'RevisionId': '5b0c4c43-6c4b-4a3e-a3c1-3f2f1b7e9d10',
            'State': 'Active', 'LastUpdateStatus': 'Successful', 'PackageType': 'Zip', 'Architectures': ['arm64'],
            'EphemeralStorage': {'Size': 512},
        },
        'Code': {'RepositoryType': 'S3'},
        'Tags': {'app': 'orders-api'},
    }


@scenario('lambda-put-job-result-scoped', 'the smoke-test function role may PutJobSuccessResult only on the pipeline ARN; the action has no resource type, so only "*" works')
def lambda_put_job_result_scoped(files):
    _add_smoke_test(files, b.PIPELINE_ARN)
    return files


@scenario('pass-with-lambda-invoke', 'the baseline plus a Lambda smoke-test action whose role has PutJobSuccessResult on "*": passes')
def pass_with_lambda_invoke(files):
    _add_smoke_test(files, '*')
    return files


@scenario('connection-missing-codeconnections', 'a GitHub source through a connection of the codeconnections prefix (the console creates those since July 2024): the pipeline role has codestar-connections:UseConnection but not codeconnections:UseConnection (on a connection of the older codestar-connections prefix that is only a warning)')
def connection_missing_codeconnections(files):
    conn = f'arn:aws:codeconnections:{R}:{T}:connection/0f3c2d1e-9a8b-4c7d-b6e5-f4a3b2c1d0e9'
    pipeline_stages(files)[0]['actions'] = [action('Source', 'Source', 'CodeStarSourceConnection', {
        'ConnectionArn': conn, 'FullRepositoryId': 'example-org/orders-api', 'BranchName': 'main',
        'OutputArtifactFormat': 'CODE_ZIP', 'DetectChanges': 'true'}, outputs=['SourceOutput'])]
    pol = inline(find_role(files, T, 'orders-api-pipeline-role'))
    drop_statement(pol, 'CodeCommitSource')
    pol['Statement'].insert(3, stmt('UseGitHubConnection', 'codestar-connections:UseConnection', conn))
    files[f'{T}/{R}/events.json'] = {'Rules': [], 'Targets': {}}
    return files


@scenario('manual-approval-no-sns-publish', 'a manual approval before prod notifies an SNS topic, but the pipeline role lacks sns:Publish')
def manual_approval_no_sns_publish(files):
    topic = f'arn:aws:sns:{R}:{T}:orders-api-approvals'
    pipeline_stages(files).insert(2, {'name': 'Approve', 'actions': [action('ApproveProd', 'Approval', 'Manual', {
        'NotificationArn': topic, 'CustomData': 'Approve the orders-api change set for production'})]})
    files[f'{T}/{R}/sns/orders-api-approvals.json'] = {'Attributes': {
        'Policy': PolicyString({'Version': '2008-10-17', 'Id': '__default_policy_ID', 'Statement': [{
            'Sid': '__default_statement_ID', 'Effect': 'Allow', 'Principal': {'AWS': '*'},
            'Action': ['SNS:GetTopicAttributes', 'SNS:SetTopicAttributes', 'SNS:AddPermission', 'SNS:RemovePermission', 'SNS:DeleteTopic', 'SNS:Subscribe', 'SNS:ListSubscriptionsByTopic', 'SNS:Publish'],
            'Resource': topic, 'Condition': {'StringEquals': {'AWS:SourceOwner': T}}}]}),
        'Owner': T, 'SubscriptionsPending': '0', 'TopicArn': topic, 'EffectiveDeliveryPolicy': '{"http":{"defaultHealthyRetryPolicy":{"minDelayTarget":20,"maxDelayTarget":20,"numRetries":3,"numMaxDelayRetries":0,"numNoDelayRetries":0,"numMinDelayRetries":0,"backoffFunction":"linear"},"disableSubscriptionOverrides":false}}',
        'SubscriptionsConfirmed': '2', 'DisplayName': 'orders-api approvals', 'SubscriptionsDeleted': '0'}}
    return files


@scenario('manual-approval-topic-key', 'the approval topic is encrypted with a customer key whose policy only delegates to IAM, and the pipeline role has sns:Publish but no KMS permission: the publish fails')
def manual_approval_topic_key(files):
    files = manual_approval_no_sns_publish(files)
    topic = f'arn:aws:sns:{R}:{T}:orders-api-approvals'
    key_id = '5d7f9b1c-3e4a-4c6e-8f0a-2b4c6d8e0f1a'
    pol = inline(find_role(files, T, 'orders-api-pipeline-role'))
    pol['Statement'].append(stmt('NotifyApprovers', 'sns:Publish', topic))
    files[f'{T}/{R}/sns/orders-api-approvals.json']['Attributes']['KmsMasterKeyId'] = f'arn:aws:kms:{R}:{T}:key/{key_id}'
    files[f'{T}/{R}/kms/{key_id}.json'] = kms_key(key_id, T, 'orders-api approval notifications', doc(
        stmt('Enable IAM User Permissions', 'kms:*', '*', principal={'AWS': f'arn:aws:iam::{T}:root'})))
    return files


@scenario('events-rule-role-wrong-pipeline', 'the EventBridge rule role may start `orders-api-v1` only, so pushes to main never start the pipeline')
def events_rule_role_wrong_pipeline(files):
    pol = inline(find_role(files, T, 'orders-api-events-role'))
    statement(pol, 'StartPipeline')['Resource'] = f'arn:aws:codepipeline:{R}:{T}:orders-api-v1'
    return files


def _rule(name, provider, configuration, inputs=(), commands=None):
    r = {'name': name, 'ruleTypeId': {'category': 'Rule', 'owner': 'AWS', 'provider': provider, 'version': '1'},
         'configuration': configuration, 'inputArtifacts': [{'name': i} for i in inputs], 'region': R}
    if commands is not None:
        r['commands'] = commands
    return r


NIGHTLY_ROLE = f'arn:aws:iam::{T}:role/service-role/orders-api-nightly-role'
NIGHTLY_RULE = f'arn:aws:events:{R}:{T}:rule/orders-api-nightly'


def _add_nightly_release(files):
    # a scheduled release: an EventBridge rule that starts the pipeline every night
    # (https://docs.aws.amazon.com/codepipeline/latest/userguide/pipelines-trigger-source-schedule.html),
    # through its own role, which EventBridge may assume for that rule only
    files[f'{T}/iam.json']['RoleDetailList'].append(role(NIGHTLY_ROLE, 'AROAQXAMPLENIGHTLY001', trust(
        {'Service': 'events.amazonaws.com'}, {'StringEquals': {'aws:SourceAccount': T}, 'ArnEquals': {'aws:SourceArn': NIGHTLY_RULE}}),
        [('start-orders-api-nightly', doc(stmt('StartPipeline', 'codepipeline:StartPipelineExecution', b.PIPELINE_ARN)))]))
    events = files[f'{T}/{R}/events.json']
    events['Rules'].append({'Name': 'orders-api-nightly', 'Arn': NIGHTLY_RULE, 'ScheduleExpression': 'cron(0 2 * * ? *)',
                            'State': 'ENABLED', 'Description': 'nightly release of orders-api', 'EventBusName': 'default'})
    events['Targets']['orders-api-nightly'] = [{'Id': 'codepipeline-orders-api', 'Arn': b.PIPELINE_ARN, 'RoleArn': NIGHTLY_ROLE}]


@scenario('pass-with-stage-conditions', 'the baseline plus a Commands action running the unit tests on BuildOutput and an entry condition on DeployProd: a Commands rule checking BuildOutput (both run as the pipeline role, which may write the logs of /aws/codepipeline/orders-api), a deployment window and a variable check (no permissions), a CodeBuild rule running the build project on BuildOutput (the pipeline role may start it, the project role reads BuildOutput), and a nightly release: an EventBridge rule on a schedule whose own role starts the pipeline: passes')
def pass_with_stage_conditions(files):
    _add_nightly_release(files)
    # https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-Commands.html
    unit_tests = action('UnitTests', 'Compute', 'Commands', {}, inputs=['BuildOutput'], run_order=2)
    unit_tests['commands'] = ['npm ci', 'npm test']
    pipeline_stages(files)[1]['actions'].append(unit_tests)
    # https://docs.aws.amazon.com/codepipeline/latest/userguide/rule-reference-Commands.html
    pipeline_stages(files)[2]['beforeEntry'] = {'conditions': [{'result': 'FAIL', 'rules': [
        _rule('CheckPackage', 'Commands', {}, inputs=['BuildOutput'], commands=['test -s packaged.yaml']),
        _rule('BusinessHours', 'DeploymentWindow', {'Cron': '* * 9-17 ? * MON-FRI *', 'TimeZone': 'Europe/Berlin'}),
        _rule('MainOnly', 'VariableCheck', {'Variable': '#{SourceVariables.BranchName}', 'Value': 'main', 'Operator': 'EQ'}),
        # https://docs.aws.amazon.com/codepipeline/latest/userguide/rule-reference-CodeBuild.html
        _rule('SmokeTests', 'CodeBuild', {'ProjectName': 'orders-api-build'}, inputs=['BuildOutput']),
    ]}]}
    group = f'arn:aws:logs:{R}:{T}:log-group:/aws/codepipeline/orders-api'
    inline(find_role(files, T, 'orders-api-pipeline-role'))['Statement'].append(
        stmt('ConditionLogs', ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], [group, f'{group}:*']))
    return files


@scenario('pass-stacksets', 'the baseline plus a DeployGuardrails stage deploying the stack set `org-guardrails` with self-managed permissions from the tools account: a CloudFormationStackSet action (a customized administration role) into prod, then a CloudFormationStackInstances action into prod and staging, both also in ap-east-1 (disabled by default: the administration role trusts its regional service principal); every required link is allowed, exit 0')
def pass_stacksets(files):
    return add_stacksets(files)


@scenario('malformed-bucket-json', 'the artifact bucket file is truncated JSON: a problem names the file, exit 2, the rest is still analyzed')
def malformed_bucket_json(files):
    return files


@scenario('wrong-shape-codebuild', 'codebuild.json lists the project subnets as a string: a problem names the file and JSON pointer, the links that rely on the project are Unknown and name it, exit 2')
def wrong_shape_codebuild(files):
    project = files[f'{T}/{R}/codebuild.json']['projects'][0]
    project['vpcConfig'] = {'vpcId': 'vpc-0a1b2c3d4e5f60718', 'subnets': 'subnet-0aa11bb22cc33dd44', 'securityGroupIds': ['sg-0123456789abcdef0']}
    return files


@scenario('key-alias-cross-account-output', 'the artifact store key is given as an alias ARN and the prod CloudFormation action writes an output artifact: aliases do not resolve in the prod account')
def key_alias_cross_account_output(files):
    # "Aliases are recognized only in the account that created the KMS key. For cross-account
    # actions, you can only use the key ID or key ARN"
    # (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_EncryptionKey.html)
    files[b.PIPELINE_FILE]['pipeline']['artifactStore']['encryptionKey']['id'] = f'arn:aws:kms:{R}:{T}:alias/orders-artifacts'
    deploy = pipeline_stages(files)[2]['actions'][0]
    deploy['configuration']['OutputFileName'] = 'stack-outputs.json'
    deploy['outputArtifacts'] = [{'name': 'StackOutputs'}]
    return files


RAW = {
    'malformed-bucket-json': lambda files: {b.BUCKET_FILE: '{\n  "Policy": "{\\"Version\\":\\"2012-10-17\\",\\"Statement\\":[{\\"Sid\\":\\"DenyUnEncryptedObjectUploads\\"",\n  "LocationConstraint": null,\n'},
}


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else 'fixtures/scenarios'
    names = sorted(SCENARIOS)
    for name in names:
        about, fn = SCENARIOS[name]
        files = fn(clone(b.baseline()))
        raw = RAW[name](files) if name in RAW else None
        if raw:
            for path in raw:
                files.pop(path, None)
        write_snapshot(os.path.join(root, name), files, raw)
    write_snapshot(os.path.join(root, 'all-providers'), all_providers())
    with open(os.path.join(root, 'README.md'), 'w') as f:
        f.write('# Scenario snapshots\n\nGenerated by `scripts/scenarios/make-scenarios.py` (do not edit by hand). '
                'Each folder is a snapshot (see the snapshot format in the README) of the shared baseline '
                '(`scripts/scenarios/baseline.py`) plus one mutation; the expected reports are in '
                '`test/scenarios/expected/`.\n\n| scenario | what it shows |\n|---|---|\n')
        rows = [(n, SCENARIOS[n][0]) for n in names]
        rows.append(('all-providers', 'three pipelines in one account covering every provider the catalog knows, with a cross-region action (the base of the catalog coverage test); every required link the snapshot can settle is allowed (the pipeline role has the documented Elastic Beanstalk grants on its awseb- stacks and on Auto Scaling), the rest are Unknown (ECS task definitions, CodeDeploy instance roles, what Elastic Beanstalk calls for the environment\'s resources)'))
        for n, about in sorted(rows):
            f.write(f'| `{n}` | {about} |\n')


if __name__ == '__main__':
    main()
