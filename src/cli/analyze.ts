/**
 * `permchain analyze <input>`: load a snapshot folder, evaluate every link of every pipeline
 * and report. Exit 0 when no required link is denied, 1 when one is (or, with --strict /
 * --fail-on unknown, unknown) and no live baseline entry accepts it, 2 on input or usage errors
 * (src/report/gate.ts). An expired baseline entry accepts nothing: it fails the run only when its
 * link would without a baseline, and is a warning otherwise.
 */
import { Option, type Command } from 'commander';
import { join, resolve } from 'node:path';
import { analyzeModel, selectPipelines, type PipelineSelection } from '../chain/analyze.js';
import { makeDirectory } from '../fsUtil.js';
import { readsDigested } from '../load/jsonFile.js';
import { listPipelines } from '../model/queries.js';
import { formatProblem, sortProblems, uniqueProblems, type Problem } from '../problems.js';
import {
  applyBaseline,
  describeAmbiguousEntry,
  describeChangedEntry,
  describeDuplicateEntries,
  describeLapsedEntry,
  describeStaleEntry,
  isIsoDate,
  type BaselineEntry,
} from '../report/baseline.js';
import { exitCodeFor, gateSummary } from '../report/gate.js';
import {
  FAIL_ON,
  FORMAT_EXTENSIONS,
  FORMAT_NAMES,
  REPORTERS,
  isFormatName,
  type FailOn,
  type FormatName,
} from '../report/index.js';
import { renderJsonBodies, renderJsonChunks } from '../report/json.js';
import { mapIterable } from '../report/mapIterable.js';
import type { ReportOptions } from '../report/options.js';
import { sanitizeForTerminal } from '../report/sanitize.js';
import { renderTextPieces, type TextPiece } from '../report/text.js';
import type { Report, ReportPipeline } from '../report/types.js';
import { readBaselineFile } from './baseline.js';
import { writeOutputFile } from './fsErrors.js';
import type { CliIo } from './io.js';
import {
  missingFolderProblem,
  outputFolderProblem,
  outputPathProblem,
  runInputs,
  templateInputs,
  type RunInput,
} from './outputPath.js';
import { refuseRepeatedOptions } from './onceOnly.js';
import { pointerLineReader } from './pointerLines.js';
import {
  addInputOptions,
  loadAnalysisInput,
  noPipelinesProblem,
  type InputCliOptions,
} from './inputOptions.js';
import { UNUSED_OPTION } from './loadInput.js';
import {
  canRunWorkers,
  makePiece,
  parallelPieces,
  PARALLEL_MIN,
  snapshotPipelineCount,
  startWorkers,
  threadCount,
  DEFAULT_MAX_THREADS,
  type Piece,
  type PieceFormat,
  type PieceOptions,
  type ThreadTally,
  type WorkerJob,
  type WorkerPool,
} from './parallelAnalyze.js';

export interface AnalyzeCliOptions extends InputCliOptions {
  pipeline: string[];
  format: string[];
  output?: string;
  outputDir?: string;
  strict?: boolean;
  failOn?: string;
  baseline?: string;
  today?: string;
  jobs?: string;
}

const collect = (value: string, previous: string[]): string[] => [
  ...previous,
  ...value.split(',').filter(Boolean),
];
/** --format keeps empty names, so `--format ''` is refused instead of meaning text */
const collectFormats = (value: string, previous: string[]): string[] => [
  ...previous,
  ...value.split(','),
];

export function registerAnalyze(
  program: Command,
  io: CliIo,
  setExit: (code: number) => void,
  version: string,
): void {
  const command = program
    .command('analyze')
    .description(
      'evaluate every link of every pipeline (snapshot, templates or CDK assembly) and report the ones that would deny',
    )
    .argument(
      '[input]',
      'a snapshot folder (AWS CLI JSON outputs), a CDK cloud assembly (cdk.out/) or a stacks file',
    );
  addInputOptions(command)
    .option(
      '--pipeline <name>',
      'only this pipeline (name or ARN); repeatable or comma-separated',
      collect,
      [],
    )
    .addOption(
      new Option(
        '--format <format>',
        `output format: ${FORMAT_NAMES.join(', ')}; repeatable or comma-separated (several need --output-dir)`,
      )
        .argParser(collectFormats)
        // the list starts empty (formats given are collected), and none given means text: the
        // help says so, as diff's and simulate's do, not `(default: [])`
        .default([], '"text"'),
    )
    .option(
      '--output <file>',
      'write the report to this file instead of standard output (`-`: standard output)',
    )
    .option('--output-dir <dir>', 'write one file per format into this folder (report.<ext>)')
    .option(
      '--strict',
      'also fail (exit 1) when a required link is unknown or no pipeline is found; same as --fail-on unknown (and not to be combined with another --fail-on)',
    )
    .option('--fail-on <what>', `what fails the run: ${FAIL_ON.join(', ')} (default: denied)`)
    .option(
      '--baseline <file>',
      'accepted known failures (see `permchain baseline`); an expired entry accepts nothing (its link fails the run only if it would without a baseline)',
    )
    .option(
      '--jobs <n>',
      `threads to analyze with, for a json or text report without --baseline (default: from ${PARALLEL_MIN} pipelines on, the CPUs there are or a container's CPU quota allows, at most ${DEFAULT_MAX_THREADS}, since each holds a copy of the model; 1: this thread only); the report is the same`,
    )
    .option(
      '--today <date>',
      'the date baselines are checked against (YYYY-MM-DD, default: today in UTC)',
    )
    .addHelpText(
      'after',
      '\n--artifact NAME=DIR gives the files of the input artifact NAME, which some actions read at run\n' +
        'time and no snapshot or template holds: a CodeDeployToECS (blue/green) action registers the\n' +
        'task definition in its TaskDefinitionTemplatePath (default taskdef.json), usually a file of the\n' +
        'repository being deployed. PIPELINE/NAME=DIR gives it for one pipeline only.\n' +
        '\nAn input with no pipeline at all (a wrong path or region folder, an empty crawl) is a\n' +
        'warning in every format; with --strict (--fail-on unknown) it fails the run.\n' +
        '\nExit codes: 0 no required link denied (unknown links and recommended ones do not fail the\n' +
        'run by default; --fail-on never always gives 0), 1 a required link denied and not accepted\n' +
        'by a live --baseline entry, or with --strict (--fail-on unknown) a required link unknown and\n' +
        'not accepted or no pipeline found, 2 input or usage error (after everything readable was\n' +
        'analyzed and reported). A baseline entry that has expired accepts nothing: its link is\n' +
        'judged as without a baseline (an error when that fails the run, a warning otherwise).',
    )
    .action((input: string | undefined, opts: AnalyzeCliOptions) => {
      setExit(runAnalyze(input, opts, io, version));
    });
  refuseRepeatedOptions(command);
}

export function runAnalyze(
  input: string | undefined,
  opts: AnalyzeCliOptions,
  io: CliIo,
  version: string,
): number {
  // a format named twice is written once
  const formats = opts.format.length > 0 ? [...new Set(opts.format)] : ['text'];
  // `--output -` is standard output, as CI scripts write it (not a file named `-`)
  if (opts.output === '-') {
    opts = { ...opts };
    delete opts.output;
  }
  const bad = formats.find((f) => !isFormatName(f));
  if (bad !== undefined)
    return usage(
      io,
      bad === ''
        ? `--format needs a format name (one of ${FORMAT_NAMES.join(', ')})`
        : `unknown format \`${bad}\` (expected one of ${FORMAT_NAMES.join(', ')})`,
    );
  // an empty name is a mistake (an unset variable in a CI script), never standard output or no
  // baseline: a gate that silently ran without its baseline or wrote nowhere would mislead
  for (const [flag, v] of [
    ['--output', opts.output],
    ['--output-dir', opts.outputDir],
    ['--baseline', opts.baseline],
  ] as const) {
    const what = flag === '--output-dir' ? 'folder' : 'file';
    if (v === '') return usage(io, `${flag} needs a ${what} name, not an empty value`);
  }
  if (formats.length > 1 && !opts.outputDir) return usage(io, 'several formats need --output-dir');
  if (opts.output && opts.outputDir)
    return usage(io, '--output and --output-dir cannot be used together');
  if (opts.failOn !== undefined && !(FAIL_ON as readonly string[]).includes(opts.failOn)) {
    return usage(io, `unknown --fail-on value \`${opts.failOn}\` (expected ${FAIL_ON.join(', ')})`);
  }
  // --strict is --fail-on unknown: another --fail-on with it is a contradiction, not a precedence
  if (opts.strict && opts.failOn !== undefined && opts.failOn !== 'unknown') {
    return usage(
      io,
      `--strict means --fail-on unknown: it cannot be used with --fail-on ${opts.failOn}`,
    );
  }
  const failOn = (opts.strict ? 'unknown' : (opts.failOn ?? 'denied')) as FailOn;
  if (opts.today !== undefined && !isIsoDate(opts.today)) {
    return usage(io, `--today \`${opts.today}\` is not a date written YYYY-MM-DD`);
  }
  const today = opts.today ?? new Date().toISOString().slice(0, 10);
  let jobs: number | undefined;
  if (opts.jobs !== undefined) {
    if (!/^[0-9]+$/.test(opts.jobs) || Number(opts.jobs) < 1 || Number(opts.jobs) > MAX_JOBS)
      return usage(io, `--jobs \`${opts.jobs}\` is not a number of threads from 1 to ${MAX_JOBS}`);
    jobs = Number(opts.jobs);
  }

  // before analyzing: a FIFO waited for a reader forever, an input was overwritten in silence
  const outputProblem = checkOutputs(
    io.cwd,
    opts,
    formats as FormatName[],
    runInputs(io.cwd, { input, ...opts }),
  );
  if (outputProblem !== undefined) return usage(io, outputProblem);

  // The JSON or text report alone (the usual CI and terminal cases) is written pipeline by
  // pipeline as each is analyzed, perhaps by several threads (parallelAnalyze.ts). A snapshot
  // large enough to share out starts its workers now, so they load the input while this thread
  // does.
  const streaming =
    formats.length === 1 && (formats[0] === 'json' || formats[0] === 'text') && !opts.baseline;
  // what a piece of the text report needs of the options (a worker gets a copy); a report
  // written to a file is never coloured
  const pieceOptions = { color: io.color && !opts.output && !opts.outputDir, failOn };
  const job = {
    cwd: io.cwd,
    input,
    opts: inputOptionsOf(opts),
    format: formats[0] as PieceFormat,
    options: pieceOptions,
  };
  const canShare = streaming && jobs !== 1 && canRunWorkers();
  let pool: WorkerPool | undefined;
  // a snapshot folder's pipelines are counted before it is loaded: the choice is made then, and
  // a run that starts no worker now starts none later
  let decided = false;
  if (canShare && opts.pipeline.length === 0) {
    const count = snapshotPipelineCount(io.cwd, input);
    decided = count > 0;
    const threads = threadCount(count, jobs);
    if (threads > 1) pool = startWorkers(job, threads - 1);
  }
  // whether worker threads may analyze: only then is the digest of the files loaded taken, which
  // a worker's load must have too (a one-thread run does not hash what it reads)
  const parallel = canShare && (pool !== undefined || !decided);
  try {
    return analyzeInput(input, opts, io, version, {
      formats,
      failOn,
      today,
      jobs,
      streaming,
      parallel,
      job,
      pool,
    });
  } finally {
    pool?.close();
  }
}

/** What runAnalyze read from the command line before loading the input. */
interface RunSettings {
  readonly formats: readonly string[];
  readonly failOn: FailOn;
  readonly today: string;
  readonly jobs: number | undefined;
  readonly streaming: boolean;
  /**
   * worker threads may analyze: a json or text report, not --jobs 1, the compiled worker is
   * there, and workers were started or the choice waits for the input to be loaded
   */
  readonly parallel: boolean;
  readonly job: Omit<WorkerJob, 'shared' | 'port'>;
  /** the workers started before loading, if any */
  readonly pool: WorkerPool | undefined;
}

function analyzeInput(
  input: string | undefined,
  opts: AnalyzeCliOptions,
  io: CliIo,
  version: string,
  settings: RunSettings,
): number {
  const { formats, failOn, today, jobs, streaming, parallel, job } = settings;
  const load = (): ReturnType<typeof loadAnalysisInput> =>
    loadAnalysisInput(io.cwd, input, opts, opts.pipeline);
  const { value: loaded, digest } = parallel ? readsDigested(load) : { value: load(), digest: '' };
  if ('usage' in loaded) return usage(io, loaded.usage);
  // the templates a stacks file names are known once it is read: still before any analysis
  if (loaded.templates.length > 0) {
    const templateProblem = checkOutputs(
      io.cwd,
      opts,
      formats as FormatName[],
      templateInputs(io.cwd, loaded.templates),
    );
    if (templateProblem !== undefined) return usage(io, templateProblem);
  }
  const analyzeOptions = { pipelines: opts.pipeline, artifacts: loaded.artifacts };
  // warnings that bear on the gate: shown on stderr whatever the format
  const gateWarnings: Problem[] = [];
  const none = noPipelinesProblem(loaded, input, opts);
  if (none) gateWarnings.push(none);
  // an option that changes nothing is said, never ignored in silence
  const unused: Problem[] =
    opts.today !== undefined && !opts.baseline
      ? [
          {
            pointer: '',
            message: `\`--today ${opts.today}\` is not used: it applies to --baseline only, and none is given`,
            id: UNUSED_OPTION,
            severity: 'warning',
          },
        ]
      : [];

  // A report written as it comes keeps aside only the required links that are not allowed,
  // which is all the gate reads; its bytes are those the whole report gives
  // (test/cli/analyze.test.ts).
  let streamed: Iterable<Piece> | undefined;
  let streamedFormat: PieceFormat | undefined;
  let report: Report;
  if (streaming) {
    const format = job.format;
    const selection = selectPipelines(loaded.model, analyzeOptions);
    const findings: ReportPipeline[] = [];
    report = {
      pipelines: findings,
      problems: uniqueProblems([
        ...selection.problems,
        ...loaded.problems,
        ...unused,
        ...gateWarnings,
      ]),
    };
    const threads = threadCount(selection.pipelines.length, jobs);
    const tally = tallyOf(io);
    const pieces =
      parallel && threads > 1
        ? (function* (): Generator<Piece> {
            // workers not started before loading (a template input, --pipeline) are started
            // when the report is first asked for, so parallelPieces, which closes the pool when
            // it ends, holds every pool it runs
            const pool = settings.pool ?? startWorkers(job, threads - 1);
            yield* parallelPieces(selection, digest, pool, tally);
          })()
        : serialPieces(selection, format, job.options, tally);
    streamed = keepFindings(pieces, findings);
    streamedFormat = format;
  } else {
    const whole = analyzeModel(loaded.model, analyzeOptions);
    report = {
      ...whole,
      problems: uniqueProblems([...whole.problems, ...loaded.problems, ...unused, ...gateWarnings]),
    };
  }

  if (opts.baseline) {
    const parsed = readBaselineFile(resolve(io.cwd, opts.baseline), opts.baseline);
    // a pipeline named by name must be the only one of that name in the input, not only among
    // the pipelines --pipeline selects
    const applied = applyBaseline(report, parsed.baseline, today, {
      pipelines: listPipelines(loaded.model),
      failOn,
    });
    // a warning at a baseline entry
    const where = (e: BaselineEntry): string => parsed.pointers.get(e) ?? '';
    const atEntry = (entry: BaselineEntry, message: string, id: string): Problem => ({
      file: opts.baseline!,
      pointer: where(entry),
      message,
      id,
      severity: 'warning',
    });
    // an entry whose link is decided otherwise now accepts nothing: say why the link fails
    const changed = applied.changed.map((c) =>
      atEntry(c.entry, describeChangedEntry(c), 'baseline.entry.decision-changed'),
    );
    // an entry naming by name a pipeline several analyzed pipelines have accepts nothing
    const ambiguous = applied.ambiguous.map((a) =>
      atEntry(a.entry, describeAmbiguousEntry(a), 'baseline.entry.pipeline-ambiguous'),
    );
    // several entries for one link (one expired, one live): only one decides
    const duplicates = applied.duplicates.map((group) =>
      atEntry(group[0]!, describeDuplicateEntries(group, where), 'baseline.entry.duplicate'),
    );
    // an expired entry whose link would not fail without it: it accepts nothing, a warning
    const lapsed = applied.lapsed.map((l) =>
      atEntry(l.entry, describeLapsedEntry(l, failOn), 'baseline.entry.expired'),
    );
    // an entry for a link that is allowed now (or gone) would accept it if it broke again
    const stale = applied.stale.map((e) =>
      atEntry(e, describeStaleEntry(e), 'baseline.entry.stale'),
    );
    gateWarnings.push(...changed, ...ambiguous, ...duplicates, ...lapsed, ...stale);
    report = {
      ...applied.report,
      problems: sortProblems([
        ...applied.report.problems,
        ...parsed.problems,
        ...changed,
        ...ambiguous,
        ...duplicates,
        ...lapsed,
        ...stale,
      ]),
    };
    for (const e of applied.expired) {
      io.stderr(
        sanitizeForTerminal(
          `error: baseline entry for \`${e.pipeline}\` / \`${e.link}\` expired on ${e.expires}`,
        ) + '\n',
      );
    }
  }

  const options: ReportOptions = {
    color: io.color,
    failOn,
    toolVersion: version,
    root: io.cwd,
    ...(loaded.snapshotRoot !== undefined ? { snapshotRoot: loaded.snapshotRoot } : {}),
    // SARIF and github place a snapshot file's finding at the line of its pointer
    pointerLine: pointerLineReader(io.cwd, loaded.snapshotRoot),
  };
  const chunks = (f: FormatName, o: ReportOptions): Iterable<string> =>
    !streamed
      ? render(f, report, o)
      : streamedFormat === 'json'
        ? renderJsonBodies(
            mapIterable(streamed, (p) => p.text),
            report.problems,
          )
        : // the report's pipelines are the findings kept so far: all of them once the text ends
          renderTextPieces(
            mapIterable(streamed, (p): TextPiece => ({
              text: p.text,
              verdict: p.verdict!,
              counts: p.counts!,
            })),
            report.problems,
            o,
            () => gateSummary(report, failOn),
          );
  if (opts.outputDir) {
    const dir = resolve(io.cwd, opts.outputDir);
    makeDirectory(dir);
    for (const f of formats as FormatName[]) {
      writeOutputFile(
        join(dir, `report.${FORMAT_EXTENSIONS[f]}`),
        chunks(f, { ...options, color: false }),
      );
    }
  } else {
    const f = formats[0] as FormatName;
    if (opts.output)
      writeOutputFile(resolve(io.cwd, opts.output), chunks(f, { ...options, color: false }));
    else for (const chunk of chunks(f, options)) io.stdout(chunk);
  }
  // problems go to stderr too, one line each, unless the text report on stdout already lists them
  // (and the warnings that bear on the gate)
  if (!(formats[0] === 'text' && !opts.output && !opts.outputDir)) {
    for (const p of report.problems) {
      if (p.severity === 'error' || gateWarnings.includes(p)) io.stderr(formatProblem(p) + '\n');
    }
  }
  return exitCodeFor(report, failOn, { noPipelines: none !== undefined });
}

/**
 * Why --output or --output-dir (or a file it would get) cannot be written, or one of `inputs`,
 * or undefined.
 */
function checkOutputs(
  cwd: string,
  opts: AnalyzeCliOptions,
  formats: readonly FormatName[],
  inputs: readonly RunInput[],
): string | undefined {
  if (opts.output)
    return (
      missingFolderProblem('--output', opts.output, resolve(cwd, opts.output)) ??
      outputPathProblem('--output', opts.output, resolve(cwd, opts.output), inputs)
    );
  if (!opts.outputDir) return undefined;
  const dir = resolve(cwd, opts.outputDir);
  const notFolder = outputFolderProblem('--output-dir', opts.outputDir, dir);
  if (notFolder !== undefined) return notFolder;
  for (const f of formats) {
    const name = `report.${FORMAT_EXTENSIONS[f]}`;
    const problem = outputPathProblem(
      '--output-dir',
      join(opts.outputDir, name),
      join(dir, name),
      inputs,
    );
    if (problem !== undefined) return problem;
  }
  return undefined;
}

/** The pieces as they come, keeping aside the required links of each that are not allowed. */
function* keepFindings(pieces: Iterable<Piece>, findings: ReportPipeline[]): Generator<Piece> {
  for (const p of pieces) {
    if (p.finding !== undefined) findings.push(p.finding);
    yield p;
  }
}

/** The input options a worker thread loads the input with, as the main thread did. */
function inputOptionsOf(opts: AnalyzeCliOptions): Partial<InputCliOptions> & {
  readonly pipeline: readonly string[];
} {
  const { stacks, template, account, region, stackName, parameter, artifact, pipeline } = opts;
  return { stacks, template, account, region, stackName, parameter, artifact, pipeline };
}

/**
 * With PERMCHAIN_TRACE_JOBS set, one line on stderr once the report is written: how many
 * pipelines each thread analyzed (the main thread first). For tests and benchmarks only.
 */
function tallyOf(io: CliIo): ThreadTally {
  const analyzed: number[] = [];
  return {
    analyzed,
    done: () => {
      if (process.env['PERMCHAIN_TRACE_JOBS'])
        io.stderr(`permchain: pipelines analyzed per thread: ${analyzed.join(' ')}\n`);
    },
  };
}

/** The pieces of every selected pipeline, in report order, analyzed by this thread alone. */
function* serialPieces(
  selection: PipelineSelection,
  format: PieceFormat,
  options: PieceOptions,
  tally: ThreadTally,
): Generator<Piece> {
  tally.analyzed.splice(0, tally.analyzed.length, 0);
  for (let i = 0; i < selection.pipelines.length; i++) {
    tally.analyzed[0]!++;
    yield makePiece(selection.analyzeAt(i), format, options);
  }
  tally.done?.();
}

/** A report as chunks: JSON is written pipeline by pipeline, the other formats in one piece. */
function render(format: FormatName, report: Report, options: ReportOptions): Iterable<string> {
  return format === 'json'
    ? renderJsonChunks(report, options)
    : [REPORTERS[format](report, options)];
}

/** More threads than this is a typo, not a machine. */
const MAX_JOBS = 256;

function usage(io: CliIo, message: string): number {
  io.stderr(sanitizeForTerminal(`error: ${message}`) + '\n');
  return 2;
}
