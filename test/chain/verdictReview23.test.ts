/**
 * Session 23's review of verdicts and stage blocking: a stage condition's rule expanded before any
 * settled action dropped the pipeline role's trust link (a broken pipeline passed); an
 * `onFailure` rule was a required link of every run; recommended links said which stages they
 * "block"; a link the configuration makes fail became Unknown for a value in its context.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { noManagedPolicies } from '../../src/load/managedPolicies.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import { loadSingleTemplate } from '../../src/load/stacks.js';
import type { ReportPipeline } from '../../src/report/types.js';
import { editJson, inScenarioCopy, type Json } from './scenarioCopy.js';

const FIXTURES = 'test/chain/fixtures/verdict23';

function template(name: string): ReportPipeline {
  const { model } = loadSingleTemplate(join(FIXTURES, name), {
    account: '111111111111',
    region: 'us-east-1',
    managedPolicies: noManagedPolicies,
  });
  return analyzeModel(model).pipelines[0]!;
}

describe('stage condition rules', () => {
  it("a rule before any settled action does not drop the pipeline role's trust link (was: missing, the run passed)", () => {
    // every action of the first stage is unsettled (!ImportValue), and the stage has a rule;
    // the pipeline role trusts codebuild.amazonaws.com, not CodePipeline
    const p = template('stage-rule-first.yaml');
    const trust = p.links.filter((l) => l.requirement === 'pipeline.assume-service-role');
    expect(trust.map((l) => l.decision)).toEqual(['ImplicitlyDenied']);
    expect(p.verdict).toBe('fail');
  });

  it("an onFailure rule's links are recommended and block nothing: a run that succeeds never runs it", () => {
    const p = template('on-failure-rule.yaml');
    const rule = p.links.filter((l) => l.action?.startsWith('onFailure['));
    expect(rule.length).toBeGreaterThan(0);
    for (const l of rule) {
      expect(l.level, l.id).toBe('recommended');
      expect(l.blocks, l.id).toBeUndefined();
    }
    expect(p.verdict).toBe('pass');
  });

  it('an action whose name only looks like an onFailure rule (an input error) keeps required links (was: recommended, the run passed)', () => {
    // action `onFailure[1]/Put` of stage Deploy runs as a role the template does not hold
    const p = template('action-named-like-rule.yaml');
    const assume = p.links.filter(
      (l) => l.action === 'onFailure[1]/Put' && l.requirement === 'action.assume-action-role',
    );
    expect(assume.map((l) => l.level)).toEqual(['required']);
    expect(p.verdict).not.toBe('pass');
  });
});

describe('blocks', () => {
  /** pass-cross-account with `removed` taken out of the Action lists of its roles' policies */
  function without(removed: readonly string[]): ReportPipeline {
    return inScenarioCopy('fixtures/scenarios/pass-cross-account', (dir) => {
      editJson(join(dir, '111111111111/iam.json'), (d) => {
        for (const role of d['RoleDetailList'] as (Json & { RolePolicyList: Json[] })[])
          for (const p of role.RolePolicyList) {
            const doc = p['PolicyDocument'] as { Statement: { Action?: unknown }[] };
            for (const st of doc.Statement)
              if (Array.isArray(st.Action))
                st.Action = st.Action.filter((a) => !removed.includes(a as string));
          }
      });
      return analyzeModel(loadSnapshot(dir)).pipelines[0]!;
    });
  }

  it('a recommended link that is not allowed blocks no stage (was: "blocks Source, Build, DeployProd" on a passing pipeline)', () => {
    const p = without(['codecommit:CancelUploadArchive']);
    const cancel = p.links.filter((l) => l.permission === 'codecommit:CancelUploadArchive');
    expect(cancel.map((l) => [l.level, l.decision])).toEqual([['recommended', 'ImplicitlyDenied']]);
    expect(cancel[0]!.blocks).toBeUndefined();
    expect(p.verdict).toBe('pass');
  });

  it('a required one still says what it blocks', () => {
    // (the pipeline above passes, so it has no required link that is not allowed)
    const p = without(['codecommit:CancelUploadArchive', 'codecommit:GetBranch']);
    const failing = p.links.filter((x) => x.level === 'required' && x.decision !== 'Allowed');
    expect(failing.map((l) => l.permission)).toEqual(['codecommit:GetBranch']);
    expect(failing[0]!.blocks).toEqual(['Source', 'Build', 'DeployProd']);
    expect(
      p.links.find((l) => l.permission === 'codecommit:CancelUploadArchive')!.blocks,
    ).toBeUndefined();
    expect(p.verdict).toBe('fail');
  });
});

describe('a link the configuration makes fail', () => {
  it('stays denied when its context carries a value the input does not settle (was: Unknown)', () => {
    // the deploy action's RoleArn is `!Ref DeployRole`, a role name, not an ARN; its
    // configuration RoleArn is a pipeline variable (cloudformation:RoleArn in the context)
    const p = template('role-not-arn.yaml');
    const byRole = p.links.filter(
      (l) =>
        l.stage === 'Deploy' &&
        l.requirement.startsWith('cloudformation.') &&
        l.principal.includes('DeployRole'),
    );
    expect(byRole.length).toBeGreaterThan(0);
    expect(byRole.filter((l) => l.decision === 'Unknown').map((l) => l.permission)).toEqual([]);
    expect(byRole.find((l) => l.permission === 'cloudformation:CreateStack')?.decision).toBe(
      'ImplicitlyDenied',
    );
  });
});
