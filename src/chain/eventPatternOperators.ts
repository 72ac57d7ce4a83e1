/**
 * The comparison operators of EventBridge event patterns
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html),
 * on the string fields of the events a source action's changes send (actionFacts.ts
 * ChangeEvent: a repository, branch, bucket, object key, image tag, `source` or `resources`).
 *
 * Each answer is true (matches), false (cannot match) or undefined (not decided here, so the
 * rule may match): only what the documentation settles excludes a rule, anything else leaves it
 * a possible trigger, as an unreadable pattern does.
 */
import { PLACEHOLDER_PATTERN } from '../model/placeholders.js';

/** true: matches; false: cannot match; undefined: not decided (may match). */
export type Match = boolean | undefined;

/**
 * A field of the event an operator is compared with: whether the event has it, and its values
 * there (undefined when the action's value is not settled).
 */
export interface EventField {
  readonly present: boolean;
  readonly values: readonly string[] | undefined;
}

/**
 * Whether one operator of a pattern (a value that is an object, `{"prefix": "release/"}`) may
 * match `field`. An object of more or fewer than one key, or an operator this does not know, is
 * not decided.
 */
export function operatorMatch(
  operator: Readonly<Record<string, unknown>>,
  field: EventField,
): Match {
  const keys = Object.keys(operator);
  if (keys.length !== 1) return undefined;
  const key = keys[0]!;
  const arg = operator[key];
  if (key === 'exists') {
    // "Exists matching works on the presence or absence of a field in the JSON of the event"
    return arg === true ? field.present : arg === false ? !field.present : undefined;
  }
  if (!field.present) {
    // "For an event pattern to match an event, the event must contain all the field names
    // listed in the event pattern"
    // (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern.html): a value
    // test needs the field, anything-but too ("any value besides", of a field the event has);
    // only `exists: false` matches a field the event lacks
    // (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html)
    return key === 'anything-but' || KNOWN.has(key) ? false : undefined;
  }
  // "Numeric matching works with values that are JSON numbers": these fields are strings
  if (key === 'numeric') return false;
  const values = field.values;
  if (values === undefined) return undefined;
  return anyOf(values, (v) => valueMatch(key, arg, v));
}

const KNOWN: ReadonlySet<string> = new Set([
  'prefix',
  'suffix',
  'equals-ignore-case',
  'wildcard',
  'numeric',
  'cidr',
]);

/** One operator `key` with its operand `arg` against one string value `v` of the event. */
function valueMatch(key: string, arg: unknown, v: string): Match {
  switch (key) {
    case 'prefix':
      // "Begins with", and "Begins with (ignore case)": {"prefix": {"equals-ignore-case": ...}}
      return affix(arg, v, (a, b) => a.startsWith(b));
    case 'suffix':
      return affix(arg, v, (a, b) => a.endsWith(b));
    case 'equals-ignore-case':
      return typeof arg === 'string' ? ignoringCase(v, arg, (a, b) => a === b) : undefined;
    case 'wildcard':
      return typeof arg === 'string' ? wildcardMatch(arg, v) : undefined;
    case 'cidr':
      // IP address matching: a value that is not an IP address is in no CIDR block; one that
      // may be (a branch named `10.0.0.1`) is not decided here
      return /^[0-9A-Fa-f:.]+$/.test(v) && /[.:]/.test(v) ? undefined : false;
    case 'anything-but':
      return not(anythingBut(arg, v));
    default:
      return undefined;
  }
}

/**
 * What `anything-but` excludes, against `v` (true: `v` is excluded): a string, a list of
 * strings, or `prefix`, `suffix`, `equals-ignore-case` (a string or a list) or `wildcard` (a
 * string or a list) ("Anything-but (begins with)", "(ends with)", "(ignore case)", "using a
 * wildcard"). Numbers never equal a string value, but what anything-but of numbers does on a
 * string field is not said: not decided.
 */
function anythingBut(arg: unknown, v: string): Match {
  if (typeof arg === 'string') return exact(arg, v);
  if (Array.isArray(arg))
    return arg.length > 0 && allStrings(arg) ? anyOf(arg, (a) => exact(a, v)) : undefined;
  if (typeof arg !== 'object' || arg === null) return undefined;
  const keys = Object.keys(arg);
  if (keys.length !== 1) return undefined;
  const key = keys[0]!;
  const inner = (arg as Record<string, unknown>)[key];
  switch (key) {
    case 'prefix':
      return typeof inner === 'string' ? affix(inner, v, (a, b) => a.startsWith(b)) : undefined;
    case 'suffix':
      return typeof inner === 'string' ? affix(inner, v, (a, b) => a.endsWith(b)) : undefined;
    case 'equals-ignore-case':
      return eachString(inner, (s) => ignoringCase(v, s, (a, b) => a === b));
    case 'wildcard':
      return eachString(inner, (s) => wildcardMatch(s, v));
    default:
      return undefined;
  }
}

/** `prefix` / `suffix`: a string, or `{"equals-ignore-case": string}`. */
function affix(arg: unknown, v: string, test: (value: string, affix: string) => boolean): Match {
  if (typeof arg === 'string') return PLACEHOLDER_PATTERN.test(arg) ? undefined : test(v, arg);
  if (typeof arg !== 'object' || arg === null || Array.isArray(arg)) return undefined;
  const keys = Object.keys(arg);
  const inner = (arg as Record<string, unknown>)['equals-ignore-case'];
  if (keys.length !== 1 || typeof inner !== 'string') return undefined;
  return ignoringCase(v, inner, test);
}

function exact(arg: string, v: string): Match {
  return PLACEHOLDER_PATTERN.test(arg) ? undefined : v === arg;
}

/**
 * A case-insensitive comparison of ASCII text. Outside ASCII, how EventBridge folds case (one
 * character to two, locale rules) is not said: not decided.
 */
function ignoringCase(v: string, arg: string, test: (a: string, b: string) => boolean): Match {
  if (PLACEHOLDER_PATTERN.test(arg) || !isAscii(v) || !isAscii(arg)) return undefined;
  return test(v.toLowerCase(), arg.toLowerCase());
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

/**
 * EventBridge wildcard matching: `*` stands for any run of characters (also none); `\*` is a
 * literal `*` and `\\` a literal `\`; a backslash before any other character, or two `*` in a
 * row, is not a pattern EventBridge takes (not decided). No regular expression and no
 * backtracking: the literal chunks between the stars are placed leftmost, one after the other
 * (the first at the start, the last at the end), which is always safe for `*`-separated chunks,
 * so a match costs at most one scan of `v` per chunk whatever the number of stars. (policy/
 * wildcard.ts compileGlob works this way too, but for IAM, where `?` is a wildcard; here it is a
 * plain character.)
 */
export function wildcardMatch(pattern: string, v: string): Match {
  if (PLACEHOLDER_PATTERN.test(pattern)) return undefined;
  const chunks = wildcardChunks(pattern);
  if (chunks === undefined) return undefined;
  if (chunks.length === 1) return v === chunks[0];
  const first = chunks[0]!;
  const last = chunks[chunks.length - 1]!;
  if (v.length < first.length + last.length) return false;
  if (!v.startsWith(first) || !v.endsWith(last)) return false;
  const end = v.length - last.length;
  let at = first.length;
  for (let i = 1; i < chunks.length - 1; i++) {
    const chunk = chunks[i]!;
    const found = v.indexOf(chunk, at);
    if (found < 0 || found + chunk.length > end) return false;
    at = found + chunk.length;
  }
  return true;
}

/** The literal chunks between the unescaped `*`s of a wildcard pattern; undefined if invalid. */
function wildcardChunks(pattern: string): string[] | undefined {
  const chunks: string[] = [];
  let chunk = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      const next = pattern[i + 1];
      if (next !== '*' && next !== '\\') return undefined;
      chunk += next;
      i++;
    } else if (c === '*') {
      if (pattern[i + 1] === '*') return undefined;
      chunks.push(chunk);
      chunk = '';
    } else chunk += c;
  }
  chunks.push(chunk);
  return chunks;
}

/** true if any is true, false if all are false, else not decided. */
function anyOf<T>(items: readonly T[], test: (item: T) => Match): Match {
  let out: Match = false;
  for (const item of items) {
    const m = test(item);
    if (m === true) return true;
    if (m === undefined) out = undefined;
  }
  return out;
}

/** A string, or a non-empty list of strings, any of which passes `test`. */
function eachString(arg: unknown, test: (s: string) => Match): Match {
  if (typeof arg === 'string') return test(arg);
  if (Array.isArray(arg) && arg.length > 0 && allStrings(arg)) return anyOf(arg, test);
  return undefined;
}

function allStrings(list: readonly unknown[]): list is string[] {
  return list.every((x) => typeof x === 'string');
}

function not(m: Match): Match {
  return m === undefined ? undefined : !m;
}
