/**
 * Settings a template does not settle (an `Fn::If` on a condition whose parameter has no value)
 * are unknown, never read as "not set": an artifact store key or bucket encryption left open
 * could be a customer managed key the role may not use.
 */
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../../src/chain/analyze.js';
import { loadSingleTemplate } from '../../../src/load/stacks.js';
import type { ReportLink } from '../../../src/report/types.js';

const TEMPLATE = 'test/load/templates/fixtures/unsettled/pipeline.yaml';
const ENV = { account: '111111111111', region: 'us-east-1' };

function links(parameters: Record<string, string> = {}): readonly ReportLink[] {
  const { model } = loadSingleTemplate(TEMPLATE, { ...ENV, parameters });
  return analyzeModel(model).pipelines[0]!.links;
}

const kmsLinks = (all: readonly ReportLink[]): ReportLink[] =>
  all.filter((l) => l.permission.startsWith('kms:'));

describe('encryption settings the template does not settle', () => {
  it('an unsettled artifact store key and source bucket encryption give Unknown KMS links naming the line', () => {
    const kms = kmsLinks(links());
    // the artifact store write (GenerateDataKey, and Decrypt for a multipart upload) and the
    // source bucket read (Decrypt)
    expect(kms.map((l) => l.id).sort()).toEqual([
      'Source/Src:artifacts.output.kms-generate-data-key:kms:GenerateDataKey',
      'Source/Src:artifacts.output.multipart-kms-decrypt:kms:Decrypt',
      'Source/Src:s3-source.kms-decrypt:kms:Decrypt',
    ]);
    for (const l of kms) {
      expect(l.decision, l.id).toBe('Unknown');
      expect(l.missing, l.id).toEqual([
        `${TEMPLATE}:8 (\`Fn::If\` on condition \`Cmk\`, which is not known: parameter \`UseCmk\` has no value)`,
      ]);
    }
  });

  it('settled, they are decided: the CMK is denied to a role without kms permissions', () => {
    const cmk = kmsLinks(links({ UseCmk: 'yes' }));
    expect(cmk.map((l) => [l.permission, l.decision]).sort()).toEqual([
      ['kms:Decrypt', 'ImplicitlyDenied'],
      ['kms:Decrypt', 'ImplicitlyDenied'],
      ['kms:GenerateDataKey', 'ImplicitlyDenied'],
    ]);
    // without a CMK: the AWS-managed key for the artifacts, SSE-S3 on the source bucket
    const managed = kmsLinks(links({ UseCmk: 'no' }));
    expect(managed.map((l) => [l.permission, l.resource, l.decision])).toEqual([
      ['kms:GenerateDataKey', 'arn:aws:kms:us-east-1:111111111111:alias/aws/s3', 'Allowed'],
      ['kms:Decrypt', 'arn:aws:kms:us-east-1:111111111111:alias/aws/s3', 'Allowed'],
    ]);
  });
});

describe('stages and actions the template does not settle', () => {
  const STAGES = 'test/load/templates/fixtures/unsettled/stages.yaml';
  const stageLinks = (parameters: Record<string, string> = {}): readonly ReportLink[] => {
    const { model } = loadSingleTemplate(STAGES, { ...ENV, parameters });
    return analyzeModel(model).pipelines[0]!.links;
  };

  it('are one Unknown link each, naming the template line, never left out', () => {
    const open = stageLinks().filter((l) => l.requirement === 'action.not-settled');
    expect(open.map((l) => [l.id, l.decision, l.missing])).toEqual([
      [
        '(stage 2)/(actions):action.not-settled',
        'Unknown',
        [
          `${STAGES}:8 (\`Fn::If\` on condition \`Cmk\`, which is not known: parameter \`UseCmk\` has no value)`,
        ],
      ],
      [
        'Build/(action 1):action.not-settled',
        'Unknown',
        [
          `${STAGES}:8 (\`Fn::If\` on condition \`Cmk\`, which is not known: parameter \`UseCmk\` has no value)`,
        ],
      ],
      [
        'Build/C:action.not-settled',
        'Unknown',
        [
          `${STAGES}:8 (\`Fn::If\` on condition \`Cmk\`, which is not known: parameter \`UseCmk\` has no value)`,
        ],
      ],
    ]);
  });

  it('settled, the stage is there and checked (its topic is not in the input: Unknown)', () => {
    const all = stageLinks({ UseCmk: 'yes' });
    expect(all.filter((l) => l.requirement === 'action.not-settled')).toEqual([]);
    const publish = all.filter((l) => l.permission === 'sns:Publish');
    expect(publish.map((l) => [l.stage, l.decision, l.missing])).toEqual([
      ['Approve', 'Unknown', ['111111111111/us-east-1/sns/t.json']],
    ]);
    // and without the condition the stage is not there at all
    const none = stageLinks({ UseCmk: 'no' });
    expect(none.some((l) => l.stage === 'Approve')).toBe(false);
  });
});

describe('action configuration values the template does not settle', () => {
  const MODE = 'test/load/templates/fixtures/unsettled/action-mode.yaml';

  it('a catalog condition on them is unknown: the links it may need are Unknown, naming the line', () => {
    const { model } = loadSingleTemplate(MODE, ENV);
    const pipeline = analyzeModel(model).pipelines[0]!;
    expect(pipeline.verdict).toBe('unknown');
    const modes = pipeline.links.filter(
      (l) =>
        l.stage === 'Deploy' &&
        /^cloudformation:(CreateStack|UpdateStack|CreateChangeSet)$/.test(l.permission),
    );
    expect(modes.map((l) => l.permission).sort()).toEqual([
      'cloudformation:CreateChangeSet',
      'cloudformation:CreateStack',
      'cloudformation:UpdateStack',
    ]);
    for (const l of modes) {
      expect(l.decision, l.id).toBe('Unknown');
      expect(l.why, l.id).toContain('`Config.ActionMode` is `unresolved-');
      expect(
        l.missing?.some((m) => m.startsWith(`${MODE}:`)),
        l.id,
      ).toBe(true);
    }
    // without a RoleArn, the execution role's links hang on the mode too, and name its line
    const role = pipeline.links.filter(
      (l) =>
        l.requirement === 'cloudformation.pass-role' ||
        l.requirement === 'cloudformation.assume-execution-role',
    );
    expect(role.length).toBeGreaterThan(0);
    for (const l of role) {
      expect(l.decision, l.id).toBe('Unknown');
      expect(l.why, l.id).toContain('`ActionMode` is `unresolved-');
      expect(
        l.missing?.some((m) => m.startsWith(`${MODE}:`)),
        l.id,
      ).toBe(true);
    }
  });
});

describe('a tag value the template does not settle, on a role passed as a resource', () => {
  const TAGGED = 'test/load/templates/fixtures/unsettled/tagged-role.yaml';

  it('leaves aws:ResourceTag unknown (Unknown), while an untagged role is decided', () => {
    const { model } = loadSingleTemplate(TAGGED, ENV);
    const pass = analyzeModel(model).pipelines[0]!.links.filter(
      (l) => l.permission === 'iam:PassRole',
    );
    const byRole = Object.fromEntries(pass.map((l) => [l.resource.split('/').pop(), l]));
    // web-task has no tags: the Deny applies
    expect(byRole['web-task']!.decision).toBe('ExplicitlyDenied');
    // web-execution's tag is an SSM value: the answer depends on it
    expect(byRole['web-execution']!.decision).toBe('Unknown');
    // naming the statement that tests the key, and its template line
    expect(byRole['web-execution']!.why).toBe(
      "the answer depends on `aws:ResourceTag/team`, the resource's tags, which the input does not settle: " +
        `identity policy \`arn:aws:iam::111111111111:role/web-pipeline pass-platform-only\` statement 1 (at \`${TAGGED}:78\`) tests it`,
    );
    // settled, it is decided either way
    const settled = (team: string): string => {
      const m = loadSingleTemplate(TAGGED, { ...ENV, parameters: { Team: team } }).model;
      return analyzeModel(m).pipelines[0]!.links.find(
        (l) => l.permission === 'iam:PassRole' && l.resource.endsWith('/web-execution'),
      )!.decision;
    };
    expect(settled('platform')).toBe('Allowed');
    expect(settled('other')).toBe('ExplicitlyDenied');
  });
});
