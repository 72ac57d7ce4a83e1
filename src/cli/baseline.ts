/**
 * `permchain baseline [input] --output FILE`: accept today's known failures, with a reason and
 * an expiry date, so the gate fails only on new ones. Entries already in FILE keep their reason
 * and date. It takes analyze's input options, so the baseline is written from the same input the
 * gate analyzes.
 */
import type { Command } from 'commander';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { analyzeModel } from '../chain/analyze.js';
import { formatProblem } from '../problems.js';
import { applyBaseline, isIsoDate, parseBaseline, writeBaseline } from '../report/baseline.js';
import { stableJson } from '../report/stableJson.js';
import type { CliIo } from './io.js';
import { addInputOptions, loadAnalysisInput, type InputCliOptions } from './inputOptions.js';

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
    .option('--pipeline <name>', 'only this pipeline (name or ARN); repeatable', collect, [])
    .action((input: string | undefined, opts: BaselineCliOptions) => {
      if (!isIsoDate(opts.expires)) {
        io.stderr(`error: --expires \`${opts.expires}\` is not a date written YYYY-MM-DD\n`);
        setExit(2);
        return;
      }
      const loaded = loadAnalysisInput(io.cwd, input, opts, opts.pipeline);
      if ('usage' in loaded) {
        io.stderr(`error: ${loaded.usage}\n`);
        setExit(2);
        return;
      }
      let report = analyzeModel(loaded.model, {
        pipelines: opts.pipeline,
        artifacts: loaded.artifacts,
      });
      const problems = [...loaded.problems, ...report.problems].filter(
        (p) => p.severity === 'error',
      );
      const out = resolve(io.cwd, opts.output);
      if (existsSync(out)) {
        const parsed = parseBaseline(readFileSync(out, 'utf8'), opts.output);
        problems.push(...parsed.problems);
        report = applyBaseline(report, parsed.baseline, '0000-00-00').report;
      }
      for (const p of problems) io.stderr(formatProblem(p) + '\n');
      if (problems.length > 0) {
        setExit(2);
        return;
      }
      const baseline = writeBaseline(report, { reason: opts.reason, expires: opts.expires });
      writeFileSync(out, stableJson(baseline));
      io.stdout(`wrote ${baseline.entries.length} baseline entries to ${opts.output}\n`);
      setExit(0);
    });
}
