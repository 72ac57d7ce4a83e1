/**
 * README's JSON contract of `analyze --format json` names every member the report writes: a
 * member added to the report and not to README (as `allowedBy`, `declaredAt` and `location`
 * were) fails here. The runs cover an allowed, a denied, an unknown and an accepted link, a
 * template's locations (line and column) and a problem.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli as cli } from './runCli.js';

const root = resolve(__dirname, '../..');
const tmp = mkdtempSync(join(tmpdir(), 'permchain-readme-json-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/**
 * The quoted words of README's contract block: its member names, and the values it lists
 * (`"pass" | "fail"`), which are no member name of the report and so change nothing here.
 */
function readmeMembers(): Set<string> {
  const readme = readFileSync(resolve(root, 'README.md'), 'utf8');
  const at = readme.indexOf('The JSON report (`--format json`) is a contract:');
  expect(at).toBeGreaterThan(0);
  const block = /```\n([\s\S]*?)```/.exec(readme.slice(at))![1]!;
  return new Set([...block.matchAll(/"([A-Za-z]+)"/g)].map((m) => m[1]!));
}

/** Every member name of the JSON value, at any depth. */
function membersOf(value: unknown, into: Set<string>): Set<string> {
  if (Array.isArray(value)) for (const v of value) membersOf(v, into);
  else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      into.add(k);
      membersOf(v, into);
    }
  }
  return into;
}

describe("README's JSON contract of analyze", () => {
  it('names every member the report writes', async () => {
    const baseline = join(tmp, 'baseline.json');
    const written = await cli(
      root,
      'baseline',
      'fixtures/demo',
      '--output',
      baseline,
      '--expires',
      '2999-01-01',
    );
    expect(written.code).toBe(0);
    const runs = [
      ['fixtures/demo', '--baseline', baseline],
      ['fixtures/scenarios/missing-key-file'],
      [
        'fixtures/demo',
        '--template',
        'fixtures/templates/demo-pipeline-v2.yaml',
        '--account',
        '111111111111',
        '--region',
        'us-east-1',
        '--parameter',
        'NoSuchParameter=1',
      ],
    ];
    const seen = new Set<string>();
    for (const args of runs) {
      const r = await cli(root, 'analyze', ...args, '--format', 'json');
      membersOf(JSON.parse(r.out), seen);
    }
    // the runs reach what the contract is about: allowed, denied, unknown, accepted, locations
    for (const m of ['allowedBy', 'deniedBy', 'missing', 'accepted', 'declaredAt', 'line'])
      expect(seen).toContain(m);
    const documented = readmeMembers();
    // a location's members are given in words below the block
    for (const m of ['file', 'pointer', 'line', 'column']) documented.add(m);
    expect([...seen].filter((m) => !documented.has(m)).sort()).toEqual([]);
  });
});
