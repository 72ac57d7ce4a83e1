/**
 * README's "As a library" example, run as written against the package entry (src/index.ts):
 * it imports only what the entry exports, and gives the result its last comment shows.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as entry from '../../src/index.js';
import type { ParseOptions, ParseResult } from '../../src/index.js';

const root = resolve(__dirname, '../..');

function example(): string {
  const readme = readFileSync(resolve(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## As a library'));
  return /```ts\n([\s\S]*?)```/.exec(section)![1]!;
}

describe("README's library example", () => {
  it('imports what the package exports, and gives the result it shows', () => {
    const code = example();
    const imported = /^import \{ ([^}]+) \} from 'permchain';$/m.exec(code)![1]!.split(/,\s*/);
    for (const name of imported) expect(Object.keys(entry)).toContain(name.trim());
    const body = code.replace(/^import .*$/m, '');
    // the example is plain JavaScript: run it with the entry's exports in scope
    const run = new Function(...imported, `${body}\nreturn result;`) as (
      ...args: unknown[]
    ) => unknown;
    const result = run(...imported.map((n) => (entry as Record<string, unknown>)[n.trim()]));
    const shown = /^\/\/ (\{ decision: .*)$/m.exec(code)![1]!;
    expect(shown).toContain("decision: 'ImplicitlyDenied'");
    expect(result).toMatchObject({
      decision: 'ImplicitlyDenied',
      deniedBy: [{ policyType: 'resource' }],
      allowedBy: [],
      problems: [],
    });
    expect((result as { deniedBy: unknown[] }).deniedBy).toHaveLength(1);
  });

  it('parsePolicy(document, { name }) gives { policy, problems }, and evaluate takes the policy', () => {
    const options: ParseOptions = { name: 'deployer policy' };
    const parsed: ParseResult = entry.parsePolicy(
      {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'kms:ListAliases', Resource: '*' }],
      },
      options,
    );
    expect(parsed.problems).toEqual([]);
    expect(entry.isCompiledPolicy(parsed.policy)).toBe(true);
    const result = entry.evaluate({
      principal: 'arn:aws:iam::111122223333:role/deployer',
      action: 'kms:ListAliases',
      resource: '*',
      identityPolicies: [parsed.policy!],
    });
    expect(result.decision).toBe('Allowed');
    const bad = entry.parsePolicy(
      { Version: '2012-10-17', Statement: [{ Effect: 'allow' }] },
      options,
    );
    expect(bad.problems.map((p) => p.pointer)).toContain('/Statement/0/Effect');
  });
});
