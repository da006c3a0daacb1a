import { LRUCache } from 'lru-cache';
import type { CacheEntry, CacheGetOptions, EntryAdmission } from './cache-entry.js';
import { componentOf, deepFreeze } from './cache-records.js';
import type { CacheVerifyFailure } from './file-cache.js';
import { verifyCacheEntryText } from './verify-entry.js';

/**
 * The path a stored entry takes before it is served, the same for every backend (files, S3):
 * L1 first, then the stored copy verified, then admitted (the gate), and only then kept in L1.
 */

/** L1: admitted, frozen entries and the bytes of their JSON. */
export type EntryMemory = LRUCache<string, { entry: CacheEntry; bytes: number }>;

/** Per-process counters every backend reports in its stats. */
export interface EntryReadCounters {
  memoryHits: number;
  memoryMisses: number;
  diskHits: number;
  diskMisses: number;
  quarantined: number;
}

const DEFAULT_MEMORY_ENTRIES = 500;
const DEFAULT_MEMORY_BYTES = 64 * 1024 * 1024;

export function createEntryMemory(bounds: { maxMemoryEntries?: number | undefined; maxMemoryBytes?: number | undefined }): EntryMemory {
  return new LRUCache({
    max: bounds.maxMemoryEntries ?? DEFAULT_MEMORY_ENTRIES,
    maxSize: bounds.maxMemoryBytes ?? DEFAULT_MEMORY_BYTES,
    sizeCalculation: (value) => Math.max(1, value.bytes),
  });
}

/** How one backend reads the copy stored under a key and moves a bad copy aside. */
export interface StoredEntrySource<Stored extends { text: string }> {
  memory: EntryMemory;
  counters: EntryReadCounters;
  /** The stored copy, or undefined when there is none. */
  read(): Promise<Stored | undefined>;
  /** Quarantines exactly the copy that was judged (a newer one another writer put there stays). */
  quarantine(judged: Stored, reason: string, details?: unknown): Promise<void>;
}

/** An entry for `key`: from L1, or its stored copy once verified and (with `admit`) admitted; undefined otherwise. */
export async function readStoredEntry<Stored extends { text: string }>(key: string, options: CacheGetOptions, source: StoredEntrySource<Stored>): Promise<CacheEntry | undefined> {
  const { memory, counters } = source;
  const cached = memory.get(key);
  if (cached) {
    counters.memoryHits++;
    return cached.entry;
  }
  counters.memoryMisses++;
  const stored = await source.read();
  if (!stored) {
    counters.diskMisses++;
    return undefined;
  }
  const verdict = verifyCacheEntryText(stored.text, key);
  if (!verdict.ok) {
    await source.quarantine(stored, verdict.reason);
    counters.diskMisses++;
    return undefined;
  }
  const entry = deepFreeze(verdict.entry);
  if (options.admit) {
    // A stored copy may come from a commit, a pull, an edit or another replica under another gate: it is judged before it is served.
    const admitted = await options.admit(entry);
    if (!admitted.ok) {
      await source.quarantine(stored, admitted.reason, admitted.details);
      counters.diskMisses++;
      return undefined;
    }
    memory.set(key, { entry, bytes: Buffer.byteLength(stored.text) });
  }
  counters.diskHits++;
  return entry;
}

/** Why a stored copy fails `verify` (integrity, then `admit`), or undefined when it passes. */
export async function failureOfStoredEntry(key: string, text: string, admit: EntryAdmission | undefined): Promise<CacheVerifyFailure | undefined> {
  const verdict = verifyCacheEntryText(text, key);
  if (!verdict.ok) return { key, component: componentOf(text), reason: verdict.reason };
  if (!admit) return undefined;
  const admitted = await admit(deepFreeze(verdict.entry));
  if (admitted.ok) return undefined;
  return { key, component: verdict.entry.component, reason: admitted.reason, ...(admitted.details === undefined ? {} : { details: admitted.details }) };
}
