/**
 * Every catalog placeholder a link's resource may leave unsettled has words
 * (src/chain/placeholderWords.ts), so a report never shows `${Name}`: a whole value is
 * `<words> (not known)`, one inside an ARN `<<words>, not known>`; other `${...}` stay.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { placeholdersInWords, wordsOf } from '../../src/chain/placeholderWords.js';

/** Filled from the pipeline and action for every link (catalog.ts fillKnown). */
const ALWAYS_SETTLED = new Set([
  'Partition',
  'Region',
  'Account',
  'ActionRegion',
  'ActionAccount',
  'PrincipalAccount',
  'PipelineName',
  'StageName',
  'ActionName',
]);

function resourcePlaceholders(): Set<string> {
  const out = new Set<string>();
  const walk = (o: unknown, key?: string): void => {
    if (Array.isArray(o)) for (const v of o) walk(v, key);
    else if (o !== null && typeof o === 'object')
      for (const [k, v] of Object.entries(o)) walk(v, k);
    else if (typeof o === 'string' && (key === 'resource' || key === 'alternativeResource'))
      for (const m of o.matchAll(/\$\{([\w.]+)\}/g)) out.add(m[1]!);
  };
  const dir = 'policies/requirements';
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.json')))
    walk(JSON.parse(readFileSync(join(dir, f), 'utf8')));
  return out;
}

describe('catalog placeholders in words', () => {
  it('every placeholder of a catalog resource that may stay unsettled has words', () => {
    const names = [...resourcePlaceholders()].filter((n) => !ALWAYS_SETTLED.has(n));
    expect(names.length).toBeGreaterThan(40);
    expect(names.filter((n) => wordsOf(n) === undefined)).toEqual([]);
  });

  it('a whole value, a value inside an ARN, and text that quotes one', () => {
    expect(placeholdersInWords('${CodeBuild.SecretArn}')).toBe(
      'the Secrets Manager secrets the build reads (not known)',
    );
    expect(
      placeholdersInWords(
        'arn:aws:ecs:us-east-1:111111111111:task-definition/${Ecs.TaskDefinitionFamily}:*',
      ),
    ).toBe(
      'arn:aws:ecs:us-east-1:111111111111:task-definition/<the task definition family, not known>:*',
    );
    expect(
      placeholdersInWords('arn:aws:s3:::${CodeBuild.S3LogsBucket}/${Config.S3ObjectKey}'),
    ).toBe(
      "arn:aws:s3:::<the bucket of the CodeBuild project's S3 logs, not known>/<the action's S3ObjectKey, not known>",
    );
    // a fix template's own variables are not catalog placeholders
    expect(placeholdersInWords('allow `${Action}` on `${Resource}`')).toBe(
      'allow `${Action}` on `${Resource}`',
    );
  });
});
