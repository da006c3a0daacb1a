import path from 'node:path';
import type { FileCache } from '../cache/file-cache.js';
import { sharedFileCache } from '../cache/shared-file-cache.js';
import { loadCatalog } from '../catalog/catalog.js';
import { openCostState } from '../cost/open-cost-state.js';
import type { FileCostTracker } from '../cost/create-cost-tracker.js';
import { resolveHome, type Config } from '../infra/config.js';
import type { Logger } from '../infra/logger.js';
import { createCatalogExampleSource } from './example-source.js';
import type { ExampleSource } from './example-source.js';
import { createProviderRegistry, type ProviderRegistry } from './select-providers.js';

/** The long-lived collaborators of Tier 2 generation in one process: providers, cache, costs. */
export interface GenerationContext {
  registry: ProviderRegistry;
  cache: FileCache;
  costs: FileCostTracker;
  failedDir: string;
  examples: ExampleSource;
}

/**
 * One context per configuration and working directory, built on the first Tier 2 request
 * (stateless HTTP builds a server per request; they must share the L1 cache and breakers).
 */
const contexts = new Map<string, Promise<GenerationContext>>();

export function getGenerationContext(config: Config, cwd: string, logger: Logger, env: NodeJS.ProcessEnv = process.env): Promise<GenerationContext> {
  const home = resolveHome(config, cwd);
  const key = `${home}\0${JSON.stringify(config.generation)}`;
  let context = contexts.get(key);
  if (!context) {
    context = (async () => {
      const catalog = await loadCatalog();
      return {
        registry: createProviderRegistry(config.generation, env),
        cache: sharedFileCache(home, logger),
        costs: openCostState({ home, config, logger }).tracker,
        failedDir: path.join(home, config.generation.failedDir),
        examples: createCatalogExampleSource(catalog),
      };
    })();
    contexts.set(key, context);
    context.catch(() => contexts.delete(key));
  }
  return context;
}
