/**
 * Shape checks for one snapshot file. Every accessor reports a wrong type as a problem at the
 * exact JSON pointer and returns undefined, so a loader reads what it can and keeps going.
 * Absent and `null` keys are simply undefined: every key is optional unless a loader says
 * otherwise with a `required` accessor.
 */
import { joinPointer, type Problem, type Severity } from '../problems.js';
import { LIST_TRUNCATED_PROBLEM } from '../model/queries.js';

export type JsonObject = Readonly<Record<string, unknown>>;

export const SHAPE_INVALID = 'snapshot.shape.invalid';

export class JsonReader {
  constructor(
    readonly file: string,
    private readonly problems: Problem[],
  ) {}

  report(pointer: string, message: string, id: string, severity: Severity = 'error'): void {
    this.problems.push({ file: this.file, pointer, message, id, severity });
  }

  /** A mark to pass to `errorsSince`: what has been reported so far. */
  mark(): number {
    return this.problems.length;
  }

  /**
   * Pointers of this file's input errors reported since `mark` (policy grammar left out: a
   * document that does not compile is unknown where it is used), in report order, each once.
   */
  errorsSince(mark: number): string[] {
    // a Set: a hostile list of 80,000 wrong items reports 80,000 errors, and a search of the
    // list for each was quadratic (minutes)
    const seen = new Set<string>();
    for (let i = mark; i < this.problems.length; i++) {
      const p = this.problems[i]!;
      if (p.severity !== 'error' || p.file !== this.file || p.id.startsWith('policy.')) continue;
      seen.add(p.pointer);
    }
    return [...seen];
  }

  /** `value` as an object, or a problem when it is something else (also when absent). */
  object(value: unknown, pointer: string): JsonObject | undefined {
    if (isObject(value)) return value;
    this.report(pointer, `expected an object, got ${describe(value)}`, SHAPE_INVALID);
    return undefined;
  }

  array(value: unknown, pointer: string): readonly unknown[] | undefined {
    if (Array.isArray(value)) return value;
    this.report(pointer, `expected an array, got ${describe(value)}`, SHAPE_INVALID);
    return undefined;
  }

  /** `o[key]` when it is present and not null, else undefined (no problem). */
  private present(o: JsonObject, key: string): unknown {
    if (!Object.prototype.hasOwnProperty.call(o, key)) return undefined;
    const v = o[key];
    return v === null ? undefined : v;
  }

  optString(o: JsonObject, key: string, base: string): string | undefined {
    const v = this.present(o, key);
    if (v === undefined || typeof v === 'string') return v;
    this.wrong(base, key, 'a string', v);
    return undefined;
  }

  reqString(o: JsonObject, key: string, base: string): string | undefined {
    const v = this.optString(o, key, base);
    if (v === undefined && this.present(o, key) === undefined) this.missing(base, key);
    return v;
  }

  optBool(o: JsonObject, key: string, base: string): boolean | undefined {
    const v = this.present(o, key);
    if (v === undefined || typeof v === 'boolean') return v;
    this.wrong(base, key, 'a boolean', v);
    return undefined;
  }

  optNumber(o: JsonObject, key: string, base: string): number | undefined {
    const v = this.present(o, key);
    if (v === undefined || (typeof v === 'number' && Number.isFinite(v))) return v;
    this.wrong(base, key, 'a number', v);
    return undefined;
  }

  optObject(o: JsonObject, key: string, base: string): JsonObject | undefined {
    const v = this.present(o, key);
    if (v === undefined || isObject(v)) return v;
    this.wrong(base, key, 'an object', v);
    return undefined;
  }

  reqObject(o: JsonObject, key: string, base: string): JsonObject | undefined {
    const v = this.present(o, key);
    if (v === undefined) {
      this.missing(base, key);
      return undefined;
    }
    return this.optObject(o, key, base);
  }

  optArray(o: JsonObject, key: string, base: string): readonly unknown[] | undefined {
    const v = this.present(o, key);
    if (v === undefined || Array.isArray(v)) return v;
    this.wrong(base, key, 'an array', v);
    return undefined;
  }

  /** `o[key]` as a list of strings; wrong elements are reported and skipped; absent = []. */
  stringList(o: JsonObject, key: string, base: string): string[] {
    const list = this.optArray(o, key, base);
    const out: string[] = [];
    if (!list) return out;
    list.forEach((item, i) => {
      if (typeof item === 'string') out.push(item);
      else
        this.report(
          joinPointer(base, key, i),
          `expected a string, got ${describe(item)}`,
          SHAPE_INVALID,
        );
    });
    return out;
  }

  /** Elements of `o[key]` that are objects, with their pointers; wrong ones are reported. */
  objectList(o: JsonObject, key: string, base: string): { value: JsonObject; pointer: string }[] {
    const list = this.optArray(o, key, base);
    const out: { value: JsonObject; pointer: string }[] = [];
    if (!list) return out;
    list.forEach((item, i) => {
      const pointer = joinPointer(base, key, i);
      const value = this.object(item, pointer);
      if (value) out.push({ value, pointer });
    });
    return out;
  }

  /** `o[key]` as a string map (tag lists, encryption contexts); non-string values reported. */
  stringMap(o: JsonObject, key: string, base: string): Map<string, string> | undefined {
    const obj = this.optObject(o, key, base);
    if (!obj) return undefined;
    const out = new Map<string, string>();
    for (const k of Object.keys(obj).sort()) {
      const v = obj[k];
      if (typeof v === 'string') out.set(k, v);
      else
        this.report(
          joinPointer(base, key, k),
          `expected a string, got ${describe(v)}`,
          SHAPE_INVALID,
        );
    }
    return out;
  }

  /**
   * Does the output say its list is cut? `markers` are the keys the command writes when there is
   * more: a token (`NextToken`, which the AWS CLI adds to output cut by `--max-items`
   * (https://docs.aws.amazon.com/cli/latest/userguide/cli-usage-pagination.html) and list
   * commands return raw with `--no-paginate`; `Marker`, `NextMarker`) set to anything but null,
   * or a flag (`IsTruncated`, `Truncated`) not false. When one is, a warning at `listPointer`
   * (the list, or `''` for every list of the file) says so and what follows; lookups read the
   * list as incomplete (model/queries.ts: unreadableList). Returns whether it is cut.
   */
  truncated(
    doc: JsonObject,
    markers: readonly string[],
    listPointer: string,
    consequence: string,
  ): boolean {
    for (const key of markers) {
      const v = this.present(doc, key);
      // only a flag may say "not cut" (false); a token of any value but null says there is more
      if (v === undefined || (FLAGS.has(key) && v === false) || (!FLAGS.has(key) && v === null))
        continue;
      // a marker of the wrong type is an input error, and still read as cut: never complete
      if (FLAGS.has(key) && v !== true) this.wrong('', key, 'a boolean', v);
      if (!FLAGS.has(key) && typeof v !== 'string') this.wrong('', key, 'a string', v);
      this.report(
        listPointer,
        `the output is truncated (\`${key}\` is set): ${consequence}`,
        LIST_TRUNCATED_PROBLEM,
        'warning',
      );
      return true;
    }
    return false;
  }

  private wrong(base: string, key: string, expected: string, value: unknown): void {
    this.report(
      joinPointer(base, key),
      `expected ${expected}, got ${describe(value)}`,
      SHAPE_INVALID,
    );
  }

  private missing(base: string, key: string): void {
    this.report(base, `missing required key \`${key}\``, SHAPE_INVALID);
  }
}

/** Pagination markers that are flags (true: there is more), not tokens. */
const FLAGS: ReadonlySet<string> = new Set(['IsTruncated', 'Truncated']);

/** `NextToken`: the AWS CLI's token in output cut by `--max-items`, and most list APIs' own. */
export const NEXT_TOKEN = ['NextToken'] as const;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value's JSON type for messages; never the value itself (it may be a secret). */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return 'a string';
    case 'number':
      // `1e400` parses as Infinity: "expected a number, got a number" would say nothing
      return Number.isFinite(value) ? 'a number' : 'a number too large to hold';
    case 'boolean':
      return 'a boolean';
    default:
      return 'an object';
  }
}
