import type { Express, Request, Response } from 'express';
import type { ServerDeps } from '../context.js';
import { createServer } from '../create-server.js';
import { RpcErrorCode, sendRpcError } from './http-security.js';

export const SSE_PATH = '/sse';
export const SSE_MESSAGES_PATH = '/messages';

/**
 * The HTTP+SSE transport of MCP 2024-11-05 (`GET /sse` + `POST /messages`), deprecated by the
 * spec and never served by SDK v2 itself: `--legacy-sse` mounts the SDK's frozen v1 copy
 * (`@modelcontextprotocol/server-legacy/sse`), loaded only then. Each stream gets its own 2025 server.
 */
export interface LegacySse {
  /** Open SSE streams. */
  count(): number;
  /** Ends every stream and closes its server. */
  closeAll(): Promise<void>;
}

type SseTransport = import('@modelcontextprotocol/server-legacy/sse').SSEServerTransport;

export function mountLegacySse(app: Express, deps: ServerDeps): LegacySse {
  const { logger } = deps;
  const sessions = new Map<string, { transport: SseTransport; cleanup: () => Promise<void> }>();

  app.get(SSE_PATH, async (_req: Request, res: Response) => {
    const { SSEServerTransport } = await import('@modelcontextprotocol/server-legacy/sse');
    const { server, cleanup } = createServer(deps, { detachLongCalls: true });
    const transport = new SSEServerTransport(SSE_MESSAGES_PATH, res);
    const sessionId = transport.sessionId;
    sessions.set(sessionId, { transport, cleanup });
    transport.onerror = (error) => logger.warn({ err: error, sessionId }, 'SSE transport error');
    res.on('close', () => {
      sessions.delete(sessionId);
      void cleanup().catch(() => {});
      logger.debug({ sessionId }, 'SSE session closed');
    });
    try {
      await server.connect(transport);
      logger.debug({ sessionId }, 'SSE session opened (deprecated HTTP+SSE transport)');
    } catch (error) {
      sessions.delete(sessionId);
      logger.error({ err: error }, 'failed to open an SSE session');
      if (!res.headersSent) sendRpcError(res, 500, RpcErrorCode.Internal, 'Internal server error');
    }
  });

  app.post(SSE_MESSAGES_PATH, async (req: Request, res: Response) => {
    const sessionId = req.query.sessionId;
    if (typeof sessionId !== 'string' || !sessionId) {
      sendRpcError(res, 400, RpcErrorCode.InvalidRequest, `Missing sessionId query parameter: open ${SSE_PATH} first and post to the endpoint it announces`);
      return;
    }
    const session = sessions.get(sessionId);
    if (!session) {
      sendRpcError(res, 404, RpcErrorCode.ServerError, `Unknown or expired SSE session "${sessionId}": open a new stream on ${SSE_PATH}`);
      return;
    }
    try {
      await session.transport.handlePostMessage(req, res, req.body);
    } catch (error) {
      logger.error({ err: error, sessionId }, 'failed to handle an SSE message');
      if (!res.headersSent) sendRpcError(res, 500, RpcErrorCode.Internal, 'Internal server error');
    }
  });

  return {
    count: () => sessions.size,
    closeAll: async () => {
      const open = [...sessions.values()];
      sessions.clear();
      await Promise.all(open.map((session) => session.cleanup().catch(() => {})));
    },
  };
}
