/**
 * A character U+E000 in a policy that an analysis reads (session 29): the ids a Deny names for a
 * file an S3 deploy extracts (resolveLink.ts namedIds) are found with the statement's policy
 * variables read from the request, in a pattern where a literal `*` (an escape `${*}`) was once
 * written U+E000 and turned back into `*` in the name found. A real U+E000 written in the policy
 * became a `*` too: the file tried was `…/111111111111/*`. The evaluator read that U+E000 as an
 * escaped `*` as well, so the Deny denied the file tried and the link was Unknown, by two wrongs;
 * with the evaluator right (test/evaluate/privateUseCharacters.test.ts), the Deny on
 * `…/111111111111/\uE000` does not name `…/111111111111/*`, and that name mapping alone makes the
 * link Allowed although a file named `111111111111/\uE000` is denied. IAM compares the character
 * as it is (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html).
 */
import { describe, expect, it } from 'vitest';
import type { ReportLink } from '../../src/report/types.js';
import { docsPutLink } from './scenarioCopy.js';

const DOCS = 'arn:aws:s3:::platform-docs-111111111111';
const E0 = '\uE000';

/** The S3 deploy's link that writes the files it extracts, with a Deny on `resource`. */
function docsPut(resource: string): ReportLink {
  return docsPutLink({
    Sid: 'NoPrivateUse',
    Effect: 'Deny',
    Action: 's3:PutObject',
    Resource: resource,
  });
}

describe('a U+E000 in a Deny with a policy variable names the file of that character', () => {
  it('the file `111111111111/\\uE000` under docs/ is denied: Unknown (Allowed with the old name mapping)', () => {
    const l = docsPut(`${DOCS}/docs/\${aws:PrincipalAccount}/${E0}`);
    expect(l.resource).toBe(`${DOCS}/docs/*`);
    expect(l.decision).toBe('Unknown');
    expect(l.why).toContain('NoPrivateUse');
  });

  it('beside an escape: the file `111111111111/*\\uE000` (Allowed with the old name mapping)', () => {
    const l = docsPut(`${DOCS}/docs/\${aws:PrincipalAccount}/\${*}${E0}`);
    expect(l.decision).toBe('Unknown');
    expect(l.why).toContain('NoPrivateUse');
  });

  it('written without a policy variable: `\\uE000*` and `\\uE000?` under docs/ name files starting with that character (Allowed if it were read as an escape)', () => {
    // (the pattern as written, in namedIds: a U+E000 there escapes nothing)
    for (const resource of [`${DOCS}/docs/${E0}*`, `${DOCS}/docs/${E0}?`]) {
      const l = docsPut(resource);
      expect(l.decision, resource).toBe('Unknown');
      expect(l.why, resource).toContain('NoPrivateUse');
    }
  });

  it('the controls: an escape alone, and a U+E000 outside docs/', () => {
    // (as before: the file named `*`)
    expect(docsPut(`${DOCS}/docs/\${aws:PrincipalAccount}/\${*}`).decision).toBe('Unknown');
    expect(docsPut(`${DOCS}/\${aws:PrincipalAccount}/${E0}`).decision).toBe('Allowed');
  });
});
