/** Options shared by every reporter; each reporter reads only the ones it needs. */

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
   * SARIF: the line where the value at `pointer` starts in `file` (a location's file as the
   * report names it), for a location with a pointer and no line (a snapshot file's); undefined
   * when it cannot be told, and the location is then at line 1. The CLI reads the file again
   * (src/cli/pointerLines.ts); without it every such location is at line 1
   */
  readonly pointerLine?: (file: string, pointer: string) => number | undefined;
  /** markdown: the size budget in characters (default and maximum: under GitHub's 65,536) */
  readonly maxChars?: number;
}

export const DEFAULT_TOOL_VERSION = '0.0.0';
export const DEFAULT_INFORMATION_URI = 'https://www.npmjs.com/package/permchain';
