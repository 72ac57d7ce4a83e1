/**
 * A CloudFormation stack ARN ends in an id (`…:stack/<name>/<uuid>`), and so does a stack set
 * ARN (`…:stackset/<name>:<uuid>`); the id is assigned when the stack or stack set is created,
 * and no input gives it. The catalog writes `*` for it. That `*` is no wildcard: it stands for
 * an id no policy names, so a policy that names the ARN with a literal `*` (StringEquals takes
 * no wildcards) never matches a real one, and a policy that names one id may or may not name
 * this stack: the link is Unknown, never allowed or denied on a guess.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import type { ReportLink } from '../../src/report/types.js';
import { editJson, inScenarioCopy, type Json } from './scenarioCopy.js';

type Statement = Json & { Sid?: string; Resource?: string | string[] };

const ID = '0f5a7c2e-1b3d-4e6f-8a9b-0c1d2e3f4a5b';

function editRole(file: string, name: string, edit: (role: Json) => void): void {
  editJson(file, (iam) => {
    edit((iam['RoleDetailList'] as Json[]).find((r) => r['RoleName'] === name)!);
  });
}

function editStatement(file: string, role: string, sid: string, edit: (s: Statement) => void) {
  editRole(file, role, (r) => {
    for (const p of r['RolePolicyList'] as Json[]) {
      const sts = (p['PolicyDocument'] as Json)['Statement'] as Statement[];
      const st = sts.find((s) => s.Sid === sid);
      if (st) edit(st);
    }
  });
}

function addStatement(file: string, role: string, st: Statement): void {
  editRole(file, role, (r) => {
    const doc = (r['RolePolicyList'] as Json[])[0]!['PolicyDocument'] as Json;
    (doc['Statement'] as Statement[]).push(st);
  });
}

const summary = (links: readonly ReportLink[]): string[] =>
  links.map((l) => `${l.id} ${l.decision}`);

describe('stack sets (pass-stacksets)', () => {
  const SCENARIO = 'fixtures/scenarios/pass-stacksets';
  const T = '111111111111';
  const IAM = `${T}/iam.json`;
  const SET_ARN = `arn:aws:cloudformation:us-east-1:${T}:stackset/org-guardrails`;
  const SET = 'DeployGuardrails/StackSet';
  const INSTANCES = 'DeployGuardrails/Instances';

  function links(edit: (dir: string) => void): ReportLink[] {
    return inScenarioCopy(SCENARIO, (dir) => {
      edit(dir);
      return analyzeModel(loadSnapshot(dir)).pipelines[0]!.links.filter(
        (l) => l.stage === 'DeployGuardrails' && !l.requirement.startsWith('artifacts.'),
      );
    });
  }

  /** The administration role links after its trust statement gets `condition`. */
  function assumeAdmin(condition: Json): ReportLink[] {
    return links((dir) =>
      editRole(join(dir, IAM), 'platform-stackset-administration', (r) => {
        const st = (r['AssumeRolePolicyDocument'] as { Statement: Json[] }).Statement[0]!;
        st['Condition'] = condition;
      }),
    ).filter((l) => l.requirement.endsWith('.assume-administration-role'));
  }

  const bothAdmin = (decision: string): string[] => [
    `${SET}:cloudformation-stackset.assume-administration-role:sts:AssumeRole ${decision}`,
    `${INSTANCES}:cloudformation-stackinstances.assume-administration-role:sts:AssumeRole ${decision}`,
  ];

  describe('the aws:SourceArn StackSets sends ends in the id', () => {
    it('StringEquals with a literal `*` for the id matches no real stack set: denied', () => {
      const admin = assumeAdmin({
        StringEquals: { 'aws:SourceAccount': T, 'aws:SourceArn': `${SET_ARN}:*` },
      });
      expect(summary(admin)).toEqual(bothAdmin('ImplicitlyDenied'));
      // the report still shows the link as the catalog writes it, not a made-up id
      expect(admin[0]!.why).not.toContain('00000000-0000-4000-8000-000000000000');
    });

    it('StringLike `:?` (one character) matches no 36-character id: denied', () => {
      const admin = assumeAdmin({
        StringEquals: { 'aws:SourceAccount': T },
        StringLike: { 'aws:SourceArn': `${SET_ARN}:?` },
      });
      expect(summary(admin)).toEqual(bothAdmin('ImplicitlyDenied'));
    });

    it('StringLike with a `?` per character of the id matches every id: allowed', () => {
      const admin = assumeAdmin({
        StringEquals: { 'aws:SourceAccount': T },
        StringLike: { 'aws:SourceArn': `${SET_ARN}:????????-????-????-????-????????????` },
      });
      expect(summary(admin)).toEqual(bothAdmin('Allowed'));
    });

    it('ArnLike over every stack set of the account: allowed', () => {
      const admin = assumeAdmin({
        StringEquals: { 'aws:SourceAccount': T },
        ArnLike: { 'aws:SourceArn': `arn:aws:cloudformation:us-east-1:${T}:stackset/*` },
      });
      expect(summary(admin)).toEqual(bothAdmin('Allowed'));
    });

    it('a StringEquals list of one id and the literal `*`: Unknown, naming the id', () => {
      const admin = assumeAdmin({
        StringEquals: {
          'aws:SourceAccount': T,
          'aws:SourceArn': [`${SET_ARN}:${ID}`, `${SET_ARN}:*`],
        },
      });
      expect(summary(admin)).toEqual(bothAdmin('Unknown'));
      expect(admin[0]!.why).toContain(`${SET_ARN}:${ID}`);
      expect(admin[0]!.why).toContain('no input gives the id of stack set `org-guardrails`');
    });

    it('a pattern over some ids only (a prefix of the id): Unknown', () => {
      const admin = assumeAdmin({
        StringEquals: { 'aws:SourceAccount': T },
        StringLike: { 'aws:SourceArn': `${SET_ARN}:0*` },
      });
      expect(summary(admin)).toEqual(bothAdmin('Unknown'));
    });
  });

  describe('a policy that names the stack set by its full ARN, with the id', () => {
    const CALLS = [
      `${SET}:cloudformation-stackset.create-stack-instances:cloudformation:CreateStackInstances`,
      `${SET}:cloudformation-stackset.describe-stack-set:cloudformation:DescribeStackSet`,
      `${SET}:cloudformation-stackset.describe-stack-set:cloudformation:DescribeStackSetOperation`,
      `${SET}:cloudformation-stackset.list-stack-instances:cloudformation:ListStackInstances`,
      `${SET}:cloudformation-stackset.update-stack-set:cloudformation:UpdateStackSet`,
      `${INSTANCES}:cloudformation-stackinstances.create-stack-instances:cloudformation:CreateStackInstances`,
      `${INSTANCES}:cloudformation-stackinstances.describe-stack-set-operation:cloudformation:DescribeStackSetOperation`,
    ];
    const calls = (ls: readonly ReportLink[]): ReportLink[] =>
      ls.filter((l) => l.permission.startsWith('cloudformation:') && l.resource !== '*');

    it('an identity policy naming the id is Unknown (the id may be this stack set’s or not)', () => {
      const ls = calls(
        links((dir) =>
          editStatement(join(dir, IAM), 'orders-api-pipeline-role', 'GuardrailsStackSet', (s) => {
            s.Resource = `${SET_ARN}:${ID}`;
          }),
        ),
      );
      expect(summary(ls)).toEqual(CALLS.map((c) => `${c} Unknown`));
      for (const l of ls) {
        expect(l.resource).toBe(`${SET_ARN}:*`);
        expect(l.why).toContain(`${SET_ARN}:${ID}`);
        expect(l.why).toContain('no input gives the id of stack set `org-guardrails`');
        expect(l.why).toContain('statement `GuardrailsStackSet`');
        expect(l.missing).toEqual([]);
      }
    });

    it('an id with a pattern for the region is tried as well', () => {
      const ls = calls(
        links((dir) =>
          editStatement(join(dir, IAM), 'orders-api-pipeline-role', 'GuardrailsStackSet', (s) => {
            s.Resource = `arn:aws:cloudformation:*:${T}:stackset/org-*:${ID}`;
          }),
        ),
      );
      expect(summary(ls)).toEqual(CALLS.map((c) => `${c} Unknown`));
    });

    it('the id of another stack set, or of another account, still denies', () => {
      for (const other of [
        `arn:aws:cloudformation:us-east-1:${T}:stackset/other-set:${ID}`,
        `arn:aws:cloudformation:us-east-1:222222222222:stackset/org-guardrails:${ID}`,
        `arn:aws:cloudformation:eu-west-1:${T}:stackset/org-guardrails:${ID}`,
      ]) {
        const ls = calls(
          links((dir) =>
            editStatement(join(dir, IAM), 'orders-api-pipeline-role', 'GuardrailsStackSet', (s) => {
              s.Resource = other;
            }),
          ),
        );
        expect(summary(ls), other).toEqual(CALLS.map((c) => `${c} ImplicitlyDenied`));
      }
    });

    it('a deny of one id beside an allow of every id is Unknown, not allowed', () => {
      const ls = calls(
        links((dir) =>
          addStatement(join(dir, IAM), 'orders-api-pipeline-role', {
            Sid: 'NotThatOne',
            Effect: 'Deny',
            Action: 'cloudformation:*',
            Resource: `${SET_ARN}:${ID}`,
          }),
        ),
      );
      expect(summary(ls)).toEqual(CALLS.map((c) => `${c} Unknown`));
    });

    it('CreateStackSet, documented on `*` and on the stack set: the id decides the second', () => {
      const all = links((dir) => {
        for (const sid of ['CreateStackSet', 'GuardrailsStackSet'])
          editStatement(join(dir, IAM), 'orders-api-pipeline-role', sid, (s) => {
            s.Resource = `${SET_ARN}:${ID}`;
          });
      });
      const ls = all.filter((l) => l.permission === 'cloudformation:CreateStackSet');
      expect(summary(ls)).toEqual([
        `${SET}:cloudformation-stackset.create-stack-set:cloudformation:CreateStackSet Unknown`,
      ]);
      expect(ls[0]!.why).toContain('no input gives the id of stack set `org-guardrails`');
      expect(ls[0]!.why).toContain('statement `CreateStackSet`');
      // each link names the statement that applies to its call
      const update = all.find((l) => l.permission === 'cloudformation:UpdateStackSet')!;
      expect(update.decision).toBe('Unknown');
      expect(update.why).toContain('statement `GuardrailsStackSet`');
    });
  });
});

describe('stacks (all-providers, platform-web)', () => {
  const SCENARIO = 'fixtures/scenarios/all-providers';
  const IAM = '111111111111/iam.json';
  const EXEC_ROLE = 'arn:aws:iam::111111111111:role/platform-cfn-exec';
  const STACK = 'arn:aws:cloudformation:us-east-1:111111111111:stack/platform-web';

  function links(edit: (dir: string) => void): ReportLink[] {
    return inScenarioCopy(SCENARIO, (dir) => {
      edit(dir);
      return analyzeModel(loadSnapshot(dir), {
        pipelines: ['platform-web'],
      }).pipelines[0]!.links.slice();
    });
  }

  it('a trust policy with StringEquals on `…:stack/platform-web/*` matches no real stack: denied', () => {
    const ls = links((dir) =>
      editRole(join(dir, IAM), 'platform-cfn-exec', (r) => {
        const st = (r['AssumeRolePolicyDocument'] as { Statement: Json[] }).Statement[0]!;
        st['Condition'] = { StringEquals: { 'aws:SourceArn': `${STACK}/*` } };
      }),
    ).filter(
      (l) => l.requirement === 'cloudformation.assume-execution-role' && l.resource === EXEC_ROLE,
    );
    expect(ls.length).toBeGreaterThan(0);
    expect(ls.map((l) => l.decision)).toEqual(ls.map(() => 'ImplicitlyDenied'));
  });

  it('the pipeline role’s policy naming the stack with its id: the stack calls are Unknown', () => {
    const before = links(() => {}).filter((l) => l.resource === `${STACK}/*`);
    expect(before.length).toBeGreaterThan(0);
    expect(before.map((l) => l.decision)).toEqual(before.map(() => 'Allowed'));
    const ls = links((dir) =>
      editStatement(join(dir, IAM), 'platform-pipeline-role', 'CloudFormationStacks', (s) => {
        s.Resource = (s.Resource as string[]).map((r) =>
          r === `${STACK}/*` ? `${STACK}/${ID}` : r,
        );
      }),
    ).filter((l) => l.resource === `${STACK}/*`);
    expect(ls.map((l) => l.id)).toEqual(before.map((l) => l.id));
    for (const l of ls) {
      expect(l.decision, l.id).toBe('Unknown');
      expect(l.why).toContain(`${STACK}/${ID}`);
      expect(l.why).toContain('no input gives the id of stack `platform-web`');
    }
  });

  it('a stack call denied either way (no allow; a Deny naming one id) is denied, not Unknown', () => {
    const ls = links((dir) =>
      editStatement(join(dir, IAM), 'platform-pipeline-role', 'CloudFormationStacks', (s) => {
        // the allow no longer names the stack; a deny names it with one id
        s.Resource = (s.Resource as string[]).filter((r) => r !== `${STACK}/*`);
        if ((s.Resource as string[]).length === 0) s.Resource = 'arn:aws:s3:::nothing';
      }),
    );
    const onStack = (xs: readonly ReportLink[]) => xs.filter((l) => l.resource === `${STACK}/*`);
    const denied = onStack(ls);
    expect(denied.length).toBeGreaterThan(0);
    for (const l of denied) expect(l.decision, l.id).toBe('ImplicitlyDenied');
    const withDeny = onStack(
      links((dir) => {
        editStatement(join(dir, IAM), 'platform-pipeline-role', 'CloudFormationStacks', (s) => {
          s.Resource = (s.Resource as string[]).filter((r) => r !== `${STACK}/*`);
          if ((s.Resource as string[]).length === 0) s.Resource = 'arn:aws:s3:::nothing';
        });
        addStatement(join(dir, IAM), 'platform-pipeline-role', {
          Sid: 'DenyOneStack',
          Effect: 'Deny',
          Action: 'cloudformation:*',
          Resource: `${STACK}/${ID}`,
        });
      }),
    );
    expect(withDeny.map((l) => l.id)).toEqual(denied.map((l) => l.id));
    // with the made-up id the call is denied implicitly, with the named id explicitly: denied,
    // and the Deny some id meets is named (mixedDenials.test.ts)
    for (const l of withDeny) {
      expect(l.decision, l.id).toBe('ExplicitlyDenied');
      expect(l.deniedBy.filter((d) => d.explicit).map((d) => d.statement)).toEqual([
        'DenyOneStack',
      ]);
    }
  });
});
