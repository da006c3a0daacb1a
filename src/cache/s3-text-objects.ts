import { DeleteObjectsCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { DspecError } from '../errors.js';
import { s3ErrorNameOf, s3FailureOf } from './s3-client.js';

export interface ListedTextObject {
  key: string;
  bytes: number;
  /** When the object was last written (S3 keeps no read times). */
  lastModified: Date | undefined;
}

export interface S3TextObjectsOptions {
  client: S3Client;
  bucket: string;
  /** As displayEndpoint shows it, for messages. */
  endpoint: string;
  /** Which store this is, as its error messages start: "S3 job store". */
  store: string;
}

const DELETE_BATCH = 1000;

/**
 * Plain reads and writes of small JSON objects in one bucket, with errors that name the store,
 * operation, object and endpoint: what the job store and the export store need. (The cache has
 * its own, conditional writes and quarantine.)
 */
export class S3TextObjects {
  constructor(private readonly options: S3TextObjectsOptions) {}

  get bucket(): string {
    return this.options.bucket;
  }

  /** The object's text, or undefined when there is none. */
  async read(objectKey: string): Promise<string | undefined> {
    try {
      const answer = await this.options.client.send(new GetObjectCommand({ Bucket: this.options.bucket, Key: objectKey }));
      return (await answer.Body?.transformToString('utf8')) ?? '';
    } catch (error) {
      if (s3ErrorNameOf(error) === 'NoSuchKey') return undefined;
      throw this.failure('GetObject', objectKey, error);
    }
  }

  /** Writes (or replaces) the object. */
  async write(objectKey: string, text: string): Promise<void> {
    try {
      await this.options.client.send(new PutObjectCommand({ Bucket: this.options.bucket, Key: objectKey, Body: text, ContentType: 'application/json' }));
    } catch (error) {
      throw this.failure('PutObject', objectKey, error);
    }
  }

  /** Every object under `prefix`, over as many ListObjectsV2 pages as it takes. */
  async list(prefix: string): Promise<ListedTextObject[]> {
    const objects: ListedTextObject[] = [];
    let token: string | undefined;
    do {
      let page;
      try {
        page = await this.options.client.send(new ListObjectsV2Command({ Bucket: this.options.bucket, Prefix: prefix, ContinuationToken: token }));
      } catch (error) {
        throw this.failure('ListObjectsV2', prefix, error);
      }
      for (const item of page.Contents ?? []) if (item.Key) objects.push({ key: item.Key, bytes: item.Size ?? 0, lastModified: item.LastModified });
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return objects;
  }

  /** Deletes the objects; one already gone is not an error. */
  async delete(objectKeys: readonly string[]): Promise<void> {
    for (let start = 0; start < objectKeys.length; start += DELETE_BATCH) {
      const batch = objectKeys.slice(start, start + DELETE_BATCH);
      let answer;
      try {
        answer = await this.options.client.send(new DeleteObjectsCommand({ Bucket: this.options.bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }));
      } catch (error) {
        throw this.failure('DeleteObjects', batch[0]!, error);
      }
      const failed = answer.Errors?.find((item) => item.Code !== 'NoSuchKey');
      if (failed) throw this.failure('DeleteObjects', failed.Key ?? batch[0]!, { name: failed.Code ?? 'DeleteFailed' });
    }
  }

  /** `s3://bucket/key`, for logs. */
  urlOf(objectKey: string): string {
    return `s3://${this.options.bucket}/${objectKey}`;
  }

  private failure(operation: string, objectKey: string, error: unknown): DspecError {
    return s3FailureOf({ store: this.options.store, operation, bucket: this.options.bucket, objectKey, endpoint: this.options.endpoint }, error);
  }
}
