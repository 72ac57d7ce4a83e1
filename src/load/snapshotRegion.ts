/**
 * One `<account>/<region>/` folder: pipelines, CodeBuild projects, KMS keys and aliases,
 * Lambda functions, CodeDeploy groups, EventBridge rules, ECR repositories, SNS topics.
 * Each file is the unchanged output of the AWS CLI command named in snapshot-format.md.
 */
import { skipRuleProblem } from './conditionRules.js';
import { join } from 'node:path';
import { isPlaceholder } from '../model/placeholders.js';
import { eventPatternProblem } from './eventPatternShape.js';
import { joinPointer, type Problem } from '../problems.js';
import { isRegionName, partitionOfRegion } from '../model/arn.js';
import { snapshotPath } from '../model/snapshotPath.js';
import {
  actionVariablesProblem,
  keepsValue,
  redactActionEnvironmentVariables,
  variableFault,
  variableType,
} from '../model/environmentVariables.js';
import { LIST_MISSING_PROBLEM, deploymentGroupKey } from '../model/queries.js';
import { holdsVariable, variableReason } from '../model/pipelineVariables.js';
import {
  buildspecReferences,
  namesBuildspec,
  reduceBuildspec,
  REDACTION_MARKER,
} from '../model/buildspec.js';
import type {
  ActionModel,
  ArtifactStoreModel,
  CodeBuildArtifactsModel,
  CodeBuildEnvironmentModel,
  CodeBuildEnvironmentVariableModel,
  CodeBuildLogsModel,
  CodeBuildModel,
  CodeBuildProjectModel,
  CodeBuildSourceModel,
  DeploymentGroupModel,
  EcrRepositoryModel,
  EventRuleModel,
  EventTargetModel,
  EventsModel,
  KmsAliasModel,
  Location,
  KmsGrantModel,
  KmsKeyModel,
  LambdaModel,
  PipelineModel,
  RegionModel,
  SnsTopicModel,
  StageModel,
} from '../model/types.js';
import {
  ARN_SHOWN,
  CODEBUILD_PROJECT_NAME,
  NAME_INVALID,
  PIPELINE_NAME,
  RULE_NAME,
  STAGE_NAME,
  ACTION_NAME,
  invalidName,
  shown,
} from './awsNames.js';
import {
  JsonReader,
  NEXT_TOKEN,
  SHAPE_INVALID,
  describe,
  isObject,
  type JsonObject,
} from './jsonReader.js';
import {
  hasEntry,
  jsonBaseName,
  jsonFilesIn,
  listDir,
  reportJsonExtensionCase,
  reportNameCase,
  readJson,
  realPath,
  reportWrongKind,
  sortedMap,
} from './snapshotFiles.js';
import { compileSnapshotPolicy } from './snapshotPolicy.js';
import { locationWithoutCredentials } from '../model/sourceLocation.js';
import {
  type SnapshotUnknowns,
  placeOf,
  reportDuplicate,
  conflictingPipeline,
  MAX_PER_LEVEL,
  MAX_RULES,
  quotaMessage,
  unsettledAction,
} from './snapshotUnknowns.js';

interface RegionContext {
  readonly root: string;
  readonly account: string;
  readonly region: string;
  readonly partition: string;
  readonly problems: Problem[];
  readonly unknowns: SnapshotUnknowns;
}

export function loadRegion(
  root: string,
  account: string,
  region: string,
  problems: Problem[],
  unknowns: SnapshotUnknowns,
): RegionModel {
  const ctx: RegionContext = {
    root,
    account,
    region,
    partition: partitionOfRegion(region),
    problems,
    unknowns,
  };
  const dir = `${account}/${region}`;
  const entries = listDir(join(root, dir));
  reportNameCase(entries, dir, REGION_ENTRIES, ctx.problems);
  // a folder where the contract names a file, or a file or dangling link where it names a
  // folder, is an input error naming it (snapshotFiles.ts: hasEntry), never read as absent
  const has = (name: string, dirWanted: boolean, what: string): boolean =>
    hasEntry(entries, dir, name, dirWanted, ctx.problems, what);
  const jsonFiles = (folder: string, what: string, each: string): string[] =>
    has(folder, true, what) ? jsonFilesIn(root, `${dir}/${folder}`, ctx.problems, each) : [];

  const pipelines = new Map<string, PipelineModel>();
  for (const name of jsonFiles(
    'codepipeline',
    'which pipelines it holds',
    'the pipeline it holds',
  )) {
    const p = loadPipeline(ctx, `${dir}/codepipeline/${name}.json`, name);
    const first = p && pipelines.get(p.name);
    if (p && first) {
      // one account and region cannot hold two pipelines of one name: one file is stale, and
      // which one is not known, so neither copy's chain is used
      reportDuplicate(ctx.problems, `pipeline \`${p.name}\``, pointAt(first), pointAt(p));
      pipelines.set(
        p.name,
        conflictingPipeline(
          first,
          [first, p].map((x) => `${placeOf(x.location)} (defined more than once)`).join(', '),
        ),
      );
    } else if (p) pipelines.set(p.name, p);
  }

  const kmsDir = has('kms', true, 'which keys and aliases it holds');
  const aliases = kmsDir ? loadAliases(ctx) : undefined;
  const kmsKeys = new Map<string, KmsKeyModel>();
  const kmsFiles = kmsDir
    ? jsonFilesIn(
        root,
        `${dir}/kms`,
        ctx.problems,
        (base) => (base === 'aliases' ? 'the aliases it lists' : 'the key it holds'),
        ['aliases.json'],
      )
    : [];
  for (const name of kmsFiles) {
    if (name === 'aliases') continue;
    const key = loadKmsKey(ctx, `${dir}/kms/${name}.json`, name, aliases);
    if (key) addUnique(ctx, kmsKeys, key.keyId, key, `kms key \`${key.keyId}\``);
  }

  const lambdas = new Map<string, LambdaModel>();
  for (const name of jsonFiles('lambda', 'which functions it holds', 'the function it holds')) {
    const fn = loadLambda(ctx, `${dir}/lambda/${name}.json`, name);
    if (fn) addUnique(ctx, lambdas, fn.name, fn, `lambda function \`${fn.name}\``);
  }

  const deploymentGroups = new Map<string, DeploymentGroupModel>();
  for (const name of jsonFiles(
    'codedeploy',
    'which groups it holds',
    'the deployment group it holds',
  )) {
    const g = loadDeploymentGroup(ctx, `${dir}/codedeploy/${name}.json`, name);
    const key = g && deploymentGroupKey(g.application, g.name);
    if (g && key !== undefined)
      addUnique(ctx, deploymentGroups, key, g, `deployment group \`${key}\``);
  }

  const ecrRepositories = new Map<string, EcrRepositoryModel>();
  const ecr = has('ecr', true, 'which repositories it holds')
    ? jsonFilesDeep(ctx, `${dir}/ecr`)
    : [];
  for (const name of ecr) {
    const repo = loadEcr(ctx, `${dir}/ecr/${name}.json`, name);
    if (repo) addUnique(ctx, ecrRepositories, repo.name, repo, `ecr repository \`${repo.name}\``);
  }

  const snsTopics = new Map<string, SnsTopicModel>();
  for (const name of jsonFiles('sns', 'which topics it holds', 'the topic it holds')) {
    const topic = loadSns(ctx, `${dir}/sns/${name}.json`, name);
    if (topic) addUnique(ctx, snsTopics, topic.name, topic, `sns topic \`${topic.name}\``);
  }

  return {
    name: region,
    account,
    pipelines: sortedMap(pipelines),
    codebuild: has('codebuild.json', false, 'the CodeBuild projects it holds')
      ? loadCodeBuild(ctx)
      : undefined,
    kmsKeys: sortedMap(kmsKeys),
    aliases,
    lambdas: sortedMap(lambdas),
    deploymentGroups: sortedMap(deploymentGroups),
    events: has('events.json', false, 'the EventBridge rules it holds')
      ? loadEvents(ctx, pipelines)
      : undefined,
    ecrRepositories: sortedMap(ecrRepositories),
    snsTopics: sortedMap(snsTopics),
  };
}

/**
 * Add an entity under its key. A second copy under the same key is an input error at both
 * copies, so a lookup of it is missing (model/queries.ts: readable) instead of decided on
 * whichever copy was read first.
 */
function addUnique<T extends { readonly location: Location }>(
  ctx: RegionContext,
  map: Map<string, T>,
  key: string,
  value: T,
  what: string,
): void {
  const first = map.get(key);
  if (first) reportDuplicate(ctx.problems, what, pointAt(first), pointAt(value));
  else map.set(key, value);
}

/** Where an entity is, for a problem: its file and pointer. */
function pointAt(e: { readonly location: Location }): Location {
  return { file: e.location.file, pointer: e.location.pointer };
}

/**
 * The longest ECR repository name: 256 characters, `/` included
 * (https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html#ECR-CreateRepository-request-repositoryName),
 * so a name has at most 128 `/`-separated parts.
 */
const MAX_ECR_NAME = 256;

/** The files and folders of a region folder (snapshot-format.md), as written. */
const REGION_ENTRIES: readonly string[] = [
  'codepipeline',
  'codebuild.json',
  'kms',
  'lambda',
  'codedeploy',
  'events.json',
  'ecr',
  'sns',
];

/**
 * Repository names under `rel` (`ecr/`): ECR names may hold `/` (`team/app`), so the folder is
 * walked as deep as a name can go. A folder whose path is already too long for a name, or that
 * was walked before under another name (a symbolic link: a loop, or two links to one folder,
 * would otherwise be walked without end), is not walked, with a warning naming it.
 */
function jsonFilesDeep(ctx: RegionContext, rel: string): string[] {
  const out: string[] = [];
  const walked = new Map<string, string>();
  const skip = (prefix: string, why: string): void => {
    const folder = prefix.slice(0, -1);
    ctx.problems.push({
      file: `${rel}/${folder}`,
      pointer: '',
      message: `the folder \`${folder}\` is not read: ${why}`,
      id: 'snapshot.folder.skipped',
      severity: 'warning',
    });
  };
  const walk = (prefix: string): void => {
    const real = realPath(join(ctx.root, rel, prefix));
    if (real === undefined) return;
    const before = walked.get(real);
    if (before !== undefined)
      return skip(prefix, `it is the folder \`${before}\` (a link), which is read already`);
    walked.set(real, prefix === '' ? '.' : prefix.slice(0, -1));
    for (const e of listDir(join(ctx.root, rel, prefix))) {
      const sub = `${prefix}${e.name}/`;
      // a name under `sub` is at least one character longer than it
      if (e.isDir && sub.length >= MAX_ECR_NAME)
        skip(sub, `no ECR repository name is longer than ${MAX_ECR_NAME} characters`);
      else if (e.isDir) walk(sub);
      // a folder is a namespace (walked above), whatever its name (`team.JSON/`)
      if (e.isDir) continue;
      const base = jsonBaseName(e.name);
      if (base === undefined) reportJsonExtensionCase(e, `${rel}/${prefix}${e.name}`, ctx.problems);
      else if (e.isFile) out.push(prefix + base);
      // a dangling link: the repository it holds is unknown, not absent
      else
        reportWrongKind(
          ctx.problems,
          `${rel}/${prefix}${e.name}`,
          false,
          'the repository it holds',
        );
    }
  };
  walk('');
  return out;
}

function openObject(
  ctx: RegionContext,
  file: string,
  holdsPolicies = true,
): { r: JsonReader; doc: JsonObject } | undefined {
  const raw = readJson(ctx.root, file, ctx.problems, holdsPolicies);
  if (!raw) return undefined;
  const r = new JsonReader(file, ctx.problems);
  const doc = r.object(raw.value, '');
  return doc ? { r, doc } : undefined;
}

/**
 * A resource policy held in `o[key]` (a JSON string, or an object in hand-made files):
 * null when absent (known: no policy), undefined when it does not compile.
 */
function resourcePolicy(
  ctx: RegionContext,
  r: JsonReader,
  o: JsonObject,
  key: string,
  base: string,
  name: string,
): ReturnType<typeof compileSnapshotPolicy> | null {
  const value = o[key];
  if (value === undefined || value === null) return null;
  return compileSnapshotPolicy(
    value,
    { name, policyType: 'resource', file: r.file, pointer: joinPointer(base, key) },
    ctx.problems,
  );
}

// ---------------------------------------------------------------------------------------------
// CodePipeline: aws codepipeline get-pipeline
// https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_GetPipeline.html

function loadPipeline(
  ctx: RegionContext,
  file: string,
  fileName: string,
): PipelineModel | undefined {
  const opened = openObject(ctx, file, false);
  if (!opened) return undefined;
  const { r, doc } = opened;
  const p = r.reqObject(doc, 'pipeline', '');
  if (!p) return undefined;
  const base = '/pipeline';
  const named = r.reqString(p, 'name', base);
  // a name AWS could not have produced: the file is not a pipeline of the account (awsNames.ts)
  const badName = named === undefined ? undefined : invalidName(named, PIPELINE_NAME);
  if (badName !== undefined) {
    r.report(joinPointer(base, 'name'), `${badName}: the pipeline is not analyzed`, NAME_INVALID);
    return undefined;
  }
  const name = named ?? fileName;
  // the ARN is the pipeline's name in the account and region of its folder: EventBridge targets,
  // baseline entries, --pipeline and supplied artifacts match it. A `metadata.pipelineArn` that
  // says otherwise (a file copied from another pipeline keeps the original's) is not used: a
  // warning naming it, never two pipelines of one ARN
  const arn = `arn:${ctx.partition}:codepipeline:${ctx.region}:${ctx.account}:${name}`;
  const metadata = r.optObject(doc, 'metadata', '');
  const given = metadata && r.optString(metadata, 'pipelineArn', '/metadata');
  if (given !== undefined && given !== arn) {
    r.report(
      '/metadata/pipelineArn',
      `not the ARN of pipeline \`${name}\` in this account and region folder (\`${arn}\`): that ARN is used`,
      'snapshot.codepipeline.arn-mismatch',
      'warning',
    );
  }

  const artifactStores = new Map<string, ArtifactStoreModel>();
  const single = r.optObject(p, 'artifactStore', base);
  if (single) {
    const store = readArtifactStore(ctx, r, single, joinPointer(base, 'artifactStore'), ctx.region);
    if (store) artifactStores.set(ctx.region, store);
  }
  const many = r.optObject(p, 'artifactStores', base);
  if (many) {
    for (const region of Object.keys(many)) {
      const pointer = joinPointer(base, 'artifactStores', region);
      const o = r.object(many[region], pointer);
      const store = o && readArtifactStore(ctx, r, o, pointer, region);
      if (store) artifactStores.set(region, store);
    }
  }
  // "You must include either artifactStore or artifactStores in your pipeline, but you cannot
  // use both" (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_PipelineDeclaration.html):
  // both, or an empty artifactStores, is not what get-pipeline writes, and which store holds the
  // artifacts is not known
  if (single && many) {
    r.report(
      joinPointer(base, 'artifactStores'),
      'a pipeline has `artifactStore` or `artifactStores`, never both: which one holds its artifacts is not known',
      'snapshot.shape.invalid',
    );
    artifactStores.clear();
  } else if (many && Object.keys(many).length === 0)
    r.report(
      joinPointer(base, 'artifactStores'),
      'expected an artifact store for at least one region, got none',
      'snapshot.shape.invalid',
    );
  if (!single && !many)
    r.report(
      base,
      'missing required key `artifactStore` or `artifactStores`',
      'snapshot.shape.invalid',
    );

  // the pipeline role: one of the wrong type is not "no role" but an unknown one, whose links
  // name the pointer
  const rolePointer = joinPointer(base, 'roleArn');
  const roleMark = r.mark();
  let roleArn = r.reqString(p, 'roleArn', base);
  if (roleArn === undefined && r.errorsSince(roleMark).includes(rolePointer)) {
    roleArn = ctx.unknowns.placeholder(
      'role',
      { file, pointer: rolePointer },
      ctx.partition,
      ctx.region,
    );
  }

  return {
    name,
    account: ctx.account,
    region: ctx.region,
    arn,
    roleArn,
    pipelineType: r.optString(p, 'pipelineType', base),
    artifactStores: sortedMap(artifactStores),
    ...(single || many
      ? { artifactStoresPointer: joinPointer(base, many ? 'artifactStores' : 'artifactStore') }
      : {}),
    stages: readStages(ctx, r, p, base),
    location: { file, pointer: base },
  };
}

/**
 * The stages. A stage or action that cannot be read does not vanish from the chain (a stage
 * left out would let the pipeline pass on the others): it becomes an unsettled action, whose one
 * link is Unknown and names what could not be read.
 */
function readStages(ctx: RegionContext, r: JsonReader, p: JsonObject, base: string): StageModel[] {
  const file = r.file;
  const sp = joinPointer(base, 'stages');
  const value = p['stages'];
  if (!Array.isArray(value)) {
    let why = 'not readable';
    if (value === undefined || value === null) {
      r.report(base, 'missing required key `stages`', SHAPE_INVALID);
      why = 'missing';
    } else r.report(sp, `expected an array, got ${describe(value)}`, SHAPE_INVALID);
    const at = { file, pointer: sp };
    const action = unsettledAction('(actions)', at, `${placeOf(at)} (${why})`);
    return [{ name: '(stages)', actions: [action], location: at }];
  }
  // CodePipeline refuses a pipeline of fewer than two stages, and a stage without an action
  // (https://docs.aws.amazon.com/codepipeline/latest/userguide/limits.html): such a file is not
  // what get-pipeline returns, and a pipeline cannot pass on stages that are not there
  if (value.length < 2) {
    r.report(
      sp,
      `${value.length === 0 ? 'no stage' : 'one stage'}: CodePipeline requires at least two stages`,
      SHAPE_INVALID,
    );
  }
  if (value.length === 0) {
    const at = { file, pointer: sp };
    const action = unsettledAction('(actions)', at, `${placeOf(at)} (no stage)`);
    return [{ name: '(stages)', actions: [action], location: at }];
  }
  const stages: StageModel[] = [];
  // CodePipeline refuses more than 50 stages in a pipeline (limits.html, a quota that "cannot be
  // changed"): the stages after the 50th are one unknown stage, not read, so a file of 20,000
  // stages is refused cheaply (each stage read adds its links) and cannot pass
  const overStages = overQuota(r, value, sp, 'stages', 'a pipeline');
  value.slice(0, MAX_PER_LEVEL).forEach((item, i) => {
    const pointer = joinPointer(sp, i);
    const location = { file, pointer };
    const s = r.object(item, pointer);
    if (!s) {
      const why = `${placeOf(location)} (not readable)`;
      stages.push({
        name: `(stage ${i + 1})`,
        actions: [unsettledAction('(actions)', location, why)],
        location,
      });
      return;
    }
    const name = r.reqString(s, 'name', pointer) ?? `(stage ${i + 1})`;
    const badStage = invalidName(name, STAGE_NAME);
    if (badStage !== undefined && typeof s['name'] === 'string')
      r.report(joinPointer(pointer, 'name'), badStage, NAME_INVALID);
    const rules = readConditions(ctx, r, s, pointer);
    const withRules = rules.length > 0 ? { rules } : {};
    const ap = joinPointer(pointer, 'actions');
    const list = s['actions'];
    if (!Array.isArray(list)) {
      let why: string;
      if (list === undefined || list === null) {
        r.report(pointer, 'missing required key `actions`', SHAPE_INVALID);
        why = `${file}#${ap} (missing)`;
      } else {
        r.report(ap, `expected an array, got ${describe(list)}`, SHAPE_INVALID);
        why = `${file}#${ap} (not readable)`;
      }
      stages.push({
        name,
        actions: [unsettledAction('(actions)', location, why)],
        ...withRules,
        location,
      });
      return;
    }
    if (list.length === 0) {
      r.report(
        ap,
        'no action: CodePipeline requires at least one action in a stage',
        SHAPE_INVALID,
      );
      const at = { file, pointer: ap };
      stages.push({
        name,
        actions: [unsettledAction('(actions)', at, `${placeOf(at)} (no action)`)],
        ...withRules,
        location,
      });
      return;
    }
    const actions = list
      .slice(0, MAX_PER_LEVEL)
      .map((a, j) => readAction(ctx, r, a, joinPointer(ap, j), `(action ${j + 1})`));
    // more than 50 actions: CodePipeline refuses the stage, and the actions after the 50th are
    // one unknown action, not read (20,000 copies of an action took 2 GB, and broke the JSON
    // report)
    const over = overQuota(r, list, ap, 'actions', 'a stage');
    if (over) actions.push(over.action);
    stages.push({ name, actions, ...withRules, location });
  });
  if (overStages) {
    const { name, action } = overStages;
    stages.push({ name, actions: [action], location: action.location });
  }
  return stages;
}

/**
 * A list of stages or actions longer than CodePipeline allows: an input error at the list, and
 * one unsettled action that stands for the items after the 50th (they are not read: the file is
 * not what get-pipeline returns, and reading 20,000 of them costs gigabytes). Undefined when the
 * list is within the quota.
 */
function overQuota(
  r: JsonReader,
  list: readonly unknown[],
  pointer: string,
  what: 'stages' | 'actions' | 'conditions' | 'rules',
  of: string,
  max: number = MAX_PER_LEVEL,
  prefix = '',
): { name: string; action: ActionModel } | undefined {
  if (list.length <= max) return undefined;
  r.report(pointer, quotaMessage(list.length, what, of, max), SHAPE_INVALID);
  const at = { file: r.file, pointer: joinPointer(pointer, max) };
  const name = `(${what} ${max + 1} to ${list.length})`;
  const why = `${placeOf(at)} (${what} ${max + 1} to ${list.length}, over CodePipeline's quota of ${max} ${what === 'conditions' && max === 1 ? 'condition' : what} in ${of}: not read)`;
  return {
    name,
    action: unsettledAction(what === 'stages' ? '(actions)' : `${prefix}${name}`, at, why),
  };
}

/** The condition kinds of a stage, in the order their rules are listed (StageModel.rules). */
const CONDITION_KINDS = ['beforeEntry', 'onSuccess', 'onFailure'] as const;

/**
 * The rules of a stage's conditions (`beforeEntry`, `onSuccess`, `onFailure`: `{result?,
 * conditions: [{result?, rules: [RuleDeclaration]}]}`,
 * https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_StageDeclaration.html), each
 * read like an action (readAction). A condition block, condition or rule that cannot be read
 * does not vanish: it becomes an unsettled rule whose one link is Unknown and names it.
 */
function readConditions(
  ctx: RegionContext,
  r: JsonReader,
  s: JsonObject,
  pointer: string,
): ActionModel[] {
  const out: ActionModel[] = [];
  const unreadable = (name: string, at: string): void => {
    const location = { file: r.file, pointer: at };
    out.push(unsettledAction(name, location, `${placeOf(location)} (not readable)`));
  };
  for (const kind of CONDITION_KINDS) {
    const value = s[kind];
    if (value === undefined || value === null) continue;
    const kp = joinPointer(pointer, kind);
    const block = r.object(value, kp);
    if (!block) {
      unreadable(`${kind}/(rules)`, kp);
      continue;
    }
    const cp = joinPointer(kp, 'conditions');
    const conditions = block['conditions'];
    if (conditions === undefined || conditions === null) continue;
    const list = r.array(conditions, cp);
    if (!list) {
      unreadable(`${kind}/(rules)`, cp);
      continue;
    }
    // a condition block has one condition, and a condition 1 to 5 rules
    // (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_BeforeEntryConditions.html,
    // API_SuccessConditions.html, API_FailureConditions.html: "Fixed number of 1 item";
    // API_Condition.html: rules "Maximum number of 5 items"): those after are not read, as for
    // stages and actions (overQuota), so 20,000 rules are refused cheaply
    const extraConditions = overQuota(r, list, cp, 'conditions', `\`${kind}\``, 1, `${kind}/`);
    list.slice(0, 1).forEach((c, i) => {
      const prefix = `${kind}[${i + 1}]`;
      const ip = joinPointer(cp, i);
      const condition = r.object(c, ip);
      if (!condition) return unreadable(`${prefix}/(rules)`, ip);
      // what CodePipeline does when the condition is not met (an entry condition's SKIP skips
      // the stage, and the run goes on: analyze.ts)
      const result = r.optString(condition, 'result', ip);
      const rules = condition['rules'];
      if (rules === undefined || rules === null) return;
      const rp = joinPointer(ip, 'rules');
      const items = r.array(rules, rp);
      if (!items) return unreadable(`${prefix}/(rules)`, rp);
      const extraRules = overQuota(r, items, rp, 'rules', 'a condition', MAX_RULES, `${prefix}/`);
      items.slice(0, MAX_RULES).forEach((item, j) => {
        const rule = readAction(ctx, r, item, joinPointer(rp, j), `(rule ${j + 1})`, { prefix });
        const problem = skipRuleProblem(kind, result, rule);
        if (problem)
          r.report(
            joinPointer(rp, j, 'ruleTypeId', 'provider'),
            problem,
            'snapshot.condition.skip-rule',
            'warning',
          );
        out.push(result === undefined ? rule : { ...rule, conditionResult: result });
      });
      if (extraRules) out.push(extraRules.action);
    });
    if (extraConditions) out.push(extraConditions.action);
  }
  return out;
}

function readArtifactStore(
  ctx: RegionContext,
  r: JsonReader,
  o: JsonObject,
  pointer: string,
  region: string,
): ArtifactStoreModel | undefined {
  const type = r.reqString(o, 'type', pointer);
  const bucket = r.reqString(o, 'location', pointer);
  if (type === undefined || bucket === undefined) return undefined;
  // an encryptionKey that cannot be read is an unknown key, never the default aws/s3: the
  // artifacts may be encrypted with a customer managed key. CodePipeline requires its `id` (1 to
  // 400 characters) and its `type`, whose only valid value is KMS
  // (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_EncryptionKey.html)
  const kp = joinPointer(pointer, 'encryptionKey');
  const mark = r.mark();
  const key = r.optObject(o, 'encryptionKey', pointer);
  let encryptionKey;
  if (key) {
    const id = r.reqString(key, 'id', kp);
    const type = r.reqString(key, 'type', kp);
    const idProblem = id === undefined ? undefined : keyReferenceProblem(id);
    if (idProblem !== undefined) r.report(joinPointer(kp, 'id'), idProblem, SHAPE_INVALID);
    if (type !== undefined && type !== 'KMS')
      r.report(
        joinPointer(kp, 'type'),
        `expected \`KMS\`, got \`${type.slice(0, 40)}\``,
        SHAPE_INVALID,
      );
    if (id !== undefined && idProblem === undefined && type === 'KMS') encryptionKey = { id, type };
  }
  const unread = r.errorsSince(mark).find((e) => e === kp || e.startsWith(`${kp}/`));
  if (encryptionKey === undefined && unread !== undefined) {
    encryptionKey = {
      id: ctx.unknowns.placeholder('key', { file: r.file, pointer: unread }, ctx.partition, region),
      type: 'KMS',
    };
  }
  return { region, type, bucket, encryptionKey, location: { file: r.file, pointer } };
}

/** Fields of an action (or rule) whose errors leave the rest of its chain as it is. */
const ACTION_DETAILS: readonly string[] = ['namespace', 'runOrder', 'timeoutInMinutes'];

/**
 * One action. When the action, or a field that shapes its chain (its type, role, region,
 * configuration or artifacts), cannot be read, the action is unsettled: its links are not
 * decided on a stand-in (a role of the wrong type read as absent would run the action as the
 * pipeline role).
 */
function readAction(
  ctx: RegionContext,
  r: JsonReader,
  value: unknown,
  pointer: string,
  unnamed: string,
  rule?: { readonly prefix: string },
): ActionModel {
  const location = { file: r.file, pointer };
  const o = r.object(value, pointer);
  const named = (n: string): string => (rule ? `${rule.prefix}/${n}` : n);
  if (!o) return unsettledAction(named(unnamed), location, `${placeOf(location)} (not readable)`);
  // a name AWS could not produce is an error, and the action is still analyzed (its name
  // decides no permission): reported before `mark`, so it does not make the action unreadable
  const given = o['name'];
  const badName =
    typeof given === 'string' ? invalidName(given, rule ? RULE_NAME : ACTION_NAME) : undefined;
  if (badName !== undefined) r.report(joinPointer(pointer, 'name'), badName, NAME_INVALID);
  const mark = r.mark();
  const name = r.reqString(o, 'name', pointer);
  // a rule's type is its `ruleTypeId` (category `Rule`), read like an action's `actionTypeId`
  // (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_RuleDeclaration.html)
  const typeKey = rule ? 'ruleTypeId' : 'actionTypeId';
  const typeId = r.reqObject(o, typeKey, pointer);
  const tp = joinPointer(pointer, typeKey);
  const category = typeId && r.reqString(typeId, 'category', tp);
  const owner = typeId && r.reqString(typeId, 'owner', tp);
  const provider = typeId && r.reqString(typeId, 'provider', tp);
  const version = typeId && r.reqString(typeId, 'version', tp);
  // a rule's shell commands do not shape its chain, but one that cannot be read leaves the rule
  // unsettled like any other unreadable field
  if (rule) r.stringList(o, 'commands', pointer);
  // a region AWS could not run an action in (`""`, `US-EAST-1`) is an error: the action's ARNs and
  // keys would be built in it, and its links denied on resources that exist nowhere
  // (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_ActionDeclaration.html: a
  // region of 4 to 30 characters); the action is unsettled, its links Unknown
  const givenRegion = o['region'];
  if (typeof givenRegion === 'string' && !isRegionName(givenRegion))
    r.report(
      joinPointer(pointer, 'region'),
      givenRegion === ''
        ? 'the region is empty: not an AWS region name'
        : `\`${givenRegion.slice(0, 40)}\` is not an AWS region name`,
      'snapshot.action.region-invalid',
    );
  // errors at these pointers are settled by a placeholder (readConfiguration), not by the action
  const settled: string[] = [];
  const action = {
    name: named(name ?? unnamed),
    category: category ?? '',
    owner: owner ?? '',
    provider: provider ?? '',
    version: version ?? '',
    roleArn: r.optString(o, 'roleArn', pointer),
    region: r.optString(o, 'region', pointer),
    namespace: r.optString(o, 'namespace', pointer),
    configuration: readConfiguration(ctx, r, o, pointer, settled),
    inputArtifacts: artifactNames(r, o, 'inputArtifacts', pointer),
    outputArtifacts: artifactNames(r, o, 'outputArtifacts', pointer),
    runOrder: r.optNumber(o, 'runOrder', pointer) ?? 1,
    location,
  };
  const details = ACTION_DETAILS.map((k) => joinPointer(pointer, k));
  const unread = r
    .errorsSince(mark)
    .filter((e) => !details.some((d) => e === d || e.startsWith(`${d}/`)))
    .filter((e) => !settled.includes(e));
  if (unread.length === 0) return action;
  const why = unread.map((e) => `${r.file}#${e} (not readable)`).join(', ');
  return unsettledAction(action.name, location, why);
}

function artifactNames(r: JsonReader, o: JsonObject, key: string, base: string): string[] {
  const out: string[] = [];
  for (const a of r.objectList(o, key, base)) {
    const name = r.reqString(a.value, 'name', a.pointer);
    if (name !== undefined) out.push(name);
  }
  return out;
}

function readConfiguration(
  ctx: RegionContext,
  r: JsonReader,
  o: JsonObject,
  base: string,
  settled: string[],
): Readonly<Record<string, string>> {
  const config = r.optObject(o, 'configuration', base);
  if (!config) return {};
  const cp = joinPointer(base, 'configuration');
  const entries: [string, string][] = [];
  for (const key of Object.keys(config).sort()) {
    const v = config[key];
    const pointer = joinPointer(cp, key);
    if (key === 'EnvironmentVariables' && v !== null && v !== undefined) {
      entries.push([key, actionVariables(ctx, r, v, pointer, settled)]);
      continue;
    }
    let text: string | undefined;
    if (typeof v === 'string') text = v;
    else if (typeof v === 'number' || typeof v === 'boolean') text = String(v);
    else if (v !== null) r.report(pointer, `expected a string, got ${describe(v)}`, SHAPE_INVALID);
    if (text === undefined) continue;
    // a CodePipeline variable is only known at run time: the value is a placeholder whose links
    // name this pointer (src/model/pipelineVariables.ts)
    if (holdsVariable(text)) {
      text = ctx.unknowns.placeholder(
        'name',
        { file: r.file, pointer },
        ctx.partition,
        ctx.region,
        variableReason(text),
      );
    }
    entries.push([key, text]);
  }
  // Object.fromEntries defines own properties, so a `__proto__` key cannot touch the prototype
  return Object.freeze(Object.fromEntries(entries));
}

/**
 * The CodeBuild action's `EnvironmentVariables`: a JSON string of `{name, value, type}`.
 * PLAINTEXT values are often secrets, so they are dropped; PARAMETER_STORE and SECRETS_MANAGER
 * values only name a parameter or secret and are kept (src/model/environmentVariables.ts).
 * A value that cannot be read (not a string, not a JSON list, a type CodeBuild does not
 * document) is an input error and a placeholder, never left out: the parameters and secrets the
 * build reads are unknown, and their links name the pointer (chain: buildReferences). Its pointer
 * is added to `settled`: the rest of the action is still read.
 */
function actionVariables(
  ctx: RegionContext,
  r: JsonReader,
  v: unknown,
  pointer: string,
  settled: string[],
): string {
  const problem =
    typeof v === 'string'
      ? actionVariablesProblem(v)
      : `expected a json string of \`{name, value, type}\` objects, got ${describe(v)}`;
  const redacted =
    problem === undefined && typeof v === 'string'
      ? redactActionEnvironmentVariables(v)
      : undefined;
  if (redacted === undefined) {
    r.report(
      pointer,
      `${problem ?? 'not readable'}: the parameters and secrets the build reads are unknown`,
      'snapshot.codepipeline.environment-variables-invalid',
    );
    settled.push(pointer);
    return ctx.unknowns.placeholder('name', { file: r.file, pointer }, ctx.partition, ctx.region);
  }
  // a CodePipeline variable is only known at run time: the value is a placeholder whose links
  // name this pointer (src/model/pipelineVariables.ts)
  if (holdsVariable(redacted)) {
    return ctx.unknowns.placeholder(
      'name',
      { file: r.file, pointer },
      ctx.partition,
      ctx.region,
      variableReason(redacted),
    );
  }
  return redacted;
}

// ---------------------------------------------------------------------------------------------
// CodeBuild: aws codebuild batch-get-projects
// https://docs.aws.amazon.com/codebuild/latest/APIReference/API_Project.html

function loadCodeBuild(ctx: RegionContext): CodeBuildModel | undefined {
  const file = snapshotPath.codebuild(ctx.account, ctx.region);
  const opened = openObject(ctx, file, false);
  if (!opened) return undefined;
  const { r, doc } = opened;
  // `projects` that is not a list (an input error at `/projects`): which projects the file
  // holds is not known, as without the file (undefined), never "none"
  // (batch-get-projects always writes it; absent or null, the file says nothing of any project)
  if (doc['projects'] === undefined || doc['projects'] === null) {
    r.report(
      '/projects',
      doc['projects'] === null
        ? 'expected an array (batch-get-projects output), got null'
        : 'missing required key `projects` (batch-get-projects output)',
      'snapshot.shape.invalid',
    );
    return undefined;
  }
  const mark = r.mark();
  const listed = r.objectList(doc, 'projects', '');
  if (r.errorsSince(mark).includes('/projects')) return undefined;
  const projects = new Map<string, CodeBuildProjectModel>();
  for (const { value, pointer } of listed) {
    const project = readProject(ctx, r, value, pointer);
    if (project)
      addUnique(ctx, projects, project.name, project, `codebuild project \`${project.name}\``);
  }
  return {
    projects: sortedMap(projects),
    notFound: [...new Set(r.stringList(doc, 'projectsNotFound', ''))].sort(),
    location: { file, pointer: '' },
  };
}

/**
 * A reference to a KMS key as CodeBuild and CodePipeline take one: a key id, a key ARN, an alias
 * ARN, or `alias/<name>` (https://docs.aws.amazon.com/codebuild/latest/APIReference/API_Project.html#CodeBuild-Type-Project-encryptionKey,
 * https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_EncryptionKey.html). Checked
 * loosely: what is refused is text that is none of them (a quoted ARN, a sentence).
 */
const KEY_REFERENCE =
  /^(?:arn:[a-z0-9-]+:kms:[a-z0-9-]*:\d{12}:(?:key|alias)\/[A-Za-z0-9:/_-]+|alias\/[A-Za-z0-9:/_-]+|[A-Za-z0-9-]+)$/;

/** Why `text` is no KMS key reference (KEY_REFERENCE), or undefined when it is one. */
function keyReferenceProblem(text: string): string | undefined {
  if (KEY_REFERENCE.test(text)) return undefined;
  return `expected a key id, key ARN, alias ARN or \`alias/<name>\`, got ${text === '' ? 'an empty string' : shown(text, ARN_SHOWN)}`;
}

/**
 * A project's `encryptionKey`: absent, CodeBuild uses the AWS managed key for S3. One that cannot
 * be read (not a string, not a key reference) is an unknown key, never that default: the
 * output may be encrypted with a customer managed key.
 */
function readProjectKey(
  ctx: RegionContext,
  r: JsonReader,
  o: JsonObject,
  pointer: string,
): string | undefined {
  const value = o['encryptionKey'];
  if (value === undefined || value === null) return undefined;
  const at = joinPointer(pointer, 'encryptionKey');
  const problem =
    typeof value === 'string'
      ? keyReferenceProblem(value)
      : `expected a string (a key id, key ARN or alias), got ${describe(value)}`;
  if (problem === undefined) return value as string;
  r.report(at, problem, SHAPE_INVALID);
  return ctx.unknowns.placeholder('key', { file: r.file, pointer: at }, ctx.partition, ctx.region);
}

function readProject(
  ctx: RegionContext,
  r: JsonReader,
  o: JsonObject,
  pointer: string,
): CodeBuildProjectModel | undefined {
  const name = r.reqString(o, 'name', pointer);
  if (name === undefined) return undefined;
  // a name CodeBuild could not have produced: the project is not read, so what uses it is
  // unknown (awsNames.ts)
  const badName = invalidName(name, CODEBUILD_PROJECT_NAME);
  if (badName !== undefined) {
    r.report(joinPointer(pointer, 'name'), `${badName}: the project is not read`, NAME_INVALID);
    return undefined;
  }
  const sub = (key: string): { o: JsonObject; p: string } | undefined => {
    const v = r.optObject(o, key, pointer);
    return v ? { o: v, p: joinPointer(pointer, key) } : undefined;
  };
  const env = sub('environment');
  // every project has an environment: CodeBuild requires one to create it
  // (https://docs.aws.amazon.com/codebuild/latest/APIReference/API_CreateProject.html#CodeBuild-CreateProject-request-environment)
  // and batch-get-projects returns it. A project without one is an input error, so the project
  // is unknown (model/queries.ts: readable), never one whose build reads no parameter or secret
  // and pulls no image
  if (o['environment'] === undefined || o['environment'] === null)
    r.report(
      pointer,
      'missing required key `environment`: the build environment is unknown',
      SHAPE_INVALID,
    );
  // and a service role (CreateProject requires `serviceRole`): without it the role the builds
  // run as is unknown, an input error naming the project, never a project of no role
  if (o['serviceRole'] === undefined || o['serviceRole'] === null)
    r.report(
      pointer,
      'missing required key `serviceRole`: the build role is unknown',
      SHAPE_INVALID,
    );
  const source = sub('source');
  const artifacts = sub('artifacts');
  const logs = sub('logsConfig');
  const vpc = sub('vpcConfig');
  return {
    name,
    arn:
      r.optString(o, 'arn', pointer) ??
      `arn:${ctx.partition}:codebuild:${ctx.region}:${ctx.account}:project/${name}`,
    account: ctx.account,
    region: ctx.region,
    serviceRole: r.optString(o, 'serviceRole', pointer),
    encryptionKey: readProjectKey(ctx, r, o, pointer),
    environment: env && readEnvironment(ctx, r, env.o, env.p),
    source: source && {
      ...readSource(r, source.o, source.p),
      ...readBuildspec(ctx, r, source.o, source.p),
    },
    secondarySources: r
      .objectList(o, 'secondarySources', pointer)
      .map((s) => readSource(r, s.value, s.pointer)),
    artifacts: artifacts && readArtifacts(r, artifacts.o, artifacts.p),
    secondaryArtifacts: r
      .objectList(o, 'secondaryArtifacts', pointer)
      .map((a) => readArtifacts(r, a.value, a.pointer)),
    logsConfig: logs && readLogs(r, logs.o, logs.p),
    vpcConfig: vpc && {
      vpcId: r.optString(vpc.o, 'vpcId', vpc.p),
      subnets: r.stringList(vpc.o, 'subnets', vpc.p),
      securityGroupIds: r.stringList(vpc.o, 'securityGroupIds', vpc.p),
    },
    ...readBatchConfig(r, o, pointer),
    location: { file: r.file, pointer },
  };
}

/**
 * The project's `buildBatchConfig` and its batch service role
 * (https://docs.aws.amazon.com/codebuild/latest/APIReference/API_ProjectBuildBatchConfig.html).
 * One of the wrong type is an input error, which leaves the whole project unreadable.
 */
function readBatchConfig(
  r: JsonReader,
  o: JsonObject,
  pointer: string,
): Pick<CodeBuildProjectModel, 'buildBatchConfig'> {
  const batch = r.optObject(o, 'buildBatchConfig', pointer);
  if (!batch) return {};
  const p = joinPointer(pointer, 'buildBatchConfig');
  const role = r.optString(batch, 'serviceRole', p);
  return {
    buildBatchConfig: {
      serviceRole: role === '' ? undefined : role,
      location: { file: r.file, pointer: p },
    },
  };
}

function readEnvironment(
  ctx: RegionContext,
  r: JsonReader,
  o: JsonObject,
  p: string,
): CodeBuildEnvironmentModel {
  const cred = r.optObject(o, 'registryCredential', p);
  const cp = joinPointer(p, 'registryCredential');
  const credential = cred && r.reqString(cred, 'credential', cp);
  const variables: CodeBuildEnvironmentVariableModel[] = [];
  // a variable CodeBuild would not take (variableFault: not an object, no string `name`, a type
  // it does not document such as `parameter_store`, a PARAMETER_STORE or SECRETS_MANAGER one
  // without a string `value`) is an input error, and the parameters and secrets the build reads
  // are unknown, naming the first such place: never read as no read at all
  // (https://docs.aws.amazon.com/codebuild/latest/APIReference/API_EnvironmentVariable.html)
  let unknownVariables: string | undefined;
  const unknownAt = (pointer: string): void => {
    unknownVariables ??= ctx.unknowns.placeholder(
      'name',
      { file: r.file, pointer },
      ctx.partition,
      ctx.region,
    );
  };
  const lp = joinPointer(p, 'environmentVariables');
  const mark = r.mark();
  const list = r.optArray(o, 'environmentVariables', p);
  if (r.errorsSince(mark).includes(lp)) unknownAt(lp);
  (list ?? []).forEach((v, i) => {
    const vp = joinPointer(lp, i);
    const fault = variableFault(v);
    if (fault !== undefined) {
      // the key at fault when it is there, else the variable (as for a missing required key)
      const at =
        fault.key !== undefined &&
        isObject(v) &&
        v[fault.key] !== undefined &&
        v[fault.key] !== null
          ? joinPointer(vp, fault.key)
          : vp;
      r.report(
        at,
        `${fault.message}: the parameters and secrets the build reads are unknown`,
        SHAPE_INVALID,
      );
      unknownAt(at);
      return;
    }
    const variable = v as JsonObject;
    const name = variable['name'] as string;
    const type = variableType(variable);
    // never read a PLAINTEXT value: it is often a secret (see CodeBuildEnvironmentVariableModel)
    const reference = keepsValue(variable) ? (variable['value'] as string) : undefined;
    variables.push({ name, type, reference });
  });
  return {
    type: r.optString(o, 'type', p),
    image: r.optString(o, 'image', p),
    computeType: r.optString(o, 'computeType', p),
    imagePullCredentialsType: r.optString(o, 'imagePullCredentialsType', p),
    privilegedMode: r.optBool(o, 'privilegedMode', p),
    registryCredential:
      cred && credential !== undefined
        ? {
            credential,
            credentialProvider: r.optString(cred, 'credentialProvider', cp) ?? 'SECRETS_MANAGER',
          }
        : undefined,
    environmentVariables: variables,
    ...(unknownVariables !== undefined ? { environmentVariablesUnknown: unknownVariables } : {}),
  };
}

function readSource(r: JsonReader, o: JsonObject, p: string): CodeBuildSourceModel {
  const auth = r.optObject(o, 'auth', p);
  const ap = joinPointer(p, 'auth');
  const resource = auth && r.optString(auth, 'resource', ap);
  return {
    type: r.optString(o, 'type', p),
    location: locationWithoutCredentials(r.optString(o, 'location', p)),
    sourceIdentifier: r.optString(o, 'sourceIdentifier', p),
    authType: auth && r.optString(auth, 'type', ap),
    // an OAUTH `resource` can be a token: keep it only when it is an ARN
    authResource: resource !== undefined && resource.startsWith('arn:') ? resource : undefined,
  };
}

/**
 * The primary source's `buildspec` (https://docs.aws.amazon.com/codebuild/latest/APIReference/API_ProjectSource.html):
 * a file name or S3 ARN stays; an inline buildspec is kept reduced to the env sections that name
 * parameters and secrets (model/buildspec.ts). One that cannot be read, is not a string, or is
 * the crawler's redaction marker (written where the crawler could not read it) is a placeholder
 * whose links name this pointer: what the build reads is not known.
 */
function readBuildspec(
  ctx: RegionContext,
  r: JsonReader,
  o: JsonObject,
  p: string,
): { buildspec?: string } {
  const pointer = joinPointer(p, 'buildspec');
  const v = Object.prototype.hasOwnProperty.call(o, 'buildspec') ? o['buildspec'] : undefined;
  if (v === undefined || v === null || v === '') return {};
  const unknown = (reason: string): { buildspec: string } => ({
    buildspec: ctx.unknowns.placeholder(
      'name',
      { file: r.file, pointer },
      ctx.partition,
      ctx.region,
      reason,
    ),
  });
  if (typeof v !== 'string') {
    r.report(pointer, `expected a string, got ${describe(v)}`, SHAPE_INVALID);
    return unknown('not readable');
  }
  if (v === REDACTION_MARKER) {
    return unknown(
      'the crawler could not read this inline buildspec and redacted it, so the parameters and secrets it names are not known',
    );
  }
  if (namesBuildspec(v)) return { buildspec: v };
  const refs = buildspecReferences(v);
  const reduced = refs.ok ? reduceBuildspec(v, REDACTION_MARKER) : undefined;
  if (reduced === undefined) {
    const why = `the inline buildspec cannot be read (${refs.ok ? 'it could not be reduced' : refs.reason}), so the parameters and secrets it names are not known`;
    r.report(pointer, why, 'snapshot.codebuild.buildspec-invalid', 'warning');
    return unknown(why);
  }
  return { buildspec: reduced };
}

/**
 * A project's `artifacts` or secondary artifact
 * (https://docs.aws.amazon.com/codebuild/latest/APIReference/API_ProjectArtifacts.html): with
 * `path`, `name`, `namespaceType`, `packaging` and `overrideArtifactName`, which make the key of
 * an S3 artifact's objects. One of the wrong type is an input error at its pointer, which leaves
 * the whole project unreadable.
 */
function readArtifacts(r: JsonReader, o: JsonObject, p: string): CodeBuildArtifactsModel {
  const path = r.optString(o, 'path', p);
  const name = r.optString(o, 'name', p);
  const namespaceType = r.optString(o, 'namespaceType', p);
  const packaging = r.optString(o, 'packaging', p);
  const overrideArtifactName = r.optBool(o, 'overrideArtifactName', p);
  // READ_ONLY or FULL make the service role need s3:PutBucketAcl
  // (https://docs.aws.amazon.com/codebuild/latest/APIReference/API_ProjectArtifacts.html)
  const bucketOwnerAccess = r.optString(o, 'bucketOwnerAccess', p);
  return {
    type: r.optString(o, 'type', p),
    location: r.optString(o, 'location', p),
    artifactIdentifier: r.optString(o, 'artifactIdentifier', p),
    encryptionDisabled: r.optBool(o, 'encryptionDisabled', p),
    ...(path !== undefined ? { path } : {}),
    ...(name !== undefined ? { name } : {}),
    ...(namespaceType !== undefined ? { namespaceType } : {}),
    ...(packaging !== undefined ? { packaging } : {}),
    ...(overrideArtifactName !== undefined ? { overrideArtifactName } : {}),
    ...(bucketOwnerAccess !== undefined ? { bucketOwnerAccess } : {}),
  };
}

function readLogs(r: JsonReader, o: JsonObject, p: string): CodeBuildLogsModel {
  const cw = r.optObject(o, 'cloudWatchLogs', p);
  const cwp = joinPointer(p, 'cloudWatchLogs');
  const s3 = r.optObject(o, 's3Logs', p);
  const s3p = joinPointer(p, 's3Logs');
  return {
    cloudWatchLogs: cw && {
      status: r.optString(cw, 'status', cwp),
      groupName: r.optString(cw, 'groupName', cwp),
      streamName: r.optString(cw, 'streamName', cwp),
    },
    s3Logs: s3 && {
      status: r.optString(s3, 'status', s3p),
      location: r.optString(s3, 'location', s3p),
      encryptionDisabled: r.optBool(s3, 'encryptionDisabled', s3p),
      // READ_ONLY or FULL make the service role need s3:PutBucketAcl
      // (https://docs.aws.amazon.com/codebuild/latest/APIReference/API_S3LogsConfig.html)
      bucketOwnerAccess: r.optString(s3, 'bucketOwnerAccess', s3p),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// KMS: describe-key + get-key-policy (+ list-grants), and list-aliases
// https://docs.aws.amazon.com/kms/latest/APIReference/API_KeyMetadata.html

/** What KMS list commands write when there is more: the API's flag and marker, the CLI's token. */
const KMS_PAGE_MARKERS = ['Truncated', 'NextMarker', ...NEXT_TOKEN];

function loadAliases(ctx: RegionContext): ReadonlyMap<string, KmsAliasModel> | undefined {
  const file = snapshotPath.kmsAliases(ctx.account, ctx.region);
  if (
    !listDir(join(ctx.root, ctx.account, ctx.region, 'kms')).some(
      (e) => e.name === 'aliases.json' && e.isFile,
    )
  ) {
    return undefined;
  }
  const opened = openObject(ctx, file, false);
  if (!opened) return undefined;
  const { r, doc } = opened;
  // the output of `aws kms list-aliases` holds the aliases in `Aliases`, a list
  // (https://docs.aws.amazon.com/kms/latest/APIReference/API_ListAliases.html#API_ListAliases_ResponseSyntax):
  // a file without it, or with something else there, is an error, and the aliases of the region
  // are unknown, as when the file is absent (undefined: an alias lookup is missing, naming the
  // file, never "no such alias"); an empty map would say "known: none"
  if (doc['Aliases'] === undefined) {
    r.report('', 'missing required key `Aliases`', 'snapshot.shape.invalid');
    return undefined;
  }
  if (doc['Aliases'] === null) {
    r.report('/Aliases', 'expected an array, got null', 'snapshot.shape.invalid');
    return undefined;
  }
  if (r.optArray(doc, 'Aliases', '') === undefined) return undefined;
  const aliases = new Map<string, KmsAliasModel>();
  for (const { value, pointer } of r.objectList(doc, 'Aliases', '')) {
    const name = r.reqString(value, 'AliasName', pointer);
    if (name === undefined) continue;
    const alias = {
      name,
      arn: r.optString(value, 'AliasArn', pointer),
      targetKeyId: r.optString(value, 'TargetKeyId', pointer),
      location: { file, pointer },
    };
    addUnique(ctx, aliases, name, alias, `kms alias \`${name}\``);
  }
  // the API says `Truncated` and gives a `NextMarker`; the AWS CLI writes `NextToken` when
  // `--max-items` cuts the output
  // (https://docs.aws.amazon.com/kms/latest/APIReference/API_ListAliases.html)
  r.truncated(
    doc,
    KMS_PAGE_MARKERS,
    '/Aliases',
    'an alias not listed is unknown, not known not to exist; run `aws kms list-aliases` without `--max-items` or `--no-paginate`',
  );
  return sortedMap(aliases);
}

function loadKmsKey(
  ctx: RegionContext,
  file: string,
  fileName: string,
  aliases: ReadonlyMap<string, KmsAliasModel> | undefined,
): KmsKeyModel | undefined {
  const opened = openObject(ctx, file);
  if (!opened) return undefined;
  const { r, doc } = opened;
  const meta = r.optObject(doc, 'KeyMetadata', '');
  const mp = '/KeyMetadata';
  const keyId = (meta && r.reqString(meta, 'KeyId', mp)) ?? fileName;
  const arn =
    (meta && r.optString(meta, 'Arn', mp)) ??
    `arn:${ctx.partition}:kms:${ctx.region}:${ctx.account}:key/${keyId}`;
  // the file is named after its key (`kms/<key-id>.json`, snapshot-format.md): a file whose
  // describe-key output is another key's was copied or renamed, and links to the key it is named
  // after would silently find nothing
  if (keyId !== fileName) {
    r.report(
      `${mp}/KeyId`,
      `the file is named after key ${shown(fileName, ARN_SHOWN)} and describes key ${shown(keyId, ARN_SHOWN)}: which one it holds is not known; name the file after its KeyId`,
      'snapshot.kms.key-id-mismatch',
    );
  } else if (!arn.endsWith(`:key/${keyId}`)) {
    r.report(
      `${mp}/Arn`,
      `the key's Arn ${shown(arn, ARN_SHOWN)} does not end in its KeyId ${shown(keyId, ARN_SHOWN)}`,
      'snapshot.kms.key-id-mismatch',
    );
  }
  const manager = meta && r.optString(meta, 'KeyManager', mp);
  let policy;
  if (doc['Policy'] === undefined || doc['Policy'] === null) {
    // Every key has a key policy, so this is an incomplete file, not "no policy".
    // https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html
    r.report(
      '',
      'the key file has no `Policy`: the key policy is unknown; merge `aws kms get-key-policy --policy-name default`',
      'snapshot.kms.policy-missing',
      'warning',
    );
  } else {
    policy = compileSnapshotPolicy(
      doc['Policy'],
      { name: arn, policyType: 'key', file, pointer: '/Policy' },
      ctx.problems,
    );
  }
  let grants: KmsGrantModel[] | undefined;
  // a grant list cut short is not the key's grants: unknown, like no `Grants` at all
  // (https://docs.aws.amazon.com/kms/latest/APIReference/API_ListGrants.html)
  const grantsCut =
    doc['Grants'] !== undefined &&
    doc['Grants'] !== null &&
    r.truncated(
      doc,
      KMS_PAGE_MARKERS,
      '/Grants',
      'the grants of the key are unknown; merge every page of `aws kms list-grants`',
    );
  if (doc['Grants'] !== undefined && doc['Grants'] !== null && !grantsCut) {
    grants = [];
    for (const g of r.objectList(doc, 'Grants', '')) {
      const constraints = r.optObject(g.value, 'Constraints', g.pointer);
      const cp = joinPointer(g.pointer, 'Constraints');
      grants.push({
        grantId: r.optString(g.value, 'GrantId', g.pointer),
        name: r.optString(g.value, 'Name', g.pointer),
        granteePrincipal: r.optString(g.value, 'GranteePrincipal', g.pointer),
        retiringPrincipal: r.optString(g.value, 'RetiringPrincipal', g.pointer),
        operations: r.stringList(g.value, 'Operations', g.pointer),
        encryptionContextEquals:
          constraints && r.stringMap(constraints, 'EncryptionContextEquals', cp),
        encryptionContextSubset:
          constraints && r.stringMap(constraints, 'EncryptionContextSubset', cp),
        location: { file, pointer: g.pointer },
      });
    }
  }
  const keyAliases: string[] = [];
  for (const alias of aliases?.values() ?? []) {
    if (alias.targetKeyId === keyId || alias.targetKeyId === arn) keyAliases.push(alias.name);
  }
  const keyState = meta && r.optString(meta, 'KeyState', mp);
  const enabled = meta && r.optBool(meta, 'Enabled', mp);
  return {
    keyId,
    arn,
    account: ctx.account,
    region: ctx.region,
    policy,
    keyManager: manager === 'AWS' || manager === 'CUSTOMER' ? manager : undefined,
    // CustomerMasterKeySpec is the deprecated name of KeySpec
    keySpec:
      meta && (r.optString(meta, 'KeySpec', mp) ?? r.optString(meta, 'CustomerMasterKeySpec', mp)),
    keyUsage: meta && r.optString(meta, 'KeyUsage', mp),
    keyState,
    enabled,
    multiRegion: meta && r.optBool(meta, 'MultiRegion', mp),
    aliases: keyAliases,
    grants,
    location: { file, pointer: '' },
    policyLocation: { file, pointer: '/Policy' },
    stateLocation: {
      file,
      pointer:
        keyState === undefined && enabled !== undefined
          ? '/KeyMetadata/Enabled'
          : '/KeyMetadata/KeyState',
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Lambda: get-function merged with get-policy

function loadLambda(ctx: RegionContext, file: string, fileName: string): LambdaModel | undefined {
  const opened = openObject(ctx, file);
  if (!opened) return undefined;
  const { r, doc } = opened;
  const config = r.optObject(doc, 'Configuration', '');
  const cp = '/Configuration';
  const name = (config && r.optString(config, 'FunctionName', cp)) ?? fileName;
  const arn =
    (config && r.optString(config, 'FunctionArn', cp)) ??
    `arn:${ctx.partition}:lambda:${ctx.region}:${ctx.account}:function:${name}`;
  // only identifiers are read from Configuration: `Environment.Variables` may hold secrets
  return {
    name,
    arn,
    account: ctx.account,
    region: ctx.region,
    role: config && r.optString(config, 'Role', cp),
    policy: resourcePolicy(ctx, r, doc, 'Policy', '', arn),
    location: { file, pointer: '' },
  };
}

// ---------------------------------------------------------------------------------------------
// CodeDeploy: get-deployment-group

function loadDeploymentGroup(
  ctx: RegionContext,
  file: string,
  fileName: string,
): DeploymentGroupModel | undefined {
  const opened = openObject(ctx, file, false);
  if (!opened) return undefined;
  const { r, doc } = opened;
  const info = r.reqObject(doc, 'deploymentGroupInfo', '');
  if (!info) return undefined;
  const p = '/deploymentGroupInfo';
  // the file name is `<app>.<group>`; the content is authoritative (names may hold dots)
  const dot = fileName.indexOf('.');
  const application =
    r.optString(info, 'applicationName', p) ?? (dot > 0 ? fileName.slice(0, dot) : fileName);
  const name =
    r.optString(info, 'deploymentGroupName', p) ?? (dot > 0 ? fileName.slice(dot + 1) : fileName);
  return {
    application,
    name,
    account: ctx.account,
    region: ctx.region,
    serviceRoleArn: r.optString(info, 'serviceRoleArn', p),
    computePlatform: r.optString(info, 'computePlatform', p),
    deploymentConfigName: r.optString(info, 'deploymentConfigName', p),
    location: { file, pointer: p },
  };
}

// ---------------------------------------------------------------------------------------------
// EventBridge: list-rules merged with list-targets-by-rule per rule
// https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_ListRules.html

/**
 * The name of the rule that stands for the rules a truncated `Rules` leaves out. EventBridge
 * rule names are `[.\-_A-Za-z0-9]+`
 * (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html), so no real
 * rule has it.
 */
export const UNLISTED_RULES = '(rules not listed)';

function loadEvents(
  ctx: RegionContext,
  pipelines: ReadonlyMap<string, PipelineModel>,
): EventsModel | undefined {
  const file = snapshotPath.events(ctx.account, ctx.region);
  const opened = openObject(ctx, file, false);
  if (!opened) return undefined;
  const { r, doc } = opened;
  // `Rules` that is not a list (an input error at `/Rules`) lists no rule, yet the region may
  // have some, and one may start a pipeline on a schedule or on its source's changes: the rules
  // are unknown, as without the file (undefined), never "none"
  // `aws events list-rules` always writes `Rules` (empty when there is none): a file without it
  // is not that output, and its rules are unknown too
  if (doc['Rules'] === undefined || doc['Rules'] === null) {
    r.report(
      '/Rules',
      'the file has no `Rules`: the rules of the region are unknown; merge the output of `aws events list-rules`',
      LIST_MISSING_PROBLEM,
      'warning',
    );
    return undefined;
  }
  const mark = r.mark();
  const listed = r.objectList(doc, 'Rules', '');
  const listErrors = r.errorsSince(mark);
  if (listErrors.includes('/Rules')) return undefined;
  // a rule that could not be read (not an object, no readable Name) may be one that starts a
  // pipeline of the region, as a rule a truncated list leaves out: the first one's pointer
  let unreadRule = listErrors.find((p) => p.startsWith('/Rules/'));
  const targets = r.optObject(doc, 'Targets', '');
  const rules = new Map<string, EventRuleModel>();
  // the rules listed more than once: whether a copy has a schedule, a pattern
  const twice = new Map<string, { scheduled: boolean; patterned: boolean }>();
  const given = (v: string | undefined): boolean => v !== undefined && v !== '';
  for (const { value, pointer } of listed) {
    const name = r.reqString(value, 'Name', pointer);
    if (name === undefined) {
      unreadRule ??= pointer;
      continue;
    }
    const first = rules.get(name);
    if (first) {
      // A rule name is unique in its event bus (API_PutRule above): two entries of one name are
      // a stale copy or rules of two buses, and which one's state, pattern and targets
      // (`Targets` is by name) are real is not known. No copy is used: the rule's links are
      // unknown, naming the copies (conflictingRule)
      reportDuplicate(ctx.problems, `events rule \`${name}\``, pointAt(first), {
        file,
        pointer,
      });
      const seen = twice.get(name) ?? {
        scheduled: given(first.scheduleExpression),
        patterned: given(first.eventPattern),
      };
      twice.set(name, {
        scheduled: seen.scheduled || given(r.optString(value, 'ScheduleExpression', pointer)),
        patterned: seen.patterned || given(r.optString(value, 'EventPattern', pointer)),
      });
      continue;
    }
    let ruleTargets: EventTargetModel[] | undefined;
    // a target that cannot be read in full (not an object, an Arn or RoleArn of the wrong type)
    // may be the one that starts a pipeline, with its role: the rule's targets are not known, as
    // without its entry in Targets (the chain names the entry), never decided on the targets
    // that were read (a RoleArn of the wrong type was read as no role: a wrong denial)
    if (targets && Object.prototype.hasOwnProperty.call(targets, name)) {
      ruleTargets = [];
      const tp = joinPointer('/Targets', name);
      const targetsMark = r.mark();
      const list = r.array(targets[name], tp) ?? [];
      list.forEach((item, i) => {
        const ip = joinPointer(tp, i);
        const t = r.object(item, ip);
        const arn = t && r.reqString(t, 'Arn', ip);
        // Input / InputTransformer are not read: they may hold secrets
        if (t && arn !== undefined) {
          ruleTargets!.push({
            id: r.optString(t, 'Id', ip),
            arn,
            roleArn: r.optString(t, 'RoleArn', ip),
            location: { file, pointer: ip },
          });
        }
      });
      if (r.errorsSince(targetsMark).some((at) => at === tp || at.startsWith(`${tp}/`)))
        ruleTargets = undefined;
    }
    // a State that cannot be read is not "enabled" but unknown: the rule may be DISABLED, and its
    // trigger links are Unknown, naming the pointer (chain: unsettledRule)
    const stateMark = r.mark();
    const statePointer = joinPointer(pointer, 'State');
    let state = r.optString(value, 'State', pointer);
    if (state === undefined && r.errorsSince(stateMark).includes(statePointer))
      state = ctx.unknowns.placeholder(
        'name',
        { file, pointer: statePointer },
        ctx.partition,
        ctx.region,
      );
    // a ScheduleExpression or EventPattern present but not a string is an input error (optString
    // reports it at its pointer) and a placeholder, as an unreadable State: the rule may run on a
    // schedule or match a source's changes, so its links are Unknown naming the pointer, never
    // dropped as if the rule had none
    let unread: string | undefined;
    const readOrPlaceholder = (key: string): string | undefined => {
      const mark = r.mark();
      const at = joinPointer(pointer, key);
      const v = r.optString(value, key, pointer);
      if (v !== undefined || !r.errorsSince(mark).includes(at)) return v;
      const open = ctx.unknowns.placeholder(
        'name',
        { file, pointer: at },
        ctx.partition,
        ctx.region,
      );
      unread ??= open;
      return open;
    };
    const eventPattern = checkedPattern(
      ctx,
      r,
      readOrPlaceholder('EventPattern'),
      joinPointer(pointer, 'EventPattern'),
    );
    const scheduleExpression = readOrPlaceholder('ScheduleExpression');
    // the chain leaves a rule's links Unknown by its state (unsettledRule): an enabled rule with
    // an unreadable schedule or pattern gets that placeholder as its state too (as conflictingRule)
    if (unread !== undefined && state !== 'DISABLED') state = unread;
    const eventBusName = r.optString(value, 'EventBusName', pointer);
    rules.set(name, {
      name,
      // a rule listed without its Arn has the ARN AWS gives every rule: its account, Region,
      // event bus (but the default one) and name, `arn:aws:events:<region>:<account>:rule/[<bus>/]<name>`
      // (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoneventbridge.html#amazoneventbridge-resources-for-iam-policies)
      arn: r.optString(value, 'Arn', pointer) ?? ruleArn(ctx, eventBusName, name),
      state,
      eventBusName,
      eventPattern,
      scheduleExpression,
      targets: ruleTargets,
      location: { file, pointer },
    });
  }
  for (const [name, copies] of twice)
    rules.set(name, conflictingRule(ctx, rules.get(name)!, copies));

  const cut = r.truncated(
    doc,
    NEXT_TOKEN,
    '/Rules',
    'a rule not listed may start a pipeline of the region, so its trigger is unknown; run `aws events list-rules` without `--max-items` or `--no-paginate`',
  );
  if ((cut || unreadRule !== undefined) && pipelines.size > 0)
    rules.set(
      UNLISTED_RULES,
      cut
        ? unlistedRules(ctx, file, pipelines)
        : unlistedRules(
            ctx,
            file,
            pipelines,
            unreadRule,
            'not readable: it may start the pipeline',
          ),
    );
  return { rules: sortedMap(rules), location: { file, pointer: '' } };
}

/** The ARN of rule `name` of `bus` (a name or ARN; undefined: the default bus) of the region. */
function ruleArn(ctx: RegionContext, bus: string | undefined, name: string): string {
  const busName = bus?.startsWith('arn:') ? bus.slice(bus.lastIndexOf('/') + 1) : bus;
  const prefix =
    busName === undefined || busName === '' || busName === 'default' ? '' : `${busName}/`;
  return `arn:${ctx.partition}:events:${ctx.region}:${ctx.account}:rule/${prefix}${name}`;
}

/**
 * An EventPattern (JSON text) EventBridge would not take, or that cannot be read one way, is an
 * input error at the EventPattern (the place inside the text in the message), and the pattern is
 * a placeholder at that pointer: the chain leaves the links the rule decides Unknown, naming it
 * (chain/actionFacts.ts rulesStarting), never compared as if it matched, or did not match, any
 * change:
 * text that is not JSON, a member name twice in one object, or a shape EventBridge refuses
 * (eventPatternShape.ts eventPatternProblem, which the template loader uses too).
 */
function checkedPattern(
  ctx: RegionContext,
  r: JsonReader,
  text: string | undefined,
  at: string,
): string | undefined {
  if (text === undefined || text === '' || isPlaceholder(text)) return text;
  const problem = eventPatternProblem(text);
  if (!problem) return text;
  r.report(at, problem.message, `snapshot.events.${problem.id}`, 'error');
  return ctx.unknowns.placeholder(
    'name',
    { file: r.file, pointer: at },
    ctx.partition,
    ctx.region,
    problem.why,
  );
}

/**
 * A rule `Rules` lists twice: its name and, from `Targets`, what it targets, but its ARN, its
 * state and the role of each target are placeholders (model/placeholders.ts) at the first copy,
 * so its links are Unknown naming it, and no state says it is disabled. A schedule or a pattern
 * one of the copies has is a placeholder too, never dropped: the rule may run on a schedule
 * (its schedule links are Unknown, naming it) or on a source's changes (a pattern that cannot be
 * read may match); one that no copy has, the rule does not have.
 */
function conflictingRule(
  ctx: RegionContext,
  first: EventRuleModel,
  copies: { readonly scheduled: boolean; readonly patterned: boolean },
): EventRuleModel {
  const at = pointAt(first);
  const why = 'defined more than once';
  const role = ctx.unknowns.placeholder('role', at, ctx.partition, ctx.region, why);
  const name = ctx.unknowns.placeholder('name', at, ctx.partition, ctx.region, why);
  return {
    name: first.name,
    arn: `arn:${ctx.partition}:events:${ctx.region}:${ctx.account}:rule/${name}`,
    state: name,
    eventBusName: undefined,
    eventPattern: copies.patterned ? name : undefined,
    scheduleExpression: copies.scheduled ? name : undefined,
    targets: first.targets?.map((t) => ({ ...t, roleArn: role })),
    location: first.location,
  };
}

/**
 * The rules a truncated `Rules` leaves out: any of them may start any pipeline of the region,
 * with a role not known. One stand-in rule (UNLISTED_RULES) targets every pipeline of the region
 * with a placeholder role and ARN at `/Rules`, so each pipeline's trigger has Unknown links
 * naming the list, beside those of the rules that are listed.
 */
function unlistedRules(
  ctx: RegionContext,
  file: string,
  pipelines: ReadonlyMap<string, PipelineModel>,
  pointer = '/Rules',
  why = 'truncated: a rule not listed may start the pipeline',
): EventRuleModel {
  const at = { file, pointer };
  const role = ctx.unknowns.placeholder('role', at, ctx.partition, ctx.region, why);
  const name = ctx.unknowns.placeholder('name', at, ctx.partition, ctx.region, why);
  return {
    name: UNLISTED_RULES,
    arn: `arn:${ctx.partition}:events:${ctx.region}:${ctx.account}:rule/${name}`,
    state: undefined,
    eventBusName: undefined,
    eventPattern: undefined,
    scheduleExpression: undefined,
    targets: [...pipelines.values()].map((p) => ({
      id: undefined,
      arn: p.arn,
      roleArn: role,
      location: at,
    })),
    location: at,
  };
}

// ---------------------------------------------------------------------------------------------
// ECR: get-repository-policy ({registryId, repositoryName, policyText})

function loadEcr(
  ctx: RegionContext,
  file: string,
  fileName: string,
): EcrRepositoryModel | undefined {
  const opened = openObject(ctx, file);
  if (!opened) return undefined;
  const { r, doc } = opened;
  const name = r.optString(doc, 'repositoryName', '') ?? fileName;
  const registry = r.optString(doc, 'registryId', '') ?? ctx.account;
  const arn = `arn:${ctx.partition}:ecr:${ctx.region}:${registry}:repository/${name}`;
  return {
    name,
    arn,
    account: ctx.account,
    region: ctx.region,
    policy: resourcePolicy(ctx, r, doc, 'policyText', '', arn),
    location: { file, pointer: '' },
  };
}

// ---------------------------------------------------------------------------------------------
// SNS: get-topic-attributes ({"Attributes": {...}})

function loadSns(ctx: RegionContext, file: string, fileName: string): SnsTopicModel | undefined {
  const opened = openObject(ctx, file);
  if (!opened) return undefined;
  const { r, doc } = opened;
  const p = '/Attributes';
  // without its attributes the topic's policy and key are not known, not "none": reported at
  // the topic's own pointer, so that a lookup of it is missing (readable)
  if (doc['Attributes'] === undefined || doc['Attributes'] === null)
    r.report(
      p,
      'missing required key `Attributes` (get-topic-attributes output)',
      'snapshot.shape.invalid',
    );
  const attrs = r.optObject(doc, 'Attributes', '') ?? {};
  const arn =
    r.optString(attrs, 'TopicArn', p) ??
    `arn:${ctx.partition}:sns:${ctx.region}:${ctx.account}:${fileName}`;
  return {
    name: fileName,
    arn,
    account: ctx.account,
    region: ctx.region,
    policy: resourcePolicy(ctx, r, attrs, 'Policy', p, arn),
    kmsMasterKeyId: r.optString(attrs, 'KmsMasterKeyId', p),
    location: { file, pointer: p },
  };
}
