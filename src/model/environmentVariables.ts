/**
 * CodeBuild environment variables (`{name, value, type}`), as a project defines them and as a
 * CodeBuild pipeline action overrides them (its `EnvironmentVariables` configuration is a JSON
 * string of the same objects). A PLAINTEXT value (the default type) is readable by anyone who can
 * read the project or pipeline, and is often a secret; a PARAMETER_STORE or SECRETS_MANAGER value
 * only names a parameter or a secret
 * (https://docs.aws.amazon.com/codebuild/latest/APIReference/API_EnvironmentVariable.html,
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CodeBuild.html).
 * The snapshot loader never reads such a value and the crawler never writes one: both decide
 * with these functions.
 */

/** The types whose value names a parameter or secret instead of holding it. */
export const REFERENCE_TYPES: ReadonlySet<string> = new Set(['PARAMETER_STORE', 'SECRETS_MANAGER']);

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A variable's type: PLAINTEXT when absent or not a string. */
export function variableType(v: Obj): string {
  return typeof v['type'] === 'string' ? v['type'] : 'PLAINTEXT';
}

/** Whether a variable's value may be kept: a string naming a parameter or a secret. */
export function keepsValue(v: Obj): boolean {
  return REFERENCE_TYPES.has(variableType(v)) && typeof v['value'] === 'string';
}

/**
 * A CodeBuild action's `EnvironmentVariables` text as `[{name, type, value?}]`: a value is kept
 * only where keepsValue says so; any other value is left out, or replaced by `replacement` when
 * one is given (the crawler marks where it redacted). Undefined when the text is not a JSON list
 * of objects (then nothing of it can be kept safely).
 */
export function redactActionEnvironmentVariables(
  text: string,
  replacement?: string,
): string | undefined {
  let list: unknown;
  try {
    list = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(list) || !list.every(isObj)) return undefined;
  const redacted = (list as Obj[]).map((v) => {
    const out: Obj = { name: v['name'], type: variableType(v) };
    if (keepsValue(v)) out['value'] = v['value'];
    else if (replacement !== undefined && 'value' in v) out['value'] = replacement;
    return out;
  });
  return JSON.stringify(redacted);
}
