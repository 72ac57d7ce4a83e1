/**
 * Value semantics per operator family: strings, numbers, dates, Bool, binary, ARNs, and
 * policy variables.
 */
import { describe, expect, it } from 'vitest';
import { conditionHolds, parseDate, parseDecimal } from '../../src/evaluate/conditions.js';

import { cond, ctx, type Values } from './conditionHelpers.js';

function holds(operator: string, values: Values, value: Values, extra = {}): boolean {
  return conditionHolds(cond(operator, 'k', values), ctx({ ...extra, k: value }), true);
}

type Row = readonly [string, Values, string, boolean];

describe('string operators', () => {
  // [OPS#Conditions_String]
  it.each<Row>([
    ['StringEquals', 'Dev', 'Dev', true],
    ['StringEquals', 'Dev', 'dev', false],
    ['StringEquals', 'dev', 'dev ', false],
    ['StringEquals', 'a*', 'abc', false],
    ['StringEquals', 'a*', 'a*', true],
    ['StringNotEquals', 'Dev', 'dev', true],
    ['StringEqualsIgnoreCase', 'PreProd', 'preprod', true],
    ['StringEqualsIgnoreCase', 'preprod', 'PREPROD', true],
    ['StringEqualsIgnoreCase', 'preprod', 'prod', false],
    ['StringEqualsIgnoreCase', 'a?', 'ab', false],
    ['StringNotEqualsIgnoreCase', 'preprod', 'PreProd', false],
    ['StringNotEqualsIgnoreCase', 'preprod', 'storage', true],
    ['StringLike', 'a?c', 'abc', true],
    ['StringLike', 'a?c', 'abbc', false],
    ['StringLike', 'a*', 'a', true],
    ['StringLike', 'a*', 'a/b:c', true],
    ['StringLike', 'A*', 'abc', false],
    ['StringLike', '*', '', true],
    ['StringLike', 'home/', 'home/x', false],
    ['StringLike', ['', 'home/'], '', true],
    ['StringNotLike', 'A*', 'abc', true],
    ['StringNotLike', '*', 'anything', false],
  ])('%s %j with %j is %s', (op, policy, value, expected) => {
    expect(holds(op, policy, value)).toBe(expected);
  });
});

describe('numeric operators', () => {
  // [OPS#Conditions_Numeric]: integer or decimal
  it.each<Row>([
    ['NumericEquals', '10', '10', true],
    ['NumericEquals', '10', '10.0', true],
    ['NumericEquals', '0.5', '.5', true],
    ['NumericEquals', '-3', '-3.00', true],
    ['NumericEquals', '10', '11', false],
    ['NumericLessThan', '10', '9.5', true],
    ['NumericLessThan', '10', '10', false],
    ['NumericLessThan', '-1', '-2', true],
    ['NumericLessThanEquals', '10', '10', true],
    ['NumericLessThanEquals', '10', '10.01', false],
    ['NumericGreaterThan', '10', '10.01', true],
    ['NumericGreaterThan', '10', '10', false],
    ['NumericGreaterThanEquals', '-1', '-1', true],
    ['NumericGreaterThanEquals', '-1', '-1.5', false],
    // not numbers: never a match, so the negated operator holds
    ['NumericEquals', '10', 'ten', false],
    ['NumericNotEquals', '10', 'ten', true],
    ['NumericLessThan', 'abc', '1', false],
    ['NumericEquals', '1e1', '10', false],
    ['NumericEquals', '0x10', '16', false],
    ['NumericEquals', '', '0', false],
    ['NumericGreaterThanEquals', '0', '', false],
    ['NumericNotEquals', 'abc', '1', true],
  ])('%s %j with %j is %s', (op, policy, value, expected) => {
    expect(holds(op, policy, value)).toBe(expected);
  });

  it('parses only integers and decimals', () => {
    expect(parseDecimal('42')).toBe(42);
    expect(parseDecimal('+1.5')).toBe(1.5);
    expect(parseDecimal('5.')).toBe(5);
    for (const bad of [
      '',
      '-',
      '.',
      '1.2.3',
      ' 1',
      '1 ',
      'Infinity',
      'NaN',
      '1e3',
      '0b1',
      '1_000',
    ]) {
      expect(parseDecimal(bad), bad).toBeUndefined();
    }
  });
});

describe('date operators', () => {
  // [OPS#Conditions_Date]: W3C ISO 8601 or epoch seconds, compared as instants
  it.each<Row>([
    ['DateLessThan', '2020-01-01T00:00:00Z', '2019-12-31T23:59:59Z', true],
    ['DateLessThan', '2020-01-01T00:00:00Z', '2020-01-01T00:00:00Z', false],
    ['DateEquals', '2020-01-01T00:00:00Z', '1577836800', true],
    ['DateEquals', '1577836800', '2020-01-01T00:00:00Z', true],
    ['DateEquals', '2020-01-01T01:00:00+01:00', '2020-01-01T00:00:00Z', true],
    ['DateEquals', '2019-12-31T19:00:00-05:00', '2020-01-01T00:00:00Z', true],
    ['DateEquals', '2020-01-01T05:30+0530', '2020-01-01T00:00:00Z', true],
    ['DateEquals', '2020-01-01T00:00:00Z', '2020-01-01T00:00:00.000Z', true],
    ['DateEquals', '2020-01-01T00:00:00', '2020-01-01T00:00:00Z', true],
    ['DateEquals', '2020-01', '2020-01-01T00:00:00Z', true],
    ['DateGreaterThanEquals', '2020-01-01', '2020-01-01T00:00:00Z', true],
    ['DateGreaterThan', '2020-01-01', '2020-01-01T00:00:00Z', false],
    ['DateGreaterThan', '2020-01-01', '2020-01-01T00:00:00.001Z', true],
    ['DateLessThan', '2020-01-01T00:00:00.5Z', '2020-01-01T00:00:00.25Z', true],
    ['DateLessThan', '2020-01-01T00:00:00.5Z', '2020-01-01T00:00:00.75Z', false],
    ['DateLessThanEquals', '1577836800.5', '2020-01-01T00:00:00.5Z', true],
    ['DateGreaterThan', '2024-02-29', '2024-03-01', true],
    // invalid values match nothing
    ['DateEquals', '2020-02-30', '2020-03-01', false],
    ['DateEquals', '2019-02-29', '2019-03-01', false],
    ['DateNotEquals', 'yesterday', '2020-01-01', true],
    ['DateLessThan', '2020-01-01', 'soon', false],
    ['DateGreaterThan', '2020-01-01', '2020-13-01', false],
    ['DateGreaterThan', '2020-01-01', '2021-01-01T24:00:00Z', false],
    ['DateGreaterThan', '2020-01-01', '2021-01-01T10:00:00Q', false],
    ['DateGreaterThan', '2020-01-01', '2021-01T10:00:00Z', false],
    ['DateGreaterThan', '2020-01-01', '2021-01-01T10', false],
    // nothing may follow the time zone designator (https://www.w3.org/TR/NOTE-datetime)
    ['DateGreaterThan', '2020-01-01', '2021-01-01T10:00:00Zx', false],
    ['DateGreaterThan', '2020-01-01', '2021-01-01T10:00:00+01:00x', false],
    // a century year is a leap year only when divisible by 400 (Gregorian calendar, as ISO 8601)
    ['DateGreaterThan', '1800-01-01', '1900-02-29', false],
    ['DateLessThan', '2200-01-01', '2100-02-29T00:00:00Z', false],
    ['DateGreaterThan', '1999-01-01', '2000-02-29', true],
  ])('%s %j with %j is %s', (op, policy, value, expected) => {
    expect(holds(op, policy, value)).toBe(expected);
  });

  it('parses both formats to the instant Date.parse gives', () => {
    for (const text of [
      '2024-02-29T12:34:56Z',
      '2024-02-29T12:34:56.789+02:00',
      '1999-12-31T23:59:59-08:00',
      '0099-06-01T00:00:00Z',
    ]) {
      expect(parseDate(text), text).toBe(Date.parse(text));
    }
    expect(parseDate('1700000000')).toBe(1700000000000);
    expect(parseDate('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
    for (const bad of ['', '1.', '.5', '2024-2-1', '2024-02-01T1:00Z', '2024-02-01 10:00Z']) {
      expect(parseDate(bad), bad).toBeUndefined();
    }
  });
});

describe('Bool', () => {
  // [OPS#Conditions_Boolean]
  it.each<Row>([
    ['Bool', 'true', 'true', true],
    ['Bool', 'true', 'false', false],
    ['Bool', 'false', 'false', true],
    ['Bool', 'True', 'true', true],
    ['Bool', 'false', 'FALSE', true],
    ['Bool', 'true', 'yes', false],
    ['Bool', 'true', '1', false],
    ['Bool', 'yes', 'yes', false],
    ['Bool', 'true', 'truex', false],
    // a policy value that is neither true nor false is read as false (the trust policy CDK
    // Pipelines wrote until 2023 held for ordinary requests: https://github.com/aws/aws-cdk/pull/25316)
    ['Bool', 'codepipeline.amazonaws.com', 'false', true],
    ['Bool', 'codepipeline.amazonaws.com', 'true', false],
    ['Bool', 'maybe', 'FALSE', true],
    ['Bool', '', 'false', true],
  ])('%s %j with %j is %s', (op, policy, value, expected) => {
    expect(holds(op, policy, value)).toBe(expected);
  });
});

describe('BinaryEquals', () => {
  // [OPS#Conditions_BinaryEquals]: byte for byte against base64
  const policy = 'QmluYXJ5VmFsdWVJbkJhc2U2NA==';
  it.each<Row>([
    ['BinaryEquals', policy, policy, true],
    ['BinaryEquals', policy, 'ASIAIOSFODNN7EXAMPLE', false],
    ['BinaryEquals', policy, 'QmluYXJ5VmFsdWVJbkJhc2U2NA', true],
    ['BinaryEquals', policy, 'QmluYXJ5VmFsdWVJbkJhc2U2NQ==', false],
    ['BinaryEquals', policy, 'Qml!YXJ5', false],
    ['BinaryEquals', policy, 'QmluYXJ5VmFsdWVJbkJhc2U2NA===', false],
    // same bytes, different spelling (unused low bits of the last character)
    ['BinaryEquals', 'QQ==', 'QR==', true],
    ['BinaryEquals', 'QQ==', 'Qg==', false],
    // padding only completes a 4-character group
    ['BinaryEquals', 'QUJD', 'QUJD=', false],
    ['BinaryEquals', 'QUJD', 'QUJD', true],
    ['BinaryEquals', 'not base64!', 'not base64!', false],
    // a length of 4n + 1 data characters is no base64 (RFC 4648 section 4): not `QUJD` plus
    // six dropped bits
    ['BinaryEquals', 'QUJD', 'QUJDR', false],
    // byte for byte: a longer value with the same first bytes is another value
    ['BinaryEquals', 'QUJD', 'QUJDRA==', false],
    ['BinaryEquals', 'QUJDRA==', 'QUJD', false],
    // digits are values 52-61 of the alphabet: `9` (61) is not `+` (62) (RFC 4648 table 1)
    ['BinaryEquals', 'AAA9', 'AAA+', false],
    ['BinaryEquals', 'AAA9', 'AAA9', true],
  ])('%s %j with %j is %s', (op, p, value, expected) => {
    expect(holds(op, p, value)).toBe(expected);
  });

  it('compares values longer than the reused buffer', () => {
    const long = Buffer.from('x'.repeat(500)).toString('base64');
    const other = Buffer.from('x'.repeat(499) + 'y').toString('base64');
    expect(holds('BinaryEquals', long, long)).toBe(true);
    expect(holds('BinaryEquals', long, other)).toBe(false);
    expect(holds('BinaryEquals', 'QUJD', 'QUJD')).toBe(true);
  });
});

describe('ARN operators', () => {
  // [OPS#Conditions_ARN]: six segments, each matched on its own, case-sensitive
  const role = 'arn:aws:iam::111122223333:role/deploy-prod';
  it.each<Row>([
    ['ArnLike', 'arn:aws:iam::*:role/deploy-*', role, true],
    ['ArnEquals', 'arn:aws:iam::*:role/deploy-*', role, true],
    ['ArnEquals', role, role, true],
    ['ArnLike', 'arn:aws:iam::111122223333:role/Deploy-prod', role, false],
    ['ArnLike', 'arn:aws:iam::111122223333:role/deploy-pro?', role, true],
    ['ArnLike', 'arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket/a/b:c', true],
    // fewer than six components: each is checked on its own, so a trailing `*` does not cross
    // colons as it does in Resource (session 23; it matched)
    ['ArnLike', 'arn:aws:*', role, false],
    ['ArnLike', 'arn:aws:iam::1111*', role, false],
    ['ArnLike', 'arn:aws:iam::111122223333:*', role, true],
    ['ArnLike', '*', role, true],
    // a wildcard does not cross `:` in the first five segments
    ['ArnLike', 'arn:aws:iam::*:role/x', 'arn:aws:iam::1:2:role/x', false],
    ['StringLike', 'arn:aws:iam::*:role/x', 'arn:aws:iam::1:2:role/x', true],
    ['ArnLike', 'arn:aws:iam::1?:role/x', 'arn:aws:iam::1::role/x', false],
    // a request value that is not an ARN matches nothing
    ['ArnLike', '*', 'not-an-arn', false],
    ['ArnEquals', 'deploy', 'deploy', false],
    ['ArnLike', 'arn:*', 'arn:aws:iam', false],
    // four or five segments: not an ARN either, even `*` matches no such value
    ['ArnLike', '*', 'arn:aws:s3:bucket', false],
    ['ArnLike', '*', 'arn:aws:s3::bucket', false],
    ['ArnNotLike', '*', 'arn:aws:s3::bucket', true],
    ['ArnNotLike', '*', 'not-an-arn', true],
    ['ArnNotEquals', role, role, false],
    ['ArnNotEquals', role, 'arn:aws:iam::111122223333:role/deploy-dev', true],
  ])('%s %j with %j is %s', (op, policy, value, expected) => {
    expect(holds(op, policy, value)).toBe(expected);
  });
});

describe('policy variables', () => {
  // [VARS]
  const user = { 'aws:username': 'bob' };

  it('substitutes a variable when the policy enables them', () => {
    const c = cond('StringEquals', 's3:prefix', 'home/${aws:username}');
    expect(conditionHolds(c, ctx({ ...user, 's3:prefix': 'home/bob' }), true)).toBe(true);
    expect(conditionHolds(c, ctx({ ...user, 's3:prefix': 'home/alice' }), true)).toBe(false);
  });

  it('keeps the text literal when variables are disabled (no Version 2012-10-17)', () => {
    const c = cond('StringEquals', 's3:prefix', 'home/${aws:username}');
    expect(conditionHolds(c, ctx({ ...user, 's3:prefix': 'home/bob' }), false)).toBe(false);
    const literal = ctx({ ...user, 's3:prefix': 'home/${aws:username}' });
    expect(conditionHolds(c, literal, false)).toBe(true);
    expect(conditionHolds(c, literal, true)).toBe(false);
  });

  it('an unresolved variable matches nothing', () => {
    const eq = cond('StringEquals', 'k', '${aws:username}');
    expect(conditionHolds(eq, ctx({ k: '' }), true)).toBe(false);
    expect(conditionHolds(eq, ctx({ k: '${aws:username}' }), true)).toBe(false);
    const like = cond('StringLike', 'k', 'home/${aws:username}/*');
    expect(conditionHolds(like, ctx({ k: 'home//x' }), true)).toBe(false);
    const ne = cond('StringNotEquals', 'k', '${aws:username}');
    expect(conditionHolds(ne, ctx({ k: 'x' }), true)).toBe(true);
    // ... unless another value matches
    const ne2 = cond('StringNotEquals', 'k', ['${aws:username}', 'x']);
    expect(conditionHolds(ne2, ctx({ k: 'x' }), true)).toBe(false);
    expect(conditionHolds(ne2, ctx({ k: 'y' }), true)).toBe(true);
  });

  it('a multivalued key is no variable', () => {
    const c = cond('StringEquals', 'k', '${aws:TagKeys}');
    expect(conditionHolds(c, ctx({ 'aws:tagkeys': ['a'], k: 'a' }), true)).toBe(false);
  });

  it('uses the default when the key is absent', () => {
    const c = cond('StringEquals', 'k', "${aws:PrincipalTag/team, 'company-wide'}");
    expect(conditionHolds(c, ctx({ k: 'company-wide' }), true)).toBe(true);
    expect(conditionHolds(c, ctx({ k: 'dev', 'aws:principaltag/team': 'dev' }), true)).toBe(true);
    expect(
      conditionHolds(c, ctx({ k: 'company-wide', 'aws:principaltag/team': 'dev' }), true),
    ).toBe(false);
  });

  it('keeps wildcards in a substituted value literal for Like and Arn operators', () => {
    const like = cond('StringLike', 'k', 'home/${aws:username}/*');
    const star = { 'aws:username': 'a*' };
    expect(conditionHolds(like, ctx({ ...star, k: 'home/a*/x' }), true)).toBe(true);
    expect(conditionHolds(like, ctx({ ...star, k: 'home/abc/x' }), true)).toBe(false);
    const escaped = cond('StringLike', 'k', 'a${*}');
    expect(conditionHolds(escaped, ctx({ k: 'a*' }), true)).toBe(true);
    expect(conditionHolds(escaped, ctx({ k: 'ab' }), true)).toBe(false);
    const eq = cond('StringEquals', 'k', 'a${*}');
    expect(conditionHolds(eq, ctx({ k: 'a*' }), true)).toBe(true);
  });

  it('resolves variables in ARN operators', () => {
    const c = cond('ArnLike', 'aws:SourceArn', 'arn:aws:iam::${aws:PrincipalAccount}:role/*');
    const account = { 'aws:principalaccount': '111122223333' };
    const mine = 'arn:aws:iam::111122223333:role/x';
    const theirs = 'arn:aws:iam::444455556666:role/x';
    expect(conditionHolds(c, ctx({ ...account, 'aws:sourcearn': mine }), true)).toBe(true);
    expect(conditionHolds(c, ctx({ ...account, 'aws:sourcearn': theirs }), true)).toBe(false);
    expect(conditionHolds(c, ctx({ 'aws:sourcearn': mine }), true)).toBe(false);
  });

  it('resolves variables in every ARN operator, the negated ones too', () => {
    // the ARN operators take policy variables [OPS#Conditions_ARN]
    const account = { 'aws:principalaccount': '111122223333' };
    const mine = 'arn:aws:iam::111122223333:role/x';
    const theirs = 'arn:aws:iam::444455556666:role/x';
    for (const op of ['ArnEquals', 'ArnLike']) {
      expect(holds(op, 'arn:aws:iam::${aws:PrincipalAccount}:role/x', mine, account), op).toBe(
        true,
      );
      expect(holds(op, 'arn:aws:iam::${aws:PrincipalAccount}:role/x', theirs, account), op).toBe(
        false,
      );
    }
    for (const op of ['ArnNotEquals', 'ArnNotLike']) {
      expect(holds(op, 'arn:aws:iam::${aws:PrincipalAccount}:role/x', mine, account), op).toBe(
        false,
      );
      expect(holds(op, 'arn:aws:iam::${aws:PrincipalAccount}:role/x', theirs, account), op).toBe(
        true,
      );
    }
  });

  it('resolves Bool (the catalog allows it) but not Numeric, Date, IP or Binary', () => {
    expect(holds('Bool', '${aws:x}', 'true', { 'aws:x': 'true' })).toBe(true);
    expect(holds('Bool', '${aws:x}', 'true', { 'aws:x': 'false' })).toBe(false);
    expect(holds('NumericEquals', '${aws:x}', '5', { 'aws:x': '5' })).toBe(false);
    expect(holds('DateEquals', '${aws:x}', '5', { 'aws:x': '5' })).toBe(false);
    expect(holds('IpAddress', '${aws:x}', '10.0.0.1', { 'aws:x': '10.0.0.1' })).toBe(false);
    expect(holds('BinaryEquals', '${aws:x}', 'QUJD', { 'aws:x': 'QUJD' })).toBe(false);
  });

  it('resolves per request when one condition serves several principals', () => {
    const c = cond('StringLike', 's3:prefix', ['home/${aws:username}/*', 'public/*']);
    const run = (name: string | undefined, prefix: string): boolean =>
      conditionHolds(
        c,
        ctx(
          name === undefined
            ? { 's3:prefix': prefix }
            : { 'aws:username': name, 's3:prefix': prefix },
        ),
        true,
      );
    expect(run('bob', 'home/bob/a')).toBe(true);
    expect(run('alice', 'home/bob/a')).toBe(false);
    expect(run('alice', 'home/alice/a')).toBe(true);
    expect(run('bob', 'home/alice/a')).toBe(false);
    expect(run(undefined, 'home/bob/a')).toBe(false);
    expect(run(undefined, 'public/x')).toBe(true);
    expect(run('bob', 'home/bob/a')).toBe(true);
  });
});
