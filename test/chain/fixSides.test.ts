/**
 * Every catalog fix names the side of the request it is about (catalog.ts fixSideOf): the
 * caller's policies, the resource's policy (trust, key or repository policy), or both.
 * resolveLink uses a fix only for a missing allow of that side, so a fix that named neither
 * would never be shown.
 */
import { describe, expect, it } from 'vitest';
import { fixSideOf, loadCatalog } from '../../src/chain/catalog.js';

describe('catalog fixes', () => {
  it('each name the side of the request they are about', () => {
    const catalog = loadCatalog();
    const unnamed = catalog.entries.filter((e) => fixSideOf(e.fix) === undefined);
    expect(unnamed.map((e) => `${e.id}: ${e.fix}`)).toEqual([]);
  });

  it('tell the caller, the resource and both apart', () => {
    expect(fixSideOf('allow `${Action}` on `${Resource}` in the policies of `${Principal}`')).toBe(
      'identity',
    );
    expect(
      fixSideOf('let `${Principal}` call `sts:AssumeRole` in the trust policy of `${Resource}`'),
    ).toBe('resource');
    expect(
      fixSideOf('allow `${Principal}` `${Action}` in the repository policy of `${Resource}`'),
    ).toBe('resource');
    expect(
      fixSideOf(
        'allow `${Principal}` to use `${Action}` on `${Resource}` in the key policy, and in its IAM policy when the key is in another account',
      ),
    ).toBe('both');
    expect(
      fixSideOf(
        'allow `sts:AssumeRole` on `${Resource}` in the policies of `${Principal}`, and trust `${Principal}` in the trust policy of `${Resource}`',
      ),
    ).toBe('both');
    expect(fixSideOf('allow `${Action}`')).toBeUndefined();
  });
});
