/**
 * `permchain diff BEFORE AFTER`: what a change does to the chain. Links newly denied, newly
 * allowed, newly unknown; exit 1 when anything is newly denied ("this pull request breaks the
 * deploy to prod").
 */
import type { Command } from 'commander';
import { analyzeModel } from '../chain/analyze.js';
import { formatProblem } from '../problems.js';
import { diffReports, renderDiffMarkdown, renderDiffText } from '../report/diff.js';
import { stableJson } from '../report/stableJson.js';
import type { CliIo } from './io.js';
import { loadInput } from './loadInput.js';

const FORMATS = ['text', 'markdown', 'json'] as const;

export function registerDiff(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
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
    .option('--pipeline <name>', 'only this pipeline (name or ARN)')
    .action((beforeArg: string, afterArg: string, opts: { format: string; pipeline?: string }) => {
      if (!(FORMATS as readonly string[]).includes(opts.format)) {
        io.stderr(`error: unknown format \`${opts.format}\` (expected ${FORMATS.join(', ')})\n`);
        setExit(2);
        return;
      }
      const pipelines = opts.pipeline ? [opts.pipeline] : [];
      const before = loadInput(io.cwd, beforeArg);
      const after = loadInput(io.cwd, afterArg);
      const a = analyzeModel(before.model, { pipelines });
      const b = analyzeModel(after.model, { pipelines });
      const problems = [...before.problems, ...a.problems, ...after.problems, ...b.problems].filter(
        (p) => p.severity === 'error',
      );
      const d = diffReports(a, b);
      io.stdout(
        opts.format === 'json'
          ? stableJson(d)
          : opts.format === 'markdown'
            ? renderDiffMarkdown(d)
            : renderDiffText(d),
      );
      for (const p of problems) io.stderr(formatProblem(p) + '\n');
      setExit(problems.length > 0 ? 2 : d.newlyDenied.length > 0 ? 1 : 0);
    });
}
