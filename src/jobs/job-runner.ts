import type { JobRecord } from './job-record.js';
import type { JobStore } from './job-store.js';

export interface JobProgress {
  stage: string;
  message?: string;
  /** Steps done and in all, where the work counts them (an export's components). */
  progress?: number;
  total?: number;
}

/** A tool result as a JSON object (content, structuredContent, isError): what the job keeps. */
export type JobResult = Record<string, unknown> & { isError?: boolean };

export interface JobRunnerOptions {
  store: JobStore;
  clock: () => Date;
  logger: { warn(fields: object, message: string): void };
  /** Progress is written to the store at most this often (a stage change is written at once). */
  progressIntervalMs?: number;
}

export interface RunJobOptions {
  /** The caller's request: when it ends, the caller stops waiting. */
  signal?: AbortSignal | undefined;
  /**
   * Keep working after the last waiter left (a dropped HTTP stream: what was paid for lands in
   * the cache and the job record). Off for a client that can cancel for real (stdio): the work
   * is then cancelled when no one waits for it any more.
   */
  detach: boolean;
  onProgress?: (progress: JobProgress) => void;
  /**
   * What a caller that joined a run another call started gets instead of the result as is: it
   * paid for nothing, so the tool says so (a generation's joined answer is a cache hit at $0).
   */
  asJoined?: (result: JobResult) => JobResult | Promise<JobResult>;
}

interface RunningJob {
  result: Promise<JobResult>;
  waiters: number;
  controller: AbortController;
  listeners: Set<(progress: JobProgress) => void>;
}

/** Thrown to a waiter whose own request ended; the job itself may go on. */
export class JobWaitAborted extends Error {
  constructor(readonly handle: string) {
    super(`stopped waiting for ${handle}; ask for its outcome with the job_status tool`);
    this.name = 'JobWaitAborted';
  }
}

/**
 * Runs long tool calls as jobs: one run per handle in this process (a second identical call
 * joins the first), its progress and result kept in the job store under the handle, and
 * optionally detached from the request that started it.
 */
export class JobRunner {
  private readonly running = new Map<string, RunningJob>();
  private readonly intervalMs: number;

  constructor(private readonly options: JobRunnerOptions) {
    this.intervalMs = options.progressIntervalMs ?? 1000;
  }

  async run(handle: string, tool: string, work: (report: (progress: JobProgress) => void, signal: AbortSignal) => Promise<JobResult>, options: RunJobOptions): Promise<JobResult> {
    const running = this.running.get(handle);
    const job = running ?? this.start(handle, tool, work);
    job.waiters++;
    if (options.onProgress) job.listeners.add(options.onProgress);
    try {
      const result = await waitUnlessAborted(job.result, options.signal, handle);
      return running && options.asJoined ? await options.asJoined(result) : result;
    } finally {
      job.waiters--;
      if (options.onProgress) job.listeners.delete(options.onProgress);
      if (job.waiters === 0 && !options.detach && options.signal?.aborted) job.controller.abort(options.signal.reason);
    }
  }

  /** Handles of the jobs running in this process (for status). */
  handles(): string[] {
    return [...this.running.keys()];
  }

  private start(handle: string, tool: string, work: (report: (progress: JobProgress) => void, signal: AbortSignal) => Promise<JobResult>): RunningJob {
    const { store, clock, logger } = this.options;
    const startedAt = clock().toISOString();
    let record: JobRecord = { handle, tool, state: 'running', startedAt, updatedAt: startedAt };
    let lastWrite = 0;
    let writing: Promise<void> = Promise.resolve();
    // Writes are chained so the final record is never overtaken by a late progress write.
    const write = (next: JobRecord) => {
      record = next;
      writing = writing.then(() => store.put(next)).catch((error: unknown) => logger.warn({ handle, error: error instanceof Error ? error.message : String(error) }, 'could not write the job record'));
      return writing;
    };
    const controller = new AbortController();
    const listeners = new Set<(progress: JobProgress) => void>();
    const report = (progress: JobProgress) => {
      for (const listener of listeners) listener(progress);
      const now = clock();
      if (progress.stage === record.progress?.stage && now.getTime() - lastWrite < this.intervalMs) return;
      lastWrite = now.getTime();
      void write({ ...record, updatedAt: now.toISOString(), progress });
    };
    const result = (async () => {
      // The handle is on record before any work is paid for, so a client that lost the stream can ask for it.
      await write(record);
      try {
        const outcome = await work(report, controller.signal);
        await write({ ...record, state: outcome.isError ? 'failed' : 'succeeded', updatedAt: clock().toISOString(), result: outcome });
        return outcome;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        await write({ ...record, state: 'failed', updatedAt: clock().toISOString(), result: { isError: true, content: [{ type: 'text', text: message }] } });
        throw error;
      } finally {
        this.running.delete(handle);
      }
    })();
    // A detached job nobody waits for any more must not surface as an unhandled rejection.
    result.catch(() => undefined);
    const job: RunningJob = { result, waiters: 0, controller, listeners };
    this.running.set(handle, job);
    return job;
  }
}

function waitUnlessAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined, handle: string): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(new JobWaitAborted(handle));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new JobWaitAborted(handle));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
