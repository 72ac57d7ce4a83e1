/**
 * A Principal element with many AWS principals (a bucket or key policy naming every account of
 * an organization) is looked up in sets rather than scanned (principal.ts, LONG_LIST). The answer
 * must be the one the short list gives: padding a list with principals that are not the caller
 * changes nothing, for every form of caller and every way a list can name it.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/evaluate/evaluate.js';
import type { EvaluationRequest } from '../../src/evaluate/types.js';

const A = '111122223333';
const OTHER = '444455556666';
const ROLE = `arn:aws:iam::${A}:role/app/Deploy`;
const SESSION = `arn:aws:sts::${A}:assumed-role/Deploy/s-1`;
const USER = `arn:aws:iam::${A}:user/alice`;
const FEDERATED = `arn:aws:sts::${A}:federated-user/bob`;
const ROOT = `arn:aws:iam::${A}:root`;
const FOREIGN_ROLE = `arn:aws:iam::${OTHER}:role/Deploy`;
const BUCKET = `arn:aws:s3:::art-${A}`;

/** Twelve principals that are none of the callers above. */
const PADDING = Array.from({ length: 12 }, (_, i) =>
  i % 3 === 0
    ? `arn:aws:iam::${String(900000000000 + i)}:root`
    : i % 3 === 1
      ? `arn:aws:iam::${A}:role/unrelated-${i}`
      : String(800000000000 + i),
);

const NAMES: readonly (readonly string[])[] = [
  [ROLE],
  [`arn:aws:iam::${A}:role/Deploy`], // the role without its path
  [SESSION],
  [USER],
  [FEDERATED],
  [ROOT],
  [A], // the bare account id
  [FOREIGN_ROLE],
  [ROLE, SESSION, ROOT],
  [USER, ROOT],
  [],
];

const CALLERS = [
  ROLE,
  SESSION,
  USER,
  FEDERATED,
  ROOT,
  FOREIGN_ROLE,
  `arn:aws-us-gov:iam::${A}:role/Deploy`,
];

function request(
  caller: string,
  names: readonly string[],
  bounded: boolean,
  deny: boolean,
  identityAllows: boolean,
): EvaluationRequest {
  const statement = {
    Effect: deny ? 'Deny' : 'Allow',
    Principal: { AWS: names.length === 0 ? [PADDING[0]!] : [...names] },
    Action: 's3:ListBucket',
    Resource: BUCKET.replace(
      'arn:aws:',
      caller.startsWith('arn:aws-us-gov:') ? 'arn:aws-us-gov:' : 'arn:aws:',
    ),
  };
  return {
    principal: caller,
    action: 's3:ListBucket',
    resource: statement.Resource,
    resourceAccount: A,
    // without an identity allow, how the resource policy names the caller decides (a role ARN
    // grants by itself within the account, the account root delegates to IAM)
    identityPolicies: [
      {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: identityAllows ? 's3:*' : 'sqs:*', Resource: '*' }],
      },
    ],
    resourcePolicy: { Version: '2012-10-17', Statement: [statement] },
    // a boundary that grants nothing: whether it limits depends on how the caller is named
    ...(bounded
      ? {
          permissionBoundary: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: 'sqs:*', Resource: '*' }],
          },
        }
      : {}),
  };
}

function padded(r: EvaluationRequest): EvaluationRequest {
  const doc = r.resourcePolicy as { Statement: { Principal: { AWS: string[] } }[] };
  const s = doc.Statement[0]!;
  const aws = [...PADDING.slice(0, 6), ...s.Principal.AWS, ...PADDING.slice(6)];
  return { ...r, resourcePolicy: { ...doc, Statement: [{ ...s, Principal: { AWS: aws } }] } };
}

describe('a long Principal list answers as the short one', () => {
  it('for every caller, every way of naming it, with and without a boundary, Allow and Deny', () => {
    let cases = 0;
    const decisions = new Set<string>();
    for (const caller of CALLERS)
      for (const names of NAMES)
        for (const bounded of [false, true])
          for (const deny of [false, true])
            for (const identityAllows of [true, false]) {
              if (bounded && (caller === ROOT || caller === FEDERATED)) continue;
              const short = request(caller, names, bounded, deny, identityAllows);
              const long = padded(short);
              const a = evaluate(short);
              const b = evaluate(long);
              const at = { caller, names, bounded, deny, identityAllows };
              expect({ ...at, ...b }).toEqual({ ...at, ...a });
              decisions.add(a.decision);
              cases++;
            }
    expect(cases).toBeGreaterThan(200);
    // the cases reach every decision, so agreement means something for each
    expect([...decisions].sort()).toEqual(['Allowed', 'ExplicitlyDenied', 'ImplicitlyDenied']);
  });
});
