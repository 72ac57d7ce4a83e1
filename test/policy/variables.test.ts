import { describe, expect, it } from 'vitest';
import {
  compileTemplate,
  LITERAL_QUESTION,
  LITERAL_STAR,
  resolveTemplate,
} from '../../src/policy/variables.js';
import { compileArnGlob, compileGlob } from '../../src/policy/wildcard.js';
import type { ContextValue, Template } from '../../src/policy/types.js';

function ctx(entries: Record<string, ContextValue>): ReadonlyMap<string, ContextValue> {
  return new Map(Object.entries(entries));
}

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
      const glob = compileArnGlob(resolved);
      expect(glob.test('arn:aws:s3:::b/home/*/file')).toBe(true);
      expect(glob.test('arn:aws:s3:::b/home/bob/file')).toBe(false);
    });

    it('an escaped ${?} matches only a literal ?', () => {
      const glob = compileGlob(resolveTemplate(tpl('what${?}'), context, true)!);
      expect(glob.test('what?')).toBe(true);
      expect(glob.test('whatx')).toBe(false);
    });

    it('without forPattern the escape is a plain character', () => {
      expect(resolveTemplate(tpl('a${*}'), context)).toBe('a*');
    });
  });
});
