/**
 * Templates in, model out: a stacks file says which template goes to which account and region
 * with which parameters; a parameter may name another stack's output or resource, so the links
 * between stacks are evaluated rather than unknown.
 *
 * ```yaml
 * stacks:
 *   - template: tools/pipeline.yaml     # relative to this file
 *     account: "111111111111"
 *     region: us-east-1
 *     name: tools-pipeline              # optional: AWS::StackName (default: the file name)
 *     parameters:
 *       ProdAccount: "222222222222"
 *       CMKARN: { fromStack: pre-reqs, output: CMK }
 *       KeyId: { fromStack: pre-reqs, resource: KMSKey }
 * ```
 * I/O happens here and nowhere below: reading the files; the rest is pure.
 */
import { statSync } from 'node:fs';
import { basename, dirname, extname, relative, resolve } from 'node:path';
import { CST, isAlias, isMap, isScalar, isSeq, LineCounter } from 'yaml';
import { joinPointer, shownValue, type Problem } from '../problems.js';
import { readTextFile } from './jsonFile.js';
import { isAccountId, isRegionName } from '../model/arn.js';
import { isPlaceholder, placeholderOf, unsettledText } from '../model/placeholders.js';
import type { AccountModel, BucketModel, Model, UnresolvedValueModel } from '../model/types.js';
import { packageManagedPolicies, type ManagedPolicySource } from './managedPolicies.js';
import { parseBounded, parseTemplateText } from './templateParse.js';
import { ModelBuilder, templateExtras, type TemplateBuildResult } from './templateResources.js';
import {
  TemplateStack,
  type DeployedNames,
  type ParametersGivenIn,
  type StackParameterInput,
  type StackRegistry,
  type UnreadableParameters,
} from './templateStack.js';

/**
 * The warning for a stack region permchain does not know (`mars-1`: perhaps a new one), used as
 * given (the region may be the `--region` typed on the command line).
 */
export const REGION_UNKNOWN = 'stacks.region.unknown';

export interface StacksInput {
  stacks: {
    template: string;
    account: string;
    region: string;
    name?: string;
    parameters?: Record<
      string,
      string | { fromStack: string; output: string } | { fromStack: string; resource: string }
    >;
  }[];
}

export interface TemplateLoadResult {
  readonly model: Model;
  readonly problems: Problem[];
  /**
   * the templates a stacks file names, as absolute paths: inputs of the run that an output must
   * not overwrite (analyze and baseline check theirs against them)
   */
  readonly templates?: readonly string[];
}

export interface TemplateLoadOptions {
  /** where AWS-managed policy documents come from; default: the installed package, if any */
  readonly managedPolicies?: ManagedPolicySource;
  /**
   * the names of the snapshot the templates are laid over: a name CloudFormation generates is
   * the snapshot's when exactly one there has its form (templateStack generatedName)
   */
  readonly deployed?: DeployedNames;
  /**
   * the folder file names in reports are relative to (the CLI's working directory, which
   * in-process callers set); default: the process's current directory
   */
  readonly cwd?: string;
}

/** One stack to load: the template text is read by the caller (or `readTemplate`). */
export interface StackSpec {
  /** the template path as reports show it */
  readonly file: string;
  /** the template text; undefined: it could not be read (a problem says why) */
  readonly text: string | undefined;
  /** why the text could not be read (`not a regular file`, `file is larger than …`) */
  readonly unreadable?: string;
  readonly name: string;
  /**
   * set when the input does not give the stack name (`--stack-name`, a stacks file's `name`; a
   * CDK manifest always gives one): what would give it. `name` is then made from the file's,
   * and a template that uses `AWS::StackName` gets a warning asking for this
   */
  readonly nameAssumed?: string;
  readonly account: string;
  readonly region: string;
  readonly parameters: ReadonlyMap<string, StackParameterInput>;
  /** the parameter values are given but cannot be read (templateStack StackOptions) */
  readonly unreadableParameters?: UnreadableParameters;
  /** how a parameter value is given, for messages (templateStack StackOptions) */
  readonly parametersGivenIn?: ParametersGivenIn;
  /** where the stack was declared (stacks file and pointer), for problems */
  readonly declaredIn?: {
    readonly file: string;
    readonly pointer: string;
    /** the key that holds the account and region under `pointer` (default `account`, `region`) */
    readonly accountKey?: string;
    readonly regionKey?: string;
    /** the pointer of the parameter values (default `parameters` under `pointer`) */
    readonly parametersPointer?: string;
    /** the keys under `pointer` that hold the template's path (default `template`) */
    readonly templateKeys?: readonly string[];
    /**
     * a CDK manifest's stack: the keys under `pointer` that hold its name. Stacks of one name in
     * different environments are one app's stages (no `fromStack` names them): only two of one
     * name in one account and region are said
     */
    readonly cdkNameKeys?: readonly string[];
  };
  /**
   * what `account` or `region` stands for when it is a placeholder (src/model/placeholders.ts):
   * an environment the input does not give, known only at deploy. Every ARN built from it
   * carries the placeholder, so the links that depend on it are Unknown naming this place.
   */
  readonly unresolved?: readonly UnresolvedValueModel[];
}

/**
 * The placeholder that stands for an account or region the input does not give (an
 * environment-agnostic CDK stack, a stacks-file account that is no account id). `seed` names
 * what it stands for: one seed, one placeholder, so stacks that share the unknown environment
 * share it (and their imports, references and ARNs still meet).
 */
export function environmentPlaceholder(seed: string): string {
  return placeholderOf('name', `environment|${seed}`, 'aws', '');
}

/** How a path is shown: relative to `cwd` (default: the current directory), `/`-separated. */
export function displayPath(path: string, cwd: string = process.cwd()): string {
  const rel = relative(resolve(cwd), resolve(path));
  return (rel === '' ? '.' : rel).split('\\').join('/');
}

/**
 * A template's text, or why it cannot be read. A FIFO or device named as a template is refused
 * rather than read (the read would block or never end), and so is a file above the size limit.
 */
export function readTemplateFile(path: string): Pick<StackSpec, 'text' | 'unreadable'> {
  const read = readTextFile(path);
  return read.ok ? { text: read.text } : { text: undefined, unreadable: read.message };
}

/** Load stacks whose templates are already read. Pure apart from the managed policy source. */
export function loadStacks(
  specs: readonly StackSpec[],
  root: string,
  options: TemplateLoadOptions = {},
  extraProblems: readonly Problem[] = [],
): TemplateLoadResult {
  const problems: Problem[] = [...extraProblems];
  const extraUnresolved: UnresolvedValueModel[] = [];
  const stacks: TemplateStack[] = [];
  const byName = new Map<string, TemplateStack>();
  const registry: StackRegistry = {
    stack: (name) => byName.get(name),
    all: () => stacks,
  };
  // the CDK stacks seen, by name, account and region
  const cdkEnvironments = new Set<string>();
  for (const spec of specs) {
    const where = spec.declaredIn;
    const at = (suffix: string): { file: string; pointer: string } =>
      where
        ? { file: where.file, pointer: joinPointer(where.pointer, suffix) }
        : { file: spec.file, pointer: '' };
    let account = spec.account;
    const unresolved = [...(spec.unresolved ?? [])];
    if ((!/^[0-9]+$/.test(account) || account.length > 12) && !isPlaceholder(account)) {
      // no account id: ARNs built from the text would match no policy, and every link would
      // be denied; it stands for an account the input does not give (a placeholder), so the
      // links that depend on it are Unknown naming this place. More than 12 digits is no
      // account id either ("a 12-digit number", and the ARNs built from it are no ARNs:
      // https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-identifiers.html);
      // fewer is accepted with a warning below, as CDK test assemblies use short made-up ids
      account = environmentPlaceholder(`account|${spec.account}`);
      unresolved.push({
        placeholder: account,
        reason: `the account of stack \`${spec.name}\`: ${shownValue(spec.account, 80)} is not an account id`,
        location: at(where?.accountKey ?? 'account'),
      });
      problems.push({
        ...at(where?.accountKey ?? 'account'),
        message: `stack \`${spec.name}\`: ${shownValue(spec.account, 80)} is not an account id (12 digits): the links that depend on it are unknown`,
        id: 'stacks.account.invalid',
        severity: 'error',
      });
    } else if (!isAccountId(account) && !isPlaceholder(account)) {
      problems.push({
        ...at(where?.accountKey ?? 'account'),
        message: `stack \`${spec.name}\`: \`${spec.account}\` is not a 12-digit account id: it is used as given`,
        id: 'stacks.account.invalid',
        severity: 'warning',
      });
    }
    if (!isRegionName(spec.region) && !isPlaceholder(spec.region)) {
      problems.push({
        ...at(where?.regionKey ?? 'region'),
        message: `stack \`${spec.name}\`: \`${spec.region}\` is not a known region name: it is used as given`,
        id: REGION_UNKNOWN,
        severity: 'warning',
      });
    }
    if (unresolved.length > 0) extraUnresolved.push(...unresolved);
    if (where?.cdkNameKeys) {
      const key = `${spec.name}\u0000${account}\u0000${spec.region}`;
      if (cdkEnvironments.has(key))
        problems.push({
          file: where.file,
          pointer: joinPointer(where.pointer, ...where.cdkNameKeys),
          message: `two stacks are named \`${spec.name}\` in \`${spec.account}\` \`${spec.region}\`: one deploy would replace the other`,
          id: 'stacks.stack.duplicate',
          severity: 'warning',
        });
      cdkEnvironments.add(key);
    } else if (byName.has(spec.name)) {
      problems.push({
        ...at('name'),
        message: `two stacks are named \`${spec.name}\`: \`fromStack\` finds the first`,
        id: 'stacks.stack.duplicate',
        severity: 'warning',
      });
    }
    if (spec.text === undefined) {
      problems.push({
        ...(where
          ? {
              file: where.file,
              pointer: joinPointer(where.pointer, ...(where.templateKeys ?? ['template'])),
            }
          : at('template')),
        message: `the template \`${spec.file}\` cannot be read${spec.unreadable ? ` (${spec.unreadable})` : ''}`,
        id: 'stacks.template.missing',
        severity: 'error',
      });
      continue;
    }
    const parsed = parseTemplateText(spec.text, spec.file);
    const stack = new TemplateStack(
      {
        name: spec.name,
        ...(spec.nameAssumed !== undefined ? { nameAssumed: spec.nameAssumed } : {}),
        account,
        region: spec.region,
        file: spec.file,
        parameters: spec.parameters,
        ...(spec.unreadableParameters ? { unreadableParameters: spec.unreadableParameters } : {}),
        ...(spec.parametersGivenIn ? { parametersGivenIn: spec.parametersGivenIn } : {}),
        ...(options.deployed ? { deployed: options.deployed } : {}),
        ...(where
          ? {
              parameterFile: where.file,
              parameterPointer: where.parametersPointer ?? joinPointer(where.pointer, 'parameters'),
            }
          : {}),
      },
      parsed,
      registry,
    );
    stacks.push(stack);
    if (!byName.has(spec.name)) byName.set(spec.name, stack);
  }
  checkStackReferences(specs, byName, problems);
  const builder = new ModelBuilder(
    stacks,
    options.managedPolicies ?? packageManagedPolicies(),
    root,
  );
  const built = builder.build(problems);
  const result = withEnvironmentPlaceholders(built, extraUnresolved);
  templateExtras.set(result.model, result);
  return { model: result.model, problems: [...result.model.problems] };
}

/**
 * Every `{fromStack, output}` and `{fromStack, resource}` of the stacks file names a stack of
 * the file and an output or resource of its template: otherwise it is an input error at the
 * stacks-file pointer (checked here, whether or not the template uses the parameter).
 */
function checkStackReferences(
  specs: readonly StackSpec[],
  byName: ReadonlyMap<string, TemplateStack>,
  problems: Problem[],
): void {
  const declared = new Set(specs.map((s) => s.name));
  for (const spec of specs) {
    const where = spec.declaredIn;
    if (!where) continue;
    for (const [name, given] of spec.parameters) {
      if (typeof given === 'string' || 'unknown' in given) continue;
      const at = (key: string): Pick<Problem, 'file' | 'pointer'> => ({
        file: where.file,
        pointer: joinPointer(where.pointer, 'parameters', name, key),
      });
      const other = byName.get(given.fromStack);
      if (!other) {
        // a stack whose template cannot be read is reported as such
        if (declared.has(given.fromStack)) continue;
        problems.push({
          ...at('fromStack'),
          message: `stack \`${spec.name}\`, parameter \`${name}\`: no stack \`${given.fromStack}\` in the stacks file`,
          id: 'stacks.parameter.stack-unknown',
          severity: 'error',
        });
      } else if ('output' in given && !other.hasOutput(given.output)) {
        problems.push({
          ...at('output'),
          message: `stack \`${spec.name}\`, parameter \`${name}\`: stack \`${other.name}\` has no output \`${given.output}\``,
          id: 'stacks.parameter.output-unknown',
          severity: 'error',
        });
      } else if ('resource' in given && !other.resources.has(given.resource)) {
        problems.push({
          ...at('resource'),
          message: `stack \`${spec.name}\`, parameter \`${name}\`: stack \`${other.name}\` has no resource \`${given.resource}\``,
          id: 'stacks.parameter.resource-unknown',
          severity: 'error',
        });
      }
    }
  }
}

/**
 * The build result with the placeholders of the stacks' environments in `model.unresolved`. A
 * bucket ARN names no account, so a bucket in an account the input does not give would be
 * decided as another account's bucket for every caller of a known account (denied, where the
 * real account may well be the caller's): its policy is unknown, naming the place that would
 * give the account.
 */
function withEnvironmentPlaceholders(
  built: TemplateBuildResult,
  extra: readonly UnresolvedValueModel[],
): TemplateBuildResult {
  if (extra.length === 0) return built;
  const unresolved = new Map(built.model.unresolved ?? []);
  for (const u of extra) if (!unresolved.has(u.placeholder)) unresolved.set(u.placeholder, u);
  const accounts = new Map<string, AccountModel>();
  for (const [id, a] of built.model.accounts) {
    const u = unresolved.get(id);
    if (!u || a.buckets.size === 0) {
      accounts.set(id, a);
      continue;
    }
    const at = unsettledText(u.location, u.reason);
    const buckets = new Map<string, BucketModel>();
    for (const [name, b] of a.buckets)
      buckets.set(name, { ...b, policy: undefined, policyUnknownAt: at });
    accounts.set(id, { ...a, buckets });
  }
  const model: Model = {
    ...built.model,
    accounts,
    unresolved: new Map([...unresolved].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
  };
  return { ...built, model };
}

/** Load one template into one account and region. */
export function loadSingleTemplate(
  path: string,
  opts: {
    account: string;
    region: string;
    stackName?: string;
    parameters?: Record<string, string>;
  } & TemplateLoadOptions,
): TemplateLoadResult {
  const file = displayPath(path, opts.cwd);
  return loadStacks(
    [
      {
        file,
        ...readTemplateFile(path),
        name: opts.stackName ?? defaultStackName(path),
        ...(opts.stackName === undefined ? { nameAssumed: '--stack-name' } : {}),
        account: opts.account,
        region: opts.region,
        parameters: new Map(Object.entries(opts.parameters ?? {}).sort()),
        parametersGivenIn: 'command-line',
      },
    ],
    file,
    opts,
  );
}

/** What a parameter value that cannot be read is, as a reason says it. */
export function valueShape(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/** A stack name from a template path: the file name without its extension. */
export function defaultStackName(path: string): string {
  const base = basename(path, extname(path)).replace(/\.template$/, '');
  const clean = base.replace(/[^A-Za-z0-9-]/g, '-');
  return /^[A-Za-z]/.test(clean) ? clean : `stack-${clean}`;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Load a stacks file (YAML or JSON); template paths are relative to it. */
export function loadStacksFile(
  path: string,
  options: TemplateLoadOptions = {},
): TemplateLoadResult {
  const file = displayPath(path, options.cwd);
  const problems: Problem[] = [];
  const fail = (pointer: string, message: string, id: string): void => {
    problems.push({ file, pointer, message, id, severity: 'error' });
  };
  const read = readTextFile(path);
  if (!read.ok) {
    fail('', `the stacks file \`${file}\` cannot be read (${read.message})`, 'stacks.file.missing');
    return loadStacks([], file, options, problems);
  }
  // read like a template: scalars keep their text (`011111111111` stays an account id, not
  // 11111111111), aliases are expanded within a bound, and nothing throws; a stacks file is
  // permchain's own, read as YAML 1.2 (`Env: off` is the text), not as CloudFormation reads one
  const parsed = parseTemplateText(read.text, file, { yaml11: false });
  const bad = parsed.problems.find((p) => p.severity === 'error');
  if (bad) {
    fail(
      bad.pointer,
      bad.id === 'template.size.exceeded'
        ? `the stacks file is too large or too deeply nested: ${bad.message}`
        : `the stacks file is not valid yaml or json: ${bad.message}`,
      'stacks.file.invalid',
    );
    return loadStacks([], file, options, problems);
  }
  const data: unknown = parsed.value;
  const list = isObject(data) ? data['stacks'] : undefined;
  if (!Array.isArray(list)) {
    fail('', 'expected `stacks:` with a list of stacks', 'stacks.file.invalid');
    return loadStacks([], file, options, problems);
  }
  const dir = dirname(path);
  const specs: StackSpec[] = [];
  const templates: string[] = [];
  list.forEach((entry, i) => {
    const pointer = joinPointer('/stacks', i);
    if (!isObject(entry)) {
      fail(pointer, 'expected `template`, `account` and `region`', 'stacks.stack.invalid');
      return;
    }
    const str = (k: string): string | undefined => {
      const v = entry[k];
      return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
    };
    const template = str('template');
    const account = str('account');
    const region = str('region');
    if (template === undefined || account === undefined || region === undefined) {
      fail(pointer, 'expected `template`, `account` and `region`', 'stacks.stack.invalid');
      return;
    }
    if (typeof entry['account'] === 'number') {
      problems.push({
        file,
        pointer: joinPointer(pointer, 'account'),
        message:
          '`account` is a number: quote it, or an account id starting with 0 loses its zeros',
        id: 'stacks.account.number',
        severity: 'warning',
      });
    }
    const name = str('name') ?? defaultStackName(template);
    const parameters = new Map<string, StackParameterInput>();
    const params = entry['parameters'];
    let unreadableParameters: UnreadableParameters | undefined;
    if (params !== undefined && !isObject(params)) {
      const pp = joinPointer(pointer, 'parameters');
      fail(
        pp,
        'expected a map of parameter values: the value of every parameter the template declares is unknown',
        'stacks.parameter.invalid',
      );
      // not the template's defaults: the values given here cannot be read
      unreadableParameters = {
        unknown: `\`parameters\` of stack ${shownValue(name, 80)} is ${valueShape(params)}, not a map of parameter values`,
        at: { file, pointer: pp },
      };
    }
    for (const [k, v] of Object.entries(isObject(params) ? params : {}).sort(([a], [b]) =>
      a < b ? -1 : 1,
    )) {
      const pp = joinPointer(pointer, 'parameters', k);
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') {
        parameters.set(k, String(v));
      } else if (
        Array.isArray(v) &&
        v.every((x) => typeof x === 'string' || typeof x === 'number')
      ) {
        parameters.set(k, v.join(','));
      } else if (
        isObject(v) &&
        typeof v['fromStack'] === 'string' &&
        typeof v['output'] === 'string'
      ) {
        parameters.set(k, { fromStack: v['fromStack'], output: v['output'] });
      } else if (
        isObject(v) &&
        typeof v['fromStack'] === 'string' &&
        typeof v['resource'] === 'string'
      ) {
        parameters.set(k, { fromStack: v['fromStack'], resource: v['resource'] });
      } else {
        // unknown, never left out (the template's default would take its place): the template
        // reads it as an Unresolved value naming this place
        parameters.set(k, {
          unknown: `parameter ${shownValue(k, 80)} of stack ${shownValue(name, 80)} is ${Array.isArray(v) ? 'a list of other than strings' : valueShape(v)}, not a string, \`{fromStack, output}\` or \`{fromStack, resource}\``,
          at: { file, pointer: pp },
        });
        fail(
          pp,
          'expected a string, `{fromStack, output}` or `{fromStack, resource}`: its value is unknown',
          'stacks.parameter.invalid',
        );
      }
    }
    const templatePath = resolve(dir, template);
    templates.push(templatePath);
    specs.push({
      file: displayPath(templatePath, options.cwd),
      ...readTemplateFile(templatePath),
      name,
      ...(str('name') === undefined ? { nameAssumed: `\`name\` at ${file}#${pointer}` } : {}),
      account,
      region,
      parameters,
      ...(unreadableParameters ? { unreadableParameters } : {}),
      parametersGivenIn: 'stacks-file',
      declaredIn: { file, pointer },
    });
  });
  return { ...loadStacks(specs, file, options, problems), templates };
}

/**
 * A stacks file: YAML or JSON whose top level has a `stacks` list. Only the top level is looked
 * at, without expanding aliases, so a hostile file is recognised cheaply and reported by
 * `loadStacksFile`. It is parsed with the nesting bounded as a template is (parseBounded): the
 * library's parser overflows the stack on deep nesting, and a file nested too deep is a stacks
 * file when its top level has a `stacks` key (its value cannot be read: loadStacksFile says so,
 * with the line).
 */
export function isStacksFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    const read = readTextFile(path);
    if (!read.ok) return false;
    // uniqueKeys off in parseBounded: the library's check is quadratic in the keys of a map
    const parsed = parseBounded(read.text, new LineCounter());
    if ('tooDeep' in parsed) return hasStacksKey(parsed.top);
    const doc = parsed.doc;
    if (doc.errors.length > 0 || !isMap(doc.contents)) return false;
    for (const pair of doc.contents.items) {
      if (!isScalar(pair.key) || pair.key.value !== 'stacks') continue;
      const v = pair.value;
      return isSeq(v) || (isAlias(v) && isSeq(v.resolve(doc)));
    }
    return false;
  } catch {
    return false;
  }
}

/** Whether a top-level syntax node is a map with a `stacks` key (a block or flow map). */
function hasStacksKey(top: CST.Token | undefined): boolean {
  if (top?.type !== 'block-map' && (top?.type !== 'flow-collection' || top.start.source !== '{')) {
    return false;
  }
  return top.items.some((item) => CST.resolveAsScalar(item.key)?.value === 'stacks');
}
