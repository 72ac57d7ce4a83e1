/**
 * Whether a compiled statement's Action (or NotAction) covers an action: case-insensitive, `*`
 * and `?` wildcards (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html).
 * The evaluator's statement index and the chain's readings of policies share it.
 */
import type { ActionMatcher, CompiledStatement } from './types.js';

/** One matcher against a lower-cased `service:name`. */
export function actionMatches(m: ActionMatcher, actionLower: string): boolean {
  if (m.any || m.exact.has(actionLower)) return true;
  for (const g of m.patterns) if (g.test(actionLower)) return true;
  return false;
}

/** The statement applies to the lower-cased action (exactly one of Action / NotAction is set). */
export function coversAction(st: CompiledStatement, actionLower: string): boolean {
  return st.action
    ? actionMatches(st.action, actionLower)
    : !actionMatches(st.notAction!, actionLower);
}
