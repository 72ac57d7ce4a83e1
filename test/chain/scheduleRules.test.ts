/**
 * The EventBridge rules that start a pipeline on a schedule (a `ScheduleExpression`,
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/pipelines-trigger-source-schedule.html)
 * were checked nowhere: the trigger links were made per source action, for rules whose pattern
 * may match its changes, and a rule on a schedule alone matches none. A scheduled release whose
 * role could not start the pipeline, or that EventBridge could not assume, passed in silence.
 * Each target of an enabled scheduled rule on the pipeline now has two pipeline-level links that
 * name the rule: EventBridge assumes the target's role (aws:SourceAccount, aws:SourceArn), and
 * the role starts the pipeline. Edits of the pass-cross-account scenario.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { noManagedPolicies } from '../../src/load/managedPolicies.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import { loadSingleTemplate } from '../../src/load/stacks.js';
import type { ReportLink, ReportPipeline } from '../../src/report/types.js';
import { editJson, inScenarioCopy, type Json } from './scenarioCopy.js';
import { eventsRuleRole } from './eventsRuleRole.js';

const SCENARIO = 'fixtures/scenarios/pass-cross-account';
const A = '111111111111';
const B = '222222222222';
const EVENTS = `${A}/us-east-1/events.json`;
const PIPELINE_ARN = `arn:aws:codepipeline:us-east-1:${A}:orders-api`;
const NIGHTLY_ROLE = `arn:aws:iam::${A}:role/service-role/orders-api-nightly-role`;
const NIGHTLY_ARN = `arn:aws:events:us-east-1:${A}:rule/orders-api-nightly`;

const START = 'trigger.schedule-start-pipeline-execution:codepipeline:StartPipelineExecution';
const ASSUME = 'trigger.schedule-assume-rule-role:sts:AssumeRole';

interface TestRule {
  readonly name: string;
  readonly schedule?: string;
  readonly pattern?: string;
  readonly state?: string;
  readonly bus?: string;
  /** undefined: no RoleArn on the target; false: no Targets entry (not read) */
  readonly roleArn?: string | false;
  readonly account?: string;
  readonly region?: string;
}

/** The nightly role: trusted by EventBridge for the nightly rule only, may start the pipeline. */
function nightlyRole(
  trust: Json = {
    Effect: 'Allow',
    Principal: { Service: 'events.amazonaws.com' },
    Action: 'sts:AssumeRole',
    Condition: {
      StringEquals: { 'aws:SourceAccount': A },
      ArnEquals: { 'aws:SourceArn': NIGHTLY_ARN },
    },
  },
  statements: Json[] = [
    {
      Sid: 'StartOrdersApi',
      Effect: 'Allow',
      Action: 'codepipeline:StartPipelineExecution',
      Resource: PIPELINE_ARN,
    },
  ],
): Json {
  return {
    Path: '/service-role/',
    RoleName: 'orders-api-nightly-role',
    RoleId: 'AROAQXAMPLENIGHTLY001',
    Arn: NIGHTLY_ROLE,
    CreateDate: '2024-01-01T00:00:00+00:00',
    AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [trust] },
    InstanceProfileList: [],
    RolePolicyList: [
      {
        PolicyName: 'start-orders-api-nightly',
        PolicyDocument: { Version: '2012-10-17', Statement: statements },
      },
    ],
    AttachedManagedPolicies: [],
    Tags: [],
  };
}

/** The scenario with `rules` added (each targeting the pipeline) and `role` in iam.json. */
function analyze(
  rules: readonly TestRule[],
  role: Json | undefined = nightlyRole(),
): ReportPipeline {
  return inScenarioCopy(SCENARIO, (dir) => {
    if (role)
      editJson(join(dir, `${A}/iam.json`), (doc) => {
        (doc['RoleDetailList'] as Json[]).push(role);
      });
    for (const r of rules) {
      const account = r.account ?? A;
      const region = r.region ?? 'us-east-1';
      const file = join(dir, `${account}/${region}/events.json`);
      mkdirSync(join(dir, `${account}/${region}`), { recursive: true });
      if (file !== join(dir, EVENTS)) writeFileSync(file, '{"Rules":[],"Targets":{}}');
      editJson(file, (doc) => {
        (doc['Rules'] as Json[]).push({
          Name: r.name,
          Arn: `arn:aws:events:${region}:${account}:rule/${r.name}`,
          ...(r.pattern !== undefined ? { EventPattern: r.pattern } : {}),
          ...(r.schedule !== undefined ? { ScheduleExpression: r.schedule } : {}),
          State: r.state ?? 'ENABLED',
          EventBusName: r.bus ?? 'default',
        });
        if (r.roleArn !== false)
          (doc['Targets'] as Json)[r.name] = [
            {
              Id: 'orders-api',
              Arn: PIPELINE_ARN,
              ...(r.roleArn !== undefined ? { RoleArn: r.roleArn } : {}),
            },
          ];
      });
    }
    const report = analyzeModel(loadSnapshot(dir));
    expect(report.problems.filter((p) => p.severity === 'error')).toEqual([]);
    return report.pipelines.find((p) => p.name === 'orders-api')!;
  });
}

const scheduled = (p: ReportPipeline): ReportLink[] =>
  p.links.filter((l) => l.requirement.startsWith('trigger.schedule-'));
const brief = (p: ReportPipeline): string[] =>
  scheduled(p).map((l) => `${l.decision} ${l.id} ${l.principal}`);

const nightly: TestRule = {
  name: 'orders-api-nightly',
  schedule: 'rate(1 day)',
  roleArn: NIGHTLY_ROLE,
};

describe('an EventBridge rule that starts the pipeline on a schedule', () => {
  it('is checked: EventBridge assumes its role, which starts the pipeline, at pipeline level', () => {
    const p = analyze([nightly]);
    expect(p.verdict).toBe('pass');
    expect(brief(p)).toEqual([
      `Allowed ${ASSUME}:rule/orders-api-nightly events.amazonaws.com`,
      `Allowed ${START}:rule/orders-api-nightly ${NIGHTLY_ROLE}`,
    ]);
    const [assume, start] = scheduled(p);
    for (const l of [assume!, start!]) {
      expect(l.level).toBe('required');
      expect(l.stage).toBeUndefined();
      expect(l.action).toBeUndefined();
      expect(l.doc).toBe(
        'https://docs.aws.amazon.com/codepipeline/latest/userguide/pipelines-trigger-source-schedule.html',
      );
    }
    expect(assume!.resource).toBe(NIGHTLY_ROLE);
    expect(start!.resource).toBe(PIPELINE_ARN);
    // the source action's trigger is checked as before, with the rule of its changes
    expect(
      p.links
        .filter((l) => l.requirement.startsWith('trigger.') && l.stage === 'Source')
        .map((l) => `${l.decision} ${l.id}`),
    ).toEqual([
      'Allowed Source/Source:trigger.assume-rule-role:sts:AssumeRole',
      'Allowed Source/Source:trigger.start-pipeline-execution:codepipeline:StartPipelineExecution',
    ]);
  });

  it('fails when its role may not start the pipeline, naming the role policy', () => {
    const p = analyze(
      [nightly],
      nightlyRole(undefined, [
        {
          Sid: 'StartOther',
          Effect: 'Allow',
          Action: 'codepipeline:StartPipelineExecution',
          Resource: `${PIPELINE_ARN}-v1`,
        },
      ]),
    );
    expect(p.verdict).toBe('fail');
    expect(brief(p)).toEqual([
      `Allowed ${ASSUME}:rule/orders-api-nightly events.amazonaws.com`,
      `ImplicitlyDenied ${START}:rule/orders-api-nightly ${NIGHTLY_ROLE}`,
    ]);
    const start = scheduled(p)[1]!;
    expect(start.deniedBy.map((d) => [d.policyType, d.policy])).toEqual([
      ['identity', `${NIGHTLY_ROLE} (inline: start-orders-api-nightly)`],
    ]);
    // the report says which rule, and which schedule, it is
    expect(start.why).toContain(
      'pipeline `orders-api` on the schedule `rate(1 day)`, EventBridge rule `orders-api-nightly`',
    );
    expect(start.fix).toContain(`in the policies of \`${NIGHTLY_ROLE}\``);
  });

  it('fails when EventBridge may not assume its role: another rule in aws:SourceArn', () => {
    const p = analyze(
      [nightly],
      nightlyRole({
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: {
          ArnEquals: { 'aws:SourceArn': `arn:aws:events:us-east-1:${A}:rule/orders-api-weekly` },
        },
      }),
    );
    expect(p.verdict).toBe('fail');
    expect(brief(p)).toEqual([
      `ImplicitlyDenied ${ASSUME}:rule/orders-api-nightly events.amazonaws.com`,
      `Allowed ${START}:rule/orders-api-nightly ${NIGHTLY_ROLE}`,
    ]);
    expect(scheduled(p)[0]!.deniedBy.map((d) => [d.policyType, d.policy])).toEqual([
      ['resource', NIGHTLY_ROLE],
    ]);
  });

  it('a DISABLED rule starts nothing and is not checked', () => {
    const p = analyze([{ ...nightly, state: 'DISABLED', roleArn: `arn:aws:iam::${A}:role/nope` }]);
    expect(p.verdict).toBe('pass');
    expect(brief(p)).toEqual([]);
  });

  it('a rule with a pattern only is no schedule', () => {
    const p = analyze([
      { name: 'orders-api-tags', pattern: '{"source":["aws.ecr"]}', roleArn: NIGHTLY_ROLE },
    ]);
    expect(brief(p)).toEqual([]);
  });

  it('checks every scheduled rule, each with its own role and name', () => {
    const other = `arn:aws:iam::${A}:role/service-role/orders-api-build-role`;
    const p = analyze([
      nightly,
      { name: 'orders-api-weekly', schedule: 'cron(0 6 ? * MON *)', roleArn: other },
    ]);
    expect(p.verdict).toBe('fail');
    expect(brief(p)).toEqual([
      `Allowed ${ASSUME}:rule/orders-api-nightly events.amazonaws.com`,
      `Allowed ${START}:rule/orders-api-nightly ${NIGHTLY_ROLE}`,
      `ImplicitlyDenied ${ASSUME}:rule/orders-api-weekly events.amazonaws.com`,
      `ImplicitlyDenied ${START}:rule/orders-api-weekly ${other}`,
    ]);
    expect(scheduled(p)[3]!.why).toContain('on the schedule `cron(0 6 ? * MON *)`');
  });

  it('a rule with a schedule and a pattern starts the pipeline both ways: both are checked', () => {
    const pattern = JSON.stringify({
      source: ['aws.codecommit'],
      resources: [`arn:aws:codecommit:us-east-1:${A}:orders-api`],
      detail: { referenceName: ['main'] },
    });
    const p = analyze([{ ...nightly, pattern }]);
    expect(p.verdict).toBe('pass');
    expect(brief(p)).toEqual([
      `Allowed ${ASSUME}:rule/orders-api-nightly events.amazonaws.com`,
      `Allowed ${START}:rule/orders-api-nightly ${NIGHTLY_ROLE}`,
    ]);
    // the source action's trigger now has two rules, each named
    expect(
      p.links
        .filter((l) => l.requirement === 'trigger.start-pipeline-execution')
        .map((l) => `${l.decision} ${l.id} ${l.principal}`),
    ).toEqual([
      `Allowed Source/Source:trigger.start-pipeline-execution:codepipeline:StartPipelineExecution:rule/orders-api-main-branch arn:aws:iam::${A}:role/service-role/orders-api-events-role`,
      `Allowed Source/Source:trigger.start-pipeline-execution:codepipeline:StartPipelineExecution:rule/orders-api-nightly ${NIGHTLY_ROLE}`,
    ]);
  });

  it('a target without RoleArn cannot start the pipeline: one failing link says so', () => {
    const p = analyze([{ ...nightly, roleArn: undefined }]);
    expect(p.verdict).toBe('fail');
    expect(brief(p)).toEqual([
      `ImplicitlyDenied ${START}:rule/orders-api-nightly the EventBridge rule's role (not known)`,
    ]);
    const l = scheduled(p)[0]!;
    expect(l.why).toContain('has no `RoleArn`');
    expect(l.fix).toContain('give the target a `RoleArn`');
    // the rule decides, not a policy: no policy is named, the why names the rule and its target
    expect(l.deniedBy).toEqual([]);
    expect(l.why).toContain(
      `(EventBridge rule \`${NIGHTLY_ARN}\`, at \`${EVENTS}#/Targets/orders-api-nightly/0\`)`,
    );
  });

  it('a rule whose targets were not read may start it: Unknown, naming where they would be', () => {
    const p = analyze([{ ...nightly, roleArn: false }]);
    expect(p.verdict).toBe('unknown');
    const links = scheduled(p).sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(links.map((l) => [l.decision, l.id, l.missing])).toEqual([
      ['Unknown', `${ASSUME}:rule/orders-api-nightly`, [`${EVENTS}#/Targets/orders-api-nightly`]],
      ['Unknown', `${START}:rule/orders-api-nightly`, [`${EVENTS}#/Targets/orders-api-nightly`]],
    ]);
    for (const l of links)
      expect(l.why).toContain(
        'the targets of EventBridge rule `orders-api-nightly` are not in the input',
      );
  });

  it('a schedule on another event bus never runs: EventBridge runs schedules on the default bus', () => {
    const p = analyze([{ ...nightly, bus: 'orders-bus' }]);
    expect(brief(p)).toEqual([`ImplicitlyDenied ${START}:rule/orders-api-nightly ${NIGHTLY_ROLE}`]);
    expect(scheduled(p)[0]!.why).toContain('event bus `orders-bus`');
    // the default bus by its ARN is the default bus
    const byArn = analyze([{ ...nightly, bus: `arn:aws:events:us-east-1:${A}:event-bus/default` }]);
    expect(byArn.verdict).toBe('pass');
    expect(brief(byArn).map((l) => l.split(' ')[0])).toEqual(['Allowed', 'Allowed']);
  });

  it('a rule of another account cannot target the pipeline: one failing link names it', () => {
    const p = analyze([{ ...nightly, account: B, roleArn: `arn:aws:iam::${B}:role/nightly` }]);
    expect(p.verdict).toBe('fail');
    const label = `arn:aws:events:us-east-1:${B}:rule/orders-api-nightly`;
    expect(brief(p)).toEqual([
      `ImplicitlyDenied ${START}:rule/${label} arn:aws:iam::${B}:role/nightly`,
    ]);
    const l = scheduled(p)[0]!;
    expect(l.why).toContain(`the rule is in account \`${B}\``);
    expect(l.doc).toBe(
      'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-cross-account.html',
    );
    expect(l.deniedBy).toEqual([]);
    expect(l.why).toContain(
      `(EventBridge rule \`${label}\`, at \`${B}/us-east-1/events.json#/Targets/orders-api-nightly/0\`)`,
    );
  });

  it('a rule of another Region is not checked: Unknown, saying so', () => {
    const p = analyze([{ ...nightly, region: 'us-west-2' }]);
    expect(p.verdict).toBe('unknown');
    const label = `arn:aws:events:us-west-2:${A}:rule/orders-api-nightly`;
    expect(scheduled(p).map((l) => [l.decision, l.id, l.missing])).toEqual([
      ['Unknown', `${START}:rule/${label}`, []],
    ]);
    expect(scheduled(p)[0]!.why).toContain(
      'the rule is in Region `us-west-2` and its target is the pipeline of Region `us-east-1`',
    );
  });

  it('a pipeline without scheduled rules has no schedule links', () => {
    expect(brief(analyze([], undefined))).toEqual([]);
  });
});

describe('an AWS::Events::Rule with a ScheduleExpression in a template', () => {
  const BASE = 'test/load/templates/fixtures/booleans/settings.yaml';
  const PIPELINE = 'arn:aws:codepipeline:us-east-1:111111111111:app';
  const ROLE = 'arn:aws:iam::111111111111:role/nightly-role';

  /** settings.yaml (pipeline `app`) plus a nightly rule on it and its role. */
  function templateLinks(
    o: {
      state?: string;
      resource?: string;
      roleArn?: string | null;
      bus?: string;
      region?: string;
    } = {},
  ): {
    verdict: string;
    links: string[];
    all: ReportLink[];
  } {
    const rule = [
      ...eventsRuleRole('NightlyRole', 'nightly-role', o.resource),
      '  Nightly:',
      '    Type: AWS::Events::Rule',
      '    Properties:',
      '      Name: app-nightly',
      '      ScheduleExpression: rate(1 day)',
      ...(o.state !== undefined ? [`      State: ${o.state}`] : []),
      ...(o.bus !== undefined ? [`      EventBusName: ${o.bus}`] : []),
      '      Targets:',
      '        - Id: app',
      '          Arn: !Sub "arn:${AWS::Partition}:codepipeline:${AWS::Region}:${AWS::AccountId}:${Pipeline}"',
      ...(o.roleArn === null
        ? []
        : [`          RoleArn: ${o.roleArn ?? '!GetAtt NightlyRole.Arn'}`]),
    ];
    const dir = mkdtempSync(join(tmpdir(), 'permchain-schedule-'));
    try {
      const file = join(dir, 'template.yaml');
      writeFileSync(file, `${readFileSync(BASE, 'utf8')}${rule.join('\n')}\n`);
      const { model } = loadSingleTemplate(file, {
        account: '111111111111',
        region: o.region ?? 'us-east-1',
        managedPolicies: noManagedPolicies,
        parameters: {},
      });
      const p = analyzeModel(model).pipelines[0]!;
      return { verdict: p.verdict, links: brief(p), all: scheduled(p) };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('is checked like a snapshot rule', () => {
    const r = templateLinks();
    expect(r.links).toEqual([
      `Allowed ${ASSUME}:rule/app-nightly events.amazonaws.com`,
      `Allowed ${START}:rule/app-nightly ${ROLE}`,
    ]);
    expect(r.all[1]!.resource).toBe(PIPELINE);
  });

  it('a Region with pattern characters is compared as text, not compiled into a pattern', () => {
    // a stacks file's Region is used as given: `us-east-1(` threw "Unterminated group" out of
    // the analysis as soon as a rule named a bus by ARN
    const bus = 'arn:aws:events:us-east-1(:111111111111:event-bus/default';
    const r = templateLinks({ region: 'us-east-1(', bus });
    expect(r.links).toEqual([
      `Allowed ${ASSUME}:rule/app-nightly events.amazonaws.com`,
      `Allowed ${START}:rule/app-nightly ${ROLE}`,
    ]);
    const other = templateLinks({ region: 'us-east-1(', bus: bus.replace('default', 'ops') });
    expect(other.links).not.toEqual(r.links);
  });

  it('fails when the role may start another pipeline only', () => {
    const r = templateLinks({ resource: `${PIPELINE}-v1` });
    expect(r.verdict).toBe('fail');
    expect(r.links).toEqual([
      `Allowed ${ASSUME}:rule/app-nightly events.amazonaws.com`,
      `ImplicitlyDenied ${START}:rule/app-nightly ${ROLE}`,
    ]);
  });

  it('State DISABLED: not checked', () => {
    expect(templateLinks({ state: 'DISABLED', resource: `${PIPELINE}-v1` }).links).toEqual([]);
  });

  it('a target without RoleArn fails, naming the template line', () => {
    const r = templateLinks({ roleArn: null });
    expect(r.links).toEqual([
      `ImplicitlyDenied ${START}:rule/app-nightly the EventBridge rule's role (not known)`,
    ]);
    expect(r.all[0]!.deniedBy).toEqual([]);
    // line 165: the target `- Id: app` (settings.yaml has 140 lines)
    expect(r.all[0]!.why).toMatch(
      /\(EventBridge rule `arn:aws:events:us-east-1:111111111111:rule\/app-nightly`, at `[^`]*template\.yaml:165`\)$/,
    );
  });
});
