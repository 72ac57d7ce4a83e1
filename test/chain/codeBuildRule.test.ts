/**
 * The CodeBuild rule of stage conditions
 * (https://docs.aws.amazon.com/codepipeline/latest/userguide/rule-reference-CodeBuild.html): its
 * reference asks codebuild:StartBuild and codebuild:BatchGetBuilds on the project in the
 * CodePipeline service role's policy, and the build runs as the project's service role. It was
 * one Unknown link (rule.provider-not-modelled), so a pipeline role that may not start the build
 * never failed; it is now checked (rules.json rule-codebuild.start-build, as the role the rule
 * runs as) with the project's own links (the CodeBuildProject entries, as for a CodeBuild action,
 * including its reads of the rule's input artifacts). A batch build (BatchEnabled), whose
 * permissions the rule's reference does not give, stays one Unknown link.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { ruleSupport } from '../../src/chain/rules.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import type { ReportLink, ReportPipeline } from '../../src/report/types.js';

const FILE = '111111111111/us-east-1/codepipeline/orders-api.json';
const PIPE_ROLE = 'arn:aws:iam::111111111111:role/service-role/orders-api-pipeline-role';
const BUILD_ROLE = 'arn:aws:iam::111111111111:role/service-role/orders-api-build-role';
const DOC =
  'https://docs.aws.amazon.com/codepipeline/latest/userguide/rule-reference-CodeBuild.html';

/** pass-cross-account with a CodeBuild rule `Check` before DeployProd. */
function withCodeBuildRule(
  configuration: Record<string, string>,
  inputArtifacts: { name: string }[] = [],
  roleArn?: string,
): ReportPipeline {
  const dir = mkdtempSync(join(tmpdir(), 'permchain-codebuild-rule-'));
  try {
    cpSync('fixtures/scenarios/pass-cross-account', dir, { recursive: true });
    const doc = JSON.parse(readFileSync(join(dir, FILE), 'utf8')) as {
      pipeline: { stages: Record<string, unknown>[] };
    };
    doc.pipeline.stages[2]!['beforeEntry'] = {
      conditions: [
        {
          result: 'FAIL',
          rules: [
            {
              name: 'Check',
              ruleTypeId: { category: 'Rule', owner: 'AWS', provider: 'CodeBuild', version: '1' },
              configuration,
              inputArtifacts,
              region: 'us-east-1',
              ...(roleArn !== undefined ? { roleArn } : {}),
            },
          ],
        },
      ],
    };
    writeFileSync(join(dir, FILE), JSON.stringify(doc));
    return analyzeModel(loadSnapshot(dir)).pipelines[0]!;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const ofRule = (p: ReportPipeline): ReportLink[] =>
  p.links.filter((l) => l.action === 'beforeEntry[1]/Check');
const startBuild = (p: ReportPipeline): ReportLink[] =>
  ofRule(p).filter((l) => l.requirement === 'rule-codebuild.start-build');

describe('the CodeBuild stage-condition rule', () => {
  it('is modelled', () => {
    expect(ruleSupport('CodeBuild')).toBe('modelled');
  });

  it('needs StartBuild and BatchGetBuilds on the project as the pipeline role, and the build its own links', () => {
    const p = withCodeBuildRule({ ProjectName: 'orders-api-build' }, [{ name: 'BuildOutput' }]);
    expect(startBuild(p).map((l) => [l.principal, l.permission, l.resource, l.decision])).toEqual(
      ['codebuild:StartBuild', 'codebuild:BatchGetBuilds'].map((a) => [
        PIPE_ROLE,
        a,
        'arn:aws:codebuild:us-east-1:111111111111:project/orders-api-build',
        'Allowed',
      ]),
    );
    expect(startBuild(p)[0]!.doc).toBe(DOC);
    expect(startBuild(p)[0]!.level).toBe('required');
    // the build reads the rule's input artifact as the project's role
    const read = ofRule(p).filter((l) => l.requirement === 'codebuild-project.input-get-object');
    expect(read.map((l) => [l.principal, l.decision])).toEqual([[BUILD_ROLE, 'Allowed']]);
    expect(ofRule(p).some((l) => l.requirement === 'rule.provider-not-modelled')).toBe(false);
    expect(p.verdict).toBe('pass');
  });

  it('fails when the pipeline role may not start the build, and names the project file it lacks', () => {
    const p = withCodeBuildRule({ ProjectName: 'orders-api-check' });
    expect(startBuild(p).map((l) => [l.permission, l.decision, l.blocks])).toEqual([
      ['codebuild:StartBuild', 'ImplicitlyDenied', ['DeployProd']],
      ['codebuild:BatchGetBuilds', 'ImplicitlyDenied', ['DeployProd']],
    ]);
    const assume = ofRule(p).find((l) => l.requirement === 'codebuild-project.assume-service-role');
    expect([assume?.decision, assume?.missing]).toEqual([
      'Unknown',
      ['111111111111/us-east-1/codebuild.json'],
    ]);
    expect(p.verdict).toBe('fail');
  });

  it("with a role, starts the build as that role (the rule's)", () => {
    const role = 'arn:aws:iam::111111111111:role/check-rule-role';
    const p = withCodeBuildRule({ ProjectName: 'orders-api-build' }, [], role);
    expect(startBuild(p).map((l) => l.principal)).toEqual([role, role]);
  });

  it('as a batch build is one Unknown link saying the rule does not document it', () => {
    const p = withCodeBuildRule({ ProjectName: 'orders-api-build', BatchEnabled: 'true' });
    expect(startBuild(p)).toEqual([]);
    const links = ofRule(p).filter((l) => l.requirement === 'rule.provider-not-modelled');
    expect(links.map((l) => [l.decision, l.level, l.doc])).toEqual([['Unknown', 'required', DOC]]);
    expect(links[0]!.why).toContain('as a batch build (`BatchEnabled` is `true`)');
  });
});
