/**
 * Policy documents written in templates: resolved, checked for unknown parts, then compiled
 * with parsePolicy with lines and pointers that point back into the template.
 *
 * A document with an unresolved element is never compiled into something that could allow or
 * deny on its own: the element is reported (`template.value.unresolved`) and the document is
 * returned as `undefined`, which the model reads as "unknown" (the principal's policies are
 * `missing`, a resource policy is unknown).
 */
import { joinPointer, type Problem } from '../problems.js';
import { parsePolicy } from '../policy/parse.js';
import type { CompiledPolicy, PolicyType } from '../policy/types.js';
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
 * Compile a resolved document. Returns undefined (unknown) when the document or any element of
 * it could not be resolved; problems go to the stack.
 */
export function compileTemplatePolicy(
  stack: TemplateStack,
  resolved: unknown,
  options: TemplatePolicyOptions,
): CompiledPolicy | undefined {
  const parts = unresolvedParts(resolved);
  if (parts.length > 0) {
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
  const result = parsePolicy(resolved, {
    name: options.name,
    policyType: options.policyType === 'key' ? 'resource' : options.policyType,
    keyPolicy: options.policyType === 'key',
    file: stack.file,
    pointer: base,
    lineOf: (p) => stack.position(toTemplate(p))?.line,
  });
  if (options.quiet === true) return result.policy;
  for (const p of result.problems) {
    const fixed: Problem = { ...p, file: stack.file, pointer: toTemplate(p.pointer) };
    stack.problems.push(fixed);
  }
  return result.policy;
}
