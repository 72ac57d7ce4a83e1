/**
 * CodePipeline allows at most 50 actions in a stage and 50 stages in a pipeline, quotas that are
 * fixed (https://docs.aws.amazon.com/codepipeline/latest/userguide/limits.html), and a stage
 * condition block holds one condition of 1 to 5 rules (API_Condition.html). A snapshot stage
 * of 51 actions was accepted silently, and one of 20,000 copies of the Build action took about
 * 2 GB and broke the JSON report (RangeError: Invalid string length). Both loaders now report an
 * input error at the list (exit 2) and read no further than the 50th: the rest is one Unknown
 * link, so the pipeline cannot pass on what was not read, and a huge file is refused cheaply.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import { loadSingleTemplate } from '../../src/load/stacks.js';
import { exitCodeFor } from '../../src/report/gate.js';
import type { Report } from '../../src/report/types.js';

const PIPE = '111111111111/us-east-1/codepipeline/orders-api.json';
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function analyzeSnapshot(edit: (pipeline: Json) => void): Report {
  const dir = mkdtempSync(join(tmpdir(), 'permchain-quota-'));
  try {
    cpSync('fixtures/scenarios/pass-cross-account', dir, { recursive: true });
    const path = join(dir, PIPE);
    const doc = JSON.parse(readFileSync(path, 'utf8')) as Json;
    edit(doc['pipeline'] as Json);
    writeFileSync(path, JSON.stringify(doc));
    return analyzeModel(loadSnapshot(dir));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The Build stage holding `n` copies of its action, each of its own name. */
const buildCopies =
  (n: number) =>
  (p: Json): void => {
    const stage = (p['stages'] as Json[])[1]!;
    const action = (stage['actions'] as Json[])[0]!;
    stage['actions'] = Array.from({ length: n }, (_, i) => ({ ...action, name: `Build${i}` }));
  };

const problems = (report: Report): string[] =>
  report.problems.map((p) => `${p.severity} ${p.file}#${p.pointer} ${p.id}: ${p.message}`);

describe('a snapshot stage of more actions than CodePipeline allows', () => {
  it('of 50 actions is read as it is', () => {
    const report = analyzeSnapshot(buildCopies(50));
    expect(problems(report)).toEqual([]);
    expect(report.pipelines[0]!.verdict).toBe('pass');
  });

  it('of 51 actions is an input error at the list, and the 51st is one Unknown link', () => {
    const report = analyzeSnapshot(buildCopies(51));
    expect(problems(report)).toEqual([
      `error ${PIPE}#/pipeline/stages/1/actions snapshot.shape.invalid: 51 actions: CodePipeline allows at most 50 actions in a stage; the actions after the 50th are not analysed`,
    ]);
    expect(exitCodeFor(report, 'denied')).toBe(2);
    const p = report.pipelines[0]!;
    expect(p.verdict).not.toBe('pass');
    const unknown = p.links.filter((l) => l.requirement === 'action.not-settled');
    expect(unknown.map((l) => [l.stage, l.action, l.decision, l.missing])).toEqual([
      [
        'Build',
        '(actions 51 to 51)',
        'Unknown',
        [
          `${PIPE}#/pipeline/stages/1/actions/50 (actions 51 to 51, over CodePipeline's quota of 50 actions in a stage: not read)`,
        ],
      ],
    ]);
    expect(p.links.some((l) => l.action === 'Build50')).toBe(false);
  });

  it('of 20,000 copies is refused cheaply: the links of 50 actions, not of 20,000', () => {
    const report = analyzeSnapshot(buildCopies(20_000));
    expect(problems(report)).toHaveLength(1);
    const actions = new Set(report.pipelines[0]!.links.map((l) => l.action));
    expect(actions.has('Build49')).toBe(true);
    expect(actions.has('Build50')).toBe(false);
    expect(actions.has('(actions 51 to 20000)')).toBe(true);
  });

  it('of 51 stages is an input error at the stages, the 51st on one Unknown link', () => {
    const report = analyzeSnapshot((p) => {
      const stages = p['stages'] as Json[];
      const deploy = stages[2]!;
      p['stages'] = [
        ...stages,
        ...Array.from({ length: 48 }, (_, i) => ({ ...deploy, name: `Deploy${i}` })),
      ];
    });
    expect(problems(report)).toEqual([
      `error ${PIPE}#/pipeline/stages snapshot.shape.invalid: 51 stages: CodePipeline allows at most 50 stages in a pipeline; the stages after the 50th are not analysed`,
    ]);
    const p = report.pipelines[0]!;
    const unknown = p.links.filter((l) => l.requirement === 'action.not-settled');
    expect(unknown.map((l) => [l.stage, l.action])).toEqual([['(stages 51 to 51)', '(actions)']]);
    expect(p.links.some((l) => l.stage === 'Deploy47')).toBe(false);
    expect(p.links.some((l) => l.stage === 'Deploy46')).toBe(true);
  });
});

/** DeployProd with an entry condition of `rules` copies of a VariableCheck rule, in `conditions` conditions. */
const entryRules =
  (rules: number, conditions = 1) =>
  (p: Json): void => {
    const condition = {
      result: 'FAIL',
      rules: Array.from({ length: rules }, (_, i) => ({
        name: `Check${i}`,
        ruleTypeId: { category: 'Rule', owner: 'AWS', provider: 'VariableCheck', version: '1' },
        configuration: { Variable: '#{SourceVariables.BranchName}', Value: 'main', Operator: 'EQ' },
        inputArtifacts: [],
        region: 'us-east-1',
      })),
    };
    (p['stages'] as Json[])[2]!['beforeEntry'] = {
      conditions: Array.from({ length: conditions }, () => condition),
    };
  };

describe('a snapshot stage condition of more rules or conditions than CodePipeline allows', () => {
  // https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_Condition.html: rules,
  // "Maximum number of 5 items"; API_BeforeEntryConditions.html: conditions, "Fixed number of 1
  // item". 20,000 Commands rules were read, took 930 MB, and passed
  it('of 5 rules is read as it is', () => {
    const report = analyzeSnapshot(entryRules(5));
    expect(problems(report)).toEqual([]);
    expect(report.pipelines[0]!.verdict).toBe('pass');
  });

  it('of 6 rules is an input error at the rules, and the 6th is one Unknown link', () => {
    const report = analyzeSnapshot(entryRules(6));
    expect(problems(report)).toEqual([
      `error ${PIPE}#/pipeline/stages/2/beforeEntry/conditions/0/rules snapshot.shape.invalid: 6 rules: CodePipeline allows at most 5 rules in a condition; the rules after the 5th are not analysed`,
    ]);
    const p = report.pipelines[0]!;
    expect(p.verdict).not.toBe('pass');
    const unknown = p.links.filter((l) => l.requirement === 'action.not-settled');
    expect(unknown.map((l) => [l.stage, l.action, l.missing])).toEqual([
      [
        'DeployProd',
        'beforeEntry[1]/(rules 6 to 6)',
        [
          `${PIPE}#/pipeline/stages/2/beforeEntry/conditions/0/rules/5 (rules 6 to 6, over CodePipeline's quota of 5 rules in a condition: not read)`,
        ],
      ],
    ]);
  });

  it('of 2 conditions is an input error at the conditions, the second one Unknown link', () => {
    const report = analyzeSnapshot(entryRules(1, 2));
    expect(problems(report)).toEqual([
      `error ${PIPE}#/pipeline/stages/2/beforeEntry/conditions snapshot.shape.invalid: 2 conditions: CodePipeline allows one condition in \`beforeEntry\`; the conditions after the first are not analysed`,
    ]);
    const unknown = report.pipelines[0]!.links.filter(
      (l) => l.requirement === 'action.not-settled',
    );
    expect(unknown.map((l) => l.action)).toEqual(['beforeEntry/(conditions 2 to 2)']);
  });

  it('of 20,000 rules is refused cheaply', () => {
    const report = analyzeSnapshot(entryRules(20_000));
    expect(problems(report)).toHaveLength(1);
    expect(report.pipelines[0]!.links.length).toBeLessThan(200);
  });
});

describe('a template stage of more actions than CodePipeline allows', () => {
  const TEMPLATE = 'test/load/templates/fixtures/variables/pipeline.yaml';
  const ENV = { account: '111111111111', region: 'us-east-1' };

  function withStage(stage: string) {
    const text = readFileSync(TEMPLATE, 'utf8');
    const at = text.indexOf('      Stages:\n');
    expect(at).toBeGreaterThan(0);
    const dir = mkdtempSync(join(tmpdir(), 'permchain-quota-'));
    try {
      const file = join(dir, 'pipeline.yaml');
      writeFileSync(
        file,
        `${text.slice(0, at)}      Stages:\n${stage}${text.slice(at + '      Stages:\n'.length)}`,
      );
      const { model, problems } = loadSingleTemplate(file, ENV);
      return { report: analyzeModel(model), problems };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  const approvals = (n: number): string =>
    '        - Name: Gate\n          Actions:\n' +
    Array.from(
      { length: n },
      (_, i) =>
        `            - Name: Approve${i}\n              ActionTypeId: {Category: Approval, Owner: AWS, Provider: Manual, Version: '1'}\n`,
    ).join('');

  it('of 51 actions is an input error at the list, and the 51st is one Unknown link', () => {
    const { report, problems } = withStage(approvals(51));
    expect(
      problems.filter((p) => p.severity === 'error').map((p) => `${p.pointer} ${p.message}`),
    ).toEqual([
      '/Resources/Pipeline/Properties/Stages/0/Actions 51 actions: CodePipeline allows at most 50 actions in a stage; the actions after the 50th are not analysed',
    ]);
    const links = report.pipelines[0]!.links.filter((l) => l.requirement === 'action.not-settled');
    expect(links.map((l) => [l.stage, l.action, l.decision])).toEqual([
      ['Gate', '(actions 51 to 51)', 'Unknown'],
    ]);
  });

  it('of a condition of 6 rules is an input error at the rules, the 6th one Unknown link', () => {
    const stage =
      approvals(1) +
      '          BeforeEntry:\n            Conditions:\n              - Result: FAIL\n                Rules:\n' +
      Array.from(
        { length: 6 },
        (_, i) =>
          `                  - Name: Window${i}\n                    RuleTypeId: { Category: Rule, Owner: AWS, Provider: DeploymentWindow, Version: '1' }\n                    Configuration: { Cron: "* * 9-17 ? * MON-FRI *" }\n`,
      ).join('');
    const { report, problems } = withStage(stage);
    expect(
      problems.filter((p) => p.severity === 'error').map((p) => `${p.pointer} ${p.message}`),
    ).toEqual([
      '/Resources/Pipeline/Properties/Stages/0/BeforeEntry/Conditions/0/Rules 6 rules: CodePipeline allows at most 5 rules in a condition; the rules after the 5th are not analysed',
    ]);
    const links = report.pipelines[0]!.links.filter((l) => l.requirement === 'action.not-settled');
    expect(links.map((l) => [l.stage, l.action])).toEqual([
      ['Gate', 'beforeEntry[1]/(rules 6 to 6)'],
    ]);
  });

  it('of 50 actions is read as it is', () => {
    const { report, problems } = withStage(approvals(50));
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(
      report.pipelines[0]!.links.filter((l) => l.requirement === 'action.not-settled'),
    ).toEqual([]);
  });
});
