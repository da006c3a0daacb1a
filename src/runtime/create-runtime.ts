import path from 'node:path';
import { resolveHome, type Config } from '../infra/config.js';
import type { Logger } from '../infra/logger.js';
import { CircuitBreakerRegistry } from '../generation/circuit-breaker.js';
import { systemClock } from '../generation/clock.js';
import type { ExampleSource } from '../generation/example-source.js';
import type { ProviderRegistry } from '../generation/select-providers.js';
import { GenerationTelemetry } from '../generation/telemetry.js';
import type { BrowserStatus, PreviewRenderer } from '../preview/headless-browser.js';
import { ExportStore } from '../screen/export-store.js';
import { ConcurrencyGate } from './concurrency-gate.js';
import type { CacheStore, CostStore } from './ports.js';

export type { CacheStore, CostReporting, CostStore } from './ports.js';
export { ConcurrencyGate } from './concurrency-gate.js';

/** What Tier 2 generation needs besides the request, all from one runtime. */
export interface GenerationContext {
  providers: ProviderRegistry;
  cache: CacheStore;
  costs: CostStore['tracker'];
  /** Absolute folder for outputs that failed validation. */
  failedDir: string;
  examples: ExampleSource;
  breakers: CircuitBreakerRegistry;
  telemetry: GenerationTelemetry;
}

/**
 * Every long-lived part of one dspec process (or of one test), built once by `createRuntime`
 * and handed to the server, the CLI commands and eval. Nothing below it keeps process-wide
 * state or reads `process.env`. Parts whose code is heavy load on first use, so a server start
 * or a `dspec theme css` pays only for what it touches.
 */
export interface Runtime {
  readonly config: Config;
  /** Where provider keys and the browser location are read from: the entry's environment, or a test's. */
  readonly env: NodeJS.ProcessEnv;
  /** Working directory that relative paths (state dir, export targets) resolve against. */
  readonly cwd: string;
  /** The state directory (`.dspec/` or DSPEC_HOME), absolute. */
  readonly home: string;
  readonly logger: Logger;
  /** Expensive tool calls in flight across every server built on this runtime (stateless HTTP: one per request). */
  readonly expensiveCalls: ConcurrencyGate;
  /** Large exports kept for `export://` reads across requests. */
  readonly exports: ExportStore;
  /** Retry and cache-hit counters since start, for `dspec://status`. */
  readonly telemetry: GenerationTelemetry;
  /** One circuit breaker per provider and model. */
  readonly breakers: CircuitBreakerRegistry;
  providers(): Promise<ProviderRegistry>;
  cache(): Promise<CacheStore>;
  costs(): Promise<CostStore>;
  generation(): Promise<GenerationContext>;
  /** The headless browser of `preview` (a driver child in the built package), started by its first render. */
  previewBrowser(): Promise<PreviewRenderer>;
  /** Never starts a browser: without a preview so far, where one would come from. */
  previewBrowserStatus(): Promise<BrowserStatus>;
  /** Ends what the runtime started (the browser and its driver, their timers). Idempotent. */
  close(): Promise<void>;
}

export interface CreateRuntimeOptions {
  config: Config;
  env: NodeJS.ProcessEnv;
  cwd: string;
  logger: Logger;
}

/** Memoises an async builder; a failed build is forgotten so the next call tries again. */
function once<T>(build: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    if (!pending) {
      pending = build();
      pending.catch(() => {
        pending = undefined;
      });
    }
    return pending;
  };
}

/** The composition root: builds each part once, from the file backends under `home`. */
export function createRuntime(options: CreateRuntimeOptions): Runtime {
  const { config, env, cwd, logger } = options;
  const home = resolveHome(config, cwd);
  const breakers = new CircuitBreakerRegistry(config.generation.breaker, systemClock);
  const telemetry = new GenerationTelemetry();
  let browser: PreviewRenderer | undefined;
  let closed = false;

  const providers = once(async () => {
    const { createProviderRegistry } = await import('../generation/select-providers.js');
    return createProviderRegistry(config.generation, env);
  });
  const cache = once(async (): Promise<CacheStore> => {
    const { createFileCache } = await import('../cache/file-cache.js');
    return createFileCache({ home, logger });
  });
  const costs = once(async (): Promise<CostStore> => {
    const { openCostState } = await import('../cost/open-cost-state.js');
    return openCostState({ home, config, logger });
  });
  const generation = once(async (): Promise<GenerationContext> => {
    const [{ loadCatalog }, { createCatalogExampleSource }] = await Promise.all([import('../catalog/catalog.js'), import('../generation/example-source.js')]);
    const [registry, store, costState, catalog] = await Promise.all([providers(), cache(), costs(), loadCatalog()]);
    return {
      providers: registry,
      cache: store,
      costs: costState.tracker,
      failedDir: path.join(home, config.generation.failedDir),
      examples: createCatalogExampleSource(catalog),
      breakers,
      telemetry,
    };
  });
  // Not memoised like the others: once the runtime is closed, no caller may get (and restart) its browser.
  const previewBrowser = async (): Promise<PreviewRenderer> => {
    const { createPreviewRenderer } = await import('../preview/render-host-client.js');
    if (closed) throw new Error('the runtime is closed; no preview browser is started');
    browser ??= createPreviewRenderer({ env, logger });
    return browser;
  };

  return {
    config,
    env,
    cwd,
    home,
    logger,
    expensiveCalls: new ConcurrencyGate(config.limits.maxConcurrentExpensiveCalls),
    exports: new ExportStore(),
    telemetry,
    breakers,
    providers,
    cache,
    costs,
    generation,
    previewBrowser,
    async previewBrowserStatus() {
      if (browser) return browser.status();
      const { idleBrowserStatus } = await import('../preview/render-host-client.js');
      return idleBrowserStatus(env);
    },
    async close() {
      closed = true;
      const started = browser;
      browser = undefined;
      await started?.close();
    },
  };
}
