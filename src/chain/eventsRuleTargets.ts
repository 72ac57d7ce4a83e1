/**
 * What an EventBridge rule target on a pipeline says about whether the rule can start it,
 * whatever the policies say. Shared by the two ways a rule starts a pipeline: on a source
 * action's changes (actionFacts.ts, entries trigger.*) and on a schedule (scheduleRules.ts,
 * entries trigger.schedule-*), so both decide the same target the same way.
 */
import { isAccountId, parseArn } from '../model/arn.js';
import { PLACEHOLDER_PATTERN } from '../model/placeholders.js';
import { escapePointerToken } from '../problems.js';
import type { EventRuleModel, EventsModel, EventTargetModel, Model } from '../model/types.js';
import type {
  ActionFacts,
  EventsRuleFailure,
  EventsRuleUnsettled,
  Requirement,
} from './catalogTypes.js';
import { type LinkSpec } from './linkTypes.js';
import { placeOf, unresolvedIn } from './resolveLink.js';

const TARGET_ROLE_DOC =
  'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-iam-roles.html';

/**
 * A target on the pipeline without `RoleArn` cannot start it. "EventBridge targets typically
 * require IAM roles that grant permission to EventBridge to invoke the target"; the targets that
 * take a resource-based policy instead are SQS, SNS, Lambda, CloudWatch Logs, event buses (and
 * API Gateway) (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-iam-roles.html),
 * and "CodePipeline doesn't support resource-based policies"
 * (https://docs.aws.amazon.com/codepipeline/latest/userguide/security_iam_resource-based-policy-examples.html):
 * EventBridge starts a pipeline only with the IAM role of the target.
 */
export function targetRoleFailure(
  rule: EventRuleModel,
  target: EventTargetModel,
): EventsRuleFailure | undefined {
  if (target.roleArn !== undefined && target.roleArn !== '') return undefined;
  return {
    rule: rule.arn ?? rule.name,
    why: `the target of EventBridge rule \`${rule.name}\` on the pipeline has no \`RoleArn\`: EventBridge starts a pipeline only with the IAM role of the target, so the rule starts nothing`,
    fix: `give the target a \`RoleArn\` in rule \`${rule.name}\`: a role that trusts events.amazonaws.com and may call codepipeline:StartPipelineExecution on the pipeline`,
    doc: TARGET_ROLE_DOC,
    at: target.location,
  };
}

/**
 * The eventsRule facts every target of a rule on the pipeline has, for a source action's trigger
 * and a schedule alike: the rule's ARN and the role EventBridge assumes to call the target
 * (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_Target.html, RoleArn), when
 * the input gives them.
 */
export function ruleTargetFacts(
  rule: EventRuleModel,
  target: EventTargetModel,
): { readonly arn?: string; readonly roleArn?: string } {
  return {
    ...(rule.arn ? { arn: rule.arn } : {}),
    ...(target.roleArn ? { roleArn: target.roleArn } : {}),
  };
}

/**
 * How the links name one of the `of` targets of a rule on the pipeline: the rule's `name`, with
 * the target's id (else its place, from 1) when the rule has several there.
 */
export function ruleTargetLabel(
  name: string,
  target: EventTargetModel,
  index: number,
  of: number,
): string {
  return of > 1 ? `${name}/${target.id ?? index + 1}` : name;
}

/**
 * A rule whose `Targets` the input does not hold (an enabled rule may target the pipeline, with a
 * role not known): its trigger links are Unknown, naming where the targets would be.
 */
export function unreadTargets(events: EventsModel, rule: EventRuleModel): EventsRuleUnsettled {
  return {
    why: `the targets of EventBridge rule \`${rule.name}\` are not in the input, so whether it targets the pipeline, and with which role, is not known`,
    missing: [targetsPlace(events, rule)],
  };
}

/**
 * A rule whose `State` the input does not settle (a placeholder: a template value it cannot
 * resolve, a snapshot rule that could not be read in full or is listed twice) may be DISABLED,
 * and a DISABLED rule starts nothing
 * (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_Rule.html, State): neither an
 * allowed nor a denied trigger link of it is certain, so its links are Unknown, naming the place
 * of the state. `unread`, when its targets were not read either, is added to what would settle it.
 */
export function unsettledRule(
  model: Model,
  rule: EventRuleModel,
  unread?: EventsRuleUnsettled,
): EventsRuleUnsettled | undefined {
  if (rule.state === undefined || !PLACEHOLDER_PATTERN.test(rule.state)) return unread;
  const why = `${unsettledState(model, rule)}, so whether it starts the pipeline is not known`;
  const missing = unresolvedIn(model, rule.state);
  return unread
    ? { why: `${why}; ${unread.why}`, missing: [...missing, ...unread.missing] }
    : { why, missing };
}

/**
 * Why the state of `rule` (a placeholder) is not known, in words. The snapshot loader makes the
 * state of a rule it could not read in full (a `State`, `ScheduleExpression` or `EventPattern`
 * that is not a string) a placeholder at that place, `not readable`, and that of a rule `Rules`
 * lists twice one at the first copy, `defined more than once` (load/snapshotRegion.ts
 * loadEvents, conflictingRule); any other is a value a template does not settle.
 */
function unsettledState(model: Model, rule: EventRuleModel): string {
  const u = model.unresolved?.get(rule.state!);
  const place = u && `${u.location.file}#${u.location.pointer}`;
  if (u?.reason === 'not readable')
    return `EventBridge rule \`${rule.name}\` could not be read (\`${place}\`)`;
  if (u?.reason === 'defined more than once')
    return `EventBridge rule \`${rule.name}\` is listed more than once (\`${place}\`), and which copy is real is not known`;
  return `the state of EventBridge rule \`${rule.name}\` is not settled, and a DISABLED rule starts nothing`;
}

/**
 * The eventsRule facts of a rule whose targets were not read: its ARN, and what leaves its links
 * Unknown (the targets' place, and its state when that is not settled either).
 */
export function unreadRuleFacts(
  model: Model,
  events: EventsModel,
  rule: EventRuleModel,
): { readonly arn?: string; readonly unsettled: EventsRuleUnsettled } {
  return {
    ...(rule.arn ? { arn: rule.arn } : {}),
    unsettled: unsettledRule(model, rule, unreadTargets(events, rule))!,
  };
}

/**
 * Where the targets of a rule would be: `events.json#/Targets/<rule>` for a snapshot (the
 * snapshot contract: list-targets-by-rule per rule name), the rule itself for a template rule
 * (its `Targets` property, a template line).
 */
function targetsPlace(events: EventsModel, rule: EventRuleModel): string {
  if (events.location.pointer === '')
    return `${events.location.file}#/Targets/${escapePointerToken(rule.name)}`;
  const at = rule.location;
  return at.line !== undefined ? `${at.file}:${at.line}` : `${at.file}#${at.pointer}`;
}

/**
 * A trigger link (`spec`, made from `entry`) of one rule target, as the rule makes it, for a
 * source action's trigger and a schedule's alike: Unknown, naming what would settle it, when the
 * input does not settle whether the rule starts the pipeline; the one failing link when the
 * target cannot start it (failingTriggerLink); else `spec`. undefined: the link is left out.
 */
export function ruleTriggerLink(
  spec: LinkSpec,
  entry: Requirement,
  rule: ActionFacts['eventsRule'],
): LinkSpec | undefined {
  if (rule?.unsettled)
    return { ...spec, unknown: [...rule.unsettled.missing], unknownReason: rule.unsettled.why };
  if (rule?.failure) return failingTriggerLink(spec, entry, rule.failure);
  return spec;
}

/**
 * The trigger link `spec` (made from `entry`) of a rule target that cannot start the pipeline:
 * the role's codepipeline:StartPipelineExecution fails, saying why and naming the rule (or its
 * target) as what decides it. The links of other callers (EventBridge assuming the role) are
 * left out (undefined): one link says the rule starts nothing.
 */
export function failingTriggerLink(
  spec: LinkSpec,
  entry: Requirement,
  failure: EventsRuleFailure,
): LinkSpec | undefined {
  if (entry.principal !== 'eventsRuleRole') return undefined;
  const { unknown: _unknown, unknownReason: _reason, ...decided } = spec;
  // the rule decides, not a policy: no policy reason, the why names the rule and where it says so
  return {
    ...decided,
    context: {},
    doc: failure.doc,
    knownFailure: `${failure.why} (EventBridge rule \`${failure.rule}\`, at \`${placeOf(failure.at)}\`)`,
    fix: failure.fix,
  };
}

/**
 * The default event bus, by name or ARN ("If you omit this, the default event bus is used",
 * https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_Rule.html). A bus the input
 * does not settle (a placeholder) is not said to be another.
 */
export function isDefaultBus(bus: string | undefined, region: string): boolean {
  if (bus === undefined || bus === '' || bus === 'default') return true;
  if (PLACEHOLDER_PATTERN.test(bus)) return true;
  const arn = parseArn(bus);
  return (
    arn !== undefined &&
    arn.partition.startsWith('aws') &&
    arn.service === 'events' &&
    arn.region === region &&
    isAccountId(arn.account) &&
    arn.resource === 'event-bus/default'
  );
}
