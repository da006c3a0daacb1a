import type { Config } from '../infra/config.js';
import type { Logger } from '../infra/logger.js';
import type { Runtime } from '../runtime/create-runtime.js';

/**
 * Everything a tool may use, handed to `createServer` explicitly (no module singletons): the
 * runtime's long-lived parts, and shortcuts to its config and working directory. `logger` is the
 * runtime's, or within one server a tee that also sends lines to the client.
 */
export interface ServerDeps {
  runtime: Runtime;
  config: Config;
  logger: Logger;
  /** Working directory that relative paths (state dir, export targets) resolve against. */
  cwd: string;
  version: string;
}

/** The deps of servers built on `runtime`: every server (stateless HTTP: one per request) shares its parts. */
export function serverDepsOf(runtime: Runtime, version: string): ServerDeps {
  return { runtime, config: runtime.config, logger: runtime.logger, cwd: runtime.cwd, version };
}
