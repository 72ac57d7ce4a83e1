/**
 * Every catalog placeholder a link's resource may leave unsettled has words
 * (src/chain/placeholderWords.ts), so a report never shows `${Name}`: a whole value is
 * `<words> (not known)`, one inside an ARN `<<words>, not known>`; other `${...}` stay.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PRINCIPAL_KINDS, SERVICE_PRINCIPALS } from '../../src/chain/catalogTypes.js';
import {
  callerNotKnown,
  placeholdersInWords,
  unknownCaller,
  wordsOf,
} from '../../src/chain/placeholderWords.js';

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

/**
 * A caller the input does not give is named in words, one table for both ways a report names it
 * (CALLER_WORDS): as the link's principal, and in the why of a link Unknown for it.
 */
describe('a caller the input does not give', () => {
  const kinds = PRINCIPAL_KINDS.filter((k) => SERVICE_PRINCIPALS[k] === undefined);

  it('is named in words, never by its internal name, for every kind that is not a service', () => {
    for (const kind of kinds) {
      expect(unknownCaller(kind), kind).toMatch(/^the [^()]+ \(not known\)$/);
      expect(callerNotKnown(kind), kind).toMatch(/^the [^()]+ is not known$/);
      expect(`${unknownCaller(kind)} ${callerNotKnown(kind)}`, kind).not.toContain(kind);
    }
    expect(unknownCaller('codepipelineService')).toBe('the caller (not known)');
  });

  it('keeps the words the reports show (test/scenarios/expected)', () => {
    expect(kinds.map((k) => [k, unknownCaller(k), callerNotKnown(k)])).toEqual([
      ['pipelineRole', 'the pipeline role (not known)', 'the pipeline role is not known'],
      ['actionRole', "the action's role (not known)", 'the action role is not known'],
      [
        'codebuildProjectRole',
        "the CodeBuild project's role (not known)",
        'the CodeBuild project role is not known',
      ],
      [
        'codebuildBatchRole',
        "the CodeBuild project's batch role (not known)",
        'the CodeBuild project batch role is not known',
      ],
      [
        'lambdaFunctionRole',
        "the Lambda function's role (not known)",
        'the Lambda function role is not known',
      ],
      [
        'eventsRuleRole',
        "the EventBridge rule's role (not known)",
        'the EventBridge rule role is not known',
      ],
      [
        'codedeployInstanceRole',
        "the CodeDeploy instances' role (not known)",
        'the CodeDeploy instance role is not known',
      ],
      [
        'stacksetAdministrationRole',
        "the stack set's administration role (not known)",
        'the stack set administration role is not known',
      ],
      [
        'stacksetExecutionRole',
        "the stack set's execution role (not known)",
        'the stack set execution role is not known',
      ],
      [
        'cloudformationRegionalService',
        'the regional CloudFormation service principal (not known)',
        'the regional CloudFormation service principal is not known',
      ],
    ]);
  });

  it('is named as a whole placeholder of the same role is (`<words> (not known)`)', () => {
    expect(unknownCaller('actionRole')).toBe(placeholdersInWords('${ActionRoleArn}'));
    expect(unknownCaller('eventsRuleRole')).toBe(placeholdersInWords('${EventsRule.RoleArn}'));
  });
});
