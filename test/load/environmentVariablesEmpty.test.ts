/**
 * A CodeBuild environment variable with an empty name, or a PARAMETER_STORE or SECRETS_MANAGER
 * one with an empty value, was read as naming nothing: no read, no error, so the build role's
 * reads were never checked. CodeBuild requires a name of one character at least
 * (https://docs.aws.amazon.com/codebuild/latest/APIReference/API_EnvironmentVariable.html#CodeBuild-Type-EnvironmentVariable-name),
 * and the value of those types is the name of a parameter or secret, which is never empty
 * (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParameters.html#systemsmanager-GetParameters-request-Names,
 * https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html#SecretsManager-GetSecretValue-request-SecretId).
 * Each is an input error at its pointer, as the other variables CodeBuild would not take
 * (variableFault), and the reads are Unknown naming it: in an action's EnvironmentVariables and
 * a project's, in a snapshot and in a template.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { noManagedPolicies } from '../../src/load/managedPolicies.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import { displayPath, loadSingleTemplate } from '../../src/load/stacks.js';
import { variableFault } from '../../src/model/environmentVariables.js';
import type { Report, ReportLink } from '../../src/report/types.js';
import { editJson, inScenarioCopy, type Json } from '../chain/scenarioCopy.js';

const TMP = mkdtempSync(join(tmpdir(), 'permchain-empty-vars-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));
let serial = 0;

const READS = [
  'codebuild-project.parameter-store-get-parameters',
  'codebuild-project.secrets-manager-get-secret-value',
];
const reads = (report: Report): ReportLink[] =>
  report.pipelines.flatMap((p) => p.links).filter((l) => READS.includes(l.requirement));

/** Every read link is Unknown, naming `missing` only; and there is one of each. */
function expectUnknownReads(report: Report, missing: string): void {
  const links = reads(report);
  expect(links.map((l) => l.requirement).sort()).toEqual(READS);
  for (const l of links) {
    expect(l.decision, l.id).toBe('Unknown');
    expect(l.missing, l.id).toEqual([missing]);
  }
}

describe('variableFault', () => {
  it('refuses an empty name, and an empty value of a type whose value names what is read', () => {
    expect(variableFault({ name: '', value: 'x' })?.message).toBe('a variable has an empty `name`');
    expect(variableFault({ name: 'A', type: 'PARAMETER_STORE', value: '' })).toEqual({
      key: 'value',
      message: 'a PARAMETER_STORE variable has an empty `value`, which names no parameter',
    });
    expect(variableFault({ name: 'A', type: 'SECRETS_MANAGER', value: '' })?.message).toBe(
      'a SECRETS_MANAGER variable has an empty `value`, which names no secret',
    );
    // a PLAINTEXT value may well be empty: it is not read
    expect(variableFault({ name: 'A', type: 'PLAINTEXT', value: '' })).toBeUndefined();
    expect(variableFault({ name: 'A', value: '' })).toBeUndefined();
  });
});

describe('a snapshot variable with an empty name or reference', () => {
  const SCENARIO = 'fixtures/scenarios/pass-cross-account';
  const PIPE = '111111111111/us-east-1/codepipeline/orders-api.json';
  const CODEBUILD = '111111111111/us-east-1/codebuild.json';
  const ACTION_VARS = '/pipeline/stages/1/actions/0/configuration/EnvironmentVariables';
  const PROJECT_VARS = '/projects/0/environment/environmentVariables';

  function analyze(edit: (dir: string) => void) {
    return inScenarioCopy(SCENARIO, (dir) => {
      edit(dir);
      const model = loadSnapshot(dir);
      const errors = model.problems
        .filter((p) => p.severity === 'error')
        .map((p) => [p.file, p.pointer, p.id]);
      return { errors, report: analyzeModel(model) };
    });
  }
  // a second variable of each reference type, so that both read links are there
  const SECRET = { name: 'S', value: 'app/token', type: 'SECRETS_MANAGER' };

  const actionCases: [string, Json][] = [
    ['an empty name', { name: '', value: '/prod/db', type: 'PARAMETER_STORE' }],
    ['an empty PARAMETER_STORE value', { name: 'DB', value: '', type: 'PARAMETER_STORE' }],
  ];
  for (const [what, variable] of actionCases) {
    it(`in an action's EnvironmentVariables (${what}) is an input error; the reads are Unknown`, () => {
      const { errors, report } = analyze((dir) =>
        editJson(join(dir, PIPE), (d) => {
          const stages = (d['pipeline'] as Json)['stages'] as Json[];
          const action = (stages[1]!['actions'] as Json[])[0]!;
          (action['configuration'] as Json)['EnvironmentVariables'] = JSON.stringify([
            variable,
            { name: 'P', value: '/prod/p', type: 'PARAMETER_STORE' },
            SECRET,
          ]);
        }),
      );
      expect(errors).toEqual([
        [PIPE, ACTION_VARS, 'snapshot.codepipeline.environment-variables-invalid'],
      ]);
      expectUnknownReads(report, `${PIPE}#${ACTION_VARS} (not readable)`);
    });
  }

  const projectCases: [string, Json, string][] = [
    ['an empty name', { name: '', value: 'x', type: 'PLAINTEXT' }, 'name'],
    ['an empty SECRETS_MANAGER value', { name: 'T', value: '', type: 'SECRETS_MANAGER' }, 'value'],
  ];
  for (const [what, variable, key] of projectCases) {
    it(`in a project (${what}) is an input error at its key; the reads are Unknown`, () => {
      const { errors, report } = analyze((dir) =>
        editJson(join(dir, CODEBUILD), (d) => {
          const env = (d['projects'] as Json[])[0]!['environment'] as Json;
          const vars = env['environmentVariables'] as Json[];
          vars.push(variable, { name: 'P', value: '/prod/p', type: 'PARAMETER_STORE' }, SECRET);
        }),
      );
      const at = `${PROJECT_VARS}/1/${key}`;
      expect(errors).toEqual([[CODEBUILD, at, 'snapshot.shape.invalid']]);
      expectUnknownReads(report, `${CODEBUILD}#${at} (not readable)`);
    });
  }
});

describe('a template variable with an empty name or reference', () => {
  const FIXTURE = 'test/load/templates/fixtures/unknowns/env-var-type.yaml';
  const TEXT = readFileSync(FIXTURE, 'utf8');
  const TOKEN = '          - { Name: TOKEN, Type: !Ref VarType, Value: /app/token }\n';
  const VARS = '/Resources/Project/Properties/Environment/EnvironmentVariables';
  const BOTH =
    '          - { Name: P, Type: PARAMETER_STORE, Value: /app/p }\n' +
    '          - { Name: S, Type: SECRETS_MANAGER, Value: app/s }\n';

  function analyze(edit: (text: string) => string) {
    const text = edit(TEXT);
    expect(text).not.toBe(TEXT);
    const path = join(TMP, `template-${serial++}.yaml`);
    writeFileSync(path, text);
    const loaded = loadSingleTemplate(path, {
      account: '111111111111',
      region: 'us-east-1',
      managedPolicies: noManagedPolicies,
    });
    return {
      file: displayPath(path),
      errors: loaded.problems.filter((p) => p.severity === 'error'),
      report: analyzeModel(loaded.model),
    };
  }

  const projectCases: [string, string, string][] = [
    [
      'an empty Name',
      '          - { Name: "", Type: PARAMETER_STORE, Value: /app/token }\n',
      'Name',
    ],
    [
      'an empty PARAMETER_STORE Value',
      '          - { Name: T, Type: PARAMETER_STORE, Value: "" }\n',
      'Value',
    ],
  ];
  for (const [what, line, key] of projectCases) {
    it(`in a project (${what}) is a template error at its key; the reads are Unknown`, () => {
      const { file, errors, report } = analyze((t) => t.replace(TOKEN, line + BOTH));
      expect(errors.map((p) => [p.file, p.pointer, p.id])).toEqual([
        [file, `${VARS}/1/${key}`, 'template.shape.invalid'],
      ]);
      expectUnknownReads(report, `${file}#${VARS}/1/${key} (not readable)`);
    });
  }

  it("in an action's EnvironmentVariables (an empty value) is a template error; the reads are Unknown", () => {
    const vars = JSON.stringify([
      { name: 'DB', value: '', type: 'SECRETS_MANAGER' },
      { name: 'P', value: '/app/p', type: 'PARAMETER_STORE' },
      { name: 'S', value: 'app/s', type: 'SECRETS_MANAGER' },
    ]);
    const { file, errors, report } = analyze((t) =>
      t
        .replace(TOKEN, '')
        .replace(
          'Configuration: { ProjectName: !Ref Project }',
          `Configuration: { ProjectName: !Ref Project, EnvironmentVariables: '${vars}' }`,
        ),
    );
    const at =
      '/Resources/Pipeline/Properties/Stages/1/Actions/0/Configuration/EnvironmentVariables';
    expect(errors.map((p) => [p.file, p.pointer, p.id])).toEqual([
      [file, at, 'template.shape.invalid'],
    ]);
    expect(errors[0]!.message).toContain('has an empty `value`');
    // a template names the line of the action's text
    expectUnknownReads(
      report,
      `${file}:${
        text(file)
          .split('\n')
          .findIndex((l) => l.includes("EnvironmentVariables: '")) + 1
      } (${errors[0]!.message})`,
    );
  });
});

function text(file: string): string {
  return readFileSync(file, 'utf8');
}
