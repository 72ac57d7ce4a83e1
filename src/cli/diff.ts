/**
 * `permchain diff BEFORE AFTER`: what a change does to the chain. Links newly denied, newly
 * allowed, newly unknown; exit 1 when anything is newly denied ("this pull request breaks the
 * deploy to prod").
 */
import type { Command } from 'commander';
import { analyzeModel } from '../chain/analyze.js';
import { formatProblem, uniqueProblems, type Problem } from '../problems.js';
import { diffReports, renderDiffMarkdown, renderDiffText } from '../report/diff.js';
import { stableJson } from '../report/stableJson.js';
import type { CliIo } from './io.js';
import type { Report } from '../report/types.js';
import { addArtifactOption, loadAnalysisInput } from './inputOptions.js';

const FORMATS = ['text', 'markdown', 'json'] as const;

export function registerDiff(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const command = program
    .command('diff')
    .description(
      'compare the chains of two inputs (before and after a change); exit 1 when a link is newly denied',
    )
    .argument(
      '<before>',
      'the state before the change: a snapshot folder, a CDK assembly or a stacks file',
    )
    .argument(
      '<after>',
      'the state after the change: a snapshot folder, a CDK assembly or a stacks file',
    )
    .option('--format <format>', `output format: ${FORMATS.join(', ')}`, 'text')
    .option('--pipeline <name>', 'only this pipeline (name or ARN)');
  // the artifact folders (the repository being changed) are read for both inputs
  addArtifactOption(command).action(
    (
      beforeArg: string,
      afterArg: string,
      opts: { format: string; pipeline?: string; artifact: string[] },
    ) => {
      if (!(FORMATS as readonly string[]).includes(opts.format)) {
        io.stderr(`error: unknown format \`${opts.format}\` (expected ${FORMATS.join(', ')})\n`);
        setExit(2);
        return;
      }
      const pipelines = opts.pipeline ? [opts.pipeline] : [];
      const problems: Problem[] = [];
      const reports: Report[] = [];
      for (const arg of [beforeArg, afterArg]) {
        const loaded = loadAnalysisInput(io.cwd, arg, { artifact: opts.artifact }, pipelines);
        if ('usage' in loaded) {
          io.stderr(`error: ${loaded.usage}\n`);
          setExit(2);
          return;
        }
        const report = analyzeModel(loaded.model, { pipelines, artifacts: loaded.artifacts });
        problems.push(...loaded.problems, ...report.problems);
        reports.push(report);
      }
      const [a, b] = reports as [Report, Report];
      const errors = uniqueProblems(problems).filter((p) => p.severity === 'error');
      const d = diffReports(a, b);
      io.stdout(
        opts.format === 'json'
          ? stableJson(d)
          : opts.format === 'markdown'
            ? renderDiffMarkdown(d)
            : renderDiffText(d),
      );
      for (const p of errors) io.stderr(formatProblem(p) + '\n');
      setExit(errors.length > 0 ? 2 : d.newlyDenied.length > 0 ? 1 : 0);
    },
  );
}
