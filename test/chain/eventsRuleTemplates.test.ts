/**
 * EventBridge rules of a template (AWS::Events::Rule) that start a pipeline, on a source action's
 * changes or on a schedule: what the template does not settle about a rule names the template
 * line, for both kinds of trigger alike. A rule whose `Targets` the template does not settle
 * named `events.json#/Targets/<rule>` for a source trigger, a file no template analysis has.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { noManagedPolicies } from '../../src/load/managedPolicies.js';
import { loadSingleTemplate } from '../../src/load/stacks.js';
import type { ReportLink } from '../../src/report/types.js';

// pipeline `app`: an S3 source (Source/Src) on art-bucket-111, then a CodeBuild build
const BASE = 'test/load/templates/fixtures/booleans/settings.yaml';

/**
 * The trigger links of settings.yaml with its S3 source started by EventBridge
 * (PollForSourceChanges false), `parameters` declared without a value, and `resources` added.
 */
function triggerLinks(
  parameters: readonly string[],
  resources: readonly string[],
): { links: ReportLink[]; lineOf: (text: string) => number } {
  const text =
    readFileSync(BASE, 'utf8')
      .replace(
        'Parameters:\n',
        `Parameters:\n${parameters.map((p) => `  ${p}: { Type: String }\n`).join('')}`,
      )
      .replace(
        'Configuration: { S3Bucket: !Ref Bucket, S3ObjectKey: src.zip }',
        'Configuration: { S3Bucket: !Ref Bucket, S3ObjectKey: src.zip, PollForSourceChanges: "false" }',
      ) + `${resources.join('\n')}\n`;
  const dir = mkdtempSync(join(tmpdir(), 'permchain-rule-template-'));
  try {
    const file = join(dir, 'template.yaml');
    writeFileSync(file, text);
    const { model } = loadSingleTemplate(file, {
      account: '111111111111',
      region: 'us-east-1',
      managedPolicies: noManagedPolicies,
      parameters: {},
    });
    const links = analyzeModel(model)
      .pipelines[0]!.links.filter((l) => l.requirement.startsWith('trigger.'))
      .map((l) => ({
        ...l,
        missing: l.missing?.map((m) => m.replace(/^.*template\.yaml/, 'template.yaml')),
      }));
    const lines = text.split('\n');
    return { links, lineOf: (t) => lines.findIndex((l) => l.includes(t)) + 1 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const brief = (links: readonly ReportLink[]): string[] =>
  links.map((l) => `${l.decision} ${l.id} ${(l.missing ?? []).join(',')}`).sort();

describe('a template rule whose Targets the template does not settle', () => {
  it('names the rule in the template, for its source trigger and its schedule alike', () => {
    const { links, lineOf } = triggerLinks(
      ['RuleTargets'],
      [
        '  OnChange:',
        '    Type: AWS::Events::Rule',
        '    Properties:',
        '      Name: app-on-change',
        '      EventPattern: { source: [aws.s3] }',
        '      ScheduleExpression: rate(1 day)',
        '      Targets: !Ref RuleTargets',
      ],
    );
    const at = `template.yaml:${lineOf('  OnChange:')}`;
    expect(brief(links)).toEqual([
      `Unknown Source/Src:trigger.assume-rule-role:sts:AssumeRole ${at}`,
      `Unknown Source/Src:trigger.start-pipeline-execution:codepipeline:StartPipelineExecution ${at}`,
      `Unknown trigger.schedule-assume-rule-role:sts:AssumeRole:rule/app-on-change ${at}`,
      `Unknown trigger.schedule-start-pipeline-execution:codepipeline:StartPipelineExecution:rule/app-on-change ${at}`,
    ]);
    for (const l of links)
      expect(l.why).toContain(
        'the targets of EventBridge rule `app-on-change` are not in the input, so whether it targets the pipeline, and with which role, is not known',
      );
  });
});
