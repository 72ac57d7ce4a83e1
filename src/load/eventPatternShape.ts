/**
 * Whether an EventBridge event pattern has a shape EventBridge takes, for the loaders of rules
 * (snapshot events.json, template AWS::Events::Rule): a JSON object whose fields are objects
 * (nested fields) or arrays of the values to match ("In an event pattern, the value to match is
 * in a JSON array", https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern.html),
 * and whose `$or` is an array of such objects
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html).
 * EventBridge refuses any other pattern (PutRule: InvalidEventPatternException,
 * https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html), so a rule said
 * to have one is not one AWS holds: which events it matches is not known.
 *
 * The values inside an array (strings, numbers, comparison operators) are not checked here: the
 * chain compares them (src/chain/eventPatternOperators.ts) and leaves what it cannot read
 * undecided. No recursion: a hostile pattern nested 100,000 deep is walked with a stack of its
 * own, once per member.
 */
import { parseJsonFindingDuplicates } from '../jsonDuplicates.js';
import { joinPointer, shownValue } from '../problems.js';

/** Where in the pattern its shape is wrong (a JSON pointer into the pattern), and why. */
export interface PatternShapeProblem {
  readonly pointer: string;
  readonly why: string;
}

/**
 * The first place where `pattern` (a parsed pattern) is not a shape EventBridge takes, in
 * document order; undefined when it is one. `opaque` marks values a loader does not settle
 * (a template value it cannot resolve): they are not checked.
 */
export function patternShapeProblem(
  pattern: unknown,
  opaque: (value: unknown) => boolean = () => false,
): PatternShapeProblem | undefined {
  if (opaque(pattern)) return undefined;
  if (!isPlainObject(pattern))
    return { pointer: '', why: `the EventPattern is ${kindOf(pattern)}, not a JSON object` };
  // objects still to walk, last first (pushed in reverse to keep the document order)
  const stack: { readonly value: Record<string, unknown>; readonly pointer: string }[] = [
    { value: pattern, pointer: '' },
  ];
  while (stack.length > 0) {
    const { value, pointer } = stack.pop()!;
    const inner: { value: Record<string, unknown>; pointer: string }[] = [];
    for (const [key, member] of Object.entries(value)) {
      const at = joinPointer(pointer, key);
      if (opaque(member)) continue;
      if (key === '$or') {
        if (!Array.isArray(member) || member.length === 0)
          return { pointer: at, why: '`$or` must be a non-empty array of patterns' };
        for (let i = 0; i < member.length; i++) {
          const p: unknown = member[i];
          if (opaque(p)) continue;
          if (!isPlainObject(p))
            return {
              pointer: joinPointer(at, i),
              why: `each pattern of \`$or\` must be an object, not ${kindOf(p)}`,
            };
          inner.push({ value: p, pointer: joinPointer(at, i) });
        }
        continue;
      }
      if (Array.isArray(member)) continue;
      if (isPlainObject(member)) {
        inner.push({ value: member, pointer: at });
        continue;
      }
      return {
        pointer: at,
        why: `the value to match is ${kindOf(member)}, not an array of values (or an object of fields)`,
      };
    }
    for (let i = inner.length - 1; i >= 0; i--) stack.push(inner[i]!);
  }
  return undefined;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function kindOf(x: unknown): string {
  if (x === null) return '`null`';
  if (Array.isArray(x)) return 'an array';
  if (typeof x === 'string') return 'a string';
  if (typeof x === 'number') return 'a number';
  if (typeof x === 'boolean') return `\`${String(x)}\``;
  return 'not JSON';
}

/** Why a rule's EventPattern cannot be read one way or is not one EventBridge takes. */
export interface PatternProblem {
  /** the end of the problem id: `pattern-invalid`, or `pattern-duplicate-key` */
  readonly id: 'pattern-invalid' | 'pattern-duplicate-key';
  /** the input error's message */
  readonly message: string;
  /** why the pattern is not known, for its placeholder */
  readonly why: string;
}

/**
 * The problem of an EventPattern, JSON text or (in a template) its object, or undefined when it
 * is one EventBridge takes: text that is not JSON, a member name twice in one object
 * (`{"source":["aws.codecommit"],"source":["aws.s3"]}`: JSON.parse keeps the last member
 * silently, while RFC 8259 says "the behavior of software that receives such an object is
 * unpredictable", https://www.rfc-editor.org/rfc/rfc8259#section-4, so EventBridge may match on
 * another member or refuse the pattern), or a shape EventBridge refuses (patternShapeProblem,
 * `opaque` as there). One for the snapshot and the template loaders, so they say the same.
 */
export function eventPatternProblem(
  pattern: unknown,
  opaque: (value: unknown) => boolean = () => false,
): PatternProblem | undefined {
  const unknownRule = 'so which events the rule matches is unknown';
  let value = pattern;
  if (typeof pattern === 'string') {
    let found: ReturnType<typeof parseJsonFindingDuplicates>;
    try {
      found = parseJsonFindingDuplicates(pattern);
    } catch (e) {
      return {
        id: 'pattern-invalid',
        message: `the EventPattern is not valid JSON (${shownValue(e instanceof Error ? e.message : String(e), 120)}): EventBridge takes no such pattern, ${unknownRule}`,
        why: 'an EventPattern that is not valid JSON',
      };
    }
    const first = found.duplicates[0];
    if (first)
      return {
        id: 'pattern-duplicate-key',
        message: `the EventPattern has the member ${shownValue(first.name, 80)} twice in one object (at ${shownValue(first.pointer, 80)} in the pattern): JSON readers keep one of them and EventBridge may read it another way or reject it, ${unknownRule}`,
        why: 'a member name twice in the EventPattern',
      };
    value = found.value;
  }
  const shape = patternShapeProblem(value, opaque);
  if (!shape) return undefined;
  return {
    id: 'pattern-invalid',
    message: `${shape.why}${shape.pointer === '' ? '' : ` (at ${shownValue(shape.pointer, 80)} in the pattern)`}: EventBridge takes no such pattern, ${unknownRule}`,
    why: 'an EventPattern EventBridge does not take',
  };
}
