/**
 * `permchain crawl --out DIR`: read a snapshot of real AWS accounts with the AWS SDK (loaded only
 * by this command) and write it in the snapshot format. Exit 0 when the snapshot was written
 * (what could not be read is listed and stays unknown), 2 on usage errors or unusable credentials.
 */
import { Option, type Command } from 'commander';
import { readdirSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { crawl, CrawlError, type CrawlResult } from '../crawl/crawl.js';
import type { ClientSettings, CrawlFailure, CrawlProgress } from '../crawl/crawlContext.js';
import { writeSnapshotFiles } from '../crawl/writeSnapshotFiles.js';
import { sanitizeForTerminal } from '../report/sanitize.js';
import { fileSystemError } from './fsErrors.js';
import type { CliIo } from './io.js';
import { outputFolderProblem } from './outputPath.js';
import { refuseRepeatedOptions } from './onceOnly.js';

export interface CrawlCommandDeps {
  /** draw a progress line on stderr; default: stderr is a TTY */
  readonly stderrIsTTY?: boolean;
  /** SDK client settings (tests point them at a local endpoint with static credentials) */
  readonly clientSettings?: ClientSettings;
}

interface CrawlCliOptions {
  out: string;
  profile?: string;
  region?: string[];
  pipeline?: string[];
  assumeRole?: string;
  externalId?: string;
  accounts?: string[];
  organization?: boolean;
  merge?: boolean;
}

export function registerCrawl(
  program: Command,
  io: CliIo,
  setExit: (code: number) => void,
  deps: CrawlCommandDeps = {},
): void {
  const command = program
    .command('crawl')
    .description('read a snapshot of real AWS accounts (read-only API calls) into a folder')
    .requiredOption('--out <dir>', 'snapshot folder to write (created if missing; must be empty)')
    .option(
      '--merge',
      'write into a --out that is not empty: files this crawl does not write are kept (they may be stale), but for those it withholds as conflicting or incomplete, which are removed',
    )
    .option(
      '--profile <name>',
      'AWS shared-config profile (default: the SDK default credential chain)',
    )
    .option(
      '--region <region...>',
      'regions to look for pipelines in (repeatable; default: the profile or AWS_REGION region, else us-east-1)',
    )
    .option('--pipeline <name...>', 'only these pipelines (repeatable; default: every pipeline)')
    .option(
      '--assume-role <arn-template>',
      "role to assume in every other account, e.g. 'arn:aws:iam::{account}:role/Audit'",
    )
    .option(
      '--external-id <id>',
      'ExternalId sent with every --assume-role, for roles whose trust policy requires sts:ExternalId (never written out)',
    )
    .addOption(
      new Option(
        '--accounts <ids>',
        "comma-separated account ids to look for pipelines in (default: the caller's)",
      )
        .argParser((v: string) =>
          v
            .split(',')
            .map((s) => s.trim())
            .filter((s) => s !== ''),
        )
        .conflicts('organization'),
    )
    .option(
      '--organization',
      'look for pipelines in every active account of the organization (organizations:ListAccounts)',
    )
    .addHelpText(
      'after',
      '\nCredentials come from the AWS SDK default chain (environment, shared config and profiles,\n' +
        'SSO, container and instance roles). The crawler starts from the pipelines and follows every\n' +
        'account, role, bucket, KMS key, CodeBuild project, Lambda function, SNS topic, CodeDeploy\n' +
        'deployment group, ECR repository and EventBridge rule they reference, plus\n' +
        'get-account-authorization-details for each account and, when the caller may, the\n' +
        "organization's accounts, tree, SCPs and RCPs. It only makes read calls: the exact policy it\n" +
        'needs in every account is policies/crawler-read-only.json (and, with --assume-role, the\n' +
        'caller needs sts:AssumeRole on the roles). STS, IAM, Organizations and the S3 bucket list\n' +
        "are asked in the profile's or AWS_REGION's region, else the first region of the --region\n" +
        'partition (us-east-1, cn-north-1, us-gov-west-1); for the other accounts, in that first region.\n' +
        'A call that fails is listed with the permission\n' +
        'that would allow it, and what it would have read stays unknown. Secret values (CodeBuild\n' +
        'PLAINTEXT and Lambda environment variables) are never written. Each file is written\n' +
        'atomically. --out must be empty or new: a file this crawl cannot read is not written, so\n' +
        "an earlier crawl's copy of it would stay and be read as current. With --merge, files\n" +
        'already in --out that this crawl does not produce are left alone, but for those it\n' +
        'withholds (conflicting or incomplete data, each listed as a failure): their earlier copies\n' +
        'are removed, so that they are unknown, and the summary lists them.\n' +
        '\nExit codes: 0 snapshot written, 2 usage error, unusable credentials or unwritable --out.',
    )
    .action(async (opts: CrawlCliOptions) => {
      // checked before any AWS call: a crawl can take minutes, and its result was lost when the
      // folder could not be made; an empty name is a mistake (an unset variable), not `.`
      const outProblem = outFolderProblem(io.cwd, opts.out);
      if (outProblem !== undefined) {
        io.stderr(sanitizeForTerminal(`error: ${outProblem}`) + '\n');
        setExit(2);
        return;
      }
      const notEmpty = opts.merge ? undefined : nonEmptyFolder(resolve(io.cwd, opts.out));
      if (notEmpty !== undefined) {
        // checked before any AWS call: a crawl can take minutes
        io.stderr(
          sanitizeForTerminal(
            `error: \`${opts.out}\` is not empty (${notEmpty}): crawl into a new or empty folder, ` +
              "since a file this crawl cannot read is not written and an earlier crawl's copy would " +
              'be read as current; or pass --merge to write over it and keep the files it does not write',
          ) + '\n',
        );
        setExit(2);
        return;
      }
      const showProgress = deps.stderrIsTTY ?? process.stderr.isTTY === true;
      let lastDraw = 0;
      const onProgress = showProgress
        ? (p: CrawlProgress): void => {
            const now = Date.now();
            if (now - lastDraw < 100 && p.callsInFlight > 0) return;
            lastDraw = now;
            io.stderr(
              `\r\x1b[Kcrawl: ${p.callsDone} calls done, ${p.callsInFlight} in flight, ` +
                `${p.failures} could not be read`,
            );
          }
        : undefined;
      let result: CrawlResult;
      try {
        result = await crawl({
          ...deps.clientSettings,
          ...(opts.profile !== undefined ? { profile: opts.profile } : {}),
          ...(opts.region ? { regions: opts.region } : {}),
          ...(opts.pipeline ? { pipelines: opts.pipeline } : {}),
          ...(opts.assumeRole !== undefined ? { assumeRoleTemplate: opts.assumeRole } : {}),
          ...(opts.externalId !== undefined ? { externalId: opts.externalId } : {}),
          ...(opts.accounts ? { accounts: opts.accounts } : {}),
          ...(opts.organization ? { organization: true } : {}),
          ...(onProgress ? { onProgress } : {}),
        });
      } catch (err) {
        if (showProgress) io.stderr('\r\x1b[K');
        if (err instanceof CrawlError) {
          io.stderr(sanitizeForTerminal(`error: ${err.message}`) + '\n');
          setExit(2);
          return;
        }
        throw err;
      }
      if (showProgress) io.stderr('\r\x1b[K');
      let skipped: readonly string[];
      let removed: readonly string[];
      try {
        ({ skipped, removed } = await writeSnapshotFiles(resolve(io.cwd, opts.out), result));
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        io.stderr(
          sanitizeForTerminal(`error: could not write the snapshot to \`${opts.out}\`: ${reason}`) +
            '\n',
        );
        setExit(2);
        return;
      }
      // a name the file system refused as too long: left out (unknown), the rest written
      const written: CrawlResult = {
        ...(skipped.length === 0
          ? result
          : {
              ...result,
              files: result.files.filter(
                (f) => !skipped.some((p) => f.path === p || f.path.startsWith(`${p}/`)),
              ),
              skippedFiles: skipped,
            }),
        // an earlier crawl's copy of what this one withholds: removed (--merge)
        ...(removed.length > 0 ? { removedFiles: removed } : {}),
      };
      // names and messages come from AWS: shown with control characters escaped
      for (const line of renderWarnings(written)) io.stderr(sanitizeForTerminal(line) + '\n');
      io.stdout(
        renderCrawlSummary(written, opts.out).split('\n').map(sanitizeForTerminal).join('\n'),
      );
      setExit(0);
    });
  refuseRepeatedOptions(command);
}

function where(f: CrawlFailure): string {
  return `account \`${f.account}\`${f.region ? ` (${f.region})` : ''}`;
}

/** One warning per failed call, naming the call; deterministic order. */
export function renderWarnings(result: CrawlResult): string[] {
  const lines = result.failures.map(
    (f) =>
      `warning: ${f.operation} failed for ${f.subject} in ${where(f)}: ${f.errorCode}: ${f.message} ` +
      `[crawl.${f.reason}]`,
  );
  for (const name of result.missingPipelines) {
    lines.push(
      `warning: pipeline \`${name}\` was not found in any crawled account and region [crawl.pipeline-not-found]`,
    );
  }
  for (const path of result.skippedFiles ?? []) {
    lines.push(
      `warning: \`${path}\` was not written: the file system refused its name as too long; it stays unknown [crawl.name-too-long]`,
    );
  }
  return lines;
}

const REASON_TEXT: Record<CrawlFailure['reason'], string> = {
  'access-denied': 'access denied',
  'not-found': 'not found',
  throttled: 'still throttled after retries',
  'account-unreachable': 'account not reachable',
  'region-unreachable':
    'not reachable: the region is not enabled in the account, or the credentials are not valid there',
  'organization-not-readable':
    "not readable from the caller's account: run the crawl from the management account or a delegated administrator",
  error: 'failed',
};

/** The summary on stdout: what was written, then what could not be read and what would allow it. */
export function renderCrawlSummary(result: CrawlResult, out: string): string {
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  let text =
    `wrote ${plural(result.files.length, 'file')} to ${out}\n` +
    `  caller: ${result.callerArn}\n` +
    `  accounts: ${result.accounts.join(', ') || '(none)'}\n` +
    `  regions: ${result.regions.join(', ')}\n` +
    `  pipelines: ${result.pipelines.join(', ') || '(none)'}\n`;
  const skipped = result.skippedFiles ?? [];
  const removed = result.removedFiles ?? [];
  if (
    result.failures.length === 0 &&
    result.missingPipelines.length === 0 &&
    skipped.length === 0 &&
    removed.length === 0
  ) {
    return text + 'everything referenced was read\n';
  }
  if (result.failures.length > 0) {
    text += `could not read ${plural(result.failures.length, 'item')} (unknown in the snapshot):\n`;
    text += renderFailures(result.failures);
  }
  if (result.missingPipelines.length > 0) {
    text += `pipelines not found: ${result.missingPipelines.map((n) => `\`${n}\``).join(', ')}\n`;
  }
  if (skipped.length > 0) {
    text += `not written, as the file system refused the name as too long (unknown in the snapshot): ${skipped.map((p) => `\`${p}\``).join(', ')}\n`;
  }
  if (removed.length > 0) {
    text += `removed ${plural(removed.length, 'file')} an earlier crawl left, which this crawl withholds (unknown in the snapshot): ${removed.map((p) => `\`${p}\``).join(', ')}\n`;
  }
  return text;
}

/**
 * The failures, an account that could not be reached first: said once, with what decides it (the
 * caller's `sts:AssumeRole` on the role and the role's trust policy, not the permission of each
 * call then not made), the calls not made in it listed under it without a fix of their own.
 */
function renderFailures(failures: readonly CrawlFailure[]): string {
  const roots = failures
    .filter((f) => f.reaches !== undefined)
    .sort((a, b) => compare(a.reaches!.account, b.reaches!.account));
  const reached = new Set(roots.map((f) => f.reaches!.account));
  const skipped = (f: CrawlFailure): boolean =>
    f.reason === 'account-unreachable' && f.reaches === undefined && reached.has(f.account);
  let text = '';
  for (const root of roots) {
    const { account, roleArn } = root.reaches!;
    let why: string;
    if (root.errorCode === 'NoAssumeRoleTemplate') {
      why =
        'no --assume-role template was given (NoAssumeRoleTemplate); pass `--assume-role` naming a role in it the caller may assume';
    } else {
      why = `${root.operation} of \`${roleArn ?? ''}\` by the caller: ${REASON_TEXT[root.reason]} (${root.errorCode})`;
      if (root.reason === 'access-denied') {
        why +=
          "; it is decided by `sts:AssumeRole` allowed to the caller on that role and by the role's trust policy " +
          '(and `--external-id`, if the trust policy requires an external id)';
      }
    }
    const notRead = failures.filter((f) => skipped(f) && f.account === account);
    text += `  - account \`${account}\` could not be reached: ${why}${notRead.length > 0 ? '; so these were not read:' : ''}\n`;
    for (const f of notRead)
      text += `      - ${f.subject}${f.region ? ` (${f.region})` : ''}: ${f.operation}\n`;
  }
  for (const f of failures) {
    if (f.reaches !== undefined || skipped(f)) continue;
    const fix = f.reason === 'access-denied' ? `; allowed by \`${f.permission}\`` : '';
    text += `  - ${f.subject} in ${where(f)}: ${f.operation}: ${REASON_TEXT[f.reason]} (${f.errorCode})${fix}\n`;
  }
  return text;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Why --out cannot be the snapshot folder, in one line, or undefined. */
function outFolderProblem(cwd: string, out: string): string | undefined {
  if (out === '') return '--out needs a folder name, not an empty value';
  try {
    return outputFolderProblem('--out', out, resolve(cwd, out));
  } catch (err) {
    // a part of the path that is not a folder, a loop of symbolic links
    const fsError = fileSystemError(err);
    if (fsError !== undefined) return fsError;
    throw err;
  }
}

/**
 * The first entries of `dir` when it is a folder that holds anything, else undefined (a folder
 * that does not exist, or a path that is not a folder: writing reports that one).
 */
function nonEmptyFolder(dir: string): string | undefined {
  try {
    if (!statSync(dir).isDirectory()) return undefined;
    const names = readdirSync(dir).sort();
    if (names.length === 0) return undefined;
    const shown = names.slice(0, 3).map((n) => `\`${n}\``);
    return `it holds ${shown.join(', ')}${names.length > 3 ? `, and ${names.length - 3} more` : ''}`;
  } catch {
    return undefined;
  }
}
