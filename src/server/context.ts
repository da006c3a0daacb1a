import type { CacheStore } from '../cache/cache-store.js';
import type { CostStore } from '../cost/cost-store.js';
import type { CircuitBreakerRegistry } from '../generation/providers/circuit-breaker.js';
import type { GenerationRuntime } from '../generation/generation-context.js';
import type { ProviderRegistry } from '../generation/providers/select-providers.js';
import type { GenerationTelemetry } from '../generation/pipeline/telemetry.js';
import type { Config } from '../infra/config.js';
import type { Logger } from '../infra/logger.js';
import type { BrowserStatus, PreviewRenderer } from '../preview/headless-browser.js';
import type { ResolvedScreens } from '../preview/resolved-screens.js';
import type { JobRunner } from '../jobs/job-runner.js';
import type { JobStore } from '../jobs/job-store.js';
import type { ExportStore } from '../screen/export-store.js';
import type { ConcurrencyGate } from './concurrency-gate.js';

/**
 * The long-lived parts every server of a process shares, built once by the composition root
 * (`createRuntime` in src/runtime/). Parts whose code is heavy load on first use.
 */
export interface ServerRuntime extends GenerationRuntime {
  /** Where provider keys and the browser location are read from: the entry's environment, or a test's. */
  readonly env: NodeJS.ProcessEnv;
  /** Expensive tool calls in flight across every server built on this runtime (stateless HTTP: one per request). */
  readonly expensiveCalls: ConcurrencyGate;
  /** Screens resolved for previews, so a preview of a screen reuses its export. */
  readonly resolvedScreens: ResolvedScreens;
  /** Large exports kept for `export://` reads across requests. */
  readonly exports: ExportStore;
  /** Signs the state a 2026-07-28 client carries between the rounds of one call (client-sampling.ts). */
  readonly requestStateKey: Uint8Array;
  /** Retry and cache-hit counters since start, for `dspec://status`. */
  readonly telemetry: GenerationTelemetry;
  /** One circuit breaker per provider and model. */
  readonly breakers: CircuitBreakerRegistry;
  providers(): Promise<ProviderRegistry>;
  cache(): Promise<CacheStore>;
  costs(): Promise<CostStore>;
  /** Long calls by handle: the runner of this process and the store any replica answers `job_status` from. */
  jobs(): Promise<{ store: JobStore; runner: JobRunner }>;
  /** The headless browser of `preview` (a driver child in the built package), started by its first render. */
  previewBrowser(): Promise<PreviewRenderer>;
  /** Never starts a browser: without a preview so far, where one would come from. */
  previewBrowserStatus(): Promise<BrowserStatus>;
  /** Ends what the runtime started (the browser and its driver, their timers, the gate's checker). Idempotent. */
  close(): Promise<void>;
}

/**
 * Everything a tool may use, handed to `createServer` explicitly (no module singletons): the
 * runtime's long-lived parts, and shortcuts to its config and working directory. `logger` is the
 * runtime's, or within one server a tee that also sends lines to the client.
 */
export interface ServerDeps {
  runtime: ServerRuntime;
  config: Config;
  logger: Logger;
  /** Working directory that relative paths (state dir, export targets) resolve against. */
  cwd: string;
  version: string;
}

/** The deps of servers built on `runtime`: every server (stateless HTTP: one per request) shares its parts. */
export function serverDepsOf(runtime: ServerRuntime, version: string): ServerDeps {
  return { runtime, config: runtime.config, logger: runtime.logger, cwd: runtime.cwd, version };
}
