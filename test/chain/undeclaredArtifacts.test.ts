/**
 * A CodeBuild action with an output artifact whose project's inline buildspec is known and has no
 * `artifacts` section may upload nothing, which AWS does not document
 * (https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html#build-spec.artifacts):
 * the upload links (codebuild-project.output-put-object, codebuild-project.output-kms-generate-data-key)
 * are presumed, so only an allow is certain, and a denial is Unknown naming the buildspec's place.
 * A buildspec that is a file of the source, or one the input does not settle, stays as before.
 * The corpus case is ADF's `aws-deployment-framework-base` (SOURCES.md §2, "verify").
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { expandAction, getCatalog } from '../../src/chain/catalog.js';
import { noManagedPolicies } from '../../src/load/managedPolicies.js';
import { loadStacksFile } from '../../src/load/stacks.js';
import {
  REDACTION_MARKER,
  buildspecDeclaresArtifacts,
  reduceBuildspec,
} from '../../src/model/buildspec.js';
import { buildFacts } from './codebuildProjects.js';

const PHASES = 'version: 0.2\nphases:\n  build:\n    commands:\n      - make\n';

describe('whether an inline buildspec has an artifacts section', () => {
  it('is read from the buildspec and kept by its reduction (not its content)', () => {
    expect(buildspecDeclaresArtifacts(PHASES)).toBe(false);
    const withArtifacts = `${PHASES}artifacts:\n  files:\n    - out/secret-name.zip\n`;
    expect(buildspecDeclaresArtifacts(withArtifacts)).toBe(true);
    expect(reduceBuildspec(PHASES, REDACTION_MARKER)).toBe('{"version":"0.2","artifacts":false}');
    expect(reduceBuildspec(withArtifacts, REDACTION_MARKER)).toBe(
      '{"version":"0.2","artifacts":true}',
    );
    // a reduced buildspec says so itself, and reduces to the same
    for (const text of [PHASES, withArtifacts]) {
      const reduced = reduceBuildspec(text, REDACTION_MARKER)!;
      expect(buildspecDeclaresArtifacts(reduced)).toBe(buildspecDeclaresArtifacts(text));
      expect(reduceBuildspec(reduced, REDACTION_MARKER)).toBe(reduced);
    }
  });

  it('is not known for a reduced buildspec that does not say (no phases) or text that cannot be read', () => {
    expect(buildspecDeclaresArtifacts('{"version":"0.2","env":{}}')).toBeUndefined();
    expect(buildspecDeclaresArtifacts('a: [')).toBeUndefined();
  });
});

describe('the upload links of a project whose buildspec declares no artifacts', () => {
  const presumedOf = (undeclared: string | undefined): Record<string, string | undefined> => {
    const f = {
      ...buildFacts({
        serviceRoleArn: 'arn:aws:iam::111111111111:role/build',
        encryptionKeyArn: 'arn:aws:kms:us-east-1:111111111111:key/k',
        ...(undeclared !== undefined ? { undeclaredArtifacts: undeclared } : {}),
      }),
      outputArtifacts: ['Out'],
      artifactStore: { bucket: 'artifacts' },
    };
    const out: Record<string, string | undefined> = {};
    for (const l of expandAction(getCatalog(), f).links)
      if (
        l.requirementId === 'codebuild-project.output-put-object' ||
        l.requirementId === 'codebuild-project.output-kms-generate-data-key'
      )
        out[l.requirementId] = l.presumed;
    return out;
  };

  it('are presumed (only an allow is certain), naming the buildspec', () => {
    expect(presumedOf(undefined)).toEqual({
      'codebuild-project.output-kms-generate-data-key': undefined,
      'codebuild-project.output-put-object': undefined,
    });
    expect(presumedOf('an upload by project p (t.yaml#/x)')).toEqual({
      'codebuild-project.output-kms-generate-data-key': 'an upload by project p (t.yaml#/x)',
      'codebuild-project.output-put-object': 'an upload by project p (t.yaml#/x)',
    });
  });
});

const CORPUS = '../shared/corpus';

describe.skipIf(!existsSync(`${CORPUS}/SOURCES.md`))('corpus: ADF', () => {
  it('the upload of aws-deployment-framework-base, whose buildspec has no artifacts section, is Unknown, not denied', () => {
    const { model } = loadStacksFile('fixtures/stacks/adf/stacks.yaml', {
      managedPolicies: noManagedPolicies,
    });
    const links = analyzeModel(model).pipelines.flatMap((p) => p.links);
    const put = links.filter((l) => l.requirement === 'codebuild-project.output-put-object');
    expect(put.map((l) => `${l.action} ${l.decision}`)).toEqual(['CreateOrUpdate Unknown']);
    expect(put[0]!.why).toContain(
      'adf/deployment/global.yml#/Resources/CodeBuildProject/Properties/Source/BuildSpec) has no artifacts section',
    );
    // an allowed upload stays allowed
    const kms = links.filter(
      (l) => l.requirement === 'codebuild-project.output-kms-generate-data-key',
    );
    expect(kms.map((l) => `${l.action} ${l.decision}`)).toEqual(['CreateOrUpdate Allowed']);
  });
});
