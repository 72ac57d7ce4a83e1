/**
 * Per-region files that list what some pipelines use, not everything of the region:
 * `events.json` (the EventBridge rules that start the crawled pipelines) and `codebuild.json`
 * (the CodeBuild projects they run). A crawl narrowed by `--pipeline` writes only its pipelines'
 * part; written with `--merge` over a snapshot that holds other pipelines of the region, it would
 * take away their rules and projects (a rule that went missing reads as "nothing starts the
 * pipeline", not as unknown). So an existing list is merged with the new one: an entry the new
 * crawl wrote (a rule by name, a project by name) replaces the old one, the others stay, and the
 * result is sorted as the crawl sorts it. For the pipelines this crawl read, its rules are the
 * whole truth: an old rule's targets that are those pipelines are dropped (a rule deleted since
 * would still start them), and a rule left with no target with them. Pure; deterministic.
 */
import { isObject } from '../load/jsonReader.js';
import { renderJsonFile } from './cliJson.js';

type Obj = Record<string, unknown>;

function nameOf(item: unknown, key: string): string | undefined {
  return isObject(item) && typeof item[key] === 'string' ? item[key] : undefined;
}

function byName(key: string): (a: unknown, b: unknown) => number {
  return (a, b) => {
    const x = nameOf(a, key) ?? '';
    const y = nameOf(b, key) ?? '';
    return x < y ? -1 : x > y ? 1 : 0;
  };
}

const REGIONAL_LIST = /^\d{12}\/[^/]+\/(events|codebuild)\.json$/;

/** Whether `path` is a per-region list file that a narrower crawl must merge into. */
export function isMergedList(path: string): boolean {
  return REGIONAL_LIST.test(path);
}

/**
 * The content to write at `path`: `content` merged with `existing` (the file already there).
 * `content` alone when there is nothing to merge, or when the existing file is not a list of the
 * expected shape (it could not be read either: `analyze` reports it as an input error).
 */
export function mergeListFile(
  path: string,
  existing: string | undefined,
  content: string,
  crawledPipelines: ReadonlySet<string> = new Set(),
): string {
  const kind = REGIONAL_LIST.exec(path)?.[1];
  if (kind === undefined || existing === undefined) return content;
  let old: unknown;
  let next: unknown;
  try {
    old = JSON.parse(existing);
    next = JSON.parse(content);
  } catch {
    return content;
  }
  if (!isObject(old) || !isObject(next)) return content;
  const [account, region] = path.split('/');
  const isCrawledPipeline = (arn: unknown): boolean => {
    if (typeof arn !== 'string') return false;
    const p = arn.split(':');
    return (
      p.length === 6 &&
      p[2] === 'codepipeline' &&
      p[3] === region &&
      p[4] === account &&
      crawledPipelines.has(`${account}/${region}/${p[5]}`)
    );
  };
  const merged =
    kind === 'events' ? mergeEvents(old, next, isCrawledPipeline) : mergeCodeBuild(old, next);
  return merged === undefined ? content : renderJsonFile(merged);
}

/** `{"Rules": [...], "Targets": {"<rule>": [...]}}`, by rule name. */
function mergeEvents(
  old: Obj,
  next: Obj,
  isCrawledPipeline: (arn: unknown) => boolean,
): Obj | undefined {
  const oldRules = old['Rules'];
  const oldTargets = old['Targets'] ?? {};
  const newRules = next['Rules'];
  const newTargets = next['Targets'] ?? {};
  if (!Array.isArray(oldRules) || !Array.isArray(newRules)) return undefined;
  if (!isObject(oldTargets) || !isObject(newTargets)) return undefined;
  if (!oldRules.every((r) => nameOf(r, 'Name') !== undefined)) return undefined;
  const replaced = new Set(newRules.flatMap((r) => nameOf(r, 'Name') ?? []));
  const targets: Obj = {};
  const kept = oldRules.filter((r) => {
    const name = nameOf(r, 'Name')!;
    if (replaced.has(name)) return false;
    if (!(name in oldTargets)) return true;
    const list = oldTargets[name];
    if (!Array.isArray(list)) {
      targets[name] = list;
      return true;
    }
    // the crawled pipelines' rules are the new crawl's: an old target of one is gone
    const left = list.filter((t) => !(isObject(t) && isCrawledPipeline(t['Arn'])));
    if (left.length === 0 && list.length > 0) return false;
    targets[name] = left;
    return true;
  });
  Object.assign(targets, newTargets);
  const sortedTargets: Obj = {};
  for (const name of Object.keys(targets).sort()) sortedTargets[name] = targets[name];
  return {
    ...next,
    Rules: [...newRules, ...kept].sort(byName('Name')),
    Targets: sortedTargets,
  };
}

/** batch-get-projects: `{"projects": [...], "projectsNotFound": [...]}`, by project name. */
function mergeCodeBuild(old: Obj, next: Obj): Obj | undefined {
  const oldProjects = old['projects'] ?? [];
  const oldNotFound = old['projectsNotFound'] ?? [];
  const newProjects = next['projects'] ?? [];
  const newNotFound = next['projectsNotFound'] ?? [];
  if (
    !Array.isArray(oldProjects) ||
    !Array.isArray(oldNotFound) ||
    !Array.isArray(newProjects) ||
    !Array.isArray(newNotFound)
  )
    return undefined;
  if (!oldProjects.every((p) => nameOf(p, 'name') !== undefined)) return undefined;
  // what the new crawl says of a name, found or not, replaces what the old file said
  const answered = new Set([
    ...newProjects.flatMap((p) => nameOf(p, 'name') ?? []),
    ...newNotFound.map(String),
  ]);
  const projects = [
    ...newProjects,
    ...oldProjects.filter((p) => !answered.has(nameOf(p, 'name')!)),
  ].sort(byName('name'));
  const notFound = [
    ...new Set([
      ...newNotFound.map(String),
      ...oldNotFound.map(String).filter((n) => !answered.has(n)),
    ]),
  ].sort();
  return { ...next, projects, projectsNotFound: notFound };
}
