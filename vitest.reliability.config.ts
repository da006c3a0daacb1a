import { defineConfig } from 'vitest/config';
import { HEAVY_TESTS } from './vitest.heavy-tests.js';

/**
 * `npm run test:reliability`: the heavy files listed in vitest.heavy-tests.ts. Each file spawns many processes, so files run one at a time and
 * deadlines are generous: the point is what survives, never how fast.
 */
export default defineConfig({
  test: {
    include: HEAVY_TESTS,
    environment: 'node',
    testTimeout: 600_000,
    hookTimeout: 300_000,
    fileParallelism: false,
    maxWorkers: 1,
  },
});
