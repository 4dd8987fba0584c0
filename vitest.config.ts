import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Training tests are CPU-bound: two forks match the two cores CI has.
    pool: 'forks',
    maxWorkers: 2,
  },
});
