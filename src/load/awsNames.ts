/**
 * The names AWS can give a pipeline, an IAM role, user or group and a CodeBuild project, and the
 * paths of IAM: a name or path past AWS's documented length or outside its characters is not
 * what the AWS CLI returns, so the item that bears it is an input error, never analyzed under a
 * name AWS could not have produced (a 1 MB pipeline name made a 114 MB report). The messages
 * never repeat a long name in full.
 */
import { shownValue } from '../problems.js';

/** The problem id of a name AWS could not have produced (an error: the CLI exits 2). */
export const NAME_INVALID = 'snapshot.name.invalid';

export interface NameRule {
  /** what the name names, in words: `pipeline`, `role`, `codebuild project` */
  readonly what: string;
  /** the service that sets the limits, for the message */
  readonly service: string;
  readonly min: number;
  readonly max: number;
  /** the whole name must match (anchored) */
  readonly pattern: RegExp;
  /** the characters allowed, in words */
  readonly allowed: string;
}

/**
 * CodePipeline `PipelineDeclaration.name`: 1 to 100 characters of `[A-Za-z0-9.@\-_]+`
 * (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_PipelineDeclaration.html).
 */
export const PIPELINE_NAME: NameRule = {
  what: 'pipeline name',
  service: 'CodePipeline',
  min: 1,
  max: 100,
  pattern: /^[A-Za-z0-9.@_-]+$/,
  allowed: 'letters, digits and `.@-_`',
};

/**
 * CodePipeline `StageDeclaration.name`, `ActionDeclaration.name` and `RuleDeclaration.name`: 1 to
 * 100 characters of `[A-Za-z0-9.@\-_]+`
 * (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_StageDeclaration.html,
 * https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_ActionDeclaration.html,
 * https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_RuleDeclaration.html). Link
 * ids join them with `/` and `:`, which no such name holds, so two actions never share an id.
 */
export const STAGE_NAME: NameRule = { ...PIPELINE_NAME, what: 'stage name' };
export const ACTION_NAME: NameRule = { ...PIPELINE_NAME, what: 'action name' };
export const RULE_NAME: NameRule = { ...PIPELINE_NAME, what: 'rule name' };

/**
 * IAM `Role.RoleName`: 1 to 64 characters of `[\w+=,.@-]+` (`\w` is `[A-Za-z0-9_]`); the path is
 * a separate field (https://docs.aws.amazon.com/IAM/latest/APIReference/API_Role.html,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-names).
 */
export const ROLE_NAME: NameRule = {
  what: 'role name',
  service: 'IAM',
  min: 1,
  max: 64,
  pattern: /^[A-Za-z0-9_+=,.@-]+$/,
  allowed: 'letters, digits and `_+=,.@-`',
};

/**
 * IAM `User.UserName`: 1 to 64 characters of `[\w+=,.@-]+`, as a role name
 * (https://docs.aws.amazon.com/IAM/latest/APIReference/API_User.html,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-entity-length).
 */
export const USER_NAME: NameRule = { ...ROLE_NAME, what: 'user name' };

/**
 * IAM `Group.GroupName`: 1 to 128 characters of `[\w+=,.@-]+`
 * (https://docs.aws.amazon.com/IAM/latest/APIReference/API_Group.html,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-entity-length).
 */
export const GROUP_NAME: NameRule = { ...ROLE_NAME, what: 'group name', max: 128 };

/**
 * CodeBuild `Project.name`: 2 to 255 characters of `[A-Za-z0-9][A-Za-z0-9\-_]{1,254}`
 * (https://docs.aws.amazon.com/codebuild/latest/APIReference/API_CreateProject.html#CodeBuild-CreateProject-request-name).
 */
export const CODEBUILD_PROJECT_NAME: NameRule = {
  what: 'codebuild project name',
  service: 'CodeBuild',
  min: 2,
  max: 255,
  pattern: /^[A-Za-z0-9][A-Za-z0-9_-]*$/,
  allowed: 'letters, digits, `-` and `_`, starting with a letter or digit',
};

/** The longest part of a name a message repeats. */
const SHOWN = 40;

/** The longest ARN a message repeats: a role ARN with a name of 64 characters and a short path. */
export const ARN_SHOWN = 120;

/**
 * `name` (or any value from the input) for a message, in backticks: in full when at most `limit`
 * characters, else its first `limit` characters and its length.
 */
export function shown(name: string, limit = SHOWN): string {
  return shownValue(name, limit);
}

/** Why `name` is not a name AWS could have produced under `rule`, or undefined when it is one. */
export function invalidName(name: string, rule: NameRule): string | undefined {
  // the length first: a long name is never scanned by the pattern
  if (name.length > rule.max)
    return `the ${rule.what} ${shown(name)} is longer than ${rule.service} allows (at most ${rule.max} characters)`;
  if (name.length === 0) return `the ${rule.what} is empty`;
  if (name.length < rule.min)
    return `the ${rule.what} ${shown(name)} is shorter than ${rule.service} allows (at least ${rule.min} characters)`;
  if (!rule.pattern.test(name))
    return `the ${rule.what} ${shown(name)} has characters ${rule.service} does not allow (${rule.allowed})`;
  return undefined;
}

/** The problem id of an IAM path AWS could not have produced (an error: the CLI exits 2). */
export const PATH_INVALID = 'snapshot.path.invalid';

/** The longest IAM path. */
const PATH_MAX = 512;

/**
 * Why `path` is not an IAM path, or undefined when it is one: `/` alone, or `/`, at least one
 * character and `/`, 1 to 512 characters in all, each from `!` (U+0021) to DEL (U+007F). The
 * pattern of the Role API reference ends the range at `~` (U+007E), while the prose of CreateRole
 * says "through the DEL character (\u007F)": the wider range is taken, so no path the
 * documentation allows is refused
 * (https://docs.aws.amazon.com/IAM/latest/APIReference/API_Role.html,
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html). `what` is what the
 * path is of, in words (`role`).
 */
export function invalidIamPath(path: string, what: string): string | undefined {
  // the length first: a long path is never scanned
  if (path.length > PATH_MAX)
    return `the ${what} path ${shown(path)} is longer than IAM allows (at most ${PATH_MAX} characters)`;
  if (path.length === 0) return `the ${what} path is empty`;
  if (path !== '/' && (path.length < 3 || path[0] !== '/' || path[path.length - 1] !== '/'))
    return `the ${what} path ${shown(path)} is not \`/\` nor text between a leading and a trailing \`/\`, as IAM requires`;
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c < 0x21 || c > 0x7f)
      return `the ${what} path ${shown(path)} has characters IAM does not allow (ASCII from \`!\` to DEL: no space, no control character, nothing outside ASCII)`;
  }
  return undefined;
}
