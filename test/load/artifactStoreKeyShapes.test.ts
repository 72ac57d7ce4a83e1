/**
 * An artifact store encryption key of a shape CodePipeline and CloudFormation reject (not an
 * object, an `Id` that is not text or empty, a `Type` that is not `KMS` or is missing:
 * https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_EncryptionKey.html,
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-codepipeline-pipeline-encryptionkey.html)
 * was read in a template as no key (the AWS-managed aws/s3 key) and in a snapshot as the key
 * its id names: the KMS links were decided on a guess. It is an input error at its pointer, and
 * the store's key is unknown, so its KMS links are Unknown naming that pointer.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { noManagedPolicies } from '../../src/load/managedPolicies.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import { displayPath, loadSingleTemplate } from '../../src/load/stacks.js';
import { mergeModels } from '../../src/load/templateMerge.js';
import type { ReportLink, ReportPipeline } from '../../src/report/types.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const TMP = mkdtempSync(join(tmpdir(), 'permchain-store-keys-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));
let serial = 0;

const GENERATE = 'Source/Source:artifacts.output.kms-generate-data-key:kms:GenerateDataKey';
const onPlaceholderKey = (p: ReportPipeline): ReportLink[] =>
  p.links.filter((l) => l.resource.includes(':unresolved:key/'));
const kmsLinks = (p: ReportPipeline): ReportLink[] =>
  p.links.filter((l) => l.permission.startsWith('kms:'));

/** The store key is unknown: its links are Unknown naming `missing`, none is on aws/s3. */
function expectUnknownStoreKey(p: ReportPipeline, missing: string): void {
  for (const l of kmsLinks(p)) expect(l.resource, l.id).not.toContain('alias/aws/s3');
  const links = onPlaceholderKey(p);
  expect(links.map((l) => l.id)).toContain(GENERATE);
  for (const l of links) {
    expect(l.decision, l.id).toBe('Unknown');
    expect(l.missing, l.id).toEqual([missing]);
  }
}

describe('a snapshot artifact store encryptionKey of the wrong shape', () => {
  const SCENARIO = 'fixtures/scenarios/pass-cross-account';
  const PIPE = '111111111111/us-east-1/codepipeline/orders-api.json';
  const KEY = '/pipeline/artifactStore/encryptionKey';

  function analyze(edit: (key: Json) => void) {
    const dir = join(TMP, `snapshot-${serial++}`);
    cpSync(SCENARIO, dir, { recursive: true });
    const path = join(dir, PIPE);
    const doc = JSON.parse(readFileSync(path, 'utf8')) as Json;
    edit(doc['pipeline']['artifactStore']['encryptionKey'] as Json);
    writeFileSync(path, JSON.stringify(doc, null, 2));
    const report = analyzeModel(loadSnapshot(dir));
    expect(report.pipelines).toHaveLength(1);
    return { report, pipeline: report.pipelines[0]! };
  }

  it('as written: the key is read and its links decided (the baseline)', () => {
    const { report, pipeline } = analyze(() => {});
    expect(report.problems).toEqual([]);
    expect(onPlaceholderKey(pipeline)).toEqual([]);
    const generate = pipeline.links.find((l) => l.id === GENERATE)!;
    expect([generate.resource, generate.decision]).toEqual([
      'arn:aws:kms:us-east-1:111111111111:key/7c1d9e4a-3b2f-4a6d-8e5c-1f0a9b8c7d6e',
      'Allowed',
    ]);
  });

  const cases: [string, (key: Json) => void, string, string][] = [
    ['a type that is not KMS', (k) => (k['type'] = 'kms'), `${KEY}/type`, 'expected `KMS`'],
    ['a type that is not a string', (k) => (k['type'] = 5), `${KEY}/type`, 'expected a string'],
    ['no type', (k) => delete k['type'], KEY, 'missing required key `type`'],
    ['an empty id', (k) => (k['id'] = ''), `${KEY}/id`, 'got an empty string'],
  ];
  for (const [what, edit, pointer, message] of cases) {
    it(`${what} is an input error, and the store key is unknown, not the key read anyway`, () => {
      const { report, pipeline } = analyze(edit);
      expect(report.problems.map((p) => [p.severity, p.file, p.pointer, p.id])).toEqual([
        ['error', PIPE, pointer, 'snapshot.shape.invalid'],
      ]);
      expect(report.problems[0]!.message).toContain(message);
      expectUnknownStoreKey(pipeline, `${PIPE}#${pointer} (not readable)`);
      expect(pipeline.verdict).toBe('unknown');
    });
  }
});

describe('a template artifact store EncryptionKey of the wrong shape', () => {
  const DEMO = readFileSync('fixtures/templates/demo-pipeline-v2.yaml', 'utf8');
  const STORE = [
    '      ArtifactStore:',
    '        Type: S3',
    '        Location: !Sub demo-artifacts-${AWS::AccountId}-${AWS::Region}',
    '        EncryptionKey:',
    '          Id: !Ref ArtifactKeyArn',
    '          Type: KMS',
    '',
  ].join('\n');
  const KEY_LINES =
    '        EncryptionKey:\n          Id: !Ref ArtifactKeyArn\n          Type: KMS\n';
  const PROPS = '/Resources/PipelineV2/Properties';
  const KEY = `${PROPS}/ArtifactStore/EncryptionKey`;

  /** The demo template with `from` replaced by `to`, laid over the demo snapshot. */
  function analyze(from: string, to: string) {
    expect(DEMO).toContain(from);
    const path = join(TMP, `template-${serial++}.yaml`);
    writeFileSync(path, DEMO.replace(from, to));
    const template = loadSingleTemplate(path, {
      account: '111111111111',
      region: 'us-east-1',
      managedPolicies: noManagedPolicies,
    });
    const model = mergeModels(loadSnapshot('fixtures/demo'), template.model);
    const report = analyzeModel(model, { pipelines: ['demo-app-v2'] });
    return {
      file: displayPath(path),
      errors: template.problems.filter((p) => p.severity === 'error'),
      pipeline: report.pipelines[0]!,
    };
  }

  it('as written: the key is read and its links decided (the baseline)', () => {
    const { errors, pipeline } = analyze('', '');
    expect(errors).toEqual([]);
    expect(onPlaceholderKey(pipeline)).toEqual([]);
    const generate = pipeline.links.find((l) => l.id === GENERATE)!;
    expect(generate.resource).toBe(
      'arn:aws:kms:us-east-1:111111111111:key/0b6e3a5c-4c1f-4d0a-9d47-6f2f3e1a9c10',
    );
    expect(generate.decision).not.toBe('Unknown');
  });

  const key = (...lines: string[]): string => lines.map((l) => `${l}\n`).join('');
  const cases: [string, string, string, number, string][] = [
    [
      'an EncryptionKey that is text, not an object',
      key('        EncryptionKey: !Ref ArtifactKeyArn'),
      KEY,
      22,
      '`EncryptionKey` must be an object `{ Id, Type: KMS }`, not a string',
    ],
    [
      'an Id that is a list',
      key('        EncryptionKey:', '          Id: [!Ref ArtifactKeyArn]', '          Type: KMS'),
      `${KEY}/Id`,
      23,
      '`Id` must be a key id, key ARN or alias ARN, not a list',
    ],
    [
      'an empty Id',
      key('        EncryptionKey:', "          Id: ''", '          Type: KMS'),
      `${KEY}/Id`,
      23,
      'not an empty string',
    ],
    [
      'a Type that is not KMS',
      key('        EncryptionKey:', '          Id: !Ref ArtifactKeyArn', '          Type: kms'),
      `${KEY}/Type`,
      24,
      '`Type` must be `KMS`, not `kms`',
    ],
    [
      'a Type left empty',
      key('        EncryptionKey:', '          Id: !Ref ArtifactKeyArn', '          Type:'),
      `${KEY}/Type`,
      24,
      'CloudFormation rejects null values',
    ],
    [
      'no Type',
      key('        EncryptionKey:', '          Id: !Ref ArtifactKeyArn'),
      KEY,
      22,
      '`EncryptionKey` has no `Type`',
    ],
  ];
  for (const [what, lines, pointer, line, message] of cases) {
    it(`${what} is a template error, and the store key is unknown, not aws/s3`, () => {
      const { file, errors, pipeline } = analyze(KEY_LINES, lines);
      expect(errors.map((p) => [p.file, p.pointer, p.id])).toEqual([
        [file, pointer, 'template.shape.invalid'],
      ]);
      expect(errors[0]!.message).toContain(message);
      // the links name the template line and the error
      expectUnknownStoreKey(pipeline, `${file}:${line} (${errors[0]!.message})`);
    });
  }

  it('an ArtifactStores entry whose EncryptionKey is text is a template error, its key unknown', () => {
    const stores = [
      '      ArtifactStores:',
      '        - Region: us-east-1',
      '          ArtifactStore:',
      '            Type: S3',
      '            Location: !Sub demo-artifacts-${AWS::AccountId}-${AWS::Region}',
      '            EncryptionKey: !Ref ArtifactKeyArn',
      '',
    ].join('\n');
    const { file, errors, pipeline } = analyze(STORE, stores);
    const pointer = `${PROPS}/ArtifactStores/0/ArtifactStore/EncryptionKey`;
    expect(errors.map((p) => [p.file, p.pointer, p.id])).toEqual([
      [file, pointer, 'template.shape.invalid'],
    ]);
    expectUnknownStoreKey(pipeline, `${file}:24 (${errors[0]!.message})`);
  });
});
