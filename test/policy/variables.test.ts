import { describe, expect, it } from 'vitest';
import { compileTemplate, resolveTemplate } from '../../src/policy/variables.js';
import { compileArnGlob, compileGlob, PATTERN_ESCAPE } from '../../src/policy/wildcard.js';
import type { ContextValue, Template } from '../../src/policy/types.js';

function ctx(entries: Record<string, ContextValue>): ReadonlyMap<string, ContextValue> {
  return new Map(Object.entries(entries));
}

// a literal `*` / `?` in pattern text with escapes (wildcard.ts PATTERN_ESCAPE)
const LITERAL_STAR = `${PATTERN_ESCAPE}*`;
const LITERAL_QUESTION = `${PATTERN_ESCAPE}?`;

function tpl(text: string): Template {
  const t = compileTemplate(text);
  expect(t).toBeDefined();
  return t!;
}

describe('compileTemplate', () => {
  it('returns undefined without ${', () => {
    expect(compileTemplate('arn:aws:s3:::bucket/*')).toBeUndefined();
    expect(compileTemplate('$ {x} {y}')).toBeUndefined();
  });

  it.each([
    ['${aws:username}', [{ kind: 'var', key: 'aws:username' }]],
    [
      'home/${aws:username}/*',
      [
        { kind: 'text', text: 'home/' },
        { kind: 'var', key: 'aws:username' },
        { kind: 'text', text: '/*' },
      ],
    ],
    ['${aws:PrincipalTag/Team}', [{ kind: 'var', key: 'aws:principaltag/team' }]],
    ['${ aws:username }', [{ kind: 'var', key: 'aws:username' }]],
    [
      "${aws:PrincipalTag/team, 'company-wide'}",
      [{ kind: 'var', key: 'aws:principaltag/team', defaultValue: 'company-wide' }],
    ],
    ["${aws:x,'a,b'}", [{ kind: 'var', key: 'aws:x', defaultValue: 'a,b' }]],
    ["${aws:x, ''}", [{ kind: 'var', key: 'aws:x', defaultValue: '' }]],
    // a default must be quoted; otherwise there is none
    ['${aws:x, unquoted}', [{ kind: 'var', key: 'aws:x' }]],
    ['${*}', [{ kind: 'text', text: '*', literal: true }]],
    ['${?}', [{ kind: 'text', text: '?', literal: true }]],
    ['${$}', [{ kind: 'text', text: '$', literal: true }]],
    [
      'a${*}b${?}c${$}{d}',
      [
        { kind: 'text', text: 'a' },
        { kind: 'text', text: '*', literal: true },
        { kind: 'text', text: 'b' },
        { kind: 'text', text: '?', literal: true },
        { kind: 'text', text: 'c' },
        { kind: 'text', text: '$', literal: true },
        { kind: 'text', text: '{d}' },
      ],
    ],
    // unterminated: the rest is text
    ['a/${aws:username', [{ kind: 'text', text: 'a/${aws:username' }]],
    // names of Object.prototype members are variables, not escapes
    ['${constructor}', [{ kind: 'var', key: 'constructor' }]],
    ['${toString}', [{ kind: 'var', key: 'tostring' }]],
  ])('%j', (text, parts) => {
    expect(tpl(text)).toEqual({ raw: text, parts });
  });
});

describe('resolveTemplate', () => {
  const context = ctx({
    'aws:username': 'alice',
    'aws:principaltag/team': 'ops',
    'aws:tagkeys': ['a', 'b'],
    'aws:empty': '',
    'aws:starry': 'a*b?c',
  });

  it.each([
    ['home/${aws:username}/x', 'home/alice/x'],
    ['home/${AWS:UserName}/x', 'home/alice/x'],
    ["${aws:PrincipalTag/team, 'default'}", 'ops'],
    ["${aws:PrincipalTag/other, 'default'}", 'default'],
    ['[${aws:empty}]', '[]'],
    ['${*}${?}${$}', '*?$'],
    ['${aws:starry}', 'a*b?c'],
  ])('%j -> %j', (text, expected) => {
    expect(resolveTemplate(tpl(text), context)).toBe(expected);
  });

  it('an absent key without a default is unresolved', () => {
    expect(resolveTemplate(tpl('home/${aws:userid}/x'), context)).toBeUndefined();
    expect(resolveTemplate(tpl('${constructor}'), context)).toBeUndefined();
  });

  it('a multivalued context key cannot be a variable: unresolved', () => {
    expect(resolveTemplate(tpl('${aws:TagKeys}'), context)).toBeUndefined();
    expect(resolveTemplate(tpl('${aws:TagKeys}'), context, true)).toBeUndefined();
  });

  describe('forPattern', () => {
    it('protects escapes and substituted values, keeps written wildcards', () => {
      expect(resolveTemplate(tpl('home/${aws:starry}/*${*}'), context, true)).toBe(
        `home/a${LITERAL_STAR}b${LITERAL_QUESTION}c/*${LITERAL_STAR}`,
      );
      expect(resolveTemplate(tpl("${aws:missing, 'x*'}"), context, true)).toBe(`x${LITERAL_STAR}`);
      expect(resolveTemplate(tpl('${aws:username}'), context, true)).toBe('alice');
    });

    it('a substituted * matches only a literal *', () => {
      const resolved = resolveTemplate(
        tpl('arn:aws:s3:::b/home/${aws:username}/*'),
        ctx({ 'aws:username': '*' }),
        true,
      )!;
      const glob = compileArnGlob(resolved, true, true);
      expect(glob.test('arn:aws:s3:::b/home/*/file')).toBe(true);
      expect(glob.test('arn:aws:s3:::b/home/bob/file')).toBe(false);
    });

    it('an escaped ${?} matches only a literal ?', () => {
      const glob = compileGlob(resolveTemplate(tpl('what${?}'), context, true)!, true);
      expect(glob.test('what?')).toBe(true);
      expect(glob.test('whatx')).toBe(false);
    });

    it('a U+E000 written or substituted is escaped too: it is no escape of its own', () => {
      const E0 = '\uE000';
      const values = ctx({ 'aws:username': `a${E0}*` });
      // written text: its `*` stays a wildcard; a value: its `*` is literal
      expect(resolveTemplate(tpl(`${E0}*/\${aws:username}`), values, true)).toBe(
        `${E0}${E0}*/a${E0}${E0}${LITERAL_STAR}`,
      );
      const glob = compileGlob(
        resolveTemplate(tpl(`${E0}*/\${aws:username}`), values, true)!,
        true,
      );
      expect(glob.test(`${E0}x/a${E0}*`)).toBe(true);
      expect(glob.test(`*x/a${E0}*`)).toBe(false);
      expect(glob.test(`${E0}x/a**`)).toBe(false);
      expect(glob.test(`${E0}x/a${E0}x`)).toBe(false);
      // without forPattern, the text as it is
      expect(resolveTemplate(tpl(`${E0}*/\${aws:username}`), values)).toBe(`${E0}*/a${E0}*`);
    });

    it('without forPattern the escape is a plain character', () => {
      expect(resolveTemplate(tpl('a${*}'), context)).toBe('a*');
    });
  });
});
