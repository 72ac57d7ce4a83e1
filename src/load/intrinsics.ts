/**
 * CloudFormation intrinsic functions, evaluated offline. What cannot be known before the
 * deploy (an SSM parameter's value, a macro's output, the AZs of a region) becomes an
 * `Unresolved` value that carries why and where, never a guess.
 * Reference: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html
 */
import { joinPointer, shownValue } from '../problems.js';
import { PLACEHOLDER_PATTERN } from '../model/placeholders.js';
import { sameJson } from './sameJson.js';

/**
 * A value that cannot be known offline; `pointer` is the template element that needs it (a
 * placeholder stands for the value needed there: two values needed at two places are two).
 * `origin`: where the unknown value comes from when that is outside the template (a CDK
 * manifest's or a stacks file's parameter value that is not a string), so the Unknown it makes
 * names that place rather than the template's. `cause`: the unknown value this one is made
 * from, when it is another value (an `Fn::If` on a condition that is not known is not the
 * condition): the place that would settle this one is the cause's (`settledBy`).
 */
export class Unresolved {
  constructor(
    readonly reason: string,
    readonly pointer: string,
    readonly origin?: {
      readonly file: string;
      readonly pointer: string;
      readonly line?: number;
      readonly column?: number;
    },
    readonly cause?: Unresolved,
  ) {}

  /** The same unknown value, needed at `pointer`: its reason, origin and cause kept. */
  at(pointer: string): Unresolved {
    return pointer === this.pointer
      ? this
      : new Unresolved(this.reason, pointer, this.origin, this.cause);
  }

  /** The unknown value that would settle this one: the end of its `cause` chain. */
  settledBy(): Unresolved {
    let n = 0;
    let u = this.cause;
    while (u?.cause && n++ < MAX_DEPTH) u = u.cause;
    return u ?? this;
  }
}

export function isUnresolved(x: unknown): x is Unresolved {
  return x instanceof Unresolved;
}

/** `Ref: AWS::NoValue`: the property or list element is removed. */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');

export interface IntrinsicScope {
  /** `Ref` of a parameter, pseudo parameter or resource */
  ref(name: string, pointer: string): unknown;
  /** `Fn::GetAtt` of a resource */
  getAtt(logicalId: string, attribute: string, pointer: string): unknown;
  /** the value of a named condition */
  condition(name: string, pointer: string): boolean | Unresolved;
  /** whether the template declares the condition (an `Fn::If` on one it does not is invalid) */
  declaresCondition?(name: string): boolean;
  /** `Fn::ImportValue`: an export of another stack */
  importValue(name: string, pointer: string): unknown;
  /** the template's `Mappings` */
  readonly mappings: unknown;
}

/** Where each object or array made by `resolveValue` came from (its template pointer). */
export type Origins = WeakMap<object, string>;

/** How deep a value is resolved or walked. */
export const MAX_DEPTH = 128;
/**
 * The longest string an intrinsic may build. A template body is at most 1 MB
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html) and
 * a parameter value 4,096 bytes, so no deployable value comes near it; a hostile template that
 * joins a long string with itself hundreds of times (through YAML aliases) would otherwise
 * exhaust V8's string length and crash.
 */
export const MAX_RESOLVED_STRING = 1024 * 1024;
const TOO_LONG = `the value would be longer than ${MAX_RESOLVED_STRING} characters`;

/**
 * Resolve every intrinsic in `value` (found at `pointer` in the template). Objects and arrays
 * are rebuilt with `NO_VALUE` elements removed; their template pointers go to `origins`.
 */
export function resolveValue(
  value: unknown,
  pointer: string,
  scope: IntrinsicScope,
  origins: Origins,
): unknown {
  return new Resolver(scope, origins).resolve(value, pointer, 0);
}

/** Evaluate a condition expression (`Fn::Equals`, `Fn::And`, `Condition: name`...). */
export function resolveConditionExpression(
  value: unknown,
  pointer: string,
  scope: IntrinsicScope,
): boolean | Unresolved {
  return new Resolver(scope, new WeakMap()).condition(value, pointer, 0);
}

/** A string, or the reason it is not one. */
export function asString(value: unknown, pointer: string): string | Unresolved {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Unresolved) return value;
  return new Unresolved(`expected a string, got ${describe(value)}`, pointer);
}

export function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (value === NO_VALUE) return '`AWS::NoValue`';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Unresolved) return 'an unresolved value';
  // a YAML map or JSON object ("a object" was said)
  if (typeof value === 'object') return 'a map';
  return `a ${typeof value}`;
}

/**
 * What `firstUnresolved` found in a list or object, by the depth it was walked from (null: none).
 * A value may be walked from several depths (one list used whole by one import and deep inside
 * another): what a walk finds depends on the depth, since the bound counts from the top.
 */
export type UnresolvedMemo = WeakMap<object, Map<number, Unresolved | null>>;

/**
 * The first Unresolved inside a resolved value, if any, to MAX_DEPTH levels below the top (the
 * value is `depth` levels down). `memo`: the walks already made, for a caller that walks the same
 * values again (a value shared by several values is walked once from each depth, not once for
 * each path to it).
 */
export function firstUnresolved(
  value: unknown,
  depth = 0,
  memo?: UnresolvedMemo,
): Unresolved | undefined {
  if (value instanceof Unresolved) return value;
  if (depth > MAX_DEPTH || typeof value !== 'object' || value === null) return undefined;
  const walked = memo?.get(value);
  const known = walked?.get(depth);
  if (known !== undefined) return known ?? undefined;
  let found: Unresolved | undefined;
  for (const v of Array.isArray(value) ? value : Object.values(value)) {
    found = firstUnresolved(v, depth + 1, memo);
    if (found) break;
  }
  if (memo) {
    if (walked) walked.set(depth, found ?? null);
    else memo.set(value, new Map([[depth, found ?? null]]));
  }
  return found;
}

/** A map: not a list, and not a value the template does not settle (an `Unresolved`). */
function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && !(x instanceof Unresolved);
}

/** The single key of an intrinsic function object, if `value` is one. */
export function intrinsicName(value: unknown): string | undefined {
  if (!isObject(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const k = keys[0]!;
  return k === 'Ref' || k.startsWith('Fn::') ? k : undefined;
}

class Resolver {
  constructor(
    private readonly scope: IntrinsicScope,
    private readonly origins: Origins,
  ) {}

  resolve(value: unknown, pointer: string, depth: number): unknown {
    if (depth > MAX_DEPTH) return new Unresolved('the value is nested too deeply', pointer);
    // a value already not known (a resource's properties the template does not settle)
    if (value instanceof Unresolved) return value;
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      value.forEach((v, i) => {
        const r = this.resolve(v, joinPointer(pointer, i), depth + 1);
        if (r !== NO_VALUE) out.push(r);
      });
      this.origins.set(out, pointer);
      return out;
    }
    if (!isObject(value)) return value;
    const fn = intrinsicName(value);
    if (fn !== undefined) return this.call(fn, value[fn], joinPointer(pointer, fn), depth + 1);
    // `Fn::Transform` beside other keys: `AWS::Include` inserts its snippet into this object at
    // deploy time ("anywhere within the template",
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/transform-aws-include.html),
    // so the object is not known (a policy document may gain a `Deny` statement); read as a plain
    // key it was left out without a word
    if (Object.prototype.hasOwnProperty.call(value, 'Fn::Transform')) {
      return new Unresolved(
        'a macro (`Fn::Transform`) inserts content here at deploy time',
        joinPointer(pointer, 'Fn::Transform'),
      );
    }
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      const r = this.resolve(value[key], joinPointer(pointer, key), depth + 1);
      if (r === NO_VALUE) continue;
      Object.defineProperty(out, key, {
        value: r,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    this.origins.set(out, pointer);
    return out;
  }

  private str(value: unknown, pointer: string, depth: number): string | Unresolved {
    return asString(this.resolve(value, pointer, depth), pointer);
  }

  private list(value: unknown, pointer: string, depth: number): unknown[] | Unresolved {
    const r = this.resolve(value, pointer, depth);
    if (r instanceof Unresolved) return r;
    if (!Array.isArray(r)) return new Unresolved(`expected a list, got ${describe(r)}`, pointer);
    return r;
  }

  /**
   * The arguments of `fn`: a list of exactly `n` (up to `max`: FindInMap's optional
   * DefaultValue). CloudFormation rejects a template whose function has more or fewer
   * (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference.html
   * gives each function's arguments); extra ones were ignored (`Fn::Equals [a, a, b]` was true)
   */
  private args(
    arg: unknown,
    pointer: string,
    fn: string,
    n: number,
    max = n,
  ): unknown[] | Unresolved {
    if (!Array.isArray(arg) || arg.length < n || arg.length > max) {
      const count = max === n ? `${n}` : `${n} or ${max}`;
      return new Unresolved(`\`${fn}\` expects a list of ${count} arguments`, pointer);
    }
    return arg;
  }

  condition(value: unknown, pointer: string, depth: number): boolean | Unresolved {
    if (depth > MAX_DEPTH) return new Unresolved('the condition is nested too deeply', pointer);
    if (isObject(value) && Object.keys(value).length === 1 && 'Condition' in value) {
      const name = value['Condition'];
      const p = joinPointer(pointer, 'Condition');
      if (name instanceof Unresolved) return name; // a name the parser could not settle
      return typeof name === 'string'
        ? this.scope.condition(name, p)
        : new Unresolved(`\`Condition\` expects a condition name${booleanNote(name)}`, p);
    }
    const r = this.resolve(value, pointer, depth);
    if (typeof r === 'boolean') return r;
    if (r === 'true' || r === 'false') return r === 'true';
    if (r instanceof Unresolved) return r;
    return new Unresolved(`expected a condition, got ${describe(r)}`, pointer);
  }

  private call(fn: string, arg: unknown, pointer: string, depth: number): unknown {
    switch (fn) {
      case 'Ref':
        if (arg instanceof Unresolved) return arg; // a name the parser could not settle
        return typeof arg === 'string'
          ? this.scope.ref(arg, pointer)
          : new Unresolved(`\`Ref\` expects a name${booleanNote(arg)}`, pointer);
      case 'Fn::GetAtt':
        return this.getAtt(arg, pointer, depth);
      case 'Fn::Sub':
        return this.sub(arg, pointer, depth);
      case 'Fn::Join': {
        const a = this.args(arg, pointer, fn, 2);
        if (a instanceof Unresolved) return a;
        const sep = this.str(a[0], joinPointer(pointer, 0), depth);
        if (sep instanceof Unresolved) return sep;
        const items = this.list(a[1], joinPointer(pointer, 1), depth);
        if (items instanceof Unresolved) return items;
        const parts: string[] = [];
        let length = 0;
        for (const item of items) {
          const s = asString(item, joinPointer(pointer, 1));
          if (s instanceof Unresolved) return s;
          length += s.length + sep.length;
          if (length > MAX_RESOLVED_STRING + sep.length) return new Unresolved(TOO_LONG, pointer);
          parts.push(s);
        }
        return parts.join(sep);
      }
      case 'Fn::Select': {
        const a = this.args(arg, pointer, fn, 2);
        if (a instanceof Unresolved) return a;
        const index = this.str(a[0], joinPointer(pointer, 0), depth);
        if (index instanceof Unresolved) return index;
        // the index is a whole number from 0
        // (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-select.html):
        // `Number` would read `""`, `" "` or `"0x1"` as a number too
        if (!/^[0-9]+$/.test(index)) {
          return new Unresolved(
            `\`Fn::Select\` index \`${index.slice(0, 40)}\` is not a whole number from 0`,
            joinPointer(pointer, 0),
          );
        }
        const items = this.list(a[1], joinPointer(pointer, 1), depth);
        if (items instanceof Unresolved) return items;
        const i = Number(index);
        if (i >= items.length) {
          return new Unresolved(`\`Fn::Select\` index \`${index}\` is out of range`, pointer);
        }
        return items[i];
      }
      case 'Fn::Split': {
        const a = this.args(arg, pointer, fn, 2);
        if (a instanceof Unresolved) return a;
        const sep = this.str(a[0], joinPointer(pointer, 0), depth);
        if (sep instanceof Unresolved) return sep;
        const s = this.str(a[1], joinPointer(pointer, 1), depth);
        if (s instanceof Unresolved) return s;
        return sep === '' ? [s] : s.split(sep);
      }
      case 'Fn::If': {
        const a = this.args(arg, pointer, fn, 3);
        if (a instanceof Unresolved) return a;
        const name = a[0];
        const c =
          typeof name === 'string'
            ? this.scope.condition(name, joinPointer(pointer, 0))
            : name instanceof Unresolved
              ? name // a name the parser could not settle (`On`: a YAML 1.1 Boolean)
              : new Unresolved(
                  `\`Fn::If\` expects a condition name${booleanNote(name)}`,
                  joinPointer(pointer, 0),
                );
        if (c instanceof Unresolved) {
          // a condition that is declared but not known: either branch; an undeclared one or a
          // name that is not text is an invalid template, whatever its branches hold
          return typeof name === 'string' && (this.scope.declaresCondition?.(name) ?? false)
            ? this.eitherBranch(a, c, name, pointer, depth)
            : c;
        }
        // only the chosen branch is evaluated, as CloudFormation does
        const branch = c ? 1 : 2;
        return this.resolve(a[branch], joinPointer(pointer, branch), depth);
      }
      case 'Fn::Equals': {
        const a = this.args(arg, pointer, fn, 2);
        if (a instanceof Unresolved) return a;
        const x = this.resolve(a[0], joinPointer(pointer, 0), depth);
        const y = this.resolve(a[1], joinPointer(pointer, 1), depth);
        const u = firstUnresolved(x) ?? firstUnresolved(y);
        if (u) return u;
        const cx = canonical(x);
        const cy = canonical(y);
        // a value that holds a placeholder (the region or account of an environment-agnostic
        // CDK stack, known only at deploy) is not the placeholder's text: it may or may not
        // equal the other
        const open = unsettledIn(cx) ?? unsettledIn(cy);
        if (open !== undefined && cx !== cy) return unsettledCompared(open, fn, pointer);
        return cx === cy;
      }
      case 'Fn::And':
      case 'Fn::Or': {
        // "The minimum number of conditions that you can include is 2, and the maximum is 10"
        // (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-conditions.html):
        // CloudFormation rejects another count, as it does other functions' (see args)
        if (!Array.isArray(arg) || arg.length < 2 || arg.length > 10) {
          return new Unresolved(`\`${fn}\` expects a list of 2 to 10 conditions`, pointer);
        }
        let unknown: Unresolved | undefined;
        for (let i = 0; i < arg.length; i++) {
          const c = this.condition(arg[i], joinPointer(pointer, i), depth + 1);
          if (c instanceof Unresolved) unknown ??= c;
          // one false settles And, one true settles Or, whatever the unknown ones are
          else if (fn === 'Fn::And' && !c) return false;
          else if (fn === 'Fn::Or' && c) return true;
        }
        return unknown ?? fn === 'Fn::And';
      }
      case 'Fn::Not': {
        const a = this.args(arg, pointer, fn, 1);
        if (a instanceof Unresolved) return a;
        const c = this.condition(a[0], joinPointer(pointer, 0), depth + 1);
        return c instanceof Unresolved ? c : !c;
      }
      case 'Fn::FindInMap':
        return this.findInMap(arg, pointer, depth);
      case 'Fn::ImportValue': {
        const name = this.str(arg, pointer, depth);
        return name instanceof Unresolved ? name : this.scope.importValue(name, pointer);
      }
      case 'Fn::Base64': {
        const s = this.str(arg, pointer, depth);
        if (s instanceof Unresolved) return s;
        // base64 is 4 characters for every 3 bytes
        if (Buffer.byteLength(s, 'utf8') > (MAX_RESOLVED_STRING / 4) * 3)
          return new Unresolved(TOO_LONG, pointer);
        return Buffer.from(s, 'utf8').toString('base64');
      }
      case 'Fn::Length': {
        const items = this.list(arg, pointer, depth);
        return items instanceof Unresolved ? items : items.length;
      }
      case 'Fn::ToJsonString': {
        const v = this.resolve(arg, pointer, depth);
        const u = firstUnresolved(v);
        if (u) return u;
        let text: string | undefined;
        try {
          text = JSON.stringify(v);
        } catch {
          text = undefined; // longer than V8 allows
        }
        return text === undefined || text.length > MAX_RESOLVED_STRING
          ? new Unresolved(TOO_LONG, pointer)
          : text;
      }
      case 'Fn::GetAZs':
        return new Unresolved('the availability zones of a region are not known offline', pointer);
      case 'Fn::Cidr':
        return new Unresolved('`Fn::Cidr` is not evaluated', pointer);
      case 'Fn::Transform':
        return new Unresolved(
          'a macro (`Fn::Transform`) decides this value at deploy time',
          pointer,
        );
      default:
        return new Unresolved(`unknown intrinsic function \`${fn.slice(0, 60)}\``, pointer);
    }
  }

  /**
   * `Fn::If` on a condition that is not known: either branch may be chosen
   * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-conditions.html#intrinsic-function-reference-conditions-if).
   * When both branches are the same known value, that value is known. Otherwise the value is
   * unknown, and an unknown value of its own, at this `Fn::If` (`pointer`): the condition's
   * unknown value is shared by every `Fn::If` on it, and two that choose between different
   * values (the pipeline role and an action role) must not become one placeholder, which would
   * read as the same role. Its reason names the condition and why it is not known; the place
   * that would settle it is the condition's (its `cause`), and an origin outside the template
   * (a manifest or stacks-file value) is kept.
   */
  private eitherBranch(
    a: readonly unknown[],
    c: Unresolved,
    name: unknown,
    pointer: string,
    depth: number,
  ): unknown {
    const yes = this.resolve(a[1], joinPointer(pointer, 1), depth);
    const no = this.resolve(a[2], joinPointer(pointer, 2), depth);
    if (sameJson(yes, no, MAX_DEPTH + 1, (v) => v instanceof Unresolved)) return yes;
    const named = typeof name === 'string' ? `condition ${shownValue(name, 80)}` : 'its condition';
    return new Unresolved(
      `\`Fn::If\` on ${named}, which is not known: ${c.reason}`,
      pointer,
      c.origin,
      c,
    );
  }

  private getAtt(arg: unknown, pointer: string, depth: number): unknown {
    let parts: unknown[];
    if (typeof arg === 'string') {
      const dot = arg.indexOf('.');
      parts = dot < 0 ? [arg] : [arg.slice(0, dot), arg.slice(dot + 1)];
    } else if (Array.isArray(arg)) parts = arg;
    else return new Unresolved('`Fn::GetAtt` expects `[resource, attribute]`', pointer);
    if (parts.length !== 2 || typeof parts[0] !== 'string') {
      return new Unresolved('`Fn::GetAtt` expects `[resource, attribute]`', pointer);
    }
    const attr = this.str(parts[1], joinPointer(pointer, 1), depth);
    if (attr instanceof Unresolved) return attr;
    return this.scope.getAtt(parts[0], attr, pointer);
  }

  private findInMap(arg: unknown, pointer: string, depth: number): unknown {
    const a = this.args(arg, pointer, 'Fn::FindInMap', 3, 4);
    if (a instanceof Unresolved) return a;
    const keys: string[] = [];
    for (let i = 0; i < 3; i++) {
      const k = this.str(a[i], joinPointer(pointer, i), depth);
      if (k instanceof Unresolved) return k;
      // a key that holds a placeholder (Ref AWS::Region of an environment-agnostic stack) may
      // be any entry, or none (the default)
      const open = unsettledIn(k);
      if (open !== undefined)
        return unsettledCompared(open, 'Fn::FindInMap', joinPointer(pointer, i));
      keys.push(k);
    }
    let node: unknown = this.scope.mappings;
    for (const k of keys) {
      // a level the template does not settle (`M: y`, an unquoted YAML 1.1 scalar): so is the entry
      if (node instanceof Unresolved) return node;
      node = isObject(node) && Object.prototype.hasOwnProperty.call(node, k) ? node[k] : undefined;
    }
    if (node === undefined) {
      // the AWS::LanguageExtensions default: `[map, top, second, {DefaultValue: x}]`
      const dflt = a[3];
      if (isObject(dflt) && 'DefaultValue' in dflt) {
        return this.resolve(dflt['DefaultValue'], joinPointer(pointer, 3, 'DefaultValue'), depth);
      }
      return new Unresolved(`no mapping entry \`${keys.join('.')}\``, pointer);
    }
    return this.resolve(node, pointer, depth);
  }

  private sub(arg: unknown, pointer: string, depth: number): unknown {
    let text: unknown = arg;
    let textPointer = pointer;
    const vars = new Map<string, unknown>();
    if (Array.isArray(arg)) {
      text = arg[0];
      textPointer = joinPointer(pointer, 0);
      const map: unknown = arg[1];
      if (arg.length !== 2 || !isObject(map)) {
        return new Unresolved('`Fn::Sub` expects a string or `[string, {variables}]`', pointer);
      }
      for (const k of Object.keys(map)) {
        vars.set(k, this.resolve(map[k], joinPointer(pointer, 1, k), depth));
      }
    }
    if (typeof text !== 'string') {
      return new Unresolved('`Fn::Sub` expects a string', textPointer);
    }
    let out = '';
    let i = 0;
    while (i < text.length) {
      const start = text.indexOf('${', i);
      if (start < 0) {
        out += text.slice(i);
        break;
      }
      out += text.slice(i, start);
      const end = text.indexOf('}', start + 2);
      if (end < 0) {
        out += text.slice(start);
        break;
      }
      const name = text.slice(start + 2, end);
      i = end + 1;
      // `${!Literal}` writes `${Literal}`
      if (name.startsWith('!')) {
        out += '${' + name.slice(1) + '}';
        continue;
      }
      const key = name.trim();
      let v: unknown;
      if (vars.has(key)) v = vars.get(key);
      else {
        const dot = key.indexOf('.');
        v =
          dot > 0 && !key.startsWith('AWS::')
            ? this.scope.getAtt(key.slice(0, dot), key.slice(dot + 1), textPointer)
            : this.scope.ref(key, textPointer);
      }
      const s = asString(v, textPointer);
      if (s instanceof Unresolved) return s;
      if (out.length + s.length > MAX_RESOLVED_STRING) return new Unresolved(TOO_LONG, pointer);
      out += s;
    }
    return out;
  }
}

/**
 * Two resolved values that are the same known value: the same text, number or Boolean (`1` and
 * `"1"` are not), both `AWS::NoValue`, or lists and objects of such values. A value with anything
 * unknown inside is never the same as another: two unknown values may differ.
 */

/** The placeholder (model/placeholders.ts) a resolved value's text holds, if any. */
function unsettledIn(text: string): string | undefined {
  return PLACEHOLDER_PATTERN.exec(text)?.[0];
}

function unsettledCompared(placeholder: string, fn: string, pointer: string): Unresolved {
  return new Unresolved(
    `\`${fn}\` looks up or compares a value the input does not settle (\`${placeholder}\`: an environment-agnostic stack's account or region, or a value not known offline), so its result is not known`,
    pointer,
  );
}

function canonical(v: unknown): string {
  return typeof v === 'string' ? v : (JSON.stringify(v) ?? '');
}

/**
 * Why a Boolean stands where a name is expected: an unquoted `yes`, `no`, `on` or `off` is one in
 * CloudFormation's YAML 1.1 (templateParse.ts yaml11Boolean).
 */
function booleanNote(value: unknown): string {
  return typeof value === 'boolean'
    ? `, and this is the Boolean ${String(value)} (an unquoted yes, no, on or off is one in CloudFormation's YAML 1.1: quote the name)`
    : '';
}
