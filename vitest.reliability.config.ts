import { defineConfig } from 'vitest/config';

/**
 * `npm run test:reliability`: SIGKILL crashes, two servers on one state directory, hostile
 * input over stdio, secrets; and the packed package (tarball through npx, installed copy, the
 * .mcpb bundle) started the way a host starts it. Each file spawns many processes, so files run one at a time and
 * deadlines are generous: the point is what survives, never how fast.
 */
export default defineConfig({
  test: {
    include: ['test/reliability/**/*.test.ts', 'test/package/*.integration.test.ts'],
    environment: 'node',
    testTimeout: 600_000,
    hookTimeout: 300_000,
    fileParallelism: false,
    maxWorkers: 1,
  },
});
