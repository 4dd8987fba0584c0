/**
 * How the suite runs: test/setup.ts in every file, the dist/-freshness guard once before the run (test/global-setup.ts),
 * two forks for the two cores CI has.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    setupFiles: ['test/setup.ts'],
    // Fails the run when dist/ is older than src/: the pool, CLI and end-to-end tests run the compiled code.
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Training tests are CPU-bound: two forks match the two cores CI has.
    pool: 'forks',
    maxWorkers: 2,
  },
});
