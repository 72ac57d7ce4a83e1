/**
 * An S3 deploy's CannedACL on a bucket a template creates without `OwnershipControls`: a bucket
 * created now has BucketOwnerEnforced ("the default setting for all newly created buckets"), one
 * created before April 2023 keeps ObjectWriter
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html). The link is
 * decided as for the new bucket (the ACL is refused), and its why says the ownership is the
 * template's default, which an older bucket of the same stack does not have.
 */
import { describe, expect, it } from 'vitest';
import { analyzeTemplateText } from '../load/templates/templateModel.js';

function template(ownership: string): string {
  return `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: art-bucket-111
  Site:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: site-bucket-111
${ownership}  PipelineRole:
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
                Action: ["s3:*"]
                Resource: "*"
  Pipeline:
    Type: AWS::CodePipeline::Pipeline
    Properties:
      Name: site
      RoleArn: !GetAtt PipelineRole.Arn
      ArtifactStore: { Type: S3, Location: !Ref Bucket }
      Stages:
        - Name: Source
          Actions:
            - Name: Src
              ActionTypeId: { Category: Source, Owner: AWS, Provider: S3, Version: "1" }
              Configuration: { S3Bucket: !Ref Bucket, S3ObjectKey: src.zip, PollForSourceChanges: true }
              OutputArtifacts: [{ Name: Src }]
        - Name: Deploy
          Actions:
            - Name: Publish
              ActionTypeId: { Category: Deploy, Owner: AWS, Provider: S3, Version: "1" }
              Configuration: { BucketName: !Ref Site, Extract: true, CannedACL: public-read }
              InputArtifacts: [{ Name: Src }]
`;
}

const aclLink = (ownership: string) => {
  const r = analyzeTemplateText(template(ownership));
  const acl = r.links.find((l) => l.requirement === 's3-deploy.put-object-acl');
  expect(acl).toBeDefined();
  return acl!;
};

describe('an S3 deploy CannedACL on a template bucket without OwnershipControls', () => {
  it("is refused as on a new bucket, and the why says it is the template's default", () => {
    const acl = aclLink('');
    expect(acl.decision).toBe('ImplicitlyDenied');
    expect(acl.why).toContain('AccessControlListNotSupported');
    expect(acl.why).toContain('the template sets no OwnershipControls');
    expect(acl.why).toContain('keeps ObjectWriter');
  });

  it('set to BucketOwnerEnforced in the template: refused, without the caveat', () => {
    const acl = aclLink(
      '      OwnershipControls: { Rules: [{ ObjectOwnership: BucketOwnerEnforced }] }\n',
    );
    expect(acl.decision).toBe('ImplicitlyDenied');
    expect(acl.why).toContain('AccessControlListNotSupported');
    expect(acl.why).not.toContain('the template sets no OwnershipControls');
  });

  it('set to ObjectWriter: the ACL is taken, the policies decide', () => {
    const acl = aclLink(
      '      OwnershipControls: { Rules: [{ ObjectOwnership: ObjectWriter }] }\n',
    );
    expect(acl.decision).toBe('Allowed');
  });
});
