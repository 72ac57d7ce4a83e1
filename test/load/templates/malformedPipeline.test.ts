/**
 * A pipeline element of the wrong shape in a template (CloudFormation would reject the template):
 * an error names its pointer, exit 2 in the CLI, and one Unknown link stands for what it would
 * have run; it is never dropped, which would let a denied link disappear.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../../src/chain/analyze.js';
import { loadSingleTemplate } from '../../../src/load/stacks.js';
import { PLACEHOLDER_PATTERN } from '../../../src/model/placeholders.js';

const TEMPLATE = 'test/load/templates/fixtures/variables/pipeline.yaml';
const ENV = { account: '111111111111', region: 'us-east-1' };

/**
 * The variables fixture with its `Stages:` block's first stage replaced by `stage` (YAML), or the
 * text `whole` in its place.
 */
function withStage(stage: string, whole?: string) {
  const text = readFileSync(TEMPLATE, 'utf8');
  const at = text.indexOf('      Stages:\n');
  expect(at).toBeGreaterThan(0);
  const dir = mkdtempSync(join(tmpdir(), 'permchain-malformed-'));
  try {
    const file = join(dir, 'pipeline.yaml');
    writeFileSync(
      file,
      whole ??
        `${text.slice(0, at)}      Stages:\n${stage}${text.slice(at + '      Stages:\n'.length)}`,
    );
    const { model, problems } = loadSingleTemplate(file, ENV);
    const p = analyzeModel(model).pipelines[0]!;
    return {
      errors: problems.filter((x) => x.severity === 'error').map((x) => `${x.pointer} ${x.id}`),
      unknown: p.links.filter((l) => l.requirement === 'action.not-settled').map((l) => l.action),
      verdict: p.verdict,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const S = '/Resources/Pipeline/Properties/Stages/0';
/** an action of no consequence, for a stage whose other parts a test is about */
const MANUAL =
  '{ Name: M, ActionTypeId: { Category: Approval, Owner: AWS, Provider: Manual, Version: "1" } }';

describe('a template pipeline element of the wrong shape', () => {
  for (const [name, stage, pointer, action] of [
    ['a stage that is not an object', '        - 5\n', S, '(actions)'],
    [
      'Actions that are not a list',
      '        - Name: Odd\n          Actions: oops\n',
      `${S}/Actions`,
      '(actions)',
    ],
    [
      'an action that is not an object',
      '        - Name: Odd\n          Actions: [7]\n',
      `${S}/Actions/0`,
      '(action 1)',
    ],
    [
      'a stage with no action (CodePipeline requires one)',
      '        - Name: Odd\n          Actions: []\n',
      `${S}/Actions`,
      '(actions)',
    ],
    [
      'a BeforeEntry that is not an object',
      `        - Name: Odd\n          Actions: [${MANUAL}]\n          BeforeEntry: 7\n`,
      `${S}/BeforeEntry`,
      'beforeEntry/(rules)',
    ],
    [
      'Conditions that are not a list',
      `        - Name: Odd\n          Actions: [${MANUAL}]\n          BeforeEntry: { Conditions: oops }\n`,
      `${S}/BeforeEntry/Conditions`,
      'beforeEntry/(rules)',
    ],
    [
      'Rules that are not a list',
      `        - Name: Odd\n          Actions: [${MANUAL}]\n          BeforeEntry: { Conditions: [{ Result: FAIL, Rules: oops }] }\n`,
      `${S}/BeforeEntry/Conditions/0/Rules`,
      'beforeEntry[1]/(rules)',
    ],
    [
      'a rule that is not an object',
      `        - Name: Odd\n          Actions: [${MANUAL}]\n          BeforeEntry: { Conditions: [{ Result: FAIL, Rules: [5] }] }\n`,
      `${S}/BeforeEntry/Conditions/0/Rules/0`,
      'beforeEntry[1]/(rule 1)',
    ],
  ] as const) {
    it(`${name}: an error at its pointer and an Unknown link`, () => {
      const r = withStage(stage);
      expect(r.errors).toEqual([`${pointer} template.shape.invalid`]);
      expect(r.unknown).toEqual([action]);
    });
  }
});

/** The variables fixture with its `Stages:` block replaced by `stages` (YAML, from `Stages:`). */
function withStages(stages: string) {
  const text = readFileSync(TEMPLATE, 'utf8');
  const at = text.indexOf('      Stages:\n');
  // the block ends at the next line indented no deeper than `Stages:`
  const rest = text.slice(at + '      Stages:\n'.length);
  const end = rest.search(/^ {0,6}\S/m);
  expect(at).toBeGreaterThan(0);
  return withStage('', `${text.slice(0, at)}${stages}${end < 0 ? '' : rest.slice(end)}`);
}

describe('a template pipeline of fewer than two stages (CodePipeline requires two)', () => {
  it('no stage: an error at `Stages` and an Unknown link, so the pipeline cannot pass (it passed)', () => {
    const r = withStages('      Stages: []\n');
    expect(r.errors).toEqual(['/Resources/Pipeline/Properties/Stages template.shape.invalid']);
    expect(r.unknown).toEqual(['(actions)']);
    expect(r.verdict).not.toBe('pass');
  });

  it('one stage: an error at `Stages`; the stage is read', () => {
    const r = withStages(`      Stages:\n        - Name: Only\n          Actions: [${MANUAL}]\n`);
    expect(r.errors).toEqual(['/Resources/Pipeline/Properties/Stages template.shape.invalid']);
    expect(r.unknown).toEqual([]);
  });
});

describe('a template action in a region the pipeline has no artifact store for', () => {
  it("names the template's ArtifactStores, not a snapshot pointer", () => {
    const text = readFileSync(TEMPLATE, 'utf8');
    const dir = mkdtempSync(join(tmpdir(), 'permchain-malformed-'));
    try {
      const file = join(dir, 'pipeline.yaml');
      writeFileSync(
        file,
        text.replace(
          '              Configuration: { ProjectName: !Ref ProjectName }\n',
          '              Configuration: { ProjectName: !Ref ProjectName }\n              Region: eu-west-1\n',
        ),
      );
      const { model } = loadSingleTemplate(file, ENV);
      const build = analyzeModel(model).pipelines[0]!.links.filter((l) => l.action === 'Build');
      const missing = new Set(build.flatMap((l) => l.missing ?? []));
      const stores = [...missing].filter((m) => m.includes('rtifactStores'));
      expect(stores).toHaveLength(1);
      expect(stores[0]).toMatch(
        /pipeline\.yaml#\/Resources\/Pipeline\/Properties\/ArtifactStores$/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("a template CodeBuild action's EnvironmentVariables", () => {
  function loadWith(vars: string) {
    const text = readFileSync(TEMPLATE, 'utf8');
    const dir = mkdtempSync(join(tmpdir(), 'permchain-env-'));
    try {
      const file = join(dir, 'pipeline.yaml');
      writeFileSync(
        file,
        text.replace(
          '              Configuration: { ProjectName: !Ref ProjectName }\n',
          `              Configuration: { ProjectName: !Ref ProjectName, EnvironmentVariables: '${vars}' }\n`,
        ),
      );
      const { model, problems } = loadSingleTemplate(file, ENV);
      const region = model.accounts.get('111111111111')!.regions.get('us-east-1')!;
      const build = [...region.pipelines.values()][0]!.stages[1]!.actions[0]!;
      return { kept: build.configuration['EnvironmentVariables']!, problems };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('keep a value only for a parameter or secret name, as the snapshot loader does', () => {
    const { kept, problems } = loadWith(
      JSON.stringify([
        { name: 'A', type: 'PLAINTEXT', value: 'hunter2' },
        { name: 'C', type: 'SECRETS_MANAGER', value: 'db' },
      ]),
    );
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(kept).not.toMatch(/hunter/);
    expect(JSON.parse(kept)).toEqual([
      { name: 'A', type: 'PLAINTEXT' },
      { name: 'C', type: 'SECRETS_MANAGER', value: 'db' },
    ]);
  });

  it('of a type CodeBuild does not take: an input error, the value unknown, and no secret kept', () => {
    // CodeBuild's types are PLAINTEXT, PARAMETER_STORE and SECRETS_MANAGER: a variable of
    // another may be a parameter, so what the build reads is unknown (as in a snapshot)
    const { kept, problems } = loadWith(
      JSON.stringify([
        { name: 'A', type: 'plaintext', value: 'hunter2' },
        { name: 'B', type: 'FUTURE_TYPE', value: 'hunter3' },
      ]),
    );
    expect(PLACEHOLDER_PATTERN.test(kept)).toBe(true);
    expect(kept).not.toMatch(/hunter/);
    expect(problems.filter((p) => p.severity === 'error').map((p) => p.id)).toEqual([
      'template.shape.invalid',
    ]);
    expect(JSON.stringify(problems)).not.toMatch(/hunter/);
  });
});
