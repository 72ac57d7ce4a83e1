/**
 * The AWS SDK is loaded only by `permchain crawl`. Two real checks:
 *  1. the static import graph from src/cli/main.ts (type-only imports and dynamic `import()`
 *     excluded, as the compiler erases / defers them) reaches no `@aws-sdk/*` module;
 *  2. at run time, a Node module-resolution hook records every module resolved while
 *     src/cli/main.ts is imported and `simulate`, `analyze` and `--help` run: no `@aws-sdk/*` among them.
 *     A positive control then loads the SDK the way the crawler does and sees the hook catch it.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { register } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Static, value-level import specifiers of one TypeScript source. */
function staticImports(source: string): string[] {
  const out: string[] = [];
  // `import x from '...'`, `import {a} from '...'`, `export {a} from '...'`, `import '...'`
  const re = /^\s*(import|export)\s+(type\s+)?([^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm;
  for (const m of source.matchAll(re)) {
    if (m[2]) continue; // `import type` / `export type`: erased
    if (m[3] !== undefined && /^\{[^}]*\}\s+from\s+$/.test(m[3].trim() + ' ')) {
      // `import { type A, type B } from`: erased when every binding is a type
      const names = m[3]
        .replace(/from\s+$/, '')
        .replace(/[{}]/g, '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      if (names.length > 0 && names.every((n) => n.startsWith('type '))) continue;
    }
    out.push(m[4] ?? '');
  }
  return out;
}

function staticGraph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    for (const spec of staticImports(readFileSync(file, 'utf8'))) {
      if (spec.startsWith('.')) {
        const target = resolve(dirname(file), spec.replace(/\.js$/, '.ts'));
        if (existsSync(target)) visit(target);
        else packages.add(`missing:${spec}`);
      } else packages.add(spec);
    }
  };
  visit(entry);
  return { files, packages };
}

describe('the AWS SDK is loaded only by crawl', () => {
  it('no static import path from src/cli/main.ts reaches @aws-sdk', () => {
    const { files, packages } = staticGraph(join(ROOT, 'src/cli/main.ts'));
    // the graph really covers the crawl command and its readers
    expect(files).toContain(join(ROOT, 'src/cli/crawl.ts'));
    expect(files).toContain(join(ROOT, 'src/crawl/readS3.ts'));
    expect(files).toContain(join(ROOT, 'src/crawl/sdk.ts'));
    expect(
      [...packages].filter((p) => p.startsWith('@aws-sdk/') || p.startsWith('@smithy/')),
    ).toEqual([]);
    // and the SDK is there, behind dynamic imports
    expect(readFileSync(join(ROOT, 'src/crawl/sdk.ts'), 'utf8')).toMatch(
      /import\('@aws-sdk\/client-s3'\)/,
    );
  });

  it('the SDK is imported nowhere else in src/', () => {
    const { files } = staticGraph(join(ROOT, 'src/cli/main.ts'));
    for (const file of files) {
      if (file === join(ROOT, 'src/crawl/sdk.ts')) continue;
      expect({ file, dynamic: /import\(\s*['"]@aws-sdk/.test(readFileSync(file, 'utf8')) }).toEqual(
        {
          file,
          dynamic: false,
        },
      );
    }
  });

  it('running another command resolves no @aws-sdk module; the crawler does', async () => {
    const { port1, port2 } = new MessageChannel();
    const resolved: string[] = [];
    port1.on('message', (m: string) => resolved.push(m));
    port1.unref();
    const hook = `
      let port;
      export function initialize(data) { port = data.port; }
      export async function resolve(specifier, context, next) {
        const r = await next(specifier, context);
        port.postMessage(specifier + ' -> ' + r.url);
        return r;
      }`;
    register('data:text/javascript,' + encodeURIComponent(hook), {
      data: { port: port2 },
      transferList: [port2],
    });
    const settle = () => new Promise((r) => setTimeout(r, 50));

    const dir = mkdtempSync(join(tmpdir(), 'permchain-iso-'));
    try {
      const request = join(dir, 'request.json');
      writeFileSync(
        request,
        JSON.stringify({
          principal: 'arn:aws:iam::111111111111:role/r',
          action: 's3:GetObject',
          resource: 'arn:aws:s3:::b/k',
          identityPolicies: [
            {
              Version: '2012-10-17',
              Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }],
            },
          ],
        }),
      );
      const { main } = await import('../../src/cli/main.js');
      const { memoryIo } = await import('../../src/cli/io.js');
      const io = memoryIo(dir);
      expect(await main(['node', 'permchain', 'simulate', '--request', request], io)).toBe(0);
      expect(await main(['node', 'permchain', '--help'], memoryIo(dir))).toBe(0);
      // the product's main job: analyze (snapshot and template inputs) never loads the SDK
      const demo = join(__dirname, '..', '..', 'fixtures', 'demo');
      expect(
        await main(['node', 'permchain', 'analyze', demo, '--format', 'json'], memoryIo(dir)),
      ).toBe(1);
      const template = join(
        __dirname,
        '..',
        '..',
        'fixtures',
        'templates',
        'demo-pipeline-v2.yaml',
      );
      expect(
        await main(
          [
            'node',
            'permchain',
            'analyze',
            demo,
            '--template',
            template,
            '--account',
            '111111111111',
            '--region',
            'us-east-1',
          ],
          memoryIo(dir),
        ),
      ).toBe(1);
      expect(await main(['node', 'permchain', 'crawl', '--help'], memoryIo(dir))).toBe(0);
      await settle();
      // the hook is live: it saw main's own dependencies
      expect(resolved.some((r) => r.includes('node_modules/commander/'))).toBe(true);
      expect(resolved.filter((r) => r.includes('@aws-sdk'))).toEqual([]);

      // positive control: the crawler's loader brings the SDK in, and the hook sees it
      const { loadSdk } = await import('../../src/crawl/sdk.js');
      await loadSdk('sts');
      await settle();
      expect(resolved.some((r) => r.includes('node_modules/@aws-sdk/client-sts/'))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
