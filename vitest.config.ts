import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // one temporary folder per run, removed at its end (test/globalTmp.ts)
    globalSetup: ['test/globalTmp.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
