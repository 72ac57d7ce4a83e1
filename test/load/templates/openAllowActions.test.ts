/**
 * An Allow statement whose Resource (or Condition) a template does not settle can only add
 * allows, so a link it might allow is Unknown naming it. One whose Action (or NotAction) the
 * template does settle cannot allow an action it leaves out: such a link is decided without it.
 * Every link of a role with one such statement was Unknown (the AWS CDK's Ec2DeployAction grants
 * `elasticloadbalancing:RegisterTargets` on `Ref` of a target group, which left the role's S3
 * links Unknown).
 */
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../../src/chain/analyze.js';
import { loadSingleTemplate } from '../../../src/load/stacks.js';
import type { ReportLink } from '../../../src/report/types.js';

const TEMPLATE = 'test/load/templates/fixtures/open-allow/pipeline.yaml';
const ENV = { account: '111111111111', region: 'us-east-1' };
const PUT = 'artifacts.output.put-object';

function putObject(parameters: Record<string, string> = {}): ReportLink {
  const { model } = loadSingleTemplate(TEMPLATE, { ...ENV, parameters });
  const links = analyzeModel(model).pipelines[0]!.links;
  return links.find((l) => l.requirement === PUT)!;
}

describe('an Allow statement the template leaves open', () => {
  it('whose settled Action leaves the link out does not make it Unknown: it is denied', () => {
    const put = putObject();
    expect(put.permission).toBe('s3:PutObject');
    expect(put.decision).toBe('ImplicitlyDenied');
    expect(put.missing ?? []).toEqual([]);
  });

  it('whose settled Action covers the link (exactly or by a wildcard) leaves it Unknown, naming it', () => {
    for (const action of ['s3:PutObject', 's3:Put*', 'S3:*', '*']) {
      const put = putObject({ OpenAction: action });
      expect(put.decision, action).toBe('Unknown');
      expect(put.missing?.join(' '), action).toContain(
        'an Allow statement the input does not settle',
      );
    }
  });

  it('an Action the policy parser refuses is no settled Action: the statement may cover anything', () => {
    const put = putObject({ OpenAction: 'RegisterTargets' });
    expect(put.decision).toBe('Unknown');
  });

  it('a settled NotAction covers every action it does not name', () => {
    expect(putObject({ Element: 'NotAction' }).decision).toBe('Unknown');
    expect(putObject({ Element: 'NotAction', OpenAction: 's3:Put*' }).decision).toBe(
      'ImplicitlyDenied',
    );
  });
});
