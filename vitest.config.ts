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
    // Deadlines only catch hangs: on a loaded 2-core machine a gate-heavy test can take many
    // times its idle duration, and that is not a failure.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // The machines have two cores; more workers only add contention.
    maxWorkers: 2,
    // Files share their worker's module graph: the gate's TypeScript service, ESLint and
    // Stylelint are loaded and warmed once per worker instead of once per file (about 2.4×
    // less CPU for the suite). Tests keep no state in modules they do not reset, and none
    // mocks modules; `npm run test:reliability` (its own config) stays isolated.
    isolate: false,
  },
});
