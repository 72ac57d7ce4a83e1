/**
 * A template written as JSON (CDK's) is read with JSON.parse and one scan for its positions
 * (parseJsonTemplate) instead of the YAML parser: whenever that reading answers, it must give
 * what the YAML reading gives (the values, the position of every value, no problems), on
 * generated JSON and on the corpus's JSON files; where they could differ it leaves the text to
 * the YAML reading, which reports what it finds there.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  parseJsonTemplate,
  parseTemplateText,
  parseYamlTemplate,
  type ParsedTemplate,
} from '../../../src/load/templateParse.js';
import { mulberry32 as random, picker } from '../../differential/generator.js';

/** value, positions (sorted by pointer) and problems, comparable with toEqual */
function reading(p: ParsedTemplate): unknown {
  return {
    value: p.value,
    positions: [...p.positions].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    problems: p.problems,
  };
}

function bothReadings(text: string): { json: unknown; yaml: unknown } | undefined {
  const json = parseJsonTemplate(text);
  return json && { json: reading(json), yaml: reading(parseYamlTemplate(text, 't.json')) };
}

describe('generated JSON templates', () => {
  const rnd = random(20261206);
  const pick = picker(rnd);
  const KEYS = [
    'Resources',
    'Type',
    'Properties',
    'Fn::GetAtt',
    'a/b',
    'a~b',
    '~1',
    '',
    ' ',
    'é',
    '"q"',
    'back\\slash',
    '1',
    '__proto__',
    'x\u2028y',
    '\u0000',
  ];
  const STRINGS = [
    '',
    'arn:aws:iam::111111111111:role/x',
    'a\nb',
    '\\',
    '"',
    '\t',
    '\u0085',
    'ü',
    '😀',
  ];
  const NUMBERS = [
    '0',
    '1',
    '-1',
    '12',
    '1.5',
    '-2.25',
    '1e3',
    '1.0',
    '-0',
    '12345678901234567890',
    '1E-7',
  ];
  const value = (depth: number): string => {
    const r = rnd();
    if (depth > 4 || r < 0.35) return JSON.stringify(pick(STRINGS));
    if (r < 0.45) return pick(NUMBERS);
    if (r < 0.5) return pick(['true', 'false', 'null']);
    const items = Array.from({ length: Math.floor(rnd() * 4) }, () => value(depth + 1));
    if (r < 0.7) return `[${items.join(',')}]`;
    return `{${items.map((v) => `${JSON.stringify(pick(KEYS))}:${v}`).join(',')}}`;
  };
  /** JSON.stringify's layouts and others: tabs, CRLF and CR line ends, spaces around every token */
  const layout = (text: string): string => {
    const obj = JSON.parse(text) as unknown;
    switch (Math.floor(rnd() * 5)) {
      case 0:
        return JSON.stringify(obj, null, 2);
      case 1:
        return JSON.stringify(obj, null, '\t').replace(/\n/g, pick(['\r\n', '\r']));
      case 2:
        return `\n  ${JSON.stringify(obj, null, 1)}\n`;
      case 3:
        return text.replace(/([,:[\]{}])/g, (m) =>
          pick([m, ` ${m}`, `${m} `, `\n${m}\n `, `\t${m}`]),
        );
      default:
        return text;
    }
  };

  it('read as the YAML reading reads them, whenever the JSON reading answers', () => {
    let answered = 0;
    let loneReturns = 0;
    for (let i = 0; i < 1500; i++) {
      const text = layout(
        `{"Resources":${value(1)}${rnd() < 0.5 ? `,${JSON.stringify(pick(KEYS))}:${value(1)}` : ''}}`,
      );
      const json = parseJsonTemplate(text);
      if (!json) continue;
      answered++;
      // a line ended by a lone carriage return is a line break to both (yamlLineBreaks)
      if (/\r(?!\n)/.test(text)) loneReturns++;
      expect(reading(json), text.slice(0, 400)).toEqual(reading(parseYamlTemplate(text, 't.json')));
    }
    expect(loneReturns).toBeGreaterThan(0);
    // numbers the YAML reading keeps as written (`1.0`, `1e3`) and members written twice (a
    // generated object may name one twice) leave the rest to it
    expect(answered).toBeGreaterThan(600);
  });

  it('leaves to the YAML reading what it could read otherwise, which says so', () => {
    for (const [text, problem] of [
      ['{"A": 1, "A": 2}', 'Map keys must be unique'],
      ['{"R": {"a": 1, "B": [], "\\u0061": 2}}', 'Map keys must be unique'],
      [`{"A": ${'['.repeat(300)}${']'.repeat(300)}}`, 'nested more than'],
    ] as const) {
      expect(parseJsonTemplate(text)).toBeUndefined();
      expect(parseTemplateText(text, 't.json').problems[0]?.message).toContain(problem);
    }
    for (const text of ['{"A": 1.0}', '{"A": 1e3}', '{"A": -0}', '{"A": 12345678901234567890}']) {
      expect(parseJsonTemplate(text), text).toBeUndefined();
      // the number as written
      expect(parseTemplateText(text, 't.json').value, text).toEqual({ A: text.slice(6, -1) });
    }
    for (const text of ['[1]', '"x"', 'A: 1', '{"A": 1', '\ufeff{"A": 1}', '{"A": 1} # c'])
      expect(parseJsonTemplate(text), text).toBeUndefined();
  });

  it('gives the positions the YAML reading gives, a member at its name', () => {
    const text =
      '{\n  "Resources": {\n    "Role": {"Type": "AWS::IAM::Role"}\n  },\n  "L": [1, {"a/b": null}]\n}';
    const p = parseJsonTemplate(text)!;
    expect(p.positions.get('')).toEqual({ line: 1, column: 1 });
    expect(p.positions.get('/Resources/Role')).toEqual({ line: 3, column: 5 });
    expect(p.positions.get('/Resources/Role/Type')).toEqual({ line: 3, column: 14 });
    expect(p.positions.get('/L/1/a~1b')).toEqual({ line: 5, column: 13 });
    expect(reading(p)).toEqual(reading(parseYamlTemplate(text, 't.json')));
  });
});

describe('the JSON files of the corpus', () => {
  const root = join(__dirname, '../../../../shared/corpus');
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.json')) files.push(p);
    }
  };
  if (existsSync(root)) walk(root);

  it.skipIf(files.length === 0)('read as the YAML reading reads them', () => {
    let answered = 0;
    for (const file of files) {
      const both = bothReadings(readFileSync(file, 'utf8'));
      if (!both) continue;
      answered++;
      expect(both.json, file).toEqual(both.yaml);
    }
    expect(answered).toBeGreaterThan(5);
  });
});
