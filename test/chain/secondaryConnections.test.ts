/**
 * A CodeBuild secondary source whose `auth` is CODECONNECTIONS is fetched with a token of that
 * connection, which the project role takes: CodeBuild documents
 * `codeconnections:GetConnectionToken` and `codeconnections:GetConnection` on the connection
 * (https://docs.aws.amazon.com/codebuild/latest/userguide/connections-github-app.html,
 * https://docs.aws.amazon.com/codebuild/latest/userguide/multiple-access-tokens.html). Which
 * service prefix IAM evaluates is not settled by the docs, so the `codestar-connections` twins
 * are required as well (as for UseConnection,
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CodestarConnectionSource.html).
 * The snapshot cases edit the all-providers scenario, whose `platform-web-build` project has a
 * GitHub secondary source (`tokens`) through `CONNECTION`; its role grants both prefixes of
 * GetConnectionToken and GetConnection on it in one statement (`SecondarySourceConnection`),
 * besides UseConnection for the pipeline's full clone.
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
const NEW_PREFIX = `arn:aws:codeconnections:eu-west-1:${A}:connection/0f0e0d0c-0b0a-4909-8807-060504030201`;
const OLD_PREFIX = `arn:aws:codestar-connections:eu-west-1:${A}:connection/1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d`;

const PLACE = `${A}/eu-west-1/codebuild.json#/projects/0/secondarySources`;

describe('secondaryFetches: the connections secondary sources name', () => {
  it('takes the connection of a CODECONNECTIONS source, of either ARN prefix', () => {
    const f = secondaryFetches(
      project([
        { type: 'GITHUB', authType: 'CODECONNECTIONS', authResource: NEW_PREFIX },
        { type: 'BITBUCKET', authType: 'CODECONNECTIONS', authResource: OLD_PREFIX },
        { type: 'GITLAB', authType: 'codeconnections', authResource: NEW_PREFIX },
        { type: 'GITHUB_ENTERPRISE', authType: 'CODECONNECTIONS', authResource: NEW_PREFIX },
        { type: 'gitlab_self_managed', authType: 'CODECONNECTIONS', authResource: OLD_PREFIX },
      ]),
      'aws',
    );
    expect(f).toEqual({ secondaryConnectionArns: [NEW_PREFIX, OLD_PREFIX].sort() });
  });

  it('makes no connection for other auth types, no auth, or a source that uses no connection', () => {
    const secret = `arn:aws:secretsmanager:eu-west-1:${A}:secret:gh-AbCdEf`;
    const f = secondaryFetches(
      project([
        { type: 'GITHUB', authType: 'OAUTH' },
        { type: 'GITHUB', authType: 'SECRETS_MANAGER', authResource: secret },
        { type: 'BITBUCKET' },
        // the pipeline's artifact: the build fetches nothing
        { type: 'CODEPIPELINE', authType: 'CODECONNECTIONS', authResource: NEW_PREFIX },
      ]),
      'aws',
    );
    // the secret is a link of its own (secondarySecrets.test.ts)
    expect(f).toEqual({ secondarySecrets: [secret] });
  });

  it('leaves the connection unknown, naming the source, when the auth does not name one', () => {
    const missing = secondaryFetches(
      project([
        { type: 'GITHUB', authType: 'CODECONNECTIONS', sourceIdentifier: 'lib' },
        { type: 'GITHUB', authType: 'CODECONNECTIONS', authResource: NEW_PREFIX },
      ]),
      'aws',
    );
    expect(missing.secondaryConnectionsUnknown).toBe(
      `CODECONNECTIONS secondary source \`lib\` of project \`web\` names no connection ARN (its auth resource is missing or not an ARN), so the connection the build takes its token from is not known (${PLACE}/0/auth/resource)`,
    );
    // one unsettled source makes the whole list unknown: never a partial Allowed
    expect(expand(CODECONNECTIONS_ENTRY, facts({ serviceRoleArn: ROLE, ...missing }))).toBe(
      `\`${CODECONNECTIONS_ENTRY}\`: ${missing.secondaryConnectionsUnknown}`,
    );
    const secret = `arn:aws:secretsmanager:eu-west-1:${A}:secret:gh-AbCdEf`;
    for (const resource of [
      secret,
      `arn:aws:codeconnections:eu-west-1:${A}:host/abc`,
      `arn:aws:codeconnections:eu-west-1:${A}:connection/`,
      `arn:aws:codeconnections::${A}:connection/abc`,
      'arn:aws:codeconnections:eu-west-1:acct:connection/abc',
    ]) {
      const f = secondaryFetches(
        project([{ type: 'GITHUB', authType: 'CODECONNECTIONS', authResource: resource }]),
        'aws',
      );
      expect(f.secondaryConnectionArns, resource).toBeUndefined();
      expect(f.secondaryConnectionsUnknown, resource).toBe(
        `the auth resource \`${resource}\` of CODECONNECTIONS secondary source 1 of project \`web\` is not a connection ARN (\`arn:<partition>:codeconnections:<region>:<account>:connection/<id>\`, or \`codestar-connections\`), so the connection the build takes its token from is not known (${PLACE}/0/auth/resource)`,
      );
    }
  });

  it('leaves the connection unknown when the auth type or resource is not settled or not known', () => {
    const f = (s: Partial<CodeBuildSourceModel>): string | undefined =>
      secondaryFetches(project([{ type: 'GITHUB', ...s }]), 'aws').secondaryConnectionsUnknown;
    expect(f({ authType: 'unresolved-0123456789' })).toBe(
      'the auth type of secondary source 1 of project `web` is `unresolved-0123456789`, which the input does not settle',
    );
    expect(
      f({
        authType: 'CODECONNECTIONS',
        authResource: `arn:aws:codeconnections:eu-west-1:${A}:connection/unresolved-0123456789`,
      }),
    ).toBe(
      `the connection of secondary source 1 of project \`web\` is \`arn:aws:codeconnections:eu-west-1:${A}:connection/unresolved-0123456789\`, which the input does not settle`,
    );
    expect(f({ authType: 'PERSONAL_ACCESS_TOKEN' })).toBe(
      `secondary source 1 of project \`web\` has the auth type \`PERSONAL_ACCESS_TOKEN\`, which permchain does not know, so whether the build takes a token from a connection or a secret is not known (${PLACE}/0/auth/type)`,
    );
  });

  it('leaves it unknown when the type of a source that names a connection is not settled', () => {
    const f = secondaryFetches(
      project([
        { type: 'unresolved-0123456789', authType: 'CODECONNECTIONS', authResource: NEW_PREFIX },
      ]),
      'aws',
    );
    expect(f.secondaryConnectionsUnknown).toBe(
      'the type of secondary source 1 of project `web` is `unresolved-0123456789`, which the input does not settle',
    );
    // without an auth, a source of a type not settled names no connection
    const none = secondaryFetches(project([{ type: 'unresolved-0123456789' }]), 'aws');
    expect(none.secondaryConnectionsUnknown).toBeUndefined();
  });

  it('names the template property of a template project', () => {
    const f = secondaryFetches(
      project([{ type: 'GITHUB', authType: 'CODECONNECTIONS' }], [], '/Resources/Build'),
      'aws',
    );
    expect(f.secondaryConnectionsUnknown).toMatch(
      /codebuild\.json#\/Resources\/Build\/Properties\/SecondarySources\/0\/Auth\/Resource\)$/,
    );
  });
});

// ---------------------------------------------------------------------------------------------

const ROLE = `arn:aws:iam::${A}:role/build`;

const CODECONNECTIONS_ENTRY = 'codebuild-project.secondary-source-connection';
const CODESTAR_ENTRY = 'codebuild-project.secondary-source-codestar-connections-connection';

function expand(id: string, f: ActionFacts): readonly ExpandedLink[] | string {
  const r = expandRequirement(getCatalog().byId.get(id)!, f);
  return 'unknown' in r ? r.unknown : r;
}

describe('the secondary source connection entries', () => {
  it('ask the project role for a token and the connection, the codestar-connections twins recommended', () => {
    const f = facts({ serviceRoleArn: ROLE, secondaryConnectionArns: [OLD_PREFIX, NEW_PREFIX] });
    const links = [
      ...(expand(CODECONNECTIONS_ENTRY, f) as readonly ExpandedLink[]),
      ...(expand(CODESTAR_ENTRY, f) as readonly ExpandedLink[]),
    ];
    expect(links.map((l) => `${l.principal} ${l.action} ${l.resource} ${l.level}`).sort()).toEqual(
      [
        `${ROLE} codeconnections:GetConnection ${NEW_PREFIX} required`,
        `${ROLE} codeconnections:GetConnection ${OLD_PREFIX} required`,
        `${ROLE} codeconnections:GetConnectionToken ${NEW_PREFIX} required`,
        `${ROLE} codeconnections:GetConnectionToken ${OLD_PREFIX} required`,
        `${ROLE} codestar-connections:GetConnection ${NEW_PREFIX} recommended`,
        `${ROLE} codestar-connections:GetConnection ${OLD_PREFIX} recommended`,
        `${ROLE} codestar-connections:GetConnectionToken ${NEW_PREFIX} recommended`,
        `${ROLE} codestar-connections:GetConnectionToken ${OLD_PREFIX} recommended`,
      ].sort(),
    );
    for (const l of links) expect(l.context).toEqual({});
  });

  it('make no link without a connection source, and are unknown when it is not known', () => {
    for (const id of [CODECONNECTIONS_ENTRY, CODESTAR_ENTRY]) {
      expect(expand(id, facts({ serviceRoleArn: ROLE }))).toEqual([]);
      expect(expand(id, facts(undefined))).toBe(
        `\`${id}\`: the CodeBuild project \`web\` is not known`,
      );
      expect(expand(id, facts({ serviceRoleArn: ROLE, secondaryConnectionsUnknown: 'why' }))).toBe(
        `\`${id}\`: why`,
      );
    }
  });
});

// ---------------------------------------------------------------------------------------------

const SCENARIO = 'fixtures/scenarios/all-providers';
const CODEBUILD = `${A}/us-east-1/codebuild.json`;
const IAM = `${A}/iam.json`;
const BUILD_ROLE = `arn:aws:iam::${A}:role/service-role/platform-web-build-role`;
/**
 * the connection of the web build's GitHub secondary source `tokens` (also the one its role may
 * UseConnection, both prefixes, for the pipeline's full clone)
 */
const CONNECTION = `arn:aws:codeconnections:us-east-1:${A}:connection/4d3c2b1a-0f9e-4d8c-b7a6-5f4e3d2c1b0a`;
const OLD_CONNECTION = `arn:aws:codestar-connections:us-east-1:${A}:connection/9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b`;

interface Found {
  text: string[];
  principals: string[];
  deniedBy: string[];
  why: string[];
  levels: string[];
  verdict: string;
  missing: (readonly string[])[];
}

/** The web build's connection links of its secondary sources, after `edit`. */
function connectionLinks(edit: (dir: string) => void): Found {
  return inScenarioCopy(SCENARIO, (dir) => {
    edit(dir);
    const p = analyzeModel(loadSnapshot(dir), { pipelines: ['platform-web'] }).pipelines[0]!;
    const found = p.links.filter(
      (l) => l.requirement.includes('.secondary-source-') && l.requirement.endsWith('connection'),
    );
    return {
      text: found.map((l) => `${l.decision} ${l.permission} ${l.resource}`).sort(),
      principals: [...new Set(found.map((l) => l.principal))],
      deniedBy: found
        .flatMap((l) => l.deniedBy.map((d) => `${l.permission} ${d.policyType}`))
        .sort(),
      why: found.map((l) => l.why),
      levels: found.map((l) => `${l.permission} ${l.level}`).sort(),
      verdict: p.verdict,
      missing: found.map((l) => l.missing ?? []),
    };
  });
}

/** Set the `auth` of the web build's GitHub secondary source `tokens` (the third). */
function setAuth(dir: string, auth: Json): void {
  editJson(join(dir, CODEBUILD), (doc) => {
    const p = (doc['projects'] as Json[]).find((x) => x['name'] === 'platform-web-build')!;
    const source = (p['secondarySources'] as Json[])[2]!;
    expect(source['sourceIdentifier']).toBe('tokens');
    source['auth'] = auth;
  });
}

/** Replace the web build role's `SecondarySourceConnection` statement by `statements`. */
function regrant(dir: string, ...statements: Json[]): void {
  editJson(join(dir, IAM), (doc) => {
    const role = (doc['RoleDetailList'] as Json[]).find(
      (r) => r['RoleName'] === 'platform-web-build-role',
    )!;
    const d = (role['RolePolicyList'] as Json[])[0]!['PolicyDocument'] as { Statement: Json[] };
    const before = d.Statement.length;
    d.Statement = d.Statement.filter((s) => s['Sid'] !== 'SecondarySourceConnection');
    expect(d.Statement.length).toBe(before - 1);
    d.Statement.push(...statements);
  });
}

const BOTH_PREFIXES = [
  'codeconnections:GetConnectionToken',
  'codeconnections:GetConnection',
  'codestar-connections:GetConnectionToken',
  'codestar-connections:GetConnection',
];

describe('a build role and the connection of a secondary source (snapshot)', () => {
  it('is allowed when the role may take a token of the connection with both prefixes', () => {
    const { text, principals } = connectionLinks(() => {});
    expect(text).toEqual(BOTH_PREFIXES.map((a) => `Allowed ${a} ${CONNECTION}`).sort());
    expect(principals).toEqual([BUILD_ROLE]);
  });

  it('is denied a token of a connection it may only UseConnection', () => {
    const { text, principals, deniedBy } = connectionLinks((dir) => regrant(dir));
    expect(text).toEqual(BOTH_PREFIXES.map((a) => `ImplicitlyDenied ${a} ${CONNECTION}`).sort());
    expect(principals).toEqual([BUILD_ROLE]);
    // no policy of the role allows them: its identity policies deny them implicitly
    expect(deniedBy).toEqual(BOTH_PREFIXES.map((a) => `${a} identity`).sort());
  });

  it('passes with a warning on the codestar-connections twins when the role grants only what CodeBuild documents', () => {
    const { text, levels, verdict } = connectionLinks((dir) =>
      regrant(dir, {
        Effect: 'Allow',
        Action: ['codeconnections:GetConnectionToken', 'codeconnections:GetConnection'],
        Resource: CONNECTION,
      }),
    );
    expect(text).toEqual(
      [
        `Allowed codeconnections:GetConnection ${CONNECTION}`,
        `Allowed codeconnections:GetConnectionToken ${CONNECTION}`,
        `ImplicitlyDenied codestar-connections:GetConnection ${CONNECTION}`,
        `ImplicitlyDenied codestar-connections:GetConnectionToken ${CONNECTION}`,
      ].sort(),
    );
    // CodeBuild documents only the codeconnections actions: the twins warn, the build passes
    expect(levels).toEqual([
      'codeconnections:GetConnection required',
      'codeconnections:GetConnectionToken required',
      'codestar-connections:GetConnection recommended',
      'codestar-connections:GetConnectionToken recommended',
    ]);
    expect(verdict).toBe('pass');
  });

  it('checks a codestar-connections connection ARN as written', () => {
    const granted = connectionLinks((dir) => {
      setAuth(dir, { type: 'CODECONNECTIONS', resource: OLD_CONNECTION });
      regrant(dir, { Effect: 'Allow', Action: BOTH_PREFIXES, Resource: OLD_CONNECTION });
    });
    expect(granted.text).toEqual(BOTH_PREFIXES.map((a) => `Allowed ${a} ${OLD_CONNECTION}`).sort());
    // the grant on the other connection does not cover it
    const other = connectionLinks((dir) =>
      setAuth(dir, { type: 'CODECONNECTIONS', resource: OLD_CONNECTION }),
    );
    expect(other.text).toEqual(
      BOTH_PREFIXES.map((a) => `ImplicitlyDenied ${a} ${OLD_CONNECTION}`).sort(),
    );
  });

  it('is Unknown for a codeconnections connection of another account: a RAM share no snapshot holds decides', () => {
    // https://docs.aws.amazon.com/dtconsole/latest/userguide/connections-share.html
    const shared = CONNECTION.replace(A, '222222222222');
    const granted = connectionLinks((dir) => {
      setAuth(dir, { type: 'CODECONNECTIONS', resource: shared });
      regrant(dir, { Effect: 'Allow', Action: BOTH_PREFIXES, Resource: shared });
    });
    expect(granted.text).toEqual(BOTH_PREFIXES.map((a) => `Unknown ${a} ${shared}`).sort());
    for (const m of granted.missing)
      expect(m).toEqual([
        `the AWS RAM share of \`${shared}\` with the caller's account (a snapshot holds none)`,
      ]);
    // the caller's own side lacks the allow: no share can help, across accounts both must allow
    const ungranted = connectionLinks((dir) =>
      setAuth(dir, { type: 'CODECONNECTIONS', resource: shared }),
    );
    expect(ungranted.text).toEqual(
      BOTH_PREFIXES.map((a) => `ImplicitlyDenied ${a} ${shared}`).sort(),
    );
    // a codestar-connections connection cannot be shared: no resource side grants it
    const old = OLD_CONNECTION.replace(A, '222222222222');
    const unshareable = connectionLinks((dir) => {
      setAuth(dir, { type: 'CODECONNECTIONS', resource: old });
      regrant(dir, { Effect: 'Allow', Action: BOTH_PREFIXES, Resource: old });
    });
    expect(unshareable.text).toEqual(
      BOTH_PREFIXES.map((a) => `ImplicitlyDenied ${a} ${old}`).sort(),
    );
  });

  it('is Unknown, naming the source, when its auth names no connection', () => {
    const { text, why } = connectionLinks((dir) => {
      setAuth(dir, { type: 'CODECONNECTIONS' });
      regrant(dir, { Effect: 'Allow', Action: BOTH_PREFIXES, Resource: '*' });
    });
    // never Allowed, even with a grant on every connection: which one is not known
    expect(text).toEqual(
      BOTH_PREFIXES.map(
        (a) =>
          `Unknown ${a} the connections of the CodeBuild project's secondary sources (not known)`,
      ).sort(),
    );
    for (const w of why)
      expect(w).toContain(
        `CODECONNECTIONS secondary source \`tokens\` of project \`platform-web-build\` names no connection ARN (its auth resource is missing or not an ARN), so the connection the build takes its token from is not known (${CODEBUILD}#/projects/2/secondarySources/2/auth/resource)`,
      );
  });

  it('needs no connection link for a source with an OAuth or Secrets Manager auth', () => {
    for (const auth of [
      { type: 'OAUTH' },
      {
        type: 'SECRETS_MANAGER',
        resource: `arn:aws:secretsmanager:us-east-1:${A}:secret:github-token-AbCdEf`,
      },
    ])
      expect(connectionLinks((dir) => setAuth(dir, auth)).text).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------

const TEMPLATE = `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  AuthType:
    Type: AWS::SSM::Parameter::Value<String>
    Default: /build/lib-auth-type
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: art-bucket-111
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
                Action: ["s3:*", "kms:*", "logs:*", "codeconnections:*", "codestar-connections:*"]
                Resource: "*"
  Project:
    Type: AWS::CodeBuild::Project
    Properties:
      Name: build
      ServiceRole: !GetAtt BuildRole.Arn
      Artifacts: { Type: CODEPIPELINE }
      Source: { Type: CODEPIPELINE }
      SecondarySources:
        - Type: GITHUB
          Location: https://github.com/octo/lib
          SourceIdentifier: lib
          Auth: { Type: !Ref AuthType, Resource: ${CONNECTION} }
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

describe('a template project whose secondary source auth the template does not settle', () => {
  it('makes the connection links Unknown naming the template line, and checks them once settled', () => {
    const dir = mkdtempSync(join(tmpdir(), 'permchain-secondary-connection-'));
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
          (l) =>
            l.requirement.startsWith('codebuild-project.secondary-source-') &&
            l.requirement.endsWith('connection'),
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
      expect(open.text.map((t) => t.split(' ').slice(0, 2).join(' '))).toEqual(
        BOTH_PREFIXES.map((a) => `Unknown ${a}`).sort(),
      );
      expect(open.missing).toEqual([
        // the line of the auth whose type is not settled
        'pipeline.yaml:58 (parameter `AuthType` reads the ssm parameter `/build/lib-auth-type` at deploy time, so its value is not known offline)',
      ]);
      expect(links({ AuthType: 'CODECONNECTIONS' }).text).toEqual(
        BOTH_PREFIXES.map((a) => `Allowed ${a} ${CONNECTION}`).sort(),
      );
      expect(links({ AuthType: 'OAUTH' }).text).toEqual([]);
      // a connection the template does not settle (a parameter, another resource's attribute):
      // Unknown with a grant on every connection, never Allowed
      writeFileSync(
        file,
        TEMPLATE.replace(
          `Auth: { Type: !Ref AuthType, Resource: ${CONNECTION} }`,
          'Auth: { Type: CODECONNECTIONS, Resource: !Ref AuthType }',
        ),
      );
      const noArn = links();
      expect(noArn.text.map((t) => t.split(' ').slice(0, 2).join(' '))).toEqual(
        BOTH_PREFIXES.map((a) => `Unknown ${a}`).sort(),
      );
      // named by the line of the unsettled connection, not as a connection that is absent
      expect(noArn.missing).toEqual([
        'pipeline.yaml:58 (parameter `AuthType` reads the ssm parameter `/build/lib-auth-type` at deploy time, so its value is not known offline)',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
