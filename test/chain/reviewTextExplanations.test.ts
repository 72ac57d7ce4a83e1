/**
 * The explanations the text and markdown reports print (review of the text and markdown reports):
 * - several identity policies without the allow are named by whose they are, not as a bare
 *   `identity policies` that the reports printed as "identity policy identity policies";
 * - an SCP level of several SCPs is named by its target and its SCPs, not as `level 2`;
 * - an Unknown link that turns on a condition key names the statements that test it;
 * - an Allow that only its condition keeps from allowing is named, with the condition, and the
 *   fix is about that condition, not an allow that is already there;
 * - a file the input holds is not "missing from the input": it could not be read, or does not
 *   say where it applies;
 * - an Unknown link's why never opens with "allowed";
 * - a fix whose resource holds a name the input does not give shows a slot to fill.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import type { ReportLink } from '../../src/report/types.js';
import { editJson, inScenarioCopy, type Json } from './scenarioCopy.js';

const DEMO = 'fixtures/demo';
const DEPLOY_ROLE = 'arn:aws:iam::222222222222:role/demo-deploy-action';
const BUILD_ROLE = 'arn:aws:iam::111111111111:role/service-role/demo-build-role';
const KEY = 'arn:aws:kms:us-east-1:111111111111:key/0b6e3a5c-4c1f-4d0a-9d47-6f2f3e1a9c10';
const KEY_FILE = '111111111111/us-east-1/kms/0b6e3a5c-4c1f-4d0a-9d47-6f2f3e1a9c10.json';
const BUCKET = 'arn:aws:s3:::demo-artifacts-111111111111-us-east-1';
const BUCKET_FILE = '111111111111/s3/demo-artifacts-111111111111-us-east-1.json';
const GUARD_FILE = 'organization/scp/p-demoguard1.json';

type Statement = Json & { Sid?: string };

function links(dir: string): ReportLink[] {
  return analyzeModel(loadSnapshot(dir)).pipelines.flatMap((p) => [...p.links]);
}

/** Edit the JSON policy held as a string in `member` of a snapshot file. */
function editEmbedded(
  file: string,
  member: (doc: Json) => [Json, string],
  edit: (policy: { Statement: Statement[] }) => void,
): void {
  editJson(file, (doc) => {
    const [holder, key] = member(doc);
    const policy = JSON.parse(holder[key] as string) as { Statement: Statement[] };
    edit(policy);
    holder[key] = JSON.stringify(policy);
  });
}

const keyPolicy = (dir: string, edit: (p: { Statement: Statement[] }) => void): void =>
  editEmbedded(join(dir, KEY_FILE), (d) => [d, 'Policy'], edit);
const bucketPolicy = (dir: string, edit: (p: { Statement: Statement[] }) => void): void =>
  editEmbedded(join(dir, BUCKET_FILE), (d) => [d, 'Policy'], edit);

/** The deploy action role's inline policies (222222222222/iam.json). */
function deployRole(dir: string, edit: (role: Json) => void): void {
  editJson(join(dir, '222222222222/iam.json'), (doc) => {
    const roles = doc['RoleDetailList'] as Json[];
    edit(roles.find((r) => r['RoleName'] === 'demo-deploy-action')!);
  });
}

const decrypts = (all: readonly ReportLink[], principal: string): ReportLink[] =>
  all.filter((l) => l.permission === 'kms:Decrypt' && l.principal === principal);

describe('explanations of the text and markdown reports', () => {
  it('names the role whose several identity policies lack the allow', () => {
    inScenarioCopy(DEMO, (dir) => {
      deployRole(dir, (role) => {
        const list = role['RolePolicyList'] as { PolicyDocument: { Statement: Statement[] } }[];
        list[0]!.PolicyDocument.Statement = list[0]!.PolicyDocument.Statement.filter(
          (s) => s.Sid !== 'ArtifactKey',
        );
        list.push({
          PolicyName: 'extra',
          PolicyDocument: {
            Statement: [{ Sid: 'Logs', Effect: 'Allow', Action: 'logs:*', Resource: '*' }],
          },
        } as never);
      });
      const [l] = decrypts(links(dir), DEPLOY_ROLE);
      expect(l!.decision).toBe('ImplicitlyDenied');
      expect(l!.deniedBy).toContainEqual({
        explicit: false,
        location: undefined,
        policy: `identity policies of ${DEPLOY_ROLE}`,
        policyType: 'identity',
        statement: undefined,
      });
    });
  });

  it('names the statement that tests the key an Unknown link depends on, and where it is', () => {
    inScenarioCopy(DEMO, (dir) => {
      keyPolicy(dir, (p) =>
        p.Statement.push({
          Sid: 'DenyOutsideVpce',
          Effect: 'Deny',
          Principal: '*',
          Action: 'kms:Decrypt',
          Resource: '*',
          Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-123' } },
        }),
      );
      const [l] = decrypts(links(dir), BUILD_ROLE);
      expect(l!.decision).toBe('Unknown');
      expect(l!.why).toBe(
        'the answer depends on `aws:SourceVpce`, the VPC endpoint the call comes through, which ' +
          `the input does not settle: the key policy of \`${KEY}\` statement \`DenyOutsideVpce\` ` +
          `(at \`${KEY_FILE}#/Policy/Statement/2\`) tests it; AWS sets it on each call, and no ` +
          'input gives it',
      );
      expect(l!.missing).toEqual([]);
    });
  });

  it('names a bucket policy statement whose condition fails, and fixes that condition', () => {
    inScenarioCopy(DEMO, (dir) => {
      bucketPolicy(dir, (p) => {
        for (const s of p.Statement)
          if (s.Sid?.startsWith('ProdAccount'))
            s['Condition'] = { StringEquals: { 'aws:PrincipalTag/team': 'deploy' } };
      });
      const l = links(dir).find(
        (x) => x.permission === 's3:GetObject' && x.principal === DEPLOY_ROLE,
      )!;
      expect(l.decision).toBe('ImplicitlyDenied');
      expect(l.why).toBe(
        '`DeployProd/DeployStack` (CloudFormation) fails: the bucket policy of ' +
          `\`${BUCKET}\` allows \`${DEPLOY_ROLE}\` s3:GetObject only under a condition the request ` +
          'does not meet: statement `ProdAccountArtifacts` ' +
          `(at \`${BUCKET_FILE}#/Policy/Statement/2\`) tests \`StringEquals\` on ` +
          '`aws:PrincipalTag/team`',
      );
      expect(l.fix).toBe(
        'change the condition `StringEquals` on `aws:PrincipalTag/team` of statement ' +
          `\`ProdAccountArtifacts\` in the bucket policy of \`${BUCKET}\` so that it holds for ` +
          `\`${DEPLOY_ROLE}\`, or make the request meet it (give \`${DEPLOY_ROLE}\` the tag ` +
          '`team` StringEquals tests)',
      );
    });
  });

  it('fixes a tag condition that wants the tag absent or different by saying so (was: "give the tag")', () => {
    const fixFor = (condition: object): string =>
      inScenarioCopy(DEMO, (dir) => {
        bucketPolicy(dir, (p) => {
          for (const s of p.Statement)
            if (s.Sid?.startsWith('ProdAccount')) s['Condition'] = condition;
        });
        const l = links(dir).find(
          (x) => x.permission === 's3:GetObject' && x.principal === DEPLOY_ROLE,
        )!;
        expect(l.decision).toBe('ImplicitlyDenied');
        return l.fix!;
      });
    // the role has no tag `team`: Null false asks for it
    expect(fixFor({ Null: { 'aws:PrincipalTag/team': 'false' } })).toContain(
      `(give \`${DEPLOY_ROLE}\` the tag \`team\` (Null tests that it is there))`,
    );
    // a role tagged `team`: Null true asks for it absent, a negated operator for another value
    const tagged = (condition: object): string =>
      inScenarioCopy(DEMO, (dir) => {
        const file = join(dir, '222222222222/iam.json');
        const iam = JSON.parse(readFileSync(file, 'utf8')) as {
          RoleDetailList: { Arn: string; Tags?: object[] }[];
        };
        iam.RoleDetailList.find((r) => r.Arn === DEPLOY_ROLE)!.Tags = [
          { Key: 'team', Value: 'deploy' },
        ];
        writeFileSync(file, JSON.stringify(iam));
        bucketPolicy(dir, (p) => {
          for (const s of p.Statement)
            if (s.Sid?.startsWith('ProdAccount')) s['Condition'] = condition;
        });
        return links(dir).find(
          (x) => x.permission === 's3:GetObject' && x.principal === DEPLOY_ROLE,
        )!.fix!;
      });
    expect(tagged({ Null: { 'aws:PrincipalTag/team': 'true' } })).toContain(
      `(remove the tag \`team\` from \`${DEPLOY_ROLE}\` (Null tests that it is absent))`,
    );
    expect(tagged({ StringNotEquals: { 'aws:PrincipalTag/team': 'deploy' } })).toContain(
      `(change the tag \`team\` of \`${DEPLOY_ROLE}\`, which StringNotEquals tests)`,
    );
  });

  it('names a key policy statement whose condition fails, and fixes that condition', () => {
    inScenarioCopy(DEMO, (dir) => {
      keyPolicy(dir, (p) =>
        p.Statement.push({
          Sid: 'X',
          Effect: 'Allow',
          Principal: { AWS: DEPLOY_ROLE },
          Action: 'kms:Decrypt',
          Resource: '*',
          Condition: { StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } },
        }),
      );
      const [l] = decrypts(links(dir), DEPLOY_ROLE);
      expect(l!.decision).toBe('ImplicitlyDenied');
      expect(l!.why).toContain(
        `the key policy of \`${KEY}\` allows \`${DEPLOY_ROLE}\` kms:Decrypt only under a ` +
          `condition the request does not meet: statement \`X\` (at \`${KEY_FILE}#/Policy/Statement/2\`) ` +
          'tests `StringEquals` on `kms:ViaService`',
      );
      expect(l!.fix).toBe(
        `change the condition \`StringEquals\` on \`kms:ViaService\` of statement \`X\` in the key ` +
          `policy of \`${KEY}\` so that it holds for \`${DEPLOY_ROLE}\`, or make the request meet it`,
      );
    });
  });

  it('says an SCP file without Targets does not say where it applies, and is not missing', () => {
    inScenarioCopy(DEMO, (dir) => {
      editJson(join(dir, GUARD_FILE), (d) => {
        const policy = d['Policy'] as Json;
        const content = JSON.parse(policy['Content'] as string) as { Statement: Statement[] };
        content.Statement.push({
          Sid: 'DenyKmsDecrypt',
          Effect: 'Deny',
          Action: 'kms:Decrypt',
          Resource: '*',
        });
        policy['Content'] = JSON.stringify(content);
        delete d['Targets'];
      });
      const [l] = decrypts(links(dir), BUILD_ROLE);
      expect(l!.decision).toBe('Unknown');
      // never opening with "allowed"
      expect(l!.why).toBe(
        '`Build/Build` (CodeBuild) cannot be decided, though the known policies allow it: ' +
          `\`${GUARD_FILE}\` has no \`Targets\`, so where it applies is not known`,
      );
      expect(l!.missing).toEqual([GUARD_FILE]);
    });
  });

  it('says a file that is not JSON could not be read, and is not missing', () => {
    inScenarioCopy(DEMO, (dir) => {
      const file = join(dir, BUCKET_FILE);
      writeFileSync(file, readFileSync(file, 'utf8').slice(0, 40));
      const l = links(dir).find(
        (x) => x.permission === 's3:GetObject' && x.principal === DEPLOY_ROLE,
      )!;
      expect(l.decision).toBe('Unknown');
      expect(l.why).toMatch(/cannot be decided(, though the known policies allow it)?: /);
      expect(l.why).toContain(`\`${BUCKET_FILE}\` could not be read (see problems)`);
      expect(l.why).not.toContain('missing from the input');
      expect(l.why).not.toMatch(/^allowed/);
    });
  });
});

describe('a fix whose resource holds a name the input does not give', () => {
  it('writes a slot to fill in the ARN, and what goes in it in words', () => {
    const all = analyzeModel(loadSnapshot('fixtures/scenarios/all-providers')).pipelines.flatMap(
      (p) => [...p.links],
    );
    const tag = all.find((l) => l.permission === 'ecs:TagResource' && l.fix !== undefined)!;
    expect(tag.resource).toContain('<the task definition family, not known>');
    expect(tag.fix).toBe(
      'allow `ecs:TagResource` on `arn:aws:ecs:us-east-1:111111111111:task-definition/<name>:*` ' +
        '(the task definition family in place of `<name>`: the input does not give it) in the ' +
        'policies of `arn:aws:iam::111111111111:role/service-role/platform-pipeline-role`',
    );
  });
});
