import { describe, expect, it } from 'vitest';
import { isCompiledPolicy, parsePolicy, type ParseOptions } from '../../src/policy/parse.js';
import type { Problem } from '../../src/problems.js';
import { COMPILED, type CompiledPolicy, type PolicyType } from '../../src/policy/types.js';

const V = '2012-10-17';
const ALLOW_S3 = { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' } as const;
const RESOURCE_STMT = {
  Effect: 'Allow',
  Principal: { AWS: 'arn:aws:iam::111122223333:root' },
  Action: 's3:GetObject',
  Resource: 'arn:aws:s3:::bucket/*',
} as const;

function parse(input: unknown, options: Partial<ParseOptions> = {}) {
  return parsePolicy(input, { name: 'test', ...options });
}

function doc(...statements: unknown[]) {
  return { Version: V, Statement: statements };
}

/** [severity, id, pointer] triples, for exact comparisons. */
function summary(problems: readonly Problem[]): [string, string, string][] {
  return problems.map((p) => [p.severity, p.id, p.pointer]);
}

function compiled(result: { policy: CompiledPolicy | undefined }): CompiledPolicy {
  expect(result.policy).toBeDefined();
  return result.policy!;
}

describe('input encodings', () => {
  const document = doc({ ...ALLOW_S3, Condition: { StringEquals: { 'aws:x': 'a+b c' } } });

  it.each([
    ['an object', document],
    ['a JSON string', JSON.stringify(document)],
    ['a pretty JSON string with a BOM', '\uFEFF' + JSON.stringify(document, null, 2)],
    ['a URL-encoded JSON string', encodeURIComponent(JSON.stringify(document))],
  ])('accepts %s', (_label, input) => {
    const r = parse(input);
    expect(r.problems).toEqual([]);
    const p = compiled(r);
    expect(p.version).toBe(V);
    expect(p.statements).toHaveLength(1);
    expect(p.statements[0]!.conditions[0]!.values).toEqual(['a+b c']);
  });

  it('keeps a literal + in URL-encoded input: RFC 3986, not form encoding', () => {
    // what IAM returns: spaces as %20, and a `+` that was never encoded stays a plus
    const text = JSON.stringify(document).replace(/[{}":,[\] ]/g, (c) =>
      c === ' ' ? '%20' : encodeURIComponent(c),
    );
    expect(text).toContain('a+b%20c');
    const p = compiled(parse(text));
    expect(p.statements[0]!.conditions[0]!.values).toEqual(['a+b c']);
  });

  it.each([
    ['not JSON', 'not json'],
    ['truncated JSON', '{"Version": "2012-10-17", "Statement": ['],
    ['broken URL encoding', '%7B%22Version%E0%A4%A'],
    ['URL-encoded non-JSON', '%7Bnope'],
    ['an empty string', ''],
    ['whitespace', '   \n'],
    ['100,000 unbalanced brackets', '['.repeat(100_000)],
  ])('rejects %s as policy.json.invalid', (_label, input) => {
    const r = parse(input, { file: 'f.json', pointer: '/Policies/0' });
    expect(r.policy).toBeUndefined();
    expect(summary(r.problems)).toEqual([['error', 'policy.json.invalid', '/Policies/0']]);
    expect(r.problems[0]!.file).toBe('f.json');
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
  ])('reports a missing document (%s) instead of reading it as no policy', (_l, input) => {
    const r = parse(input);
    expect(r.policy).toBeUndefined();
    expect(summary(r.problems)).toEqual([['error', 'policy.document.missing', '']]);
  });

  it.each([
    ['a number', 42],
    ['a boolean', true],
    ['an array', [ALLOW_S3]],
    ['a JSON array string', '[]'],
    ['a JSON string literal', '"{}"'],
    ['JSON null', 'null'],
  ])('rejects %s as policy.document.invalid', (_label, input) => {
    const r = parse(input);
    expect(r.policy).toBeUndefined();
    expect(summary(r.problems)).toEqual([['error', 'policy.document.invalid', '']]);
  });
});

describe('Version', () => {
  it('2012-10-17 enables policy variables', () => {
    const p = compiled(parse(doc(ALLOW_S3)));
    expect(p.version).toBe('2012-10-17');
    expect(p.variablesEnabled).toBe(true);
  });

  it('2008-10-17 keeps them literal', () => {
    const r = parse({ Version: '2008-10-17', Statement: [ALLOW_S3] });
    expect(r.problems).toEqual([]);
    expect(compiled(r).variablesEnabled).toBe(false);
    expect(compiled(r).version).toBe('2008-10-17');
  });

  it('a missing Version is a warning with 2008-10-17 semantics', () => {
    const r = parse({ Statement: [ALLOW_S3] });
    expect(summary(r.problems)).toEqual([['warning', 'policy.version.missing', '']]);
    const p = compiled(r);
    expect(p.version).toBeUndefined();
    expect(p.variablesEnabled).toBe(false);
    expect(p.statements).toHaveLength(1);
  });

  it.each([['2012-10-18'], ['2012-10-17 '], [20121017], [null], [['2012-10-17']]])(
    'Version %j is an error; statements still compile without variables',
    (version) => {
      const r = parse({ Version: version, Statement: [ALLOW_S3] });
      expect(summary(r.problems)).toEqual([['error', 'policy.version.invalid', '/Version']]);
      const p = compiled(r);
      expect(p.version).toBeUndefined();
      expect(p.variablesEnabled).toBe(false);
      expect(p.statements).toHaveLength(1);
    },
  );
});

describe('document elements', () => {
  it('accepts a string Id', () => {
    expect(parse({ Version: V, Id: 'x', Statement: [ALLOW_S3] }).problems).toEqual([]);
  });

  it.each([[1], [null], [{}]])('Id %j is an error', (id) => {
    const r = parse({ Version: V, Id: id, Statement: [ALLOW_S3] });
    expect(summary(r.problems)).toEqual([['error', 'policy.id.invalid', '/Id']]);
    expect(compiled(r).statements).toHaveLength(1);
  });

  it('an unknown top-level key is an error at its pointer (escaped)', () => {
    const r = parse({ Version: V, Statement: [ALLOW_S3], 'a/b': 1 });
    expect(summary(r.problems)).toEqual([['error', 'policy.document.unknown-key', '/a~1b']]);
  });

  it('no Statement: policy undefined', () => {
    const r = parse({ Version: V });
    expect(r.policy).toBeUndefined();
    expect(summary(r.problems)).toEqual([['error', 'policy.statement.missing', '']]);
  });

  it.each([[null], ['x'], [1], [true]])('Statement %j: policy undefined', (value) => {
    const r = parse({ Version: V, Statement: value });
    expect(r.policy).toBeUndefined();
    expect(summary(r.problems)).toEqual([['error', 'policy.statement.invalid', '/Statement']]);
  });

  it('an empty Statement array: an error, and a policy that grants nothing', () => {
    const r = parse({ Version: V, Statement: [] });
    expect(summary(r.problems)).toEqual([['error', 'policy.statement.empty', '/Statement']]);
    expect(compiled(r).statements).toEqual([]);
  });

  it('a single Statement object is statement 1 at /Statement', () => {
    const p = compiled(parse({ Version: V, Statement: { Sid: 'One', ...ALLOW_S3 } }));
    expect(p.statements).toHaveLength(1);
    expect(p.statements[0]).toMatchObject({ index: 1, sid: 'One', pointer: '/Statement' });
  });

  it('array statements get 1-based indices and /Statement/i pointers', () => {
    const p = compiled(parse(doc(ALLOW_S3, { ...ALLOW_S3, Effect: 'Deny' })));
    expect(p.statements.map((s) => [s.index, s.pointer, s.effect])).toEqual([
      [1, '/Statement/0', 'Allow'],
      [2, '/Statement/1', 'Deny'],
    ]);
  });

  it('sets the brand, the name and the source', () => {
    const p = compiled(
      parse(doc(ALLOW_S3), {
        name: 'arn:aws:iam::111122223333:role/r inline',
        file: 'tpl.json',
        pointer: '/Resources/R/Properties/Policies/0/PolicyDocument',
      }),
    );
    expect(p[COMPILED]).toBe(true);
    expect(p.name).toBe('arn:aws:iam::111122223333:role/r inline');
    expect(p.source).toEqual({
      file: 'tpl.json',
      pointer: '/Resources/R/Properties/Policies/0/PolicyDocument',
    });
    expect(p.statements[0]!.pointer).toBe(
      '/Resources/R/Properties/Policies/0/PolicyDocument/Statement/0',
    );
  });
});

describe('options.pointer, file and lineOf', () => {
  it('prefixes problem pointers and asks lineOf with full pointers', () => {
    const asked: string[] = [];
    const lineOf = (ptr: string) => {
      asked.push(ptr);
      return ptr === '/Doc' ? 3 : ptr === '/Doc/Statement/1' ? 10 : undefined;
    };
    const r = parse(doc({ Effect: 'allow', Action: 's3:GetObject', Resource: '*' }, ALLOW_S3), {
      file: 'a.json',
      pointer: '/Doc',
      lineOf,
    });
    expect(r.problems).toEqual([
      {
        file: 'a.json',
        pointer: '/Doc/Statement/0/Effect',
        id: 'policy.effect.invalid',
        severity: 'error',
        message:
          'policy `test`: statement 1: `Effect` must be `Allow` or `Deny`, got the string `allow`',
      },
    ]);
    const p = compiled(r);
    expect(p.source).toEqual({ file: 'a.json', pointer: '/Doc', line: 3 });
    expect(p.statements).toHaveLength(1);
    expect(p.statements[0]).toMatchObject({ index: 2, pointer: '/Doc/Statement/1', line: 10 });
    expect(asked).toContain('/Doc/Statement/1');
  });

  it('leaves file and line out when not given', () => {
    const r = parse(doc({ ...ALLOW_S3, Effect: 'x' }));
    expect(r.problems[0]).not.toHaveProperty('file');
    const p = compiled(parse(doc(ALLOW_S3)));
    expect(p.source).toEqual({ pointer: '' });
    // statements carry every property (one hidden class for the evaluator): absent is undefined
    expect(p.statements[0]!.line).toBeUndefined();
  });
});

interface StatementCase {
  readonly name: string;
  readonly statement: unknown;
  readonly type?: PolicyType | 'trust';
  /** expected [severity, id, pointer] problems for a document holding just this statement */
  readonly problems: [string, string, string][];
  /** whether the statement survives into the compiled policy */
  readonly kept: boolean;
}

const S = '/Statement/0';
const STATEMENT_CASES: StatementCase[] = [
  { name: 'a valid identity statement', statement: ALLOW_S3, problems: [], kept: true },
  {
    name: 'a valid resource statement',
    statement: RESOURCE_STMT,
    type: 'resource',
    problems: [],
    kept: true,
  },
  {
    name: 'statement is null',
    statement: null,
    problems: [['error', 'policy.statement.invalid', S]],
    kept: false,
  },
  {
    name: 'statement is a string',
    statement: 'Allow',
    problems: [['error', 'policy.statement.invalid', S]],
    kept: false,
  },
  {
    name: 'statement is an array',
    statement: [ALLOW_S3],
    problems: [['error', 'policy.statement.invalid', S]],
    kept: false,
  },
  {
    name: 'unknown key',
    statement: { ...ALLOW_S3, Actions: 's3:PutObject' },
    problems: [['error', 'policy.statement.unknown-key', `${S}/Actions`]],
    kept: false,
  },
  {
    name: 'element names are case-sensitive',
    statement: { ...ALLOW_S3, condition: {} },
    problems: [['error', 'policy.statement.unknown-key', `${S}/condition`]],
    kept: false,
  },
  {
    name: 'Sid not a string',
    statement: { ...ALLOW_S3, Sid: 1 },
    problems: [['error', 'policy.sid.invalid', `${S}/Sid`]],
    kept: false,
  },
  {
    name: 'missing Effect',
    statement: { Action: 's3:GetObject', Resource: '*' },
    problems: [['error', 'policy.effect.missing', S]],
    kept: false,
  },
  {
    name: 'Effect is case-sensitive',
    statement: { ...ALLOW_S3, Effect: 'allow' },
    problems: [['error', 'policy.effect.invalid', `${S}/Effect`]],
    kept: false,
  },
  {
    name: 'Effect not a string',
    statement: { ...ALLOW_S3, Effect: true },
    problems: [['error', 'policy.effect.invalid', `${S}/Effect`]],
    kept: false,
  },
  {
    name: 'no Action or NotAction',
    statement: { Effect: 'Allow', Resource: '*' },
    problems: [['error', 'policy.action.missing', S]],
    kept: false,
  },
  {
    name: 'Action and NotAction',
    statement: { ...ALLOW_S3, NotAction: 's3:PutObject' },
    problems: [['error', 'policy.action.conflict', S]],
    kept: false,
  },
  {
    name: 'Action without a service prefix',
    statement: { ...ALLOW_S3, Action: ['s3:GetObject', 'GetObject'] },
    problems: [['error', 'policy.action.invalid', `${S}/Action/1`]],
    kept: false,
  },
  {
    name: 'single Action without a name',
    statement: { ...ALLOW_S3, Action: 's3:' },
    problems: [['error', 'policy.action.invalid', `${S}/Action`]],
    kept: false,
  },
  {
    name: 'NotAction without a service prefix',
    statement: { Effect: 'Deny', NotAction: ':x', Resource: '*' },
    problems: [['error', 'policy.action.invalid', `${S}/NotAction`]],
    kept: false,
  },
  {
    name: 'Action empty array',
    statement: { ...ALLOW_S3, Action: [] },
    problems: [['error', 'policy.action.empty', `${S}/Action`]],
    kept: false,
  },
  {
    name: 'Action with a number entry',
    statement: { ...ALLOW_S3, Action: ['s3:GetObject', 3] },
    problems: [['error', 'policy.action.invalid', `${S}/Action/1`]],
    kept: false,
  },
  {
    name: 'unknown action: kept with a warning',
    statement: { ...ALLOW_S3, Action: 's3:GetObjekt' },
    problems: [['warning', 'policy.action.unknown', `${S}/Action`]],
    kept: true,
  },
  {
    name: 'unknown service: kept with a warning',
    statement: { ...ALLOW_S3, Action: ['nosuchsvc:Get*', 's3:GetObject'] },
    problems: [['warning', 'policy.action.service-unknown', `${S}/Action/0`]],
    kept: true,
  },
  {
    name: 'pattern that matches nothing: kept with a warning',
    statement: { ...ALLOW_S3, Action: 's3:Fly*' },
    problems: [['warning', 'policy.action.no-match', `${S}/Action`]],
    kept: true,
  },
  {
    name: 'service wildcard matching known services: no warning',
    statement: { ...ALLOW_S3, Action: 'code*:Get*' },
    problems: [],
    kept: true,
  },
  {
    name: 'Resource and NotResource',
    statement: { ...ALLOW_S3, NotResource: 'arn:aws:s3:::b' },
    problems: [['error', 'policy.resource.conflict', S]],
    kept: false,
  },
  {
    name: 'Resource missing in an identity policy',
    statement: { Effect: 'Allow', Action: 's3:GetObject' },
    problems: [['error', 'policy.resource.missing', S]],
    kept: false,
  },
  ...(['permissionBoundary', 'session', 'scp'] as const).map((type): StatementCase => ({
    name: `Resource missing in a ${type} policy`,
    statement: { Effect: 'Allow', Action: 's3:GetObject' },
    type,
    problems: [['error', 'policy.resource.missing', S]],
    kept: false,
  })),
  ...(['resource', 'trust', 'rcp'] as const).map((type): StatementCase => ({
    name: `Resource optional in a ${type} policy`,
    statement: { Effect: 'Deny', Principal: '*', Action: 'sts:AssumeRole' },
    type,
    problems: [],
    kept: true,
  })),
  {
    name: 'Resource empty string',
    statement: { ...ALLOW_S3, Resource: '' },
    problems: [['error', 'policy.resource.invalid', `${S}/Resource`]],
    kept: false,
  },
  {
    name: 'Resource object',
    statement: { ...ALLOW_S3, Resource: { arn: 'x' } },
    problems: [['error', 'policy.resource.invalid', `${S}/Resource`]],
    kept: false,
  },
  {
    name: 'Resource empty array',
    statement: { ...ALLOW_S3, Resource: [] },
    problems: [['error', 'policy.resource.empty', `${S}/Resource`]],
    kept: false,
  },
  ...(['identity', 'permissionBoundary', 'session', 'scp'] as const).flatMap(
    (type): StatementCase[] => [
      {
        name: `Principal forbidden in a ${type} policy`,
        statement: { ...ALLOW_S3, Principal: '*' },
        type,
        problems: [['error', 'policy.principal.forbidden', `${S}/Principal`]],
        kept: false,
      },
      {
        name: `NotPrincipal forbidden in a ${type} policy`,
        statement: { ...ALLOW_S3, Effect: 'Deny', NotPrincipal: { AWS: '111122223333' } },
        type,
        problems: [['error', 'policy.principal.forbidden', `${S}/NotPrincipal`]],
        kept: false,
      },
    ],
  ),
  ...(['resource', 'trust', 'rcp'] as const).map((type): StatementCase => ({
    name: `Principal required in a ${type} policy`,
    statement: ALLOW_S3,
    type,
    problems: [['error', 'policy.principal.missing', S]],
    kept: false,
  })),
  {
    name: 'Principal and NotPrincipal',
    statement: { ...RESOURCE_STMT, NotPrincipal: { AWS: '111122223333' } },
    type: 'resource',
    problems: [['error', 'policy.principal.conflict', S]],
    kept: false,
  },
  ...(['trust', 'rcp'] as const).map((type): StatementCase => ({
    name: `NotPrincipal not allowed in a ${type} policy`,
    statement: { Effect: 'Deny', NotPrincipal: { AWS: '111122223333' }, Action: 'sts:AssumeRole' },
    type,
    problems: [['error', 'policy.notprincipal.forbidden', `${S}/NotPrincipal`]],
    kept: false,
  })),
  {
    name: 'Deny + NotPrincipal in a resource policy',
    statement: {
      ...RESOURCE_STMT,
      Principal: undefined,
      Effect: 'Deny',
      NotPrincipal: { AWS: '111122223333' },
    },
    type: 'resource',
    problems: [],
    kept: true,
  },
  {
    name: 'Allow + NotPrincipal: kept with a warning',
    statement: {
      Effect: 'Allow',
      NotPrincipal: { AWS: '111122223333' },
      Action: 's3:GetObject',
      Resource: '*',
    },
    type: 'resource',
    problems: [['warning', 'policy.notprincipal.allow', `${S}/NotPrincipal`]],
    kept: true,
  },
  {
    name: 'Principal bare ARN string',
    statement: { ...RESOURCE_STMT, Principal: 'arn:aws:iam::111122223333:root' },
    type: 'resource',
    problems: [['error', 'policy.principal.invalid', `${S}/Principal`]],
    kept: false,
  },
  {
    name: 'Principal unknown key',
    statement: { ...RESOURCE_STMT, Principal: { AWS: '111122223333', User: 'bob' } },
    type: 'resource',
    problems: [['error', 'policy.principal.key-unknown', `${S}/Principal/User`]],
    kept: false,
  },
  {
    name: 'Principal empty object',
    statement: { ...RESOURCE_STMT, Principal: {} },
    type: 'resource',
    problems: [['error', 'policy.principal.empty', `${S}/Principal`]],
    kept: false,
  },
  {
    name: 'Principal value a number',
    statement: { ...RESOURCE_STMT, Principal: { AWS: ['111122223333', 111122223333] } },
    type: 'resource',
    problems: [['error', 'policy.principal.invalid', `${S}/Principal/AWS/1`]],
    kept: false,
  },
  {
    name: 'Principal empty list',
    statement: { ...RESOURCE_STMT, Principal: { Service: [] } },
    type: 'resource',
    problems: [['error', 'policy.principal.empty', `${S}/Principal/Service`]],
    kept: false,
  },
  {
    name: 'Principal empty string',
    statement: { ...RESOURCE_STMT, Principal: { AWS: '' } },
    type: 'resource',
    problems: [['error', 'policy.principal.invalid', `${S}/Principal/AWS`]],
    kept: false,
  },
  {
    name: 'partial wildcard in a principal ARN',
    statement: { ...RESOURCE_STMT, Principal: { AWS: ['111122223333', 'arn:aws:iam::*:role/x'] } },
    type: 'resource',
    problems: [['warning', 'policy.principal.partial-wildcard', `${S}/Principal/AWS/1`]],
    kept: true,
  },
  {
    name: 'principal that is a unique id (deleted role)',
    statement: { ...RESOURCE_STMT, Principal: { AWS: 'AROAEXAMPLEID123' } },
    type: 'resource',
    problems: [['warning', 'policy.principal.unrecognised', `${S}/Principal/AWS`]],
    kept: true,
  },
  {
    name: 'Condition not an object',
    statement: { ...ALLOW_S3, Condition: [] },
    problems: [['error', 'policy.condition.invalid', `${S}/Condition`]],
    kept: false,
  },
  {
    name: 'unknown condition operator',
    statement: { ...ALLOW_S3, Condition: { StringEqualz: { 'aws:x': 'y' } } },
    problems: [['error', 'policy.condition.operator-unknown', `${S}/Condition/StringEqualz`]],
    kept: false,
  },
  {
    name: 'NullIfExists is not an operator',
    statement: { ...ALLOW_S3, Condition: { NullIfExists: { 'aws:x': 'true' } } },
    problems: [['error', 'policy.condition.operator-unknown', `${S}/Condition/NullIfExists`]],
    kept: false,
  },
  {
    name: 'empty condition value list',
    statement: { ...ALLOW_S3, Condition: { StringEquals: { 'aws:PrincipalTag/team': [] } } },
    problems: [
      [
        'error',
        'policy.condition.value-empty',
        `${S}/Condition/StringEquals/aws:PrincipalTag~1team`,
      ],
    ],
    kept: false,
  },
];

describe('statement grammar', () => {
  it.each(STATEMENT_CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const r = parse(doc(c.statement), c.type ? { policyType: c.type } : {});
    expect(summary(r.problems)).toEqual(c.problems);
    const p = compiled(r);
    expect(p.statements).toHaveLength(c.kept ? 1 : 0);
    for (const problem of r.problems) {
      expect(problem.message).toMatch(/^policy `test`: [a-z`]/);
      expect(problem.message).not.toMatch(/\.$/);
    }
  });

  it('a skipped statement never appears in the compiled output, whatever its neighbours', () => {
    const invalid = STATEMENT_CASES.filter((c) => !c.kept && c.type === undefined);
    const statements = invalid.flatMap((c) => [
      c.statement,
      { ...ALLOW_S3, Sid: `ok${c.name.length}` },
    ]);
    const r = parse(doc(...statements));
    const p = compiled(r);
    // every odd (1-based even) position is valid, every other one invalid
    expect(p.statements.map((s) => s.index)).toEqual(invalid.map((_c, i) => 2 * i + 2));
    expect(
      p.statements.every((s) => s.effect === 'Allow' && s.action?.exact.has('s3:getobject')),
    ).toBe(true);
    expect(r.problems.filter((x) => x.severity === 'error')).toHaveLength(invalid.length);
  });

  it('reports every error of one statement, not just the first', () => {
    const r = parse(doc({ Effect: 'Maybe', Action: 'nope', Resource: 3, Foo: 1 }));
    expect(summary(r.problems)).toEqual([
      ['error', 'policy.statement.unknown-key', `${S}/Foo`],
      ['error', 'policy.effect.invalid', `${S}/Effect`],
      ['error', 'policy.action.invalid', `${S}/Action`],
      ['error', 'policy.resource.invalid', `${S}/Resource`],
    ]);
    expect(compiled(r).statements).toEqual([]);
  });

  it('duplicate Sids: a warning on the later one; both statements kept', () => {
    const r = parse(
      doc({ Sid: 'A', ...ALLOW_S3 }, { Sid: 'B', ...ALLOW_S3 }, { Sid: 'A', ...ALLOW_S3 }),
    );
    expect(summary(r.problems)).toEqual([['warning', 'policy.sid.duplicate', '/Statement/2/Sid']]);
    expect(compiled(r).statements.map((s) => s.sid)).toEqual(['A', 'B', 'A']);
  });

  it('omits sid when absent', () => {
    expect(compiled(parse(doc(ALLOW_S3))).statements[0]!.sid).toBeUndefined();
  });
});

describe('actions', () => {
  it('builds exact, patterns and any, lower-cased', () => {
    const p = compiled(
      parse(doc({ ...ALLOW_S3, Action: ['S3:GetObject', 's3:Get*', 'S3:LIST?ucket', 's3:get*'] })),
    );
    const a = p.statements[0]!.action!;
    expect(a.any).toBe(false);
    expect([...a.exact]).toEqual(['s3:getobject']);
    expect(a.patterns.map((g) => g.source)).toEqual(['s3:get*', 's3:list?ucket']);
    expect(a.patterns[0]!.test('s3:getbucketpolicy')).toBe(true);
    expect(a.patterns[1]!.test('s3:listbucket')).toBe(true);
    expect(p.statements[0]!.notAction).toBeUndefined();
  });

  it('"*" sets any', () => {
    const a = compiled(parse(doc({ ...ALLOW_S3, Action: '*' }))).statements[0]!.action!;
    expect(a.any).toBe(true);
    expect(a.exact.size).toBe(0);
  });

  it('NotAction compiles into notAction', () => {
    const s = compiled(
      parse(doc({ Effect: 'Deny', NotAction: ['iam:*', 'sts:GetCallerIdentity'], Resource: '*' })),
    ).statements[0]!;
    expect(s.action).toBeUndefined();
    expect(s.notAction!.patterns.map((g) => g.source)).toEqual(['iam:*']);
    expect([...s.notAction!.exact]).toEqual(['sts:getcalleridentity']);
  });
});

describe('resources', () => {
  it('compiles ARN globs; "*" sets any', () => {
    const s = compiled(parse(doc({ ...ALLOW_S3, Resource: ['arn:aws:s3:::bucket/*', '*'] })))
      .statements[0]!;
    expect(s.resource!.any).toBe(true);
    const [bucket, star] = s.resource!.patterns;
    expect(bucket!.raw).toBe('arn:aws:s3:::bucket/*');
    expect(bucket!.template).toBeUndefined();
    expect(bucket!.glob!.test('arn:aws:s3:::bucket/a/b:c')).toBe(true);
    expect(bucket!.glob!.test('arn:aws:s3:::other/a')).toBe(false);
    expect(star!.glob!.test('anything')).toBe(true);
  });

  it('does not set any for patterns that merely contain *', () => {
    const s = compiled(parse(doc({ ...ALLOW_S3, Resource: 'arn:aws:s3:::*' }))).statements[0]!;
    expect(s.resource!.any).toBe(false);
  });

  it('uses templates for policy variables under 2012-10-17', () => {
    const r = parse(doc({ ...ALLOW_S3, Resource: 'arn:aws:s3:::bucket/home/${aws:username}/*' }));
    expect(r.problems).toEqual([]);
    const pattern = compiled(r).statements[0]!.resource!.patterns[0]!;
    expect(pattern.glob).toBeUndefined();
    expect(pattern.template!.parts).toEqual([
      { kind: 'text', text: 'arn:aws:s3:::bucket/home/' },
      { kind: 'var', key: 'aws:username' },
      { kind: 'text', text: '/*' },
    ]);
  });

  it('keeps ${...} literal under 2008-10-17, with a warning', () => {
    const r = parse({
      Version: '2008-10-17',
      Statement: [
        { ...ALLOW_S3, Resource: ['arn:aws:s3:::b', 'arn:aws:s3:::bucket/${aws:username}/*'] },
      ],
    });
    expect(summary(r.problems)).toEqual([
      ['warning', 'policy.variable.disabled', `${S}/Resource/1`],
    ]);
    const pattern = compiled(r).statements[0]!.resource!.patterns[1]!;
    expect(pattern.template).toBeUndefined();
    expect(pattern.glob!.test('arn:aws:s3:::bucket/${aws:username}/x')).toBe(true);
    expect(pattern.glob!.test('arn:aws:s3:::bucket/alice/x')).toBe(false);
  });

  it('keeps ${...} literal without Version', () => {
    const r = parse({ Statement: [{ ...ALLOW_S3, Resource: 'arn:aws:s3:::${aws:username}' }] });
    expect(summary(r.problems)).toEqual([
      ['warning', 'policy.version.missing', ''],
      ['warning', 'policy.variable.disabled', `${S}/Resource`],
    ]);
    expect(compiled(r).statements[0]!.resource!.patterns[0]!.glob).toBeDefined();
  });

  it.each([
    ['arn:aws:s3:::${aws:username}', false],
    ['arn:aws:iam::${aws:PrincipalAccount}:role/x', true],
    ['arn:aws:${aws:x}:::b', true],
    ['${aws:username}', true],
    ['arn:aws:s3:::a${*}b', false],
    ['arn:aws:s3:${?}::b/${aws:username}', false],
  ])('variable position in %s -> warning %s', (resource, warns) => {
    const r = parse(doc({ ...ALLOW_S3, Resource: resource }));
    expect(summary(r.problems)).toEqual(
      warns ? [['warning', 'policy.resource.variable-position', `${S}/Resource`]] : [],
    );
    expect(compiled(r).statements[0]!.resource!.patterns[0]!.template).toBeDefined();
  });

  it('treats ${constructor} as a variable, not an escape', () => {
    const r = parse(doc({ ...ALLOW_S3, Resource: 'arn:aws:s3:::b/${constructor}' }));
    expect(r.problems).toEqual([]);
    expect(compiled(r).statements[0]!.resource!.patterns[0]!.template!.parts[1]).toEqual({
      kind: 'var',
      key: 'constructor',
    });
  });

  it('NotResource compiles into notResource', () => {
    const s = compiled(parse(doc({ Effect: 'Deny', Action: '*', NotResource: 'arn:aws:s3:::b' })))
      .statements[0]!;
    expect(s.resource).toBeUndefined();
    expect(s.notResource!.patterns[0]!.glob!.test('arn:aws:s3:::b')).toBe(true);
  });
});

describe('principals', () => {
  const trust = (principal: unknown) =>
    parse(doc({ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole' }), {
      policyType: 'trust',
    });

  it.each([['*'], [{ AWS: '*' }], [{ AWS: ['arn:aws:iam::111122223333:root', '*'] }]])(
    '%j sets any',
    (principal) => {
      const r = trust(principal);
      expect(r.problems).toEqual([]);
      expect(compiled(r).statements[0]!.principal!.any).toBe(true);
    },
  );

  it('normalises account ids, lower-cases services, keeps the rest as written', () => {
    const r = trust({
      AWS: [
        '111122223333',
        'arn:aws:iam::444455556666:role/Deploy',
        'arn:aws-cn:iam::777788889999:root',
      ],
      Service: ['CodePipeline.amazonaws.com', 'codebuild.amazonaws.com'],
      Federated: 'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com',
      CanonicalUser: '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be',
    });
    expect(r.problems).toEqual([]);
    expect(compiled(r).statements[0]!.principal).toEqual({
      any: false,
      aws: [
        'arn:aws:iam::111122223333:root',
        'arn:aws:iam::444455556666:role/Deploy',
        'arn:aws-cn:iam::777788889999:root',
      ],
      // the bare id also kept as written: it names the account in the caller's partition
      accounts: ['111122223333'],
      service: ['codepipeline.amazonaws.com', 'codebuild.amazonaws.com'],
      federated: ['arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com'],
      canonicalUser: ['79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be'],
    });
  });

  it('does not normalise ids that are not exactly 12 digits', () => {
    const r = trust({ AWS: '11112222333' });
    expect(summary(r.problems)).toEqual([
      ['warning', 'policy.principal.unrecognised', `${S}/Principal/AWS`],
    ]);
    expect(compiled(r).statements[0]!.principal!.aws).toEqual(['11112222333']);
    expect(compiled(r).statements[0]!.principal!.accounts).toEqual([]);
  });

  it('keeps a partially wildcarded principal literally', () => {
    const r = trust({ AWS: 'arn:aws:iam::111122223333:role/*', Service: '*.amazonaws.com' });
    expect(summary(r.problems)).toEqual([
      ['warning', 'policy.principal.partial-wildcard', `${S}/Principal/AWS`],
      ['warning', 'policy.principal.partial-wildcard', `${S}/Principal/Service`],
    ]);
    const p = compiled(r).statements[0]!.principal!;
    expect(p.any).toBe(false);
    expect(p.aws).toEqual(['arn:aws:iam::111122223333:role/*']);
    expect(p.service).toEqual(['*.amazonaws.com']);
  });

  it('NotPrincipal compiles into notPrincipal in a resource policy', () => {
    const r = parse(
      doc({
        Effect: 'Deny',
        NotPrincipal: { AWS: ['111122223333'] },
        Action: 's3:*',
        Resource: '*',
      }),
      { policyType: 'resource' },
    );
    expect(r.problems).toEqual([]);
    const s = compiled(r).statements[0]!;
    expect(s.principal).toBeUndefined();
    expect(s.notPrincipal!.aws).toEqual(['arn:aws:iam::111122223333:root']);
    expect(s.notPrincipal!.accounts).toEqual(['111122223333']);
  });
});

describe('isCompiledPolicy', () => {
  it('recognises parse output only', () => {
    expect(isCompiledPolicy(parse(doc(ALLOW_S3)).policy)).toBe(true);
    expect(isCompiledPolicy(doc(ALLOW_S3))).toBe(false);
    expect(isCompiledPolicy({ statements: [] })).toBe(false);
    expect(isCompiledPolicy(null)).toBe(false);
    expect(isCompiledPolicy('{}')).toBe(false);
    expect(isCompiledPolicy(undefined)).toBe(false);
  });
});
