/**
 * The catalog meta-test: every `required` entry of the requirement catalog passes in one
 * scenario and fails in another.
 *
 * "Passes": a passing base snapshot (pass-cross-account, pass-with-lambda-invoke, all-providers)
 * has an Allowed link for the entry. "Fails": copy that snapshot, remove exactly the grant that
 * allowed the link (the allowing statement named by the link's `allowedBy` location, rewritten
 * without that one action), analyze again, and the same link must now be denied by the policy the
 * grant was taken from. When a link is allowed by several grants (a key policy naming the role
 * and also delegating to IAM), the grants are removed one after the other, each one named by the
 * new `allowedBy`, until the link is denied.
 *
 * Entries no snapshot can make Allowed are listed in NOT_EXERCISED with the reason; the test
 * checks that they are indeed never allowed, so the list cannot go stale.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { getCatalog } from '../../src/chain/catalog.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import { expandActionPattern } from '../../src/policy/actionCatalog.js';
import type { LinkReason, Report, ReportLink } from '../../src/report/types.js';
import { REPO_ROOT, SCENARIOS_DIR } from './helpers.js';

const BASES = ['pass-cross-account', 'pass-with-lambda-invoke', 'all-providers'] as const;

/** Required entries no snapshot can show Allowed, and why. Keep this list short. */
const NOT_EXERCISED: Readonly<Record<string, string>> = {
  'ecs.pass-role':
    'the task and execution roles come from the ECS task definition, which is not part of a snapshot; test/load/templates/ecs.test.ts shows it allowed and denied from a template',
  'ecs.register-task-definition':
    'the task definition family comes from the ECS task definition, which is not part of a snapshot; test/load/templates/ecs.test.ts shows it allowed and denied from a template',
  'ecs-blue-green.pass-role':
    'the task and execution roles come from the ECS task definition, which is not part of a snapshot',
  'ecs-blue-green.register-task-definition':
    'the task definition family comes from the ECS task definition, which is not part of a snapshot',
  'codedeploy.instance-get-object':
    "the caller is the instance profile role of the deployment group's EC2 instances, which a snapshot does not name",
  'codedeploy.instance-kms-decrypt':
    "the caller is the instance profile role of the deployment group's EC2 instances, which a snapshot does not name",
};

const MUTABLE: ReadonlySet<LinkReason['policyType']> = new Set([
  'identity',
  'resource',
  'permissionBoundary',
  'session',
]);

interface Found {
  readonly base: string;
  readonly pipeline: string;
  readonly link: ReportLink;
}

const tmp = mkdtempSync(join(tmpdir(), 'permchain-coverage-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let copies = 0;

function analyzeDir(dir: string, pipeline?: string): Report {
  return analyzeModel(loadSnapshot(dir), pipeline ? { pipelines: [pipeline] } : {});
}

function baseDir(base: string): string {
  return join(REPO_ROOT, SCENARIOS_DIR, base);
}

/** The first Allowed link of each required entry across the passing bases. */
function allowedByRequirement(): Map<string, Found> {
  const out = new Map<string, Found>();
  for (const base of BASES) {
    for (const p of analyzeDir(baseDir(base)).pipelines) {
      for (const link of p.links) {
        if (link.level !== 'required' || link.decision !== 'Allowed') continue;
        if (!out.has(link.requirement)) out.set(link.requirement, { base, pipeline: p.name, link });
      }
    }
  }
  return out;
}

const allowed = allowedByRequirement();
const required = getCatalog().entries.filter((e) => e.level === 'required');

// ---------------------------------------------------------------------------------------------
// Removing one grant from a statement in a snapshot file

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function tokens(pointer: string): string[] {
  return pointer === ''
    ? []
    : pointer
        .slice(1)
        .split('/')
        .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/**
 * Apply `edit` to the value at `path`, descending into policy documents held as JSON strings
 * (bucket and key policies, SCP content); `undefined` from `edit` removes the value.
 */
function editAt(value: Json, path: readonly string[], edit: (v: Json) => Json | undefined): Json {
  if (typeof value === 'string') {
    const encoded = value.startsWith('%');
    const inner = JSON.parse(encoded ? decodeURIComponent(value) : value) as Json;
    const text = JSON.stringify(editAt(inner, path, edit));
    return encoded ? encodeURIComponent(text) : text;
  }
  const [head, ...rest] = path;
  if (head === undefined || value === null || typeof value !== 'object') {
    throw new Error(`cannot follow the pointer at \`${head ?? ''}\``);
  }
  if (Array.isArray(value)) {
    const i = Number(head);
    if (rest.length > 0) value[i] = editAt(value[i]!, rest, edit);
    else {
      const next = edit(value[i]!);
      if (next === undefined) value.splice(i, 1);
      else value[i] = next;
    }
    return value;
  }
  if (rest.length > 0) value[head] = editAt(value[head]!, rest, edit);
  else {
    const next = edit(value[head]!);
    // a lone statement object (`"Statement": {...}`) that loses its last action: no statements
    value[head] = next === undefined ? [] : next;
  }
  return value;
}

function globMatches(pattern: string, action: string): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${re}$`, 'i').test(action);
}

/** The statement without `permission`: wildcards are expanded to every other action they cover. */
function withoutPermission(statement: Json, permission: string): Json | undefined {
  if (statement === null || typeof statement !== 'object' || Array.isArray(statement)) {
    throw new Error('the pointer does not lead to a statement');
  }
  const s = { ...statement };
  const list = (v: Json | undefined): string[] =>
    v === undefined ? [] : Array.isArray(v) ? (v as string[]) : [v as string];
  if (s['NotAction'] !== undefined) {
    s['NotAction'] = [...list(s['NotAction']), permission];
    return s;
  }
  const actions = list(s['Action']);
  if (actions.length === 1 && actions[0] === '*') {
    delete s['Action'];
    s['NotAction'] = [permission];
    return s;
  }
  const kept: string[] = [];
  for (const a of actions) {
    if (!globMatches(a, permission)) kept.push(a);
    else if (/[*?]/.test(a)) {
      kept.push(
        ...expandActionPattern(a).filter((x) => x.toLowerCase() !== permission.toLowerCase()),
      );
    }
  }
  if (kept.length === 0) return undefined;
  s['Action'] = kept.length === 1 ? kept[0]! : kept;
  return s;
}

function removeGrant(dir: string, reason: LinkReason, permission: string): void {
  const loc = reason.location!;
  const file = join(dir, loc.file);
  const doc = JSON.parse(readFileSync(file, 'utf8')) as Json;
  const next = editAt(doc, tokens(loc.pointer ?? ''), (st) => withoutPermission(st, permission));
  writeFileSync(file, JSON.stringify(next, null, 2) + '\n');
}

const key = (r: LinkReason): string => `${r.policyType}\u0000${r.policy}\u0000${r.statement ?? ''}`;
const grants = (link: ReportLink): LinkReason[] =>
  (link.allowedBy ?? []).filter((r) => MUTABLE.has(r.policyType) && r.location?.pointer);

interface Outcome {
  readonly removed: readonly LinkReason[];
  readonly after: ReportLink;
}

function linkIn(report: Report, pipeline: string, id: string): ReportLink {
  const link = report.pipelines.find((p) => p.name === pipeline)?.links.find((l) => l.id === id);
  if (!link) throw new Error(`link \`${id}\` disappeared after the mutation`);
  return link;
}

/** Remove the grants behind `found.link` until it is no longer allowed. */
function breakLink(found: Found): Outcome {
  const fresh = (): string => {
    const dir = join(tmp, `copy-${++copies}`);
    cpSync(baseDir(found.base), dir, { recursive: true });
    return dir;
  };
  const { link, pipeline } = found;
  // one grant alone is enough most of the time
  for (const r of grants(link)) {
    const dir = fresh();
    removeGrant(dir, r, link.permission);
    const after = linkIn(analyzeDir(dir, pipeline), pipeline, link.id);
    if (after.decision !== 'Allowed') return { removed: [r], after };
  }
  // several grants allow it: remove each one the new report names, one after the other
  const dir = fresh();
  const removed: LinkReason[] = [];
  let current = link;
  for (let round = 0; round < 6 && current.decision === 'Allowed'; round++) {
    const next = grants(current).filter((r) => !removed.some((x) => key(x) === key(r)));
    if (next.length === 0) break;
    removeGrant(dir, next[0]!, link.permission);
    removed.push(next[0]!);
    current = linkIn(analyzeDir(dir, pipeline), pipeline, link.id);
  }
  return { removed, after: current };
}

// ---------------------------------------------------------------------------------------------

describe('catalog coverage: every required entry passes in one scenario and fails in another', () => {
  it('the catalog has required entries and the list of exceptions is short and current', () => {
    expect(required.length).toBeGreaterThan(50);
    const ids = new Set(required.map((e) => e.id));
    for (const id of Object.keys(NOT_EXERCISED)) expect(ids.has(id), id).toBe(true);
    expect(Object.keys(NOT_EXERCISED).length).toBeLessThanOrEqual(7);
  });

  const exercised = required.filter((e) => NOT_EXERCISED[e.id] === undefined);
  it.each(exercised.map((e) => e.id))('%s', (id) => {
    const found = allowed.get(id);
    expect(found, `no passing scenario has an Allowed link for \`${id}\``).toBeDefined();
    expect(grants(found!.link).length, 'the link names no grant to remove').toBeGreaterThan(0);
    const { removed, after } = breakLink(found!);
    expect(
      ['ImplicitlyDenied', 'ExplicitlyDenied'],
      `removing ${removed.map((r) => `${r.policy} ${r.statement ?? ''}`).join(', ')} left \`${after.id}\` ${after.decision}`,
    ).toContain(after.decision);
    // the denial is decided by a policy a grant was removed from
    const touched = new Set(removed.map((r) => `${r.policyType}\u0000${r.policy}`));
    expect(after.deniedBy.some((d) => touched.has(`${d.policyType}\u0000${d.policy}`))).toBe(true);
  });

  it.each(Object.keys(NOT_EXERCISED))('%s is never allowed (still needs its exception)', (id) => {
    expect(allowed.has(id)).toBe(false);
  });

  it('the exceptions are exercised: all-providers expands them (Unknown)', () => {
    const report = analyzeDir(baseDir('all-providers'));
    const seen = new Map<string, string>();
    for (const p of report.pipelines)
      for (const l of p.links)
        if (NOT_EXERCISED[l.requirement]) seen.set(l.requirement, l.decision);
    expect(Object.fromEntries([...seen].sort())).toEqual({
      'codedeploy.instance-get-object': 'Unknown',
      'codedeploy.instance-kms-decrypt': 'Unknown',
      'ecs-blue-green.pass-role': 'Unknown',
      'ecs-blue-green.register-task-definition': 'Unknown',
      'ecs.pass-role': 'Unknown',
      'ecs.register-task-definition': 'Unknown',
    });
  });
});
