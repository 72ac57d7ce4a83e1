/** Options shared by every reporter; each reporter reads only the ones it needs. */
import type { Location } from './types.js';

/** What fails the CI run: denied links (default), also unknown links, or nothing. */
export const FAIL_ON = ['denied', 'unknown', 'never'] as const;
export type FailOn = (typeof FAIL_ON)[number];

export interface ReportOptions {
  /** ANSI colour in the text reporter; the CLI sets it from the TTY and NO_COLOR */
  readonly color?: boolean;
  /** default 'denied'; junit turns Unknown links into failures only under 'unknown' */
  readonly failOn?: FailOn;
  /** permchain's version for SARIF `tool.driver.version` (the CLI passes package.json's) */
  readonly toolVersion?: string;
  /** SARIF `tool.driver.informationUri` */
  readonly informationUri?: string;
  /**
   * The repository root. Location files are written relative to it (SARIF, github): a file
   * under it loses the prefix; relative files are kept as they are.
   */
  readonly root?: string;
  /**
   * The snapshot folder, when the input is one: its files (`<account>/...`, `organization/...`,
   * as the loader names them) are located under it, then made relative to `root` (SARIF, github)
   */
  readonly snapshotRoot?: string;
  /**
   * SARIF, github: the line where the value at `pointer` starts in `file` (a location's file as
   * the report names it), for a location with a pointer and no line (a snapshot file's);
   * undefined when it cannot be told, and the location is then at line 1 (SARIF) or has no line
   * (github). The CLI reads the file again (src/cli/pointerLines.ts); without it no such location
   * has a line of its own
   */
  readonly pointerLine?: (file: string, pointer: string) => number | undefined;
  /** markdown: the size budget in characters (default and maximum: under GitHub's 65,536) */
  readonly maxChars?: number;
}

/**
 * The line of a location: its own (a template's), else where its pointer's value starts as
 * options.pointerLine tells (a snapshot file's), else undefined.
 */
export function locationLine(loc: Location, options: ReportOptions): number | undefined {
  if (loc.line !== undefined && loc.line >= 1) return loc.line;
  if (loc.pointer === undefined || loc.pointer === '') return undefined;
  const found = options.pointerLine?.(loc.file, loc.pointer);
  return found !== undefined && Number.isSafeInteger(found) && found >= 1 ? found : undefined;
}

export const DEFAULT_TOOL_VERSION = '0.0.0';
export const DEFAULT_INFORMATION_URI = 'https://www.npmjs.com/package/permchain';
