/**
 * An unquoted YAML 1.1 scalar whose reading CloudFormation does not document (`y`, `n`: a
 * Boolean in YAML 1.1, text elsewhere) is read as an unknown value (templateParse.ts). Where the
 * template needs a map (`Resources`, a resource, its `Properties`), that unknown value was taken
 * for one: `Properties: n` was a resource whose properties were the unknown value's own fields, a
 * role policy with no role (its Deny dropped: a wrong Allowed), and `Resources: y` a template
 * with resources named `reason` and `pointer`. Each is now read as a string there is: an input
 * error at its pointer.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { noManagedPolicies } from '../../../src/load/managedPolicies.js';
import { loadSingleTemplate } from '../../../src/load/stacks.js';
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

const buildPut = (links: ReturnType<typeof analyzeTemplateText>['links']) =>
  links.find((l) => l.id.startsWith('Build/Build:codebuild-project.output-put-object'))!;

/** SOURCE with `from` (found once) replaced by `to` */
function edit(from: string, to: string): string {
  expect(SOURCE.split(from)).toHaveLength(2);
  return SOURCE.replace(from, to);
}

describe('a YAML 1.1 scalar the loader cannot settle where a map is expected', () => {
  it("`Properties: n`: an input error at Properties, as a string there is; the policy may be any role's", () => {
    for (const value of ['n', 'guard']) {
      const r = analyzeTemplateText(
        edit(GUARD, `  Guard:\n    Type: AWS::IAM::RolePolicy\n    Properties: ${value}\n`),
      );
      expect(r.problems.filter((p) => p.startsWith('error'))).toEqual([
        'error /Resources/Guard/Properties template.resource.invalid',
      ]);
      expect(buildPut(r.links).decision).toBe('Unknown');
    }
  });

  it('a resource `Guard: y`: an input error at the resource, as a string there is', () => {
    for (const value of ['y', 'guard']) {
      const r = analyzeTemplateText(edit(GUARD, `  Guard: ${value}\n`));
      expect(r.problems.filter((p) => p.startsWith('error'))).toEqual([
        'error /Resources/Guard template.resource.invalid',
      ]);
      expect(buildPut(r.links).decision).toBe('Unknown');
    }
  });

  it('`Resources: y`: the template has no Resources, as with a string there; no resource is made up', () => {
    for (const value of ['y', 'none']) {
      const dir = mkdtempSync(join(tmpdir(), 'permchain-structure-'));
      try {
        const file = join(dir, 't.yaml');
        writeFileSync(file, `AWSTemplateFormatVersion: "2010-09-09"\nResources: ${value}\n`);
        const { problems } = loadSingleTemplate(file, {
          account: '111111111111',
          region: 'us-east-1',
          managedPolicies: noManagedPolicies,
        });
        expect(
          problems.filter((p) => p.severity === 'error').map((p) => [p.id, p.pointer]),
        ).toEqual([['template.resources.missing', '']]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });

  it('a template that is `y`: not an object, as a string there is', () => {
    for (const value of ['y', 'none']) {
      const dir = mkdtempSync(join(tmpdir(), 'permchain-structure-'));
      try {
        const file = join(dir, 't.yaml');
        writeFileSync(file, `${value}\n`);
        const { problems } = loadSingleTemplate(file, {
          account: '111111111111',
          region: 'us-east-1',
          managedPolicies: noManagedPolicies,
        });
        expect(
          problems.filter((p) => p.severity === 'error').map((p) => [p.id, p.pointer]),
        ).toEqual([
          ['template.resources.missing', ''],
          ['template.shape.invalid', ''],
        ]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });
});
