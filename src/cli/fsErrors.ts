/**
 * Errors of the file system, as the CLI reports them: one line naming the path, exit 2, never a
 * stack trace. Node leaves the path out of errors raised after a file was opened (a write on a
 * full disk, a read of a folder), so writes go through writeOutputFile, which adds it.
 */
import { closeSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
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
 * Write chunks to a file, whole or not at all: they go to a temporary file beside it, renamed
 * over it once the last chunk is written (a rename is atomic within a file system). A run
 * stopped or failing half way (Ctrl-C, a full disk, an error of the analysis, which runs as the
 * report is written) leaves the previous report as it was, never a truncated one a CI step
 * would read as valid; a run killed by a signal leaves its temporary file
 * (`.<name>.permchain-<pid>.tmp`) behind. A symbolic link is written through (its target is replaced); the file
 * keeps its permissions. A target that exists and is not a regular file (a device) is written in
 * place. An error of the file system names the file.
 */
export function writeOutputFile(file: string, chunks: Iterable<string>): void {
  const target = landingPath(file);
  const stat = statSync(target, { throwIfNoEntry: false });
  // a device or FIFO (the CLI refuses them as outputs; a caller of this function may not) is
  // written to as it is, never replaced by a regular file
  if (stat !== undefined && !stat.isFile()) {
    writeInPlace(file, chunks);
    return;
  }
  const temp = join(dirname(target), `.${basename(target)}.permchain-${process.pid}.tmp`);
  let written = false;
  try {
    const mode = stat?.mode;
    const fd = openSync(temp, 'w', mode === undefined ? 0o666 : mode & 0o7777);
    try {
      for (const chunk of chunks) writeSync(fd, chunk);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, target);
    written = true;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    // the temporary file is an inner detail: the error names the file asked for
    if (
      err instanceof Error &&
      typeof e.code === 'string' &&
      (e.path === undefined || e.path === temp)
    )
      e.path = file;
    throw err;
  } finally {
    if (!written) rmSync(temp, { force: true });
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
