/**
 * `analyze` on several threads. The report of a pipeline depends on the model and that pipeline
 * alone (PipelineSelection.analyzeAt), so worker threads that each load the same input can
 * analyze pipelines while the main thread does too; the main thread writes the report in order,
 * so the bytes are those of a run on one thread (test/cli/parallelAnalyze.test.ts).
 *
 * The pipelines are handed out one at a time from a shared counter: the main thread starts at
 * once (a worker first loads the input for itself), and a thread that is faster takes more. A
 * pipeline a worker took is written when its text arrives; meanwhile the main thread analyzes
 * ahead (at most AHEAD pipelines) rather than wait. Everything stays synchronous: the main thread
 * reads the workers' messages with receiveMessageOnPort and sleeps on the shared counter.
 *
 * A worker that stops answering (it died, or one pipeline takes longer than STALL_MS) is not
 * waited for: the main thread analyzes what is missing itself. A worker that read a different
 * input (a file changed between the two reads) is not used at all.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import {
  MessageChannel,
  receiveMessageOnPort,
  Worker,
  type MessagePort,
} from 'node:worker_threads';
import type { PipelineSelection } from '../chain/analyze.js';
import { cpuQuota } from './cpuQuota.js';
import { listDir } from '../load/snapshotFiles.js';
import { isAccountId, isRegionName } from '../model/arn.js';
import { jsonPipelineBody } from '../report/json.js';
import type { ReportOptions } from '../report/options.js';
import { textPipelinePiece } from '../report/text.js';
import type { LinkCounts } from '../report/summarize.js';
import type { ReportPipeline } from '../report/types.js';
import type { InputCliOptions } from './inputOptions.js';

/** A pipeline's part of the report, as a thread writes it. */
export interface Piece {
  /** its text in the report (JSON or text) */
  readonly text: string;
  /** text only: the verdict its tag shows and its links counted, for the summary */
  readonly verdict?: ReportPipeline['verdict'];
  readonly counts?: LinkCounts;
  /** its required links that are not allowed, if any: all the gate reads */
  readonly finding?: ReportPipeline;
}

export type PieceFormat = 'json' | 'text';
/** What a piece of the text report needs of the report options (a worker gets a copy). */
export type PieceOptions = Pick<ReportOptions, 'color' | 'failOn'>;

export function makePiece(
  pipeline: ReportPipeline,
  format: PieceFormat,
  options: PieceOptions,
): Piece {
  const kept = pipeline.links.filter((l) => l.level === 'required' && l.decision !== 'Allowed');
  const finding = kept.length > 0 ? { finding: { ...pipeline, links: kept } } : {};
  if (format === 'json') return { text: jsonPipelineBody(pipeline), ...finding };
  return { ...textPipelinePiece(pipeline, options), ...finding };
}

/** What a worker is given: it loads the input as the main thread did, and writes pieces. */
export interface WorkerJob {
  readonly cwd: string;
  readonly input: string | undefined;
  readonly opts: Partial<InputCliOptions> & { readonly pipeline: readonly string[] };
  readonly format: PieceFormat;
  readonly options: PieceOptions;
  /** Int32Array over it: NEXT, PROGRESS, STOP, WRITTEN */
  readonly shared: SharedArrayBuffer;
  readonly port: MessagePort;
}

export type WorkerMessage =
  | { readonly kind: 'ready'; readonly key: string }
  | { readonly kind: 'piece'; readonly index: number; readonly piece: Piece }
  | { readonly kind: 'failed'; readonly message: string };

/** Slots of the shared Int32Array. */
export const NEXT = 0; // the next pipeline index to take
export const PROGRESS = 1; // bumped after each message a worker posts
export const STOP = 2; // set by the main thread: take no more
export const WRITTEN = 3; // how many pieces the main thread has written, in order
/**
 * A worker takes no pipeline more than this many past the last one written: the pieces waiting
 * to be written stay a few megabytes however slowly the report is read (a slow pipe), as the
 * one-thread run holds one pipeline.
 */
export const WINDOW = 64;

/**
 * Below this many pipelines the default is one thread. On the 2-core benchmark machine a second
 * thread made 1,000 and 2,000 pipelines slower (1,000: 3.2-3.5 s against 2.6-2.9 s: V8's own
 * collector and compiler threads already use the second core, and the worker loads the input and
 * warms up again), was even at 5,000 (0.99 and 1.14 times as fast) and faster at 10,000 (1.13
 * and 1.44 times; BENCHMARKS.md, session 29).
 */
export const PARALLEL_MIN = 5000;
/**
 * The most threads the default uses. Each one holds a copy of the model: 10,000 pipelines took
 * 1.14 GB on one thread and 1.63 GB on two (BENCHMARKS.md, session 29), and 2.48 GB on three
 * (peak RSS, `/usr/bin/time -v`, session 30): past the 2 GB the issue allows for them. More
 * threads are `--jobs N`'s choice.
 */
export const DEFAULT_MAX_THREADS = 2;
/** How many pipelines the main thread analyzes ahead of the one it must write next. */
const AHEAD = 32;
const WAIT_SLICE_MS = 200;
/** A worker silent this long while the main thread waits on it is analyzed for. */
const STALL_MS = 30_000;

/**
 * The threads to analyze `count` pipelines with: `jobs` when given (--jobs), else
 * defaultThreads of the CPUs the process may run on and its container's quota.
 */
export function threadCount(count: number, jobs: number | undefined): number {
  const wanted =
    jobs ?? (count < PARALLEL_MIN ? 1 : defaultThreads(availableParallelism(), cpuQuota()));
  return Math.max(1, Math.min(wanted, count));
}

/**
 * The default threads from PARALLEL_MIN pipelines on: the CPUs the process may run on, fewer when
 * a cgroup quota allows fewer (cpuQuota), at most DEFAULT_MAX_THREADS.
 */
export function defaultThreads(cores: number, quota: number | undefined): number {
  return Math.max(1, Math.min(cores, quota ?? cores, DEFAULT_MAX_THREADS));
}

/**
 * How many pipeline files a snapshot folder holds (`<account>/<region>/codepipeline/*.json`,
 * ../shared/snapshot-format.md), counted without reading them: whether to start workers before
 * loading it. 0 for anything else (a template, a CDK assembly, a folder that cannot be read).
 */
export function snapshotPipelineCount(cwd: string, input: string | undefined): number {
  if (input === undefined || input.trim() === '') return 0;
  const root = resolve(cwd, input);
  let count = 0;
  // the account and region folders as the loader finds them (src/load/snapshot.ts), links
  // followed; the pipeline files by name alone
  for (const account of listDir(root)) {
    if (!account.isDir || !isAccountId(account.name)) continue;
    for (const region of listDir(join(root, account.name))) {
      if (!region.isDir || !isRegionName(region.name)) continue;
      count += fileNames(join(root, account.name, region.name, 'codepipeline')).filter((f) =>
        f.endsWith('.json'),
      ).length;
    }
  }
  return count;
}

function fileNames(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/**
 * The identity of what a thread loaded: the digest of the files its load read (readsDigested:
 * a file changed between the main thread's read and a worker's is told, a policy file as well as
 * a pipeline's), and the pipelines it selected, in order, with where each was read.
 */
export function selectionKey(selection: PipelineSelection, digest: string): string {
  const parts = [digest, String(selection.pipelines.length), String(selection.problems.length)];
  for (const p of selection.pipelines) parts.push(p.arn, p.location.file ?? '', p.location.pointer);
  return createHash('sha256').update(parts.join('\u0000')).digest('hex');
}

const WORKER_URL = new URL('./analyzeWorker.js', import.meta.url);

/** Whether worker threads can be started: the compiled worker is there (not when run from src). */
export function canRunWorkers(): boolean {
  return WORKER_URL.protocol === 'file:' && existsSync(fileURLToPath(WORKER_URL));
}

/** Who analyzed how many pipelines: the main thread first, then each worker. */
export interface ThreadTally {
  readonly analyzed: number[];
  /** called once every piece is given */
  readonly done?: () => void;
}

/** For tests: how the main thread shares the work. */
export interface ParallelTuning {
  /** false: the main thread analyzes only what the workers do not give (default true) */
  readonly mainAnalyzes?: boolean;
  /** how long a silent worker is waited for (default STALL_MS) */
  readonly stallMs?: number;
}

/** Worker threads started for a run, perhaps before the main thread has loaded the input. */
export interface WorkerPool {
  readonly job: Omit<WorkerJob, 'shared' | 'port'>;
  readonly state: Int32Array;
  readonly workers: readonly { readonly worker: Worker; readonly port: MessagePort }[];
  /** tell the workers to stop and let them go (safe to call more than once) */
  close(): void;
}

/**
 * `count` worker threads that load the input of `job`, then take pipelines from the shared
 * counter at once and post their pieces, which parallelPieces reads (a worker whose load differs
 * from the main thread's has its pieces dropped there). Started before the main thread loads the
 * input, a worker loads it at the same time.
 */
export function startWorkers(job: Omit<WorkerJob, 'shared' | 'port'>, count: number): WorkerPool {
  const shared = new SharedArrayBuffer(4 * Int32Array.BYTES_PER_ELEMENT);
  const state = new Int32Array(shared);
  const workers: { worker: Worker; port: MessagePort }[] = [];
  for (let w = 0; w < count; w++) {
    const { port1, port2 } = new MessageChannel();
    const data: WorkerJob = { ...job, shared, port: port2 };
    const worker = new Worker(WORKER_URL, {
      workerData: data,
      transferList: [port2],
      // a worker writes nothing of its own: what it might say is not the report's
      stdout: true,
      stderr: true,
    });
    // the report is done when every piece is written, whatever the workers still do
    worker.unref();
    worker.on('error', () => {
      // a worker that failed (out of memory) posts nothing more: the stall check takes over its
      // pipelines. Without a listener the error, emitted once the main thread returns to the
      // event loop, would end the process with a stack trace after the report is written
    });
    workers.push({ worker, port: port1 });
  }
  let closed = false;
  return {
    job,
    state,
    workers,
    close: () => {
      if (closed) return;
      closed = true;
      Atomics.store(state, STOP, 1);
      // a worker held back by WINDOW wakes up to stop
      Atomics.notify(state, WRITTEN);
      for (const w of workers) {
        void w.worker.terminate();
        w.port.close();
      }
    },
  };
}

/**
 * The pieces of every selected pipeline, in report order, analyzed by this thread and the
 * workers of `pool`; `digest` is readsDigested's of the load `selection` comes from (a worker
 * whose load differs is not used). Iterate once, to the end (or stop early: the workers are then
 * told to stop). The pool is closed when the iteration ends.
 */
export function* parallelPieces(
  selection: PipelineSelection,
  digest: string,
  pool: WorkerPool,
  tally: ThreadTally = { analyzed: [] },
  tuning: ParallelTuning = {},
): Generator<Piece> {
  const mainAnalyzes = tuning.mainAnalyzes ?? true;
  const stallMs = tuning.stallMs ?? STALL_MS;
  const { job, state } = pool;
  const n = selection.pipelines.length;
  const make = (i: number): Piece => makePiece(selection.analyzeAt(i), job.format, job.options);
  const key = selectionKey(selection, digest);
  tally.analyzed.length = 0;
  tally.analyzed.push(0, ...pool.workers.map(() => 0));
  const workers = pool.workers.map((w) => ({ ...w, ready: false }));
  const own = new Map<number, Piece>();
  const received = new Map<number, Piece>();
  // the workers are left out: their pipelines are analyzed here
  let alone = workers.length === 0;
  const drain = (): void => {
    for (let w = 0; w < workers.length && !alone; w++) {
      const entry = workers[w]!;
      for (;;) {
        const m = receiveMessageOnPort(entry.port) as { message: WorkerMessage } | undefined;
        if (m === undefined) break;
        const msg = m.message;
        if (msg.kind === 'ready') {
          entry.ready = msg.key === key;
          if (!entry.ready) alone = true;
        } else if (msg.kind === 'piece' && entry.ready) {
          received.set(msg.index, msg.piece);
          tally.analyzed[w + 1]!++;
        } else {
          alone = true;
        }
      }
    }
    if (alone) pool.close();
  };
  try {
    for (let next = 0; next < n; next++) {
      let waited = 0;
      let seen = Atomics.load(state, PROGRESS);
      for (;;) {
        const piece = own.get(next) ?? received.get(next);
        if (piece !== undefined) {
          own.delete(next);
          received.delete(next);
          yield piece;
          Atomics.store(state, WRITTEN, next + 1);
          Atomics.notify(state, WRITTEN);
          break;
        }
        if (alone) {
          // a piece a worker took and never gave (or gave from another input)
          tally.analyzed[0]!++;
          yield make(next);
          break;
        }
        drain();
        if (alone || received.has(next)) continue;
        if (mainAnalyzes && own.size < AHEAD) {
          const k = Atomics.add(state, NEXT, 1);
          if (k < n) {
            tally.analyzed[0]!++;
            own.set(k, make(k));
            continue;
          }
        }
        // every pipeline is taken: wait for the worker that took this one
        if (Atomics.wait(state, PROGRESS, seen, WAIT_SLICE_MS) === 'timed-out') {
          waited += WAIT_SLICE_MS;
          if (waited >= stallMs) alone = true;
        } else {
          waited = 0;
        }
        seen = Atomics.load(state, PROGRESS);
      }
    }
    tally.done?.();
  } finally {
    pool.close();
  }
}
