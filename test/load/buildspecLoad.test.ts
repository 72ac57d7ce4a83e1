/**
 * The loaders keep a project's primary source `buildspec`: a file name or S3 ARN as given, an
 * inline buildspec reduced to its `version` and `env.parameter-store` / `env.secrets-manager`
 * maps (src/model/buildspec.ts), and a placeholder recorded in `model.unresolved` where the input
 * does not settle it or it cannot be read
 * (https://docs.aws.amazon.com/codebuild/latest/APIReference/API_ProjectSource.html).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSnapshot } from '../../src/load/snapshot.js';
import { loadSingleTemplate } from '../../src/load/stacks.js';
import { PLACEHOLDER_PATTERN } from '../../src/model/placeholders.js';
import type { CodeBuildSourceModel, Model } from '../../src/model/types.js';

const A = '111111111111';

describe('snapshot loader', () => {
  it('keeps an inline buildspec reduced: its env.variables values and commands are gone', () => {
    const model = loadSnapshot(join(import.meta.dirname, 'fixtures', 'two-account'));
    const project = model.accounts
      .get(A)!
      .regions.get('us-east-1')!
      .codebuild!.projects.get('app-build')!;
    // the fixture's buildspec is `version: 0.2` with a secret in env.variables
    expect(project.source!.buildspec).toBe('{"version":"0.2","env":{}}');
  });
});

function templateSources(buildSpecs: string[]): { sources: CodeBuildSourceModel[]; model: Model } {
  const dir = mkdtempSync(join(tmpdir(), 'permchain-buildspec-load-'));
  try {
    const resources = buildSpecs
      .map(
        (spec, i) => `  P${i}:
    Type: AWS::CodeBuild::Project
    Properties:
      Name: p${i}
      ServiceRole: arn:aws:iam::${A}:role/build
      Artifacts: { Type: NO_ARTIFACTS }
      Source:
        Type: NO_SOURCE
${spec}
      Environment: { Type: LINUX_CONTAINER, Image: aws/codebuild/standard:7.0, ComputeType: BUILD_GENERAL1_SMALL }
`,
      )
      .join('');
    const file = join(dir, 't.yaml');
    writeFileSync(
      file,
      `Parameters:
  Spec:
    Type: String
Conditions:
  Big: !Equals [!Ref Spec, big]
Resources:
${resources}`,
    );
    const { model } = loadSingleTemplate(file, { account: A, region: 'us-east-1' });
    const projects = model.accounts.get(A)!.regions.get('us-east-1')!.codebuild!.projects;
    return {
      sources: buildSpecs.map((_, i) => projects.get(`p${i}`)!.source!),
      model,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('template loader', () => {
  it('keeps a file name, reduces inline text, and makes a placeholder of what it does not settle', () => {
    const { sources, model } = templateSources([
      '        BuildSpec: ci/buildspec.yml',
      '        BuildSpec: "version: 0.2\\nenv:\\n  variables: {K: hunter2}\\n  parameter-store: {DB: /app/db}\\n"',
      '        BuildSpec: !If [Big, "version: 0.2", ci/buildspec.yml]',
      '        BuildSpec: "version: 0.2\\nenv: ["',
      '',
    ]);
    expect(sources[0]!.buildspec).toBe('ci/buildspec.yml');
    expect(sources[1]!.buildspec).toBe(
      '{"version":"0.2","env":{"parameter-store":{"DB":"/app/db"}}}',
    );
    expect(sources[4]!.buildspec).toBeUndefined();
    // each a placeholder naming what would settle it: the condition, or the BuildSpec itself
    const where = [sources[2]!, sources[3]!].map((open) => {
      const placeholder = PLACEHOLDER_PATTERN.exec(open.buildspec ?? '')?.[0];
      expect(placeholder).toBe(open.buildspec);
      return model.unresolved!.get(placeholder!)!.location.pointer;
    });
    expect(where).toEqual([
      '/Conditions/Big/Fn::Equals/0/Ref',
      '/Resources/P3/Properties/Source/BuildSpec',
    ]);
    expect(model.unresolved!.get(sources[3]!.buildspec!)!.reason).toMatch(
      /^the inline buildspec cannot be read \(it is not YAML/,
    );
    expect(JSON.stringify([...model.unresolved!.values()])).not.toContain('hunter2');
  });
});
