import { createFileCache, type CacheLogger, type FileCache } from './file-cache.js';

/**
 * One FileCache per state directory in a process, so the generation path and `cache_stats`
 * (and every stateless HTTP server instance) share the L1 memory and its hit counters.
 */
const caches = new Map<string, FileCache>();

export function sharedFileCache(home: string, logger?: CacheLogger): FileCache {
  let cache = caches.get(home);
  if (!cache) {
    cache = createFileCache({ home, logger });
    caches.set(home, cache);
  }
  return cache;
}
