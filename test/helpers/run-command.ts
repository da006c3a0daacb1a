import type { CliIo } from '../../src/cli/io.js';
import { runCommand, type CliCommand } from '../../src/cli/run-cli.js';

/** Runs one CLI command in-process exactly as `dspec` does, with its output captured. */
export async function runCaptured(command: CliCommand, args: readonly string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text), cwd, env: {} };
  const code = await runCommand(command, [...args], io);
  return { code, stdout, stderr };
}
