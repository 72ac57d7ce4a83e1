# Shared helpers for the scenario generators: build snapshot files in the exact AWS CLI output
# shapes (see /work/shared/snapshot-format.md) as Python data, mutate them, write them.
# Policies that the CLI returns as JSON strings (bucket, key, SCP/RCP content, Lambda, SNS, ECR)
# are kept as PolicyString until written, so scenario mutations can edit them as data.
import copy
import json
import os
import shutil

T = '111111111111'  # tools: owns the pipelines, artifact bucket and key
P = '222222222222'  # prod: the cross-account deploy target
S = '444444444444'  # staging: only named by a few mutations
M = '999999999999'  # the organization's management account
R = 'us-east-1'
ORG, ROOT, OU = 'o-exmpl7a2b9c', 'r-exm1', 'ou-exm1-workload'
CREATED = '2024-05-06T09:30:00+00:00'


class PolicyString:
    """A policy document the AWS CLI prints as a JSON string (json.dumps at write time)."""

    def __init__(self, doc):
        self.doc = doc


def doc(*stmts):
    return {'Version': '2012-10-17', 'Statement': list(stmts)}


def stmt(sid, actions, resource, effect='Allow', principal=None, condition=None, not_resource=None):
    s = {'Sid': sid, 'Effect': effect}
    if principal is not None:
        s['Principal'] = principal
    s['Action'] = actions
    if not_resource is not None:
        s['NotResource'] = not_resource
    else:
        s['Resource'] = resource
    if condition is not None:
        s['Condition'] = condition
    return s


def trust(principal, condition=None):
    s = {'Effect': 'Allow', 'Principal': principal, 'Action': 'sts:AssumeRole'}
    if condition is not None:
        s['Condition'] = condition
    return doc(s)


def role(arn, role_id, trust_doc, inline, managed=(), boundary=None, description=None):
    path_name = arn.split(':role', 1)[1]
    name = path_name.rsplit('/', 1)[1]
    path = path_name[: -len(name)]
    out = {
        'Path': path,
        'RoleName': name,
        'RoleId': role_id,
        'Arn': arn,
        'CreateDate': CREATED,
        'AssumeRolePolicyDocument': trust_doc,
        'InstanceProfileList': [],
        'RolePolicyList': [{'PolicyName': n, 'PolicyDocument': d} for n, d in inline],
        'AttachedManagedPolicies': [
            {'PolicyName': m.rsplit('/', 1)[1], 'PolicyArn': m} for m in managed
        ],
        'Tags': [],
        'RoleLastUsed': {},
    }
    if description:
        out['Description'] = description
    if boundary is not None:
        out['PermissionsBoundary'] = {
            'PermissionsBoundaryType': 'Policy',
            'PermissionsBoundaryArn': boundary,
        }
    return out


def managed_policy(arn, policy_id, document, attachments=1, description=None):
    name = arn.rsplit('/', 1)[1]
    out = {
        'PolicyName': name,
        'PolicyId': policy_id,
        'Arn': arn,
        'Path': '/',
        'DefaultVersionId': 'v1',
        'AttachmentCount': attachments,
        'PermissionsBoundaryUsageCount': 0,
        'IsAttachable': True,
        'CreateDate': CREATED,
        'UpdateDate': CREATED,
        'PolicyVersionList': [
            {'Document': document, 'VersionId': 'v1', 'IsDefaultVersion': True, 'CreateDate': CREATED}
        ],
    }
    if description:
        out['Description'] = description
    return out


def iam(roles, policies=()):
    return {
        'UserDetailList': [],
        'GroupDetailList': [],
        'RoleDetailList': list(roles),
        'Policies': list(policies),
    }


def kms_key(key_id, account, description, policy, manager='CUSTOMER', region=R):
    return {
        'KeyMetadata': {
            'AWSAccountId': account,
            'KeyId': key_id,
            'Arn': f'arn:aws:kms:{region}:{account}:key/{key_id}',
            'CreationDate': CREATED,
            'Enabled': True,
            'Description': description,
            'KeyUsage': 'ENCRYPT_DECRYPT',
            'KeyState': 'Enabled',
            'Origin': 'AWS_KMS',
            'KeyManager': manager,
            'CustomerMasterKeySpec': 'SYMMETRIC_DEFAULT',
            'KeySpec': 'SYMMETRIC_DEFAULT',
            'EncryptionAlgorithms': ['SYMMETRIC_DEFAULT'],
            'MultiRegion': False,
        },
        'Policy': PolicyString(policy),
    }


def aws_managed_s3_key_policy(account, region=R):
    """The key policy AWS writes for `aws/s3` (what get-key-policy returns for it)."""
    return {
        'Version': '2012-10-17',
        'Id': 'auto-s3-2',
        'Statement': [
            {
                'Sid': 'Allow access through S3 for all principals in the account that are authorized to use S3',
                'Effect': 'Allow',
                'Principal': {'AWS': '*'},
                'Action': ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
                'Resource': '*',
                'Condition': {
                    'StringEquals': {'kms:CallerAccount': account, 'kms:ViaService': f's3.{region}.amazonaws.com'}
                },
            },
            {
                'Sid': 'Allow direct access to key metadata to the account',
                'Effect': 'Allow',
                'Principal': {'AWS': f'arn:aws:iam::{account}:root'},
                'Action': ['kms:Describe*', 'kms:Get*', 'kms:List*', 'kms:RevokeGrant'],
                'Resource': '*',
            },
        ],
    }


def org_policy(pid, name, content, targets, kind='SERVICE_CONTROL_POLICY', aws_managed=False, description=None):
    owner = 'aws' if aws_managed else M
    def target(t):
        typ = 'ROOT' if t.startswith('r-') else 'ORGANIZATIONAL_UNIT' if t.startswith('ou-') else 'ACCOUNT'
        seg = 'root' if typ == 'ROOT' else 'ou' if typ == 'ORGANIZATIONAL_UNIT' else 'account'
        return {'TargetId': t, 'Arn': f'arn:aws:organizations::{M}:{seg}/{ORG}/{t}', 'Name': t, 'Type': typ}
    return {
        'Policy': {
            'PolicySummary': {
                'Id': pid,
                'Arn': f'arn:aws:organizations::{owner}:policy/{ORG}/{kind.lower()}/{pid}',
                'Name': name,
                'Description': description or name,
                'Type': kind,
                'AwsManaged': aws_managed,
            },
            'Content': PolicyString(content),
        },
        'Targets': [target(t) for t in targets],
    }


def org_account(account, name, email):
    return {
        'Id': account,
        'Arn': f'arn:aws:organizations::{M}:account/{ORG}/{account}',
        'Email': email,
        'Name': name,
        'Status': 'ACTIVE',
        'JoinedMethod': 'CREATED',
        'JoinedTimestamp': '2024-01-01T00:00:00+00:00',
    }


def organization(members, parents):
    """describe-organization, accounts.json, parents.json, FullAWSAccess + RCPFullAWSAccess everywhere."""
    files = {}
    files['organization/describe-organization.json'] = {
        'Organization': {
            'Id': ORG,
            'Arn': f'arn:aws:organizations::{M}:organization/{ORG}',
            'FeatureSet': 'ALL',
            'MasterAccountArn': f'arn:aws:organizations::{M}:account/{ORG}/{M}',
            'MasterAccountId': M,
            'MasterAccountEmail': 'aws-root@example.com',
            'AvailablePolicyTypes': [
                {'Type': 'SERVICE_CONTROL_POLICY', 'Status': 'ENABLED'},
                {'Type': 'RESOURCE_CONTROL_POLICY', 'Status': 'ENABLED'},
            ],
        }
    }
    files['organization/accounts.json'] = {
        'Accounts': [org_account(M, 'management', 'aws-root@example.com')] + [org_account(a, n, e) for a, n, e in members]
    }
    files['organization/parents.json'] = dict(parents)
    everywhere = [ROOT] + sorted({v for v in parents.values() if v.startswith('ou-')}) + [a for a, _, _ in members]
    files['organization/scp/p-FullAWSAccess.json'] = org_policy(
        'p-FullAWSAccess', 'FullAWSAccess', doc({'Effect': 'Allow', 'Action': '*', 'Resource': '*'}), everywhere,
        aws_managed=True, description='Allows access to every operation')
    files['organization/rcp/p-RCPFullAWSAccess.json'] = org_policy(
        'p-RCPFullAWSAccess', 'RCPFullAWSAccess', doc({'Effect': 'Allow', 'Principal': '*', 'Action': '*', 'Resource': '*'}),
        everywhere, kind='RESOURCE_CONTROL_POLICY', aws_managed=True, description='Allows access to every operation')
    return files


def find_role(files, account, name):
    for r in files[f'{account}/iam.json']['RoleDetailList']:
        if r['RoleName'] == name:
            return r
    raise KeyError(name)


def inline(role_obj, name=None):
    """The (first, or named) inline policy document of a role."""
    for p in role_obj['RolePolicyList']:
        if name is None or p['PolicyName'] == name:
            return p['PolicyDocument']
    raise KeyError(name)


def statement(policy, sid):
    for s in policy['Statement']:
        if s.get('Sid') == sid:
            return s
    raise KeyError(sid)


def drop_statement(policy, sid):
    statement(policy, sid)
    policy['Statement'] = [s for s in policy['Statement'] if s.get('Sid') != sid]


def policy_of(files, path, *keys):
    """The document behind a PolicyString at files[path][keys...]."""
    v = files[path]
    for k in keys:
        v = v[k]
    return v.doc


def _plain(v):
    if isinstance(v, PolicyString):
        return json.dumps(_plain(v.doc))
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_plain(x) for x in v]
    return v


def write_snapshot(root, files, raw=None):
    """Write every file (and `raw` path -> text for deliberately malformed files) into a fresh folder."""
    if os.path.isdir(root):
        shutil.rmtree(root)
    for path in sorted(files):
        full = os.path.join(root, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, 'w') as f:
            json.dump(_plain(files[path]), f, indent=2)
            f.write('\n')
    for path, text in sorted((raw or {}).items()):
        full = os.path.join(root, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, 'w') as f:
            f.write(text)


def clone(files):
    return copy.deepcopy(files)
