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
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ReportLink } from '../../src/report/types.js';
import { boundaryPolicyEntry, docsPutLink, editJson, type Json } from './scenarioCopy.js';

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

/**
 * The docs put link with the pipeline role's docs grant narrowed to `granted` (file paths under
 * `docs/`) and a permissions boundary that allows every call but s3:PutObject, and that one on
 * `bounded`: each must allow the file, and no input gives its name.
 */
function docsPutBounded(granted: string, bounded: string): ReportLink {
  const boundaryArn = 'arn:aws:iam::111111111111:policy/docs-boundary';
  // (a statement for another action: docsPutLink adds one; this one names nothing for the link)
  const unrelated = {
    Sid: 'Unrelated',
    Effect: 'Allow',
    Action: 's3:GetObject',
    Resource: `${DOCS}/none`,
  };
  return docsPutLink(unrelated, (dir) =>
    editJson(join(dir, '111111111111/iam.json'), (iam) => {
      const role = (iam['RoleDetailList'] as Json[]).find(
        (r) => r['RoleName'] === 'platform-pipeline-role',
      )!;
      role['PermissionsBoundary'] = {
        PermissionsBoundaryType: 'Policy',
        PermissionsBoundaryArn: boundaryArn,
      };
      const inline = (role['RolePolicyList'] as Json[])[0]!;
      const statements = (inline['PolicyDocument'] as Json)['Statement'] as Json[];
      statements.find((x) => x['Sid'] === 'DocsBucketDeploy')!['Resource'] = [
        DOCS,
        `${DOCS}/docs/${granted}`,
      ];
      (iam['Policies'] as Json[]).push(
        boundaryPolicyEntry(boundaryArn, {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', NotAction: 's3:PutObject', Resource: '*' },
            { Effect: 'Allow', Action: 's3:PutObject', Resource: `${DOCS}/docs/${bounded}` },
          ],
        }),
      );
    }),
  );
}

// When every file name tried is denied, by the grant or by the boundary, a name both allow is
// searched for (resolveLink.ts jointTrial), in the patterns read as pattern text with escapes. A
// U+E000 written in a pattern without variables is that character (see above): read as an
// escape, `a\uE000*` asked for the name `a*` exactly, which `*z` does not meet, and the link was
// denied though `a\uE000…z` is allowed by both.
describe('a U+E000 in one of two Allow patterns that must both allow', () => {
  it('a file name both allow holds that character: Unknown (denied when read as an escape)', () => {
    const l = docsPutBounded(`a${E0}*`, '*z');
    expect(l.decision).toBe('Unknown');
    expect(l.why).toContain('each allow some');
  });

  it('the control: patterns no name meets together are denied', () => {
    expect(docsPutBounded(`a${E0}`, '*z').decision).toBe('ImplicitlyDenied');
  });
});
