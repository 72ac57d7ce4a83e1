/**
 * An unknown value inside a list taken from another stack (`Fn::ImportValue`) is anchored where
 * this stack uses it, at its place in the value, to MAX_DEPTH levels (TemplateStack.anchor): one
 * within the bound is this template's element with the other template's place as its origin; one
 * beyond it is left as it is (the bound guards against hostile nesting). Whether a list holds an
 * unknown within the bound depends on the depth it is looked at from: a list seen deep inside one
 * import and then imported whole is looked at again from its own top.
 */
import { describe, expect, it } from 'vitest';
import { MAX_DEPTH, Unresolved } from '../../../src/load/intrinsics.js';
import { parseTemplateText } from '../../../src/load/templateParse.js';
import { TemplateStack, type StackRegistry } from '../../../src/load/templateStack.js';

const ACCOUNT = '111111111111';

/** `n` levels of flow lists around `inner` */
const nest = (n: number, inner: string): string => `${'['.repeat(n)}${inner}${']'.repeat(n)}`;

/**
 * The exporting stack: `Env` is an SSM parameter type that is not given (an unknown value of its
 * own). `Shallow` exports `!Ref Env` in `shallow` levels of lists. `Deep` exports the value of an
 * SSM parameter resource whose value holds, `outer` levels down, the value of another whose value
 * holds `!Ref Env` `inner` levels down: the unknown is `outer + inner` levels deep, more than one
 * resolution makes (MAX_DEPTH). `Inner` is the list of `Deep` `outer` levels down.
 */
function exporter(shallow: number, outer: number, inner: number): string {
  return [
    'Parameters:',
    '  Env: { Type: "AWS::SSM::Parameter::Value<String>", Default: /env }',
    'Resources:',
    '  P1:',
    '    Type: AWS::SSM::Parameter',
    `    Properties: { Type: String, Value: ${nest(inner, '!Ref Env')} }`,
    '  P2:',
    '    Type: AWS::SSM::Parameter',
    `    Properties: { Type: String, Value: ${nest(outer, '!GetAtt P1.Value')} }`,
    'Outputs:',
    `  Shallow: { Value: ${nest(shallow, '!Ref Env')}, Export: { Name: shallow } }`,
    '  Deep: { Value: !GetAtt P2.Value, Export: { Name: deep } }',
    `  Inner: { Value: ${selects(outer, '!GetAtt P2.Value')}, Export: { Name: inner } }`,
  ].join('\n');
}

/** `!Select [0, ...]` `n` times around `inner`, in flow style */
function selects(n: number, inner: string): string {
  let s = inner;
  for (let i = 0; i < n; i++) s = `!Select [0, ${s}]`;
  return s;
}

function stacks(shallow: number, outer: number, inner: number): { app: TemplateStack } {
  const all: TemplateStack[] = [];
  const registry: StackRegistry = {
    stack: (name) => all.find((s) => s.name === name),
    all: () => all,
  };
  const make = (name: string, text: string): TemplateStack => {
    const file = `${name}.yaml`;
    const parsed = parseTemplateText(text, file);
    expect(parsed.problems).toEqual([]);
    const s = new TemplateStack(
      { name, account: ACCOUNT, region: 'us-east-1', file, parameters: new Map() },
      parsed,
      registry,
    );
    all.push(s);
    return s;
  };
  make('exp', exporter(shallow, outer, inner));
  const app = make('app', 'Resources:\n  B: { Type: AWS::S3::Bucket }\n');
  return { app };
}

/** the value `n` levels down the first elements of `v`, and the pointer suffix of that place */
function down(v: unknown, n: number): { value: unknown; path: string } {
  let x = v;
  for (let i = 0; i < n; i++) {
    expect(Array.isArray(x)).toBe(true);
    x = (x as unknown[])[0];
  }
  return { value: x, path: '/0'.repeat(n) };
}

function unknownAt(v: unknown, n: number): { u: Unresolved; path: string } {
  const { value, path } = down(v, n);
  expect(value).toBeInstanceOf(Unresolved);
  return { u: value as Unresolved, path };
}

const SSM_REASON =
  'parameter `Env` reads the ssm parameter `/env` at deploy time, so its value is not known offline';

describe('an unknown value nested in an imported list', () => {
  it('within the bound (100 levels) is anchored where this stack uses it, its origin the other template', () => {
    const { app } = stacks(100, 5, 10);
    const { u, path } = unknownAt(app.importValue('shallow', '/X/Fn::ImportValue'), 100);
    expect(u.reason).toBe(SSM_REASON);
    expect(u.pointer).toBe(`/X/Fn::ImportValue${path}`);
    expect(u.origin?.file).toBe('exp.yaml');
    expect(u.origin?.pointer).toBe(`/Outputs/Shallow/Value${path}/Ref`);
    expect(u.origin?.line).toBe(11);
  });

  it(`at the bound (${MAX_DEPTH + 1} levels: an element of a list ${MAX_DEPTH} levels down) is anchored too`, () => {
    // the other template's own resolution stops there: the unknown is its "nested too deeply"
    const { app } = stacks(MAX_DEPTH + 1, 5, 10);
    const { u, path } = unknownAt(app.importValue('shallow', '/X'), MAX_DEPTH + 1);
    expect(u.pointer).toBe(`/X${path}`);
    expect(u.origin?.file).toBe('exp.yaml');
  });

  it(`beyond the bound (${MAX_DEPTH + 2} levels) is left as it is`, () => {
    const outer = 5;
    const inner = MAX_DEPTH - 3;
    const { app } = stacks(10, outer, inner);
    const deep = app.importValue('deep', '/X');
    const { u } = unknownAt(deep, outer + inner);
    expect(u.reason).toBe(SSM_REASON);
    // the pointer in the other template where it was made (P2's use of P1's value), no origin
    expect(u.pointer).toBe(
      `/Resources/P2/Properties/Value${'/0'.repeat(outer)}/Fn::GetAtt${'/0'.repeat(inner)}`,
    );
    expect(u.origin).toBeUndefined();
  });

  it('within the bound of a list it is imported as, after that list was seen beyond the bound in another import, is anchored', () => {
    const outer = 5;
    const inner = MAX_DEPTH - 3;
    for (const order of [
      ['deep', 'inner'],
      ['inner', 'deep'],
    ]) {
      const { app } = stacks(10, outer, inner);
      const got = new Map(order.map((name) => [name, app.importValue(name, `/${name}`)]));
      // `Inner` is the list `Deep` holds `outer` levels down: its unknown is `inner` levels down
      const { u, path } = unknownAt(got.get('inner'), inner);
      expect(u.pointer, order.join(' then ')).toBe(`/inner${path}`);
      expect(u.origin?.file, order.join(' then ')).toBe('exp.yaml');
      // and `Deep`'s is still beyond the bound
      expect(unknownAt(got.get('deep'), outer + inner).u.origin).toBeUndefined();
    }
  });
});

describe('a value shared along many paths', () => {
  // the 60 s timeout is a hang guard for the 50^7 paths, not a speed measurement
  it('is walked once from each depth, not along every path (50^7 paths)', () => {
    // P0 is 50 texts; each next one is 50 times the value of the one before: one list each,
    // the texts of P0 reached along 50^7 paths
    const lines = ['Resources:', '  B: { Type: AWS::S3::Bucket }'];
    lines.push(
      `  P0: { Type: AWS::SSM::Parameter, Properties: { Type: String, Value: [${Array(50).fill('x').join(', ')}] } }`,
    );
    for (let i = 1; i <= 6; i++) {
      lines.push(
        `  P${i}: { Type: AWS::SSM::Parameter, Properties: { Type: String, Value: [${Array(50)
          .fill(`!GetAtt P${i - 1}.Value`)
          .join(', ')}] } }`,
      );
    }
    lines.push('Outputs:', '  All: { Value: !GetAtt P6.Value, Export: { Name: all } }');
    const all: TemplateStack[] = [];
    const registry: StackRegistry = {
      stack: (name) => all.find((s) => s.name === name),
      all: () => all,
    };
    for (const [name, text] of [
      ['exp', lines.join('\n')],
      ['app', 'Resources:\n  B: { Type: AWS::S3::Bucket }\n'],
    ] as const) {
      all.push(
        new TemplateStack(
          {
            name,
            account: ACCOUNT,
            region: 'us-east-1',
            file: `${name}.yaml`,
            parameters: new Map(),
          },
          parseTemplateText(text, `${name}.yaml`),
          registry,
        ),
      );
    }
    const v = all[1]!.importValue('all', '/X');
    expect(down(v, 7).value).toBe('x');
  }, 60_000);
});
