import { describeErrorCode } from './fsErrors.js';

/** The CLI's view of the terminal, injectable so tests run commands in-process. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /**
   * true once writing to standard output failed (a full disk, a closed device); the failure was
   * reported on stderr, and the run exits 2. Stream errors arrive after the write that caused
   * them: main() checks this once pending events have run
   */
  outputFailed?(): boolean;
  /** colour only on a TTY and when NO_COLOR is unset (https://no-color.org) */
  readonly color: boolean;
  readonly cwd: string;
}

/** The streams processIo writes to; injectable for tests. */
export interface ProcessStreams {
  readonly stdout: NodeJS.WriteStream | (NodeJS.WritableStream & { isTTY?: boolean });
  readonly stderr: NodeJS.WritableStream;
}

/** Per stdout stream: whether a write failed (the handler is installed once per stream). */
const watched = new WeakMap<object, { failed: boolean }>();

export function processIo(streams: ProcessStreams = process): CliIo {
  const { stdout, stderr } = streams;
  const noColor = process.env['NO_COLOR'] !== undefined && process.env['NO_COLOR'] !== '';
  let state = watched.get(stdout);
  if (!state) {
    const s = { failed: false };
    state = s;
    watched.set(stdout, s);
    // a reader that stops early (`permchain analyze --format json | head`) closes the pipe:
    // stop writing instead of dying with a stack trace. Any other error (stdout on a full disk):
    // one line, exit 2, and nothing more is written
    stdout.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED') return;
      if (!s.failed) {
        s.failed = true;
        const what = typeof e.code === 'string' ? describeErrorCode(e.code) : e.message;
        stderr.write(`error: standard output: ${what}\n`);
      }
      // an error after main() returned still fails the run
      if (stdout === process.stdout) process.exitCode = 2;
    });
  }
  const failed = state;
  return {
    stdout: (t) => {
      if (!(stdout as { destroyed?: boolean }).destroyed && !failed.failed) stdout.write(t);
    },
    outputFailed: () => failed.failed,
    stderr: (t) => {
      stderr.write(t);
    },
    color: !noColor && stdout.isTTY === true,
    cwd: process.cwd(),
  };
}

/** Captures output; for tests. */
export function memoryIo(cwd = process.cwd()): CliIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    color: false,
    cwd,
    stdout(t: string) {
      io.out += t;
    },
    stderr(t: string) {
      io.err += t;
    },
  };
  return io;
}
