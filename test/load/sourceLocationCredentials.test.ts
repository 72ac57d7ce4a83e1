/**
 * A CodeBuild source `location` may hold credentials (`https://user:password@host/repo`,
 * CodeCommit HTTPS Git credentials among them), in a hand-made snapshot as in a template. The
 * loaders keep it without them (model/sourceLocation.ts), so no report quotes one: a CODECOMMIT
 * location that is not a clone URL is quoted in the reason its link is Unknown, which quoted the
 * password in every format.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REDACTION_MARKER } from '../../src/model/buildspec.js';
import { runCli } from '../cli/runCli.js';
import { projectOf, templateModel } from './templates/templateModel.js';

const FORMATS = 'text,json,sarif,junit,markdown,github,mermaid,dot,html';
const SECONDARY = [
  {
    type: 'CODECOMMIT',
    sourceIdentifier: 'lib',
    location:
      'https://bob-at-111111111111:S3CRET1/x@git-codecommit.us-east-1.amazonaws.com/v1/repos/lib',
  },
  { type: 'GITHUB', sourceIdentifier: 'gh', location: 'https://S3CRET2@github.com/o/r' },
  { type: 'S3', sourceIdentifier: 's3', location: 'https://u:S3CRET3@x/y?token=S3CRET4' },
];

describe('credentials in source locations', () => {
  const dir = mkdtempSync(join(tmpdir(), 'permchain-location-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('appear in no report of a snapshot, in any format', async () => {
    const snapshot = join(dir, 'snapshot');
    cpSync(join(import.meta.dirname, '../../fixtures/demo'), snapshot, { recursive: true });
    const file = join(snapshot, '111111111111/us-east-1/codebuild.json');
    const doc = JSON.parse(readFileSync(file, 'utf8')) as {
      projects: { source: Record<string, unknown>; secondarySources?: unknown }[];
    };
    const project = doc.projects[0]!;
    project.source = { ...project.source, location: 'https://alice:S3CRET0@github.com/o/r.git' };
    project.secondarySources = SECONDARY;
    writeFileSync(file, JSON.stringify(doc));
    const out = join(dir, 'out');
    const r = await runCli(dir, 'analyze', snapshot, '--format', FORMATS, '--output-dir', out);
    expect(r.err).toBe('');
    const reports = readdirSync(out);
    expect(reports).toHaveLength(9);
    const text = reports.map((f) => readFileSync(join(out, f), 'utf8')).join('\n');
    expect(text).not.toMatch(/S3CRET|bob-at|alice/);
    // the CODECOMMIT location is still named, without its user part
    expect(text).toContain(
      `https://${REDACTION_MARKER}@git-codecommit.us-east-1.amazonaws.com/v1/repos/lib`,
    );
  });

  it('are not kept in the model of a template', () => {
    const file = join(dir, 't.yaml');
    writeFileSync(
      file,
      [
        'Resources:',
        '  Project:',
        '    Type: AWS::CodeBuild::Project',
        '    Properties:',
        '      Name: build',
        '      ServiceRole: arn:aws:iam::111111111111:role/build',
        '      Artifacts: { Type: NO_ARTIFACTS }',
        '      Environment: { Type: LINUX_CONTAINER, Image: img, ComputeType: BUILD_GENERAL1_SMALL }',
        '      Source: { Type: GITHUB, Location: "https://u:S3CRET5@github.com/o/r.git" }',
        '      SecondarySources:',
        ...SECONDARY.map(
          (s) =>
            `        - { Type: ${s.type}, SourceIdentifier: ${s.sourceIdentifier}, Location: "${s.location}" }`,
        ),
        '',
      ].join('\n'),
    );
    const project = projectOf(templateModel(file), 'build');
    expect(project?.source?.location).toBe(`https://${REDACTION_MARKER}@github.com/o/r.git`);
    expect(project?.secondarySources.map((s) => s.location)).toEqual([
      `https://${REDACTION_MARKER}@git-codecommit.us-east-1.amazonaws.com/v1/repos/lib`,
      `https://${REDACTION_MARKER}@github.com/o/r`,
      `https://${REDACTION_MARKER}@x/y?${REDACTION_MARKER}`,
    ]);
  });
});
