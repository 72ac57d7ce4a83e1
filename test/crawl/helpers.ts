/**
 * Shared helpers for the crawl tests: read a snapshot folder as {path → parsed JSON}; crawl a
 * scenario through the fake into a folder and analyze it.
 */
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { crawl, type CrawlOptions, type CrawlResult } from '../../src/crawl/crawl.js';
import type { SnapshotFile } from '../../src/crawl/snapshotWriter.js';
import { writeSnapshotFiles } from '../../src/crawl/writeSnapshotFiles.js';
import type { Report } from '../../src/report/types.js';
import {
  FAKE_CALLER_KEY,
  startFakeAws,
  type FakeAwsOptions,
  type FakeRequest,
  type Fault,
} from './fakeAws.js';

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

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * A copy of `fixtures/scenarios/<name>` that the fake can serve to a crawl: every account's
 * iam.json gains the `PermchainAudit` role that TEMPLATE assumes (it has no policy, so it changes
 * no decision of the scenario).
 */
export function scenarioCopy(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `permchain-${name}-`));
  cpSync(join(REPO_ROOT, 'fixtures', 'scenarios', name), dir, { recursive: true });
  for (const account of readdirSync(dir).filter((n) => /^\d{12}$/.test(n))) {
    const path = join(dir, account, 'iam.json');
    if (!existsSync(path)) continue;
    const iam = JSON.parse(readFileSync(path, 'utf8')) as { RoleDetailList?: unknown[] };
    iam.RoleDetailList = [
      ...(iam.RoleDetailList ?? []),
      {
        RoleName: 'PermchainAudit',
        Arn: `arn:aws:iam::${account}:role/PermchainAudit`,
        Path: '/',
        RoleId: `AROAAUDIT${account}`,
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: 'arn:aws:iam::111111111111:root' },
              Action: 'sts:AssumeRole',
            },
          ],
        },
        RolePolicyList: [],
        AttachedManagedPolicies: [],
      },
    ];
    writeFileSync(path, JSON.stringify(iam, null, 2) + '\n');
  }
  return dir;
}

/** Crawl `fixture` through the fake (with `faults`) and write the snapshot into a new folder. */
export async function crawlToFolder(
  fixture: string,
  faults: readonly Fault[] = [],
  options: Partial<CrawlOptions> = {},
): Promise<{ result: CrawlResult; dir: string }> {
  const { result, dir } = await crawlThroughFake({ fixture, faults }, options);
  return { result, dir };
}

/**
 * Crawl through a fake with its own options (crawlToFolder's, and the fake's others: an
 * account's organization, Lambda versions); the snapshot written into a new folder, and the
 * requests the fake answered.
 */
export async function crawlThroughFake(
  fakeOptions: FakeAwsOptions,
  options: Partial<CrawlOptions> = {},
): Promise<{ result: CrawlResult; dir: string; requests: FakeRequest[] }> {
  const fake = await startFakeAws(fakeOptions);
  try {
    const result = await crawl({
      endpoint: fake.endpoint,
      credentials: { accessKeyId: FAKE_CALLER_KEY, secretAccessKey: 'fake' },
      regions: ['us-east-1'],
      assumeRoleTemplate: TEMPLATE,
      maxAttempts: 2,
      ...options,
    });
    const dir = mkdtempSync(join(tmpdir(), 'permchain-crawled-'));
    await writeSnapshotFiles(dir, result);
    return { result, dir, requests: fake.requests };
  } finally {
    await fake.close();
  }
}

/** `permchain analyze <dir> --format json`, in-process: the decision of every link by id. */
export async function linkDecisions(
  dir: string,
): Promise<Record<string, { decision: string; missing: readonly string[] }>> {
  const io = memoryIo(REPO_ROOT);
  await main(['node', 'permchain', 'analyze', dir, '--format', 'json'], io);
  const report = JSON.parse(io.out) as Report;
  const out: Record<string, { decision: string; missing: readonly string[] }> = {};
  for (const p of report.pipelines) {
    for (const l of p.links) {
      out[`${p.name} | ${l.id}`] = { decision: l.decision, missing: l.missing ?? [] };
    }
  }
  return out;
}

type Json = Record<string, unknown>;

/**
 * FIXTURE with the webapp pipeline's Lambda invoke action replaced by one action per name in
 * `names` (a function name, possibly qualified: `webapp-smoke-test:live`), in a new folder.
 */
export function fixtureInvoking(...names: string[]): string {
  const fx = mkdtempSync(join(tmpdir(), 'permchain-qualifier-'));
  cpSync(FIXTURE, fx, { recursive: true });
  const file = join(fx, '111111111111/us-east-1/codepipeline/webapp.json');
  const j = JSON.parse(readFileSync(file, 'utf8')) as Json;
  for (const stage of (j['pipeline'] as { stages: { actions: Json[] }[] }).stages) {
    const i = stage.actions.findIndex(
      (a) => (a['configuration'] as Json | undefined)?.['FunctionName'] !== undefined,
    );
    if (i < 0) continue;
    const action = stage.actions[i]!;
    stage.actions.splice(
      i,
      1,
      ...names.map((FunctionName, n) => ({
        ...action,
        name: `${String(action['name'])}${n === 0 ? '' : n}`,
        configuration: { ...(action['configuration'] as Json), FunctionName },
      })),
    );
  }
  writeFileSync(file, JSON.stringify(j, null, 2) + '\n');
  return fx;
}
