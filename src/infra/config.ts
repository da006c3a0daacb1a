import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { InputError, issuesFromZod } from '../errors.js';
import { parseJsonText } from './json.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * All configuration in one schema. Sources, strongest first: CLI flags > environment
 * (`DSPEC_*`) > `dspec.config.json` in the working directory > these defaults.
 * Built on first use (`configSchema()`): a start without a config file or overrides never needs
 * it (CONFIG_DEFAULTS), and its ~50 Zod schemas cost several ms of every cold start.
 */
function buildConfigSchema() {
  return z.object({
    logLevel: z.enum(LOG_LEVELS).default('info'),
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
        maxBodyBytes: z
          .number()
          .int()
          .positive()
          .default(4 * 1024 * 1024),
        /** A listener beyond loopback without a token is refused unless this is set (`--allow-unauthenticated`). */
        allowUnauthenticated: z.boolean().default(false),
        /** @deprecated Stateless is the default since MCP 2026-07-28; kept so older configs still load. `sessions` turns 2025 sessions on. */
        stateless: z.boolean().default(false),
        /** Stateful Streamable HTTP sessions for 2025 clients (`--sessions`), a legacy option: off, every request is served on its own. */
        sessions: z.boolean().default(false),
        /** The deprecated HTTP+SSE transport on /sse + /messages (`--legacy-sse`), for 2024-era clients only. */
        legacySse: z.boolean().default(false),
        /** Open Streamable HTTP sessions at once (with `sessions`); a new one past the cap is answered 503. */
        maxSessions: z.number().int().positive().default(100),
        /** A session with no request for this long is closed (its next request gets 404). */
        sessionIdleTimeoutMs: z
          .number()
          .int()
          .positive()
          .default(30 * 60_000),
        /**
         * The HMAC key (at least 32 bytes) that signs the state a 2026-07-28 client carries between the
         * rounds of one call (`DSPEC_REQUEST_STATE_KEY`). Unset: a random key per process, so every round
         * must reach the same process; replicas behind a proxy need one shared key.
         */
        requestStateKey: z
          .string()
          .refine((key) => Buffer.byteLength(key) >= 32, 'http.requestStateKey (DSPEC_REQUEST_STATE_KEY) must be at least 32 bytes')
          .optional(),
      })
      .prefault({}),
    limits: z
      .object({
        /** Largest theme document accepted, in bytes of JSON. */
        maxThemeBytes: z
          .number()
          .int()
          .positive()
          .default(8 * 1024 * 1024),
        /** Largest number of tokens in one theme. */
        maxTokens: z.number().int().positive().default(200_000),
        /** Time limit of one tool call; past it the call is stopped and answered with an error. */
        toolTimeoutMs: z.number().int().positive().default(120_000),
        /** Expensive calls (generation, validation, export) running at once per process; more answer "busy". */
        maxConcurrentExpensiveCalls: z.number().int().positive().default(4),
      })
      .prefault({}),
    generation: z
      .object({
        /**
         * Providers to try, in order (`DSPEC_PROVIDER=anthropic,openai-compatible`). Empty means
         * automatic: anthropic when ANTHROPIC_API_KEY is set, else openai-compatible when
         * OPENAI_BASE_URL is set, else the client's model through MCP sampling when it offers it.
         */
        providers: z.array(z.enum(['anthropic', 'openai-compatible', 'mcp-sampling', 'none'])).default([]),
        /** Model of the first provider (`DSPEC_MODEL`); the per-provider settings name the others'. */
        model: z.string().min(1).optional(),
        anthropic: z
          .object({
            /** Without `/v1` (`ANTHROPIC_BASE_URL`). */
            baseUrl: z.string().url().optional(),
            model: z.string().min(1).default('claude-sonnet-4-6'),
          })
          .prefault({}),
        openaiCompatible: z
          .object({
            /**
             * Including `/v1` (`OPENAI_BASE_URL`), e.g. Ollama's `http://127.0.0.1:11434/v1`. Unset:
             * OpenAI's own API, so an `OPENAI_API_KEY` is never sent to a local port by default.
             */
            baseUrl: z.string().url().optional(),
            /** Default: `gpt-5.4-mini` on OpenAI's API, `qwen2.5-coder:14b` on a local server. */
            model: z.string().min(1).optional(),
          })
          .prefault({}),
        /** Model hint passed to an MCP client that samples for us. */
        samplingModelHint: z.string().min(1).optional(),
        /** Output-token budget of the first attempt; a truncated answer is retried with double, up to the ceiling. */
        maxTokens: z.number().int().positive().default(8192),
        maxTokensCeiling: z.number().int().positive().default(32_000),
        /** Attempts in all, the first one included: a failed one is repaired with the gate's findings. */
        maxAttempts: z.number().int().min(1).max(3).default(3),
        /** always: read and write, cache errors fail the request; if-available: read and write, cache errors are logged and ignored; never: bypass. */
        cacheStrategy: z.enum(['always', 'if-available', 'never']).default('if-available'),
        /** A cache miss is an error instead of a call (`DSPEC_CACHE_ONLY=1`, CLI `--cached`). */
        cacheOnly: z.boolean().default(false),
        /** Time allowed for a provider to start answering (response headers); the body is streamed. */
        timeoutMs: z.number().int().positive().default(180_000),
        /**
         * A streamed answer that sends no bytes for this long ends its attempt as a retryable
         * timeout (with the usage streamed so far); a long answer that keeps streaming is never cut.
         */
        idleTimeoutMs: z.number().int().positive().default(60_000),
        /** The whole generation's deadline: retries that would wait past it are not made. */
        deadlineMs: z.number().int().positive().default(600_000),
        retry: z
          .object({
            maxRetries: z.number().int().min(0).max(10).default(4),
            baseDelayMs: z.number().int().min(0).default(500),
            maxDelayMs: z.number().int().min(0).default(8000),
            maxTotalWaitMs: z.number().int().min(0).default(60_000),
          })
          .prefault({}),
        breaker: z
          .object({
            failureThreshold: z.number().int().min(1).default(5),
            coolDownMs: z.number().int().min(0).default(30_000),
          })
          .prefault({}),
        /** Where outputs that failed validation are kept for diagnosis, relative to the state directory. */
        failedDir: z.string().default('failed'),
      })
      .prefault({}),
    cost: z
      .object({
        /** Model id → USD per million tokens; overrides or extends the built-in dated table. */
        prices: z
          .record(
            z.string().min(1),
            z.object({
              input: z.number().min(0),
              output: z.number().min(0),
              cacheWrite: z.number().min(0).optional(),
              cacheRead: z.number().min(0).optional(),
            }),
          )
          .default({}),
        /**
         * With a budget set, a call to a model without a price is refused (its cost could not be
         * counted against the budget); true lets such calls run anyway, recorded as unpriced.
         */
        allowUnpriced: z.boolean().default(false),
      })
      .prefault({}),
    cache: z
      .object({
        /**
         * `s3://bucket/prefix` (`DSPEC_CACHE_URL`): the generation cache in an S3-compatible store,
         * shared by replicas; the AWS SDK's variables say where and as whom. Unset: files under `<home>/cache/`.
         */
        url: z.string().startsWith('s3://', 'cache.url (DSPEC_CACHE_URL) must be an s3://bucket/prefix URL').optional(),
      })
      .prefault({}),
    database: z
      .object({
        /**
         * `postgres://…` (`DSPEC_DATABASE_URL`): the cost ledger, budgets, holds of calls in flight and
         * breaker streaks in PostgreSQL, shared by replicas. Unset: files under the state directory.
         */
        url: z
          .string()
          .regex(/^postgres(ql)?:\/\//i, 'database.url (DSPEC_DATABASE_URL) must be a postgres:// or postgresql:// URL')
          .optional(),
        /** Apply pending migrations on first use (`DSPEC_DATABASE_MIGRATE=1`); otherwise `dspec db migrate` must have run. */
        migrateOnStart: z.boolean().default(false),
        /** A budget hold lapses this long after it was taken, whatever became of its replica (`DSPEC_RESERVATION_TTL_MS`). */
        reservationTtlMs: z
          .number()
          .int()
          .positive()
          .default(15 * 60_000),
        /**
         * A replica's claim on a spec it is generating lapses this long after its last renewal
         * (renewed every third of it), so a replica that died holds up the others at most this long (`DSPEC_CLAIM_LEASE_MS`).
         */
        claimLeaseMs: z.number().int().positive().default(30_000),
      })
      .prefault({}),
  });
}

let builtConfigSchema: ReturnType<typeof buildConfigSchema> | undefined;
/** The configuration schema, built once (the library exports it as `ConfigSchema`). */
export function configSchema(): ReturnType<typeof buildConfigSchema> {
  return (builtConfigSchema ??= buildConfigSchema());
}
export type Config = z.infer<ReturnType<typeof configSchema>>;
export type GenerationConfig = Config['generation'];
export type ConfigOverrides = z.input<ReturnType<typeof configSchema>>;

export const CONFIG_FILE_NAME = 'dspec.config.json';

function fromEnvironment(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const http: Record<string, unknown> = {};
  if (env.DSPEC_HTTP_HOST) http.host = env.DSPEC_HTTP_HOST;
  if (env.DSPEC_HTTP_PORT) http.port = Number(env.DSPEC_HTTP_PORT);
  if (env.DSPEC_HTTP_TOKEN) http.token = env.DSPEC_HTTP_TOKEN;
  if (env.DSPEC_REQUEST_STATE_KEY) http.requestStateKey = env.DSPEC_REQUEST_STATE_KEY;
  if (env.DSPEC_HTTP_ALLOWED_HOSTS)
    http.allowedHosts = env.DSPEC_HTTP_ALLOWED_HOSTS.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  if (env.DSPEC_HTTP_ALLOWED_ORIGINS)
    http.allowedOrigins = env.DSPEC_HTTP_ALLOWED_ORIGINS.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const result: Record<string, unknown> = {};
  const generation = generationFromEnvironment(env);
  if (Object.keys(generation).length) result.generation = generation;
  if (env.DSPEC_LOG_LEVEL) result.logLevel = env.DSPEC_LOG_LEVEL;
  if (env.DSPEC_HOME) result.home = env.DSPEC_HOME;
  const limits: Record<string, unknown> = {};
  if (env.DSPEC_TOOL_TIMEOUT_MS) limits.toolTimeoutMs = Number(env.DSPEC_TOOL_TIMEOUT_MS);
  if (env.DSPEC_MAX_CONCURRENT_CALLS) limits.maxConcurrentExpensiveCalls = Number(env.DSPEC_MAX_CONCURRENT_CALLS);
  if (Object.keys(limits).length) result.limits = limits;
  if (Object.keys(http).length) result.http = http;
  if (env.DSPEC_CACHE_URL) result.cache = { url: env.DSPEC_CACHE_URL };
  const database: Record<string, unknown> = {};
  if (env.DSPEC_DATABASE_URL) database.url = env.DSPEC_DATABASE_URL;
  if (env.DSPEC_DATABASE_MIGRATE) database.migrateOnStart = /^(1|true|yes)$/i.test(env.DSPEC_DATABASE_MIGRATE);
  if (env.DSPEC_RESERVATION_TTL_MS) database.reservationTtlMs = Number(env.DSPEC_RESERVATION_TTL_MS);
  if (env.DSPEC_CLAIM_LEASE_MS) database.claimLeaseMs = Number(env.DSPEC_CLAIM_LEASE_MS);
  if (Object.keys(database).length) result.database = database;
  return result;
}

/** Provider keys (ANTHROPIC_API_KEY, OPENAI_API_KEY) are deliberately not read here: they never enter the config object. */
function generationFromEnvironment(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const generation: Record<string, unknown> = {};
  const anthropic: Record<string, unknown> = {};
  const openaiCompatible: Record<string, unknown> = {};
  if (env.DSPEC_PROVIDER)
    generation.providers = env.DSPEC_PROVIDER.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  if (env.DSPEC_MODEL) generation.model = env.DSPEC_MODEL;
  if (env.DSPEC_CACHE_ONLY) generation.cacheOnly = /^(1|true|yes)$/i.test(env.DSPEC_CACHE_ONLY);
  if (env.DSPEC_CACHE_STRATEGY) generation.cacheStrategy = env.DSPEC_CACHE_STRATEGY;
  if (env.DSPEC_MAX_TOKENS) generation.maxTokens = Number(env.DSPEC_MAX_TOKENS);
  if (env.DSPEC_GENERATION_TIMEOUT_MS) generation.timeoutMs = Number(env.DSPEC_GENERATION_TIMEOUT_MS);
  if (env.DSPEC_IDLE_TIMEOUT_MS) generation.idleTimeoutMs = Number(env.DSPEC_IDLE_TIMEOUT_MS);
  if (env.DSPEC_SAMPLING_MODEL_HINT) generation.samplingModelHint = env.DSPEC_SAMPLING_MODEL_HINT;
  if (env.ANTHROPIC_BASE_URL) anthropic.baseUrl = env.ANTHROPIC_BASE_URL;
  if (env.DSPEC_ANTHROPIC_MODEL) anthropic.model = env.DSPEC_ANTHROPIC_MODEL;
  if (env.OPENAI_BASE_URL) openaiCompatible.baseUrl = env.OPENAI_BASE_URL;
  if (env.DSPEC_OPENAI_MODEL) openaiCompatible.model = env.DSPEC_OPENAI_MODEL;
  if (Object.keys(anthropic).length) generation.anthropic = anthropic;
  if (Object.keys(openaiCompatible).length) generation.openaiCompatible = openaiCompatible;
  return generation;
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
  const merged = mergeDeep(mergeDeep(fromFile, fromEnvironment(env)), options.flags ?? {});
  const defaultsWithTopLevel = defaultsUnlessNeedsSchema(merged);
  if (defaultsWithTopLevel) return defaultsWithTopLevel;
  const result = configSchema().safeParse(merged);
  if (!result.success) {
    throw new InputError('Invalid configuration', {
      issues: issuesFromZod(result.error.issues),
      suggestion: `Check ${CONFIG_FILE_NAME}, the DSPEC_* environment variables and the command-line flags.`,
    });
  }
  return result.data;
}

/**
 * What `configSchema().parse({})` returns, written out: a server started without a config file or
 * overrides (the usual stdio start) gets it without a Zod parse, whose first run costs several
 * ms of a ~250 ms cold start. test/infra/config-defaults-match-schema.test.ts proves it equal to
 * the schema's defaults and `loadConfig`'s answer equal to the schema's over generated inputs.
 */
export const CONFIG_DEFAULTS: Config = {
  logLevel: 'info',
  home: '.dspec',
  http: {
    host: '127.0.0.1',
    port: 3939,
    allowedOrigins: [],
    allowedHosts: [],
    maxBodyBytes: 4 * 1024 * 1024,
    allowUnauthenticated: false,
    stateless: false,
    sessions: false,
    legacySse: false,
    maxSessions: 100,
    sessionIdleTimeoutMs: 30 * 60_000,
  },
  limits: { maxThemeBytes: 8 * 1024 * 1024, maxTokens: 200_000, toolTimeoutMs: 120_000, maxConcurrentExpensiveCalls: 4 },
  generation: {
    providers: [],
    anthropic: { model: 'claude-sonnet-4-6' },
    openaiCompatible: {},
    maxTokens: 8192,
    maxTokensCeiling: 32_000,
    maxAttempts: 3,
    cacheStrategy: 'if-available',
    cacheOnly: false,
    timeoutMs: 180_000,
    idleTimeoutMs: 60_000,
    deadlineMs: 600_000,
    retry: { maxRetries: 4, baseDelayMs: 500, maxDelayMs: 8000, maxTotalWaitMs: 60_000 },
    breaker: { failureThreshold: 5, coolDownMs: 30_000 },
    failedDir: 'failed',
  },
  cost: { prices: {}, allowUnpriced: false },
  cache: {},
  database: { migrateOnStart: false, reservationTtlMs: 15 * 60_000, claimLeaseMs: 30_000 },
};

/**
 * The defaults, when the merged sources set nothing but a valid `logLevel` and `home` (and
 * empty sections, as `serve` passes `http: {}`); undefined when anything else needs the schema.
 */
function defaultsUnlessNeedsSchema(merged: Record<string, unknown>): Config | undefined {
  const config = structuredClone(CONFIG_DEFAULTS);
  for (const [key, value] of Object.entries(merged)) {
    if (key === 'logLevel' && (LOG_LEVELS as readonly unknown[]).includes(value)) config.logLevel = value as Config['logLevel'];
    else if (key === 'home' && typeof value === 'string') config.home = value;
    else if (!(Object.hasOwn(config, key) && key !== 'logLevel' && key !== 'home' && isEmptyPlainObject(value))) return undefined;
  }
  return config;
}

function isEmptyPlainObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype && Object.keys(value).length === 0;
}

export function resolveHome(config: Config, cwd = process.cwd()): string {
  return path.resolve(cwd, config.home);
}
