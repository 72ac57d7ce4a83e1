/**
 * The crawler's runtime: SDK clients per account, region and service (adaptive retries, custom
 * endpoint), credentials per account (the default chain for the caller, AssumeRole for the
 * others), one concurrency limiter per account and service, and the record of every call that
 * failed. Readers go through `call`/`paginate`, which never throw for an AWS error: a failure is
 * recorded (with the permission that would have allowed the call) and the crawl goes on.
 */
import { CRAWL_CALLS, findCall, type CallSpec, type CrawlService } from './calls.js';
import { createLimiter, type Limiter } from './limiter.js';
import { partitionHomeRegion, type Place } from './references.js';
import { createClient, loadSdk, type SendableClient } from './sdk.js';
import type { CrawlRecord } from './snapshotWriter.js';

export interface StaticCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface ClientSettings {
  /** a custom endpoint for every service (tests, VPC endpoints, LocalStack); S3 goes path-style */
  readonly endpoint?: string;
  /** static credentials for the caller instead of the SDK's default chain */
  readonly credentials?: StaticCredentials;
  /** a shared-config profile for the caller (the default chain otherwise) */
  readonly profile?: string;
  /** attempts per call, retries included (SDK `maxAttempts`); default 10 */
  readonly maxAttempts?: number;
  /** milliseconds to open a connection before the attempt fails; default 10 000 */
  readonly connectionTimeoutMs?: number;
  /** milliseconds to wait for an answer, and between bytes of it; default 30 000 */
  readonly requestTimeoutMs?: number;
}

const CONNECTION_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 30_000;

export type FailureReason =
  | 'access-denied'
  | 'not-found'
  | 'throttled'
  | 'account-unreachable'
  /** the region is not enabled in the account, or the credentials are not valid there */
  | 'region-unreachable'
  /** the organization's SCPs and RCPs can only be read from its management account (or delegate) */
  | 'organization-not-readable'
  | 'error';

/** Something that could not be read: it stays unknown in the snapshot. */
export interface CrawlFailure {
  /** the API operation, e.g. `GetBucketPolicy` */
  readonly operation: string;
  /** the IAM action that would have allowed it, e.g. `s3:GetBucketPolicy` */
  readonly permission: string;
  readonly account: string;
  readonly region?: string;
  /** what was being read, e.g. ``bucket `my-bucket` `` */
  readonly subject: string;
  readonly reason: FailureReason;
  readonly errorCode: string;
  readonly message: string;
  /**
   * set on the failure that left an account without credentials, so nothing in it could be
   * read: the failed AssumeRole (made by the caller, in its account) naming the role tried, or
   * the missing --assume-role template. Each call then not made in that account is a failure
   * of reason `account-unreachable` without `reaches`: a consequence of this one, which its own
   * permission would not fix.
   */
  readonly reaches?: { readonly account: string; readonly roleArn?: string };
}

export interface CrawlProgress {
  readonly callsDone: number;
  readonly callsInFlight: number;
  readonly failures: number;
}

export type CallOutcome<O> =
  | { readonly status: 'ok'; readonly output: O }
  /** the registered "there is none" error: known absence */
  | { readonly status: 'absent'; readonly errorCode: string }
  /** recorded as a failure */
  | { readonly status: 'failed'; readonly reason: FailureReason };

export type PagesOutcome<O> =
  | { readonly status: 'ok'; readonly pages: readonly O[] }
  | { readonly status: 'absent'; readonly errorCode: string }
  | { readonly status: 'failed'; readonly reason: FailureReason };

export interface CrawlContextOptions extends ClientSettings {
  /** `arn:aws:iam::{account}:role/Audit` */
  readonly assumeRoleTemplate?: string;
  /**
   * sent as `ExternalId` with every AssumeRole, for roles whose trust policy requires
   * `sts:ExternalId`; never written to the snapshot, a failure or a log
   */
  readonly externalId?: string;
  /** parallel calls per account and service; default 4 */
  readonly concurrency?: number;
  readonly onProgress?: (progress: CrawlProgress) => void;
}

const MAX_PAGES = 10_000;

/**
 * What a `nextToken` of `paginate` returns for a page that says there is more (its truncated
 * flag set) but gives no token to ask for the rest: the list is not complete, and cannot be
 * made so.
 */
export const NO_NEXT_TOKEN: unique symbol = Symbol('no next token');

/**
 * The next page's token of an API that flags a cut page and gives its marker apart (IAM's
 * `IsTruncated` + `Marker`, KMS's `Truncated` + `NextMarker`): undefined on the last page,
 * NO_NEXT_TOKEN when the flag is set without a marker.
 */
export function flaggedToken(
  truncated: boolean | undefined,
  marker: string | undefined,
): string | undefined | typeof NO_NEXT_TOKEN {
  if (!truncated) return undefined;
  return marker ? marker : NO_NEXT_TOKEN;
}
/** refresh assumed-role credentials this long before they expire */
const REFRESH_MARGIN_MS = 5 * 60_000;

interface AwsError {
  name?: unknown;
  Code?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

/** Sort an AWS error into a failure reason (by its code first, its HTTP status second). */
export function classifyError(err: unknown): {
  code: string;
  message: string;
  reason: FailureReason;
} {
  const e = (err ?? {}) as AwsError;
  const code =
    typeof e.name === 'string' && e.name !== 'Error'
      ? e.name
      : typeof e.Code === 'string'
        ? e.Code
        : 'Error';
  const message = typeof e.message === 'string' ? e.message : String(err);
  const status = typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : 0;
  let reason: FailureReason = 'error';
  if (UNREACHABLE_CODES.has(code)) {
    // not a missing permission (no policy would allow the call): an opt-in region that is not
    // enabled in the account answers with these, as do credentials not valid in that region
    // (https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-regions.html,
    // https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html: RegionDisabledException)
    return {
      code,
      message: `the region is not enabled in the account, or the credentials are not valid there: ${firstLine(message)}`,
      reason: 'region-unreachable',
    };
  }
  if (/AccessDenied|Unauthorized|AuthorizationError|Forbidden/i.test(code) || status === 403) {
    reason = 'access-denied';
  } else if (
    /Throttl|TooManyRequests|SlowDown|RequestLimitExceeded/i.test(code) ||
    status === 429
  ) {
    reason = 'throttled';
  } else if (/NotFound|NoSuch|DoesNotExist/i.test(code) || status === 404) {
    reason = 'not-found';
  }
  return { code, message: firstLine(message), reason };
}

/** Error codes that say the account or region cannot be reached with these credentials. */
const UNREACHABLE_CODES: ReadonlySet<string> = new Set([
  'InvalidClientTokenId',
  'RegionDisabledException',
  'UnrecognizedClientException',
]);

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

export class CrawlContext {
  readonly records: CrawlRecord[] = [];
  readonly failures: CrawlFailure[] = [];
  /** the account whose credentials the default chain (or the given ones) yields */
  callerAccount = '';
  /** the caller's region for global services and STS (see homeRegionOf) */
  homeRegion = 'us-east-1';

  private readonly clients = new Map<string, Promise<SendableClient>>();
  private readonly limiters = new Map<string, Limiter>();
  private readonly sessions = new Map<string, Promise<Session | undefined>>();
  private readonly scheduled = new Set<string>();
  private readonly pending = new Set<Promise<void>>();
  private readonly bugs: unknown[] = [];
  private callsDone = 0;
  private callsInFlight = 0;

  constructor(private readonly options: CrawlContextOptions) {}

  /** Load one SDK package (dynamic import). */
  sdk<S extends CrawlService>(service: S): ReturnType<typeof loadSdk<S>> {
    return loadSdk(service);
  }

  /**
   * The region an account's global calls (STS, IAM, Organizations, the S3 bucket list) are made
   * in: the caller's home region for the caller, whose credentials and configuration chose it;
   * for every other account the first region of the partition, enabled in every account, since
   * the caller's region may be an opt-in region the other account has not enabled
   * (https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-regions.html).
   */
  homeRegionOf(account: string): string {
    return account === this.callerAccount || this.callerAccount === ''
      ? this.homeRegion
      : partitionHomeRegion(this.homeRegion);
  }

  record(record: CrawlRecord): void {
    this.records.push(record);
  }

  /** Take back the records `drop` picks: what was read but must not be written after all. */
  unrecord(drop: (record: CrawlRecord) => boolean): void {
    for (let i = this.records.length - 1; i >= 0; i--) {
      if (drop(this.records[i]!)) this.records.splice(i, 1);
    }
  }

  /** Run `task` once per key, tracked until `settle()`; a task that throws is a bug, rethrown there. */
  schedule(key: string, task: () => Promise<void>): void {
    if (this.scheduled.has(key)) return;
    this.scheduled.add(key);
    const p: Promise<void> = task()
      .catch((err: unknown) => {
        this.bugs.push(err);
      })
      .finally(() => this.pending.delete(p));
    this.pending.add(p);
  }

  /** Wait until every scheduled task (and whatever they scheduled) is done. */
  async settle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
    if (this.bugs.length > 0) throw this.bugs[0];
  }

  /**
   * Send one command in `place` and classify the outcome. Never throws for an AWS error.
   * `subject` names what is read, for the warning and the summary; `reaches` goes on its failure
   * (the first AssumeRole into an account: see CrawlFailure).
   */
  async call<O>(
    service: CrawlService,
    place: Place,
    command: object,
    subject: string,
    reaches?: CrawlFailure['reaches'],
  ): Promise<CallOutcome<O>> {
    const spec = this.specOf(service, command);
    const session = await this.session(place.account);
    if (!session) {
      this.recordFailure(spec, place, subject, {
        reason: 'account-unreachable',
        code: 'AccountUnreachable',
        message: `not called: account \`${place.account}\` could not be reached`,
      });
      return { status: 'failed', reason: 'account-unreachable' };
    }
    const client = await this.client(service, place, session);
    const limiter = this.limiter(`${place.account}/${service}`);
    this.callsInFlight++;
    this.progress();
    try {
      const output = (await limiter(() => client.send(command))) as O;
      return { status: 'ok', output };
    } catch (err) {
      const c = classifyError(err);
      if (spec.absentErrors?.includes(c.code)) return { status: 'absent', errorCode: c.code };
      this.recordFailure(spec, place, subject, c, reaches);
      return { status: 'failed', reason: c.reason };
    } finally {
      this.callsInFlight--;
      this.callsDone++;
      this.progress();
    }
  }

  /**
   * Every page of a paginated call: `makeCommand(token)` builds the request for a page,
   * `nextToken(output)` returns the next page's token (undefined on the last page, NO_NEXT_TOKEN
   * when the page says there is more but gives no token: a failure, as the rest cannot be read).
   */
  async paginate<O>(
    service: CrawlService,
    place: Place,
    makeCommand: (token: string | undefined) => object,
    nextToken: (output: O) => string | undefined | typeof NO_NEXT_TOKEN,
    subject: string,
  ): Promise<PagesOutcome<O>> {
    const pages: O[] = [];
    const seen = new Set<string>();
    let token: string | undefined;
    do {
      const command = makeCommand(token);
      const outcome = await this.call<O>(service, place, command, subject);
      if (outcome.status !== 'ok') return outcome;
      pages.push(outcome.output);
      const next = nextToken(outcome.output);
      if (next === NO_NEXT_TOKEN) {
        this.recordFailure(this.specOf(service, command), place, subject, {
          reason: 'error',
          code: 'PaginationNoMarker',
          message: `page ${pages.length} says there is more but gives no marker to read it`,
        });
        return { status: 'failed', reason: 'error' };
      }
      token = next;
      if (token !== undefined && (seen.has(token) || pages.length >= MAX_PAGES)) {
        this.recordFailure(this.specOf(service, command), place, subject, {
          reason: 'error',
          code: 'PaginationLoop',
          message: `pagination did not end after ${pages.length} pages`,
        });
        return { status: 'failed', reason: 'error' };
      }
      if (token !== undefined) seen.add(token);
    } while (token !== undefined);
    return { status: 'ok', pages };
  }

  /** Whether `account`'s credentials can be had (AssumeRole succeeded, or the caller's own). */
  async canReach(account: string): Promise<boolean> {
    return (await this.session(account)) !== undefined;
  }

  /** Close every client's sockets. */
  async destroy(): Promise<void> {
    const clients = await Promise.allSettled([...this.clients.values()]);
    for (const c of clients) if (c.status === 'fulfilled') c.value.destroy();
  }

  private specOf(service: CrawlService, command: object): CallSpec {
    const spec = findCall(service, command.constructor.name);
    // a bug, not an AWS failure: every command must be in the registry (calls.ts)
    if (!spec) throw new Error(`unregistered ${service} command ${command.constructor.name}`);
    return spec;
  }

  /** Record something that could not be read (also used for failures that are not one call). */
  recordFailure(
    spec: CallSpec,
    place: Place,
    subject: string,
    c: { code: string; message: string; reason: FailureReason },
    reaches?: CrawlFailure['reaches'],
  ): void {
    this.failures.push({
      operation: spec.command.replace(/Command$/, ''),
      permission: spec.action,
      account: place.account,
      ...(place.region ? { region: place.region } : {}),
      subject,
      reason: c.reason,
      errorCode: c.code,
      message: c.message,
      ...(reaches ? { reaches } : {}),
    });
  }

  private progress(): void {
    this.options.onProgress?.({
      callsDone: this.callsDone,
      callsInFlight: this.callsInFlight,
      failures: this.failures.length,
    });
  }

  private limiter(key: string): Limiter {
    let l = this.limiters.get(key);
    if (!l) {
      l = createLimiter(this.options.concurrency ?? 4);
      this.limiters.set(key, l);
    }
    return l;
  }

  private client(service: CrawlService, place: Place, session: Session): Promise<SendableClient> {
    const key = `${service}|${place.account}|${place.region}`;
    let c = this.clients.get(key);
    if (!c) {
      const endpoint = this.options.endpoint;
      const config: Record<string, unknown> = {
        region: place.region || this.homeRegionOf(place.account),
        // client-side rate limiting that backs off on throttling errors:
        // https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html
        retryMode: 'adaptive',
        maxAttempts: this.options.maxAttempts ?? 10,
        // without timeouts a stalled endpoint (a connection accepted and never answered) would
        // hang the crawl: an attempt that times out fails with TimeoutError, is retried like a
        // throttled one, and a call still timing out is recorded as a failure, like any other
        // (the `requestHandler` options shorthand:
        // https://docs.aws.amazon.com/sdk-for-javascript/v3/developer-guide/node-configuring-maxsockets.html;
        // since @smithy/node-http-handler 4.4 requestTimeout only warns unless
        // throwOnRequestTimeout is set: https://github.com/aws/aws-sdk-js-v3/blob/main/UPGRADING.md)
        requestHandler: {
          connectionTimeout: this.options.connectionTimeoutMs ?? CONNECTION_TIMEOUT_MS,
          requestTimeout: this.options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS,
          throwOnRequestTimeout: true,
          socketTimeout: this.options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS,
        },
        ...session.config,
      };
      if (endpoint !== undefined) config['endpoint'] = endpoint;
      if (service === 's3') {
        // a custom endpoint has no per-bucket host names; AWS itself routes by bucket
        if (endpoint !== undefined) config['forcePathStyle'] = true;
        config['followRegionRedirects'] = true;
      }
      c = createClient(service, config);
      this.clients.set(key, c);
    }
    return c;
  }

  /** The credentials config for an account, or undefined when it cannot be reached. */
  private session(account: string): Promise<Session | undefined> {
    let s = this.sessions.get(account);
    if (!s) {
      s = this.openSession(account);
      this.sessions.set(account, s);
    }
    return s;
  }

  private async openSession(account: string): Promise<Session | undefined> {
    const callerConfig: Record<string, unknown> = {};
    if (this.options.credentials) callerConfig['credentials'] = { ...this.options.credentials };
    else if (this.options.profile !== undefined) callerConfig['profile'] = this.options.profile;
    if (account === this.callerAccount || this.callerAccount === '')
      return { config: callerConfig };

    const spec = CRAWL_CALLS['sts.AssumeRole'];
    const template = this.options.assumeRoleTemplate;
    const callerPlace = { account: this.callerAccount, region: this.homeRegion };
    if (template === undefined) {
      this.recordFailure(
        spec,
        { account, region: '' },
        `account \`${account}\``,
        {
          reason: 'account-unreachable',
          code: 'NoAssumeRoleTemplate',
          message: `account \`${account}\` is referenced but no --assume-role template was given`,
        },
        { account },
      );
      return undefined;
    }
    const roleArn = template.replace(/\{account\}/g, account);
    const { AssumeRoleCommand } = await loadSdk('sts');
    const subject = `role \`${roleArn}\` (to read account \`${account}\`)`;
    // the first AssumeRole decides whether the account can be read at all; a failed refresh
    // later is a failure of its own (the calls after it fail on expired credentials)
    const assume = async (first: boolean): Promise<AssumedCredentials | undefined> => {
      const out = await this.call<{ Credentials?: AssumedCredentials }>(
        'sts',
        callerPlace,
        new AssumeRoleCommand({
          RoleArn: roleArn,
          RoleSessionName: 'permchain-crawl',
          // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_third-party.html
          ...(this.options.externalId !== undefined ? { ExternalId: this.options.externalId } : {}),
        }),
        subject,
        first ? { account, roleArn } : undefined,
      );
      return out.status === 'ok' ? out.output.Credentials : undefined;
    };
    let current = await assume(true);
    if (!current?.AccessKeyId || !current.SecretAccessKey) {
      if (!this.failures.some((f) => f.reaches?.account === account))
        this.recordFailure(
          spec,
          callerPlace,
          subject,
          {
            reason: 'error',
            code: 'NoCredentials',
            message: 'AssumeRole answered without credentials',
          },
          { account, roleArn },
        );
      return undefined;
    }
    // a provider, so a long crawl re-assumes the role before the session expires
    const provider = async (): Promise<Record<string, unknown>> => {
      const expires = current?.Expiration?.getTime() ?? Infinity;
      if (expires - Date.now() < REFRESH_MARGIN_MS) current = (await assume(false)) ?? current;
      return {
        accessKeyId: current?.AccessKeyId,
        secretAccessKey: current?.SecretAccessKey,
        sessionToken: current?.SessionToken,
        ...(current?.Expiration ? { expiration: current.Expiration } : {}),
      };
    };
    return { config: { credentials: provider } };
  }
}

interface Session {
  readonly config: Record<string, unknown>;
}

interface AssumedCredentials {
  readonly AccessKeyId?: string;
  readonly SecretAccessKey?: string;
  readonly SessionToken?: string;
  readonly Expiration?: Date;
}
