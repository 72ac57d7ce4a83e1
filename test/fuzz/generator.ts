/**
 * A seeded structural fuzzer of permchain's inputs: the snapshot folders, templates, stacks files
 * and CDK assemblies of the fixtures are copied and one file of the copy is broken in its SHAPE
 * (a value of another JSON type, a member deleted or written twice, a value wrapped in an array
 * or nested thousands deep, strings very long or holding control characters, numbers JSON
 * cannot hold, the text cut or given a byte-order mark, a policy written as a JSON string with
 * broken JSON inside, YAML tags with arguments of the wrong shape, anchors and alias bombs).
 * Used by fuzz.test.ts, which checks what must hold whatever the input (invariants.ts).
 *
 * Each case is drawn from its own seed: `caseSeed(seed)` gives the same case on every machine.
 */
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import YAML, {
  isAlias,
  isCollection,
  isMap,
  isNode,
  isScalar,
  isSeq,
  Scalar,
  YAMLMap,
  YAMLSeq,
  type Document,
  type Node as YamlNode,
} from 'yaml';
import { mulberry32, picker } from '../differential/generator.js';
import { REPO_ROOT, SCENARIOS_DIR, scenarioNames } from '../scenarios/helpers.js';

export { mulberry32 as random, picker };

/** The account and region a template given alone, or an environment-agnostic CDK stack, gets. */
export const ENV = ['--account', '111111111111', '--region', 'us-east-1'] as const;

export type SubjectKind = 'snapshot' | 'template' | 'stacks' | 'cdk';

/** One input of the fixtures the fuzzer breaks copies of. */
export interface Subject {
  readonly kind: SubjectKind;
  /** the file or folder, relative to the repository */
  readonly source: string;
}

/** A copy of a subject, ready to break and analyze. */
export interface Prepared {
  /** the CLI's arguments after `analyze`, relative to `dir` (the CLI's working folder) */
  readonly args: readonly string[];
  /** the files a mutation may break, relative to `dir` */
  readonly files: readonly string[];
}

const CORPUS = join(REPO_ROOT, '..', 'shared', 'corpus');

function walk(dir: string, keep: (path: string) => boolean, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, keep, out);
    else if (keep(path)) out.push(path);
  }
  return out;
}

const isSnapshotFolder = (dir: string): boolean =>
  readdirSync(dir).some((n) => /^\d{12}$/.test(n) && statSync(join(dir, n)).isDirectory());

const isStacksText = (text: string): boolean => /^\s*"?stacks"?\s*:/m.test(text);

/** The inputs of the fixtures, in a fixed order. */
export function subjects(): Subject[] {
  const out: Subject[] = [];
  const rel = (p: string): string => relative(REPO_ROOT, p);
  // snapshot folders
  out.push({ kind: 'snapshot', source: 'fixtures/demo' });
  for (const n of scenarioNames()) out.push({ kind: 'snapshot', source: `${SCENARIOS_DIR}/${n}` });
  for (const dir of ['test/load/fixtures', 'test/crawl/fixtures']) {
    for (const n of readdirSync(join(REPO_ROOT, dir)).sort()) {
      const path = join(REPO_ROOT, dir, n);
      if (statSync(path).isDirectory() && isSnapshotFolder(path))
        out.push({ kind: 'snapshot', source: rel(path) });
    }
  }
  // templates, stacks files, CDK assemblies
  const roots = ['fixtures/templates', 'fixtures/stacks', 'test/load/templates/fixtures'];
  const extra = [
    'test/chain/fixtures',
    'test/cli/fixtures',
    'test/report/hostileTemplate.yaml',
  ].map((p) => join(REPO_ROOT, p));
  const files = [
    ...roots.flatMap((r) => walk(join(REPO_ROOT, r), (p) => /\.(ya?ml|json)$/.test(p))),
    ...extra.flatMap((p) =>
      statSync(p).isDirectory() ? walk(p, (f) => /\.(ya?ml|json)$/.test(f)) : [p],
    ),
  ];
  const cdkDirs = new Set<string>();
  for (const f of files) {
    if (basename(f) === 'manifest.json') {
      // a nested assembly is read through the outer one
      const dir = dirname(f);
      if (!existsSync(join(dirname(dir), 'manifest.json'))) cdkDirs.add(dir);
      continue;
    }
    if ([...cdkDirs].some((d) => f.startsWith(d + '/'))) continue;
    if (existsSync(join(dirname(f), 'manifest.json'))) continue;
    const text = readFileSync(f, 'utf8');
    if (isStacksText(text)) {
      // stacks files of the corpus: only when the corpus is beside the repository
      if (text.includes('shared/corpus') && !existsSync(CORPUS)) continue;
      out.push({ kind: 'stacks', source: rel(f) });
    } else if (/Resources|AWSTemplateFormatVersion/.test(text)) {
      out.push({ kind: 'template', source: rel(f) });
    }
  }
  for (const d of [...cdkDirs].sort()) out.push({ kind: 'cdk', source: rel(d) });
  return out;
}

/** Copy `subject` into `dir` (empty or missing): what to run and which files to break. */
export function prepare(subject: Subject, dir: string): Prepared {
  mkdirSync(dir, { recursive: true });
  const from = join(REPO_ROOT, subject.source);
  switch (subject.kind) {
    case 'snapshot': {
      cpSync(from, join(dir, 'snap'), { recursive: true });
      const files = walk(join(dir, 'snap'), (p) => p.endsWith('.json')).map((p) =>
        relative(dir, p),
      );
      return { args: ['snap'], files };
    }
    case 'cdk': {
      cpSync(from, join(dir, 'cdk.out'), { recursive: true });
      const files = walk(join(dir, 'cdk.out'), (p) => p.endsWith('.json')).map((p) =>
        relative(dir, p),
      );
      return { args: ['cdk.out', ...ENV], files };
    }
    case 'template': {
      const name = basename(from);
      copyFileSync(from, join(dir, name));
      return { args: ['--template', name, ...ENV], files: [name] };
    }
    case 'stacks': {
      // the templates copied beside a stacks file naming the copies
      const text = readFileSync(from, 'utf8');
      const copies = new Map<string, string>();
      const named = (p: string): string => {
        const abs = resolve(dirname(from), p);
        let copy = copies.get(abs);
        if (copy === undefined) {
          copy = `${copies.size}-${basename(abs)}`;
          copies.set(abs, copy);
          if (existsSync(abs)) copyFileSync(abs, join(dir, copy));
        }
        return copy;
      };
      const rewritten = text
        .replace(/^(\s*-?\s*template:\s*)(\S+)/gm, (_m, a: string, p: string) => a + named(p))
        .replace(
          /("template"\s*:\s*)"([^"]*)"/g,
          (_m, a: string, p: string) => `${a}${JSON.stringify(named(p))}`,
        );
      const name = basename(from);
      writeFileSync(join(dir, name), rewritten);
      const files = [name, ...[...copies.values()].filter((c) => existsSync(join(dir, c)))];
      return { args: [name], files };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// JSON mutations

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

const isObject = (v: unknown): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Members whose string value is a JSON document the loaders read (a policy, a pattern). */
const READ_EMBEDDED = new Set([
  'Policy',
  'PolicyDocument',
  'AssumeRolePolicyDocument',
  'Content',
  'policyText',
  'EventPattern',
]);
/** ... and members whose string value is JSON no loader reads (broken, nothing is unreadable). */
const EMBEDDED = new Set([...READ_EMBEDDED, 'Input', 'UserParameters', 'EffectiveDeliveryPolicy']);

/** What one mutation did, for the checks and a failure message. */
export interface Mutation {
  /** the file broken, relative to the working folder */
  readonly file: string;
  readonly what: string;
  /**
   * `unreadable`: the file (or a document inside it) can no longer be read: an input error must
   * name the file, exit 2, and no link may become Allowed. `sameAsBefore`: the change means
   * the same (a byte-order mark, UTF-16): the report must equal the one before. `shape`: a value
   * of another shape; whether the format allows it depends on where (the checks look at what the
   * report says). `text`: anything else.
   */
  readonly expect: 'unreadable' | 'sameAsBefore' | 'shape' | 'text';
  /** the JSON pointer of the value changed, when one was */
  readonly pointer?: string;
  /** the file's data holds the value changed inside a document decoded from a string */
  readonly embedded?: boolean;
}

interface Slot {
  readonly parent: Json[] | JsonObject | undefined;
  readonly key: string | number | undefined;
  readonly value: Json;
  readonly pointer: string;
  /** inside a document decoded from a JSON string */
  readonly embedded: boolean;
  /** inside a document decoded from a JSON string no loader reads */
  readonly unread?: boolean;
}

const escapeToken = (t: string | number): string =>
  String(t).replace(/~/g, '~0').replace(/\//g, '~1');

/** A document decoded from a string member, and how it was written. */
type Encoding = 'json' | 'url';

function decodeEmbedded(v: string): { doc: Json; encoding: Encoding } | undefined {
  const url = /^\s*%7B/i.test(v);
  try {
    const doc = JSON.parse(url ? decodeURIComponent(v) : v) as Json;
    return isObject(doc) ? { doc, encoding: url ? 'url' : 'json' } : undefined;
  } catch {
    return undefined;
  }
}

/** Every value of `root`, documents inside string members decoded in place (recorded in `docs`). */
function slots(
  root: Json,
  docs: Map<object, Encoding>,
  strings: Slot[],
  out: Slot[] = [],
  parent?: Json[] | JsonObject,
  key?: string | number,
  pointer = '',
  embedded = false,
  unread = false,
): Slot[] {
  let value = root;
  if (
    typeof value === 'string' &&
    typeof key === 'string' &&
    EMBEDDED.has(key) &&
    parent !== undefined
  ) {
    const d = decodeEmbedded(value);
    if (d) {
      unread = unread || !READ_EMBEDDED.has(key);
      strings.push({ parent, key, value, pointer, embedded, unread });
      (parent as JsonObject)[key] = d.doc;
      docs.set(d.doc as object, d.encoding);
      value = d.doc;
      embedded = true;
    }
  }
  out.push({ parent, key, value, pointer, embedded, unread });
  if (Array.isArray(value))
    value.forEach((x, i) =>
      slots(x, docs, strings, out, value, i, `${pointer}/${i}`, embedded, unread),
    );
  else if (isObject(value))
    for (const k of Object.keys(value))
      slots(
        value[k]!,
        docs,
        strings,
        out,
        value,
        k,
        `${pointer}/${escapeToken(k)}`,
        embedded,
        unread,
      );
  return out;
}

const MARK = '\u0001\u0002fz';

/**
 * Writes a JSON value with what JSON.stringify cannot write: a member name twice, a number as
 * written (`1e309`, `-0`), any raw text in place of a value. Placeholders (strings and keys
 * starting with MARK) are replaced after stringify.
 */
class JsonWriter {
  private readonly raws: string[] = [];
  constructor(private readonly docs: Map<object, Encoding>) {}

  raw(text: string): string {
    this.raws.push(text);
    return `${MARK}${this.raws.length - 1}`;
  }

  write(root: Json, indent: number | undefined): string {
    const docs = this.docs;
    const resolveRaw = (text: string): string => this.resolve(text);
    function replacer(this: unknown, _k: string, v: unknown): unknown {
      if (typeof v === 'object' && v !== null && docs.has(v)) {
        const encoding = docs.get(v)!;
        docs.delete(v); // the inner stringify writes it as a document
        const inner = resolveRaw(JSON.stringify(v, replacer));
        docs.set(v, encoding);
        return encoding === 'url' ? encodeURIComponent(inner) : inner;
      }
      return v;
    }
    return this.resolve(JSON.stringify(root, replacer, indent));
  }

  private resolve(text: string): string {
    // JSON.stringify writes U+0001 U+0002 as \u0001\u0002
    return text.replace(/"\\u0001\\u0002fz(\d+)"/g, (_m, n: string) => this.raws[Number(n)]!);
  }
}

/** Values of another type, numbers JSON cannot hold exactly, hostile strings. */
function replacement(
  rnd: () => number,
  w: JsonWriter,
  original: Json,
): { value: Json; what: string } {
  const pick = picker(rnd);
  const kind = pick([
    'null',
    'number',
    'string',
    'bool',
    'array',
    'object',
    'emptyString',
    'emptyArray',
    'emptyObject',
    'rawNumber',
    'hostile',
    'long',
    'intrinsic',
  ] as const);
  switch (kind) {
    case 'null':
      return { value: null, what: 'null' };
    case 'number':
      return { value: pick([0, 1, -1, 42, 3.5, 111111111111]), what: 'a number' };
    case 'string':
      return {
        value: pick(['x', 'Allow', 'Deny', '*', 'true', '0', 'arn:aws:iam::111111111111:role/x']),
        what: 'a string',
      };
    case 'bool':
      return { value: pick([true, false]), what: 'a boolean' };
    case 'array':
      return { value: pick([[1], ['x', 2], [null], [{}], [[]]]), what: 'an array' };
    case 'object':
      return { value: pick<Json>([{ a: 1 }, { x: 'y' }, { '': null }]), what: 'an object' };
    case 'emptyString':
      return { value: '', what: 'an empty string' };
    case 'emptyArray':
      return { value: [], what: 'an empty array' };
    case 'emptyObject':
      return { value: {}, what: 'an empty object' };
    case 'rawNumber': {
      const raw = pick([
        '1e309',
        '-1e309',
        '-0',
        '1e-400',
        '123456789012345678901234567890',
        '0.1e1',
        '1E2',
      ]);
      return { value: w.raw(raw), what: `the number ${raw}` };
    }
    case 'hostile': {
      const s = pick(HOSTILE);
      return { value: s, what: `the string ${JSON.stringify(s).slice(0, 60)}` };
    }
    case 'long': {
      const n = pick([10_000, 200_000, 1_000_000]);
      const unit = pick(['a', '*', '${aws:username}', '?', 'é', '\u0000']);
      const base = typeof original === 'string' ? original : '';
      return {
        value: base + unit.repeat(Math.ceil(n / unit.length)),
        what: `a string of ${n} ${JSON.stringify(unit)}`,
      };
    }
    case 'intrinsic': {
      const v = pick<Json>([
        { Ref: ['a', 'b'] },
        { Ref: {} },
        { Ref: '' },
        { Ref: 'AWS::NoSuchThing' },
        { 'Fn::GetAtt': 'NoDot' },
        { 'Fn::GetAtt': ['A'] },
        { 'Fn::GetAtt': [1, 2, 3] },
        { 'Fn::Sub': ['${A}', 'notAMap'] },
        { 'Fn::Sub': '${' },
        { 'Fn::Sub': '${!Literal}-${AWS::Region}' },
        { 'Fn::Join': [',', 'notAList'] },
        { 'Fn::Join': [] },
        { 'Fn::Select': ['9', ['a']] },
        { 'Fn::Select': [-1, ['a']] },
        { 'Fn::If': ['NoCondition', 'a'] },
        { 'Fn::FindInMap': ['M'] },
        { 'Fn::Split': [',', { Ref: 'AWS::AccountId' }] },
        { 'Fn::ImportValue': { 'Fn::Sub': '${AWS::StackName}-x' } },
        { 'Fn::Base64': [] },
        { 'Fn::Unknown': 'x' },
        { Ref: 'x', Other: 'y' },
      ]);
      return { value: v, what: `the intrinsic ${JSON.stringify(v)}` };
    }
  }
}

const HOSTILE: readonly string[] = [
  '',
  ' ',
  '\u0000',
  'a\nb',
  '\r\n::error file=x::forged',
  '\u001b[31mred',
  '\u202eevil',
  '\ud800',
  '\udc00x',
  '💥',
  '${aws:username}',
  '${',
  '${}',
  '${*}',
  '$${x}',
  '*',
  '?',
  '**',
  'arn:aws:iam::*:role/*',
  'arn:aws:s3:::*',
  'arn:',
  'arn:aws',
  'arn:aws:kms:us-east-1:111111111111:key/',
  'arn:aws:iam::111111111111:root',
  ':::::',
  '111111111111',
  '0',
  'us-east-1',
  'US-EAST-1',
  '%',
  '%7B',
  '%7B%22Statement',
  '{"Statement":',
  'null',
  '{}',
  '[]',
  '~/',
  '/~0~1',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
];

/** A document text, broken: what a string member holding a policy may hold that is not JSON. */
function brokenDocument(rnd: () => number, text: string, encoding: Encoding): string {
  const pick = picker(rnd);
  const cut = text.slice(0, Math.max(1, Math.floor(rnd() * (text.length - 1))));
  const broken = pick([
    cut,
    text + ',',
    text.replace(/"/, "'"),
    text.replace(/\}$/, ',}'),
    '{' + text,
    text.replace(/:/, ''),
  ]);
  if (encoding === 'url')
    return pick([encodeURIComponent(broken), encodeURIComponent(text).slice(0, -2), '%7B%ZZ']);
  return broken;
}

/** The text of the JSON file `text`, changed by one mutation chosen with `rnd`. */
export function mutateJson(
  text: string,
  rnd: () => number,
): {
  text: string;
  what: string;
  expect: Mutation['expect'];
  pointer?: string;
  embedded?: boolean;
} {
  const pick = picker(rnd);
  let root: Json;
  try {
    root = JSON.parse(text.replace(/^\uFEFF/, '')) as Json;
  } catch {
    return mutateText(text, rnd);
  }
  if (rnd() < 0.2) return mutateText(text, rnd);
  const docs = new Map<object, Encoding>();
  const strings: Slot[] = [];
  const all = slots(root, docs, strings);
  const w = new JsonWriter(docs);
  const indent = pick([undefined, 2]);
  const done = (what: string, expect: Mutation['expect'], s?: Slot) => ({
    // nothing changed: the text as it was (written again, its lines would move)
    text: expect === 'sameAsBefore' ? text : w.write(root, indent),
    what,
    // what is inside a document no loader reads may be anything
    expect: expect === 'unreadable' && s?.unread === true ? 'shape' : expect,
    ...(s ? { pointer: s.pointer, embedded: s.embedded } : {}),
  });
  const set = (s: Slot, v: Json): void => {
    if (s.parent === undefined) root = v;
    else if (Array.isArray(s.parent)) s.parent[s.key as number] = v;
    else s.parent[s.key as string] = v;
  };
  // a third of the mutations inside documents held as strings, when there are some
  const inDocs = all.filter((s) => s.embedded);
  const s = inDocs.length > 0 && rnd() < 0.3 ? pick(inDocs) : pick(all);
  const op = pick([
    'replace',
    'replace',
    'replace',
    'delete',
    'duplicate',
    'wrap',
    'unwrap',
    'nest',
    'breakDocument',
    'manyElements',
    'renameKey',
  ] as const);
  switch (op) {
    case 'replace': {
      const r = replacement(rnd, w, s.value);
      set(s, r.value);
      return done(`${s.pointer || '(root)'} replaced by ${r.what}`, 'shape', s);
    }
    case 'delete': {
      if (s.parent === undefined) return done('nothing changed', 'sameAsBefore');
      if (Array.isArray(s.parent)) s.parent.splice(s.key as number, 1);
      else delete s.parent[s.key as string];
      return done(`${s.pointer} deleted`, 'shape', s);
    }
    case 'duplicate': {
      const objects = all.filter((x) => isObject(x.value) && Object.keys(x.value).length > 0);
      if (objects.length === 0) return done('nothing changed', 'sameAsBefore');
      const o = pick(objects);
      const obj = o.value as JsonObject;
      const key = pick(Object.keys(obj));
      const again = pick<Json>([obj[key]!, null, 'other', []]);
      // a placeholder name, written as the real one
      obj[w.raw(JSON.stringify(key))] = again;
      return done(`member ${key} of ${o.pointer || '(root)'} written twice`, 'unreadable', {
        ...o,
        pointer: `${o.pointer}/${escapeToken(key)}`,
      });
    }
    case 'wrap': {
      set(s, [s.value]);
      return done(`${s.pointer || '(root)'} wrapped in an array`, 'shape', s);
    }
    case 'unwrap': {
      const lists = all.filter((x) => Array.isArray(x.value) && x.value.length === 1);
      if (lists.length === 0) return done('nothing changed', 'sameAsBefore');
      const l = pick(lists);
      set(l, (l.value as Json[])[0]!);
      return done(`${l.pointer || '(root)'}: its one element in its place`, 'shape', l);
    }
    case 'nest': {
      const depth = pick([64, 300, 2_000, 50_000, 200_000]);
      const [open, close] = pick([
        ['[', ']'],
        ['{"a":', '}'],
      ] as const);
      const inner = JSON.stringify(s.value) ?? 'null';
      set(s, w.raw(open.repeat(depth) + inner + close.repeat(depth)));
      return done(`${s.pointer || '(root)'} nested ${depth} deep in ${open}`, 'shape', s);
    }
    case 'breakDocument': {
      if (strings.length === 0) return done('nothing changed', 'sameAsBefore');
      const d = pick(strings);
      const encoding = decodeEmbedded(d.value as string)!.encoding;
      // the slot's parent holds the decoded document now: put the broken text there
      (d.parent as JsonObject)[d.key as string] = brokenDocument(rnd, d.value as string, encoding);
      return done(`${d.pointer}: the document it holds broken`, 'unreadable', d);
    }
    case 'manyElements': {
      const lists = all.filter((x) => Array.isArray(x.value) && x.value.length > 0);
      if (lists.length === 0) return done('nothing changed', 'sameAsBefore');
      const l = pick(lists);
      const list = l.value as Json[];
      const n = pick([1_000, 5_000]);
      const one = list[0]!;
      for (let i = 0; i < n; i++) list.push(one);
      return done(`${l.pointer || '(root)'}: its first element ${n} times more`, 'shape', l);
    }
    case 'renameKey': {
      const members = all.filter((x) => x.parent !== undefined && !Array.isArray(x.parent));
      if (members.length === 0) return done('nothing changed', 'sameAsBefore');
      const m = pick(members);
      const obj = m.parent as JsonObject;
      const key = m.key as string;
      const to = pick([key.toLowerCase(), key.toUpperCase(), key + ' ', ` ${key}`, `${key}\u0000`]);
      if (to === key) return done('nothing changed', 'sameAsBefore');
      delete obj[key];
      if (!(to in obj)) obj[to] = m.value;
      return done(`member ${m.pointer} renamed ${JSON.stringify(to)}`, 'shape', m);
    }
  }
}

/** The text changed as text: cut, a byte-order mark, a control character, a stray byte. */
export function mutateText(
  text: string,
  rnd: () => number,
): { text: string; what: string; expect: Mutation['expect']; bytes?: Buffer } {
  const pick = picker(rnd);
  const op = pick(['truncate', 'truncate', 'bom', 'utf16', 'control', 'badByte', 'empty'] as const);
  switch (op) {
    case 'truncate': {
      const at = Math.floor(rnd() * text.length);
      return {
        text: text.slice(0, at),
        what: `the text cut at ${at} of ${text.length}`,
        expect: 'text',
      };
    }
    case 'bom':
      return { text: '\uFEFF' + text, what: 'a UTF-8 byte-order mark', expect: 'sameAsBefore' };
    case 'utf16': {
      const le = rnd() < 0.5;
      const body = Buffer.from(text, 'utf16le');
      if (!le) body.swap16();
      const bytes = Buffer.concat([Buffer.from(le ? [0xff, 0xfe] : [0xfe, 0xff]), body]);
      return {
        text,
        what: `UTF-16${le ? 'LE' : 'BE'} with a byte-order mark`,
        expect: 'sameAsBefore',
        bytes,
      };
    }
    case 'control': {
      const at = Math.floor(rnd() * text.length);
      const c = pick(['\u0000', '\u0007', '\u001b', '\u007f', '\u2028', '\uFEFF']);
      return {
        text: text.slice(0, at) + c + text.slice(at),
        what: `${JSON.stringify(c)} inserted at ${at}`,
        expect: 'text',
      };
    }
    case 'badByte': {
      const at = Math.floor(rnd() * text.length);
      const buf = Buffer.from(text.slice(0, at), 'utf8');
      const bytes = Buffer.concat([buf, Buffer.from([0xff]), Buffer.from(text.slice(at), 'utf8')]);
      return { text, what: `the byte FF inserted at ${at}`, expect: 'unreadable', bytes };
    }
    case 'empty':
      return { text: pick(['', ' \n', '\uFEFF']), what: 'the file emptied', expect: 'text' };
  }
}

// ---------------------------------------------------------------------------------------------
// YAML mutations

interface YamlSlot {
  readonly node: YamlNode;
  /** replace the node in its parent */
  readonly set?: (n: unknown) => void;
  /** remove it from its parent */
  readonly remove?: () => void;
  readonly path: string;
}

function yamlSlots(
  node: unknown,
  out: YamlSlot[],
  path: string,
  set?: YamlSlot['set'],
  remove?: YamlSlot['remove'],
): void {
  if (!isNode(node)) return;
  out.push({ node, path, ...(set ? { set } : {}), ...(remove ? { remove } : {}) });
  if (isMap(node)) {
    for (const pair of node.items) {
      const k = isScalar(pair.key) ? String(pair.key.value) : '?';
      yamlSlots(
        pair.value,
        out,
        `${path}/${escapeToken(k)}`,
        (n) => {
          pair.value = n;
        },
        () => {
          node.items = node.items.filter((p) => p !== pair);
        },
      );
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => {
      yamlSlots(
        item,
        out,
        `${path}/${i}`,
        (n) => {
          node.items[i] = n;
        },
        () => {
          node.items = node.items.filter((x) => x !== item);
        },
      );
    });
  }
}

const TAGS = [
  '!Ref',
  '!GetAtt',
  '!Sub',
  '!Join',
  '!If',
  '!Select',
  '!Split',
  '!FindInMap',
  '!ImportValue',
  '!Base64',
  '!Equals',
  '!Not',
  '!GetAZs',
  '!Condition',
  '!Cidr',
  '!Transform',
  '!NoSuchTag',
];

function taggedNode(doc: Document, rnd: () => number): { node: YamlNode; what: string } {
  const pick = picker(rnd);
  const tag = pick(TAGS);
  const shape = pick([
    'scalar',
    'number',
    'null',
    'emptySeq',
    'seq1',
    'seq2',
    'seq3',
    'seq5',
    'map',
    'nested',
  ] as const);
  let node: YamlNode;
  switch (shape) {
    case 'scalar':
      node = new Scalar(
        pick(['A', 'A.B', 'A.B.C', '${A}', '${', '', 'AWS::Region', 'AWS::AccountId']),
      );
      break;
    case 'number':
      node = new Scalar(pick([0, 1, -1, 1e308]));
      break;
    case 'null':
      node = new Scalar(null);
      break;
    case 'emptySeq':
      node = new YAMLSeq();
      break;
    case 'seq1':
    case 'seq2':
    case 'seq3':
    case 'seq5': {
      const n = Number(shape.slice(3));
      const seq = new YAMLSeq();
      for (let i = 0; i < n; i++)
        seq.items.push(
          pick<unknown>(['A', 'B.C', 1, null, doc.createNode({ a: 'b' }), doc.createNode(['x'])]),
        );
      node = seq;
      break;
    }
    case 'map':
      node = doc.createNode(pick([{}, { A: 'b' }, { Ref: 'X' }]));
      break;
    case 'nested': {
      const inner = new Scalar(pick(['A', 'B.C', '${X}']));
      inner.tag = pick(TAGS);
      const seq = new YAMLSeq();
      seq.items.push(inner, inner);
      node = seq;
      break;
    }
  }
  node.tag = tag;
  return { node, what: `${tag} with ${shape}` };
}

/** Anchors a0..a9, each a list of ten aliases of the one before: 10^10 values expanded. */
export function aliasBomb(key: string, levels = 10): string {
  const lines = [`${key}:`, `  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]`];
  for (let i = 1; i < levels; i++)
    lines.push(`  a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]`);
  return lines.join('\n') + '\n';
}

/** The text of the YAML file `text`, changed by one mutation chosen with `rnd`. */
export function mutateYaml(
  text: string,
  rnd: () => number,
): { text: string; what: string; expect: Mutation['expect']; pointer?: string; bytes?: Buffer } {
  const pick = picker(rnd);
  if (rnd() < 0.2) return mutateText(text, rnd);
  let source = text;
  const op = pick([
    'replace',
    'replace',
    'tag',
    'tag',
    'delete',
    'wrap',
    'unwrap',
    'alias',
    'bomb',
    'duplicate',
    'merge',
    'long',
  ] as const);
  let bombed = false;
  if (op === 'bomb') {
    // the bomb first, so its anchors come before every use
    if (/^(%|---)/m.test(text.split('\n')[0] ?? '')) return mutateText(text, rnd);
    source = aliasBomb('FuzzBomb', pick([4, 7, 10])) + text;
    bombed = true;
  }
  const doc = YAML.parseDocument(source, { uniqueKeys: false });
  if (doc.errors.length > 0 || !isCollection(doc.contents)) return mutateText(text, rnd);
  const all: YamlSlot[] = [];
  yamlSlots(doc.contents, all, '');
  const inner = all.filter((s) => s.set && !s.path.startsWith('/FuzzBomb'));
  if (inner.length === 0) return mutateText(text, rnd);
  const s = pick(inner);
  const out = (what: string, expect: Mutation['expect']) => {
    let written: string;
    try {
      written = doc.toString({ lineWidth: 0 });
    } catch {
      return mutateText(text, rnd);
    }
    return { text: written, what, expect, pointer: s.path };
  };
  switch (op) {
    case 'replace': {
      const w = new JsonWriter(new Map());
      const r = replacement(rnd, w, isScalar(s.node) ? (s.node.value as Json) : null);
      if (typeof r.value === 'string' && r.value.startsWith(MARK)) {
        // a number as written: YAML reads 1e309 and the like as numbers too
        s.set!(doc.createNode(Number(w.write(r.value, undefined))));
      } else s.set!(doc.createNode(r.value));
      return out(`${s.path} replaced by ${r.what}`, 'shape');
    }
    case 'tag': {
      const t = taggedNode(doc, rnd);
      s.set!(t.node);
      return out(`${s.path} replaced by ${t.what}`, 'shape');
    }
    case 'delete':
      s.remove!();
      return out(`${s.path} deleted`, 'shape');
    case 'wrap': {
      const seq = new YAMLSeq();
      seq.items.push(s.node);
      s.set!(seq);
      return out(`${s.path} wrapped in a list`, 'shape');
    }
    case 'unwrap': {
      const lists = inner.filter((x) => isSeq(x.node) && x.node.items.length === 1);
      if (lists.length === 0) return out('nothing changed', 'text');
      const l = pick(lists);
      l.set!((l.node as YAMLSeq).items[0]);
      return out(`${l.path}: its one element in its place`, 'shape');
    }
    case 'alias': {
      // an anchor on one node, an alias of it in place of another that comes later and is
      // neither inside it nor holds it
      const anchored = pick(inner);
      const later = inner.filter(
        (x) =>
          x.path > anchored.path &&
          !x.path.startsWith(anchored.path + '/') &&
          !anchored.path.startsWith(x.path + '/'),
      );
      if (later.length === 0 || isAlias(anchored.node)) return out('nothing changed', 'text');
      const target = pick(later);
      const alias = doc.createAlias(anchored.node as Scalar, 'fz');
      target.set!(alias);
      return out(`${target.path} an alias of ${anchored.path}`, 'shape');
    }
    case 'bomb': {
      if (!bombed) return out('nothing changed', 'text');
      const bomb = doc.get('FuzzBomb', true) as YAMLMap;
      const top = bomb.items[bomb.items.length - 1]!.value as YamlNode;
      if (rnd() < 0.7) s.set!(doc.createAlias(top as Scalar));
      return out(`an alias bomb, used at ${s.path}`, 'shape');
    }
    case 'duplicate': {
      const maps = inner.filter((x) => isMap(x.node) && x.node.items.length > 0);
      if (maps.length === 0) return out('nothing changed', 'text');
      const m = pick(maps).node as YAMLMap;
      const pair = pick(m.items);
      m.items.push(
        doc.createPair(isScalar(pair.key) ? pair.key.value : 'k', pick<unknown>(['x', null, []])),
      );
      return out(`a key of ${s.path} written twice`, 'unreadable');
    }
    case 'merge': {
      const maps = inner.filter((x) => isMap(x.node));
      const from = inner.filter((x) => isMap(x.node) && x.path < (maps[0]?.path ?? ''));
      if (maps.length === 0) return out('nothing changed', 'text');
      const m = pick(maps).node as YAMLMap;
      m.items.push(
        doc.createPair(
          '<<',
          from.length > 0 ? doc.createAlias(pick(from).node as YAMLMap) : { a: 'b' },
        ),
      );
      return out(`a merge key in ${s.path}`, 'shape');
    }
    case 'long': {
      const n = pick([10_000, 300_000]);
      s.set!(doc.createNode(pick(['a', '*', '${A}']).repeat(n)));
      return out(`${s.path} replaced by a string of ${n} characters`, 'shape');
    }
  }
}

/** Break one file of a prepared copy in place. */
export function mutateFileIn(dir: string, files: readonly string[], rnd: () => number): Mutation {
  const pick = picker(rnd);
  const file = pick(files);
  const path = join(dir, file);
  const text = readFileSync(path, 'utf8');
  const isJsonText = file.endsWith('.json') || /^\s*[[{]/.test(text);
  const m = isJsonText && file.endsWith('.json') ? mutateJson(text, rnd) : mutateYaml(text, rnd);
  if ('bytes' in m && m.bytes) writeFileSync(path, m.bytes);
  else writeFileSync(path, m.text);
  return {
    file,
    what: m.what,
    expect: m.expect,
    ...('pointer' in m && m.pointer !== undefined ? { pointer: m.pointer } : {}),
    ...('embedded' in m && m.embedded ? { embedded: true } : {}),
  };
}

/** The seed of case `n` of a sweep started at `seed`. */
export function caseSeed(seed: number, n: number): number {
  return (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(n, 0xc2b2ae35)) >>> 0;
}
