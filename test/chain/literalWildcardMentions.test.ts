/**
 * A condition value with a policy variable, read by the analysis as a name it may match
 * (resolveLink.ts conditionMatcher), is compiled as pattern text with escapes (`escaped`,
 * wildcard.ts PATTERN_ESCAPE): a StringEquals value's `*` and `?` are characters, since it takes
 * no wildcards (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_String),
 * and so are a StringLike or ArnLike value's escapes `${*}` and `${?}`
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#policy-vars-specialchars);
 * a U+E000 is itself. Compiled as plain pattern text, each escape became a U+E000 to match and
 * the `*` or `?` after it a wildcard (a U+E000, a second one to match): the statement matched
 * neither the file named `111111111111/*` it names nor any other, and the link's why said it
 * "matches some paths … and not others" where it names exactly one. (The decision, Unknown, does
 * not depend on it: the trial of the named path is made from the statement's text with the
 * variable read from the request, and the evaluator decides it; a mention's match is read for a
 * decision only with a variable the request does not give, whose condition then matches no
 * value.)
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import type { ReportLink } from '../../src/report/types.js';
import { editInlineStatements, editJson, inScenarioCopy, type Json } from './scenarioCopy.js';

const DOCS = 'arn:aws:s3:::platform-docs-111111111111';

/**
 * The S3 deploy's KMS call for a file it extracts, with `statement` added to the pipeline
 * role's policy. The docs bucket's S3 Bucket Key is turned off, so that S3 sends the object's
 * ARN as `aws:s3:arn`
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#encryption-context).
 */
function docsKmsLink(statement: Json): ReportLink {
  return inScenarioCopy('fixtures/scenarios/all-providers', (dir) => {
    editInlineStatements(dir, '111111111111', 'platform-pipeline-role', (st) => st.push(statement));
    editJson(join(dir, '111111111111/s3/platform-docs-111111111111.json'), (bucket) => {
      const rules = (bucket['ServerSideEncryptionConfiguration'] as { Rules: Json[] }).Rules;
      rules[0]!['BucketKeyEnabled'] = false;
    });
    const p = analyzeModel(loadSnapshot(dir), { pipelines: ['platform-legacy'] }).pipelines[0]!;
    const found = p.links.filter((l) => l.requirement === 's3-deploy.kms-generate-data-key');
    expect(found).toHaveLength(1);
    return found[0]!;
  });
}

describe('a condition on the object ARN with a policy variable and a literal `*`, `?` or U+E000', () => {
  it.each([
    ['StringEquals', '*'],
    ['StringEquals', '?'],
    ['StringEquals', '\\uE000'],
    ['StringLike', '${*}'],
    ['StringLike', '${?}'],
    ['StringLike', '\\uE000'],
    ['ArnLike', '${*}'],
  ])(
    '%s `…/${aws:PrincipalAccount}/%s` names one file: whether it is extracted is not known',
    (op, c) => {
      const l = docsKmsLink({
        Sid: 'OneFile',
        Effect: 'Deny',
        Action: 'kms:GenerateDataKey*',
        Resource: '*',
        Condition: {
          [op]: {
            'kms:EncryptionContext:aws:s3:arn': `${DOCS}/docs/\${aws:PrincipalAccount}/${c.replace('\\uE000', '\uE000')}`,
          },
        },
      });
      expect(l.decision).toBe('Unknown');
      expect(l.why).toContain('OneFile');
      // (caught: the text compiled without `escaped`, which matches no path, so the why said the
      // statement "matches some paths … and not others")
      expect(l.why).toContain('and whether that is the path of each file extracted under');
      expect(l.why).not.toContain('and not others');
    },
  );
});
