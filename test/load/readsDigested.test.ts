import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readsDigested, readTextFile } from '../../src/load/jsonFile.js';

const dir = mkdtempSync(join(tmpdir(), 'permchain-digest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const a = join(dir, 'a.json');
const b = join(dir, 'b.json');
writeFileSync(a, '{"a":1}');
writeFileSync(b, '{"b":2}');

describe('readsDigested', () => {
  it('digests the path and bytes of every file read, in order', () => {
    const one = readsDigested(() => [readTextFile(a), readTextFile(b)]).digest;
    expect(readsDigested(() => [readTextFile(a), readTextFile(b)]).digest).toBe(one);
    expect(readsDigested(() => [readTextFile(b), readTextFile(a)]).digest).not.toBe(one);
    expect(readsDigested(() => readTextFile(a)).digest).not.toBe(one);
    // a file that cannot be read counts too
    expect(readsDigested(() => readTextFile(join(dir, 'missing.json'))).digest).not.toBe(
      readsDigested(() => undefined).digest,
    );
  });

  it('a nested call digests its own reads, which count in the outer digest too', () => {
    const both = readsDigested(() => [readTextFile(a), readTextFile(b)]).digest;
    const onlyB = readsDigested(() => readTextFile(b)).digest;
    let inner = '';
    const outer = readsDigested(() => {
      readTextFile(a);
      inner = readsDigested(() => readTextFile(b)).digest;
    }).digest;
    expect(inner).toBe(onlyB);
    expect(outer).toBe(both);
    // and once both are done, a read feeds neither
    readTextFile(a);
    expect(readsDigested(() => readTextFile(b)).digest).toBe(onlyB);
  });

  it('stops digesting when read() throws', () => {
    expect(() =>
      readsDigested(() => {
        readTextFile(a);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    const onlyB = readsDigested(() => readTextFile(b)).digest;
    expect(readsDigested(() => readTextFile(b)).digest).toBe(onlyB);
  });
});
