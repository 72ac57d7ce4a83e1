/**
 * An S3 deploy encrypts what it writes with KMSEncryptionKeyARN, else with the deploy bucket's
 * default encryption: either way an SSE-KMS upload needs kms:GenerateDataKey on that key
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html). Each case is
 * an edit of the all-providers scenario, whose `platform-legacy` pipeline publishes docs to
 * `platform-docs-111111111111` (default SSE-KMS with the docs key).
 */
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import { loadSnapshot } from '../../src/load/snapshot.js';
import { editJson, type Json } from './scenarioCopy.js';

const SCENARIO = 'fixtures/scenarios/all-providers';
const PIPELINE = '111111111111/us-east-1/codepipeline/platform-legacy.json';
const BUCKET = '111111111111/s3/platform-docs-111111111111.json';
const DOCS_KEY_ID = '6e5d4c3b-2a19-4f8e-9d7c-6b5a4f3e2d1c';
const DOCS_KEY = `arn:aws:kms:us-east-1:111111111111:key/${DOCS_KEY_ID}`;

/** The KMS links of the docs deploy, as `decision resource`, after `edit`. */
function kmsLinks(edit: (dir: string) => void): { text: string[]; missing: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'permchain-s3-deploy-key-'));
  cpSync(SCENARIO, dir, { recursive: true });
  edit(dir);
  const p = analyzeModel(loadSnapshot(dir), { pipelines: ['platform-legacy'] }).pipelines[0]!;
  const links = p.links.filter((l) => l.requirement === 's3-deploy.kms-generate-data-key');
  return {
    text: links.map((l) => `${l.decision} ${l.resource}`),
    missing: links.flatMap((l) => l.missing ?? []),
  };
}

/** Set (or, with undefined, remove) KMSEncryptionKeyARN of the docs deploy. */
function configureKey(dir: string, key: string | undefined): void {
  editJson(join(dir, PIPELINE), (doc) => {
    const stages = (doc['pipeline'] as Json)['stages'] as { actions: Json[] }[];
    const action = stages.flatMap((s) => s.actions).find((a) => a['name'] === 'PublishDocs')!;
    const cfg = action['configuration'] as Record<string, string>;
    if (key === undefined) delete cfg['KMSEncryptionKeyARN'];
    else cfg['KMSEncryptionKeyARN'] = key;
  });
}

/** Remove the pipeline role's grants on the docs key (its policy's and the key policy's). */
function removeDocsKeyGrant(dir: string): void {
  const file = join(dir, '111111111111/iam.json');
  const text = readFileSync(file, 'utf8');
  const iam = JSON.parse(text) as Json;
  let removed = 0;
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) {
        const x = v[i] as Json | undefined;
        if (x && typeof x === 'object' && x['Sid'] === 'DocsKey') {
          v.splice(i, 1);
          removed++;
        } else walk(x);
      }
    } else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(iam);
  expect(removed).toBe(1);
  writeFileSync(file, JSON.stringify(iam, null, 2));
  // the key policy names the pipeline role too, which alone allows it in the key's account
  editJson(join(dir, `111111111111/us-east-1/kms/${DOCS_KEY_ID}.json`), (doc) => {
    const policy = JSON.parse(doc['Policy'] as string) as { Statement: Json[] };
    policy.Statement = policy.Statement.filter((s) => s['Sid'] !== 'AllowUseOfTheKey');
    doc['Policy'] = JSON.stringify(policy);
  });
}

function setBucketKey(dir: string, algorithm: string, key: string | undefined): void {
  editJson(join(dir, BUCKET), (doc) => {
    doc['ServerSideEncryptionConfiguration'] = {
      Rules: [
        {
          ApplyServerSideEncryptionByDefault: {
            SSEAlgorithm: algorithm,
            ...(key !== undefined ? { KMSMasterKeyID: key } : {}),
          },
        },
      ],
    };
  });
}

describe('S3 deploy without KMSEncryptionKeyARN to a bucket that defaults to SSE-KMS', () => {
  it("needs kms:GenerateDataKey on the bucket's default key", () => {
    expect(kmsLinks((d) => configureKey(d, undefined)).text).toEqual([`Allowed ${DOCS_KEY}`]);
  });

  it('is denied when the writer may not use that key', () => {
    const r = kmsLinks((d) => {
      configureKey(d, undefined);
      removeDocsKeyGrant(d);
    });
    expect(r.text).toEqual([`ImplicitlyDenied ${DOCS_KEY}`]);
  });

  it("resolves a default key named by alias in the writer's account", () => {
    const r = kmsLinks((d) => {
      configureKey(d, undefined);
      setBucketKey(d, 'aws:kms', 'alias/platform-docs');
    });
    expect(r.text).toEqual([`Allowed ${DOCS_KEY}`]);
  });

  it('needs no key when the bucket defaults to SSE-S3', () => {
    const r = kmsLinks((d) => {
      configureKey(d, undefined);
      setBucketKey(d, 'AES256', undefined);
    });
    expect(r.text).toEqual([]);
  });

  it('is Unknown when the bucket file lacks its default encryption (every bucket has one)', () => {
    const r = kmsLinks((d) => {
      configureKey(d, undefined);
      editJson(join(d, BUCKET), (doc) => delete doc['ServerSideEncryptionConfiguration']);
    });
    expect(r.text).toEqual(['Unknown the kms key the deploy encrypts with (not known)']);
    expect(r.missing).toEqual([`${BUCKET}#/ServerSideEncryptionConfiguration`]);
  });

  it('is Unknown, naming the bucket file in any account, when the bucket is not in the input', () => {
    // the owner of a deploy bucket need not be the action's account (a prod website bucket):
    // the deploy's S3 links name `*/s3/<bucket>.json`, and so does this one (it named the
    // action account's folder)
    const r = kmsLinks((d) => {
      configureKey(d, undefined);
      rmSync(join(d, BUCKET));
    });
    expect(r.text).toEqual(['Unknown the kms key the deploy encrypts with (not known)']);
    expect(r.missing).toEqual(['*/s3/platform-docs-111111111111.json']);
  });

  it("reads the bucket of another account's folder, the key resolved in the writer's account", () => {
    const r = kmsLinks((d) => {
      configureKey(d, undefined);
      mkdirSync(join(d, '222222222222/s3'), { recursive: true });
      renameSync(join(d, BUCKET), join(d, '222222222222/s3/platform-docs-111111111111.json'));
    });
    expect(r.text).toEqual([`Allowed ${DOCS_KEY}`]);
    expect(r.missing).toEqual([]);
  });
});

describe('S3 deploy KMSEncryptionKeyARN given as a key id', () => {
  it("is the key of that id in the action's account", () => {
    expect(kmsLinks((d) => configureKey(d, DOCS_KEY_ID)).text).toEqual([`Allowed ${DOCS_KEY}`]);
  });

  it('needs no bucket file', () => {
    const r = kmsLinks((d) => {
      configureKey(d, DOCS_KEY_ID);
      rmSync(join(d, BUCKET));
    });
    expect(r.text).toEqual([`Allowed ${DOCS_KEY}`]);
  });
});

describe('an S3 source bucket not in the input', () => {
  it("leaves the source object's key Unknown, naming the bucket file in any account", () => {
    const dir = mkdtempSync(join(tmpdir(), 'permchain-s3-source-key-'));
    try {
      cpSync(SCENARIO, dir, { recursive: true });
      rmSync(join(dir, '111111111111/s3/platform-deploy-config-111111111111.json'));
      const decrypt = analyzeModel(loadSnapshot(dir), {
        pipelines: ['platform-containers'],
      }).pipelines[0]!.links.filter(
        (l) => l.action === 'Config' && l.requirement === 's3-source.kms-decrypt',
      );
      expect(decrypt.map((l) => `${l.decision} ${(l.missing ?? []).join(',')}`)).toEqual([
        'Unknown */s3/platform-deploy-config-111111111111.json',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('an S3 source bucket file without its default encryption', () => {
  it('leaves the key of the source object Unknown, not "not encrypted"', () => {
    const dir = mkdtempSync(join(tmpdir(), 'permchain-s3-source-key-'));
    try {
      cpSync(SCENARIO, dir, { recursive: true });
      const bucket = '111111111111/s3/platform-deploy-config-111111111111.json';
      const decrypt = () =>
        analyzeModel(loadSnapshot(dir), { pipelines: ['platform-containers'] })
          .pipelines[0]!.links.filter(
            // the read of the source object (the action's upload of its output artifact makes a
            // kms:Decrypt of its own on the store key: artifacts.output.multipart-kms-decrypt)
            (l) => l.action === 'Config' && l.requirement === 's3-source.kms-decrypt',
          )
          .map((l) => `${l.decision} ${(l.missing ?? []).join(',')}`);
      expect(decrypt()).toEqual(['Allowed ']);
      editJson(join(dir, bucket), (doc) => delete doc['ServerSideEncryptionConfiguration']);
      expect(decrypt()).toEqual([`Unknown ${bucket}#/ServerSideEncryptionConfiguration`]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
