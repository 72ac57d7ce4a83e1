/**
 * Structural fuzzing of every kind of input (generator.ts): each case copies one fixture (a
 * snapshot folder, a template, a stacks file with its templates, a CDK assembly), breaks one of
 * its files in a seeded way and analyzes the copy in-process, twice; invariants.ts says what must
 * hold whatever the input.
 *
 * The suite runs 120 cases (about 15 s). `FUZZ_SEEDS=1-5000` sweeps other cases by hand (a range or
 * a comma-separated list of case numbers); `FUZZ_BASE=S` draws them from another base seed.
 */
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  caseSeed,
  mutateFileIn,
  picker,
  prepare,
  random,
  subjects,
  type Prepared,
  type Subject,
} from './generator.js';
import { analyzeIn, violations, type Run } from './invariants.js';

const BASE = Number(process.env['FUZZ_BASE'] ?? 20261207);
/** `FUZZ_LOG=file`: each case and what it broke, written as it runs (a sweep's progress) */
const LOG = process.env['FUZZ_LOG'];
const log = (line: string): void => {
  if (LOG) appendFileSync(LOG, line + '\n');
};

function seeds(spec: string): number[] {
  return spec.split(',').flatMap((part) => {
    const m = /^(\d+)-(\d+)$/.exec(part.trim());
    if (!m) return [Number(part)];
    const out: number[] = [];
    for (let i = Number(m[1]); i <= Number(m[2]); i++) out.push(i);
    return out;
  });
}

const CASES = seeds(process.env['FUZZ_SEEDS'] ?? '1-120');
const SUBJECTS = subjects();
const work = mkdtempSync(join(tmpdir(), 'permchain-fuzz-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The run of each fixture unbroken, and whether an unreadable copy of a file is reported. */
const before = new Map<string, Promise<{ prepared: Prepared; run: Run }>>();
const read = new Map<string, Promise<boolean>>();
let copies = 0;

function unbroken(subject: Subject): Promise<{ prepared: Prepared; run: Run }> {
  let p = before.get(subject.source);
  if (!p) {
    const dir = join(work, `before-${copies++}`);
    const prepared = prepare(subject, dir);
    p = analyzeIn(dir, prepared.args).then((run) => ({ prepared, run }));
    before.set(subject.source, p);
  }
  return p;
}

/** Is `file` of `subject` read at all: is a copy with the file not JSON an input error on it? */
function isRead(subject: Subject, file: string): Promise<boolean> {
  const key = `${subject.source} ${file}`;
  let p = read.get(key);
  if (!p) {
    const dir = join(work, `read-${copies++}`);
    const prepared = prepare(subject, dir);
    writeFileSync(join(dir, file), '{');
    p = analyzeIn(dir, prepared.args).then((run) =>
      (run.report?.problems ?? []).some(
        (x) =>
          x.severity === 'error' &&
          x.file !== undefined &&
          [resolve(dir, 'snap', x.file), resolve(dir, x.file)].includes(resolve(dir, file)),
      ),
    );
    read.set(key, p);
  }
  return p;
}

describe('structural fuzzing: broken inputs are input errors, never crashes', () => {
  it('has fixtures of every kind', () => {
    const kinds = new Set(SUBJECTS.map((s) => s.kind));
    expect([...kinds].sort()).toEqual(['cdk', 'snapshot', 'stacks', 'template']);
  });

  // the timeout is a hang guard (an alias bomb, a document nested 200,000 deep), not a speed
  // measurement
  it.each(CASES)(
    'case %i',
    async (n) => {
      const rnd = random(caseSeed(BASE, n));
      const subject = picker(rnd)(SUBJECTS);
      const { run: beforeRun } = await unbroken(subject);
      const dir = join(work, `case-${n}`);
      const prepared = prepare(subject, dir);
      const mutation = mutateFileIn(dir, prepared.files, rnd);
      const what = `case ${n}: ${subject.source}: ${mutation.file}: ${mutation.what}`;
      log(what);
      const run = await analyzeIn(dir, prepared.args);
      const again = await analyzeIn(dir, prepared.args);
      const fileIsRead =
        mutation.expect === 'unreadable' ? await isRead(subject, mutation.file) : true;
      const found = violations({
        dir,
        kind: subject.kind,
        mutation,
        before: beforeRun,
        run,
        again,
        fileIsRead,
      });
      for (const f of found) log(`  FAIL ${f}`);
      expect(found, what).toEqual([]);
      rmSync(dir, { recursive: true, force: true });
    },
    240_000,
  );
});
