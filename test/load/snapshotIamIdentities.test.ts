/**
 * Users and groups in iam.json are checked as roles are (snapshotRoleArn.test.ts): an `Arn` that
 * disagrees with `Path` + `UserName` / `GroupName` or with the account folder, or a `Path` IAM
 * could not have produced, is an error at the element and the user or group is not read, so a
 * lookup of it (or a member's group policies) is unknown, naming where, never read under either
 * name. A user's `GroupList` entry that is not a group name IAM could have produced (1 to 128
 * of `[\w+=,.@-]`) is an error at the entry, and the user's permissions are then unknown.
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
const USER_ARN = `arn:aws:iam::${TOOLS}:user/deployer`;
const GROUP_ARN = `arn:aws:iam::${TOOLS}:group/admins`;

/** The fixture with its tools account's user (UserDetailList/0) and group edited. */
function load(change: (user: Json, group: Json) => void): Model {
  return inScenarioCopy(TWO, (dir) => {
    editJson(`${dir}/${IAM}`, (d) =>
      change((d as Json)['UserDetailList'][0], (d as Json)['GroupDetailList'][0]),
    );
    return loadSnapshot(dir);
  });
}

const ids = new Set([
  'snapshot.iam.arn-mismatch',
  'snapshot.path.invalid',
  'snapshot.name.invalid',
  'snapshot.shape.invalid',
]);
const identityProblems = (m: Model): Problem[] => m.problems.filter((p) => ids.has(p.id));
const messages = (m: Model): string[] => identityProblems(m).map((p) => p.message);
const policiesOf = (m: Model) => {
  const user = findUser(m, USER_ARN);
  if (user.kind !== 'found') throw new Error(`the user is ${user.kind}`);
  return userPolicies(m, user.value);
};

describe('a user whose Arn disagrees with its UserName, Path or account folder', () => {
  it('reads the fixture as it is: the user and its group agree', () => {
    const model = load(() => undefined);
    expect(identityProblems(model)).toEqual([]);
    expect(findUser(model, USER_ARN).kind).toBe('found');
    expect(policiesOf(model).identity.map((p) => p.name)).toContain(`${GROUP_ARN} (inline: read)`);
  });

  it('an ARN of another account: an error at the user, the user not read', () => {
    const other = 'arn:aws:iam::999999999999:user/deployer';
    const model = load((user) => {
      user.Arn = other;
    });
    expect(identityProblems(model)).toEqual([
      {
        file: IAM,
        pointer: '/UserDetailList/0',
        message: `the user \`Arn\` \`${other}\` disagrees with the user: its account \`999999999999\` is not that of the account folder, \`${TOOLS}\`: the user is not read`,
        id: 'snapshot.iam.arn-mismatch',
        severity: 'error',
      },
    ]);
    expect(model.accounts.get(TOOLS)!.iam!.users.size).toBe(0);
    // unknown, naming the element, not absent
    expect(findUser(model, USER_ARN)).toEqual({
      kind: 'missing',
      file: `${IAM}#/UserDetailList/0 (not readable)`,
      note: 'iam.json could not be read in full, so `deployer` may be in it',
    });
  });

  it('a Path the ARN does not hold, and another name', () => {
    const model = load((user) => {
      user.Path = '/team/';
    });
    expect(messages(model)).toEqual([
      `the user \`Arn\` \`${USER_ARN}\` disagrees with the user: it names \`user/deployer\` where \`Path\` \`/team/\` and \`UserName\` \`deployer\` make \`user/team/deployer\`: the user is not read`,
    ]);
    expect(findUser(model, USER_ARN).kind).toBe('missing');

    const renamed = load((user) => {
      user.UserName = 'Deployer';
    });
    expect(identityProblems(renamed).map((p) => [p.pointer, p.id])).toEqual([
      ['/UserDetailList/0', 'snapshot.iam.arn-mismatch'],
    ]);
  });

  it('an ARN that is not an IAM user ARN', () => {
    for (const arn of [`arn:aws:iam::${TOOLS}:role/deployer`, `arn:aws:iam::${TOOLS}:deployer`]) {
      const model = load((user) => {
        user.Arn = arn;
      });
      expect(messages(model), arn).toEqual([
        `the user \`Arn\` \`${arn}\` is not an IAM user ARN (\`arn:<partition>:iam::<account>:user<path><name>\`): the user is not read`,
      ]);
      expect(findUser(model, USER_ARN).kind, arn).toBe('missing');
    }
  });

  it('reads a user whose ARN holds its path', () => {
    const arn = `arn:aws:iam::${TOOLS}:user/team/deployer`;
    const model = load((user) => {
      user.Path = '/team/';
      user.Arn = arn;
    });
    expect(identityProblems(model)).toEqual([]);
    const found = findUser(model, arn);
    expect(found.kind === 'found' && [found.value.name, found.value.path]).toEqual([
      'deployer',
      '/team/',
    ]);
  });

  it('a Path IAM could not have produced: an error at the path, the user not read', () => {
    const model = load((user) => {
      user.Path = '/team';
      user.Arn = `arn:aws:iam::${TOOLS}:user/teamdeployer`;
    });
    expect(identityProblems(model)).toEqual([
      {
        file: IAM,
        pointer: '/UserDetailList/0/Path',
        message:
          'the user path `/team` is not `/` nor text between a leading and a trailing `/`, as IAM requires: the user is not read',
        id: 'snapshot.path.invalid',
        severity: 'error',
      },
    ]);
    expect(model.accounts.get(TOOLS)!.iam!.users.size).toBe(0);
  });
});

describe('a group whose Arn disagrees with its GroupName, Path or account folder', () => {
  /** What the user's group `admins` is, when the group is not read. */
  const unknownGroup = (pointer: string): string =>
    `${GROUP_ARN} (the groups of the account could not be read in full: ${IAM}#${pointer} (not readable))`;

  it('an ARN of another name: an error at the group; its members’ policies name it', () => {
    const model = load((_, group) => {
      group.Arn = `arn:aws:iam::${TOOLS}:group/other`;
    });
    expect(identityProblems(model)).toEqual([
      {
        file: IAM,
        pointer: '/GroupDetailList/0',
        message: `the group \`Arn\` \`arn:aws:iam::${TOOLS}:group/other\` disagrees with the group: it names \`group/other\` where \`Path\` \`/\` and \`GroupName\` \`admins\` make \`group/admins\`: the group is not read`,
        id: 'snapshot.iam.arn-mismatch',
        severity: 'error',
      },
    ]);
    expect(model.accounts.get(TOOLS)!.iam!.groups.size).toBe(0);
    // the user is read; what its group grants or denies is unknown, naming where
    expect(policiesOf(model).missing).toEqual([
      unknownGroup('/GroupDetailList/0'),
      `arn:aws:iam::${TOOLS}:group/ghost-group (the groups of the account could not be read in full: ${IAM}#/GroupDetailList/0 (not readable))`,
    ]);
  });

  it('an ARN of another account, or not a group ARN', () => {
    const other = load((_, group) => {
      group.Arn = 'arn:aws:iam::999999999999:group/admins';
    });
    expect(messages(other)).toEqual([
      `the group \`Arn\` \`arn:aws:iam::999999999999:group/admins\` disagrees with the group: its account \`999999999999\` is not that of the account folder, \`${TOOLS}\`: the group is not read`,
    ]);
    const user = load((_, group) => {
      group.Arn = `arn:aws:iam::${TOOLS}:user/admins`;
    });
    expect(messages(user)).toEqual([
      `the group \`Arn\` \`arn:aws:iam::${TOOLS}:user/admins\` is not an IAM group ARN (\`arn:<partition>:iam::<account>:group<path><name>\`): the group is not read`,
    ]);
    expect(user.accounts.get(TOOLS)!.iam!.groups.size).toBe(0);
  });

  it('a Path the ARN does not hold; a Path IAM could not have produced', () => {
    const model = load((_, group) => {
      group.Path = '/ops/';
    });
    expect(messages(model)).toEqual([
      `the group \`Arn\` \`${GROUP_ARN}\` disagrees with the group: it names \`group/admins\` where \`Path\` \`/ops/\` and \`GroupName\` \`admins\` make \`group/ops/admins\`: the group is not read`,
    ]);
    const bad = load((_, group) => {
      group.Path = 'ops/';
      group.Arn = `arn:aws:iam::${TOOLS}:group/ops/admins`;
    });
    expect(identityProblems(bad).map((p) => [p.pointer, p.id, p.message])).toEqual([
      [
        '/GroupDetailList/0/Path',
        'snapshot.path.invalid',
        'the group path `ops/` is not `/` nor text between a leading and a trailing `/`, as IAM requires: the group is not read',
      ],
    ]);
    expect(policiesOf(bad).missing).toContain(unknownGroup('/GroupDetailList/0/Path'));
  });

  it('reads a group whose ARN holds its path: its policies are its members’', () => {
    const model = load((_, group) => {
      group.Path = '/ops/';
      group.Arn = `arn:aws:iam::${TOOLS}:group/ops/admins`;
    });
    expect(identityProblems(model)).toEqual([]);
    expect(policiesOf(model).identity.map((p) => p.name)).toContain(
      `arn:aws:iam::${TOOLS}:group/ops/admins (inline: read)`,
    );
  });
});

describe('a user’s GroupList entries (IAM group names: 1 to 128 of A-Za-z0-9_+=,.@-)', () => {
  it('reads an entry of 128 characters with every allowed character', () => {
    const name = `aZ09_+=,.@-${'g'.repeat(117)}`;
    const model = load((user) => {
      user.GroupList = ['admins', name];
    });
    expect(identityProblems(model)).toEqual([]);
    const found = findUser(model, USER_ARN);
    expect(found.kind === 'found' && found.value.groupNames).toEqual(['admins', name]);
  });

  it('an entry of 129 characters: an error at the entry, the user’s permissions unknown', () => {
    const long = 'g'.repeat(129);
    const model = load((user) => {
      user.GroupList = ['admins', long];
    });
    expect(identityProblems(model)).toEqual([
      {
        file: IAM,
        pointer: '/UserDetailList/0/GroupList/1',
        message: `the group name \`${'g'.repeat(40)}\`… (129 characters) is longer than IAM allows (at most 128 characters): the user's groups, and so its permissions, are unknown`,
        id: 'snapshot.name.invalid',
        severity: 'error',
      },
    ]);
    // the entry is not held, and a lookup of the user is unknown, naming the entry
    expect(model.accounts.get(TOOLS)!.iam!.users.get(USER_ARN)!.groupNames).toEqual(['admins']);
    expect(findUser(model, USER_ARN)).toEqual({
      kind: 'missing',
      file: `${IAM}#/UserDetailList/0/GroupList/1 (not readable)`,
      note: 'it could not be read in full',
    });
  });

  it('rejects an entry with a character IAM does not allow, an empty one, a non-string', () => {
    const model = load((user) => {
      user.GroupList = ['team/admins', '', 'admins', 7];
    });
    expect(identityProblems(model).map((p) => [p.pointer, p.id, p.message])).toEqual([
      [
        '/UserDetailList/0/GroupList/0',
        'snapshot.name.invalid',
        "the group name `team/admins` has characters IAM does not allow (letters, digits and `_+=,.@-`): the user's groups, and so its permissions, are unknown",
      ],
      [
        '/UserDetailList/0/GroupList/1',
        'snapshot.name.invalid',
        "the group name is empty: the user's groups, and so its permissions, are unknown",
      ],
      [
        '/UserDetailList/0/GroupList/3',
        'snapshot.shape.invalid',
        'expected a string, got a number',
      ],
    ]);
    expect(findUser(model, USER_ARN).kind).toBe('missing');
  });
});
