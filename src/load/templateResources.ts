/**
 * Turn the resources of evaluated stacks into the model (src/model/types.ts), the same shape
 * the snapshot loader produces, so the chain builder and evaluator work unchanged.
 *
 * Resource reference: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-template-resource-type-ref.html
 * Every entity keeps the template file, JSON pointer, line and column it was written at.
 */
import { skipRuleProblem } from './conditionRules.js';
import { joinPointer, uniqueProblems, type Problem } from '../problems.js';
import { eventPatternProblem } from './eventPatternShape.js';
import { isRegionName, parseArn } from '../model/arn.js';
import type {
  AccountModel,
  ActionModel,
  ArtifactStoreModel,
  BucketModel,
  CodeBuildArtifactsModel,
  CodeBuildBatchConfigModel,
  CodeBuildEnvironmentModel,
  CodeBuildLogsModel,
  CodeBuildProjectModel,
  CodeBuildSourceModel,
  DeploymentGroupModel,
  EcrRepositoryModel,
  EventBusModel,
  EventRuleModel,
  EventTargetModel,
  IamModel,
  InlinePolicyModel,
  KmsAliasModel,
  KmsKeyModel,
  LambdaModel,
  Location,
  ManagedPolicyModel,
  Model,
  PipelineModel,
  RegionModel,
  RoleModel,
  SnsTopicModel,
  StateMachineModel,
  EcsServiceModel,
  EcsTaskDefinitionModel,
  StageModel,
  UnresolvedValueModel,
} from '../model/types.js';
import type { CompiledPolicy } from '../policy/types.js';
import {
  asString,
  describe,
  firstUnresolved as unresolvedInside,
  intrinsicName,
  isUnresolved,
  NO_VALUE,
  Unresolved,
} from './intrinsics.js';
import { sameJson } from './sameJson.js';
import { managedPolicyModel, type ManagedPolicySource } from './managedPolicies.js';
import { deploymentGroupKey } from '../model/queries.js';
import { instanceRolesOf } from './templateDeploymentGroups.js';
import { compileTemplatePolicy } from './templatePolicy.js';
import {
  SAM_TRANSFORM,
  UNKNOWN_TYPE,
  unknownTypeReason,
  type ResourceEntry,
  type TemplateStack,
} from './templateStack.js';
import {
  conflictingPipeline,
  MAX_PER_LEVEL,
  MAX_RULES,
  placeOf,
  quotaMessage,
  unsettledAction,
} from './snapshotUnknowns.js';
import {
  PLACEHOLDER_PATTERN,
  isPlaceholder,
  placeholderOf,
  unsettledText,
  type PlaceholderKind,
} from '../model/placeholders.js';
import {
  REFERENCE_TYPES,
  actionVariablesProblem,
  redactActionEnvironmentVariables,
  variableFault,
  type VariableKeys,
} from '../model/environmentVariables.js';
import { holdsVariable, variableReason } from '../model/pipelineVariables.js';
import { locationWithoutCredentials } from '../model/sourceLocation.js';
import {
  buildspecReferences,
  namesBuildspec,
  reduceBuildspec,
  REDACTION_MARKER,
} from '../model/buildspec.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Obj = Record<string, unknown>;

/**
 * A plain object of the template. An unresolved value is not one: its fields are not known, so
 * each caller says what it stands for (a placeholder, an unsettled action...), never reads it
 * as an object without them.
 */
function isObject(x: unknown): x is Obj {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && !isUnresolved(x);
}

/** The first value along `paths` (and in the lists found there) that a template left unresolved. */
function firstUnresolved(o: Obj, paths: readonly (readonly string[])[]): Unresolved | undefined {
  for (const path of paths) {
    let v: unknown = o;
    for (const k of path) {
      if (isUnresolved(v)) return v;
      v = isObject(v) ? v[k] : undefined;
    }
    if (isUnresolved(v)) return v;
    if (Array.isArray(v)) {
      const u = v.find(isUnresolved);
      if (u) return u as Unresolved;
    }
  }
  return undefined;
}

interface MutRegion {
  pipelines: Map<string, PipelineModel>;
  projects: Map<string, CodeBuildProjectModel>;
  codebuildLocation?: Location;
  kmsKeys: Map<string, Mutable<KmsKeyModel>>;
  aliases: Map<string, KmsAliasModel>;
  lambdas: Map<string, Mutable<LambdaModel>>;
  rules: Map<string, EventRuleModel>;
  eventsLocation?: Location;
  snsTopics: Map<string, Mutable<SnsTopicModel>>;
  ecrRepositories: Map<string, EcrRepositoryModel>;
  ecsTaskDefinitions: Map<string, EcsTaskDefinitionModel>;
  ecsServices: Map<string, EcsServiceModel>;
  stateMachines: Map<string, StateMachineModel>;
  deploymentGroups: Map<string, DeploymentGroupModel>;
  /** statements of Lambda permissions, by function ARN */
  lambdaStatements: Map<string, { statements: Obj[]; stack: TemplateStack; pointer: string }>;
  /**
   * statements of event bus policies, by bus name; `unknownAt`: a statement the templates may or
   * may not write (a `Condition` not known), which leaves the policy unknown
   */
  busStatements: Map<
    string,
    { statements: unknown[]; stack: TemplateStack; pointer: string; unknownAt?: string }
  >;
  /** the event buses those make (finishEventBuses), by name */
  buses: Map<string, EventBusModel>;
}

interface MutAccount {
  roles: Map<string, Mutable<RoleModel>>;
  policies: Map<string, ManagedPolicyModel>;
  buckets: Map<string, Mutable<BucketModel>>;
  regions: Map<string, MutRegion>;
  iamLocation?: Location;
}

/**
 * A policy written in a template for a role, user or group that the templates do not define:
 * it is applied when the templates are laid over a snapshot that holds that principal.
 */
export interface PendingAttachment {
  readonly account: string;
  readonly kind: 'role' | 'user' | 'group';
  readonly name: string;
  readonly inline?: InlinePolicyModel;
  readonly managedArn?: string;
  /** where the template attaches it (a managed policy's resource; an inline policy's is its own) */
  readonly location?: Location;
  /** the template does not settle the principal: every role of the account may have the policy */
  readonly any?: true;
}

/**
 * A resource policy whose bucket, topic or function the templates do not settle: every one of
 * the account (topics and functions: in `region`) may have it, so their policies are unknown.
 */
export interface UnknownPolicyTarget {
  readonly account: string;
  readonly region?: string;
  readonly kind: 'bucket' | 'topic' | 'function';
  /** the template element that leaves the target open */
  readonly location: Location;
  /** the element that leaves it open, as Unknown links name it (`file#pointer`) */
  readonly at: string;
}

/** A topic policy for a topic the templates do not define: applied to the snapshot's topic. */
export interface PendingTopicPolicy {
  readonly account: string;
  readonly region: string;
  readonly name: string;
  /** undefined: the templates may or may not write it, or it could not be read (unknown) */
  readonly policy: CompiledPolicy | undefined;
  /** with an undefined policy: the template element it depends on (`file#pointer`) */
  readonly policyUnknownAt?: string;
  readonly location: Location;
}

export interface TemplateBuildResult {
  readonly model: Model;
  readonly attachments: readonly PendingAttachment[];
  /** buckets that only carry a bucket policy: the other fields come from the snapshot */
  readonly policyOnlyBuckets: ReadonlySet<string>;
  /** AWS-managed policy ARNs referenced but found in no source */
  readonly unknownManaged: ReadonlyMap<string, Problem>;
  /**
   * the resource policies the templates write (bucket names, topic and function ARNs): a
   * template bucket, topic or function not in these keeps the policy a snapshot gives it, since
   * the policy is a resource of its own (AWS::S3::BucketPolicy, AWS::SNS::TopicPolicy,
   * AWS::Lambda::Permission) that another stack may write
   */
  readonly policiesWritten: {
    readonly bucket: ReadonlySet<string>;
    readonly topic: ReadonlySet<string>;
    readonly function: ReadonlySet<string>;
  };
  readonly topicPolicies: readonly PendingTopicPolicy[];
  readonly unknownPolicyTargets: readonly UnknownPolicyTarget[];
}

/**
 * What a template load knows beyond the model, for mergeModels: keyed by the model object the
 * template loaders return.
 */
export const templateExtras = new WeakMap<Model, TemplateBuildResult>();

const AWS_MANAGED_PREFIX = /^arn:aws[a-z-]*:iam::aws:policy\//;

export class ModelBuilder {
  private readonly accounts = new Map<string, MutAccount>();
  private readonly unresolved = new Map<string, UnresolvedValueModel>();
  private readonly attachments: PendingAttachment[] = [];
  private readonly policyOnly = new Set<string>();
  private readonly problems: Problem[] = [];
  /** resource policies the templates may write but do not settle (see unknownPolicy) */
  private readonly unsettled = {
    bucket: new Map<string, UnsettledPolicy>(),
    topic: new Map<string, UnsettledPolicy>(),
    function: new Map<string, UnsettledPolicy>(),
  };
  private readonly anyPolicy: UnknownPolicyTarget[] = [];
  /**
   * event bus policies the templates may write on a bus they do not settle (an unresolved
   * `EventBusName`, a resource of unknown type, a nested stack): every bus of the account and
   * Region whose policy the templates write has an unknown one (finishEventBuses)
   */
  private readonly anyBus: { account: string; region: string; at: string }[] = [];
  private readonly written = {
    bucket: new Set<string>(),
    topic: new Set<string>(),
    function: new Set<string>(),
  };
  private readonly topicPolicies: PendingTopicPolicy[] = [];
  /** the copies each pipeline of the model stands for: one, or several (conflictingPipeline) */
  private readonly copies = new Map<PipelineModel, PipelineCopy[]>();

  constructor(
    private readonly stacks: readonly TemplateStack[],
    private readonly managed: ManagedPolicySource,
    private readonly root: string,
  ) {}

  build(extraProblems: readonly Problem[] = []): TemplateBuildResult {
    for (const s of this.stacks) this.account(s.account).iamLocation ??= this.loc(s, '/Resources');
    // first the entities, then what attaches to them (possibly across stacks)
    for (const s of this.stacks) for (const r of this.live(s)) this.buildEntity(s, r);
    // deployment groups name their instances' roles, which the first pass has built
    for (const s of this.stacks) {
      for (const r of this.live(s)) {
        if (r.type === 'AWS::CodeDeploy::DeploymentGroup') this.buildDeploymentGroup(s, r);
      }
    }
    for (const s of this.stacks)
      for (const [r, maybe] of this.attaching(s)) this.buildAttachment(s, r, maybe);
    for (const s of this.stacks) for (const r of this.live(s)) this.buildAlias(s, r);
    this.finishLambdaPolicies();
    this.finishUnsettled();
    this.finishEventBuses();
    const unknownManaged = this.resolveAwsManaged();
    const problems = [...extraProblems, ...this.problems];
    for (const s of this.stacks) problems.push(...s.problems);
    const model: Model = {
      root: this.root,
      accounts: this.freezeAccounts(),
      organization: undefined,
      problems: uniqueProblems(problems),
      source: 'template',
      unresolved: new Map([...this.unresolved].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    };
    return {
      model,
      attachments: this.attachments,
      policyOnlyBuckets: this.policyOnly,
      unknownManaged,
      policiesWritten: this.written,
      topicPolicies: this.topicPolicies,
      unknownPolicyTargets: this.anyPolicy,
    };
  }

  private *live(s: TemplateStack): Generator<ResourceEntry> {
    for (const r of s.resources.values()) {
      if (r.exists === true) yield r;
      else if (isUnresolved(r.exists) && MODELLED.has(r.type)) {
        s.problem(
          'warning',
          'template.condition.unresolved',
          joinPointer(r.pointer, 'Condition'),
          `whether \`${r.logicalId}\` is created is not known: ${r.exists.reason}`,
        );
      }
    }
  }

  // -------------------------------------------------------------------------------------------
  // helpers

  /**
   * Where an unknown value comes from: the manifest or stacks file that gives it (a parameter
   * value that is not a string), or else the template element that needs it, or, for a value
   * made from another unknown one (an `Fn::If` on a condition not known), the element that
   * needs that one (`settledBy`).
   */
  private origin(s: TemplateStack, u: Unresolved): Location {
    const root = u.settledBy();
    const from = u.origin ?? root.origin;
    if (!from) return this.loc(s, root.pointer);
    // another stack's template, for a value made there (TemplateStack.anchor), has a line
    return {
      file: from.file,
      pointer: from.pointer,
      ...(from.line !== undefined ? { line: from.line } : {}),
      ...(from.column !== undefined ? { column: from.column } : {}),
    };
  }

  /**
   * The location of resource `r`, with the pointer of its `Properties` when they are read
   * elsewhere than `<resource>/Properties` (the branch `Properties: !If` chooses), so that what
   * names a property of it (`.../Properties/RoleArn`) names the one read.
   */
  private resourceLoc(s: TemplateStack, r: ResourceEntry): Location {
    const at = this.loc(s, r.pointer);
    return r.propertiesPointer === joinPointer(r.pointer, 'Properties')
      ? at
      : { ...at, properties: r.propertiesPointer };
  }

  loc(s: TemplateStack, pointer: string): Location {
    const pos = s.position(pointer);
    return pos
      ? { file: s.file, pointer, line: pos.line, column: pos.column }
      : { file: s.file, pointer };
  }

  private account(id: string): MutAccount {
    let a = this.accounts.get(id);
    if (!a) {
      a = { roles: new Map(), policies: new Map(), buckets: new Map(), regions: new Map() };
      this.accounts.set(id, a);
    }
    return a;
  }

  private region(account: string, region: string): MutRegion {
    const a = this.account(account);
    let r = a.regions.get(region);
    if (!r) {
      r = {
        pipelines: new Map(),
        projects: new Map(),
        kmsKeys: new Map(),
        aliases: new Map(),
        lambdas: new Map(),
        rules: new Map(),
        snsTopics: new Map(),
        ecrRepositories: new Map(),
        ecsTaskDefinitions: new Map(),
        ecsServices: new Map(),
        stateMachines: new Map(),
        deploymentGroups: new Map(),
        lambdaStatements: new Map(),
        busStatements: new Map(),
        buses: new Map(),
      };
      a.regions.set(region, r);
    }
    return r;
  }

  /** Resolve a property of a resource. */
  private prop(s: TemplateStack, r: ResourceEntry, key: string): unknown {
    const raw = r.properties[key];
    if (raw === undefined) return undefined;
    const v = s.resolve(raw, this.propAt(r, key));
    return v === NO_VALUE ? undefined : v;
  }

  /**
   * The resource's physical name, or the placeholder standing for it when it is not settled, and
   * whether CloudFormation generates it.
   */
  private nameOf(s: TemplateStack, r: ResourceEntry): { name: string; generated: boolean } {
    const named = s.physicalName(r, r.pointer);
    return {
      name: isUnresolved(named.value) ? this.placeholder(s, named.value, 'name') : named.value,
      generated: named.generated,
    };
  }

  /** The string property `key` of `r` (see text). */
  private propText(
    s: TemplateStack,
    r: ResourceEntry,
    key: string,
    kind: PlaceholderKind,
  ): string | undefined {
    return this.text(s, this.prop(s, r, key), this.propAt(r, key), kind);
  }

  /**
   * A string property. Unresolved: a placeholder of `kind` that no lookup can find, recorded in
   * `model.unresolved`, and a `template.value.unresolved` problem.
   */
  private text(
    s: TemplateStack,
    value: unknown,
    pointer: string,
    kind: PlaceholderKind,
    region: string = s.region,
  ): string | undefined {
    if (value === undefined) return undefined;
    // `Key:` left empty: CloudFormation rejects the template ("'null' values are not allowed in
    // templates"); the value is unknown, never absent (an action role absent is the pipeline's)
    if (value === null) return this.wrongShape(s, pointer, NULL_VALUE, kind, region);
    // a managed policy is named by its ARN: `true` or `5` is none (it was looked up as the
    // policy `true`, missing with nothing naming the template line)
    if (kind === 'policy' && (typeof value === 'boolean' || typeof value === 'number')) {
      return this.wrongShape(
        s,
        pointer,
        `expected a policy ARN, got ${describe(value)} (\`${String(value)}\`)`,
        kind,
        region,
      );
    }
    const t = asString(value, pointer);
    if (!(t instanceof Unresolved)) return t;
    return this.placeholder(s, t, kind, true, region);
  }

  /**
   * A value of the wrong shape, which CloudFormation rejects: an input error at `pointer`, and a
   * placeholder of `kind`, so what depends on the value is Unknown naming it.
   */
  private wrongShape(
    s: TemplateStack,
    pointer: string,
    message: string,
    kind: PlaceholderKind,
    region: string = s.region,
  ): string {
    s.problem('error', 'template.shape.invalid', pointer, message);
    return this.placeholder(s, new Unresolved(message, pointer), kind, false, region);
  }

  /**
   * A String property of a pipeline action: `text`, except that a list or an object (which
   * CloudFormation rejects) is an input error too, not only an unknown value.
   */
  private actionText(
    s: TemplateStack,
    value: unknown,
    pointer: string,
    kind: PlaceholderKind,
    key: string,
  ): string | undefined {
    const wrong = notText(value);
    if (wrong === undefined || value === null) return this.text(s, value, pointer, kind);
    return this.wrongShape(s, pointer, `\`${key}\` must be a string, not ${wrong}`, kind);
  }

  /**
   * `report`: false for a value that is unsettled by design (a CodePipeline variable), which is
   * not an input problem. `region`: the region a placeholder key ARN names, when the key is not
   * in the stack's region (the key of another region's artifact store).
   */
  placeholder(
    s: TemplateStack,
    u: Unresolved,
    kind: PlaceholderKind,
    report = true,
    region: string = s.region,
  ): string {
    const placeholder = placeholderOf(
      kind,
      // per stack: one template deployed twice has two unknowns; not per file, so that one
      // template read from two folders (`diff main/x.yaml pr/x.yaml`, a baseline written in
      // another checkout) gives the same placeholders, and the same links
      `${s.account}|${s.region}|${s.name}|${u.pointer}#${kind}`,
      s.partition,
      region,
    );
    if (!this.unresolved.has(placeholder)) {
      this.unresolved.set(placeholder, {
        placeholder,
        reason: u.reason,
        location: this.origin(s, u),
      });
      if (report)
        s.problem(
          'warning',
          'template.value.unresolved',
          u.pointer,
          `${u.reason}: the value is unknown`,
        );
    }
    return placeholder;
  }

  private strings(
    s: TemplateStack,
    value: unknown,
    pointer: string,
    kind: PlaceholderKind,
  ): string[] {
    if (value === undefined) return [];
    if (isUnresolved(value)) return [this.placeholder(s, value, kind)];
    const list = Array.isArray(value) ? value : [value];
    const out: string[] = [];
    list.forEach((v, i) => {
      const t = this.text(s, v, Array.isArray(value) ? joinPointer(pointer, i) : pointer, kind);
      if (t !== undefined) out.push(t);
    });
    return out;
  }

  /**
   * A Boolean property: `true`/`false`, or the strings "true" and "false", which CloudFormation
   * takes for a Boolean. undefined: the property is absent. An `Unresolved`: the template does
   * not settle it, either a value it cannot resolve or anything else (`off`, `no`, `yes`, `1`:
   * YAML 1.1 and some tools read them as Booleans, which permchain does not guess), located at
   * the property; each caller decides what that stands for, never its default.
   */
  private flag(value: unknown, pointer: string): boolean | undefined | Unresolved {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'boolean') return value;
    if (value === 'true' || value === 'false') return value === 'true';
    if (isUnresolved(value)) return value.at(pointer);
    const shown =
      typeof value === 'string' || typeof value === 'number' ? `\`${value}\`` : describe(value);
    return new Unresolved(`${shown} is not a Boolean (true or false)`, pointer);
  }

  /**
   * A Boolean setting no link is decided on (the model keeps it for what reads it later):
   * unsettled is unknown (`undefined`, never the default), reported as
   * `template.value.unresolved`.
   */
  private bool(s: TemplateStack, value: unknown, pointer: string): boolean | undefined {
    const f = this.flag(value, pointer);
    if (!isUnresolved(f)) return f;
    this.unsettledFlag(s, f);
    return undefined;
  }

  /** Report a Boolean the template does not settle. */
  private unsettledFlag(s: TemplateStack, u: Unresolved): void {
    s.problem(
      'warning',
      'template.value.unresolved',
      u.pointer,
      `${u.reason}: the value is unknown`,
    );
  }

  /**
   * A string setting: unresolved, a placeholder of `kind` (recorded in `model.unresolved`, so a
   * link that uses it is Unknown naming the template line), never absent or a default.
   */
  private field(
    s: TemplateStack,
    value: unknown,
    kind: PlaceholderKind = 'name',
  ): string | undefined {
    return isUnresolved(value) ? this.placeholder(s, value, kind) : this.optString(value);
  }

  /**
   * A build image the template does not settle may be an ECR image: it is written as one whose
   * repository is the placeholder (in the stack's account and region, which stand for any), so
   * the chain checks the ECR pull links and they are Unknown naming the template line, rather
   * than left out as for an image outside ECR.
   */
  private unknownImage(s: TemplateStack, u: Unresolved): string {
    const suffix = s.partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
    return `${s.account}.dkr.ecr.${s.region}.${suffix}/${this.placeholder(s, u, 'name')}`;
  }

  private optString(value: unknown): string | undefined {
    return typeof value === 'string'
      ? value
      : typeof value === 'number'
        ? String(value)
        : undefined;
  }

  private policy(
    s: TemplateStack,
    r: ResourceEntry,
    key: string,
    name: string,
    policyType: 'identity' | 'resource' | 'trust' | 'key',
  ): CompiledPolicy | undefined {
    const pointer = this.propAt(r, key);
    const v = this.prop(s, r, key);
    if (v === undefined) return undefined;
    return compileTemplatePolicy(s, v, { name, policyType, pointer });
  }

  // -------------------------------------------------------------------------------------------
  // entities

  private buildEntity(s: TemplateStack, r: ResourceEntry): void {
    switch (r.type) {
      case 'AWS::IAM::Role':
        return this.buildRole(s, r);
      case 'AWS::IAM::ManagedPolicy':
        return this.buildManagedPolicy(s, r);
      case 'AWS::S3::Bucket':
        return this.buildBucket(s, r);
      case 'AWS::KMS::Key':
        return this.buildKey(s, r);
      case 'AWS::CodeBuild::Project':
        return this.buildProject(s, r);
      case 'AWS::Lambda::Function':
      case 'AWS::Serverless::Function':
        return this.buildLambda(s, r);
      case 'AWS::SNS::Topic':
        return this.buildTopic(s, r);
      case 'AWS::Events::Rule':
        return this.buildRule(s, r);
      case 'AWS::CodePipeline::Pipeline':
        return this.buildPipeline(s, r);
      case 'AWS::ECS::TaskDefinition':
        return this.buildTaskDefinition(s, r);
      case 'AWS::ECS::Service':
        return this.buildEcsService(s, r);
      case 'AWS::ECR::Repository':
        return this.buildEcrRepository(s, r);
      case 'AWS::StepFunctions::StateMachine':
        return this.buildStateMachine(s, r);
    }
  }

  /**
   * A repository and its policy: `RepositoryPolicyText` when given (unknown when the template
   * does not settle it), else none
   * (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ecr-repository.html).
   */
  private buildEcrRepository(s: TemplateStack, r: ResourceEntry): void {
    const { name } = this.nameOf(s, r);
    const arn = `arn:${s.partition}:ecr:${s.region}:${s.account}:repository/${name}`;
    // absent (or `AWS::NoValue`): no policy; one the template does not settle: unknown
    const pointer = this.propAt(r, 'RepositoryPolicyText');
    const text = this.prop(s, r, 'RepositoryPolicyText');
    const repository: EcrRepositoryModel = {
      name,
      arn,
      account: s.account,
      region: s.region,
      policy:
        text === undefined
          ? null
          : compileTemplatePolicy(s, text, { name: arn, policyType: 'resource', pointer }),
      location: this.loc(s, text === undefined ? r.pointer : pointer),
    };
    this.region(s.account, s.region).ecrRepositories.set(name, repository);
  }

  /**
   * A state machine and its type: StateMachineType, `STANDARD` when absent
   * (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-stepfunctions-statemachine.html);
   * undefined when the template does not settle it (or gives a value CloudFormation rejects)
   */
  private buildStateMachine(s: TemplateStack, r: ResourceEntry): void {
    const { name } = this.nameOf(s, r);
    // one the template does not settle is a placeholder (and a warning naming it), as any
    // property's; that, or a value CloudFormation rejects, leaves the type unknown
    const given = this.propText(s, r, 'StateMachineType', 'name') ?? 'STANDARD';
    const type = given === 'STANDARD' || given === 'EXPRESS' ? given : undefined;
    const machine: StateMachineModel = {
      name,
      type,
      account: s.account,
      region: s.region,
      location: this.loc(s, r.pointer),
    };
    this.region(s.account, s.region).stateMachines.set(name, machine);
  }

  /** The family a task definition's Ref names: its Family, else the generated name. */
  private taskDefinitionFamily(
    s: TemplateStack,
    r: ResourceEntry,
  ): { family: string; generated: boolean } {
    const family = this.propText(s, r, 'Family', 'name');
    if (family !== undefined) return { family, generated: false };
    // CloudFormation names a family it generates after the stack and logical id
    return { family: `${s.name}-${r.logicalId}`, generated: true };
  }

  private buildTaskDefinition(s: TemplateStack, r: ResourceEntry): void {
    const { family, generated } = this.taskDefinitionFamily(s, r);
    const role = (key: string): string | undefined => this.propText(s, r, key, 'role');
    this.region(s.account, s.region).ecsTaskDefinitions.set(family, {
      family,
      taskRoleArn: role('TaskRoleArn'),
      executionRoleArn: role('ExecutionRoleArn'),
      account: s.account,
      region: s.region,
      ...(generated ? { generated: true } : {}),
      location: this.resourceLoc(s, r),
    });
  }

  private buildEcsService(s: TemplateStack, r: ResourceEntry): void {
    // ServiceName when given, read here so that a null one is reported as the wrong shape;
    // else the name CloudFormation generates (Fn::GetAtt Name gives the same: templateStack.ts)
    const given = this.propText(s, r, 'ServiceName', 'name');
    const named = s.physicalName(r, r.pointer);
    const name =
      given ?? (isUnresolved(named.value) ? this.placeholder(s, named.value, 'name') : named.value);
    const clusterRaw = r.properties['Cluster'];
    let cluster = 'default';
    if (clusterRaw !== undefined) {
      const ref = refTarget(clusterRaw);
      const target = ref ? s.resources.get(ref) : undefined;
      if (target && target.type === 'AWS::ECS::Cluster') {
        const c = s.physicalName(target, target.pointer);
        cluster = isUnresolved(c.value) ? this.placeholder(s, c.value, 'name') : c.value;
      } else {
        const text = this.propText(s, r, 'Cluster', 'name') ?? 'default';
        cluster = text.includes(':cluster/') ? text.slice(text.indexOf(':cluster/') + 9) : text;
      }
    }
    // the task definition: a Ref to one in the same template gives its family; an ARN or
    // `family:revision` gives it as written
    let taskDefinitionFamily: string | undefined;
    const tdRaw = r.properties['TaskDefinition'];
    const tdRef = tdRaw === undefined ? undefined : refTarget(tdRaw);
    const td = tdRef ? s.resources.get(tdRef) : undefined;
    if (td && td.type === 'AWS::ECS::TaskDefinition') {
      taskDefinitionFamily = this.taskDefinitionFamily(s, td).family;
    } else if (tdRaw !== undefined) {
      const text = this.propText(s, r, 'TaskDefinition', 'name');
      if (text !== undefined && !text.includes('unresolved')) {
        const tail = text.includes('task-definition/')
          ? text.slice(text.indexOf('task-definition/') + 16)
          : text;
        taskDefinitionFamily = tail.split(':')[0];
      }
    }
    this.region(s.account, s.region).ecsServices.set(`${cluster}/${name}`, {
      cluster,
      name,
      taskDefinitionFamily,
      account: s.account,
      region: s.region,
      location: this.loc(s, r.pointer),
    });
  }

  /**
   * A CodeDeploy deployment group, with the roles of its EC2 instances when the templates define
   * them (the rule for what counts as resolved: src/load/templateDeploymentGroups.ts).
   */
  private buildDeploymentGroup(s: TemplateStack, r: ResourceEntry): void {
    const application = this.propText(s, r, 'ApplicationName', 'name');
    if (application === undefined) {
      s.problem(
        'error',
        'template.deployment-group.application-missing',
        joinPointer(r.propertiesPointer),
        `deployment group \`${r.logicalId}\` has no \`ApplicationName\``,
      );
      return;
    }
    const { name } = this.nameOf(s, r);
    // the compute platform is the application's (default Server)
    const appRef = refTarget(r.properties['ApplicationName']);
    const app = appRef ? s.resources.get(appRef) : undefined;
    const computePlatform =
      app?.type === 'AWS::CodeDeploy::Application'
        ? (this.field(s, this.prop(s, app, 'ComputePlatform')) ?? 'Server')
        : r.properties['ECSServices'] !== undefined
          ? 'ECS'
          : undefined;
    const group: DeploymentGroupModel = {
      application,
      name,
      account: s.account,
      region: s.region,
      serviceRoleArn: this.propText(s, r, 'ServiceRoleArn', 'role'),
      computePlatform,
      deploymentConfigName: this.propText(s, r, 'DeploymentConfigName', 'name'),
      instanceRoles: instanceRolesOf(
        {
          stacks: this.stacks,
          // an instance profile's Roles are role names
          // (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-iam-instanceprofile.html#cfn-iam-instanceprofile-roles),
          // each unique in its account whatever the path
          // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-names):
          // the template's role of that name, else the snapshot's when laid over one
          roleArn: (account, roleName) => {
            for (const role of this.accounts.get(account)?.roles.values() ?? [])
              if (role.name === roleName) return role.arn;
            return s.options.deployed?.roleArn?.(account, roleName);
          },
          ...(s.options.deployed?.roleArn ? { where: 'the templates or the snapshot' } : {}),
        },
        s,
        r,
      ),
      location: this.loc(s, r.pointer),
    };
    this.region(s.account, s.region).deploymentGroups.set(
      deploymentGroupKey(application, name),
      group,
    );
  }

  /**
   * The ARN, with its path, of the role of this name that a template defines in the account,
   * whichever stack and whatever the order of resources; undefined when none does (or its name or
   * ARN is not settled).
   */
  private templateRoleArn(account: string, name: string): string | undefined {
    for (const s of this.stacks) {
      if (s.account !== account) continue;
      for (const r of this.live(s)) {
        if (r.type !== 'AWS::IAM::Role') continue;
        const named = s.physicalName(r, r.pointer).value;
        if (isUnresolved(named) || named !== name) continue;
        const arn = s.iamArn(r, 'role', r.pointer);
        if (!isUnresolved(arn)) return arn;
      }
    }
    return undefined;
  }

  private roleArnOf(s: TemplateStack, r: ResourceEntry): string {
    const arn = s.iamArn(r, 'role', r.pointer);
    return isUnresolved(arn) ? this.placeholder(s, arn, 'role') : arn;
  }

  private buildRole(s: TemplateStack, r: ResourceEntry): void {
    const arn = this.roleArnOf(s, r);
    const named = s.physicalName(r, r.pointer);
    const name = isUnresolved(named.value) ? (arn.split('/').pop() ?? arn) : named.value;
    const pathValue = s.iamPath(r);
    const path = isUnresolved(pathValue) ? '/' : pathValue;
    const inlinePolicies: InlinePolicyModel[] = [];
    const managedPolicyArns: string[] = [];
    let trustPolicy: CompiledPolicy | undefined;
    let boundaryArn: string | undefined;
    const tags = new Map<string, string>();
    const fn = r.generatedBy !== undefined ? s.resources.get(r.generatedBy) : undefined;
    if (fn) {
      // the role SAM generates for a function
      // (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-function.html#sam-function-policies)
      trustPolicy = compileTemplatePolicy(
        s,
        {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: ['lambda.amazonaws.com'] },
              Action: ['sts:AssumeRole'],
            },
          ],
        },
        { name: arn, policyType: 'trust', pointer: fn.pointer },
      );
      const partition = s.partition;
      managedPolicyArns.push(
        `arn:${partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole`,
      );
      const tracing = s.resolve(s.samProperty(fn, 'Tracing'), s.samPointer(fn, 'Tracing'));
      if (tracing === 'Active') {
        managedPolicyArns.push(`arn:${partition}:iam::aws:policy/AWSXrayWriteOnlyAccess`);
      }
      if (s.samProperty(fn, 'VpcConfig') !== undefined) {
        managedPolicyArns.push(
          `arn:${partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole`,
        );
      }
      this.samPolicies(s, fn, arn, inlinePolicies, managedPolicyArns);
      const b = s.samProperty(fn, 'PermissionsBoundary');
      if (b !== undefined) {
        const p = s.samPointer(fn, 'PermissionsBoundary');
        boundaryArn = this.text(s, s.resolve(b, p), p, 'policy');
      }
    } else {
      trustPolicy = this.policy(s, r, 'AssumeRolePolicyDocument', arn, 'trust');
      if (r.properties['AssumeRolePolicyDocument'] === undefined) {
        s.problem(
          'error',
          'template.role.trust-missing',
          joinPointer(r.propertiesPointer),
          `role \`${r.logicalId}\` has no \`AssumeRolePolicyDocument\``,
        );
      }
      const policies = this.prop(s, r, 'Policies');
      const pp = this.propAt(r, 'Policies');
      if (Array.isArray(policies)) {
        policies.forEach((p, i) => inlinePolicies.push(this.inline(s, p, joinPointer(pp, i), arn)));
      } else if (policies !== undefined) {
        inlinePolicies.push(this.inline(s, policies, pp, arn));
      }
      managedPolicyArns.push(
        ...this.strings(
          s,
          this.prop(s, r, 'ManagedPolicyArns'),
          this.propAt(r, 'ManagedPolicyArns'),
          'policy',
        ),
      );
      const b = this.prop(s, r, 'PermissionsBoundary');
      boundaryArn = this.text(s, b, this.propAt(r, 'PermissionsBoundary'), 'policy');
      const t = this.prop(s, r, 'Tags');
      const tp = this.propAt(r, 'Tags');
      // a tag the template does not settle: aws:PrincipalTag is not known, so the role's links
      // are Unknown (an unknown policy stands for it), naming the tag
      const unknownTag = (u: Unresolved, pointer: string): void => {
        s.problem(
          'warning',
          'template.value.unresolved',
          pointer,
          `${u.reason}: a tag of the role is not known, so are the links its tags may decide`,
        );
        inlinePolicies.push(this.unknownInline(s, '(tags)', pointer));
      };
      if (isUnresolved(t)) unknownTag(t, tp);
      else if (Array.isArray(t)) {
        t.forEach((tag, i) => {
          const at = joinPointer(tp, i);
          if (isUnresolved(tag)) return unknownTag(tag, at);
          if (!isObject(tag)) return;
          const key = asString(tag['Key'], joinPointer(at, 'Key'));
          if (isUnresolved(key)) return unknownTag(key, joinPointer(at, 'Key'));
          // CloudFormation passes a scalar to a string property as its text: `Value: true` is
          // the tag value "true" (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-resource-tags.html)
          const value = asString(tag['Value'] ?? '', joinPointer(at, 'Value'));
          if (isUnresolved(value)) {
            // the tag is there, with a value not known
            tags.set(key, this.placeholder(s, value, 'name'));
            inlinePolicies.push(this.unknownInline(s, '(tags)', joinPointer(at, 'Value')));
            return;
          }
          tags.set(key, value);
        });
      }
    }
    // laid over a snapshot that holds the role, unreplaced, its real id (TemplateStack
    // deployedRoleId), which `Fn::GetAtt Role.RoleId` gives as well
    const deployedId = s.deployedRoleId(r);
    const role: Mutable<RoleModel> = {
      kind: 'role',
      arn,
      name,
      path,
      // the made-up id `Fn::GetAtt Role.RoleId` gives (TemplateStack.roleId): a policy of the
      // template that names the role by it (`!Sub "${Role.RoleId}:*"`) matches it
      roleId: deployedId ?? s.roleId(r),
      ...(deployedId === undefined ? { roleIdGenerated: true } : {}),
      account: s.account,
      trustPolicy,
      inlinePolicies,
      managedPolicyArns,
      boundaryArn,
      tags: new Map([...tags].sort()),
      isServiceLinked: path.startsWith('/aws-service-role/'),
      ...(named.generated ? { generated: true } : {}),
      location: this.loc(s, r.pointer),
    };
    this.account(s.account).roles.set(arn, role);
  }

  /** SAM `Policies`: managed policy names or ARNs, policy documents, or SAM policy templates. */
  private samPolicies(
    s: TemplateStack,
    fn: ResourceEntry,
    roleArn: string,
    inline: InlinePolicyModel[],
    managed: string[],
  ): void {
    const raw = s.samProperty(fn, 'Policies');
    if (raw === undefined) return;
    const pointer = s.samPointer(fn, 'Policies');
    const value = s.resolve(raw, pointer);
    const list = Array.isArray(value) ? value : [value];
    list.forEach((p, i) => {
      const pp = Array.isArray(value) ? joinPointer(pointer, i) : pointer;
      const name = `${fn.logicalId}RolePolicy${i}`;
      if (typeof p === 'string') {
        managed.push(p.startsWith('arn:') ? p : `arn:${s.partition}:iam::aws:policy/${p}`);
      } else if (isUnresolved(p)) {
        managed.push(this.placeholder(s, p, 'policy'));
      } else if (isObject(p) && 'Statement' in p) {
        inline.push({
          name,
          policy: compileTemplatePolicy(s, p, {
            name: `${roleArn} ${name}`,
            policyType: 'identity',
            pointer: pp,
          }),
          location: this.loc(s, pp),
        });
      } else {
        // a SAM policy template (`S3ReadPolicy: {...}`): its expansion is not modelled
        s.problem(
          'warning',
          'template.sam.policy-template',
          pp,
          `the sam policy template \`${isObject(p) ? Object.keys(p).join(',').slice(0, 60) : typeof p}\` is not expanded: the role's policies are unknown`,
        );
        inline.push({ name, policy: undefined, location: this.loc(s, pp) });
      }
    });
  }

  private inline(s: TemplateStack, p: unknown, pointer: string, owner: string): InlinePolicyModel {
    if (isUnresolved(p)) {
      // a policy the template does not settle (`Fn::If` on an unknown condition): unknown, not
      // malformed; the role's trust policy is still known
      s.problem(
        'warning',
        'template.value.unresolved',
        pointer,
        `${p.reason}: whether the role has this policy is not known: its policies are unknown`,
      );
      return this.unknownInline(s, '', pointer);
    }
    if (!isObject(p)) {
      s.problem(
        'error',
        'template.policy.invalid',
        pointer,
        'expected `PolicyName` and `PolicyDocument`',
      );
      return { name: '', policy: undefined, location: this.loc(s, pointer) };
    }
    const name = asString(p['PolicyName'], joinPointer(pointer, 'PolicyName'));
    const policyName = isUnresolved(name) ? '' : name;
    const doc = p['PolicyDocument'];
    let policy: CompiledPolicy | undefined;
    if (doc === undefined) {
      s.problem('error', 'template.policy.invalid', pointer, 'the policy has no `PolicyDocument`');
    } else {
      policy = compileTemplatePolicy(s, doc, {
        name: `${owner} ${policyName}`.trim(),
        policyType: 'identity',
        pointer: joinPointer(pointer, 'PolicyDocument'),
      });
    }
    return { name: policyName, policy, location: this.loc(s, pointer) };
  }

  private buildManagedPolicy(s: TemplateStack, r: ResourceEntry): void {
    const arnValue = s.iamArn(r, 'policy', r.pointer);
    const arn = isUnresolved(arnValue) ? this.placeholder(s, arnValue, 'policy') : arnValue;
    const named = s.physicalName(r, r.pointer);
    const path = s.iamPath(r);
    const model: ManagedPolicyModel = {
      arn,
      name: isUnresolved(named.value) ? arn : named.value,
      path: isUnresolved(path) ? '/' : path,
      policyId: undefined,
      isAwsManaged: false,
      defaultVersionId: 'v1',
      policy: this.policy(s, r, 'PolicyDocument', arn, 'identity'),
      ...(named.generated ? { generated: true } : {}),
      location: this.loc(s, r.pointer),
    };
    this.account(s.account).policies.set(arn, model);
  }

  private buildBucket(s: TemplateStack, r: ResourceEntry): void {
    const named = s.physicalName(r, r.pointer);
    const name = isUnresolved(named.value)
      ? this.placeholder(s, named.value, 'bucket')
      : named.value;
    const enc = this.prop(s, r, 'BucketEncryption');
    let encryption: BucketModel['encryption'];
    const rules = isObject(enc) ? enc['ServerSideEncryptionConfiguration'] : undefined;
    const rule: unknown = Array.isArray(rules) ? rules[0] : undefined;
    const byDefault = isObject(rule) ? rule['ServerSideEncryptionByDefault'] : undefined;
    const unsettled = [enc, rules, rule, byDefault].find(isUnresolved);
    if (unsettled) {
      // encryption the template does not settle may be SSE-KMS with any key: the key is
      // unknown (an unknown link for those who must use it), never "SSE-S3"; so is whether it
      // uses an S3 Bucket Key (the encryption context of the KMS calls S3 makes: resolveLink)
      encryption = {
        sseAlgorithm: 'aws:kms',
        kmsMasterKeyId: this.placeholder(s, unsettled, 'key'),
        bucketKeyEnabled: undefined,
        bucketKeyUnknownAt: placeOf(this.loc(s, this.propAt(r, 'BucketEncryption'))),
      };
    } else if (isObject(rule)) {
      const d = isObject(rule['ServerSideEncryptionByDefault'])
        ? rule['ServerSideEncryptionByDefault']
        : {};
      const keyPointer = joinPointer(
        r.propertiesPointer,
        'BucketEncryption',
        'ServerSideEncryptionConfiguration',
        0,
        'ServerSideEncryptionByDefault',
        'KMSMasterKeyID',
      );
      const bucketKeyPointer = joinPointer(
        r.propertiesPointer,
        'BucketEncryption',
        'ServerSideEncryptionConfiguration',
        0,
        'BucketKeyEnabled',
      );
      const algorithm = d['SSEAlgorithm'];
      const keyId = d['KMSMasterKeyID'];
      const given = rule['BucketKeyEnabled'];
      const bucketKeyEnabled = this.bool(s, given, bucketKeyPointer);
      // written, but not settled (unresolved, or not a Boolean: a warning says so)
      const bucketKey =
        bucketKeyEnabled === undefined && given !== undefined && given !== null
          ? { bucketKeyEnabled, bucketKeyUnknownAt: placeOf(this.loc(s, bucketKeyPointer)) }
          : bucketKeyEnabled === true
            ? { bucketKeyEnabled, bucketKeyAt: placeOf(this.loc(s, bucketKeyPointer)) }
            : { bucketKeyEnabled };
      encryption = isUnresolved(algorithm)
        ? {
            // an algorithm the template does not settle may be SSE-KMS, with the key it names
            // or with one not known: the key is unknown either way, never "SSE-S3"
            sseAlgorithm: 'aws:kms',
            kmsMasterKeyId: this.placeholder(s, isUnresolved(keyId) ? keyId : algorithm, 'key'),
            ...bucketKey,
          }
        : {
            sseAlgorithm: this.optString(algorithm),
            kmsMasterKeyId: this.text(s, keyId, keyPointer, 'key'),
            ...bucketKey,
          };
    } else {
      // since January 2023 every new bucket is encrypted with SSE-S3 by default
      // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-encryption-faq.html)
      encryption = { sseAlgorithm: 'AES256', kmsMasterKeyId: undefined, bucketKeyEnabled: false };
    }
    const oc = this.prop(s, r, 'OwnershipControls');
    const ocRules = isObject(oc) ? oc['Rules'] : undefined;
    const ocRule: unknown = Array.isArray(ocRules) ? ocRules[0] : undefined;
    const pab = this.prop(s, r, 'PublicAccessBlockConfiguration');
    const pabAt = (...k: string[]): string =>
      this.propAt(r, 'PublicAccessBlockConfiguration', ...k);
    if (isUnresolved(pab)) this.unsettledFlag(s, pab.at(pabAt()));
    const bucket: Mutable<BucketModel> = {
      name,
      arn: `arn:${s.partition}:s3:::${name}`,
      account: s.account,
      // known: a bucket made by the template has no policy unless a BucketPolicy gives it one
      policy: null,
      region: s.region,
      encryption,
      // new buckets default to BucketOwnerEnforced
      // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html)
      ownership: isObject(ocRule)
        ? this.field(s, ocRule['ObjectOwnership'])
        : [oc, ocRules, ocRule].some(isUnresolved)
          ? this.placeholder(s, [oc, ocRules, ocRule].find(isUnresolved) as Unresolved, 'name')
          : 'BucketOwnerEnforced',
      ...(!isObject(ocRule) && ![oc, ocRules, ocRule].some(isUnresolved)
        ? { ownershipByDefault: true as const }
        : {}),
      // a setting the template does not settle is unknown, never its default
      publicAccessBlock: isObject(pab)
        ? {
            blockPublicAcls: this.bool(s, pab['BlockPublicAcls'], pabAt('BlockPublicAcls')),
            ignorePublicAcls: this.bool(s, pab['IgnorePublicAcls'], pabAt('IgnorePublicAcls')),
            blockPublicPolicy: this.bool(s, pab['BlockPublicPolicy'], pabAt('BlockPublicPolicy')),
            restrictPublicBuckets: this.bool(
              s,
              pab['RestrictPublicBuckets'],
              pabAt('RestrictPublicBuckets'),
            ),
          }
        : undefined,
      ...(named.generated ? { generated: true } : {}),
      location: this.loc(s, r.pointer),
    };
    this.account(s.account).buckets.set(name, bucket);
  }

  private buildKey(s: TemplateStack, r: ResourceEntry): void {
    const arn = s.keyArn(r);
    const keyId = arn.slice(arn.lastIndexOf('/') + 1);
    let policy: CompiledPolicy | undefined;
    if (r.properties['KeyPolicy'] === undefined) {
      // no KeyPolicy: KMS applies the default key policy, which delegates to IAM in the account
      // (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html)
      policy = compileTemplatePolicy(
        s,
        {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'Enable IAM User Permissions',
              Effect: 'Allow',
              Principal: { AWS: `arn:${s.partition}:iam::${s.account}:root` },
              Action: 'kms:*',
              Resource: '*',
            },
          ],
        },
        { name: arn, policyType: 'resource', pointer: r.pointer },
      );
    } else {
      policy = this.policy(s, r, 'KeyPolicy', arn, 'key');
    }
    const P = (k: string): string => this.propAt(r, k);
    // a key is enabled unless `Enabled` is false, and only an enabled key can be used in
    // cryptographic operations
    // (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-kms-key.html#cfn-kms-key-enabled,
    // https://docs.aws.amazon.com/kms/latest/developerguide/enabling-keys.html). An `Enabled` the
    // template does not settle leaves the key state unknown: it is a placeholder that
    // `model.unresolved` maps to the property, never the default
    const enabledFlag = this.flag(this.prop(s, r, 'Enabled'), P('Enabled'));
    const enabled = isUnresolved(enabledFlag) ? undefined : (enabledFlag ?? true);
    const multiRegion = this.flag(this.prop(s, r, 'MultiRegion'), P('MultiRegion'));
    if (isUnresolved(multiRegion)) this.unsettledFlag(s, multiRegion);
    const key: Mutable<KmsKeyModel> = {
      keyId,
      arn,
      account: s.account,
      region: s.region,
      policy,
      keyManager: 'CUSTOMER',
      keySpec: this.field(s, this.prop(s, r, 'KeySpec')) ?? 'SYMMETRIC_DEFAULT',
      keyUsage: this.field(s, this.prop(s, r, 'KeyUsage')) ?? 'ENCRYPT_DECRYPT',
      keyState: isUnresolved(enabledFlag)
        ? this.placeholder(s, enabledFlag, 'name')
        : enabled
          ? 'Enabled'
          : 'Disabled',
      enabled,
      multiRegion: isUnresolved(multiRegion) ? undefined : (multiRegion ?? false),
      aliases: [],
      // a key the template creates has no grants yet
      grants: [],
      generated: true,
      location: this.loc(s, r.pointer),
      policyLocation: this.loc(
        s,
        r.properties['KeyPolicy'] === undefined ? r.pointer : P('KeyPolicy'),
      ),
      stateLocation: this.loc(s, r.properties['Enabled'] === undefined ? r.pointer : P('Enabled')),
    };
    this.region(s.account, s.region).kmsKeys.set(keyId, key);
  }

  private buildProject(s: TemplateStack, r: ResourceEntry): void {
    const { name, generated } = this.nameOf(s, r);
    const P = (k: string): string => this.propAt(r, k);
    let serviceRole = this.propText(s, r, 'ServiceRole', 'role');
    // ServiceRole takes a role name or ARN
    // (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-codebuild-project.html#cfn-codebuild-project-servicerole):
    // `!Ref SomeRole` gives the role's name. A role name is unique in its account whatever the
    // path (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-names),
    // so the name names one role, with its path in its ARN: the role the templates define of
    // that name (the state after the deploy), else the snapshot's role of that name when the
    // templates are laid over one (templateMerge deployedNames). Only a name neither settles
    // becomes `role/<name>` (a role of the snapshot with another path is then Unknown, naming
    // it: findRole)
    if (serviceRole !== undefined && !serviceRole.startsWith('arn:')) {
      serviceRole =
        this.templateRoleArn(s.account, serviceRole) ??
        s.options.deployed?.roleArn?.(s.account, serviceRole) ??
        `arn:${s.partition}:iam::${s.account}:role/${serviceRole}`;
    }
    // every setting the template does not settle is a placeholder (see `field`): the chain's
    // links that depend on it are Unknown naming the template line, never decided on a default
    const str = (v: unknown): string | undefined => this.field(s, v);
    const env = this.prop(s, r, 'Environment');
    let environment: CodeBuildEnvironmentModel | undefined;
    if (isUnresolved(env)) {
      environment = unknownEnvironment(this.placeholder(s, env, 'name'), this.unknownImage(s, env));
    } else if (isObject(env)) {
      const rc = env['RegistryCredential'];
      const vars = env['EnvironmentVariables'];
      const image = env['Image'];
      const credential = isObject(rc) ? str(rc['Credential']) : undefined;
      // a list, an entry or a Type the template does not settle: which parameters and secrets
      // the build reads is not known (a Value it does not settle is a placeholder reference)
      const openVars = isUnresolved(vars)
        ? vars
        : Array.isArray(vars)
          ? (vars.find(isUnresolved) ??
            vars.map((v) => (isObject(v) ? v['Type'] : undefined)).find(isUnresolved))
          : undefined;
      // a list or a variable CloudFormation rejects (templateVariableFaults: a Type CodeBuild
      // does not document such as `parameter_store`, a PARAMETER_STORE or SECRETS_MANAGER one
      // without a Value...): as in a snapshot, an input error at each, and what the build reads
      // is unknown, naming the first, never read as no read at all
      let wrongVars: string | undefined;
      if (openVars === undefined) {
        const lp = joinPointer(P('Environment'), 'EnvironmentVariables');
        for (const f of templateVariableFaults(vars, lp)) {
          const message = `${f.message}: the parameters and secrets the build reads are unknown`;
          if (wrongVars === undefined) wrongVars = this.wrongShape(s, f.pointer, message, 'name');
          else s.problem('error', 'template.shape.invalid', f.pointer, message);
        }
      }
      environment = {
        type: str(env['Type']),
        image: isUnresolved(image) ? this.unknownImage(s, image) : this.optString(image),
        computeType: str(env['ComputeType']),
        imagePullCredentialsType: str(env['ImagePullCredentialsType']),
        privilegedMode: this.bool(
          s,
          env['PrivilegedMode'],
          joinPointer(P('Environment'), 'PrivilegedMode'),
        ),
        registryCredential:
          credential !== undefined && isObject(rc)
            ? {
                credential,
                credentialProvider: str(rc['CredentialProvider']) ?? 'SECRETS_MANAGER',
              }
            : undefined,
        environmentVariables: Array.isArray(vars)
          ? vars.filter(isObject).map((v) => {
              const type = str(v['Type']) ?? 'PLAINTEXT';
              // only a value that names a parameter or a secret is kept (model/environmentVariables.ts):
              // a PLAINTEXT value, or one of a type not known, is often a secret
              const value = v['Value'];
              const reference =
                REFERENCE_TYPES.has(type) && !isUnresolved(v['Type'])
                  ? typeof value === 'boolean'
                    ? String(value)
                    : str(value)
                  : undefined;
              return { name: str(v['Name']) ?? '', type, reference };
            })
          : [],
        ...(openVars !== undefined
          ? { environmentVariablesUnknown: this.placeholder(s, openVars, 'name') }
          : wrongVars !== undefined
            ? { environmentVariablesUnknown: wrongVars }
            : {}),
      };
    } else {
      // CloudFormation requires `Environment`, an object
      // (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-codebuild-project.html#cfn-codebuild-project-environment):
      // a project without one (or with `Fn::If` giving AWS::NoValue), or with one of another
      // type, is rejected. An input error at its place, and the build environment is unknown as
      // for an Environment the template does not settle (above): its image (ECR pull links) and
      // the parameters and secrets the build reads are Unknown naming it, never left out
      const at = env === undefined ? r.pointer : P('Environment');
      const message =
        env === undefined
          ? 'the project has no `Environment`, which CloudFormation requires: its build environment is unknown'
          : `\`Environment\` must be an object, not ${notText(env) ?? `\`${String(env).slice(0, 40)}\``}: the build environment is unknown`;
      environment = unknownEnvironment(
        this.wrongShape(s, at, message, 'name'),
        this.unknownImage(s, new Unresolved(message, at)),
      );
    }
    const source = (v: unknown): CodeBuildSourceModel | undefined => {
      if (!isObject(v)) return undefined;
      const auth = isObject(v['Auth']) ? v['Auth'] : {};
      const res = str(auth['Resource']);
      return {
        type: str(v['Type']),
        // without the credentials a URL may hold (no report may quote them)
        location: locationWithoutCredentials(str(v['Location'])),
        sourceIdentifier: str(v['SourceIdentifier']),
        authType: str(auth['Type']),
        // an ARN, or a value the template does not settle (kept, so that what is missing is
        // named by its line); an OAUTH resource can be a token and is dropped otherwise
        authResource:
          res !== undefined && (res.startsWith('arn:') || PLACEHOLDER_PATTERN.test(res))
            ? res
            : undefined,
      };
    };
    const artifacts = (
      v: unknown,
      pointer: string,
      secondary: boolean,
    ): CodeBuildArtifactsModel | undefined => {
      if (!isObject(v)) return undefined;
      const at = joinPointer(pointer, 'EncryptionDisabled');
      const disabled = this.flag(v['EncryptionDisabled'], at);
      const type = str(v['Type']);
      if (isUnresolved(disabled) && secondary && type?.toUpperCase() === 'S3') {
        // "Set to true if you do not want your output artifacts encrypted"
        // (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-codebuild-project-artifacts.html#cfn-codebuild-project-artifacts-encryptiondisabled):
        // whether the upload of an S3 secondary artifact says SSE-KMS with the project's key
        // (what a bucket policy may test) is not known, and neither answer is safe to assume.
        // The artifact is one whose type is not settled, so the chain's links for it are
        // Unknown, naming this property
        const open = this.placeholder(
          s,
          new Unresolved(
            `${disabled.reason}: whether the build encrypts this secondary artifact (and so the encryption its upload declares) is not known`,
            at,
          ),
          'name',
        );
        return {
          type: open,
          location: str(v['Location']),
          artifactIdentifier: str(v['ArtifactIdentifier']),
          encryptionDisabled: undefined,
        };
      }
      if (isUnresolved(disabled)) this.unsettledFlag(s, disabled);
      return {
        type,
        location: str(v['Location']),
        artifactIdentifier: str(v['ArtifactIdentifier']),
        encryptionDisabled: isUnresolved(disabled) ? undefined : disabled,
        // (the primary artifacts' key is CodePipeline's in a pipeline: not read)
        ...(secondary ? objectKey(v, pointer) : {}),
      };
    };
    // what makes the key of an S3 artifact's objects (Path, Name, NamespaceType, Packaging,
    // OverrideArtifactName:
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-codebuild-project-artifacts.html):
    // a value the template does not settle is a placeholder, and one of a shape CloudFormation
    // rejects (a list, an object) an input error at its place and a placeholder too, never
    // absent (an absent path or namespace would make a key the build does not write)
    const objectKey = (
      v: Readonly<Record<string, unknown>>,
      pointer: string,
    ): Pick<
      CodeBuildArtifactsModel,
      'path' | 'name' | 'namespaceType' | 'packaging' | 'overrideArtifactName' | 'bucketOwnerAccess'
    > => {
      const text = (key: string): string | undefined =>
        this.actionText(s, v[key], joinPointer(pointer, key), 'name', key);
      const path = text('Path');
      const name = text('Name');
      const namespaceType = text('NamespaceType');
      const packaging = text('Packaging');
      // READ_ONLY or FULL make the service role need s3:PutBucketAcl
      // (https://docs.aws.amazon.com/codebuild/latest/APIReference/API_ProjectArtifacts.html)
      const bucketOwnerAccess = text('BucketOwnerAccess');
      const flag = this.flag(
        v['OverrideArtifactName'],
        joinPointer(pointer, 'OverrideArtifactName'),
      );
      const overrideArtifactName = isUnresolved(flag) ? this.placeholder(s, flag, 'name') : flag;
      return {
        ...(path !== undefined ? { path } : {}),
        ...(name !== undefined ? { name } : {}),
        ...(namespaceType !== undefined ? { namespaceType } : {}),
        ...(packaging !== undefined ? { packaging } : {}),
        ...(overrideArtifactName !== undefined ? { overrideArtifactName } : {}),
        ...(bucketOwnerAccess !== undefined ? { bucketOwnerAccess } : {}),
      };
    };
    const logs = this.prop(s, r, 'LogsConfig');
    const cwLogs = (v: unknown): NonNullable<CodeBuildLogsModel['cloudWatchLogs']> | undefined =>
      isUnresolved(v)
        ? { status: str(v), groupName: str(v), streamName: str(v) }
        : isObject(v)
          ? {
              status: str(v['Status']),
              groupName: str(v['GroupName']),
              streamName: str(v['StreamName']),
            }
          : undefined;
    // BucketOwnerAccess decides whether the service role needs s3:PutBucketAcl
    // (https://docs.aws.amazon.com/codebuild/latest/APIReference/API_S3LogsConfig.html): one the
    // template does not settle is a placeholder, never "not set"
    const s3Logs = (v: unknown): NonNullable<CodeBuildLogsModel['s3Logs']> | undefined => {
      if (isUnresolved(v))
        return {
          status: str(v),
          location: str(v),
          encryptionDisabled: undefined,
          bucketOwnerAccess: str(v)!,
        };
      if (!isObject(v)) return undefined;
      const access = str(v['BucketOwnerAccess']);
      return {
        status: str(v['Status']),
        location: str(v['Location']),
        encryptionDisabled: this.bool(
          s,
          v['EncryptionDisabled'],
          joinPointer(P('LogsConfig'), 'S3Logs', 'EncryptionDisabled'),
        ),
        ...(access !== undefined ? { bucketOwnerAccess: access } : {}),
      };
    };
    const cw = cwLogs(
      isUnresolved(logs) ? logs : isObject(logs) ? logs['CloudWatchLogs'] : undefined,
    );
    const s3 = s3Logs(isUnresolved(logs) ? logs : isObject(logs) ? logs['S3Logs'] : undefined);
    const vpc = this.prop(s, r, 'VpcConfig');
    const vp = P('VpcConfig');
    // the batch service role (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-codebuild-project-projectbuildbatchconfig.html):
    // a configuration or role the template does not settle is a placeholder role whose links
    // name the template line
    const batch = this.prop(s, r, 'BuildBatchConfig');
    const bp = P('BuildBatchConfig');
    const buildBatchConfig: CodeBuildBatchConfigModel | undefined = isUnresolved(batch)
      ? { serviceRole: this.placeholder(s, batch, 'role'), location: this.loc(s, bp) }
      : isObject(batch)
        ? {
            serviceRole: this.text(s, batch['ServiceRole'], joinPointer(bp, 'ServiceRole'), 'role'),
            location: this.loc(s, bp),
          }
        : undefined;
    // a secondary source or artifact list, or an entry of one, the template does not settle is
    // one entry whose type and location are a placeholder: the chain's links for it are Unknown
    // naming the template line, rather than left out (actionFacts.ts secondaryFetches)
    const listOrOpen = (v: unknown): unknown[] =>
      isUnresolved(v) ? [v] : Array.isArray(v) ? v : [];
    const openSource = (u: Unresolved): CodeBuildSourceModel => {
      const open = this.placeholder(s, u, 'name');
      return {
        type: open,
        location: open,
        sourceIdentifier: undefined,
        authType: undefined,
        authResource: undefined,
      };
    };
    const openArtifacts = (u: Unresolved): CodeBuildArtifactsModel => {
      const open = this.placeholder(s, u, 'name');
      return {
        type: open,
        location: open,
        artifactIdentifier: undefined,
        encryptionDisabled: undefined,
      };
    };
    // the SecondaryArtifacts entries, each with its pointer. An entry that is an `Fn::If` on a
    // condition not known is read field by field when both branches are artifact objects: a
    // field both give alike is that value, one they give differently a value the template does
    // not settle (naming the condition), so that an entry whose branches differ in a field that
    // makes no link (ArtifactIdentifier, EncryptionDisabled of a non-S3 type...) or only in its
    // Name is not one whose type and bucket are unknown. It stays one when a branch leaves the
    // entry out (AWS::NoValue) or is no object, when a field a branch gives is itself not
    // settled (the condition alone would not settle it), and when Path or Name is left out, empty
    // or `/` in a branch and given in the other (the key then has another shape, which no value
    // tried in its place makes: actionFacts.ts secondaryArtifactObject)
    const secondaryArtifactEntries = (): { v: unknown; pointer: string }[] => {
      const at = P('SecondaryArtifacts');
      const raw = r.properties['SecondaryArtifacts'];
      if (!Array.isArray(raw))
        return listOrOpen(this.prop(s, r, 'SecondaryArtifacts')).map((v, i) => ({
          v,
          pointer: joinPointer(at, i),
        }));
      const out: { v: unknown; pointer: string }[] = [];
      raw.forEach((entry, i) => {
        const pointer = joinPointer(at, i);
        const v = s.resolve(entry, pointer);
        if (v === NO_VALUE) return;
        out.push({ v: (isUnresolved(v) && eitherArtifact(entry, v, pointer)) || v, pointer });
      });
      return out;
    };
    const eitherArtifact = (
      entry: unknown,
      whole: Unresolved,
      pointer: string,
    ): Record<string, unknown> | undefined => {
      const arg =
        isObject(entry) && intrinsicName(entry) === 'Fn::If' ? entry['Fn::If'] : undefined;
      if (!Array.isArray(arg) || arg.length !== 3 || typeof arg[0] !== 'string') return undefined;
      const ifAt = joinPointer(pointer, 'Fn::If');
      // a condition the template does not declare is an invalid template, whatever the branches
      if (!s.declaresCondition(arg[0])) return undefined;
      if (!isUnresolved(s.condition(arg[0], joinPointer(ifAt, 0)))) return undefined;
      const yes = s.resolve(arg[1], joinPointer(ifAt, 1));
      const no = s.resolve(arg[2], joinPointer(ifAt, 2));
      if (!isObject(yes) || !isObject(no)) return undefined;
      const has = (o: Obj, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);
      const merged: Record<string, unknown> = {};
      for (const key of new Set([...Object.keys(yes), ...Object.keys(no)])) {
        const a = has(yes, key) ? yes[key] : undefined;
        const b = has(no, key) ? no[key] : undefined;
        if (unresolvedInside(a) || unresolvedInside(b)) return undefined;
        let value: unknown = a;
        if (!has(yes, key) || !has(no, key) || !sameJson(a, b, 8)) {
          const keyed = (x: unknown): boolean =>
            typeof x === 'string' && x.replace(/^\/+|\/+$/g, '') !== '';
          if ((key === 'Path' || key === 'Name') && !(keyed(a) && keyed(b))) return undefined;
          value = whole.at(joinPointer(ifAt, has(yes, key) ? 1 : 2, key));
        }
        Object.defineProperty(merged, key, {
          value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return merged;
    };
    // the primary source's BuildSpec (model/buildspec.ts): a file name or S3 ARN stays, inline
    // text is kept reduced to the env sections that name parameters and secrets; one the
    // template does not settle, or that cannot be read, is a placeholder naming its line, so the
    // build's parameter and secret links are Unknown rather than left out
    // (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-codebuild-project-source.html#cfn-codebuild-project-source-buildspec)
    const buildspec = (v: unknown, pointer: string): { buildspec?: string } => {
      if (v === undefined || v === null || v === '') return {};
      const open = (reason: string): { buildspec: string } => ({
        buildspec: this.placeholder(s, new Unresolved(reason, pointer), 'name'),
      });
      if (isUnresolved(v)) return { buildspec: this.placeholder(s, v, 'name') };
      if (typeof v !== 'string') return open(`expected a string, got ${describe(v)}`);
      if (namesBuildspec(v)) return { buildspec: v };
      const refs = buildspecReferences(v);
      const reduced = refs.ok ? reduceBuildspec(v, REDACTION_MARKER) : undefined;
      if (reduced === undefined)
        return open(
          `the inline buildspec cannot be read (${refs.ok ? 'it could not be reduced' : refs.reason}), so the parameters and secrets it names are not known`,
        );
      return { buildspec: reduced };
    };
    const primarySource = (v: unknown): CodeBuildSourceModel | undefined => {
      const at = joinPointer(P('Source'), 'BuildSpec');
      if (isUnresolved(v)) return { ...openSource(v), buildspec: this.placeholder(s, v, 'name') };
      const base = source(v);
      return base && isObject(v) ? { ...base, ...buildspec(v['BuildSpec'], at) } : base;
    };
    const project: CodeBuildProjectModel = {
      name,
      arn: `arn:${s.partition}:codebuild:${s.region}:${s.account}:project/${name}`,
      account: s.account,
      region: s.region,
      serviceRole,
      encryptionKey: this.propText(s, r, 'EncryptionKey', 'key'),
      environment,
      source: primarySource(this.prop(s, r, 'Source')),
      secondarySources: listOrOpen(this.prop(s, r, 'SecondarySources'))
        .map((v) => (isUnresolved(v) ? openSource(v) : source(v)))
        .filter((x): x is CodeBuildSourceModel => x !== undefined),
      artifacts: artifacts(this.prop(s, r, 'Artifacts'), P('Artifacts'), false),
      secondaryArtifacts: secondaryArtifactEntries()
        .map(({ v, pointer }) => (isUnresolved(v) ? openArtifacts(v) : artifacts(v, pointer, true)))
        .filter((x): x is CodeBuildArtifactsModel => x !== undefined),
      logsConfig: cw || s3 ? { cloudWatchLogs: cw, s3Logs: s3 } : undefined,
      vpcConfig: isUnresolved(vpc)
        ? // a VPC the template does not settle: its subnets are unknown (Unknown links)
          { vpcId: str(vpc), subnets: [str(vpc)!], securityGroupIds: [str(vpc)!] }
        : isObject(vpc)
          ? {
              vpcId: str(vpc['VpcId']),
              subnets: this.strings(s, vpc['Subnets'], joinPointer(vp, 'Subnets'), 'name'),
              securityGroupIds: this.strings(
                s,
                vpc['SecurityGroupIds'],
                joinPointer(vp, 'SecurityGroupIds'),
                'name',
              ),
            }
          : undefined,
      ...(buildBatchConfig ? { buildBatchConfig } : {}),
      ...(generated ? { generated: true } : {}),
      location: this.resourceLoc(s, r),
    };
    const region = this.region(s.account, s.region);
    region.projects.set(name, project);
    region.codebuildLocation ??= this.loc(s, '/Resources');
  }

  private buildLambda(s: TemplateStack, r: ResourceEntry): void {
    const { name, generated } = this.nameOf(s, r);
    let role: string | undefined;
    if (r.type === 'AWS::Serverless::Function') {
      const raw = s.samProperty(r, 'Role');
      if (raw !== undefined) {
        const p = s.samPointer(r, 'Role');
        role = this.text(s, s.resolve(raw, p), p, 'role');
      } else {
        const generatedRole = s.resources.get(`${r.logicalId}Role`);
        if (generatedRole) role = this.roleArnOf(s, generatedRole);
      }
    } else {
      role = this.propText(s, r, 'Role', 'role');
    }
    const fn: Mutable<LambdaModel> = {
      name,
      arn: `arn:${s.partition}:lambda:${s.region}:${s.account}:function:${name}`,
      account: s.account,
      region: s.region,
      role,
      policy: null,
      ...(generated ? { generated: true } : {}),
      location: this.loc(s, r.pointer),
    };
    this.region(s.account, s.region).lambdas.set(name, fn);
  }

  private buildTopic(s: TemplateStack, r: ResourceEntry): void {
    const { name, generated } = this.nameOf(s, r);
    const topic: Mutable<SnsTopicModel> = {
      name,
      arn: `arn:${s.partition}:sns:${s.region}:${s.account}:${name}`,
      account: s.account,
      region: s.region,
      policy: null,
      kmsMasterKeyId: this.propText(s, r, 'KmsMasterKeyId', 'key'),
      ...(generated ? { generated: true } : {}),
      location: this.loc(s, r.pointer),
    };
    this.region(s.account, s.region).snsTopics.set(name, topic);
  }

  private buildRule(s: TemplateStack, r: ResourceEntry): void {
    const { name, generated } = this.nameOf(s, r);
    const arn = s.getAtt(r.logicalId, 'Arn', r.pointer);
    const targetsValue = this.prop(s, r, 'Targets');
    const tp = this.propAt(r, 'Targets');
    // targets the template does not settle are unknown (undefined), never none
    let targets: EventTargetModel[] | undefined = isUnresolved(targetsValue) ? undefined : [];
    if (Array.isArray(targetsValue)) {
      targetsValue.forEach((t, i) => {
        if (isUnresolved(t)) targets = undefined;
        if (!isObject(t) || targets === undefined) return;
        const p = joinPointer(tp, i);
        targets.push({
          id: this.field(s, t['Id']),
          arn: this.text(s, t['Arn'], joinPointer(p, 'Arn'), 'name') ?? '',
          roleArn: this.text(s, t['RoleArn'], joinPointer(p, 'RoleArn'), 'role'),
          location: this.loc(s, p),
        });
      });
    }
    const eventPattern = this.rulePattern(s, r);
    const rule: EventRuleModel = {
      name,
      arn: typeof arn === 'string' ? arn : undefined,
      // "Rules are enabled by default" (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html);
      // a State the template does not settle (or that is no string) is a placeholder, never the
      // default: the rule may be DISABLED, and then it starts nothing
      state: this.propText(s, r, 'State', 'name') ?? 'ENABLED',
      eventBusName: this.field(s, this.prop(s, r, 'EventBusName')),
      eventPattern,
      scheduleExpression: this.field(s, this.prop(s, r, 'ScheduleExpression')),
      targets,
      ...(generated ? { generated: true } : {}),
      location: this.loc(s, r.pointer),
    };
    const region = this.region(s.account, s.region);
    region.rules.set(name, rule);
    region.eventsLocation ??= this.loc(s, '/Resources');
  }

  /**
   * A rule's EventPattern as JSON text (CloudFormation takes an object or its JSON text). One the
   * template does not settle as a whole, or that EventBridge would refuse or could read two ways
   * (not JSON, a member name twice in its JSON text, not an object of fields whose values are
   * arrays or objects: eventPatternShape.ts eventPatternProblem,
   * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern.html), is a
   * placeholder at its place (the second an input error there): which changes the rule matches
   * is not known, so the links it decides are Unknown (chain/actionFacts.ts rulesStarting), as
   * for a snapshot's events.json (snapshotRegion.ts checkedPattern). Values inside it the
   * template does not settle are kept: they may match.
   */
  private rulePattern(s: TemplateStack, r: ResourceEntry): string | undefined {
    const pattern = this.prop(s, r, 'EventPattern');
    if (pattern === undefined) return undefined;
    if (isUnresolved(pattern)) return this.placeholder(s, pattern, 'name');
    const problem = eventPatternProblem(pattern, isUnresolved);
    if (!problem) return typeof pattern === 'string' ? pattern : JSON.stringify(pattern);
    const at = this.propAt(r, 'EventPattern');
    s.problem('error', `template.events.${problem.id}`, at, problem.message);
    return this.placeholder(s, new Unresolved(problem.why, at), 'name', false);
  }

  private buildPipeline(s: TemplateStack, r: ResourceEntry): void {
    const { name, generated } = this.nameOf(s, r);
    const P = (k: string): string => this.propAt(r, k);
    const roleArn = this.propText(s, r, 'RoleArn', 'role');
    if (roleArn === undefined) {
      s.problem(
        'error',
        'template.pipeline.role-missing',
        P('RoleArn'),
        `pipeline \`${r.logicalId}\` has no \`RoleArn\``,
      );
    }
    const artifactStores = new Map<string, ArtifactStoreModel>();
    const store = (v: unknown, pointer: string, region: string): void => {
      // a store's key is in the store's region, which is not the stack's for an ArtifactStores
      // entry of another region
      // (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-codepipeline-pipeline-artifactstoremap.html)
      if (isUnresolved(v)) {
        // a store the template does not settle: its bucket and key are unknown
        artifactStores.set(region, {
          region,
          type: 'S3',
          bucket: this.placeholder(s, v, 'bucket'),
          encryptionKey: { id: this.placeholder(s, v, 'key', true, region), type: 'KMS' },
          location: this.loc(s, pointer),
        });
        return;
      }
      if (v === undefined) return;
      if (!isObject(v)) {
        // CloudFormation rejects it: the store is not read, and an action of its region has no
        // store (its links are Unknown)
        s.problem(
          'error',
          'template.shape.invalid',
          pointer,
          `an artifact store must be an object, not ${notText(v) ?? `\`${String(v).slice(0, 40)}\``}`,
        );
        return;
      }
      const rawKey = v['EncryptionKey'];
      const key = isObject(rawKey) ? rawKey : undefined;
      const kp = joinPointer(pointer, 'EncryptionKey');
      // an EncryptionKey the template does not settle (`Fn::If` on an unknown condition) is an
      // unknown key, not "no key": the artifacts may be encrypted with a CMK; so is one of a
      // shape CloudFormation rejects (an input error at its pointer), never the AWS-managed key
      const wrongKey = isUnresolved(rawKey) ? undefined : encryptionKeyFault(rawKey, kp);
      const keyId = isUnresolved(rawKey)
        ? this.placeholder(s, rawKey, 'key', true, region)
        : wrongKey !== undefined
          ? this.wrongShape(
              s,
              wrongKey.pointer,
              `${wrongKey.message}: the artifact store's key is unknown`,
              'key',
              region,
            )
          : key
            ? this.text(s, key['Id'], joinPointer(kp, 'Id'), 'key', region)
            : undefined;
      artifactStores.set(region, {
        region,
        type: this.field(s, v['Type']) ?? 'S3',
        bucket: this.text(s, v['Location'], joinPointer(pointer, 'Location'), 'bucket') ?? '',
        encryptionKey:
          keyId !== undefined
            ? { id: keyId, type: (wrongKey ? undefined : this.field(s, key?.['Type'])) ?? 'KMS' }
            : undefined,
        location: this.loc(s, pointer),
      });
    };
    store(this.prop(s, r, 'ArtifactStore'), P('ArtifactStore'), s.region);
    const stores = this.prop(s, r, 'ArtifactStores');
    if (stores !== undefined && !Array.isArray(stores) && !isUnresolved(stores)) {
      s.problem(
        'error',
        'template.shape.invalid',
        P('ArtifactStores'),
        `\`ArtifactStores\` must be a list, not ${notText(stores) ?? `\`${String(stores).slice(0, 40)}\``}`,
      );
    }
    if (Array.isArray(stores)) {
      stores.forEach((st, i) => {
        const sp = joinPointer(P('ArtifactStores'), i);
        if (isUnresolved(st)) {
          // a store of a region not known: no action's region is settled to have it
          s.problem(
            'warning',
            'template.value.unresolved',
            sp,
            `${st.reason}: an artifact store of the pipeline is not known`,
          );
          return;
        }
        if (!isObject(st)) {
          s.problem(
            'error',
            'template.shape.invalid',
            sp,
            `an \`ArtifactStores\` entry must be an object, not ${notText(st) ?? `\`${String(st).slice(0, 40)}\``}`,
          );
          return;
        }
        // a region the template does not settle, or of the wrong shape, is a placeholder, not
        // the stack's region
        const rp = joinPointer(sp, 'Region');
        const region =
          st['Region'] === undefined
            ? this.wrongShape(s, rp, 'an `ArtifactStores` entry has no `Region`', 'name')
            : (this.actionText(s, st['Region'], rp, 'name', 'Region') ?? s.region);
        store(st['ArtifactStore'], joinPointer(P('ArtifactStores'), i, 'ArtifactStore'), region);
      });
    }
    if (artifactStores.size === 0) {
      s.problem(
        'error',
        'template.pipeline.artifact-store-missing',
        joinPointer(r.propertiesPointer),
        `pipeline \`${r.logicalId}\` has no \`ArtifactStore\` or \`ArtifactStores\``,
      );
    }
    const stagesValue = this.prop(s, r, 'Stages');
    const stages: StageModel[] = [];
    if (Array.isArray(stagesValue)) {
      // CodePipeline refuses a pipeline of fewer than two stages, and a stage without an action
      // (https://docs.aws.amazon.com/codepipeline/latest/userguide/limits.html), as the snapshot
      // loader says: CloudFormation cannot create it, and a pipeline cannot pass on stages or
      // actions that are not there
      if (stagesValue.length < 2) {
        const message = `${stagesValue.length === 0 ? 'no stage' : 'one stage'}: CodePipeline requires at least two stages`;
        if (stagesValue.length === 0) {
          const action = this.malformed(s, P('Stages'), message, '(actions)');
          stages.push({ name: '(stages)', actions: [action], location: action.location });
        } else s.problem('error', 'template.shape.invalid', P('Stages'), message);
      }
      stagesValue.slice(0, MAX_PER_LEVEL).forEach((st, i) => {
        const sp = joinPointer(P('Stages'), i);
        const unsettled = isUnresolved(st)
          ? st
          : isObject(st) && isUnresolved(st['Actions'])
            ? st['Actions']
            : undefined;
        if (unsettled) {
          // a stage the template does not settle: one unknown action stands for its actions
          const name =
            (isObject(st) && !isUnresolved(st) && this.optString(st['Name'])) || `(stage ${i + 1})`;
          stages.push({
            name,
            actions: [this.unsettledAction(s, unsettled, '(actions)', sp)],
            location: this.loc(s, sp),
          });
          return;
        }
        if (!isObject(st)) {
          // CloudFormation rejects it; what the stage would run is not known: never left out
          stages.push({
            name: `(stage ${i + 1})`,
            actions: [this.malformed(s, sp, 'a stage must be an object', '(actions)')],
            location: this.loc(s, sp),
          });
          return;
        }
        const actionsValue = st['Actions'];
        const actions = Array.isArray(actionsValue) ? actionsValue : [];
        const rules = this.conditionRules(s, st, sp);
        const malformedActions = !Array.isArray(actionsValue)
          ? [
              this.malformed(
                s,
                joinPointer(sp, 'Actions'),
                '`Actions` must be a list of actions',
                '(actions)',
              ),
            ]
          : actionsValue.length === 0
            ? [
                this.malformed(
                  s,
                  joinPointer(sp, 'Actions'),
                  'no action: CodePipeline requires at least one action in a stage',
                  '(actions)',
                ),
              ]
            : [];
        const stageName = st['Name'];
        const stageNameWrong = stageName === undefined ? 'missing' : notText(stageName);
        if (stageNameWrong !== undefined) {
          // no link depends on it, but CloudFormation rejects the template
          s.problem(
            'error',
            'template.shape.invalid',
            joinPointer(sp, 'Name'),
            stageName === undefined
              ? 'the stage has no `Name`'
              : `\`Name\` must be a string, not ${stageNameWrong}`,
          );
        }
        stages.push({
          name:
            (stageNameWrong === undefined ? this.field(s, stageName) : undefined) ??
            `(stage ${i + 1})`,
          actions: [
            ...malformedActions,
            ...actions.slice(0, MAX_PER_LEVEL).flatMap((a, j) => {
              const ap = joinPointer(sp, 'Actions', j);
              // an action the template does not settle is one unknown link, never left out
              if (isUnresolved(a)) return [this.unsettledAction(s, a, `(action ${j + 1})`, ap)];
              return isObject(a)
                ? [this.action(s, a, ap, j)]
                : [this.malformed(s, ap, 'an action must be an object', `(action ${j + 1})`)];
            }),
            // more than 50 actions: CloudFormation cannot create the stage, and the actions
            // after the 50th are one unknown action, not read (as the snapshot loader does)
            ...this.overQuota(s, actions, joinPointer(sp, 'Actions'), 'actions', 'a stage'),
          ],
          ...(rules.length > 0 ? { rules } : {}),
          location: this.loc(s, sp),
        });
      });
      const over = this.overQuota(s, stagesValue, P('Stages'), 'stages', 'a pipeline');
      for (const action of over) {
        stages.push({ name: action.name, actions: [action], location: action.location });
      }
    } else {
      s.problem(
        'error',
        'template.pipeline.stages-missing',
        P('Stages'),
        `pipeline \`${r.logicalId}\` has no \`Stages\``,
      );
    }
    const pipeline: PipelineModel = {
      name,
      account: s.account,
      region: s.region,
      arn: `arn:${s.partition}:codepipeline:${s.region}:${s.account}:${name}`,
      roleArn,
      pipelineType: this.field(s, this.prop(s, r, 'PipelineType')),
      artifactStores: new Map([...artifactStores].sort(([a], [b]) => (a < b ? -1 : 1))),
      stages,
      ...(generated ? { generated: true } : {}),
      location: this.resourceLoc(s, r),
    };
    const pipelines = this.region(s.account, s.region).pipelines;
    const first = pipelines.get(name);
    const copy = { stack: s.name, location: pipeline.location };
    if (first) {
      // two stacks (or two resources of one) define it: which one CodePipeline has is not known
      const copies = this.copies.get(first) ?? [];
      for (const other of copies) this.duplicatePipeline(pipeline, copy, other);
      copies.push(copy);
      const why = copies
        .map((c) => unsettledText(c.location, `stack \`${c.stack}\`: ${DEFINED_TWICE}`))
        .join(', ');
      const conflicting = conflictingPipeline(first, why);
      this.copies.set(conflicting, copies);
      pipelines.set(name, conflicting);
    } else {
      this.copies.set(pipeline, [copy]);
      pipelines.set(name, pipeline);
    }
  }

  /** An error at each of two copies of a pipeline, naming the other (as the snapshot loader's). */
  private duplicatePipeline(p: PipelineModel, a: PipelineCopy, b: PipelineCopy): void {
    const add = (here: PipelineCopy, other: PipelineCopy): void => {
      this.problems.push({
        file: here.location.file,
        pointer: here.location.pointer,
        message: `pipeline \`${p.name}\` in \`${p.account}\` \`${p.region}\` of stack \`${here.stack}\` is defined more than once (also by stack \`${other.stack}\` at \`${placeOf(other.location)}\`): no copy is used: what relies on it is unknown`,
        id: 'template.pipeline.duplicate',
        severity: 'error',
      });
    };
    add(b, a);
    add(a, b);
  }

  /**
   * A list of stages or actions longer than CodePipeline allows (snapshotRegion.ts MAX_PER_LEVEL,
   * https://docs.aws.amazon.com/codepipeline/latest/userguide/limits.html): an input error at the
   * list, and one unknown action standing for the items after the 50th, which are not read.
   * Empty when the list is within the quota.
   */
  private overQuota(
    s: TemplateStack,
    list: readonly unknown[],
    pointer: string,
    what: 'stages' | 'actions' | 'conditions' | 'rules',
    of: string,
    max: number = MAX_PER_LEVEL,
    prefix = '',
  ): ActionModel[] {
    if (list.length <= max) return [];
    const message = quotaMessage(list.length, what, of, max);
    const name = `${prefix}(${what} ${max + 1} to ${list.length})`;
    return [this.malformed(s, pointer, message, name)];
  }

  /**
   * A pipeline element of the wrong shape (CloudFormation would reject the template): an error
   * naming its pointer, and one unknown action standing for what it would have run.
   */
  private malformed(s: TemplateStack, pointer: string, message: string, name: string): ActionModel {
    s.problem('error', 'template.shape.invalid', pointer, message);
    return this.unsettledAction(s, new Unresolved(message, pointer), name, pointer);
  }

  /**
   * An action the template does not settle: the action itself, or what shapes its chain (its
   * type, its configuration as a whole, its artifacts, its region), is an `Fn::If` on a
   * condition with no known value. Its links are not guessed; the chain says it is unknown.
   */
  private unsettledAction(
    s: TemplateStack,
    u: Unresolved,
    name: string,
    pointer: string,
  ): ActionModel {
    const at = this.origin(s, u);
    return unsettledAction(name, this.loc(s, pointer), unsettledText(at, u.reason));
  }

  /**
   * The rules of a stage's conditions (`BeforeEntry`, `OnSuccess`, `OnFailure`, each with
   * `Conditions: [{Result, Rules: [RuleDeclaration]}]`,
   * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-codepipeline-pipeline-stagedeclaration.html),
   * each read like an action of category `Rule` (StageModel.rules). A block, condition or rule
   * the template does not settle is an unsettled rule, never left out.
   */
  private conditionRules(s: TemplateStack, st: Obj, sp: string): ActionModel[] {
    const out: ActionModel[] = [];
    for (const [key, kind] of TEMPLATE_CONDITION_KINDS) {
      const block = st[key];
      const kp = joinPointer(sp, key);
      const conditions = isObject(block) ? block['Conditions'] : undefined;
      const open = isUnresolved(block) ? block : isUnresolved(conditions) ? conditions : undefined;
      if (open) {
        out.push(this.unsettledAction(s, open, `${kind}/(rules)`, kp));
        continue;
      }
      if (block === undefined) continue;
      // a block of the wrong shape is reported and stands as one unknown rule, never dropped
      if (!isObject(block)) {
        out.push(this.malformed(s, kp, `\`${key}\` must be an object`, `${kind}/(rules)`));
        continue;
      }
      if (conditions === undefined) continue;
      if (!Array.isArray(conditions)) {
        const at = joinPointer(kp, 'Conditions');
        out.push(this.malformed(s, at, '`Conditions` must be a list', `${kind}/(rules)`));
        continue;
      }
      // one condition in a block, 1 to 5 rules in a condition (snapshotRegion.ts readConditions)
      const extraConditions = this.overQuota(
        s,
        conditions,
        joinPointer(kp, 'Conditions'),
        'conditions',
        `\`${key}\``,
        1,
        `${kind}/`,
      );
      conditions.slice(0, 1).forEach((c, i) => {
        const prefix = `${kind}[${i + 1}]`;
        const cp = joinPointer(kp, 'Conditions', i);
        const rules = isObject(c) ? c['Rules'] : undefined;
        const unsettled = isUnresolved(c) ? c : isUnresolved(rules) ? rules : undefined;
        if (unsettled) {
          out.push(this.unsettledAction(s, unsettled, `${prefix}/(rules)`, cp));
          return;
        }
        if (!isObject(c)) {
          out.push(this.malformed(s, cp, 'a condition must be an object', `${prefix}/(rules)`));
          return;
        }
        if (rules === undefined) return;
        if (!Array.isArray(rules)) {
          const at = joinPointer(cp, 'Rules');
          out.push(this.malformed(s, at, '`Rules` must be a list', `${prefix}/(rules)`));
          return;
        }
        // what CodePipeline does when the condition is not met (an entry condition's SKIP
        // skips the stage, and the run goes on: analyze.ts); a value the template does not
        // settle is not taken for one
        const result = typeof c['Result'] === 'string' ? c['Result'] : undefined;
        const withResult = (a: ActionModel, rp?: string): ActionModel => {
          const problem = rp === undefined ? undefined : skipRuleProblem(kind, result, a);
          if (problem && rp !== undefined)
            s.problem(
              'warning',
              'template.condition.skip-rule',
              joinPointer(rp, 'RuleTypeId', 'Provider'),
              problem,
            );
          return result === undefined ? a : { ...a, conditionResult: result };
        };
        rules.slice(0, MAX_RULES).forEach((rule, j) => {
          const rp = joinPointer(cp, 'Rules', j);
          if (isUnresolved(rule))
            out.push(withResult(this.unsettledAction(s, rule, `${prefix}/(rule ${j + 1})`, rp)));
          else if (isObject(rule)) out.push(withResult(this.action(s, rule, rp, j, prefix), rp));
          else
            out.push(
              withResult(
                this.malformed(s, rp, 'a rule must be an object', `${prefix}/(rule ${j + 1})`),
              ),
            );
        });
        const rulesAt = joinPointer(cp, 'Rules');
        out.push(
          ...this.overQuota(s, rules, rulesAt, 'rules', 'a condition', MAX_RULES, `${prefix}/`),
        );
      });
      out.push(...extraConditions);
    }
    return out;
  }

  /** An action, or (with `rulePrefix`) a rule of a stage condition. */
  private action(
    s: TemplateStack,
    a: Obj,
    pointer: string,
    index: number,
    rulePrefix?: string,
  ): ActionModel {
    const typeKey = rulePrefix === undefined ? 'ActionTypeId' : 'RuleTypeId';
    const unsettled =
      firstUnresolved(a, [
        [typeKey],
        [typeKey, 'Category'],
        [typeKey, 'Owner'],
        [typeKey, 'Provider'],
        [typeKey, 'Version'],
        ['Configuration'],
        ['InputArtifacts'],
        ['OutputArtifacts'],
        ['Region'],
      ]) ?? unsettledArtifactName(a);
    const named = (n: string): string => (rulePrefix === undefined ? n : `${rulePrefix}/${n}`);
    const unnamed = rulePrefix === undefined ? `(action ${index + 1})` : `(rule ${index + 1})`;
    if (unsettled) {
      const name = this.optString(a['Name']) ?? unnamed;
      return this.unsettledAction(s, unsettled, named(name), pointer);
    }
    // what shapes the chain (type, configuration, artifacts, region) of a shape CloudFormation
    // rejects: an input error, and one Unknown link for the action, as when it is not settled
    const wrong = actionShape(a, pointer, typeKey, rulePrefix !== undefined);
    if (wrong) {
      const name = this.optString(a['Name']) ?? unnamed;
      return this.malformed(s, wrong.pointer, wrong.message, named(name));
    }
    const typeId = a[typeKey] as Obj;
    const config = isObject(a['Configuration']) ? a['Configuration'] : {};
    const configuration: [string, string][] = [];
    for (const key of Object.keys(config).sort()) {
      const v = config[key];
      if (SECRET_KEYS.has(key)) {
        // never keep a credential (AWS masks these too)
        configuration.push([key, '****']);
        continue;
      }
      const vp = joinPointer(pointer, 'Configuration', key);
      const wrongValue = notText(v);
      let text: string | undefined;
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
        text = String(v);
      else if (isUnresolved(v)) text = this.placeholder(s, v, 'name');
      else if (wrongValue !== undefined) {
        // CloudFormation: "Value of property Configuration must be an object with String (or
        // simple type) properties"; what the setting would say is unknown, never absent
        configuration.push([
          key,
          this.wrongShape(
            s,
            vp,
            `a \`Configuration\` value must be a string, not ${wrongValue}`,
            'name',
          ),
        ]);
        continue;
      }
      if (text === undefined) continue;
      // the same rule as the snapshot loader and the crawler (model/environmentVariables.ts)
      // (only a value that is a placeholder as a whole is left unread: one holding a placeholder
      // inside, `!Sub` of a parameter not given, is still JSON whose PLAINTEXT values go)
      if (key === 'EnvironmentVariables' && !isPlaceholder(text)) {
        const problem = actionVariablesProblem(text);
        const redacted = problem === undefined ? redactActionEnvironmentVariables(text) : undefined;
        if (redacted === undefined) {
          // as in a snapshot: the parameters and secrets the build reads are unknown, never none
          configuration.push([
            key,
            this.wrongShape(
              s,
              vp,
              `${problem ?? 'not readable'}: the parameters and secrets the build reads are unknown`,
              'name',
            ),
          ]);
          continue;
        }
        text = redacted;
      }
      // a CodePipeline variable is only known at run time: a placeholder whose links name the
      // template line (src/model/pipelineVariables.ts)
      if (text !== undefined && holdsVariable(text)) {
        text = this.placeholder(s, new Unresolved(variableReason(text), vp), 'name', false);
      }
      if (text !== undefined) configuration.push([key, text]);
    }
    // actionShape has checked the lists and their names
    const artifactNames = (v: unknown): string[] =>
      Array.isArray(v) ? v.map((x) => String((x as Obj)['Name'])) : [];
    // the name and run order: no link depends on them, but CloudFormation rejects the template
    const rawName = a['Name'];
    const nameWrong = rawName === undefined ? 'missing' : notText(rawName);
    if (nameWrong !== undefined) {
      s.problem(
        'error',
        'template.shape.invalid',
        joinPointer(pointer, 'Name'),
        rawName === undefined
          ? `the ${rulePrefix === undefined ? 'action' : 'rule'} has no \`Name\``
          : `\`Name\` must be a string, not ${nameWrong}`,
      );
    }
    const rawOrder = a['RunOrder'];
    const runOrder = rawOrder === undefined || isUnresolved(rawOrder) ? 1 : Number(rawOrder);
    if (
      rulePrefix === undefined &&
      !isUnresolved(rawOrder) &&
      (notText(rawOrder) !== undefined ||
        typeof rawOrder === 'boolean' ||
        !Number.isInteger(runOrder) ||
        runOrder < 1 ||
        runOrder > 999)
    ) {
      s.problem(
        'error',
        'template.shape.invalid',
        joinPointer(pointer, 'RunOrder'),
        `\`RunOrder\` must be a whole number from 1 to 999, not ${notText(rawOrder) ?? `\`${String(rawOrder).slice(0, 40)}\``}`,
      );
    }
    const typeText = (k: string): string => {
      const v = typeId[k];
      return v === undefined ? '' : String(v);
    };
    return {
      name: named(nameWrong === undefined ? (this.field(s, rawName) ?? unnamed) : unnamed),
      category: typeText('Category'),
      owner: typeText('Owner'),
      provider: typeText('Provider'),
      version: typeText('Version'),
      roleArn: this.actionText(s, a['RoleArn'], joinPointer(pointer, 'RoleArn'), 'role', 'RoleArn'),
      region: a['Region'] === undefined ? undefined : String(a['Region']),
      namespace: this.actionText(
        s,
        a['Namespace'],
        joinPointer(pointer, 'Namespace'),
        'name',
        'Namespace',
      ),
      configuration: Object.freeze(Object.fromEntries(configuration)),
      inputArtifacts: artifactNames(a['InputArtifacts']),
      outputArtifacts: artifactNames(a['OutputArtifacts']),
      runOrder: Number.isInteger(runOrder) ? runOrder : 1,
      location: this.loc(s, pointer),
    };
  }

  // -------------------------------------------------------------------------------------------
  // attachments

  /**
   * What attaches to entities: policies, bucket and topic policies, Lambda permissions, nested
   * stacks. `maybe`: the resource's `Condition` is not known, so CloudFormation may or may not
   * create it; what it would attach to then has an unknown policy, never none.
   */
  private buildAttachment(s: TemplateStack, r: ResourceEntry, maybe?: Unresolved): void {
    switch (r.type) {
      case 'AWS::IAM::Policy':
        return this.attachPolicy(s, r, maybe);
      case 'AWS::IAM::RolePolicy':
        return this.attachRolePolicy(s, r, maybe);
      case 'AWS::IAM::ManagedPolicy':
        return this.attachManaged(s, r, maybe);
      case 'AWS::S3::BucketPolicy':
        return this.bucketPolicy(s, r, maybe);
      case 'AWS::SNS::TopicPolicy':
        return this.topicPolicy(s, r, maybe);
      case 'AWS::Lambda::Permission':
        return this.lambdaPermission(s, r, maybe);
      case 'AWS::Events::EventBusPolicy':
        return this.eventBusPolicy(s, r, maybe);
      case 'AWS::CloudFormation::Stack':
        return this.nestedStack(s, r);
      case UNKNOWN_TYPE:
        return this.unknownResource(s, r);
    }
  }

  /**
   * A resource whose `Type` cannot be read (CloudFormation rejects the template): it may be any
   * resource, among them a policy given to any role of the account, or the policy of any bucket,
   * topic or function there. Each of those is unknown, never read as if it were not there.
   */
  private unknownResource(s: TemplateStack, r: ResourceEntry): void {
    const reason = unknownTypeReason(r.logicalId);
    this.attachToUnknown(s, r, [{ kind: 'role', pointer: r.pointer, reason }], r.logicalId);
    const what = `\`${r.logicalId}\``;
    for (const kind of ['bucket', 'topic', 'function'] as const)
      this.unknownPolicy(s, kind, undefined, r.pointer, reason, what);
    // an AWS::Events::EventBusPolicy too, on any bus of the stack's account and Region
    this.anyBus.push({ account: s.account, region: s.region, at: placeOf(this.loc(s, r.pointer)) });
  }

  /** The resources whose attachments are built: those created, and those that may be. */
  private *attaching(s: TemplateStack): Generator<[ResourceEntry, Unresolved | undefined]> {
    for (const r of this.live(s)) yield [r, undefined];
    for (const r of s.resources.values()) {
      if (isUnresolved(r.exists) && ATTACHING.has(r.type)) yield [r, r.exists];
    }
  }

  /**
   * The principals a policy names. A name the template does not settle may be any principal of
   * the account: `unknown` lists those, each with the element that leaves it open.
   */
  private principalsOf(
    s: TemplateStack,
    r: ResourceEntry,
  ): {
    known: { kind: 'role' | 'user' | 'group'; name: string }[];
    unknown: { kind: 'role' | 'user' | 'group'; pointer: string; reason: string }[];
  } {
    const known: { kind: 'role' | 'user' | 'group'; name: string }[] = [];
    const unknown: { kind: 'role' | 'user' | 'group'; pointer: string; reason: string }[] = [];
    for (const [key, kind] of [
      ['Roles', 'role'],
      ['Users', 'user'],
      ['Groups', 'group'],
    ] as const) {
      const v = this.prop(s, r, key);
      const p = this.propAt(r, key);
      if (v === undefined) continue;
      if (isUnresolved(v)) {
        unknown.push({ kind, pointer: p, reason: v.reason });
        continue;
      }
      const list = Array.isArray(v) ? v : [v];
      list.forEach((x, i) => {
        const at = Array.isArray(v) ? joinPointer(p, i) : p;
        const n = this.principalName(s, x, at, kind);
        if (isUnresolved(n)) unknown.push({ kind, pointer: at, reason: n.reason });
        else known.push({ kind, name: n });
      });
    }
    return { known, unknown };
  }

  /**
   * The name of the principal a policy names at `at`: a role, user or group is named by its
   * name (or ARN, taken by its name). `Roles`, `Users`, `Groups` and `RoleName` are text
   * (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-iam-policy.html,
   * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-iam-rolepolicy.html).
   * CloudFormation passes a Boolean or number given for text as its text, as for a tag's `Value`
   * (`Value: YES` reaches S3 as `true`, https://github.com/ASFHyP3/hyp3/pull/2061): `true` or
   * `5` names the role `true` or `5`, a legal name, with a warning (an unquoted `yes` is `true`
   * there). A map or list is no name: an input error, and the principal is not known (any of
   * the account's).
   */
  private principalName(
    s: TemplateStack,
    x: unknown,
    at: string,
    kind: 'role' | 'user' | 'group',
  ): string | Unresolved {
    if (isUnresolved(x)) return x;
    if (typeof x === 'string') return principalName(x);
    if (typeof x === 'boolean' || typeof x === 'number') {
      const name = String(x);
      s.problem(
        'warning',
        'template.value.not-text',
        at,
        `a ${kind} name given as ${describe(x)}: CloudFormation passes it as the text \`${name}\`, the ${kind} of that name; quote the name`,
      );
      return name;
    }
    const reason = `expected a ${kind} name, got ${describe(x)}`;
    s.problem('error', 'template.shape.invalid', at, reason);
    return new Unresolved(reason, at);
  }

  /**
   * The pointer of property `key` (and `rest` below it) of `r`. When the resource's `Properties`
   * as a whole is not known (an `Fn::If` on a condition not known, an `Fn::Transform`:
   * TemplateStack.readProperties), every property read is that unknown value, and the element
   * that would settle it is the `Fn::If` or `Fn::Transform`, not a `Properties/<key>` the
   * template does not write (unknowns named that place, with no line).
   */
  private propAt(r: ResourceEntry, key: string, ...rest: (string | number)[]): string {
    const raw = r.properties[key];
    return raw instanceof Unresolved ? raw.pointer : joinPointer(r.propertiesPointer, key, ...rest);
  }

  private roleByName(account: string, name: string): Mutable<RoleModel> | undefined {
    for (const role of this.account(account).roles.values()) if (role.name === name) return role;
    return undefined;
  }

  /**
   * A policy the templates may give a principal but do not settle: unknown, so the principal's
   * links that an allow or a deny of it could change are Unknown, naming `pointer`.
   */
  private unknownInline(s: TemplateStack, name: string, pointer: string): InlinePolicyModel {
    return { name, policy: undefined, location: this.loc(s, pointer) };
  }

  /** Give an inline or managed policy to a principal: a template role now, others when merged. */
  private attach(
    s: TemplateStack,
    t: { kind: 'role' | 'user' | 'group'; name: string },
    what: { inline: InlinePolicyModel } | { managedArn: string; location: Location },
  ): void {
    const role = t.kind === 'role' ? this.roleByName(s.account, t.name) : undefined;
    if (role && 'inline' in what) role.inlinePolicies = [...role.inlinePolicies, what.inline];
    else if (role && 'managedArn' in what)
      role.managedPolicyArns = [...role.managedPolicyArns, what.managedArn];
    else this.attachments.push({ account: s.account, kind: t.kind, name: t.name, ...what });
  }

  /**
   * A policy whose principal the template does not settle may be attached to any role of the
   * account (IAM attaches policies to principals of its own account): every role the templates
   * define gets it as an unknown policy, and every role of a snapshot laid under them too.
   * Users and groups do not take part in a pipeline's links, so only a warning says so.
   */
  private attachToUnknown(
    s: TemplateStack,
    r: ResourceEntry,
    unknown: readonly { kind: 'role' | 'user' | 'group'; pointer: string; reason: string }[],
    policyName: string,
  ): void {
    for (const u of unknown) {
      s.problem(
        'warning',
        'template.value.unresolved',
        u.pointer,
        u.kind === 'role'
          ? `${u.reason}: \`${r.logicalId}\` may give a policy to any role of \`${s.account}\`: their policies are unknown`
          : `${u.reason}: \`${r.logicalId}\` is attached to an unknown ${u.kind}`,
      );
      if (u.kind !== 'role') continue;
      const marker = this.unknownInline(
        s,
        `${policyName} (${r.logicalId}, role not known)`,
        u.pointer,
      );
      for (const role of this.account(s.account).roles.values())
        role.inlinePolicies = [...role.inlinePolicies, marker];
      this.attachments.push({
        account: s.account,
        kind: 'role',
        name: '*',
        inline: marker,
        any: true,
      });
    }
  }

  private attachPolicy(s: TemplateStack, r: ResourceEntry, maybe?: Unresolved): void {
    const P = (k: string): string => this.propAt(r, k);
    const nameValue = asString(this.prop(s, r, 'PolicyName'), P('PolicyName'));
    const name = isUnresolved(nameValue) ? r.logicalId : nameValue;
    const { known, unknown } = this.principalsOf(s, r);
    if (known.length === 0 && unknown.length === 0) {
      s.problem(
        'warning',
        'template.policy.unattached',
        r.pointer,
        `policy \`${r.logicalId}\` is attached to no role, user or group`,
      );
    }
    this.attachToUnknown(s, r, unknown, name);
    if (maybe) {
      // created or not: the principals it names have an unknown policy of that name
      const marker = this.unknownInline(s, name, joinPointer(r.pointer, 'Condition'));
      for (const t of known) this.attach(s, t, { inline: marker });
      return;
    }
    const doc = this.prop(s, r, 'PolicyDocument');
    if (doc === undefined) {
      s.problem(
        'error',
        'template.policy.invalid',
        r.pointer,
        `policy \`${r.logicalId}\` has no \`PolicyDocument\``,
      );
    }
    known.forEach((t, i) => {
      const role = t.kind === 'role' ? this.roleByName(s.account, t.name) : undefined;
      // one document, compiled per principal so reasons name it; reported once
      const policy =
        doc === undefined
          ? undefined
          : compileTemplatePolicy(s, doc, {
              name: `${role?.arn ?? t.name} ${name}`,
              policyType: 'identity',
              pointer: P('PolicyDocument'),
              quiet: i > 0,
            });
      this.attach(s, t, { inline: { name, policy, location: this.loc(s, r.pointer) } });
    });
  }

  /**
   * An inline policy of one role, as a resource of its own
   * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-iam-rolepolicy.html):
   * `RoleName` is the role's name (its `Ref`); an ARN is taken by its name.
   */
  private attachRolePolicy(s: TemplateStack, r: ResourceEntry, maybe?: Unresolved): void {
    const P = (k: string): string => this.propAt(r, k);
    const nameValue = asString(this.prop(s, r, 'PolicyName'), P('PolicyName'));
    const name = isUnresolved(nameValue) ? r.logicalId : nameValue;
    const roleValue = this.prop(s, r, 'RoleName');
    if (roleValue === undefined) {
      s.problem(
        'error',
        'template.policy.invalid',
        joinPointer(r.propertiesPointer),
        `role policy \`${r.logicalId}\` has no \`RoleName\``,
      );
      return;
    }
    const role = this.principalName(s, roleValue, P('RoleName'), 'role');
    if (isUnresolved(role)) {
      this.attachToUnknown(
        s,
        r,
        [{ kind: 'role', pointer: P('RoleName'), reason: role.reason }],
        name,
      );
      return;
    }
    const target = { kind: 'role' as const, name: role };
    if (maybe) {
      this.attach(s, target, {
        inline: this.unknownInline(s, name, joinPointer(r.pointer, 'Condition')),
      });
      return;
    }
    const doc = this.prop(s, r, 'PolicyDocument');
    if (doc === undefined) {
      // the document is optional in the resource, but what IAM then holds is not documented
      s.problem(
        'warning',
        'template.policy.document-missing',
        r.pointer,
        `role policy \`${r.logicalId}\` has no \`PolicyDocument\`: the policy is unknown`,
      );
    }
    const owner = this.roleByName(s.account, target.name);
    const policy =
      doc === undefined
        ? undefined
        : compileTemplatePolicy(s, doc, {
            name: `${owner?.arn ?? target.name} ${name}`,
            policyType: 'identity',
            pointer: P('PolicyDocument'),
          });
    this.attach(s, target, { inline: { name, policy, location: this.loc(s, r.pointer) } });
  }

  private attachManaged(s: TemplateStack, r: ResourceEntry, maybe?: Unresolved): void {
    const { known, unknown } = this.principalsOf(s, r);
    this.attachToUnknown(s, r, unknown, r.logicalId);
    if (maybe) {
      const marker = this.unknownInline(
        s,
        `${r.logicalId} (managed policy)`,
        joinPointer(r.pointer, 'Condition'),
      );
      for (const t of known) this.attach(s, t, { inline: marker });
      return;
    }
    // a name the template does not settle: the policy is still created with its document and
    // attached; its placeholder ARN is the key the model holds it under
    const arnValue = s.iamArn(r, 'policy', r.pointer);
    const arn = isUnresolved(arnValue) ? this.placeholder(s, arnValue, 'policy') : arnValue;
    for (const t of known) this.attach(s, t, { managedArn: arn, location: this.loc(s, r.pointer) });
  }

  /**
   * A resource policy the templates may write but do not settle: the policy of its bucket,
   * topic or function (`key`: bucket name, topic or function ARN) is unknown; without a key, the
   * policy of every one of the account (topics and functions: of the stack's region) is.
   */
  private unknownPolicy(
    s: TemplateStack,
    kind: 'bucket' | 'topic' | 'function',
    key: string | undefined,
    pointer: string,
    reason: string,
    what: string,
  ): void {
    // a resource whose `Condition` is not known is reported once, where `live` meets it
    if (key === undefined) {
      const where = `\`${s.account}\`${kind === 'bucket' ? '' : ` \`${s.region}\``}`;
      s.problem(
        'warning',
        'template.value.unresolved',
        pointer,
        `${reason}: ${what} may apply to any ${kind} of ${where}: their policies are unknown`,
      );
    }
    const location = this.loc(s, pointer);
    const at = placeOf(location);
    if (key !== undefined)
      this.unsettled[kind].set(key, { account: s.account, partition: s.partition, location, at });
    else
      this.anyPolicy.push({
        account: s.account,
        ...(kind === 'bucket' ? {} : { region: s.region }),
        kind,
        location,
        at,
      });
  }

  private bucketPolicy(s: TemplateStack, r: ResourceEntry, maybe?: Unresolved): void {
    const P = (k: string): string => this.propAt(r, k);
    const b = asString(this.prop(s, r, 'Bucket'), P('Bucket'));
    const what = `the bucket policy \`${r.logicalId}\``;
    if (isUnresolved(b)) {
      // only the bucket owner's account may set a bucket policy
      // (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketPolicy.html)
      this.unknownPolicy(s, 'bucket', undefined, P('Bucket'), b.reason, what);
      return;
    }
    const name = b.startsWith('arn:') ? b.slice(b.lastIndexOf(':') + 1) : b;
    const arn = `arn:${s.partition}:s3:::${name}`;
    const policy = maybe ? undefined : this.policy(s, r, 'PolicyDocument', arn, 'resource');
    let bucket: Mutable<BucketModel> | undefined;
    for (const a of this.accounts.values()) bucket ??= a.buckets.get(name);
    if (!bucket) {
      // a policy for a bucket made elsewhere: only the bucket owner can set it, so it is in
      // this stack's account; its other settings come from the snapshot when merged
      bucket = {
        name,
        arn,
        account: s.account,
        policy: null,
        region: undefined,
        encryption: undefined,
        ownership: undefined,
        publicAccessBlock: undefined,
        location: this.loc(s, r.pointer),
      };
      this.account(s.account).buckets.set(name, bucket);
      this.policyOnly.add(name);
    }
    bucket.policy = policy;
    if (policy === undefined && !maybe)
      bucket.policyUnknownAt = placeOf(this.loc(s, P('PolicyDocument')));
    this.written.bucket.add(name);
    if (maybe)
      this.unknownPolicy(
        s,
        'bucket',
        name,
        joinPointer(r.pointer, 'Condition'),
        maybe.reason,
        what,
      );
  }

  private topicPolicy(s: TemplateStack, r: ResourceEntry, maybe?: Unresolved): void {
    const P = (k: string): string => this.propAt(r, k);
    const what = `the topic policy \`${r.logicalId}\``;
    const topics = this.prop(s, r, 'Topics');
    if (isUnresolved(topics)) {
      this.unknownPolicy(s, 'topic', undefined, P('Topics'), topics.reason, what);
      return;
    }
    const list = Array.isArray(topics) ? topics : [topics];
    list.forEach((t, i) => {
      const at = Array.isArray(topics) ? joinPointer(P('Topics'), i) : P('Topics');
      const arn = asString(t, at);
      if (isUnresolved(arn)) {
        this.unknownPolicy(s, 'topic', undefined, at, arn.reason, what);
        return;
      }
      const parsed = parseArn(arn);
      const topic = parsed
        ? this.accounts
            .get(parsed.account)
            ?.regions.get(parsed.region)
            ?.snsTopics.get(parsed.resource)
        : undefined;
      const policy = maybe ? undefined : this.policy(s, r, 'PolicyDocument', arn, 'resource');
      const unreadable =
        policy === undefined && !maybe ? placeOf(this.loc(s, P('PolicyDocument'))) : undefined;
      this.written.topic.add(arn);
      if (maybe)
        this.unknownPolicy(
          s,
          'topic',
          arn,
          joinPointer(r.pointer, 'Condition'),
          maybe.reason,
          what,
        );
      if (topic) {
        topic.policy = policy;
        if (unreadable) topic.policyUnknownAt = unreadable;
        return;
      }
      if (!parsed) {
        s.problem(
          'warning',
          'template.topic.unknown',
          at,
          `\`${arn.slice(0, 120)}\` is not a topic arn: its policy is left out`,
        );
        return;
      }
      // a topic made elsewhere: its policy is applied when the templates are laid over a
      // snapshot that holds it
      this.topicPolicies.push({
        account: parsed.account,
        region: parsed.region,
        name: parsed.resource,
        policy,
        ...(unreadable ? { policyUnknownAt: unreadable } : {}),
        location: this.loc(s, r.pointer),
      });
    });
  }

  /**
   * A Lambda permission becomes a statement of the function's resource policy, as
   * AddPermission writes it (https://docs.aws.amazon.com/lambda/latest/api/API_AddPermission.html).
   */
  private lambdaPermission(s: TemplateStack, r: ResourceEntry, maybe?: Unresolved): void {
    const P = (k: string): string => this.propAt(r, k);
    const what = `the permission \`${r.logicalId}\``;
    const fnValue = asString(this.prop(s, r, 'FunctionName'), P('FunctionName'));
    if (isUnresolved(fnValue)) {
      this.unknownPolicy(s, 'function', undefined, P('FunctionName'), fnValue.reason, what);
      return;
    }
    const parsed = parseArn(fnValue);
    const account = parsed?.account ?? s.account;
    const region = parsed?.region ?? s.region;
    const name = parsed
      ? (parsed.resource.split(':')[1] ?? '')
      : (fnValue.split(':')[0] ?? fnValue);
    const fn = this.accounts.get(account)?.regions.get(region)?.lambdas.get(name);
    if (!fn) {
      s.problem(
        'warning',
        'template.function.unknown',
        P('FunctionName'),
        `the function \`${fnValue.slice(0, 120)}\` is not defined in the templates: its permission is left out`,
      );
      return;
    }
    this.written.function.add(fn.arn);
    if (maybe) {
      this.unknownPolicy(
        s,
        'function',
        fn.arn,
        joinPointer(r.pointer, 'Condition'),
        maybe.reason,
        what,
      );
      return;
    }
    const principal = this.prop(s, r, 'Principal');
    const condition: Obj = {};
    const sourceArn = this.prop(s, r, 'SourceArn');
    const sourceAccount = this.prop(s, r, 'SourceAccount');
    const orgId = this.prop(s, r, 'PrincipalOrgID');
    if (sourceArn !== undefined) condition['ArnLike'] = { 'AWS:SourceArn': sourceArn };
    if (sourceAccount !== undefined)
      condition['StringEquals'] = { 'AWS:SourceAccount': sourceAccount };
    if (orgId !== undefined) {
      condition['StringEquals'] = {
        ...(condition['StringEquals'] as Obj | undefined),
        'aws:PrincipalOrgID': orgId,
      };
    }
    let p: unknown = principal;
    if (typeof principal === 'string' && principal !== '*') {
      p =
        principal.endsWith('.amazonaws.com') || principal.endsWith('.amazonaws.com.cn')
          ? { Service: principal }
          : { AWS: principal };
    }
    const statement: Obj = {
      Sid: r.logicalId,
      Effect: 'Allow',
      Principal: p,
      Action: this.prop(s, r, 'Action'),
      Resource: fn.arn,
      ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
    };
    const regionModel = this.region(account, region);
    const entry = regionModel.lambdaStatements.get(fn.arn) ?? {
      statements: [],
      stack: s,
      pointer: r.pointer,
    };
    entry.statements.push(statement);
    regionModel.lambdaStatements.set(fn.arn, entry);
  }

  /**
   * An event bus policy becomes a statement of the bus's resource policy, as PutPermission
   * writes it (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-events-eventbuspolicy.html):
   * its `Statement` (a policy statement), else the one its legacy properties make: `Action`,
   * `Principal` ("the 12-digit AWS account ID that you are permitting to put events to your
   * default event bus. Specify `*` to permit any account"), and `Condition` (`Type`, `Key`,
   * `Value`: "Currently, the only supported condition is membership in a certain AWS
   * organization", https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_Condition.html),
   * with `StatementId` as its Sid. An account is written as its root, as EventBridge writes it
   * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-bus-perms.html). Without
   * `EventBusName` it is the default bus ("If you omit this, the default event bus is used").
   * The AWS CDK writes the legacy form, in a support stack of the receiving account, for a rule
   * of another account whose target is a bus of this one (aws-events Rule).
   */
  private eventBusPolicy(s: TemplateStack, r: ResourceEntry, maybe?: Unresolved): void {
    const P = (k: string): string => this.propAt(r, k);
    const what = `the event bus policy \`${r.logicalId}\``;
    const busValue = this.prop(s, r, 'EventBusName');
    const given = busValue === undefined ? 'default' : asString(busValue, P('EventBusName'));
    if (isUnresolved(given)) {
      s.problem(
        'warning',
        'template.value.unresolved',
        P('EventBusName'),
        `${given.reason}: ${what} may apply to any event bus of \`${s.account}\` \`${s.region}\`: their policies are unknown`,
      );
      this.anyBus.push({
        account: s.account,
        region: s.region,
        at: placeOf(this.loc(s, P('EventBusName'))),
      });
      return;
    }
    let name = given;
    if (given.startsWith('arn:')) {
      // a bus ARN: the stack writes the policy of a bus of its own account and Region
      const arn = parseArn(given);
      if (
        !arn ||
        arn.service !== 'events' ||
        !arn.resource.startsWith('event-bus/') ||
        arn.account !== s.account ||
        arn.region !== s.region
      ) {
        s.problem(
          'warning',
          'template.event-bus.unknown',
          P('EventBusName'),
          `\`${given.slice(0, 200)}\` is not an event bus of \`${s.account}\` \`${s.region}\`, where the stack writes the policy: ${what} is left out`,
        );
        return;
      }
      name = arn.resource.slice('event-bus/'.length);
    }
    const busArn = `arn:${s.partition}:events:${s.region}:${s.account}:event-bus/${name}`;
    const region = this.region(s.account, s.region);
    let entry = region.busStatements.get(name);
    if (!entry) {
      entry = { statements: [], stack: s, pointer: r.pointer };
      region.busStatements.set(name, entry);
    }
    if (maybe) {
      // CloudFormation may or may not create it: the policy is unknown, not read without it
      entry.unknownAt ??= placeOf(this.loc(s, joinPointer(r.pointer, 'Condition')));
      return;
    }
    const sid = this.prop(s, r, 'StatementId');
    const written = this.prop(s, r, 'Statement');
    if (written !== undefined) {
      for (const given of Array.isArray(written) ? written : [written]) {
        // a Json property may be written as a JSON text
        const st = typeof given === 'string' ? parsedJson(given) : given;
        if (!isObject(st)) {
          // not a statement (or one the template does not settle): compiled as it is, which
          // leaves the policy unknown
          entry.statements.push(st);
          continue;
        }
        entry.statements.push({
          ...(sid !== undefined && st['Sid'] === undefined ? { Sid: sid } : {}),
          ...st,
          // a statement of the bus's policy is about the bus
          ...(st['Resource'] === undefined && st['NotResource'] === undefined
            ? { Resource: busArn }
            : {}),
        });
      }
      return;
    }
    const principal = this.prop(s, r, 'Principal');
    let p: unknown = principal;
    if (typeof principal === 'string' && principal !== '*')
      p = {
        AWS: /^\d{12}$/.test(principal) ? `arn:${s.partition}:iam::${principal}:root` : principal,
      };
    const action = this.prop(s, r, 'Action');
    const condition = this.prop(s, r, 'Condition');
    let c: unknown;
    if (isObject(condition)) {
      const type = condition['Type'];
      const key = condition['Key'];
      c =
        typeof type === 'string' && typeof key === 'string'
          ? { [type]: { [key]: condition['Value'] } }
          : // a Type or Key the template does not settle leaves the statement open
            ([type, key].find((v) => isUnresolved(v)) ?? condition);
    } else if (condition !== undefined) c = condition;
    entry.statements.push({
      ...(sid !== undefined ? { Sid: sid } : {}),
      Effect: 'Allow',
      ...(p !== undefined ? { Principal: p } : {}),
      ...(action !== undefined ? { Action: action } : {}),
      Resource: busArn,
      ...(c !== undefined ? { Condition: c } : {}),
    });
  }

  /**
   * A nested stack (`AWS::CloudFormation::Stack`): its template is not read
   * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-cloudformation-stack.html).
   * It may attach policies to the roles and write the policies of the buckets it is given as
   * parameters (by name or ARN), so theirs are unknown; a parameter the template does not settle
   * may name any role or bucket of the account.
   */
  private nestedStack(s: TemplateStack, r: ResourceEntry): void {
    const at = this.propAt(r, 'Parameters');
    s.problem(
      'warning',
      'template.nested-stack',
      r.pointer,
      `the nested stack \`${r.logicalId}\` is not read: the roles and buckets it is given as parameters may get policies from it, which are unknown`,
    );
    const params = this.prop(s, r, 'Parameters');
    const values: { text: string; pointer: string }[] = [];
    const unknown: { kind: 'role'; pointer: string; reason: string }[] = [];
    const collect = (v: unknown, pointer: string): void => {
      if (isUnresolved(v)) unknown.push({ kind: 'role', pointer, reason: v.reason });
      else if (Array.isArray(v)) v.forEach((x, i) => collect(x, joinPointer(pointer, i)));
      else if (typeof v === 'string')
        for (const part of v.split(',')) values.push({ text: part.trim(), pointer });
    };
    if (isUnresolved(params)) collect(params, at);
    else if (isObject(params))
      for (const k of Object.keys(params)) collect(params[k], joinPointer(at, k));
    const name = `(nested stack ${r.logicalId})`;
    const what = `the nested stack \`${r.logicalId}\``;
    // it may write a statement of an event bus policy of its account and Region: a bus is named
    // by its name (`default` when absent), which needs no parameter
    this.anyBus.push({ account: s.account, region: s.region, at: placeOf(this.loc(s, r.pointer)) });
    this.attachToUnknown(s, r, unknown, name);
    for (const u of unknown) this.unknownPolicy(s, 'bucket', undefined, u.pointer, u.reason, what);
    for (const { text, pointer } of values) {
      // a role of the account, by name or ARN
      const iam = /^arn:[^:]+:iam::([^:]*):role\/(?:.*\/)?([^/]+)$/.exec(text);
      const roleName = iam ? iam[2]! : text;
      if (this.roleByName(s.account, roleName) || iam?.[1] === s.account) {
        this.attach(
          s,
          { kind: 'role', name: roleName },
          {
            inline: this.unknownInline(s, name, pointer),
          },
        );
        continue;
      }
      // a bucket, by name (one the templates define) or ARN
      const s3 = /^arn:[^:]+:s3:::([^/]+)$/.exec(text);
      const bucketName = s3 ? s3[1]! : text;
      let known = false;
      for (const a of this.accounts.values()) known ||= a.buckets.has(bucketName);
      if (known || s3) {
        const location = this.loc(s, pointer);
        this.unsettled.bucket.set(bucketName, {
          account: s.account,
          partition: s.partition,
          location,
          at: placeOf(location),
        });
      }
    }
  }

  /** Resource policies left open (see unknownPolicy): unknown, whatever else was written. */
  private finishUnsettled(): void {
    for (const [name, { account, partition, location, at }] of this.unsettled.bucket) {
      let bucket: Mutable<BucketModel> | undefined;
      for (const a of this.accounts.values()) bucket ??= a.buckets.get(name);
      if (!bucket) {
        bucket = {
          name,
          arn: `arn:${partition}:s3:::${name}`,
          account,
          policy: undefined,
          region: undefined,
          encryption: undefined,
          ownership: undefined,
          publicAccessBlock: undefined,
          location,
        };
        this.account(account).buckets.set(name, bucket);
        this.policyOnly.add(name);
      }
      bucket.policy = undefined;
      bucket.policyUnknownAt = at;
      this.written.bucket.add(name);
    }
    for (const [arn, { location, at }] of this.unsettled.topic) {
      const parsed = parseArn(arn);
      if (!parsed) continue;
      const topic = this.accounts
        .get(parsed.account)
        ?.regions.get(parsed.region)
        ?.snsTopics.get(parsed.resource);
      if (topic) {
        topic.policy = undefined;
        topic.policyUnknownAt = at;
      } else
        this.topicPolicies.push({
          account: parsed.account,
          region: parsed.region,
          name: parsed.resource,
          policy: undefined,
          policyUnknownAt: at,
          location,
        });
    }
    for (const [arn, { at }] of this.unsettled.function) {
      for (const a of this.accounts.values())
        for (const region of a.regions.values())
          for (const fn of region.lambdas.values()) {
            if (fn.arn !== arn) continue;
            fn.policy = undefined;
            fn.policyUnknownAt = at;
          }
    }
    for (const any of this.anyPolicy) {
      const a = this.accounts.get(any.account);
      if (!a) continue;
      const region = any.region === undefined ? undefined : a.regions.get(any.region);
      const targets: { policy: unknown; policyUnknownAt?: string }[] =
        any.kind === 'bucket'
          ? [...a.buckets.values()]
          : any.kind === 'topic'
            ? [...(region?.snsTopics.values() ?? [])]
            : [...(region?.lambdas.values() ?? [])];
      for (const t of targets) {
        t.policy = undefined;
        // a policy of its own that may apply is the nearer cause
        t.policyUnknownAt ??= any.at;
      }
    }
  }

  /**
   * The event buses whose policies the templates write: each bus's statements make its policy,
   * unknown when a statement may or may not be written, or a policy the templates may write on
   * a bus they do not settle may be its (anyBus).
   */
  private finishEventBuses(): void {
    for (const [account, a] of this.accounts) {
      for (const [regionName, region] of a.regions) {
        for (const [name, entry] of region.busStatements) {
          const s = entry.stack;
          const arn = `arn:${s.partition}:events:${regionName}:${account}:event-bus/${name}`;
          const open =
            entry.unknownAt ??
            this.anyBus.find((b) => b.account === account && b.region === regionName)?.at;
          const policy =
            open !== undefined || entry.statements.length === 0
              ? undefined
              : compileTemplatePolicy(
                  s,
                  { Version: '2012-10-17', Statement: entry.statements },
                  { name: arn, policyType: 'resource', pointer: entry.pointer },
                );
          region.buses.set(name, {
            name,
            arn,
            account,
            region: regionName,
            policy,
            ...(open !== undefined
              ? { policyUnknownAt: open }
              : policy === undefined
                ? { policyUnknownAt: placeOf(this.loc(s, entry.pointer)) }
                : {}),
            location: this.loc(s, entry.pointer),
          });
        }
      }
    }
  }

  private finishLambdaPolicies(): void {
    for (const a of this.accounts.values()) {
      for (const region of a.regions.values()) {
        for (const [arn, entry] of region.lambdaStatements) {
          const fn = [...region.lambdas.values()].find((f) => f.arn === arn);
          if (!fn) continue;
          fn.policy = compileTemplatePolicy(
            entry.stack,
            { Version: '2012-10-17', Statement: entry.statements },
            { name: arn, policyType: 'resource', pointer: entry.pointer },
          );
        }
      }
    }
  }

  private buildAlias(s: TemplateStack, r: ResourceEntry): void {
    if (r.type !== 'AWS::KMS::Alias') return;
    const P = (k: string): string => this.propAt(r, k);
    const name = asString(this.prop(s, r, 'AliasName'), P('AliasName'));
    const target = asString(this.prop(s, r, 'TargetKeyId'), P('TargetKeyId'));
    if (isUnresolved(name) || isUnresolved(target)) {
      const u = isUnresolved(name) ? name : (target as Unresolved);
      s.problem(
        'warning',
        'template.value.unresolved',
        u.pointer,
        `${u.reason}: the alias is left out`,
      );
      return;
    }
    const keyId = target.startsWith('arn:') ? target.slice(target.lastIndexOf('/') + 1) : target;
    const region = this.region(s.account, s.region);
    region.aliases.set(name, {
      name,
      arn: `arn:${s.partition}:kms:${s.region}:${s.account}:${name}`,
      targetKeyId: keyId,
      location: this.loc(s, r.pointer),
    });
    const key = region.kmsKeys.get(keyId);
    if (key) key.aliases = [...key.aliases, name].sort();
  }

  // -------------------------------------------------------------------------------------------
  // AWS-managed policies

  private resolveAwsManaged(): Map<string, Problem> {
    const unknown = new Map<string, Problem>();
    for (const [id, a] of this.accounts) {
      const wanted = new Map<string, Location>();
      const add = (arn: string | undefined, where: Location): void => {
        if (arn !== undefined && AWS_MANAGED_PREFIX.test(arn) && !wanted.has(arn))
          wanted.set(arn, where);
      };
      for (const role of a.roles.values()) {
        for (const arn of role.managedPolicyArns) add(arn, role.location);
        add(role.boundaryArn, role.location);
      }
      for (const att of this.attachments)
        if (att.account === id) add(att.managedArn, att.inline?.location ?? a.iamLocation!);
      for (const [arn, where] of [...wanted].sort(([x], [y]) => (x < y ? -1 : 1))) {
        const found = managedPolicyModel(this.managed, arn);
        if (found) {
          a.policies.set(arn, found);
          continue;
        }
        const problem: Problem = {
          file: where.file,
          pointer: where.pointer,
          message: `the aws-managed policy \`${arn}\` is not known: install the managed policy package or load a snapshot that holds it`,
          id: 'template.managed-policy.unknown',
          severity: 'warning',
        };
        unknown.set(`${id} ${arn}`, problem);
        this.problems.push(problem);
      }
    }
    return unknown;
  }

  // -------------------------------------------------------------------------------------------

  private freezeAccounts(): Map<string, AccountModel> {
    const out = new Map<string, AccountModel>();
    for (const id of [...this.accounts.keys()].sort()) {
      const a = this.accounts.get(id)!;
      const location = a.iamLocation ?? { file: this.root, pointer: '' };
      const iam: IamModel = {
        roles: sorted(a.roles),
        users: new Map(),
        groups: new Map(),
        policies: sorted(a.policies),
        // the templates do not list every principal of the account: one they do not define is
        // unknown, never known not to exist
        truncated: true,
        location,
      };
      const regions = new Map<string, RegionModel>();
      for (const name of [...a.regions.keys()].sort()) {
        const r = a.regions.get(name)!;
        regions.set(name, {
          name,
          account: id,
          pipelines: sorted(r.pipelines),
          codebuild:
            r.projects.size > 0
              ? { projects: sorted(r.projects), notFound: [], location: r.codebuildLocation! }
              : undefined,
          kmsKeys: sorted(r.kmsKeys),
          // the aliases the templates define: the account may have others, which are unknown
          // (not absent), as a snapshot's kms/aliases.json would list them all
          aliases: r.aliases.size > 0 ? sorted(r.aliases) : undefined,
          ...(r.aliases.size > 0 ? { aliasesPartial: true } : {}),
          lambdas: sorted(r.lambdas),
          deploymentGroups: sorted(r.deploymentGroups),
          events:
            r.rules.size > 0 ? { rules: sorted(r.rules), location: r.eventsLocation! } : undefined,
          ecrRepositories: sorted(r.ecrRepositories),
          snsTopics: sorted(r.snsTopics),
          ...(r.ecsTaskDefinitions.size > 0
            ? { ecsTaskDefinitions: sorted(r.ecsTaskDefinitions) }
            : {}),
          ...(r.ecsServices.size > 0 ? { ecsServices: sorted(r.ecsServices) } : {}),
          ...(r.stateMachines.size > 0 ? { stateMachines: sorted(r.stateMachines) } : {}),
          ...(r.buses.size > 0 ? { eventBuses: sorted(r.buses) } : {}),
        });
      }
      out.set(id, { id, iam, buckets: sorted(a.buckets), regions });
    }
    return out;
  }
}

/** The condition blocks of a stage, as templates and the model name them (StageModel.rules). */
const TEMPLATE_CONDITION_KINDS: readonly (readonly [string, string])[] = [
  ['BeforeEntry', 'beforeEntry'],
  ['OnSuccess', 'onSuccess'],
  ['OnFailure', 'onFailure'],
];

/** The message of a `null` value (YAML `Key:` left empty). */
const NULL_VALUE = '`null` (an empty value): CloudFormation rejects null values';

/**
 * What CloudFormation rejects in an artifact store's `EncryptionKey`, with its pointer: it is an
 * object whose `Id` (a key id, key ARN or alias ARN) and `Type` are required strings, and `Type`
 * "must be set to 'KMS'"
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-codepipeline-pipeline-encryptionkey.html,
 * https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_EncryptionKey.html: `id` of
 * 1 to 400 characters, `type` of the valid value KMS). Undefined when absent or right. A Type the
 * template does not settle is not wrong: a pipeline CloudFormation creates has `KMS`.
 */
function encryptionKeyFault(
  key: unknown,
  pointer: string,
): { readonly pointer: string; readonly message: string } | undefined {
  if (key === undefined) return undefined;
  if (!isObject(key)) {
    return {
      pointer,
      message: `\`EncryptionKey\` must be an object \`{ Id, Type: KMS }\`, not ${notText(key) ?? describe(key)}`,
    };
  }
  const id = key['Id'];
  if (id === undefined) return { pointer, message: '`EncryptionKey` has no `Id`' };
  const idWrong = id === '' ? 'an empty string' : notText(id);
  if (idWrong !== undefined) {
    return {
      pointer: joinPointer(pointer, 'Id'),
      message: `\`Id\` must be a key id, key ARN or alias ARN, not ${idWrong}`,
    };
  }
  const type = key['Type'];
  if (type === undefined) return { pointer, message: '`EncryptionKey` has no `Type` (`KMS`)' };
  if (type !== 'KMS' && !isUnresolved(type)) {
    return {
      pointer: joinPointer(pointer, 'Type'),
      message: `\`Type\` must be \`KMS\`, not ${type === null ? NULL_VALUE : typeof type === 'string' ? `\`${type.slice(0, 40)}\`` : describe(type)}`,
    };
  }
  return undefined;
}

/** The keys of a template's CodeBuild environment variable. */
const TEMPLATE_VARIABLE_KEYS: VariableKeys = { name: 'Name', value: 'Value', type: 'Type' };

/**
 * What CloudFormation rejects in a project's `Environment.EnvironmentVariables` (a list of
 * `{ Name, Type, Value }`, Name and Value required strings:
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-codebuild-project-environmentvariable.html,
 * https://docs.aws.amazon.com/codebuild/latest/APIReference/API_EnvironmentVariable.html), by
 * the rules of the API (variableFault), each with its pointer: the key at fault when it is
 * there, else the variable. A number or Boolean is text (CloudFormation takes its text), as is a
 * value the template does not settle (a Name or Value placeholder; an unsettled list, variable
 * or Type is read before, as unknown, not wrong). Messages never quote a value (it may be a
 * secret).
 */
function templateVariableFaults(
  vars: unknown,
  pointer: string,
): { readonly pointer: string; readonly message: string }[] {
  if (vars === undefined) return [];
  if (!Array.isArray(vars)) {
    return [
      {
        pointer,
        message: `\`EnvironmentVariables\` must be a list, not ${notText(vars) ?? describe(vars)}`,
      },
    ];
  }
  const out: { pointer: string; message: string }[] = [];
  vars.forEach((v, i) => {
    const vp = joinPointer(pointer, i);
    if (!isObject(v)) {
      out.push({
        pointer: vp,
        message: `a variable must be an object, not ${notText(v) ?? describe(v)}`,
      });
      return;
    }
    const empty = Object.values(TEMPLATE_VARIABLE_KEYS).find((k) => v[k] === null);
    if (empty !== undefined) {
      out.push({ pointer: joinPointer(vp, empty), message: NULL_VALUE });
      return;
    }
    const view: Record<string, unknown> = {};
    for (const k of Object.values(TEMPLATE_VARIABLE_KEYS)) {
      const x = v[k];
      view[k] = isUnresolved(x) || typeof x === 'number' || typeof x === 'boolean' ? String(x) : x;
    }
    const fault = variableFault(view, TEMPLATE_VARIABLE_KEYS);
    if (fault === undefined) return;
    out.push({
      pointer:
        fault.key !== undefined && v[fault.key] !== undefined ? joinPointer(vp, fault.key) : vp,
      message: fault.message,
    });
  });
  return out;
}

/**
 * Why a value is not one CloudFormation takes for a String property: `null`, a list or an
 * object; undefined for a string, number or Boolean (which it takes as their text), for an
 * unresolved value (not settled, not wrong) and for an absent one.
 */
function notText(v: unknown): string | undefined {
  if (v === null) return NULL_VALUE;
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object' && !isUnresolved(v)) return 'an object';
  return undefined;
}

/**
 * The first element of an action (or, `rule`, a stage condition's rule) that shapes its chain and
 * has a shape CloudFormation rejects
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-codepipeline-pipeline-actiondeclaration.html,
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-codepipeline-pipeline-ruledeclaration.html):
 * its type id (an object; an action's four fields and a rule's `Category` and `Provider` are
 * required), `Configuration` (an object), the artifact lists (lists of `{ Name }`) and `Region`.
 * Values the template does not settle are not wrong: firstUnresolved found them before.
 */
function actionShape(
  a: Obj,
  pointer: string,
  typeKey: string,
  rule: boolean,
): { readonly pointer: string; readonly message: string } | undefined {
  const at = (...keys: (string | number)[]): string => joinPointer(pointer, ...keys);
  const typeId = a[typeKey];
  if (typeId === undefined) return { pointer, message: `\`${typeKey}\` is missing` };
  if (!isObject(typeId)) {
    return { pointer: at(typeKey), message: `\`${typeKey}\` must be an object` };
  }
  const required = rule ? ['Category', 'Provider'] : ['Category', 'Owner', 'Provider', 'Version'];
  for (const key of ['Category', 'Owner', 'Provider', 'Version']) {
    const v = typeId[key];
    if (v === undefined) {
      if (required.includes(key)) {
        return { pointer: at(typeKey), message: `\`${typeKey}\` has no \`${key}\`` };
      }
      continue;
    }
    const wrong = notText(v);
    if (wrong !== undefined) {
      return { pointer: at(typeKey, key), message: `\`${key}\` must be a string, not ${wrong}` };
    }
  }
  const config = a['Configuration'];
  if (config !== undefined && !isObject(config)) {
    return {
      pointer: at('Configuration'),
      message: `\`Configuration\` must be an object, not ${notText(config) ?? `\`${String(config).slice(0, 40)}\``}`,
    };
  }
  for (const key of ['InputArtifacts', 'OutputArtifacts']) {
    const list = a[key];
    if (list === undefined) continue;
    if (!Array.isArray(list)) {
      return {
        pointer: at(key),
        message: `\`${key}\` must be a list of \`{ Name: ... }\`, not ${notText(list) ?? `\`${String(list).slice(0, 40)}\``}`,
      };
    }
    for (let i = 0; i < list.length; i++) {
      const x: unknown = list[i];
      if (!isObject(x)) {
        return { pointer: at(key, i), message: 'an artifact must be an object with a `Name`' };
      }
      const name = x['Name'];
      if (name === undefined) return { pointer: at(key, i), message: 'the artifact has no `Name`' };
      const wrong = notText(name);
      if (wrong !== undefined) {
        return { pointer: at(key, i, 'Name'), message: `\`Name\` must be a string, not ${wrong}` };
      }
    }
  }
  const region = a['Region'];
  const wrongRegion = region === undefined ? undefined : notText(region);
  if (wrongRegion !== undefined) {
    return { pointer: at('Region'), message: `\`Region\` must be a string, not ${wrongRegion}` };
  }
  // a region AWS could not run an action in (`""`): its ARNs would name resources nowhere
  // (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_ActionDeclaration.html)
  if (typeof region === 'string' && !isRegionName(region) && !isPlaceholder(region)) {
    return {
      pointer: at('Region'),
      message:
        region === ''
          ? '`Region` is empty: not an AWS region name'
          : `\`Region\` \`${region.slice(0, 40)}\` is not an AWS region name`,
    };
  }
  return undefined;
}

/** The first artifact `Name` of an action that a template leaves unresolved. */
function unsettledArtifactName(a: Obj): Unresolved | undefined {
  for (const key of ['InputArtifacts', 'OutputArtifacts']) {
    const list = a[key];
    if (!Array.isArray(list)) continue;
    for (const x of list) if (isObject(x) && isUnresolved(x['Name'])) return x['Name'];
  }
  return undefined;
}

const DEFINED_TWICE = 'defined more than once';

/** Where a stack defines a pipeline. */
interface PipelineCopy {
  readonly stack: string;
  readonly location: Location;
}

interface UnsettledPolicy {
  readonly account: string;
  readonly partition: string;
  readonly location: Location;
  /** the element that leaves it open, as Unknown links name it (`file#pointer`) */
  readonly at: string;
}

/** A principal's name from its name or ARN (`arn:aws:iam::1:role/path/name` → `name`). */
function principalName(nameOrArn: string): string {
  return nameOrArn.startsWith('arn:') ? nameOrArn.slice(nameOrArn.lastIndexOf('/') + 1) : nameOrArn;
}

/** A JSON text's value; the text itself when it is not JSON. */
function parsedJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** The logical id of a `{"Ref": id}` (or `!Ref id`) value, else undefined. */
function refTarget(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  const ref = (value as Record<string, unknown>)['Ref'];
  return keys.length === 1 && typeof ref === 'string' ? ref : undefined;
}

const MODELLED: ReadonlySet<string> = new Set([
  'AWS::IAM::Role',
  'AWS::IAM::Policy',
  'AWS::IAM::ManagedPolicy',
  'AWS::S3::Bucket',
  'AWS::S3::BucketPolicy',
  'AWS::KMS::Key',
  'AWS::KMS::Alias',
  'AWS::CodeBuild::Project',
  'AWS::Lambda::Function',
  'AWS::Lambda::Permission',
  'AWS::SNS::Topic',
  'AWS::SNS::TopicPolicy',
  'AWS::Events::Rule',
  'AWS::Events::EventBusPolicy',
  'AWS::CodePipeline::Pipeline',
  'AWS::Serverless::Function',
  'AWS::ECS::TaskDefinition',
  'AWS::ECS::Service',
  'AWS::ECR::Repository',
  'AWS::StepFunctions::StateMachine',
  'AWS::CodeDeploy::DeploymentGroup',
  'AWS::AutoScaling::AutoScalingGroup',
  'AWS::AutoScaling::LaunchConfiguration',
  'AWS::EC2::LaunchTemplate',
  'AWS::EC2::Instance',
  'AWS::IAM::InstanceProfile',
  'AWS::IAM::RolePolicy',
  'AWS::CloudFormation::Stack',
]);

/**
 * Resources that attach to others. One whose `Condition` is not known may be created: what it
 * attaches to is unknown, not left as if it were not there.
 */
const ATTACHING: ReadonlySet<string> = new Set([
  'AWS::IAM::Policy',
  'AWS::IAM::RolePolicy',
  'AWS::IAM::ManagedPolicy',
  'AWS::S3::BucketPolicy',
  'AWS::SNS::TopicPolicy',
  'AWS::Lambda::Permission',
  'AWS::Events::EventBusPolicy',
  'AWS::CloudFormation::Stack',
]);

/** Pipeline action configuration keys that hold credentials. */
const SECRET_KEYS: ReadonlySet<string> = new Set(['OAuthToken', 'SecretToken']);

/** Keep only names and types of PLAINTEXT variables, as the snapshot loader does. */
function sorted<V>(m: ReadonlyMap<string, V>): Map<string, V> {
  return new Map([...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export { SAM_TRANSFORM };

/**
 * A CodeBuild build environment the template does not settle or gets wrong: every setting is
 * `open` (a placeholder), the image `image`, and the variables unknown, so the links that depend
 * on them are Unknown naming the place, never decided on defaults.
 */
function unknownEnvironment(open: string, image: string): CodeBuildEnvironmentModel {
  return {
    type: open,
    image,
    computeType: open,
    imagePullCredentialsType: open,
    privilegedMode: undefined,
    registryCredential: undefined,
    environmentVariables: [],
    environmentVariablesUnknown: open,
  };
}
