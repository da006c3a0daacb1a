import * as z from 'zod';
import { BundleSchema } from '../shapes/bundle.js';

/** Token usage of the generation that produced an entry (summed over its attempts). */
export const UsageSchema = z.object({
  inputTokens: z.number().int().min(0),
  outputTokens: z.number().int().min(0),
  cacheWriteTokens: z.number().int().min(0).default(0),
  cacheReadTokens: z.number().int().min(0).default(0),
});
export type Usage = z.infer<typeof UsageSchema>;

/** Where a generated bundle came from: enough to reproduce or audit it. */
export const ProvenanceSchema = z.object({
  specHash: z.string(),
  promptId: z.string(),
  promptVersion: z.string(),
  promptHash: z.string(),
  provider: z.string(),
  model: z.string(),
  generationHash: z.string().describe('SHA-256 of the validated bundle contents.'),
  cacheKey: z.string(),
  timestamp: z.string(),
  dspecVersion: z.string(),
  attempts: z.number().int().min(1),
  validatorVersion: z.string(),
  catalogVersion: z.string(),
  themeHash: z.string().nullable(),
  /** The gate fingerprint the bundle passed under (absent in entries made before it existed). */
  gateFingerprint: z.string().optional(),
});
export type Provenance = z.infer<typeof ProvenanceSchema>;

/** One file `.dspec/cache/<2 hex>/<key>.json`: a validated bundle and how it was made. */
export const CacheEntrySchema = z.object({
  key: z.string().regex(/^[0-9a-f]{64}$/),
  component: z.string(),
  /** The inputs the key was hashed from (canonical JSON → SHA-256 = key), so a reader can verify it. */
  keyMaterial: z.record(z.string(), z.unknown()),
  value: BundleSchema,
  provenance: ProvenanceSchema,
  usage: UsageSchema,
  /** USD the generation cost (null when the model was unpriced). */
  cost: z.number().nullable(),
  createdAt: z.string(),
});
export type CacheEntry = z.infer<typeof CacheEntrySchema>;

/**
 * Whether an entry may be served. The cache does not know what makes a value acceptable: the
 * layer that stores values decides (generation runs the validation gate) and the cache keeps
 * the verdict's consequences (a refused entry is quarantined with `details`, never served).
 */
export type AdmissionVerdict = { ok: true } | { ok: false; reason: string; details?: unknown };
export type EntryAdmission = (entry: CacheEntry) => Promise<AdmissionVerdict>;

export interface CacheGetOptions {
  /**
   * Judges an entry read from disk before it is first served by this process; only admitted
   * entries enter the memory cache. Without it, a disk entry is served but not kept in memory.
   */
  admit?: EntryAdmission | undefined;
}

/**
 * What generation needs from the content-addressed cache. `get` never returns an entry that
 * fails its schema, whose key is not the hash of its `keyMaterial`, or whose bundle does not
 * hash to `provenance.generationHash`: such a file is moved aside,
 * reported, and treated as a miss.
 */
export interface ContentCache {
  get(key: string, options?: CacheGetOptions): Promise<CacheEntry | undefined>;
  set(entry: CacheEntry): Promise<void>;
}
