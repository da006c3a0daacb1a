import type { ContentCache } from './cache-entry.js';
import type { CacheListOptions, CacheListPage, CacheStats } from './file-cache.js';

/**
 * The generation cache as its callers reach it: read and write entries (generation), and the
 * read models `cache_stats` shows. Files under `<home>/cache/` implement it today (FileCache);
 * an object-store backend would be another implementation, with no caller changed.
 */
export interface CacheStore extends ContentCache {
  stats(): Promise<CacheStats>;
  list(options?: CacheListOptions): Promise<CacheListPage>;
}
