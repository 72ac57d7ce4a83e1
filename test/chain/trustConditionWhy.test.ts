/**
 * Why a trust policy refuses a caller: when a statement would trust the caller but its
 * condition does not hold (a wrong `aws:SourceAccount`, an `aws:SourceArn` that no real stack
 * set ARN matches), the link says which condition, not that the role does not trust the caller.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import type { ReportLink } from '../../src/report/types.js';
import { editJson, inScenarioCopy, type Json } from './scenarioCopy.js';

const T = '111111111111';

/** The trust statement of role `name` in `file`, for `edit`. */
function editTrust(file: string, name: string, edit: (st: Json) => void): void {
  editJson(file, (iam) => {
    const role = (iam['RoleDetailList'] as Json[]).find((r) => r['RoleName'] === name)!;
    edit((role['AssumeRolePolicyDocument'] as { Statement: Json[] }).Statement[0]!);
  });
}

describe('a StackSets administration role (pass-stacksets)', () => {
  const ADMIN = `arn:aws:iam::${T}:role/platform-stackset-administration`;

  function assumeAdmin(edit: (st: Json) => void): ReportLink[] {
    return inScenarioCopy('fixtures/scenarios/pass-stacksets', (dir) => {
      editTrust(join(dir, `${T}/iam.json`), 'platform-stackset-administration', edit);
      return analyzeModel(loadSnapshot(dir)).pipelines[0]!.links.filter((l) =>
        l.requirement.endsWith('.assume-administration-role'),
      );
    });
  }

  it('names the condition that does not hold, not the principal', () => {
    const admin = assumeAdmin((st) => {
      st['Condition'] = {
        StringEquals: { 'aws:SourceAccount': '222222222222' },
        ArnLike: { 'aws:SourceArn': `arn:aws:cloudformation:us-east-1:${T}:stackset/*` },
      };
    });
    expect(admin.map((l) => l.decision)).toEqual(['ImplicitlyDenied', 'ImplicitlyDenied']);
    for (const l of admin) {
      expect(l.why).not.toContain('does not trust');
      expect(l.why).toContain(
        `the trust policy of \`${ADMIN}\` names \`cloudformation.amazonaws.com\`, but its condition on \`aws:SourceAccount\` does not hold`,
      );
    }
  });

  it('names every condition that does not hold', () => {
    const admin = assumeAdmin((st) => {
      st['Condition'] = {
        StringEquals: { 'aws:SourceAccount': '222222222222' },
        ArnLike: { 'aws:SourceArn': `arn:aws:cloudformation:us-east-1:${T}:stackset/other-*` },
      };
    });
    expect(admin[0]!.why).toContain(
      'but its conditions on `aws:SourceAccount`, `aws:SourceArn` do not hold',
    );
  });

  it('a statement for every principal, under conditions, is not said to name the caller', () => {
    const admin = assumeAdmin((st) => {
      st['Principal'] = '*';
      st['Condition'] = { StringEquals: { 'aws:SourceAccount': '222222222222' } };
    });
    expect(admin[0]!.decision).toBe('ImplicitlyDenied');
    expect(admin[0]!.why).toContain(
      `the trust policy of \`${ADMIN}\` allows \`cloudformation.amazonaws.com\` only under conditions, but its condition on \`aws:SourceAccount\` does not hold`,
    );
  });

  it('a trust policy that does not name the caller still says it does not trust it', () => {
    const admin = assumeAdmin((st) => {
      st['Principal'] = { Service: 'codepipeline.amazonaws.com' };
    });
    expect(admin[0]!.decision).toBe('ImplicitlyDenied');
    expect(admin[0]!.why).toContain(
      `the trust policy of \`${ADMIN}\` does not trust \`cloudformation.amazonaws.com\``,
    );
  });
});

describe('a CloudFormation service role (all-providers)', () => {
  it('StringEquals on `…:stack/platform-web/*`: the aws:SourceArn condition is named', () => {
    const links = inScenarioCopy('fixtures/scenarios/all-providers', (dir) => {
      editTrust(join(dir, `${T}/iam.json`), 'platform-cfn-exec', (st) => {
        st['Condition'] = {
          StringEquals: {
            'aws:SourceArn': `arn:aws:cloudformation:us-east-1:${T}:stack/platform-web/*`,
          },
        };
      });
      return analyzeModel(loadSnapshot(dir), { pipelines: ['platform-web'] })
        .pipelines[0]!.links.filter((l) => l.requirement === 'cloudformation.assume-execution-role')
        .slice();
    });
    expect(links.length).toBeGreaterThan(0);
    for (const l of links) {
      expect(l.decision).toBe('ImplicitlyDenied');
      expect(l.why).toContain(
        `the trust policy of \`arn:aws:iam::${T}:role/platform-cfn-exec\` names \`cloudformation.amazonaws.com\`, but its condition on \`aws:SourceArn\` does not hold`,
      );
    }
  });
});

/**
 * A trust link whose trials are denied differently: the made-up stack id the request carries
 * meets the trust policy's Deny, another id only misses its Allow's condition. The missing
 * allow the link names is the other id's, so the words about the trust policy are that trial's:
 * evaluated on the request's own id, the Allow's condition holds and its Deny hides it.
 */
describe('a CloudFormation service role whose trials are denied differently (all-providers)', () => {
  const ROLE = `arn:aws:iam::${T}:role/platform-cfn-exec`;
  const SOME_STACKS = `arn:aws:cloudformation:us-east-1:${T}:stack/platform-web/0*`;

  function assumeExec(statements: Json[]): ReportLink[] {
    return inScenarioCopy('fixtures/scenarios/all-providers', (dir) => {
      editJson(join(dir, `${T}/iam.json`), (iam) => {
        const role = (iam['RoleDetailList'] as Json[]).find(
          (r) => r['RoleName'] === 'platform-cfn-exec',
        )!;
        (role['AssumeRolePolicyDocument'] as { Statement: Json[] }).Statement = statements;
      });
      return analyzeModel(loadSnapshot(dir), { pipelines: ['platform-web'] })
        .pipelines[0]!.links.filter((l) => l.requirement === 'cloudformation.assume-execution-role')
        .slice();
    });
  }

  const allow = (condition: Json): Json => ({
    Sid: 'TrustCloudFormation',
    Effect: 'Allow',
    Principal: { Service: 'cloudformation.amazonaws.com' },
    Action: 'sts:AssumeRole',
    Condition: condition,
  });
  const deny: Json = {
    Sid: 'DenySomeStacks',
    Effect: 'Deny',
    Principal: { Service: 'cloudformation.amazonaws.com' },
    Action: 'sts:AssumeRole',
    Condition: { ArnLike: { 'aws:SourceArn': SOME_STACKS } },
  };

  it('names the condition that does not hold for the implicitly denied ids', () => {
    const links = assumeExec([allow({ ArnLike: { 'aws:SourceArn': SOME_STACKS } }), deny]);
    expect(links.length).toBeGreaterThan(0);
    for (const l of links) {
      expect(l.decision).toBe('ExplicitlyDenied');
      expect(l.why).toContain('statement `DenySomeStacks` explicitly denies');
      expect(l.why).toContain(`; with the others, `);
      expect(l.why).toContain(
        ` fails: the trust policy of \`${ROLE}\` names \`cloudformation.amazonaws.com\`, but its condition on \`aws:SourceArn\` does not hold`,
      );
      expect(l.why).not.toContain('does not trust');
    }
  });

  it('says no more than every implicitly denied trial shares: their unmet conditions differ', () => {
    // the made-up id with no time meets the Deny; with the times tried (none after 3000) only
    // the Allow's time condition fails, with another id its aws:SourceArn condition fails too
    const links = assumeExec([
      allow({
        ArnLike: { 'aws:SourceArn': SOME_STACKS },
        DateGreaterThan: { 'aws:CurrentTime': '3000-01-01T00:00:00Z' },
      }),
      {
        ...deny,
        Condition: {
          ArnLike: { 'aws:SourceArn': SOME_STACKS },
          DateLessThanIfExists: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' },
        },
      },
    ]);
    expect(links.length).toBeGreaterThan(0);
    for (const l of links) {
      expect(l.decision).toBe('ExplicitlyDenied');
      expect(l.why).toContain('statement `DenySomeStacks` explicitly denies');
      expect(l.why).toContain(
        ` fails: the trust policy of \`${ROLE}\` does not allow \`cloudformation.amazonaws.com\``,
      );
      expect(l.why).not.toContain('condition on');
    }
  });
});
