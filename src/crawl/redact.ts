/**
 * No secret value is ever written to a snapshot. CodeBuild PLAINTEXT environment variables and
 * Lambda environment variables hold their values in clear text (AWS recommends Parameter Store
 * or Secrets Manager for secrets precisely because these are readable by anyone with read access:
 * https://docs.aws.amazon.com/codebuild/latest/APIReference/API_EnvironmentVariable.html), so
 * their values are replaced; names and types stay because the analyzer needs them (a
 * PARAMETER_STORE or SECRETS_MANAGER value is a name, not a secret, and stays).
 * Pure functions that return copies.
 */
export const REDACTED = '<redacted by permchain>';

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date);
}

function redactEnvironmentVariables(vars: unknown): unknown {
  if (!Array.isArray(vars)) return vars;
  return vars.map((v: unknown) => {
    if (!isObj(v)) return v;
    // `type` defaults to PLAINTEXT when absent
    const type = typeof v['type'] === 'string' ? v['type'] : 'PLAINTEXT';
    return type === 'PLAINTEXT' && 'value' in v ? { ...v, value: REDACTED } : v;
  });
}

function redactEnvironment(env: unknown): unknown {
  if (!isObj(env)) return env;
  return { ...env, environmentVariables: redactEnvironmentVariables(env['environmentVariables']) };
}

/** A CodeBuild project from batch-get-projects. */
export function redactCodeBuildProject(project: unknown): unknown {
  if (!isObj(project)) return project;
  const out: Obj = { ...project };
  if ('environment' in out) out['environment'] = redactEnvironment(out['environment']);
  return out;
}

/** A Lambda FunctionConfiguration from get-function. */
export function redactLambdaConfiguration(config: unknown): unknown {
  if (!isObj(config)) return config;
  const env = config['Environment'];
  if (!isObj(env) || !isObj(env['Variables'])) return config;
  const variables: Obj = {};
  for (const name of Object.keys(env['Variables'])) variables[name] = REDACTED;
  return { ...config, Environment: { ...env, Variables: variables } };
}

/**
 * Pipeline action configuration keys that hold credentials. AWS already masks them as `****` in
 * get-pipeline (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-GitHub.html);
 * redacting them too keeps that promise even if the masking ever changes.
 */
const SECRET_CONFIGURATION_KEYS = new Set(['OAuthToken', 'SecretToken']);

/** A get-pipeline output `{pipeline, metadata}`. */
export function redactPipeline(output: unknown): unknown {
  if (!isObj(output) || !isObj(output['pipeline'])) return output;
  const pipeline = output['pipeline'];
  const stages = Array.isArray(pipeline['stages'])
    ? pipeline['stages'].map((stage: unknown) => {
        if (!isObj(stage) || !Array.isArray(stage['actions'])) return stage;
        return {
          ...stage,
          actions: stage['actions'].map((action: unknown) => {
            if (!isObj(action) || !isObj(action['configuration'])) return action;
            const configuration: Obj = {};
            for (const [k, v] of Object.entries(action['configuration'])) {
              configuration[k] = SECRET_CONFIGURATION_KEYS.has(k) ? REDACTED : v;
            }
            return { ...action, configuration };
          }),
        };
      })
    : pipeline['stages'];
  return { ...output, pipeline: { ...pipeline, stages } };
}
