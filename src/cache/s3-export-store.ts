import { LRUCache } from 'lru-cache';
import * as z from 'zod';
import { InputError } from '../errors.js';
import { mapLimited } from '../infra/map-limited.js';
import { displayEndpoint, parseS3CacheUrl, type S3CacheLocation } from './s3-cache-url.js';
import { createS3Client } from './s3-client.js';
import { S3TextObjects } from './s3-text-objects.js';

/**
 * One file of a screen export. Declared here by shape rather than imported: storage does not
 * know its callers (cache/ may not import screen/, eslint.config.js), and the screen layer's
 * `ExportStore` port is satisfied structurally by this store.
 */
export interface StoredExportFile {
  path: string;
  contents: string;
}

/** What `<prefix>/exports/<id>/manifest.json` holds: the export's files in order, written after them. */
const ManifestSchema = z.object({
  exportId: z.string(),
  files: z.array(z.object({ path: z.string(), bytes: z.number().int().nonnegative() })),
});

/** An export id names an object: letters, digits, '-' and '_' only (export ids are hex hashes). */
const EXPORT_ID = /^[A-Za-z0-9_-]{1,128}$/;
const MANIFEST = 'manifest.json';
/** Files of one export written at once. */
const WRITE_CONCURRENCY = 8;

/** A relative path of '/'-separated names, none empty, '.' or '..', and no control character or backslash. */
function isExportPath(filePath: string): boolean {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  return filePath.length > 0 && filePath.length <= 1024 && !/[\u0000-\u001f\u007f\\]/.test(filePath) && filePath.split('/').every((name) => name !== '' && name !== '.' && name !== '..');
}

export interface S3ExportStoreOptions {
  objects: S3TextObjects;
  location: S3CacheLocation;
  logger: { warn(fields: object, message: string): void };
  /** At most this many exports are kept in the bucket; the oldest written go first. */
  maxExports: number;
  /** Bytes of file contents: an export larger than this is refused, and the bucket keeps about this much in all. */
  maxBytes: number;
  onClose?: () => void;
}

interface ListedExport {
  exportId: string;
  objectKeys: string[];
  bytes: number;
  /** When its last object was written (ms). */
  written: number;
  complete: boolean;
}

/**
 * Large exports in the S3-compatible store the replicas share (`DSPEC_CACHE_URL`), so an
 * `export://` read is answered by any replica, not only the one that exported. One object per
 * file, `<prefix>/exports/<id>/files/<path>`, so a read downloads that file only (a client reads
 * the files one by one, each possibly on another replica, and an export may be tens of MB), and
 * `<prefix>/exports/<id>/manifest.json` written after them: an export is listed only once it is
 * whole. Bounded as the memory store is: after each write the exports written longest ago beyond
 * `maxExports` or `maxBytes` are deleted (S3 keeps no read times, so least recently written
 * stands in for least recently used; writing an export again renews it). An export id is a hash
 * of its files, so its objects never change meaning and a manifest read once stays true.
 */
export class S3ExportStore {
  private readonly objects: S3TextObjects;
  private readonly base: string;
  private readonly manifests = new LRUCache<string, string[]>({ max: 100 });

  constructor(private readonly options: S3ExportStoreOptions) {
    this.objects = options.objects;
    this.base = options.location.prefix ? `${options.location.prefix}/exports/` : 'exports/';
  }

  async put(exportId: string, files: ReadonlyArray<StoredExportFile>): Promise<void> {
    if (!EXPORT_ID.test(exportId)) throw new InputError(`not an export id: ${JSON.stringify(exportId.slice(0, 200))}`);
    const badPath = files.find((file) => !isExportPath(file.path));
    if (badPath) throw new InputError(`export ${exportId} names the file ${JSON.stringify(badPath.path.slice(0, 200))}, which is not a relative path of plain names`);
    const bytes = files.reduce((total, file) => total + Buffer.byteLength(file.contents), 0);
    if (bytes > this.options.maxBytes) {
      throw new InputError(`export ${exportId} holds ${bytes} bytes, more than the ${this.options.maxBytes} bytes the export store keeps`, {
        suggestion: 'Give outDir to write the files instead of reading them as export:// resources.',
      });
    }
    await mapLimited(files, WRITE_CONCURRENCY, (file) => this.objects.write(this.fileKeyOf(exportId, file.path), file.contents));
    const manifest = { exportId, files: files.map((file) => ({ path: file.path, bytes: Buffer.byteLength(file.contents) })) };
    await this.objects.write(`${this.base}${exportId}/${MANIFEST}`, JSON.stringify(manifest));
    this.manifests.set(
      exportId,
      manifest.files.map((file) => file.path),
    );
    await this.prune(exportId);
  }

  async get(exportId: string, filePath: string): Promise<string | undefined> {
    if (!EXPORT_ID.test(exportId) || !isExportPath(filePath)) return undefined;
    return this.objects.read(this.fileKeyOf(exportId, filePath));
  }

  async list(exportId: string): Promise<string[] | undefined> {
    if (!EXPORT_ID.test(exportId)) return undefined;
    const known = this.manifests.get(exportId);
    if (known) return [...known];
    const objectKey = `${this.base}${exportId}/${MANIFEST}`;
    const text = await this.objects.read(objectKey);
    if (text === undefined) return undefined;
    let paths: string[];
    try {
      const manifest = ManifestSchema.parse(JSON.parse(text));
      if (manifest.exportId !== exportId) throw new Error(`it is the manifest of export ${manifest.exportId}`);
      paths = manifest.files.map((file) => file.path);
    } catch (error) {
      this.options.logger.warn({ object: this.objects.urlOf(objectKey), error: error instanceof Error ? error.message : String(error) }, 'export manifest is corrupt; export skipped');
      return undefined;
    }
    this.manifests.set(exportId, paths);
    return [...paths];
  }

  /** The whole exports in the bucket, most recently written first. */
  async ids(): Promise<string[]> {
    return (await this.listExports()).filter((listed) => listed.complete).map((listed) => listed.exportId);
  }

  /** Ends the client's connections. */
  close(): void {
    this.options.onClose?.();
  }

  private fileKeyOf(exportId: string, filePath: string): string {
    return `${this.base}${exportId}/files/${filePath}`;
  }

  /** Every export with objects in the bucket, newest first (ties by id, so every replica sees one order). */
  private async listExports(): Promise<ListedExport[]> {
    const byId = new Map<string, ListedExport>();
    for (const object of await this.objects.list(this.base)) {
      const rest = object.key.slice(this.base.length);
      const slash = rest.indexOf('/');
      const exportId = rest.slice(0, slash);
      if (slash <= 0 || !EXPORT_ID.test(exportId)) continue;
      const listed = byId.get(exportId) ?? { exportId, objectKeys: [], bytes: 0, written: 0, complete: false };
      listed.objectKeys.push(object.key);
      listed.bytes += object.bytes;
      listed.written = Math.max(listed.written, object.lastModified?.getTime() ?? 0);
      if (rest === `${exportId}/${MANIFEST}`) listed.complete = true;
      byId.set(exportId, listed);
    }
    return [...byId.values()].sort((a, b) => b.written - a.written || (a.exportId < b.exportId ? -1 : 1));
  }

  /** Deletes the exports written longest ago beyond the bounds; the one just written always stays. */
  private async prune(justWritten: string): Promise<void> {
    const listed = await this.listExports();
    const newestFirst = [...listed.filter((item) => item.exportId === justWritten), ...listed.filter((item) => item.exportId !== justWritten)];
    let kept = 0;
    let bytes = 0;
    const doomed: string[] = [];
    for (const item of newestFirst) {
      if (kept > 0 && (kept + 1 > this.options.maxExports || bytes + item.bytes > this.options.maxBytes)) {
        doomed.push(...item.objectKeys);
        this.manifests.delete(item.exportId);
        continue;
      }
      kept++;
      bytes += item.bytes;
    }
    if (doomed.length) await this.objects.delete(doomed);
  }
}

export interface OpenS3ExportStoreOptions {
  /** `s3://bucket/prefix` (`DSPEC_CACHE_URL`): exports go beside the cache. */
  url: string;
  /** The runtime's environment: the AWS SDK's variables are read from it. */
  env: NodeJS.ProcessEnv;
  logger: { warn(fields: object, message: string): void };
  maxExports: number;
  maxBytes: number;
}

/** An S3ExportStore for `url`, with a client of its own configured as the cache's. */
export function openS3ExportStore(options: OpenS3ExportStoreOptions): S3ExportStore {
  const location = parseS3CacheUrl(options.url);
  const { client, endpoint } = createS3Client(options.env);
  const objects = new S3TextObjects({ client, bucket: location.bucket, endpoint: displayEndpoint(endpoint), store: 'S3 export store' });
  return new S3ExportStore({ objects, location, logger: options.logger, maxExports: options.maxExports, maxBytes: options.maxBytes, onClose: () => client.destroy() });
}
