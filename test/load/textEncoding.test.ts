/**
 * Every file the user names is read by one reader (src/load/jsonFile.ts): UTF-8, or UTF-16 when
 * a byte-order mark says so (Windows PowerShell 5 writes `aws ... > file.json` as UTF-16LE with
 * one). Templates, stacks files and request files read as the same text whatever the encoding;
 * snapshot files are tested in snapshotFileRead.test.ts.
 */
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { readJsonText, readTextFile } from '../../src/load/jsonFile.js';
import { staticManagedPolicies } from '../../src/load/managedPolicies.js';
import { isStacksFile, loadSingleTemplate, loadStacksFile } from '../../src/load/stacks.js';
import { runCli } from '../cli/runCli.js';

const tmp = mkdtempSync(join(tmpdir(), 'permchain-encoding-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const ENCODINGS = [
  [
    'UTF-8 with a byte-order mark',
    (t: string) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(t, 'utf8')]),
  ],
  [
    'UTF-16LE with a byte-order mark',
    (t: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(t, 'utf16le')]),
  ],
  [
    'UTF-16BE with a byte-order mark',
    (t: string) => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(t, 'utf16le').swap16()]),
  ],
] as const;

let n = 0;
function file(content: string | Buffer): string {
  const path = join(tmp, `f${n++}.txt`);
  writeFileSync(path, content);
  return path;
}

describe('readTextFile', () => {
  // a character outside the BMP is a surrogate pair in UTF-16: it must come back whole
  const TEXT = 'a: "é ✓ 😀"\n';

  it.each(ENCODINGS)('%s: the text without its mark', (_what, encode) => {
    expect(readTextFile(file(encode(TEXT)))).toEqual({ ok: true, text: TEXT });
  });

  it('UTF-8 without a mark, and an empty file, as they are', () => {
    expect(readTextFile(file(TEXT))).toEqual({ ok: true, text: TEXT });
    expect(readTextFile(file(''))).toEqual({ ok: true, text: '' });
  });

  it('a mark alone is an empty text', () => {
    for (const [, encode] of ENCODINGS)
      expect(readTextFile(file(encode('')))).toEqual({ ok: true, text: '' });
  });

  it('UTF-16 with an odd number of bytes is refused, little- or big-endian', () => {
    for (const mark of [
      [0xff, 0xfe],
      [0xfe, 0xff],
    ]) {
      const read = readTextFile(file(Buffer.from([...mark, 0x7b, 0x00, 0x7d])));
      expect(read).toEqual({
        ok: false,
        reason: 'invalid',
        message: 'not valid UTF-16 text: it has a byte-order mark and an odd number of bytes',
      });
    }
  });

  it('text that is not UTF-8 and has no mark is not valid text', () => {
    const read = readJsonText(file(Buffer.from([0x7b, 0xff, 0x7d])));
    expect(read).toMatchObject({ ok: false, reason: 'invalid' });
    expect(read.ok ? '' : read.message).toMatch(/^not valid UTF-8 text/);
  });

  it('a Latin-1 byte inside a JSON string is not read as U+FFFD in silence (a name would change)', () => {
    // {"name": "caf\xe9"}: valid JSON once decoded with replacement, a different name
    const bytes = Buffer.concat([
      Buffer.from('{"name": "caf'),
      Buffer.from([0xe9]),
      Buffer.from('"}'),
    ]);
    expect(readJsonText(file(bytes))).toMatchObject({
      ok: false,
      reason: 'invalid',
      message: 'not valid UTF-8 text (nor UTF-16 with a byte-order mark)',
    });
    // U+FFFD written as UTF-8 is valid text
    expect(readJsonText(file(Buffer.from('{"name": "caf\uFFFD"}', 'utf8')))).toEqual({
      ok: true,
      value: { name: 'caf\uFFFD' },
    });
  });

  it('a UTF-16 JSON file parses as the same value', () => {
    const value = { principal: 'arn:aws:iam::111122223333:role/Name', note: 'é 😀' };
    for (const [, encode] of ENCODINGS)
      expect(readJsonText(file(encode(JSON.stringify(value, null, 2))))).toEqual({
        ok: true,
        value,
      });
  });
});

describe('templates and stacks files in every encoding', () => {
  const FIXTURE = 'test/load/templates/fixtures/basic';
  const options = { managedPolicies: staticManagedPolicies('fake-managed', {}) };

  it.each(ENCODINGS)('%s: the same model and problems as UTF-8', (_what, encode) => {
    const dir = mkdtempSync(join(tmp, 'stacks-'));
    cpSync(FIXTURE, dir, { recursive: true });
    const stacks = join(dir, 'stacks.yaml');
    const template = join(dir, 'tools.yaml');
    const single = { account: '111111111111', region: 'us-east-1', ...options };
    const base = loadStacksFile(stacks, options);
    const baseSingle = loadSingleTemplate(template, single);
    expect(base.problems.filter((p) => p.severity === 'error')).toEqual([]);
    const links = analyzeModel(base.model).pipelines.flatMap((p) => p.links);
    expect(links.length).toBeGreaterThan(10);
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      writeFileSync(path, encode(readFileSync(path, 'utf8')));
    }
    expect(isStacksFile(stacks)).toBe(true);
    const encoded = loadStacksFile(stacks, options);
    expect(encoded.problems).toEqual(base.problems);
    expect(analyzeModel(encoded.model)).toEqual(analyzeModel(base.model));
    const encodedSingle = loadSingleTemplate(template, single);
    expect(encodedSingle.problems).toEqual(baseSingle.problems);
    expect(analyzeModel(encodedSingle.model)).toEqual(analyzeModel(baseSingle.model));
  });
});

describe('a request file in every encoding', () => {
  const request = {
    principal: 'arn:aws:iam::111122223333:role/Name',
    action: 's3:GetObject',
    resource: 'arn:aws:s3:::bucket/key',
    identityPolicies: [
      {
        Version: '2012-10-17',
        Statement: [{ Sid: 'Read', Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }],
      },
    ],
  };

  it.each(ENCODINGS)('%s: simulate reads it (it said "not valid json")', async (_what, encode) => {
    const path = file(encode(JSON.stringify(request, null, 2)));
    const r = await runCli(tmp, 'simulate', '--request', path, '--format', 'json');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ decision: 'Allowed', problems: [] });
  });
});
