/**
 * `organization/describe-organization.json` settles only whether SCPs and RCPs apply at all (the
 * management account, the feature set), and guardrails only take permissions away: an answer
 * allowed with them applied stands without that file, while a denial they decide stays Unknown
 * and names it.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import type { ReportPipeline } from '../../src/report/types.js';
import { editJson, inScenarioCopy, type Json } from './scenarioCopy.js';

const DESCRIBE = 'organization/describe-organization.json';

function withoutDescribe(scenario: string, edit?: (dir: string) => void): ReportPipeline {
  return inScenarioCopy(join('fixtures/scenarios', scenario), (dir) => {
    rmSync(join(dir, DESCRIBE));
    edit?.(dir);
    return analyzeModel(loadSnapshot(dir)).pipelines[0]!;
  });
}

describe('a snapshot without describe-organization.json', () => {
  it('keeps every link the policies allow Allowed', () => {
    const p = withoutDescribe('pass-cross-account');
    expect(p.links.filter((l) => l.decision !== 'Allowed').map((l) => l.id)).toEqual([]);
    expect(p.verdict).toBe('pass');
  });

  it('leaves a denial an SCP allow-list decides Unknown, naming the file', () => {
    const p = withoutDescribe('scp-allow-list-missing-service');
    const l = p.links.find((x) =>
      x.id.endsWith(':cloudformation.create-update-stack:cloudformation:CreateStack'),
    )!;
    expect(l.decision).toBe('Unknown');
    expect(l.missing).toEqual([DESCRIBE]);
  });

  it("leaves an SCP's explicit deny Unknown, naming the file", () => {
    const p = withoutDescribe('scp-deny-assume-role');
    const l = p.links.find((x) => x.id.endsWith(':action.assume-action-role:sts:AssumeRole'))!;
    expect(l.decision).toBe('Unknown');
    expect(l.missing).toEqual([DESCRIBE]);
  });

  it('keeps a denial the caller’s own policies decide', () => {
    const p = withoutDescribe('passrole-wrong-service');
    const l = p.links.find((x) => x.id.endsWith(':cloudformation.pass-role:iam:PassRole'))!;
    expect(l.decision).toBe('ImplicitlyDenied');
  });

  it('keeps Allowed a link whose other missing input can only add allows too (a Lambda alias policy)', () => {
    const FUNCTION = 'arn:aws:lambda:us-east-1:111111111111:function:orders-api-smoke-test';
    const p = withoutDescribe('pass-with-lambda-invoke', (dir) => {
      const pipeline = join(dir, '111111111111/us-east-1/codepipeline/orders-api.json');
      editJson(pipeline, (doc) => {
        const text = JSON.stringify(doc).replace(
          '"FunctionName":"orders-api-smoke-test"',
          '"FunctionName":"orders-api-smoke-test:live"',
        );
        Object.assign(doc, JSON.parse(text) as Json);
      });
      editJson(join(dir, '111111111111/iam.json'), (doc) => {
        const text = JSON.stringify(doc).replace(
          `"Resource":"${FUNCTION}"`,
          `"Resource":"${FUNCTION}:*"`,
        );
        Object.assign(doc, JSON.parse(text) as Json);
      });
    });
    const l = p.links.find((x) => x.permission === 'lambda:InvokeFunction')!;
    expect(l.resource).toBe(`${FUNCTION}:live`);
    expect(l.decision).toBe('Allowed');
  });
});
