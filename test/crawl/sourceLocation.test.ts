/**
 * A CodeBuild source `location` may be a URL with credentials in it (`https://user:token@host/`):
 * the user part is replaced by the marker, scheme, host and path stay; other locations are kept.
 */
import { describe, expect, it } from 'vitest';
import {
  REDACTED,
  redactCodeBuildProject,
  redactSourceLocation,
  redactUrlUserinfo,
} from '../../src/crawl/redact.js';

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

  it('leaves an @ in the path or query alone, and a location without a scheme', () => {
    expect(redactUrlUserinfo('https://github.com/org/repo@v1.git')).toBe(
      'https://github.com/org/repo@v1.git',
    );
    expect(redactUrlUserinfo('https://host/path?ref=a@b')).toBe('https://host/path?ref=a@b');
    expect(redactUrlUserinfo('user@host:repo.git')).toBe('user@host:repo.git');
    expect(redactUrlUserinfo('HTTPS://u:p@Host/x')).toBe(`HTTPS://${REDACTED}@Host/x`);
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
