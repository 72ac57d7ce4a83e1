/**
 * YAML reads a carriage return not followed by a line feed as a line break (lineBreaks.ts)
 * (https://yaml.org/spec/1.2.2/#54-line-break-characters); the `yaml` library does not, so the
 * texts it parses (templates, stacks files, buildspecs) go through yamlLineBreaks first. A text
 * written with lone carriage returns must read as the same text written with line feeds: the
 * same values, positions and problems, lines counted the same way.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseTemplateText, parseYamlTemplate } from '../../src/load/templateParse.js';
import { isStacksFile } from '../../src/load/stacks.js';
import { buildspecReferences, readYamlSections } from '../../src/model/buildspec.js';
import { isLineBreak, lineColumnOf, yamlLineBreaks } from '../../src/lineBreaks.js';

const TEMPLATE = [
  'AWSTemplateFormatVersion: "2010-09-09"',
  'Resources:',
  '  Role:',
  '    Type: AWS::IAM::Role',
  '    Properties:',
  '      Description: |',
  '        first line',
  '        second line',
  '      Path: /deploy/',
  '      Tags: [ { Key: a, Value: "b" } ]',
  '',
].join('\n');

const BUILDSPEC = [
  'version: 0.2',
  'env:',
  '  parameter-store:',
  '    DB_PASSWORD: /app/db-password',
  '  secrets-manager:',
  '    TOKEN: npm-token',
  'phases:',
  '  build:',
  '    commands:',
  '      - make',
  '',
].join('\n');

/** the text with its line feeds written as lone carriage returns, or as a mix of the three */
const withReturns = (text: string): string => text.replace(/\n/g, '\r');
const mixed = (text: string): string => {
  let i = 0;
  return text.replace(/\n/g, () => ['\r', '\r\n', '\n'][i++ % 3]!);
};

describe('yamlLineBreaks', () => {
  it('writes lone carriage returns as line feeds and keeps the length', () => {
    expect(yamlLineBreaks('a: 1\rb: 2\r\nc: 3\n\r')).toBe('a: 1\nb: 2\r\nc: 3\n\n');
    expect(yamlLineBreaks('\r\r\n\r')).toBe('\n\r\n\n');
    const text = mixed(TEMPLATE);
    expect(yamlLineBreaks(text)).toHaveLength(text.length);
  });

  it('returns a text without a lone carriage return as it is', () => {
    expect(yamlLineBreaks('a: 1\r\nb: 2\n')).toBe('a: 1\r\nb: 2\n');
    expect(yamlLineBreaks('')).toBe('');
  });
});

describe('isLineBreak and lineColumnOf', () => {
  it('count LF, CR LF and a lone CR as one line break each', () => {
    const text = 'a\nb\r\nc\rd';
    // a \n b \r \n c \r d: the CR before an LF is not a break of its own
    expect([...text].map((_, i) => isLineBreak(text, i))).toEqual([
      false,
      true,
      false,
      false,
      true,
      false,
      true,
      false,
    ]);
    expect(lineColumnOf(text, text.indexOf('b'))).toEqual({ line: 2, column: 1 });
    expect(lineColumnOf(text, text.indexOf('c'))).toEqual({ line: 3, column: 1 });
    expect(lineColumnOf(text, text.indexOf('d'))).toEqual({ line: 4, column: 1 });
    expect(lineColumnOf('ab', 1)).toEqual({ line: 1, column: 2 });
  });
});

describe('templates with lone carriage returns', () => {
  const lf = parseYamlTemplate(TEMPLATE, 't.yaml');

  it('read as with line feeds: values, positions, no problems', () => {
    expect(lf.problems).toEqual([]);
    const role = (lf.value as { Resources: { Role: { Properties: unknown } } }).Resources.Role;
    expect(role.Properties).toEqual({
      Description: 'first line\nsecond line\n',
      Path: '/deploy/',
      Tags: [{ Key: 'a', Value: 'b' }],
    });
    for (const text of [withReturns(TEMPLATE), mixed(TEMPLATE)]) {
      const read = parseYamlTemplate(text, 't.yaml');
      expect(read.problems).toEqual([]);
      expect(read.value).toEqual(lf.value);
      expect([...read.positions]).toEqual([...lf.positions]);
      // the public entry, which tries JSON first, gives the same
      expect(parseTemplateText(text, 't.yaml').value).toEqual(lf.value);
    }
  });

  it('count a lone carriage return as a line in the line of a syntax error', () => {
    const broken = TEMPLATE.replace('      Path: /deploy/', '      Path: [unclosed');
    const lfProblem = parseYamlTemplate(broken, 't.yaml').problems;
    expect(lfProblem).toHaveLength(1);
    expect(lfProblem[0]!.message).toMatch(/^line \d+, column \d+: /);
    expect(parseYamlTemplate(withReturns(broken), 't.yaml').problems).toEqual(lfProblem);
  });
});

describe('buildspecs with lone carriage returns', () => {
  it('read as with line feeds', () => {
    const lf = readYamlSections(BUILDSPEC);
    expect(lf.ok).toBe(true);
    expect(readYamlSections(withReturns(BUILDSPEC))).toEqual(lf);
    expect(readYamlSections(mixed(BUILDSPEC))).toEqual(lf);
    expect(buildspecReferences(withReturns(BUILDSPEC))).toEqual(buildspecReferences(BUILDSPEC));
    expect(buildspecReferences(BUILDSPEC)).toEqual({
      ok: true,
      parameters: ['/app/db-password'],
      secrets: ['npm-token'],
    });
  });

  it('say where a syntax error is, lines counted at lone carriage returns', () => {
    const broken = BUILDSPEC.replace('      - make', '      - [make');
    const lf = readYamlSections(broken);
    expect(lf).toMatchObject({ ok: false, reason: expect.stringMatching(/at line \d+, column/) });
    expect(readYamlSections(withReturns(broken))).toEqual(lf);
  });
});

describe('stacks files with lone carriage returns', () => {
  const dir = mkdtempSync(join(tmpdir(), 'permchain-cr-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('are recognised as stacks files', () => {
    const path = join(dir, 'stacks.yaml');
    writeFileSync(path, withReturns('stacks:\n  - template: a.yaml\n'));
    expect(isStacksFile(path)).toBe(true);
  });
});
