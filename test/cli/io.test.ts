import { afterEach, describe, expect, it } from 'vitest';
import { processIo } from '../../src/cli/io.js';

describe('processIo', () => {
  const saved = process.env['NO_COLOR'];
  const tty = process.stdout.isTTY;
  afterEach(() => {
    if (saved === undefined) delete process.env['NO_COLOR'];
    else process.env['NO_COLOR'] = saved;
    process.stdout.isTTY = tty;
  });
  it('uses colour only on a terminal and never when NO_COLOR is set (https://no-color.org)', () => {
    delete process.env['NO_COLOR'];
    process.stdout.isTTY = true;
    expect(processIo().color).toBe(true);
    process.env['NO_COLOR'] = '1';
    expect(processIo().color).toBe(false);
    delete process.env['NO_COLOR'];
    process.stdout.isTTY = false;
    expect(processIo().color).toBe(false);
  });
});
