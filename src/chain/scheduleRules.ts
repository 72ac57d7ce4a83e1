/**
 * The EventBridge rules that start a pipeline on a schedule
 * (https://docs.aws.amazon.com/codepipeline/latest/userguide/pipelines-trigger-source-schedule.html):
 * a rule with a `ScheduleExpression` (`rate(1 day)`, `cron(...)`) whose target is the pipeline.
 * "Rules with ScheduleExpressions self-trigger based on the given schedule. A rule can have both
 * an EventPattern and a ScheduleExpression, in which case the rule triggers on matching events as
 * well as on a schedule" (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html):
 * every enabled rule with a schedule is checked here, whatever its pattern (a pattern that may
 * match a source action's changes is also checked as that action's trigger, actionFacts.ts).
 *
 * Each target of such a rule on the pipeline gets the catalog entries that test
 * `EventsRule.Schedule` (policies/requirements/pipeline-trigger.json: EventBridge assumes the
 * target's role, which starts the pipeline), as pipeline-level links naming the rule. What makes
 * a scheduled run impossible whatever the policies say is one failing link instead, and what
 * permchain cannot tell is one Unknown link. A rule the input does not hold is not known: with no
 * `events.json`, no schedule is checked.
 */
import type { EventRuleModel, EventTargetModel, Model, PipelineModel } from '../model/types.js';
import { partitionOf } from './actionFacts.js';
import type { ActionFacts, Catalog, EventsRuleFailure, Requirement } from './catalogTypes.js';
import {
  isDefaultBus,
  ruleTargetFacts,
  ruleTargetLabel,
  targetRoleFailure,
  unreadRuleFacts,
  unsettledRule,
} from './eventsRuleTargets.js';

/** One target of a rule that starts the pipeline on a schedule. */
export interface ScheduleTrigger {
  /**
   * the rule's name (with the target's id when the rule has several targets on the pipeline);
   * the rule's ARN for a rule of another account or Region
   */
  readonly label: string;
  readonly schedule: string;
  /** the eventsRule facts the trigger.schedule-* entries are expanded with */
  readonly facts: NonNullable<ActionFacts['eventsRule']> & { readonly schedule: string };
  /** the rule cannot start the pipeline, whatever the policies say */
  readonly failure?: EventsRuleFailure;
  /** whether the rule can start the pipeline is not checked: why */
  readonly notChecked?: { readonly why: string; readonly doc: string };
}

const SCHEDULED_RULES_DOC =
  'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-rule-schedule.html';
const CROSS_ACCOUNT_DOC =
  'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-cross-account.html';
const CROSS_REGION_DOC =
  'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-region.html';

/** The rule targets that start `pipeline` on a schedule, in label order. */
export function scheduleTriggers(model: Model, pipeline: PipelineModel): ScheduleTrigger[] {
  const out: ScheduleTrigger[] = [];
  for (const found of scheduledTargetsOf(model).get(pipeline.arn) ?? []) {
    out.push(triggerOf(model, pipeline, found));
  }
  // a rule of the pipeline's region whose targets were not read may target it
  const events = model.accounts.get(pipeline.account)?.regions.get(pipeline.region)?.events;
  for (const rule of events?.rules.values() ?? []) {
    if (rule.targets !== undefined || !isScheduled(rule)) continue;
    // its links are Unknown, naming where its targets would be (as a source trigger's)
    out.push({
      label: rule.name,
      schedule: rule.scheduleExpression!,
      facts: { ...unreadRuleFacts(model, events!, rule), schedule: rule.scheduleExpression! },
    });
  }
  return out.sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
}

/** The entries expanded for each schedule trigger: those whose `when` tests EventsRule.Schedule. */
export function scheduleCatalog(catalog: Catalog): Catalog {
  let c = CATALOGS.get(catalog);
  if (!c) {
    c = { entries: catalog.entries.filter(isScheduleEntry), byId: catalog.byId };
    CATALOGS.set(catalog, c);
  }
  return c;
}

const CATALOGS = new WeakMap<Catalog, Catalog>();

export function isScheduleEntry(e: Requirement): boolean {
  return (e.when ?? []).some((c) => c.subject === 'EventsRule.Schedule');
}

/** The facts a schedule trigger's entries are expanded with: the pipeline's, and the rule's. */
export function scheduleFacts(pipeline: PipelineModel, trigger: ScheduleTrigger): ActionFacts {
  return { ...pipelineFacts(pipeline), eventsRule: trigger.facts };
}

/**
 * The facts of the pipeline itself, for links of no action (the pipeline role's trust, a
 * schedule): no stage, action, provider, configuration or artifacts.
 */
export function pipelineFacts(pipeline: PipelineModel): ActionFacts {
  return {
    partition: partitionOf(pipeline),
    region: pipeline.region,
    account: pipeline.account,
    pipelineName: pipeline.name,
    ...(pipeline.roleArn ? { pipelineRoleArn: pipeline.roleArn } : {}),
    stageName: '',
    actionName: '',
    category: '',
    provider: '',
    actionRegion: pipeline.region,
    actionAccount: pipeline.account,
    configuration: {},
    inputArtifacts: [],
    outputArtifacts: [],
  };
}

/**
 * An enabled rule with a schedule: a DISABLED rule starts nothing (API_PutRule.html, State). A
 * state the input does not settle is checked (its links are Unknown: unsettledRule).
 */
function isScheduled(rule: EventRuleModel): boolean {
  return (
    rule.state !== 'DISABLED' &&
    rule.scheduleExpression !== undefined &&
    rule.scheduleExpression !== ''
  );
}

interface ScheduledTarget {
  readonly account: string;
  readonly region: string;
  readonly rule: EventRuleModel;
  readonly target: EventTargetModel;
  /** the rule's targets on this pipeline, and this one's place among them */
  readonly of: number;
  readonly index: number;
}

/**
 * Every target of an enabled scheduled rule in the input, by the ARN it targets: each rule of
 * every account and region is read once per model, not once per pipeline.
 */
function scheduledTargetsOf(model: Model): ReadonlyMap<string, readonly ScheduledTarget[]> {
  let byArn = SCHEDULED.get(model);
  if (byArn) return byArn;
  const map = new Map<string, ScheduledTarget[]>();
  for (const [account, a] of model.accounts) {
    for (const [region, r] of a.regions) {
      for (const rule of r.events?.rules.values() ?? []) {
        if (rule.targets === undefined || !isScheduled(rule)) continue;
        const byTarget = new Map<string, EventTargetModel[]>();
        for (const t of rule.targets) {
          const same = byTarget.get(t.arn);
          if (same) same.push(t);
          else byTarget.set(t.arn, [t]);
        }
        for (const [arn, targets] of byTarget) {
          const list = map.get(arn) ?? [];
          targets.forEach((target, index) =>
            list.push({ account, region, rule, target, of: targets.length, index }),
          );
          map.set(arn, list);
        }
      }
    }
  }
  byArn = map;
  SCHEDULED.set(model, byArn);
  return byArn;
}

const SCHEDULED = new WeakMap<Model, ReadonlyMap<string, readonly ScheduledTarget[]>>();

function triggerOf(model: Model, pipeline: PipelineModel, found: ScheduledTarget): ScheduleTrigger {
  const { rule, target } = found;
  const schedule = rule.scheduleExpression!;
  const local = found.account === pipeline.account && found.region === pipeline.region;
  const name = local ? rule.name : (rule.arn ?? `${found.account}/${found.region}/${rule.name}`);
  const label = ruleTargetLabel(name, target, found.index, found.of);
  const facts = { ...ruleTargetFacts(rule, target), schedule };
  const base = { label, schedule, facts };
  // a rule whose state the input does not settle may be DISABLED: whether it fails, or starts
  // the pipeline, is not known (its links are Unknown, as a source trigger's)
  const unsettled = unsettledRule(model, rule);
  if (unsettled) return { ...base, facts: { ...facts, unsettled } };
  if (found.account !== pipeline.account) {
    // "EventBridge supports sending events to cross-account targets in the same Region", and
    // lists the targets it sends to in other accounts: API Gateway, Kinesis Data Streams,
    // Lambda, SNS and SQS (and event buses), not CodePipeline
    return {
      ...base,
      failure: {
        rule: rule.arn ?? label,
        why: `the rule is in account \`${found.account}\` and its target is the pipeline of account \`${pipeline.account}\`: EventBridge sends to a target of another account only for event buses, API Gateway, Kinesis Data Streams, Lambda, SNS and SQS, in the same Region, not to a pipeline`,
        fix: `start the pipeline from a rule in account \`${pipeline.account}\` and Region \`${pipeline.region}\` (or send the events to that account's default event bus, and target the pipeline there)`,
        doc: CROSS_ACCOUNT_DOC,
        at: target.location,
      },
    };
  }
  if (!local) {
    // AWS documents sending events to another Region through an event bus there; a pipeline of
    // another Region as a rule's own target is not documented either way: not guessed
    return {
      ...base,
      notChecked: {
        why: `the rule is in Region \`${found.region}\` and its target is the pipeline of Region \`${pipeline.region}\`: AWS documents sending events to another Region through an event bus there, not to a pipeline, so whether the schedule starts it is not checked`,
        doc: CROSS_REGION_DOC,
      },
    };
  }
  if (!isDefaultBus(rule.eventBusName, pipeline.region)) {
    // "You can only create scheduled rules using the default event bus"
    return {
      ...base,
      failure: {
        rule: rule.arn ?? label,
        why: `the rule is on event bus \`${rule.eventBusName}\`, and EventBridge runs scheduled rules only on the default event bus`,
        fix: `put the schedule on a rule of the \`default\` event bus that targets the pipeline`,
        doc: SCHEDULED_RULES_DOC,
        at: rule.location,
      },
    };
  }
  // a target without RoleArn starts nothing, as for a source trigger (eventsRuleTargets.ts)
  const noRole = targetRoleFailure(rule, target);
  if (noRole) return { ...base, failure: noRole };
  return base;
}
