/**
 * s3:PutObjectAcl on an output artifact is required where maintainers fixed real failures without
 * it (artifacts.output.upload-with-acl): a CodeStarSourceConnection source action
 * (https://github.com/aws/aws-cdk/issues/13557) and a CodeCommit source action whose role is in
 * another account than the pipeline (https://github.com/aws/aws-cdk/pull/14260); elsewhere it
 * stays recommended (artifacts.output.put-object-acl). Edits of the pass-cross-account scenario,
 * whose CodeCommit source `Source` runs as the pipeline role of 111111111111, and whose deploy
 * action role `orders-api-deploy-action` of 222222222222 may s3:PutObjectAcl on the artifacts.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { expandAction, getCatalog, type ActionFacts } from '../../src/chain/catalog.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import { editJson, inScenarioCopy, type Json } from './scenarioCopy.js';

const SCENARIO = 'fixtures/scenarios/pass-cross-account';
const TARGET_ROLE = 'arn:aws:iam::222222222222:role/orders-api-deploy-action';

/** The Source action's PutObjectAcl links: `requirement level decision`. */
function sourceAcl(roleArn: string | undefined, dropAcl = false): string[] {
  return inScenarioCopy(SCENARIO, (dir) => {
    editJson(join(dir, '111111111111/us-east-1/codepipeline/orders-api.json'), (doc) => {
      const stages = (doc['pipeline'] as Json)['stages'] as Json[];
      const action = (stages[0]!['actions'] as Json[])[0]!;
      if (roleArn !== undefined) action['roleArn'] = roleArn;
    });
    // every grant of s3:PutObjectAcl taken out, in both accounts
    if (dropAcl)
      for (const account of ['111111111111', '222222222222'])
        editJson(join(dir, `${account}/iam.json`), (doc) => {
          for (const role of doc['RoleDetailList'] as Json[])
            for (const p of role['RolePolicyList'] as Json[])
              for (const s of (p['PolicyDocument'] as { Statement: Json[] }).Statement)
                if (Array.isArray(s['Action']))
                  s['Action'] = (s['Action'] as string[]).filter((a) => a !== 's3:PutObjectAcl');
        });
    const p = analyzeModel(loadSnapshot(dir), { pipelines: ['orders-api'] }).pipelines[0]!;
    return p.links
      .filter((l) => l.action === 'Source' && l.permission === 's3:PutObjectAcl')
      .map((l) => `${l.requirement} ${l.level} ${l.decision}`);
  });
}

describe('s3:PutObjectAcl on a source action output artifact', () => {
  it('a CodeCommit source in the pipeline account: recommended only', () => {
    expect(sourceAcl(undefined)).toEqual(['artifacts.output.put-object-acl recommended Allowed']);
    expect(sourceAcl(undefined, true)).toEqual([
      'artifacts.output.put-object-acl recommended ImplicitlyDenied',
    ]);
  });

  it('a CodeCommit source whose role is in another account: required, allowed by its grant', () => {
    expect(sourceAcl(TARGET_ROLE)).toEqual(['artifacts.output.upload-with-acl required Allowed']);
  });

  it('a CodeCommit source whose role is in another account: a denied PutObjectAcl fails the run', () => {
    expect(sourceAcl(TARGET_ROLE, true)).toEqual([
      'artifacts.output.upload-with-acl required ImplicitlyDenied',
    ]);
  });
});

describe('Upload.WithAcl from the action facts', () => {
  const base: ActionFacts = {
    partition: 'aws',
    region: 'us-east-1',
    account: '111111111111',
    pipelineName: 'p',
    pipelineRoleArn: 'arn:aws:iam::111111111111:role/pipeline',
    stageName: 'Source',
    actionName: 'Source',
    category: 'Source',
    provider: 'CodeCommit',
    actionRegion: 'us-east-1',
    actionAccount: '111111111111',
    configuration: { RepositoryName: 'r', BranchName: 'main' },
    inputArtifacts: [],
    outputArtifacts: ['Src'],
    artifactStore: { bucket: 'b' },
  };
  const acl = (f: Partial<ActionFacts>): string[] =>
    expandAction(getCatalog(), { ...base, ...f })
      .links.filter((l) => l.action === 's3:PutObjectAcl')
      .map((l) => `${l.requirementId} ${l.level}${l.presumed !== undefined ? ' presumed' : ''}`);

  it('a CodeStarSourceConnection source needs it wherever its role is', () => {
    expect(acl({ provider: 'CodeStarSourceConnection', configuration: {} })).toEqual([
      'artifacts.output.upload-with-acl required',
    ]);
  });

  it('a CodeCommit role of the pipeline account does not; one of another account does', () => {
    expect(acl({ actionRoleArn: 'arn:aws:iam::111111111111:role/source' })).toEqual([
      'artifacts.output.put-object-acl recommended',
    ]);
    expect(
      acl({
        actionRoleArn: 'arn:aws:iam::222222222222:role/source',
        actionAccount: '222222222222',
      }),
    ).toEqual(['artifacts.output.upload-with-acl required']);
  });

  it('a CodeCommit role whose account the input does not settle: presumed needed', () => {
    expect(
      acl({
        actionRoleArn: 'arn:aws:iam::unresolved:role/unresolved-0123456789',
        actionAccount: 'unresolved',
      }),
    ).toEqual(['artifacts.output.upload-with-acl required presumed']);
  });

  it('an S3 or ECR source, or a deploy action with an output, stays recommended', () => {
    for (const provider of ['S3', 'ECR'])
      expect(acl({ provider, actionRoleArn: 'arn:aws:iam::222222222222:role/x' })).toEqual([
        'artifacts.output.put-object-acl recommended',
      ]);
    expect(acl({ provider: 'CloudFormation', category: 'Deploy' })).toEqual([
      'artifacts.output.put-object-acl recommended',
    ]);
  });
});
