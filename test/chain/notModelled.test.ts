/**
 * An action whose provider is not in the requirement catalog (custom, third-party, or an AWS
 * provider permchain has no entries for) cannot be said to pass: its artifact links are checked,
 * and one Unknown link says that what the provider calls is not.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';

const PIPELINE = '111111111111/us-east-1/codepipeline/demo-app.json';

function demoWithBuildProvider(owner: string, provider: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'permchain-not-modelled-'));
  cpSync('fixtures/demo', dir, { recursive: true });
  const file = join(dir, PIPELINE);
  const doc = JSON.parse(readFileSync(file, 'utf8')) as {
    pipeline: { stages: { actions: { actionTypeId: Record<string, string> }[] }[] };
  };
  doc.pipeline.stages[1]!.actions[0]!.actionTypeId['owner'] = owner;
  doc.pipeline.stages[1]!.actions[0]!.actionTypeId['provider'] = provider;
  writeFileSync(file, JSON.stringify(doc));
  return dir;
}

describe('providers the catalog does not know', () => {
  it('give one Unknown link for the action; its artifact links are still checked', () => {
    const pipeline = analyzeModel(loadSnapshot(demoWithBuildProvider('Custom', 'Jenkins')))
      .pipelines[0]!;
    const build = pipeline.links.filter((l) => l.stage === 'Build');
    const unknown = build.filter((l) => l.decision === 'Unknown');
    expect(unknown.map((l) => [l.id, l.level, l.principal, l.permission])).toEqual([
      [
        'Build/Build:action.provider-not-modelled',
        'required',
        'arn:aws:iam::111111111111:role/service-role/demo-pipeline-role',
        '*',
      ],
    ]);
    expect(unknown[0]!.why).toBe(
      "`Build/Build` (Jenkins): the provider `Custom/Jenkins` (Build) is not in permchain's requirement catalog, so what it calls is not checked (its artifact links are)",
    );
    // the artifact links of the action are there and decided
    expect(
      build.some((l) => l.requirement.startsWith('artifacts.') && l.decision === 'Allowed'),
    ).toBe(true);
  });

  it('the GitHub version 1 source (owner ThirdParty) calls nothing of its own: only its artifact links', () => {
    // it reads the repository with the OAuth token of its configuration
    // (https://docs.aws.amazon.com/codepipeline/latest/userguide/appendix-github-oauth.html)
    const dir = mkdtempSync(join(tmpdir(), 'permchain-github-v1-'));
    cpSync('fixtures/demo', dir, { recursive: true });
    const file = join(dir, PIPELINE);
    const doc = JSON.parse(readFileSync(file, 'utf8')) as {
      pipeline: { stages: { actions: Record<string, unknown>[] }[] };
    };
    const source = doc.pipeline.stages[0]!.actions[0]!;
    source['actionTypeId'] = {
      category: 'Source',
      owner: 'ThirdParty',
      provider: 'GitHub',
      version: '1',
    };
    source['configuration'] = {
      Owner: 'example-org',
      Repo: 'demo-app',
      Branch: 'main',
      OAuthToken: '****',
      PollForSourceChanges: 'false',
    };
    writeFileSync(file, JSON.stringify(doc));
    const links = analyzeModel(loadSnapshot(dir)).pipelines[0]!.links.filter(
      (l) => l.stage === 'Source',
    );
    expect(links.map((l) => l.requirement)).not.toContain('action.provider-not-modelled');
    expect(links.length).toBeGreaterThan(0);
    expect(links.every((l) => l.requirement.startsWith('artifacts.'))).toBe(true);
    // another version of it is another action type: not modelled
    source['actionTypeId'] = {
      category: 'Source',
      owner: 'ThirdParty',
      provider: 'GitHub',
      version: '2',
    };
    writeFileSync(file, JSON.stringify(doc));
    expect(
      analyzeModel(loadSnapshot(dir))
        .pipelines[0]!.links.filter((l) => l.stage === 'Source')
        .map((l) => l.requirement),
    ).toContain('action.provider-not-modelled');
  });

  it('no such link for providers the catalog has (the demo uses three)', () => {
    const pipeline = analyzeModel(loadSnapshot('fixtures/demo')).pipelines[0]!;
    expect(pipeline.links.filter((l) => l.requirement === 'action.provider-not-modelled')).toEqual(
      [],
    );
  });
});

describe('a Lambda function whose role the input does not give', () => {
  it('leaves the function role links Unknown, naming Configuration.Role of its file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'permchain-lambda-role-'));
    cpSync('fixtures/scenarios/pass-with-lambda-invoke', dir, { recursive: true });
    const file = join(dir, '111111111111/us-east-1/lambda/orders-api-smoke-test.json');
    const doc = JSON.parse(readFileSync(file, 'utf8')) as {
      Configuration: Record<string, unknown>;
    };
    delete doc.Configuration['Role'];
    writeFileSync(file, JSON.stringify(doc));
    const links = analyzeModel(loadSnapshot(dir)).pipelines[0]!.links.filter(
      (l) =>
        l.requirement === 'lambda.put-job-result' ||
        l.requirement === 'lambda.assume-function-role',
    );
    expect(links.length).toBeGreaterThan(0);
    for (const l of links) {
      expect(l.decision, l.id).toBe('Unknown');
      expect(l.missing, l.id).toEqual([
        '111111111111/us-east-1/lambda/orders-api-smoke-test.json#/Configuration/Role',
      ]);
    }
  });
});

describe('an artifact no settled action produces', () => {
  it('has an unknown key: the unsettled action may be a CodeBuild action with a key of its own', () => {
    const dir = mkdtempSync(join(tmpdir(), 'permchain-unsettled-producer-'));
    cpSync('fixtures/demo', dir, { recursive: true });
    const file = join(dir, PIPELINE);
    const doc = JSON.parse(readFileSync(file, 'utf8')) as {
      pipeline: { stages: { actions: Record<string, unknown>[] }[] };
    };
    // the Build action (producer of BuildOutput) cannot be read
    doc.pipeline.stages[1]!.actions[0]!['configuration'] = 'not an object';
    writeFileSync(file, JSON.stringify(doc));
    const links = analyzeModel(loadSnapshot(dir)).pipelines[0]!.links;
    const decrypt = links.filter((l) => l.stage === 'DeployProd' && l.permission === 'kms:Decrypt');
    expect(decrypt.map((l) => [l.decision, l.resource, l.missing])).toEqual([
      [
        'Unknown',
        'the key of artifact `BuildOutput`',
        [
          '111111111111/us-east-1/codepipeline/demo-app.json#/pipeline/stages/1/actions/0/configuration (not readable)',
        ],
      ],
    ]);
  });

  it('a Custom action type named like an AWS provider is not that provider', () => {
    // the catalog's providers are AWS's (owner AWS); a custom `CodeBuild` is something else
    const pipeline = analyzeModel(loadSnapshot(demoWithBuildProvider('Custom', 'CodeBuild')))
      .pipelines[0]!;
    const build = pipeline.links.filter((l) => l.stage === 'Build');
    expect(build.map((l) => l.requirement)).toContain('action.provider-not-modelled');
    expect(build.some((l) => l.requirement.startsWith('codebuild'))).toBe(false);
    const aws = analyzeModel(loadSnapshot(demoWithBuildProvider('AWS', 'CodeBuild'))).pipelines[0]!;
    const awsBuild = aws.links.filter((l) => l.stage === 'Build');
    expect(awsBuild.map((l) => l.requirement)).not.toContain('action.provider-not-modelled');
    expect(awsBuild.some((l) => l.requirement.startsWith('codebuild'))).toBe(true);
  });
});
