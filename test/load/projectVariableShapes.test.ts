/**
 * A CodeBuild project's own environment variable that CodeBuild would not take (its API requires
 * a string `name` and `value`:
 * https://docs.aws.amazon.com/codebuild/latest/APIReference/API_EnvironmentVariable.html) was
 * skipped or read as naming nothing: a PARAMETER_STORE variable without a value read as no
 * parameter read at all, so the build role's ssm:GetParameters link was never checked. Each is
 * an input error at its pointer, and the parameters and secrets the build reads are Unknown,
 * naming it, in a snapshot and in a template alike (as for an action's EnvironmentVariables).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { noManagedPolicies } from '../../src/load/managedPolicies.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import { displayPath, loadSingleTemplate } from '../../src/load/stacks.js';
import { exitCodeFor } from '../../src/report/gate.js';
import type { Report, ReportLink } from '../../src/report/types.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const TMP = mkdtempSync(join(tmpdir(), 'permchain-project-vars-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));
let serial = 0;

/** The build role's reads of the parameters and secrets its environment variables name. */
const READS = [
  'codebuild-project.parameter-store-get-parameters',
  'codebuild-project.secrets-manager-get-secret-value',
];
const reads = (report: Report): ReportLink[] =>
  report.pipelines.flatMap((p) => p.links).filter((l) => READS.includes(l.requirement));

describe("a snapshot CodeBuild project's environment variable CodeBuild would not take", () => {
  const SCENARIO = 'fixtures/scenarios/pass-cross-account';
  const CODEBUILD = '111111111111/us-east-1/codebuild.json';
  const VARS = '/projects/0/environment/environmentVariables';

  /** The scenario (it passes as is) with the project's environmentVariables edited. */
  function analyze(edit: (vars: Json) => unknown): Report {
    const dir = join(TMP, `snapshot-${serial++}`);
    cpSync(SCENARIO, dir, { recursive: true });
    const path = join(dir, CODEBUILD);
    const doc = JSON.parse(readFileSync(path, 'utf8')) as Json;
    const env = doc['projects'][0]['environment'] as Json;
    env['environmentVariables'] = edit(env['environmentVariables'] as Json);
    writeFileSync(path, JSON.stringify(doc, null, 2));
    return analyzeModel(loadSnapshot(dir));
  }
  const add = (variable: unknown) => (vars: Json) => [...(vars as unknown[]), variable];

  it('a PARAMETER_STORE variable with a value gives its parameter link (the baseline)', () => {
    const report = analyze(add({ name: 'DB', type: 'PARAMETER_STORE', value: '/prod/db' }));
    expect(report.problems).toEqual([]);
    expect(reads(report).map((l) => [l.permission, l.resource])).toEqual([
      ['ssm:GetParameters', expect.stringMatching(/:parameter\/prod\/db$/)],
    ]);
  });

  const cases: [string, (vars: Json) => unknown, string, string][] = [
    [
      'a PARAMETER_STORE variable without a value',
      add({ name: 'DB', type: 'PARAMETER_STORE' }),
      `${VARS}/1`,
      'a PARAMETER_STORE variable has no string `value`',
    ],
    [
      'a SECRETS_MANAGER variable whose value is not a string',
      add({ name: 'DB', type: 'SECRETS_MANAGER', value: 5 }),
      `${VARS}/1/value`,
      'a SECRETS_MANAGER variable has no string `value`',
    ],
    [
      'a PARAMETER_STORE variable without a name',
      add({ type: 'PARAMETER_STORE', value: '/prod/db' }),
      `${VARS}/1`,
      'a variable has no string `name`',
    ],
    ['a variable that is not an object', add('DB'), `${VARS}/1`, 'a variable is not an object'],
    [
      'environmentVariables that is not a list',
      () => ({ name: 'DB', type: 'PARAMETER_STORE', value: '/prod/db' }),
      VARS,
      'expected an array',
    ],
  ];
  for (const [what, edit, pointer, message] of cases) {
    it(`${what} is an input error at its pointer, and the reads are Unknown naming it`, () => {
      const report = analyze(edit);
      expect(report.problems.map((p) => [p.severity, p.file, p.pointer, p.id])).toEqual([
        ['error', CODEBUILD, pointer, 'snapshot.shape.invalid'],
      ]);
      expect(report.problems[0]!.message).toContain(message);
      expect(exitCodeFor(report, 'denied')).toBe(2);
      const links = reads(report);
      expect(links.map((l) => l.requirement).sort()).toEqual(READS);
      for (const l of links) {
        expect(l.decision, l.id).toBe('Unknown');
        expect(l.missing, l.id).toEqual([`${CODEBUILD}#${pointer} (not readable)`]);
      }
    });
  }
});

describe("a template CodeBuild project's environment variable CloudFormation would not take", () => {
  const FIXTURE = 'test/load/templates/fixtures/unknowns/env-var-type.yaml';
  const TEXT = readFileSync(FIXTURE, 'utf8');
  const TOKEN = '          - { Name: TOKEN, Type: !Ref VarType, Value: /app/token }\n';
  const VARS = '/Resources/Project/Properties/Environment/EnvironmentVariables';

  /** The fixture with the TOKEN variable line replaced by `lines`, or as `edit` makes it. */
  function analyze(lines: string, edit = (text: string) => text.replace(TOKEN, lines)) {
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

  it('a PARAMETER_STORE variable with a Value gives its parameter link (the baseline)', () => {
    const { errors, report } = analyze(
      '          - { Name: TOKEN, Type: PARAMETER_STORE, Value: /app/token }\n',
    );
    expect(errors).toEqual([]);
    expect(reads(report).map((l) => [l.permission, l.resource, l.decision])).toEqual([
      [
        'ssm:GetParameters',
        'arn:aws:ssm:us-east-1:111111111111:parameter/app/token',
        'ImplicitlyDenied',
      ],
    ]);
  });

  const cases: [string, string, string, string][] = [
    [
      'a PARAMETER_STORE variable without a Value',
      '          - { Name: TOKEN, Type: PARAMETER_STORE }\n',
      `${VARS}/1`,
      'a PARAMETER_STORE variable has no string `Value`',
    ],
    [
      'a SECRETS_MANAGER variable whose Value is a list',
      '          - Name: TOKEN\n            Type: SECRETS_MANAGER\n            Value: [app/token]\n',
      `${VARS}/1/Value`,
      'a SECRETS_MANAGER variable has no string `Value`',
    ],
    [
      'a SECRETS_MANAGER variable whose Value is left empty',
      '          - Name: TOKEN\n            Type: SECRETS_MANAGER\n            Value:\n',
      `${VARS}/1/Value`,
      'CloudFormation rejects null values',
    ],
    [
      'a PARAMETER_STORE variable without a Name',
      '          - { Type: PARAMETER_STORE, Value: /app/token }\n',
      `${VARS}/1`,
      'a variable has no string `Name`',
    ],
    [
      'a variable that is not an object',
      '          - TOKEN\n',
      `${VARS}/1`,
      'a variable must be an object, not a string',
    ],
  ];
  for (const [what, lines, pointer, message] of cases) {
    it(`${what} is a template error at its pointer, and the reads are Unknown naming it`, () => {
      const { file, errors, report } = analyze(lines);
      expect(errors.map((p) => [p.file, p.pointer, p.id])).toEqual([
        [file, pointer, 'template.shape.invalid'],
      ]);
      expect(errors[0]!.message).toContain(message);
      const links = reads(report);
      expect(links.map((l) => l.requirement).sort()).toEqual(READS);
      for (const l of links) {
        expect(l.decision, l.id).toBe('Unknown');
        expect(l.missing, l.id).toEqual([`${file}#${pointer} (not readable)`]);
      }
    });
  }

  it('EnvironmentVariables that is not a list is a template error, and the reads are Unknown', () => {
    // the whole list replaced by one variable (CloudFormation takes only a list)
    const { file, errors, report } = analyze('', (text) =>
      text.replace(
        / {8}EnvironmentVariables:\n( {10}- .*\n)+/,
        '        EnvironmentVariables: { Name: TOKEN, Type: PARAMETER_STORE, Value: /app/token }\n',
      ),
    );
    expect(errors.map((p) => [p.file, p.pointer, p.id])).toEqual([
      [file, VARS, 'template.shape.invalid'],
    ]);
    expect(errors[0]!.message).toContain('`EnvironmentVariables` must be a list, not an object');
    const links = reads(report);
    expect(links.map((l) => l.requirement).sort()).toEqual(READS);
    for (const l of links) {
      expect(l.decision, l.id).toBe('Unknown');
      expect(l.missing, l.id).toEqual([`${file}#${VARS} (not readable)`]);
    }
  });
});
