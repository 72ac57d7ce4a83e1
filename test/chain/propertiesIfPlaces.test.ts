/**
 * A template resource whose `Properties` is an `Fn::If` on a known condition is read from the
 * chosen branch (`/Resources/Project/Properties/Fn::If/1`), but the messages that name one of its
 * properties (a CodeBuild project's S3 logs, buildspec or secondary sources, a pipeline's role or
 * artifact stores, a task definition's roles) were built as `<resource>/Properties/...`, which
 * the template does not write. They now name the property in the branch read.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { s3LogsOf } from '../../src/chain/actionFacts.js';
import { analyzeModel } from '../../src/chain/analyze.js';
import { noManagedPolicies } from '../../src/load/managedPolicies.js';
import { loadSingleTemplate } from '../../src/load/stacks.js';
import type { Model } from '../../src/model/types.js';

const PROJECT = [
  '        Name: p',
  '        ServiceRole: arn:aws:iam::111111111111:role/b',
  '        Artifacts: { Type: CODEPIPELINE }',
  '        Source: { Type: CODEPIPELINE }',
  '        Environment: { Type: LINUX_CONTAINER, Image: aws/codebuild/standard:7.0, ComputeType: BUILD_GENERAL1_SMALL }',
  '        LogsConfig: { S3Logs: { Location: logs-bucket } }',
];

function load(properties: readonly string[], extra: readonly string[] = []): Model {
  const dir = mkdtempSync(join(tmpdir(), 'permchain-ifplaces-'));
  try {
    const text = [
      'Conditions:',
      '  Chosen: !Equals [a, a]',
      'Resources:',
      '  Project:',
      '    Type: AWS::CodeBuild::Project',
      ...properties,
      ...extra,
    ].join('\n');
    writeFileSync(join(dir, 't.yaml'), text);
    return loadSingleTemplate(join(dir, 't.yaml'), {
      account: '111111111111',
      region: 'us-east-1',
      managedPolicies: noManagedPolicies,
    }).model;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const project = (m: Model) =>
  m.accounts.get('111111111111')!.regions.get('us-east-1')!.codebuild!.projects.get('p')!;

describe('a property of a resource whose Properties an Fn::If chooses', () => {
  it('the S3 logs with no status are named in the branch read', () => {
    const m = load(['    Properties: !If', '      - Chosen', '      - ', ...PROJECT, '      - {}']);
    const p = project(m);
    expect(p.location.properties).toBe('/Resources/Project/Properties/Fn::If/1');
    expect(s3LogsOf(p).s3LogsUnknown).toMatch(
      /have no status \(.*t\.yaml#\/Resources\/Project\/Properties\/Fn::If\/1\/LogsConfig\/S3Logs\)$/,
    );
  });

  it('written as usual, the place is `<resource>/Properties/...` and the location has no more', () => {
    const m = load(['    Properties:', ...PROJECT.map((l) => l.slice(2))]);
    const p = project(m);
    expect(p.location.properties).toBeUndefined();
    expect(s3LogsOf(p).s3LogsUnknown).toMatch(
      /t\.yaml#\/Resources\/Project\/Properties\/LogsConfig\/S3Logs\)$/,
    );
  });

  it('a pipeline without RoleArn names it in the branch read', () => {
    const m = load(
      ['    Properties:', ...PROJECT.map((l) => l.slice(2))],
      [
        '  Pipeline:',
        '    Type: AWS::CodePipeline::Pipeline',
        '    Properties: !If',
        '      - Chosen',
        '      - ArtifactStore: { Type: S3, Location: art }',
        '        Stages:',
        '          - Name: Source',
        '            Actions:',
        '              - Name: S',
        '                ActionTypeId: { Category: Source, Owner: AWS, Provider: S3, Version: "1" }',
        '                Configuration: { S3Bucket: src, S3ObjectKey: k.zip }',
        '                OutputArtifacts: [{ Name: Out }]',
        '          - Name: Build',
        '            Actions:',
        '              - Name: B',
        '                ActionTypeId: { Category: Build, Owner: AWS, Provider: CodeBuild, Version: "1" }',
        '                Configuration: { ProjectName: p }',
        '                InputArtifacts: [{ Name: Out }]',
        '      - !Ref AWS::NoValue',
      ],
    );
    const text = JSON.stringify(analyzeModel(m).pipelines[0]!.links);
    expect(text).toContain('#/Resources/Pipeline/Properties/Fn::If/1/RoleArn');
    expect(text).not.toContain('#/Resources/Pipeline/Properties/RoleArn');
  });
});
