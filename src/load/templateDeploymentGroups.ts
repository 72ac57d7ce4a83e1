/**
 * The EC2 instances a CodeDeploy deployment group deploys to, and the IAM roles they run as: the
 * CodeDeploy agent on each instance downloads the revision from the artifact bucket with the
 * role of the instance's profile
 * (https://docs.aws.amazon.com/codepipeline/latest/userguide/pipelines-create-cross-account.html).
 * A snapshot's get-deployment-group names Auto Scaling groups and tag filters but no instance
 * profile; templates that define the group's targets do.
 *
 * What counts as resolved (every other target stays unresolved, so its links are Unknown):
 *
 * - An Auto Scaling group the templates define is resolved completely: every instance it
 *   launches gets the instance profile of its launch template or launch configuration, which
 *   the templates define too. A launch template counts at `Fn::GetAtt <template>.LatestVersionNumber`
 *   (or `$Latest`) only: CloudFormation writes each change of the template as a new version, so
 *   the latest version is what the template says, while the default version (and any literal
 *   number) may be an older one. Like every template input, this describes the state after the
 *   deploy: instances launched before it, and instances attached to the group by hand
 *   (AttachInstances), are outside what any template says.
 * - An EC2 tag filter (`Ec2TagFilters`, `Ec2TagSet`) is never resolved completely: CodeDeploy
 *   matches the tags of every instance of the account and region when the deployment starts,
 *   including instances launched by hand, by other stacks or by other tools, which no template
 *   shows. The instances the templates define that carry the tags (`AWS::EC2::Instance`, and
 *   the instances of a template Auto Scaling group, which carry its tags propagated at launch
 *   and `aws:autoscaling:groupName`) are targets for sure, so their roles are checked; the
 *   filter itself stays unresolved.
 * - On-premises instance filters: registered on-premises instances authenticate as an IAM user
 *   or an IAM session that no template names: unresolved.
 * - A blue/green group that discovers existing instances (`DISCOVER_EXISTING`): the
 *   replacement instances are chosen when the deployment is created: unresolved.
 * - An Auto Scaling group, launch template, launch configuration, instance profile or role named
 *   by a value the templates do not define (a literal name, an id, an import they do not
 *   export): unresolved, each named. So is a tag filter, tag set or blue/green setting whose
 *   value the templates cannot resolve (an SSM parameter without a value): it may select any
 *   instance, and is not used to select the template's instances either.
 */
import { joinPointer } from '../problems.js';
import type { InstanceRolesModel } from '../model/types.js';
import { isUnresolved, NO_VALUE } from './intrinsics.js';
import type { ResourceEntry, TemplateStack } from './templateStack.js';

type Obj = Record<string, unknown>;

/** A plain object of the template; an unresolved value is not one (its fields are not known). */
function isObject(x: unknown): x is Obj {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && !isUnresolved(x);
}

export interface InstanceRoleScope {
  /** every stack of the load: targets may be defined in another stack of the same account */
  readonly stacks: readonly TemplateStack[];
  /** the ARN of a role the templates (or the snapshot under them) define, by account and name */
  roleArn(account: string, name: string): string | undefined;
  /** where roleArn looks, in words (absent: `the templates`) */
  readonly where?: string;
}

/** A resource and the stack that defines it. */
interface Placed {
  readonly s: TemplateStack;
  readonly r: ResourceEntry;
}

class Found {
  readonly roles = new Set<string>();
  readonly unresolved = new Set<string>();
  freeze(): InstanceRolesModel {
    return { roleArns: [...this.roles].sort(), unresolved: [...this.unresolved].sort() };
  }
}

/** One tag filter of CodeDeploy (EC2TagFilter, TagFilter). */
interface TagFilter {
  readonly key: string | undefined;
  readonly value: string | undefined;
  /** KEY_ONLY, VALUE_ONLY or KEY_AND_VALUE */
  readonly type: string;
}

export function instanceRolesOf(
  scope: InstanceRoleScope,
  s: TemplateStack,
  group: ResourceEntry,
): InstanceRolesModel {
  return new Resolver(scope, s).group(group);
}

class Resolver {
  private readonly found = new Found();

  constructor(
    private readonly scope: InstanceRoleScope,
    private readonly s: TemplateStack,
  ) {}

  group(group: ResourceEntry): InstanceRolesModel {
    const s = this.s;
    const asgs = this.prop(s, group, 'AutoScalingGroups');
    this.list(asgs).forEach((name, i) => {
      if (typeof name !== 'string') {
        this.unresolved(
          `an Auto Scaling group of the deployment group (${this.why(name, joinPointer(group.propertiesPointer, 'AutoScalingGroups', i))})`,
        );
        return;
      }
      const asg = this.byName('AWS::AutoScaling::AutoScalingGroup', name);
      if (asg) this.asg(asg);
      else this.unresolved(`Auto Scaling group \`${name}\` is not defined in the templates`);
    });

    // a target-selecting setting the templates do not resolve may select anything, and is not
    // used to select the template instances either (a half-read filter selects too many)
    const unknownKeys = new Set<string>();
    for (const key of [
      'Ec2TagFilters',
      'Ec2TagSet',
      'OnPremisesInstanceTagFilters',
      'OnPremisesTagSet',
      'DeploymentStyle',
      'BlueGreenDeploymentConfiguration',
    ]) {
      const u = firstUnresolved(this.prop(s, group, key));
      if (!u) continue;
      unknownKeys.add(key);
      this.unresolved(`the \`${key}\` of the deployment group (${u.reason})`);
    }

    // EC2 tag filters: one group of filters (any matches), or a tag set (every group matches)
    const groups: TagFilter[][] = [];
    const filters = unknownKeys.has('Ec2TagFilters')
      ? []
      : this.filters(this.prop(s, group, 'Ec2TagFilters'));
    if (filters.length > 0) groups.push(filters);
    const set = unknownKeys.has('Ec2TagSet') ? undefined : this.prop(s, group, 'Ec2TagSet');
    if (isObject(set)) {
      for (const item of this.list(set['Ec2TagSetList'])) {
        const g = isObject(item) ? this.filters(item['Ec2TagGroup']) : [];
        if (g.length > 0) groups.push(g);
      }
    }
    if (groups.length > 0) {
      this.tagged(groups);
      this.unresolved(
        `EC2 instances tagged ${groups.map((g) => g.map(describeFilter).join(' or ')).join(', and ')}: instances launched outside the templates may carry these tags`,
      );
    }

    const onPremises = this.filters(this.prop(s, group, 'OnPremisesInstanceTagFilters'));
    const onPremisesSet = this.prop(s, group, 'OnPremisesTagSet');
    const onPremisesGroups = isObject(onPremisesSet)
      ? this.list(onPremisesSet['OnPremisesTagSetList']).filter(
          (g) => isObject(g) && this.filters(g['OnPremisesTagGroup']).length > 0,
        )
      : [];
    if (onPremises.length > 0 || onPremisesGroups.length > 0) {
      this.unresolved(
        'on-premises instances: they authenticate as an IAM user or session the templates do not name',
      );
    }

    const style = this.prop(s, group, 'DeploymentStyle');
    const blueGreen = this.prop(s, group, 'BlueGreenDeploymentConfiguration');
    const provision =
      isObject(blueGreen) && isObject(blueGreen['GreenFleetProvisionOption'])
        ? blueGreen['GreenFleetProvisionOption']['Action']
        : undefined;
    if (
      isObject(style) &&
      style['DeploymentType'] === 'BLUE_GREEN' &&
      provision === 'DISCOVER_EXISTING'
    ) {
      this.unresolved(
        'the replacement instances of a blue/green deployment that discovers existing instances',
      );
    }
    return this.found.freeze();
  }

  // -------------------------------------------------------------------------------------------
  // targets

  /** The instances of an Auto Scaling group run as the profile its launch settings name. */
  private asg({ s, r }: Placed): void {
    const label = `Auto Scaling group \`${this.nameOf({ s, r })}\``;
    let settings = 0;
    const lc = this.prop(s, r, 'LaunchConfigurationName');
    if (lc !== undefined) {
      settings++;
      if (typeof lc !== 'string') {
        this.unresolved(
          `the launch configuration of ${label} (${this.why(lc, joinPointer(r.propertiesPointer, 'LaunchConfigurationName'))})`,
        );
      } else {
        const config = this.byName('AWS::AutoScaling::LaunchConfiguration', lc, s);
        if (!config) {
          this.unresolved(`launch configuration \`${lc}\` is not defined in the templates`);
        } else {
          const profile = this.prop(config.s, config.r, 'IamInstanceProfile');
          this.profile(config.s, profile, `launch configuration \`${lc}\``);
        }
      }
    }
    const specs: { raw: unknown; pointer: string }[] = [];
    const P = (...t: (string | number)[]): string => joinPointer(r.propertiesPointer, ...t);
    if (r.properties['LaunchTemplate'] !== undefined) {
      specs.push({ raw: r.properties['LaunchTemplate'], pointer: P('LaunchTemplate') });
    }
    const mixed = r.properties['MixedInstancesPolicy'];
    if (mixed !== undefined) {
      const lt = isObject(mixed) ? mixed['LaunchTemplate'] : undefined;
      if (isObject(lt)) {
        const base = P('MixedInstancesPolicy', 'LaunchTemplate');
        if (lt['LaunchTemplateSpecification'] !== undefined) {
          specs.push({
            raw: lt['LaunchTemplateSpecification'],
            pointer: joinPointer(base, 'LaunchTemplateSpecification'),
          });
        }
        const overrides = lt['Overrides'];
        if (Array.isArray(overrides)) {
          overrides.forEach((o, i) => {
            if (isObject(o) && o['LaunchTemplateSpecification'] !== undefined) {
              specs.push({
                raw: o['LaunchTemplateSpecification'],
                pointer: joinPointer(base, 'Overrides', i, 'LaunchTemplateSpecification'),
              });
            }
          });
        } else if (overrides !== undefined) {
          this.unresolved(`the launch template overrides of ${label} are not a list`);
        }
      } else {
        this.unresolved(`the mixed instances policy of ${label} names no launch template`);
      }
    }
    for (const spec of specs) {
      settings++;
      this.launchTemplate(s, spec.raw, spec.pointer, label);
    }
    if (r.properties['InstanceId'] !== undefined) {
      settings++;
      this.unresolved(`${label} takes its launch settings from an instance`);
    }
    if (settings === 0) {
      this.unresolved(`${label} names no launch template or launch configuration`);
    }
  }

  /** A launch template specification: the template, at the version the templates define. */
  private launchTemplate(s: TemplateStack, raw: unknown, pointer: string, owner: string): void {
    const spec = isObject(raw) ? raw : s.resolve(raw, pointer);
    if (!isObject(spec)) {
      this.unresolved(`the launch template of ${owner} (${this.why(spec, pointer)})`);
      return;
    }
    // a specification names its template by id or by name (the id wins when both are given)
    const key =
      spec['LaunchTemplateId'] !== undefined
        ? 'LaunchTemplateId'
        : spec['LaunchTemplateName'] !== undefined
          ? 'LaunchTemplateName'
          : undefined;
    if (key === undefined) {
      this.unresolved(
        `the launch template of ${owner} names no \`LaunchTemplateId\` or \`LaunchTemplateName\``,
      );
      return;
    }
    const at = joinPointer(pointer, key);
    const written = this.resolved(s, spec[key], at);
    if (typeof written !== 'string') {
      this.unresolved(`the launch template of ${owner} (${this.why(written, at)})`);
      return;
    }
    const target =
      key === 'LaunchTemplateId'
        ? this.find('AWS::EC2::LaunchTemplate', s, (p) => p.s.launchTemplateId(p.r) === written)
        : // a launch template without a name gets one AWS makes up, which no template writes
          this.find(
            'AWS::EC2::LaunchTemplate',
            s,
            (p) => this.prop(p.s, p.r, 'LaunchTemplateName') === written,
          );
    if (!target) {
      this.unresolved(`launch template \`${written}\` is not defined in the templates`);
      return;
    }
    const label = `launch template \`${this.launchTemplateName(target)}\``;
    const version = spec['Version'];
    const getAtt = getAttOf(version);
    const latest =
      version === '$Latest' ||
      (getAtt !== undefined &&
        getAtt[1] === 'LatestVersionNumber' &&
        getAtt[0] === target.r.logicalId &&
        target.s === s);
    if (!latest) {
      const shown =
        version === undefined
          ? 'its default version'
          : getAtt !== undefined
            ? `\`${getAtt.join('.')}\``
            : typeof version === 'string' || typeof version === 'number'
              ? `version \`${version}\``
              : 'the version given';
      this.unresolved(
        `${owner} launches ${label} at ${shown}, which may be older than the templates define (use \`Fn::GetAtt ${target.r.logicalId}.LatestVersionNumber\`)`,
      );
      return;
    }
    const data = this.prop(target.s, target.r, 'LaunchTemplateData');
    if (isUnresolved(data)) {
      this.unresolved(`the instance profile of ${label} (${this.why(data, '')})`);
      return;
    }
    const profile = isObject(data) ? data['IamInstanceProfile'] : undefined;
    if (profile === undefined) {
      this.noProfile(label);
      return;
    }
    if (!isObject(profile)) {
      this.unresolved(`the instance profile of ${label} is not \`{Arn}\` or \`{Name}\``);
      return;
    }
    this.profile(target.s, profile['Arn'] ?? profile['Name'], label);
  }

  /** An instance profile by name or ARN (`ref`, resolved): the roles it holds. */
  private profile(s: TemplateStack, ref: unknown, owner: string): void {
    if (ref === undefined) {
      this.noProfile(owner);
      return;
    }
    if (typeof ref !== 'string') {
      this.unresolved(`the instance profile of ${owner} (${this.why(ref, '')})`);
      return;
    }
    const isArn = ref.startsWith('arn:');
    const profile = this.find(
      'AWS::IAM::InstanceProfile',
      s,
      (p) =>
        isArn
          ? p.s.iamArn(p.r, 'instance-profile', p.r.pointer) === ref
          : p.s.physicalName(p.r, p.r.pointer).value === ref,
      false,
    );
    if (!profile) {
      this.unresolved(`instance profile \`${ref}\` of ${owner} is not defined in the templates`);
      return;
    }
    const label = `instance profile \`${this.nameOf(profile)}\``;
    const roles = this.list(this.prop(profile.s, profile.r, 'Roles'));
    if (roles.length === 0) {
      this.noProfile(`${owner} (${label} holds no role)`);
      return;
    }
    for (const role of roles) {
      if (typeof role !== 'string') {
        this.unresolved(`the role of ${label} (${this.why(role, profile.r.pointer)})`);
        continue;
      }
      const arn = role.startsWith('arn:') ? role : this.scope.roleArn(profile.s.account, role);
      if (arn) this.found.roles.add(arn);
      else
        this.unresolved(
          `role \`${role}\` of ${label} is not defined in ${this.scope.where ?? 'the templates'}`,
        );
    }
  }

  /** Instances with no role: the agent has no credentials to download with. */
  private noProfile(owner: string): void {
    this.unresolved(
      `the instances of ${owner} have no instance profile, so the CodeDeploy agent has no role to download the revision with`,
    );
  }

  /** The template instances and Auto Scaling groups whose tags match every group of filters. */
  private tagged(groups: readonly (readonly TagFilter[])[]): void {
    const matches = (tags: ReadonlyMap<string, string>): boolean =>
      groups.every((g) => g.some((f) => matchesFilter(f, tags)));
    for (const p of this.all('AWS::EC2::Instance')) {
      if (!matches(this.tags(p, false))) continue;
      const label = `instance \`${p.r.logicalId}\``;
      const profile = this.prop(p.s, p.r, 'IamInstanceProfile');
      if (profile !== undefined) this.profile(p.s, profile, label);
      else if (p.r.properties['LaunchTemplate'] !== undefined) {
        this.launchTemplate(
          p.s,
          p.r.properties['LaunchTemplate'],
          joinPointer(p.r.propertiesPointer, 'LaunchTemplate'),
          label,
        );
      } else this.noProfile(label);
    }
    for (const p of this.all('AWS::AutoScaling::AutoScalingGroup')) {
      const tags = this.tags(p, true);
      const name = p.s.physicalName(p.r, p.r.pointer).value;
      if (typeof name === 'string') tags.set('aws:autoscaling:groupName', name);
      if (matches(tags)) this.asg(p);
    }
  }

  /** An instance's tags, or those an Auto Scaling group gives its instances. */
  private tags(p: Placed, propagated: boolean): Map<string, string> {
    const out = new Map<string, string>();
    for (const t of this.list(this.prop(p.s, p.r, 'Tags'))) {
      if (!isObject(t) || typeof t['Key'] !== 'string' || typeof t['Value'] !== 'string') continue;
      const propagate = t['PropagateAtLaunch'];
      if (propagated && propagate !== true && propagate !== 'true') continue;
      out.set(t['Key'], t['Value']);
    }
    return out;
  }

  private filters(value: unknown): TagFilter[] {
    const out: TagFilter[] = [];
    for (const f of this.list(value)) {
      if (!isObject(f)) continue;
      const key = typeof f['Key'] === 'string' && f['Key'] !== '' ? f['Key'] : undefined;
      const v = typeof f['Value'] === 'string' && f['Value'] !== '' ? f['Value'] : undefined;
      const type =
        typeof f['Type'] === 'string'
          ? f['Type']
          : key !== undefined && v !== undefined
            ? 'KEY_AND_VALUE'
            : key !== undefined
              ? 'KEY_ONLY'
              : 'VALUE_ONLY';
      out.push({ key, value: v, type });
    }
    return out;
  }

  // -------------------------------------------------------------------------------------------
  // lookups

  /** Live resources of `type` in the group's account and region, in load order. */
  private *all(type: string, s: TemplateStack = this.s, regional = true): Generator<Placed> {
    for (const other of this.scope.stacks) {
      if (other.account !== s.account || (regional && other.region !== s.region)) continue;
      for (const r of other.resources.values()) {
        if (r.type === type && r.exists === true) yield { s: other, r };
      }
    }
  }

  private find(
    type: string,
    s: TemplateStack,
    test: (p: Placed) => boolean,
    regional = true,
  ): Placed | undefined {
    for (const p of this.all(type, s, regional)) if (test(p)) return p;
    return undefined;
  }

  private byName(type: string, name: string, s: TemplateStack = this.s): Placed | undefined {
    return this.find(type, s, (p) => p.s.physicalName(p.r, p.r.pointer).value === name);
  }

  private nameOf(p: Placed): string {
    const n = p.s.physicalName(p.r, p.r.pointer).value;
    return typeof n === 'string' ? n : p.r.logicalId;
  }

  private launchTemplateName(p: Placed): string {
    const n = this.prop(p.s, p.r, 'LaunchTemplateName');
    return typeof n === 'string' ? n : p.r.logicalId;
  }

  /** A resolved property; `Ref: AWS::NoValue` is absent. */
  private prop(s: TemplateStack, r: ResourceEntry, key: string): unknown {
    const raw = r.properties[key];
    return raw === undefined
      ? undefined
      : this.resolved(s, raw, joinPointer(r.propertiesPointer, key));
  }

  private resolved(s: TemplateStack, raw: unknown, pointer: string): unknown {
    if (raw === undefined) return undefined;
    const v = s.resolve(raw, pointer);
    return v === NO_VALUE ? undefined : v;
  }

  private list(value: unknown): unknown[] {
    if (value === undefined) return [];
    return Array.isArray(value) ? value : [value];
  }

  private why(value: unknown, pointer: string): string {
    if (isUnresolved(value)) return value.reason;
    return `not a string${pointer ? ` at \`${pointer}\`` : ''}`;
  }

  private unresolved(what: string): void {
    this.found.unresolved.add(what);
  }
}

function matchesFilter(f: TagFilter, tags: ReadonlyMap<string, string>): boolean {
  switch (f.type) {
    case 'KEY_ONLY':
      return f.key !== undefined && tags.has(f.key);
    case 'VALUE_ONLY':
      return f.value !== undefined && [...tags.values()].includes(f.value);
    case 'KEY_AND_VALUE':
      return f.key !== undefined && f.value !== undefined && tags.get(f.key) === f.value;
    default:
      return false;
  }
}

function describeFilter(f: TagFilter): string {
  switch (f.type) {
    case 'KEY_ONLY':
      return `with key \`${f.key ?? ''}\``;
    case 'VALUE_ONLY':
      return `with value \`${f.value ?? ''}\``;
    default:
      return `\`${f.key ?? ''}=${f.value ?? ''}\``;
  }
}

/** The first value the templates could not resolve inside `v`, if any. */
function firstUnresolved(v: unknown): { readonly reason: string } | undefined {
  if (isUnresolved(v)) return v;
  if (Array.isArray(v)) {
    for (const x of v) {
      const u = firstUnresolved(x);
      if (u) return u;
    }
  } else if (isObject(v)) {
    for (const x of Object.values(v)) {
      const u = firstUnresolved(x);
      if (u) return u;
    }
  }
  return undefined;
}

/** `[resource, attribute]` of a raw `Fn::GetAtt`, else undefined. */
function getAttOf(raw: unknown): [string, string] | undefined {
  if (!isObject(raw) || Object.keys(raw).length !== 1) return undefined;
  const v = raw['Fn::GetAtt'];
  if (Array.isArray(v) && typeof v[0] === 'string' && typeof v[1] === 'string') return [v[0], v[1]];
  if (typeof v === 'string' && v.includes('.')) {
    const dot = v.indexOf('.');
    return [v.slice(0, dot), v.slice(dot + 1)];
  }
  return undefined;
}
