/**
 * A link whose request depends on a value the input does not settle (here the id of a stack,
 * which no input gives) is evaluated once per value to try. When every try is denied, the link
 * is denied; but one value may meet an explicit Deny and another only lack an allow. Then
 * adding an allow cannot fix the first, and narrowing the deny cannot fix the second: the link
 * names the explicit deny first and the missing allow after it, and its fix does both,
 * whichever value the request itself was evaluated with.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import type { ReportLink } from '../../src/report/types.js';
import { explainLink } from '../../src/report/explainLink.js';
import { editJson, inScenarioCopy, type Json } from './scenarioCopy.js';

type Statement = Json & { Sid?: string; Resource?: string | string[] };

const SCENARIO = 'fixtures/scenarios/all-providers';
const IAM = '111111111111/iam.json';
const ROLE = 'platform-pipeline-role';
const ROLE_ARN = 'arn:aws:iam::111111111111:role/service-role/platform-pipeline-role';
const STACK = 'arn:aws:cloudformation:us-east-1:111111111111:stack/platform-web';
const ID = '0f5a7c2e-1b3d-4e6f-8a9b-0c1d2e3f4a5b';

/** A Deny of every CloudFormation action on `Resource`, under `Condition` when given. */
const cfnDeny = (Sid: string, Resource: string, Condition?: Json): Statement => ({
  Sid,
  Effect: 'Deny',
  Action: 'cloudformation:*',
  Resource,
  ...(Condition ? { Condition } : {}),
});

/** `s` as a regular expression matching it literally */
const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** how a denied link's why says it is denied: a recommended link is not one the run fails on */
const failsWords = (l: ReportLink): string =>
  l.level === 'recommended' ? `would be denied ${l.permission}` : 'fails';
const RECOMMENDED = '; it is recommended, not required: working pipelines run without it';

function statements(iam: Json): Statement[][] {
  const role = (iam['RoleDetailList'] as Json[]).find((r) => r['RoleName'] === ROLE)!;
  return (role['RolePolicyList'] as Json[]).map(
    (p) => (p['PolicyDocument'] as Json)['Statement'] as Statement[],
  );
}

/** The stack links of the pipeline role once no allow names the stack and `added` is added. */
function stackLinks(...added: Statement[]): ReportLink[] {
  return stackLinksWith(undefined, ...added);
}

/** stackLinks, on a copy `edit` has changed first. */
function stackLinksWith(
  edit: ((dir: string) => void) | undefined,
  ...added: Statement[]
): ReportLink[] {
  return inScenarioCopy(SCENARIO, (dir) => {
    edit?.(dir);
    editJson(join(dir, IAM), (iam) => {
      const all = statements(iam);
      for (const sts of all)
        for (const s of sts) {
          if (s.Sid !== 'CloudFormationStacks') continue;
          s.Resource = (s.Resource as string[]).filter((r) => r !== `${STACK}/*`);
          if (s.Resource.length === 0) s.Resource = 'arn:aws:s3:::nothing';
        }
      all[0]!.push(...added);
    });
    return analyzeModel(loadSnapshot(dir), {
      pipelines: ['platform-web'],
    }).pipelines[0]!.links.filter((l) => l.resource === `${STACK}/*` && l.principal === ROLE_ARN);
  });
}

/** what the stack-id trials try, and the time trials (as the KMS grant case names them) */
const STACK_IDS = 'the id of stack `platform-web` (assigned when it is created)';
const TIMES = '`aws:CurrentTime` (the time of the run)';

function expectDenyAndAllow(links: readonly ReportLink[], sid: string, values: string): void {
  expect(links.length).toBeGreaterThan(0);
  for (const l of links) {
    expect(l.decision, l.id).toBe('ExplicitlyDenied');
    // the explicit deny first, then the allow another value lacks
    expect(
      l.deniedBy.map((d) => [d.policyType, d.statement, d.explicit]),
      l.id,
    ).toEqual([
      ['identity', sid, true],
      ['identity', undefined, false],
    ]);
    expect(l.why, l.id).toContain(`statement \`${sid}\` explicitly denies`);
    // the values the input does not settle, named: they decide which denial it is
    expect(l.why, l.id).toContain(
      ` on \`${STACK}/*\` with some values of ${values}, which the input does not settle; with the others, `,
    );
    expect(l.why, l.id).toContain(`no identity policy of \`${ROLE_ARN}\` allows ${l.permission}`);
    // narrowing the deny alone leaves the other value without an allow, and an allow alone
    // cannot undo the deny: the fix does both
    expect(l.fix, l.id).toMatch(
      /^narrow the deny in identity policy `[^`]+` so it does not cover /,
    );
    expect(l.fix, l.id).toContain(`, and allow \`${l.permission}\``);
  }
}

describe('a link denied implicitly for some values and explicitly for others', () => {
  const AFTER_2020 = { DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } };
  const BEFORE_2020 = { DateLessThanIfExists: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } };
  it.each([
    // the made-up id: no allow; the id the Deny names: denied explicitly
    [
      'the request itself lacks an allow, a value the policies name meets a Deny',
      cfnDeny('DenyOneStack', `${STACK}/${ID}`),
      STACK_IDS,
    ],
    // the made-up id (`0000…`) is denied explicitly; another (`ffff…`) lacks an allow
    [
      'the request itself meets a Deny, another value only lacks an allow',
      cfnDeny('DenySomeStacks', `${STACK}/0*`),
      STACK_IDS,
    ],
    [
      'a key the input does not settle: absent, no Deny applies; with a time, one does',
      cfnDeny('DenyAfter2020', `${STACK}/*`, AFTER_2020),
      TIMES,
    ],
    [
      'a key the input does not settle: absent, a Deny applies; with some times, none does',
      cfnDeny('DenyBefore2020', `${STACK}/*`, BEFORE_2020),
      TIMES,
    ],
  ] as const)('%s', (_title, statement, values) => {
    expectDenyAndAllow(stackLinks(statement), statement.Sid!, values);
  });

  it('with no Deny, every value lacks an allow: implicitly denied, fixed by an allow', () => {
    const links = stackLinks(
      cfnDeny('DenyOtherStacks', 'arn:aws:cloudformation:us-east-1:111111111111:stack/other/*'),
    );
    expect(links.length).toBeGreaterThan(0);
    for (const l of links) {
      expect(l.decision, l.id).toBe('ImplicitlyDenied');
      expect(
        l.deniedBy.every((d) => !d.explicit),
        l.id,
      ).toBe(true);
      expect(l.fix, l.id).not.toContain('narrow');
    }
  });
});

describe('an SCP whose targets are not known denies a link that lacks an allow', () => {
  // written with no Targets: the input does not say where it is attached, if anywhere
  const SCP = 'organization/scp/p-nostacks.json';
  const SCP_ID = 'p-nostacks';
  const writeScp = (dir: string): void =>
    writeFileSync(
      join(dir, SCP),
      JSON.stringify({
        Policy: {
          PolicySummary: {
            Id: SCP_ID,
            Arn: `arn:aws:organizations::999999999999:policy/o-exmpl7a2b9c/service_control_policy/${SCP_ID}`,
            Name: 'NoStacks',
            Type: 'SERVICE_CONTROL_POLICY',
            AwsManaged: false,
          },
          Content: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              { Sid: 'NoStacks', Effect: 'Deny', Action: 'cloudformation:*', Resource: '*' },
            ],
          }),
        },
      }),
    );
  const IF = `if the SCPs of \`${SCP}\` apply (not all their targets are known)`;

  it('denied for the missing allow; the deny is named with its "if", and its file settles it', () => {
    // attached anywhere, the SCP denies it explicitly; attached nowhere, no allow: denied either
    // way, but for its missing allow only is it denied whatever the SCP's targets are
    const links = stackLinksWith(writeScp);
    expect(links.length).toBeGreaterThan(0);
    for (const l of links) {
      const who = `\`${ROLE_ARN}\``;
      expect(l.decision, l.id).toBe('ImplicitlyDenied');
      expect(
        l.deniedBy.map((d) => [d.policyType, d.statement, d.explicit]),
        l.id,
      ).toEqual([
        ['identity', undefined, false],
        ['scp', 'NoStacks', true],
      ]);
      // not a value the input does not settle: where the SCP is attached
      expect(l.why, l.id).not.toContain('some values');
      expect(l.why, l.id).toMatch(
        new RegExp(
          `^.* ${failsWords(l)}: no identity policy of ${esc(who)} allows ${l.permission} on it; `,
        ),
      );
      expect(l.why, l.id).toContain(
        `; ${IF}, SCP \`${SCP_ID} (NoStacks)\` statement \`NoStacks\` explicitly denies ${who} ${l.permission} on \`${STACK}/*\` as well`,
      );
      // the SCP's targets would settle whether its deny applies, and the reports say so
      expect(l.missing, l.id).toEqual([SCP]);
      expect(explainLink(l), l.id).toContain(
        `missing input that would settle whether a deny applies: ${SCP}`,
      );
      expect(explainLink({ ...l, decision: 'Unknown' }), l.id).toContain(
        `missing input that would settle it: ${SCP}`,
      );
      // the allow first; narrowing the SCP's deny only if it applies
      expect(l.fix, l.id).not.toMatch(/^narrow/);
      expect(l.fix, l.id).toContain(`allow \`${l.permission}\``);
      expect(l.fix, l.id).toMatch(
        new RegExp(
          `; ${esc(IF)}, also narrow the deny in SCP \`${SCP_ID} \\(NoStacks\\)\` so it does not cover ${l.permission} for ${esc(who)}$`,
        ),
      );
    }
  });

  it('with a value that meets a Deny too: the value and the SCP are both named', () => {
    const links = stackLinksWith(
      writeScp,
      cfnDeny('DenyAfter2020', `${STACK}/*`, {
        DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' },
      }),
    );
    expect(links.length).toBeGreaterThan(0);
    for (const l of links) {
      expect(l.decision, l.id).toBe('ExplicitlyDenied');
      expect(
        l.deniedBy.map((d) => [d.policyType, d.statement, d.explicit]),
        l.id,
      ).toEqual([
        ['identity', 'DenyAfter2020', true],
        ['identity', undefined, false],
        ['scp', 'NoStacks', true],
      ]);
      expect(l.why, l.id).toContain(
        `statement \`DenyAfter2020\` explicitly denies \`${ROLE_ARN}\` ${l.permission} on \`${STACK}/*\` with some values of ${TIMES}, which the input does not settle; with the others, `,
      );
      expect(l.why, l.id).toContain(`; ${IF}, SCP \`${SCP_ID} (NoStacks)\` statement \`NoStacks\``);
      expect(l.missing, l.id).toEqual([SCP]);
      expect(l.fix, l.id).toMatch(
        /^narrow the deny in identity policy `[^`]+` so it does not cover /,
      );
      expect(l.fix, l.id).toContain(`, and allow \`${l.permission}\``);
      expect(l.fix, l.id).toContain(
        `; ${IF}, also narrow the deny in SCP \`${SCP_ID} (NoStacks)\``,
      );
    }
  });
});

describe('a KMS grant where a value the input does not settle meets an explicit deny', () => {
  const KMS_SCENARIO = 'fixtures/scenarios/codebuild-role-no-kms';
  const KEY_FILE = '111111111111/us-east-1/kms/7c1d9e4a-3b2f-4a6d-8e5c-1f0a9b8c7d6e.json';
  const KEY_ARN = 'arn:aws:kms:us-east-1:111111111111:key/7c1d9e4a-3b2f-4a6d-8e5c-1f0a9b8c7d6e';
  const BUILD_ROLE = 'arn:aws:iam::111111111111:role/service-role/orders-api-build-role';

  function decryptLinks(deny: Json | undefined, edit?: (dir: string) => void): ReportLink[] {
    return inScenarioCopy(KMS_SCENARIO, (dir) => {
      edit?.(dir);
      editJson(join(dir, KEY_FILE), (doc) => {
        doc['Grants'] = [
          {
            KeyId: KEY_ARN,
            GrantId: 'g-1',
            Name: 'build-decrypt',
            IssuingAccount: 'arn:aws:iam::111111111111:root',
            GranteePrincipal: BUILD_ROLE,
            Operations: ['Decrypt'],
          },
        ];
        if (!deny) return;
        const policy = JSON.parse(doc['Policy'] as string) as { Statement: unknown[] };
        policy.Statement.push(deny);
        doc['Policy'] = JSON.stringify(policy);
      });
      return analyzeModel(loadSnapshot(dir))
        .pipelines.flatMap((p) => p.links)
        .filter((l) => l.permission === 'kms:Decrypt' && l.principal === BUILD_ROLE);
    });
  }

  it('the grant allows the call when no deny applies (the base)', () => {
    const links = decryptLinks(undefined);
    expect(links.length).toBeGreaterThan(0);
    for (const l of links) expect(l.decision, l.id).toBe('Allowed');
  });

  it('a Deny on a key whose value is not settled: Unknown, not allowed by the grant', () => {
    // absent, the Deny does not apply and the grant allows; with a time, the Deny applies, and
    // no grant overrides an explicit deny
    const links = decryptLinks({
      Sid: 'NoBuildAfter2020',
      Effect: 'Deny',
      Principal: { AWS: BUILD_ROLE },
      Action: 'kms:Decrypt',
      Resource: '*',
      Condition: { DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } },
    });
    expect(links.length).toBeGreaterThan(0);
    for (const l of links) {
      expect(l.decision, l.id).toBe('Unknown');
      expect(l.why, l.id).toContain('through grant `build-decrypt`');
      expect(l.why, l.id).toContain('statement `NoBuildAfter2020` explicitly denies');
      // the key the trials tried is named (as keyDependence names it); no input gives the time,
      // so no input is missing
      expect(l.why, l.id).toContain(
        'with some values of `aws:CurrentTime` (the time of the run), which the input does not settle,',
      );
      expect(l.missing, l.id).toEqual([]);
    }
  });

  it('an SCP whose targets are not known denies it: Unknown, naming the SCP file', () => {
    // attached at any level, the SCP denies it; attached at none, the grant allows it: the
    // SCP's targets settle it
    const SCP = 'organization/scp/p-nodecrypt.json';
    const links = decryptLinks(undefined, (dir) => {
      writeFileSync(
        join(dir, SCP),
        JSON.stringify({
          Policy: {
            PolicySummary: {
              Id: 'p-nodecrypt',
              Arn: 'arn:aws:organizations::999999999999:policy/o-exmpl7a2b9c/service_control_policy/p-nodecrypt',
              Name: 'NoDecrypt',
              Type: 'SERVICE_CONTROL_POLICY',
              AwsManaged: false,
            },
            Content: JSON.stringify({
              Version: '2012-10-17',
              Statement: [
                { Sid: 'NoDecrypt', Effect: 'Deny', Action: 'kms:Decrypt', Resource: '*' },
              ],
            }),
          },
        }),
      );
    });
    expect(links.length).toBeGreaterThan(0);
    for (const l of links) {
      expect(l.decision, l.id).toBe('Unknown');
      expect(l.why, l.id).toContain('through grant `build-decrypt`');
      expect(l.why, l.id).toContain(`the levels the SCPs of \`${SCP}\` apply at`);
      expect(l.why, l.id).toContain('statement `NoDecrypt` explicitly denies');
      expect(l.missing, l.id).toEqual([SCP]);
    }
  });
});

describe('an explicit deny with no allow behind it', () => {
  const denyAll: Statement = cfnDeny('DenyStack', `${STACK}/*`);

  it('names the missing allow too, and the fix both narrows the deny and adds the allow', () => {
    // every value meets the Deny; without it, no identity policy allows the call either
    const links = stackLinks(denyAll);
    expect(links.length).toBeGreaterThan(0);
    for (const l of links) {
      expect(l.decision, l.id).toBe('ExplicitlyDenied');
      expect(
        l.deniedBy.map((d) => [d.policyType, d.statement, d.explicit]),
        l.id,
      ).toEqual([
        ['identity', 'DenyStack', true],
        ['identity', undefined, false],
      ]);
      expect(l.why, l.id).toMatch(
        new RegExp(
          `^identity policy \`[^\`]+\` statement \`DenyStack\` explicitly denies .*; without the deny, .* ${failsWords(l)}: no identity policy of \`${ROLE_ARN}\` allows ${l.permission} on it${l.level === 'recommended' ? esc(RECOMMENDED) : ''}$`,
        ),
      );
      expect(l.fix, l.id).toMatch(
        /^narrow the deny in identity policy `[^`]+` so it does not cover .*, and allow `/,
      );
      expect(l.fix, l.id).toContain(`, and allow \`${l.permission}\``);
    }
  });

  it('an allow a value the input does not settle may give: the fix only narrows the deny', () => {
    // without the Deny, the allow holds after 2020 (the time of the run, which the input does
    // not give): whether it is missing is not known, so the fix does not claim it
    const links = stackLinks(denyAll, {
      Sid: 'AllowStackAfter2020',
      Effect: 'Allow',
      Action: 'cloudformation:*',
      Resource: `${STACK}/*`,
      Condition: { DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } },
    });
    expect(links.length).toBeGreaterThan(0);
    for (const l of links) {
      expect(l.decision, l.id).toBe('ExplicitlyDenied');
      expect(l.deniedBy.map((d) => [d.statement, d.explicit])).toEqual([['DenyStack', true]]);
      expect(l.why, l.id).not.toContain('without the deny');
      expect(l.fix, l.id).toBe(
        `narrow the deny in identity policy \`${ROLE_ARN} (inline: platform-pipeline-policy)\` so it does not cover ${l.permission} for \`${ROLE_ARN}\``,
      );
    }
  });
});

describe('the fix of an explicitly denied link', () => {
  const deny = (sid: string): Statement => ({
    Sid: sid,
    Effect: 'Deny',
    Action: 'cloudformation:*',
    Resource: `${STACK}/*`,
  });

  /** The stack links of the pipeline role, its allow kept, with `denies` added per policy. */
  function deniedStackLinks(denies: Statement[][]): ReportLink[] {
    return inScenarioCopy(SCENARIO, (dir) => {
      editJson(join(dir, IAM), (iam) => {
        const role = (iam['RoleDetailList'] as Json[]).find((r) => r['RoleName'] === ROLE)!;
        const policies = role['RolePolicyList'] as Json[];
        denies.forEach((sts, i) => {
          if (i === 0) {
            ((policies[0]!['PolicyDocument'] as Json)['Statement'] as Statement[]).push(...sts);
          } else {
            policies.push({
              PolicyName: `guard-${i}`,
              PolicyDocument: { Version: '2012-10-17', Statement: sts },
            });
          }
        });
      });
      const links = analyzeModel(loadSnapshot(dir), { pipelines: ['platform-web'] }).pipelines[0]!
        .links;
      return links.filter((l) => l.resource === `${STACK}/*` && l.principal === ROLE_ARN);
    });
  }

  it('narrows the deny, not the catalog’s allow (an allow cannot undo a deny)', () => {
    const links = deniedStackLinks([[deny('DenyStack')]]);
    expect(links.length).toBeGreaterThan(0);
    for (const l of links) {
      expect(l.decision, l.id).toBe('ExplicitlyDenied');
      expect(l.fix, l.id).toBe(
        `narrow the deny in identity policy \`${ROLE_ARN} (inline: platform-pipeline-policy)\` so it does not cover ${l.permission} for \`${ROLE_ARN}\``,
      );
    }
  });

  it('names every policy whose deny decides it: narrowing one alone leaves it denied', () => {
    const links = deniedStackLinks([[deny('DenyStack')], [deny('GuardStack')]]);
    expect(links.length).toBeGreaterThan(0);
    for (const l of links) {
      expect(l.decision, l.id).toBe('ExplicitlyDenied');
      expect(l.deniedBy.map((d) => d.statement)).toEqual(['DenyStack', 'GuardStack']);
      expect(l.fix, l.id).toBe(
        `narrow the denies in identity policy \`${ROLE_ARN} (inline: platform-pipeline-policy)\` and identity policy \`${ROLE_ARN} (inline: guard-1)\` so they do not cover ${l.permission} for \`${ROLE_ARN}\``,
      );
    }
  });
});
