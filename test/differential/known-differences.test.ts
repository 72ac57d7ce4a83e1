/**
 * One targeted case per known-difference class (known-differences.md): permchain's answer is the
 * one the AWS documentation gives, and iam-simulate's differs. If iam-simulate changes its
 * model, the second assertion fails and the exclusion in knownDifferences.ts can go.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/evaluate/evaluate.js';
import type { Decision, EvaluationRequest } from '../../src/evaluate/types.js';
import { toSimulation } from './adapter.js';
import { ACCOUNT_A, generateCase, type GeneratedCase } from './generator.js';
import { KNOWN_DIFFERENCES } from './knownDifferences.js';

const ROLE = `arn:aws:iam::${ACCOUNT_A}:role/DeployRole`;
const SESSION = `arn:aws:sts::${ACCOUNT_A}:assumed-role/DeployRole/s-1`;
const BUCKET_OBJECT = `arn:aws:s3:::art-${ACCOUNT_A}/pipe/obj.zip`;
const KEY_A = `arn:aws:kms:us-east-1:${ACCOUNT_A}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const V = '2012-10-17';
const allowAll = { Version: V, Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
const denyAll = { Version: V, Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }] };

interface Example {
  readonly name: string;
  readonly request: EvaluationRequest;
  readonly ours: Decision;
  readonly theirs: Decision;
}

const EXAMPLES: readonly Example[] = [
  {
    // https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html:
    // RCPs apply to "the resources that are authorized as part of an operation request"
    name: 'rcp-on-action-without-resource-type',
    request: {
      principal: ROLE,
      action: 's3:ListAllMyBuckets',
      resource: '*',
      identityPolicies: [allowAll],
      rcps: [
        [
          {
            Version: V,
            Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*' }],
          },
        ],
      ],
    },
    ours: 'Allowed',
    theirs: 'ExplicitlyDenied',
  },
  {
    // https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html:
    // a resource owner exists only for the resources "in the 'Resource type' column"; an action
    // with none is performed in the caller's account
    name: 'action-without-resource-type-in-another-account',
    request: {
      principal: ROLE,
      action: 's3:ListAllMyBuckets',
      resource: '*',
      resourceAccount: '444455556666',
      identityPolicies: [allowAll],
    },
    ours: 'Allowed',
    theirs: 'ImplicitlyDenied',
  },
  {
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_update-role-trust-policy.html:
    // the user's permissions boundary "must allow the sts:AssumeRole action"
    name: 'trust-user-boundary',
    request: {
      principal: `arn:aws:iam::${ACCOUNT_A}:user/alice`,
      action: 'sts:AssumeRole',
      resource: `arn:aws:iam::${ACCOUNT_A}:role/TargetRole`,
      identityPolicies: [allowAll],
      permissionBoundary: {
        Version: V,
        Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }],
      },
      resourcePolicy: {
        Version: V,
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${ACCOUNT_A}:user/alice` },
            Action: 'sts:AssumeRole',
          },
        ],
      },
    },
    ours: 'ImplicitlyDenied',
    theirs: 'Allowed',
  },
  {
    // the NotResource entry with no value matches no resource, so it excludes nothing
    name: 'unresolved-variable-in-notresource-or-negated-condition',
    request: {
      principal: 'arn:aws:iam::111122223333:role/DeployRole',
      action: 's3:PutObject',
      resource: 'arn:aws:s3:::art-111122223333/pipe/obj.zip',
      resourceAccount: '111122223333',
      identityPolicies: [
        {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: 's3:PutObject',
              NotResource: 'arn:aws:s3:::art-111122223333/${aws:username}/*',
            },
          ],
        },
      ],
    },
    ours: 'Allowed',
    theirs: 'ImplicitlyDenied',
  },
  {
    // StringNotEquals against a null value matches, so the Deny applies (the doc's own example)
    name: 'unresolved-variable-in-notresource-or-negated-condition',
    request: {
      principal: 'arn:aws:iam::111122223333:role/DeployRole',
      action: 'sns:Publish',
      resource: 'arn:aws:sns:us-east-1:111122223333:Approvals',
      context: { 'aws:PrincipalTag/team': 'ops' },
      identityPolicies: [
        {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: 'sns:Publish', Resource: '*' },
            {
              Effect: 'Deny',
              Action: 'sns:Publish',
              Resource: '*',
              Condition: { StringNotEquals: { 'aws:PrincipalTag/team': '${aws:username}' } },
            },
          ],
        },
      ],
    },
    ours: 'ExplicitlyDenied',
    theirs: 'Allowed',
  },
  {
    name: 'variables-without-version-2012',
    request: {
      principal: `arn:aws:iam::${ACCOUNT_A}:user/alice`,
      action: 's3:GetObject',
      resource: `arn:aws:s3:::art-${ACCOUNT_A}/alice/out.zip`,
      resourceAccount: ACCOUNT_A,
      identityPolicies: [
        {
          Version: '2008-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: 's3:GetObject',
              Resource: `arn:aws:s3:::art-${ACCOUNT_A}/\${aws:username}/*`,
            },
          ],
        },
      ],
    },
    ours: 'ImplicitlyDenied',
    theirs: 'Allowed',
  },
  {
    name: 'rcp-on-unsupported-service',
    request: {
      principal: ROLE,
      action: 'lambda:InvokeFunction',
      resource: `arn:aws:lambda:us-east-1:${ACCOUNT_A}:function:Deployer`,
      identityPolicies: [allowAll],
      rcps: [
        [
          {
            Version: V,
            Statement: [{ Effect: 'Deny', Principal: '*', Action: 'lambda:*', Resource: '*' }],
          },
        ],
      ],
    },
    ours: 'Allowed',
    theirs: 'ExplicitlyDenied',
  },
  {
    name: 'scp-on-service-principal',
    request: {
      principal: 'codebuild.amazonaws.com',
      action: 'sts:AssumeRole',
      resource: `arn:aws:iam::${ACCOUNT_A}:role/TargetRole`,
      resourcePolicy: {
        Version: V,
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'codebuild.amazonaws.com' },
            Action: 'sts:AssumeRole',
          },
        ],
      },
      scps: [[denyAll]],
    },
    ours: 'Allowed',
    theirs: 'ExplicitlyDenied',
  },
  {
    name: 'org-policies-on-service-linked-role',
    request: {
      principal: `arn:aws:iam::${ACCOUNT_A}:role/aws-service-role/codebuild.amazonaws.com/AWSServiceRoleForCodeBuild`,
      action: 's3:GetObject',
      resource: BUCKET_OBJECT,
      resourceAccount: ACCOUNT_A,
      identityPolicies: [allowAll],
      scps: [[denyAll]],
    },
    ours: 'Allowed',
    theirs: 'ExplicitlyDenied',
  },
  {
    name: 'notprincipal-deny',
    request: {
      principal: SESSION,
      action: 's3:GetObject',
      resource: BUCKET_OBJECT,
      resourceAccount: ACCOUNT_A,
      identityPolicies: [allowAll],
      resourcePolicy: {
        Version: V,
        Statement: [
          { Effect: 'Deny', NotPrincipal: { AWS: [SESSION, ROLE] }, Action: 's3:*', Resource: '*' },
        ],
      },
    },
    ours: 'ExplicitlyDenied',
    theirs: 'Allowed',
  },
  {
    // the review's sim-kms-xacct-admin request: permissions for kms:PutKeyPolicy given to another
    // account "have no effect"
    name: 'kms-cross-account-operation',
    request: {
      principal: 'arn:aws:iam::444455556666:role/CrossAccountRole',
      action: 'kms:PutKeyPolicy',
      resource: KEY_A,
      identityPolicies: [
        { Version: V, Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] },
      ],
      resourcePolicy: {
        Version: V,
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: 'arn:aws:iam::444455556666:root' },
            Action: 'kms:*',
            Resource: '*',
          },
        ],
      },
    },
    ours: 'ImplicitlyDenied',
    theirs: 'Allowed',
  },
  {
    // the review's sim-trust-missing request: the role's trust policy must allow the caller
    name: 'trust-policy-missing',
    request: {
      principal: ROLE,
      action: 'sts:AssumeRole',
      resource: `arn:aws:iam::${ACCOUNT_A}:role/TargetRole`,
      identityPolicies: [
        { Version: V, Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] },
      ],
    },
    ours: 'ImplicitlyDenied',
    theirs: 'Allowed',
  },
  {
    name: 'root-user-full-access',
    request: {
      principal: `arn:aws:iam::${ACCOUNT_A}:root`,
      action: 's3:GetObject',
      resource: BUCKET_OBJECT,
      resourceAccount: ACCOUNT_A,
    },
    ours: 'Allowed',
    theirs: 'ImplicitlyDenied',
  },
  {
    // the root user cannot call AssumeRole, even when the trust policy trusts its account
    name: 'root-user-full-access',
    request: {
      principal: 'arn:aws:iam::444455556666:root',
      action: 'sts:AssumeRole',
      resource: `arn:aws:iam::${ACCOUNT_A}:role/TargetRole`,
      identityPolicies: [allowAll],
      resourcePolicy: {
        Version: V,
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: 'arn:aws:iam::444455556666:root' },
            Action: 'sts:*',
          },
        ],
      },
    },
    ours: 'ImplicitlyDenied',
    theirs: 'Allowed',
  },
  {
    name: 'session-policy-vs-direct-grant',
    request: {
      principal: SESSION,
      action: 's3:GetObject',
      resource: BUCKET_OBJECT,
      resourceAccount: ACCOUNT_A,
      resourcePolicy: {
        Version: V,
        Statement: [
          { Effect: 'Allow', Principal: { AWS: SESSION }, Action: 's3:GetObject', Resource: '*' },
        ],
      },
      sessionPolicy: {
        Version: V,
        Statement: [{ Effect: 'Allow', Action: 'sns:Publish', Resource: '*' }],
      },
    },
    ours: 'Allowed',
    theirs: 'ImplicitlyDenied',
  },
  {
    name: 'variables-in-arn-conditions',
    request: {
      principal: ROLE,
      action: 's3:GetObject',
      resource: BUCKET_OBJECT,
      resourceAccount: ACCOUNT_A,
      identityPolicies: [
        {
          Version: V,
          Statement: [
            {
              Effect: 'Allow',
              Action: 's3:GetObject',
              Resource: '*',
              Condition: {
                ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::${aws:PrincipalAccount}:role/*' },
              },
            },
          ],
        },
      ],
    },
    ours: 'Allowed',
    theirs: 'ImplicitlyDenied',
  },
  {
    name: 'for-any-value-if-exists',
    request: {
      principal: ROLE,
      action: 's3:GetObject',
      resource: BUCKET_OBJECT,
      resourceAccount: ACCOUNT_A,
      identityPolicies: [
        {
          Version: V,
          Statement: [
            {
              Effect: 'Allow',
              Action: 's3:GetObject',
              Resource: '*',
              Condition: { 'ForAnyValue:StringEqualsIfExists': { 'aws:TagKeys': ['env'] } },
            },
          ],
        },
      ],
    },
    ours: 'Allowed',
    theirs: 'ImplicitlyDenied',
  },
  {
    name: 'null-on-empty-value',
    request: {
      principal: ROLE,
      action: 's3:GetObject',
      resource: BUCKET_OBJECT,
      resourceAccount: ACCOUNT_A,
      context: { 'aws:CalledVia': [] },
      identityPolicies: [
        allowAll,
        {
          Version: V,
          Statement: [
            {
              Effect: 'Deny',
              Action: '*',
              Resource: '*',
              Condition: { Null: { 'aws:CalledVia': 'false' } },
            },
          ],
        },
      ],
    },
    ours: 'Allowed',
    theirs: 'ExplicitlyDenied',
  },
  {
    // an empty string is a null dataset: ForAllValues holds whatever the operator compares, so
    // the Deny applies (iam-simulate compares "" with the policy's "" and the Deny does not)
    name: 'for-all-values-on-empty-string',
    request: {
      principal: ROLE,
      action: 's3:ListBucket',
      resource: `arn:aws:s3:::art-${ACCOUNT_A}`,
      resourceAccount: ACCOUNT_A,
      context: { 's3:prefix': '' },
      identityPolicies: [
        allowAll,
        {
          Version: V,
          Statement: [
            {
              Effect: 'Deny',
              Action: 's3:List*',
              Resource: '*',
              Condition: {
                'ForAllValues:StringNotEqualsIgnoreCase': { 's3:prefix': ['pip*', ''] },
              },
            },
          ],
        },
      ],
    },
    ours: 'ExplicitlyDenied',
    theirs: 'Allowed',
  },
  {
    // an empty string is a null dataset: `Null: false` does not hold, so the Allow does not apply
    name: 'null-on-empty-value',
    request: {
      principal: ROLE,
      action: 's3:ListBucket',
      resource: `arn:aws:s3:::art-${ACCOUNT_A}`,
      resourceAccount: ACCOUNT_A,
      context: { 's3:prefix': '' },
      identityPolicies: [
        {
          Version: V,
          Statement: [
            {
              Effect: 'Allow',
              Action: 's3:ListBucket',
              Resource: '*',
              Condition: { Null: { 's3:prefix': 'false' } },
            },
          ],
        },
      ],
    },
    ours: 'ImplicitlyDenied',
    theirs: 'Allowed',
  },
  {
    // an IPv6 caller is not 203.0.113.5 (= 203.0.113.5/32), so NotIpAddress is true and the
    // Deny applies
    name: 'not-ip-address-bare-address-other-family',
    request: {
      principal: ROLE,
      action: 's3:GetObject',
      resource: BUCKET_OBJECT,
      resourceAccount: ACCOUNT_A,
      context: { 'aws:SourceIp': '2001:db8::1' },
      identityPolicies: [
        allowAll,
        {
          Version: V,
          Statement: [
            {
              Effect: 'Deny',
              Action: '*',
              Resource: '*',
              Condition: { NotIpAddress: { 'aws:SourceIp': '203.0.113.5' } },
            },
          ],
        },
      ],
    },
    ours: 'ExplicitlyDenied',
    theirs: 'Allowed',
  },
  {
    // and the other way round: an IPv4 caller is not the IPv6 address 2001:db8::1
    name: 'not-ip-address-bare-address-other-family',
    request: {
      principal: ROLE,
      action: 's3:GetObject',
      resource: BUCKET_OBJECT,
      resourceAccount: ACCOUNT_A,
      context: { 'aws:SourceIp': '203.0.113.5' },
      identityPolicies: [
        {
          Version: V,
          Statement: [
            {
              Effect: 'Allow',
              Action: 's3:GetObject',
              Resource: '*',
              Condition: { NotIpAddress: { 'aws:SourceIp': '2001:db8::1' } },
            },
          ],
        },
      ],
    },
    ours: 'Allowed',
    theirs: 'ImplicitlyDenied',
  },
  {
    // 1700000000 is 2023-11-14T22:13:20Z: the same instant, so DateEquals is true
    name: 'date-epoch-vs-iso',
    request: {
      principal: ROLE,
      action: 's3:GetObject',
      resource: BUCKET_OBJECT,
      resourceAccount: ACCOUNT_A,
      context: { 'aws:EpochTime': '1700000000' },
      identityPolicies: [
        {
          Version: V,
          Statement: [
            {
              Effect: 'Allow',
              Action: 's3:GetObject',
              Resource: '*',
              Condition: { DateEquals: { 'aws:EpochTime': '2023-11-14T22:13:20Z' } },
            },
          ],
        },
      ],
    },
    ours: 'Allowed',
    theirs: 'ImplicitlyDenied',
  },
  {
    // `pipe${$}` is `pipe$`, the request's value, so StringEquals is true
    name: 'special-character-variables-in-string-equals',
    request: {
      principal: ROLE,
      action: 's3:GetObject',
      resource: BUCKET_OBJECT,
      resourceAccount: ACCOUNT_A,
      context: { 'aws:PrincipalTag/team': 'pipe$' },
      identityPolicies: [
        {
          Version: V,
          Statement: [
            {
              Effect: 'Allow',
              Action: 's3:GetObject',
              Resource: '*',
              Condition: { StringEquals: { 'aws:PrincipalTag/team': 'pipe${$}' } },
            },
          ],
        },
      ],
    },
    ours: 'Allowed',
    theirs: 'ImplicitlyDenied',
  },
  {
    // 0.0.0.0/0 holds every IPv4 address
    name: 'ipv4-prefix-zero',
    request: {
      principal: ROLE,
      action: 's3:GetObject',
      resource: BUCKET_OBJECT,
      resourceAccount: ACCOUNT_A,
      context: { 'aws:SourceIp': '203.0.113.5' },
      identityPolicies: [
        {
          Version: V,
          Statement: [
            {
              Effect: 'Allow',
              Action: 's3:GetObject',
              Resource: '*',
              Condition: { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } },
            },
          ],
        },
      ],
    },
    ours: 'Allowed',
    theirs: 'ImplicitlyDenied',
  },
  {
    // 2001:db8::ffff is in 2001:db8::1/32 (AWS's default prefix), so the Deny applies
    name: 'bare-ipv6-address',
    request: {
      principal: ROLE,
      action: 's3:GetObject',
      resource: BUCKET_OBJECT,
      resourceAccount: ACCOUNT_A,
      context: { 'aws:SourceIp': '2001:db8::ffff' },
      identityPolicies: [
        allowAll,
        {
          Version: V,
          Statement: [
            {
              Effect: 'Deny',
              Action: '*',
              Resource: '*',
              Condition: { IpAddress: { 'aws:SourceIp': '2001:db8::1' } },
            },
          ],
        },
      ],
    },
    ours: 'ExplicitlyDenied',
    theirs: 'Allowed',
  },
];

/** Wrap a hand-written request so the class predicates can look at it. */
function asCase(name: string, request: EvaluationRequest): GeneratedCase {
  const template = generateCase(0, 0);
  const p = request.principal;
  const principal: GeneratedCase['principal'] = p.endsWith('.amazonaws.com')
    ? { kind: 'service', arn: p, account: undefined, service: p }
    : p.endsWith(':root')
      ? { kind: 'root', arn: p, account: p.split(':')[4] }
      : p.includes('aws-service-role/')
        ? { kind: 'serviceLinkedRole', arn: p, account: p.split(':')[4], roleArn: p }
        : p.includes(':assumed-role/')
          ? { kind: 'session', arn: p, account: p.split(':')[4], sessionArn: p, roleArn: ROLE }
          : p.includes(':user/')
            ? { kind: 'user', arn: p, account: p.split(':')[4] }
            : { kind: 'role', arn: p, account: p.split(':')[4], roleArn: p };
  return { ...template, id: name, principal, request };
}

describe('known differences with iam-simulate', () => {
  it('has one example per class', () => {
    expect([...new Set(EXAMPLES.map((e) => e.name))].sort()).toEqual(
      KNOWN_DIFFERENCES.map((k) => k.name).sort(),
    );
  });

  it('notprincipal-deny does not cover a principal with a permissions boundary: both evaluators deny it', async () => {
    // AWS: a Deny with NotPrincipal "will always deny any IAM principal that has a permissions
    // boundary policy attached, regardless of the values specified in the NotPrincipal element"
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html)
    const request: EvaluationRequest = {
      principal: ROLE,
      action: 's3:GetObject',
      resource: BUCKET_OBJECT,
      resourceAccount: ACCOUNT_A,
      identityPolicies: [allowAll],
      permissionBoundary: allowAll,
      resourcePolicy: {
        Version: V,
        Statement: [
          {
            Effect: 'Deny',
            NotPrincipal: { AWS: [ROLE, `arn:aws:iam::${ACCOUNT_A}:root`] },
            Action: 's3:*',
            Resource: '*',
          },
        ],
      },
    };
    expect(KNOWN_DIFFERENCES.some((k) => k.applies(asCase('boundary', request)))).toBe(false);
    expect(evaluate(request).decision).toBe('ExplicitlyDenied');
    const sim = await runSimulation(toSimulation(request), {});
    expect(sim.resultType === 'error' ? sim.errors.message : sim.overallResult).toBe(
      'ExplicitlyDenied',
    );
  });

  for (const e of EXAMPLES) {
    it(`${e.name}: permchain answers ${e.ours}, iam-simulate ${e.theirs} (${e.request.action})`, async () => {
      const c = asCase(e.name, e.request);
      // the example belongs to its class, so the differential test would exclude it
      expect(KNOWN_DIFFERENCES.find((k) => k.name === e.name)!.applies(c)).toBe(true);
      expect(evaluate(e.request).decision).toBe(e.ours);
      const sim = await runSimulation(toSimulation(e.request), {});
      expect(sim.resultType === 'error' ? sim.errors.message : sim.overallResult).toBe(e.theirs);
    });
  }
});
