/**
 * The evaluator's context answers the first lookups straight from the request and builds the
 * map after that: both paths must give the same values as the built map.
 */
import { describe, expect, it } from 'vitest';
import { buildContext, LazyContext } from '../../src/evaluate/context.js';
import { parseRequestPrincipal } from '../../src/evaluate/principal.js';

const ROLE = parseRequestPrincipal('arn:aws:iam::111122223333:role/Build')!;
const SERVICE = parseRequestPrincipal('codepipeline.amazonaws.com')!;

const raw = {
  'aws:SourceIp': '203.0.113.7',
  'AWS:SOURCEIP': '198.51.100.1',
  'aws:TagKeys': ['a', 'b'],
  'aws:MultiFactorAuthPresent': true,
  'aws:EpochTime': 1750000000,
  'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/Given',
} as const;

const KEYS = [
  'aws:sourceip',
  'aws:tagkeys',
  'aws:multifactorauthpresent',
  'aws:epochtime',
  'aws:principalarn',
  'aws:principalaccount',
  'aws:principaltype',
  'aws:principalisawsservice',
  'aws:principalservicename',
  'aws:resourceaccount',
  'aws:username',
  'aws:missing',
];

describe('LazyContext', () => {
  it.each([
    ['a role', ROLE],
    ['a service principal', SERVICE],
  ])('gives what the built context gives, key by key (%s)', (_name, principal) => {
    const built = buildContext(raw, principal, '444455556666');
    // each key looked up first (direct path) ...
    for (const key of KEYS) {
      expect(new LazyContext(raw, principal, '444455556666').get(key), key).toEqual(built.get(key));
    }
    // ... and all of them through one context (the map is built after the first lookups)
    const lazy = new LazyContext(raw, principal, '444455556666');
    for (const key of KEYS) expect(lazy.get(key), key).toEqual(built.get(key));
    for (const key of [...KEYS].reverse()) expect(lazy.get(key), key).toEqual(built.get(key));
  });

  it('lets the request override what the principal implies, and the last spelling of a key win', () => {
    const lazy = new LazyContext(raw, ROLE, undefined);
    expect(lazy.get('aws:principalarn')).toBe('arn:aws:iam::111122223333:role/Given');
    expect(lazy.get('aws:sourceip')).toBe('198.51.100.1');
    expect(new LazyContext(undefined, ROLE, undefined).get('aws:principalarn')).toBe(
      'arn:aws:iam::111122223333:role/Build',
    );
    expect(new LazyContext(undefined, ROLE, undefined).get('aws:resourceaccount')).toBeUndefined();
  });
});
