import { describe, expect, it } from 'vitest';
import { jsonPointerLine } from '../../src/report/jsonPointerLine.js';

const TEXT = [
  '{', // 1
  '  "Roles": [', // 2
  '    { "Name": "a" },', // 3
  '    {', // 4
  '      "Name": "b",', // 5
  '      "Policy": "{\\"Statement\\":[]}",', // 6
  '      "a/b": 1, "m~n": 2, "\\u00e9t\\u00e9": [', // 7
  '        3,', // 8
  '        4', // 9
  '      ],', // 10
  '      "Doc":', // 11
  '', // 12
  '        {"Statement": [{"Effect": "Allow"}]}', // 13
  '    }', // 14
  '  ],', // 15
  '  "Dup": 1,', // 16
  '  "Dup": {', // 17
  '    "x": true', // 18
  '  }', // 19
  '}', // 20
].join('\n');

describe('jsonPointerLine: the line where the value at a pointer starts', () => {
  it.each([
    ['', 1],
    ['/Roles', 2],
    ['/Roles/0', 3],
    ['/Roles/0/Name', 3],
    ['/Roles/1', 4],
    ['/Roles/1/Name', 5],
    ['/Roles/1/a~1b', 7],
    ['/Roles/1/m~0n', 7],
    ['/Roles/1/été', 7],
    ['/Roles/1/été/1', 9],
    // the value starts on the line after its key, past a blank line
    ['/Roles/1/Doc', 13],
    ['/Roles/1/Doc/Statement/0/Effect', 13],
    // of duplicate keys the last counts, as JSON.parse reads them
    ['/Dup', 17],
    ['/Dup/x', 18],
  ])('%s: line %i', (pointer, line) => {
    expect(jsonPointerLine(TEXT, pointer)).toBe(line);
  });

  it('a pointer inside a string (an embedded policy) is at the line of that string', () => {
    expect(jsonPointerLine(TEXT, '/Roles/1/Policy/Statement/0')).toBe(6);
  });

  it('a member or element the text does not have: the nearest value it has', () => {
    expect(jsonPointerLine(TEXT, '/Roles/1/Missing')).toBe(4);
    expect(jsonPointerLine(TEXT, '/Roles/7')).toBe(2);
    expect(jsonPointerLine(TEXT, '/Roles/01')).toBe(2);
    expect(jsonPointerLine(TEXT, '/Roles/-')).toBe(2);
    expect(jsonPointerLine(TEXT, '/Roles/1/été/2')).toBe(7);
    expect(jsonPointerLine('{}', '/a')).toBe(1);
    expect(jsonPointerLine('[]', '/0')).toBe(1);
  });

  it('CRLF line ends and a byte-order mark', () => {
    const crlf = '\ufeff{\r\n  "a": {\r\n    "b": [\r\n\r\n      1]}}';
    expect(jsonPointerLine(crlf, '/a')).toBe(2);
    expect(jsonPointerLine(crlf, '/a/b/0')).toBe(5);
  });

  it('text that is not JSON along the path, or no pointer: undefined (line 1 is then used)', () => {
    expect(jsonPointerLine('{"a": ', '/a')).toBeUndefined();
    expect(jsonPointerLine('{"a" 1}', '/a')).toBeUndefined();
    expect(jsonPointerLine('{"b": [1, 2}, "a": 1}', '/a')).toBeUndefined();
    expect(jsonPointerLine('{"b": "unterminated', '/a')).toBeUndefined();
    expect(jsonPointerLine('{"a": 1}', 'a')).toBeUndefined();
    expect(jsonPointerLine('', '')).toBeUndefined();
  });

  // the 60 s timeout is a hang guard: a quadratic skip of 2,000,000 levels (4e12 steps) would
  // not finish in it, a recursive one throws; it is not a speed measurement
  it('a hostile nesting is skipped without recursion, in one pass', () => {
    const depth = 2_000_000;
    const deep = `{"x": ${'['.repeat(depth)}${']'.repeat(depth)},\n"a": 1}`;
    expect(jsonPointerLine(deep, '/a')).toBe(2);
    expect(jsonPointerLine(deep, '/x/0/0/0')).toBe(1);
    // past the last element of the outer list: the line of that list
    expect(jsonPointerLine(deep, '/x/1')).toBe(1);
  }, 60_000);
});
