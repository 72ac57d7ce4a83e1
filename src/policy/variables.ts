/**
 * Policy variables: `${aws:username}`, `${aws:PrincipalTag/team, 'default'}`, and the escapes
 * `${*}`, `${?}`, `${$}`. Only under Version 2012-10-17; otherwise the text is literal.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
 */
import type { ContextValue, RequestContext, Template, TemplatePart } from './types.js';
import { escapeEscapes, escapeLiteral } from './wildcard.js';

// A Map, not an object literal: `${constructor}` or `${toString}` must not find
// Object.prototype members and be taken for an escape.
const ESCAPES: ReadonlyMap<string, string> = new Map([
  ['*', '*'],
  ['?', '?'],
  ['$', '$'],
]);

/**
 * Compile text into a template, or return undefined when it holds no variable (the common
 * case, which then stays a plain string). Escapes alone still produce a template, because
 * `${*}` must become a literal `*` that is not a wildcard.
 */
export function compileTemplate(text: string): Template | undefined {
  if (text.indexOf('${') < 0) return undefined;
  const parts: TemplatePart[] = [];
  let pos = 0;
  while (pos < text.length) {
    const open = text.indexOf('${', pos);
    if (open < 0) break;
    const close = text.indexOf('}', open + 2);
    if (close < 0) break;
    if (open > pos) parts.push({ kind: 'text', text: text.slice(pos, open) });
    const inner = text.slice(open + 2, close).trim();
    const escaped = ESCAPES.get(inner);
    parts.push(
      escaped !== undefined ? { kind: 'text', text: escaped, literal: true } : parseVariable(inner),
    );
    pos = close + 1;
  }
  if (pos < text.length) parts.push({ kind: 'text', text: text.slice(pos) });
  return { raw: text, parts };
}

function parseVariable(inner: string): TemplatePart {
  const comma = inner.indexOf(',');
  if (comma < 0) return { kind: 'var', key: inner.toLowerCase() };
  const key = inner.slice(0, comma).trim().toLowerCase();
  const def = inner.slice(comma + 1).trim();
  const m = /^'(.*)'$/.exec(def);
  return m ? { kind: 'var', key, defaultValue: m[1]! } : { kind: 'var', key };
}

/**
 * Resolve a template against the request context. Returns undefined when a variable has no
 * single value and no default: "an unresolved variable is effectively null", so it matches
 * nothing in StringEquals/StringLike/Resource and matches in the negated operators.
 * Multivalued keys cannot be variables, so an array value counts as unresolved.
 *
 * With `forPattern` (Resource, StringLike, ArnLike), the text is pattern text with escapes
 * (wildcard.ts PATTERN_ESCAPE, compiled with `escaped`): an escape (`${*}`) and any `*` or `?`
 * inside a substituted value stay literal characters, matched only by themselves, and so does a
 * character U+E000 written in the policy or given in a value, which is no escape.
 */
export function resolveTemplate(
  template: Template,
  context: RequestContext,
  forPattern = false,
): string | undefined {
  let out = '';
  for (const part of template.parts) {
    if (part.kind === 'text') {
      out += forPattern ? textAsPattern(part) : part.text;
      continue;
    }
    const value: ContextValue | undefined = context.get(part.key);
    // a one-element list is that value, as the condition operators read it
    // (src/evaluate/conditions.ts: a request file may write a single value as a list); a list of
    // several is present but no single value: unresolved, never the default, which is for a key
    // the request does not have ("For users without team tags, it sets a default value",
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html)
    const one =
      Array.isArray(value) &&
      value.length === 1 &&
      typeof value[0] === 'string' &&
      !MULTIVALUED_GLOBAL_KEYS.has(part.key)
        ? (value[0] as string)
        : value;
    // an empty list is no value, as the Null operator reads it (conditions.ts): the default
    const absent = one === undefined || (Array.isArray(one) && one.length === 0);
    const text = typeof one === 'string' ? one : absent ? part.defaultValue : undefined;
    if (text === undefined) return undefined;
    out += forPattern ? escapeLiteral(text) : text;
  }
  return out;
}

/**
 * A template's text part as pattern text with escapes (wildcard.ts PATTERN_ESCAPE): its `*` and
 * `?` wildcards as written, an escape's (`${*}`, `${?}`) literal.
 */
export function textAsPattern(part: Extract<TemplatePart, { kind: 'text' }>): string {
  return part.literal ? escapeLiteral(part.text) : escapeEscapes(part.text);
}

/**
 * The global condition keys that are multivalued by definition: no value of theirs is a policy
 * variable's, even a list of one ("Multivalued context keys require a condition set operator",
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html).
 * Lower-cased, as template keys are.
 */
const MULTIVALUED_GLOBAL_KEYS: ReadonlySet<string> = new Set([
  'aws:calledvia',
  'aws:principalorgpaths',
  'aws:principalservicenameslist',
  'aws:resourceorgpaths',
  'aws:tagkeys',
]);
