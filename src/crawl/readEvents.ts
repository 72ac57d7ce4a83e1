/**
 * EventBridge: the rules that target the crawled pipelines, on every event bus of the account
 * and region (list-event-buses, then list-rule-names-by-target per bus: without `EventBusName`
 * it searches the default bus only,
 * https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_ListRuleNamesByTarget.html),
 * written as list-rules output restricted to those rules, merged with list-targets-by-rule per
 * rule. These rules start the pipeline (S3, CodeCommit and ECR change detection:
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/pipelines-about-starting.html).
 * events.json says these are all the rules that start the pipeline, so it is written only when
 * every bus was searched and every rule read.
 */
import type {
  ListEventBusesCommandOutput,
  ListRuleNamesByTargetCommandOutput,
  ListRulesCommandOutput,
  ListTargetsByRuleCommandOutput,
  Rule,
  Target,
} from '@aws-sdk/client-eventbridge';
import { CRAWL_CALLS } from './calls.js';
import type { CrawlContext } from './crawlContext.js';
import type { Place } from './references.js';

export async function readRules(
  ctx: CrawlContext,
  place: Place,
  pipelineArns: readonly string[],
): Promise<Target[]> {
  const {
    ListEventBusesCommand,
    ListRuleNamesByTargetCommand,
    ListRulesCommand,
    ListTargetsByRuleCommand,
  } = await ctx.sdk('eventbridge');
  const where = `account \`${place.account}\` in \`${place.region}\``;
  const listedBuses = await ctx.paginate<ListEventBusesCommandOutput>(
    'eventbridge',
    place,
    (NextToken) => new ListEventBusesCommand(NextToken ? { NextToken } : {}),
    (o) => o.NextToken,
    `the event buses of ${where}`,
  );
  // a bus that was not searched may hold a rule that starts the pipeline: then no events.json
  if (listedBuses.status !== 'ok') return [];
  const buses = [
    ...new Set([
      'default',
      ...listedBuses.pages.flatMap((p) => p.EventBuses ?? []).flatMap((b) => b.Name ?? []),
    ]),
  ].sort();

  const byBus = await Promise.all(
    buses.map(async (EventBusName) => {
      const byTarget = await Promise.all(
        [...pipelineArns].sort().map((TargetArn) =>
          ctx.paginate<ListRuleNamesByTargetCommandOutput>(
            'eventbridge',
            place,
            (NextToken) =>
              new ListRuleNamesByTargetCommand({
                TargetArn,
                EventBusName,
                ...(NextToken ? { NextToken } : {}),
              }),
            (o) => o.NextToken,
            `the EventBridge rules on bus \`${EventBusName}\` that target \`${TargetArn}\``,
          ),
        ),
      );
      if (byTarget.some((o) => o.status !== 'ok')) return undefined;
      const names = new Set(
        byTarget.flatMap((o) =>
          o.status === 'ok' ? o.pages.flatMap((p) => p.RuleNames ?? []) : [],
        ),
      );
      if (names.size === 0) return [];
      const listed = await ctx.paginate<ListRulesCommandOutput>(
        'eventbridge',
        place,
        (NextToken) => new ListRulesCommand({ EventBusName, ...(NextToken ? { NextToken } : {}) }),
        (o) => o.NextToken,
        `the EventBridge rules on bus \`${EventBusName}\` of ${where}`,
      );
      if (listed.status !== 'ok') return undefined;
      return listed.pages
        .flatMap((p) => p.Rules ?? [])
        .filter((r) => r.Name && names.has(r.Name))
        .map((r) => ({ rule: r, bus: EventBusName }));
    }),
  );
  if (byBus.some((b) => b === undefined)) return [];
  const found = byBus.flatMap((b) => b ?? []);

  // events.json keys targets by rule name; a name is unique only within its bus
  const seen = new Map<string, string>();
  for (const { rule, bus } of found) {
    const name = rule.Name ?? '';
    const other = seen.get(name);
    if (other !== undefined) {
      ctx.recordFailure(
        CRAWL_CALLS['eventbridge.ListRules'],
        place,
        `EventBridge rule \`${name}\``,
        {
          reason: 'error',
          code: 'DuplicateRuleName',
          message: `rules named \`${name}\` on buses \`${other}\` and \`${bus}\` both target a crawled pipeline; events.json keys targets by rule name and cannot hold both`,
        },
      );
      return [];
    }
    seen.set(name, bus);
  }

  const rules: Rule[] = found.map((f) => f.rule);
  const targets: Record<string, Target[]> = {};
  let complete = true;
  await Promise.all(
    found.map(async ({ rule, bus }) => {
      const name = rule.Name ?? '';
      const out = await ctx.paginate<ListTargetsByRuleCommandOutput>(
        'eventbridge',
        place,
        (NextToken) =>
          new ListTargetsByRuleCommand({
            Rule: name,
            EventBusName: bus,
            ...(NextToken ? { NextToken } : {}),
          }),
        (o) => o.NextToken,
        `the targets of EventBridge rule \`${name}\``,
      );
      if (out.status === 'ok') targets[name] = out.pages.flatMap((p) => p.Targets ?? []);
      else complete = false;
    }),
  );
  if (!complete) return [];
  ctx.record({ kind: 'events', account: place.account, region: place.region, rules, targets });
  return Object.values(targets).flat();
}
