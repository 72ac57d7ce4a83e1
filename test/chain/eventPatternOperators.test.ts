/**
 * The comparison operators of EventBridge event patterns on the string fields of a source
 * action's change events (src/chain/eventPatternOperators.ts): each documented operator
 * matches, or does not, as https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
 * says; what that page does not settle is undefined (the rule may match).
 */
import { describe, expect, it } from 'vitest';
import {
  operatorMatch,
  wildcardMatch,
  type EventField,
} from '../../src/chain/eventPatternOperators.js';

const value = (v: string): EventField => ({ present: true, values: [v] });
const on = (v: string, op: Record<string, unknown>): boolean | undefined =>
  operatorMatch(op, value(v));

describe('prefix and suffix', () => {
  it('begin or end with the string, case and all', () => {
    expect(on('release/1.2', { prefix: 'release/' })).toBe(true);
    expect(on('main', { prefix: 'release/' })).toBe(false);
    expect(on('Release/1.2', { prefix: 'release/' })).toBe(false);
    expect(on('api/config.zip', { suffix: '.zip' })).toBe(true);
    expect(on('api/config.ZIP', { suffix: '.zip' })).toBe(false);
    expect(on('main', { prefix: '' })).toBe(true);
  });

  it('ignore case with equals-ignore-case', () => {
    expect(on('EventBridge', { prefix: { 'equals-ignore-case': 'eventb' } })).toBe(true);
    expect(on('Amazon', { prefix: { 'equals-ignore-case': 'eventb' } })).toBe(false);
    expect(on('photo.PNG', { suffix: { 'equals-ignore-case': '.png' } })).toBe(true);
    expect(on('photo.gif', { suffix: { 'equals-ignore-case': '.png' } })).toBe(false);
  });

  it('another operand is not decided', () => {
    expect(on('main', { prefix: ['ma'] })).toBeUndefined();
    expect(on('main', { prefix: 5 })).toBeUndefined();
    expect(on('main', { prefix: { 'equals-ignore-case': 'MA', other: 1 } })).toBeUndefined();
  });
});

describe('equals-ignore-case', () => {
  it('equals the string in any case', () => {
    expect(on('Main', { 'equals-ignore-case': 'MAIN' })).toBe(true);
    expect(on('main', { 'equals-ignore-case': 'develop' })).toBe(false);
    expect(on('mains', { 'equals-ignore-case': 'MAIN' })).toBe(false);
  });

  it('outside ASCII, how case folds is not said: not decided', () => {
    expect(on('straße', { 'equals-ignore-case': 'STRASSE' })).toBeUndefined();
    expect(on('main', { 'equals-ignore-case': 'MÄIN' })).toBeUndefined();
  });
});

describe('wildcard', () => {
  it('`*` stands for any run of characters, also none', () => {
    expect(on('release/1.2', { wildcard: 'release/*' })).toBe(true);
    expect(on('release/', { wildcard: 'release/*' })).toBe(true);
    expect(on('dir/a/b.png', { wildcard: 'dir/*.png' })).toBe(true);
    expect(on('dir/a/b.jpg', { wildcard: 'dir/*.png' })).toBe(false);
    expect(on('main', { wildcard: '*' })).toBe(true);
    expect(on('main', { wildcard: 'main' })).toBe(true);
    expect(on('mainline', { wildcard: 'main' })).toBe(false);
    expect(on('a/lib/b', { wildcard: '*/lib/*' })).toBe(true);
    expect(on('a/bin/b', { wildcard: '*/lib/*' })).toBe(false);
    // the chunks may not overlap: `ab*ba` needs four characters at least
    expect(on('aba', { wildcard: 'ab*ba' })).toBe(false);
    expect(on('abba', { wildcard: 'ab*ba' })).toBe(true);
  });

  it('`?` is a plain character (it is a wildcard in IAM, not here)', () => {
    expect(on('mai?', { wildcard: 'mai?' })).toBe(true);
    expect(on('main', { wildcard: 'mai?' })).toBe(false);
  });

  it('`\\*` is a literal `*` and `\\\\` a literal `\\`', () => {
    expect(on('a*b', { wildcard: 'a\\*b' })).toBe(true);
    expect(on('axb', { wildcard: 'a\\*b' })).toBe(false);
    expect(on('a\\b', { wildcard: 'a\\\\b' })).toBe(true);
    expect(on('a\\xb', { wildcard: 'a\\\\*b' })).toBe(true);
  });

  it('a pattern EventBridge does not take is not decided', () => {
    // two `*` in a row; a backslash before another character, or at the end
    expect(wildcardMatch('ma**', 'main')).toBeUndefined();
    expect(wildcardMatch('m\\ain', 'main')).toBeUndefined();
    expect(wildcardMatch('main\\', 'main')).toBeUndefined();
    expect(on('main', { wildcard: ['m*'] })).toBeUndefined();
  });

  it('takes time in proportion to the value, whatever the stars (no backtracking)', () => {
    const long = 'a'.repeat(200_000);
    expect(wildcardMatch(`${'*a'.repeat(40)}*b`, long)).toBe(false);
    expect(wildcardMatch(`${'*a'.repeat(40)}*`, long)).toBe(true);
  });
});

describe('anything-but', () => {
  it('a string or a list of strings: anything but them', () => {
    expect(on('main', { 'anything-but': 'develop' })).toBe(true);
    expect(on('main', { 'anything-but': 'main' })).toBe(false);
    expect(on('main', { 'anything-but': ['develop', 'release'] })).toBe(true);
    expect(on('main', { 'anything-but': ['develop', 'main'] })).toBe(false);
  });

  it('anything but a prefix, a suffix, a string in any case, a wildcard', () => {
    expect(on('main', { 'anything-but': { prefix: 'release/' } })).toBe(true);
    expect(on('release/1', { 'anything-but': { prefix: 'release/' } })).toBe(false);
    expect(on('a.zip', { 'anything-but': { suffix: '.png' } })).toBe(true);
    expect(on('a.png', { 'anything-but': { suffix: '.png' } })).toBe(false);
    expect(on('main', { 'anything-but': { 'equals-ignore-case': 'DEVELOP' } })).toBe(true);
    expect(on('main', { 'anything-but': { 'equals-ignore-case': ['X', 'MAIN'] } })).toBe(false);
    expect(on('src/a.js', { 'anything-but': { wildcard: '*/lib/*' } })).toBe(true);
    expect(on('x/lib/a.js', { 'anything-but': { wildcard: ['*/bin/*', '*/lib/*'] } })).toBe(false);
  });

  it('what is not decided inside stays not decided', () => {
    expect(on('main', { 'anything-but': 123 })).toBeUndefined();
    expect(on('main', { 'anything-but': [1, 2] })).toBeUndefined();
    expect(on('main', { 'anything-but': [] })).toBeUndefined();
    expect(on('main', { 'anything-but': { wildcard: 'm**' } })).toBeUndefined();
    expect(on('main', { 'anything-but': { numeric: ['>', 1] } })).toBeUndefined();
  });
});

describe('exists, numeric, cidr', () => {
  it('exists tests whether the event has the field', () => {
    expect(on('main', { exists: true })).toBe(true);
    expect(on('main', { exists: false })).toBe(false);
    const absent: EventField = { present: false, values: undefined };
    expect(operatorMatch({ exists: false }, absent)).toBe(true);
    expect(operatorMatch({ exists: true }, absent)).toBe(false);
  });

  it('numeric matches JSON numbers only: never a string field', () => {
    expect(on('5', { numeric: ['>', 0] })).toBe(false);
    expect(operatorMatch({ numeric: ['>', 0] }, { present: true, values: undefined })).toBe(false);
  });

  it('cidr matches no value that is not an IP address; one that may be is not decided', () => {
    expect(on('main', { cidr: '10.0.0.0/24' })).toBe(false);
    expect(on('10.0.0.5', { cidr: '10.0.0.0/24' })).toBeUndefined();
  });
});

describe('the field', () => {
  it('a value test on a field the event does not have matches nothing', () => {
    const absent: EventField = { present: false, values: undefined };
    expect(operatorMatch({ prefix: 'm' }, absent)).toBe(false);
    expect(operatorMatch({ wildcard: '*' }, absent)).toBe(false);
    // anything-but too: the event must hold every field the pattern names (eb-create-pattern.html);
    // only exists:false matches a field the event lacks (review: an S3 rule on a field of the
    // CloudTrail events and anything-but on one of the notification events was Allowed)
    expect(operatorMatch({ 'anything-but': 'x' }, absent)).toBe(false);
    expect(operatorMatch({ 'anything-but': ['x', 'y'] }, absent)).toBe(false);
    expect(operatorMatch({ 'anything-but': { prefix: 'x' } }, absent)).toBe(false);
  });

  it('a value the input does not settle is not decided', () => {
    const unsettled: EventField = { present: true, values: undefined };
    expect(operatorMatch({ prefix: 'release/' }, unsettled)).toBeUndefined();
    expect(operatorMatch({ 'anything-but': 'main' }, unsettled)).toBeUndefined();
  });

  it('a pattern value the template does not settle is not decided', () => {
    expect(on('main', { prefix: 'unresolved-0123456789' })).toBeUndefined();
    expect(on('main', { 'anything-but': 'unresolved-0123456789' })).toBeUndefined();
  });

  it('several values: one that matches is enough', () => {
    const two: EventField = { present: true, values: ['a', 'release/1'] };
    expect(operatorMatch({ prefix: 'release/' }, two)).toBe(true);
    expect(operatorMatch({ prefix: 'x' }, two)).toBe(false);
  });

  it('an object that is no single operator is not decided', () => {
    expect(on('main', {})).toBeUndefined();
    expect(on('main', { prefix: 'm', suffix: 'n' })).toBeUndefined();
    expect(on('main', { contains: 'ai' })).toBeUndefined();
  });
});
