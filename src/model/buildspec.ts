/**
 * CodeBuild buildspecs, read only for what the project's service role fetches before the build
 * starts: the parameters an `env.parameter-store` map names (variable → parameter name or ARN)
 * and the secrets an `env.secrets-manager` map names (variable →
 * `secret-id:json-key:version-stage:version-id`, the secret id a name or a full ARN)
 * (https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html#build-spec.env.parameter-store,
 * https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html#build-spec.env.secrets-manager).
 * Besides them only whether it has an `artifacts` section is kept (true or false), and the
 * identifiers of its `artifacts.secondary-artifacts` map with the `name` each gives when that name
 * is plain text (https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html#build-spec.artifacts.secondary-artifacts):
 * a name the shell computes at build time is kept as "not plain" only, as it may run commands.
 * Nothing else of a buildspec is read or kept: its commands and `env.variables` values may hold
 * secrets. The snapshot and template loaders and the crawler all decide with these functions.
 *
 * The text is YAML from anyone who can edit a project: it is read with bounds (size, nodes
 * visited, alias and merge expansion), and no function here throws or lingers on hostile input.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, parseDocument, type Document } from 'yaml';
import { lineColumnOf, yamlLineBreaks } from '../lineBreaks.js';
import { aliasTargets } from './yamlAnchors.js';
import { jsonObjectWithoutDuplicates } from '../jsonDuplicates.js';

/**
 * The marker the crawler writes where it removed a value (src/crawl/redact.ts `REDACTED` is this
 * constant). As a project's buildspec it means the crawler could not read the inline buildspec:
 * what it names is not known.
 */
export const REDACTION_MARKER = '<redacted by permchain>';

/** Bounds that keep hostile text cheap (the template parser's, scaled to a buildspec). */
const MAX_TEXT_LENGTH = 1_000_000;
const MAX_NODES = 100_000;
const MAX_MERGE_DEPTH = 16;

/** The buildspec versions CodeBuild reads (https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html#build-spec-ref-syntax). */
const VERSIONS: ReadonlySet<string> = new Set(['0.1', '0.2']);

/** The env sections read, each variable → reference. */
const SECTIONS = ['parameter-store', 'secrets-manager'] as const;
type Section = (typeof SECTIONS)[number];

/**
 * Whether a project's `buildspec` names a file rather than holding the buildspec: a file name
 * relative to the source root, or an S3 object ARN
 * (https://docs.aws.amazon.com/codebuild/latest/APIReference/API_ProjectSource.html: "If this
 * value is set, it can be either an inline buildspec definition, the path to an alternate
 * buildspec file relative to the value of the built-in CODEBUILD_SRC_DIR environment variable,
 * or the path to an S3 bucket"). One word without whitespace, with no `:` outside an ARN; inline
 * YAML has a `key: value` in it.
 */
export function namesBuildspec(text: string): boolean {
  return !/\s/.test(text) && (text.startsWith('arn:') || !text.includes(':'));
}

/**
 * What a buildspec's two env sections hold: a map of variable → reference string (null where
 * the value is not a non-empty string), `'wrong'` when the section is not a map, absent when the
 * buildspec has none.
 */
export interface EnvSections {
  /** the `version` as written (`0.2`), `null` when it is not a scalar, absent when missing */
  readonly version?: string | null;
  /** `'wrong'` when `env` is there but not a map */
  readonly env?:
    'wrong' | { readonly [S in Section]?: 'wrong' | ReadonlyMap<string, string | null> };
  /**
   * whether the buildspec has an `artifacts` section: false only for a buildspec with `phases`
   * (which CodeBuild requires, so it is not a reduced one) and no `artifacts`; a reduced buildspec
   * carries the answer as `artifacts: true|false`; absent when not known
   */
  readonly artifacts?: boolean;
  /**
   * the `artifacts.secondary-artifacts` map: each artifact identifier, in the order written, with
   * the `name` its definition gives (`name` absent when it gives none; null when it is there but
   * not a string, or the definition is not a map); `'wrong'` when the map is there but is not a
   * map or cannot be read (a key written twice in it, too large); absent when the buildspec has
   * none
   */
  readonly secondaryArtifacts?: 'wrong' | ReadonlyMap<string, { readonly name?: string | null }>;
}

/** What the readers below build (EnvSections, writable). */
interface Sections {
  version?: string | null;
  env?: EnvSections['env'];
  artifacts?: boolean;
  secondaryArtifacts?: EnvSections['secondaryArtifacts'];
}

export type Read =
  | { readonly ok: true; readonly value: EnvSections }
  | { readonly ok: false; readonly reason: string };

/**
 * The text readSections read last, and what it read: a loader asks for a buildspec's references
 * and then for its reduced text, and the chain for the references of a reduced text and then
 * whether it declares artifacts, so each text is parsed once, not twice (the result is only
 * read by its callers, never changed).
 */
let lastText: string | undefined;
let lastRead: Read | undefined;

/** Read the env sections of buildspec text; never throws. */
function readSections(text: string): Read {
  if (text === lastText && lastRead !== undefined) return lastRead;
  const read = parseSections(text);
  lastText = text;
  lastRead = read;
  return read;
}

function parseSections(text: string): Read {
  if (text.length > MAX_TEXT_LENGTH)
    return { ok: false, reason: `it is longer than ${MAX_TEXT_LENGTH} characters` };
  return readJsonSections(text) ?? readYamlSections(text);
}

/**
 * A buildspec written as JSON (CDK writes inline buildspecs so, and reduceBuildspec's text is
 * JSON) read with JSON.parse, a hundred times faster than the YAML parser; undefined when the
 * text is not such a JSON object or its YAML reading could differ, and readYamlSections decides:
 * a member name written twice anywhere (the YAML reading says whether it matters), a `version`
 * that is a number or boolean (YAML keeps the text as written: `0.10`), a member name of the maps
 * read that is an array index (a JavaScript object lists those first, a YAML map in the order
 * written), more members in them than the node bound lets the YAML reading visit, or nesting
 * deeper than MAX_JSON_DEPTH (the YAML parser refuses deep nesting). JSON is YAML otherwise
 * (https://yaml.org/spec/1.2.2/#12-yaml-history: "every JSON file is also a valid YAML file"),
 * read to the same strings, maps, lists and nulls: test/load/buildspec.test.ts compares both
 * readings on generated texts. Exported for that test.
 */
export function readJsonSections(text: string): Read | undefined {
  const value = jsonObjectWithoutDuplicates(text);
  if (!value || nestsDeeperThan(value, MAX_JSON_DEPTH)) return undefined;
  let members = 0;
  /** a map read, its members in the order written; undefined when one could be out of order */
  const entries = (o: Record<string, unknown>): Map<string, unknown> | undefined => {
    const out = new Map<string, unknown>();
    for (const k of Object.keys(o)) {
      if (ARRAY_INDEX.test(k)) return undefined;
      out.set(k, o[k]);
    }
    members += out.size;
    return out;
  };
  const root = entries(value);
  if (!root) return undefined;
  const out: Sections = {};
  const artifacts = root.get('artifacts');
  if (typeof artifacts === 'boolean') out.artifacts = artifacts;
  else if (artifacts !== undefined && artifacts !== null) out.artifacts = true;
  else if (root.has('phases')) out.artifacts = false;
  const secondary =
    isJsonObject(artifacts) &&
    Object.prototype.hasOwnProperty.call(artifacts, 'secondary-artifacts')
      ? artifacts['secondary-artifacts']
      : undefined;
  if (secondary !== undefined && secondary !== null) {
    if (!isJsonObject(secondary)) out.secondaryArtifacts = 'wrong';
    else {
      const ids = entries(secondary);
      if (ids === undefined) return undefined;
      const map = new Map<string, { name?: string | null }>();
      for (const [id, definition] of ids) {
        if (!isJsonObject(definition)) map.set(id, { name: null });
        else if (!Object.prototype.hasOwnProperty.call(definition, 'name')) map.set(id, {});
        else {
          const name = definition['name'];
          map.set(id, { name: typeof name === 'string' ? name : null });
        }
      }
      out.secondaryArtifacts = map;
    }
  }
  if (root.has('version')) {
    const v = root.get('version');
    if (typeof v === 'number' || typeof v === 'boolean') return undefined;
    out.version = typeof v === 'string' ? v : null;
  }
  const envValue = root.get('env');
  if (envValue !== undefined && envValue !== null) {
    const env = isJsonObject(envValue) ? entries(envValue) : 'wrong';
    if (env === undefined) return undefined;
    if (env === 'wrong') out.env = 'wrong';
    else {
      const sections: { [S in Section]?: 'wrong' | Map<string, string | null> } = {};
      for (const section of SECTIONS) {
        const node = env.get(section);
        if (node === undefined || node === null) continue;
        if (!isJsonObject(node)) {
          sections[section] = 'wrong';
          continue;
        }
        const vars = entries(node);
        if (vars === undefined) return undefined;
        const refs = new Map<string, string | null>();
        for (const [name, v] of vars)
          refs.set(name, typeof v === 'string' && v.trim() !== '' ? v : null);
        sections[section] = refs;
      }
      out.env = sections;
    }
  }
  // each member costs the YAML reading a few nodes of its bound: past a share of it, let that
  // reading say whether the text is too large
  if (members > MAX_NODES / 8) return undefined;
  return { ok: true, value: out };
}

/** a member name a JavaScript object lists before the others (an array index) */
const ARRAY_INDEX = /^\d+$/;
/** nesting the JSON reading leaves to the YAML one (whose parser refuses about 800 levels) */
const MAX_JSON_DEPTH = 64;

function isJsonObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Whether a parsed JSON value nests more than `limit` lists and objects (an explicit stack). */
function nestsDeeperThan(root: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth > limit) return true;
    for (const x of Array.isArray(v) ? v : Object.values(v as Record<string, unknown>))
      if (typeof x === 'object' && x !== null) stack.push([x, depth + 1]);
  }
  return false;
}

/** The YAML reading of a buildspec (any buildspec: JSON is YAML). Exported for the test above. */
export function readYamlSections(written: string): Read {
  const text = yamlLineBreaks(written);
  let doc: Document.Parsed;
  try {
    // duplicate keys are found where they matter (walk): the library's check is quadratic in
    // the size of a map
    doc = parseDocument(text, { uniqueKeys: false, prettyErrors: false, merge: false });
  } catch {
    return { ok: false, reason: 'it is not YAML' };
  }
  if (doc.errors.length > 0) {
    // the error's code and position only: a message may quote the text
    const e = doc.errors[0]!;
    const at = lineColumnOf(text, e.pos[0]);
    return {
      ok: false,
      reason: `it is not YAML (${e.code} at line ${at.line}, column ${at.column})`,
    };
  }
  try {
    return walk(doc);
  } catch {
    // a stack overflow on pathological nesting, or anything the YAML library throws
    return { ok: false, reason: 'it could not be read' };
  }
}

class TooLarge extends Error {}

/** A key written twice in one map: which value CodeBuild takes is not known. */
class Duplicate extends Error {
  constructor(readonly key: string) {
    super(key);
  }
}

function walk(doc: Document.Parsed): Read {
  let budget = MAX_NODES;
  // each alias's anchor, found in one pass (yamlAnchors.ts)
  const targets = aliasTargets(doc);
  const resolve = (node: unknown, depth = 0): unknown => {
    if (--budget < 0 || depth > MAX_MERGE_DEPTH) throw new TooLarge();
    if (isAlias(node)) return resolve(targets.get(node), depth + 1);
    return node;
  };
  /**
   * The entries of a map, `<<` merge keys expanded (YAML 1.1, which buildspecs are read as:
   * explicit keys win over merged ones, an earlier merged map over a later one); undefined when
   * the node is not a map.
   */
  const entries = (node: unknown, depth = 0): Map<string, unknown> | undefined => {
    const n = resolve(node, depth);
    if (!isMap(n)) return undefined;
    const out = new Map<string, unknown>();
    const merged: Map<string, unknown>[] = [];
    for (const pair of n.items) {
      if (--budget < 0) throw new TooLarge();
      if (!isPair(pair)) continue;
      const key = resolve(pair.key, depth);
      if (isScalar(key) && key.source === '<<' && key.type === 'PLAIN') {
        const v = resolve(pair.value, depth);
        const sources = isSeq(v) ? v.items : [v];
        for (const s of sources) {
          const m = entries(s, depth + 1);
          if (m === undefined) return undefined;
          merged.push(m);
        }
        continue;
      }
      const name = isScalar(key) ? String(key.value) : undefined;
      if (name === undefined) return undefined;
      if (out.has(name)) throw new Duplicate(name);
      out.set(name, pair.value);
    }
    for (const m of merged) for (const [k, v] of m) if (!out.has(k)) out.set(k, v);
    return out;
  };
  /** The `secondary-artifacts` map of the `artifacts` map (see EnvSections.secondaryArtifacts). */
  const secondaryArtifacts = (artifacts: unknown): EnvSections['secondaryArtifacts'] => {
    try {
      const node = entries(artifacts)?.get('secondary-artifacts');
      if (node === undefined || isNullNode(resolve(node))) return undefined;
      const ids = entries(node);
      if (ids === undefined) return 'wrong';
      const map = new Map<string, { name?: string | null }>();
      for (const [id, definitionNode] of ids) {
        const definition = entries(definitionNode);
        if (definition === undefined) map.set(id, { name: null });
        else if (!definition.has('name')) map.set(id, {});
        else {
          const name = resolve(definition.get('name'));
          map.set(id, {
            name: isScalar(name) && typeof name.value === 'string' ? name.value : null,
          });
        }
      }
      return map;
    } catch (e) {
      if (e instanceof TooLarge || e instanceof Duplicate) return 'wrong';
      throw e;
    }
  };
  try {
    if (doc.contents === null) return { ok: false, reason: 'it is empty' };
    const root = entries(doc.contents);
    if (root === undefined) return { ok: false, reason: 'it is not a map' };
    const value: Sections = {};
    const artifactsNode = root.get('artifacts');
    const artifacts = artifactsNode === undefined ? undefined : resolve(artifactsNode);
    if (isScalar(artifacts) && typeof artifacts.value === 'boolean')
      value.artifacts = artifacts.value;
    else if (!isNullNode(artifacts)) value.artifacts = true;
    else if (root.has('phases')) value.artifacts = false;
    if (root.has('version')) {
      const v = resolve(root.get('version'));
      value.version = isScalar(v) && v.value !== null ? scalarText(v.value, v.source) : null;
    }
    const envNode = root.get('env');
    if (envNode !== undefined && !isNullNode(resolve(envNode))) {
      const env = entries(envNode);
      if (env === undefined) value.env = 'wrong';
      else {
        const out: { [S in Section]?: 'wrong' | Map<string, string | null> } = {};
        for (const section of SECTIONS) {
          const node = env.get(section);
          if (node === undefined || isNullNode(resolve(node))) continue;
          const vars = entries(node);
          if (vars === undefined) {
            out[section] = 'wrong';
            continue;
          }
          const refs = new Map<string, string | null>();
          for (const [name, v] of vars) {
            const r = resolve(v);
            refs.set(
              name,
              isScalar(r) && typeof r.value === 'string' && r.value.trim() !== '' ? r.value : null,
            );
          }
          out[section] = refs;
        }
        value.env = out;
      }
    }
    // read last, and on its own: a key written twice in it, or its size, leaves it alone unknown
    // (it was not read before, and what the sections above say stands)
    const secondary = isMap(artifacts) ? secondaryArtifacts(artifacts) : undefined;
    if (secondary !== undefined) value.secondaryArtifacts = secondary;
    return { ok: true, value };
  } catch (e) {
    if (e instanceof TooLarge)
      return { ok: false, reason: 'it is too large or its aliases expand too far' };
    if (e instanceof Duplicate)
      return {
        ok: false,
        reason: `the key \`${e.key.slice(0, 100)}\` is written twice in one map`,
      };
    throw e;
  }
}

function isNullNode(n: unknown): boolean {
  return n === null || n === undefined || (isScalar(n) && n.value === null);
}

/** A scalar as written: `0.2` stays `0.2` (YAML's number would drop nothing here, `0.10` would). */
function scalarText(value: unknown, source: string | undefined): string {
  return typeof value === 'string' ? value : (source ?? String(value));
}

/**
 * The secret id of a Secrets Manager reference `secret-id:json-key:version-stage:version-id`: a
 * secret name (which holds no `:`), or a full ARN, which is itself the first seven `:`-separated
 * fields (`arn:partition:secretsmanager:region:account:secret:name-suffix`)
 * (https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html#build-spec.env.secrets-manager).
 */
export function secretIdOf(reference: string): string {
  const fields = reference.split(':');
  return reference.startsWith('arn:') ? fields.slice(0, 7).join(':') : fields[0]!;
}

export type BuildspecReferences =
  | {
      readonly ok: true;
      /** parameter names or ARNs, sorted, each once */
      readonly parameters: readonly string[];
      /** secret ids (names or ARNs, without json-key and version), sorted, each once */
      readonly secrets: readonly string[];
    }
  | {
      readonly ok: false;
      /** why not, naming only keys and positions, never the text */
      readonly reason: string;
    };

/**
 * The parameters and secrets an inline buildspec names. Not ok when the text cannot be read, has
 * no supported version, or its env sections are not maps of variable → non-empty string: what
 * the build reads is then not known. The reason never quotes the buildspec.
 */
export function buildspecReferences(text: string): BuildspecReferences {
  const read = readSections(text);
  if (!read.ok) return read;
  const { version, env } = read.value;
  if (version === undefined || version === null || !VERSIONS.has(version))
    return {
      ok: false,
      reason: 'its `version` is missing or not one CodeBuild reads (`0.1` or `0.2`)',
    };
  if (env === 'wrong') return { ok: false, reason: '`env` is not a map' };
  const out: Record<Section, Set<string>> = {
    'parameter-store': new Set(),
    'secrets-manager': new Set(),
  };
  for (const section of SECTIONS) {
    const vars = env?.[section];
    if (vars === undefined) continue;
    if (vars === 'wrong')
      return { ok: false, reason: `\`env.${section}\` is not a map of variable names to names` };
    for (const [name, ref] of [...vars].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (ref === null)
        return {
          ok: false,
          reason: `\`env.${section}.${name.slice(0, 100)}\` is not a non-empty string`,
        };
      out[section].add(section === 'secrets-manager' ? secretIdOf(ref) : ref);
    }
  }
  return {
    ok: true,
    parameters: [...out['parameter-store']].sort(),
    secrets: [...out['secrets-manager']].sort(),
  };
}

/**
 * The buildspec reduced to what permchain reads, as JSON text (which is YAML): its `version`, its
 * `env.parameter-store` and `env.secrets-manager` maps, and whether it has an `artifacts` section
 * (`artifacts: true|false`, see buildspecDeclaresArtifacts) or, when it has an
 * `artifacts.secondary-artifacts` map, that map's identifiers with their plain names
 * (plainArtifactName; another name is written null), nothing else. A value that is not a
 * string is written `null`, a section (or `env`) that is not a map is written `marker`, so the
 * reduced text says "not known" wherever the original did (buildspecReferences). Undefined when
 * the text cannot be read at all (then nothing of it can be kept).
 */
export function reduceBuildspec(text: string, marker: string): string | undefined {
  const read = readSections(text);
  if (!read.ok) return undefined;
  const { version, env } = read.value;
  // a missing version is written `null`, which says "not known" as the original did (and keeps
  // the text from reading as a file name: `{}` would)
  const out: Record<string, unknown> = { version: version ?? null };
  if (env === 'wrong') out['env'] = marker;
  else if (env !== undefined) {
    const sections: Record<string, unknown> = {};
    for (const section of SECTIONS) {
      const vars = env[section];
      if (vars === undefined) continue;
      if (vars === 'wrong') sections[section] = marker;
      else {
        const map: Record<string, string | null> = {};
        for (const [name, ref] of vars) {
          // defineProperty: a `__proto__` variable must stay a plain key
          Object.defineProperty(map, name, {
            value: ref,
            enumerable: true,
            writable: true,
            configurable: true,
          });
        }
        sections[section] = map;
      }
    }
    out['env'] = sections;
  }
  // whether it has an `artifacts` section, and of what it says its secondary artifacts'
  // identifiers and plain names only (a name the shell computes, which may run commands, is
  // written null: not plain, as the original was)
  const secondary = read.value.secondaryArtifacts;
  if (secondary === 'wrong') out['artifacts'] = { 'secondary-artifacts': marker };
  else if (secondary !== undefined) {
    const map: Record<string, { name?: string | null }> = {};
    for (const [id, { name }] of secondary)
      Object.defineProperty(map, id, {
        value: name === undefined ? {} : { name: plainArtifactName(name) ? name : null },
        enumerable: true,
        writable: true,
        configurable: true,
      });
    out['artifacts'] = { 'secondary-artifacts': map };
  } else if (read.value.artifacts !== undefined) out['artifacts'] = read.value.artifacts;
  return JSON.stringify(out);
}

/**
 * Whether an artifact name a buildspec gives is plain text, which the shell leaves as written:
 * the name "is calculated at build time" with the Shell Command Language
 * (https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html#build-spec.artifacts.name,
 * https://docs.aws.amazon.com/codebuild/latest/userguide/sample-buildspec-artifact-naming.html),
 * so `$(date +%Y-%m-%d)`, `$VAR`, quotes, globs, `~` and the like make it a value no input gives.
 * Letters, digits and `.`, `_`, `-`, `+`, `=`, `,`, `@`, `:`, `%` are plain, and `/` between
 * them (not at an end, where the key's joins are not documented).
 */
export function plainArtifactName(name: string | null | undefined): name is string {
  return (
    typeof name === 'string' && /^[A-Za-z0-9._+=,@:%-]+(?:\/[A-Za-z0-9._+=,@:%-]+)*$/.test(name)
  );
}

/**
 * The `artifacts.secondary-artifacts` map of an inline buildspec: artifact identifier → the name
 * its definition gives (`name` absent when none; null when it is not a string or its definition
 * not a map), in the order written; undefined when that is not known (the text cannot be read,
 * has no version CodeBuild reads, or the map is not a map). A buildspec without the map gives an
 * empty one, as does a reduced buildspec written before the map was kept (it then names no
 * artifact, and a secondary artifact it does not name stays as if the buildspec were not read).
 */
export function buildspecSecondaryArtifacts(
  text: string,
): ReadonlyMap<string, { readonly name?: string | null }> | undefined {
  const read = readSections(text);
  if (!read.ok) return undefined;
  const { version, secondaryArtifacts } = read.value;
  if (version === undefined || version === null || !VERSIONS.has(version)) return undefined;
  if (secondaryArtifacts === 'wrong') return undefined;
  return secondaryArtifacts ?? new Map();
}

/**
 * Whether an inline buildspec has an `artifacts` section: false for one with `phases` and no
 * `artifacts` (or a reduced one that says so), true when it has one, undefined when that is not
 * known (the text cannot be read, or a reduced buildspec written before it was kept).
 */
export function buildspecDeclaresArtifacts(text: string): boolean | undefined {
  const read = readSections(text);
  return read.ok ? read.value.artifacts : undefined;
}
