/**
 * Templates: a CodePipeline variable in an action's configuration is only known at run time
 * (https://docs.aws.amazon.com/codepipeline/latest/userguide/reference-variables.html), so the
 * links built on it are Unknown and name the template line, whichever way its literal text would
 * have gone; and the rules of stage conditions (BeforeEntry, OnSuccess, OnFailure) are checked.
 */
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../../src/chain/analyze.js';
import { loadSingleTemplate } from '../../../src/load/stacks.js';
import type { ReportLink } from '../../../src/report/types.js';

const TEMPLATE = 'test/load/templates/fixtures/variables/pipeline.yaml';
const ENV = { account: '111111111111', region: 'us-east-1' };
const CREATE = 'Deploy/Deploy:cloudformation.create-update-stack:cloudformation:CreateStack';

function links(parameters: Record<string, string> = {}): readonly ReportLink[] {
  const { model } = loadSingleTemplate(TEMPLATE, { ...ENV, parameters });
  return analyzeModel(model).pipelines[0]!.links;
}
const link = (all: readonly ReportLink[], id: string): ReportLink => all.find((l) => l.id === id)!;

describe('a CodePipeline variable in a template action', () => {
  it('a Deny that would apply: Unknown naming the template line and the variable, not Allowed', () => {
    expect(link(links({ StackName: 'core-db' }), CREATE).decision).toBe('ExplicitlyDenied');
    const create = link(links(), CREATE);
    expect(create.decision).toBe('Unknown');
    expect(create.missing).toEqual([
      `${TEMPLATE}:150 (holds the CodePipeline variable \`#{variables.StackName}\`, whose value is only known at run time)`,
    ]);
  });

  it('an allow that would match: Unknown, not denied', () => {
    expect(link(links({ Mode: 'allow', StackName: 'orders-api' }), CREATE).decision).toBe(
      'Allowed',
    );
    expect(link(links({ Mode: 'allow' }), CREATE).decision).toBe('Unknown');
  });

  it('a project named by a variable: its links are Unknown naming the line, never "does not exist"', () => {
    const all = links({ ProjectName: 'build-#{codepipeline.PipelineExecutionId}' });
    const build = all.filter((l) => l.stage === 'Build');
    expect(build.filter((l) => l.decision === 'Unknown').length).toBeGreaterThan(5);
    for (const l of build) {
      expect(l.why, l.id).not.toContain('does not exist');
      expect(l.decision, l.id).not.toMatch(/Denied/);
      if (l.decision === 'Unknown')
        expect(l.missing?.join(' '), l.id).toContain(
          `${TEMPLATE}:122 (holds the CodePipeline variable \`#{codepipeline.PipelineExecutionId}\``,
        );
    }
    // a variable is no input problem
    const { model } = loadSingleTemplate(TEMPLATE, ENV);
    expect(model.problems.filter((p) => p.message.includes('#{'))).toEqual([]);
  });
});

describe('stage condition rules in a template', () => {
  it('are checked like actions of category Rule, named by condition and rule', () => {
    const all = links({ StackName: 'orders-api' });
    const rules = all.filter((l) => /^(beforeEntry|onSuccess|onFailure)/.test(l.action ?? ''));
    expect(rules.map((l) => `${l.id} ${l.decision}`)).toEqual([
      'Deploy/beforeEntry[1]/Check:artifacts.input.get-object:s3:GetObject:arn:aws:s3:::art-bucket-111/app/Out/* Allowed',
      'Deploy/beforeEntry[1]/Check:artifacts.input.get-object-version:s3:GetObjectVersion:arn:aws:s3:::art-bucket-111/app/Out/* Allowed',
      'Deploy/beforeEntry[1]/Check:artifacts.input.kms-decrypt:kms:Decrypt Allowed',
      'Deploy/beforeEntry[1]/Check:rule-commands.logs-create-log-group:logs:CreateLogGroup Allowed',
      'Deploy/beforeEntry[1]/Check:rule-commands.logs-write:logs:CreateLogStream Allowed',
      'Deploy/beforeEntry[1]/Check:rule-commands.logs-write:logs:PutLogEvents Allowed',
      'Deploy/beforeEntry[1]/Gate:rule.permissions-not-documented Unknown',
    ]);
    expect(rules[0]!.declaredAt).toMatchObject({ file: TEMPLATE, line: 130 });
  });
});
