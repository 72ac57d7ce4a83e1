/**
 * Every test run gets a temporary folder of its own, set as TMPDIR for the test workers and
 * the CLI processes they start, and removed when the run ends: tests make hundreds of scenario
 * copies and output folders with `mkdtempSync(join(tmpdir(), ...))`, and not all of them clean
 * up after themselves (a failing assertion skips the cleanup), so without this each run left
 * them in the system's temporary folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const previous = process.env['TMPDIR'];
  const root = mkdtempSync(join(tmpdir(), 'permchain-test-run-'));
  process.env['TMPDIR'] = root;
  return () => {
    rmSync(root, { recursive: true, force: true });
    if (previous === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = previous;
  };
}
