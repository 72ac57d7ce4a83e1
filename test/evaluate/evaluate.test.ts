import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/evaluate/evaluate.js';
import type { EvaluationRequest } from '../../src/evaluate/types.js';

const A = '111111111111';
const B = '222222222222';
const ROLE = `arn:aws:iam::${A}:role/app`;
const ROLE_B = `arn:aws:iam::${B}:role/deployer`;
const SESSION = `arn:aws:sts::${A}:assumed-role/app/s1`;
const USER = `arn:aws:iam::${A}:user/alice`;
const BUCKET_OBJ = 'arn:aws:s3:::artifacts/key';
const KEY_A = `arn:aws:kms:us-east-1:${A}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

type Stmt = Record<string, unknown>;
const doc = (...Statement: Stmt[]) => ({ Version: '2012-10-17', Statement });
const allow = (Action: unknown, Resource: unknown = '*', extra: Stmt = {}): Stmt => ({
  Effect: 'Allow',
  Action,
  Resource,
  ...extra,
});
const deny = (Action: unknown, Resource: unknown = '*', extra: Stmt = {}): Stmt => ({
  Effect: 'Deny',
  Action,
  Resource,
  ...extra,
});
const rAllow = (
  Principal: unknown,
  Action: unknown,
  Resource: unknown = '*',
  extra: Stmt = {},
): Stmt => ({
  Effect: 'Allow',
  Principal,
  Action,
  Resource,
  ...extra,
});

function run(r: Partial<EvaluationRequest>) {
  return evaluate({
    principal: ROLE,
    action: 's3:GetObject',
    resource: BUCKET_OBJ,
    ...r,
  } as EvaluationRequest);
}

describe('explicit deny wins (rule 1)', () => {
  it('an identity deny beats an identity allow and names the statement', () => {
    const r = run({
      identityPolicies: [doc(allow('s3:*'), deny('s3:GetObject', '*', { Sid: 'NoGet' }))],
    });
    expect(r.decision).toBe('ExplicitlyDenied');
    expect(r.deniedBy).toEqual([
      { policyType: 'identity', policy: 1, statement: 'NoGet', explicit: true },
    ]);
  });
  it('a resource-policy deny beats an identity allow', () => {
    const r = run({
      identityPolicies: [doc(allow('s3:*'))],
      resourcePolicy: doc({ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*' }),
    });
    expect(r.decision).toBe('ExplicitlyDenied');
    expect(r.deniedBy).toEqual([
      { policyType: 'resource', policy: 1, statement: 1, explicit: true },
    ]);
  });
  it.each([
    ['permissionBoundary', { permissionBoundary: doc(allow('*'), deny('s3:GetObject')) }],
    ['session', { sessionPolicy: doc(allow('*'), deny('s3:GetObject')) }],
    ['scp', { scps: [[doc(allow('*'), deny('s3:GetObject'))]] }],
    [
      'rcp',
      { rcps: [[doc({ Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: '*' })]] },
    ],
  ] as const)('a deny in the %s wins', (type, extra) => {
    const r = run({ identityPolicies: [doc(allow('*'))], ...extra });
    expect(r.decision).toBe('ExplicitlyDenied');
    expect(r.deniedBy.map((d) => d.policyType)).toEqual([type]);
    expect(r.deniedBy[0]!.explicit).toBe(true);
  });
});

describe('identity policies (rule 6)', () => {
  it('allow by identity policy', () => {
    const r = run({
      identityPolicies: [doc(allow('s3:GetObject', 'arn:aws:s3:::artifacts/*', { Sid: 'Read' }))],
    });
    expect(r.decision).toBe('Allowed');
    expect(r.allowedBy).toEqual([
      { policyType: 'identity', policy: 1, statement: 'Read', explicit: false },
    ]);
  });
  it('no policy at all is an implicit deny naming the identity side', () => {
    const r = run({});
    expect(r.decision).toBe('ImplicitlyDenied');
    expect(r.deniedBy).toEqual([
      { policyType: 'identity', policy: `identity policies of ${ROLE}`, explicit: false },
    ]);
  });
  it('several identity policies without the allow are named by whose they are', () => {
    const r = run({
      identityPolicies: [doc(allow('logs:*', '*')), doc(allow('s3:PutObject', BUCKET_OBJ))],
    });
    expect(r.decision).toBe('ImplicitlyDenied');
    expect(r.deniedBy).toEqual([
      { policyType: 'identity', policy: `identity policies of ${ROLE}`, explicit: false },
    ]);
    // one policy keeps its own label
    const one = run({ identityPolicies: [doc(allow('logs:*', '*'))] });
    expect(one.deniedBy).toEqual([{ policyType: 'identity', policy: 1, explicit: false }]);
  });
  it('actions match case-insensitively, resources case-sensitively (rule 9)', () => {
    expect(run({ identityPolicies: [doc(allow('S3:getobject', BUCKET_OBJ))] }).decision).toBe(
      'Allowed',
    );
    expect(run({ identityPolicies: [doc(allow('s3:Get*', BUCKET_OBJ))] }).decision).toBe('Allowed');
    expect(run({ identityPolicies: [doc(allow('s3:GetObjec?', BUCKET_OBJ))] }).decision).toBe(
      'Allowed',
    );
    expect(
      run({ identityPolicies: [doc(allow('s3:GetObject', 'arn:aws:s3:::Artifacts/key'))] })
        .decision,
    ).toBe('ImplicitlyDenied');
  });
  it('NotAction and NotResource', () => {
    const p = doc({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' });
    expect(run({ identityPolicies: [p] }).decision).toBe('Allowed');
    expect(run({ identityPolicies: [p], action: 'iam:CreateUser', resource: '*' }).decision).toBe(
      'ImplicitlyDenied',
    );
    const q = doc({ Effect: 'Allow', Action: 's3:*', NotResource: 'arn:aws:s3:::secret/*' });
    expect(run({ identityPolicies: [q] }).decision).toBe('Allowed');
    expect(run({ identityPolicies: [q], resource: 'arn:aws:s3:::secret/x' }).decision).toBe(
      'ImplicitlyDenied',
    );
    const d = doc(allow('*'), { Effect: 'Deny', NotAction: ['s3:GetObject'], Resource: '*' });
    expect(run({ identityPolicies: [d] }).decision).toBe('Allowed');
    expect(run({ identityPolicies: [d], action: 's3:PutObject' }).decision).toBe(
      'ExplicitlyDenied',
    );
  });
  it('a permission boundary must allow too', () => {
    const r = run({
      identityPolicies: [doc(allow('s3:*'))],
      permissionBoundary: doc(allow('ec2:*')),
    });
    expect(r.decision).toBe('ImplicitlyDenied');
    expect(r.deniedBy).toEqual([{ policyType: 'permissionBoundary', policy: 1, explicit: false }]);
  });
  it('a session policy must allow too', () => {
    const r = run({ identityPolicies: [doc(allow('s3:*'))], sessionPolicy: doc(allow('ec2:*')) });
    expect(r.decision).toBe('ImplicitlyDenied');
    expect(r.deniedBy).toEqual([{ policyType: 'session', policy: 1, explicit: false }]);
  });
});

describe('SCPs and RCPs (rule 2)', () => {
  const full = doc(allow('*'));
  it('every level from the root to the account must allow', () => {
    const r = run({ identityPolicies: [full], scps: [[full], [doc(allow('ec2:*'))], [full]] });
    expect(r.decision).toBe('ImplicitlyDenied');
    expect(r.deniedBy).toEqual([
      { policyType: 'scp', policy: 'level 2 policy 1', explicit: false },
    ]);
    expect(
      run({ identityPolicies: [full], scps: [[full], [doc(allow('s3:*'))], [full]] }).decision,
    ).toBe('Allowed');
  });
  it('an SCP allow does not grant anything by itself', () => {
    expect(run({ scps: [[full]] }).decision).toBe('ImplicitlyDenied');
  });
  it('SCPs do not apply to service principals, service-linked roles or the management account', () => {
    const scps = [[doc(allow('*'), deny('sts:AssumeRole'))]];
    const trust = doc(rAllow({ Service: 'codepipeline.amazonaws.com' }, 'sts:AssumeRole'));
    expect(
      evaluate({
        principal: 'codepipeline.amazonaws.com',
        action: 'sts:AssumeRole',
        resource: ROLE,
        resourcePolicy: trust,
        scps,
      }).decision,
    ).toBe('Allowed');
    const slr = `arn:aws:iam::${A}:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS`;
    expect(
      run({ principal: slr, identityPolicies: [full], scps: [[doc(deny('*'))]] }).decision,
    ).toBe('Allowed');
    expect(
      run({
        identityPolicies: [full],
        scps: [[doc(deny('*'))]],
        principalIsManagementAccount: true,
      }).decision,
    ).toBe('Allowed');
  });
  it('a session of a service-linked role: the role ARN given as aws:PrincipalArn decides whether SCPs and RCPs apply', () => {
    const slrName = 'AWSServiceRoleForECS';
    const session = `arn:aws:sts::${A}:assumed-role/${slrName}/ecs-session`;
    const slrArn = `arn:aws:iam::${A}:role/aws-service-role/ecs.amazonaws.com/${slrName}`;
    const scps = [[doc(deny('*'))]];
    const rcps = [[doc({ Effect: 'Deny', Principal: '*', Action: '*', Resource: '*' })]];
    const keyPolicy = doc(rAllow({ AWS: `arn:aws:iam::${A}:root` }, 'kms:*'));
    const base = { principal: session, identityPolicies: [full] };
    // the session ARN has no path: SCPs are applied, and a warning says why
    const unsure = run({ ...base, scps });
    expect(unsure.decision).toBe('ExplicitlyDenied');
    expect(unsure.problems.map((p) => p.id)).toContain('request.principal.service-linked-unknown');
    // the role's ARN with its reserved path: neither SCPs nor RCPs apply
    const given = { ...base, context: { 'aws:principalArn': slrArn } };
    const known = run({ ...given, scps });
    expect(known.decision).toBe('Allowed');
    expect(known.problems).toEqual([]);
    expect(
      run({ ...given, action: 'kms:Decrypt', resource: KEY_A, resourcePolicy: keyPolicy, rcps })
        .decision,
    ).toBe('Allowed');
    // the key given twice in two cases: the last one counts, as it does in the context
    const twice = {
      'aws:PrincipalArn': `arn:aws:iam::${A}:role/${slrName}`,
      'AWS:principalarn': slrArn,
    };
    expect(run({ ...base, context: twice, scps }).decision).toBe('Allowed');
    const reversed = {
      'AWS:principalarn': slrArn,
      'aws:PrincipalArn': `arn:aws:iam::${A}:role/${slrName}`,
    };
    expect(run({ ...base, context: reversed, scps }).decision).toBe('ExplicitlyDenied');
    // a role ARN without that path, of another role, or of another account: SCPs apply, no warning
    for (const other of [
      `arn:aws:iam::${A}:role/${slrName}`,
      `arn:aws:iam::${A}:role/aws-service-role/ecs.amazonaws.com/Other`,
      `arn:aws:iam::${B}:role/aws-service-role/ecs.amazonaws.com/${slrName}`,
    ]) {
      const r = run({ ...base, context: { 'aws:PrincipalArn': other }, scps });
      expect(r.decision).toBe('ExplicitlyDenied');
      expect(r.problems).toEqual([]);
    }
    // a role not named like one: no warning
    expect(run({ principal: SESSION, identityPolicies: [full], scps }).problems).toEqual([]);
  });
  it('RCPFullAWSAccess is implicit: an RCP level without an allow denies nothing', () => {
    const r = run({
      identityPolicies: [full],
      rcps: [[doc({ Effect: 'Deny', Principal: '*', Action: 'sqs:*', Resource: '*' })]],
    });
    expect(r.decision).toBe('Allowed');
  });
  it('RCPs apply to outside principals, only for the services AWS lists', () => {
    const rcps = [[doc({ Effect: 'Deny', Principal: '*', Action: '*', Resource: '*' })]];
    const crossB = {
      principal: ROLE_B,
      identityPolicies: [full],
      resourcePolicy: doc(rAllow({ AWS: `arn:aws:iam::${B}:root` }, '*')),
      resourceAccount: A,
      rcps,
    };
    expect(run(crossB).decision).toBe('ExplicitlyDenied');
    // lambda is not an RCP service
    const lambda = `arn:aws:lambda:us-east-1:${A}:function:f`;
    expect(run({ ...crossB, action: 'lambda:InvokeFunction', resource: lambda }).decision).toBe(
      'Allowed',
    );
  });
  it('RCPs do not apply to AWS-managed keys, service-linked roles or the management account', () => {
    const rcps = [[doc({ Effect: 'Deny', Principal: '*', Action: '*', Resource: '*' })]];
    const keyPolicy = doc(rAllow({ AWS: ROLE }, 'kms:*'));
    const base = { action: 'kms:Decrypt', resource: KEY_A, resourcePolicy: keyPolicy, rcps };
    expect(run(base).decision).toBe('ExplicitlyDenied');
    expect(run({ ...base, resourceIsAwsManagedKey: true }).decision).toBe('Allowed');
    expect(run({ ...base, resourceIsManagementAccount: true }).decision).toBe('Allowed');
  });
  it('RCPs constrain a service principal assuming a role', () => {
    const trust = doc(rAllow({ Service: 'codepipeline.amazonaws.com' }, 'sts:AssumeRole'));
    const rcps = [
      [doc({ Effect: 'Deny', Principal: '*', Action: 'sts:AssumeRole', Resource: '*' })],
    ];
    const r = evaluate({
      principal: 'codepipeline.amazonaws.com',
      action: 'sts:AssumeRole',
      resource: ROLE,
      resourcePolicy: trust,
      rcps,
    });
    expect(r.decision).toBe('ExplicitlyDenied');
  });
});

describe('resource policies, same account (rule 3)', () => {
  const noBoundary = doc(allow('ec2:*'));
  it('a role ARN named in the resource policy needs no identity allow', () => {
    const r = run({
      resourcePolicy: doc(rAllow({ AWS: ROLE }, 's3:GetObject', BUCKET_OBJ, { Sid: 'Role' })),
    });
    expect(r.decision).toBe('Allowed');
    expect(r.allowedBy).toEqual([
      { policyType: 'resource', policy: 1, statement: 'Role', explicit: false },
    ]);
  });
  it('a role ARN named in the resource policy is still limited by the boundary and the session policy', () => {
    const rp = doc(rAllow({ AWS: ROLE }, 's3:GetObject'));
    const b = run({ resourcePolicy: rp, permissionBoundary: noBoundary });
    expect(b.decision).toBe('ImplicitlyDenied');
    expect(b.deniedBy.map((d) => d.policyType)).toEqual(['permissionBoundary']);
    expect(run({ resourcePolicy: rp, sessionPolicy: noBoundary }).decision).toBe(
      'ImplicitlyDenied',
    );
  });
  it('a role session ARN named in the resource policy is final: no boundary or session limit', () => {
    const rp = doc(rAllow({ AWS: SESSION }, 's3:GetObject'));
    expect(
      run({
        principal: SESSION,
        resourcePolicy: rp,
        permissionBoundary: noBoundary,
        sessionPolicy: noBoundary,
      }).decision,
    ).toBe('Allowed');
  });
  it('a user ARN named in the resource policy is final', () => {
    const rp = doc(rAllow({ AWS: USER }, 's3:GetObject'));
    expect(
      run({ principal: USER, resourcePolicy: rp, permissionBoundary: noBoundary }).decision,
    ).toBe('Allowed');
  });
  it('an account principal only delegates to the identity policy', () => {
    const rp = doc(rAllow({ AWS: `arn:aws:iam::${A}:root` }, 's3:GetObject'));
    const r = run({ resourcePolicy: rp });
    expect(r.decision).toBe('ImplicitlyDenied');
    expect(r.deniedBy.map((d) => d.policyType)).toEqual(['identity']);
    expect(
      run({
        resourcePolicy: doc(rAllow({ AWS: A }, 's3:GetObject')),
        identityPolicies: [doc(allow('s3:*'))],
      }).decision,
    ).toBe('Allowed');
  });
  it('a `*` principal needs nothing else in the same account', () => {
    expect(run({ resourcePolicy: doc(rAllow('*', 's3:GetObject')) }).decision).toBe('Allowed');
    expect(run({ resourcePolicy: doc(rAllow({ AWS: '*' }, 's3:GetObject')) }).decision).toBe(
      'Allowed',
    );
  });
  it('a role ARN and the account granted apart: a failed boundary is the one reason, not the identity policy', () => {
    // the role's grant needs nothing but the boundary and session policy; the account's grant
    // would need the identity policy as well, so the boundary is what to fix
    const rp = doc(
      rAllow({ AWS: ROLE }, 's3:GetObject'),
      rAllow({ AWS: `arn:aws:iam::${A}:root` }, 's3:GetObject'),
    );
    const r = run({ resourcePolicy: rp, permissionBoundary: noBoundary });
    expect(r.decision).toBe('ImplicitlyDenied');
    expect(r.deniedBy).toEqual([{ policyType: 'permissionBoundary', policy: 1, explicit: false }]);
  });
  it('the role ARN also names sessions of that role', () => {
    const rp = doc(rAllow({ AWS: ROLE }, 's3:GetObject'));
    expect(run({ principal: SESSION, resourcePolicy: rp }).decision).toBe('Allowed');
  });
  it('a resource policy that names someone else grants nothing', () => {
    const rp = doc(rAllow({ AWS: `arn:aws:iam::${A}:role/other` }, 's3:GetObject'));
    expect(run({ resourcePolicy: rp }).decision).toBe('ImplicitlyDenied');
  });
});

describe('resource policies, cross account (rule 3)', () => {
  const base = { principal: ROLE_B, resource: BUCKET_OBJ, resourceAccount: A };
  const rp = doc(rAllow({ AWS: `arn:aws:iam::${B}:root` }, 's3:GetObject'));
  it('both sides must allow', () => {
    const idOnly = run({ ...base, identityPolicies: [doc(allow('s3:*'))] });
    expect(idOnly.decision).toBe('ImplicitlyDenied');
    expect(idOnly.deniedBy).toEqual([
      { policyType: 'resource', policy: 'resource', explicit: false },
    ]);
    const rpOnly = run({ ...base, resourcePolicy: rp });
    expect(rpOnly.decision).toBe('ImplicitlyDenied');
    expect(rpOnly.deniedBy.map((d) => d.policyType)).toEqual(['identity']);
    expect(
      run({ ...base, resourcePolicy: rp, identityPolicies: [doc(allow('s3:*'))] }).decision,
    ).toBe('Allowed');
  });
  it('a role ARN named cross-account still needs the identity side', () => {
    const named = doc(rAllow({ AWS: ROLE_B }, 's3:GetObject'));
    expect(run({ ...base, resourcePolicy: named }).decision).toBe('ImplicitlyDenied');
    expect(
      run({ ...base, resourcePolicy: named, identityPolicies: [doc(allow('s3:GetObject'))] })
        .decision,
    ).toBe('Allowed');
  });
  it('the resource account defaults to the ARN account', () => {
    const r = evaluate({
      principal: ROLE_B,
      action: 'kms:Decrypt',
      resource: KEY_A,
      identityPolicies: [doc(allow('kms:*'))],
    });
    expect(r.decision).toBe('ImplicitlyDenied');
    expect(r.deniedBy.map((d) => d.policyType)).toEqual(['resource']);
  });
});

describe('KMS key policies (rule 4)', () => {
  const kms = { action: 'kms:Decrypt', resource: KEY_A };
  const enableIam = rAllow({ AWS: `arn:aws:iam::${A}:root` }, 'kms:*', '*', {
    Sid: 'Enable IAM policies',
  });
  it('identity policies count only when the key policy delegates to the account', () => {
    const noDelegation = doc(rAllow({ AWS: `arn:aws:iam::${A}:role/admin` }, 'kms:*'));
    const r = run({
      ...kms,
      identityPolicies: [doc(allow('kms:Decrypt'))],
      resourcePolicy: noDelegation,
    });
    expect(r.decision).toBe('ImplicitlyDenied');
    expect(r.deniedBy.map((d) => d.policyType)).toEqual(['resource']);
    expect(
      run({ ...kms, identityPolicies: [doc(allow('kms:Decrypt'))], resourcePolicy: doc(enableIam) })
        .decision,
    ).toBe('Allowed');
  });
  it('delegation without an identity allow is an implicit deny on the identity side', () => {
    const r = run({ ...kms, resourcePolicy: doc(enableIam) });
    expect(r.decision).toBe('ImplicitlyDenied');
    expect(r.deniedBy.map((d) => d.policyType)).toEqual(['identity']);
  });
  it('a key policy naming the role is enough on its own', () => {
    expect(
      run({ ...kms, resourcePolicy: doc(rAllow({ AWS: ROLE }, 'kms:Decrypt')) }).decision,
    ).toBe('Allowed');
  });
  it('an identity deny still applies', () => {
    const r = run({
      ...kms,
      identityPolicies: [doc(deny('kms:*'))],
      resourcePolicy: doc(rAllow({ AWS: ROLE }, 'kms:Decrypt')),
    });
    expect(r.decision).toBe('ExplicitlyDenied');
  });
  it('no key policy given: nothing allows', () => {
    expect(run({ ...kms, identityPolicies: [doc(allow('kms:*'))] }).decision).toBe(
      'ImplicitlyDenied',
    );
  });
  it('cross-account: the key policy names the account and the external identity allows', () => {
    const kp = doc(
      enableIam,
      rAllow({ AWS: `arn:aws:iam::${B}:root` }, ['kms:Decrypt', 'kms:GenerateDataKey*']),
    );
    expect(run({ ...kms, principal: ROLE_B, resourcePolicy: kp }).decision).toBe(
      'ImplicitlyDenied',
    );
    expect(
      run({
        ...kms,
        principal: ROLE_B,
        resourcePolicy: kp,
        identityPolicies: [doc(allow('kms:Decrypt', KEY_A))],
      }).decision,
    ).toBe('Allowed');
    const onlyA = doc(enableIam);
    const r = run({
      ...kms,
      principal: ROLE_B,
      resourcePolicy: onlyA,
      identityPolicies: [doc(allow('kms:*'))],
    });
    expect(r.decision).toBe('ImplicitlyDenied');
    expect(r.deniedBy.map((d) => d.policyType)).toEqual(['resource']);
  });
});

describe('KMS operations that do not work across accounts', () => {
  // "Cross-account permission is effective only for the following operations: Cryptographic
  // operations, CreateGrant, DescribeKey, GetKeyRotationStatus, GetPublicKey, ListGrants,
  // RetireGrant, RevokeGrant" and "If you give a user in a different account permission for other
  // operations, those permissions have no effect"
  // (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html).
  const everything = doc(rAllow({ AWS: `arn:aws:iam::${B}:root` }, 'kms:*', '*', { Sid: 'All' }));
  const cross = {
    principal: ROLE_B,
    resource: KEY_A,
    identityPolicies: [doc(allow('kms:*'))],
    resourcePolicy: everything,
  };
  it('kms:PutKeyPolicy from another account is implicitly denied, whatever the policies allow', () => {
    // the sim-kms-xacct-admin request of the review
    const r = run({ ...cross, action: 'kms:PutKeyPolicy' });
    expect(r.decision).toBe('ImplicitlyDenied');
    expect(r.deniedBy).toEqual([{ policyType: 'resource', policy: 1, explicit: false }]);
    expect(r.allowedBy).toEqual([]);
    expect(r.problems).toEqual([
      expect.objectContaining({
        pointer: '/action',
        id: 'request.kms.cross-account-operation',
        severity: 'warning',
      }),
    ]);
    expect(r.problems[0]!.message).toContain('`kms:PutKeyPolicy`');
    expect(r.problems[0]!.message).toContain(
      'https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html',
    );
  });
  it.each([
    'kms:ScheduleKeyDeletion',
    'kms:EnableKeyRotation',
    'kms:DisableKey',
    'kms:GetKeyPolicy',
    'kms:TagResource',
    'kms:UpdateKeyDescription',
    'kms:putkeypolicy',
  ])('%s from another account is implicitly denied', (action) => {
    expect(run({ ...cross, action }).decision).toBe('ImplicitlyDenied');
  });
  it('kms:UpdateAlias on an alias of another account is implicitly denied', () => {
    const alias = `arn:aws:kms:us-east-1:${A}:alias/app`;
    expect(run({ ...cross, action: 'kms:UpdateAlias', resource: alias }).decision).toBe(
      'ImplicitlyDenied',
    );
  });
  it.each([
    'kms:Decrypt',
    'kms:DeriveSharedSecret',
    'kms:Encrypt',
    'kms:GenerateDataKey',
    'kms:GenerateDataKeyPair',
    'kms:GenerateDataKeyPairWithoutPlaintext',
    'kms:GenerateDataKeyWithoutPlaintext',
    'kms:GenerateMac',
    'kms:ReEncryptFrom',
    'kms:ReEncryptTo',
    'kms:Sign',
    'kms:Verify',
    'kms:VerifyMac',
    'kms:CreateGrant',
    'kms:DescribeKey',
    'kms:GetKeyRotationStatus',
    'kms:GetPublicKey',
    'kms:ListGrants',
    'kms:RetireGrant',
    'kms:RevokeGrant',
    'kms:decrypt',
  ])('%s works across accounts when both sides allow', (action) => {
    const r = run({ ...cross, action });
    expect(r.decision).toBe('Allowed');
    expect(r.problems).toEqual([]);
  });
  it('the same operations work in the key owner account', () => {
    const own = doc(rAllow({ AWS: `arn:aws:iam::${A}:root` }, 'kms:*'));
    const r = run({
      action: 'kms:PutKeyPolicy',
      resource: KEY_A,
      identityPolicies: [doc(allow('kms:*'))],
      resourcePolicy: own,
    });
    expect(r.decision).toBe('Allowed');
    expect(r.problems).toEqual([]);
  });
  it('an explicit deny still names its statement', () => {
    const r = run({
      ...cross,
      action: 'kms:PutKeyPolicy',
      identityPolicies: [doc(allow('kms:*'), deny('kms:PutKeyPolicy', '*', { Sid: 'NoAdmin' }))],
    });
    expect(r.decision).toBe('ExplicitlyDenied');
    expect(r.deniedBy).toEqual([
      { policyType: 'identity', policy: 1, statement: 'NoAdmin', explicit: true },
    ]);
  });
});

describe('an action the catalog does not know', () => {
  it('is evaluated as given, with a request.action.unknown warning (was silent)', () => {
    const r = run({
      action: 's3:GetObjects',
      resource: 'arn:aws:s3:::b/k',
      identityPolicies: [doc(allow('s3:GetObjects'))],
    });
    // AWS evaluates any action a policy names: the allow for it still allows
    expect(r.decision).toBe('Allowed');
    // the request's own warning, beside the policy's (policy.action.unknown) for its statement
    expect(r.problems.map((p) => [p.id, p.pointer.split('/')[1], p.severity])).toEqual([
      ['request.action.unknown', 'action', 'warning'],
      ['policy.action.unknown', 'identityPolicies', 'warning'],
    ]);
    expect(r.problems[0]!.message).toContain('`s3:GetObjects` is not in the AWS action catalog');
    // a known action, in any case, and a pattern: no such warning
    for (const action of ['s3:GetObject', 'S3:getobject'])
      expect(
        run({
          action,
          resource: 'arn:aws:s3:::b/k',
          identityPolicies: [doc(allow('s3:GetObject'))],
        }).problems,
      ).toEqual([]);
  });
});

describe('sts:AssumeRole and trust policies (rule 5)', () => {
  const target = `arn:aws:iam::${A}:role/target`;
  const assume = { action: 'sts:AssumeRole', resource: target };
  it('a service principal needs only the trust policy', () => {
    const trust = doc(rAllow({ Service: 'codepipeline.amazonaws.com' }, 'sts:AssumeRole'));
    expect(
      evaluate({ principal: 'codepipeline.amazonaws.com', ...assume, resourcePolicy: trust })
        .decision,
    ).toBe('Allowed');
    const r = evaluate({ principal: 'codebuild.amazonaws.com', ...assume, resourcePolicy: trust });
    expect(r.decision).toBe('ImplicitlyDenied');
    expect(r.deniedBy.map((d) => d.policyType)).toEqual(['resource']);
  });
  // CodeBuild's call, which the role's trust policy allows, with the request fields `extra`
  const codeBuildTrust = doc(rAllow({ Service: 'codebuild.amazonaws.com' }, 'sts:AssumeRole'));
  const denyAll = doc(deny('*'));
  const asCodeBuild = (extra: Partial<EvaluationRequest> = {}) =>
    evaluate({
      principal: 'codebuild.amazonaws.com',
      ...assume,
      resourcePolicy: codeBuildTrust,
      ...extra,
    });
  it('a service principal: identityPolicies, permissionBoundary and sessionPolicy are not applied, and a warning names each (was silent)', () => {
    const r = asCodeBuild({
      identityPolicies: [denyAll],
      permissionBoundary: denyAll,
      sessionPolicy: denyAll,
    });
    // the decision is the one without them: AWS applies none of them to a service principal
    expect(r.decision).toBe('Allowed');
    expect(r.problems.map((p) => [p.id, p.pointer, p.severity, p.message.includes('\n')])).toEqual([
      ['request.service-principal.policy-not-applied', '/identityPolicies', 'warning', false],
      ['request.service-principal.policy-not-applied', '/permissionBoundary', 'warning', false],
      ['request.service-principal.policy-not-applied', '/sessionPolicy', 'warning', false],
    ]);
    expect(r.problems[0]!.message).toMatch(
      /^principal `codebuild\.amazonaws\.com` is a service principal, .*`identityPolicies` is not applied to it/,
    );
    // none given, or an empty list: nothing is left unread, no warning
    for (const extra of [{}, { identityPolicies: [] }]) {
      const plain = asCodeBuild(extra);
      expect(plain.decision).toBe('Allowed');
      expect(plain.problems).toEqual([]);
    }
    // an IAM role's identity policies are read as before, with no such warning
    const role = run({ ...assume, resourcePolicy: codeBuildTrust, identityPolicies: [denyAll] });
    expect(role.decision).toBe('ExplicitlyDenied');
    expect(role.problems).toEqual([]);
  });
  it('a service principal: SCPs given are not applied, and a warning says so (was silent)', () => {
    const r = asCodeBuild({ scps: [[denyAll]] });
    // SCPs apply only to the IAM users and roles of the organization's accounts
    expect(r.decision).toBe('Allowed');
    expect(r.problems.map((p) => [p.id, p.pointer, p.severity])).toEqual([
      ['request.service-principal.policy-not-applied', '/scps', 'warning'],
    ]);
    expect(r.problems[0]!.message).toContain('`scps` is not applied to it');
    // empty levels leave nothing unread: no warning
    expect(asCodeBuild({ scps: [[], []] }).problems).toEqual([]);
    // a role's SCPs are applied as before, with no such warning
    const role = run({ ...assume, resourcePolicy: codeBuildTrust, scps: [[denyAll]] });
    expect(role.decision).toBe('ExplicitlyDenied');
    expect(role.problems).toEqual([]);
  });
  it('`"*"` and `{"AWS": "*"}` are equivalent: every principal', () => {
    for (const Principal of ['*', { AWS: '*' }]) {
      const trust = doc(rAllow(Principal, 'sts:AssumeRole'));
      expect(
        evaluate({ principal: 'codepipeline.amazonaws.com', ...assume, resourcePolicy: trust })
          .decision,
      ).toBe('Allowed');
    }
  });
  it('same account, trust names the caller: no identity permission needed', () => {
    const trust = doc(rAllow({ AWS: ROLE }, 'sts:AssumeRole'));
    expect(run({ ...assume, resourcePolicy: trust }).decision).toBe('Allowed');
  });
  it('same account, trust names the account: the caller needs sts:AssumeRole', () => {
    const trust = doc(rAllow({ AWS: `arn:aws:iam::${A}:root` }, 'sts:AssumeRole'));
    const r = run({ ...assume, resourcePolicy: trust });
    expect(r.decision).toBe('ImplicitlyDenied');
    expect(r.deniedBy.map((d) => d.policyType)).toEqual(['identity']);
    expect(
      run({
        ...assume,
        resourcePolicy: trust,
        identityPolicies: [doc(allow('sts:AssumeRole', target))],
      }).decision,
    ).toBe('Allowed');
  });
  it('same account, identity allow alone is not enough: the trust policy must allow', () => {
    const trust = doc(rAllow({ Service: 'codebuild.amazonaws.com' }, 'sts:AssumeRole'));
    const r = run({
      ...assume,
      resourcePolicy: trust,
      identityPolicies: [doc(allow('sts:AssumeRole'))],
    });
    expect(r.decision).toBe('ImplicitlyDenied');
    expect(r.deniedBy.map((d) => d.policyType)).toEqual(['resource']);
  });
  it('cross account: the trust policy and the caller identity policy must both allow', () => {
    const trust = doc(rAllow({ AWS: ROLE_B }, 'sts:AssumeRole'));
    expect(run({ ...assume, principal: ROLE_B, resourcePolicy: trust }).decision).toBe(
      'ImplicitlyDenied',
    );
    expect(
      run({
        ...assume,
        principal: ROLE_B,
        resourcePolicy: trust,
        identityPolicies: [doc(allow('sts:AssumeRole'))],
      }).decision,
    ).toBe('Allowed');
    const wrong = doc(rAllow({ AWS: `arn:aws:iam::${B}:role/other` }, 'sts:AssumeRole'));
    const r = run({
      ...assume,
      principal: ROLE_B,
      resourcePolicy: wrong,
      identityPolicies: [doc(allow('sts:AssumeRole'))],
    });
    expect(r.decision).toBe('ImplicitlyDenied');
    expect(r.deniedBy.map((d) => d.policyType)).toEqual(['resource']);
  });
  it('an SCP deny on sts:AssumeRole stops a member-account role', () => {
    const trust = doc(rAllow({ AWS: ROLE_B }, 'sts:AssumeRole'));
    const r = run({
      ...assume,
      principal: ROLE_B,
      resourcePolicy: trust,
      identityPolicies: [doc(allow('sts:AssumeRole'))],
      scps: [[doc(allow('*'), deny('sts:AssumeRole', '*', { Sid: 'NoAssume' }))]],
    });
    expect(r.decision).toBe('ExplicitlyDenied');
    expect(r.deniedBy).toEqual([
      { policyType: 'scp', policy: 'level 1 policy 1', statement: 'NoAssume', explicit: true },
    ]);
  });
});

describe('a role resource without its trust policy in the request', () => {
  // Every role has a trust policy, and it must allow the caller explicitly: an identity allow
  // alone never lets anyone assume a role
  // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html,
  // https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html).
  const target = `arn:aws:iam::${A}:role/target`;
  const missing = { policyType: 'resource', policy: 'trust policy', explicit: false };
  it('sts:AssumeRole allowed by the identity policy alone is implicitly denied, naming the trust policy', () => {
    // the sim-trust-missing request of the review
    const r = run({
      action: 'sts:AssumeRole',
      resource: target,
      identityPolicies: [doc(allow('sts:AssumeRole'))],
    });
    expect(r.decision).toBe('ImplicitlyDenied');
    expect(r.deniedBy).toEqual([missing]);
    expect(r.problems).toEqual([
      expect.objectContaining({
        pointer: '/resourcePolicy',
        id: 'request.trust-policy.missing',
        severity: 'warning',
      }),
    ]);
  });
  it.each([
    'sts:AssumeRole',
    'sts:AssumeRoleWithSAML',
    'sts:AssumeRoleWithWebIdentity',
    'sts:TagSession',
    'sts:SetSourceIdentity',
  ])('%s on a role needs the trust policy too', (action) => {
    for (const principal of [ROLE, SESSION, USER]) {
      const r = run({ principal, action, resource: target, identityPolicies: [doc(allow('*'))] });
      expect(r.decision, `${principal} ${action}`).toBe('ImplicitlyDenied');
      expect(r.deniedBy).toEqual([missing]);
    }
  });
  it('cross account and service principals were already denied; they name the trust policy now', () => {
    const cross = run({
      principal: ROLE_B,
      action: 'sts:AssumeRole',
      resource: target,
      identityPolicies: [doc(allow('*'))],
    });
    expect(cross.decision).toBe('ImplicitlyDenied');
    expect(cross.deniedBy).toEqual([missing]);
    const service = evaluate({
      principal: 'codebuild.amazonaws.com',
      action: 'sts:AssumeRole',
      resource: target,
    });
    expect(service.decision).toBe('ImplicitlyDenied');
    expect(service.deniedBy).toEqual([missing]);
  });
  it('an explicit deny still wins, and sts actions without a role resource are not affected', () => {
    const r = run({
      action: 'sts:AssumeRole',
      resource: target,
      identityPolicies: [doc(allow('*'), deny('sts:*', '*', { Sid: 'NoSts' }))],
    });
    expect(r.decision).toBe('ExplicitlyDenied');
    expect(r.deniedBy).toEqual([
      { policyType: 'identity', policy: 1, statement: 'NoSts', explicit: true },
    ]);
    const caller = run({
      action: 'sts:DecodeAuthorizationMessage',
      resource: '*',
      identityPolicies: [doc(allow('sts:DecodeAuthorizationMessage'))],
    });
    expect(caller.decision).toBe('Allowed');
    expect(caller.problems).toEqual([]);
  });

  // "No permissions are required to perform this operation. If an administrator attaches a
  // policy to your identity that explicitly denies access to the sts:GetCallerIdentity action,
  // you can still perform this operation"
  // (https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html)
  it('sts:GetCallerIdentity needs no allow, and a deny does not stop it', () => {
    for (const identityPolicies of [[], [doc(deny('sts:*', '*', { Sid: 'NoSts' }))]]) {
      const r = run({ action: 'sts:GetCallerIdentity', resource: '*', identityPolicies });
      expect(r.decision).toBe('Allowed');
      expect(r.allowedBy).toEqual([]);
      expect(r.problems.map((p) => p.id)).toEqual(['request.action.no-permission-needed']);
    }
  });
});

describe('an sts: action on a role that the trust policy does not decide (was read as a trust action)', () => {
  // A role's trust policy decides who may assume the role
  // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html):
  // the sts: actions authorized on the `role` resource type
  // (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssecuritytokenservice.html),
  // not DecodeAuthorizationMessage, GetAccessKeyInfo (no resource type) or GetFederationToken
  // (federated-user), whatever resource a request names
  const target = `arn:aws:iam::${A}:role/target`;
  const trustShaped = doc(rAllow({ AWS: USER }, 'sts:*'));
  const notApplicable = (r: ReturnType<typeof run>) =>
    r.problems.map((p) => [p.id, p.pointer, p.severity]);

  it.each(['sts:DecodeAuthorizationMessage', 'sts:GetAccessKeyInfo', 'sts:GetFederationToken'])(
    '%s: a trust-shaped resourcePolicy alone does not allow it (was Allowed), and it is not read',
    (action) => {
      const r = run({ principal: USER, action, resource: target, resourcePolicy: trustShaped });
      expect(r.decision).toBe('ImplicitlyDenied');
      expect(r.deniedBy.map((d) => d.policyType)).toEqual(['identity']);
      expect(notApplicable(r)).toEqual([
        ['request.resource-policy.not-applicable', '/resourcePolicy', 'warning'],
      ]);
    },
  );

  it.each(['sts:DecodeAuthorizationMessage', 'sts:GetAccessKeyInfo', 'sts:GetFederationToken'])(
    '%s: an identity allow alone allows it, with no trust policy asked for (was ImplicitlyDenied by the trust policy)',
    (action) => {
      const r = run({
        principal: USER,
        action,
        resource: target,
        identityPolicies: [doc(allow('sts:*'))],
      });
      expect(r.decision).toBe('Allowed');
      expect(r.problems).toEqual([]);
    },
  );

  it('sts:GetCallerIdentity on a role: no trust policy asked for (was request.trust-policy.missing)', () => {
    const r = run({ action: 'sts:GetCallerIdentity', resource: target });
    expect(r.decision).toBe('Allowed');
    expect(r.problems.map((p) => p.id)).toEqual(['request.action.no-permission-needed']);
  });

  it('sts:SetContext is authorized on the role: it needs the trust policy', () => {
    const r = run({
      action: 'sts:SetContext',
      resource: target,
      identityPolicies: [doc(allow('*'))],
    });
    expect(r.decision).toBe('ImplicitlyDenied');
    expect(r.deniedBy).toEqual([
      { policyType: 'resource', policy: 'trust policy', explicit: false },
    ]);
    expect(r.problems.map((p) => p.id)).toEqual(['request.trust-policy.missing']);
  });

  it('an sts: action the catalog does not know: decided as a trust action (unchanged), and the warning says that this is not known (was: it needs the trust policy)', () => {
    const identityPolicies = [doc(allow('sts:*'))];
    const r = run({ action: 'sts:Nope', resource: target, identityPolicies });
    // the stricter reading, as before: an identity allow alone does not allow it
    expect(r.decision).toBe('ImplicitlyDenied');
    expect(r.deniedBy).toEqual([
      { policyType: 'resource', policy: 'trust policy', explicit: false },
    ]);
    expect(r.problems.map((p) => [p.id, p.pointer])).toEqual([
      ['request.action.unknown', '/action'],
      ['request.trust-policy.missing', '/resourcePolicy'],
    ]);
    const message = r.problems[1]!.message;
    expect(message).toContain(
      "`sts:Nope` is not in the AWS action catalog, so whether a role's trust policy decides it is not known",
    );
    expect(message).not.toContain("needs the role's trust policy");
    // a trust policy naming the caller allows it, as before; nothing more is asked
    const given = run({
      action: 'sts:Nope',
      resource: target,
      identityPolicies,
      resourcePolicy: doc(rAllow({ AWS: ROLE }, 'sts:*')),
    });
    expect(given.decision).toBe('Allowed');
    expect(given.problems.map((p) => p.id)).toEqual(['request.action.unknown']);
    // an action the catalog knows keeps its words
    expect(
      run({ action: 'sts:AssumeRole', resource: target, identityPolicies }).problems[0]!.message,
    ).toContain("needs the role's trust policy to allow the caller");
  });
});

describe('NotPrincipal (rule 6)', () => {
  it('a Deny with NotPrincipal listing only the role still denies: the account is not listed', () => {
    const rp = doc(rAllow('*', 's3:*'), {
      Effect: 'Deny',
      NotPrincipal: { AWS: ROLE },
      Action: 's3:*',
      Resource: '*',
    });
    expect(run({ resourcePolicy: rp }).decision).toBe('ExplicitlyDenied');
  });
  it('listing the account and the role exempts the role', () => {
    const rp = doc(rAllow('*', 's3:*'), {
      Effect: 'Deny',
      NotPrincipal: { AWS: [ROLE, `arn:aws:iam::${A}:root`] },
      Action: 's3:*',
      Resource: '*',
    });
    expect(run({ resourcePolicy: rp }).decision).toBe('Allowed');
    expect(run({ principal: `arn:aws:iam::${A}:role/other`, resourcePolicy: rp }).decision).toBe(
      'ExplicitlyDenied',
    );
  });
  // "The NotPrincipal element with a Deny effect will always deny any IAM principal that has a
  // permissions boundary policy attached, regardless of the values specified in the NotPrincipal
  // element" (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html)
  describe('a principal with a permissions boundary', () => {
    const listed = {
      Sid: 'OnlyApp',
      Effect: 'Deny',
      NotPrincipal: { AWS: [ROLE, SESSION, `arn:aws:iam::${A}:root`] },
      Action: 's3:*',
      Resource: 'arn:aws:s3:::artifacts/*',
    };
    const rp = doc(rAllow('*', 's3:*'), listed);
    const boundary = doc(allow('s3:*'));
    it('is denied by a Deny with NotPrincipal that lists it, and the reason names the statement', () => {
      // the sim-np-boundary request of the review
      const r = run({
        identityPolicies: [doc(allow('s3:*'))],
        permissionBoundary: boundary,
        resourcePolicy: rp,
        resourceAccount: A,
      });
      expect(r.decision).toBe('ExplicitlyDenied');
      expect(r.deniedBy).toEqual([
        { policyType: 'resource', policy: 1, statement: 'OnlyApp', explicit: true },
      ]);
      // without the boundary, the listed role is exempt
      expect(run({ identityPolicies: [doc(allow('s3:*'))], resourcePolicy: rp }).decision).toBe(
        'Allowed',
      );
    });
    it('is denied whatever the NotPrincipal lists: a session, a user, every name at once', () => {
      expect(
        run({ principal: SESSION, permissionBoundary: boundary, resourcePolicy: rp }).decision,
      ).toBe('ExplicitlyDenied');
      const forUser = doc(rAllow('*', 's3:*'), {
        ...listed,
        NotPrincipal: { AWS: [USER, `arn:aws:iam::${A}:root`] },
      });
      expect(run({ principal: USER, resourcePolicy: forUser }).decision).toBe('Allowed');
      expect(
        run({ principal: USER, permissionBoundary: boundary, resourcePolicy: forUser }).decision,
      ).toBe('ExplicitlyDenied');
    });
    it('the statement must still match the action, the resource and the conditions', () => {
      const base = { permissionBoundary: boundary, resourcePolicy: rp };
      expect(run({ ...base, resource: 'arn:aws:s3:::other/key' }).decision).toBe('Allowed');
      expect(
        run({
          ...base,
          action: 'sqs:SendMessage',
          identityPolicies: [doc(allow('sqs:*'))],
          permissionBoundary: doc(allow('*')),
        }).decision,
      ).toBe('Allowed');
      const conditioned = doc(rAllow('*', 's3:*'), {
        ...listed,
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      });
      const secure = { 'aws:SecureTransport': 'true' };
      expect(run({ ...base, resourcePolicy: conditioned, context: secure }).decision).toBe(
        'Allowed',
      );
      expect(
        run({ ...base, resourcePolicy: conditioned, context: { 'aws:SecureTransport': 'false' } })
          .decision,
      ).toBe('ExplicitlyDenied');
    });
    it('an Allow with NotPrincipal is not affected by the boundary rule', () => {
      const allowNp = doc({
        Effect: 'Allow',
        NotPrincipal: { AWS: `arn:aws:iam::${A}:role/other` },
        Action: 's3:*',
        Resource: '*',
      });
      // the Allow names everyone but `other`: the role is allowed, with or without a boundary
      expect(run({ resourcePolicy: allowNp }).decision).toBe('Allowed');
      expect(run({ resourcePolicy: allowNp, permissionBoundary: boundary }).decision).toBe(
        'Allowed',
      );
    });
    it('the same policy objects answer with and without a boundary (the statement index is not reused across them)', () => {
      const identityPolicies = [doc(allow('s3:*'))];
      for (let i = 0; i < 3; i++) {
        expect(run({ identityPolicies, resourcePolicy: rp }).decision).toBe('Allowed');
        expect(
          run({ identityPolicies, resourcePolicy: rp, permissionBoundary: boundary }).decision,
        ).toBe('ExplicitlyDenied');
      }
    });
  });
});

describe('context filled in from the principal (rule 10)', () => {
  const cond = (key: string, value: string) =>
    run({
      resourcePolicy: doc(
        rAllow('*', 's3:GetObject', '*', { Condition: { StringEquals: { [key]: value } } }),
      ),
    }).decision;
  it('aws:PrincipalArn is the role ARN, also for a session', () => {
    expect(cond('aws:PrincipalArn', ROLE)).toBe('Allowed');
    const rp = doc(
      rAllow('*', 's3:GetObject', '*', {
        Condition: { StringEquals: { 'aws:PrincipalArn': ROLE } },
      }),
    );
    expect(run({ principal: SESSION, resourcePolicy: rp }).decision).toBe('Allowed');
  });
  it('aws:PrincipalAccount and aws:PrincipalType', () => {
    expect(cond('aws:PrincipalAccount', A)).toBe('Allowed');
    expect(cond('aws:PrincipalAccount', B)).toBe('ImplicitlyDenied');
    expect(cond('aws:PrincipalType', 'AssumedRole')).toBe('Allowed');
  });
  it('condition key names are case-insensitive', () => {
    expect(cond('AWS:principalaccount', A)).toBe('Allowed');
  });
  it('aws:PrincipalIsAWSService is `false` for an IAM principal, not absent', () => {
    // the key is in the context of every signed request: `true` when a service principal calls,
    // else `false` (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalisawsservice)
    expect(cond('aws:PrincipalIsAWSService', 'false')).toBe('Allowed');
    const present = doc(
      rAllow('*', 's3:GetObject', '*', {
        Condition: { Null: { 'aws:PrincipalIsAWSService': 'false' } },
      }),
    );
    expect(run({ principal: SESSION, resourcePolicy: present }).decision).toBe('Allowed');
  });
  it('service principals: aws:PrincipalIsAWSService and aws:PrincipalServiceName', () => {
    const trust = doc(
      rAllow({ Service: 'codebuild.amazonaws.com' }, 'sts:AssumeRole', '*', {
        Condition: {
          Bool: { 'aws:PrincipalIsAWSService': 'true' },
          StringEquals: { 'aws:PrincipalServiceName': 'codebuild.amazonaws.com' },
        },
      }),
    );
    expect(
      evaluate({
        principal: 'codebuild.amazonaws.com',
        action: 'sts:AssumeRole',
        resource: ROLE,
        resourcePolicy: trust,
      }).decision,
    ).toBe('Allowed');
  });
  it('the request context wins over the filled-in value', () => {
    const rp = doc(
      rAllow('*', 's3:GetObject', '*', {
        Condition: { StringEquals: { 'aws:PrincipalAccount': B } },
      }),
    );
    expect(run({ resourcePolicy: rp, context: { 'aws:PrincipalAccount': B } }).decision).toBe(
      'Allowed',
    );
  });
});

describe('kms:CallerAccount on a KMS key operation', () => {
  // "each API call can originate from only one AWS account": the caller's account, on every KMS
  // key resource operation; the AWS managed keys' key policies allow "all principals in the
  // account" with it
  // (https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-caller-account)
  const viaS3 = (account: string) =>
    rAllow({ AWS: '*' }, ['kms:Decrypt', 'kms:GenerateDataKey*'], '*', {
      Condition: {
        StringEquals: {
          'kms:CallerAccount': account,
          'kms:ViaService': 's3.us-east-1.amazonaws.com',
        },
      },
    });
  const decrypt = (r: Partial<EvaluationRequest>) =>
    run({
      principal: SESSION,
      action: 'kms:Decrypt',
      resource: KEY_A,
      context: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' },
      ...r,
    });
  it("is the caller's account: the AWS managed key statement allows the account's principals", () => {
    const r = decrypt({ resourcePolicy: doc(viaS3(A)) });
    expect(r.decision).toBe('Allowed');
    expect(decrypt({ resourcePolicy: doc(viaS3(B)) }).decision).toBe('ImplicitlyDenied');
    // a principal of another account is not one of the key account's
    const other = decrypt({
      principal: ROLE_B,
      identityPolicies: [doc(allow('kms:Decrypt'))],
      resourcePolicy: doc(viaS3(A)),
    });
    expect(other.decision).toBe('ImplicitlyDenied');
  });
  it('a Deny unless the caller is of the account does not deny the account', () => {
    const keyPolicy = doc(rAllow({ AWS: `arn:aws:iam::${A}:root` }, 'kms:*'), {
      Effect: 'Deny',
      Principal: '*',
      Action: 'kms:*',
      Resource: '*',
      Condition: { StringNotEquals: { 'kms:CallerAccount': A } },
    });
    const r = decrypt({ resourcePolicy: keyPolicy, identityPolicies: [doc(allow('kms:Decrypt'))] });
    expect(r.decision).toBe('Allowed');
  });
  it('only on KMS key operations, and the request context wins', () => {
    const onS3 = run({
      resourcePolicy: doc(
        rAllow('*', 's3:GetObject', '*', {
          Condition: { StringEquals: { 'kms:CallerAccount': A } },
        }),
      ),
    });
    expect(onS3.decision).toBe('ImplicitlyDenied');
    expect(
      decrypt({
        resourcePolicy: doc(viaS3(B)),
        context: { 'kms:ViaService': 's3.us-east-1.amazonaws.com', 'kms:CallerAccount': B },
      }).decision,
    ).toBe('Allowed');
  });
});

describe('policy variables in Resource (rule 8)', () => {
  const p = (version: string) => ({
    Version: version,
    Statement: [allow('s3:GetObject', 'arn:aws:s3:::artifacts/${aws:PrincipalAccount}/*')],
  });
  it('resolved under 2012-10-17', () => {
    expect(
      run({ identityPolicies: [p('2012-10-17')], resource: `arn:aws:s3:::artifacts/${A}/x` })
        .decision,
    ).toBe('Allowed');
    expect(
      run({ identityPolicies: [p('2012-10-17')], resource: `arn:aws:s3:::artifacts/${B}/x` })
        .decision,
    ).toBe('ImplicitlyDenied');
  });
  it('literal text under 2008-10-17', () => {
    expect(
      run({ identityPolicies: [p('2008-10-17')], resource: `arn:aws:s3:::artifacts/${A}/x` })
        .decision,
    ).toBe('ImplicitlyDenied');
    expect(
      run({
        identityPolicies: [p('2008-10-17')],
        resource: 'arn:aws:s3:::artifacts/${aws:PrincipalAccount}/x',
      }).decision,
    ).toBe('Allowed');
  });
  it('an unresolved variable matches nothing; a default value applies', () => {
    const q = doc(allow('s3:GetObject', 'arn:aws:s3:::artifacts/${aws:username}/*'));
    expect(run({ identityPolicies: [q], resource: 'arn:aws:s3:::artifacts/app/x' }).decision).toBe(
      'ImplicitlyDenied',
    );
    const d = doc(allow('s3:GetObject', "arn:aws:s3:::artifacts/${aws:username, 'shared'}/*"));
    expect(
      run({ identityPolicies: [d], resource: 'arn:aws:s3:::artifacts/shared/x' }).decision,
    ).toBe('Allowed');
  });
  it('`${*}` is a literal asterisk, not a wildcard', () => {
    const q = doc(allow('s3:GetObject', 'arn:aws:s3:::artifacts/${*}'));
    expect(run({ identityPolicies: [q], resource: 'arn:aws:s3:::artifacts/*' }).decision).toBe(
      'Allowed',
    );
    expect(run({ identityPolicies: [q], resource: 'arn:aws:s3:::artifacts/key' }).decision).toBe(
      'ImplicitlyDenied',
    );
  });
});

describe('bad input is a value', () => {
  it('a request without an action is reported, not thrown', () => {
    const r = evaluate({ principal: ROLE, resource: '*' } as unknown as EvaluationRequest);
    expect(r.decision).toBe('ImplicitlyDenied');
    expect(r.problems[0]).toMatchObject({
      pointer: '/action',
      id: 'request.action.missing',
      severity: 'error',
    });
  });
  it('a malformed statement is skipped and reported, never read as allow', () => {
    const r = run({ identityPolicies: [doc({ Effect: 'Alow', Action: 's3:*', Resource: '*' })] });
    expect(r.decision).toBe('ImplicitlyDenied');
    expect(
      r.problems.some(
        (p) => p.pointer.startsWith('/identityPolicies/0/Statement/0') && p.severity === 'error',
      ),
    ).toBe(true);
  });
  it('a malformed deny is skipped and reported: the request is not silently allowed', () => {
    const r = run({
      identityPolicies: [
        doc(allow('*'), { Effect: 'Deny', Action: 's3:*', Resource: '*', Bogus: 1 }),
      ],
    });
    expect(r.problems.some((p) => p.severity === 'error')).toBe(true);
  });
  it('an unusable document is reported and decides nothing', () => {
    const r = run({ identityPolicies: [doc(allow('*'))], permissionBoundary: '{not json' });
    expect(r.decision).toBe('ImplicitlyDenied');
    expect(r.problems.some((p) => p.pointer.startsWith('/permissionBoundary'))).toBe(true);
  });
  it('accepts policies as JSON strings and URL-encoded strings', () => {
    const text = JSON.stringify(doc(allow('s3:GetObject')));
    expect(run({ identityPolicies: [text] }).decision).toBe('Allowed');
    expect(run({ identityPolicies: [encodeURIComponent(text)] }).decision).toBe('Allowed');
  });
});

describe('principal forms found by the differential test', () => {
  it('a role ARN with a path names the sessions of that role (session ARNs carry no path)', () => {
    const trust = doc(
      rAllow({ AWS: `arn:aws:iam::${A}:role/pipeline/BuildRole` }, 'sts:AssumeRole'),
    );
    const r = evaluate({
      principal: `arn:aws:sts::${A}:assumed-role/BuildRole/s-1`,
      action: 'sts:AssumeRole',
      resource: `arn:aws:iam::${A}:role/TargetRole`,
      resourcePolicy: trust,
    });
    expect(r.decision).toBe('Allowed');
    const other = evaluate({
      principal: `arn:aws:sts::${A}:assumed-role/OtherRole/s-1`,
      action: 'sts:AssumeRole',
      resource: `arn:aws:iam::${A}:role/TargetRole`,
      resourcePolicy: trust,
    });
    expect(other.decision).toBe('ImplicitlyDenied');
  });
  it('the account root user cannot call AssumeRole, whatever the policies say', () => {
    const r = evaluate({
      principal: `arn:aws:iam::${A}:root`,
      action: 'sts:AssumeRole',
      resource: `arn:aws:iam::${A}:role/TargetRole`,
      resourcePolicy: doc(rAllow({ AWS: `arn:aws:iam::${A}:root` }, 'sts:AssumeRole')),
    });
    expect(r.decision).toBe('ImplicitlyDenied');
  });
});

describe('KMS actions without a key', () => {
  it('kms:ListAliases on `*` needs only an IAM policy', () => {
    const r = evaluate({
      principal: ROLE,
      action: 'kms:ListAliases',
      resource: '*',
      identityPolicies: [doc(allow('kms:ListAliases'))],
    });
    expect(r.decision).toBe('Allowed');
    expect(
      evaluate({ principal: ROLE, action: 'kms:ListAliases', resource: '*', identityPolicies: [] })
        .decision,
    ).toBe('ImplicitlyDenied');
  });
});

describe('keys AWS always sets that the request does not give', () => {
  const full = doc(allow('*'));
  const revoke = deny('*', '*', {
    Condition: { DateLessThan: { 'aws:TokenIssueTime': '2026-01-01T00:00:00Z' } },
  });
  const ids = (r: { problems: readonly { id: string; pointer: string; message: string }[] }) =>
    r.problems.filter((p) => p.id === 'request.context.key-unfilled');
  it('a session: aws:TokenIssueTime is evaluated as absent, and a warning names the statement', () => {
    const r = run({ principal: SESSION, identityPolicies: [doc(allow('*'), revoke)] });
    expect(r.decision).toBe('Allowed');
    expect(ids(r)).toEqual([
      expect.objectContaining({
        pointer: '/identityPolicies/0/Statement/1/Condition/DateLessThan/aws:TokenIssueTime',
        severity: 'warning',
      }),
    ]);
    expect(ids(r)[0]!.message).toContain('aws:TokenIssueTime');
    // given in the context (any case of the key): decided on it, no warning
    const given = run({
      principal: SESSION,
      identityPolicies: [doc(allow('*'), revoke)],
      context: { 'AWS:tokenIssueTime': '2025-06-01T00:00:00Z' },
    });
    expect(given.decision).toBe('ExplicitlyDenied');
    expect(ids(given)).toEqual([]);
  });
  it('aws:CurrentTime, aws:EpochTime and aws:SecureTransport for any IAM principal, in any applicable policy', () => {
    const secure = doc(
      allow('*'),
      deny('*', '*', { Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
    const timed = doc(
      allow('*', '*', {
        Condition: { DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } },
      }),
    );
    const r = run({
      principal: USER,
      identityPolicies: [full],
      scps: [[secure]],
      permissionBoundary: timed,
    });
    expect(r.decision).toBe('ImplicitlyDenied');
    expect(
      ids(r)
        .map((p) => p.pointer)
        .sort(),
    ).toEqual([
      '/permissionBoundary/Statement/0/Condition/DateGreaterThan/aws:CurrentTime',
      '/scps/0/0/Statement/1/Condition/Bool/aws:SecureTransport',
    ]);
    // a user's long-term keys carry no aws:TokenIssueTime: nothing to warn about
    expect(ids(run({ principal: USER, identityPolicies: [doc(allow('*'), revoke)] }))).toEqual([]);
  });
  it('aws:userid, aws:ViaAWSService, aws:RequestedRegion, aws:UserAgent and (temporary credentials) aws:MultiFactorAuthPresent', () => {
    const keyOf = (r: { problems: readonly { id: string; pointer: string; message: string }[] }) =>
      ids(r).map((p) => /tests `([^`]+)`/.exec(p.message)![1]);
    // "included in the request context for all signed requests": a Deny on the role's unique id
    // prefix applies to its sessions in AWS; evaluated as absent here, so the request says so
    const byUserId = deny('*', '*', { Condition: { StringLike: { 'aws:userid': 'AROA*' } } });
    const r = run({ principal: SESSION, identityPolicies: [doc(allow('*'), byUserId)] });
    expect(r.decision).toBe('Allowed');
    expect(keyOf(r)).toEqual(['aws:userid']);
    const given = run({
      principal: SESSION,
      identityPolicies: [doc(allow('*'), byUserId)],
      context: { 'aws:userid': 'AROAEXAMPLEID:s1' },
    });
    expect(given.decision).toBe('ExplicitlyDenied');
    expect(ids(given)).toEqual([]);
    // the root user's aws:userid is its account id, known from the ARN: nothing to warn about
    const root = `arn:aws:iam::${A}:root`;
    expect(ids(run({ principal: root, identityPolicies: [doc(allow('*'), byUserId)] }))).toEqual(
      [],
    );
    // the documented Deny by source IP, for calls the principal makes itself
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_aws_deny-ip.html)
    const byIp = deny('*', '*', {
      Condition: {
        NotIpAddress: { 'aws:SourceIp': '192.0.2.0/24' },
        Bool: { 'aws:ViaAWSService': 'false' },
      },
    });
    const outside = { 'aws:SourceIp': '203.0.113.9' };
    const ip = run({
      principal: USER,
      identityPolicies: [doc(allow('*'), byIp)],
      context: outside,
    });
    expect(ip.decision).toBe('Allowed');
    expect(keyOf(ip)).toEqual(['aws:ViaAWSService']);
    const direct = run({
      principal: USER,
      identityPolicies: [doc(allow('*'), byIp)],
      context: { ...outside, 'aws:ViaAWSService': 'false' },
    });
    expect(direct.decision).toBe('ExplicitlyDenied');
    // EC2 does not support the key: absent there, as evaluated
    expect(
      ids(
        run({
          principal: USER,
          action: 'ec2:DescribeInstances',
          resource: '*',
          identityPolicies: [doc(allow('*'), byIp)],
          context: outside,
        }),
      ),
    ).toEqual([]);
    const region = deny('*', '*', {
      Condition: { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } },
    });
    const agent = deny('*', '*', { Condition: { StringLike: { 'aws:UserAgent': '*boto*' } } });
    expect(keyOf(run({ identityPolicies: [doc(allow('*'), region, agent)] })).sort()).toEqual([
      'aws:RequestedRegion',
      'aws:UserAgent',
    ]);
    // only temporary credentials carry aws:MultiFactorAuthPresent
    const mfa = deny('*', '*', { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } } });
    expect(keyOf(run({ principal: SESSION, identityPolicies: [doc(allow('*'), mfa)] }))).toEqual([
      'aws:MultiFactorAuthPresent',
    ]);
    expect(ids(run({ principal: USER, identityPolicies: [doc(allow('*'), mfa)] }))).toEqual([]);
  });
  it('only statements for the action count, and policies that do not apply are not read', () => {
    const other = doc(
      allow('*'),
      deny('sqs:*', '*', { Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
    expect(ids(run({ principal: SESSION, identityPolicies: [other] }))).toEqual([]);
    const slr = `arn:aws:iam::${A}:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS`;
    const scp = doc(allow('*'), revoke);
    expect(ids(run({ principal: slr, identityPolicies: [full], scps: [[scp]] }))).toEqual([]);
    expect(ids(run({ principal: ROLE, identityPolicies: [full], scps: [[scp]] }))).toHaveLength(1);
  });
});

describe('lists of policies evaluated again', () => {
  const full = doc(allow('*'));
  it('a list of identity policies, SCPs or RCPs changed in place is read again', () => {
    const identityPolicies: unknown[] = [full];
    const level: unknown[] = [full];
    const scps = [level];
    const request = { identityPolicies, scps } as Partial<EvaluationRequest>;
    expect(run(request).decision).toBe('Allowed');
    level.push(doc(deny('s3:GetObject')));
    expect(run(request).decision).toBe('ExplicitlyDenied');
    level.pop();
    expect(run(request).decision).toBe('Allowed');
    identityPolicies[0] = doc(allow('s3:PutObject'));
    expect(run(request).decision).toBe('ImplicitlyDenied');
    identityPolicies.push(full);
    expect(run(request).decision).toBe('Allowed');
    scps.push([doc(allow('s3:PutObject'))]);
    expect(run(request).decision).toBe('ImplicitlyDenied');
    const rcpLevel: unknown[] = [];
    const rcps = [rcpLevel];
    const cross = {
      principal: ROLE_B,
      identityPolicies: [full],
      resourcePolicy: doc(rAllow({ AWS: `arn:aws:iam::${B}:root` }, '*')),
      resourceAccount: A,
      rcps,
    } as Partial<EvaluationRequest>;
    expect(run(cross).decision).toBe('Allowed');
    rcpLevel.push(doc({ Effect: 'Deny', Principal: '*', Action: '*', Resource: '*' }));
    expect(run(cross).decision).toBe('ExplicitlyDenied');
  });
  it('a list whose documents have problems reports them on every request', () => {
    const identityPolicies = [doc(allow('s3:GetObjekt'), allow('s3:GetObject'))];
    const scps = [[doc(allow('*'), allow('s3:NoSuchAction'))]];
    for (let i = 0; i < 3; i++) {
      const r = run({ identityPolicies, scps } as Partial<EvaluationRequest>);
      expect(r.decision).toBe('Allowed');
      expect(r.problems.map((p) => p.pointer)).toEqual([
        '/identityPolicies/0/Statement/0/Action',
        '/scps/0/0/Statement/1/Action',
      ]);
    }
  });
});
