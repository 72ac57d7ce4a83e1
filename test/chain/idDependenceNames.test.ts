/**
 * A link whose resource (or aws:SourceArn) holds an id no input gives is Unknown when the
 * answer depends on the id, naming the statement and the text in it that matches some ids and
 * not others (resolveLink.ts idDependence). The statement named is one that does match as the
 * evaluator matches: StringEquals takes no wildcards, a Resource is compared with its case,
 * while actions and condition keys are compared without case.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import type { ReportLink } from '../../src/report/types.js';
import { editJson, inScenarioCopy, type Json } from './scenarioCopy.js';

const SCENARIO = 'fixtures/scenarios/all-providers';
const IAM = '111111111111/iam.json';
const EXEC_ROLE = 'arn:aws:iam::111111111111:role/platform-cfn-exec';
const STACK = 'arn:aws:cloudformation:us-east-1:111111111111:stack/platform-web';
const ID = '0f5a7c2e-1b3d-4e6f-8a9b-0c1d2e3f4a5b';
const SOME_IDS =
  'which matches some ids of stack `platform-web` and not others, and no input gives the id of stack `platform-web`';

function role(iam: Json, name: string): Json {
  return (iam['RoleDetailList'] as Json[]).find((r) => r['RoleName'] === name)!;
}

function links(edit: (iam: Json) => void): ReportLink[] {
  return inScenarioCopy(SCENARIO, (dir) => {
    editJson(join(dir, IAM), edit);
    return analyzeModel(loadSnapshot(dir), {
      pipelines: ['platform-web'],
    }).pipelines[0]!.links.slice();
  });
}

/** The links that assume the execution role, once its trust policy is `statements`. */
function assumeExec(statements: Json[]): ReportLink[] {
  const ls = links((iam) => {
    (role(iam, 'platform-cfn-exec')['AssumeRolePolicyDocument'] as Json)['Statement'] = statements;
  }).filter(
    (l) => l.requirement === 'cloudformation.assume-execution-role' && l.resource === EXEC_ROLE,
  );
  expect(ls.length).toBeGreaterThan(0);
  return ls;
}

const trust = (sid: string, action: string, condition: Json): Json => ({
  Sid: sid,
  Effect: 'Allow',
  Principal: { Service: 'cloudformation.amazonaws.com' },
  Action: action,
  Condition: condition,
});

describe('the statement an id-dependent link names', () => {
  it('an action and a condition key written in another case are still named', () => {
    // IAM compares actions and condition key names without case
    for (const l of assumeExec([
      trust('Prefix', 'STS:AssumeRole', { StringLike: { 'AWS:SourceArn': `${STACK}/0*` } }),
    ])) {
      expect(l.decision, l.id).toBe('Unknown');
      expect(l.why, l.id).toContain(
        `(statement \`Prefix\`) names \`${STACK}/0*\` in a condition on \`aws:SourceArn\`, ${SOME_IDS}`,
      );
    }
  });

  it('StringEquals takes no wildcards: its `…/0*` matches no id, and is not named', () => {
    // `Literal` comes first, but only `Prefix` (StringLike) matches some ids and not others
    for (const l of assumeExec([
      trust('Literal', 'sts:AssumeRole', { StringEquals: { 'aws:SourceArn': `${STACK}/0*` } }),
      trust('Prefix', 'STS:AssumeRole', { StringLike: { 'AWS:SourceArn': `${STACK}/0*` } }),
    ])) {
      expect(l.decision, l.id).toBe('Unknown');
      expect(l.why, l.id).toContain(
        `(statement \`Prefix\`) names \`${STACK}/0*\` in a condition on \`aws:SourceArn\`, ${SOME_IDS}`,
      );
      expect(l.why, l.id).not.toContain('Literal');
    }
  });

  it('a policy variable may be any text: the statement with one is named', () => {
    const withVariable =
      'arn:aws:cloudformation:${aws:RequestedRegion}:111111111111:stack/platform-web/0*';
    for (const l of assumeExec([
      trust('Prefix', 'sts:AssumeRole', { StringLike: { 'aws:SourceArn': withVariable } }),
    ])) {
      expect(l.decision, l.id).toBe('Unknown');
      expect(l.why, l.id).toContain(
        `(statement \`Prefix\`) names \`${withVariable}\` in a condition on \`aws:SourceArn\`, ${SOME_IDS}`,
      );
    }
  });

  it('a Resource in another case names no stack of this one: the one in its case is named', () => {
    const upper = `arn:aws:cloudformation:us-east-1:111111111111:stack/PLATFORM-WEB/${ID}`;
    const ls = links((iam) => {
      for (const p of role(iam, 'platform-pipeline-role')['RolePolicyList'] as Json[])
        for (const s of (p['PolicyDocument'] as Json)['Statement'] as Json[])
          if (s['Sid'] === 'CloudFormationStacks')
            s['Resource'] = (s['Resource'] as string[]).flatMap((r) =>
              r === `${STACK}/*` ? [upper, `${STACK}/${ID}`] : [r],
            );
    }).filter((l) => l.resource === `${STACK}/*`);
    expect(ls.length).toBeGreaterThan(0);
    for (const l of ls) {
      expect(l.decision, l.id).toBe('Unknown');
      expect(l.why, l.id).toContain(
        `statement \`CloudFormationStacks\` names \`${STACK}/${ID}\` in its Resource element, and whether that is the id of stack \`platform-web\` is not known`,
      );
      expect(l.why, l.id).not.toContain('PLATFORM-WEB');
    }
  });
});
