/**
 * A CloudFormation action's RoleArn "is required for the following action modes: CREATE_UPDATE,
 * REPLACE_ON_FAILURE, DELETE_ONLY, CHANGE_SET_REPLACE"
 * (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CloudFormation.html).
 * Without it in one of those modes the execution role's links (iam:PassRole by the action role,
 * sts:AssumeRole by CloudFormation) are Unknown, naming the missing RoleArn, and one link
 * (cloudformation.role-arn-required) fails the action, saying why. CHANGE_SET_EXECUTE does not apply RoleArn and needs none.
 * Edits of the pass-cross-account scenario, whose `DeployProd/DeployStack` is CREATE_UPDATE.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import type { Report } from '../../src/report/types.js';

const SCENARIO = 'fixtures/scenarios/pass-cross-account';
const PIPELINE = '111111111111/us-east-1/codepipeline/orders-api.json';
const EXEC_ROLE = 'arn:aws:iam::222222222222:role/orders-api-cfn-exec';

type Json = Record<string, unknown>;

/** The scenario with the deploy action's configuration edited by `edit`, analyzed. */
function analyzeWith(edit: (configuration: Record<string, string>) => void): Report {
  const dir = mkdtempSync(join(tmpdir(), 'permchain-cfn-role-'));
  cpSync(SCENARIO, dir, { recursive: true });
  const file = join(dir, PIPELINE);
  const doc = JSON.parse(readFileSync(file, 'utf8')) as {
    pipeline: { stages: { name: string; actions: Json[] }[] };
  };
  const action = doc.pipeline.stages
    .find((s) => s.name === 'DeployProd')!
    .actions.find((a) => a['name'] === 'DeployStack')!;
  edit(action['configuration'] as Record<string, string>);
  writeFileSync(file, JSON.stringify(doc, null, 2));
  return analyzeModel(loadSnapshot(dir));
}

function roleLinks(report: Report): string[] {
  return report.pipelines[0]!.links.filter(
    (l) =>
      l.requirement === 'cloudformation.pass-role' ||
      l.requirement === 'cloudformation.assume-execution-role',
  ).map((l) => `${l.permission} ${l.decision}`);
}

describe('a CloudFormation action without RoleArn', () => {
  it('passes with its RoleArn (the scenario as it is)', () => {
    const report = analyzeWith(() => {});
    expect(report.pipelines[0]!.verdict).toBe('pass');
    expect(roleLinks(report).sort()).toEqual(['iam:PassRole Allowed', 'sts:AssumeRole Allowed']);
  });

  it.each(['CREATE_UPDATE', 'REPLACE_ON_FAILURE', 'DELETE_ONLY', 'CHANGE_SET_REPLACE'])(
    'is not allowed in mode %s: the execution role links are Unknown, naming RoleArn',
    (mode) => {
      const report = analyzeWith((c) => {
        delete c['RoleArn'];
        c['ActionMode'] = mode;
        c['ChangeSetName'] = 'orders-api-changes';
      });
      const p = report.pipelines[0]!;
      expect(p.verdict).not.toBe('pass');
      const links = p.links.filter(
        (l) =>
          l.requirement === 'cloudformation.pass-role' ||
          l.requirement === 'cloudformation.assume-execution-role',
      );
      expect(links.map((l) => `${l.permission} ${l.decision}`).sort()).toEqual([
        'iam:PassRole Unknown',
        'sts:AssumeRole Unknown',
      ]);
      for (const l of links) {
        expect(l.why).toContain('`RoleArn` is not set');
        expect(l.why).toContain(`required for ActionMode \`${mode}\``);
        expect(l.resource).not.toContain(EXEC_ROLE);
      }
      // and the action fails, saying why: the pipeline fails, not only unknown
      const required = p.links.filter((l) => l.requirement === 'cloudformation.role-arn-required');
      expect(required).toHaveLength(1);
      expect(required[0]!.decision).toBe('ImplicitlyDenied');
      expect(required[0]!.why).toContain(`need it in ActionMode \`${mode}\``);
      expect(required[0]!.fix).toContain('set `RoleArn` of `DeployProd/DeployStack`');
      // the configuration decides, not a policy: no policy reason, the link is declared at the action
      expect(required[0]!.deniedBy).toEqual([]);
      expect(required[0]!.declaredAt).toMatchObject({
        file: PIPELINE,
        pointer: '/pipeline/stages/2/actions/0',
      });
      expect(p.verdict).toBe('fail');
    },
  );

  it('with an ActionMode the input does not settle (a variable): the role links are Unknown, not dropped', () => {
    const report = analyzeWith((c) => {
      delete c['RoleArn'];
      c['ActionMode'] = '#{DeployVariables.Mode}';
    });
    const links = report.pipelines[0]!.links.filter(
      (l) =>
        l.requirement === 'cloudformation.pass-role' ||
        l.requirement === 'cloudformation.assume-execution-role',
    );
    expect(links.map((l) => `${l.permission} ${l.decision}`).sort()).toEqual([
      'iam:PassRole Unknown',
      'sts:AssumeRole Unknown',
    ]);
    for (const l of links) {
      expect(l.why).toContain('`ActionMode` is `unresolved-');
      // the reason holds the placeholder, so the link names the place that would settle it
      expect(l.why).toContain(
        '/pipeline/stages/2/actions/0/configuration/ActionMode (holds the CodePipeline variable `#{DeployVariables.Mode}`',
      );
    }
  });

  it('needs none in mode CHANGE_SET_EXECUTE', () => {
    const report = analyzeWith((c) => {
      delete c['RoleArn'];
      c['ActionMode'] = 'CHANGE_SET_EXECUTE';
      c['ChangeSetName'] = 'orders-api-changes';
    });
    expect(roleLinks(report)).toEqual([]);
    expect(
      report.pipelines[0]!.links.filter(
        (l) => l.requirement === 'cloudformation.role-arn-required',
      ),
    ).toEqual([]);
  });
});
