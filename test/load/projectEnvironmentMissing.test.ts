/**
 * A CodeBuild project's `Environment` is required (CloudFormation:
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-codebuild-project.html#cfn-codebuild-project-environment;
 * the API: https://docs.aws.amazon.com/codebuild/latest/APIReference/API_CreateProject.html).
 * A template project without one, or with one that is not an object, left the environment
 * undefined: the parameters and secrets its build reads, and its image pulls, disappeared without
 * an error. It is a template error at its place, and what the environment would have said is
 * Unknown naming it. A snapshot project without `environment` is an input error, and the project
 * is unknown (as for any part of a project that cannot be read).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { noManagedPolicies } from '../../src/load/managedPolicies.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import { displayPath, loadSingleTemplate } from '../../src/load/stacks.js';
import type { Report, ReportLink } from '../../src/report/types.js';
import { editJson, inScenarioCopy } from '../chain/scenarioCopy.js';

const TMP = mkdtempSync(join(tmpdir(), 'permchain-project-env-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));
let serial = 0;

const READS = [
  'codebuild-project.parameter-store-get-parameters',
  'codebuild-project.secrets-manager-get-secret-value',
];
const build = (report: Report): ReportLink[] =>
  report.pipelines.flatMap((p) => p.links).filter((l) => l.stage === 'Build');

describe('a template CodeBuild project whose Environment is missing or not an object', () => {
  const FIXTURE = 'test/load/templates/fixtures/unknowns/env-var-type.yaml';
  const TEXT = readFileSync(FIXTURE, 'utf8');
  // the whole Environment block of the fixture's project
  const ENVIRONMENT = /^ {6}Environment:\n( {8}.*\n)+/m;

  function analyze(replacement: string) {
    const text = TEXT.replace(ENVIRONMENT, replacement);
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

  const cases: [string, string, string, string][] = [
    [
      'missing',
      '',
      '/Resources/Project',
      'the project has no `Environment`, which CloudFormation requires',
    ],
    [
      'a string',
      '      Environment: LINUX_CONTAINER\n',
      '/Resources/Project/Properties/Environment',
      '`Environment` must be an object, not `LINUX_CONTAINER`',
    ],
    [
      'a list',
      '      Environment: [LINUX_CONTAINER]\n',
      '/Resources/Project/Properties/Environment',
      '`Environment` must be an object, not a list',
    ],
  ];
  for (const [what, replacement, pointer, message] of cases) {
    it(`(${what}) is a template error at its place; the reads and image pulls are Unknown naming it`, () => {
      const { file, errors, report } = analyze(replacement);
      expect(errors.map((p) => [p.file, p.pointer, p.id])).toEqual([
        [file, pointer, 'template.shape.invalid'],
      ]);
      expect(errors[0]!.message).toContain(message);
      const links = build(report);
      const unknown = (requirement: string) => {
        const found = links.filter((l) => l.requirement === requirement);
        expect(found.length, requirement).toBeGreaterThan(0);
        for (const l of found) {
          expect(l.decision, l.id).toBe('Unknown');
          expect(l.missing, l.id).toEqual([`${file}#${pointer} (not readable)`]);
        }
      };
      for (const r of READS) unknown(r);
      // the image may be one of ECR: its pulls are checked, Unknown
      unknown('codebuild-project.ecr-pull');
    });
  }
});

describe('a snapshot CodeBuild project without environment', () => {
  it('is an input error at the project, and the project is unknown, naming it', () => {
    const CODEBUILD = '111111111111/us-east-1/codebuild.json';
    const { problems, report } = inScenarioCopy('fixtures/scenarios/pass-cross-account', (dir) => {
      editJson(join(dir, CODEBUILD), (doc) => {
        delete (doc['projects'] as Record<string, unknown>[])[0]!['environment'];
      });
      const model = loadSnapshot(dir);
      return { problems: model.problems, report: analyzeModel(model) };
    });
    expect(problems.map((p) => [p.severity, p.file, p.pointer, p.id, p.message])).toEqual([
      [
        'error',
        CODEBUILD,
        '/projects/0',
        'snapshot.shape.invalid',
        'missing required key `environment`: the build environment is unknown',
      ],
    ]);
    const projectLinks = build(report).filter((l) =>
      l.requirement.startsWith('codebuild-project.'),
    );
    expect(projectLinks.length).toBeGreaterThan(0);
    for (const l of projectLinks) {
      expect(l.decision, l.id).toBe('Unknown');
      expect(l.missing, l.id).toEqual([`${CODEBUILD}#/projects/0 (not readable)`]);
    }
  });
});
