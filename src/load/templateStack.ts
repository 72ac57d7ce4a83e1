/**
 * One stack: a parsed template deployed to an account and region with parameter values. It
 * answers `Ref`, `Fn::GetAtt`, conditions, outputs and exports lazily and memoised, so stacks
 * may refer to each other in any order; a cycle becomes an Unresolved value, never a hang.
 */
import { joinPointer, shownValue, type Problem, type Severity } from '../problems.js';
import { partitionOfRegion } from '../model/arn.js';
import { isPlaceholder } from '../model/placeholders.js';
import {
  asString,
  describe,
  firstUnresolved,
  intrinsicName,
  MAX_DEPTH,
  NO_VALUE,
  resolveConditionExpression,
  resolveValue,
  Unresolved,
  type IntrinsicScope,
  type Origins,
  type UnresolvedMemo,
} from './intrinsics.js';
import {
  generatedLaunchTemplateId,
  generatedName,
  generatedUniqueId,
  generatedUuid,
  isGeneratedNameOf,
} from './templateNames.js';
import type { ParsedTemplate, SourcePosition } from './templateParse.js';

/**
 * A parameter value from a stacks file or a CDK manifest: a literal, a reference into another
 * stack, or a value that is given but cannot be read (not a string): unknown, because `unknown`,
 * at `at` (the manifest or stacks file and the pointer of the value). Such a parameter is an
 * Unresolved value naming that place, never the template's default nor a text that stands for it.
 */
export type StackParameterInput =
  | string
  | { readonly fromStack: string; readonly output: string }
  | { readonly fromStack: string; readonly resource: string }
  | { readonly unknown: string; readonly at: { readonly file: string; readonly pointer: string } };

/** What a stack needs from the other stacks of the same load. */
export interface StackRegistry {
  stack(name: string): TemplateStack | undefined;
  /** every stack, in load order */
  all(): readonly TemplateStack[];
}

/**
 * The parameter values of a stack are given but cannot be read (a CDK manifest's or a stacks
 * file's `parameters` that is not a map): `unknown` says so, `at` is its file and pointer.
 */
export interface UnreadableParameters {
  readonly unknown: string;
  readonly at: { readonly file: string; readonly pointer: string };
}

/** Where the values of a stack's parameters are given (StackOptions). */
export type ParametersGivenIn = 'stacks-file' | 'command-line';

export interface StackOptions {
  readonly name: string;
  /** set when the input does not give the stack name: what would (stacks.ts StackSpec) */
  readonly nameAssumed?: string;
  readonly account: string;
  readonly region: string;
  /** the template path as reports show it */
  readonly file: string;
  readonly parameters: ReadonlyMap<string, StackParameterInput>;
  /**
   * set when the parameter values cannot be read: every parameter the template declares and
   * `parameters` does not give is unknown, naming that place, never its default (any of them
   * may have been given there)
   */
  readonly unreadableParameters?: UnreadableParameters;
  /**
   * how a parameter value is given, for the messages that ask for one: in a stacks file's
   * `parameters`, or with `--parameter` for one template; undefined (a CDK assembly): either
   */
  readonly parametersGivenIn?: ParametersGivenIn;
  /** where each parameter was given (the stacks file), for problems */
  readonly parameterFile?: string;
  readonly parameterPointer?: string;
  /** the names a snapshot holds, when the templates are laid over one */
  readonly deployed?: DeployedNames;
}

/**
 * The names of the resources a snapshot holds, by type (`AWS::IAM::Role`...), account and
 * region; undefined when the snapshot does not say (no `iam.json`, a type it does not list).
 */
export interface DeployedNames {
  names(type: string, account: string, region: string): readonly string[] | undefined;
  /**
   * The ARN, with its path, of the snapshot's role of this exact name in the account; undefined
   * when the snapshot does not settle it (no role of that name, no or a truncated `iam.json`,
   * several roles of that name in another case)
   */
  roleArn?(account: string, name: string): string | undefined;
  /**
   * The RoleId the snapshot gives the role of exactly this ARN (path and name); undefined when
   * it holds no such role, or no RoleId of IAM's form for it
   */
  roleId?(arn: string): string | undefined;
}

/**
 * A map as the template writes it. An unknown value (Unresolved: an unquoted YAML 1.1 scalar
 * such as `y` whose reading CloudFormation does not document, templateParse.ts) is no map: where
 * one is expected (`Resources: y`, `Properties: n`, `Conditions: y`) it was read as a map of its
 * own fields (resources `reason` and `pointer`, a policy resource with no role); it is read as a
 * string there is, an input error at its place.
 */
function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && !(x instanceof Unresolved);
}

const SSM_VALUE = 'AWS::SSM::Parameter::Value<';

/**
 * A parameter type whose value is a list: `CommaDelimitedList`, `List<...>`, and an SSM
 * parameter type whose value type is one of those (`AWS::SSM::Parameter::Value<List<String>>`,
 * `AWS::SSM::Parameter::Value<CommaDelimitedList>`)
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html#aws-ssm-parameter-types).
 */
export function isListType(type: string): boolean {
  const t = type.trim();
  if (t === 'CommaDelimitedList' || t.startsWith('List<')) return true;
  return t.startsWith(SSM_VALUE) && t.endsWith('>') && isListType(t.slice(SSM_VALUE.length, -1));
}

/** The SAM transform is expanded by this loader; any other macro is not. */
export const SAM_TRANSFORM = 'AWS::Serverless-2016-10-31';

/** Properties that hold the physical name of a resource, by type. */
const NAME_PROPERTY: Readonly<Record<string, string>> = {
  'AWS::IAM::Role': 'RoleName',
  'AWS::IAM::ManagedPolicy': 'ManagedPolicyName',
  'AWS::IAM::User': 'UserName',
  'AWS::IAM::Group': 'GroupName',
  'AWS::IAM::InstanceProfile': 'InstanceProfileName',
  'AWS::S3::Bucket': 'BucketName',
  'AWS::CodeBuild::Project': 'Name',
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::Serverless::Function': 'FunctionName',
  'AWS::SNS::Topic': 'TopicName',
  'AWS::Events::Rule': 'Name',
  'AWS::CodePipeline::Pipeline': 'Name',
  'AWS::CodeCommit::Repository': 'RepositoryName',
  'AWS::ECR::Repository': 'RepositoryName',
  'AWS::SSM::Parameter': 'Name',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::KMS::Alias': 'AliasName',
  // Ref of a cluster is its name (Ref of a service or task definition is an ARN: not here)
  'AWS::ECS::Cluster': 'ClusterName',
  // Ref of these is their name too (a launch template's Ref is its id: see resourceRef)
  'AWS::CodeDeploy::Application': 'ApplicationName',
  'AWS::CodeDeploy::DeploymentGroup': 'DeploymentGroupName',
  'AWS::CodeDeploy::DeploymentConfig': 'DeploymentConfigName',
  'AWS::AutoScaling::AutoScalingGroup': 'AutoScalingGroupName',
  'AWS::AutoScaling::LaunchConfiguration': 'LaunchConfigurationName',
  // Ref of a state machine is its ARN (see resourceRef), made of this name
  // (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-stepfunctions-statemachine.html)
  'AWS::StepFunctions::StateMachine': 'StateMachineName',
  // Ref of a service is its ARN, not kept (see resourceRef); Fn::GetAtt Name is this name
  // (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ecs-service.html)
  'AWS::ECS::Service': 'ServiceName',
};

/** Longest generated name, by type (IAM names are 64, bucket names 63). */
const NAME_LIMIT: Readonly<Record<string, number>> = {
  'AWS::IAM::Role': 64,
  'AWS::IAM::User': 64,
  'AWS::IAM::Group': 128,
  'AWS::IAM::ManagedPolicy': 128,
  'AWS::IAM::InstanceProfile': 128,
  'AWS::S3::Bucket': 63,
  'AWS::Lambda::Function': 64,
  'AWS::Serverless::Function': 64,
  'AWS::Events::Rule': 64,
  'AWS::ECR::Repository': 256,
  'AWS::StepFunctions::StateMachine': 80,
};

/** The type of a resource whose `Type` cannot be read (never a CloudFormation type). */
export const UNKNOWN_TYPE = '';

/** Why nothing of a resource whose `Type` cannot be read is known. */
export function unknownTypeReason(logicalId: string): string {
  return `what \`${logicalId}\` is cannot be read`;
}

export interface ResourceEntry {
  readonly logicalId: string;
  readonly type: string;
  /**
   * the raw `Properties` object (unresolved); when the template does not settle it (see
   * readProperties), every property read from it is that unknown value
   */
  readonly properties: Record<string, unknown>;
  readonly pointer: string;
  /** where `properties` is in the template: `<pointer>/Properties`, or an `Fn::If` branch in it */
  readonly propertiesPointer: string;
  /** false when its `Condition` is false; Unresolved when the condition cannot be decided */
  readonly exists: boolean | Unresolved;
  /** a SAM-generated resource (the role of an `AWS::Serverless::Function`) */
  readonly generatedBy?: string;
}

export class TemplateStack implements IntrinsicScope {
  readonly name: string;
  readonly account: string;
  readonly region: string;
  readonly partition: string;
  readonly file: string;
  readonly problems: Problem[] = [];
  readonly origins: Origins = new WeakMap();
  readonly resources = new Map<string, ResourceEntry>();
  readonly transforms: readonly string[];
  readonly mappings: unknown;
  private readonly template: Record<string, unknown>;
  private readonly params = new Map<string, unknown>();
  private readonly paramDecl: Record<string, unknown>;
  private readonly conditions = new Map<string, boolean | Unresolved>();
  private readonly names = new Map<string, { value: string | Unresolved; generated: boolean }>();
  /** the warning that AWS::StackName is made up was given (once per stack) */
  private stackNameWarned = false;
  private readonly busy = new Set<string>();
  /** values resolved once and reused (an SSM parameter's `Value`, an output): see `memo` */
  private readonly memos = new Map<string, unknown>();
  /** `globals.Function` of a SAM template */
  readonly samGlobals: Record<string, unknown>;

  constructor(
    readonly options: StackOptions,
    readonly parsed: ParsedTemplate,
    private readonly registry: StackRegistry,
  ) {
    this.name = options.name;
    this.account = options.account;
    this.region = options.region;
    this.partition = partitionOfRegion(options.region);
    this.file = options.file;
    this.problems.push(...parsed.problems);
    const t = parsed.value;
    this.template = isObject(t) ? t : {};
    if (parsed.value !== undefined && !isObject(t)) {
      this.problem('error', 'template.shape.invalid', '', 'the template is not an object');
    }
    this.mappings = this.template['Mappings'];
    this.paramDecl = isObject(this.template['Parameters']) ? this.template['Parameters'] : {};
    const transform = this.template['Transform'];
    const list = Array.isArray(transform) ? transform : transform === undefined ? [] : [transform];
    this.transforms = list.map((x) => (typeof x === 'string' ? x : JSON.stringify(x)));
    this.transforms.forEach((tr, i) => {
      if (tr !== SAM_TRANSFORM) {
        this.problem(
          'warning',
          'template.transform.unsupported',
          Array.isArray(transform) ? joinPointer('/Transform', i) : '/Transform',
          `the macro ${shownValue(tr, 80)} may rewrite the template at deploy time: the template is read as written`,
        );
      }
    });
    const globals = this.template['Globals'];
    const fnGlobals = isObject(globals) ? globals['Function'] : undefined;
    this.samGlobals = isObject(fnGlobals) ? fnGlobals : {};
    this.readResources();
    for (const [name] of options.parameters) {
      if (name in this.paramDecl) continue;
      if (options.parameterFile !== undefined) {
        this.problems.push({
          file: options.parameterFile,
          pointer: joinPointer(options.parameterPointer ?? '', name),
          message: `stack \`${this.name}\`: the template declares no parameter \`${name}\``,
          id: 'stacks.parameter.unknown',
          severity: 'warning',
        });
        continue;
      }
      // given on the command line (`--parameter`): said at the template's `Parameters`, with
      // its line, or at the template when it has none
      const declared = isObject(this.template['Parameters']);
      const at = declared ? this.position('/Parameters') : undefined;
      this.problems.push({
        file: this.file,
        pointer: declared ? '/Parameters' : '',
        message: `${at ? `line ${at.line}, column ${at.column}: ` : ''}stack \`${this.name}\`: ${shownValue(`--parameter ${name}`, 80 + '--parameter '.length)} is given, but the template declares no parameter ${shownValue(name, 80)}`,
        id: 'stacks.parameter.unknown',
        severity: 'warning',
      });
    }
  }

  problem(severity: Severity, id: string, pointer: string, message: string): void {
    this.problems.push({ file: this.file, pointer, message, id, severity });
  }

  position(pointer: string): SourcePosition | undefined {
    // the nearest recorded ancestor: a scalar made by an intrinsic has no node of its own
    let p = pointer;
    for (;;) {
      const pos = this.parsed.positions.get(p);
      if (pos) return pos;
      if (p === '') return undefined;
      p = p.slice(0, p.lastIndexOf('/'));
    }
  }

  private readResources(): void {
    const res = this.template['Resources'];
    if (!isObject(res)) {
      if (this.parsed.value !== undefined) {
        this.problem('error', 'template.resources.missing', '', 'the template has no `Resources`');
      }
      return;
    }
    for (const logicalId of Object.keys(res)) {
      const pointer = joinPointer('/Resources', logicalId);
      const r = res[logicalId];
      if (logicalId === 'Fn::Transform') {
        // `AWS::Include` inserts resources here at deploy time
        // (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/transform-aws-include.html):
        // not a resource, and not read, as a top-level `Transform` is not (a warning, not an error)
        this.problem(
          'warning',
          'template.transform.unsupported',
          pointer,
          'a macro (`Fn::Transform`) inserts resources here at deploy time: they are not read, and a policy among them is not seen',
        );
        continue;
      }
      if (!isObject(r) || typeof r['Type'] !== 'string') {
        this.problem(
          'error',
          'template.resource.invalid',
          pointer,
          'expected `Type` and `Properties`',
        );
        // what it is is not known: it may be a policy given to any role, any bucket's policy
        // (templateResources.ts unknownResource); skipped, its deny was dropped (a wrong Allowed)
        // (every property of it is unknown too)
        this.resources.set(logicalId, {
          logicalId,
          type: UNKNOWN_TYPE,
          ...this.unknownProperties(
            new Unresolved(unknownTypeReason(logicalId), pointer),
            joinPointer(pointer, 'Properties'),
          ),
          pointer,
          exists: true,
        });
        continue;
      }
      const props = r['Properties'];
      const condition = r['Condition'];
      const conditionAt = joinPointer(pointer, 'Condition');
      // a resource's Condition names a condition of `Conditions` by its logical id
      // (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-condition.html):
      // anything else is an input error (CloudFormation rejects the template), and whether the
      // resource exists is not known (it was read as always created)
      let exists: boolean | Unresolved = true;
      if (typeof condition === 'string') exists = this.condition(condition, conditionAt);
      else if (condition !== undefined) {
        this.problem(
          'error',
          'template.resource.invalid',
          conditionAt,
          'a resource `Condition` names a condition of `Conditions` by its logical id',
        );
        exists = new Unresolved('its `Condition` is not a condition name', conditionAt);
      }
      this.resources.set(logicalId, {
        logicalId,
        type: r['Type'],
        ...this.readProperties(logicalId, props, joinPointer(pointer, 'Properties'), 0),
        pointer,
        exists,
      });
    }
    this.checkDependsOn(res);
    // SAM: a function without `Role` gets `<LogicalId>Role`
    // (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-specification-generated-resources-function.html)
    if (this.transforms.includes(SAM_TRANSFORM)) {
      for (const r of [...this.resources.values()]) {
        if (r.type !== 'AWS::Serverless::Function') continue;
        if (this.samProperty(r, 'Role') !== undefined) continue;
        const id = `${r.logicalId}Role`;
        if (this.resources.has(id)) continue;
        this.resources.set(id, {
          logicalId: id,
          type: 'AWS::IAM::Role',
          properties: {},
          pointer: r.pointer,
          propertiesPointer: joinPointer(r.pointer, 'Properties'),
          exists: r.exists,
          generatedBy: r.logicalId,
        });
      }
    }
  }

  /**
   * A resource's `Properties` (raw, at `at`). An `Fn::If` there chooses the whole object, as in a
   * property value
   * (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-conditions.html):
   * on a known condition the chosen branch is read where it is written (`AWS::NoValue`: no
   * properties). Any other intrinsic there, an `Fn::If` on a condition that is not known, and an
   * `Fn::Transform` key among the properties (`AWS::Include` inserts its snippet there at deploy
   * time, https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/transform-aws-include.html)
   * leave every property unknown, never absent: read as no properties, a role's policies or a
   * policy's `Deny` went missing and links read `Allowed`. Anything else there, or in the branch
   * an `Fn::If` chooses (a list, a string, another function's value), is no object of property
   * names (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/resources-section-structure.html):
   * CloudFormation rejects the template. Read as no properties, a policy resource was attached to
   * nothing and its deny dropped (a wrong Allowed): an input error, and every property is unknown.
   */
  private readProperties(
    logicalId: string,
    props: unknown,
    at: string,
    depth: number,
  ): { properties: Record<string, unknown>; propertiesPointer: string } {
    // absent (in YAML, `Properties:` with nothing after it is null): no properties
    if (props === undefined || props === null) return { properties: {}, propertiesPointer: at };
    const fn = intrinsicName(props);
    const invalid = (): { properties: Record<string, unknown>; propertiesPointer: string } => {
      this.problem(
        'error',
        'template.resource.invalid',
        at,
        `\`Properties\` of \`${logicalId}\` is not an object of property names: what the resource sets is unknown`,
      );
      return this.unknownProperties(
        new Unresolved(`\`Properties\` of \`${logicalId}\` cannot be read`, at),
        at,
      );
    };
    if (fn === undefined) {
      if (!isObject(props)) return invalid();
      if (!Object.prototype.hasOwnProperty.call(props, 'Fn::Transform'))
        return { properties: props, propertiesPointer: at };
      return this.unknownProperties(
        new Unresolved(
          'a macro (`Fn::Transform`) inserts properties here at deploy time',
          joinPointer(at, 'Fn::Transform'),
        ),
        at,
      );
    }
    const arg = (props as Record<string, unknown>)[fn];
    const fp = joinPointer(at, fn);
    if (fn === 'Ref' && arg === 'AWS::NoValue') return { properties: {}, propertiesPointer: at };
    if (fn === 'Fn::If' && Array.isArray(arg) && arg.length === 3 && typeof arg[0] === 'string') {
      const c = this.condition(arg[0], joinPointer(fp, 0));
      if (typeof c === 'boolean' && depth < MAX_DEPTH) {
        const branch = c ? 1 : 2;
        return this.readProperties(logicalId, arg[branch], joinPointer(fp, branch), depth + 1);
      }
      if (c instanceof Unresolved) {
        return this.unknownProperties(
          new Unresolved(
            `\`Fn::If\` on condition ${shownValue(arg[0], 80)}, which is not known, chooses the properties: ${c.reason}`,
            fp,
            c.origin,
            c,
          ),
          at,
        );
      }
    }
    // another function's value is no object of property names
    if (fn !== 'Fn::If' && fn !== 'Fn::Transform') return invalid();
    // `Fn::Transform`, an `Fn::If` that is not one: resolved as a value, it is unknown
    const v = this.resolve(props, at);
    return this.unknownProperties(
      v instanceof Unresolved ? v : new Unresolved(`\`Properties\` is ${describe(v)}`, fp),
      at,
    );
  }

  /** Properties none of which is known: each one read is `why`, and every one may be present. */
  private unknownProperties(
    why: Unresolved,
    at: string,
  ): { properties: Record<string, unknown>; propertiesPointer: string } {
    const properties = new Proxy<Record<string, unknown>>(
      {},
      {
        get: (_, key) => (typeof key === 'string' ? why : undefined),
        has: (_, key) => typeof key === 'string',
      },
    );
    return { properties, propertiesPointer: at };
  }

  /**
   * `DependsOn` names resources of the template, and no resource depends on itself through them:
   * CloudFormation rejects the template otherwise
   * (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-dependson.html).
   * One error per cycle, at the `DependsOn` of the resource that closes it; the walk is iterative
   * and visits each resource once.
   */
  private checkDependsOn(res: Record<string, unknown>): void {
    const edges = new Map<string, string[]>();
    for (const id of Object.keys(res)) {
      const r = res[id];
      const d = isObject(r) ? r['DependsOn'] : undefined;
      if (d === undefined) continue;
      const at = joinPointer('/Resources', id, 'DependsOn');
      const list = typeof d === 'string' ? [d] : Array.isArray(d) ? d : undefined;
      if (!list || list.some((x) => typeof x !== 'string')) {
        this.problem(
          'error',
          'template.dependson.invalid',
          at,
          '`DependsOn` is a resource logical id or a list of them',
        );
        continue;
      }
      const names = list as string[];
      // (a transform may add resources: SAM's `<Function>Role`)
      names.forEach((n, i) => {
        if (this.transforms.length === 0 && !Object.prototype.hasOwnProperty.call(res, n))
          this.problem(
            'error',
            'template.dependson.invalid',
            typeof d === 'string' ? at : joinPointer(at, i),
            `\`DependsOn\` names ${shownValue(n, 80)}, which is not a resource of the template`,
          );
      });
      edges.set(id, names);
    }
    // 0: not seen, 1: on the walk's path, 2: done
    const state = new Map<string, number>();
    for (const start of [...edges.keys()].sort()) {
      if (state.has(start)) continue;
      const stack: { id: string; next: number }[] = [{ id: start, next: 0 }];
      state.set(start, 1);
      while (stack.length > 0) {
        const top = stack[stack.length - 1]!;
        const out = edges.get(top.id) ?? [];
        if (top.next >= out.length) {
          state.set(top.id, 2);
          stack.pop();
          continue;
        }
        const to = out[top.next++]!;
        const st = state.get(to);
        if (st === 1) {
          this.problem(
            'error',
            'template.dependson.circular',
            joinPointer('/Resources', top.id, 'DependsOn'),
            `\`${top.id.slice(0, 80)}\` depends on \`${to.slice(0, 80)}\`, which depends on it: a circular dependency`,
          );
        } else if (st === undefined && edges.has(to)) {
          state.set(to, 1);
          stack.push({ id: to, next: 0 });
        }
      }
    }
  }

  /** A property of a SAM function, falling back to `Globals.Function`. */
  samProperty(r: ResourceEntry, key: string): unknown {
    return key in r.properties ? r.properties[key] : this.samGlobals[key];
  }

  /** The pointer of a SAM function property (its own, or the global one). */
  samPointer(r: ResourceEntry, key: string): string {
    return key in r.properties
      ? joinPointer(r.propertiesPointer, key)
      : joinPointer('/Globals/Function', key);
  }

  /** Resolve the template value at `pointer` (raw `value`). */
  resolve(value: unknown, pointer: string): unknown {
    return resolveValue(value, pointer, this, this.origins);
  }

  /**
   * `guard`, resolved once: a value that other values read several times (an SSM parameter's
   * `Value` read twice by each of a chain of parameters, an output imported by several stacks)
   * would otherwise be resolved again at every use, exponentially. A use inside its own
   * resolution is the cycle `guard` reports, and is not remembered.
   */
  private memo(key: string, pointer: string, fn: () => unknown): unknown {
    if (this.memos.has(key)) return this.memos.get(key);
    if (this.busy.has(key)) return this.guard(key, pointer, fn);
    const v = this.guard(key, pointer, fn);
    this.memos.set(key, v);
    return v;
  }

  private guard<T>(key: string, pointer: string, fn: () => T): T | Unresolved {
    if (this.busy.has(key)) {
      return new Unresolved(`circular reference through \`${key}\``, pointer);
    }
    this.busy.add(key);
    try {
      return fn();
    } finally {
      this.busy.delete(key);
    }
  }

  // -------------------------------------------------------------------------------------------
  // IntrinsicScope

  /**
   * An Unresolved value that comes from elsewhere (a parameter, another stack's output) is
   * anchored at the element that uses it, in this template: at the top level, and inside a list
   * or object (an imported list of role ARNs, one of them an `Fn::If` on a condition that is not
   * known) at its place in the value used there (`.../Fn::ImportValue/0`: two unknown elements
   * stay two values, not one placeholder), to MAX_DEPTH levels; a list or object holding none is
   * used as it is. Origin and cause are kept. `from`: the other stack whose template the value
   * was resolved in: the place that would settle it (the condition of a value made from another
   * unknown one, `settledBy`; else the element of that template that holds it, which names the
   * stack whose input settles it) is in that template, so it becomes the origin (file, pointer,
   * line), unless there is one already.
   */
  private anchor(v: unknown, pointer: string, from?: TemplateStack, depth = 0): unknown {
    if (v instanceof Unresolved) return this.repoint(v, pointer, from);
    // one walk, bounded at MAX_DEPTH levels from the top (firstUnresolved), made once per value
    // and depth: a value shared by several imports is not walked again along every path to it
    if (typeof v !== 'object' || v === null || !firstUnresolved(v, depth, this.walked)) return v;
    let out: unknown[] | Record<string, unknown>;
    if (Array.isArray(v)) {
      out = v.map((x, i) => this.anchor(x, joinPointer(pointer, i), from, depth + 1));
    } else {
      out = {};
      const o = v as Record<string, unknown>;
      for (const key of Object.keys(o)) {
        Object.defineProperty(out, key, {
          value: this.anchor(o[key], joinPointer(pointer, key), from, depth + 1),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
    }
    this.origins.set(out, this.origins.get(v) ?? pointer);
    return out;
  }

  private repoint(u: Unresolved, pointer: string, from: TemplateStack | undefined): Unresolved {
    if (from && from !== this && !u.origin) {
      // the end of its cause chain, or the value itself when it has no cause (an SSM parameter
      // type's value used by the other stack's output): named in that template, which says
      // which stack, and which of its inputs, would settle it
      const root = u.settledBy();
      if (!root.origin) {
        const pos = from.position(root.pointer);
        const origin = {
          file: from.file,
          pointer: root.pointer,
          ...(pos ? { line: pos.line, column: pos.column } : {}),
        };
        return new Unresolved(u.reason, pointer, origin, u.cause);
      }
    }
    return u.at(pointer);
  }

  /** the walks `anchor` made of the values it was given (by depth: see UnresolvedMemo) */
  private readonly walked: UnresolvedMemo = new WeakMap();

  ref(name: string, pointer: string): unknown {
    return this.anchor(this.refValue(name, pointer), pointer);
  }

  private refValue(name: string, pointer: string): unknown {
    switch (name) {
      case 'AWS::AccountId':
        return this.account;
      case 'AWS::Region':
        return this.region;
      case 'AWS::Partition':
        return this.partition;
      case 'AWS::StackName':
        // a name the input does not give is the one made from the file's name, with a warning:
        // the template's own uses of it agree whatever the real name (a bucket and the policy
        // on it, both named after the stack), but a policy's literal text may meet or miss it
        // by chance (made unknown, it made every such link Unknown)
        if (this.options.nameAssumed !== undefined && !this.stackNameWarned) {
          this.stackNameWarned = true;
          this.problem(
            'warning',
            'template.stack-name.assumed',
            pointer,
            `\`AWS::StackName\` is read as \`${this.name}\`, made from the file's name: the stack may be deployed under another, which a policy naming its resources by their literal names would meet or miss: give ${this.options.nameAssumed}`,
          );
        }
        return this.name;
      case 'AWS::StackId':
        return `arn:${this.partition}:cloudformation:${this.region}:${this.account}:stack/${this.name}/${generatedUuid(this.name, 'AWS::StackId')}`;
      case 'AWS::URLSuffix':
        return this.urlSuffix(pointer);
      case 'AWS::NoValue':
        return NO_VALUE;
      case 'AWS::NotificationARNs':
        return [];
    }
    if (name in this.paramDecl) return this.parameter(name, pointer);
    const r = this.resources.get(name);
    if (r) return this.resourceRef(r, pointer);
    return new Unresolved(
      `\`Ref\` to ${shownValue(name, 80)}, which is neither a parameter nor a resource`,
      pointer,
    );
  }

  /**
   * The RoleId of a role the template creates: AWS gives it when the stack is deployed, so it is
   * made up, stable for the stack and logical id; `Fn::GetAtt Role.RoleId` and the role's model
   * (RoleModel.roleIdGenerated) both give this one, as both will give the real one. Laid over a
   * snapshot that holds the role (deployedRoleId), it is the snapshot's.
   */
  roleId(r: ResourceEntry): string {
    return this.deployedRoleId(r) ?? generatedUniqueId('AROA', this.name, r.logicalId);
  }

  /**
   * The real RoleId of a role the template creates, when the templates are laid over a snapshot
   * that holds a role of the same ARN: the stack deployed it, and this template keeps it. A
   * change of `RoleName` or `Path` replaces the role ("Update requires: Replacement",
   * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-iam-role.html#cfn-iam-role-path,
   * #cfn-iam-role-rolename), and a replaced resource is a new one with a new id
   * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-updating-stacks-update-behaviors.html);
   * the ARN is made of both, so a template that changes either gives another ARN, and its role
   * keeps the made-up id. Every other property of a role updates it in place, which keeps its
   * RoleId. (A role of that name made outside the stack is not this one either: CloudFormation
   * cannot create a role whose name is taken, so that deploy would fail.)
   */
  deployedRoleId(r: ResourceEntry): string | undefined {
    const lookup = this.options.deployed?.roleId;
    if (!lookup) return undefined;
    const arn = this.iamArn(r, 'role', r.pointer);
    return arn instanceof Unresolved ? undefined : lookup(arn);
  }

  getAtt(logicalId: string, attribute: string, pointer: string): unknown {
    return this.anchor(this.getAttValue(logicalId, attribute, pointer), pointer);
  }

  private getAttValue(logicalId: string, attribute: string, pointer: string): unknown {
    const r = this.resources.get(logicalId);
    if (!r) {
      return new Unresolved(
        `\`Fn::GetAtt\` of ${shownValue(logicalId, 80)}, which is not a resource`,
        pointer,
      );
    }
    if (r.exists !== true) return this.notThere(r, pointer);
    if (r.type === UNKNOWN_TYPE) {
      return this.typeUnknown(r, `\`Fn::GetAtt\` \`${attribute.slice(0, 80)}\``, pointer);
    }
    const name = (): string | Unresolved => this.physicalName(r, pointer).value;
    const arn = (service: string, resource: (n: string) => string, global = false): unknown => {
      const n = name();
      return n instanceof Unresolved
        ? n
        : `arn:${this.partition}:${service}:${global ? '' : this.region}:${this.account}:${resource(n)}`;
    };
    const unknown = (): Unresolved =>
      new Unresolved(
        `the attribute \`${attribute}\` of \`${r.type}\` is not known offline`,
        pointer,
      );
    switch (r.type) {
      case 'AWS::IAM::Role':
        if (attribute === 'Arn') return this.iamArn(r, 'role', pointer);
        if (attribute === 'RoleId') return this.roleId(r);
        return unknown();
      case 'AWS::IAM::User':
        return attribute === 'Arn' ? this.iamArn(r, 'user', pointer) : unknown();
      case 'AWS::IAM::Group':
        return attribute === 'Arn' ? this.iamArn(r, 'group', pointer) : unknown();
      case 'AWS::IAM::InstanceProfile':
        return attribute === 'Arn' ? this.iamArn(r, 'instance-profile', pointer) : unknown();
      case 'AWS::EC2::LaunchTemplate':
        // the version numbers depend on how often the stack was updated: not known offline
        return attribute === 'LaunchTemplateId' ? this.launchTemplateId(r) : unknown();
      case 'AWS::IAM::ManagedPolicy':
        return attribute === 'PolicyArn' ? this.iamArn(r, 'policy', pointer) : unknown();
      case 'AWS::S3::Bucket': {
        const n = name();
        if (n instanceof Unresolved) return n;
        if (attribute === 'Arn') return `arn:${this.partition}:s3:::${n}`;
        const suffix = this.urlSuffix(pointer);
        if (suffix instanceof Unresolved) return suffix;
        switch (attribute) {
          case 'DomainName':
            return `${n}.s3.${suffix}`;
          case 'RegionalDomainName':
            return `${n}.s3.${this.region}.${suffix}`;
          case 'DualStackDomainName':
            return `${n}.s3.dualstack.${this.region}.${suffix}`;
          case 'WebsiteURL':
            return `http://${n}.s3-website-${this.region}.${suffix}`;
        }
        return unknown();
      }
      case 'AWS::KMS::Key':
        if (attribute === 'Arn') return this.keyArn(r);
        if (attribute === 'KeyId') return generatedUuid(this.name, r.logicalId);
        return unknown();
      case 'AWS::CodeBuild::Project':
        return attribute === 'Arn' ? arn('codebuild', (n) => `project/${n}`) : unknown();
      case 'AWS::Lambda::Function':
      case 'AWS::Serverless::Function':
        return attribute === 'Arn' ? arn('lambda', (n) => `function:${n}`) : unknown();
      case 'AWS::SNS::Topic':
        if (attribute === 'TopicArn') return arn('sns', (n) => n);
        if (attribute === 'TopicName') return name();
        return unknown();
      case 'AWS::Events::Rule':
        return attribute === 'Arn' ? this.ruleArn(r, pointer) : unknown();
      case 'AWS::CodeCommit::Repository':
        if (attribute === 'Arn') return arn('codecommit', (n) => n);
        if (attribute === 'Name') return name();
        if (attribute === 'CloneUrlHttp') {
          const n = name();
          const suffix = this.urlSuffix(pointer);
          if (n instanceof Unresolved) return n;
          if (suffix instanceof Unresolved) return suffix;
          return `https://git-codecommit.${this.region}.${suffix}/v1/repos/${n}`;
        }
        return unknown();
      case 'AWS::ECR::Repository':
        if (attribute === 'Arn') return arn('ecr', (n) => `repository/${n}`);
        if (attribute === 'RepositoryUri') {
          const n = name();
          const suffix = this.urlSuffix(pointer);
          if (n instanceof Unresolved) return n;
          if (suffix instanceof Unresolved) return suffix;
          return `${this.account}.dkr.ecr.${this.region}.${suffix}/${n}`;
        }
        return unknown();
      case 'AWS::Logs::LogGroup':
        return attribute === 'Arn' ? arn('logs', (n) => `log-group:${n}:*`) : unknown();
      case 'AWS::StepFunctions::StateMachine':
        if (attribute === 'Arn') return arn('states', (n) => `stateMachine:${n}`);
        if (attribute === 'Name') return name();
        return unknown();
      case 'AWS::ECS::Service':
        // the same name the service is modelled with (templateResources.ts buildEcsService)
        return attribute === 'Name' ? name() : unknown();
      case 'AWS::SSM::Parameter':
        if (attribute === 'Value') {
          const vp = joinPointer(r.propertiesPointer, 'Value');
          return this.memo(`${r.logicalId}.Value`, pointer, () =>
            this.resolve(r.properties['Value'], vp),
          );
        }
        return unknown();
    }
    return unknown();
  }

  /**
   * `AWS::URLSuffix`: "typically amazonaws.com, but might differ by Region. For example, the
   * suffix for the China (Beijing) Region is amazonaws.com.cn"
   * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/pseudo-parameter-reference.html#cfn-pseudo-param-urlsuffix).
   * The AWS GovCloud (US) Regions are listed among the regional endpoints written
   * `service-code.region-code.amazonaws.com`
   * (https://docs.aws.amazon.com/general/latest/gr/rande.html). The suffix of another partition
   * (aws-iso, aws-iso-b, aws-iso-e, aws-iso-f, aws-eusc) is not in that documentation, and that
   * of a region known only at deploy (an environment-agnostic CDK stack) is not known: unknown,
   * never `amazonaws.com` by default.
   */
  private urlSuffix(pointer: string): string | Unresolved {
    if (isPlaceholder(this.region)) {
      return new Unresolved(
        '`AWS::URLSuffix` depends on the partition of the region, which is known only at deploy',
        pointer,
      );
    }
    switch (this.partition) {
      case 'aws':
      case 'aws-us-gov':
        return 'amazonaws.com';
      case 'aws-cn':
        return 'amazonaws.com.cn';
    }
    return new Unresolved(
      `\`AWS::URLSuffix\` of the partition \`${this.partition}\` (region \`${this.region}\`) is not documented by CloudFormation`,
      pointer,
    );
  }

  declaresCondition(name: string): boolean {
    const all = this.template['Conditions'];
    return isObject(all) && Object.prototype.hasOwnProperty.call(all, name);
  }

  condition(name: string, pointer: string): boolean | Unresolved {
    const known = this.conditions.get(name);
    if (known !== undefined) return known;
    const all = this.template['Conditions'];
    if (!isObject(all) || !Object.prototype.hasOwnProperty.call(all, name)) {
      // CloudFormation rejects a template that uses a condition it does not declare: an input
      // error, and what depends on it stays unknown
      this.problem(
        'error',
        'template.condition.undeclared',
        pointer,
        `no condition ${shownValue(name, 80)} in \`Conditions\``,
      );
      return new Unresolved(`no condition ${shownValue(name, 80)}`, pointer);
    }
    const cp = joinPointer('/Conditions', name);
    if (this.busy.has(`Conditions.${name}`)) {
      // a condition that depends on itself: CloudFormation rejects the template
      this.problem(
        'error',
        'template.condition.circular',
        pointer,
        `condition ${shownValue(name, 80)} depends on itself`,
      );
    }
    const value = this.guard(`Conditions.${name}`, pointer, () =>
      resolveConditionExpression(all[name], cp, this),
    );
    const v = value instanceof Unresolved || typeof value === 'boolean' ? value : false;
    this.conditions.set(name, v);
    return v;
  }

  importValue(name: string, pointer: string): unknown {
    let open: { stack: string; output: string; why: Unresolved } | undefined;
    for (const s of this.registry.all()) {
      if (s === this || s.account !== this.account || s.region !== this.region) continue;
      const v = s.exported(name);
      if (v !== undefined) return this.anchor(v, pointer, s);
      const o = s.openExport();
      if (o && !open) open = { stack: s.name, ...o };
    }
    if (open) {
      // an export whose name is not known may be this one: not known, rather than missing
      return new Unresolved(
        `\`${name.slice(0, 120)}\` may be the export of output \`${open.output}\` of stack \`${open.stack}\`, whose name is not known (${open.why.reason})`,
        pointer,
      );
    }
    // exports are per account and region
    // (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-importvalue.html)
    return new Unresolved(
      `no stack in \`${this.account}\` \`${this.region}\` exports \`${name.slice(0, 120)}\``,
      pointer,
    );
  }

  // -------------------------------------------------------------------------------------------
  // Parameters, outputs, exports

  private parameter(name: string, pointer: string): unknown {
    if (this.params.has(name)) return this.params.get(name);
    const v = this.guard(`Parameters.${name}`, pointer, () => this.readParameter(name));
    this.params.set(name, v);
    return v;
  }

  private readParameter(name: string): unknown {
    const decl = this.paramDecl[name];
    const dp = joinPointer('/Parameters', name);
    const d = isObject(decl) ? decl : {};
    const type = typeof d['Type'] === 'string' ? d['Type'] : 'String';
    const given = this.options.parameters.get(name);
    let value: unknown;
    if (given !== undefined && typeof given !== 'string' && 'unknown' in given) {
      // its value is unknown where it is given: the choices that depend on it (`Fn::Equals`,
      // `Fn::If`, a resource's `Condition`) stay unknown, not decided on a stand-in text
      return new Unresolved(given.unknown, dp, given.at);
    } else if (given === undefined && this.options.unreadableParameters) {
      // any value may have been given in what cannot be read: not the default (used only "if
      // no value is specified",
      // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html),
      // nor a missing value
      const { unknown, at } = this.options.unreadableParameters;
      return new Unresolved(
        `${unknown}, so the value of parameter ${shownValue(name, 80)} is not known`,
        dp,
        at,
      );
    } else if (given !== undefined) {
      value = typeof given === 'string' ? given : this.fromStack(given, dp);
    } else if (type.startsWith(SSM_VALUE) && 'Default' in d) {
      // the default of an SSM parameter type is the parameter's name, not its value
      // (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html#aws-ssm-parameter-types);
      // without a default nor a value given there is no name to read: missing, as below
      const key = typeof d['Default'] === 'string' ? ` \`${d['Default']}\`` : '';
      this.problem(
        'warning',
        'template.parameter.ssm',
        dp,
        `parameter \`${name}\` reads the ssm parameter${key} at deploy time: ${this.howToGive(name)}`,
      );
      // the reason names the template parameter too: it is the one to give a value
      return new Unresolved(
        key
          ? `parameter \`${name}\` reads the ssm parameter${key} at deploy time, so its value is not known offline`
          : `parameter \`${name}\` reads an ssm parameter at deploy time (its \`Default\` does not name one), so its value is not known offline`,
        dp,
      );
    } else if ('Default' in d) {
      value = d['Default'];
    } else {
      // a parameter of any type (an SSM parameter type too) without a default must be given a
      // value, or CloudFormation does not create the stack
      // (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-input-parameters.html)
      this.problem(
        'error',
        'template.parameter.missing',
        dp,
        `parameter \`${name}\` has no value and no default`,
      );
      return new Unresolved(`parameter \`${name}\` has no value`, dp);
    }
    if (value instanceof Unresolved) return value;
    const text = asString(value, dp);
    if (text instanceof Unresolved) {
      return Array.isArray(value) && isListType(type) ? value : text;
    }
    const allowed = d['AllowedValues'];
    if (Array.isArray(allowed) && !allowed.map(String).includes(text)) {
      this.problem(
        'warning',
        'template.parameter.not-allowed',
        dp,
        `parameter \`${name}\`: ${shownValue(text, 80)} is not one of its \`AllowedValues\``,
      );
    }
    if (isListType(type)) {
      return text === '' ? [] : text.split(',').map((s) => s.trim());
    }
    return text;
  }

  /** How to give a value to parameter `name`, in words, as this stack was read. */
  private howToGive(name: string): string {
    const option = `with \`--parameter ${name}=<value>\``;
    switch (this.options.parametersGivenIn) {
      case 'stacks-file':
        return "give its value in the stacks file's `parameters`";
      case 'command-line':
        return `give its value ${option}`;
      default:
        return `give its value in a stacks file's \`parameters\` (or, for one template, ${option})`;
    }
  }

  /**
   * A parameter given as another stack's output or resource. A reference to a stack, output or
   * resource that is not there is an input error at the stacks file (loadStacks reports it); here
   * it is an Unresolved value.
   */
  private fromStack(
    given: Exclude<StackParameterInput, string | { readonly unknown: string }>,
    pointer: string,
  ): unknown {
    const other = this.registry.stack(given.fromStack);
    if (!other) return new Unresolved(`no stack \`${given.fromStack}\``, pointer);
    // the other stack's value is resolved at its own pointers (the output, the resource), as for
    // an import: an unknown value made there is named in its template (anchor)
    if ('output' in given) {
      if (!other.hasOutput(given.output)) {
        return new Unresolved(`stack \`${other.name}\` has no output \`${given.output}\``, pointer);
      }
      const op = joinPointer('/Outputs', given.output);
      return this.anchor(other.output(given.output, op), pointer, other);
    }
    const r = other.resources.get(given.resource);
    if (!r)
      return new Unresolved(`no resource \`${given.resource}\` in \`${other.name}\``, pointer);
    return this.anchor(other.resourceRef(r, r.pointer), pointer, other);
  }

  /** Whether the template declares the output `name` (created or not). */
  hasOutput(name: string): boolean {
    const outputs = this.template['Outputs'];
    return (
      isObject(outputs) &&
      Object.prototype.hasOwnProperty.call(outputs, name) &&
      isObject(outputs[name])
    );
  }

  /** The value of an output, or Unresolved. */
  output(name: string, pointer: string): unknown {
    const outputs = this.template['Outputs'];
    const o = isObject(outputs) ? outputs[name] : undefined;
    if (!isObject(o)) {
      return new Unresolved(`stack \`${this.name}\` has no output \`${name}\``, pointer);
    }
    const op = joinPointer('/Outputs', name);
    return this.memo(`Outputs.${name}`, pointer, () => {
      if (typeof o['Condition'] === 'string') {
        const c = this.condition(o['Condition'], joinPointer(op, 'Condition'));
        if (c !== true) {
          return c instanceof Unresolved
            ? c
            : new Unresolved(`output \`${name}\` of \`${this.name}\` is not created`, pointer);
        }
      }
      return this.resolve(o['Value'], joinPointer(op, 'Value'));
    });
  }

  private exportNames: Map<string, string> | undefined;
  /** the exports whose name is not known: why, by output */
  private readonly openExports = new Map<string, Unresolved>();

  /** The value exported under `name` by this stack, or undefined when it exports no such name. */
  exported(name: string): unknown {
    if (!this.exportNames) {
      this.exportNames = new Map();
      const outputs = this.template['Outputs'];
      if (isObject(outputs)) {
        for (const key of Object.keys(outputs)) {
          const o = outputs[key];
          if (!isObject(o) || !isObject(o['Export'])) continue;
          const p = joinPointer('/Outputs', key, 'Export', 'Name');
          const n = this.guard(`Export.${key}`, p, () =>
            this.resolve(o['Export'] && (o['Export'] as Record<string, unknown>)['Name'], p),
          );
          const text = asString(n, p);
          if (text instanceof Unresolved) this.openExports.set(key, text);
          else this.exportNames.set(text, key);
        }
      }
    }
    const key = this.exportNames.get(name);
    return key === undefined ? undefined : this.output(key, joinPointer('/Outputs', key));
  }

  /** The first export of this stack whose name is not known (after `exported`), if any. */
  openExport(): { output: string; why: Unresolved } | undefined {
    for (const [output, why] of this.openExports) return { output, why };
    return undefined;
  }

  // -------------------------------------------------------------------------------------------
  // Resources

  /**
   * `Ref` or `Fn::GetAtt` (`what`) of a resource whose `Type` cannot be read: unknown, naming
   * the resource (its type was written as the empty text, "a `` resource"); what would settle it
   * is the resource's `Type` (its cause).
   */
  private typeUnknown(r: ResourceEntry, what: string, pointer: string): Unresolved {
    return new Unresolved(
      `${what} of \`${r.logicalId}\` is not known: ${unknownTypeReason(r.logicalId)}`,
      pointer,
      undefined,
      new Unresolved(unknownTypeReason(r.logicalId), r.pointer),
    );
  }

  private notThere(r: ResourceEntry, pointer: string): Unresolved {
    return r.exists instanceof Unresolved
      ? r.exists
      : new Unresolved(`\`${r.logicalId}\` is not created (its condition is false)`, pointer);
  }

  /** What `Ref` of a resource gives. */
  resourceRef(r: ResourceEntry, pointer: string): unknown {
    if (r.exists !== true) return this.notThere(r, pointer);
    if (r.type === UNKNOWN_TYPE) return this.typeUnknown(r, '`Ref`', pointer);
    switch (r.type) {
      case 'AWS::IAM::ManagedPolicy':
        return this.iamArn(r, 'policy', pointer);
      case 'AWS::SNS::Topic':
        return this.getAtt(r.logicalId, 'TopicArn', pointer);
      case 'AWS::KMS::Key':
        return generatedUuid(this.name, r.logicalId);
      case 'AWS::CodeCommit::Repository':
        return generatedUuid(this.name, r.logicalId);
      case 'AWS::IAM::Policy':
        return generatedName(this.name, r.logicalId, 128);
      case 'AWS::EC2::LaunchTemplate':
        return this.launchTemplateId(r);
      case 'AWS::StepFunctions::StateMachine':
        return this.getAtt(r.logicalId, 'Arn', pointer);
      case 'AWS::ECS::Service':
        // its ARN, which names its cluster too: not kept (Fn::GetAtt Name is)
        break;
      default:
        if (r.type in NAME_PROPERTY) return this.physicalName(r, pointer).value;
    }
    return new Unresolved(`\`Ref\` of a \`${r.type}\` resource is not known offline`, pointer);
  }

  /** The physical name of a resource: its name property, or the one CloudFormation makes up. */
  physicalName(
    r: ResourceEntry,
    pointer: string,
  ): { value: string | Unresolved; generated: boolean } {
    const known = this.names.get(r.logicalId);
    if (known) return known;
    const prop = NAME_PROPERTY[r.type];
    const raw = prop === undefined ? undefined : r.properties[prop];
    let out: { value: string | Unresolved; generated: boolean };
    if (raw === undefined) {
      out = { value: this.generatedName(r), generated: true };
    } else {
      const p = joinPointer(r.propertiesPointer, prop!);
      const v = this.guard(`${r.logicalId}.${prop}`, pointer, () => this.resolve(raw, p));
      out =
        v === NO_VALUE
          ? { value: this.generatedName(r), generated: true }
          : { value: asString(v, p), generated: false };
    }
    this.names.set(r.logicalId, out);
    return out;
  }

  /**
   * The name CloudFormation gives a resource that names none. Laid over a snapshot, it is the
   * snapshot's resource of that type whose name has the generated form for this stack and
   * logical id, when exactly one has: the policies of the snapshot name that one. Otherwise it
   * is made up (deterministically), and when several match a warning says the name is not known.
   */
  private generatedName(r: ResourceEntry): string {
    const max = NAME_LIMIT[r.type] ?? 128;
    const lower = r.type === 'AWS::S3::Bucket';
    const made = generatedName(this.name, r.logicalId, max, lower);
    // the types whose generated name is looked for in a snapshot are those deployedNames reads
    const names = this.options.deployed?.names(r.type, this.account, this.region);
    if (!names) return made;
    const found = names
      .filter((n) => isGeneratedNameOf(n, this.name, r.logicalId, max, lower))
      .sort();
    if (found.length === 1) return found[0]!;
    if (found.length > 1) {
      this.problem(
        'warning',
        'template.name.ambiguous',
        r.pointer,
        `\`${r.logicalId}\` names no ${r.type}: CloudFormation generates its name, and the snapshot holds ${found.length} that may be it (\`${found.slice(0, 5).join('`, `')}\`${found.length > 5 ? ', ...' : ''}): none is taken, the name is made up`,
      );
    }
    return made;
  }

  /** `arn:aws:iam::<account>:<kind><path><name>`. */
  iamArn(r: ResourceEntry, kind: string, pointer: string): string | Unresolved {
    const name = this.physicalName(r, pointer).value;
    if (name instanceof Unresolved) return name;
    const path = this.iamPath(r);
    if (path instanceof Unresolved) return path;
    return `arn:${this.partition}:iam::${this.account}:${kind}${path}${name}`;
  }

  iamPath(r: ResourceEntry): string | Unresolved {
    const key = r.generatedBy !== undefined ? 'RolePath' : 'Path';
    const owner = r.generatedBy !== undefined ? this.resources.get(r.generatedBy) : r;
    const raw =
      owner === undefined
        ? undefined
        : r.generatedBy !== undefined
          ? this.samProperty(owner, key)
          : owner.properties[key];
    if (raw === undefined) return '/';
    const p = joinPointer((owner ?? r).propertiesPointer, key);
    // resolved once: a Path may be made of other roles' ARNs, each of them made of its Path
    // (`Fn::Select` of two of them: exponential without it)
    const v = this.memo(`${r.logicalId}.${key}`, p, () => this.resolve(raw, p));
    if (v === NO_VALUE) return '/';
    return asString(v, p);
  }

  /** The id AWS gives a launch template, made up (`lt-...`): what `Ref` of it gives. */
  launchTemplateId(r: ResourceEntry): string {
    return generatedLaunchTemplateId(this.name, r.logicalId);
  }

  keyArn(r: ResourceEntry): string {
    return `arn:${this.partition}:kms:${this.region}:${this.account}:key/${generatedUuid(this.name, r.logicalId)}`;
  }

  private ruleArn(r: ResourceEntry, pointer: string): string | Unresolved {
    const name = this.physicalName(r, pointer).value;
    if (name instanceof Unresolved) return name;
    const bus = r.properties['EventBusName'];
    let prefix = '';
    if (bus !== undefined) {
      const bp = joinPointer(r.propertiesPointer, 'EventBusName');
      const b = asString(
        this.memo(`${r.logicalId}.EventBusName`, pointer, () => this.resolve(bus, bp)),
        pointer,
      );
      if (b instanceof Unresolved) return b;
      const busName = b.startsWith('arn:') ? b.slice(b.lastIndexOf('/') + 1) : b;
      if (busName !== 'default') prefix = `${busName}/`;
    }
    return `arn:${this.partition}:events:${this.region}:${this.account}:rule/${prefix}${name}`;
  }
}

export { describe };
