/**
 * An account id written bare in a Principal names the account in the caller's partition
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-accounts):
 * the demo moved to GovCloud (every `arn:aws:` becomes `arn:aws-us-gov:`, us-east-1 becomes
 * us-gov-west-1) with the deploy role trusting the tools account by id decides as it does in
 * `aws`, and still warns that the trust policy trusts the whole account.
 */
import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  mkdirSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';

const DEMO = 'fixtures/demo';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

/** The demo in `partition`, its deploy role trusting account 111111111111 by id. */
function demoIn(partition: 'aws' | 'aws-us-gov', region: string): string {
  const out = mkdtempSync(join(tmpdir(), 'permchain-partition-'));
  for (const f of files(DEMO)) {
    const rel = relative(DEMO, f).replaceAll('us-east-1', region);
    let text = readFileSync(f, 'utf8')
      .replaceAll('arn:aws:', `arn:${partition}:`)
      .replaceAll('us-east-1', region);
    if (rel === '222222222222/iam.json') {
      const iam = JSON.parse(text) as {
        RoleDetailList: { RoleName: string; AssumeRolePolicyDocument: unknown }[];
      };
      const role = iam.RoleDetailList.find((r) => r.RoleName === 'demo-deploy-action')!;
      role.AssumeRolePolicyDocument = {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { AWS: '111111111111' }, Action: 'sts:AssumeRole' },
        ],
      };
      text = JSON.stringify(iam, null, 2);
    }
    mkdirSync(dirname(join(out, rel)), { recursive: true });
    writeFileSync(join(out, rel), text);
  }
  return out;
}

function assumeDeployRole(partition: 'aws' | 'aws-us-gov', region: string) {
  const dir = demoIn(partition, region);
  try {
    const p = analyzeModel(loadSnapshot(dir)).pipelines[0]!;
    const l = p.links.find(
      (x) => x.permission === 'sts:AssumeRole' && x.resource.endsWith(':role/demo-deploy-action'),
    )!;
    return { decision: l.decision, warnings: l.warnings ?? [] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('a trust policy naming an account by its bare id', () => {
  it('lets the pipeline role assume the deploy role in aws and in aws-us-gov alike, with the same warning', () => {
    const aws = assumeDeployRole('aws', 'us-east-1');
    const gov = assumeDeployRole('aws-us-gov', 'us-gov-west-1');
    expect(aws.decision).toBe('Allowed');
    const inAws = (w: string): string => w.replaceAll('arn:aws-us-gov:', 'arn:aws:');
    expect({ ...gov, warnings: gov.warnings.map(inAws) }).toEqual(aws);
    expect(gov.warnings.join(' ')).toMatch(/trusts the whole account `111111111111`/);
  });
});
