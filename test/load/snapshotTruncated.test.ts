/**
 * A list file whose output says there is more (`NextToken`, which the AWS CLI adds to output cut
 * by `--max-items` and list commands return raw with `--no-paginate`; `Marker` / `IsTruncated`
 * of IAM; `NextMarker` / `Truncated` of KMS) is not read as complete: what it does not list is
 * unknown, never "outside the organization", "not attached", "does not exist" or "no other
 * rule", and a warning names the file.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import { findRole, orgMembership, resolveKmsKey } from '../../src/model/queries.js';
import type { Model } from '../../src/model/types.js';
import type { Report, ReportLink } from '../../src/report/types.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const PASS = 'fixtures/scenarios/pass-cross-account';
const TOOLS = '111111111111';
const PROD = '222222222222';
const PROD_IAM = `${PROD}/iam.json`;
const DEPLOY_ROLE = `arn:aws:iam::${PROD}:role/orders-api-deploy-action`;
const EVENTS_ROLE = `arn:aws:iam::${TOOLS}:role/service-role/orders-api-events-role`;
const PIPE = `${TOOLS}/us-east-1/codepipeline/orders-api.json`;
const ALIASES = `${TOOLS}/us-east-1/kms/aliases.json`;
const EVENTS = `${TOOLS}/us-east-1/events.json`;
const KEY_ID = '7c1d9e4a-3b2f-4a6d-8e5c-1f0a9b8c7d6e';
const KEY_FILE = `${TOOLS}/us-east-1/kms/${KEY_ID}.json`;
const KMS_SCP = 'organization/scp/p-exmkms003.json';

function read(dir: string, file: string): Json {
  return JSON.parse(readFileSync(join(dir, file), 'utf8')) as Json;
}
function write(dir: string, file: string, doc: unknown): void {
  writeFileSync(join(dir, file), JSON.stringify(doc, null, 2));
}
function edit(dir: string, file: string, change: (d: Json) => void): void {
  const doc = read(dir, file);
  change(doc);
  write(dir, file, doc);
}

function load(change: (dir: string) => void): Model {
  const dir = mkdtempSync(join(tmpdir(), 'permchain-truncated-'));
  cpSync(PASS, dir, { recursive: true });
  change(dir);
  return loadSnapshot(dir);
}
const analyze = (change: (dir: string) => void): Report => analyzeModel(load(change));

const brief = (r: {
  problems: readonly { severity: string; file?: string; pointer: string; id: string }[];
}): string[] => r.problems.map((p) => `${p.severity} ${p.file}#${p.pointer} ${p.id}`);
const linksOf = (r: Report): readonly ReportLink[] => r.pipelines[0]!.links;
const link = (r: Report, id: string): ReportLink => {
  const found = linksOf(r).find((l) => l.id === id);
  if (!found) throw new Error(`no link ${id}`);
  return found;
};

/** An SCP that denies using a key of another account (the deploy role decrypts the tools key). */
function kmsScp(targets: readonly string[]): Json {
  return {
    Policy: {
      PolicySummary: { Id: 'p-exmkms003', Name: 'deny-foreign-kms-keys', AwsManaged: false },
      Content: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Deny',
            Action: 'kms:*',
            Resource: '*',
            Condition: { StringNotEquals: { 'aws:ResourceAccount': '${aws:PrincipalAccount}' } },
          },
        ],
      }),
    },
    Targets: targets.map((t) => ({ TargetId: t, Type: 'ACCOUNT' })),
  };
}

const DECRYPT = 'DeployProd/DeployStack:artifacts.input.kms-decrypt:kms:Decrypt';

describe('organization/accounts.json cut short', () => {
  // the prod account is neither listed nor in parents.json; an SCP attached to it denies the
  // decrypt of the tools account's key
  const setUp = (dir: string, token: unknown): void => {
    edit(dir, 'organization/accounts.json', (d) => {
      d['Accounts'] = d['Accounts'].filter((a: Json) => a['Id'] !== PROD);
      if (token !== undefined) d['NextToken'] = token;
    });
    edit(dir, 'organization/parents.json', (d) => {
      delete d[PROD];
    });
    write(dir, KMS_SCP, kmsScp([PROD]));
  };

  it('reads an account a complete list leaves out, and no SCP is attached to, as outside the organization (control)', () => {
    const report = analyze((dir) => {
      setUp(dir, null);
      write(dir, KMS_SCP, kmsScp([]));
      // nor any other SCP or RCP (FullAWSAccess names every account)
      for (const kind of ['scp', 'rcp'])
        for (const f of readdirSync(join(dir, 'organization', kind)))
          edit(dir, `organization/${kind}/${f}`, (d) => {
            d['Targets'] = (d['Targets'] as Json[]).filter((t) => t['TargetId'] !== PROD);
          });
    });
    expect(brief(report)).toEqual([]);
    expect(link(report, DECRYPT).decision).toBe('Allowed');
  });

  it('an account an SCP is attached to is not outside, whatever the list says: its deny applies (was: read as outside, Allowed)', () => {
    // list-targets-for-policy lists accounts of the organization only
    // (https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListTargetsForPolicy.html)
    const report = analyze((dir) => setUp(dir, null));
    expect(link(report, DECRYPT).decision).toBe('ExplicitlyDenied');
  });

  it('leaves an account a list with NextToken leaves out unknown, so its SCPs are not skipped', () => {
    const model = load((dir) => setUp(dir, 'eyJ...truncated'));
    expect(brief(model)).toEqual([
      'warning organization/accounts.json#/Accounts snapshot.list.truncated',
    ]);
    expect(model.problems[0]!.message).toBe(
      'the output is truncated (`NextToken` is set): an account not listed is unknown, not outside the organization; run `aws organizations list-accounts` without `--max-items` or `--no-paginate`',
    );
    expect(orgMembership(model, PROD)).toEqual({
      kind: 'unknown',
      file: 'organization/accounts.json',
    });
    // the account's membership is unknown, but the SCP is attached to it, which only a member
    // can be (https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListTargetsForPolicy.html):
    // its deny applies, whatever the levels above it are
    const report = analyzeModel(model);
    const decrypt = link(report, DECRYPT);
    expect(decrypt.decision).toBe('ExplicitlyDenied');
    expect(decrypt.deniedBy.map((r) => r.policyType)).toContain('scp');
    expect(report.pipelines[0]!.verdict).toBe('fail');
    // a listed account is still a member
    expect(orgMembership(model, TOOLS).kind).toBe('member');
  });

  it('reads a NextToken of the wrong type (false, a number) as cut, and reports it', () => {
    for (const token of [false, 7]) {
      const model = load((dir) => setUp(dir, token));
      expect(orgMembership(model, PROD).kind).toBe('unknown');
      expect(
        brief(model).some(
          (b) =>
            b.startsWith('error organization/accounts.json#') &&
            b.endsWith('snapshot.shape.invalid'),
        ),
      ).toBe(true);
    }
  });
});

describe('an SCP file whose Targets are cut short', () => {
  // the SCP lists another account only, and says there are more targets
  const setUp = (dir: string, token: unknown): void =>
    write(dir, KMS_SCP, { ...kmsScp(['333333333333']), NextToken: token });

  it('applies an SCP at the targets a complete list gives (control)', () => {
    const report = analyze((dir) => setUp(dir, null));
    expect(brief(report)).toEqual([]);
    expect(link(report, DECRYPT).decision).toBe('Allowed');
  });

  it('does not drop an SCP a truncated target list may attach to the account', () => {
    const report = analyze((dir) => setUp(dir, 'AAAA'));
    expect(brief(report)).toEqual([`warning ${KMS_SCP}#/Targets snapshot.list.truncated`]);
    const decrypt = link(report, DECRYPT);
    expect(decrypt.decision).toBe('Unknown');
    expect(decrypt.missing).toEqual([KMS_SCP]);
  });
});

describe('iam.json cut short', () => {
  const dropDeployRole = (d: Json): void => {
    d['RoleDetailList'] = d['RoleDetailList'].filter(
      (r: Json) => r['RoleName'] !== 'orders-api-deploy-action',
    );
  };
  const assume = 'DeployProd/DeployStack:action.assume-action-role:sts:AssumeRole';

  it('reads a role a complete iam.json does not list as not existing (control)', () => {
    const report = analyze((dir) => edit(dir, PROD_IAM, (d) => dropDeployRole(d)));
    expect(link(report, assume).decision).toBe('ImplicitlyDenied');
  });

  it.each([
    ['NextToken', 'AAAA'],
    ['Marker', 'BBBB'],
    ['IsTruncated', true],
  ])('leaves a role unknown when iam.json has %s', (key, value) => {
    const model = load((dir) =>
      edit(dir, PROD_IAM, (d) => {
        dropDeployRole(d);
        d[key] = value;
      }),
    );
    expect(brief(model)).toEqual([`warning ${PROD_IAM}# snapshot.list.truncated`]);
    expect(model.problems[0]!.message).toContain(`(\`${key}\` is set)`);
    expect(model.accounts.get(PROD)!.iam!.truncated).toBe(true);
    expect(findRole(model, DEPLOY_ROLE)).toMatchObject({ kind: 'missing', file: PROD_IAM });
    const report = analyzeModel(model);
    const mine = linksOf(report).filter((l) => l.principal === DEPLOY_ROLE);
    expect(mine.length).toBeGreaterThan(0);
    for (const l of mine) {
      expect(l.decision, l.id).toBe('Unknown');
      expect(l.missing, l.id).toEqual([PROD_IAM]);
    }
  });

  it('reads IsTruncated false and a null NextToken as complete', () => {
    const model = load((dir) =>
      edit(dir, PROD_IAM, (d) => {
        d['IsTruncated'] = false;
        d['NextToken'] = null;
      }),
    );
    expect(brief(model)).toEqual([]);
    expect(model.accounts.get(PROD)!.iam!.truncated).toBe(false);
  });

  it('reads a flag of the wrong type as an input error, and the list as cut', () => {
    const model = load((dir) => edit(dir, PROD_IAM, (d) => (d['IsTruncated'] = 'false')));
    expect(brief(model)).toEqual([
      `warning ${PROD_IAM}# snapshot.list.truncated`,
      `error ${PROD_IAM}#/IsTruncated snapshot.shape.invalid`,
    ]);
    expect(model.accounts.get(PROD)!.iam!.truncated).toBe(true);
  });
});

describe('kms/aliases.json cut short', () => {
  // the artifact store names its key by an alias the list does not hold
  const setUp = (dir: string, more: Json): void => {
    edit(dir, PIPE, (d) => {
      d['pipeline']['artifactStore']['encryptionKey']['id'] =
        `arn:aws:kms:us-east-1:${TOOLS}:alias/orders-artifacts`;
    });
    write(dir, ALIASES, { Aliases: [], ...more });
  };
  const generate = 'Source/Source:artifacts.output.kms-generate-data-key:kms:GenerateDataKey';

  it('reads an alias a complete list does not hold as not existing (control)', () => {
    const report = analyze((dir) => setUp(dir, { Truncated: false }));
    expect(link(report, generate).decision).toBe('ImplicitlyDenied');
  });

  it.each([
    ['NextToken', 'AAAA'],
    ['NextMarker', 'BBBB'],
    ['Truncated', true],
  ])('leaves an alias unknown when aliases.json has %s', (key, value) => {
    const model = load((dir) => setUp(dir, { [key]: value }));
    expect(brief(model)).toEqual([`warning ${ALIASES}#/Aliases snapshot.list.truncated`]);
    expect(resolveKmsKey(model, TOOLS, 'us-east-1', 'alias/orders-artifacts')).toEqual({
      kind: 'missing',
      file: `${ALIASES}#/Aliases (truncated)`,
      note: 'the aliases are listed in part only, so `alias/orders-artifacts` may be one',
    });
    const l = link(analyzeModel(model), generate);
    expect(l.decision).toBe('Unknown');
    expect(l.missing).toEqual([`${ALIASES}#/Aliases (truncated)`]);
  });
});

describe('a key file whose Grants are cut short', () => {
  it('reads the grants as unknown', () => {
    const grants = [{ GrantId: 'g1', GranteePrincipal: DEPLOY_ROLE, Operations: ['Decrypt'] }];
    const complete = load((dir) => edit(dir, KEY_FILE, (d) => (d['Grants'] = grants)));
    expect(
      complete.accounts.get(TOOLS)!.regions.get('us-east-1')!.kmsKeys.get(KEY_ID)!.grants,
    ).toHaveLength(1);
    const cut = load((dir) =>
      edit(dir, KEY_FILE, (d) => {
        d['Grants'] = grants;
        d['Truncated'] = true;
        d['NextMarker'] = 'AAAA';
      }),
    );
    expect(brief(cut)).toEqual([`warning ${KEY_FILE}#/Grants snapshot.list.truncated`]);
    const key = cut.accounts.get(TOOLS)!.regions.get('us-east-1')!.kmsKeys.get(KEY_ID)!;
    expect(key.grants).toBeUndefined();
  });
});

describe('events.json whose Rules are cut short', () => {
  const trigger = (r: Report): [string, string, readonly string[] | undefined][] =>
    linksOf(r)
      .filter((l) => l.requirement.startsWith('trigger.'))
      .map((l) => [l.id, l.decision, l.missing]);

  it('checks the listed rules, and leaves the trigger unknown for the rules not listed', () => {
    const complete = analyze(() => {});
    expect(trigger(complete).map(([, d]) => d)).toEqual(['Allowed', 'Allowed']);

    const report = analyze((dir) => edit(dir, EVENTS, (d) => (d['NextToken'] = 'AAAA')));
    expect(brief(report)).toEqual([`warning ${EVENTS}#/Rules snapshot.list.truncated`]);
    const unlisted = `${EVENTS}#/Rules (truncated: a rule not listed may start the pipeline)`;
    const links = trigger(report);
    // the listed rule's links are decided as before
    expect(links.filter(([id]) => !id.includes('(rules not listed)')).map(([, d]) => d)).toEqual([
      'Allowed',
      'Allowed',
    ]);
    const standIn = links.filter(([id]) => id.includes('(rules not listed)'));
    expect(standIn.length).toBeGreaterThan(0);
    for (const [id, decision, missing] of standIn) {
      expect(decision, id).toBe('Unknown');
      expect(missing, id).toEqual([unlisted]);
    }
    expect(report.pipelines[0]!.verdict).toBe('unknown');
    // the listed rule keeps its role
    expect(
      linksOf(report).some(
        (l) => l.requirement.startsWith('trigger.') && l.principal === EVENTS_ROLE,
      ),
    ).toBe(true);
  });
});
