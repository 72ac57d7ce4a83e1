import type { ReportOptions } from './options.js';
import { sortKeys, stableJson } from './stableJson.js';
import type { Report } from './types.js';

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
  if (report.pipelines.length === 0 || keys.join() !== 'pipelines,problems') {
    yield stableJson(report);
    return;
  }
  yield '{\n  "pipelines": [\n';
  const last = report.pipelines.length - 1;
  for (let i = 0; i <= last; i++) {
    // stringify the pipeline where it sits, so the native serializer does the indentation
    const wrapped = JSON.stringify({ pipelines: [sortKeys(report.pipelines[i])] }, null, 2);
    const body = wrapped.slice(WRAP_START.length, wrapped.length - WRAP_END.length);
    yield `${body}${i < last ? ',' : ''}\n`;
  }
  const problems = JSON.stringify(sortKeys(report.problems), null, 2).replace(/\n/g, '\n  ');
  yield `  ],\n  "problems": ${problems}\n}\n`;
}
