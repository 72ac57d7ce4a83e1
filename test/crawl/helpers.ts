/** Shared helpers for the crawl tests: read a snapshot folder as {path → parsed JSON}. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SnapshotFile } from '../../src/crawl/snapshotWriter.js';

export const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'two-account');
export const TEMPLATE = 'arn:aws:iam::{account}:role/PermchainAudit';

export function readSnapshot(dir: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out[relative(dir, full).split(sep).join('/')] = JSON.parse(readFileSync(full, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

export function parseFiles(files: readonly SnapshotFile[]): Record<string, unknown> {
  return Object.fromEntries(files.map((f) => [f.path, JSON.parse(f.content)]));
}

/** The fixture without some files (what a crawl that could not read them gives). */
export function fixtureWithout(...paths: string[]): Record<string, unknown> {
  const all = readSnapshot(FIXTURE);
  for (const p of paths) delete all[p];
  return all;
}
