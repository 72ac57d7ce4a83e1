/** Build compiled conditions and request contexts directly, so condition tests need no parser. */
import { CONDITION_OPERATORS, parseOperatorName } from '../../src/policy/operators.js';
import type { CompiledCondition, RequestContext } from '../../src/policy/types.js';
import { compileTemplate } from '../../src/policy/variables.js';

export type Values = string | readonly string[];

export function cond(operator: string, key: string, values: Values): CompiledCondition {
  const parsed = parseOperatorName(operator);
  if (!parsed) throw new Error(`test uses an unknown operator ${operator}`);
  const list = typeof values === 'string' ? [values] : [...values];
  const templates = CONDITION_OPERATORS[parsed.base].variables
    ? list.map((v) => compileTemplate(v))
    : undefined;
  return {
    operator,
    base: parsed.base,
    ...(parsed.set ? { set: parsed.set } : {}),
    ifExists: parsed.ifExists,
    key,
    keyLower: key.toLowerCase(),
    values: list,
    ...(templates?.some((t) => t !== undefined) ? { templates } : {}),
    pointer: '/Statement/0/Condition',
  };
}

export function ctx(entries: Record<string, Values> = {}): RequestContext {
  return new Map(Object.entries(entries).map(([k, v]) => [k.toLowerCase(), v]));
}
