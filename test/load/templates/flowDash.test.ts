/**
 * `!Join [-, [a, b]]`: a `-` right before a flow indicator inside a flow collection is the plain
 * scalar `-` in the YAML 1.1 parsers (PyYAML; CloudFormation accepts such templates:
 * aws-samples/aws-codepipeline-cross-region-continuous-deployment writes its bucket names so), and
 * an error in YAML 1.2 ("Block collections are not allowed within flow collections"), which made
 * the whole template unreadable and every stack that depends on it Unknown.
 */
import { describe, expect, it } from 'vitest';
import { parseTemplateText } from '../../../src/load/templateParse.js';

describe('a dash before a flow indicator in a flow collection', () => {
  it('is the string `-`, wherever it stands in the collection', () => {
    const text = [
      'Resources:',
      '  Bucket:',
      '    Type: AWS::S3::Bucket',
      '    Properties:',
      '      BucketName: !Join [-, [artifacts, !Ref "AWS::Region", !Ref "AWS::AccountId"]]',
      '      Tags: [{Key: a, Value: -}, {Key: b, Value: [x, -]}]',
      '  Next:',
      '    Type: AWS::SNS::Topic',
    ].join('\n');
    const parsed = parseTemplateText(text, 't.yaml');
    expect(parsed.problems).toEqual([]);
    type T = { Resources: { Bucket: { Properties: Record<string, unknown> } } };
    const props = (parsed.value as T).Resources.Bucket.Properties;
    expect(props.BucketName).toEqual({
      'Fn::Join': ['-', ['artifacts', { Ref: 'AWS::Region' }, { Ref: 'AWS::AccountId' }]],
    });
    expect(props.Tags).toEqual([
      { Key: 'a', Value: '-' },
      { Key: 'b', Value: ['x', '-'] },
    ]);
    // positions after it are where the text has them
    expect(parsed.positions.get('/Resources/Next')).toEqual({ line: 7, column: 3 });
  });

  it('leaves other dashes as YAML reads them: `-1` a scalar, `- x` in a flow collection an error', () => {
    expect(
      (parseTemplateText('A: [-1, -b, "-"]\n', 't.yaml').value as Record<string, unknown>).A,
    ).toEqual([-1, '-b', '-']);
    const bad = parseTemplateText('A: [a, - b]\n', 't.yaml');
    expect(bad.value).toBeUndefined();
    expect(bad.problems.map((p) => p.id)).toEqual(['template.syntax.invalid']);
  });

  it('a block sequence item is still one', () => {
    const parsed = parseTemplateText('A:\n  - x\n  - [z, -]\n', 't.yaml');
    expect(parsed.problems).toEqual([]);
    expect((parsed.value as Record<string, unknown>).A).toEqual(['x', ['z', '-']]);
  });
});
