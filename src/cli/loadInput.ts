/**
 * Turn the CLI's inputs into one model: a snapshot folder, a CDK cloud assembly (`cdk.out/`), a
 * stacks file, or a single template, and templates laid over a snapshot (the state after the
 * deploy). Bad input is a problem, never a throw.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { isCdkAssembly, loadCdkAssembly } from '../load/cdk.js';
import { loadSnapshot } from '../load/snapshot.js';
import { readTextFile } from '../load/jsonFile.js';
import {
  isStacksFile,
  loadSingleTemplate,
  loadStacksFile,
  type TemplateLoadOptions,
} from '../load/stacks.js';
import { parseTemplateText } from '../load/templateParse.js';
import { deployedNames, mergeModels } from '../load/templateMerge.js';
import type { Model } from '../model/types.js';
import type { Problem } from '../problems.js';

export interface InputOptions {
  /** a snapshot folder, a CDK assembly folder, or a stacks file */
  readonly input?: string;
  /** a stacks file or a CDK assembly folder, laid over `input` */
  readonly stacks?: string;
  /** one template laid over `input`, with its account, region and parameters */
  readonly template?: string;
  readonly account?: string;
  readonly region?: string;
  readonly stackName?: string;
  readonly parameters?: Readonly<Record<string, string>>;
}

export interface LoadedInput {
  readonly model: Model;
  readonly problems: readonly Problem[];
  /** the snapshot folder (absolute), when the input is one: its files are named relative to it */
  readonly snapshotRoot?: string;
  /** the templates the stacks files of the input name (absolute paths), inputs too */
  readonly templates: readonly string[];
}

export function loadInput(cwd: string, input: string | InputOptions): LoadedInput {
  const opts: InputOptions = typeof input === 'string' ? { input } : input;
  const problems: Problem[] = [];
  let model: Model | undefined;
  let snapshotRoot: string | undefined;
  const templates: string[] = [];
  /** a CDK assembly is read (its environment-agnostic stacks take --account and --region) */
  let cdk = false;

  if (opts.input !== undefined) {
    const path = resolve(cwd, opts.input);
    if (opts.input.trim() === '') {
      // `permchain analyze "$SNAPSHOT"` with the variable unset: resolve() would read the
      // current folder, and a run that finds no pipeline there passes
      problems.push(
        inputProblem(opts.input, 'the input is an empty name (an unset variable?)', 'input.empty'),
      );
    } else if (!existsSync(path)) {
      problems.push(inputProblem(opts.input, 'no such file or folder', 'input.missing'));
    } else if (statSync(path).isDirectory()) {
      if (isCdkAssembly(path)) {
        cdk = true;
        model = loadCdkAssembly(path, {
          ...(opts.account ? { account: opts.account } : {}),
          ...(opts.region ? { region: opts.region } : {}),
          cwd,
        }).model;
      } else {
        model = loadSnapshot(path);
        snapshotRoot = path;
      }
    } else if (isStacksFile(path) || unparsable(path)) {
      // a YAML or JSON file that cannot be read or parsed may be a stacks file with a typo: it
      // is reported as `--stacks` reports it (where it fails to parse), not as unrecognised
      const stacks = loadStacksFile(path, { cwd });
      model = stacks.model;
      templates.push(...(stacks.templates ?? []));
    } else {
      problems.push(
        inputProblem(
          opts.input,
          'expected a snapshot folder, a CDK assembly folder or a stacks file (use --template for one template)',
          'input.unrecognised',
        ),
      );
    }
  }

  const overlays: Model[] = [];
  // templates laid over a snapshot: a name CloudFormation generated is the snapshot's; file
  // names in reports are relative to the CLI's working directory, not the process's
  const overlayOptions: TemplateLoadOptions = {
    cwd,
    ...(model && snapshotRoot !== undefined ? { deployed: deployedNames(model) } : {}),
  };
  if (opts.stacks !== undefined) {
    const path = resolve(cwd, opts.stacks);
    if (isCdkAssembly(path)) cdk = true;
    const loaded = isCdkAssembly(path)
      ? loadCdkAssembly(path, {
          ...(opts.account ? { account: opts.account } : {}),
          ...(opts.region ? { region: opts.region } : {}),
          ...overlayOptions,
        })
      : loadStacksFile(path, overlayOptions);
    overlays.push(loaded.model);
    if ('templates' in loaded) templates.push(...(loaded.templates ?? []));
  }
  if (opts.template !== undefined) {
    if (!opts.account || !opts.region) {
      problems.push(
        inputProblem(
          opts.template,
          'a template needs its account and region (--account, --region)',
          'input.template.environment-missing',
        ),
      );
    } else {
      overlays.push(
        loadSingleTemplate(resolve(cwd, opts.template), {
          account: opts.account,
          region: opts.region,
          ...(opts.stackName ? { stackName: opts.stackName } : {}),
          ...(opts.parameters ? { parameters: { ...opts.parameters } } : {}),
          ...overlayOptions,
        }).model,
      );
    }
  }
  problems.push(...unusedTemplateOptions(opts, cdk));
  for (const overlay of overlays) model = model ? mergeModels(model, overlay) : overlay;
  if (!model) {
    if (problems.length === 0)
      problems.push(
        inputProblem(
          '',
          'no input: give a snapshot folder, a CDK assembly, --stacks or --template',
          'input.none',
        ),
      );
    model = { root: resolve(cwd), accounts: new Map(), organization: undefined, problems: [] };
  }
  return {
    model,
    problems,
    templates: [...new Set(templates)].sort(),
    ...(snapshotRoot !== undefined ? { snapshotRoot } : {}),
  };
}

export const UNUSED_OPTION = 'cli.option.unused';

/**
 * A warning for each option that only applies to templates given without an input that uses it,
 * never a silent choice: --stack-name and --parameter apply to --template alone (a stacks file
 * gives its own; diff passes a side that is a template as --template), --account and --region
 * to --template and to the environment-agnostic stacks of a CDK assembly (`cdk` says one is
 * read). A parameter is named by its key, never its value (it may be a secret).
 */
export function unusedTemplateOptions(opts: InputOptions, cdk: boolean): Problem[] {
  if (opts.template !== undefined) return [];
  const out: Problem[] = [];
  const unused = (option: string, why: string): void => {
    out.push({
      pointer: '',
      message: `${option} is not used: ${why}`,
      id: UNUSED_OPTION,
      severity: 'warning',
    });
  };
  if (!cdk) {
    const why =
      'it applies to a template and to the environment-agnostic stacks of a CDK assembly, ' +
      'and the input has neither';
    if (opts.account !== undefined) unused(`\`--account ${opts.account}\``, why);
    if (opts.region !== undefined) unused(`\`--region ${opts.region}\``, why);
  }
  const noTemplate = 'it applies to a template only, and none is given';
  if (opts.stackName !== undefined) unused(`\`--stack-name ${opts.stackName}\``, noTemplate);
  const keys = Object.keys(opts.parameters ?? {}).sort();
  if (keys.length > 0) {
    unused(
      `\`--parameter\` (${keys.map((k) => `\`${k}\``).join(', ')})`,
      `${noTemplate} (a stacks file gives its stacks' parameters itself)`,
    );
  }
  return out;
}

/**
 * A `.yaml`, `.yml` or `.json` file that cannot be read, or whose text is not YAML or JSON (the
 * check `loadStacksFile` makes). One that parses but is no stacks file is not: it is something
 * else (a template, given without `--template`).
 */
function unparsable(path: string): boolean {
  if (!/\.(ya?ml|json)$/i.test(path)) return false;
  const read = readTextFile(path);
  if (!read.ok) return true;
  return parseTemplateText(read.text, path).problems.some(
    (p) => p.id === 'template.syntax.invalid',
  );
}

function inputProblem(file: string, message: string, id: string): Problem {
  return { file, pointer: '', message, id, severity: 'error' };
}
