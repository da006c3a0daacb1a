import * as z from 'zod';

/**
 * What a client can learn about one long tool call (Tier 2 generation, export) by its handle,
 * from any replica: where it stands, and once it has ended, the tool's own result. A handle
 * outlives the request stream, so a client whose stream dropped asks for the outcome instead
 * of paying for the work again.
 */
export const JobRecordSchema = z.object({
  handle: z.string().regex(/^job_[0-9a-f]{32}$/),
  tool: z.string(),
  state: z.enum(['running', 'succeeded', 'failed']),
  startedAt: z.string(),
  /** Refreshed on every progress step: a running job whose owner died stops being refreshed. */
  updatedAt: z.string(),
  progress: z.object({ stage: z.string(), message: z.string().optional() }).optional(),
  /** The tool's result as the client would have received it (content, structuredContent, isError). */
  result: z.record(z.string(), z.unknown()).optional(),
});
export type JobRecord = z.infer<typeof JobRecordSchema>;

/** A running job not refreshed for this long is reported `stale`: its owner is gone; call the tool again. */
export const STALE_AFTER_MS = 120_000;

export type JobStatus = JobRecord['state'] | 'stale';

export function statusOf(record: JobRecord, now: Date): JobStatus {
  if (record.state !== 'running') return record.state;
  return now.getTime() - Date.parse(record.updatedAt) > STALE_AFTER_MS ? 'stale' : 'running';
}
