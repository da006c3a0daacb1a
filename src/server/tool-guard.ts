import type { CallToolResult, InputRequiredResult } from '@modelcontextprotocol/server';
import { BusyError, DspecError, ErrorCode } from '../errors.js';
import { runWithCallLogger } from './call-logger.js';
import { runInClientRequest, type ClientRequest } from './client-log.js';
import type { ServerDeps } from './context.js';
import { toolError } from './tool-result.js';

export interface GuardOptions {
  /** Counts against the runtime's limit for expensive calls. */
  expensive?: boolean;
  /** A time limit other than `limits.toolTimeoutMs`, for tools whose work has its own deadline. */
  timeoutMs?: number;
}

/**
 * Runs a tool handler under the server's guards: the concurrency limit for expensive tools and
 * the per-call time limit. The handler gets an AbortSignal that fires on client cancellation or
 * on the time limit, and whatever it throws becomes an `isError` result. `request` is the call's
 * `ctx.mcpReq`: its signal, and the level and stream its log lines reach the client with.
 */
export async function runGuarded<Result extends CallToolResult | InputRequiredResult = CallToolResult>(
  deps: ServerDeps,
  toolName: string,
  request: ClientRequest | undefined,
  options: GuardOptions,
  handler: (signal: AbortSignal) => Promise<Result>,
): Promise<Result | CallToolResult> {
  const gate = deps.runtime.expensiveCalls;
  const leave = options.expensive ? gate.tryEnter() : () => {};
  if (!leave) {
    return toolError(
      new BusyError(`busy: ${gate.limit} expensive calls are already running`, {
        suggestion: 'Retry in a few seconds, or raise limits.maxConcurrentExpensiveCalls.',
      }),
      deps.logger,
      toolName,
    );
  }
  // The gate's layers are mostly synchronous CPU work: without a turn of the event loop here,
  // each call would run to its end before the next request is even read, so a burst never
  // reached the limit and queued without bound instead of being answered "busy".
  if (options.expensive) await new Promise<void>((resolve) => setImmediate(resolve));
  const timeoutMs = options.timeoutMs ?? deps.config.limits.toolTimeoutMs;
  const clientSignal = request?.signal;
  const controller = new AbortController();
  const onClientAbort = () => controller.abort(clientSignal?.reason);
  clientSignal?.addEventListener('abort', onClientAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<CallToolResult>((resolve) => {
    timer = setTimeout(() => {
      controller.abort(new Error('time limit'));
      resolve(
        toolError(
          new DspecError(ErrorCode.Busy, `${toolName} took longer than its ${Math.round(timeoutMs / 1000)} s time limit and was stopped`, {
            suggestion: 'Send smaller input, or raise limits.toolTimeoutMs.',
          }),
          deps.logger,
          toolName,
        ),
      );
    }, timeoutMs);
    timer.unref();
  });
  // Lines the runtime's shared parts log for this call reach this call's client too (call-logger.ts).
  // The error is mapped inside the call's context, so the line toolError logs reaches the client at the level its request asked for.
  const work = runInClientRequest(request, () =>
    runWithCallLogger(deps.logger, () => handler(controller.signal)).catch((error: unknown): Result | CallToolResult => toolError(error, deps.logger, toolName)),
  );
  // The slot is held until the work has actually stopped: a handler that is slow to honour the
  // abort still uses CPU, memory and maybe a paid model, so it must keep counting against the limit.
  void work.finally(() => {
    clearTimeout(timer);
    clientSignal?.removeEventListener('abort', onClientAbort);
    leave();
    if (controller.signal.aborted) deps.logger.debug({ tool: toolName }, 'aborted tool call has stopped; its slot is free');
  });
  return Promise.race([work, timedOut]);
}
