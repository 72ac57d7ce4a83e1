import type { ReportOptions } from './options.js';
import { sortKeys, stableJson } from './stableJson.js';
import type { Report } from './types.js';

/** The Report itself, keys sorted, so two runs on the same input diff cleanly. */
export function renderJson(report: Report, options: ReportOptions = {}): string {
  return [...renderJsonChunks(report, options)].join('');
}

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
    const body = JSON.stringify(sortKeys(report.pipelines[i]), null, 2).replace(/\n/g, '\n    ');
    yield `    ${body}${i < last ? ',' : ''}\n`;
  }
  const problems = JSON.stringify(sortKeys(report.problems), null, 2).replace(/\n/g, '\n  ');
  yield `  ],\n  "problems": ${problems}\n}\n`;
}
