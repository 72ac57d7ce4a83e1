import { describe, expect, it } from 'vitest';
import { escapeCommandData, escapeCommandProperty, renderGithub } from '../../src/report/github.js';
import { crossAccountReport, hostileReport } from './fixtures.js';

/** Parse a workflow command line the way the runner does. */
function parseCommand(
  line: string,
): { kind: string; props: Record<string, string>; message: string } | undefined {
  const m = /^::([a-z]+)(?: ([^:]*))?::(.*)$/.exec(line);
  if (!m) return undefined;
  const unescape = (s: string): string =>
    s
      .replace(/%0D/g, '\r')
      .replace(/%0A/g, '\n')
      .replace(/%3A/g, ':')
      .replace(/%2C/g, ',')
      .replace(/%25/g, '%');
  const props: Record<string, string> = {};
  for (const kv of (m[2] ?? '').split(',').filter((x) => x !== '')) {
    const eq = kv.indexOf('=');
    props[kv.slice(0, eq)] = unescape(kv.slice(eq + 1));
  }
  return { kind: m[1]!, props, message: unescape(m[3]!) };
}

describe('github workflow commands', () => {
  it('emits error for required denials and warning for recommended or unknown links', () => {
    const lines = renderGithub(crossAccountReport()).trimEnd().split('\n');
    const cmds = lines.map(parseCommand);
    const links = cmds.filter(
      (c) =>
        c &&
        c.props['title']?.startsWith('permchain ') &&
        !c.props['title'].startsWith('permchain snapshot'),
    );
    expect(links.map((c) => c!.kind)).toEqual(['error', 'warning', 'error', 'warning', 'warning']);
    const scp = links.find((c) => c!.message.includes('DenyCrossAccountKms'))!;
    expect(scp.props['file']).toBe('snapshot/organization/scp/p-abc12345.json');
    expect(scp.props['title']).toBe(
      'permchain denied: kms:Decrypt (app-release/Deploy/DeployProd)',
    );
    expect(scp.message.split('\n')[0]).toBe(
      'arn:aws:iam::222222222222:role/app-release-deploy is explicitly denied kms:Decrypt on arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    );
    const logs = links.find((c) => c!.message.includes('logs:CreateLogGroup'))!;
    expect(logs.props['file']).toBe('infra/pipeline.yaml');
    expect(logs.props['line']).toBe('42');
    expect(lines[lines.length - 1]).toBe(
      'permchain: 3 pipelines (1 fail), 2 denied, 2 unknown, 1 warning; the run fails: 1 input ' +
        'error makes the analysis incomplete (exit 2)',
    );
  });

  it('escapes data and properties as GitHub documents', () => {
    expect(escapeCommandData('100%\r\nnext: a,b')).toBe('100%25%0D%0Anext: a,b');
    expect(escapeCommandProperty('100%\r\nnext: a,b')).toBe('100%25%0D%0Anext%3A a%2Cb');
  });

  it('keeps hostile values on one command line and round-trips them', () => {
    const out = renderGithub(hostileReport());
    const lines = out.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    // eslint-disable-next-line no-control-regex
    expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
    const first = parseCommand(lines[0]!)!;
    expect(first.kind).toBe('error');
    expect(first.props['title']).toContain('a<b>&c"d\'e]]>f\\x01g\\x1bh\r\ni%j:k,l|m');
    expect(Object.keys(first.props).sort()).toEqual(['file', 'title']);
  });
});
