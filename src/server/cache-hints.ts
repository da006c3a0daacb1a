import type { CacheHint, McpServerOptions } from '@modelcontextprotocol/server';

/**
 * How long a 2026-07-28 client may keep each list and read result (`ttlMs`, `cacheScope`). The
 * SDK writes these fields on 2026 results only; 2025 results never carry them.
 *
 * Long and public: what ships with the build and is the same for every caller (the tools, the
 * prompts, the catalog and its components, the preview app). Short and private: what describes
 * this server's state or one caller's work (status, eval runs, exports, and the resources list,
 * which names the exports held in memory).
 */

/** Fixed by the build: the same for every caller until the server is upgraded. */
export const BUILD_FIXED: CacheHint = { ttlMs: 60 * 60 * 1000, cacheScope: 'public' };

/** Live state of this server (providers, breakers, browser): stale within seconds. */
export const LIVE_STATE: CacheHint = { ttlMs: 5_000, cacheScope: 'private' };

/** One caller's results kept in memory for a while (exports), or local run records (evals). */
export const CALLER_RESULTS: CacheHint = { ttlMs: 60_000, cacheScope: 'private' };

/** Per-operation hints for `new McpServer(…, { cacheHints })`; a resource's own hint wins for its reads. */
export const SERVER_CACHE_HINTS: NonNullable<McpServerOptions['cacheHints']> = {
  'server/discover': BUILD_FIXED,
  'tools/list': BUILD_FIXED,
  'prompts/list': BUILD_FIXED,
  'resources/templates/list': BUILD_FIXED,
  'resources/list': LIVE_STATE,
  'resources/read': LIVE_STATE,
};
