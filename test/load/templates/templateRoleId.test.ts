/**
 * `aws:userid` of a role session is `<RoleId>:<session name>`, and a bucket kept to some roles
 * denies unless it is `StringLike` `<RoleId>:*`
 * (https://aws.amazon.com/blogs/security/how-to-restrict-amazon-s3-bucket-access-to-a-specific-iam-role/);
 * a template writes that `!Sub "${BuildRole.RoleId}:*"`. `Fn::GetAtt Role.RoleId` gave a made-up
 * id, but the role model had none, so every link such a policy covered was Unknown ("the role
 * session id"). A role the template creates now has the same made-up id as its RoleId: the
 * template's own references carry it, as they will carry the real one. A literal RoleId in a
 * policy (another input's, written with the deployed role's id) may be this role's once
 * deployed: it is tried, and the link is Unknown when it decides otherwise.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generatedUniqueId } from '../../../src/load/templateNames.js';
import type { ReportLink } from '../../../src/report/types.js';
import { analyzeTemplateText } from './templateModel.js';

const SOURCE = readFileSync('test/load/templates/fixtures/unknowns/policy-roles.yaml', 'utf8');
const DENY_POLICY = SOURCE.slice(SOURCE.indexOf('  DenyPolicy:'), SOURCE.indexOf('  Pipeline:'));
const BUCKET = 'art-bucket-111';
const PIPELINE_ROLE = 'arn:aws:iam::111111111111:role/pipe-role';
const BUILD_ROLE = 'arn:aws:iam::111111111111:role/build-role';

/** the fixture with a bucket policy that denies every object call unless aws:userid is like `ids` */
function onlyUserIds(ids: readonly string[]): string {
  const policy = [
    '  BucketPolicy:',
    '    Type: AWS::S3::BucketPolicy',
    '    Properties:',
    '      Bucket: !Ref Bucket',
    '      PolicyDocument:',
    '        Version: "2012-10-17"',
    '        Statement:',
    '          - Sid: OnlyTheseRoles',
    '            Effect: Deny',
    '            Principal: "*"',
    '            Action: "s3:*"',
    '            Resource: !Sub "${Bucket.Arn}/*"',
    '            Condition:',
    '              StringNotLike:',
    `                aws:userid: [${ids.join(', ')}]`,
    '',
  ].join('\n');
  return SOURCE.replace(DENY_POLICY, policy);
}

function objectLinks(text: string): readonly ReportLink[] {
  const r = analyzeTemplateText(text);
  expect(r.problems.filter((p) => p.startsWith('error'))).toEqual([]);
  return r.links.filter((l) => l.resource.startsWith(`arn:aws:s3:::${BUCKET}/`));
}

const decisionsOf = (links: readonly ReportLink[], principal: string): string[] => {
  const found = links.filter((l) => l.principal === principal);
  expect(found.length).toBeGreaterThan(0);
  return [...new Set(found.map((l) => l.decision))].sort();
};

describe("a template role's RoleId in aws:userid", () => {
  it('`${BuildRole.RoleId}:*` allows the build role (it was Unknown)', () => {
    const links = objectLinks(onlyUserIds(['!Sub "${BuildRole.RoleId}:*"']));
    expect(decisionsOf(links, BUILD_ROLE)).toEqual(['Allowed']);
  });

  it('and denies the pipeline role, which it does not name, by its statement (it was Unknown)', () => {
    const links = objectLinks(onlyUserIds(['!Sub "${BuildRole.RoleId}:*"']));
    const pipeline = links.filter((l) => l.principal === PIPELINE_ROLE);
    expect(decisionsOf(links, PIPELINE_ROLE)).toEqual(['ExplicitlyDenied']);
    expect(pipeline[0]!.deniedBy).toEqual([
      expect.objectContaining({ policyType: 'resource', statement: 'OnlyTheseRoles' }),
    ]);
  });

  it('both roles named: both allowed', () => {
    const links = objectLinks(
      onlyUserIds(['!Sub "${BuildRole.RoleId}:*"', '!Sub "${PipelineRole.RoleId}:*"']),
    );
    expect(decisionsOf(links, BUILD_ROLE)).toEqual(['Allowed']);
    expect(decisionsOf(links, PIPELINE_ROLE)).toEqual(['Allowed']);
  });

  it('a literal RoleId may be the one a template role gets when deployed: Unknown where it decides otherwise, naming the role', () => {
    // the pipeline role's real id may be this one: denied with the made-up id, allowed with it
    const links = objectLinks(
      onlyUserIds(['!Sub "${BuildRole.RoleId}:*"', '"AROAEXAMPLEDEPLOYED01:*"']),
    );
    expect(decisionsOf(links, BUILD_ROLE)).toEqual(['Allowed']);
    const pipeline = links.filter((l) => l.principal === PIPELINE_ROLE);
    expect(decisionsOf(links, PIPELINE_ROLE)).toEqual(['Unknown']);
    expect(pipeline[0]!.why).toMatch(
      /^the answer depends on `aws:userid`, the role session id \(the role's RoleId and the session name the service picks\): the role is created by the template at `[^`]*t\.yaml:32` and AWS gives its RoleId when the stack is deployed \(`AROA\w+` is made up\), and the link's policies name the RoleId `AROAEXAMPLEDEPLOYED01`, perhaps the one it gets, which the input does not settle: the bucket policy of `arn:aws:s3:::art-bucket-111` statement `OnlyTheseRoles` \(at `[^`]*t\.yaml:\d+`\) tests it$/,
    );
    expect(pipeline[0]!.missing).toEqual([expect.stringMatching(/t\.yaml:32$/)]);
  });

  it('a RoleId pattern that some ids match (`AROAB*:*`) leaves every template role Unknown; one every role id matches (`AROA*`) or none does (`AIDA*`, a user) does not', () => {
    const some = objectLinks(onlyUserIds(['!Sub "${BuildRole.RoleId}:*"', '"AROAB*:*"']));
    expect(decisionsOf(some, BUILD_ROLE)).toEqual(['Unknown']);
    expect(decisionsOf(some, PIPELINE_ROLE)).toEqual(['Unknown']);
    const all = objectLinks(onlyUserIds(['"AROA*:*"']));
    expect(decisionsOf(all, BUILD_ROLE)).toEqual(['Allowed']);
    expect(decisionsOf(all, PIPELINE_ROLE)).toEqual(['Allowed']);
    const none = objectLinks(onlyUserIds(['!Sub "${BuildRole.RoleId}:*"', '"AIDA*:*"']));
    expect(decisionsOf(none, BUILD_ROLE)).toEqual(['Allowed']);
    expect(decisionsOf(none, PIPELINE_ROLE)).toEqual(['ExplicitlyDenied']);
  });

  it('the made-up id of a template role is the one Fn::GetAtt gives, and the same on each read', () => {
    const id = generatedUniqueId('AROA', 't', 'BuildRole');
    // a literal copy of the made-up id reads as the template's reference does
    const links = objectLinks(onlyUserIds([`"${id}:*"`]));
    expect(decisionsOf(links, BUILD_ROLE)).toEqual(['Allowed']);
    expect(decisionsOf(links, PIPELINE_ROLE)).toEqual(['ExplicitlyDenied']);
  });
});
