import { describe, expect, it } from 'vitest';
import { renderGithub } from '../../src/report/github.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { sanitizeForTerminal } from '../../src/report/sanitize.js';
import { renderText } from '../../src/report/text.js';
import { crossAccountReport, hostileReport } from './fixtures.js';

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

describe('text', () => {
  const out = renderText(crossAccountReport());
  const lines = out.trimEnd().split('\n');

  it('lists pipelines, stages and actions with their links', () => {
    expect(lines[0]).toBe('pipeline app-release  FAIL  111111111111 us-east-1');
    expect(out).toContain(
      '  stage Build\n    action Build\n      DENIED    kms:Decrypt (implicitly denied)\n',
    );
    expect(out).toContain('      WARNING   logs:CreateLogGroup (implicitly denied, recommended)');
    expect(out).toContain('      UNKNOWN   s3:GetObject\n');
    expect(out).toMatch(
      /allowed {3}sts:AssumeRole arn:aws:iam::111111111111:role\/app-release-pipeline ->/,
    );
  });

  it('names principal, resource, deciding statement with its location, why and fix of a broken link', () => {
    const block = out.slice(out.indexOf('DENIED    kms:Decrypt (explicitly denied)'));
    expect(block).toContain('principal    arn:aws:iam::222222222222:role/app-release-deploy');
    expect(block).toContain(
      'decided by   SCP p-abc12345 (DenyKmsOutsideOrg) statement DenyCrossAccountKms (explicit\n                     deny)',
    );
    expect(block).toContain(
      '  at         snapshot/organization/scp/p-abc12345.json#/Policy/Content/Statement/1',
    );
    expect(block).toContain('why          the SCP on the production OU denies');
    expect(block).toContain('fix          exempt the artifact key ARN');
    expect(out).toContain('  at         infra/pipeline.yaml:42');
    // what the missing input would settle, as every format words it: a label longer than its
    // column takes a line of its own, and the value starts in the value column
    expect(out).toContain(
      '        missing input that would settle it\n' +
        '                     snapshot/111111111111/s3/tools-artifacts-111111111111.json\n',
    );
  });

  it('ends with problems one per line, a summary (wrapped at 100 columns) and how the run ends', () => {
    expect(lines.slice(-3, -1)).toEqual([
      '3 pipelines (1 fail, 1 unknown, 1 pass), 13 links (8 allowed, 2 denied, 2 unknown, 1 warning),',
      '  2 problems',
    ]);
    expect(lines.at(-1)).toBe(
      'the run fails: 1 input error makes the analysis incomplete (exit 2)',
    );
    expect(out).toContain(
      '\nproblems\n  error: snapshot/111111111111/us-east-1/kms/aliases.json: file is not valid json: unexpected end of input [snapshot.json.invalid]\n  warning: snapshot/222222222222/iam.json#/Policies/7: ',
    );
  });

  it('fits 100 columns except for single tokens longer than the room', () => {
    for (const l of lines.slice(0, lines.indexOf('problems'))) {
      if (l.length <= 100) continue;
      // an over-long line is one unbreakable token after its label
      expect(l.trim().split(/ {2,}/).at(-1)).not.toContain(' ');
    }
  });

  it('uses ANSI colour only when asked', () => {
    expect(out).not.toMatch(ANSI);
    const coloured = renderText(crossAccountReport(), { color: true });
    expect(coloured).toContain('\u001b[31mDENIED\u001b[0m');
    expect(coloured.replace(ANSI, '')).toBe(out);
  });

  it('cannot be driven by control characters in values', () => {
    const h = renderText(hostileReport());
    // eslint-disable-next-line no-control-regex
    expect(h).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/);
    expect(sanitizeForTerminal('a\u001b[2Jb\r\n\u0085\u2028')).toBe(
      'a\\x1b[2Jb\\x0d\\x0a\\x85\\u2028',
    );
  });

  it('escapes the bidirectional controls that reorder what a terminal shows (Trojan Source)', () => {
    const bidi = '\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069';
    expect(sanitizeForTerminal(`x${bidi}y`)).toBe(
      'x\\u202a\\u202b\\u202c\\u202d\\u202e\\u2066\\u2067\\u2068\\u2069y',
    );
    // other text of those scripts stays as it is
    expect(sanitizeForTerminal('\u05d0\u05d1 \u0627\u200f')).toBe('\u05d0\u05d1 \u0627\u200f');
    const r = crossAccountReport();
    const named: typeof r = {
      ...r,
      pipelines: [{ ...r.pipelines[0]!, name: 'app\u202eesaeler' }],
    };
    for (const out of [renderText(named), renderGithub(named), renderMarkdown(named)]) {
      expect(out).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
      // shown as \u202e (markdown writes the backslash as &#92;)
      expect(out).toMatch(/app(\\|&#92;)u202eesaeler/);
    }
  });
});
