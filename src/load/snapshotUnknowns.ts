/**
 * What a snapshot holds but does not settle: values that could not be read (a pipeline role or
 * artifact key of the wrong type) and entities defined more than once. Neither is read as
 * absent or decided on a stand-in: an unreadable value becomes a placeholder no lookup finds
 * (recorded in `model.unresolved`, so links name the file and pointer), and every copy of a
 * duplicate gets an input problem, so lookups of it are missing (model/queries.ts: readable).
 */
import type { Problem } from '../problems.js';
import { DUPLICATE_PROBLEM } from '../model/queries.js';
import type { ActionModel, Location, PipelineModel, UnresolvedValueModel } from '../model/types.js';
import { placeholderOf } from '../model/placeholders.js';

export type UnknownKind = 'role' | 'key' | 'name';

/** The placeholders of one snapshot, by placeholder. */
export class SnapshotUnknowns {
  readonly values = new Map<string, UnresolvedValueModel>();

  /**
   * A value at `file#pointer` that could not be read (or that the snapshot does not settle:
   * `reason` says why): a placeholder of `kind` shaped like an ARN in the account `unresolved`
   * (a name for `name`), so a lookup of it is missing and the link names the pointer.
   */
  placeholder(
    kind: UnknownKind,
    at: Location,
    partition: string,
    region: string,
    reason = 'not readable',
  ): string {
    const placeholder = placeholderOf(kind, `${at.file}#${at.pointer}#${kind}`, partition, region);
    if (!this.values.has(placeholder)) {
      this.values.set(placeholder, {
        placeholder,
        reason,
        location: { file: at.file, pointer: at.pointer },
      });
    }
    return placeholder;
  }
}

/** `file#pointer`, as missing inputs and problems name a place. */
export function placeOf(at: Location): string {
  return `${at.file}#${at.pointer}`;
}

/**
 * Two copies of one entity: an error at each, naming the other. `outcome` says what the loader
 * does about it (no copy is used; both are applied).
 */
export function reportDuplicate(
  problems: Problem[],
  what: string,
  first: Location,
  second: Location,
  outcome = 'no copy is used: what relies on it is unknown',
): void {
  const add = (here: Location, other: Location): void => {
    problems.push({
      file: here.file,
      pointer: here.pointer,
      message: `${what} is defined more than once (also at \`${placeOf(other)}\`): ${outcome}`,
      id: DUPLICATE_PROBLEM,
      severity: 'error',
    });
  };
  add(second, first);
  add(first, second);
}

/**
 * CodePipeline's quotas on a pipeline's structure: at most 50 stages in a pipeline, and at most
 * 50 actions in a stage ("Number of stages in a pipeline", "Number of actions in a stage",
 * quotas that are fixed and cannot be changed:
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/limits.html). Both loaders read no
 * further: the stages or actions after the 50th are one unsettled action.
 */
export const MAX_PER_LEVEL = 50;

/**
 * The rules of a stage condition: 1 to 5 ("Maximum number of 5 items",
 * https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_Condition.html).
 */
export const MAX_RULES = 5;

/** The input problem of a list of stages, actions, conditions or rules longer than AWS allows. */
export function quotaMessage(count: number, what: string, of: string, max: number): string {
  if (max === 1) {
    const one = what.replace(/s$/, '');
    return `${count} ${what}: CodePipeline allows one ${one} in ${of}; the ${what} after the first are not analysed`;
  }
  return `${count} ${what}: CodePipeline allows at most ${max} ${what} in ${of}; the ${what} after the ${max}th are not analysed`;
}

/**
 * An action the snapshot does not settle: the action itself, or what shapes its chain (its type,
 * role, region, configuration or artifacts), could not be read, or its pipeline is defined twice.
 * Its links are not guessed: the chain has one Unknown link naming `why` (src/chain/buildChain.ts).
 */
export function unsettledAction(name: string, location: Location, why: string): ActionModel {
  return {
    name,
    category: '',
    owner: '',
    provider: '',
    version: '',
    roleArn: undefined,
    region: undefined,
    namespace: undefined,
    configuration: Object.freeze({}),
    inputArtifacts: [],
    outputArtifacts: [],
    runOrder: 1,
    location,
    unsettled: why,
  };
}

/**
 * A pipeline defined twice (two snapshot files of one name, two stacks of one pipeline): one
 * unsettled action stands for its chain, naming each copy (`why`); no copy is picked.
 */
export function conflictingPipeline(first: PipelineModel, why: string): PipelineModel {
  const at = first.location;
  return {
    name: first.name,
    account: first.account,
    region: first.region,
    arn: first.arn,
    roleArn: undefined,
    pipelineType: undefined,
    artifactStores: new Map(),
    stages: [{ name: '(stages)', actions: [unsettledAction('(actions)', at, why)], location: at }],
    location: at,
  };
}
