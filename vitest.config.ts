import { defineConfig } from 'vitest/config';
import { HEAVY_TESTS } from './vitest.heavy-tests.js';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx', 'ui-reference/**/*.test.tsx'],
    // The validation corpus holds test files as data for the gate; they are not our tests.
    // The heavy files (crashes, many processes, packed launches, browser builds) are
    // `npm run test:reliability`; see vitest.heavy-tests.ts.
    exclude: ['test/fixtures/**', ...HEAVY_TESTS, 'node_modules/**', 'dist/**'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // The machines have two cores; more workers only add contention.
    maxWorkers: 2,
  },
});
