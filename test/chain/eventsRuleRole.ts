/**
 * Template lines of a role EventBridge may assume, that may start pipeline `Pipeline` (or what
 * `resource` names), for the tests that add an `AWS::Events::Rule` to a template.
 */
const PIPELINE_ARN =
  '!Sub "arn:${AWS::Partition}:codepipeline:${AWS::Region}:${AWS::AccountId}:${Pipeline}"';

export function eventsRuleRole(
  logicalId = 'RuleRole',
  roleName = 'rule-role',
  resource = PIPELINE_ARN,
): string[] {
  return [
    `  ${logicalId}:`,
    '    Type: AWS::IAM::Role',
    '    Properties:',
    `      RoleName: ${roleName}`,
    '      AssumeRolePolicyDocument:',
    '        Version: "2012-10-17"',
    '        Statement:',
    '          - Effect: Allow',
    '            Principal: { Service: events.amazonaws.com }',
    '            Action: sts:AssumeRole',
    '      Policies:',
    '        - PolicyName: start',
    '          PolicyDocument:',
    '            Version: "2012-10-17"',
    '            Statement:',
    '              - Effect: Allow',
    '                Action: codepipeline:StartPipelineExecution',
    `                Resource: ${resource}`,
  ];
}
