/**
 * Checks on an output path, made before anything is analyzed: a report or baseline written to a
 * FIFO waited for a reader forever, and one written over an input (the --baseline file, a file
 * of the snapshot folder) destroyed it in silence. File system errors met on the way (a loop of
 * symbolic links, a part of the path that is not a folder) are thrown with their path, as
 * writing would, and reported as one line by main().
 */
import { lstatSync, readlinkSync, realpathSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, relative, resolve, sep } from 'node:path';

/** The inputs of analyze and baseline an output must stay clear of, those given. */
export function runInputs(
  cwd: string,
  given: {
    readonly input?: string | undefined;
    readonly stacks?: string | undefined;
    readonly template?: string | undefined;
    readonly baseline?: string | undefined;
    /** `--artifact` values, `[PIPELINE/]NAME=DIR`: their folders are inputs */
    readonly artifact?: readonly string[] | undefined;
  },
): RunInput[] {
  const roles: [string, string | undefined][] = [
    ['the input', given.input],
    ['the --stacks input', given.stacks],
    ['the --template file', given.template],
    ['the --baseline file', given.baseline],
  ];
  for (const a of given.artifact ?? []) {
    const eq = a.indexOf('=');
    if (eq >= 0) roles.push(['the --artifact folder', a.slice(eq + 1)]);
  }
  return roles.flatMap(([role, g]) =>
    g === undefined || g === '' ? [] : [{ role, given: g, path: resolve(cwd, g) }],
  );
}

/** The templates a stacks file names (absolute paths, shown relative to `cwd`), as inputs. */
export function templateInputs(cwd: string, templates: readonly string[]): RunInput[] {
  return templates.map((path) => ({
    role: "a stacks file's template",
    given: relative(cwd, path) || '.',
    path,
  }));
}

/** An input of the run the output must not be, nor be inside. */
export interface RunInput {
  /** how the run names it: `the input`, `the --baseline file` */
  readonly role: string;
  /** the path as the user gave it (shown) */
  readonly given: string;
  /** the path resolved against the working directory */
  readonly path: string;
}

/** What kind of thing a path that is not a regular file is, in words. */
function kindOf(stat: Stats): string {
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  if (stat.isSocket()) return 'a socket';
  return 'neither a file nor a folder';
}

/**
 * Where writing `path` lands: its real path, following symbolic links, one that dangles too (the
 * write creates its target). A missing parent is left as it is: writing reports it.
 */
export function landingPath(path: string): string {
  let at = resolve(path);
  // a chain of dangling links longer than the system's own limit ends in ELOOP when written
  for (let hops = 0; hops < 64; hops++) {
    const link = lstatSync(at, { throwIfNoEntry: false });
    if (link === undefined || !link.isSymbolicLink()) break;
    if (statSync(at, { throwIfNoEntry: false }) !== undefined) return realpathSync(at);
    at = resolve(dirname(at), readlinkSync(at));
  }
  if (statSync(at, { throwIfNoEntry: false }) !== undefined) return realpathSync(at);
  let parent: string;
  try {
    parent = realpathSync(dirname(at));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return at;
    throw err;
  }
  return resolve(parent, basename(at));
}

/**
 * Why `path` cannot be written as the output named by `flag`, in one line, or undefined: it is
 * not a regular file (a FIFO, a device, a folder), or it is one of `inputs` or inside one.
 */
export function outputPathProblem(
  flag: string,
  given: string,
  path: string,
  inputs: readonly RunInput[],
): string | undefined {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (stat !== undefined && !stat.isFile())
    return `${flag} \`${given}\` is ${kindOf(stat)}: the output must be a regular file`;
  const landing = landingPath(path);
  for (const input of inputs) {
    // an input that cannot be read is the loader's to report; nothing of it can be overwritten
    let inputStat: Stats | undefined;
    let real: string;
    try {
      inputStat = statSync(input.path, { throwIfNoEntry: false });
      if (inputStat === undefined) continue;
      real = realpathSync(input.path);
    } catch {
      continue;
    }
    // a hard link is the same file under another name
    const same =
      real === landing ||
      (stat !== undefined && inputStat.dev === stat.dev && inputStat.ino === stat.ino);
    if (same)
      return `${flag} \`${given}\` is ${input.role} \`${input.given}\`: writing it would overwrite an input of this run`;
    if (inputStat.isDirectory() && landing.startsWith(real.endsWith(sep) ? real : real + sep))
      return `${flag} \`${given}\` is inside ${input.role} \`${input.given}\`: writing it would change an input of this run`;
  }
  return undefined;
}

/**
 * An output folder (`--output-dir`, crawl's `--out`) that exists and is not a folder, or is a
 * symbolic link whose target does not exist (making the folder fails on it), in one line, else
 * undefined: a missing folder is made.
 */
export function outputFolderProblem(flag: string, given: string, path: string): string | undefined {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (stat === undefined) {
    if (lstatSync(path, { throwIfNoEntry: false })?.isSymbolicLink())
      return `${flag} \`${given}\` is a symbolic link whose target does not exist, not a folder`;
    return undefined;
  }
  if (stat.isDirectory()) return undefined;
  return `${flag} \`${given}\` is not a folder (it is ${stat.isFile() ? 'a file' : kindOf(stat)})`;
}

/**
 * An output file whose folder does not exist, in one line, else undefined: said before anything
 * is analyzed (writing would fail only after the whole analysis).
 */
export function missingFolderProblem(
  flag: string,
  given: string,
  path: string,
): string | undefined {
  const folder = dirname(landingPath(path));
  if (statSync(folder, { throwIfNoEntry: false }) !== undefined) return undefined;
  return `${flag} \`${given}\`: the folder \`${dirname(given)}\` does not exist`;
}
