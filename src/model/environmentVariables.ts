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
import { jsonFaultPlace } from '../jsonSyntax.js';

/** The types whose value names a parameter or secret instead of holding it. */
export const REFERENCE_TYPES: ReadonlySet<string> = new Set(['PARAMETER_STORE', 'SECRETS_MANAGER']);

/**
 * The documented types: PLAINTEXT (the default), PARAMETER_STORE, SECRETS_MANAGER
 * (https://docs.aws.amazon.com/codebuild/latest/APIReference/API_EnvironmentVariable.html).
 */
export const VARIABLE_TYPES: ReadonlySet<string> = new Set(['PLAINTEXT', ...REFERENCE_TYPES]);

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A variable's type: PLAINTEXT when absent or not a string. */
export function variableType(v: Obj): string {
  return typeof v['type'] === 'string' ? v['type'] : 'PLAINTEXT';
}

/** The keys of a variable: the API's (`name`, `value`, `type`) or a template's (`Name`...). */
export interface VariableKeys {
  readonly name: string;
  readonly value: string;
  readonly type: string;
}

const API_KEYS: VariableKeys = { name: 'name', value: 'value', type: 'type' };

/**
 * What is wrong with one variable, or undefined when CodeBuild would read it: `key` is the key
 * at fault (absent: the variable itself is not an object). CodeBuild requires a string `name`
 * of one character at least, and a string `value`
 * (https://docs.aws.amazon.com/codebuild/latest/APIReference/API_EnvironmentVariable.html);
 * a value is only read here where it names a parameter or secret, so only those types need one
 * (a PLAINTEXT value may have been left out: it is often a secret). A type CodeBuild does not
 * document (`parameter_store`) is not PLAINTEXT, and a parameter or secret it names is unknown,
 * never left out. A null key is an absent one, as in the API's JSON. The message never quotes
 * a value (it may be a secret).
 */
export function variableFault(
  v: unknown,
  keys: VariableKeys = API_KEYS,
): { readonly key?: string; readonly message: string } | undefined {
  if (!isObj(v)) return { message: 'a variable is not an object' };
  if (typeof v[keys.name] !== 'string')
    return { key: keys.name, message: `a variable has no string \`${keys.name}\`` };
  // "Length Constraints: Minimum length of 1"
  // (https://docs.aws.amazon.com/codebuild/latest/APIReference/API_EnvironmentVariable.html#CodeBuild-Type-EnvironmentVariable-name)
  if (v[keys.name] === '')
    return { key: keys.name, message: `a variable has an empty \`${keys.name}\`` };
  const type = v[keys.type];
  if (
    type !== undefined &&
    type !== null &&
    (typeof type !== 'string' || !VARIABLE_TYPES.has(type))
  ) {
    return {
      key: keys.type,
      message: `a variable has a \`${keys.type}\` that is not PLAINTEXT, PARAMETER_STORE or SECRETS_MANAGER`,
    };
  }
  if (typeof type === 'string' && REFERENCE_TYPES.has(type) && typeof v[keys.value] !== 'string')
    return { key: keys.value, message: `a ${type} variable has no string \`${keys.value}\`` };
  // the API sets no length on `value`, but a PARAMETER_STORE or SECRETS_MANAGER value is the
  // name of what CodeBuild reads, and no parameter or secret has an empty name (GetParameters
  // `Names` and GetSecretValue `SecretId`: "Minimum length of 1",
  // https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParameters.html#systemsmanager-GetParameters-request-Names,
  // https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html#SecretsManager-GetSecretValue-request-SecretId):
  // what such a build reads is not known, never "nothing"
  if (typeof type === 'string' && REFERENCE_TYPES.has(type) && v[keys.value] === '')
    return {
      key: keys.value,
      message: `a ${type} variable has an empty \`${keys.value}\`, which names no ${type === 'SECRETS_MANAGER' ? 'secret' : 'parameter'}`,
    };
  return undefined;
}

/** Why one variable cannot be read as CodeBuild would read it (variableFault), or undefined. */
export function variableProblem(v: unknown): string | undefined {
  return variableFault(v)?.message;
}

/**
 * Why a CodeBuild action's `EnvironmentVariables` text cannot be read (not a JSON list, or a
 * variable variableProblem refuses, the first one by its index), or undefined when it can.
 */
export function actionVariablesProblem(text: string): string | undefined {
  let list: unknown;
  try {
    list = JSON.parse(text);
  } catch {
    // where it breaks (src/jsonSyntax.ts), never the text
    const place = jsonFaultPlace(text);
    return place === undefined ? 'not valid json' : `not valid json: ${place}`;
  }
  if (!Array.isArray(list)) return 'not a json array of `{name, value, type}` objects';
  for (let i = 0; i < list.length; i++) {
    const problem = variableProblem(list[i]);
    if (problem !== undefined) return `item ${i}: ${problem}`;
  }
  return undefined;
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
