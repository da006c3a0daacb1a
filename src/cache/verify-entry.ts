import { CacheEntrySchema, type CacheEntry } from './cache-entry.js';
import { cacheKeyOf, hashBundle } from './canonical-json.js';

export type EntryVerdict = { ok: true; entry: CacheEntry } | { ok: false; reason: string };

/**
 * The checks every entry passes before it is served, stored or imported: its schema, its key
 * is the hash of its `keyMaterial` (and the key it was looked up by), and its bundle hashes to
 * `provenance.generationHash`. Bundle defaults are applied by the schema before hashing, so a
 * writer must hash the parsed bundle too (`set` does it through this same function).
 */
export function verifyCacheEntry(raw: unknown, expectedKey?: string): EntryVerdict {
  const parsed = CacheEntrySchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return { ok: false, reason: `schema: ${first ? `${first.path.join('.') || '(root)'}: ${first.message}` : 'invalid'}` };
  }
  const entry = parsed.data;
  if (expectedKey !== undefined && entry.key !== expectedKey) return { ok: false, reason: `key ${entry.key.slice(0, 12)}… is stored under ${expectedKey.slice(0, 12)}…` };
  let materialKey: string;
  let bundleHash: string;
  try {
    materialKey = cacheKeyOf(entry.keyMaterial);
    bundleHash = hashBundle(entry.value);
  } catch (error) {
    return { ok: false, reason: `unhashable: ${(error as Error).message}` };
  }
  if (materialKey !== entry.key) return { ok: false, reason: 'key is not the SHA-256 of keyMaterial' };
  if (entry.provenance.cacheKey !== entry.key) return { ok: false, reason: 'provenance.cacheKey differs from key' };
  if (bundleHash !== entry.provenance.generationHash) return { ok: false, reason: 'bundle does not hash to provenance.generationHash' };
  return { ok: true, entry };
}

/** Parses a stored file's text and verifies it; a parse failure is just another reason. */
export function verifyCacheEntryText(text: string, expectedKey?: string): EntryVerdict {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `unparseable JSON: ${(error as Error).message}` };
  }
  return verifyCacheEntry(raw, expectedKey);
}
