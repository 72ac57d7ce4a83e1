/**
 * A template, stacks file or CDK assembly outside the working directory is shown by its absolute
 * path (`/tmp/x/t.yaml`, not `../../tmp/x/t.yaml`); one inside it keeps its relative path. SARIF
 * and github still name every file relative to the working directory (code scanning needs a
 * relative reference), with `../` segments for one outside it.
 */
import { copyFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { displayPath } from '../../src/load/stacks.js';
import { root, tempFolders } from './demoCopy.js';
import { runCli as cli } from './runCli.js';

const TEMPLATE = 'fixtures/templates/demo-pipeline-v2.yaml';
const { tempDir, removeTempDirs } = tempFolders();
afterAll(removeTempDirs);

/** the template copied to a folder outside the working directory; its path, `/`-separated */
function outsideTemplate(): string {
  const file = join(tempDir('outside'), 'demo-pipeline-v2.yaml');
  copyFileSync(join(root, TEMPLATE), file);
  return file;
}

const slashed = (p: string): string => p.split('\\').join('/');
const template = (file: string): string[] => [
  'analyze',
  '--template',
  file,
  '--account',
  '111111111111',
  '--region',
  'us-east-1',
];

describe('paths outside the working directory', () => {
  it('displayPath: relative inside the working directory, absolute outside it', () => {
    expect(process.cwd()).toBe(root);
    expect(displayPath(join(root, TEMPLATE))).toBe(TEMPLATE);
    expect(displayPath(TEMPLATE)).toBe(TEMPLATE);
    expect(displayPath(root)).toBe('.');
    // a name that starts with two dots does not climb out
    expect(displayPath(join(root, '..x.yaml'))).toBe('..x.yaml');
    expect(displayPath(join(root, '..'))).toBe(slashed(join(root, '..')));
    expect(displayPath('../outside.yaml')).toBe(slashed(join(root, '../outside.yaml')));
    const file = outsideTemplate();
    expect(relative(root, file)).toMatch(/^\.\./);
    expect(displayPath(file)).toBe(slashed(file));
  });

  it('text and json name a template outside it by its absolute path', async () => {
    const file = outsideTemplate();
    const text = await cli(root, ...template(file));
    expect(text.out).toContain(`\n  (${slashed(file)}#/Resources/PipelineV2)\n`);
    expect(text.out).toContain(`declared at  ${slashed(file)}:28:15\n`);
    expect(text.out).not.toContain('../');
    const json = await cli(root, ...template(file), '--format', 'json');
    expect(json.out).toContain(JSON.stringify(slashed(file)));
    expect(json.out).not.toContain('../');
    // an unreadable one too, in its problem line
    const gone = join(tempDir('gone'), 'gone.yaml');
    const r = await cli(root, ...template(gone));
    expect(r.code).toBe(2);
    expect(r.out).toContain(
      `  error: ${slashed(gone)}: the template \`${slashed(gone)}\` cannot be read (file not found) [stacks.template.missing]\n`,
    );
  });

  it('sarif and github name it relative to the working directory, with ../ segments', async () => {
    const file = outsideTemplate();
    const rel = slashed(relative(root, file));
    expect(rel).toMatch(/^\.\.\//);
    const sarif = await cli(root, ...template(file), '--format', 'sarif');
    const uris = [...sarif.out.matchAll(/"uri": "([^"]*)"/g)].map((m) => m[1]!);
    expect(uris.length).toBeGreaterThan(0);
    expect(new Set(uris)).toEqual(new Set([encodeURI(rel)]));
    const github = await cli(root, ...template(file), '--format', 'github');
    const files = [...github.out.matchAll(/^::[a-z]+ file=([^,]*),/gm)].map((m) => m[1]!);
    expect(files.length).toBeGreaterThan(0);
    expect(new Set(files)).toEqual(new Set([rel]));
  });

  it('a template inside it keeps its relative path everywhere', async () => {
    const text = await cli(root, ...template(TEMPLATE));
    expect(text.out).toContain(`declared at  ${TEMPLATE}:28:15\n`);
    const github = await cli(root, ...template(join(root, TEMPLATE)), '--format', 'github');
    expect(github.out).toContain(`::warning file=${TEMPLATE},line=28,col=15,`);
  });
});
