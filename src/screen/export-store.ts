import { LRUCache } from 'lru-cache';
import { InputError } from '../errors.js';
import type { ExportFile } from './export-screen.js';

/**
 * Exports too large to answer inline, kept by export id so a client can read them as MCP
 * resources (`export://<id>/<path>`). The runtime builds one per process and hands it to every
 * server (stateless HTTP builds a server per request). In memory by default; with replicas
 * behind a proxy without affinity, in the shared object store, so the replica that answers the
 * read need not be the one that exported.
 */
export interface ExportStore {
  /** Keeps the files under the id (an export id is a hash of its files, so it never changes meaning). */
  put(exportId: string, files: ReadonlyArray<ExportFile>): Promise<void>;
  /** One file's contents, or undefined when the export or the file is not (or no longer) kept. */
  get(exportId: string, filePath: string): Promise<string | undefined>;
  /** The export's file paths, or undefined when it is not kept. */
  list(exportId: string): Promise<string[] | undefined>;
  /** The ids of the exports kept, most recent first. */
  ids(): Promise<string[]>;
}

/** The bounds both stores keep by default: at most this many exports, of this many bytes of contents in all. */
export const DEFAULT_EXPORT_STORE_LIMITS = { maxExports: 20, maxBytes: 64 * 1024 * 1024 };

function contentBytesOf(files: ReadonlyArray<ExportFile>): number {
  return files.reduce((total, file) => total + Buffer.byteLength(file.contents), 0);
}

/** Refuses an export larger than the whole store: it could never be read back. */
function refuseOversizeExport(exportId: string, bytes: number, maxBytes: number): void {
  if (bytes > maxBytes) {
    throw new InputError(`export ${exportId.slice(0, 64)} holds ${bytes} bytes, more than the ${maxBytes} bytes the export store keeps`, {
      suggestion: 'Give outDir to write the files instead of reading them as export:// resources.',
    });
  }
}

/** The one-process store: an LRU bounded by total size and count; the least recently used export goes first. */
export class MemoryExportStore implements ExportStore {
  private readonly exports: LRUCache<string, Map<string, string>>;
  private readonly maxBytes: number;

  constructor(options: { maxBytes?: number; maxExports?: number } = {}) {
    this.maxBytes = options.maxBytes ?? DEFAULT_EXPORT_STORE_LIMITS.maxBytes;
    this.exports = new LRUCache<string, Map<string, string>>({
      max: options.maxExports ?? DEFAULT_EXPORT_STORE_LIMITS.maxExports,
      maxSize: this.maxBytes,
      sizeCalculation: (files) =>
        Math.max(
          1,
          [...files.values()].reduce((total, contents) => total + Buffer.byteLength(contents), 0),
        ),
    });
  }

  put(exportId: string, files: ReadonlyArray<ExportFile>): Promise<void> {
    // In the executor, so a refusal is a rejection as the port promises, not a synchronous throw.
    return new Promise((resolve) => {
      refuseOversizeExport(exportId, contentBytesOf(files), this.maxBytes);
      this.exports.set(exportId, new Map(files.map((file) => [file.path, file.contents])));
      resolve();
    });
  }

  get(exportId: string, filePath: string): Promise<string | undefined> {
    return Promise.resolve(this.exports.get(exportId)?.get(filePath));
  }

  list(exportId: string): Promise<string[] | undefined> {
    const files = this.exports.get(exportId);
    return Promise.resolve(files ? [...files.keys()] : undefined);
  }

  ids(): Promise<string[]> {
    return Promise.resolve([...this.exports.keys()]);
  }
}

export const EXPORT_URI_PREFIX = 'export://';

export function exportResourceUri(exportId: string, filePath: string): string {
  return `${EXPORT_URI_PREFIX}${exportId}/${filePath.split('/').map(encodeURIComponent).join('/')}`;
}
