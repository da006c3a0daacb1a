import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DeleteObjectCommand, DeleteObjectsCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { InputError, type DspecError } from '../errors.js';
import { mapLimited } from '../infra/map-limited.js';
import type { ImportReport } from './cache-archive.js';
import type { CacheEntry, CacheGetOptions, EntryAdmission } from './cache-entry.js';
import type { CacheIndexRecord } from './cache-index.js';
import { entryArchiveNameOf, KEY_PATTERN } from './cache-paths.js';
import { compareRecords, deepFreeze, indexRecordOf, pageOfRecords, totalsOf } from './cache-records.js';
import type { ManagedCacheStore } from './cache-store.js';
import type { CacheClearTarget, CacheListOptions, CacheListPage, CacheLogger, CacheStats, CacheVerifyReport } from './file-cache.js';
import { displayEndpoint, parseS3CacheUrl, s3UrlOf, type S3CacheLocation } from './s3-cache-url.js';
import { createS3Client, s3ErrorNameOf as nameOf, s3FailureOf, s3StatusOf as statusOf } from './s3-client.js';
import { createEntryMemory, failureOfStoredEntry, readStoredEntry, type EntryMemory, type EntryReadCounters } from './stored-entry-path.js';
import { verifyCacheEntry, verifyCacheEntryText } from './verify-entry.js';

export interface S3CacheOptions {
  location: S3CacheLocation;
  client: S3Client;
  /** The endpoint named in error messages (never with credentials). */
  endpoint?: string | undefined;
  logger?: CacheLogger | undefined;
  /** L1 bounds, as FileCache's. */
  maxMemoryEntries?: number;
  maxMemoryBytes?: number;
  /** Keys per ListObjectsV2 page (S3's most is 1000). */
  listPageSize?: number;
  /** Objects read at once by stats, list, verify and export. */
  readConcurrency?: number;
  clock?: () => Date;
}

interface StoredObject {
  text: string;
  etag: string | undefined;
}

interface ListedObject {
  key: string;
  objectKey: string;
  etag: string | undefined;
}

const DELETE_BATCH = 1000;

/**
 * The content-addressed cache in an S3-compatible bucket, for replicas that share one cache:
 * L1 an in-process LRU of admitted entries, L2 one object per entry at
 * `<prefix>/cache/<2 hex>/<key>.json` holding the same JSON as FileCache's file, so archives
 * move between the backends. Writes are conditional (`If-None-Match: *`): the first replica to
 * store a key wins and a later writer's 412 is a hit, never an overwrite. Reads are verified
 * and gate-admitted exactly as file entries are; a refused or corrupt object is copied to
 * `<prefix>/quarantine/` with its reason, deleted, and never served.
 */
export class S3Cache implements ManagedCacheStore {
  readonly location: S3CacheLocation;
  private readonly client: S3Client;
  private readonly endpoint: string;
  private readonly base: string;
  private readonly logger: CacheLogger | undefined;
  private readonly clock: () => Date;
  private readonly listPageSize: number;
  private readonly readConcurrency: number;
  private readonly memory: EntryMemory;
  /** Objects never change under a key (writes are conditional), so a record read once stays true for that ETag. */
  private readonly records = new Map<string, { etag: string | undefined; record: CacheIndexRecord }>();
  private readonly counters: EntryReadCounters = { memoryHits: 0, memoryMisses: 0, diskHits: 0, diskMisses: 0, quarantined: 0 };

  constructor(options: S3CacheOptions) {
    this.location = options.location;
    this.client = options.client;
    this.endpoint = displayEndpoint(options.endpoint);
    this.base = options.location.prefix ? `${options.location.prefix}/` : '';
    this.logger = options.logger;
    this.clock = options.clock ?? (() => new Date());
    this.listPageSize = options.listPageSize ?? 1000;
    if (!Number.isInteger(this.listPageSize) || this.listPageSize < 1 || this.listPageSize > 1000) throw new InputError('listPageSize must be an integer from 1 to 1000');
    this.readConcurrency = options.readConcurrency ?? 16;
    this.memory = createEntryMemory(options);
  }

  /** `s3://bucket/prefix`, for messages. */
  get url(): string {
    return s3UrlOf(this.location);
  }

  objectKeyOf(key: string): string {
    return `${this.base}cache/${entryArchiveNameOf(key)}`;
  }

  async get(key: string, options: CacheGetOptions = {}): Promise<CacheEntry | undefined> {
    if (!KEY_PATTERN.test(key)) return undefined;
    const objectKey = this.objectKeyOf(key);
    return readStoredEntry(key, options, {
      memory: this.memory,
      counters: this.counters,
      read: () => this.read(objectKey),
      quarantine: (judged, reason, details) => this.quarantine(objectKey, key, reason, judged, details),
    });
  }

  /** Stores a verified entry unless the key is already there (then the stored one stands: a hit, not an error). */
  async set(entry: CacheEntry): Promise<void> {
    const verdict = verifyCacheEntry(entry);
    if (!verdict.ok) throw new InputError(`refusing to cache ${entry?.key ?? 'an entry'}: ${verdict.reason}`);
    const text = JSON.stringify(verdict.entry);
    if ((await this.putIfAbsent(this.objectKeyOf(entry.key), text)) === 'stored') {
      this.memory.set(entry.key, { entry: deepFreeze(structuredClone(verdict.entry)), bytes: Buffer.byteLength(text) });
    } else {
      // Another replica stored this key first: its entry is the one to serve, once admitted by a read.
      this.memory.delete(entry.key);
    }
  }

  /** Adds an entry that has already passed `verifyCacheEntry` (import path); 'present' when the key already holds a sound entry. */
  async storeVerified(entry: CacheEntry): Promise<'stored' | 'present'> {
    const objectKey = this.objectKeyOf(entry.key);
    const text = JSON.stringify(entry);
    if ((await this.putIfAbsent(objectKey, text)) === 'stored') return 'stored';
    const existing = await this.read(objectKey);
    const existingVerdict = existing && verifyCacheEntryText(existing.text, entry.key);
    if (existing && existingVerdict && !existingVerdict.ok) {
      // A corrupt object must not block the sound copy the archive brings.
      await this.quarantine(objectKey, entry.key, existingVerdict.reason, existing);
      return (await this.putIfAbsent(objectKey, text)) === 'stored' ? 'stored' : 'present';
    }
    return 'present';
  }

  async stats(): Promise<CacheStats> {
    const records = await this.readRecords();
    // Counted after the read: it may have quarantined a corrupt object.
    const quarantined = await this.countQuarantined();
    return {
      ...totalsOf(records),
      quarantined,
      // No index in a bucket: the listing is the truth, read afresh each time.
      index: { lines: 0, corruptLines: 0, rebuilt: false, repairedEntries: 0, droppedEntries: 0 },
      process: { ...this.counters, memoryEntries: this.memory.size, memoryBytes: this.memory.calculatedSize },
    };
  }

  async list(options: CacheListOptions = {}): Promise<CacheListPage> {
    pageOfRecords([], options); // refuses a bad limit or cursor before any object is read
    return pageOfRecords(await this.readRecords(), options);
  }

  /** Re-checks every object: integrity, then `admit`. With `fix`, each failing one is quarantined. */
  async verify(options: { admit?: EntryAdmission; fix?: boolean } = {}): Promise<CacheVerifyReport> {
    const report: CacheVerifyReport = { checked: 0, passed: 0, failed: [], quarantined: 0 };
    const listed = (await this.listEntries()).sort((a, b) => (a.key < b.key ? -1 : 1));
    const read = await mapLimited(listed, this.readConcurrency, async (object) => ({ object, stored: await this.read(object.objectKey) }));
    for (const { object, stored } of read) {
      if (!stored) continue; // removed meanwhile
      report.checked++;
      const failure = await failureOfStoredEntry(object.key, stored.text, options.admit);
      if (!failure) {
        report.passed++;
        continue;
      }
      report.failed.push(failure);
      if (options.fix) {
        await this.quarantine(object.objectKey, object.key, failure.reason, stored, failure.details);
        report.quarantined++;
      }
    }
    return report;
  }

  /** Deletes the objects of one component or all of them (and their memory copies). */
  async clear(target: CacheClearTarget): Promise<{ removed: number }> {
    const all = 'all' in target && target.all === true;
    if (!all && !('component' in target)) throw new InputError('clear needs a component or all: true');
    const component = 'component' in target ? target.component : undefined;
    const doomed = (await this.readRecords()).filter((record) => all || record.component === component).map((record) => record.key);
    let removed = 0;
    for (let start = 0; start < doomed.length; start += DELETE_BATCH) {
      const batch = doomed.slice(start, start + DELETE_BATCH);
      const answer = await this.send('DeleteObjects', undefined, () =>
        this.client.send(new DeleteObjectsCommand({ Bucket: this.location.bucket, Delete: { Objects: batch.map((key) => ({ Key: this.objectKeyOf(key) })), Quiet: true } })),
      );
      const failed = answer.Errors ?? [];
      if (failed.length) throw this.failure('DeleteObjects', failed[0]!.Key, { name: failed[0]!.Code ?? 'DeleteFailed' });
      removed += batch.length;
      for (const key of batch) {
        this.memory.delete(key);
        this.records.delete(key);
      }
    }
    if (all) this.memory.clear();
    return { removed };
  }

  /** A .tar.gz of every verified entry, the same layout FileCache exports (bad objects are quarantined, not exported). */
  async exportArchive(outFile: string): Promise<{ exported: number; file: string }> {
    const { exportCacheArchive } = await import('./cache-archive.js');
    const staging = await mkdtemp(path.join(tmpdir(), 'dspec-s3-export-'));
    try {
      const keys = await this.downloadVerified(staging);
      return await exportCacheArchive({ paths: { root: staging }, verifiedKeys: () => Promise.resolve(keys) }, outFile);
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  }

  /** Imports the entries of an archive that pass every check (and `admit`, when given); reports the rest with reasons. */
  async importArchive(archiveFile: string, options: { admit?: EntryAdmission } = {}): Promise<ImportReport> {
    const { importCacheArchive } = await import('./cache-archive.js');
    return importCacheArchive(this, archiveFile, options);
  }

  /** Writes each verified entry's object, byte for byte, as `<dir>/<2 hex>/<key>.json`; returns their keys in listing order. */
  private async downloadVerified(directory: string): Promise<string[]> {
    const records = (await this.readRecords()).sort(compareRecords);
    const written = await mapLimited(records, this.readConcurrency, async (record) => {
      const objectKey = this.objectKeyOf(record.key);
      const stored = await this.read(objectKey);
      if (!stored) return undefined;
      const verdict = verifyCacheEntryText(stored.text, record.key);
      if (!verdict.ok) {
        await this.quarantine(objectKey, record.key, verdict.reason, stored);
        return undefined;
      }
      const file = path.join(directory, entryArchiveNameOf(record.key));
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, stored.text);
      return record.key;
    });
    return written.filter((key): key is string => key !== undefined);
  }

  /** One record per listed object; objects not seen before (or changed) are read and verified, corrupt ones quarantined and skipped. */
  private async readRecords(): Promise<CacheIndexRecord[]> {
    const listed = await this.listEntries();
    const present = new Set(listed.map((object) => object.key));
    for (const key of this.records.keys()) if (!present.has(key)) this.records.delete(key);
    const unknown = listed.filter((object) => this.records.get(object.key)?.etag !== object.etag || object.etag === undefined);
    await mapLimited(unknown, this.readConcurrency, async (object) => {
      const stored = await this.read(object.objectKey);
      if (!stored) return; // removed meanwhile
      const verdict = verifyCacheEntryText(stored.text, object.key);
      if (!verdict.ok) {
        this.records.delete(object.key);
        await this.quarantine(object.objectKey, object.key, verdict.reason, stored);
        return;
      }
      this.records.set(object.key, { etag: stored.etag ?? object.etag, record: indexRecordOf(verdict.entry, Buffer.byteLength(stored.text)) });
    });
    return listed.flatMap((object) => {
      const known = this.records.get(object.key);
      return known ? [known.record] : [];
    });
  }

  /** Every entry object under `<prefix>/cache/`, over as many ListObjectsV2 pages as it takes; foreign names are passed over. */
  private async listEntries(): Promise<ListedObject[]> {
    const prefix = `${this.base}cache/`;
    const shape = /^([0-9a-f]{2})\/([0-9a-f]{64})\.json$/;
    const objects: ListedObject[] = [];
    let token: string | undefined;
    do {
      const page = await this.send('ListObjectsV2', prefix, () =>
        this.client.send(new ListObjectsV2Command({ Bucket: this.location.bucket, Prefix: prefix, MaxKeys: this.listPageSize, ContinuationToken: token })),
      );
      for (const item of page.Contents ?? []) {
        const match = item.Key ? shape.exec(item.Key.slice(prefix.length)) : null;
        if (match && match[2]!.startsWith(match[1]!)) objects.push({ key: match[2]!, objectKey: item.Key!, etag: item.ETag });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return objects;
  }

  private async countQuarantined(): Promise<number> {
    const prefix = `${this.base}quarantine/`;
    let count = 0;
    let token: string | undefined;
    do {
      const page = await this.send('ListObjectsV2', prefix, () =>
        this.client.send(new ListObjectsV2Command({ Bucket: this.location.bucket, Prefix: prefix, MaxKeys: this.listPageSize, ContinuationToken: token })),
      );
      count += (page.Contents ?? []).filter((item) => item.Key?.endsWith('.json')).length;
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return count;
  }

  /** The object's text, or undefined when there is none. */
  private async read(objectKey: string): Promise<StoredObject | undefined> {
    try {
      const answer = await this.client.send(new GetObjectCommand({ Bucket: this.location.bucket, Key: objectKey }));
      return { text: (await answer.Body?.transformToString('utf8')) ?? '', etag: answer.ETag };
    } catch (error) {
      if (nameOf(error) === 'NoSuchKey') return undefined;
      throw this.failure('GetObject', objectKey, error);
    }
  }

  /** A conditional PUT: 'present' when the key is taken (412, or 409 from a concurrent conditional write). */
  private async putIfAbsent(objectKey: string, text: string): Promise<'stored' | 'present'> {
    try {
      await this.client.send(new PutObjectCommand({ Bucket: this.location.bucket, Key: objectKey, Body: text, ContentType: 'application/json', IfNoneMatch: '*' }));
      return 'stored';
    } catch (error) {
      const status = statusOf(error);
      if (status === 412 || status === 409 || nameOf(error) === 'PreconditionFailed' || nameOf(error) === 'ConditionalRequestConflict') return 'present';
      throw this.failure('PutObject', objectKey, error);
    }
  }

  /**
   * Copies a bad object to `<prefix>/quarantine/<key>.<time>.<random>.json` with a `.reason.txt`
   * beside it, then deletes it where it was, only if it is still the object judged (If-Match on
   * its ETag, where the store supports it): a sound entry another replica put there meanwhile stays.
   */
  private async quarantine(objectKey: string, key: string, reason: string, judged: StoredObject, details?: unknown): Promise<void> {
    const stamp = this.clock().toISOString().replace(/[:.]/g, '-');
    const target = `${this.base}quarantine/${key}.${stamp}.${randomBytes(4).toString('hex')}`;
    const explanation = details === undefined ? `${reason}\n` : `${reason}\n${JSON.stringify(details, null, 2)}\n`;
    await this.send('PutObject', `${target}.json`, () => this.client.send(new PutObjectCommand({ Bucket: this.location.bucket, Key: `${target}.json`, Body: judged.text })));
    await this.send('PutObject', `${target}.reason.txt`, () => this.client.send(new PutObjectCommand({ Bucket: this.location.bucket, Key: `${target}.reason.txt`, Body: explanation })));
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.location.bucket, Key: objectKey, ...(judged.etag ? { IfMatch: judged.etag } : {}) }));
    } catch (error) {
      // 412: the object is no longer the one judged; it will be judged on its own next read.
      if (statusOf(error) !== 412 && nameOf(error) !== 'NoSuchKey') throw this.failure('DeleteObject', objectKey, error);
    }
    this.memory.delete(key);
    this.records.delete(key);
    this.counters.quarantined++;
    this.logger?.warn({ key, reason, quarantinedTo: s3UrlOf(this.location, `${target}.json`) }, 'cache entry failed verification and was quarantined');
  }

  private async send<T>(operation: string, objectKey: string | undefined, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw this.failure(operation, objectKey, error);
    }
  }

  /** The error a caller sees: operation, bucket/key, endpoint and the S3 (or network) code; never the request or credentials. */
  private failure(operation: string, objectKey: string | undefined, error: unknown): DspecError {
    return s3FailureOf({ store: 'S3 cache', operation, bucket: this.location.bucket, objectKey: objectKey ?? this.base, endpoint: this.endpoint }, error);
  }
}

export interface OpenS3CacheOptions {
  /** `s3://bucket/prefix` (`DSPEC_CACHE_URL`). */
  url: string;
  /** The runtime's environment: the AWS SDK's variables are read from it (see s3ClientSettingsOf). */
  env: NodeJS.ProcessEnv;
  logger?: CacheLogger | undefined;
  listPageSize?: number;
}

/** An S3Cache for `url`, its client configured from `env`. */
export function createS3Cache(options: OpenS3CacheOptions): S3Cache {
  const location = parseS3CacheUrl(options.url);
  const { client, endpoint } = createS3Client(options.env);
  return new S3Cache({ location, client, endpoint, logger: options.logger, ...(options.listPageSize === undefined ? {} : { listPageSize: options.listPageSize }) });
}
