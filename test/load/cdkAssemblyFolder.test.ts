/**
 * The placeholders of environment-agnostic CDK stacks do not depend on the folder the assembly
 * is read from: two copies of one assembly (`permchain diff main/cdk.out pr/cdk.out`, a baseline
 * written in CI and checked on a laptop) give the same ARNs and link ids. They were made from
 * the assembly's path, so two identical assemblies read as a pipeline removed and another added,
 * every link of it newly unknown, and a baseline never matched a run from another folder.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCdkAssembly } from '../../src/load/cdk.js';
import { noManagedPolicies } from '../../src/load/managedPolicies.js';
import { displayPath } from '../../src/load/stacks.js';
import { runCli } from '../cli/runCli.js';

const root = resolve(__dirname, '../..');
const FIXTURE = 'test/load/templates/fixtures/agnostic';
const NESTED = 'test/load/templates/fixtures/cdk.out';

const TEMP_DIRS: string[] = [];
afterAll(() => {
  for (const d of TEMP_DIRS) rmSync(d, { recursive: true, force: true });
});

/** Two copies of `fixture`, at folders of different depth. */
function twoCopies(fixture: string): [string, string] {
  const base = mkdtempSync(join(tmpdir(), 'permchain-cdk-folder-'));
  TEMP_DIRS.push(base);
  const a = join(base, 'main', 'cdk.out');
  const b = join(base, 'pr', 'checkout', 'app', 'cdk.out');
  for (const d of [a, b]) {
    mkdirSync(d, { recursive: true });
    cpSync(resolve(root, fixture), d, { recursive: true });
  }
  return [a, b];
}

/** The report with the folder the assembly was read from replaced by one name. */
function placeless(text: string, dir: string): string {
  return text.split(displayPath(dir)).join('<cdk.out>').split(dir).join('<cdk.out>');
}

describe('an environment-agnostic CDK assembly read from two folders', () => {
  const [a, b] = twoCopies(FIXTURE);

  it('analyze gives the same report, the folder name aside', async () => {
    const ra = await runCli(root, 'analyze', a, '--format', 'json');
    const rb = await runCli(root, 'analyze', b, '--format', 'json');
    expect(ra.code).toBe(0);
    expect(rb.code).toBe(0);
    const report = JSON.parse(ra.out) as { pipelines: { arn: string }[] };
    expect(report.pipelines).toHaveLength(1);
    expect(report.pipelines[0]!.arn).toMatch(
      /^arn:aws:codepipeline:unresolved-[0-9a-f]{10}:unresolved-[0-9a-f]{10}:pl$/,
    );
    expect(placeless(rb.out, b)).toBe(placeless(ra.out, a));
  });

  it('diff between them reports no change', async () => {
    const r = await runCli(root, 'diff', a, b);
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toMatch(/^no change \([1-9][0-9]* links unchanged\)$/);
    expect(r.out).not.toContain('removed');
    expect(r.out).not.toContain('newly');
  });

  it('a baseline written from one accepts the run of the other', async () => {
    const file = join(a, '..', 'baseline.json');
    const w = await runCli(root, 'baseline', a, '--output', file, '--expires', '2999-01-01');
    expect(w.code).toBe(0);
    const strict = await runCli(root, 'analyze', b, '--fail-on', 'unknown');
    expect(strict.code).toBe(1);
    const r = await runCli(root, 'analyze', b, '--fail-on', 'unknown', '--baseline', file);
    expect(r.code).toBe(0);
  });
});

describe('nested assemblies (CDK stages) read from two folders', () => {
  const [a, b] = twoCopies(NESTED);

  it('the stacks are in the same accounts and regions', () => {
    const ma = loadCdkAssembly(a, { managedPolicies: noManagedPolicies }).model;
    const mb = loadCdkAssembly(b, { managedPolicies: noManagedPolicies }).model;
    const roles = (m: typeof ma): string[] =>
      [...m.accounts.values()].flatMap((acct) => [...(acct.iam?.roles.keys() ?? [])]);
    expect(roles(ma)).toEqual([
      expect.stringMatching(/^arn:aws:iam::unresolved-[0-9a-f]{10}:role\//),
    ]);
    expect(roles(mb)).toEqual(roles(ma));
    expect([...mb.accounts.keys()]).toEqual([...ma.accounts.keys()]);
    expect([...(mb.unresolved?.keys() ?? [])]).toEqual([...(ma.unresolved?.keys() ?? [])]);
  });
});
