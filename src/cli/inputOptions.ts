/**
 * The input options `analyze` and `baseline` share (a baseline must be written from the same
 * input the gate later analyzes, or its link ids would not match), and the loading they lead to:
 * the input itself, templates laid over it, and artifact folders.
 */
import type { Command } from 'commander';
import {
  parseArtifactOption,
  readSuppliedArtifacts,
  type ArtifactDirectory,
} from '../load/artifacts.js';
import type { SuppliedArtifacts } from '../model/artifacts.js';
import { isAccountId } from '../model/arn.js';
import { listPipelines } from '../model/queries.js';
import type { Model } from '../model/types.js';
import { shownValue, type Problem } from '../problems.js';
import { loadInput } from './loadInput.js';

export interface InputCliOptions {
  stacks?: string;
  template?: string;
  account?: string;
  region?: string;
  stackName?: string;
  parameter: string[];
  artifact: string[];
}

export const repeat = (v: string, prev: string[]): string[] => [...prev, v];
export const ACCOUNT_HELP = 'the account of the template, or of environment-agnostic CDK stacks';
export const REGION_HELP = 'the region of the template, or of environment-agnostic CDK stacks';

/** `--artifact`, alone: `diff` takes it for both of its inputs. */
export function addArtifactOption(command: Command): Command {
  return command.option(
    '--artifact <[pipeline/]name=dir>',
    'the files of an input artifact, in a local folder (a blue/green ECS deploy reads its taskdef.json from it); repeatable',
    repeat,
    [],
  );
}

export function addInputOptions(command: Command): Command {
  command
    .option(
      '--stacks <file>',
      'a stacks file (templates with their account, region, parameters) or a CDK assembly (cdk.out/), laid over the snapshot',
    )
    .option(
      '--template <file>',
      'one CloudFormation/SAM template, laid over the snapshot (needs --account and --region)',
    )
    .option('--account <id>', ACCOUNT_HELP)
    .option('--region <name>', REGION_HELP)
    .option('--stack-name <name>', 'the stack name of --template (AWS::StackName)')
    .option('--parameter <key=value>', 'a parameter of --template; repeatable', repeat, []);
  return addArtifactOption(command);
}

export interface LoadedAnalysisInput {
  readonly model: Model;
  readonly artifacts: SuppliedArtifacts;
  /** problems of the input and of the artifact folders */
  readonly problems: readonly Problem[];
  /** the snapshot folder (absolute), when the input is one */
  readonly snapshotRoot?: string;
  /** the templates the stacks files of the input name (absolute paths): inputs of the run */
  readonly templates: readonly string[];
}

/** Parse the `--artifact` values; a usage error names the first bad one. */
function artifactDirectories(
  values: readonly string[] | undefined,
): ArtifactDirectory[] | { readonly usage: string } {
  const dirs: ArtifactDirectory[] = [];
  for (const a of values ?? []) {
    const parsed = parseArtifactOption(a);
    if ('error' in parsed) return { usage: parsed.error };
    dirs.push(parsed);
  }
  return dirs;
}

/** Load what the input options name; a usage error (bad option value) comes back as `usage`. */
export function loadAnalysisInput(
  cwd: string,
  input: string | undefined,
  opts: Partial<InputCliOptions>,
  pipelines: readonly string[],
): LoadedAnalysisInput | { readonly usage: string } {
  const environment = environmentOptionProblem(opts);
  if (environment !== undefined) return { usage: environment };
  const parameters: Record<string, string> = {};
  for (const p of opts.parameter ?? []) {
    const eq = p.indexOf('=');
    if (eq <= 0) return { usage: `--parameter \`${p}\` is not KEY=VALUE` };
    parameters[p.slice(0, eq)] = p.slice(eq + 1);
  }
  const dirs = artifactDirectories(opts.artifact);
  if ('usage' in dirs) return dirs;
  const loaded = loadInput(cwd, {
    ...(input !== undefined ? { input } : {}),
    ...(opts.stacks !== undefined ? { stacks: opts.stacks } : {}),
    ...(opts.template !== undefined ? { template: opts.template } : {}),
    ...(opts.account !== undefined ? { account: opts.account } : {}),
    ...(opts.region !== undefined ? { region: opts.region } : {}),
    ...(opts.stackName !== undefined ? { stackName: opts.stackName } : {}),
    parameters,
  });
  const supplied = readSuppliedArtifacts(loaded.model, dirs, { cwd, pipelines });
  return {
    model: loaded.model,
    artifacts: supplied.artifacts,
    problems: [...loaded.problems, ...supplied.problems],
    templates: loaded.templates,
    ...(loaded.snapshotRoot !== undefined ? { snapshotRoot: loaded.snapshotRoot } : {}),
  };
}

/**
 * A usage error for an `--account` that is not an account id, or a `--region` that is not written
 * like a region name, given whether or not the input uses it (a typo is refused before anything is
 * read, never analyzed as given). An account id is exactly 12 digits
 * (https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-identifiers.html): the
 * shorter made-up ids some CDK test assemblies write in their manifests stay a warning of the
 * manifest, but one typed as the option is a mistake. A region of the shape AWS gives its region
 * codes (lower-case parts joined by `-`, the last a number: `us-east-1`, `il-central-1`,
 * `us-gov-west-1`) that permchain does not know (isRegionName: `mars-1`) may be a new region: it
 * is used as given, and the stack loader warns (`stacks.region.unknown`); `US EAST`, an empty
 * value or an Availability Zone (`us-east-1a`) is refused.
 */
export function environmentOptionProblem(
  opts: Pick<Partial<InputCliOptions>, 'account' | 'region'>,
): string | undefined {
  if (opts.account !== undefined && !isAccountId(opts.account))
    return opts.account === ''
      ? '--account needs an account id (12 digits), not an empty value'
      : `--account ${shownValue(opts.account, 80)} is not an account id (12 digits)`;
  if (opts.region !== undefined && !/^[a-z][a-z0-9]*(-[a-z0-9]+)*-[0-9]+$/.test(opts.region))
    return opts.region === ''
      ? '--region needs a region name (like us-east-1), not an empty value'
      : `--region ${shownValue(opts.region, 80)} is not a region name (lower-case letters, digits and \`-\`, ending in a number, like us-east-1)`;
  return undefined;
}

/**
 * A warning when the input holds no pipeline at all (a wrong path or region folder, a crawl that
 * found nothing): otherwise nothing is analyzed and the gate passes in silence. Not given when
 * the input itself could not be read (that is an error already) or --pipeline names pipelines
 * (each one missing is an error).
 */
export function noPipelinesProblem(
  loaded: LoadedAnalysisInput,
  input: string | undefined,
  opts: Partial<InputCliOptions> & { readonly pipeline?: readonly string[] },
): Problem | undefined {
  if ((opts.pipeline?.length ?? 0) > 0) return undefined;
  if (loaded.problems.some((p) => p.severity === 'error' && p.id.startsWith('input.')))
    return undefined;
  if (listPipelines(loaded.model).length > 0) return undefined;
  // a pipeline, template or stacks file that could not be read already says why nothing was
  // analyzed: "check the path" would send the user the wrong way
  if ([...loaded.problems, ...loaded.model.problems].some(unreadableInput)) return undefined;
  const name = input ?? opts.stacks ?? opts.template;
  return {
    ...(name !== undefined ? { file: name } : {}),
    pointer: '',
    message:
      'no pipelines found: nothing was analyzed (check the path; a snapshot holds them in ' +
      '<account>/<region>/codepipeline/, with region folders named like us-east-1)',
    id: 'input.no-pipelines',
    severity: 'warning',
  };
}

/**
 * Errors that a template, a stacks file or an assembly manifest could not be read or parsed: what
 * it holds is not known, so "no pipelines found, check the snapshot layout" would mislead.
 */
const UNREADABLE_IDS = new Set([
  'template.syntax.invalid',
  'stacks.file.invalid',
  'stacks.file.missing',
  'stacks.template.missing',
  'cdk.manifest.invalid',
]);

/** An error that a file which may hold pipelines could not be read at all. */
function unreadableInput(p: Problem): boolean {
  if (p.severity !== 'error') return false;
  if (UNREADABLE_IDS.has(p.id)) return true;
  // (a pipeline file with a member name twice is not read either: snapshotFiles.readJson)
  return (
    (p.id === 'snapshot.json.invalid' || p.id === 'snapshot.json.duplicate-key') &&
    p.file !== undefined &&
    /(^|\/)codepipeline\//.test(p.file)
  );
}
