/**
 * YAML that could make reading a template or stacks file hang, overflow the stack or read as
 * something it is not: many anchors and aliases (the library's `Alias.resolve` walked the whole
 * document for each alias), an alias that names no anchor (read as null without a word), an
 * alias bomb before `Resources` (reported as "the template has no `Resources`") and nesting deep
 * enough to overflow the parser's stack (an error with no line).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Alias, YAMLMap, parseDocument } from 'yaml';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { noManagedPolicies } from '../../../src/load/managedPolicies.js';
import { loadSingleTemplate, loadStacksFile } from '../../../src/load/stacks.js';
import { parseTemplateText } from '../../../src/load/templateParse.js';
import { aliasTargets } from '../../../src/model/yamlAnchors.js';

const DEMO = readFileSync('fixtures/templates/demo-pipeline-v2.yaml', 'utf8');
const ENV = { account: '111111111111', region: 'us-east-1', managedPolicies: noManagedPolicies };

/** `Metadata` with `n` anchors, then a list of an alias to each. */
function anchored(n: number, indent = '  '): string {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) lines.push(`${indent}x${i}: &x${i} v${i}`);
  lines.push(`${indent}refs: [${Array.from({ length: n }, (_, i) => `*x${i}`).join(', ')}]`);
  return lines.join('\n') + '\n';
}

function withTemp<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'permchain-yaml-'));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('YAML aliases', () => {
  // the library's Alias.resolve walks the whole document: called once per alias, reading 8,000
  // anchors and aliases (230 KB) took minutes
  const resolve = vi.spyOn(Alias.prototype, 'resolve');
  afterEach(() => resolve.mockClear());
  afterAll(() => resolve.mockRestore());

  // CloudFormation does not support aliases (yamlUnsupported.test.ts): a template's are read
  // expanded, as `sam package` reads them, with a warning for each of the first 20
  it('are resolved in one pass: 8,000 anchors and aliases (230 KB) are read', () => {
    const text = DEMO.replace('Parameters:', `Metadata:\n${anchored(8000)}Parameters:`);
    const parsed = parseTemplateText(text, 'anchors.yaml');
    expect(parsed.problems.map((p) => `${p.severity} ${p.id}`)).toEqual(
      Array(20).fill('warning template.yaml.alias'),
    );
    expect(parsed.problems[0]!.pointer).toBe('/Metadata/refs/0');
    const refs = (parsed.value as { Metadata: { refs: string[] } }).Metadata.refs;
    expect(refs).toHaveLength(8000);
    expect(refs[0]).toBe('v0');
    expect(refs[7999]).toBe('v7999');
    expect(resolve).not.toHaveBeenCalled();
  });

  it('are not each resolved by a walk of the whole document', () => {
    const text = DEMO.replace('Parameters:', `Metadata:\n${anchored(500)}Parameters:`);
    expect(parseTemplateText(text, 'anchors.yaml').value).toBeDefined();
    expect(resolve).not.toHaveBeenCalled();
  });

  it('as map keys naming a map are not written out once per key (quadratic)', () => {
    // one 2,000-entry map anchored, and 300 keys `? *A`: each key turned the whole map into text
    const entries = Array.from({ length: 2000 }, (_, i) => `    k${i}: v${i}`).join('\n');
    const keys = Array.from({ length: 300 }, () => '    ? *A\n    : x').join('\n');
    const text = DEMO.replace(
      'Parameters:',
      `Metadata:\n  big: &A\n${entries}\n  keyed:\n${keys}\nParameters:`,
    );
    const toText = vi.spyOn(YAMLMap.prototype, 'toString');
    try {
      parseTemplateText(text, 'keys.yaml');
      expect(toText).not.toHaveBeenCalled();
    } finally {
      toText.mockRestore();
    }
  });

  it('in a stacks file of 8,000 anchors are read too', () => {
    withTemp((dir) => {
      writeFileSync(join(dir, 't.yaml'), DEMO);
      const file = join(dir, 'stacks.yaml');
      writeFileSync(
        file,
        'stacks:\n  - template: t.yaml\n    account: "111111111111"\n    region: us-east-1\n' +
          anchored(8000, ''),
      );
      const { model, problems } = loadStacksFile(file, { managedPolicies: noManagedPolicies });
      expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
      expect(model.accounts.get('111111111111')?.regions.get('us-east-1')?.pipelines.size).toBe(1);
      expect(resolve).not.toHaveBeenCalled();
    });
  });

  it('name the last anchor of their name before them, a key anchor included', () => {
    const doc = parseDocument('a: &x 1\nb: *x\nc: &x 2\n&k d: *x\ne: *k\nf: *nope\n');
    const targets = [...aliasTargets(doc)].map(([alias, node]) => [
      alias.source,
      node === undefined ? undefined : String((node as { value?: unknown }).value),
    ]);
    expect(targets).toEqual([
      ['x', '1'],
      ['x', '2'],
      ['k', 'd'],
      ['nope', undefined],
    ]);
  });

  it('that name no anchor are an error naming the file and line, not a null', () => {
    const text = DEMO.replace(
      /RoleArn: !Sub arn:\$\{AWS::Partition\}:iam::\$\{ProdAccount\}:role\/demo-deploy-action/,
      'RoleArn: *nope',
    );
    const line = text.split('\n').findIndex((l) => l.includes('*nope')) + 1;
    const parsed = parseTemplateText(text, 't.yaml');
    expect(parsed.value).toBeUndefined();
    expect(parsed.problems.map((p) => [p.severity, p.id, p.file])).toEqual([
      ['error', 'template.syntax.invalid', 't.yaml'],
    ]);
    expect(parsed.problems[0]!.message).toBe(
      `line ${line}, column 24: the alias \`*nope\` names no anchor \`&nope\` before it`,
    );
    // as a key, too
    const key = parseTemplateText('Resources:\n  *nope : 1\n', 'k.yaml');
    expect(key.value).toBeUndefined();
    expect(key.problems.map((p) => p.message)).toEqual([
      'line 2, column 3: the alias `*nope` names no anchor `&nope` before it',
    ]);
  });
});

describe('the problems of an anchored value', () => {
  // each copy an alias made said the anchor's problems again: a 2 KB template of aliases of
  // aliases of an unknown tag made 200,000 problems (25 MB of report)
  it('are said once, where the anchor is written, however many aliases repeat it', () => {
    const list = (n: number, v: string): string => Array.from({ length: n }, () => v).join(', ');
    const text = `a: &a [${list(100, '!Foo x')}, 0123]\nb: &b [${list(100, '*a')}]\nc: [${list(20, '*b')}]\n`;
    const parsed = parseTemplateText(text, 't.yaml');
    const count = (id: string): number => parsed.problems.filter((p) => p.id === id).length;
    expect(count('template.tag.unknown')).toBe(100);
    expect(count('template.value.leading-zero')).toBe(1);
    expect(parsed.problems.filter((p) => !p.pointer.startsWith('/a/')).map((p) => p.id)).toEqual(
      Array.from({ length: 20 }, () => 'template.yaml.alias'),
    );
  });
});

describe('a template past the bounds', () => {
  it('of alias expansion before `Resources` says so with the line, not "no `Resources`"', () => {
    const lol =
      'Metadata:\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n' +
      Array.from(
        { length: 9 },
        (_, i) => `  a${i + 1}: &a${i + 1} [${Array(10).fill(`*a${i}`).join(', ')}]\n`,
      ).join('');
    withTemp((dir) => {
      const path = join(dir, 'lol.yaml');
      writeFileSync(path, DEMO.replace('Parameters:', `${lol}Parameters:`));
      const { problems } = loadSingleTemplate(path, ENV);
      expect(problems.map((p) => [p.severity, p.id])).toEqual([
        ['error', 'template.size.exceeded'],
      ]);
      expect(problems[0]!.file).toMatch(/lol\.yaml$/);
      // where the expansion that ran over starts: the aliases of `a5` (about 1,100,000 values)
      const line = DEMO.split('\n').findIndex((l) => l.startsWith('Parameters:')) + 1 + 6;
      expect(problems[0]!.message).toMatch(
        new RegExp(`^line ${line}, column \\d+: the aliases expand to more than 500000 values`),
      );
    });
  });

  it('in a stacks file is an error naming the line too', () => {
    withTemp((dir) => {
      const file = join(dir, 'stacks.yaml');
      const bomb = Array.from(
        { length: 9 },
        (_, i) => `a${i + 1}: &a${i + 1} [${Array(10).fill(`*a${i}`).join(', ')}]`,
      );
      // `a6` (line 7) is where the expansion runs over
      writeFileSync(file, ['stacks: []', 'a0: &a0 [lol, lol, lol]', ...bomb, ''].join('\n'));
      const { problems } = loadStacksFile(file, { managedPolicies: noManagedPolicies });
      expect(problems.map((p) => [p.severity, p.id])).toEqual([['error', 'stacks.file.invalid']]);
      expect(problems[0]!.message).toMatch(
        /^the stacks file is too large or too deeply nested: line 7, column \d+: the aliases expand/,
      );
    });
  });

  it('of nesting (3,000 levels of block YAML) is an error naming the line, not a stack overflow', () => {
    let deep = 'Metadata:\n';
    for (let i = 0; i < 3000; i++) deep += `${' '.repeat(i + 2)}k${i}:\n`;
    deep += `${' '.repeat(3002)}v\n`;
    const parsed = parseTemplateText(DEMO.replace('Parameters:', `${deep}Parameters:`), 'd.yaml');
    expect(parsed.value).toBeUndefined();
    expect(parsed.problems.map((p) => [p.severity, p.id, p.file])).toEqual([
      ['error', 'template.size.exceeded', 'd.yaml'],
    ]);
    expect(parsed.problems[0]!.message).toMatch(
      /^line \d+, column \d+: the file is nested more than 256 levels deep: it is not read$/,
    );
  });

  it('of nesting in a flow collection is reported the same way', () => {
    const parsed = parseTemplateText(
      'Resources: {}\nMetadata: ' + '['.repeat(20000) + ']'.repeat(20000) + '\n',
      'f.yaml',
    );
    expect(parsed.value).toBeUndefined();
    expect(parsed.problems.map((p) => [p.id, p.message])).toEqual([
      [
        'template.size.exceeded',
        'line 2, column 268: the file is nested more than 256 levels deep: it is not read',
      ],
    ]);
  });
});
