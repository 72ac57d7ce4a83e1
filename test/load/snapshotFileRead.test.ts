/**
 * Snapshot files are read as every file the user names is (src/load/jsonFile.ts): a FIFO, a
 * device or a file above the size limit is a problem naming it (exit 2), never a hang or an
 * exhausted memory, and the rest of the snapshot is still analyzed; UTF-16 text with a
 * byte-order mark (Windows PowerShell 5's `aws ... > file.json`) reads as the same JSON.
 */
import { execFileSync } from 'node:child_process';
import {
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { MAX_JSON_BYTES, MAX_SNAPSHOT_FILE_BYTES } from '../../src/load/jsonFile.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import type { Report } from '../../src/report/types.js';
import { runCli } from '../cli/runCli.js';
import { inScenarioCopy } from '../chain/scenarioCopy.js';

const DEMO = 'fixtures/demo';
const PROD_IAM = '222222222222/iam.json';
const BUCKET = '111111111111/s3/demo-artifacts-111111111111-us-east-1.json';
const KEY = '111111111111/us-east-1/kms/0b6e3a5c-4c1f-4d0a-9d47-6f2f3e1a9c10.json';
const PROD_ROLE = 'arn:aws:iam::222222222222:role/demo-deploy-action';

const hasMkfifo = ((): boolean => {
  try {
    execFileSync('mkfifo', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

interface Result {
  report: Report;
  errors: string[];
}

function analyzeDir(dir: string): Result {
  const model = loadSnapshot(dir);
  return {
    report: analyzeModel(model),
    errors: model.problems
      .filter((p) => p.severity === 'error')
      .map((p) => `${p.file}#${p.pointer}: ${p.message} [${p.id}]`),
  };
}

/** The demo analyzed after `edit` replaced files in a copy of it. */
function analyzeDemo(edit: (dir: string) => void): Result {
  return inScenarioCopy(DEMO, (dir) => {
    edit(dir);
    return analyzeDir(dir);
  });
}

const replace = (rel: string, make: (path: string) => void) => (dir: string) => {
  rmSync(join(dir, rel));
  make(join(dir, rel));
};

function decisions(r: Result, principal?: string): string[] {
  const links = r.report.pipelines.flatMap((p) => p.links);
  return [
    ...new Set(
      links
        .filter((l) => principal === undefined || l.principal === principal)
        .map((l) => l.decision),
    ),
  ].sort();
}

describe('a snapshot file that is not a regular file or is too large', () => {
  it.runIf(hasMkfifo)('a FIFO is refused at once, named, and the rest is analyzed', () => {
    const r = analyzeDemo(replace(PROD_IAM, (p) => execFileSync('mkfifo', [p])));
    expect(r.errors).toEqual([`${PROD_IAM}#: not a regular file [snapshot.file.unreadable]`]);
    expect(r.report.pipelines.map((p) => p.name)).toEqual(['demo-app']);
    // the prod account's role is unknown, never allowed; the tools account is still decided
    expect(decisions(r, PROD_ROLE)).toEqual(['Unknown']);
    expect(decisions(r)).toContain('Allowed');
  });

  it.runIf(hasMkfifo)('a FIFO makes `analyze` exit 2 with one line naming it', async () => {
    const r = await inScenarioCopy(DEMO, async (dir) => {
      replace(KEY, (p) => execFileSync('mkfifo', [p]))(dir);
      return runCli(dir, 'analyze', '.');
    });
    expect(r.code).toBe(2);
    expect(r.out).toContain(`error: ${KEY}: not a regular file [snapshot.file.unreadable]`);
  });

  it('a link to /dev/zero is refused, named, and the rest is analyzed', () => {
    const r = analyzeDemo(replace(KEY, (p) => symlinkSync('/dev/zero', p)));
    expect(r.errors).toEqual([`${KEY}#: not a regular file [snapshot.file.unreadable]`]);
    expect(r.report.pipelines.map((p) => p.name)).toEqual(['demo-app']);
    expect(decisions(r)).toContain('Allowed');
  });

  it('a file above the size limit is refused before it is read', () => {
    // sparse: the size is above the limit, the disk and memory used nothing
    const r = analyzeDemo((dir) => truncateSync(join(dir, BUCKET), MAX_SNAPSHOT_FILE_BYTES + 1));
    expect(r.errors).toEqual([
      `${BUCKET}#: file is larger than ${MAX_SNAPSHOT_FILE_BYTES} bytes [snapshot.file.too-large]`,
    ]);
    expect(r.report.pipelines.map((p) => p.name)).toEqual(['demo-app']);
    expect(decisions(r)).toContain('Allowed');
  });

  it('a file above the 64 MB limit of other inputs is read: an iam.json of a large account is larger', () => {
    const plain = analyzeDemo(() => {});
    const big = analyzeDemo((dir) => {
      const file = join(dir, PROD_IAM);
      const text = readFileSync(file, 'utf8');
      // the same document after 64 MiB of whitespace
      writeFileSync(file, Buffer.concat([Buffer.alloc(MAX_JSON_BYTES, 0x20), Buffer.from(text)]));
      expect(statSync(file).size).toBeGreaterThan(MAX_JSON_BYTES);
    });
    expect(big.errors).toEqual([]);
    expect(decisions(big)).toEqual(decisions(plain));
  });
});

/** Every `.json` file under `dir`, relative to it. */
function jsonFiles(dir: string, rel = ''): string[] {
  return readdirSync(join(dir, rel))
    .sort()
    .flatMap((name) => {
      const sub = rel === '' ? name : `${rel}/${name}`;
      if (statSync(join(dir, sub)).isDirectory()) return jsonFiles(dir, sub);
      return name.endsWith('.json') ? [sub] : [];
    });
}

const utf8Bom = (text: string): Buffer =>
  Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
const utf16le = (text: string): Buffer =>
  Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
const utf16be = (text: string): Buffer =>
  Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);

describe('the text encoding of snapshot files', () => {
  it.each([
    ['UTF-8 with a byte-order mark', utf8Bom],
    ['UTF-16LE with a byte-order mark (Windows PowerShell 5)', utf16le],
    ['UTF-16BE with a byte-order mark', utf16be],
  ])('%s: every file reads as the same JSON', (_what, encode) => {
    inScenarioCopy(DEMO, (dir) => {
      const base = analyzeDir(dir);
      const files = jsonFiles(dir);
      expect(files).toContain(PROD_IAM);
      for (const f of files) {
        const path = join(dir, f);
        writeFileSync(path, encode(readFileSync(path, 'utf8')));
      }
      const encoded = analyzeDir(dir);
      expect(encoded.errors).toEqual([]);
      expect(encoded.report).toEqual(base.report);
      expect(decisions(encoded)).toEqual(['Allowed', 'ImplicitlyDenied']);
    });
  });

  it('a parse error in UTF-16 text says where, in characters', () => {
    const r = analyzeDemo((dir) => writeFileSync(join(dir, PROD_IAM), utf16le('{\n  "é": 1\n} x')));
    expect(r.errors).toEqual([
      `${PROD_IAM}#: not valid json: line 3 column 3 [snapshot.json.invalid]`,
    ]);
  });

  it('UTF-16 with a byte-order mark and an odd number of bytes is an error', () => {
    const r = analyzeDemo((dir) =>
      writeFileSync(join(dir, PROD_IAM), Buffer.concat([utf16le('{}'), Buffer.from([0x20])])),
    );
    expect(r.errors).toEqual([
      `${PROD_IAM}#: not valid UTF-16 text: it has a byte-order mark and an odd number of bytes [snapshot.json.invalid]`,
    ]);
  });

  it('UTF-16 without a byte-order mark is not read as UTF-16 (not valid json, as before)', () => {
    const r = analyzeDemo((dir) => {
      const path = join(dir, PROD_IAM);
      writeFileSync(path, Buffer.from(readFileSync(path, 'utf8'), 'utf16le'));
    });
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatch(
      new RegExp(`^${PROD_IAM}#: not valid json: line 1 column 2 \\[snapshot.json.invalid\\]$`),
    );
  });
});
