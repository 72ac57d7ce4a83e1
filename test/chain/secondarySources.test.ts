/**
 * A CodeBuild project's secondary sources and secondary artifacts are fetched and written by the
 * build itself with the project's service role, each source into its own directory and each
 * artifact to its bucket (https://docs.aws.amazon.com/codebuild/latest/userguide/sample-multi-in-out.html;
 * the service role policy grants codecommit:GitPull, s3:GetObject, s3:GetObjectVersion and
 * s3:PutObject for them: https://docs.aws.amazon.com/codebuild/latest/userguide/setting-up-service-role.html).
 * The snapshot cases edit the all-providers scenario, whose `platform-web-build` project has a
 * CodeCommit secondary source (`platform-shared`), an S3 secondary source
 * (`platform-build-deps-…/toolchain/node-20.zip`), a GitHub secondary source through a
 * connection (`CONNECTION`, secondaryConnections.test.ts), a Bitbucket secondary source whose
 * token is in a secret (`ICONS_TOKEN`, secondarySecrets.test.ts) and an S3 secondary artifact
 * (`platform-build-reports-…`), each granted to its role by its own statement.
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
import { editJson, inScenarioCopy, type Json } from './scenarioCopy.js';
import { ACCOUNT, buildFacts as facts, project } from './codebuildProjects.js';

const A = ACCOUNT;

describe('secondaryFetches: what the build fetches and writes itself', () => {
  it('clones a CODECOMMIT source from the repository its HTTPS clone URL names', () => {
    const f = secondaryFetches(
      project([
        {
          type: 'CODECOMMIT',
          location: 'https://git-codecommit.us-west-2.amazonaws.com/v1/repos/shared',
          sourceIdentifier: 'shared',
        },
        // FIPS endpoint, trailing slash, another region; and the China partition's host
        {
          type: 'codecommit',
          location: 'https://git-codecommit-fips.us-east-1.amazonaws.com/v1/repos/lib/',
        },
      ]),
      'aws',
    );
    expect(f).toEqual({
      secondaryRepositoryArns: [
        `arn:aws:codecommit:us-east-1:${A}:lib`,
        `arn:aws:codecommit:us-west-2:${A}:shared`,
      ],
    });
    const cn = secondaryFetches(
      project([
        {
          type: 'CODECOMMIT',
          location: 'https://git-codecommit.cn-north-1.amazonaws.com.cn/v1/repos/x',
        },
      ]),
      'aws-cn',
    );
    expect(cn.secondaryRepositoryArns).toEqual([`arn:aws-cn:codecommit:cn-north-1:${A}:x`]);
  });

  it('leaves the repository unknown for a location of a form AWS does not document', () => {
    const f = secondaryFetches(
      project([{ type: 'CODECOMMIT', location: 'codecommit::us-east-1://shared' }]),
      'aws',
    );
    expect(f.secondaryRepositoryArns).toBeUndefined();
    expect(f.secondaryRepositoriesUnknown).toBe(
      'the location `codecommit::us-east-1://shared` of CODECOMMIT secondary source 1 of project `web` is not a CodeCommit HTTPS clone URL (`https://git-codecommit.<region>.amazonaws.com/v1/repos/<name>`), so the repository the build clones is not known (111111111111/eu-west-1/codebuild.json#/projects/0/secondarySources/0)',
    );
    // the S3 sources are still known
    expect(f.secondarySourceObjectsUnknown).toBeUndefined();
  });

  it('downloads an S3 source: a ZIP file, or every object under a folder', () => {
    const f = secondaryFetches(
      project([
        { type: 'S3', location: 'deps-bucket/tools/node.zip' },
        { type: 'S3', location: 'deps-bucket/vendor/' },
      ]),
      'aws',
    );
    expect(f).toEqual({
      secondarySourceObjectArns: [
        'arn:aws:s3:::deps-bucket/tools/node.zip',
        'arn:aws:s3:::deps-bucket/vendor/*',
      ],
    });
    expect(
      secondaryFetches(project([{ type: 'S3' }]), 'aws').secondarySourceObjectsUnknown,
    ).toMatch(/^S3 secondary source 1 of project `web` has no location/);
  });

  it('makes nothing for pipeline artifacts, no source, and OAuth or token providers', () => {
    const f = secondaryFetches(
      project(
        [
          { type: 'CODEPIPELINE', sourceIdentifier: 'Lib' },
          { type: 'NO_SOURCE' },
          { type: 'GITHUB', location: 'https://github.com/octo/lib', authType: 'OAUTH' },
          { type: 'BITBUCKET', location: 'https://bitbucket.org/octo/lib' },
        ],
        [{ type: 'CODEPIPELINE' }, { type: 'NO_ARTIFACTS' }],
      ),
      'aws',
    );
    expect(f).toEqual({});
  });

  it('leaves every secondary source unknown when a type is not settled or not known', () => {
    const open = secondaryFetches(
      project([
        {
          type: 'CODECOMMIT',
          location: 'https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/a',
        },
        { type: 'unresolved-0123456789', sourceIdentifier: 'deps' },
      ]),
      'aws',
    );
    const why =
      'the type of secondary source `deps` of project `web` is `unresolved-0123456789`, which the input does not settle';
    expect(open.secondaryRepositoriesUnknown).toBe(why);
    expect(open.secondarySourceObjectsUnknown).toBe(why);
    const missing = secondaryFetches(project([{ location: 'x' }]), 'aws');
    expect(missing.secondaryRepositoriesUnknown).toBe(
      'secondary source 1 of project `web` has no type (111111111111/eu-west-1/codebuild.json#/projects/0/secondarySources/0)',
    );
    const odd = secondaryFetches(project([{ type: 'SVN' }]), 'aws');
    expect(odd.secondarySourceObjectsUnknown).toMatch(
      /has the type `SVN`, which permchain does not know/,
    );
  });

  it('names the template property of a template project', () => {
    const f = secondaryFetches(project([{ location: 'x' }], [], '/Resources/Build'), 'aws');
    expect(f.secondaryRepositoriesUnknown).toMatch(
      /codebuild\.json#\/Resources\/Build\/Properties\/SecondarySources\/0\)$/,
    );
  });

  it('writes an S3 artifact to its bucket, encrypted unless it sets encryptionDisabled', () => {
    const f = secondaryFetches(
      project(
        [],
        [
          { type: 'S3', location: 'reports-bucket', artifactIdentifier: 'reports' },
          { type: 'S3', location: 'plain-bucket', encryptionDisabled: true },
        ],
      ),
      'aws',
    );
    // neither names its objects (no name; packaging NONE, the default, makes a folder): the
    // `*` after the bucket is the rest of the key, no input gives it
    // (https://docs.aws.amazon.com/codebuild/latest/APIReference/API_ProjectArtifacts.html)
    const holds =
      'a name the project does not give and the path of each file of the build output (`packaging` NONE: a folder)';
    expect(f).toEqual({
      secondaryArtifacts: [
        {
          objectArn: 'arn:aws:s3:::plain-bucket/*',
          encrypted: false,
          unknownEnd: {
            kind: 'secondaryArtifact',
            artifacts: 'secondary artifact 2 of project `web`',
            holds,
          },
        },
        {
          objectArn: 'arn:aws:s3:::reports-bucket/*',
          encrypted: true,
          unknownEnd: {
            kind: 'secondaryArtifact',
            artifacts: 'secondary artifact `reports` of project `web`',
            holds,
          },
        },
      ],
    });
    expect(
      secondaryFetches(project([], [{ type: 'unresolved-0123456789' }]), 'aws')
        .secondaryArtifactsUnknown,
    ).toBe(
      'the type of secondary artifact 1 of project `web` is `unresolved-0123456789`, which the input does not settle',
    );
    expect(
      secondaryFetches(project([], [{ type: 'S3' }]), 'aws').secondaryArtifactsUnknown,
    ).toMatch(/^S3 secondary artifact 1 of project `web` has no location/);
  });
});

// ---------------------------------------------------------------------------------------------

const ROLE = `arn:aws:iam::${A}:role/build`;
const KEY = `arn:aws:kms:eu-west-1:${A}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

function expand(id: string, f: ActionFacts): readonly ExpandedLink[] | string {
  const r = expandRequirement(getCatalog().byId.get(id)!, f);
  return 'unknown' in r ? r.unknown : r;
}

describe('the secondary source and artifact entries', () => {
  it('put a secondary artifact with the project key, or without encryption when disabled', () => {
    const links = expand(
      'codebuild-project.secondary-artifact-put-object',
      facts({
        serviceRoleArn: ROLE,
        encryptionKeyId: KEY,
        secondaryArtifacts: [
          { objectArn: 'arn:aws:s3:::plain/*', encrypted: false },
          { objectArn: 'arn:aws:s3:::reports/*', encrypted: true },
        ],
      }),
    ) as readonly ExpandedLink[];
    expect(links.map((l) => [l.principal, l.action, l.resource, l.context])).toEqual([
      [ROLE, 's3:PutObject', 'arn:aws:s3:::plain/*', {}],
      [
        ROLE,
        's3:PutObject',
        'arn:aws:s3:::reports/*',
        {
          's3:x-amz-server-side-encryption': 'aws:kms',
          's3:x-amz-server-side-encryption-aws-kms-key-id': KEY,
        },
      ],
    ]);
  });

  it('make no link without secondary sources or artifacts', () => {
    for (const id of [
      'codebuild-project.secondary-source-git-pull',
      'codebuild-project.secondary-source-get-object',
      'codebuild-project.secondary-source-get-object-version',
      'codebuild-project.secondary-artifact-put-object',
    ])
      expect(expand(id, facts({ serviceRoleArn: ROLE }))).toEqual([]);
  });

  it('are unknown when the project is not known, or what it fetches is not', () => {
    expect(expand('codebuild-project.secondary-source-git-pull', facts(undefined))).toBe(
      '`codebuild-project.secondary-source-git-pull`: the CodeBuild project `web` is not known',
    );
    expect(
      expand(
        'codebuild-project.secondary-source-get-object',
        facts({ serviceRoleArn: ROLE, secondarySourceObjectsUnknown: 'why' }),
      ),
    ).toBe('`codebuild-project.secondary-source-get-object`: why');
  });
});

// ---------------------------------------------------------------------------------------------

const SCENARIO = 'fixtures/scenarios/all-providers';
const CODEBUILD = `${A}/us-east-1/codebuild.json`;
const IAM = `${A}/iam.json`;
const SHARED = `arn:aws:codecommit:us-east-1:${A}:platform-shared`;
const DEPS = `arn:aws:s3:::platform-build-deps-${A}/toolchain/node-20.zip`;
// the project's secondary artifact `reports` (path `web`, namespaceType BUILD_ID, name `reports`,
// packaging ZIP): its object is `web/<build-ID>/reports`, the `*` the build id
const REPORTS = `arn:aws:s3:::platform-build-reports-${A}/web/*/reports`;
const REPORTS_BUCKET = `arn:aws:s3:::platform-build-reports-${A}`;
const CONNECTION = `arn:aws:codeconnections:us-east-1:${A}:connection/4d3c2b1a-0f9e-4d8c-b7a6-5f4e3d2c1b0a`;
/** the connection links of the GitHub source, allowed */
const CONNECTION_ALLOWED = [
  `Allowed codestar-connections:GetConnectionToken ${CONNECTION}`,
  `Allowed codestar-connections:GetConnection ${CONNECTION}`,
  `Allowed codeconnections:GetConnectionToken ${CONNECTION}`,
  `Allowed codeconnections:GetConnection ${CONNECTION}`,
];
const ICONS_TOKEN = `arn:aws:secretsmanager:us-east-1:${A}:secret:platform/bitbucket-icons-token-Qz81Lm`;
/** the secret link of the Bitbucket source `icons` (secondarySecrets.test.ts), allowed */
const SECRET_ALLOWED = `Allowed secretsmanager:GetSecretValue ${ICONS_TOKEN}`;

/** The web build's secondary links as `decision permission resource`, after `edit`. */
function secondaryLinks(edit: (dir: string) => void): {
  text: string[];
  deniedBy: string[];
  why: string[];
} {
  return inScenarioCopy(SCENARIO, (dir) => {
    edit(dir);
    const p = analyzeModel(loadSnapshot(dir), { pipelines: ['platform-web'] }).pipelines[0]!;
    const found = p.links.filter((l) => l.requirement.includes('.secondary-'));
    return {
      text: found.map((l) => `${l.decision} ${l.permission} ${l.resource}`),
      deniedBy: found.flatMap((l) => l.deniedBy.map((d) => `${l.permission} ${d.policyType}`)),
      why: found.map((l) => l.why),
    };
  });
}

/** Remove the build role's statement `sid`. */
function revoke(dir: string, sid: string): void {
  editJson(join(dir, IAM), (doc) => {
    for (const role of doc['RoleDetailList'] as Json[]) {
      for (const p of (role['RolePolicyList'] as Json[] | undefined) ?? []) {
        const d = p['PolicyDocument'] as { Statement: Json[] };
        d.Statement = d.Statement.filter((s) => s['Sid'] !== sid);
      }
    }
  });
}

function editWebProject(dir: string, edit: (project: Json) => void): void {
  editJson(join(dir, CODEBUILD), (doc) => {
    edit((doc['projects'] as Json[]).find((p) => p['name'] === 'platform-web-build')!);
  });
}

describe('a build role and its secondary sources (snapshot)', () => {
  it('passes when the role may read and write them', () => {
    expect(secondaryLinks(() => {}).text).toEqual([
      // the artifact's bucketOwnerAccess READ_ONLY (API_ProjectArtifacts.html)
      `Allowed s3:PutBucketAcl ${REPORTS_BUCKET}`,
      `Allowed s3:PutObject ${REPORTS}`,
      ...CONNECTION_ALLOWED,
      `Allowed s3:GetObject ${DEPS}`,
      `Allowed s3:GetObjectVersion ${DEPS}`,
      `Allowed codecommit:GitPull ${SHARED}`,
      SECRET_ALLOWED,
    ]);
  });

  it('is denied codecommit:GitPull on the repository of a secondary source it cannot read', () => {
    const { text, deniedBy } = secondaryLinks((dir) => revoke(dir, 'SecondarySourceRepository'));
    expect(text).toContain(`ImplicitlyDenied codecommit:GitPull ${SHARED}`);
    expect(text.filter((t) => !t.startsWith('Allowed'))).toEqual([
      `ImplicitlyDenied codecommit:GitPull ${SHARED}`,
    ]);
    // no policy of the role allows it: the role's identity policies deny it implicitly
    expect(deniedBy).toEqual(['codecommit:GitPull identity']);
  });

  it('is denied the S3 source and the S3 artifact it may not read or write', () => {
    const { text } = secondaryLinks((dir) => {
      revoke(dir, 'SecondarySourceObjects');
      revoke(dir, 'SecondaryArtifactObjects');
    });
    expect(text).toEqual([
      `Allowed s3:PutBucketAcl ${REPORTS_BUCKET}`,
      `ImplicitlyDenied s3:PutObject ${REPORTS}`,
      ...CONNECTION_ALLOWED,
      `ImplicitlyDenied s3:GetObject ${DEPS}`,
      `ImplicitlyDenied s3:GetObjectVersion ${DEPS}`,
      `Allowed codecommit:GitPull ${SHARED}`,
      SECRET_ALLOWED,
    ]);
  });

  it('follows the repository the location names: another one is denied', () => {
    const { text } = secondaryLinks((dir) =>
      editWebProject(dir, (p) => {
        (p['secondarySources'] as Json[])[0]!['location'] =
          'https://git-codecommit.us-east-1.amazonaws.com/v1/repos/platform-secrets';
      }),
    );
    expect(text).toContain(
      `ImplicitlyDenied codecommit:GitPull arn:aws:codecommit:us-east-1:${A}:platform-secrets`,
    );
  });

  it('is Unknown, naming the source, when its location is not a clone URL', () => {
    const { text, why } = secondaryLinks((dir) =>
      editWebProject(dir, (p) => {
        (p['secondarySources'] as Json[])[0]!['location'] =
          'codecommit::us-east-1://platform-shared';
      }),
    );
    expect(text).toContain(
      "Unknown codecommit:GitPull the CodeCommit repositories of the CodeBuild project's secondary sources (not known)",
    );
    expect(text.filter((t) => t.includes('codecommit'))).toHaveLength(1);
    // the project's source is named where it is read (a snapshot has no template line to name)
    expect(why.find((w) => w.includes('secondary-source-git-pull'))).toContain(
      `the location \`codecommit::us-east-1://platform-shared\` of CODECOMMIT secondary source \`shared\` of project \`platform-web-build\` is not a CodeCommit HTTPS clone URL`,
    );
    expect(why.find((w) => w.includes('secondary-source-git-pull'))).toContain(
      `(${CODEBUILD}#/projects/2/secondarySources/0)`,
    );
  });

  it('needs no link for a source of the pipeline or of GitHub', () => {
    const { text } = secondaryLinks((dir) =>
      editWebProject(dir, (p) => {
        p['secondarySources'] = [
          { type: 'GITHUB', location: 'https://github.com/octo/lib', sourceIdentifier: 'lib' },
        ];
        p['secondaryArtifacts'] = [];
      }),
    );
    expect(text).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------

const TEMPLATE = `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  SharedRepoUrl:
    Type: AWS::SSM::Parameter::Value<String>
    Default: /build/shared-repo-url
  DepsType:
    Type: AWS::SSM::Parameter::Value<String>
    Default: /build/deps-type
Resources:
  Key:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: { AWS: !Sub "arn:aws:iam::\${AWS::AccountId}:root" }
            Action: kms:*
            Resource: "*"
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
                Action: ["s3:*", "kms:*", "logs:*", "codecommit:*"]
                Resource: "*"
  Project:
    Type: AWS::CodeBuild::Project
    Properties:
      Name: build
      ServiceRole: !GetAtt BuildRole.Arn
      EncryptionKey: !GetAtt Key.Arn
      Artifacts: { Type: CODEPIPELINE }
      Source: { Type: CODEPIPELINE }
      SecondarySources:
        - { Type: CODECOMMIT, Location: !Ref SharedRepoUrl, SourceIdentifier: shared }
        - { Type: !Ref DepsType, Location: deps-bucket/deps.zip, SourceIdentifier: deps }
      Environment:
        Type: LINUX_CONTAINER
        Image: aws/codebuild/standard:7.0
        ComputeType: BUILD_GENERAL1_SMALL
  Pipeline:
    Type: AWS::CodePipeline::Pipeline
    Properties:
      Name: app
      RoleArn: !GetAtt PipelineRole.Arn
      ArtifactStore:
        Type: S3
        Location: !Ref Bucket
        EncryptionKey: { Id: !GetAtt Key.Arn, Type: KMS }
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

describe('a template project whose secondary sources the template does not settle', () => {
  it('makes their links Unknown naming the template line, never leaves them out', () => {
    const dir = mkdtempSync(join(tmpdir(), 'permchain-secondary-'));
    try {
      const file = join(dir, 'pipeline.yaml');
      writeFileSync(file, TEMPLATE);
      const { model } = loadSingleTemplate(file, { account: A, region: 'us-east-1' });
      const p = analyzeModel(model).pipelines[0]!;
      const found = p.links.filter((l) => l.requirement.includes('.secondary-source'));
      expect(found.map((l) => `${l.decision} ${l.permission}`)).toEqual([
        'Unknown s3:GetObject',
        'Unknown s3:GetObjectVersion',
        'Unknown codecommit:GitPull',
      ]);
      const missing = (permission: string): string[] =>
        (found.find((l) => l.permission === permission)?.missing ?? []).map((m) =>
          m.replace(/^.*pipeline\.yaml/, 'pipeline.yaml'),
        );
      // the source whose type is not settled may be an S3 or a CodeCommit one: both name its line
      const depsType =
        'pipeline.yaml:70 (parameter `DepsType` reads the ssm parameter `/build/deps-type` at deploy time, so its value is not known offline)';
      const repoUrl =
        'pipeline.yaml:69 (parameter `SharedRepoUrl` reads the ssm parameter `/build/shared-repo-url` at deploy time, so its value is not known offline)';
      expect(missing('s3:GetObject')).toEqual([depsType]);
      expect(missing('codecommit:GitPull')).toEqual([repoUrl, depsType]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a template project whose secondary source or artifact lists are under Fn::If', () => {
  it('makes the links of the unsettled list or entry Unknown naming its line, never drops them', () => {
    const text = TEMPLATE.replace(
      `      SecondarySources:
        - { Type: CODECOMMIT, Location: !Ref SharedRepoUrl, SourceIdentifier: shared }
        - { Type: !Ref DepsType, Location: deps-bucket/deps.zip, SourceIdentifier: deps }
`,
      `      SecondarySources: !If
        - WithDeps
        - [{ Type: S3, Location: deps-bucket/deps.zip, SourceIdentifier: deps }]
        - !Ref AWS::NoValue
      SecondaryArtifacts:
        - !If [WithDeps, { Type: S3, Location: reports-bucket, ArtifactIdentifier: reports }, !Ref AWS::NoValue]
`,
    ).replace('Resources:\n', 'Conditions:\n  WithDeps: !Equals [!Ref DepsType, S3]\nResources:\n');
    expect(text).toContain('WithDeps: !Equals');
    const dir = mkdtempSync(join(tmpdir(), 'permchain-secondary-if-'));
    try {
      const file = join(dir, 'pipeline.yaml');
      writeFileSync(file, text);
      const { model } = loadSingleTemplate(file, { account: A, region: 'us-east-1' });
      const p = analyzeModel(model).pipelines[0]!;
      const found = p.links.filter(
        (l) =>
          l.requirement.includes('.secondary-source') ||
          l.requirement.includes('.secondary-artifact'),
      );
      // (an artifact not known may give its bucket's owner access: s3:PutBucketAcl is Unknown too)
      expect(found.map((l) => `${l.decision} ${l.permission}`).sort()).toEqual([
        'Unknown codecommit:GitPull',
        'Unknown s3:GetObject',
        'Unknown s3:GetObjectVersion',
        'Unknown s3:PutBucketAcl',
        'Unknown s3:PutObject',
      ]);
      // the place named is the condition the If depends on
      for (const l of found)
        expect(
          (l.missing ?? []).map((m) => m.replace(/^.*pipeline\.yaml/, 'pipeline.yaml')),
        ).toEqual([
          'pipeline.yaml:10 (`Fn::If` on condition `WithDeps`, which is not known: parameter `DepsType` reads the ssm parameter `/build/deps-type` at deploy time, so its value is not known offline)',
        ]);
      // settled: the S3 source and artifact are checked as written
      const settled = analyzeModel(
        loadSingleTemplate(file, {
          account: A,
          region: 'us-east-1',
          parameters: { DepsType: 'S3' },
        }).model,
      ).pipelines[0]!.links.filter(
        (l) =>
          l.requirement.includes('.secondary-source') ||
          l.requirement.includes('.secondary-artifact'),
      );
      // (Unknown only because the two buckets are in no input: their policies are not known)
      expect(settled.map((l) => `${l.decision} ${l.permission} ${l.resource}`).sort()).toEqual([
        'Unknown s3:GetObject arn:aws:s3:::deps-bucket/deps.zip',
        'Unknown s3:GetObjectVersion arn:aws:s3:::deps-bucket/deps.zip',
        'Unknown s3:PutObject arn:aws:s3:::reports-bucket/*',
      ]);
      for (const l of settled) expect(JSON.stringify(l.missing)).not.toContain('deps-type');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
