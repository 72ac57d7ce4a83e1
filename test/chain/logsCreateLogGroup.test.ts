/**
 * AWS documents two resources for logs:CreateLogGroup: the Service Authorization Reference's
 * log-group ARN (`…:log-group:NAME`) and the CloudWatch Logs guide's form for IAM policies
 * (`…:log-group:NAME:*`, https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/iam-access-control-overview-cwl.html).
 * Which one CloudWatch Logs authorizes is not settled by the documents, so the link is decided
 * only when both agree. Edits of the pass-cross-account scenario, whose build role grants both.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';

const GROUP = 'arn:aws:logs:us-east-1:111111111111:log-group:/aws/codebuild/orders-api-build';

/** `permission decision` of the build's log links with the Logs statement on `resources`. */
function logLinks(resources: string[]): { text: string[]; why: string } {
  const dir = mkdtempSync(join(tmpdir(), 'permchain-logs-'));
  cpSync('fixtures/scenarios/pass-cross-account', dir, { recursive: true });
  const file = join(dir, '111111111111/iam.json');
  const text = readFileSync(file, 'utf8');
  const iam = JSON.parse(text) as { RoleDetailList: Record<string, unknown>[] };
  const role = iam.RoleDetailList.find((r) => r['RoleName'] === 'orders-api-build-role')!;
  const doc = (
    role['RolePolicyList'] as { PolicyDocument: { Statement: Record<string, unknown>[] } }[]
  )[0]!.PolicyDocument;
  doc.Statement.find((s) => s['Sid'] === 'Logs')!['Resource'] = resources;
  writeFileSync(file, JSON.stringify(iam, null, 2));
  const links = analyzeModel(loadSnapshot(dir)).pipelines[0]!.links.filter((l) =>
    l.permission.startsWith('logs:'),
  );
  return {
    text: links.map((l) => `${l.permission} ${l.decision}`),
    why: links.find((l) => l.permission === 'logs:CreateLogGroup')!.why,
  };
}

describe('logs:CreateLogGroup', () => {
  it('is allowed when both documented forms are granted', () => {
    expect(logLinks([GROUP, `${GROUP}:*`]).text).toEqual([
      'logs:CreateLogGroup Allowed',
      'logs:CreateLogStream Allowed',
      'logs:PutLogEvents Allowed',
    ]);
  });

  it('is Unknown, not denied, when only the `:*` form is granted', () => {
    const r = logLinks([`${GROUP}:*`]);
    expect(r.text).toEqual([
      'logs:CreateLogGroup Unknown',
      'logs:CreateLogStream Allowed',
      'logs:PutLogEvents Allowed',
    ]);
    expect(r.why).toContain(`the policies allow \`${GROUP}:*\` but not \`${GROUP}\``);
  });

  it('is Unknown, not allowed, when only the bare log-group form is granted', () => {
    // the log-stream calls are authorized on `…:log-group:NAME:log-stream:STREAM`, which the
    // bare form does not cover (both documents agree)
    expect(logLinks([GROUP]).text).toEqual([
      'logs:CreateLogGroup Unknown',
      'logs:CreateLogStream ImplicitlyDenied',
      'logs:PutLogEvents ImplicitlyDenied',
    ]);
  });

  it('is denied when neither form is granted', () => {
    const other = 'arn:aws:logs:us-east-1:111111111111:log-group:/aws/codebuild/other';
    expect(logLinks([other, `${other}:*`]).text[0]).toBe('logs:CreateLogGroup ImplicitlyDenied');
  });
});
