import type { ServerContext } from '@modelcontextprotocol/server';
import type { Logger } from '../infra/logger.js';

/** One step of a tool call's work as the client is told it. */
export interface ProgressEvent {
  progress?: number | undefined;
  total?: number | undefined;
  message?: string | undefined;
}

/**
 * Tells the client of a call's progress (`notifications/progress`), or undefined when the client
 * asked for none (no progress token). MCP requires each progress value to be larger than the
 * last, so a step without a count of its own, or with one not above the last, counts one more.
 */
export function progressNotifier(ctx: ServerContext, logger: Logger): ((event: ProgressEvent) => void) | undefined {
  const progressToken = ctx.mcpReq._meta?.progressToken;
  if (progressToken === undefined) return undefined;
  let last = 0;
  return (event) => {
    last = event.progress !== undefined && event.progress > last ? event.progress : last + 1;
    void ctx.mcpReq
      .notify({ method: 'notifications/progress', params: { progressToken, progress: last, ...(event.total ? { total: event.total } : {}), ...(event.message ? { message: event.message } : {}) } })
      .catch((error: unknown) => logger.debug({ err: error }, 'progress notification not sent'));
  };
}
