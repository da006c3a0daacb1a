import { randomBytes } from 'node:crypto';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { spawnS3TestServer, TEST_S3_CREDENTIALS } from './s3-test-server.mjs';

/** A real S3-compatible server on loopback (s3rver behind a strict conditional-write front; see s3-test-server.mjs). */
export interface TestS3 {
  endpoint: string;
  /** A client for the test's own setup and inspection (not the cache's). */
  client: S3Client;
  /** A new, empty bucket: one per test, so tests never see each other's objects. */
  createBucket(): Promise<string>;
  /** The environment a dspec process needs to use `s3://bucket/prefix` on this server. */
  envFor(bucket: string, prefix?: string): NodeJS.ProcessEnv;
  close(): Promise<void>;
}

/**
 * The server `.ci/run` started (`DSPEC_TEST_S3_ENDPOINT`), or one started for this test file
 * (a child process); `close()` stops only a server it started.
 */
export async function openTestS3(): Promise<TestS3> {
  const shared = process.env.DSPEC_TEST_S3_ENDPOINT;
  const started = shared ? undefined : await spawnS3TestServer();
  const endpoint = shared ?? started!.endpoint;
  const client = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: TEST_S3_CREDENTIALS });
  return {
    endpoint,
    client,
    async createBucket() {
      const bucket = `dspec-test-${randomBytes(6).toString('hex')}`;
      await client.send(new CreateBucketCommand({ Bucket: bucket }));
      return bucket;
    },
    envFor(bucket, prefix = 'team') {
      return {
        DSPEC_CACHE_URL: `s3://${bucket}/${prefix}`,
        AWS_ENDPOINT_URL: endpoint,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: TEST_S3_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: TEST_S3_CREDENTIALS.secretAccessKey,
      };
    },
    async close() {
      client.destroy();
      await started?.close();
    },
  };
}
