/**
 * Errors of the file system, as the CLI reports them: one line naming the path, exit 2, never a
 * stack trace. Node leaves the path out of errors raised after a file was opened (a write on a
 * full disk, a read of a folder), so writes go through writeOutputFile, which adds it.
 */
import {
  closeSync,
  copyFileSync,
  fchmodSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { landingPath } from './outputPath.js';

const FS_CODES: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a folder',
  ENOTDIR: 'a part of the path is not a folder',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large',
  EIO: 'input/output error',
  EBUSY: 'busy (in use, or a mount point)',
  EEXIST: 'already exists',
  ELOOP: 'too many levels of symbolic links (a loop)',
  ENAMETOOLONG: 'file name too long',
};

/** What an error code means, in words (the code itself when it has none here). */
export function describeErrorCode(code: string): string {
  return FS_CODES[code] ?? code;
}

/** `path: what went wrong` for an error of the file system, else undefined. */
export function fileSystemError(err: unknown): string | undefined {
  if (!(err instanceof Error)) return undefined;
  const { code, path } = err as { code?: unknown; path?: unknown };
  if (typeof code !== 'string' || typeof path !== 'string') return undefined;
  return `${path}: ${describeErrorCode(code)}`;
}

/**
 * Write chunks to a file, whole or not at all: they go to a temporary file beside it
 * (`.permchain-<pid>.tmp`, short, so a long file name still fits), renamed over it once the last
 * chunk is written (a rename is atomic within a file system). A run stopped or failing half way
 * (Ctrl-C, a full disk, an error of the analysis, which runs as the report is written) leaves the
 * previous report as it was, never a truncated one a CI step would read as valid; a run killed
 * by a signal leaves its temporary file behind. A symbolic link is written through (its target
 * is replaced), and the file keeps its mode. Written in place, as before: a target that is not a
 * regular file (a device), one with other hard links (they would keep the old text), and, when
 * the temporary file cannot be made or renamed over it (a folder the user may not write, a file
 * bind-mounted into a container: EBUSY), from the temporary file's copy. An error of the file
 * system names the file.
 */
export function writeOutputFile(file: string, chunks: Iterable<string>): void {
  const target = landingPath(file);
  const stat = statSync(target, { throwIfNoEntry: false });
  if (stat !== undefined && (!stat.isFile() || stat.nlink > 1)) {
    writeInPlace(file, chunks);
    return;
  }
  const temp = join(dirname(target), `.permchain-${process.pid}.tmp`);
  let fd: number;
  try {
    fd = openSync(temp, 'wx');
  } catch {
    writeInPlace(file, chunks);
    return;
  }
  let renamed = false;
  try {
    try {
      // the mode of the file it replaces, whatever the umask
      if (stat !== undefined) fchmodSync(fd, stat.mode & 0o7777);
      for (const chunk of chunks) writeSync(fd, chunk);
    } finally {
      closeSync(fd);
    }
    try {
      renameSync(temp, target);
      renamed = true;
    } catch {
      // the whole report is in the temporary file: copied over the file in place
      copyFileSync(temp, target);
    }
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { dest?: string };
    // the temporary file is an inner detail: the error names the file asked for
    if (
      err instanceof Error &&
      typeof e.code === 'string' &&
      (e.path === undefined || e.path === temp || e.dest === target)
    ) {
      e.path = file;
      delete e.dest;
    }
    throw err;
  } finally {
    if (!renamed) rmSync(temp, { force: true });
  }
}

function writeInPlace(file: string, chunks: Iterable<string>): void {
  try {
    const fd = openSync(file, 'w');
    try {
      for (const chunk of chunks) writeSync(fd, chunk);
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (err instanceof Error && typeof e.code === 'string' && e.path === undefined) e.path = file;
    throw err;
  }
}
