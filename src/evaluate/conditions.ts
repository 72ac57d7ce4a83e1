/**
 * IAM condition evaluation: one implementation per condition operator of the catalog
 * (src/policy/operators.ts), plus the rules that are the same for every operator: missing
 * keys, `...IfExists`, negation, several policy values, and the `ForAnyValue:` /
 * `ForAllValues:` set modifiers.
 *
 * Hot path: every policy value is parsed once per CompiledCondition (numbers, dates, CIDRs,
 * base64, compiled globs) and kept in a WeakMap; a call then only parses the request value
 * (into reused buffers where it has structure) and compares. No regular expressions.
 *
 * Sources (AWS documentation wins over anything else):
 * [OPS]   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 * [MV]    https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
 * [LOGIC] https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html
 * [VARS]  https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
 */
import { CONDITION_OPERATORS, type ConditionOperatorName } from '../policy/operators.js';
import type { CompiledCondition, ContextValue, RequestContext, Template } from '../policy/types.js';
import { resolveTemplate } from '../policy/variables.js';
import { compileArnGlob, compileGlob, type ArnGlob, type Glob } from '../policy/wildcard.js';
import {
  cidrContains,
  IP_WORDS,
  parseCidr,
  parseIpAddress,
  type Cidr,
  type IpFamily,
} from './ip.js';

/**
 * How one base operator compares. `P` is a policy value parsed once, `R` a request value
 * parsed per call; `undefined` from either parser means "matches nothing". Negated operators
 * share the positive operator's `matches` and set `negated`: the condition logic applies the
 * negation (NOR over policy values), so a negated operator is exactly "no policy value
 * matches" [LOGIC].
 */
export interface OperatorImplementation<P = unknown, R = unknown> {
  readonly negated: boolean;
  /** policy variables are resolved (when the policy enables them) [OPS], per the catalog */
  readonly variables: boolean;
  /**
   * a resolved variable goes into a wildcard pattern, so its `*`/`?` must stay literal [VARS]:
   * a value with variables, resolved, is pattern text with escapes, given to `prepare` with
   * `escaped` (wildcard.ts PATTERN_ESCAPE)
   */
  readonly forPattern: boolean;
  /** `Null`: tests whether the key is present, not its value [OPS#Conditions_Null] */
  readonly testsPresence?: boolean;
  /**
   * `numeric` or `date` for a Numeric or Date operator, whose parseRequest counts the values it
   * cannot read (unreadableReadCount); undefined for the others (from the operator's family)
   */
  readonly typed: 'numeric' | 'date' | undefined;
  /** `escaped`: the value is pattern text with escapes (only where `forPattern`) */
  prepare(policyValue: string, escaped?: boolean): P | undefined;
  parseRequest(requestValue: string): R | undefined;
  matches(policy: P, request: R): boolean;
}

// ---------------------------------------------------------------------------------------------
// Families

const identity = (text: string): string => text;
const lower = (text: string): string => text.toLowerCase();
const same = (a: unknown, b: unknown): boolean => a === b;

/** StringEquals is exact and case-sensitive [OPS#Conditions_String]. */
const stringEquals = {
  prepare: identity,
  parseRequest: identity,
  matches: same,
  forPattern: false,
};

/**
 * IgnoreCase: both sides lower-cased (policy side once). V8 returns the same string when
 * there is nothing to lower-case, so the common all-lower-case request value costs no copy.
 */
const stringEqualsIgnoreCase = {
  prepare: lower,
  parseRequest: lower,
  matches: same,
  forPattern: false,
};

/** StringLike: case-sensitive, `*` and `?` anywhere [OPS#Conditions_String]. */
const stringLike = {
  prepare: (text: string, escaped = false): Glob => compileGlob(text, escaped),
  parseRequest: identity,
  matches: (glob: Glob, value: string): boolean => glob.test(value),
  forPattern: true,
};

/**
 * ArnEquals = ArnLike: "Each of the six colon-delimited components of the ARN is checked
 * separately and each can include ... wildcards", case-sensitive [OPS#Conditions_ARN];
 * compileArnGlob keeps `*`/`?` inside a segment. A request value that is not an ARN
 * (`arn:` and at least six segments) matches no pattern, not even `*`.
 */
const arnLike = {
  // a trailing `*` of a pattern of fewer than six segments does not cross colons here, as it
  // does in `Resource` (compileArnGlob)
  prepare: (text: string, escaped = false): ArnGlob => compileArnGlob(text, false, escaped),
  parseRequest: (text: string): string | undefined => (isArn(text) ? text : undefined),
  matches: (glob: ArnGlob, value: string): boolean => glob.test(value),
  forPattern: true,
};

function isArn(text: string): boolean {
  if (!text.startsWith('arn:')) return false;
  let colons = 1;
  for (let i = 4; i < text.length && colons < 5; i++) if (text.charCodeAt(i) === 58) colons++;
  return colons === 5;
}

type Compare = (request: number, policy: number) => boolean;

/**
 * Numeric: "an integer or decimal value" [OPS#Conditions_Numeric]. A value that is not one
 * (`abc`, `0x10`, `1e3`, ``) matches nothing; for NumericNotEquals that makes the condition
 * true, since a negated operator is "no policy value matches". AWS documents no rule for a
 * request value that is not a number, so the evaluator warns where its answer rests on this
 * one (unreadableRequestValue, evaluate.ts typedValueWarnings).
 */
function numeric(compare: Compare) {
  return {
    prepare: parseDecimal,
    parseRequest: readRequestDecimal,
    matches: (policy: number, request: number): boolean => compare(request, policy),
    forPattern: false,
  };
}

/**
 * Date: "one of the W3C implementations of the ISO 8601 date formats or in epoch (UNIX) time"
 * [OPS#Conditions_Date], compared as instants. No wildcards. Unparsable values match nothing,
 * and a request value that is not a date is warned about (as for numbers).
 */
function date(compare: Compare) {
  return {
    prepare: parseDate,
    parseRequest: readRequestDate,
    matches: (policy: number, request: number): boolean => compare(request, policy),
    forPattern: false,
  };
}

/**
 * Bool: "comparing a key to true or false" [OPS#Conditions_Boolean]. The page does not say
 * whether `True` counts; we compare without regard to case (AWS writes request values in
 * lower case, so this only accepts policy spellings like `"True"`, which JSON booleans
 * serialised by some tools produce). Nor does it say what a policy value that is neither means:
 * it is read as `false`. The evidence is the trust policy the AWS CDK gave every CDK Pipelines
 * CodeBuild action role until 2023, `"Bool": {"aws:ViaAWSService": "codepipeline.amazonaws.com"}`:
 * those pipelines ran, and the fix says the condition "allowed all roles in the same account
 * with appropriate sts:AssumeRole permissions to assume the Role" (https://github.com/aws/aws-cdk/pull/25316),
 * i.e. it held for requests whose `aws:ViaAWSService` is false. A request value that is neither
 * (only a simulate request can give one) still matches nothing.
 */
const bool = {
  prepare: parsePolicyBool,
  parseRequest: parseBool,
  matches: same,
  forPattern: false,
};

/**
 * BinaryEquals: "compares the value of the specified key byte for byte against a base-64
 * encoded representation of the binary value in the policy" [OPS#Conditions_BinaryEquals].
 * Both sides are base64 here (the request file carries binary values as base64); both are
 * decoded, so two encodings of the same bytes are equal. Invalid base64 matches nothing.
 */
const binary = {
  prepare: decodeBase64,
  parseRequest: decodeRequestBase64,
  matches: (policy: Uint8Array, length: number): boolean => sameBytes(policy, length),
  forPattern: false,
};

/**
 * IpAddress: CIDR, IPv4 or IPv6, a bare address is the single address [OPS#Conditions_IPAddress].
 * A request value that is not a plain address matches nothing (so NotIpAddress holds).
 */
const ip = {
  prepare: parseCidr,
  parseRequest: (text: string): IpFamily | undefined => parseIpAddress(text, IP_SCRATCH),
  matches: (cidr: Cidr, family: IpFamily): boolean => cidrContains(cidr, family, IP_SCRATCH),
  forPattern: false,
};
const IP_SCRATCH = new Uint32Array(IP_WORDS);

/** Null: `true` = the key is absent, `false` = present; case-insensitive like Bool. */
const nullCheck = {
  prepare: parseBool,
  parseRequest: () => undefined,
  matches: () => false,
  forPattern: false,
  testsPresence: true,
};

interface Family<P, R> {
  prepare(policyValue: string, escaped?: boolean): P | undefined;
  parseRequest(requestValue: string): R | undefined;
  matches(policy: P, request: R): boolean;
  readonly forPattern: boolean;
  readonly testsPresence?: boolean;
}

function define<P, R>(name: ConditionOperatorName, family: Family<P, R>): OperatorImplementation {
  const meta = CONDITION_OPERATORS[name];
  const impl: OperatorImplementation<P, R> = {
    ...family,
    negated: meta.negated,
    variables: meta.variables,
    typed: meta.family === 'numeric' || meta.family === 'date' ? meta.family : undefined,
  };
  return impl as OperatorImplementation;
}

export const OPERATOR_IMPLEMENTATIONS: Readonly<
  Record<ConditionOperatorName, OperatorImplementation>
> = {
  StringEquals: define('StringEquals', stringEquals),
  StringNotEquals: define('StringNotEquals', stringEquals),
  StringEqualsIgnoreCase: define('StringEqualsIgnoreCase', stringEqualsIgnoreCase),
  StringNotEqualsIgnoreCase: define('StringNotEqualsIgnoreCase', stringEqualsIgnoreCase),
  StringLike: define('StringLike', stringLike),
  StringNotLike: define('StringNotLike', stringLike),
  NumericEquals: define(
    'NumericEquals',
    numeric((r, p) => r === p),
  ),
  NumericNotEquals: define(
    'NumericNotEquals',
    numeric((r, p) => r === p),
  ),
  NumericLessThan: define(
    'NumericLessThan',
    numeric((r, p) => r < p),
  ),
  NumericLessThanEquals: define(
    'NumericLessThanEquals',
    numeric((r, p) => r <= p),
  ),
  NumericGreaterThan: define(
    'NumericGreaterThan',
    numeric((r, p) => r > p),
  ),
  NumericGreaterThanEquals: define(
    'NumericGreaterThanEquals',
    numeric((r, p) => r >= p),
  ),
  DateEquals: define(
    'DateEquals',
    date((r, p) => r === p),
  ),
  DateNotEquals: define(
    'DateNotEquals',
    date((r, p) => r === p),
  ),
  DateLessThan: define(
    'DateLessThan',
    date((r, p) => r < p),
  ),
  DateLessThanEquals: define(
    'DateLessThanEquals',
    date((r, p) => r <= p),
  ),
  DateGreaterThan: define(
    'DateGreaterThan',
    date((r, p) => r > p),
  ),
  DateGreaterThanEquals: define(
    'DateGreaterThanEquals',
    date((r, p) => r >= p),
  ),
  Bool: define('Bool', bool),
  BinaryEquals: define('BinaryEquals', binary),
  IpAddress: define('IpAddress', ip),
  NotIpAddress: define('NotIpAddress', ip),
  // "The ArnEquals and ArnLike condition operators behave identically" [OPS#Conditions_ARN]
  ArnEquals: define('ArnEquals', arnLike),
  ArnLike: define('ArnLike', arnLike),
  ArnNotEquals: define('ArnNotEquals', arnLike),
  ArnNotLike: define('ArnNotLike', arnLike),
  Null: define('Null', nullCheck),
};

// ---------------------------------------------------------------------------------------------
// Condition logic

/** true when every condition holds: conditions are ANDed, an empty list holds [LOGIC] */
export function conditionsHold(
  conditions: readonly CompiledCondition[],
  context: RequestContext,
  variablesEnabled: boolean,
): boolean {
  for (let i = 0; i < conditions.length; i++) {
    if (!conditionHolds(conditions[i]!, context, variablesEnabled)) return false;
  }
  return true;
}

/** one condition (operator + key + values) */
export function conditionHolds(
  condition: CompiledCondition,
  context: RequestContext,
  variablesEnabled: boolean,
): boolean {
  const prepared = preparedFor(condition);
  const impl = prepared.impl;
  // Condition key names are case-insensitive; the context holds lower-cased keys [OPS].
  const raw = context.get(condition.keyLower);

  if (impl.testsPresence) return nullHolds(prepared.literal, isNullDataset(raw));

  if (raw === undefined || (typeof raw !== 'string' && raw.length === 0)) {
    // "If the key is not present, evaluate the condition element as true" [OPS#Conditions_IfExists]
    if (condition.ifExists) return true;
    // ForAllValues "also returns true if there are no context keys in the request";
    // ForAnyValue: "if the key does not exist, the condition returns false" [MV]. An empty
    // list is the "null dataset" case [OPS#Conditions_ARN, last paragraph].
    // (The ResourceOrgPaths table of [OPS#Conditions_String] lists "No match" for a
    // ForAllValues:StringNotLike without the key; it contradicts both statements above and the
    // ArnLike table of the same page, which says "Match", so we follow the stated rule.)
    if (condition.set === 'ForAllValues') return true;
    if (condition.set === 'ForAnyValue') return false;
    // "If the key ... is not present in the request context, the values do not match and the
    // condition is false. If the policy condition requires that the key is not matched, such
    // as StringNotLike or ArnNotLike, and the right key is not present, the condition is
    // true" [OPS, first Important box].
    return impl.negated;
  }

  const values = policyValuesFor(prepared, context, variablesEnabled);

  if (typeof raw === 'string') {
    // ForAllValues "returns true if ... the context key value resolves to a null dataset,
    // such as an empty string" [OPS#Conditions_ARN, last paragraph].
    if (raw === '' && condition.set === 'ForAllValues') return true;
    // A single value is a one-element set, so ForAnyValue/ForAllValues reduce to it.
    return valueHolds(impl, values, raw);
  }

  if (condition.set === 'ForAnyValue') {
    // "returns true if any one of the context key values in the request matches"; for a
    // negated base: "At least one context key value in the request must NOT match any of
    // values ... in your policy" [MV], [OPS#Conditions_String]
    for (let i = 0; i < raw.length; i++)
      if (valueHolds(impl, values, raw[i]!)) return countRest(impl, raw, i + 1, true);
    return false;
  }
  if (condition.set === 'ForAllValues') {
    // "returns true if every context key value in the request matches a context key value in
    // the policy"; negated base: "None of the values of the context key in the request can
    // match any of the context key values in your policy" [MV], [OPS#Conditions_String]
    for (let i = 0; i < raw.length; i++)
      if (!valueHolds(impl, values, raw[i]!)) return countRest(impl, raw, i + 1, false);
    return true;
  }
  return multivaluedWithoutSetOperator(impl, values, raw);
}

/**
 * `result`, once a set operator has its answer before the last request value: a Numeric or
 * Date operator still reads the rest, so that a value it cannot read is counted
 * (unreadableReadCount) whatever its place in the list. AWS documents no rule for such a value,
 * which might, for all the docs say, change the answer the readable ones gave.
 */
function countRest(
  impl: OperatorImplementation,
  raw: readonly string[],
  from: number,
  result: boolean,
): boolean {
  if (impl.typed) for (let i = from; i < raw.length; i++) impl.parseRequest(raw[i]!);
  return result;
}

/**
 * A list of request values under an operator without `ForAnyValue:`/`ForAllValues:`.
 *
 * AWS does not define this: "Multivalued context keys require a condition set operator" [MV].
 * We read it as AWS was observed to behave: a bare `StringEquals` on `aws:CalledVia` denied
 * when the request carried two services and allowed with `ForAnyValue:StringEquals`
 * (https://github.com/boogy/iam-policy-validator/pull/161, a report, not documentation). So a
 * list of two or more values is a value the operator cannot match: positive operators are
 * false, negated ones true (like any other value that matches no policy value). A one-element
 * list is that one value (request files may write single values as lists).
 *
 * The other candidate, reading it as ForAnyValue, would make a bare `StringEquals` Allow
 * grant what AWS refused in that report; no reading is right for both Allow and Deny
 * statements, so the observed one wins.
 */
function multivaluedWithoutSetOperator(
  impl: OperatorImplementation,
  values: readonly unknown[],
  raw: readonly string[],
): boolean {
  if (raw.length === 1) return valueHolds(impl, values, raw[0]!);
  return impl.negated;
}

/**
 * One request value against the policy values: several values for one key are ORed; for a
 * negated operator the result is NOR, "the key must match none of them" [LOGIC].
 */
function valueHolds(
  impl: OperatorImplementation,
  values: readonly unknown[],
  requestValue: string,
): boolean {
  const parsed = impl.parseRequest(requestValue);
  let matched = false;
  if (parsed !== undefined) {
    for (let i = 0; i < values.length; i++) {
      const value = values[i];
      if (value !== undefined && impl.matches(value, parsed)) {
        matched = true;
        break;
      }
    }
  }
  return impl.negated ? !matched : matched;
}

/**
 * The family of a condition whose request values AWS documents only as numbers (`numeric`) or
 * dates (`date`), or undefined for any other operator.
 */
export function typedFamily(condition: CompiledCondition): 'numeric' | 'date' | undefined {
  return OPERATOR_IMPLEMENTATIONS[condition.base as ConditionOperatorName]?.typed;
}

/**
 * How many request values the Numeric and Date operators could not read so far: evaluate.ts
 * compares it before and after a request, and looks for what to warn about (typedValueWarnings)
 * only when it moved. A count, so that a request whose values all read pays nothing for it.
 */
let unreadableReads = 0;

export function unreadableReadCount(): number {
  return unreadableReads;
}

function readRequestDecimal(text: string): number | undefined {
  const v = parseDecimal(text);
  if (v === undefined) unreadableReads++;
  return v;
}

function readRequestDate(text: string): number | undefined {
  const v = parseRequestDate(text);
  if (v === undefined) unreadableReads++;
  return v;
}

/**
 * The first request value of a Numeric or Date condition that its operator cannot read (not a
 * number, not a date), among those conditionHolds compares: the condition then holds or fails by
 * the rule "an unreadable value matches no policy value", which AWS does not document
 * [OPS#Conditions_Numeric, OPS#Conditions_Date]. Whether the operator is negated or not, the rule
 * can decide a request: under NumericNotEquals it satisfies an Allow, under NumericLessThan it
 * keeps a Deny from applying. Undefined for any other operator, an absent key, the documented
 * null dataset (an empty string under ForAllValues) and a list of several values without a set
 * operator (multivaluedWithoutSetOperator, which reads none of them).
 */
export function unreadableRequestValue(
  condition: CompiledCondition,
  context: RequestContext,
): string | undefined {
  const impl = OPERATOR_IMPLEMENTATIONS[condition.base as ConditionOperatorName];
  if (!impl?.typed) return undefined;
  const raw = context.get(condition.keyLower);
  if (raw === undefined) return undefined;
  if (typeof raw === 'string') {
    if (raw === '' && condition.set === 'ForAllValues') return undefined;
    return impl.parseRequest(raw) === undefined ? raw : undefined;
  }
  if (condition.set === undefined && raw.length !== 1) return undefined;
  for (let i = 0; i < raw.length; i++) if (impl.parseRequest(raw[i]!) === undefined) return raw[i]!;
  return undefined;
}

/**
 * Null: "true (the key doesn't exist — it is null) or false (the key exists and its value is
 * not null)" [OPS#Conditions_Null]. An empty list or empty string counts as null: the docs
 * pair `Null: false` with "context keys with empty values" and call an empty string a "null
 * dataset" [OPS#Conditions_ARN]. Several policy values are ORed; a value other than
 * true/false matches nothing.
 */
function nullHolds(expected: readonly unknown[], isNull: boolean): boolean {
  for (let i = 0; i < expected.length; i++) if (expected[i] === isNull) return true;
  return false;
}

function isNullDataset(raw: ContextValue | undefined): boolean {
  return raw === undefined || raw.length === 0;
}

// ---------------------------------------------------------------------------------------------
// Per-condition cache

interface PreparedCondition {
  readonly impl: OperatorImplementation;
  /** the policy values parsed as written (undefined: matches nothing) */
  readonly literal: readonly unknown[];
  /** set when the operator takes variables and at least one value holds one */
  readonly templates?: readonly (Template | undefined)[];
  /** per templated value, the last resolved text and its parsed form */
  readonly memoText: (string | undefined)[];
  readonly memoValue: unknown[];
  /** this call's values when templates are in play (reused; evaluation is not re-entrant) */
  readonly current: unknown[];
}

const PREPARED = new WeakMap<CompiledCondition, PreparedCondition>();

function preparedFor(condition: CompiledCondition): PreparedCondition {
  let prepared = PREPARED.get(condition);
  if (prepared === undefined) {
    prepared = prepare(condition);
    PREPARED.set(condition, prepared);
  }
  return prepared;
}

function prepare(condition: CompiledCondition): PreparedCondition {
  const base = condition.base;
  if (!Object.prototype.hasOwnProperty.call(OPERATOR_IMPLEMENTATIONS, base)) {
    // the parser only produces catalog operators: anything else is a bug, not bad input
    throw new Error(`unknown condition operator \`${base}\``);
  }
  const impl = OPERATOR_IMPLEMENTATIONS[base as ConditionOperatorName];
  const literal = condition.values.map((v) => impl.prepare(v));
  const templates =
    impl.variables && condition.templates?.some((t) => t !== undefined)
      ? condition.templates
      : undefined;
  const n = condition.values.length;
  return {
    impl,
    literal,
    ...(templates ? { templates } : {}),
    memoText: new Array<string | undefined>(n).fill(undefined),
    memoValue: new Array<unknown>(n).fill(undefined),
    current: new Array<unknown>(n).fill(undefined),
  };
}

/**
 * The policy values for this request. Variables are substituted only when the policy enables
 * them (Version 2012-10-17) and the operator takes them [VARS]; "an unresolved variable is
 * effectively null", so that value matches nothing (StringEquals false for it, StringNotEquals
 * true unless another value matches) [VARS].
 */
function policyValuesFor(
  prepared: PreparedCondition,
  context: RequestContext,
  variablesEnabled: boolean,
): readonly unknown[] {
  const templates = prepared.templates;
  if (!variablesEnabled || templates === undefined) return prepared.literal;
  const { impl, literal, memoText, memoValue, current } = prepared;
  for (let i = 0; i < literal.length; i++) {
    const template = templates[i];
    if (template === undefined) {
      current[i] = literal[i];
      continue;
    }
    const text = resolveTemplate(template, context, impl.forPattern);
    if (text === undefined) {
      current[i] = undefined;
    } else if (memoText[i] === text) {
      current[i] = memoValue[i];
    } else {
      // (resolved for a pattern: pattern text with escapes)
      const value = impl.prepare(text, impl.forPattern);
      memoText[i] = text;
      memoValue[i] = value;
      current[i] = value;
    }
  }
  return current;
}

// ---------------------------------------------------------------------------------------------
// Value parsers (hand-written scanners: linear, no regex)

const PLUS = 43;
const MINUS = 45;
const DOT = 46;
const COLON = 58;
const ZERO = 48;
const NINE = 57;

function isDigit(c: number): boolean {
  return c >= ZERO && c <= NINE;
}

/** `[+-]digits[.digits]` (or `.5`, `5.`): an integer or decimal; nothing else. */
export function parseDecimal(text: string): number | undefined {
  const n = text.length;
  let i = 0;
  const first = text.charCodeAt(0);
  if (first === PLUS || first === MINUS) i++;
  let digits = 0;
  let dot = false;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (isDigit(c)) digits++;
    else if (c === DOT && !dot) dot = true;
    else return undefined;
  }
  return digits === 0 ? undefined : Number(text);
}

/** A Bool policy value: `true` (any case) is true, anything else false (see `bool`). */
function parsePolicyBool(text: string): boolean {
  return parseBool(text) === true;
}

function parseBool(text: string): boolean | undefined {
  // `| 0x20` lower-cases ASCII letters; only `T`/`t` (etc.) map onto the letters tested here
  if (text.length === 4) {
    if (
      (text.charCodeAt(0) | 0x20) === 116 && // t
      (text.charCodeAt(1) | 0x20) === 114 && // r
      (text.charCodeAt(2) | 0x20) === 117 && // u
      (text.charCodeAt(3) | 0x20) === 101 // e
    ) {
      return true;
    }
  } else if (text.length === 5) {
    if (
      (text.charCodeAt(0) | 0x20) === 102 && // f
      (text.charCodeAt(1) | 0x20) === 97 && // a
      (text.charCodeAt(2) | 0x20) === 108 && // l
      (text.charCodeAt(3) | 0x20) === 115 && // s
      (text.charCodeAt(4) | 0x20) === 101 // e
    ) {
      return false;
    }
  }
  return undefined;
}

const MS_PER_400_YEARS = 146097 * 86400000;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * A date as epoch milliseconds (fractional when the text has sub-millisecond digits).
 * - Epoch seconds: digits with an optional fraction (`1700000000`, `1700000000.5`). An
 *   all-digit text is always read as epoch seconds, so a bare year (`2024`) is not a year.
 * - W3C ISO 8601: `YYYY-MM`, `YYYY-MM-DD`, `YYYY-MM-DDThh:mm[:ss[.s+]]TZD` with TZD `Z`,
 *   `+hh:mm`, `+hhmm` or `+hh` (https://www.w3.org/TR/NOTE-datetime). A time without TZD is
 *   read as UTC, the zone of `aws:CurrentTime`.
 * Out-of-range fields (month 13, February 30, hour 24) are invalid.
 */
export function parseDate(text: string): number | undefined {
  const n = text.length;
  if (n === 0) return undefined;
  if (isEpoch(text)) return Number(text) * 1000;

  const year = digitsAt(text, 0, 4);
  if (year < 0 || n < 7 || text.charCodeAt(4) !== MINUS) return undefined;
  const month = digitsAt(text, 5, 2);
  if (month < 1 || month > 12) return undefined;
  let day = 1;
  let pos = 7;
  if (pos < n) {
    if (text.charCodeAt(pos) !== MINUS) return undefined;
    day = digitsAt(text, pos + 1, 2);
    if (day < 1 || day > daysInMonth(year, month)) return undefined;
    pos += 3;
  }
  let hour = 0;
  let minute = 0;
  let second = 0;
  let fractionMs = 0;
  let offsetMinutes = 0;
  if (pos < n) {
    // a time needs the full date before it
    if (pos !== 10 || text.charCodeAt(pos) !== 84 /* T */) return undefined;
    hour = digitsAt(text, pos + 1, 2);
    if (hour < 0 || hour > 23 || text.charCodeAt(pos + 3) !== COLON) return undefined;
    minute = digitsAt(text, pos + 4, 2);
    if (minute < 0 || minute > 59) return undefined;
    pos += 6;
    if (pos < n && text.charCodeAt(pos) === COLON) {
      second = digitsAt(text, pos + 1, 2);
      if (second < 0 || second > 59) return undefined;
      pos += 3;
      if (pos < n && text.charCodeAt(pos) === DOT) {
        pos++;
        let scale = 100;
        const start = pos;
        while (pos < n && isDigit(text.charCodeAt(pos))) {
          fractionMs += (text.charCodeAt(pos) - ZERO) * scale;
          scale /= 10;
          pos++;
        }
        if (pos === start) return undefined;
      }
    }
    if (pos < n) {
      const c = text.charCodeAt(pos);
      if (c === 90 /* Z */) {
        pos++;
      } else if (c === PLUS || c === MINUS) {
        const hh = digitsAt(text, pos + 1, 2);
        if (hh < 0 || hh > 23) return undefined;
        let mm = 0;
        pos += 3;
        if (pos < n) {
          if (text.charCodeAt(pos) === COLON) pos++;
          mm = digitsAt(text, pos, 2);
          if (mm < 0 || mm > 59) return undefined;
          pos += 2;
        }
        offsetMinutes = (c === PLUS ? 1 : -1) * (hh * 60 + mm);
      } else {
        return undefined;
      }
    }
    if (pos !== n) return undefined;
  }
  // Date.UTC maps years 0-99 to 1900-1999: shift by 400 years (a whole Gregorian cycle)
  const ms =
    Date.UTC(year + 400, month - 1, day, hour, minute, second) - MS_PER_400_YEARS + fractionMs;
  return ms - offsetMinutes * 60000;
}

// One request usually compares the same `aws:CurrentTime` against many conditions: remember
// the last request date parsed.
let lastDateText: string | undefined;
let lastDateValue: number | undefined;

function parseRequestDate(text: string): number | undefined {
  if (text !== lastDateText) {
    lastDateValue = parseDate(text);
    lastDateText = text;
  }
  return lastDateValue;
}

function isEpoch(text: string): boolean {
  let digits = 0;
  let dot = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isDigit(c)) digits++;
    else if (c === DOT && !dot && digits > 0) dot = true;
    else return false;
  }
  return digits > 0 && text.charCodeAt(text.length - 1) !== DOT;
}

/** `count` decimal digits at `at` as a number, or -1 when they are not all there. */
function digitsAt(text: string, at: number, count: number): number {
  if (at + count > text.length) return -1;
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const c = text.charCodeAt(i);
    if (!isDigit(c)) return -1;
    value = value * 10 + (c - ZERO);
  }
  return value;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2 && ((year % 4 === 0 && year % 100 !== 0) || year % 400 === 0)) return 29;
  return DAYS_IN_MONTH[month - 1]!;
}

// Base64 (RFC 4648 standard alphabet; `=` padding optional, whitespace not allowed)

function base64Value(c: number): number {
  if (c >= 65 && c <= 90) return c - 65; // A-Z
  if (c >= 97 && c <= 122) return c - 71; // a-z
  if (c >= ZERO && c <= NINE) return c + 4; // 0-9
  if (c === 43) return 62; // +
  if (c === 47) return 63; // /
  return -1;
}

/** Number of data characters (without padding) or -1 when the text is not base64. */
function base64DataLength(text: string): number {
  let end = text.length;
  let padding = 0;
  while (end > 0 && text.charCodeAt(end - 1) === 61 /* = */ && padding < 2) {
    end--;
    padding++;
  }
  if (padding > 0 && text.length % 4 !== 0) return -1;
  if (end % 4 === 1) return -1;
  for (let i = 0; i < end; i++) if (base64Value(text.charCodeAt(i)) < 0) return -1;
  return end;
}

function decodeInto(text: string, dataLength: number, out: Uint8Array): number {
  let bits = 0;
  let acc = 0;
  let length = 0;
  for (let i = 0; i < dataLength; i++) {
    acc = (acc << 6) | base64Value(text.charCodeAt(i));
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[length++] = (acc >> bits) & 0xff;
    }
  }
  return length;
}

function byteLength(dataLength: number): number {
  return Math.floor((dataLength * 6) / 8);
}

function decodeBase64(text: string): Uint8Array | undefined {
  const dataLength = base64DataLength(text);
  if (dataLength < 0) return undefined;
  const out = new Uint8Array(byteLength(dataLength));
  decodeInto(text, dataLength, out);
  return out;
}

let binaryScratch = new Uint8Array(64);

/** Decode into a reused buffer; returns the byte count. */
function decodeRequestBase64(text: string): number | undefined {
  const dataLength = base64DataLength(text);
  if (dataLength < 0) return undefined;
  const size = byteLength(dataLength);
  if (size > binaryScratch.length)
    binaryScratch = new Uint8Array(Math.max(size, binaryScratch.length * 2));
  return decodeInto(text, dataLength, binaryScratch);
}

function sameBytes(policy: Uint8Array, length: number): boolean {
  if (policy.length !== length) return false;
  for (let i = 0; i < length; i++) if (policy[i] !== binaryScratch[i]) return false;
  return true;
}
