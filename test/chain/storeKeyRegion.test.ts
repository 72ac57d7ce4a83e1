/**
 * An artifact store that names its key by the ARN of a key of another region: the artifacts
 * cannot be encrypted or decrypted with it, whatever the policies say ("You must create the
 * artifact bucket and encryption key in the same AWS Region",
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/actions-create-cross-region.html).
 * The corpus case is the CodePipeline user guide's cross-account walkthrough
 * (../shared/corpus/awsdocs-codepipeline-user-guide, SOURCES.md §10 "deny (region)"): its bucket
 * is `codepipeline-us-east-2-…`, its key `arn:aws:kms:us-east-1:…`. The key links were Allowed.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import type { ReportPipeline } from '../../src/report/types.js';
import { editJson, inScenarioCopy, type Json } from './scenarioCopy.js';

const KEY = '7c1d9e4a-3b2f-4a6d-8e5c-1f0a9b8c7d6e';

/** pass-cross-account with its artifact store key moved to `region` (the store stays in us-east-1). */
function withStoreKeyIn(region: string): ReportPipeline {
  return inScenarioCopy('fixtures/scenarios/pass-cross-account', (dir) => {
    const acct = join(dir, '111111111111');
    const arn = `arn:aws:kms:${region}:111111111111:key/${KEY}`;
    if (region !== 'us-east-1') {
      mkdirSync(join(acct, region, 'kms'), { recursive: true });
      // a copy: the CodeBuild project still names the key of us-east-1 for its outputs
      copyFileSync(
        join(acct, 'us-east-1/kms', `${KEY}.json`),
        join(acct, region, 'kms', `${KEY}.json`),
      );
      editJson(join(acct, region, 'kms', `${KEY}.json`), (k) => {
        (k['KeyMetadata'] as Json)['Arn'] = arn;
      });
    }
    editJson(join(acct, 'us-east-1/codepipeline/orders-api.json'), (d) => {
      const store = (d['pipeline'] as Json)['artifactStore'] as Json;
      (store['encryptionKey'] as Json)['id'] = arn;
    });
    return analyzeModel(loadSnapshot(dir)).pipelines[0]!;
  });
}

describe('an artifact store key of another region', () => {
  it('fails every link on the key, naming the regions and the fix (was Allowed: the pipeline passed)', () => {
    const p = withStoreKeyIn('eu-west-1');
    expect(p.verdict).toBe('fail');
    const keyArn = `arn:aws:kms:eu-west-1:111111111111:key/${KEY}`;
    const onKey = p.links.filter((l) => l.resource === keyArn);
    expect(onKey.length).toBeGreaterThan(0);
    for (const l of onKey) {
      expect(l.decision).toBe('ImplicitlyDenied');
      // the configuration decides, not a policy
      expect(l.deniedBy).toEqual([]);
      expect(l.why).toContain(
        `the artifact store of \`us-east-1\` names its key \`${keyArn}\`, a key of \`eu-west-1\``,
      );
      expect(l.fix).toBe(
        `set \`encryptionKey.id\` of the artifact store of pipeline \`orders-api\` in \`us-east-1\` to the ARN of a key of \`us-east-1\` (a key created there, or the replica there of a multi-Region key) in place of \`${keyArn}\``,
      );
    }
    // the source's upload (pipeline role; a multipart upload decrypts too) and the build's
    // download (project role)
    expect(onKey.map((l) => l.id).sort()).toEqual([
      'Build/Build:codebuild-project.input-kms-decrypt:kms:Decrypt',
      'Source/Source:artifacts.output.kms-generate-data-key:kms:GenerateDataKey',
      'Source/Source:artifacts.output.multipart-kms-decrypt:kms:Decrypt',
    ]);
  });

  it('a key ARN of the store region stays as it was (control)', () => {
    expect(withStoreKeyIn('us-east-1').verdict).toBe('pass');
  });
});
