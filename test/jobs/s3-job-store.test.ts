import { readdirSync } from 'node:fs';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpServer } from '@modelcontextprotocol/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { loadConfig } from '../../src/infra/config.js';
import { FileJobStore } from '../../src/jobs/file-job-store.js';
import { jobHandleOf } from '../../src/jobs/job-handle.js';
import type { JobRecord } from '../../src/jobs/job-record.js';
import { openS3JobStore, S3JobStore } from '../../src/jobs/s3-job-store.js';
import type { Runtime } from '../../src/runtime/create-runtime.js';
import { serverDepsOf } from '../../src/server/context.js';
import { outputSchema as jobStatusOutput, registerJobStatusTool } from '../../src/server/tools/job-status.js';
import { recordingLogger, tempHome } from '../cache/entry-fixture.js';
import { openTestS3, type TestS3 } from '../helpers/s3-server.js';
import { testRuntime } from '../helpers/test-runtime.js';

let s3: TestS3;
const opened: S3JobStore[] = [];
beforeAll(async () => {
  s3 = await openTestS3();
});
afterAll(async () => {
  for (const store of opened.splice(0)) store.close();
  await s3?.close();
});

/** A job store as one replica opens it: its own S3 client. */
function replicaStore(env: NodeJS.ProcessEnv, logger = recordingLogger()): S3JobStore {
  const store = openS3JobStore({ url: env.DSPEC_CACHE_URL!, env, logger });
  opened.push(store);
  return store;
}

const handle = jobHandleOf('generate_component', { name: 'StatCard' });
const record: JobRecord = {
  handle,
  tool: 'generate_component',
  state: 'succeeded',
  startedAt: '2026-12-06T10:00:00.000Z',
  updatedAt: '2026-12-06T10:00:07.000Z',
  progress: { stage: 'validating', message: 'type check' },
  result: { content: [{ type: 'text', text: 'StatCard' }], structuredContent: { name: 'StatCard', tier: 'tier2' } },
};

/** job_status as a replica's server answers it, asked by a 2025 client linked in memory. */
async function jobStatusOn(runtime: Runtime, jobHandle: string) {
  const server = new McpServer({ name: 'dspec', version: 'test' }, { capabilities: { tools: {} } });
  registerJobStatusTool(server, serverDepsOf(runtime, 'test'));
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await server.connect(serverTransport);
  const client = new Client({ name: 'job-status-client', version: '1.0.0' });
  await client.connect(clientTransport);
  try {
    return jobStatusOutput.parse((await client.callTool({ name: 'job_status', arguments: { handle: jobHandle } })).structuredContent);
  } finally {
    await client.close();
    await server.close();
  }
}

async function objectText(bucket: string, key: string): Promise<string> {
  const answer = await s3.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return answer.Body!.transformToString('utf8');
}

describe('job records in the shared S3-compatible store', () => {
  it('a record one replica writes at <prefix>/jobs/<handle>.json is read by another, and its updates too', async () => {
    const bucket = await s3.createBucket();
    const env = s3.envFor(bucket, 'team/dspec');
    const owner = replicaStore(env);
    const other = replicaStore(env);

    expect(await other.get(handle)).toBeUndefined();
    const running: JobRecord = { handle, tool: 'generate_component', state: 'running', startedAt: record.startedAt, updatedAt: record.startedAt };
    await owner.put(running);
    expect(await other.get(handle)).toEqual(running);
    await owner.put(record);
    expect(await other.get(handle)).toEqual(record);
    expect(JSON.parse(await objectText(bucket, `team/dspec/jobs/${handle}.json`))).toEqual(record);
  });

  it('a corrupt or malformed object is reported with where it is, and read as no record', async () => {
    const bucket = await s3.createBucket();
    const env = s3.envFor(bucket, 'p');
    const logger = recordingLogger();
    const store = replicaStore(env, logger);
    await s3.client.send(new PutObjectCommand({ Bucket: bucket, Key: `p/jobs/${handle}.json`, Body: '{"handle": "job_' }));
    expect(await store.get(handle)).toBeUndefined();
    const wrongShape = jobHandleOf('export_screen', { screen: 'x' });
    await s3.client.send(new PutObjectCommand({ Bucket: bucket, Key: `p/jobs/${wrongShape}.json`, Body: JSON.stringify({ ...record, handle: wrongShape, state: 'paused' }) }));
    expect(await store.get(wrongShape)).toBeUndefined();
    expect(logger.warnings.map((warning) => [warning.message, warning.details.object])).toEqual([
      ['job record is corrupt; skipped', `s3://${bucket}/p/jobs/${handle}.json`],
      ['job record is corrupt; skipped', `s3://${bucket}/p/jobs/${wrongShape}.json`],
    ]);
    // The owner's next write replaces the corrupt object.
    await store.put(record);
    expect(await store.get(handle)).toEqual(record);
  });

  it('names only handles, and a missing bucket is an input error naming the store, bucket and key', async () => {
    const env = s3.envFor('dspec-no-such-bucket', 'p');
    const store = replicaStore(env);
    await expect(store.get('../cache/aa/secret')).rejects.toThrow(RangeError);
    await expect(store.put({ ...record, handle: 'job_../../x' })).rejects.toThrow(/not a job handle/);
    const failure = await store.get(handle).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(InputError);
    expect((failure as InputError).message).toBe(`S3 job store: GetObject s3://dspec-no-such-bucket/p/jobs/${handle}.json at ${s3.endpoint} failed: NoSuchBucket (HTTP 404)`);
    expect(JSON.stringify((failure as InputError).context)).not.toContain(env.AWS_SECRET_ACCESS_KEY);
  });

  it('a runtime with DSPEC_CACHE_URL keeps its jobs in the bucket, where a second runtime (and its job_status tool) answers them; without it, files', async () => {
    const home = tempHome('dspec-jobs-');
    const fileRuntime = testRuntime({ cwd: home, flags: { home: '.' } });
    expect((await fileRuntime.jobs()).store).toBeInstanceOf(FileJobStore);
    await fileRuntime.close();

    const bucket = await s3.createBucket();
    const env = s3.envFor(bucket);
    const [replicaA, replicaB] = [0, 1].map(() => testRuntime({ cwd: home, env, config: loadConfig({ cwd: home, env, flags: { home: '.' } }) }));
    try {
      const jobsA = await replicaA!.jobs();
      expect(jobsA.store).toBeInstanceOf(S3JobStore);
      const result = { content: [{ type: 'text', text: 'exported' }], structuredContent: { exportId: 'e1' } };
      const exportHandle = jobHandleOf('export_screen', { screen: { id: 'team' } });
      expect(await jobsA.runner.run(exportHandle, 'export_screen', () => Promise.resolve(result), { detach: true })).toEqual(result);
      // Replica B never ran the job: it answers from the shared store.
      expect(await (await replicaB!.jobs()).store.get(exportHandle)).toMatchObject({ handle: exportHandle, tool: 'export_screen', state: 'succeeded', result });
      expect(await jobStatusOn(replicaB!, exportHandle)).toMatchObject({ handle: exportHandle, tool: 'export_screen', status: 'succeeded', result });
      expect(await jobStatusOn(replicaB!, jobHandleOf('export_screen', { screen: { id: 'other' } }))).toMatchObject({ status: 'unknown' });
      expect(readdirSync(home).filter((name) => name === 'jobs')).toEqual([]); // nothing under <home>/jobs/
    } finally {
      await replicaA!.close();
      await replicaB!.close();
    }
  });
});
