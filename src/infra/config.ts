import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { InputError, issuesFromZod } from '../errors.js';
import { parseJsonText } from './json.js';

/**
 * All configuration in one schema. Sources, strongest first: CLI flags > environment
 * (`DSPEC_*`) > `dspec.config.json` in the working directory > these defaults.
 */
export const ConfigSchema = z.object({
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** State directory (cache, ledger, budgets); relative paths resolve against the working directory. */
  home: z.string().default('.dspec'),
  http: z
    .object({
      host: z.string().default('127.0.0.1'),
      port: z.number().int().min(0).max(65535).default(3939),
      /** When set, every HTTP request needs `Authorization: Bearer <token>`. */
      token: z.string().min(1).optional(),
      /** Extra origins allowed besides the loopback ones (e.g. a hosted inspector). */
      allowedOrigins: z.array(z.string()).default([]),
      /** Extra Host names accepted besides loopback (a reverse proxy's public name). */
      allowedHosts: z.array(z.string()).default([]),
      maxBodyBytes: z.number().int().positive().default(4 * 1024 * 1024),
    })
    .prefault({}),
  limits: z
    .object({
      /** Largest theme document accepted, in bytes of JSON. */
      maxThemeBytes: z.number().int().positive().default(8 * 1024 * 1024),
      /** Largest number of tokens in one theme. */
      maxTokens: z.number().int().positive().default(200_000),
    })
    .prefault({}),
});
export type Config = z.infer<typeof ConfigSchema>;
export type ConfigOverrides = z.input<typeof ConfigSchema>;

export const CONFIG_FILE_NAME = 'dspec.config.json';

function fromEnvironment(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const http: Record<string, unknown> = {};
  if (env.DSPEC_HTTP_HOST) http.host = env.DSPEC_HTTP_HOST;
  if (env.DSPEC_HTTP_PORT) http.port = Number(env.DSPEC_HTTP_PORT);
  if (env.DSPEC_HTTP_TOKEN) http.token = env.DSPEC_HTTP_TOKEN;
  if (env.DSPEC_HTTP_ALLOWED_HOSTS) http.allowedHosts = env.DSPEC_HTTP_ALLOWED_HOSTS.split(',').map((s) => s.trim()).filter(Boolean);
  if (env.DSPEC_HTTP_ALLOWED_ORIGINS) http.allowedOrigins = env.DSPEC_HTTP_ALLOWED_ORIGINS.split(',').map((s) => s.trim()).filter(Boolean);
  const result: Record<string, unknown> = {};
  if (env.DSPEC_LOG_LEVEL) result.logLevel = env.DSPEC_LOG_LEVEL;
  if (env.DSPEC_HOME) result.home = env.DSPEC_HOME;
  if (Object.keys(http).length) result.http = http;
  return result;
}

function mergeDeep(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (value === undefined) continue;
    const current = out[key];
    out[key] =
      value && typeof value === 'object' && !Array.isArray(value) && current && typeof current === 'object' && !Array.isArray(current)
        ? mergeDeep(current as Record<string, unknown>, value as Record<string, unknown>)
        : value;
  }
  return out;
}

export interface LoadConfigOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  flags?: ConfigOverrides;
}

/** Reads and validates the configuration once, at start; the result is passed down explicitly. */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const file = path.join(cwd, CONFIG_FILE_NAME);
  let fromFile: Record<string, unknown> = {};
  if (existsSync(file)) {
    const parsed = parseJsonText(readFileSync(file, 'utf8'), CONFIG_FILE_NAME);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new InputError(`${CONFIG_FILE_NAME} must contain a JSON object`);
    }
    fromFile = parsed as Record<string, unknown>;
  }
  const merged = mergeDeep(mergeDeep(fromFile, fromEnvironment(env)), (options.flags ?? {}) as Record<string, unknown>);
  const result = ConfigSchema.safeParse(merged);
  if (!result.success) {
    throw new InputError('Invalid configuration', {
      issues: issuesFromZod(result.error.issues),
      suggestion: `Check ${CONFIG_FILE_NAME}, the DSPEC_* environment variables and the command-line flags.`,
    });
  }
  return result.data;
}

export function resolveHome(config: Config, cwd = process.cwd()): string {
  return path.resolve(cwd, config.home);
}
