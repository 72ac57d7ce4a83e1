/**
 * A CodeBuild source `location` may be a URL with credentials in it (`https://user:token@host/`):
 * the user part is replaced by the marker, scheme, host and path stay; other locations are kept.
 */
import { describe, expect, it } from 'vitest';
import { REDACTED, redactCodeBuildProject } from '../../src/crawl/redact.js';
import { redactSourceLocation, redactUrlUserinfo } from '../../src/model/sourceLocation.js';
import { mulberry32 as random, picker } from '../differential/generator.js';

describe('CodeBuild source location with credentials', () => {
  it('strips user and password from source and secondary source locations', () => {
    const project = redactCodeBuildProject({
      name: 'p',
      source: { type: 'GITHUB', location: 'https://alice:ghp_s3cr3tT0ken@github.com/org/repo.git' },
      secondarySources: [
        { type: 'BITBUCKET', location: 'https://x-token-auth:p@ss@bitbucket.org/org/lib.git' },
        { type: 'GITHUB_ENTERPRISE', location: 'https://ghp_onlyAToken@ghe.example.com:8443/o/r' },
        { type: 'S3', location: 'artifact-bucket/source/app.zip' },
        {
          type: 'CODECOMMIT',
          location: 'https://git-codecommit.us-east-1.amazonaws.com/v1/repos/app',
        },
      ],
    });
    expect(project).toEqual({
      name: 'p',
      source: { type: 'GITHUB', location: `https://${REDACTED}@github.com/org/repo.git` },
      secondarySources: [
        { type: 'BITBUCKET', location: `https://${REDACTED}@bitbucket.org/org/lib.git` },
        { type: 'GITHUB_ENTERPRISE', location: `https://${REDACTED}@ghe.example.com:8443/o/r` },
        { type: 'S3', location: 'artifact-bucket/source/app.zip' },
        {
          type: 'CODECOMMIT',
          location: 'https://git-codecommit.us-east-1.amazonaws.com/v1/repos/app',
        },
      ],
    });
    const text = JSON.stringify(project);
    for (const secret of ['alice', 'ghp_s3cr3tT0ken', 'x-token-auth', 'p@ss', 'ghp_onlyAToken'])
      expect(text).not.toContain(secret);
  });

  it('cuts at the last @ even in the path or query, and leaves a location without a scheme', () => {
    // over-redacted: the text could be a password holding `/` (see below)
    expect(redactUrlUserinfo('https://github.com/org/repo@v1.git')).toBe(
      `https://${REDACTED}@v1.git`,
    );
    expect(redactUrlUserinfo('https://host/path?ref=a@b')).toBe(`https://${REDACTED}@b`);
    expect(redactUrlUserinfo('https://host/path')).toBe('https://host/path');
    expect(redactUrlUserinfo('user@host:repo.git')).toBe('user@host:repo.git');
    expect(redactUrlUserinfo('HTTPS://u:p@Host/x')).toBe(`HTTPS://${REDACTED}@Host/x`);
  });

  it('reads a Terraform-style forced-getter prefix (git::) before the scheme as part of it', () => {
    expect(redactUrlUserinfo('git::https://u:tf-S3CRET@host.example.com/org/repo.git')).toBe(
      `git::https://${REDACTED}@host.example.com/org/repo.git`,
    );
    expect(redactSourceLocation('git::https://host.example.com/repo.git?ref=S3CRET#S3CRET')).toBe(
      `git::https://host.example.com/repo.git?${REDACTED}#${REDACTED}`,
    );
    // not a prefix: an SSH location's user is no secret, and stays
    expect(redactUrlUserinfo('git::git@github.com:org/repo.git')).toBe(
      'git::git@github.com:org/repo.git',
    );
  });

  it('replaces the query string and fragment of a source URL, which may carry a token', () => {
    const project = redactCodeBuildProject({
      name: 'p',
      source: {
        type: 'GITLAB',
        location: 'https://gitlab.example.com/org/repo.git?private_token=glpat-S3CRET1',
      },
      secondarySources: [
        { type: 'GITHUB', location: 'https://github.com/org/lib.git?access_token=ghp_S3CRET2' },
        {
          type: 'GITHUB_ENTERPRISE',
          location: 'https://u:ghp_S3CRET3@ghe.example.com/o/r?ref=main&Token=S3CRET4#auth=S3CRET5',
        },
        { type: 'BITBUCKET', location: 'https://bitbucket.org/org/x.git#token=S3CRET6' },
        // an S3 object key may hold `?` and `#`: not a URL, kept
        { type: 'S3', location: 'artifact-bucket/src?v=1#a.zip' },
      ],
    });
    expect(project).toEqual({
      name: 'p',
      source: { type: 'GITLAB', location: `https://gitlab.example.com/org/repo.git?${REDACTED}` },
      secondarySources: [
        { type: 'GITHUB', location: `https://github.com/org/lib.git?${REDACTED}` },
        {
          type: 'GITHUB_ENTERPRISE',
          location: `https://${REDACTED}@ghe.example.com/o/r?${REDACTED}#${REDACTED}`,
        },
        { type: 'BITBUCKET', location: `https://bitbucket.org/org/x.git#${REDACTED}` },
        { type: 'S3', location: 'artifact-bucket/src?v=1#a.zip' },
      ],
    });
    expect(JSON.stringify(project)).not.toMatch(/S3CRET/);
    expect(redactSourceLocation('https://host/repo.git?token=a%0Ab\nc')).toBe(
      `https://host/repo.git?${REDACTED}`,
    );
    expect(redactSourceLocation('https://host/repo.git')).toBe('https://host/repo.git');
    expect(
      redactSourceLocation('https://git-codecommit.us-east-1.amazonaws.com/v1/repos/app'),
    ).toBe('https://git-codecommit.us-east-1.amazonaws.com/v1/repos/app');
  });
});

/**
 * A pasted password may hold a raw `/`, `?`, `#` or `@` (not percent-encoded); no character of it
 * may be kept. Ordinary URLs keep host and path; a URL with an `@` after its host loses what
 * comes before that `@` (over-redacted), which is accepted: such a text may be a password.
 */
describe('source location whose password holds a raw / ? # or @', () => {
  const R = REDACTED;
  const leaking: [location: string, expected: string, secrets: string[]][] = [
    [
      'https://user:pa/ss@github.com/org/repo.git',
      `https://${R}@github.com/org/repo.git`,
      ['pa', 'ss@'],
    ],
    ['https://user:p?w#d@host/repo', `https://${R}@host/repo`, ['p?w', 'w#d', 'd@']],
    ['https://user:p#w@host/repo?x=1', `https://${R}@host/repo?${R}`, ['p#w', 'w@']],
    [
      'https://user:p/a@ss@github.com/org/repo.git',
      `https://${R}@github.com/org/repo.git`,
      ['p/a', 'ss@'],
    ],
    ['https://user:123/pw@github.com/org/repo', `https://${R}@github.com/org/repo`, ['123', 'pw']],
    ['https://user:/pw@github.com/org/repo', `https://${R}@github.com/org/repo`, ['user', 'pw']],
    // a token alone as the user, holding a `/`
    [
      'https://ghp_ab/cd@github.com/org/repo',
      `https://${R}@github.com/org/repo`,
      ['ghp_ab', 'cd@'],
    ],
    // the password `p@w.x/y`: after a user part, a later `@` may still be in the password
    ['https://u:p@w.x/y@github.com/org/repo', `https://${R}@github.com/org/repo`, ['w.x', '/y@']],
    ['https://u:p@w?x@host/repo', `https://${R}@host/repo`, ['@w', 'x@']],
    // texts that are also URLs with an `@` in their path: a dotted user and a password of digits
    // up to a `/` (or host first.last, port 1234), a dotted token holding a `/`, a one-label user
    // before a one-label host
    ['https://first.last:1234/pw@host/', `https://${R}@host/`, ['first', 'last', '1234', 'pw']],
    ['https://to.ken/x@host/', `https://${R}@host/`, ['to.ken', 'x@']],
    ['https://tok/en@srv/', `https://${R}@srv/`, ['tok', 'en@']],
    ['https://tok/en@srv.example.com/r', `https://${R}@srv.example.com/r`, ['tok', 'en@']],
    // CodeCommit HTTPS Git credentials
    [
      'https://alice-at-111111111111:Ab/Cd+Ef=@git-codecommit.us-east-1.amazonaws.com/v1/repos/app',
      `https://${R}@git-codecommit.us-east-1.amazonaws.com/v1/repos/app`,
      ['alice', 'Ab', 'Cd+Ef='],
    ],
    // an access key pair in an S3 URL; a secret access key may hold `/` (AWS's own example key does:
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html)
    [
      's3://AKIAIOSFODNN7EXAMPLE:wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY@bucket/key.zip',
      `s3://${R}@bucket/key.zip`,
      ['AKIA', 'wJalr', 'K7MDENG', 'bPxRfiCYEXAMPLEKEY'],
    ],
  ];
  it.each(leaking)('%s loses every character of its user part', (location, expected, secrets) => {
    const out = redactSourceLocation(location);
    expect(out).toBe(expected);
    for (const secret of secrets) expect(out).not.toContain(secret);
  });

  it('keeps the user part out of the CodeBuild project', () => {
    const project = redactCodeBuildProject({
      name: 'p',
      source: { type: 'GITHUB', location: 'https://user:pa/ss@github.com/org/repo.git' },
      secondarySources: [{ type: 'GITLAB', location: 'https://user:p?w#d@gitlab.com/o/r' }],
    });
    expect(project).toEqual({
      name: 'p',
      source: { type: 'GITHUB', location: `https://${R}@github.com/org/repo.git` },
      secondarySources: [{ type: 'GITLAB', location: `https://${R}@gitlab.com/o/r` }],
    });
  });

  const kept: [location: string, expected: string][] = [
    // SSH scp-like location: no scheme, its user (`git`) is no secret
    ['git@github.com:org/repo.git', 'git@github.com:org/repo.git'],
    ['ssh://git@github.com/org/repo.git', `ssh://${R}@github.com/org/repo.git`],
    ['https://ghe.example.com:8443/o/r', 'https://ghe.example.com:8443/o/r'],
    ['https://[fd00::5]:8443/o/r.git', 'https://[fd00::5]:8443/o/r.git'],
    [
      'https://git-codecommit.us-east-1.amazonaws.com/v1/repos/app',
      'https://git-codecommit.us-east-1.amazonaws.com/v1/repos/app',
    ],
    // presigned-looking query strings: no user part, the query is replaced whole
    [
      'https://b.s3.us-east-1.amazonaws.com/src.zip?X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20240101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=0123abcd',
      `https://b.s3.us-east-1.amazonaws.com/src.zip?${R}`,
    ],
    [
      'https://b.s3.amazonaws.com/src.zip?X-Amz-Credential=AKIA/2024/s3&X-Amz-Security-Token=Fw@b.c/d#e@f.g',
      // over-redacted (an `@` in the query)
      `https://${R}@f.g`,
    ],
    // over-redacted: an `@` anywhere may end a user part whose password holds `/`, `?` or `#`,
    // so the cut is made at the last one
    ['https://host/path?ref=a@b', `https://${R}@b`],
    ['s3://bucket/key@v2', `s3://${R}@v2`],
    ['https://host/path/with@sign', `https://${R}@sign`],
    ['https://github.com/org/repo@v1.git', `https://${R}@v1.git`],
    ['https://ghe.example.com:8443/o/r@v1', `https://${R}@v1`],
    ['https://10.0.0.5/o/r@v1.git', `https://${R}@v1.git`],
    ['https://u:tok@github.com/org/repo?ref=a@b', `https://${R}@b`],
    ['https://u:tok@github.com/org/repo@v1.git', `https://${R}@v1.git`],
    ['https://gitserver/org/repo@v1.git', `https://${R}@v1.git`],
  ];
  it.each(kept)('%s becomes %s', (location, expected) => {
    expect(redactSourceLocation(location)).toBe(expected);
  });
});

describe('generated locations with credentials', () => {
  // every credential character but the separators is upper case, every other part lower case:
  // an upper-case letter in the output is a kept piece of the credential
  const rnd = random(20261207);
  const pick = picker(rnd);
  const word = (letters: string, n: number): string =>
    Array.from({ length: n }, () => letters[Math.floor(rnd() * letters.length)]).join('');
  const credential = (): string =>
    Array.from({ length: 1 + Math.floor(rnd() * 4) }, () =>
      word('ABCDEFGHIJKLMNOPQRSTUVWXYZ', 1 + Math.floor(rnd() * 4)),
    ).join(pick(['/', '?', '#', '@', ':', '.', '%2F', '']));
  const host = (): string =>
    pick([
      () => `${word('abcdefgh', 4)}.example.com`,
      () => word('abcdefgh', 5),
      () => `${word('abcdefgh', 3)}.${word('abcdefgh', 3)}:8443`,
      () => '10.0.0.5',
      () => '[fd00::5]',
    ])();
  const path = (): string =>
    pick(['', '/', '/org/repo.git', '/o/r@v1', '/v1/repos/app', '/a?ref=x@y', '/p#frag@z']);

  it('never keep a character of the user part', () => {
    for (let i = 0; i < 3000; i++) {
      const user = pick([credential(), `${credential()}:${credential()}`, `:${credential()}`]);
      const scheme = pick(['https://', 'http://', 'ssh://', 's3://', 'git::https://']);
      const location = `${scheme}${user}@${host()}${path()}`;
      const out = redactSourceLocation(location);
      expect(out, location).not.toMatch(/[A-Z]/);
      expect(out.startsWith(scheme), location).toBe(true);
      // the loaders redact what the crawler wrote again: nothing more is lost
      expect(redactSourceLocation(out), location).toBe(out);
    }
  });
});
