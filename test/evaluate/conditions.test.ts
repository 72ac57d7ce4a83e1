/**
 * Condition logic shared by every operator: registration, missing keys, IfExists, negation
 * over several values (NOR), ForAnyValue/ForAllValues, lists without a set operator, Null,
 * key case, AND across conditions.
 */
import { describe, expect, it } from 'vitest';
import {
  conditionHolds,
  conditionsHold,
  OPERATOR_IMPLEMENTATIONS,
} from '../../src/evaluate/conditions.js';
import { CONDITION_OPERATORS } from '../../src/policy/operators.js';
import type { CompiledCondition } from '../../src/policy/types.js';

import { cond, ctx, type Values } from './conditionHelpers.js';

function holds(operator: string, values: Values, context: Record<string, Values>): boolean {
  return conditionHolds(cond(operator, 'k', values), ctx(context), true);
}

const ARN = 'arn:aws:iam::111122223333:role/deploy';
const OTHER_ARN = 'arn:aws:iam::111122223333:role/other';

describe('operator registry', () => {
  const names = Object.keys(CONDITION_OPERATORS) as (keyof typeof CONDITION_OPERATORS)[];

  it('registers exactly the operators of the catalog', () => {
    expect(Object.keys(OPERATOR_IMPLEMENTATIONS).sort()).toEqual([...names].sort());
  });

  it.each(names)('%s takes negation and variables from the catalog', (name) => {
    const impl = OPERATOR_IMPLEMENTATIONS[name];
    expect(impl.negated).toBe(CONDITION_OPERATORS[name].negated);
    expect(impl.variables).toBe(CONDITION_OPERATORS[name].variables);
  });

  // one request value that matches and one that does not, per operator
  const examples: Record<keyof typeof CONDITION_OPERATORS, [Values, string, string]> = {
    StringEquals: ['dev', 'dev', 'Dev'],
    StringNotEquals: ['dev', 'prod', 'dev'],
    StringEqualsIgnoreCase: ['dev', 'DEV', 'prod'],
    StringNotEqualsIgnoreCase: ['dev', 'prod', 'DEV'],
    StringLike: ['d?v-*', 'dev-1', 'dv-1'],
    StringNotLike: ['d?v-*', 'dv-1', 'dev-1'],
    NumericEquals: ['10', '10.0', '11'],
    NumericNotEquals: ['10', '11', '10'],
    NumericLessThan: ['10', '9', '10'],
    NumericLessThanEquals: ['10', '10', '11'],
    NumericGreaterThan: ['10', '11', '10'],
    NumericGreaterThanEquals: ['10', '10', '9'],
    DateEquals: ['2020-01-01T00:00:00Z', '1577836800', '1577836801'],
    DateNotEquals: ['2020-01-01T00:00:00Z', '1577836801', '1577836800'],
    DateLessThan: ['2020-01-01', '2019-12-31T23:59:59Z', '2020-01-01T00:00:00Z'],
    DateLessThanEquals: ['2020-01-01', '2020-01-01T00:00:00Z', '2020-01-01T00:00:01Z'],
    DateGreaterThan: ['2020-01-01', '2020-01-01T00:00:01Z', '2020-01-01T00:00:00Z'],
    DateGreaterThanEquals: ['2020-01-01', '2020-01-01T00:00:00Z', '2019-12-31T23:59:59Z'],
    Bool: ['true', 'true', 'false'],
    BinaryEquals: ['QmluYXJ5VmFsdWVJbkJhc2U2NA==', 'QmluYXJ5VmFsdWVJbkJhc2U2NA==', 'QUJD'],
    IpAddress: ['203.0.113.0/24', '203.0.113.1', '198.51.100.1'],
    NotIpAddress: ['203.0.113.0/24', '198.51.100.1', '203.0.113.1'],
    ArnEquals: ['arn:aws:iam::*:role/deploy', ARN, OTHER_ARN],
    ArnLike: ['arn:aws:iam::*:role/deploy', ARN, OTHER_ARN],
    ArnNotEquals: ['arn:aws:iam::*:role/deploy', OTHER_ARN, ARN],
    ArnNotLike: ['arn:aws:iam::*:role/deploy', OTHER_ARN, ARN],
    Null: ['false', 'present', 'present'],
  };

  it.each(names.filter((n) => n !== 'Null'))('%s holds for one value and not another', (name) => {
    const [policy, yes, no] = examples[name];
    expect(holds(name, policy, { k: yes })).toBe(true);
    expect(holds(name, policy, { k: no })).toBe(false);
  });
});

describe('missing key', () => {
  // [OPS] "If the key ... is not present ... the condition is false"; negated operators true
  it.each([
    ['StringEquals', 'a', false],
    ['StringEqualsIgnoreCase', 'a', false],
    ['StringLike', '*', false],
    ['NumericLessThan', '10', false],
    ['DateGreaterThan', '2020-01-01', false],
    ['Bool', 'false', false],
    ['BinaryEquals', 'QUJD', false],
    ['IpAddress', '0.0.0.0/0', false],
    ['ArnLike', '*', false],
    ['StringNotEquals', 'a', true],
    ['StringNotEqualsIgnoreCase', 'a', true],
    ['StringNotLike', '*', true],
    ['NumericNotEquals', '10', true],
    ['DateNotEquals', '2020-01-01', true],
    ['NotIpAddress', '0.0.0.0/0', true],
    ['ArnNotEquals', '*', true],
    ['ArnNotLike', '*', true],
  ] as const)('%s is %s when the key is absent', (op, value, expected) => {
    expect(holds(op, value, {})).toBe(expected);
    // an empty list is no value at all
    expect(holds(op, value, { k: [] })).toBe(expected);
  });

  it.each([
    'StringEqualsIfExists',
    'StringLikeIfExists',
    'NumericLessThanIfExists',
    'DateGreaterThanIfExists',
    'BoolIfExists',
    'BinaryEqualsIfExists',
    'IpAddressIfExists',
    'ArnLikeIfExists',
    'StringNotEqualsIfExists',
    'NotIpAddressIfExists',
  ])('%s holds when the key is absent', (op) => {
    const value = op.startsWith('Ip') || op.startsWith('NotIp') ? '10.0.0.0/8' : 'x';
    expect(holds(op, value, {})).toBe(true);
    expect(holds(op, value, { k: [] })).toBe(true);
  });

  it('IfExists still compares a present key', () => {
    expect(holds('StringLikeIfExists', ['t1.*', 't2.*'], { k: 't2.micro' })).toBe(true);
    expect(holds('StringLikeIfExists', ['t1.*', 't2.*'], { k: 'm2.micro' })).toBe(false);
    expect(holds('StringNotEqualsIfExists', 'a', { k: 'a' })).toBe(false);
    expect(holds('StringNotEqualsIfExists', 'a', { k: 'b' })).toBe(true);
  });

  it('an empty string is a present value', () => {
    expect(holds('StringEquals', '', { k: '' })).toBe(true);
    expect(holds('StringNotEquals', 'a', { k: '' })).toBe(true);
    expect(holds('StringEquals', 'a', { k: '' })).toBe(false);
  });
});

describe('several policy values', () => {
  // [LOGIC] several values for one key: OR; negated operators: NOR
  it.each([
    ['StringEquals', ['a', 'b'], 'b', true],
    ['StringEquals', ['a', 'b'], 'c', false],
    ['StringNotEquals', ['a', 'b'], 'a', false],
    ['StringNotEquals', ['a', 'b'], 'b', false],
    ['StringNotEquals', ['a', 'b'], 'c', true],
    ['StringNotEqualsIgnoreCase', ['a', 'b'], 'B', false],
    ['StringNotLike', ['a*', 'b*'], 'bx', false],
    ['StringNotLike', ['a*', 'b*'], 'cx', true],
    ['NumericNotEquals', ['1', '2'], '2', false],
    ['NumericNotEquals', ['1', '2'], '3', true],
    ['DateNotEquals', ['1577836800', '1577836801'], '1577836801', false],
    ['DateNotEquals', ['1577836800', '1577836801'], '1577836802', true],
    ['NotIpAddress', ['10.0.0.0/8', '192.168.0.0/16'], '192.168.1.1', false],
    ['NotIpAddress', ['10.0.0.0/8', '192.168.0.0/16'], '8.8.8.8', true],
    ['ArnNotLike', [ARN, OTHER_ARN], OTHER_ARN, false],
    ['ArnNotLike', [ARN, OTHER_ARN], 'arn:aws:iam::111122223333:role/third', true],
  ] as const)('%s %j with %s is %s', (op, values, value, expected) => {
    expect(holds(op, values, { k: value })).toBe(expected);
  });

  it('a negated operator with no usable policy value holds', () => {
    // an invalid CIDR matches nothing, so "not in any range" holds
    expect(holds('NotIpAddress', '10.0.0.0/33', { k: '10.0.0.1' })).toBe(true);
    expect(holds('IpAddress', '10.0.0.0/33', { k: '10.0.0.1' })).toBe(false);
  });
});

describe('set operators', () => {
  // [MV], [OPS#Conditions_String]
  const table: [string, Values | undefined, boolean][] = [
    // ForAnyValue, positive: false when absent or empty; true when any request value matches
    ['ForAnyValue:StringEquals', undefined, false],
    ['ForAnyValue:StringEquals', [], false],
    ['ForAnyValue:StringEquals', 'a', true],
    ['ForAnyValue:StringEquals', 'c', false],
    ['ForAnyValue:StringEquals', ['a'], true],
    ['ForAnyValue:StringEquals', ['c', 'b'], true],
    ['ForAnyValue:StringEquals', ['c', 'd'], false],
    ['ForAnyValue:StringEqualsIfExists', undefined, true],
    ['ForAnyValue:StringEqualsIfExists', ['c', 'd'], false],
    // ForAllValues, positive: true when absent or empty; every request value must match
    ['ForAllValues:StringEquals', undefined, true],
    ['ForAllValues:StringEquals', [], true],
    ['ForAllValues:StringEquals', '', true],
    ['ForAllValues:StringEquals', 'a', true],
    ['ForAllValues:StringEquals', 'c', false],
    ['ForAllValues:StringEquals', ['a', 'b'], true],
    ['ForAllValues:StringEquals', ['a', 'a'], true],
    ['ForAllValues:StringEquals', ['a', 'c'], false],
    // ForAnyValue, negated: at least one request value matches none of the policy values
    ['ForAnyValue:StringNotEquals', undefined, false],
    ['ForAnyValue:StringNotEquals', [], false],
    ['ForAnyValue:StringNotEquals', 'c', true],
    ['ForAnyValue:StringNotEquals', 'a', false],
    ['ForAnyValue:StringNotEquals', ['a', 'c'], true],
    ['ForAnyValue:StringNotEquals', ['a', 'b'], false],
    // ForAllValues, negated: no request value matches any policy value
    ['ForAllValues:StringNotEquals', undefined, true],
    ['ForAllValues:StringNotEquals', [], true],
    ['ForAllValues:StringNotEquals', 'c', true],
    ['ForAllValues:StringNotEquals', 'a', false],
    ['ForAllValues:StringNotEquals', ['c', 'd'], true],
    ['ForAllValues:StringNotEquals', ['c', 'b'], false],
  ];

  it.each(table)('%s [a, b] with %j is %s', (op, value, expected) => {
    expect(holds(op, ['a', 'b'], value === undefined ? {} : { k: value })).toBe(expected);
  });

  it('ForAllValues holds for an empty string whatever the operator compares ("null dataset")', () => {
    // [OPS#Conditions_ARN, last paragraph]: "returns true if ... the context key value
    // resolves to a null dataset, such as an empty string", even when "" is a policy value
    expect(holds('ForAllValues:StringNotEqualsIgnoreCase', ['pip*', ''], { k: '' })).toBe(true);
    expect(holds('ForAllValues:StringNotEquals', '', { k: '' })).toBe(true);
    expect(holds('ForAllValues:StringEquals', 'a', { k: '' })).toBe(true);
    // without the set operator the empty string is a value like any other
    expect(holds('StringNotEquals', '', { k: '' })).toBe(false);
  });

  it('combines set operators with wildcard, ARN, numeric and Bool operators', () => {
    expect(holds('ForAllValues:StringLike', 'env*', { k: ['env-a', 'env-b'] })).toBe(true);
    expect(holds('ForAllValues:StringLike', 'env*', { k: ['env-a', 'x'] })).toBe(false);
    expect(holds('ForAnyValue:StringLike', 'env*', { k: ['x', 'env-a'] })).toBe(true);
    // the ResourceOrgPaths boundary example of [OPS#Conditions_String]
    const ous = ['o-acorg/r-acroot/ou-acroot-mediaou/', 'o-acorg/r-acroot/ou-acroot-sportsou/*'];
    expect(
      holds('ForAllValues:StringNotLike', ous, {
        k: ['o-acorg/r-acroot/ou-acroot-sportsou/costcenter/'],
      }),
    ).toBe(false);
    expect(
      holds('ForAllValues:StringNotLike', ous, {
        k: ['o-acorg/r-acroot/ou-acroot-mediaou/costcenter/'],
      }),
    ).toBe(true);
    // the logs:LogGeneratingResourceArns example of [OPS#Conditions_ARN]
    const dist = [
      'arn:aws:cloudfront::123456789012:distribution/*',
      'arn:aws:cloudfront::123456789012:distribution/support*',
    ];
    expect(
      holds('ForAllValues:ArnLike', dist, {
        k: [
          'arn:aws:cloudfront::123456789012:distribution/costcenter',
          'arn:aws:cloudfront::123456789012:distribution/support2025',
        ],
      }),
    ).toBe(true);
    expect(
      holds('ForAllValues:ArnLike', dist, {
        k: ['arn:aws:cloudfront::777788889999:distribution/costcenter'],
      }),
    ).toBe(false);
    expect(holds('ForAllValues:ArnLike', dist, {})).toBe(true);
    expect(holds('ForAnyValue:NumericGreaterThan', '5', { k: ['1', '9'] })).toBe(true);
    expect(holds('ForAllValues:NumericGreaterThan', '5', { k: ['1', '9'] })).toBe(false);
    expect(holds('ForAllValues:Bool', 'true', { k: ['true', 'TRUE'] })).toBe(true);
    expect(holds('ForAnyValue:Bool', 'false', { k: ['true', 'true'] })).toBe(false);
    expect(holds('ForAnyValue:ArnNotLike', ARN, { k: [ARN, OTHER_ARN] })).toBe(true);
    expect(holds('ForAllValues:ArnNotLike', ARN, { k: [ARN, OTHER_ARN] })).toBe(false);
  });
});

describe('a list of request values without a set operator', () => {
  it('reads a one-element list as its value', () => {
    expect(holds('StringEquals', 'a', { k: ['a'] })).toBe(true);
    expect(holds('StringEquals', 'a', { k: ['b'] })).toBe(false);
    expect(holds('StringNotEquals', 'a', { k: ['a'] })).toBe(false);
    expect(holds('IpAddress', '10.0.0.0/8', { k: ['10.1.2.3'] })).toBe(true);
  });

  it('matches no policy value with two or more values (AWS requires a set operator)', () => {
    const calledVia = ['athena.amazonaws.com', 'datazone.amazonaws.com'];
    expect(holds('StringEquals', calledVia, { k: calledVia })).toBe(false);
    expect(holds('StringLike', '*', { k: calledVia })).toBe(false);
    expect(holds('StringNotEquals', calledVia, { k: calledVia })).toBe(true);
    expect(holds('StringNotEquals', 'x', { k: calledVia })).toBe(true);
    // with a set operator the same request matches
    expect(holds('ForAnyValue:StringEquals', 'athena.amazonaws.com', { k: calledVia })).toBe(true);
  });
});

describe('Null', () => {
  // [OPS#Conditions_Null] true = the key is absent, false = present
  it.each([
    ['true', undefined, true],
    ['true', 'x', false],
    ['true', [], true],
    ['true', ['x'], false],
    ['false', undefined, false],
    ['false', 'x', true],
    ['false', ['x', 'y'], true],
    ['false', [], false],
    ['false', '', false],
    ['TRUE', undefined, true],
    ['False', 'x', true],
    ['maybe', undefined, false],
    ['maybe', 'x', false],
  ] as const)('Null %s with %j is %s', (policy, value, expected) => {
    expect(holds('Null', policy, value === undefined ? {} : { k: value })).toBe(expected);
  });

  it('ORs several values', () => {
    expect(holds('Null', ['true', 'false'], {})).toBe(true);
    expect(holds('Null', ['true', 'false'], { k: 'x' })).toBe(true);
  });

  it('never reads a value, not even one that looks like a variable', () => {
    expect(holds('Null', '${aws:username}', { k: 'x', 'aws:username': 'true' })).toBe(false);
  });
});

describe('keys and names', () => {
  it('looks keys up without regard to case, values stay case-sensitive', () => {
    const c = cond('StringEquals', 'AWS:PrincipalTag/Team', 'dev');
    expect(conditionHolds(c, ctx({ 'aws:principaltag/team': 'dev' }), true)).toBe(true);
    expect(conditionHolds(c, ctx({ 'aws:principaltag/team': 'Dev' }), true)).toBe(false);
    const n = cond('Null', 'AWS:TokenIssueTime', 'false');
    expect(conditionHolds(n, ctx({ 'aws:tokenissuetime': '2020-01-01T00:00:00Z' }), true)).toBe(
      true,
    );
  });

  it('accepts operator names in any case (the parser canonicalises base)', () => {
    expect(holds('forallvalues:stringequalsifexists', 'a', {})).toBe(true);
    expect(holds('stringnotequals', 'a', { k: 'a' })).toBe(false);
  });

  it('throws on an operator the catalog does not know (a parser bug)', () => {
    const bad: CompiledCondition = { ...cond('StringEquals', 'k', 'a'), base: 'StringSortOf' };
    expect(() => conditionHolds(bad, ctx({ k: 'a' }), true)).toThrow(/unknown condition operator/);
  });
});

describe('conditionsHold', () => {
  const a = cond('StringEquals', 'aws:PrincipalAccount', '111122223333');
  const b = cond('Bool', 'aws:SecureTransport', 'true');
  const context = ctx({ 'aws:principalaccount': '111122223333', 'aws:securetransport': 'false' });

  it('holds for no conditions', () => {
    expect(conditionsHold([], context, true)).toBe(true);
  });

  it('ANDs the conditions', () => {
    expect(conditionsHold([a], context, true)).toBe(true);
    expect(conditionsHold([a, b], context, true)).toBe(false);
    expect(conditionsHold([b, a], context, true)).toBe(false);
    const secure = ctx({ 'aws:principalaccount': '111122223333', 'aws:securetransport': 'true' });
    expect(conditionsHold([a, b], secure, true)).toBe(true);
  });

  it('gives the same answers when a cached condition meets new contexts', () => {
    const c = cond('IpAddress', 'aws:SourceIp', ['10.0.0.0/8', '2001:db8::/32']);
    const answers = ['10.9.9.9', '11.0.0.1', '2001:db8::5', '2001:db9::5', '10.0.0.0'].map((ip) =>
      conditionHolds(c, ctx({ 'aws:sourceip': ip }), true),
    );
    expect(answers).toEqual([true, false, true, false, true]);
  });
});
