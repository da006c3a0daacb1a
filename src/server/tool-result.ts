import type { CallToolResult } from '@modelcontextprotocol/server';
import { DspecError, ErrorCode, formatError } from '../errors.js';
import type { Logger } from '../infra/logger.js';

/** A successful tool answer: `structuredContent` for programs plus a readable text copy for models and people. */
export function toolSuccess<T extends Record<string, unknown>>(structured: T, text: string): CallToolResult {
  return { content: [{ type: 'text', text }], structuredContent: structured };
}

/**
 * The single mapping from any thrown value to an `isError` tool result. Known errors keep
 * their message, issues and suggestion; unknown ones are logged with their stack and
 * answered with a short message, never the stack.
 */
export function toolError(error: unknown, logger: Logger, toolName: string): CallToolResult {
  if (error instanceof DspecError) {
    logger.debug({ tool: toolName, code: error.code }, 'tool answered with an error');
    return {
      isError: true,
      content: [{ type: 'text', text: `${error.code}: ${formatError(error)}` }],
      _meta: { dspecError: error.toJSON() },
    };
  }
  logger.error({ tool: toolName, err: error }, 'unexpected error in tool');
  return {
    isError: true,
    content: [{ type: 'text', text: `${ErrorCode.Internal}: ${toolName} failed unexpectedly; the server log has the details.` }],
  };
}
