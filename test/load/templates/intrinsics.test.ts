import { describe, expect, it } from 'vitest';
import {
  isUnresolved,
  NO_VALUE,
  resolveConditionExpression,
  resolveValue,
  Unresolved,
  type IntrinsicScope,
} from '../../../src/load/intrinsics.js';
import { parseTemplateText } from '../../../src/load/templateParse.js';

describe('parseTemplateText', () => {
  it('turns every short-form tag into its long form', () => {
    const text = [
      'A: !Ref X',
      'B: !Sub "${X}-y"',
      'C: !GetAtt Res.Arn',
      'D: !GetAtt [Res, Outputs.Value]',
      'E: !If [Cond, 1, 2]',
      'F: !Join [",", [a, b]]',
      'G: !Select [0, [a]]',
      'H: !Split [",", "a,b"]',
      'I: !FindInMap [M, a, b]',
      'J: !ImportValue name',
      'K: !Base64 text',
      'L: !Equals [a, b]',
      'M: !And [!Condition C1, !Or [!Condition C2, !Not [!Condition C3]]]',
      'N: !GetAZs ""',
      'O: !Cidr [10.0.0.0/16, 2, 8]',
      'P: !GetAtt Res.Outputs.Deep',
    ].join('\n');
    const t = parseTemplateText(text, 't.yaml');
    expect(t.problems).toEqual([]);
    expect(t.value).toEqual({
      A: { Ref: 'X' },
      B: { 'Fn::Sub': '${X}-y' },
      C: { 'Fn::GetAtt': ['Res', 'Arn'] },
      D: { 'Fn::GetAtt': ['Res', 'Outputs.Value'] },
      E: { 'Fn::If': ['Cond', 1, 2] },
      F: { 'Fn::Join': [',', ['a', 'b']] },
      G: { 'Fn::Select': [0, ['a']] },
      H: { 'Fn::Split': [',', 'a,b'] },
      I: { 'Fn::FindInMap': ['M', 'a', 'b'] },
      J: { 'Fn::ImportValue': 'name' },
      K: { 'Fn::Base64': 'text' },
      L: { 'Fn::Equals': ['a', 'b'] },
      M: {
        'Fn::And': [
          { Condition: 'C1' },
          { 'Fn::Or': [{ Condition: 'C2' }, { 'Fn::Not': [{ Condition: 'C3' }] }] },
        ],
      },
      N: { 'Fn::GetAZs': '' },
      O: { 'Fn::Cidr': ['10.0.0.0/16', 2, 8] },
      P: { 'Fn::GetAtt': ['Res', 'Outputs.Deep'] },
    });
  });

  it('keeps the line and column of every node, under the long-form pointer', () => {
    const t = parseTemplateText(
      'Resources:\n  R:\n    Type: X\n    V: !Join\n      - ""\n      - [a, b]\n',
      'x',
    );
    expect(t.positions.get('/Resources/R')).toEqual({ line: 2, column: 3 });
    expect(t.positions.get('/Resources/R/Type')).toEqual({ line: 3, column: 5 });
    expect(t.positions.get('/Resources/R/V/Fn::Join/1')).toEqual({ line: 6, column: 9 });
    expect(t.positions.get('/Resources/R/V/Fn::Join/1/1')).toEqual({ line: 6, column: 13 });
  });

  it('keeps account ids and numbers as written', () => {
    const t = parseTemplateText('A: 012345678901\nB: 111111111111\nC: 1.0\nD: 5\nE: true', 'x');
    const { A, ...rest } = t.value as Record<string, unknown>;
    expect(rest).toEqual({ B: 111111111111, C: '1.0', D: 5, E: true });
    // CloudFormation's YAML 1.1 reads the unquoted `012345678901` as a number, not this text:
    // unknown, with a warning
    expect(isUnresolved(A)).toBe(true);
    expect(t.problems.map((p) => `${p.severity} ${p.pointer} ${p.id}`)).toEqual([
      'warning /A template.value.leading-zero',
    ]);
    const quoted = parseTemplateText('A: \'012345678901\'\nB: "0123"', 'x');
    expect(quoted.problems).toEqual([]);
  });

  it('reads JSON with positions', () => {
    const t = parseTemplateText('{\n  "A": {\n    "Ref": "X"\n  }\n}', 'x.json');
    expect(t.value).toEqual({ A: { Ref: 'X' } });
    expect(t.positions.get('/A/Ref')).toEqual({ line: 3, column: 5 });
  });

  it('reports unknown tags and syntax errors instead of throwing', () => {
    const unknown = parseTemplateText('A: !Nope x', 'x');
    expect(unknown.problems.map((p) => [p.id, p.pointer])).toEqual([
      ['template.tag.unknown', '/A'],
    ]);
    const bad = parseTemplateText('A: [1, 2\nB: }', 'x');
    expect(bad.value).toBeUndefined();
    expect(bad.problems[0]?.id).toBe('template.syntax.invalid');
    const dup = parseTemplateText('A: 1\nA: 2', 'x');
    expect(dup.problems[0]?.id).toBe('template.syntax.invalid');
  });

  it('rejects a key written twice in one map, at its line, once even when an alias repeats it', () => {
    const dup = parseTemplateText('Resources:\n  A:\n    Type: X\n  A:\n    Type: Y\n', 't.yaml');
    expect(dup.value).toBeUndefined();
    expect(dup.problems.map((p) => [p.id, p.message])).toEqual([
      ['template.syntax.invalid', 'line 4, column 3: Map keys must be unique'],
    ]);
    const aliased = parseTemplateText('A: &a\n  x: 1\n  x: 2\nB: *a\nC: *a\n', 't.yaml');
    expect(aliased.problems.map((p) => p.message)).toEqual([
      'line 3, column 3: Map keys must be unique',
    ]);
    // the same key in two maps is no duplicate
    expect(parseTemplateText('A:\n  x: 1\nB:\n  x: 2\n', 't.yaml').problems).toEqual([]);
    // a map of many keys is read (the library's own check compared every pair)
    const many = `A:\n${Array.from({ length: 20000 }, (_, i) => `  k${i}: v`).join('\n')}\n`;
    const big = parseTemplateText(many, 't.yaml');
    expect(big.problems).toEqual([]);
    expect(Object.keys((big.value as { A: object }).A)).toHaveLength(20000);
  });

  // the 60 s timeout is a hang guard for the exponential alias expansion, not a speed measurement
  it('bounds alias expansion (billion laughs) and deep nesting', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++) {
      const prev = String.fromCharCode(96 + i);
      const cur = String.fromCharCode(97 + i);
      lines.push(
        `${cur}: &${cur} [${Array(10)
          .fill('*' + prev)
          .join(', ')}]`,
      );
    }
    const shape = (r: ReturnType<typeof parseTemplateText>): unknown[] =>
      r.problems.map((p) => [p.severity, p.id, p.file, p.pointer, p.message]);
    const t = parseTemplateText(lines.join('\n'), 'bomb.yaml');
    expect(t.value).toBeUndefined();
    expect(shape(t)).toEqual([
      [
        'error',
        'template.size.exceeded',
        'bomb.yaml',
        '/f/2/9/7/9/8/3',
        'line 6, column 16: the aliases expand to more than 500000 values (each use of an alias repeats its anchor): the file is not read',
      ],
    ]);
    const deep = parseTemplateText('A: ' + '['.repeat(400) + ']'.repeat(400), 'deep.yaml');
    expect(deep.value).toBeUndefined();
    expect(shape(deep)).toEqual([
      [
        'error',
        'template.size.exceeded',
        'deep.yaml',
        '',
        'line 1, column 261: the file is nested more than 256 levels deep: it is not read',
      ],
    ]);
  }, 60_000);
});

/** A scope with fixed parameters, two resources and two conditions. */
function scope(overrides: Partial<IntrinsicScope> = {}): IntrinsicScope {
  const refs: Record<string, unknown> = {
    Env: 'prod',
    List: ['a', 'b'],
    'AWS::Region': 'eu-west-1',
    'AWS::NoValue': NO_VALUE,
    Bucket: 'my-bucket',
  };
  return {
    ref: (name, pointer) => (name in refs ? refs[name] : new Unresolved(`no \`${name}\``, pointer)),
    getAtt: (id, attr, pointer) =>
      id === 'Bucket' && attr === 'Arn'
        ? 'arn:aws:s3:::my-bucket'
        : new Unresolved(`unknown attribute \`${attr}\``, pointer),
    condition: (name, pointer) =>
      name === 'IsProd'
        ? true
        : name === 'IsDev'
          ? false
          : new Unresolved('unknown condition', pointer),
    importValue: (name, pointer) =>
      name === 'shared-key'
        ? 'arn:aws:kms:eu-west-1:1:key/k'
        : new Unresolved('no export', pointer),
    mappings: { Sizes: { prod: { Size: 'large' } } },
    ...overrides,
  };
}

const r = (v: unknown): unknown => resolveValue(v, '/X', scope(), new WeakMap());

describe('resolveValue', () => {
  it('resolves Ref, Fn::GetAtt and both Fn::Sub forms', () => {
    expect(r({ Ref: 'Env' })).toBe('prod');
    expect(r({ 'Fn::GetAtt': ['Bucket', 'Arn'] })).toBe('arn:aws:s3:::my-bucket');
    expect(r({ 'Fn::Sub': '${Bucket.Arn}/*-${AWS::Region}-${!Literal}' })).toBe(
      'arn:aws:s3:::my-bucket/*-eu-west-1-${Literal}',
    );
    expect(r({ 'Fn::Sub': ['${A}-${Env}', { A: { Ref: 'Bucket' } }] })).toBe('my-bucket-prod');
  });

  it('resolves Join, Select, Split, FindInMap, ImportValue, Base64', () => {
    expect(r({ 'Fn::Join': ['-', [{ Ref: 'Env' }, 'x', { Ref: 'AWS::NoValue' }]] })).toBe('prod-x');
    expect(r({ 'Fn::Join': [',', { Ref: 'List' }] })).toBe('a,b');
    expect(r({ 'Fn::Select': ['1', { Ref: 'List' }] })).toBe('b');
    expect(r({ 'Fn::Split': ['/', 'a/b/c'] })).toEqual(['a', 'b', 'c']);
    expect(r({ 'Fn::FindInMap': ['Sizes', { Ref: 'Env' }, 'Size'] })).toBe('large');
    expect(r({ 'Fn::ImportValue': 'shared-key' })).toBe('arn:aws:kms:eu-west-1:1:key/k');
    expect(r({ 'Fn::Base64': 'hi' })).toBe('aGk=');
  });

  it('a mapping level or a Sub variable map the template does not settle is no map (an unquoted YAML 1.1 `y`)', () => {
    const y = new Unresolved('`y` is read as a Boolean by YAML 1.1', '/Mappings/M');
    const s = scope({ mappings: { M: y, N: { top: y } } });
    const at = (v: unknown): unknown => resolveValue(v, '/X', s, new WeakMap());
    // its fields (`reason`, `pointer`) were read as the mapping's entries
    expect(at({ 'Fn::FindInMap': ['M', 'reason', 'x'] })).toBe(y);
    expect(at({ 'Fn::FindInMap': ['M', 'pointer', 'x'] })).toBe(y);
    expect(at({ 'Fn::FindInMap': ['N', 'top', 'reason'] })).toBe(y);
    // and as the variables of `Fn::Sub` (`${reason}` was the reason's text)
    const sub = at({ 'Fn::Sub': ['a-${reason}', y] });
    expect(isUnresolved(sub)).toBe(true);
  });

  it('evaluates Fn::If branches and removes AWS::NoValue from lists and objects', () => {
    expect(r({ 'Fn::If': ['IsProd', 'yes', 'no'] })).toBe('yes');
    expect(r({ 'Fn::If': ['IsDev', 'yes', { Ref: 'AWS::NoValue' }] })).toBe(NO_VALUE);
    expect(r([1, { 'Fn::If': ['IsDev', 2, { Ref: 'AWS::NoValue' }] }, 3])).toEqual([1, 3]);
    expect(r({ a: 1, b: { Ref: 'AWS::NoValue' } })).toEqual({ a: 1 });
  });

  it('evaluates condition functions', () => {
    const c = (v: unknown): unknown => resolveConditionExpression(v, '/C', scope());
    expect(c({ 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] })).toBe(true);
    expect(c({ 'Fn::Not': [{ Condition: 'IsProd' }] })).toBe(false);
    expect(c({ 'Fn::And': [{ Condition: 'IsProd' }, { 'Fn::Equals': ['a', 'a'] }] })).toBe(true);
    expect(c({ 'Fn::Or': [{ Condition: 'IsDev' }, { Condition: 'IsProd' }] })).toBe(true);
    // a known operand settles And/Or even when another is unknown
    expect(c({ 'Fn::And': [{ Condition: 'Unknown' }, { Condition: 'IsDev' }] })).toBe(false);
    expect(c({ 'Fn::Or': [{ Condition: 'Unknown' }, { Condition: 'IsProd' }] })).toBe(true);
    expect(c({ 'Fn::Or': [{ Condition: 'Unknown' }, { Condition: 'IsDev' }] })).toBeInstanceOf(
      Unresolved,
    );
  });

  it('takes a function with more arguments than it has as unknown, not its first ones', () => {
    // CloudFormation rejects such a template; `Fn::Equals [a, a, b]` was true
    const c = (v: unknown): unknown => resolveConditionExpression(v, '/C', scope());
    for (const v of [
      { 'Fn::Equals': ['a', 'a', 'b'] },
      { 'Fn::Not': [{ Condition: 'IsProd' }, { Condition: 'IsDev' }] },
    ]) {
      const u = c(v) as Unresolved;
      expect(u, JSON.stringify(v)).toBeInstanceOf(Unresolved);
      expect(u.reason).toMatch(/expects a list of \d arguments/);
    }
    for (const v of [
      { 'Fn::If': ['IsProd', 'yes', 'no', 'extra'] },
      { 'Fn::Join': ['-', ['a'], ['b']] },
      { 'Fn::Select': ['0', ['a'], 'x'] },
      { 'Fn::Split': ['/', 'a/b', 'c'] },
      { 'Fn::FindInMap': ['Sizes', 'prod', 'Size', { DefaultValue: 'x' }, 'y'] },
    ])
      expect(r(v), JSON.stringify(v)).toBeInstanceOf(Unresolved);
    // FindInMap's fourth, the DefaultValue of AWS::LanguageExtensions, is one it has
    expect(r({ 'Fn::FindInMap': ['Sizes', { Ref: 'Env' }, 'Size', { DefaultValue: 'x' }] })).toBe(
      'large',
    );
  });

  it('takes Fn::And and Fn::Or of fewer than 2 or more than 10 conditions as unknown', () => {
    // CloudFormation rejects such a template: `!And [false-condition, ...10 more]` was false and
    // `!Or [IsProd]` was IsProd
    const c = (v: unknown): unknown => resolveConditionExpression(v, '/C', scope());
    const eleven = Array.from({ length: 11 }, () => ({ 'Fn::Equals': ['a', 'b'] }));
    for (const v of [
      { 'Fn::And': eleven },
      { 'Fn::Or': [{ 'Fn::Equals': ['a', 'a'] }] },
      { 'Fn::And': [{ 'Fn::Equals': ['a', 'b'] }] },
    ]) {
      const u = c(v) as Unresolved;
      expect(u, JSON.stringify(v)).toBeInstanceOf(Unresolved);
      expect(u.reason).toMatch(/expects a list of 2 to 10 conditions/);
    }
    // 2 and 10 are fine
    expect(c({ 'Fn::Or': eleven.slice(0, 10) })).toBe(false);
    expect(c({ 'Fn::And': [{ 'Fn::Equals': ['a', 'a'] }, { 'Fn::Equals': ['b', 'b'] }] })).toBe(
      true,
    );
  });

  it('makes what cannot be known an Unresolved value with its pointer, never a guess', () => {
    const u = r({ 'Fn::Sub': 'arn:aws:iam::${Missing}:root' }) as Unresolved;
    expect(u).toBeInstanceOf(Unresolved);
    expect(u.reason).toBe('no `Missing`');
    expect(u.pointer).toBe('/X/Fn::Sub');
    expect(r({ 'Fn::GetAZs': '' })).toBeInstanceOf(Unresolved);
    expect(r({ 'Fn::Cidr': ['10.0.0.0/16', 2, 8] })).toBeInstanceOf(Unresolved);
    expect((r({ 'Fn::Transform': { Name: 'Macro' } }) as Unresolved).reason).toContain('macro');
    expect(r({ 'Fn::GetAtt': ['Bucket', 'Nope'] })).toBeInstanceOf(Unresolved);
    expect(r({ 'Fn::If': ['Unknown', 1, 2] })).toBeInstanceOf(Unresolved);
    expect(r({ 'Fn::Select': [5, ['a']] })).toBeInstanceOf(Unresolved);
    expect(r({ 'Fn::FindInMap': ['Sizes', 'dev', 'Size'] })).toBeInstanceOf(Unresolved);
    expect(r({ 'Fn::Bogus': 1 })).toBeInstanceOf(Unresolved);
    // an unresolved list element stays in place, marked
    const list = r(['a', { Ref: 'Missing' }]) as unknown[];
    expect(list[0]).toBe('a');
    expect(list[1]).toBeInstanceOf(Unresolved);
  });

  it('makes Fn::If on a condition not known an unknown value of its own, unless both branches are one known value', () => {
    const origin = {
      file: 'cdk.out/manifest.json',
      pointer: '/artifacts/S/properties/parameters/P',
    };
    const cond = new Unresolved('parameter `P` is null', '/Conditions/C/Fn::Equals/0/Ref', origin);
    const s = scope({ condition: () => cond, declaresCondition: (name) => name === 'C' });
    const at = (v: unknown, pointer: string): unknown => resolveValue(v, pointer, s, new WeakMap());
    const a = at({ 'Fn::If': ['C', 'role-a', 'role-b'] }, '/A') as Unresolved;
    const b = at({ 'Fn::If': ['C', 'role-c', 'role-d'] }, '/B') as Unresolved;
    // each at its own Fn::If: two values, never the condition's one
    expect([a.pointer, b.pointer]).toEqual(['/A/Fn::If', '/B/Fn::If']);
    expect(a.reason).toBe('`Fn::If` on condition `C`, which is not known: parameter `P` is null');
    // the origin is kept, and the condition is what would settle it, also once re-anchored
    expect(a.origin).toBe(origin);
    expect(a.settledBy()).toBe(cond);
    expect(a.at('/Elsewhere').settledBy()).toBe(cond);
    // both branches the same known value: that value
    expect(at({ 'Fn::If': ['C', 'same', 'same'] }, '/X')).toBe('same');
    expect(at({ 'Fn::If': ['C', ['a', { k: 1 }], ['a', { k: 1 }]] }, '/X')).toEqual([
      'a',
      { k: 1 },
    ]);
    const none = { Ref: 'AWS::NoValue' };
    expect(at({ 'Fn::If': ['C', none, none] }, '/X')).toBe(NO_VALUE);
    // not the same: a text and a number, nothing and an empty text, a different list, or a
    // branch that is itself unknown (two unknown values may differ)
    for (const [yes, no] of [
      ['1', 1],
      [none, ''],
      [['a'], ['a', 'b']],
      [{ k: 1 }, { k: 1, j: 2 }],
      [{ Ref: 'Missing' }, { Ref: 'Missing' }],
    ]) {
      const u = at({ 'Fn::If': ['C', yes, no] }, '/X');
      expect(u, JSON.stringify([yes, no])).toBeInstanceOf(Unresolved);
      expect((u as Unresolved).pointer).toBe('/X/Fn::If');
    }
    // an invalid Fn::If (a condition the template does not declare, a name that is not text)
    // stays the condition's unknown value whatever its branches: never read as known
    expect(at({ 'Fn::If': ['Undeclared', 'same', 'same'] }, '/X')).toBe(cond);
    const notText = at({ 'Fn::If': [{ Condition: 'C' }, 'same', 'same'] }, '/X');
    expect(notText).toBeInstanceOf(Unresolved);
    expect((notText as Unresolved).reason).toBe('`Fn::If` expects a condition name');
  });

  it('bounds the strings it builds: a long value joined with itself is unknown, not a crash', () => {
    // the same 1 MiB string many times over, as YAML aliases write it in a few bytes
    const big = 'a'.repeat(1024 * 1024);
    const join = r({ 'Fn::Join': ['', Array.from({ length: 600 }, () => big)] }) as Unresolved;
    expect(join).toBeInstanceOf(Unresolved);
    expect(join.reason).toBe('the value would be longer than 1048576 characters');
    expect(join.pointer).toBe('/X/Fn::Join');
    const sub = r({ 'Fn::Sub': ['${A}'.repeat(600), { A: big }] }) as Unresolved;
    expect(sub).toBeInstanceOf(Unresolved);
    expect(sub.reason).toBe('the value would be longer than 1048576 characters');
    expect(r({ 'Fn::Base64': big })).toBeInstanceOf(Unresolved);
    expect(r({ 'Fn::ToJsonString': Array.from({ length: 600 }, () => big) })).toBeInstanceOf(
      Unresolved,
    );
    // up to the bound, values are built
    expect(r({ 'Fn::Join': ['', ['a'.repeat(1000), 'b']] })).toBe('a'.repeat(1000) + 'b');
  });

  it('does not hang on deep nesting', () => {
    let v: unknown = 'x';
    for (let i = 0; i < 500; i++) v = { 'Fn::Base64': v };
    expect(r(v)).toBeInstanceOf(Unresolved);
  });

  it('records the template pointer of every rebuilt object', () => {
    const origins = new WeakMap<object, string>();
    const out = resolveValue(
      { S: [{ 'Fn::If': ['IsProd', { a: 1 }, {}] }] },
      '/Doc',
      scope(),
      origins,
    ) as { S: object[] };
    expect(origins.get(out)).toBe('/Doc');
    expect(origins.get(out.S)).toBe('/Doc/S');
    expect(origins.get(out.S[0]!)).toBe('/Doc/S/0/Fn::If/1');
  });
});
