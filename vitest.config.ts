import { defineConfig } from 'vitest/config';
import { HEAVY_TESTS } from './vitest.heavy-tests.js';

export default defineConfig({
  test: {
    // A spawned `dspec validate` would start a detached type-snapshot build in the user's cache
    // (~57 MB, seconds of CPU) that outlives the run; the snapshot has its own test, which passes
    // its environment explicitly.
    env: { DSPEC_TYPE_SNAPSHOT: 'off' },
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
    // Stylelint are loaded and warmed once per worker instead of once per file. Measured with
    // isolation on, over test/validation plus five server, screen and CLI files (17 files, 278
    // tests): 119.6 s of CPU instead of 48.8 s (2.4×), 388 s instead of 186 s of wall time.
    // Sharing is safe because no module holds long-lived state: each test builds its own
    // runtime (test/helpers/test-runtime.ts) for the cache, ledger, breakers and telemetry;
    // what stays in modules is read-only (catalog, prompts); the warm gate is one per worker,
    // held by test/helpers/test-gate.ts and handed to every test runtime. None
    // mocks modules; `npm run test:reliability` (its own config) stays isolated.
    isolate: false,
  },
});
