/**
 * Keys in a snapshot. A key file is named after its key (`kms/<key-id>.json`); one whose
 * describe-key output is another key's (copied or renamed) was read under the id it describes,
 * so the links to the key it is named after found nothing and were Unknown with no problem said:
 * now an input error naming `/KeyMetadata/KeyId`.
 *
 * A KMS key reference in a CodeBuild project (`encryptionKey`) or a pipeline's artifact store
 * (`encryptionKey.id`) is a key id, a key ARN, an alias ARN or `alias/<name>`. Text that is none
 * of them (a quoted ARN, a sentence) was read as a key id, so the links on it were Unknown naming
 * an odd file and no input error was said; a project key of the wrong type was dropped, which
 * read as CodeBuild's default (the AWS managed key for S3). Both are now input errors, and the
 * key is unknown.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';

const CODEBUILD = '111111111111/us-east-1/codebuild.json';
const PIPELINE = '111111111111/us-east-1/codepipeline/demo-app.json';
const KEY = '0b6e3a5c-4c1f-4d0a-9d47-6f2f3e1a9c10';
const KEY_FILE = `111111111111/us-east-1/kms/${KEY}.json`;
const KEY_ARN = `arn:aws:kms:us-east-1:111111111111:key/${KEY}`;
const OTHER_KEY_ARN = 'arn:aws:kms:us-east-1:111111111111:key/11111111-2222-3333-4444-555555555555';
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function demoWith(file: string, edit: (doc: Json) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'permchain-key-ref-'));
  dirs.push(dir);
  cpSync('fixtures/demo', dir, { recursive: true });
  const doc = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Json;
  edit(doc);
  writeFileSync(join(dir, file), JSON.stringify(doc));
  return dir;
}

const brief = (dir: string): string[] =>
  loadSnapshot(dir).problems.map((p) => `${p.severity} ${p.file}#${p.pointer} ${p.id}`);

describe('KMS key references in a snapshot', () => {
  it('accepts a key ARN, a key id, an alias ARN and alias/<name> (control)', () => {
    for (const key of [
      KEY_ARN,
      KEY,
      'arn:aws:kms:us-east-1:111111111111:alias/demo-artifacts',
      'alias/demo-artifacts',
    ]) {
      const dir = demoWith(CODEBUILD, (d) => {
        d['projects'][0]['encryptionKey'] = key;
      });
      expect(brief(dir), key).toEqual([]);
    }
  });

  it('refuses a project key that is no key reference, and leaves what it encrypts unknown', () => {
    for (const key of [JSON.stringify(KEY_ARN), 'the artifacts key', 42]) {
      const dir = demoWith(CODEBUILD, (d) => {
        d['projects'][0]['encryptionKey'] = key;
      });
      expect(brief(dir), String(key)).toEqual([
        `error ${CODEBUILD}#/projects/0/encryptionKey snapshot.shape.invalid`,
      ]);
      const links = analyzeModel(loadSnapshot(dir)).pipelines[0]!.links;
      const output = links.filter((l) =>
        l.id.startsWith('Build/Build:codebuild-project.output-kms'),
      );
      expect(output.length, String(key)).toBeGreaterThan(0);
      for (const l of output) expect(l.decision, `${String(key)} ${l.id}`).toBe('Unknown');
    }
  });

  it('refuses an artifact store key id that is no key reference', () => {
    const dir = demoWith(PIPELINE, (d) => {
      d['pipeline']['artifactStore']['encryptionKey']['id'] = `"${KEY_ARN}"`;
    });
    expect(brief(dir)).toEqual([
      `error ${PIPELINE}#/pipeline/artifactStore/encryptionKey/id snapshot.shape.invalid`,
    ]);
    const links = analyzeModel(loadSnapshot(dir)).pipelines[0]!.links;
    const kms = links.filter(
      (l) => l.permission.startsWith('kms:') && l.id.startsWith('Source/Source:artifacts'),
    );
    expect(kms.length).toBeGreaterThan(0);
    for (const l of kms) expect(l.decision, l.id).toBe('Unknown');
  });
});

describe('a key file that describes another key', () => {
  it('the demo key file names its own key (control)', () => {
    expect(brief(demoWith(KEY_FILE, () => {}))).toEqual([]);
  });

  it('is an input error when KeyId is not the key the file is named after', () => {
    const dir = demoWith(KEY_FILE, (d) => {
      d['KeyMetadata']['KeyId'] = '11111111-2222-3333-4444-555555555555';
      d['KeyMetadata']['Arn'] = OTHER_KEY_ARN;
    });
    expect(brief(dir)).toEqual([
      `error ${KEY_FILE}#/KeyMetadata/KeyId snapshot.kms.key-id-mismatch`,
    ]);
  });

  it('is an input error when the Arn names another key than KeyId', () => {
    const dir = demoWith(KEY_FILE, (d) => {
      d['KeyMetadata']['Arn'] = OTHER_KEY_ARN;
    });
    expect(brief(dir)).toEqual([`error ${KEY_FILE}#/KeyMetadata/Arn snapshot.kms.key-id-mismatch`]);
  });
});
