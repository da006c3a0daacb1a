import type { ImportReport } from './cache-archive.js';
import type { ContentCache, EntryAdmission } from './cache-entry.js';
import type { CacheClearTarget, CacheListOptions, CacheListPage, CacheStats, CacheVerifyReport } from './file-cache.js';

/**
 * The generation cache as its callers reach it: read and write entries (generation), and the
 * read models `cache_stats` shows. Files under `<home>/cache/` implement it (FileCache, the
 * default) and so does an S3-compatible bucket (S3Cache, when `DSPEC_CACHE_URL` is set), with
 * no caller changed.
 */
export interface CacheStore extends ContentCache {
  stats(): Promise<CacheStats>;
  list(options?: CacheListOptions): Promise<CacheListPage>;
}

/** What `dspec cache …` does to whichever backend is configured; archives are interchangeable between backends. */
export interface ManagedCacheStore extends CacheStore {
  verify(options?: { admit?: EntryAdmission; fix?: boolean }): Promise<CacheVerifyReport>;
  clear(target: CacheClearTarget): Promise<{ removed: number }>;
  exportArchive(outFile: string): Promise<{ exported: number; file: string }>;
  importArchive(archiveFile: string, options?: { admit?: EntryAdmission }): Promise<ImportReport>;
}
