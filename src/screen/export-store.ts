import { LRUCache } from 'lru-cache';
import type { ExportFile } from './export-screen.js';

/**
 * Exports too large to answer inline, kept in memory by export id so a client can read them as
 * MCP resources (`export://<id>/<path>`). Bounded by total size; the least recently used export
 * goes first. One store per process: with stateless HTTP every request builds a new server,
 * so the store must be created once and handed to each.
 */
export class ExportStore {
  private readonly exports: LRUCache<string, Map<string, string>>;

  constructor(options: { maxBytes?: number; maxExports?: number } = {}) {
    this.exports = new LRUCache<string, Map<string, string>>({
      max: options.maxExports ?? 20,
      maxSize: options.maxBytes ?? 64 * 1024 * 1024,
      sizeCalculation: (files) =>
        Math.max(
          1,
          [...files.values()].reduce((total, contents) => total + Buffer.byteLength(contents), 0),
        ),
    });
  }

  put(exportId: string, files: ReadonlyArray<ExportFile>): void {
    this.exports.set(exportId, new Map(files.map((file) => [file.path, file.contents])));
  }

  get(exportId: string, filePath: string): string | undefined {
    return this.exports.get(exportId)?.get(filePath);
  }

  list(exportId: string): string[] | undefined {
    const files = this.exports.get(exportId);
    return files ? [...files.keys()] : undefined;
  }

  ids(): string[] {
    return [...this.exports.keys()];
  }
}

export const EXPORT_URI_PREFIX = 'export://';

export function exportResourceUri(exportId: string, filePath: string): string {
  return `${EXPORT_URI_PREFIX}${exportId}/${filePath.split('/').map(encodeURIComponent).join('/')}`;
}
