/**
 * `AWS::URLSuffix` is "typically amazonaws.com, but might differ by Region", `amazonaws.com.cn`
 * in China
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/pseudo-parameter-reference.html#cfn-pseudo-param-urlsuffix).
 * It was read as `amazonaws.com` in every partition but aws-cn, the ISO partitions too, whose
 * suffix CloudFormation's documentation does not give: a trust policy's
 * `!Sub codebuild.${AWS::URLSuffix}` named a service principal that is not the partition's.
 * It is now unknown there, and where the region (so the partition) is known only at deploy; the
 * S3, ECR and CodeCommit attributes that hold it follow.
 */
import { describe, expect, it } from 'vitest';
import { isPlaceholder } from '../../../src/model/placeholders.js';
import { Unresolved } from '../../../src/load/intrinsics.js';
import { environmentPlaceholder } from '../../../src/load/stacks.js';
import { parseTemplateText } from '../../../src/load/templateParse.js';
import { TemplateStack, type StackRegistry } from '../../../src/load/templateStack.js';

const TEMPLATE = [
  'Resources:',
  '  Bucket: { Type: AWS::S3::Bucket, Properties: { BucketName: art } }',
  '  Repo: { Type: AWS::ECR::Repository, Properties: { RepositoryName: app } }',
  '  Code: { Type: AWS::CodeCommit::Repository, Properties: { RepositoryName: src } }',
].join('\n');

function stack(region: string): TemplateStack {
  const all: TemplateStack[] = [];
  const registry: StackRegistry = { stack: () => undefined, all: () => all };
  const parsed = parseTemplateText(TEMPLATE, 't.yaml');
  expect(parsed.problems).toEqual([]);
  const s = new TemplateStack(
    { name: 's', account: '111111111111', region, file: 't.yaml', parameters: new Map() },
    parsed,
    registry,
  );
  all.push(s);
  return s;
}

describe('AWS::URLSuffix', () => {
  it.each([
    ['us-east-1', 'amazonaws.com'],
    ['us-gov-west-1', 'amazonaws.com'],
    ['cn-north-1', 'amazonaws.com.cn'],
  ])('%s: %s, and the attributes that hold it', (region, suffix) => {
    const s = stack(region);
    expect(s.ref('AWS::URLSuffix', '/x')).toBe(suffix);
    expect(s.getAtt('Bucket', 'RegionalDomainName', '/x')).toBe(`art.s3.${region}.${suffix}`);
    expect(s.getAtt('Repo', 'RepositoryUri', '/x')).toBe(
      `111111111111.dkr.ecr.${region}.${suffix}/app`,
    );
    expect(s.getAtt('Code', 'CloneUrlHttp', '/x')).toBe(
      `https://git-codecommit.${region}.${suffix}/v1/repos/src`,
    );
  });

  it.each([
    ['us-iso-east-1', 'aws-iso'],
    ['us-isob-east-1', 'aws-iso-b'],
    ['eu-isoe-west-1', 'aws-iso-e'],
    ['us-isof-south-1', 'aws-iso-f'],
  ])('%s (%s): not documented, so unknown (not amazonaws.com)', (region, partition) => {
    const s = stack(region);
    const u = s.ref('AWS::URLSuffix', '/x');
    expect(u).toBeInstanceOf(Unresolved);
    expect((u as Unresolved).reason).toContain(`\`${partition}\``);
    expect((u as Unresolved).pointer).toBe('/x');
    for (const [id, attr] of [
      ['Bucket', 'DomainName'],
      ['Repo', 'RepositoryUri'],
      ['Code', 'CloneUrlHttp'],
    ] as const) {
      expect(s.getAtt(id, attr, '/x')).toBeInstanceOf(Unresolved);
    }
    // the bucket's ARN does not hold the suffix
    expect(s.getAtt('Bucket', 'Arn', '/x')).toBe(`arn:${partition}:s3:::art`);
  });

  it('a region known only at deploy: unknown', () => {
    const region = environmentPlaceholder('test|region');
    expect(isPlaceholder(region)).toBe(true);
    const u = stack(region).ref('AWS::URLSuffix', '/x');
    expect(u).toBeInstanceOf(Unresolved);
    expect((u as Unresolved).reason).toContain('known only at deploy');
  });
});
