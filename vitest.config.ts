import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx', 'ui-reference/**/*.test.tsx'],
    // The validation corpus holds test files as data for the gate; they are not our tests.
    // The crash, multi-process and hostile-stdio runs, and the packed tarball / .mcpb launched as a
    // host launches them, are `npm run test:reliability` (vitest.reliability.config.ts): minutes
    // of CPU that would make `npm test` slow.
    exclude: ['test/fixtures/**', 'test/reliability/**', 'test/package/*.integration.test.ts', 'node_modules/**', 'dist/**'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // The machines have two cores; more workers only add contention.
    maxWorkers: 2,
  },
});
