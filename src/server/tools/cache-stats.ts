import type { McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod';
import { CacheIndexRecordSchema } from '../../cache/cache-index.js';
import type { ServerDeps } from '../context.js';
import { toolError, toolSuccess } from '../tool-result.js';

export const name = 'cache_stats';

export const inputSchema = z.object({
  list: z.boolean().optional().describe('List entries (a page at a time) instead of the statistics.'),
  component: z.string().max(200).optional().describe('Only entries of this component (list).'),
  limit: z.number().int().min(1).max(1000).optional().describe('Page size for list; default 50.'),
  cursor: z.string().max(1000).optional().describe('nextCursor from the previous page.'),
});

const CountBySchema = z.object({ name: z.string(), entries: z.number(), bytes: z.number(), cost: z.number().nullable() });

export const outputSchema = z.object({
  stats: z
    .object({
      entries: z.number(),
      totalBytes: z.number(),
      byComponent: z.array(CountBySchema),
      byModel: z.array(CountBySchema),
      byProvider: z.array(CountBySchema),
      oldest: z.string().nullable(),
      newest: z.string().nullable(),
      quarantined: z.number(),
      index: z.record(z.string(), z.unknown()),
      process: z.record(z.string(), z.number()),
    })
    .optional(),
  page: z.object({ entries: z.array(CacheIndexRecordSchema), nextCursor: z.string().nullable(), total: z.number() }).optional(),
});

export const config = {
  title: 'Cache statistics',
  description:
    'Shows the content-addressed generation cache: entry count and size by component, model and provider, oldest and newest entry, quarantined (corrupt) files and hit counters; or lists entries with a component filter and cursor pagination.',
  inputSchema,
  outputSchema,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
};

/** The runtime's cache: its hit counters are those of the generation path. */
export function registerCacheStatsTool(server: McpServer, deps: ServerDeps): void {
  server.registerTool(name, config, async (args) => {
    try {
      // The cache code loads on the first call.
      const [store, { formatCacheList, formatCacheStats }] = await Promise.all([deps.runtime.cache(), import('../../cache/format-cache-stats.js')]);
      if (args.list) {
        const page = await store.list({ component: args.component, limit: args.limit, cursor: args.cursor });
        return toolSuccess({ page }, formatCacheList(page));
      }
      const stats = await store.stats();
      return toolSuccess({ stats: { ...stats, index: { ...stats.index }, process: { ...stats.process } } }, formatCacheStats(stats));
    } catch (error) {
      return toolError(error, deps.logger, name);
    }
  });
}
