/**
 * The only file-system code of the snapshot loader: list folders, read JSON files. Everything
 * is synchronous and sorted so a snapshot always loads the same way.
 */
import { readdirSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_LISTED } from '../jsonDuplicates.js';
import { shownValue, type Problem } from '../problems.js';
import { MAX_SNAPSHOT_FILE_BYTES, readJsonText } from './jsonFile.js';

export interface DirEntry {
  readonly name: string;
  readonly isDir: boolean;
  /**
   * There is something to read that is not a folder: a regular file, or a FIFO, device or socket
   * (a link to /dev/zero), which `readJson` refuses with a problem naming it rather than leaving
   * it out without a word as if the file were absent.
   */
  readonly isFile: boolean;
}

/** Entries of a folder, sorted by name (code-point order); [] when it cannot be read. */
export function listDir(absDir: string): DirEntry[] {
  let names: string[];
  try {
    names = readdirSync(absDir);
  } catch {
    return [];
  }
  const out: DirEntry[] = [];
  for (const name of names.sort(compareNames)) {
    try {
      // statSync follows symlinks, so a snapshot may share files by linking them; folders
      // are only walked to a fixed depth, or once each (snapshotRegion.ts: jsonFilesDeep), so a
      // link loop cannot hang the loader
      const st = statSync(join(absDir, name));
      const isDir = st.isDirectory();
      out.push({ name, isDir, isFile: !isDir });
    } catch {
      // a dangling link (or an entry that cannot be looked at): neither a file nor a folder, so
      // readers that need a file skip it; a reader for which its absence matters sees it
      out.push({ name, isDir: false, isFile: false });
    }
  }
  return out;
}

/**
 * An entry the contract names whose kind is wrong: a folder (or a dangling link) where a file is
 * expected, a file (or a dangling link) where a folder is. It is an input error naming it, as an
 * `organization/scp/` entry that is not a file is (snapshotOrganization.ts), never skipped as if
 * absent: what it would hold is unknown, not missing.
 */
export function reportWrongKind(
  problems: Problem[],
  rel: string,
  wantDir: boolean,
  what: string,
): void {
  problems.push({
    file: rel,
    pointer: '',
    message: `not a readable ${wantDir ? 'folder' : 'regular file'}: ${what} cannot be known`,
    id: 'snapshot.file.unreadable',
    severity: 'error',
  });
}

/**
 * Whether `entries` (of the folder `dir`) hold `name` of the wanted kind; when `name` is there
 * but of the other kind, an input error naming it (reportWrongKind) and false.
 */
export function hasEntry(
  entries: readonly DirEntry[],
  dir: string,
  name: string,
  wantDir: boolean,
  problems: Problem[],
  what: string,
): boolean {
  const e = entries.find((x) => x.name === name);
  if (!e) return false;
  if (wantDir ? e.isDir : e.isFile) return true;
  reportWrongKind(problems, dir === '' ? name : `${dir}/${name}`, wantDir, what);
  return false;
}

export const NAME_CASE = 'snapshot.file.name-case';

/**
 * The snapshot format names its files and folders exactly (`iam.json`, `codepipeline/<name>.json`,
 * ../shared snapshot-format.md), and names are compared as written: a name that differs from one
 * it names only in case (`IAM.json`, `Codebuild.json`, `KMS/`, `<name>.JSON`, as AWS CLI output
 * redirected on a case-insensitive file system may be named) is not read. Not read, and not
 * guessed at either (two files whose names differ only in case would leave which one counts
 * unsettled): a warning names it, so a role or pipeline missing because of it is explained.
 * `rel` is the entry's path as it is on disk, `expected` the name the format gives it; what the
 * format names is a file when its name ends in `.json` (every file of the format is JSON, and
 * none of its folders is so named), else a folder. An entry of the other kind (a folder
 * `Codebuild.json`, a file `KMS`) is said to be what it is, not what the format names.
 */
function nameCaseWarning(rel: string, expected: string, entry: DirEntry): Problem {
  const expectedDir = !expected.endsWith('.json');
  const kind = (dir: boolean): string => (dir ? 'folder' : 'file');
  const sameKind = entry.isDir === expectedDir && (entry.isDir || entry.isFile);
  // a dangling link (listDir) is neither
  const actual = entry.isDir
    ? 'a folder'
    : entry.isFile
      ? 'a file'
      : 'not a readable file or folder';
  return {
    file: rel,
    pointer: '',
    message: sameKind
      ? `not read: the snapshot format names this ${kind(expectedDir)} \`${expected}\`, and names are case-sensitive`
      : `not read: \`${entry.name}\` is ${actual}, where the snapshot format names a ${kind(expectedDir)} \`${expected}\` (names are case-sensitive)`,
    id: NAME_CASE,
    severity: 'warning',
  };
}

/**
 * A warning (nameCaseWarning) for each entry of the folder `dir` (relative to the snapshot root,
 * '' for the root) whose name is one of `names` written in another case; the exact name, there
 * too or not, is read as usual.
 */
export function reportNameCase(
  entries: readonly DirEntry[],
  dir: string,
  names: readonly string[],
  problems: Problem[],
): void {
  for (const e of entries) {
    const lower = e.name.toLowerCase();
    const expected = names.find((n) => n.toLowerCase() === lower);
    if (expected === undefined || expected === e.name) continue;
    problems.push(nameCaseWarning(dir === '' ? e.name : `${dir}/${e.name}`, expected, e));
  }
}

/**
 * A warning for an entry of a folder of `<name>.json` files whose extension is `.json` in another
 * case (`demo.JSON`, `demo.Json`): it is not read (nameCaseWarning). `rel` is its path. A folder
 * so named is said to be a folder where a file is named, as a folder `demo.json` is an error
 * (reportWrongKind), never passed over in silence; a caller whose folders are read otherwise
 * (`ecr/`, walked as namespaces) does not pass them.
 */
export function reportJsonExtensionCase(e: DirEntry, rel: string, problems: Problem[]): void {
  if (e.name.length <= 5) return;
  const ext = e.name.slice(-5);
  if (ext === '.json' || ext.toLowerCase() !== '.json') return;
  problems.push(nameCaseWarning(rel, `${e.name.slice(0, -5)}.json`, e));
}

/**
 * Base names of the `*.json` entries of the folder `dir` (relative to `root`); a `.json` entry
 * that is not a file (a folder, a dangling link) is an input error naming it (reportWrongKind),
 * one whose extension is written in another case (`.JSON`) a warning (reportJsonExtensionCase).
 * `named`: the files the format names in this folder besides its `<name>.json` (`aliases.json`
 * beside the keys of `kms/`); one written in another case (`Aliases.json`) is a warning
 * (reportNameCase) and is left out, never read as a `<name>.json` (a key named `Aliases`).
 */
export function jsonFilesIn(
  root: string,
  dir: string,
  problems: Problem[],
  what: string | ((base: string) => string),
  named: readonly string[] = [],
): string[] {
  const out: string[] = [];
  const entries = listDir(join(root, dir));
  reportNameCase(entries, dir, named, problems);
  for (const e of entries) {
    const lower = e.name.toLowerCase();
    if (named.some((n) => n !== e.name && n.toLowerCase() === lower)) continue;
    const base = jsonBaseName(e.name);
    if (base === undefined) {
      reportJsonExtensionCase(e, `${dir}/${e.name}`, problems);
      continue;
    }
    if (e.isFile) out.push(base);
    else
      reportWrongKind(
        problems,
        `${dir}/${e.name}`,
        false,
        typeof what === 'string' ? what : what(base),
      );
  }
  return out;
}

export function isFile(absPath: string): boolean {
  try {
    return statSync(absPath).isFile();
  } catch {
    return false;
  }
}

export function isDirectory(absPath: string): boolean {
  try {
    return statSync(absPath).isDirectory();
  } catch {
    return false;
  }
}

/** The path with every link resolved; undefined when it cannot be (missing, a dangling link). */
export function realPath(absPath: string): string | undefined {
  try {
    return realpathSync(absPath);
  } catch {
    return undefined;
  }
}

export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `name.json` → `name`; undefined for other files. */
export function jsonBaseName(name: string): string | undefined {
  return name.endsWith('.json') && name.length > 5 ? name.slice(0, -5) : undefined;
}

const READ_IDS = {
  unreadable: 'snapshot.file.unreadable',
  'too-large': 'snapshot.file.too-large',
  invalid: 'snapshot.json.invalid',
} as const;

/**
 * Parse one snapshot file, read as every file the user names is (jsonFile.ts: a regular file,
 * UTF-8 or UTF-16 after a byte-order mark), up to the largest text Node.js can hold rather than
 * 64 MB (an iam.json of a large account is larger). Not readable or not JSON → a problem
 * and undefined. The message never quotes the file's text: it may hold secrets.
 */
export function readJson(
  root: string,
  rel: string,
  problems: Problem[],
  holdsPolicies = true,
): { value: unknown } | undefined {
  // a member name twice in one object: JSON.parse keeps the last, so the file could be read two
  // ways (a second PolicyDocument, a second Condition operator: see src/policy/parse.ts
  // duplicatedMembers). AWS CLI output cannot hold one (its serialiser writes a dictionary); in
  // a file that may hold a policy document, each is an input error at its pointer, so what
  // holds it (a role, a key, a bucket) is unknown, never read one way; past MAX_LISTED, the
  // whole file. A file that holds no policy document (a pipeline, the CodeBuild projects, the
  // EventBridge rules) is not read at all when it holds one: its loader reads values (a role
  // ARN, a rule's state) without asking whether each was written twice, so every lookup of it
  // is missing, naming the file (a pipeline's `roleArn` written twice was read as the last).
  const read = readJsonText(join(root, rel), MAX_SNAPSHOT_FILE_BYTES);
  if (read.ok) {
    const whole = !holdsPolicies && read.duplicates !== undefined;
    for (const d of read.duplicates ?? [])
      problems.push({
        file: rel,
        pointer: d.pointer,
        message: `the member ${shownValue(d.name, 80)} appears twice in one object: JSON readers keep one of them, so ${whole ? 'the file could be read two ways and is not read' : 'what holds it could be read two ways'}`,
        id: 'snapshot.json.duplicate-key',
        severity: 'error',
      });
    if (read.moreDuplicates)
      problems.push({
        file: rel,
        pointer: '',
        message: `more than ${MAX_LISTED} member names appear twice in the file's objects: the file could be read more than one way`,
        id: 'snapshot.json.duplicate-key',
        severity: 'error',
      });
    return whole ? undefined : read;
  }
  problems.push({
    file: rel,
    pointer: '',
    message: read.message,
    id: READ_IDS[read.reason],
    severity: 'error',
  });
  return undefined;
}

/** A copy of `map` whose iteration order is sorted by key, so output built from it is stable. */
export function sortedMap<V>(map: ReadonlyMap<string, V>): ReadonlyMap<string, V> {
  return new Map([...map.entries()].sort((a, b) => compareNames(a[0], b[0])));
}
