/**
 * GitHub annotations place a finding in a snapshot file (a JSON pointer, no line) at the line
 * where the pointer's value starts, as SARIF does (test/cli/sarifPointerLines.test.ts): the
 * deciding policy of a link, and an input problem at a pointer. A template finding keeps its
 * own line and column; a file that cannot be scanned gets no line.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderGithub } from '../../src/report/github.js';
import { crossAccountReport } from '../report/fixtures.js';
import { root } from './demoCopy.js';
import { runCli as cli } from './runCli.js';

/** the properties of each workflow command of `out` (`file`, `line`, `col`, `title`) */
function annotations(out: string): Record<string, string>[] {
  return out
    .split('\n')
    .filter((l) => l.startsWith('::'))
    .map((l) => {
      const props = /^::[a-z]+ ([^:]*)::/.exec(l)![1]!;
      return Object.fromEntries(
        props.split(',').map((kv) => {
          const eq = kv.indexOf('=');
          return [kv.slice(0, eq), decodeURIComponent(kv.slice(eq + 1))];
        }),
      );
    });
}

/** the 1-based numbers of the lines of `file` that match `re` */
function linesOf(file: string, re: RegExp): number[] {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  return lines.flatMap((l, i) => (re.test(l) ? [i + 1] : []));
}

describe('github annotations: a snapshot finding at the line of its pointer', () => {
  it('the deciding policy, at the line where its document starts', async () => {
    const scenario = 'fixtures/scenarios/codebuild-role-no-kms';
    const iam = `${scenario}/111111111111/iam.json`;
    const r = await cli(root, 'analyze', scenario, '--format', 'github');
    // the third role's first inline policy document (/RoleDetailList/2/RolePolicyList/0)
    expect(linesOf(iam, /"PolicyDocument": \{/)[2]).toBe(162);
    expect(annotations(r.out)).toEqual([
      {
        file: iam,
        line: '162',
        title: 'permchain denied: kms:Decrypt (orders-api/Build/Build)',
      },
      {
        file: iam,
        line: '162',
        title: 'permchain denied: kms:GenerateDataKey (orders-api/Build/Build)',
      },
      // a multipart upload's kms:Decrypt of the build's output, recommended: a warning
      {
        file: iam,
        line: '162',
        title: 'permchain warning: kms:Decrypt (orders-api/Build/Build)',
      },
    ]);
  });

  it('an input problem at a pointer, at the line of its value; the links at their action', async () => {
    const scenario = 'fixtures/scenarios/wrong-shape-codebuild';
    const codebuild = `${scenario}/111111111111/us-east-1/codebuild.json`;
    const pipeline = `${scenario}/111111111111/us-east-1/codepipeline/orders-api.json`;
    const r = await cli(root, 'analyze', scenario, '--format', 'github');
    const all = annotations(r.out);
    expect(linesOf(codebuild, /"subnets": "subnet-/)).toEqual([65]);
    expect(all.filter((a) => a['title']!.startsWith('permchain snapshot.'))).toEqual([
      { file: codebuild, line: '65', title: 'permchain snapshot.shape.invalid' },
    ]);
    // the unknown links are annotated at their action (/pipeline/stages/N/actions/0)
    const links = all.filter((a) => a['title']!.startsWith('permchain unknown'));
    expect(new Set(links.map((a) => `${a['file']}:${a['line']}`))).toEqual(
      new Set([`${pipeline}:44`, `${pipeline}:72`]),
    );
    const text = readFileSync(join(root, pipeline), 'utf8').split('\n');
    expect([text[43], text[71]]).toEqual([
      expect.stringMatching(/^\s*\{$/),
      expect.stringMatching(/^\s*\{$/),
    ]);
  });

  it('a line below 1 is no line, as in SARIF: the pointer places it, else none', () => {
    const report = JSON.parse(
      JSON.stringify(crossAccountReport()).replaceAll('"line":42', '"line":0'),
    ) as ReturnType<typeof crossAccountReport>;
    const out = renderGithub(report, { pointerLine: () => undefined });
    const template = annotations(out).filter((a) => a['file'] === 'infra/pipeline.yaml');
    expect(template.length).toBeGreaterThan(0);
    for (const a of template) expect([a['line'], a['col']]).toEqual([undefined, undefined]);
  });

  it('a line of its own is kept; no line where the pointer cannot be placed', () => {
    const asked: string[] = [];
    const out = renderGithub(crossAccountReport(), {
      // the pointer's length stands for its line; an SCP file cannot be scanned
      pointerLine: (file, pointer) => {
        asked.push(`${file}#${pointer}`);
        return file.includes('organization/') ? undefined : pointer.length;
      },
    });
    const len = (pointer: string): string => String(pointer.length);
    expect(annotations(out).map((a) => [a['file'], a['line'], a['col']])).toEqual([
      [
        'snapshot/111111111111/us-east-1/kms/1234abcd-12ab-34cd-56ef-1234567890ab.json',
        len('/Policy'),
        undefined,
      ],
      ['infra/pipeline.yaml', '42', undefined],
      ['snapshot/organization/scp/p-abc12345.json', undefined, undefined],
      [
        'snapshot/111111111111/us-east-1/codepipeline/app-release.json',
        len('/pipeline/stages/2/actions/0'),
        undefined,
      ],
      [
        'snapshot/333333333333/eu-west-1/codepipeline/nightly-scan.json',
        len('/pipeline/stages/0/actions/0'),
        undefined,
      ],
      // a problem about the whole file (pointer '') has no line
      ['snapshot/111111111111/us-east-1/kms/aliases.json', undefined, undefined],
      ['snapshot/222222222222/iam.json', len('/Policies/7'), undefined],
    ]);
    // a location with a line of its own (a template's), or about a whole file, is not looked up
    expect(asked.filter((a) => a.includes('.yaml') || a.endsWith('#'))).toEqual([]);
  });
});
