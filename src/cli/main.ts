/**
 * The commander program. Each command lives in its own file and returns an exit code;
 * only this layer touches `process` (argv, streams, exit codes).
 * Exit codes: 0 ok, 1 findings (a denied link or request), 2 usage or input error.
 */
import { sanitizeForTerminal, sanitizeLines } from '../report/sanitize.js';
import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { registerAnalyze } from './analyze.js';
import { registerBaseline } from './baseline.js';
import { registerDiff } from './diff.js';
import { registerSimulate } from './simulate.js';
import { registerCrawl } from './crawl.js';
import type { CliIo } from './io.js';
import { processIo } from './io.js';
import { fileSystemError } from './fsErrors.js';

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_INPUT = 2;

function readVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

export function buildProgram(io: CliIo, setExit: (code: number) => void): Command {
  const program = new Command();
  program
    .name('permchain')
    .description(
      'Offline audit of AWS CodePipeline permission chains: which link would deny, which policy ' +
        'and statement decide it, and how to fix it, before anything is deployed.',
    )
    .version(readVersion())
    // `-V` and `--version` only before a command: after one (`analyze demo -V`) they are that
    // command's unknown option, a usage error, not a version printed and the analysis skipped
    // with exit 0
    .enablePositionalOptions()
    // a usage error is one line, and one more naming the --help that explains it (set on each
    // command below): the whole help after it buried the error
    .showHelpAfterError(usageHint(undefined))
    .configureOutput({
      writeOut: (s) => io.stdout(s),
      // commander's messages quote the arguments as given (`unknown option '--x<LF>::error::'`):
      // control and bidi characters are escaped, the message stays on its lines
      writeErr: (s) => io.stderr(sanitizeLines(s)),
      outputError: (s, write) => write(sanitizeCommanderError(s)),
    })
    .exitOverride();
  registerAnalyze(program, io, setExit, readVersion());
  registerBaseline(program, io, setExit);
  registerDiff(program, io, setExit);
  registerSimulate(program, io, setExit);
  registerCrawl(program, io, setExit);
  for (const command of program.commands) command.showHelpAfterError(usageHint(command.name()));
  return program;
}

/** The line after a usage error: where its command's usage is explained. */
function usageHint(command: string | undefined): string {
  return `run 'permchain ${command === undefined ? '' : `${command} `}--help' for usage`;
}

/**
 * A commander error message (`error: ...\n`) made one safe line: a newline inside it comes from
 * an argument and is escaped, except the one before commander's own `(Did you mean ...?)`, which
 * becomes a space (the suggestion ends the error's line).
 */
export function sanitizeCommanderError(s: string): string {
  const body = s.endsWith('\n') ? s.slice(0, -1) : s;
  return (
    body
      .split(/\n(?=\(Did you mean )/)
      .map(sanitizeForTerminal)
      .join(' ') + '\n'
  );
}

/** Run the CLI with the given argv; returns the exit code (never calls process.exit). */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  let code = EXIT_OK;
  const program = buildProgram(io, (c) => {
    code = c;
  });
  try {
    await program.parseAsync(argv as string[]);
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit 0; usage errors exit 2 (commander already printed them)
      return err.exitCode === 0 ? EXIT_OK : EXIT_INPUT;
    }
    // a file the user named that cannot be opened or written (an --output in a missing
    // folder, a read-only path): one line, exit 2, no stack trace
    const fsError = fileSystemError(err);
    if (fsError) {
      io.stderr(sanitizeForTerminal(`error: ${fsError}`) + '\n');
      return EXIT_INPUT;
    }
    throw err;
  }
  if (io.outputFailed) {
    // a failed write to stdout is reported by an event after the write: let it arrive
    await new Promise<void>((done) => setImmediate(done));
    if (io.outputFailed()) return EXIT_INPUT;
  }
  return code;
}
