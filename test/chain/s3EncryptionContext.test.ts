/**
 * The encryption context S3 sends on the KMS calls it makes for a caller (SSE-KMS artifact reads,
 * kms:Decrypt; writes, kms:GenerateDataKey): `aws:s3:arn` is the object's ARN, or the bucket's
 * when the object uses an S3 Bucket Key, which the bucket's default encryption decides
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#encryption-context,
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html). A key policy scoped to
 * it the usual hardened way made every such link Unknown, where AWS decides it (session 24).
 * Each case is an edit of a copy of the pass-cross-account scenario.
 */
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import type { Model } from '../../src/model/types.js';
import type { ReportLink } from '../../src/report/types.js';
import { templateOverSnapshot } from '../load/templates/templateModel.js';
import { docsPutLink, editJson, inScenarioCopy, type Json } from './scenarioCopy.js';

const SCENARIO = 'fixtures/scenarios/pass-cross-account';
const BUCKET_NAME = 'orders-artifacts-111111111111-us-east-1';
const BUCKET = `arn:aws:s3:::${BUCKET_NAME}`;
const BUCKET_FILE = `111111111111/s3/${BUCKET_NAME}.json`;
const KEY = 'arn:aws:kms:us-east-1:111111111111:key/7c1d9e4a-3b2f-4a6d-8e5c-1f0a9b8c7d6e';
const DEPLOY_ROLE = 'arn:aws:iam::222222222222:role/orders-api-deploy-action';
const BUILD_ROLE = 'arn:aws:iam::111111111111:role/service-role/orders-api-build-role';
/** the object permchain writes for an artifact of the pipeline `orders-api` (artifactObjectKey) */
const object = (artifact: string): string => `${BUCKET}/orders-api/${artifact.slice(0, 10)}/*`;

/** Let `edit` change the statements of the artifact key's policy. */
function editKeyPolicy(dir: string, edit: (statements: Json[]) => void): void {
  const folder = join(dir, '111111111111/us-east-1/kms');
  const file = readdirSync(folder).find((f) => f !== 'aliases.json')!;
  editJson(join(folder, file), (key) => {
    const policy = JSON.parse(key['Policy'] as string) as { Statement: Json[] };
    edit(policy.Statement);
    key['Policy'] = JSON.stringify(policy);
  });
}

/** The prod account's statement of the key policy, allowed only with `condition`. */
function prodAccountOn(dir: string, condition: Json): void {
  editKeyPolicy(dir, (statements) => {
    for (const st of statements) if (st['Sid'] === 'AllowProdAccount') st['Condition'] = condition;
  });
}

/** Set the bucket's `BucketKeyEnabled` (undefined: leave it out of its rule). */
function bucketKey(dir: string, enabled: boolean | undefined): void {
  editJson(join(dir, BUCKET_FILE), (bucket) => {
    const rule = (bucket['ServerSideEncryptionConfiguration'] as { Rules: Json[] }).Rules[0]!;
    if (enabled === undefined) delete rule['BucketKeyEnabled'];
    else rule['BucketKeyEnabled'] = enabled;
  });
}

/** Leave the bucket's encryption configuration out of its file (get-bucket-encryption not read). */
function encryptionNotRead(dir: string): void {
  editJson(join(dir, BUCKET_FILE), (bucket) => {
    delete bucket['ServerSideEncryptionConfiguration'];
  });
}

function links(model: Model): readonly ReportLink[] {
  return analyzeModel(model).pipelines[0]!.links;
}

function scenario(edit: (dir: string) => void): readonly ReportLink[] {
  return inScenarioCopy(SCENARIO, (dir) => {
    edit(dir);
    return links(loadSnapshot(dir));
  });
}

/** The deploy action's one kms:Decrypt of its input artifacts, by the prod account's role. */
function deployDecrypt(all: readonly ReportLink[]): ReportLink {
  const found = all.filter((l) => l.principal === DEPLOY_ROLE && l.permission === 'kms:Decrypt');
  expect(found).toHaveLength(1);
  return found[0]!;
}

/** The deploy action's one s3:GetObject of its input artifact, by the prod account's role. */
function deployGet(all: readonly ReportLink[]): ReportLink {
  const found = all.filter((l) => l.principal === DEPLOY_ROLE && l.permission === 's3:GetObject');
  expect(found).toHaveLength(1);
  return found[0]!;
}

/**
 * The deploy action's kms:Decrypt when `setUp` edits the copy and the prod account's statement of
 * the key policy allows only with `condition`.
 */
function decryptUnder(condition: Json, setUp: (dir: string) => void = () => {}): ReportLink {
  return deployDecrypt(
    scenario((dir) => {
      setUp(dir);
      prodAccountOn(dir, condition);
    }),
  );
}

/** Give the deploy action two input artifacts, BuildOutput and SourceOutput. */
function twoInputs(dir: string): void {
  const folder = join(dir, '111111111111/us-east-1/codepipeline');
  editJson(join(folder, readdirSync(folder)[0]!), (doc) => {
    const stages = (doc['pipeline'] as { stages: { actions: Json[] }[] }).stages;
    stages[2]!.actions[0]!['inputArtifacts'] = [{ name: 'BuildOutput' }, { name: 'SourceOutput' }];
  });
}

const ON_OBJECTS = { StringLike: { 'kms:EncryptionContext:aws:s3:arn': `${BUCKET}/*` } };

describe('the S3 encryption context of a KMS call S3 makes (aws:s3:arn)', () => {
  it('is the object ARN when the bucket uses no S3 Bucket Key: a key policy on `bucket/*` allows', () => {
    const l = decryptUnder(ON_OBJECTS);
    expect(l.decision).toBe('Allowed');
  });

  it('takes BucketKeyEnabled left out of the rule as false (AWS default)', () => {
    const l = decryptUnder(ON_OBJECTS, (dir) => bucketKey(dir, undefined));
    expect(l.decision).toBe('Allowed');
  });

  it('is the bucket ARN with an S3 Bucket Key: a key policy on `bucket/*` no longer applies', () => {
    const l = decryptUnder(ON_OBJECTS, (dir) => bucketKey(dir, true));
    expect(l.decision).toBe('ImplicitlyDenied');
    expect(l.why).toContain('kms:EncryptionContext:aws:s3:arn');
    expect(l.why).toContain('AllowProdAccount');
    expect(l.why).toContain(
      `(\`BucketKeyEnabled\` at \`${BUCKET_FILE}#/ServerSideEncryptionConfiguration/Rules/0/BucketKeyEnabled\`)`,
    );
  });

  it('with an S3 Bucket Key, a key policy on the bucket ARN allows', () => {
    const l = decryptUnder(
      { StringEquals: { 'kms:EncryptionContext:aws:s3:arn': BUCKET } },
      (dir) => bucketKey(dir, true),
    );
    expect(l.decision).toBe('Allowed');
  });

  it("is Unknown, naming the bucket's encryption configuration, when the input does not say whether it uses a bucket key and that decides", () => {
    const l = decryptUnder(ON_OBJECTS, encryptionNotRead);
    expect(l.decision).toBe('Unknown');
    expect(l.why).toContain('`kms:EncryptionContext:aws:s3:arn`');
    expect(l.why).toContain('S3 Bucket Key');
    expect(l.why).toContain('get-bucket-encryption');
    // the bucket's setting would settle it: not "AWS sets it on each call"
    expect(l.why).not.toContain('AWS sets it on each call');
    expect(l.missing).toEqual([`${BUCKET_FILE}#/ServerSideEncryptionConfiguration`]);
  });

  it('is Unknown naming the bucket file when the input has no file for the bucket', () => {
    const l = decryptUnder(ON_OBJECTS, (dir) => rmSync(join(dir, BUCKET_FILE)));
    expect(l.decision).toBe('Unknown');
    expect(l.missing).toEqual([BUCKET_FILE]);
  });

  it('is decided when the bucket key is not known and the policy allows both ARNs', () => {
    for (const condition of [
      { StringLike: { 'kms:EncryptionContext:aws:s3:arn': [BUCKET, `${BUCKET}/*`] } },
      { 'ForAnyValue:StringLike': { 'kms:EncryptionContext:aws:s3:arn': `${BUCKET}*` } },
    ]) {
      const l = decryptUnder(condition, encryptionNotRead);
      expect(l.decision, JSON.stringify(condition)).toBe('Allowed');
    }
  });

  it('is decided denied when the bucket key is not known and the policy allows neither ARN', () => {
    const l = decryptUnder(
      {
        StringLike: { 'kms:EncryptionContext:aws:s3:arn': 'arn:aws:s3:::other-bucket/*' },
      },
      encryptionNotRead,
    );
    expect(l.decision).toBe('ImplicitlyDenied');
  });

  it('is each object of an action with several input artifacts: allowed only if every one is', () => {
    const only = (artifact: string) => ({
      StringLike: { 'kms:EncryptionContext:aws:s3:arn': object(artifact) },
    });
    const both = {
      StringLike: {
        'kms:EncryptionContext:aws:s3:arn': [object('BuildOutput'), object('SourceOutput')],
      },
    };
    const one = decryptUnder(only('BuildOutput'), twoInputs);
    // the call for SourceOutput's object is not allowed: the action fails on it
    expect(one.decision).toBe('ImplicitlyDenied');
    const all = decryptUnder(both, twoInputs);
    expect(all.decision).toBe('Allowed');
  });

  it("tries the other keys a policy tests with each object's call: a Deny of one object from some source IPs makes the link Unknown (was Allowed)", () => {
    const withDeny = (condition: Json) =>
      deployDecrypt(
        scenario((dir) => {
          twoInputs(dir);
          editKeyPolicy(dir, (statements) => {
            statements.push({
              Sid: 'NoSourceFromNet',
              Effect: 'Deny',
              Principal: { AWS: '*' },
              Action: 'kms:Decrypt',
              Resource: '*',
              Condition: condition,
            });
          });
        }),
      );
    // the call for SourceOutput's object is denied from 10.0.0.0/8, which the input does not
    // exclude: the first object's call alone (BuildOutput's) was evaluated with the trials
    const l = withDeny({
      StringLike: { 'kms:EncryptionContext:aws:s3:arn': object('SourceOutput') },
      IpAddress: { 'aws:SourceIp': '10.0.0.0/8' },
    });
    expect(l.decision).toBe('Unknown');
    expect(l.why).toContain('aws:SourceIp');
    // denied whatever the IP: denied, by the call for SourceOutput's object
    const denied = withDeny({
      StringLike: { 'kms:EncryptionContext:aws:s3:arn': object('SourceOutput') },
    });
    expect(denied.decision).toBe('ExplicitlyDenied');
    expect(denied.why).toContain('NoSourceFromNet');
  });

  it("decides a CodeBuild output write (kms:GenerateDataKey) with the project's key the same way", () => {
    // a key policy that refuses data keys for anything but the bucket's objects
    const denyOthers = (dir: string): void =>
      editKeyPolicy(dir, (statements) => {
        statements.push({
          Sid: 'OnlyArtifactObjects',
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: 'kms:GenerateDataKey*',
          Resource: '*',
          Condition: { StringNotLike: { 'kms:EncryptionContext:aws:s3:arn': `${BUCKET}/*` } },
        });
      });
    const write = (all: readonly ReportLink[]): ReportLink => {
      const found = all.filter(
        (l) =>
          l.principal === BUILD_ROLE &&
          l.requirement === 'codebuild-project.output-kms-generate-data-key',
      );
      expect(found).toHaveLength(1);
      expect(found[0]!.resource).toBe(KEY);
      return found[0]!;
    };
    expect(write(scenario(denyOthers)).decision).toBe('Allowed');
    const withBucketKey = write(
      scenario((dir) => {
        bucketKey(dir, true);
        denyOthers(dir);
      }),
    );
    expect(withBucketKey.decision).toBe('ExplicitlyDenied');
    expect(withBucketKey.why).toContain('OnlyArtifactObjects');
    expect(
      write(
        scenario((dir) => {
          encryptionNotRead(dir);
          denyOthers(dir);
        }),
      ).decision,
    ).toBe('Unknown');
  });

  it("is never the `*` the object is written with: a StringEquals on a literal `…/*` does not match the object's ARN (was Allowed)", () => {
    // the object's name ends in a name CodePipeline picks (`orders-api/BuildOutpu/1TspnN3`), never `*`
    for (const literal of [object('BuildOutput'), `${BUCKET}/*`]) {
      const l = decryptUnder({ StringEquals: { 'kms:EncryptionContext:aws:s3:arn': literal } });
      expect(l.decision, literal).toBe('ImplicitlyDenied');
    }
    // the same pattern under StringLike matches every name
    expect(
      decryptUnder({ StringLike: { 'kms:EncryptionContext:aws:s3:arn': object('BuildOutput') } })
        .decision,
    ).toBe('Allowed');
  });

  it('is Unknown when a policy names one object of the artifact: the name CodePipeline picks is not known', () => {
    const named = object('BuildOutput').replace(/\*$/, '1TspnN3.zip');
    const l = decryptUnder({ StringEquals: { 'kms:EncryptionContext:aws:s3:arn': named } });
    expect(l.decision).toBe('Unknown');
    expect(l.why).toContain(
      `names \`${named}\` in a condition on \`kms:EncryptionContext:aws:s3:arn\``,
    );
    expect(l.why).toContain("the name CodePipeline gives the artifact's object");
    // a pattern over some names only: the same
    const some = decryptUnder({
      StringLike: { 'kms:EncryptionContext:aws:s3:arn': `${object('BuildOutput')}.zip` },
    });
    expect(some.decision).toBe('Unknown');
  });

  it('another encryption context key is absent: S3 sends aws:s3:arn alone for what CodeBuild wrote (was Unknown)', () => {
    // kms:EncryptionContextKeys is aws:s3:arn alone on these calls (encryptionContextKeys.test.ts);
    // a pair of the writer's own is possible only for code of its own (the Lambda cases below)
    const l = decryptUnder({ StringEquals: { 'kms:EncryptionContext:team': 'orders' } });
    expect(l.decision).toBe('ImplicitlyDenied');
    expect(l.why).toContain('tests `StringEquals` on `kms:EncryptionContext:team`');
    expect(l.why).not.toContain('AWS sets it on each call');
  });
});

describe("the S3 encryption context with a template's bucket", () => {
  const BUCKET_TEMPLATE = (
    bucketKeyEnabled: string,
  ): string => `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Artifacts:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: ${BUCKET_NAME}
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault:
              SSEAlgorithm: aws:kms
              KMSMasterKeyID: ${KEY}
            BucketKeyEnabled: ${bucketKeyEnabled}
`;

  /** The scenario's bucket written by a template with `bucketKeyEnabled` as its BucketKeyEnabled. */
  function withTemplateBucket(
    bucketKeyEnabled: string,
    text: string = BUCKET_TEMPLATE(bucketKeyEnabled),
  ): ReportLink {
    return inScenarioCopy(SCENARIO, (dir) => {
      prodAccountOn(dir, ON_OBJECTS);
      const file = join(dir, 'bucket.yaml');
      writeFileSync(file, text);
      return deployDecrypt(links(templateOverSnapshot(dir, file)));
    });
  }

  it("uses the template's BucketKeyEnabled: true makes the context the bucket ARN", () => {
    expect(withTemplateBucket('true').decision).toBe('ImplicitlyDenied');
    expect(withTemplateBucket('false').decision).toBe('Allowed');
  });

  // the properties chosen by an `Fn::If` are read in its branch (templateStack.ts
  // propertiesPointer): the place named is there, not `Properties/BucketEncryption`, which the
  // template does not have
  const IF_PROPERTIES = (encryption: string): string => `AWSTemplateFormatVersion: "2010-09-09"
Conditions:
  Always: !Equals [a, a]
Resources:
  Artifacts:
    Type: AWS::S3::Bucket
    Properties: !If
      - Always
      - BucketName: ${BUCKET_NAME}
        BucketEncryption: ${encryption}
      - !Ref AWS::NoValue
`;

  it('names where the template writes BucketKeyEnabled: true, in the Fn::If branch of its properties', () => {
    const l = withTemplateBucket(
      'true',
      IF_PROPERTIES(`
          ServerSideEncryptionConfiguration:
            - ServerSideEncryptionByDefault:
                SSEAlgorithm: aws:kms
                KMSMasterKeyID: ${KEY}
              BucketKeyEnabled: true`),
    );
    expect(l.decision).toBe('ImplicitlyDenied');
    expect(l.why).toMatch(
      /\(`BucketKeyEnabled` at `[^`]*bucket\.yaml#\/Resources\/Artifacts\/Properties\/Fn::If\/1\/BucketEncryption\/ServerSideEncryptionConfiguration\/0\/BucketKeyEnabled`\)/,
    );
  });

  it('names the Fn::If branch of its properties when the template does not settle its encryption', () => {
    const l = withTemplateBucket('', IF_PROPERTIES('!ImportValue shared-encryption'));
    expect(l.decision).toBe('Unknown');
    expect(l.missing).toEqual([
      expect.stringMatching(
        /bucket\.yaml#\/Resources\/Artifacts\/Properties\/Fn::If\/1\/BucketEncryption$/,
      ),
    ]);
  });

  it('is Unknown naming the template line when the template does not settle it', () => {
    const l = withTemplateBucket('!ImportValue shared-bucket-key');
    expect(l.decision).toBe('Unknown');
    expect(l.missing).toEqual([
      expect.stringMatching(/bucket\.yaml#\/Resources\/Artifacts\/.*BucketKeyEnabled/),
    ]);
  });
});

describe('the S3 encryption context of a cross-region copy', () => {
  // the all-providers scenario's `platform-legacy` pipeline copies `BundleSource` from the
  // us-east-1 store into the us-west-2 one (see crossRegionCopy.test.ts); both buckets use an S3
  // Bucket Key
  const ALL = 'fixtures/scenarios/all-providers';
  const T = '111111111111';
  const EAST = `platform-artifacts-${T}-us-east-1`;
  const WEST = `platform-artifacts-${T}-us-west-2`;
  const EAST_KEY_FILE = `${T}/us-east-1/kms/9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d.json`;
  const WEST_KEY_FILE = `${T}/us-west-2/kms/8f6e4d2c-0a1b-4c3d-9e5f-7a8b9c0d1e2f.json`;

  /** A statement of `keyFile`'s policy that denies `action` outside `pattern`. */
  function denyOutside(dir: string, keyFile: string, action: string, pattern: string): void {
    editJson(join(dir, keyFile), (key) => {
      const policy = JSON.parse(key['Policy'] as string) as { Statement: Json[] };
      policy.Statement.push({
        Sid: 'OnlyArtifacts',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: action,
        Resource: '*',
        Condition: { StringNotLike: { 'kms:EncryptionContext:aws:s3:arn': pattern } },
      });
      key['Policy'] = JSON.stringify(policy);
    });
  }

  function copyKmsLinks(edit: (dir: string) => void): string[] {
    return inScenarioCopy(ALL, (dir) => {
      edit(dir);
      const p = analyzeModel(loadSnapshot(dir), { pipelines: ['platform-legacy'] }).pipelines[0]!;
      return p.links
        .filter(
          (l) =>
            l.action === 'RecreateCanary' &&
            l.requirement.startsWith('artifacts.replicate') &&
            l.permission.startsWith('kms:'),
        )
        .map((l) => `${l.permission} ${l.decision}`);
    });
  }

  it('reads with the source bucket ARN and writes with the target bucket ARN', () => {
    expect(
      copyKmsLinks((dir) => {
        denyOutside(dir, EAST_KEY_FILE, 'kms:Decrypt', `arn:aws:s3:::${EAST}`);
        denyOutside(dir, WEST_KEY_FILE, 'kms:GenerateDataKey*', `arn:aws:s3:::${WEST}`);
      }),
    ).toEqual(['kms:Decrypt Allowed', 'kms:GenerateDataKey Allowed']);
    // a policy that expects the object ARNs refuses both
    expect(
      copyKmsLinks((dir) => {
        denyOutside(dir, EAST_KEY_FILE, 'kms:Decrypt', `arn:aws:s3:::${EAST}/*`);
        denyOutside(dir, WEST_KEY_FILE, 'kms:GenerateDataKey*', `arn:aws:s3:::${WEST}/*`);
      }),
    ).toEqual(['kms:Decrypt ExplicitlyDenied', 'kms:GenerateDataKey ExplicitlyDenied']);
  });
});

describe("the S3 encryption context of a Lambda function's own upload", () => {
  // the function uploads its output artifacts with its own code, which may ask for an S3 Bucket
  // Key or against one whatever the bucket's default
  const LAMBDA = 'fixtures/scenarios/pass-with-lambda-invoke';

  function functionWrite(patterns: string[]): ReportLink {
    return inScenarioCopy(LAMBDA, (dir) => {
      editJson(join(dir, '111111111111/us-east-1/codepipeline/orders-api.json'), (doc) => {
        const stages = (doc['pipeline'] as { stages: { name: string; actions: Json[] }[] }).stages;
        stages.find((s) => s.name === 'Verify')!.actions[0]!['outputArtifacts'] = [
          { name: 'Report' },
        ];
      });
      editKeyPolicy(dir, (statements) => {
        statements.push({
          Sid: 'OnlyArtifacts',
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: 'kms:GenerateDataKey*',
          Resource: '*',
          Condition: { StringNotLike: { 'kms:EncryptionContext:aws:s3:arn': patterns } },
        });
      });
      const found = links(loadSnapshot(dir)).filter(
        (l) =>
          l.action === 'SmokeTest' && l.requirement === 'artifacts.output.kms-generate-data-key',
      );
      expect(found).toHaveLength(1);
      return found[0]!;
    });
  }

  /**
   * The deploy action's kms:Decrypt of its inputs when it also reads `Report`, which the function
   * of Verify/SmokeTest uploads (its stage moved before DeployProd), the prod account's statement
   * allowing only `condition`.
   */
  function readOfFunctionOutput(condition: Json): ReportLink {
    return inScenarioCopy(LAMBDA, (dir) => {
      editJson(join(dir, '111111111111/us-east-1/codepipeline/orders-api.json'), (doc) => {
        const pipeline = doc['pipeline'] as { stages: { name: string; actions: Json[] }[] };
        const verify = pipeline.stages.find((s) => s.name === 'Verify')!;
        verify.actions[0]!['outputArtifacts'] = [{ name: 'Report' }];
        const deploy = pipeline.stages.find((s) => s.name === 'DeployProd')!;
        deploy.actions[0]!['inputArtifacts'] = [{ name: 'BuildOutput' }, { name: 'Report' }];
        pipeline.stages = pipeline.stages.filter((s) => s !== verify);
        pipeline.stages.splice(pipeline.stages.indexOf(deploy), 0, verify);
      });
      prodAccountOn(dir, condition);
      return deployDecrypt(links(loadSnapshot(dir)));
    });
  }

  it("makes the read of the artifact it uploaded depend on it too: the read decrypts with the context it was written with (was Allowed by the bucket's setting)", () => {
    const l = readOfFunctionOutput(ON_OBJECTS);
    expect(l.decision).toBe('Unknown');
    expect(l.why).toContain(
      '`Report` was uploaded by the Lambda function of action `Verify/SmokeTest`',
    );
    // allowed with either ARN: decided
    expect(
      readOfFunctionOutput({
        StringLike: { 'kms:EncryptionContext:aws:s3:arn': [BUCKET, `${BUCKET}/*`] },
      }).decision,
    ).toBe('Allowed');
  });

  it("may carry encryption context keys of the function's own: a key policy allowing aws:s3:arn alone is Unknown for what it uploaded (was Allowed)", () => {
    const only = {
      'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['aws:s3:arn'] },
    };
    const l = readOfFunctionOutput(only);
    expect(l.decision).toBe('Unknown');
    expect(l.why).toContain('`kms:EncryptionContextKeys`');
    expect(l.why).toContain('any its writer added with its own code');
    // what CodeBuild uploaded carries aws:s3:arn alone: decided
    expect(decryptUnder(only).decision).toBe('Allowed');
    // every upload's context holds aws:s3:arn: a policy requiring it is decided
    expect(
      readOfFunctionOutput({
        'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': 'aws:s3:arn' },
      }).decision,
    ).toBe('Allowed');
  });

  it('may carry an encryption context pair of its own: a key policy requiring one stays Unknown for what it uploaded', () => {
    const l = readOfFunctionOutput({
      StringEquals: { 'kms:EncryptionContext:department': 'build' },
    });
    expect(l.decision).toBe('Unknown');
    expect(l.why).toContain('`kms:EncryptionContext:department`');
  });

  it('is tried with the object and the bucket ARN, whatever the bucket says', () => {
    const l = functionWrite([`${BUCKET}/*`]);
    expect(l.decision).toBe('Unknown');
    expect(l.why).toContain('Lambda function');
    expect(functionWrite([BUCKET, `${BUCKET}/*`]).decision).toBe('Allowed');
  });
});

describe('the S3 encryption context of the S3 source and S3 deploy actions', () => {
  // all-providers: platform-containers' Source/Config reads `api/deploy-config.zip` of
  // platform-deploy-config-111111111111 (SSE-KMS, S3 Bucket Key on); platform-legacy's
  // Deploy/PublishDocs extracts its input under `docs/` of platform-docs-111111111111 (SSE-KMS
  // with KMSEncryptionKeyARN, the bucket's key; S3 Bucket Key on)
  const ALL = 'fixtures/scenarios/all-providers';
  const T = '111111111111';
  const CONFIG = `arn:aws:s3:::platform-deploy-config-${T}`;
  const DOCS = `arn:aws:s3:::platform-docs-${T}`;
  const CONFIG_KEY_FILE = `${T}/us-east-1/kms/2b4d6f8a-0c1e-4a3b-8d5f-7a9b1c3d5e7f.json`;
  const DOCS_KEY_FILE = `${T}/us-east-1/kms/6e5d4c3b-2a19-4f8e-9d7c-6b5a4f3e2d1c.json`;
  const LEGACY = `${T}/us-east-1/codepipeline/platform-legacy.json`;

  /** A statement of `keyFile`'s policy denying `action` unless the context meets `condition`. */
  function denyUnless(dir: string, keyFile: string, action: string, condition: Json): void {
    editJson(join(dir, keyFile), (key) => {
      const policy = JSON.parse(key['Policy'] as string) as { Statement: Json[] };
      policy.Statement.push({
        Sid: 'OnlyTheseObjects',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: action,
        Resource: '*',
        Condition: condition,
      });
      key['Policy'] = JSON.stringify(policy);
    });
  }

  /** The one link of `requirement` in `pipeline`, after `edit`. */
  function linkOf(pipeline: string, requirement: string, edit: (dir: string) => void): ReportLink {
    return inScenarioCopy(ALL, (dir) => {
      edit(dir);
      const p = analyzeModel(loadSnapshot(dir), { pipelines: [pipeline] }).pipelines[0]!;
      const found = p.links.filter((l) => l.requirement === requirement);
      expect(found).toHaveLength(1);
      return found[0]!;
    });
  }

  const notLike = (patterns: string | string[]): Json => ({
    StringNotLike: { 'kms:EncryptionContext:aws:s3:arn': patterns },
  });

  function sourceRead(condition: Json): ReportLink {
    return linkOf('platform-containers', 's3-source.kms-decrypt', (dir) =>
      denyUnless(dir, CONFIG_KEY_FILE, 'kms:Decrypt', condition),
    );
  }

  it('reads the S3 source object with its own ARN or the bucket ARN: its uploader chose (was Unknown for any value)', () => {
    const object = `${CONFIG}/api/deploy-config.zip`;
    // allowed with either ARN: decided
    expect(sourceRead(notLike([CONFIG, object])).decision).toBe('Allowed');
    expect(sourceRead(notLike([CONFIG, `${CONFIG}/api/*`])).decision).toBe('Allowed');
    // denied with either: decided
    const denied = sourceRead(notLike('arn:aws:s3:::other-bucket/*'));
    expect(denied.decision).toBe('ExplicitlyDenied');
    expect(denied.why).toContain('OnlyTheseObjects');
    // the object's ARN only: the object may use an S3 Bucket Key, whatever the bucket says now
    const one = sourceRead(notLike(object));
    expect(one.decision).toBe('Unknown');
    expect(one.why).toContain('the source object was uploaded outside the pipeline');
  });

  /** Deploy/PublishDocs's kms:GenerateDataKey, after `setUp` and a Deny outside `condition`. */
  function docsWrite(condition: Json, setUp: (dir: string) => void = () => {}): ReportLink {
    return linkOf('platform-legacy', 's3-deploy.kms-generate-data-key', (dir) => {
      setUp(dir);
      denyUnless(dir, DOCS_KEY_FILE, 'kms:GenerateDataKey*', condition);
    });
  }

  /** Set the docs bucket's BucketKeyEnabled. */
  function docsBucketKey(dir: string, enabled: boolean): void {
    editJson(join(dir, `${T}/s3/platform-docs-${T}.json`), (bucket) => {
      const rule = (bucket['ServerSideEncryptionConfiguration'] as { Rules: Json[] }).Rules[0]!;
      rule['BucketKeyEnabled'] = enabled;
    });
  }

  /** Set the docs deploy's Extract and ObjectKey. */
  function docsTarget(dir: string, extract: string, objectKey: string): void {
    editJson(join(dir, LEGACY), (doc) => {
      const stages = (doc['pipeline'] as { stages: { actions: Json[] }[] }).stages;
      const action = stages.flatMap((s) => s.actions).find((a) => a['name'] === 'PublishDocs')!;
      const cfg = action['configuration'] as Record<string, string>;
      cfg['Extract'] = extract;
      cfg['ObjectKey'] = objectKey;
    });
  }

  it("writes with the target bucket's ARN when it uses an S3 Bucket Key (was Unknown)", () => {
    expect(docsWrite(notLike(DOCS)).decision).toBe('Allowed');
    const denied = docsWrite(notLike(`${DOCS}/*`));
    expect(denied.decision).toBe('ExplicitlyDenied');
    expect(denied.why).toContain('OnlyTheseObjects');
  });

  it('writes each extracted file with its own ARN without an S3 Bucket Key: every path must pass', () => {
    const off = (dir: string): void => docsBucketKey(dir, false);
    expect(docsWrite(notLike(`${DOCS}/docs/*`), off).decision).toBe('Allowed');
    expect(docsWrite(notLike(DOCS), off).decision).toBe('ExplicitlyDenied');
    // a pattern some paths meet and others do not: the artifact's files decide
    const some = docsWrite(notLike(`${DOCS}/docs/*.html`), off);
    expect(some.decision).toBe('Unknown');
    expect(some.why).toContain(`the path of each file extracted under \`${DOCS}/docs/\``);
    // a literal `*` (StringNotEquals) is compared with the paths tried, never `*` itself (a file
    // named `*` is not one of them): every call is denied
    expect(
      docsWrite({ StringNotEquals: { 'kms:EncryptionContext:aws:s3:arn': `${DOCS}/docs/*` } }, off)
        .decision,
    ).toBe('ExplicitlyDenied');
  });

  it('writes the one object ObjectKey names when it does not extract', () => {
    const one = (dir: string): void => {
      docsBucketKey(dir, false);
      docsTarget(dir, 'false', 'docs/site.zip');
    };
    const exact = {
      StringNotEquals: { 'kms:EncryptionContext:aws:s3:arn': `${DOCS}/docs/site.zip` },
    };
    expect(docsWrite(exact, one).decision).toBe('Allowed');
    expect(docsWrite(notLike(`${DOCS}/other/*`), one).decision).toBe('ExplicitlyDenied');
  });
});

describe("the S3 encryption context of a custom or third-party action's own upload", () => {
  // pass-cross-account with its Build action run by a job worker (owner Custom or ThirdParty):
  // the worker uploads BuildOutput with its own code and the job's artifact credentials, which
  // may ask for an S3 Bucket Key or against one whatever the bucket's default
  function jobWorkerBuild(owner: string): (dir: string) => void {
    return (dir) => {
      const folder = join(dir, '111111111111/us-east-1/codepipeline');
      editJson(join(folder, readdirSync(folder)[0]!), (doc) => {
        const stages = (doc['pipeline'] as { stages: { actions: Json[] }[] }).stages;
        stages[1]!.actions[0]!['actionTypeId'] = {
          category: 'Build',
          owner,
          provider: 'Jenkins',
          version: '1',
        };
      });
    };
  }

  it("makes the read of what it uploaded depend on it: both ARNs are tried (was Allowed by the bucket's setting)", () => {
    for (const owner of ['Custom', 'ThirdParty']) {
      const l = decryptUnder(ON_OBJECTS, jobWorkerBuild(owner));
      expect(l.decision, owner).toBe('Unknown');
      expect(l.why).toContain(
        `\`BuildOutput\` was uploaded by the job worker (\`${owner}/Jenkins\`) of action \`Build/Build\``,
      );
      // allowed with either ARN: decided
      const both = decryptUnder(
        { StringLike: { 'kms:EncryptionContext:aws:s3:arn': [BUCKET, `${BUCKET}/*`] } },
        jobWorkerBuild(owner),
      );
      expect(both.decision, owner).toBe('Allowed');
    }
  });

  it('leaves the GitHub (version 1) source, which CodePipeline runs itself, to the bucket', () => {
    const githubV1 = (dir: string): void => {
      twoInputs(dir);
      const folder = join(dir, '111111111111/us-east-1/codepipeline');
      editJson(join(folder, readdirSync(folder)[0]!), (doc) => {
        const stages = (doc['pipeline'] as { stages: { actions: Json[] }[] }).stages;
        stages[0]!.actions[0]!['actionTypeId'] = {
          category: 'Source',
          owner: 'ThirdParty',
          provider: 'GitHub',
          version: '1',
        };
      });
    };
    // SourceOutput, which it produced, is read with its object ARN like BuildOutput
    expect(decryptUnder(ON_OBJECTS, githubV1).decision).toBe('Allowed');
  });

  it('tries its own upload with the object and the bucket ARN', () => {
    const write = (patterns: string[]): ReportLink => {
      const all = scenario((dir) => {
        jobWorkerBuild('Custom')(dir);
        editKeyPolicy(dir, (statements) => {
          statements.push({
            Sid: 'OnlyArtifacts',
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 'kms:GenerateDataKey*',
            Resource: '*',
            Condition: { StringNotLike: { 'kms:EncryptionContext:aws:s3:arn': patterns } },
          });
        });
      });
      const found = all.filter(
        (l) => l.action === 'Build' && l.requirement === 'artifacts.output.kms-generate-data-key',
      );
      expect(found).toHaveLength(1);
      return found[0]!;
    };
    const l = write([`${BUCKET}/*`]);
    expect(l.decision).toBe('Unknown');
    expect(l.why).toContain('the job worker of a custom action (`Custom/Jenkins`)');
    expect(write([BUCKET, `${BUCKET}/*`]).decision).toBe('Allowed');
  });
});

describe('an S3 object whose name no input gives, as a link resource', () => {
  // the `*` that ends an artifact's object (`<pipeline>/<artifact>/*`) or the files an S3 deploy
  // extracts (`<ObjectKey>/*`) is a name, not the character: a policy that matches some names
  // and not others makes the link Unknown
  const DOCS = 'arn:aws:s3:::platform-docs-111111111111';

  function docsPut(resource: string, edit?: (dir: string) => void): ReportLink {
    const statement = {
      Sid: 'NoExecutables',
      Effect: 'Deny',
      Action: 's3:PutObject',
      Resource: resource,
    };
    return docsPutLink(statement, edit);
  }

  it("makes an S3 deploy's extracted files Unknown when a Deny names some of them (was Allowed)", () => {
    const l = docsPut(`${DOCS}/docs/*.exe`);
    expect(l.resource).toBe(`${DOCS}/docs/*`);
    expect(l.decision).toBe('Unknown');
    expect(l.why).toContain(`the path of each file extracted under \`${DOCS}/docs/\``);
    expect(l.why).toContain('NoExecutables');
    // a Deny of every file under the prefix denies, of another prefix does not
    expect(docsPut(`${DOCS}/docs/*`).decision).toBe('ExplicitlyDenied');
    expect(docsPut(`${DOCS}/site/*`).decision).toBe('Allowed');
  });

  it("makes an artifact's read Unknown when a policy allows some names only (was ImplicitlyDenied)", () => {
    const read = (pattern: string): ReportLink =>
      deployGet(
        scenario((dir) => {
          editJson(join(dir, '222222222222/iam.json'), (iam) => {
            const role = (iam['RoleDetailList'] as Json[]).find(
              (r) => r['RoleName'] === 'orders-api-deploy-action',
            )!;
            const inline = (role['RolePolicyList'] as Json[])[0]!;
            const statements = (inline['PolicyDocument'] as Json)['Statement'] as Json[];
            // the action role may read only the objects `pattern` names
            for (const st of statements)
              if (JSON.stringify(st['Action']).includes('s3:GetObject')) st['Resource'] = pattern;
          });
        }),
      );
    const some = read(`${object('BuildOutput').slice(0, -1)}*.zip`);
    expect(some.decision).toBe('Unknown');
    expect(some.why).toContain("the name CodePipeline gives the artifact's object");
    expect(read(object('BuildOutput')).decision).toBe('Allowed');
  });

  it("reads a policy variable of a statement on the paths with the request's value (was Allowed)", () => {
    // `docs/${aws:PrincipalAccount}/*` is `docs/111111111111/*` for the pipeline role: a file the
    // artifact holds under `111111111111/` is denied, others not; the variable read as any text
    // led to no such path, and the link was Allowed
    const byAccount = docsPut(`${DOCS}/docs/\${aws:PrincipalAccount}/*`);
    expect(byAccount.decision).toBe('Unknown');
    expect(byAccount.why).toContain('NoExecutables');
    // an escape is the character itself: a file named `*`
    expect(docsPut(`${DOCS}/docs/\${*}`).decision).toBe('Unknown');
    // the account's name at the bucket root is no file under docs/
    expect(docsPut(`${DOCS}/\${aws:PrincipalAccount}`).decision).toBe('Allowed');
    // a variable with no value (a role has no aws:username) matches nothing
    expect(docsPut(`${DOCS}/docs/\${aws:username}/*`).decision).toBe('Allowed');
  });

  it('tries the paths as well when ObjectKey holds a CodePipeline variable (was Allowed)', () => {
    // ObjectKey `#{variables.Dir}`: the files land under `<its value>/<each path>`, and the
    // trials of the variable's values (byUnsettledValues) took the `*` after it as the character,
    // which no `*.exe` matches; the bucket's own policy is left out, so that the trials decide
    const underVariable = (dir: string): void => {
      editJson(join(dir, '111111111111/us-east-1/codepipeline/platform-legacy.json'), (doc) => {
        const stages = (doc['pipeline'] as { stages: { actions: Json[] }[] }).stages;
        const a = stages.flatMap((s) => s.actions).find((x) => x['name'] === 'PublishDocs')!;
        (a['configuration'] as Record<string, string>)['ObjectKey'] = '#{variables.Dir}';
      });
      editJson(join(dir, '111111111111/s3/platform-docs-111111111111.json'), (bucket) => {
        delete bucket['Policy'];
      });
    };
    const l = docsPut(`${DOCS}/*.exe`, underVariable);
    expect(l.resource).toMatch(
      /^arn:aws:s3:::platform-docs-111111111111\/unresolved-[0-9a-f]+\/\*$/,
    );
    expect(l.decision).toBe('Unknown');
    expect(l.missing?.join()).toContain('configuration/ObjectKey');
    // every file under any prefix: denied; another bucket: allowed, whatever the value
    expect(docsPut(`${DOCS}/*`, underVariable).decision).toBe('ExplicitlyDenied');
    expect(docsPut('arn:aws:s3:::other-bucket/*', underVariable).decision).toBe('Allowed');
  });
});
