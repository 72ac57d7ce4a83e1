/**
 * A link id names the value of the list it was made for, never its position: `diff` and
 * baselines match links by id, so the same list in another order must give the same ids, and
 * each id must keep its own decision (a subnet allowed before and denied after is newly denied).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import { editJson, inScenarioCopy, type Json } from './scenarioCopy.js';

const SCENARIO = 'fixtures/scenarios/all-providers';
const SUBNET = (id: string) => `arn:aws:ec2:us-east-1:111111111111:subnet/${id}`;

/** The web build's network-interface-permission links, `id decision`, with subnets reversed. */
function permissionLinks(reverse: boolean): string[] {
  return inScenarioCopy(SCENARIO, (dir) => {
    if (reverse)
      editJson(join(dir, '111111111111/us-east-1/codebuild.json'), (doc) => {
        const project = (doc['projects'] as Json[]).find(
          (p) => p['name'] === 'platform-web-build',
        )!;
        const vpc = project['vpcConfig'] as { subnets: string[] };
        vpc.subnets = [...vpc.subnets].reverse();
      });
    const p = analyzeModel(loadSnapshot(dir), { pipelines: ['platform-web'] }).pipelines[0]!;
    return p.links
      .filter((l) => l.requirement === 'codebuild-project.vpc-network-interface-permission')
      .map((l) => l.id)
      .sort();
  });
}

describe('link ids of one requirement made once per list value', () => {
  it('name the value (a subnet in the request context), whatever the order of the list', () => {
    const ids = permissionLinks(false);
    expect(ids).toEqual([
      `Build/Build:codebuild-project.vpc-network-interface-permission:ec2:CreateNetworkInterfacePermission:${SUBNET('subnet-0a1b2c3d4e5f60718')}`,
      `Build/Build:codebuild-project.vpc-network-interface-permission:ec2:CreateNetworkInterfacePermission:${SUBNET('subnet-0f1e2d3c4b5a69788')}`,
    ]);
    expect(permissionLinks(true)).toEqual(ids);
  });
});
