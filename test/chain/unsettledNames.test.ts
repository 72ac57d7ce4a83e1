/**
 * A name inside a link's resource that the input does not settle (the task definition family of
 * an ECS deploy with no template) is tried like an id no input gives: the link is evaluated with
 * made-up families and with each family its policies name by a pattern, and is decided only when
 * every one gives the same answer. Otherwise it stays Unknown, saying the family is not known.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadInput } from '../../src/cli/loadInput.js';
import { noManagedPolicies } from '../../src/load/managedPolicies.js';
import { loadStacksFile } from '../../src/load/stacks.js';
import type { ReportLink } from '../../src/report/types.js';
import { inScenarioCopy } from './scenarioCopy.js';

const SCENARIO = 'fixtures/scenarios/all-providers';
const A = '111111111111';
const FAMILY = `arn:aws:ecs:us-east-1:${A}:task-definition/<the task definition family, not known>:*`;

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string>>;
}

/** The links of `platform-containers`, with the pipeline role's statements changed by `edit`. */
function links(edit: (statements: Statement[]) => Statement[]): readonly ReportLink[] {
  return inScenarioCopy(SCENARIO, (dir) => {
    const file = join(dir, A, 'iam.json');
    const text = readFileSync(file, 'utf8');
    const iam = JSON.parse(text) as unknown;
    let edited = 0;
    // every policy document of iam.json (a role's inline policies, managed policy versions)
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) return node.forEach(walk);
      if (typeof node !== 'object' || node === null) return;
      const o = node as Record<string, unknown>;
      for (const [k, v] of Object.entries(o)) {
        const doc = (
          k.endsWith('Document') && typeof v === 'string' ? JSON.parse(decodeURIComponent(v)) : v
        ) as { Statement?: Statement[] } | undefined;
        if (
          Array.isArray(doc?.Statement) &&
          doc.Statement.some((x) => x.Sid === 'EcsTaskDefinitions')
        ) {
          doc.Statement = edit(doc.Statement);
          o[k] = doc;
          edited++;
        } else walk(v);
      }
    };
    walk(iam);
    expect(edited).toBeGreaterThan(0);
    writeFileSync(file, JSON.stringify(iam));
    const { model, problems } = loadInput(process.cwd(), { input: dir });
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
    return analyzeModel(model).pipelines.find((p) => p.name === 'platform-containers')!.links;
  });
}

const register = (ls: readonly ReportLink[]): ReportLink[] =>
  ls.filter((l) => l.permission === 'ecs:RegisterTaskDefinition');

/** The statement EcsTaskDefinitions with `change` applied. */
const withTaskDefinitions =
  (change: (s: Statement) => Statement[]) =>
  (statements: Statement[]): Statement[] =>
    statements.flatMap((s) => (s.Sid === 'EcsTaskDefinitions' ? change(s) : [s]));

describe('a task definition family the input does not settle', () => {
  it('is allowed when the role allows ecs:RegisterTaskDefinition on `*` (any family)', () => {
    const found = register(links((s) => s));
    expect(found.map((l) => [l.action, l.resource, l.decision]).sort()).toEqual([
      ['BlueGreen', FAMILY, 'Allowed'],
      ['Rolling', FAMILY, 'Allowed'],
    ]);
    expect(found[0]!.allowedBy?.map((r) => r.policyType)).toContain('identity');
  });

  it('stays Unknown, saying the family is not known, when the role allows only `task-definition/platform-api-task*`', () => {
    const found = register(
      links(
        withTaskDefinitions((s) => [
          { ...s, Resource: `arn:aws:ecs:us-east-1:${A}:task-definition/platform-api-task*` },
        ]),
      ),
    );
    expect(found).toHaveLength(2);
    for (const l of found) {
      expect(l.decision).toBe('Unknown');
      expect(l.why).toMatch(/the task definition family is not known; `.*` would settle it$/);
      expect(l.missing).toHaveLength(1);
    }
  });

  it('stays Unknown when the role allows only families of ten characters or more (a short family is tried too)', () => {
    const found = register(
      links(
        withTaskDefinitions((s) => [
          { ...s, Resource: `arn:aws:ecs:us-east-1:${A}:task-definition/*??????????:*` },
        ]),
      ),
    );
    expect(found.map((l) => l.decision)).toEqual(['Unknown', 'Unknown']);
  });

  it('stays Unknown when `*` is allowed but some families are denied explicitly', () => {
    const found = register(
      links(
        withTaskDefinitions((s) => [
          s,
          {
            Sid: 'NoPlatformFamilies',
            Effect: 'Deny',
            Action: 'ecs:RegisterTaskDefinition',
            Resource: `arn:aws:ecs:us-east-1:${A}:task-definition/platform-*`,
          },
        ]),
      ),
    );
    expect(found.map((l) => l.decision)).toEqual(['Unknown', 'Unknown']);
  });

  it('is denied by the identity policies when the role allows ecs:RegisterTaskDefinition on no family', () => {
    const found = register(
      links(withTaskDefinitions((s) => [{ ...s, Action: 'ecs:DescribeTaskDefinition' }])),
    );
    expect(found).toHaveLength(2);
    for (const l of found) {
      expect(l.decision).toBe('ImplicitlyDenied');
      expect(l.resource).toBe(FAMILY);
      expect(l.deniedBy.map((r) => r.policyType)).toEqual(['identity']);
      expect(l.why).not.toMatch(/\$\{|0000000000000|ZZZZZZZZZZ/);
      expect(l.fix ?? '').not.toMatch(/\$\{|0000000000000/);
    }
  });

  it('leaves the PassRole of the unknown task definition roles Unknown (the roles, not a name, are unsettled)', () => {
    const passRole = links((s) => s).filter(
      (l) => l.permission === 'iam:PassRole' && l.resource.includes('task definition'),
    );
    expect(passRole.length).toBeGreaterThan(0);
    for (const l of passRole) expect(l.decision).toBe('Unknown');
  });
});

/**
 * ecs:TagResource on the task definition the deploy registers carries `ecs:CreateAction` =
 * `RegisterTaskDefinition` (its catalog entry's context): settled, so the made-up families are
 * tried with it, as for ecs:RegisterTaskDefinition. AWS checks ecs:TagResource on a
 * RegisterTaskDefinition that carries tags, with `ecs:CreateAction` naming the creating action
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/supported-iam-actions-tagging.html).
 */
describe('ecs:TagResource on a task definition family the input does not settle', () => {
  const tag = (ls: readonly ReportLink[]): ReportLink[] =>
    ls.filter((l) => l.permission === 'ecs:TagResource');
  /** The links with the statement `extra` added beside EcsTaskDefinitions. */
  const withTagging = (extra: Omit<Statement, 'Effect' | 'Action'>): ReportLink[] =>
    tag(
      links(
        withTaskDefinitions((s) => [
          s,
          { Sid: 'Tagging', Effect: 'Allow', Action: 'ecs:TagResource', ...extra },
        ]),
      ),
    );

  it('is allowed when the role allows ecs:TagResource on `*` (any family)', () => {
    const found = withTagging({ Resource: '*' });
    expect(found.map((l) => [l.action, l.resource, l.decision, l.level]).sort()).toEqual([
      ['BlueGreen', FAMILY, 'Allowed', 'recommended'],
      ['Rolling', FAMILY, 'Allowed', 'recommended'],
    ]);
    expect(found[0]!.allowedBy?.map((r) => r.policyType)).toContain('identity');
  });

  it('is allowed when the role allows it only with `ecs:CreateAction` = `RegisterTaskDefinition`', () => {
    const found = withTagging({
      Resource: '*',
      Condition: { StringEquals: { 'ecs:CreateAction': 'RegisterTaskDefinition' } },
    });
    expect(found.map((l) => l.decision)).toEqual(['Allowed', 'Allowed']);
  });

  it('is denied when the role allows it only with `ecs:CreateAction` = `CreateService`', () => {
    const found = withTagging({
      Resource: '*',
      Condition: { StringEquals: { 'ecs:CreateAction': 'CreateService' } },
    });
    expect(found).toHaveLength(2);
    for (const l of found) {
      expect(l.decision).toBe('ImplicitlyDenied');
      expect(l.level).toBe('recommended');
      expect(l.resource).toBe(FAMILY);
      expect(l.deniedBy.map((r) => r.policyType)).toEqual(['identity']);
      expect(l.why).not.toMatch(/\$\{|0000000000000|ZZZZZZZZZZ/);
    }
  });

  it('stays Unknown when the role allows it only on `task-definition/platform-api-task*`', () => {
    const found = withTagging({
      Resource: `arn:aws:ecs:us-east-1:${A}:task-definition/platform-api-task*`,
    });
    expect(found).toHaveLength(2);
    for (const l of found) {
      expect(l.decision).toBe('Unknown');
      expect(l.why).toMatch(/the task definition family is not known; `.*` would settle it$/);
    }
  });

  // the call carries the task definition's tags, which no input gives: a policy that tests
  // them leaves the link Unknown, naming the key, however the family trials come out
  it('stays Unknown when a Deny tests `aws:TagKeys`', () => {
    const found = tag(
      links(
        withTaskDefinitions((s) => [
          s,
          { Sid: 'Tagging', Effect: 'Allow', Action: 'ecs:TagResource', Resource: '*' },
          {
            Sid: 'OnlyTeam',
            Effect: 'Deny',
            Action: 'ecs:TagResource',
            Resource: '*',
            Condition: { 'ForAnyValue:StringNotEquals': { 'aws:TagKeys': 'team' } },
          },
        ]),
      ),
    );
    expect(found.map((l) => l.decision)).toEqual(['Unknown', 'Unknown']);
    for (const l of found) expect(l.why).toMatch(/the task definition family is not known/);
  });

  it('stays Unknown when the Allow needs `aws:RequestTag/team`', () => {
    const found = withTagging({
      Resource: '*',
      Condition: { StringEquals: { 'aws:RequestTag/team': 'platform' } },
    });
    expect(found.map((l) => l.decision)).toEqual(['Unknown', 'Unknown']);
    for (const l of found) expect(l.why).toMatch(/the task definition family is not known/);
  });

  it('is denied when the role allows ecs:TagResource on no family', () => {
    expect(tag(links((s) => s)).map((l) => l.decision)).toEqual([
      'ImplicitlyDenied',
      'ImplicitlyDenied',
    ]);
  });
});

/** The rolling ECS deploy's iam:PassRole link, whose task definition no input gives. */
const passRole = (ls: readonly ReportLink[]): ReportLink =>
  ls.find((l) => l.id === 'Deploy/Rolling:ecs.pass-role:iam:PassRole')!;

/** The statement PassEcsTaskRoles with `change` applied. */
const withPassEcsTaskRoles =
  (change: (s: Statement) => Statement[]) =>
  (statements: Statement[]): Statement[] =>
    statements.flatMap((s) => (s.Sid === 'PassEcsTaskRoles' ? change(s) : [s]));

// The roles of a task definition no input gives are roles of the caller's account (a role is
// passed only in its own account), whose names are tried like a family's: only an allow of every
// name decides the link, since a task definition may have no role and then nothing is passed
describe('task definition roles the input does not give (iam:PassRole)', () => {
  it('stay Unknown when the role passes only `role/platform-api-task*` (as the scenario has it)', () => {
    const l = passRole(links((s) => s));
    expect(l.decision).toBe('Unknown');
    expect(l.why).toMatch(/the roles of the task definition are not known/);
  });

  it('are allowed when the role may pass every role to ECS tasks (was Unknown)', () => {
    const all = links(withPassEcsTaskRoles((s) => [{ ...s, Resource: '*' }]));
    const l = passRole(all);
    expect(l.decision).toBe('Allowed');
    // not the blue/green deploy's: its taskdef.json may name a role of any account
    const blueGreen = all.find(
      (x) => x.id === 'Deploy/BlueGreen:ecs-blue-green.pass-role:iam:PassRole',
    )!;
    expect(blueGreen.decision).toBe('Unknown');
    expect(l.allowedBy?.map((r) => r.statement)).toContain('PassEcsTaskRoles');
    expect(l.resource).toBe("the task definition's task and execution roles (not known)");
  });

  it('are allowed when the role may pass every role of its account', () => {
    const l = passRole(
      links(withPassEcsTaskRoles((s) => [{ ...s, Resource: `arn:aws:iam::${A}:role/*` }])),
    );
    expect(l.decision).toBe('Allowed');
  });

  it('stay Unknown, not denied, when no statement passes them (the task definition may have none)', () => {
    expect(passRole(links(withPassEcsTaskRoles(() => []))).decision).toBe('Unknown');
    // nor to ECS tasks
    const lambda = passRole(
      links(
        withPassEcsTaskRoles((s) => [
          {
            ...s,
            Resource: '*',
            Condition: { StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' } },
          },
        ]),
      ),
    );
    expect(lambda.decision).toBe('Unknown');
  });

  it('stay Unknown when every role is allowed but some are denied explicitly', () => {
    const l = passRole(
      links(
        withPassEcsTaskRoles((s) => [
          { ...s, Resource: '*' },
          {
            Sid: 'NoAdminRoles',
            Effect: 'Deny',
            Action: 'iam:PassRole',
            Resource: `arn:aws:iam::${A}:role/admin*`,
          },
        ]),
      ),
    );
    expect(l.decision).toBe('Unknown');
  });
});

const CORPUS = '../shared/corpus';
describe('corpus: ecs-refarch-continuous-deployment', () => {
  it('allows ecs:RegisterTaskDefinition, which its pipeline role allows on `*`, whatever the family', (ctx) => {
    // the corpus is loaded in the test, not while collecting: it skips cleanly without ../shared
    if (!existsSync(`${CORPUS}/SOURCES.md`)) ctx.skip();
    const { model } = loadStacksFile(
      'fixtures/stacks/ecs-refarch-continuous-deployment/stacks.yaml',
      { managedPolicies: noManagedPolicies },
    );
    const found = analyzeModel(model)
      .pipelines.flatMap((p) => p.links)
      .filter((l) => l.permission === 'ecs:RegisterTaskDefinition');
    expect(found.map((l) => [l.resource, l.decision])).toEqual([[FAMILY, 'Allowed']]);
  });

  it('allows iam:PassRole of the task definition roles no input gives: its pipeline role may pass any role (was Unknown; the pipeline passes)', (ctx) => {
    if (!existsSync(`${CORPUS}/SOURCES.md`)) ctx.skip();
    const { model } = loadStacksFile(
      'fixtures/stacks/ecs-refarch-continuous-deployment/stacks.yaml',
      { managedPolicies: noManagedPolicies },
    );
    const p = analyzeModel(model).pipelines[0]!;
    const pass = p.links.filter((l) => l.requirement === 'ecs.pass-role');
    expect(pass.map((l) => l.decision)).toEqual(['Allowed']);
    expect(p.verdict).toBe('pass');
  });
});
