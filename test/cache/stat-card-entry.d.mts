import type { CacheEntry } from '../../src/cache/cache-entry.js';
import type { cacheKeyOf, hashBundle } from '../../src/cache/canonical-json.js';
import type { toBundle, GeneratedComponent } from '../../src/generation/pipeline/model-answer.js';
import type { BundleSchema } from '../../src/shapes/bundle.js';

/** dspec's own functions the entry is built with: from src/ in tests, from dist/ in benches. */
export interface EntryCodec {
  cacheKeyOf: typeof cacheKeyOf;
  hashBundle: typeof hashBundle;
  toBundle: typeof toBundle;
  BundleSchema: Pick<typeof BundleSchema, 'parse'>;
}

export declare function statCardEntryOf(
  codec: EntryCodec,
  options: { keyMaterial: Record<string, unknown>; output: GeneratedComponent; createdAt: string; provenance?: Partial<CacheEntry['provenance']> },
): CacheEntry;
