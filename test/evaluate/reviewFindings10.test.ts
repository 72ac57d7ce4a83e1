// Rules a review of the evaluator (session 10) found answered wrongly: each case was a wrong
// Allowed before its fix.
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/evaluate/evaluate.js';
import { parsePolicy } from '../../src/policy/parse.js';
import type { EvaluationRequest } from '../../src/evaluate/types.js';

const A = '111111111111';
const USER = `arn:aws:iam::${A}:user/alice`;

type Stmt = Record<string, unknown>;
const doc = (...Statement: Stmt[]) => ({ Version: '2012-10-17', Statement });
const allowAll = (Action: string): Stmt => ({ Effect: 'Allow', Action, Resource: '*' });
const denyAll = (Action: string): Stmt => ({ Effect: 'Deny', Action, Resource: '*' });

const ids = (r: { problems: readonly { id: string }[] }) => r.problems.map((p) => p.id);

describe('top-level elements IAM refuses make the document unreadable', () => {
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
  it('a misspelt `Statment` may hold the Deny that decides: bad input, never Allowed', () => {
    const r = evaluate({
      principal: USER,
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::bkt/k',
      identityPolicies: [
        {
          Version: '2012-10-17',
          Statement: [allowAll('s3:*')],
          Statment: [denyAll('s3:*')],
        },
      ],
    });
    expect(r.decision).toBe('ImplicitlyDenied');
    expect(r.allowedBy).toEqual([]);
    expect(r.deniedBy).toEqual([]);
    expect(r.problems).toContainEqual(
      expect.objectContaining({
        id: 'policy.document.unknown-key',
        pointer: '/identityPolicies/0/Statment',
        severity: 'error',
      }),
    );
  });

  it('a Version other than the two (a trailing space) is bad input in any policy type', () => {
    // under 2008 rules `${aws:username}` would be literal and this Deny would miss
    const bad = {
      Version: '2012-10-17 ',
      Statement: [
        { Effect: 'Deny', Action: 's3:*', Resource: 'arn:aws:s3:::bkt/${aws:username}/*' },
      ],
    };
    const base: EvaluationRequest = {
      principal: USER,
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::bkt/alice/k',
      identityPolicies: [doc(allowAll('s3:*'))],
    };
    for (const req of [
      { ...base, identityPolicies: [doc(allowAll('s3:*')), bad] },
      { ...base, permissionBoundary: { ...bad, Statement: [...bad.Statement, allowAll('*')] } },
      { ...base, scps: [[{ ...bad, Statement: [...bad.Statement, allowAll('*')] }]] },
    ] as EvaluationRequest[]) {
      const r = evaluate(req);
      expect(r.decision).toBe('ImplicitlyDenied');
      expect(r.allowedBy).toEqual([]);
      expect(ids(r)).toContain('policy.version.invalid');
    }
  });

  it('an `Id` that is not a string is bad input', () => {
    const r = evaluate({
      principal: USER,
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::bkt/k',
      identityPolicies: [{ Version: '2012-10-17', Id: 5, Statement: [allowAll('s3:*')] }],
    });
    expect(r.decision).toBe('ImplicitlyDenied');
    expect(r.allowedBy).toEqual([]);
    expect(ids(r)).toContain('policy.id.invalid');
  });

  it('the compiled policy lists the unreadable elements with the skipped statements', () => {
    const { policy } = parsePolicy(
      { Version: '2012-10-17', Id: 5, Statement: [allowAll('s3:*'), { Effect: 'allow' }] },
      { name: 'p', pointer: '/doc' },
    );
    expect(policy?.skipped).toEqual(['/doc/Id', '/doc/Statement/1']);
  });

  it('no Version (2008 rules, a warning) and a string Id still evaluate', () => {
    const r = evaluate({
      principal: USER,
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::bkt/k',
      identityPolicies: [{ Id: 'x', Statement: [allowAll('s3:*')] }],
    });
    expect(r.decision).toBe('Allowed');
    expect(ids(r)).toEqual(['policy.version.missing']);
  });
});

describe('a key policy statement without Resource has no effect', () => {
  // "If either of the required Resource or Action elements are missing from a key policy
  // statement, the policy statement has no effect"
  // (https://docs.aws.amazon.com/kms/latest/APIReference/API_PutKeyPolicy.html)
  const KEY = `arn:aws:kms:us-east-1:${A}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
  const ROLE = `arn:aws:iam::${A}:role/app`;
  const SESSION = `arn:aws:sts::${A}:assumed-role/app/s1`;
  const noResource = (Effect: string, AWS: string): Stmt => ({
    Effect,
    Principal: { AWS },
    Action: 'kms:Decrypt',
  });
  const warning = expect.objectContaining({
    id: 'policy.key.resource-missing',
    pointer: '/resourcePolicy/Statement/0',
    severity: 'warning',
  });

  it('an Allow naming the role grants nothing', () => {
    const r = evaluate({
      principal: SESSION,
      action: 'kms:Decrypt',
      resource: KEY,
      resourcePolicy: doc(noResource('Allow', ROLE)),
    });
    expect(r.decision).toBe('ImplicitlyDenied');
    expect(r.deniedBy).toEqual([{ policyType: 'resource', policy: 1, explicit: false }]);
    expect(r.problems).toContainEqual(warning);
  });

  it('a delegation to the account root without Resource does not let identity policies count', () => {
    const r = evaluate({
      principal: SESSION,
      action: 'kms:Decrypt',
      resource: KEY,
      identityPolicies: [doc(allowAll('kms:Decrypt'))],
      resourcePolicy: doc(noResource('Allow', `arn:aws:iam::${A}:root`)),
    });
    expect(r.decision).toBe('ImplicitlyDenied');
    expect(r.problems).toContainEqual(warning);
  });

  it('an Allow naming another account grants it nothing', () => {
    const r = evaluate({
      principal: `arn:aws:sts::222222222222:assumed-role/deployer/s`,
      action: 'kms:Decrypt',
      resource: KEY,
      identityPolicies: [doc(allowAll('kms:Decrypt'))],
      resourcePolicy: doc(noResource('Allow', 'arn:aws:iam::222222222222:root')),
    });
    expect(r.decision).toBe('ImplicitlyDenied');
  });

  it('a Deny without Resource denies nothing; the statements with Resource still decide', () => {
    const r = evaluate({
      principal: SESSION,
      action: 'kms:Decrypt',
      resource: KEY,
      resourcePolicy: doc(noResource('Deny', ROLE), {
        Effect: 'Allow',
        Principal: { AWS: ROLE },
        Action: 'kms:Decrypt',
        Resource: '*',
      }),
    });
    expect(r.decision).toBe('Allowed');
    expect(r.allowedBy).toEqual([
      { policyType: 'resource', policy: 1, statement: 2, explicit: false },
    ]);
    expect(r.problems).toContainEqual(warning);
  });

  it('other resource policies are read as before (a trust policy has no Resource)', () => {
    const r = evaluate({
      principal: SESSION,
      action: 'sts:AssumeRole',
      resource: `arn:aws:iam::${A}:role/target`,
      resourcePolicy: doc({ Effect: 'Allow', Principal: { AWS: ROLE }, Action: 'sts:AssumeRole' }),
    });
    expect(r.decision).toBe('Allowed');
  });
});

describe('a trust policy decides sts:AssumeRole on a role of a short (CDK test) account id', () => {
  it('as it does with 12 digits: an identity allow is never enough', () => {
    for (const acct of ['123456', '123456789012']) {
      const r = evaluate({
        principal: `arn:aws:sts::${acct}:assumed-role/r/s`,
        action: 'sts:AssumeRole',
        resource: `arn:aws:iam::${acct}:role/target`,
        identityPolicies: [doc(allowAll('sts:AssumeRole'))],
        resourcePolicy: doc({
          Effect: 'Allow',
          Principal: { Service: 'codebuild.amazonaws.com' },
          Action: 'sts:AssumeRole',
        }),
      });
      expect(r.decision).toBe('ImplicitlyDenied');
      expect(r.deniedBy).toContainEqual(expect.objectContaining({ policyType: 'resource' }));
    }
  });
});

describe('a KMS key operation needs a key ARN', () => {
  // https://docs.aws.amazon.com/kms/latest/developerguide/cmks-in-iam-policies.html
  const SESSION = `arn:aws:sts::${A}:assumed-role/app/s1`;
  it('a key id, an alias name or `*` is bad input, not a request identity policies alone allow', () => {
    for (const resource of ['1234abcd-12ab-34cd-56ef-1234567890ab', '*', 'alias/app']) {
      const r = evaluate({
        principal: SESSION,
        action: 'kms:Decrypt',
        resource,
        identityPolicies: [doc(allowAll('kms:Decrypt'))],
      });
      expect(r.decision).toBe('ImplicitlyDenied');
      expect(r.deniedBy).toEqual([]);
      expect(r.problems).toContainEqual(
        expect.objectContaining({
          id: 'request.kms.resource-not-key',
          pointer: '/resource',
          severity: 'error',
        }),
      );
    }
  });

  it('actions without a key (ListKeys, CreateKey) and alias actions on an alias are read as before', () => {
    for (const [action, resource] of [
      ['kms:ListKeys', '*'],
      ['kms:CreateKey', '*'],
      ['kms:CreateAlias', `arn:aws:kms:us-east-1:${A}:alias/app`],
    ]) {
      const r = evaluate({
        principal: SESSION,
        action: action!,
        resource: resource!,
        identityPolicies: [doc(allowAll('kms:*'))],
      });
      expect(r.decision).toBe('Allowed');
    }
  });

  it('an alias ARN is bad input too: the key it points to decides, by its key ARN', () => {
    // https://docs.aws.amazon.com/kms/latest/developerguide/alias-authorization.html: "When an
    // alias is the value of a resource element, the policy applies to the alias resource, not
    // to any KMS key that might be associated with it"
    const alias = `arn:aws:kms:us-east-1:${A}:alias/app`;
    const keyPolicy = doc({
      Sid: 'EnableIAM',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${A}:root` },
      Action: 'kms:*',
      Resource: '*',
    });
    for (const identity of [
      // a grant of the alias only: it grants nothing on the key (was Allowed)
      doc({ Effect: 'Allow', Action: 'kms:Decrypt', Resource: alias }),
      // a Deny of every key: it applies to the key the alias points to (was missed: Allowed)
      doc(allowAll('kms:Decrypt'), {
        Sid: 'NoKeys',
        Effect: 'Deny',
        Action: 'kms:Decrypt',
        Resource: `arn:aws:kms:*:${A}:key/*`,
      }),
      // even a grant of every resource: the request does not say which key policy decides
      doc(allowAll('kms:Decrypt')),
    ]) {
      const r = evaluate({
        principal: SESSION,
        action: 'kms:Decrypt',
        resource: alias,
        identityPolicies: [identity],
        resourcePolicy: keyPolicy,
      });
      expect(r.decision).toBe('ImplicitlyDenied');
      expect(r.allowedBy).toEqual([]);
      expect(r.problems).toContainEqual(
        expect.objectContaining({
          id: 'request.kms.resource-alias',
          pointer: '/resource',
          severity: 'error',
        }),
      );
    }
    // an action the catalog does not know (it may take a key) is refused on an alias too: it
    // was matched against the alias ARN with the key policy
    const unknownAction = evaluate({
      principal: SESSION,
      action: 'kms:FutureKeyOperation',
      resource: alias,
      identityPolicies: [doc(allowAll('kms:*'))],
      resourcePolicy: keyPolicy,
    });
    expect(unknownAction.decision).toBe('ImplicitlyDenied');
    expect(unknownAction.problems.map((p) => p.id)).toContain('request.kms.resource-alias');
    // the same request on the key's ARN is decided by the policies
    const key = `arn:aws:kms:us-east-1:${A}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    const onKey = (identity: object) =>
      evaluate({
        principal: SESSION,
        action: 'kms:Decrypt',
        resource: key,
        identityPolicies: [identity],
        resourcePolicy: keyPolicy,
        context: { 'kms:RequestAlias': 'alias/app' },
      }).decision;
    expect(onKey(doc({ Effect: 'Allow', Action: 'kms:Decrypt', Resource: alias }))).toBe(
      'ImplicitlyDenied',
    );
    expect(
      onKey(
        doc({
          Effect: 'Allow',
          Action: 'kms:Decrypt',
          Resource: '*',
          Condition: { StringEquals: { 'kms:RequestAlias': 'alias/app' } },
        }),
      ),
    ).toBe('Allowed');
  });
});

describe('credentials of one partition are not valid in another', () => {
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_outbound_cross_partition.html
  it('a request across partitions is bad input, whatever the policies allow', () => {
    const cases: EvaluationRequest[] = [
      {
        principal: `arn:aws-us-gov:iam::${A}:user/u`,
        action: 'sqs:SendMessage',
        resource: `arn:aws:sqs:us-east-1:${A}:q`,
        identityPolicies: [doc(allowAll('sqs:*'))],
      },
      {
        principal: `arn:aws-us-gov:sts::${A}:assumed-role/r/s`,
        action: 's3:GetObject',
        resource: 'arn:aws:s3:::bkt/k',
        resourceAccount: '222222222222',
        identityPolicies: [doc(allowAll('s3:*'))],
        resourcePolicy: doc({
          Effect: 'Allow',
          Principal: { AWS: A },
          Action: 's3:*',
          Resource: '*',
        }),
      },
    ];
    for (const req of cases) {
      const r = evaluate(req);
      expect(r.decision).toBe('ImplicitlyDenied');
      expect(r.problems).toContainEqual(
        expect.objectContaining({ id: 'request.partition.mismatch', severity: 'error' }),
      );
    }
  });

  it('the same partition, a bare account principal and a service principal are read as before', () => {
    for (const [principal, resource] of [
      [`arn:aws-us-gov:iam::${A}:user/u`, `arn:aws-us-gov:sqs:us-gov-west-1:${A}:q`],
      [A, `arn:aws-cn:sqs:cn-north-1:${A}:q`],
    ]) {
      const r = evaluate({
        principal: principal!,
        action: 'sqs:SendMessage',
        resource: resource!,
        identityPolicies: [doc(allowAll('sqs:*'))],
      });
      expect(r.decision).toBe('Allowed');
    }
    const svc = evaluate({
      principal: 'sns.amazonaws.com',
      action: 'sqs:SendMessage',
      resource: `arn:aws-cn:sqs:cn-north-1:${A}:q`,
      resourcePolicy: doc({
        Effect: 'Allow',
        Principal: { Service: 'sns.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: '*',
      }),
    });
    expect(svc.decision).toBe('Allowed');
  });
});

describe('a wildcard in the service segment of a Resource ARN', () => {
  // "You can't use a wildcard in the service segment that identifies the AWS product"
  // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html)
  it('is warned about at its pointer', () => {
    const { problems } = parsePolicy(
      doc({
        Effect: 'Allow',
        Action: 'sqs:*',
        Resource: ['arn:aws:sqs:*:*:q', `arn:aws:*:us-east-1:${A}:q`, 'arn:aws:s?s:::x', 'arn:*'],
      }),
      { name: 'p' },
    );
    expect(
      problems.filter((p) => p.id === 'policy.resource.service-wildcard').map((p) => p.pointer),
    ).toEqual(['/Statement/0/Resource/1', '/Statement/0/Resource/2']);
  });
});

describe('an RCP Allow other than RCPFullAWSAccess', () => {
  // "The effect of Allow is only supported for the RCPFullAWSAccess policy"
  // (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_syntax.html)
  const rcp = (...st: Stmt[]) =>
    parsePolicy(doc(...st), { name: 'r', policyType: 'rcp' }).problems.filter(
      (p) => p.id === 'policy.rcp.allow',
    );
  it('is warned about; RCPFullAWSAccess itself and Deny statements are not', () => {
    expect(rcp({ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' })).toEqual([]);
    expect(rcp({ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*' })).toEqual([]);
    expect(
      rcp(
        { Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' },
        { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' },
      ).map((p) => p.pointer),
    ).toEqual(['/Statement/1/Effect']);
  });

  it('grants nothing and limits nothing: the request is decided as without it', () => {
    const base: EvaluationRequest = {
      principal: USER,
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::bkt/k',
      identityPolicies: [doc(allowAll('s3:GetObject'))],
    };
    const narrow = doc({
      Effect: 'Allow',
      Principal: '*',
      Action: 'sqs:SendMessage',
      Resource: '*',
    });
    expect(evaluate({ ...base, rcps: [[narrow]] }).decision).toBe('Allowed');
  });
});

describe('a request value named in a message', () => {
  it('is cut to its first characters and its length, never repeated in full', () => {
    const resource = 'x'.repeat(100_000);
    const r = evaluate({
      principal: USER,
      action: 'kms:Decrypt',
      resource,
      identityPolicies: [doc(allowAll('kms:Decrypt'))],
    });
    const p = r.problems.find((x) => x.id === 'request.kms.resource-not-key')!;
    expect(p.message).toContain(`\`${'x'.repeat(200)}\`… (100000 characters)`);
    expect(p.message.length).toBeLessThan(600);
  });
});
