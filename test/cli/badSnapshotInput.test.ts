/**
 * Corrupted snapshot folders found by a hostile-input review: each is one error line naming the
 * file (and pointer), exit 2, never a pass, and the rest is still analyzed.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PIPELINE_FILE, tempFolders } from './demoCopy.js';
import { runCli } from './runCli.js';

const { demoCopy, removeTempDirs } = tempFolders();
afterAll(removeTempDirs);

describe('analyze on a corrupted snapshot', () => {
  it('a pipeline file that is a folder: one error line naming it, exit 2', async () => {
    const dir = demoCopy('kind');
    rmSync(join(dir, PIPELINE_FILE));
    mkdirSync(join(dir, PIPELINE_FILE));
    const r = await runCli(dir, 'analyze', '.', '--strict');
    expect(r.code).toBe(2);
    expect(`${r.out}${r.err}`).toContain(
      `error: ${PIPELINE_FILE}: not a readable regular file: the pipeline it holds cannot be known [snapshot.file.unreadable]`,
    );
    expect(`${r.out}${r.err}`).not.toMatch(/\n\s+at /);
  });

  it('a pipeline of `stages: []` under --strict: an error naming the pointer, exit 2', async () => {
    const dir = demoCopy('stages');
    const path = join(dir, PIPELINE_FILE);
    const doc = JSON.parse(readFileSync(path, 'utf8')) as { pipeline: { stages: unknown[] } };
    doc.pipeline.stages = [];
    writeFileSync(path, JSON.stringify(doc));
    const r = await runCli(dir, 'analyze', '.', '--strict');
    expect(r.code).toBe(2);
    expect(`${r.out}${r.err}`).toContain(
      `error: ${PIPELINE_FILE}#/pipeline/stages: no stage: CodePipeline requires at least two stages`,
    );
    expect(r.out).toContain('allowed   sts:AssumeRole');
    expect(r.out).not.toContain('the run passes');
  });
});
