/**
 * No secret value is ever written to a snapshot. CodeBuild PLAINTEXT environment variables (of a
 * project, and of a CodeBuild pipeline action's `EnvironmentVariables` configuration), the
 * PLAINTEXT `environmentVariables` of a pipeline action (a Commands action's, ...) and Lambda
 * environment variables hold their values in clear text (AWS recommends Parameter Store or
 * Secrets Manager for secrets precisely because these are readable by anyone with read access:
 * https://docs.aws.amazon.com/codebuild/latest/APIReference/API_EnvironmentVariable.html), so
 * their values are replaced; names and types stay because the analyzer needs them (a
 * PARAMETER_STORE or SECRETS_MANAGER value is a name, not a secret, and stays). Which value stays
 * is decided by src/model/environmentVariables.ts, which the snapshot loader uses too.
 * Pure functions that return copies.
 */
import { keepsValue, redactActionEnvironmentVariables } from '../model/environmentVariables.js';
import { namesBuildspec, reduceBuildspec, REDACTION_MARKER } from '../model/buildspec.js';
import { redactSourceLocation } from '../model/sourceLocation.js';

/** The marker written where a value was removed; the loader reads it as "not known". */
export const REDACTED = REDACTION_MARKER;

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date);
}

/**
 * A list of `{name, value, type}`: a value stays only where keepsValue says it names a parameter
 * or a secret. Anything not of that shape (a list item that is not an object, a list that is not
 * a list) may hold anything and is replaced whole.
 */
function redactEnvironmentVariables(vars: unknown): unknown {
  if (vars === undefined || vars === null) return vars;
  if (!Array.isArray(vars)) return REDACTED;
  return vars.map((v: unknown) => {
    if (!isObj(v)) return REDACTED;
    return 'value' in v && !keepsValue(v) ? { ...v, value: REDACTED } : v;
  });
}

function redactEnvironment(env: unknown): unknown {
  if (!isObj(env)) return env;
  return { ...env, environmentVariables: redactEnvironmentVariables(env['environmentVariables']) };
}

/**
 * A project source's `buildspec` is a file name in the source, an S3 object ARN, or the buildspec
 * itself inline (https://docs.aws.amazon.com/codebuild/latest/APIReference/API_ProjectSource.html),
 * whose commands and `env.variables` may hold secrets. A name or ARN (one word, no `:` outside an
 * ARN) stays. Inline text is reduced to what the analyzer reads: JSON text (which is YAML) of its
 * `version` and its `env.parameter-store` / `env.secrets-manager` maps, which only name
 * parameters and secrets (https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html#build-spec.env.parameter-store);
 * a value there that is not a string is written `null` and a section that is not a map the
 * marker, so the loader still says "not known" for them (src/model/buildspec.ts). Text that
 * cannot be read at all is redacted whole, which the loader reads as "not known". An OAUTH
 * `auth.resource` can be a token: only an ARN stays, as the loader keeps only an ARN
 * (https://docs.aws.amazon.com/codebuild/latest/APIReference/API_SourceAuth.html). A `location`
 * URL loses its user part, query string and fragment, which may hold credentials
 * (redactSourceLocation).
 */
function redactSource(source: unknown): unknown {
  if (!isObj(source)) return source;
  const out: Obj = { ...source };
  const buildspec = out['buildspec'];
  if (typeof buildspec === 'string' && !namesBuildspec(buildspec))
    out['buildspec'] = reduceBuildspec(buildspec, REDACTED) ?? REDACTED;
  else if (buildspec !== undefined && buildspec !== null && typeof buildspec !== 'string')
    out['buildspec'] = REDACTED;
  const auth = out['auth'];
  if (isObj(auth) && typeof auth['resource'] === 'string' && !auth['resource'].startsWith('arn:'))
    out['auth'] = { ...auth, resource: REDACTED };
  if (typeof out['location'] === 'string') out['location'] = redactSourceLocation(out['location']);
  return out;
}

/** A CodeBuild project from batch-get-projects. */
export function redactCodeBuildProject(project: unknown): unknown {
  if (!isObj(project)) return project;
  const out: Obj = { ...project };
  if ('environment' in out) out['environment'] = redactEnvironment(out['environment']);
  if ('source' in out) out['source'] = redactSource(out['source']);
  if (Array.isArray(out['secondarySources']))
    out['secondarySources'] = out['secondarySources'].map(redactSource);
  // the webhook's secret token (https://docs.aws.amazon.com/codebuild/latest/APIReference/API_Webhook.html)
  const webhook = out['webhook'];
  if (isObj(webhook) && 'secret' in webhook) out['webhook'] = { ...webhook, secret: REDACTED };
  return out;
}

/** A Lambda FunctionConfiguration (get-function-configuration). */
export function redactLambdaConfiguration(config: unknown): unknown {
  if (!isObj(config)) return config;
  const env = config['Environment'];
  if (!isObj(env) || !isObj(env['Variables'])) return config;
  const variables: Obj = {};
  for (const name of Object.keys(env['Variables'])) variables[name] = REDACTED;
  return { ...config, Environment: { ...env, Variables: variables } };
}

/**
 * Pipeline action configuration keys that hold credentials: GitHub (version 1)'s `OAuthToken`,
 * and the secret properties of custom and partner action types, which their owners name
 * (`SecretToken`, `PassWord`, `Pass`, `ApiKey`, `Webhook_Signing`, `ConnectionString`, ...).
 * AWS masks the properties an action type declares secret as `****` in get-pipeline
 * (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-GitHub.html,
 * https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_ActionConfigurationProperty.html);
 * redacting every key whose name says it holds a credential keeps that promise even where the
 * masking does not apply. No configuration key the analyzer reads has such a name.
 */
const SECRET_KEY =
  /token|secret|passw|^pass$|pwd|credential|api[-_]?key|private[-_]?key|access[-_]?key|auth|signing|connection[-_]?string/i;

/** Whether a pipeline action configuration key may hold a credential. */
export function isSecretConfigurationKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/**
 * Free-form values an action sends to what it runs, which the analyzer never reads and which
 * teams fill with whatever the deployment needs, passwords included: a Lambda invoke action's
 * `UserParameters` (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-Lambda.html)
 * a Step Functions action's literal `Input`
 * (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-StepFunctions.html;
 * with `InputType` FilePath it only names a file of the input artifact) and a Manual approval's
 * `CustomData`, free text shown to the approver
 * (https://docs.aws.amazon.com/codepipeline/latest/userguide/approvals-action-add.html).
 */
function isFreeFormValue(key: string, configuration: Obj): boolean {
  if (key === 'UserParameters' || key === 'CustomData') return true;
  return key === 'Input' && configuration['InputType'] !== 'FilePath';
}

/**
 * A CloudFormation action's `ParameterOverrides`: a JSON object of parameter name -> value
 * (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CloudFormation.html);
 * a value may be a database password. The names stay, and values that only read an artifact
 * (`Fn::GetParam`, `Fn::GetArtifactAtt`); every other value is redacted, and text that is not a
 * JSON object is redacted whole.
 */
function redactParameterOverrides(text: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return redactParameterList(text);
  }
  if (!isObj(parsed)) return redactParameterList(text);
  const out: Obj = {};
  for (const [name, value] of Object.entries(parsed)) {
    out[name] = readsArtifact(value) ? value : REDACTED;
  }
  return JSON.stringify(out);
}

/**
 * A list of stack parameters, as a CloudFormationStackSet action's `Parameters` (and a
 * CloudFormationStackInstances action's `ParameterOverrides`) takes it: the shorthand
 * `ParameterKey=Name,ParameterValue=value ...`, a JSON list of `{ParameterKey, ParameterValue,
 * UsePreviousValue, ResolvedValue}`, or the path of a file in an input artifact
 * (`Artifact::path/file.json`)
 * (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-StackSets.html).
 * A value may be a password: the names stay, every value is redacted, a file path stays (it only
 * names a file), and text of any other shape is redacted whole.
 */
function redactParameterList(text: string): string {
  if (/^[A-Za-z0-9_-]+::\S+$/.test(text)) return text;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (parsed !== undefined) {
    if (!Array.isArray(parsed) || !parsed.every(isObj)) return REDACTED;
    return JSON.stringify(
      parsed.map((p) => {
        const out: Obj = { ...p };
        for (const key of Object.keys(out)) {
          if (key !== 'ParameterKey' && key !== 'UsePreviousValue') out[key] = REDACTED;
        }
        return out;
      }),
    );
  }
  const entries = text.trim().split(/\s+(?=ParameterKey=)/);
  const out: string[] = [];
  for (const entry of entries) {
    const m = /^ParameterKey=([^,\s]+)(,.*)?$/s.exec(entry);
    if (!m?.[1]) return REDACTED;
    out.push(
      /^,UsePreviousValue=(true|false)$/.test(m[2] ?? '')
        ? `ParameterKey=${m[1]}${m[2]}`
        : `ParameterKey=${m[1]},ParameterValue=${REDACTED}`,
    );
  }
  return out.join(' ');
}

function readsArtifact(value: unknown): boolean {
  if (!isObj(value)) return false;
  const keys = Object.keys(value);
  if (keys.length !== 1 || (keys[0] !== 'Fn::GetParam' && keys[0] !== 'Fn::GetArtifactAtt'))
    return false;
  const args = value[keys[0]];
  return Array.isArray(args) && args.every((a) => typeof a === 'string');
}

/**
 * Every URL in a configuration value (`RepositoryUrl: https://user:token@host/repo.git`, a Manual
 * approval's `ExternalEntityLink: https://ci/job?token=...`, a custom action's endpoint) loses
 * its user part, query string and fragment, as a CodeBuild source location does
 * (redactSourceLocation): credentials go there under any key name. A URL is a scheme and `//`
 * up to the next white space; no configuration key `analyze` reads holds one (they hold names,
 * ARNs, ids and file paths), so what it reads is unchanged.
 */
const URL_IN_TEXT = /(?:[a-z][a-z0-9+.-]*::)?[a-z][a-z0-9+.-]*:\/\/\S*/gi;

function redactUrls(text: string): string {
  return text.replace(URL_IN_TEXT, (url) => redactSourceLocation(url));
}

function redactConfiguration(configuration: Obj): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(configuration)) {
    if (isSecretConfigurationKey(k) || isFreeFormValue(k, configuration)) out[k] = REDACTED;
    else if (k === 'ParameterOverrides') {
      out[k] = typeof v === 'string' ? redactParameterOverrides(v) : REDACTED;
    } else if (k === 'Parameters') {
      out[k] = typeof v === 'string' ? redactParameterList(v) : REDACTED;
    } else if (k === 'EnvironmentVariables' && typeof v === 'string') {
      // a JSON string of CodeBuild environment variables; text that is not one may hold
      // anything, and the loader could not read it anyway
      out[k] = redactActionEnvironmentVariables(v, REDACTED) ?? REDACTED;
    } else out[k] = typeof v === 'string' ? redactUrls(v) : v;
  }
  return out;
}

/**
 * An action or a stage-condition rule, its configuration redacted, and the shell `commands` of a
 * Commands action or rule, which may hold tokens
 * (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-Commands.html,
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/rule-reference-Commands.html): each
 * command is replaced, so the list keeps its length and shape (the loader checks that a rule's
 * `commands` is a list of strings) but no text. An action's own `environmentVariables`
 * (`{name, value, type}`, type PLAINTEXT (the default) or SECRETS_MANAGER:
 * https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_EnvironmentVariable.html) are
 * redacted like a CodeBuild project's: a PLAINTEXT value is replaced, a SECRETS_MANAGER value
 * only names a secret and stays. The analyzer does not read them.
 */
function redactConfigured(item: unknown): unknown {
  if (!isObj(item)) return item;
  const out: Obj = { ...item };
  if (isObj(item['configuration']))
    out['configuration'] = redactConfiguration(item['configuration']);
  if (Array.isArray(item['commands'])) {
    out['commands'] = item['commands'].map((c: unknown) => (typeof c === 'string' ? REDACTED : c));
  }
  if ('environmentVariables' in item)
    out['environmentVariables'] = redactEnvironmentVariables(item['environmentVariables']);
  return out;
}

/**
 * A stage's `beforeEntry` / `onSuccess` / `onFailure`: the rules of its conditions have
 * configurations like actions (a LambdaInvoke rule's `UserParameters`)
 * (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_RuleDeclaration.html).
 */
function redactConditions(block: unknown): unknown {
  if (!isObj(block) || !Array.isArray(block['conditions'])) return block;
  return {
    ...block,
    conditions: block['conditions'].map((c: unknown) =>
      isObj(c) && Array.isArray(c['rules']) ? { ...c, rules: c['rules'].map(redactConfigured) } : c,
    ),
  };
}

/** A get-pipeline output `{pipeline, metadata}`. */
export function redactPipeline(output: unknown): unknown {
  if (!isObj(output) || !isObj(output['pipeline'])) return output;
  const pipeline = output['pipeline'];
  const stages = Array.isArray(pipeline['stages'])
    ? pipeline['stages'].map((stage: unknown) => {
        if (!isObj(stage)) return stage;
        const out: Obj = { ...stage };
        if (Array.isArray(stage['actions']))
          out['actions'] = stage['actions'].map(redactConfigured);
        for (const key of ['beforeEntry', 'onSuccess', 'onFailure'])
          if (key in stage) out[key] = redactConditions(stage[key]);
        return out;
      })
    : pipeline['stages'];
  const out: Obj = { ...pipeline, stages };
  // a pipeline variable's default is sent to the actions that use it, and may be anything; the
  // analyzer treats `#{variables.X}` as unknown whatever its default (src/model/pipelineVariables.ts)
  // (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_PipelineVariableDeclaration.html)
  if (Array.isArray(pipeline['variables'])) {
    out['variables'] = pipeline['variables'].map((v: unknown) =>
      isObj(v) && 'defaultValue' in v ? { ...v, defaultValue: REDACTED } : v,
    );
  }
  return { ...output, pipeline: out };
}

/**
 * The targets of EventBridge rules (list-targets-by-rule): the header and query string values of
 * an HTTP target (API Gateway, API destination) often carry an API key
 * (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_HttpParameters.html); their
 * names stay. The constant `Input` and an `InputTransformer`'s `InputTemplate` are text sent to
 * the target as it is, and may hold anything
 * (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_Target.html); the analyzer
 * reads neither, so both are redacted (the transformer's `InputPathsMap` only names event paths).
 */
export function redactEventTarget(target: unknown): unknown {
  if (!isObj(target)) return target;
  const out: Obj = { ...target };
  if ('Input' in out) out['Input'] = REDACTED;
  const transformer = out['InputTransformer'];
  if (isObj(transformer) && 'InputTemplate' in transformer)
    out['InputTransformer'] = { ...transformer, InputTemplate: REDACTED };
  if (isObj(out['HttpParameters'])) {
    const http: Obj = { ...out['HttpParameters'] };
    for (const key of ['HeaderParameters', 'QueryStringParameters']) {
      const params = http[key];
      if (!isObj(params)) continue;
      const redacted: Obj = {};
      for (const name of Object.keys(params)) redacted[name] = REDACTED;
      http[key] = redacted;
    }
    // the values filled into an API destination's path wildcards
    if (Array.isArray(http['PathParameterValues']))
      http['PathParameterValues'] = http['PathParameterValues'].map(() => REDACTED);
    out['HttpParameters'] = http;
  }
  // a SageMaker pipeline's parameter values: the names stay
  // (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_SageMakerPipelineParameter.html)
  const sageMaker = out['SageMakerPipelineParameters'];
  if (isObj(sageMaker) && Array.isArray(sageMaker['PipelineParameterList'])) {
    out['SageMakerPipelineParameters'] = {
      ...sageMaker,
      PipelineParameterList: sageMaker['PipelineParameterList'].map((p: unknown) =>
        isObj(p) && 'Value' in p ? { ...p, Value: REDACTED } : p,
      ),
    };
  }
  // the SQL a Redshift target runs (`CREATE USER ... PASSWORD '...'`)
  // (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_RedshiftDataParameters.html)
  const redshift = out['RedshiftDataParameters'];
  if (isObj(redshift)) {
    const rs: Obj = { ...redshift };
    if ('Sql' in rs) rs['Sql'] = REDACTED;
    if (Array.isArray(rs['Sqls'])) rs['Sqls'] = rs['Sqls'].map(() => REDACTED);
    out['RedshiftDataParameters'] = rs;
  }
  // the GraphQL operation an AppSync target runs, literals included
  // (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_AppSyncParameters.html)
  const appSync = out['AppSyncParameters'];
  if (isObj(appSync) && 'GraphQLOperation' in appSync)
    out['AppSyncParameters'] = { ...appSync, GraphQLOperation: REDACTED };
  return out;
}
