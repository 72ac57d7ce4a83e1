/**
 * The CodeBuild rule of stage conditions
 * (https://docs.aws.amazon.com/codepipeline/latest/userguide/rule-reference-CodeBuild.html) is
 * mapped explicitly (review rev-events 9): AWS documents what it calls (codebuild:StartBuild and
 * codebuild:BatchGetBuilds on the project), but the catalog has no entries for the rule yet, so
 * it is one Unknown link that names the project, what AWS asks, and the rule's own reference,
 * not the generic "not one permchain models" of a rule type it does not know.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { ruleSupport } from '../../src/chain/rules.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import type { ReportLink } from '../../src/report/types.js';

const FILE = '111111111111/us-east-1/codepipeline/orders-api.json';

/** The links of a CodeBuild rule `Check` added before DeployProd of pass-cross-account. */
function withCodeBuildRule(inputArtifacts: { name: string }[]): ReportLink[] {
  const dir = mkdtempSync(join(tmpdir(), 'permchain-codebuild-rule-'));
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
            configuration: { ProjectName: 'orders-api-check' },
            inputArtifacts,
            region: 'us-east-1',
          },
        ],
      },
    ],
  };
  writeFileSync(join(dir, FILE), JSON.stringify(doc));
  return analyzeModel(loadSnapshot(dir)).pipelines[0]!.links.filter(
    (l) => l.action === 'beforeEntry[1]/Check',
  );
}

describe('the CodeBuild stage-condition rule', () => {
  it('is known, and not modelled yet', () => {
    expect(ruleSupport('CodeBuild')).toBe('not-modelled');
  });

  it('is one Unknown link naming the project, the calls AWS documents and the reference', () => {
    const links = withCodeBuildRule([]);
    expect(links.map((l) => `${l.id} ${l.decision}`)).toEqual([
      'DeployProd/beforeEntry[1]/Check:rule.provider-not-modelled Unknown',
    ]);
    expect(links[0]!.why).toContain('runs build project `orders-api-check`');
    expect(links[0]!.why).toContain('codebuild:StartBuild and codebuild:BatchGetBuilds');
    expect(links[0]!.doc).toBe(
      'https://docs.aws.amazon.com/codepipeline/latest/userguide/rule-reference-CodeBuild.html',
    );
  });

  // the build reads the rule's input artifacts with the project's role, which the catalog does
  // not check for a rule: the link must not say they are checked (it said "its artifact links
  // are", with no such link made)
  it('with input artifacts, makes no artifact link and does not say it checks them', () => {
    const links = withCodeBuildRule([{ name: 'BuildOutput' }]);
    expect(links.map((l) => l.requirement)).toEqual(['rule.provider-not-modelled']);
    expect(links[0]!.why).not.toContain('artifact links are');
    expect(links[0]!.why).toContain("nor the build's reads of its input artifacts");
  });
});
