/**
 * A setting only known at run time (a CodePipeline variable, https://docs.aws.amazon.com/codepipeline/latest/userguide/reference-variables.html)
 * that decides which resources a link names leaves those links Unknown, never compared as text.
 * Each case edits the all-providers scenario's `platform-legacy` docs deploy (S3, Extract true,
 * ObjectKey `docs`).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import { inScenarioCopy } from './scenarioCopy.js';

const SCENARIO = 'fixtures/scenarios/all-providers';
const PIPELINE = '111111111111/us-east-1/codepipeline/platform-legacy.json';

function putObjectLinks(extract: string): string[] {
  return inScenarioCopy(SCENARIO, (dir) => {
    const file = join(dir, PIPELINE);
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(
        '"Extract": "true"',
        `"Extract": ${JSON.stringify(extract)}`,
      ),
    );
    const p = analyzeModel(loadSnapshot(dir), { pipelines: ['platform-legacy'] }).pipelines[0]!;
    return p.links
      .filter((l) => l.action === 'PublishDocs' && l.permission === 's3:PutObject')
      .map((l) => `${l.decision} ${l.resource}`);
  });
}

describe('an S3 deploy whose Extract is a CodePipeline variable', () => {
  it('writes keys that are not known: Unknown, not the literal comparison', () => {
    expect(putObjectLinks('true')).toEqual([
      'Allowed arn:aws:s3:::platform-docs-111111111111/docs/*',
    ]);
    const unknown = putObjectLinks('#{variables.Extract}');
    expect(unknown).toHaveLength(1);
    expect(unknown[0]).toMatch(/^Unknown /);
  });
});

describe('a source action whose OutputArtifactFormat is a CodePipeline variable', () => {
  it('may hand the build a clone ref: the clone links are Unknown, not dropped', () => {
    const clone = (format: string): string[] => {
      return inScenarioCopy(SCENARIO, (dir) => {
        const file = join(dir, '111111111111/us-east-1/codepipeline/platform-web.json');
        writeFileSync(
          file,
          readFileSync(file, 'utf8').replaceAll(
            '"OutputArtifactFormat": "CODEBUILD_CLONE_REF"',
            `"OutputArtifactFormat": ${JSON.stringify(format)}`,
          ),
        );
        const p = analyzeModel(loadSnapshot(dir), { pipelines: ['platform-web'] }).pipelines[0]!;
        return p.links
          .filter((l) => l.requirement.includes('clone'))
          .map((l) => `${l.permission} ${l.decision}`);
      });
    };
    const settled = clone('CODEBUILD_CLONE_REF');
    expect(settled).toContain('codecommit:GitPull Allowed');
    const unsettled = clone('#{variables.Format}');
    expect(unsettled.length).toBeGreaterThan(0);
    expect(unsettled.filter((l) => !l.endsWith(' Unknown'))).toEqual([]);
    expect(clone('CODE_ZIP')).toEqual([]);
  });
});
