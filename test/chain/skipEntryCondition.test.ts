/**
 * An entry condition (`beforeEntry`) that is not met engages its result: SKIP skips the stage
 * and the run goes on to the next stage; FAIL fails the stage, which stops the run
 * (https://docs.aws.amazon.com/codepipeline/latest/userguide/stage-conditions.html). A rule whose
 * link fails fails its condition, so a failing link of a SKIP condition's rule blocks its own
 * stage (which never runs), not the stages after it. The condition's `result` was not read, and
 * such a link said it blocked every later stage as well.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import { loadSingleTemplate } from '../../src/load/stacks.js';
import type { Report, ReportPipeline } from '../../src/report/types.js';

const FILE = '111111111111/us-east-1/codepipeline/orders-api.json';
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** pass-cross-account with an entry condition of `result` on its middle stage, Build. */
function withEntryCondition(
  result: string | undefined,
  provider = 'LambdaInvoke',
  edit: (pipeline: Json) => void = () => undefined,
): ReportPipeline {
  return analyzeWith(result, provider, edit).pipelines[0]!;
}

function analyzeWith(
  result: string | undefined,
  provider: string,
  edit: (pipeline: Json) => void = () => undefined,
): Report {
  const dir = mkdtempSync(join(tmpdir(), 'permchain-skip-'));
  try {
    cpSync('fixtures/scenarios/pass-cross-account', dir, { recursive: true });
    const doc = JSON.parse(readFileSync(join(dir, FILE), 'utf8')) as Json;
    edit(doc['pipeline'] as Json);
    (doc['pipeline']['stages'] as Json[])[1]!['beforeEntry'] = {
      conditions: [
        {
          ...(result !== undefined ? { result } : {}),
          rules: [
            {
              name: 'Gate',
              ruleTypeId: {
                category: 'Rule',
                owner: 'AWS',
                provider,
                version: '1',
              },
              configuration: { FunctionName: 'build-gate' },
              region: 'us-east-1',
            },
          ],
        },
      ],
    };
    writeFileSync(join(dir, FILE), JSON.stringify(doc));
    return analyzeModel(loadSnapshot(dir));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const gate = (p: ReportPipeline) => p.links.filter((l) => l.action === 'beforeEntry[1]/Gate');

describe('a failing link of an entry condition rule', () => {
  it('of result SKIP blocks its own stage only when no later stage reads what it writes', () => {
    // DeployProd's action reads SourceOutput, not Build's BuildOutput
    const p = withEntryCondition('SKIP', 'LambdaInvoke', (pipeline) => {
      const deploy = (pipeline['stages'] as Json[])[2]!['actions'][0] as Json;
      expect(deploy['inputArtifacts']).toEqual([{ name: 'BuildOutput' }]);
      deploy['inputArtifacts'] = [{ name: 'SourceOutput' }];
    });
    const links = gate(p);
    // LambdaInvoke's permissions are not documented: its one link is Unknown, and required
    expect(links.map((l) => [l.requirement, l.decision, l.level, l.blocks])).toEqual([
      ['rule.permissions-not-documented', 'Unknown', 'required', ['Build']],
    ]);
    // the stage never runs: the pipeline is not passed
    expect(p.verdict).toBe('unknown');
  });

  // a skipped stage writes no artifact: DeployStack reads BuildOutput, which the skipped Build
  // would have written, and what CodePipeline gives it then is not documented (it said
  // ['Build'], as if DeployProd ran as usual)
  it('of result SKIP also blocks a later stage that reads what the skipped stage writes', () => {
    expect(gate(withEntryCondition('SKIP')).map((l) => l.blocks)).toEqual([
      ['Build', 'DeployProd'],
    ]);
  });

  it('of result SKIP also blocks a later stage that reads a variable of the skipped stage', () => {
    const p = withEntryCondition('SKIP', 'LambdaInvoke', (pipeline) => {
      const [, build, deploy] = pipeline['stages'] as Json[];
      build!['actions'][0]['namespace'] = 'BuildVariables';
      const action = deploy!['actions'][0] as Json;
      action['inputArtifacts'] = [{ name: 'SourceOutput' }];
      action['configuration']['ParameterOverrides'] = '{"Image":"#{BuildVariables.IMAGE}"}';
    });
    expect(gate(p).map((l) => l.blocks)).toEqual([['Build', 'DeployProd']]);
  });

  it('of result SKIP does not block a stage between that reads none of it', () => {
    const p = withEntryCondition('SKIP', 'LambdaInvoke', (pipeline) => {
      (pipeline['stages'] as Json[]).splice(2, 0, {
        name: 'Approve',
        actions: [
          {
            name: 'Approve',
            actionTypeId: { category: 'Approval', owner: 'AWS', provider: 'Manual', version: '1' },
            runOrder: 1,
            configuration: {},
            inputArtifacts: [],
            outputArtifacts: [],
          },
        ],
      });
    });
    expect(gate(p).map((l) => l.blocks)).toEqual([['Build', 'DeployProd']]);
  });

  it('of result FAIL blocks its stage and every stage after it', () => {
    expect(gate(withEntryCondition('FAIL')).map((l) => l.blocks)).toEqual([
      ['Build', 'DeployProd'],
    ]);
  });

  it('of no result given blocks as FAIL does (not taken for a SKIP)', () => {
    expect(gate(withEntryCondition(undefined)).map((l) => l.blocks)).toEqual([
      ['Build', 'DeployProd'],
    ]);
  });

  it('of a result in other case is not a SKIP (the API values are upper case)', () => {
    expect(gate(withEntryCondition('skip')).map((l) => l.blocks)).toEqual([
      ['Build', 'DeployProd'],
    ]);
  });
});

describe('an entry condition of result SKIP', () => {
  // "For beforeEntry conditions that are configured with the Skip result, only the following
  // rules are available: LambdaInvoke and VariableCheck"
  // (https://docs.aws.amazon.com/codepipeline/latest/userguide/rule-reference-CodeBuild.html)
  it('with another rule than LambdaInvoke or VariableCheck is a warning naming the provider', () => {
    const report = analyzeWith('SKIP', 'CloudWatchAlarm');
    expect(
      report.problems.map((p) => `${p.severity} ${p.file}#${p.pointer} ${p.id}: ${p.message}`),
    ).toEqual([
      `warning ${FILE}#/pipeline/stages/1/beforeEntry/conditions/0/rules/0/ruleTypeId/provider snapshot.condition.skip-rule: an entry condition whose result is SKIP has the rule \`AWS/CloudWatchAlarm\`: AWS allows only LambdaInvoke and VariableCheck rules there`,
    ]);
  });

  it('with LambdaInvoke or VariableCheck, or of result FAIL, is no problem', () => {
    expect(analyzeWith('SKIP', 'LambdaInvoke').problems).toEqual([]);
    expect(analyzeWith('SKIP', 'VariableCheck').problems).toEqual([]);
    expect(analyzeWith('FAIL', 'CloudWatchAlarm').problems).toEqual([]);
  });
});

describe("a template entry condition's Result", () => {
  it('is read onto its rules', () => {
    const TEMPLATE = 'test/load/templates/fixtures/variables/pipeline.yaml';
    const text = readFileSync(TEMPLATE, 'utf8');
    expect(text).toContain('              - Result: FAIL\n');
    const dir = mkdtempSync(join(tmpdir(), 'permchain-skip-'));
    try {
      const file = join(dir, 'pipeline.yaml');
      writeFileSync(
        file,
        text.replace('              - Result: FAIL\n', '              - Result: SKIP\n'),
      );
      const { model, problems } = loadSingleTemplate(file, {
        account: '111111111111',
        region: 'us-east-1',
      });
      // the Commands rule is not one AWS allows under SKIP; the LambdaInvoke rule is
      expect(
        problems.filter((p) => p.id === 'template.condition.skip-rule').map((p) => p.pointer),
      ).toEqual([
        '/Resources/Pipeline/Properties/Stages/2/BeforeEntry/Conditions/0/Rules/0/RuleTypeId/Provider',
      ]);
      const pipeline = [
        ...model.accounts.get('111111111111')!.regions.get('us-east-1')!.pipelines.values(),
      ][0]!;
      const deploy = pipeline.stages.find((s) => s.name === 'Deploy')!;
      expect(deploy.rules!.map((r) => [r.name, r.conditionResult])).toEqual([
        ['beforeEntry[1]/Check', 'SKIP'],
        ['beforeEntry[1]/Gate', 'SKIP'],
        ['onFailure[1]/Window', 'ROLLBACK'],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
