import type { ManagedCacheStore } from './cache-store.js';
import type { CacheLogger } from './file-cache.js';

export interface OpenCacheStoreOptions {
  /** `config.cache.url`: an `s3://bucket/prefix` selects the S3 backend; unset, the files under `home`. */
  url?: string | undefined;
  home: string;
  /** The runtime's environment, where the S3 backend reads the AWS SDK's variables. */
  env: NodeJS.ProcessEnv;
  logger?: CacheLogger | undefined;
}

/**
 * The one place the cache backend is chosen, for the runtime and for `dspec cache …`. Each
 * backend's module is loaded only when chosen: the AWS SDK costs the file default nothing.
 */
export async function openCacheStore(options: OpenCacheStoreOptions): Promise<ManagedCacheStore> {
  if (options.url) {
    const { createS3Cache } = await import('./s3-cache.js');
    return createS3Cache({ url: options.url, env: options.env, logger: options.logger });
  }
  const { createFileCache } = await import('./file-cache.js');
  return createFileCache({ home: options.home, ...(options.logger ? { logger: options.logger } : {}) });
}
