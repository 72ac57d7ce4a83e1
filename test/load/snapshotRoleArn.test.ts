/**
 * A role's `Arn` in iam.json is its name in trust policies, pipelines and lookups; its
 * `RoleName`, `Path` and the account folder the file is in say the same thing again. Where they
 * disagree (a hand-edited or pieced-together file), or where `Path` is not a path IAM could have
 * produced, the role is an input error at its pointer and is not read: what needs it is Unknown,
 * naming the file, never decided for the wrong role. A role whose ARN holds its path is read.
 */
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import { findRole } from '../../src/model/queries.js';
import type { Model } from '../../src/model/types.js';
import type { Problem } from '../../src/problems.js';
import { exitCodeFor } from '../../src/report/gate.js';
import { editJson, inScenarioCopy } from '../chain/scenarioCopy.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const PASS = 'fixtures/scenarios/pass-cross-account';
const PROD = '222222222222';
const PROD_IAM = `${PROD}/iam.json`;
const DEPLOY = 'orders-api-deploy-action';
const DEPLOY_ARN = `arn:aws:iam::${PROD}:role/${DEPLOY}`;
const CFN_ARN = `arn:aws:iam::${PROD}:role/orders-api-cfn-exec`;

/** The scenario with the deploy role (RoleDetailList/0 of the prod account) edited. */
function load(change: (role: Json) => void): Model {
  return inScenarioCopy(PASS, (dir) => {
    editJson(`${dir}/${PROD_IAM}`, (d) => change((d as Json)['RoleDetailList'][0]));
    return loadSnapshot(dir);
  });
}

const ids = new Set(['snapshot.iam.arn-mismatch', 'snapshot.path.invalid']);
const roleProblems = (m: Model): Problem[] => m.problems.filter((p) => ids.has(p.id));
const messages = (m: Model): string[] => roleProblems(m).map((p) => p.message);

/** The role is not read: its links are Unknown, naming the file, and the CLI exits 2. */
function expectNotRead(model: Model, pointer: string): void {
  const lookup = findRole(model, DEPLOY_ARN);
  expect(lookup.kind).toBe('missing');
  expect(lookup.kind === 'missing' && lookup.file).toContain(`${PROD_IAM}#${pointer} (`);
  // the other roles of the account are still read
  expect(findRole(model, CFN_ARN).kind).toBe('found');
  const report = analyzeModel(model);
  const links = report.pipelines[0]!.links.filter((l) => l.principal === DEPLOY_ARN);
  expect(links.length).toBeGreaterThan(0);
  for (const l of links) {
    expect(l.decision, l.id).toBe('Unknown');
    expect((l.missing ?? []).join(' '), l.id).toContain(`${PROD_IAM}#${pointer}`);
  }
  expect(exitCodeFor(report, 'denied')).toBe(2);
}

describe('a role whose Arn disagrees with its RoleName, Path or account folder', () => {
  it('reads the scenario as it is: every role agrees', () => {
    const model = inScenarioCopy(PASS, (dir) => loadSnapshot(dir));
    expect(roleProblems(model)).toEqual([]);
    expect(findRole(model, DEPLOY_ARN).kind).toBe('found');
  });

  it('an ARN with another path and name: an error at the role, naming both, the role not read', () => {
    const model = load((role) => {
      role.Arn = `arn:aws:iam::${PROD}:role/deploy/Other`;
    });
    expect(roleProblems(model)).toEqual([
      {
        file: PROD_IAM,
        pointer: '/RoleDetailList/0',
        message: `the role \`Arn\` \`arn:aws:iam::${PROD}:role/deploy/Other\` disagrees with the role: it names \`role/deploy/Other\` where \`Path\` \`/\` and \`RoleName\` \`${DEPLOY}\` make \`role/${DEPLOY}\`: the role is not read`,
        id: 'snapshot.iam.arn-mismatch',
        severity: 'error',
      },
    ]);
    expectNotRead(model, '/RoleDetailList/0');
    // nor under the ARN the file gave it
    expect(findRole(model, `arn:aws:iam::${PROD}:role/deploy/Other`).kind).toBe('missing');
  });

  it('a Path the ARN does not hold', () => {
    const model = load((role) => {
      role.Path = '/deploy/';
    });
    expect(messages(model)).toEqual([
      `the role \`Arn\` \`${DEPLOY_ARN}\` disagrees with the role: it names \`role/${DEPLOY}\` where \`Path\` \`/deploy/\` and \`RoleName\` \`${DEPLOY}\` make \`role/deploy/${DEPLOY}\`: the role is not read`,
    ]);
    expectNotRead(model, '/RoleDetailList/0');
  });

  it('a RoleName of another case than the ARN', () => {
    const model = load((role) => {
      role.RoleName = DEPLOY.toUpperCase();
    });
    expect(roleProblems(model).map((p) => [p.pointer, p.id])).toEqual([
      ['/RoleDetailList/0', 'snapshot.iam.arn-mismatch'],
    ]);
    expectNotRead(model, '/RoleDetailList/0');
  });

  it('an ARN of another account than the folder', () => {
    const model = load((role) => {
      role.Arn = `arn:aws:iam::999999999999:role/${DEPLOY}`;
    });
    expect(messages(model)).toEqual([
      `the role \`Arn\` \`arn:aws:iam::999999999999:role/${DEPLOY}\` disagrees with the role: its account \`999999999999\` is not that of the account folder, \`${PROD}\`: the role is not read`,
    ]);
    expectNotRead(model, '/RoleDetailList/0');
    expect(findRole(model, `arn:aws:iam::999999999999:role/${DEPLOY}`).kind).toBe('missing');
  });

  it('another account and another name: both are named', () => {
    const model = load((role) => {
      role.Arn = 'arn:aws:iam::111122223333:role/deploy/Other';
      role.RoleName = 'Deploy';
    });
    expect(messages(model)).toEqual([
      `the role \`Arn\` \`arn:aws:iam::111122223333:role/deploy/Other\` disagrees with the role: its account \`111122223333\` is not that of the account folder, \`${PROD}\`, and it names \`role/deploy/Other\` where \`Path\` \`/\` and \`RoleName\` \`Deploy\` make \`role/Deploy\`: the role is not read`,
    ]);
  });

  it('an ARN that is not an IAM role ARN', () => {
    for (const arn of [
      DEPLOY,
      `arn:aws:sts::${PROD}:assumed-role/${DEPLOY}/s`,
      `arn:aws:iam::${PROD}:user/${DEPLOY}`,
      `arn:aws:iam:us-east-1:${PROD}:role/${DEPLOY}`,
    ]) {
      const model = load((role) => {
        role.Arn = arn;
      });
      expect(messages(model), arn).toEqual([
        `the role \`Arn\` \`${arn}\` is not an IAM role ARN (\`arn:<partition>:iam::<account>:role<path><name>\`): the role is not read`,
      ]);
      expect(findRole(model, DEPLOY_ARN).kind, arn).toBe('missing');
    }
  });

  it('no Path is `/`: an ARN without a path is read, one with a path is not', () => {
    const read = load((role) => {
      delete role.Path;
    });
    expect(roleProblems(read)).toEqual([]);
    expect(findRole(read, DEPLOY_ARN).kind).toBe('found');

    const model = load((role) => {
      delete role.Path;
      role.Arn = `arn:aws:iam::${PROD}:role/deploy/${DEPLOY}`;
    });
    expect(messages(model)).toEqual([
      `the role \`Arn\` \`arn:aws:iam::${PROD}:role/deploy/${DEPLOY}\` disagrees with the role: it names \`role/deploy/${DEPLOY}\` where no \`Path\` (so \`/\`) and \`RoleName\` \`${DEPLOY}\` make \`role/${DEPLOY}\`: the role is not read`,
    ]);
  });

  it('keeps a 1 MB ARN out of the message', () => {
    const model = load((role) => {
      role.Arn = `arn:aws:iam::${PROD}:role/${'x'.repeat(1 << 20)}`;
    });
    const [p] = roleProblems(model);
    expect(p!.message.length).toBeLessThan(400);
    expect(p!.message).toContain('characters)');
  });
});

describe('a role whose Path is not one IAM could have produced', () => {
  /** A path and the ARN it makes, so only the path is wrong. */
  const withPath = (path: string) => (role: Json) => {
    role.Path = path;
    role.Arn = `arn:aws:iam::${PROD}:role${path}${DEPLOY}`;
  };
  const PATH_ERROR = 'snapshot.path.invalid';

  it('reads a role with a path, the path in its ARN', () => {
    const model = load(withPath('/service-role/'));
    expect(roleProblems(model)).toEqual([]);
    const arn = `arn:aws:iam::${PROD}:role/service-role/${DEPLOY}`;
    const role = findRole(model, arn);
    expect(role.kind === 'found' && [role.value.arn, role.value.name, role.value.path]).toEqual([
      arn,
      DEPLOY,
      '/service-role/',
    ]);
    // named without its path, it is not taken for the role (an IAM ARN holds the path)
    expect(findRole(model, DEPLOY_ARN).kind).toBe('missing');
  });

  it('reads paths at the limits: 512 characters, `!`, `~` and DEL, nested slashes', () => {
    for (const path of [`/${'p'.repeat(510)}/`, '/!~\u007f/', '/a/b/c/', '///']) {
      const model = load(withPath(path));
      expect(roleProblems(model), path).toEqual([]);
      expect(
        findRole(model, `arn:aws:iam::${PROD}:role${path}${DEPLOY}`).kind,
        path.slice(0, 10),
      ).toBe('found');
    }
  });

  it('a path without its trailing slash: an error at the path, the role not read', () => {
    const model = load(withPath('/deploy'));
    expect(roleProblems(model)).toEqual([
      {
        file: PROD_IAM,
        pointer: '/RoleDetailList/0/Path',
        message:
          'the role path `/deploy` is not `/` nor text between a leading and a trailing `/`, as IAM requires: the role is not read',
        id: PATH_ERROR,
        severity: 'error',
      },
    ]);
    expectNotRead(model, '/RoleDetailList/0/Path');
  });

  it('rejects paths of other shapes, characters and lengths', () => {
    const shape = 'is not `/` nor text between a leading and a trailing `/`, as IAM requires';
    const chars =
      'has characters IAM does not allow (ASCII from `!` to DEL: no space, no control character, nothing outside ASCII)';
    const cases: [string, string][] = [
      ['deploy/', `the role path \`deploy/\` ${shape}`],
      ['//', `the role path \`//\` ${shape}`],
      ['', 'the role path is empty'],
      ['/a b/', `the role path \`/a b/\` ${chars}`],
      ['/a\tb/', `the role path \`/a\tb/\` ${chars}`],
      ['/é/', `the role path \`/é/\` ${chars}`],
      [
        `/${'p'.repeat(511)}/`,
        `the role path \`/${'p'.repeat(39)}\`… (513 characters) is longer than IAM allows (at most 512 characters)`,
      ],
    ];
    for (const [path, message] of cases) {
      const model = load(withPath(path));
      expect(messages(model), path.slice(0, 10)).toEqual([`${message}: the role is not read`]);
      expect(findRole(model, DEPLOY_ARN).kind).toBe('missing');
    }
  });
});
