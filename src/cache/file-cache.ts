import { randomBytes } from 'node:crypto';
import { link, mkdir, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../errors.js';
import { writeFileAtomic } from '../infra/atomic-write.js';
import type { ImportReport } from './cache-archive.js';
import type { CacheEntry, CacheGetOptions, ContentCache, EntryAdmission } from './cache-entry.js';
import { appendIndexRecord, readIndex, rewriteIndex, type CacheIndexRecord } from './cache-index.js';
import { cachePathsOf, entryFileOf, ENTRY_FILE_PATTERN, KEY_PATTERN, SHARD_PATTERN, type CachePaths } from './cache-paths.js';
import { compareRecords, deepFreeze, indexRecordOf, pageOfRecords, totalsOf } from './cache-records.js';
import { createEntryMemory, failureOfStoredEntry, readStoredEntry, type EntryMemory, type EntryReadCounters } from './stored-entry-path.js';
import { verifyCacheEntry, verifyCacheEntryText } from './verify-entry.js';

/** The one logging call the cache makes; a pino logger fits. */
export interface CacheLogger {
  warn(details: Record<string, unknown>, message: string): void;
}

export interface FileCacheOptions {
  /** The state directory (`resolveHome(config, cwd)`); files go to `<home>/cache/`. */
  home: string;
  logger?: CacheLogger;
  /** L1 bounds: entry count and total bytes of the entries' JSON. */
  maxMemoryEntries?: number;
  maxMemoryBytes?: number;
  clock?: () => Date;
}

export interface CountBy {
  name: string;
  entries: number;
  bytes: number;
  /** USD the cached generations cost when they were made; null when any of them was unpriced. */
  cost: number | null;
}

export interface CacheStats {
  entries: number;
  totalBytes: number;
  byComponent: CountBy[];
  byModel: CountBy[];
  byProvider: CountBy[];
  oldest: string | null;
  newest: string | null;
  /** Files now in `<home>/cache/quarantine/`. */
  quarantined: number;
  index: { lines: number; corruptLines: number; rebuilt: boolean; repairedEntries: number; droppedEntries: number };
  /** Counters of this process since the cache object was made. */
  process: { memoryHits: number; memoryMisses: number; diskHits: number; diskMisses: number; quarantined: number; memoryEntries: number; memoryBytes: number };
}

export interface CacheListOptions {
  component?: string;
  limit?: number;
  cursor?: string;
}

export interface CacheListPage {
  entries: CacheIndexRecord[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
  /** Entries matching the filter, over all pages. */
  total: number;
}

/** One entry `verify` refused, and why. */
export interface CacheVerifyFailure {
  key: string;
  component: string | null;
  reason: string;
  details?: unknown;
}

export interface CacheVerifyReport {
  checked: number;
  passed: number;
  failed: CacheVerifyFailure[];
  /** Entries moved to quarantine (only with `fix`). */
  quarantined: number;
}

export type CacheClearTarget = { component: string } | { all: true };

interface Reconciled {
  records: Map<string, CacheIndexRecord>;
  lines: number;
  corruptLines: number;
  rebuilt: boolean;
  repaired: number;
  dropped: number;
}

/** Above this many missing index lines, one atomic rewrite is cheaper than many appends. */
const APPEND_REPAIR_LIMIT = 64;

/**
 * The content-addressed cache: L1 an in-process LRU, L2 one JSON file per entry under
 * `<home>/cache/<2 hex>/<key>.json`, written atomically so several processes can read and
 * write the same directory. Entries handed out are frozen: they are shared by every caller.
 */
export class FileCache implements ContentCache {
  readonly paths: CachePaths;
  private readonly logger: CacheLogger | undefined;
  private readonly clock: () => Date;
  private readonly memory: EntryMemory;
  private readonly counters: EntryReadCounters = { memoryHits: 0, memoryMisses: 0, diskHits: 0, diskMisses: 0, quarantined: 0 };

  constructor(options: FileCacheOptions) {
    this.paths = cachePathsOf(options.home);
    this.logger = options.logger;
    this.clock = options.clock ?? (() => new Date());
    this.memory = createEntryMemory(options);
  }

  async get(key: string, options: CacheGetOptions = {}): Promise<CacheEntry | undefined> {
    if (!KEY_PATTERN.test(key)) return undefined;
    const file = entryFileOf(this.paths.root, key);
    return readStoredEntry(key, options, {
      memory: this.memory,
      counters: this.counters,
      read: async () => {
        try {
          return { text: await readFile(file, 'utf8') };
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
          return undefined;
        }
      },
      quarantine: (judged, reason, details) => this.quarantine(file, key, reason, judged.text, details),
    });
  }

  /** Stores a verified entry (file first, then its index line); an entry that fails verification is refused. */
  async set(entry: CacheEntry): Promise<void> {
    const verdict = verifyCacheEntry(entry);
    if (!verdict.ok) throw new InputError(`refusing to cache ${entry?.key ?? 'an entry'}: ${verdict.reason}`);
    await this.store(verdict.entry);
  }

  private async store(entry: CacheEntry): Promise<number> {
    const text = JSON.stringify(entry);
    const bytes = Buffer.byteLength(text);
    await writeFileAtomic(entryFileOf(this.paths.root, entry.key), text);
    await appendIndexRecord(this.paths.index, indexRecordOf(entry, bytes));
    this.memory.set(entry.key, { entry: deepFreeze(structuredClone(entry)), bytes });
    return bytes;
  }

  /**
   * Moves a bad file to the quarantine directory so it is never served again, with the reason
   * (and the admission's details, e.g. the gate's findings) beside it. If, by the time it has
   * been moved, the file turns out to be a different, intact one (another process replaced it
   * between our read and the move), it is put back unless a newer file already took its place.
   */
  private async quarantine(file: string, key: string, reason: string, judgedText: string, details?: unknown): Promise<void> {
    await mkdir(this.paths.quarantine, { recursive: true });
    const stamp = this.clock().toISOString().replace(/[:.]/g, '-');
    const target = path.join(this.paths.quarantine, `${key}.${stamp}.${randomBytes(4).toString('hex')}.json`);
    try {
      await rename(file, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // someone else moved or removed it
      throw error;
    }
    this.memory.delete(key);
    const moved = await readFile(target, 'utf8').catch(() => '');
    if (moved !== judgedText && verifyCacheEntryText(moved, key).ok) {
      try {
        await link(target, file);
        await unlink(target);
      } catch {
        // A newer file is in place (EEXIST) or the directory went away: the copy stays aside.
      }
      return;
    }
    this.counters.quarantined++;
    const explanation = details === undefined ? `${reason}\n` : `${reason}\n${JSON.stringify(details, null, 2)}\n`;
    await writeFile(`${target.slice(0, -'.json'.length)}.reason.txt`, explanation).catch(() => undefined);
    this.logger?.warn({ key, reason, quarantinedTo: target }, 'cache entry failed verification and was quarantined');
  }

  /**
   * Re-checks every entry on disk: its integrity, then `admit` (for generation: the gate).
   * Without `fix` nothing is moved; with it, every failing entry is quarantined with its reason.
   */
  async verify(options: { admit?: EntryAdmission; fix?: boolean } = {}): Promise<CacheVerifyReport> {
    const report: CacheVerifyReport = { checked: 0, passed: 0, failed: [], quarantined: 0 };
    for (const key of [...(await this.keysOnDisk())].sort()) {
      const file = entryFileOf(this.paths.root, key);
      const text = await readFile(file, 'utf8').catch(() => undefined);
      if (text === undefined) continue; // removed meanwhile
      report.checked++;
      const failure = await failureOfStoredEntry(key, text, options.admit);
      if (!failure) {
        report.passed++;
        continue;
      }
      report.failed.push(failure);
      if (options.fix) {
        await this.quarantine(file, key, failure.reason, text, failure.details);
        report.quarantined++;
      }
    }
    if (options.fix && report.quarantined > 0) await this.reconcile();
    return report;
  }

  async stats(): Promise<CacheStats> {
    const reconciled = await this.reconcile();
    return {
      ...totalsOf(reconciled.records.values()),
      quarantined: await this.countQuarantined(),
      index: {
        lines: reconciled.lines,
        corruptLines: reconciled.corruptLines,
        rebuilt: reconciled.rebuilt,
        repairedEntries: reconciled.repaired,
        droppedEntries: reconciled.dropped,
      },
      process: { ...this.counters, memoryEntries: this.memory.size, memoryBytes: this.memory.calculatedSize },
    };
  }

  /** Entries in a stable order (createdAt, then key), a page at a time. */
  async list(options: CacheListOptions = {}): Promise<CacheListPage> {
    const { records } = await this.reconcile();
    return pageOfRecords(records.values(), options);
  }

  /** Removes the entries of one component or all of them (files, memory, index lines). */
  async clear(target: CacheClearTarget): Promise<{ removed: number }> {
    const { records } = await this.reconcile();
    const all = 'all' in target && target.all === true;
    if (!all && !('component' in target)) throw new InputError('clear needs a component or all: true');
    const doomed = [...records.values()].filter((record) => all || record.component === (target as { component: string }).component);
    let removed = 0;
    for (const record of doomed) {
      this.memory.delete(record.key);
      try {
        await unlink(entryFileOf(this.paths.root, record.key));
        removed++;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
      records.delete(record.key);
    }
    if (all) this.memory.clear();
    await rewriteIndex(this.paths.index, [...records.values()].sort(compareRecords));
    return { removed };
  }

  /** Rebuilds the index from the entry files alone (every file is read and verified). */
  async rebuildIndex(): Promise<{ entries: number }> {
    const keys = await this.keysOnDisk();
    const records: CacheIndexRecord[] = [];
    for (const key of keys) {
      const record = await this.indexRecordFromFile(key);
      if (record) records.push(record);
    }
    await rewriteIndex(this.paths.index, records.sort(compareRecords));
    return { entries: records.length };
  }

  /**
   * The index, corrected against the directory listing (names only, no file is opened unless
   * the index lacks it): the files are the truth. Lines for removed files are dropped; files
   * the index missed (a crash between file and line, an append lost to a concurrent rewrite)
   * are read, verified and added. A missing or very stale index is rewritten atomically.
   */
  private async reconcile(): Promise<Reconciled> {
    const [snapshot, onDisk] = await Promise.all([readIndex(this.paths.index), this.keysOnDisk()]);
    const records = new Map<string, CacheIndexRecord>();
    let dropped = 0;
    for (const [key, record] of snapshot?.records ?? []) {
      if (onDisk.has(key)) records.set(key, record);
      else dropped++;
    }
    const added: CacheIndexRecord[] = [];
    for (const key of onDisk) {
      if (records.has(key)) continue;
      const record = await this.indexRecordFromFile(key);
      if (record) {
        records.set(key, record);
        added.push(record);
      }
    }
    const lines = snapshot?.lines ?? 0;
    // Nothing on disk and no index: leave the directory as it is (stats must not create state).
    const needsRewrite = (!snapshot && records.size > 0) || dropped > 0 || added.length > APPEND_REPAIR_LIMIT || (snapshot?.corruptLines ?? 0) > 0 || lines > 2 * records.size + 1000;
    if (needsRewrite) {
      await rewriteIndex(this.paths.index, [...records.values()].sort(compareRecords));
    } else {
      for (const record of added) await appendIndexRecord(this.paths.index, record);
    }
    return { records, lines, corruptLines: snapshot?.corruptLines ?? 0, rebuilt: !snapshot && records.size > 0, repaired: added.length, dropped };
  }

  private async indexRecordFromFile(key: string): Promise<CacheIndexRecord | undefined> {
    const file = entryFileOf(this.paths.root, key);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      return undefined; // removed meanwhile
    }
    const verdict = verifyCacheEntryText(text, key);
    if (!verdict.ok) {
      await this.quarantine(file, key, verdict.reason, text);
      return undefined;
    }
    return indexRecordOf(verdict.entry, Buffer.byteLength(text));
  }

  private async keysOnDisk(): Promise<Set<string>> {
    const keys = new Set<string>();
    let shards: string[];
    try {
      shards = (await readdir(this.paths.root)).filter((name) => SHARD_PATTERN.test(name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return keys;
      throw error;
    }
    const listings = await Promise.all(
      shards.map((shard) =>
        readdir(path.join(this.paths.root, shard)).then(
          (names) => ({ shard, names }),
          () => ({ shard, names: [] as string[] }),
        ),
      ),
    );
    for (const { shard, names } of listings) {
      for (const name of names) {
        if (ENTRY_FILE_PATTERN.test(name) && name.startsWith(shard)) keys.add(name.slice(0, 64));
      }
    }
    return keys;
  }

  private async countQuarantined(): Promise<number> {
    try {
      return (await readdir(this.paths.quarantine)).filter((name) => name.endsWith('.json')).length;
    } catch {
      return 0;
    }
  }

  /** Entry files as they stand, verified (bad ones are quarantined, not exported). */
  async verifiedKeys(): Promise<string[]> {
    const { records } = await this.reconcile();
    const keys: string[] = [];
    for (const record of [...records.values()].sort(compareRecords)) {
      const file = entryFileOf(this.paths.root, record.key);
      const text = await readFile(file, 'utf8').catch(() => undefined);
      if (text === undefined) continue;
      const verdict = verifyCacheEntryText(text, record.key);
      if (verdict.ok) keys.push(record.key);
      else await this.quarantine(file, record.key, verdict.reason, text);
    }
    return keys;
  }

  /** A .tar.gz of every verified entry (see cache-archive.ts); loads tar only when called. */
  async exportArchive(outFile: string): Promise<{ exported: number; file: string }> {
    const { exportCacheArchive } = await import('./cache-archive.js');
    return exportCacheArchive(this, outFile);
  }

  /** Imports the entries of an archive that pass every check (and `admit`, when given); reports the rest with reasons. */
  async importArchive(archiveFile: string, options: { admit?: EntryAdmission } = {}): Promise<ImportReport> {
    const { importCacheArchive } = await import('./cache-archive.js');
    return importCacheArchive(this, archiveFile, options);
  }

  /** Adds an entry that has already passed `verifyCacheEntry` (import path); false when an identical file is there. */
  async storeVerified(entry: CacheEntry): Promise<'stored' | 'present'> {
    const existing = await readFile(entryFileOf(this.paths.root, entry.key), 'utf8').catch(() => undefined);
    if (existing !== undefined && existing === JSON.stringify(entry)) return 'present';
    await this.store(entry);
    return 'stored';
  }
}

export function createFileCache(options: FileCacheOptions): FileCache {
  return new FileCache(options);
}
