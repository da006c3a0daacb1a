import type { JobRecord } from './job-record.js';

/**
 * Where job records live. Files under `<home>/jobs/` by default (one machine); a shared store
 * when replicas serve one team, so a handle minted by one replica is answered by any other.
 */
export interface JobStore {
  get(handle: string): Promise<JobRecord | undefined>;
  /** Replaces the record (last writer wins: only the job's owner writes it). */
  put(record: JobRecord): Promise<void>;
}
