/**
 * CodePipeline variables (`#{variables.X}`, `#{codepipeline.PipelineExecutionId}`,
 * `#{<namespace>.<name>}`) are only known at run time
 * (https://docs.aws.amazon.com/codepipeline/latest/userguide/reference-variables.html): a
 * configuration value holding one is not settled. A link built on it is Unknown and names the
 * value's file#pointer and the variable, whichever way the literal text would have gone (a Deny
 * that would apply is not missed, an allow that would match is not taken as a denial), unless
 * every value gives one answer (a grant of every stack, no grant at all: resolveLink
 * byUnsettledValues); lookups by it are Unknown, never "does not exist"; links that do not use it
 * stay as they are. Edits of the pass-cross-account and pass-with-lambda-invoke scenarios.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadInput } from '../../src/cli/loadInput.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import type { ReportLink } from '../../src/report/types.js';
import { boundaryPolicyEntry } from './scenarioCopy.js';

const T = '111111111111';
const P = '222222222222';
const PIPELINE_FILE = `${T}/us-east-1/codepipeline/orders-api.json`;
const CFN_ROLE = `arn:aws:iam::${P}:role/orders-api-cfn-exec`;
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface Edit {
  /** configuration values of `stage/action` to set */
  readonly config?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** edit the deploy action role's statements (by Sid) */
  readonly deployPolicy?: (statements: Json[]) => void;
  /** edit the deploy action role itself (its tags) */
  readonly deployRole?: (role: Json) => void;
  /** edit the target account's iam.json (its managed policies) */
  readonly targetIam?: (iam: Json) => void;
  /** edit the copied snapshot folder itself (its organization files) */
  readonly files?: (dir: string) => void;
}

function analyzeEdited(base: string, edit: Edit): readonly ReportLink[] {
  const dir = mkdtempSync(join(tmpdir(), 'permchain-vars-'));
  cpSync(`fixtures/scenarios/${base}`, dir, { recursive: true });
  const pf = join(dir, PIPELINE_FILE);
  const pipeline = JSON.parse(readFileSync(pf, 'utf8')) as Json;
  for (const [where, values] of Object.entries(edit.config ?? {})) {
    const [stage, action] = where.split('/');
    const s = (pipeline['pipeline']['stages'] as Json[]).find((x) => x['name'] === stage)!;
    const a = (s['actions'] as Json[]).find((x) => x['name'] === action)!;
    Object.assign(a['configuration'], values);
  }
  writeFileSync(pf, JSON.stringify(pipeline, null, 2));
  if (edit.deployPolicy || edit.deployRole || edit.targetIam) {
    const iamFile = join(dir, `${P}/iam.json`);
    const iam = JSON.parse(readFileSync(iamFile, 'utf8')) as Json;
    const role = (iam['RoleDetailList'] as Json[]).find(
      (r) => r['RoleName'] === 'orders-api-deploy-action',
    )!;
    edit.deployPolicy?.(role['RolePolicyList'][0]['PolicyDocument']['Statement'] as Json[]);
    edit.deployRole?.(role);
    edit.targetIam?.(iam);
    writeFileSync(iamFile, JSON.stringify(iam, null, 2));
  }
  edit.files?.(dir);
  return analyzeModel(loadSnapshot(dir)).pipelines[0]!.links;
}

const CREATE =
  'DeployProd/DeployStack:cloudformation.create-update-stack:cloudformation:CreateStack';
const byId = (links: readonly ReportLink[], id: string): ReportLink => {
  const l = links.find((x) => x.id === id);
  if (!l) throw new Error(`no link ${id}: ${links.map((x) => x.id).join('\n')}`);
  return l;
};
const STACK_PLACE = `${PIPELINE_FILE}#/pipeline/stages/2/actions/0/configuration/StackName`;

/** Allow cloudformation on every stack, deny it on `core-*` stacks. */
function denyCore(statements: Json[]): void {
  const stack = statements.find((s) => s['Sid'] === 'Stack')!;
  stack['Resource'] = `arn:aws:cloudformation:us-east-1:${P}:stack/*`;
  statements.push({
    Sid: 'NoCoreStacks',
    Effect: 'Deny',
    Action: 'cloudformation:*',
    Resource: `arn:aws:cloudformation:us-east-1:${P}:stack/core-*`,
  });
}

describe('a variable in the StackName of a snapshot action', () => {
  it('a Deny that would apply to the run-time value: Unknown naming the value, not Allowed', () => {
    // the control: with the name written out, the Deny on core-* decides
    const literal = analyzeEdited('pass-cross-account', {
      config: { 'DeployProd/DeployStack': { StackName: 'core-db' } },
      deployPolicy: denyCore,
    });
    expect(byId(literal, CREATE).decision).toBe('ExplicitlyDenied');
    const links = analyzeEdited('pass-cross-account', {
      config: { 'DeployProd/DeployStack': { StackName: '#{variables.StackName}' } },
      deployPolicy: denyCore,
    });
    const create = byId(links, CREATE);
    expect(create.decision).toBe('Unknown');
    expect(create.missing).toEqual([
      `${STACK_PLACE} (holds the CodePipeline variable \`#{variables.StackName}\`, whose value is only known at run time)`,
    ]);
    expect(create.resource).not.toContain('#{');
  });

  it('an allow that would match the run-time value: Unknown, not denied', () => {
    const literal = analyzeEdited('pass-cross-account', {
      config: { 'DeployProd/DeployStack': { StackName: 'orders-api' } },
    });
    expect(byId(literal, CREATE).decision).toBe('Allowed');
    const links = analyzeEdited('pass-cross-account', {
      config: { 'DeployProd/DeployStack': { StackName: '#{codepipeline.PipelineExecutionId}' } },
    });
    const create = byId(links, CREATE);
    expect(create.decision).toBe('Unknown');
    expect(create.missing?.[0]).toContain('`#{codepipeline.PipelineExecutionId}`');
    expect(create.missing?.[0]).toContain(STACK_PLACE);
  });

  it('an allow of every stack, with no deny: Allowed whatever the value, the link as written', () => {
    const links = analyzeEdited('pass-cross-account', {
      config: { 'DeployProd/DeployStack': { StackName: '#{variables.StackName}' } },
      deployPolicy: (statements) => {
        statements.find((x) => x['Sid'] === 'Stack')!['Resource'] =
          `arn:aws:cloudformation:us-east-1:${P}:stack/*`;
      },
    });
    const onStack = links.filter(
      (l) => l.stage === 'DeployProd' && /:stack\/unresolved-[0-9a-f]{10}\/\*$/.test(l.resource),
    );
    expect(onStack.map((l) => l.permission).sort()).toEqual([
      'cloudformation:CreateStack',
      'cloudformation:DescribeStackEvents',
      'cloudformation:DescribeStackResources',
      'cloudformation:DescribeStacks',
      'cloudformation:GetTemplate',
      'cloudformation:UpdateStack',
    ]);
    for (const l of onStack) {
      expect(l.decision, l.id).toBe('Allowed');
      expect(l.allowedBy, l.id).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ policyType: 'identity', statement: 'Stack' }),
        ]),
      );
    }
  });

  it('a grant of the stacks of one prefix: Unknown, since the value may or may not have it', () => {
    const links = analyzeEdited('pass-cross-account', {
      config: { 'DeployProd/DeployStack': { StackName: '#{variables.StackName}' } },
      deployPolicy: (statements) => {
        statements.find((x) => x['Sid'] === 'Stack')!['Resource'] =
          `arn:aws:cloudformation:us-east-1:${P}:stack/orders-*`;
      },
    });
    const create = byId(links, CREATE);
    expect(create.decision).toBe('Unknown');
    expect(create.missing?.[0]).toContain(STACK_PLACE);
  });

  it('a grant of the stacks named after a tag of the role: Unknown (the value may carry it), never denied', () => {
    const links = analyzeEdited('pass-cross-account', {
      config: { 'DeployProd/DeployStack': { StackName: '#{variables.StackName}' } },
      deployPolicy: (statements) => {
        statements.find((x) => x['Sid'] === 'Stack')!['Resource'] =
          `arn:aws:cloudformation:us-east-1:${P}:stack/\${aws:PrincipalTag/team}-*`;
      },
      deployRole: (role) => {
        role['Tags'] = [{ Key: 'team', Value: 'orders' }];
      },
    });
    expect(byId(links, CREATE).decision).toBe('Unknown');
    // a Deny of the stacks named after the tag: the value may carry it (namesByVariable)
    const denied = analyzeEdited('pass-cross-account', {
      config: { 'DeployProd/DeployStack': { StackName: '#{variables.StackName}' } },
      deployPolicy: stackGrant('stack/*', 'stack/${aws:PrincipalTag/team}-*'),
      deployRole: (role) => {
        role['Tags'] = [{ Key: 'team', Value: 'web' }];
      },
    });
    expect(byId(denied, CREATE).decision).toBe('Unknown');
    // the control: a value that carries the tag is allowed
    const literal = analyzeEdited('pass-cross-account', {
      config: { 'DeployProd/DeployStack': { StackName: 'orders-api' } },
      deployPolicy: (statements) => {
        statements.find((x) => x['Sid'] === 'Stack')!['Resource'] =
          `arn:aws:cloudformation:us-east-1:${P}:stack/\${aws:PrincipalTag/team}-*`;
      },
      deployRole: (role) => {
        role['Tags'] = [{ Key: 'team', Value: 'orders' }];
      },
    });
    expect(byId(literal, CREATE).decision).toBe('Allowed');
  });

  it('a Deny of every stack but one prefix (NotResource): Unknown, not denied by the placeholder text', () => {
    const notOrders = (statements: Json[]): void => {
      statements.find((x) => x['Sid'] === 'Stack')!['Resource'] =
        `arn:aws:cloudformation:us-east-1:${P}:stack/*`;
      statements.push({
        Sid: 'OnlyOrdersStacks',
        Effect: 'Deny',
        Action: 'cloudformation:*',
        NotResource: `arn:aws:cloudformation:us-east-1:${P}:stack/orders-*`,
      });
    };
    // the control: a name of the prefix is allowed, another denied
    for (const [name, decision] of [
      ['orders-api', 'Allowed'],
      ['billing', 'ExplicitlyDenied'],
    ] as const) {
      const literal = analyzeEdited('pass-cross-account', {
        config: { 'DeployProd/DeployStack': { StackName: name } },
        deployPolicy: notOrders,
      });
      expect(byId(literal, CREATE).decision).toBe(decision);
    }
    const create = byId(
      analyzeEdited('pass-cross-account', {
        config: { 'DeployProd/DeployStack': { StackName: '#{variables.StackName}' } },
        deployPolicy: notOrders,
      }),
      CREATE,
    );
    expect(create.decision).toBe('Unknown');
    expect(create.why).toContain('OnlyOrdersStacks');
    expect(create.missing).toEqual([
      `${STACK_PLACE} (holds the CodePipeline variable \`#{variables.StackName}\`, whose value is only known at run time)`,
    ]);
  });

  /** The Stack statement's resource is `resource` (and, with `deny`, a Deny of it on `deny`). */
  const stackGrant =
    (resource: string, deny?: string) =>
    (statements: Json[]): void => {
      statements.find((x) => x['Sid'] === 'Stack')!['Resource'] =
        `arn:aws:cloudformation:us-east-1:${P}:${resource}`;
      if (deny)
        statements.push({
          Sid: 'DenySome',
          Effect: 'Deny',
          Action: 'cloudformation:*',
          Resource: `arn:aws:cloudformation:us-east-1:${P}:${deny}`,
        });
    };
  const withVariable = { 'DeployProd/DeployStack': { StackName: '#{variables.StackName}' } };

  it('a pattern that differs from a made-up value only in case is tried, as resources match with case', () => {
    // a Deny of the `P…` stacks: `Prod-db` is denied, so the value may be
    expect(
      byId(
        analyzeEdited('pass-cross-account', {
          config: { 'DeployProd/DeployStack': { StackName: 'Prod-db' } },
          deployPolicy: stackGrant('stack/*', 'stack/P*'),
        }),
        CREATE,
      ).decision,
    ).toBe('ExplicitlyDenied');
    for (const [grant, deny] of [
      ['stack/*', 'stack/P*'],
      ['stack/*', 'stack/*E*'],
      ['stack/P*', undefined],
    ] as const) {
      const create = byId(
        analyzeEdited('pass-cross-account', {
          config: withVariable,
          deployPolicy: stackGrant(grant, deny),
        }),
        CREATE,
      );
      expect({ grant, deny, decision: create.decision }).toEqual({
        grant,
        deny,
        decision: 'Unknown',
      });
    }
  });

  it('a pattern that asks for a least length: a short value is tried too', () => {
    const create = byId(
      analyzeEdited('pass-cross-account', {
        config: withVariable,
        deployPolicy: stackGrant('stack/*??????????/*'),
      }),
      CREATE,
    );
    expect(create.decision).toBe('Unknown');
  });

  /**
   * The deploy action role's Stack statement on `grant`, under a permissions boundary that
   * allows every call but CloudFormation's, and CloudFormation's on `bounded` (a stack ARN's
   * resource part).
   */
  const underBoundary = (grant: string, bounded: string): Edit => {
    const boundaryArn = `arn:aws:iam::${P}:policy/prod-stacks-boundary`;
    return {
      deployPolicy: stackGrant(grant),
      deployRole: (role) => {
        role['PermissionsBoundary'] = {
          PermissionsBoundaryType: 'Policy',
          PermissionsBoundaryArn: boundaryArn,
        };
      },
      targetIam: (iam) => {
        (iam['Policies'] as Json[]).push(
          boundaryPolicyEntry(boundaryArn, {
            Version: '2012-10-17',
            Statement: [
              { Sid: 'Others', Effect: 'Allow', NotAction: 'cloudformation:*', Resource: '*' },
              {
                Sid: 'Stacks',
                Effect: 'Allow',
                Action: 'cloudformation:*',
                Resource: `arn:aws:cloudformation:us-east-1:${P}:${bounded}`,
              },
            ],
          }),
        );
      },
    };
  };

  it('an identity policy and a boundary that allow different names: Unknown, since one name may meet both', () => {
    const edit = (name: string): Edit => ({
      ...underBoundary('stack/app-*', 'stack/*-prod/*'),
      config: { 'DeployProd/DeployStack': { StackName: name } },
    });
    // the controls: a name that meets both is allowed, one that meets only one is denied
    expect(byId(analyzeEdited('pass-cross-account', edit('app-prod')), CREATE).decision).toBe(
      'Allowed',
    );
    expect(byId(analyzeEdited('pass-cross-account', edit('app-dev')), CREATE).decision).toBe(
      'ImplicitlyDenied',
    );
    expect(
      byId(analyzeEdited('pass-cross-account', edit('#{variables.StackName}')), CREATE).decision,
    ).toBe('Unknown');
  });

  it('a stack id (no input gives it) allowed in part by an identity policy and in part by a boundary: Unknown, not denied', () => {
    const edit = underBoundary;
    // every id tried is denied (one that starts with `a` by the boundary, one that ends with `b`
    // by the identity policy, the made-up ones by both), but an id like `a…b` is allowed by both
    const both = byId(
      analyzeEdited('pass-cross-account', edit('stack/orders-api/a*', 'stack/orders-api/*b')),
      CREATE,
    );
    expect(both.decision).toBe('Unknown');
    expect(both.why).toContain('each allow some');
    expect(both.why).toContain('permissions boundary');
    // the controls: a boundary on another stack denies every id of this one; a boundary on
    // every stack leaves the identity policy's pattern to decide, which some ids meet
    const other = byId(
      analyzeEdited('pass-cross-account', edit('stack/orders-api/a*', 'stack/other/*')),
      CREATE,
    );
    expect(other.decision).toBe('ImplicitlyDenied');
    expect(other.deniedBy.map((d) => d.policyType)).toEqual(['permissionBoundary']);
    // patterns no id meets together (`a…` and `b…`): an id both allow is searched for, and none
    // exists, so the denial holds, naming both (each denies some ids)
    const apart = byId(
      analyzeEdited('pass-cross-account', edit('stack/orders-api/a*', 'stack/orders-api/b*')),
      CREATE,
    );
    expect(apart.decision).toBe('ImplicitlyDenied');
    expect(apart.deniedBy.map((d) => d.policyType).sort()).toEqual([
      'identity',
      'permissionBoundary',
    ]);
    expect(
      byId(analyzeEdited('pass-cross-account', edit('stack/orders-api/a*', 'stack/*')), CREATE)
        .decision,
    ).toBe('Unknown');
    // an Allow that meets every id but whose condition never holds denies every id
    const conditioned = byId(
      analyzeEdited('pass-cross-account', {
        deployPolicy: (statements) => {
          stackGrant('stack/orders-api/*')(statements);
          statements.find((x) => x['Sid'] === 'Stack')!['Condition'] = {
            StringEquals: { 'aws:RequestedRegion': 'eu-west-3' },
          };
        },
      }),
      CREATE,
    );
    expect(conditioned.decision).toBe('ImplicitlyDenied');
  });

  /**
   * The target account's own SCP level: FullAWSAccess replaced by an allow-list that allows every
   * call but CloudFormation's, and CloudFormation's on `allowed` (a stack ARN's resource part).
   */
  const accountScp =
    (...allowed: string[]) =>
    (dir: string): void => {
      const full = join(dir, 'organization/scp/p-FullAWSAccess.json');
      const doc = JSON.parse(readFileSync(full, 'utf8')) as Json;
      doc['Targets'] = (doc['Targets'] as Json[]).filter((t) => t['TargetId'] !== P);
      writeFileSync(full, JSON.stringify(doc, null, 2));
      const content = {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', NotAction: 'cloudformation:*', Resource: '*' },
          {
            Effect: 'Allow',
            Action: 'cloudformation:*',
            Resource: allowed.map((x) => `arn:aws:cloudformation:us-east-1:${P}:${x}`),
          },
        ],
      };
      writeFileSync(
        join(dir, 'organization/scp/p-prodstacks1.json'),
        JSON.stringify({
          Policy: {
            PolicySummary: {
              Id: 'p-prodstacks1',
              Arn: 'arn:aws:organizations::999999999999:policy/o-exmpl7a2b9c/service_control_policy/p-prodstacks1',
              Name: 'ProdStacks',
              Type: 'SERVICE_CONTROL_POLICY',
              AwsManaged: false,
            },
            Content: JSON.stringify(content),
          },
          Targets: [
            {
              TargetId: P,
              Arn: `arn:aws:organizations::999999999999:account/o-exmpl7a2b9c/${P}`,
              Name: P,
              Type: 'ACCOUNT',
            },
          ],
        }),
      );
    };

  it('a stack id allowed in part by an identity policy, a boundary and an SCP: Unknown, since one id may meet all three', () => {
    // every id tried is denied, each by one or two of the three, and a search of two patterns
    // alone (`a…b`) finds an id the third denies; an id like `acb` meets all three
    const three = byId(
      analyzeEdited('pass-cross-account', {
        ...underBoundary('stack/orders-api/a*', 'stack/orders-api/*b'),
        files: accountScp('stack/orders-api/*c*'),
      }),
      CREATE,
    );
    expect(three.decision).toBe('Unknown');
    expect(three.why).toContain('each allow some');
    expect(three.why).toContain('SCP `p-prodstacks1 (ProdStacks)`');
    // the controls: the SCP on another stack denies every id, naming the SCP alone; the SCP on
    // every stack leaves two patterns that some id meets together
    const other = byId(
      analyzeEdited('pass-cross-account', {
        ...underBoundary('stack/orders-api/a*', 'stack/orders-api/*b'),
        files: accountScp('stack/other/*'),
      }),
      CREATE,
    );
    expect(other.decision).toBe('ImplicitlyDenied');
    expect(other.deniedBy.map((d) => d.policyType)).toEqual(['scp']);
    const every = byId(
      analyzeEdited('pass-cross-account', {
        ...underBoundary('stack/orders-api/a*', 'stack/orders-api/*b'),
        files: accountScp('stack/*'),
      }),
      CREATE,
    );
    expect(every.decision).toBe('Unknown');
  });

  it('a third policy that denies only in a trial made after each of the others allowed in one still counts', () => {
    // the trials in order: the made-up ids (`0…`, `f…`: the SCP allows both), then the ids the
    // policies name, sorted: `0…b` (the boundary's), `a0…0` (the identity policy's and the
    // SCP's), `c…` (the SCP's), `e…` (the identity policy's second pattern, which the SCP
    // alone denies, after each of the others has allowed in some trial). Each search of two
    // patterns finds an id the third denies, but `ac…b` is allowed by all three
    const S = 'stack/orders-api/';
    const links = analyzeEdited('pass-cross-account', {
      ...underBoundary(`${S}a*`, `${S}*b`),
      deployPolicy: (statements) => {
        statements.find((x) => x['Sid'] === 'Stack')!['Resource'] = [`${S}a*`, `${S}e*`].map(
          (x) => `arn:aws:cloudformation:us-east-1:${P}:${x}`,
        );
      },
      files: accountScp(`${S}0*`, `${S}f*`, `${S}a0000000-0000-0000-0000-000000000000`, `${S}*c*`),
    });
    const create = byId(links, CREATE);
    expect(create.decision).toBe('Unknown');
    expect(create.why).toContain('SCP `p-prodstacks1 (ProdStacks)`');
  });

  it('a stack name the input does not settle, under an Allow of every stack whose condition never holds: denied whatever the name', () => {
    const create = byId(
      analyzeEdited('pass-cross-account', {
        config: withVariable,
        deployPolicy: (statements) => {
          stackGrant('stack/*')(statements);
          statements.find((x) => x['Sid'] === 'Stack')!['Condition'] = {
            StringEquals: { 'aws:RequestedRegion': 'eu-west-3' },
          };
        },
      }),
      CREATE,
    );
    expect(create.decision).toBe('ImplicitlyDenied');
    expect(create.deniedBy).toEqual([
      expect.objectContaining({ policyType: 'identity', explicit: false }),
    ]);
  });

  it('no grant of the call on any stack: denied whatever the value, by the policy that lacks it', () => {
    const links = analyzeEdited('pass-cross-account', {
      config: { 'DeployProd/DeployStack': { StackName: '#{variables.StackName}' } },
      deployPolicy: (statements) => {
        const stack = statements.find((x) => x['Sid'] === 'Stack')!;
        stack['Resource'] = `arn:aws:cloudformation:us-east-1:${P}:stack/*`;
        stack['Action'] = (stack['Action'] as string[]).filter(
          (a) => a !== 'cloudformation:CreateStack',
        );
      },
    });
    const create = byId(links, CREATE);
    expect(create.decision).toBe('ImplicitlyDenied');
    expect(create.deniedBy).toEqual([
      expect.objectContaining({ policyType: 'identity', explicit: false }),
    ]);
  });

  it('links that do not use the value stay as they are', () => {
    const base = analyzeEdited('pass-cross-account', {});
    const links = analyzeEdited('pass-cross-account', {
      config: { 'DeployProd/DeployStack': { StackName: '#{variables.StackName}' } },
    });
    expect(links.map((l) => l.id)).toEqual(base.map((l) => l.id));
    const changed = links
      .filter((l, i) => l.decision !== base[i]!.decision)
      .map((l) => l.id)
      .sort();
    // exactly the links on the stack, and those whose request names it
    expect(changed.length).toBeGreaterThan(0);
    for (const id of changed) {
      const l = byId(links, id);
      expect(l.decision, id).toBe('Unknown');
      expect(l.missing?.[0], id).toContain(STACK_PLACE);
      // or a call whose context names the stack (aws:SourceArn of the execution role)
      if (!/:stack\/unresolved-/.test(l.resource)) expect(l.why, id).toContain('`aws:SourceArn`');
    }
    expect(
      links.filter((l) => !changed.includes(l.id)).every((l) => l.decision === 'Allowed'),
    ).toBe(true);
  });
});

describe('a variable in a value the request context carries', () => {
  /** CreateStack is allowed only with the execution role named in cloudformation:RoleArn. */
  const roleScoped = (statements: Json[]): void => {
    const stack = statements.find((s) => s['Sid'] === 'Stack')!;
    stack['Condition'] = { StringEquals: { 'cloudformation:RoleArn': CFN_ROLE } };
  };

  it('cloudformation:RoleArn holding a variable: Unknown, not denied by the condition', () => {
    const literal = analyzeEdited('pass-cross-account', { deployPolicy: roleScoped });
    expect(byId(literal, CREATE).decision).toBe('Allowed');
    const links = analyzeEdited('pass-cross-account', {
      config: { 'DeployProd/DeployStack': { RoleArn: '#{variables.ExecRole}' } },
      deployPolicy: roleScoped,
    });
    const create = byId(links, CREATE);
    expect(create.decision).toBe('Unknown');
    expect(create.why).toContain('`cloudformation:RoleArn`');
    expect(create.missing).toEqual([
      `${PIPELINE_FILE}#/pipeline/stages/2/actions/0/configuration/RoleArn (holds the CodePipeline variable \`#{variables.ExecRole}\`, whose value is only known at run time)`,
    ]);
    // the role passed is not known either: iam:PassRole is Unknown, never "does not exist"
    const pass = links.filter((l) => l.permission === 'iam:PassRole');
    expect(pass.length).toBeGreaterThan(0);
    for (const l of pass) {
      expect(l.decision, l.id).toBe('Unknown');
      expect(l.why, l.id).not.toContain('does not exist');
    }
  });

  it('an unconditional deny of every resource decides it whatever the value', () => {
    const links = analyzeEdited('pass-cross-account', {
      config: { 'DeployProd/DeployStack': { RoleArn: '#{variables.ExecRole}' } },
      deployPolicy: (statements) => {
        roleScoped(statements);
        statements.push({
          Sid: 'NoCreate',
          Effect: 'Deny',
          Action: 'cloudformation:CreateStack',
          Resource: '*',
        });
      },
    });
    const create = byId(links, CREATE);
    expect(create.decision).toBe('ExplicitlyDenied');
    expect(create.deniedBy).toEqual([
      expect.objectContaining({ policyType: 'identity', statement: 'NoCreate', explicit: true }),
    ]);
    expect(create.why).toContain('on every resource, with no condition');
    expect(create.why).toContain('`cloudformation:RoleArn`, whose value the input does not settle');
    // a deny that tests the key is not read: Unknown as before
    const conditioned = analyzeEdited('pass-cross-account', {
      config: { 'DeployProd/DeployStack': { RoleArn: '#{variables.ExecRole}' } },
      deployPolicy: (statements) => {
        statements.push({
          Sid: 'NoCreate',
          Effect: 'Deny',
          Action: 'cloudformation:CreateStack',
          Resource: '*',
          Condition: { StringNotEquals: { 'cloudformation:RoleArn': CFN_ROLE } },
        });
      },
    });
    expect(byId(conditioned, CREATE).decision).toBe('Unknown');
  });
});

describe('lookups by a value holding a variable', () => {
  const PROJECT_PLACE = `${PIPELINE_FILE}#/pipeline/stages/1/actions/0/configuration/ProjectName`;

  it('a CodeBuild ProjectName: the project links are Unknown naming the value, not codebuild.json', () => {
    const links = analyzeEdited('pass-cross-account', {
      config: { 'Build/Build': { ProjectName: 'orders-#{variables.Env}-build' } },
    });
    const build = links.filter((l) => l.stage === 'Build');
    const projectRole = build.filter((l) => l.requirement.startsWith('codebuild-project.'));
    expect(projectRole.length).toBeGreaterThan(5);
    for (const l of build) {
      expect(l.why, l.id).not.toContain('does not exist');
      if (l.decision !== 'Unknown') continue;
      expect(l.missing, l.id).toContain(
        `${PROJECT_PLACE} (holds the CodePipeline variable \`#{variables.Env}\`, whose value is only known at run time)`,
      );
      expect(l.missing, l.id).not.toContain(`${T}/us-east-1/codebuild.json`);
    }
    for (const l of projectRole) expect(l.decision, l.id).toBe('Unknown');
    // the action's StartBuild is on the project ARN: Unknown, not denied
    const start = build.filter((l) => l.permission === 'codebuild:StartBuild');
    expect(start.map((l) => l.decision)).toEqual(['Unknown']);
    // a later reader of its output: the key CodeBuild encrypted it with is not known
    const decrypt = links.find((l) =>
      l.id.startsWith('DeployProd/DeployStack:artifacts.input.kms-decrypt'),
    )!;
    expect(decrypt.decision).toBe('Unknown');
    expect(decrypt.missing).toContain(
      `${PROJECT_PLACE} (holds the CodePipeline variable \`#{variables.Env}\`, whose value is only known at run time)`,
    );
  });

  it('a Lambda FunctionName: the function links are Unknown naming the value, never "does not exist"', () => {
    const links = analyzeEdited('pass-with-lambda-invoke', {
      config: { 'Verify/SmokeTest': { FunctionName: '#{variables.SmokeFunction}' } },
    });
    const verify = links.filter((l) => l.stage === 'Verify');
    const place = `${PIPELINE_FILE}#/pipeline/stages/3/actions/0/configuration/FunctionName`;
    expect(verify.filter((l) => l.decision === 'Unknown').length).toBeGreaterThan(0);
    for (const l of verify) {
      expect(l.why, l.id).not.toContain('does not exist');
      expect(l.decision, l.id).not.toMatch(/Denied/);
      if (l.decision === 'Unknown') expect(l.missing?.join(' '), l.id).toContain(place);
    }
  });

  it('a Lambda FunctionName under a grant of every function: still Unknown, the function (its policy and role) being looked up by the value', () => {
    const dir = mkdtempSync(join(tmpdir(), 'permchain-vars-'));
    cpSync('fixtures/scenarios/pass-with-lambda-invoke', dir, { recursive: true });
    const pf = join(dir, PIPELINE_FILE);
    writeFileSync(
      pf,
      readFileSync(pf, 'utf8').replace(
        '"FunctionName": "orders-api-smoke-test"',
        '"FunctionName": "#{variables.SmokeFunction}"',
      ),
    );
    const iam = join(dir, `${T}/iam.json`);
    writeFileSync(
      iam,
      readFileSync(iam, 'utf8').replaceAll(
        '"arn:aws:lambda:us-east-1:111111111111:function:orders-api-smoke-test"',
        '"*"',
      ),
    );
    const invoke = analyzeModel(loadSnapshot(dir)).pipelines[0]!.links.find(
      (l) => l.permission === 'lambda:InvokeFunction',
    )!;
    expect(invoke.resource).toMatch(/:function:unresolved-[0-9a-f]{10}$/);
    expect(invoke.decision).toBe('Unknown');
  });
});

// the loader leaves the whole ARN unsettled (its account too), so the link is not tried with
// made-up names (resolveLink byUnsettledValues); were it tried, the made-up names would be found
// absent from the account's roles, which its guard refuses
describe('a template value the input does not settle, in a resource looked up by it', () => {
  it('an action role named by an import: AssumeRole is Unknown, never denied as a role that does not exist', () => {
    const dir = mkdtempSync(join(tmpdir(), 'permchain-vars-'));
    const template = join(dir, 'pipeline.yaml');
    writeFileSync(
      template,
      readFileSync('fixtures/templates/demo-pipeline-v2.yaml', 'utf8').replace(
        'RoleArn: !Sub arn:${AWS::Partition}:iam::${ProdAccount}:role/demo-deploy-action',
        "RoleArn: !Sub ['arn:${AWS::Partition}:iam::${ProdAccount}:role/${Name}', { Name: !ImportValue deploy-role-name }]",
      ),
    );
    const { model } = loadInput(process.cwd(), {
      input: 'fixtures/demo',
      template,
      account: T,
      region: 'us-east-1',
    });
    const links = analyzeModel(model, { pipelines: ['demo-app-v2'] }).pipelines[0]!.links;
    const assume = links.filter(
      (l) =>
        l.permission === 'sts:AssumeRole' && /:role\/unresolved-[0-9a-f]{10}$/.test(l.resource),
    );
    expect(assume.length).toBeGreaterThan(0);
    for (const l of assume) {
      expect(l.decision, l.id).toBe('Unknown');
      expect(l.why, l.id).not.toContain('does not exist');
    }
  });
});
