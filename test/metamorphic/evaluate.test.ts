/**
 * Metamorphic test of evaluate() alone, on the differential test's generated requests: each
 * request is evaluated, changed in a way whose effect on the decision is known, and evaluated
 * again. Unlike the differential test it needs no second evaluator, so it also covers the cases
 * where permchain and iam-simulate are known to differ (known-differences.md).
 *
 * `META_EVAL_CASES=N` evaluates N generated requests per seed instead of the suite's 1,500.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/index.js';
import type { EvaluationRequest } from '../../src/evaluate/types.js';
import { generateCases, type PrincipalKind } from '../differential/generator.js';
import { random } from './mutations.js';

const CASES = Number(process.env['META_EVAL_CASES'] ?? 1500);
const SEEDS = [11, 12];

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Doc = { [k: string]: Json };
type Relation = 'same' | 'noNewAllow' | 'noNewDeny' | 'denied';

/** Every policy document of a request (objects, as the generator writes them). */
function documents(r: Record<string, unknown>): Doc[] {
  const out: Doc[] = [];
  const add = (d: unknown): void => {
    if (typeof d === 'object' && d !== null && !Array.isArray(d) && 'Statement' in d)
      out.push(d as Doc);
  };
  for (const d of (r['identityPolicies'] as unknown[] | undefined) ?? []) add(d);
  add(r['resourcePolicy']);
  add(r['permissionBoundary']);
  add(r['sessionPolicy']);
  for (const field of ['scps', 'rcps'])
    for (const level of (r[field] as unknown[][] | undefined) ?? []) for (const d of level) add(d);
  return out;
}

function statements(d: Doc): Doc[] {
  const s = d['Statement'];
  if (Array.isArray(s)) return s as Doc[];
  return typeof s === 'object' && s !== null ? [s as Doc] : [];
}

const policy = (statement: Doc): Doc => ({ Version: '2012-10-17', Statement: [statement] });

interface Mutation {
  readonly name: string;
  /** changes the request (a deep copy); false when there is nothing to change in it */
  apply(r: Record<string, unknown>, rnd: () => number, principal: PrincipalKind): Relation | false;
}

const mixCase = (text: string, rnd: () => number): string =>
  [...text].map((c) => (rnd() < 0.5 ? c.toUpperCase() : c.toLowerCase())).join('');

/** A statement of the request's documents with this effect, removed (never a document's last). */
function dropStatement(r: Record<string, unknown>, effect: string, rnd: () => number): boolean {
  const found = documents(r).flatMap((d) =>
    statements(d).length > 1
      ? statements(d)
          .filter((s) => s['Effect'] === effect)
          .map((s) => ({ d, s }))
      : [],
  );
  if (found.length === 0) return false;
  const { d, s } = found[Math.floor(rnd() * found.length)]!;
  d['Statement'] = statements(d).filter((x) => x !== s);
  return true;
}

const MUTATIONS: readonly Mutation[] = [
  {
    // an identity policy that denies everything: every request of a role, a role session or a
    // user is explicitly denied (a service principal has no identity policies; the root user
    // cannot have any attached)
    name: 'identity Deny *',
    apply: (r, _rnd, principal) => {
      const list = (r['identityPolicies'] as Json[] | undefined) ?? [];
      r['identityPolicies'] = [...list, policy({ Effect: 'Deny', Action: '*', Resource: '*' })];
      return ['role', 'session', 'user', 'serviceLinkedRole'].includes(principal)
        ? 'denied'
        : 'noNewAllow';
    },
  },
  {
    name: 'identity Allow *',
    apply: (r) => {
      const list = (r['identityPolicies'] as Json[] | undefined) ?? [];
      r['identityPolicies'] = [...list, policy({ Effect: 'Allow', Action: '*', Resource: '*' })];
      return 'noNewDeny';
    },
  },
  {
    // a resource policy that denies everyone everything: an explicit deny, whoever asks
    name: 'resource policy Deny * to *',
    apply: (r) => {
      const d = r['resourcePolicy'] as Doc | undefined;
      if (!d || typeof d !== 'object') return false;
      const deny: Doc = { Effect: 'Deny', Principal: '*', Action: '*', Resource: '*' };
      d['Statement'] = [...statements(d), deny];
      return 'denied';
    },
  },
  {
    name: 'SCP Deny * at one level',
    apply: (r, rnd) => {
      const levels = r['scps'] as Json[][] | undefined;
      if (!levels || levels.length === 0) return false;
      const at = Math.floor(rnd() * levels.length);
      levels[at] = [...levels[at]!, policy({ Effect: 'Deny', Action: '*', Resource: '*' })];
      return 'noNewAllow';
    },
  },
  {
    name: 'a Deny statement removed',
    apply: (r, rnd) => dropStatement(r, 'Deny', rnd) && 'noNewDeny',
  },
  {
    name: 'an Allow statement removed',
    apply: (r, rnd) => dropStatement(r, 'Allow', rnd) && 'noNewAllow',
  },
  {
    name: 'statements reversed',
    apply: (r) => {
      for (const d of documents(r)) d['Statement'] = [...statements(d)].reverse();
      return 'same';
    },
  },
  {
    // action names are case-insensitive
    name: 'action names in mixed case',
    apply: (r, rnd) => {
      for (const d of documents(r))
        for (const s of statements(d))
          for (const k of ['Action', 'NotAction']) {
            const v = s[k];
            if (typeof v === 'string') s[k] = mixCase(v, rnd);
            else if (Array.isArray(v))
              s[k] = v.map((a) => (typeof a === 'string' ? mixCase(a, rnd) : a));
          }
      return 'same';
    },
  },
  {
    // condition key names are case-insensitive
    name: 'condition key names in mixed case',
    apply: (r, rnd) => {
      for (const d of documents(r))
        for (const s of statements(d)) {
          const c = s['Condition'];
          if (typeof c !== 'object' || c === null || Array.isArray(c)) continue;
          for (const op of Object.keys(c)) {
            const keys = c[op];
            if (typeof keys !== 'object' || keys === null || Array.isArray(keys)) continue;
            const renamed: Doc = {};
            for (const k of Object.keys(keys)) renamed[mixCase(k, rnd)] = keys[k]!;
            c[op] = renamed;
          }
        }
      return 'same';
    },
  },
  {
    name: 'one statement per action',
    apply: (r) => {
      for (const d of documents(r))
        d['Statement'] = statements(d).flatMap((s) =>
          Array.isArray(s['Action'])
            ? s['Action'].map((a) => ({
                ...s,
                Action: a,
                ...(s['Sid']
                  ? { Sid: `${String(s['Sid'])}${String(a)}`.replace(/[^A-Za-z0-9]/g, '') }
                  : {}),
              }))
            : [s],
        );
      return 'same';
    },
  },
];

function holds(relation: Relation, before: string, after: string): boolean {
  switch (relation) {
    case 'same':
      return after === before;
    case 'noNewAllow':
      return before === 'Allowed' || after !== 'Allowed';
    case 'noNewDeny':
      return before !== 'Allowed' || after === 'Allowed';
    case 'denied':
      return after === 'ExplicitlyDenied';
  }
}

describe('metamorphic: evaluate() on generated requests', () => {
  for (const seed of SEEDS) {
    it(`holds on ${CASES} generated requests (seed ${seed})`, () => {
      const rnd = random(seed);
      const failures: string[] = [];
      const seen = new Set<string>();
      for (const c of generateCases(seed, CASES)) {
        const before = evaluate(c.request);
        const m = MUTATIONS[Math.floor(rnd() * MUTATIONS.length)]!;
        const request = structuredClone(c.request) as unknown as Record<string, unknown>;
        const relation = m.apply(request, rnd, c.principal.kind);
        if (relation === false) continue;
        seen.add(m.name);
        const after = evaluate(request as unknown as EvaluationRequest);
        if (!holds(relation, before.decision, after.decision))
          failures.push(`${c.id} ${m.name}: ${before.decision} -> ${after.decision}`);
      }
      expect(failures).toEqual([]);
      // every mutation had something to act on
      expect([...seen].sort()).toEqual(MUTATIONS.map((m) => m.name).sort());
    });
  }
});
