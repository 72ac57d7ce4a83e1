/**
 * `permchain analyze --template` with secrets in the template and its parameters (a NoEcho
 * parameter given with --parameter, used in a PLAINTEXT variable of the project and of the
 * action and in an inline buildspec; a literal PLAINTEXT value; a literal in the buildspec), a
 * hostile logical id and a hostile stage name from a parameter: no secret reaches any format,
 * and the names are shown escaped.
 */
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/runCli.js';

const ROOT = resolve(__dirname, '../..');
const SECRETS = [
  'NoEchoParamSecret-77',
  'TemplateBuildspecSecret-42',
  'TemplatePlaintextSecret-99',
] as const;
const STAGE = 'St </script>@octo #1 [x](https://evil.example)';

let dir: string;
let files: Record<string, string>;
let code: number;
let stdout: string;
let stderr: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'permchain-template-secrets-'));
  cpSync(join(ROOT, 'fixtures/demo'), join(dir, 'snap'), { recursive: true });
  cpSync(join(__dirname, 'hostileTemplate.yaml'), join(dir, 't.yaml'));
  const args = [
    'analyze',
    'snap',
    '--template',
    't.yaml',
    '--account',
    '111111111111',
    '--region',
    'us-east-1',
    '--parameter',
    `DbPassword=${SECRETS[0]}`,
    '--parameter',
    `StageName=${STAGE}`,
  ];
  const all = await runCli(
    dir,
    ...args,
    '--format',
    'text,json,sarif,junit,markdown,github,mermaid,dot,html',
    '--output-dir',
    'out',
  );
  code = all.code;
  stderr = all.err;
  files = {};
  for (const f of readdirSync(join(dir, 'out')))
    files[f] = readFileSync(join(dir, 'out', f), 'utf8');
  const text = await runCli(dir, ...args);
  stdout = text.out;
  stderr += text.err;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('analyze --template with secrets and hostile names', () => {
  it('analyzes the template pipeline, named after the stack and its logical id', () => {
    expect(code).toBe(1);
    expect(Object.keys(files)).toHaveLength(9);
    const report = JSON.parse(files['report.json']!) as { pipelines: { name: string }[] };
    expect(report.pipelines.map((p) => p.name)).toContain(
      't-Evil</script><script>alert(1)</script>"\'|@octo-1D2WTMHQFJER2',
    );
  });

  it('shows no secret in any format, on stdout or on stderr', () => {
    for (const s of SECRETS) {
      for (const [name, content] of Object.entries(files)) {
        expect(content.includes(s), `${s} in ${name}`).toBe(false);
      }
      expect(stdout.includes(s)).toBe(false);
      expect(stderr.includes(s)).toBe(false);
    }
  });

  it('escapes the logical id and the stage name from a parameter', () => {
    expect(files['report.html']).not.toMatch(/<script/i);
    expect(files['report.html']).toContain('St &lt;/script&gt;@octo #1 [x](https://evil.example)');
    const md = files['report.md']!;
    expect(md).toContain(
      'Evil&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&#124;&#64;<!-- -->octo-1D2WTMHQFJER2',
    );
    expect(md).toContain(
      'St &lt;/script&gt;&#64;<!-- -->octo &#35;<!-- -->1 &#91;x&#93;(https&#58;//evil.example)',
    );
  });
});
