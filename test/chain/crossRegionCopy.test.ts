/**
 * An action in another region than the producer of its input reads a copy CodePipeline makes in
 * the artifact store of the action's region, with the pipeline role: it reads (and decrypts) the
 * artifact in the producer region and writes (and encrypts) it in the action's
 * (https://docs.aws.amazon.com/codepipeline/latest/userguide/actions-create-cross-region.html).
 * The all-providers scenario's `platform-legacy` pipeline recreates its canary stack in us-west-2
 * from the us-east-1 S3 source output `BundleSource`.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import { editJson, inScenarioCopy, type Json } from './scenarioCopy.js';

const SCENARIO = 'fixtures/scenarios/all-providers';
const T = '111111111111';
const PIPELINE = `${T}/us-east-1/codepipeline/platform-legacy.json`;
const EAST = `platform-artifacts-${T}-us-east-1`;
const WEST = `platform-artifacts-${T}-us-west-2`;
const EAST_KEY = `arn:aws:kms:us-east-1:${T}:key/9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d`;
const WEST_KEY = `arn:aws:kms:us-west-2:${T}:key/8f6e4d2c-0a1b-4c3d-9e5f-7a8b9c0d1e2f`;

/** The copy links of the canary action, as `permission decision resource`, after `edit`. */
function copyLinks(edit: (dir: string) => void = () => {}): {
  text: string[];
  missing: string[];
} {
  return inScenarioCopy(SCENARIO, (dir) => {
    edit(dir);
    const p = analyzeModel(loadSnapshot(dir), { pipelines: ['platform-legacy'] }).pipelines[0]!;
    const links = p.links.filter(
      (l) => l.action === 'RecreateCanary' && l.requirement.startsWith('artifacts.replicate'),
    );
    return {
      text: links.map((l) => `${l.permission} ${l.decision} ${l.resource}`),
      missing: links.flatMap((l) => l.missing ?? []),
    };
  });
}

/** Take the pipeline role's statement `sid` out. */
function dropStatement(dir: string, sid: string): void {
  editJson(join(dir, `${T}/iam.json`), (iam) => {
    for (const role of iam['RoleDetailList'] as Json[]) {
      if (role['RoleName'] !== 'platform-pipeline-role') continue;
      const d = (role['RolePolicyList'] as Json[])[0]!['PolicyDocument'] as { Statement: Json[] };
      d.Statement = d.Statement.filter((s) => s['Sid'] !== sid);
    }
  });
}

function stages(doc: Json): { name: string; actions: Json[] }[] {
  return (doc['pipeline'] as Json)['stages'] as { name: string; actions: Json[] }[];
}

describe('an input artifact produced in another region', () => {
  it('is copied by the pipeline role: read and decrypt there, write and encrypt here', () => {
    expect(copyLinks().text).toEqual([
      `s3:GetObject Allowed arn:aws:s3:::${EAST}/platform-legacy/BundleSour/*`,
      `kms:Decrypt Allowed ${EAST_KEY}`,
      `kms:GenerateDataKey Allowed ${WEST_KEY}`,
      `s3:PutObject Allowed arn:aws:s3:::${WEST}/platform-legacy/BundleSour/*`,
    ]);
  });

  it('fails when the pipeline role may not write the region copy', () => {
    const { text } = copyLinks((dir) => dropStatement(dir, 'ReplicaObjects'));
    expect(text).toContain(
      `s3:PutObject ImplicitlyDenied arn:aws:s3:::${WEST}/platform-legacy/BundleSour/*`,
    );
  });

  it('needs no copy when the action runs in the producer region', () => {
    const { text } = copyLinks((dir) =>
      editJson(join(dir, PIPELINE), (doc) => {
        for (const s of stages(doc)) for (const a of s.actions) delete a['region'];
      }),
    );
    expect(text).toEqual([]);
  });

  it("decrypts a CodeBuild output with the project's key, Unknown when the project is not known", () => {
    // the canary reads the output of a CodeBuild action in us-east-1 instead of the S3 source
    const withBuild = (project: string) => (dir: string) =>
      editJson(join(dir, PIPELINE), (doc) => {
        const all = stages(doc);
        all[0]!.actions.push({
          name: 'Package',
          actionTypeId: { category: 'Build', owner: 'AWS', provider: 'CodeBuild', version: '1' },
          runOrder: 2,
          configuration: { ProjectName: project },
          inputArtifacts: [{ name: 'BundleSource' }],
          outputArtifacts: [{ name: 'Packaged' }],
        });
        const canary = all.flatMap((s) => s.actions).find((a) => a['name'] === 'RecreateCanary')!;
        canary['inputArtifacts'] = [{ name: 'Packaged' }];
      });
    // platform-api-package encrypts with a key of its own here, not the store's: the copy
    // decrypts with that one
    const CONFIG_KEY = `arn:aws:kms:us-east-1:${T}:key/2b4d6f8a-0c1e-4a3b-8d5f-7a9b1c3d5e7f`;
    const known = copyLinks((dir) => {
      withBuild('platform-api-package')(dir);
      editJson(join(dir, `${T}/us-east-1/codebuild.json`), (doc) => {
        const p = (doc['projects'] as Json[]).find((x) => x['name'] === 'platform-api-package')!;
        p['encryptionKey'] = CONFIG_KEY;
      });
    });
    expect(known.text.filter((t) => t.startsWith('kms:Decrypt'))).toEqual([
      `kms:Decrypt Allowed ${CONFIG_KEY}`,
    ]);
    const unknown = copyLinks(withBuild('not-in-the-snapshot'));
    expect(unknown.text.filter((t) => t.startsWith('kms:Decrypt'))).toEqual([
      'kms:Decrypt Unknown the kms key of the artifacts in their region (not known)',
    ]);
    expect(unknown.missing).toContain(`${T}/us-east-1/codebuild.json`);
  });
});
