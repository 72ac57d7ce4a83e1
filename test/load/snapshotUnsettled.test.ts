/**
 * A pipeline file the loader cannot read in full is not decided on a stand-in: an action whose
 * type, role, region, configuration or artifacts cannot be read is one Unknown link
 * (action.not-settled) naming the pointer, not an action that runs as the pipeline role; an
 * artifact key or pipeline role of the wrong type is an unknown key or role, not `aws/s3` or no
 * role; a stage without actions, or stages that are not a list, are input errors and stay in the
 * chain as one Unknown link, instead of vanishing and letting the pipeline pass.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import { exitCodeFor } from '../../src/report/gate.js';
import type { Report, ReportLink, ReportPipeline } from '../../src/report/types.js';

const SCENARIO = 'fixtures/scenarios/pass-cross-account';
const PIPE = '111111111111/us-east-1/codepipeline/orders-api.json';
const KEY_FILE = '111111111111/us-east-1/kms/7c1d9e4a-3b2f-4a6d-8e5c-1f0a9b8c7d6e.json';
const PIPELINE_ROLE = 'arn:aws:iam::111111111111:role/service-role/orders-api-pipeline-role';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function editJson(dir: string, file: string, edit: (d: Json) => void): void {
  const path = join(dir, file);
  const doc = JSON.parse(readFileSync(path, 'utf8')) as Json;
  edit(doc);
  writeFileSync(path, JSON.stringify(doc, null, 2));
}

/** The scenario (it passes as is) with its pipeline file edited. */
function analyze(edit: (pipeline: Json) => void, more?: (dir: string) => void): Report {
  const dir = mkdtempSync(join(tmpdir(), 'permchain-unsettled-'));
  cpSync(SCENARIO, dir, { recursive: true });
  editJson(dir, PIPE, (d) => edit(d['pipeline'] as Json));
  more?.(dir);
  return analyzeModel(loadSnapshot(dir));
}

function only(report: Report): ReportPipeline {
  expect(report.pipelines).toHaveLength(1);
  return report.pipelines[0]!;
}

const deploy = (p: Json): Json => p['stages'][2]['actions'][0] as Json;
const build = (p: Json): Json => p['stages'][1]['actions'][0] as Json;
const DEPLOY = '/pipeline/stages/2/actions/0';

describe('an action whose chain-shaping fields cannot be read', () => {
  it('passes as is (the baseline of every case below)', () => {
    const report = analyze(() => {});
    expect(only(report).verdict).toBe('pass');
    expect(report.problems).toEqual([]);
  });

  const cases: [string, (p: Json) => void, string][] = [
    ['its roleArn is not a string', (p) => (deploy(p)['roleArn'] = { Ref: 'R' }), '/roleArn'],
    ['its region is not a string', (p) => (deploy(p)['region'] = 5), '/region'],
    [
      'an input artifact is not an object',
      (p) => (deploy(p)['inputArtifacts'] = ['BuildOutput']),
      '/inputArtifacts/0',
    ],
    [
      'an input artifact has no name',
      (p) => (deploy(p)['inputArtifacts'] = [{}]),
      '/inputArtifacts/0',
    ],
    [
      'outputArtifacts is not a list',
      (p) => (deploy(p)['outputArtifacts'] = { name: 'x' }),
      '/outputArtifacts',
    ],
    [
      'its provider is not a string',
      (p) => (deploy(p)['actionTypeId']['provider'] = 7),
      '/actionTypeId/provider',
    ],
    [
      'its actionTypeId has no version',
      (p) => delete deploy(p)['actionTypeId']['version'],
      '/actionTypeId',
    ],
    [
      'its configuration is not an object',
      (p) => (deploy(p)['configuration'] = 'x'),
      '/configuration',
    ],
    [
      'the configuration RoleArn is not a string',
      (p) => (deploy(p)['configuration']['RoleArn'] = { Ref: 'CfnRole' }),
      '/configuration/RoleArn',
    ],
    [
      'the configuration ActionMode is not a string',
      (p) => (deploy(p)['configuration']['ActionMode'] = ['CREATE_UPDATE']),
      '/configuration/ActionMode',
    ],
  ];
  for (const [what, edit, pointer] of cases) {
    it(`is one Unknown link naming the pointer when ${what}`, () => {
      const report = analyze(edit);
      const p = only(report);
      expect(p.verdict).toBe('unknown');
      expect(report.problems.map((x) => `${x.severity} ${x.file}#${x.pointer}`)).toContain(
        `error ${PIPE}#${DEPLOY}${pointer}`,
      );
      expect(exitCodeFor(report, 'denied')).toBe(2);
      const mine = p.links.filter((l) => l.stage === 'DeployProd');
      expect(mine.map((l) => [l.id, l.decision, l.missing])).toEqual([
        [
          'DeployProd/DeployStack:action.not-settled',
          'Unknown',
          [`${PIPE}#${DEPLOY}${pointer} (not readable)`],
        ],
      ]);
      // the other actions keep their links
      expect(p.links.some((l) => l.stage === 'Build' && l.decision === 'Allowed')).toBe(true);
    });
  }

  it('is not run as the pipeline role when its roleArn cannot be read (a denial stays visible)', () => {
    // the pipeline role may not create the stack: read as "no action role", the action ran as
    // the pipeline role, and the kms decrypt the pipeline role may do was allowed
    const links = only(analyze((p) => (deploy(p)['roleArn'] = 42))).links;
    const stageLinks = links.filter((l) => l.stage === 'DeployProd');
    expect(stageLinks.some((l) => l.principal === PIPELINE_ROLE)).toBe(false);
    expect(stageLinks.map((l) => l.decision)).toEqual(['Unknown']);
  });

  it('names a CodeBuild ProjectName that is not a string', () => {
    const links = only(
      analyze((p) => (build(p)['configuration']['ProjectName'] = { Ref: 'P' })),
    ).links;
    expect(links.filter((l) => l.stage === 'Build').map((l) => [l.id, l.missing])).toEqual([
      [
        'Build/Build:action.not-settled',
        [
          '111111111111/us-east-1/codepipeline/orders-api.json#/pipeline/stages/1/actions/0/configuration/ProjectName (not readable)',
        ],
      ],
    ]);
  });

  it('keeps the action when only a detail (its namespace) cannot be read', () => {
    const report = analyze((p) => (deploy(p)['namespace'] = 5));
    expect(report.problems.map((x) => x.pointer)).toEqual([`${DEPLOY}/namespace`]);
    const mine = only(report).links.filter((l) => l.stage === 'DeployProd');
    expect(mine.length).toBeGreaterThan(1);
    expect(mine.every((l) => l.decision === 'Allowed')).toBe(true);
  });
});

describe('an artifact key or pipeline role that cannot be read', () => {
  /** The key policy denies the pipeline role kms:GenerateDataKey*: a real denial. */
  const denyPipelineRole = (dir: string): void =>
    editJson(dir, KEY_FILE, (d) => {
      const policy = JSON.parse(d['Policy'] as string) as Json;
      policy['Statement'].push({
        Sid: 'DenyPipeline',
        Effect: 'Deny',
        Principal: { AWS: PIPELINE_ROLE },
        Action: 'kms:GenerateDataKey*',
        Resource: '*',
      });
      d['Policy'] = JSON.stringify(policy);
    });
  const kmsLinks = (p: ReportPipeline): ReportLink[] =>
    p.links.filter(
      (l) => l.requirement.startsWith('artifacts.') && l.permission.startsWith('kms:'),
    );

  it('sees the key policy deny with the key as written', () => {
    const p = only(analyze(() => {}, denyPipelineRole));
    expect(p.verdict).toBe('fail');
    expect(kmsLinks(p).some((l) => l.decision === 'ExplicitlyDenied')).toBe(true);
  });

  const keyCases: [string, (p: Json) => void, string][] = [
    [
      'an encryptionKey that is a string',
      (p) => (p['artifactStore']['encryptionKey'] = p['artifactStore']['encryptionKey']['id']),
      '/pipeline/artifactStore/encryptionKey',
    ],
    [
      'an encryptionKey id that is not a string',
      (p) => (p['artifactStore']['encryptionKey']['id'] = 5),
      '/pipeline/artifactStore/encryptionKey/id',
    ],
    [
      'an encryptionKey without id',
      (p) => delete p['artifactStore']['encryptionKey']['id'],
      '/pipeline/artifactStore/encryptionKey',
    ],
    [
      'a per-region artifactStores entry whose encryptionKey is a string',
      (p) => {
        const store = p['artifactStore'] as Json;
        store['encryptionKey'] = [store['encryptionKey']['id']];
        delete p['artifactStore'];
        p['artifactStores'] = { 'us-east-1': store };
      },
      '/pipeline/artifactStores/us-east-1/encryptionKey',
    ],
  ];
  for (const [what, edit, pointer] of keyCases) {
    it(`makes the key unknown, never aws/s3, for ${what}`, () => {
      const report = analyze(edit, denyPipelineRole);
      const p = only(report);
      expect(report.problems.map((x) => `${x.file}#${x.pointer}`)).toContain(`${PIPE}#${pointer}`);
      const kms = kmsLinks(p);
      expect(kms.length).toBeGreaterThan(0);
      for (const l of kms) expect(l.resource, l.id).not.toContain('alias/aws/s3');
      // the links on the store key (not those on the CodeBuild project's own key) are unknown
      const onStoreKey = p.links.filter((l) => l.resource.includes(':unresolved:key/'));
      expect(onStoreKey.map((l) => l.id)).toContain(
        'Source/Source:artifacts.output.kms-generate-data-key:kms:GenerateDataKey',
      );
      for (const l of onStoreKey) {
        expect(l.decision, l.id).toBe('Unknown');
        expect(l.missing, l.id).toEqual([`${PIPE}#${pointer} (not readable)`]);
      }
      expect(p.verdict).toBe('unknown');
    });
  }

  it('leaves the store unknown, not absent, for a per-region artifactStores entry that is not an object', () => {
    const report = analyze((p) => {
      delete p['artifactStore'];
      p['artifactStores'] = { 'us-east-1': 'orders-artifacts' };
    });
    expect(report.problems.map((x) => `${x.file}#${x.pointer}`)).toEqual([
      `${PIPE}#/pipeline/artifactStores/us-east-1`,
    ]);
    const p = only(report);
    const kms = p.links.filter(
      (l) => l.id === 'Source/Source:artifacts.output.kms-generate-data-key:kms:GenerateDataKey',
    );
    expect(kms.map((l) => [l.decision, l.missing])).toEqual([
      ['Unknown', [`${PIPE}#/pipeline/artifactStores`]],
    ]);
    expect(p.verdict).toBe('unknown');
  });

  it('makes the links of a pipeline role of the wrong type Unknown, naming the pointer', () => {
    const report = analyze((p) => (p['roleArn'] = { 'Fn::GetAtt': ['Role', 'Arn'] }));
    const p = only(report);
    expect(p.verdict).toBe('unknown');
    const before = only(analyze(() => {})).links.filter((l) => l.principal === PIPELINE_ROLE);
    expect(before.length).toBeGreaterThan(0);
    // every link the pipeline role made is still there, unknown, naming the pointer
    const ids = new Set(before.map((l) => l.id));
    const now = p.links.filter((l) => ids.has(l.id));
    expect(now).toHaveLength(before.length);
    for (const l of now) {
      expect(l.decision, l.id).toBe('Unknown');
      expect(l.missing, l.id).toContain(`${PIPE}#/pipeline/roleArn (not readable)`);
    }
  });
});

describe('stages and actions that cannot be read', () => {
  const stageCases: [string, (p: Json) => void, string, string][] = [
    ['has no actions', (p) => delete p['stages'][2]['actions'], '/pipeline/stages/2', 'missing'],
    [
      'has null actions',
      (p) => (p['stages'][2]['actions'] = null),
      '/pipeline/stages/2',
      'missing',
    ],
    [
      'has actions that are not a list',
      (p) => (p['stages'][2]['actions'] = { name: 'DeployStack' }),
      '/pipeline/stages/2/actions',
      'not readable',
    ],
  ];
  for (const [what, edit, problemAt, why] of stageCases) {
    it(`keeps a stage that ${what} as one Unknown link, with an input error`, () => {
      const report = analyze(edit);
      const p = only(report);
      expect(report.problems.map((x) => `${x.severity} ${x.file}#${x.pointer} ${x.id}`)).toEqual([
        `error ${PIPE}#${problemAt} snapshot.shape.invalid`,
      ]);
      expect(exitCodeFor(report, 'denied')).toBe(2);
      expect(p.verdict).toBe('unknown');
      expect(
        p.links.filter((l) => l.stage === 'DeployProd').map((l) => [l.id, l.decision, l.missing]),
      ).toEqual([
        [
          'DeployProd/(actions):action.not-settled',
          'Unknown',
          [`${PIPE}#/pipeline/stages/2/actions (${why})`],
        ],
      ]);
    });
  }

  it('reports `"stages": null` and keeps one Unknown link for the stages', () => {
    const report = analyze((p) => (p['stages'] = null));
    expect(report.problems.map((x) => `${x.file}#${x.pointer} ${x.message}`)).toEqual([
      `${PIPE}#/pipeline missing required key \`stages\``,
    ]);
    // the pipeline role's trust does not depend on the stages: it is still checked
    expect(only(report).links.map((l) => [l.id, l.decision, l.missing])).toEqual([
      ['(stages)/(actions):action.not-settled', 'Unknown', [`${PIPE}#/pipeline/stages (missing)`]],
      ['pipeline.assume-service-role:sts:AssumeRole', 'Allowed', undefined],
    ]);
  });

  it('keeps a stage that is not an object, and one without a name', () => {
    const report = analyze((p) => {
      p['stages'][2] = 'DeployProd';
      delete p['stages'][1]['name'];
    });
    const p = only(report);
    expect(report.problems.map((x) => x.pointer)).toEqual([
      '/pipeline/stages/1',
      '/pipeline/stages/2',
    ]);
    // the stage without a name keeps its actions under a stand-in name
    expect(p.links.some((l) => l.stage === '(stage 2)' && l.action === 'Build')).toBe(true);
    expect(p.links.filter((l) => l.stage === '(stage 3)').map((l) => [l.id, l.missing])).toEqual([
      ['(stage 3)/(actions):action.not-settled', [`${PIPE}#/pipeline/stages/2 (not readable)`]],
    ]);
    expect(p.verdict).toBe('unknown');
  });

  const actionCases: [string, (p: Json) => void, string, string][] = [
    ['is a string', (p) => (p['stages'][2]['actions'][0] = 'DeployStack'), '(action 1)', ''],
    ['has no name', (p) => delete deploy(p)['name'], '(action 1)', ''],
    ['has no actionTypeId', (p) => delete deploy(p)['actionTypeId'], 'DeployStack', ''],
    [
      'has an actionTypeId that is a string',
      (p) => (deploy(p)['actionTypeId'] = 'x'),
      'DeployStack',
      '/actionTypeId',
    ],
  ];
  for (const [what, edit, name, pointer] of actionCases) {
    it(`keeps an action that ${what} as one Unknown link`, () => {
      const report = analyze(edit);
      const p = only(report);
      expect(exitCodeFor(report, 'denied')).toBe(2);
      expect(
        p.links.filter((l) => l.stage === 'DeployProd').map((l) => [l.id, l.decision, l.missing]),
      ).toEqual([
        [
          `DeployProd/${name}:action.not-settled`,
          'Unknown',
          [`${PIPE}#${DEPLOY}${pointer} (not readable)`],
        ],
      ]);
    });
  }
});
