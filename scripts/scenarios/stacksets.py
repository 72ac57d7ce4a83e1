# CloudFormation StackSets on the baseline: the orders-api pipeline gains a DeployGuardrails stage
# that deploys the stack set `org-guardrails` with self-managed permissions from the tools
# account to prod and staging (the tutorial "Create a pipeline with AWS CloudFormation StackSets
# deployment actions"): a CloudFormationStackSet action (a customized administration role,
# passed by the pipeline role) into prod, then a CloudFormationStackInstances action into prod
# and staging. Roles as "Grant self-managed permissions" writes them
# (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-prereqs-self-managed.html):
# the administration role trusts cloudformation.amazonaws.com (with the confused-deputy
# conditions of that page) and may assume AWSCloudFormationStackSetExecutionRole anywhere; each
# target account's execution role trusts the administration role.
import baseline as b
from baseline import action
from snapshot import OU, P, R, ROOT, S, T, doc, find_role, iam, inline, organization, role, stmt, trust

STACK_SET = 'org-guardrails'
STACK_SET_ARN = f'arn:aws:cloudformation:{R}:{T}:stackset/{STACK_SET}:*'
ADMIN_ROLE = f'arn:aws:iam::{T}:role/platform-stackset-administration'
EXEC_ROLE_NAME = 'AWSCloudFormationStackSetExecutionRole'


def exec_role(account, role_id):
    return role(
        f'arn:aws:iam::{account}:role/{EXEC_ROLE_NAME}', role_id, trust({'AWS': ADMIN_ROLE}),
        [('stackset-execution', doc(stmt('StackSetResources', ['cloudformation:*', 's3:*', 'config:*', 'iam:GetRole', 'iam:PassRole', 'iam:CreateServiceLinkedRole'], '*')))],
        description='StackSets execution role, assumed by the tools account administration role')


def add_stacksets(files):
    pol = inline(find_role(files, T, 'orders-api-pipeline-role'))
    pol['Statement'] += [
        # CreateStackSet has no resource type in the Service Authorization Reference: only "*"
        stmt('CreateStackSet', 'cloudformation:CreateStackSet', '*'),
        stmt('GuardrailsStackSet', ['cloudformation:UpdateStackSet', 'cloudformation:DescribeStackSet', 'cloudformation:DescribeStackSetOperation', 'cloudformation:ListStackInstances', 'cloudformation:CreateStackInstances'], STACK_SET_ARN),
        stmt('PassStackSetAdministrationRole', ['iam:GetRole', 'iam:PassRole'], ADMIN_ROLE, condition={'StringEqualsIfExists': {'iam:PassedToService': 'cloudformation.amazonaws.com'}}),
    ]
    files[f'{T}/iam.json']['RoleDetailList'].append(role(
        ADMIN_ROLE, 'AROAQXAMPLESTACKADM01',
        # ap-east-1 (a Region of the StackSet action) is disabled by default: its regional
        # service principal must be trusted too
        trust({'Service': ['cloudformation.amazonaws.com', 'cloudformation.ap-east-1.amazonaws.com']}, condition={
            'StringEquals': {'aws:SourceAccount': T},
            'StringLike': {'aws:SourceArn': f'arn:aws:cloudformation:*:{T}:stackset/*'},
        }),
        [('assume-stackset-execution', doc(stmt('AssumeExecutionRoles', 'sts:AssumeRole', f'arn:aws:iam::*:role/{EXEC_ROLE_NAME}')))],
        description='StackSets administration role of the guardrails stack set'))
    files[f'{P}/iam.json']['RoleDetailList'].append(exec_role(P, 'AROAQXAMPLESTACKEXP01'))
    files[f'{S}/iam.json'] = iam([exec_role(S, 'AROAQXAMPLESTACKEXS01')])
    files.update(organization(
        [(T, 'tools', 'tools@example.com'), (P, 'prod', 'prod@example.com'), (S, 'staging', 'staging@example.com')],
        {T: OU, P: OU, S: OU, OU: ROOT},
    ))
    files[b.PIPELINE_FILE]['pipeline']['stages'].append({'name': 'DeployGuardrails', 'actions': [
        action('StackSet', 'Deploy', 'CloudFormationStackSet', {
            'StackSetName': STACK_SET,
            'Description': 'account guardrails',
            'TemplatePath': 'SourceOutput::guardrails/template.yaml',
            'Parameters': 'SourceOutput::guardrails/parameters.json',
            'Capabilities': 'CAPABILITY_NAMED_IAM',
            'PermissionModel': 'SELF_MANAGED',
            'AdministrationRoleArn': ADMIN_ROLE,
            # explicit: without it an update runs with the stack set's existing execution role
            # (UpdateStackSet, ExecutionRoleName), which no input gives, and the chain is Unknown
            'ExecutionRoleName': EXEC_ROLE_NAME,
            'DeploymentTargets': P,
            'Regions': f'{R},ap-east-1',
            'FailureTolerancePercentage': '20',
            'MaxConcurrentPercentage': '25',
        }, inputs=['SourceOutput']),
        action('Instances', 'Deploy', 'CloudFormationStackInstances', {
            'StackSetName': STACK_SET,
            'DeploymentTargets': f'{P},{S}',
            'Regions': f'{R},eu-west-1,ap-east-1',
            'FailureTolerancePercentage': '20',
            'MaxConcurrentPercentage': '25',
        }, run_order=2),
    ]})
    return files
