/**
 * A pipeline becomes the chain of requests its run will make: for every action, the catalog's
 * requirements expanded with the facts the model holds. Every link stands on its own, so one
 * run shows every broken link, not only the first.
 */
import { NO_ARTIFACTS, type SuppliedArtifacts } from '../model/artifacts.js';
import type { Model, PipelineModel } from '../model/types.js';
import { isAccountId, parseArn } from '../model/arn.js';
import { PLACEHOLDER_PATTERN } from '../model/placeholders.js';
import { findBucket, findCodeBuildProject, resolveKmsKey } from '../model/queries.js';
import { snapshotPath } from '../model/snapshotPath.js';
import {
  actionFacts,
  artifactProducers,
  expandWithEveryRule,
  isAwsOwned,
  keyArnOf,
  partitionOf,
  type FactGroup,
  type Producers,
} from './actionFacts.js';
import {
  ROLE_ARN_REQUIRED,
  artifactObjectKey,
  expandAction,
  fillKnown,
  fixSideOf,
  isPipelineScoped,
  isPrincipalList,
  levelOf,
  listPlaceholderOf,
  principalOf,
  providerModelled,
  s3DeployObjectKey,
} from './catalog.js';
import type {
  ActionFacts,
  Catalog,
  CrossAccountSend,
  EventsRuleUnsettled,
  ExpandedLink,
  Requirement,
} from './catalogTypes.js';
import { BUS_POLICY_DOC, PUT_EVENTS_REQUIREMENT } from './eventBusPolicy.js';
import type { UnsettledRequirement } from './catalog.js';
import { SERVICE_PRINCIPALS } from './catalogTypes.js';
import { failingTriggerLink, ruleTriggerLink } from './eventsRuleTargets.js';
import {
  declaredAtOf,
  type LinkPrincipal,
  type LinkSpec,
  type S3ContextObjects,
} from './linkTypes.js';
import { callerNotKnown, unknownCaller } from './placeholderWords.js';
import { resolveLink, resolveLinkKept, unresolvedIn } from './resolveLink.js';
import { ruleCatalog, ruleNotChecked } from './rules.js';
import {
  isScheduleEntry,
  pipelineFacts,
  scheduleCatalog,
  scheduleFacts,
  scheduleTriggers,
} from './scheduleRules.js';
import { settledGaps, withUnsettledContext } from './unsettledValues.js';

export function buildPipelineLinks(
  model: Model,
  pipeline: PipelineModel,
  catalog: Catalog,
  artifacts: SuppliedArtifacts = NO_ARTIFACTS,
): LinkSpec[] {
  const producers = artifactProducers(pipeline);
  const out: LinkSpec[] = [];
  const seen = new Set<string>();
  // the next `#n` to try for an id given again: an action repeated 20,000 times (a hostile
  // pipeline file) tried every n from 2 for each copy, quadratic (minutes). Every n below it is
  // taken and stays taken, so each copy still gets the smallest free n
  const nextSuffix = new Map<string, number>();
  // the region the calls of the current action are made in (aws:RequestedRegion)
  let region = pipeline.region;
  // the current action is a rule of a stage's `onFailure` condition (StageModel.rules names it
  // `onFailure[<n>]/<rule>`)
  let onFailureRule = false;
  // the current action is a rule of a stage's entry condition whose result is SKIP
  let skipRule = false;
  const notRoleArns = roleArnsThatAreNot(pipeline);
  const push = (given: LinkSpec, rule?: string): void => {
    // several EventBridge rules start the pipeline: each trigger link names its rule
    let spec =
      rule === undefined
        ? given
        : {
            ...given,
            id: `${given.id}:rule/${rule}`,
            purpose: `${given.purpose}, EventBridge rule \`${rule}\``,
          };
    let id = spec.id;
    if (seen.has(id)) {
      let n = nextSuffix.get(spec.id) ?? 2;
      while (seen.has(`${spec.id}#${n}`)) n++;
      id = `${spec.id}#${n}`;
      nextSuffix.set(spec.id, n + 1);
    }
    if (notRoleArns) spec = withRoleArnFailure(spec, notRoleArns);
    spec = withPassRoleAcross(spec);
    spec = withAclsDisabled(model, spec);
    spec = withAsymmetricS3Key(model, spec);
    seen.add(id);
    // an `onFailure` condition's rule runs only when its stage has failed
    // (https://docs.aws.amazon.com/codepipeline/latest/userguide/stage-conditions.html): a run
    // that succeeds never needs it, so its links are recommended, blocking nothing. Known from
    // where the rule is declared, not its name: an action may be written `onFailure[1]/X` (an
    // input error, still analysed)
    if (onFailureRule && spec.level === 'required') spec = { ...spec, level: 'recommended' };
    // an entry condition that is not met engages its result: SKIP skips the stage and the run
    // goes on to the next stage, FAIL fails the stage, which stops the run
    // (https://docs.aws.amazon.com/codepipeline/latest/userguide/stage-conditions.html). A rule
    // whose link fails fails, so its condition is not met: with SKIP the link blocks its stage,
    // not the stages after it (analyze.ts). Still required: the stage never runs
    if (skipRule) spec = { ...spec, skipsItsStage: true };
    // a context value the input does not settle (a CodePipeline variable) leaves it Unknown
    const settled = withUnsettledContext(model, spec);
    out.push(
      id === spec.id && spec.region === region && settled === spec
        ? spec
        : { ...settled, id, region },
    );
  };
  let pipelineWideDone = false;

  for (const stage of pipeline.stages) {
    for (const declared of [...stage.actions, ...(stage.rules ?? [])]) {
      // a rule of a stage condition is expanded like an action of category Rule, with the
      // entries that fit a rule (src/chain/rules.ts)
      const isRule = stage.rules?.includes(declared) === true;
      onFailureRule = isRule && declared.name.startsWith('onFailure[');
      skipRule =
        isRule && declared.name.startsWith('beforeEntry[') && declared.conditionResult === 'SKIP';
      // a rule's roleArn is "the pipeline role ARN associated with the rule"
      // (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_RuleDeclaration.html):
      // naming the pipeline role itself is no role to assume. Nor is it for an action: CodePipeline
      // refuses a pipeline whose role may not assume an action's role when it is created
      // (InvalidStructureException), yet the AWS CDK deploys pipelines whose actions name the
      // pipeline role, which trusts codepipeline.amazonaws.com only (its integration test
      // pipeline-code-build-batch): the action runs as the pipeline role, with no AssumeRole
      const action =
        declared.roleArn !== undefined && declared.roleArn === pipeline.roleArn
          ? { ...declared, roleArn: undefined }
          : declared;
      region = action.region ?? pipeline.region;
      if (action.unsettled !== undefined) {
        push(unsettled(stage.name, action.name, action.unsettled, action.location));
        continue;
      }
      const {
        facts,
        gaps: factGaps,
        storeKeyFailure,
        eventsRules,
      } = actionFacts(model, pipeline, stage, action, producers, artifacts);
      // a fact looked up by a value only known at run time names that value, not a file
      const gaps = settledGaps(model, action, factGaps);
      // the pipeline's EventBridge rules were read (actionFacts looks for its source's rule there)
      const eventsHeld =
        model.accounts.get(pipeline.account)?.regions.get(pipeline.region)?.events !== undefined;
      const { links, unknowns, ruleOf } = expandWithEveryRule(
        isRule ? ruleCatalog(catalog) : catalog,
        facts,
        eventsRules,
        { pipelineScope: !pipelineWideDone },
      );
      const where = `${stage.name}/${action.name}`;
      const loc = action.location;
      const declaredAt = declaredAtOf(loc);
      const byId = catalog.byId;
      if (isRule) {
        const notChecked = ruleNotChecked(pipeline, stage.name, action, where, declaredAt);
        if (notChecked) push(notChecked);
      } else {
        const at: ActionPlace = {
          stage: stage.name,
          action: action.name,
          where,
          declaredAt,
          provider: action.provider,
        };
        const caller = action.roleArn ?? pipeline.roleArn;
        if (callsNothingOfItsOwn(action)) {
          // its artifact links are all it has
        } else if (!isAwsOwned(action) || !providerModelled(catalog, facts))
          push(notModelled(at, action, caller));
        else if (facts.stackSet?.permissionModel === 'SERVICE_MANAGED')
          push(serviceManaged(at, facts));
        else if (action.provider === 'ElasticBeanstalk')
          push(beanstalkEnvironmentCalls(at, facts, caller));
        else if (action.provider === 'CloudFormation') {
          const noRoleArn = cloudFormationRoleArnMissing(at, facts);
          if (noRoleArn) push(noRoleArn);
        }
      }

      const keys = inputKeys(
        model,
        pipeline,
        action.inputArtifacts,
        producers,
        facts.artifactStore?.keyArn,
        region,
      );
      for (const link of links) {
        const entry = byId.get(link.requirementId)!;
        if (keys && isArtifactDecrypt(entry, link, facts.artifactStore?.keyArn)) {
          // CodeBuild encrypted some inputs with its project key: decrypt each with its own key
          for (const [keyArn, { artifacts, unknown, project }] of keys) {
            if (unknown !== undefined) {
              // the project is not in the input: its key is not guessed to be the store key
              const fromOpen = keyArn.startsWith('key-of-unsettled-producer:');
              const reason = fromOpen
                ? `no settled action produces \`${artifacts.join('`, `')}\`, so the key it is encrypted with is not known`
                : `the key CodeBuild encrypted \`${artifacts.join('`, `')}\` with is not known`;
              push({
                ...toSpec(
                  link,
                  entry,
                  { stage: stage.name, action: action.name, where, declaredAt },
                  pipeline,
                  region,
                ),
                id: `${where}:${link.requirementId}:${link.action}:${keyArn}${callerSuffix(link, entry)}`,
                resource: fromOpen
                  ? `the key of artifact \`${keyArn.slice(keyArn.indexOf(':') + 1)}\``
                  : `the key of CodeBuild project \`${keyArn.slice(keyArn.indexOf(':') + 1)}\``,
                purpose: `\`${where}\` (${action.provider}) reading \`${artifacts.join('`, `')}\``,
                unknown: [unknown],
                unknownReason: reason,
                // a CodeBuild action's output artifacts are always encrypted with a KMS key (the
                // project's, else `aws/s3`: catalog.ts CodeBuild.EncryptedUpload), so reading
                // them calls KMS whichever key it is; an artifact of no settled action may not be
                // encrypted with a KMS key at all
                ...(fromOpen ? {} : { callMade: { reason } }),
              });
              continue;
            }
            const objects = artifactObjects(entry, facts, action, producers, keyArn, artifacts);
            push({
              ...toSpec(
                { ...link, resource: keyArn },
                entry,
                { stage: stage.name, action: action.name, where, declaredAt },
                pipeline,
                region,
              ),
              id: `${where}:${link.requirementId}:${link.action}:${keyArn}${callerSuffix(link, entry)}`,
              ...(objects ? { s3Objects: objects } : {}),
              purpose: `\`${where}\` (${action.provider}) reading \`${artifacts.join('`, `')}\``,
              // the catalog's fix was written for the store key: this key is the project's, which
              // the project's encryptionKey chooses
              ...(project !== undefined &&
              facts.artifactStore?.keyArn !== undefined &&
              keyArn !== facts.artifactStore.keyArn
                ? {
                    keyChoice: {
                      kind: 'codebuildProject' as const,
                      project,
                      storeKey: facts.artifactStore.keyArn,
                    },
                  }
                : {}),
            });
          }
          continue;
        }
        const wide = isPipelineScoped(entry);
        const at = wide
          ? undefined
          : {
              stage: stage.name,
              action: action.name,
              where,
              declaredAt,
              provider: action.provider,
            };
        const end = objectNameUnknown(entry, facts, link.resource);
        const built: Mutable<LinkSpec> = toSpec(link, entry, at, pipeline, region);
        if (end) built.resourceUnknownEnd = end;
        const objects =
          artifactObjects(entry, facts, action, producers, link.resource) ??
          s3ActionObjects(entry, facts);
        // assigned, not spread: a spread would copy the spec of every link that has objects
        if (objects) built.s3Objects = objects;
        const rule = triggerRuleOf(entry, ruleOf.get(link)?.facts ?? facts);
        if (rule) {
          // what the rule says decides the link: its target cannot start the pipeline (one
          // failing link), or the input does not settle whether it does (Unknown)
          const made = ruleTriggerLink(built, entry, rule);
          if (made) push(made, ruleOf.get(link)?.label);
          continue;
        }
        const spec =
          storeKeyFailure && link.resource === storeKeyFailure.keyArn
            ? storeKeyFailure.fix !== undefined
              ? failingStoreKey(built, storeKeyFailure.why, storeKeyFailure.fix)
              : aliasAcrossAccounts(model, built, storeKeyFailure.why, facts, pipeline, region)
            : built;
        if (link.principal === undefined && !SERVICE_PRINCIPALS[entry.principal]) {
          // the caller is not known (no rule role, no project): never guess, never deny
          const reason = link.principalUnknown ?? callerNotKnown(entry.principal);
          push(
            {
              ...spec,
              // a value the input does not settle names its place (an AdministrationRoleArn that
              // is a CodePipeline variable)
              unknown: [...filesFor(reason, gaps, eventsHeld), ...unresolvedIn(model, reason)],
              unknownReason: reason,
            },
            ruleOf.get(link)?.label,
          );
          continue;
        }
        push(
          link.alternativeResource !== undefined
            ? eitherResource(model, spec, link.alternativeResource)
            : spec,
          ruleOf.get(link)?.label,
        );
      }
      for (const u of unknowns) {
        const entry = byId.get(u.requirementId)!;
        const wide = isPipelineScoped(entry);
        // a value the template does not settle names its template line
        const files = [...filesFor(u.reason, gaps, eventsHeld), ...unresolvedIn(model, u.reason)];
        const rule = ruleOf.get(u);
        const add = (spec: LinkSpec): void => push(spec, rule?.label);
        const triggerRule = triggerRuleOf(entry, rule?.facts ?? facts);
        for (const spec of unsettledEntrySpecs(
          entry,
          rule?.facts ?? facts,
          wide ? undefined : { stage: stage.name, action: action.name, where, declaredAt },
          wide ? `pipeline \`${pipeline.name}\`` : `\`${where}\` (${action.provider})`,
          files,
          u,
        )) {
          const made = triggerRule ? ruleTriggerLink(spec, entry, triggerRule) : spec;
          if (made) add(made);
        }
      }
      // a source of another account puts its changes on the event bus of the rules that start
      // the pipeline on them: the bus's resource policy must let it (eventBusPolicy.ts)
      if (!isRule) {
        const starting = eventsRules ?? (facts.eventsRule ? [{ facts: facts.eventsRule }] : []);
        const at = { stage: stage.name, action: action.name, where, declaredAt };
        for (const spec of crossAccountPuts(facts, at, action.provider, starting)) push(spec);
      }
      // a rule's catalog has no pipeline-wide entries (ruleCatalog): only an action's expansion
      // made them (a stage condition first, before any settled action, dropped the role's trust)
      if (!isRule) pipelineWideDone = true;
    }
  }
  region = pipeline.region;
  onFailureRule = false;
  skipRule = false;
  // no action could be read (the loader made an unreadable one an unsettled action): the
  // pipeline still runs as its role, so its pipeline-wide links (the role's trust) are checked.
  // A role the input does not give (a pipeline defined twice, no `roleArn`) is already an input
  // error whose unsettled action names it.
  if (!pipelineWideDone && pipeline.roleArn !== undefined)
    for (const spec of pipelineWideLinks(model, pipeline, catalog)) push(spec);
  // a pipeline without any action (a template's empty `Stages`) is not known to pass: one
  // Unknown link names it, so it never passes on no links at all
  if (pipeline.stages.every((s) => s.actions.length === 0 && (s.rules ?? []).length === 0)) {
    const at = pipeline.location;
    push(unsettled('(stages)', '(actions)', `${at.file}#${at.pointer} (no action)`, at));
  }
  // the EventBridge rules that start the pipeline on a schedule: pipeline-level links, each
  // naming its rule (src/chain/scheduleRules.ts)
  for (const { spec, rule } of scheduleLinks(model, pipeline, catalog)) push(spec, rule);
  return out;
}

/**
 * The pipeline-wide links (catalog entries of provider `Pipeline`: the pipeline role's trust),
 * for a pipeline none of whose actions could be read, expanded with the pipeline's own facts. A
 * value the input does not settle names its place, else the pipeline's declaration.
 */
function pipelineWideLinks(model: Model, pipeline: PipelineModel, catalog: Catalog): LinkSpec[] {
  const facts = pipelineFacts(pipeline);
  const entries = catalog.entries.filter((e) => isPipelineScoped(e) && !isScheduleEntry(e));
  const { links, unknowns } = expandAction({ entries, byId: catalog.byId }, facts);
  const where = `${pipeline.location.file}#${pipeline.location.pointer}`;
  const missing = (reason: string): string[] => {
    const named = unresolvedIn(model, reason);
    return named.length > 0 ? named : [where];
  };
  const out: LinkSpec[] = [];
  noActionSpecs(
    { links, unknowns },
    catalog,
    facts,
    pipeline,
    `pipeline \`${pipeline.name}\``,
    'the pipeline role is not known',
    missing,
    (spec) => out.push(spec),
  );
  return out;
}

/**
 * The specs of the links of no action (the pipeline's own, a schedule rule's): each expanded
 * link, Unknown naming `missing(why)` when its principal is not known; and one Unknown spec per
 * action of each entry the facts do not settle.
 */
function noActionSpecs(
  expanded: ReturnType<typeof expandAction>,
  catalog: Catalog,
  facts: ActionFacts,
  pipeline: PipelineModel,
  purpose: string,
  noPrincipal: string,
  missing: (why: string) => string[],
  add: (spec: LinkSpec, entry: Requirement) => void,
): void {
  for (const link of expanded.links) {
    const entry = catalog.byId.get(link.requirementId)!;
    const spec = toSpec(link, entry, undefined, pipeline, pipeline.region);
    if (link.principal === undefined && !SERVICE_PRINCIPALS[entry.principal]) {
      const reason = link.principalUnknown ?? noPrincipal;
      add({ ...spec, unknown: missing(reason), unknownReason: reason }, entry);
    } else add(spec, entry);
  }
  for (const u of expanded.unknowns) {
    const entry = catalog.byId.get(u.requirementId)!;
    const unknown = missing(u.reason);
    for (const spec of unsettledEntrySpecs(entry, facts, undefined, purpose, unknown, u))
      add(spec, entry);
  }
}

/**
 * The Unknown specs of a catalog entry the facts do not settle (expandAction's unknowns), one
 * per permission of it: at the action `at`, or of the pipeline itself (undefined: a
 * pipeline-wide or schedule link), naming `unknown` and saying `unsettled.reason`.
 */
function unsettledEntrySpecs(
  entry: Requirement,
  facts: ActionFacts,
  at:
    | { stage: string; action: string; where: string; declaredAt: LinkSpec['declaredAt'] }
    | undefined,
  purpose: string,
  unknown: readonly string[],
  unsettled: UnsettledRequirement,
): LinkSpec[] {
  const { reason } = unsettled;
  const principal = principalOf(entry.principal, facts);
  const resource = fillKnown(entry.resource, facts, entry);
  const context = settledContextOf(entry, facts, principal);
  const name = unsettledNameOf(entry, resource, unsettled.placeholder, context);
  const level = levelOf(entry, resource).level;
  return entry.actions.map((permission) => ({
    id: at ? `${at.where}:${entry.id}:${permission}` : `${entry.id}:${permission}`,
    requirement: entry.id,
    level,
    ...(entry.whenNeeded !== undefined && level === 'recommended'
      ? { whenNeeded: entry.whenNeeded }
      : {}),
    ...(at ? { stage: at.stage, action: at.action, declaredAt: at.declaredAt } : {}),
    principal: principalFor(entry, principal),
    permission,
    // what stays unsettled is put in words when the link is reported (placeholderWords.ts)
    resource,
    // the request context a settled link of the entry carries (toSpec), when the facts settle
    // all of it: the names tried in place of an unsettled name are evaluated with it
    context: context ?? {},
    ...(entry.requestTagsUnknown ? { requestTagsUnknown: true as const } : {}),
    purpose,
    doc: entry.doc,
    unknown,
    unknownReason: reason,
    ...(name !== undefined ? { unsettledName: { placeholder: name, reason } } : {}),
    ...(unsettled.callMade ? { callMade: { reason } } : {}),
  }));
}

/**
 * The entry's request context as a link of it carries it (catalog.ts fillContext) when the facts
 * settle every value of it to one value: {} when it has none, undefined when a value holds a
 * placeholder the facts do not settle to one value (unknown, absent, a list), or a value the
 * input does not settle (src/model/placeholders.ts). Keys in order, as fillContext gives them.
 */
function settledContextOf(
  entry: Requirement,
  facts: ActionFacts,
  principal: string | undefined,
): Record<string, string | readonly string[]> | undefined {
  const out: Record<string, string | readonly string[]> = {};
  const settled = (template: string): string | undefined => {
    const v = fillKnown(template, facts, entry, principal);
    return v.includes('${') || PLACEHOLDER_PATTERN.test(v) ? undefined : v;
  };
  for (const written of Object.keys(entry.context ?? {}).sort()) {
    const template = entry.context![written]!;
    // a key that names a part of the action (`aws:ResourceTag/${Config.InstanceTagKey}`)
    const key = written.indexOf('${') >= 0 ? settled(written) : written;
    if (key === undefined) return undefined;
    if (typeof template === 'string') {
      const v = settled(template);
      if (v === undefined) return undefined;
      out[key] = v;
      continue;
    }
    const vs: string[] = [];
    for (const t of template) {
      const v = settled(t);
      if (v === undefined) return undefined;
      vs.push(v);
    }
    if (vs.length > 0) out[key] = vs;
  }
  return out;
}

/**
 * Names inside a resource ARN that the input may not settle, by their catalog placeholder: a
 * name the caller chooses, not an account, Region, bucket, key or role, so that whose policies
 * apply does not depend on it. A task definition has no resource policy
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerservice.html).
 */
const UNSETTLED_NAMES: ReadonlySet<string> = new Set(['Ecs.TaskDefinitionFamily']);

/**
 * Whole role ARNs the input may not settle, passed with iam:PassRole, by the providers whose
 * roles are those of a task definition already registered: the standard ECS deploy registers a
 * revision of the service's task definition, whose roles were passed in its account when it was
 * registered. PassRole is authorized by the caller's policies alone (the role's own trust policy
 * takes no part: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html),
 * and a role can be passed only in the caller's account (the same page), so the link is tried as
 * roles of any name of the caller's account (resolveLink byUnsettledName). Not the blue/green
 * deploy: its taskdef.json may name any ARN.
 */
const UNSETTLED_ROLE_ARNS: ReadonlyMap<string, string> = new Map([['Ecs.PassRoleArn', 'ECS']]);

/**
 * The placeholder of the one name the input leaves unsettled in an entry's resource (LinkSpec
 * .unsettledName), when it alone left the link unbuilt: it is the placeholder the expansion met
 * unsettled (`placeholder`, UnknownExpansion.placeholder), the rest of the resource is settled
 * (account, Region), the facts settle all of the entry's request context (`context`, as
 * settledContextOf gives it; the Unknown spec carries it), and the entry carries no uncertain
 * context, alternative resource, owner or condition on what the facts say (the Unknown spec has
 * none of them, so evaluating it would leave them out).
 */
function unsettledNameOf(
  entry: Requirement,
  resource: string,
  placeholder: string | undefined,
  context: Readonly<Record<string, string | readonly string[]>> | undefined,
): string | undefined {
  if (
    placeholder === undefined ||
    !(UNSETTLED_NAMES.has(placeholder) || UNSETTLED_ROLE_ARNS.has(placeholder)) ||
    context === undefined ||
    entry.uncertainContext !== undefined ||
    entry.alternativeResource !== undefined ||
    entry.resourceAccount !== undefined ||
    (entry.when ?? []).some((c) => c.subject !== 'Provider' && c.subject !== 'Category')
  )
    return undefined;
  // the whole resource is the role (the entry's actions are iam:PassRole alone)
  if (UNSETTLED_ROLE_ARNS.has(placeholder))
    return resource === `\${${placeholder}}` &&
      entry.provider === UNSETTLED_ROLE_ARNS.get(placeholder) &&
      entry.actions.every((a) => a.toLowerCase() === 'iam:passrole')
      ? placeholder
      : undefined;
  // a value a template does not settle (its account, its Region) is not tried
  if (PLACEHOLDER_PATTERN.test(resource)) return undefined;
  const found = [...resource.matchAll(/\$\{([^}]*)\}/g)];
  if (found.length !== 1 || found[0]![1] !== placeholder) return undefined;
  // the name is inside the ARN's resource, after its account and Region
  const arn = parseArn(resource);
  if (!arn || !arn.resource.includes(`\${${placeholder}}`) || !isAccountId(arn.account))
    return undefined;
  return placeholder;
}

/**
 * The links of the EventBridge rules that start the pipeline on a schedule: the catalog entries
 * that test `EventsRule.Schedule`, expanded once for each rule target (scheduleTriggers), or one
 * link of `trigger.schedule-start-pipeline-execution` that fails (or is Unknown) for a target
 * that cannot start the pipeline (or that permchain cannot check), saying why.
 */
function scheduleLinks(
  model: Model,
  pipeline: PipelineModel,
  catalog: Catalog,
): { spec: LinkSpec; rule: string }[] {
  const out: { spec: LinkSpec; rule: string }[] = [];
  const entries = scheduleCatalog(catalog);
  for (const t of scheduleTriggers(model, pipeline)) {
    // a schedule the input does not settle (a rule listed twice) is not shown as its placeholder
    const purpose = PLACEHOLDER_PATTERN.test(t.schedule)
      ? `pipeline \`${pipeline.name}\` on a schedule the input does not settle`
      : `pipeline \`${pipeline.name}\` on the schedule \`${t.schedule}\``;
    const add = (spec: LinkSpec): void => {
      out.push({ spec: { ...spec, purpose }, rule: t.label });
    };
    if (t.failure || t.notChecked) {
      const entry = catalog.byId.get(SCHEDULE_START)!;
      const permission = entry.actions[0]!;
      const one: LinkSpec = {
        id: `${entry.id}:${permission}`,
        requirement: entry.id,
        level: entry.level,
        principal: { kind: 'role', arn: t.facts.roleArn ?? unknownCaller(entry.principal) },
        permission,
        resource: pipeline.arn,
        context: {},
        purpose,
      };
      // a rule that cannot start the pipeline fails as a source trigger's does
      if (t.failure) add(failingTriggerLink(one, entry, t.failure)!);
      // nothing in the input would settle it: the link says so, as other checks not made do
      else add({ ...one, doc: t.notChecked!.doc, unknown: [], unknownReason: t.notChecked!.why });
      continue;
    }
    const facts = scheduleFacts(pipeline, t);
    // a rule whose targets were not read may target the pipeline, with a role not known: its
    // links name where the targets would be, as a source trigger's do (ruleTriggerLink)
    noActionSpecs(
      expandAction(entries, facts),
      catalog,
      facts,
      pipeline,
      purpose,
      "the EventBridge rule's role is not known",
      (why) => unresolvedIn(model, why),
      (spec, entry) => {
        const made = ruleTriggerLink(spec, entry, facts.eventsRule);
        if (made) add(made);
      },
    );
  }
  return out;
}

const SCHEDULE_START = 'trigger.schedule-start-pipeline-execution';

/**
 * The `trigger.cross-account-put-events` links of a source action of another account than the
 * pipeline: that account puts the source's changes on the event bus of each rule that starts the
 * pipeline on them (actionFacts.ts rulesStarting), which the bus's resource policy must let it
 * do ("The default event bus in your AWS account only allows events from one account",
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-bus-perms.html). One link per
 * bus, as the account itself (eventBusPolicy.ts accountSenderPolicy): Unknown when every rule on
 * it leaves open whether it starts the pipeline (its state, targets or pattern, not the sending
 * rule of the source's account, which the trigger links name). A rule target that cannot start
 * the pipeline (no RoleArn) needs none.
 */
function crossAccountPuts(
  facts: ActionFacts,
  at: Omit<ActionPlace, 'provider'>,
  provider: string,
  rules: readonly { readonly facts: NonNullable<ActionFacts['eventsRule']> }[],
): LinkSpec[] {
  const byBus = new Map<string, { send: CrossAccountSend; open: EventsRuleUnsettled[] }>();
  const settled = new Set<string>();
  for (const r of rules) {
    const send = r.facts.crossAccount;
    if (!send || r.facts.failure) continue;
    const key = `${send.sender}\u0000${send.busArn}`;
    const group = byBus.get(key) ?? { send, open: [] };
    byBus.set(key, group);
    if (send.unsettled) group.open.push(send.unsettled);
    else settled.add(key);
  }
  const out: LinkSpec[] = [];
  for (const [key, { send, open }] of byBus) {
    const root = `arn:${facts.partition}:iam::${send.sender}:root`;
    const why = settled.has(key) ? undefined : [...new Set(open.map((u) => u.why))].join('; ');
    out.push({
      id: `${at.where}:${PUT_EVENTS_REQUIREMENT}:events:PutEvents${byBus.size > 1 ? `:${send.busArn}` : ''}`,
      requirement: PUT_EVENTS_REQUIREMENT,
      level: 'required',
      stage: at.stage,
      action: at.action,
      declaredAt: at.declaredAt,
      principal: { kind: 'account', name: root },
      permission: 'events:PutEvents',
      resource: send.busArn,
      context: {},
      purpose: `\`${at.where}\` (${provider}): account \`${send.sender}\` putting the changes of ${send.what} on event bus \`${send.busArn}\`, whose EventBridge rule starts pipeline \`${facts.pipelineName}\``,
      doc: BUS_POLICY_DOC,
      fix: `let \`${send.sender}\` put events on \`${send.busArn}\`: a statement of its resource policy that allows \`${root}\` \`events:PutEvents\` (an AWS::Events::EventBusPolicy with \`Action: events:PutEvents\` and \`Principal: ${send.sender}\`, or \`aws events put-permission --action events:PutEvents --principal ${send.sender}\` in \`${facts.account}\`)`,
      fixSide: 'resource',
      ...(why !== undefined
        ? { unknown: [...new Set(open.flatMap((u) => u.missing))], unknownReason: why }
        : {}),
    });
  }
  return out;
}

/**
 * The EventBridge rule target a source trigger link was expanded for, when what it says decides
 * the link (ruleTriggerLink): it cannot start the pipeline, or the input does not settle whether
 * it does.
 */
function triggerRuleOf(entry: Requirement, facts: ActionFacts): ActionFacts['eventsRule'] {
  if (entry.provider !== 'PipelineTrigger') return undefined;
  const rule = facts.eventsRule;
  return rule?.failure || rule?.unsettled ? rule : undefined;
}

/** An action the input does not settle (see ActionModel.unsettled): its links are unknown. */
function unsettled(
  stage: string,
  action: string,
  why: string,
  loc: { file: string; pointer: string; line?: number; column?: number },
): LinkSpec {
  const where = `${stage}/${action}`;
  return {
    id: `${where}:action.not-settled`,
    requirement: 'action.not-settled',
    level: 'required',
    stage,
    action,
    declaredAt: declaredAtOf(loc),
    principal: { kind: 'role', arn: "the action's role (not known)" },
    permission: '*',
    resource: '*',
    context: {},
    purpose: `\`${where}\``,
    unknown: [why],
    unknownReason:
      'the input does not settle this action (which provider, role, region, configuration or artifacts), so its links are not known',
  };
}

/** Where an action's structural link (one the catalog does not make) is declared. */
interface ActionPlace {
  readonly stage: string;
  readonly action: string;
  readonly where: string;
  readonly declaredAt: { file: string; pointer: string };
  /** the provider, as the link's purpose names it */
  readonly provider: string;
}

/**
 * A required link of one action that the catalog does not make: an Unknown that says what is
 * not checked, or a failure known from the configuration. `fields` gives who, what and why.
 */
function actionLink(
  at: ActionPlace,
  requirement: string,
  fields: Pick<LinkSpec, 'principal' | 'permission' | 'resource' | 'doc'> &
    Partial<Pick<LinkSpec, 'unknownReason' | 'knownFailure' | 'fix'>>,
): LinkSpec {
  return {
    id: `${at.where}:${requirement}`,
    requirement,
    level: 'required',
    stage: at.stage,
    action: at.action,
    declaredAt: at.declaredAt,
    context: {},
    purpose: `\`${at.where}\` (${at.provider})`,
    ...(fields.unknownReason !== undefined ? { unknown: [] } : {}),
    ...fields,
  };
}

/** A configuration value as a resource part: the value, or the placeholder that stands for it. */
function configPart(facts: ActionFacts, key: string): string {
  const v = facts.configuration[key];
  return v !== undefined && v !== '' ? v : `\${Config.${key}}`;
}

/**
 * An action that makes no AWS call with a role of its own, beyond the artifact links every action
 * has: the GitHub (version 1) source action, owner ThirdParty, which reads the repository with the
 * OAuth token of its configuration (https://docs.aws.amazon.com/codepipeline/latest/userguide/appendix-github-oauth.html);
 * CodePipeline uploads what it reads as its output artifact, and the AWS CDK's GitHubSourceAction
 * grants its role nothing else.
 */
function callsNothingOfItsOwn(action: PipelineModel['stages'][number]['actions'][number]): boolean {
  return (
    action.owner === 'ThirdParty' &&
    action.provider === 'GitHub' &&
    action.category === 'Source' &&
    action.version === '1'
  );
}

/**
 * An action whose provider the catalog does not know (a custom or third-party action, or an AWS
 * provider permchain has no requirements for): its artifact links are checked, but not what the
 * provider itself calls, so the action cannot be said to pass. One Unknown link says so.
 */
function notModelled(
  at: ActionPlace,
  action: PipelineModel['stages'][number]['actions'][number],
  caller: string | undefined,
): LinkSpec {
  return actionLink(at, 'action.provider-not-modelled', {
    principal: { kind: 'role', arn: caller ?? unknownCaller('pipelineRole') },
    permission: '*',
    resource: '*',
    doc: 'https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference.html',
    unknownReason: `the provider \`${action.owner}/${action.provider}\` (${action.category}) is not in permchain's requirement catalog, so what it calls is not checked (its artifact links are)`,
  });
}

/**
 * A stack set with service-managed permissions deploys through roles StackSets manages itself:
 * its service-linked role `AWSServiceRoleForCloudFormationStackSetsOrgAdmin` assumes the
 * `stacksets-exec-*` role StackSets creates in each target account (the managed policy
 * CloudFormationStackSetsOrgAdminServiceRolePolicy,
 * https://docs.aws.amazon.com/aws-managed-policy/latest/reference/CloudFormationStackSetsOrgAdminServiceRolePolicy.html),
 * which needs trusted access between StackSets and AWS Organizations
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-orgs-enable-trusted-access.html).
 * Whether trusted access is enabled is in no input, and the target accounts are organizational
 * units: the action's own calls are checked, this is one Unknown link.
 */
function serviceManaged(at: ActionPlace, facts: ActionFacts): LinkSpec {
  const p = facts.partition;
  return actionLink(at, 'action.stackset-service-managed', {
    principal: {
      kind: 'role',
      arn: `arn:${p}:iam::${facts.actionAccount}:role/aws-service-role/stacksets.cloudformation.amazonaws.com/AWSServiceRoleForCloudFormationStackSetsOrgAdmin`,
    },
    permission: 'sts:AssumeRole',
    resource: `arn:${p}:iam::*:role/stacksets-exec-*`,
    doc: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-orgs-enable-trusted-access.html',
    unknownReason:
      "the stack set uses SERVICE_MANAGED permissions: StackSets deploys through its service-linked role and the `stacksets-exec-*` roles it creates in the target accounts, which needs trusted access between CloudFormation StackSets and AWS Organizations; whether it is enabled is in no input, so these roles are not checked (the action's own calls are)",
  });
}

/**
 * An Elastic Beanstalk deploy updates the environment with the caller's credentials: Beanstalk
 * then calls, as the caller, the services the environment's resources live in (EC2, Auto
 * Scaling, CloudFormation, Elastic Load Balancing, S3, CloudWatch, SNS, ...), which the
 * CodePipeline action page grants wholesale
 * (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-Beanstalk.html,
 * https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/concepts-roles-user.html). The catalog
 * checks the calls every deployment makes; which others an environment needs depends on its
 * resources, which no input holds. So the action cannot be said to pass on what is checked: one
 * Unknown link says what is not.
 */
function beanstalkEnvironmentCalls(
  at: ActionPlace,
  facts: ActionFacts,
  caller: string | undefined,
): LinkSpec {
  return actionLink(at, 'action.beanstalk-environment-calls', {
    principal: { kind: 'role', arn: caller ?? unknownCaller('pipelineRole') },
    permission: '*',
    resource: `arn:${facts.partition}:elasticbeanstalk:${facts.actionRegion}:${facts.actionAccount}:environment/${configPart(facts, 'ApplicationName')}/${configPart(facts, 'EnvironmentName')}`,
    doc: 'https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/concepts-roles-user.html',
    unknownReason:
      "Elastic Beanstalk updates the environment with the caller's credentials and calls, as the caller, the services of the environment's resources (EC2, Auto Scaling, Elastic Load Balancing, S3, CloudWatch, SNS, ...); which of them it needs depends on the environment, which no input holds, so those calls are not checked (the calls every deployment makes are)",
  });
}

/**
 * A CloudFormation action whose mode needs `RoleArn` and that has none (ROLE_ARN_REQUIRED, the
 * modes the action reference lists,
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CloudFormation.html).
 * The action fails whatever the policies say; the execution role's links are Unknown (the
 * catalog's CloudFormation.RoleArn) and this link says why the action fails. A mode the input
 * does not settle is left to those links.
 */
function cloudFormationRoleArnMissing(at: ActionPlace, facts: ActionFacts): LinkSpec | undefined {
  const cfg = facts.configuration;
  const mode = cfg['ActionMode'] ?? '';
  const role = cfg['RoleArn'];
  if ((role !== undefined && role !== '') || !ROLE_ARN_REQUIRED.has(mode.toUpperCase()))
    return undefined;
  return actionLink(at, 'cloudformation.role-arn-required', {
    principal: { kind: 'service', name: 'codepipeline.amazonaws.com' },
    permission: 'cloudformation:*',
    resource: `arn:${facts.partition}:cloudformation:${facts.actionRegion}:${facts.actionAccount}:stack/${configPart(facts, 'StackName')}/*`,
    doc: 'https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CloudFormation.html',
    // the configuration decides, not a policy: no policy reason (the link is declared at the action)
    knownFailure: `configuration \`RoleArn\` is not set, and CloudFormation actions need it in ActionMode \`${mode}\` (the CloudFormation execution role the stack operations run as)`,
    fix: `set \`RoleArn\` of \`${at.where}\` to the CloudFormation execution role (one that trusts cloudformation.amazonaws.com)`,
  });
}

function toSpec(
  link: ExpandedLink,
  entry: Requirement,
  at:
    | {
        stage: string;
        action: string;
        where: string;
        declaredAt: { file: string; pointer: string };
        /** the action's provider, as the purpose names it (not the catalog's pseudo provider) */
        provider?: string;
      }
    | undefined,
  pipeline: PipelineModel,
  region: string,
): LinkSpec {
  const id = at
    ? `${at.where}:${link.requirementId}:${link.action}`
    : `${link.requirementId}:${link.action}`;
  // the members up to `region` in one literal, the later ones assigned rather than spread (a
  // spread allocates an object per link), in the order the spread literal gave them: reports
  // serialize a spec in its key order
  const qualified = `${resourceQualified(id, link, entry)}${callerSuffix(link, entry)}`;
  const principal = principalFor(entry, link.principal);
  const spec = (
    at
      ? {
          id: qualified,
          requirement: link.requirementId,
          level: link.level,
          stage: at.stage,
          action: at.action,
          declaredAt: at.declaredAt,
          principal,
          permission: link.action,
          resource: link.resource,
          region,
        }
      : {
          id: qualified,
          requirement: link.requirementId,
          level: link.level,
          principal,
          permission: link.action,
          resource: link.resource,
          region,
        }
  ) as Mutable<LinkSpec>;
  if (link.presumed !== undefined) spec.presumed = link.presumed;
  if (link.standIn !== undefined) spec.standIn = link.standIn;
  if (link.resourceAccount) spec.resourceAccount = link.resourceAccount;
  spec.context = link.context;
  if (link.uncertainContext) spec.uncertainContext = link.uncertainContext;
  if (link.unknownContext) spec.unknownContext = link.unknownContext;
  if (link.requestTagsUnknown) spec.requestTagsUnknown = true;
  if (entry.whenNeeded !== undefined && link.level === 'recommended')
    spec.whenNeeded = entry.whenNeeded;
  spec.purpose = at
    ? `\`${at.where}\` (${at.provider ?? (entry.provider === 'Pipeline' ? 'pipeline' : entry.provider)})`
    : `pipeline \`${pipeline.name}\``;
  spec.doc = link.doc;
  spec.fix = link.fix;
  const side = fixSideOf(link.fix);
  if (side) spec.fixSide = side;
  // the artifact store's key, which its encryptionKey chooses (absent: the AWS managed aws/s3)
  if (entry.resource === '${ArtifactKeyArn}')
    spec.keyChoice = { kind: 'artifactStore', pipeline: pipeline.name, region };
  return spec;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * A link on the artifact store key that fails whatever the policies say (actionFacts'
 * storeKeyFailure: a key of another region): the configuration decides, no policy reason.
 */
function failingStoreKey(spec: LinkSpec, why: string, fix: string): LinkSpec {
  const { fixSide: _side, keyChoice: _choice, ...rest } = spec;
  return { ...rest, knownFailure: why, fix };
}

/**
 * A link on the artifact store key of an action of another account, when the store names its
 * key by an alias: AWS resolves the alias in the action's account, so the link fails whatever
 * the policies say (actionFacts' storeKeyFailure says why), and the fix is the key's ARN in
 * the store's `encryptionKey.id`, not a policy (an alias has none). The ARN is named when the
 * input resolves the alias in the pipeline's account.
 */
function aliasAcrossAccounts(
  model: Model,
  spec: LinkSpec,
  why: string,
  facts: ActionFacts,
  pipeline: PipelineModel,
  region: string,
): LinkSpec {
  const configured = facts.artifactStore?.keyId ?? '';
  const key = resolveKmsKey(model, pipeline.account, region, configured);
  const arn =
    key.kind === 'found'
      ? `the key ARN \`${key.value.arn}\``
      : `the ARN of the key it names in \`${pipeline.account}\` (\`arn:${facts.partition}:kms:${region}:${pipeline.account}:key/<key id>\`)`;
  const { fixSide: _side, keyChoice: _choice, ...rest } = spec;
  return {
    ...rest,
    knownFailure: why,
    fix: `set \`encryptionKey.id\` of the artifact store of pipeline \`${pipeline.name}\` in \`${region}\` to ${arn} in place of the alias \`${configured}\``,
  };
}

/**
 * A call AWS documents as authorized on either of two resources (the catalog's
 * `alternativeResource`: its documents disagree): the link is evaluated on both, and is decided
 * only when both answers agree (both allowed, or both denied); otherwise it is Unknown, saying
 * which form the policies allow. It is never allowed on one form alone.
 */
function eitherResource(model: Model, spec: LinkSpec, alternative: string): LinkSpec {
  if (alternative === spec.resource) return spec;
  // the spec kept as it is (the usual answer) is not resolved again by the analysis
  const a = resolveLinkKept(model, spec);
  const b = resolveLink(model, { ...spec, resource: alternative });
  const allowed = (d: string): boolean => d === 'Allowed';
  const denied = (d: string): boolean => d === 'ImplicitlyDenied' || d === 'ExplicitlyDenied';
  if (a.decision === 'Unknown') return spec;
  if ((allowed(a.decision) && allowed(b.decision)) || (denied(a.decision) && denied(b.decision)))
    return spec;
  if (b.decision === 'Unknown') {
    return {
      ...spec,
      unknown: [...(b.missing ?? [])],
      unknownReason: `AWS documents the call on \`${spec.resource}\` and on \`${alternative}\`, and on the second it cannot be decided (${b.why})`,
    };
  }
  const [yes, no] = allowed(a.decision)
    ? [spec.resource, alternative]
    : [alternative, spec.resource];
  return {
    ...spec,
    unknown: [],
    unknownReason: `AWS documents the call on \`${spec.resource}\` and on \`${alternative}\`; the policies allow \`${yes}\` but not \`${no}\`, so whether it is allowed is not known: allow both`,
  };
}

/** One link per caller when an entry has several (the roles of a deployment group's instances). */
function callerSuffix(link: ExpandedLink, entry: Requirement): string {
  return isPrincipalList(entry.principal) && link.principal !== undefined
    ? `:${link.principal}`
    : '';
}

/**
 * A link id names the value it was made for when its entry makes one link per value of a list:
 * the resource, when the list is in it; else the value itself (a list only in the request
 * context, such as the subnet of ec2:CreateNetworkInterfacePermission). Never its position: a
 * `diff` matches links by id, and the same list in another order must match the same links.
 */
function resourceQualified(id: string, link: ExpandedLink, entry: Requirement): string {
  if (link.listValue === undefined) return id;
  const list = listPlaceholderOf(entry);
  return list !== undefined && entry.resource.includes(`\${${list}}`)
    ? `${id}:${link.resource}`
    : `${id}:${link.listValue}`;
}

function principalFor(entry: Requirement, arn: string | undefined): LinkPrincipal {
  const service = SERVICE_PRINCIPALS[entry.principal];
  if (service) return { kind: 'service', name: service };
  // one service principal per Region (catalog.ts regionalPrincipals)
  if (entry.principal === 'cloudformationRegionalService' && arn !== undefined)
    return { kind: 'service', name: arn };
  return { kind: 'role', arn: arn ?? unknownCaller(entry.principal) };
}

const GAP_WORDS: readonly [RegExp, FactGroup][] = [
  [/codebuild project|the project|project role/i, 'codebuild'],
  [/function/i, 'lambda'],
  [/instance role/i, 'codedeployInstances'],
  [/deployment (group|config)/i, 'codedeploy'],
  [/task definition/i, 'ecs'],
  [/source bucket|s3 source/i, 's3Source'],
  [/deploy bucket/i, 's3Deploy'],
  [/notification topic/i, 'notificationTopic'],
  [/replication/i, 'replication'],
  [/eventbridge rule|rule role/i, 'events'],
  [/artifact store/i, 'artifactStore'],
  // (an action without a roleArn of its own runs as the pipeline role: the action role is not
  // known only when the pipeline role is not)
  [/pipeline role|action role is not known/i, 'pipelineRole'],
];

/**
 * The snapshot files that would settle an unknown expansion. An EventBridge rule file the input
 * holds (`eventsHeld`) is not missing: what is missing is a rule in it that starts the pipeline
 * on the source's changes, which the entry says.
 */
function filesFor(
  reason: string,
  gaps: ReadonlyMap<FactGroup, string>,
  eventsHeld: boolean,
): string[] {
  const files: string[] = [];
  for (const [re, group] of GAP_WORDS) {
    const f = gaps.get(group);
    if (!f || !re.test(reason)) continue;
    files.push(
      group === 'events' && eventsHeld
        ? `${f} (an EventBridge rule that starts the pipeline on this source's changes, which it does not hold)`
        : f,
    );
  }
  return files;
}

/**
 * The key each input artifact is encrypted with: the artifact store key, except for artifacts a
 * CodeBuild action produced, which CodeBuild encrypts with its project's key (default aws/s3)
 * (aws-facts.md 1.3, PRAC [CDK-4183]). A project the input does not hold (or could not read)
 * leaves its outputs' key unknown: `key-of-codebuild-project:P`, with the file that would settle
 * it. Undefined when every input uses the store key.
 *
 * Only in the producer's own region: an action of another region reads the copy CodePipeline
 * made in the artifact store of its region, encrypted with that store's key (one bucket and key
 * per action region, aws-facts.md 1.1 [CP-XREG],
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/actions-create-cross-region.html;
 * a KMS key is regional, so the project's key cannot be the one that copy is encrypted with).
 */
function inputKeys(
  model: Model,
  pipeline: PipelineModel,
  inputs: readonly string[],
  producers: Producers,
  storeKey: string | undefined,
  readerRegion: string,
): Map<string, { artifacts: string[]; unknown?: string; project?: string }> | undefined {
  if (!storeKey || inputs.length === 0) return undefined;
  const byKey = new Map<string, { artifacts: string[]; unknown?: string; project?: string }>();
  let differs = false;
  for (const input of inputs) {
    const producer = producers.get(input);
    let key: string = storeKey;
    let unknown: string | undefined;
    let projectName: string | undefined;
    const open = producer ? undefined : unsettledProducer(pipeline);
    if (open) {
      // no settled action produces it: an action the input does not settle may, and if that is
      // a CodeBuild action the artifact is encrypted with its project's key
      key = `key-of-unsettled-producer:${input}`;
      unknown = open;
    } else if (
      producer &&
      producer.action.provider === 'CodeBuild' &&
      isAwsOwned(producer.action) &&
      (producer.action.region ?? pipeline.region) === readerRegion
    ) {
      const p = producer.action;
      const region = p.region ?? pipeline.region;
      const account = (p.roleArn && parseArn(p.roleArn)?.account) || pipeline.account;
      const project = p.configuration['ProjectName'] ?? '';
      const found = findCodeBuildProject(model, account, region, project);
      if (found.kind === 'found') {
        projectName = found.value.name;
        key = keyArnOf(
          model,
          found.value.encryptionKey,
          found.value.account,
          found.value.region,
          partitionOf(pipeline),
        );
      } else {
        key = `key-of-codebuild-project:${project}`;
        // a project name only known at run time names its place, not codebuild.json
        unknown =
          unresolvedIn(model, project)[0] ?? found.file ?? snapshotPath.codebuild(account, region);
      }
    }
    if (key !== storeKey) differs = true;
    const group = byKey.get(key) ?? {
      artifacts: [],
      ...(unknown ? { unknown } : {}),
      ...(projectName !== undefined ? { project: projectName } : {}),
    };
    group.artifacts.push(input);
    byKey.set(key, group);
  }
  return differs ? byKey : undefined;
}

/** The first action of the pipeline the input does not settle, as its `file:line (reason)`. */
function unsettledProducer(pipeline: PipelineModel): string | undefined {
  for (const stage of pipeline.stages)
    for (const action of stage.actions) if (action.unsettled !== undefined) return action.unsettled;
  return undefined;
}

/**
 * The catalog's KMS calls that S3 makes for the caller (`kms:ViaService` s3) to read
 * (kms:Decrypt) or write (kms:GenerateDataKey, and kms:Decrypt for a multipart upload) artifacts,
 * by which objects they are for: the action's input or output artifacts in the artifact store of
 * its region, or the copies of the inputs produced in another region (read from the producer
 * region's store, written into the action region's). S3 sends each object's ARN as the
 * encryption context (LinkSpec.s3Objects).
 */
const ARTIFACT_KMS_CALLS: ReadonlyMap<string, 'input' | 'output' | 'copyFrom' | 'copyTo'> = new Map(
  [
    ['artifacts.input.kms-decrypt', 'input'],
    ['codebuild-project.input-kms-decrypt', 'input'],
    ['codedeploy.artifact-kms-decrypt', 'input'],
    ['codedeploy.instance-kms-decrypt', 'input'],
    ['artifacts.output.kms-generate-data-key', 'output'],
    ['codebuild-project.output-kms-generate-data-key', 'output'],
    // a multipart upload's kms:Decrypt is made for the objects written, with their context
    // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html#mpuAndPermissions)
    ['artifacts.output.multipart-kms-decrypt', 'output'],
    ['codebuild-project.output-multipart-kms-decrypt', 'output'],
    ['artifacts.replicate.kms-decrypt', 'copyFrom'],
    ['artifacts.replicate.kms-generate-data-key', 'copyTo'],
  ],
);

/**
 * The artifact objects a KMS call of ARTIFACT_KMS_CALLS is for: each artifact's object in its
 * bucket, with the key permchain writes for it (artifactObjectKey, as the S3 links do);
 * `artifacts`: those of one key, when the inputs are encrypted with several (inputKeys).
 * Undefined for other links, and when the objects are not all known or not all in one bucket: a
 * bucket the input does not settle, copies read from the stores of several regions with one key.
 * A CodeBuild project key's upload link is for its S3 secondary artifacts as well
 * (codebuildUploadObjects).
 */
function artifactObjects(
  entry: Requirement,
  facts: ActionFacts,
  action: PipelineModel['stages'][number]['actions'][number],
  producers: Producers,
  key: string,
  artifacts?: readonly string[],
): S3ContextObjects | undefined {
  const which = ARTIFACT_KMS_CALLS.get(entry.id);
  if (which === undefined) return undefined;
  let bucket = facts.artifactStore?.bucket;
  let names: readonly string[];
  if (which === 'copyFrom') {
    // the link of one producer key (Replication.SourceKeyArn), read where each copy comes from
    const copies = (facts.replicatedInputs ?? []).filter((r) => r.sourceKeyArn === key);
    const buckets = new Set(copies.map((r) => r.sourceBucket));
    if (buckets.size !== 1) return undefined;
    bucket = copies[0]!.sourceBucket;
    names = copies.map((r) => r.artifact);
  } else if (which === 'copyTo') names = (facts.replicatedInputs ?? []).map((r) => r.artifact);
  else names = artifacts ?? (which === 'input' ? facts.inputArtifacts : facts.outputArtifacts);
  if (
    entry.id === 'codebuild-project.output-kms-generate-data-key' ||
    entry.id === 'codebuild-project.output-multipart-kms-decrypt'
  )
    return codebuildUploadObjects(facts, bucket, names);
  if (bucket === undefined || PLACEHOLDER_PATTERN.test(bucket) || names.length === 0)
    return undefined;
  // an action whose own code uploads its outputs (ownUpload) chooses for them, whatever the
  // bucket's default; and a read (or a copy's read) decrypts with the context the object was
  // written with: an artifact such an action uploaded is its choice too, whatever the bucket says
  const writer = which === 'output' ? ownUpload(action) : undefined;
  const fromOwnCode =
    which === 'input' || which === 'copyFrom'
      ? names.find((a) => {
          const p = producers.get(a)?.action;
          return p !== undefined && ownUpload(p) !== undefined;
        })
      : undefined;
  const producer = fromOwnCode !== undefined ? producers.get(fromOwnCode)! : undefined;
  return {
    ...storeObjects(facts, bucket, names),
    ...(writer !== undefined
      ? {
          writerChooses: `${writer.article} uploads its output artifacts with its own code, which may ask for one or against one`,
        }
      : producer !== undefined
        ? {
            writerChooses: `\`${fromOwnCode}\` was uploaded by ${ownUpload(producer.action)!.the} of action \`${producer.stage.name}/${producer.action.name}\` with its own code, which may ask for one or against one, and a read decrypts with the context it was written with`,
          }
        : {}),
  };
}

/**
 * The objects of artifacts `names` in the artifact store's bucket, with the keys permchain writes
 * for them (artifactObjectKey, whose `*` is the name CodePipeline gives each).
 */
function storeObjects(
  facts: ActionFacts,
  bucket: string,
  names: readonly string[],
): S3ContextObjects {
  return {
    bucket,
    account: facts.account,
    objects: names.map(
      (a) => `arn:${facts.partition}:s3:::${bucket}/${artifactObjectKey(facts.pipelineName, a)}`,
    ),
    unknownEnd: 'artifact',
  };
}

/**
 * The objects a CodeBuild project's key encrypts in one upload link
 * (codebuild-project.output-kms-generate-data-key, output-multipart-kms-decrypt): the action's
 * output artifacts in the artifact store (`bucket`, `names`), and each S3 secondary artifact of
 * the project without `encryptionDisabled` in its own bucket, which the project's key encrypts
 * too (https://docs.aws.amazon.com/codebuild/latest/APIReference/API_ProjectArtifacts.html:
 * "Set to true if you do not want your output artifacts encrypted"; the project's encryptionKey
 * "is used for encrypting the build output artifacts",
 * https://docs.aws.amazon.com/codebuild/latest/APIReference/API_Project.html), with its key as
 * the secondary artifact's upload link names it (its build id and the end no input gives among
 * them). S3 sends each object's ARN, or its bucket's with an S3 Bucket Key, as the encryption
 * context (https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#encryption-context);
 * CodeBuild uploads both itself, and is not documented to ask for a Bucket Key, so each bucket's
 * default decides (resolveLink s3ArnContext). Undefined when the objects are not all known: the
 * project or its secondary artifacts are not, the store's bucket or a secondary artifact's key
 * holds a value the input does not settle.
 */
function codebuildUploadObjects(
  facts: ActionFacts,
  bucket: string | undefined,
  names: readonly string[],
): S3ContextObjects | undefined {
  const cb = facts.codebuild;
  if (!cb || cb.secondaryArtifactsUnknown !== undefined) return undefined;
  const groups: S3ContextObjects[] = [];
  if (names.length > 0) {
    if (bucket === undefined || PLACEHOLDER_PATTERN.test(bucket)) return undefined;
    groups.push(storeObjects(facts, bucket, names));
  }
  for (const a of cb.secondaryArtifacts ?? []) {
    if (!a.encrypted) continue;
    if (PLACEHOLDER_PATTERN.test(a.objectArn)) return undefined;
    const path = a.objectArn.slice(a.objectArn.indexOf(':::') + 3);
    groups.push({
      bucket: path.slice(0, path.indexOf('/')),
      objects: [a.objectArn],
      ...(a.unknownEnd !== undefined ? { unknownEnd: a.unknownEnd } : {}),
    });
  }
  const [first, ...more] = groups;
  if (first === undefined) return undefined;
  return more.length > 0 ? { ...first, more } : first;
}

/**
 * Who uploads an action's output artifacts with code of its own, which may ask for an S3 Bucket
 * Key or against one whatever the bucket's default
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/configuring-bucket-key-object.html), in
 * words (`article`: for the action itself, `the`: naming the action after it); undefined when
 * CodePipeline or the provider's AWS service uploads them, which send no such header, and the
 * bucket's setting applies.
 * - A Lambda invoke action: "If you specify output artifacts for the action, they must be
 *   uploaded to the S3 bucket as part of the function implementation"
 *   (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-Lambda.html).
 * - A custom or third-party action: its job worker uploads them, with the artifact credentials
 *   the job gives it ("They can be used to access input and output artifacts in the S3 bucket",
 *   https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_JobData.html;
 *   https://docs.aws.amazon.com/codepipeline/latest/userguide/actions-create-custom-action.html);
 *   not the GitHub (version 1) source, which CodePipeline runs itself (callsNothingOfItsOwn).
 */
function ownUpload(
  action: PipelineModel['stages'][number]['actions'][number],
): { readonly article: string; readonly the: string } | undefined {
  if (isAwsOwned(action))
    return action.provider === 'Lambda' && action.category === 'Invoke'
      ? { article: 'a Lambda function', the: 'the Lambda function' }
      : undefined;
  if (callsNothingOfItsOwn(action)) return undefined;
  const kind = action.owner === 'ThirdParty' ? 'third-party' : 'custom';
  return {
    article: `the job worker of a ${kind} action (\`${action.owner}/${action.provider}\`)`,
    the: `the job worker (\`${action.owner}/${action.provider}\`)`,
  };
}

/**
 * Whether the link's resource is an S3 object ARN ending in a name no input gives
 * (LinkSpec.resourceUnknownEnd): an artifact's object (artifactObjectKey: the name CodePipeline
 * gives it is written `*`), the files an S3 deploy extracts under its prefix (written `*`:
 * catalog.ts s3DeployObjectKey), a CodeBuild project's S3 build log objects under its
 * location, or the build id and the end of the key of a project's S3 secondary artifact that the
 * project does not settle; undefined for an object key the configuration gives.
 */
function objectNameUnknown(
  entry: Requirement,
  facts: ActionFacts,
  resource: string,
): S3ContextObjects['unknownEnd'] {
  if (!resource.startsWith('arn:')) return undefined;
  const template = entry.resource;
  // a CodeBuild project's S3 secondary artifact whose key holds the build id (namespaceType
  // BUILD_ID, a `*` after its path) or an end the project does not settle (`<bucket>/<part it
  // settles>/*`): actionFacts.ts secondaryArtifactObject; a `*` of an exact key is that character
  if (template === '${CodeBuild.SecondaryArtifactObjectArn}')
    return facts.codebuild?.secondaryArtifacts?.find((a) => a.objectArn === resource)?.unknownEnd;
  if (!resource.endsWith('*')) return undefined;
  if (
    template.endsWith('/${InputArtifactKey}') ||
    template.endsWith('/${OutputArtifactKey}') ||
    template.endsWith('/${Replication.ArtifactKey}')
  )
    return 'artifact';
  if (
    template.endsWith('/${S3Deploy.ObjectKey}') &&
    facts.configuration['Extract']?.toLowerCase() === 'true'
  )
    return 'extracted';
  // a CodeBuild project's S3 build logs: `<prefix>/*` (actionFacts.ts s3LogsOf), whose names
  // CodeBuild gives each build
  if (template.endsWith('/${CodeBuild.S3LogsObjectKey}')) return 'logs';
  return undefined;
}

/**
 * The objects of the KMS call an S3 source action (its read of the source object, kms:Decrypt)
 * or an S3 deploy action (its upload, kms:GenerateDataKey, and a multipart upload's kms:Decrypt)
 * makes through S3, whose encryption context is their ARN or the bucket's (S3ContextObjects),
 * when the input settles the bucket and the object key; undefined otherwise (the context stays
 * unknown, as before).
 * - S3 source: the object `S3ObjectKey` of `S3Bucket`. It was uploaded outside the pipeline, by
 *   a request that may ask for an S3 Bucket Key or against one
 *   (https://docs.aws.amazon.com/AmazonS3/latest/userguide/configuring-bucket-key-object.html),
 *   and perhaps before the bucket's setting changed, which applies to new objects only ("Existing
 *   objects are not affected":
 *   https://docs.aws.amazon.com/AmazonS3/latest/API/API_ServerSideEncryptionRule.html): so the
 *   bucket's setting does not say which ARN the read sends (writerChooses).
 * - S3 deploy: the object `ObjectKey` of `BucketName`, or with Extract each file under
 *   `ObjectKey/` (the bucket root without it), whose paths the artifact's contents decide
 *   (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-S3Deploy.html).
 *   CodePipeline is not documented to send the object-level bucket key header, so the bucket's
 *   setting decides, with KMSEncryptionKeyARN too: "If you submit a PUT or COPY request for a
 *   KMS-encrypted object into a bucket with S3 Bucket Keys enabled, your object level operation
 *   will automatically use S3 Bucket Keys unless you disable the keys in the request header"
 *   (configuring-bucket-key-object.html above).
 */
function s3ActionObjects(entry: Requirement, facts: ActionFacts): S3ContextObjects | undefined {
  const cfg = facts.configuration;
  const settled = (v: string | undefined): v is string =>
    v !== undefined && v !== '' && !PLACEHOLDER_PATTERN.test(v);
  if (entry.id === 's3-source.kms-decrypt') {
    const bucket = cfg['S3Bucket'];
    const key = cfg['S3ObjectKey'];
    if (!settled(bucket) || !settled(key)) return undefined;
    return {
      bucket,
      account: facts.s3Source?.bucketAccount ?? facts.actionAccount,
      objects: [`arn:${facts.partition}:s3:::${bucket}/${key}`],
      writerChooses:
        "the source object was uploaded outside the pipeline, by a request that may ask for one or against one, and perhaps before the bucket's current setting, which applies to new objects only",
    };
  }
  // the upload's kms:GenerateDataKey, and a multipart upload's kms:Decrypt, for the same objects
  if (
    entry.id === 's3-deploy.kms-generate-data-key' ||
    entry.id === 's3-deploy.multipart-kms-decrypt'
  ) {
    const bucket = cfg['BucketName'];
    const key = s3DeployObjectKey(cfg);
    if (!settled(bucket) || key.kind !== 'value' || PLACEHOLDER_PATTERN.test(key.value))
      return undefined;
    const extract = cfg['Extract']?.toLowerCase() === 'true';
    const account = facts.s3Deploy?.bucketAccount;
    return {
      bucket,
      ...(account !== undefined ? { account } : {}),
      objects: [`arn:${facts.partition}:s3:::${bucket}/${key.value}`],
      ...(extract ? { unknownEnd: 'extracted' as const } : {}),
    };
  }
  return undefined;
}

/**
 * A decrypt of the action's input artifacts on the store key, whoever reads them (the action
 * role, a CodeBuild project role, the instance roles of a CodeDeploy group): an input a
 * CodeBuild action produced is encrypted with that project's key instead. Not a multipart
 * upload's decrypt of the action's outputs, which are written with the store key.
 */
function isArtifactDecrypt(
  entry: Requirement,
  link: ExpandedLink,
  storeKey: string | undefined,
): boolean {
  return (
    ARTIFACT_KMS_CALLS.get(entry.id) === 'input' &&
    entry.resource === '${ArtifactKeyArn}' &&
    link.action.toLowerCase() === 'kms:decrypt' &&
    link.resource === storeKey
  );
}

/**
 * The role ARNs of the pipeline and its actions (and rules) that are not role ARNs, with where
 * each is declared. CodePipeline takes only `arn:<partition>:iam::<account>:role/<name>` there
 * (the roleArn pattern of
 * https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_PipelineDeclaration.html and
 * https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_ActionDeclaration.html) and
 * refuses the pipeline otherwise. The usual cause is a template's `Ref` of an AWS::IAM::Role,
 * which gives the role's name, not its ARN
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-iam-role.html#aws-resource-iam-role-return-values).
 * A value the input does not settle (a placeholder) is left to the lookups, which make it Unknown.
 */
function roleArnsThatAreNot(
  pipeline: PipelineModel,
): Map<string, { file: string; pointer: string; line?: number; column?: number }> | undefined {
  let out:
    Map<string, { file: string; pointer: string; line?: number; column?: number }> | undefined;
  const check = (
    value: string | undefined,
    at: { file: string; pointer: string; line?: number; column?: number },
  ): void => {
    if (value === undefined || ROLE_ARN.test(value) || PLACEHOLDER_PATTERN.test(value)) return;
    out ??= new Map();
    if (!out.has(value)) out.set(value, declaredAtOf(at));
  };
  check(pipeline.roleArn, pipeline.location);
  for (const stage of pipeline.stages)
    for (const a of [...stage.actions, ...(stage.rules ?? [])]) check(a.roleArn, a.location);
  return out;
}

/** `arn:<partition>:iam::<account>:role/<name>` (CDK test assemblies use short account ids) */
const ROLE_ARN = /^arn:aws(-[a-z0-9]+)*:iam::(\d{1,12}|unresolved):role\/./;

/**
 * iam:PassRole of a role of another account than the caller's fails whatever the policies say:
 * "You can only use the PassRole permission to pass an IAM role to a service that shares the
 * same AWS account" (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html).
 * The configuration decides, not a policy: no policy reason, and the fix is a role of the
 * caller's account.
 */
function withPassRoleAcross(spec: LinkSpec): LinkSpec {
  if (spec.unknownReason !== undefined || spec.knownFailure !== undefined) return spec;
  if (spec.principal.kind !== 'role' || spec.permission.toLowerCase() !== 'iam:passrole')
    return spec;
  const caller = parseArn(spec.principal.arn)?.account;
  const role = parseArn(spec.resource)?.account;
  if (!caller || !role || caller === role || !isAccountId(caller) || !isAccountId(role))
    return spec;
  const who = spec.principal.arn;
  return {
    ...spec,
    knownFailure: `\`${spec.resource}\` is a role of account \`${role}\` and \`${who}\` of \`${caller}\`: a role can be passed only to a service in its own account, which no policy changes`,
    fix: `use a role of account \`${caller}\` (the account of \`${who}\`) in place of \`${spec.resource}\``,
  };
}

/**
 * An S3 deploy's CannedACL on a bucket whose Object Ownership is BucketOwnerEnforced: ACLs are
 * disabled there, and "All S3 PUT requests must either specify the bucket-owner-full-control
 * canned ACL or not specify an ACL, or these requests will fail"; "Requests to set ACLs or update
 * ACLs fail with a 400 error and return the AccessControlListNotSupported error code"
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-ownership-error-responses.html).
 * Whether the action sends the ACL with its PutObject or with a PutObjectAcl after it, the call
 * fails whatever the policies say. bucket-owner-full-control is left to the policies, as is a
 * bucket whose ownership the input does not give.
 */
function withAclsDisabled(model: Model, spec: LinkSpec): LinkSpec {
  if (spec.unknownReason !== undefined || spec.knownFailure !== undefined) return spec;
  if (spec.requirement !== 's3-deploy.put-object-acl') return spec;
  const acl = spec.context['s3:x-amz-acl'];
  if (typeof acl !== 'string' || acl === 'bucket-owner-full-control') return spec;
  const name = parseArn(spec.resource)?.resource.split('/')[0];
  if (!name) return spec;
  const found = findBucket(model, name, spec.resourceAccount);
  if (found.kind !== 'found' || found.value.ownership !== 'BucketOwnerEnforced') return spec;
  // the template sets no OwnershipControls: a bucket CloudFormation creates now has
  // BucketOwnerEnforced ("the default setting for all newly created buckets", since April 2023),
  // and one created before keeps ObjectWriter
  // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html): said so
  const byDefault =
    ' (the template sets no OwnershipControls: the default of a bucket created since April 2023; a bucket this stack created before then keeps ObjectWriter, and takes the ACL)';
  // such a bucket "only accepts PUT requests that don't specify an ACL or specify bucket owner
  // full control ACLs (such as the predefined bucket-owner-full-control canned ACL or a custom
  // ACL in XML format that grants the same permissions)"
  // (https://docs.aws.amazon.com/AmazonS3/latest/API/API_OwnershipControlsRule.html): `private`
  // gives full control to the object's owner alone, and written from the bucket owner's own
  // account that is the bucket owner, the same permissions; whether S3 takes it as such is not
  // documented. The link is Unknown then (a deny of the caller's own still decides it)
  const enforced = `bucket \`${name}\` has Object Ownership \`BucketOwnerEnforced\` (ACLs disabled)${found.value.ownershipByDefault ? byDefault : ''}`;
  const caller = spec.principal.kind === 'role' ? parseArn(spec.principal.arn)?.account : undefined;
  if (acl === 'private' && caller !== undefined && caller === found.value.account) {
    const reason = `${enforced}, which takes only an ACL that gives the bucket owner full control; \`private\`, written from the bucket owner's account \`${caller}\`, gives it that, and whether S3 takes it or refuses it with AccessControlListNotSupported is not documented`;
    return {
      ...spec,
      unknownReason: reason,
      callMade: { reason },
      unknown: [],
      fix: `set CannedACL to \`bucket-owner-full-control\` or remove it (the bucket owner owns every object)`,
    };
  }
  return {
    ...spec,
    knownFailure: `${enforced}, which refuses the canned ACL \`${acl}\` with AccessControlListNotSupported, on the PutObject or the PutObjectAcl that sets it: no policy changes that`,
    fix: `set CannedACL to \`bucket-owner-full-control\` or remove it (the bucket owner owns every object), or set the Object Ownership of \`${name}\` to BucketOwnerPreferred or ObjectWriter`,
  };
}

/**
 * A KMS call S3 makes for its caller (kms:ViaService `s3.<region>.amazonaws.com`) on a key that
 * is not a symmetric encryption key: "Amazon S3 only supports symmetric encryption KMS keys"
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_Encryption.html), and CodePipeline's
 * artifact store takes only symmetric keys
 * (https://docs.aws.amazon.com/codepipeline/latest/userguide/S3-artifact-encryption.html). The
 * key's KeySpec decides, not a policy; a key file without KeySpec is left to the policies, and a
 * KeySpec the template does not settle leaves the link Unknown.
 */
function withAsymmetricS3Key(model: Model, spec: LinkSpec): LinkSpec {
  if (spec.unknownReason !== undefined || spec.knownFailure !== undefined) return spec;
  if (!spec.permission.toLowerCase().startsWith('kms:')) return spec;
  const via = spec.context['kms:ViaService'];
  if (typeof via !== 'string' || !via.startsWith('s3.')) return spec;
  const arn = parseArn(spec.resource);
  if (!arn || arn.service !== 'kms') return spec;
  const key = resolveKmsKey(model, arn.account, arn.region, spec.resource);
  if (key.kind !== 'found') return spec;
  const keySpec = key.value.keySpec;
  if (keySpec === undefined || keySpec === 'SYMMETRIC_DEFAULT') return spec;
  if (PLACEHOLDER_PATTERN.test(keySpec)) {
    // a key spec the template does not settle may be one S3 refuses: not left to the policies
    const reason = `the key spec of \`${key.value.arn}\` is not settled, and S3 encrypts objects only with symmetric encryption keys (SYMMETRIC_DEFAULT)`;
    return { ...spec, unknownReason: reason, unknown: unresolvedIn(model, keySpec) };
  }
  return {
    ...spec,
    knownFailure: `the kms key \`${key.value.arn}\` has key spec \`${keySpec}\`, and S3 encrypts objects only with symmetric encryption keys (SYMMETRIC_DEFAULT), whatever the policies allow`,
    fix: `use a symmetric encryption kms key (key spec SYMMETRIC_DEFAULT) in place of \`${key.value.arn}\``,
  };
}

/** The link fails when its caller, or the role it assumes, is a declared role ARN that is not one. */
function withRoleArnFailure(
  spec: LinkSpec,
  notRoleArns: ReadonlyMap<
    string,
    { file: string; pointer: string; line?: number; column?: number }
  >,
): LinkSpec {
  if (spec.unknownReason !== undefined || spec.knownFailure !== undefined) return spec;
  const value =
    spec.principal.kind === 'role' && notRoleArns.has(spec.principal.arn)
      ? spec.principal.arn
      : spec.permission.toLowerCase().startsWith('sts:assumerole') && notRoleArns.has(spec.resource)
        ? spec.resource
        : undefined;
  if (value === undefined) return spec;
  // the configuration decides, not a policy: no policy reason, the why names where it is given
  const at = notRoleArns.get(value)!;
  const where = at.line !== undefined ? `${at.file}:${at.line}` : `${at.file}#${at.pointer}`;
  return {
    ...spec,
    knownFailure: `\`${value}\` is not an IAM role ARN: CodePipeline takes \`arn:<partition>:iam::<account>:role/<name>\` and refuses the pipeline otherwise (in a CloudFormation template, \`Ref\` of an AWS::IAM::Role gives the role's name, \`Fn::GetAtt <Role>.Arn\` its ARN); it is given at \`${where}\``,
    fix: `give the role's ARN in place of \`${value}\` (in a template: \`!GetAtt <Role>.Arn\`, not \`!Ref <Role>\`)`,
  };
}
