/**
 * Boolean properties of template resources. CloudFormation takes true or false (or the strings
 * "true" and "false"; an unquoted `off` or `yes` is a YAML 1.1 Boolean, which CloudFormation
 * reads); anything else, or a value the template does not settle, is unknown and reported, never
 * read as the property's default. An
 * unknown KMS key `Enabled` leaves the key state unknown, so the links that need an enabled key
 * are never Allowed.
 */
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../../src/chain/analyze.js';
import { noManagedPolicies } from '../../../src/load/managedPolicies.js';
import { loadSingleTemplate } from '../../../src/load/stacks.js';
import type { KmsKeyModel, Model, RegionModel } from '../../../src/model/types.js';
import type { Problem } from '../../../src/problems.js';
import type { ReportLink } from '../../../src/report/types.js';

const DIR = 'test/load/templates/fixtures/booleans';
const ENV = { account: '111111111111', region: 'us-east-1' };
const PLACEHOLDER = /^unresolved-[0-9a-f]{10}$/;

function load(name: string, parameters: Record<string, string> = {}): Model {
  return loadSingleTemplate(`${DIR}/${name}`, {
    ...ENV,
    parameters,
    managedPolicies: noManagedPolicies,
  }).model;
}

const region = (model: Model): RegionModel =>
  model.accounts.get('111111111111')!.regions.get('us-east-1')!;

function key(model: Model): KmsKeyModel {
  const keys = [...region(model).kmsKeys.values()];
  expect(keys).toHaveLength(1);
  return keys[0]!;
}

/** The `template.value.unresolved` warnings, as `pointer: message`. */
const unsettled = (model: Model): string[] =>
  model.problems
    .filter((p: Problem) => p.id === 'template.value.unresolved')
    .map((p) => `${p.pointer}: ${p.message}`);

const links = (model: Model): readonly ReportLink[] =>
  analyzeModel(model).pipelines.flatMap((p) => p.links);

describe('AWS::KMS::Key Enabled', () => {
  it.each([
    [{}, 'Enabled', true],
    [{ KeyEnabled: 'true' }, 'Enabled', true],
    [{ KeyEnabled: 'false' }, 'Disabled', false],
  ])('%j is settled: key state %s', (parameters, state, enabled) => {
    const model = load('settings.yaml', parameters);
    expect(key(model).keyState).toBe(state);
    expect(key(model).enabled).toBe(enabled);
    expect(unsettled(model)).toEqual([]);
  });

  it.each(['off', 'no', 'yes', 'on', 'True', '0'])(
    '%s is not a Boolean: the key state is unknown (a placeholder naming the property), with a warning',
    (value) => {
      const model = load('settings.yaml', { KeyEnabled: value });
      const k = key(model);
      expect(k.keyState).toMatch(PLACEHOLDER);
      expect(k.enabled).toBeUndefined();
      expect(model.unresolved!.get(k.keyState!)).toMatchObject({
        reason: `\`${value}\` is not a Boolean (true or false)`,
        location: { file: `${DIR}/settings.yaml`, pointer: '/Resources/Key/Properties/Enabled' },
      });
      expect(unsettled(model)).toEqual([
        `/Resources/Key/Properties/Enabled: \`${value}\` is not a Boolean (true or false): the value is unknown`,
      ]);
    },
  );

  it('`Enabled: off` written in the template is the YAML 1.1 false CloudFormation reads (a warning says so)', () => {
    // CloudFormation reads unquoted YAML 1.1 Booleans as Booleans (https://github.com/aws/aws-cli/pull/5257)
    const model = load('key-off.yaml');
    expect(key(model).keyState).toBe('Disabled');
    expect(model.problems.filter((p) => p.id === 'template.value.yaml11')).toMatchObject([
      { pointer: '/Resources/Key/Properties/Enabled', severity: 'warning' },
    ]);
    // a disabled key refuses the cryptographic operation whatever its policy allows
    const kms = links(model).filter((l) => l.permission === 'kms:GenerateDataKey');
    expect(kms.map((l) => l.decision)).toEqual(['ImplicitlyDenied']);
  });

  it('an Fn::If on a condition no input settles: the key state is unknown, reported at the property', () => {
    const model = load('key-condition.yaml');
    const k = key(model);
    expect(k.keyState).toMatch(PLACEHOLDER);
    expect(k.enabled).toBeUndefined();
    // the place that would settle it is the condition's parameter (line 8), as for every
    // Fn::If on a condition not known; the problem is at the property
    expect(model.unresolved!.get(k.keyState!)).toMatchObject({
      reason:
        '`Fn::If` on condition `IsOn`, which is not known: parameter `Env` reads the ssm parameter `/env` at deploy time, so its value is not known offline',
      location: { pointer: '/Conditions/IsOn/Fn::Equals/0/Ref', line: 8 },
    });
    expect(unsettled(model)).toEqual([
      '/Resources/Key/Properties/Enabled: `Fn::If` on condition `IsOn`, which is not known: parameter `Env` reads the ssm parameter `/env` at deploy time, so its value is not known offline: the value is unknown',
    ]);
    // settled by the parameter's value
    expect(key(load('key-condition.yaml', { Env: 'prod' })).keyState).toBe('Enabled');
    expect(key(load('key-condition.yaml', { Env: 'dev' })).keyState).toBe('Disabled');
  });

  it('a key whose state is unknown is never Allowed for a cryptographic operation (it was)', () => {
    for (const model of [load('key-condition.yaml')]) {
      const kms = links(model).filter((l) => l.permission === 'kms:GenerateDataKey');
      expect(kms).toHaveLength(1);
      // the policies allow it; only the key state is in doubt
      expect(kms[0]!.decision).toBe('Unknown');
      expect(kms[0]!.why).toContain('the input does not settle its state');
      expect(kms[0]!.missing).toHaveLength(1);
      expect(kms[0]!.missing![0]).toMatch(
        /^test\/load\/templates\/fixtures\/booleans\/key-condition\.yaml:\d+ \(/,
      );
      expect(analyzeModel(model).pipelines[0]!.verdict).not.toBe('pass');
    }
    // settled enabled, the same link is allowed
    const on = links(load('key-condition.yaml', { Env: 'prod' })).filter(
      (l) => l.permission === 'kms:GenerateDataKey',
    );
    expect(on.map((l) => l.decision)).toEqual(['Allowed']);
  });

  it('MultiRegion: absent or "false" is false, one that is not a Boolean is unknown', () => {
    expect(key(load('settings.yaml')).multiRegion).toBe(false);
    expect(key(load('settings.yaml', { KeyMultiRegion: 'true' })).multiRegion).toBe(true);
    const model = load('settings.yaml', { KeyMultiRegion: 'yes' });
    expect(key(model).multiRegion).toBeUndefined();
    expect(unsettled(model)).toEqual([
      '/Resources/Key/Properties/MultiRegion: `yes` is not a Boolean (true or false): the value is unknown',
    ]);
  });
});

describe('bucket Booleans', () => {
  it('BucketKeyEnabled and PublicAccessBlockConfiguration fields: settled as written', () => {
    const b = load('settings.yaml').accounts.get('111111111111')!.buckets.get('art-bucket-111')!;
    expect(b.encryption?.bucketKeyEnabled).toBe(true);
    expect(b.publicAccessBlock).toEqual({
      blockPublicAcls: true,
      ignorePublicAcls: true,
      blockPublicPolicy: true,
      restrictPublicBuckets: false,
    });
  });

  it('one that is not a Boolean is unknown (not its default), with a warning', () => {
    const model = load('settings.yaml', { BucketKey: 'off', BlockAcls: 'on' });
    const b = model.accounts.get('111111111111')!.buckets.get('art-bucket-111')!;
    expect(b.encryption?.bucketKeyEnabled).toBeUndefined();
    expect(b.encryption?.bucketKeyUnknownAt).toMatch(/#\/Resources\/.*\/BucketKeyEnabled$/);
    expect(b.publicAccessBlock?.blockPublicAcls).toBeUndefined();
    expect(b.publicAccessBlock?.ignorePublicAcls).toBe(true);
    expect(unsettled(model)).toEqual([
      '/Resources/Bucket/Properties/BucketEncryption/ServerSideEncryptionConfiguration/0/BucketKeyEnabled: `off` is not a Boolean (true or false): the value is unknown',
      '/Resources/Bucket/Properties/PublicAccessBlockConfiguration/BlockPublicAcls: `on` is not a Boolean (true or false): the value is unknown',
    ]);
  });
});

describe('CodeBuild Booleans', () => {
  const project = (model: Model) => region(model).codebuild!.projects.get('build')!;
  const putReports = (model: Model): ReportLink[] =>
    links(model).filter(
      (l) => l.permission === 's3:PutObject' && l.resource === 'arn:aws:s3:::reports-bucket/*',
    );

  it('PrivilegedMode and S3Logs EncryptionDisabled: settled as written, else unknown', () => {
    const settled = project(load('settings.yaml'));
    expect(settled.environment?.privilegedMode).toBe(false);
    expect(settled.logsConfig?.s3Logs?.encryptionDisabled).toBe(false);
    const model = load('settings.yaml', { Privileged: 'yes', LogsEncryptionDisabled: 'no' });
    expect(project(model).environment?.privilegedMode).toBeUndefined();
    expect(project(model).logsConfig?.s3Logs?.encryptionDisabled).toBeUndefined();
    expect(unsettled(model)).toEqual([
      '/Resources/Project/Properties/Environment/PrivilegedMode: `yes` is not a Boolean (true or false): the value is unknown',
      '/Resources/Project/Properties/LogsConfig/S3Logs/EncryptionDisabled: `no` is not a Boolean (true or false): the value is unknown',
    ]);
  });

  it.each([
    ['false', 'Allowed'],
    ['true', 'ExplicitlyDenied'],
  ])(
    'a secondary artifact with EncryptionDisabled %s: its upload to a bucket that takes only SSE-KMS is %s',
    (value, decision) => {
      const model = load('settings.yaml', { ArtifactEncryptionDisabled: value });
      expect(project(model).secondaryArtifacts[0]).toMatchObject({
        type: 'S3',
        encryptionDisabled: value === 'true',
      });
      const put = putReports(model);
      expect(put.map((l) => l.decision)).toEqual([decision]);
    },
  );

  it('a secondary artifact whose EncryptionDisabled is not a Boolean: its upload is Unknown, naming the property (it was Allowed, as if encrypted)', () => {
    const model = load('settings.yaml', { ArtifactEncryptionDisabled: 'off' });
    const put = putReports(model);
    const all = links(model).filter(
      (l) => l.requirement === 'codebuild-project.secondary-artifact-put-object',
    );
    expect(all.map((l) => l.decision)).toEqual(['Unknown']);
    expect(put).toEqual([]);
    expect(all[0]!.missing).toEqual([
      `${DIR}/settings.yaml:87 (\`off\` is not a Boolean (true or false): whether the build encrypts this secondary artifact (and so the encryption its upload declares) is not known)`,
    ]);
  });
});
