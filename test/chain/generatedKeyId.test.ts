/**
 * A kms key a template creates gets its id when the stack is deployed; the model makes one up,
 * which the template's own references carry too. A role of the snapshot whose policy names the
 * deployed key by its ARN was denied on the made-up id: a wrong denial of a working pipeline.
 * The link is Unknown when a literal key ARN of the same account and Region, named by the link's
 * policies, decides it otherwise (session 23).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/chain/analyze.js';
import type { ReportLink } from '../../src/report/types.js';
import { templateOverSnapshot } from '../load/templates/templateModel.js';

const DEMO = readFileSync('fixtures/templates/demo-pipeline-v2.yaml', 'utf8');
/** the key of the demo snapshot, which the prod role's policy names */
const SNAPSHOT_KEY = 'arn:aws:kms:us-east-1:111111111111:key/0b6e3a5c-4c1f-4d0a-9d47-6f2f3e1a9c10';

const KEY_RESOURCE = `  ArtifactKey:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: { AWS: !Sub "arn:\${AWS::Partition}:iam::\${AWS::AccountId}:root" }
            Action: kms:*
            Resource: "*"
          - Effect: Allow
            Principal: { AWS: !Sub "arn:\${AWS::Partition}:iam::\${ProdAccount}:root" }
            Action: [kms:Decrypt, kms:DescribeKey]
            Resource: "*"
`;

/** The demo template creating its own artifact key, laid over the demo snapshot. */
function deployKeyLinks(snapshot = 'fixtures/demo'): ReportLink[] {
  // the prod action reads the source (encrypted with the store key; a build's output is
  // encrypted with its project's key, the snapshot's)
  const text = DEMO.replace('Resources:\n', `Resources:\n${KEY_RESOURCE}`)
    .replace('Id: !Ref ArtifactKeyArn', 'Id: !GetAtt ArtifactKey.Arn')
    .replace(
      'TemplatePath: BuildOutput::packaged.yaml',
      'TemplatePath: SourceOutput::packaged.yaml',
    )
    .replace(
      'InputArtifacts: [{ Name: BuildOutput }]\n',
      'InputArtifacts: [{ Name: SourceOutput }]\n',
    );
  expect(text).toContain('!GetAtt ArtifactKey.Arn');
  const dir = mkdtempSync(join(tmpdir(), 'permchain-generated-key-'));
  try {
    const file = join(dir, 't.yaml');
    writeFileSync(file, text);
    const model = templateOverSnapshot(snapshot, file);
    const links = analyzeModel(model, { pipelines: ['demo-app-v2'] }).pipelines[0]!.links;
    return links.filter(
      (l) => l.stage === 'DeployProd' && l.requirement === 'artifacts.input.kms-decrypt',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('a kms key the template creates', () => {
  it('is Unknown for a role whose policy names a deployed key of its account and Region (was: denied)', () => {
    const found = deployKeyLinks();
    // the one decrypt of the prod deploy action's input
    expect(found).toHaveLength(1);
    const [l] = found;
    // the made-up id, not the snapshot's key
    expect(l!.resource).toMatch(/^arn:aws:kms:us-east-1:111111111111:key\//);
    expect(l!.resource).not.toBe(SNAPSHOT_KEY);
    expect(l!.decision).toBe('Unknown');
    expect(l!.why).toContain('is created by the template at');
    expect(l!.why).toContain(
      `identity policy \`arn:aws:iam::222222222222:role/demo-deploy-action (inline: demo-deploy-action-policy)\` statement \`ArtifactKey\` names the key \`${SNAPSHOT_KEY}\` of the same account and Region, which may be it once deployed: with that id the call is allowed, with the id made up denied`,
    );
    expect(l!.missing).toEqual([expect.stringMatching(/t\.yaml:\d+$/)]);
  });

  it('is decided when the role names keys by a pattern, which matches the id whatever it is', () => {
    const dir = mkdtempSync(join(tmpdir(), 'permchain-generated-key-snap-'));
    try {
      cpSync('fixtures/demo', dir, { recursive: true });
      const file = join(dir, '222222222222/iam.json');
      writeFileSync(
        file,
        readFileSync(file, 'utf8')
          .split(`"${SNAPSHOT_KEY}"`)
          .join('"arn:aws:kms:us-east-1:111111111111:key/*"'),
      );
      const found = deployKeyLinks(dir);
      expect(found).toHaveLength(1);
      expect(found[0]!.resource).not.toBe(SNAPSHOT_KEY);
      expect(found[0]!.decision).toBe('Allowed');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
