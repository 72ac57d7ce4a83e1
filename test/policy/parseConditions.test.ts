import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../src/policy/parse.js';
import { CONDITION_OPERATORS } from '../../src/policy/operators.js';
import type { Problem } from '../../src/problems.js';
import type { CompiledCondition } from '../../src/policy/types.js';

const V = '2012-10-17';
const C = '/Statement/0/Condition';

/** `version: null` leaves Version out of the document */
function parseCondition(condition: unknown, version: string | null = V) {
  const statement = {
    Effect: 'Allow',
    Action: 's3:GetObject',
    Resource: '*',
    Condition: condition,
  };
  return parsePolicy(
    version === null ? { Statement: [statement] } : { Version: version, Statement: [statement] },
    { name: 'test' },
  );
}

function conditionsOf(condition: unknown, version?: string | null): readonly CompiledCondition[] {
  const r = parseCondition(condition, version);
  expect(r.policy!.statements).toHaveLength(1);
  return r.policy!.statements[0]!.conditions;
}

function summary(problems: readonly Problem[]): [string, string, string][] {
  return problems.map((p) => [p.severity, p.id, p.pointer]);
}

describe('condition compilation', () => {
  it('compiles operator, base, set, ifExists, key and values', () => {
    const got = conditionsOf({
      'ForAnyValue:StringLikeIfExists': { 'aws:TagKeys': ['team*', 'env'] },
      StringEquals: { 'aws:SourceAccount': '111122223333', 'AWS:SourceArn': 'arn:aws:codebuild:*' },
      Bool: { 'aws:SecureTransport': false },
      NumericLessThan: { 's3:max-keys': 10 },
    });
    expect(got).toEqual([
      {
        operator: 'ForAnyValue:StringLikeIfExists',
        base: 'StringLike',
        set: 'ForAnyValue',
        ifExists: true,
        key: 'aws:TagKeys',
        keyLower: 'aws:tagkeys',
        values: ['team*', 'env'],
        pointer: `${C}/ForAnyValue:StringLikeIfExists/aws:TagKeys`,
      },
      {
        operator: 'StringEquals',
        base: 'StringEquals',
        ifExists: false,
        key: 'aws:SourceAccount',
        keyLower: 'aws:sourceaccount',
        values: ['111122223333'],
        pointer: `${C}/StringEquals/aws:SourceAccount`,
      },
      {
        operator: 'StringEquals',
        base: 'StringEquals',
        ifExists: false,
        key: 'AWS:SourceArn',
        keyLower: 'aws:sourcearn',
        values: ['arn:aws:codebuild:*'],
        pointer: `${C}/StringEquals/AWS:SourceArn`,
      },
      {
        operator: 'Bool',
        base: 'Bool',
        ifExists: false,
        key: 'aws:SecureTransport',
        keyLower: 'aws:securetransport',
        values: ['false'],
        pointer: `${C}/Bool/aws:SecureTransport`,
      },
      {
        operator: 'NumericLessThan',
        base: 'NumericLessThan',
        ifExists: false,
        key: 's3:max-keys',
        keyLower: 's3:max-keys',
        values: ['10'],
        pointer: `${C}/NumericLessThan/s3:max-keys`,
      },
    ]);
  });

  it('accepts operator names in any case, reporting the canonical base', () => {
    const [c] = conditionsOf({ 'forallvalues:stringequalsignorecaseifexists': { 'aws:x': 'a' } });
    expect(c).toMatchObject({
      base: 'StringEqualsIgnoreCase',
      set: 'ForAllValues',
      ifExists: true,
    });
  });

  it('stringifies numbers and booleans, also inside arrays', () => {
    const [c] = conditionsOf({ StringEquals: { 'aws:x': [1, 2.5, true, false, 'x', 1e21] } });
    expect(c!.values).toEqual(['1', '2.5', 'true', 'false', 'x', '1e+21']);
  });

  it('escapes keys with / in pointers', () => {
    const [c] = conditionsOf({ StringEquals: { 'aws:PrincipalTag/team~x': 'a' } });
    expect(c!.pointer).toBe(`${C}/StringEquals/aws:PrincipalTag~1team~0x`);
  });

  it('an empty Condition object compiles to no conditions', () => {
    expect(conditionsOf({})).toEqual([]);
  });

  it('an operator with no keys is a warning and tests nothing', () => {
    const r = parseCondition({ StringEquals: {} });
    expect(summary(r.problems)).toEqual([
      ['warning', 'policy.condition.empty', `${C}/StringEquals`],
    ]);
    expect(r.policy!.statements[0]!.conditions).toEqual([]);
  });
});

describe('condition errors skip the statement', () => {
  it.each([
    ['Condition a string', 'x', 'policy.condition.invalid', C],
    ['Condition null', null, 'policy.condition.invalid', C],
    [
      'operator block a string',
      { StringEquals: 'x' },
      'policy.condition.invalid',
      `${C}/StringEquals`,
    ],
    [
      'operator block an array',
      { StringEquals: [] },
      'policy.condition.invalid',
      `${C}/StringEquals`,
    ],
    [
      'unknown operator',
      { StringMatches: { 'aws:x': 'a' } },
      'policy.condition.operator-unknown',
      `${C}/StringMatches`,
    ],
    [
      'unknown set modifier',
      { 'ForSomeValues:StringEquals': { 'aws:x': 'a' } },
      'policy.condition.operator-unknown',
      `${C}/ForSomeValues:StringEquals`,
    ],
    [
      'empty values',
      { StringEquals: { 'aws:x': [] } },
      'policy.condition.value-empty',
      `${C}/StringEquals/aws:x`,
    ],
    [
      'null value',
      { StringEquals: { 'aws:x': null } },
      'policy.condition.value-invalid',
      `${C}/StringEquals/aws:x`,
    ],
    [
      'object value',
      { StringEquals: { 'aws:x': { a: 1 } } },
      'policy.condition.value-invalid',
      `${C}/StringEquals/aws:x`,
    ],
    [
      'nested array value',
      { StringEquals: { 'aws:x': ['a', ['b']] } },
      'policy.condition.value-invalid',
      `${C}/StringEquals/aws:x/1`,
    ],
    [
      'null inside array',
      { StringEquals: { 'aws:x': ['a', null] } },
      'policy.condition.value-invalid',
      `${C}/StringEquals/aws:x/1`,
    ],
  ])('%s', (_name, condition, id, pointer) => {
    const r = parseCondition(condition);
    expect(summary(r.problems)).toEqual([['error', id, pointer]]);
    expect(r.policy!.statements).toEqual([]);
  });
});

describe('values that can never match: warnings, statement kept', () => {
  it.each([
    ['NumericEquals', 'abc'],
    ['NumericLessThan', ''],
    ['NumericGreaterThanIfExists', '0x10'],
    ['DateLessThan', 'yesterday'],
    ['DateGreaterThan', '2020-13-45T00:00:00Z'],
    ['DateEquals', 'March 7 2020'],
    ['IpAddress', '10.0.0.0/33'],
    ['NotIpAddress', '300.1.1.1'],
    ['IpAddress', '2001:db8::/129'],
    ['IpAddress', 'localhost'],
    ['Null', 'yes'],
    ['BinaryEquals', 'not base64!'],
    // what the evaluator cannot decode: a lone sixth-bit character, padding that does not fill
    // the last quantum
    ['BinaryEquals', 'Q'],
    ['BinaryEquals', 'QQ='],
    // the evaluator's CIDR parser takes no leading zero in a prefix length
    ['IpAddress', '203.0.113.0/024'],
    // what the evaluator reads is what the warning says (session 22: a regex read an exponent
    // as a number, rolled 30 February over to March and took a sign on epoch seconds)
    ['NumericLessThan', '1e3'],
    ['DateEquals', '2024-02-30'],
    ['DateLessThan', '-5'],
  ])('%s %j', (operator, value) => {
    const r = parseCondition({ [operator]: { 'aws:x': ['ignored-ok-value', value].slice(1) } });
    expect(summary(r.problems)).toEqual([
      ['warning', 'policy.condition.value-unmatchable', `${C}/${operator}/aws:x/0`],
    ]);
    expect(r.problems[0]!.message).toContain('never matches');
    expect(r.policy!.statements).toHaveLength(1);
  });

  it.each([
    ['NumericEquals', ['1', '-2', '3.5', '.5', 10]],
    [
      'DateLessThan',
      [
        '2020-01-01',
        '2020-01-01T00:00:00Z',
        '2020-01-01T00:00:00.123+02:00',
        '1577836800',
        // a W3C ISO 8601 form (year and month) the evaluator reads: no warning that it never matches
        '2030-01',
      ],
    ],
    ['IpAddress', ['10.0.0.0/8', '192.0.2.1', '2001:db8::/32', '::1/128']],
    ['Null', ['true', 'false', true, 'TRUE']],
    ['Bool', ['true', false]],
    // padding optional, as the evaluator decodes it ("QUJ" is "QUI=")
    ['BinaryEquals', ['QUJD', 'QUI=', 'QQ==', '', 'QUJ', 'QQ']],
    ['StringEquals', ['anything at all', '']],
    ['ArnLike', ['arn:aws:iam::*:role/x', '*']],
  ])('%s accepts %j', (operator, values) => {
    const r = parseCondition({ [operator]: { 'aws:x': values } });
    expect(r.problems).toEqual([]);
  });

  it('a Bool value that is neither true nor false is read as false, with a warning', () => {
    const r = parseCondition({
      Bool: { 'aws:ViaAWSService': ['codepipeline.amazonaws.com'] },
    });
    expect(summary(r.problems)).toEqual([
      ['warning', 'policy.condition.value-not-boolean', `${C}/Bool/aws:ViaAWSService/0`],
    ]);
    expect(r.problems[0]!.message).toContain('it is read as `false`');
    expect(r.policy!.statements).toHaveLength(1);
  });

  it('refuses 30,000 digits then `x` as a number (a backtracking regex took quadratic time)', () => {
    const r = parseCondition({ NumericEquals: { 'aws:x': `${'1'.repeat(30_000)}x` } });
    expect(summary(r.problems)).toEqual([
      ['warning', 'policy.condition.value-unmatchable', `${C}/NumericEquals/aws:x`],
    ]);
  });

  it('warns at the key pointer for a single value', () => {
    const r = parseCondition({ NumericEquals: { 'aws:x': 'abc' } });
    expect(summary(r.problems)).toEqual([
      ['warning', 'policy.condition.value-unmatchable', `${C}/NumericEquals/aws:x`],
    ]);
  });
});

describe('policy variables in condition values', () => {
  const withVariable = 'arn:aws:s3:::b/${aws:username}/${*}';

  it.each(
    (Object.keys(CONDITION_OPERATORS) as (keyof typeof CONDITION_OPERATORS)[])
      .filter((op) => CONDITION_OPERATORS[op].variables && op !== 'Bool')
      .map((op) => [op]),
  )('%s gets a template under 2012-10-17', (operator) => {
    const r = parseCondition({ [operator]: { 'aws:x': ['plain', withVariable] } });
    expect(r.problems).toEqual([]);
    const [c] = r.policy!.statements[0]!.conditions;
    expect(c!.values).toEqual(['plain', withVariable]);
    expect(c!.templates).toHaveLength(2);
    expect(c!.templates![0]).toBeUndefined();
    expect(c!.templates![1]!.parts).toEqual([
      { kind: 'text', text: 'arn:aws:s3:::b/' },
      { kind: 'var', key: 'aws:username' },
      { kind: 'text', text: '/' },
      { kind: 'text', text: '*', literal: true },
    ]);
  });

  it('Bool takes variables (operators page)', () => {
    const [c] = conditionsOf({ Bool: { 'aws:x': '${aws:MultiFactorAuthPresent}' } });
    expect(c!.templates![0]!.parts).toEqual([{ kind: 'var', key: 'aws:multifactorauthpresent' }]);
  });

  it('no templates when no value has a variable', () => {
    const [c] = conditionsOf({ StringEquals: { 'aws:x': ['a', 'b'] } });
    expect(c).not.toHaveProperty('templates');
  });

  it('operators without variable support get no template; the value is checked as written', () => {
    const r = parseCondition({ NumericEquals: { 'aws:x': '${aws:y}' } });
    expect(summary(r.problems)).toEqual([
      ['warning', 'policy.condition.value-unmatchable', `${C}/NumericEquals/aws:x`],
    ]);
    expect(r.policy!.statements[0]!.conditions[0]).not.toHaveProperty('templates');
  });

  it.each([['2008-10-17'], [null]])('Version %s keeps ${...} literal with a warning', (version) => {
    const r = parseCondition({ StringLike: { 'aws:x': ['a', 'home/${aws:username}'] } }, version);
    const expected: [string, string, string][] = [
      ['warning', 'policy.variable.disabled', `${C}/StringLike/aws:x/1`],
    ];
    if (version === null) expected.unshift(['warning', 'policy.version.missing', '']);
    expect(summary(r.problems)).toEqual(expected);
    const [c] = r.policy!.statements[0]!.conditions;
    expect(c).not.toHaveProperty('templates');
    expect(c!.values).toEqual(['a', 'home/${aws:username}']);
  });
});
