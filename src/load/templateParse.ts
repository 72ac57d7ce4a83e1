/**
 * Read a CloudFormation template (YAML or JSON) into plain data, keeping the source line and
 * column of every node by JSON pointer. The YAML short-form tags become their long form
 * (`!Ref X` → `{ Ref: X }`, `!GetAtt A.B` → `{ 'Fn::GetAtt': ['A', 'B'] }`)
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html).
 * JSON is YAML: a JSON template is read with JSON.parse and one scan for its positions
 * (parseJsonTemplate), or by the YAML 1.2 parser where the two readings could differ, so both
 * keep positions. Never throws; never takes more than linear time (aliases are looked up in one
 * map, expansion and nesting are bounded).
 */
import {
  Composer,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  Lexer,
  LineCounter,
  Parser,
  YAMLParseError,
  type Alias,
  type CST,
  type Document,
  type Node as YamlNode,
  type Scalar,
} from 'yaml';
import { joinPointer, shownValue, type Problem } from '../problems.js';
import { Unresolved } from './intrinsics.js';
import { aliasTargets } from '../model/yamlAnchors.js';
import { stringEnd } from '../jsonDuplicates.js';
import { isLineBreak, yamlLineBreaks } from '../lineBreaks.js';
import { isJsonSpace } from '../jsonSyntax.js';

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

/**
 * Bounds that keep hostile input (alias bombs, deep nesting) cheap. Past one, the file is not
 * read at all (an error naming the line): a part of it read would look like a file without the
 * rest (a template "with no `Resources`", a policy without its last statements).
 */
const MAX_NODES = 500_000;
const MAX_DEPTH = 256;

/**
 * `yaml11: false`: a file that is not a template (a stacks file), whose plain scalars are read
 * as YAML 1.2 alone, with no `template.value.yaml11` warnings (see yaml11Reading), and whose
 * aliases and merge keys (`<<: *defaults`, merged as in a template) are read without a warning
 * (CloudFormation's exceptions, unsupported below, are not its own).
 */
export interface ParseOptions {
  readonly yaml11?: boolean;
}

export function parseTemplateText(
  text: string,
  file: string,
  options: ParseOptions = {},
): ParsedTemplate {
  return parseJsonTemplate(text) ?? parseYamlTemplate(text, file, options);
}

/**
 * A template written as JSON (CDK writes them so, often megabytes) read with JSON.parse and one
 * scan of its text for the positions: 20 to 30 times faster than the YAML parser, which takes
 * about 650 ms per megabyte. Undefined when the text is not a JSON object or its YAML reading
 * could differ, and parseYamlTemplate reads it: a member name written twice (reported there,
 * with its line), a number not written as JavaScript writes it back (the YAML reading keeps its
 * text: `1.0`, `1e3`), or near the bounds on values and nesting (said there). JSON is YAML
 * otherwise ("every JSON file is also a valid YAML file", https://yaml.org/spec/1.2.2/#12-yaml-history),
 * read to the same values at the same positions: test/load/templates/jsonTemplates.test.ts
 * compares both readings. Exported for that test.
 */
export function parseJsonTemplate(text: string): ParsedTemplate | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  // a member written twice is found by the scan: its pointer is recorded already
  const positions = jsonPositions(text);
  return positions ? { value, positions, problems: [] } : undefined;
}

const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const QUOTE = 34;
const COMMA = 44;
const COLON = 58;
/** the bounds, less a margin: near them the YAML reading decides, and says so */
const JSON_MAX_NODES = MAX_NODES - 16;
const JSON_MAX_DEPTH = MAX_DEPTH - 8;

/**
 * The position of every value of valid JSON `text` (JSON.parse read it) by JSON pointer, as
 * parseYamlTemplate records them: a member where its name is written, an element and the
 * document where they start; lines counted at each line break, columns in UTF-16 units from 1.
 * Undefined for a member name written twice in one object, a number JavaScript writes back
 * otherwise, or past the bounds.
 */
function jsonPositions(text: string): Map<string, SourcePosition> | undefined {
  const positions = new Map<string, SourcePosition>();
  // the open containers: the pointer of each, whether it is an object, its next element's index
  const pointers: string[] = [];
  const isObject: boolean[] = [];
  const index: number[] = [];
  let line = 1;
  let lineStart = 0;
  let nodes = 0;
  // the pointer of the value that comes next, and whether its name already gave its position
  let next = '';
  let named = false;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (isJsonSpace(c)) {
      // lines counted as the YAML reading counts them
      if (isLineBreak(text, i)) {
        line++;
        lineStart = i + 1;
      }
      i++;
      continue;
    }
    const top = pointers.length - 1;
    if (c === COMMA) {
      if (!isObject[top]) next = joinPointer(pointers[top]!, ++index[top]!);
      i++;
      continue;
    }
    if (c === COLON) {
      i++;
      continue;
    }
    if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      pointers.pop();
      isObject.pop();
      index.pop();
      i++;
      continue;
    }
    if (top >= 0 && isObject[top] && !named) {
      // a member's name: its position is the member's
      const end = stringEnd(text, i);
      const raw = text.slice(i + 1, end);
      const name = raw.includes('\\') ? (JSON.parse(text.slice(i, end + 1)) as string) : raw;
      next = joinPointer(pointers[top]!, name);
      // every other value has a pointer of its own: only a name written twice in one object
      // (after escapes) meets one already recorded
      if (positions.has(next)) return undefined;
      positions.set(next, { line, column: i - lineStart + 1 });
      named = true;
      i = end + 1;
      continue;
    }
    // a value
    if (++nodes > JSON_MAX_NODES || pointers.length > JSON_MAX_DEPTH) return undefined;
    if (!named) positions.set(next, { line, column: i - lineStart + 1 });
    named = false;
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      pointers.push(next);
      isObject.push(c === OPEN_BRACE);
      index.push(0);
      if (c === OPEN_BRACKET) next = joinPointer(next, 0);
      i++;
      continue;
    }
    if (c === QUOTE) {
      i = stringEnd(text, i) + 1;
      continue;
    }
    let end = i + 1;
    while (end < n && !isJsonSpace(text.charCodeAt(end)) && !isDelimiter(text.charCodeAt(end)))
      end++;
    const token = text.slice(i, end);
    if (
      token !== 'true' &&
      token !== 'false' &&
      token !== 'null' &&
      String(Number(token)) !== token
    )
      return undefined;
    i = end;
  }
  return positions;
}

function isDelimiter(c: number): boolean {
  return c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET;
}

/** The YAML reading of a template (any template: JSON is YAML). Exported for the test above. */
export function parseYamlTemplate(
  text: string,
  file: string,
  options: ParseOptions = {},
): ParsedTemplate {
  const yaml11 = options.yaml11 ?? true;
  const problems: Problem[] = [];
  const positions = new Map<string, SourcePosition>();
  const lineCounter = new LineCounter();
  const failed = (
    offset: number | undefined,
    message: string,
    id: string,
    pointer = '',
  ): ParsedTemplate => {
    const pos = offset === undefined ? undefined : lineCounter.linePos(offset);
    problems.push({
      file,
      pointer,
      message: `${pos ? `line ${pos.line}, column ${pos.col}: ` : ''}${message}`,
      id,
      severity: 'error',
    });
    return { value: undefined, positions, problems };
  };
  let doc: Document.Parsed;
  try {
    const read = parseBounded(text, lineCounter);
    if ('tooDeep' in read) {
      return failed(
        read.tooDeep,
        `the file is nested more than ${MAX_DEPTH} levels deep: it is not read`,
        'template.size.exceeded',
      );
    }
    doc = read.doc;
  } catch (e) {
    return failed(
      undefined,
      `the template could not be parsed: ${String(e).slice(0, 200)}`,
      'template.syntax.invalid',
    );
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
    return failed(first.pos[0], firstLine(first.message), 'template.syntax.invalid');
  }
  // each alias's anchor, found in one pass: the library's Alias.resolve walks the whole document
  // at each call (yamlAnchors.ts); the pass is made at the first alias, so a template without
  // any costs nothing more
  let targets: Map<Alias, YamlNode | undefined> | undefined;
  const targetOf = (alias: Alias): YamlNode | undefined =>
    (targets ??= aliasTargets(doc)).get(alias);
  let budget = MAX_NODES;
  // offsets of keys written twice in one map (an alias walks its anchor again: reported once)
  const duplicates = new Set<number>();
  // what CloudFormation does not support (see UnsupportedYaml), where it is written
  const unsupported: {
    offset: number;
    pointer: string;
    message: string;
    id: string;
    severity: 'error' | 'warning';
  }[] = [];
  const cloudFormation = yaml11;
  const mergeNotMap = cloudFormation
    ? MERGE_NOT_MAP
    : { ...MERGE_NOT_MAP, message: MERGE_NOT_MAP.message.replace('the template', 'the file') };
  // aliases that a merge key reported already
  const covered = new Set<Alias>();
  const unsupportedAt = (node: YamlNode, pointer: string, what: UnsupportedYaml): void => {
    unsupported.push({
      offset: node.range?.[0] ?? -1,
      pointer,
      message: what.message,
      id: what.id,
      severity: what.severity,
    });
  };
  // a tag neither CloudFormation nor YAML's core schema knows (`!Nope`, `!!foo`), at its line
  const unknownTagAt = (node: YamlNode, pointer: string, shown: string): void => {
    const offset = node.range?.[0];
    const p = offset === undefined ? undefined : lineCounter.linePos(offset);
    problems.push({
      file,
      pointer,
      message: `${p ? `line ${p.line}, column ${p.col}: ` : ''}unknown tag \`${shown.slice(0, 60)}\``,
      id: 'template.tag.unknown',
      severity: 'error',
    });
  };
  // the positions an inline merged map's walk set, each with the one it replaced (see the merges
  // below): undefined outside one
  let positionLog: [string, SourcePosition | undefined][] | undefined;
  const setPosition = (pointer: string, pos: SourcePosition): void => {
    positionLog?.push([pointer, positions.get(pointer)]);
    positions.set(pointer, pos);
  };
  const position = (node: YamlNode): SourcePosition | undefined => {
    const offset = node.range?.[0];
    if (offset === undefined) return undefined;
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  // the alias being expanded, as written in the document (not inside another alias's anchor):
  // where an expansion that runs over the budget starts
  let expanding: YamlNode | undefined;
  // A map key as CloudFormation reads it: its text, but that an unquoted YAML 1.1 Boolean is
  // `true` or `false` (CloudFormation "stringifies" scalars) and an unquoted `0`-led number of
  // octal digits is that octal number (`012345670123` is 1402433619:
  // https://github.com/aws-cloudformation/cloudformation-coverage-roadmap/issues/745), each with
  // a warning at its entry under `base` (none when undefined). A key cannot be unknown: one of an 8 or 9
  // after its `0` keeps its text, with the warning. Numbers otherwise keep their text (`1.0`).
  const keyText = (k: Scalar, base: string | undefined): string => {
    const source = k.type === 'PLAIN' && typeof k.source === 'string' ? k.source : undefined;
    if (yaml11 && source !== undefined) {
      const bool = yaml11Boolean(source);
      const octal = /^0[0-9]+$/.test(source);
      if (bool !== undefined || octal) {
        const text =
          bool !== undefined
            ? String(bool)
            : /^0[0-7]+$/.test(source)
              ? BigInt(`0o${source.slice(1)}`).toString()
              : source;
        if (base !== undefined) {
          problems.push({
            file,
            pointer: joinPointer(base, text),
            message: `the key \`${source}\` is unquoted: CloudFormation reads YAML 1.1, where it is ${bool !== undefined ? `the Boolean ${text}` : text === source ? 'a number, and which is not documented' : `the octal number ${text}`}; permchain reads the key \`${text}\` (quote it for the text)`,
            id: bool !== undefined ? 'template.value.yaml11' : 'template.value.leading-zero',
            severity: 'warning',
          });
        }
        return text;
      }
    }
    if (typeof k.value === 'number' && source !== undefined) return source;
    return String(k.value);
  };
  const walk = (node: unknown, pointer: string, depth: number, record: boolean): unknown => {
    if (--budget < 0) {
      throw new Unreadable(
        expanding ?? (node as YamlNode | null),
        pointer,
        expanding
          ? `the aliases expand to more than ${MAX_NODES} values (each use of an alias repeats its anchor): the file is not read`
          : `the file holds more than ${MAX_NODES} values: it is not read`,
      );
    }
    if (depth > MAX_DEPTH) {
      throw new Unreadable(
        expanding ?? (node as YamlNode | null),
        pointer,
        `the file is nested more than ${MAX_DEPTH} levels deep${expanding ? ' once its aliases are expanded' : ''}: it is not read`,
      );
    }
    if (node === null || node === undefined) return null;
    if (isAlias(node)) {
      const target = targetOf(node);
      if (target === undefined) throw unanchored(node, pointer);
      if (record && cloudFormation && !covered.has(node)) {
        unsupportedAt(node, pointer, aliasUnsupported(node));
      }
      // an alias expands the anchored node again; its positions are those of the anchor
      if (!record) return walk(target, pointer, depth + 1, false);
      expanding = node;
      try {
        return walk(target, pointer, depth + 1, false);
      } finally {
        expanding = undefined;
      }
    }
    const yamlNode = node as YamlNode;
    const tag = yamlNode.tag;
    if (record && cloudFormation) {
      const what = tagUnsupported(yamlNode);
      if (what) unsupportedAt(yamlNode, pointer, what);
    }
    const tagged = tag !== undefined && tag.startsWith('!') && !tag.startsWith('!!');
    const long = tagged ? TAGS.get(tag) : undefined;
    const unknownTag = record ? tagUnknown(tag) : undefined;
    if (unknownTag !== undefined) unknownTagAt(yamlNode, pointer, unknownTag);
    // the children of a tagged node live under its long form (`/X/Fn::Sub/0`)
    const base = long === undefined ? pointer : joinPointer(pointer, long);
    const pos = record ? position(yamlNode) : undefined;
    if (pos) {
      setPosition(pointer, pos);
      setPosition(base, pos);
    }
    let value: unknown;
    if (isScalar(node)) {
      value = scalarValue(node.value, node.source);
      // only an untagged plain scalar (or one under a CloudFormation tag, `!Ref On`) is read by
      // YAML 1.1's implicit types: an explicit core tag settles the type itself (`!!str on` is
      // the text `on`: YAML resolves a tag only for a node written without one, YAML 1.1
      // section 3.3.2 "Resolved Tags", https://yaml.org/spec/1.1/)
      // (`!!bool yes` is still YAML 1.1's Boolean, which YAML 1.2 would leave as text)
      const coreTagged =
        typeof tag === 'string' &&
        tag.startsWith('tag:yaml.org,2002:') &&
        tag !== 'tag:yaml.org,2002:bool';
      const source = yaml11 && node.type === 'PLAIN' && !coreTagged ? node.source : undefined;
      const other = typeof source === 'string' ? yaml11Reading(source) : undefined;
      const bool = typeof source === 'string' ? yaml11Boolean(source) : undefined;
      if (bool !== undefined && typeof source === 'string') {
        // CloudFormation reads these as YAML 1.1 Booleans: AWS's own CLI quotes them when it
        // writes a template for CloudFormation because "CloudFormation treats unquoted values that
        // are YAML 1.1 native booleans as booleans, rather than strings"
        // (https://github.com/aws/aws-cli/pull/5257), and a tag `Value: YES` reaches S3 as `true`
        // (https://github.com/ASFHyP3/hyp3/pull/2061)
        value = bool;
        if (record) {
          problems.push({
            file,
            pointer,
            message: `\`${source}\` is unquoted: CloudFormation reads YAML 1.1, where it is the Boolean ${String(bool)}, and so does permchain; quote it for the text`,
            id: 'template.value.yaml11',
            severity: 'warning',
          });
        }
      } else if (other !== undefined && typeof source === 'string') {
        const reason = `\`${source.slice(0, 40)}\` is unquoted: CloudFormation reads YAML 1.1, where it is ${other}, not this text (which of the two CloudFormation takes is not documented)`;
        const message = `${reason}: the value is unknown; quote it for the text${other.startsWith('the Boolean') ? ', or write true or false' : ''}`;
        value = new Unresolved(reason, pointer);
        if (record) {
          problems.push({
            file,
            pointer,
            message,
            id: 'template.value.yaml11',
            severity: 'warning',
          });
        }
      }
      // CloudFormation reads YAML 1.1, where an unquoted `0`-led number is octal: an account id
      // written `065115117704` reaches AWS as 7133765572
      // (https://github.com/aws-cloudformation/cloudformation-coverage-roadmap/issues/745,
      // https://github.com/DataDog/cloudformation-template/pull/109); one with an 8 or 9 is no
      // octal number, and what CloudFormation makes of it is not documented. Either way the text
      // is not what AWS gets: the value is unknown (it was kept as text, so a trust policy naming
      // `011111111111` unquoted allowed that account, where CloudFormation names another)
      if (
        node.type === 'PLAIN' &&
        typeof node.source === 'string' &&
        /^0[0-9]+$/.test(node.source) &&
        typeof node.value === 'number'
      ) {
        const reason = `\`${node.source.slice(0, 40)}\` is unquoted: CloudFormation's YAML reads a number with a leading zero as octal, so it is not this text there`;
        if (yaml11) value = new Unresolved(reason, pointer);
        if (record)
          problems.push({
            file,
            pointer,
            message: yaml11 ? `${reason}: the value is unknown; quote it` : `${reason}; quote it`,
            id: 'template.value.leading-zero',
            severity: 'warning',
          });
      }
    } else if (isMap(node)) {
      const out: Record<string, unknown> = {};
      const seen = new Set<string>();
      // the values of its merge keys (`<<: *base`), in order
      let merges: unknown[] | undefined;
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key;
        const keyTarget = isAlias(keyNode) ? targetOf(keyNode) : keyNode;
        if (keyTarget === undefined && isAlias(keyNode)) throw unanchored(keyNode, pointer);
        // an alias of a scalar is its text; of a map or list, the alias itself (`*A`): writing
        // out the collection for every key that names it would be quadratic
        const key = isScalar(keyTarget)
          ? keyText(keyTarget, record ? base : undefined)
          : String(keyNode);
        if (record && cloudFormation && keyNode !== null && typeof keyNode === 'object') {
          const merge = isAlias(keyNode) ? undefined : mergeKeyUnsupported(keyNode as YamlNode);
          const what = isAlias(keyNode)
            ? aliasUnsupported(keyNode)
            : (merge ?? tagUnsupported(keyNode as YamlNode));
          // a merge key's entry is `/<<` (the library reads a `!!merge` key as a symbol), a
          // tagged key's its text (the library reads `!!timestamp` as a date)
          const written =
            merge !== undefined
              ? '<<'
              : isScalar(keyNode) && typeof keyNode.source === 'string'
                ? keyNode.source
                : key;
          if (what) unsupportedAt(keyNode as YamlNode, joinPointer(base, written), what);
          const unknownTag = isAlias(keyNode) ? undefined : tagUnknown((keyNode as YamlNode).tag);
          if (unknownTag !== undefined)
            unknownTagAt(keyNode as YamlNode, joinPointer(base, written), unknownTag);
          // the aliases a merge key merges (`<<: *base`, `<<: [*a, *b]`) go with it: one place
          if (merge) {
            const merged = isSeq(pair.value) ? pair.value.items : [pair.value];
            for (const m of merged) if (isAlias(m)) covered.add(m);
          }
        }
        if (
          keyNode !== null &&
          typeof keyNode === 'object' &&
          !isAlias(keyNode) &&
          mergeKeyUnsupported(keyNode as YamlNode) !== undefined
        ) {
          // merged as PyYAML merges it (see UnsupportedYaml), after the map's own keys; in a
          // stacks file too, without a warning (`<<: *defaults` was a key `<<`, and a stack
          // whose account and region it merged was "expected `template`, `account` and
          // `region`")
          (merges ??= []).push(pair.value);
          continue;
        }
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
          if (kp) setPosition(child, kp);
        }
        // defineProperty: a `__proto__` key must stay a plain key
        Object.defineProperty(out, key, {
          value: v,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      // a YAML 1.1 merge (https://yaml.org/type/merge.html), as PyYAML makes it: the keys of
      // each merged map the map does not write itself, the first merged map's first; a value
      // that is not a map (or a list of maps) is an error there, as it is for PyYAML
      for (const m of merges ?? []) {
        const sources = isSeq(m) ? m.items : [m];
        // a list under an unsupported tag (`!!omap`, `!!pairs`) is said as such
        const seqTag = isSeq(m) && cloudFormation ? tagUnsupported(m as YamlNode) : undefined;
        if (seqTag) {
          if (record) unsupportedAt(m as YamlNode, joinPointer(base, '<<'), seqTag);
          continue;
        }
        for (const source of sources) {
          // PyYAML merges a mapping node alone: a scalar or list, and a value under a tag (a
          // scalar `!Ref X` or `!!binary ...`, which the walk makes a map `{ Ref: X }` or bytes,
          // a `!!set`, a `!!omap`) is no map there
          const target = isAlias(source) ? targetOf(source) : source;
          const targetTag = (target as YamlNode | null | undefined)?.tag;
          if (
            target === undefined ||
            !isMap(target) ||
            (targetTag !== undefined && targetTag !== `${YAML_TAG}map`)
          ) {
            if (record) {
              // an unsupported tag is said as such (an alias's at its anchor)
              const what =
                isAlias(source) || !cloudFormation ? undefined : tagUnsupported(source as YamlNode);
              unsupportedAt(
                (source ?? m) as YamlNode,
                joinPointer(base, '<<'),
                what ?? mergeNotMap,
              );
            }
            continue;
          }
          // a map written in place (`<<: { A: 1 }`) is walked as written, its tags, aliases and
          // values reported as anywhere else (an alias's anchor is, where it is written); its
          // positions are kept for the keys it gives the map alone (the map's own keys, and the
          // map itself, keep theirs)
          const inPlace = record && !isAlias(source);
          const outerLog = positionLog;
          if (inPlace) positionLog = [];
          const merged = walk(source, base, depth + 1, inPlace);
          const log = positionLog;
          positionLog = outerLog;
          if (
            merged === null ||
            typeof merged !== 'object' ||
            Array.isArray(merged) ||
            merged instanceof Unresolved
          ) {
            if (record)
              unsupportedAt(
                (isAlias(source) ? source : (source as YamlNode)) as YamlNode,
                joinPointer(base, '<<'),
                mergeNotMap,
              );
            continue;
          }
          const given = new Set<string>();
          for (const k of Object.keys(merged)) if (!seen.has(k)) given.add(joinPointer(base, k));
          if (log !== undefined) {
            const givenHere = ([p]: [string, unknown]): boolean => {
              const slash = p.indexOf('/', base.length + 1);
              return p !== base && given.has(slash < 0 ? p : p.slice(0, slash));
            };
            // kept: an outer in-place merge restores them as set here, in order
            outerLog?.push(...log.filter(givenHere));
            for (let i = log.length - 1; i >= 0; i--) {
              const [p, before] = log[i]!;
              if (givenHere(log[i]!)) continue;
              if (before === undefined) positions.delete(p);
              else positions.set(p, before);
            }
          }
          for (const [k, v] of Object.entries(merged)) {
            if (seen.has(k)) continue;
            seen.add(k);
            Object.defineProperty(out, k, {
              value: v,
              enumerable: true,
              writable: true,
              configurable: true,
            });
          }
        }
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
    if (!(e instanceof Unreadable)) throw e;
    return failed(e.node?.range?.[0], e.message, e.id, e.pointer);
  }
  // the first 20 of `places` (in the order they are written), each at its line
  const placesSaid = (
    places: readonly { offset: number; pointer: string; message: string; id: string }[],
    severity: 'error' | 'warning',
  ): void => {
    for (const at of places.slice(0, 20)) {
      const pos = at.offset >= 0 ? lineCounter.linePos(at.offset) : undefined;
      problems.push({
        file,
        pointer: at.pointer,
        message: `${pos ? `line ${pos.line}, column ${pos.col}: ` : ''}${at.message}`,
        id: at.id,
        severity,
      });
    }
  };
  const errors = unsupported.filter((u) => u.severity === 'error');
  if (duplicates.size > 0 || errors.length > 0) {
    // duplicates as the library reported them, and what CloudFormation does not support and no
    // packaging step expands: the template is not read (its first 20 places, in the order they
    // are written)
    const places = [
      ...[...duplicates].map((offset) => ({
        offset,
        pointer: '',
        message: 'Map keys must be unique',
        id: 'template.syntax.invalid',
      })),
      ...errors,
    ].sort((a, b) => a.offset - b.offset);
    placesSaid(places, 'error');
    return { value: undefined, positions, problems };
  }
  // aliases and merges, read as expanded: their first 20 places
  placesSaid(
    unsupported.sort((a, b) => a.offset - b.offset),
    'warning',
  );
  return { value, positions, problems };
}

/**
 * YAML that CloudFormation does not support: it "supports the YAML Version 1.1 specification with
 * a few exceptions. AWS CloudFormation doesn't support the following features: The binary, omap,
 * pairs, set, and timestamp tags; Aliases; Hash merges"
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-formats.html). The
 * library reads them all (an alias repeats its anchor, `!!binary` is bytes, `!!set` a map), and a
 * merge key `<<` as YAML 1.2 does: a key `<<` whose value is the other map, whose keys were
 * missing from the map they were merged into (a role merging its properties had no trust policy).
 * `aws cloudformation package` and `sam package` (and so `sam deploy`) read a template with
 * PyYAML, which expands aliases and merges (their yamlhelper.py: "Necessary in order to make yaml
 * merge tags work"), and write it back without them: a template deployed through them may use
 * both. Aliases and merges are therefore read as PyYAML reads them, each with a warning that
 * CloudFormation alone rejects the template; the tags, which those tools write back as they are,
 * are input errors, and the template is not read (as for a key written twice).
 */
interface UnsupportedYaml {
  readonly message: string;
  readonly id: string;
  readonly severity: 'error' | 'warning';
}

const PACKAGED =
  'rejects the template as written; `aws cloudformation package` and `sam package` (and so `sam deploy`) expand them, and permchain read it so';

/**
 * A merge key whose value is not a map or a list of maps (a scalar, a list of scalars, a value
 * under a tag: `!Ref X`, which the walk would make a map): PyYAML, which merges mapping nodes
 * alone, refuses it too.
 */
const MERGE_NOT_MAP: UnsupportedYaml = {
  message:
    'the value of a YAML merge key `<<` is not a map or a list of maps: the template is not read',
  id: 'template.yaml.merge',
  severity: 'error',
};

/**
 * An alias (`*base`), where it is written. An anchor (`&base`) alone is not reported: no alias
 * repeats it, so the value is the same without it (the documentation names aliases).
 */
function aliasUnsupported(alias: Alias): UnsupportedYaml {
  return {
    message: `the YAML alias ${shownValue(`*${alias.source}`, 81)}: CloudFormation does not support aliases and ${PACKAGED}`,
    id: 'template.yaml.alias',
    severity: 'warning',
  };
}

const YAML_TAG = 'tag:yaml.org,2002:';

/**
 * A merge key: a plain `<<` key (YAML 1.1 gives a plain scalar `<<` the merge type,
 * https://yaml.org/type/merge.html), or a key tagged `!!merge`. A quoted `"<<"` or `'<<'` is no
 * merge key: YAML resolves a type from the text of a plain scalar only (YAML 1.1 section 3.3.2
 * "Resolved Tags", https://yaml.org/spec/1.1/; a quoted scalar is a string), and the library
 * reading YAML 1.1 (`version: '1.1'`) and PyYAML both keep `"<<"` as an ordinary key: it is
 * read as one. A `<<` that is a value and not a key merges nothing and keeps its text, as the
 * library's YAML 1.1 reading keeps it.
 */
function mergeKeyUnsupported(key: YamlNode): UnsupportedYaml | undefined {
  const tagged = key.tag === `${YAML_TAG}merge`;
  const plain =
    key.tag === undefined && isScalar(key) && key.type === 'PLAIN' && key.source === '<<';
  if (!tagged && !plain) return undefined;
  return {
    message: `the YAML merge ${tagged ? 'tag `!!merge`' : 'key `<<`'}: CloudFormation does not support hash merges and ${PACKAGED}`,
    id: 'template.yaml.merge',
    severity: 'warning',
  };
}

/** The tags the documentation lists (`!!merge` is a hash merge: mergeKeyUnsupported). */
const UNSUPPORTED_TAGS: ReadonlySet<string> = new Set(
  ['binary', 'omap', 'pairs', 'set', 'timestamp'].map((t) => `${YAML_TAG}${t}`),
);

/**
 * The tags of YAML's core schema, which a template may write (`!!str on` is the text `on`):
 * https://yaml.org/spec/1.2.2/#103-core-schema and YAML 1.1's types (https://yaml.org/type/).
 * The others YAML 1.1 lists are not supported by CloudFormation (UNSUPPORTED_TAGS, `!!merge`).
 */
const CORE_TAGS: ReadonlySet<string> = new Set(
  ['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `${YAML_TAG}${t}`),
);

/**
 * An explicit tag that is none of CloudFormation's (`!Ref`, `!Sub`...: TAGS), YAML's core schema's
 * (CORE_TAGS) or the ones tagUnsupported reports, as written (`!Nope`, `!!foo`,
 * `!<tag:example.com,2000:x>`); undefined for those and for an untagged node. The YAML library
 * reads an unknown global tag (`!!foo`, `!!value`) as its text, with a warning nobody saw;
 * CloudFormation "supports the YAML Version 1.1 specification with a few exceptions"
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-formats.html) and
 * documents no other tag: it is reported as an unknown short tag is.
 */
function tagUnknown(tag: string | undefined): string | undefined {
  if (tag === undefined) return undefined;
  if (tag.startsWith('!') && !tag.startsWith('!!')) return TAGS.has(tag) ? undefined : tag;
  if (CORE_TAGS.has(tag) || UNSUPPORTED_TAGS.has(tag) || tag === `${YAML_TAG}merge`)
    return undefined;
  return tag.startsWith(YAML_TAG) ? `!!${tag.slice(YAML_TAG.length)}` : `!<${tag}>`;
}

/**
 * An explicit tag CloudFormation does not support, however it is written (`!!binary`,
 * `!<tag:yaml.org,2002:binary>`). A plain date (`2010-09-09`) is not reported: it has no tag
 * (the loader's YAML reads it as text, the timestamp type not being supported).
 */
function tagUnsupported(node: YamlNode): UnsupportedYaml | undefined {
  const tag = node.tag;
  if (tag === `${YAML_TAG}merge`) return mergeKeyUnsupported(node);
  if (tag === undefined || !UNSUPPORTED_TAGS.has(tag)) return undefined;
  return {
    message: `CloudFormation does not support the YAML tag \`!!${tag.slice(YAML_TAG.length)}\`: the template is not read`,
    id: 'template.yaml.tag',
    severity: 'error',
  };
}

/** A document that is not read: where (the node), why, and the problem's id. */
class Unreadable extends Error {
  constructor(
    readonly node: YamlNode | null,
    readonly pointer: string,
    message: string,
    readonly id = 'template.size.exceeded',
  ) {
    super(message);
  }
}

/**
 * An alias with no anchor of its name before it: a YAML error (the library's `toJS` throws
 * "Unresolved alias"), which its parser does not report; read as null, a value would be missing
 * without a word.
 */
function unanchored(alias: Alias, pointer: string): Unreadable {
  // the name's first 80 characters after the `*` or `&` (shownValue: never half of a pair)
  const as = (sign: string): string => shownValue(`${sign}${alias.source}`, 81);
  return new Unreadable(
    alias,
    pointer,
    `the alias ${as('*')} names no anchor ${as('&')} before it`,
    'template.syntax.invalid',
  );
}

/**
 * The document of `text`, parsed with the nesting bounded: the library's parser recurses once per
 * level when a deep block closes, so 3,000 levels overflowed the stack ("Maximum call stack size
 * exceeded", no line). Its stack of open nodes is watched after each token; past `MAX_DEPTH`
 * levels (plus the document and a scalar) the offset where it went too deep is returned instead,
 * with the top-level node as far as it was read (`top`, a syntax token: its entries before the
 * deep one are whole, the deep one has its key), so a caller may still tell what the file is.
 */
export function parseBounded(
  text: string,
  lineCounter: LineCounter,
):
  | { readonly doc: Document.Parsed }
  | { readonly tooDeep: number; readonly top: CST.Token | undefined } {
  // as parseDocument does it (yaml/dist/public-api.js), token by token
  const parser = new Parser(lineCounter.addNewLine);
  lineCounter.addNewLine(0);
  const tokens: CST.Token[] = [];
  // the same length as `text`: every offset below is one of `text`
  const read = yamlLineBreaks(text);
  for (const lexeme of plainDashesInFlow(new Lexer().lex(read))) {
    for (const token of parser.next(lexeme)) tokens.push(token);
    if (parser.stack.length > MAX_DEPTH + 2) {
      // [0] is the document, [1] the node at its top
      return { tooDeep: parser.offset, top: parser.stack[1] };
    }
  }
  for (const token of parser.end()) tokens.push(token);
  const composer = new Composer({
    keepSourceTokens: true,
    // duplicate keys are found by the walk: the library's own check compares every key with
    // every other, and a map of 30,000 keys took 5 s (100,000 about a minute)
    uniqueKeys: false,
    prettyErrors: false,
  });
  let doc: Document.Parsed | undefined;
  for (const d of composer.compose(tokens, true, read.length)) {
    if (!doc) doc = d;
    else {
      doc.errors.push(
        new YAMLParseError(
          [d.range[0], d.range[1]],
          'MULTIPLE_DOCS',
          'Source contains multiple documents; please use YAML.parseAllDocuments()',
        ),
      );
      break;
    }
  }
  // compose(…, forceDoc) always gives one
  return { doc: doc! };
}

/** The lexer's markers (yaml/dist/parse/cst.js): document start, unexpected flow end, scalar. */
const DOCUMENT_MARK = '\x02';
const FLOW_END_MARK = '\x18';
const SCALAR_MARK = '\x1f';
const FLOW_INDICATORS = new Set([',', '[', ']', '{', '}']);

/**
 * The lexemes, with a `-` written right before a flow indicator inside a flow collection read as
 * the plain scalar `-` (as in `!Join [-, [a, b]]`), which the YAML 1.1 parsers read it as
 * (PyYAML: a plain scalar may start with `-` followed by anything but a space) and CloudFormation
 * accepts, where YAML 1.2 and the library take it for a block sequence inside a flow one (an
 * error). A scalar marker before it makes the parser take it as a scalar; the marker is not part
 * of the text, so every offset stays the same.
 */
function* plainDashesInFlow(lexemes: Iterable<string>): Generator<string> {
  const all = [...lexemes];
  let depth = 0;
  for (let i = 0; i < all.length; i++) {
    const lexeme = all[i]!;
    if (lexeme === SCALAR_MARK) {
      // the mark and the scalar's own text, whatever it holds
      yield lexeme;
      if (i + 1 < all.length) yield all[++i]!;
      continue;
    }
    if (lexeme === '[' || lexeme === '{') depth++;
    else if (lexeme === ']' || lexeme === '}') depth = Math.max(0, depth - 1);
    else if (lexeme === FLOW_END_MARK || lexeme === DOCUMENT_MARK) depth = 0;
    else if (lexeme === '-' && depth > 0) {
      const next = all[i + 1];
      if (next === SCALAR_MARK && all[i + 2] === '') {
        // `-,`: the lexer reads the indicator and an empty scalar; the scalar `-` instead
        yield SCALAR_MARK;
        yield '-';
        i += 2;
        continue;
      }
      // `-]`, `-}`: the scalar `-`; `- x`, a `-` at a line end: left as they are (errors in
      // YAML 1.1 too)
      if (next !== undefined && FLOW_INDICATORS.has(next[0]!)) yield SCALAR_MARK;
    }
    yield lexeme;
  }
}

/** `true` or `false` for a plain scalar CloudFormation reads as a YAML 1.1 Boolean (yaml11Reading). */
export function yaml11Boolean(source: string): boolean | undefined {
  if (/^(?:yes|Yes|YES|on|On|ON)$/.test(source)) return true;
  if (/^(?:no|No|NO|off|Off|OFF)$/.test(source)) return false;
  return undefined;
}

/**
 * What YAML 1.1 reads a plain scalar as, when the YAML 1.2 reading here keeps another value (its
 * text). CloudFormation "supports the YAML Version 1.1 specification with a few exceptions"
 * (binary, omap, pairs, set and timestamp tags, aliases, hash merges:
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-formats.html); the
 * YAML 1.1 types (https://yaml.org/type/bool.html, https://yaml.org/type/int.html,
 * https://yaml.org/type/float.html) read `yes`, `no`, `on`, `off`, `y`, `n` as Booleans and
 * `1:30` (sexagesimal), `1_000`, `0b101`, `0x1F` as numbers, where YAML 1.2 and the library
 * read text (or a number whose text is kept). Those types are not part of the YAML 1.1
 * specification itself and CloudFormation's documentation does not say which it applies: a
 * condition value `aws:SecureTransport: off` may reach IAM as `false` or as `off`, `Enabled: yes`
 * may be true or no Boolean. AWS's own tools settle `yes`, `no`, `on` and `off` in their three
 * spellings (yaml11Boolean): read as CloudFormation reads them. `y` and `n` (which common YAML 1.1
 * parsers read as text) and the numbers are unknown rather than either guess. A `0`-led number
 * (octal in YAML 1.1) is unknown too (template.value.leading-zero).
 */
export function yaml11Reading(source: string): string | undefined {
  if (/^(?:y|Y|yes|Yes|YES|on|On|ON)$/.test(source)) return 'the Boolean true';
  if (/^(?:n|N|no|No|NO|off|Off|OFF)$/.test(source)) return 'the Boolean false';
  if (/^[-+]?0b[01_]+$/.test(source)) return 'a binary number';
  if (/^[-+]?0x[0-9a-fA-F_]+$/.test(source)) return 'a hexadecimal number';
  if (/^[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/.test(source)) {
    return 'a sexagesimal (base 60) number';
  }
  if (
    source.includes('_') &&
    /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?(?:[eE][-+][0-9]+)?$/.test(source)
  ) {
    if (/[0-9]/.test(source)) return 'a number (its `_` are left out)';
  }
  return undefined;
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
