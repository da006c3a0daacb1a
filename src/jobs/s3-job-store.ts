import { parseS3CacheUrl, displayEndpoint, type S3CacheLocation } from '../cache/s3-cache-url.js';
import { createS3Client } from '../cache/s3-client.js';
import { S3TextObjects } from '../cache/s3-text-objects.js';
import type { JobStoreLogger } from './file-job-store.js';
import { JobRecordSchema, type JobRecord } from './job-record.js';
import type { JobStore } from './job-store.js';

const HANDLE = /^job_[0-9a-f]{32}$/;

/**
 * Job records in the S3-compatible store the replicas share (`DSPEC_CACHE_URL`), one object per
 * job at `<prefix>/jobs/<handle>.json`, so a handle minted by one replica is answered by any
 * other. Plain PutObject: only the job's owner writes its record. An unreadable object is
 * reported and treated as absent, as FileJobStore treats a file.
 */
export class S3JobStore implements JobStore {
  private readonly base: string;

  constructor(
    private readonly objects: S3TextObjects,
    location: S3CacheLocation,
    private readonly logger: JobStoreLogger,
    private readonly onClose: () => void = () => undefined,
  ) {
    this.base = location.prefix ? `${location.prefix}/jobs/` : 'jobs/';
  }

  async get(handle: string): Promise<JobRecord | undefined> {
    const objectKey = this.objectKeyOf(handle);
    const text = await this.objects.read(objectKey);
    if (text === undefined) return undefined;
    try {
      return JobRecordSchema.parse(JSON.parse(text));
    } catch (error) {
      this.logger.warn({ object: this.objects.urlOf(objectKey), error: error instanceof Error ? error.message : String(error) }, 'job record is corrupt; skipped');
      return undefined;
    }
  }

  async put(record: JobRecord): Promise<void> {
    await this.objects.write(this.objectKeyOf(record.handle), `${JSON.stringify(record)}\n`);
  }

  /** Ends the client's connections. */
  close(): void {
    this.onClose();
  }

  objectKeyOf(handle: string): string {
    // As in FileJobStore: only a handle names an object, never a caller's free text.
    if (!HANDLE.test(handle)) throw new RangeError(`not a job handle: ${JSON.stringify(handle)}`);
    return `${this.base}${handle}.json`;
  }
}

export interface OpenS3JobStoreOptions {
  /** `s3://bucket/prefix` (`DSPEC_CACHE_URL`): the jobs go beside the cache. */
  url: string;
  /** The runtime's environment: the AWS SDK's variables are read from it. */
  env: NodeJS.ProcessEnv;
  logger: JobStoreLogger;
}

/** An S3JobStore for `url`, with a client of its own configured as the cache's. */
export function openS3JobStore(options: OpenS3JobStoreOptions): S3JobStore {
  const location = parseS3CacheUrl(options.url);
  const { client, endpoint } = createS3Client(options.env);
  const objects = new S3TextObjects({ client, bucket: location.bucket, endpoint: displayEndpoint(endpoint), store: 'S3 job store' });
  return new S3JobStore(objects, location, options.logger, () => client.destroy());
}
