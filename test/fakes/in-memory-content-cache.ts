import { CacheEntrySchema, type CacheEntry, type ContentCache } from '../../src/cache/cache-entry.js';
import { cacheKeyOf, hashBundle } from '../../src/cache/canonical-json.js';

/** A ContentCache in a Map, with the same integrity checks as the file cache's `get`. */
export class InMemoryContentCache implements ContentCache {
  readonly entries = new Map<string, unknown>();
  gets = 0;
  sets = 0;
  rejected = 0;

  async get(key: string): Promise<CacheEntry | undefined> {
    this.gets++;
    const raw = this.entries.get(key);
    if (raw === undefined) return undefined;
    const parsed = CacheEntrySchema.safeParse(raw);
    if (!parsed.success || parsed.data.key !== key || cacheKeyOf(parsed.data.keyMaterial) !== key || hashBundle(parsed.data.value) !== parsed.data.provenance.generationHash) {
      this.rejected++;
      this.entries.delete(key);
      return undefined;
    }
    return structuredClone(parsed.data);
  }

  async set(entry: CacheEntry): Promise<void> {
    this.sets++;
    this.entries.set(entry.key, structuredClone(CacheEntrySchema.parse(entry)));
  }
}
