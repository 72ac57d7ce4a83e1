import type { ReportOptions } from './options.js';
import { stableJson } from './stableJson.js';
import type { Report } from './types.js';

/** The Report itself, keys sorted, so two runs on the same input diff cleanly. */
export function renderJson(report: Report, _options: ReportOptions = {}): string {
  return stableJson(report);
}
