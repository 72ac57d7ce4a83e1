/**
 * §1.2 Invoke / Lambda of the fact sheet (/work/shared/aws-facts.md): a cross-Region Lambda
 * invoke action's function "must send results to the Lambda's Region": its
 * PutJobSuccessResult/PutJobFailureResult calls are requests to that Region
 * (aws:RequestedRegion), and the pipeline role invokes the function there
 * (https://docs.aws.amazon.com/codepipeline/latest/userguide/actions-invoke-lambda-function.html).
 * An edit of all-providers: platform-legacy, whose artifact stores cover us-east-1 and us-west-2,
 * gets a Lambda invoke action in us-west-2 (the smoke-test function copied there), and the
 * function role and pipeline role a Deny of those calls outside one Region (and the pipeline
 * role a grant of the invoke on the us-west-2 function).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import { editJson, inScenarioCopy, type Json } from '../chain/scenarioCopy.js';

const T = '111111111111';

/** `<permission> <decision>` of the us-west-2 Lambda action, under a Deny outside `region`. */
function invokeIn(region: string): string[] {
  return inScenarioCopy('fixtures/scenarios/all-providers', (dir) => {
    const west = join(dir, T, 'us-west-2', 'lambda');
    mkdirSync(west, { recursive: true });
    const fn = readFileSync(join(dir, T, 'us-east-1/lambda/platform-smoke-test.json'), 'utf8');
    writeFileSync(
      join(west, 'platform-smoke-test.json'),
      fn.replaceAll('arn:aws:lambda:us-east-1:', 'arn:aws:lambda:us-west-2:'),
    );
    editJson(join(dir, T, 'us-east-1/codepipeline/platform-legacy.json'), (doc) => {
      const stages = (doc['pipeline'] as { stages: { name: string; actions: Json[] }[] }).stages;
      stages.push({
        name: 'VerifyWest',
        actions: [
          {
            name: 'SmokeWest',
            actionTypeId: { category: 'Invoke', owner: 'AWS', provider: 'Lambda', version: '1' },
            runOrder: 1,
            configuration: { FunctionName: 'platform-smoke-test' },
            outputArtifacts: [],
            inputArtifacts: [],
            region: 'us-west-2',
          },
        ],
      });
    });
    editJson(join(dir, T, 'iam.json'), (iam) => {
      for (const role of iam['RoleDetailList'] as Json[]) {
        if (
          role['RoleName'] !== 'platform-smoke-test-role' &&
          role['RoleName'] !== 'platform-pipeline-role'
        )
          continue;
        const first = (role['RolePolicyList'] as Json[])[0]!;
        (first['PolicyDocument'] as { Statement: Json[] }).Statement.push({
          Sid: 'OneRegion',
          Effect: 'Deny',
          Action: [
            'codepipeline:PutJobSuccessResult',
            'codepipeline:PutJobFailureResult',
            'lambda:InvokeFunction',
          ],
          Resource: '*',
          Condition: { StringNotEquals: { 'aws:RequestedRegion': region } },
        });
        // the scenario grants the invoke on the us-east-1 function only
        if (role['RoleName'] === 'platform-pipeline-role')
          (first['PolicyDocument'] as { Statement: Json[] }).Statement.push({
            Sid: 'InvokeWest',
            Effect: 'Allow',
            Action: 'lambda:InvokeFunction',
            Resource: `arn:aws:lambda:us-west-2:${T}:function:platform-smoke-test`,
          });
      }
    });
    const p = analyzeModel(loadSnapshot(dir)).pipelines.find((x) => x.name === 'platform-legacy')!;
    return p.links
      .filter((l) => l.action === 'SmokeWest' && /PutJob|InvokeFunction/.test(l.permission))
      .map((l) => `${l.permission} ${l.resource} ${l.decision}`);
  });
}

describe('§1.2 a Lambda invoke action in another Region', () => {
  it("invokes the function and reports its result in the function's Region: a Deny outside us-west-2 denies nothing", () => {
    expect(invokeIn('us-west-2')).toEqual([
      `lambda:InvokeFunction arn:aws:lambda:us-west-2:${T}:function:platform-smoke-test Allowed`,
      'codepipeline:PutJobSuccessResult * Allowed',
      'codepipeline:PutJobFailureResult * Allowed',
    ]);
  });

  it("a Deny outside the pipeline's Region (us-east-1) denies all three", () => {
    expect(invokeIn('us-east-1')).toEqual([
      `lambda:InvokeFunction arn:aws:lambda:us-west-2:${T}:function:platform-smoke-test ExplicitlyDenied`,
      'codepipeline:PutJobSuccessResult * ExplicitlyDenied',
      'codepipeline:PutJobFailureResult * ExplicitlyDenied',
    ]);
  });
});
