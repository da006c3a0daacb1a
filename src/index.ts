/** Library entry: the domain functions and the server factory, for embedding dspec. */
import { configSchema } from './infra/config.js';

export { createServer, TOOL_NAMES } from './server/create-server.js';
export { serverDepsOf, type ServerDeps } from './server/context.js';
export { createRuntime, type Runtime, type CreateRuntimeOptions, type CacheStore, type CostStore } from './runtime/create-runtime.js';
export { generateThemeCss } from './theme/generate-theme-css.js';
export { ThemeCssOptionsSchema, type ThemeCss, type ThemeCssOptions } from './theme/schemas.js';
export { loadConfig, type Config } from './infra/config.js';
export { createLogger, createSilentLogger } from './infra/logger.js';
export { DspecError, InputError, ThemeError, JsonParseError, ErrorCode } from './errors.js';
export { VERSION } from './version.js';

/** The configuration schema: built when the library loads (a server builds it only if a config needs it). */
export const ConfigSchema = configSchema();
