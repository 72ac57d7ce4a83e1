/**
 * A CodeBuild action's `EnvironmentVariables` (or a project's environment variable) that cannot
 * be read as CodeBuild reads it is an input error naming the pointer, and the parameters and
 * secrets the build reads are Unknown, naming it: never left out, which let the run pass on
 * links it never checked. A type CodeBuild does not document (`parameter_store`) is not PLAINTEXT.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import { exitCodeFor } from '../../src/report/gate.js';
import type { Report, ReportLink } from '../../src/report/types.js';

const SCENARIO = 'fixtures/scenarios/pass-cross-account';
const PIPE = '111111111111/us-east-1/codepipeline/orders-api.json';
const CODEBUILD = '111111111111/us-east-1/codebuild.json';
const VARS = '/pipeline/stages/1/actions/0/configuration/EnvironmentVariables';
const PROBLEM = 'snapshot.codepipeline.environment-variables-invalid';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function editJson(dir: string, file: string, edit: (d: Json) => void): void {
  const path = join(dir, file);
  const doc = JSON.parse(readFileSync(path, 'utf8')) as Json;
  edit(doc);
  writeFileSync(path, JSON.stringify(doc, null, 2));
}

/** The scenario (it passes as is) with the build action's EnvironmentVariables set to `value`. */
function withActionVariables(value: unknown): Report {
  const dir = mkdtempSync(join(tmpdir(), 'permchain-envvars-'));
  cpSync(SCENARIO, dir, { recursive: true });
  editJson(dir, PIPE, (d) => {
    d['pipeline']['stages'][1]['actions'][0]['configuration']['EnvironmentVariables'] = value;
  });
  return analyzeModel(loadSnapshot(dir));
}

function withProjectVariable(variable: Json): Report {
  const dir = mkdtempSync(join(tmpdir(), 'permchain-envvars-'));
  cpSync(SCENARIO, dir, { recursive: true });
  editJson(dir, CODEBUILD, (d) => {
    d['projects'][0]['environment']['environmentVariables'].push(variable);
  });
  return analyzeModel(loadSnapshot(dir));
}

const links = (report: Report): ReportLink[] => report.pipelines.flatMap((p) => p.links);
const referenceLinks = (report: Report): ReportLink[] =>
  links(report).filter((l) => /parameter-store|secrets-manager/.test(l.id));
const problems = (report: Report): string[] =>
  report.problems.map((p) => `${p.severity} ${p.file}#${p.pointer} ${p.id}`);

const DB = { name: 'DB', value: '/prod/db-password', type: 'PARAMETER_STORE' };

describe("a CodeBuild action's EnvironmentVariables", () => {
  it('that can be read gives the parameter link (the baseline)', () => {
    const report = withActionVariables(JSON.stringify([DB]));
    expect(report.problems).toEqual([]);
    const ssm = referenceLinks(report).filter((l) => l.permission === 'ssm:GetParameters');
    expect(ssm.map((l) => l.resource)).toEqual([
      expect.stringContaining('parameter/prod/db-password'),
    ]);
  });

  const cases: [string, unknown, string][] = [
    ['not valid json', `[${JSON.stringify(DB)}, BROKEN`, 'not valid json'],
    ['not a list', JSON.stringify(DB), 'not a json array'],
    ['not a string', [DB], 'expected a json string'],
    [
      'a lower-case type',
      JSON.stringify([{ ...DB, type: 'parameter_store' }]),
      'item 0: a variable has a `type` that is not PLAINTEXT, PARAMETER_STORE or SECRETS_MANAGER',
    ],
    [
      'a misspelt type',
      JSON.stringify([
        { name: 'A', value: 'x' },
        { ...DB, type: 'PARAMETER-STORE' },
      ]),
      'item 1: a variable has a `type`',
    ],
    [
      'a parameter without a name to read',
      JSON.stringify([{ name: 'DB', type: 'PARAMETER_STORE' }]),
      'item 0: a PARAMETER_STORE variable has no string `value`',
    ],
  ];
  for (const [what, value, message] of cases) {
    it(`that is ${what} is an input error, and its references are Unknown naming it`, () => {
      const report = withActionVariables(value);
      expect(problems(report)).toEqual([`error ${PIPE}#${VARS} ${PROBLEM}`]);
      expect(report.problems[0]!.message).toContain(message);
      expect(exitCodeFor(report, 'denied')).toBe(2);
      const refs = referenceLinks(report);
      expect(refs.length).toBeGreaterThan(0);
      for (const l of refs) {
        expect(l.decision).toBe('Unknown');
        expect(l.missing).toEqual([`${PIPE}#${VARS} (not readable)`]);
      }
      // the rest of the action is still read and decided
      const build = links(report).filter((l) => l.stage === 'Build');
      expect(build.some((l) => l.id.includes('action.not-settled'))).toBe(false);
      expect(build.some((l) => l.decision === 'Allowed')).toBe(true);
    });
  }
});

describe("a CodeBuild project's environment variable", () => {
  it('of a type CodeBuild does not document is an input error, its references Unknown', () => {
    const report = withProjectVariable({ name: 'Q', value: '/prod/q', type: 'parameter_store' });
    const at = '/projects/0/environment/environmentVariables/1/type';
    expect(problems(report)).toEqual([`error ${CODEBUILD}#${at} snapshot.shape.invalid`]);
    expect(exitCodeFor(report, 'denied')).toBe(2);
    const refs = referenceLinks(report);
    expect(refs.length).toBeGreaterThan(0);
    for (const l of refs) {
      expect(l.decision).toBe('Unknown');
      expect(l.missing).toEqual([`${CODEBUILD}#${at} (not readable)`]);
    }
  });

  it('of a documented type gives its parameter link', () => {
    const report = withProjectVariable({ name: 'Q', value: '/prod/q', type: 'PARAMETER_STORE' });
    expect(report.problems).toEqual([]);
    expect(referenceLinks(report).map((l) => l.permission)).toContain('ssm:GetParameters');
  });
});
