/**
 * A CodeBuild secondary source whose `auth` is SECRETS_MANAGER is fetched with the token held in
 * that Secrets Manager secret, which the project role reads: CodeBuild documents
 * `secretsmanager:GetSecretValue` on the secret for the project role
 * (https://docs.aws.amazon.com/codebuild/latest/userguide/multiple-access-tokens.html, "Grant
 * CodeBuild project IAM role access to Secrets Manager secrets"); the auth's resource is the
 * secret's ARN (the same page, and "For the authType SECRETS_MANAGER, this is the secretArn",
 * https://docs.aws.amazon.com/codebuild/latest/APIReference/API_ImportSourceCredentials.html).
 * The snapshot cases edit the all-providers scenario, whose `platform-web-build` project has a
 * Bitbucket secondary source (`icons`, the fourth) whose token is in `ICONS_TOKEN`; its role
 * grants GetSecretValue on it in one statement (`SecondarySourceSecret`).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { secondaryFetches } from '../../src/chain/actionFacts.js';
import { expandRequirement, getCatalog } from '../../src/chain/catalog.js';
import type { ActionFacts, ExpandedLink } from '../../src/chain/catalogTypes.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import { loadSingleTemplate } from '../../src/load/stacks.js';
import type { CodeBuildSourceModel } from '../../src/model/types.js';
import { editJson, inScenarioCopy, type Json } from './scenarioCopy.js';
import { ACCOUNT, buildFacts as facts, project } from './codebuildProjects.js';

const A = ACCOUNT;
const SECRET = `arn:aws:secretsmanager:eu-west-1:${A}:secret:ci/github-token-AbCdEf`;
const OTHER_SECRET = `arn:aws:secretsmanager:eu-west-1:${A}:secret:ci/bitbucket-token-GhIjKl`;
const CONNECTION = `arn:aws:codeconnections:eu-west-1:${A}:connection/0f0e0d0c-0b0a-4909-8807-060504030201`;

const PLACE = `${A}/eu-west-1/codebuild.json#/projects/0/secondarySources`;

describe('secondaryFetches: the secrets secondary sources name', () => {
  it('takes the secret of a SECRETS_MANAGER source of any provider fetched with a token', () => {
    const f = secondaryFetches(
      project([
        { type: 'GITHUB', authType: 'SECRETS_MANAGER', authResource: SECRET },
        { type: 'BITBUCKET', authType: 'SECRETS_MANAGER', authResource: OTHER_SECRET },
        { type: 'GITHUB_ENTERPRISE', authType: 'secrets_manager', authResource: SECRET },
        { type: 'GITLAB', authType: 'SECRETS_MANAGER', authResource: SECRET },
        { type: 'gitlab_self_managed', authType: 'SECRETS_MANAGER', authResource: SECRET },
      ]),
      'aws',
    );
    expect(f).toEqual({ secondarySecrets: [OTHER_SECRET, SECRET] });
  });

  it('keeps a partial ARN or a name as written (the catalog makes it an ARN pattern)', () => {
    const partial = `arn:aws:secretsmanager:eu-west-1:${A}:secret:ci/github-token`;
    const f = secondaryFetches(
      project([
        { type: 'GITHUB', authType: 'SECRETS_MANAGER', authResource: partial },
        // the loaders keep only an ARN today; a name that reaches the model is still read
        { type: 'GITHUB', authType: 'SECRETS_MANAGER', authResource: 'ci/github-token' },
      ]),
      'aws',
    );
    expect(f).toEqual({ secondarySecrets: [partial, 'ci/github-token'] });
  });

  it('makes no secret for other auth types, no auth, or a source fetched without a token', () => {
    const f = secondaryFetches(
      project([
        { type: 'GITHUB', authType: 'OAUTH' },
        { type: 'BITBUCKET' },
        // the pipeline's artifact, and sources the build fetches with its role itself
        { type: 'CODEPIPELINE', authType: 'SECRETS_MANAGER', authResource: SECRET },
        { type: 'NO_SOURCE', authType: 'SECRETS_MANAGER', authResource: SECRET },
        { type: 'S3', location: 'bucket/x.zip', authType: 'SECRETS_MANAGER', authResource: SECRET },
      ]),
      'aws',
    );
    expect(f).toEqual({ secondarySourceObjectArns: ['arn:aws:s3:::bucket/x.zip'] });
    // a connection is a link of its own (secondaryConnections.test.ts), not a secret
    const connection = secondaryFetches(
      project([{ type: 'GITHUB', authType: 'CODECONNECTIONS', authResource: CONNECTION }]),
      'aws',
    );
    expect(connection).toEqual({ secondaryConnectionArns: [CONNECTION] });
  });

  it('leaves the secret unknown, naming the source, when the auth names no secret', () => {
    const missing = secondaryFetches(
      project([
        { type: 'GITHUB', authType: 'SECRETS_MANAGER', sourceIdentifier: 'lib' },
        { type: 'GITHUB', authType: 'SECRETS_MANAGER', authResource: SECRET },
      ]),
      'aws',
    );
    expect(missing.secondarySecretsUnknown).toBe(
      `SECRETS_MANAGER secondary source \`lib\` of project \`web\` names no secret ARN (its auth resource is missing or not an ARN), so the secret the build reads its token from is not known (${PLACE}/0/auth/resource)`,
    );
    // one unsettled source makes the whole list unknown: never a partial Allowed
    expect(expand(facts({ serviceRoleArn: ROLE, ...missing }))).toBe(
      `\`${ENTRY}\`: ${missing.secondarySecretsUnknown}`,
    );
    for (const resource of [
      CONNECTION,
      `arn:aws:ssm:eu-west-1:${A}:parameter/ci/github-token`,
      `arn:aws:secretsmanager:eu-west-1:${A}:secret:`,
      `arn:aws:secretsmanager::${A}:secret:ci/github-token-AbCdEf`,
      'arn:aws:secretsmanager:eu-west-1:acct:secret:ci/github-token-AbCdEf',
      `arn:aws:secretsmanager:eu-west-1:${A}:ci/github-token-AbCdEf`,
      // a JSON key is not part of a source's secret
      `${SECRET}:token`,
      'a name with spaces',
    ]) {
      const f = secondaryFetches(
        project([{ type: 'GITHUB', authType: 'SECRETS_MANAGER', authResource: resource }]),
        'aws',
      );
      expect(f.secondarySecrets, resource).toBeUndefined();
      expect(f.secondarySecretsUnknown, resource).toBe(
        `the auth resource \`${resource}\` of SECRETS_MANAGER secondary source 1 of project \`web\` is not a secret ARN (\`arn:<partition>:secretsmanager:<region>:<account>:secret:<name>\`), so the secret the build reads its token from is not known (${PLACE}/0/auth/resource)`,
      );
    }
  });

  it('leaves the secret unknown when the auth type or resource is not settled or not known', () => {
    const f = (s: Partial<CodeBuildSourceModel>): ReturnType<typeof secondaryFetches> =>
      secondaryFetches(project([{ type: 'GITHUB', ...s }]), 'aws');
    // an auth type not settled or not known may be SECRETS_MANAGER (or CODECONNECTIONS)
    const open = f({ authType: 'unresolved-0123456789', authResource: SECRET });
    expect(open.secondarySecretsUnknown).toBe(
      'the auth type of secondary source 1 of project `web` is `unresolved-0123456789`, which the input does not settle',
    );
    expect(open.secondaryConnectionsUnknown).toBe(open.secondarySecretsUnknown);
    const unknownType = f({ authType: 'PERSONAL_ACCESS_TOKEN' });
    expect(unknownType.secondarySecretsUnknown).toBe(
      `secondary source 1 of project \`web\` has the auth type \`PERSONAL_ACCESS_TOKEN\`, which permchain does not know, so whether the build takes a token from a connection or a secret is not known (${PLACE}/0/auth/type)`,
    );
    expect(unknownType.secondaryConnectionsUnknown).toBe(unknownType.secondarySecretsUnknown);
    const placeholder = `arn:aws:secretsmanager:eu-west-1:${A}:secret:unresolved-0123456789`;
    const unsettled = f({ authType: 'SECRETS_MANAGER', authResource: placeholder });
    expect(unsettled.secondarySecretsUnknown).toBe(
      `the secret of secondary source 1 of project \`web\` is \`${placeholder}\`, which the input does not settle`,
    );
    // a SECRETS_MANAGER auth names no connection
    expect(unsettled.secondaryConnectionsUnknown).toBeUndefined();
  });

  it('leaves it unknown when the type of a source that names a secret is not settled', () => {
    const f = secondaryFetches(
      project([
        { type: 'unresolved-0123456789', authType: 'SECRETS_MANAGER', authResource: SECRET },
      ]),
      'aws',
    );
    expect(f.secondarySecretsUnknown).toBe(
      'the type of secondary source 1 of project `web` is `unresolved-0123456789`, which the input does not settle',
    );
    expect(f.secondaryConnectionsUnknown).toBeUndefined();
    // without an auth, a source of a type not settled names no secret
    const none = secondaryFetches(project([{ type: 'unresolved-0123456789' }]), 'aws');
    expect(none.secondarySecretsUnknown).toBeUndefined();
  });

  it('names the template property of a template project', () => {
    const f = secondaryFetches(
      project([{ type: 'GITHUB', authType: 'SECRETS_MANAGER' }], [], '/Resources/Build'),
      'aws',
    );
    expect(f.secondarySecretsUnknown).toMatch(
      /codebuild\.json#\/Resources\/Build\/Properties\/SecondarySources\/0\/Auth\/Resource\)$/,
    );
  });
});

// ---------------------------------------------------------------------------------------------

const ROLE = `arn:aws:iam::${A}:role/build`;
const ENTRY = 'codebuild-project.secondary-source-secret';

function expand(f: ActionFacts): readonly ExpandedLink[] | string {
  const r = expandRequirement(getCatalog().byId.get(ENTRY)!, f);
  return 'unknown' in r ? r.unknown : r;
}

describe('the secondary source secret entry', () => {
  it('asks the project role for the value of each secret, a secret named without its ARN as a pattern', () => {
    const f = facts({
      serviceRoleArn: ROLE,
      secondarySecrets: [
        SECRET,
        `arn:aws:secretsmanager:eu-west-1:${A}:secret:ci/bitbucket-token`,
        'ci/gitlab-token',
        // the same secret twice: one link
        SECRET,
      ],
    });
    const links = expand(f) as readonly ExpandedLink[];
    expect(links.map((l) => `${l.principal} ${l.action} ${l.resource} ${l.level}`)).toEqual([
      `${ROLE} secretsmanager:GetSecretValue ${SECRET} required`,
      `${ROLE} secretsmanager:GetSecretValue arn:aws:secretsmanager:eu-west-1:${A}:secret:ci/bitbucket-token-?????? required`,
      `${ROLE} secretsmanager:GetSecretValue arn:aws:secretsmanager:eu-west-1:${A}:secret:ci/gitlab-token-?????? required`,
    ]);
    for (const l of links) expect(l.context).toEqual({});
  });

  it('makes no link without a secret source, and is unknown when it is not known', () => {
    expect(expand(facts({ serviceRoleArn: ROLE }))).toEqual([]);
    expect(expand(facts(undefined))).toBe(
      `\`${ENTRY}\`: the CodeBuild project \`web\` is not known`,
    );
    expect(expand(facts({ serviceRoleArn: ROLE, secondarySecretsUnknown: 'why' }))).toBe(
      `\`${ENTRY}\`: why`,
    );
  });
});

// ---------------------------------------------------------------------------------------------

const SCENARIO = 'fixtures/scenarios/all-providers';
const CODEBUILD = `${A}/us-east-1/codebuild.json`;
const IAM = `${A}/iam.json`;
const BUILD_ROLE = `arn:aws:iam::${A}:role/service-role/platform-web-build-role`;
/** the secret holding the token of the web build's Bitbucket secondary source `icons` */
const ICONS_TOKEN = `arn:aws:secretsmanager:us-east-1:${A}:secret:platform/bitbucket-icons-token-Qz81Lm`;
const ICONS_PARTIAL = `arn:aws:secretsmanager:us-east-1:${A}:secret:platform/bitbucket-icons-token`;
const GET = 'secretsmanager:GetSecretValue';

interface Found {
  text: string[];
  principals: string[];
  deniedBy: string[];
  why: string[];
  missing: (readonly string[])[];
}

/** The web build's secret links of its secondary sources, after `edit`. */
function secretLinks(edit: (dir: string) => void): Found {
  return inScenarioCopy(SCENARIO, (dir) => {
    edit(dir);
    const p = analyzeModel(loadSnapshot(dir), { pipelines: ['platform-web'] }).pipelines[0]!;
    const found = p.links.filter((l) => l.requirement === ENTRY);
    return {
      text: found.map((l) => `${l.decision} ${l.permission} ${l.resource}`).sort(),
      principals: [...new Set(found.map((l) => l.principal))],
      deniedBy: found
        .flatMap((l) => l.deniedBy.map((d) => `${l.permission} ${d.policyType}`))
        .sort(),
      why: found.map((l) => l.why),
      missing: found.map((l) => l.missing ?? []),
    };
  });
}

/** Set the `auth` of the web build's Bitbucket secondary source `icons` (the fourth). */
function setAuth(dir: string, auth: Json): void {
  editJson(join(dir, CODEBUILD), (doc) => {
    const p = (doc['projects'] as Json[]).find((x) => x['name'] === 'platform-web-build')!;
    const source = (p['secondarySources'] as Json[])[3]!;
    expect(source['sourceIdentifier']).toBe('icons');
    source['auth'] = auth;
  });
}

/** Replace the web build role's `SecondarySourceSecret` statement by `statements`. */
function regrant(dir: string, ...statements: Json[]): void {
  editJson(join(dir, IAM), (doc) => {
    const role = (doc['RoleDetailList'] as Json[]).find(
      (r) => r['RoleName'] === 'platform-web-build-role',
    )!;
    const d = (role['RolePolicyList'] as Json[])[0]!['PolicyDocument'] as { Statement: Json[] };
    const before = d.Statement.length;
    d.Statement = d.Statement.filter((s) => s['Sid'] !== 'SecondarySourceSecret');
    expect(d.Statement.length).toBe(before - 1);
    d.Statement.push(...statements);
  });
}

const grant = (resource: string): Json => ({ Effect: 'Allow', Action: GET, Resource: resource });

describe('a build role and the secret of a secondary source (snapshot)', () => {
  it('is allowed when the role may read the secret', () => {
    const { text, principals } = secretLinks(() => {});
    expect(text).toEqual([`Allowed ${GET} ${ICONS_TOKEN}`]);
    expect(principals).toEqual([BUILD_ROLE]);
  });

  it('is denied the value of a secret it may not read', () => {
    const { text, principals, deniedBy } = secretLinks((dir) => regrant(dir));
    expect(text).toEqual([`ImplicitlyDenied ${GET} ${ICONS_TOKEN}`]);
    expect(principals).toEqual([BUILD_ROLE]);
    // no policy of the role allows it: its identity policies deny it implicitly
    expect(deniedBy).toEqual([`${GET} identity`]);
    // the grant of the build's other secret (platform/npm-token-*) does not cover it
    const other = secretLinks((dir) =>
      regrant(dir, grant(`arn:aws:secretsmanager:us-east-1:${A}:secret:platform/npm-*`)),
    );
    expect(other.text).toEqual([`ImplicitlyDenied ${GET} ${ICONS_TOKEN}`]);
  });

  it('follows a grant by pattern', () => {
    const { text } = secretLinks((dir) => regrant(dir, grant(`${ICONS_PARTIAL}-*`)));
    expect(text).toEqual([`Allowed ${GET} ${ICONS_TOKEN}`]);
  });

  it('checks a secret named by a partial ARN as a pattern of its six characters', () => {
    const byPattern = secretLinks((dir) => {
      setAuth(dir, { type: 'SECRETS_MANAGER', resource: ICONS_PARTIAL });
      regrant(dir, grant(`${ICONS_PARTIAL}-??????`));
    });
    expect(byPattern.text).toEqual([`Allowed ${GET} ${ICONS_PARTIAL}-??????`]);
    // a grant of the full ARN may or may not be the secret's: Unknown, never denied
    const byArn = secretLinks((dir) =>
      setAuth(dir, { type: 'SECRETS_MANAGER', resource: ICONS_PARTIAL }),
    );
    expect(byArn.text).toEqual([`Unknown ${GET} ${ICONS_PARTIAL}-??????`]);
  });

  it('is Unknown for a secret of another account: its resource policy, which no snapshot holds, decides', () => {
    const foreign = ICONS_TOKEN.replace(A, '222222222222');
    const granted = secretLinks((dir) => {
      setAuth(dir, { type: 'SECRETS_MANAGER', resource: foreign });
      regrant(dir, grant(foreign));
    });
    expect(granted.text).toEqual([`Unknown ${GET} ${foreign}`]);
    expect(granted.missing).toEqual([
      [`the resource policy of \`${foreign}\` (a snapshot holds none)`],
    ]);
    // the caller's own side lacks the allow: across accounts both must allow
    const ungranted = secretLinks((dir) =>
      setAuth(dir, { type: 'SECRETS_MANAGER', resource: foreign }),
    );
    expect(ungranted.text).toEqual([`ImplicitlyDenied ${GET} ${foreign}`]);
  });

  it('is Unknown, naming the source, when its auth names no secret ARN', () => {
    // the resource missing, or a name (the snapshot loader keeps an auth resource only when it
    // is an ARN, since an OAUTH one can be a token)
    for (const auth of [
      { type: 'SECRETS_MANAGER' },
      { type: 'SECRETS_MANAGER', resource: 'platform/bitbucket-icons-token' },
    ]) {
      const { text, why } = secretLinks((dir) => {
        setAuth(dir, auth);
        regrant(dir, grant('*'));
      });
      // never Allowed, even with a grant on every secret: which one is not known
      expect(text).toEqual([
        `Unknown ${GET} the secrets of the CodeBuild project's secondary sources (not known)`,
      ]);
      for (const w of why)
        expect(w).toContain(
          `SECRETS_MANAGER secondary source \`icons\` of project \`platform-web-build\` names no secret ARN (its auth resource is missing or not an ARN), so the secret the build reads its token from is not known (${CODEBUILD}#/projects/2/secondarySources/3/auth/resource)`,
        );
    }
  });

  it('is Unknown, naming the source, when its auth resource is not a secret ARN', () => {
    const connection = `arn:aws:codeconnections:us-east-1:${A}:connection/4d3c2b1a-0f9e-4d8c-b7a6-5f4e3d2c1b0a`;
    const { text, why } = secretLinks((dir) => {
      setAuth(dir, { type: 'SECRETS_MANAGER', resource: connection });
      regrant(dir, grant('*'));
    });
    expect(text).toEqual([
      `Unknown ${GET} the secrets of the CodeBuild project's secondary sources (not known)`,
    ]);
    for (const w of why)
      expect(w).toContain(
        `the auth resource \`${connection}\` of SECRETS_MANAGER secondary source \`icons\` of project \`platform-web-build\` is not a secret ARN`,
      );
  });

  it('needs no secret link for a source with an OAuth auth or none', () => {
    for (const auth of [{ type: 'OAUTH' }, undefined])
      expect(
        secretLinks((dir) =>
          editJson(join(dir, CODEBUILD), (doc) => {
            const p = (doc['projects'] as Json[]).find((x) => x['name'] === 'platform-web-build')!;
            const source = (p['secondarySources'] as Json[])[3]!;
            if (auth) source['auth'] = auth;
            else delete source['auth'];
          }),
        ).text,
      ).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------

const TOKEN = `arn:aws:secretsmanager:us-east-1:${A}:secret:ci/icons-token-Qz81Lm`;

const TEMPLATE = `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  TokenArn:
    Type: AWS::SSM::Parameter::Value<String>
    Default: /build/icons-token-arn
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: art-bucket-111
  IconsToken:
    Type: AWS::SecretsManager::Secret
    Properties:
      Name: ci/icons-token
  PipelineRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: pipe-role
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: { Service: codepipeline.amazonaws.com }
            Action: sts:AssumeRole
      Policies:
        - PolicyName: p
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: ["s3:*", "kms:*", "codebuild:*"]
                Resource: "*"
  BuildRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: build-role
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: { Service: codebuild.amazonaws.com }
            Action: sts:AssumeRole
      Policies:
        - PolicyName: p
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: ["s3:*", "kms:*", "logs:*"]
                Resource: "*"
              - Effect: Allow
                Action: secretsmanager:GetSecretValue
                Resource: arn:aws:secretsmanager:us-east-1:${A}:secret:ci/icons-*
  Project:
    Type: AWS::CodeBuild::Project
    Properties:
      Name: build
      ServiceRole: !GetAtt BuildRole.Arn
      Artifacts: { Type: CODEPIPELINE }
      Source: { Type: CODEPIPELINE }
      SecondarySources:
        - Type: BITBUCKET
          Location: https://bitbucket.org/octo/icons.git
          SourceIdentifier: icons
          Auth: { Type: SECRETS_MANAGER, Resource: !Ref TokenArn }
      Environment:
        Type: LINUX_CONTAINER
        Image: aws/codebuild/standard:7.0
        ComputeType: BUILD_GENERAL1_SMALL
  Pipeline:
    Type: AWS::CodePipeline::Pipeline
    Properties:
      Name: app
      RoleArn: !GetAtt PipelineRole.Arn
      ArtifactStore: { Type: S3, Location: !Ref Bucket }
      Stages:
        - Name: Source
          Actions:
            - Name: Src
              ActionTypeId: { Category: Source, Owner: AWS, Provider: S3, Version: "1" }
              Configuration: { S3Bucket: !Ref Bucket, S3ObjectKey: src.zip, PollForSourceChanges: true }
              OutputArtifacts: [{ Name: Src }]
        - Name: Build
          Actions:
            - Name: Build
              ActionTypeId: { Category: Build, Owner: AWS, Provider: CodeBuild, Version: "1" }
              Configuration: { ProjectName: !Ref Project }
              InputArtifacts: [{ Name: Src }]
              OutputArtifacts: [{ Name: Out }]
`;

describe('a template project whose secondary source secret the template does not settle', () => {
  it('makes the secret link Unknown naming the template line, and checks it once settled', () => {
    const dir = mkdtempSync(join(tmpdir(), 'permchain-secondary-secret-'));
    try {
      const file = join(dir, 'pipeline.yaml');
      writeFileSync(file, TEMPLATE);
      const links = (
        parameters?: Record<string, string>,
      ): { text: string[]; missing: string[] } => {
        const { model } = loadSingleTemplate(file, {
          account: A,
          region: 'us-east-1',
          ...(parameters ? { parameters } : {}),
        });
        const found = analyzeModel(model).pipelines[0]!.links.filter(
          (l) => l.requirement === ENTRY,
        );
        return {
          text: found.map((l) => `${l.decision} ${l.permission} ${l.resource}`).sort(),
          missing: [
            ...new Set(
              found
                .flatMap((l) => l.missing ?? [])
                .map((m) => m.replace(/^.*pipeline\.yaml/, 'pipeline.yaml')),
            ),
          ],
        };
      };
      const open = links();
      expect(open.text).toEqual([
        `Unknown ${GET} the secrets of the CodeBuild project's secondary sources (not known)`,
      ]);
      expect(open.missing).toEqual([
        // the line of the auth whose secret is not settled
        'pipeline.yaml:65 (parameter `TokenArn` reads the ssm parameter `/build/icons-token-arn` at deploy time, so its value is not known offline)',
      ]);
      expect(links({ TokenArn: TOKEN }).text).toEqual([`Allowed ${GET} ${TOKEN}`]);
      expect(
        links({ TokenArn: `arn:aws:secretsmanager:us-east-1:${A}:secret:ci/other-AbCdEf` }).text,
      ).toEqual([
        `ImplicitlyDenied ${GET} arn:aws:secretsmanager:us-east-1:${A}:secret:ci/other-AbCdEf`,
      ]);
      // the secret a `Ref` of an AWS::SecretsManager::Secret names: its ARN is not known
      // offline (six random characters), so the link is Unknown naming that line, never Allowed
      writeFileSync(file, TEMPLATE.replace('Resource: !Ref TokenArn', 'Resource: !Ref IconsToken'));
      const ref = links();
      expect(ref.text).toEqual([
        `Unknown ${GET} the secrets of the CodeBuild project's secondary sources (not known)`,
      ]);
      expect(ref.missing).toEqual([
        'pipeline.yaml:65 (`Ref` of a `AWS::SecretsManager::Secret` resource is not known offline)',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
