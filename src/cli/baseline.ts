/**
 * `permchain baseline [input] --output FILE`: accept today's known failures, with a reason and
 * an expiry date, so the gate fails only on new ones. Each entry records the link's decision,
 * principal, resource and deciding policies. Entries already in FILE keep their reason and date
 * while they accept their link (the same cause); an entry of another cause does not, with a
 * warning, so an old reason is never carried over to a new cause. It takes analyze's input
 * options, so the baseline is written from the same input the gate analyzes.
 */
import { sanitizeForTerminal } from '../report/sanitize.js';
import type { Command } from 'commander';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { analyzeModel } from '../chain/analyze.js';
import { readJsonText } from '../load/jsonFile.js';
import { listPipelines } from '../model/queries.js';
import { formatProblem, uniqueProblems, type Problem } from '../problems.js';
import {
  applyBaseline,
  BASELINE_VERSION,
  baselineFromJson,
  CAUSE_UNRECORDED,
  describeAmbiguousEntry,
  describeChangedEntry,
  isIsoDate,
  namesPipeline,
  pipelinesByName,
  sortBaselineEntries,
  writeBaseline,
  type Baseline,
  type BaselineEntry,
  type ParsedBaseline,
} from '../report/baseline.js';
import { stableJson } from '../report/stableJson.js';
import { plural } from '../report/summarize.js';
import type { Report } from '../report/types.js';
import { writeOutputFile } from './fsErrors.js';
import type { CliIo } from './io.js';
import {
  missingFolderProblem,
  outputPathProblem,
  runInputs,
  templateInputs,
} from './outputPath.js';
import { refuseRepeatedOptions } from './onceOnly.js';
import {
  addInputOptions,
  loadAnalysisInput,
  noPipelinesProblem,
  type InputCliOptions,
} from './inputOptions.js';

interface BaselineCliOptions extends InputCliOptions {
  output: string;
  pipeline: string[];
  reason: string;
  expires: string;
}

const collect = (value: string, previous: string[]): string[] => [
  ...previous,
  ...value.split(',').filter(Boolean),
];

export function registerBaseline(
  program: Command,
  io: CliIo,
  setExit: (code: number) => void,
): void {
  const command = program
    .command('baseline')
    .description('write a baseline file accepting every link that is not allowed today')
    .argument(
      '[input]',
      'a snapshot folder, a CDK assembly or a stacks file (the same input options as analyze)',
    );
  addInputOptions(command)
    .requiredOption(
      '--output <file>',
      'the baseline file to write (existing entries keep their reason and date)',
    )
    .requiredOption('--expires <date>', 'when the new acceptances expire (YYYY-MM-DD)')
    .option(
      '--reason <text>',
      'why these failures are accepted',
      'accepted when the baseline was written',
    )
    .option(
      '--pipeline <name>',
      'only this pipeline (name or ARN); repeatable or comma-separated. Entries of the other pipelines in --output are kept',
      collect,
      [],
    )
    .addHelpText(
      'after',
      '\nExit codes: 0 the baseline was written (warnings, such as --expires in the past, do not\n' +
        'change it), 2 usage or input error (nothing is written).',
    )
    .action((input: string | undefined, opts: BaselineCliOptions) => {
      setExit(runBaseline(input, opts, io));
    });
  refuseRepeatedOptions(command);
}

function runBaseline(input: string | undefined, opts: BaselineCliOptions, io: CliIo): number {
  if (opts.output === '') {
    io.stderr('error: --output needs a file name, not an empty value\n');
    return 2;
  }
  // the file is read for the entries it keeps, and written: standard output is neither
  if (opts.output === '-') {
    io.stderr(
      'error: --output `-`: the baseline is a file, read and written, not standard output\n',
    );
    return 2;
  }
  if (!isIsoDate(opts.expires)) {
    io.stderr(
      sanitizeForTerminal(`error: --expires \`${opts.expires}\` is not a date written YYYY-MM-DD`) +
        '\n',
    );
    return 2;
  }
  // a date already past writes entries that have expired: allowed (a test of the gate), said
  const today = new Date().toISOString().slice(0, 10);
  if (opts.expires < today) {
    io.stderr(
      `warning: --expires ${opts.expires} is in the past (today is ${today} UTC): the entries ` +
        'written have expired already and accept nothing (`analyze --baseline` fails on those ' +
        'whose link fails the run without a baseline)\n',
    );
  }
  // before analyzing: a FIFO waited for a reader forever, an input was overwritten in silence
  // (the --output file itself is read, for the entries it keeps)
  const outputProblem =
    missingFolderProblem('--output', opts.output, resolve(io.cwd, opts.output)) ??
    outputPathProblem(
      '--output',
      opts.output,
      resolve(io.cwd, opts.output),
      runInputs(io.cwd, { input, ...opts }),
    );
  if (outputProblem !== undefined) {
    io.stderr(sanitizeForTerminal(`error: ${outputProblem}`) + '\n');
    return 2;
  }
  const loaded = loadAnalysisInput(io.cwd, input, opts, opts.pipeline);
  if ('usage' in loaded) {
    io.stderr(sanitizeForTerminal(`error: ${loaded.usage}`) + '\n');
    return 2;
  }
  // the templates a stacks file names are known once it is read
  const templateProblem = outputPathProblem(
    '--output',
    opts.output,
    resolve(io.cwd, opts.output),
    templateInputs(io.cwd, loaded.templates),
  );
  if (templateProblem !== undefined) {
    io.stderr(sanitizeForTerminal(`error: ${templateProblem}`) + '\n');
    return 2;
  }
  let report = analyzeModel(loaded.model, {
    pipelines: opts.pipeline,
    artifacts: loaded.artifacts,
  });
  const problems = [...loaded.problems, ...report.problems].filter((p) => p.severity === 'error');
  const out = resolve(io.cwd, opts.output);
  let kept: readonly BaselineEntry[] = [];
  // the input's warnings are said, sorted, as analyze says them (the baseline is written
  // anyway): an option nothing uses, a region permchain does not know used as given, a snapshot
  // file not read (`IAM.json`) whose links are written as Unknown, an input with no pipeline
  const none = noPipelinesProblem(loaded, input, opts);
  const warnings: Problem[] = uniqueProblems([
    ...[...loaded.problems, ...report.problems].filter((p) => p.severity !== 'error'),
    ...(none ? [none] : []),
  ]);
  // an existing file is read for its entries (anything else was refused above)
  if (statSync(out, { throwIfNoEntry: false })?.isFile()) {
    const read = readBaselineFile(out, opts.output);
    // the warning that entries record no cause asks for this very run: said below, as it applies
    problems.push(...read.problems.filter((p) => p.id !== CAUSE_UNRECORDED));
    const inputPipelines = listPipelines(loaded.model);
    // entries are checked against today: one that has expired accepts nothing, so its link is
    // written with --reason and --expires (running baseline again is how an entry is renewed;
    // checked against no date, it kept its past date and `analyze --baseline` kept failing)
    const applied = applyBaseline(report, read.baseline, today, {
      pipelines: inputPipelines,
    });
    report = applied.report;
    for (const e of [...applied.expired, ...applied.lapsed.map((l) => l.entry)]) {
      warnings.push({
        file: opts.output,
        pointer: read.pointers.get(e) ?? '',
        message: `baseline entry for \`${e.pipeline}\` / \`${e.link}\` expired on ${e.expires}: its link is written with --reason and --expires`,
        id: 'baseline.entry.renewed',
        severity: 'warning',
      });
    }
    // an entry accepting its link for another cause (decision, principal, resource, deciding
    // policies) keeps nothing: the link gets the new reason and date, never the old cause's
    for (const c of applied.changed) {
      warnings.push({
        file: opts.output,
        pointer: read.pointers.get(c.entry) ?? '',
        message: describeChangedEntry(c, true),
        id: 'baseline.entry.decision-changed',
        severity: 'warning',
      });
    }
    // entries of an earlier version record no cause: they keep their reason, now written with
    // the cause of today, which nobody checked against that reason
    const unrecorded = applied.unrecorded;
    if (unrecorded.length > 0) {
      warnings.push({
        file: opts.output,
        pointer: read.pointers.get(unrecorded[0]!) ?? '',
        message:
          `the ${unrecorded.length === 1 ? 'entry' : `${unrecorded.length} entries`} of an ` +
          'earlier version recorded no principal, resource or deciding policies: ' +
          `${unrecorded.length === 1 ? 'it keeps its' : 'they keep their'} reason and date, ` +
          "written with the link's principal, resource and deciding policies of today: check " +
          `that ${unrecorded.length === 1 ? 'the reason still holds' : 'each reason still holds'}`,
        id: CAUSE_UNRECORDED,
        severity: 'warning',
      });
    }
    // an entry naming by name a pipeline several analyzed pipelines have keeps nothing: its
    // links get the new reason and date, under their pipeline's ARN
    for (const a of applied.ambiguous) {
      warnings.push({
        file: opts.output,
        pointer: read.pointers.get(a.entry) ?? '',
        message: describeAmbiguousEntry(a),
        id: 'baseline.entry.pipeline-ambiguous',
        severity: 'warning',
      });
    }
    // with --pipeline, the other pipelines were not analyzed: their entries stay as they are
    if (opts.pipeline.length > 0) {
      kept = entriesOfOtherPipelines(read.baseline, report, inputPipelines);
    }
  }
  // the errors first, sorted, then the warnings, as diff says them: a run that ends in exit 2
  // leads with why
  for (const p of [...uniqueProblems(problems), ...warnings]) io.stderr(formatProblem(p) + '\n');
  if (problems.length > 0) return 2;
  const written = writeBaseline(report, { reason: opts.reason, expires: opts.expires });
  const baseline: Baseline = {
    version: BASELINE_VERSION,
    entries: sortBaselineEntries([...written.entries, ...kept]),
  };
  writeOutputFile(out, [stableJson(baseline)]);
  // the file name is the user's: shown with control characters escaped, so a name cannot forge
  // a line (a CI workflow command) on stdout
  io.stdout(
    sanitizeForTerminal(
      `wrote ${plural(baseline.entries.length, 'baseline entry', 'baseline entries')} to ${opts.output}` +
        (kept.length > 0 ? ` (${kept.length} of pipelines not analyzed this time kept)` : ''),
    ) + '\n',
  );
  return 0;
}

/**
 * The entries that name none of the report's pipelines: an entry naming by name a pipeline of
 * which the input has several (another region's may be the one meant) is kept too.
 */
function entriesOfOtherPipelines(
  baseline: Baseline,
  report: Report,
  input: readonly { readonly name: string; readonly arn: string }[],
): BaselineEntry[] {
  const byName = pipelinesByName(input);
  return baseline.entries.filter((e) => !report.pipelines.some((p) => namesPipeline(e, p, byName)));
}

const READ_IDS = {
  unreadable: 'baseline.file.unreadable',
  'too-large': 'baseline.file.too-large',
  invalid: 'baseline.json.invalid',
} as const;

/**
 * Read a baseline file the user named: a file that cannot be read (a folder, a device, a FIFO,
 * one too large) or parsed is a one-line problem naming it; a parse error says where, never
 * quoting the text (src/load/jsonFile.ts).
 */
export function readBaselineFile(path: string, displayName: string): ParsedBaseline {
  const read = readJsonText(path);
  if (read.ok) return baselineFromJson(read.value, displayName);
  return {
    baseline: { version: BASELINE_VERSION, entries: [] },
    pointers: new Map(),
    problems: [
      {
        file: displayName,
        pointer: '',
        message: read.message,
        id: READ_IDS[read.reason],
        severity: 'error',
      },
    ],
  };
}
