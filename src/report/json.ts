import { mapIterable } from './mapIterable.js';
import type { ReportOptions } from './options.js';
import { breakWorkflowCommandsInJson } from './sanitize.js';
import { sortKeys, stableJson } from './stableJson.js';
import type { Problem } from '../problems.js';
import type { Report, ReportPipeline } from './types.js';

/** The Report itself, keys sorted, so two runs on the same input diff cleanly. */
export function renderJson(report: Report, options: ReportOptions = {}): string {
  return [...renderJsonChunks(report, options)].join('');
}

const WRAP_START = '{\n  "pipelines": [\n';
const WRAP_END = '\n  ]\n}';

/**
 * The same text as renderJson, one pipeline at a time, so a report of ten thousand pipelines
 * (close to a gigabyte of JSON) is written without building one string larger than V8 allows.
 */
export function* renderJsonChunks(report: Report, _options: ReportOptions = {}): Generator<string> {
  const keys = Object.keys(report).filter(
    (k) => (report as unknown as Record<string, unknown>)[k] !== undefined,
  );
  if (keys.join() !== 'pipelines,problems') {
    yield stableJson(report);
    return;
  }
  yield* renderJsonStream(report.pipelines, report.problems);
}

/**
 * The JSON report of pipelines that come one at a time (analyzeModelLazily): each is written
 * and let go before the next is analyzed. The text is the same as renderJson's.
 */
export function renderJsonStream(
  pipelines: Iterable<ReportPipeline>,
  problems: readonly Problem[],
): Generator<string> {
  return renderJsonBodies(mapIterable(pipelines, jsonPipelineBody), problems);
}

/**
 * A pipeline's text in the JSON report, as renderJsonBodies places it (indented, no separator):
 * made apart so a worker thread can write it (src/cli/parallelAnalyze.ts).
 */
export function jsonPipelineBody(pipeline: ReportPipeline): string {
  // stringify the pipeline where it sits, so the native serializer does the indentation
  const wrapped = JSON.stringify({ pipelines: [sortKeys(pipeline)] }, null, 2);
  return breakWorkflowCommandsInJson(
    wrapped.slice(WRAP_START.length, wrapped.length - WRAP_END.length),
  );
}

/** The JSON report of pipelines already written by jsonPipelineBody, in report order. */
export function* renderJsonBodies(
  bodies: Iterable<string>,
  problems: readonly Problem[],
): Generator<string> {
  const it = bodies[Symbol.iterator]();
  let next = it.next();
  if (next.done) {
    yield stableJson({ pipelines: [], problems });
    return;
  }
  try {
    yield WRAP_START;
    while (!next.done) {
      const body = next.value;
      next = it.next();
      // the text as it is (a slice of the stringified one) and its separator apart: joined, they
      // would be copied into one more string of the pipeline's size before being written
      yield body;
      yield next.done ? '\n' : ',\n';
    }
  } finally {
    // a reader that stops early (a write error) closes the bodies too, as a for-of would: the
    // worker threads of `analyze --jobs` are told to stop (parallelPieces)
    if (!next.done) it.return?.();
  }
  const text = JSON.stringify(sortKeys(problems), null, 2).replace(/\n/g, '\n  ');
  yield breakWorkflowCommandsInJson(`  ],\n  "problems": ${text}\n}\n`);
}
