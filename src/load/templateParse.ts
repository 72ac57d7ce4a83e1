/**
 * Read a CloudFormation template (YAML or JSON) into plain data, keeping the source line and
 * column of every node by JSON pointer. The YAML short-form tags become their long form
 * (`!Ref X` → `{ Ref: X }`, `!GetAtt A.B` → `{ 'Fn::GetAtt': ['A', 'B'] }`)
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html).
 * JSON is read by the same YAML 1.2 parser, so both keep positions. Never throws.
 */
import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Alias,
  type Document,
  type Node as YamlNode,
} from 'yaml';
import { joinPointer, type Problem } from '../problems.js';
import { aliasTargets } from '../model/yamlAnchors.js';

export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

export interface ParsedTemplate {
  /** the document as plain data; undefined when it could not be read at all */
  readonly value: unknown;
  /** JSON pointer → position of the node */
  readonly positions: ReadonlyMap<string, SourcePosition>;
  readonly problems: readonly Problem[];
}

/** Short-form tags and the long form each stands for. */
const TAGS: ReadonlyMap<string, string> = new Map([
  ['!Ref', 'Ref'],
  ['!Condition', 'Condition'],
  ...[
    'Sub',
    'GetAtt',
    'If',
    'Join',
    'Select',
    'Split',
    'FindInMap',
    'ImportValue',
    'Base64',
    'Equals',
    'And',
    'Or',
    'Not',
    'GetAZs',
    'Cidr',
    'Transform',
    'Length',
    'ToJsonString',
  ].map((n): [string, string] => [`!${n}`, `Fn::${n}`]),
]);

/** Bounds that keep hostile input (alias bombs, deep nesting) cheap. */
const MAX_NODES = 500_000;
const MAX_DEPTH = 256;

export function parseTemplateText(text: string, file: string): ParsedTemplate {
  const problems: Problem[] = [];
  const positions = new Map<string, SourcePosition>();
  const lineCounter = new LineCounter();
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, {
      lineCounter,
      keepSourceTokens: true,
      // duplicate keys are found by the walk below: the library's own check compares every key
      // with every other, and a map of 30,000 keys took 5 s (100,000 about a minute)
      uniqueKeys: false,
      prettyErrors: false,
    });
  } catch (e) {
    problems.push({
      file,
      pointer: '',
      message: `the template could not be parsed: ${String(e).slice(0, 200)}`,
      id: 'template.syntax.invalid',
      severity: 'error',
    });
    return { value: undefined, positions, problems };
  }
  if (doc.errors.length > 0) {
    // the first error only (the earliest in the text; of those at one place, the first the
    // parser found): the ones after it are nearly always its consequences (an unclosed bracket
    // or a stray quote makes every later line wrong), one line per file says where to look
    // "Implicit keys need to be on a single line" is said where a key starts whose line an
    // unclosed quote or bracket ran on: the error that explains it is the next one
    const errors = doc.errors.filter((e) => e.code !== 'MULTILINE_IMPLICIT_KEY');
    const candidates = errors.length > 0 ? errors : doc.errors;
    let first = candidates[0]!;
    for (const e of candidates) if (e.pos[0] < first.pos[0]) first = e;
    const pos = lineCounter.linePos(first.pos[0]);
    problems.push({
      file,
      pointer: '',
      message: `line ${pos.line}, column ${pos.col}: ${firstLine(first.message)}`,
      id: 'template.syntax.invalid',
      severity: 'error',
    });
    return { value: undefined, positions, problems };
  }
  // each alias's anchor, found in one pass: the library's Alias.resolve walks the whole document
  // at each call (yamlAnchors.ts)
  const targets = aliasTargets(doc);
  let budget = MAX_NODES;
  // offsets of keys written twice in one map (an alias walks its anchor again: reported once)
  const duplicates = new Set<number>();
  const position = (node: YamlNode): SourcePosition | undefined => {
    const offset = node.range?.[0];
    if (offset === undefined) return undefined;
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const walk = (node: unknown, pointer: string, depth: number, record: boolean): unknown => {
    if (--budget < 0 || depth > MAX_DEPTH) {
      if (budget === -1 || depth === MAX_DEPTH + 1) {
        problems.push({
          file,
          pointer,
          message: 'the template is too large or too deeply nested: the rest is left out',
          id: 'template.size.exceeded',
          severity: 'error',
        });
      }
      return undefined;
    }
    if (node === null || node === undefined) return null;
    if (isAlias(node)) {
      const target = targets.get(node);
      if (target === undefined) throw new Unanchored(node, pointer);
      // an alias expands the anchored node again; its positions are those of the anchor
      return walk(target, pointer, depth + 1, false);
    }
    const yamlNode = node as YamlNode;
    const tag = yamlNode.tag;
    const tagged = tag !== undefined && tag.startsWith('!') && !tag.startsWith('!!');
    const long = tagged ? TAGS.get(tag) : undefined;
    if (tagged && long === undefined) {
      problems.push({
        file,
        pointer,
        message: `unknown tag \`${tag.slice(0, 60)}\``,
        id: 'template.tag.unknown',
        severity: 'error',
      });
    }
    // the children of a tagged node live under its long form (`/X/Fn::Sub/0`)
    const base = long === undefined ? pointer : joinPointer(pointer, long);
    const pos = record ? position(yamlNode) : undefined;
    if (pos) {
      positions.set(pointer, pos);
      positions.set(base, pos);
    }
    let value: unknown;
    if (isScalar(node)) {
      value = scalarValue(node.value, node.source);
      // CloudFormation reads YAML 1.1, where an unquoted `0`-led number is octal: an account id
      // written `011111111111` reaches AWS as another number (the stack fails or names the
      // wrong account); permchain keeps the text, and says so
      // (https://github.com/aws-cloudformation/cloudformation-coverage-roadmap/issues/745)
      if (
        node.type === 'PLAIN' &&
        typeof node.source === 'string' &&
        /^0[0-9]+$/.test(node.source) &&
        typeof node.value === 'number'
      ) {
        problems.push({
          file,
          pointer,
          message: `\`${node.source}\` is unquoted: CloudFormation's YAML reads a number with a leading zero as octal, so it is not this text there; quote it`,
          id: 'template.value.leading-zero',
          severity: 'warning',
        });
      }
    } else if (isMap(node)) {
      const out: Record<string, unknown> = {};
      const seen = new Set<string>();
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key;
        const keyTarget = isAlias(keyNode) ? targets.get(keyNode) : keyNode;
        if (keyTarget === undefined && isAlias(keyNode)) throw new Unanchored(keyNode, pointer);
        const key = isScalar(keyTarget) ? String(keyTarget.value) : String(keyTarget);
        if (seen.has(key)) {
          const at = (keyNode as YamlNode | null)?.range?.[0];
          if (at !== undefined) duplicates.add(at);
          else duplicates.add(-1 - duplicates.size);
          continue;
        }
        seen.add(key);
        const child = joinPointer(base, key);
        const v = walk(pair.value, child, depth + 1, record);
        // an entry is where its key is written (`PipelineRole:`), not where its value starts
        if (record && isScalar(keyNode)) {
          const kp = position(keyNode);
          if (kp) positions.set(child, kp);
        }
        // defineProperty: a `__proto__` key must stay a plain key
        Object.defineProperty(out, key, {
          value: v,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      value = out;
    } else if (isSeq(node)) {
      value = node.items.map((item, i) => walk(item, joinPointer(base, i), depth + 1, record));
    } else {
      value = null;
    }
    if (long === undefined) return value;
    // `!GetAtt A.B` is the scalar form of `[A, B]`; the attribute itself may hold dots
    if (long === 'Fn::GetAtt' && typeof value === 'string') {
      const dot = value.indexOf('.');
      value = dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)];
    }
    return { [long]: value };
  };
  let value: unknown;
  try {
    value = walk(doc.contents, '', 0, true);
  } catch (e) {
    if (!(e instanceof Unanchored)) throw e;
    const at = e.alias.range?.[0];
    const pos = at === undefined ? undefined : lineCounter.linePos(at);
    problems.push({
      file,
      pointer: e.pointer,
      message: `${pos ? `line ${pos.line}, column ${pos.col}: ` : ''}${e.message}`,
      id: 'template.syntax.invalid',
      severity: 'error',
    });
    return { value: undefined, positions, problems };
  }
  if (duplicates.size > 0) {
    // as the library reported them: the template is not read
    for (const at of [...duplicates].sort((a, b) => a - b).slice(0, 20)) {
      const pos = at >= 0 ? lineCounter.linePos(at) : undefined;
      problems.push({
        file,
        pointer: '',
        message: `${pos ? `line ${pos.line}, column ${pos.col}: ` : ''}Map keys must be unique`,
        id: 'template.syntax.invalid',
        severity: 'error',
      });
    }
    return { value: undefined, positions, problems };
  }
  return { value, positions, problems };
}

/**
 * An alias with no anchor of its name before it: a YAML error (the library's `toJS` throws
 * "Unresolved alias"), which its parser does not report; read as null, a value would be missing
 * without a word.
 */
class Unanchored extends Error {
  constructor(
    readonly alias: Alias,
    readonly pointer: string,
  ) {
    const name = alias.source.slice(0, 80);
    super(`the alias \`*${name}\` names no anchor \`&${name}\` before it`);
  }
}

/**
 * Plain scalars keep their text where YAML's number would lose it: `012345678901` stays an
 * account id rather than becoming 12345678901, `1.0` stays `1.0`.
 */
function scalarValue(value: unknown, source: string | undefined): unknown {
  if (typeof value === 'number' && source !== undefined && String(value) !== source) return source;
  if (typeof value === 'bigint') return source ?? String(value);
  return value;
}

function firstLine(s: string): string {
  const nl = s.indexOf('\n');
  return (nl < 0 ? s : s.slice(0, nl)).slice(0, 200);
}
