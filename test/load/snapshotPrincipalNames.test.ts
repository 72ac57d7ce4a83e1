/**
 * IAM user names (1 to 64 characters) and group names (1 to 128) of `[\w+=,.@-]` in iam.json are
 * checked as role names are: a name IAM could not have produced is an input error at the name,
 * and the user or group is not read, so what needs it is unknown, naming where, never read as
 * absent. A name at the limit, with every character IAM allows, is read as before.
 */
import { describe, expect, it } from 'vitest';
import { loadSnapshot } from '../../src/load/snapshot.js';
import { findUser, userPolicies } from '../../src/model/queries.js';
import type { Model } from '../../src/model/types.js';
import type { Problem } from '../../src/problems.js';
import { editJson, inScenarioCopy } from '../chain/scenarioCopy.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const TWO = 'test/load/fixtures/two-account';
const TOOLS = '111111111111';
const IAM = `${TOOLS}/iam.json`;

/** The fixture with its tools account's iam.json edited. */
function load(change: (d: Json) => void): Model {
  return inScenarioCopy(TWO, (dir) => {
    editJson(`${dir}/${IAM}`, (d) => change(d as Json));
    return loadSnapshot(dir);
  });
}

const nameProblems = (m: Model): Problem[] =>
  m.problems.filter((p) => p.id === 'snapshot.name.invalid');
/** `n` characters: the allowed ones first, padded with `x`. */
const nameOf = (allowed: string, n: number): string => (allowed + 'x'.repeat(n)).slice(0, n);
const ALLOWED = 'aZ09_+=,.@-';

describe('user names (IAM: 1 to 64 of A-Za-z0-9_+=,.@-)', () => {
  const rename = (name: string) => (d: Json) => {
    const user = d['UserDetailList'][0];
    user.UserName = name;
    user.Arn = `arn:aws:iam::${TOOLS}:user/${name}`;
  };
  const arnOf = (name: string): string => `arn:aws:iam::${TOOLS}:user/${name}`;

  it('reads a name of 64 characters with every allowed character', () => {
    const name = nameOf(ALLOWED, 64);
    const model = load(rename(name));
    expect(nameProblems(model)).toEqual([]);
    expect(findUser(model, arnOf(name)).kind).toBe('found');
  });

  it('does not read a user whose name is 65 characters: a lookup of it is unknown, not absent', () => {
    const name = 'u'.repeat(65);
    const model = load(rename(name));
    expect(nameProblems(model)).toEqual([
      {
        file: IAM,
        pointer: '/UserDetailList/0/UserName',
        message: `the user name \`${'u'.repeat(40)}\`… (65 characters) is longer than IAM allows (at most 64 characters): the user is not read`,
        id: 'snapshot.name.invalid',
        severity: 'error',
      },
    ]);
    expect(findUser(model, arnOf(name))).toEqual({
      kind: 'missing',
      file: `${IAM}#/UserDetailList/0/UserName (not readable)`,
      note: `iam.json could not be read in full, so \`${name}\` may be in it`,
    });
  });

  it('rejects a character IAM does not allow, and an empty name', () => {
    expect(nameProblems(load(rename('de ployer'))).map((p) => p.message)).toEqual([
      'the user name `de ployer` has characters IAM does not allow (letters, digits and `_+=,.@-`): the user is not read',
    ]);
    expect(nameProblems(load(rename(''))).map((p) => p.message)).toEqual([
      'the user name is empty: the user is not read',
    ]);
  });
});

describe('group names (IAM: 1 to 128 of A-Za-z0-9_+=,.@-)', () => {
  /**
   * The group `admins` renamed, and the user in it under that name, or under `member` (a user's
   * `GroupList` entry IAM could not have produced is itself an input error, which makes the user
   * unknown: snapshotIamIdentities.test.ts).
   */
  const rename =
    (name: string, member = name) =>
    (d: Json) => {
      const group = d['GroupDetailList'][0];
      group.GroupName = name;
      group.Arn = `arn:aws:iam::${TOOLS}:group/${name}`;
      d['UserDetailList'][0].GroupList = [member];
    };
  const policiesOf = (m: Model) => {
    const user = findUser(m, `arn:aws:iam::${TOOLS}:user/deployer`);
    if (user.kind !== 'found') throw new Error('the user is not found');
    return userPolicies(m, user.value);
  };

  it('reads a name of 128 characters with every allowed character: its policies are the user’s', () => {
    const name = nameOf(ALLOWED, 128);
    const model = load(rename(name));
    expect(nameProblems(model)).toEqual([]);
    const policies = policiesOf(model);
    expect(policies.missing).toEqual([]);
    expect(policies.identity.map((p) => p.name)).toContain(
      `arn:aws:iam::${TOOLS}:group/${name} (inline: read)`,
    );
  });

  it('does not read a group whose name is 129 characters: its members’ policies name where', () => {
    const name = 'g'.repeat(129);
    // the user is in the group under its old name: a valid one
    const model = load(rename(name, 'admins'));
    expect(nameProblems(model)).toEqual([
      {
        file: IAM,
        pointer: '/GroupDetailList/0/GroupName',
        message: `the group name \`${'g'.repeat(40)}\`… (129 characters) is longer than IAM allows (at most 128 characters): the group is not read`,
        id: 'snapshot.name.invalid',
        severity: 'error',
      },
    ]);
    expect(model.accounts.get(TOOLS)!.iam!.groups.size).toBe(0);
    // the user is read; what its group grants is unknown, and the input error is named
    expect(policiesOf(model).missing).toEqual([
      `arn:aws:iam::${TOOLS}:group/admins (the groups of the account could not be read in full: ${IAM}#/GroupDetailList/0/GroupName (not readable))`,
    ]);
  });

  it('rejects a character IAM does not allow (a path is not part of the name)', () => {
    expect(nameProblems(load(rename('team/admins', 'admins'))).map((p) => p.message)).toEqual([
      'the group name `team/admins` has characters IAM does not allow (letters, digits and `_+=,.@-`): the group is not read',
    ]);
  });

  it('a group listed nowhere, in a file read in full, is still named by its ARN alone', () => {
    const model = load(() => undefined);
    expect(policiesOf(model).missing).toEqual([`arn:aws:iam::${TOOLS}:group/ghost-group`]);
  });
});
