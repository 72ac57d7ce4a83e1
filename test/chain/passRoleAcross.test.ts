/**
 * iam:PassRole of a role of another account than the caller's cannot be allowed by any policy:
 * "You can only use the PassRole permission to pass an IAM role to a service that shares the
 * same AWS account" (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html).
 * The link is denied, and its why and fix say so (they asked for a resource policy on the role).
 */
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import type { ReportLink } from '../../src/report/types.js';
import { editJson, inScenarioCopy, type Json } from './scenarioCopy.js';

const SCENARIO = 'fixtures/scenarios/pass-cross-account';
const PIPELINE = '111111111111/us-east-1/codepipeline/orders-api.json';
const TOOLS_EXEC = 'arn:aws:iam::111111111111:role/orders-api-cfn-exec';

function passRole(execRole: string | undefined): ReportLink {
  return inScenarioCopy(SCENARIO, (dir) => {
    if (execRole !== undefined)
      editJson(`${dir}/${PIPELINE}`, (doc) => {
        const stages = (doc['pipeline'] as Json)['stages'] as Json[];
        const deploy = (stages[2]!['actions'] as Json[])[0]!;
        (deploy['configuration'] as Json)['RoleArn'] = execRole;
      });
    const links = analyzeModel(loadSnapshot(dir)).pipelines[0]!.links;
    return links.find((l) => l.permission === 'iam:PassRole')!;
  });
}

describe('iam:PassRole of a role of another account', () => {
  it("the scenario passes its own account's execution role", () => {
    expect(passRole(undefined).decision).toBe('Allowed');
  });

  it("is denied, and the why and fix say to use a role of the caller's account", () => {
    const link = passRole(TOOLS_EXEC);
    expect(link.decision).toBe('ImplicitlyDenied');
    // the configuration decides, not a policy: no policy is named as deciding it
    expect(link.deniedBy).toEqual([]);
    expect(link.why).toContain(
      `\`${TOOLS_EXEC}\` is a role of account \`111111111111\` and \`arn:aws:iam::222222222222:role/orders-api-deploy-action\` of \`222222222222\`: a role can be passed only to a service in its own account`,
    );
    expect(link.fix).toBe(
      'use a role of account `222222222222` (the account of `arn:aws:iam::222222222222:role/orders-api-deploy-action`) in place of `' +
        TOOLS_EXEC +
        '`',
    );
  });
});
