/**
 * CloudFormation assumes a stack's service role with the stack's ARN as `aws:SourceArn`; the ARN
 * ends in the stack id, assigned when the stack is created, which no input gives. A trust policy
 * that names one stack id may or may not name this stack: the link is Unknown, never denied (nor
 * allowed) on a guess. A pattern over every id decides it.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import { editJson, inScenarioCopy, type Json } from './scenarioCopy.js';

const SCENARIO = 'fixtures/scenarios/all-providers';
const IAM = '111111111111/iam.json';
const EXEC_ROLE = 'arn:aws:iam::111111111111:role/platform-cfn-exec';
const STACK = 'arn:aws:cloudformation:us-east-1:111111111111:stack/platform-web';

function trustWith(condition: Json | undefined): (dir: string) => void {
  return (dir) =>
    editJson(join(dir, IAM), (doc) => {
      const role = (doc['RoleDetailList'] as Json[]).find(
        (r) => r['RoleName'] === 'platform-cfn-exec',
      )!;
      role['AssumeRolePolicyDocument'] = {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'cloudformation.amazonaws.com' },
            Action: 'sts:AssumeRole',
            ...(condition ? { Condition: condition } : {}),
          },
        ],
      };
    });
}

function assume(edit: (dir: string) => void): { decision: string; why: string }[] {
  return inScenarioCopy(SCENARIO, (dir) => {
    edit(dir);
    const p = analyzeModel(loadSnapshot(dir), { pipelines: ['platform-web'] }).pipelines[0]!;
    return p.links
      .filter(
        (l) => l.requirement === 'cloudformation.assume-execution-role' && l.resource === EXEC_ROLE,
      )
      .map((l) => ({ decision: l.decision, why: l.why }));
  });
}

describe('the stack id in a service role trust policy', () => {
  it('a trust policy naming one stack id leaves the link Unknown, naming why', () => {
    const links = assume(
      trustWith({
        StringEquals: { 'aws:SourceArn': `${STACK}/1a2b3c4d-aaaa-bbbb-cccc-0123456789ab` },
      }),
    );
    expect(links.length).toBeGreaterThan(0);
    for (const l of links) {
      expect(l.decision).toBe('Unknown');
      expect(l.why).toContain('no input gives the id of stack `platform-web`');
    }
  });

  it('a pattern over every id of the stack allows it; another stack name denies it', () => {
    const every = assume(trustWith({ ArnLike: { 'aws:SourceArn': `${STACK}/*` } }));
    expect(every.map((l) => l.decision)).toEqual(every.map(() => 'Allowed'));
    expect(every.length).toBeGreaterThan(0);
    const other = assume(
      trustWith({
        StringEquals: {
          'aws:SourceArn':
            'arn:aws:cloudformation:us-east-1:111111111111:stack/other-stack/1a2b3c4d-aaaa-bbbb-cccc-0123456789ab',
        },
      }),
    );
    // the id is tried, and no id can make another stack's ARN this stack's
    expect(other.map((l) => l.decision)).toEqual(other.map(() => 'ImplicitlyDenied'));
  });
});
