/**
 * A long value from the input is shown in a message by its first 80 characters and its length
 * (shownValue), never cut by hand: a cut inside a surrogate pair left half an astral character
 * (invalid UTF-16) in the report, and the message did not say the value was longer.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { noManagedPolicies } from '../../src/load/managedPolicies.js';
import { loadSingleTemplate, loadStacksFile } from '../../src/load/stacks.js';

const TMP = mkdtempSync(join(tmpdir(), 'permchain-clipped-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** 200 characters (UTF-16 code units) whose 80th and 81st are one astral character */
const long = (head: string): string => {
  const start = head + 'x'.repeat(79 - head.length) + '𝒳';
  return start + 'y'.repeat(200 - start.length);
};

const TEMPLATE = JSON.stringify({
  Parameters: { Env: { Type: 'String' } },
  Resources: {
    Bucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: { Ref: 'Env' } } },
  },
});

function write(name: string, text: string): string {
  const path = join(TMP, name);
  writeFileSync(path, text);
  return path;
}

describe('a value of 200 characters with an astral character at the cut', () => {
  it('a `--parameter` name the template does not declare: no lone surrogate, its length', () => {
    const name = long('P');
    expect(name).toHaveLength(200);
    expect(name.charCodeAt(79)).toBe(0xd835);
    const { problems } = loadSingleTemplate(write('t.json', TEMPLATE), {
      account: '111111111111',
      region: 'us-east-1',
      parameters: { Env: 'dev', [name]: 'v' },
      managedPolicies: noManagedPolicies,
    });
    const message = problems.find((p) => p.id === 'stacks.parameter.unknown')!.message;
    expect(message).not.toMatch(LONE_SURROGATE);
    const start = name.slice(0, 79);
    expect(message).toContain(
      `\`--parameter ${start}\`… (212 characters) is given, but the template declares no parameter \`${start}\`… (200 characters)`,
    );
  });

  it('a stacks-file account: no lone surrogate, its length', () => {
    write('a.json', TEMPLATE);
    const account = long('1');
    const stacks = write(
      'stacks-account.json',
      JSON.stringify({
        stacks: [
          { name: 's', template: 'a.json', account, region: 'us-east-1', parameters: { Env: 'e' } },
        ],
      }),
    );
    const { model, problems } = loadStacksFile(stacks, { managedPolicies: noManagedPolicies });
    const error = problems.find((p) => p.id === 'stacks.account.invalid')!.message;
    const reasons = [...(model.unresolved?.values() ?? [])].map((u) => u.reason);
    expect(reasons).toHaveLength(1);
    for (const text of [error, ...reasons]) {
      expect(text).not.toMatch(LONE_SURROGATE);
      expect(text).toContain(`\`${account.slice(0, 79)}\`… (200 characters) is not an account id`);
    }
  });

  it('a stacks-file stack name and parameter name: no lone surrogate, their lengths', () => {
    write('b.json', TEMPLATE);
    const name = long('S');
    const param = long('Q');
    const stacks = write(
      'stacks-name.json',
      JSON.stringify({
        stacks: [
          {
            name,
            template: 'b.json',
            account: '111111111111',
            region: 'us-east-1',
            parameters: { Env: { not: 'a string' }, [param]: { nor: 'this' } },
          },
        ],
      }),
    );
    const { model, problems } = loadStacksFile(stacks, { managedPolicies: noManagedPolicies });
    const reasons = [...(model.unresolved?.values() ?? [])].map((u) => u.reason);
    for (const text of [...problems.map((p) => p.message), ...reasons])
      expect(text).not.toMatch(LONE_SURROGATE);
    const unknown = reasons.find((r) => r.includes('parameter `Env` of stack'));
    expect(unknown).toBeDefined();
    expect(unknown).not.toMatch(LONE_SURROGATE);
    expect(unknown).toContain(`of stack \`${name.slice(0, 79)}\`… (200 characters) is an object`);
  });

  it('a YAML alias that names no anchor: no lone surrogate, its length', () => {
    const name = long('A');
    const template = write(
      'alias.yaml',
      `Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: *${name}\n`,
    );
    const { problems } = loadSingleTemplate(template, {
      account: '111111111111',
      region: 'us-east-1',
      managedPolicies: noManagedPolicies,
    });
    const message = problems.find((p) => p.message.includes('names no anchor'))!.message;
    expect(message).not.toMatch(LONE_SURROGATE);
    const start = name.slice(0, 79);
    expect(message).toBe(
      `line 5, column 19: the alias \`*${start}\`… (201 characters) names no anchor \`&${start}\`… (201 characters) before it`,
    );
  });

  it('an `Fn::If` on a condition that is not known: no lone surrogate, its length', () => {
    const name = long('C');
    const template = write(
      'condition.json',
      JSON.stringify({
        Parameters: { Env: { Type: 'String' } },
        Conditions: { [name]: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } },
        Resources: {
          Bucket: {
            Type: 'AWS::S3::Bucket',
            Properties: { BucketName: { 'Fn::If': [name, 'prod-bucket', 'dev-bucket'] } },
          },
        },
      }),
    );
    const { model, problems } = loadSingleTemplate(template, {
      account: '111111111111',
      region: 'us-east-1',
      managedPolicies: noManagedPolicies,
    });
    const reasons = [...(model.unresolved?.values() ?? [])].map((u) => u.reason);
    for (const text of [...problems.map((p) => p.message), ...reasons])
      expect(text).not.toMatch(LONE_SURROGATE);
    const reason = reasons.find((r) => r.includes('`Fn::If` on condition'));
    expect(reason).toContain(
      `\`Fn::If\` on condition \`${name.slice(0, 79)}\`… (200 characters), which is not known`,
    );
  });
});
