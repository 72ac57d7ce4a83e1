/** The CLI's view of the terminal, injectable so tests run commands in-process. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** colour only on a TTY and when NO_COLOR is unset (https://no-color.org) */
  readonly color: boolean;
  readonly cwd: string;
}

let pipeWatch = false;

export function processIo(): CliIo {
  const noColor = process.env['NO_COLOR'] !== undefined && process.env['NO_COLOR'] !== '';
  if (!pipeWatch) {
    // a reader that stops early (`permchain analyze --format json | head`) closes the pipe:
    // stop writing instead of dying with a stack trace; other stream errors still surface
    pipeWatch = true;
    process.stdout.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE' && e.code !== 'ERR_STREAM_DESTROYED') throw e;
    });
  }
  return {
    stdout: (t) => {
      if (!process.stdout.destroyed) process.stdout.write(t);
    },
    stderr: (t) => process.stderr.write(t),
    color: !noColor && process.stdout.isTTY === true,
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
