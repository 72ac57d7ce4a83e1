/**
 * Policy documents written in templates: resolved, checked for unknown parts, then compiled
 * with parsePolicy with lines and pointers that point back into the template.
 *
 * A document with an unresolved element is never compiled into something that could allow or
 * deny on its own: the element is reported (`template.value.unresolved`) and the document is
 * returned as `undefined`, which the model reads as "unknown" (the principal's policies are
 * `missing`, a resource policy is unknown). One exception: an Allow statement (its `Effect`
 * written as `Allow`) with unresolved parts can only add permissions, whatever they resolve to
 * (an explicit deny wins and allows only add), so it is left out and noted on the policy
 * (`unknownAllows`): a request the other statements allow stays allowed, one they do not is
 * unknown naming the statement.
 */
import { joinPointer, type Problem } from '../problems.js';
import { parsePolicy } from '../policy/parse.js';
import type {
  ActionMatcher,
  CompiledPolicy,
  PolicyType,
  UnknownStatement,
} from '../policy/types.js';
import { isUnresolved, Unresolved, type Origins } from './intrinsics.js';
import type { TemplateStack } from './templateStack.js';

function isContainer(x: unknown): x is Record<string, unknown> | unknown[] {
  return typeof x === 'object' && x !== null;
}

/** Maps a pointer inside a resolved value back to the template element it came from. */
export function originPointer(
  root: unknown,
  rootPointer: string,
  inner: string,
  origins: Origins,
): string {
  let origin = (isContainer(root) ? origins.get(root) : undefined) ?? rootPointer;
  const rest: string[] = [];
  let cur: unknown = root;
  if (inner === '') return origin;
  for (const raw of inner.slice(1).split('/')) {
    const tok = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const next: unknown = isContainer(cur) ? (cur as Record<string, unknown>)[tok] : undefined;
    const o = isContainer(next) ? origins.get(next) : undefined;
    if (o !== undefined) {
      origin = o;
      rest.length = 0;
    } else rest.push(tok);
    cur = next;
  }
  return joinPointer(origin, ...rest);
}

/** Every Unresolved inside a resolved value, with its pointer relative to the value. */
export function unresolvedParts(value: unknown, depth = 0): { inner: string; u: Unresolved }[] {
  if (isUnresolved(value)) return [{ inner: '', u: value }];
  if (!isContainer(value) || depth > 128) return [];
  const out: { inner: string; u: Unresolved }[] = [];
  const entries = Array.isArray(value)
    ? value.map((v, i): [string, unknown] => [String(i), v])
    : Object.entries(value);
  for (const [k, v] of entries) {
    for (const part of unresolvedParts(v, depth + 1)) {
      out.push({ inner: joinPointer('', k) + part.inner, u: part.u });
    }
  }
  return out;
}

export interface TemplatePolicyOptions {
  readonly name: string;
  /** `key`: a KMS key policy, a resource policy where a statement without Resource has no effect */
  readonly policyType: PolicyType | 'trust' | 'key';
  /** the template pointer of the raw document */
  readonly pointer: string;
  /** compile without reporting (the same document compiled again for another principal) */
  readonly quiet?: boolean;
}

/**
 * The statements of a document that are Allows with unresolved parts, by their pointer inside
 * the document (`/Statement/2`, `/Statement` for a single statement), with those parts; undefined
 * when an unresolved part may deny or decide the document's shape: the document itself, its
 * `Statement` list or `Version`, a statement as a whole, its `Effect`, or any part of a Deny
 * statement.
 */
function unknownAllowStatements(
  resolved: unknown,
  parts: readonly { inner: string; u: Unresolved }[],
): Map<string, Unresolved[]> | undefined {
  const out = new Map<string, Unresolved[]>();
  if (parts.length === 0) return out;
  if (!isContainer(resolved) || Array.isArray(resolved)) return undefined;
  const list = resolved['Statement'];
  for (const { inner, u } of parts) {
    let at: string;
    let statement: unknown;
    if (Array.isArray(list)) {
      const m = /^\/Statement\/(\d+)\/./.exec(inner);
      if (!m) return undefined;
      at = `/Statement/${m[1]}`;
      statement = list[Number(m[1])];
    } else {
      if (!inner.startsWith('/Statement/')) return undefined;
      at = '/Statement';
      statement = list;
    }
    // `Effect` written as `Allow` (IAM reads it case-sensitively): anything else may deny
    if (!isContainer(statement) || Array.isArray(statement)) return undefined;
    if ((statement as Record<string, unknown>)['Effect'] !== 'Allow') return undefined;
    const seen = out.get(at);
    if (seen) seen.push(u);
    else out.set(at, [u]);
  }
  return out;
}

/**
 * The document with each statement of `at` replaced by its settled part (`partial`), else by an
 * empty one (compiled as skipped).
 */
function withoutStatements(
  resolved: unknown,
  at: ReadonlySet<string>,
  partial: ReadonlyMap<string, unknown>,
): unknown {
  const doc = resolved as Record<string, unknown>;
  const list = doc['Statement'];
  return {
    ...doc,
    Statement: Array.isArray(list)
      ? list.map((st: unknown, i) =>
          at.has(`/Statement/${i}`) ? (partial.get(`/Statement/${i}`) ?? {}) : st,
        )
      : (partial.get('/Statement') ?? {}),
  };
}

/**
 * A value with nothing unsettled in it: no unresolved part, and no stand-in for one (a
 * placeholder's text, `unresolved-…`, which a resolved value may carry).
 */
function isSettled(value: unknown): boolean {
  return (
    unresolvedParts(value).length === 0 && !(JSON.stringify(value) ?? '').includes('unresolved')
  );
}

/**
 * The settled part of an Allow statement whose unsettled values are all elements of its
 * `Resource` list: the statement with those elements left out, when some are settled. It allows
 * no more than the statement does (fewer resources, the same actions and conditions); what the
 * left-out elements may allow stays unknown (the statement's UnknownStatement). Not for
 * `NotResource`, where fewer elements would allow more.
 */
function settledResourcePart(
  statement: unknown,
  inners: readonly string[],
  at: string,
): unknown | undefined {
  if (!isContainer(statement) || Array.isArray(statement)) return undefined;
  const resource = (statement as Record<string, unknown>)['Resource'];
  if (!Array.isArray(resource)) return undefined;
  const open = new Set<number>();
  const prefix = `${at}/Resource/`;
  for (const inner of inners) {
    if (!inner.startsWith(prefix)) return undefined;
    const k = inner.slice(prefix.length).split('/')[0]!;
    if (!/^\d+$/.test(k)) return undefined;
    open.add(Number(k));
  }
  const settled = resource.filter((r, i) => !open.has(i) && isSettled(r));
  if (settled.length === 0) return undefined;
  return { ...(statement as Record<string, unknown>), Resource: settled };
}

/**
 * The Action (or NotAction) of a statement when the template settles it, compiled as the policy
 * parser compiles it: the statement alone, with `Resource: *`, read by parsePolicy, when that
 * reads it without an error (exactly one of the two, each value `*` or `service:action`).
 * Otherwise nothing: the statement may cover any action.
 */
function settledActions(statement: unknown): { action?: ActionMatcher; notAction?: ActionMatcher } {
  if (!isContainer(statement) || Array.isArray(statement)) return {};
  const s = statement as Record<string, unknown>;
  const hasAction = Object.prototype.hasOwnProperty.call(s, 'Action');
  const hasNot = Object.prototype.hasOwnProperty.call(s, 'NotAction');
  if (hasAction === hasNot) return {};
  const key = hasAction ? 'Action' : 'NotAction';
  const raw = s[key];
  // an unsettled value (or a stand-in for one) is no action name
  if (!isSettled(raw)) return {};
  const { policy, problems } = parsePolicy(
    { Version: '2012-10-17', Statement: [{ Effect: 'Allow', [key]: raw, Resource: '*' }] },
    { name: 'the settled part of an unsettled statement', policyType: 'identity' },
  );
  const compiled = policy?.statements[0];
  if (!compiled || problems.some((p) => p.severity === 'error')) return {};
  return compiled.action ? { action: compiled.action } : { notAction: compiled.notAction! };
}

/**
 * Compile a resolved document. Returns undefined (unknown) when the document or any element of
 * it could not be resolved, except the Allow statements (see unknownAllowStatements), which are
 * left out and noted in `unknownAllows`; problems go to the stack.
 */
export function compileTemplatePolicy(
  stack: TemplateStack,
  resolved: unknown,
  options: TemplatePolicyOptions,
): CompiledPolicy | undefined {
  const parts = unresolvedParts(resolved);
  const allows = unknownAllowStatements(resolved, parts);
  if (allows === undefined) {
    if (options.quiet === true) return undefined;
    for (const { u } of parts) {
      stack.problem(
        'warning',
        'template.value.unresolved',
        u.pointer,
        `policy \`${options.name}\`: ${u.reason}: the policy is unknown`,
      );
    }
    return undefined;
  }
  const base = options.pointer;
  const toTemplate = (p: string): string => {
    const inner = p === base ? '' : p.startsWith(base + '/') ? p.slice(base.length) : p;
    return originPointer(resolved, base, inner, stack.origins);
  };
  const unknownAllows: UnknownStatement[] = [];
  // the settled part of each statement whose unsettled values are only some of its resources
  const partial = new Map<string, unknown>();
  for (const [at, us] of allows) {
    const index = at === '/Statement' ? 1 : Number(at.slice('/Statement/'.length)) + 1;
    const pointer = toTemplate(base + at);
    const line = stack.position(pointer)?.line;
    const reason = [...new Set(us.map((u) => u.reason))].join('; ');
    const list = (resolved as Record<string, unknown>)['Statement'];
    const statement = Array.isArray(list) ? list[index - 1] : list;
    const inners = parts.filter((p) => p.inner.startsWith(`${at}/`)).map((p) => p.inner);
    const settledPart = settledResourcePart(statement, inners, at);
    if (settledPart !== undefined) partial.set(at, settledPart);
    unknownAllows.push({
      index,
      pointer,
      ...(line !== undefined ? { line } : {}),
      reason,
      ...settledActions(statement),
    });
    if (options.quiet === true) continue;
    for (const u of us) {
      stack.problem(
        'warning',
        'template.value.unresolved',
        u.pointer,
        settledPart !== undefined
          ? `policy \`${options.name}\`: ${u.reason}: statement ${index}, an Allow, is read on its other resources: what it allows on this one is unknown`
          : `policy \`${options.name}\`: ${u.reason}: statement ${index}, an Allow, is left out: what it allows is unknown`,
      );
    }
  }
  // each such statement is compiled as an empty one (reported and skipped by parsePolicy),
  // which keeps the others' positions, pointers and lines; its problems and skip are dropped
  const left = new Set([...allows.keys()].map((at) => base + at));
  const within = (p: string): boolean => [...left].some((at) => p === at || p.startsWith(at + '/'));
  const result = parsePolicy(
    allows.size > 0 ? withoutStatements(resolved, new Set(allows.keys()), partial) : resolved,
    {
      name: options.name,
      policyType: options.policyType === 'key' ? 'resource' : options.policyType,
      keyPolicy: options.policyType === 'key',
      file: stack.file,
      pointer: base,
      lineOf: (p) => stack.position(toTemplate(p))?.line,
    },
  );
  const policy: CompiledPolicy | undefined =
    result.policy && unknownAllows.length > 0
      ? {
          ...result.policy,
          skipped: result.policy.skipped.filter((p) => !left.has(p)),
          unknownAllows,
        }
      : result.policy;
  if (options.quiet === true) return policy;
  for (const p of result.problems) {
    if (within(p.pointer)) continue;
    const fixed: Problem = { ...p, file: stack.file, pointer: toTemplate(p.pointer) };
    stack.problems.push(fixed);
  }
  return policy;
}
