/**
 * A snapshot served by the fake and crawled gives the same decision for every link as the
 * snapshot itself: the crawl reads everything the analysis needs (here: the role of a
 * stage-condition rule in another account).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { crawlToFolder, linkDecisions, scenarioCopy } from './helpers.js';

describe('what the scenarios do not show', () => {
  it('the role of a stage-condition rule in another account is crawled', async () => {
    const fixture = scenarioCopy('pass-with-stage-conditions');
    const pipelineFile = join(fixture, '111111111111/us-east-1/codepipeline/orders-api.json');
    const pipeline = JSON.parse(readFileSync(pipelineFile, 'utf8')) as {
      pipeline: { roleArn: string; stages: Record<string, unknown>[] };
    };
    const stage = pipeline.pipeline.stages.find((s) => s['name'] === 'DeployProd');
    const rules = (stage?.['beforeEntry'] as { conditions: { rules: Record<string, unknown>[] }[] })
      .conditions[0]!.rules;
    const check = rules.find((r) => r['name'] === 'CheckPackage')!;
    check['roleArn'] = 'arn:aws:iam::333333333333:role/rule-role';
    writeFileSync(pipelineFile, JSON.stringify(pipeline));
    mkdirSync(join(fixture, '333333333333'));
    const trust = (principal: string) => ({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: principal }, Action: 'sts:AssumeRole' }],
    });
    const role = (name: string, principal: string) => ({
      RoleName: name,
      Arn: `arn:aws:iam::333333333333:role/${name}`,
      Path: '/',
      RoleId: `AROA${name.toUpperCase().replace(/-/g, '')}`,
      AssumeRolePolicyDocument: trust(principal),
      RolePolicyList: [],
      AttachedManagedPolicies: [],
    });
    writeFileSync(
      join(fixture, '333333333333', 'iam.json'),
      JSON.stringify({
        RoleDetailList: [
          role('PermchainAudit', 'arn:aws:iam::111111111111:root'),
          role('rule-role', pipeline.pipeline.roleArn),
        ],
        UserDetailList: [],
        GroupDetailList: [],
        Policies: [],
      }),
    );
    const want = await linkDecisions(fixture);
    const trusted = Object.entries(want).filter(
      ([id]) => id.includes('CheckPackage') && id.includes('sts:AssumeRole'),
    );
    // the rule role's trust policy is read: the assumption is decided, not Unknown
    expect(trusted.length).toBeGreaterThan(0);
    for (const [, l] of trusted) expect(l.missing).toEqual([]);

    const { result, dir } = await crawlToFolder(fixture);
    expect(result.accounts).toContain('333333333333');
    expect(result.files.map((f) => f.path)).toContain('333333333333/iam.json');
    expect(await linkDecisions(dir)).toEqual(want);
  });
});
