/**
 * CloudFormation "supports the YAML Version 1.1 specification with a few exceptions. AWS
 * CloudFormation doesn't support the following features: The binary, omap, pairs, set, and
 * timestamp tags; Aliases; Hash merges"
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-formats.html). The
 * loader read them all: an alias repeated its anchor, a merge key `<<` was a key of that name
 * (the merged keys missing), `!!binary` was bytes. `aws cloudformation package` and `sam package`
 * read templates with PyYAML, which expands aliases and merges, and write them back without:
 * aliases and merges are read as PyYAML reads them, each with a warning that CloudFormation alone
 * rejects the template; each unsupported tag is an input error naming its line and pointer, and
 * the template is not read (exit 2), the other templates of the input still analysed. A stacks
 * file is not a template: its aliases stay YAML's.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseTemplateText } from '../../../src/load/templateParse.js';
import type { Report } from '../../../src/report/types.js';
import { tempFolders } from '../../cli/demoCopy.js';
import { runCli } from '../../cli/runCli.js';
import { analyzeTemplateText } from './templateModel.js';

type Json = Record<string, unknown>;

const { tempDir, removeTempDirs } = tempFolders();
afterAll(removeTempDirs);

const SOURCE = readFileSync('test/load/templates/fixtures/unknowns/policy-roles.yaml', 'utf8');
const DENY_POLICY = SOURCE.slice(SOURCE.indexOf('  DenyPolicy:'), SOURCE.indexOf('  Pipeline:'));
/** the fixture without its lockdown policy (whose roles depend on an SSM parameter) */
const BASE = SOURCE.replace(DENY_POLICY, '');

/** `text` with `from` (found once) replaced by `to` */
function edit(text: string, from: string, to: string): string {
  expect(text.split(from)).toHaveLength(2);
  return text.replace(from, to);
}

/** the build role's `Properties` taken from the pipeline role's, by an anchor and an alias */
const ALIASED = edit(
  edit(
    BASE,
    '  PipelineRole:\n    Type: AWS::IAM::Role\n    Properties:',
    '  PipelineRole:\n    Type: AWS::IAM::Role\n    Properties: &roleProps',
  ),
  '  BuildRole:\n    Type: AWS::IAM::Role\n    Properties:\n',
  '  BuildRole:\n    Type: AWS::IAM::Role\n    Properties: *roleProps\n  Unused:\n    Type: AWS::IAM::Role\n    Properties:\n',
);
/** the build role's `Properties` merged from the pipeline role's, its own name over them */
const MERGED = edit(
  edit(
    BASE,
    '  PipelineRole:\n    Type: AWS::IAM::Role\n    Properties:',
    '  PipelineRole:\n    Type: AWS::IAM::Role\n    Properties: &roleProps',
  ),
  '  BuildRole:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: build-role\n',
  '  BuildRole:\n    Type: AWS::IAM::Role\n    Properties:\n      <<: *roleProps\n      RoleName: build-role\n  Unused:\n    Type: AWS::IAM::Role\n    Properties:\n',
);

const problemsOf = (text: string): string[] =>
  parseTemplateText(text, 't.yaml').problems.map(
    (p) => `${p.severity} ${p.id} ${p.pointer} ${p.message}`,
  );

const ALIAS_WORDS =
  'CloudFormation does not support aliases and rejects the template as written; `aws cloudformation package` and `sam package` (and so `sam deploy`) expand them, and permchain read it so';
const MERGE_WORDS =
  'CloudFormation does not support hash merges and rejects the template as written; `aws cloudformation package` and `sam package` (and so `sam deploy`) expand them, and permchain read it so';

describe('a YAML alias in a template', () => {
  // `aws cloudformation package` and `sam package` read the template with PyYAML, which expands
  // aliases, and write it back without them: a template deployed through them may use aliases
  it('is read expanded, as PyYAML reads it, with a warning at its line and pointer', () => {
    const r = analyzeTemplateText(ALIASED);
    expect(r.problems).toEqual(['warning /Resources/BuildRole/Properties template.yaml.alias']);
    expect(r.links.length).toBe(analyzeTemplateText(BASE).links.length);
    const line = ALIASED.split('\n').findIndex((l) => l.includes('*roleProps')) + 1;
    expect(problemsOf(ALIASED)).toEqual([
      `warning template.yaml.alias /Resources/BuildRole/Properties line ${line}, column 17: the YAML alias \`*roleProps\`: ${ALIAS_WORDS}`,
    ]);
    const resources = (parseTemplateText(ALIASED, 't.yaml').value as Json)['Resources'] as Json;
    expect((resources['BuildRole'] as Json)['Properties']).toEqual(
      (resources['PipelineRole'] as Json)['Properties'],
    );
  });

  it('each alias is one warning, as a value, a list element and a key; an anchor alone is none', () => {
    const parsed = parseTemplateText(
      'A: &a x\nB: [*a, z]\nC:\n  *a : 1\nD: &unused { k: 1 }\n',
      't.yaml',
    );
    expect(parsed.value).toEqual({ A: 'x', B: ['x', 'z'], C: { x: 1 }, D: { k: 1 } });
    expect(
      parsed.problems.map(
        (p) => `${p.severity} ${p.id} ${p.pointer} ${p.message.slice(0, p.message.indexOf(':'))}`,
      ),
    ).toEqual([
      'warning template.yaml.alias /B/0 line 2, column 5',
      'warning template.yaml.alias /C/x line 4, column 3',
    ]);
    expect(parseTemplateText('A: &a x\nB: { k: 1 }\n', 't.yaml')).toMatchObject({
      value: { A: 'x', B: { k: 1 } },
      problems: [],
    });
  });

  it('with a key written twice: the template is not read, for the key', () => {
    expect(
      parseTemplateText('A: &a\n  x: 1\n  x: 2\nB: *a\n', 't.yaml').problems.map(
        (p) => `${p.severity} ${p.id} ${p.message.slice(0, p.message.indexOf(':'))}`,
      ),
    ).toEqual(['error template.syntax.invalid line 3, column 3']);
  });

  it('in a stacks file is YAML: expanded, no problem (a merge key merges, as in a template, without a warning)', () => {
    const stacks = parseTemplateText(
      'a: &acct "111111111111"\nb: *acct\nc:\n  <<: { k: 1 }\n',
      's.yaml',
      {
        yaml11: false,
      },
    );
    expect(stacks.problems).toEqual([]);
    expect(stacks.value).toEqual({ a: '111111111111', b: '111111111111', c: { k: 1 } });
  });

  it('in a stacks file, `<<: *defaults` gives a stack the account and region it merges (it was a key `<<`: "expected `template`, `account` and `region`")', async () => {
    const dir = tempDir('yaml-stacks-merge');
    writeFileSync(join(dir, 'good.yaml'), BASE);
    writeFileSync(
      join(dir, 'stacks.yaml'),
      [
        'defaults: &env',
        '  account: "111111111111"',
        '  region: us-east-1',
        'stacks:',
        '  - <<: *env',
        '    template: good.yaml',
        '    name: good',
        '',
      ].join('\n'),
    );
    const json = await runCli(dir, 'analyze', 'stacks.yaml', '--format', 'json');
    expect(json.code).not.toBe(2);
    const report = JSON.parse(json.out) as Report;
    expect(report.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(report.pipelines.map((p) => p.arn)).toEqual([
      'arn:aws:codepipeline:us-east-1:111111111111:app',
    ]);
    // a merge of what is not a map says the file, not a template
    const bad = parseTemplateText('stacks:\n  - <<: 5\n', 's.yaml', { yaml11: false });
    expect(bad.value).toBeUndefined();
    expect(bad.problems.map((p) => p.message)).toEqual([
      'line 2, column 9: the value of a YAML merge key `<<` is not a map or a list of maps: the file is not read',
    ]);
  });
});

describe('a YAML merge key in a template', () => {
  it('is merged, as PyYAML merges it, with a warning at its line and pointer (read as a key `<<`, the merged role had no trust policy or policies)', () => {
    const r = analyzeTemplateText(MERGED);
    expect(r.problems).toEqual(['warning /Resources/BuildRole/Properties/<< template.yaml.merge']);
    const line = MERGED.split('\n').findIndex((l) => l.includes('<<: *roleProps')) + 1;
    // one place: the alias it merges goes with it
    expect(problemsOf(MERGED)).toEqual([
      `warning template.yaml.merge /Resources/BuildRole/Properties/<< line ${line}, column 7: the YAML merge key \`<<\`: ${MERGE_WORDS}`,
    ]);
    const resources = (parseTemplateText(MERGED, 't.yaml').value as Json)['Resources'] as Json;
    const pipelineRole = (resources['PipelineRole'] as Json)['Properties'] as Json;
    // its own RoleName over the merged one
    expect((resources['BuildRole'] as Json)['Properties']).toEqual({
      ...pipelineRole,
      RoleName: 'build-role',
    });
    // the merged trust policy (CodePipeline's) is the build role's: CodeBuild may not assume it
    expect(
      r.links
        .filter((l) => l.decision !== 'Allowed')
        .map((l) => `${l.principal} ${l.permission}`)
        .slice(0, 1),
    ).toEqual(['codebuild.amazonaws.com sts:AssumeRole']);
  });

  it('of a map written in place, of a list of aliases (the first one first), or tagged `!!merge`', () => {
    const read = (text: string): unknown[] => {
      const parsed = parseTemplateText(text, 't.yaml');
      return [parsed.value, ...parsed.problems.map((p) => `${p.severity} ${p.id} ${p.pointer}`)];
    };
    expect(read('A:\n  <<: { k: 1, j: 1 }\n  j: 2\n')).toEqual([
      { A: { j: 2, k: 1 } },
      'warning template.yaml.merge /A/<<',
    ]);
    expect(
      read('X: &x { k: 1, j: 0 }\nY: &y { j: 1, m: 2 }\nA:\n  <<: [*x, *y]\n  m: 3\n'),
    ).toEqual([
      { X: { k: 1, j: 0 }, Y: { j: 1, m: 2 }, A: { k: 1, j: 0, m: 3 } },
      'warning template.yaml.merge /A/<<',
    ]);
    // the library reads a `!!merge` key as a merge, whatever its text
    expect(read('A:\n  !!merge "<<": { k: 1 }\n')).toEqual([
      { A: { k: 1 } },
      'warning template.yaml.merge /A/<<',
    ]);
  });

  it('of a value that is not a map is an input error, and the template is not read (PyYAML refuses it too)', () => {
    const parsed = parseTemplateText('A:\n  <<: 5\n', 't.yaml');
    expect(parsed.value).toBeUndefined();
    expect(parsed.problems.map((p) => `${p.severity} ${p.id} ${p.pointer} ${p.message}`)).toEqual([
      'error template.yaml.merge /A/<< line 2, column 7: the value of a YAML merge key `<<` is not a map or a list of maps: the template is not read',
    ]);
  });

  it('of a map written in place is read as any map: its unsupported tags are input errors, its values warned of (it was read unrecorded: `!!binary` became bytes)', () => {
    const shown = (text: string): string[] =>
      parseTemplateText(text, 't.yaml').problems.map(
        (p) => `${p.severity} ${p.id} ${p.pointer} ${p.message.slice(0, 30)}`,
      );
    const binary = parseTemplateText('A:\n  <<: { Data: !!binary aGVsbG8= }\n', 't.yaml');
    expect(binary.value).toBeUndefined();
    expect(shown('A:\n  <<: { Data: !!binary aGVsbG8= }\n')).toEqual([
      'error template.yaml.tag /A/Data line 2, column 24: CloudFormat',
    ]);
    expect(shown('A:\n  <<: [{ D: !!set { a } }]\n')).toEqual([
      'error template.yaml.tag /A/D line 2, column 19: CloudFormat',
    ]);
    // a YAML 1.1 Boolean, and an alias, in it are warned of as anywhere else
    expect(shown('B: &b { z: 1 }\nA:\n  <<: { Y: yes, Z: *b }\n')).toEqual([
      'warning template.value.yaml11 /A/Y `yes` is unquoted: CloudFormat',
      'warning template.yaml.merge /A/<< line 3, column 3: the YAML mer',
      'warning template.yaml.alias /A/Z line 3, column 20: the YAML al',
    ]);
  });

  it("a map written in place keeps the positions of the map's own keys; the keys it gives are where it writes them", () => {
    const parsed = parseTemplateText(
      'A:\n  K: { P: 1 }\n  <<: { K: { P: 2 }, M: { Q: 3 } }\n',
      't.yaml',
    );
    expect(parsed.value).toEqual({ A: { K: { P: 1 }, M: { Q: 3 } } });
    const at = (p: string): string => {
      const pos = parsed.positions.get(p);
      return pos ? `${pos.line}:${pos.column}` : 'none';
    };
    expect(['/A', '/A/K', '/A/K/P', '/A/M', '/A/M/Q'].map(at)).toEqual([
      '1:1',
      '2:3',
      '2:8',
      '3:22',
      '3:27',
    ]);
  });

  it.each([
    [
      '!Ref Other',
      'a scalar under a CloudFormation tag, which the walk made a map `{ Ref: Other }`',
    ],
    ['!GetAtt R.Arn', 'a scalar'],
  ])(
    '`<<: %s` is an input error, as PyYAML refuses it (%s): it was merged as the map of its function',
    (value) => {
      const parsed = parseTemplateText(`A:\n  J: 2\n  <<: ${value}\n`, 't.yaml');
      expect(parsed.value).toBeUndefined();
      expect(parsed.problems.map((p) => `${p.severity} ${p.id} ${p.pointer}`)).toEqual([
        'error template.yaml.merge /A/<<',
      ]);
    },
  );

  it('of a value under an unsupported tag is an input error naming the tag (`!!set` is no map for PyYAML; `!!omap` and `!!binary` were merged as their entries and bytes)', () => {
    for (const [value, tag] of [
      ['!!set { a, b }', 'set'],
      ['!!omap [a: 1]', 'omap'],
      ['!!binary aGVsbG8=', 'binary'],
    ]) {
      const parsed = parseTemplateText(`A:\n  J: 2\n  <<: ${value}\n`, 't.yaml');
      expect(parsed.value).toBeUndefined();
      expect(parsed.problems.map((p) => `${p.severity} ${p.id} ${p.pointer} ${p.message}`)).toEqual(
        [
          `error template.yaml.tag /A/<< line 3, column ${10 + tag!.length}: CloudFormation does not support the YAML tag \`!!${tag}\`: the template is not read`,
        ],
      );
    }
  });

  it('bounded: a merge of its own anchor, a deep chain of merges and a bomb of merged lists are not read, quickly', () => {
    const started = Date.now();
    const self = parseTemplateText('a: &a\n  x: 1\n  <<: *a\n', 't.yaml');
    expect(self.value).toBeUndefined();
    expect(self.problems.map((p) => p.id)).toEqual(['template.size.exceeded']);
    let chain = 'm0: &m0 { x: 1 }\n';
    for (let i = 1; i < 400; i++) chain += `m${i}: &m${i} { <<: *m${i - 1} }\n`;
    expect(parseTemplateText(chain, 't.yaml').problems.map((p) => p.id)).toEqual([
      'template.size.exceeded',
    ]);
    let bomb = 'l0: &l0 { a0: 1 }\n';
    for (let i = 1; i < 30; i++)
      bomb += `l${i}: &l${i}\n  <<: [*l${i - 1}, *l${i - 1}, *l${i - 1}, *l${i - 1}]\n  b${i}: 1\n`;
    const bombed = parseTemplateText(bomb, 't.yaml');
    expect(bombed.value).toBeUndefined();
    expect(bombed.problems.map((p) => p.id)).toEqual(['template.size.exceeded']);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('quoted (`"<<"`, `\'<<\'`) is an ordinary key, as YAML 1.1 reads it; a value `<<` keeps its text', () => {
    // YAML resolves the merge type from a plain scalar only: a quoted one is a string
    for (const key of ['"<<"', "'<<'"]) {
      expect(parseTemplateText(`A:\n  ${key}: { k: 1 }\n  j: 2\n`, 't.yaml')).toMatchObject({
        value: { A: { '<<': { k: 1 }, j: 2 } },
        problems: [],
      });
    }
    expect(parseTemplateText('A: <<\nB: [<<]\n', 't.yaml')).toMatchObject({
      value: { A: '<<', B: ['<<'] },
      problems: [],
    });
  });
});

describe('a YAML tag CloudFormation does not support', () => {
  it.each([
    ['binary', 'aGVsbG8='],
    ['timestamp', '2001-12-14'],
    ['set', '{ a, b }'],
    ['omap', '[a: 1, b: 2]'],
    ['pairs', '[a: 1, a: 2]'],
  ])(
    '`!!%s` is an input error, and the template is not read (it was read as a value)',
    (tag, value) => {
      const parsed = parseTemplateText(`Resources:\n  X: !!${tag} ${value}\n`, 't.yaml');
      expect(parsed.value).toBeUndefined();
      expect(parsed.problems.map((p) => `${p.severity} ${p.id} ${p.pointer}`)).toEqual([
        'error template.yaml.tag /Resources/X',
      ]);
      expect(parsed.problems[0]!.message).toBe(
        `line 2, column ${7 + tag.length + 2}: CloudFormation does not support the YAML tag \`!!${tag}\`: the template is not read`,
      );
    },
  );

  it('however it is written, and on a key', () => {
    const ids = (text: string): string[] =>
      parseTemplateText(text, 't.yaml').problems.map((p) => `${p.id} ${p.pointer}`);
    expect(ids('A: !<tag:yaml.org,2002:binary> eA==\n')).toEqual(['template.yaml.tag /A']);
    expect(ids('%TAG !y! tag:yaml.org,2002:\n---\nA: !y!set { a }\n')).toEqual([
      'template.yaml.tag /A',
    ]);
    expect(ids('A:\n  ? !!timestamp 2001-12-14\n  : x\n')).toEqual([
      'template.yaml.tag /A/2001-12-14',
    ]);
  });

  it('a plain date has no tag: it stays its text; the other core tags are read', () => {
    expect(
      parseTemplateText(
        'AWSTemplateFormatVersion: 2010-09-09\nA: !!str 2001-12-14\nB: !!int "5"\nC: !!map { k: !!seq [x] }\n',
        't.yaml',
      ),
    ).toMatchObject({
      value: { AWSTemplateFormatVersion: '2010-09-09', A: '2001-12-14', B: 5, C: { k: ['x'] } },
      problems: [],
    });
  });
});

describe('through the CLI', () => {
  it('an unsupported tag: one line naming the file, its pointer and line; exit 2; the other templates are still analysed', async () => {
    const dir = tempDir('yaml-unsupported');
    writeFileSync(join(dir, 'good.yaml'), BASE);
    writeFileSync(
      join(dir, 'bad.yaml'),
      edit(BASE, 'RoleName: build-role', 'RoleName: !!binary YnVpbGQ='),
    );
    writeFileSync(
      join(dir, 'stacks.yaml'),
      [
        'stacks:',
        '  - { template: good.yaml, name: good, account: "111111111111", region: us-east-1 }',
        '  - { template: bad.yaml, name: bad, account: "222222222222", region: us-east-1 }',
      ].join('\n'),
    );
    const text = await runCli(dir, 'analyze', 'stacks.yaml');
    expect(text.code).toBe(2);
    const line = BASE.split('\n').findIndex((l) => l.includes('RoleName: build-role')) + 1;
    expect(text.out.split('\n').filter((l) => l.includes('template.yaml'))).toEqual([
      `  error: bad.yaml#/Resources/BuildRole/Properties/RoleName: line ${line}, column 26: CloudFormation does not support the YAML tag \`!!binary\`: the template is not read [template.yaml.tag]`,
    ]);
    const json = await runCli(dir, 'analyze', 'stacks.yaml', '--format', 'json');
    expect(json.code).toBe(2);
    const report = JSON.parse(json.out) as Report;
    expect(report.pipelines.map((p) => p.arn)).toEqual([
      'arn:aws:codepipeline:us-east-1:111111111111:app',
    ]);
  });

  it('an alias: a warning line, and the template is analysed', async () => {
    const dir = tempDir('yaml-alias');
    writeFileSync(join(dir, 'aliased.yaml'), ALIASED);
    writeFileSync(
      join(dir, 'stacks.yaml'),
      'stacks:\n  - { template: aliased.yaml, name: a, account: "111111111111", region: us-east-1 }\n',
    );
    const json = await runCli(dir, 'analyze', 'stacks.yaml', '--format', 'json');
    expect(json.code).not.toBe(2);
    const report = JSON.parse(json.out) as Report;
    expect(report.pipelines.map((p) => p.arn)).toEqual([
      'arn:aws:codepipeline:us-east-1:111111111111:app',
    ]);
    expect(report.problems.map((p) => `${p.severity} ${p.id}`)).toContain(
      'warning template.yaml.alias',
    );
  });
});

/**
 * A global tag neither YAML's core schema nor CloudFormation knows (`!!foo`, `!!value`,
 * `!<tag:example.com,2000:x>`) was read as its text without a word (the YAML library's
 * TAG_RESOLVE_FAILED warning was dropped). CloudFormation documents no such tag: it is reported
 * as an unknown short tag (`!Nope`) is, an error at its pointer and line.
 */
describe('an unknown global tag', () => {
  const report = (text: string): string[] =>
    parseTemplateText(text, 't.yaml').problems.map(
      (p) => `${p.severity} ${p.id} ${p.pointer} ${p.message}`,
    );

  it('is an error at its pointer and line, as an unknown short tag is', () => {
    expect(
      report('A: !!foo x\nB:\n  - !!value y\nC: !<tag:example.com,2000:x> z\nD: !Nope w\n'),
    ).toEqual([
      'error template.tag.unknown /A line 1, column 10: unknown tag `!!foo`',
      'error template.tag.unknown /B/0 line 3, column 13: unknown tag `!!value`',
      'error template.tag.unknown /C line 4, column 30: unknown tag `!<tag:example.com,2000:x>`',
      'error template.tag.unknown /D line 5, column 10: unknown tag `!Nope`',
    ]);
  });

  it('on a key, at the key', () => {
    expect(report('A:\n  !!foo k: 1\n')).toEqual([
      'error template.tag.unknown /A/k line 2, column 9: unknown tag `!!foo`',
    ]);
  });

  it('the core tags, written either way, are still read without a word', () => {
    expect(
      parseTemplateText(
        'A: !!str on\nB: !!int "5"\nC: !!float "1.5"\nD: !!bool true\nE: !!null\nF: !!map { k: !!seq [x] }\nG: !<tag:yaml.org,2002:str> q\n',
        't.yaml',
      ),
    ).toMatchObject({
      value: { A: 'on', B: 5, C: 1.5, D: true, E: null, F: { k: ['x'] }, G: 'q' },
      problems: [],
    });
  });

  it('through the CLI: one line naming the file, its pointer and line; exit 2', async () => {
    const dir = tempDir('yaml-unknown-tag');
    writeFileSync(
      join(dir, 'bad.yaml'),
      edit(BASE, 'RoleName: build-role', 'RoleName: !!foo build-role'),
    );
    writeFileSync(
      join(dir, 'stacks.yaml'),
      'stacks:\n  - { template: bad.yaml, name: bad, account: "111111111111", region: us-east-1 }\n',
    );
    const text = await runCli(dir, 'analyze', 'stacks.yaml');
    expect(text.code).toBe(2);
    const line = BASE.split('\n').findIndex((l) => l.includes('RoleName: build-role')) + 1;
    expect(text.out.split('\n').filter((l) => l.includes('template.tag'))).toEqual([
      `  error: bad.yaml#/Resources/BuildRole/Properties/RoleName: line ${line}, column 23: unknown tag \`!!foo\` [template.tag.unknown]`,
    ]);
  });
});
