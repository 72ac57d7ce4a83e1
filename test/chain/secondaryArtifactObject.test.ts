/**
 * The objects a CodeBuild project's S3 secondary artifact writes are named by its location (the
 * bucket), path, namespaceType, name, packaging and overrideArtifactName
 * (https://docs.aws.amazon.com/codebuild/latest/APIReference/API_ProjectArtifacts.html). They
 * were checked as `arn:aws:s3:::<bucket>/*` with the `*` the literal character, so a role allowed
 * `<bucket>/builds/*` was denied the upload of `builds/app.zip`. Edits of the pass-cross-account
 * scenario: project `orders-api-build` gains an S3 secondary artifact in `release-bucket`, and its
 * role a statement on that bucket.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { secondaryFetches } from '../../src/chain/actionFacts.js';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import type { Problem } from '../../src/problems.js';
import type { ReportLink, ReportPipeline } from '../../src/report/types.js';
import type { CodeBuildArtifactsModel } from '../../src/model/types.js';
import { project, RELEASE } from './codebuildProjects.js';
import { editJson, inScenarioCopy, type Json } from './scenarioCopy.js';

const SCENARIO = 'fixtures/scenarios/pass-cross-account';
const PUT = 'codebuild-project.secondary-artifact-put-object';

const BUCKET: Json = {
  Policy: null,
  LocationConstraint: null,
  OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
  PublicAccessBlockConfiguration: {
    BlockPublicAcls: true,
    IgnorePublicAcls: true,
    BlockPublicPolicy: true,
    RestrictPublicBuckets: true,
  },
  ServerSideEncryptionConfiguration: {
    Rules: [
      { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false },
    ],
  },
};

/**
 * The scenario with `artifact` (RELEASE with these changes) as the project's secondary artifact
 * and the build role allowed s3:PutObject on `resources`; its pipeline's report.
 */
function withArtifact(
  artifact: Json,
  resources: string | string[],
  buildspec?: string,
): ReportPipeline {
  return withArtifactModel(artifact, resources, buildspec).pipeline;
}

/** withArtifact's pipeline, with the problems of loading the snapshot. */
function withArtifactModel(
  artifact: Json,
  resources: string | string[],
  buildspec?: string,
): { pipeline: ReportPipeline; problems: readonly Problem[] } {
  return inScenarioCopy(SCENARIO, (dir) => {
    editJson(join(dir, '111111111111/us-east-1/codebuild.json'), (doc) => {
      const project = (doc['projects'] as Json[])[0]!;
      project['secondaryArtifacts'] = [{ ...RELEASE, ...artifact }];
      if (buildspec !== undefined) (project['source'] as Json)['buildspec'] = buildspec;
    });
    writeFileSync(join(dir, '111111111111/s3/release-bucket.json'), JSON.stringify(BUCKET));
    editJson(join(dir, '111111111111/iam.json'), (doc) => {
      const role = (doc['RoleDetailList'] as Json[]).find(
        (r) => r['RoleName'] === 'orders-api-build-role',
      )!;
      const policy = (role['RolePolicyList'] as Json[])[0]!['PolicyDocument'] as {
        Statement: Json[];
      };
      policy.Statement.push({ Effect: 'Allow', Action: 's3:PutObject', Resource: resources });
    });
    const model = loadSnapshot(dir);
    const report = analyzeModel(model);
    expect(report.pipelines).toHaveLength(1);
    return { pipeline: report.pipelines[0]!, problems: model.problems };
  });
}

/** The one upload link of the secondary artifact. */
function put(p: ReportPipeline): ReportLink {
  const links = p.links.filter((l) => l.requirement === PUT);
  expect(links).toHaveLength(1);
  return links[0]!;
}

describe('an S3 secondary artifact of a known name, one ZIP object without the build id', () => {
  it('is checked on its object, and allowed by a policy on its path', () => {
    const link = put(withArtifact({}, 'arn:aws:s3:::release-bucket/builds/*'));
    expect(link.resource).toBe('arn:aws:s3:::release-bucket/builds/app.zip');
    expect(link.decision).toBe('Allowed');
  });

  it('is denied by a policy on another path only', () => {
    const link = put(withArtifact({}, 'arn:aws:s3:::release-bucket/other/*'));
    expect(link.resource).toBe('arn:aws:s3:::release-bucket/builds/app.zip');
    expect(link.decision).toBe('ImplicitlyDenied');
  });

  it('joins path and name with one slash, as AWS does', () => {
    const link = put(
      withArtifact({ path: '/builds/', name: 'app.zip' }, 'arn:aws:s3:::release-bucket/builds/*'),
    );
    expect(link.resource).toBe('arn:aws:s3:::release-bucket/builds/app.zip');
    const root = put(withArtifact({ path: '' }, 'arn:aws:s3:::release-bucket/app.zip'));
    expect(root.resource).toBe('arn:aws:s3:::release-bucket/app.zip');
    expect(root.decision).toBe('Allowed');
  });
});

/** The words a link gives for being Unknown. */
const words = (l: ReportLink): string => JSON.stringify([l.why, l.missing]);

describe('an S3 secondary artifact whose key the project does not settle to its end', () => {
  // each: the artifact, the object ARN checked, and what the end holds in the link's words
  const cases: [string, Json, string, RegExp][] = [
    [
      'a folder of the build output (packaging NONE)',
      { packaging: 'NONE' },
      'arn:aws:s3:::release-bucket/builds/app.zip/*',
      /the path of each file of the build output/,
    ],
    [
      'a name the buildspec gives (overrideArtifactName)',
      { overrideArtifactName: true },
      'arn:aws:s3:::release-bucket/builds/*',
      /a name the buildspec may give/,
    ],
  ];

  for (const [what, artifact, resource, holds] of cases) {
    describe(what, () => {
      it('is allowed by a policy on the whole bucket', () => {
        const link = put(withArtifact(artifact, 'arn:aws:s3:::release-bucket/*'));
        expect(link.resource).toBe(resource);
        expect(link.decision).toBe('Allowed');
      });

      it('is denied by a policy on a path the key never has', () => {
        const link = put(withArtifact(artifact, 'arn:aws:s3:::release-bucket/other/*'));
        expect(link.resource).toBe(resource);
        expect(link.decision).toBe('ImplicitlyDenied');
      });

      it('is Unknown, naming the part, by a policy some keys match and others do not', () => {
        const link = put(withArtifact(artifact, 'arn:aws:s3:::release-bucket/builds/*/app.zip'));
        expect(link.resource).toBe(resource);
        expect(link.decision).toBe('Unknown');
        expect(words(link)).toMatch(holds);
      });
    });
  }

  it('is never taken for the literal `*`: a policy on `<path>/*` allows a name under it', () => {
    const link = put(
      withArtifact({ overrideArtifactName: true }, 'arn:aws:s3:::release-bucket/builds/*'),
    );
    expect(link.decision).toBe('Allowed');
  });
});

/**
 * namespaceType BUILD_ID puts the build id between the path and the name
 * (`MyArtifacts/<build-ID>/MyArtifact.zip`,
 * https://docs.aws.amazon.com/codebuild/latest/APIReference/API_ProjectArtifacts.html). It was
 * made the start of an unknown rest of the key (`builds/*`), so a policy on the whole shape
 * `builds/<build id>/app.zip` was Unknown, and so was one on `builds/app.zip`, which no build's
 * key is. The build id is now one made-up segment, tried with the ids policies name.
 */
describe('an S3 secondary artifact with the build id in its key (namespaceType BUILD_ID)', () => {
  const RESOURCE = 'arn:aws:s3:::release-bucket/builds/*/app.zip';
  const ID = { namespaceType: 'BUILD_ID' };

  it.each([
    ['the whole bucket', 'arn:aws:s3:::release-bucket/*'],
    ['its path', 'arn:aws:s3:::release-bucket/builds/*'],
    ['its path, any build id, its name', 'arn:aws:s3:::release-bucket/builds/*/app.zip'],
    [
      'its path, a build id of any characters, its name',
      'arn:aws:s3:::release-bucket/builds/*/*.zip',
    ],
  ])('is checked on `<path>/<build-ID>/<name>`, allowed by a policy on %s', (_, resource) => {
    const link = put(withArtifact(ID, resource));
    expect(link.resource).toBe(RESOURCE);
    expect(link.decision).toBe('Allowed');
  });

  it.each([
    ['the key without the build id', 'arn:aws:s3:::release-bucket/builds/app.zip'],
    ['another name', 'arn:aws:s3:::release-bucket/builds/*/other.zip'],
    ['another path', 'arn:aws:s3:::release-bucket/other/*'],
    // the build id is one segment: no `/` in it
    ['two segments between path and name', 'arn:aws:s3:::release-bucket/builds/*/*/app.zip'],
  ])('is denied by a policy on %s only', (_, resource) => {
    const link = put(withArtifact(ID, resource));
    expect(link.resource).toBe(RESOURCE);
    expect(link.decision).toBe('ImplicitlyDenied');
  });

  it('is Unknown, naming the build id, by a policy some build ids match and others do not', () => {
    const link = put(
      withArtifact(ID, 'arn:aws:s3:::release-bucket/builds/orders-api-build:*/app.zip'),
    );
    expect(link.resource).toBe(RESOURCE);
    expect(link.decision).toBe('Unknown');
    expect(words(link)).toMatch(
      /the build id in the key of the objects of secondary artifact `rel`/,
    );
  });

  it('is a folder of files under the build id with packaging NONE: both are tried', () => {
    const folder = { ...ID, packaging: 'NONE' };
    const allowed = put(withArtifact(folder, 'arn:aws:s3:::release-bucket/builds/*/app.zip/*'));
    expect(allowed.resource).toBe('arn:aws:s3:::release-bucket/builds/*/app.zip/*');
    expect(allowed.decision).toBe('Allowed');
    const denied = put(withArtifact(folder, 'arn:aws:s3:::release-bucket/builds/app.zip'));
    expect(denied.decision).toBe('ImplicitlyDenied');
    // a build id `app.zip` would meet `builds/app.zip/*` (`builds/app.zip/app.zip/<file>`): AWS
    // does not document which characters the build id holds in the key, so that is not decided
    const near = put(withArtifact(folder, 'arn:aws:s3:::release-bucket/builds/app.zip/*'));
    expect(near.decision).toBe('Unknown');
    expect(words(near)).toMatch(/the build id/);
    const files = put(withArtifact(folder, 'arn:aws:s3:::release-bucket/builds/*/app.zip/*.html'));
    expect(files.decision).toBe('Unknown');
    expect(words(files)).toMatch(/the path of each file of the build output/);
  });
});

describe('a secondary artifact field of the wrong shape in a snapshot', () => {
  it.each([
    ['path', 5, 'expected a string'],
    ['name', ['app.zip'], 'expected a string'],
    ['namespaceType', true, 'expected a string'],
    ['packaging', {}, 'expected a string'],
    ['overrideArtifactName', 'yes', 'expected a boolean'],
  ])(
    '%s: %j is an input error at its pointer, and the upload is Unknown naming it',
    (key, value, message) => {
      const { pipeline, problems } = withArtifactModel(
        { [key]: value },
        'arn:aws:s3:::release-bucket/*',
      );
      const pointer = `/projects/0/secondaryArtifacts/0/${key}`;
      const errors = problems.filter((p) => p.severity === 'error');
      expect(errors.map((p) => [p.file, p.pointer])).toEqual([
        ['111111111111/us-east-1/codebuild.json', pointer],
      ]);
      expect(errors[0]!.message).toContain(message);
      const link = put(pipeline);
      expect(link.decision).toBe('Unknown');
      expect(link.missing).toEqual([
        `111111111111/us-east-1/codebuild.json#${pointer} (not readable)`,
      ]);
    },
  );
});

describe('the key of the objects of an S3 secondary artifact', () => {
  const P = 'unresolved-0123456789';
  const BASE: Partial<CodeBuildArtifactsModel> = {
    type: 'S3',
    location: 'b',
    path: 'builds',
    name: 'app.zip',
    namespaceType: 'NONE',
    packaging: 'ZIP',
    artifactIdentifier: 'rel',
  };
  const FILES = 'the path of each file of the build output (`packaging` NONE: a folder)';
  const BUILDSPEC = 'a name the buildspec may give at build time (`overrideArtifactName`)';
  // each: the artifact's changes, its object ARN, what the rest of the key holds (none: exact),
  // the offset of the build id's `*` in the ARN
  const cases: [Partial<CodeBuildArtifactsModel>, string, string | undefined, number?][] = [
    [{}, 'arn:aws:s3:::b/builds/app.zip', undefined],
    [{ path: '/builds/', name: '/app.zip' }, 'arn:aws:s3:::b/builds/app.zip', undefined],
    [{ path: undefined }, 'arn:aws:s3:::b/app.zip', undefined],
    [{ path: 'a/b' }, 'arn:aws:s3:::b/a/b/app.zip', undefined],
    [{ namespaceType: 'BUILD_ID' }, 'arn:aws:s3:::b/builds/*/app.zip', undefined, 22],
    [{ namespaceType: 'BUILD_ID', path: undefined }, 'arn:aws:s3:::b/*/app.zip', undefined, 15],
    [
      { namespaceType: 'BUILD_ID', packaging: 'NONE' },
      'arn:aws:s3:::b/builds/*/app.zip/*',
      FILES,
      22,
    ],
    // name `/`: the files are at the root of the build id's folder
    [
      { namespaceType: 'BUILD_ID', packaging: 'NONE', name: '/' },
      'arn:aws:s3:::b/builds/*/*',
      FILES,
      22,
    ],
    [{ packaging: 'NONE', name: 'site' }, 'arn:aws:s3:::b/builds/site/*', FILES],
    // packaging NONE is the default
    [{ packaging: undefined, name: 'site' }, 'arn:aws:s3:::b/builds/site/*', FILES],
    // name `/`: the files are at the root (of the path)
    [{ packaging: 'NONE', name: '/', path: undefined }, 'arn:aws:s3:::b/*', FILES],
    [{ packaging: 'NONE', name: '/' }, 'arn:aws:s3:::b/builds/*', FILES],
    [
      { name: '/' },
      'arn:aws:s3:::b/builds/*',
      'the name of the ZIP object of an artifact named `/`, which AWS does not document',
    ],
    [{ name: undefined }, 'arn:aws:s3:::b/builds/*', 'a name the project does not give'],
    [{ overrideArtifactName: true }, 'arn:aws:s3:::b/builds/*', BUILDSPEC],
    [{ overrideArtifactName: false }, 'arn:aws:s3:::b/builds/app.zip', undefined],
    [
      { namespaceType: 'BUILD_ID', overrideArtifactName: true, packaging: 'NONE' },
      'arn:aws:s3:::b/builds/*/*',
      `${BUILDSPEC} and ${FILES}`,
      22,
    ],
    [
      { namespaceType: P },
      'arn:aws:s3:::b/builds/*',
      'the build id, or not (the input does not settle `namespaceType`)',
    ],
    [
      { packaging: P },
      'arn:aws:s3:::b/builds/*',
      'one ZIP object or the path of each file of the build output (the input does not settle `packaging`)',
    ],
    [
      { overrideArtifactName: P },
      'arn:aws:s3:::b/builds/*',
      'a name the buildspec may give at build time (the input does not settle `overrideArtifactName`)',
    ],
    [
      { namespaceType: 'FOLDER' },
      'arn:aws:s3:::b/builds/*',
      'what the namespace type `FOLDER`, which permchain does not know, puts there',
    ],
    // a path or name the input does not settle stays in the key, where values are tried for it
    [{ path: P }, `arn:aws:s3:::b/${P}/app.zip`, undefined],
  ];
  it.each(cases)('%j: %s', (changes, objectArn, holds, buildIdAt) => {
    const f = secondaryFetches(project([], [{ ...BASE, ...changes }]), 'aws');
    expect(f.secondaryArtifactsUnknown).toBeUndefined();
    if (buildIdAt !== undefined) expect(objectArn[buildIdAt]).toBe('*');
    expect(f.secondaryArtifacts).toEqual([
      {
        objectArn,
        encrypted: true,
        ...(holds !== undefined || buildIdAt !== undefined
          ? {
              unknownEnd: {
                kind: 'secondaryArtifact',
                artifacts: 'secondary artifact `rel` of project `web`',
                ...(holds !== undefined ? { holds } : {}),
                ...(buildIdAt !== undefined ? { buildIdAt } : {}),
              },
            }
          : {}),
      },
    ]);
  });

  it('is one link for artifacts of one key, naming each', () => {
    const f = secondaryFetches(
      project(
        [],
        [
          { ...BASE, namespaceType: 'BUILD_ID', encryptionDisabled: true },
          { ...BASE, artifactIdentifier: 'docs', overrideArtifactName: true },
          { ...BASE, artifactIdentifier: 'api', name: undefined, encryptionDisabled: true },
          { ...BASE, artifactIdentifier: 'site', namespaceType: 'BUILD_ID' },
        ],
      ),
      'aws',
    );
    expect(f.secondaryArtifacts).toEqual([
      {
        objectArn: 'arn:aws:s3:::b/builds/*',
        encrypted: true,
        unknownEnd: {
          kind: 'secondaryArtifact',
          artifacts:
            'secondary artifact `docs` of project `web` and secondary artifact `api` of project `web`',
          holds: `${BUILDSPEC} and a name the project does not give`,
        },
      },
      {
        objectArn: 'arn:aws:s3:::b/builds/*/app.zip',
        encrypted: true,
        unknownEnd: {
          kind: 'secondaryArtifact',
          artifacts:
            'secondary artifact `rel` of project `web` and secondary artifact `site` of project `web`',
          buildIdAt: 22,
        },
      },
    ]);
  });
});

/**
 * With overrideArtifactName "a name specified in the buildspec file overrides the artifact name"
 * (https://docs.aws.amazon.com/codebuild/latest/APIReference/API_ProjectArtifacts.html), and the
 * buildspec names each secondary artifact's definition by its identifier in
 * `artifacts.secondary-artifacts`
 * (https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html#build-spec.artifacts.secondary-artifacts).
 * The name was always unknown; the project's inline buildspec now says it.
 */
describe("the name an S3 secondary artifact's buildspec definition gives it (overrideArtifactName)", () => {
  const BASE: Partial<CodeBuildArtifactsModel> = {
    type: 'S3',
    location: 'b',
    path: 'builds',
    name: 'app.zip',
    namespaceType: 'NONE',
    packaging: 'ZIP',
    overrideArtifactName: true,
    artifactIdentifier: 'rel',
  };
  const PLACE = '111111111111/eu-west-1/codebuild.json#/projects/0/source/buildspec';
  /** project `web` with the artifact (BASE with `changes`) and the inline buildspec `text` */
  const fetches = (text: string | undefined, changes: Partial<CodeBuildArtifactsModel> = {}) => {
    const p = project([], [{ ...BASE, ...changes }]);
    return secondaryFetches(
      text === undefined ? p : { ...p, source: { ...p.source!, buildspec: text } },
      'aws',
    ).secondaryArtifacts;
  };
  const spec = (definitions: string): string =>
    `version: 0.2\nphases:\n  build:\n    commands: [make]\nartifacts:\n  secondary-artifacts:\n${definitions}`;
  const exact = (objectArn: string) => [{ objectArn, encrypted: true }];
  const open = (objectArn: string, holds: string, buildIdAt?: number) => [
    {
      objectArn,
      encrypted: true,
      unknownEnd: {
        kind: 'secondaryArtifact',
        artifacts: 'secondary artifact `rel` of project `web`',
        holds,
        ...(buildIdAt !== undefined ? { buildIdAt } : {}),
      },
    },
  ];
  const BUILDSPEC = 'a name the buildspec may give at build time (`overrideArtifactName`)';
  const COMPUTED = `the name the buildspec (${PLACE}) gives it, which the shell computes at build time or which is not text`;

  it('is the plain name the definition gives', () => {
    expect(fetches(spec('    rel:\n      name: release-1.zip\n      files: [dist/**/*]'))).toEqual(
      exact('arn:aws:s3:::b/builds/release-1.zip'),
    );
    // under the build id, and as a folder's name
    expect(
      fetches(spec('    rel:\n      name: site/v1'), {
        namespaceType: 'BUILD_ID',
        packaging: 'NONE',
      }),
    ).toEqual(
      open(
        'arn:aws:s3:::b/builds/*/site/v1/*',
        'the path of each file of the build output (`packaging` NONE: a folder)',
        22,
      ),
    );
  });

  it("is the project's name when the definition gives none", () => {
    expect(fetches(spec('    rel:\n      files: [x]'))).toEqual(
      exact('arn:aws:s3:::b/builds/app.zip'),
    );
  });

  it('is not known when the shell computes it, and says so', () => {
    for (const name of [
      'app-$(date +%Y-%m-%d).zip',
      '$CODEBUILD_BUILD_NUMBER.zip',
      '"a b"',
      '*.zip',
      '~/x',
      '5',
    ])
      expect(fetches(spec(`    rel:\n      name: ${name}`)), name).toEqual(
        open('arn:aws:s3:::b/builds/*', COMPUTED),
      );
  });

  it('is not known when the buildspec does not define the artifact, or is not read', () => {
    const other = spec('    docs:\n      name: docs.zip');
    for (const text of [other, 'buildspec.yml', 'version: 0.2\nphases: {}', undefined])
      expect(fetches(text), String(text)).toEqual(open('arn:aws:s3:::b/builds/*', BUILDSPEC));
    // a map that is not one, a version CodeBuild does not read
    for (const text of [
      'version: 0.2\nartifacts:\n  secondary-artifacts: [rel]',
      spec('    rel:\n      name: a.zip').replace('version: 0.2', 'version: 0.9'),
    ])
      expect(fetches(text), text).toEqual(open('arn:aws:s3:::b/builds/*', BUILDSPEC));
  });

  it('is the project name without overrideArtifactName, whatever the buildspec says', () => {
    expect(
      fetches(spec('    rel:\n      name: other.zip'), { overrideArtifactName: false }),
    ).toEqual(exact('arn:aws:s3:::b/builds/app.zip'));
  });
});

describe("a snapshot project's inline buildspec names its secondary artifact", () => {
  const BUILDSPEC = [
    'version: 0.2',
    'phases:',
    '  build:',
    '    commands: [make]',
    'artifacts:',
    '  files: [dist/**/*]',
    '  secondary-artifacts:',
    '    rel:',
    '      name: release-1.zip',
    '      files: [release/**/*]',
    '    BuildOutput:',
    '      files: [dist/**/*]',
  ].join('\n');

  it('checks the upload on the name it gives (overrideArtifactName): was `builds/*`, Unknown', () => {
    const { pipeline, problems } = withArtifactModel(
      { overrideArtifactName: true },
      'arn:aws:s3:::release-bucket/builds/release-1.zip',
      BUILDSPEC,
    );
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
    const link = put(pipeline);
    expect(link.resource).toBe('arn:aws:s3:::release-bucket/builds/release-1.zip');
    expect(link.decision).toBe('Allowed');
    const other = put(
      withArtifact(
        { overrideArtifactName: true },
        'arn:aws:s3:::release-bucket/builds/app.zip',
        BUILDSPEC,
      ),
    );
    expect(other.decision).toBe('ImplicitlyDenied');
  });
});
