import { InputError } from '../errors.js';
import type { CacheEntry } from './cache-entry.js';
import type { CacheIndexRecord } from './cache-index.js';
import type { CacheListOptions, CacheListPage, CacheStats, CountBy } from './file-cache.js';

/**
 * The read models every cache backend derives from its entries' metadata (one record per
 * entry): the totals `stats` shows and the stable, cursor-paged order `list` walks. Pure
 * functions, shared by the file and the object-store backends so both answer alike.
 */

export function indexRecordOf(entry: CacheEntry, bytes: number): CacheIndexRecord {
  return {
    key: entry.key,
    component: entry.component,
    model: entry.provenance.model,
    provider: entry.provenance.provider,
    bytes,
    createdAt: entry.createdAt,
    cost: entry.cost,
  };
}

export type RecordTotals = Pick<CacheStats, 'entries' | 'totalBytes' | 'byComponent' | 'byModel' | 'byProvider' | 'oldest' | 'newest'>;

export function totalsOf(records: Iterable<CacheIndexRecord>): RecordTotals {
  const byComponent = new Map<string, CountBy>();
  const byModel = new Map<string, CountBy>();
  const byProvider = new Map<string, CountBy>();
  let entries = 0;
  let totalBytes = 0;
  let oldest: string | null = null;
  let newest: string | null = null;
  for (const record of records) {
    entries++;
    totalBytes += record.bytes;
    addTo(byComponent, record.component, record);
    addTo(byModel, record.model, record);
    addTo(byProvider, record.provider, record);
    if (oldest === null || record.createdAt < oldest) oldest = record.createdAt;
    if (newest === null || record.createdAt > newest) newest = record.createdAt;
  }
  return { entries, totalBytes, byComponent: sortedCounts(byComponent), byModel: sortedCounts(byModel), byProvider: sortedCounts(byProvider), oldest, newest };
}

/** One page of the records in a stable order (createdAt, then key), after the cursor's position. */
export function pageOfRecords(records: Iterable<CacheIndexRecord>, options: CacheListOptions = {}): CacheListPage {
  const limit = options.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new InputError('limit must be an integer from 1 to 10000');
  const after = options.cursor === undefined ? undefined : decodeCursor(options.cursor);
  const matching = [...records].filter((record) => options.component === undefined || record.component === options.component).sort(compareRecords);
  const start = after ? firstAfter(matching, after) : 0;
  const page = matching.slice(start, start + limit);
  const last = page.at(-1);
  return {
    entries: page,
    nextCursor: last && start + limit < matching.length ? encodeCursor(last) : null,
    total: matching.length,
  };
}

function addTo(map: Map<string, CountBy>, name: string, record: CacheIndexRecord): void {
  let count = map.get(name);
  if (!count) {
    count = { name, entries: 0, bytes: 0, cost: 0 };
    map.set(name, count);
  }
  count.entries++;
  count.bytes += record.bytes;
  count.cost = count.cost === null || record.cost === null ? null : count.cost + record.cost;
}

function sortedCounts(map: Map<string, CountBy>): CountBy[] {
  return [...map.values()].sort((a, b) => b.entries - a.entries || a.name.localeCompare(b.name));
}

export function compareRecords(a: CacheIndexRecord, b: CacheIndexRecord): number {
  return a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

interface CursorPosition {
  createdAt: string;
  key: string;
}

function encodeCursor(record: CacheIndexRecord): string {
  return Buffer.from(JSON.stringify([record.createdAt, record.key])).toString('base64url');
}

function decodeCursor(cursor: string): CursorPosition {
  try {
    const [createdAt, key] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof createdAt === 'string' && typeof key === 'string') return { createdAt, key };
  } catch {
    // falls through to the error below
  }
  throw new InputError('invalid cursor: pass back the nextCursor of the previous page unchanged');
}

/** Index of the first record after the cursor position (binary search over the sorted list). */
function firstAfter(sorted: CacheIndexRecord[], after: CursorPosition): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (compareRecords(sorted[middle]!, { ...sorted[middle]!, createdAt: after.createdAt, key: after.key }) <= 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The component named by an entry that failed verification, when it can be read at all. */
export function componentOf(text: string): string | null {
  try {
    const component = (JSON.parse(text) as { component?: unknown }).component;
    return typeof component === 'string' ? component : null;
  } catch {
    return null;
  }
}

/** Entries handed out are shared by every caller: frozen, so none can change another's. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
