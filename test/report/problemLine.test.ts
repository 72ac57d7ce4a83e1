import { describe, expect, it } from 'vitest';
import { formatProblem } from '../../src/problems.js';

describe('formatProblem', () => {
  it('is one line whatever the input holds: control characters are escaped', () => {
    const line = formatProblem({
      file: 'a\nb.json',
      pointer: '/Statement/0/Effect',
      message: 'unknown effect `Allow\n::error file=x::forged\u001b[2J\u2028`',
      id: 'policy.effect.invalid',
      severity: 'error',
    });
    expect(line).toBe(
      'error: a\\x0ab.json#/Statement/0/Effect: unknown effect ' +
        '`Allow\\x0a::error file=x::forged\\x1b[2J\\u2028` [policy.effect.invalid]',
    );
    expect(line.split('\n')).toHaveLength(1);
  });
});
