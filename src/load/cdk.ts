/**
 * A CDK cloud assembly (`cdk.out`): `manifest.json` lists each stack's template, account and
 * region (https://docs.aws.amazon.com/cdk/v2/guide/environments.html). Environment-agnostic
 * stacks (`aws://unknown-account/unknown-region`) take the account and region given here.
 * Nested assemblies (CDK stages) are read too.
 */
import { realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { joinPointer, shownValue, type Problem } from '../problems.js';
import type { Location, UnresolvedValueModel } from '../model/types.js';
import {
  displayPath,
  environmentPlaceholder,
  loadStacks,
  readTemplateFile,
  type StackSpec,
  type TemplateLoadOptions,
  type TemplateLoadResult,
  valueShape,
} from './stacks.js';
import type { StackParameterInput, UnreadableParameters } from './templateStack.js';
import { duplicateMemberProblems, readJsonText } from './jsonFile.js';
import { isFile } from './snapshotFiles.js';

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/**
 * A folder with a `manifest.json` that is not a folder. A snapshot never has one at its top
 * level, so a manifest that cannot be read or lists no artifacts is reported as a broken
 * assembly (readAssembly) instead of being read as a snapshot with no pipelines.
 */
export function isCdkAssembly(dir: string): boolean {
  try {
    if (!statSync(dir).isDirectory()) return false;
    return !statSync(join(dir, 'manifest.json')).isDirectory();
  } catch {
    return false;
  }
}

const MAX_NESTING = 8;

/**
 * The artifact types of the cloud assembly schema that hold no stack
 * (https://github.com/aws/aws-cdk/blob/main/packages/%40aws-cdk/cloud-assembly-schema/lib/cloud-assembly/schema.ts,
 * `ArtifactType`): read without a word. Stacks (`aws:cloudformation:stack`) and nested
 * assemblies (`cdk:cloud-assembly`) are read; any other type is reported.
 */
const IGNORED_TYPES: ReadonlySet<string> = new Set([
  'none',
  'cdk:tree',
  'cdk:asset-manifest',
  'cdk:feature-flag-report',
]);

/**
 * A path the manifest gives that leads out of the assembly folder (`../`, an absolute path, a
 * link): the CDK writes none, and a manifest that does would have other files read as templates.
 */
function outside(root: string, path: string): boolean {
  const rel = relative(root, canonicalPath(path));
  return rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel);
}

/**
 * A path as one path, whatever link or `..` leads to it: a path that does not exist is its
 * nearest existing folder's, resolved, and the rest as written (a missing template under an
 * assembly reached through a link is inside it, not outside).
 */
function canonicalPath(path: string): string {
  const rest: string[] = [];
  let at = resolve(path);
  for (;;) {
    try {
      return join(realpathSync(at), ...rest.reverse());
    } catch {
      const up = dirname(at);
      if (up === at) return resolve(path);
      rest.push(basename(at));
      at = up;
    }
  }
}

/**
 * The account and region of the environment-agnostic stacks of one assembly, when no option
 * gives them: one placeholder each, shared by those stacks (one `cdk deploy` puts them in the
 * same account and region, so their imports and references still meet). The placeholders do
 * not depend on the folder the assembly is read from: two copies of one assembly
 * (`permchain diff main/cdk.out pr/cdk.out`, a baseline written in CI and checked on a laptop)
 * give the same ARNs and link ids, never a removed pipeline and a new one.
 */
interface AgnosticEnvironment {
  readonly account: string;
  readonly region: string;
  readonly accountStacks: string[];
  readonly regionStacks: string[];
  accountAt?: Location;
  regionAt?: Location;
}

export function loadCdkAssembly(
  dir: string,
  opts: { account?: string; region?: string } & TemplateLoadOptions,
): TemplateLoadResult {
  const problems: Problem[] = [];
  const specs: StackSpec[] = [];
  const root = displayPath(dir, opts.cwd);
  // a seed no stacks-file account or region (`account|<text>`) can give
  const env0: AgnosticEnvironment = {
    account: environmentPlaceholder('cdk-assembly|account'),
    region: environmentPlaceholder('cdk-assembly|region'),
    accountStacks: [],
    regionStacks: [],
  };
  readAssembly(dir, { ...opts, root: canonicalPath(dir) }, env0, specs, problems, 0, new Set());
  const unresolved: UnresolvedValueModel[] = [];
  const names = (ids: readonly string[]): string =>
    `${ids.length === 1 ? 'stack' : 'stacks'} \`${ids.join('`, `')}\``;
  if (env0.accountAt) {
    unresolved.push({
      placeholder: env0.account,
      reason: `the account of the environment-agnostic ${names(env0.accountStacks)} is known only at deploy: give --account`,
      location: env0.accountAt,
    });
  }
  if (env0.regionAt) {
    unresolved.push({
      placeholder: env0.region,
      reason: `the region of the environment-agnostic ${names(env0.regionStacks)} is known only at deploy: give --region`,
      location: env0.regionAt,
    });
  }
  const withPlaceholders = specs.map((s) =>
    s.account === env0.account || s.region === env0.region
      ? { ...s, unresolved: [...(s.unresolved ?? []), ...unresolved] }
      : s,
  );
  return loadStacks(withPlaceholders, root, opts, problems);
}

function readAssembly(
  dir: string,
  opts: { account?: string; region?: string; cwd?: string; root: string },
  env0: AgnosticEnvironment,
  specs: StackSpec[],
  problems: Problem[],
  depth: number,
  visited: Set<string>,
): void {
  // a nested assembly that names a folder already read (itself, an ancestor, a sibling's) is
  // read once: a manifest whose nested assemblies name their own folder would otherwise be read
  // ten times per level
  visited.add(canonicalPath(dir));
  const manifestPath = join(dir, 'manifest.json');
  const file = displayPath(manifestPath, opts.cwd);
  const read = readJsonText(manifestPath);
  // a member name twice in one object (an artifact id, a `templateFile`): JSON.parse keeps the
  // last, so a stack written twice was read once with no word, its pipelines gone. The CDK
  // writes the manifest from a dictionary and never writes one: the manifest could be read two
  // ways and is not read, as a snapshot file that holds no policy (snapshotFiles.ts readJson)
  if (read.ok && read.duplicates !== undefined) {
    problems.push(
      ...duplicateMemberProblems(file, read, 'cdk.manifest.duplicate-key', 'the manifest'),
    );
    return;
  }
  const artifacts = read.ok && isObject(read.value) ? read.value['artifacts'] : undefined;
  if (!isObject(artifacts)) {
    problems.push({
      file,
      pointer: '',
      message: read.ok
        ? 'expected a cdk `manifest.json` with `artifacts`'
        : `expected a cdk \`manifest.json\` with \`artifacts\`: ${read.message}`,
      id: 'cdk.manifest.invalid',
      severity: 'error',
    });
    return;
  }
  const problem = (
    pointer: string,
    message: string,
    id: string,
    severity: Problem['severity'] = 'error',
  ): void => {
    problems.push({ file, pointer, message, id, severity });
  };
  for (const id of Object.keys(artifacts).sort()) {
    const a = artifacts[id];
    const pointer = joinPointer('/artifacts', id);
    const shown = id.slice(0, 120);
    // what the manifest holds but permchain does not read is said, never skipped without a
    // word: a stack among them would vanish with its pipelines
    if (!isObject(a)) {
      problem(
        pointer,
        `artifact \`${shown}\` is not an object: it is not read`,
        'cdk.artifact.invalid',
      );
      continue;
    }
    const type = a['type'];
    if (typeof type !== 'string') {
      problem(
        joinPointer(pointer, 'type'),
        `artifact \`${shown}\` has no \`type\` (a string): it is not read`,
        'cdk.artifact.invalid',
      );
      continue;
    }
    if (a['properties'] !== undefined && !isObject(a['properties'])) {
      problem(
        joinPointer(pointer, 'properties'),
        `artifact \`${shown}\`: \`properties\` is not an object: it is not read`,
        'cdk.artifact.invalid',
      );
      continue;
    }
    const props = isObject(a['properties']) ? a['properties'] : {};
    if (IGNORED_TYPES.has(type)) continue;
    if (type !== 'cdk:cloud-assembly' && type !== 'aws:cloudformation:stack') {
      // a type the CDK does not write (a typo, a hand edit) or a newer one: a stack's
      // `templateFile` says it may be a stack, which is then missing from the analysis
      const stackLike = props['templateFile'] !== undefined;
      problem(
        joinPointer(pointer, 'type'),
        `artifact \`${shown}\` has the type ${shownValue(type, 80)}, which is not one the CDK writes: it is not read${stackLike ? ' (it has a `templateFile`: is it a stack, `aws:cloudformation:stack`?)' : ''}`,
        'cdk.artifact.type-unknown',
        stackLike ? 'error' : 'warning',
      );
      continue;
    }
    if (type === 'cdk:cloud-assembly') {
      if (typeof props['directoryName'] !== 'string') {
        problem(
          joinPointer(pointer, 'properties', 'directoryName'),
          `nested assembly \`${shown}\` has no \`directoryName\` (a string): its stacks are not read`,
          'cdk.artifact.invalid',
        );
        continue;
      }
      const nested = join(dir, props['directoryName']);
      const at = joinPointer(pointer, 'properties', 'directoryName');
      if (outside(opts.root, nested)) {
        problem(
          at,
          `the nested assembly \`${props['directoryName'].slice(0, 120)}\` is outside the cloud assembly folder: it is not read`,
          'cdk.path.outside',
        );
      } else if (!isFile(join(nested, 'manifest.json'))) {
        // said here, where the folder is named: its own manifest.json is no file to point at
        problems.push({
          file,
          pointer: at,
          message: `the nested assembly \`${props['directoryName'].slice(0, 120)}\` has no \`manifest.json\`: its stacks are not read`,
          id: 'cdk.assembly.missing',
          severity: 'error',
        });
      } else if (visited.has(canonicalPath(nested))) {
        problems.push({
          file,
          pointer: joinPointer(pointer, 'properties', 'directoryName'),
          message: `the nested assembly \`${props['directoryName'].slice(0, 120)}\` is a folder already read: it is read once`,
          id: 'cdk.assembly.repeated',
          severity: 'warning',
        });
      } else if (depth < MAX_NESTING) {
        readAssembly(nested, opts, env0, specs, problems, depth + 1, visited);
      } else {
        // its stacks are not read: say so, or their pipelines would vanish without a word
        problems.push({
          file,
          pointer: joinPointer(pointer, 'properties', 'directoryName'),
          message: `the nested assembly \`${props['directoryName'].slice(0, 120)}\` is more than ${MAX_NESTING} levels deep: it is not read (analyze it directly)`,
          id: 'cdk.assembly.too-deep',
          severity: 'error',
        });
      }
      continue;
    }
    const templateFile = props['templateFile'];
    if (typeof templateFile !== 'string') {
      problems.push({
        file,
        pointer: joinPointer(pointer, 'properties'),
        message: `stack \`${id}\` has no \`templateFile\``,
        id: 'cdk.stack.invalid',
        severity: 'error',
      });
      continue;
    }
    const rawEnv = a['environment'];
    let m = /^aws:\/\/([^/]*)\/(.*)$/.exec(
      typeof rawEnv === 'string' ? rawEnv : 'aws://unknown-account/unknown-region',
    );
    const at = { file, pointer: joinPointer(pointer, 'environment') };
    if (rawEnv !== undefined && (typeof rawEnv !== 'string' || !m || !m[1] || !m[2])) {
      // not `aws://<account>/<region>`: read as environment-agnostic (placeholders, or the
      // --account and --region given), never as a made-up account
      problem(
        at.pointer,
        `stack \`${shown}\`: the environment ${typeof rawEnv === 'string' ? shownValue(rawEnv, 80) : 'that is not a string'} is not \`aws://<account>/<region>\`: its account and region are not known`,
        'cdk.stack.invalid',
      );
      m = null;
    }
    let account = m?.[1] ?? 'unknown-account';
    let region = m?.[2] ?? 'unknown-region';
    // an environment-agnostic stack is deployed to the account and region of whoever deploys it
    // (https://docs.aws.amazon.com/cdk/v2/guide/environments.html): without --account/--region
    // they are a placeholder that every ARN built from them carries, so what depends on them is
    // Unknown naming the manifest, never decided against a made-up text
    if (account === 'unknown-account') {
      if (opts.account !== undefined) account = opts.account;
      else {
        account = env0.account;
        env0.accountStacks.push(id);
        env0.accountAt ??= at;
        problems.push({
          ...at,
          message: `stack \`${id}\` is environment-agnostic: its account is known only at deploy, so the links that depend on it are unknown: give --account`,
          id: 'cdk.environment.account-unknown',
          severity: 'warning',
        });
      }
    }
    if (region === 'unknown-region') {
      if (opts.region !== undefined) region = opts.region;
      else {
        region = env0.region;
        env0.regionStacks.push(id);
        env0.regionAt ??= at;
        problems.push({
          ...at,
          message: `stack \`${id}\` is environment-agnostic: its region is known only at deploy, so the links that depend on it are unknown: give --region`,
          id: 'cdk.environment.region-unknown',
          severity: 'warning',
        });
      }
    }
    const parameters = new Map<string, StackParameterInput>();
    const rawParams = props['parameters'];
    let unreadableParameters: UnreadableParameters | undefined;
    if (rawParams !== undefined && !isObject(rawParams)) {
      const pp = joinPointer(pointer, 'properties', 'parameters');
      problem(
        pp,
        `stack \`${shown}\`: \`parameters\` is not a map of parameter values: the value of every parameter the template declares is unknown`,
        'cdk.stack.invalid',
      );
      // not the template's defaults: the values given here cannot be read
      unreadableParameters = {
        unknown: `\`parameters\` of stack \`${shown}\` is ${valueShape(rawParams)}, not a map of parameter values`,
        at: { file, pointer: pp },
      };
    }
    for (const [k, v] of Object.entries(isObject(rawParams) ? rawParams : {}).sort(([x], [y]) =>
      x < y ? -1 : 1,
    )) {
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') {
        parameters.set(k, String(v));
        continue;
      }
      // a value that is not one is unknown, never left out (the template's default would take
      // its place) nor a text that stands for it (`Fn::Equals` would decide on that text): the
      // template reads it as an Unresolved value naming this place
      const pp = joinPointer(pointer, 'properties', 'parameters', k);
      parameters.set(k, {
        unknown: `parameter ${shownValue(k, 80)} of stack \`${shown}\` is ${valueShape(v)}, not a string`,
        at: { file, pointer: pp },
      });
      problem(
        pp,
        `stack \`${shown}\`: parameter ${shownValue(k, 80)} is not a string: its value is unknown`,
        'cdk.stack.invalid',
      );
    }
    const stackName = props['stackName'];
    if (stackName !== undefined && typeof stackName !== 'string') {
      problem(
        joinPointer(pointer, 'properties', 'stackName'),
        `stack \`${shown}\`: \`stackName\` is not a string: the artifact id is used`,
        'cdk.stack.invalid',
      );
    }
    const templatePath = join(dir, templateFile);
    if (outside(opts.root, templatePath)) {
      problem(
        joinPointer(pointer, 'properties', 'templateFile'),
        `stack \`${shown}\`: the template \`${templateFile.slice(0, 120)}\` is outside the cloud assembly folder: it is not read`,
        'cdk.path.outside',
      );
      continue;
    }
    specs.push({
      file: displayPath(templatePath, opts.cwd),
      ...readTemplateFile(templatePath),
      name: typeof stackName === 'string' ? stackName : id,
      account,
      region,
      parameters,
      ...(unreadableParameters ? { unreadableParameters } : {}),
      declaredIn: {
        file,
        pointer,
        accountKey: 'environment',
        regionKey: 'environment',
        parametersPointer: joinPointer(pointer, 'properties', 'parameters'),
        templateKeys: ['properties', 'templateFile'],
        cdkNameKeys: typeof stackName === 'string' ? ['properties', 'stackName'] : [],
      },
    });
  }
}
