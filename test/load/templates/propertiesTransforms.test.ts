/**
 * A resource's `Properties` chosen whole by `Fn::If`, or content an `AWS::Include` macro inserts
 * at deploy time (`Fn::Transform` as the properties, beside them, or inside a policy document):
 * they were read as no properties (or the `Fn::Transform` key as a plain key), so a policy that
 * denies the pipeline role its S3 actions went missing and the links read Allowed.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-conditions.html
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/transform-aws-include.html
 */
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../../src/chain/analyze.js';
import { loadSingleTemplate, loadStacks } from '../../../src/load/stacks.js';
import { noManagedPolicies } from '../../../src/load/managedPolicies.js';
import type { ReportLink } from '../../../src/report/types.js';

const TEMPLATE = 'test/load/templates/fixtures/transforms/pipeline.yaml';
const ENV = { account: '111111111111', region: 'us-east-1' };

function getObject(parameters: Record<string, string>): ReportLink {
  const { model } = loadSingleTemplate(TEMPLATE, { ...ENV, parameters });
  const links = analyzeModel(model).pipelines[0]!.links;
  return links.find((l) => l.permission === 's3:GetObject')!;
}

describe('properties the template builds with intrinsics', () => {
  it('without any of them the role may read the source', () => {
    expect(getObject({}).decision).toBe('Allowed');
  });

  it('`Properties: !If` on a known condition is the chosen branch, read where it is written', () => {
    const denied = getObject({ Shape: 'if-properties', DenyOn: 'yes' });
    expect(denied.decision).toBe('ExplicitlyDenied');
    expect(denied.deniedBy.map((d) => d.location?.pointer)).toEqual([
      '/Resources/IfPropertiesPolicy/Properties/Fn::If/1/PolicyDocument/Statement/0',
    ]);
    expect(getObject({ Shape: 'if-properties', DenyOn: 'no' }).decision).toBe('Allowed');
  });

  it('`Properties: !If` on a condition that is not known leaves the link Unknown, naming it', () => {
    const link = getObject({ Shape: 'if-properties' });
    expect(link.decision).toBe('Unknown');
    expect(link.missing?.join(' ')).toContain('#/Resources/IfPropertiesPolicy/Properties');
  });

  it('an `Fn::Transform` as the properties, beside them or in a policy document is not known', () => {
    for (const [shape, policy] of [
      ['transform-properties', 'TransformPropertiesPolicy'],
      ['transform-in-properties', 'TransformInPropertiesPolicy'],
      ['transform-in-document', 'TransformInDocumentPolicy'],
    ]) {
      const link = getObject({ Shape: shape! });
      expect(link.decision, shape).toBe('Unknown');
      expect(link.missing?.join(' '), shape).toContain(`#/Resources/${policy}`);
    }
  });

  it('an `Fn::Transform` among the resources is a warning, not a resource without a type', () => {
    const text = [
      'Resources:',
      '  Fn::Transform:',
      '    Name: AWS::Include',
      '    Parameters: { Location: "s3://snippets/resources.yaml" }',
      '  Topic:',
      '    Type: AWS::SNS::Topic',
    ].join('\n');
    const { problems } = loadStacks(
      [{ file: 'app.yaml', text, name: 'app', ...ENV, parameters: new Map() }],
      '.',
      { managedPolicies: noManagedPolicies },
    );
    expect(problems.map((p) => `${p.severity} ${p.id} ${p.pointer}`)).toEqual([
      'warning template.transform.unsupported /Resources/Fn::Transform',
    ]);
  });
});

/**
 * The unknown values of such a resource named `/Properties/Roles` (and `/Users`, `/Groups`), which
 * the template does not write (no line), rather than the `Fn::If` or `Fn::Transform` that would
 * settle them; they now name that element.
 */
describe('what would settle properties that are not known', () => {
  it.each([
    ['if-properties', '/Resources/IfPropertiesPolicy/Properties/Fn::If'],
    ['transform-properties', '/Resources/TransformPropertiesPolicy/Properties/Fn::Transform'],
  ])('%s: the links and warnings name %s', (shape, pointer) => {
    const { model } = loadSingleTemplate(TEMPLATE, { ...ENV, parameters: { Shape: shape } });
    const link = analyzeModel(model).pipelines[0]!.links.find(
      (l) => l.permission === 's3:GetObject',
    )!;
    expect(link.missing).toEqual([`${TEMPLATE}#${pointer}`]);
    const warnings = model.problems
      .filter((p) => p.id === 'template.value.unresolved')
      .map((p) => p.pointer);
    expect(warnings).toHaveLength(3);
    expect(new Set(warnings)).toEqual(new Set([pointer]));
  });
});
