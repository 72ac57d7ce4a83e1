/**
 * A loopback fake of the AWS APIs the crawler calls, serving a snapshot folder over the real wire
 * protocols so the real SDK clients can crawl it: query + XML (IAM, STS, SNS), JSON 1.1 (KMS,
 * CodePipeline, CodeBuild, Organizations, EventBridge, CodeDeploy, ECR), REST-JSON (Lambda) and
 * REST-XML (S3, path-style). The caller's account comes from the SigV4 access key; AssumeRole
 * hands out keys for the target account. Faults (throttling, AccessDenied, not found, any error
 * code, a request never answered) are injected per service and operation; small pages force
 * pagination everywhere.
 *
 * Bounded: 127.0.0.1 on a random port, 1 MB request bodies, a request cap, closed by `close()`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative, sep } from 'node:path';

export const REDACTED_MARKER = '<redacted by permchain>';
/** What the fake serves where the fixture has the redaction marker (a stand-in secret). */
export const secretFor = (name: string): string => `fake-secret-value-of-${name}`;
/** A stand-in presigned URL credential in get-function's Code.Location. */
export const PRESIGNED_SECRET = 'X-Amz-Security-Token=FAKESESSIONTOKENSECRET';

export interface FakeRequest {
  readonly accessKeyId: string;
  readonly service: string;
  readonly operation: string;
  readonly account: string;
  readonly region: string;
  readonly params: Readonly<Record<string, unknown>>;
}

export interface Fault {
  /** SigV4 signing name: iam, sts, sns, s3, lambda, kms, codepipeline, codebuild, organizations, events, codedeploy, ecr */
  readonly service: string;
  readonly operation: string;
  /**
   * `error`: the error `code` (HTTP 400); `stall`: the request is read and never answered (the
   * connection stays open until `close()`)
   */
  readonly kind: 'throttle' | 'access-denied' | 'not-found' | 'error' | 'stall';
  /** the error code of an `error` fault */
  readonly code?: string;
  /** how many matching requests fail; default: all of them */
  readonly times?: number;
  readonly when?: (request: FakeRequest) => boolean;
}

export interface Caller {
  readonly account: string;
  readonly arn: string;
}

export interface FakeAwsOptions {
  /** the snapshot folder to serve */
  readonly fixture: string;
  /** items per page for every paginated API; default 1 */
  readonly pageSize?: number;
  readonly faults?: readonly Fault[];
  /** long-term access keys → identity; default: FAKE_CALLER_KEY → the auditor user of 111111111111 */
  readonly callers?: Readonly<Record<string, Caller>>;
  /**
   * `service.Operation`s (iam.GetAccountAuthorizationDetails, kms.ListGrants, kms.ListAliases)
   * whose pages set the truncated flag but leave out the marker that reads the next page
   */
  readonly markerless?: readonly string[];
  /**
   * regions not enabled in any account: every request signed for one fails as AWS answers then,
   * InvalidClientTokenId (query protocols) or UnrecognizedClientException (JSON protocols)
   */
  readonly disabledRegions?: readonly string[];
  /**
   * describe-organization as one account sees it: an organization's describe-organization output,
   * `'none'` (AWSOrganizationsNotInUseException), or undefined for the fixture's: its organization
   * for a member (accounts.json, parents.json, the management account), none for other accounts
   */
  readonly organizationOf?: (account: string) => Obj | 'none' | undefined;
  /**
   * published versions and aliases of functions, by `<account>/<region>/<name>:<qualifier>`: a
   * lambda file (`{Configuration, Policy?}`) served when a call names that Qualifier (one with a
   * Qualifier not listed here is not found)
   */
  readonly lambdaVersions?: Readonly<Record<string, Obj>>;
}

export interface FakeAws {
  readonly endpoint: string;
  /** every request that reached a handler or a fault, in arrival order */
  readonly requests: FakeRequest[];
  /**
   * what a request changed in the fake AWS, which a read-only crawl must never do: describe-key
   * on a predefined AWS alias with no key yet creates its AWS managed key, as AWS does
   * (https://docs.aws.amazon.com/kms/latest/APIReference/API_DescribeKey.html)
   */
  readonly created: string[];
  close(): Promise<void>;
}

export const FAKE_CALLER_KEY = 'AKIAFAKECALLER000001';
export const FAKE_CALLER: Caller = {
  account: '111111111111',
  arn: 'arn:aws:iam::111111111111:user/auditor',
};

const MAX_BODY = 1024 * 1024;
const MAX_REQUESTS = 5000;

type Json = unknown;
type Obj = Record<string, unknown>;

class FakeError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

function obj(v: unknown): Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {};
}
function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function loadFixture(dir: string): Map<string, Json> {
  const files = new Map<string, Json>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.json')) {
        files.set(relative(dir, full).split(sep).join('/'), JSON.parse(readFileSync(full, 'utf8')));
      }
    }
  };
  walk(dir);
  return files;
}

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+00:00$/;

/** JSON protocols send timestamps as epoch seconds. */
function toJsonWire(v: unknown): unknown {
  if (typeof v === 'string' && ISO.test(v)) return Date.parse(v) / 1000;
  if (Array.isArray(v)) return v.map(toJsonWire);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toJsonWire(x)]));
  }
  return v;
}

function xmlEscape(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function xmlScalar(v: unknown): string {
  if (typeof v === 'string') return xmlEscape(ISO.test(v) ? v.replace('+00:00', 'Z') : v);
  return xmlEscape(String(v));
}

const IAM_DOCUMENTS = new Set(['AssumeRolePolicyDocument', 'PolicyDocument', 'Document']);

/** Query-protocol XML: lists as <member>, IAM policy documents URL-encoded as IAM sends them. */
function queryXml(name: string, v: unknown): string {
  if (v === null || v === undefined) return '';
  if (IAM_DOCUMENTS.has(name) && typeof v === 'object') {
    return `<${name}>${xmlEscape(encodeURIComponent(JSON.stringify(v)))}</${name}>`;
  }
  if (Array.isArray(v)) return `<${name}>${v.map((x) => queryXml('member', x)).join('')}</${name}>`;
  if (typeof v === 'object') {
    return `<${name}>${Object.entries(v)
      .map(([k, x]) => queryXml(k, x))
      .join('')}</${name}>`;
  }
  return `<${name}>${xmlScalar(v)}</${name}>`;
}

/** REST-XML (S3): nested structures, lists flattened as repeated elements named by `flat`. */
function restXml(name: string, v: unknown, flat: Readonly<Record<string, string>> = {}): string {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) {
    const item = flat[name] ?? name;
    return v.map((x) => restXml(item, x, flat)).join('');
  }
  if (typeof v === 'object') {
    return `<${name}>${Object.entries(v)
      .map(([k, x]) => restXml(k, x, flat))
      .join('')}</${name}>`;
  }
  return `<${name}>${xmlScalar(v)}</${name}>`;
}

function page<T>(items: readonly T[], token: unknown, size: number): { items: T[]; next?: string } {
  const start = typeof token === 'string' && token !== '' ? Number(token.replace(/^page-/, '')) : 0;
  if (!Number.isInteger(start) || start < 0) throw new FakeError('InvalidNextToken', 'bad token');
  const slice = items.slice(start, start + size);
  return start + size < items.length
    ? { items: slice, next: `page-${start + size}` }
    : { items: slice };
}

/** The services whose outputs can hold a secret where the fixture has the marker (Lambda: its own). */
const SECRET_SERVICES: ReadonlySet<string> = new Set(['codebuild', 'codepipeline', 'events']);

/** Put back stand-in secrets where the fixture holds the redaction marker. */
function withSecrets(v: unknown, name = ''): unknown {
  // an inline buildspec the crawl could not read (a one-word buildspec is the name of a file,
  // which is not redacted): text that is not YAML, with a secret in it
  if (v === REDACTED_MARKER && name === 'buildspec')
    return `version: 0.2\nenv:\n  variables:\n    TOKEN: ${secretFor(name)}\nphases: [\n`;
  // an inline buildspec the crawl reduced to its env references (src/model/buildspec.ts): served
  // whole, with a secret in its variables and commands
  if (name === 'buildspec' && typeof v === 'string' && v.startsWith('{"version"')) {
    const b = JSON.parse(v) as Obj;
    const env = { ...(b['env'] as Obj | undefined), variables: { TOKEN: secretFor(name) } };
    const phases = { build: { commands: [`echo ${secretFor(name)}`] } };
    return JSON.stringify({ ...b, env, phases }, null, 2);
  }
  if (v === REDACTED_MARKER) return secretFor(name);
  // a CodeBuild action's EnvironmentVariables: a JSON string of {name, value, type}
  // a CloudFormation action's ParameterOverrides: a JSON string of name -> value
  const jsonText = name === 'EnvironmentVariables' || name === 'ParameterOverrides';
  if (jsonText && typeof v === 'string' && v.includes(REDACTED_MARKER)) {
    return JSON.stringify(withSecrets(JSON.parse(v) as unknown));
  }
  // a marker inside text (a StackSet's `ParameterKey=K,ParameterValue=<marker>` shorthand)
  if (typeof v === 'string' && v.includes(REDACTED_MARKER))
    return v.split(REDACTED_MARKER).join(secretFor(name));
  if (Array.isArray(v)) return v.map((x) => withSecrets(x, name));
  if (v !== null && typeof v === 'object') {
    const o = v as Obj;
    // CodeBuild environment variable: {name, value, type}
    if (typeof o['name'] === 'string' && 'value' in o) {
      return { ...o, value: withSecrets(o['value'], o['name']) };
    }
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, withSecrets(x, k)]));
  }
  return v;
}

export async function startFakeAws(options: FakeAwsOptions): Promise<FakeAws> {
  const files = loadFixture(options.fixture);
  const size = options.pageSize ?? 1;
  const callers = new Map<string, Caller>(
    Object.entries(options.callers ?? { [FAKE_CALLER_KEY]: FAKE_CALLER }),
  );
  const faults = (options.faults ?? []).map((f) => ({ ...f, left: f.times ?? Infinity }));
  const requests: FakeRequest[] = [];
  const created: string[] = [];
  const markerless = new Set(options.markerless ?? []);
  /** the marker of a page that has a next one, unless the operation leaves it out */
  const marker = (r: FakeRequest, next: string | undefined): string | undefined =>
    next !== undefined && !markerless.has(`${r.service}.${r.operation}`) ? next : undefined;
  let sessionCounter = 0;

  const file = (path: string): Obj | undefined => {
    const f = files.get(path);
    return f === undefined ? undefined : obj(f);
  };
  const filesUnder = (prefix: string): [string, Obj][] =>
    [...files.entries()]
      .filter(([p]) => p.startsWith(prefix) && !p.slice(prefix.length).includes('/'))
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([p, v]) => [p, obj(v)]);
  // ---------------------------------------------------------------- handlers
  type Handler = (r: FakeRequest) => Obj;
  const denied = (what: string): FakeError =>
    new FakeError('AccessDenied', `not authorized to ${what}`, 403);

  const sts: Record<string, Handler> = {
    GetCallerIdentity: (r) => {
      const caller = callers.get(r.accessKeyId) ?? sessions.get(r.accessKeyId);
      return { UserId: 'AIDAFAKEUSERID', Account: r.account, Arn: caller?.arn ?? '' };
    },
    AssumeRole: (r) => {
      const roleArn = String(r.params['RoleArn'] ?? '');
      const account = roleArn.split(':')[4] ?? '';
      const roles = arr(file(`${account}/iam.json`)?.['RoleDetailList']);
      const role = roles.map(obj).find((x) => x['Arn'] === roleArn);
      // a trust policy that requires an external id (`"StringEquals": {"sts:ExternalId": ...}`)
      // denies a request without that id
      const required = arr(obj(role?.['AssumeRolePolicyDocument'])['Statement'])
        .map((st) => obj(obj(obj(st)['Condition'])['StringEquals'])['sts:ExternalId'])
        .find((v) => v !== undefined);
      if (!role || (required !== undefined && r.params['ExternalId'] !== required)) {
        throw new FakeError(
          'AccessDenied',
          `not authorized to perform sts:AssumeRole on ${roleArn}`,
          403,
        );
      }
      const key = `ASIAFAKE${account}${String(++sessionCounter).padStart(4, '0')}`;
      const session = String(r.params['RoleSessionName'] ?? '');
      sessions.set(key, {
        account,
        arn: `arn:aws:sts::${account}:assumed-role/${roleArn.split('/').pop()}/${session}`,
      });
      return {
        Credentials: {
          AccessKeyId: key,
          SecretAccessKey: 'fake-secret-access-key',
          SessionToken: 'fake-session-token',
          Expiration: new Date(Date.now() + 3600_000).toISOString().replace(/\.\d+Z$/, '+00:00'),
        },
        AssumedRoleUser: { AssumedRoleId: `AROAFAKE:${session}`, Arn: sessions.get(key)?.arn },
      };
    },
  };
  const sessions = new Map<string, Caller>();

  const iam: Record<string, Handler> = {
    GetAccountAuthorizationDetails: (r) => {
      const details = file(`${r.account}/iam.json`);
      if (!details) throw denied('perform iam:GetAccountAuthorizationDetails');
      const lists = ['UserDetailList', 'GroupDetailList', 'RoleDetailList', 'Policies'];
      const start = r.params['Marker']
        ? Number(String(r.params['Marker']).replace('page-', ''))
        : 0;
      const longest = Math.max(...lists.map((l) => arr(details[l]).length));
      const out: Obj = {};
      for (const l of lists) out[l] = arr(details[l]).slice(start, start + size);
      const truncated = start + size < longest;
      out['IsTruncated'] = truncated;
      const next = marker(r, truncated ? `page-${start + size}` : undefined);
      if (next) out['Marker'] = next;
      return out;
    },
  };

  const topicFile = (arn: string): { path: string; topic?: Obj } => {
    const [, , , region, account, name] = arn.split(':');
    const path = `${account}/${region}/sns/${name}.json`;
    const topic = file(path);
    return topic ? { path, topic } : { path };
  };
  const sns: Record<string, Handler> = {
    GetTopicAttributes: (r) => {
      const { topic } = topicFile(String(r.params['TopicArn'] ?? ''));
      if (!topic) throw new FakeError('NotFound', 'Topic does not exist', 404);
      return { Attributes: topic['Attributes'] };
    },
  };

  const org = (): { parents: Obj; describe: Obj } => {
    const describe = file('organization/describe-organization.json');
    if (!describe) {
      throw new FakeError('AWSOrganizationsNotInUseException', 'not in an organization');
    }
    return { describe, parents: file('organization/parents.json') ?? {} };
  };
  /**
   * Whether an account is in the fixture's organization, as it answers describe-organization:
   * listed in accounts.json or parents.json, or the management account (any account when the
   * fixture has no accounts.json to tell)
   */
  const memberOfFixture = (account: string): boolean => {
    const accounts = file('organization/accounts.json');
    if (!accounts) return true;
    const { describe, parents } = org();
    return (
      arr(accounts['Accounts']).some((a) => obj(a)['Id'] === account) ||
      account in parents ||
      obj(describe['Organization'])['MasterAccountId'] === account
    );
  };
  const orgPolicies = (type: unknown): [string, Obj][] => {
    const folder =
      type === 'SERVICE_CONTROL_POLICY' ? 'scp' : type === 'RESOURCE_CONTROL_POLICY' ? 'rcp' : '';
    return folder ? filesUnder(`organization/${folder}/`) : [];
  };
  const organizations: Record<string, Handler> = {
    DescribeOrganization: (r) => {
      const own = options.organizationOf?.(r.account);
      if (own === 'none' || (own === undefined && !memberOfFixture(r.account)))
        throw new FakeError('AWSOrganizationsNotInUseException', 'not in an organization');
      return own ?? org().describe;
    },
    ListAccounts: (r) => {
      org();
      const p = page(
        arr(file('organization/accounts.json')?.['Accounts']),
        r.params['NextToken'],
        size,
      );
      return { Accounts: p.items, ...(p.next ? { NextToken: p.next } : {}) };
    },
    ListRoots: (r) => {
      const { parents, describe } = org();
      const roots = [...new Set(Object.values(parents).map(String))].filter((id) =>
        id.startsWith('r-'),
      );
      const orgArn = String(obj(describe['Organization'])['Arn'] ?? '');
      const p = page(
        roots.map((Id) => ({
          Id,
          Arn: orgArn.replace(':organization/', ':root/') + '/' + Id,
          Name: 'Root',
          PolicyTypes: [
            { Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' },
            { Type: 'RESOURCE_CONTROL_POLICY', Status: 'ENABLED' },
          ],
        })),
        r.params['NextToken'],
        size,
      );
      return { Roots: p.items, ...(p.next ? { NextToken: p.next } : {}) };
    },
    ListChildren: (r) => {
      const { parents } = org();
      const type = r.params['ChildType'];
      const children = Object.entries(parents)
        .filter(([, parent]) => parent === r.params['ParentId'])
        .map(([Id]) => ({ Id, Type: Id.startsWith('ou-') ? 'ORGANIZATIONAL_UNIT' : 'ACCOUNT' }))
        .filter((c) => c.Type === type)
        .sort((a, b) => (a.Id < b.Id ? -1 : 1));
      const p = page(children, r.params['NextToken'], size);
      return { Children: p.items, ...(p.next ? { NextToken: p.next } : {}) };
    },
    ListPolicies: (r) => {
      org();
      const summaries = orgPolicies(r.params['Filter']).map(
        ([, f]) => obj(f['Policy'])['PolicySummary'],
      );
      const p = page(summaries, r.params['NextToken'], size);
      return { Policies: p.items, ...(p.next ? { NextToken: p.next } : {}) };
    },
    DescribePolicy: (r) => {
      const f =
        file(`organization/scp/${String(r.params['PolicyId'])}.json`) ??
        file(`organization/rcp/${String(r.params['PolicyId'])}.json`);
      if (!f) throw new FakeError('PolicyNotFoundException', 'no such policy');
      return { Policy: f['Policy'] };
    },
    ListTargetsForPolicy: (r) => {
      const f =
        file(`organization/scp/${String(r.params['PolicyId'])}.json`) ??
        file(`organization/rcp/${String(r.params['PolicyId'])}.json`);
      if (!f) throw new FakeError('PolicyNotFoundException', 'no such policy');
      const p = page(arr(f['Targets']), r.params['NextToken'], size);
      return { Targets: p.items, ...(p.next ? { NextToken: p.next } : {}) };
    },
  };

  const codepipeline: Record<string, Handler> = {
    ListPipelines: (r) => {
      const pipelines = filesUnder(`${r.account}/${r.region}/codepipeline/`).map(([, f]) => {
        const p = obj(f['pipeline']);
        const m = obj(f['metadata']);
        return {
          name: p['name'],
          version: p['version'],
          pipelineType: p['pipelineType'],
          executionMode: p['executionMode'],
          created: m['created'],
          updated: m['updated'],
        };
      });
      const p = page(pipelines, r.params['nextToken'], size);
      return { pipelines: p.items, ...(p.next ? { nextToken: p.next } : {}) };
    },
    GetPipeline: (r) => {
      const f = file(`${r.account}/${r.region}/codepipeline/${String(r.params['name'])}.json`);
      if (!f)
        throw new FakeError(
          'PipelineNotFoundException',
          `pipeline ${String(r.params['name'])} not found`,
        );
      return f;
    },
  };

  const codebuild: Record<string, Handler> = {
    BatchGetProjects: (r) => {
      const names = arr(r.params['names']).map(String);
      if (names.length > 100) throw new FakeError('InvalidInputException', 'too many names');
      const projects = arr(file(`${r.account}/${r.region}/codebuild.json`)?.['projects']).map(obj);
      return {
        projects: names.flatMap((n) => projects.filter((p) => p['name'] === n)),
        projectsNotFound: names.filter((n) => !projects.some((p) => p['name'] === n)),
      };
    },
  };

  const keyFile = (r: FakeRequest): Obj => {
    const ref = String(r.params['KeyId'] ?? '');
    let id = ref;
    let account = r.account;
    let region = r.region;
    if (ref.startsWith('arn:')) {
      const [, , , rg = '', acct = '', resource = ''] = ref.split(':');
      account = acct;
      region = rg;
      id = resource.startsWith('key/') ? resource.slice(4) : resource;
    }
    if (id.startsWith('alias/')) {
      const alias = arr(file(`${account}/${region}/kms/aliases.json`)?.['Aliases'])
        .map(obj)
        .find((a) => a['AliasName'] === id);
      if (
        r.operation === 'DescribeKey' &&
        account === r.account &&
        id.startsWith('alias/aws/') &&
        alias &&
        alias['TargetKeyId'] === undefined
      ) {
        // AWS creates the AWS managed key of a predefined alias on describe-key
        const keyId = `created-${id.slice('alias/aws/'.length)}`;
        const arn = `arn:aws:kms:${region}:${account}:key/${keyId}`;
        alias['TargetKeyId'] = keyId;
        files.set(`${account}/${region}/kms/${keyId}.json`, {
          KeyMetadata: {
            AWSAccountId: account,
            Arn: arn,
            KeyId: keyId,
            KeyManager: 'AWS',
            KeyState: 'Enabled',
            Enabled: true,
          },
          Policy: JSON.stringify({ Version: '2012-10-17', Statement: [] }),
        });
        created.push(arn);
      }
      id = String(alias?.['TargetKeyId'] ?? '');
    }
    const f = id && account === r.account ? file(`${account}/${region}/kms/${id}.json`) : undefined;
    if (!f) throw new FakeError('NotFoundException', `Key '${ref}' does not exist`);
    return f;
  };
  const kms: Record<string, Handler> = {
    DescribeKey: (r) => ({ KeyMetadata: keyFile(r)['KeyMetadata'] }),
    GetKeyPolicy: (r) => ({ Policy: keyFile(r)['Policy'], PolicyName: 'default' }),
    ListGrants: (r) => {
      const p = page(arr(keyFile(r)['Grants']), r.params['Marker'], size);
      const next = marker(r, p.next);
      return {
        Grants: p.items,
        Truncated: p.next !== undefined,
        ...(next ? { NextMarker: next } : {}),
      };
    },
    ListAliases: (r) => {
      const aliases = arr(file(`${r.account}/${r.region}/kms/aliases.json`)?.['Aliases']);
      const p = page(aliases, r.params['Marker'], size);
      const next = marker(r, p.next);
      return {
        Aliases: p.items,
        Truncated: p.next !== undefined,
        ...(next ? { NextMarker: next } : {}),
      };
    },
  };

  // the rules of events.json, on the bus each names (`EventBusName`, default `default`); a
  // request without EventBusName is about the default bus, as in EventBridge
  const busOf = (rule: unknown): string => String(obj(rule)['EventBusName'] ?? 'default');
  const rulesOn = (r: FakeRequest): Obj[] =>
    arr(file(`${r.account}/${r.region}/events.json`)?.['Rules'])
      .map(obj)
      .filter((rule) => busOf(rule) === String(r.params['EventBusName'] ?? 'default'));
  const events: Record<string, Handler> = {
    ListEventBuses: (r) => {
      const rules = arr(file(`${r.account}/${r.region}/events.json`)?.['Rules']);
      const names = [...new Set(['default', ...rules.map(busOf)])].sort();
      const p = page(
        names.map((Name) => ({
          Name,
          Arn: `arn:aws:events:${r.region}:${r.account}:event-bus/${Name}`,
        })),
        r.params['NextToken'],
        size,
      );
      return { EventBuses: p.items, ...(p.next ? { NextToken: p.next } : {}) };
    },
    ListRuleNamesByTarget: (r) => {
      const targets = obj(file(`${r.account}/${r.region}/events.json`)?.['Targets']);
      const onBus = new Set(rulesOn(r).map((rule) => String(rule['Name'])));
      const names = Object.entries(targets)
        .filter(([name]) => onBus.has(name))
        .filter(([, ts]) => arr(ts).some((t) => obj(t)['Arn'] === r.params['TargetArn']))
        .map(([name]) => name)
        .sort();
      const p = page(names, r.params['NextToken'], size);
      return { RuleNames: p.items, ...(p.next ? { NextToken: p.next } : {}) };
    },
    ListRules: (r) => {
      const p = page(rulesOn(r), r.params['NextToken'], size);
      return { Rules: p.items, ...(p.next ? { NextToken: p.next } : {}) };
    },
    ListTargetsByRule: (r) => {
      const targets = obj(file(`${r.account}/${r.region}/events.json`)?.['Targets']);
      const rule = String(r.params['Rule']);
      if (!(rule in targets) || !rulesOn(r).some((x) => x['Name'] === rule))
        throw new FakeError('ResourceNotFoundException', `Rule ${rule} does not exist`);
      const p = page(arr(targets[rule]), r.params['NextToken'], size);
      return { Targets: p.items, ...(p.next ? { NextToken: p.next } : {}) };
    },
  };

  const codedeploy: Record<string, Handler> = {
    GetDeploymentGroup: (r) => {
      const f = file(
        `${r.account}/${r.region}/codedeploy/${String(r.params['applicationName'])}.${String(r.params['deploymentGroupName'])}.json`,
      );
      if (!f)
        throw new FakeError('DeploymentGroupDoesNotExistException', 'No deployment group found');
      return f;
    },
  };

  const ecr: Record<string, Handler> = {
    GetRepositoryPolicy: (r) => {
      const f = file(`${r.account}/${r.region}/ecr/${String(r.params['repositoryName'])}.json`);
      if (!f) throw new FakeError('RepositoryNotFoundException', 'repository does not exist');
      if (f['policyText'] === undefined) {
        throw new FakeError(
          'RepositoryPolicyNotFoundException',
          'Repository policy does not exist',
        );
      }
      return f;
    },
  };

  const lambdaFile = (r: FakeRequest): Obj => {
    const name = String(r.params['FunctionName']);
    const qualifier = r.params['Qualifier'];
    const f =
      typeof qualifier === 'string'
        ? options.lambdaVersions?.[`${r.account}/${r.region}/${name}:${qualifier}`]
        : file(`${r.account}/${r.region}/lambda/${name}.json`);
    if (!f) throw new FakeError('ResourceNotFoundException', 'Function not found', 404);
    return f;
  };
  const lambda: Record<string, Handler> = {
    GetFunction: (r) => {
      const f = lambdaFile(r);
      return {
        Configuration: withSecrets(f['Configuration']),
        Code: {
          RepositoryType: 'S3',
          Location: `https://awslambda-us-east-1-tasks.s3.us-east-1.amazonaws.com/snapshots/x?${PRESIGNED_SECRET}`,
        },
        ...(f['Tags'] !== undefined ? { Tags: f['Tags'] } : {}),
      };
    },
    // the Configuration alone, with no Code.Location (https://docs.aws.amazon.com/lambda/latest/api/API_GetFunctionConfiguration.html)
    GetFunctionConfiguration: (r) => obj(withSecrets(lambdaFile(r)['Configuration'])),
    GetPolicy: (r) => {
      const f = lambdaFile(r);
      if (f['Policy'] === undefined) {
        throw new FakeError(
          'ResourceNotFoundException',
          'The resource you requested does not exist.',
          404,
        );
      }
      return { Policy: f['Policy'], RevisionId: obj(f['Configuration'])['RevisionId'] };
    },
  };

  const bucketFile = (r: FakeRequest): Obj => {
    const bucket = String(r.params['Bucket']);
    const own = file(`${r.account}/s3/${bucket}.json`);
    if (own) return own;
    if ([...files.keys()].some((p) => p.endsWith(`/s3/${bucket}.json`)))
      throw denied('read bucket');
    throw new FakeError('NoSuchBucket', 'The specified bucket does not exist', 404);
  };
  const s3: Record<string, Handler> = {
    ListBuckets: (r) => {
      const buckets = filesUnder(`${r.account}/s3/`).map(([p, f]) => ({
        Name: p.slice(`${r.account}/s3/`.length, -'.json'.length),
        CreationDate: '2023-05-10T08:00:00+00:00',
        BucketRegion:
          typeof f['LocationConstraint'] === 'string' ? f['LocationConstraint'] : 'us-east-1',
      }));
      const p = page(buckets, r.params['continuation-token'], size);
      return { Buckets: p.items, ...(p.next ? { ContinuationToken: p.next } : {}) };
    },
    GetBucketLocation: (r) => ({ LocationConstraint: bucketFile(r)['LocationConstraint'] ?? '' }),
    GetBucketPolicy: (r) => {
      const f = bucketFile(r);
      if (f['Policy'] === undefined)
        throw new FakeError('NoSuchBucketPolicy', 'The bucket policy does not exist', 404);
      return { Policy: f['Policy'] };
    },
    GetPublicAccessBlock: (r) => {
      const f = bucketFile(r);
      if (!f['PublicAccessBlockConfiguration']) {
        throw new FakeError('NoSuchPublicAccessBlockConfiguration', 'not found', 404);
      }
      return { PublicAccessBlockConfiguration: f['PublicAccessBlockConfiguration'] };
    },
    GetBucketOwnershipControls: (r) => {
      const f = bucketFile(r);
      if (!f['OwnershipControls'])
        throw new FakeError('OwnershipControlsNotFoundError', 'not found', 404);
      return { OwnershipControls: f['OwnershipControls'] };
    },
    GetBucketEncryption: (r) => {
      const f = bucketFile(r);
      if (!f['ServerSideEncryptionConfiguration']) {
        throw new FakeError('ServerSideEncryptionConfigurationNotFoundError', 'not found', 404);
      }
      return { ServerSideEncryptionConfiguration: f['ServerSideEncryptionConfiguration'] };
    },
  };

  const handlers: Record<string, Record<string, Handler>> = {
    sts,
    iam,
    sns,
    organizations,
    codepipeline,
    codebuild,
    kms,
    events,
    codedeploy,
    ecr,
    lambda,
    s3,
  };

  // ---------------------------------------------------------------- protocols
  type Protocol = 'query' | 'json' | 'rest-json' | 's3';
  const protocolOf = (service: string): Protocol =>
    service === 'iam' || service === 'sts' || service === 'sns'
      ? 'query'
      : service === 'lambda'
        ? 'rest-json'
        : service === 's3'
          ? 's3'
          : 'json';

  const faultError = (protocol: Protocol, service: string, fault: Fault): FakeError => {
    const kind = fault.kind;
    if (kind === 'error') return new FakeError(fault.code ?? 'InternalFailure', 'injected error');
    if (kind === 'throttle') {
      if (protocol === 'rest-json')
        return new FakeError('TooManyRequestsException', 'Rate exceeded', 429);
      if (protocol === 's3')
        return new FakeError('SlowDown', 'Please reduce your request rate.', 503);
      if (protocol === 'query') return new FakeError('Throttling', 'Rate exceeded', 400);
      return new FakeError('ThrottlingException', 'Rate exceeded', 400);
    }
    if (kind === 'access-denied') {
      if (protocol === 's3' || protocol === 'query') {
        return new FakeError(
          service === 'sns' ? 'AuthorizationError' : 'AccessDenied',
          'Access Denied',
          403,
        );
      }
      return new FakeError(
        'AccessDeniedException',
        'User is not authorized to perform this action',
        protocol === 'rest-json' ? 403 : 400,
      );
    }
    if (protocol === 's3')
      return new FakeError('NoSuchBucket', 'The specified bucket does not exist', 404);
    if (protocol === 'query')
      return new FakeError(service === 'sns' ? 'NotFound' : 'NoSuchEntity', 'not found', 404);
    return new FakeError(
      'ResourceNotFoundException',
      'Resource not found',
      protocol === 'rest-json' ? 404 : 400,
    );
  };

  const send = (
    res: ServerResponse,
    protocol: Protocol,
    service: string,
    operation: string,
    result: Obj | FakeError,
  ): void => {
    const requestId = 'fake-request-id';
    if (result instanceof FakeError) {
      if (protocol === 'query') {
        res.writeHead(result.status, { 'content-type': 'text/xml' });
        res.end(
          `<ErrorResponse><Error><Type>Sender</Type><Code>${result.code}</Code><Message>${xmlEscape(result.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
        );
      } else if (protocol === 's3') {
        res.writeHead(result.status, { 'content-type': 'application/xml' });
        res.end(
          `<Error><Code>${result.code}</Code><Message>${xmlEscape(result.message)}</Message></Error>`,
        );
      } else {
        res.writeHead(result.status, {
          'content-type': protocol === 'json' ? 'application/x-amz-json-1.1' : 'application/json',
          'x-amzn-errortype': result.code,
          'x-amzn-requestid': requestId,
        });
        res.end(
          JSON.stringify({ __type: result.code, message: result.message, Message: result.message }),
        );
      }
      return;
    }
    if (protocol === 'query') {
      const inner =
        service === 'sns' && operation === 'GetTopicAttributes'
          ? `<Attributes>${Object.entries(obj(result['Attributes']))
              .map(
                ([k, v]) =>
                  `<entry><key>${xmlEscape(k)}</key><value>${xmlScalar(v)}</value></entry>`,
              )
              .join('')}</Attributes>`
          : Object.entries(result)
              .map(([k, v]) => queryXml(k, v))
              .join('');
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(
        `<${operation}Response><${operation}Result>${inner}</${operation}Result><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${operation}Response>`,
      );
    } else if (protocol === 's3') {
      let body: string;
      let type = 'application/xml';
      switch (operation) {
        case 'GetBucketPolicy':
          body = String(result['Policy']);
          type = 'application/json';
          break;
        case 'GetBucketLocation':
          body = `<LocationConstraint>${xmlScalar(result['LocationConstraint'])}</LocationConstraint>`;
          break;
        case 'ListBuckets':
          body =
            `<ListAllMyBucketsResult><Buckets>${arr(result['Buckets'])
              .map((b) => restXml('Bucket', b))
              .join('')}</Buckets><Owner><ID>fakeownerid</ID></Owner>` +
            (result['ContinuationToken']
              ? `<ContinuationToken>${xmlScalar(result['ContinuationToken'])}</ContinuationToken>`
              : '') +
            `</ListAllMyBucketsResult>`;
          break;
        default: {
          const [[root, value]] = Object.entries(result) as [[string, unknown]];
          body = restXml(root, value, { Rules: 'Rule' });
        }
      }
      res.writeHead(200, { 'content-type': type });
      res.end(body);
    } else {
      res.writeHead(200, {
        'content-type': protocol === 'json' ? 'application/x-amz-json-1.1' : 'application/json',
        'x-amzn-requestid': requestId,
      });
      res.end(JSON.stringify(toJsonWire(result)));
    }
  };

  /** Operation and parameters from the HTTP request, per protocol. */
  const parse = (
    req: IncomingMessage,
    service: string,
    body: string,
  ): { operation: string; params: Obj } => {
    const protocol = protocolOf(service);
    const url = new URL(req.url ?? '/', 'http://fake');
    if (protocol === 'query') {
      const form = new URLSearchParams(body);
      const params: Obj = {};
      for (const [k, v] of form) params[k] = v;
      return { operation: String(params['Action'] ?? ''), params };
    }
    if (protocol === 'json') {
      const target = String(req.headers['x-amz-target'] ?? '');
      return {
        operation: target.split('.').pop() ?? '',
        params: body ? obj(JSON.parse(body)) : {},
      };
    }
    if (protocol === 'rest-json') {
      const m = /^\/2015-03-31\/functions\/([^/]+)(\/policy|\/configuration)?\/?$/.exec(
        url.pathname,
      );
      if (!m?.[1] || req.method !== 'GET') return { operation: '', params: {} };
      return {
        operation:
          m[2] === '/policy'
            ? 'GetPolicy'
            : m[2] === '/configuration'
              ? 'GetFunctionConfiguration'
              : 'GetFunction',
        params: {
          FunctionName: decodeURIComponent(m[1]),
          ...Object.fromEntries(url.searchParams),
        },
      };
    }
    // S3, path-style
    const segments = url.pathname.split('/').filter((s) => s !== '');
    const params: Obj = {};
    for (const [k, v] of url.searchParams) params[k] = v;
    if (segments.length === 0) return { operation: 'ListBuckets', params };
    params['Bucket'] = decodeURIComponent(segments[0] ?? '');
    const sub = ['policy', 'location', 'publicAccessBlock', 'ownershipControls', 'encryption'].find(
      (q) => url.searchParams.has(q),
    );
    const op = {
      policy: 'GetBucketPolicy',
      location: 'GetBucketLocation',
      publicAccessBlock: 'GetPublicAccessBlock',
      ownershipControls: 'GetBucketOwnershipControls',
      encryption: 'GetBucketEncryption',
    }[sub ?? ''];
    return { operation: op ?? '', params };
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let length = 0;
    req.on('data', (c: Buffer) => {
      length += c.length;
      if (length > MAX_BODY) {
        res.writeHead(413).end();
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => {
      if (res.writableEnded) return;
      const body = Buffer.concat(chunks).toString('utf8');
      const auth = String(req.headers['authorization'] ?? '');
      const m = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(auth);
      if (!m?.[1] || !m[2] || !m[3]) {
        res.writeHead(403, { 'content-type': 'text/plain' }).end('missing SigV4 authorization');
        return;
      }
      const [, key, region, service] = m as unknown as [string, string, string, string];
      const protocol = protocolOf(service);
      const identity = callers.get(key) ?? sessions.get(key);
      let operation = '';
      try {
        if (requests.length >= MAX_REQUESTS)
          throw new FakeError('TooManyRequests', 'request cap reached', 500);
        const parsed = parse(req, service, body);
        operation = parsed.operation;
        if (!identity)
          throw new FakeError(
            'InvalidClientTokenId',
            'The security token included in the request is invalid',
            403,
          );
        const request: FakeRequest = {
          accessKeyId: key,
          service,
          operation,
          account: identity.account,
          region,
          params: parsed.params,
        };
        requests.push(request);
        if (options.disabledRegions?.includes(region)) {
          throw new FakeError(
            protocol === 'query' ? 'InvalidClientTokenId' : 'UnrecognizedClientException',
            'The security token included in the request is invalid.',
            403,
          );
        }
        for (const f of faults) {
          if (
            f.left > 0 &&
            f.service === service &&
            f.operation === operation &&
            (!f.when || f.when(request))
          ) {
            f.left--;
            if (f.kind === 'stall') return;
            throw faultError(protocol, service, f);
          }
        }
        const handler = handlers[service]?.[operation];
        if (!handler)
          throw new FakeError(
            'UnknownOperationException',
            `unknown operation ${service}.${operation}`,
          );
        let result = handler(request);
        if (SECRET_SERVICES.has(service)) result = withSecrets(result) as Obj;
        send(res, protocol, service, operation, result);
      } catch (err) {
        send(
          res,
          protocol,
          service,
          operation,
          err instanceof FakeError ? err : new FakeError('InternalFailure', String(err), 500),
        );
      }
    });
  });
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    created,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
