/**
 * A worker thread of `analyze` (src/cli/parallelAnalyze.ts): it loads the input as the main
 * thread did, says what it loaded, then takes pipelines from the shared counter and posts each
 * one's piece of the report until none is left or it is told to stop.
 */
import { workerData } from 'node:worker_threads';
import { selectPipelines } from '../chain/analyze.js';
import { readsDigested } from '../load/jsonFile.js';
import { loadAnalysisInput } from './inputOptions.js';
import {
  NEXT,
  PROGRESS,
  STOP,
  WINDOW,
  WRITTEN,
  makePiece,
  selectionKey,
  type WorkerJob,
  type WorkerMessage,
} from './parallelAnalyze.js';

const job = workerData as WorkerJob;
const state = new Int32Array(job.shared);

function post(message: WorkerMessage): void {
  job.port.postMessage(message);
  Atomics.add(state, PROGRESS, 1);
  Atomics.notify(state, PROGRESS);
}

try {
  // the digest of the files read: the main thread's load must have read the same bytes
  const { value: loaded, digest } = readsDigested(() =>
    loadAnalysisInput(job.cwd, job.input, job.opts, job.opts.pipeline),
  );
  if ('usage' in loaded) throw new Error(loaded.usage);
  const selection = selectPipelines(loaded.model, {
    pipelines: job.opts.pipeline,
    artifacts: loaded.artifacts,
  });
  post({ kind: 'ready', key: selectionKey(selection, digest) });
  const n = selection.pipelines.length;
  while (Atomics.load(state, STOP) === 0) {
    // no further than WINDOW past what the main thread has written: it needs the pieces in
    // order, and one it must write next was taken already (NEXT is past it), so it is not held up
    const written = Atomics.load(state, WRITTEN);
    if (Atomics.load(state, NEXT) - written >= WINDOW) {
      Atomics.wait(state, WRITTEN, written, 1000);
      continue;
    }
    const i = Atomics.add(state, NEXT, 1);
    if (i >= n) break;
    post({
      kind: 'piece',
      index: i,
      piece: makePiece(selection.analyzeAt(i), job.format, job.options),
    });
  }
} catch (err) {
  post({ kind: 'failed', message: err instanceof Error ? err.message : String(err) });
} finally {
  job.port.close();
}
