import type { McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod';
import type { ServerDeps } from '../context.js';
import { toolError, toolSuccess } from '../tool-result.js';

export const name = 'job_status';

export const inputSchema = z.object({
  handle: z
    .string()
    .regex(/^job_[0-9a-f]{32}$/, 'a job handle looks like job_ followed by 32 hex digits')
    .describe('The handle a long call (generate_component, export_screen) announced in its progress messages and in its result _meta["dspec/job"].'),
});

export const outputSchema = z.object({
  handle: z.string(),
  tool: z.string(),
  status: z.enum(['running', 'succeeded', 'failed', 'stale', 'unknown']),
  startedAt: z.string().optional(),
  updatedAt: z.string().optional(),
  progress: z.object({ stage: z.string(), message: z.string().optional() }).optional(),
  result: z.record(z.string(), z.unknown()).optional().describe("The tool's own result once the job has ended (content, structuredContent, isError)."),
});

export const config = {
  title: 'Job status',
  description:
    "Where a long call stands, by the handle it announced: running (with its last progress), succeeded or failed (with the tool's result), stale (its server stopped; call the tool again: what was paid for is served from the cache) or unknown. Answers from any replica; use it when the stream of a long call dropped instead of calling it again.",
  inputSchema,
  outputSchema,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
};

export function registerJobStatusTool(server: McpServer, deps: ServerDeps): void {
  server.registerTool(name, config, async ({ handle }) => {
    try {
      const { statusOf } = await import('../../jobs/job-record.js');
      const record = await (await deps.runtime.jobs()).store.get(handle);
      if (!record) {
        return toolSuccess(
          { handle, tool: 'unknown', status: 'unknown' as const },
          `${handle}: no such job here (it may have expired, or the handle is mistyped). Call the tool again: a result already paid for comes from the cache.`,
        );
      }
      const status = statusOf(record, new Date());
      const lines = [`${handle} (${record.tool}): ${status}`];
      if (record.progress) lines.push(`last step: ${record.progress.stage}${record.progress.message ? `: ${record.progress.message}` : ''}`);
      if (status === 'stale') lines.push('Its server stopped before it finished; call the tool again (what was paid for is served from the cache).');
      const text = record.result ? `${lines.join('\n')}\n\n${textOf(record.result)}` : lines.join('\n');
      return toolSuccess(
        {
          handle,
          tool: record.tool,
          status,
          startedAt: record.startedAt,
          updatedAt: record.updatedAt,
          ...(record.progress ? { progress: record.progress } : {}),
          ...(record.result ? { result: record.result } : {}),
        },
        text,
      );
    } catch (error) {
      return toolError(error, deps.logger, name);
    }
  });
}

/** The result's text blocks, as the tool's own answer showed them. */
function textOf(result: Record<string, unknown>): string {
  const content = Array.isArray(result.content) ? (result.content as unknown[]) : [];
  return content
    .map((block) => {
      const { type, text } = (block ?? {}) as { type?: unknown; text?: unknown };
      return type === 'text' && typeof text === 'string' ? text : '';
    })
    .filter((text) => text.length > 0)
    .join('\n');
}
