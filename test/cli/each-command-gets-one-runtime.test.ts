import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCommand, type CliCommand } from '../../src/cli/run-cli.js';
import type { Runtime } from '../../src/runtime/create-runtime.js';

describe('the runtime of a CLI command', () => {
  it('is built once, from the command flags, the io environment and working directory, and closed when the command returns', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'dspec-cli-runtime-'));
    try {
      const opened: Runtime[] = [];
      const command: CliCommand = {
        words: ['probe'],
        summary: 'test',
        options: {},
        async run(_parsed, _io, openRuntime) {
          opened.push(await openRuntime({ flags: { limits: { maxConcurrentExpensiveCalls: 3 } } }));
          opened.push(await openRuntime());
          return 0;
        },
      };
      const io = { stdout: () => {}, stderr: () => {}, cwd, env: { DSPEC_HOME: 'state' } };
      expect(await runCommand(command, [], io)).toBe(0);
      expect(opened).toHaveLength(2);
      expect(opened[1]).toBe(opened[0]);
      const runtime = opened[0]!;
      expect(runtime.home).toBe(path.join(cwd, 'state'));
      expect(runtime.env).toBe(io.env);
      expect(runtime.expensiveCalls.limit).toBe(3);
      await expect(runtime.previewBrowser()).rejects.toThrow(/runtime is closed/);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});
