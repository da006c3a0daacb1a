import { serveStdio as serveStdioWithSdk, StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import type { ServerDeps } from '../context.js';
import { createServer, TOOL_NAMES } from '../create-server.js';
import { createOversizeGuard } from './stdio-oversize-guard.js';

/** Default cap on one incoming JSON-RPC message on stdio. */
export const DEFAULT_MAX_STDIO_MESSAGE_BYTES = 8 * 1024 * 1024;

/**
 * Serves MCP over stdin/stdout, both protocol generations: the SDK's `serveStdio` reads the
 * client's opening (a 2026-07-28 request, or a 2025 `initialize`) and pins the connection to one
 * server from our factory, built for that generation (legacy posture 'serve'). stdout carries
 * JSON-RPC only; the banner and every log line go to stderr through the logger.
 */
export async function serveStdio(deps: ServerDeps, options: { maxMessageBytes?: number } = {}): Promise<void> {
  const maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_STDIO_MESSAGE_BYTES;
  // The SDK's transport closes itself on a message over its buffer cap; the guard drops such a
  // message first and answers it with a JSON-RPC error, so one oversized call cannot take the server down.
  const guardedStdin = createOversizeGuard(process.stdin, process.stdout, maxMessageBytes, deps.logger);
  const transport = new StdioServerTransport(guardedStdin, process.stdout, { maxBufferSize: maxMessageBytes * 2 + 1024 });
  const handle = serveStdioWithSdk(({ era }) => createServer(deps, { era }).server, {
    legacy: 'serve',
    transport,
    onerror: (error) => deps.logger.warn({ err: error }, 'stdio transport error'),
  });

  let closing = false;
  const shutdown = async (reason: string) => {
    if (closing) return;
    closing = true;
    deps.logger.info({ reason }, 'dspec shutting down');
    await handle.close().catch(() => {});
    await deps.runtime.close().catch(() => {});
    process.exit(0);
  };
  process.stdin.on('end', () => void shutdown('stdin closed'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  deps.logger.info(
    { transport: 'stdio', tools: [...TOOL_NAMES], version: deps.version },
    `dspec ${deps.version} ready on stdio with tools: ${TOOL_NAMES.join(', ')}. ` +
      'Connect an MCP client by launching this command (e.g. "command": "npx", "args": ["-y", "dspec"]); see mcp.config.json. ' +
      'This terminal is the JSON-RPC channel: use "dspec serve --http" for a network endpoint.',
  );
  return Promise.resolve();
}
