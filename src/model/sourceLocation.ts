/**
 * Credentials in a CodeBuild source `location`, removed wherever a location is read: by the
 * crawler before it writes a snapshot (src/crawl/redact.ts), and by the loaders of snapshots and
 * templates, which may be hand-made or written by a team's own tools, so that no report quotes
 * one (a CODECOMMIT location that is not a clone URL is quoted in the reason its link is
 * Unknown).
 */
import { REDACTION_MARKER } from './buildspec.js';

/**
 * A source `location` URL loses its user part (redactUrlUserinfo) and, when it has them, its
 * query string and fragment, each replaced whole by the marker: a token may be sent there
 * (`?private_token=`, `?access_token=`, `#token=`) under any parameter name, and the analyzer
 * reads no query or fragment (a CODECOMMIT location is read only when it is a clone URL without
 * either, src/chain/actionFacts.ts). Only a URL with a scheme is changed: an S3 location
 * (`bucket/key`) is an object key, which may hold `?` or `#`, and stays as it is.
 */
export function redactSourceLocation(location: string): string {
  const url = redactUrlUserinfo(location);
  const scheme = SCHEME.exec(url)?.[0];
  if (scheme === undefined) return url;
  const m = /^([^?#]*)(\?[^#]*)?(#.*)?$/s.exec(url.slice(scheme.length))!;
  if (m[2] === undefined && m[3] === undefined) return url;
  return `${scheme}${m[1]}${m[2] !== undefined ? `?${REDACTION_MARKER}` : ''}${m[3] !== undefined ? `#${REDACTION_MARKER}` : ''}`;
}

/**
 * A scheme, with the forced-getter prefix Terraform modules and go-getter put before it
 * (`git::https://user:token@host/repo.git`,
 * https://developer.hashicorp.com/terraform/language/modules/sources#generic-git-repository):
 * text pasted from one is still a URL whose user part holds credentials.
 */
const SCHEME = /^(?:[a-z][a-z0-9+.-]*::)?[a-z][a-z0-9+.-]*:\/\//i;

/**
 * `scheme://user:password@host/path`: the user part of a URL's authority (RFC 3986 section 3.2.1)
 * is replaced by the marker; scheme, host, port and path stay. A source `location` may be such a
 * URL (`https://user:token@host/repo.git`, or a token alone as the user). A pasted password may
 * hold a raw `/`, `?`, `#` or `@` (`https://user:pa/ss@host/repo`), where a URL parser would end
 * the authority too early, and such a text can also read as a URL with an `@` in its path
 * (`https://first.last:1234/pw@host/` is user `first.last`, password `1234/pw`, or host
 * `first.last`, port 1234, path `/pw@host/`). No reading of the text can tell them apart, so the
 * cut never tries: the marker runs from `//` to the LAST `@` of the whole text. A URL with an `@`
 * in its path, query or fragment (`https://github.com/org/repo@v1.git`) loses what comes before
 * that `@` (it is over-redacted); a password is never kept. No repository URL `analyze` reads has
 * one: a CodeCommit clone URL's path is `/v1/repos/<name>`, whose name has no `@`
 * (https://docs.aws.amazon.com/codecommit/latest/APIReference/API_CreateRepository.html), nor do
 * GitHub, GitLab and Bitbucket repository paths. A location without a scheme (an S3
 * `bucket/key`; an SSH `git@host:org/repo.git`, whose user is no secret) or without an `@` is
 * returned unchanged.
 */
export function redactUrlUserinfo(location: string): string {
  const scheme = SCHEME.exec(location)?.[0];
  if (scheme === undefined) return location;
  const rest = location.slice(scheme.length);
  const lastAt = rest.lastIndexOf('@');
  if (lastAt < 0) return location;
  return `${scheme}${REDACTION_MARKER}${rest.slice(lastAt)}`;
}

/** A source location as a loader keeps it: without the credentials it may hold. */
export function locationWithoutCredentials(location: string | undefined): string | undefined {
  return location === undefined ? undefined : redactSourceLocation(location);
}
