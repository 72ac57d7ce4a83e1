/**
 * CloudFormation "supports the YAML Version 1.1 specification with a few exceptions"
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-formats.html), and the
 * YAML 1.1 types read an unquoted `on`, `off`, `yes`, `no`, `y`, `n` as Booleans and `1:30`,
 * `1_000`, `0b1`, `0x1F` as numbers, where the loader's YAML 1.2 reads text. The documentation
 * does not say which CloudFormation takes. A policy condition `aws:SecureTransport: on` was read
 * as the text `on`, which never equals `true`: the Allow did not apply and the link read Denied,
 * where CloudFormation sends IAM the Boolean true (Allowed): AWS's own CLI quotes `yes`, `no`,
 * `on`, `off` when it writes a template because "CloudFormation treats unquoted values that are
 * YAML 1.1 native booleans as booleans" (https://github.com/aws/aws-cli/pull/5257). Those are
 * read as Booleans, with a warning; `y`, `n` and the numbers, which nothing settles, are unknown.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  isUnresolved,
  resolveConditionExpression,
  resolveValue,
  Unresolved,
  type IntrinsicScope,
} from '../../../src/load/intrinsics.js';
import { parseTemplateText, yaml11Reading } from '../../../src/load/templateParse.js';
import { analyzeTemplateText } from './templateModel.js';

const SOURCE = readFileSync('test/load/templates/fixtures/unknowns/policy-roles.yaml', 'utf8');
const ALLOW = [
  '              - Effect: Allow',
  '                Action: ["s3:*", "kms:*", "logs:*", "codebuild:*"]',
  '                Resource: "*"',
].join('\n');
const DENY_POLICY = SOURCE.slice(SOURCE.indexOf('  DenyPolicy:'), SOURCE.indexOf('  Pipeline:'));

/** the fixture without its lockdown policy, the build role's Allow under `condition` */
function withCondition(condition: string): string {
  expect(SOURCE).toContain(ALLOW);
  expect(DENY_POLICY).toContain('Roles:');
  return SOURCE.replace(DENY_POLICY, '').replace(
    ALLOW,
    `${ALLOW}\n                Condition: { Bool: { "aws:SecureTransport": ${condition} } }`,
  );
}

function put(text: string) {
  const r = analyzeTemplateText(text);
  return {
    problems: r.problems,
    link: r.links.find((l) => l.id.startsWith('Build/Build:codebuild-project.output-put-object'))!,
  };
}

describe('a YAML 1.1 Boolean in a policy condition', () => {
  it.each(['true', '"true"', "'true'"])('`%s`: the Allow applies (Allowed)', (v) => {
    const r = put(withCondition(v));
    expect(r.problems.filter((p) => p.includes('yaml11'))).toEqual([]);
    expect(r.link.decision).toBe('Allowed');
  });

  it.each(['on', 'yes', 'Yes', 'ON'])(
    '`%s` unquoted: the Boolean true, as CloudFormation reads it, with a warning (it read ImplicitlyDenied)',
    (v) => {
      const r = put(withCondition(v));
      expect(r.problems).toContain(
        'warning /Resources/BuildRole/Properties/Policies/0/PolicyDocument/Statement/0/Condition/Bool/aws:SecureTransport template.value.yaml11',
      );
      expect(r.link.decision).toBe('Allowed');
    },
  );

  it.each(['off', 'no', 'NO', 'Off'])('`%s` unquoted: the Boolean false', (v) => {
    const r = put(withCondition(v));
    expect(r.problems).toContain(
      'warning /Resources/BuildRole/Properties/Policies/0/PolicyDocument/Statement/0/Condition/Bool/aws:SecureTransport template.value.yaml11',
    );
    // the upload is made over TLS: a condition on false does not hold
    expect(r.link.decision).toBe('ImplicitlyDenied');
  });

  it.each(['y', 'Y', 'n'])('`%s` unquoted: unknown with a warning (not documented)', (v) => {
    const r = put(withCondition(v));
    expect(r.problems).toContain(
      'warning /Resources/BuildRole/Properties/Policies/0/PolicyDocument/Statement/0/Condition/Bool/aws:SecureTransport template.value.yaml11',
    );
    expect(r.link.decision).toBe('Unknown');
  });

  it.each(['!!str on', '!!str yes', '!!str y'])(
    '`%s`: an explicit `!!str` is the text, as quoted (it read the Boolean true: Allowed)',
    (v) => {
      const r = put(withCondition(v));
      expect(r.problems.filter((p) => p.includes('yaml11'))).toEqual([]);
      expect(r.link.decision).toBe('ImplicitlyDenied');
    },
  );

  it('`!!bool on` is the Boolean true, as YAML 1.1 reads it', () => {
    expect(put(withCondition('!!bool on')).link.decision).toBe('Allowed');
  });

  it('`"on"` quoted is the text: the Allow does not apply', () => {
    const r = put(withCondition('"on"'));
    expect(r.problems.filter((p) => p.includes('yaml11'))).toEqual([]);
    expect(r.link.decision).toBe('ImplicitlyDenied');
  });
});

describe('yaml11Reading', () => {
  it.each([
    ['off', 'the Boolean false'],
    ['No', 'the Boolean false'],
    ['n', 'the Boolean false'],
    ['ON', 'the Boolean true'],
    ['1:30', 'a sexagesimal (base 60) number'],
    ['190:20:30.15', 'a sexagesimal (base 60) number'],
    ['1_000', 'a number (its `_` are left out)'],
    ['0b101', 'a binary number'],
    ['0x1F', 'a hexadecimal number'],
  ])('%s: %s', (source, reading) => {
    expect(yaml11Reading(source)).toBe(reading);
  });

  it.each([
    'true',
    'false',
    'True',
    'onion',
    'yes-please',
    'arn:aws:s3:::b',
    '12:60',
    '2012-10-17',
    '012345678901', // octal in YAML 1.1: unknown with template.value.leading-zero
    'a_b',
    '_',
    's3:GetObject',
  ])('%s: not made unknown', (source) => {
    expect(yaml11Reading(source)).toBeUndefined();
  });

  it('only unquoted scalars of a template; a stacks file is read as YAML 1.2', () => {
    const t = parseTemplateText('A: off\nB: "off"\nC: [yes, 1:30, y]\n', 't.yaml');
    const v = t.value as Record<string, unknown>;
    expect(v['A']).toBe(false);
    expect(v['B']).toBe('off');
    expect(v['C'] as unknown[]).toHaveLength(3);
    expect((v['C'] as unknown[])[0]).toBe(true);
    expect((v['C'] as unknown[]).slice(1).map(isUnresolved)).toEqual([true, true]);
    expect(t.problems.map((p) => `${p.pointer} ${p.id}`)).toEqual([
      '/A template.value.yaml11',
      '/C/0 template.value.yaml11',
      '/C/1 template.value.yaml11',
      '/C/2 template.value.yaml11',
    ]);
    const plain = parseTemplateText('A: off\n', 's.yaml', { yaml11: false });
    expect(plain.value).toEqual({ A: 'off' });
    expect(plain.problems).toEqual([]);
  });

  it('an explicit `!!str` keeps the text, with no warning', () => {
    const t = parseTemplateText('A: !!str off\nB: !!str 1:30\nC: !!str n\n', 't.yaml');
    expect(t.value).toEqual({ A: 'off', B: '1:30', C: 'n' });
    expect(t.problems).toEqual([]);
  });

  it('a `0`-led number is unknown: CloudFormation reads it as octal, not as the text', () => {
    const t = parseTemplateText('A: 011111111111\nB: "011111111111"\nC: 012345678901\n', 't.yaml');
    const v = t.value as Record<string, unknown>;
    expect(isUnresolved(v['A'])).toBe(true);
    expect(v['B']).toBe('011111111111');
    expect(isUnresolved(v['C'])).toBe(true);
    expect(t.problems.map((p) => `${p.pointer} ${p.id}`)).toEqual([
      '/A template.value.leading-zero',
      '/C template.value.leading-zero',
    ]);
  });
});

describe('a name the parser leaves unknown', () => {
  const scope: IntrinsicScope = {
    ref: (name) => `ref:${name}`,
    getAtt: () => 'att',
    condition: () => true,
    declaresCondition: () => true,
    importValue: () => 'imp',
    mappings: {},
  };

  it.each([
    ['!If [Y, a, b]', '/X/Fn::If/0'],
    ['!Ref N', '/X'],
  ])('%s: the reason says why (it said "expects a name")', (text, pointer) => {
    const t = parseTemplateText(`X: ${text}\n`, 't.yaml');
    const v = resolveValue((t.value as Record<string, unknown>)['X'], '/X', scope, new WeakMap());
    expect(v).toBeInstanceOf(Unresolved);
    expect((v as Unresolved).reason).toMatch(
      /^`(Y|N)` is unquoted: CloudFormation reads YAML 1\.1/,
    );
    expect((v as Unresolved).pointer).toBe(pointer);
  });

  it.each([
    ['!If [On, a, b]', '/X/Fn::If/0', '`Fn::If` expects a condition name'],
    ['!Ref Off', '/X/Ref', '`Ref` expects a name'],
  ])('%s: a Boolean name says why', (text, pointer, start) => {
    const t = parseTemplateText(`X: ${text}\n`, 't.yaml');
    const v = resolveValue((t.value as Record<string, unknown>)['X'], '/X', scope, new WeakMap());
    expect(v).toBeInstanceOf(Unresolved);
    expect((v as Unresolved).reason).toContain(start);
    expect((v as Unresolved).reason).toMatch(/this is the Boolean (true|false) \(an unquoted yes/);
    expect((v as Unresolved).pointer).toBe(pointer);
  });

  it('`Condition: y` in a condition: the reason says why', () => {
    const t = parseTemplateText('X: { "Fn::Not": [{ Condition: y }] }\n', 't.yaml');
    const v = resolveConditionExpression((t.value as Record<string, unknown>)['X'], '/X', scope);
    expect(v).toBeInstanceOf(Unresolved);
    expect((v as Unresolved).reason).toMatch(/^`y` is unquoted/);
  });
});

describe('map keys, as CloudFormation reads them', () => {
  it('an unquoted YAML 1.1 Boolean key is `true`/`false`; a 0-led octal key is its number (was the YAML 1.2 number)', () => {
    const t = parseTemplateText(
      'M:\n  012345670123: a\n  On: b\n  1.0: c\n  012345678901: d\n  "On": e\n  "012345670123": f\n',
      't.yaml',
    );
    // 012345670123 is 1402433619 to CloudFormation (cloudformation-coverage-roadmap#745); it was
    // read as 12345670123, neither the text nor the octal number; `1.0` was `1`
    expect(t.value).toEqual({
      M: {
        '1402433619': 'a',
        true: 'b',
        '1.0': 'c',
        '012345678901': 'd',
        On: 'e',
        '012345670123': 'f',
      },
    });
    expect(t.problems.map((p) => `${p.pointer} ${p.id}`)).toEqual([
      '/M/1402433619 template.value.leading-zero',
      '/M/true template.value.yaml11',
      '/M/012345678901 template.value.leading-zero',
    ]);
  });

  it('an octal key past the range of a double is its exact number (it was `Infinity`)', () => {
    const key = `0${'7'.repeat(400)}`;
    const t = parseTemplateText(`M:\n  ${key}: a\n`, 't.yaml');
    expect(Object.keys((t.value as { M: object }).M)).toEqual([(8n ** 400n - 1n).toString()]);
  });

  it('a stacks file (YAML 1.2) keeps the text of its keys', () => {
    const t = parseTemplateText('M:\n  012345670123: a\n  On: b\n', 's.yaml', { yaml11: false });
    expect(t.value).toEqual({ M: { '012345670123': 'a', On: 'b' } });
    expect(t.problems).toEqual([]);
  });
});
