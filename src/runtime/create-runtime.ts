import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { CacheStore } from '../cache/cache-store.js';
import type { CostStore } from '../cost/cost-store.js';
import { CircuitBreakerRegistry } from '../generation/providers/circuit-breaker.js';
import { systemClock } from '../generation/clock.js';
import type { GenerationClaims } from '../generation/claims/generation-claims.js';
import type { GenerationContext } from '../generation/generation-context.js';
import { GenerationTelemetry } from '../generation/pipeline/telemetry.js';
import { resolveHome, type Config } from '../infra/config.js';
import type { Logger } from '../infra/logger.js';
import { once } from '../infra/once.js';
import type { JobStore } from '../jobs/job-store.js';
import type { PreviewRenderer } from '../preview/headless-browser.js';
import { ResolvedScreens } from '../preview/resolved-screens.js';
import { followCallLogger } from '../server/call-logger.js';
import { ConcurrencyGate } from '../server/concurrency-gate.js';
import type { ServerRuntime } from '../server/context.js';
import type { ValidationGate } from '../validation/validation-gate.js';
import { openExportStore } from './open-export-store.js';

export type { CacheStore } from '../cache/cache-store.js';
export type { CostReporting, CostStore } from '../cost/cost-store.js';
export type { GenerationContext, GenerationRuntime } from '../generation/generation-context.js';

/**
 * Every long-lived part of one dspec process (or of one test), built once by `createRuntime`
 * and handed to the server, the CLI commands and eval. Nothing below it keeps process-wide
 * state or reads `process.env`. The layers below see it through the narrower interfaces they
 * declare (`ServerRuntime`, `GenerationRuntime`), so they never import this folder.
 */
export type Runtime = ServerRuntime;

export interface CreateRuntimeOptions {
  config: Config;
  env: NodeJS.ProcessEnv;
  cwd: string;
  logger: Logger;
  /**
   * A gate to use instead of building one, kept open by `close()`: its owner closes it. Tests
   * hand every runtime one gate, so the warm TypeScript service outlives each test's runtime.
   */
  gate?: ValidationGate;
}

/** The composition root: builds each part once, from the file backends under `home`. */
export function createRuntime(options: CreateRuntimeOptions): Runtime {
  const { config, env, cwd, logger } = options;
  const home = resolveHome(config, cwd);
  const breakers = new CircuitBreakerRegistry(config.generation.breaker, systemClock);
  const telemetry = new GenerationTelemetry();
  // The shared parts log through the running tool call's logger, so its client sees their lines.
  const partsLogger = followCallLogger(logger);
  let browser: PreviewRenderer | undefined;
  let ownGate: ValidationGate | undefined;
  let closed = false;

  const providers = once(async () => {
    const { createProviderRegistry } = await import('../generation/providers/select-providers.js');
    return createProviderRegistry(config.generation, env);
  });
  const cache = once(async (): Promise<CacheStore> => {
    const { openCacheStore } = await import('../cache/open-cache-store.js');
    return openCacheStore({ url: config.cache.url, home, env, logger: partsLogger });
  });
  let openedCosts: CostStore | undefined;
  const costs = once(async (): Promise<CostStore> => {
    const database = config.database;
    if (database.url) {
      // PostgreSQL and its driver load only when a database is configured.
      const { openPgCostStore } = await import('../cost/pg/open-pg-cost-store.js');
      openedCosts = await openPgCostStore({ url: database.url, config, logger: partsLogger, migrate: database.migrateOnStart, reservationTtlMs: database.reservationTtlMs });
      return openedCosts;
    }
    const { openCostState } = await import('../cost/open-cost-state.js');
    return openCostState({ home, config, logger: partsLogger });
  });
  let openedClaims: GenerationClaims | undefined;
  // With a database, replicas share claims there, so each spec that misses the shared cache is paid for once.
  const claims = once(async (): Promise<GenerationClaims> => {
    const { openGenerationClaims } = await import('../generation/claims/open-generation-claims.js');
    openedClaims = await openGenerationClaims({ databaseUrl: config.database.url, migrate: config.database.migrateOnStart, leaseMs: config.database.claimLeaseMs, logger: partsLogger });
    return openedClaims;
  });
  // Large exports for export:// reads: in the shared bucket with DSPEC_CACHE_URL, so any replica answers them.
  const exportStore = openExportStore({ cacheUrl: config.cache.url, env, logger: partsLogger });
  let closeJobStore: (() => void) | undefined;
  // With a shared cache, job records live beside it, so any replica answers a handle another minted.
  const jobs = once(async () => {
    const { JobRunner } = await import('../jobs/job-runner.js');
    let store: JobStore;
    if (config.cache.url) {
      const { openS3JobStore } = await import('../jobs/s3-job-store.js');
      const s3Store = openS3JobStore({ url: config.cache.url, env, logger: partsLogger });
      closeJobStore = () => s3Store.close();
      store = s3Store;
    } else {
      const { FileJobStore } = await import('../jobs/file-job-store.js');
      store = new FileJobStore(home, partsLogger);
    }
    return { store, runner: new JobRunner({ store, clock: () => new Date(), logger: partsLogger }) };
  });
  const generation = once(async (): Promise<GenerationContext> => {
    const [{ loadCatalog }, { createCatalogExampleSource }] = await Promise.all([import('../catalog/catalog.js'), import('../generation/prompts/example-source.js')]);
    const [registry, store, costState, catalog, generationClaims] = await Promise.all([providers(), cache(), costs(), loadCatalog(), claims()]);
    return {
      providers: registry,
      cache: store,
      costs: costState.tracker,
      failedDir: path.join(home, config.generation.failedDir),
      examples: createCatalogExampleSource(catalog),
      breakers,
      telemetry,
      claims: generationClaims,
    };
  });
  // Not memoised like the others: once the runtime is closed, no caller may get (and restart) its browser.
  const previewBrowser = async (): Promise<PreviewRenderer> => {
    const { createPreviewRenderer } = await import('../preview/render-host-client.js');
    if (closed) throw new Error('the runtime is closed; no preview browser is started');
    browser ??= createPreviewRenderer({ env, logger: partsLogger });
    return browser;
  };

  // The gate module loads the validation layers: only on the first ask, so start-up does not pay for it.
  const gate = async (): Promise<ValidationGate> => {
    const { ValidationGate } = await import('../validation/validation-gate.js');
    if (closed) throw new Error('the runtime is closed; it hands out no validation gate');
    if (options.gate) return options.gate;
    ownGate ??= new ValidationGate();
    return ownGate;
  };

  let requestStateKey: Uint8Array | undefined;
  return {
    config,
    env,
    cwd,
    home,
    logger,
    expensiveCalls: new ConcurrencyGate(config.limits.maxConcurrentExpensiveCalls),
    exports: exportStore.store,
    // A configured key is shared by the replicas of a team; a random one binds every round to this
    // process. Made on first use: only a sampling round needs it, and a start need not load node:crypto.
    get requestStateKey() {
      requestStateKey ??= config.http.requestStateKey ? new Uint8Array(Buffer.from(config.http.requestStateKey, 'utf8')) : new Uint8Array(randomBytes(32));
      return requestStateKey;
    },
    resolvedScreens: new ResolvedScreens(),
    telemetry,
    breakers,
    providers,
    cache,
    costs,
    jobs,
    generation,
    previewBrowser,
    gate,
    async previewBrowserStatus() {
      if (browser) return browser.status();
      const { idleBrowserStatus } = await import('../preview/render-host-client.js');
      return idleBrowserStatus(env);
    },
    async close() {
      closed = true;
      const started = browser;
      browser = undefined;
      ownGate?.close();
      ownGate = undefined;
      await started?.close();
      await openedClaims?.close();
      closeJobStore?.();
      closeJobStore = undefined;
      exportStore.close();
      const costStore = openedCosts;
      openedCosts = undefined;
      await costStore?.close?.();
    },
  };
}
