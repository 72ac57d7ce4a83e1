/**
 * The demo fixture and its names, for the CLI tests that run on it or on a changed copy of it, and
 * temporary folders for those copies. The folders are removed by the test file that asks for them:
 * `const { tempDir, demoCopy, removeTempDirs } = tempFolders(); afterAll(removeTempDirs);`.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const root = resolve(__dirname, '../..');
export const demo = join(root, 'fixtures/demo');
export const KEY_FILE = '111111111111/us-east-1/kms/0b6e3a5c-4c1f-4d0a-9d47-6f2f3e1a9c10.json';
export const PIPELINE_FILE = '111111111111/us-east-1/codepipeline/demo-app.json';
export const BROKEN = 'DeployProd/DeployStack:artifacts.input.kms-decrypt:kms:Decrypt';
export const EAST = 'arn:aws:codepipeline:us-east-1:111111111111:demo-app';
export const WEST = 'arn:aws:codepipeline:us-west-2:111111111111:demo-app';

export interface TempFolders {
  /** a new empty temporary folder, named after `prefix` */
  tempDir: (prefix: string) => string;
  /** a new temporary copy of the demo fixture */
  demoCopy: (prefix?: string) => string;
  /** removes every folder made so far */
  removeTempDirs: () => void;
}

/** Temporary folders of one test file; it removes them with `afterAll(removeTempDirs)`. */
export function tempFolders(): TempFolders {
  const dirs: string[] = [];
  const tempDir = (prefix: string): string => {
    const dir = mkdtempSync(join(tmpdir(), `permchain-${prefix}-`));
    dirs.push(dir);
    return dir;
  };
  return {
    tempDir,
    demoCopy: (prefix = 'demo') => {
      const dir = tempDir(prefix);
      cpSync(demo, dir, { recursive: true });
      return dir;
    },
    removeTempDirs: () => {
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    },
  };
}

/** writes a baseline file (version 1) holding `entries` */
export function writeBaselineFile(file: string, entries: readonly object[]): void {
  writeFileSync(file, JSON.stringify({ version: 1, entries }));
}

/** Adds `statement` to the key policy of the demo copy in `dir`. */
export function addKeyStatement(dir: string, statement: object): void {
  const file = join(dir, KEY_FILE);
  const key = JSON.parse(readFileSync(file, 'utf8')) as { Policy: string };
  const policy = JSON.parse(key.Policy) as { Statement: unknown[] };
  policy.Statement.push(statement);
  writeFileSync(file, JSON.stringify({ ...key, Policy: JSON.stringify(policy) }));
}

/** The key policy statement that fixes the demo's one broken link: prod may decrypt. */
export const PROD_DECRYPT = {
  Effect: 'Allow',
  Principal: { AWS: 'arn:aws:iam::222222222222:root' },
  Action: 'kms:Decrypt',
  Resource: '*',
};
