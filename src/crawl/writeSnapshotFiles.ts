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
 */
import { rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { makeDirectory } from '../fsUtil.js';
import type { SnapshotFile } from './snapshotWriter.js';

/** The file that keeps an empty snapshot folder in git. */
export const KEEP_FILE = '.gitkeep';

export async function writeSnapshotFiles(
  outDir: string,
  files: readonly SnapshotFile[],
  folders: readonly string[] = [],
): Promise<void> {
  const root = resolve(outDir);
  for (const folder of folders) {
    const target = resolve(root, ...folder.split('/'));
    if (!target.startsWith(root + sep))
      throw new Error(`snapshot path escapes the folder: ${folder}`);
    makeDirectory(target);
    if (!files.some((f) => f.path.startsWith(`${folder}/`)))
      await writeFile(join(target, KEEP_FILE), '', 'utf8');
  }
  let counter = 0;
  for (const file of files) {
    const target = resolve(root, ...file.path.split('/'));
    // the writer already makes names safe; this guards the invariant
    if (!target.startsWith(root + sep))
      throw new Error(`snapshot path escapes the folder: ${file.path}`);
    makeDirectory(dirname(target));
    const temp = join(dirname(target), `.${process.pid}.${counter++}.permchain-tmp`);
    try {
      await writeFile(temp, file.content, { encoding: 'utf8', flag: 'wx' });
      await rename(temp, target);
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
  }
}
