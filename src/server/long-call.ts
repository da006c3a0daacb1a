import type { CallToolResult, ServerContext } from '@modelcontextprotocol/server';
import type { JobProgress } from '../jobs/job-runner.js';
import type { ServerDeps } from './context.js';

/** Where a long call's result names its job handle (`job_status` takes it). */
export const JOB_META_KEY = 'dspec/job';

/**
 * Runs a long tool call (Tier 2 generation, an export) as a job under a handle derived from its
 * arguments: a retry of the same call joins the run in flight instead of paying again, and with
 * `detach` (HTTP, where a dropped stream is not a cancellation) the work goes on to the end, its
 * outcome kept for `job_status` and, for generation, in the cache. The handle is announced in the
 * first progress message and in the result's `_meta`.
 */
export async function runLongCall(
  deps: ServerDeps,
  ctx: ServerContext,
  tool: string,
  args: unknown,
  options: { detach: boolean; onProgress?: ((progress: JobProgress) => void) | undefined; asJoined?: (result: CallToolResult) => Promise<CallToolResult> },
  work: (signal: AbortSignal, report: (progress: JobProgress) => void) => Promise<CallToolResult>,
): Promise<CallToolResult> {
  const [{ jobHandleOf }, { JobWaitAborted }, jobs] = await Promise.all([import('../jobs/job-handle.js'), import('../jobs/job-runner.js'), deps.runtime.jobs()]);
  const handle = jobHandleOf(tool, args);
  // The first progress message this waiter gets names the handle (the work's own counts are kept).
  let announced = false;
  const notify = options.onProgress;
  const onProgress =
    notify &&
    ((progress: JobProgress) => {
      notify(announced ? progress : { ...progress, message: `${progress.message ?? progress.stage} (job ${handle}: ask job_status for it if this stream drops)` });
      announced = true;
    });
  try {
    const result = await jobs.runner.run(handle, tool, (report, signal) => work(signal, report), {
      detach: options.detach,
      signal: ctx.mcpReq.signal,
      onProgress,
      ...(options.asJoined ? { asJoined: (joined) => options.asJoined!(joined as CallToolResult) } : {}),
    });
    return { ...(result as CallToolResult), _meta: { ...(result._meta as Record<string, unknown> | undefined), [JOB_META_KEY]: handle } };
  } catch (error) {
    // Only this waiter's request ended; the client is gone or cancelled, so this answer is rarely read.
    if (error instanceof JobWaitAborted) return { isError: true, content: [{ type: 'text', text: error.message }], _meta: { [JOB_META_KEY]: handle } };
    throw error;
  }
}
