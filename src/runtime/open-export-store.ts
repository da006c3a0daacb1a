import type { S3ExportStore } from '../cache/s3-export-store.js';
import type { Logger } from '../infra/logger.js';
import { once } from '../infra/once.js';
import { DEFAULT_EXPORT_STORE_LIMITS, MemoryExportStore, type ExportStore } from '../screen/export-store.js';

export interface OpenedExportStore {
  store: ExportStore;
  /** Ends the S3 client's connections, when one was opened. */
  close(): void;
}

/**
 * The export store of one runtime: in memory by default; with `cacheUrl` (`DSPEC_CACHE_URL`) in
 * the shared bucket, so an `export://` read is answered by any replica. The S3 store lives in
 * cache/ (storage; screen/ may not import cache/) and is chosen here, the one place that sees
 * both. It is handed out at once and its module (and the AWS SDK) loads on the first call, as the
 * cache's does: a process that never stores a large export never pays for it.
 */
export function openExportStore(options: { cacheUrl?: string | undefined; env: NodeJS.ProcessEnv; logger: Logger }): OpenedExportStore {
  const { cacheUrl, env, logger } = options;
  if (!cacheUrl) return { store: new MemoryExportStore(DEFAULT_EXPORT_STORE_LIMITS), close: () => undefined };
  // The last open started, for close(): a failed one is forgotten by once(), so the next call tries again.
  let opening: Promise<S3ExportStore> | undefined;
  const s3 = once(() => (opening = import('../cache/s3-export-store.js').then(({ openS3ExportStore }) => openS3ExportStore({ url: cacheUrl, env, logger, ...DEFAULT_EXPORT_STORE_LIMITS }))));
  const store: ExportStore = {
    put: async (exportId, files) => (await s3()).put(exportId, files),
    get: async (exportId, filePath) => (await s3()).get(exportId, filePath),
    list: async (exportId) => (await s3()).list(exportId),
    ids: async () => (await s3()).ids(),
  };
  return {
    store,
    close: () => {
      void opening?.then((s3Store) => s3Store.close()).catch(() => undefined);
    },
  };
}
