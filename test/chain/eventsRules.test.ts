/**
 * The EventBridge rules that start a pipeline: every ENABLED rule whose target is the pipeline
 * is checked with its own target role (a second rule whose role cannot start the pipeline was
 * not seen), and a DISABLED rule, which starts nothing, is not checked.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import type { ReportPipeline } from '../../src/report/types.js';

const SCENARIO = 'fixtures/scenarios/pass-cross-account';
const EVENTS = '111111111111/us-east-1/events.json';
const PIPELINE_ARN = 'arn:aws:codepipeline:us-east-1:111111111111:orders-api';
const EVENTS_ROLE = 'arn:aws:iam::111111111111:role/service-role/orders-api-events-role';
// a role of the account that EventBridge may not assume and that may not start the pipeline
const BUILD_ROLE = 'arn:aws:iam::111111111111:role/service-role/orders-api-build-role';

interface Rule {
  Name: string;
  Arn: string;
  State: string;
  EventBusName: string;
}

/**
 * The scenario with `rules` added to events.json, each targeting the pipeline with `roleArn`
 * (a rule without `roleArn` has no `Targets` entry: its targets were not read).
 */
function analyze(rules: { name: string; state: string; roleArn?: string }[]): ReportPipeline {
  const dir = mkdtempSync(join(tmpdir(), 'permchain-events-'));
  cpSync(SCENARIO, dir, { recursive: true });
  const file = join(dir, EVENTS);
  const events = JSON.parse(readFileSync(file, 'utf8')) as {
    Rules: Rule[];
    Targets: Record<string, { Id: string; Arn: string; RoleArn: string }[]>;
  };
  for (const r of rules) {
    events.Rules.push({
      Name: r.name,
      Arn: `arn:aws:events:us-east-1:111111111111:rule/${r.name}`,
      State: r.state,
      EventBusName: 'default',
    });
    if (r.roleArn !== undefined)
      events.Targets[r.name] = [{ Id: 'pipeline', Arn: PIPELINE_ARN, RoleArn: r.roleArn }];
  }
  writeFileSync(file, JSON.stringify(events));
  const report = analyzeModel(loadSnapshot(dir));
  expect(report.problems).toEqual([]);
  return report.pipelines[0]!;
}

const triggers = (p: ReportPipeline): string[] =>
  p.links
    .filter((l) => l.requirement.startsWith('trigger.'))
    .map((l) => `${l.decision} ${l.id} ${l.principal}`);

describe('the EventBridge rules that start a pipeline', () => {
  it('checks the one rule as before, with link ids that do not name it', () => {
    const p = analyze([]);
    expect(p.verdict).toBe('pass');
    expect(triggers(p)).toEqual([
      'Allowed Source/Source:trigger.assume-rule-role:sts:AssumeRole events.amazonaws.com',
      `Allowed Source/Source:trigger.start-pipeline-execution:codepipeline:StartPipelineExecution ${EVENTS_ROLE}`,
    ]);
  });

  it('checks every enabled rule, each with its own role', () => {
    // `z-second-rule` sorts after the working rule: only the first rule was checked, and the
    // pipeline passed (the DISABLED test below has the broken rule first)
    const p = analyze([{ name: 'z-second-rule', state: 'ENABLED', roleArn: BUILD_ROLE }]);
    expect(p.verdict).toBe('fail');
    expect(triggers(p)).toEqual([
      'Allowed Source/Source:trigger.assume-rule-role:sts:AssumeRole:rule/orders-api-main-branch events.amazonaws.com',
      `Allowed Source/Source:trigger.start-pipeline-execution:codepipeline:StartPipelineExecution:rule/orders-api-main-branch ${EVENTS_ROLE}`,
      'ImplicitlyDenied Source/Source:trigger.assume-rule-role:sts:AssumeRole:rule/z-second-rule events.amazonaws.com',
      `ImplicitlyDenied Source/Source:trigger.start-pipeline-execution:codepipeline:StartPipelineExecution:rule/z-second-rule ${BUILD_ROLE}`,
    ]);
    const assume = p.links.find(
      (l) => l.id.endsWith(':rule/z-second-rule') && l.requirement === 'trigger.assume-rule-role',
    )!;
    expect(assume.resource).toBe(BUILD_ROLE);
    expect(assume.why).toContain('EventBridge rule `z-second-rule`');
  });

  it('does not check a DISABLED rule, which starts nothing', () => {
    const p = analyze([{ name: 'a-disabled-rule', state: 'DISABLED', roleArn: BUILD_ROLE }]);
    expect(p.verdict).toBe('pass');
    expect(triggers(p)).toEqual([
      'Allowed Source/Source:trigger.assume-rule-role:sts:AssumeRole events.amazonaws.com',
      `Allowed Source/Source:trigger.start-pipeline-execution:codepipeline:StartPipelineExecution ${EVENTS_ROLE}`,
    ]);
  });

  it('leaves the trigger unknown when every rule on the pipeline is DISABLED', () => {
    const dir = mkdtempSync(join(tmpdir(), 'permchain-events-'));
    cpSync(SCENARIO, dir, { recursive: true });
    const file = join(dir, EVENTS);
    const events = JSON.parse(readFileSync(file, 'utf8')) as { Rules: Rule[] };
    events.Rules[0]!.State = 'DISABLED';
    writeFileSync(file, JSON.stringify(events));
    const p = analyzeModel(loadSnapshot(dir)).pipelines[0]!;
    expect(
      p.links
        .filter((l) => l.requirement === 'trigger.start-pipeline-execution')
        .map((l) => l.decision),
    ).toEqual(['Unknown']);
  });

  it('a target without RoleArn cannot start the pipeline: one failing link names the rule', () => {
    // CodePipeline takes no resource-based policy: EventBridge starts a pipeline only with the
    // target's role (eb-events-iam-roles.html), as the schedule path already says
    const dir = mkdtempSync(join(tmpdir(), 'permchain-events-'));
    cpSync(SCENARIO, dir, { recursive: true });
    const file = join(dir, EVENTS);
    const events = JSON.parse(readFileSync(file, 'utf8')) as {
      Targets: Record<string, { RoleArn?: string }[]>;
    };
    delete events.Targets['orders-api-main-branch']![0]!.RoleArn;
    writeFileSync(file, JSON.stringify(events));
    const report = analyzeModel(loadSnapshot(dir));
    expect(report.problems).toEqual([]);
    const p = report.pipelines[0]!;
    expect(p.verdict).toBe('fail');
    expect(triggers(p)).toEqual([
      "ImplicitlyDenied Source/Source:trigger.start-pipeline-execution:codepipeline:StartPipelineExecution the EventBridge rule's role (not known)",
    ]);
    const l = p.links.find((x) => x.requirement === 'trigger.start-pipeline-execution')!;
    expect(l.why).toContain(
      'the target of EventBridge rule `orders-api-main-branch` on the pipeline has no `RoleArn`',
    );
    expect(l.fix).toContain('give the target a `RoleArn` in rule `orders-api-main-branch`');
    expect(l.doc).toBe(
      'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-iam-roles.html',
    );
    // the rule decides, not a policy: no policy is named, the why names the rule and its target
    expect(l.deniedBy).toEqual([]);
    expect(l.why).toContain(
      `(EventBridge rule \`arn:aws:events:us-east-1:111111111111:rule/orders-api-main-branch\`, at \`${EVENTS}#/Targets/orders-api-main-branch/0\`)`,
    );
  });

  it('a second rule whose target has no RoleArn fails on its own link, beside the working one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'permchain-events-'));
    cpSync(SCENARIO, dir, { recursive: true });
    const file = join(dir, EVENTS);
    const events = JSON.parse(readFileSync(file, 'utf8')) as {
      Rules: Rule[];
      Targets: Record<string, { Id: string; Arn: string }[]>;
    };
    events.Rules.push({
      Name: 'z-no-role',
      Arn: 'arn:aws:events:us-east-1:111111111111:rule/z-no-role',
      State: 'ENABLED',
      EventBusName: 'default',
    });
    events.Targets['z-no-role'] = [{ Id: 'pipeline', Arn: PIPELINE_ARN }];
    writeFileSync(file, JSON.stringify(events));
    const p = analyzeModel(loadSnapshot(dir)).pipelines[0]!;
    expect(p.verdict).toBe('fail');
    expect(triggers(p)).toEqual([
      'Allowed Source/Source:trigger.assume-rule-role:sts:AssumeRole:rule/orders-api-main-branch events.amazonaws.com',
      `Allowed Source/Source:trigger.start-pipeline-execution:codepipeline:StartPipelineExecution:rule/orders-api-main-branch ${EVENTS_ROLE}`,
      "ImplicitlyDenied Source/Source:trigger.start-pipeline-execution:codepipeline:StartPipelineExecution:rule/z-no-role the EventBridge rule's role (not known)",
    ]);
  });

  it('a rule whose targets were not read may start the pipeline: its trigger links are Unknown', () => {
    const p = analyze([{ name: 'orders-api-release-tags', state: 'ENABLED' }]);
    const unread = p.links.filter(
      (l) => l.requirement.startsWith('trigger.') && l.id.includes('orders-api-release-tags'),
    );
    expect(unread.length).toBeGreaterThan(0);
    for (const l of unread) {
      expect(l.decision).toBe('Unknown');
      expect(l.missing).toEqual([`${EVENTS}#/Targets/orders-api-release-tags`]);
    }
    expect(p.verdict).toBe('unknown');
  });

  it('a State that cannot be read is not ENABLED: the trigger links are Unknown, naming it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'permchain-events-'));
    cpSync(SCENARIO, dir, { recursive: true });
    const file = join(dir, EVENTS);
    const events = JSON.parse(readFileSync(file, 'utf8')) as { Rules: Record<string, unknown>[] };
    events.Rules[0]!['State'] = ['DISABLED'];
    writeFileSync(file, JSON.stringify(events));
    const report = analyzeModel(loadSnapshot(dir));
    expect(report.problems.map((p) => `${p.severity} ${p.file}#${p.pointer}`)).toEqual([
      `error ${EVENTS}#/Rules/0/State`,
    ]);
    const p = report.pipelines[0]!;
    expect(
      p.links
        .filter((l) => l.requirement.startsWith('trigger.'))
        .map((l) => [l.decision, l.missing]),
    ).toEqual([
      ['Unknown', [`${EVENTS}#/Rules/0/State (not readable)`]],
      ['Unknown', [`${EVENTS}#/Rules/0/State (not readable)`]],
    ]);
  });

  it('each rule whose targets were not read names its own place, not the first one', () => {
    const p = analyze([
      { name: 'a-unread', state: 'ENABLED' },
      { name: 'b-unread', state: 'ENABLED' },
    ]);
    const missing = (rule: string): (readonly string[] | undefined)[] =>
      p.links.filter((l) => l.id.endsWith(`:rule/${rule}`)).map((l) => l.missing);
    expect(missing('a-unread')).toEqual([
      [`${EVENTS}#/Targets/a-unread`],
      [`${EVENTS}#/Targets/a-unread`],
    ]);
    expect(missing('b-unread')).toEqual([
      [`${EVENTS}#/Targets/b-unread`],
      [`${EVENTS}#/Targets/b-unread`],
    ]);
  });
});
