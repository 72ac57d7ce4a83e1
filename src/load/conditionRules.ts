/**
 * What AWS allows in a stage condition, shared by the snapshot and template loaders.
 */
import type { ActionModel } from '../model/types.js';

/**
 * An entry condition whose result is SKIP takes only the LambdaInvoke and VariableCheck rules
 * ("For beforeEntry conditions that are configured with the Skip result, only the following
 * rules are available: LambdaInvoke and VariableCheck",
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/rule-reference-CodeBuild.html,
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/stage-conditions.html): what is
 * wrong with `rule`, else undefined. A warning: the rule is still analysed, as a SKIP rule.
 */
export function skipRuleProblem(
  kind: string,
  result: string | undefined,
  rule: ActionModel,
): string | undefined {
  if (kind !== 'beforeEntry' || result !== 'SKIP' || rule.unsettled !== undefined) return undefined;
  if (rule.owner === 'AWS' && SKIP_RULES.has(rule.provider)) return undefined;
  return `an entry condition whose result is SKIP has the rule \`${rule.owner}/${rule.provider}\`: AWS allows only LambdaInvoke and VariableCheck rules there`;
}

const SKIP_RULES: ReadonlySet<string> = new Set(['LambdaInvoke', 'VariableCheck']);
