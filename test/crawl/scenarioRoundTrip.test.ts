/**
 * Every scenario of fixtures/scenarios, served by the fake and crawled, gives the same decision
 * for every link as the scenario itself: the crawl reads everything the analysis needs, and
 * writes it where the loader looks for it (nested ECR repository names, the AWS-managed key of a
 * CodeBuild project, the role of a stage-condition rule in another account, ...).
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { crawlToFolder, linkDecisions, REPO_ROOT, scenarioCopy } from './helpers.js';

const SCENARIOS = join(REPO_ROOT, 'fixtures', 'scenarios');
/** scenarios whose files are broken on purpose: the fake cannot serve what is not JSON */
const NOT_SERVABLE = new Set(['malformed-bucket-json']);

async function sameDecisions(fixture: string): Promise<void> {
  // scenarios that leave a file out on purpose make the crawl fail to read it, as it should
  const { dir } = await crawlToFolder(fixture);
  const want = await linkDecisions(fixture);
  const got = await linkDecisions(dir);
  expect(Object.keys(want).length).toBeGreaterThan(0);
  expect(got).toEqual(want);
}

describe('crawl(serve(scenario)) is decided like the scenario', () => {
  const names = readdirSync(SCENARIOS)
    .filter((n) => statSync(join(SCENARIOS, n)).isDirectory() && !NOT_SERVABLE.has(n))
    .sort();
  it('covers the scenarios, all-providers among them', () => {
    expect(names).toContain('all-providers');
    expect(names.length).toBeGreaterThan(20);
  });
  for (const name of names) {
    it(name, async () => {
      await sameDecisions(scenarioCopy(name));
    });
  }
});

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
