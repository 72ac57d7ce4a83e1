/**
 * Errors of the file system, as the CLI reports them: one line naming the path, exit 2, never a
 * stack trace. Node leaves the path out of errors raised after a file was opened (a write on a
 * full disk, a read of a folder), so writes go through writeOutputFile, which adds it.
 */
import { closeSync, openSync, writeSync } from 'node:fs';

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

/** Write chunks to a file; an error of the file system names the file. */
export function writeOutputFile(file: string, chunks: Iterable<string>): void {
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
