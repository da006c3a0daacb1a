import { defineConfig } from 'vitest/config';
import { HEAVY_TESTS } from './vitest.heavy-tests.js';

/**
 * `npm run test:reliability`: the heavy files listed in vitest.heavy-tests.ts. Each file spawns many processes, so files run one at a time and
 * deadlines are generous: the point is what survives, never how fast.
 */
export default defineConfig({
  test: {
    // A spawned `dspec validate` would start a detached type-snapshot build in the user's cache
    // (~57 MB, seconds of CPU) that outlives the run; the snapshot has its own test, which passes
    // its environment explicitly.
    env: { DSPEC_TYPE_SNAPSHOT: 'off' },
    include: HEAVY_TESTS,
    environment: 'node',
    testTimeout: 600_000,
    hookTimeout: 300_000,
    fileParallelism: false,
    maxWorkers: 1,
  },
});
