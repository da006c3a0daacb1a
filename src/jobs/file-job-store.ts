import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../infra/atomic-write.js';
import { JobRecordSchema, type JobRecord } from './job-record.js';
import type { JobStore } from './job-store.js';

export interface JobStoreLogger {
  warn(fields: object, message: string): void;
}

/** One JSON file per job under `<home>/jobs/`, written atomically; an unreadable file is reported and treated as absent. */
export class FileJobStore implements JobStore {
  private readonly dir: string;

  constructor(
    home: string,
    private readonly logger: JobStoreLogger,
  ) {
    this.dir = path.join(home, 'jobs');
  }

  async get(handle: string): Promise<JobRecord | undefined> {
    const file = this.fileOf(handle);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    try {
      return JobRecordSchema.parse(JSON.parse(text));
    } catch (error) {
      this.logger.warn({ file, error: error instanceof Error ? error.message : String(error) }, 'job record is corrupt; skipped');
      return undefined;
    }
  }

  async put(record: JobRecord): Promise<void> {
    await writeFileAtomic(this.fileOf(record.handle), `${JSON.stringify(record)}\n`);
  }

  private fileOf(handle: string): string {
    // The schema's pattern keeps a handle from naming a path outside the folder.
    if (!/^job_[0-9a-f]{32}$/.test(handle)) throw new RangeError(`not a job handle: ${JSON.stringify(handle)}`);
    return path.join(this.dir, `${handle}.json`);
  }
}
