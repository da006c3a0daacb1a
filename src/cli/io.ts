/** Where a CLI command writes: injected so tests can run commands in-process. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export const processIo = (): CliIo => ({
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  cwd: process.cwd(),
  env: process.env,
});

/** Exit codes: 0 success, 1 findings (the input was read but is not clean), 2 bad usage or unreadable input. */
export const ExitCode = { Ok: 0, Findings: 1, Usage: 2 } as const;
