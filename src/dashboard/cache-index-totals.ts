import { readIndex } from '../cache/cache-index.js';

export interface CacheIndexTotals {
  entries: number;
  bytes: number;
  byModel: Map<string, number>;
}

/**
 * Entries, bytes and entries per model from `<home>/cache/index.jsonl`, as the cache's own
 * reader sees it (last line per key wins; torn or corrupt lines skipped); null when there is
 * no index yet.
 */
export async function readCacheIndexTotals(file: string): Promise<CacheIndexTotals | null> {
  const snapshot = await readIndex(file);
  if (!snapshot) return null;
  const byModel = new Map<string, number>();
  let bytes = 0;
  for (const record of snapshot.records.values()) {
    bytes += record.bytes;
    byModel.set(record.model, (byModel.get(record.model) ?? 0) + 1);
  }
  return { entries: snapshot.records.size, bytes, byModel };
}
