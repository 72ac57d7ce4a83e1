/**
 * jsonErrorOffset: where a JSON text stops being JSON, for the messages that must say where
 * without quoting the text. Compared with JSON.parse on generated texts: the same texts are JSON,
 * the same position where JSON.parse gives one, and the token JSON.parse names where it does not.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJsonText } from '../src/load/jsonFile.js';
import { jsonErrorOffset, jsonFaultPlace, lineAndColumn } from '../src/jsonSyntax.js';
import { parsePolicy } from '../src/policy/parse.js';
import { actionVariablesProblem } from '../src/model/environmentVariables.js';
import { parseBaseline } from '../src/report/baseline.js';
import { mulberry32 as random, picker } from './differential/generator.js';

describe('jsonErrorOffset', () => {
  it('is undefined for JSON', () => {
    for (const text of [
      '{}',
      '[]',
      ' 0 ',
      '-0.5e+3',
      '"\\u00e9\\n"',
      '{"a":[1,{"b":null}]}',
      'true',
    ])
      expect(jsonErrorOffset(text), text).toBeUndefined();
  });

  it.each([
    ['{"a": S3CRET}', 6],
    ['{"a": 1,}', 8],
    ['[1 2]', 3],
    ['{"a"', 4],
    ['', 0],
    ['  ', 2],
    ['{"a": tru}', 9],
    ['{"a": 01}', 7],
    ['{"a": 1.}', 8],
    ['{"a": -}', 7],
    ['{"a": 1e}', 8],
    ['"a\\x"', 3],
    ['"\\u12G4"', 5],
    ['"a\nb"', 2],
    ['"abc', 4],
    ['{} x', 3],
    ['// note\n{}', 0],
    ["{'a': 1}", 1],
    ['\ufeff{}', 0],
  ])('%j breaks at %i', (text, offset) => {
    expect(jsonErrorOffset(text)).toBe(offset);
  });

  it('agrees with JSON.parse on 30,000 generated texts', () => {
    const rnd = random(20261206);
    const pick = picker(rnd);
    const value = (depth: number): string => {
      const r = rnd();
      if (depth > 3 || r < 0.3)
        return pick(['1', '-0.5e+3', '"a\\u00e9\\n"', 'true', 'null', '""', '0', '12.5E-2']);
      if (r < 0.65)
        return `[${Array.from({ length: Math.floor(rnd() * 4) }, () => value(depth + 1)).join(pick([',', ' , ', ',\n']))}]`;
      return `{${Array.from({ length: Math.floor(rnd() * 4) }, (_, k) => `"k${k}"${pick([':', ' : '])}${value(depth + 1)}`).join(',')}}`;
    };
    const JUNK = ['', ' ', ',', ':', '{', '}', '[', ']', '"', '\\', 'x', 'S', '-', '.', 'e'];
    const MORE = ['0', '01', '\u0001', '\n', 't', 'nul', '/*c*/', '\\u12', '\\x', "'"];
    const counts = { json: 0, placed: 0, token: 0 };
    for (let t = 0; t < 30000; t++) {
      let text = value(0);
      for (let k = Math.floor(rnd() * 3); k > 0; k--) {
        const at = Math.floor(rnd() * (text.length + 1));
        const r = rnd();
        text =
          r < 0.5
            ? text.slice(0, at) + pick([...JUNK, ...MORE]) + text.slice(at)
            : r < 0.8
              ? text.slice(0, at) + text.slice(at + 1 + Math.floor(rnd() * 3))
              : text.slice(0, at);
      }
      let message: string | undefined;
      try {
        JSON.parse(text);
      } catch (e) {
        message = (e as Error).message;
      }
      const offset = jsonErrorOffset(text);
      if (message === undefined) {
        counts.json++;
        expect(offset, text).toBeUndefined();
        continue;
      }
      expect(offset, text).toBeDefined();
      const position = / position (\d+)/.exec(message);
      const token = /^Unexpected token '(.)'/.exec(message);
      if (position) {
        counts.placed++;
        expect(offset, `${text} ${message}`).toBe(Number(position[1]));
      } else if (/end of JSON input/.test(message)) {
        counts.placed++;
        expect(offset, text).toBe(text.length);
      } else if (token) {
        counts.token++;
        expect(text[offset!], `${text} ${message}`).toBe(token[1]);
      }
    }
    // each kind of answer was met often
    expect(counts.json).toBeGreaterThan(5000);
    expect(counts.placed).toBeGreaterThan(5000);
    expect(counts.token).toBeGreaterThan(2000);
  });

  it('reads any nesting without recursion', () => {
    const deep = '['.repeat(1_000_000);
    expect(jsonErrorOffset(deep)).toBe(deep.length);
    expect(jsonErrorOffset(`${deep}x`)).toBe(deep.length);
  });

  it('says line and column from 1, lines ended by a line feed', () => {
    expect(lineAndColumn('{\n  "a": x\n}', 9)).toBe('line 2 column 8');
    expect(lineAndColumn('x', 0)).toBe('line 1 column 1');
  });

  it('counts CR LF and a lone CR as one line break each', () => {
    expect(lineAndColumn('{\r\n  "a": x\r\n}', 10)).toBe('line 2 column 8');
    expect(lineAndColumn('{\r  "a": x\r}', 9)).toBe('line 2 column 8');
    const text = '{\r  "a": 1,\r\n  "b": x\r}';
    expect(jsonFaultPlace(text)).toBe('line 3 column 8');
  });
});

describe('messages that say where a JSON text breaks, never quoting it', () => {
  it('a policy document', () => {
    const problems = (doc: string): string[] =>
      parsePolicy(doc, { name: 'p' }).problems.map((p) => p.message);
    expect(problems('{"Version": "2012-10-17", "Statement": [S3CRET]}')).toEqual([
      'policy `p`: the policy document is neither JSON nor URL-encoded JSON (its text stops being JSON at line 1 column 41)',
    ]);
    expect(problems(encodeURIComponent('{\n"Statement": x}'))).toEqual([
      'policy `p`: the policy document is neither JSON nor URL-encoded JSON (its URL-decoded text stops being JSON at line 2 column 14)',
    ]);
    expect(problems('%E0%A4%A')).toEqual([
      'policy `p`: the policy document is neither JSON nor URL-encoded JSON (it is not valid URL encoding)',
    ]);
  });

  it('a snapshot file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'permchain-json-'));
    try {
      const file = join(dir, 'codebuild.json');
      writeFileSync(file, '{\n  "projects": [\n    { "name": S3CRET }\n  ]\n}\n');
      expect(readJsonText(file)).toEqual({
        ok: false,
        reason: 'invalid',
        message: 'not valid json: line 3 column 15',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a CodeBuild action's EnvironmentVariables", () => {
    expect(actionVariablesProblem('[{"name": "A", "value": S3CRET}]')).toBe(
      'not valid json: line 1 column 25',
    );
  });

  it('a baseline, after its byte-order mark', () => {
    const message = (text: string): string => parseBaseline(text, 'b.json').problems[0]!.message;
    expect(message('{\n  "entries": [ghp_S3CRET]\n}')).toBe(
      'baseline is not valid json: line 2 column 15',
    );
    expect(message('\ufeff{\n  "entries": [ghp_S3CRET]\n}')).toBe(
      'baseline is not valid json: line 2 column 15',
    );
  });
});
