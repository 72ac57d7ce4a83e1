/**
 * The IAM policy parser, validator and compiler: any accepted input (object, JSON string,
 * URL-encoded JSON string) becomes one CompiledPolicy plus a list of problems.
 *
 * Grammar: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
 *
 * Contract (what callers may rely on):
 * - `policy: undefined` (always with an error problem) when the document itself is unusable:
 *   missing, not JSON, not an object, no `Statement`, or a `Statement` that is neither an
 *   object nor an array. Callers must never read that as "no policy attached".
 * - Otherwise a policy whose `statements` holds only the statements that passed validation.
 *   Each invalid statement is skipped and reported as an error with the pointer of the
 *   offending element; it is never read as an allow or a deny. A policy may therefore have
 *   zero statements (all invalid, or `"Statement": []`): it grants and denies nothing.
 * - Document-level errors that leave the statements readable (bad `Version`, bad `Id`, an
 *   unknown top-level key) are reported as errors and the statements are still compiled, so
 *   an analysis can go on; an invalid `Version` gets 2008-10-17 semantics (variables literal).
 * - A member name twice in one object of a document given as JSON text (a string input) is an
 *   error (`policy.duplicate-key`): the statement that holds it is skipped, a top-level one is
 *   unreadable like a bad `Version`. (A file's duplicates are reported by its reader:
 *   src/load/snapshotFiles.ts, src/cli/readJson.ts.)
 * - Problems come in document order; pointers are prefixed with `options.pointer`.
 * - Never throws on input; hostile input (deep nesting, huge documents) becomes problems.
 */
import { parseDate, parseDecimal } from '../evaluate/conditions.js';
import { parseCidr } from '../evaluate/ip.js';
import {
  MAX_LISTED,
  TOO_MANY_DUPLICATES,
  parseJsonFindingDuplicates,
  type DuplicateMember,
} from '../jsonDuplicates.js';
import { joinPointer, type Problem, type Severity } from '../problems.js';
import { jsonFaultPlace } from '../jsonSyntax.js';
import { matchesKnownService, expandActionPattern, isKnownAction } from './actionCatalog.js';
import { CONDITION_OPERATORS, parseOperatorName } from './operators.js';
import {
  COMPILED,
  type ActionMatcher,
  type CompiledCondition,
  type CompiledPolicy,
  type CompiledStatement,
  type Effect,
  type PolicySource,
  type PolicyType,
  type PrincipalMatcher,
  type ResourceMatcher,
  type ResourcePattern,
  type Template,
} from './types.js';
import { compileTemplate } from './variables.js';
import { compileArnGlob, compileGlob, hasWildcard, type Glob } from './wildcard.js';

export interface ParseOptions {
  /** the name reasons will use (role ARN + policy name, bucket ARN, `scp p-123`, ...) */
  readonly name: string;
  /** which kind of document: decides which elements are required/forbidden */
  readonly policyType?: PolicyType | 'trust';
  readonly file?: string;
  /** JSON pointer of the document inside `file` (problems get pointers below it); default '' */
  readonly pointer?: string;
  /** optional: maps a full JSON pointer (base pointer + inner path) to a 1-based source line */
  readonly lineOf?: (pointer: string) => number | undefined;
  /**
   * a KMS key policy (policyType `resource`): a statement without `Resource` has no effect there
   * (INEFFECTIVE)
   */
  readonly keyPolicy?: boolean;
}

export interface ParseResult {
  readonly policy: CompiledPolicy | undefined;
  readonly problems: readonly Problem[];
}

/** True for a value produced by parsePolicy (carries the COMPILED brand). */
export function isCompiledPolicy(x: unknown): x is CompiledPolicy {
  return typeof x === 'object' && x !== null && (x as { [COMPILED]?: unknown })[COMPILED] === true;
}

const VERSION_2012 = '2012-10-17';
const VERSION_2008 = '2008-10-17';

const STATEMENT_KEYS: ReadonlySet<string> = new Set([
  'Sid',
  'Effect',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Principal',
  'NotPrincipal',
  'Condition',
]);

/** Policy types whose statements must name a Resource (identity-like policies). */
const RESOURCE_REQUIRED: ReadonlySet<string> = new Set([
  'identity',
  'permissionBoundary',
  'session',
  'scp',
]);
/**
 * Principal is required in resource-based policies (trust policies are resource policies)
 * and forbidden in identity-based ones:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
 * RCPs take `Principal` (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_syntax.html).
 */
const PRINCIPAL_REQUIRED: ReadonlySet<string> = new Set(['resource', 'rcp', 'trust']);
/**
 * NotPrincipal: "You cannot use the NotPrincipal element in an IAM identity-based policy nor
 * in an IAM role trust policy"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html);
 * the RCP element list has no NotPrincipal
 * (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_syntax.html).
 */
const NOT_PRINCIPAL_FORBIDDEN: ReadonlySet<string> = new Set(['trust', 'rcp']);

const PRINCIPAL_KEYS = ['AWS', 'Service', 'Federated', 'CanonicalUser'] as const;
type PrincipalKey = (typeof PRINCIPAL_KEYS)[number];

/** Longest user value quoted in a message; a 1 MB string must not become a 1 MB message. */
const QUOTE_LIMIT = 80;

/**
 * The most warnings of one id one policy reports one by one; the rest are counted in one more
 * (a hostile document of millions of unknown actions made millions of problems and exhausted the
 * memory of the process). Errors are all reported: each skips a statement.
 */
const MAX_WARNINGS_OF_ONE_ID = 100;

/** Accumulates problems with the document's file and base pointer. */
class Reporter {
  private readonly list: Problem[] = [];
  /** warnings of each id: reported, and left out past MAX_WARNINGS_OF_ONE_ID */
  private readonly warnings = new Map<string, { shown: number; left: number }>();
  constructor(
    private readonly file: string | undefined,
    readonly base: string,
    private readonly name: string,
  ) {}

  /** The problems, with one more per warning id that had too many to report one by one. */
  get problems(): Problem[] {
    const out = [...this.list];
    for (const [id, w] of this.warnings) {
      if (w.left === 0) continue;
      const problem: Problem = {
        pointer: this.base,
        message: `policy ${quote(this.name)}: ${w.left.toLocaleString('en-US')} more \`${id}\` warnings (the first ${w.shown} are reported)`,
        id,
        severity: 'warning',
      };
      out.push(this.file !== undefined ? { file: this.file, ...problem } : problem);
    }
    return out;
  }

  /** `inner` is relative to the document ('' = the document itself). */
  add(severity: Severity, id: string, inner: string, message: string): void {
    if (severity === 'warning') {
      const w = this.warnings.get(id) ?? { shown: 0, left: 0 };
      this.warnings.set(id, w);
      if (w.shown >= MAX_WARNINGS_OF_ONE_ID) {
        w.left++;
        return;
      }
      w.shown++;
    }
    const problem: Problem = {
      pointer: this.base + inner,
      message: `policy ${quote(this.name)}: ${message}`,
      id,
      severity,
    };
    this.list.push(this.file !== undefined ? { file: this.file, ...problem } : problem);
  }
  error(id: string, inner: string, message: string): void {
    this.add('error', id, inner, message);
  }
  warn(id: string, inner: string, message: string): void {
    this.add('warning', id, inner, message);
  }
}

/**
 * The most statements and values (Action, Resource, Principal, Condition) one policy may hold
 * before it is refused as hostile: each compiles to a matcher, and millions of them exhaust the
 * memory of the process. AWS's own limits are far lower: an identity policy holds 6,144
 * characters, a bucket policy 20 KB, a key policy 32 KB
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html,
 * https://docs.aws.amazon.com/kms/latest/developerguide/resource-limits.html).
 */
export const MAX_POLICY_ELEMENTS = 200_000;

/**
 * The longest Action, Resource or condition value read: no policy AWS takes is longer (a key
 * policy, the largest, holds 32 KB: see MAX_POLICY_ELEMENTS), and a longer one is hostile input.
 * It bounds what matching one value costs: a pattern with `?` is matched in time proportional to
 * its length times the value's (src/policy/wildcard.ts).
 */
export const MAX_POLICY_STRING = 32_768;

function tooLong(
  text: string,
  at: string,
  element: string,
  index: number,
  ctx: StatementContext,
): boolean {
  if (text.length <= MAX_POLICY_STRING) return false;
  ctx.report.error(
    'policy.value.too-long',
    at,
    `statement ${index}: a \`${element}\` value of ${text.length.toLocaleString('en-US')} characters: longer than any policy AWS takes (${MAX_POLICY_STRING.toLocaleString('en-US')})`,
  );
  return true;
}

/** Statements and the values they hold, counted without compiling (see MAX_POLICY_ELEMENTS). */
function countElements(statementValue: unknown): number {
  const list = Array.isArray(statementValue) ? statementValue : [statementValue];
  const size = (v: unknown): number => (Array.isArray(v) ? v.length : 1);
  let n = list.length;
  for (const st of list) {
    if (!isObject(st)) continue;
    for (const key of ['Action', 'NotAction', 'Resource', 'NotResource'])
      if (st[key] !== undefined) n += size(st[key]);
    for (const key of ['Principal', 'NotPrincipal']) {
      const p = st[key];
      if (isObject(p)) for (const k in p) n += size(p[k]);
      else if (p !== undefined) n += 1;
    }
    const cond = st['Condition'];
    if (isObject(cond))
      for (const op in cond) {
        const block = cond[op];
        if (isObject(block)) for (const k in block) n += size(block[k]);
        else n += 1;
      }
  }
  return n;
}

export function parsePolicy(input: unknown, options: ParseOptions): ParseResult {
  const base = options.pointer ?? '';
  const report = new Reporter(options.file, base, options.name);
  const decoded = decodeDocument(input, report);
  if (decoded === undefined) return { policy: undefined, problems: report.problems };
  const doc = decoded.doc;

  let version: string | undefined;
  let hasStatement = false;
  let statementValue: unknown;
  // top-level elements IAM would refuse (a Version other than the two, a misspelt `Statment`, a
  // non-string Id): the document as written cannot be in force, and a misspelt element may hold
  // the statement that decides, so they are unreadable like an invalid statement (`skipped`)
  const unreadable: string[] = [];
  for (const key of Object.keys(doc)) {
    const value = doc[key];
    if (value === undefined) continue; // as JSON.stringify would drop it
    const at = joinPointer('', key);
    if (key === 'Version') {
      if (value === VERSION_2012 || value === VERSION_2008) version = value;
      else {
        // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html
        unreadable.push(base + at);
        report.error(
          'policy.version.invalid',
          at,
          `\`Version\` must be \`${VERSION_2012}\` or \`${VERSION_2008}\`, got ${describe(value)}`,
        );
      }
    } else if (key === 'Id') {
      if (typeof value !== 'string') {
        unreadable.push(base + at);
        report.error('policy.id.invalid', at, `\`Id\` must be a string, got ${describe(value)}`);
      }
    } else if (key === 'Statement') {
      hasStatement = true;
      statementValue = value;
    } else {
      unreadable.push(base + at);
      report.error(
        'policy.document.unknown-key',
        at,
        `unknown top-level element ${quote(key)}: expected \`Version\`, \`Id\` or \`Statement\``,
      );
    }
  }
  if (doc['Version'] === undefined || !Object.prototype.hasOwnProperty.call(doc, 'Version')) {
    // Without Version, IAM applies 2008-10-17 rules: `${...}` is literal text.
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html
    report.warn(
      'policy.version.missing',
      '',
      `no \`Version\`: 2008-10-17 rules apply and policy variables are literal text; add \`"Version": "${VERSION_2012}"\``,
    );
  }
  if (!hasStatement) {
    report.error('policy.statement.missing', '', 'the document has no `Statement`');
    return { policy: undefined, problems: report.problems };
  }
  const elements = countElements(statementValue);
  if (elements > MAX_POLICY_ELEMENTS) {
    report.error(
      'policy.too-large',
      '/Statement',
      `${elements.toLocaleString('en-US')} statements and Action, Resource, Principal and Condition values: more than the ${MAX_POLICY_ELEMENTS.toLocaleString('en-US')} permchain reads in one policy (AWS caps a policy at a few tens of kilobytes, far fewer)`,
    );
    return { policy: undefined, problems: report.problems };
  }

  // members the document's text held twice: the statement that holds one is unreadable, a
  // top-level one (two `Statement`s) leaves the whole document unreadable
  const twice = duplicatedMembers(doc, decoded.duplicates, decoded.more, report);
  for (const at of twice.document) unreadable.push(base + at);

  const ctx: StatementContext = {
    report,
    policyType: options.policyType ?? 'identity',
    keyPolicy: options.keyPolicy === true,
    variablesEnabled: version === VERSION_2012,
    lineOf: options.lineOf,
    sids: new Set(),
  };
  const statements: CompiledStatement[] = [];
  // invalid statements are left out of `statements` and remembered here, so a caller can
  // refuse to read a decision that one of them might have changed
  const skipped: string[] = unreadable;
  if (Array.isArray(statementValue)) {
    if (statementValue.length === 0) {
      report.error(
        'policy.statement.empty',
        '/Statement',
        '`Statement` is an empty array: the policy grants and denies nothing',
      );
    }
    for (let i = 0; i < statementValue.length; i++) {
      const pointer = joinPointer('/Statement', i);
      const s = compileStatement(statementValue[i], i + 1, pointer, ctx);
      if (twice.statements.has(i)) skipped.push(base + pointer);
      else if (s === INEFFECTIVE) continue;
      else if (s) statements.push(s);
      else skipped.push(base + pointer);
    }
  } else if (isObject(statementValue)) {
    const s = compileStatement(statementValue, 1, '/Statement', ctx);
    if (twice.statements.size > 0) skipped.push(base + '/Statement');
    else if (s !== INEFFECTIVE) {
      if (s) statements.push(s);
      else skipped.push(base + '/Statement');
    }
  } else {
    report.error(
      'policy.statement.invalid',
      '/Statement',
      `\`Statement\` must be an object or an array of objects, got ${describe(statementValue)}`,
    );
    return { policy: undefined, problems: report.problems };
  }

  const line = options.lineOf?.(base);
  const source: PolicySource = {
    ...(options.file !== undefined ? { file: options.file } : {}),
    pointer: base,
    ...(line !== undefined ? { line } : {}),
  };
  const policy: CompiledPolicy = {
    [COMPILED]: true,
    name: options.name,
    version,
    variablesEnabled: ctx.variablesEnabled,
    statements,
    skipped,
    source,
  };
  return { policy, problems: report.problems };
}

// ---------------------------------------------------------------------------------------------
// document decoding

/**
 * Accept an object, a JSON string, or a URL-encoded JSON string. IAM's API returns policy
 * documents "URL-encoded compliant with RFC 3986"
 * (https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRolePolicy.html), so `+` is a
 * literal plus (decodeURIComponent keeps it), not a space.
 */
function decodeDocument(
  input: unknown,
  report: Reporter,
):
  | { doc: Record<string, unknown>; duplicates: readonly DuplicateMember[]; more: boolean }
  | undefined {
  let value: unknown = input;
  let duplicates: readonly DuplicateMember[] = NO_DUPLICATES;
  let more = false;
  if (typeof input === 'string') {
    const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
    if (text.trim() === '') {
      report.error('policy.json.invalid', '', 'the policy document is an empty string');
      return undefined;
    }
    const parsed = parseJsonOrEncoded(text);
    if (!parsed.ok) {
      report.error(
        'policy.json.invalid',
        '',
        `the policy document is neither JSON nor URL-encoded JSON${policyTextFault(text)}`,
      );
      return undefined;
    }
    ({ value, duplicates, more } = parsed);
  } else if (input === undefined || input === null) {
    report.error('policy.document.missing', '', 'the policy document is missing');
    return undefined;
  }
  if (!isObject(value)) {
    report.error(
      'policy.document.invalid',
      '',
      `the policy document must be a JSON object, got ${describe(value)}`,
    );
    return undefined;
  }
  return { doc: value, duplicates, more };
}

const NO_DUPLICATES: readonly DuplicateMember[] = Object.freeze([]);

/** A policy's JSON text read: its value, and the member names it wrote twice (see parseJsonFindingDuplicates). */
export type ReadText =
  | {
      ok: true;
      value: unknown;
      duplicates: readonly DuplicateMember[];
      more: boolean;
    }
  | { ok: false };

/**
 * Where a policy text that is not JSON stops being JSON (src/jsonSyntax.ts), in the text or, when
 * it is URL-encoded (it does not start as JSON does and holds a `%`), in its decoded form; the
 * text itself is not quoted.
 */
function policyTextFault(text: string): string {
  if (!/^\s*[{[]/.test(text) && text.includes('%')) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(text);
    } catch {
      return ' (it is not valid URL encoding)';
    }
    const place = jsonFaultPlace(decoded);
    return place === undefined ? '' : ` (its URL-decoded text stops being JSON at ${place})`;
  }
  const place = jsonFaultPlace(text);
  return place === undefined ? '' : ` (its text stops being JSON at ${place})`;
}

export function parseJsonOrEncoded(text: string): ReadText {
  try {
    return { ok: true, ...parseJsonFindingDuplicates(text) };
  } catch {
    // not JSON (or a RangeError from hostile nesting): try the URL-encoded form below
  }
  if (text.indexOf('%') < 0) return { ok: false };
  try {
    return { ok: true, ...parseJsonFindingDuplicates(decodeURIComponent(text)) };
  } catch {
    return { ok: false };
  }
}

// ---------------------------------------------------------------------------------------------
// duplicate member names

/**
 * Report every member name the document's JSON text held twice in one object, and say which
 * statements (by index; 0 for a single-object `Statement`) and which top-level members hold one.
 *
 * JSON.parse keeps the last member silently, so permchain would read one of the two policies the
 * text may mean. What IAM does is not documented: the grammar requires "valid JSON"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html), and RFC
 * 8259 leaves duplicates to the receiver ("the behavior of software that receives such an object
 * is unpredictable", https://www.rfc-editor.org/rfc/rfc8259#section-4). IAM Access Analyzer's
 * checks name only "Duplicate keys with different case" (DUPLICATE_KEYS_WITH_DIFFERENT_CASE) as
 * an error (https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html);
 * for exact duplicates there is no documented rule. The Terraform AWS provider refuses them
 * because a second `Condition` operator silently replaces the first, leaving a policy wider
 * than written (https://github.com/hashicorp/terraform-provider-aws/pull/33570). So a duplicate
 * is an error and its statement is unreadable (like any invalid statement: never read as an
 * Allow or a Deny), never read one way silently. Here, a document given as JSON text (plain or
 * URL-encoded); the readers of files report their own (src/load/snapshotFiles.ts).
 */
function duplicatedMembers(
  doc: Record<string, unknown>,
  duplicates: readonly DuplicateMember[],
  more: boolean,
  report: Reporter,
): { readonly statements: ReadonlySet<number>; readonly document: readonly string[] } {
  const statements = new Set<number>();
  const document: string[] = [];
  if (duplicates.length === 0) return { statements, document };
  const single = isObject(doc['Statement']);
  // the statement a member's path is in: `/Statement/<i>/...`, or `/Statement/...` when
  // `Statement` is one object
  const statementOf = (parent: readonly (string | number)[]): number | undefined => {
    if (parent[0] !== 'Statement') return undefined;
    if (single) return 0;
    return typeof parent[1] === 'number' ? parent[1] : undefined;
  };
  const found: { pointer: string; name: string; statement: number | undefined }[] = [];
  const pointers = new Set(duplicates.map((d) => d.pointer));
  next: for (const d of duplicates) {
    // inside a member that is itself a duplicate: JSON.parse dropped that object (or kept another
    // one at the same path), and the statement (or document) that holds the outer one is
    // unreadable already. The prefixes are built once each (linear in the depth).
    let prefix = '';
    for (const t of d.parent) {
      prefix = joinPointer(prefix, t);
      if (pointers.has(prefix)) continue next;
    }
    found.push({ pointer: d.pointer, name: d.name, statement: statementOf(d.parent) });
  }
  // more than were listed: the ones not listed are not placed, so the whole text is refused
  if (more) found.push({ pointer: '', name: TOO_MANY_DUPLICATES, statement: undefined });
  for (const f of found) {
    const where = f.statement !== undefined ? `statement ${f.statement + 1}: ` : '';
    if (f.name === TOO_MANY_DUPLICATES)
      report.error(
        'policy.duplicate-key',
        f.pointer,
        `more than ${MAX_LISTED} member names appear twice in the document's objects; permchain would read only the last of each, and how AWS reads such a policy is not documented`,
      );
    else
      report.error(
        'policy.duplicate-key',
        f.pointer,
        `${where}the member ${quote(f.name)} appears twice in one object; permchain would read only the last, and how AWS reads such a policy is not documented`,
      );
    if (f.statement !== undefined) statements.add(f.statement);
    else document.push(f.pointer);
  }
  return { statements, document };
}

// ---------------------------------------------------------------------------------------------
// statements

interface StatementContext {
  readonly report: Reporter;
  readonly policyType: PolicyType | 'trust';
  readonly keyPolicy: boolean;
  readonly variablesEnabled: boolean;
  readonly lineOf: ((pointer: string) => number | undefined) | undefined;
  readonly sids: Set<string>;
}

/**
 * A valid statement that has no effect, so it is neither evaluated nor unreadable: in a KMS key
 * policy, one without `Resource`. "If either of the required Resource or Action elements are
 * missing from a key policy statement, the policy statement has no effect", and KMS accepts the
 * policy (https://docs.aws.amazon.com/kms/latest/APIReference/API_PutKeyPolicy.html).
 */
const INEFFECTIVE = Symbol('ineffective statement');

/** Tracks whether the statement being compiled is still valid. */
interface Check {
  ok: boolean;
}

function compileStatement(
  raw: unknown,
  index: number,
  pointer: string,
  ctx: StatementContext,
): CompiledStatement | typeof INEFFECTIVE | undefined {
  const { report } = ctx;
  if (!isObject(raw)) {
    report.error(
      'policy.statement.invalid',
      pointer,
      `statement ${index} must be an object, got ${describe(raw)}`,
    );
    return undefined;
  }
  const check: Check = { ok: true };
  const fail = (id: string, at: string, message: string): void => {
    check.ok = false;
    report.error(id, at, message);
  };
  // an own key holding `undefined` (possible in object input, never in JSON) counts as absent,
  // as JSON.stringify would drop it
  const has = (key: string): boolean =>
    Object.prototype.hasOwnProperty.call(raw, key) && raw[key] !== undefined;

  for (const key of Object.keys(raw)) {
    if (!STATEMENT_KEYS.has(key) && raw[key] !== undefined) {
      fail(
        'policy.statement.unknown-key',
        joinPointer(pointer, key),
        `statement ${index}: unknown element ${quote(key)}`,
      );
    }
  }

  // Sid
  let sid: string | undefined;
  if (has('Sid')) {
    const value = raw['Sid'];
    if (typeof value !== 'string') {
      fail(
        'policy.sid.invalid',
        pointer + '/Sid',
        `statement ${index}: \`Sid\` must be a string, got ${describe(value)}`,
      );
    } else {
      sid = value;
      // "The Sid value must be unique within a JSON policy":
      // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html
      if (value !== '' && ctx.sids.has(value)) {
        report.warn(
          'policy.sid.duplicate',
          pointer + '/Sid',
          `statement ${index}: duplicate \`Sid\` ${quote(value)}`,
        );
      }
      ctx.sids.add(value);
    }
  }

  // Effect: "The Effect value is case sensitive"
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_effect.html
  let effect: Effect | undefined;
  if (!has('Effect')) {
    fail('policy.effect.missing', pointer, `statement ${index}: no \`Effect\``);
  } else {
    const value = raw['Effect'];
    if (value === 'Allow' || value === 'Deny') effect = value;
    else {
      fail(
        'policy.effect.invalid',
        pointer + '/Effect',
        `statement ${index}: \`Effect\` must be \`Allow\` or \`Deny\`, got ${describe(value)}`,
      );
    }
  }

  // Action / NotAction: exactly one
  let action: ActionMatcher | undefined;
  let notAction: ActionMatcher | undefined;
  if (has('Action') && has('NotAction')) {
    fail(
      'policy.action.conflict',
      pointer,
      `statement ${index}: \`Action\` and \`NotAction\` are both present: use exactly one`,
    );
  } else if (has('Action')) {
    action = compileActions(raw['Action'], pointer + '/Action', index, ctx, check);
  } else if (has('NotAction')) {
    notAction = compileActions(raw['NotAction'], pointer + '/NotAction', index, ctx, check);
  } else {
    fail('policy.action.missing', pointer, `statement ${index}: no \`Action\` or \`NotAction\``);
  }

  // Resource / NotResource: at most one; required in identity-like policies
  let resource: ResourceMatcher | undefined;
  let notResource: ResourceMatcher | undefined;
  if (has('Resource') && has('NotResource')) {
    fail(
      'policy.resource.conflict',
      pointer,
      `statement ${index}: \`Resource\` and \`NotResource\` are both present: use at most one`,
    );
  } else if (has('Resource')) {
    resource = compileResources(raw['Resource'], pointer + '/Resource', index, ctx, check);
  } else if (has('NotResource')) {
    notResource = compileResources(raw['NotResource'], pointer + '/NotResource', index, ctx, check);
  } else if (RESOURCE_REQUIRED.has(ctx.policyType)) {
    fail(
      'policy.resource.missing',
      pointer,
      `statement ${index}: no \`Resource\` or \`NotResource\` (required in ${ctx.policyType} policies)`,
    );
  }

  // Principal / NotPrincipal
  let principal: PrincipalMatcher | undefined;
  let notPrincipal: PrincipalMatcher | undefined;
  const principalRequired = PRINCIPAL_REQUIRED.has(ctx.policyType);
  if (!principalRequired) {
    for (const key of ['Principal', 'NotPrincipal']) {
      if (has(key)) {
        fail(
          'policy.principal.forbidden',
          joinPointer(pointer, key),
          `statement ${index}: \`${key}\` is not allowed in ${ctx.policyType} policies`,
        );
      }
    }
  } else if (has('Principal') && has('NotPrincipal')) {
    fail(
      'policy.principal.conflict',
      pointer,
      `statement ${index}: \`Principal\` and \`NotPrincipal\` are both present: use exactly one`,
    );
  } else if (has('Principal')) {
    principal = compilePrincipal(raw['Principal'], pointer + '/Principal', index, ctx, check);
  } else if (has('NotPrincipal')) {
    if (NOT_PRINCIPAL_FORBIDDEN.has(ctx.policyType)) {
      fail(
        'policy.notprincipal.forbidden',
        pointer + '/NotPrincipal',
        `statement ${index}: \`NotPrincipal\` is not allowed in ${ctx.policyType} policies`,
      );
    } else {
      notPrincipal = compilePrincipal(
        raw['NotPrincipal'],
        pointer + '/NotPrincipal',
        index,
        ctx,
        check,
      );
      if (effect === 'Allow') {
        // "NotPrincipal must be used with "Effect":"Deny". Using it with "Effect":"Allow" is
        // not supported."
        // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
        // The statement is still compiled as written (an allow of everyone else), which
        // `simulate` reads; `analyze` takes no allow from it for certain (src/chain/resolveLink.ts
        // NOT_PRINCIPAL_ALLOWS).
        report.warn(
          'policy.notprincipal.allow',
          pointer + '/NotPrincipal',
          `statement ${index}: AWS does not support \`NotPrincipal\` with \`Allow\` (it must be used with \`Deny\`); as written it grants access to everyone not listed, anonymous users included; use \`Principal\` with a condition on \`aws:PrincipalArn\``,
        );
      }
    }
  } else {
    fail(
      'policy.principal.missing',
      pointer,
      `statement ${index}: no \`Principal\` or \`NotPrincipal\` (required in ${ctx.policyType} policies)`,
    );
  }

  // Condition
  let conditions: CompiledCondition[] = [];
  if (has('Condition')) {
    conditions = compileConditions(
      raw['Condition'],
      pointer + '/Condition',
      index,
      ctx,
      check,
      effect,
    );
  }

  if (!check.ok || effect === undefined) return undefined;
  if (ctx.policyType === 'rcp' && effect === 'Allow' && !fullAccess(raw)) {
    // "The effect of Allow is only supported for the RCPFullAWSAccess policy"
    // (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_syntax.html):
    // RCPFullAWSAccess is always in force and RCP allows are not read (only their denies are)
    report.warn(
      'policy.rcp.allow',
      pointer + '/Effect',
      `statement ${index}: \`Allow\` in an RCP: AWS Organizations accepts it only in RCPFullAWSAccess, so this statement grants and limits nothing`,
    );
  }
  if (ctx.keyPolicy && resource === undefined && notResource === undefined) {
    report.warn(
      'policy.key.resource-missing',
      pointer,
      `statement ${index}: no \`Resource\`: in a key policy such a statement has no effect (KMS accepts it and ignores it); add \`"Resource": "*"\``,
    );
    return INEFFECTIVE;
  }
  // one literal with every property (undefined when absent), in the same order for every
  // statement: the evaluator reads these on its hot path, and one hidden class keeps those
  // reads monomorphic
  const fullPointer = ctx.report.base + pointer;
  const out: Mutable<CompiledStatement> = {
    index,
    sid,
    effect,
    action,
    notAction,
    resource,
    notResource,
    principal,
    notPrincipal,
    conditions,
    pointer: fullPointer,
    line: ctx.lineOf ? ctx.lineOf(fullPointer) : undefined,
  };
  return out;
}

/**
 * A string or a non-empty array of strings. Reports and returns undefined otherwise; array
 * entries that are not strings are reported at their own pointer.
 */
function readStringList(
  value: unknown,
  at: string,
  element: string,
  idPrefix: string,
  index: number,
  ctx: StatementContext,
  check: Check,
): string[] | undefined {
  if (typeof value === 'string') {
    if (!tooLong(value, at, element, index, ctx)) return [value];
    check.ok = false;
    return undefined;
  }
  if (!Array.isArray(value)) {
    check.ok = false;
    ctx.report.error(
      `${idPrefix}.invalid`,
      at,
      `statement ${index}: \`${element}\` must be a string or an array of strings, got ${describe(value)}`,
    );
    return undefined;
  }
  if (value.length === 0) {
    check.ok = false;
    ctx.report.error(`${idPrefix}.empty`, at, `statement ${index}: \`${element}\` is empty`);
    return undefined;
  }
  const out: string[] = [];
  let ok = true;
  for (let i = 0; i < value.length; i++) {
    const v: unknown = value[i];
    if (typeof v === 'string') {
      if (tooLong(v, joinPointer(at, i), element, index, ctx)) ok = false;
      else out.push(v);
    } else {
      ok = false;
      ctx.report.error(
        `${idPrefix}.invalid`,
        joinPointer(at, i),
        `statement ${index}: \`${element}\` entries must be strings, got ${describe(v)}`,
      );
    }
  }
  if (!ok) {
    check.ok = false;
    return undefined;
  }
  return out;
}

/** Pointer of entry `i` of a list element: the element itself when it was a single string. */
function entryPointer(at: string, raw: unknown, i: number): string {
  return Array.isArray(raw) ? joinPointer(at, i) : at;
}

// ---------------------------------------------------------------------------------------------
// actions

function compileActions(
  raw: unknown,
  at: string,
  index: number,
  ctx: StatementContext,
  check: Check,
): ActionMatcher | undefined {
  const element = at.endsWith('/NotAction') ? 'NotAction' : 'Action';
  const values = readStringList(raw, at, element, 'policy.action', index, ctx, check);
  if (!values) return undefined;
  let any = false;
  let exact: Set<string> | undefined;
  let seen: Set<string> | undefined;
  const patterns: Glob[] = [];
  let ok = true;
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    const ptr = entryPointer(at, raw, i);
    if (value === '*') {
      any = true;
      continue;
    }
    const colon = value.indexOf(':');
    if (colon <= 0 || colon === value.length - 1) {
      // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
      ok = false;
      ctx.report.error(
        'policy.action.invalid',
        ptr,
        `statement ${index}: action ${quote(value)} is not \`service:action\``,
      );
      continue;
    }
    const lower = value.toLowerCase();
    if (hasWildcard(lower)) {
      seen ??= new Set();
      if (!seen.has(lower)) {
        seen.add(lower);
        patterns.push(sharedGlob(lower, false));
      }
    } else (exact ??= new Set()).add(lower);
    const issue = catalogIssue(lower);
    if (issue) ctx.report.warn(issue.id, ptr, `statement ${index}: ${issue.message}`);
  }
  if (!ok) {
    check.ok = false;
    return undefined;
  }
  return { any, patterns, exact: exact ?? EMPTY_SET };
}

/**
 * The compiled patterns of Action and Resource elements, shared by every policy that writes the
 * same text (an organization's roles repeat `s3:Get*` and their bucket ARNs many times): a Glob
 * holds no state, so one object serves them all. Keyed by the text, and by whether it is an
 * ARN pattern (matched segment by segment); bounded, so hostile input cannot grow it for ever.
 */
const GLOBS = new Map<string, Glob>();
const ARN_GLOBS = new Map<string, Glob>();
const GLOB_LIMIT = 50_000;

function sharedGlob(pattern: string, arn: boolean): Glob {
  const memo = arn ? ARN_GLOBS : GLOBS;
  let glob = memo.get(pattern);
  if (glob === undefined) {
    glob = arn ? compileArnGlob(pattern) : compileGlob(pattern);
    if (memo.size >= GLOB_LIMIT) memo.clear();
    memo.set(pattern, glob);
  }
  return glob;
}

/** Shared by every matcher without exact actions (typed readonly, never mutated). */
const EMPTY_SET: ReadonlySet<string> = new Set();

interface CatalogIssue {
  readonly id: string;
  readonly message: string;
}

/** Memo of catalog checks, bounded so hostile input cannot grow it without limit. */
const catalogMemo = new Map<string, CatalogIssue | null>();
const CATALOG_MEMO_LIMIT = 20_000;

/**
 * Warnings only: AWS accepts (and evaluates) actions it does not know, so the statement is
 * kept; the warning flags a likely typo or a catalog older than the service.
 */
function catalogIssue(lowerAction: string): CatalogIssue | undefined {
  const memo = catalogMemo.get(lowerAction);
  if (memo !== undefined) return memo ?? undefined;
  const issue = computeCatalogIssue(lowerAction);
  if (catalogMemo.size >= CATALOG_MEMO_LIMIT) catalogMemo.clear();
  catalogMemo.set(lowerAction, issue ?? null);
  return issue;
}

function computeCatalogIssue(lowerAction: string): CatalogIssue | undefined {
  const colon = lowerAction.indexOf(':');
  const service = lowerAction.slice(0, colon);
  if (!matchesKnownService(service)) {
    return {
      id: 'policy.action.service-unknown',
      message: `action ${quote(lowerAction)}: unknown service prefix ${quote(service)}`,
    };
  }
  if (!hasWildcard(lowerAction)) {
    return isKnownAction(lowerAction)
      ? undefined
      : {
          id: 'policy.action.unknown',
          message: `action ${quote(lowerAction)} is not in the AWS action catalog`,
        };
  }
  // A wildcard in the service prefix could need every service's file: only names are checked.
  if (hasWildcard(service)) return undefined;
  return expandActionPattern(lowerAction).length > 0
    ? undefined
    : {
        id: 'policy.action.no-match',
        message: `action pattern ${quote(lowerAction)} matches no action of \`${service}\``,
      };
}

// ---------------------------------------------------------------------------------------------
// resources

function compileResources(
  raw: unknown,
  at: string,
  index: number,
  ctx: StatementContext,
  check: Check,
): ResourceMatcher | undefined {
  const element = at.endsWith('/NotResource') ? 'NotResource' : 'Resource';
  const values = readStringList(raw, at, element, 'policy.resource', index, ctx, check);
  if (!values) return undefined;
  let any = false;
  let ok = true;
  const patterns: ResourcePattern[] = [];
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    const ptr = entryPointer(at, raw, i);
    if (value === '') {
      ok = false;
      ctx.report.error('policy.resource.invalid', ptr, `statement ${index}: empty resource`);
      continue;
    }
    if (value === '*') any = true;
    else if (serviceWildcard(value)) {
      // "You can't use a wildcard in the service segment that identifies the AWS product"
      // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html):
      // AWS does not say what it matches; it is matched here as written
      ctx.report.warn(
        'policy.resource.service-wildcard',
        ptr,
        `statement ${index}: resource ${quote(value)} has a wildcard in its service segment, which AWS documents cannot be used there: name the service`,
      );
    }
    if (ctx.variablesEnabled && value.indexOf('${') >= 0) {
      const template = compileTemplate(value)!;
      if (variableOutsideResourcePart(value)) {
        // "you can use policy variables only in the resource part of the ARN"; the variable
        // is still substituted here, so a match is possible but AWS may reject the policy.
        // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
        ctx.report.warn(
          'policy.resource.variable-position',
          ptr,
          `statement ${index}: resource ${quote(value)} has a policy variable outside the resource part of the ARN (after the fifth colon)`,
        );
      }
      patterns.push({ raw: value, template });
    } else {
      if (!ctx.variablesEnabled) warnDisabledVariable(value, ptr, index, ctx);
      patterns.push({ raw: value, glob: sharedGlob(value, true) });
    }
  }
  if (!ok) {
    check.ok = false;
    return undefined;
  }
  return { any, patterns };
}

/** The statement of RCPFullAWSAccess: Allow `*` to `*` on `*`, no condition. */
function fullAccess(raw: Record<string, unknown>): boolean {
  const star = (v: unknown): boolean =>
    v === '*' || (Array.isArray(v) && v.length === 1 && v[0] === '*');
  return (
    star(raw['Principal']) &&
    star(raw['Action']) &&
    star(raw['Resource']) &&
    raw['Condition'] === undefined &&
    raw['NotAction'] === undefined &&
    raw['NotResource'] === undefined
  );
}

/** True when an ARN pattern's service segment (the third) holds `*` or `?`. */
function serviceWildcard(text: string): boolean {
  if (!text.startsWith('arn:')) return false;
  const start = text.indexOf(':', 4);
  if (start < 0) return false;
  const end = text.indexOf(':', start + 1);
  const segment = text.slice(start + 1, end < 0 ? text.length : end);
  return segment.includes('*') || segment.includes('?');
}

/** True when a real variable (not an escape) starts before the fifth colon of the ARN. */
function variableOutsideResourcePart(text: string): boolean {
  let colons = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 58 /* : */) {
      colons++;
      if (colons === 5) return false;
    } else if (c === 36 /* $ */ && text.charCodeAt(i + 1) === 123 /* { */) {
      const close = text.indexOf('}', i + 2);
      if (close < 0) return false;
      const inner = text.slice(i + 2, close).trim();
      if (inner !== '*' && inner !== '?' && inner !== '$') return true;
      i = close;
    }
  }
  return false;
}

/** `${...}` under a Version other than 2012-10-17 is literal text: say so, it rarely is meant. */
function warnDisabledVariable(value: string, ptr: string, index: number, ctx: StatementContext) {
  // found with indexOf: a regex over `${${${…` backtracks (quadratic on a hostile value)
  const open = value.indexOf('${');
  if (open < 0) return;
  const close = value.indexOf('}', open + 2);
  if (close < 0) return;
  const variable = value.slice(open, close + 1);
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html
  ctx.report.warn(
    'policy.variable.disabled',
    ptr,
    `statement ${index}: ${quote(variable)} is literal text: policy variables need \`"Version": "${VERSION_2012}"\``,
  );
}

// ---------------------------------------------------------------------------------------------
// principals

function compilePrincipal(
  raw: unknown,
  at: string,
  index: number,
  ctx: StatementContext,
  check: Check,
): PrincipalMatcher | undefined {
  const element = at.endsWith('/NotPrincipal') ? 'NotPrincipal' : 'Principal';
  const { report } = ctx;
  if (raw === '*') {
    return { any: true, aws: [], accounts: [], service: [], federated: [], canonicalUser: [] };
  }
  if (!isObject(raw)) {
    check.ok = false;
    report.error(
      'policy.principal.invalid',
      at,
      `statement ${index}: \`${element}\` must be \`"*"\` or an object with \`AWS\`, \`Service\`, \`Federated\` or \`CanonicalUser\`, got ${describe(raw)}`,
    );
    return undefined;
  }
  const keys = definedKeys(raw);
  if (keys.length === 0) {
    check.ok = false;
    report.error('policy.principal.empty', at, `statement ${index}: \`${element}\` is empty`);
    return undefined;
  }
  let ok = true;
  let any = false;
  const lists: Record<PrincipalKey, string[]> = {
    AWS: [],
    Service: [],
    Federated: [],
    CanonicalUser: [],
  };
  const accounts: string[] = [];
  for (const key of keys) {
    const ptr = joinPointer(at, key);
    if (!(PRINCIPAL_KEYS as readonly string[]).includes(key)) {
      ok = false;
      report.error(
        'policy.principal.key-unknown',
        ptr,
        `statement ${index}: unknown principal type ${quote(key)}: expected \`AWS\`, \`Service\`, \`Federated\` or \`CanonicalUser\``,
      );
      continue;
    }
    const rawValue = raw[key];
    const values = readStringList(
      rawValue,
      ptr,
      `${element}.${key}`,
      'policy.principal',
      index,
      ctx,
      check,
    );
    if (!values) {
      ok = false;
      continue;
    }
    for (let i = 0; i < values.length; i++) {
      const value = values[i]!;
      const vptr = entryPointer(ptr, rawValue, i);
      if (value === '') {
        ok = false;
        report.error('policy.principal.invalid', vptr, `statement ${index}: empty principal`);
        continue;
      }
      if (key === 'AWS' && value === '*') {
        any = true;
        continue;
      }
      if (hasWildcard(value)) {
        // "You cannot use a wildcard to match part of a principal name or ARN": the value is
        // compared literally, so it matches no real principal.
        // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
        report.warn(
          'policy.principal.partial-wildcard',
          vptr,
          `statement ${index}: principal ${quote(value)} has a wildcard: AWS matches no partial wildcard in \`${element}\`, so it is compared literally`,
        );
      }
      if (key === 'AWS') {
        lists.AWS.push(normaliseAwsPrincipal(value, vptr, index, ctx));
        if (ACCOUNT_ID.test(value)) accounts.push(value);
      } else if (key === 'Service') {
        lists.Service.push(value.toLowerCase());
      } else {
        lists[key as PrincipalKey].push(value);
      }
    }
  }
  if (!ok) {
    check.ok = false;
    return undefined;
  }
  return {
    any,
    aws: lists.AWS,
    accounts,
    service: lists.Service,
    federated: lists.Federated,
    canonicalUser: lists.CanonicalUser,
  };
}

const ACCOUNT_ID = /^\d{12}$/;

/**
 * A bare account id means the account (`arn:aws:iam::<id>:root`, "delegation", not the root
 * user): https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-accounts
 * An id carries no partition: the `aws`-partition ARN is what `aws` keeps (readers compare it
 * with `arn:aws:iam::<id>:root`), and the id itself goes to `accounts`, which the evaluator
 * matches against the caller's account in whatever partition the caller is (aws-us-gov, aws-cn).
 */
function normaliseAwsPrincipal(
  value: string,
  ptr: string,
  index: number,
  ctx: StatementContext,
): string {
  if (ACCOUNT_ID.test(value)) return `arn:aws:iam::${value}:root`;
  if (!value.startsWith('arn:') && !hasWildcard(value)) {
    // IAM rewrites the ARN of a deleted role or user to its unique id (AROA..., AIDA...),
    // which then matches no principal.
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-roles
    ctx.report.warn(
      'policy.principal.unrecognised',
      ptr,
      `statement ${index}: AWS principal ${quote(value)} is neither an ARN nor a 12-digit account id: it matches no principal (a deleted role or user leaves its unique id behind)`,
    );
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// conditions

function compileConditions(
  raw: unknown,
  at: string,
  index: number,
  ctx: StatementContext,
  check: Check,
  effect: Effect | undefined,
): CompiledCondition[] {
  const { report } = ctx;
  if (!isObject(raw)) {
    check.ok = false;
    report.error(
      'policy.condition.invalid',
      at,
      `statement ${index}: \`Condition\` must be an object of operators, got ${describe(raw)}`,
    );
    return [];
  }
  const out: CompiledCondition[] = [];
  for (const operator of definedKeys(raw)) {
    const opPtr = joinPointer(at, operator);
    const parsed = parseOperatorName(operator);
    if (!parsed) {
      check.ok = false;
      // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
      report.error(
        'policy.condition.operator-unknown',
        opPtr,
        `statement ${index}: unknown condition operator ${quote(operator)}`,
      );
      continue;
    }
    const block = raw[operator];
    if (!isObject(block)) {
      check.ok = false;
      report.error(
        'policy.condition.invalid',
        opPtr,
        `statement ${index}: condition operator ${quote(operator)} must map keys to values, got ${describe(block)}`,
      );
      continue;
    }
    const keys = definedKeys(block);
    if (keys.length === 0) {
      report.warn(
        'policy.condition.empty',
        opPtr,
        `statement ${index}: condition operator ${quote(operator)} has no keys and tests nothing`,
      );
    }
    const meta = CONDITION_OPERATORS[parsed.base];
    for (const key of keys) {
      const keyPtr = joinPointer(opPtr, key);
      const rawValue = block[key];
      const values = readConditionValues(rawValue, keyPtr, index, ctx);
      if (!values) {
        check.ok = false;
        continue;
      }
      let templates: (Template | undefined)[] | undefined;
      for (let i = 0; i < values.length; i++) {
        const value = values[i]!;
        const vptr = entryPointer(keyPtr, rawValue, i);
        let template: Template | undefined;
        if (meta.variables && value.indexOf('${') >= 0) {
          if (ctx.variablesEnabled) {
            template = compileTemplate(value);
            if (template) {
              templates ??= new Array<Template | undefined>(values.length).fill(undefined);
              templates[i] = template;
            }
          } else warnDisabledVariable(value, vptr, index, ctx);
        }
        if (!template) {
          const why = unmatchableValue(meta.family, value);
          if (meta.family === 'bool' && why) {
            // read as false (src/evaluate/conditions.ts: bool), not as a value that never matches
            report.warn(
              'policy.condition.value-not-boolean',
              vptr,
              `statement ${index}: ${quote(operator)} value ${quote(value)} ${why}: it is read as \`false\``,
            );
          } else if (why) {
            report.warn(
              'policy.condition.value-unmatchable',
              vptr,
              `statement ${index}: ${quote(operator)} value ${quote(value)} ${why}: it never matches`,
            );
          } else if (meta.family === 'ip' && isBareIpv6(value)) {
            const single = bareIpv6SingleIsSafe(effect, meta.negated);
            if (!single) values[i] = `${value}/32`;
            reportBareIpv6(operator, value, vptr, index, ctx, single);
          }
        }
      }
      const condition: CompiledCondition = {
        operator,
        base: parsed.base,
        ...(parsed.set ? { set: parsed.set } : {}),
        ifExists: parsed.ifExists,
        key,
        keyLower: key.toLowerCase(),
        values,
        ...(templates ? { templates } : {}),
        pointer: ctx.report.base + keyPtr,
      };
      out.push(condition);
    }
  }
  return out;
}

/**
 * Condition values: a string, number or boolean, or a non-empty array of them. AWS compares
 * numbers and booleans in their string form, so they are stringified here (`true` -> "true").
 */
function readConditionValues(
  raw: unknown,
  at: string,
  index: number,
  ctx: StatementContext,
): string[] | undefined {
  const scalar = scalarString(raw);
  if (scalar !== undefined)
    return tooLong(scalar, at, 'Condition', index, ctx) ? undefined : [scalar];
  if (!Array.isArray(raw)) {
    ctx.report.error(
      'policy.condition.value-invalid',
      at,
      `statement ${index}: condition value must be a string, number, boolean or an array of them, got ${describe(raw)}`,
    );
    return undefined;
  }
  if (raw.length === 0) {
    ctx.report.error(
      'policy.condition.value-empty',
      at,
      `statement ${index}: condition key has an empty list of values`,
    );
    return undefined;
  }
  const out: string[] = [];
  let ok = true;
  for (let i = 0; i < raw.length; i++) {
    const s = scalarString(raw[i]);
    if (s !== undefined) {
      if (tooLong(s, joinPointer(at, i), 'Condition', index, ctx)) ok = false;
      else out.push(s);
    } else {
      ok = false;
      ctx.report.error(
        'policy.condition.value-invalid',
        joinPointer(at, i),
        `statement ${index}: condition values must be strings, numbers or booleans, got ${describe(raw[i])}`,
      );
    }
  }
  return ok ? out : undefined;
}

function scalarString(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

// padding optional, as the evaluator decodes it (conditions.ts base64DataLength)
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/;
const TRUE_FALSE = /^(true|false)$/i;

/**
 * Why a value can never satisfy an operator of this family, or undefined when it can.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 */
function unmatchableValue(family: string, value: string): string | undefined {
  switch (family) {
    // the evaluator's own readers (src/evaluate/conditions.ts): the warning says exactly what
    // the evaluator does (a regex here read `1e3` and `2024-02-30` as values, and backtracked)
    case 'numeric':
      return parseDecimal(value) !== undefined ? undefined : 'is not a number';
    case 'date':
      return parseDate(value) !== undefined
        ? undefined
        : 'is not an ISO 8601 date or epoch seconds';
    case 'bool':
      return TRUE_FALSE.test(value) ? undefined : 'is not `true` or `false`';
    case 'null':
      return TRUE_FALSE.test(value) ? undefined : 'is not `true` or `false`';
    case 'binary':
      return BASE64.test(value) ? undefined : 'is not base64';
    case 'ip':
      return isCidr(value) ? undefined : 'is not an IP address or CIDR block';
    default:
      return undefined;
  }
}

/**
 * An IPv6 address without a prefix length (`2001:db8::1`). The IAM documentation says only "If
 * you specify an IP address without the associated routing prefix, IAM uses the default prefix
 * value of /32"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IPAddress):
 * a figure that is the single address for IPv4 but, read literally for IPv6, a network of 2^96
 * addresses; the documentation has no IPv6 example without a prefix. The evaluator reads the
 * single address (`/128`, src/evaluate/ip.ts), the narrowest reading.
 */
function isBareIpv6(value: string): boolean {
  return value.indexOf('/') < 0 && parseCidr(value)?.family === 6;
}

/**
 * Which reading of a bare IPv6 value can never turn a request AWS denies into Allowed: the
 * single address (`/128`) or the documented default taken literally (the `/32` network).
 * `IpAddress` (and its `IfExists`, `ForAnyValue:` and `ForAllValues:` forms) holds for more
 * requests the wider the range, a negated operator for fewer. So in an Allow, IpAddress takes
 * the single address (it allows less) and NotIpAddress the network (it holds for fewer); in a
 * Deny the other way round (the statement denies more). At worst the answer is a wrong Denied,
 * which the warning explains. True when the single address is the safe reading.
 */
function bareIpv6SingleIsSafe(effect: Effect | undefined, negated: boolean): boolean {
  return effect === 'Deny' ? negated : !negated;
}

function reportBareIpv6(
  operator: string,
  value: string,
  at: string,
  index: number,
  ctx: StatementContext,
  single: boolean,
): void {
  const reading = single
    ? 'the single address (`/128`)'
    : 'the `/32` network the documented default would make it';
  ctx.report.warn(
    'policy.condition.ip-prefix-missing',
    at,
    `statement ${index}: ${quote(operator)} value ${quote(value)} is an IPv6 address without a prefix length, and AWS documents the default prefix (\`/32\`) only for IPv4: read as ${reading}, the reading that cannot make this statement allow more or deny less than AWS; write ${quote(value + '/128')} (or the prefix meant)`,
  );
}

/** Whether the evaluator can read the value as an address or CIDR block (the same parser). */
function isCidr(value: string): boolean {
  return parseCidr(value) !== undefined;
}

// ---------------------------------------------------------------------------------------------
// helpers

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Own keys whose value is not `undefined` (object input may hold such keys; JSON cannot). */
function definedKeys(o: Record<string, unknown>): string[] {
  return Object.keys(o).filter((k) => o[k] !== undefined);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A short description of a JSON value for messages; never serialises nested structures. */
function describe(v: unknown): string {
  if (v === null) return '`null`';
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'an array';
  switch (typeof v) {
    case 'string':
      return `the string ${quote(v)}`;
    case 'number':
    case 'boolean':
      return `\`${String(v)}\``;
    case 'object':
      return 'an object';
    default:
      return `a ${typeof v}`;
  }
}

function quote(text: string): string {
  const short = text.length > QUOTE_LIMIT ? text.slice(0, QUOTE_LIMIT) + '…' : text;
  return '`' + short + '`';
}
