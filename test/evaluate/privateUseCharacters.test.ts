// The characters U+E000 and U+E001 as they are (session 29): a policy-variable escape (`${*}`,
// `${?}`) and a `*` or `?` in a substituted value are literal characters, which the matcher once
// wrote in a pattern as U+E000 / U+E001 and compared to a real `*` / `?` of the request. A real
// U+E000 / U+E001 written in a policy, or given in a request value, was then read as that
// escaped `*` / `?`: `arn:aws:s3:::b/\uE000` matched the resource `arn:aws:s3:::b/*`. IAM
// compares the characters as they are: `*` and `?` are the only wildcards, and a policy variable's
// escape or value matches only the character itself
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html,
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_String).
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/index.js';
import type { EvaluationRequest } from '../../src/index.js';

const E0 = '\uE000';
const E1 = '\uE001';
const BUCKET = 'arn:aws:s3:::b';

type Stmt = Record<string, unknown>;
const allowOn = (Resource: unknown, extra: Stmt = {}): Stmt => ({
  Effect: 'Allow',
  Action: 's3:GetObject',
  Resource,
  ...extra,
});
const denyOn = (Resource: unknown, extra: Stmt = {}): Stmt => ({
  Effect: 'Deny',
  Action: 's3:GetObject',
  Resource,
  ...extra,
});
const ALLOW_ALL: Stmt = { Effect: 'Allow', Action: 's3:*', Resource: '*' };

function decide(
  statements: Stmt[],
  resource: string,
  context: Record<string, string> = {},
  version = '2012-10-17',
): string {
  return evaluate({
    principal: 'arn:aws:iam::111111111111:user/alice',
    action: 's3:GetObject',
    resource,
    context,
    identityPolicies: [{ Version: version, Statement: statements }],
  } as EvaluationRequest).decision;
}

const allowed = (statements: Stmt[], resource: string, context?: Record<string, string>) =>
  decide(statements, resource, context) === 'Allowed';

describe('a real U+E000 / U+E001 in a Resource is that character, not an escaped `*` / `?`', () => {
  it('plain text: it does not match `*` / `?` in the request (was: Allowed)', () => {
    expect(allowed([allowOn(`${BUCKET}/${E0}`)], `${BUCKET}/*`)).toBe(false);
    expect(allowed([allowOn(`${BUCKET}/${E1}`)], `${BUCKET}/?`)).toBe(false);
    // beside a wildcard, and in a segment before the resource part
    expect(allowed([allowOn(`${BUCKET}/${E0}*`)], `${BUCKET}/*x`)).toBe(false);
    expect(allowed([allowOn(`${BUCKET}/*${E1}`)], `${BUCKET}/x?`)).toBe(false);
    expect(
      allowed(
        [allowOn(`arn:aws:s3:${E0}::b/*`)],
        // (an S3 ARN with a region: only the segment matters here)
        'arn:aws:s3:*::b/x',
      ),
    ).toBe(false);
    // the same under Version 2008-10-17, where nothing is a variable
    expect(
      decide([allowOn(`${BUCKET}/${E0}`)], `${BUCKET}/*`, {}, '2008-10-17') === 'Allowed',
    ).toBe(false);
  });

  it('in the text of a Resource with a policy variable (was: Allowed)', () => {
    const r = `${BUCKET}/\${aws:username}/${E0}`;
    expect(allowed([allowOn(r)], `${BUCKET}/alice/*`)).toBe(false);
    expect(allowed([allowOn(`${BUCKET}/\${aws:username}/${E1}`)], `${BUCKET}/alice/?`)).toBe(false);
    // a real U+E000 before a written `*` is that character, and the `*` a wildcard
    const starred = `${BUCKET}/\${aws:username}/${E0}*`;
    expect(allowed([allowOn(starred)], `${BUCKET}/alice/*x`)).toBe(false);
    expect(allowed([allowOn(starred)], `${BUCKET}/alice/${E0}xyz`)).toBe(true);
    expect(allowed([allowOn(starred)], `${BUCKET}/alice/${E0}`)).toBe(true);
  });

  it('a request value U+E000 does not match an escape `${*}` (was: Allowed)', () => {
    expect(allowed([allowOn(`${BUCKET}/\${*}`)], `${BUCKET}/${E0}`)).toBe(false);
    expect(allowed([allowOn(`${BUCKET}/\${?}`)], `${BUCKET}/${E1}`)).toBe(false);
    expect(allowed([allowOn(`${BUCKET}/\${*}*`)], `${BUCKET}/${E0}x`)).toBe(false);
  });
});

describe('a substituted value: U+E000 is not `*`, and `*` is not U+E000', () => {
  const team = (value: string) => ({ 'aws:PrincipalTag/team': value });
  const r = `${BUCKET}/\${aws:PrincipalTag/team}/*`;

  it('a tag value U+E000 does not match a `*` in the request (was: Allowed)', () => {
    expect(allowed([allowOn(r)], `${BUCKET}/*/x`, team(E0))).toBe(false);
    expect(allowed([allowOn(r)], `${BUCKET}/?/x`, team(E1))).toBe(false);
  });

  it('a tag value `*` does not match a U+E000 in the request (was: Allowed)', () => {
    expect(allowed([allowOn(r)], `${BUCKET}/${E0}/x`, team('*'))).toBe(false);
    expect(allowed([allowOn(r)], `${BUCKET}/${E1}/x`, team('?'))).toBe(false);
  });

  it('a default value U+E000 is that character', () => {
    const withDefault = `${BUCKET}/\${aws:PrincipalTag/team, '${E0}'}/*`;
    expect(allowed([allowOn(withDefault)], `${BUCKET}/*/x`)).toBe(false);
    expect(allowed([allowOn(withDefault)], `${BUCKET}/${E0}/x`)).toBe(true);
  });

  it('a value ending in U+E000, then an escape: each its own character', () => {
    const joined = `${BUCKET}/\${aws:PrincipalTag/team}\${*}`;
    expect(allowed([allowOn(joined)], `${BUCKET}/${E0}*`, team(E0))).toBe(true);
    expect(allowed([allowOn(joined)], `${BUCKET}/**`, team(E0))).toBe(false);
    expect(allowed([allowOn(joined)], `${BUCKET}/${E0}x`, team(E0))).toBe(false);
    expect(allowed([allowOn(joined)], `${BUCKET}/${E0}${E0}`, team(E0))).toBe(false);
  });

  it('StringLike with a substituted tag (was: Allowed)', () => {
    const cond = {
      Condition: { StringLike: { 'aws:ResourceTag/owner': '${aws:PrincipalTag/owner}' } },
    };
    const ctx = (principal: string, resource: string) => ({
      'aws:PrincipalTag/owner': principal,
      'aws:ResourceTag/owner': resource,
    });
    expect(allowed([allowOn('*', cond)], `${BUCKET}/x`, ctx(E0, '*'))).toBe(false);
    expect(allowed([allowOn('*', cond)], `${BUCKET}/x`, ctx('*', E0))).toBe(false);
    expect(allowed([allowOn('*', cond)], `${BUCKET}/x`, ctx(E1, '?'))).toBe(false);
    expect(allowed([allowOn('*', cond)], `${BUCKET}/x`, ctx('?', E1))).toBe(false);
  });
});

describe('a Deny that the wrong match skipped applies', () => {
  it('NotResource: a U+E000 names no `*` resource, so the Deny applies (was: Allowed)', () => {
    const statements = [ALLOW_ALL, denyOn(undefined, { NotResource: `${BUCKET}/${E0}` })];
    delete statements[1]!['Resource'];
    expect(decide(statements, `${BUCKET}/*`)).toBe('ExplicitlyDenied');
    expect(decide(statements, `${BUCKET}/${E0}`)).toBe('Allowed');
  });

  it('StringNotLike on a substituted tag: U+E000 is not `*` (was: Allowed)', () => {
    const statements = [
      ALLOW_ALL,
      denyOn('*', {
        Condition: { StringNotLike: { 'aws:ResourceTag/owner': '${aws:PrincipalTag/owner}' } },
      }),
    ];
    const ctx = (principal: string, resource: string) => ({
      'aws:PrincipalTag/owner': principal,
      'aws:ResourceTag/owner': resource,
    });
    expect(decide(statements, `${BUCKET}/x`, ctx(E0, '*'))).toBe('ExplicitlyDenied');
    expect(decide(statements, `${BUCKET}/x`, ctx('*', E0))).toBe('ExplicitlyDenied');
    // the controls: the same character on both sides
    expect(decide(statements, `${BUCKET}/x`, ctx(E0, E0))).toBe('Allowed');
    expect(decide(statements, `${BUCKET}/x`, ctx('*', '*'))).toBe('Allowed');
  });

  it('ArnNotLike: a U+E000 written in the pattern is not `*` (was: Allowed)', () => {
    const topic = 'arn:aws:sns:us-east-1:111111111111';
    const statements = [
      ALLOW_ALL,
      denyOn('*', { Condition: { ArnNotLike: { 'aws:SourceArn': `${topic}:${E0}` } } }),
    ];
    const from = (arn: string) => decide(statements, `${BUCKET}/x`, { 'aws:SourceArn': arn });
    expect(from(`${topic}:*`)).toBe('ExplicitlyDenied');
    expect(from(`${topic}:${E0}`)).toBe('Allowed');
    // with a variable in the pattern too
    const withVariable = [
      ALLOW_ALL,
      denyOn('*', {
        Condition: {
          ArnNotLike: { 'aws:SourceArn': `arn:aws:sns:us-east-1:\${aws:PrincipalAccount}:${E0}` },
        },
      }),
    ];
    expect(decide(withVariable, `${BUCKET}/x`, { 'aws:SourceArn': `${topic}:*` })).toBe(
      'ExplicitlyDenied',
    );
    expect(decide(withVariable, `${BUCKET}/x`, { 'aws:SourceArn': `${topic}:${E0}` })).toBe(
      'Allowed',
    );
  });
});

describe('escapes and substituted `*` / `?` still match only a literal `*` / `?`', () => {
  it('`${*}` and `${?}` in a Resource', () => {
    expect(allowed([allowOn(`${BUCKET}/\${*}`)], `${BUCKET}/*`)).toBe(true);
    expect(allowed([allowOn(`${BUCKET}/\${*}`)], `${BUCKET}/x`)).toBe(false);
    expect(allowed([allowOn(`${BUCKET}/\${*}`)], `${BUCKET}/`)).toBe(false);
    expect(allowed([allowOn(`${BUCKET}/\${?}`)], `${BUCKET}/?`)).toBe(true);
    expect(allowed([allowOn(`${BUCKET}/\${?}`)], `${BUCKET}/x`)).toBe(false);
    // beside written wildcards
    expect(allowed([allowOn(`${BUCKET}/*\${*}?`)], `${BUCKET}/ab*c`)).toBe(true);
    expect(allowed([allowOn(`${BUCKET}/*\${*}?`)], `${BUCKET}/abxc`)).toBe(false);
    expect(allowed([allowOn(`${BUCKET}/\${?}?\${?}`)], `${BUCKET}/?x?`)).toBe(true);
    expect(allowed([allowOn(`${BUCKET}/\${?}?\${?}`)], `${BUCKET}/xxx`)).toBe(false);
    // in an ARN segment before the resource part: a literal `*` there, not an open end
    expect(allowed([allowOn('arn:aws:s3:${*}::b/x')], 'arn:aws:s3:*::b/x')).toBe(true);
    expect(allowed([allowOn('arn:aws:s3:${*}::b/x')], 'arn:aws:s3:us-east-1::b/x')).toBe(false);
  });

  it('a substituted `*` / `?` in a Resource', () => {
    const r = `${BUCKET}/\${aws:PrincipalTag/team}/*`;
    const team = (value: string) => ({ 'aws:PrincipalTag/team': value });
    expect(allowed([allowOn(r)], `${BUCKET}/*/x`, team('*'))).toBe(true);
    expect(allowed([allowOn(r)], `${BUCKET}/dev/x`, team('*'))).toBe(false);
    expect(allowed([allowOn(r)], `${BUCKET}/?/x`, team('?'))).toBe(true);
    expect(allowed([allowOn(r)], `${BUCKET}/d/x`, team('?'))).toBe(false);
  });

  it('StringLike and ArnLike', () => {
    const like = (pattern: string, value: string, ctx: Record<string, string> = {}) =>
      allowed(
        [allowOn('*', { Condition: { StringLike: { 'aws:ResourceTag/owner': pattern } } })],
        `${BUCKET}/x`,
        { 'aws:ResourceTag/owner': value, ...ctx },
      );
    expect(like('a${*}', 'a*')).toBe(true);
    expect(like('a${*}', 'ab')).toBe(false);
    expect(like('a${?}', 'a?')).toBe(true);
    expect(like('a${?}', 'ab')).toBe(false);
    expect(like('${aws:PrincipalTag/x}b', '*b', { 'aws:PrincipalTag/x': '*' })).toBe(true);
    expect(like('${aws:PrincipalTag/x}b', 'ab', { 'aws:PrincipalTag/x': '*' })).toBe(false);
    const arnLike = (pattern: string, value: string) =>
      allowed(
        [allowOn('*', { Condition: { ArnLike: { 'aws:SourceArn': pattern } } })],
        `${BUCKET}/x`,
        { 'aws:SourceArn': value },
      );
    const topic = 'arn:aws:sns:us-east-1:111111111111';
    expect(arnLike(`${topic}:t\${*}`, `${topic}:t*`)).toBe(true);
    expect(arnLike(`${topic}:t\${*}`, `${topic}:tx`)).toBe(false);
    expect(arnLike(`${topic}:t\${?}*`, `${topic}:t?x`)).toBe(true);
    expect(arnLike(`${topic}:t\${?}*`, `${topic}:txx`)).toBe(false);
  });
});

describe('U+E000 / U+E001 on both sides match as any other character', () => {
  it('Resource, written and substituted', () => {
    expect(allowed([allowOn(`${BUCKET}/${E0}`)], `${BUCKET}/${E0}`)).toBe(true);
    expect(allowed([allowOn(`${BUCKET}/${E1}`)], `${BUCKET}/${E1}`)).toBe(true);
    expect(allowed([allowOn(`${BUCKET}/${E0}*${E1}`)], `${BUCKET}/${E0}xy${E1}`)).toBe(true);
    expect(allowed([allowOn(`${BUCKET}/?${E0}`)], `${BUCKET}/x${E0}`)).toBe(true);
    const r = `${BUCKET}/\${aws:PrincipalTag/team}/${E1}*`;
    const team = { 'aws:PrincipalTag/team': `a${E0}${E1}` };
    expect(allowed([allowOn(r)], `${BUCKET}/a${E0}${E1}/${E1}x`, team)).toBe(true);
    expect(allowed([allowOn(r)], `${BUCKET}/a*?/${E1}x`, team)).toBe(false);
  });

  it('StringLike, StringEquals and ArnLike', () => {
    const op = (operator: string, key: string, pattern: string, value: string) =>
      allowed([allowOn('*', { Condition: { [operator]: { [key]: pattern } } })], `${BUCKET}/x`, {
        [key]: value,
        'aws:PrincipalTag/x': E0,
      });
    expect(op('StringLike', 'aws:ResourceTag/o', `a${E0}*`, `a${E0}bc`)).toBe(true);
    expect(op('StringLike', 'aws:ResourceTag/o', `a${E0}*`, 'a*bc')).toBe(false);
    expect(op('StringLike', 'aws:ResourceTag/o', '${aws:PrincipalTag/x}', E0)).toBe(true);
    expect(op('StringEquals', 'aws:ResourceTag/o', '${aws:PrincipalTag/x}', E0)).toBe(true);
    expect(op('StringEquals', 'aws:ResourceTag/o', '${aws:PrincipalTag/x}', '*')).toBe(false);
    const topic = 'arn:aws:sns:us-east-1:111111111111';
    expect(op('ArnLike', 'aws:SourceArn', `${topic}:${E0}*`, `${topic}:${E0}t`)).toBe(true);
    expect(op('ArnLike', 'aws:SourceArn', `${topic}:${E0}*`, `${topic}:*t`)).toBe(false);
  });
});
