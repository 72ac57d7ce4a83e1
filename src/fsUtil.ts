/**
 * Make a folder and its missing parents, one level at a time. Node's own
 * `mkdir(..., { recursive: true })` never returns when the system answers ENOENT for a parent
 * that exists (a folder under /proc, for one): it tries again forever. Here each missing level
 * is made once, so a bad path fails with the system's error after at most one try per level.
 */
import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export function makeDirectory(path: string): void {
  const missing: string[] = [];
  let at = resolve(path);
  for (;;) {
    const kind = kindOf(at);
    if (kind === 'folder') break;
    if (kind === 'other') {
      // a file where a folder should be: the path itself (EEXIST, from the system), or a parent
      if (missing.length === 0) mkdirSync(at);
      const child = missing[missing.length - 1]!;
      throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${child}'`), {
        code: 'ENOTDIR',
        path: child,
      });
    }
    missing.push(at);
    const parent = dirname(at);
    if (parent === at) break;
    at = parent;
  }
  for (let i = missing.length - 1; i >= 0; i--) mkdirSync(missing[i]!);
}

function kindOf(path: string): 'folder' | 'other' | 'none' {
  try {
    return statSync(path).isDirectory() ? 'folder' : 'other';
  } catch {
    return 'none';
  }
}
