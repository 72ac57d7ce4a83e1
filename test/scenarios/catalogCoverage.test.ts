/**
 * The catalog meta-test: every `required` entry of the requirement catalog passes in one
 * scenario and fails in another.
 *
 * "Passes": a passing base snapshot (pass-cross-account, pass-with-lambda-invoke,
 * pass-with-stage-conditions, pass-stacksets, all-providers)
 * has an Allowed link for the entry. "Fails": copy that snapshot, remove exactly the grant that
 * allowed the link (the allowing statement named by the link's `allowedBy` location, rewritten
 * without that one action), analyze again, and the same link must now be denied by the policy the
 * grant was taken from. When a link is allowed by several grants (a key policy naming the role
 * and also delegating to IAM), the grants are removed one after the other, each one named by the
 * new `allowedBy`, until the link is denied.
 *
 * A few entries need what no snapshot holds: an ECS task definition, the instance profile of a
 * CodeDeploy group's instances, a file read from an artifact. Each has a WITNESS instead: a
 * template (with the artifact folders it needs) whose link for the entry is Allowed with the
 * template's defaults and denied when a parameter takes the grant out, denied by a policy that
 * allowed it. The test checks that no snapshot can show a witnessed entry, so the list cannot go
 * stale, and that a snapshot still expands those entries (as Unknown).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { getCatalog } from '../../src/chain/catalog.js';
import { readSuppliedArtifacts, type ArtifactDirectory } from '../../src/load/artifacts.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import { loadSingleTemplate } from '../../src/load/stacks.js';
import { expandActionPattern } from '../../src/policy/actionCatalog.js';
import type { LinkReason, Report, ReportLink } from '../../src/report/types.js';
import { REPO_ROOT, SCENARIOS_DIR } from './helpers.js';

const BASES = [
  'pass-cross-account',
  'pass-with-lambda-invoke',
  'pass-with-stage-conditions',
  'pass-stacksets',
  'all-providers',
] as const;

const TEMPLATES = join(REPO_ROOT, 'test/load/templates/fixtures');

/** A template (and artifact folders) whose link `link` is Allowed, and denied with `deny`. */
interface Witness {
  /** why no snapshot can show the entry */
  readonly why: string;
  readonly template: string;
  readonly artifacts?: readonly ArtifactDirectory[];
  readonly link: string;
  /** template parameters that take the grant out */
  readonly deny: Readonly<Record<string, string>>;
}

// a family no snapshot holds is tried with made-up ones (resolveLink byUnsettledName), so
// all-providers shows ecs(-blue-green).register-task-definition; the roles are not tried
const ECS_WHY = 'the roles come from the ECS task definition, which no snapshot holds';
const BLUE_GREEN: Pick<Witness, 'why' | 'template' | 'artifacts'> = {
  why: 'the task definition is read at run time from taskdef.json in an input artifact',
  template: 'ecs-blue-green/pipeline.yaml',
  artifacts: [{ artifact: 'App', dir: join(TEMPLATES, 'ecs-blue-green/source') }],
};
const INSTANCES: Pick<Witness, 'why' | 'template'> = {
  why: "the caller is the instance profile role of the deployment group's EC2 instances, which a snapshot does not name",
  template: 'codedeploy/pipeline.yaml',
};

/** Required entries no snapshot can show, each with the template that shows it both ways. */
const WITNESSES: Readonly<Record<string, Witness>> = {
  'ecs.pass-role': {
    why: ECS_WHY,
    template: 'ecs/pipeline.yaml',
    link: 'Deploy/Deploy:ecs.pass-role:iam:PassRole:arn:aws:iam::111111111111:role/web-execution',
    deny: { PassExecutionRole: 'false' },
  },
  'ecs-blue-green.pass-role': {
    ...BLUE_GREEN,
    link: 'Deploy/Deploy:ecs-blue-green.pass-role:iam:PassRole:arn:aws:iam::111111111111:role/web-execution',
    deny: { PassExecutionRole: 'false' },
  },
  'codedeploy.instance-get-object': {
    ...INSTANCES,
    link: 'Deploy/Deploy:codedeploy.instance-get-object:s3:GetObject:arn:aws:s3:::web-artifacts-111111111111/web/App/*:arn:aws:iam::111111111111:role/web-instance',
    deny: { WebCanRead: 'false' },
  },
  'codedeploy.instance-kms-decrypt': {
    ...INSTANCES,
    link: 'Deploy/Deploy:codedeploy.instance-kms-decrypt:kms:Decrypt:arn:aws:iam::111111111111:role/web-instance',
    deny: { WebCanDecrypt: 'false' },
  },
};

/**
 * A link authorized on a Lambda version or alias (`function:<name>:<qualifier>`): the alias has a
 * resource policy of its own, which no snapshot holds (get-policy without --qualifier returns the
 * function's), so taking the caller's grant out leaves the link Unknown, naming that policy, since
 * the alias's policy could allow the caller. The test takes the grant out and checks that; then it
 * adds a Deny of the call to the same caller policy, which no alias policy can override, and the
 * link must be denied by that policy.
 */
const aliasAuthorized = (link: ReportLink): boolean =>
  /^arn:[^:]+:lambda:[^:]*:[^:]*:function:[^:]+:[^:]+$/.test(link.resource);

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

/** The witness's link, analyzed with the template's defaults overridden by `parameters`. */
function witnessLink(w: Witness, parameters: Readonly<Record<string, string>>): ReportLink {
  const { model } = loadSingleTemplate(join(TEMPLATES, w.template), {
    account: '111111111111',
    region: 'us-east-1',
    parameters: { ...parameters },
  });
  const supplied = readSuppliedArtifacts(model, w.artifacts ?? [], { cwd: REPO_ROOT });
  expect(supplied.problems).toEqual([]);
  const report = analyzeModel(model, { artifacts: supplied.artifacts });
  expect(report.problems.filter((p) => p.severity === 'error')).toEqual([]);
  const link = report.pipelines[0]!.links.find((l) => l.id === w.link);
  if (!link) throw new Error(`no link \`${w.link}\` in ${w.template}`);
  return link;
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

/** breakLink for a link aliasAuthorized: Unknown without the grant, denied by an added Deny. */
function breakAliasLink(found: Found): Outcome {
  const { link, pipeline } = found;
  const [grant] = grants(link);
  expect(grant, 'the link names no grant to remove').toBeDefined();
  const dir = join(tmp, `copy-${++copies}`);
  cpSync(baseDir(found.base), dir, { recursive: true });
  removeGrant(dir, grant!, link.permission);
  const open = linkIn(analyzeDir(dir, pipeline), pipeline, link.id);
  expect(open.decision).toBe('Unknown');
  expect(open.why).toContain('get-policy --qualifier');
  // a Deny statement in the same policy, after the one the grant was taken from
  const loc = grant!.location!;
  const file = join(dir, loc.file);
  const statements = tokens(loc.pointer ?? '').slice(0, -1);
  const doc = JSON.parse(readFileSync(file, 'utf8')) as Json;
  const next = editAt(doc, statements, (list) => [
    ...(list as Json[]),
    { Effect: 'Deny', Action: link.permission, Resource: link.resource },
  ]);
  writeFileSync(file, JSON.stringify(next, null, 2) + '\n');
  return { removed: [grant!], after: linkIn(analyzeDir(dir, pipeline), pipeline, link.id) };
}

// ---------------------------------------------------------------------------------------------

describe('catalog coverage: every required entry passes in one scenario and fails in another', () => {
  it('the catalog has required entries and the list of witnesses is short and current', () => {
    expect(required.length).toBeGreaterThan(50);
    const ids = new Set(required.map((e) => e.id));
    for (const id of Object.keys(WITNESSES)) expect(ids.has(id), id).toBe(true);
    expect(Object.keys(WITNESSES).length).toBeLessThanOrEqual(7);
  });

  const bySnapshot = required.filter((e) => WITNESSES[e.id] === undefined);
  it.each(bySnapshot.map((e) => e.id))('%s', (id) => {
    const found = allowed.get(id);
    expect(found, `no passing scenario has an Allowed link for \`${id}\``).toBeDefined();
    expect(grants(found!.link).length, 'the link names no grant to remove').toBeGreaterThan(0);
    const { removed, after } = aliasAuthorized(found!.link)
      ? breakAliasLink(found!)
      : breakLink(found!);
    expect(
      ['ImplicitlyDenied', 'ExplicitlyDenied'],
      `removing ${removed.map((r) => `${r.policy} ${r.statement ?? ''}`).join(', ')} left \`${after.id}\` ${after.decision}`,
    ).toContain(after.decision);
    // the denial is decided by a policy a grant was removed from
    const touched = new Set(removed.map((r) => `${r.policyType}\u0000${r.policy}`));
    expect(after.deniedBy.some((d) => touched.has(`${d.policyType}\u0000${d.policy}`))).toBe(true);
  });

  it.each(Object.keys(WITNESSES))('%s (template witness)', (id) => {
    const w = WITNESSES[id]!;
    const pass = witnessLink(w, {});
    expect(pass.requirement).toBe(id);
    expect(pass.decision).toBe('Allowed');
    const allowedBy = grants(pass);
    expect(allowedBy.length, 'the link names no grant').toBeGreaterThan(0);
    const fail = witnessLink(w, w.deny);
    expect(['ImplicitlyDenied', 'ExplicitlyDenied']).toContain(fail.decision);
    // denied by a policy that allowed it before the parameter took the grant out
    const granting = new Set(allowedBy.map((r) => `${r.policyType}\u0000${r.policy}`));
    expect(fail.deniedBy.some((d) => granting.has(`${d.policyType}\u0000${d.policy}`))).toBe(true);
  });

  it.each(Object.keys(WITNESSES))(
    '%s is never allowed by a snapshot (still needs its witness)',
    (id) => {
      expect(allowed.has(id), WITNESSES[id]!.why).toBe(false);
    },
  );

  it('the witnessed entries are expanded from a snapshot too: Unknown, naming what would settle them', () => {
    const report = analyzeDir(baseDir('all-providers'));
    const seen = new Map<string, string>();
    for (const p of report.pipelines)
      for (const l of p.links) {
        if (!WITNESSES[l.requirement]) continue;
        seen.set(l.requirement, l.decision);
        expect(l.missing?.length ?? 0, l.id).toBeGreaterThan(0);
      }
    expect(Object.fromEntries([...seen].sort())).toEqual({
      'codedeploy.instance-get-object': 'Unknown',
      'codedeploy.instance-kms-decrypt': 'Unknown',
      'ecs-blue-green.pass-role': 'Unknown',
      'ecs.pass-role': 'Unknown',
    });
  });
});
