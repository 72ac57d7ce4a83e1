/**
 * The catalog of IAM condition operators, as data. The parser validates names against it and
 * the condition evaluator registers one implementation per base operator (a test checks that
 * every name here has one).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 */
import type { SetModifier } from './types.js';

export const CONDITION_OPERATORS = {
  StringEquals: { family: 'string', negated: false, variables: true },
  StringNotEquals: { family: 'string', negated: true, variables: true },
  StringEqualsIgnoreCase: { family: 'string', negated: false, variables: true },
  StringNotEqualsIgnoreCase: { family: 'string', negated: true, variables: true },
  StringLike: { family: 'string', negated: false, variables: true },
  StringNotLike: { family: 'string', negated: true, variables: true },
  NumericEquals: { family: 'numeric', negated: false, variables: false },
  NumericNotEquals: { family: 'numeric', negated: true, variables: false },
  NumericLessThan: { family: 'numeric', negated: false, variables: false },
  NumericLessThanEquals: { family: 'numeric', negated: false, variables: false },
  NumericGreaterThan: { family: 'numeric', negated: false, variables: false },
  NumericGreaterThanEquals: { family: 'numeric', negated: false, variables: false },
  DateEquals: { family: 'date', negated: false, variables: false },
  DateNotEquals: { family: 'date', negated: true, variables: false },
  DateLessThan: { family: 'date', negated: false, variables: false },
  DateLessThanEquals: { family: 'date', negated: false, variables: false },
  DateGreaterThan: { family: 'date', negated: false, variables: false },
  DateGreaterThanEquals: { family: 'date', negated: false, variables: false },
  // The operators page allows variables in Bool; the variables page says not. We follow the
  // operators page: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Boolean
  Bool: { family: 'bool', negated: false, variables: true },
  BinaryEquals: { family: 'binary', negated: false, variables: false },
  IpAddress: { family: 'ip', negated: false, variables: false },
  NotIpAddress: { family: 'ip', negated: true, variables: false },
  ArnEquals: { family: 'arn', negated: false, variables: true },
  ArnLike: { family: 'arn', negated: false, variables: true },
  ArnNotEquals: { family: 'arn', negated: true, variables: true },
  ArnNotLike: { family: 'arn', negated: true, variables: true },
  Null: { family: 'null', negated: false, variables: false },
} as const satisfies Record<string, { family: string; negated: boolean; variables: boolean }>;

export type ConditionOperatorName = keyof typeof CONDITION_OPERATORS;

const BY_LOWER = new Map<string, ConditionOperatorName>(
  (Object.keys(CONDITION_OPERATORS) as ConditionOperatorName[]).map((k) => [k.toLowerCase(), k]),
);

export interface ParsedOperator {
  readonly base: ConditionOperatorName;
  readonly set?: SetModifier;
  readonly ifExists: boolean;
}

/**
 * Split `ForAnyValue:StringLikeIfExists` into its parts. Operator names are matched without
 * regard to case, as IAM does. Returns undefined for an unknown operator; `Null` takes no
 * `IfExists` (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IfExists).
 */
export function parseOperatorName(name: string): ParsedOperator | undefined {
  let rest = name;
  let set: SetModifier | undefined;
  const colon = rest.indexOf(':');
  if (colon >= 0) {
    const prefix = rest.slice(0, colon).toLowerCase();
    if (prefix === 'foranyvalue') set = 'ForAnyValue';
    else if (prefix === 'forallvalues') set = 'ForAllValues';
    else return undefined;
    rest = rest.slice(colon + 1);
  }
  let ifExists = false;
  let base = BY_LOWER.get(rest.toLowerCase());
  if (!base && rest.toLowerCase().endsWith('ifexists')) {
    base = BY_LOWER.get(rest.slice(0, -'ifexists'.length).toLowerCase());
    ifExists = base !== undefined;
    if (base === 'Null') return undefined;
  }
  if (!base) return undefined;
  return set ? { base, set, ifExists } : { base, ifExists };
}
