/**
 * `permchain diff BEFORE AFTER`: what a change does to the chain. Links newly denied, newly
 * allowed, newly unknown, and links of both sides denied or unknown for another principal or on
 * another resource, or denied for another reason (src/report/diff.ts); exit 1 when a required
 * link is newly denied, or denied for another principal or on another resource ("this pull
 * request breaks the deploy to prod"); a recommended link so denied is listed as a warning, as
 * analyze does. Under --fail-on unknown, also when a required link is newly unknown (or unknown
 * for another principal or on another resource) or AFTER holds no pipeline;
 * exit 2 on an input error of either side (src/report/diff.ts, diffGate). The text and markdown
 * end with the input problems and how the run ends.
 */
import { sanitizeForTerminal } from '../report/sanitize.js';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { isCdkAssembly } from '../load/cdk.js';
import { defaultStackName, isStacksFile } from '../load/stacks.js';
import { analyzeModel } from '../chain/analyze.js';
import { formatProblem, problemKey, sortProblems, type Problem } from '../problems.js';
import {
  diffGate,
  diffReports,
  renderDiffMarkdown,
  renderDiffText,
  type DiffSide,
} from '../report/diff.js';
import { stableJson } from '../report/stableJson.js';
import type { CliIo } from './io.js';
import { UNUSED_OPTION } from './loadInput.js';
import { refuseRepeatedOptions } from './onceOnly.js';
import type { Report } from '../report/types.js';
import {
  ACCOUNT_HELP,
  REGION_HELP,
  addArtifactOption,
  loadAnalysisInput,
  noPipelinesProblem,
  repeat,
  type InputCliOptions,
} from './inputOptions.js';

const FORMATS = ['text', 'markdown', 'json'] as const;

const collect = (value: string, previous: string[]): string[] => [
  ...previous,
  ...value.split(',').filter(Boolean),
];

export function registerDiff(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const command = program
    .command('diff')
    .description(
      'compare the chains of two inputs (before and after a change); exit 1 when a required link is newly denied',
    )
    .argument(
      '<before>',
      'the state before the change: a snapshot folder, a CDK assembly, a stacks file or a template',
    )
    .argument(
      '<after>',
      'the state after the change: a snapshot folder, a CDK assembly, a stacks file or a template',
    )
    .option(
      '--snapshot <dir>',
      'a snapshot both inputs are laid over (BEFORE and AFTER are then templates, stacks files or CDK assemblies)',
    )
    .option('--account <id>', ACCOUNT_HELP)
    .option('--region <name>', REGION_HELP)
    .option(
      '--stack-name <name>',
      "the stack name of templates (AWS::StackName); default: AFTER's file name, for both",
    )
    .option('--parameter <key=value>', 'a parameter of a template; repeatable', repeat, [])
    .option('--format <format>', `output format: ${FORMATS.join(', ')}`, 'text')
    .option(
      '--fail-on <what>',
      'what fails the run: denied (a required link newly denied), unknown (also newly unknown), never',
      'denied',
    )
    .option(
      '--pipeline <name>',
      'only this pipeline (name or ARN); repeatable or comma-separated, as for analyze',
      collect,
      [],
    )
    .addHelpText(
      'after',
      '\nExit codes: 0 no required link newly denied (--fail-on never always gives 0), 1 a required\n' +
        'link newly denied, or with --fail-on unknown a required link newly unknown or an AFTER that\n' +
        'holds no pipeline (a BEFORE without pipelines is a warning only: every link of AFTER is then\n' +
        'new), 2 input or usage error on either side (after everything readable was compared).\n' +
        'Links are compared by decision, principal, resource and denying policies: a required link\n' +
        'denied (unknown) on both sides but for another principal or on another resource counts as\n' +
        'newly denied (newly unknown); one denied by other policies alone is listed, not failing.\n' +
        'The text and markdown end with the input problems and how the run ends.',
    );
  // the artifact folders (the repository being changed) are read for both inputs
  addArtifactOption(command).action((beforeArg: string, afterArg: string, opts: DiffCliOptions) => {
    if (!FAIL_ON.includes(opts.failOn as (typeof FAIL_ON)[number])) {
      io.stderr(
        sanitizeForTerminal(
          `error: unknown --fail-on \`${opts.failOn}\` (expected ${FAIL_ON.join(', ')})`,
        ) + '\n',
      );
      setExit(2);
      return;
    }
    if (!(FORMATS as readonly string[]).includes(opts.format)) {
      io.stderr(
        sanitizeForTerminal(
          `error: unknown format \`${opts.format}\` (expected ${FORMATS.join(', ')})`,
        ) + '\n',
      );
      setExit(2);
      return;
    }
    const pipelines = opts.pipeline;
    const warnings: Problem[] = [];
    const noPipelines: DiffSide[] = [];
    const reports: Report[] = [];
    // the template options neither side uses (one side a template uses them all)
    const unused = { before: new Map<string, Problem>(), after: new Map<string, Problem>() };
    // each side's input errors and warnings, as analyze shows them, by what they say: one held
    // by both sides (a shared --snapshot or stacks file, a file mis-named or broken in both) is
    // shown once, naming both sides, and an error counted once
    const sideErrors: SideProblems = new Map();
    const sideWarnings: SideProblems = new Map();
    for (const [sideName, arg] of [
      ['before', beforeArg],
      ['after', afterArg],
    ] as const) {
      // both versions of a template are one stack: one name, so generated names match
      const side = sideInput(io.cwd, arg, opts, defaultStackName(resolve(io.cwd, afterArg)));
      const loaded =
        'usage' in side ? side : loadAnalysisInput(io.cwd, side.input, side.options, pipelines);
      if ('usage' in loaded) {
        io.stderr(sanitizeForTerminal(`error: ${loaded.usage}`) + '\n');
        setExit(2);
        return;
      }
      const report = analyzeModel(loaded.model, { pipelines, artifacts: loaded.artifacts });
      // each problem says which side it is in: both sides name their files alike
      const label = `${sideName} \`${arg}\``;
      for (const p of [...loaded.problems, ...report.problems]) {
        if (p.id === UNUSED_OPTION) unused[sideName].set(p.message, p);
        // every other problem of the side is shown, as analyze shows it: a warning that a
        // snapshot file was not read (`IAM.json`, a region permchain does not know used as
        // given) explains the Unknown links it leaves, which the diff lists without a word of
        // why otherwise
        else addSideProblem(p.severity === 'error' ? sideErrors : sideWarnings, p, sideName, label);
      }
      // a side with no pipeline at all compares nothing: say so rather than report no change
      const none = noPipelinesProblem(loaded, arg, { pipeline: pipelines });
      if (none) {
        warnings.push({ ...none, file: arg, message: `(${sideName} \`${arg}\`) ${none.message}` });
        noPipelines.push(sideName);
      }
      reports.push(report);
    }
    warnings.push(
      ...sortProblems([...unused.after.values()].filter((p) => unused.before.has(p.message))),
    );
    // BEFORE's (those AFTER holds too named `(before … and after …)`), sorted, then AFTER's own
    warnings.push(
      ...sideProblemsNamed(sideWarnings, 'before'),
      ...sideProblemsNamed(sideWarnings, 'after'),
    );
    const [a, b] = reports as [Report, Report];
    const errors = sideProblemsNamed(sideErrors);
    // the errors sorted, then the warnings of BEFORE and AFTER
    const shown = [...errors, ...warnings];
    const d = diffReports(a, b);
    const failOn = opts.failOn as (typeof FAIL_ON)[number];
    const gateOptions = { failOn, problems: shown, noPipelines };
    // the input errors too, so a reader of the JSON alone sees the diff is incomplete, and the
    // warnings that no side held a pipeline (with --fail-on unknown an AFTER with none fails
    // the run, which the JSON alone did not say). The sides' other warnings are not added: the
    // diff's JSON has no field for warnings, and its `problems` hold only what makes the
    // comparison incomplete or bears on the gate (README), which a script may rely on; they go
    // to stderr with the rest, below
    const jsonProblems = [...errors, ...warnings.filter((w) => w.id === 'input.no-pipelines')];
    io.stdout(
      opts.format === 'json'
        ? stableJson(jsonProblems.length > 0 ? { ...d, problems: jsonProblems } : d)
        : opts.format === 'markdown'
          ? renderDiffMarkdown(d, gateOptions)
          : renderDiffText(d, gateOptions),
    );
    // on stderr too, unless the text on standard output already lists them (as analyze does)
    if (opts.format !== 'text') for (const p of shown) io.stderr(formatProblem(p) + '\n');
    setExit(diffGate(d, gateOptions).exitCode);
  });
  refuseRepeatedOptions(command);
}

/**
 * The sides' problems by what they say (problemKey), each with the side that held it first and
 * the labels (`before \`x\``) of the sides that hold it.
 */
type SideProblems = Map<
  string,
  { readonly p: Problem; readonly first: DiffSide; readonly sides: string[] }
>;

function addSideProblem(into: SideProblems, p: Problem, side: DiffSide, label: string): void {
  const key = problemKey(p);
  const seen = into.get(key);
  if (seen === undefined) into.set(key, { p, first: side, sides: [label] });
  else if (!seen.sides.includes(label)) seen.sides.push(label);
}

/**
 * The problems, each once, its message after the sides that hold it (`(before … and after …)`),
 * sorted; only those first held by `first` (BEFORE's, those AFTER holds too among them; or
 * AFTER's own) when it is given.
 */
function sideProblemsNamed(from: SideProblems, first?: DiffSide): Problem[] {
  return sortProblems(
    [...from.values()]
      .filter((w) => first === undefined || w.first === first)
      .map((w) => ({ ...w.p, message: `(${w.sides.join(' and ')}) ${w.p.message}` })),
  );
}

const FAIL_ON = ['denied', 'unknown', 'never'] as const;

interface DiffCliOptions extends Partial<InputCliOptions> {
  format: string;
  failOn: string;
  pipeline: string[];
  snapshot?: string;
  artifact: string[];
  parameter: string[];
}

/**
 * What one side of the diff loads. Without --snapshot: a snapshot folder, a CDK assembly or a
 * stacks file is the input itself. With --snapshot, the side is laid over that snapshot, so it
 * must not be a snapshot folder itself. Any other file is one template (with --account,
 * --region, --stack-name and --parameter), laid over the snapshot when there is one; its stack
 * is named `stackName` unless --stack-name says otherwise.
 */
function sideInput(
  cwd: string,
  arg: string,
  opts: DiffCliOptions,
  stackName: string,
): { input: string | undefined; options: Partial<InputCliOptions> } | { usage: string } {
  const base = opts.snapshot;
  const options: Partial<InputCliOptions> = {
    artifact: opts.artifact,
    parameter: opts.parameter,
    ...(opts.account !== undefined ? { account: opts.account } : {}),
    ...(opts.region !== undefined ? { region: opts.region } : {}),
    ...(opts.stackName !== undefined ? { stackName: opts.stackName } : {}),
  };
  const path = resolve(cwd, arg);
  const stat = statSync(path, { throwIfNoEntry: false });
  // a path that does not exist is left to the loader, which reports it as an input problem
  if (stat?.isFile() && !isStacksFile(path))
    return {
      input: base,
      options: { ...options, template: arg, stackName: opts.stackName ?? stackName },
    };
  if (base === undefined) return { input: arg, options };
  if (stat?.isDirectory() && !isCdkAssembly(path))
    return {
      usage: `\`${arg}\` is a snapshot folder: with --snapshot, BEFORE and AFTER are templates, stacks files or CDK assemblies laid over it`,
    };
  return { input: base, options: { ...options, stacks: arg } };
}
