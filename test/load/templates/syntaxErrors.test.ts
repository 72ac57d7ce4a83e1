/**
 * A template that is not valid YAML or JSON is one error line per file: the first error, with
 * its line and column. The ones after it are nearly always its consequences (a stray quote or an
 * unclosed bracket makes the rest of the file wrong), and listing them hid where to look.
 */
import { describe, expect, it } from 'vitest';
import { loadSingleTemplate } from '../../../src/load/stacks.js';
import { parseTemplateText } from '../../../src/load/templateParse.js';
import { noManagedPolicies } from '../../../src/load/managedPolicies.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// a fragment copied from a web page: a typographic closing quote, then more keys
const CURLY_QUOTE = [
  '{',
  '  "artifactStore\u201d: {',
  '    "type": "S3",',
  '    "location": "codepipeline-us-east-2-1234567890"',
  '  },',
  '  "encryptionKey": { "id": "arn:aws:kms:us-east-1:111111111111:key/k", "type": "KMS" }',
  '}',
].join('\n');
// a fragment cut out of a list: it starts with a comma
const LEADING_COMMA = [
  ',{',
  '  "name": "Deploy",',
  '  "actions": [ { "name": "A", "roleArn": "arn:aws:iam::222222222222:role/x" } ]',
  '}',
].join('\n');

describe('a YAML or JSON syntax error', () => {
  it('is one problem, the first error, with its line and column', () => {
    for (const text of [CURLY_QUOTE, LEADING_COMMA]) {
      const parsed = parseTemplateText(text, 't.json');
      expect(parsed.value).toBeUndefined();
      expect(parsed.problems.map((p) => [p.id, p.file, p.severity])).toEqual([
        ['template.syntax.invalid', 't.json', 'error'],
      ]);
    }
    // where the parser sees the string run on; and the stray comma itself
    expect(parseTemplateText(CURLY_QUOTE, 't.json').problems[0]!.message).toBe(
      'line 3, column 6: Missing , or : between flow map items',
    );
    expect(parseTemplateText(LEADING_COMMA, 't.json').problems[0]!.message).toBe(
      'line 1, column 1: Plain value cannot start with flow indicator character ,',
    );
  });

  it('a template that does not parse gives that one error and nothing else', () => {
    const dir = mkdtempSync(join(tmpdir(), 'syntax-'));
    const path = join(dir, 'fragment.json');
    writeFileSync(path, CURLY_QUOTE);
    const { model, problems } = loadSingleTemplate(path, {
      account: '111111111111',
      region: 'us-east-1',
      managedPolicies: noManagedPolicies,
    });
    expect(problems.map((p) => p.id)).toEqual(['template.syntax.invalid']);
    expect([...model.accounts.values()].flatMap((a) => [...a.regions.values()])).toEqual([]);
  });
});
