import { defineConfig } from 'vitest/config';

const postgresUrl = process.env.TEST_DATABASE_URL;
const shared = {
  globalSetup: ['./src/core/testing/global-setup.ts'],
  testTimeout: 30_000,
  hookTimeout: 60_000,
};

/**
 * Every test runs on PGlite; with TEST_DATABASE_URL set the same tests run again on PostgreSQL.
 * Browser tests (e2e/) run once, against a server on PGlite.
 */
export default defineConfig({
  test: {
    projects: [
      { test: { ...shared, name: 'pglite', include: ['src/**/*.test.ts'], env: { RETAILOPS_TEST_DB: 'pglite' } } },
      ...(postgresUrl
        ? [
            {
              test: {
                ...shared,
                name: 'postgres',
                include: ['src/**/*.test.ts'],
                // Pure logic without a database gains nothing from a second run.
                exclude: ['src/core/ai/**'],
                env: { RETAILOPS_TEST_DB: 'postgres' },
              },
            },
          ]
        : []),
      { test: { ...shared, name: 'browser', include: ['e2e/**/*.test.ts'], env: { RETAILOPS_TEST_DB: 'pglite' }, fileParallelism: false } },
    ],
  },
});
