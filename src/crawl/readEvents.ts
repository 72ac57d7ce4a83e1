/**
 * EventBridge: the rules (on the default bus) that target the crawled pipelines, found with
 * list-rule-names-by-target, written as list-rules output restricted to those rules, merged with
 * list-targets-by-rule per rule. These rules start the pipeline (S3, CodeCommit and ECR change
 * detection: https://docs.aws.amazon.com/codepipeline/latest/userguide/pipelines-about-starting.html).
 */
import type {
  ListRuleNamesByTargetCommandOutput,
  ListRulesCommandOutput,
  ListTargetsByRuleCommandOutput,
  Rule,
  Target,
} from '@aws-sdk/client-eventbridge';
import type { CrawlContext } from './crawlContext.js';
import type { Place } from './references.js';

export async function readRules(
  ctx: CrawlContext,
  place: Place,
  pipelineArns: readonly string[],
): Promise<Target[]> {
  const { ListRuleNamesByTargetCommand, ListRulesCommand, ListTargetsByRuleCommand } =
    await ctx.sdk('eventbridge');
  const byTarget = await Promise.all(
    [...pipelineArns].sort().map((TargetArn) =>
      ctx.paginate<ListRuleNamesByTargetCommandOutput>(
        'eventbridge',
        place,
        (NextToken) =>
          new ListRuleNamesByTargetCommand({ TargetArn, ...(NextToken ? { NextToken } : {}) }),
        (o) => o.NextToken,
        `the EventBridge rules that target \`${TargetArn}\``,
      ),
    ),
  );
  // a rule we could not discover would be silently missing: then no events.json at all
  if (byTarget.some((o) => o.status !== 'ok')) return [];
  const names = new Set(
    byTarget.flatMap((o) => (o.status === 'ok' ? o.pages.flatMap((p) => p.RuleNames ?? []) : [])),
  );
  let rules: Rule[] = [];
  if (names.size > 0) {
    const listed = await ctx.paginate<ListRulesCommandOutput>(
      'eventbridge',
      place,
      (NextToken) => new ListRulesCommand(NextToken ? { NextToken } : {}),
      (o) => o.NextToken,
      `the EventBridge rules of account \`${place.account}\` in \`${place.region}\``,
    );
    if (listed.status !== 'ok') return [];
    rules = listed.pages.flatMap((p) => p.Rules ?? []).filter((r) => r.Name && names.has(r.Name));
  }
  const targets: Record<string, Target[]> = {};
  let complete = true;
  await Promise.all(
    rules.map(async (rule) => {
      const name = rule.Name ?? '';
      const out = await ctx.paginate<ListTargetsByRuleCommandOutput>(
        'eventbridge',
        place,
        (NextToken) =>
          new ListTargetsByRuleCommand({ Rule: name, ...(NextToken ? { NextToken } : {}) }),
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
