/**
 * How a policy's Principal / NotPrincipal names the caller, for principal forms a review found
 * decided wrongly: STS federated users (GetFederationToken), bare account ids in other
 * partitions, and role sessions tested by aws:PrincipalArn.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluate } from '../../src/evaluate/evaluate.js';
import type { EvaluationRequest } from '../../src/evaluate/types.js';
import { runCli } from '../cli/runCli.js';

const A = '111122223333';
const B = '444455556666';
const ROOT_A = `arn:aws:iam::${A}:root`;
const FED_A = `arn:aws:sts::${A}:federated-user/bob`;
const FED_B = `arn:aws:sts::${B}:federated-user/bob`;
const USER_A = `arn:aws:iam::${A}:user/bob`;
const OBJ = 'arn:aws:s3:::b/k';

type Stmt = Record<string, unknown>;
const doc = (...Statement: Stmt[]) => ({ Version: '2012-10-17', Statement });
const allowAll = doc({ Effect: 'Allow', Action: '*', Resource: '*' });
const allowGet = doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' });

function run(r: Partial<EvaluationRequest>) {
  return evaluate({ action: 's3:GetObject', resource: OBJ, ...r } as EvaluationRequest);
}

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html:
// a Deny with NotPrincipal denies "all principals except the principal specified", a principal
// can be an "AWS STS federated user principal", and the account ARN must be listed as well.
describe('Deny with NotPrincipal and an STS federated user', () => {
  const denyAllBut = (...names: string[]) =>
    doc({ Effect: 'Deny', NotPrincipal: { AWS: names }, Action: 's3:*', Resource: '*' });

  it('listing only the account denies the federated user, as it denies the account user', () => {
    // reviewer's r3 (federated) and r3b (user): both must be denied
    for (const principal of [FED_A, USER_A]) {
      const r = run({
        principal,
        identityPolicies: [allowGet],
        resourcePolicy: denyAllBut(ROOT_A),
      });
      expect(r.decision, principal).toBe('ExplicitlyDenied');
      expect(r.deniedBy).toEqual([
        { policyType: 'resource', policy: 1, statement: 1, explicit: true },
      ]);
    }
  });

  it('listing the federated user ARN and its account exempts it', () => {
    const r = run({
      principal: FED_A,
      identityPolicies: [allowGet],
      sessionPolicy: allowAll,
      resourcePolicy: denyAllBut(FED_A, ROOT_A),
    });
    expect(r.decision).toBe('Allowed');
  });

  it('the account may be listed by its bare id', () => {
    const r = run({
      principal: FED_A,
      identityPolicies: [allowGet],
      sessionPolicy: allowAll,
      resourcePolicy: denyAllBut(FED_A, A),
    });
    expect(r.decision).toBe('Allowed');
  });

  it('listing the federated user without its account still denies (the account must be listed)', () => {
    const r = run({
      principal: FED_A,
      identityPolicies: [allowGet],
      resourcePolicy: denyAllBut(FED_A),
    });
    expect(r.decision).toBe('ExplicitlyDenied');
  });

  it('another federated user of the account is denied', () => {
    const r = run({
      principal: `arn:aws:sts::${A}:federated-user/eve`,
      identityPolicies: [allowGet],
      resourcePolicy: denyAllBut(FED_A, ROOT_A),
    });
    expect(r.decision).toBe('ExplicitlyDenied');
  });
});

// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_getfederationtoken.html
// and https://docs.aws.amazon.com/STS/latest/APIReference/API_GetFederationToken.html: a
// resource policy that names the federated user session grants it "in addition to the
// permissions that are granted by the session policies". Across accounts both accounts must
// allow (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html).
describe('a resource policy naming an STS federated user', () => {
  const grant = (name: string, extra: Stmt = {}) =>
    doc({
      Effect: 'Allow',
      Principal: { AWS: name },
      Action: 's3:GetObject',
      Resource: '*',
      ...extra,
    });

  it('same account: the grant alone allows, with no identity policy (reviewer r2)', () => {
    const r = run({ principal: FED_A, resourcePolicy: grant(FED_A) });
    expect(r.decision).toBe('Allowed');
    expect(r.allowedBy).toEqual([
      { policyType: 'resource', policy: 1, statement: 1, explicit: false },
    ]);
  });

  it('same account: the grant is not limited by the session policy', () => {
    const r = run({
      principal: FED_A,
      identityPolicies: [allowGet],
      sessionPolicy: doc({ Effect: 'Allow', Action: 'sqs:*', Resource: '*' }),
      resourcePolicy: grant(FED_A),
    });
    expect(r.decision).toBe('Allowed');
  });

  it('same account: an explicit deny in the session policy still wins', () => {
    const r = run({
      principal: FED_A,
      sessionPolicy: doc({ Effect: 'Deny', Action: 's3:*', Resource: '*' }),
      resourcePolicy: grant(FED_A),
    });
    expect(r.decision).toBe('ExplicitlyDenied');
  });

  it('naming another federated user does not match', () => {
    const r = run({
      principal: FED_A,
      resourcePolicy: grant(`arn:aws:sts::${A}:federated-user/eve`),
    });
    expect(r.decision).toBe('ImplicitlyDenied');
  });

  it('naming the account only delegates: the identity side must allow', () => {
    expect(run({ principal: FED_A, resourcePolicy: grant(ROOT_A) }).decision).toBe(
      'ImplicitlyDenied',
    );
    expect(
      run({
        principal: FED_A,
        identityPolicies: [allowGet],
        sessionPolicy: allowAll,
        resourcePolicy: grant(ROOT_A),
      }).decision,
    ).toBe('Allowed');
  });

  // "if you do not pass any session policies, then the resulting federated user session has no
  // permissions" (https://docs.aws.amazon.com/STS/latest/APIReference/API_GetFederationToken.html);
  // "However, a resource-based policy can provide additional permissions for the session"
  // (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_getfederationtoken.html)
  it('without a session policy the identity side allows nothing, and a grant naming the session still does', () => {
    for (const resourcePolicy of [undefined, grant(ROOT_A)]) {
      const r = run({
        principal: FED_A,
        identityPolicies: [allowGet],
        ...(resourcePolicy ? { resourcePolicy } : {}),
      });
      expect(r.decision).toBe('ImplicitlyDenied');
      expect(r.deniedBy).toEqual([
        { policyType: 'session', policy: 'session policy (none given)', explicit: false },
      ]);
      expect(r.problems.map((p) => p.id)).toEqual(['request.federated.no-session-policy']);
    }
    const cross = run({
      principal: FED_B,
      resourceAccount: A,
      identityPolicies: [allowAll],
      resourcePolicy: grant(ROOT_A.replace(A, B)),
    });
    expect(cross.decision).toBe('ImplicitlyDenied');
    expect(cross.deniedBy.map((x) => x.policyType)).toEqual(['session']);
    const named = run({ principal: FED_A, resourcePolicy: grant(FED_A) });
    expect(named.decision).toBe('Allowed');
  });

  it('cross account: the grant and the principal account identity policy must both allow', () => {
    const req = {
      principal: FED_B,
      resourceAccount: A,
      resourcePolicy: grant(FED_B),
      sessionPolicy: allowAll,
    };
    const alone = run(req);
    expect(alone.decision).toBe('ImplicitlyDenied');
    expect(alone.deniedBy).toEqual([
      { policyType: 'identity', policy: `identity policies of ${FED_B}`, explicit: false },
    ]);
    const both = run({ ...req, identityPolicies: [allowAll] });
    expect(both.decision).toBe('Allowed');
    expect(both.allowedBy.map((x) => x.policyType)).toEqual(['resource', 'identity', 'session']);
  });

  it('cross account: the session policy limits the identity side', () => {
    const r = run({
      principal: FED_B,
      resourceAccount: A,
      identityPolicies: [allowAll],
      sessionPolicy: doc({ Effect: 'Allow', Action: 'sqs:*', Resource: '*' }),
      resourcePolicy: grant(FED_B),
    });
    expect(r.decision).toBe('ImplicitlyDenied');
    expect(r.deniedBy.map((x) => x.policyType)).toEqual(['session']);
  });
});

// "The account ID and the account ARN behave the same"; an id has no partition, so it names the
// account in the caller's partition
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-accounts).
describe('a bare account id in Principal, in every partition', () => {
  const PARTITIONS = [
    ['aws', 'us-east-1'],
    ['aws-us-gov', 'us-gov-west-1'],
    ['aws-cn', 'cn-north-1'],
  ] as const;
  const CALLERS = [
    ['same account', A],
    ['cross account', B],
  ] as const;
  const byId = (id: string, Action: string) =>
    doc({ Effect: 'Allow', Principal: { AWS: id }, Action, Resource: '*' });

  for (const [partition, region] of PARTITIONS) {
    for (const [label, caller] of CALLERS) {
      const session = `arn:${partition}:sts::${caller}:assumed-role/Deploy/s`;
      const role = `arn:${partition}:iam::${caller}:role/Deploy`;
      // the caller's account is named; the resource is in account A
      it(`${partition}, ${label}: a trust policy naming the caller account id`, () => {
        const r = run({
          principal: session,
          action: 'sts:AssumeRole',
          resource: `arn:${partition}:iam::${A}:role/Target`,
          identityPolicies: [allowAll],
          resourcePolicy: byId(caller, 'sts:AssumeRole'),
        });
        expect(r.decision).toBe('Allowed');
        expect(r.allowedBy).toContainEqual({
          policyType: 'resource',
          policy: 1,
          statement: 1,
          explicit: false,
        });
      });
      it(`${partition}, ${label}: a key policy naming the caller account id`, () => {
        const r = run({
          principal: role,
          action: 'kms:Decrypt',
          resource: `arn:${partition}:kms:${region}:${A}:key/1`,
          identityPolicies: [allowAll],
          resourcePolicy: byId(caller, 'kms:*'),
        });
        expect(r.decision).toBe('Allowed');
      });
      it(`${partition}, ${label}: a bucket policy naming the caller account id`, () => {
        const r = run({
          principal: session,
          resource: `arn:${partition}:s3:::b/k`,
          resourceAccount: A,
          identityPolicies: [allowAll],
          resourcePolicy: byId(caller, 's3:GetObject'),
        });
        expect(r.decision).toBe('Allowed');
      });
      it(`${partition}, ${label}: another account's id does not name the caller`, () => {
        const r = run({
          principal: session,
          resource: `arn:${partition}:s3:::b/k`,
          resourceAccount: A,
          identityPolicies: [allowAll],
          resourcePolicy: byId('999988887777', 's3:GetObject'),
        });
        // same account: the identity policy alone allows; cross account: the bucket must
        expect(r.decision).toBe(caller === A ? 'Allowed' : 'ImplicitlyDenied');
      });
    }
  }

  it('an id only delegates, in any partition: the identity policy must still allow', () => {
    const r = run({
      principal: `arn:aws-us-gov:sts::${B}:assumed-role/Deploy/s`,
      action: 'sts:AssumeRole',
      resource: `arn:aws-us-gov:iam::${A}:role/Target`,
      resourcePolicy: byId(B, 'sts:AssumeRole'),
    });
    expect(r.decision).toBe('ImplicitlyDenied');
    expect(r.deniedBy.map((x) => x.policyType)).toEqual(['identity']);
  });

  it('an account ARN written in another partition does not name the caller', () => {
    const r = run({
      principal: `arn:aws-us-gov:sts::${B}:assumed-role/Deploy/s`,
      action: 'sts:AssumeRole',
      resource: `arn:aws-us-gov:iam::${A}:role/Target`,
      identityPolicies: [allowAll],
      resourcePolicy: doc({
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${B}:root` },
        Action: 'sts:AssumeRole',
      }),
    });
    expect(r.decision).toBe('ImplicitlyDenied');
  });

  it('a bare id in NotPrincipal lists the account in any partition', () => {
    const session = `arn:aws-cn:sts::${A}:assumed-role/Deploy/s`;
    const r = run({
      principal: session,
      resource: 'arn:aws-cn:s3:::b/k',
      identityPolicies: [allowAll],
      resourcePolicy: doc({
        Effect: 'Deny',
        NotPrincipal: { AWS: [A, `arn:aws-cn:iam::${A}:role/Deploy`, session] },
        Action: 's3:*',
        Resource: '*',
      }),
    });
    expect(r.decision).toBe('Allowed');
  });

  it('`*` next to an account id still names everyone (same account, no identity policy)', () => {
    const r = run({
      principal: `arn:aws:iam::${A}:role/Deploy`,
      resourcePolicy: doc({
        Effect: 'Allow',
        Principal: { AWS: ['*', A] },
        Action: 's3:GetObject',
        Resource: '*',
      }),
    });
    expect(r.decision).toBe('Allowed');
  });
});

// aws:PrincipalArn of a role session is the role's ARN with its path
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn),
// which a session ARN does not carry.
describe('a role session tested by aws:PrincipalArn', () => {
  const SESSION = `arn:aws:sts::${A}:assumed-role/BuildRole/s-1`;
  const PATH_LESS = `arn:aws:iam::${A}:role/BuildRole`;
  const PATHED = `arn:aws:iam::${A}:role/service-role/BuildRole`;
  const OBJECT = 'arn:aws:s3:::artifacts/obj';
  // reviewer's r4: an allow on the path-less ARN
  const allowIfArn = doc({
    Effect: 'Allow',
    Principal: '*',
    Action: 's3:GetObject',
    Resource: '*',
    Condition: { ArnEquals: { 'aws:PrincipalArn': PATH_LESS } },
  });
  // reviewer's r4b: a deny for everyone but the pathed ARN
  const denyUnlessArn = doc({
    Sid: 'OnlyBuildRole',
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: '*',
    Condition: { ArnNotEquals: { 'aws:PrincipalArn': PATHED } },
  });
  const warningsOf = (r: ReturnType<typeof run>) =>
    r.problems.filter((p) => p.id === 'request.principal-arn.path-unknown');

  it('warns and decides as before when the request does not give aws:PrincipalArn', () => {
    const allow = run({ principal: SESSION, resource: OBJECT, resourcePolicy: allowIfArn });
    expect(allow.decision).toBe('Allowed');
    expect(warningsOf(allow)).toEqual([
      {
        pointer: '/principal',
        id: 'request.principal-arn.path-unknown',
        severity: 'warning',
        message: expect.stringContaining(
          "a session ARN does not carry the role's path: `aws:PrincipalArn` is taken as " +
            `\`${PATH_LESS}\``,
        ) as unknown,
      },
    ]);
    expect(warningsOf(allow)[0]!.message).toContain(
      '`/resourcePolicy/Statement/0/Condition/ArnEquals/aws:PrincipalArn` tests it',
    );
    expect(warningsOf(allow)[0]!.message).toContain(
      "give the role's ARN as `aws:PrincipalArn` in `context`",
    );

    const deny = run({
      principal: SESSION,
      resource: OBJECT,
      identityPolicies: [allowGet],
      resourcePolicy: denyUnlessArn,
    });
    expect(deny.decision).toBe('ExplicitlyDenied');
    expect(warningsOf(deny)).toHaveLength(1);
  });

  it('given in context (any case), the key decides and nothing is warned', () => {
    const allow = run({
      principal: SESSION,
      resource: OBJECT,
      context: { 'AWS:PrincipalARN': PATHED },
      resourcePolicy: allowIfArn,
    });
    expect(allow.decision).toBe('ImplicitlyDenied');
    expect(allow.problems).toEqual([]);
    const deny = run({
      principal: SESSION,
      resource: OBJECT,
      context: { 'aws:PrincipalArn': PATHED },
      identityPolicies: [allowGet],
      resourcePolicy: denyUnlessArn,
    });
    expect(deny.decision).toBe('Allowed');
    expect(deny.problems).toEqual([]);
  });

  it('warns for a test in an identity policy, an SCP, or a ${aws:PrincipalArn} variable', () => {
    const cond = { StringLike: { 'aws:principalarn': `arn:aws:iam::${A}:role/*` } };
    const viaIdentity = run({
      principal: SESSION,
      resource: OBJECT,
      identityPolicies: [
        allowAll,
        doc({ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: cond }),
      ],
    });
    expect(warningsOf(viaIdentity)[0]!.message).toContain(
      '`/identityPolicies/1/Statement/0/Condition/',
    );
    const viaScp = run({
      principal: SESSION,
      resource: OBJECT,
      identityPolicies: [allowAll],
      scps: [[doc({ Effect: 'Allow', Action: '*', Resource: '*', Condition: cond })]],
    });
    expect(warningsOf(viaScp)[0]!.message).toContain('`/scps/0/0/Statement/0/Condition/');
    const viaVariable = run({
      principal: SESSION,
      resource: OBJECT,
      identityPolicies: [allowAll],
      resourcePolicy: doc({
        Effect: 'Allow',
        Principal: '*',
        Action: 's3:GetObject',
        Resource: 'arn:aws:s3:::artifacts/${aws:PrincipalArn}',
      }),
    });
    expect(warningsOf(viaVariable)[0]!.message).toContain('`/resourcePolicy/Statement/0` tests it');
  });

  it('does not warn for a role ARN principal, a statement of another action, or no test', () => {
    expect(
      run({ principal: PATHED, resource: OBJECT, resourcePolicy: denyUnlessArn }).problems,
    ).toEqual([]);
    const otherAction = doc({
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:PutObject',
      Resource: '*',
      Condition: { ArnNotEquals: { 'aws:PrincipalArn': PATHED } },
    });
    expect(
      run({
        principal: SESSION,
        resource: OBJECT,
        identityPolicies: [allowGet],
        resourcePolicy: otherAction,
      }).problems,
    ).toEqual([]);
    expect(
      run({ principal: SESSION, resource: OBJECT, identityPolicies: [allowGet] }).problems,
    ).toEqual([]);
  });

  describe('permchain simulate', () => {
    const dir = mkdtempSync(join(tmpdir(), 'permchain-principal-arn-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const write = (name: string, request: object) => {
      writeFileSync(join(dir, name), JSON.stringify(request));
      return name;
    };

    it('keeps the README exit codes: a warning does not change them (0 allowed, 1 denied)', async () => {
      const allow = write('allow.json', {
        principal: SESSION,
        action: 's3:GetObject',
        resource: OBJECT,
        resourcePolicy: allowIfArn,
      });
      const deny = write('deny.json', {
        principal: SESSION,
        action: 's3:GetObject',
        resource: OBJECT,
        identityPolicies: [allowGet],
        resourcePolicy: denyUnlessArn,
      });
      const a = await runCli(dir, 'simulate', '--request', allow, '--format', 'json');
      expect(a.code).toBe(0);
      expect(JSON.parse(a.out).decision).toBe('Allowed');
      expect(a.err).toContain('request.principal-arn.path-unknown');
      const d = await runCli(dir, 'simulate', '--request', deny, '--format', 'json');
      expect(d.code).toBe(1);
      expect(JSON.parse(d.out).decision).toBe('ExplicitlyDenied');
      expect(d.err).toContain('request.principal-arn.path-unknown');
    });
  });
});
