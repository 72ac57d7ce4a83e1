/**
 * Write snapshot files atomically: each file goes to a temporary sibling and is renamed over the
 * target (rename is atomic within a file system), so a crawl interrupted at any point leaves every
 * file either as it was or complete, never half written. Files already in the folder that this
 * crawl did not produce are left alone (they may be hand-made with the AWS CLI), but for those
 * it withholds (below). `folders` are
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
 * whole folder leaves that folder out (leftOutWith). The skipped paths are returned, for the
 * caller to report.
 *
 * What the crawl withholds (conflicting or incomplete data: planSnapshotFiles' `withheld`) is
 * removed from the folder before anything is written, when an earlier crawl (with --merge) left
 * a copy there, and so is what is skipped here, as it is skipped: `analyze` would read that copy
 * as current, where it is unknown now (an old
 * `accounts.json` listing an account whose membership is now unknown, an old `scp/` folder
 * without a new Deny). Only those paths are removed, each only inside the snapshot folder: a
 * file of a pipeline or account this crawl did not read is never one of them. A whole folder is
 * moved aside at once, then deleted, so that no part of it is ever read as the full set. The
 * removed files are returned, sorted.
 */
import { readdir, rename, rm, writeFile } from 'node:fs/promises';
import { lstatSync, readFileSync, realpathSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { makeDirectory } from '../fsUtil.js';
import { isMergedList, mergeListFile } from './mergeLists.js';
import { leftOutWith, wholeFolderOf, type SnapshotFile } from './snapshotWriter.js';

/** The file that keeps an empty snapshot folder in git. */
export const KEEP_FILE = '.gitkeep';

/** What to write: a crawl's result (CrawlResult) has every field. */
export interface SnapshotToWrite {
  readonly files: readonly SnapshotFile[];
  /** folders to create even when empty (an empty `organization/rcp/` says there is no RCP) */
  readonly folders?: readonly string[];
  /** files and whole folders the crawl withholds: an earlier copy of them is removed */
  readonly withheld?: readonly string[];
  /**
   * `account/region/name` of every pipeline the crawl read: their rules in a merged
   * `events.json` are the new crawl's alone (mergeLists.ts)
   */
  readonly pipelines?: readonly string[];
}

export interface WriteResult {
  /** files (or whole folders) not written because a name was too long, sorted */
  readonly skipped: readonly string[];
  /**
   * files an earlier crawl left that were removed, as this one withholds or skips them (a
   * folder with no file in it: its path and `/`), sorted
   */
  readonly removed: readonly string[];
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

/** The files under `dir` (not following symbolic links), relative and `/`-separated. */
async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isDirectory())
      out.push(...(await filesUnder(join(dir, entry.name))).map((n) => `${entry.name}/${n}`));
    else out.push(entry.name);
  }
  return out;
}

export async function writeSnapshotFiles(
  outDir: string,
  snapshot: SnapshotToWrite,
): Promise<WriteResult> {
  const { files, folders = [], withheld = [] } = snapshot;
  const skipped = new Set<string>();
  const removed: string[] = [];
  // the pipelines this crawl read: their rules are all in its lists
  const crawledPipelines = new Set(snapshot.pipelines ?? []);
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
  /**
   * Remove an earlier copy of `path` (a file, or a folder as a whole), when there is one; the
   * files it held go into `removed`. Never through a symbolic link that leads out of the folder.
   */
  const removeOld = async (path: string): Promise<void> => {
    const target = inside(path);
    let parent: string;
    try {
      parent = realpathSync(dirname(target));
    } catch {
      return; // no folder for it: nothing there (or a name too long for any file to have)
    }
    const realRoot = realpathSync(root);
    if (parent !== realRoot && !parent.startsWith(realRoot + sep))
      throw new Error(`snapshot path leads out of the folder through a symbolic link: ${path}`);
    const real = join(parent, basename(target));
    let stat;
    try {
      stat = lstatSync(real, { throwIfNoEntry: false });
    } catch {
      return; // ENAMETOOLONG: no such file can be there
    }
    if (stat === undefined) return;
    // a symbolic link is removed, not what it leads to
    if (!stat.isDirectory()) {
      await rm(real, { force: true });
      removed.push(path);
      return;
    }
    const held = await filesUnder(real);
    // moved aside at once: a folder read as the full set is never there in part
    const old = temporary(real, 'old');
    await rename(real, old);
    await rm(old, { recursive: true, force: true });
    removed.push(...(held.length > 0 ? held.map((n) => `${path}/${n}`) : [`${path}/`]));
  };
  /** Where `path` is written: inside its whole folder's temporary sibling, if it has one. */
  const placeOf = async (path: string): Promise<{ target: string; staged: boolean }> => {
    const whole = wholeFolderOf(path);
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
    // first: a crawl stopped part way leaves no stale copy beside the new files
    for (const path of [...new Set(withheld.map(leftOutWith))].sort()) await removeOld(path);
    for (const folder of folders) {
      const { target } = await placeOf(folder);
      makeDirectory(target);
      if (!files.some((f) => f.path.startsWith(`${folder}/`)))
        await writeFile(join(target, KEEP_FILE), '', 'utf8');
    }
    for (const file of files) {
      const whole = wholeFolderOf(file.path);
      if (whole !== undefined && skipped.has(whole)) continue;
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
        // a whole folder is read as the full set: none of it rather than part
        const left = leftOutWith(file.path);
        skipped.add(left);
        const temp = staged.get(left);
        if (temp !== undefined) await rm(temp, { recursive: true, force: true });
        staged.delete(left);
        await removeOld(left);
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
  return { skipped: [...skipped].sort(), removed: removed.sort() };
}
