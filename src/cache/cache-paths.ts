import path from 'node:path';

/** Where everything of the cache lives under the state directory (`.dspec/`). */
export interface CachePaths {
  root: string;
  index: string;
  quarantine: string;
}

export function cachePathsOf(home: string): CachePaths {
  const root = path.join(home, 'cache');
  return { root, index: path.join(root, 'index.jsonl'), quarantine: path.join(root, 'quarantine') };
}

export const KEY_PATTERN = /^[0-9a-f]{64}$/;
export const SHARD_PATTERN = /^[0-9a-f]{2}$/;
export const ENTRY_FILE_PATTERN = /^[0-9a-f]{64}\.json$/;

/** `<root>/<first 2 hex>/<key>.json`: 256 shards keep every directory small. */
export function entryFileOf(root: string, key: string): string {
  return path.join(root, key.slice(0, 2), `${key}.json`);
}

/** The same location as a relative, forward-slash path: the name an entry has inside an export archive. */
export function entryArchiveNameOf(key: string): string {
  return `${key.slice(0, 2)}/${key}.json`;
}
