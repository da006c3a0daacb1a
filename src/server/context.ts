import type { Config } from '../infra/config.js';
import type { Logger } from '../infra/logger.js';
import type { ConcurrencyGate } from './tool-guard.js';

/** Everything a tool may use, handed to `createServer` explicitly (no module singletons). */
export interface ServerDeps {
  config: Config;
  logger: Logger;
  /** Working directory that relative paths (state dir, export targets) resolve against. */
  cwd: string;
  version: string;
  /** Where provider keys are read from (default: process.env); tests pass their own. */
  env?: NodeJS.ProcessEnv;
  /** Shared by every server instance of the process: expensive tools answer "busy" past its limit. */
  expensiveCalls?: ConcurrencyGate;
}
