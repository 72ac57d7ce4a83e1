import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

/** Run the CLI in-process in `cwd`; what it wrote and its exit code. */
export async function runCli(
  cwd: string,
  ...args: string[]
): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo(cwd);
  const code = await main(['node', 'permchain', ...args], io);
  return { code, out: io.out, err: io.err };
}
