/**
 * Test helper for templates laid over a snapshot: a copy of the demo snapshot (fixtures/demo,
 * account 111111111111) in a temporary folder, with extra roles copied from one of its roles,
 * and a template file beside it.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadInput } from '../../../src/cli/loadInput.js';
import type { Model } from '../../../src/model/types.js';

export const DEMO_ACCOUNT = '111111111111';

/**
 * The copy: each of `extra` is the role `baseRole` with those members written over it, added to
 * the account's iam.json; `template` is written as template.json.
 */
export function demoWithRoles(
  prefix: string,
  baseRole: string,
  extra: readonly Record<string, unknown>[],
  template: unknown,
): { dir: string; template: string } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cpSync('fixtures/demo', dir, { recursive: true });
  const iamPath = join(dir, DEMO_ACCOUNT, 'iam.json');
  const iam = JSON.parse(readFileSync(iamPath, 'utf8')) as {
    RoleDetailList: Record<string, unknown>[];
  };
  const base = iam.RoleDetailList.find((r) => r['RoleName'] === baseRole)!;
  for (const e of extra) iam.RoleDetailList.push({ ...base, ...e });
  writeFileSync(iamPath, JSON.stringify(iam));
  const templatePath = join(dir, 'template.json');
  writeFileSync(templatePath, JSON.stringify(template));
  return { dir, template: templatePath };
}

/** The template laid over the snapshot as stack `demo-stack` of the demo account, us-east-1. */
export function overDemo(dir: string, template: string): Model {
  return loadInput(process.cwd(), {
    input: dir,
    template,
    account: DEMO_ACCOUNT,
    region: 'us-east-1',
    stackName: 'demo-stack',
  }).model;
}
