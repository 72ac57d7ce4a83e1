/**
 * Write snapshot files atomically: each file goes to a temporary sibling and is renamed over the
 * target (rename is atomic within a file system), so a crawl interrupted at any point leaves every
 * file either as it was or complete, never half written. Files already in the folder that this
 * crawl did not produce are left alone (they may be hand-made with the AWS CLI). `folders` are
 * created even when no file goes in them, because an empty folder says something (an empty
 * `organization/rcp/`: there is no RCP; an empty `organization/`: whether there is an
 * organization is unknown); such a folder gets an empty `.gitkeep` so that committing the
 * snapshot to git, which keeps no empty folder, does not lose it (the loader reads only `.json`
 * files: /work/shared/snapshot-format.md, "unknown extra keys and files are ignored").
 *
 * `organization/scp/` and `organization/rcp/` are read by `analyze` as the complete set of
 * policies, so they appear all at once: their files are written into a temporary sibling folder,
 * renamed into place after every other file. A crawl that stops part way (a full disk, a name
 * too long, Ctrl-C) leaves no such folder (the policies are unknown), never some of the SCPs
 * (the missing Deny ones read as absent, their links as Allowed). A folder already there (with
 * --merge) is replaced as a whole: the crawl's set is all or none.
 *
 * A per-region list that holds only what the crawled pipelines use (`events.json`,
 * `codebuild.json`) is merged with the one already there (with --merge; a new folder has none):
 * a narrower crawl adds and replaces its entries and keeps the others (mergeLists.ts).
 *
 * A file whose name the file system refuses as too long (ENAMETOOLONG) is skipped, and the rest
 * written: it stays unknown, as a file that could not be read does (the crawl already leaves out
 * a name over 255 bytes, snapshotWriter.ts; a file system may allow less). Skipping one of a
 * whole folder leaves that folder out. The skipped paths are returned, for the caller to report.
 */
import { rename, rm, writeFile } from 'node:fs/promises';
import { lstatSync, readFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { makeDirectory } from '../fsUtil.js';
import { isMergedList, mergeListFile } from './mergeLists.js';
import type { SnapshotFile } from './snapshotWriter.js';

/** The file that keeps an empty snapshot folder in git. */
export const KEEP_FILE = '.gitkeep';

/** Folders read as a complete set: written whole, last. */
const WHOLE_FOLDERS = ['organization/scp', 'organization/rcp'] as const;

export interface WriteResult {
  /** files (or whole folders) not written because a name was too long, sorted */
  readonly skipped: readonly string[];
}

/** The text of a file already at `path`, or undefined (none, or not a readable file). */
function existingText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function nameTooLong(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === 'ENAMETOOLONG';
}

export async function writeSnapshotFiles(
  outDir: string,
  files: readonly SnapshotFile[],
  folders: readonly string[] = [],
): Promise<WriteResult> {
  const skipped = new Set<string>();
  // the pipelines this crawl read (`<account>/<region>/<name>`): their rules are all in its lists
  const crawledPipelines = new Set(
    files.flatMap((f) => {
      const m = /^(\d{12})\/([^/]+)\/codepipeline\/(.+)\.json$/.exec(f.path);
      return m ? [`${m[1]}/${m[2]}/${m[3]}`] : [];
    }),
  );
  const root = resolve(outDir);
  const inside = (path: string): string => {
    const target = resolve(root, ...path.split('/'));
    // the writer already makes names safe; this guards the invariant
    if (!target.startsWith(root + sep))
      throw new Error(`snapshot path escapes the folder: ${path}`);
    return target;
  };
  // whole folder -> the temporary sibling its files are written into
  const staged = new Map<string, string>();
  let counter = 0;
  // not named after the target: a name near the longest allowed would make it too long
  const temporary = (target: string, what: string): string =>
    join(dirname(target), `.permchain.${process.pid}.${counter++}.${what}.permchain-tmp`);
  /** Where `path` is written: inside its whole folder's temporary sibling, if it has one. */
  const placeOf = async (path: string): Promise<{ target: string; staged: boolean }> => {
    const whole = WHOLE_FOLDERS.find((w) => path === w || path.startsWith(`${w}/`));
    const target = inside(path);
    if (whole === undefined) return { target, staged: false };
    let temp = staged.get(whole);
    if (temp === undefined) {
      temp = temporary(inside(whole), 'new');
      staged.set(whole, temp);
      makeDirectory(dirname(temp));
      await rm(temp, { recursive: true, force: true });
      makeDirectory(temp);
    }
    return { target: join(temp, path.slice(whole.length)), staged: true };
  };
  try {
    for (const folder of folders) {
      const { target } = await placeOf(folder);
      makeDirectory(target);
      if (!files.some((f) => f.path.startsWith(`${folder}/`)))
        await writeFile(join(target, KEEP_FILE), '', 'utf8');
    }
    const brokenWhole = new Set<string>();
    for (const file of files) {
      const whole = WHOLE_FOLDERS.find((w) => file.path.startsWith(`${w}/`));
      if (whole !== undefined && brokenWhole.has(whole)) continue;
      const place = await placeOf(file.path);
      try {
        makeDirectory(dirname(place.target));
        // a staged file is in a folder no reader sees yet: written in place
        if (place.staged) {
          await writeFile(place.target, file.content, { encoding: 'utf8', flag: 'wx' });
          continue;
        }
        const content = isMergedList(file.path)
          ? mergeListFile(file.path, existingText(place.target), file.content, crawledPipelines)
          : file.content;
        const temp = temporary(place.target, 'file');
        try {
          await writeFile(temp, content, { encoding: 'utf8', flag: 'wx' });
          await rename(temp, place.target);
        } catch (err) {
          await rm(temp, { force: true });
          throw err;
        }
      } catch (err) {
        if (!nameTooLong(err)) throw err;
        if (whole === undefined) {
          skipped.add(file.path);
          continue;
        }
        // the folder is read as the full set: none of it rather than part
        brokenWhole.add(whole);
        skipped.add(whole);
        const temp = staged.get(whole);
        if (temp !== undefined) await rm(temp, { recursive: true, force: true });
        staged.delete(whole);
      }
    }
    // last, after every other file: each whole folder appears at once. One already there is
    // moved aside first (a folder cannot be renamed over one that holds files); stopped between
    // the two renames, the snapshot has no such folder: unknown, not partial
    for (const whole of [...staged.keys()].sort()) {
      const target = inside(whole);
      const temp = staged.get(whole)!;
      if (lstatSync(target, { throwIfNoEntry: false }) === undefined) {
        await rename(temp, target);
      } else {
        const old = temporary(target, 'old');
        await rename(target, old);
        try {
          await rename(temp, target);
        } catch (err) {
          // the folder as it was, rather than none
          await rename(old, target).catch(() => undefined);
          throw err;
        }
        await rm(old, { recursive: true, force: true });
      }
      staged.delete(whole);
    }
  } catch (err) {
    for (const temp of staged.values()) await rm(temp, { recursive: true, force: true });
    throw err;
  }
  return { skipped: [...skipped].sort() };
}
