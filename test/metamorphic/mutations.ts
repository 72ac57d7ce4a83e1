/**
 * Mutations of a snapshot folder whose effect on every link's decision is known without knowing
 * the right decisions: IAM's logic is monotonic in allows and denies, and several rewrites of a
 * policy (its encoding, statement order, the case of action and condition key names) mean the
 * same thing. Used by metamorphic.test.ts; each mutation edits files of a copy in place.
 */
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import type { Report, ReportLink } from '../../src/report/types.js';
import { REPO_ROOT } from '../scenarios/helpers.js';
import { picker } from '../differential/generator.js';

/**
 * What a mutation may do to the decision of a link present before and after it:
 * - `same`: nothing (every link keeps its decision, and no link appears or disappears);
 * - `noNewAllow`: a link not allowed before is not allowed after (a deny was added or
 *   widened, an allow removed, an input removed: missing input is unknown, never allowed);
 * - `noNewDeny`: a link allowed before is allowed after (an allow was added or widened, a deny
 *   removed);
 * - `roleDenied`: an explicit `Deny * on *` was added to `role`'s identity policies, so each of
 *   its links allowed before is explicitly denied after, and no other link becomes allowed.
 */
export type Relation = 'same' | 'noNewAllow' | 'noNewDeny' | 'roleDenied';

export interface Applied {
  readonly relation: Relation;
  /** what was changed, for a failure message */
  readonly what: string;
  readonly role?: string;
  /**
   * with `Deny *` added to a policy document (to everyone, for a resource policy): the document,
   * as the report locates a statement (snapshot file, JSON pointer of the document). A link
   * allowed before by a statement of that document is explicitly denied after: the document
   * applied to its request, and so does the new statement.
   */
  readonly deniedDocument?: { readonly file: string; readonly pointer: string };
}

/** A seeded generator: the same seed gives the same mutations on every machine. */
export { mulberry32 as random, picker } from '../differential/generator.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

type Statement = JsonObject;

/** A policy document found in a snapshot file, and how to write it back in an encoding. */
interface FoundPolicy {
  readonly file: string;
  readonly root: Json;
  readonly doc: JsonObject;
  /** the member that holds it: `Policy`, `PolicyDocument`, ... */
  readonly key: string;
  /** the JSON pointer of that member in the file */
  readonly pointer: string;
  save(encoding?: 'object' | 'string' | 'url'): void;
}

const POLICY_MEMBERS = new Set(['Policy', 'PolicyDocument', 'AssumeRolePolicyDocument', 'Content']);

function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A policy document as a snapshot file may hold it: an object, a JSON string, URL-encoded. */
function decodePolicy(v: Json | undefined): JsonObject | undefined {
  if (isObject(v)) return 'Statement' in v ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const text = /^\s*%7B/i.test(v) ? decodeURIComponent(v) : v;
  try {
    const parsed = JSON.parse(text) as Json;
    return isObject(parsed) && 'Statement' in parsed ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function policiesIn(file: string, root: Json, at: Json, pointer: string, out: FoundPolicy[]): void {
  if (Array.isArray(at)) {
    at.forEach((x, i) => policiesIn(file, root, x, `${pointer}/${i}`, out));
    return;
  }
  if (!isObject(at)) return;
  for (const key of Object.keys(at)) {
    const doc = POLICY_MEMBERS.has(key) ? decodePolicy(at[key]) : undefined;
    const here = `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    if (!doc) {
      policiesIn(file, root, at[key]!, here, out);
      continue;
    }
    const wasString = typeof at[key] === 'string';
    out.push({
      file,
      root,
      doc,
      key,
      pointer: here,
      save(encoding) {
        const as = encoding ?? (wasString ? 'string' : 'object');
        at[key] =
          as === 'object'
            ? doc
            : as === 'string'
              ? JSON.stringify(doc)
              : encodeURIComponent(JSON.stringify(doc));
      },
    });
  }
}

export function jsonFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...jsonFiles(path));
    else if (name.endsWith('.json')) out.push(path);
  }
  return out;
}

function readPolicies(dir: string): FoundPolicy[] {
  const out: FoundPolicy[] = [];
  for (const file of jsonFiles(dir)) {
    let root: Json;
    try {
      root = JSON.parse(readFileSync(file, 'utf8')) as Json;
    } catch {
      continue; // a malformed fixture file stays as it is
    }
    policiesIn(file, root, root, '', out);
  }
  return out;
}

function statementsOf(doc: JsonObject): Statement[] {
  const s = doc['Statement'];
  if (Array.isArray(s)) return s.filter(isObject);
  return isObject(s) ? [s] : [];
}

function write(p: FoundPolicy): void {
  p.save();
  writeFileSync(p.file, JSON.stringify(p.root, null, 2));
}

const mixCase = (text: string, rnd: () => number): string =>
  [...text].map((c) => (rnd() < 0.5 ? c.toUpperCase() : c.toLowerCase())).join('');

/**
 * Apply one mutation, chosen by `rnd`, to the snapshot copy in `dir`. Undefined when the
 * mutation chosen has nothing to act on in this snapshot (the caller draws again).
 */
export function mutate(dir: string, rnd: () => number): Applied | undefined {
  const pick = picker(rnd);
  const kind = pick(KINDS);
  const where = (p: FoundPolicy): string => `${relative(dir, p.file)} (${p.key})`;

  if (kind === 'memberOrder') {
    // JSON objects are unordered: every object of one file with its members in reverse order
    const file = pick(jsonFiles(dir));
    let root: Json;
    try {
      root = JSON.parse(readFileSync(file, 'utf8')) as Json;
    } catch {
      return undefined;
    }
    writeFileSync(file, JSON.stringify(reverseMembers(root), null, 2));
    return { relation: 'same', what: `members of ${relative(dir, file)} in reverse order` };
  }

  if (kind === 'iamListOrder') {
    // the lists of get-account-authorization-details are sets: each in reverse order
    const iam = jsonFiles(dir).filter((f) => f.endsWith('iam.json'));
    if (iam.length === 0) return undefined;
    const file = pick(iam);
    const root = JSON.parse(readFileSync(file, 'utf8')) as Json;
    writeFileSync(file, JSON.stringify(reverseIamLists(root), null, 2));
    return { relation: 'same', what: `the lists of ${relative(dir, file)} in reverse order` };
  }

  if (kind === 'deleteFile') {
    // not an SCP or RCP file: its own Targets are what says the policy is attached, so without
    // it nothing could know it exists (the snapshot format has no list of policies)
    const files = jsonFiles(dir).filter((f) => !/organization[/\\](scp|rcp)[/\\]/.test(f));
    const file = pick(files);
    rmSync(file);
    return { relation: 'noNewAllow', what: `deleted ${relative(dir, file)}` };
  }

  if (kind === 'roleDenyAll' || kind === 'roleAllowAll') {
    const iam = jsonFiles(dir).filter((f) => f.endsWith('iam.json'));
    if (iam.length === 0) return undefined;
    const file = pick(iam);
    const root = JSON.parse(readFileSync(file, 'utf8')) as JsonObject;
    const roles = (root['RoleDetailList'] as JsonObject[] | undefined) ?? [];
    if (roles.length === 0) return undefined;
    const role = pick(roles);
    const effect = kind === 'roleDenyAll' ? 'Deny' : 'Allow';
    const list = (role['RolePolicyList'] as Json[] | undefined) ?? [];
    role['RolePolicyList'] = [
      ...list,
      {
        PolicyName: 'metamorphic',
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: effect, Action: '*', Resource: '*' }],
        },
      },
    ];
    writeFileSync(file, JSON.stringify(root, null, 2));
    const arn = String(role['Arn']);
    return kind === 'roleDenyAll'
      ? { relation: 'roleDenied', what: `Deny * added to ${arn}`, role: arn }
      : { relation: 'noNewDeny', what: `Allow * added to ${arn}` };
  }

  const policies = readPolicies(dir);
  if (policies.length === 0) return undefined;

  if (kind === 'addDenyStar' || kind === 'addAllowStar') {
    const p = pick(policies);
    const file = relative(dir, p.file);
    // SCPs and identity policies name no principal; resource policies, trust policies and
    // RCPs (which must name `*`) do
    const scp = /^organization[/\\]scp[/\\]/.test(file);
    const identity = file.endsWith('iam.json') && p.key !== 'AssumeRolePolicyDocument';
    const effect = kind === 'addDenyStar' ? 'Deny' : 'Allow';
    const statement: Statement = { Effect: effect, Action: '*', Resource: '*' };
    if (!scp && !identity) statement['Principal'] = '*';
    p.doc['Statement'] = [...statementsOf(p.doc), statement];
    write(p);
    return effect === 'Deny'
      ? {
          relation: 'noNewAllow',
          what: `Deny * added to ${where(p)}`,
          deniedDocument: { file: file.split('\\').join('/'), pointer: p.pointer },
        }
      : { relation: 'noNewDeny', what: `Allow * added to ${where(p)}` };
  }

  if (kind === 'dropDeny' || kind === 'dropAllow') {
    const effect = kind === 'dropDeny' ? 'Deny' : 'Allow';
    const found = policies.flatMap((p) =>
      statementsOf(p.doc)
        .filter((s) => s['Effect'] === effect)
        .map((s) => ({ p, s })),
    );
    if (found.length === 0) return undefined;
    const { p, s } = pick(found);
    p.doc['Statement'] = statementsOf(p.doc).filter((x) => x !== s);
    write(p);
    return {
      relation: effect === 'Deny' ? 'noNewDeny' : 'noNewAllow',
      what: `${effect} statement ${JSON.stringify(s['Sid'] ?? '')} removed from ${where(p)}`,
    };
  }

  if (kind === 'dropDenyCondition' || kind === 'dropAllowCondition') {
    const effect = kind === 'dropDenyCondition' ? 'Deny' : 'Allow';
    const found = policies.flatMap((p) =>
      statementsOf(p.doc)
        .filter((s) => s['Effect'] === effect && s['Condition'] !== undefined)
        .map((s) => ({ p, s })),
    );
    if (found.length === 0) return undefined;
    const { p, s } = pick(found);
    delete s['Condition'];
    write(p);
    // a condition removed widens the statement: a wider deny, or a wider allow
    return {
      relation: effect === 'Deny' ? 'noNewAllow' : 'noNewDeny',
      what: `Condition removed from ${effect} statement ${JSON.stringify(s['Sid'] ?? '')} of ${where(p)}`,
    };
  }

  // the rewrites that mean the same policy, applied to every policy of the snapshot at once
  const rewrite = REWRITES[kind];
  if (!rewrite) return undefined;
  let changed = 0;
  for (const p of policies) {
    const encoding = rewrite(p, rnd);
    if (encoding === false) continue;
    p.save(encoding);
    changed++;
  }
  if (changed === 0) return undefined;
  for (const root of new Set(policies.map((p) => p.root)))
    writeFileSync(policies.find((p) => p.root === root)!.file, JSON.stringify(root, null, 2));
  return { relation: 'same', what: `${kind}: ${changed} policies rewritten` };
}

/**
 * Rewrites of one policy that keep its meaning: false when there is nothing to rewrite in it,
 * else the encoding to write it in (undefined: as it was).
 */
type Rewrite = (
  p: FoundPolicy,
  rnd: () => number,
) => false | undefined | 'object' | 'string' | 'url';

const REWRITES: Record<string, Rewrite> = {
  // a snapshot's Policy members are strings (the CLI's output); the others take any of the three
  encode: (p, rnd) => {
    const encodings =
      p.key === 'Policy' || p.key === 'Content'
        ? (['string', 'url'] as const)
        : (['object', 'string', 'url'] as const);
    return encodings[Math.floor(rnd() * encodings.length)]!;
  },
  reverse: (p) => {
    const statements = statementsOf(p.doc);
    if (statements.length < 2) return false;
    p.doc['Statement'] = [...statements].reverse();
    return undefined;
  },
  // action names are case-insensitive
  actionCase: (p, rnd) => {
    let n = 0;
    for (const s of statementsOf(p.doc)) {
      for (const k of ['Action', 'NotAction']) {
        const v = s[k];
        if (typeof v === 'string') s[k] = mixCase(v, rnd);
        else if (Array.isArray(v))
          s[k] = v.map((a) => (typeof a === 'string' ? mixCase(a, rnd) : a));
        else continue;
        n++;
      }
    }
    return n === 0 ? false : undefined;
  },
  // condition key names are case-insensitive
  keyCase: (p, rnd) => {
    let n = 0;
    for (const s of statementsOf(p.doc)) {
      const c = s['Condition'];
      if (!isObject(c)) continue;
      for (const op of Object.keys(c)) {
        const keys = c[op];
        if (!isObject(keys)) continue;
        const renamed: JsonObject = {};
        for (const k of Object.keys(keys)) renamed[mixCase(k, rnd)] = keys[k]!;
        c[op] = renamed;
        n++;
      }
    }
    return n === 0 ? false : undefined;
  },
  splitActions: (p) => {
    let n = 0;
    const out: Statement[] = [];
    for (const s of statementsOf(p.doc)) {
      const actions = s['Action'];
      if (!Array.isArray(actions) || actions.length < 2) {
        out.push(s);
        continue;
      }
      n++;
      actions.forEach((a, i) => {
        const copy = structuredClone(s);
        copy['Action'] = a;
        if (typeof copy['Sid'] === 'string') copy['Sid'] = `${copy['Sid']}A${i}`;
        out.push(copy);
      });
    }
    if (n === 0) return false;
    p.doc['Statement'] = out;
    return undefined;
  },
  duplicate: (p) => {
    const statements = statementsOf(p.doc);
    if (statements.length === 0) return false;
    p.doc['Statement'] = [
      ...statements,
      ...statements.map((s) => {
        const copy = structuredClone(s);
        if (typeof copy['Sid'] === 'string') copy['Sid'] = `${copy['Sid']}Copy`;
        return copy;
      }),
    ];
    return undefined;
  },
};

function reverseMembers(v: Json): Json {
  if (Array.isArray(v)) return v.map(reverseMembers);
  if (!isObject(v)) return v;
  const out: JsonObject = {};
  for (const k of Object.keys(v).reverse()) out[k] = reverseMembers(v[k]!);
  return out;
}

const IAM_LISTS = new Set([
  'RoleDetailList',
  'UserDetailList',
  'GroupDetailList',
  'Policies',
  'RolePolicyList',
  'UserPolicyList',
  'GroupPolicyList',
  'AttachedManagedPolicies',
  'PolicyVersionList',
  'InstanceProfileList',
  'Tags',
]);

function reverseIamLists(v: Json): Json {
  if (Array.isArray(v)) return v.map(reverseIamLists);
  if (!isObject(v)) return v;
  const out: JsonObject = {};
  for (const k of Object.keys(v)) {
    const x = v[k]!;
    out[k] =
      IAM_LISTS.has(k) && Array.isArray(x) ? x.map(reverseIamLists).reverse() : reverseIamLists(x);
  }
  return out;
}

const KINDS = [
  'deleteFile',
  'roleDenyAll',
  'roleAllowAll',
  'addDenyStar',
  'addAllowStar',
  'dropDeny',
  'dropAllow',
  'dropDenyCondition',
  'dropAllowCondition',
  'encode',
  'reverse',
  'actionCase',
  'keyCase',
  'splitActions',
  'duplicate',
  'memberOrder',
  'iamListOrder',
] as const;

/** Link decisions by pipeline ARN and link id, from `permchain analyze INPUT --format json`. */
export async function decisions(input: string): Promise<Map<string, ReportLink>> {
  const io = memoryIo(REPO_ROOT);
  await main(['node', 'permchain', 'analyze', input, '--format', 'json'], io);
  expect(io.err).not.toMatch(/\n\s+at /); // never a stack trace, whatever the mutation did
  const report = JSON.parse(io.out) as Report;
  const out = new Map<string, ReportLink>();
  for (const p of report.pipelines) for (const l of p.links) out.set(`${p.arn} ${l.id}`, l);
  return out;
}

/** What breaks the mutation's relation, one line per link. */
export function violations(
  before: ReadonlyMap<string, ReportLink>,
  after: ReadonlyMap<string, ReportLink>,
  applied: Pick<Applied, 'relation' | 'role' | 'deniedDocument'>,
): string[] {
  const out: string[] = [];
  if (applied.relation === 'same') {
    for (const id of before.keys()) if (!after.has(id)) out.push(`${id}: gone`);
    for (const id of after.keys()) if (!before.has(id)) out.push(`${id}: new`);
  }
  for (const [id, b] of before) {
    const a = after.get(id);
    if (!a) continue;
    const was = b.decision;
    const is = a.decision;
    const wrong =
      applied.relation === 'same'
        ? is !== was
        : applied.relation === 'noNewDeny'
          ? was === 'Allowed' && is !== 'Allowed'
          : applied.relation === 'noNewAllow'
            ? was !== 'Allowed' && is === 'Allowed'
            : a.principal === applied.role
              ? (was === 'Allowed' && is !== 'ExplicitlyDenied') || is === 'Allowed'
              : was !== 'Allowed' && is === 'Allowed';
    if (wrong) out.push(`${id}: ${was} -> ${is} (${a.why})`);
    const d = applied.deniedDocument;
    const allowedByIt =
      d !== undefined &&
      (b.allowedBy ?? []).some(
        (r) => r.location?.file === d.file && r.location.pointer?.startsWith(`${d.pointer}/`),
      );
    if (allowedByIt && is !== 'ExplicitlyDenied')
      out.push(`${id}: allowed by the document, ${is} after its Deny * (${a.why})`);
  }
  return out;
}
