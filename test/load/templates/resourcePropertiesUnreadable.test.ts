/**
 * A resource whose `Properties` is no object of property names (a list, a string, an intrinsic
 * function in place of the object; CloudFormation takes an object and rejects the template) was
 * read as a resource with no properties: a role policy holding a Deny was attached to nothing, and
 * the link it denies became Allowed; a key without readable properties got the default key
 * policy. Found by the structural fuzzer (test/fuzz). Now an input error at `Properties`, and
 * every property is unknown: the policy may be given to any role, the key policy is unknown.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeTemplateText } from './templateModel.js';

const SOURCE = readFileSync('test/load/templates/fixtures/unknowns/role-policy.yaml', 'utf8');
const GUARD = `  Guard:
    Type: AWS::IAM::RolePolicy
    Properties:
      RoleName: !Ref BuildRole
      PolicyName: guard
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Deny
            Action: "s3:PutObject"
            Resource: "*"
`;

const analyze = analyzeTemplateText;

const buildPut = (links: ReturnType<typeof analyze>['links']) =>
  links.find((l) => l.id.startsWith('Build/Build:codebuild-project.output-put-object'))!;

describe('a resource whose Properties is not an object of property names', () => {
  it('the role policy as written denies the upload', () => {
    expect(SOURCE).toContain(GUARD);
    const r = analyze(SOURCE);
    expect(buildPut(r.links).decision).toBe('ExplicitlyDenied');
  });

  it.each([
    ['a list', `    Properties:\n      - RoleName: !Ref BuildRole\n`],
    ['a string', `    Properties: guard\n`],
    // (an `Fn::If` may choose the properties: propertiesTransforms.test.ts)
    ['an intrinsic function', `    Properties: !Cidr [10.0.0.0/16, 2, 8]\n`],
  ])(
    "%s: an input error at Properties, and the policy may be any role's (Unknown, not Allowed)",
    (_what, properties) => {
      const r = analyze(
        SOURCE.replace(GUARD, `  Guard:\n    Type: AWS::IAM::RolePolicy\n${properties}`),
      );
      expect(r.problems).toContain('error /Resources/Guard/Properties template.resource.invalid');
      expect(buildPut(r.links).decision).toBe('Unknown');
    },
  );

  // CloudFormation takes an object of property names in the branch an `Fn::If` chooses too; a
  // chosen list was read as no properties, without a word, and the deny dropped (Allowed)
  it.each([
    ['a list', `    Properties: !If [Always, [x], {}]\n`, '/Fn::If/1'],
    ['a string', `    Properties: !If [Never, {}, guard]\n`, '/Fn::If/2'],
  ])(
    "%s chosen by an Fn::If: an input error at the branch, and the policy may be any role's",
    (_what, properties, branch) => {
      const r = analyze(
        SOURCE.replace(GUARD, `  Guard:\n    Type: AWS::IAM::RolePolicy\n${properties}`).replace(
          'Conditions:\n',
          'Conditions:\n  Always: !Equals [a, a]\n  Never: !Equals [a, b]\n',
        ),
      );
      expect(r.problems).toContain(
        `error /Resources/Guard/Properties${branch} template.resource.invalid`,
      );
      expect(buildPut(r.links).decision).toBe('Unknown');
    },
  );

  it('a key: its key policy is unknown, not the default one', () => {
    const key = / {2}Key:\n {4}Type: AWS::KMS::Key\n {4}Properties:\n( {6}.*\n)+/.exec(SOURCE)![0];
    const r = analyze(
      SOURCE.replace(key, '  Key:\n    Type: AWS::KMS::Key\n    Properties: [x]\n'),
    );
    expect(r.problems).toContain('error /Resources/Key/Properties template.resource.invalid');
    const kms = r.links.filter((l) => l.permission.startsWith('kms:'));
    expect(kms.length).toBeGreaterThan(0);
    // Unknown, naming the unreadable Properties (not denied by a made-up policy, nor Allowed)
    for (const l of kms) {
      expect(l.decision, l.id).toBe('Unknown');
      expect(l.missing, l.id).toEqual([
        expect.stringMatching(/t\.yaml#\/Resources\/Key\/Properties \(not readable\)$/),
      ]);
    }
  });
});
