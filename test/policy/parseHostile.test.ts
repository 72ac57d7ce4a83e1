/**
 * Hostile and oversized input: the parser must answer with problems, never throw or hang.
 * These assert results only; the sizes are the ones the brief names (1 MB, 10,000
 * statements, 100,000 levels of nesting).
 */
import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../src/policy/parse.js';
import type { PolicyType } from '../../src/policy/types.js';

const V = '2012-10-17';

function parse(input: unknown, policyType?: PolicyType | 'trust') {
  return parsePolicy(input, { name: 'hostile', ...(policyType ? { policyType } : {}) });
}

const DEPTH = 100_000;
const deepArrayText = '['.repeat(DEPTH) + ']'.repeat(DEPTH);
const deepObjectText = '{"a":'.repeat(DEPTH) + '1' + '}'.repeat(DEPTH);

function deepObject(): unknown {
  let v: unknown = 1;
  for (let i = 0; i < DEPTH; i++) v = { a: v };
  return v;
}

describe('size', () => {
  it('parses a policy of more than 1 MB', () => {
    const resources = Array.from(
      { length: 20_000 },
      (_, i) => `arn:aws:s3:::bucket-${i}/some/long/prefix/${'x'.repeat(20)}/*`,
    );
    const text = JSON.stringify({
      Version: V,
      Statement: [
        { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: resources },
        {
          Effect: 'Deny',
          Action: 's3:*',
          Resource: '*',
          Condition: { StringNotEquals: { 'aws:SourceVpce': resources.slice(0, 5_000) } },
        },
      ],
    });
    expect(text.length).toBeGreaterThan(1_000_000);
    const r = parse(text);
    expect(r.problems).toEqual([]);
    const [allow, deny] = r.policy!.statements;
    expect(allow!.resource!.patterns).toHaveLength(20_000);
    expect(
      allow!.resource!.patterns[19_999]!.glob!.test(
        `arn:aws:s3:::bucket-19999/some/long/prefix/${'x'.repeat(20)}/k`,
      ),
    ).toBe(true);
    expect(deny!.conditions[0]!.values).toHaveLength(5_000);
  });

  it('parses 10,000 statements, URL-encoded', () => {
    const statements = Array.from({ length: 10_000 }, (_, i) => ({
      Sid: `S${i}`,
      Effect: i % 2 ? 'Deny' : 'Allow',
      Action: ['s3:GetObject', `s3:Put*`, 'kms:Decrypt'],
      Resource: `arn:aws:s3:::bucket/${i}/*`,
      Condition: { StringEquals: { 'aws:PrincipalTag/team': `t${i}` } },
    }));
    const r = parse(encodeURIComponent(JSON.stringify({ Version: V, Statement: statements })));
    expect(r.problems).toEqual([]);
    const p = r.policy!;
    expect(p.statements).toHaveLength(10_000);
    expect(p.statements[9_999]).toMatchObject({
      index: 10_000,
      sid: 'S9999',
      effect: 'Deny',
      pointer: '/Statement/9999',
    });
  });

  it('reports each invalid statement among 10,000 and keeps the rest', () => {
    const statements = Array.from({ length: 10_000 }, (_, i) =>
      i % 2
        ? { Effect: 'allow', Action: 's3:GetObject', Resource: '*' }
        : { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' },
    );
    const r = parse({ Version: V, Statement: statements });
    expect(r.policy!.statements).toHaveLength(5_000);
    expect(r.policy!.statements.every((s) => s.index % 2 === 1)).toBe(true);
    expect(r.problems).toHaveLength(5_000);
    expect(r.problems[4_999]!.pointer).toBe('/Statement/9999/Effect');
  });

  it('quotes long user values in messages only up to a limit', () => {
    const long = 'x'.repeat(100_000);
    const r = parse({
      Version: V,
      Statement: [{ Effect: long, Action: 's3:GetObject', Resource: '*' }],
    });
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]!.message.length).toBeLessThan(300);
  });
});

describe(`${DEPTH}-deep nesting`, () => {
  it.each([
    ['the whole document (array)', deepArrayText, 'policy.document.invalid', ''],
    [
      'the Statement (object)',
      '{"Version":"2012-10-17","Statement":' + deepObjectText + '}',
      'policy.statement.unknown-key',
      '/Statement/a',
    ],
    [
      'the Statement',
      `{"Statement": ${deepArrayText}, "Version": "${V}"}`,
      'policy.statement.invalid',
      '/Statement/0',
    ],
  ])('in %s', (_name, text, id, pointer) => {
    const r = parse(text);
    expect(r.problems.map((p) => [p.id, p.pointer])).toContainEqual([id, pointer]);
    expect(r.policy?.statements ?? []).toEqual([]);
  });

  const positions: [string, (v: unknown) => unknown, string, string][] = [
    ['Version', (v) => ({ Version: v, Statement: [ok()] }), 'policy.version.invalid', '/Version'],
    ['Id', (v) => ({ Version: V, Id: v, Statement: [ok()] }), 'policy.id.invalid', '/Id'],
    [
      'an unknown top-level key',
      (v) => ({ Version: V, X: v, Statement: [ok()] }),
      'policy.document.unknown-key',
      '/X',
    ],
    ['Sid', (v) => stmt({ Sid: v }), 'policy.sid.invalid', '/Statement/0/Sid'],
    ['Effect', (v) => stmt({ Effect: v }), 'policy.effect.invalid', '/Statement/0/Effect'],
    [
      'Action',
      (v) => stmt({ Action: ['s3:GetObject', v] }),
      'policy.action.invalid',
      '/Statement/0/Action/1',
    ],
    ['Resource', (v) => stmt({ Resource: v }), 'policy.resource.invalid', '/Statement/0/Resource'],
    [
      'Condition value',
      (v) => stmt({ Condition: { StringEquals: { 'aws:x': v } } }),
      'policy.condition.value-invalid',
      '/Statement/0/Condition/StringEquals/aws:x',
    ],
    [
      'an unknown statement key',
      (v) => stmt({ Y: v }),
      'policy.statement.unknown-key',
      '/Statement/0/Y',
    ],
  ];

  it.each(positions)('in %s, as text and as an object', (_name, build, id, pointer) => {
    for (const input of [
      JSON.stringify(build('@@DEEP@@')).replace('"@@DEEP@@"', deepObjectText),
      JSON.stringify(build('@@DEEP@@')).replace('"@@DEEP@@"', deepArrayText),
      build(deepObject()),
    ]) {
      const r = parse(input);
      const errors = r.problems.filter((p) => p.severity === 'error');
      // one error, at the position or at the first entry of an array there
      expect(errors.map((p) => p.id)).toEqual([id]);
      expect([pointer, pointer + '/0']).toContain(errors[0]!.pointer);
    }
  });

  it('in a Principal', () => {
    const r = parse(
      { Version: V, Statement: [{ ...ok(), Principal: { AWS: deepObject() } }] },
      'resource',
    );
    expect(r.problems.map((p) => [p.id, p.pointer])).toEqual([
      ['policy.principal.invalid', '/Statement/0/Principal/AWS'],
    ]);
    expect(r.policy!.statements).toEqual([]);
  });
});

function ok() {
  return { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' };
}
function stmt(over: Record<string, unknown>) {
  return { Version: V, Statement: [{ ...ok(), ...over }] };
}

describe('non-object values in every position', () => {
  const VALUES: [string, unknown][] = [
    ['null', null],
    ['0', 0],
    ['1.5', 1.5],
    ['true', true],
    ['{}', {}],
    ['[]', []],
    ['[null]', [null]],
    ['[{}]', [{}]],
    ['[[]]', [[]]],
    ['text', 'text'],
  ];
  interface Position {
    readonly name: string;
    readonly pointer: string;
    readonly type?: PolicyType | 'trust';
    /** build a document with `v` at the position */
    build(v: unknown): unknown;
    /** labels of VALUES that are valid there */
    readonly valid: readonly string[];
    /** a document-level position: the statement survives even when the value is bad */
    readonly documentLevel?: boolean;
  }
  const resourceStmt = () => ({ ...ok(), Principal: '*' });
  const S = '/Statement/0';
  const POSITIONS: Position[] = [
    {
      name: 'Version',
      pointer: '/Version',
      build: (v) => ({ Version: v, Statement: [ok()] }),
      valid: [],
      documentLevel: true,
    },
    {
      name: 'Id',
      pointer: '/Id',
      build: (v) => ({ Version: V, Id: v, Statement: [ok()] }),
      valid: ['text'],
      documentLevel: true,
    },
    { name: 'statement', pointer: S, build: (v) => ({ Version: V, Statement: [v] }), valid: [] },
    { name: 'Sid', pointer: `${S}/Sid`, build: (v) => stmt({ Sid: v }), valid: ['text'] },
    { name: 'Effect', pointer: `${S}/Effect`, build: (v) => stmt({ Effect: v }), valid: [] },
    { name: 'Action', pointer: `${S}/Action`, build: (v) => stmt({ Action: v }), valid: [] },
    {
      name: 'NotAction',
      pointer: `${S}/NotAction`,
      build: (v) => ({ Version: V, Statement: [{ Effect: 'Deny', NotAction: v, Resource: '*' }] }),
      valid: [],
    },
    {
      name: 'Resource',
      pointer: `${S}/Resource`,
      build: (v) => stmt({ Resource: v }),
      valid: ['text'],
    },
    {
      name: 'NotResource',
      pointer: `${S}/NotResource`,
      build: (v) => ({ Version: V, Statement: [{ Effect: 'Deny', Action: '*', NotResource: v }] }),
      valid: ['text'],
    },
    {
      name: 'Principal',
      pointer: `${S}/Principal`,
      type: 'resource',
      build: (v) => ({ Version: V, Statement: [{ ...resourceStmt(), Principal: v }] }),
      valid: [],
    },
    {
      name: 'NotPrincipal',
      pointer: `${S}/NotPrincipal`,
      type: 'resource',
      build: (v) => ({ Version: V, Statement: [{ ...ok(), Effect: 'Deny', NotPrincipal: v }] }),
      valid: [],
    },
    {
      name: 'Principal.AWS',
      pointer: `${S}/Principal/AWS`,
      type: 'trust',
      build: (v) => ({ Version: V, Statement: [{ ...resourceStmt(), Principal: { AWS: v } }] }),
      valid: ['text'],
    },
    {
      name: 'Principal.Service',
      pointer: `${S}/Principal/Service`,
      type: 'trust',
      build: (v) => ({ Version: V, Statement: [{ ...resourceStmt(), Principal: { Service: v } }] }),
      valid: ['text'],
    },
    {
      name: 'Condition',
      pointer: `${S}/Condition`,
      build: (v) => stmt({ Condition: v }),
      valid: ['{}'],
    },
    {
      name: 'Condition operator block',
      pointer: `${S}/Condition/StringEquals`,
      build: (v) => stmt({ Condition: { StringEquals: v } }),
      valid: ['{}'],
    },
    {
      name: 'Condition value',
      pointer: `${S}/Condition/StringEquals/aws:x`,
      build: (v) => stmt({ Condition: { StringEquals: { 'aws:x': v } } }),
      valid: ['0', '1.5', 'true', 'text'],
    },
  ];
  const cases = POSITIONS.flatMap((pos) =>
    VALUES.map(([label, v]) => [pos.name, label, pos, v] as const),
  );

  it.each(cases)('%s = %s', (_n, label, pos, v) => {
    const r = parse(pos.build(v), pos.type);
    const errors = r.problems.filter((p) => p.severity === 'error');
    expect(r.policy).toBeDefined();
    if (pos.valid.includes(label)) {
      expect(errors).toEqual([]);
      expect(r.policy!.statements).toHaveLength(1);
      return;
    }
    expect(errors.length).toBeGreaterThan(0);
    for (const e of errors) expect(e.pointer.startsWith(pos.pointer)).toBe(true);
    // a bad value never turns into an allow or a deny
    expect(r.policy!.statements).toHaveLength(pos.documentLevel ? 1 : 0);
  });
});

describe('values longer than any policy AWS takes', () => {
  it('an Action, Resource or condition value over 32,768 characters skips its statement with an error', () => {
    const long = `arn:aws:s3:::b/${'?'.repeat(40_000)}`;
    const r = parse({
      Version: V,
      Statement: [
        {
          Sid: 'Res',
          Effect: 'Allow',
          Action: 's3:GetObject',
          Resource: ['arn:aws:s3:::b/*', long],
        },
        {
          Sid: 'Cond',
          Effect: 'Deny',
          Action: 's3:*',
          Resource: '*',
          Condition: { StringLike: { 'aws:userid': long } },
        },
        { Sid: 'Kept', Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::b' },
      ],
    });
    expect(
      r.problems.filter((p) => p.id === 'policy.value.too-long').map((p) => p.pointer),
    ).toEqual(['/Statement/0/Resource/1', '/Statement/1/Condition/StringLike/aws:userid']);
    expect(r.policy!.statements.map((s) => s.sid)).toEqual(['Kept']);
  });

  it('a value of exactly 32,768 characters is read', () => {
    const r = parse({
      Version: V,
      Statement: { Effect: 'Allow', Action: 's3:GetObject', Resource: 'x'.repeat(32_768) },
    });
    expect(r.problems.filter((p) => p.id === 'policy.value.too-long')).toEqual([]);
  });

  it('`${` repeated under Version 2008-10-17 is warned of once, without a backtracking search', () => {
    const r = parse({
      Version: '2008-10-17',
      Statement: {
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: `arn:aws:s3:::b/${'${'.repeat(10_000)}}`,
      },
    });
    expect(r.problems.filter((p) => p.id === 'policy.variable.disabled')).toHaveLength(1);
  });
});

describe('warnings of one id', () => {
  it('past 100 in one policy are counted in one more warning, not one each (a document of millions of unknown actions exhausted the memory)', () => {
    const actions = Array.from({ length: 5_000 }, (_, i) => `nosuchservice${i}:Get`);
    const r = parse({
      Version: V,
      Statement: { Effect: 'Allow', Action: actions, Resource: '*' },
    });
    const ids = new Set(r.problems.map((p) => p.id));
    expect(ids.size).toBe(1);
    const [id] = ids;
    const ofId = r.problems.filter((p) => p.id === id);
    expect(ofId).toHaveLength(101);
    expect(ofId[100]!.message).toContain('4,900 more');
    expect(ofId[100]!.pointer).toBe('');
    // the statement is still read
    expect(r.policy!.statements).toHaveLength(1);
  });
});
