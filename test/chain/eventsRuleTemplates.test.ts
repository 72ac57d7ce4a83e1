/**
 * EventBridge rules of a template (AWS::Events::Rule) that start a pipeline, on a source action's
 * changes or on a schedule: what the template does not settle about a rule names the template
 * line, for both kinds of trigger alike. A rule whose `Targets` the template does not settle
 * named `events.json#/Targets/<rule>` for a source trigger, a file no template analysis has.
 */
import { describe, expect, it } from 'vitest';
import type { ReportLink } from '../../src/report/types.js';
import { eventsRuleRole, eventsTriggerLinks } from './eventsRuleRole.js';

/**
 * The trigger links of settings.yaml with its S3 source started by EventBridge
 * (PollForSourceChanges false), `parameters` declared without a value, and `resources` added.
 */
function triggerLinks(
  parameters: readonly string[],
  resources: readonly string[],
): { links: ReportLink[]; lineOf: (text: string) => number } {
  const { links, lineOf } = eventsTriggerLinks(resources, parameters);
  return {
    links: links.map((l) => ({
      ...l,
      missing: l.missing?.map((m) => m.replace(/^.*template\.yaml/, 'template.yaml')),
    })),
    lineOf,
  };
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

/** A role EventBridge may assume, that may start pipeline `app`. */
const ROLE = eventsRuleRole();

/** A rule on the S3 source's changes and on a schedule, targeting the pipeline with RuleRole. */
const rule = (state: string | undefined, roleArn = '!GetAtt RuleRole.Arn'): string[] => [
  '  OnChange:',
  '    Type: AWS::Events::Rule',
  '    Properties:',
  '      Name: app-on-change',
  '      EventPattern: { source: [aws.s3] }',
  '      ScheduleExpression: rate(1 day)',
  ...(state !== undefined ? [`      State: ${state}`] : []),
  '      Targets:',
  '        - Id: app',
  '          Arn: !Sub "arn:${AWS::Partition}:codepipeline:${AWS::Region}:${AWS::AccountId}:${Pipeline}"',
  ...(roleArn ? [`          RoleArn: ${roleArn}`] : []),
];

describe('a template rule whose State the template does not settle', () => {
  const ALL = [
    'Source/Src:trigger.assume-rule-role:sts:AssumeRole',
    'Source/Src:trigger.start-pipeline-execution:codepipeline:StartPipelineExecution',
    'trigger.schedule-assume-rule-role:sts:AssumeRole:rule/app-on-change',
    'trigger.schedule-start-pipeline-execution:codepipeline:StartPipelineExecution:rule/app-on-change',
  ];

  it('is checked as enabled when State is ENABLED or not given', () => {
    for (const state of ['ENABLED', undefined]) {
      const { links } = triggerLinks([], [...ROLE, ...rule(state)]);
      expect(brief(links)).toEqual(ALL.map((id) => `Allowed ${id} `));
    }
  });

  it('may be DISABLED: its trigger links are Unknown, naming the State line, not Allowed', () => {
    const { links, lineOf } = triggerLinks(['RuleState'], [...ROLE, ...rule('!Ref RuleState')]);
    const at = `template.yaml:${lineOf('State: !Ref RuleState')} (parameter \`RuleState\` has no value)`;
    expect(brief(links)).toEqual(ALL.map((id) => `Unknown ${id} ${at}`));
    for (const l of links)
      expect(l.why).toContain(
        'the state of EventBridge rule `app-on-change` is not settled, and a DISABLED rule starts nothing',
      );
  });

  it('a State that is not a string is not settled either (it was read as ENABLED)', () => {
    const { links, lineOf } = triggerLinks([], [...ROLE, ...rule('[DISABLED]')]);
    const at = `template.yaml:${lineOf('State: [DISABLED]')} (expected a string, got a list)`;
    expect(brief(links)).toEqual(ALL.map((id) => `Unknown ${id} ${at}`));
  });

  it('a target without RoleArn is not said to fail when the rule may be DISABLED', () => {
    const { links, lineOf } = triggerLinks(['RuleState'], [...ROLE, ...rule('!Ref RuleState', '')]);
    const at = `template.yaml:${lineOf('State: !Ref RuleState')} (parameter \`RuleState\` has no value)`;
    expect(brief(links)).toEqual(ALL.map((id) => `Unknown ${id} ${at}`));
  });
});

describe('a template rule whose EventBusName the template does not settle', () => {
  it("is Unknown as the source's trigger, naming the EventBusName line (it was taken as on the default bus: Allowed)", () => {
    // AWS services send their events to the default bus only: on another bus the rule does not
    // see the source's changes. A schedule is on the default bus whatever (its links stay)
    const { links, lineOf } = triggerLinks(
      ['RuleBus'],
      [...ROLE, ...rule(undefined), '      EventBusName: !Ref RuleBus'],
    );
    const at = `template.yaml:${lineOf('EventBusName: !Ref RuleBus')} (parameter \`RuleBus\` has no value)`;
    const source = links.filter((l) => l.id.startsWith('Source/Src:'));
    expect(brief(source)).toEqual([
      `Unknown Source/Src:trigger.assume-rule-role:sts:AssumeRole ${at}`,
      `Unknown Source/Src:trigger.start-pipeline-execution:codepipeline:StartPipelineExecution ${at}`,
    ]);
    for (const l of source)
      expect(l.why).toContain('the event bus of EventBridge rule `app-on-change` is not settled');
  });
});
