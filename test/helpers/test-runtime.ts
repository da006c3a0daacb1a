import { loadConfig, type Config, type ConfigOverrides } from '../../src/infra/config.js';
import { createSilentLogger, type Logger } from '../../src/infra/logger.js';
import { createRuntime, type Runtime } from '../../src/runtime/create-runtime.js';
import { serverDepsOf, type ServerDeps } from '../../src/server/context.js';
import { testGate } from './test-gate.js';

export interface TestRuntimeOptions {
  /** Working directory; default the repository (its ui-reference/ and prompts/). */
  cwd?: string;
  /** What the runtime reads keys and the browser from; default none, so no provider key leaks in. */
  env?: NodeJS.ProcessEnv;
  /** Config overrides; ignored when `config` is given. */
  flags?: ConfigOverrides;
  config?: Config;
  logger?: Logger;
  /** Build the runtime's own gate (closed with it) instead of sharing the worker's warm one. */
  ownGate?: boolean;
}

/** A runtime as an entry point builds one: configuration read once (with no environment), a silent logger; the worker's warm gate. */
export function testRuntime(options: TestRuntimeOptions = {}): Runtime {
  const cwd = options.cwd ?? process.cwd();
  const config = options.config ?? loadConfig({ cwd, env: {}, ...(options.flags ? { flags: options.flags } : {}) });
  return createRuntime({ config, env: options.env ?? {}, cwd, logger: options.logger ?? createSilentLogger(), ...(options.ownGate ? {} : { gate: testGate() }) });
}

/** Server deps over a fresh test runtime. */
export function testServerDeps(options: TestRuntimeOptions = {}): ServerDeps {
  return serverDepsOf(testRuntime(options), 'test');
}
